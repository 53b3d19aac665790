/*
 * System reset as a partition sees it (issue 20).  An injected system
 * reset (H_SIGNAL_SYS_RESET here; lparvisor's watchdog dump uses the same
 * path) arrives at real address 0x100 with translation off even when the
 * partition asked for AIL 3 and runs with its MMU on: the architecture
 * never relocates system reset (ISA 3.0 Book III 7.5, LPCR[AIL]), and
 * QEMU's -M pseries (the reference run) does the same.  A vCPU waiting in
 * H_CEDE wakes for it at once.  With the MMU on, DPDES also reads 0
 * (lparvisor emulates the read through the partition's radix tree).
 *
 * Machine check: after RTAS ibm,nmi-register (FWNMI, with the library's
 * own 0x100 and 0x200 vectors as handlers), a real-mode load just past
 * the partition's memory arrives as a machine check with SRR0 at the
 * load, SRR1[42] (load/store) set and DAR the address.  Under lparvisor
 * (PAPR FWNMI, as QEMU with KVM delivers it) r3 holds an RTAS error log in
 * the RTAS area, whose first doubleword is the r3 of the load and whose
 * "MC" section names an uncorrectable error at that address; the handler
 * restores r3 and gives the log back with ibm,nmi-interlock.  The
 * reference run checks the registration only: QEMU refuses it without
 * firmware's /rtas/linux,rtas-base, and a load past RAM in its hash real
 * mode does not fault.  Needs two vCPUs.
 */
#include "hv/abi/hcall.h"
#include "tests/guest/lib/console.h"
#include "tests/guest/lib/cpu.h"
#include "tests/guest/lib/dt.h"
#include "tests/guest/lib/guest.h"
#include "tests/guest/lib/hcall.h"
#include "tests/guest/lib/ppc.h"
#include "tests/guest/lib/report.h"
#include "tests/guest/lib/rtas.h"
#include "tests/guest/lib/timebase.h"

const char test_name[] = "nmi";

#define WAIT_MS 2000
#define CEDE_DEC_MS 5000 /* the ceded vCPU's own decrementer: far away */

/* What the 0x100 handler saw, per vCPU. */
struct sreset_seen {
	volatile uint32_t count;
	uint64_t srr0, srr1, msr;
	uint64_t tb;
};

static struct sreset_seen seen[MAX_CPUS];
static volatile uint32_t ceding;
static volatile uint64_t cede_us;

static void on_sreset(struct regs *r)
{
	struct sreset_seen *s = &seen[cpu_self()->index];

	s->srr0 = r->nip;
	s->srr1 = r->msr;
	s->msr = mfmsr();
	s->tb = tb_now();
	__atomic_fetch_add(&s->count, 1, __ATOMIC_RELEASE);
}

/*
 * A radix identity map for PID 0 (ISA 3.0 radix tree: 52-bit, a 13-bit
 * root pointing at one 512-entry level with a 1 GiB leaf mapping EA 0 to
 * guest real 0, read/write/execute), so the vCPU can run with MSR[IR|DR].
 */
#define RADIX_VALID (1ull << 63)
#define RADIX_LEAF (1ull << 62)
#define RADIX_RTS_52 ((2ull << 61) | (5ull << 5))
#define PTE_RC_RWX (0x100 | 0x080 | 0x4 | 0x2 | 0x1)

static be64 radix_root[1 << 13] __aligned(8 << 13);
static be64 radix_pud[1 << 9] __aligned(8 << 9);
static be64 proc_table[512] __aligned(4096);

static long map_identity(void)
{
	radix_pud[0] = cpu_to_be64(RADIX_VALID | RADIX_LEAF | PTE_RC_RWX);
	radix_root[0] = cpu_to_be64(RADIX_VALID |
				    (uint64_t)(uintptr_t)radix_pud | 9);
	proc_table[0] = cpu_to_be64(RADIX_RTS_52 |
				    (uint64_t)(uintptr_t)radix_root | 13);
	__asm__ volatile("ptesync" ::: "memory");
	mtspr(SPRN_PIDR, 0);
	return hcall(H_REGISTER_PROC_TBL,
		     PROC_TABLE_NEW | PROC_TABLE_RADIX | PROC_TABLE_GTSE,
		     (uint64_t)(uintptr_t)proc_table, 0, 0);
}

