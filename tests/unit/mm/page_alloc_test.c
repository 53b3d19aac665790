/*
 * Tests for mm/page_alloc.c, the range-list physical page allocator.
 * Every test re-checks the allocator's invariants after each operation:
 * free ranges sorted, page aligned, non-empty, non-overlapping and
 * non-adjacent, and free + allocated + reserved == total.
 */
#include <stdlib.h>

#include "mm/page_alloc.h"
#include "tests/unit/test.h"

#define MiB SZ_1M
#define GiB SZ_1G

static void check_invariants(const struct palloc *pa, const char *file,
			     int line)
{
	uint64_t free_bytes = 0;

	if (pa->free_count > PALLOC_MAX_RANGES) {
		test_fail(file, line, "free_count %u > %u", pa->free_count,
			  PALLOC_MAX_RANGES);
		return;
	}
	for (uint32_t i = 0; i < pa->free_count; i++) {
		const struct palloc_range *r = &pa->free[i];

		if (r->size == 0 || !IS_ALIGNED(r->base, PAGE_SIZE) ||
		    !IS_ALIGNED(r->size, PAGE_SIZE) ||
		    range_wraps(r->base, r->size)) {
			test_fail(file, line,
				  "free[%u] = 0x%llx+0x%llx: empty, unaligned "
				  "or wrapping",
				  i, (unsigned long long)r->base,
				  (unsigned long long)r->size);
		}
		if (i > 0 && pa->free[i - 1].base + pa->free[i - 1].size >=
				     r->base) {
			test_fail(file, line,
				  "free[%u] 0x%llx+0x%llx and free[%u] 0x%llx "
				  "are unsorted, overlapping or adjacent",
				  i - 1, (unsigned long long)pa->free[i - 1].base,
				  (unsigned long long)pa->free[i - 1].size, i,
				  (unsigned long long)r->base);
		}
		free_bytes += r->size;
	}
	if (free_bytes != palloc_free_bytes(pa)) {
		test_fail(file, line, "palloc_free_bytes() disagrees");
	}
	if (free_bytes + pa->allocated + pa->reserved != pa->total) {
		test_fail(file, line,
			  "free 0x%llx + allocated 0x%llx + reserved 0x%llx "
			  "!= total 0x%llx",
			  (unsigned long long)free_bytes,
			  (unsigned long long)pa->allocated,
			  (unsigned long long)pa->reserved,
			  (unsigned long long)pa->total);
	}
	if (pa->peak < pa->allocated) {
		test_fail(file, line, "peak 0x%llx < allocated 0x%llx",
			  (unsigned long long)pa->peak,
			  (unsigned long long)pa->allocated);
	}
}

#define CHECK_PA(pa) check_invariants((pa), __FILE__, __LINE__)

/* Check the free list is exactly the given (base, size) pairs. */
static void check_ranges(const struct palloc *pa, const uint64_t *pairs,
			 uint32_t count, const char *file, int line)
{
	if (pa->free_count != count) {
		test_fail(file, line, "free_count %u, expected %u",
			  pa->free_count, count);
		return;
	}
	for (uint32_t i = 0; i < count; i++) {
		if (pa->free[i].base != pairs[2 * i] ||
		    pa->free[i].size != pairs[2 * i + 1]) {
			test_fail(file, line,
				  "free[%u] = 0x%llx+0x%llx, expected "
				  "0x%llx+0x%llx",
				  i, (unsigned long long)pa->free[i].base,
				  (unsigned long long)pa->free[i].size,
				  (unsigned long long)pairs[2 * i],
				  (unsigned long long)pairs[2 * i + 1]);
		}
	}
}

#define CHECK_RANGES(pa, ...)                                                \
	do {                                                                 \
		const uint64_t want_[] = { __VA_ARGS__ };                    \
		check_ranges((pa), want_, ARRAY_SIZE(want_) / 2, __FILE__,   \
			     __LINE__);                                      \
	} while (0)

/* 128 separate one-page ranges: the table is then full. */
static void fill_table(struct palloc *pa)
{
	palloc_init(pa);
	for (uint64_t i = 0; i < PALLOC_MAX_RANGES; i++) {
		palloc_add(pa, i * MiB, 4 * PAGE_SIZE);
	}
}

/* ---- adding memory ---------------------------------------------------- */

TEST(palloc, init_has_no_memory)
{
	struct palloc pa;
	uint64_t base = 0xdead;

	palloc_init(&pa);
	CHECK_EQ(pa.free_count, 0);
	CHECK_EQ(pa.total, 0);
	CHECK_EQ(palloc_free_bytes(&pa), 0);
	CHECK_EQ(palloc_largest(&pa), 0);
	CHECK_EQ(palloc_alloc(&pa, PAGE_SIZE, 0, &base), PALLOC_ENOMEM);
	CHECK_EQ(base, 0xdead);
	CHECK_EQ(pa.failures, 1);
	CHECK_PA(&pa);
}

TEST(palloc, add_rejects_zero_size)
{
	struct palloc pa;

	palloc_init(&pa);
	CHECK_EQ(palloc_add(&pa, 0, 0), PALLOC_EINVAL);
	CHECK_EQ(pa.total, 0);
	CHECK_PA(&pa);
}

TEST(palloc, add_rejects_wrapping_range)
{
	struct palloc pa;

	palloc_init(&pa);
	CHECK_EQ(palloc_add(&pa, UINT64_MAX - 0xfff, 0x2000), PALLOC_EINVAL);
	CHECK_EQ(palloc_add(&pa, 1 * GiB, UINT64_MAX), PALLOC_EINVAL);
	CHECK_EQ(palloc_add(&pa, UINT64_MAX, 1), PALLOC_EINVAL);
	CHECK_EQ(pa.total, 0);
	CHECK_EQ(pa.free_count, 0);
	CHECK_PA(&pa);
}

