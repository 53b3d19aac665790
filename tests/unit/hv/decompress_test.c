/*
 * Decompression of bundle images (hv/decompress.c over zstd's decoder from
 * Debian's libzstd source): real frames decode; corrupt, truncated and
 * lying frames, sizes that overflow or do not fit, give a clear error and
 * never a write outside the buffers (the ASan binary runs these too);
 * a compressed ELF kernel loads like an uncompressed one and leaves no
 * trace of its file in the partition.  The FIT "compression" property is
 * read by hv/bundle.c.
 */
#include <libfdt.h>
#include <stdlib.h>

#include "hv/bundle.h"
#include "hv/decompress.h"
#include "tests/unit/test.h"

/*
 * 2048 bytes of text (text_byte()) compressed by `zstd -19 --check`
 * 1.5.4: Huffman literals, FSE sequences, an XXH64 checksum and the
 * content size in the header.
 */
static const uint8_t text_zst[] = {
	0x28, 0xb5, 0x2f, 0xfd, 0x64, 0x00, 0x07, 0x7d, 0x18, 0x00, 0xca, 0x55,
	0x88, 0x0b, 0x12, 0x90, 0x25, 0xe9, 0x0b, 0x7d, 0xc7, 0x91, 0x79, 0x72,
	0x5d, 0x96, 0x63, 0x77, 0x77, 0xa7, 0xbb, 0x63, 0x08, 0xb5, 0x00, 0xb2,
	0x00, 0xb1, 0x00, 0x72, 0xd5, 0x41, 0xa3, 0x12, 0x42, 0x83, 0x7b, 0x54,
	0x0a, 0x1a, 0xbc, 0x42, 0x03, 0x55, 0x45, 0x62, 0x0b, 0x92, 0x0f, 0x9a,
	0x04, 0x8f, 0x1c, 0x8d, 0xc6, 0x0d, 0x83, 0xa7, 0x2e, 0x2a, 0x96, 0xa0,
	0x6f, 0x22, 0x57, 0xc9, 0x75, 0x19, 0x94, 0x70, 0xd2, 0x99, 0x85, 0xf4,
	0xbe, 0x5f, 0x0c, 0xe8, 0xb4, 0xcf, 0x67, 0x52, 0x61, 0x82, 0x8b, 0x2f,
	0x33, 0x32, 0xfa, 0x2d, 0x8e, 0x36, 0xc8, 0xd1, 0x9a, 0x20, 0x98, 0x77,
	0x88, 0x22, 0x82, 0x1d, 0x2d, 0xf8, 0x54, 0xca, 0x0b, 0x6c, 0xaa, 0xe2,
	0x41, 0x3a, 0x2a, 0x56, 0xec, 0x52, 0x23, 0xb0, 0x4b, 0x57, 0x53, 0x96,
	0xf0, 0xfe, 0x21, 0x68, 0xdc, 0x74, 0x9f, 0x58, 0x93, 0x60, 0x8d, 0x65,
	0xdb, 0x7f, 0x0d, 0x73, 0x6e, 0x82, 0xd6, 0x72, 0x23, 0xfe, 0xd0, 0x35,
	0x81, 0x15, 0xb1, 0x4a, 0x63, 0xec, 0x21, 0x1b, 0x5d, 0x72, 0x98, 0x03,
	0x86, 0x30, 0x97, 0x21, 0xa4, 0x1e, 0xe1, 0x5e, 0x55, 0x4e, 0x28, 0xe7,
	0x20, 0x71, 0xbc, 0x3e, 0x20, 0x0d, 0x18, 0xc1, 0x93, 0x45, 0x86, 0x75,
	0x56, 0x4e, 0x58, 0x13, 0x6c, 0x1b, 0xb6, 0x04, 0x9e, 0xbf, 0x44, 0xe8,
	0x57, 0xf3, 0x94, 0xe0, 0x2c, 0x02, 0x02, 0xce, 0xc6, 0xd1, 0x9e, 0x00,
	0x09, 0x10, 0x90, 0x0f, 0xdd, 0x94, 0xf3, 0xdf, 0xba, 0xba, 0x78, 0x1b,
	0x82, 0x04, 0xc6, 0x13, 0x44, 0x62, 0x72, 0xd9, 0x6a, 0x88, 0x60, 0x0b,
	0x8a, 0x59, 0xfc, 0x6a, 0x74, 0xa6, 0x7b, 0x42, 0x59, 0x80, 0xaf, 0x16,
	0x2c, 0xf6, 0x26, 0x13, 0x2d, 0xd2, 0x42, 0xbd, 0x0a, 0x4a, 0x70, 0xae,
	0x5c, 0xb6, 0x5a, 0xcd, 0x21, 0xaa, 0x1c, 0x01, 0xa1, 0x62, 0x30, 0xf2,
	0x2f, 0xc6, 0xa3, 0x62, 0x18, 0x48, 0x75, 0x65, 0xe1, 0x79, 0x94, 0x7a,
	0x92, 0xd0, 0xa6, 0x70, 0x8c, 0xd7, 0x2d, 0xc5, 0xf4, 0x42, 0x5a, 0x8a,
	0xcb, 0x5c, 0x3a, 0x71, 0xb0, 0x13, 0xf5, 0x55, 0x40, 0xce, 0x1c, 0xc2,
	0xe8, 0x4f, 0x8d, 0x02, 0xca, 0xaf, 0xc3, 0x89, 0xde, 0xf6, 0xd5, 0x70,
	0x66, 0x4e, 0xbd, 0x5a, 0x13, 0xd4, 0x13, 0x70, 0xd4, 0x76, 0x10, 0x27,
	0xa2, 0x94, 0x28, 0x27, 0xc9, 0x19, 0xed, 0x17, 0xd5, 0x92, 0xe3, 0x82,
	0x23, 0x4a, 0x86, 0xc8, 0x9f, 0x53, 0x0f, 0x50, 0x09, 0x43, 0x86, 0x55,
	0xb6, 0xc0, 0xcc, 0xf5, 0x03, 0x3f, 0x12, 0xe3, 0xdb, 0x0c, 0xca, 0xef,
	0x5a, 0xdb, 0x2d, 0x08, 0x33, 0xa6, 0xc5, 0xee, 0x40, 0x65, 0x62, 0xdd,
	0x31, 0xf8, 0x7d, 0x12, 0xa1, 0x41, 0x07, 0x39, 0x01, 0x9f, 0xa9, 0x11,
	0xef, 0x6f, 0xec, 0x56, 0xab, 0x11, 0x2c, 0x39, 0xf7, 0x74, 0xf0, 0x58,
	0x48, 0x63, 0xbe, 0xf9, 0xe7, 0xf5, 0xd6, 0x76, 0x29, 0x13, 0x90, 0x08,
	0x49, 0x98, 0xdf, 0x07, 0xa1, 0x27, 0x38, 0xaf, 0x0e, 0x50, 0x30, 0x58,
	0x2b, 0xa9, 0xc3, 0xb4, 0xc2, 0x90, 0x2c, 0xad, 0x69, 0xc5, 0x1a, 0xd5,
	0xb5, 0xf1, 0xcb, 0x0d, 0x7b, 0xbc, 0x1b, 0x53, 0x29, 0xb1, 0x7a, 0x98,
	0xd9, 0x68, 0x94, 0x5f, 0x32, 0x8b, 0xf1, 0xd0, 0x19, 0xca, 0xd8, 0x5c,
	0x98, 0x8d, 0x4f, 0x6e, 0xd7, 0xd7, 0x73, 0xfd, 0xc5, 0x2e, 0xe2, 0x8b,
	0x97, 0x17, 0xe4, 0x26, 0x8f, 0xd9, 0x63, 0x49, 0x01, 0xda, 0x05, 0x2e,
	0x67, 0x3e, 0xc1, 0x59, 0xde, 0x88, 0x7b, 0xa5, 0x3a, 0x03, 0xd7, 0xd9,
	0x4b, 0xa2, 0x68, 0xf6, 0x91, 0xd5, 0xeb, 0x42, 0xac, 0x9f, 0x76, 0x78,
	0xef, 0x47, 0x30, 0xb3, 0x3a, 0x98, 0x17, 0x0a, 0x73, 0x83, 0x4a, 0x89,
	0x2f, 0x8f, 0x4b, 0xb7, 0xad, 0x6c, 0xbf, 0xe3, 0x27, 0x07, 0x16, 0x0c,
	0x2f, 0x0b, 0x25, 0x58, 0x9d, 0xc0, 0xd0, 0xb2, 0x67, 0xc1, 0xf7, 0x55,
	0xe1, 0x13, 0x81, 0xf0, 0xe7, 0x61, 0xde, 0xfa, 0x56, 0x2d, 0xc5, 0x0e,
	0x7e, 0xb1, 0xf8, 0x07, 0x62, 0x12, 0x62, 0xd0, 0xc3, 0xf2, 0x03, 0xcc,
	0x61, 0x3b, 0xc8, 0x8b, 0x8b, 0x74, 0x44, 0xdf, 0x71, 0x89, 0x43, 0xfc,
	0x29, 0xf1, 0xcc, 0x60, 0xf7, 0x82, 0x03, 0x8f, 0xfc, 0xf2, 0x6a, 0x30,
	0x82, 0x56, 0xaf, 0xc2, 0xb3, 0x21, 0x0d, 0x85, 0x54, 0xb9, 0x28, 0x12,
	0x11, 0xa8, 0x2e, 0xf2, 0x79, 0x12, 0xbc, 0x8f, 0x17, 0xae, 0x5e, 0xb3,
	0xdf, 0x41, 0xfa, 0x3f, 0x90, 0xbf, 0xc2, 0x30, 0xc7, 0xb9, 0x1f, 0x8c,
	0x66, 0x56, 0xb6, 0xb2, 0x88, 0x53, 0x0c, 0xa6, 0xd5, 0x1f, 0x12, 0x9b,
	0x35, 0x30, 0x70, 0xbb, 0x44, 0xa1, 0x65, 0x2d, 0xb3, 0xc2, 0x40, 0xde,
	0xaf, 0x2c, 0xf4, 0x76, 0x7c, 0xe4, 0x71, 0xb5, 0xe6, 0xdc, 0x86, 0xa5,
	0x97, 0x40, 0x12, 0x04, 0x1b, 0x72, 0x0e, 0xf9, 0xbf, 0x1d, 0xdf, 0xcf,
	0xff, 0x4f, 0xa9, 0x0f, 0x83, 0x0f, 0x86, 0x54, 0x62, 0x41, 0xec, 0x71,
	0x0c, 0xdd, 0x06, 0x73, 0x4a, 0x1b, 0x30, 0x29, 0xbd, 0xb3, 0x6d, 0x4e,
	0x6c, 0x13, 0x83, 0x07, 0xa5, 0xfd, 0x92, 0x37, 0xda, 0xb1, 0x41, 0x1b,
	0x25, 0xab, 0x43, 0x31, 0xbf, 0x93, 0xe9, 0xd1, 0xab, 0x2a, 0xb5, 0x87,
	0x37, 0x9f, 0xfd, 0x64, 0x70, 0x28, 0x23, 0xd0, 0xe0, 0x3c, 0x4e, 0xd6,
	0x88, 0x92, 0x35, 0x82, 0x16, 0xc5, 0x8d, 0x18, 0x0f, 0x20, 0x20, 0xb9,
	0x56, 0x03, 0x42, 0x0d, 0xb9, 0x14, 0xa6, 0x19, 0x24, 0x01, 0x3c, 0xc9,
	0x0a, 0x6d, 0xe4, 0x49, 0x41, 0x48, 0x23, 0x27, 0x05, 0xa1, 0x8d, 0x3c,
	0x29, 0x08, 0x69, 0xe4, 0x2a, 0x05, 0x61, 0x3c, 0x1b, 0xb9, 0x09, 0x25,
	0x4b, 0x4d, 0xe8, 0x5f, 0x85,
};
#define TEXT_LEN 2048

