/*
 * Hashed page tables (mm/hpt.c): sizing, hashing, the page-frame-table
 * hcalls with QEMU 7.2 spapr_softmmu.c's codes (KVM's for H_CLEAR_REF and
 * H_CLEAR_MOD), the ISA 3.0 table format, the VRMA, and the check that
 * every page an entry maps is the partition's own.
 */
#include <stdlib.h>

#include "hv/abi/hcall.h"
#include "mm/hpt.h"
#include "tests/unit/test.h"

#define SHIFT 18                    /* 256 KiB: 16384 HPTEs, 2048 PTEGs */
#define MEM_HPA 0x40000000ull       /* where the partition's memory is */
#define MEM_SIZE 0x10000000ull      /* 256 MiB */
#define SZ_64K 0x10000ull
#define SZ_16M 0x1000000ull

struct fix {
	struct hpt h;
	uint32_t flushes, syncs;
};

static void count_flush(void *ctx)
{
	((struct fix *)ctx)->flushes++;
}

static void count_sync(void *ctx)
{
	((struct fix *)ctx)->syncs++;
}

static void fix_init_v(struct fix *f, bool v3)
{
	memset(f, 0, sizeof(*f));
	f->h.table = aligned_alloc(1ul << SHIFT, 1ul << SHIFT);
	memset(f->h.table, 0, 1ul << SHIFT);
	f->h.shift = SHIFT;
	f->h.v3 = v3;
	f->h.mem.hpa = MEM_HPA;
	f->h.mem.size = MEM_SIZE;
	f->h.ops.flush = count_flush;
	f->h.ops.sync = count_sync;
	f->h.ops.ctx = f;
}

static void fix_init(struct fix *f)
{
	fix_init_v(f, true);
}

static void fix_fini(struct fix *f)
{
	free(f->h.table);
}

/* A guest's 4 KiB entry for page `gra` of a 256 MiB segment `vsid`. */
static uint64_t pteh_4k(uint64_t vsid, uint64_t ea)
{
	return (vsid << 12) | ((ea >> 16) & HPTE_V_AVPN) | HPTE_V_VALID;
}

static uint64_t ptel_rw(uint64_t gra)
{
	return gra | HPTE_R_M | 0x2;
}

static uint64_t raw0(struct fix *f, uint64_t ptex)
{
	return be64_to_cpu(f->h.table[2 * ptex]);
}

static uint64_t raw1(struct fix *f, uint64_t ptex)
{
	return be64_to_cpu(f->h.table[2 * ptex + 1]);
}

TEST(hpt, shift_is_mem_over_128_power_of_two_at_least_256k)
{
	CHECK_EQ(hpt_shift_for_mem(16ull << 20), 18);   /* minimum */
	CHECK_EQ(hpt_shift_for_mem(256ull << 20), 21);  /* 2 MiB */
	CHECK_EQ(hpt_shift_for_mem(1ull << 30), 23);    /* QEMU's 1 GiB: 23 */
	CHECK_EQ(hpt_shift_for_mem(768ull << 20), 23);  /* rounded up */
	CHECK_EQ(hpt_shift_for_mem(1ull << 62), 46);    /* maximum */
}

TEST(hpt, hash_primary_secondary_256m_and_1t)
{
	struct fix f;
	uint64_t hash;

	fix_init(&f);
	CHECK_EQ(hpt_hash(0x123, 0x5000, 12, false), 0x123 ^ 5);
	CHECK_EQ(hpt_hash(0x123, 0x50000, 16, false), 0x123 ^ 5);
	CHECK_EQ(hpt_hash(0x123, 0x5000000, 24, false), 0x123 ^ 5);
	CHECK_EQ(hpt_hash(0x7, 0x3000, 12, true), 0x7 ^ (0x7ull << 25) ^ 3);
	hash = hpt_hash(0x1abc, 0x42000, 12, false);
	CHECK_EQ(hpt_pteg_index(&f.h, hash), (hash & 2047) * 8);
	CHECK_EQ(hpt_pteg_index(&f.h, ~hash), (~hash & 2047) * 8);
	fix_fini(&f);
}

TEST(hpt, page_size_encodings)
{
	CHECK_EQ(hpt_page_shift(0, 0x1234000), 12);
	CHECK_EQ(hpt_page_shift(HPTE_V_LARGE, 0x1230000 | 0x1000), 16);
	CHECK_EQ(hpt_page_shift(HPTE_V_LARGE, 0x3000000), 24);
	/* MPSS encodings and 16G are not offered: refused. */
	CHECK_EQ(hpt_page_shift(HPTE_V_LARGE, 0x7000), 0);
	CHECK_EQ(hpt_page_shift(HPTE_V_LARGE, 0x38000), 0);
	CHECK_EQ(hpt_page_shift(HPTE_V_LARGE, 0x3000), 0);
}

TEST(hpt, enter_any_slot_fills_the_pteg_then_pteg_full)
{
	struct fix f;
	uint64_t hash = hpt_hash(0x55, 0x1000, 12, false);
	uint64_t pteg, slot = 99;

	fix_init(&f);
	pteg = hpt_pteg_index(&f.h, hash);
	for (uint64_t i = 0; i < 8; i++) {
		CHECK_EQ(hpt_enter(&f.h, 0, pteg + 3, pteh_4k(0x55, 0x1000),
				   ptel_rw(0x1000 * (i + 1)), &slot), H_SUCCESS);
		CHECK_EQ(slot, pteg + i);
	}
	slot = 99;
	CHECK_EQ(hpt_enter(&f.h, 0, pteg, pteh_4k(0x55, 0x1000),
			   ptel_rw(0x9000), &slot), H_PTEG_FULL);
	CHECK_EQ(slot, 99);
	CHECK_EQ(f.flushes, 0); /* nothing was valid before */
	fix_fini(&f);
}

