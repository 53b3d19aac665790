/*
 * Tests for pci/eeh_event.c: OPAL_PCI_NEXT_ERROR reports taken into a
 * PHB owner's EEH view, and the slot state ibm,read-slot-reset-state2
 * answers from it and the PE's freeze state.  Negative cases first.
 */
#include "pci/eeh_event.h"
#include "tests/unit/test.h"

#define OWN_PE 0

TEST(pci_eeh, nothing_and_unknown_reports_change_nothing)
{
	struct pci_eeh e = { 0 };

	CHECK_EQ(pci_eeh_report(&e, PCI_EEH_T_NONE, PCI_EEH_SEV_NONE, 0,
				OWN_PE), PCI_EEH_DONE);
	CHECK_EQ(pci_eeh_report(&e, 77, 9, 0, OWN_PE), PCI_EEH_INFO);
	CHECK_EQ(pci_eeh_report(&e, PCI_EEH_T_PHB, PCI_EEH_SEV_INF, 0,
				OWN_PE), PCI_EEH_INFO);
	CHECK_EQ(pci_eeh_report(&e, PCI_EEH_T_PHB, 42, 0, OWN_PE),
		 PCI_EEH_INFO);
	CHECK(!e.fenced && !e.dead && e.freezes == 0);
}

TEST(pci_eeh, another_pes_freeze_is_not_the_owners)
{
	struct pci_eeh e = { 0 };

	CHECK_EQ(pci_eeh_report(&e, PCI_EEH_T_PE, PCI_EEH_SEV_PE_ER, 5,
				OWN_PE), PCI_EEH_OTHER_PE);
	CHECK_EQ(pci_eeh_report(&e, PCI_EEH_T_PE_DMA, PCI_EEH_SEV_PE_ER,
				1ull << 40, OWN_PE), PCI_EEH_OTHER_PE);
	CHECK_EQ(e.freezes, 0);
}

TEST(pci_eeh, the_owners_pe_frozen_shows_through_the_freeze_state)
{
	struct pci_eeh e = { 0 };
	uint32_t state = 99, wait = 99;

	CHECK_EQ(pci_eeh_report(&e, PCI_EEH_T_PE, PCI_EEH_SEV_PE_ER, OWN_PE,
				OWN_PE), PCI_EEH_FROZEN);
	CHECK_EQ(pci_eeh_report(&e, PCI_EEH_T_PE_MMIO, PCI_EEH_SEV_PE_ER,
				OWN_PE, OWN_PE), PCI_EEH_FROZEN);
	CHECK_EQ(e.freezes, 2);
	CHECK(!e.fenced && !e.dead);
	/* OPAL's freeze states, as Linux's powernv EEH maps them. */
	pci_eeh_slot(&e, 3, &state, &wait);
	CHECK_EQ(state, PCI_EEH_SLOT_STOPPED);
	CHECK_EQ(wait, PCI_EEH_WAIT_MS);
	pci_eeh_slot(&e, 2, &state, &wait);
	CHECK_EQ(state, PCI_EEH_SLOT_DMA_STOPPED);
	pci_eeh_slot(&e, 1, &state, &wait);
	CHECK_EQ(state, PCI_EEH_SLOT_UNAVAILABLE); /* MMIO alone: none */
	pci_eeh_slot(&e, 4, &state, &wait);
	CHECK_EQ(state, PCI_EEH_SLOT_RESET);
	pci_eeh_slot(&e, 6, &state, &wait);
	CHECK_EQ(state, PCI_EEH_SLOT_UNAVAILABLE);
	pci_eeh_slot(&e, 0, &state, &wait); /* thawed */
	CHECK_EQ(state, PCI_EEH_SLOT_NORMAL);
}

TEST(pci_eeh, a_fenced_phb_is_unavailable_until_a_slot_reset)
{
	struct pci_eeh e = { 0 };
	uint32_t state = 99, wait = 99;

	CHECK_EQ(pci_eeh_report(&e, PCI_EEH_T_PHB, PCI_EEH_SEV_PHB_FENCED, 0,
				OWN_PE), PCI_EEH_FENCED);
	CHECK(e.fenced && !e.dead);
	/* Whatever FREEZE_STATUS says of the PE. */
	pci_eeh_slot(&e, 0, &state, &wait);
	CHECK_EQ(state, PCI_EEH_SLOT_UNAVAILABLE);
	CHECK_EQ(wait, PCI_EEH_WAIT_MS);
	pci_eeh_reset_done(&e);
	pci_eeh_slot(&e, 0, &state, &wait);
	CHECK_EQ(state, PCI_EEH_SLOT_NORMAL);
}

TEST(pci_eeh, a_dead_phb_or_ioc_is_unavailable_for_good)
{
	struct pci_eeh e = { 0 }, f = { 0 }, g = { 0 };
	uint32_t state = 99, wait = 99;

	CHECK_EQ(pci_eeh_report(&e, PCI_EEH_T_PHB, PCI_EEH_SEV_PHB_DEAD, 0,
				OWN_PE), PCI_EEH_DEAD);
	CHECK_EQ(pci_eeh_report(&f, PCI_EEH_T_IOC, PCI_EEH_SEV_IOC_DEAD, 0,
				OWN_PE), PCI_EEH_DEAD);
	CHECK_EQ(pci_eeh_report(&g, PCI_EEH_T_PHB, PCI_EEH_SEV_IOC_DEAD, 0,
				OWN_PE), PCI_EEH_DEAD);
	CHECK(e.dead && f.dead && g.dead);
	pci_eeh_slot(&e, 0, &state, &wait);
	CHECK_EQ(state, PCI_EEH_SLOT_UNAVAILABLE);
	CHECK_EQ(wait, 0); /* Linux's pseries EEH: permanently gone */
	/* A fence after death, then a reset: still dead. */
	CHECK_EQ(pci_eeh_report(&e, PCI_EEH_T_PHB, PCI_EEH_SEV_PHB_FENCED, 0,
				OWN_PE), PCI_EEH_FENCED);
	pci_eeh_reset_done(&e);
	pci_eeh_slot(&e, 0, &state, &wait);
	CHECK_EQ(state, PCI_EEH_SLOT_UNAVAILABLE);
	CHECK_EQ(wait, 0);
}
