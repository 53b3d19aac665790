/*
 * Tests for platform-powernv/ffs.c: finding LPAR_NVRAM in a table laid
 * out as tools/mkpnor.py writes it (docs/flash.md), and refusing damaged
 * tables and entries.  Negative cases first.
 */
#include "platform-powernv/ffs.h"
#include "tests/unit/test.h"

#define BLK 0x1000u

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static void seal(uint8_t *p, uint32_t len)
{
	uint32_t x = 0;

	put32(p + len - 4, 0);
	for (uint32_t i = 0; i < len - 4; i += 4) {
		x ^= get32(p + i);
	}
	put32(p + len - 4, x);
}

static const struct {
	const char *name;
	uint32_t base, size;
} parts[] = {
	{ "part", 0, 0x1000 },
	{ "VERSION", 0x1000, 0x1000 },
	{ "NVRAM", 0x10000, 0x90000 },
	{ "LPAR_NVRAM", 0x100000, 0x100000 },
	{ "BOOTKERNEL", 0x200000, 0x400000 },
};

/* The table of a 64 MiB image; returns its length. */
static uint32_t table(uint8_t *t)
{
	uint32_t n = sizeof(parts) / sizeof(parts[0]);

	memset(t, 0xff, BLK);
	memset(t, 0, FFS_HDR_SIZE + n * FFS_ENTRY_SIZE);
	put32(t, 0x50415254);
	put32(t + 4, 1);
	put32(t + 8, 1);
	put32(t + 12, FFS_ENTRY_SIZE);
	put32(t + 16, n);
	put32(t + 20, BLK);
	put32(t + 24, (64u << 20) / BLK);
	seal(t, FFS_HDR_SIZE);
	for (uint32_t i = 0; i < n; i++) {
		uint8_t *e = t + FFS_HDR_SIZE + i * FFS_ENTRY_SIZE;

		memcpy(e, parts[i].name, strlen(parts[i].name));
		put32(e + 16, parts[i].base / BLK);
		put32(e + 20, parts[i].size / BLK);
		put32(e + 24, 0xffffffff);
		put32(e + 28, i + 1);
		put32(e + 32, i ? 1 : 3);
		seal(e, FFS_ENTRY_SIZE);
	}
	return FFS_HDR_SIZE + n * FFS_ENTRY_SIZE;
}

TEST(ffs, damaged_tables_refused)
{
	uint8_t t[BLK];
	uint32_t off, size, len = table(t);

	t[1] ^= 1; /* magic */
	CHECK_EQ(ffs_table_len(t), 0u);
	CHECK(ffs_find(t, len, 64u << 20, "LPAR_NVRAM", &off, &size) != NULL);
	table(t);
	t[11] ^= 1; /* header checksum */
	CHECK_EQ(ffs_table_len(t), 0u);
	table(t);
	CHECK(ffs_find(t, len - 1, 64u << 20, "LPAR_NVRAM", &off, &size) !=
	      NULL);
	/* The entry's checksum. */
	t[FFS_HDR_SIZE + 3 * FFS_ENTRY_SIZE + 17] ^= 1;
	CHECK_STR_CONTAINS(ffs_find(t, len, 64u << 20, "LPAR_NVRAM", &off,
				    &size), "checksum");
	/* A partition past the flash's end. */
	table(t);
	CHECK_STR_CONTAINS(ffs_find(t, len, 0x180000, "LPAR_NVRAM", &off,
				    &size), "outside");
	/* ECC. */
	table(t);
	t[FFS_HDR_SIZE + 3 * FFS_ENTRY_SIZE + 62] = 0x80;
	seal(t + FFS_HDR_SIZE + 3 * FFS_ENTRY_SIZE, FFS_ENTRY_SIZE);
	CHECK_STR_CONTAINS(ffs_find(t, len, 64u << 20, "LPAR_NVRAM", &off,
				    &size), "ECC");
}

TEST(ffs, names_match_whole)
{
	uint8_t t[BLK];
	uint32_t off, size, len = table(t);

	CHECK(ffs_find(t, len, 64u << 20, "LPAR_NV", &off, &size) != NULL);
	CHECK(ffs_find(t, len, 64u << 20, "LPAR_NVRAMX", &off, &size) != NULL);
	CHECK(ffs_find(t, len, 64u << 20, "ROOTFS", &off, &size) != NULL);
}

TEST(ffs, finds_lpar_nvram_as_mkpnor_lays_it_out)
{
	uint8_t t[BLK];
	uint32_t off = 0, size = 0, len = table(t);

	CHECK_EQ(ffs_table_len(t), len);
	CHECK(ffs_find(t, len, 64u << 20, "LPAR_NVRAM", &off, &size) == NULL);
	CHECK_EQ(off, 0x100000u);
	CHECK_EQ(size, 0x100000u);
	CHECK(ffs_find(t, len, 64u << 20, "NVRAM", &off, &size) == NULL);
	CHECK_EQ(off, 0x10000u);
}
