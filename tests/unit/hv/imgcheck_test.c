/*
 * Image chunk verdicts kept per bundle image (hv/imgcheck.c, issue 21):
 * a chunk is hashed once however many partitions and lives use its image,
 * a bad chunk fails every user and stays known, the chunks a first fault
 * needs are taken first, and work is batched and shared as promised.
 */
#include <stdlib.h>

#include "hv/imgcheck.h"
#include "hv/lib/sha256.h"
#include "tests/unit/test.h"

#define CS 4096u   /* the smallest chunk size a list may have */
#define CHUNKS 6u

struct img {
	uint8_t data[CHUNKS * CS - 100]; /* the last chunk short */
	uint8_t digests[CHUNKS * SHA256_DIGEST_SIZE];
	struct bundle_chunks c;
	uint8_t verdict[CHUNKS];
};

/* Every chunk the check hook hashed, in order, and each call's size. */
static struct {
	uint32_t chunks, calls, order[64], sizes[16];
	const struct bundle_chunks *list[64];
} hashed;

static void t_check(const struct bundle_chunks *const c[],
		    const uint32_t idx[], uint32_t n, bool good[])
{
	if (hashed.calls < 16) {
		hashed.sizes[hashed.calls] = n;
	}
	hashed.calls++;
	for (uint32_t k = 0; k < n; k++) {
		if (hashed.chunks < 64) {
			hashed.order[hashed.chunks] = idx[k];
			hashed.list[hashed.chunks] = c[k];
		}
		hashed.chunks++;
		good[k] = bundle_check_chunk(c[k], idx[k]) == BUNDLE_OK;
	}
}

static uint64_t clock_now;

static uint64_t t_now(void)
{
	return clock_now += 10;
}

/* Another thread's verdict arriving while this one waits. */
static struct imgcheck_image *waiting_on;
static uint32_t waiting_chunk, relaxed;

static void t_relax(void)
{
	relaxed++;
	if (waiting_on && relaxed == 3) {
		__atomic_store_n(&waiting_on->verdict[waiting_chunk],
				 IMGCHECK_GOOD, __ATOMIC_RELEASE);
	}
}

static void setup(struct imgcheck *ic, uint32_t batch, uint32_t checkers)
{
	struct imgcheck_ops ops = {
		.relax = t_relax, .now = t_now, .check = t_check,
		.batch = batch, .checkers_max = checkers,
	};

	memset(&hashed, 0, sizeof(hashed));
	waiting_on = NULL;
	relaxed = 0;
	imgcheck_init(ic, &ops);
}

static void make_img(struct img *im, uint8_t seed)
{
	for (size_t i = 0; i < sizeof(im->data); i++) {
		im->data[i] = (uint8_t)(i * 7 + seed);
	}
	for (uint32_t i = 0; i < CHUNKS; i++) {
		size_t off = (size_t)i * CS;
		size_t n = MIN((size_t)CS, sizeof(im->data) - off);

		sha256(im->data + off, n, im->digests + i * SHA256_DIGEST_SIZE);
	}
	im->c = (struct bundle_chunks){
		.data = im->data, .len = sizeof(im->data),
		.digests = im->digests, .chunk_size = CS, .count = CHUNKS,
	};
	memset(im->verdict, 0, sizeof(im->verdict));
}

static struct imgcheck ic;

TEST(imgcheck, a_chunk_is_hashed_once_for_two_partitions)
{
	static struct img im;
	struct imgcheck_stats a = { 0 }, b = { 0 };
	struct bundle_chunks second;
	struct imgcheck_image *pa, *pb;
	uint8_t other[CHUNKS];
	uint32_t bad;
	bool added;

	setup(&ic, 1, 2);
	make_img(&im, 1);
	/* Two partitions name the same bundle image: one entry. */
	pa = imgcheck_add(&ic, &im.c, im.verdict, &added);
	REQUIRE(pa != NULL);
	CHECK(added);
	second = im.c;
	pb = imgcheck_add(&ic, &second, other, &added);
	CHECK(pb == pa);
	CHECK(!added);
	CHECK(imgcheck_find(&ic, &second) == pa);
	/* Partition a touches chunks 1-2, b the whole image. */
	CHECK(imgcheck_range(&ic, pa, CS + 5, CS, &a, &bad));
	CHECK(imgcheck_range(&ic, pb, 0, sizeof(im.data), &b, &bad));
	CHECK_EQ(hashed.chunks, CHUNKS);
	CHECK_EQ(a.chunks, 2u);
	CHECK_EQ(b.chunks, CHUNKS - 2);
	CHECK_GT(a.tb, 0u);
	CHECK(imgcheck_settled(pa));
	CHECK_EQ(imgcheck_bad(pa), 0u);
}

