/*
 * Tests for hv/bundle.c, the FIT boot-bundle reader.  The bundles are real:
 * tests/unit/hv/fixtures.mk packs tests/unit/hv/bundle-test.dts with
 * tools/mkbundle.py (so mkimage 2023.01 writes them) in three layouts,
 * external (-E), inline and absolute (-p), plus odd.itb with unusual hash
 * nodes.  Corrupted and truncated copies must give errors, never crashes.
 */
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hv/bundle.h"
#include "hv/config.h"
#include "hv/lib/sha256.h"
#include "tests/unit/test.h"

static const char *const layouts[] = { "external", "inline", "position" };

struct image_file {
	const char *name; /* in the bundle */
	const char *file; /* fixture holding the same bytes */
};

static const struct image_file images[] = {
	{ "payload", "hv/payload.bin" },
	{ "vmlinux", "hv/kernel.elf" },
	{ "initrd", "hv/initrd.img" },
};

static void *read_fixture(const char *rel, size_t *size)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", test_fixture_dir(), rel);
	return test_read_file(path, size);
}

static void *read_bundle(const char *layout, size_t *size)
{
	char rel[64];

	snprintf(rel, sizeof(rel), "hv/bundle-%s.itb", layout);
	return read_fixture(rel, size);
}

/* ---- opening --------------------------------------------------------- */

TEST(bundle, open_rejects_what_is_not_a_fit)
{
	static const uint64_t junk[8] = { 0x1122334455667788ull };
	struct bundle b;
	const void *data;
	size_t size, len;
	void *cfg = read_fixture("hv/examples/bad-typo.dtb", &size);

	CHECK_EQ(bundle_open(&b, NULL, 100), BUNDLE_E_NOT_FIT);
	CHECK_EQ(bundle_open(&b, junk, 20), BUNDLE_E_NOT_FIT);
	CHECK_EQ(bundle_open(&b, junk, sizeof(junk)), BUNDLE_E_NOT_FIT);
	CHECK(b.fit == NULL);
	CHECK_EQ(bundle_image(&b, "payload", &data, &len), BUNDLE_E_NOT_FIT);
	CHECK(!bundle_has_image(&b, "payload"));
	/* A device tree, but no /images. */
	REQUIRE(cfg != NULL);
	CHECK_EQ(bundle_open(&b, cfg, size), BUNDLE_E_NOT_FIT);
	free(cfg);
}

TEST(bundle, open_rejects_structure_beyond_buffer)
{
	struct bundle b;
	size_t size;
	void *fit = read_bundle("inline", &size);

	REQUIRE(fit != NULL);
	CHECK_EQ(bundle_open(&b, fit, fdt_totalsize(fit) - 1),
		 BUNDLE_E_NOT_FIT);
	CHECK_EQ(bundle_open(&b, fit, size), BUNDLE_OK);
	free(fit);
}

/* Finding 1 of the config fuzzer (tests/fuzz/bundle_fuzz.c): a header
 * whose structure offset is not a multiple of 4 made libfdt read every tag
 * misaligned.  The inline bundle with its structure and strings blocks
 * moved `by` bytes later (the header follows them) is refused unless
 * `by` keeps them aligned. */
TEST(bundle, open_rejects_unaligned_structure_block)
{
	const void *data;
	struct bundle b;
	size_t size, len;
	uint8_t *moved;
	uint32_t off;
	void *fit = read_bundle("inline", &size);

	REQUIRE(fit != NULL);
	off = fdt_off_dt_struct(fit);
	for (uint32_t by = 1; by <= 4; by++) {
		moved = calloc(1, size + by);
		REQUIRE(moved != NULL);
		memcpy(moved, fit, off);
		memcpy(moved + off + by, (uint8_t *)fit + off, size - off);
		fdt_set_off_dt_struct(moved, off + by);
		fdt_set_off_dt_strings(moved, fdt_off_dt_strings(fit) + by);
		fdt_set_totalsize(moved, fdt_totalsize(fit) + by);
		CHECK_EQ(fdt_check_header(moved), 0);
		if (by == 4) {
			CHECK_EQ(bundle_open(&b, moved, size + by), BUNDLE_OK);
			CHECK_EQ(bundle_image(&b, "config", &data, &len),
				 BUNDLE_OK);
		} else {
			CHECK_EQ(bundle_open(&b, moved, size + by),
				 BUNDLE_E_NOT_FIT);
			CHECK(b.fit == NULL);
		}
		free(moved);
	}
	free(fit);
}

/* Fuzzer finding 2: a property length of -12 made libfdt's walk stand
 * still; such a bundle is refused at once. */
TEST(bundle, open_rejects_negative_property_length)
{
	struct fdt_property *prop;
	struct bundle b;
	size_t size;
	void *fit = read_bundle("inline", &size);

	REQUIRE(fit != NULL);
	prop = (struct fdt_property *)fdt_get_property_by_offset(
		fit, fdt_first_property_offset(fit, 0), NULL);
	REQUIRE(prop != NULL);
	prop->len = cpu_to_fdt32((uint32_t)-12);
	CHECK_EQ(bundle_open(&b, fit, size), BUNDLE_E_NOT_FIT);
	CHECK(b.fit == NULL);
	free(fit);
}

