/*
 * TCE tables (mm/tce.c) against QEMU 7.2 spapr_iommu.c's return codes,
 * with lparvisor's additions: a TCE granting access must name the
 * partition's own memory, the indirect list is read once and must lie in
 * the partition, and DMA honours the permission bits page by page.
 */
#include <stdlib.h>

#include "hv/abi/hcall.h"
#include "mm/tce.h"
#include "tests/unit/test.h"

#define MEM_SIZE (64 * TCE_PAGE_SIZE) /* the partition: 256 KiB */
#define WIN_PAGES 16                  /* a 64 KiB window */

struct fix {
	uint8_t *mem;
	struct gmem g;
	uint64_t table[WIN_PAGES];
	struct tce_table t;
};

static void fix_init(struct fix *f)
{
	f->mem = aligned_alloc(TCE_PAGE_SIZE, MEM_SIZE);
	memset(f->mem, 0, MEM_SIZE);
	f->g.hpa = (uint64_t)(uintptr_t)f->mem;
	f->g.size = MEM_SIZE;
	f->g.lazy = NULL; /* cleared before the boot */
	memset(f->table, 0, sizeof(f->table));
	f->t.liobn = 0x71000001;
	f->t.entries = WIN_PAGES;
	f->t.bus_offset = 0;
	f->t.table = f->table;
	f->t.page_shift = 0; /* 4 KiB IO pages */
	f->t.bypass = false;
}

static void fix_fini(struct fix *f)
{
	free(f->mem);
}

/* Write a big-endian TCE list of `n` entries at guest real `gpa`. */
static void put_list(struct fix *f, uint64_t gpa, const uint64_t *tces,
		     uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		for (int b = 0; b < 8; b++) {
			f->mem[gpa + 8 * i + b] =
				(uint8_t)(tces[i] >> (56 - 8 * b));
		}
	}
}

TEST(tce, put_outside_window_is_h_parameter)
{
	struct fix f;
	uint64_t v = 1;

	fix_init(&f);
	CHECK_EQ(tce_put(&f.t, &f.g, WIN_PAGES * TCE_PAGE_SIZE,
			 0x1000 | TCE_RW), H_PARAMETER);
	CHECK_EQ(tce_put(&f.t, &f.g, ~0ull, 0), H_PARAMETER);
	CHECK_EQ(tce_get(&f.t, WIN_PAGES * TCE_PAGE_SIZE, &v), H_PARAMETER);
	CHECK_EQ(v, 1);
	for (int i = 0; i < WIN_PAGES; i++) {
		CHECK_EQ(f.table[i], 0);
	}
	fix_fini(&f);
}

TEST(tce, put_foreign_page_is_h_parameter)
{
	struct fix f;

	fix_init(&f);
	/* The page just past the partition, far beyond it, wrapping. */
	CHECK_EQ(tce_put(&f.t, &f.g, 0, MEM_SIZE | TCE_READ), H_PARAMETER);
	CHECK_EQ(tce_put(&f.t, &f.g, 0, 0x7fff0000000ull | TCE_WRITE),
		 H_PARAMETER);
	CHECK_EQ(tce_put(&f.t, &f.g, 0, ~0ull), H_PARAMETER);
	CHECK_EQ(f.table[0], 0);
	/* The last page of the partition is its own. */
	CHECK_EQ(tce_put(&f.t, &f.g, 0, (MEM_SIZE - TCE_PAGE_SIZE) | TCE_RW),
		 H_SUCCESS);
	/* Without permission bits the address grants nothing: kept. */
	CHECK_EQ(tce_put(&f.t, &f.g, TCE_PAGE_SIZE, 0xdead000ull << 12),
		 H_SUCCESS);
	CHECK_EQ(f.table[1], 0xdead000ull << 12);
	fix_fini(&f);
}