TEST(hpt, enter_exact_slot)
{
	struct fix f;
	uint64_t slot;

	fix_init(&f);
	CHECK_EQ(hpt_enter(&f.h, H_EXACT, 13, pteh_4k(1, 0), ptel_rw(0),
			   &slot), H_SUCCESS);
	CHECK_EQ(slot, 13);
	CHECK_EQ(hpt_enter(&f.h, H_EXACT, 13, pteh_4k(1, 0), ptel_rw(0),
			   &slot), H_PTEG_FULL);
	/* Without H_EXACT the PTEG's first free slot: 8. */
	CHECK_EQ(hpt_enter(&f.h, 0, 13, pteh_4k(1, 0), ptel_rw(0), &slot),
		 H_SUCCESS);
	CHECK_EQ(slot, 8);
	fix_fini(&f);
}

TEST(hpt, enter_stores_translated_isa3_entry_and_read_gives_guest_view)
{
	struct fix f;
	uint64_t slot, out[8];
	uint32_t n = 0;
	uint64_t pteh = HPTE_V_1TB_SEG | (0x3ull << 24) | HPTE_V_BOLTED |
			HPTE_V_HV_BITS | HPTE_V_VALID;
	uint64_t ptel = 0x2345000 | HPTE_R_M | HPTE_R_N | 0x3;

	fix_init(&f);
	CHECK_EQ(hpt_enter(&f.h, H_EXACT, 100, pteh, ptel, &slot), H_SUCCESS);
	/* ISA 3.0: B in dw1 bits 58-59, the RPN the host's. */
	CHECK_EQ(raw0(&f, 100), (0x3ull << 24) | HPTE_V_BOLTED | HPTE_V_VALID);
	CHECK_EQ(raw1(&f, 100), (1ull << 58) | (MEM_HPA + 0x2345000) |
				HPTE_R_M | HPTE_R_N | 0x3);
	CHECK_EQ(hpt_read(&f.h, 0, 100, out, &n), H_SUCCESS);
	CHECK_EQ(n, 1);
	CHECK_EQ(out[0], pteh & ~HPTE_V_HV_BITS);
	CHECK_EQ(out[1], ptel);
	fix_fini(&f);
}

TEST(hpt, enter_pre_isa3_format_keeps_b_in_dw0)
{
	struct fix f;
	uint64_t slot;

	fix_init_v(&f, false);
	CHECK_EQ(hpt_enter(&f.h, H_EXACT, 5, HPTE_V_1TB_SEG | HPTE_V_VALID,
			   ptel_rw(0x1000), &slot), H_SUCCESS);
	CHECK_EQ(raw0(&f, 5), HPTE_V_1TB_SEG | HPTE_V_VALID);
	CHECK_EQ(raw1(&f, 5), MEM_HPA + ptel_rw(0x1000));
	fix_fini(&f);
}

TEST(hpt, enter_makes_valid_and_drops_hv_bits)
{
	struct fix f;
	uint64_t slot, out[8];
	uint32_t n;

	fix_init(&f);
	CHECK_EQ(hpt_enter(&f.h, H_EXACT, 7, 0x1000 | HPTE_V_HVLOCK,
			   ptel_rw(0), &slot), H_SUCCESS);
	CHECK_EQ(raw0(&f, 7), 0x1000 | HPTE_V_VALID); /* unlocked */
	CHECK_EQ(hpt_read(&f.h, 0, 7, out, &n), H_SUCCESS);
	CHECK_EQ(out[0], 0x1000 | HPTE_V_VALID);
	fix_fini(&f);
}

/* The isolation check: every page must lie inside the partition. */
TEST(hpt, enter_refuses_pages_outside_the_partition)
{
	struct fix f;
	uint64_t slot = 77;
	const uint64_t l = HPTE_V_LARGE | HPTE_V_VALID;

	fix_init(&f);
	/* The last page of each size is fine. */
	CHECK_EQ(hpt_enter(&f.h, 0, 0, HPTE_V_VALID,
			   ptel_rw(MEM_SIZE - 0x1000), &slot), H_SUCCESS);
	CHECK_EQ(hpt_enter(&f.h, 0, 0, l,
			   ptel_rw(MEM_SIZE - SZ_64K) | 0x1000, &slot),
		 H_SUCCESS);
	CHECK_EQ(hpt_enter(&f.h, 0, 0, l, ptel_rw(MEM_SIZE - SZ_16M), &slot),
		 H_SUCCESS);
	slot = 77;
	/* The page just past it, of each size. */
	CHECK_EQ(hpt_enter(&f.h, 0, 8, HPTE_V_VALID, ptel_rw(MEM_SIZE),
			   &slot), H_PARAMETER);
	CHECK_EQ(hpt_enter(&f.h, 0, 8, l, ptel_rw(MEM_SIZE) | 0x1000, &slot),
		 H_PARAMETER);
	CHECK_EQ(hpt_enter(&f.h, 0, 8, l, ptel_rw(MEM_SIZE), &slot),
		 H_PARAMETER);
	/* Another partition's memory: its host address as a guest RPN. */
	CHECK_EQ(hpt_enter(&f.h, 0, 8, HPTE_V_VALID,
			   ptel_rw(MEM_HPA + MEM_SIZE), &slot), H_PARAMETER);
	/* lparvisor's own image (0x20000000), the top of the RPN field. */
	CHECK_EQ(hpt_enter(&f.h, 0, 8, HPTE_V_VALID, ptel_rw(0x20000000),
			   &slot), H_PARAMETER);
	CHECK_EQ(hpt_enter(&f.h, 0, 8, HPTE_V_VALID,
			   ptel_rw(HPTE_R_RPN & ~0xfffull), &slot), H_PARAMETER);
	/* RPN bits that ISA 3.0 gives to B. */
	CHECK_EQ(hpt_enter(&f.h, 0, 8, HPTE_V_VALID,
			   ptel_rw(HPTE_R_3_0_SSIZE_MASK), &slot), H_PARAMETER);
	CHECK_EQ(slot, 77);
	for (uint64_t i = 8; i < 16; i++) {
		CHECK_EQ(raw0(&f, i), 0);
	}
	fix_fini(&f);
}

