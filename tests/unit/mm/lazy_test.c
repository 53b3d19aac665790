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

/* ---- images loaded on first touch (issue 21) ------------------------- */

#define SRC_LEN (3 * LAZY_CHUNK)

/* The verify hook's record: calls, and a source range that fails. */
struct verify_log {
	int calls;
	uint32_t last_src;
	uint64_t last_off, last_len;
	uint64_t bad_lo, bad_hi; /* bytes that fail, [lo, hi) */
	bool hdr_seen;
};

static bool t_verify(void *ctx, uint32_t src, uint64_t off, uint64_t len)
{
	struct verify_log *v = ctx;

	v->calls++;
	v->last_src = src;
	v->last_off = off;
	v->last_len = len;
	if (off == 0 && len == 64) {
		v->hdr_seen = true;
	}
	return off + len <= v->bad_lo || off >= v->bad_hi;
}

static uint8_t *make_source(void)
{
	uint8_t *s = malloc(SRC_LEN);

	for (uint64_t i = 0; i < SRC_LEN; i++) {
		s[i] = (uint8_t)(i * 7 + 1);
	}
	return s;
}

static void setup_sources(struct fixture *f, struct verify_log *v,
			  const uint8_t *src)
{
	setup(f);
	memset(v, 0, sizeof(*v));
	f->lz.ops.verify = t_verify;
	f->lz.ops.ctx = v;
	lazy_source(&f->lz, 1, src, SRC_LEN);
	lazy_arm(&f->lz);
}

TEST(lazy, placed_bytes_are_copied_and_checked_when_first_touched)
{
	struct fixture f;
	struct verify_log v;
	uint8_t *src = make_source();
	/* 1.5 MiB of file from source offset 0x1000 at guest 1 MiB, then
	 * 1 MiB of zeros (bss): chunks 0 and 1, neither whole. */
	uint64_t gpa = SZ_1M, filesz = 3 * SZ_1M / 2, memsz = filesz + SZ_1M;

	setup_sources(&f, &v, src);
	CHECK(gmem_place(&f.g, gpa, src + 0x1000, filesz, memsz, 64));
	CHECK_EQ(f.lz.copy_count, 1u);
	/* Nothing copied, nothing checked, nothing mapped yet. */
	CHECK_EQ(v.calls, 0);
	CHECK(all(f.mem, CHUNKS * LAZY_CHUNK, OLD));
	CHECK(!mapped(&f, 0));
	/* The guest touches chunk 1: its part of the copy, then bss. */
	CHECK(lazy_fill(&f.lz, LAZY_CHUNK + 8));
	CHECK(mapped(&f, 1));
	CHECK(!mapped(&f, 0));
	CHECK(v.hdr_seen); /* the headers that placed it, checked too */
	CHECK_EQ(v.last_src, 1u);
	CHECK_EQ(v.last_off, 0x1000 + (LAZY_CHUNK - gpa));
	CHECK_EQ(v.last_len, gpa + filesz - LAZY_CHUNK);
	CHECK(memcmp(chunk_ptr(&f, 1), src + 0x1000 + (LAZY_CHUNK - gpa),
		     gpa + filesz - LAZY_CHUNK) == 0);
	CHECK(all(chunk_ptr(&f, 1) + (gpa + filesz - LAZY_CHUNK),
		  LAZY_CHUNK - (gpa + filesz - LAZY_CHUNK), 0));
	CHECK_EQ(f.lz.by_copy, 1u);
	/* lparvisor's own read of chunk 0 gets its part too. */
	uint8_t buf[4];
	CHECK(gmem_read(&f.g, gpa, buf, sizeof(buf)));
	CHECK(memcmp(buf, src + 0x1000, sizeof(buf)) == 0);
	CHECK(all(f.mem, gpa, 0));
	/* Chunk 3 has no part of it: cleared only, nothing checked. */
	v.calls = 0;
	CHECK(lazy_fill(&f.lz, 3 * LAZY_CHUNK));
	CHECK_EQ(v.calls, 0);
	CHECK(all(chunk_ptr(&f, 3), LAZY_CHUNK, 0));
	CHECK_EQ(f.lz.by_copy, 2u);
	teardown(&f);
	free(src);
}

