/*
 * Partition-scoped radix tree builder (mm/radix.c): every guest real
 * address of the partition translates to its own host block, nothing
 * else translates, the entry formats are what the MMU expects, and
 * failures free what was built.
 */
#include <stdlib.h>

#include "mm/radix.h"
#include "tests/unit/test.h"

struct pool {
	int live;      /* tables currently allocated */
	int fail_after; /* fail the n-th allocation (-1: never) */
	uint64_t bytes;
};

static void *pool_alloc(void *ctx, uint64_t size)
{
	struct pool *p = ctx;
	void *m;

	if (p->fail_after == 0) {
		return NULL;
	}
	if (p->fail_after > 0) {
		p->fail_after--;
	}
	m = aligned_alloc(size, size);
	if (m) {
		memset(m, 0, size);
		p->live++;
		p->bytes += size;
	}
	return m;
}

static void pool_free(void *ctx, void *m, uint64_t size)
{
	struct pool *p = ctx;

	p->live--;
	p->bytes -= size;
	free(m);
}

TEST(radix, rejects_unaligned_or_empty_layouts)
{
	struct pool p = { 0, -1, 0 };
	struct radix_tree t;

	CHECK_EQ(radix_build(&t, 0, 0x10000000, 0, pool_alloc, pool_free, &p),
		 RADIX_EINVAL);
	CHECK_EQ(radix_build(&t, SZ_2M + SZ_4K, 0x10000000, 0, pool_alloc,
			     pool_free, &p), RADIX_EINVAL);
	CHECK_EQ(radix_build(&t, SZ_2M, 0x10001000, 0, pool_alloc, pool_free, &p),
		 RADIX_EINVAL);
	CHECK_EQ(radix_build(&t, SZ_2M, ~0ull & ~(SZ_2M - 1), 0, pool_alloc,
			     pool_free, &p), RADIX_EINVAL);
	CHECK_EQ(p.live, 0);
}

TEST(radix, frees_everything_when_allocation_fails)
{
	for (int n = 0; n < 3; n++) {
		struct pool p = { 0, n, 0 };
		struct radix_tree t;

		CHECK_EQ(radix_build(&t, SZ_1G + SZ_256M, 0x40000000, 0,
				     pool_alloc, pool_free, &p), RADIX_ENOMEM);
		CHECK_EQ(p.live, 0);
	}
}

TEST(radix, maps_every_page_of_a_256m_partition_and_nothing_else)
{
	struct pool p = { 0, -1, 0 };
	struct radix_tree t;
	const uint64_t base = 0x30000000, size = SZ_256M;
	uint64_t hpa = 0;

	REQUIRE_EQ(radix_build(&t, size, base, 0, pool_alloc, pool_free, &p),
		   RADIX_OK);
	/* root + one level-2 + one level-3 table of 2 MiB leaves */
	CHECK_EQ(t.tables, 2);
	CHECK_EQ(t.bytes, RADIX_ROOT_SIZE + 2 * RADIX_TABLE_SIZE);
	CHECK_EQ(t.bytes, p.bytes);
	for (uint64_t gpa = 0; gpa < size; gpa += SZ_64K) {
		REQUIRE(radix_translate(&t, gpa + 0x123, &hpa));
		CHECK_EQ(hpa, base + gpa + 0x123);
	}
	CHECK(!radix_translate(&t, size, &hpa));
	CHECK(!radix_translate(&t, size + SZ_2M, &hpa));
	CHECK(!radix_translate(&t, SZ_1G, &hpa));
	CHECK(!radix_translate(&t, 1ull << 52, &hpa));
	CHECK(!radix_translate(&t, ~0ull, &hpa));
	radix_destroy(&t, pool_free, &p);
	CHECK_EQ(p.live, 0);
}

TEST(radix, uses_1g_leaves_where_aligned)
{
	struct pool p = { 0, -1, 0 };
	struct radix_tree t;
	uint64_t hpa = 0;

	REQUIRE_EQ(radix_build(&t, 2 * SZ_1G + SZ_256M, 0x80000000, 0,
			       pool_alloc, pool_free, &p), RADIX_OK);
	/* level-2 table holds two 1 GiB leaves and one level-3 table */
	CHECK_EQ(t.tables, 2);
	CHECK(radix_translate(&t, SZ_1G + 0x5000, &hpa));
	CHECK_EQ(hpa, 0x80000000ull + SZ_1G + 0x5000);
	CHECK(radix_translate(&t, 2 * SZ_1G + SZ_256M - 1, &hpa));
	CHECK_EQ(hpa, 0x80000000ull + 2 * SZ_1G + SZ_256M - 1);
	CHECK(!radix_translate(&t, 2 * SZ_1G + SZ_256M, &hpa));
	radix_destroy(&t, pool_free, &p);
	CHECK_EQ(p.live, 0);
}