TEST(hpt, enter_refuses_bad_encodings_attributes_and_ptex)
{
	struct fix f;
	uint64_t slot = 77;

	fix_init(&f);
	CHECK_EQ(hpt_enter(&f.h, 0, 0, HPTE_V_LARGE | HPTE_V_VALID,
			   ptel_rw(0) | 0x7000, &slot), H_PARAMETER);
	/* RAM wants WIMG = M: none, I, I|G, W all refused. */
	CHECK_EQ(hpt_enter(&f.h, 0, 0, HPTE_V_VALID, 0x1000 | 0x2, &slot),
		 H_PARAMETER);
	CHECK_EQ(hpt_enter(&f.h, 0, 0, HPTE_V_VALID,
			   0x1000 | HPTE_R_I | HPTE_R_M, &slot), H_PARAMETER);
	CHECK_EQ(hpt_enter(&f.h, 0, 0, HPTE_V_VALID,
			   0x1000 | HPTE_R_I | HPTE_R_G, &slot), H_PARAMETER);
	CHECK_EQ(hpt_enter(&f.h, 0, 0, HPTE_V_VALID,
			   0x1000 | HPTE_R_W | HPTE_R_M, &slot), H_PARAMETER);
	/* ptex beyond the table, exact or not. */
	CHECK_EQ(hpt_enter(&f.h, 0, 16384, HPTE_V_VALID, ptel_rw(0), &slot),
		 H_PARAMETER);
	CHECK_EQ(hpt_enter(&f.h, H_EXACT, ~0ull, HPTE_V_VALID, ptel_rw(0),
			   &slot), H_PARAMETER);
	CHECK_EQ(slot, 77);
	fix_fini(&f);
}

/* Random entries: whatever was accepted maps only the partition. */
TEST(hpt, random_entries_never_map_outside)
{
	struct fix f;
	struct test_rng rng;
	uint64_t slot, accepted = 0;

	fix_init(&f);
	test_rng_seed(&rng, 20261207);
	for (int i = 0; i < 20000; i++) {
		uint64_t v = test_rng_next(&rng), r = test_rng_next(&rng);

		if (i & 1) { /* nearer the edges */
			r = (r & 0xfff) | ((MEM_SIZE - 0x20000 +
					    test_rng_below(&rng, 0x40000)) &
					   ~0xfffull);
			r = (r & ~HPTE_R_WIMG) | HPTE_R_M;
		}
		if (hpt_enter(&f.h, test_rng_below(&rng, 2) ? H_EXACT : 0,
			      test_rng_below(&rng, 20000), v, r, &slot) ==
		    H_SUCCESS) {
			accepted++;
		}
	}
	CHECK_GT(accepted, 100);
	for (uint64_t p = 0; p < hpt_entries(&f.h); p++) {
		uint64_t v = raw0(&f, p), r = raw1(&f, p);
		uint64_t shift, host;

		if (!(v & HPTE_V_VALID)) {
			CHECK_EQ(v, 0);
			continue;
		}
		CHECK_EQ(v & HPTE_V_HV_BITS, 0);
		shift = hpt_page_shift(v, r);
		REQUIRE(shift != 0);
		host = (r & 0x01fffffffffff000ull) & ~((1ull << shift) - 1);
		CHECK_GE(host, MEM_HPA);
		CHECK_LE(host + (1ull << shift), MEM_HPA + MEM_SIZE);
	}
	fix_fini(&f);
}

TEST(hpt, remove_flags_and_codes)
{
	struct fix f;
	uint64_t slot, v = 1, r = 2;
	uint64_t pteh = pteh_4k(0x99, 0x3000) | HPTE_V_BOLTED;

	fix_init(&f);
	CHECK_EQ(hpt_remove(&f.h, 0, 16384, 0, &v, &r), H_PARAMETER);
	CHECK_EQ(hpt_remove(&f.h, 0, 40, 0, &v, &r), H_NOT_FOUND);
	CHECK_EQ(hpt_enter(&f.h, H_EXACT, 40, pteh, ptel_rw(0x5000), &slot),
		 H_SUCCESS);
	/* H_AVPN: dw0 without its low 7 bits must equal avpn. */
	CHECK_EQ(hpt_remove(&f.h, H_AVPN, 40, (pteh & ~0x7full) ^ 0x80, &v,
			    &r), H_NOT_FOUND);
	/* H_ANDCOND: no bit of avpn may be set in dw0. */
	CHECK_EQ(hpt_remove(&f.h, H_ANDCOND, 40, HPTE_V_BOLTED, &v, &r),
		 H_NOT_FOUND);
	CHECK_EQ(v, 1);
	CHECK_EQ(f.flushes, 0);
	CHECK_EQ(hpt_remove(&f.h, H_AVPN, 40, pteh & ~0x7full, &v, &r),
		 H_SUCCESS);
	CHECK_EQ(v, pteh);
	CHECK_EQ(r, ptel_rw(0x5000));
	CHECK_EQ(f.flushes, 1);
	CHECK_EQ(raw0(&f, 40), 0);
	CHECK_EQ(raw1(&f, 40), 0);
	CHECK_EQ(hpt_remove(&f.h, 0, 40, 0, &v, &r), H_NOT_FOUND);
	/* H_ANDCOND passes when the bits are clear. */
	CHECK_EQ(hpt_enter(&f.h, H_EXACT, 40, pteh_4k(1, 0), ptel_rw(0),
			   &slot), H_SUCCESS);
	CHECK_EQ(hpt_remove(&f.h, H_ANDCOND, 40, HPTE_V_BOLTED, &v, &r),
		 H_SUCCESS);
	fix_fini(&f);
}

