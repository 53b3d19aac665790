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
#include "pci/window.h"

struct lpar;

_Static_assert(CONFIG_MAX_PHBS <= GUEST_DT_PHB_MAX,
	       "every configured PHB has a guest node");

/*
 * One DMA window of a PHB (a slot of pci/window.h): the guest's TCEs
 * (`tce`, checked by mm/tce.c; entries 0 while the slot is free) and
 * their mirror in the host PHB's table (`hw`, host real pages,
 * big-endian) that the PHB translates the window's bus addresses with,
 * through TVE `tve`.
 */
struct pci_dma;
struct pci_dma_win {
	struct tce_table tce;
	struct lpar_dma_window win;
	struct pci_dma *dma;
	be64 *hw;
	uint64_t hw_bytes;         /* a power of two, >= 4 KiB */
	uint64_t shadow_bytes;
	uint32_t tve;
	bool mapped;               /* the TVE points at hw */
};

/* A PHB's PE and its two window slots (slot 0: the default window). */
struct pci_dma {
	struct spinlock lock;      /* the slots, their tce and hw */
	struct pci_dma_win slot[PCI_DMA_SLOTS];
	uint32_t pe;
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

/** PHB `i`'s windows as at boot: every created window removed, the
 * default one back and empty, in the guest's view and the hardware's
 * (a stop, a reboot, ibm,reset-pe-dma-window).  False with a message
 * when the default window could not be made again. */
bool pci_dma_reset_windows(struct lpar *l, uint32_t i);

/** Under d->lock: a window of 2^entries TCEs of 1 << page_shift bytes at
 * bus `start` in free slot `k` of PHB `d`, mapped in the host PHB and
 * empty; OPAL's status (or -1: no memory), nothing left behind. */
int64_t pci_dma_win_open(struct pci_dma *d, uint32_t k, uint32_t page_shift,
			 uint32_t entries, uint64_t start);

/** Under d->lock: slot `k` of `d` free again, its TVE off and its TCE
 * cache killed before its tables go. */
void pci_dma_win_close(struct pci_dma *d, uint32_t k);

/** The slots' state of `d` for pci/window.h (under d->lock). */
void pci_dma_slots(const struct pci_dma *d, struct pci_dma_slots *s);

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
