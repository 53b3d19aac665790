/*
 * The performance monitor and the other OS-level SPRs a partition owns
 * (issue 20).  QEMU's -M pseries (the reference run) and PowerVM give a
 * partition the PMU, so Linux's perf and code that saves and restores
 * every OS-visible SPR work there:
 * - with MMCR0 unfrozen, PMC5 counts the instructions of a loop of known
 *   length (ISA 3.0 Book III 9.4: PMC5 counts instructions completed,
 *   PMC6 cycles);
 * - every OS-level SPR it may write (SPRGs 2-3, AMR/IAMR/UAMOR, FSCR,
 *   DSCR, TAR, PSPB, VRSAVE, PIDR, MMCR0/1/2/A, PMC1-6, SIAR, SDAR,
 *   SIER) keeps the value written across an H_CEDE, and DPDES can be
 *   read (0: nothing sends this partition privileged doorbells).
 */
#include "hv/abi/hcall.h"
#include "tests/guest/lib/console.h"
#include "tests/guest/lib/cpu.h"
#include "tests/guest/lib/guest.h"
#include "tests/guest/lib/hcall.h"
#include "tests/guest/lib/ppc.h"
#include "tests/guest/lib/report.h"
#include "tests/guest/lib/timebase.h"

const char test_name[] = "pmu";


#define LOOP_INSNS 3 /* addi, cmpd, bne */
#define LOOPS 100000

/* Count the instructions of LOOPS iterations of a 3-instruction loop. */
static void test_count_instructions(void)
{
	uint64_t before, after, n = LOOPS, delta;

	mtspr(SPRN_MMCR0, MMCR0_FC);
	mtspr(SPRN_PMC5, 0);
	mtspr(SPRN_MMCR0, 0); /* unfreeze: PMC5 counts instructions */
	before = mfspr(SPRN_PMC5);
	__asm__ volatile("1: addi %0,%0,-1\n"
			 "cmpdi %0,0\n"
			 "bne 1b"
			 : "+r"(n)
			 :
			 : "cr0");
	after = mfspr(SPRN_PMC5);
	mtspr(SPRN_MMCR0, MMCR0_FC);
	delta = (uint32_t)(after - before);
	printf("pmu: PMC5 counted %lu instructions for a loop of %u\n", delta,
	       LOOPS * LOOP_INSNS);
	report(delta >= LOOPS * LOOP_INSNS &&
	       delta < LOOPS * LOOP_INSNS + LOOPS,
	       "pmu PMC5 counts a loop's instructions (%lu for %u)", delta,
	       LOOPS * LOOP_INSNS);
	report(mfspr(SPRN_PMC5) == after || mfspr(SPRN_PMC5) - after < 64,
	       "pmu PMC5 stops when MMCR0[FC] is set");
}

struct spr_val {
	const char *name;
	int spr;
	uint64_t val;
};

#define SPR(n, v) { #n, SPRN_##n, v }

/* mfspr/mtspr need the number in the instruction: one case each. */
#define SPR_CASES(X)                                                       \
	X(SPRG2) X(SPRG3) X(AMR) X(IAMR) X(UAMOR) X(FSCR) X(DSCR) X(TAR)   \
	X(PSPB) X(VRSAVE) X(MMCR1) X(MMCR2) X(MMCRA) X(PMC1) X(PMC2)       \
	X(PMC3) X(PMC4) X(PMC5) X(PMC6) X(SIAR) X(SDAR) X(SIER) X(MMCR0)

static uint64_t spr_get(int spr)
{
	switch (spr) {
#define X(n)              \
	case SPRN_##n:    \
		return mfspr(SPRN_##n);
		SPR_CASES(X)
#undef X
	}
	return ~0ull;
}

static void spr_set(int spr, uint64_t v)
{
	switch (spr) {
#define X(n)                       \
	case SPRN_##n:             \
		mtspr(SPRN_##n, v); \
		break;
		SPR_CASES(X)
#undef X
	}
}

static void test_sprs_across_cede(void)
{
	/* Values every implementation keeps (reserved bits left 0). */
	struct spr_val sprs[] = {
		SPR(SPRG2, 0x1122334455667788ull),
		SPR(SPRG3, 0x8877665544332211ull),
		SPR(AMR, 0x3000000000000000ull),
		SPR(IAMR, 0x1000000000000000ull),
		SPR(UAMOR, 0x3000000000000000ull),
		SPR(FSCR, 0x104), /* TAR, DSCR for problem state */
		SPR(DSCR, 0x7),
		SPR(TAR, 0x123450),
		SPR(PSPB, 0x1234),
		SPR(VRSAVE, 0xa5a5a5a5),
		SPR(MMCR1, 0x00000000f2f4f6f8ull),
		SPR(MMCR2, 0),
		SPR(MMCRA, 0),
		SPR(PMC1, 0x11),
		SPR(PMC2, 0x22),
		SPR(PMC3, 0x33),
		SPR(PMC4, 0x44),
		SPR(PMC5, 0x55),
		SPR(PMC6, 0x66),
		SPR(SIAR, 0x4000),
		SPR(SDAR, 0x8000),
		SPR(SIER, 0),
		SPR(MMCR0, MMCR0_FC), /* last: counters frozen, nothing moves */
	};
	unsigned n = sizeof(sprs) / sizeof(sprs[0]);
	unsigned bad = 0;
	uint64_t dpdes;

	for (unsigned i = 0; i < n; i++) {
		spr_set(sprs[i].spr, sprs[i].val);
	}
	irq_disable();
	mtdec(tb_from_ms(20));
	report_hrc(hcall(H_CEDE), H_SUCCESS, "pmu H_CEDE");
	irq_disable();
	mtdec(dec_max());
	for (unsigned i = 0; i < n; i++) {
		uint64_t got = spr_get(sprs[i].spr);

		if (got != sprs[i].val) {
			bad++;
			printf("pmu: %s: wrote 0x%lx, read 0x%lx after H_CEDE\n",
			       sprs[i].name, sprs[i].val, got);
		}
	}
	report(bad == 0, "pmu %u OS-level SPRs keep their values across "
	       "H_CEDE (%u changed)", n, bad);
	dpdes = mfspr(SPRN_DPDES);
	report(dpdes == 0, "pmu DPDES reads 0 (0x%lx)", dpdes);
	/* Leave them as the library expects. */
	mtspr(SPRN_AMR, 0);
	mtspr(SPRN_IAMR, 0);
	mtspr(SPRN_UAMOR, 0);
	mtspr(SPRN_FSCR, 0);
}

void test_main(void)
{
	test_count_instructions();
	test_sprs_across_cede();
}