TEST(hpt, remove_reports_rc_the_hardware_set)
{
	struct fix f;
	uint64_t slot, v, r;

	fix_init(&f);
	CHECK_EQ(hpt_enter(&f.h, H_EXACT, 9, pteh_4k(1, 0), ptel_rw(0x1000),
			   &slot), H_SUCCESS);
	f.h.table[19] |= cpu_to_be64(HPTE_R_R | HPTE_R_C); /* the MMU's */
	CHECK_EQ(hpt_remove(&f.h, 0, 9, 0, &v, &r), H_SUCCESS);
	CHECK_EQ(r, ptel_rw(0x1000) | HPTE_R_R | HPTE_R_C);
	fix_fini(&f);
}

TEST(hpt, read_one_and_four)
{
	struct fix f;
	uint64_t slot, out[8];
	uint32_t n = 0;

	fix_init(&f);
	for (uint64_t i = 0; i < 4; i++) {
		CHECK_EQ(hpt_enter(&f.h, H_EXACT, 20 + i, pteh_4k(i, 0),
				   ptel_rw(i << 12), &slot), H_SUCCESS);
	}
	CHECK_EQ(hpt_read(&f.h, H_READ_4, 22, out, &n), H_SUCCESS);
	CHECK_EQ(n, 4);
	for (uint64_t i = 0; i < 4; i++) {
		CHECK_EQ(out[2 * i], pteh_4k(i, 0));
		CHECK_EQ(out[2 * i + 1], ptel_rw(i << 12));
	}
	CHECK_EQ(hpt_read(&f.h, 0, 24, out, &n), H_SUCCESS);
	CHECK_EQ(out[0], 0);
	CHECK_EQ(out[1], 0);
	CHECK_EQ(hpt_read(&f.h, 0, 16384, out, &n), H_PARAMETER);
	CHECK_EQ(hpt_read(&f.h, H_READ_4, ~0ull, out, &n), H_PARAMETER);
	fix_fini(&f);
}

TEST(hpt, protect_sets_pp_n_key_and_keeps_the_rest)
{
	struct fix f;
	uint64_t slot, out[8];
	uint32_t n;
	uint64_t pteh = pteh_4k(3, 0x7000);
	uint64_t ptel = ptel_rw(0x8000) | HPTE_R_KEY_LO | HPTE_R_PP0;

	fix_init(&f);
	CHECK_EQ(hpt_protect(&f.h, 0, 16384, 0), H_PARAMETER);
	CHECK_EQ(hpt_protect(&f.h, 0, 3, 0), H_NOT_FOUND);
	CHECK_EQ(hpt_enter(&f.h, H_EXACT, 3, pteh, ptel, &slot), H_SUCCESS);
	CHECK_EQ(hpt_protect(&f.h, H_AVPN | 1, 3, 0x80), H_NOT_FOUND);
	CHECK_EQ(f.flushes, 0);
	/* PP 01, N, key 0b10_001: bits 13 and 9. */
	CHECK_EQ(hpt_protect(&f.h, H_AVPN | 0x1 | HPTE_R_N | 0x2000 | 0x200, 3,
			     pteh & ~0x7full), H_SUCCESS);
	CHECK_EQ(f.flushes, 1);
	CHECK_EQ(hpt_read(&f.h, 0, 3, out, &n), H_SUCCESS);
	CHECK_EQ(out[0], pteh);
	/* PP0 and the old key bits cleared, the RPN and WIMG kept. */
	CHECK_EQ(out[1], 0x8000 | HPTE_R_M | 0x1 | HPTE_R_N | 0x200 |
				 (1ull << 61));
	fix_fini(&f);
}

TEST(hpt, bulk_remove_encodings)
{
	struct fix f;
	uint64_t slot, a[8];

	fix_init(&f);
	CHECK_EQ(hpt_enter(&f.h, H_EXACT, 1, pteh_4k(1, 0), ptel_rw(0x1000),
			   &slot), H_SUCCESS);
	CHECK_EQ(hpt_enter(&f.h, H_EXACT, 2, pteh_4k(2, 0), ptel_rw(0x2000),
			   &slot), H_SUCCESS);
	f.h.table[5] |= cpu_to_be64(HPTE_R_C); /* entry 2 changed */
	a[0] = H_BULK_REMOVE_REQUEST | 1;
	a[1] = 0;
	a[2] = H_BULK_REMOVE_REQUEST | H_BULK_REMOVE_AVPN | 2;
	a[3] = pteh_4k(2, 0) & ~0x7full;
	a[4] = H_BULK_REMOVE_REQUEST | 3; /* empty */
	a[5] = 0;
	a[6] = H_BULK_REMOVE_END;
	a[7] = 0x1234;
	CHECK_EQ(hpt_bulk_remove(&f.h, a), H_SUCCESS);
	CHECK_EQ(a[0], H_BULK_REMOVE_RESPONSE | 1);
	CHECK_EQ(a[2], H_BULK_REMOVE_RESPONSE | H_BULK_REMOVE_AVPN | 2 |
			       (HPTE_R_C << 51));
	CHECK_EQ(a[4], H_BULK_REMOVE_RESPONSE | H_BULK_REMOVE_NOT_FOUND | 3);
	CHECK_EQ(a[6], H_BULK_REMOVE_END);
	CHECK_EQ(a[7], 0x1234);
	CHECK_EQ(f.flushes, 1); /* one invalidation for the batch */
	CHECK_EQ(raw0(&f, 1), 0);
	CHECK_EQ(raw0(&f, 2), 0);
	fix_fini(&f);
}

