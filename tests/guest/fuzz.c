/*
 * Hypercall fuzzer, run inside an lparvisor partition: seeded and
 * reproducible (the seed is printed first; bootargs seed=N count=N), it
 * issues hcalls with random and boundary values -- numbers in and out of
 * range, misaligned, addresses at the partition's edges, in the
 * hypervisor's ranges, huge, wrapping -- and RTAS calls with random
 * tokens and counts.  Every return code must be a PAPR code, and the
 * payload's own code and constants must be unchanged afterwards.
 *
 * With a second vCPU (cores = <a b> in the configuration) the calls race:
 * 1. both vCPUs fuzz at once, each with its own random stream (seed + vCPU
 *    index) and its own RTAS buffer, `count` calls between them;
 * 2. one vCPU keeps rewriting a buffer -- the RTAS argument buffer's
 *    token, nargs, nret and cells, then a VPA's size field -- while the
 *    other hands it to the hypervisor (KVMPPC_H_RTAS, H_REGISTER_VPA),
 *    then the roles swap.  The hypervisor must read each field once: the
 *    canaries around each buffer, past anything a single read of any
 *    value it can see lets it write, must survive.
 *
 * H_SET_MODE is fuzzed with every resource and mode but big-endian
 * interrupts (which would end the payload at its next interrupt); no AIL
 * but 0 and 3 may ever be accepted (issue 20: AIL 2 sent hypervisor
 * interrupts where lparvisor has no handler).  The payload runs in real
 * mode, so AIL 3 does not move its own interrupts.
 *
 * With a v-scsi adapter in its tree (issue 14), vCPU 0 then maps a
 * window onto the scratch area, registers a CRQ and sends `vscsi=N`
 * (default 20000) random SRP and MAD requests: random IU lengths,
 * opcodes, buffer formats, descriptor counts and tables, LUNs, CDBs
 * with random LBAs and lengths, buffers inside and outside the window;
 * every H_SEND_CRQ must return a PAPR code and the adapter must still
 * answer a TEST UNIT READY after a fresh login.
 *
 * With an l-lan adapter (issue 13), vCPU 0 maps a window onto another
 * part of the scratch area and makes `llan=N` (default 20000) logical
 * LAN calls on it: random descriptors (valid bit, lengths, addresses in
 * and out of the window, read-only pages), continue tokens and MACs;
 * every return must be a PAPR code, and afterwards the adapter must
 * register and send as before.
 *
 * Calls that would legitimately end or redirect the partition are left
 * out: H_SET_SPRG0 (the library's per-vCPU
 * pointer), H_SIGNAL_SYS_RESET, H_WATCHDOG start, RTAS power-off,
 * system-reboot, stop-self, start-cpu and ibm,os-term.  Memory-writing
 * calls get addresses in a scratch area or outside the partition, never
 * in the image.
 */
#include <libfdt.h>

#include "hv/abi/hcall.h"
#include "hv/abi/layout.h"
#include "hv/abi/llan.h"
#include "hv/abi/rtas.h"
#include "hv/lib/string.h"
#include "tests/guest/lib/console.h"
#include "tests/guest/lib/cpu.h"
#include "tests/guest/lib/dt.h"
#include "tests/guest/lib/guest.h"
#include "tests/guest/lib/hcall.h"
#include "tests/guest/lib/report.h"
#include "tests/guest/lib/rtas.h"
#include "tests/guest/lib/timebase.h"

const char test_name[] = "fuzz";

extern char __ro_end[];

#define SCRATCH 0x1000000ul /* 16 MiB: far above the image and stacks */
#define SCRATCH_SIZE 0x100000ul
/* The raced buffers, outside the scratch area nothing else writes to. */
#define RACE_RTAS 0x1200000ul /* canary page, buffer page, canary page */
#define RACE_VPA 0x1210000ul
#define CANARY 0x5a5aa5a5c3c33c3cull
#define RACE_ROUNDS 2	      /* each role on each vCPU */
#define RACE_RTAS_CALLS 40000 /* per round */
#define RACE_VPA_CALLS 20000  /* per round */
#define WAIT_MS 60000

/* One fuzzing vCPU: its random stream and its tallies. */
struct fuzzer {
	uint64_t rng;
	uint64_t rtas_buf; /* its own RTAS argument buffer */
	unsigned long count, done, bad;
	long first_bad;
	uint64_t first_nr;
	unsigned long set_mode_calls; /* H_SET_MODE calls made */
	unsigned long ail_bad;        /* AIL other than 0/3 accepted */
};

static uint64_t next(struct fuzzer *f)
{
	f->rng ^= f->rng << 13;
	f->rng ^= f->rng >> 7;
	f->rng ^= f->rng << 17;
	return f->rng;
}