TEST(palloc, add_rejects_overlap_with_memory_already_added)
{
	struct palloc pa;

	palloc_init(&pa);
	CHECK_EQ(palloc_add(&pa, 1 * MiB, 1 * MiB), PALLOC_OK);
	CHECK_EQ(palloc_add(&pa, 4 * MiB, 1 * MiB), PALLOC_OK);
	/* Same range, inside, straddling either end, covering both. */
	CHECK_EQ(palloc_add(&pa, 1 * MiB, 1 * MiB), PALLOC_EOVERLAP);
	CHECK_EQ(palloc_add(&pa, 1 * MiB + 0x4000, 0x1000), PALLOC_EOVERLAP);
	CHECK_EQ(palloc_add(&pa, 0, 1 * MiB + 0x1000), PALLOC_EOVERLAP);
	CHECK_EQ(palloc_add(&pa, 2 * MiB - 0x1000, 0x2000), PALLOC_EOVERLAP);
	CHECK_EQ(palloc_add(&pa, 0, 8 * MiB), PALLOC_EOVERLAP);
	CHECK_EQ(palloc_add(&pa, 3 * MiB, 2 * MiB), PALLOC_EOVERLAP);
	CHECK_EQ(pa.total, 2 * MiB);
	CHECK_RANGES(&pa, 1 * MiB, 1 * MiB, 4 * MiB, 1 * MiB);
	CHECK_PA(&pa);
}

TEST(palloc, add_shrinks_range_inwards_to_whole_pages)
{
	struct palloc pa;

	palloc_init(&pa);
	CHECK_EQ(palloc_add(&pa, 0x1800, 0x3000), PALLOC_OK);
	CHECK_RANGES(&pa, 0x2000, 0x2000);
	CHECK_EQ(pa.total, 0x2000);
	CHECK_PA(&pa);
}

TEST(palloc, add_of_less_than_a_page_adds_nothing)
{
	struct palloc pa;

	palloc_init(&pa);
	CHECK_EQ(palloc_add(&pa, 0x1800, 0x800), PALLOC_OK);
	CHECK_EQ(palloc_add(&pa, 0x10001, 0x1ffe), PALLOC_OK);
	CHECK_EQ(pa.total, 0);
	CHECK_EQ(pa.free_count, 0);
	CHECK_PA(&pa);
}

TEST(palloc, add_keeps_ranges_sorted)
{
	struct palloc pa;

	palloc_init(&pa);
	CHECK_EQ(palloc_add(&pa, 8 * MiB, 1 * MiB), PALLOC_OK);
	CHECK_EQ(palloc_add(&pa, 0, 1 * MiB), PALLOC_OK);
	CHECK_EQ(palloc_add(&pa, 4 * MiB, 1 * MiB), PALLOC_OK);
	CHECK_EQ(palloc_add(&pa, 64 * GiB, 2 * GiB), PALLOC_OK);
	CHECK_EQ(palloc_add(&pa, 2 * MiB, 1 * MiB), PALLOC_OK);
	CHECK_RANGES(&pa, 0, 1 * MiB, 2 * MiB, 1 * MiB, 4 * MiB, 1 * MiB,
		     8 * MiB, 1 * MiB, 64 * GiB, 2 * GiB);
	CHECK_EQ(pa.total, 4 * MiB + 2 * GiB);
	CHECK_EQ(palloc_largest(&pa), 2 * GiB);
	CHECK_PA(&pa);
}

TEST(palloc, add_merges_adjacent_ranges)
{
	struct palloc pa;

	palloc_init(&pa);
	CHECK_EQ(palloc_add(&pa, 1 * MiB, 1 * MiB), PALLOC_OK);
	CHECK_EQ(palloc_add(&pa, 3 * MiB, 1 * MiB), PALLOC_OK);
	CHECK_EQ(palloc_add(&pa, 0, 1 * MiB), PALLOC_OK); /* before */
	CHECK_RANGES(&pa, 0, 2 * MiB, 3 * MiB, 1 * MiB);
	CHECK_EQ(palloc_add(&pa, 4 * MiB, 1 * MiB), PALLOC_OK); /* after */
	CHECK_RANGES(&pa, 0, 2 * MiB, 3 * MiB, 2 * MiB);
	CHECK_EQ(palloc_add(&pa, 2 * MiB, 1 * MiB), PALLOC_OK); /* between */
	CHECK_RANGES(&pa, 0, 5 * MiB);
	CHECK_EQ(pa.total, 5 * MiB);
	CHECK_PA(&pa);
}

TEST(palloc, add_fails_when_table_full)
{
	struct palloc pa;
	uint64_t total;

	fill_table(&pa);
	CHECK_EQ(pa.free_count, PALLOC_MAX_RANGES);
	total = pa.total;
	CHECK_EQ(palloc_add(&pa, 1 * GiB, 1 * MiB), PALLOC_EFULL);
	CHECK_EQ(pa.total, total);
	CHECK_EQ(pa.free_count, PALLOC_MAX_RANGES);
	/* A range that merges with a neighbour needs no new slot. */
	CHECK_EQ(palloc_add(&pa, 4 * PAGE_SIZE, PAGE_SIZE), PALLOC_OK);
	CHECK_EQ(pa.total, total + PAGE_SIZE);
	CHECK_PA(&pa);
}

/*
 * A range ending exactly at 2^64 does not wrap.  The allocator never
 * manages the last page (so that every range end fits in 64 bits), but
 * the pages below it are usable.  (Before mm/page_alloc.c's range_end(),
 * the end was computed as 0 and nothing was added, with PALLOC_OK.)
 */
TEST(palloc, add_range_ending_at_top_of_address_space_keeps_pages_below)
{
	struct palloc pa;
	uint64_t base = UINT64_MAX - 4 * PAGE_SIZE + 1; /* last 4 pages */

	palloc_init(&pa);
	CHECK_EQ(palloc_add(&pa, base, 4 * PAGE_SIZE), PALLOC_OK);
	CHECK_EQ(pa.total, 3 * PAGE_SIZE);
	CHECK_RANGES(&pa, base, 3 * PAGE_SIZE);
	CHECK_PA(&pa);
}

/* ---- reserving ---------------------------------------------------------- */