/* ---- good bundles ---------------------------------------------------- */

TEST(bundle, every_layout_gives_the_packed_bytes)
{
	for (size_t l = 0; l < ARRAY_SIZE(layouts); l++) {
		struct bundle b;
		size_t size, flen, len;
		const void *data;
		void *fit = read_bundle(layouts[l], &size);

		REQUIRE(fit != NULL);
		REQUIRE_EQ(bundle_open(&b, fit, size), BUNDLE_OK);
		for (size_t i = 0; i < ARRAY_SIZE(images); i++) {
			void *want = read_fixture(images[i].file, &flen);

			REQUIRE(want != NULL);
			CHECK_EQ(bundle_image(&b, images[i].name, &data, &len),
				 BUNDLE_OK);
			CHECK_EQ(len, flen);
			CHECK(len == flen && memcmp(data, want, len) == 0);
			free(want);
		}
		CHECK_EQ(bundle_image(&b, "config", &data, &len), BUNDLE_OK);
		CHECK(len > 0 && fdt_magic(data) == FDT_MAGIC);
		free(fit);
	}
}

TEST(bundle, external_layout_aligns_images_to_4k)
{
	struct bundle b;
	const void *data;
	size_t size, len;
	void *fit = read_bundle("external", &size);

	REQUIRE(fit != NULL);
	REQUIRE_EQ(bundle_open(&b, fit, size), BUNDLE_OK);
	CHECK_EQ(fdt_totalsize(fit) % 0x1000, 0);
	for (size_t i = 0; i < ARRAY_SIZE(images); i++) {
		REQUIRE_EQ(bundle_image(&b, images[i].name, &data, &len),
			   BUNDLE_OK);
		CHECK_EQ(((const char *)data - (const char *)fit) % 0x1000, 0);
	}
	/* The configuration can be parsed in place: libfdt wants 8. */
	REQUIRE_EQ(bundle_image(&b, "config", &data, &len), BUNDLE_OK);
	CHECK_EQ(((const char *)data - (const char *)fit) % 8, 0);
	free(fit);
}

TEST(bundle, image_names_match_exactly)
{
	struct bundle b;
	const void *data;
	size_t size, len;
	void *fit = read_bundle("external", &size);

	REQUIRE(fit != NULL);
	REQUIRE_EQ(bundle_open(&b, fit, size), BUNDLE_OK);
	CHECK(bundle_has_image(&b, "payload"));
	CHECK(bundle_has_image(&b, "config"));
	CHECK(!bundle_has_image(&b, "pay"));
	CHECK(!bundle_has_image(&b, "payloads"));
	CHECK(!bundle_has_image(&b, ""));
	CHECK_EQ(bundle_image(&b, "zimage", &data, &len), BUNDLE_E_NO_IMAGE);
	free(fit);
}

TEST(bundle, hash_node_names_and_algorithms)
{
	struct bundle b;
	const void *data;
	size_t size, len, flen;
	void *fit = read_fixture("hv/odd.itb", &size);
	void *want = read_fixture("hv/odd-at.bin", &flen);

	REQUIRE(fit != NULL && want != NULL);
	REQUIRE_EQ(bundle_open(&b, fit, size), BUNDLE_OK);
	/* hash@1, the older node name, is verified like hash-1. */
	CHECK_EQ(bundle_image(&b, "at", &data, &len), BUNDLE_OK);
	CHECK(len == flen && memcmp(data, want, len) == 0);
	/* sha1 is ignored; the sha256 next to it is checked. */
	CHECK_EQ(bundle_image(&b, "two", &data, &len), BUNDLE_OK);
	CHECK_EQ(bundle_image(&b, "crc", &data, &len), BUNDLE_E_NO_HASH);
	CHECK_EQ(bundle_image(&b, "nohash", &data, &len), BUNDLE_E_NO_HASH);
	free(want);
	free(fit);
}

/* ---- corrupted bundles ----------------------------------------------- */

TEST(bundle, flipped_data_byte_is_bad_hash)
{
	for (size_t l = 0; l < ARRAY_SIZE(layouts); l++) {
		for (size_t i = 0; i < ARRAY_SIZE(images); i++) {
			struct bundle b;
			const void *data;
			size_t size, len, off;
			uint8_t *fit = read_bundle(layouts[l], &size);

			REQUIRE(fit != NULL);
			REQUIRE_EQ(bundle_open(&b, fit, size), BUNDLE_OK);
			REQUIRE_EQ(bundle_image(&b, images[i].name, &data,
						&len),
				   BUNDLE_OK);
			off = (size_t)((const uint8_t *)data - fit);
			fit[off + len / 2] ^= 0x01;
			/* A bundle is read-only once open: reopen it to recheck. */
			CHECK_EQ(bundle_image(&b, images[i].name, &data, &len),
				 BUNDLE_OK);
			REQUIRE_EQ(bundle_open(&b, fit, size), BUNDLE_OK);
			CHECK_EQ(bundle_image(&b, images[i].name, &data, &len),
				 BUNDLE_E_BAD_HASH);
			free(fit);
		}
	}
}

