/*
 * The partition's host PHBs.  At creation each PHB its configuration names
 * (chip, index) is looked up among those skiboot described (the checker
 * already refused any the machine lacks or another partition owns).
 * Before every boot the functions behind each PHB's root port are found
 * and their BARs placed in the PHB's 32-bit window through OPAL's config
 * calls (pci/scan.c), and the guest tree shows them under a pSeries PHB
 * node (hv/guest_dt.c dt_phb()).
 */
#include "hv/console.h"
#include "hv/hv.h"
#include "hv/lpar.h"
#include "hv/lpar_ops.h"
#include "hv/unit.h"
#include "intc/intc.h"
#include "pci/pci.h"
#include "pci/scan.h"
#include "platform-powernv/pci_host.h"

static uint32_t pci_slot;

struct pci_lpar *pci_lpar(const struct lpar *l)
{
	return lpar_unit_state(l, pci_slot);
}

int pci_phb_by_buid(const struct pci_lpar *s, uint64_t buid)
{
	for (uint32_t i = 0; i < s->count && i < CONFIG_MAX_PHBS; i++) {
		if (s->dt[i].buid == buid) {
			return (int)i;
		}
	}
	return -1;
}

static int64_t host_read(void *ctx, uint32_t bdfn, uint32_t off, uint32_t size,
			 uint32_t *val)
{
	const struct machine_phb *h = ctx;

	return pnv_pci_cfg_read(h->opal_id, bdfn, off, size, val);
}

static int64_t host_write(void *ctx, uint32_t bdfn, uint32_t off,
			  uint32_t size, uint32_t val)
{
	const struct machine_phb *h = ctx;

	return pnv_pci_cfg_write(h->opal_id, bdfn, off, size, val);
}

static void pci_destroy(struct lpar *l);
static int scan(struct lpar *l, uint32_t i, bool print);

/* The guest-real pages of PHB i's 32-bit window that hold its BARs,
 * mapped cache-inhibited to the host window: nothing else of the PHB. */
static bool map_mmio(struct lpar *l, uint32_t i)
{
	struct pci_lpar *s = pci_lpar(l);
	const struct guest_dt_phb *d = &s->dt[i];
	uint64_t lo = ~0ull, hi = 0;

	for (uint32_t f = 0; f < d->func_count; f++) {
		for (uint32_t b = 0; b < d->funcs[f].bar_count; b++) {
			const struct guest_dt_pci_bar *bar = &d->funcs[f].bars[b];
			uint64_t end = bar->pci_addr +
				       (bar->size < SZ_4K ? SZ_4K : bar->size);

			lo = bar->pci_addr < lo ? bar->pci_addr : lo;
			hi = end > hi ? end : hi;
		}
	}
	if (hi <= lo) {
		return true; /* no BAR: nothing to map */
	}
	lo &= ~(SZ_64K - 1);
	hi = ALIGN_UP(hi, SZ_64K);
	if (lo < d->m32_pci || hi - d->m32_pci > d->m32_size) {
		return false;
	}
	if (!lpar_map_io(l, d->m32_gpa + (lo - d->m32_pci),
			 s->host[i]->m32_cpu + (lo - s->host[i]->m32_pci),
			 hi - lo)) {
		return false;
	}
	s->mmio_mapped[i] = true;
	return true;
}

static bool pci_create(struct lpar *l)
{
	struct pci_lpar *s = pci_lpar(l);

	s->count = 0;
	for (uint32_t i = 0; i < l->cfg.phb_count; i++) {
		const struct config_phb *c = &l->cfg.phbs[i];
		const struct machine_phb *h;
		struct guest_dt_phb *d = &s->dt[i];

		h = machine_find_phb(&hv_machine, c->chip, c->index);
		if (!h) {
			hv_printf("lparvisor: partition \"%s\": PHB %u:%u "
				  "is not on this machine\n", l->cfg.name,
				  c->chip, c->index);
			pci_destroy(l);
			return false;
		}
		s->host[i] = h;
		d->buid = LAYOUT_PHB_BUID_BASE + i;
		d->liobn = LAYOUT_PHB_LIOBN(i);
		d->m32_gpa = LAYOUT_PHB_MMIO_BASE +
			     (i + 1) * LAYOUT_PHB_M32_WIN_SIZE;
		d->m32_pci = h->m32_pci;
		d->m32_size = h->m32_size < LAYOUT_PHB_M32_WIN_SIZE ?
				      h->m32_size : LAYOUT_PHB_M32_WIN_SIZE;
		s->count++;
		d->msi_total = pci_msi_available(l, i) ? LAYOUT_PHB_MSIS : 0;
		/* INTx: the interrupt-map names them when they reach it. */
		d->lsi_base = intc_phb_lsis(l, i) ? LAYOUT_PHB_LSI_LISN(i) : 0;
		hv_printf("lparvisor: partition \"%s\" owns PHB %u:%u (OPAL "
			  "id %llu): M32 0x%llx+0x%llx, M64 0x%llx+0x%llx\n",
			  l->cfg.name, c->chip, c->index,
			  (unsigned long long)h->opal_id,
			  (unsigned long long)h->m32_cpu,
			  (unsigned long long)h->m32_size,
			  (unsigned long long)h->m64_cpu,
			  (unsigned long long)h->m64_size);
		if (scan(l, i, true)) {
			pci_destroy(l);
			return false;
		}
		if (!map_mmio(l, i)) {
			hv_printf("lparvisor: partition \"%s\": PHB %u:%u: "
				  "cannot map its 32-bit window\n",
				  l->cfg.name, c->chip, c->index);
			pci_destroy(l);
			return false;
		}
		if (!pci_dma_create(l, i)) {
			pci_destroy(l);
			return false;
		}
		d->dma_size = LAYOUT_PHB_DMA_WIN_SIZE;
		d->ddw = true;
	}
	return true;
}

