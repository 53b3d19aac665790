/*
 * Partition NVRAM kept in flash (the PNOR's LPAR_NVRAM partition): the
 * on-flash format and the logic that reads it back and writes it so that
 * a power cut at any moment leaves either the old or the new contents.
 * Pure C over a flash interface (read, write, erase), so the host unit
 * tests run it on a simulated flash that loses power mid-operation; the
 * hypervisor plugs OPAL's flash calls in (vio/nvram.c).
 *
 * Layout of the region (all numbers big-endian; docs/flash.md):
 *
 *   block 0, block 1   the directory, two copies: which partition (by
 *                      name) owns which area, and its NVRAM size
 *   areas              block-aligned; each holds two slots, and a slot
 *                      is one header block followed by the NVRAM bytes
 *                      rounded up to whole blocks
 *
 * A copy of the directory, or a slot, is valid when its magic, its
 * checksum (CRC-32) and, for a slot, the name, area offset and size the
 * directory gives all match; the valid one with the higher sequence
 * number is current.  A write goes to the other copy: its header is
 * erased first (so it is no longer valid), the pieces whose contents
 * change are written (whole erase blocks erased and written on a flash
 * that needs erasing; 256-byte pieces on one that does not), and the
 * header with the next sequence number is written last.  Until that last write completes the older
 * copy is current; a torn header fails its checksum.
 */
#ifndef VIO_NVRAM_AREA_H
#define VIO_NVRAM_AREA_H

#include "hv/lib/types.h"

#define NVA_NAME_LEN 32           /* as CONFIG_NAME_LEN, NUL included */
#define NVA_MAX_AREAS 32
#define NVA_MIN_BLOCK 0x1000u     /* erase blocks from 4 KiB ... */
#define NVA_MAX_BLOCK 0x10000u    /* ... to 64 KiB */

#define NVA_DIR_MAGIC 0x4c50564e56444952ull  /* "LPVNVDIR" */
#define NVA_SLOT_MAGIC 0x4c50564e56534c54ull /* "LPVNVSLT" */
#define NVA_DIR_HDR 32u           /* magic, seq, count, block, region size, 0 */
#define NVA_DIR_ENTRY 48u         /* name[32], offset, size, 0, 0 */
#define NVA_SLOT_HDR 64u          /* magic, seq, name[32], offset, size,
				     data CRC, header CRC */

/* The flash, and the region of it that holds partition NVRAM. */
struct nva_flash {
	void *ctx;
	/* Offsets are absolute flash offsets; each returns false on error. */
	bool (*read)(void *ctx, uint32_t off, void *buf, uint32_t len);
	bool (*write)(void *ctx, uint32_t off, const void *buf, uint32_t len);
	bool (*erase)(void *ctx, uint32_t off, uint32_t len);
	uint32_t base;  /* the region: block-aligned offset ... */
	uint32_t size;  /* ... and size */
	uint32_t block; /* erase block, a power of two */
	/*
	 * A flash that needs no erase before a write (skiboot's "no-erase":
	 * HIOMAP, where the BMC erases): writes replace bytes, nothing is
	 * erased, and only the changed NVA_GRANULE pieces are written.
	 */
	bool no_erase;
};

#define NVA_GRANULE 256u

struct nva_entry {
	char name[NVA_NAME_LEN];
	uint32_t off;  /* from the region's start, block-aligned */
	uint32_t size; /* NVRAM bytes */
};

struct nva_dir {
	uint64_t seq;  /* of the copy read or last written; 0: none yet */
	int cur;       /* copy holding seq (0, 1), -1 none */
	uint32_t count;
	struct nva_entry e[NVA_MAX_AREAS];
};

