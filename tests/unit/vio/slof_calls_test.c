/*
 * Tests for vio/slof_calls.c, the argument checks of SLOF's hcalls:
 * KVMPPC_H_LOGICAL_MEMOP with QEMU's refusals (element size, count,
 * alignment, op) and lparvisor's (ranges outside the partition, overflow
 * at the top of the address space), overlapping copies and inversions;
 * KVMPPC_H_UPDATE_DT's size rule and whole-tree check; the CAS answer's
 * version word and packed tree, and a buffer too small for it.
 */
#include <libfdt.h>
#include <string.h>

#include "hv/abi/hcall.h"
#include "tests/unit/test.h"
#include "vio/slof_calls.h"

#define MEM 0x10000ull

static struct slof_memop m;

TEST(slof_memop, takes_what_slof_sends)
{
	/* invert-region of 4 KiB in 8-byte cells: dst = src, op 1. */
	CHECK_EQ(slof_memop_check(0x2000, 0x2000, 3, 0x200, 1, MEM, &m),
		 H_SUCCESS);
	CHECK_EQ(m.dst, 0x2000u);
	CHECK_EQ(m.src, 0x2000u);
	CHECK_EQ(m.len, 0x1000u);
	CHECK(m.invert);
	CHECK_EQ(slof_memop_check(0x1001, 0x3003, 0, 5, 0, MEM, &m), H_SUCCESS);
	CHECK_EQ(m.len, 5u);
	CHECK(!m.invert);
	/* Nothing to do is fine (QEMU's loop runs zero times). */
	CHECK_EQ(slof_memop_check(MEM, MEM, 3, 0, 0, MEM, &m), H_SUCCESS);
	CHECK_EQ(m.len, 0u);
}

TEST(slof_memop, refuses_what_qemu_refuses)
{
	CHECK_EQ(slof_memop_check(0, 0, 4, 1, 0, MEM, &m), H_PARAMETER);
	CHECK_EQ(slof_memop_check(0, 0, ~0ull, 1, 0, MEM, &m), H_PARAMETER);
	CHECK_EQ(slof_memop_check(0, 0, 0, SLOF_MEMOP_COUNT_MAX + 1, 0,
				  1ull << 40, &m),
		 H_PARAMETER);
	CHECK_EQ(slof_memop_check(0, 0, 0, 1, 2, MEM, &m), H_PARAMETER);
	CHECK_EQ(slof_memop_check(0, 0, 0, 1, ~0ull, MEM, &m), H_PARAMETER);
	/* Misaligned for the element size. */
	CHECK_EQ(slof_memop_check(4, 0, 3, 1, 0, MEM, &m), H_PARAMETER);
	CHECK_EQ(slof_memop_check(0, 2, 2, 1, 0, MEM, &m), H_PARAMETER);
	CHECK_EQ(slof_memop_check(0, 1, 1, 1, 0, MEM, &m), H_PARAMETER);
}

TEST(slof_memop, refuses_ranges_outside_the_partition)
{
	/* The last byte is the partition's, one more is not. */
	CHECK_EQ(slof_memop_check(MEM - 1, 0, 0, 1, 0, MEM, &m), H_SUCCESS);
	CHECK_EQ(slof_memop_check(MEM - 1, 0, 0, 2, 0, MEM, &m), H_PARAMETER);
	CHECK_EQ(slof_memop_check(0, MEM - 8, 3, 2, 0, MEM, &m), H_PARAMETER);
	CHECK_EQ(slof_memop_check(MEM, 0, 0, 1, 0, MEM, &m), H_PARAMETER);
	/* Addresses that wrap with the length. */
	CHECK_EQ(slof_memop_check(~7ull, 0, 3, 2, 0, MEM, &m), H_PARAMETER);
	CHECK_EQ(slof_memop_check(0, ~7ull, 3, 2, 0, MEM, &m), H_PARAMETER);
	/* The largest count of the largest element, in a small partition. */
	CHECK_EQ(slof_memop_check(0, 0, 3, SLOF_MEMOP_COUNT_MAX, 0, MEM, &m),
		 H_PARAMETER);
}

TEST(slof_memop, copies_overlapping_ranges_whole)
{
	uint8_t b[32], want[32];

	for (int i = 0; i < 32; i++) {
		b[i] = (uint8_t)i;
	}
	/* Destination inside the source: backwards, as QEMU's loop. */
	CHECK_EQ(slof_memop_check(4, 0, 2, 4, 0, sizeof(b), &m), H_SUCCESS);
	slof_memop_run(b, &m);
	for (int i = 0; i < 32; i++) {
		want[i] = (uint8_t)(i >= 4 && i < 20 ? i - 4 : i);
	}
	CHECK(memcmp(b, want, sizeof(b)) == 0);
	/* Source inside the destination: forwards, inverted. */
	for (int i = 0; i < 32; i++) {
		b[i] = (uint8_t)i;
	}
	CHECK_EQ(slof_memop_check(0, 8, 3, 2, 1, sizeof(b), &m), H_SUCCESS);
	slof_memop_run(b, &m);
	for (int i = 0; i < 32; i++) {
		want[i] = (uint8_t)(i < 16 ? ~(i + 8) : i);
	}
	CHECK(memcmp(b, want, sizeof(b)) == 0);
	/* Destination inside the source, inverted: backwards too. */
	for (int i = 0; i < 32; i++) {
		b[i] = (uint8_t)i;
	}
	CHECK_EQ(slof_memop_check(8, 0, 3, 2, 1, sizeof(b), &m), H_SUCCESS);
	slof_memop_run(b, &m);
	for (int i = 0; i < 32; i++) {
		want[i] = (uint8_t)(i >= 8 && i < 24 ? ~(i - 8) : i);
	}
	CHECK(memcmp(b, want, sizeof(b)) == 0);
}

