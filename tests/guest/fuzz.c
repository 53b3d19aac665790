/*
 * Hypercall fuzzer, run inside an lparvisor partition: seeded and
 * reproducible (the seed is printed first; bootargs seed=N count=N), it
 * issues hcalls with random and boundary values -- numbers in and out of
 * range, misaligned, addresses at the partition's edges, in the
 * hypervisor's ranges, huge, wrapping -- and RTAS calls with random
 * tokens and counts.  Every return code must be a PAPR code, and the
 * payload's own code and constants must be unchanged afterwards.
 *
 * Calls that would legitimately end or redirect the partition are left
 * out: H_SET_MODE (endianness), H_SET_SPRG0 (the library's per-vCPU
 * pointer), H_SIGNAL_SYS_RESET, H_WATCHDOG start, RTAS power-off,
 * system-reboot, stop-self and ibm,os-term.  Memory-writing calls get
 * addresses in a scratch area or outside the partition, never in the
 * image.
 */
#include "hv/abi/hcall.h"
#include "hv/abi/rtas.h"
#include "hv/lib/string.h"
#include "tests/guest/lib/console.h"
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

static uint64_t rng;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static const uint64_t hcalls[] = {
	H_REMOVE, H_ENTER, H_READ, H_PROTECT, H_GET_TCE, H_PUT_TCE,
	H_SET_DABR, H_PAGE_INIT, H_LOGICAL_CI_LOAD, H_LOGICAL_CI_STORE,
	H_GET_TERM_CHAR, H_EOI, H_CPPR, H_IPI, H_IPOLL, H_XIRR,
	H_REGISTER_VPA, H_CONFER, H_PROD, H_VIO_SIGNAL, H_SET_XDABR,
	H_GET_CPU_CHARACTERISTICS, H_XIRR_X, H_RANDOM, H_CLEAN_SLB,
	H_REGISTER_PROC_TBL, KVMPPC_H_RTAS, 0x7, 0x3fc, 0x1000, 0xf004,
};

/* A guest address chosen to hurt: edges, hypervisor ranges, huge. */
static uint64_t addr(uint64_t mem)
{
	static const uint64_t fixed[] = {
		0, 0x20000000, 0x30000000, 0x6030203180000ul, 1ul << 60,
		1ul << 63, ~0ul, ~0ul - 7, 0x1000000000000ul,
	};

	switch (next() % 6) {
	case 0:
		return fixed[next() % (sizeof(fixed) / sizeof(fixed[0]))];
	case 1:
		return mem - (next() % 64);
	case 2:
		return mem + (next() % 0x10000);
	case 3:
		return SCRATCH + (next() % SCRATCH_SIZE);
	case 4:
		return mem + (next() & 0xffffffffffull);
	default:
		return next();
	}
}

/*
 * Calls that write guest memory must not hit the image (below SCRATCH) or
 * the device tree and RTAS area (the top 4 MiB): such addresses are moved
 * into the scratch area; addresses outside the partition stay as they are.
 */
static void aim(uint64_t nr, uint64_t *arg, uint64_t mem)
{
	bool writes = nr == H_PAGE_INIT || nr == H_LOGICAL_CI_STORE ||
		      nr == H_REGISTER_VPA || nr == H_REGISTER_PROC_TBL;

	if (!writes) {
		return;
	}
	for (int j = 0; j < 6; j++) {
		if (arg[j] < SCRATCH || (arg[j] < mem && arg[j] >= mem - 0x400000)) {
			arg[j] = SCRATCH + arg[j] % SCRATCH_SIZE;
		}
	}
}

static bool papr_code(long rc)
{
	return (rc >= H_MULTI_THREADS_ACTIVE && rc <= 0) ||
	       (rc >= 0 && rc <= H_CONTINUE);
}

/* An RTAS argument buffer with a random token that cannot end us. */
static uint64_t rtas_buffer(void)
{
	static const uint32_t forbid[] = { RTAS_POWER_OFF, RTAS_SYSTEM_REBOOT,
					   RTAS_STOP_SELF, RTAS_IBM_OS_TERM,
					   RTAS_START_CPU };
	uint32_t *b = (uint32_t *)(SCRATCH + SCRATCH_SIZE - 256);
	uint32_t token = 0x2000 + (uint32_t)(next() % 0x30);

	for (unsigned i = 0; i < sizeof(forbid) / sizeof(forbid[0]); i++) {
		if (token == forbid[i]) {
			token = 0x2001;
		}
	}
	b[0] = __builtin_bswap32(token);
	b[1] = __builtin_bswap32((uint32_t)(next() % 20));
	b[2] = __builtin_bswap32((uint32_t)(next() % 20));
	for (int i = 3; i < 32; i++) {
		b[i] = (uint32_t)next();
	}
	return (uint64_t)(uintptr_t)b;
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

void test_main(void)
{
	uint64_t mem = dt_ram_size();
	unsigned long count = arg_num("count", 100000);
	uint64_t seed = arg_num("seed", tb_now() | 1);
	const uint8_t *ro = (const uint8_t *)0x100;
	uint64_t before = checksum(ro, (const uint8_t *)__ro_end);
	unsigned long bad = 0, done = 0;
	long first_bad = 0;
	uint64_t first_nr = 0;

	rng = seed;
	printf("fuzz: seed %lu, %lu calls, memory 0x%lx\n", seed, count, mem);
	for (unsigned long i = 0; i < count; i++) {
		uint64_t nr = hcalls[next() % (sizeof(hcalls) / sizeof(hcalls[0]))];
		uint64_t arg[6];
		long rc;

		if (next() % 16 == 0) {
			nr = next() % 0x500; /* anything, misaligned too */
		}
		for (int j = 0; j < 6; j++) {
			arg[j] = (next() & 1) ? addr(mem) : next() % 32;
		}
		if (nr == KVMPPC_H_RTAS) {
			arg[0] = (next() & 3) ? rtas_buffer() : addr(mem);
		}
		if (nr == H_SET_MODE || nr == H_SET_SPRG0 || nr == H_CEDE ||
		    nr == H_SIGNAL_SYS_RESET || nr == H_WATCHDOG ||
		    nr == H_PUT_TERM_CHAR) {
			continue;
		}
		aim(nr, arg, mem);
		rc = hcall(nr, arg[0], arg[1], arg[2], arg[3], arg[4], arg[5]);
		done++;
		if (!papr_code(rc)) {
			if (!bad++) {
				first_bad = rc;
				first_nr = nr;
			}
		}
	}
	report(bad == 0, "fuzz-return-codes: %lu calls, every return a PAPR code "
	       "(%lu bad, first 0x%lx from hcall 0x%lx)", done, bad,
	       (unsigned long)first_bad, first_nr);
	report(checksum(ro, (const uint8_t *)__ro_end) == before,
	       "fuzz-image-unchanged: code and constants");
}
