/*
 * Physical page allocator over a sorted, coalesced list of free ranges.
 * Every operation keeps the invariant: ranges sorted by base, page
 * aligned, non-empty, non-overlapping and non-adjacent.
 */
#include "hv/lib/string.h"
#include "mm/page_alloc.h"

/*
 * The last page of the address space is never managed, so that every
 * range end (base + size) is representable.
 */
#define TOP_PAGE ALIGN_DOWN(UINT64_MAX, PAGE_SIZE)

/* End of [base, base + size), clamped to TOP_PAGE; the range must not wrap. */
static uint64_t range_end(uint64_t base, uint64_t size)
{
	uint64_t last = base + size - 1;

	return last >= TOP_PAGE ? TOP_PAGE : last + 1;
}

void palloc_init(struct palloc *pa)
{
	memset(pa, 0, sizeof(*pa));
}

static void remove_at(struct palloc *pa, uint32_t i)
{
	memmove(&pa->free[i], &pa->free[i + 1],
		(pa->free_count - i - 1) * sizeof(pa->free[0]));
	pa->free_count--;
}

static enum palloc_err insert_at(struct palloc *pa, uint32_t i, uint64_t base,
				 uint64_t size)
{
	if (pa->free_count == PALLOC_MAX_RANGES) {
		return PALLOC_EFULL;
	}
	memmove(&pa->free[i + 1], &pa->free[i],
		(pa->free_count - i) * sizeof(pa->free[0]));
	pa->free[i] = (struct palloc_range){ base, size };
	pa->free_count++;
	return PALLOC_OK;
}

/*
 * Insert a free block that overlaps nothing free, merging with neighbours.
 * Returns PALLOC_EOVERLAP if it does overlap.
 */
static enum palloc_err insert_free(struct palloc *pa, uint64_t base,
				   uint64_t size)
{
	uint32_t i = 0;
	struct palloc_range *prev, *next;

	while (i < pa->free_count && pa->free[i].base < base) {
		i++;
	}
	prev = i > 0 ? &pa->free[i - 1] : NULL;
	next = i < pa->free_count ? &pa->free[i] : NULL;
	if ((prev && ranges_overlap(prev->base, prev->size, base, size)) ||
	    (next && ranges_overlap(next->base, next->size, base, size))) {
		return PALLOC_EOVERLAP;
	}
	if (prev && prev->base + prev->size == base) {
		prev->size += size;
		if (next && base + size == next->base) {
			prev->size += next->size;
			remove_at(pa, i);
		}
		return PALLOC_OK;
	}
	if (next && base + size == next->base) {
		next->base = base;
		next->size += size;
		return PALLOC_OK;
	}
	return insert_at(pa, i, base, size);
}

enum palloc_err palloc_add(struct palloc *pa, uint64_t base, uint64_t size)
{
	uint64_t start, end;
	enum palloc_err e;

	if (size == 0 || range_wraps(base, size) ||
	    base > UINT64_MAX - PAGE_SIZE) {
		return PALLOC_EINVAL;
	}
	start = ALIGN_UP(base, PAGE_SIZE);
	end = range_end(base, size);
	if (end != TOP_PAGE) {
		end = ALIGN_DOWN(end, PAGE_SIZE);
	}
	if (end <= start) {
		return PALLOC_OK; /* less than a page: nothing usable */
	}
	e = insert_free(pa, start, end - start);
	if (e == PALLOC_OK) {
		pa->total += end - start;
	}
	return e;
}

/* Remove [start, end) from free range i; may split it in two. */
static enum palloc_err cut_range(struct palloc *pa, uint32_t i, uint64_t start,
				 uint64_t end)
{
	struct palloc_range *r = &pa->free[i];
	uint64_t r_end = r->base + r->size;

	if (start <= r->base && end >= r_end) {
		remove_at(pa, i);
		return PALLOC_OK;
	}
	if (start <= r->base) {
		r->size = r_end - end;
		r->base = end;
		return PALLOC_OK;
	}
	if (end >= r_end) {
		r->size = start - r->base;
		return PALLOC_OK;
	}
	if (insert_at(pa, i + 1, end, r_end - end)) {
		return PALLOC_EFULL;
	}
	pa->free[i].size = start - pa->free[i].base;
	return PALLOC_OK;
}

enum palloc_err palloc_reserve(struct palloc *pa, uint64_t base, uint64_t size)
{
	uint64_t start, end;
	uint32_t i = 0;

