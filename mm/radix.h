/*
 * Partition-scoped radix page tables (Power ISA 3.0 Book III radix
 * translation; powernv-host-reference.md §3.5-3.6): the tree that maps a
 * partition's guest real addresses to the host real memory it owns.
 * 52-bit trees: root of 2^13 entries, then levels of 2^9 entries; leaves
 * of 1 GiB (level 2) or 2 MiB (level 3).  Entries are big-endian.
 *
 * Pure C: tables come from a caller-supplied allocator that returns
 * zeroed, naturally aligned memory whose address is also its host real
 * address (true in lparvisor's real mode, and in the host tests).
 */
#ifndef MM_RADIX_H
#define MM_RADIX_H

#include "hv/lib/types.h"

#define RADIX_ROOT_BITS 13
#define RADIX_LEVEL_BITS 9
#define RADIX_ROOT_SIZE (8ull << RADIX_ROOT_BITS)  /* 64 KiB */
#define RADIX_TABLE_SIZE (8ull << RADIX_LEVEL_BITS) /* 4 KiB */

#define RPTE_VALID 0x8000000000000000ull
#define RPTE_LEAF 0x4000000000000000ull
#define RPTE_RPN_MASK 0x01fffffffffff000ull
#define RPTE_R 0x100ull
#define RPTE_C 0x80ull
#define RPTE_ATT_MASK 0x30ull
#define RPTE_ATT_IO 0x20ull /* non-idempotent I/O: cache-inhibited, guarded */
#define RPTE_EAA_PRIV 0x8ull
#define RPTE_EAA_READ 0x4ull
#define RPTE_EAA_RW 0x2ull
#define RPTE_EAA_EXEC 0x1ull
#define RPDE_NLB_MASK 0x0fffffffffffff00ull
#define RPDE_NLS_MASK 0x1full

/* Partition-table entry, radix format (PATE dw0). */
#define PATE0_HR 0x8000000000000000ull
#define PATE_RTS_52 ((2ull << 61) | (5ull << 5))

/** Allocate `size` bytes, zeroed and aligned to `size`; NULL if none. */
typedef void *(*radix_alloc_fn)(void *ctx, uint64_t size);
/** Give back a table from radix_alloc_fn. */
typedef void (*radix_free_fn)(void *ctx, void *p, uint64_t size);

struct radix_tree {
	be64 *root;
	uint32_t tables;    /* level-2/3 tables allocated */
	uint64_t bytes;     /* memory used by all tables, root included */
};

enum radix_err {
	RADIX_OK = 0,
	RADIX_EINVAL,  /* sizes or addresses not 2 MiB aligned, or too big */
	RADIX_ENOMEM,  /* the allocator failed (the tree is freed) */
	RADIX_EBUSY,   /* radix_map_io: part of the range is mapped already */
};

/**
 * Build a tree mapping GPA [0, size) to HPA [hpa_base, hpa_base + size),
 * read/write/execute, R and C preset, plus `attrs` (RPTE_EAA_PRIV for a
 * privileged-only process-scoped tree).  1 GiB leaves where both
 * addresses are 1 GiB aligned and a whole GiB remains, else 2 MiB leaves.
 * Returns RADIX_OK, RADIX_EINVAL or RADIX_ENOMEM.
 */
enum radix_err radix_build(struct radix_tree *t, uint64_t size,
			   uint64_t hpa_base, uint64_t attrs,
			   radix_alloc_fn alloc, radix_free_fn free_fn,
			   void *ctx);

/** radix_build() with 2 MiB leaves only (for mm/lazy.h). */
enum radix_err radix_build_2m(struct radix_tree *t, uint64_t size,
			      uint64_t hpa_base, uint64_t attrs,
			      radix_alloc_fn alloc, radix_free_fn free_fn,
			      void *ctx);

/**
 * The 2 MiB leaf entry that maps `gpa` (valid or not: its LEAF bit set),
 * or NULL when the tree has none there.
 */
be64 *radix_leaf_2m(const struct radix_tree *t, uint64_t gpa);

/**
 * Add device pages to a built tree: [gpa, gpa + size) maps to host real
 * [hpa, hpa + size) with 4 KiB leaves, read/write without execute, cache
 * attributes `att` (RPTE_ATT_IO for MMIO).  All three 4 KiB aligned.
 * RADIX_EBUSY if any page of the range is mapped already; on ENOMEM the
 * pages mapped so far stay (radix_destroy() frees everything).
 */
enum radix_err radix_map_io(struct radix_tree *t, uint64_t gpa, uint64_t hpa,
			    uint64_t size, uint64_t att, radix_alloc_fn alloc,
			    void *ctx);

/** Process-table entry dw0 for a process-scoped tree (no HR bit). */
uint64_t radix_prte0(const struct radix_tree *t);

/** Free every table of the tree. */
void radix_destroy(struct radix_tree *t, radix_free_fn free_fn, void *ctx);

/**
 * Walk the tree like the MMU's partition-scoped translation.
 * Returns true and the host real address when `gpa` is mapped.
 */
bool radix_translate(const struct radix_tree *t, uint64_t gpa,
		     uint64_t *hpa);

/** The partition-table entry's first doubleword for this tree. */
uint64_t radix_pate0(const struct radix_tree *t);

#endif /* MM_RADIX_H */