static const uint64_t hcalls[] = {
	H_REMOVE, H_ENTER, H_READ, H_PROTECT, H_GET_TCE, H_PUT_TCE,
	H_SET_DABR, H_PAGE_INIT, H_LOGICAL_CI_LOAD, H_LOGICAL_CI_STORE,
	H_GET_TERM_CHAR, H_EOI, H_CPPR, H_IPI, H_IPOLL, H_XIRR,
	H_REGISTER_VPA, H_CONFER, H_PROD, H_VIO_SIGNAL, H_SET_XDABR,
	H_GET_CPU_CHARACTERISTICS, H_XIRR_X, H_RANDOM, H_CLEAN_SLB,
	H_REGISTER_PROC_TBL, KVMPPC_H_RTAS, 0x7, 0x3fc, 0x1000, 0xf004,
	H_SET_MODE,
	/* hash page table (H_FUNCTION in a radix partition; issue 15) */
	H_BULK_REMOVE, H_CLEAR_REF, H_CLEAR_MOD, H_RESIZE_HPT_PREPARE,
	H_RESIZE_HPT_COMMIT,
	/* VIO bus: TCE windows and CRQs (issue 13) */
	H_STUFF_TCE, H_PUT_TCE_INDIRECT, H_REG_CRQ, H_FREE_CRQ, H_SEND_CRQ,
	H_ENABLE_CRQ,
	/* virtual LAN (issue 13) */
	H_REGISTER_LOGICAL_LAN, H_FREE_LOGICAL_LAN, H_ADD_LOGICAL_LAN_BUFFER,
	H_SEND_LOGICAL_LAN, H_MULTICAST_CTRL, H_CHANGE_LOGICAL_LAN_MAC,
	H_ADD_LOGICAL_LAN_BUFFERS,
	/* VIOS mode (issue 14): LIOBNs picked in the loop */
	H_COPY_RDMA, H_VIOCTL,
	/* XIVE (H_FUNCTION in an XICS partition) */
	H_INT_GET_SOURCE_INFO, H_INT_SET_SOURCE_CONFIG,
	H_INT_GET_SOURCE_CONFIG, H_INT_GET_QUEUE_INFO, H_INT_SET_QUEUE_CONFIG,
	H_INT_GET_QUEUE_CONFIG, H_INT_SET_OS_REPORTING_LINE,
	H_INT_GET_OS_REPORTING_LINE, H_INT_ESB, H_INT_SYNC, H_INT_RESET,
};

/* A guest address chosen to hurt: edges, hypervisor ranges, huge. */
static uint64_t addr(struct fuzzer *f, uint64_t mem)
{
	static const uint64_t fixed[] = {
		0, 0x20000000, 0x30000000, LAYOUT_XIVE_TM_BASE, 1ul << 60,
		1ul << 63, ~0ul, ~0ul - 7, 0x1000000000000ul,
	};

	switch (next(f) % 6) {
	case 0:
		return fixed[next(f) % (sizeof(fixed) / sizeof(fixed[0]))];
	case 1:
		return mem - (next(f) % 64);
	case 2:
		return mem + (next(f) % 0x10000);
	case 3:
		return SCRATCH + (next(f) % SCRATCH_SIZE);
	case 4:
		return mem + (next(f) & 0xffffffffffull);
	default:
		return next(f);
	}
}

/*
 * Calls that write guest memory must not hit the image (below SCRATCH),
 * the raced buffers (just above it) or the device tree and RTAS area (the
 * top 4 MiB): such addresses are moved into the scratch area; addresses
 * outside the partition stay as they are.  An XIVE event queue is
 * written by the hardware, so its page counts as written too.
 */
static void aim(uint64_t nr, uint64_t *arg, uint64_t mem)
{
	bool writes = nr == H_PAGE_INIT || nr == H_LOGICAL_CI_STORE ||
		      nr == H_REGISTER_VPA || nr == H_REGISTER_PROC_TBL ||
		      nr == H_INT_SET_QUEUE_CONFIG;

	if (!writes) {
		return;
	}
	for (int j = 0; j < 6; j++) {
		if (arg[j] < SCRATCH ||
		    (arg[j] >= RACE_RTAS && arg[j] < RACE_VPA + 0x10000) ||
		    (arg[j] < mem && arg[j] >= mem - 0x400000)) {
			arg[j] = SCRATCH + arg[j] % SCRATCH_SIZE;
		}
	}
}

/* Every return code PAPR defines (hv/abi/hcall.h), and nothing else. */
static const long papr_codes[] = {
	H_SUCCESS, H_BUSY, H_LONG_BUSY_ORDER_100_MSEC, H_CLOSED,
	H_NOT_AVAILABLE, H_CONSTRAINED,
	H_PARTIAL, H_IN_PROGRESS, H_PAGE_REGISTERED, H_PARTIAL_STORE,
	H_PENDING, H_CONTINUE, H_HARDWARE, H_FUNCTION, H_PRIVILEGE,
	H_PARAMETER, H_BAD_MODE, H_PTEG_FULL, H_NOT_FOUND, H_RESERVED_DABR,
	H_NO_MEM, H_AUTHORITY, H_PERMISSION, H_DROPPED, H_SOURCE_PARM,
	H_DEST_PARM, H_REMOTE_PARM, H_RESOURCE, H_ADAPTER_PARM, H_RH_PARM,
	H_RCQ_PARM, H_SCQ_PARM, H_EQ_PARM, H_RT_PARM, H_ST_PARM, H_SIGT_PARM,
	H_TOKEN_PARM, H_MLENGTH_PARM, H_MEM_PARM, H_MEM_ACCESS_PARM,
	H_ATTR_PARM, H_PORT_PARM, H_MCG_PARM, H_VL_PARM, H_TSIZE_PARM,
	H_TRACE_PARM, H_MASK_PARM, H_MCG_FULL, H_ALIAS_EXIST, H_P_COUNTER,
	H_TABLE_FULL, H_ALT_TABLE, H_MR_CONDITION, H_NOT_ENOUGH_RESOURCES,
	H_R_STATE, H_RESCINDED, H_ABORTED, H_P2, H_P3, H_P4, H_P5, H_P6,
	H_P7, H_P8, H_P9, H_NOOP, H_UNSUPPORTED, H_OVERLAP, H_STATE,
	H_IN_USE, H_MULTI_THREADS_ACTIVE,
};

