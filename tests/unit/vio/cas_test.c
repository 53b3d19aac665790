/*
 * Tests for vio/cas.c: the ibm,client-architecture-support vector as
 * Linux 6.1's prom_init lays it out (14 PVR pairs, the last its own
 * terminator; 7 option vectors), and hostile ones: no terminator, lengths
 * past the buffer, vectors LoPAR does not define, a vector 5 longer than
 * the bytes kept; then the platform's answer for dual, XICS-only,
 * XIVE-only, radix and hash partitions.
 */
#include <string.h>

#include "tests/unit/test.h"
#include "vio/cas.h"

static uint8_t buf[8192];
static size_t len;

static void put32(uint32_t v)
{
	buf[len++] = (uint8_t)(v >> 24);
	buf[len++] = (uint8_t)(v >> 16);
	buf[len++] = (uint8_t)(v >> 8);
	buf[len++] = (uint8_t)v;
}

/* A vector of `n` data bytes: length byte n - 1, then the bytes. */
static void put_vector(size_t n, const uint8_t *data)
{
	buf[len++] = (uint8_t)(n - 1);
	memcpy(buf + len, data, n);
	len += n;
}

/* prom_init's PVR list: 13 pairs, then 2.04-and-earlier, the terminator. */
static void linux_pvrs(void)
{
	len = 0;
	for (int i = 0; i < 13; i++) {
		put32(0xffff0000u);
		put32((0x003au + (uint32_t)i) << 16);
	}
	put32(0xfffffffeu);
	put32(0x0f000001u);
}

/* Linux's 7 vectors; vector 5 (26 bytes) with the given choices. */
static void linux_vector(uint8_t intarch, uint8_t mmu, uint8_t radix_ext)
{
	uint8_t v[32];

	linux_pvrs();
	buf[len++] = 7 - 1;
	memset(v, 0xa5, sizeof(v));
	put_vector(22, v);       /* 1 */
	put_vector(24, v);       /* 2 */
	put_vector(2, v);        /* 3 */
	put_vector(2, v);        /* 4 */
	memset(v, 0, sizeof(v));
	v[CAS_OV5_XIVE - 1] = intarch;
	v[CAS_OV5_MMU - 1] = mmu;
	v[CAS_OV5_RADIX_EXT - 1] = radix_ext;
	put_vector(26, v);       /* 5 */
	memset(v, 0x5a, sizeof(v));
	put_vector(3, v);        /* 6 */
	put_vector(1, v);        /* 7 */
}

static const struct cas_offer dual_radix = { true, true, CONFIG_MMU_RADIX };

TEST(cas, parses_linux_vector_asking_xive_and_radix)
{
	struct cas_request r;
	struct cas_result res;

	linux_vector(0x40, 0x40, 0x40);
	REQUIRE_EQ(cas_parse(buf, len, &r), CAS_OK);
	CHECK_EQ(r.pvr_count, 14);
	CHECK_EQ(r.vector_count, 7);
	CHECK(r.has_ov5);
	CHECK_EQ(r.ov5_len, 26);
	CHECK_EQ(r.ov5[CAS_OV5_XIVE], 0x40);
	REQUIRE_EQ(cas_decide(&r, &dual_radix, &res), CAS_OK);
	CHECK_EQ(res.intc, CONFIG_INTC_XIVE);
	CHECK_EQ(res.mmu, CONFIG_MMU_RADIX);
	CHECK(res.gtse);
}

TEST(cas, xive_off_kernel_gets_xics_in_a_dual_partition)
{
	struct cas_request r;
	struct cas_result res;

	linux_vector(0x00, 0x40, 0x40);
	REQUIRE_EQ(cas_parse(buf, len, &r), CAS_OK);
	REQUIRE_EQ(cas_decide(&r, &dual_radix, &res), CAS_OK);
	CHECK_EQ(res.intc, CONFIG_INTC_XICS);
}

TEST(cas, xive_request_in_a_xics_partition_gets_xics)
{
	static const struct cas_offer xics = { true, false, CONFIG_MMU_RADIX };
	struct cas_request r;
	struct cas_result res;

	linux_vector(0x40, 0x40, 0x00);
	REQUIRE_EQ(cas_parse(buf, len, &r), CAS_OK);
	REQUIRE_EQ(cas_decide(&r, &xics, &res), CAS_OK);
	CHECK_EQ(res.intc, CONFIG_INTC_XICS);
	CHECK(!res.gtse);
}

TEST(cas, refuses_xics_client_when_only_xive_is_offered)
{
	static const struct cas_offer xive = { false, true, CONFIG_MMU_RADIX };
	struct cas_request r;
	struct cas_result res;

	linux_vector(0x00, 0x40, 0x40);
	REQUIRE_EQ(cas_parse(buf, len, &r), CAS_OK);
	CHECK_EQ(cas_decide(&r, &xive, &res), CAS_E_INTC);
}