TEST(palloc, reserve_rejects_wrapping_range)
{
	struct palloc pa;

	palloc_init(&pa);
	palloc_add(&pa, 0, 16 * MiB);
	CHECK_EQ(palloc_reserve(&pa, UINT64_MAX - 0xfff, 0x2000),
		 PALLOC_EINVAL);
	CHECK_EQ(palloc_reserve(&pa, 1 * MiB, UINT64_MAX), PALLOC_EINVAL);
	CHECK_EQ(pa.reserved, 0);
	CHECK_RANGES(&pa, 0, 16 * MiB);
	CHECK_PA(&pa);
}

TEST(palloc, reserve_of_zero_size_changes_nothing)
{
	struct palloc pa;

	palloc_init(&pa);
	palloc_add(&pa, 0, 16 * MiB);
	CHECK_EQ(palloc_reserve(&pa, 1 * MiB, 0), PALLOC_OK);
	CHECK_EQ(pa.reserved, 0);
	CHECK_RANGES(&pa, 0, 16 * MiB);
	CHECK_PA(&pa);
}

TEST(palloc, reserve_splits_a_range_around_a_hole)
{
	struct palloc pa;

	palloc_init(&pa);
	palloc_add(&pa, 0, 16 * MiB);
	CHECK_EQ(palloc_reserve(&pa, 1 * MiB, 0x2000), PALLOC_OK);
	CHECK_RANGES(&pa, 0, 1 * MiB, 1 * MiB + 0x2000, 15 * MiB - 0x2000);
	CHECK_EQ(pa.reserved, 0x2000);
	CHECK_PA(&pa);
}

TEST(palloc, reserve_grows_outwards_to_whole_pages)
{
	struct palloc pa;

	palloc_init(&pa);
	palloc_add(&pa, 0, 1 * MiB);
	CHECK_EQ(palloc_reserve(&pa, 0x1001, 0x10), PALLOC_OK);
	CHECK_RANGES(&pa, 0, 0x1000, 0x2000, 1 * MiB - 0x2000);
	CHECK_EQ(pa.reserved, 0x1000);
	CHECK_EQ(palloc_reserve(&pa, 0x3fff, 0x2), PALLOC_OK); /* 2 pages */
	CHECK_RANGES(&pa, 0, 0x1000, 0x2000, 0x1000, 0x5000,
		     1 * MiB - 0x5000);
	CHECK_EQ(pa.reserved, 0x3000);
	CHECK_PA(&pa);
}

TEST(palloc, reserve_trims_either_end_and_removes_whole_ranges)
{
	struct palloc pa;

	palloc_init(&pa);
	palloc_add(&pa, 0, 1 * MiB);
	palloc_add(&pa, 2 * MiB, 1 * MiB);
	palloc_add(&pa, 4 * MiB, 1 * MiB);
	palloc_add(&pa, 6 * MiB, 1 * MiB);
	/* From inside the first range to inside the third. */
	CHECK_EQ(palloc_reserve(&pa, 512 * 1024, 4 * MiB), PALLOC_OK);
	CHECK_RANGES(&pa, 0, 512 * 1024, 4 * MiB + 512 * 1024, 512 * 1024,
		     6 * MiB, 1 * MiB);
	CHECK_EQ(pa.reserved, 512 * 1024 + 1 * MiB + 512 * 1024);
	CHECK_PA(&pa);
}

TEST(palloc, reserve_outside_memory_is_ignored)
{
	struct palloc pa;

	palloc_init(&pa);
	palloc_add(&pa, 0, 2 * GiB);
	/* HOMER and OCC areas on QEMU powernv9: outside its 2 GiB. */
	CHECK_EQ(palloc_reserve(&pa, 0x203ffd800000ull, 0x400000), PALLOC_OK);
	CHECK_EQ(palloc_reserve(&pa, 0x203fff800000ull, 0x800000), PALLOC_OK);
	CHECK_EQ(pa.reserved, 0);
	CHECK_RANGES(&pa, 0, 2 * GiB);
	CHECK_PA(&pa);
}

TEST(palloc, reserve_of_overlapping_ranges_counts_each_page_once)
{
	struct palloc pa;

	palloc_init(&pa);
	palloc_add(&pa, 0, 16 * MiB);
	CHECK_EQ(palloc_reserve(&pa, 1 * MiB, 1 * MiB), PALLOC_OK);
	CHECK_EQ(palloc_reserve(&pa, 1 * MiB, 1 * MiB), PALLOC_OK);
	CHECK_EQ(palloc_reserve(&pa, 1 * MiB + 512 * 1024, 1 * MiB),
		 PALLOC_OK);
	CHECK_EQ(pa.reserved, 1 * MiB + 512 * 1024);
	CHECK_RANGES(&pa, 0, 1 * MiB, 2 * MiB + 512 * 1024,
		     14 * MiB - 512 * 1024);
	CHECK_PA(&pa);
}

TEST(palloc, reserve_fails_when_a_split_finds_the_table_full)
{
	struct palloc pa;
	uint64_t reserved;

	fill_table(&pa);
	reserved = pa.reserved;
	/* The middle page of a 4-page range: needs a new slot. */
	CHECK_EQ(palloc_reserve(&pa, 5 * MiB + PAGE_SIZE, PAGE_SIZE),
		 PALLOC_EFULL);
	CHECK_EQ(pa.reserved, reserved);
	CHECK_PA(&pa);
	/* Trimming an end needs none. */
	CHECK_EQ(palloc_reserve(&pa, 5 * MiB, PAGE_SIZE), PALLOC_OK);
	CHECK_EQ(pa.reserved, reserved + PAGE_SIZE);
	CHECK_PA(&pa);
}

/*
 * [base, 2^64) does not wrap and must be reserved up to the top.  (It
 * once computed its end as ALIGN_UP(0) = 0 and reserved nothing; hv/main.c
 * can ask for such a range: see hostdt's
 * chosen_initrd_start_without_end_is_ignored.)
 */
TEST(palloc, reserve_range_ending_at_top_of_address_space)
{
	struct palloc pa;

	palloc_init(&pa);
	palloc_add(&pa, 0, 1 * MiB);
	CHECK_EQ(palloc_reserve(&pa, 512 * 1024, 0 - 512 * 1024ull),
		 PALLOC_OK);
	CHECK_EQ(pa.reserved, 512 * 1024);
	CHECK_RANGES(&pa, 0, 512 * 1024);
	CHECK_PA(&pa);
}