TEST(hpt, bulk_remove_bad_requests_are_h_parameter)
{
	struct fix f;
	uint64_t slot, a[8] = { 0 };

	fix_init(&f);
	CHECK_EQ(hpt_enter(&f.h, H_EXACT, 1, pteh_4k(1, 0), ptel_rw(0x1000),
			   &slot), H_SUCCESS);
	/* Type 0 (not a request). */
	CHECK_EQ(hpt_bulk_remove(&f.h, a), H_PARAMETER);
	/* AVPN and ANDCOND together: the response says PARM. */
	a[0] = H_BULK_REMOVE_REQUEST | H_BULK_REMOVE_AVPN |
	       H_BULK_REMOVE_ANDCOND | 1;
	CHECK_EQ(hpt_bulk_remove(&f.h, a), H_PARAMETER);
	CHECK_EQ(a[0] & H_BULK_REMOVE_CODE, H_BULK_REMOVE_PARM);
	/* A good first pair is done before a bad ptex stops the batch. */
	a[0] = H_BULK_REMOVE_REQUEST | 1;
	a[2] = H_BULK_REMOVE_REQUEST | 16384;
	CHECK_EQ(hpt_bulk_remove(&f.h, a), H_PARAMETER);
	CHECK_EQ(a[0], H_BULK_REMOVE_RESPONSE | 1);
	CHECK_EQ(a[2] & H_BULK_REMOVE_CODE, H_BULK_REMOVE_PARM);
	CHECK_EQ(raw0(&f, 1), 0);
	fix_fini(&f);
}

TEST(hpt, clear_ref_and_mod)
{
	struct fix f;
	uint64_t slot, r = 5;

	fix_init(&f);
	CHECK_EQ(hpt_clear_ref(&f.h, 16384, &r), H_PARAMETER);
	CHECK_EQ(hpt_clear_mod(&f.h, 4, &r), H_NOT_FOUND);
	CHECK_EQ(r, 5);
	CHECK_EQ(hpt_enter(&f.h, H_EXACT, 4, pteh_4k(1, 0),
			   ptel_rw(0x1000) | HPTE_R_R | HPTE_R_C, &slot),
		 H_SUCCESS);
	CHECK_EQ(hpt_clear_ref(&f.h, 4, &r), H_SUCCESS);
	CHECK_EQ(r, ptel_rw(0x1000) | HPTE_R_R | HPTE_R_C);
	CHECK_EQ(raw1(&f, 4) & (HPTE_R_R | HPTE_R_C), HPTE_R_C);
	CHECK_EQ(hpt_clear_mod(&f.h, 4, &r), H_SUCCESS);
	CHECK_EQ(r, ptel_rw(0x1000) | HPTE_R_C);
	CHECK_EQ(raw1(&f, 4) & (HPTE_R_R | HPTE_R_C), 0);
	CHECK_EQ(raw0(&f, 4), pteh_4k(1, 0)); /* valid and unlocked */
	CHECK_EQ(f.flushes, 2);
	fix_fini(&f);
}

/* The MMU's lookup of a real-mode access through the VRMA (QEMU's). */
static bool vrma_translate(struct fix *f, uint64_t gra, uint64_t *hra)
{
	uint64_t off = gra & ~(SZ_16M - 1);
	uint64_t hash = hpt_hash(HPT_VRMA_VSID, off, 24, true);
	uint64_t ptem = HPTE_V_1TB_SEG | (HPT_VRMA_VSID << 24) |
			((off >> 16) & HPTE_V_AVPN) | HPTE_V_VALID;

	for (int sec = 0; sec < 2; sec++) {
		uint64_t p = hpt_pteg_index(&f->h, sec ? ~hash : hash);

		for (uint64_t i = p; i < p + 8; i++) {
			uint64_t v = raw0(f, i), r = raw1(f, i);

			v = (v & HPTE_V_COMMON_BITS) | ((r >> 58) & 3) << 62;
			if (!((v ^ (ptem | (sec ? 2 : 0))) &
			      0xffffffffffffff83ull) &&
			    hpt_page_shift(v, r) == 24) {
				*hra = (r & 0x01fffffffffff000ull &
					~(SZ_16M - 1)) | (gra & (SZ_16M - 1));
				return true;
			}
		}
	}
	return false;
}

