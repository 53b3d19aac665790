/*
 * DMA for a partition's PHB: one PE takes every RID of the buses behind
 * the root port (OPAL_PCI_SET_PE per aligned block of buses), and each of
 * its two DMA windows (pci/window.h's slots: the default one at bus 0 and
 * one a guest may create with ibm,create-pe-dma-window, pci/ddw.c) is
 * translated by a one-level table lparvisor owns, through the PHB4's TVE
 * PE * 2 for bus addresses with bit 59 clear and PE * 2 + 1 for those with
 * it set.  The guest fills its own view of a window with H_PUT_TCE,
 * H_STUFF_TCE and H_PUT_TCE_INDIRECT on the window's LIOBN (vio/bus.c,
 * with mm/tce.c's checks: a TCE granting access must name an IO page of
 * the partition's memory); after each, the entries it may have written are
 * copied into the hardware table as host real pages (pci_tce_hw_entry())
 * and the PE's TCE cache is killed.  No bypass window is ever set: the
 * device reaches only pages the guest mapped (and QEMU 7.2's PHB4 would not
 * bound a bypass window at all).  PE 0: on PHB4 the 32-bit MMIO segments
 * default to PE 0 (skiboot's MDT column A), and it is neither the
 * reserved PE nor Linux's root-bus PE (reserved - 1).
 */
#include "hv/console.h"
#include "hv/cpu.h"
#include "hv/lpar.h"
#include "mm/mem.h"
#include "pci/pci.h"
#include "pci/scan.h"
#include "platform-powernv/pci_host.h"

#define GUEST_PE 0

static void mirror(struct pci_dma_win *w, const struct gmem *g,
		   uint64_t first, uint64_t count)
{
	uint32_t shift = tce_page_shift(&w->tce);

	for (uint64_t i = first; i < first + count && i < w->tce.entries;
	     i++) {
		w->hw[i] = pci_tce_hw_entry(g, w->tce.table[i], shift);
	}
	sync();
	if (w->mapped) {
		pnv_pci_tce_kill_pe(w->dma->opal_id, w->dma->pe);
	}
}

/* Under the PHB's lock, from the TCE hcalls. */
static void tces_changed(struct lpar *l, struct lpar_dma_window *lw,
			 uint64_t first, uint64_t count)
{
	struct pci_dma_win *w = (struct pci_dma_win *)((char *)lw -
					offsetof(struct pci_dma_win, win));

	mirror(w, &l->mem, first, count);
}

void pci_dma_slots(const struct pci_dma *d, struct pci_dma_slots *s)
{
	for (uint32_t k = 0; k < PCI_DMA_SLOTS; k++) {
		s->active[k] = d->slot[k].tce.entries != 0;
		s->start[k] = d->slot[k].tce.bus_offset;
	}
}

static void free_tables(struct pci_dma_win *w)
{
	if (w->hw) {
		mem_pages_free((uint64_t)(uintptr_t)w->hw, w->hw_bytes);
	}
	if (w->tce.table) {
		mem_pages_free((uint64_t)(uintptr_t)w->tce.table,
			       w->shadow_bytes);
	}
	w->hw = NULL;
	w->tce.table = NULL;
	w->hw_bytes = w->shadow_bytes = 0;
}

void pci_dma_win_close(struct pci_dma *d, uint32_t k)
{
	struct pci_dma_win *w = &d->slot[k];

	/* First dead to the hcalls (they check entries under the lock). */
	w->tce.entries = 0;
	if (w->mapped) {
		pnv_pci_map_dma_window(d->opal_id, d->pe, w->tve, 0, 0, 0);
		pnv_pci_tce_kill_pe(d->opal_id, d->pe);
		w->mapped = false;
	}
	free_tables(w);
	w->tce.bus_offset = 0;
	w->tce.page_shift = 0;
}

int64_t pci_dma_win_open(struct pci_dma *d, uint32_t k, uint32_t page_shift,
			 uint32_t entries, uint64_t start)
{
	struct pci_dma_win *w = &d->slot[k];
	uint64_t hw, shadow;
	int64_t rc;

	w->hw_bytes = pci_ddw_table_bytes(entries);
	w->shadow_bytes = ALIGN_UP((uint64_t)entries * 8, SZ_64K);
	/* The PHB's walker ORs the index into the base: align to the size. */
	hw = mem_pages_alloc(w->hw_bytes, w->hw_bytes, false, 0);
	shadow = mem_pages_alloc(w->shadow_bytes, SZ_64K, false, 0);
	w->hw = (be64 *)(uintptr_t)hw;
	w->tce.table = (uint64_t *)(uintptr_t)shadow;
	if (!hw || !shadow) {
		free_tables(w);
		return -1;
	}
	mem_zero(w->hw, w->hw_bytes);
	mem_zero(w->tce.table, w->shadow_bytes);
	w->tce.bus_offset = start;
	w->tce.page_shift = page_shift;
	w->tve = pci_ddw_tve(d->pe, start);
	rc = pnv_pci_map_dma_window(d->opal_id, d->pe, w->tve, hw, w->hw_bytes,
				    1ull << page_shift);
	if (rc) {
		free_tables(w);
		return rc;
	}
	w->mapped = true;
	pnv_pci_tce_kill_pe(d->opal_id, d->pe);
	sync();
	w->tce.entries = entries; /* last: now the hcalls may use it */
	return 0;
}

