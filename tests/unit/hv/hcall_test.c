/*
 * Tests for hv/hcall.c: hcall_dispatch() and the generic hcalls in
 * hcall_table, called as the exit path calls them, with hostile arguments.
 * Expected codes are QEMU 7.2's (hw/ppc/spapr_hcall.c), plus the
 * ownership checks QEMU skips.  The partition's memory lies between guard
 * zones that every call is checked against (tests/unit/fake/guestcall.c),
 * and under ASan they are poisoned.  Built against tests/unit/fake/.
 * Negative cases come first in each group.
 */
#include <stdlib.h>

#include "hv/abi/hcall.h"
#include "hv/hcall.h"
#include "hv/io.h"
#include "hv/spr.h"
#include "hv/watchdog.h"
#include "mm/radix.h"
#include "tests/unit/fake/guestcall.h"
#include "tests/unit/test.h"

#if !defined(FAKE_HV_CPU_H) || !defined(FAKE_HV_LOCK_H)
#error "hcall_test.c must be built with -Itests/unit/fake ahead of -I."
#endif

/* 64 pages: enough for two pages at every edge the tests use. */
#define MEM_SIZE (64 * SZ_4K)
#define LAST_PAGE (MEM_SIZE - SZ_4K)
#define VCPUS 4

/* H_GET_CPU_CHARACTERISTICS behaviour bits (Linux asm/hvcall.h). */
#ifndef H_CPU_BEHAV_FAVOUR_SECURITY
#define H_CPU_BEHAV_FAVOUR_SECURITY (1ull << 63)
#endif
#ifndef H_CPU_BEHAV_L1D_FLUSH_PR
#define H_CPU_BEHAV_L1D_FLUSH_PR (1ull << 62)
#endif
#ifndef H_CPU_BEHAV_BNDS_CHK_SPEC_BAR
#define H_CPU_BEHAV_BNDS_CHK_SPEC_BAR (1ull << 61)
#endif

/* H_REGISTER_VPA flags for each sub-function (QEMU FLAGS_*). */
#define VPA_FLAGS(func) ((uint64_t)(func) << H_VPA_FUNC_SHIFT)

static struct lpar *l;
static struct vcpu *vc; /* the caller: vCPU 0 */
static struct hcall_args a;

static bool setup_mem(uint64_t mem_size)
{
	fake_reset();
	l = fake_lpar_create("web", VCPUS, mem_size);
	if (!l) {
		return false;
	}
	vc = l->vcpus[0];
	return true;
}

static bool setup(void)
{
	return setup_mem(MEM_SIZE);
}

/* Addresses no partition may reach, aligned to `align`. */
static const uint64_t far_addrs[] = {
	MEM_SIZE,
	MEM_SIZE + SZ_4K,
	1ull << 32,
	1ull << 63,
	0ull - SZ_4K,         /* + 4 KiB wraps to 0 */
	0ull - 2 * SZ_4K,
	0xfffffffffffff000ull,
};

/*
 * hcall_dispatch
 */

TEST(hcall_dispatch, rejects_problem_state_with_h_privilege)
{
	REQUIRE(setup());
	fake_spr[SPRN_SPRG0] = 7;
	CHECK_EQ(HCALL_MSR(vc, GUEST_MSR | MSR_PR, &a, H_SET_SPRG0, 0x1234),
		 H_PRIVILEGE);
	CHECK_EQ(fake_spr[SPRN_SPRG0], 7); /* the handler never ran */
	CHECK_EQ(HCALL_MSR(vc, GUEST_MSR | MSR_PR, &a, 0x7777, 0),
		 H_PRIVILEGE);
	CHECK_EQ(l->bad_hcalls, 2);
}

/*
 * Issue 20: the exit path copies `ret_count` values into r4.., so every
 * return of hcall_dispatch() must leave it set, the early ones too.
 */
TEST(hcall_dispatch, sets_ret_count_on_early_returns)
{
	REQUIRE(setup());
	CHECK_EQ(HCALL_MSR(vc, GUEST_MSR | MSR_PR, &a, H_RANDOM, 0),
		 H_PRIVILEGE);
	CHECK_EQ(a.ret_count, 0);
	CHECK_EQ(HCALL(vc, &a, 0x7777, 0), H_FUNCTION);
	CHECK_EQ(a.ret_count, 0);
	CHECK_EQ(HCALL(vc, &a, ~0ull, 0), H_FUNCTION);
	CHECK_EQ(a.ret_count, 0);
}

TEST(hcall_dispatch, rejects_unknown_numbers_with_h_function)
{
	static const uint64_t nrs[] = {
		0, 1, 2, 3,
		H_REMOVE, H_ENTER, H_READ, H_PROTECT, /* hash: not built */
		H_PAGE_INIT + 1, H_PAGE_INIT + 2, H_PAGE_INIT + 3,
		0x244, /* H_ILLAN_ATTRIBUTES: not built (nor in QEMU 7.2) */
		H_LOGICAL_CACHE_LOAD, H_LOGICAL_ICBI,
		H_CLEAN_SLB, H_INVALIDATE_PID, H_LAST_PAPR + 4,
		0xeffc, KVMPPC_H_LOGICAL_MEMOP, KVMPPC_H_CAS,
		KVMPPC_H_UPDATE_DT, 0xf004, 0x10000,
		(1ull << 32) | H_SET_SPRG0, (1ull << 63) | H_CEDE, ~0ull,
	};

	REQUIRE(setup());
	for (size_t i = 0; i < ARRAY_SIZE(nrs); i++) {
		CHECK_EQ(HCALL(vc, &a, nrs[i], 0, 0, 0, 0), H_FUNCTION);
	}
	CHECK_EQ(l->bad_hcalls, ARRAY_SIZE(nrs));
	CHECK_EQ(fake_calls.cede, 0);
}

TEST(hcall_dispatch, counts_guest_errors_and_never_prints_them)
{
	REQUIRE(setup());
	CHECK_EQ(HCALL(vc, &a, 0x7778, 0), H_FUNCTION);
	CHECK_EQ(HCALL(vc, &a, H_PAGE_INIT, 0, 1, 0), H_PARAMETER);
	CHECK_EQ(HCALL(vc, &a, H_SET_MODE, 0, 99, 0, 0), H_P2);
	CHECK_EQ(HCALL(vc, &a, H_PUT_TERM_CHAR, 5, 1, 0, 0), H_PARAMETER);
	CHECK_EQ(HCALL(vc, &a, KVMPPC_H_RTAS, MEM_SIZE), H_PARAMETER);
	CHECK_EQ(l->bad_hcalls, 5);
	CHECK_EQ(fake_console_calls(), 0);
}

TEST(hcall_dispatch, does_not_count_successful_calls)
{
	REQUIRE(setup());
	CHECK_EQ(HCALL(vc, &a, H_SET_SPRG0, 1), H_SUCCESS);
	CHECK_EQ(HCALL(vc, &a, H_CONFER, ~0ull, 0), H_SUCCESS);
	CHECK_EQ(l->bad_hcalls, 0);
}

TEST(hcall_dispatch, clears_ret_count_before_the_handler)
{
	REQUIRE(setup());
	CHECK_EQ(HCALL(vc, &a, H_SET_SPRG0, 1), H_SUCCESS);
	CHECK_EQ(a.ret_count, 0);
	CHECK_EQ(HCALL(vc, &a, H_PROD, 99), H_PARAMETER);
	CHECK_EQ(a.ret_count, 0);
}

TEST(hcall_dispatch, table_is_sorted_and_every_entry_is_found)
{
	for (uint32_t i = 0; i < hcall_table_len; i++) {
		const struct hcall_entry *e = &hcall_table[i];

		CHECK(e->fn != NULL);
		CHECK(e->name != NULL && e->status != NULL);
		CHECK_LE(e->rets, 9);
		CHECK(!(e->nr & 3) || e->nr > H_LAST_PAPR);
		CHECK(e->nr <= H_LAST_PAPR ||
		      (e->nr >= 0xf000 && e->nr <= 0xf005));
		if (i > 0) {
			CHECK_LT(hcall_table[i - 1].nr, e->nr);
		}
		CHECK(hcall_lookup(e->nr) == e);
		/* QEMU's private numbers follow each other (0xf000..0xf003). */
		if (i + 1 == hcall_table_len ||
		    hcall_table[i + 1].nr != e->nr + 1) {
			CHECK(hcall_lookup(e->nr + 1) == NULL);
		}
	}
}

/*
 * Registration: hcall_table_build() on fake row sets, and the rows of
 * this binary (hv/hcall.c, hv/watchdog.c, intc/, rtas/, vio/).
 */

static int64_t fake_fn(struct vcpu *v, struct hcall_args *x)
{
	(void)v;
	(void)x;
	return H_SUCCESS;
}

#define ROW(nr_, fn_name_, file_)                                            	{ .nr = (nr_), .name = #nr_, .fn = fake_fn, .fn_name = (fn_name_),  	  .file = (file_), .status = "done" }

TEST(hcall_table_build, refuses_a_duplicate_number_naming_both_rows)
{
	static const struct hcall_entry rows[] = {
		ROW(H_CEDE, "h_cede", "hv/hcall.c"),
		ROW(H_EOI, "h_eoi", "intc/intc.c"),
		ROW(H_PROD, "h_prod", "hv/hcall.c"),
		ROW(H_EOI, "h_eoi_again", "vio/new.c"),
	};
	struct hcall_entry out[8];
	const struct hcall_entry *a = NULL, *b = NULL;
	uint32_t n = 99;

	CHECK_EQ(hcall_table_build(rows, ARRAY_SIZE(rows), out, 8, &n, &a, &b),
		 HCALL_BUILD_DUPLICATE);
	CHECK(a == &rows[1]);
	CHECK(b == &rows[3]);
	CHECK_EQ(n, 0);
}