TEST(hpt, vrma_maps_real_mode_to_the_partition)
{
	struct fix f;
	uint64_t hra = 0, slot;

	fix_init(&f);
	CHECK_EQ(hpt_map_vrma(&f.h), MEM_SIZE / SZ_16M);
	CHECK(vrma_translate(&f, 0, &hra));
	CHECK_EQ(hra, MEM_HPA);
	CHECK(vrma_translate(&f, 0x1234567, &hra));
	CHECK_EQ(hra, MEM_HPA + 0x1234567);
	CHECK(vrma_translate(&f, MEM_SIZE - 1, &hra));
	CHECK_EQ(hra, MEM_HPA + MEM_SIZE - 1);
	CHECK(!vrma_translate(&f, MEM_SIZE, &hra));
	/* Bolted, in slot 0: the guest's entries go to the other slots. */
	CHECK_EQ(hpt_enter(&f.h, 0, hpt_pteg_index(&f.h, hpt_hash(
					 HPT_VRMA_VSID, 0, 24, true)),
			   pteh_4k(1, 0), ptel_rw(0), &slot), H_SUCCESS);
	CHECK_EQ(slot % 8, 1);
	/* The guest sees them, and can neither remove nor change them. */
	{
		uint64_t ptex = slot & ~7ull, out[8], v, r;
		uint32_t n;
		uint64_t bulk[8] = { H_BULK_REMOVE_REQUEST | ptex, 0,
				     H_BULK_REMOVE_END };

		CHECK_EQ(hpt_read(&f.h, 0, ptex, out, &n), H_SUCCESS);
		CHECK_EQ(out[0], HPTE_V_1TB_SEG | (HPT_VRMA_VSID << 24) |
					 HPTE_V_BOLTED | HPTE_V_LARGE |
					 HPTE_V_VALID);
		CHECK_EQ(out[1], HPTE_R_R | HPTE_R_C | HPTE_R_M | 0x2);
		CHECK_EQ(hpt_remove(&f.h, 0, ptex, 0, &v, &r), H_NOT_FOUND);
		CHECK_EQ(hpt_protect(&f.h, 0x3, ptex, 0), H_NOT_FOUND);
		CHECK_EQ(hpt_clear_ref(&f.h, ptex, &r), H_NOT_FOUND);
		CHECK_EQ(hpt_clear_mod(&f.h, ptex, &r), H_NOT_FOUND);
		CHECK_EQ(hpt_bulk_remove(&f.h, bulk), H_SUCCESS);
		CHECK_EQ(bulk[0] & H_BULK_REMOVE_CODE,
			 H_BULK_REMOVE_NOT_FOUND);
		CHECK(vrma_translate(&f, 0, &hra));
		CHECK_EQ(f.flushes, 0);
	}
	CHECK_EQ(hpt_pate0(&f.h), (uint64_t)(uintptr_t)f.h.table | 0x80 | 0);
	fix_fini(&f);
}

TEST(hpt, clear_empties_and_flushes)
{
	struct fix f;
	uint64_t slot;

	fix_init(&f);
	CHECK_EQ(hpt_enter(&f.h, 0, 0, pteh_4k(1, 0), ptel_rw(0), &slot),
		 H_SUCCESS);
	hpt_clear(&f.h);
	CHECK_EQ(raw0(&f, 0), 0);
	CHECK_EQ(raw1(&f, 0), 0);
	CHECK_EQ(f.flushes, 1);
	fix_fini(&f);
}

/* A bolted entry for (vsid, offset) of a segment, placed where it hashes. */
struct placed {
	uint64_t vsid, off, hash;
	unsigned ps;
	bool seg_1t, secondary, bolted;
	uint64_t v, r, ptex;
};

static void place(struct fix *f, struct placed *e, uint64_t slot,
		  uint64_t gra)
{
	uint64_t seg = e->seg_1t ? (e->vsid << 24) | HPTE_V_1TB_SEG :
				   e->vsid << 12;

	e->hash = hpt_hash(e->vsid, e->off, e->ps, e->seg_1t);
	e->v = seg | ((e->off >> 16) & HPTE_V_AVPN & ~(((1ull << e->ps) - 1)
							 >> 16)) |
	       HPTE_V_VALID | (e->bolted ? HPTE_V_BOLTED : 0) |
	       (e->ps > 12 ? HPTE_V_LARGE : 0) |
	       (e->secondary ? HPTE_V_SECONDARY : 0);
	e->r = ptel_rw(gra) | (e->ps == 16 ? 0x1000 : 0);
	CHECK_EQ(hpt_enter(&f->h, H_EXACT,
			   hpt_pteg_index(&f->h, e->secondary ? ~e->hash :
								e->hash) + slot,
			   e->v, e->r, &e->ptex), H_SUCCESS);
}

static void fix_init_shift(struct fix *f, uint32_t shift)
{
	fix_init(f);
	free(f->h.table);
	f->h.table = aligned_alloc(1ul << shift, 1ul << shift);
	memset(f->h.table, 0, 1ul << shift);
	f->h.shift = shift;
}

TEST(hpt, rehash_moves_bolted_entries_to_their_new_ptegs)
{
	struct fix a, b, c;
	struct placed e[] = {
		{ .vsid = 0x1234, .off = 0x0abc000, .ps = 12, .bolted = true },
		{ .vsid = 0x777, .off = 0x5a30000, .ps = 16, .bolted = true,
		  .secondary = true },
		{ .vsid = 0x4321, .off = 0x3000000, .ps = 24, .bolted = true },
		{ .vsid = 0x2468, .off = 0x12345000, .ps = 12, .seg_1t = true,
		  .bolted = true },
		{ .vsid = 0x99, .off = 0x7000, .ps = 12 }, /* not bolted */
	};
	uint64_t out[8];
	uint32_t n;

	fix_init(&a);
	for (size_t i = 0; i < ARRAY_SIZE(e); i++) {
		place(&a, &e[i], 3 + i % 4, (i + 1) * SZ_16M);
	}
	fix_init_shift(&b, 20);
	hpt_map_vrma(&b.h);
	CHECK_EQ(hpt_rehash(&a.h, &b.h), H_SUCCESS);
	fix_init_shift(&c, SHIFT);
	CHECK_EQ(hpt_rehash(&a.h, &c.h), H_SUCCESS);
	for (size_t i = 0; i < ARRAY_SIZE(e); i++) {
		uint64_t h = e[i].secondary ? ~e[i].hash : e[i].hash;
		uint64_t to = hpt_pteg_index(&b.h, h) + e[i].ptex % 8;

		CHECK_EQ(hpt_rehash_pteg(e[i].v, e[i].r, e[i].ptex / 8, SHIFT,
					 20) * 8, hpt_pteg_index(&b.h, h));
		CHECK_EQ(hpt_read(&b.h, 0, to, out, &n), H_SUCCESS);
		if (e[i].bolted) {
			CHECK_EQ(out[0], e[i].v);
			CHECK_EQ(out[1], e[i].r);
		} else {
			CHECK_EQ(out[0] & HPTE_V_VALID, 0);
		}
		/* The same size: the same place. */
		CHECK_EQ(hpt_read(&c.h, 0, e[i].ptex, out, &n), H_SUCCESS);
		CHECK_EQ(out[0], e[i].bolted ? e[i].v : 0);
	}
	fix_fini(&a);
	fix_fini(&b);
	fix_fini(&c);
}

