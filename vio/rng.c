/*
 * The random number generator a guest finds as /ibm,platform-facilities/
 * ibm,random-v1 (QEMU 7.2 hw/ppc/spapr_rng.c, "-device spapr-rng"): its
 * one hcall, H_RANDOM, served from the processor's own RNG (darn, ISA 3.0)
 * instead of QEMU's host backend.  Linux's pseries-rng driver reads
 * /dev/hwrng through it.
 */
#include "hv/cpu.h"
#include "hv/hcall.h"
#include "hv/hv.h"

/*
 * H_RANDOM: 64 random bits in r4; H_HARDWARE if darn keeps failing.
 * POWER8 has no darn: no RNG node in the tree, and H_FUNCTION, as QEMU
 * answers without one.
 */
static int64_t h_random(struct vcpu *vc, struct hcall_args *a)
{
	uint64_t v;

	(void)vc;
	if (!cpu_family_has_darn(hv_machine.family)) {
		return H_FUNCTION;
	}
	for (int tries = 0; tries < 16; tries++) {
		v = darn();
		if (v != ~0ull) {
			a->ret[0] = v;
			a->ret_count = 1;
			return H_SUCCESS;
		}
	}
	return H_HARDWARE;
}
HCALL(H_RANDOM, h_random, 1, HCALL_NO_SET, HCALL_INTC_ANY,
      "done (darn; H_FUNCTION on POWER8, which has none)");