TEST(hcall_table_build, refuses_a_duplicate_wherever_it_sorts)
{
	/* The repeat sorts first, last, and between others. */
	static const struct hcall_entry first[] = {
		ROW(H_PROD, "a", "x.c"), ROW(H_CEDE, "b", "y.c"),
		ROW(H_SET_SPRG0, "c", "z.c"), ROW(H_SET_SPRG0, "d", "w.c"),
	};
	static const struct hcall_entry last[] = {
		ROW(KVMPPC_H_RTAS, "a", "x.c"), ROW(H_CEDE, "b", "y.c"),
		ROW(KVMPPC_H_RTAS, "c", "z.c"),
	};
	struct hcall_entry out[8];
	const struct hcall_entry *a = NULL, *b = NULL;
	uint32_t n;

	CHECK_EQ(hcall_table_build(first, 4, out, 8, &n, &a, &b),
		 HCALL_BUILD_DUPLICATE);
	CHECK(a == &first[2] && b == &first[3]);
	CHECK_EQ(hcall_table_build(last, 3, out, 8, &n, &a, &b),
		 HCALL_BUILD_DUPLICATE);
	CHECK(a == &last[0] && b == &last[2]);
}

TEST(hcall_table_build, refuses_too_many_rows_and_rows_without_a_handler)
{
	static const struct hcall_entry rows[] = {
		ROW(H_CEDE, "a", "x.c"), ROW(H_PROD, "b", "y.c"),
		ROW(H_CONFER, "c", "z.c"),
	};
	struct hcall_entry bad = ROW(H_EOI, "d", "w.c");
	struct hcall_entry out[8];
	const struct hcall_entry *a = NULL, *b = NULL;
	uint32_t n;

	CHECK_EQ(hcall_table_build(rows, 3, out, 2, &n, &a, &b),
		 HCALL_BUILD_TOO_MANY);
	bad.fn = NULL;
	CHECK_EQ(hcall_table_build(&bad, 1, out, 8, &n, &a, &b),
		 HCALL_BUILD_BAD_ROW);
	CHECK(a == &bad);
}

TEST(hcall_table_build, sorts_rows_by_number)
{
	static const struct hcall_entry rows[] = {
		ROW(KVMPPC_H_RTAS, "a", "x.c"), ROW(H_PROD, "b", "y.c"),
		ROW(H_SET_SPRG0, "c", "z.c"), ROW(H_WATCHDOG, "d", "w.c"),
		ROW(H_CEDE, "e", "v.c"),
	};
	static const uint64_t want[] = { H_SET_SPRG0, H_CEDE, H_PROD,
					 H_WATCHDOG, KVMPPC_H_RTAS };
	struct hcall_entry out[8];
	const struct hcall_entry *a = NULL, *b = NULL;
	uint32_t n = 0;

	CHECK_EQ(hcall_table_build(rows, 5, out, 8, &n, &a, &b),
		 HCALL_BUILD_OK);
	REQUIRE_EQ(n, 5);
	for (uint32_t i = 0; i < n; i++) {
		CHECK_EQ(out[i].nr, want[i]);
	}
}

TEST(hcall_rows, every_file_registered_its_calls)
{
	/* One row from each file that registers hcalls. */
	static const struct {
		uint64_t nr;
		const char *file;
	} where[] = {
		{ H_CEDE, "hv/hcall.c" },      { H_WATCHDOG, "hv/watchdog.c" },
		{ H_EOI, "intc/intc.c" },      { H_INT_ESB, "intc/xive.c" },
		{ KVMPPC_H_RTAS, "rtas/rtas.c" },
		{ H_PUT_TERM_CHAR, "vio/vty.c" }, { H_RANDOM, "vio/rng.c" },
		{ H_VIO_SIGNAL, "vio/bus.c" },   { H_PUT_TCE, "vio/bus.c" },
		{ H_REG_CRQ, "vio/bus.c" },
		{ H_SEND_LOGICAL_LAN, "vio/vlan.c" },
		{ KVMPPC_H_VOF_CLIENT, "vio/vof.c" },
		{ KVMPPC_H_CAS, "vio/slof.c" },
		{ KVMPPC_H_UPDATE_DT, "vio/slof.c" },
		{ KVMPPC_H_LOGICAL_MEMOP, "vio/slof.c" },
		{ H_COPY_RDMA, "vio/vios.c" }, { H_VIOCTL, "vio/vios.c" },
	};

	CHECK_EQ(hcall_table_len, 58);
	for (size_t i = 0; i < ARRAY_SIZE(where); i++) {
		const struct hcall_entry *e = hcall_lookup(where[i].nr);

		REQUIRE(e != NULL);
		CHECK_STR_EQ(e->file, where[i].file);
	}
	CHECK_STR_EQ(hcall_lookup(H_CEDE)->name, "H_CEDE");
	CHECK_STR_EQ(hcall_lookup(H_CEDE)->fn_name, "h_cede");
}

TEST(hcall_lookup, finds_exactly_the_rows_for_every_number)
{
	/* Every number up to past KVMPPC_H_RTAS, and the top bits. */
	for (uint64_t nr = 0; nr < 0x10010; nr++) {
		const struct hcall_entry *want = NULL;

		for (uint32_t i = 0; i < hcall_table_len; i++) {
			if (hcall_table[i].nr == nr) {
				want = &hcall_table[i];
			}
		}
		CHECK(hcall_lookup(nr) == want);
		CHECK(hcall_lookup(nr | 1ull << 32) == NULL);
		CHECK(hcall_lookup(nr | 1ull << 63) == NULL);
	}
	CHECK(hcall_lookup(~0ull) == NULL);
}

TEST(hcall_rows, hypertas_is_the_list_guests_always_saw)
{
	/*
	 * hv/lpar.c's hand-typed value before the rows named the sets, with
	 * the VIO sets QEMU 7.2 gives, in its order, since a device has a
	 * DMA window (issue 13).
	 */
	static const char before[] = "hcall-term\0hcall-dabr\0hcall-xdabr\0"
				     "hcall-interrupt\0hcall-tce\0hcall-vio\0"
				     "hcall-splpar\0"
				     "hcall-set-mode\0hcall-copy\0"
				     "hcall-debug\0hcall-multi-tce\0"
				     "hcall-watchdog";
	char buf[256];

	REQUIRE_EQ(hcall_hypertas(buf, sizeof(buf)), sizeof(before));
	CHECK(memcmp(buf, before, sizeof(before)) == 0);
	CHECK_EQ(hcall_hypertas(buf, sizeof(before) - 1), 0);
}

TEST(hcall_dispatch, returns_no_more_registers_than_the_table_declares)
{
	REQUIRE(setup());
	fake_darn_push(5);
	CHECK_EQ(HCALL(vc, &a, H_RANDOM, 0), H_SUCCESS);
	CHECK_EQ(a.ret_count, hcall_lookup(H_RANDOM)->rets);
	CHECK_EQ(HCALL(vc, &a, H_GET_CPU_CHARACTERISTICS, 0), H_SUCCESS);
	CHECK_EQ(a.ret_count, hcall_lookup(H_GET_CPU_CHARACTERISTICS)->rets);
	CHECK_EQ(HCALL(vc, &a, H_LOGICAL_CI_LOAD, 8, 0), H_SUCCESS);
	CHECK_EQ(a.ret_count, hcall_lookup(H_LOGICAL_CI_LOAD)->rets);
	CHECK_EQ(HCALL(vc, &a, H_GET_TERM_CHAR, 0), H_SUCCESS);
	CHECK_EQ(a.ret_count, hcall_lookup(H_GET_TERM_CHAR)->rets);
}

/* One argument from a set that favours the edges of memory and of 2^64. */
static uint64_t edgy(struct test_rng *r)
{
	uint64_t k = test_rng_below(r, 4096);

	switch (test_rng_below(r, 13)) {
	case 0:
		return k;
	case 1:
		return MEM_SIZE - k;
	case 2:
		return MEM_SIZE + k;
	case 3:
		return 0ull - k;
	case 4:
		return (1ull << 63) + k;
	case 5:
		return test_rng_below(r, MEM_SIZE) & ~0x7full;
	case 9:
		return test_rng_below(r, MEM_SIZE) & ~0xfffull;
	case 6:
		return test_rng_below(r, 24);
	case 7:
		return (uint64_t)(int64_t)-(int64_t)test_rng_below(r, 4);
	case 8:
		return 1ull << test_rng_below(r, 64);
	default:
		return test_rng_next(r);
	}
}

TEST(hcall_dispatch, survives_random_arguments_without_touching_outside)
{
	struct test_rng r;
	uint8_t *mem;

	REQUIRE(setup());
	mem = fake_gmem(l);
	test_rng_seed(&r, 0x1badb002);
	for (uint64_t i = 0; i < MEM_SIZE; i += 8) {
		uint64_t v = test_rng_next(&r);

		memcpy(mem + i, &v, 8);
	}
	/* A few valid-looking RTAS buffers among the noise. */
	for (uint64_t at = 0; at < MEM_SIZE; at += 0x1000) {
		gm_put32(l, at, RTAS_TOKEN_BASE + (uint32_t)(at >> 12) % 0x20);
		gm_put32(l, at + 4, (uint32_t)test_rng_below(&r, 8));
		gm_put32(l, at + 8, (uint32_t)test_rng_below(&r, 9));
	}
	for (int i = 0; i < 20000 && !test_failed(); i++) {
		uint32_t pick = (uint32_t)test_rng_below(&r, hcall_table_len);
		uint64_t nr = hcall_table[pick].nr;
		struct vcpu *caller = l->vcpus[test_rng_below(&r, VCPUS)];

		HCALL(caller, &a, nr, edgy(&r), edgy(&r), edgy(&r), edgy(&r),
		      edgy(&r), edgy(&r));
		CHECK_LE(a.ret_count, 9);
		if (fake_console_calls() > 1000) {
			fake_console_clear();
		}
	}
}

/*
 * H_SET_MODE (QEMU h_set_mode_resource_le, _addr_trans_mode)
 */

