/*
 * PCI error reports turned into a partition's EEH view (pure, host-tested).
 * skiboot signals a PHB error with OPAL_EVENT_PCI_ERROR; each
 * OPAL_PCI_NEXT_ERROR then reports one thing (skiboot core/pci-opal.c
 * opal_pci_next_error, hw/phb4.c phb4_eeh_next_error): nothing left, an
 * informational PHB error, a frozen PE (the lowest-numbered), a fenced
 * PHB, or a dead PHB or IOC.  The owner of the PHB keeps what it learnt
 * in a struct pci_eeh, which ibm,read-slot-reset-state2 combines with the
 * PE's freeze state.
 */
#ifndef PCI_EEH_EVENT_H
#define PCI_EEH_EVENT_H

#include "hv/lib/types.h"

/* OPAL_PCI_NEXT_ERROR's error types and severities (skiboot
 * include/opal-api.h OpalPciErrorType, OpalPciErrorSeverity). */
#define PCI_EEH_T_NONE 0
#define PCI_EEH_T_IOC 1
#define PCI_EEH_T_PHB 2
#define PCI_EEH_T_PE 3
#define PCI_EEH_T_PE_MMIO 4
#define PCI_EEH_T_PE_DMA 5
#define PCI_EEH_SEV_NONE 0
#define PCI_EEH_SEV_IOC_DEAD 1
#define PCI_EEH_SEV_PHB_DEAD 2
#define PCI_EEH_SEV_PHB_FENCED 3
#define PCI_EEH_SEV_PE_ER 4
#define PCI_EEH_SEV_INF 5

/* The PAPR slot states of ibm,read-slot-reset-state2. */
#define PCI_EEH_SLOT_NORMAL 0
#define PCI_EEH_SLOT_RESET 1
#define PCI_EEH_SLOT_STOPPED 2
#define PCI_EEH_SLOT_DMA_STOPPED 4
#define PCI_EEH_SLOT_UNAVAILABLE 5
#define PCI_EEH_WAIT_MS 1000  /* wait suggested while unavailable */

enum pci_eeh_action {
	PCI_EEH_DONE,       /* nothing (more) to report */
	PCI_EEH_INFO,       /* informational: nothing stopped */
	PCI_EEH_FROZEN,     /* the owner's PE froze */
	PCI_EEH_OTHER_PE,   /* a PE that is not the owner's froze */
	PCI_EEH_FENCED,     /* the PHB is fenced: unavailable until reset */
	PCI_EEH_DEAD,       /* the PHB (or its IOC) is dead for good */
};

struct pci_eeh {
	uint32_t freezes;   /* frozen-PE reports for the owner's PE */
	bool fenced;
	bool dead;
};

/**
 * Take one OPAL_PCI_NEXT_ERROR report (`type`, `sev`, `pe` the first
 * frozen PE) for a PHB whose owner has PE `own_pe`: record it in `e` and
 * say what it was.  Unknown types and severities are informational.
 */
enum pci_eeh_action pci_eeh_report(struct pci_eeh *e, uint16_t type,
				   uint16_t sev, uint64_t pe, uint32_t own_pe);

/** PAPR slot state of an OPAL freeze state (Linux's powernv mapping). */
uint32_t pci_eeh_state(uint8_t opal_state);

/**
 * The slot state and wait time ibm,read-slot-reset-state2 answers: a dead
 * PHB is unavailable with no wait (Linux's pseries EEH then gives the
 * device up), a fenced one unavailable for PCI_EEH_WAIT_MS (until a slot
 * reset), otherwise the PE's OPAL freeze state `opal_state` mapped as
 * Linux's powernv EEH does (0 normal, 3 stopped, 2 DMA stopped, 4 in
 * reset, anything else unavailable).
 */
void pci_eeh_slot(const struct pci_eeh *e, uint8_t opal_state,
		  uint32_t *state, uint32_t *wait_ms);

/** A slot reset succeeded: the fence is gone (a dead PHB stays dead). */
void pci_eeh_reset_done(struct pci_eeh *e);

#endif /* PCI_EEH_EVENT_H */
