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

/*
 * PE and DMA set-up of a host PHB (skiboot hw/phb4.c): which PE the RIDs
 * of a bus range belong to, its PELT-V, the TCE table a PE's DMA window
 * uses, and TCE cache invalidation.  Each returns OPAL's status.
 */

/** OPAL_PCI_SET_PE: RIDs matching bdfn's bus in its top `bus_bits` (3..8)
 * bits, any device and function, to PE `pe` (map) or back (unmap). */
int64_t pnv_pci_set_pe(uint64_t opal_id, uint32_t pe, uint32_t bdfn,
		       uint32_t bus_bits, bool map);

/** OPAL_PCI_SET_PELTV: a freeze of `parent` also freezes `child`. */
int64_t pnv_pci_set_peltv(uint64_t opal_id, uint32_t parent, uint32_t child,
			  bool add);

/** OPAL_PCI_EEH_FREEZE_CLEAR of MMIO and DMA for `pe`. */
int64_t pnv_pci_freeze_clear(uint64_t opal_id, uint32_t pe);

/**
 * OPAL_PCI_MAP_PE_DMA_WINDOW: PE `pe`'s window `window` (pe * 2: bus
 * addresses with bit 59 clear, pe * 2 + 1: bit 59 set) translated by the
 * one-level table of `table_size` bytes (a power of two, at least 4 KiB,
 * aligned to its size) at real address `table`, IO pages of `page_size`
 * bytes (4 KiB, 64 KiB, 2 MiB or 1 GiB); table_size 0 disables it.
 */
int64_t pnv_pci_map_dma_window(uint64_t opal_id, uint32_t pe, uint32_t window,
			       uint64_t table, uint64_t table_size,
			       uint64_t page_size);

/** OPAL_PCI_TCE_KILL of every cached TCE of `pe`. */
int64_t pnv_pci_tce_kill_pe(uint64_t opal_id, uint32_t pe);

/** OPAL_PCI_SET_XIVE_PE: MSI `ive` of the PHB belongs to PE `pe` (this
 * also clears the source's P and Q). */
int64_t pnv_pci_set_xive_pe(uint64_t opal_id, uint32_t pe, uint32_t ive);

/** OPAL_GET_MSI_64 (or _32 when `msi64` is false): the address and data a
 * device writes to raise MSI `ive` of the PHB. */
int64_t pnv_pci_get_msi(uint64_t opal_id, uint32_t ive, bool msi64,
			uint64_t *addr, uint32_t *data);

/**
 * Hot-reset every device below PHB `opal_id`'s root port, waiting for
 * skiboot's state machine to finish (at most `max_ms`); 0 on success,
 * OPAL's error, or OPAL_BUSY when it took too long.  *took: milliseconds.
 */
int64_t pnv_pci_hot_reset(uint64_t opal_id, uint32_t max_ms, uint32_t *took);

/** OPAL_PCI_EEH_FREEZE_STATUS of PE `pe`: *state 0 not frozen, 1 MMIO,
 * 2 DMA, 3 both, 4 in reset, 5/6 unavailable. */
int64_t pnv_pci_freeze_status(uint64_t opal_id, uint32_t pe, uint8_t *state);

/** Whether OPAL's last heartbeat poll showed OPAL_EVENT_PCI_ERROR. */
bool pnv_pci_error_pending(void);

/**
 * OPAL_PCI_NEXT_ERROR of PHB `opal_id`: one report, *type and *sev
 * (skiboot's OpalPciErrorType and Severity; type 0: nothing left) and
 * *pe the first frozen PE.  Clears the PHB's event bit.
 */
int64_t pnv_pci_next_error(uint64_t opal_id, uint64_t *pe, uint16_t *type,
			   uint16_t *sev);

#endif /* PLATFORM_POWERNV_PCI_HOST_H */