static bool papr_code(long rc)
{
	if (rc <= H_UNSUPPORTED_FLAG_START && rc >= H_UNSUPPORTED_FLAG_END) {
		return true; /* H_UNSUPPORTED_FLAG, naming the flag bit */
	}
	for (unsigned i = 0; i < sizeof(papr_codes) / sizeof(papr_codes[0]);
	     i++) {
		if (rc == papr_codes[i]) {
			return true;
		}
	}
	return false;
}

/* A random RTAS token that cannot end us (lparvisor's tokens start at
 * 0x2000; some above the last are unknown ones). */
static uint32_t safe_token(struct fuzzer *f)
{
	static const uint32_t forbid[] = { RTAS_POWER_OFF, RTAS_SYSTEM_REBOOT,
					   RTAS_STOP_SELF, RTAS_IBM_OS_TERM,
					   RTAS_START_CPU };
	uint32_t token = 0x2000 + (uint32_t)(next(f) % 0x30);

	for (unsigned i = 0; i < sizeof(forbid) / sizeof(forbid[0]); i++) {
		if (token == forbid[i]) {
			token = RTAS_GET_TIME_OF_DAY;
		}
	}
	return token;
}

/* Fill an RTAS argument buffer with a safe token and random counts. */
static uint64_t rtas_buffer(struct fuzzer *f)
{
	uint32_t *b = (uint32_t *)(uintptr_t)f->rtas_buf;

	b[0] = __builtin_bswap32(safe_token(f));
	b[1] = __builtin_bswap32((uint32_t)(next(f) % 20));
	b[2] = __builtin_bswap32((uint32_t)(next(f) % 20));
	for (int i = 3; i < 32; i++) {
		b[i] = (uint32_t)next(f);
	}
	return f->rtas_buf;
}

static void tally(struct fuzzer *f, uint64_t nr, long rc)
{
	f->done++;
	if (!papr_code(rc) && !f->bad++) {
		f->first_bad = rc;
		f->first_nr = nr;
	}
}

/*
 * H_SET_MODE arguments: known and unknown resources, modes 0..4 and
 * random ones, values mostly 0 (else the call stops at H_P3/H_P4).
 * Never big-endian interrupts: the payload takes its own little-endian.
 */
static void set_mode_args(struct fuzzer *f, uint64_t *arg)
{
	uint64_t r = next(f);

	arg[0] = (r & 7) < 5 ? (r & 7) : next(f);
	arg[1] = ((r >> 3) & 7) < 6 ? ((r >> 3) & 7) : next(f);
	arg[2] = (r >> 6) % 8 == 0 ? next(f) : 0;
	arg[3] = (r >> 9) % 8 == 0 ? next(f) : 0;
	if (arg[1] == H_SET_MODE_RESOURCE_LE && arg[0] == 0) {
		arg[0] = 1;
	}
}

static void call_set_mode(struct fuzzer *f)
{
	uint64_t arg[4];
	long rc;

	set_mode_args(f, arg);
	rc = hcall(H_SET_MODE, arg[0], arg[1], arg[2], arg[3]);
	f->set_mode_calls++;
	if (arg[1] == H_SET_MODE_RESOURCE_ADDR_TRANS_MODE && rc == H_SUCCESS &&
	    arg[0] != 0 && arg[0] != 3) {
		f->ail_bad++;
	}
	tally(f, H_SET_MODE, rc);
}

