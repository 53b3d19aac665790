/*
 * The hypervisor heap: variable-sized allocations from one region that
 * the page allocator hands over at boot.  First fit over an address-ordered
 * list of blocks, each with a checked header; frees coalesce neighbours.
 * Pure C with no globals: host-tested in tests/unit/mm/.
 */
#ifndef MM_HEAP_H
#define MM_HEAP_H

#include "hv/lib/types.h"

#define HEAP_ALIGN 16

struct heap {
	uint64_t base;
	uint64_t size;
	uint64_t in_use;    /* bytes in allocated blocks, headers included */
	uint64_t peak;      /* highest `in_use` seen */
	uint64_t allocs;    /* live allocations */
	uint64_t failures;  /* requests refused for lack of space */
	uint64_t corrupted; /* frees of pointers that are not live blocks */
};

/**
 * Make [base, base + size) a heap.  The region must be HEAP_ALIGN aligned
 * and hold at least one block.  Returns false if it is unusable.
 */
bool heap_init(struct heap *h, void *base, uint64_t size);

/**
 * Allocate `size` bytes aligned to `align` (a power of two; 0 or less than
 * HEAP_ALIGN means HEAP_ALIGN; at most 64 KiB).  Returns NULL when no
 * free block fits, or for a zero size or a bad alignment.
 */
void *heap_alloc(struct heap *h, uint64_t size, uint64_t align);

/** As heap_alloc(), and the memory is zeroed. */
void *heap_zalloc(struct heap *h, uint64_t size, uint64_t align);

/**
 * Free a block from heap_alloc().  NULL is ignored.  Returns false (and
 * counts it in `corrupted`) if `p` is not a live block of this heap.
 */
bool heap_free(struct heap *h, void *p);

/** Size of the largest free block's usable payload. */
uint64_t heap_largest_free(const struct heap *h);

#endif /* MM_HEAP_H */