/* The text compressed above: a phrase every third run of 97, else noise. */
static void text_make(uint8_t *out)
{
	static const char phrase[] = "partition memory ";
	static const char letters[] = "abcdefghijklmnop ";
	uint32_t x = 1;

	for (uint32_t i = 0; i < TEXT_LEN; i++) {
		x = x * 1103515245u + 12345u;
		out[i] = (i / 97) % 3 == 0 ? (uint8_t)phrase[i % 17]
					   : (uint8_t)letters[(x >> 16) % 17];
	}
}

/* For helpers that return a value: a set-up failure ends the run. */
#define MUST(cond)                                                           \
	do {                                                                 \
		if (!(cond)) {                                               \
			abort();                                             \
		}                                                            \
	} while (0)

static void *workspace(void)
{
	void *ws = aligned_alloc(64, ALIGN_UP(decompress_workspace_size(),
					      64));

	MUST(ws != NULL);
	return ws;
}

/*
 * Frames of our own (RFC 8878 section 3.1.1): single segment, an 8-byte
 * content size of `stated`, and blocks: raw ones copying `raw`, then RLE
 * ones of byte `fill` up to `actual` bytes.  Returns the frame's length.
 */
struct frame {
	uint8_t b[1 << 16];
	size_t len;
};

static void put_le(uint8_t *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		p[i] = (uint8_t)(v >> (8 * i));
	}
}

