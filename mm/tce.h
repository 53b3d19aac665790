/*
 * TCE tables: the DMA windows of a partition's VIO devices, matching QEMU
 * 7.2 hw/ppc/spapr_iommu.c for the guest interface (H_PUT_TCE, H_GET_TCE,
 * H_STUFF_TCE, H_PUT_TCE_INDIRECT and their H_PARAMETER cases) and LoPAR's
 * TCE format: bits 63..12 the guest real page, bit 1 the device may write
 * memory, bit 0 it may read it.  A window's IO pages are 4 KiB unless it
 * says otherwise (a dynamic DMA window of a PHB: 64 KiB or 2 MiB pages,
 * whose TCEs name a page of that size; the address bits below it are
 * ignored, as QEMU's spapr_tce_translate_iommu() masks them).  Unlike QEMU, a TCE that grants any access
 * must name a page of the partition's own memory, and lparvisor's device
 * code reaches guest memory on a device's behalf only through
 * tce_dma_read()/tce_dma_write(), which honour the permission bits.
 *
 * Pure logic: the table memory is the caller's, the caller serialises
 * updates (entries are single 64-bit stores, so a DMA racing an update
 * sees the old or the new entry, never a mix).
 */
#ifndef MM_TCE_H
#define MM_TCE_H

#include "hv/lib/types.h"
#include "mm/gmem.h"

#define TCE_PAGE_SHIFT 12
#define TCE_PAGE_SIZE (1ull << TCE_PAGE_SHIFT)
#define TCE_PAGE_MASK (~(TCE_PAGE_SIZE - 1))
#define TCE_READ 0x1ull  /* the device may read memory (DMA to it) */
#define TCE_WRITE 0x2ull /* the device may write memory */
#define TCE_RW (TCE_READ | TCE_WRITE)
/* H_PUT_TCE_INDIRECT: at most one 4 KiB page of big-endian TCEs. */
#define TCE_INDIRECT_MAX 512

struct tce_table {
	uint32_t liobn;      /* the window's logical I/O bus number */
	uint32_t entries;    /* window size / IO page size */
	uint64_t bus_offset; /* bus address of entry 0 (0 for VIO) */
	uint64_t *table;     /* `entries` TCEs, the caller's memory */
	uint32_t page_shift; /* log2 of the IO page size; 0: 4 KiB */
	/*
	 * QEMU's TCE bypass (RTAS ibm,set-tce-bypass, which SLOF's v-scsi
	 * driver turns on while it runs and off at quiesce): a bus address
	 * is the partition's real address, readable and writable, and the
	 * table is not consulted.  Still only the partition's own memory.
	 */
	bool bypass;
};

/** log2 of the IO page size of `t` (12 unless the window set another). */
static inline uint32_t tce_page_shift(const struct tce_table *t)
{
	return t->page_shift ? t->page_shift : TCE_PAGE_SHIFT;
}

/** Size in bytes of the window of `t`. */
static inline uint64_t tce_window_size(const struct tce_table *t)
{
	return (uint64_t)t->entries << tce_page_shift(t);
}

/** Every entry 0, bypass off: no access (a partition reset, QEMU's
 * spapr_tce_reset and spapr_vio_busdev_reset). */
void tce_clear(struct tce_table *t);

/**
 * Whether `tce` may be stored for a partition of memory `g`: one without
 * permission bits grants nothing and is always accepted (as QEMU keeps
 * it); one with either bit must name a 4 KiB page inside `g`.
 */
bool tce_valid(const struct gmem *g, uint64_t tce);

/** tce_valid() for a window of IO pages of 1 << `shift` bytes: the whole
 * page the TCE names (its address bits below `shift` ignored) inside `g`. */
bool tce_valid_page(const struct gmem *g, uint64_t tce, uint32_t shift);

/**
 * H_PUT_TCE on `t`: the bits of `ioba` below the IO page size are ignored.
 * Returns H_SUCCESS; H_PARAMETER when `ioba` is outside the window or
 * `tce` grants access to memory the partition does not own.
 */
int64_t tce_put(struct tce_table *t, const struct gmem *g, uint64_t ioba,
		uint64_t tce);

/**
 * H_GET_TCE on `t`: the entry for `ioba` in *tce.
 * Returns H_SUCCESS; H_PARAMETER when `ioba` is outside the window.
 */
