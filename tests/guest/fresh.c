/*
 * A partition boots on registers a fresh machine gives, not on those of
 * its previous life (issue 20).  The payload first checks that every
 * register an OS may write without trapping, and that no firmware sets
 * for it, reads as QEMU's -M pseries gives it after reset (the reference
 * run: zero): SPRG2-3, AMR, IAMR, UAMOR, FSCR, DSCR, TAR, VRSAVE, PSPB,
 * the performance monitor (MMCR0 frozen, the rest zero), the 64 VSRs
 * (FPRs and VRs), FPSCR, VSCR and SLB entries 1-3.  Then it
 * writes every one of them, and with bootargs `reboot` leaves by RTAS
 * system-reboot (the partition restarts with on-reboot "restart", and the
 * next life checks again), else powers off.  SPRG0 and SPRG1 belong to
 * the library (its per-vCPU pointer and interrupt scratch); SLB entry 0 is
 * left alone, as hash real mode may use it.
 */
#include "hv/abi/hcall.h"
#include "tests/guest/lib/console.h"
#include "tests/guest/lib/dt.h"
#include "tests/guest/lib/guest.h"
#include "tests/guest/lib/ppc.h"
#include "tests/guest/lib/report.h"
#include "tests/guest/lib/rtas.h"

const char test_name[] = "fresh";


#define MSR_FP_VEC_VSX 0x2802000ull /* FP, VEC (bit 38), VSX (bit 40) */
#define DIRTY 0x5a5a0000a5a5ull

struct spr_check {
	const char *name;
	uint64_t got;
};

#define VSR_ALL "0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20," \
	"21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,"  \
	"42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63"

static void fp_vec_on(void)
{
	__asm__ volatile("mtmsrd %0" ::"r"(mfmsr() | MSR_FP_VEC_VSX)
			 : "memory");
	__asm__ volatile("isync" ::: "memory");
}

/* OR of both doublewords of every VSR; then FPSCR and VSCR. */
static void read_fp_vec(uint64_t *vsr, uint64_t *fpscr, uint64_t *vscr)
{
	uint64_t acc, t, hi;

	__asm__ volatile(".machine push\n.machine power9\n"
			 "li %0,0\n"
			 ".irp n," VSR_ALL "\n"
			 "mfvsrd %1,\\n\nor %0,%0,%1\n"
			 "mfvsrld %1,\\n\nor %0,%0,%1\n"
			 ".endr\n"
			 ".machine pop"
			 : "=&r"(acc), "=&r"(t));
	*vsr = acc;
	__asm__ volatile(".machine push\n.machine power9\n"
			 "mffs 0\nmfvsrd %0,0\n"
			 "mfvscr 0\nmfvsrld %1,32\nmfvsrd %2,32\n"
			 ".machine pop"
			 : "=&r"(*fpscr), "=&r"(t), "=&r"(hi)
			 :
			 : "vs0", "vs32");
	*vscr = t | hi;
}

static void dirty_fp_vec(void)
{
	uint64_t v = DIRTY;

	__asm__ volatile(".machine push\n.machine power9\n"
			 ".irp n," VSR_ALL "\n"
			 "mtvsrdd \\n,%0,%0\n"
			 ".endr\n"
			 "mtvscr 0\n"      /* VSCR[SAT] from word 3 */
			 "li %0,3\nmtvsrd 0,%0\n"
			 "mtfsf 0xff,0,1,0\n" /* FPSCR[RN] = 3 */
			 ".machine pop"
			 : "+&r"(v)
			 :
			 : "memory");
}

static uint64_t slb_esid(uint64_t index)
{
	uint64_t v;

	__asm__ volatile("slbmfee %0,%1" : "=r"(v) : "r"(index));
	return v;
}

static void slb_write(uint64_t index)
{
	/* ESID 0x10 (256 MiB segment 16), valid (bit 27), slot `index`. */
	uint64_t rb = (0x10ull << 28) | (1ull << 27) | index;
	uint64_t rs = 0x400ull << 12; /* some VSID, Kp */

	__asm__ volatile("slbmte %0,%1\nisync" ::"r"(rs), "r"(rb) : "memory");
}

