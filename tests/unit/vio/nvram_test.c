/*
 * Tests for vio/nvram.c through KVMPPC_H_RTAS: nvram-fetch and
 * nvram-store with hostile indexes, lengths and buffers (QEMU 7.2
 * spapr_nvram.c codes: -3 beyond the end; lparvisor's -3 for a buffer
 * outside the partition), the round trip, contents kept across reset and
 * restart, one NVRAM per partition, the free-space format at creation and
 * the guest tree's node.  Built against tests/unit/fake/.  Negative cases
 * first.
 */
#include <stdio.h>
#include <stdlib.h>

#include "hv/abi/layout.h"
#include "hv/config.h"
#include "hv/guest_dt.h"
#include "hv/unit.h"
#include "tests/unit/fake/fake.h"
#include "tests/unit/fake/guestcall.h"
#include "tests/unit/test.h"
#include "vio/bus.h"
#include "vio/nvram.h"

#if !defined(FAKE_HV_CPU_H) || !defined(FAKE_HV_LOCK_H)
#error "nvram_test.c must be built with -Itests/unit/fake ahead of -I."
#endif

#define MEM_SIZE (64 * SZ_4K)
#define RBUF 0x1000ull /* the RTAS argument buffer */
#define DATA 0x8000u   /* the nvram buffer in guest memory */
#define ST_PARAM ((uint32_t)RTAS_OUT_PARAM_ERROR)

static struct lpar *web, *db;
static struct vcpu *vc;
static uint32_t rets[RTAS_MAX_CELLS];

static bool setup(void)
{
	fake_reset();
	web = fake_lpar_create("web", 2, MEM_SIZE);
	db = fake_lpar_create("db", 1, MEM_SIZE);
	vc = web ? web->vcpus[0] : NULL;
	memset(rets, 0, sizeof(rets));
	return web && db;
}

/* setup() without fake_reset(): the flash set up before stays. */
static bool setup_keep_flash(void)
{
	web = fake_lpar_create("web", 2, MEM_SIZE);
	db = fake_lpar_create("db", 1, MEM_SIZE);
	vc = web ? web->vcpus[0] : NULL;
	memset(rets, 0, sizeof(rets));
	return web && db;
}

static uint32_t fetch(struct vcpu *v, uint32_t index, uint32_t buf,
		      uint32_t len)
{
	rets[1] = RTAS_CANARY;
	CHECK_EQ(RTAS(v, RBUF, RTAS_NVRAM_FETCH, 2, rets, index, buf, len),
		 H_SUCCESS);
	return rets[0];
}

static uint32_t store(struct vcpu *v, uint32_t index, uint32_t buf,
		      uint32_t len)
{
	rets[1] = RTAS_CANARY;
	CHECK_EQ(RTAS(v, RBUF, RTAS_NVRAM_STORE, 2, rets, index, buf, len),
		 H_SUCCESS);
	return rets[0];
}

static void fill(struct lpar *l, uint32_t at, uint32_t len, uint8_t seed)
{
	for (uint32_t i = 0; i < len; i++) {
		gm_put8(l, at + i, (uint8_t)(seed + i * 7));
	}
}

static bool filled(struct lpar *l, uint32_t at, uint32_t len, uint8_t seed)
{
	for (uint32_t i = 0; i < len; i++) {
		if (gm_get8(l, at + i) != (uint8_t)(seed + i * 7)) {
			return false;
		}
	}
	return true;
}

/* Ranges past the end of the NVRAM, including 32-bit wrap-arounds. */
static const uint32_t bad_ranges[][2] = {
	{ NVRAM_SIZE, 1 },
	{ NVRAM_SIZE - 1, 2 },
	{ 0, NVRAM_SIZE + 1 },
	{ NVRAM_SIZE + 1, 0 },
	{ 0xffffffffu, 1 },
	{ 1, 0xffffffffu },
	{ 0xffffffffu, 0xffffffffu },
	{ 0x80000000u, 0x80000000u },
	{ 0xfffffff0u, 0x20 }, /* wraps to 0x10 in 32 bits */
};

