/*
 * The pure part of a PHB's DMA windows (host-tested): what the dynamic DMA
 * window calls (ibm,query/create/remove/reset-pe-dma-window, QEMU 7.2
 * hw/ppc/spapr_rtas_ddw.c) offer a partition and how its arguments are
 * checked, and where each window goes on the host PHB.
 *
 * A PHB has two window slots, as QEMU's spapr-pci-host-bridge has two TCE
 * tables: slot 0 is the default window (LIOBN LAYOUT_PHB_LIOBN(n), bus 0,
 * 4 KiB pages), slot 1 (LIOBN + 1) what the guest creates.  A created
 * window takes the first free slot; it starts at bus address 0 when no
 * window is active (QEMU's dma_win_addr) and at 1 << 59 (dma64_win_addr)
 * otherwise.  The host PHB4 picks its translation (TVE PE * 2 + k) by bus
 * address bit 59, so the two windows never share a half: a window created
 * while the other slot holds one takes the half that one does not use
 * (QEMU would place a second window at 1 << 59 even if the first were
 * there already; with the default window present that never happens).
 */
#ifndef PCI_WINDOW_H
#define PCI_WINDOW_H

#include "hv/lib/types.h"
#include "mm/gmem.h"

#define PCI_DMA_SLOTS 2
#define PCI_DMA64_START (1ull << 59) /* bus address bit 59: TVE PE*2+1 */

/* ibm,query-pe-dma-window's page size bits (LoPAR; QEMU 7.2's
 * RTAS_DDW_PGSIZE_*): the PHB4 takes 4 KiB, 64 KiB, 2 MiB (and 1 GiB,
 * which LoPAR has no bit for). */
#define PCI_DDW_PGSIZE_4K 0x001u
#define PCI_DDW_PGSIZE_64K 0x002u
#define PCI_DDW_PGSIZE_2M 0x100u

/* Most TCEs one window may have: 32 MiB for each of its two tables. */
#define PCI_DDW_MAX_ENTRIES (1ull << 22)

/** The page sizes a window may use in a partition of memory `g`: 4 KiB
 * always; 64 KiB and 2 MiB when the partition's host block is aligned to
 * them and a whole number of them, so that each IO page of the guest is
 * one host page of the same size. */
uint32_t pci_ddw_page_mask(const struct gmem *g);

/** Largest window (TCEs) a partition of memory `g` may create: enough
 * for all of its memory in 4 KiB pages, rounded up to a power of two, at
 * least 512, at most PCI_DDW_MAX_ENTRIES. */
uint64_t pci_ddw_max_entries(const struct gmem *g);

/**
 * ibm,create-pe-dma-window's (page shift, window shift) for a partition
 * of memory `g`: true with *entries = 2^(window - page) when the page
 * size is one pci_ddw_page_mask() offers, window >= page, the window
 * fits in its half of the bus space (window <= 59) and has at most
 * pci_ddw_max_entries() TCEs; false otherwise (RTAS -3).
 */
bool pci_ddw_check_create(const struct gmem *g, uint32_t page_shift,
			  uint32_t window_shift, uint32_t *entries);

/** Bytes of the hardware TCE table for `entries` TCEs: a power of two,
 * at least 4 KiB (skiboot 7.0's phb4_map_pe_dma_window minimum). */
uint64_t pci_ddw_table_bytes(uint64_t entries);

/* The slots' state, as pci_ddw_place() sees it. */
struct pci_dma_slots {
	bool active[PCI_DMA_SLOTS];
	uint64_t start[PCI_DMA_SLOTS]; /* bus address of an active one */
};

/**
 * Where a new window goes: the first free slot in *slot and its bus
 * start (0 or PCI_DMA64_START) in *start.  False when both slots hold a
 * window (RTAS -1, as QEMU with SPAPR_PCI_DMA_MAX_WINDOWS windows).
 */
bool pci_ddw_place(const struct pci_dma_slots *s, uint32_t *slot,
		   uint64_t *start);

/** Windows the PHB may still create (query's "windows available"). */
uint32_t pci_ddw_available(const struct pci_dma_slots *s);

/** The host PHB4's TVE for a window of PE `pe` at bus `start`. */
static inline uint32_t pci_ddw_tve(uint32_t pe, uint64_t start)
{
	return pe * 2 + (start >= PCI_DMA64_START ? 1 : 0);
}

#endif /* PCI_WINDOW_H */