static void frame_begin(struct frame *f, uint64_t stated, bool has_size)
{
	put_le(f->b, 0xfd2fb528u, 4);
	if (has_size) {
		f->b[4] = 0xe0; /* 8-byte content size, single segment */
		put_le(f->b + 5, stated, 8);
		f->len = 13;
	} else {
		f->b[4] = 0x00; /* no size: a window descriptor follows */
		f->b[5] = 0x00; /* 1 KiB window */
		f->len = 6;
	}
}

static void frame_block(struct frame *f, bool last, unsigned type,
			uint32_t size, const uint8_t *raw, uint8_t fill)
{
	put_le(f->b + f->len, (last ? 1u : 0u) | (type << 1) | (size << 3), 3);
	f->len += 3;
	if (type == 0) {
		memcpy(f->b + f->len, raw, size);
		f->len += size;
	} else {
		f->b[f->len++] = fill;
	}
}

/* A frame of `actual` bytes of `fill` (RLE blocks) stating `stated`. */
static void frame_rle(struct frame *f, uint64_t stated, uint64_t actual,
		      uint8_t fill)
{
	frame_begin(f, stated, true);
	do {
		uint32_t n = actual > 65536 ? 65536 : (uint32_t)actual;

		actual -= n;
		frame_block(f, actual == 0, 1, n, NULL, fill);
	} while (actual);
}