TEST(palloc, reserve_range_ending_in_last_page_of_address_space)
{
	struct palloc pa;

	palloc_init(&pa);
	palloc_add(&pa, 0, 1 * MiB);
	CHECK_EQ(palloc_reserve(&pa, 512 * 1024, UINT64_MAX - 512 * 1024 - 8),
		 PALLOC_OK);
	CHECK_EQ(pa.reserved, 512 * 1024);
	CHECK_RANGES(&pa, 0, 512 * 1024);
	CHECK_PA(&pa);
}

/* ---- allocating --------------------------------------------------------- */

TEST(palloc, alloc_rejects_zero_size)
{
	struct palloc pa;
	uint64_t base = 0xdead;

	palloc_init(&pa);
	palloc_add(&pa, 0, 1 * MiB);
	CHECK_EQ(palloc_alloc(&pa, 0, 0, &base), PALLOC_EINVAL);
	CHECK_EQ(base, 0xdead);
	CHECK_EQ(pa.failures, 0);
	CHECK_EQ(pa.allocated, 0);
	CHECK_PA(&pa);
}

TEST(palloc, alloc_rejects_size_that_cannot_be_rounded_to_pages)
{
	struct palloc pa;
	uint64_t base;

	palloc_init(&pa);
	palloc_add(&pa, 0, 1 * MiB);
	CHECK_EQ(palloc_alloc(&pa, UINT64_MAX, 0, &base), PALLOC_EINVAL);
	CHECK_EQ(palloc_alloc(&pa, UINT64_MAX - 0x800, 0, &base),
		 PALLOC_EINVAL);
	CHECK_EQ(pa.allocated, 0);
	CHECK_PA(&pa);
}

TEST(palloc, alloc_rejects_alignment_that_is_not_a_power_of_two)
{
	struct palloc pa;
	uint64_t base;

	palloc_init(&pa);
	palloc_add(&pa, 0, 1 * MiB);
	CHECK_EQ(palloc_alloc(&pa, PAGE_SIZE, 0x3000, &base), PALLOC_EINVAL);
	CHECK_EQ(palloc_alloc(&pa, PAGE_SIZE, 3 * MiB, &base), PALLOC_EINVAL);
	CHECK_EQ(palloc_alloc(&pa, PAGE_SIZE, UINT64_MAX, &base),
		 PALLOC_EINVAL);
	CHECK_EQ(pa.failures, 0);
	CHECK_EQ(pa.allocated, 0);
	CHECK_PA(&pa);
}

TEST(palloc, alloc_fails_when_exhausted)
{
	struct palloc pa;
	uint64_t base;

	palloc_init(&pa);
	palloc_add(&pa, 1 * MiB, 16 * PAGE_SIZE);
	for (int i = 0; i < 16; i++) {
		CHECK_EQ(palloc_alloc(&pa, PAGE_SIZE, 0, &base), PALLOC_OK);
		CHECK_EQ(base, 1 * MiB + (uint64_t)i * PAGE_SIZE);
		CHECK_PA(&pa);
	}
	base = 0xdead;
	CHECK_EQ(palloc_alloc(&pa, PAGE_SIZE, 0, &base), PALLOC_ENOMEM);
	CHECK_EQ(base, 0xdead);
	CHECK_EQ(pa.failures, 1);
	CHECK_EQ(palloc_alloc(&pa, 1, 0, &base), PALLOC_ENOMEM);
	CHECK_EQ(pa.failures, 2);
	CHECK_EQ(pa.allocated, 16 * PAGE_SIZE);
	CHECK_EQ(pa.free_count, 0);
	CHECK_PA(&pa);
}

TEST(palloc, alloc_fails_when_memory_is_free_but_fragmented)
{
	struct palloc pa;
	uint64_t base;

	palloc_init(&pa);
	palloc_add(&pa, 0, 4 * MiB);
	palloc_reserve(&pa, 1 * MiB, PAGE_SIZE);
	palloc_reserve(&pa, 2 * MiB, PAGE_SIZE);
	palloc_reserve(&pa, 3 * MiB, PAGE_SIZE);
	CHECK_GT(palloc_free_bytes(&pa), 3 * MiB);
	CHECK_EQ(palloc_largest(&pa), 1 * MiB);
	CHECK_EQ(palloc_alloc(&pa, 1 * MiB + PAGE_SIZE, 0, &base),
		 PALLOC_ENOMEM);
	CHECK_EQ(pa.failures, 1);
	CHECK_EQ(palloc_alloc(&pa, 1 * MiB, 0, &base), PALLOC_OK);
	CHECK_EQ(base, 0);
	CHECK_PA(&pa);
}

TEST(palloc, alloc_fails_when_alignment_cannot_be_met)
{
	struct palloc pa;
	uint64_t base;

	palloc_init(&pa);
	palloc_add(&pa, PAGE_SIZE, 2 * MiB); /* [4K, 2M + 4K) */
	CHECK_EQ(palloc_alloc(&pa, 2 * MiB, 2 * MiB, &base), PALLOC_ENOMEM);
	CHECK_EQ(palloc_alloc(&pa, PAGE_SIZE, 1ull << 63, &base),
		 PALLOC_ENOMEM);
	CHECK_EQ(pa.failures, 2);
	CHECK_EQ(palloc_alloc(&pa, PAGE_SIZE, 2 * MiB, &base), PALLOC_OK);
	CHECK_EQ(base, 2 * MiB);
	CHECK_PA(&pa);
}

TEST(palloc, alloc_rounds_size_up_to_whole_pages)
{
	struct palloc pa;
	uint64_t a, b;

	palloc_init(&pa);
	palloc_add(&pa, 0, 1 * MiB);
	CHECK_EQ(palloc_alloc(&pa, 1, 0, &a), PALLOC_OK);
	CHECK_EQ(palloc_alloc(&pa, PAGE_SIZE + 1, 0, &b), PALLOC_OK);
	CHECK_EQ(a, 0);
	CHECK_EQ(b, PAGE_SIZE);
	CHECK_EQ(pa.allocated, 3 * PAGE_SIZE);
	CHECK_RANGES(&pa, 3 * PAGE_SIZE, 1 * MiB - 3 * PAGE_SIZE);
	CHECK_PA(&pa);
}

