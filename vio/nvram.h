/*
 * The partition's NVRAM (vio/nvram.c): QEMU 7.2's spapr-nvram, its
 * /vdevice node and the RTAS services nvram-fetch and nvram-store.  The
 * pure helpers are here for the unit tests.
 */
#ifndef VIO_NVRAM_H
#define VIO_NVRAM_H

#include "hv/lib/types.h"

struct config;

/* QEMU 7.2's default size (DEFAULT_NVRAM_SIZE, spapr_nvram.c). */
#define NVRAM_SIZE 0x10000u

/* The PNOR partition that holds the partitions' NVRAM (tools/mkpnor.py). */
#define NVRAM_FLASH_PART "LPAR_NVRAM"

/* Linux's NVRAM partition headers (arch/powerpc/include/asm/nvram.h). */
#define NVRAM_BLOCK 16u
#define NVRAM_SIG_FREE 0x7f
#define NVRAM_NAME_LEN 12u

/* Blocks are counted in 16 bits: a size must fit. */
_Static_assert(NVRAM_SIZE / NVRAM_BLOCK <= 0xffff, "NVRAM_SIZE too large");

/**
 * Fill `size` bytes (a multiple of NVRAM_BLOCK, at most 0xffff blocks)
 * with one free-space partition covering them all, as SLOF formats a
 * blank NVRAM: signature 0x7f, Linux's header checksum, the length in
 * 16-byte blocks big-endian, name "wwwwwwwwwwww", then zeros.
 */
void nvram_format(uint8_t *data, uint32_t size);

/* nvram_resize(): `old` holds no Linux partition header at its start. */
#define NVRAM_RESIZE_RAW 0xffffffffu

/**
 * The contents of an NVRAM of `old_size` bytes for one of `size` bytes
 * (both multiples of NVRAM_BLOCK), into `out`: when `old` starts with
 * Linux's partition headers (checksums valid, read as Linux reads them),
 * the partitions that fit wholly in `size` are kept, in order, up to the
 * first that does not or the first bad header, and the rest of `out` is
 * one free-space partition; a free-space partition across the new end
 * keeps its bytes up to it (under a shorter header).  Returns the bytes
 * of partitions kept.
 * Otherwise the first min(old_size, size) bytes are kept, zeros after,
 * and NVRAM_RESIZE_RAW is returned.
 */
uint32_t nvram_resize(const uint8_t *old, uint32_t old_size, uint8_t *out,
		      uint32_t size);

/**
 * At boot, before any partition is created: find LPAR_NVRAM on the system
 * flash, read its directory and give every partition of `c` that is not
 * refused an area (by name; vio/nvram_area.h); a partition whose
 * nvram-size changed has its area moved to the new size with its
 * contents (nvram_resize(), nva_dir_move()).  Prints where partition
 * NVRAM lives.  Without flash, or on any error, NVRAM is in memory only.
 */
void nvram_boot(const struct config *c);

/** Whether [index, index + len) lies inside `size` bytes (overflow-safe). */
bool nvram_range_ok(uint64_t index, uint64_t len, uint64_t size);

#endif /* VIO_NVRAM_H */