	if (size == 0) {
		return PALLOC_OK;
	}
	if (range_wraps(base, size)) {
		return PALLOC_EINVAL;
	}
	start = ALIGN_DOWN(base, PAGE_SIZE);
	end = range_end(base, size);
	if (end != TOP_PAGE) {
		end = ALIGN_UP(end, PAGE_SIZE);
	}
	while (i < pa->free_count) {
		struct palloc_range *r = &pa->free[i];
		uint64_t lo = MAX(start, r->base);
		uint64_t hi = MIN(end, r->base + r->size);
		uint32_t before = pa->free_count;

		if (lo >= hi) {
			i++;
			continue;
		}
		if (cut_range(pa, i, lo, hi)) {
			return PALLOC_EFULL;
		}
		pa->reserved += hi - lo;
		/* Re-examine i unless the range was split (then skip both). */
		if (pa->free_count > before) {
			i += 2;
		}
	}
	return PALLOC_OK;
}

enum palloc_err palloc_alloc(struct palloc *pa, uint64_t size, uint64_t align,
			     uint64_t *out)
{
	uint64_t need;

	if (size == 0 || size > UINT64_MAX - PAGE_SIZE) {
		return PALLOC_EINVAL;
	}
	if (align < PAGE_SIZE) {
		align = PAGE_SIZE;
	}
	if (align & (align - 1)) {
		return PALLOC_EINVAL;
	}
	need = ALIGN_UP(size, PAGE_SIZE);
	for (uint32_t i = 0; i < pa->free_count; i++) {
		struct palloc_range *r = &pa->free[i];
		uint64_t start, end = r->base + r->size;

		if (r->base > UINT64_MAX - (align - 1)) {
			continue;
		}
		start = ALIGN_UP(r->base, align);
		if (start >= end || end - start < need) {
			continue;
		}
		if (cut_range(pa, i, start, start + need)) {
			return PALLOC_EFULL;
		}
		pa->allocated += need;
		if (pa->allocated > pa->peak) {
			pa->peak = pa->allocated;
		}
		*out = start;
		return PALLOC_OK;
	}
	pa->failures++;
	return PALLOC_ENOMEM;
}

enum palloc_err palloc_claim(struct palloc *pa, uint64_t base, uint64_t size)
{
	if (size == 0 || range_wraps(base, size) || !IS_ALIGNED(base, PAGE_SIZE) ||
	    !IS_ALIGNED(size, PAGE_SIZE)) {
		return PALLOC_EINVAL;
	}
	for (uint32_t i = 0; i < pa->free_count; i++) {
		struct palloc_range *r = &pa->free[i];

		if (base < r->base || base - r->base > r->size ||
		    size > r->size - (base - r->base)) {
			continue;
		}
		if (cut_range(pa, i, base, base + size)) {
			return PALLOC_EFULL;
		}
		pa->allocated += size;
		if (pa->allocated > pa->peak) {
			pa->peak = pa->allocated;
		}
		return PALLOC_OK;
	}
	pa->failures++;
	return PALLOC_ENOMEM;
}

enum palloc_err palloc_free(struct palloc *pa, uint64_t base, uint64_t size)
{
	uint64_t need;
	enum palloc_err e;

	if (size == 0 || range_wraps(base, size) ||
	    !IS_ALIGNED(base, PAGE_SIZE) || size > UINT64_MAX - PAGE_SIZE) {
		return PALLOC_EINVAL;
	}
	need = ALIGN_UP(size, PAGE_SIZE);
	if (need > TOP_PAGE - base) {
		return PALLOC_EINVAL; /* the last page is never handed out */
	}
	if (need > pa->allocated) {
		return PALLOC_EOVERLAP;
	}
	e = insert_free(pa, base, need);
	if (e == PALLOC_OK) {
		pa->allocated -= need;
	}
	return e;
}

uint64_t palloc_free_bytes(const struct palloc *pa)
{
	uint64_t n = 0;

	for (uint32_t i = 0; i < pa->free_count; i++) {
		n += pa->free[i].size;
	}
	return n;
}

uint64_t palloc_largest(const struct palloc *pa)
{
	uint64_t n = 0;

	for (uint32_t i = 0; i < pa->free_count; i++) {
		n = MAX(n, pa->free[i].size);
	}
	return n;
}

const char *palloc_strerror(enum palloc_err e)
{
	switch (e) {
	case PALLOC_OK:
		return "success";
	case PALLOC_EINVAL:
		return "invalid size, alignment or range";
	case PALLOC_ENOMEM:
		return "out of memory";
	case PALLOC_EFULL:
		return "free-range table full";
	case PALLOC_EOVERLAP:
		return "range overlaps free memory";
	}
	return "unknown error";
}
