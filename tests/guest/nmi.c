/*
 * System reset as a partition sees it (issue 20).  An injected system
 * reset (H_SIGNAL_SYS_RESET here; lparvisor's watchdog dump uses the same
 * path) arrives at real address 0x100 with translation off even when the
 * partition asked for AIL 3 and runs with its MMU on: the architecture
 * never relocates system reset (ISA 3.0 Book III 7.5, LPCR[AIL]), and
 * QEMU's -M pseries (the reference run) does the same.  A vCPU waiting in
 * H_CEDE wakes for it at once.  With the MMU on, DPDES also reads 0
 * (lparvisor emulates the read through the partition's radix tree).
 * Needs two vCPUs.
 */
#include "hv/abi/hcall.h"
#include "tests/guest/lib/console.h"
#include "tests/guest/lib/cpu.h"
#include "tests/guest/lib/guest.h"
#include "tests/guest/lib/hcall.h"
#include "tests/guest/lib/ppc.h"
#include "tests/guest/lib/report.h"
#include "tests/guest/lib/rtas.h"
#include "tests/guest/lib/timebase.h"

const char test_name[] = "nmi";

#define WAIT_MS 2000
#define SPRN_DPDES 176
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

void test_main(void)
{
	exc_set_handler(0x100, on_sreset);
	test_sreset_not_relocated();
	test_sreset_wakes_cede();
}