/* `f->count` random calls. */
static void fuzz_loop(struct fuzzer *f, uint64_t mem)
{
	for (unsigned long i = 0; i < f->count; i++) {
		uint64_t nr = hcalls[next(f) % (sizeof(hcalls) / sizeof(hcalls[0]))];
		uint64_t arg[6];

		if (next(f) % 16 == 0) {
			nr = next(f) % 0x500; /* anything, misaligned too */
		}
		for (int j = 0; j < 6; j++) {
			arg[j] = (next(f) & 1) ? addr(f, mem) : next(f) % 32;
		}
		if (nr == KVMPPC_H_RTAS) {
			arg[0] = (next(f) & 3) ? rtas_buffer(f) : addr(f, mem);
		}
		if (nr == H_COPY_RDMA) {
			/* Windows it has (v-scsi, LAN, a VIOS server and its
			 * partner's pane, never connected) or none. */
			static const uint64_t liobns[] = {
				LAYOUT_VSCSI_REG, LAYOUT_LLAN_REG(0),
				LAYOUT_VHOST_REG(0),
				LAYOUT_VHOST_REMOTE_LIOBN(0), LAYOUT_VTY_REG,
			};

			arg[1] = liobns[next(f) % 5];
			arg[3] = liobns[next(f) % 5];
			arg[0] = next(f) % 0x30000;
			arg[2] = next(f) % 0x20000;
			arg[4] = next(f) % 0x20000;
		}
		if (nr == H_SET_MODE) {
			call_set_mode(f);
			continue;
		}
		if (nr == H_SET_SPRG0 || nr == H_CEDE ||
		    nr == H_SIGNAL_SYS_RESET || nr == H_WATCHDOG ||
		    nr == H_PUT_TERM_CHAR) {
			continue;
		}
		aim(nr, arg, mem);
		tally(f, nr, hcall(nr, arg[0], arg[1], arg[2], arg[3], arg[4],
				   arg[5]));
	}
}

/* ---- the buffer-rewriting race ------------------------------------------ */

enum race_kind { RACE_NONE, RACE_RTAS_ARGS, RACE_VPA_SIZE, RACE_STOP };

/* Shared between the vCPUs; `task` and `seq` are written by vCPU 0. */
static struct {
	volatile uint32_t task;	      /* what the second vCPU does next */
	volatile uint32_t seq;	      /* bumped for every task */
	volatile uint32_t done_seq;   /* seq of the last task it finished */
	volatile uint32_t rewriting;  /* the rewriter has started */
	volatile uint32_t stop;	      /* ends a rewriting task */
	volatile uint32_t role_swap;  /* second vCPU calls, first rewrites */
	volatile unsigned long rewrites;
} race;

static struct fuzzer fuzzers[2];
static uint64_t guest_mem;

/* Keep rewriting the RTAS buffer: any token we may call, counts from 0
 * to 2^32 - 1 (in range, just out of it, huge), random cells. */
static void rewrite_rtas(struct fuzzer *f, uint64_t end)
{
	volatile uint32_t *b = (volatile uint32_t *)(RACE_RTAS + 0x1000);
	static const uint32_t counts[] = { 0, 1, 3, 8, 15, 16, 17, 0xffff,
					   0x7fffffff, 0xffffffff };

	race.rewriting = 1;
	while (!race.stop && tb_now() < end) {
		uint64_t r = next(f);

		b[0] = __builtin_bswap32(safe_token(f));
		b[1] = __builtin_bswap32(counts[r % 10]);
		b[2] = __builtin_bswap32(counts[(r >> 8) % 10]);
		b[3 + (r >> 16) % 16] = (uint32_t)(r >> 32);
		race.rewrites++;
	}
}

/* Keep rewriting the VPA's size field (a be16 at offset 4): too small,
 * the minimum, a whole page, past the page, the largest. */
static void rewrite_vpa(struct fuzzer *f, uint64_t end)
{
	volatile uint16_t *size = (volatile uint16_t *)(RACE_VPA + 0x1000 + 4);
	static const uint16_t sizes[] = { 0, 639, 640, 0x1000, 0x1001,
					  0xffff };

	race.rewriting = 1;
	while (!race.stop && tb_now() < end) {
		*size = __builtin_bswap16(sizes[next(f) % 6]);
		race.rewrites++;
	}
}

/* Hand the RTAS buffer to the hypervisor while the other vCPU rewrites
 * it: every answer a PAPR code. */
static void call_rtas(struct fuzzer *f)
{
	for (unsigned long i = 0; i < RACE_RTAS_CALLS; i++) {
		tally(f, KVMPPC_H_RTAS,
		      hcall(KVMPPC_H_RTAS, RACE_RTAS + 0x1000));
	}
}

/* Register and deregister the VPA while its size changes under us. */
static void call_vpa(struct fuzzer *f)
{
	uint64_t reg = H_VPA_REG_VPA << H_VPA_FUNC_SHIFT;
	uint64_t dereg = H_VPA_DEREG_VPA << H_VPA_FUNC_SHIFT;
	uint32_t self = cpu_self()->hwid;

	for (unsigned long i = 0; i < RACE_VPA_CALLS; i++) {
		uint64_t flags = (i & 1) ? dereg : reg;

		tally(f, H_REGISTER_VPA,
		      hcall(H_REGISTER_VPA, flags, self, RACE_VPA + 0x1000));
	}
	hcall(H_REGISTER_VPA, dereg, self, 0);
}

/* Rewrite until the caller is done (race.stop), WAIT_MS at most. */
static void rewrite(struct fuzzer *f, uint32_t kind)
{
	uint64_t end = tb_now() + tb_from_ms(WAIT_MS);

	if (kind == RACE_RTAS_ARGS) {
		rewrite_rtas(f, end);
	} else {
		rewrite_vpa(f, end);
	}
}