/* One partition's area. */
struct nva_area {
	char name[NVA_NAME_LEN];
	uint32_t off;       /* from the region's start */
	uint32_t size;      /* NVRAM bytes */
	uint64_t seq;       /* of the current slot; 0 none */
	int cur;            /* current slot (0, 1), -1 none */
	uint8_t *shadow[2]; /* `size` bytes each: what each slot's blocks hold */
	bool shadow_ok[2];  /* whether shadow[i] is known to match the flash */
	uint32_t ops;       /* flash operations of the last commit (tests, stats) */
};

/** CRC-32 (IEEE 802.3, as zlib's crc32) of `len` bytes, continuing `crc`. */
uint32_t nva_crc32(uint32_t crc, const void *buf, size_t len);

/** Bytes of flash an area of `size` NVRAM bytes takes with `block`. */
uint32_t nva_area_len(uint32_t size, uint32_t block);

/** Whether the region and block size are usable (aligned, room for the
 *  directory).  Returns NULL or why not. */
const char *nva_flash_check(const struct nva_flash *f);

/**
 * Read the directory: the valid copy with the higher sequence number, or
 * an empty directory when neither is valid (a blank or foreign region).
 * Entries that do not fit the region or overlap are dropped.  Returns
 * false only when the flash cannot be read.
 */
bool nva_dir_load(const struct nva_flash *f, struct nva_dir *d);

/*
 * nva_dir_load() and nva_dir_store() share static buffers: call them from
 * one thread at a time (lparvisor: the boot thread, before partitions).
 */

/** Write `d` as the other copy with the next sequence number. */
bool nva_dir_store(const struct nva_flash *f, struct nva_dir *d);

/**
 * Give each of the `n` partitions `names[i]` an area of `sizes[i]` bytes:
 * an entry of the same name and size is kept (its data with it); one of
 * the same name and another size is dropped and the partition gets a new,
 * blank area; new areas go into the first gap that fits, and when none
 * does, areas of names not among `names` are dropped (oldest offset
 * first) to make room.  out[i] is the entry's index in `d`, or -1 when
 * there is no room.  Returns whether `d` changed (then store it).
 */
bool nva_dir_assign(const struct nva_flash *f, struct nva_dir *d,
		    const char *const *names, const uint32_t *sizes, uint32_t n,
		    int *out);

/**
 * Move the area of entry `k` of `d` to a new place of `size` NVRAM bytes
 * holding `data` (the old contents, converted by the caller), so that a
 * power cut at any point leaves the partition its old area or its new one,
 * whole: the new place is found while the old entry is still in `d` (the
 * two never overlap), the new area's first slot is written and made valid
 * (its other slot's header made invalid first), and only then is the
 * directory written naming it (the other copy, as nva_dir_store()).  The
 * old area's flash is left as it was.  `shadow0`, `shadow1`: `size` bytes
 * each, scratch.  Returns false when there is no room (*no_room set) or on
 * a flash error; the entry is then as it was.
 */
bool nva_dir_move(const struct nva_flash *f, struct nva_dir *d, uint32_t k,
		  uint32_t size, const uint8_t *data, uint8_t *shadow0,
		  uint8_t *shadow1, bool *no_room);

/**
 * Set `a` up for entry `e` (shadow buffers given by the caller, `e->size`
 * bytes each) and read both slots.  When one is valid, the newest is
 * copied to `data` and true returned with a->cur set; when neither is,
 * a->cur is -1 and `data` is left alone (the caller formats it).  Returns
 * false with `*io_error` set when the flash cannot be read.
 */
bool nva_area_load(const struct nva_flash *f, struct nva_area *a,
		   const struct nva_entry *e, uint8_t *shadow0,
		   uint8_t *shadow1, uint8_t *data, bool *io_error);

/**
 * Make `data` (a->size bytes) the area's contents on flash: written to the
 * slot that is not current, header last.  Returns true once the new slot
 * is complete and current; on a flash error returns false and the old
 * slot stays current.
 */
bool nva_area_commit(const struct nva_flash *f, struct nva_area *a,
		     const uint8_t *data);

#endif /* VIO_NVRAM_AREA_H */
