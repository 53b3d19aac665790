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
#include "hv/machine.h"

struct lpar;

_Static_assert(CONFIG_MAX_PHBS <= GUEST_DT_PHB_MAX,
	       "every configured PHB has a guest node");

/* The pci/ unit's state in each partition.  host[i] is shown to the
 * guest as dt[i] (the i-th pci-host-bridges entry: BUID, LIOBN and
 * windows of QEMU's PHB index i). */
struct pci_lpar {
	uint32_t count;
	const struct machine_phb *host[CONFIG_MAX_PHBS];
	struct guest_dt_phb dt[CONFIG_MAX_PHBS];
};

/** The pci/ unit's state of partition `l` (never NULL once created). */
struct pci_lpar *pci_lpar(const struct lpar *l);

/** Index of the PHB whose BUID is `buid` in `s`, or -1. */
int pci_phb_by_buid(const struct pci_lpar *s, uint64_t buid);

#endif /* PCI_PCI_H */