TEST(h_set_mode, rejects_unknown_resources_with_h_p2)
{
	static const uint64_t resources[] = {
		0, H_SET_MODE_RESOURCE_SET_CIABR, H_SET_MODE_RESOURCE_SET_DAWR0,
		5, 1ull << 32 | H_SET_MODE_RESOURCE_LE, ~0ull,
	};

	REQUIRE(setup());
	l->lpcr = LPCR_ILE;
	for (size_t i = 0; i < ARRAY_SIZE(resources); i++) {
		CHECK_EQ(HCALL(vc, &a, H_SET_MODE, 0, resources[i], 0, 0),
			 H_P2);
	}
	CHECK_EQ(l->lpcr, LPCR_ILE);
}

TEST(h_set_mode, le_rejects_value1_with_h_p3_before_value2)
{
	REQUIRE(setup());
	CHECK_EQ(HCALL(vc, &a, H_SET_MODE, 1, H_SET_MODE_RESOURCE_LE, 1, 0),
		 H_P3);
	CHECK_EQ(HCALL(vc, &a, H_SET_MODE, 1, H_SET_MODE_RESOURCE_LE, 1, 1),
		 H_P3);
	CHECK_EQ(HCALL(vc, &a, H_SET_MODE, 1, H_SET_MODE_RESOURCE_LE, 0,
		       ~0ull),
		 H_P4);
	CHECK_EQ(l->lpcr & LPCR_ILE, 0);
}

TEST(h_set_mode, le_rejects_unknown_modes_with_unsupported_flag)
{
	REQUIRE(setup());
	CHECK_EQ(HCALL(vc, &a, H_SET_MODE, 2, H_SET_MODE_RESOURCE_LE, 0, 0),
		 H_UNSUPPORTED_FLAG_START);
	CHECK_EQ(HCALL(vc, &a, H_SET_MODE, ~0ull, H_SET_MODE_RESOURCE_LE, 0,
		       0),
		 H_UNSUPPORTED_FLAG_START);
	CHECK_EQ(l->lpcr & LPCR_ILE, 0);
}

TEST(h_set_mode, le_sets_and_clears_ile_only)
{
	REQUIRE(setup());
	l->lpcr = LPCR_AIL_3 | LPCR_GTSE;
	CHECK_EQ(HCALL(vc, &a, H_SET_MODE, 1, H_SET_MODE_RESOURCE_LE, 0, 0),
		 H_SUCCESS);
	CHECK_EQ(l->lpcr, LPCR_AIL_3 | LPCR_GTSE | LPCR_ILE);
	CHECK_EQ(HCALL(vc, &a, H_SET_MODE, 0, H_SET_MODE_RESOURCE_LE, 0, 0),
		 H_SUCCESS);
	CHECK_EQ(l->lpcr, LPCR_AIL_3 | LPCR_GTSE);
}

TEST(h_set_mode, ail_rejects_values_with_h_p3_then_h_p4)
{
	REQUIRE(setup());
	CHECK_EQ(HCALL(vc, &a, H_SET_MODE, 3,
		       H_SET_MODE_RESOURCE_ADDR_TRANS_MODE, 1, 1),
		 H_P3);
	CHECK_EQ(HCALL(vc, &a, H_SET_MODE, 3,
		       H_SET_MODE_RESOURCE_ADDR_TRANS_MODE, 0, 1),
		 H_P4);
	CHECK_EQ(l->lpcr & LPCR_AIL_MASK, 0);
}

TEST(h_set_mode, ail_rejects_reserved_modes_with_unsupported_flag)
{
	static const uint64_t modes[] = { 1, 4, 5, 1ull << 32 | 3, ~0ull };

	REQUIRE(setup());
	l->lpcr = LPCR_ILE;
	for (size_t i = 0; i < ARRAY_SIZE(modes); i++) {
		CHECK_EQ(HCALL(vc, &a, H_SET_MODE, modes[i],
			       H_SET_MODE_RESOURCE_ADDR_TRANS_MODE, 0, 0),
			 H_UNSUPPORTED_FLAG_START);
	}
	CHECK_EQ(l->lpcr, LPCR_ILE);
}

/*
 * Issue 20 (security review, high): AIL 2 would relocate hypervisor
 * interrupts taken from a guest with its MMU on to 0x18000 + vector with
 * translation on, where lparvisor has no handler.  Refused on every host.
 */
TEST(h_set_mode, ail_rejects_mode_2_on_every_host)
{
	static const enum cpu_family hosts[] = { CPU_POWER8, CPU_POWER9,
						 CPU_POWER10 };

	for (size_t i = 0; i < ARRAY_SIZE(hosts); i++) {
		REQUIRE(setup());
		hv_machine.family = hosts[i];
		l->lpcr = LPCR_ILE;
		CHECK_EQ(HCALL(vc, &a, H_SET_MODE, 2,
			       H_SET_MODE_RESOURCE_ADDR_TRANS_MODE, 0, 0),
			 H_UNSUPPORTED_FLAG_START);
		CHECK_EQ(l->lpcr, LPCR_ILE);
	}
}

TEST(h_set_mode, ail_sets_mode_3_and_back_to_0_keeping_other_bits)
{
	REQUIRE(setup());
	l->lpcr = LPCR_ILE | LPCR_GTSE;
	CHECK_EQ(HCALL(vc, &a, H_SET_MODE, 3,
		       H_SET_MODE_RESOURCE_ADDR_TRANS_MODE, 0, 0),
		 H_SUCCESS);
	CHECK_EQ(l->lpcr, LPCR_ILE | LPCR_GTSE | LPCR_AIL_3);
	CHECK_EQ(HCALL(vc, &a, H_SET_MODE, 0,
		       H_SET_MODE_RESOURCE_ADDR_TRANS_MODE, 0, 0),
		 H_SUCCESS);
	CHECK_EQ(l->lpcr, LPCR_ILE | LPCR_GTSE);
}

/*
 * H_REGISTER_PROC_TBL (QEMU h_register_process_table)
 */

#define PT_NEW_RADIX (PROC_TABLE_NEW | PROC_TABLE_RADIX)

TEST(h_register_proc_tbl, rejects_reserved_flag_bits_with_h_parameter)
{
	static const uint64_t flags[] = {
		0x20, 0x20 | PT_NEW_RADIX, 1ull << 63 | PT_NEW_RADIX, ~0ull,
	};

	REQUIRE(setup());
	for (size_t i = 0; i < ARRAY_SIZE(flags); i++) {
		CHECK_EQ(HCALL(vc, &a, H_REGISTER_PROC_TBL, flags[i], SZ_4K, 0,
			       0),
			 H_PARAMETER);
	}
	CHECK_EQ(fake_calls.set_pate, 0);
}

TEST(h_register_proc_tbl, rejects_hash_with_segment_tables)
{
	REQUIRE(setup());
	CHECK_EQ(HCALL(vc, &a, H_REGISTER_PROC_TBL,
		       PROC_TABLE_NEW | PROC_TABLE_HPT_PT, SZ_4K, 0, 0),
		 H_PARAMETER);
	CHECK_EQ(fake_calls.set_pate, 0);
}

TEST(h_register_proc_tbl, radix_rejects_unaligned_or_huge_base_with_h_p2)
{
	static const uint64_t bases[] = {
		1, 0x800, SZ_4K + 8, 1ull << 60, 0xfffffffffffff000ull,
	};

	REQUIRE(setup());
	for (size_t i = 0; i < ARRAY_SIZE(bases); i++) {
		CHECK_EQ(HCALL(vc, &a, H_REGISTER_PROC_TBL, PT_NEW_RADIX,
			       bases[i], 0, 0),
			 H_P2);
	}
	CHECK_EQ(fake_calls.set_pate, 0);
}

TEST(h_register_proc_tbl, radix_rejects_page_size_with_h_p3)
{
	REQUIRE(setup());
	CHECK_EQ(HCALL(vc, &a, H_REGISTER_PROC_TBL, PT_NEW_RADIX, SZ_4K, 1,
		       0),
		 H_P3);
	CHECK_EQ(HCALL(vc, &a, H_REGISTER_PROC_TBL, PT_NEW_RADIX, SZ_4K, ~0ull,
		       ~0ull),
		 H_P3);
	CHECK_EQ(fake_calls.set_pate, 0);
}

TEST(h_register_proc_tbl, radix_rejects_table_size_over_24_with_h_p4)
{
	REQUIRE(setup());
	CHECK_EQ(HCALL(vc, &a, H_REGISTER_PROC_TBL, PT_NEW_RADIX, SZ_4K, 0,
		       25),
		 H_P4);
	CHECK_EQ(HCALL(vc, &a, H_REGISTER_PROC_TBL, PT_NEW_RADIX, SZ_4K, 0,
		       64),
		 H_P4);
	CHECK_EQ(HCALL(vc, &a, H_REGISTER_PROC_TBL, PT_NEW_RADIX, SZ_4K, 0,
		       ~0ull),
		 H_P4);
	CHECK_EQ(fake_calls.set_pate, 0);
}

TEST(h_register_proc_tbl, radix_rejects_table_outside_memory_with_h_p2)
{
	REQUIRE(setup());
	/* 8 KiB from the last page: one page past the end. */
	CHECK_EQ(HCALL(vc, &a, H_REGISTER_PROC_TBL, PT_NEW_RADIX, LAST_PAGE, 0,
		       1),
		 H_P2);
	CHECK_EQ(HCALL(vc, &a, H_REGISTER_PROC_TBL, PT_NEW_RADIX, MEM_SIZE, 0,
		       0),
		 H_P2);
	/* 64 GiB from 0: far larger than the partition. */
	CHECK_EQ(HCALL(vc, &a, H_REGISTER_PROC_TBL, PT_NEW_RADIX, 0, 0, 24),
		 H_P2);
	/* Just under 2^60: passes QEMU's checks, not ours. */
	CHECK_EQ(HCALL(vc, &a, H_REGISTER_PROC_TBL, PT_NEW_RADIX,
		       (1ull << 60) - SZ_4K, 0, 0),
		 H_P2);
	CHECK_EQ(fake_calls.set_pate, 0);
	CHECK_EQ(l->pate1, 0);
}