static bool fail(struct lpar *l, uint32_t i, const char *what, int64_t rc)
{
	hv_printf("lparvisor: partition \"%s\": PHB %u:%u: %s failed (OPAL "
		  "%lld)\n", l->cfg.name, l->cfg.phbs[i].chip,
		  l->cfg.phbs[i].index, what, (long long)rc);
	pci_dma_destroy(l, i);
	return false;
}

static int64_t open_default(struct pci_dma *d)
{
	return pci_dma_win_open(d, 0, TCE_PAGE_SHIFT,
				(uint32_t)(LAYOUT_PHB_DMA_WIN_SIZE >>
					   TCE_PAGE_SHIFT), 0);
}

static void no_table_memory(struct lpar *l, uint32_t i)
{
	hv_printf("lparvisor: partition \"%s\": no memory for the TCE tables "
		  "of PHB %u:%u\n", l->cfg.name, l->cfg.phbs[i].chip,
		  l->cfg.phbs[i].index);
}

bool pci_dma_create(struct lpar *l, uint32_t i)
{
	struct pci_lpar *s = pci_lpar(l);
	struct pci_dma *d = &s->dma[i];
	const struct guest_dt_phb *dt = &s->dt[i];
	uint32_t bus[PCI_PE_BLOCKS_MAX], bits[PCI_PE_BLOCKS_MAX], n;
	int64_t rc;

	memset(d, 0, sizeof(*d));
	d->opal_id = s->host[i]->opal_id;
	d->pe = GUEST_PE;
	for (uint32_t k = 0; k < PCI_DMA_SLOTS; k++) {
		struct pci_dma_win *w = &d->slot[k];

		w->dma = d;
		w->tce.liobn = dt->liobn + k; /* QEMU's SPAPR_PCI_LIOBN(n, k) */
		w->win.tce = &w->tce;
		w->win.lock = &d->lock;
		w->win.changed = tces_changed;
	}
	if (s->host[i]->num_pes && d->pe >= s->host[i]->reserved_pe) {
		return fail(l, i, "choosing a PE", -1);
	}
	n = pci_pe_bus_blocks(dt->bus_first, dt->bus_last, bus, bits);
	for (uint32_t k = 0; k < n; k++) {
		rc = pnv_pci_set_pe(d->opal_id, d->pe, bus[k] << 8, bits[k],
				    true);
		if (rc) {
			return fail(l, i, "OPAL_PCI_SET_PE", rc);
		}
	}
	rc = pnv_pci_set_peltv(d->opal_id, d->pe, d->pe, true);
	if (rc) {
		return fail(l, i, "OPAL_PCI_SET_PELTV", rc);
	}
	pnv_pci_freeze_clear(d->opal_id, d->pe);
	rc = open_default(d);
	if (rc == -1) {
		no_table_memory(l, i);
		pci_dma_destroy(l, i);
		return false;
	}
	if (rc) {
		return fail(l, i, "OPAL_PCI_MAP_PE_DMA_WINDOW", rc);
	}
	return true;
}

bool pci_dma_reset_windows(struct lpar *l, uint32_t i)
{
	struct pci_dma *d = &pci_lpar(l)->dma[i];
	struct pci_dma_win *w0 = &d->slot[0];
	bool is_default;
	int64_t rc = 0;

	spin_lock(&d->lock);
	if (d->slot[1].tce.entries) {
		pci_dma_win_close(d, 1);
	}
	is_default = w0->tce.entries ==
			     LAYOUT_PHB_DMA_WIN_SIZE >> TCE_PAGE_SHIFT &&
		     tce_page_shift(&w0->tce) == TCE_PAGE_SHIFT &&
		     w0->tce.bus_offset == 0;
	if (is_default) {
		tce_clear(&w0->tce);
		mirror(w0, &l->mem, 0, w0->tce.entries);
	} else {
		if (w0->tce.entries) {
			pci_dma_win_close(d, 0);
		}
		rc = open_default(d);
	}
	spin_unlock(&d->lock);
	if (rc == -1) {
		no_table_memory(l, i);
	} else if (rc) {
		hv_printf("lparvisor: partition \"%s\": PHB %u:%u: default DMA "
			  "window: OPAL_PCI_MAP_PE_DMA_WINDOW failed (OPAL "
			  "%lld)\n", l->cfg.name, l->cfg.phbs[i].chip,
			  l->cfg.phbs[i].index, (long long)rc);
	}
	return rc == 0;
}

void pci_dma_destroy(struct lpar *l, uint32_t i)
{
	struct pci_dma *d = &pci_lpar(l)->dma[i];

	for (uint32_t k = 0; k < PCI_DMA_SLOTS; k++) {
		pci_dma_win_close(d, k);
	}
}

struct lpar_dma_window *pci_dma_window(struct lpar *l, uint64_t liobn)
{
	struct pci_lpar *s = pci_lpar(l);

	for (uint32_t i = 0; i < s->count && i < CONFIG_MAX_PHBS; i++) {
		for (uint32_t k = 0; k < PCI_DMA_SLOTS; k++) {
			struct pci_dma_win *w = &s->dma[i].slot[k];

			/* A slot's LIOBN never changes; a free slot is
			 * refused by the TCE calls (no entries). */
			if (w->win.tce && w->tce.liobn == liobn) {
				return &w->win;
			}
		}
	}
	return NULL;
}
