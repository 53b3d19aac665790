/*
 * What a vCPU's registered VPA and dispatch trace log see of its
 * dispatches: the yield (dispatch) count and DTL entries, kept across
 * H_CEDE (the only time a vCPU on a dedicated core is not dispatched).
 */
#ifndef HV_VPA_H
#define HV_VPA_H

#include "hv/lib/types.h"
#include "mm/gmem.h"

/* Why a ceded vCPU was dispatched again (DTL dispatch_reason). */
enum vpa_wake {
	VPA_WAKE_EXTERNAL = 1,
	VPA_WAKE_PROD = 3,
	VPA_WAKE_DECREMENTER = 4,
	VPA_WAKE_SYSTEM_RESET = 5,
	VPA_WAKE_OTHER = 2, /* firmware event: the partition is stopping */
};

/* A vCPU's registered areas (guest real addresses, 0: none). */
struct vpa_areas {
	uint64_t vpa;
	uint64_t dtl;
	uint32_t dtl_entries; /* 48-byte entries the DTL holds */
	uint16_t vcpu_id;
};

/**
 * The vCPU leaves dispatch (H_CEDE begins): the yield count of the VPA
 * at `a->vpa` in `g` becomes odd.  No effect without a VPA.
 */
void vpa_undispatch(const struct gmem *g, const struct vpa_areas *a);

/**
 * The vCPU is dispatched again (H_CEDE returns to `pc`, `msr`): its yield
 * count becomes even, and with a DTL registered whose VPA mask has
 * DTL_LOG_CEDE, one entry is logged and the VPA's dtl_idx advanced.
 */
void vpa_dispatch(const struct gmem *g, const struct vpa_areas *a,
		  enum vpa_wake why, uint64_t pc, uint64_t msr);

#endif /* HV_VPA_H */
