/*
 * Dynamic DMA windows: ibm,query-pe-dma-window, ibm,create-pe-dma-window,
 * ibm,remove-pe-dma-window and ibm,reset-pe-dma-window on a partition's
 * PHBs, with QEMU 7.2's arguments, outputs and status codes
 * (hw/ppc/spapr_rtas_ddw.c; the tree properties are in hv/guest_dt.c
 * dt_phb()).  The whole PHB is one PE, so the config address argument
 * names nothing more than the BUID does and, as in QEMU, is not used.
 * What differs from QEMU: the page sizes offered are those the host PHB4
 * and the partition's memory block allow (pci/window.h), the largest
 * window is sized to the partition's memory rather than 2^31 TCEs (query
 * says so), and a window asking for more is refused with -3.
 * A created window is backed by a TCE table of lparvisor's mapped into
 * the host PHB4's TVE for its half of the bus space (pci/dma.c): Linux
 * fills it with H_PUT_TCE_INDIRECT and each entry is checked like any
 * other TCE of the partition.
 */
#include "hv/abi/rtas.h"
#include "hv/console.h"
#include "hv/lpar.h"
#include "pci/pci.h"
#include "rtas/rtas.h"

/* The PHB of (buid hi, buid lo) in args 1 and 2, or -1. */
static int phb_of(struct rtas_call *c)
{
	uint64_t buid = ((uint64_t)c->args[1] << 32) | c->args[2];

	return pci_phb_by_buid(pci_lpar(c->vc->lpar), buid);
}

/* (addr, buid hi, buid lo) -> (status, windows available, largest block
 * [hi, lo when 6 outputs], page sizes, migration 0) */
static void rtas_ibm_query_pe_dma_window(struct rtas_call *c)
{
	struct lpar *l = c->vc->lpar;
	struct pci_dma_slots slots;
	struct pci_dma *d;
	uint64_t largest;
	uint32_t n = 1;
	int i;

	if (c->nargs != 3 || (c->nret != 5 && c->nret != 6) ||
	    (i = phb_of(c)) < 0) {
		rtas_status(c, RTAS_OUT_PARAM_ERROR);
		return;
	}
	d = &pci_lpar(l)->dma[i];
	spin_lock(&d->lock);
	pci_dma_slots(d, &slots);
	spin_unlock(&d->lock);
	largest = pci_ddw_max_entries(&l->mem);
	rtas_status(c, RTAS_OUT_SUCCESS);
	c->rets[n++] = pci_ddw_available(&slots);
	if (c->nret == 6) {
		c->rets[n++] = (uint32_t)(largest >> 32);
	}
	c->rets[n++] = (uint32_t)largest;
	c->rets[n++] = pci_ddw_page_mask(&l->mem);
	c->rets[n] = 0; /* no DMA migration */
}
RTAS_SERVICE(RTAS_IBM_QUERY_PE_DMA_WINDOW, "ibm,query-pe-dma-window",
	     rtas_ibm_query_pe_dma_window, RTAS_ANY, RTAS_ANY,
	     HCALL_INTC_ANY,
	     "done (5 or 6 outputs; page sizes the PHB4 and the partition's "
	     "memory allow; largest window = its memory in 4 KiB pages)");

/* (addr, buid hi, buid lo, page shift, window shift) -> (status, liobn,
 * bus start hi, lo) */