int64_t tce_get(const struct tce_table *t, uint64_t ioba, uint64_t *tce);

/**
 * H_STUFF_TCE on `t`: `tce` into `npages` entries from `ioba`.  As in
 * QEMU, entries inside the window are written up to the first one
 * outside it, and npages 0 does nothing and answers H_PARAMETER.
 * Returns H_SUCCESS; H_PARAMETER for npages 0 or above the window's
 * entries, a TCE that fails tce_valid() (nothing written), or a range
 * that leaves the window.
 */
int64_t tce_stuff(struct tce_table *t, const struct gmem *g, uint64_t ioba,
		  uint64_t tce, uint64_t npages);

/**
 * H_PUT_TCE_INDIRECT on `t`: `npages` big-endian TCEs at guest real
 * `list` (4 KiB aligned, inside `g`), each read once into hypervisor
 * memory and checked and stored from that copy, from `ioba` on.  As in QEMU, entries are stored in order
 * up to the first bad one (outside the window, or failing tce_valid()),
 * and npages 0 answers H_PARAMETER.
 * Returns H_SUCCESS; H_PARAMETER for npages 0 or above 512, an unaligned
 * list or one outside the partition, a bad TCE or a range that leaves
 * the window.
 */
int64_t tce_put_indirect(struct tce_table *t, const struct gmem *g,
			 uint64_t ioba, uint64_t list, uint64_t npages);

/**
 * Translate bus address `ioba` for an access needing `perm` (TCE_READ,
 * TCE_WRITE or both): the guest real address in *gpa and the bytes left
 * in its 4 KiB page in *avail.  False when `ioba` is outside the window,
 * its entry lacks a permission asked for, or the page is not the
 * partition's.  With `bypass` the address is its own translation: false
 * only when its page is not the partition's.
 */
bool tce_translate(const struct tce_table *t, const struct gmem *g,
		   uint64_t ioba, uint64_t perm, uint64_t *gpa,
		   uint64_t *avail);

/**
 * Whether every page of [ioba, ioba + len) translates for `perm` (QEMU's
 * spapr_vio_dma_valid(): len 0 is always valid).  False when the range
 * wraps or any page fails tce_translate().
 */
bool tce_range_ok(const struct tce_table *t, const struct gmem *g,
		  uint64_t ioba, uint64_t len, uint64_t perm);

/**
 * DMA from the partition to the device: copy `len` bytes at bus address
 * `ioba` into `dst`, page by page through the window.  Every page needs
 * TCE_READ.  False when any page fails tce_translate() or the range
 * wraps; `dst` may then be partly written.
 */
bool tce_dma_read(const struct tce_table *t, const struct gmem *g,
		  uint64_t ioba, void *dst, uint64_t len);

/**
 * DMA from the device to the partition: copy `len` bytes of `src` to bus
 * address `ioba`.  Every page needs TCE_WRITE, and every page is checked
 * before any byte is written, so a refused DMA changes nothing.  False
 * when a page fails tce_translate() or the range wraps.
 */
bool tce_dma_write(const struct tce_table *t, const struct gmem *g,
		   uint64_t ioba, const void *src, uint64_t len);

/* What tce_copy() found wrong, or TCE_COPY_OK. */
enum tce_copy_err {
	TCE_COPY_OK = 0,
	TCE_COPY_SRC_RANGE, /* the source range leaves its window or wraps */
	TCE_COPY_DST_RANGE,
	TCE_COPY_SRC_PERM,  /* a source page not mapped for reading */
	TCE_COPY_DST_PERM,  /* a destination page not mapped for writing */
};

/**
 * H_COPY_RDMA's copy: `len` bytes from bus address `sioba` of window
 * `st` (memory `sg`) to `dioba` of window `dt` (memory `dg`), which may
 * be another partition's.  Both ranges are checked whole before any byte
 * moves: first that each lies inside its window, then that every source
 * page has TCE_READ and every destination page TCE_WRITE into its own
 * partition's memory.  Overlapping ranges copy as memmove.  The caller
 * holds both windows' locks.
 */
enum tce_copy_err tce_copy(const struct tce_table *st, const struct gmem *sg,
			   uint64_t sioba, const struct tce_table *dt,
			   const struct gmem *dg, uint64_t dioba,
			   uint64_t len);

#endif /* MM_TCE_H */