TEST(h_register_proc_tbl, hash_reports_bad_arguments_as_qemu_then_refuses)
{
	REQUIRE(setup());
	CHECK_EQ(HCALL(vc, &a, H_REGISTER_PROC_TBL, PROC_TABLE_NEW, 1ull << 38,
		       0, 0),
		 H_P2);
	CHECK_EQ(HCALL(vc, &a, H_REGISTER_PROC_TBL, PROC_TABLE_NEW, 0, 8, 0),
		 H_P3);
	CHECK_EQ(HCALL(vc, &a, H_REGISTER_PROC_TBL, PROC_TABLE_NEW, 0, 0, 25),
		 H_P4);
	/* Valid for QEMU, but this partition is radix: not built. */
	CHECK_EQ(HCALL(vc, &a, H_REGISTER_PROC_TBL, PROC_TABLE_NEW, 0, 0, 0),
		 H_PARAMETER);
	CHECK_EQ(fake_calls.set_pate, 0);
}

TEST(h_register_proc_tbl, keep_current_needs_the_radix_flag)
{
	REQUIRE(setup());
	CHECK_EQ(HCALL(vc, &a, H_REGISTER_PROC_TBL, 0, 0, 0, 0), H_PARAMETER);
	CHECK_EQ(HCALL(vc, &a, H_REGISTER_PROC_TBL, PROC_TABLE_GTSE, 0, 0, 0),
		 H_PARAMETER);
	CHECK_EQ(HCALL(vc, &a, H_REGISTER_PROC_TBL, PROC_TABLE_RADIX, 0, 0, 0),
		 H_SUCCESS);
	CHECK_EQ(fake_calls.set_pate, 0);
}

/*
 * LoPAR: flag bit 0x10 chooses "modify"; 0x08 (register, else deregister)
 * only counts when modifying.  QEMU keeps the current table for 0x08
 * without 0x10.
 */
TEST(h_register_proc_tbl, keep_current_ignores_the_register_bit_as_qemu)
{
	REQUIRE(setup());
	CHECK_EQ(HCALL(vc, &a, H_REGISTER_PROC_TBL, 0x08 | PROC_TABLE_RADIX,
		       SZ_4K, 0, 0),
		 H_SUCCESS);
	CHECK_EQ(HCALL(vc, &a, H_REGISTER_PROC_TBL, 0x08, SZ_4K, 0, 0),
		 H_PARAMETER);
	CHECK_EQ(fake_calls.set_pate, 0);
}

TEST(h_register_proc_tbl, registers_a_radix_table_and_gtse)
{
	REQUIRE(setup());
	CHECK_EQ(HCALL(vc, &a, H_REGISTER_PROC_TBL,
		       PT_NEW_RADIX | PROC_TABLE_GTSE, 2 * SZ_4K, 0, 1),
		 H_SUCCESS);
	CHECK_EQ(l->pate1, 2 * SZ_4K | 1);
	CHECK(l->lpcr & LPCR_GTSE);
	CHECK_EQ(fake_calls.set_pate, 1);
	CHECK(fake_calls.set_pate_lpar == l);
	CHECK_EQ(fake_calls.set_pate_pate1, 2 * SZ_4K | 1);

	CHECK_EQ(HCALL(vc, &a, H_REGISTER_PROC_TBL, PT_NEW_RADIX, SZ_4K, 0, 0),
		 H_SUCCESS);
	CHECK_EQ(l->pate1, SZ_4K);
	CHECK_EQ(l->lpcr & LPCR_GTSE, 0);
	CHECK_EQ(fake_calls.set_pate, 2);
}

/*
 * A hash partition keeps its MMU type (QEMU would switch a hash guest to
 * radix here): a radix table is refused after QEMU's argument checks,
 * and nothing is recorded (issue 15: the hcall payload in a hash
 * partition of a POWER8 had success, then an MMU that stayed hash).
 */
TEST(h_register_proc_tbl, hash_partition_refuses_a_radix_table)
{
	static uint64_t table_stand_in;

	REQUIRE(setup());
	l->hpt = (struct hpt *)(void *)&table_stand_in;
	CHECK_EQ(HCALL(vc, &a, H_REGISTER_PROC_TBL,
		       PT_NEW_RADIX | PROC_TABLE_GTSE, 2 * SZ_4K, 0, 1),
		 H_PARAMETER);
	CHECK_EQ(HCALL(vc, &a, H_REGISTER_PROC_TBL, PT_NEW_RADIX, SZ_4K, 1, 0),
		 H_P3);
	CHECK_EQ(l->pate1, 0);
	CHECK_EQ(l->lpcr & LPCR_GTSE, 0);
	CHECK_EQ(fake_calls.set_pate, 0);
	/* Its own type, kept: fine. */
	CHECK_EQ(HCALL(vc, &a, H_REGISTER_PROC_TBL, PROC_TABLE_NEW, 0, 0, 0),
		 H_SUCCESS);
	l->hpt = NULL;
}

TEST(h_register_proc_tbl, accepts_a_table_ending_at_the_end_of_memory)
{
	REQUIRE(setup());
	CHECK_EQ(HCALL(vc, &a, H_REGISTER_PROC_TBL, PT_NEW_RADIX,
		       MEM_SIZE - 2 * SZ_4K, 0, 1),
		 H_SUCCESS);
	CHECK_EQ(l->pate1, (MEM_SIZE - 2 * SZ_4K) | 1);
}

TEST(h_register_proc_tbl, deregisters)
{
	REQUIRE(setup());
	l->pate1 = SZ_4K;
	CHECK_EQ(HCALL(vc, &a, H_REGISTER_PROC_TBL, PROC_TABLE_DEREG, 0, 0, 0),
		 H_SUCCESS);
	CHECK_EQ(l->pate1, 0);
	CHECK_EQ(fake_calls.set_pate, 1);
}

/*
 * H_CEDE, H_PROD, H_CONFER, H_SIGNAL_SYS_RESET
 */

TEST(h_cede, hands_the_exit_frame_to_guest_cede)
{
	REQUIRE(setup());
	CHECK_EQ(HCALL(l->vcpus[2], &a, H_CEDE, 0), H_SUCCESS);
	CHECK_EQ(fake_calls.cede, 1);
	CHECK(fake_calls.cede_vcpu == l->vcpus[2]);
	CHECK(fake_calls.cede_frame == l->vcpus[2]->frame);
}

/* Whatever guest_cede() answers is the guest's r3, not a fixed H_SUCCESS. */
TEST(h_cede, returns_what_guest_cede_returns)
{
	REQUIRE(setup());
	fake_calls.cede_rc = H_HARDWARE;
	CHECK_EQ(HCALL(l->vcpus[2], &a, H_CEDE, 0), (uint64_t)H_HARDWARE);
	fake_calls.cede_rc = H_PARAMETER;
	CHECK_EQ(HCALL(l->vcpus[0], &a, H_CEDE, 0), (uint64_t)H_PARAMETER);
	CHECK_EQ(fake_calls.cede, 2);
}

static const uint64_t bad_vcpu_ids[] = {
	VCPUS, VCPUS + 1, CONFIG_MAX_CORES, 1ull << 32, 1ull << 32 | 1,
	1ull << 63, ~0ull,
};

TEST(h_prod, rejects_unknown_vcpus_with_h_parameter)
{
	REQUIRE(setup());
	for (size_t i = 0; i < ARRAY_SIZE(bad_vcpu_ids); i++) {
		CHECK_EQ(HCALL(vc, &a, H_PROD, bad_vcpu_ids[i]), H_PARAMETER);
	}
	for (uint32_t i = 0; i < VCPUS; i++) {
		CHECK_EQ(l->vcpus[i]->prod, 0);
	}
}

TEST(h_prod, marks_only_the_target)
{
	REQUIRE(setup());
	CHECK_EQ(HCALL(vc, &a, H_PROD, VCPUS - 1), H_SUCCESS);
	CHECK_EQ(l->vcpus[VCPUS - 1]->prod, 1);
	CHECK_EQ(l->vcpus[1]->prod, 0);
	CHECK_EQ(vc->prod, 0);
}

TEST(h_prod, kicks_the_target_and_nobody_on_errors)
{
	REQUIRE(setup());
	CHECK_EQ(HCALL(vc, &a, H_PROD, VCPUS), H_PARAMETER);
	CHECK_EQ(fake_calls.kicks, 0);
	CHECK_EQ(HCALL(vc, &a, H_PROD, 2), H_SUCCESS);
	CHECK_EQ(fake_calls.kicks, 1);
	CHECK(fake_calls.kick_vcpu == l->vcpus[2]);
}

TEST(h_signal_sys_reset, kicks_every_vcpu_it_marks)
{
	REQUIRE(setup());
	CHECK_EQ(HCALL(vc, &a, H_SIGNAL_SYS_RESET, 1), H_SUCCESS);
	CHECK_EQ(fake_calls.kicks, 1);
	CHECK(fake_calls.kick_vcpu == l->vcpus[1]);
	CHECK_EQ(HCALL(vc, &a, H_SIGNAL_SYS_RESET, (uint64_t)-2), H_SUCCESS);
	CHECK_EQ(fake_calls.kicks, 1 + VCPUS - 1);
	CHECK_EQ(HCALL(vc, &a, H_SIGNAL_SYS_RESET, (uint64_t)-1), H_SUCCESS);
	CHECK_EQ(fake_calls.kicks, 1 + VCPUS - 1 + VCPUS);
}

TEST(h_confer, rejects_unknown_targets_with_h_parameter)
{
	REQUIRE(setup());
	for (size_t i = 0; i + 1 < ARRAY_SIZE(bad_vcpu_ids); i++) {
		CHECK_EQ(HCALL(vc, &a, H_CONFER, bad_vcpu_ids[i], 0),
			 H_PARAMETER);
	}
	CHECK_EQ(HCALL(vc, &a, H_CONFER, (uint64_t)-2, 0), H_PARAMETER);
}

