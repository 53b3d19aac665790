/*
 * MSIs of a partition's PHB: ibm,change-msi and
 * ibm,query-interrupt-source-number with QEMU 7.2's semantics
 * (hw/ppc/spapr_pci.c rtas_ibm_change_msi,
 * rtas_ibm_query_interrupt_source_number).  The interrupts are the host
 * PHB's own MSI sources: MSI k of PHB i (the host's global interrupt
 * msi_base + k) is the XIVE partition's LISN LAYOUT_PHB_MSI_LISN(i) + k,
 * adopted with its ESB page when the interrupt controller was created
 * (intc/intc.c), so the guest routes, masks and EOIs it with the H_INT_*
 * hcalls and its ESB page like any source, and the device's write goes
 * from the PHB to the host XIVE and the guest's vCPU with no hypervisor
 * exit.  A change-msi hands out a block of those (aligned to its power of
 * two for MSI, whose device sets the low data bits), tells the PHB their
 * PE (OPAL_PCI_SET_XIVE_PE) and writes the address and data OPAL gives
 * (OPAL_GET_MSI_64, or _32 for 32-bit MSI) into the device's MSI
 * capability or MSI-X table, as QEMU writes its own window's: the guest
 * does not program them.  In a XICS partition the same MSIs are its
 * XICS sources of the same numbers, forwarded from the host XIVE by
 * lparvisor (intc/xics_fwd.h): the guest routes and masks them with
 * ibm,set-xive and EOIs them with H_EOI, as QEMU's.
 */
#include "hv/io.h"
#include "hv/lpar.h"
#include "intc/intc.h"
#include "pci/pci.h"
#include "pci/scan.h"
#include "platform-powernv/pci_host.h"
#include "rtas/rtas.h"

#define FN_QUERY 0
#define FN_CHANGE 1   /* MSI, else MSI-X (QEMU: MSI) */
#define FN_RESET 2
#define FN_MSI 3
#define FN_MSIX 4
#define TYPE_MSI 1
#define TYPE_MSIX 2
#define GUEST_PE 0    /* pci/dma.c's */

bool pci_msi_available(const struct lpar *l, uint32_t i)
{
	const struct pci_lpar *s = pci_lpar(l);

	return (l->cfg.intc == CONFIG_INTC_XIVE || intc_has_fwd(l)) &&
	       i < s->count && s->host[i]->msi_count >= LAYOUT_PHB_MSIS;
}

void pci_msi_reset(struct lpar *l)
{
	struct pci_lpar *s = pci_lpar(l);

	spin_lock(&s->msi_lock);
	memset(s->msis, 0, sizeof(s->msis));
	spin_unlock(&s->msi_lock);
}

/* A little-endian register of a device's memory BAR. */
static void bar_st32(uint64_t addr, uint32_t v)
{
	io_st32(addr, __builtin_bswap32(v));
}

/* Host real address of the MSI-X table of `f` for `count` entries, or 0
 * when it does not lie inside one of its memory BARs. */
static uint64_t msix_table(struct lpar *l, uint32_t i,
			   const struct guest_dt_pci_func *f, uint32_t count)
{
	const struct pci_lpar *s = pci_lpar(l);
	const struct machine_phb *h = s->host[i];
	uint32_t tbl;

	if (pnv_pci_cfg_read(h->opal_id, PCI_BDFN(f->bus, f->devfn),
			     f->msix_cap + 4, 4, &tbl)) {
		return 0;
	}
	for (uint32_t b = 0; b < f->bar_count; b++) {
		const struct guest_dt_pci_bar *bar = &f->bars[b];
		uint64_t off = tbl & ~7u;

		if (bar->reg != 0x10 + 4 * (tbl & 7) || off >= bar->size ||
		    16ull * count > bar->size - off) {
			continue;
		}
		return h->m32_cpu + (bar->pci_addr - h->m32_pci) + off;
	}
	return 0;
}

/* Write vector v's message (addr 0 and data 0 clear it), as QEMU's
 * spapr_msi_setmsg(). */
