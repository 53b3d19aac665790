/*
 * The pure part of PCI passthrough, host-tested: the functions behind a
 * host PHB's root port found through config-space accessors, their memory
 * BARs sized and placed in the PHB's 32-bit window, the root port's
 * windows opened over them; and the RTAS config address checks.
 */
#ifndef PCI_SCAN_H
#define PCI_SCAN_H

#include "hv/guest_dt.h"
#include "hv/lib/types.h"
#include "mm/gmem.h"

/* Config-space access to one host PHB: 0 on success (OPAL's status). */
struct pci_cfg_ops {
	int64_t (*read)(void *ctx, uint32_t bdfn, uint32_t off, uint32_t size,
			uint32_t *val);
	int64_t (*write)(void *ctx, uint32_t bdfn, uint32_t off, uint32_t size,
			 uint32_t val);
	void *ctx;
};

#define PCI_BDFN(bus, devfn) (((uint32_t)(bus) << 8) | (devfn))
#define PCI_COMMAND 0x04 /* config space: the command register */

/**
 * Find the functions on the secondary bus of the root port at bdfn 0
 * (skiboot numbered the buses), read their IDs, capabilities and memory
 * BARs (sized with decoding off), place every BAR naturally aligned in
 * phb->m32_pci .. + m32_size (largest first), write them, and open the
 * root port's memory window over them (I/O and prefetchable windows
 * closed, memory and bus mastering on).  Fills phb->bus_first/bus_last
 * with the secondary bus and phb->funcs.  Bridges below the root port and
 * I/O BARs are left out and counted in *skipped.
 * Returns 0, or -1 with `why` (a sentence) set.
 */
int pci_scan_assign(const struct pci_cfg_ops *ops, struct guest_dt_phb *phb,
		    uint32_t *skipped, char *why, size_t why_len);

/* An RTAS config access decoded (docs/hcalls.md). */
struct pci_cfg_access {
	uint32_t bus;
	uint32_t devfn;
	uint32_t reg;   /* 0..4095 */
	uint32_t size;  /* 1, 2 or 4 */
};

/**
 * Decode RTAS config address `addr` ((reg & 0xf00) << 20 | bus << 16 |
 * devfn << 8 | (reg & 0xff)) for an access of `size` bytes to a function
 * of `phb`.  Returns the function, or NULL when the size is not 1, 2 or
 * 4, the register is not naturally aligned or beyond the function's
 * config space (256 bytes, 4 KiB for PCI Express), or no function of
 * `phb` sits at that bus and devfn.
 */
const struct guest_dt_pci_func *pci_cfg_decode(const struct guest_dt_phb *phb,
					       uint32_t addr, uint32_t size,
					       struct pci_cfg_access *out);

/*
 * OPAL_PCI_SET_PE compares the top 3 to 8 bits of a RID's bus, so a bus
 * range is covered by aligned blocks of 1 to 32 buses.  Fills `bus` and
 * `bits` (the bits compared) with the blocks covering [first, last],
 * largest first at each point; returns how many (at most 16 for any
 * range of 0..255), or 0 when first > last or last > 255.
 */
#define PCI_PE_BLOCKS_MAX 16
uint32_t pci_pe_bus_blocks(uint32_t first, uint32_t last,
			   uint32_t bus[PCI_PE_BLOCKS_MAX],
			   uint32_t bits[PCI_PE_BLOCKS_MAX]);

/**
 * The hardware TCE for guest TCE `tce` of a window of IO pages of
 * 1 << `shift` bytes in a partition whose memory `g` starts at host real
 * g->hpa: host real page | the read/write bits, big-endian; 0 (no access)
 * when it grants nothing or names a page not wholly inside `g` (which
 * tce_valid_page() already refused).  The page is cleared first if the
 * partition's memory is cleared on first touch.
 */
be64 pci_tce_hw_entry(const struct gmem *g, uint64_t tce, uint32_t shift);

#endif /* PCI_SCAN_H */