/* The offset of image `name`'s node, in a bundle copy being edited. */
static int image_node(void *fit, const char *name)
{
	int images_node = fdt_path_offset(fit, "/images");

	return images_node < 0 ? images_node
			       : fdt_subnode_offset(fit, images_node, name);
}

TEST(bundle, flipped_hash_value_is_bad_hash)
{
	struct bundle b;
	const void *data;
	uint8_t *value;
	size_t size, len;
	void *fit = read_bundle("external", &size);
	int node, hash, vlen;

	REQUIRE(fit != NULL);
	node = image_node(fit, "vmlinux");
	hash = fdt_subnode_offset(fit, node, "hash-1");
	REQUIRE(hash >= 0);
	value = (uint8_t *)fdt_getprop(fit, hash, "value", &vlen);
	REQUIRE(value != NULL && vlen == 32);
	value[31] ^= 0x80;
	REQUIRE_EQ(bundle_open(&b, fit, size), BUNDLE_OK);
	CHECK_EQ(bundle_image(&b, "vmlinux", &data, &len), BUNDLE_E_BAD_HASH);
	CHECK_EQ(bundle_image(&b, "payload", &data, &len), BUNDLE_OK);
	free(fit);
}

/* Set a u32 property of image `name` in place; the test fails if the
 * property is not there. */
static bool set_u32(void *fit, const char *name, const char *prop,
		    uint32_t v)
{
	return fdt_setprop_inplace_u32(fit, image_node(fit, name), prop, v) ==
	       0;
}

TEST(bundle, hostile_offsets_and_sizes_are_bad_data)
{
	static const struct {
		const char *layout;
		const char *prop;
		uint32_t value;
	} cases[] = {
		{ "external", "data-offset", 0xffffffff },
		{ "external", "data-offset", 0x7ffffffc },
		{ "external", "data-size", 0xffffffff },
		{ "external", "data-size", 0x80000000 },
		{ "position", "data-position", 0xffffffff },
		{ "position", "data-position", 0 },    /* the FIT header */
		{ "position", "data-position", 0x100 }, /* inside the FIT */
		{ "position", "data-size", 0xfffffff0 },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct bundle b;
		const void *data;
		size_t size, len;
		void *fit = read_bundle(cases[i].layout, &size);

		REQUIRE(fit != NULL);
		REQUIRE(set_u32(fit, "vmlinux", cases[i].prop,
				cases[i].value));
		REQUIRE_EQ(bundle_open(&b, fit, size), BUNDLE_OK);
		CHECK_EQ(bundle_image(&b, "vmlinux", &data, &len),
			 BUNDLE_E_BAD_DATA);
		free(fit);
	}
}

TEST(bundle, data_ending_one_byte_past_the_bundle_is_bad_data)
{
	struct bundle b;
	const void *data;
	size_t size, len, off;
	uint8_t *fit = read_bundle("external", &size);

	REQUIRE(fit != NULL);
	REQUIRE_EQ(bundle_open(&b, fit, size), BUNDLE_OK);
	/* vmlinux is the last image and, 8 KiB long, ends the file. */
	REQUIRE_EQ(bundle_image(&b, "vmlinux", &data, &len), BUNDLE_OK);
	off = (size_t)((const uint8_t *)data - fit);
	REQUIRE_EQ(off + len, size);
	REQUIRE(set_u32(fit, "vmlinux", "data-size", (uint32_t)(len + 1)));
	CHECK_EQ(bundle_image(&b, "vmlinux", &data, &len), BUNDLE_E_BAD_DATA);
	free(fit);
}

/*
 * Structural edits need room: copy a position-layout bundle, whose data
 * sits at absolute offsets from 0x1000, and reopen its FIT structure in
 * place with that 0x1000 as its size, so it can grow without moving data.
 */
static uint8_t *editable_bundle(size_t *size)
{
	uint8_t *fit = read_bundle("position", size);

	if (fit && fdt_open_into(fit, fit, 0x1000) != 0) {
		free(fit);
		return NULL;
	}
	return fit;
}

TEST(bundle, malformed_or_missing_properties)
{
	struct bundle b;
	const void *data;
	size_t size, len;
	uint8_t *fit = editable_bundle(&size);
	static const uint8_t three[3] = { 0, 1, 0 };
	int node, hash;

	REQUIRE(fit != NULL);
	REQUIRE_EQ(bundle_open(&b, fit, size), BUNDLE_OK);
	CHECK_EQ(bundle_image(&b, "vmlinux", &data, &len), BUNDLE_OK);

	node = image_node(fit, "vmlinux");
	REQUIRE(fdt_setprop(fit, node, "data-size", three, 3) == 0);
	CHECK_EQ(bundle_image(&b, "vmlinux", &data, &len), BUNDLE_E_BAD_DATA);
	node = image_node(fit, "vmlinux");
	REQUIRE(fdt_delprop(fit, node, "data-size") == 0);
	CHECK_EQ(bundle_image(&b, "vmlinux", &data, &len), BUNDLE_E_BAD_DATA);

	node = image_node(fit, "payload");
	hash = fdt_subnode_offset(fit, node, "hash-1");
	REQUIRE(fdt_setprop(fit, hash, "value", three, 3) == 0);
	CHECK_EQ(bundle_image(&b, "payload", &data, &len), BUNDLE_E_BAD_HASH);
	node = image_node(fit, "payload");
	hash = fdt_subnode_offset(fit, node, "hash-1");
	REQUIRE(fdt_del_node(fit, hash) == 0);
	CHECK_EQ(bundle_image(&b, "payload", &data, &len), BUNDLE_E_NO_HASH);

	node = image_node(fit, "initrd");
	REQUIRE(fdt_delprop(fit, node, "data-position") == 0);
	/* Neither external nor inline data. */
	CHECK_EQ(bundle_image(&b, "initrd", &data, &len), BUNDLE_E_BAD_DATA);
	free(fit);
}