static bool write_msg(struct lpar *l, uint32_t i,
		      const struct guest_dt_pci_func *f, uint32_t type,
		      uint64_t table, uint32_t v, uint64_t addr, uint32_t data)
{
	const struct machine_phb *h = pci_lpar(l)->host[i];
	uint32_t bdfn = PCI_BDFN(f->bus, f->devfn);

	if (type == TYPE_MSIX) {
		bar_st32(table + 16 * v, (uint32_t)addr);
		bar_st32(table + 16 * v + 4, (uint32_t)(addr >> 32));
		bar_st32(table + 16 * v + 8, data);
		return true;
	}
	if (v) {
		return true; /* MSI: one message, the device adds the vector */
	}
	return !pnv_pci_cfg_write(h->opal_id, bdfn, f->msi_cap + 4, 4,
				  (uint32_t)addr) &&
	       (f->msi64 ? !pnv_pci_cfg_write(h->opal_id, bdfn,
					      f->msi_cap + 8, 4,
					      (uint32_t)(addr >> 32)) &&
				   !pnv_pci_cfg_write(h->opal_id, bdfn,
						      f->msi_cap + 12, 2, data)
			 : !pnv_pci_cfg_write(h->opal_id, bdfn, f->msi_cap + 8,
					      2, data));
}

static void clear_msgs(struct lpar *l, uint32_t i,
		       const struct guest_dt_pci_func *f, struct pci_msi *m)
{
	uint64_t table = m->type == TYPE_MSIX ? msix_table(l, i, f, m->count) :
						0;

	for (uint32_t v = 0; v < m->count; v++) {
		if (m->type == TYPE_MSI || table) {
			write_msg(l, i, f, m->type, table, v, 0, 0);
		}
	}
}

/* A free block of `n` of the PHB's MSIs (aligned to the power of two at
 * least n when `aligned`), or -1. */
static int find_block(uint32_t used, uint32_t n, bool aligned)
{
	uint32_t step = 1, mask;

	while (aligned && step < n) {
		step <<= 1;
	}
	if (n == 0 || n > LAYOUT_PHB_MSIS) {
		return -1;
	}
	mask = (n == 32 ? ~0u : (1u << n) - 1);
	for (uint32_t b = 0; b + n <= LAYOUT_PHB_MSIS; b += step) {
		if (!(used & (mask << b))) {
			return (int)b;
		}
	}
	return -1;
}

/* The caller's PHB (index) and function for (addr, buid), or NULL. */
static const struct guest_dt_pci_func *target(struct rtas_call *c,
					      uint32_t *phb)
{
	const struct pci_lpar *s = pci_lpar(c->vc->lpar);
	uint64_t buid = ((uint64_t)c->args[1] << 32) | c->args[2];
	struct pci_cfg_access acc;
	int i = pci_phb_by_buid(s, buid);

	if (i < 0) {
		return NULL;
	}
	*phb = (uint32_t)i;
	/* Any register: only bus and devfn matter. */
	return pci_cfg_decode(&s->dt[i], c->args[0] & 0x00ffff00u, 4, &acc);
}

static struct pci_msi *msi_of(struct pci_msis *m,
			      const struct guest_dt_pci_func *f, bool create)
{
	struct pci_msi *free_slot = NULL;

	for (uint32_t k = 0; k < GUEST_DT_PCI_FUNCS; k++) {
		if (m->fn[k].count && m->fn[k].bus == f->bus &&
		    m->fn[k].devfn == f->devfn) {
			return &m->fn[k];
		}
		if (!m->fn[k].count && !free_slot) {
			free_slot = &m->fn[k];
		}
	}
	return create ? free_slot : NULL;
}

static void release(struct lpar *l, uint32_t i,
		    const struct guest_dt_pci_func *f, struct pci_msis *ms,
		    struct pci_msi *m)
{
	clear_msgs(l, i, f, m);
	ms->used &= ~(((m->count == 32 ? ~0u : (1u << m->count) - 1))
		      << m->first);
	memset(m, 0, sizeof(*m));
}

/* (addr, buid hi, buid lo, function, count, seq) -> (status, count, seq,
 * type) */