TEST(h_confer, returns_at_once_for_all_or_an_existing_vcpu)
{
	REQUIRE(setup());
	CHECK_EQ(HCALL(vc, &a, H_CONFER, ~0ull, 0), H_SUCCESS);
	CHECK_EQ(HCALL(vc, &a, H_CONFER, 0, 1), H_SUCCESS);
	CHECK_EQ(HCALL(vc, &a, H_CONFER, VCPUS - 1, 3), H_SUCCESS);
	CHECK_EQ(fake_calls.cede, 0);
}

TEST(h_signal_sys_reset, rejects_unknown_targets_with_h_parameter)
{
	static const uint64_t targets[] = {
		VCPUS, 1ull << 32, (uint64_t)-3, (uint64_t)-4,
		1ull << 63, /* INT64_MIN */
		0x7fffffffffffffffull,
	};

	REQUIRE(setup());
	for (size_t i = 0; i < ARRAY_SIZE(targets); i++) {
		CHECK_EQ(HCALL(vc, &a, H_SIGNAL_SYS_RESET, targets[i]),
			 H_PARAMETER);
	}
	for (uint32_t i = 0; i < VCPUS; i++) {
		CHECK_EQ(l->vcpus[i]->sreset, 0);
	}
}

TEST(h_signal_sys_reset, resets_one_all_or_all_but_the_caller)
{
	REQUIRE(setup());
	CHECK_EQ(HCALL(vc, &a, H_SIGNAL_SYS_RESET, 2), H_SUCCESS);
	CHECK_EQ(l->vcpus[2]->sreset, 1);
	CHECK_EQ(l->vcpus[1]->sreset + l->vcpus[3]->sreset + vc->sreset, 0);

	l->vcpus[2]->sreset = 0;
	CHECK_EQ(HCALL(l->vcpus[1], &a, H_SIGNAL_SYS_RESET, (uint64_t)-2),
		 H_SUCCESS);
	CHECK_EQ(l->vcpus[1]->sreset, 0);
	CHECK_EQ(vc->sreset + l->vcpus[2]->sreset + l->vcpus[3]->sreset, 3);

	for (uint32_t i = 0; i < VCPUS; i++) {
		l->vcpus[i]->sreset = 0;
	}
	CHECK_EQ(HCALL(l->vcpus[1], &a, H_SIGNAL_SYS_RESET, ~0ull), H_SUCCESS);
	for (uint32_t i = 0; i < VCPUS; i++) {
		CHECK_EQ(l->vcpus[i]->sreset, 1);
	}
}

/*
 * H_SET_SPRG0, H_SET_DABR, H_SET_XDABR, H_GET_CPU_CHARACTERISTICS, H_RANDOM
 */

TEST(h_set_sprg0, writes_the_live_sprg0)
{
	REQUIRE(setup());
	CHECK_EQ(HCALL(vc, &a, H_SET_SPRG0, 0xfedcba9876543210ull), H_SUCCESS);
	CHECK_EQ(fake_spr[SPRN_SPRG0], 0xfedcba9876543210ull);
}

TEST(h_set_dabr, answers_h_hardware_as_qemu_on_power8_and_later)
{
	REQUIRE(setup());
	CHECK_EQ(HCALL(vc, &a, H_SET_DABR, 0x1234 | 7), H_HARDWARE);
	CHECK_EQ(HCALL(vc, &a, H_SET_XDABR, 0x1234 | 7, 3), H_HARDWARE);
	for (size_t i = 0; i < FAKE_SPR_COUNT; i++) {
		CHECK_EQ(fake_spr[i], 0);
	}
}

TEST(h_get_cpu_characteristics, returns_two_registers_favouring_security)
{
	REQUIRE(setup());
	CHECK_EQ(HCALL(vc, &a, H_GET_CPU_CHARACTERISTICS, 0), H_SUCCESS);
	CHECK_EQ(a.ret_count, 2);
	CHECK(a.ret[1] & H_CPU_BEHAV_FAVOUR_SECURITY);
}

/*
 * Linux (pseries init_cpu_char_feature_flags) turns off its L1D flush on
 * return to user and its bounds-check barrier when these behaviour bits
 * are clear.  QEMU 7.2 sets both for every cap-cfpc/cap-sbbc value but
 * "fixed", and lparvisor runs guests on real, affected POWER9 cores.
 */
TEST(h_get_cpu_characteristics, keeps_the_guest_mitigations_on_as_qemu)
{
	REQUIRE(setup());
	CHECK_EQ(HCALL(vc, &a, H_GET_CPU_CHARACTERISTICS, 0), H_SUCCESS);
	CHECK(a.ret[1] & H_CPU_BEHAV_L1D_FLUSH_PR);
	CHECK(a.ret[1] & H_CPU_BEHAV_BNDS_CHK_SPEC_BAR);
}

TEST(h_random, answers_h_hardware_after_16_empty_darns)
{
	REQUIRE(setup());
	CHECK_EQ(HCALL(vc, &a, H_RANDOM, 0), H_HARDWARE);
	CHECK_EQ(fake_darn_calls, 16);
	CHECK_EQ(a.ret_count, 0);
}

TEST(h_random, retries_an_empty_darn)
{
	REQUIRE(setup());
	for (int i = 0; i < 15; i++) {
		fake_darn_push(~0ull);
	}
	fake_darn_push(0x0123456789abcdefull);
	CHECK_EQ(HCALL(vc, &a, H_RANDOM, 0), H_SUCCESS);
	CHECK_EQ(a.ret[0], 0x0123456789abcdefull);
	CHECK_EQ(a.ret_count, 1);
	CHECK_EQ(fake_darn_calls, 16);
}

/* Issue 15: POWER8 has no darn (it would be an illegal instruction). */
TEST(h_random, answers_h_function_on_power8_without_darn)
{
	REQUIRE(setup());
	hv_machine.family = CPU_POWER8;
	fake_darn_push(0x0123456789abcdefull);
	CHECK_EQ(HCALL(vc, &a, H_RANDOM, 0), H_FUNCTION);
	CHECK_EQ(fake_darn_calls, 0);
	CHECK_EQ(a.ret_count, 0);
	hv_machine.family = CPU_POWER9;
}

/*
 * H_PAGE_INIT (QEMU h_page_init)
 */

static const uint64_t page_flags_ok =
	H_ICACHE_INVALIDATE | H_ICACHE_SYNCHRONIZE | H_ZERO_PAGE | H_COPY_PAGE;

TEST(h_page_init, rejects_unknown_flags_with_h_parameter)
{
	static const uint64_t flags[] = {
		1, 1ull << 63, H_COPY_PAGE | 1, H_ZERO_PAGE << 2,
		~page_flags_ok, ~0ull,
	};
	uint8_t *snap;

	REQUIRE(setup());
	snap = gm_snapshot(l);
	for (size_t i = 0; i < ARRAY_SIZE(flags); i++) {
		CHECK_EQ(HCALL(vc, &a, H_PAGE_INIT, flags[i], SZ_4K, 0),
			 H_PARAMETER);
	}
	CHECK(gm_unchanged(l, snap));
}

TEST(h_page_init, rejects_unaligned_destination)
{
	static const uint64_t dsts[] = { 1, 0x800, SZ_4K + 8, LAST_PAGE + 1 };
	uint8_t *snap;

	REQUIRE(setup());
	snap = gm_snapshot(l);
	for (size_t i = 0; i < ARRAY_SIZE(dsts); i++) {
		CHECK_EQ(HCALL(vc, &a, H_PAGE_INIT, H_ZERO_PAGE, dsts[i], 0),
			 H_PARAMETER);
	}
	CHECK(gm_unchanged(l, snap));
}

TEST(h_page_init, rejects_destination_past_memory)
{
	uint8_t *snap;

	REQUIRE(setup());
	snap = gm_snapshot(l);
	for (size_t i = 0; i < ARRAY_SIZE(far_addrs); i++) {
		CHECK_EQ(HCALL(vc, &a, H_PAGE_INIT, H_ZERO_PAGE, far_addrs[i],
			       0),
			 H_PARAMETER);
		CHECK_EQ(HCALL(vc, &a, H_PAGE_INIT, H_COPY_PAGE, far_addrs[i],
			       0),
			 H_PARAMETER);
	}
	CHECK(gm_unchanged(l, snap));
}

TEST(h_page_init, rejects_a_page_that_runs_past_a_ragged_end)
{
	uint8_t *snap;

	/* Memory that is not a whole number of pages. */
	REQUIRE(setup_mem(MEM_SIZE + 0x800));
	snap = gm_snapshot(l);
	CHECK_EQ(HCALL(vc, &a, H_PAGE_INIT, H_ZERO_PAGE, MEM_SIZE, 0),
		 H_PARAMETER);
	CHECK_EQ(HCALL(vc, &a, H_PAGE_INIT, H_COPY_PAGE, 0, MEM_SIZE),
		 H_PARAMETER);
	CHECK(gm_unchanged(l, snap));
}

TEST(h_page_init, copy_rejects_bad_source_and_leaves_destination)
{
	static const uint64_t srcs[] = { 1, 0x800, LAST_PAGE + 0x10 };
	uint8_t *snap;

	REQUIRE(setup());
	snap = gm_snapshot(l);
	for (size_t i = 0; i < ARRAY_SIZE(srcs); i++) {
		CHECK_EQ(HCALL(vc, &a, H_PAGE_INIT, H_COPY_PAGE, SZ_4K,
			       srcs[i]),
			 H_PARAMETER);
	}
	for (size_t i = 0; i < ARRAY_SIZE(far_addrs); i++) {
		CHECK_EQ(HCALL(vc, &a, H_PAGE_INIT, H_COPY_PAGE | H_ZERO_PAGE,
			       SZ_4K, far_addrs[i]),
			 H_PARAMETER);
	}
	CHECK(gm_unchanged(l, snap));
}

TEST(h_page_init, zeroing_does_not_look_at_the_source)
{
	REQUIRE(setup());
	CHECK_EQ(HCALL(vc, &a, H_PAGE_INIT, H_ZERO_PAGE, LAST_PAGE, ~0ull),
		 H_SUCCESS);
	for (uint64_t i = 0; i < SZ_4K; i += 8) {
		CHECK_EQ(gm_get64(l, LAST_PAGE + i), 0);
	}
	CHECK_EQ(gm_get8(l, LAST_PAGE - 1), FAKE_MEM_FILL);
}