TEST(palloc, alloc_returns_lowest_address_that_fits)
{
	struct palloc pa;
	uint64_t base;

	palloc_init(&pa);
	palloc_add(&pa, 8 * MiB, 4 * MiB);
	palloc_add(&pa, 0, 64 * 1024);
	palloc_add(&pa, 1 * MiB, 1 * MiB);
	CHECK_EQ(palloc_alloc(&pa, 128 * 1024, 0, &base), PALLOC_OK);
	CHECK_EQ(base, 1 * MiB); /* the first range is too small */
	CHECK_EQ(palloc_alloc(&pa, 2 * MiB, 0, &base), PALLOC_OK);
	CHECK_EQ(base, 8 * MiB);
	CHECK_EQ(palloc_alloc(&pa, PAGE_SIZE, 0, &base), PALLOC_OK);
	CHECK_EQ(base, 0);
	CHECK_PA(&pa);
}

TEST(palloc, alloc_smaller_alignment_than_a_page_means_a_page)
{
	struct palloc pa;
	uint64_t a, b, c;

	palloc_init(&pa);
	palloc_add(&pa, PAGE_SIZE, 1 * MiB);
	CHECK_EQ(palloc_alloc(&pa, 100, 0, &a), PALLOC_OK);
	CHECK_EQ(palloc_alloc(&pa, 100, 16, &b), PALLOC_OK);
	CHECK_EQ(palloc_alloc(&pa, 100, 3, &c), PALLOC_OK); /* below a page */
	CHECK_EQ(a, PAGE_SIZE);
	CHECK_EQ(b, 2 * PAGE_SIZE);
	CHECK_EQ(c, 3 * PAGE_SIZE);
	CHECK_PA(&pa);
}

TEST(palloc, alloc_honours_alignment_and_keeps_the_gap_free)
{
	struct palloc pa;
	uint64_t base;

	palloc_init(&pa);
	palloc_add(&pa, PAGE_SIZE, 64 * MiB);
	CHECK_EQ(palloc_alloc(&pa, PAGE_SIZE, 2 * MiB, &base), PALLOC_OK);
	CHECK_EQ(base, 2 * MiB);
	CHECK_RANGES(&pa, PAGE_SIZE, 2 * MiB - PAGE_SIZE, 2 * MiB + PAGE_SIZE,
		     62 * MiB);
	CHECK_EQ(palloc_alloc(&pa, 16 * MiB, 16 * MiB, &base), PALLOC_OK);
	CHECK_EQ(base, 16 * MiB);
	CHECK_EQ(palloc_alloc(&pa, PAGE_SIZE, 64 * 1024, &base), PALLOC_OK);
	CHECK_EQ(base, 64 * 1024); /* from the gap below the first block */
	CHECK_EQ(pa.allocated, 16 * MiB + 2 * PAGE_SIZE);
	CHECK_PA(&pa);
}

TEST(palloc, alloc_fails_when_split_finds_the_table_full)
{
	struct palloc pa;
	uint64_t base, allocated;

	fill_table(&pa); /* 128 ranges of 4 pages at 1 MiB boundaries */
	CHECK_EQ(palloc_reserve(&pa, 0, PAGE_SIZE), PALLOC_OK);
	allocated = pa.allocated;
	/* Range 0 is [4K, 16K): an 8K-aligned page leaves a page each side. */
	CHECK_EQ(palloc_alloc(&pa, PAGE_SIZE, 2 * PAGE_SIZE, &base),
		 PALLOC_EFULL);
	CHECK_EQ(pa.allocated, allocated);
	CHECK_EQ(pa.failures, 0); /* not a lack of memory */
	CHECK_PA(&pa);
	/* Without alignment the front of a range is taken: no split. */
	CHECK_EQ(palloc_alloc(&pa, PAGE_SIZE, 0, &base), PALLOC_OK);
	CHECK_EQ(base, PAGE_SIZE);
	CHECK_PA(&pa);
}

TEST(palloc, alloc_tracks_allocated_and_peak)
{
	struct palloc pa;
	uint64_t a, b, c;

	palloc_init(&pa);
	palloc_add(&pa, 0, 1 * MiB);
	CHECK_EQ(palloc_alloc(&pa, 3 * PAGE_SIZE, 0, &a), PALLOC_OK);
	CHECK_EQ(palloc_alloc(&pa, 5 * PAGE_SIZE, 0, &b), PALLOC_OK);
	CHECK_EQ(pa.allocated, 8 * PAGE_SIZE);
	CHECK_EQ(pa.peak, 8 * PAGE_SIZE);
	CHECK_EQ(palloc_free(&pa, a, 3 * PAGE_SIZE), PALLOC_OK);
	CHECK_EQ(pa.allocated, 5 * PAGE_SIZE);
	CHECK_EQ(pa.peak, 8 * PAGE_SIZE);
	CHECK_EQ(palloc_alloc(&pa, PAGE_SIZE, 0, &c), PALLOC_OK);
	CHECK_EQ(pa.peak, 8 * PAGE_SIZE);
	CHECK_EQ(palloc_alloc(&pa, 4 * PAGE_SIZE, 0, &c), PALLOC_OK);
	CHECK_EQ(pa.peak, 10 * PAGE_SIZE);
	CHECK_PA(&pa);
}

/* ---- claiming a given range ---------------------------------------------- */

TEST(palloc, claim_rejects_unaligned_zero_or_wrapping_ranges)
{
	struct palloc pa;

	palloc_init(&pa);
	palloc_add(&pa, 0, 1 * MiB);
	CHECK_EQ(palloc_claim(&pa, 0x800, PAGE_SIZE), PALLOC_EINVAL);
	CHECK_EQ(palloc_claim(&pa, 0, 0x800), PALLOC_EINVAL);
	CHECK_EQ(palloc_claim(&pa, 0, 0), PALLOC_EINVAL);
	CHECK_EQ(palloc_claim(&pa, UINT64_MAX - 0xfff, 0x2000), PALLOC_EINVAL);
	CHECK_EQ(pa.allocated, 0);
	CHECK_EQ(pa.failures, 0);
	CHECK_PA(&pa);
}