TEST(imgcheck, a_restart_does_not_rehash)
{
	static struct img im;
	struct imgcheck_stats life1 = { 0 }, life2 = { 0 };
	struct imgcheck_image *p;
	uint32_t bad;
	bool added;

	setup(&ic, 1, 1);
	make_img(&im, 2);
	p = imgcheck_add(&ic, &im.c, im.verdict, &added);
	REQUIRE(p != NULL);
	CHECK(imgcheck_range(&ic, p, 0, 3 * CS, &life1, &bad));
	CHECK_EQ(hashed.chunks, 3u);
	/* The next life loads the same chunks again, and one more. */
	CHECK(imgcheck_range(&ic, p, 0, 3 * CS, &life2, &bad));
	CHECK(imgcheck_range(&ic, p, 2 * CS, 2 * CS, &life2, &bad));
	CHECK_EQ(hashed.chunks, 4u);
	CHECK_EQ(life2.chunks, 1u);
	CHECK_EQ(hashed.order[3], 3u);
}

TEST(imgcheck, a_bad_chunk_fails_every_user_and_stays_known)
{
	static struct img im;
	struct imgcheck_stats a = { 0 }, b = { 0 };
	struct imgcheck_image *p;
	uint32_t bad;
	bool added;

	setup(&ic, 1, 1);
	make_img(&im, 3);
	im.data[2 * CS + 17] ^= 1;
	p = imgcheck_add(&ic, &im.c, im.verdict, &added);
	REQUIRE(p != NULL);
	/* The partition that touches it... */
	CHECK(!imgcheck_range(&ic, p, 2 * CS, 8, &a, &bad));
	CHECK_EQ(bad, 2u);
	CHECK_EQ(imgcheck_bad(p), 3u);
	/* ...another one touching it later, without hashing it again... */
	CHECK(!imgcheck_range(&ic, p, CS, 3 * CS, &b, &bad));
	CHECK_EQ(bad, 2u);
	CHECK_EQ(hashed.chunks, 3u); /* 2, then 1 and 3 */
	/* ...and one that never touches it still learns of it. */
	CHECK(imgcheck_range(&ic, p, 0, CS, &b, &bad));
	CHECK_EQ(imgcheck_bad(p), 3u);
	CHECK(!imgcheck_settled(p));
	CHECK(imgcheck_range(&ic, p, 0, sizeof(im.data), &b, &bad) == false);
	CHECK(imgcheck_settled(p));
	/* A second bad chunk below it becomes the one named. */
	im.verdict[0] = IMGCHECK_UNCHECKED;
	im.data[5] ^= 1;
	CHECK(!imgcheck_range(&ic, p, 0, 1, &a, &bad));
	CHECK_EQ(bad, 0u);
	CHECK_EQ(imgcheck_bad(p), 1u);
}

TEST(imgcheck, the_same_bytes_under_other_digests_are_another_image)
{
	static struct img im;
	static uint8_t digests2[CHUNKS * SHA256_DIGEST_SIZE];
	struct bundle_chunks c2;
	struct imgcheck_image *p1, *p2;
	uint8_t v2[CHUNKS] = { 0 };
	uint32_t bad;
	bool added;

	setup(&ic, 1, 1);
	make_img(&im, 4);
	p1 = imgcheck_add(&ic, &im.c, im.verdict, &added);
	c2 = im.c;
	memcpy(digests2, im.digests, sizeof(digests2));
	digests2[0] ^= 1; /* its chunk 0 does not match */
	c2.digests = digests2;
	p2 = imgcheck_add(&ic, &c2, v2, &added);
	REQUIRE(p1 != NULL && p2 != NULL);
	CHECK(p1 != p2);
	CHECK(added);
	CHECK(imgcheck_range(&ic, p1, 0, CS, NULL, &bad));
	CHECK(!imgcheck_range(&ic, p2, 0, CS, NULL, &bad));
	CHECK_EQ(imgcheck_index(&ic, p2), 1u);
}

