/*
 * The exit profile's counters, as each vCPU carries them (struct vcpu in
 * hv/vcpu.h).  Header only, apart from hv/profile.h, which counts into
 * them and prints them, so that the vCPU's header needs nothing of the
 * partition code.
 */
#ifndef HV_PROF_COUNT_H
#define HV_PROF_COUNT_H

#include "hv/lib/types.h"

/* Vectors below 0x1000 have slot vector / 0x20; slot 0 takes the rest. */
#define PROF_EXIT_SLOTS 128
/* hcall_table index; the last slot takes unknown and refused numbers. */
#define PROF_HCALL_SLOTS 80
#define PROF_HCALL_OTHER (PROF_HCALL_SLOTS - 1)

struct prof_count {
	uint64_t n;
	uint64_t tb; /* timebase ticks spent handling them */
};

struct vcpu_prof {
	struct prof_count exit[PROF_EXIT_SLOTS];
	struct prof_count hcall[PROF_HCALL_SLOTS];
	uint32_t hcall_slot; /* of the hcall being handled (set by dispatch) */
	uint64_t entry_tb;   /* first guest entry of this boot; 0 before */
	bool fault_told;     /* first first-touch fault of this boot seen */
};

#endif /* HV_PROF_COUNT_H */