TEST(nvram, out_of_range_is_param_error_and_touches_nothing)
{
	REQUIRE(setup());
	fill(web, DATA, 64, 1);
	REQUIRE_EQ(store(vc, 0, DATA, 64), 0);
	fill(web, DATA, 64, 99);
	for (size_t i = 0; i < ARRAY_SIZE(bad_ranges); i++) {
		CHECK_EQ(fetch(vc, bad_ranges[i][0], DATA, bad_ranges[i][1]),
			 ST_PARAM);
		CHECK_EQ(rets[1], 0);
		CHECK_EQ(store(vc, bad_ranges[i][0], DATA, bad_ranges[i][1]),
			 ST_PARAM);
		CHECK_EQ(rets[1], 0);
		/* Only the argument buffer's return cells changed. */
		CHECK(filled(web, DATA, 64, 99));
	}
	/* The NVRAM still holds the first store. */
	REQUIRE_EQ(fetch(vc, 0, DATA, 64), 0);
	CHECK(filled(web, DATA, 64, 1));
	CHECK(fake_guards_intact(web));
}

TEST(nvram, buffer_outside_the_partition_is_param_error)
{
	static const uint32_t bufs[][2] = {
		{ MEM_SIZE, 1 },
		{ MEM_SIZE - 8, 16 },
		{ MEM_SIZE - 1, 2 },
		{ 0xffffffffu, 16 },
		{ 0xfffffff0u, 0x20 },
	};

	REQUIRE(setup());
	fill(web, DATA, 32, 5);
	REQUIRE_EQ(store(vc, 0, DATA, 32), 0);
	for (size_t i = 0; i < ARRAY_SIZE(bufs); i++) {
		CHECK_EQ(fetch(vc, 0, bufs[i][0], bufs[i][1]), ST_PARAM);
		CHECK_EQ(rets[1], 0);
		CHECK_EQ(store(vc, 0, bufs[i][0], bufs[i][1]), ST_PARAM);
		CHECK_EQ(rets[1], 0);
	}
	CHECK(fake_guards_intact(web));
	/* A refused store changed nothing. */
	fill(web, DATA, 32, 77);
	REQUIRE_EQ(fetch(vc, 0, DATA, 32), 0);
	CHECK(filled(web, DATA, 32, 5));
}

TEST(nvram, wrong_counts_are_param_error)
{
	REQUIRE(setup());
	CHECK_EQ(RTAS(vc, RBUF, RTAS_NVRAM_FETCH, 1, rets, 0, DATA, 16),
		 H_SUCCESS);
	CHECK_EQ(rets[0], ST_PARAM);
	CHECK_EQ(RTAS(vc, RBUF, RTAS_NVRAM_STORE, 2, rets, 0, DATA),
		 H_SUCCESS);
	CHECK_EQ(rets[0], ST_PARAM);
}

TEST(nvram, store_then_fetch_round_trip_and_edges)
{
	REQUIRE(setup());
	fill(web, DATA, 256, 3);
	CHECK_EQ(store(vc, 100, DATA, 256), 0);
	CHECK_EQ(rets[1], 256);
	fill(web, DATA, 256, 200);
	CHECK_EQ(fetch(vc, 100, DATA, 256), 0);
	CHECK_EQ(rets[1], 256);
	CHECK(filled(web, DATA, 256, 3));
	/* The last bytes, a whole-NVRAM copy and empty copies at the end. */
	fill(web, DATA, 16, 9);
	CHECK_EQ(store(vc, NVRAM_SIZE - 16, DATA, 16), 0);
	CHECK_EQ(fetch(vc, 0, 0x10000, NVRAM_SIZE), 0);
	CHECK_EQ(rets[1], NVRAM_SIZE);
	CHECK(filled(web, 0x10000 + NVRAM_SIZE - 16, 16, 9));
	CHECK(filled(web, 0x10000 + 100, 256, 3));
	CHECK_EQ(fetch(vc, NVRAM_SIZE, DATA, 0), 0);
	CHECK_EQ(rets[1], 0);
	CHECK_EQ(store(vc, NVRAM_SIZE, MEM_SIZE, 0), 0);
	CHECK_EQ(rets[1], 0);
	CHECK(fake_guards_intact(web));
}