TEST(palloc, claim_takes_exactly_the_range_asked_for)
{
	struct palloc pa;

	palloc_init(&pa);
	palloc_add(&pa, 0, 1 * MiB);
	CHECK_EQ(palloc_claim(&pa, 64 * 1024, 2 * PAGE_SIZE), PALLOC_OK);
	CHECK_RANGES(&pa, 0, 64 * 1024, 64 * 1024 + 2 * PAGE_SIZE,
		     1 * MiB - 64 * 1024 - 2 * PAGE_SIZE);
	CHECK_EQ(pa.allocated, 2 * PAGE_SIZE);
	CHECK_EQ(palloc_claim(&pa, 0, PAGE_SIZE), PALLOC_OK); /* front */
	CHECK_EQ(palloc_claim(&pa, 1 * MiB - PAGE_SIZE, PAGE_SIZE),
		 PALLOC_OK); /* back */
	CHECK_RANGES(&pa, PAGE_SIZE, 64 * 1024 - PAGE_SIZE,
		     64 * 1024 + 2 * PAGE_SIZE,
		     1 * MiB - 64 * 1024 - 3 * PAGE_SIZE);
	CHECK_EQ(pa.peak, 4 * PAGE_SIZE);
	CHECK_PA(&pa);
	/* A claimed block is given back like an allocated one. */
	CHECK_EQ(palloc_free(&pa, 64 * 1024, 2 * PAGE_SIZE), PALLOC_OK);
	CHECK_EQ(palloc_free(&pa, 0, PAGE_SIZE), PALLOC_OK);
	CHECK_EQ(palloc_free(&pa, 1 * MiB - PAGE_SIZE, PAGE_SIZE), PALLOC_OK);
	CHECK_RANGES(&pa, 0, 1 * MiB);
	CHECK_PA(&pa);
}

TEST(palloc, claim_refuses_range_not_wholly_free)
{
	struct palloc pa;
	uint64_t base;

	palloc_init(&pa);
	palloc_add(&pa, 0, 1 * MiB);
	palloc_add(&pa, 2 * MiB, 1 * MiB);
	palloc_reserve(&pa, 512 * 1024, PAGE_SIZE);
	CHECK_EQ(palloc_alloc(&pa, PAGE_SIZE, 0, &base), PALLOC_OK);
	/* Allocated, reserved, outside memory, straddling a hole. */
	CHECK_EQ(palloc_claim(&pa, base, PAGE_SIZE), PALLOC_ENOMEM);
	CHECK_EQ(palloc_claim(&pa, 512 * 1024, PAGE_SIZE), PALLOC_ENOMEM);
	CHECK_EQ(palloc_claim(&pa, 1 * MiB, PAGE_SIZE), PALLOC_ENOMEM);
	CHECK_EQ(palloc_claim(&pa, 1 * MiB - PAGE_SIZE, 2 * PAGE_SIZE),
		 PALLOC_ENOMEM);
	CHECK_EQ(palloc_claim(&pa, 500 * 1024, 32 * PAGE_SIZE), PALLOC_ENOMEM);
	CHECK_EQ(palloc_claim(&pa, 3 * MiB - PAGE_SIZE, 2 * PAGE_SIZE),
		 PALLOC_ENOMEM);
	CHECK_EQ(pa.failures, 6);
	CHECK_EQ(pa.allocated, PAGE_SIZE);
	CHECK_PA(&pa);
}

TEST(palloc, claim_fails_when_split_finds_the_table_full)
{
	struct palloc pa;

	fill_table(&pa);
	CHECK_EQ(palloc_claim(&pa, PAGE_SIZE, PAGE_SIZE), PALLOC_EFULL);
	CHECK_EQ(pa.allocated, 0);
	CHECK_PA(&pa);
	CHECK_EQ(palloc_claim(&pa, 0, PAGE_SIZE), PALLOC_OK);
	CHECK_PA(&pa);
}

/* ---- freeing ------------------------------------------------------------ */

TEST(palloc, free_rejects_unaligned_zero_or_wrapping_blocks)
{
	struct palloc pa;
	uint64_t base;

	palloc_init(&pa);
	palloc_add(&pa, 0, 1 * MiB);
	palloc_alloc(&pa, 4 * PAGE_SIZE, 0, &base);
	CHECK_EQ(palloc_free(&pa, base + 0x10, PAGE_SIZE), PALLOC_EINVAL);
	CHECK_EQ(palloc_free(&pa, base, 0), PALLOC_EINVAL);
	CHECK_EQ(palloc_free(&pa, UINT64_MAX - 0xfff, 0x2000), PALLOC_EINVAL);
	CHECK_EQ(palloc_free(&pa, 0, UINT64_MAX), PALLOC_EINVAL);
	CHECK_EQ(pa.allocated, 4 * PAGE_SIZE);
	CHECK_PA(&pa);
}

TEST(palloc, free_detects_double_free)
{
	struct palloc pa;
	uint64_t a, b;

	palloc_init(&pa);
	palloc_add(&pa, 0, 1 * MiB);
	palloc_alloc(&pa, 2 * PAGE_SIZE, 0, &a);
	palloc_alloc(&pa, 2 * PAGE_SIZE, 0, &b);
	CHECK_EQ(palloc_free(&pa, a, 2 * PAGE_SIZE), PALLOC_OK);
	CHECK_EQ(palloc_free(&pa, a, 2 * PAGE_SIZE), PALLOC_EOVERLAP);
	CHECK_EQ(pa.allocated, 2 * PAGE_SIZE);
	CHECK_PA(&pa);
	CHECK_EQ(palloc_free(&pa, b, 2 * PAGE_SIZE), PALLOC_OK);
	CHECK_EQ(palloc_free(&pa, b, 2 * PAGE_SIZE), PALLOC_EOVERLAP);
	CHECK_EQ(pa.allocated, 0);
	CHECK_RANGES(&pa, 0, 1 * MiB);
	CHECK_PA(&pa);
}