TEST(lazy, a_chunk_one_copy_writes_whole_is_not_cleared_first)
{
	struct fixture f;
	struct verify_log v;
	uint8_t *src = make_source();

	setup_sources(&f, &v, src);
	/* 3 MiB of file at guest 0, then bss to 6 MiB: chunks 0 and 2 are
	 * written whole (bytes, zeros), chunk 1 half by bytes, half bss. */
	CHECK(gmem_place(&f.g, 0, src, 3 * SZ_1M, 6 * SZ_1M, 0));
	CHECK(lazy_fill(&f.lz, 0));
	CHECK_EQ(zeroed, 0);
	CHECK(memcmp(f.mem, src, LAZY_CHUNK) == 0);
	CHECK(lazy_fill(&f.lz, 2 * LAZY_CHUNK));
	CHECK_EQ(zeroed, 0);
	CHECK(all(chunk_ptr(&f, 2), LAZY_CHUNK, 0)); /* the bss, not OLD */
	CHECK(lazy_fill(&f.lz, LAZY_CHUNK));
	CHECK_EQ(zeroed, 0);
	CHECK(memcmp(chunk_ptr(&f, 1), src + LAZY_CHUNK, SZ_1M) == 0);
	CHECK(all(chunk_ptr(&f, 1) + SZ_1M, SZ_1M, 0));
	/* Past the copy: cleared as ever. */
	CHECK(lazy_fill(&f.lz, 3 * LAZY_CHUNK));
	CHECK_EQ(zeroed, 1);
	CHECK(all(chunk_ptr(&f, 3), LAZY_CHUNK, 0));
	/* A bad source: the chunk is cleared, not left with OLD bytes. */
	lazy_arm(&f.lz);
	memset(f.mem, OLD, LAZY_CHUNK);
	v.bad_lo = 5;
	v.bad_hi = 6;
	CHECK(gmem_place(&f.g, 0, src, 3 * SZ_1M, 6 * SZ_1M, 0));
	CHECK(!lazy_fill(&f.lz, 0));
	CHECK_EQ(zeroed, 2);
	CHECK(all(f.mem, LAZY_CHUNK, 0));
	teardown(&f);
	free(src);
}

TEST(lazy, a_bad_source_chunk_leaves_the_chunk_cleared_and_fails)
{
	struct fixture f;
	struct verify_log v;
	uint8_t *src = make_source();

	setup_sources(&f, &v, src);
	v.bad_lo = LAZY_CHUNK + 5; /* a byte of source chunk 1 */
	v.bad_hi = LAZY_CHUNK + 6;
	/* The source's first 3 MiB at guest 0: chunks 0 and 1. */
	CHECK(gmem_place(&f.g, 0, src, 3 * SZ_1M, 3 * SZ_1M, 0));
	CHECK(lazy_fill(&f.lz, 0)); /* chunk 0: intact */
	CHECK(memcmp(f.mem, src, LAZY_CHUNK) == 0);
	CHECK(!lazy_fill(&f.lz, LAZY_CHUNK)); /* chunk 1: the bad byte */
	CHECK(mapped(&f, 1));
	CHECK(all(chunk_ptr(&f, 1), LAZY_CHUNK, 0)); /* none of it copied */
	CHECK_EQ(f.lz.failed, 1u);
	/* Every later fill says so, for the caller to stop the guest. */
	CHECK(!lazy_fill(&f.lz, 3 * LAZY_CHUNK));
	/* The next boot starts clean. */
	lazy_arm(&f.lz);
	CHECK_EQ(f.lz.failed, 0u);
	CHECK_EQ(f.lz.copy_count, 0u);
	CHECK(lazy_fill(&f.lz, LAZY_CHUNK));
	CHECK(all(chunk_ptr(&f, 1), LAZY_CHUNK, 0));
	teardown(&f);
	free(src);
}