TEST(radix, entries_are_big_endian_with_r_c_and_rwx)
{
	struct pool p = { 0, -1, 0 };
	struct radix_tree t;
	uint64_t root0, l2e, leaf;
	be64 *l2, *l3;

	REQUIRE_EQ(radix_build(&t, SZ_256M, 0x10000000, 0, pool_alloc, pool_free,
			       &p), RADIX_OK);
	root0 = be64_to_cpu(t.root[0]);
	CHECK_EQ(root0 & (RPTE_VALID | RPTE_LEAF), RPTE_VALID);
	CHECK_EQ(root0 & RPDE_NLS_MASK, 9);
	l2 = (be64 *)(uintptr_t)(root0 & RPDE_NLB_MASK);
	l2e = be64_to_cpu(l2[0]);
	CHECK_EQ(l2e & RPDE_NLS_MASK, 9);
	l3 = (be64 *)(uintptr_t)(l2e & RPDE_NLB_MASK);
	leaf = be64_to_cpu(l3[1]);
	CHECK_EQ(leaf, RPTE_VALID | RPTE_LEAF | (0x10000000ull + SZ_2M) |
			       RPTE_R | RPTE_C | 0x7);
	radix_destroy(&t, pool_free, &p);
	REQUIRE_EQ(radix_build(&t, SZ_1G, 0, RPTE_EAA_PRIV, pool_alloc,
			       pool_free, &p), RADIX_OK);
	l2 = (be64 *)(uintptr_t)(be64_to_cpu(t.root[0]) & RPDE_NLB_MASK);
	CHECK_EQ(be64_to_cpu(l2[0]), RPTE_VALID | RPTE_LEAF | RPTE_R |
					     RPTE_C | RPTE_EAA_PRIV | 0x7);
	CHECK_EQ(radix_prte0(&t), (2ull << 61) | ((uintptr_t)t.root) |
					  (5 << 5) | 13);
	/* PATE: HR, 52-bit RTS, root, root size 13 */
	CHECK_EQ(radix_pate0(&t), 0x8000000000000000ull | (2ull << 61) |
					  ((uintptr_t)t.root) | (5 << 5) | 13);
	radix_destroy(&t, pool_free, &p);
}

TEST(radix, maps_device_pages_with_4k_leaves_beside_ram)
{
	struct pool p = { 0, -1, 0 };
	struct radix_tree t;
	const uint64_t esb = 0x0006010000000000ull, host = 0x0006010000280000ull;
	uint64_t hpa = 0, leaf;
	be64 *tbl;

	REQUIRE_EQ(radix_build(&t, SZ_256M, 0x10000000, 0, pool_alloc,
			       pool_free, &p), RADIX_OK);
	REQUIRE_EQ(radix_map_io(&t, esb + 5 * SZ_128K, host, SZ_128K,
				RPTE_ATT_IO, pool_alloc, &p), RADIX_OK);
	for (uint64_t off = 0; off < SZ_128K; off += SZ_4K) {
		REQUIRE(radix_translate(&t, esb + 5 * SZ_128K + off + 8, &hpa));
		CHECK_EQ(hpa, host + off + 8);
	}
	CHECK(!radix_translate(&t, esb + 4 * SZ_128K, &hpa));
	CHECK(!radix_translate(&t, esb + 6 * SZ_128K, &hpa));
	CHECK(radix_translate(&t, 0x1234, &hpa)); /* RAM untouched */
	CHECK_EQ(hpa, 0x10001234ull);
	/* The leaf: RW, no execute, cache-inhibited guarded I/O. */
	tbl = t.root;
	tbl = (be64 *)(uintptr_t)(be64_to_cpu(tbl[(esb >> 39) & 0x1fff]) &
				  RPDE_NLB_MASK);
	tbl = (be64 *)(uintptr_t)(be64_to_cpu(tbl[(esb >> 30) & 0x1ff]) &
				  RPDE_NLB_MASK);
	tbl = (be64 *)(uintptr_t)(be64_to_cpu(tbl[(esb >> 21) & 0x1ff]) &
				  RPDE_NLB_MASK);
	leaf = be64_to_cpu(tbl[(5 * SZ_128K) >> 12]);
	CHECK_EQ(leaf, RPTE_VALID | RPTE_LEAF | host | RPTE_R | RPTE_C |
			       RPTE_ATT_IO | RPTE_EAA_READ | RPTE_EAA_RW);
	CHECK_EQ(t.bytes, p.bytes);
	radix_destroy(&t, pool_free, &p);
	CHECK_EQ(p.live, 0);
}

TEST(radix, device_pages_never_overlap_or_misalign)
{
	struct pool p = { 0, -1, 0 };
	struct radix_tree t;
	const uint64_t io = 0x0006030203180000ull;

	REQUIRE_EQ(radix_build(&t, SZ_256M, 0x10000000, 0, pool_alloc,
			       pool_free, &p), RADIX_OK);
	/* RAM is mapped with 2 MiB leaves: no device page inside it. */
	CHECK_EQ(radix_map_io(&t, SZ_4M, io, SZ_64K, RPTE_ATT_IO, pool_alloc,
			      &p), RADIX_EBUSY);
	REQUIRE_EQ(radix_map_io(&t, io, io, SZ_64K, RPTE_ATT_IO, pool_alloc,
				&p), RADIX_OK);
	CHECK_EQ(radix_map_io(&t, io + 0xf000, io, 0x2000, RPTE_ATT_IO,
			      pool_alloc, &p), RADIX_EBUSY);
	CHECK_EQ(radix_map_io(&t, io + 0x800, io, SZ_4K, RPTE_ATT_IO,
			      pool_alloc, &p), RADIX_EINVAL);
	CHECK_EQ(radix_map_io(&t, io + SZ_64K, io, 0, RPTE_ATT_IO, pool_alloc,
			      &p), RADIX_EINVAL);
	CHECK_EQ(radix_map_io(&t, 1ull << 52, io, SZ_4K, RPTE_ATT_IO,
			      pool_alloc, &p), RADIX_EINVAL);
	CHECK_EQ(radix_map_io(&t, io + SZ_64K, io, SZ_4K, 0x7, pool_alloc, &p),
		 RADIX_EINVAL);
	radix_destroy(&t, pool_free, &p);
	CHECK_EQ(p.live, 0);
}