TEST(palloc, free_detects_block_partly_free)
{
	struct palloc pa;
	uint64_t a, b;

	palloc_init(&pa);
	palloc_add(&pa, 0, 1 * MiB);
	palloc_alloc(&pa, 4 * PAGE_SIZE, 0, &a);
	palloc_alloc(&pa, 4 * PAGE_SIZE, 0, &b);
	/* Give back the last page of a, then all of a. */
	CHECK_EQ(palloc_free(&pa, a + 3 * PAGE_SIZE, PAGE_SIZE), PALLOC_OK);
	CHECK_EQ(palloc_free(&pa, a, 4 * PAGE_SIZE), PALLOC_EOVERLAP);
	/* A block running from b into the free memory after it. */
	CHECK_EQ(palloc_free(&pa, b, 8 * PAGE_SIZE), PALLOC_EOVERLAP);
	CHECK_EQ(pa.allocated, 7 * PAGE_SIZE);
	CHECK_PA(&pa);
}

TEST(palloc, free_of_more_than_is_allocated_is_refused)
{
	struct palloc pa;
	uint64_t a;

	palloc_init(&pa);
	palloc_add(&pa, 0, 1 * MiB);
	palloc_alloc(&pa, PAGE_SIZE, 0, &a);
	CHECK_EQ(palloc_free(&pa, 2 * MiB, 2 * PAGE_SIZE), PALLOC_EOVERLAP);
	CHECK_EQ(pa.allocated, PAGE_SIZE);
	CHECK_PA(&pa);
}

/*
 * The last page of the address space is never managed (mm/page_alloc.c
 * TOP_PAGE): freeing it must not put it in the free list, where its end
 * (2^64) cannot be represented.
 */
TEST(palloc, free_of_the_unmanaged_top_page_is_refused)
{
	struct palloc pa;
	uint64_t a;

	palloc_init(&pa);
	palloc_add(&pa, 0, 1 * MiB);
	palloc_alloc(&pa, 4 * PAGE_SIZE, 0, &a);
	CHECK_NE(palloc_free(&pa, UINT64_MAX - PAGE_SIZE + 1, PAGE_SIZE),
		 PALLOC_OK);
	CHECK_NE(palloc_free(&pa, UINT64_MAX - PAGE_SIZE + 1, 0x800),
		 PALLOC_OK);
	CHECK_EQ(pa.allocated, 4 * PAGE_SIZE);
	CHECK_RANGES(&pa, 4 * PAGE_SIZE, 1 * MiB - 4 * PAGE_SIZE);
	CHECK_PA(&pa);
}

TEST(palloc, free_coalesces_with_both_neighbours)
{
	struct palloc pa;
	uint64_t a, b, c, d;

	palloc_init(&pa);
	palloc_add(&pa, 0, 1 * MiB);
	palloc_alloc(&pa, PAGE_SIZE, 0, &a);
	palloc_alloc(&pa, PAGE_SIZE, 0, &b);
	palloc_alloc(&pa, PAGE_SIZE, 0, &c);
	palloc_alloc(&pa, PAGE_SIZE, 0, &d);
	CHECK_EQ(palloc_free(&pa, b, PAGE_SIZE), PALLOC_OK);
	CHECK_RANGES(&pa, PAGE_SIZE, PAGE_SIZE, 4 * PAGE_SIZE,
		     1 * MiB - 4 * PAGE_SIZE);
	CHECK_EQ(palloc_free(&pa, d, PAGE_SIZE), PALLOC_OK); /* merges up */
	CHECK_RANGES(&pa, PAGE_SIZE, PAGE_SIZE, 3 * PAGE_SIZE,
		     1 * MiB - 3 * PAGE_SIZE);
	CHECK_EQ(palloc_free(&pa, c, PAGE_SIZE), PALLOC_OK); /* both sides */
	CHECK_RANGES(&pa, PAGE_SIZE, 1 * MiB - PAGE_SIZE);
	CHECK_EQ(palloc_free(&pa, a, PAGE_SIZE), PALLOC_OK); /* merges down */
	CHECK_RANGES(&pa, 0, 1 * MiB);
	CHECK_EQ(palloc_largest(&pa), 1 * MiB);
	CHECK_EQ(pa.allocated, 0);
	CHECK_PA(&pa);
}

TEST(palloc, free_fails_when_table_full)
{
	struct palloc pa;
	uint64_t base, allocated;

	fill_table(&pa);
	/* Take the middle pages of range 0 via two front allocations. */
	palloc_reserve(&pa, 0, PAGE_SIZE); /* [4K, 16K) */
	CHECK_EQ(palloc_alloc(&pa, 2 * PAGE_SIZE, 0, &base), PALLOC_OK);
	CHECK_EQ(base, PAGE_SIZE);
	/* Freeing its first page leaves a hole: needs a new slot. */
	allocated = pa.allocated;
	CHECK_EQ(palloc_free(&pa, base, PAGE_SIZE), PALLOC_EFULL);
	CHECK_EQ(pa.allocated, allocated);
	CHECK_PA(&pa);
	/* Its second page merges with the free page after it. */
	CHECK_EQ(palloc_free(&pa, base + PAGE_SIZE, PAGE_SIZE), PALLOC_OK);
	CHECK_PA(&pa);
}

TEST(palloc, strerror_names_every_error)
{
	CHECK_STR_EQ(palloc_strerror(PALLOC_OK), "success");
	CHECK_STR_CONTAINS(palloc_strerror(PALLOC_EINVAL), "invalid");
	CHECK_STR_EQ(palloc_strerror(PALLOC_ENOMEM), "out of memory");
	CHECK_STR_CONTAINS(palloc_strerror(PALLOC_EFULL), "full");
	CHECK_STR_CONTAINS(palloc_strerror(PALLOC_EOVERLAP), "overlaps");
	CHECK_STR_EQ(palloc_strerror((enum palloc_err)99), "unknown error");
}

/* ---- a boot-time memory map and a long random run ----------------------- */

struct block {
	uint64_t base, size;
};

static bool overlaps_any(const struct block *b, uint32_t n, uint64_t base,
			 uint64_t size)
{
	for (uint32_t i = 0; i < n; i++) {
		if (ranges_overlap(b[i].base, b[i].size, base, size)) {
			return true;
		}
	}
	return false;
}

