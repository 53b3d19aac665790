/*
 * Boot image loader (hv/loader.c): ELF kernels and bare payloads land
 * where they should, and hostile images are refused without touching
 * memory outside the partition.
 */
#include <stdlib.h>

#include "hv/loader.h"
#include "tests/unit/test.h"

#define MEM (8 * 1024 * 1024)

struct img {
	uint8_t b[8192];
};

static void put(uint8_t *b, size_t off, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		b[off + i] = (uint8_t)(v >> (8 * i));
	}
}

/* A little-endian ELF64 PPC64 with one PT_LOAD at vaddr 0xc000...+paddr. */
static size_t make_elf(struct img *im, uint64_t paddr, uint64_t filesz,
		       uint64_t memsz, uint64_t entry_off)
{
	uint8_t *b = im->b;

	memset(b, 0, sizeof(im->b));
	memcpy(b, "\x7f" "ELF", 4);
	b[4] = 2; /* ELFCLASS64 */
	b[5] = 1; /* little-endian */
	b[6] = 1;
	put(b, 16, 2, 2);   /* ET_EXEC */
	put(b, 18, 21, 2);  /* EM_PPC64 */
	put(b, 24, 0xc000000000000000ull + entry_off, 8);
	put(b, 32, 64, 8);  /* phoff */
	put(b, 54, 56, 2);  /* phentsize */
	put(b, 56, 1, 2);   /* phnum */
	put(b, 64, 1, 4);   /* PT_LOAD */
	put(b, 64 + 8, 0x1000, 8);            /* offset */
	put(b, 64 + 16, 0xc000000000000000ull, 8); /* vaddr */
	put(b, 64 + 24, paddr, 8);
	put(b, 64 + 32, filesz, 8);
	put(b, 64 + 40, memsz, 8);
	for (size_t i = 0; i < filesz && 0x1000 + i < sizeof(im->b); i++) {
		b[0x1000 + i] = (uint8_t)(i + 1);
	}
	return 0x1000 + (size_t)filesz;
}

static struct gmem new_mem(void)
{
	uint8_t *m = calloc(1, MEM);
	struct gmem g = { .hpa = (uintptr_t)m, .size = MEM };

	return g;
}

TEST(loader, refuses_a_kernel_that_is_not_elf)
{
	struct gmem g = new_mem();
	struct load_result r;
	uint8_t junk[512] = { 1, 2, 3 };

	CHECK_STR_CONTAINS(loader_load(&g, false, junk, sizeof(junk), MEM, 0, &r),
			   "not an ELF64 image");
	free((void *)(uintptr_t)g.hpa);
}

TEST(loader, refuses_segments_outside_the_image_or_the_partition)
{
	static struct img im;
	struct gmem g = new_mem();
	struct load_result r;
	size_t len = make_elf(&im, 0, 0x800, 0x1000, 0x100);

	/* file size beyond the image */
	put(im.b, 64 + 32, 0x100000, 8);
	CHECK_STR_CONTAINS(loader_load(&g, false, im.b, len, MEM, 0, &r),
			   "outside the image");
	/* destination past the limit */
	len = make_elf(&im, MEM - 0x100, 0x800, 0x800, 0x0);
	CHECK_STR_CONTAINS(loader_load(&g, false, im.b, len, MEM, 0, &r),
			   "does not fit");
	/* wrapping destination */
	len = make_elf(&im, ~0ull - 0x10, 0x800, 0x800, 0x0);
	CHECK_STR_CONTAINS(loader_load(&g, false, im.b, len, MEM, 0, &r),
			   "does not fit");
	/* program headers past the end */
	len = make_elf(&im, 0, 0x800, 0x800, 0);
	put(im.b, 56, 200, 2);
	CHECK(loader_load(&g, false, im.b, len, MEM, 0, &r) != NULL);
	free((void *)(uintptr_t)g.hpa);
}

/* With kernel-addr 0, the QEMU translation leaves low addresses alone. */
TEST(loader, loads_an_elf_kernel_at_its_physical_address_with_kernel_addr_0)
{
	static struct img im;
	struct gmem g = new_mem();
	struct load_result r;
	size_t len = make_elf(&im, 0x10000, 0x800, 0x2000, 0x100);
	uint8_t *m = (uint8_t *)(uintptr_t)g.hpa;

	memset(m + 0x10800, 0xaa, 0x1800); /* must be zeroed as BSS */
	REQUIRE(loader_load(&g, false, im.b, len, MEM, 0, &r) == NULL);
	CHECK_EQ(r.entry, 0x10100);
	CHECK_EQ(r.base, 0x10000);
	CHECK_EQ(r.end, 0x12000);
	CHECK_EQ(m[0x10000], 1);
	CHECK_EQ(m[0x107ff], (uint8_t)0x800);
	CHECK_EQ(m[0x10800], 0);
	CHECK_EQ(m[0x11fff], 0);
	free(m);
}

