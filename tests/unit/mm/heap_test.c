/*
 * Tests for mm/heap.c, the first-fit hypervisor heap, over a malloc'd
 * region.  Besides the public counters, heap_walk() checks the block
 * layout mm/heap.c documents (a 16-byte header per block: magic word and
 * total size; blocks tile the region; no two free blocks are adjacent).
 */
#include <stdlib.h>

#include "mm/heap.h"
#include "tests/unit/test.h"

/* Mirrors mm/heap.c's private block header. */
#define HDR_SIZE 16u
#define MAGIC_FREE 0x46524545u
#define MAGIC_USED 0x55534544u

struct hdr {
	uint32_t magic;
	uint32_t pad;
	uint64_t size;
};

#define REGION_SIZE (1024 * 1024)

/* A region aligned to 64 KiB, so that layouts do not depend on malloc. */
static void *region_alloc(size_t size)
{
	void *p = aligned_alloc(SZ_64K, ALIGN_UP(size, SZ_64K));

	if (p) {
		memset(p, 0x5a, size);
	}
	return p;
}

static void heap_walk(const struct heap *h, const char *file, int line)
{
	uint64_t addr = h->base, end = h->base + h->size;
	uint64_t used_bytes = 0, used_count = 0;
	bool prev_free = false;

	while (addr < end) {
		const struct hdr *b = (const struct hdr *)(uintptr_t)addr;

		if ((b->magic != MAGIC_FREE && b->magic != MAGIC_USED) ||
		    b->size < 2 * HDR_SIZE || b->size % HEAP_ALIGN ||
		    b->size > end - addr) {
			test_fail(file, line,
				  "bad block at +0x%llx: magic 0x%x size 0x%llx",
				  (unsigned long long)(addr - h->base),
				  b->magic, (unsigned long long)b->size);
			return;
		}
		if (b->magic == MAGIC_FREE && prev_free) {
			test_fail(file, line,
				  "adjacent free blocks at +0x%llx (not "
				  "coalesced)",
				  (unsigned long long)(addr - h->base));
		}
		if (b->magic == MAGIC_USED) {
			used_bytes += b->size;
			used_count++;
		}
		prev_free = b->magic == MAGIC_FREE;
		addr += b->size;
	}
	if (addr != end) {
		test_fail(file, line, "blocks overrun the region end");
	}
	if (used_bytes != h->in_use || used_count != h->allocs) {
		test_fail(file, line,
			  "walk found %llu used blocks of %llu bytes; heap "
			  "says %llu blocks, in_use %llu",
			  (unsigned long long)used_count,
			  (unsigned long long)used_bytes,
			  (unsigned long long)h->allocs,
			  (unsigned long long)h->in_use);
	}
	if (h->peak < h->in_use) {
		test_fail(file, line, "peak below in_use");
	}
}

#define CHECK_HEAP(h) heap_walk((h), __FILE__, __LINE__)

static bool inside(const struct heap *h, const void *p, uint64_t size)
{
	uintptr_t a = (uintptr_t)p;

	return a >= h->base && a + size <= h->base + h->size;
}

/* ---- set-up ------------------------------------------------------------- */

TEST(heap, init_rejects_unaligned_base)
{
	char *mem = region_alloc(4096);
	struct heap h;

	REQUIRE(mem);
	CHECK(!heap_init(&h, mem + 8, 1024));
	CHECK(!heap_init(&h, mem + 1, 1024));
	CHECK_EQ(h.size, 0);
	CHECK(heap_alloc(&h, 16, 0) == NULL); /* an unusable heap hands out nothing */
	free(mem);
}

TEST(heap, init_rejects_region_smaller_than_a_block)
{
	char *mem = region_alloc(4096);
	struct heap h;

	REQUIRE(mem);
	CHECK(!heap_init(&h, mem, 0));
	CHECK(!heap_init(&h, mem, 31));
	CHECK(heap_init(&h, mem, 32));
	CHECK_EQ(heap_largest_free(&h), 16);
	free(mem);
}

TEST(heap, init_rejects_wrapping_region)
{
	struct heap h;

	/* Refused before the region is touched. */
	CHECK(!heap_init(&h, (void *)(UINTPTR_MAX & ~(uintptr_t)15), 4096));
}

TEST(heap, init_rounds_size_down_and_offers_one_free_block)
{
	char *mem = region_alloc(4096);
	struct heap h;

	REQUIRE(mem);
	REQUIRE(heap_init(&h, mem, 1000));
	CHECK_EQ(h.base, (uintptr_t)mem);
	CHECK_EQ(h.size, 992);
	CHECK_EQ(heap_largest_free(&h), 992 - HDR_SIZE);
	CHECK_EQ(h.in_use, 0);
	CHECK_EQ(h.allocs, 0);
	CHECK_HEAP(&h);
	free(mem);
}

