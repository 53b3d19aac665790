/*
 * Memory cleared on first touch (mm/lazy.c): armed, no chunk is mapped
 * and every byte of the last life is still there; whoever needs a chunk
 * first (a guest fault, an lparvisor access, an idle helper) clears it
 * and maps it; the loader's claimed chunks keep what it wrote and are
 * not cleared; once every chunk is clean the memory is disarmed.
 */
#include <stdlib.h>

#include "mm/lazy.h"
#include "tests/unit/test.h"

#define CHUNKS 4u
#define OLD 0xaa /* the last life's bytes */

static void *t_alloc(void *ctx, uint64_t size)
{
	void *m = aligned_alloc(size, size);

	(void)ctx;
	if (m) {
		memset(m, 0, size);
	}
	return m;
}

static void t_free(void *ctx, void *m, uint64_t size)
{
	(void)ctx;
	(void)size;
	free(m);
}

static int zeroed; /* chunks the zero hook cleared */

static void t_zero(void *p, uint64_t len)
{
	memset(p, 0, len);
	zeroed++;
}

static void t_nop(void)
{
}

struct fixture {
	uint8_t *mem;
	struct radix_tree tree;
	struct lazy_mem lz;
	uint8_t state[CHUNKS];
	struct gmem g;
};

static void setup(struct fixture *f)
{
	static const struct lazy_ops ops = {
		.zero = t_zero, .publish = t_nop, .relax = t_nop,
	};
	uint64_t size = CHUNKS * LAZY_CHUNK;

	f->mem = aligned_alloc(LAZY_CHUNK, size);
	memset(f->mem, OLD, size);
	CHECK_EQ(radix_build_2m(&f->tree, size, (uintptr_t)f->mem, 0, t_alloc,
				t_free, NULL), RADIX_OK);
	CHECK(lazy_init(&f->lz, &f->tree, (uintptr_t)f->mem, size, f->state,
			&ops));
	f->g.hpa = (uintptr_t)f->mem;
	f->g.size = size;
	f->g.lazy = &f->lz.base;
	zeroed = 0;
}

static void teardown(struct fixture *f)
{
	radix_destroy(&f->tree, t_free, NULL);
	free(f->mem);
}

static bool mapped(struct fixture *f, uint32_t chunk)
{
	uint64_t hpa;

	return radix_translate(&f->tree, (uint64_t)chunk * LAZY_CHUNK + 8,
			       &hpa) &&
	       hpa == (uintptr_t)f->mem + (uint64_t)chunk * LAZY_CHUNK + 8;
}

static bool all(const uint8_t *p, uint64_t len, uint8_t v)
{
	for (uint64_t i = 0; i < len; i++) {
		if (p[i] != v) {
			return false;
		}
	}
	return true;
}

static uint8_t *chunk_ptr(struct fixture *f, uint32_t chunk)
{
	return f->mem + (uint64_t)chunk * LAZY_CHUNK;
}

TEST(lazy, needs_2m_leaves_and_starts_disarmed)
{
	struct fixture f;
	struct radix_tree huge;
	struct lazy_mem lz;
	uint8_t st[512];
	static const struct lazy_ops ops = {
		.zero = t_zero, .publish = t_nop, .relax = t_nop,
	};
	uint8_t *m = aligned_alloc(SZ_1G, SZ_1G);

	/* A tree of 1 GiB leaves has no 2 MiB leaf to leave unmapped. */
	CHECK_EQ(radix_build(&huge, SZ_1G, (uintptr_t)m, 0, t_alloc, t_free,
			     NULL), RADIX_OK);
	CHECK(!lazy_init(&lz, &huge, (uintptr_t)m, SZ_1G, st, &ops));
	radix_destroy(&huge, t_free, NULL);
	free(m);

	setup(&f);
	CHECK(lazy_done(&f.lz));
	for (uint32_t i = 0; i < CHUNKS; i++) {
		CHECK(mapped(&f, i));
	}
	teardown(&f);
}

TEST(lazy, armed_nothing_is_mapped_and_the_old_bytes_wait)
{
	struct fixture f;

	setup(&f);
	lazy_arm(&f.lz);
	CHECK(!lazy_done(&f.lz));
	for (uint32_t i = 0; i < CHUNKS; i++) {
		CHECK(!mapped(&f, i));
	}
	CHECK(all(f.mem, CHUNKS * LAZY_CHUNK, OLD));
	CHECK_EQ(zeroed, 0);
	teardown(&f);
}

TEST(lazy, a_guest_fault_clears_and_maps_its_chunk_only)
{
	struct fixture f;

	setup(&f);
	lazy_arm(&f.lz);
	lazy_fill(&f.lz, 2 * LAZY_CHUNK + 0x1234);
	CHECK(mapped(&f, 2));
	CHECK(all(chunk_ptr(&f, 2), LAZY_CHUNK, 0));
	CHECK(!mapped(&f, 1));
	CHECK(!mapped(&f, 3));
	CHECK_EQ(chunk_ptr(&f, 1)[0], OLD);
	CHECK_EQ(f.lz.by_fault, 1);
	/* Again: nothing more to do. */
	lazy_fill(&f.lz, 2 * LAZY_CHUNK);
	CHECK_EQ(zeroed, 1);
	/* Outside the memory: ignored. */
	lazy_fill(&f.lz, CHUNKS * LAZY_CHUNK);
	CHECK_EQ(zeroed, 1);
	teardown(&f);
}