TEST(tce, put_get_ignore_low_ioba_bits)
{
	struct fix f;
	uint64_t v = 0;

	fix_init(&f);
	CHECK_EQ(tce_put(&f.t, &f.g, 3 * TCE_PAGE_SIZE + 0x123,
			 0x5000 | TCE_READ), H_SUCCESS);
	CHECK_EQ(f.table[3], 0x5000 | TCE_READ);
	CHECK_EQ(tce_get(&f.t, 3 * TCE_PAGE_SIZE + 0xfff, &v), H_SUCCESS);
	CHECK_EQ(v, 0x5000 | TCE_READ);
	fix_fini(&f);
}

TEST(tce, stuff_counts_and_partial_fill)
{
	struct fix f;

	fix_init(&f);
	/* npages 0 and npages above the table: H_PARAMETER, nothing done. */
	CHECK_EQ(tce_stuff(&f.t, &f.g, 0, TCE_RW, 0), H_PARAMETER);
	CHECK_EQ(tce_stuff(&f.t, &f.g, 0, TCE_RW, WIN_PAGES + 1),
		 H_PARAMETER);
	CHECK_EQ(f.table[0], 0);
	/* A foreign TCE writes nothing. */
	CHECK_EQ(tce_stuff(&f.t, &f.g, 0, MEM_SIZE | TCE_RW, 4), H_PARAMETER);
	CHECK_EQ(f.table[0], 0);
	/* The whole window. */
	CHECK_EQ(tce_stuff(&f.t, &f.g, 0, 0x2000 | TCE_RW, WIN_PAGES),
		 H_SUCCESS);
	for (int i = 0; i < WIN_PAGES; i++) {
		CHECK_EQ(f.table[i], 0x2000 | TCE_RW);
	}
	/* As QEMU: crossing the end fills up to it, then H_PARAMETER. */
	CHECK_EQ(tce_stuff(&f.t, &f.g, (WIN_PAGES - 2) * TCE_PAGE_SIZE, 0, 4),
		 H_PARAMETER);
	CHECK_EQ(f.table[WIN_PAGES - 3], 0x2000 | TCE_RW);
	CHECK_EQ(f.table[WIN_PAGES - 2], 0);
	CHECK_EQ(f.table[WIN_PAGES - 1], 0);
	fix_fini(&f);
}

TEST(tce, indirect_list_checks)
{
	struct fix f;
	uint64_t tces[3] = { 0x1000 | TCE_READ, 0x2000 | TCE_WRITE, 0 };

	fix_init(&f);
	put_list(&f, 0x8000, tces, 3);
	CHECK_EQ(tce_put_indirect(&f.t, &f.g, 0, 0x8000, 0), H_PARAMETER);
	CHECK_EQ(tce_put_indirect(&f.t, &f.g, 0, 0x8000, TCE_INDIRECT_MAX + 1),
		 H_PARAMETER);
	CHECK_EQ(tce_put_indirect(&f.t, &f.g, 0, 0x8008, 3), H_PARAMETER);
	/* The list outside the partition, or running off its end. */
	CHECK_EQ(tce_put_indirect(&f.t, &f.g, 0, MEM_SIZE, 1), H_PARAMETER);
	{
		struct gmem small = { .hpa = f.g.hpa, .size = MEM_SIZE - 8 };

		CHECK_EQ(tce_put_indirect(&f.t, &small, 0,
					  MEM_SIZE - TCE_PAGE_SIZE,
					  TCE_INDIRECT_MAX), H_PARAMETER);
	}
	CHECK_EQ(tce_put_indirect(&f.t, &f.g, 0, ~0ull & TCE_PAGE_MASK, 1),
		 H_PARAMETER);
	CHECK_EQ(f.table[0], 0);
	CHECK_EQ(tce_put_indirect(&f.t, &f.g, TCE_PAGE_SIZE, 0x8000, 3),
		 H_SUCCESS);
	CHECK_EQ(f.table[1], 0x1000 | TCE_READ);
	CHECK_EQ(f.table[2], 0x2000 | TCE_WRITE);
	CHECK_EQ(f.table[3], 0);
	fix_fini(&f);
}