TEST(nvram, formatted_as_one_free_partition_at_creation)
{
	static const uint8_t header[16] = {
		0x7f, 0x29, 0x10, 0x00, 'w', 'w', 'w', 'w',
		'w', 'w', 'w', 'w', 'w', 'w', 'w', 'w',
	};

	REQUIRE(setup());
	REQUIRE_EQ(fetch(vc, 0, DATA, 32), 0);
	CHECK(!memcmp(fake_gmem(web) + DATA, header, 16));
	for (uint32_t i = 16; i < 32; i++) {
		CHECK_EQ(gm_get8(web, DATA + i), 0);
	}
}

TEST(nvram, kept_across_reset_and_restart_per_partition)
{
	REQUIRE(setup());
	fill(web, DATA, 64, 11);
	REQUIRE_EQ(store(vc, 512, DATA, 64), 0);
	lpar_units_stop(web, true);
	lpar_units_reset(web);
	fill(web, DATA, 64, 0);
	REQUIRE_EQ(fetch(vc, 512, DATA, 64), 0);
	CHECK(filled(web, DATA, 64, 11));
	/* The other partition's NVRAM is its own, still formatted. */
	REQUIRE_EQ(fetch(db->vcpus[0], 512, DATA, 64), 0);
	CHECK_EQ(gm_get8(db, DATA), 0);
	CHECK_EQ(gm_get8(db, DATA + 63), 0);
}

TEST(nvram, no_heap_refuses_the_partition)
{
	fake_reset();
	fake_heap_fail = true;
	CHECK(fake_lpar_create("web", 1, MEM_SIZE) == NULL);
	fake_heap_fail = false;
}

TEST(nvram, guest_tree_node_as_qemu)
{
	struct guest_dt_params p;

	REQUIRE(setup());
	memset(&p, 0, sizeof(p));
	lpar_units_guest_dt(web, &p);
	REQUIRE_EQ(p.vio_count, 1);
	CHECK_STR_EQ(p.vio[0].name, "nvram");
	CHECK_STR_EQ(p.vio[0].type, "nvram");
	CHECK_STR_EQ(p.vio[0].compatible, "qemu,spapr-nvram");
	CHECK_EQ(p.vio[0].reg, LAYOUT_NVRAM_REG);
	CHECK_EQ(p.vio[0].bytes, NVRAM_SIZE);
	CHECK_EQ(p.vio[0].irq, 0);
	CHECK_EQ(p.vio[0].dma_window, 0);
	CHECK(vio_bus_find(web, LAYOUT_NVRAM_REG) != NULL);
}

TEST(nvram, range_check_is_overflow_safe)
{
	CHECK(nvram_range_ok(0, 0, 16));
	CHECK(nvram_range_ok(16, 0, 16));
	CHECK(nvram_range_ok(0, 16, 16));
	CHECK(!nvram_range_ok(17, 0, 16));
	CHECK(!nvram_range_ok(1, 16, 16));
	CHECK(!nvram_range_ok(~0ull, 2, 16));
	CHECK(!nvram_range_ok(2, ~0ull, 16));
}

/* ---- NVRAM in flash (LPAR_NVRAM through the platform's flash calls) ---- */

#define FLASH_SIZE 0x80000u /* room for two 64 KiB areas (136 KiB each) */

/* A machine with an erased LPAR_NVRAM and partitions `names` configured. */
static void flash_boot(const char *const *names, uint32_t n, bool erase)
{
	struct config *c = calloc(1, sizeof(*c));

	if (erase) {
		free(fake_flash);
		fake_flash = malloc(FLASH_SIZE);
		memset(fake_flash, 0xff, FLASH_SIZE);
		fake_flash_size = FLASH_SIZE;
	}
	for (uint32_t i = 0; i < n; i++) {
		snprintf(c->lpars[i].name, sizeof(c->lpars[i].name), "%s",
			 names[i]);
		c->lpars[i].nvram_size = NVRAM_SIZE;
	}
	c->lpar_count = n;
	nvram_boot(c);
	free(c);
}

