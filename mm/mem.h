/*
 * The hypervisor's memory: one page allocator over the machine and one
 * heap for lparvisor's own objects, both behind locks, with the accounting
 * printed at boot (the start of the memory-footprint figure).
 */
#ifndef MM_MEM_H
#define MM_MEM_H

#include "hv/lib/types.h"
#include "hv/machine.h"
#include "mm/heap.h"
#include "mm/page_alloc.h"

/** A range the hypervisor keeps for itself beyond the host's reserved ones. */
struct mem_keep {
	uint64_t base;
	uint64_t size;
	const char *what;
	bool own; /* lparvisor's own (counted in its footprint) */
};

/**
 * Build the page allocator from `m`'s memory minus its reserved ranges and
 * the `keep` ranges, then carve a heap of `heap_size` bytes.  Panics with
 * the reason if either is impossible (there is no hypervisor without them).
 */
void mem_init(const struct machine *m, const struct mem_keep *keep,
	      unsigned keep_count, uint64_t heap_size);

/** Allocate zeroed heap memory, or NULL. */
void *mem_zalloc(uint64_t size, uint64_t align);

/**
 * Allocate zeroed heap memory that boot cannot do without; if the heap is
 * exhausted, panic naming `what`, the request and the heap's state.
 */
void *mem_zalloc_boot(uint64_t size, uint64_t align, const char *what);

/**
 * Allocate `size` bytes of whole pages aligned to `align` (not zeroed), or
 * at exactly `base` when `at` is true.  Returns 0 when impossible.
 */
uint64_t mem_pages_alloc(uint64_t size, uint64_t align, bool at,
			 uint64_t base);

/** Give back pages from mem_pages_alloc(). */
void mem_pages_free(uint64_t base, uint64_t size);

/** Zero [p, p + len) quickly (dcbz on whole cache blocks). */
void mem_zero(void *p, uint64_t len);

/** Free heap memory from mem_zalloc(). */
void mem_free(void *p);

/** Bytes of machine memory still free for partitions. */
uint64_t mem_free_bytes(void);

/** Bytes of pages allocated and of heap in use (for leak checks). */
void mem_usage(uint64_t *pages, uint64_t *heap_bytes);

/** Print the page allocator's and heap's accounting. */
void mem_print_accounting(void);

/** Bytes of the machine lparvisor keeps for itself (image, heap, tables). */
uint64_t mem_hv_footprint(void);

/**
 * Print the hypervisor reserve in PowerVM's terms once partitions exist:
 * what lparvisor keeps (image and vectors, the whole heap, page tables)
 * against the machine's memory, apart from what firmware keeps, from
 * `guest_bytes`, the partitions' own memory, and from `disk_bytes`, the
 * memory of the disks (vio/disk.h).
 */
void mem_print_reserve(uint64_t guest_bytes, uint64_t disk_bytes);

#endif /* MM_MEM_H */