/* True when every image of the test bundle verifies. */
static bool all_images_ok(const struct bundle *b)
{
	const void *data;
	size_t len;

	for (size_t i = 0; i < ARRAY_SIZE(images); i++) {
		if (bundle_image(b, images[i].name, &data, &len) != BUNDLE_OK) {
			return false;
		}
	}
	return true;
}

/* Where the last byte of image data ends in an intact bundle. */
static size_t data_end(const uint8_t *fit, size_t size)
{
	struct bundle b;
	const void *data;
	size_t len, end = 0;

	if (bundle_open(&b, fit, size) != BUNDLE_OK) {
		return 0;
	}
	for (size_t i = 0; i < ARRAY_SIZE(images); i++) {
		if (bundle_image(&b, images[i].name, &data, &len) ==
		    BUNDLE_OK) {
			end = MAX(end, (size_t)((const uint8_t *)data - fit) +
					       len);
		}
	}
	return end;
}

TEST(bundle, truncated_bundles_give_errors_not_crashes)
{
	for (size_t l = 0; l < ARRAY_SIZE(layouts); l++) {
		size_t size, end;
		uint8_t *fit = read_bundle(layouts[l], &size);

		REQUIRE(fit != NULL);
		end = data_end(fit, size);
		REQUIRE(end > 0);
		for (size_t cut = 0; cut < size && !test_failed();
		     cut += 1 + cut / 16) {
			struct bundle b;
			uint8_t *copy = malloc(cut ? cut : 1);

			REQUIRE(copy != NULL);
			memcpy(copy, fit, cut);
			/* Something must be missing, unless only the padding
			 * after the last image was cut. */
			if (bundle_open(&b, copy, cut) == BUNDLE_OK) {
				CHECK(!all_images_ok(&b) || cut >= end);
			}
			free(copy);
		}
		free(fit);
	}
}

TEST(bundle, data_cut_after_the_structure_is_bad_data)
{
	struct bundle b;
	const void *data;
	size_t size, len;
	void *fit = read_bundle("external", &size);

	REQUIRE(fit != NULL);
	REQUIRE_EQ(bundle_open(&b, fit, fdt_totalsize(fit)), BUNDLE_OK);
	CHECK_EQ(bundle_image(&b, "payload", &data, &len), BUNDLE_E_BAD_DATA);
	free(fit);
}

TEST(bundle, random_byte_flips_never_crash)
{
	struct test_rng rng;
	const void *data;
	size_t size, len;
	uint8_t *fit, *copy;
	size_t span;

	fit = read_bundle("external", &size);
	REQUIRE(fit != NULL);
	copy = malloc(size);
	REQUIRE(copy != NULL);
	/* Aim at the FIT structure, where flips change offsets and sizes. */
	span = fdt_totalsize(fit);
	test_rng_seed(&rng, 0xf17);
	for (int round = 0; round < 2000; round++) {
		struct bundle b;
		int flips = 1 + (int)test_rng_below(&rng, 6);

		memcpy(copy, fit, size);
		for (int i = 0; i < flips; i++) {
			copy[test_rng_below(&rng, span)] ^=
				(uint8_t)(1 + test_rng_below(&rng, 255));
		}
		if (bundle_open(&b, copy, size) != BUNDLE_OK) {
			continue;
		}
		for (size_t i = 0; i < ARRAY_SIZE(images); i++) {
			if (bundle_image(&b, images[i].name, &data, &len) ==
			    BUNDLE_OK) {
				/* Whatever passed lies inside the copy. */
				CHECK((const uint8_t *)data >= copy);
				CHECK((const uint8_t *)data + len <=
				      copy + size);
			}
		}
		bundle_has_image(&b, "config");
	}
	free(copy);
	free(fit);
}

/* ---- boot kinds ------------------------------------------------------ */

