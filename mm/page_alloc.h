/*
 * Physical page allocator.  Keeps the machine's usable memory as a sorted
 * list of free ranges (4 KiB granularity), carved by every range the host
 * tree reserves and by lparvisor's own image.  Large contiguous blocks
 * (partition memory, later) and small page runs come from the same list.
 * Pure C with no globals: host-tested in tests/unit/mm/.
 */
#ifndef MM_PAGE_ALLOC_H
#define MM_PAGE_ALLOC_H

#include "hv/lib/types.h"

#define PAGE_SIZE SZ_4K
#define PALLOC_MAX_RANGES 128

struct palloc_range {
	uint64_t base;
	uint64_t size;
};

struct palloc {
	struct palloc_range free[PALLOC_MAX_RANGES];
	uint32_t free_count;
	uint64_t total;     /* bytes of memory added */
	uint64_t reserved;  /* bytes of it removed by palloc_reserve() */
	uint64_t allocated; /* bytes handed out and not freed */
	uint64_t peak;      /* highest `allocated` seen */
	uint64_t failures;  /* allocations refused for lack of memory */
};

enum palloc_err {
	PALLOC_OK = 0,
	PALLOC_EINVAL,   /* zero size, bad alignment, range wraps */
	PALLOC_ENOMEM,   /* no free range is large enough */
	PALLOC_EFULL,    /* the range table has no room for another split */
	PALLOC_EOVERLAP, /* memory added twice, or freeing free memory */
};

/** Start with no memory. */
void palloc_init(struct palloc *pa);

/**
 * Add [base, base + size) as usable memory, shrunk inwards to whole pages.
 * Returns PALLOC_OK; PALLOC_EINVAL if it wraps; PALLOC_EOVERLAP if any of
 * it was already added; PALLOC_EFULL if the table is full.
 */
enum palloc_err palloc_add(struct palloc *pa, uint64_t base, uint64_t size);

/**
 * Remove [base, base + size), grown outwards to whole pages, from the free
 * memory (whatever part of it is free).  Must be called before any
 * allocation.  Returns PALLOC_OK, PALLOC_EINVAL if it wraps, PALLOC_EFULL.
 */
enum palloc_err palloc_reserve(struct palloc *pa, uint64_t base,
			       uint64_t size);

/**
 * Allocate `size` bytes (rounded up to pages) aligned to `align` (a power
 * of two, at least a page; smaller values mean a page).  Lowest address
 * first.  Returns PALLOC_OK with *out set, PALLOC_EINVAL, PALLOC_ENOMEM or
 * PALLOC_EFULL.
 */
enum palloc_err palloc_alloc(struct palloc *pa, uint64_t size, uint64_t align,
			     uint64_t *out);

/**
 * Allocate exactly [base, base + size) (page aligned), which must be free
 * as a whole.  Returns PALLOC_OK, PALLOC_EINVAL, PALLOC_ENOMEM (some of it
 * is not free) or PALLOC_EFULL.
 */
enum palloc_err palloc_claim(struct palloc *pa, uint64_t base, uint64_t size);

/**
 * Give back a block obtained from palloc_alloc().  Returns PALLOC_OK,
 * PALLOC_EINVAL for an unaligned or wrapping block, PALLOC_EOVERLAP if part
 * of it is already free (a double free), PALLOC_EFULL.
 */
enum palloc_err palloc_free(struct palloc *pa, uint64_t base, uint64_t size);

/** Bytes currently free. */
uint64_t palloc_free_bytes(const struct palloc *pa);

/** Size of the largest free block. */
uint64_t palloc_largest(const struct palloc *pa);

/** Printable name of an error. */
const char *palloc_strerror(enum palloc_err e);

#endif /* MM_PAGE_ALLOC_H */