static void call(struct fuzzer *f, uint32_t kind)
{
	if (kind == RACE_RTAS_ARGS) {
		call_rtas(f);
	} else {
		call_vpa(f);
	}
}

/* The second vCPU: its share of the random calls, then the tasks vCPU 0
 * hands it until RACE_STOP. */
static void second_vcpu(void *arg)
{
	struct fuzzer *f = arg;
	uint32_t seen = 0;

	fuzz_loop(f, guest_mem);
	race.done_seq = ~0u; /* the random phase is over */
	for (;;) {
		while (race.seq == seen) {
			cpu_relax();
		}
		seen = race.seq;
		if (race.task == RACE_STOP) {
			race.done_seq = seen;
			return;
		}
		if (race.role_swap) {
			if (WAIT_FOR(race.rewriting, WAIT_MS)) {
				call(f, race.task);
			}
			race.stop = 1;
		} else {
			rewrite(f, race.task);
		}
		race.done_seq = seen;
	}
}

/* Fill the pages around each raced buffer with the canary. */
static void canaries_set(uint64_t base)
{
	uint64_t *p = (uint64_t *)(uintptr_t)base;

	memset(p, 0, 0x3000);
	for (int i = 0; i < 0x200; i++) {
		p[i] = CANARY;
		p[0x400 + i] = CANARY;
	}
}

/* True when the canary pages around `base`'s buffer page are intact, and
 * the buffer page itself past `extent` bytes is still zero. */
static bool canaries_ok(uint64_t base, uint64_t extent)
{
	const uint64_t *p = (const uint64_t *)(uintptr_t)base;
	const uint8_t *buf = (const uint8_t *)(uintptr_t)(base + 0x1000);

	for (int i = 0; i < 0x200; i++) {
		if (p[i] != CANARY || p[0x400 + i] != CANARY) {
			return false;
		}
	}
	for (uint64_t i = extent; i < 0x1000; i++) {
		if (buf[i]) {
			return false;
		}
	}
	return true;
}

/* One round of `kind`: vCPU 0 calls while the other rewrites, or the
 * other way round.  Returns false if the second vCPU never finished. */
static bool race_round(struct fuzzer *f, uint32_t kind, bool swap)
{
	uint32_t seq = race.seq + 1;
	unsigned long calls = f[0].done + f[1].done;
	unsigned long rewrites = race.rewrites;
	bool finished;

	race.rewriting = 0;
	race.stop = 0;
	race.role_swap = swap;
	race.task = kind;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	race.seq = seq;
	if (swap) {
		rewrite(f, kind);
	} else {
		if (WAIT_FOR(race.rewriting, WAIT_MS)) {
			call(f, kind);
		}
		race.stop = 1;
	}
	finished = WAIT_FOR(race.done_seq == seq, WAIT_MS);
	/* A round without a raced call or a rewrite raced nothing. */
	return finished && f[0].done + f[1].done > calls &&
	       race.rewrites > rewrites;
}

static uint64_t checksum(const uint8_t *p, const uint8_t *end)
{
	uint64_t h = 1469598103934665603ull;

	for (; p < end; p++) {
		h = (h ^ *p) * 1099511628211ull;
	}
	return h;
}

static unsigned long arg_num(const char *key, unsigned long dflt)
{
	const char *v = dt_bootarg(key);

	return v ? strtoul(v, NULL, 0) : dflt;
}

/* The buffer-rewriting rounds, each kind with each role on each vCPU. */
static void race_buffers(struct fuzzer *f)
{
	unsigned long calls = f[0].done + f[1].done;
	bool rtas_ok = true, vpa_ok = true;

	canaries_set(RACE_RTAS);
	canaries_set(RACE_VPA);
	race.rewrites = 0;
	for (int r = 0; r < 2 * RACE_ROUNDS; r++) {
		rtas_ok &= race_round(f, RACE_RTAS_ARGS, r & 1);
		vpa_ok &= race_round(f, RACE_VPA_SIZE, r & 1);
	}
	calls = f[0].done + f[1].done - calls;
	/* The RTAS buffer: 3 header words and 16 cells, nothing beyond. */
	report(rtas_ok && canaries_ok(RACE_RTAS, 12 + 4 * RTAS_MAX_CELLS),
	       "fuzz-race-rtas-buffer: KVMPPC_H_RTAS on a buffer whose token, "
	       "counts and cells another vCPU rewrites, both ways round: "
	       "nothing written past 76 bytes (rounds finished %d)", rtas_ok);
	/* The VPA: the hypervisor sets one flag byte at offset 9. */
	report(vpa_ok && canaries_ok(RACE_VPA, 16),
	       "fuzz-race-vpa-size: H_REGISTER_VPA on a VPA whose size "
	       "another vCPU rewrites, both ways round: nothing written past "
	       "its header (rounds finished %d)", vpa_ok);
	printf("fuzz: %lu calls on raced buffers, %lu rewrites\n", calls,
	       race.rewrites);
}

/* ---- the v-scsi adapter (issue 14) ------------------------------------- */