/* A small sound tree of `extra` bytes of property, finished. */
static void make_tree(void *buf, size_t cap, size_t extra)
{
	static uint8_t zeros[4096];

	REQUIRE(fdt_create(buf, (int)cap) == 0);
	REQUIRE(fdt_finish_reservemap(buf) == 0);
	REQUIRE(fdt_begin_node(buf, "") == 0);
	REQUIRE(fdt_begin_node(buf, "rtas") == 0);
	REQUIRE(fdt_property(buf, "blob", zeros, (int)extra) == 0);
	REQUIRE(fdt_end_node(buf) == 0);
	REQUIRE(fdt_end_node(buf) == 0);
	REQUIRE(fdt_finish(buf) == 0);
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

TEST(slof_update_dt, size_is_bounded_by_twice_the_tree_given)
{
	uint8_t hdr[8];
	uint32_t size = 0;

	put32(hdr, FDT_MAGIC);
	put32(hdr + 4, 2000);
	CHECK_EQ(slof_update_dt_size(hdr, 1000, 0x40000, &size), H_SUCCESS);
	CHECK_EQ(size, 2000u);
	put32(hdr + 4, 2001);
	CHECK_EQ(slof_update_dt_size(hdr, 1000, 0x40000, &size), H_PARAMETER);
	/* The buffer's own cap, whatever the tree given. */
	put32(hdr + 4, 0x40001);
	CHECK_EQ(slof_update_dt_size(hdr, 0x80000000u, 0x40000, &size),
		 H_PARAMETER);
	put32(hdr + 4, 0xffffffffu);
	CHECK_EQ(slof_update_dt_size(hdr, 0xffffffffu, 0x40000, &size),
		 H_PARAMETER);
	/* Shorter than a header; not a tree. */
	put32(hdr + 4, 39);
	CHECK_EQ(slof_update_dt_size(hdr, 1000, 0x40000, &size), H_PARAMETER);
	put32(hdr, 0xfeedd00du);
	put32(hdr + 4, 100);
	CHECK_EQ(slof_update_dt_size(hdr, 1000, 0x40000, &size), H_PARAMETER);
}

TEST(slof_update_dt, checks_the_whole_tree)
{
	static uint8_t t[1024] __attribute__((aligned(8)));
	uint32_t size;

	make_tree(t, sizeof(t), 8);
	size = fdt_totalsize(t);
	CHECK_EQ(slof_update_dt_check(t, size), H_SUCCESS);
	/* The size the header gives must be the size copied. */
	CHECK_EQ(slof_update_dt_check(t, size - 1), H_PARAMETER);
	CHECK_EQ(slof_update_dt_check(t, 20), H_PARAMETER);
	/* A property length running past the structure block. */
	make_tree(t, sizeof(t), 8);
	{
		int node = fdt_path_offset(t, "/rtas");
		int prop = fdt_first_property_offset(t, node);
		uint8_t *p = t + fdt_off_dt_struct(t) + prop + 4;

		REQUIRE(prop >= 0);
		put32(p, 0x7ffffff0u);
	}
	CHECK_EQ(slof_update_dt_check(t, fdt_totalsize(t)), H_PARAMETER);
	/* A block offset past the end. */
	make_tree(t, sizeof(t), 8);
	fdt_set_off_dt_strings(t, 0x100000);
	CHECK_EQ(slof_update_dt_check(t, fdt_totalsize(t)), H_PARAMETER);
}

TEST(slof_cas_answer, is_version_one_then_the_packed_tree)
{
	static uint8_t buf[8192] __attribute__((aligned(8)));
	uint8_t *tree = buf + SLOF_CAS_TREE_OFF;
	uint8_t *ans = buf + SLOF_CAS_ANSWER_OFF;
	size_t n;

	/* Built into a larger buffer than it needs, as lpar_build_tree. */
	REQUIRE(fdt_create(tree, 4096) == 0);
	REQUIRE(fdt_finish_reservemap(tree) == 0);
	REQUIRE(fdt_begin_node(tree, "") == 0);
	REQUIRE(fdt_end_node(tree) == 0);
	REQUIRE(fdt_finish(tree) == 0);
	REQUIRE(fdt_open_into(tree, tree, 4096) == 0);
	CHECK_EQ(fdt_totalsize(tree), 4096u);
	n = slof_cas_answer(buf, sizeof(buf));
	CHECK_GT(n, SLOF_CAS_HDR_BYTES);
	CHECK_LT(n, 200u);
	CHECK_EQ(n, SLOF_CAS_HDR_BYTES + fdt_totalsize(tree));
	CHECK_EQ(ans[0], 0);
	CHECK_EQ(ans[1], 0);
	CHECK_EQ(ans[2], 0);
	CHECK_EQ(ans[3], 1);
	CHECK_EQ(fdt_check_header(tree), 0);
	/* SLOF's buffer one byte short: nothing to answer. */
	CHECK_EQ(slof_cas_answer(buf, n - 1), 0u);
	CHECK_EQ(slof_cas_answer(buf, n), n);
	/* Not a tree. */
	memset(tree, 0xa5, 64);
	CHECK_EQ(slof_cas_answer(buf, sizeof(buf)), 0u);
}
