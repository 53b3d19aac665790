/*
 * PCI passthrough: a partition owns whole host PCI host bridges (PHB4 on
 * POWER9, PHB5 on Power10), named in its configuration by chip and PHB
 * index (docs/config.md `pci-host-bridges`).  This header is the pci/
 * unit's per-partition state.
 */
#ifndef PCI_PCI_H
#define PCI_PCI_H

#include "hv/config.h"
#include "hv/guest_dt.h"
#include "hv/lock.h"
#include "hv/machine.h"
#include "hv/unit.h"
#include "mm/tce.h"
#include "pci/eeh_event.h"

struct lpar;

_Static_assert(CONFIG_MAX_PHBS <= GUEST_DT_PHB_MAX,
	       "every configured PHB has a guest node");

/*
 * The default DMA window of one PHB: the guest's TCEs (`tce`, checked by
 * mm/tce.c) and their mirror in the host PHB's table (`hw`, host real
 * pages, big-endian) that the PHB translates PE `pe`'s bus addresses
 * 0 .. window size with.
 */
struct pci_dma {
	struct tce_table tce;
	struct spinlock lock;      /* tce, hw */
	struct lpar_dma_window win;
	be64 *hw;
	uint64_t bytes;            /* of each table */
	uint32_t pe;
	bool mapped;               /* the PHB's window points at hw */
	uint64_t opal_id;
};

/* MSIs handed to one function by ibm,change-msi (count 0: none). */
struct pci_msi {
	uint32_t bus, devfn;
	uint32_t first;            /* index in the PHB's LAYOUT_PHB_MSIS */
	uint32_t count;
	uint32_t type;             /* 1 MSI, 2 MSI-X */
};

struct pci_msis {
	uint32_t used;             /* bitmap of the PHB's MSIs */
	struct pci_msi fn[GUEST_DT_PCI_FUNCS];
};

/* The pci/ unit's state in each partition.  host[i] is shown to the
 * guest as dt[i] (the i-th pci-host-bridges entry: BUID, LIOBN and
 * windows of QEMU's PHB index i). */
struct pci_lpar {
	uint32_t count;
	const struct machine_phb *host[CONFIG_MAX_PHBS];
	struct guest_dt_phb dt[CONFIG_MAX_PHBS];
	struct pci_dma dma[CONFIG_MAX_PHBS];
	bool mmio_mapped[CONFIG_MAX_PHBS];
	struct spinlock msi_lock;  /* msis */
	struct pci_msis msis[CONFIG_MAX_PHBS];
	struct spinlock eeh_lock;  /* eeh */
	struct pci_eeh eeh[CONFIG_MAX_PHBS]; /* OPAL's error reports */
	uint64_t eeh_walk_tb;      /* last OPAL_PCI_NEXT_ERROR walk */
};

/* The longest a hot reset of a PHB slot may take at a restart (skiboot
 * 7.0 under QEMU: about 3 s of its own waits and link polling). */
#define PCI_RESET_MAX_MS 10000

/** The pci/ unit's state of partition `l` (never NULL once created). */

struct pci_lpar *pci_lpar(const struct lpar *l);

/** Index of the PHB whose BUID is `buid` in `s`, or -1. */
int pci_phb_by_buid(const struct pci_lpar *s, uint64_t buid);

/** Set up PHB `i`'s PE and default DMA window (pci/dma.c); false with
 * a message on failure, nothing left behind. */
bool pci_dma_create(struct lpar *l, uint32_t i);

/** Every TCE of PHB `i` gone, in the guest's view and the hardware's. */
void pci_dma_clear(struct lpar *l, uint32_t i);

/** Undo pci_dma_create(). */
void pci_dma_destroy(struct lpar *l, uint32_t i);

/** The DMA window of `l` whose LIOBN is `liobn` (the unit's hook). */
struct lpar_dma_window *pci_dma_window(struct lpar *l, uint64_t liobn);

/** Whether PHB `i` of `l` has MSIs to hand out (a XIVE partition, the
 * host PHB with at least LAYOUT_PHB_MSIS). */
bool pci_msi_available(const struct lpar *l, uint32_t i);


/** The pci unit's poll: when OPAL has a PCI error event, take the
 * reports of the partition's PHBs (pci/eeh.c). */
void pci_eeh_poll(struct lpar *l);

/** Forget every MSI handed out (a reboot; the sources are masked by the
 * interrupt controller's own reset). */
void pci_msi_reset(struct lpar *l);

#endif /* PCI_PCI_H */