TEST(imgcheck, hostile_ranges_and_a_full_table_are_refused)
{
	static struct img im;
	static uint8_t v[IMGCHECK_IMAGES + 1][CHUNKS];
	struct bundle_chunks c;
	struct imgcheck_image *p;
	uint32_t bad = 7;
	bool added;

	setup(&ic, 1, 1);
	make_img(&im, 5);
	p = imgcheck_add(&ic, &im.c, im.verdict, &added);
	REQUIRE(p != NULL);
	CHECK(imgcheck_range(&ic, p, 0, 0, NULL, &bad));
	CHECK(!imgcheck_range(&ic, p, sizeof(im.data), 1, NULL, &bad));
	CHECK_EQ(bad, UINT32_MAX);
	CHECK(!imgcheck_range(&ic, p, 1, sizeof(im.data), NULL, &bad));
	CHECK(!imgcheck_range(&ic, p, 8, UINT64_MAX, NULL, &bad));
	CHECK_EQ(hashed.chunks, 0u);
	/* Wanted ranges outside the image are ignored. */
	imgcheck_want_first(&ic, p, sizeof(im.data), 1);
	imgcheck_want_first(&ic, p, 8, UINT64_MAX - 4);
	CHECK_EQ(ic.first_count, 0u);
	/* An empty list, a missing buffer, then a full table. */
	c = im.c;
	c.count = 0;
	CHECK(imgcheck_add(&ic, &c, v[0], &added) == NULL);
	c = im.c;
	c.digests = NULL;
	CHECK(imgcheck_add(&ic, &c, NULL, &added) == NULL);
	for (uint32_t i = 1; i < IMGCHECK_IMAGES; i++) {
		c.len = im.c.len - i; /* other bytes: another image */
		CHECK(imgcheck_add(&ic, &c, v[i], &added) != NULL);
	}
	c.len = 1;
	CHECK(imgcheck_add(&ic, &c, v[IMGCHECK_IMAGES], &added) == NULL);
	CHECK(!added);
	CHECK_EQ(ic.count, (uint32_t)IMGCHECK_IMAGES);
}

TEST(imgcheck, a_chunk_another_thread_hashes_is_waited_for_not_hashed)
{
	static struct img im;
	struct imgcheck_image *p;
	uint32_t bad;
	bool added;

	setup(&ic, 1, 1);
	make_img(&im, 6);
	p = imgcheck_add(&ic, &im.c, im.verdict, &added);
	REQUIRE(p != NULL);
	im.verdict[1] = IMGCHECK_CHECKING;
	waiting_on = p;
	waiting_chunk = 1;
	CHECK(imgcheck_range(&ic, p, 0, 2 * CS, NULL, &bad));
	CHECK_EQ(hashed.chunks, 1u); /* chunk 0 only */
	CHECK_EQ(relaxed, 3u);
	/* The pass skips what is taken too. */
	im.verdict[2] = IMGCHECK_CHECKING;
	CHECK(imgcheck_step(&ic, 1, false, NULL));
	CHECK_EQ(hashed.order[1], 3u);
}

TEST(imgcheck, chunks_wanted_first_are_hashed_first)
{
	static struct img a, b;
	struct imgcheck_image *pa, *pb;
	struct imgcheck_stats st = { 0 };
	bool added;

	setup(&ic, 1, 2);
	make_img(&a, 7);
	make_img(&b, 8);
	pa = imgcheck_add(&ic, &a.c, a.verdict, &added);
	pb = imgcheck_add(&ic, &b.c, b.verdict, &added);
	REQUIRE(pa != NULL && pb != NULL);
	/* b's chunk 3 (a range inside it), then a's 0 and 1, 3 again. */
	imgcheck_want_first(&ic, pb, 3 * CS + 1, 10);
	imgcheck_want_first(&ic, pa, 0, CS + 1);
	imgcheck_want_first(&ic, pb, 3 * CS, CS);
	CHECK_EQ(ic.first_count, 3u);
	/* While the boot thread works: those only. */
	CHECK(imgcheck_step(&ic, UINT32_MAX, true, &st));
	CHECK(imgcheck_step(&ic, UINT32_MAX, true, &st));
	CHECK(!imgcheck_step(&ic, UINT32_MAX, true, &st));
	CHECK_EQ(hashed.chunks, 3u);
	CHECK(hashed.list[0] == &pb->c && hashed.order[0] == 3);
	CHECK(hashed.list[1] == &pa->c && hashed.order[1] == 0);
	CHECK(hashed.list[2] == &pa->c && hashed.order[2] == 1);
	CHECK(!imgcheck_step(&ic, UINT32_MAX, true, &st));
	CHECK_EQ(st.chunks, 3u);
	/* Then the rest, only of the images in the mask (b's: bit 1). */
	while (imgcheck_step(&ic, 2, false, &st)) {
	}
	CHECK_EQ(hashed.chunks, 3u + CHUNKS - 1);
	CHECK(imgcheck_settled(pb));
	CHECK(!imgcheck_settled(pa));
	CHECK_EQ(hashed.order[3], 0u); /* b in order, 3 skipped */
	CHECK_EQ(hashed.order[6], 4u);
	while (imgcheck_step(&ic, 1, false, &st)) {
	}
	CHECK(imgcheck_settled(pa));
	CHECK_EQ(hashed.chunks, 2u * CHUNKS);
}