static void rtas_ibm_change_msi(struct rtas_call *c)
{
	struct lpar *l = c->vc->lpar;
	struct pci_lpar *s = pci_lpar(l);
	const struct guest_dt_pci_func *f;
	uint32_t func = c->args[3], n = c->args[4], seq = c->args[5];
	uint32_t type, max, i = 0;
	const struct machine_phb *h;
	struct pci_msis *ms;
	struct pci_msi *m;
	uint64_t table = 0;
	int first;

	if (c->nargs != 6 || c->nret < 3) {
		rtas_status(c, RTAS_OUT_PARAM_ERROR);
		return;
	}
	switch (func) {
	case FN_CHANGE:
	case FN_MSI:
		type = TYPE_MSI;
		break;
	case FN_MSIX:
		type = TYPE_MSIX;
		break;
	default:
		rtas_status(c, RTAS_OUT_PARAM_ERROR);
		return;
	}
	f = target(c, &i);
	if (!f) {
		rtas_status(c, RTAS_OUT_PARAM_ERROR);
		return;
	}
	h = s->host[i];
	ms = &s->msis[i];
	spin_lock(&s->msi_lock);
	m = msi_of(ms, f, false);
	if (n == 0) {
		/* Release: -1 when there is nothing to release. */
		if (!m) {
			spin_unlock(&s->msi_lock);
			rtas_status(c, RTAS_OUT_HW_ERROR);
			return;
		}
		release(l, i, f, ms, m);
		spin_unlock(&s->msi_lock);
		rtas_status(c, RTAS_OUT_SUCCESS);
		c->rets[1] = 0;
		return;
	}
	max = type == TYPE_MSI ? f->msi : f->msix;
	if (!max || !pci_msi_available(l, i)) {
		spin_unlock(&s->msi_lock);
		rtas_status(c, RTAS_OUT_HW_ERROR);
		return;
	}
	if (max > LAYOUT_PHB_MSIS) {
		max = LAYOUT_PHB_MSIS;
	}
	if (n > max) {
		/* As QEMU: the count it may have, nothing handed out. */
		spin_unlock(&s->msi_lock);
		rtas_status(c, RTAS_OUT_SUCCESS);
		c->rets[1] = max;
		c->rets[2] = seq + 1;
		c->rets[3] = type;
		return;
	}
	if (m) {
		release(l, i, f, ms, m);
	}
	m = msi_of(ms, f, true);
	first = find_block(ms->used, n, type == TYPE_MSI);
	if (type == TYPE_MSIX) {
		table = msix_table(l, i, f, n);
	}
	if (!m || first < 0 || (type == TYPE_MSIX && !table)) {
		spin_unlock(&s->msi_lock);
		rtas_status(c, RTAS_OUT_HW_ERROR);
		return;
	}
	for (uint32_t v = 0; v < n; v++) {
		uint32_t ive = (uint32_t)first + v, data;
		uint64_t addr;

		if (pnv_pci_set_xive_pe(h->opal_id, GUEST_PE, ive) ||
		    pnv_pci_get_msi(h->opal_id, ive,
				    type == TYPE_MSIX || f->msi64, &addr,
				    &data) ||
		    !write_msg(l, i, f, type, table, v, addr, data)) {
			spin_unlock(&s->msi_lock);
			rtas_status(c, RTAS_OUT_HW_ERROR);
			return;
		}
	}
	m->bus = f->bus;
	m->devfn = f->devfn;
	m->first = (uint32_t)first;
	m->count = n;
	m->type = type;
	ms->used |= ((n == 32 ? ~0u : (1u << n) - 1)) << first;
	spin_unlock(&s->msi_lock);
	rtas_status(c, RTAS_OUT_SUCCESS);
	c->rets[1] = n;
	c->rets[2] = seq + 1;
	c->rets[3] = type;
}
RTAS_SERVICE(RTAS_IBM_CHANGE_MSI, "ibm,change-msi", rtas_ibm_change_msi,
	     RTAS_ANY, RTAS_ANY, HCALL_INTC_ANY,
	     "done (MSI, MSI-X; the PHB's own MSIs: XIVE direct, XICS forwarded)");

/* (addr, buid hi, buid lo, vector) -> (status, interrupt, 1 = edge) */
static void rtas_ibm_query_interrupt_source_number(struct rtas_call *c)
{
	struct pci_lpar *s = pci_lpar(c->vc->lpar);
	const struct guest_dt_pci_func *f;
	struct pci_msi *m;
	uint32_t i = 0, v = c->args[3];

	if (c->nargs != 4 || c->nret < 3) {
		rtas_status(c, RTAS_OUT_PARAM_ERROR);
		return;
	}
	f = target(c, &i);
	if (!f) {
		rtas_status(c, RTAS_OUT_PARAM_ERROR);
		return;
	}
	spin_lock(&s->msi_lock);
	m = msi_of(&s->msis[i], f, false);
	if (!m || v >= m->count) {
		spin_unlock(&s->msi_lock);
		rtas_status(c, RTAS_OUT_HW_ERROR);
		return;
	}
	c->rets[1] = LAYOUT_PHB_MSI_LISN(i) + m->first + v;
	spin_unlock(&s->msi_lock);
	rtas_status(c, RTAS_OUT_SUCCESS);
	c->rets[2] = 1;
}
RTAS_SERVICE(RTAS_IBM_QUERY_INTERRUPT_SOURCE_NUMBER,
	     "ibm,query-interrupt-source-number",
	     rtas_ibm_query_interrupt_source_number, RTAS_ANY, RTAS_ANY,
	     HCALL_INTC_ANY, "done (the PHB's MSIs, XIVE and XICS)");