TEST(lazy, place_copies_now_when_it_cannot_wait)
{
	struct fixture f;
	struct verify_log v;
	uint8_t *src = make_source();
	uint8_t other[64];

	setup_sources(&f, &v, src);
	/* Not from a source (a decompressed image in guest memory): now. */
	memset(other, 0x42, sizeof(other));
	CHECK(gmem_place(&f.g, 2 * LAZY_CHUNK, other, 64, 128, 0));
	CHECK_EQ(v.calls, 0);
	CHECK_EQ(f.lz.copy_count, 0u);
	CHECK(all(chunk_ptr(&f, 2), 64, 0x42));
	CHECK(all(chunk_ptr(&f, 2) + 64, 64, 0));
	/* From a source into a chunk already filled: checked, then now. */
	CHECK(gmem_place(&f.g, 2 * LAZY_CHUNK + 4096, src, 100, 100, 0));
	CHECK_EQ(v.calls, 1);
	CHECK(memcmp(chunk_ptr(&f, 2) + 4096, src, 100) == 0);
	/* ... and refused, nothing copied, when the check fails. */
	v.bad_lo = 0;
	v.bad_hi = 1;
	memset(chunk_ptr(&f, 2) + 8192, 0x99, 100);
	CHECK(!gmem_place(&f.g, 2 * LAZY_CHUNK + 8192, src, 100, 100, 0));
	CHECK(all(chunk_ptr(&f, 2) + 8192, 100, 0x99));
	CHECK_EQ(f.lz.failed, 1u);
	teardown(&f);
	free(src);
}

TEST(lazy, hostile_places_are_never_recorded)
{
	struct fixture f;
	struct verify_log v;
	uint8_t *src = make_source();

	setup_sources(&f, &v, src);
	/* Past the end of memory, or filesz > memsz: not recorded (the
	 * loader checked ownership; here the hook only declines). */
	CHECK_EQ(lazy_place(&f.lz, CHUNKS * LAZY_CHUNK - 8, src, 8, 16, 0),
		 GMEM_COPY);
	CHECK_EQ(lazy_place(&f.lz, UINT64_MAX - 8, src, 8, 16, 0), GMEM_COPY);
	CHECK_EQ(lazy_place(&f.lz, 0, src, 16, 8, 0), GMEM_COPY);
	/* Bytes running past the source's end are not from the source. */
	CHECK_EQ(lazy_place(&f.lz, 0, src + SRC_LEN - 8, 16, 16, 0),
		 GMEM_COPY);
	CHECK_EQ(v.calls, 3); /* the three from the source were checked */
	CHECK_EQ(f.lz.copy_count, 0u);
	/* A header length past the source is cut to the source. */
	CHECK_EQ(lazy_place(&f.lz, 0, src, 8, 8, UINT64_MAX), GMEM_PLACED);
	CHECK_EQ(f.lz.copies[0].hdr_len, SRC_LEN);
	/* The slots run out: the rest is checked and copied now. */
	for (uint32_t i = 1; i < LAZY_COPIES; i++) {
		CHECK_EQ(lazy_place(&f.lz, 3 * LAZY_CHUNK + i * 64, src, 8, 8,
				    0), GMEM_PLACED);
	}
	v.calls = 0;
	CHECK_EQ(lazy_place(&f.lz, 3 * LAZY_CHUNK, src, 8, 8, 0), GMEM_COPY);
	CHECK_EQ(v.calls, 1);
	CHECK_EQ(f.lz.copy_count, (uint32_t)LAZY_COPIES);
	teardown(&f);
	free(src);
}

TEST(lazy, gmem_clean_says_whether_a_range_waits_and_never_clears_it)
{
	struct fixture f;

	setup(&f);
	/* Disarmed (before the first boot): everything counts as clean. */
	CHECK(gmem_clean(&f.g, 0, CHUNKS * LAZY_CHUNK));
	lazy_arm(&f.lz);
	CHECK(!gmem_clean(&f.g, 0, 8));
	CHECK(!gmem_clean(&f.g, LAZY_CHUNK - 8, 16));
	CHECK_EQ(zeroed, 0);
	CHECK(!mapped(&f, 0));
	/* Chunk 0 cleared: a range inside it is clean, one into 1 is not. */
	lazy_fill(&f.lz, 0);
	CHECK(gmem_clean(&f.g, 0, 8));
	CHECK(gmem_clean(&f.g, LAZY_CHUNK - 8, 8));
	CHECK(!gmem_clean(&f.g, LAZY_CHUNK - 8, 16));
	lazy_fill(&f.lz, LAZY_CHUNK);
	CHECK(gmem_clean(&f.g, LAZY_CHUNK - 8, 16));
	/* Outside the memory or wrapping: never clean. */
	CHECK(!gmem_clean(&f.g, CHUNKS * LAZY_CHUNK, 8));
	CHECK(!gmem_clean(&f.g, 8, ~0ull));
	CHECK_EQ(zeroed, 2);
	teardown(&f);
}