TEST(decompress, a_real_frame_decodes_to_its_text)
{
	uint8_t want[TEXT_LEN], got[TEXT_LEN + 64];
	void *ws = workspace();
	uint64_t size = 0;
	size_t n = 0;

	text_make(want);
	CHECK(decompress_size(text_zst, sizeof(text_zst), &size) == NULL);
	CHECK_EQ(size, TEXT_LEN);
	memset(got, 0x5a, sizeof(got));
	CHECK(decompress_image(ws, text_zst, sizeof(text_zst), got,
			       sizeof(got), &n) == NULL);
	CHECK_EQ(n, TEXT_LEN);
	CHECK(memcmp(got, want, TEXT_LEN) == 0);
	CHECK_EQ(got[TEXT_LEN], 0x5a); /* nothing past the stated size */
	free(ws);
}

/*
 * Every single flipped bit is caught (header, blocks or checksum) or
 * lands in a bit the format ignores: never different output.
 */
TEST(decompress, a_flipped_bit_is_an_error_or_changes_nothing)
{
	uint8_t bad[sizeof(text_zst)], want[TEXT_LEN];
	uint8_t *out = malloc(TEXT_LEN); /* exact: ASan sees any overrun */
	void *ws = workspace();
	unsigned refused = 0, different = 0;
	size_t n;

	REQUIRE(out != NULL);
	text_make(want);
	for (size_t i = 0; i < sizeof(text_zst); i++) {
		for (unsigned bit = 0; bit < 8; bit++) {
			memcpy(bad, text_zst, sizeof(bad));
			bad[i] ^= (uint8_t)(1u << bit);
			if (decompress_image(ws, bad, sizeof(bad), out,
					     TEXT_LEN, &n)) {
				refused++;
			} else if (n != TEXT_LEN ||
				   memcmp(out, want, TEXT_LEN) != 0) {
				different++;
			}
		}
	}
	CHECK_EQ(different, 0);
	/* 12 of the 6376 flips hit ignored bits with zstd 1.5.4's CLI too. */
	CHECK(refused >= sizeof(text_zst) * 8 - 32);
	free(out);
	free(ws);
}