/* ---- allocating --------------------------------------------------------- */

TEST(heap, alloc_of_zero_bytes_returns_null)
{
	char *mem = region_alloc(REGION_SIZE);
	struct heap h;

	REQUIRE(mem);
	REQUIRE(heap_init(&h, mem, REGION_SIZE));
	CHECK(heap_alloc(&h, 0, 0) == NULL);
	CHECK(heap_zalloc(&h, 0, 64) == NULL);
	CHECK_EQ(h.in_use, 0);
	CHECK_EQ(h.allocs, 0);
	CHECK_HEAP(&h);
	free(mem);
}

TEST(heap, alloc_rejects_bad_alignment)
{
	char *mem = region_alloc(REGION_SIZE);
	struct heap h;

	REQUIRE(mem);
	REQUIRE(heap_init(&h, mem, REGION_SIZE));
	CHECK(heap_alloc(&h, 64, 48) == NULL);       /* not a power of two */
	CHECK(heap_alloc(&h, 64, SZ_64K + 16) == NULL);
	CHECK(heap_alloc(&h, 64, 2 * SZ_64K) == NULL); /* above 64 KiB */
	CHECK(heap_alloc(&h, 64, 1ull << 63) == NULL);
	CHECK_EQ(h.allocs, 0);
	CHECK_HEAP(&h);
	free(mem);
}

TEST(heap, alloc_returns_aligned_memory_inside_the_heap)
{
	static const uint64_t aligns[] = { 0, 1, 8, 16, 32, 64, 128, 256,
					   4096, 8192, SZ_64K };
	char *mem = region_alloc(REGION_SIZE);
	void *p[ARRAY_SIZE(aligns)];
	struct heap h;

	REQUIRE(mem);
	REQUIRE(heap_init(&h, mem, REGION_SIZE));
	for (uint32_t i = 0; i < ARRAY_SIZE(aligns); i++) {
		uint64_t want = aligns[i] < HEAP_ALIGN ? HEAP_ALIGN : aligns[i];

		p[i] = heap_alloc(&h, 100 + i, aligns[i]);
		CHECK(p[i] != NULL);
		CHECK(IS_ALIGNED((uintptr_t)p[i], want));
		CHECK(inside(&h, p[i], 100 + i));
		memset(p[i], (int)i, 100 + i);
		CHECK_HEAP(&h);
	}
	CHECK_EQ(h.allocs, ARRAY_SIZE(aligns));
	for (uint32_t i = 0; i < ARRAY_SIZE(aligns); i++) {
		const unsigned char *c = p[i];

		for (uint32_t j = 0; j < 100 + i; j++) {
			if (c[j] != i) {
				test_fail(__FILE__, __LINE__,
					  "block %u byte %u overwritten", i, j);
				break;
			}
		}
		CHECK(heap_free(&h, p[i]));
		CHECK_HEAP(&h);
	}
	free(mem);
}

TEST(heap, alloc_is_first_fit_and_reuses_the_gap_left_by_alignment)
{
	char *mem = region_alloc(REGION_SIZE);
	struct heap h;
	char *a, *b;

	REQUIRE(mem);
	REQUIRE(heap_init(&h, mem, REGION_SIZE));
	a = heap_alloc(&h, 100, SZ_64K);
	REQUIRE(a != NULL);
	CHECK_EQ((uintptr_t)a, (uintptr_t)mem + SZ_64K);
	b = heap_alloc(&h, 64, 0); /* fits in the gap below a */
	REQUIRE(b != NULL);
	CHECK_EQ((uintptr_t)b, (uintptr_t)mem + HDR_SIZE);
	CHECK_HEAP(&h);
	CHECK(heap_free(&h, a));
	CHECK(heap_free(&h, b));
	CHECK_EQ(heap_largest_free(&h), REGION_SIZE - HDR_SIZE);
	CHECK_HEAP(&h);
	free(mem);
}

