/*
 * Hypervisor heap.  Blocks tile the region from start to end; each begins
 * with a 16-byte header holding a magic word (which also says whether the
 * block is free) and the block's total size.  Walking by size visits every
 * block, which makes coalescing and validation simple; the heap holds few
 * long-lived objects, so the linear walks cost little.
 */
#include "hv/lib/string.h"
#include "mm/heap.h"

#define MAGIC_FREE 0x46524545u /* "FREE" */
#define MAGIC_USED 0x55534544u /* "USED" */
#define HDR_SIZE 16u
#define MIN_BLOCK 32u
#define MAX_ALIGN SZ_64K

struct block {
	uint32_t magic;
	uint32_t pad;
	uint64_t size; /* header included */
};

static struct block *blk_at(uint64_t addr)
{
	return (struct block *)(uintptr_t)addr;
}

static void blk_set(uint64_t addr, uint32_t magic, uint64_t size)
{
	struct block *b = blk_at(addr);

	b->magic = magic;
	b->pad = 0;
	b->size = size;
}

bool heap_init(struct heap *h, void *base, uint64_t size)
{
	uint64_t b = (uintptr_t)base;

	memset(h, 0, sizeof(*h));
	if (!IS_ALIGNED(b, HEAP_ALIGN) || size < MIN_BLOCK ||
	    range_wraps(b, size)) {
		return false;
	}
	h->base = b;
	h->size = ALIGN_DOWN(size, HEAP_ALIGN);
	blk_set(h->base, MAGIC_FREE, h->size);
	return true;
}

/*
 * Try to carve an allocation from free block `addr`.  Returns the payload
 * address or 0 if it does not fit.
 */
static uint64_t carve(struct heap *h, uint64_t addr, uint64_t need,
		      uint64_t align)
{
	uint64_t bsize = blk_at(addr)->size;
	uint64_t end = addr + bsize;
	uint64_t payload = ALIGN_UP(addr + HDR_SIZE, align);
	uint64_t start, lead, tail;

	/* A leading gap must be big enough to stay a free block. */
	while (payload - HDR_SIZE != addr && payload - HDR_SIZE - addr < MIN_BLOCK) {
		payload += align;
	}
	start = payload - HDR_SIZE;
	if (start >= end || end - start < need + HDR_SIZE) {
		return 0;
	}
	lead = start - addr;
	tail = end - (start + HDR_SIZE + need);
	if (tail < MIN_BLOCK) {
		need += tail; /* absorb a sliver too small to be a block */
		tail = 0;
	}
	if (lead) {
		blk_set(addr, MAGIC_FREE, lead);
	}
	blk_set(start, MAGIC_USED, HDR_SIZE + need);
	if (tail) {
		blk_set(start + HDR_SIZE + need, MAGIC_FREE, tail);
	}
	h->in_use += HDR_SIZE + need;
	if (h->in_use > h->peak) {
		h->peak = h->in_use;
	}
	h->allocs++;
	return payload;
}

void *heap_alloc(struct heap *h, uint64_t size, uint64_t align)
{
	uint64_t need, addr;

	if (align < HEAP_ALIGN) {
		align = HEAP_ALIGN;
	}
	if (size == 0 || size > h->size || align > MAX_ALIGN ||
	    (align & (align - 1))) {
		return NULL;
	}
	need = ALIGN_UP(size, HEAP_ALIGN);
	for (addr = h->base; addr < h->base + h->size;
	     addr += blk_at(addr)->size) {
		uint64_t p;

		if (blk_at(addr)->magic != MAGIC_FREE) {
			continue;
		}
		p = carve(h, addr, need, align);
		if (p) {
			return (void *)(uintptr_t)p;
		}
	}
	h->failures++;
	return NULL;
}

void *heap_zalloc(struct heap *h, uint64_t size, uint64_t align)
{
	void *p = heap_alloc(h, size, align);

	if (p) {
		memset(p, 0, size);
	}
	return p;
}

/* Merge every run of adjacent free blocks. */
static void coalesce(struct heap *h)
{
	uint64_t end = h->base + h->size;
	uint64_t addr = h->base;

	while (addr < end) {
		struct block *b = blk_at(addr);
		uint64_t next = addr + b->size;

		if (b->magic == MAGIC_FREE && next < end &&
		    blk_at(next)->magic == MAGIC_FREE) {
			b->size += blk_at(next)->size;
			continue;
		}
		addr = next;
	}
}

bool heap_free(struct heap *h, void *p)
{
	uint64_t target = (uintptr_t)p - HDR_SIZE;
	uint64_t addr;

	if (!p) {
		return true;
	}
	/* Only a pointer that is the payload of a live block is accepted. */
	for (addr = h->base; addr < h->base + h->size;
	     addr += blk_at(addr)->size) {
		if (addr == target && blk_at(addr)->magic == MAGIC_USED) {
			blk_at(addr)->magic = MAGIC_FREE;
			h->in_use -= blk_at(addr)->size;
			h->allocs--;
			coalesce(h);
			return true;
		}
		if (addr > target) {
			break;
		}
	}
	h->corrupted++;
	return false;
}

uint64_t heap_largest_free(const struct heap *h)
{
	uint64_t best = 0;

	for (uint64_t addr = h->base; addr < h->base + h->size;
	     addr += blk_at(addr)->size) {
		if (blk_at(addr)->magic == MAGIC_FREE &&
		    blk_at(addr)->size - HDR_SIZE > best) {
			best = blk_at(addr)->size - HDR_SIZE;
		}
	}
	return best;
}