/* Window layout: CRQ page, IU page, then data pages, all onto scratch. */
#define VS_PAGES 32
#define VS_IU 0x1000ull
#define VS_SCRATCH (SCRATCH + 0x40000ul) /* clear of the RTAS buffers */

static bool vscsi_node(uint32_t *unit, uint32_t *liobn)
{
	int vdev = dt_path("/vdevice");
	int node;

	fdt_for_each_subnode(node, dt_fdt(), vdev) {
		const char *type = dt_prop_str(node, "device_type");
		const uint32_t *w;
		int len;

		w = dt_prop(node, "ibm,my-dma-window", &len);
		if (type && !strcmp(type, "vscsi") && w && len == 20 &&
		    dt_prop_u32(node, "reg", unit)) {
			*liobn = fdt32_to_cpu(w[0]);
			return true;
		}
	}
	return false;
}

static void vs_put(uint8_t *p, uint64_t v, int bytes)
{
	for (int i = 0; i < bytes; i++) {
		p[i] = (uint8_t)(v >> (8 * (bytes - 1 - i)));
	}
}

/* A random but plausible IU: mostly SRP_CMD with a known opcode. */
static uint32_t vs_iu(struct fuzzer *f, uint8_t *iu)
{
	static const uint8_t ops[] = { 0x00, 0x03, 0x08, 0x0a, 0x12, 0x1a,
				       0x1b, 0x25, 0x28, 0x2a, 0x35, 0x5a,
				       0x88, 0x8a, 0x91, 0x9e, 0xa0, 0xff };
	/* Mostly commands; logins, task management and foreign opcodes
	 * now and then (an SRP_I_LOGOUT only as one of 256 random ones). */
	static const uint8_t kinds[] = { 0x02, 0x02, 0x02, 0x02, 0x02, 0x00,
					 0x01, 0xc1 };
	uint64_t r = next(f);

	for (int i = 0; i < 256; i += 8) {
		vs_put(iu + i, next(f), 8);
	}
	iu[0] = (r & 15) < 8 ? kinds[r & 7] : (uint8_t)(r >> 8);
	if (iu[0] == 0x00) {
		vs_put(iu + 16, (r >> 16) & 1 ? 256 : next(f), 4);
	}
	iu[5] = (r >> 20) & 1 ? (uint8_t)((r >> 21) & 0x33) : 0;
	iu[6] = (uint8_t)((r >> 24) % 12);
	iu[7] = (uint8_t)((r >> 28) % 12);
	/* Target 0 (the disk) mostly, targets 1-3 (absent) or junk. */
	if ((r >> 32) & 3) {
		iu[20] = 0x80 | (uint8_t)((r >> 34) & 3 ? 0 : (r >> 36) & 3);
		iu[21] = 0;
		memset(iu + 22, 0, 6);
	}
	iu[31] = (r >> 38) & 3 ? 0 : iu[31];
	iu[32] = ops[(r >> 40) % sizeof(ops)];
	/* Transfer lengths small enough to copy quickly, now and then not. */
	if ((r >> 48) & 7) {
		iu[32 + 7] = 0;
		iu[32 + 8] &= 0x0f;
		iu[32 + 10] = 0;
		iu[32 + 11] = 0;
		iu[32 + 12] = 0;
		iu[32 + 13] &= 0x0f;
	}
	/* Descriptor addresses mostly inside the window's mapped pages. */
	if ((r >> 52) & 3) {
		vs_put(iu + 48, (next(f) % (VS_PAGES * 0x1000ull)), 8);
		vs_put(iu + 60, next(f) % 0x3000, 4);
		vs_put(iu + 68, (next(f) % (VS_PAGES * 0x1000ull)), 8);
	}
	return (r >> 56) & 7 ? 48 + (uint32_t)(next(f) % 209) :
			       (uint32_t)(next(f) % 0x200);
}

static bool vs_tur_after_login(uint32_t unit, uint8_t *crq, uint8_t *iu)
{
	bool ok;

	memset(crq, 0, 0x1000);
	memset(iu, 0, 256);
	vs_put(iu + 16, 256, 4);
	iu[25] = 6;
	hcall(H_SEND_CRQ, unit, 0x8001ull << 48 | 64, VS_IU);
	ok = iu[0] == 0xc0;
	memset(iu, 0, 256);
	iu[0] = 0x02;
	iu[20] = 0x80;
	hcall(H_SEND_CRQ, unit, 0x8001ull << 48 | 48, VS_IU);
	return ok && iu[0] == 0xc1 && iu[19] == 0;
}