TEST(heap, alloc_accounts_headers_in_use_and_peak)
{
	char *mem = region_alloc(REGION_SIZE);
	struct heap h;
	void *a, *b;

	REQUIRE(mem);
	REQUIRE(heap_init(&h, mem, REGION_SIZE));
	a = heap_alloc(&h, 1, 0);
	REQUIRE(a != NULL);
	CHECK_EQ(h.in_use, HDR_SIZE + HEAP_ALIGN); /* 1 byte rounds to 16 */
	b = heap_alloc(&h, 1000, 0);
	REQUIRE(b != NULL);
	CHECK_EQ(h.in_use, HDR_SIZE + HEAP_ALIGN + HDR_SIZE + 1008);
	CHECK_EQ(h.allocs, 2);
	CHECK_EQ(h.peak, h.in_use);
	CHECK(heap_free(&h, b));
	CHECK_EQ(h.in_use, HDR_SIZE + HEAP_ALIGN);
	CHECK_EQ(h.peak, HDR_SIZE + HEAP_ALIGN + HDR_SIZE + 1008);
	CHECK(heap_free(&h, a));
	CHECK_EQ(h.in_use, 0);
	CHECK_EQ(h.allocs, 0);
	CHECK_HEAP(&h);
	free(mem);
}

TEST(heap, alloc_fails_when_exhausted_and_counts_failures)
{
	char *mem = region_alloc(64 * 1024);
	struct heap h;
	void *p[2048];
	uint32_t n = 0;

	REQUIRE(mem);
	REQUIRE(heap_init(&h, mem, 64 * 1024));
	while (n < ARRAY_SIZE(p) && (p[n] = heap_alloc(&h, 48, 0)) != NULL) {
		n++;
	}
	CHECK_EQ(n, 64 * 1024 / (HDR_SIZE + 48));
	CHECK_EQ(h.failures, 1);
	CHECK_EQ(h.allocs, n);
	CHECK_EQ(heap_largest_free(&h), 0);
	CHECK(heap_alloc(&h, 16, 0) == NULL);
	CHECK_EQ(h.failures, 2);
	CHECK_HEAP(&h);
	/* Room again after a free. */
	CHECK(heap_free(&h, p[n / 2]));
	CHECK(heap_alloc(&h, 48, 0) == p[n / 2]);
	CHECK_EQ(h.failures, 2);
	CHECK_HEAP(&h);
	free(mem);
}

TEST(heap, alloc_larger_than_largest_free_block_fails)
{
	char *mem = region_alloc(REGION_SIZE);
	struct heap h;
	uint64_t largest;
	void *p;

	REQUIRE(mem);
	REQUIRE(heap_init(&h, mem, REGION_SIZE));
	largest = heap_largest_free(&h);
	CHECK(heap_alloc(&h, largest + 1, 0) == NULL);
	CHECK_EQ(h.failures, 1);
	CHECK(heap_alloc(&h, UINT64_MAX, 0) == NULL);
	CHECK(heap_alloc(&h, UINT64_MAX - 8, 0) == NULL);
	p = heap_alloc(&h, largest, 0); /* exactly the whole heap */
	CHECK(p != NULL);
	CHECK_EQ(heap_largest_free(&h), 0);
	CHECK_HEAP(&h);
	CHECK(heap_free(&h, p));
	CHECK_EQ(heap_largest_free(&h), largest);
	free(mem);
}

TEST(heap, alloc_absorbs_a_tail_too_small_to_be_a_block)
{
	char *mem = region_alloc(4096);
	struct heap h;
	void *p;

	REQUIRE(mem);
	REQUIRE(heap_init(&h, mem, 256));
	/* 256 - 16 - 224 = 16 bytes left: not enough for a block. */
	p = heap_alloc(&h, 224, 0);
	REQUIRE(p != NULL);
	CHECK_EQ(h.in_use, 256);
	CHECK_EQ(heap_largest_free(&h), 0);
	CHECK_HEAP(&h);
	CHECK(heap_free(&h, p));
	CHECK_EQ(heap_largest_free(&h), 240);
	free(mem);
}

TEST(heap, zalloc_returns_zeroed_memory)
{
	char *mem = region_alloc(REGION_SIZE);
	unsigned char *p;
	struct heap h;

	REQUIRE(mem);
	REQUIRE(heap_init(&h, mem, REGION_SIZE));
	p = heap_alloc(&h, 4000, 0);
	REQUIRE(p != NULL);
	memset(p, 0xff, 4000);
	CHECK(heap_free(&h, p));
	p = heap_zalloc(&h, 3000, 64);
	REQUIRE(p != NULL);
	CHECK(IS_ALIGNED((uintptr_t)p, 64));
	for (int i = 0; i < 3000; i++) {
		if (p[i]) {
			test_fail(__FILE__, __LINE__, "byte %d is 0x%x", i,
				  p[i]);
			break;
		}
	}
	CHECK(heap_free(&h, p));
	free(mem);
}

/* ---- freeing ------------------------------------------------------------ */

