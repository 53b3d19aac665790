/*
 * Minimal EEH for a partition's PHBs: the six RTAS calls a pSeries guest
 * needs to turn EEH on and to recover a frozen device (the calls, codes
 * and layouts of QEMU 7.2 hw/ppc/spapr_pci.c for a VFIO PHB).  The whole
 * PHB is one PE, the partition's (pci/dma.c's GUEST_PE), so a freeze
 * touches only its owner: the state comes from OPAL_PCI_EEH_FREEZE_STATUS,
 * a thaw is OPAL_PCI_EEH_FREEZE_CLEAR, a slot reset is the hot reset of
 * the PHB's slot (synchronous: done before the guest reads the state
 * again), configure-pe has nothing left to do.  Error logs are not kept:
 * slot-error-detail answers "no errors found", as QEMU.
 */
#include "hv/abi/rtas.h"
#include "hv/lpar.h"
#include "pci/pci.h"
#include "pci/scan.h"
#include "platform-powernv/pci_host.h"
#include "rtas/rtas.h"

#define GUEST_PE 0 /* pci/dma.c's */
#define OPT_DISABLE 0
#define OPT_ENABLE 1
#define OPT_THAW_MMIO 2
#define OPT_THAW_DMA 3
#define PE_ADDR 0
#define PE_MODE 1
#define PE_MODE_SHARED 2
#define RESET_DEACTIVATE 0
#define RESET_HOT 1
#define RESET_FUNDAMENTAL 3
#define ERR_LOG_TEMP 1
#define ERR_LOG_PERM 2

/* The PHB of (buid hi, buid lo) in args 1 and 2, or -1. */
static int phb_of(struct rtas_call *c)
{
	uint64_t buid = ((uint64_t)c->args[1] << 32) | c->args[2];

	return pci_phb_by_buid(pci_lpar(c->vc->lpar), buid);
}

/* PAPR's slot state for OPAL's freeze state (Linux's mapping). */
uint32_t pci_eeh_state(uint8_t opal_state)
{
	switch (opal_state) {
	case 0:
		return 0; /* normal */
	case 3:
		return 2; /* MMIO and DMA stopped */
	case 2:
		return 4; /* DMA stopped, MMIO on */
	case 4:
		return 1; /* in reset */
	default:
		return 5; /* unavailable */
	}
}

/* (addr, buid hi, buid lo, option) -> (status) */
static void rtas_ibm_set_eeh_option(struct rtas_call *c)
{
	int i = c->nargs == 4 && c->nret == 1 ? phb_of(c) : -1;
	struct pci_lpar *s;

	if (i < 0) {
		rtas_status(c, RTAS_OUT_PARAM_ERROR);
		return;
	}
	s = pci_lpar(c->vc->lpar);
	switch (c->args[3]) {
	case OPT_DISABLE:
	case OPT_ENABLE:
		rtas_status(c, RTAS_OUT_SUCCESS);
		return;
	case OPT_THAW_MMIO:
	case OPT_THAW_DMA:
		rtas_status(c, pnv_pci_freeze_clear(s->host[i]->opal_id,
						    GUEST_PE) ?
				       RTAS_OUT_HW_ERROR : RTAS_OUT_SUCCESS);
		return;
	default:
		rtas_status(c, RTAS_OUT_PARAM_ERROR);
	}
}
RTAS_SERVICE(RTAS_IBM_SET_EEH_OPTION, "ibm,set-eeh-option",
	     rtas_ibm_set_eeh_option, 4, 1, HCALL_INTC_ANY,
	     "done (the PHB is one PE: a thaw clears its freeze)");

/* (addr, buid hi, buid lo, option) -> (status, value) */
static void rtas_ibm_get_config_addr_info2(struct rtas_call *c)
{
	int i = c->nargs == 4 && c->nret == 2 ? phb_of(c) : -1;
	const struct guest_dt_pci_func *f;
	struct pci_cfg_access acc;

	if (i < 0) {
		rtas_status(c, RTAS_OUT_PARAM_ERROR);
		return;
	}
	switch (c->args[3]) {
	case PE_ADDR:
		f = pci_cfg_decode(&pci_lpar(c->vc->lpar)->dt[i],
				   c->args[0] & 0x00ffff00u, 4, &acc);
		if (!f) {
			rtas_status(c, RTAS_OUT_PARAM_ERROR);
			return;
		}
		c->rets[1] = (f->bus << 16) + 1; /* QEMU's "00BB0001" */
		break;
	case PE_MODE:
		c->rets[1] = PE_MODE_SHARED;
		break;
	default:
		rtas_status(c, RTAS_OUT_PARAM_ERROR);
		return;
	}
	rtas_status(c, RTAS_OUT_SUCCESS);
}
RTAS_SERVICE(RTAS_IBM_GET_CONFIG_ADDR_INFO2, "ibm,get-config-addr-info2",
	     rtas_ibm_get_config_addr_info2, 4, 2, HCALL_INTC_ANY,
	     "done (QEMU's PE address 00BB0001, shared mode)");