TEST(decompress, every_truncation_is_an_error)
{
	uint8_t *out = malloc(TEXT_LEN);
	void *ws = workspace();
	unsigned accepted = 0;
	size_t n;

	REQUIRE(out != NULL);
	for (size_t len = 0; len < sizeof(text_zst); len++) {
		/* An exact-size copy, so that ASan sees a read past it. */
		uint8_t *cut = malloc(len ? len : 1);

		REQUIRE(cut != NULL);
		memcpy(cut, text_zst, len);
		if (!decompress_image(ws, cut, len, out, TEXT_LEN, &n)) {
			accepted++;
		}
		free(cut);
	}
	CHECK_EQ(accepted, 0);
	free(out);
	free(ws);
}

TEST(decompress, random_bytes_never_crash)
{
	static uint8_t junk[4096], out[1 << 16];
	struct test_rng r;
	void *ws = workspace();
	size_t n;

	test_rng_seed(&r, 16);
	for (int round = 0; round < 2000; round++) {
		size_t len = 4 + test_rng_below(&r, sizeof(junk) - 4);

		for (size_t i = 0; i < len; i++) {
			junk[i] = (uint8_t)test_rng_next(&r);
		}
		if (round & 1) { /* a valid header, random blocks */
			memcpy(junk, text_zst, 13);
		}
		(void)decompress_image(ws, junk, len, out, sizeof(out), &n);
	}
	CHECK(!test_failed());
	free(ws);
}

TEST(decompress, not_zstd_and_no_size_are_clear_errors)
{
	static struct frame f;
	void *ws = workspace();
	uint8_t out[64];
	uint64_t size;
	size_t n;

	CHECK_STR_CONTAINS(decompress_size("\x1f\x8b\x08\x00gzip", 8, &size),
			   "not valid zstd");
	CHECK_STR_CONTAINS(decompress_size(text_zst, 3, &size), "too short");
	frame_begin(&f, 0, false);
	frame_block(&f, true, 1, 16, NULL, 7);
	CHECK_STR_CONTAINS(decompress_image(ws, f.b, f.len, out, sizeof(out),
					    &n),
			   "does not state its size");
	free(ws);
}

TEST(decompress, stated_size_larger_than_the_room_is_refused_first)
{
	static struct frame f;
	uint8_t *out = malloc(100);
	void *ws = workspace();
	size_t n;

	REQUIRE(out != NULL);
	frame_rle(&f, 101, 101, 9);
	CHECK_STR_CONTAINS(decompress_image(ws, f.b, f.len, out, 100, &n),
			   "larger than the room");
	frame_rle(&f, 100, 100, 9);
	CHECK(decompress_image(ws, f.b, f.len, out, 100, &n) == NULL);
	CHECK_EQ(n, 100);
	CHECK_EQ(out[99], 9);
	free(out);
	free(ws);
}

/* Blocks that deliver more or fewer bytes than the header states. */
TEST(decompress, frames_lying_about_their_size_are_refused)
{
	static struct frame f;
	uint8_t *out = malloc(1 << 20);
	void *ws = workspace();
	size_t n;

	REQUIRE(out != NULL);
	frame_rle(&f, 1000, 300000, 1); /* room for all: still only 1000 */
	CHECK(decompress_image(ws, f.b, f.len, out, 1 << 20, &n) != NULL);
	frame_rle(&f, 300000, 1000, 1);
	CHECK(decompress_image(ws, f.b, f.len, out, 1 << 20, &n) != NULL);
	free(out);
	free(ws);
}

/* Two frames whose stated sizes add up past 2^64. */
TEST(decompress, sizes_that_overflow_are_refused)
{
	static struct frame f;
	static uint8_t two[2 * 64];
	uint64_t size;

	frame_rle(&f, 1ull << 63, 16, 0);
	memcpy(two, f.b, f.len);
	memcpy(two + f.len, f.b, f.len);
	CHECK_STR_CONTAINS(decompress_size(two, 2 * f.len, &size),
			   "sizes overflow");
	frame_rle(&f, ~0ull - 1, 16, 0); /* zstd's own error marker */
	CHECK(decompress_size(f.b, f.len, &size) != NULL);
}