TEST(heap, free_of_null_is_ignored)
{
	char *mem = region_alloc(4096);
	struct heap h;

	REQUIRE(mem);
	REQUIRE(heap_init(&h, mem, 4096));
	CHECK(heap_free(&h, NULL));
	CHECK_EQ(h.corrupted, 0);
	free(mem);
}

TEST(heap, free_of_a_bogus_pointer_is_refused_and_counted)
{
	char *mem = region_alloc(REGION_SIZE);
	struct heap h;
	char *p;
	int local;

	REQUIRE(mem);
	REQUIRE(heap_init(&h, mem, REGION_SIZE));
	p = heap_alloc(&h, 256, 0);
	REQUIRE(p != NULL);
	CHECK(!heap_free(&h, p + 16));		  /* inside a block */
	CHECK(!heap_free(&h, p + 256 + HDR_SIZE)); /* the free block after */
	CHECK(!heap_free(&h, &local));		  /* outside the heap */
	CHECK(!heap_free(&h, mem));		  /* before the first payload */
	CHECK(!heap_free(&h, mem + REGION_SIZE + 64)); /* past the end */
	CHECK(!heap_free(&h, (void *)8));	  /* header would wrap */
	CHECK_EQ(h.corrupted, 6);
	CHECK_EQ(h.allocs, 1);
	CHECK_HEAP(&h);
	CHECK(heap_free(&h, p));
	CHECK_EQ(h.corrupted, 6);
	free(mem);
}

TEST(heap, double_free_is_refused_and_counted)
{
	char *mem = region_alloc(REGION_SIZE);
	struct heap h;
	void *a, *b, *c;

	REQUIRE(mem);
	REQUIRE(heap_init(&h, mem, REGION_SIZE));
	a = heap_alloc(&h, 64, 0);
	b = heap_alloc(&h, 64, 0);
	c = heap_alloc(&h, 64, 0);
	REQUIRE(a && b && c);
	CHECK(heap_free(&h, b));
	CHECK(!heap_free(&h, b)); /* still a free block of its own */
	CHECK(heap_free(&h, a));
	CHECK(!heap_free(&h, b)); /* now merged into a's free block */
	CHECK(!heap_free(&h, a));
	CHECK_EQ(h.corrupted, 3);
	CHECK_EQ(h.allocs, 1);
	CHECK_HEAP(&h);
	CHECK(heap_free(&h, c));
	free(mem);
}

TEST(heap, free_coalesces_with_both_neighbours)
{
	char *mem = region_alloc(REGION_SIZE);
	uint64_t initial;
	struct heap h;
	void *a, *b, *c, *d;

	REQUIRE(mem);
	REQUIRE(heap_init(&h, mem, REGION_SIZE));
	initial = heap_largest_free(&h);
	a = heap_alloc(&h, 1000, 0);
	b = heap_alloc(&h, 2000, 0);
	c = heap_alloc(&h, 3000, 0);
	d = heap_alloc(&h, 16, 0); /* keeps c's block off the tail */
	REQUIRE(a && b && c && d);
	CHECK(heap_free(&h, a));
	CHECK(heap_free(&h, c));
	CHECK_HEAP(&h);
	/* Freeing b joins a, b and c into one block. */
	CHECK(heap_free(&h, b));
	CHECK_HEAP(&h);
	CHECK(heap_alloc(&h, 1008 + 2000 + 3000 + 2 * HDR_SIZE, 0) == a);
	CHECK(heap_free(&h, a));
	CHECK(heap_free(&h, d));
	CHECK_EQ(heap_largest_free(&h), initial);
	CHECK_HEAP(&h);
	free(mem);
}

TEST(heap, freeing_everything_restores_the_largest_free_block)
{
	char *mem = region_alloc(REGION_SIZE);
	struct heap h;
	void *p[300];
	uint64_t initial;

	REQUIRE(mem);
	REQUIRE(heap_init(&h, mem, REGION_SIZE));
	initial = heap_largest_free(&h);
	for (uint32_t i = 0; i < ARRAY_SIZE(p); i++) {
		p[i] = heap_alloc(&h, 16 + 37 * i % 2000, 16u << (i % 8));
		REQUIRE(p[i] != NULL);
	}
	CHECK_HEAP(&h);
	/* Even ones first, then odd ones backwards. */
	for (uint32_t i = 0; i < ARRAY_SIZE(p); i += 2) {
		CHECK(heap_free(&h, p[i]));
	}
	CHECK_HEAP(&h);
	CHECK_LT(heap_largest_free(&h), initial);
	for (uint32_t i = ARRAY_SIZE(p) - 1; i < ARRAY_SIZE(p); i -= 2) {
		CHECK(heap_free(&h, p[i]));
	}
	CHECK_EQ(heap_largest_free(&h), initial);
	CHECK_EQ(h.in_use, 0);
	CHECK_EQ(h.allocs, 0);
	CHECK_EQ(h.corrupted, 0);
	CHECK_HEAP(&h);
	free(mem);
}

