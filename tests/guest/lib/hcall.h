/*
 * Making hypercalls from a partition: `sc 1` with the number in r3 and up
 * to nine arguments in r4..r12; the status comes back in r3 and outputs in
 * r4..r12 (PAPR; QEMU 7.2 `spapr_hypercall`, Linux `plpar_hcall9`).
 */
#ifndef TESTS_GUEST_LIB_HCALL_H
#define TESTS_GUEST_LIB_HCALL_H

#include "hv/abi/hcall.h"
#include "hv/lib/types.h"

/* r4..r12 after the call, in that order. */
struct hcall_rets {
	uint64_t r[9];
};

/**
 * Make hypercall `nr` with up to nine arguments.
 * Returns r3 as the hypervisor left it (H_SUCCESS, H_PARAMETER, ...).
 */
long hcall(unsigned long nr, ...);

/**
 * As hcall(), and store r4..r12 after the call into `*out`.
 * Returns r3.
 */
long hcall_out(struct hcall_rets *out, unsigned long nr, ...);

/** The PAPR name of a return code ("H_P3"), or "?" when it has none. */
const char *hcall_rc_name(long rc);

#endif /* TESTS_GUEST_LIB_HCALL_H */