TEST(bundle, check_boot_kernel_and_payload)
{
	size_t klen, plen;
	void *kernel = read_fixture("hv/kernel.elf", &klen);
	void *payload = read_fixture("hv/payload.bin", &plen);

	REQUIRE(kernel != NULL && payload != NULL);
	CHECK(bundle_check_boot(kernel, klen, CONFIG_BOOT_KERNEL) == NULL);
	CHECK(bundle_check_boot(payload, plen, CONFIG_BOOT_PAYLOAD) == NULL);
	CHECK_STR_EQ(bundle_check_boot(payload, plen, CONFIG_BOOT_KERNEL),
		     "not an ELF file");
	CHECK_STR_EQ(bundle_check_boot(kernel, klen, CONFIG_BOOT_PAYLOAD),
		     "it is an ELF file (use boot = \"kernel\")");
	CHECK_STR_EQ(bundle_check_boot(payload, 0x100, CONFIG_BOOT_PAYLOAD),
		     "too short to reach its entry point at 0x100");
	CHECK(bundle_check_boot(payload, 0x101, CONFIG_BOOT_PAYLOAD) == NULL);
	CHECK_STR_EQ(bundle_check_boot(kernel, 63, CONFIG_BOOT_KERNEL),
		     "not an ELF file");
	free(kernel);
	free(payload);
}

TEST(bundle, check_boot_elf_variants)
{
	uint8_t elf[64] = { 0x7f, 'E', 'L', 'F', 2, 2, 1 };

	/* Big-endian ELF64, PowerPC64 (21), ET_EXEC. */
	elf[16] = 0;
	elf[17] = 2;
	elf[18] = 0;
	elf[19] = 21;
	CHECK(bundle_check_boot(elf, sizeof(elf), CONFIG_BOOT_KERNEL) == NULL);
	elf[17] = 3; /* ET_DYN: a relocatable vmlinux */
	CHECK(bundle_check_boot(elf, sizeof(elf), CONFIG_BOOT_KERNEL) == NULL);
	elf[17] = 1; /* ET_REL */
	CHECK_STR_EQ(bundle_check_boot(elf, sizeof(elf), CONFIG_BOOT_KERNEL),
		     "not an executable ELF file");
	elf[17] = 2;
	elf[19] = 62; /* x86-64 */
	CHECK_STR_EQ(bundle_check_boot(elf, sizeof(elf), CONFIG_BOOT_KERNEL),
		     "not a PowerPC64 ELF file");
	elf[19] = 21;
	elf[4] = 1; /* ELFCLASS32 */
	CHECK_STR_EQ(bundle_check_boot(elf, sizeof(elf), CONFIG_BOOT_KERNEL),
		     "not a 64-bit ELF file");
	elf[4] = 2;
	elf[5] = 3;
	CHECK_STR_EQ(bundle_check_boot(elf, sizeof(elf), CONFIG_BOOT_KERNEL),
		     "unknown ELF byte order");
}

TEST(bundle, strerror_names_every_code)
{
	CHECK_STR_EQ(bundle_strerror(BUNDLE_E_BAD_HASH),
		     "sha256 mismatch: image corrupted");
	for (int e = BUNDLE_OK; e <= BUNDLE_E_BAD_CHUNKS; e++) {
		CHECK(strcmp(bundle_strerror(e), "unknown error") != 0);
	}
	CHECK_STR_EQ(bundle_strerror((enum bundle_err)77), "unknown error");
}

/* ---- chunk hash lists (issue 21) ------------------------------------- */

TEST(bundle, packed_chunk_lists_cover_every_image)
{
	struct bundle_chunks c;
	struct bundle b;
	const void *data;
	size_t size, len;

	for (size_t l = 0; l < ARRAY_SIZE(layouts); l++) {
		void *fit = read_bundle(layouts[l], &size);

		REQUIRE(fit != NULL);
		REQUIRE_EQ(bundle_open(&b, fit, size), BUNDLE_OK);
		for (size_t i = 0; i < ARRAY_SIZE(images); i++) {
			REQUIRE_EQ(bundle_image(&b, images[i].name, &data,
						&len), BUNDLE_OK);
			REQUIRE_EQ(bundle_chunks(&b, images[i].name, &c),
				   BUNDLE_OK);
			/* mkbundle.py: 256 KiB; the fixtures are one chunk. */
			CHECK_EQ(c.chunk_size, (uint64_t)0x40000);
			CHECK_EQ(c.count, 1u);
			CHECK(c.data == data && c.len == len);
			CHECK_EQ(bundle_check_chunk(&c, 0), BUNDLE_OK);
			CHECK_EQ(bundle_check_chunk(&c, 1), BUNDLE_E_BAD_DATA);
			CHECK_EQ(bundle_check_chunk(&c, 0xffffffffu),
				 BUNDLE_E_BAD_DATA);
		}
		/* The configuration has none; an unknown image no data. */
		CHECK_EQ(bundle_chunks(&b, "config", &c), BUNDLE_E_NO_CHUNKS);
		CHECK_EQ(bundle_chunks(&b, "nope", &c), BUNDLE_E_NO_IMAGE);
		free(fit);
	}
}