TEST(hpt, rehash_bolted_collision_is_pteg_full)
{
	struct fix a, b;
	struct placed e[] = {
		{ .vsid = 0x005, .ps = 12, .bolted = true },
		{ .vsid = 0x805, .ps = 12, .bolted = true },
	};

	fix_init_shift(&a, 19); /* 4096 PTEGs: 0x005 and 0x805 apart */
	place(&a, &e[0], 0, 0);
	place(&a, &e[1], 0, SZ_16M);
	CHECK_NE(e[0].ptex, e[1].ptex);
	fix_init_shift(&b, 18); /* 2048: both in PTEG 0x005, slot 0 */
	CHECK_EQ(hpt_rehash(&a.h, &b.h), H_PTEG_FULL);
	fix_fini(&a);
	fix_fini(&b);
}

/*
 * A partition's device pages (XIVE ESB and TIMA): two ranges as the XIVE
 * gives them, guest real far above memory, host real elsewhere.
 */
#define IO_GPA 0x0006010000000000ull
#define IO_HPA 0x0006030100000000ull
#define TM_GPA 0x0006030203180000ull
#define TM_HPA 0x0006030203120000ull
static const struct hpt_io test_io[] = {
	{ IO_GPA, IO_HPA, 4 * SZ_64K },       /* two sources' ESB pages */
	{ TM_GPA + 2 * SZ_64K, TM_HPA, SZ_64K }, /* the OS TIMA page */
};

static void fix_init_io(struct fix *f)
{
	fix_init(f);
	f->h.io = test_io;
	f->h.io_count = ARRAY_SIZE(test_io);
}

static uint64_t ptel_io(uint64_t gra)
{
	return gra | HPTE_R_I | HPTE_R_G | 0x2;
}

TEST(hpt, enter_takes_own_device_pages_cache_inhibited)
{
	struct fix f;
	const uint64_t l = HPTE_V_LARGE | HPTE_V_VALID;
	uint64_t slot, out[8];
	uint32_t n;

	fix_init_io(&f);
	/* 4K and 64K pages of each range, first and last, translated. */
	CHECK_EQ(hpt_enter(&f.h, H_EXACT, 0, HPTE_V_VALID, ptel_io(IO_GPA),
			   &slot), H_SUCCESS);
	CHECK_EQ(raw1(&f, 0), ptel_io(IO_HPA));
	CHECK_EQ(hpt_enter(&f.h, H_EXACT, 1, l,
			   ptel_io(IO_GPA + 3 * SZ_64K) | 0x1000, &slot),
		 H_SUCCESS);
	CHECK_EQ(raw1(&f, 1), ptel_io(IO_HPA + 3 * SZ_64K) | 0x1000);
	CHECK_EQ(hpt_enter(&f.h, H_EXACT, 2, l,
			   ptel_io(TM_GPA + 2 * SZ_64K) | 0x1000, &slot),
		 H_SUCCESS);
	CHECK_EQ(raw1(&f, 2), ptel_io(TM_HPA) | 0x1000);
	CHECK_EQ(hpt_enter(&f.h, H_EXACT, 3, HPTE_V_VALID,
			   ptel_io(TM_GPA + 3 * SZ_64K - 0x1000), &slot),
		 H_SUCCESS);
	CHECK_EQ(raw1(&f, 3), ptel_io(TM_HPA + SZ_64K - 0x1000));
	/* I without G, and I|M, are cache-inhibited too (KVM takes them). */
	CHECK_EQ(hpt_enter(&f.h, H_EXACT, 4, HPTE_V_VALID,
			   IO_GPA | HPTE_R_I | 0x2, &slot), H_SUCCESS);
	CHECK_EQ(hpt_enter(&f.h, H_EXACT, 5, HPTE_V_VALID,
			   IO_GPA | HPTE_R_I | HPTE_R_M | HPTE_R_G, &slot),
		 H_SUCCESS);
	/* The guest reads back its own addresses, as with memory. */
	CHECK_EQ(hpt_read(&f.h, H_READ_4, 0, out, &n), H_SUCCESS);
	CHECK_EQ(out[1], ptel_io(IO_GPA));
	CHECK_EQ(out[3], ptel_io(IO_GPA + 3 * SZ_64K) | 0x1000);
	CHECK_EQ(out[5], ptel_io(TM_GPA + 2 * SZ_64K) | 0x1000);
	CHECK_EQ(out[7], ptel_io(TM_GPA + 3 * SZ_64K - 0x1000));
	CHECK_EQ(hpt_remove(&f.h, 0, 2, 0, &out[0], &out[1]), H_SUCCESS);
	CHECK_EQ(out[1] & ~(HPTE_R_R | HPTE_R_C),
		 ptel_io(TM_GPA + 2 * SZ_64K) | 0x1000);
	fix_fini(&f);
}