void test_main(void)
{
	struct spr_check sprs[] = {
		{ "SPRG2", mfspr(SPRN_SPRG2) },
		{ "SPRG3", mfspr(SPRN_SPRG3) },
		{ "AMR", mfspr(SPRN_AMR) },
		{ "IAMR", mfspr(SPRN_IAMR) },
		{ "UAMOR", mfspr(SPRN_UAMOR) },
		{ "FSCR", mfspr(SPRN_FSCR) },
		{ "DSCR", mfspr(SPRN_DSCR) },
		{ "TAR", mfspr(SPRN_TAR) },
		{ "VRSAVE", mfspr(SPRN_VRSAVE) },
		{ "PSPB", mfspr(SPRN_PSPB) },
		{ "MMCR1", mfspr(SPRN_MMCR1) },
		{ "MMCR2", mfspr(SPRN_MMCR2) },
		{ "MMCRA", mfspr(SPRN_MMCRA) },
		{ "PMC1", mfspr(SPRN_PMC1) },
		{ "PMC2", mfspr(SPRN_PMC2) },
		{ "PMC3", mfspr(SPRN_PMC3) },
		{ "PMC4", mfspr(SPRN_PMC4) },
		{ "PMC5", mfspr(SPRN_PMC5) },
		{ "PMC6", mfspr(SPRN_PMC6) },
		{ "SIAR", mfspr(SPRN_SIAR) },
		{ "SDAR", mfspr(SPRN_SDAR) },
		{ "SIER", mfspr(SPRN_SIER) },
	};
	uint64_t mmcr0 = mfspr(SPRN_MMCR0);
	uint64_t vsr, fpscr, vscr, slb = 0;

	fp_vec_on();
	read_fp_vec(&vsr, &fpscr, &vscr);
	for (uint64_t i = 1; i < 4; i++) {
		slb |= slb_esid(i);
	}
	for (unsigned i = 0; i < sizeof(sprs) / sizeof(sprs[0]); i++) {
		report(sprs[i].got == 0, "fresh %s: got 0x%lx, want 0",
		       sprs[i].name, sprs[i].got);
	}
	report(mmcr0 == MMCR0_FC, "fresh MMCR0: got 0x%lx, want 0x%llx "
	       "(counters frozen)", mmcr0, MMCR0_FC);
	report(vsr == 0, "fresh VSR0-63: OR of all 0x%lx, want 0", vsr);
	report(fpscr == 0, "fresh FPSCR: got 0x%lx, want 0", fpscr);
	report(vscr == 0 || vscr == 0x10000,
	       "fresh VSCR: got 0x%lx, want 0 (or NJ)", vscr);
	report(slb == 0, "fresh SLB entries 1-3: ESIDs OR 0x%lx, want 0", slb);

	/* Now leave all of it behind for the next life. */
	mtspr(SPRN_SPRG2, DIRTY);
	mtspr(SPRN_SPRG3, DIRTY);
	mtspr(SPRN_AMR, 0xc000000000000000ull);
	mtspr(SPRN_IAMR, 0x4000000000000000ull);
	mtspr(SPRN_UAMOR, 0xc000000000000000ull);
	mtspr(SPRN_DSCR, 1);
	mtspr(SPRN_TAR, DIRTY);
	mtspr(SPRN_VRSAVE, 0xffffffff);
	mtspr(SPRN_PSPB, 1);
	mtspr(SPRN_FSCR, 0x100); /* TAR enabled for problem state */
	mtspr(SPRN_MMCR0, MMCR0_FC);
	mtspr(SPRN_PMC1, 1);
	mtspr(SPRN_PMC2, 2);
	mtspr(SPRN_PMC3, 3);
	mtspr(SPRN_PMC4, 4);
	mtspr(SPRN_PMC6, 6);
	mtspr(SPRN_MMCR1, 0x1e);
	mtspr(SPRN_SIAR, DIRTY);
	mtspr(SPRN_SDAR, DIRTY);
	mtspr(SPRN_MMCR0, 0); /* PMC5 counts on into the next life */
	dirty_fp_vec();
	for (uint64_t i = 1; i < 4; i++) {
		slb_write(i);
	}
	report(slb_esid(1) != 0, "fresh SLB entry 1 written (0x%lx)",
	       slb_esid(1));
	if (dt_bootarg_word("reboot")) {
		int token = rtas_token("system-reboot");

		report_summary();
		printf("fresh: registers dirtied, rebooting\n");
		rtas_call(token, 0, 1, NULL);
		report(false, "fresh: still running after system-reboot");
	}
}