static void rtas_ibm_create_pe_dma_window(struct rtas_call *c)
{
	struct lpar *l = c->vc->lpar;
	struct pci_dma_slots slots;
	struct pci_dma *d;
	uint32_t entries, slot;
	uint64_t start;
	int64_t rc;
	int i = phb_of(c);

	if (i < 0 || !pci_ddw_check_create(&l->mem, c->args[3], c->args[4],
					   &entries)) {
		rtas_status(c, RTAS_OUT_PARAM_ERROR);
		return;
	}
	d = &pci_lpar(l)->dma[i];
	spin_lock(&d->lock);
	pci_dma_slots(d, &slots);
	if (!pci_ddw_place(&slots, &slot, &start)) {
		spin_unlock(&d->lock);
		rtas_status(c, RTAS_OUT_HW_ERROR);
		return;
	}
	rc = pci_dma_win_open(d, slot, c->args[3], entries, start);
	spin_unlock(&d->lock);
	if (rc) {
		hv_printf("lparvisor: partition \"%s\": PHB %u:%u: DMA window "
			  "of %u TCEs not created (%s %lld)\n", l->cfg.name,
			  l->cfg.phbs[i].chip, l->cfg.phbs[i].index, entries,
			  rc == -1 ? "no memory," : "OPAL", (long long)rc);
		rtas_status(c, RTAS_OUT_HW_ERROR);
		return;
	}
	hv_printf("lparvisor: partition \"%s\": PHB %u:%u: DMA window LIOBN "
		  "0x%x at 0x%llx: %u TCEs of %u KiB\n", l->cfg.name,
		  l->cfg.phbs[i].chip, l->cfg.phbs[i].index,
		  d->slot[slot].tce.liobn, (unsigned long long)start, entries,
		  (1u << c->args[3]) >> 10);
	rtas_status(c, RTAS_OUT_SUCCESS);
	c->rets[1] = d->slot[slot].tce.liobn;
	c->rets[2] = (uint32_t)(start >> 32);
	c->rets[3] = (uint32_t)start;
}
RTAS_SERVICE(RTAS_IBM_CREATE_PE_DMA_WINDOW, "ibm,create-pe-dma-window",
	     rtas_ibm_create_pe_dma_window, 5, 4, HCALL_INTC_ANY,
	     "done (a TCE table of lparvisor's in the host PHB4's TVE of the "
	     "window's half of the bus space; -3 bad page or window size, "
	     "-1 no slot or memory)");

/* (liobn) -> (status) */
static void rtas_ibm_remove_pe_dma_window(struct rtas_call *c)
{
	struct pci_lpar *s = pci_lpar(c->vc->lpar);

	for (uint32_t i = 0; i < s->count && i < CONFIG_MAX_PHBS; i++) {
		struct pci_dma *d = &s->dma[i];

		for (uint32_t k = 0; k < PCI_DMA_SLOTS; k++) {
			if (d->slot[k].tce.liobn != c->args[0]) {
				continue;
			}
			spin_lock(&d->lock);
			if (!d->slot[k].tce.entries) {
				spin_unlock(&d->lock);
				rtas_status(c, RTAS_OUT_PARAM_ERROR);
				return;
			}
			pci_dma_win_close(d, k);
			spin_unlock(&d->lock);
			rtas_status(c, RTAS_OUT_SUCCESS);
			return;
		}
	}
	rtas_status(c, RTAS_OUT_PARAM_ERROR);
}
RTAS_SERVICE(RTAS_IBM_REMOVE_PE_DMA_WINDOW, "ibm,remove-pe-dma-window",
	     rtas_ibm_remove_pe_dma_window, 1, 1, HCALL_INTC_ANY,
	     "done (either window, the default one too; -3 unknown or free "
	     "LIOBN)");

/* (addr, buid hi, buid lo) -> (status) */
static void rtas_ibm_reset_pe_dma_window(struct rtas_call *c)
{
	int i = phb_of(c);

	if (i < 0) {
		rtas_status(c, RTAS_OUT_PARAM_ERROR);
		return;
	}
	rtas_status(c, pci_dma_reset_windows(c->vc->lpar, (uint32_t)i) ?
			       RTAS_OUT_SUCCESS : RTAS_OUT_HW_ERROR);
}
RTAS_SERVICE(RTAS_IBM_RESET_PE_DMA_WINDOW, "ibm,reset-pe-dma-window",
	     rtas_ibm_reset_pe_dma_window, 3, 1, HCALL_INTC_ANY,
	     "done (created windows removed, the default one back, empty)");
