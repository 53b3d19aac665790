/*
 * hv/lib/fdtcheck.c: the whole-structure check that runs before any
 * libfdt walk of an untrusted tree.  Config fuzzer finding 2: a property
 * length of -12 made fdt_next_tag() return its own offset, and the
 * configuration checker looped for ever.
 */
#include <libfdt.h>
#include <stdlib.h>
#include <string.h>

#include "hv/lib/fdtcheck.h"
#include "hv/lib/types.h"
#include "tests/unit/test.h"

#define BUF 1024

/* / { a = <1>; n { b = "x"; }; }; */
static void *good_tree(void)
{
	void *fdt = calloc(1, BUF);

	if (!fdt || fdt_create(fdt, BUF) || fdt_finish_reservemap(fdt) ||
	    fdt_begin_node(fdt, "") || fdt_property_u32(fdt, "a", 1) ||
	    fdt_begin_node(fdt, "n") || fdt_property_string(fdt, "b", "x") ||
	    fdt_end_node(fdt) || fdt_end_node(fdt) || fdt_finish(fdt)) {
		free(fdt);
		return NULL;
	}
	return fdt;
}

/* The property structure of "a" in the root. */
static struct fdt_property *prop_a(void *fdt)
{
	int off = fdt_first_property_offset(fdt, 0);

	return off < 0 ? NULL :
			 (struct fdt_property *)fdt_get_property_by_offset(
				 fdt, off, NULL);
}

TEST(fdtcheck, a_good_tree_passes)
{
	void *fdt = good_tree();

	REQUIRE(fdt != NULL);
	CHECK_EQ(fdt_check_structure(fdt), 0);
	free(fdt);
}

TEST(fdtcheck, negative_property_lengths_fail_and_never_loop)
{
	static const int32_t lens[] = { -12, -4, -1, -16, INT32_MIN };

	for (size_t i = 0; i < ARRAY_SIZE(lens); i++) {
		void *fdt = good_tree();
		struct fdt_property *p;

		REQUIRE(fdt != NULL);
		p = prop_a(fdt);
		REQUIRE(p != NULL);
		p->len = cpu_to_fdt32((uint32_t)lens[i]);
		CHECK(fdt_check_structure(fdt) < 0);
		free(fdt);
	}
}

TEST(fdtcheck, lengths_past_the_block_and_bad_names_fail)
{
	void *fdt = good_tree();
	struct fdt_property *p;

	REQUIRE(fdt != NULL);
	p = prop_a(fdt);
	REQUIRE(p != NULL);
	p->len = cpu_to_fdt32(0x10000);
	CHECK(fdt_check_structure(fdt) < 0);
	p->len = cpu_to_fdt32(4);
	p->nameoff = cpu_to_fdt32(0x7fff0000);
	CHECK(fdt_check_structure(fdt) < 0);
	free(fdt);
}

TEST(fdtcheck, unbalanced_nodes_and_bad_tags_fail)
{
	void *fdt = good_tree();
	fdt32_t *tags;
	uint32_t words;
	int n_end = 0;

	REQUIRE(fdt != NULL);
	tags = (fdt32_t *)((char *)fdt + fdt_off_dt_struct(fdt));
	words = fdt_size_dt_struct(fdt) / 4;
	/* Turn the last FDT_END_NODE into a NOP: the root never closes. */
	for (uint32_t i = words; i-- > 0;) {
		if (fdt32_to_cpu(tags[i]) == FDT_END_NODE) {
			tags[i] = cpu_to_fdt32(FDT_NOP);
			n_end++;
			break;
		}
	}
	REQUIRE(n_end == 1);
	CHECK(fdt_check_structure(fdt) < 0);
	free(fdt);
	fdt = good_tree();
	REQUIRE(fdt != NULL);
	tags = (fdt32_t *)((char *)fdt + fdt_off_dt_struct(fdt));
	tags[0] = cpu_to_fdt32(0x77); /* no such tag */
	CHECK(fdt_check_structure(fdt) < 0);
	free(fdt);
}