/* Give image `name` a list of `cs`-byte chunks hashed from its data. */
static int set_chunks(uint8_t *fit, const char *name, uint32_t cs,
		      const void *data, size_t len)
{
	uint8_t digests[16 * SHA256_DIGEST_SIZE];
	size_t n = (len + cs - 1) / cs;
	int node, sub;

	if (n > 16) {
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		size_t off = i * cs;

		sha256((const uint8_t *)data + off, MIN(cs, len - off),
		       digests + i * SHA256_DIGEST_SIZE);
	}
	node = image_node(fit, name);
	sub = fdt_subnode_offset(fit, node, "chunks");
	if (sub < 0 || fdt_setprop_u32(fit, sub, "chunk-size", cs) != 0) {
		return -1;
	}
	sub = fdt_subnode_offset(fit, image_node(fit, name), "chunks");
	return fdt_setprop(fit, sub, "value", digests,
			   (int)(n * SHA256_DIGEST_SIZE));
}

TEST(bundle, a_flipped_byte_fails_only_its_chunk)
{
	struct bundle_chunks c;
	struct bundle b;
	const void *data;
	size_t size, len;
	uint8_t *fit = editable_bundle(&size);

	REQUIRE(fit != NULL);
	REQUIRE_EQ(bundle_open(&b, fit, size), BUNDLE_OK);
	REQUIRE_EQ(bundle_locate(&b, "vmlinux", &data, &len), BUNDLE_OK);
	REQUIRE_EQ(len, 8192u); /* two 4 KiB chunks */
	REQUIRE(set_chunks(fit, "vmlinux", 4096, data, len) == 0);
	REQUIRE_EQ(bundle_chunks(&b, "vmlinux", &c), BUNDLE_OK);
	CHECK_EQ(c.count, 2u);
	CHECK_EQ(c.chunk_size, 4096u);
	CHECK_EQ(bundle_check_chunk(&c, 0), BUNDLE_OK);
	CHECK_EQ(bundle_check_chunk(&c, 1), BUNDLE_OK);
	/* data-position: the data did not move with the structure. */
	((uint8_t *)data)[4096 + 17] ^= 1;
	CHECK_EQ(bundle_check_chunk(&c, 0), BUNDLE_OK);
	CHECK_EQ(bundle_check_chunk(&c, 1), BUNDLE_E_BAD_HASH);
	((uint8_t *)data)[4096 + 17] ^= 1;
	((uint8_t *)data)[0] ^= 0x80;
	CHECK_EQ(bundle_check_chunk(&c, 0), BUNDLE_E_BAD_HASH);
	CHECK_EQ(bundle_check_chunk(&c, 1), BUNDLE_OK);
	/* The whole-image hash-1 fails too: mkimage's own check. */
	CHECK_EQ(bundle_image(&b, "vmlinux", &data, &len), BUNDLE_E_BAD_HASH);
	free(fit);
}

TEST(bundle, hostile_chunk_lists_are_refused)
{
	struct bundle_chunks c;
	struct bundle b;
	const void *data;
	size_t size, len;
	uint8_t *fit = editable_bundle(&size);
	static const uint8_t three[3] = { 0, 0x20, 0 };
	static const uint8_t zeros[64];
	/* 2 MiB list for the 8 KiB kernel: one digest, whatever it holds. */
	static const struct {
		const char *why;
		uint64_t cs;
		int digests_len; /* bytes of "value"; -1: delete it */
		bool bad;
	} cases[] = {
		{ "one digest", SZ_2M, 32, false },
		{ "no digest", SZ_2M, 0, true },
		{ "one byte short", SZ_2M, 31, true },
		{ "one byte long", SZ_2M, 33, true },
		{ "two digests", SZ_2M, 64, true },
		{ "value missing", SZ_2M, -1, true },
		{ "chunk size 0", 0, 32, true },
		{ "chunk size 2 KiB", 2048, 32, true },
		{ "chunk size 3 MiB", 3 * SZ_1M, 32, true },
		{ "chunk size 2 GiB", 2ull << 30, 32, true },
		{ "chunk size 2^63", 1ull << 63, 32, true },
		{ "chunk size 4 KiB, one digest", 4096, 32, true },
		{ "chunk size 4 KiB, two digests", 4096, 64, false },
		{ "chunk size 1 GiB", 1ull << 30, 32, false },
	};
	int node, sub;

	REQUIRE(fit != NULL);
	REQUIRE_EQ(bundle_open(&b, fit, size), BUNDLE_OK);
	REQUIRE_EQ(bundle_locate(&b, "vmlinux", &data, &len), BUNDLE_OK);
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		node = image_node(fit, "vmlinux");
		sub = fdt_subnode_offset(fit, node, "chunks");
		REQUIRE(sub >= 0);
		REQUIRE(fdt_setprop_u64(fit, sub, "chunk-size", cases[i].cs) ==
			0);
		sub = fdt_subnode_offset(fit, image_node(fit, "vmlinux"),
					 "chunks");
		if (cases[i].digests_len < 0) {
			REQUIRE(fdt_delprop(fit, sub, "value") == 0);
		} else {
			REQUIRE(fdt_setprop(fit, sub, "value", zeros,
					    cases[i].digests_len) == 0);
		}
		if (bundle_chunks(&b, "vmlinux", &c) !=
		    (cases[i].bad ? BUNDLE_E_BAD_CHUNKS : BUNDLE_OK)) {
			test_fail(__FILE__, __LINE__, "chunk list case: %s",
				  cases[i].why);
		}
		/* A well-formed list of zeros is a list that fails. */
		if (!cases[i].bad) {
			CHECK_EQ(bundle_check_chunk(&c, 0), BUNDLE_E_BAD_HASH);
		}
	}
	sub = fdt_subnode_offset(fit, image_node(fit, "vmlinux"), "chunks");
	REQUIRE(fdt_setprop(fit, sub, "chunk-size", three, 3) == 0);
	CHECK_EQ(bundle_chunks(&b, "vmlinux", &c), BUNDLE_E_BAD_CHUNKS);
	REQUIRE(fdt_setprop_u32(fit, sub, "chunk-size", SZ_2M) == 0);
	REQUIRE(fdt_setprop(fit, sub, "value", zeros, 32) == 0);
	REQUIRE(fdt_setprop_string(fit, sub, "algo", "sha1") == 0);
	CHECK_EQ(bundle_chunks(&b, "vmlinux", &c), BUNDLE_E_BAD_CHUNKS);
	REQUIRE(fdt_setprop(fit, sub, "algo", "sha256", 6) == 0); /* no NUL */
	CHECK_EQ(bundle_chunks(&b, "vmlinux", &c), BUNDLE_E_BAD_CHUNKS);
	REQUIRE(fdt_delprop(fit, sub, "algo") == 0);
	CHECK_EQ(bundle_chunks(&b, "vmlinux", &c), BUNDLE_E_BAD_CHUNKS);
	REQUIRE(fdt_del_node(fit, sub) == 0);
	CHECK_EQ(bundle_chunks(&b, "vmlinux", &c), BUNDLE_E_NO_CHUNKS);
	/* The data's own bounds come first. */
	node = image_node(fit, "payload");
	REQUIRE(fdt_setprop_u32(fit, node, "data-size", 0xfffffff0u) == 0);
	CHECK_EQ(bundle_chunks(&b, "payload", &c), BUNDLE_E_BAD_DATA);
	free(fit);
}

