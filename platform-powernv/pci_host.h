/*
 * The host PHBs' configuration space through OPAL (skiboot
 * core/pci-opal.c OPAL_PCI_CONFIG_READ_* and _WRITE_*), for pci/: the only way
 * lparvisor reaches a PHB's devices' config space.
 */
#ifndef PLATFORM_POWERNV_PCI_HOST_H
#define PLATFORM_POWERNV_PCI_HOST_H

#include "hv/lib/types.h"

/**
 * Read `size` (1, 2 or 4) bytes at `offset` of function `bdfn` (bus << 8 |
 * devfn) behind PHB `opal_id` into `*val`, in the CPU's byte order.
 * Returns OPAL's status: 0 on success; then *val is valid.
 */
int64_t pnv_pci_cfg_read(uint64_t opal_id, uint32_t bdfn, uint32_t offset,
			 uint32_t size, uint32_t *val);

/** As pnv_pci_cfg_read(), writing the low `size` bytes of `val`. */
int64_t pnv_pci_cfg_write(uint64_t opal_id, uint32_t bdfn, uint32_t offset,
			  uint32_t size, uint32_t val);

#endif /* PLATFORM_POWERNV_PCI_HOST_H */
