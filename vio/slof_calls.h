/*
 * The argument checks of the hcalls QEMU's SLOF makes of its hypervisor
 * (QEMU 7.2 hw/ppc/spapr_hcall.c: h_logical_memop, h_update_dt,
 * h_client_architecture_support; SLOF 20220719 lib/libhvcall), apart from
 * the partition they act on: pure logic, host-tested
 * (tests/unit/vio/slof_calls_test.c).  vio/slof.c applies them.
 */
#ifndef VIO_SLOF_CALLS_H
#define VIO_SLOF_CALLS_H

#include "hv/lib/types.h"

/* QEMU's h_logical_memop refuses more elements than this. */
#define SLOF_MEMOP_COUNT_MAX 0x80000000ull
/* The CAS answer starts with a version word (QEMU's
 * SpaprDeviceTreeUpdateHeader); SLOF takes any version >= 1. */
#define SLOF_CAS_HDR_BYTES 4u
#define SLOF_CAS_TREE_OFF 8u
#define SLOF_CAS_ANSWER_OFF (SLOF_CAS_TREE_OFF - SLOF_CAS_HDR_BYTES)

/** A checked KVMPPC_H_LOGICAL_MEMOP: `len` bytes from `src` to `dst`. */
struct slof_memop {
	uint64_t dst, src, len;
	bool invert;              /* op 1: each byte complemented */
};

/**
 * Check KVMPPC_H_LOGICAL_MEMOP's arguments (dst, src, esize = log2 of the
 * element size, count, op: 0 copy, 1 invert) against a partition of
 * `mem_size` bytes.  Returns H_SUCCESS and fills `m`; H_PARAMETER for an
 * element size above 8 bytes, more than SLOF_MEMOP_COUNT_MAX elements, a
 * misaligned address, an unknown op (QEMU's checks), or a source or
 * destination range not wholly in the partition's memory (lparvisor's:
 * QEMU drops such accesses one by one).
 */
int64_t slof_memop_check(uint64_t dst, uint64_t src, uint64_t esize,
			 uint64_t count, uint64_t op, uint64_t mem_size,
			 struct slof_memop *m);

/**
 * Run a checked memop on the partition's memory at `base` (guest real 0):
 * backwards when the destination starts inside the source, as QEMU's
 * element loop, so an overlapping copy moves the data whole.
 */
void slof_memop_run(uint8_t *base, const struct slof_memop *m);

/**
 * KVMPPC_H_UPDATE_DT: the tree's total size from its header's first 8
 * bytes (`hdr`, copied from the guest), checked: a tree header at least,
 * at most twice the size of the tree last given to the guest
 * (`initial`, QEMU's rule) and at most `cap`.  Returns H_SUCCESS and sets
 * *size; H_PARAMETER otherwise (bad magic included).
 */
int64_t slof_update_dt_size(const uint8_t hdr[8], uint32_t initial,
			    uint32_t cap, uint32_t *size);

/**
 * The whole tree (`size` bytes, copied from the guest) is sound: header
 * and every tag.  Returns H_SUCCESS or H_PARAMETER.
 */
int64_t slof_update_dt_check(const void *fdt, uint32_t size);

/**
 * Finish the CAS answer in `buf`, whose tree the caller built at
 * buf + SLOF_CAS_TREE_OFF (8-byte aligned, as libfdt wants): pack the
 * tree and put the version word (big-endian 1) just before it, so that
 * the answer starts at buf + SLOF_CAS_ANSWER_OFF.  Returns the answer's
 * bytes, or 0 when they are more than `limit` (the guest's buffer) or the
 * tree is not one.
 */
size_t slof_cas_answer(uint8_t *buf, size_t limit);

#endif /* VIO_SLOF_CALLS_H */
