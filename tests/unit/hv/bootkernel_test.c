/*
 * The boot bundle embedded in lparvisor's ELF (hv/bootkernel.c), as
 * tools/mkpnor.py bootkernel writes it: found where its program header
 * says, and refused when that header points inside lparvisor's image,
 * past what skiboot loaded, or is malformed.
 */
#include <stdlib.h>

#include "hv/bootkernel.h"
#include "tests/unit/test.h"

#define SPAN 0x100000
#define IMAGE_END 0x40000

static void put(uint8_t *b, size_t off, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		b[off + i] = (uint8_t)(v >> (8 * i));
	}
}

/* ELF header, a PT_LOAD, and a bundle header at `off` of `len` bytes. */
static uint8_t *image(uint64_t off, uint64_t len, uint32_t type)
{
	uint8_t *b = calloc(1, SPAN);

	if (!b) {
		abort();
	}
	memcpy(b, "\x7f" "ELF", 4);
	b[4] = 2;
	b[5] = 1;
	put(b, 32, 64, 8);  /* phoff */
	put(b, 54, 56, 2);  /* phentsize */
	put(b, 56, 2, 2);   /* phnum */
	put(b, 64, 1, 4);   /* PT_LOAD */
	put(b, 64 + 56, type, 4);
	put(b, 64 + 56 + 8, off, 8);
	put(b, 64 + 56 + 32, len, 8);
	return b;
}

TEST(bootkernel, finds_the_bundle_its_header_names)
{
	uint8_t *b = image(0x50000, 0x3000, BOOTKERNEL_PT_BUNDLE);
	uint64_t off = 1, len = 1;

	CHECK(bootkernel_bundle(b, SPAN, IMAGE_END, &off, &len) == NULL);
	CHECK_EQ(off, 0x50000);
	CHECK_EQ(len, 0x3000);
	/* Exactly up to the end of what was loaded. */
	put(b, 64 + 56 + 32, SPAN - 0x50000, 8);
	CHECK(bootkernel_bundle(b, SPAN, IMAGE_END, &off, &len) == NULL);
	CHECK_EQ(len, SPAN - 0x50000);
	free(b);
}

TEST(bootkernel, no_bundle_header_is_no_bundle_and_no_error)
{
	uint8_t *b = image(0x50000, 0x3000, 4 /* PT_NOTE */);
	uint64_t off = 1, len = 1;

	CHECK(bootkernel_bundle(b, SPAN, IMAGE_END, &off, &len) == NULL);
	CHECK_EQ(len, 0);
	CHECK_EQ(off, 0);
	free(b);
}

TEST(bootkernel, a_bundle_inside_the_image_or_past_the_load_is_refused)
{
	uint64_t off, len;
	uint8_t *b;

	b = image(IMAGE_END - 0x1000, 0x3000, BOOTKERNEL_PT_BUNDLE);
	CHECK_STR_CONTAINS(bootkernel_bundle(b, SPAN, IMAGE_END, &off, &len),
			   "overlaps");
	CHECK_EQ(len, 0);
	free(b);
	b = image(0x50004, 0x3000, BOOTKERNEL_PT_BUNDLE);
	CHECK_STR_CONTAINS(bootkernel_bundle(b, SPAN, IMAGE_END, &off, &len),
			   "misaligned");
	free(b);
	b = image(0x50000, SPAN - 0x50000 + 1, BOOTKERNEL_PT_BUNDLE);
	CHECK_STR_CONTAINS(bootkernel_bundle(b, SPAN, IMAGE_END, &off, &len),
			   "past what skiboot loads");
	free(b);
	/* A size that wraps the sum. */
	b = image(0x50000, ~0ull - 0x10000, BOOTKERNEL_PT_BUNDLE);
	CHECK(bootkernel_bundle(b, SPAN, IMAGE_END, &off, &len) != NULL);
	free(b);
	b = image(~0ull - 7, 0x100, BOOTKERNEL_PT_BUNDLE);
	CHECK(bootkernel_bundle(b, SPAN, IMAGE_END, &off, &len) != NULL);
	free(b);
	b = image(0x50000, 8, BOOTKERNEL_PT_BUNDLE); /* no FDT header room */
	CHECK(bootkernel_bundle(b, SPAN, IMAGE_END, &off, &len) != NULL);
	CHECK_EQ(len, 0);
	free(b);
}

TEST(bootkernel, malformed_elf_headers_are_refused)
{
	uint64_t off, len;
	uint8_t *b = image(0x50000, 0x3000, BOOTKERNEL_PT_BUNDLE);

	CHECK(bootkernel_bundle(NULL, SPAN, IMAGE_END, &off, &len) != NULL);
	CHECK(bootkernel_bundle(b, 63, IMAGE_END, &off, &len) != NULL);
	b[5] = 2; /* big-endian */
	CHECK_STR_CONTAINS(bootkernel_bundle(b, SPAN, IMAGE_END, &off, &len),
			   "ELF64");
	b[5] = 1;
	put(b, 56, 0, 2); /* no program headers */
	CHECK_STR_CONTAINS(bootkernel_bundle(b, SPAN, IMAGE_END, &off, &len),
			   "program headers");
	put(b, 56, 17, 2); /* too many */
	CHECK(bootkernel_bundle(b, SPAN, IMAGE_END, &off, &len) != NULL);
	put(b, 56, 2, 2);
	put(b, 32, SPAN - 100, 8); /* table past the end */
	CHECK(bootkernel_bundle(b, SPAN, IMAGE_END, &off, &len) != NULL);
	put(b, 32, ~0ull - 10, 8); /* wrapping */
	CHECK(bootkernel_bundle(b, SPAN, IMAGE_END, &off, &len) != NULL);
	put(b, 32, 64, 8);
	put(b, 54, 64, 2); /* another entry size */
	CHECK(bootkernel_bundle(b, SPAN, IMAGE_END, &off, &len) != NULL);
	free(b);
}