TEST(decompress, workspace_missing_or_misaligned_is_refused)
{
	uint8_t out[TEXT_LEN];
	uint8_t *ws = workspace();
	size_t n;

	CHECK_STR_CONTAINS(decompress_image(NULL, text_zst, sizeof(text_zst),
					    out, sizeof(out), &n),
			   "workspace");
	CHECK_STR_CONTAINS(decompress_image(ws + 4, text_zst, sizeof(text_zst),
					    out, sizeof(out), &n),
			   "workspace");
	free(ws);
}

#define MEM (4 * 1024 * 1024)

/* An ELF64 LE PPC64 kernel: one PT_LOAD of `filesz` bytes of i+1 at 0. */
static size_t make_elf(uint8_t *b, uint64_t filesz, uint64_t memsz)
{
	memset(b, 0, 0x1000 + filesz);
	memcpy(b, "\x7f" "ELF", 4);
	b[4] = 2;
	b[5] = 1;
	b[6] = 1;
	put_le(b + 16, 2, 2);
	put_le(b + 18, 21, 2);
	put_le(b + 24, 0xc000000000000100ull, 8);
	put_le(b + 32, 64, 8);
	put_le(b + 54, 56, 2);
	put_le(b + 56, 1, 2);
	put_le(b + 64, 1, 4);
	put_le(b + 64 + 8, 0x1000, 8);
	put_le(b + 64 + 16, 0xc000000000000000ull, 8);
	put_le(b + 64 + 24, 0, 8);
	put_le(b + 64 + 32, filesz, 8);
	put_le(b + 64 + 40, memsz, 8);
	for (uint64_t i = 0; i < filesz; i++) {
		b[0x1000 + i] = (uint8_t)(i + 1);
	}
	return 0x1000 + (size_t)filesz;
}

/* `len` bytes at `raw` as a frame of raw blocks. */
static void frame_raw(struct frame *f, const uint8_t *raw, size_t len)
{
	frame_begin(f, len, true);
	do {
		uint32_t n = len > 8192 ? 8192 : (uint32_t)len;

		frame_block(f, len == n, 0, n, raw, 0);
		raw += n;
		len -= n;
	} while (len);
}

static bool all_zero(const uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (p[i]) {
			return false;
		}
	}
	return true;
}

TEST(decompress, a_compressed_kernel_loads_and_its_file_is_wiped)
{
	static uint8_t elf[0x1000 + 0x3000];
	static struct frame f;
	uint8_t *m = calloc(1, MEM);
	struct gmem g = { .hpa = (uintptr_t)m, .size = MEM };
	void *ws = workspace();
	struct load_result r;
	size_t len = make_elf(elf, 0x3000, 0x4000);

	REQUIRE(m != NULL);
	frame_raw(&f, elf, len);
	CHECK(decompress_load(&g, ws, false, f.b, f.len, MEM - 0x10000, 0,
			      &r) == NULL);
	CHECK_EQ(r.entry, 0x100);
	CHECK_EQ(r.end, 0x4000);
	CHECK_EQ(m[0], 1);
	CHECK_EQ(m[0x2fff], (uint8_t)0x3000);
	CHECK(all_zero(m + 0x3000, MEM - 0x3000));
	free(m);
	free(ws);
}

TEST(decompress, a_kernel_reaching_its_own_file_or_too_big_is_refused)
{
	static uint8_t elf[0x1000 + 0x3000];
	static struct frame f;
	uint8_t *m = calloc(1, MEM);
	struct gmem g = { .hpa = (uintptr_t)m, .size = MEM };
	void *ws = workspace();
	struct load_result r;
	size_t len;

	REQUIRE(m != NULL);
	/* Its memory image would cover where its file was decompressed. */
	len = make_elf(elf, 0x3000, MEM - 0x8000);
	frame_raw(&f, elf, len);
	CHECK_STR_CONTAINS(decompress_load(&g, ws, false, f.b, f.len,
					   MEM - 0x1000, 0, &r),
			   "does not fit");
	CHECK(all_zero(m + 0x3000, MEM - 0x3000));
	/* Bigger than the partition, by its header: nothing written. */
	frame_rle(&f, MEM + 1ull, 16, 3);
	CHECK_STR_CONTAINS(decompress_load(&g, ws, true, f.b, f.len, MEM, 0,
					   &r),
			   "does not fit");
	frame_rle(&f, ~0ull >> 1, 16, 3);
	CHECK(decompress_load(&g, ws, true, f.b, f.len, MEM, 0, &r) != NULL);
	CHECK(all_zero(m, MEM));
	free(m);
	free(ws);
}

