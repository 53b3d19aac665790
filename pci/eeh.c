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
 *
 * OPAL's PCI error events: when the heartbeat's OPAL_POLL_EVENTS shows
 * OPAL_EVENT_PCI_ERROR, each partition's poll takes its PHBs' reports
 * (OPAL_PCI_NEXT_ERROR until none is left, which also lets skiboot
 * unmask the PHB's error interrupts again) into its struct pci_eeh
 * (pci/eeh_event.h) and says so on the console: a frozen PE shows in
 * ibm,read-slot-reset-state2 through the freeze state anyway, a fenced
 * PHB as unavailable until a slot reset, a dead one as unavailable for
 * good.  Only the owner's PHBs are asked: a PHB no partition owns keeps
 * its report (and OPAL its event) for the host.
 */
#include "hv/abi/rtas.h"
#include "hv/lpar.h"
#include "pci/pci.h"
#include "pci/scan.h"
#include "platform-powernv/pci_host.h"
#include "hv/console.h"
#include "hv/cpu.h"
#include "hv/hv.h"
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
	uint32_t state, wait;
	struct pci_lpar *s;
	struct pci_eeh e;
	uint8_t st = 0;

	if (i < 0) {
		rtas_status(c, RTAS_OUT_PARAM_ERROR);
		return;
	}
	s = pci_lpar(c->vc->lpar);
	spin_lock(&s->eeh_lock);
	e = s->eeh[i];
	spin_unlock(&s->eeh_lock);
	/* A fenced or dead PHB answers FREEZE_STATUS with an error. */
	if (pnv_pci_freeze_status(s->host[i]->opal_id, GUEST_PE, &st) &&
	    !e.fenced && !e.dead) {
		rtas_status(c, RTAS_OUT_HW_ERROR);
		return;
	}
	pci_eeh_slot(&e, st, &state, &wait);
	rtas_status(c, RTAS_OUT_SUCCESS);
	c->rets[1] = state;
	c->rets[2] = 1;    /* EEH supported */
	c->rets[3] = wait; /* ms to wait when unavailable (0: for good) */
	if (c->nret == 5) {
		c->rets[4] = 0;
	}
}
RTAS_SERVICE(RTAS_IBM_READ_SLOT_RESET_STATE2, "ibm,read-slot-reset-state2",
	     rtas_ibm_read_slot_reset_state2, 3, RTAS_ANY, HCALL_INTC_ANY,
	     "done (OPAL_PCI_EEH_FREEZE_STATUS of the PHB's PE; fenced or "
	     "dead PHBs, from OPAL's PCI error events, unavailable)");

/* (pe addr, buid hi, buid lo, option) -> (status) */
static void rtas_ibm_set_slot_reset(struct rtas_call *c)
{
	int i = c->nargs == 4 && c->nret == 1 ? phb_of(c) : -1;
	struct pci_lpar *s;
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
		s = pci_lpar(c->vc->lpar);
		if (pnv_pci_hot_reset(s->host[i]->opal_id, PCI_RESET_MAX_MS,
				      &took)) {
			rtas_status(c, RTAS_OUT_HW_ERROR);
			return;
		}
		spin_lock(&s->eeh_lock);
		pci_eeh_reset_done(&s->eeh[i]);
		spin_unlock(&s->eeh_lock);
		rtas_status(c, RTAS_OUT_SUCCESS);
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

/* At most this many reports per PHB and poll, and a walk per interval:
 * a PHB no partition owns keeps OPAL's event set. */
#define EEH_REPORTS_MAX 8
#define EEH_WALK_MS 100

void pci_eeh_poll(struct lpar *l)
{
	struct pci_lpar *s = pci_lpar(l);
	uint64_t now = mftb();

	if (!s->count || !pnv_pci_error_pending() ||
	    now - s->eeh_walk_tb < ms_to_tb(EEH_WALK_MS)) {
		return;
	}
	s->eeh_walk_tb = now;
	for (uint32_t i = 0; i < s->count && i < CONFIG_MAX_PHBS; i++) {
		for (uint32_t k = 0; k < EEH_REPORTS_MAX; k++) {
			enum pci_eeh_action act;
			uint16_t type = 0, sev = 0;
			uint64_t pe = 0;

			if (pnv_pci_next_error(s->host[i]->opal_id, &pe, &type,
					       &sev)) {
				break;
			}
			spin_lock(&s->eeh_lock);
			act = pci_eeh_report(&s->eeh[i], type, sev, pe,
					     GUEST_PE);
			spin_unlock(&s->eeh_lock);
			if (act == PCI_EEH_DONE) {
				break;
			}
			hv_printf("lparvisor: partition \"%s\": PHB %u:%u: "
				  "PCI error (type %u, severity %u, PE %llu): "
				  "%s\n", l->cfg.name, l->cfg.phbs[i].chip,
				  l->cfg.phbs[i].index, type, sev,
				  (unsigned long long)pe,
				  act == PCI_EEH_FROZEN ? "its PE is frozen" :
				  act == PCI_EEH_FENCED ? "fenced until a slot reset" :
				  act == PCI_EEH_DEAD ? "dead" :
				  act == PCI_EEH_OTHER_PE ? "another PE" :
				  "informational");
		}
	}
}
