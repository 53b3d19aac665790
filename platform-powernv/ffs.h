/*
 * Finding a partition in a PNOR's FFS table (skiboot libflash/ffs.h: a
 * 48-byte header and 128-byte entries at flash offset 0, big-endian, each
 * with an XOR checksum of its 32-bit words; tools/mkpnor.py writes it).
 * Pure C over the table's bytes, for the unit tests.
 */
#ifndef PLATFORM_POWERNV_FFS_H
#define PLATFORM_POWERNV_FFS_H

#include "hv/lib/types.h"

#define FFS_HDR_SIZE 48u
#define FFS_ENTRY_SIZE 128u

/**
 * The number of table bytes to read after the header `hdr` (48 bytes) to
 * have every entry: 0 when `hdr` is no valid table header.
 */
uint32_t ffs_table_len(const uint8_t *hdr);

/**
 * Find partition `name` in the table `t` of `len` bytes (header and
 * entries) of a flash of `flash_size` bytes.  Returns NULL with `*off`
 * and `*size` set, or why not ("no partition ...", "... has ECC").
 */
const char *ffs_find(const uint8_t *t, uint32_t len, uint64_t flash_size,
		     const char *name, uint32_t *off, uint32_t *size);

#endif /* PLATFORM_POWERNV_FFS_H */