TEST(tce, indirect_stops_at_first_bad_entry)
{
	struct fix f;
	uint64_t tces[4] = { 0x1000 | TCE_RW, 0x2000 | TCE_RW,
			     MEM_SIZE | TCE_RW, 0x3000 | TCE_RW };

	fix_init(&f);
	put_list(&f, 0x4000, tces, 4);
	CHECK_EQ(tce_put_indirect(&f.t, &f.g, 0, 0x4000, 4), H_PARAMETER);
	CHECK_EQ(f.table[0], 0x1000 | TCE_RW);
	CHECK_EQ(f.table[1], 0x2000 | TCE_RW);
	CHECK_EQ(f.table[2], 0);
	CHECK_EQ(f.table[3], 0);
	/* Running off the window: in-window entries stored (QEMU). */
	tces[2] = 0x3000 | TCE_RW;
	put_list(&f, 0x4000, tces, 4);
	CHECK_EQ(tce_put_indirect(&f.t, &f.g, (WIN_PAGES - 1) * TCE_PAGE_SIZE,
				  0x4000, 2), H_PARAMETER);
	CHECK_EQ(f.table[WIN_PAGES - 1], 0x1000 | TCE_RW);
	fix_fini(&f);
}

TEST(tce, translate_honours_permissions)
{
	struct fix f;
	uint64_t gpa = 0, avail = 0;

	fix_init(&f);
	f.table[0] = 0x3000 | TCE_READ;
	f.table[1] = 0x7000 | TCE_WRITE;
	f.table[2] = 0x9000; /* no access */
	CHECK(tce_translate(&f.t, &f.g, 0x10, TCE_READ, &gpa, &avail));
	CHECK_EQ(gpa, 0x3010);
	CHECK_EQ(avail, TCE_PAGE_SIZE - 0x10);
	CHECK(!tce_translate(&f.t, &f.g, 0x10, TCE_WRITE, &gpa, &avail));
	CHECK(!tce_translate(&f.t, &f.g, 0x10, TCE_RW, &gpa, &avail));
	CHECK(tce_translate(&f.t, &f.g, 0x1000, TCE_WRITE, &gpa, &avail));
	CHECK_EQ(gpa, 0x7000);
	CHECK(!tce_translate(&f.t, &f.g, 0x1000, TCE_READ, &gpa, &avail));
	CHECK(!tce_translate(&f.t, &f.g, 0x2000, TCE_READ, &gpa, &avail));
	CHECK(!tce_translate(&f.t, &f.g, 0x2000, 0, &gpa, &avail));
	CHECK(!tce_translate(&f.t, &f.g, WIN_PAGES * TCE_PAGE_SIZE, TCE_READ,
			     &gpa, &avail));
	/* An entry planted behind the checks still cannot leave memory. */
	f.table[3] = MEM_SIZE | TCE_RW;
	CHECK(!tce_translate(&f.t, &f.g, 0x3000, TCE_READ, &gpa, &avail));
	fix_fini(&f);
}