/* The ranges skiboot v7.0 reserves on QEMU powernv9, 2 GiB. */
static const struct block skiboot_rsv[] = {
	{ 0x30000000, 0x600000 },	{ 0x30600000, 0xa00000 },
	{ 0x31000000, 0xc10000 },	{ 0x31c10000, 0x20000 },
	{ 0x31c30000, 0xce0000 },	{ 0x203ffd800000ull, 0x400000 },
	{ 0x203fff800000ull, 0x800000 }, { 0x0, 0x3000 }, /* vectors */
	{ 0x20000000, 0x1234567 },	/* our image, unaligned size */
};

TEST(palloc, boot_memory_map_never_hands_out_reserved_memory)
{
	struct palloc pa;
	uint64_t base, rsv = 0;

	palloc_init(&pa);
	CHECK_EQ(palloc_add(&pa, 0, 2 * GiB), PALLOC_OK);
	for (uint32_t i = 0; i < ARRAY_SIZE(skiboot_rsv); i++) {
		CHECK_EQ(palloc_reserve(&pa, skiboot_rsv[i].base,
					skiboot_rsv[i].size),
			 PALLOC_OK);
		CHECK_PA(&pa);
	}
	for (uint32_t i = 0; i < 5; i++) { /* HOMER and OCC lie outside */
		rsv += skiboot_rsv[i].size;
	}
	rsv += 0x3000 + ALIGN_UP(0x1234567ull, PAGE_SIZE);
	CHECK_EQ(pa.reserved, rsv);
	/* The hypervisor heap, as mm/mem.c carves it. */
	CHECK_EQ(palloc_alloc(&pa, 16 * MiB, SZ_64K, &base), PALLOC_OK);
	CHECK_EQ(base, 0x10000);
	CHECK(!overlaps_any(skiboot_rsv, ARRAY_SIZE(skiboot_rsv), base,
			    16 * MiB));
	/* Everything else, in 1 MiB blocks: none may touch a reservation. */
	while (palloc_alloc(&pa, 1 * MiB, 0, &base) == PALLOC_OK) {
		if (overlaps_any(skiboot_rsv, ARRAY_SIZE(skiboot_rsv), base,
				 1 * MiB)) {
			test_fail(__FILE__, __LINE__,
				  "block 0x%llx overlaps a reserved range",
				  (unsigned long long)base);
			break;
		}
	}
	CHECK_LT(palloc_largest(&pa), 1 * MiB);
	CHECK_PA(&pa);
}

TEST(palloc, random_alloc_free_keeps_invariants)
{
	/* At most LIVE_MAX + 4 free ranges: the table never fills. */
	enum { LIVE_MAX = 100, OPS = 4000 };
	struct block *live = calloc(LIVE_MAX, sizeof(*live));
	struct palloc pa;
	struct test_rng rng;
	uint32_t nlive = 0, allocs = 0, frees = 0;
	uint64_t total_free;

	REQUIRE(live);
	test_rng_seed(&rng, 0x5eed0001);
	palloc_init(&pa);
	CHECK_EQ(palloc_add(&pa, 0, 1 * GiB), PALLOC_OK);
	CHECK_EQ(palloc_add(&pa, 4 * GiB, 64 * MiB), PALLOC_OK);
	CHECK_EQ(palloc_reserve(&pa, 0x30000000, 0x1c30000), PALLOC_OK);
	CHECK_EQ(palloc_reserve(&pa, 17 * MiB + 5, 3 * MiB), PALLOC_OK);
	total_free = palloc_free_bytes(&pa);
	for (int op = 0; op < OPS && !test_failed(); op++) {
		bool do_alloc = nlive == 0 || (nlive < LIVE_MAX &&
					       test_rng_below(&rng, 100) < 55);

		if (do_alloc) {
			uint64_t size = (test_rng_below(&rng, 64) + 1) *
					PAGE_SIZE;
			uint64_t align = PAGE_SIZE << test_rng_below(&rng, 10);
			uint64_t base;
			enum palloc_err e;

			if (test_rng_below(&rng, 20) == 0) {
				size = (test_rng_below(&rng, 32) + 1) * MiB;
			}
			e = palloc_alloc(&pa, size, align, &base);
			if (e == PALLOC_ENOMEM) {
				continue;
			}
			CHECK_EQ(e, PALLOC_OK);
			if (e != PALLOC_OK) {
				break;
			}
			allocs++;
			CHECK(IS_ALIGNED(base, align));
			CHECK(!overlaps_any(live, nlive, base, size));
			CHECK(!ranges_overlap(base, size, 0x30000000,
					      0x1c30000));
			CHECK(!ranges_overlap(base, size, 17 * MiB,
					      3 * MiB + PAGE_SIZE));
			CHECK(base + size <= 1 * GiB ||
			      (base >= 4 * GiB &&
			       base + size <= 4 * GiB + 64 * MiB));
			live[nlive++] = (struct block){ base, size };
		} else {
			uint32_t i = (uint32_t)test_rng_below(&rng, nlive);

			CHECK_EQ(palloc_free(&pa, live[i].base, live[i].size),
				 PALLOC_OK);
			if (test_rng_below(&rng, 10) == 0) {
				CHECK_EQ(palloc_free(&pa, live[i].base,
						     live[i].size),
					 PALLOC_EOVERLAP);
			}
			live[i] = live[--nlive];
			frees++;
		}
		CHECK_PA(&pa);
	}
	while (nlive) {
		nlive--;
		CHECK_EQ(palloc_free(&pa, live[nlive].base, live[nlive].size),
			 PALLOC_OK);
	}
	CHECK_GT(allocs, OPS / 3);
	CHECK_GT(frees, OPS / 3);
	CHECK_EQ(pa.allocated, 0);
	CHECK_EQ(palloc_free_bytes(&pa), total_free);
	CHECK_RANGES(&pa, 0, 17 * MiB, 20 * MiB + PAGE_SIZE,
		     0x30000000 - 20 * MiB - PAGE_SIZE, 0x31c30000,
		     1 * GiB - 0x31c30000, 4 * GiB, 64 * MiB);
	CHECK_PA(&pa);
	free(live);
}
