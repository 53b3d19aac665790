/*
 * DMA for a partition's PHB: one PE takes every RID of the buses behind
 * the root port (OPAL_PCI_SET_PE per aligned block of buses), and its
 * first DMA window (bus addresses 0 up, bit 59 clear) is translated by a
 * one-level table lparvisor owns.  The guest fills its own view of that
 * window with H_PUT_TCE, H_STUFF_TCE and H_PUT_TCE_INDIRECT on the PHB's
 * LIOBN (vio/bus.c, with mm/tce.c's checks: a TCE granting access must
 * name a page of the partition's memory); after each, the entries it may
 * have written are copied into the hardware table as host real pages
 * (pci_tce_hw_entry()) and the PE's TCE cache is killed.  No bypass
 * window is ever set: the device reaches only pages the guest mapped.
 * PE 0: on PHB4 the 32-bit MMIO segments default to PE 0 (skiboot's
 * MDT column A), and it is neither the reserved PE nor Linux's root-bus
 * PE (reserved - 1).
 */
#include "hv/console.h"
#include "hv/cpu.h"
#include "hv/lpar.h"
#include "mm/mem.h"
#include "pci/pci.h"
#include "pci/scan.h"
#include "platform-powernv/pci_host.h"

#define GUEST_PE 0

static void mirror(struct pci_dma *d, const struct gmem *g, uint64_t first,
		   uint64_t count)
{
	for (uint64_t i = first; i < first + count && i < d->tce.entries; i++) {
		d->hw[i] = pci_tce_hw_entry(g, d->tce.table[i]);
	}
	sync();
	if (d->mapped) {
		pnv_pci_tce_kill_pe(d->opal_id, d->pe);
	}
}

/* Under d->lock, from the TCE hcalls. */
static void tces_changed(struct lpar *l, struct lpar_dma_window *w,
			 uint64_t first, uint64_t count)
{
	struct pci_dma *d = (struct pci_dma *)((char *)w -
					       offsetof(struct pci_dma, win));

	mirror(d, &l->mem, first, count);
}

static void free_tables(struct pci_dma *d)
{
	if (d->hw) {
		mem_pages_free((uint64_t)(uintptr_t)d->hw, d->bytes);
	}
	if (d->tce.table) {
		mem_pages_free((uint64_t)(uintptr_t)d->tce.table, d->bytes);
	}
	d->hw = NULL;
	d->tce.table = NULL;
	d->tce.entries = 0;
}

static bool fail(struct lpar *l, uint32_t i, const char *what, int64_t rc)
{
	hv_printf("lparvisor: partition \"%s\": PHB %u:%u: %s failed (OPAL "
		  "%lld)\n", l->cfg.name, l->cfg.phbs[i].chip,
		  l->cfg.phbs[i].index, what, (long long)rc);
	pci_dma_destroy(l, i);
	return false;
}

bool pci_dma_create(struct lpar *l, uint32_t i)
{
	struct pci_lpar *s = pci_lpar(l);
	struct pci_dma *d = &s->dma[i];
	const struct guest_dt_phb *dt = &s->dt[i];
	uint32_t bus[PCI_PE_BLOCKS_MAX], bits[PCI_PE_BLOCKS_MAX], n;
	uint64_t hw, shadow;
	int64_t rc;

	memset(d, 0, sizeof(*d));
	d->opal_id = s->host[i]->opal_id;
	d->pe = GUEST_PE;
	d->bytes = (LAYOUT_PHB_DMA_WIN_SIZE >> TCE_PAGE_SHIFT) * 8;
	if (s->host[i]->num_pes && d->pe >= s->host[i]->reserved_pe) {
		return fail(l, i, "choosing a PE", -1);
	}
	/* The PHB's walker ORs the index into the base: align to the size. */
	hw = mem_pages_alloc(d->bytes, d->bytes, false, 0);
	shadow = mem_pages_alloc(d->bytes, SZ_64K, false, 0);
	d->hw = (be64 *)(uintptr_t)hw;
	d->tce.table = (uint64_t *)(uintptr_t)shadow;
	if (!hw || !shadow) {
		hv_printf("lparvisor: partition \"%s\": no memory for the TCE "
			  "tables of PHB %u:%u\n", l->cfg.name,
			  l->cfg.phbs[i].chip, l->cfg.phbs[i].index);
		pci_dma_destroy(l, i);
		return false;
	}
	mem_zero(d->hw, d->bytes);
	mem_zero(d->tce.table, d->bytes);
	d->tce.liobn = dt->liobn;
	d->tce.entries = (uint32_t)(d->bytes / 8);
	d->tce.bus_offset = 0;
	d->win.tce = &d->tce;
	d->win.lock = &d->lock;
	d->win.changed = tces_changed;
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
	rc = pnv_pci_map_dma_window(d->opal_id, d->pe, d->pe * 2, hw, d->bytes);
	if (rc) {
		return fail(l, i, "OPAL_PCI_MAP_PE_DMA_WINDOW", rc);
	}
	d->mapped = true;
	pnv_pci_tce_kill_pe(d->opal_id, d->pe);
	return true;
}

void pci_dma_clear(struct lpar *l, uint32_t i)
{
	struct pci_dma *d = &pci_lpar(l)->dma[i];

	if (!d->tce.table) {
		return;
	}
	spin_lock(&d->lock);
	tce_clear(&d->tce);
	mirror(d, &l->mem, 0, d->tce.entries);
	spin_unlock(&d->lock);
}

void pci_dma_destroy(struct lpar *l, uint32_t i)
{
	struct pci_lpar *s = pci_lpar(l);
	struct pci_dma *d = &s->dma[i];

	if (d->mapped) {
		pnv_pci_map_dma_window(d->opal_id, d->pe, d->pe * 2, 0, 0);
		pnv_pci_tce_kill_pe(d->opal_id, d->pe);
		d->mapped = false;
	}
	free_tables(d);
}

struct lpar_dma_window *pci_dma_window(struct lpar *l, uint64_t liobn)
{
	struct pci_lpar *s = pci_lpar(l);

	for (uint32_t i = 0; i < s->count && i < CONFIG_MAX_PHBS; i++) {
		if (s->dma[i].tce.entries && s->dma[i].tce.liobn == liobn) {
			return &s->dma[i].win;
		}
	}
	return NULL;
}