static void mtmsrd_full(uint64_t msr)
{
	__asm__ volatile("mtmsrd %0\nisync" ::"r"(msr) : "memory");
}

/* Signal a system reset to ourselves with AIL 3 and the MMU on. */
static void test_sreset_not_relocated(void)
{
	struct sreset_seen *s = &seen[0];
	uint64_t msr = mfmsr(), dpdes;
	long rc;

	if (!report_hrc(map_identity(), H_SUCCESS,
			"nmi radix identity map registered")) {
		return;
	}
	report_hrc(hcall(H_SET_MODE, 3, H_SET_MODE_RESOURCE_ADDR_TRANS_MODE,
			 0, 0),
		   H_SUCCESS, "nmi H_SET_MODE AIL=3");
	irq_disable(); /* nothing else may interrupt: AIL 3 has no handler */
	mtmsrd_full(msr | MSR_IR | MSR_DR);
	/* Through the partition's radix tree (lparvisor emulates it). */
	dpdes = mfspr(SPRN_DPDES);
	rc = hcall(H_SIGNAL_SYS_RESET, cpus[0].hwid);
	WAIT_FOR(s->count > 0, WAIT_MS);
	mtmsrd_full(msr);
	hcall(H_SET_MODE, 0, H_SET_MODE_RESOURCE_ADDR_TRANS_MODE, 0, 0);
	report(dpdes == 0, "nmi DPDES reads 0 with the MMU on (0x%lx)", dpdes);
	report_hrc(rc, H_SUCCESS, "nmi H_SIGNAL_SYS_RESET to self");
	if (!report(s->count == 1, "nmi system reset taken at 0x100 (%u)",
		    s->count)) {
		return;
	}
	report(!(s->msr & (MSR_IR | MSR_DR)),
	       "nmi system reset handler runs with translation off despite "
	       "AIL 3 (MSR 0x%lx)", s->msr);
	report((s->srr1 & (MSR_IR | MSR_DR)) == (MSR_IR | MSR_DR),
	       "nmi SRR1 holds the interrupted MSR[IR|DR] (0x%lx)", s->srr1);
	report(s->srr0 > 0x100 && s->srr0 < 0x1000000,
	       "nmi SRR0 is the interrupted code (0x%lx)", s->srr0);
}

/* Secondary: cede with a far decrementer until a system reset comes. */
static void cede_for_sreset(void *arg)
{
	uint64_t t0;

	(void)arg;
	irq_disable();
	mtdec(tb_from_ms(CEDE_DEC_MS));
	ceding = 1;
	t0 = tb_now();
	while (!seen[1].count && tb_now() - t0 < tb_from_ms(2 * CEDE_DEC_MS)) {
		hcall(H_CEDE);
		irq_disable();
	}
	cede_us = tb_to_us(tb_now() - t0);
	mtdec(dec_max());
}

static void test_sreset_wakes_cede(void)
{
	uint64_t t0;

	if (cpu_count() < 2) {
		report(false, "nmi needs two vCPUs, found %d", cpu_count());
		return;
	}
	if (!report_rtas(cpu_start(1, cede_for_sreset, NULL),
			 RTAS_OUT_SUCCESS, "nmi start-cpu vCPU 1")) {
		return;
	}
	WAIT_FOR(ceding, WAIT_MS);
	delay_us(20000); /* let it reach H_CEDE */
	t0 = tb_now();
	report_hrc(hcall(H_SIGNAL_SYS_RESET, cpus[1].hwid), H_SUCCESS,
		   "nmi H_SIGNAL_SYS_RESET to a ceded vCPU");
	WAIT_FOR(seen[1].count > 0, WAIT_MS);
	if (report(seen[1].count > 0, "nmi ceded vCPU takes the system reset "
		   "within %u ms", WAIT_MS)) {
		printf("nmi: ceded vCPU took it after %lu us\n",
		       tb_to_us(seen[1].tb - t0));
	}
	report(seen[1].count > 0 && !(seen[1].msr & (MSR_IR | MSR_DR)),
	       "nmi ceded vCPU's handler at 0x100 in real mode");
}

