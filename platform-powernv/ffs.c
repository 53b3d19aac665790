/*
 * FFS partition lookup (platform-powernv/ffs.h), with the checks skiboot's
 * ffs_init() makes: magic "PART", version 1, 128-byte entries, header and
 * entry checksums, entries inside the table and partitions inside the
 * flash.
 */
#include "hv/lib/string.h"
#include "platform-powernv/ffs.h"

#define FFS_MAGIC 0x50415254u
#define FFS_NAME_LEN 16u
#define FFS_ECC 0x8000u

/* The XOR of the words of a header or entry is 0 with its checksum. */
static bool xor_ok(const uint8_t *p, uint32_t len)
{
	uint32_t x = 0;

	for (uint32_t i = 0; i < len; i += 4) {
		x ^= get_be32(p + i);
	}
	return x == 0;
}

uint32_t ffs_table_len(const uint8_t *hdr)
{
	uint32_t count = get_be32(hdr + 16);
	uint64_t table = (uint64_t)get_be32(hdr + 8) * get_be32(hdr + 20);

	if (get_be32(hdr) != FFS_MAGIC || get_be32(hdr + 4) != 1 ||
	    get_be32(hdr + 12) != FFS_ENTRY_SIZE || !xor_ok(hdr, FFS_HDR_SIZE) ||
	    count == 0 || count > 1024 || get_be32(hdr + 20) == 0 ||
	    FFS_HDR_SIZE + (uint64_t)count * FFS_ENTRY_SIZE > table) {
		return 0;
	}
	return FFS_HDR_SIZE + count * FFS_ENTRY_SIZE;
}

const char *ffs_find(const uint8_t *t, uint32_t len, uint64_t flash_size,
		     const char *name, uint32_t *off, uint32_t *size)
{
	uint32_t want = ffs_table_len(t);
	uint32_t block, count;
	size_t n = strlen(name);

	if (len < FFS_HDR_SIZE || want == 0 || want > len) {
		return "no valid FFS partition table";
	}
	block = get_be32(t + 20);
	count = (want - FFS_HDR_SIZE) / FFS_ENTRY_SIZE;
	if (n > FFS_NAME_LEN) {
		return "no partition of that name";
	}
	for (uint32_t i = 0; i < count; i++) {
		const uint8_t *e = t + FFS_HDR_SIZE + i * FFS_ENTRY_SIZE;
		uint64_t base, bytes;

		if (memcmp(e, name, n) != 0 ||
		    (n < FFS_NAME_LEN && e[n] != 0)) {
			continue;
		}
		if (!xor_ok(e, FFS_ENTRY_SIZE)) {
			return "its table entry's checksum is wrong";
		}
		base = (uint64_t)get_be32(e + 16) * block;
		bytes = (uint64_t)get_be32(e + 20) * block;
		if (!bytes || base > flash_size || bytes > flash_size - base ||
		    base + bytes > 0xffffffffull) {
			return "it lies outside the flash";
		}
		if (((uint32_t)e[62] << 8 | e[63]) & FFS_ECC) {
			return "it has ECC, which lparvisor does not write";
		}
		*off = (uint32_t)base;
		*size = (uint32_t)bytes;
		return NULL;
	}
	return "no partition of that name";
}