TEST(loader, entry_outside_the_segments_is_refused)
{
	static struct img im;
	struct gmem g = new_mem();
	struct load_result r;
	size_t len = make_elf(&im, 0, 0x800, 0x800, 0x5000);

	CHECK_STR_CONTAINS(loader_load(&g, false, im.b, len, MEM, 0, &r),
			   "entry point");
	free((void *)(uintptr_t)g.hpa);
}

TEST(loader, loads_a_raw_payload_at_zero_with_entry_0x100)
{
	struct gmem g = new_mem();
	struct load_result r;
	uint8_t pl[0x400];
	uint8_t *m = (uint8_t *)(uintptr_t)g.hpa;

	for (size_t i = 0; i < sizeof(pl); i++) {
		pl[i] = (uint8_t)(i ^ 0x5a);
	}
	REQUIRE(loader_load(&g, true, pl, sizeof(pl), MEM, 0, &r) == NULL);
	CHECK_EQ(r.entry, 0x100);
	CHECK_EQ(r.end, sizeof(pl));
	CHECK(memcmp(m, pl, sizeof(pl)) == 0);
	CHECK_STR_CONTAINS(loader_load(&g, true, pl, 0x80, MEM, 0, &r), "0x100");
	CHECK_STR_CONTAINS(loader_load(&g, true, pl, sizeof(pl), 0x200, 0, &r),
			   "does not fit");
	free(m);
}

/* QEMU 7.2 translate_kernel_address(): (paddr & 0x0fffffff) + kernel-addr. */
TEST(loader, loads_an_elf_kernel_where_qemu_does)
{
	static struct img im;
	struct gmem g = new_mem();
	struct load_result r;
	size_t len = make_elf(&im, 0x10000, 0x800, 0x2000, 0x100);
	uint8_t *m = (uint8_t *)(uintptr_t)g.hpa;

	REQUIRE(loader_load(&g, false, im.b, len, MEM, LOADER_KERNEL_ADDR,
			    &r) == NULL);
	CHECK_EQ(r.entry, 0x410100);
	CHECK_EQ(r.base, 0x410000);
	CHECK_EQ(r.end, 0x412000);
	CHECK_EQ(r.size, 0x2000);
	CHECK(r.le);
	CHECK_EQ(m[0x410000], 1);
	CHECK_EQ(m[0x10000], 0); /* nothing at the physical address */
	free(m);
}

TEST(loader, drops_physical_address_bits_above_256_mib)
{
	static struct img im;
	struct gmem g = new_mem();
	struct load_result r;
	size_t len = make_elf(&im, 0x30000000, 0x800, 0x800, 0);

	REQUIRE(loader_load(&g, false, im.b, len, MEM, 0x100000, &r) == NULL);
	CHECK_EQ(r.base, 0x100000);
	CHECK_EQ(r.entry, 0x100000);
	free((void *)(uintptr_t)g.hpa);
}

TEST(loader, refuses_a_kernel_addr_that_leaves_no_room)
{
	static struct img im;
	struct gmem g = new_mem();
	struct load_result r;
	size_t len = make_elf(&im, 0, 0x800, 0x1000, 0);

	CHECK_STR_CONTAINS(loader_load(&g, false, im.b, len, MEM, MEM - 0x800,
				       &r), "does not fit");
	CHECK_STR_CONTAINS(loader_load(&g, false, im.b, len, 0x500000,
				       LOADER_KERNEL_ADDR + 0xff800, &r),
			   "does not fit");
	free((void *)(uintptr_t)g.hpa);
}

/* A payload is QEMU's -bios: an ELF one keeps its physical addresses. */
TEST(loader, payload_elf_is_not_moved_by_kernel_addr)
{
	static struct img im;
	struct gmem g = new_mem();
	struct load_result r;
	size_t len = make_elf(&im, 0x10000, 0x800, 0x800, 0x100);

	REQUIRE(loader_load(&g, true, im.b, len, MEM, LOADER_KERNEL_ADDR,
			    &r) == NULL);
	CHECK_EQ(r.base, 0x10000);
	CHECK_EQ(r.entry, 0x10100);
	free((void *)(uintptr_t)g.hpa);
}