TEST(tce, dma_crosses_pages_and_refuses_whole_writes)
{
	struct fix f;
	uint8_t buf[32], out[32];

	fix_init(&f);
	for (int i = 0; i < 32; i++) {
		buf[i] = (uint8_t)(i + 1);
	}
	/* Bus pages 0,1 -> guest pages 5, 2 (not contiguous). */
	f.table[0] = 0x5000 | TCE_RW;
	f.table[1] = 0x2000 | TCE_RW;
	CHECK(tce_dma_write(&f.t, &f.g, 0xff0, buf, 32));
	CHECK_EQ(f.mem[0x5ff0], 1);
	CHECK_EQ(f.mem[0x5fff], 16);
	CHECK_EQ(f.mem[0x2000], 17);
	CHECK_EQ(f.mem[0x200f], 32);
	CHECK(tce_dma_read(&f.t, &f.g, 0xff0, out, 32));
	CHECK_EQ(memcmp(buf, out, 32), 0);
	/* Second page read-only: the write is refused and writes nothing. */
	f.table[1] = 0x2000 | TCE_READ;
	memset(f.mem + 0x5ff0, 0, 16);
	CHECK(!tce_dma_write(&f.t, &f.g, 0xff0, buf, 32));
	CHECK_EQ(f.mem[0x5ff0], 0);
	/* First page write-only: the read is refused. */
	f.table[0] = 0x5000 | TCE_WRITE;
	CHECK(!tce_dma_read(&f.t, &f.g, 0xff0, out, 32));
	/* Off the end of the window and wrapping bus addresses. */
	f.table[WIN_PAGES - 1] = 0x1000 | TCE_RW;
	CHECK(!tce_dma_read(&f.t, &f.g, WIN_PAGES * TCE_PAGE_SIZE - 8, out,
			    16));
	CHECK(!tce_dma_write(&f.t, &f.g, ~0ull - 3, buf, 16));
	CHECK(!tce_dma_read(&f.t, &f.g, ~0ull - 3, out, 16));
	/* Length 0 is a no-op that succeeds. */
	CHECK(tce_dma_write(&f.t, &f.g, 0, buf, 0));
	fix_fini(&f);
}

TEST(tce, clear_and_nonzero_bus_offset)
{
	struct fix f;
	uint64_t v;

	fix_init(&f);
	f.t.bus_offset = 0x100000;
	CHECK_EQ(tce_put(&f.t, &f.g, 0, TCE_RW), H_PARAMETER);
	CHECK_EQ(tce_put(&f.t, &f.g, 0x100000, 0x1000 | TCE_RW), H_SUCCESS);
	CHECK_EQ(tce_get(&f.t, 0xfffff, &v), H_PARAMETER);
	CHECK_EQ(tce_window_size(&f.t), WIN_PAGES * TCE_PAGE_SIZE);
	tce_clear(&f.t);
	CHECK_EQ(f.table[0], 0);
	fix_fini(&f);
}

TEST(tce, indirect_full_page_of_512)
{
	struct fix f;
	uint64_t *big = calloc(600, sizeof(uint64_t));
	uint64_t tces[TCE_INDIRECT_MAX];

	fix_init(&f);
	f.t.entries = 600;
	f.t.table = big;
	for (int i = 0; i < TCE_INDIRECT_MAX; i++) {
		tces[i] = ((uint64_t)(i % 64) << TCE_PAGE_SHIFT) | TCE_RW;
	}
	put_list(&f, 0x10000, tces, TCE_INDIRECT_MAX);
	CHECK_EQ(tce_put_indirect(&f.t, &f.g, 8 * TCE_PAGE_SIZE, 0x10000,
				  TCE_INDIRECT_MAX), H_SUCCESS);
	for (int i = 0; i < TCE_INDIRECT_MAX; i++) {
		CHECK_EQ(big[8 + i], tces[i]);
	}
	CHECK_EQ(big[7], 0);
	CHECK_EQ(big[8 + TCE_INDIRECT_MAX], 0);
	/* A bad entry in a later chunk: the earlier chunks are stored. */
	memset(big, 0, 600 * sizeof(uint64_t));
	tces[100] = MEM_SIZE | TCE_READ;
	put_list(&f, 0x10000, tces, TCE_INDIRECT_MAX);
	CHECK_EQ(tce_put_indirect(&f.t, &f.g, 0, 0x10000, TCE_INDIRECT_MAX),
		 H_PARAMETER);
	CHECK_EQ(big[99], tces[99]);
	CHECK_EQ(big[100], 0);
	CHECK_EQ(big[101], 0);
	free(big);
	fix_fini(&f);
}

/* ---- tce_copy(): H_COPY_RDMA between two windows (issue 14) ---------- */

/* Source window (f) pages 0..3 -> memory pages 16..19, read-only except
 * page 3 (write-only); destination window (g) pages 0..3 -> its memory
 * pages 8..11 read-write except page 2 (read-only). */