TEST(cas, mmu_follows_the_configuration_or_is_refused)
{
	static const struct cas_offer hash = { true, false, CONFIG_MMU_HASH };
	struct cas_request r;
	struct cas_result res;

	linux_vector(0x00, 0x00, 0x00); /* disable_radix: hash */
	REQUIRE_EQ(cas_parse(buf, len, &r), CAS_OK);
	CHECK_EQ(cas_decide(&r, &dual_radix, &res), CAS_E_MMU);
	REQUIRE_EQ(cas_decide(&r, &hash, &res), CAS_OK);
	CHECK_EQ(res.mmu, CONFIG_MMU_HASH);
	linux_vector(0x00, 0x40, 0x40);
	REQUIRE_EQ(cas_parse(buf, len, &r), CAS_OK);
	CHECK_EQ(cas_decide(&r, &hash, &res), CAS_E_MMU);
}

TEST(cas, refuses_pvr_list_without_terminator)
{
	struct cas_request r;

	CHECK_EQ(cas_parse(buf, 0, &r), CAS_E_PVR_LIST);
	linux_pvrs();
	CHECK_EQ(cas_parse(buf, len - 8, &r), CAS_E_PVR_LIST);
	CHECK_EQ(cas_parse(buf, len - 1, &r), CAS_E_PVR_LIST);
	/* 600 pairs that all match their mask: the limit ends the search. */
	len = 0;
	for (int i = 0; i < 600; i++) {
		put32(0xffffffffu);
		put32(0x004e1200u);
	}
	put32(0);
	put32(1);
	CHECK_EQ(cas_parse(buf, len, &r), CAS_E_PVR_LIST);
	CHECK_EQ(r.pvr_count, CAS_PVRS_MAX);
}

TEST(cas, refuses_hostile_lengths)
{
	struct cas_request r;

	linux_pvrs();
	CHECK_EQ(cas_parse(buf, len, &r), CAS_E_NO_VECTORS);
	linux_vector(0x40, 0x40, 0x40);
	/* Every cut inside the vectors is caught. */
	for (size_t cut = 14 * 8 + 1; cut < len; cut++) {
		CHECK_EQ(cas_parse(buf, cut, &r), CAS_E_TRUNCATED);
	}
	CHECK_EQ(cas_parse(buf, len, &r), CAS_OK);
	/* 256 vectors declared, 7 there. */
	buf[14 * 8] = 0xff;
	CHECK_EQ(cas_parse(buf, len, &r), CAS_E_TRUNCATED);
	/* Vector 1 claims 256 bytes of a 22-byte remainder. */
	linux_vector(0x40, 0x40, 0x40);
	buf[14 * 8 + 1] = 0xff;
	CHECK_EQ(cas_parse(buf, len, &r), CAS_E_TRUNCATED);
}

TEST(cas, skips_unknown_vectors_and_cuts_long_vector_5)
{
	struct cas_request r;
	uint8_t v[256];

	linux_pvrs();
	buf[len++] = 12 - 1; /* 12 vectors: 8..12 undefined by LoPAR */
	memset(v, 0xee, sizeof(v));
	for (int i = 1; i <= 12; i++) {
		if (i == 5) {
			memset(v, 0, sizeof(v));
			v[CAS_OV5_XIVE - 1] = 0x40;
			v[CAS_OV5_MMU - 1] = 0x40;
			v[200] = 0xff; /* past what is kept */
			put_vector(256, v);
			memset(v, 0xee, sizeof(v));
		} else {
			put_vector(i == 9 ? 256 : 1 + (size_t)i, v);
		}
	}
	REQUIRE_EQ(cas_parse(buf, len, &r), CAS_OK);
	CHECK_EQ(r.vector_count, 12);
	CHECK_EQ(r.ov5_len, 256);
	CHECK_EQ(r.ov5[CAS_OV5_XIVE], 0x40);
	CHECK_EQ(r.ov5[CAS_OV5_BYTES], 0);
}

TEST(cas, vector_without_option_vector_5_asks_xics_and_hash)
{
	static const struct cas_offer hash = { true, true, CONFIG_MMU_HASH };
	struct cas_request r;
	struct cas_result res;
	uint8_t v[4] = { 0 };

	linux_pvrs();
	buf[len++] = 2 - 1;
	put_vector(4, v);
	put_vector(4, v);
	REQUIRE_EQ(cas_parse(buf, len, &r), CAS_OK);
	CHECK(!r.has_ov5);
	REQUIRE_EQ(cas_decide(&r, &hash, &res), CAS_OK);
	CHECK_EQ(res.intc, CONFIG_INTC_XICS);
	CHECK_EQ(cas_decide(&r, &dual_radix, &res), CAS_E_MMU);
}

TEST(cas, every_error_has_a_message)
{
	for (int e = CAS_OK; e <= CAS_E_MMU; e++) {
		CHECK(strcmp(cas_strerror((enum cas_err)e), "unknown") != 0);
	}
}