TEST(lazy, lparvisor_reads_through_gmem_see_zeros_never_old_bytes)
{
	struct fixture f;
	uint8_t buf[16];
	uint8_t one = 0x5c;

	setup(&f);
	lazy_arm(&f.lz);
	/* A read across the boundary of chunks 0 and 1 clears both. */
	CHECK(gmem_read(&f.g, LAZY_CHUNK - 8, buf, sizeof(buf)));
	CHECK(all(buf, sizeof(buf), 0));
	CHECK(mapped(&f, 0));
	CHECK(mapped(&f, 1));
	CHECK(!mapped(&f, 2));
	CHECK_EQ(f.lz.by_hv, 2);
	/* A write lands in a cleared chunk and stays. */
	CHECK(gmem_write(&f.g, 3 * LAZY_CHUNK + 5, &one, 1));
	CHECK_EQ(chunk_ptr(&f, 3)[5], 0x5c);
	CHECK_EQ(chunk_ptr(&f, 3)[4], 0);
	CHECK(mapped(&f, 3));
	/* A device's page (gmem_touch) likewise. */
	gmem_touch(&f.g, 2 * LAZY_CHUNK + 4096, 4096);
	CHECK(all(chunk_ptr(&f, 2), LAZY_CHUNK, 0));
	CHECK(lazy_done(&f.lz));
	/* Disarmed: a later touch clears nothing again. */
	gmem_touch(&f.g, 0, CHUNKS * LAZY_CHUNK);
	CHECK_EQ(chunk_ptr(&f, 3)[5], 0x5c);
	CHECK_EQ(zeroed, CHUNKS);
	teardown(&f);
}

TEST(lazy, the_loader_claims_whole_chunks_uncleared_and_clears_the_ends)
{
	struct fixture f;
	uint64_t at = LAZY_CHUNK / 2, len = 2 * LAZY_CHUNK;

	setup(&f);
	lazy_arm(&f.lz);
	/* [1 MiB, 5 MiB): chunk 1 whole, chunks 0 and 2 in part. */
	gmem_claim(&f.g, at, len);
	CHECK_EQ(f.state[1], LAZY_CLAIMED);
	CHECK(!mapped(&f, 1));
	CHECK_EQ(zeroed, 2); /* chunks 0 and 2 */
	CHECK(all(chunk_ptr(&f, 0), LAZY_CHUNK, 0));
	memset(f.mem + at, 0x77, len);
	gmem_written(&f.g, at, len);
	CHECK(mapped(&f, 0));
	CHECK(mapped(&f, 1));
	CHECK(mapped(&f, 2));
	CHECK(all(chunk_ptr(&f, 1), LAZY_CHUNK, 0x77));
	CHECK(all(chunk_ptr(&f, 0), at, 0));
	CHECK(all(chunk_ptr(&f, 2) + at, LAZY_CHUNK - at, 0));
	CHECK_EQ(zeroed, 2);
	teardown(&f);
}

TEST(lazy, a_claimed_chunk_left_by_a_failed_load_is_cleared)
{
	struct fixture f;

	setup(&f);
	lazy_arm(&f.lz);
	gmem_claim(&f.g, 0, 2 * LAZY_CHUNK);
	memset(f.mem, 0x33, 100); /* half-way, then the load failed */
	lazy_unclaim_all(&f.lz);
	CHECK(mapped(&f, 0));
	CHECK(mapped(&f, 1));
	CHECK(all(f.mem, 2 * LAZY_CHUNK, 0));
	CHECK(!mapped(&f, 2));
	teardown(&f);
}

TEST(lazy, idle_helpers_clear_the_rest_then_disarm)
{
	struct fixture f;

	setup(&f);
	lazy_arm(&f.lz);
	lazy_fill(&f.lz, 0); /* the guest had one */
	CHECK(lazy_help(&f.lz, 1));
	CHECK_EQ(f.lz.by_help, 1);
	CHECK(!lazy_help(&f.lz, 8));
	CHECK(lazy_done(&f.lz));
	CHECK_EQ(f.lz.by_help, CHUNKS - 1);
	CHECK(all(f.mem, CHUNKS * LAZY_CHUNK, 0));
	for (uint32_t i = 0; i < CHUNKS; i++) {
		CHECK(mapped(&f, i));
	}
	/* The next boot arms again: all unmapped, counters back to 0. */
	memset(f.mem, OLD, CHUNKS * LAZY_CHUNK);
	lazy_arm(&f.lz);
	CHECK(!mapped(&f, 0));
	CHECK_EQ(f.lz.by_help, 0);
	CHECK(lazy_help(&f.lz, 1));
	CHECK(!all(f.mem, CHUNKS * LAZY_CHUNK, OLD));
	teardown(&f);
}