static void copy_fix(struct fix *s, struct fix *d)
{
	fix_init(s);
	fix_init(d);
	for (uint64_t p = 0; p < 4; p++) {
		s->table[p] = (16 + p) * TCE_PAGE_SIZE |
			      (p == 3 ? TCE_WRITE : TCE_READ);
		d->table[p] = (8 + p) * TCE_PAGE_SIZE |
			      (p == 2 ? TCE_READ : TCE_RW);
	}
	for (uint64_t i = 0; i < 4 * TCE_PAGE_SIZE; i++) {
		s->mem[16 * TCE_PAGE_SIZE + i] = (uint8_t)(i * 7 + 1);
	}
}

TEST(tce_copy, copies_across_pages_at_unaligned_addresses)
{
	struct fix s, d;

	copy_fix(&s, &d);
	/* 5000 bytes from source 0x0ff0 (pages 0-2) to dest 0x0010 (0-1). */
	CHECK_EQ(tce_copy(&s.t, &s.g, 0x0ff0, &d.t, &d.g, 0x0010, 5000),
		 TCE_COPY_OK);
	CHECK(memcmp(d.mem + 8 * TCE_PAGE_SIZE + 0x10,
		     s.mem + 16 * TCE_PAGE_SIZE + 0xff0, 5000) == 0);
	CHECK_EQ(d.mem[8 * TCE_PAGE_SIZE + 0xf], 0);
	CHECK_EQ(d.mem[8 * TCE_PAGE_SIZE + 0x10 + 5000], 0);
	/* Length 0 anywhere inside, and up to the window's very end. */
	CHECK_EQ(tce_copy(&s.t, &s.g, 0, &d.t, &d.g,
			  WIN_PAGES * TCE_PAGE_SIZE, 0), TCE_COPY_OK);
	fix_fini(&s);
	fix_fini(&d);
}

TEST(tce_copy, ranges_outside_the_window_or_wrapping_are_refused)
{
	static const struct { uint64_t sio, dio, len; int want; } c[] = {
		{ WIN_PAGES * TCE_PAGE_SIZE - 8, 0, 16, TCE_COPY_SRC_RANGE },
		{ WIN_PAGES * TCE_PAGE_SIZE + 1, 0, 0, TCE_COPY_SRC_RANGE },
		{ UINT64_MAX - 7, 0, 16, TCE_COPY_SRC_RANGE },
		{ 0, WIN_PAGES * TCE_PAGE_SIZE - 8, 16, TCE_COPY_DST_RANGE },
		{ 0, UINT64_MAX, 2, TCE_COPY_DST_RANGE },
		{ 0, 0x100, UINT64_MAX, TCE_COPY_SRC_RANGE },
	};
	struct fix s, d;

	copy_fix(&s, &d);
	for (size_t i = 0; i < ARRAY_SIZE(c); i++) {
		CHECK_EQ(tce_copy(&s.t, &s.g, c[i].sio, &d.t, &d.g, c[i].dio,
				  c[i].len), c[i].want);
	}
	/* A window at bus offset 1 MiB: below it is outside. */
	s.t.bus_offset = SZ_1M;
	CHECK_EQ(tce_copy(&s.t, &s.g, 0, &d.t, &d.g, 0, 8),
		 TCE_COPY_SRC_RANGE);
	CHECK_EQ(tce_copy(&s.t, &s.g, SZ_1M, &d.t, &d.g, 0, 8), TCE_COPY_OK);
	fix_fini(&s);
	fix_fini(&d);
}