/* Power off and on: the partitions go, the flash stays, boot again. */
static void power_cycle(const char *const *names, uint32_t n)
{
	uint8_t *keep = fake_flash;

	fake_lpar_destroy(web);
	fake_lpar_destroy(db);
	fake_flash = NULL;
	fake_reset();
	fake_flash = keep;
	fake_flash_size = FLASH_SIZE;
	flash_boot(names, n, false);
	web = fake_lpar_create("web", 2, MEM_SIZE);
	db = fake_lpar_create("db", 1, MEM_SIZE);
	vc = web ? web->vcpus[0] : NULL;
}

static const char *const web_db[] = { "web", "db" };
static const char *const db_web[] = { "db", "web" };

TEST(nvram, flash_error_on_store_is_hw_error_and_flash_keeps_the_last)
{
	fake_reset();
	flash_boot(web_db, 2, true);
	REQUIRE(setup_keep_flash());
	fill(web, DATA, 64, 21);
	REQUIRE_EQ(store(vc, 512, DATA, 64), 0);
	fake_flash_fail = true;
	fill(web, DATA, 64, 22);
	CHECK_EQ(store(vc, 512, DATA, 64), (uint32_t)RTAS_OUT_HW_ERROR);
	CHECK_EQ(rets[1], 0);
	fake_flash_fail = false;
	power_cycle(web_db, 2);
	REQUIRE(web != NULL);
	REQUIRE_EQ(fetch(vc, 512, DATA, 64), 0);
	CHECK(filled(web, DATA, 64, 21));
}

TEST(nvram, store_is_in_flash_before_success_and_read_after_power_cycle)
{
	uint32_t writes;

	fake_reset();
	flash_boot(web_db, 2, true);
	REQUIRE(setup_keep_flash());
	/* Blank in flash: formatted as at creation. */
	REQUIRE_EQ(fetch(vc, 0, DATA, 16), 0);
	CHECK_EQ(gm_get8(web, DATA), 0x7f);
	writes = fake_flash_writes;
	fill(web, DATA, 64, 31);
	REQUIRE_EQ(store(vc, 512, DATA, 64), 0);
	CHECK_GT(fake_flash_writes, writes);
	fill(db, DATA, 32, 41);
	REQUIRE_EQ(store(db->vcpus[0], 100, DATA, 32), 0);
	/* Reordered configuration: each keeps its own. */
	power_cycle(db_web, 2);
	REQUIRE(web != NULL && db != NULL);
	fill(web, DATA, 64, 0);
	REQUIRE_EQ(fetch(vc, 512, DATA, 64), 0);
	CHECK(filled(web, DATA, 64, 31));
	REQUIRE_EQ(fetch(db->vcpus[0], 100, DATA, 32), 0);
	CHECK(filled(db, DATA, 32, 41));
	REQUIRE_EQ(fetch(vc, 0, DATA, 16), 0);
	CHECK_EQ(gm_get8(web, DATA), 0x7f);
}

TEST(nvram, without_flash_a_power_cycle_loses_it)
{
	fake_reset();
	flash_boot(web_db, 2, false); /* no flash: memory only */
	REQUIRE(setup_keep_flash());
	fill(web, DATA, 64, 51);
	REQUIRE_EQ(store(vc, 512, DATA, 64), 0);
	CHECK_EQ(fake_flash_writes, 0u);
	power_cycle(web_db, 2);
	REQUIRE(web != NULL);
	REQUIRE_EQ(fetch(vc, 512, DATA, 64), 0);
	CHECK_EQ(gm_get8(web, DATA), 0);
}

/*
 * nvram_resize(): an nvram-size change keeps Linux's partitions that fit
 * (headers as a little-endian Linux writes them), the rest free space;
 * NVRAM without Linux headers keeps its first bytes.
 */