TEST(h_page_init, copies_the_page_and_copy_wins_over_zero)
{
	REQUIRE(setup());
	for (uint64_t i = 0; i < SZ_4K; i++) {
		gm_put8(l, i, (uint8_t)(i * 7 + 1));
	}
	CHECK_EQ(HCALL(vc, &a, H_PAGE_INIT, H_COPY_PAGE | H_ZERO_PAGE,
		       LAST_PAGE, 0),
		 H_SUCCESS);
	CHECK(memcmp(fake_gmem(l) + LAST_PAGE, fake_gmem(l), SZ_4K) == 0);
	CHECK_EQ(gm_get8(l, SZ_4K), FAKE_MEM_FILL);
}

TEST(h_page_init, copy_onto_itself_keeps_the_page)
{
	REQUIRE(setup());
	gm_put64(l, SZ_4K, 0x1122334455667788ull);
	CHECK_EQ(HCALL(vc, &a, H_PAGE_INIT, H_COPY_PAGE, SZ_4K, SZ_4K),
		 H_SUCCESS);
	CHECK_EQ(gm_get64(l, SZ_4K), 0x1122334455667788ull);
}

TEST(h_page_init, cache_flags_alone_change_nothing)
{
	uint8_t *snap;

	REQUIRE(setup());
	snap = gm_snapshot(l);
	CHECK_EQ(HCALL(vc, &a, H_PAGE_INIT,
		       H_ICACHE_INVALIDATE | H_ICACHE_SYNCHRONIZE, 0, ~0ull),
		 H_SUCCESS);
	CHECK(gm_unchanged(l, snap));
}

/*
 * H_REGISTER_VPA (QEMU h_register_vpa, register_vpa, register_dtl,
 * register_slb_shadow, deregister_*)
 */

#define VPA_AT (2 * SZ_4K)
#define DTL_AT (3 * SZ_4K)
#define SLB_AT (4 * SZ_4K)

static void put_vpa(uint64_t at, uint16_t size)
{
	gm_put16(l, at + 4, size);
	gm_put8(l, at + 9, 0);
}

static void put_area(uint64_t at, uint32_t size)
{
	gm_put32(l, at + 4, size);
}

static int64_t vpa_call(uint64_t func, uint64_t cpu, uint64_t addr)
{
	return HCALL(vc, &a, H_REGISTER_VPA, VPA_FLAGS(func), cpu, addr);
}

TEST(h_register_vpa, rejects_unknown_flags_and_sub_functions)
{
	static const uint64_t flags[] = {
		0, VPA_FLAGS(0), VPA_FLAGS(4), VPA_FLAGS(H_VPA_REG_VPA) | 1,
		VPA_FLAGS(H_VPA_REG_VPA) | 1ull << 63, 1ull << 44, ~0ull,
	};

	REQUIRE(setup());
	put_vpa(VPA_AT, 640);
	for (size_t i = 0; i < ARRAY_SIZE(flags); i++) {
		CHECK_EQ(HCALL(vc, &a, H_REGISTER_VPA, flags[i], 0, VPA_AT),
			 H_PARAMETER);
	}
	CHECK_EQ(vc->vpa, 0);
}

TEST(h_register_vpa, rejects_unknown_vcpus)
{
	REQUIRE(setup());
	put_vpa(VPA_AT, 640);
	for (size_t i = 0; i < ARRAY_SIZE(bad_vcpu_ids); i++) {
		CHECK_EQ(vpa_call(H_VPA_REG_VPA, bad_vcpu_ids[i], VPA_AT),
			 H_PARAMETER);
	}
}

TEST(h_register_vpa, vpa_at_zero_is_h_hardware_as_qemu)
{
	REQUIRE(setup());
	put_vpa(0, 640);
	CHECK_EQ(vpa_call(H_VPA_REG_VPA, 0, 0), H_HARDWARE);
	CHECK_EQ(vc->vpa, 0);
}

TEST(h_register_vpa, rejects_vpa_not_on_a_cache_line)
{
	REQUIRE(setup());
	put_vpa(VPA_AT + 0x40, 640);
	CHECK_EQ(vpa_call(H_VPA_REG_VPA, 0, VPA_AT + 0x40), H_PARAMETER);
	CHECK_EQ(vpa_call(H_VPA_REG_VPA, 0, VPA_AT + 1), H_PARAMETER);
	CHECK_EQ(vc->vpa, 0);
}

TEST(h_register_vpa, rejects_vpa_smaller_than_640_bytes)
{
	REQUIRE(setup());
	put_vpa(VPA_AT, 639);
	CHECK_EQ(vpa_call(H_VPA_REG_VPA, 0, VPA_AT), H_PARAMETER);
	put_vpa(VPA_AT, 0);
	CHECK_EQ(vpa_call(H_VPA_REG_VPA, 0, VPA_AT), H_PARAMETER);
	CHECK_EQ(vc->vpa, 0);
}

TEST(h_register_vpa, rejects_vpa_crossing_a_page)
{
	REQUIRE(setup());
	put_vpa(VPA_AT + SZ_4K - 0x200, 640);
	CHECK_EQ(vpa_call(H_VPA_REG_VPA, 0, VPA_AT + SZ_4K - 0x200),
		 H_PARAMETER);
	put_vpa(VPA_AT, 0xffff);
	CHECK_EQ(vpa_call(H_VPA_REG_VPA, 0, VPA_AT), H_PARAMETER);
	CHECK_EQ(vc->vpa, 0);
}

TEST(h_register_vpa, rejects_vpa_past_memory)
{
	uint8_t *snap;

	REQUIRE(setup());
	snap = gm_snapshot(l);
	for (size_t i = 0; i < ARRAY_SIZE(far_addrs); i++) {
		CHECK_EQ(vpa_call(H_VPA_REG_VPA, 0, far_addrs[i]),
			 H_PARAMETER);
	}
	/* The size field is the last thing in memory: the area is not. */
	CHECK_EQ(vpa_call(H_VPA_REG_VPA, 0, MEM_SIZE - 0x80), H_PARAMETER);
	CHECK_EQ(vpa_call(H_VPA_REG_VPA, 0, 0ull - 0x80), H_PARAMETER);
	CHECK(gm_unchanged(l, snap));
	CHECK_EQ(vc->vpa, 0);
}

TEST(h_register_vpa, registers_and_marks_a_shared_processor)
{
	REQUIRE(setup());
	put_vpa(VPA_AT, 640);
	gm_put8(l, VPA_AT + 9, 0x81);
	CHECK_EQ(vpa_call(H_VPA_REG_VPA, 2, VPA_AT), H_SUCCESS);
	CHECK_EQ(l->vcpus[2]->vpa, VPA_AT);
	CHECK_EQ(vc->vpa, 0);
	CHECK_EQ(gm_get8(l, VPA_AT + 9), 0x83);
	CHECK_EQ(gm_get8(l, VPA_AT + 8), FAKE_MEM_FILL);
	CHECK_EQ(gm_get8(l, VPA_AT + 10), FAKE_MEM_FILL);
}

TEST(h_register_vpa, accepts_a_vpa_ending_at_the_end_of_memory)
{
	REQUIRE(setup());
	put_vpa(MEM_SIZE - 0x280, 640);
	CHECK_EQ(vpa_call(H_VPA_REG_VPA, 0, MEM_SIZE - 0x280), H_SUCCESS);
}

TEST(h_register_vpa, dtl_and_slb_shadow_need_a_vpa)
{
	REQUIRE(setup());
	put_area(DTL_AT, 4096);
	put_area(SLB_AT, 4096);
	CHECK_EQ(vpa_call(H_VPA_REG_DTL, 0, DTL_AT), H_RESOURCE);
	CHECK_EQ(vpa_call(H_VPA_REG_SLB, 0, SLB_AT), H_RESOURCE);
	CHECK_EQ(vc->dtl + vc->slb_shadow, 0);
}

TEST(h_register_vpa, dtl_rejects_small_huge_or_outside_areas)
{
	REQUIRE(setup());
	put_vpa(VPA_AT, 640);
	REQUIRE_EQ(vpa_call(H_VPA_REG_VPA, 0, VPA_AT), H_SUCCESS);
	put_area(DTL_AT, 47);
	CHECK_EQ(vpa_call(H_VPA_REG_DTL, 0, DTL_AT), H_PARAMETER);
	put_area(DTL_AT, 0xffffffff);
	CHECK_EQ(vpa_call(H_VPA_REG_DTL, 0, DTL_AT), H_PARAMETER);
	put_area(DTL_AT, MEM_SIZE - DTL_AT + 1);
	CHECK_EQ(vpa_call(H_VPA_REG_DTL, 0, DTL_AT), H_PARAMETER);
	for (size_t i = 0; i < ARRAY_SIZE(far_addrs); i++) {
		CHECK_EQ(vpa_call(H_VPA_REG_DTL, 0, far_addrs[i]),
			 H_PARAMETER);
	}
	CHECK_EQ(vc->dtl, 0);
}

TEST(h_register_vpa, slb_shadow_rejects_small_or_outside_areas)
{
	REQUIRE(setup());
	put_vpa(VPA_AT, 640);
	REQUIRE_EQ(vpa_call(H_VPA_REG_VPA, 0, VPA_AT), H_SUCCESS);
	put_area(SLB_AT, 7);
	CHECK_EQ(vpa_call(H_VPA_REG_SLB, 0, SLB_AT), H_PARAMETER);
	for (size_t i = 0; i < ARRAY_SIZE(far_addrs); i++) {
		CHECK_EQ(vpa_call(H_VPA_REG_SLB, 0, far_addrs[i]),
			 H_PARAMETER);
	}
	CHECK_EQ(vc->slb_shadow, 0);
}

