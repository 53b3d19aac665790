/*
 * PCI passthrough: a partition owns whole host PCI host bridges (PHB4 on
 * POWER9, PHB5 on Power10), named in its configuration by chip and PHB
 * index (docs/config.md `pci-host-bridges`).  This header is the pci/
 * unit's per-partition state.
 */
#ifndef PCI_PCI_H
#define PCI_PCI_H

#include "hv/config.h"
#include "hv/machine.h"

struct lpar;

/* One host PHB given to a partition. */
struct pci_phb {
	const struct machine_phb *host; /* what skiboot told of it */
	uint32_t guest_index;           /* its place in the partition's list */
};

/* The pci/ unit's state in each partition. */
struct pci_lpar {
	uint32_t count;
	struct pci_phb phbs[CONFIG_MAX_PHBS];
};

/** The pci/ unit's state of partition `l` (never NULL once created). */
struct pci_lpar *pci_lpar(const struct lpar *l);

#endif /* PCI_PCI_H */