static void fuzz_vscsi(struct fuzzer *f)
{
	unsigned long n = arg_num("vscsi", 20000), i;
	uint8_t *crq = (uint8_t *)VS_SCRATCH;
	uint8_t *iu = crq + 0x1000;
	uint32_t unit, liobn;
	unsigned long good;
	long rc;

	if (!vscsi_node(&unit, &liobn)) {
		return;
	}
	for (i = 0; i < VS_PAGES; i++) {
		hcall(H_PUT_TCE, liobn, i * 0x1000, (VS_SCRATCH + i * 0x1000) |
		      (i % 7 == 5 ? 1 : 3));
	}
	memset(crq, 0, 0x1000);
	report_hrc(hcall(H_REG_CRQ, unit, 0, 0x1000), H_SUCCESS,
		   "fuzz-vscsi-crq: H_REG_CRQ on the adapter");
	report(vs_tur_after_login(unit, crq, iu),
	       "fuzz-vscsi-login: logged in, TEST UNIT READY answered");
	f->bad = 0;
	f->done = 0;
	good = 0;
	for (i = 0; i < n; i++) {
		uint64_t r = next(f), hi;
		uint32_t len = vs_iu(f, iu);

		hi = (uint64_t)((r & 7) ? 0x80 : (uint8_t)(r >> 8)) << 56 |
		     (uint64_t)((r >> 3) & 3 ? 1 + ((r >> 5) & 1) :
				(uint8_t)(r >> 16)) << 48 | len;
		rc = hcall(H_SEND_CRQ, unit, hi,
			   (r >> 24) & 7 ? VS_IU : next(f) % 0x40000);
		tally(f, H_SEND_CRQ, rc);
		good += iu[0] == 0xc1 && iu[19] == 0;
		if ((i & 63) == 0) {
			memset(crq, 0, 0x1000);
		}
	}
	printf("fuzz: %lu v-scsi requests, %lu answered GOOD\n", n, good);
	report(f->bad == 0, "fuzz-vscsi-codes: %lu random SRP and MAD requests, "
	       "every return a PAPR code (%lu bad, first 0x%lx)", f->done,
	       f->bad, (unsigned long)f->first_bad);
	report(vs_tur_after_login(unit, crq, iu),
	       "fuzz-vscsi-alive: the adapter still logs in and answers");
	hcall(H_FREE_CRQ, unit);
	hcall(H_STUFF_TCE, liobn, 0, 0, VS_PAGES);
}

/* ---- the l-lan adapter (issue 13) -------------------------------------- */

#define LL_PAGES 16
#define LL_SCRATCH (SCRATCH + 0x80000ul) /* after the v-scsi pages */

static bool llan_node(uint32_t *unit)
{
	return dt_vdevice("network", unit) >= 0;
}

/* A descriptor to hurt: mostly in the window, sometimes not valid, odd,
 * long, outside it or on its read-only page. */
static uint64_t ll_bd(struct fuzzer *f)
{
	uint64_t r = next(f);
	uint64_t addr = (r >> 8) % (LL_PAGES * 0x1000 + 0x2000);
	uint64_t len = (r >> 32) & 0x1ffff;

	if ((r & 3) == 0) {
		addr &= ~0xfull;
		len = 16 + ((r >> 40) & 0x7f0);
	}
	if ((r & 0xf0) == 0x10) {
		addr = next(f);
	}
	return ((r & 0x700) ? LLAN_BD_VALID : 0) | ((r >> 11) & 1) << 62 |
	       (len & LLAN_BD_LEN_MASK) << LLAN_BD_LEN_SHIFT |
	       (addr & LLAN_BD_ADDR_MASK);
}

/* Register the adapter properly and send one broadcast. */
static bool ll_works(uint32_t unit)
{
	uint8_t *frame = (uint8_t *)(LL_SCRATCH + 3 * 0x1000);

	hcall(H_FREE_LOGICAL_LAN, unit);
	memset((void *)LL_SCRATCH, 0, 2 * 0x1000);
	if (hcall(H_REGISTER_LOGICAL_LAN, unit, 0, LLAN_BD(0x1000, 0x1000),
		  0x2000) != H_SUCCESS) {
		return false;
	}
	memset(frame, 0xff, 6);
	memset(frame + 6, 0x02, 6);
	frame[12] = 0x88;
	frame[13] = 0xb5;
	return hcall(H_ADD_LOGICAL_LAN_BUFFER, unit,
		     LLAN_BD(0x4000, 0x800)) == H_SUCCESS &&
	       hcall(H_SEND_LOGICAL_LAN, unit, LLAN_BD(0x3000, 64), 0, 0, 0,
		     0, 0, 0) == H_SUCCESS;
}