/* QEMU register_dtl/register_slb_shadow: logical 0 is H_HARDWARE. */
TEST(h_register_vpa, dtl_or_slb_shadow_at_zero_is_h_hardware_as_qemu)
{
	REQUIRE(setup());
	put_vpa(VPA_AT, 640);
	REQUIRE_EQ(vpa_call(H_VPA_REG_VPA, 0, VPA_AT), H_SUCCESS);
	put_area(0, 4096);
	CHECK_EQ(vpa_call(H_VPA_REG_DTL, 0, 0), H_HARDWARE);
	CHECK_EQ(vpa_call(H_VPA_REG_SLB, 0, 0), H_HARDWARE);
	CHECK_EQ(vc->dtl + vc->slb_shadow, 0);
}

/* QEMU checks the area before it looks for the VPA. */
TEST(h_register_vpa, bad_dtl_is_h_parameter_even_without_vpa_as_qemu)
{
	REQUIRE(setup());
	put_area(DTL_AT, 47);
	CHECK_EQ(vpa_call(H_VPA_REG_DTL, 0, DTL_AT), H_PARAMETER);
	put_area(SLB_AT, 7);
	CHECK_EQ(vpa_call(H_VPA_REG_SLB, 0, SLB_AT), H_PARAMETER);
}

/* QEMU register_slb_shadow: the buffer may not cross a 4 KiB page. */
TEST(h_register_vpa, slb_shadow_crossing_a_page_is_refused_as_qemu)
{
	REQUIRE(setup());
	put_vpa(VPA_AT, 640);
	REQUIRE_EQ(vpa_call(H_VPA_REG_VPA, 0, VPA_AT), H_SUCCESS);
	put_area(SLB_AT + SZ_4K - 0x80, 0x100);
	CHECK_EQ(vpa_call(H_VPA_REG_SLB, 0, SLB_AT + SZ_4K - 0x80),
		 H_PARAMETER);
	CHECK_EQ(vc->slb_shadow, 0);
}

TEST(h_register_vpa, registers_dtl_and_slb_shadow_then_deregisters)
{
	REQUIRE(setup());
	put_vpa(VPA_AT, 640);
	put_area(DTL_AT, 48);
	put_area(SLB_AT, 8);
	CHECK_EQ(vpa_call(H_VPA_REG_VPA, 1, VPA_AT), H_SUCCESS);
	CHECK_EQ(vpa_call(H_VPA_REG_DTL, 1, DTL_AT), H_SUCCESS);
	CHECK_EQ(vpa_call(H_VPA_REG_SLB, 1, SLB_AT), H_SUCCESS);
	CHECK_EQ(l->vcpus[1]->dtl, DTL_AT);
	CHECK_EQ(l->vcpus[1]->slb_shadow, SLB_AT);

	/* The VPA stays while a DTL or SLB shadow depends on it. */
	CHECK_EQ(vpa_call(H_VPA_DEREG_VPA, 1, 0), H_RESOURCE);
	CHECK_EQ(vpa_call(H_VPA_DEREG_DTL, 1, 0), H_SUCCESS);
	CHECK_EQ(vpa_call(H_VPA_DEREG_VPA, 1, 0), H_RESOURCE);
	CHECK_EQ(vpa_call(H_VPA_DEREG_SLB, 1, 0), H_SUCCESS);
	CHECK_EQ(vpa_call(H_VPA_DEREG_VPA, 1, 0), H_SUCCESS);
	CHECK_EQ(l->vcpus[1]->vpa + l->vcpus[1]->dtl +
			 l->vcpus[1]->slb_shadow,
		 0);
	/* Deregistering what is not there is fine, as on QEMU. */
	CHECK_EQ(vpa_call(H_VPA_DEREG_DTL, 1, 0), H_SUCCESS);
	CHECK_EQ(vpa_call(H_VPA_DEREG_VPA, 1, 0), H_SUCCESS);
}

/*
 * H_LOGICAL_CI_LOAD / H_LOGICAL_CI_STORE
 */

TEST(h_logical_ci, rejects_sizes_other_than_1_2_4_8)
{
	static const uint64_t sizes[] = {
		0, 3, 5, 16, 64, 1ull << 32 | 1, 1ull << 63 | 8, ~0ull,
	};
	uint8_t *snap;

	REQUIRE(setup());
	snap = gm_snapshot(l);
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		CHECK_EQ(HCALL(vc, &a, H_LOGICAL_CI_LOAD, sizes[i], 0),
			 H_PARAMETER);
		CHECK_EQ(a.ret_count, 0);
		CHECK_EQ(HCALL(vc, &a, H_LOGICAL_CI_STORE, sizes[i], 0, 0),
			 H_PARAMETER);
	}
	CHECK(gm_unchanged(l, snap));
}

TEST(h_logical_ci, rejects_unaligned_addresses)
{
	uint8_t *snap;

	REQUIRE(setup());
	snap = gm_snapshot(l);
	for (uint64_t size = 2; size <= 8; size *= 2) {
		for (uint64_t off = 1; off < size; off++) {
			CHECK_EQ(HCALL(vc, &a, H_LOGICAL_CI_LOAD, size,
				       SZ_4K + off),
				 H_PARAMETER);
			CHECK_EQ(HCALL(vc, &a, H_LOGICAL_CI_STORE, size,
				       SZ_4K + off, 0),
				 H_PARAMETER);
		}
	}
	CHECK(gm_unchanged(l, snap));
}

TEST(h_logical_ci, rejects_addresses_past_memory)
{
	static const uint64_t addrs[] = {
		MEM_SIZE, MEM_SIZE + 8, 1ull << 32, 1ull << 63,
		0ull - 8, 0ull - 16, 0xfffffffffffffff8ull,
	};
	uint8_t *snap;

	REQUIRE(setup());
	snap = gm_snapshot(l);
	for (uint64_t size = 1; size <= 8; size *= 2) {
		for (size_t i = 0; i < ARRAY_SIZE(addrs); i++) {
			CHECK_EQ(HCALL(vc, &a, H_LOGICAL_CI_LOAD, size,
				       addrs[i]),
				 H_PARAMETER);
			CHECK_EQ(HCALL(vc, &a, H_LOGICAL_CI_STORE, size,
				       addrs[i], ~0ull),
				 H_PARAMETER);
		}
	}
	CHECK(gm_unchanged(l, snap));
}

TEST(h_logical_ci, rejects_a_word_that_runs_past_a_ragged_end)
{
	uint8_t *snap;

	REQUIRE(setup_mem(MEM_SIZE + 4));
	snap = gm_snapshot(l);
	CHECK_EQ(HCALL(vc, &a, H_LOGICAL_CI_LOAD, 8, MEM_SIZE), H_PARAMETER);
	CHECK_EQ(HCALL(vc, &a, H_LOGICAL_CI_STORE, 8, MEM_SIZE, ~0ull),
		 H_PARAMETER);
	CHECK(gm_unchanged(l, snap));
	CHECK_EQ(HCALL(vc, &a, H_LOGICAL_CI_LOAD, 4, MEM_SIZE), H_SUCCESS);
}

TEST(h_logical_ci, loads_big_endian_up_to_the_last_byte)
{
	REQUIRE(setup());
	gm_put64(l, MEM_SIZE - 8, 0x0102030405060708ull);
	CHECK_EQ(HCALL(vc, &a, H_LOGICAL_CI_LOAD, 8, MEM_SIZE - 8), H_SUCCESS);
	CHECK_EQ(a.ret[0], 0x0102030405060708ull);
	CHECK_EQ(a.ret_count, 1);
	CHECK_EQ(HCALL(vc, &a, H_LOGICAL_CI_LOAD, 4, MEM_SIZE - 4), H_SUCCESS);
	CHECK_EQ(a.ret[0], 0x05060708);
	CHECK_EQ(HCALL(vc, &a, H_LOGICAL_CI_LOAD, 2, MEM_SIZE - 6), H_SUCCESS);
	CHECK_EQ(a.ret[0], 0x0304);
	CHECK_EQ(HCALL(vc, &a, H_LOGICAL_CI_LOAD, 1, MEM_SIZE - 1), H_SUCCESS);
	CHECK_EQ(a.ret[0], 0x08);
}

static void *io_table_alloc(void *ctx, uint64_t size)
{
	void *p = aligned_alloc(size, size);

	(void)ctx;
	if (p) {
		memset(p, 0, size);
	}
	return p;
}

static void io_table_free(void *ctx, void *p, uint64_t size)
{
	(void)ctx;
	(void)size;
	free(p);
}

/* A 2 MiB partition whose tree maps its memory and one 64 KiB device
 * window (a passed-through BAR) far above it. */
#define CI_DEV_GPA 0x200000000000ull
#define CI_DEV_HPA 0x6030000010000ull

static bool setup_ci_device(void)
{
	if (!setup_mem(SZ_2M) ||
	    radix_build(&l->radix, SZ_2M, 0x40000000ull, 0, io_table_alloc,
			io_table_free, NULL) != RADIX_OK) {
		return false;
	}
	return radix_map_io(&l->radix, CI_DEV_GPA, CI_DEV_HPA, SZ_64K,
			    RPTE_ATT_IO, io_table_alloc, NULL) == RADIX_OK;
}