static void linux_header(uint8_t *h, uint8_t sig, uint32_t len,
			 const char *name)
{
	uint32_t c = sig + len / 16, c2;

	memset(h, 0, 16);
	h[0] = sig;
	h[2] = (uint8_t)((len / 16) >> 8);
	h[3] = (uint8_t)(len / 16);
	memcpy(h + 4, name, strlen(name));
	for (int i = 0; i < 12; i += 2) {
		c += (uint32_t)h[5 + i] << 8 | h[4 + i]; /* ppc64le's shorts */
	}
	c = ((c & 0xffff) + (c >> 16)) & 0xffff;
	c2 = (c >> 8) + (c << 8);
	h[1] = (uint8_t)(((c + c2) >> 8) & 0xff);
}

static uint8_t *linux_nvram(uint32_t size, uint32_t second_len)
{
	uint8_t *d = malloc(size);

	nvram_format(d, size);
	linux_header(d, 0xa0, 2096, "ibm,rtas-log");
	memset(d + 16, 0x11, 2080);
	linux_header(d + 2096, 0xa0, second_len, "lnx,oops-log");
	memset(d + 2112, 0x22, second_len - 16);
	nvram_format(d + 2096 + second_len, size - 2096 - second_len);
	memcpy(d + size - 64, "marker", 6); /* in the free space */
	return d;
}

TEST(nvram, resize_keeps_linux_partitions_that_fit)
{
	uint8_t *old = linux_nvram(0x10000, 4016);
	uint8_t *out = malloc(0x20000), *want = malloc(0x20000);

	/* Grown: everything kept, then a free partition for the new part. */
	CHECK_EQ(nvram_resize(old, 0x10000, out, 0x20000), 0x10000u);
	CHECK(memcmp(out, old, 0x10000) == 0);
	nvram_format(want, 0x10000);
	CHECK(memcmp(out + 0x10000, want, 0x10000) == 0);
	/* Shrunk: both partitions fit, the free space keeps its bytes up
	 * to the new end under a shorter header. */
	memcpy(old + 0x1f00, "kept", 4);
	CHECK_EQ(nvram_resize(old, 0x10000, out, 0x2000), 0x2000u);
	CHECK(memcmp(out, old, 6112) == 0);
	nvram_format(want, 0x2000 - 6112);
	CHECK(memcmp(out + 6112, want, 16) == 0);
	CHECK(memcmp(out + 6112 + 16, old + 6112 + 16, 0x2000 - 6112 - 16) ==
	      0);
	CHECK(memcmp(out + 0x1f00, "kept", 4) == 0);
	free(old);
	/* A partition across the new end goes, with every one after it. */
	old = linux_nvram(0x10000, 8000);
	CHECK_EQ(nvram_resize(old, 0x10000, out, 0x2000), 2096u);
	CHECK(memcmp(out, old, 2096) == 0);
	nvram_format(want, 0x2000 - 2096);
	CHECK(memcmp(out + 2096, want, 0x2000 - 2096) == 0);
	/* A bad checksum ends the walk: what follows is free. */
	old[2097] ^= 1;
	CHECK_EQ(nvram_resize(old, 0x10000, out, 0x20000), 2096u);
	free(old);
	free(out);
	free(want);
}

TEST(nvram, resize_keeps_the_first_bytes_of_other_contents)
{
	uint8_t old[0x2000], out[0x3000];

	for (uint32_t i = 0; i < sizeof(old); i++) {
		old[i] = (uint8_t)(i * 7 + 1);
	}
	old[2] = old[3] = 0; /* no Linux header: length 0 */
	CHECK_EQ(nvram_resize(old, sizeof(old), out, sizeof(out)),
		 NVRAM_RESIZE_RAW);
	CHECK(memcmp(out, old, sizeof(old)) == 0);
	for (uint32_t i = sizeof(old); i < sizeof(out); i++) {
		CHECK_EQ(out[i], 0);
	}
	CHECK_EQ(nvram_resize(old, sizeof(old), out, 0x1000),
		 NVRAM_RESIZE_RAW);
	CHECK(memcmp(out, old, 0x1000) == 0);
}
