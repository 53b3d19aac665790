/*
 * PCI error reports turned into a partition's EEH view (pci/eeh_event.h).
 */
#include "pci/eeh_event.h"

enum pci_eeh_action pci_eeh_report(struct pci_eeh *e, uint16_t type,
				   uint16_t sev, uint64_t pe, uint32_t own_pe)
{
	switch (type) {
	case PCI_EEH_T_NONE:
		return PCI_EEH_DONE;
	case PCI_EEH_T_IOC:
		e->dead = true;
		return PCI_EEH_DEAD;
	case PCI_EEH_T_PHB:
		if (sev == PCI_EEH_SEV_PHB_DEAD || sev == PCI_EEH_SEV_IOC_DEAD) {
			e->dead = true;
			return PCI_EEH_DEAD;
		}
		if (sev == PCI_EEH_SEV_PHB_FENCED) {
			e->fenced = true;
			return PCI_EEH_FENCED;
		}
		return PCI_EEH_INFO;
	case PCI_EEH_T_PE:
	case PCI_EEH_T_PE_MMIO:
	case PCI_EEH_T_PE_DMA:
		if (pe != own_pe) {
			return PCI_EEH_OTHER_PE;
		}
		e->freezes++;
		return PCI_EEH_FROZEN;
	default:
		return PCI_EEH_INFO;
	}
}

/* PAPR's slot state for OPAL's freeze state (Linux's mapping). */
uint32_t pci_eeh_state(uint8_t opal_state)
{
	switch (opal_state) {
	case 0:
		return PCI_EEH_SLOT_NORMAL;
	case 3:
		return PCI_EEH_SLOT_STOPPED;      /* MMIO and DMA */
	case 2:
		return PCI_EEH_SLOT_DMA_STOPPED;  /* MMIO still on */
	case 4:
		return PCI_EEH_SLOT_RESET;
	default:
		return PCI_EEH_SLOT_UNAVAILABLE;
	}
}

void pci_eeh_slot(const struct pci_eeh *e, uint8_t opal_state,
		  uint32_t *state, uint32_t *wait_ms)
{
	*wait_ms = PCI_EEH_WAIT_MS;
	if (e->dead) {
		*state = PCI_EEH_SLOT_UNAVAILABLE;
		*wait_ms = 0;
		return;
	}
	if (e->fenced) {
		*state = PCI_EEH_SLOT_UNAVAILABLE;
		return;
	}
	*state = pci_eeh_state(opal_state);
}

void pci_eeh_reset_done(struct pci_eeh *e)
{
	e->fenced = false;
}