/* What the 0x200 handler saw. */
static struct {
	volatile uint32_t count;
	uint64_t srr0, srr1, dar, msr, r3;
	uint32_t insn;
	bool log_seen;       /* r3 pointed into the RTAS area */
	uint64_t saved_r3;   /* the log's first doubleword */
	uint8_t version, byte1;
	uint16_t sect_id;
	uint8_t error_type, sub_err_type;
	uint64_t log_ea;
	int interlock;       /* ibm,nmi-interlock status */
} mc;

#define MARKER_R3 0x1234abcd5678ull
/* The MC section: past the saved r3, the RTAS log and the v6 header. */
#define LOG_SECT 32

static uint64_t rtas_base, rtas_size;

static void on_machine_check(struct regs *r)
{
	uint64_t log = r->gpr[3];

	mc.srr0 = r->nip;
	mc.srr1 = r->msr;
	mc.dar = mfspr(SPRN_DAR);
	mc.msr = mfmsr();
	mc.r3 = log;
	mc.insn = *(volatile uint32_t *)(uintptr_t)r->nip;
	if (rtas_size && log >= rtas_base && log + 8 + 64 <= rtas_base + rtas_size) {
		const uint8_t *p = (const uint8_t *)(uintptr_t)log;

		mc.log_seen = true;
		mc.saved_r3 = get_be64(p);
		mc.version = p[8];
		mc.byte1 = p[9];
		mc.sect_id = (uint16_t)(p[LOG_SECT] << 8 | p[LOG_SECT + 1]);
		/* Past the section header and fru_id, proc_id. */
		mc.error_type = p[LOG_SECT + 16];
		mc.sub_err_type = p[LOG_SECT + 17];
		mc.log_ea = get_be64(p + LOG_SECT + 24);
		r->gpr[3] = mc.saved_r3; /* FWNMI: the handler restores r3 */
		mc.interlock = rtas_call(rtas_token("ibm,nmi-interlock"), 0, 1,
					 NULL);
	}
	r->nip += 4; /* past the load: its target register stays as it was */
	__atomic_fetch_add(&mc.count, 1, __ATOMIC_RELEASE);
}