/* ---- the configuration against its bundle ---------------------------- */

static struct config cfg;

static const struct config_env qemu_env = {
	.core_count = 4,
	.mem_available = 3 * SZ_1G,
};

TEST(bundle, config_env_checks_images_of_the_bundle)
{
	struct config_env env = qemu_env;
	struct bundle b;
	const void *data;
	size_t size, len;
	void *fit = read_bundle("external", &size);

	REQUIRE(fit != NULL);
	REQUIRE_EQ(bundle_open(&b, fit, size), BUNDLE_OK);
	bundle_config_env(&b, &env);
	REQUIRE_EQ(bundle_image(&b, "config", &data, &len), BUNDLE_OK);
	CHECK_EQ(config_parse(data, len, &env, &cfg), CONFIG_OK);
	REQUIRE_EQ(cfg.error_count, 1);
	CHECK_EQ(cfg.errors[0].code, CONFIG_E_IMAGE_FORMAT);
	CHECK_STR_EQ(cfg.errors[0].message,
		     "lpar \"wrong\": property \"kernel\": image \"vmlinux\" "
		     "cannot boot as a payload: it is an ELF file (use boot = "
		     "\"kernel\")");
	REQUIRE_EQ(cfg.lpar_count, 3);
	CHECK(!cfg.lpars[0].refused);
	CHECK(!cfg.lpars[1].refused);
	CHECK(cfg.lpars[2].refused);
	CHECK_STR_EQ(cfg.lpars[1].initramfs, "initrd");
	free(fit);
}

TEST(bundle, config_env_reports_corrupted_kernel)
{
	struct config_env env = qemu_env;
	struct bundle b;
	const void *data;
	size_t size, len;
	uint8_t *fit = read_bundle("external", &size);

	REQUIRE(fit != NULL);
	REQUIRE_EQ(bundle_open(&b, fit, size), BUNDLE_OK);
	REQUIRE_EQ(bundle_image(&b, "vmlinux", &data, &len), BUNDLE_OK);
	fit[(const uint8_t *)data - fit + 100] ^= 0xff;
	REQUIRE_EQ(bundle_open(&b, fit, size), BUNDLE_OK); /* forget hashes */
	bundle_config_env(&b, &env);
	REQUIRE_EQ(bundle_image(&b, "config", &data, &len), BUNDLE_OK);
	CHECK_EQ(config_parse(data, len, &env, &cfg), CONFIG_OK);
	REQUIRE_EQ(cfg.error_count, 2);
	CHECK_STR_EQ(cfg.errors[0].message,
		     "lpar \"linux\": property \"kernel\": image \"vmlinux\" "
		     "cannot boot as a kernel: sha256 mismatch: image "
		     "corrupted");
	CHECK_STR_EQ(cfg.errors[1].message,
		     "lpar \"wrong\": property \"kernel\": image \"vmlinux\" "
		     "cannot boot as a payload: sha256 mismatch: image "
		     "corrupted");
	CHECK(!cfg.lpars[0].refused);
	free(fit);
}

/* ---- checking the hashes later (hv/main.c, while memory is cleared) --- */