TEST(decompress, place_writes_only_inside_the_partition)
{
	static struct frame f;
	uint8_t *m = calloc(1, MEM);
	struct gmem g = { .hpa = (uintptr_t)m, .size = MEM };
	void *ws = workspace();

	REQUIRE(m != NULL);
	frame_rle(&f, 0x2000, 0x2000, 0x77);
	CHECK_STR_CONTAINS(decompress_place(&g, ws, f.b, f.len, MEM - 0x1000,
					    0x2000),
			   "does not fit");
	CHECK(decompress_place(&g, ws, f.b, f.len, ~0ull - 0x10, 0x2000) !=
	      NULL);
	CHECK(all_zero(m, MEM));
	CHECK(decompress_place(&g, ws, f.b, f.len, MEM - 0x2000, 0x2000) ==
	      NULL);
	CHECK_EQ(m[MEM - 1], 0x77);
	CHECK_EQ(m[MEM - 0x2001], 0);
	/* The caller's size is the frame's: a frame bigger than it fails. */
	CHECK(decompress_place(&g, ws, f.b, f.len, 0, 0x1000) != NULL);
	free(m);
	free(ws);
}

/* A FIT with images whose "compression" is absent, none, zstd, gzip, 7. */
static void *comp_fit(void)
{
	static const char *const names[] = { "plain", "none", "zstd", "gzip",
					     "num" };
	void *fit = calloc(1, 4096);

	MUST(fit != NULL);
	MUST(fdt_create(fit, 4096) == 0);
	MUST(fdt_finish_reservemap(fit) == 0);
	MUST(fdt_begin_node(fit, "") == 0);
	MUST(fdt_begin_node(fit, "images") == 0);
	for (unsigned i = 0; i < 5; i++) {
		MUST(fdt_begin_node(fit, names[i]) == 0);
		MUST(fdt_property(fit, "data", "x", 1) == 0);
		if (i == 1 || i == 2 || i == 3) {
			MUST(fdt_property_string(fit, "compression",
						    names[i]) == 0);
		} else if (i == 4) {
			MUST(fdt_property_u32(fit, "compression", 7) == 0);
		}
		MUST(fdt_end_node(fit) == 0);
	}
	MUST(fdt_end_node(fit) == 0);
	MUST(fdt_end_node(fit) == 0);
	MUST(fdt_finish(fit) == 0);
	return fit;
}

TEST(decompress, bundle_reads_the_compression_property)
{
	void *fit = comp_fit();
	enum bundle_comp c = BUNDLE_COMP_ZSTD;
	struct bundle b;

	REQUIRE_EQ(bundle_open(&b, fit, 4096), BUNDLE_OK);
	CHECK_EQ(bundle_compression(&b, "plain", &c), BUNDLE_OK);
	CHECK_EQ(c, BUNDLE_COMP_NONE);
	CHECK_EQ(bundle_compression(&b, "zstd", &c), BUNDLE_OK);
	CHECK_EQ(c, BUNDLE_COMP_ZSTD);
	CHECK_EQ(bundle_compression(&b, "none", &c), BUNDLE_OK);
	CHECK_EQ(c, BUNDLE_COMP_NONE);
	CHECK_EQ(bundle_compression(&b, "gzip", &c), BUNDLE_E_COMPRESSION);
	CHECK_EQ(bundle_compression(&b, "num", &c), BUNDLE_E_COMPRESSION);
	CHECK_EQ(bundle_compression(&b, "nothing", &c), BUNDLE_E_NO_IMAGE);
	CHECK_STR_CONTAINS(bundle_strerror(BUNDLE_E_COMPRESSION), "zstd");
	free(fit);
}
