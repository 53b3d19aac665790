/*
 * Hypercall dispatch: one const table (hv/hcall.c) maps each PAPR hcall
 * number to its handler.  A handler gets the calling vCPU and the decoded
 * arguments, returns the PAPR status for r3 and puts outputs in ret[]
 * (r4 upwards).  docs/hcalls.md is generated from the table.
 */
#ifndef HV_HCALL_H
#define HV_HCALL_H

#include "hv/abi/hcall.h"
#include "hv/lib/types.h"

struct vcpu;

struct hcall_args {
	uint64_t nr;
	uint64_t arg[9]; /* r4..r12 */
	uint64_t ret[9]; /* written back to r4..r12 (only ret_count of them) */
	uint32_t ret_count;
};

typedef int64_t (*hcall_fn)(struct vcpu *vc, struct hcall_args *a);

struct hcall_entry {
	uint64_t nr;
	const char *name;
	hcall_fn fn;
	uint32_t rets;      /* output registers the call defines */
	const char *status; /* "done" or "partial: what is missing" */
};

/** The registration table, sorted by number, and its length. */
extern const struct hcall_entry hcall_table[];
extern const uint32_t hcall_table_len;

/** The entry for `nr`, or NULL (the caller answers H_FUNCTION). */
const struct hcall_entry *hcall_lookup(uint64_t nr);

/**
 * Run hcall `a->nr` for `vc` with the guest's MSR `msr` (problem state
 * gets H_PRIVILEGE, as on QEMU).  Returns the status for r3.
 */
int64_t hcall_dispatch(struct vcpu *vc, uint64_t msr, struct hcall_args *a);

#endif /* HV_HCALL_H */