/* (pe addr, buid hi, buid lo) -> (status, state, 1, 1000 [, 0]) */
static void rtas_ibm_read_slot_reset_state2(struct rtas_call *c)
{
	int i = c->nargs == 3 && (c->nret == 4 || c->nret == 5) ? phb_of(c) :
								   -1;
	uint8_t st = 0;

	if (i < 0) {
		rtas_status(c, RTAS_OUT_PARAM_ERROR);
		return;
	}
	if (pnv_pci_freeze_status(pci_lpar(c->vc->lpar)->host[i]->opal_id,
				  GUEST_PE, &st)) {
		rtas_status(c, RTAS_OUT_HW_ERROR);
		return;
	}
	rtas_status(c, RTAS_OUT_SUCCESS);
	c->rets[1] = pci_eeh_state(st);
	c->rets[2] = 1;    /* EEH supported */
	c->rets[3] = 1000; /* ms to wait when unavailable */
	if (c->nret == 5) {
		c->rets[4] = 0;
	}
}
RTAS_SERVICE(RTAS_IBM_READ_SLOT_RESET_STATE2, "ibm,read-slot-reset-state2",
	     rtas_ibm_read_slot_reset_state2, 3, RTAS_ANY, HCALL_INTC_ANY,
	     "done (OPAL_PCI_EEH_FREEZE_STATUS of the PHB's PE)");

/* (pe addr, buid hi, buid lo, option) -> (status) */
static void rtas_ibm_set_slot_reset(struct rtas_call *c)
{
	int i = c->nargs == 4 && c->nret == 1 ? phb_of(c) : -1;
	uint32_t took = 0;

	if (i < 0) {
		rtas_status(c, RTAS_OUT_PARAM_ERROR);
		return;
	}
	switch (c->args[3]) {
	case RESET_DEACTIVATE:
		rtas_status(c, RTAS_OUT_SUCCESS); /* the reset is over */
		return;
	case RESET_HOT:
	case RESET_FUNDAMENTAL:
		rtas_status(c, pnv_pci_hot_reset(
				       pci_lpar(c->vc->lpar)->host[i]->opal_id,
				       PCI_RESET_MAX_MS, &took) ?
				       RTAS_OUT_HW_ERROR : RTAS_OUT_SUCCESS);
		return;
	default:
		rtas_status(c, RTAS_OUT_PARAM_ERROR);
	}
}
RTAS_SERVICE(RTAS_IBM_SET_SLOT_RESET, "ibm,set-slot-reset",
	     rtas_ibm_set_slot_reset, 4, 1, HCALL_INTC_ANY,
	     "done (hot and fundamental: the PHB slot's hot reset, "
	     "synchronous)");

/* (pe addr, buid hi, buid lo) -> (status) */
static void rtas_ibm_configure_pe(struct rtas_call *c)
{
	rtas_status(c, c->nargs == 3 && c->nret == 1 && phb_of(c) >= 0 ?
			       RTAS_OUT_SUCCESS :
			       RTAS_OUT_PARAM_ERROR);
}
RTAS_SERVICE(RTAS_IBM_CONFIGURE_PE, "ibm,configure-pe", rtas_ibm_configure_pe,
	     3, 1, HCALL_INTC_ANY, "done (nothing to configure)");

/* 8 arguments (addr, buid hi, buid lo, ..., option) -> (status) */
static void rtas_ibm_slot_error_detail(struct rtas_call *c)
{
	if (c->nargs != 8 || c->nret != 1 || phb_of(c) < 0 ||
	    (c->args[7] != ERR_LOG_TEMP && c->args[7] != ERR_LOG_PERM)) {
		rtas_status(c, RTAS_OUT_PARAM_ERROR);
		return;
	}
	rtas_status(c, RTAS_OUT_NO_ERRORS_FOUND);
}
RTAS_SERVICE(RTAS_IBM_SLOT_ERROR_DETAIL, "ibm,slot-error-detail",
	     rtas_ibm_slot_error_detail, 8, 1, HCALL_INTC_ANY,
	     "done (no error log kept: 'no errors found', as QEMU)");