TEST(h_logical_ci, reaches_a_mapped_device_page_cache_inhibited)
{
	REQUIRE(setup_ci_device());
	fake_io_value = 0x1122334455667788ull;
	CHECK_EQ(HCALL(vc, &a, H_LOGICAL_CI_LOAD, 8, CI_DEV_GPA + 0x10),
		 H_SUCCESS);
	CHECK_EQ(a.ret[0], 0x1122334455667788ull);
	CHECK_EQ(HCALL(vc, &a, H_LOGICAL_CI_LOAD, 2, CI_DEV_GPA + 0xfffe),
		 H_SUCCESS);
	CHECK_EQ(a.ret[0], 0x7788);
	CHECK_EQ(HCALL(vc, &a, H_LOGICAL_CI_STORE, 4, CI_DEV_GPA + 0x14,
		       0xcafef00dull), H_SUCCESS);
	CHECK_EQ(HCALL(vc, &a, H_LOGICAL_CI_STORE, 1, CI_DEV_GPA + 3, 0x5a),
		 H_SUCCESS);
	REQUIRE(fake_io_count == 4);
	CHECK_EQ(fake_io_log[0].addr, CI_DEV_HPA + 0x10);
	CHECK_EQ(fake_io_log[0].size, 8);
	CHECK(!fake_io_log[0].store);
	CHECK_EQ(fake_io_log[1].addr, CI_DEV_HPA + 0xfffe);
	CHECK_EQ(fake_io_log[1].size, 2);
	CHECK_EQ(fake_io_log[2].addr, CI_DEV_HPA + 0x14);
	CHECK_EQ(fake_io_log[2].value, 0xcafef00dull);
	CHECK(fake_io_log[2].store);
	CHECK_EQ(fake_io_log[3].addr, CI_DEV_HPA + 3);
	CHECK_EQ(fake_io_log[3].value, 0x5a);
	radix_destroy(&l->radix, io_table_free, NULL);
}

TEST(h_logical_ci, refuses_unmapped_and_unaligned_device_addresses)
{
	static const uint64_t addrs[] = {
		CI_DEV_GPA - 8, CI_DEV_GPA + SZ_64K, CI_DEV_GPA + SZ_64K - 4 + 8,
		SZ_2M, 1ull << 63, 0ull - 8,
	};

	REQUIRE(setup_ci_device());
	for (size_t i = 0; i < ARRAY_SIZE(addrs); i++) {
		CHECK_EQ(HCALL(vc, &a, H_LOGICAL_CI_LOAD, 4, addrs[i]),
			 H_PARAMETER);
		CHECK_EQ(HCALL(vc, &a, H_LOGICAL_CI_STORE, 4, addrs[i], 1),
			 H_PARAMETER);
	}
	/* The last word of the window is fine; one past it is not. */
	CHECK_EQ(HCALL(vc, &a, H_LOGICAL_CI_LOAD, 8, CI_DEV_GPA + SZ_64K - 8),
		 H_SUCCESS);
	CHECK_EQ(HCALL(vc, &a, H_LOGICAL_CI_LOAD, 8, CI_DEV_GPA + 4),
		 H_PARAMETER);
	CHECK_EQ(fake_io_count, 1);
	/* Memory stays memory: no device access for an address below. */
	CHECK_EQ(HCALL(vc, &a, H_LOGICAL_CI_LOAD, 8, SZ_2M - 8), H_SUCCESS);
	CHECK_EQ(fake_io_count, 1);
	radix_destroy(&l->radix, io_table_free, NULL);
}

TEST(h_logical_ci, stores_big_endian_and_only_size_bytes)
{
	REQUIRE(setup());
	CHECK_EQ(HCALL(vc, &a, H_LOGICAL_CI_STORE, 2, SZ_4K,
		       0xaaaabbbbccccddeeull),
		 H_SUCCESS);
	CHECK_EQ(gm_get16(l, SZ_4K), 0xddee);
	CHECK_EQ(gm_get8(l, SZ_4K + 2), FAKE_MEM_FILL);
	CHECK_EQ(gm_get8(l, SZ_4K - 1), FAKE_MEM_FILL);
	CHECK_EQ(HCALL(vc, &a, H_LOGICAL_CI_STORE, 8, MEM_SIZE - 8,
		       0x1122334455667788ull),
		 H_SUCCESS);
	CHECK_EQ(gm_get64(l, MEM_SIZE - 8), 0x1122334455667788ull);
	CHECK_EQ(HCALL(vc, &a, H_LOGICAL_CI_STORE, 1, 0, 0x1ff), H_SUCCESS);
	CHECK_EQ(gm_get8(l, 0), 0xff);
	CHECK_EQ(gm_get8(l, 1), FAKE_MEM_FILL);
}

/*
 * H_WATCHDOG (hv/watchdog.c)
 */

#define WDT_FLAGS(op, action) (((uint64_t)(op) << 8) | (action))

TEST(h_watchdog, rejects_bad_numbers_timeouts_actions_and_flags)
{
	REQUIRE(setup());
	l->state = LPAR_RUNNING;
	CHECK_EQ(HCALL(vc, &a, H_WATCHDOG, WDT_FLAGS(1, 2), 0, 1000), H_P2);
	CHECK_EQ(HCALL(vc, &a, H_WATCHDOG, WDT_FLAGS(1, 2), 5, 1000), H_P2);
	CHECK_EQ(HCALL(vc, &a, H_WATCHDOG, WDT_FLAGS(1, 2), ~0ull, 1000),
		 H_P2);
	CHECK_EQ(HCALL(vc, &a, H_WATCHDOG, WDT_FLAGS(1, 2), 1, 1), H_P3);
	CHECK_EQ(HCALL(vc, &a, H_WATCHDOG, WDT_FLAGS(1, 0), 1, 1000),
		 H_PARAMETER);
	CHECK_EQ(HCALL(vc, &a, H_WATCHDOG, WDT_FLAGS(1, 4), 1, 1000),
		 H_PARAMETER);
	CHECK_EQ(HCALL(vc, &a, H_WATCHDOG, WDT_FLAGS(9, 2), 1, 1000),
		 H_PARAMETER);
	CHECK_EQ(HCALL(vc, &a, H_WATCHDOG, (1ull << 20) | WDT_FLAGS(1, 2), 1,
		       1000), H_PARAMETER);
	CHECK_EQ(HCALL(vc, &a, H_WATCHDOG, WDT_FLAGS(2, 0), 0, 0), H_P2);
	CHECK_EQ(HCALL(vc, &a, H_WATCHDOG, WDT_FLAGS(4, 0), 7, 0), H_P2);
	for (int i = 0; i < LPAR_WATCHDOGS; i++) {
		CHECK(!watchdog_of(l)->wdt[i].armed);
	}
	CHECK(fake_guards_intact(l));
}

TEST(h_watchdog, query_start_and_stop)
{
	REQUIRE(setup());
	l->state = LPAR_RUNNING;
	CHECK_EQ(HCALL(vc, &a, H_WATCHDOG, WDT_FLAGS(3, 0), 0, 0), H_SUCCESS);
	CHECK_EQ(a.ret[0], (1ull << 48) | ((uint64_t)LPAR_WATCHDOGS << 32));
	CHECK_EQ(HCALL(vc, &a, H_WATCHDOG, WDT_FLAGS(2, 0), 1, 0), H_NOOP);
	CHECK_EQ(HCALL(vc, &a, H_WATCHDOG, WDT_FLAGS(1, 2), 1, 1000),
		 H_SUCCESS);
	CHECK(watchdog_of(l)->wdt[0].armed);
	CHECK_EQ(HCALL(vc, &a, H_WATCHDOG, WDT_FLAGS(2, 0), 1, 0), H_SUCCESS);
	CHECK(!watchdog_of(l)->wdt[0].armed);
	CHECK_EQ(HCALL(vc, &a, H_WATCHDOG, WDT_FLAGS(1, 1), 3, 1000),
		 H_SUCCESS);
	CHECK_EQ(HCALL(vc, &a, H_WATCHDOG, WDT_FLAGS(2, 0), ~0ull, 0),
		 H_SUCCESS);
	CHECK_EQ(HCALL(vc, &a, H_WATCHDOG, WDT_FLAGS(2, 0), ~0ull, 0), H_NOOP);
}

TEST(h_watchdog, expiry_applies_the_action_once)
{
	REQUIRE(setup());
	l->state = LPAR_RUNNING;
	fake_tb = 1000;
	CHECK_EQ(HCALL(vc, &a, H_WATCHDOG, WDT_FLAGS(1, 2), 2, 100), H_SUCCESS);
	CHECK_EQ(HCALL(vc, &a, H_WATCHDOG, WDT_FLAGS(1, 1), 4, 100000),
		 H_SUCCESS);
	watchdog_poll(l);
	CHECK_EQ(fake_calls.request_stop, 0);
	fake_tb += ms_to_tb(100);
	watchdog_poll(l);
	CHECK_EQ(fake_calls.request_stop, 1);
	CHECK_EQ(fake_calls.stop_reason, STOP_WATCHDOG);
	CHECK(!watchdog_of(l)->wdt[1].armed);
	CHECK(!watchdog_of(l)->wdt[3].armed); /* the others stop too (bit 47 clear) */
	CHECK_STR_CONTAINS(fake_console(), "watchdog 2 expired: hard restart");
	watchdog_poll(l);
	CHECK_EQ(fake_calls.request_stop, 1);
}

/*
 * The stop an expiry asks for names the life that armed the watchdog:
 * the decision is made under the watchdog's lock and carried out after
 * it, and a p9-restart-100 run under a host stall saw a crashing life's
 * watchdog restart the next life (lpar_request_stop_life() then does
 * nothing).
 */
TEST(h_watchdog, expiry_stops_only_the_life_that_armed_it)
{
	REQUIRE(setup());
	l->state = LPAR_RUNNING;
	l->life = 7;
	fake_tb = 1000;
	CHECK_EQ(HCALL(vc, &a, H_WATCHDOG, WDT_FLAGS(1, 2), 1, 10), H_SUCCESS);
	fake_tb += ms_to_tb(10);
	watchdog_poll(l);
	CHECK_EQ(fake_calls.request_stop, 1);
	CHECK_EQ(fake_calls.stop_life, 7);
	CHECK_EQ(fake_calls.stop_reason, STOP_WATCHDOG);
}

TEST(h_watchdog, dump_restart_resets_every_vcpu)
{
	REQUIRE(setup());
	l->state = LPAR_RUNNING;
	fake_tb = 0;
	CHECK_EQ(HCALL(vc, &a, H_WATCHDOG, WDT_FLAGS(1, 3), 1, 10), H_SUCCESS);
	fake_tb += ms_to_tb(20);
	watchdog_poll(l);
	for (uint32_t i = 0; i < l->vcpu_count; i++) {
		CHECK_EQ(l->vcpus[i]->sreset, 1);
	}
	CHECK_EQ(fake_calls.request_stop, 0);
}