static void fuzz_llan(struct fuzzer *f)
{
	static const uint64_t calls[] = {
		H_REGISTER_LOGICAL_LAN, H_FREE_LOGICAL_LAN,
		H_ADD_LOGICAL_LAN_BUFFER, H_ADD_LOGICAL_LAN_BUFFERS,
		H_SEND_LOGICAL_LAN, H_MULTICAST_CTRL,
		H_CHANGE_LOGICAL_LAN_MAC, H_VIO_SIGNAL,
	};
	unsigned long n = arg_num("llan", 20000), i;
	uint32_t unit;
	long rc;

	if (!llan_node(&unit)) {
		return;
	}
	/* Page 9 read-only; the window's TCEs only onto scratch. */
	for (i = 0; i < LL_PAGES; i++) {
		hcall(H_PUT_TCE, unit, i * 0x1000, (LL_SCRATCH + i * 0x1000) |
		      (i == 9 ? 1 : 3));
	}
	report(ll_works(unit), "fuzz-llan-works: registered, sent a frame");
	f->bad = 0;
	f->done = 0;
	for (i = 0; i < n; i++) {
		uint64_t nr = calls[next(f) % (sizeof(calls) / sizeof(calls[0]))];
		uint64_t u = next(f) % 16 ? unit : next(f);
		uint64_t a[9];

		for (int j = 0; j < 9; j++) {
			a[j] = ll_bd(f);
		}
		if (nr == H_SEND_LOGICAL_LAN) {
			a[6] = next(f) % 8 ? 0 : next(f); /* continue token */
		} else if (nr == H_REGISTER_LOGICAL_LAN) {
			a[0] = next(f) % 4 ? 0 : a[0] & 0xffffffff;
			a[2] = next(f) % 4 ? 0x2000 : a[2] & 0xffffffff;
		} else if (nr == H_CHANGE_LOGICAL_LAN_MAC) {
			a[0] = next(f) & 0xffffffffffffull;
		} else if (nr == H_VIO_SIGNAL) {
			a[0] = next(f) % 3;
		}
		rc = hcall(nr, u, a[0], a[1], a[2], a[3], a[4], a[5], a[6],
			   a[7]);
		tally(f, nr, rc);
	}
	printf("fuzz: %lu logical LAN calls\n", n);
	report(f->bad == 0, "fuzz-llan-codes: %lu random logical LAN calls, "
	       "every return a PAPR code (%lu bad, first 0x%lx)", f->done,
	       f->bad, (unsigned long)f->first_bad);
	report(ll_works(unit),
	       "fuzz-llan-alive: the adapter still registers and sends");
	hcall(H_FREE_LOGICAL_LAN, unit);
	hcall(H_STUFF_TCE, unit, 0, 0, LL_PAGES);
}

void test_main(void)
{
	uint64_t mem = dt_ram_size();
	unsigned long count = arg_num("count", 100000);
	uint64_t seed = arg_num("seed", tb_now() | 1);
	int vcpus = cpu_count() >= 2 ? 2 : 1;
	const uint8_t *ro = (const uint8_t *)0x100;
	uint64_t before = checksum(ro, (const uint8_t *)__ro_end);
	unsigned long bad = 0, done = 0, set_mode = 0, ail_bad = 0;
	long first_bad = 0;
	uint64_t first_nr = 0;
	bool started = false;

	guest_mem = mem;
	printf("fuzz: seed %lu, %lu calls on %d vCPUs, memory 0x%lx\n", seed,
	       count, vcpus, mem);
	for (int i = 0; i < 2; i++) {
		fuzzers[i].rng = (seed + 0x9e3779b97f4a7c15ull * (uint64_t)i) | 1;
		fuzzers[i].rtas_buf = SCRATCH + SCRATCH_SIZE - 256 * (i + 1);
	}
	fuzzers[0].count = count;
	if (vcpus == 2) {
		fuzzers[1].count = count / 2;
		fuzzers[0].count = count - count / 2;
		started = report_rtas(cpu_start(1, second_vcpu, &fuzzers[1]),
				      RTAS_OUT_SUCCESS,
				      "fuzz-start-cpu: the second vCPU races");
	}
	fuzz_loop(&fuzzers[0], mem);
	if (started) {
		report(WAIT_FOR(race.done_seq == ~0u, WAIT_MS),
		       "fuzz-race-random: both vCPUs' random calls finished "
		       "(%lu + %lu)", fuzzers[0].done, fuzzers[1].done);
		race_buffers(fuzzers);
		race.task = RACE_STOP;
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		race.seq++;
	}
	for (int i = 0; i < vcpus; i++) {
		done += fuzzers[i].done;
		bad += fuzzers[i].bad;
		set_mode += fuzzers[i].set_mode_calls;
		ail_bad += fuzzers[i].ail_bad;
		if (fuzzers[i].bad && !first_bad) {
			first_bad = fuzzers[i].first_bad;
			first_nr = fuzzers[i].first_nr;
		}
	}
	printf("fuzz: %lu calls in all on %d vCPUs, %lu bad returns\n", done,
	       vcpus, bad);
	report(bad == 0, "fuzz-return-codes: %lu calls, every return a PAPR code "
	       "(%lu bad, first 0x%lx from hcall 0x%lx)", done, bad,
	       (unsigned long)first_bad, first_nr);
	report(set_mode > 0 && ail_bad == 0,
	       "fuzz-set-mode: %lu H_SET_MODE calls, no AIL but 0 and 3 "
	       "accepted (%lu were)", set_mode, ail_bad);
	/* Leave real-mode interrupts as the library expects them. */
	hcall(H_SET_MODE, 0, H_SET_MODE_RESOURCE_ADDR_TRANS_MODE, 0, 0);
	fuzz_vscsi(&fuzzers[0]);
	fuzz_llan(&fuzzers[0]);
	report(checksum(ro, (const uint8_t *)__ro_end) == before,
	       "fuzz-image-unchanged: code and constants");
}
