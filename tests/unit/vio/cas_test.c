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

/* QEMU's POWER9 v2.0, as powernv9 shows it. */
#define P9_PVR 0x004e1200u

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

/*
 * prom_init's PVR list (Linux 6.1 ibm_architecture_vec): 13 pairs (the
 * real PVRs POWER5 to Power10, then the logical ones 3.1 down to 2.05),
 * then 2.04-and-earlier, which is also the terminator.
 */
static const uint32_t linux_pvr_pairs[13][2] = {
	{ 0xfffe0000u, 0x003a0000u }, { 0xffff0000u, 0x003e0000u },
	{ 0xffff0000u, 0x003f0000u }, { 0xffff0000u, 0x004b0000u },
	{ 0xffff0000u, 0x004c0000u }, { 0xffff0000u, 0x004d0000u },
	{ 0xffff0000u, 0x004e0000u }, { 0xffff0000u, 0x00800000u },
	{ 0xffffffffu, 0x0f000006u }, { 0xffffffffu, 0x0f000005u },
	{ 0xffffffffu, 0x0f000004u }, { 0xffffffffu, 0x0f000003u },
	{ 0xffffffffu, 0x0f000002u },
};

static void linux_pvrs(void)
{
	len = 0;
	for (int i = 0; i < 13; i++) {
		put32(linux_pvr_pairs[i][0]);
		put32(linux_pvr_pairs[i][1]);
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

static const struct cas_offer dual_radix = {
		true, true, CONFIG_MMU_RADIX, P9_PVR, CONFIG_COMPAT_POWER9, CONFIG_COMPAT_NONE
	};

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
	/* Power10 is listed but above the host: POWER9's logical PVR. */
	CHECK_EQ(res.compat, CONFIG_COMPAT_POWER9);
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
	static const struct cas_offer xics = {
		true, false, CONFIG_MMU_RADIX, P9_PVR, CONFIG_COMPAT_POWER9, CONFIG_COMPAT_NONE
	};
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
	static const struct cas_offer xive = {
		false, true, CONFIG_MMU_RADIX, P9_PVR, CONFIG_COMPAT_POWER9, CONFIG_COMPAT_NONE
	};
	struct cas_request r;
	struct cas_result res;

	linux_vector(0x00, 0x40, 0x40);
	REQUIRE_EQ(cas_parse(buf, len, &r), CAS_OK);
	CHECK_EQ(cas_decide(&r, &xive, &res), CAS_E_INTC);
}

TEST(cas, mmu_follows_the_configuration_or_is_refused)
{
	static const struct cas_offer hash = {
		true, false, CONFIG_MMU_HASH, P9_PVR, CONFIG_COMPAT_POWER9, CONFIG_COMPAT_NONE
	};
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
	static const struct cas_offer hash = {
		true, true, CONFIG_MMU_HASH, P9_PVR, CONFIG_COMPAT_POWER9, CONFIG_COMPAT_NONE
	};
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
	for (int e = CAS_OK; e <= CAS_E_PVR_RADIX; e++) {
		CHECK(strcmp(cas_strerror((enum cas_err)e), "unknown") != 0);
	}
}

/* --- The processor level: the PVR list (QEMU 7.2 cas_check_pvr()) --- */

/* A vector of the given PVR pairs, the terminator and one empty vector. */
static void pvr_vector(const uint32_t (*pairs)[2], int n)
{
	uint8_t v[1] = { 0 };

	len = 0;
	for (int i = 0; i < n; i++) {
		put32(pairs[i][0]);
		put32(pairs[i][1]);
	}
	put32(0);
	put32(1);
	buf[len++] = 1 - 1;
	put_vector(1, v);
}

static enum config_compat level_of_list(const uint32_t (*pairs)[2], int n,
					enum config_compat configured,
					enum config_mmu mmu, enum cas_err *e)
{
	const struct cas_offer o = {
		true, true, mmu, P9_PVR, CONFIG_COMPAT_POWER9, configured
	};
	struct cas_request r;
	enum config_compat c = CONFIG_COMPAT_POWER10; /* overwritten */

	pvr_vector(pairs, n);
	*e = cas_parse(buf, len, &r);
	if (*e == CAS_OK) {
		*e = cas_choose_level(&r, &o, &c);
	}
	return c;
}

TEST(cas_level, only_power8_listed_in_a_power9_partition_picks_power8)
{
	static const uint32_t p8[][2] = { { 0xffffffffu, 0x0f000004u } };
	enum cas_err e;

	CHECK_EQ(level_of_list(p8, 1, CONFIG_COMPAT_NONE, CONFIG_MMU_HASH,
			       &e), CONFIG_COMPAT_POWER8);
	CHECK_EQ(e, CAS_OK);
	/* ... which a radix partition cannot be. */
	level_of_list(p8, 1, CONFIG_COMPAT_NONE, CONFIG_MMU_RADIX, &e);
	CHECK_EQ(e, CAS_E_PVR_RADIX);
}

TEST(cas_level, configured_power8_with_a_kernel_listing_9_and_8_picks_8)
{
	static const uint32_t both[][2] = {
		{ 0xffffffffu, 0x0f000005u }, { 0xffffffffu, 0x0f000004u },
	};
	enum cas_err e;

	CHECK_EQ(level_of_list(both, 2, CONFIG_COMPAT_POWER8,
			       CONFIG_MMU_HASH, &e), CONFIG_COMPAT_POWER8);
	CHECK_EQ(e, CAS_OK);
	/* Unconfigured: the highest the host has. */
	CHECK_EQ(level_of_list(both, 2, CONFIG_COMPAT_NONE, CONFIG_MMU_HASH,
			       &e), CONFIG_COMPAT_POWER9);
	/* Linux's own list in a configured POWER8 partition. */
	{
		const struct cas_offer o = {
			true, true, CONFIG_MMU_HASH, P9_PVR,
			CONFIG_COMPAT_POWER9, CONFIG_COMPAT_POWER8
		};
		struct cas_request r;
		enum config_compat c = CONFIG_COMPAT_NONE;

		linux_vector(0x40, 0x00, 0x00);
		REQUIRE_EQ(cas_parse(buf, len, &r), CAS_OK);
		CHECK_EQ(cas_choose_level(&r, &o, &c), CAS_OK);
		CHECK_EQ(c, CONFIG_COMPAT_POWER8);
	}
}

TEST(cas_level, raw_pvr_match_is_raw_mode_only_when_unconfigured)
{
	static const uint32_t raw[][2] = {
		{ 0xffff0000u, 0x004e0000u }, { 0xffffffffu, 0x0f000003u },
	};
	enum cas_err e;

	CHECK_EQ(level_of_list(raw, 2, CONFIG_COMPAT_NONE, CONFIG_MMU_RADIX,
			       &e), CONFIG_COMPAT_NONE);
	CHECK_EQ(e, CAS_OK);
	level_of_list(raw, 2, CONFIG_COMPAT_POWER9, CONFIG_MMU_RADIX, &e);
	CHECK_EQ(e, CAS_E_PVR);
}

TEST(cas_level, nothing_matching_is_refused)
{
	static const uint32_t none[][2] = {
		{ 0xffff0000u, 0x004d0000u }, /* POWER8's real PVR */
		{ 0xffffffffu, 0x0f000006u }, /* Power10: above the host */
		{ 0xffffffffu, 0x0f000003u }, /* 2.06: not offered */
		{ 0xfffffff0u, 0x0f000000u }, /* a masked range is no level */
	};
	const struct cas_offer o = {
		true, true, CONFIG_MMU_RADIX, P9_PVR, CONFIG_COMPAT_POWER9,
		CONFIG_COMPAT_NONE
	};
	struct cas_request r;
	struct cas_result res;
	enum cas_err e;

	level_of_list(none, 4, CONFIG_COMPAT_NONE, CONFIG_MMU_RADIX, &e);
	CHECK_EQ(e, CAS_E_PVR);
	/* An empty list (the terminator alone) too, through cas_decide. */
	pvr_vector(none, 0);
	REQUIRE_EQ(cas_parse(buf, len, &r), CAS_OK);
	CHECK_EQ(cas_decide(&r, &o, &res), CAS_E_PVR);
	/* Power10 is fine in a Power10 host. */
	{
		const struct cas_offer p10 = {
			true, true, CONFIG_MMU_RADIX, 0x00801200u,
			CONFIG_COMPAT_POWER10, CONFIG_COMPAT_NONE
		};
		enum config_compat c = CONFIG_COMPAT_NONE;

		pvr_vector(none, 4);
		REQUIRE_EQ(cas_parse(buf, len, &r), CAS_OK);
		CHECK_EQ(cas_choose_level(&r, &p10, &c), CAS_OK);
		CHECK_EQ(c, CONFIG_COMPAT_POWER10);
	}
}

TEST(cas_level, hostile_lists_choose_within_what_was_read)
{
	enum config_compat c = CONFIG_COMPAT_NONE;
	const struct cas_offer o = {
		true, true, CONFIG_MMU_HASH, P9_PVR, CONFIG_COMPAT_POWER9,
		CONFIG_COMPAT_NONE
	};
	struct cas_request r;

	/* 511 unmatched pairs, POWER8 last before the terminator at 512. */
	len = 0;
	for (int i = 0; i < 510; i++) {
		put32(0xffffffffu);
		put32(0x12345678u);
	}
	put32(0xffffffffu);
	put32(0x0f000004u);
	put32(0);
	put32(1);
	buf[len++] = 0;
	buf[len++] = 0;
	buf[len++] = 0;
	REQUIRE_EQ(cas_parse(buf, len, &r), CAS_OK);
	CHECK_EQ(r.pvr_count, CAS_PVRS_MAX);
	CHECK_EQ(cas_choose_level(&r, &o, &c), CAS_OK);
	CHECK_EQ(c, CONFIG_COMPAT_POWER8);
	/* The terminator's own value is never a level (0x0f000005|1 ends). */
	len = 0;
	put32(0xfffffffeu);
	put32(0x0f000005u);
	REQUIRE_EQ(cas_parse(buf, len, &r), CAS_E_NO_VECTORS);
	/* A mask of 0 matches every PVR: raw mode when unconfigured. */
	len = 0;
	put32(0);
	put32(0);
	put32(0);
	put32(1);
	buf[len++] = 0;
	buf[len++] = 0;
	buf[len++] = 0;
	REQUIRE_EQ(cas_parse(buf, len, &r), CAS_OK);
	c = CONFIG_COMPAT_POWER9;
	CHECK_EQ(cas_choose_level(&r, &o, &c), CAS_OK);
	CHECK_EQ(c, CONFIG_COMPAT_NONE);
	/* A request never parsed chooses nothing. */
	memset(&r, 0, sizeof(r));
	CHECK_EQ(cas_choose_level(&r, &o, &c), CAS_E_PVR);
}