TEST(tce_copy, permissions_are_checked_on_every_page_before_copying)
{
	struct fix s, d;

	copy_fix(&s, &d);
	/* Source page 3 is write-only: the device may not read it. */
	CHECK_EQ(tce_copy(&s.t, &s.g, 2 * TCE_PAGE_SIZE, &d.t, &d.g, 0,
			  2 * TCE_PAGE_SIZE), TCE_COPY_SRC_PERM);
	/* Source page 4 is unmapped. */
	CHECK_EQ(tce_copy(&s.t, &s.g, 4 * TCE_PAGE_SIZE - 1, &d.t, &d.g, 0,
			  2), TCE_COPY_SRC_PERM);
	/* Destination page 2 is read-only: nothing written, not even page 1. */
	CHECK_EQ(tce_copy(&s.t, &s.g, 0, &d.t, &d.g, TCE_PAGE_SIZE,
			  2 * TCE_PAGE_SIZE), TCE_COPY_DST_PERM);
	for (uint64_t i = 0; i < 4 * TCE_PAGE_SIZE; i++) {
		REQUIRE_EQ(d.mem[8 * TCE_PAGE_SIZE + i], 0);
	}
	/* A TCE naming memory outside the partition (stored behind the
	 * checks' back) is refused too. */
	d.table[0] = MEM_SIZE | TCE_RW;
	CHECK_EQ(tce_copy(&s.t, &s.g, 0, &d.t, &d.g, 0, 8),
		 TCE_COPY_DST_PERM);
	fix_fini(&s);
	fix_fini(&d);
}

TEST(tce, large_io_pages_are_checked_whole)
{
	struct fix f;
	uint64_t v = 0, gpa = 0, avail = 0;

	fix_init(&f);
	f.t.page_shift = 16; /* 64 KiB IO pages: a 1 MiB window */
	CHECK_EQ(tce_window_size(&f.t), WIN_PAGES * 0x10000ull);
	/* A 64 KiB page inside the 256 KiB partition, any low bits. */
	CHECK_EQ(tce_put(&f.t, &f.g, 0x10000 + 0x1234, 0x30000 | 0x567 | 3),
		 H_SUCCESS);
	CHECK_EQ(tce_get(&f.t, 0x1ffff, &v), H_SUCCESS);
	CHECK_EQ(v, 0x30000ull | 0x567 | 3);
	CHECK(tce_translate(&f.t, &f.g, 0x10000 + 0x4321, TCE_WRITE, &gpa,
			    &avail));
	CHECK_EQ(gpa, 0x30000ull + 0x4321);
	CHECK_EQ(avail, 0x10000ull - 0x4321);
	/* A page reaching past the partition: refused whole. */
	CHECK_EQ(tce_put(&f.t, &f.g, 0, 0x40000 | 3), H_PARAMETER);
	CHECK(tce_valid_page(&f.g, 0x38000 | 3, 16));
	CHECK(!tce_valid_page(&f.g, 0x40000 | 3, 16));
	CHECK(tce_valid_page(&f.g, 0x40000, 16)); /* grants nothing */
	/* Stuff and indirect step by the IO page. */
	CHECK_EQ(tce_stuff(&f.t, &f.g, 0x20000, 0x10000 | 1, 3), H_SUCCESS);
	CHECK_EQ(tce_get(&f.t, 0x40000, &v), H_SUCCESS);
	CHECK_EQ(v, 0x10000ull | 1);
	CHECK_EQ(tce_get(&f.t, 0x50000, &v), H_SUCCESS);
	CHECK_EQ(v, 0);
	{
		const uint64_t l[2] = { 0x20000 | 3, 0x30000 | 2 };

		put_list(&f, 0x8000, l, 2);
		CHECK_EQ(tce_put_indirect(&f.t, &f.g, 0xe0000, 0x8000, 2),
			 H_SUCCESS);
		CHECK_EQ(tce_get(&f.t, 0xf0000, &v), H_SUCCESS);
		CHECK_EQ(v, 0x30000ull | 2);
		/* The second would be past the window: the first stored,
		 * H_PARAMETER. */
		CHECK_EQ(tce_put_indirect(&f.t, &f.g, 0xf0000, 0x8000, 2),
			 H_PARAMETER);
	}
	/* Outside the window: at 16 pages of 64 KiB. */
	CHECK_EQ(tce_put(&f.t, &f.g, 0x100000, 0), H_PARAMETER);
	fix_fini(&f);
}