TEST(bundle, locate_reads_no_hash_and_image_still_refuses_corruption)
{
	struct bundle b;
	const void *data, *where;
	size_t size, len, where_len;
	uint8_t *fit = read_bundle("external", &size);

	REQUIRE(fit != NULL);
	REQUIRE_EQ(bundle_open(&b, fit, size), BUNDLE_OK);
	REQUIRE_EQ(bundle_locate(&b, "vmlinux", &where, &where_len),
		   BUNDLE_OK);
	fit[(const uint8_t *)where - fit + where_len / 2] ^= 0x01;
	CHECK_EQ(b.hashed_bytes, 0);
	CHECK_EQ(bundle_locate(&b, "vmlinux", &data, &len), BUNDLE_OK);
	CHECK(data == where);
	CHECK_EQ(len, where_len);
	CHECK_EQ(bundle_image(&b, "vmlinux", &data, &len), BUNDLE_E_BAD_HASH);
	CHECK_EQ(b.hashed_bytes, 0);
	CHECK_EQ(bundle_locate(&b, "nothing", &data, &len), BUNDLE_E_NO_IMAGE);
	free(fit);
}

TEST(bundle, hashes_each_image_once_and_counts_its_bytes)
{
	struct bundle b;
	const void *data;
	size_t size, len, payload_len;
	void *fit = read_bundle("external", &size);

	REQUIRE(fit != NULL);
	REQUIRE_EQ(bundle_open(&b, fit, size), BUNDLE_OK);
	REQUIRE_EQ(bundle_image(&b, "payload", &data, &payload_len),
		   BUNDLE_OK);
	CHECK_EQ(b.hashed_bytes, payload_len);
	REQUIRE_EQ(bundle_image(&b, "payload", &data, &len), BUNDLE_OK);
	CHECK_EQ(b.hashed_bytes, payload_len);
	REQUIRE_EQ(bundle_image(&b, "vmlinux", &data, &len), BUNDLE_OK);
	CHECK_EQ(b.hashed_bytes, payload_len + len);
	free(fit);
}

/* The config check of the boot path leaves a good header's hash for later:
 * the corruption is then found by bundle_image(), before any use. */
TEST(bundle, unhashed_config_env_leaves_a_corrupted_body_to_bundle_image)
{
	struct config_env env = qemu_env;
	struct bundle b;
	const void *data;
	size_t size, len;
	uint8_t *fit = read_bundle("external", &size);

	REQUIRE(fit != NULL);
	REQUIRE_EQ(bundle_open(&b, fit, size), BUNDLE_OK);
	REQUIRE_EQ(bundle_locate(&b, "vmlinux", &data, &len), BUNDLE_OK);
	fit[(const uint8_t *)data - fit + len - 1] ^= 0xff;
	bundle_config_env_unhashed(&b, &env);
	REQUIRE_EQ(bundle_image(&b, "config", &data, &len), BUNDLE_OK);
	CHECK_EQ(config_parse(data, len, &env, &cfg), CONFIG_OK);
	/* Only the partition whose boot kind is wrong; its image is then
	 * hashed, and named as corrupted. */
	REQUIRE_EQ(cfg.error_count, 1);
	CHECK_STR_EQ(cfg.errors[0].message,
		     "lpar \"wrong\": property \"kernel\": image \"vmlinux\" "
		     "cannot boot as a payload: sha256 mismatch: image "
		     "corrupted");
	REQUIRE_EQ(cfg.lpar_count, 3);
	CHECK(!cfg.lpars[1].refused);
	CHECK(cfg.lpars[2].refused);
	CHECK_EQ(bundle_image(&b, "vmlinux", &data, &len), BUNDLE_E_BAD_HASH);
	free(fit);
}

TEST(bundle, unhashed_config_env_names_a_corrupted_header_as_corrupted)
{
	struct config_env env = qemu_env;
	struct bundle b;
	const void *data;
	size_t size, len;
	uint8_t *fit = read_bundle("external", &size);

	REQUIRE(fit != NULL);
	REQUIRE_EQ(bundle_open(&b, fit, size), BUNDLE_OK);
	REQUIRE_EQ(bundle_locate(&b, "vmlinux", &data, &len), BUNDLE_OK);
	fit[(const uint8_t *)data - fit] ^= 0xff; /* the ELF magic */
	bundle_config_env_unhashed(&b, &env);
	REQUIRE_EQ(bundle_image(&b, "config", &data, &len), BUNDLE_OK);
	CHECK_EQ(config_parse(data, len, &env, &cfg), CONFIG_OK);
	REQUIRE_EQ(cfg.error_count, 1);
	CHECK_STR_EQ(cfg.errors[0].message,
		     "lpar \"linux\": property \"kernel\": image \"vmlinux\" "
		     "cannot boot as a kernel: sha256 mismatch: image "
		     "corrupted");
	REQUIRE_EQ(cfg.lpar_count, 3);
	CHECK(cfg.lpars[1].refused);
	/* Not an ELF file any more, so a good payload by its header: its
	 * hash is left for later, and bundle_image() refuses it. */
	CHECK(!cfg.lpars[2].refused);
	CHECK_EQ(bundle_image(&b, "vmlinux", &data, &len), BUNDLE_E_BAD_HASH);
	free(fit);
}