static void test_machine_check(void)
{
	uint64_t past = dt_ram_size();
	int node = dt_path("/rtas");
	uint32_t v32;
	uint64_t loaded = 0x5a5a, r3_after;
	int rc;

	if (dt_prop_u32(node, "linux,rtas-base", &v32)) {
		rtas_base = v32;
	}
	if (dt_prop_u32(node, "rtas-size", &v32)) {
		rtas_size = v32;
	}
	report_rtas(rtas_call(rtas_token("ibm,nmi-register"), 2, 1, NULL,
			      0x100, 32u << 20),
		    RTAS_OUT_PARAM_ERROR,
		    "nmi ibm,nmi-register handler at 32 MiB refused");
	rc = rtas_call(rtas_token("ibm,nmi-register"), 2, 1, NULL, 0x100, 0x200);
	/*
	 * QEMU answers -3 (not supported) when its tree has no
	 * /rtas/linux,rtas-base, which only firmware that instantiates RTAS
	 * writes: a -bios payload gets the plain 0x200 there.
	 */
	if (!report_rtas(rc, dt_on_lparvisor() ? RTAS_OUT_SUCCESS :
						 RTAS_OUT_NOT_SUPPORTED,
			 "nmi ibm,nmi-register")) {
		return;
	}
	report_rtas(rtas_call(rtas_token("ibm,nmi-interlock"), 0, 1, NULL),
		    RTAS_OUT_PARAM_ERROR,
		    "nmi ibm,nmi-interlock without a machine check");
	if (!dt_on_lparvisor()) {
		/*
		 * QEMU 7.2's -M pseries under TCG: this payload runs in hash
		 * real mode, where a load past RAM neither faults nor machine
		 * checks, so the reference run stops here.
		 */
		return;
	}
	exc_set_handler(0x200, on_machine_check);
	/* r3 = a marker at the load, as the log must save it. */
	__asm__ volatile("mr 3,%3\n\tld %0,0(%2)\n\tmr %1,3"
			 : "+&r"(loaded), "=&r"(r3_after)
			 : "b"(past), "r"(MARKER_R3)
			 : "r3", "memory");
	report(mc.count == 1, "nmi load past memory: machine check (%u)",
	       mc.count);
	if (!mc.count) {
		return;
	}
	report(mc.insn >> 26 == 58, "nmi SRR0 at the load (0x%lx: 0x%08x)",
	       mc.srr0, mc.insn);
	report(mc.srr1 & (1ull << 21), "nmi SRR1[42] load/store (0x%lx)",
	       mc.srr1);
	report(mc.dar == past, "nmi DAR 0x%lx, the address 0x%lx", mc.dar,
	       past);
	report(!(mc.msr & (MSR_IR | MSR_DR)), "nmi handler in real mode");
	report(r3_after == MARKER_R3, "nmi r3 as before the load (0x%lx)",
	       r3_after);
	report(loaded == 0x5a5a, "nmi the failed load wrote nothing");
	report(mc.log_seen, "nmi FWNMI r3 0x%lx in the RTAS area 0x%lx+0x%lx",
	       mc.r3, rtas_base, rtas_size);
	report(mc.saved_r3 == MARKER_R3, "nmi log saved r3 (0x%lx)",
	       mc.saved_r3);
	report(mc.version == 6 && (mc.byte1 & 0x04),
	       "nmi log version 6 with an extended log (%u, 0x%x)", mc.version,
	       mc.byte1);
	report(mc.sect_id == 0x4d43 && mc.error_type == 0 &&
	       (mc.sub_err_type & 0x47) == 0x43,
	       "nmi log MC section: UE at a load/store, address given "
	       "(0x%x, %u, 0x%x)", mc.sect_id, mc.error_type, mc.sub_err_type);
	report(mc.log_ea == past, "nmi log effective address 0x%lx",
	       mc.log_ea);
	report_rtas(mc.interlock, RTAS_OUT_SUCCESS, "nmi ibm,nmi-interlock");
}

static volatile uint32_t fwnmi_sreset_count;
static uint64_t fwnmi_sreset_msr;

static void on_fwnmi_sreset(struct regs *r)
{
	(void)r;
	fwnmi_sreset_msr = mfmsr();
	__atomic_fetch_add(&fwnmi_sreset_count, 1, __ATOMIC_RELEASE);
}

/*
 * With FWNMI registered, a system reset goes to the registered handler
 * (QEMU's spapr_do_system_reset_on_cpu jumps there too): here the
 * library's 0x300 stub, so the handler knows where it came in.
 */
static void test_fwnmi_sreset(void)
{
	int token = rtas_token("ibm,nmi-register");
	uint32_t seen0 = seen[0].count;

	if (!dt_on_lparvisor()) {
		return; /* QEMU refuses the registration (above) */
	}
	exc_set_handler(0x300, on_fwnmi_sreset);
	report_rtas(rtas_call(token, 2, 1, NULL, 0x300, 0x200),
		    RTAS_OUT_SUCCESS, "nmi ibm,nmi-register system reset at 0x300");
	report_hrc(hcall(H_SIGNAL_SYS_RESET, cpus[0].hwid), H_SUCCESS,
		   "nmi H_SIGNAL_SYS_RESET with FWNMI");
	WAIT_FOR(fwnmi_sreset_count > 0, WAIT_MS);
	report(fwnmi_sreset_count == 1 && seen[0].count == seen0,
	       "nmi system reset at the FWNMI handler, not 0x100 (%u, %u)",
	       fwnmi_sreset_count, seen[0].count - seen0);
	report(!(fwnmi_sreset_msr & (MSR_IR | MSR_DR)),
	       "nmi FWNMI system reset handler in real mode");
	rtas_call(token, 2, 1, NULL, 0x100, 0x200);
	exc_set_handler(0x300, NULL);
}

void test_main(void)
{
	test_machine_check();
	exc_set_handler(0x100, on_sreset);
	test_sreset_not_relocated();
	test_fwnmi_sreset();
	test_sreset_wakes_cede();
}