/* ---- a long random run -------------------------------------------------- */

struct live {
	unsigned char *p;
	uint64_t size;
	unsigned char fill;
};

static bool contents_intact(const struct live *l)
{
	for (uint64_t i = 0; i < l->size; i++) {
		if (l->p[i] != (unsigned char)(l->fill + i)) {
			return false;
		}
	}
	return true;
}

TEST(heap, random_alloc_free_keeps_blocks_apart_and_contents_intact)
{
	enum { LIVE_MAX = 400, OPS = 20000 };
	struct live *live = calloc(LIVE_MAX, sizeof(*live));
	char *mem = region_alloc(REGION_SIZE);
	struct test_rng rng;
	struct heap h;
	uint32_t nlive = 0, allocs = 0, nulls = 0;
	uint64_t initial;

	if (!live || !mem || !heap_init(&h, mem, REGION_SIZE)) {
		test_fail(__FILE__, __LINE__, "set-up failed");
		free(live);
		free(mem);
		return;
	}
	initial = heap_largest_free(&h);
	test_rng_seed(&rng, 0x4ea9000000000001ull);
	for (int op = 0; op < OPS && !test_failed(); op++) {
		if (nlive < LIVE_MAX && (nlive == 0 ||
					 test_rng_below(&rng, 100) < 52)) {
			uint64_t size = test_rng_below(&rng, 4) ?
						1 + test_rng_below(&rng, 512) :
						1 + test_rng_below(&rng, 16384);
			uint64_t align = test_rng_below(&rng, 3) ?
						 0 :
						 1ull << test_rng_below(&rng, 17);
			bool zero = test_rng_below(&rng, 4) == 0;
			unsigned char *p = zero ? heap_zalloc(&h, size, align) :
						  heap_alloc(&h, size, align);
			struct live *l;

			if (!p) {
				nulls++;
				continue;
			}
			allocs++;
			CHECK(inside(&h, p, size));
			CHECK(IS_ALIGNED((uintptr_t)p, MAX(align, HEAP_ALIGN)));
			for (uint32_t i = 0; i < nlive; i++) {
				if (ranges_overlap((uintptr_t)p, size,
						   (uintptr_t)live[i].p,
						   live[i].size)) {
					test_fail(__FILE__, __LINE__,
						  "op %d: new block %p+%llu "
						  "overlaps live %p+%llu",
						  op, (void *)p,
						  (unsigned long long)size,
						  (void *)live[i].p,
						  (unsigned long long)live[i].size);
				}
			}
			if (zero) {
				for (uint64_t i = 0; i < size; i++) {
					if (p[i]) {
						test_fail(__FILE__, __LINE__,
							  "op %d: zalloc byte "
							  "%llu not zero",
							  op,
							  (unsigned long long)i);
						break;
					}
				}
			}
			l = &live[nlive++];
			*l = (struct live){ p, size,
					    (unsigned char)test_rng_next(&rng) };
			for (uint64_t i = 0; i < size; i++) {
				p[i] = (unsigned char)(l->fill + i);
			}
		} else {
			uint32_t i = (uint32_t)test_rng_below(&rng, nlive);

			if (!contents_intact(&live[i])) {
				test_fail(__FILE__, __LINE__,
					  "op %d: block %p+%llu was overwritten",
					  op, (void *)live[i].p,
					  (unsigned long long)live[i].size);
			}
			CHECK(heap_free(&h, live[i].p));
			live[i] = live[--nlive];
		}
		CHECK_EQ(h.allocs, nlive);
		if (op % 64 == 0) {
			CHECK_HEAP(&h);
		}
	}
	CHECK_GT(allocs, OPS / 3);
	CHECK_GT(nulls, 0); /* the run did reach exhaustion */
	CHECK_EQ(h.failures, nulls);
	while (nlive) {
		nlive--;
		CHECK(contents_intact(&live[nlive]));
		CHECK(heap_free(&h, live[nlive].p));
	}
	CHECK_EQ(heap_largest_free(&h), initial);
	CHECK_EQ(h.in_use, 0);
	CHECK_EQ(h.corrupted, 0);
	CHECK_HEAP(&h);
	free(live);
	free(mem);
}