TEST(hpt, enter_refuses_device_pages_not_its_own_or_cacheable)
{
	struct fix f, plain;
	const uint64_t l = HPTE_V_LARGE | HPTE_V_VALID;
	uint64_t slot = 77;

	fix_init_io(&f);
	/* Cacheable, write-through, or no attributes: never. */
	CHECK_EQ(hpt_enter(&f.h, 0, 8, HPTE_V_VALID, IO_GPA | HPTE_R_M | 0x2,
			   &slot), H_PARAMETER);
	CHECK_EQ(hpt_enter(&f.h, 0, 8, HPTE_V_VALID, IO_GPA | 0x2, &slot),
		 H_PARAMETER);
	CHECK_EQ(hpt_enter(&f.h, 0, 8, HPTE_V_VALID,
			   IO_GPA | HPTE_R_W | HPTE_R_I | HPTE_R_G, &slot),
		 H_PARAMETER);
	/* Just past each range, just before, the TIMA's other pages. */
	CHECK_EQ(hpt_enter(&f.h, 0, 8, HPTE_V_VALID,
			   ptel_io(IO_GPA + 4 * SZ_64K), &slot), H_PARAMETER);
	CHECK_EQ(hpt_enter(&f.h, 0, 8, HPTE_V_VALID,
			   ptel_io(IO_GPA - 0x1000), &slot), H_PARAMETER);
	for (uint64_t p = 0; p < 4; p++) {
		if (p != 2) {
			CHECK_EQ(hpt_enter(&f.h, 0, 8, HPTE_V_VALID,
					   ptel_io(TM_GPA + p * SZ_64K),
					   &slot), H_PARAMETER);
		}
	}
	/* The host addresses themselves are not guest addresses. */
	CHECK_EQ(hpt_enter(&f.h, 0, 8, HPTE_V_VALID, ptel_io(IO_HPA), &slot),
		 H_PARAMETER);
	CHECK_EQ(hpt_enter(&f.h, 0, 8, HPTE_V_VALID, ptel_io(TM_HPA), &slot),
		 H_PARAMETER);
	/* A 16 MiB page is larger than any range. */
	CHECK_EQ(hpt_enter(&f.h, 0, 8, l, ptel_io(IO_GPA), &slot),
		 H_PARAMETER);
	/* Memory stays RAM only: I|G on memory is refused as before. */
	CHECK_EQ(hpt_enter(&f.h, 0, 8, HPTE_V_VALID, ptel_io(0x1000), &slot),
		 H_PARAMETER);
	/* Without the ranges (an XICS partition) nothing outside memory. */
	fix_init(&plain);
	CHECK_EQ(hpt_enter(&plain.h, 0, 8, HPTE_V_VALID, ptel_io(IO_GPA),
			   &slot), H_PARAMETER);
	CHECK_EQ(slot, 77);
	for (uint64_t i = 8; i < 16; i++) {
		CHECK_EQ(raw0(&f, i), 0);
		CHECK_EQ(raw0(&plain, i), 0);
	}
	fix_fini(&f);
	fix_fini(&plain);
}

/* Random entries near the ranges: whatever was taken is memory or I/O. */
TEST(hpt, random_entries_map_only_memory_or_own_device_pages)
{
	struct fix f;
	struct test_rng rng;
	uint64_t slot, accepted = 0, io = 0;
	static const uint64_t near[] = { IO_GPA, TM_GPA, MEM_SIZE };

	fix_init_io(&f);
	test_rng_seed(&rng, 15);
	for (int i = 0; i < 20000; i++) {
		uint64_t v = test_rng_next(&rng), r = test_rng_next(&rng);
		uint64_t base = near[test_rng_below(&rng, 3)];

		r = (r & 0xfff) | ((base - 0x40000 +
				    test_rng_below(&rng, 0x80000)) &
				   ~0xfffull);
		if (hpt_enter(&f.h, test_rng_below(&rng, 2) ? H_EXACT : 0,
			      test_rng_below(&rng, 16384), v, r, &slot) ==
		    H_SUCCESS) {
			accepted++;
		}
	}
	CHECK_GT(accepted, 100);
	for (uint64_t p = 0; p < hpt_entries(&f.h); p++) {
		uint64_t v = raw0(&f, p), r = raw1(&f, p), shift, host, end;
		bool ok;

		if (!(v & HPTE_V_VALID)) {
			continue;
		}
		shift = hpt_page_shift(v, r);
		REQUIRE(shift != 0);
		host = (r & 0x01fffffffffff000ull) & ~((1ull << shift) - 1);
		end = host + (1ull << shift);
		ok = host >= MEM_HPA && end <= MEM_HPA + MEM_SIZE &&
		     (r & HPTE_R_WIMG) == HPTE_R_M;
		for (size_t k = 0; k < ARRAY_SIZE(test_io); k++) {
			if (host >= test_io[k].hpa &&
			    end <= test_io[k].hpa + test_io[k].size &&
			    (r & HPTE_R_I) && !(r & HPTE_R_W)) {
				ok = true;
				io++;
			}
		}
		CHECK(ok);
	}
	CHECK_GT(io, 10);
	fix_fini(&f);
}

/* A resize keeps a bolted device entry, translated the same. */
TEST(hpt, rehash_keeps_bolted_device_entries)
{
	struct fix a, b;
	uint64_t slot, out[8];
	uint32_t n;
	uint64_t v = (0x321ull << 12) | HPTE_V_BOLTED | HPTE_V_VALID;

	fix_init_io(&a);
	CHECK_EQ(hpt_enter(&a.h, H_EXACT, hpt_pteg_index(&a.h, 0x321) + 2, v,
			   ptel_io(TM_GPA + 2 * SZ_64K), &slot), H_SUCCESS);
	fix_init_shift(&b, 20);
	b.h.io = test_io;
	b.h.io_count = ARRAY_SIZE(test_io);
	CHECK_EQ(hpt_rehash(&a.h, &b.h), H_SUCCESS);
	slot = hpt_pteg_index(&b.h, 0x321) + 2;
	CHECK_EQ(raw1(&b, slot) & HPTE_R_RPN, TM_HPA);
	CHECK_EQ(hpt_read(&b.h, 0, slot, out, &n), H_SUCCESS);
	CHECK_EQ(out[0], v);
	CHECK_EQ(out[1], ptel_io(TM_GPA + 2 * SZ_64K));
	fix_fini(&a);
	fix_fini(&b);
}