TEST(imgcheck, batches_hold_up_to_the_batch_size_and_checkers_are_bounded)
{
	static struct img im;
	struct imgcheck_image *p;
	uint32_t bad;
	bool added;

	setup(&ic, 4, 1);
	make_img(&im, 9);
	p = imgcheck_add(&ic, &im.c, im.verdict, &added);
	REQUIRE(p != NULL);
	im.verdict[2] = IMGCHECK_GOOD; /* already known: not in a batch */
	CHECK(imgcheck_range(&ic, p, 0, sizeof(im.data), NULL, &bad));
	CHECK_EQ(hashed.calls, 2u);
	CHECK_EQ(hashed.sizes[0], 4u); /* 0, 1, 3, 4 */
	CHECK_EQ(hashed.sizes[1], 1u); /* 5 */
	CHECK_EQ(hashed.order[2], 3u);
	/* A step while checkers_max threads are at it does nothing. */
	setup(&ic, 4, 1);
	make_img(&im, 9);
	p = imgcheck_add(&ic, &im.c, im.verdict, &added);
	ic.checkers = 1;
	CHECK(!imgcheck_step(&ic, UINT32_MAX, false, NULL));
	CHECK_EQ(hashed.chunks, 0u);
	ic.checkers = 0;
	CHECK(imgcheck_step(&ic, UINT32_MAX, false, NULL));
	CHECK_EQ(hashed.sizes[0], 4u);
	CHECK(!imgcheck_step(&ic, UINT32_MAX, false, NULL));
	CHECK_EQ(hashed.sizes[1], 2u);
	CHECK_EQ(ic.checkers, 0u);
	/* Out-of-range options are brought into range. */
	setup(&ic, 9, 0);
	CHECK_EQ(ic.ops.batch, (uint32_t)IMGCHECK_BATCH);
	CHECK_EQ(ic.ops.checkers_max, 1u);
}

/* ---- the entry piece ------------------------------------------------ */

static void put(uint8_t *b, size_t off, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		b[off + i] = (uint8_t)(v >> (8 * i));
	}
}

/* Linux's shape: one PT_LOAD at file offset 0x10000, physical 0. */
static uint8_t *make_kernel(size_t len, uint64_t filesz, uint64_t memsz)
{
	uint8_t *b = calloc(1, len);

	memcpy(b, "\x7f" "ELF", 4);
	b[4] = 2;
	b[5] = 1;
	b[6] = 1;
	put(b, 16, 2, 2);
	put(b, 18, 21, 2);
	put(b, 24, 0xc000000000000000ull, 8); /* entry: the segment's start */
	put(b, 32, 64, 8);
	put(b, 54, 56, 2);
	put(b, 56, 1, 2);
	put(b, 64, 1, 4);
	put(b, 64 + 8, 0x10000, 8);
	put(b, 64 + 16, 0xc000000000000000ull, 8);
	put(b, 64 + 24, 0, 8);
	put(b, 64 + 32, filesz, 8);
	put(b, 64 + 40, memsz, 8);
	return b;
}

TEST(imgcheck, the_entry_piece_is_the_headers_and_the_first_2_mib_loaded)
{
	size_t len = 0x10000 + 3 * SZ_1M;
	uint8_t *k = make_kernel(len, 3 * SZ_1M, 4 * SZ_1M);
	struct imgcheck_range r[4];

	/* Loaded at 0x400000: its first 2 MiB piece is [0x400000, 6 MiB). */
	CHECK_EQ(imgcheck_entry_ranges(k, len, false, 0x400000, SZ_256M, r, 4),
		 2u);
	CHECK_EQ(r[0].off, 0u);
	CHECK_EQ(r[0].len, 64u + 56u);
	CHECK_EQ(r[1].off, 0x10000u);
	CHECK_EQ(r[1].len, (uint64_t)SZ_2M);
	/* Loaded at 1 MiB: the piece [0, 2 MiB) holds its first MiB. */
	CHECK_EQ(imgcheck_entry_ranges(k, len, false, SZ_1M, SZ_256M, r, 4),
		 2u);
	CHECK_EQ(r[1].off, 0x10000u);
	CHECK_EQ(r[1].len, (uint64_t)SZ_1M);
	/* Room for one range only: the headers. */
	CHECK_EQ(imgcheck_entry_ranges(k, len, false, 0x400000, SZ_256M, r, 1),
		 1u);
	/* A kernel that does not fit, or is not ELF: nothing. */
	CHECK_EQ(imgcheck_entry_ranges(k, len, false, 0x400000, SZ_4M, r, 4),
		 0u);
	k[1] = 'X';
	CHECK_EQ(imgcheck_entry_ranges(k, len, false, 0x400000, SZ_256M, r, 4),
		 0u);
	/* A raw payload: its first 2 MiB, no headers. */
	CHECK_EQ(imgcheck_entry_ranges(k, len, true, 0x400000, SZ_256M, r, 4),
		 1u);
	CHECK_EQ(r[0].off, 0u);
	CHECK_EQ(r[0].len, (uint64_t)SZ_2M);
	free(k);
}