static void pci_destroy(struct lpar *l)
{
	struct pci_lpar *s = pci_lpar(l);

	for (uint32_t i = 0; i < s->count; i++) {
		pci_dma_destroy(l, i);
	}
}

static void print_funcs(const struct lpar *l, const struct config_phb *c,
			const struct guest_dt_phb *d, uint32_t skipped)
{
	for (uint32_t i = 0; i < d->func_count; i++) {
		const struct guest_dt_pci_func *f = &d->funcs[i];

		hv_printf("lparvisor: partition \"%s\": PHB %u:%u "
			  "%02x:%02x.%x %04x:%04x class %06x, %u BAR%s\n",
			  l->cfg.name, c->chip, c->index, f->bus,
			  f->devfn >> 3, f->devfn & 7, f->vendor, f->device,
			  f->class_code, f->bar_count,
			  f->bar_count == 1 ? "" : "s");
	}
	if (skipped) {
		hv_printf("lparvisor: partition \"%s\": PHB %u:%u: %u "
			  "bridge%s or I/O BAR%s left out (not supported "
			  "yet)\n", l->cfg.name, c->chip, c->index, skipped,
			  skipped == 1 ? "" : "s", skipped == 1 ? "" : "s");
	}
}

/* Find PHB i's functions and place their BARs; 0, or -1 with a message
 * (its functions are then not shown). */
static int scan(struct lpar *l, uint32_t i, bool print)
{
	struct pci_lpar *s = pci_lpar(l);
	struct pci_cfg_ops ops = { host_read, host_write, (void *)s->host[i] };
	uint32_t skipped;
	char why[96];

	if (pci_scan_assign(&ops, &s->dt[i], &skipped, why, sizeof(why))) {
		s->dt[i].func_count = 0;
		hv_printf("lparvisor: partition \"%s\": PHB %u:%u: %s; its "
			  "devices are not shown\n", l->cfg.name,
			  l->cfg.phbs[i].chip, l->cfg.phbs[i].index, why);
		return -1;
	}
	if (print) {
		print_funcs(l, &l->cfg.phbs[i], &s->dt[i], skipped);
	}
	return 0;
}

/* Every function of PHB i stops decoding and mastering: no more DMA,
 * no more MSIs (a message is a DMA write), from this moment. */
static void quiesce(struct lpar *l, uint32_t i)
{
	const struct pci_lpar *s = pci_lpar(l);
	const struct guest_dt_phb *d = &s->dt[i];

	for (uint32_t k = 0; k < d->func_count; k++) {
		(void)pnv_pci_cfg_write(s->host[i]->opal_id,
					PCI_BDFN(d->funcs[k].bus,
						 d->funcs[k].devfn),
					PCI_COMMAND, 2, 0);
	}
}

/*
 * Every boot: no TCE left from the last life.  A restart also resets the
 * devices (a hot reset of the PHB's slot: whatever the last life left in
 * them, queues, interrupt vectors, DMA in flight, is gone) and places
 * their BARs again (create placed them the first time: same devices,
 * same places).
 */
static void pci_reset(struct lpar *l)
{
	struct pci_lpar *s = pci_lpar(l);

	pci_msi_reset(l);
	for (uint32_t i = 0; i < s->count; i++) {
		const struct config_phb *c = &l->cfg.phbs[i];
		uint32_t took = 0;
		int64_t rc;

		if (l->restarts) {
			quiesce(l, i);
		}
		pci_dma_reset_windows(l, i);
		if (!l->restarts) {
			continue;
		}
		rc = pnv_pci_hot_reset(s->host[i]->opal_id, PCI_RESET_MAX_MS,
				       &took);
		if (rc) {
			hv_printf("lparvisor: partition \"%s\": PHB %u:%u: "
				  "hot reset failed (OPAL %lld after %u ms); "
				  "its devices were only stopped\n",
				  l->cfg.name, c->chip, c->index,
				  (long long)rc, took);
		} else {
			hv_printf("lparvisor: partition \"%s\": PHB %u:%u: "
				  "devices reset (%u ms)\n", l->cfg.name,
				  c->chip, c->index, took);
		}
		scan(l, i, false);
	}
}

/* Stopped: the devices stop mastering at once, and may not DMA anywhere
 * even if they tried (no TCE). */
static void pci_stop(struct lpar *l, bool restarting)
{
	struct pci_lpar *s = pci_lpar(l);

	(void)restarting;
	for (uint32_t i = 0; i < s->count; i++) {
		quiesce(l, i);
		pci_dma_reset_windows(l, i);
	}
}

static void pci_guest_dt(const struct lpar *l, struct guest_dt_params *p)
{
	struct pci_lpar *s = pci_lpar(l);

	p->phbs = s->dt;
	p->phb_count = s->count;
}

LPAR_UNIT(pci, .order = UNIT_ORDER_PCI, .slot = &pci_slot,
	  .state_size = sizeof(struct pci_lpar), .create = pci_create,
	  .destroy = pci_destroy, .reset = pci_reset, .stop = pci_stop,
	  .guest_dt = pci_guest_dt, .dma_window = pci_dma_window,
	  .poll = pci_eeh_poll);
