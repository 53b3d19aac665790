/*
 * The VIO bus (vio/bus.h): QEMU 7.2 spapr_vio.c's device lookup by unit
 * address, H_VIO_SIGNAL, the CRQ hcalls and, from spapr_iommu.c, the TCE
 * hcalls on each device's window.  Devices are added by their units'
 * create hooks and never removed before the partition is freed, so a
 * lookup takes no lock; each device's lock covers its TCE table, CRQ and
 * signal state (hv/lpar.h, lock list).
 */
#include "hv/lib/string.h"
#include "hv/console.h"
#include "hv/guest_dt.h"
#include "hv/hcall.h"
#include "hv/hv.h"
#include "hv/lpar.h"
#include "hv/unit.h"
#include "intc/intc.h"
#include "mm/mem.h"
#include "rtas/rtas.h"
#include "vio/bus.h"

struct vio_bus {
	uint32_t count;
	struct vio_dev devs[VIO_DEV_MAX];
};

static uint32_t vio_bus_slot;

static struct vio_bus *bus_of(const struct lpar *l)
{
	return lpar_unit_state(l, vio_bus_slot);
}

struct vio_dev *vio_bus_find(const struct lpar *l, uint64_t reg)
{
	struct vio_bus *b = bus_of(l);

	for (uint32_t i = 0; i < b->count; i++) {
		if (b->devs[i].desc.reg == reg) {
			return &b->devs[i];
		}
	}
	return NULL;
}

/*
 * The device a VIO hcall names by unit address.  QEMU 7.2's
 * spapr_vio_find_by_reg() takes a uint32_t, so the register's upper 32
 * bits are ignored (its reference run: H_FREE_CRQ and H_VIO_SIGNAL on
 * 1 << 32 | the vty's unit succeed); a LIOBN is not (below).
 */
static struct vio_dev *unit_of(struct vcpu *vc, uint64_t unit)
{
	return vio_bus_find(vc->lpar, (uint32_t)unit);
}

/* The device whose DMA window is `liobn` (QEMU: a 32-bit LIOBN). */
static struct vio_dev *find_window(const struct lpar *l, uint64_t liobn)
{
	struct vio_dev *d;

	if (liobn >> 32) {
		return NULL;
	}
	d = vio_bus_find(l, liobn);
	return d && d->tce.entries ? d : NULL;
}

struct vio_dev *vio_bus_add(struct lpar *l, const struct vio_dev_desc *desc,
			    void *priv)
{
	struct vio_bus *b = bus_of(l);
	struct vio_dev *d;
	uint64_t pages = desc->dma_window >> TCE_PAGE_SHIFT;

	if (b->count == VIO_DEV_MAX || vio_bus_find(l, desc->reg) ||
	    (desc->dma_window & ~TCE_PAGE_MASK) ||
	    desc->dma_window > UINT32_MAX) {
		hv_printf("lparvisor: partition \"%s\": VIO device %s at %x "
			  "refused (bus full, unit taken or bad window)\n",
			  l->cfg.name, desc->name, desc->reg);
		return NULL;
	}
	if (desc->irq && !intc_claim_device_irq(l, desc->irq)) {
		hv_printf("lparvisor: partition \"%s\": VIO device %s: "
			  "interrupt %x not available on its controller\n",
			  l->cfg.name, desc->name, desc->irq);
		return NULL;
	}
	d = &b->devs[b->count];
	memset(d, 0, sizeof(*d));
	d->desc = *desc;
	d->priv = priv;
	d->tce.liobn = desc->reg;
	if (pages) {
		d->tce.table = mem_zalloc(pages * sizeof(uint64_t), 8);
		if (!d->tce.table) {
			hv_printf("lparvisor: partition \"%s\": no memory for "
				  "the TCE table of %s\n", l->cfg.name,
				  desc->name);
			return NULL;
		}
		d->tce.entries = (uint32_t)pages;
	}
	b->count++;
	return d;
}

static void vio_bus_destroy(struct lpar *l)
{
	struct vio_bus *b = bus_of(l);

	for (uint32_t i = 0; i < b->count; i++) {
		if (b->devs[i].tce.table) {
			mem_free(b->devs[i].tce.table);
		}
	}
	b->count = 0;
}

/*
 * Every (re)boot: no TCE maps anything, no CRQ is registered, no device
 * signals (QEMU's spapr_tce_reset and spapr_vio_busdev_reset).
 */
static void vio_bus_reset(struct lpar *l)
{
	struct vio_bus *b = bus_of(l);

	for (uint32_t i = 0; i < b->count; i++) {
		struct vio_dev *d = &b->devs[i];

		spin_lock(&d->lock);
		tce_clear(&d->tce);
		crq_free(&d->crq);
		d->signal_state = 0;
		spin_unlock(&d->lock);
	}
}

/* The /vdevice node of every device that does not write its own. */
static void vio_bus_guest_dt(const struct lpar *l, struct guest_dt_params *p)
{
	struct vio_bus *b = bus_of(l);

	p->vio_count = 0;
	for (uint32_t i = 0; i < b->count; i++) {
		const struct vio_dev_desc *d = &b->devs[i].desc;
		struct guest_dt_vio *v;

		if (!d->dt_name || p->vio_count == GUEST_DT_VIO_MAX) {
			continue;
		}
		v = &p->vio[p->vio_count++];
		v->name = d->dt_name;
		v->type = d->dt_type;
		v->compatible = d->dt_compatible;
		v->reg = d->reg;
		v->irq = d->irq;
		v->dma_window = (uint32_t)d->dma_window;
		v->remote_liobn = d->dt_remote_liobn;
		v->remote_window = d->dt_remote_window;
		v->bytes = d->dt_bytes;
		v->has_mac = d->dt_has_mac;
		memcpy(v->mac, d->dt_mac, sizeof(v->mac));
		v->scsi_bus = d->dt_scsi_bus;
	}
}

LPAR_UNIT(vio_bus, .order = UNIT_ORDER_VIO_BUS, .slot = &vio_bus_slot,
	  .state_size = sizeof(struct vio_bus), .destroy = vio_bus_destroy,
	  .reset = vio_bus_reset, .guest_dt = vio_bus_guest_dt);

int64_t vio_crq_send(struct lpar *l, struct vio_dev *d,
		     const uint8_t msg[CRQ_ENTRY_SIZE])
{
	int64_t ret;
	bool pulse;

	spin_lock(&d->lock);
	ret = crq_enqueue(&d->crq, &d->tce, &l->mem, msg);
	pulse = ret == H_SUCCESS && (d->signal_state & 1);
	spin_unlock(&d->lock);
	if (pulse && l->state == LPAR_RUNNING) {
		intc_pulse(l, d->desc.irq);
	}
	return ret;
}

bool vio_dma_read(struct lpar *l, struct vio_dev *d, uint64_t ioba,
		  void *dst, uint64_t len)
{
	bool ok;

	spin_lock(&d->lock);
	ok = tce_dma_read(&d->tce, &l->mem, ioba, dst, len);
	spin_unlock(&d->lock);
	return ok;
}

bool vio_dma_write(struct lpar *l, struct vio_dev *d, uint64_t ioba,
		   const void *src, uint64_t len)
{
	bool ok;

	spin_lock(&d->lock);
	ok = tce_dma_write(&d->tce, &l->mem, ioba, src, len);
	spin_unlock(&d->lock);
	return ok;
}

/*
 * ibm,set-tce-bypass(unit, enable): QEMU 7.2 spapr_vio.c's private RTAS
 * call, which SLOF's v-scsi driver makes (enable 1 while it runs, 0 at
 * quiesce) so that its bus addresses are its real addresses (mm/tce.h
 * `bypass`).  -3 for an unknown unit or one without a DMA window; SLOF
 * passes nret 0, and QEMU checks only nargs.
 */
static void rtas_set_tce_bypass(struct rtas_call *c)
{
	struct vio_dev *d = vio_bus_find(c->vc->lpar, c->args[0]);

	if (!d || !d->tce.entries) {
		rtas_status(c, RTAS_OUT_PARAM_ERROR);
		return;
	}
	spin_lock(&d->lock);
	d->tce.bypass = c->args[1] != 0;
	spin_unlock(&d->lock);
	rtas_status(c, RTAS_OUT_SUCCESS);
}
RTAS_SERVICE(RTAS_IBM_SET_TCE_BYPASS, "ibm,set-tce-bypass",
	     rtas_set_tce_bypass, 2, RTAS_ANY, HCALL_INTC_ANY,
	     "done (QEMU's, for SLOF: a device's bus addresses become its "
	     "partition's real addresses)");

/*
 * H_VIO_SIGNAL(unit, mode): QEMU's h_vio_signal.  H_PARAMETER for an
 * unknown unit or mode bits outside the device's mask.
 */
static int64_t h_vio_signal(struct vcpu *vc, struct hcall_args *a)
{
	struct vio_dev *d = unit_of(vc, a->arg[0]);
	uint64_t mode = a->arg[1];

	if (!d || (mode & ~d->desc.signal_mask)) {
		return H_PARAMETER;
	}
	spin_lock(&d->lock);
	d->signal_state = mode;
	if (d->desc.ops && d->desc.ops->signal) {
		d->desc.ops->signal(vc->lpar, mode);
	}
	spin_unlock(&d->lock);
	return H_SUCCESS;
}
HCALL(H_VIO_SIGNAL, h_vio_signal, 0, "hcall-vio", HCALL_INTC_ANY,
      "done (every device on the bus)");

/*
 * The window a TCE hcall names: a VIO device's, or one a unit serves
 * outside the bus (a PCI host bridge's default window, hv/unit.h), whose
 * unit mirrors the entries the hcall may have written into the hardware.
 */
struct window {
	struct tce_table *tce;
	struct spinlock *lock;
	struct lpar_dma_window *ext;
};

static bool any_window(struct lpar *l, uint64_t liobn, struct window *w)
{
	struct vio_dev *d = find_window(l, liobn);

	if (d) {
		w->tce = &d->tce;
		w->lock = &d->lock;
		w->ext = NULL;
		return true;
	}
	if (liobn >> 32) {
		return false;
	}
	w->ext = lpar_units_dma_window(l, liobn);
	if (!w->ext || !w->ext->tce || !w->ext->lock) {
		return false;
	}
	w->tce = w->ext->tce;
	w->lock = w->ext->lock;
	return true;
}

/* Under the window's lock: the entries [ioba, + npages) that an update
 * may have written, clipped to the window, to its unit. */
static void window_changed(struct lpar *l, const struct window *w,
			   uint64_t ioba, uint64_t npages)
{
	uint64_t first;

	if (!w->ext || !w->ext->changed || ioba < w->tce->bus_offset) {
		return;
	}
	first = (ioba - w->tce->bus_offset) >> tce_page_shift(w->tce);
	if (first >= w->tce->entries || npages == 0) {
		return;
	}
	if (npages > w->tce->entries - first) {
		npages = w->tce->entries - first;
	}
	w->ext->changed(l, w->ext, first, npages);
}

/* H_PUT_TCE(liobn, ioba, tce): H_PARAMETER for an unknown LIOBN too. */
static int64_t h_put_tce(struct vcpu *vc, struct hcall_args *a)
{
	struct window w;
	int64_t ret;

	if (!any_window(vc->lpar, a->arg[0], &w)) {
		return H_PARAMETER;
	}
	spin_lock(w.lock);
	ret = tce_put(w.tce, &vc->lpar->mem, a->arg[1], a->arg[2]);
	window_changed(vc->lpar, &w, a->arg[1], 1);
	spin_unlock(w.lock);
	return ret;
}
HCALL(H_PUT_TCE, h_put_tce, 0, "hcall-tce", HCALL_INTC_ANY,
      "done (QEMU 7.2 codes, TCEs only into own memory; VIO and PHB windows)");

/* H_GET_TCE(liobn, ioba) -> r4 the TCE. */
static int64_t h_get_tce(struct vcpu *vc, struct hcall_args *a)
{
	struct window w;
	uint64_t tce = 0;
	int64_t ret;

	if (!any_window(vc->lpar, a->arg[0], &w)) {
		return H_PARAMETER;
	}
	spin_lock(w.lock);
	ret = tce_get(w.tce, a->arg[1], &tce);
	spin_unlock(w.lock);
	if (ret == H_SUCCESS) {
		a->ret[0] = tce;
		a->ret_count = 1;
	}
	return ret;
}
HCALL(H_GET_TCE, h_get_tce, 1, "hcall-tce", HCALL_INTC_ANY,
      "done (QEMU 7.2 codes)");

/* H_STUFF_TCE(liobn, ioba, tce, npages). */
static int64_t h_stuff_tce(struct vcpu *vc, struct hcall_args *a)
{
	struct window w;
	int64_t ret;

	if (!any_window(vc->lpar, a->arg[0], &w)) {
		return H_PARAMETER;
	}
	spin_lock(w.lock);
	ret = tce_stuff(w.tce, &vc->lpar->mem, a->arg[1], a->arg[2],
			a->arg[3]);
	window_changed(vc->lpar, &w, a->arg[1], a->arg[3]);
	spin_unlock(w.lock);
	return ret;
}
HCALL(H_STUFF_TCE, h_stuff_tce, 0, "hcall-multi-tce", HCALL_INTC_ANY,
      "done (QEMU 7.2 codes, TCEs only into own memory; VIO and PHB windows)");

/* H_PUT_TCE_INDIRECT(liobn, ioba, list, npages). */
static int64_t h_put_tce_indirect(struct vcpu *vc, struct hcall_args *a)
{
	struct window w;
	int64_t ret;

	if (!any_window(vc->lpar, a->arg[0], &w)) {
		return H_PARAMETER;
	}
	spin_lock(w.lock);
	ret = tce_put_indirect(w.tce, &vc->lpar->mem, a->arg[1], a->arg[2],
			       a->arg[3]);
	window_changed(vc->lpar, &w, a->arg[1], a->arg[3]);
	spin_unlock(w.lock);
	return ret;
}
HCALL(H_PUT_TCE_INDIRECT, h_put_tce_indirect, 0, "hcall-multi-tce",
      HCALL_INTC_ANY,
      "done (QEMU 7.2 codes, list read once, TCEs only into own memory; VIO "
      "and PHB windows)");

/* H_REG_CRQ(unit, queue ioba, length): QEMU's h_reg_crq. */
static int64_t h_reg_crq(struct vcpu *vc, struct hcall_args *a)
{
	struct vio_dev *d = unit_of(vc, a->arg[0]);
	bool capable;
	int64_t ret;

	if (!d) {
		return H_PARAMETER;
	}
	capable = d->desc.ops && d->desc.ops->crq_receive;
	spin_lock(&d->lock);
	ret = crq_register(&d->crq, capable, a->arg[1], a->arg[2]);
	spin_unlock(&d->lock);
	if (ret == H_SUCCESS && d->desc.ops->crq_registered) {
		ret = d->desc.ops->crq_registered(vc->lpar, d);
	}
	return ret;
}
HCALL(H_REG_CRQ, h_reg_crq, 0, "hcall-vio", HCALL_INTC_ANY,
      "done: QEMU 7.2 codes; VIOS adapters: H_CLOSED while the partner "
      "has no queue (PAPR)");

/* H_FREE_CRQ(unit): H_SUCCESS for any device, as QEMU. */
static int64_t h_free_crq(struct vcpu *vc, struct hcall_args *a)
{
	struct vio_dev *d = unit_of(vc, a->arg[0]);

	if (!d) {
		return H_PARAMETER;
	}
	spin_lock(&d->lock);
	crq_free(&d->crq);
	spin_unlock(&d->lock);
	if (d->desc.ops && d->desc.ops->crq_freed) {
		d->desc.ops->crq_freed(vc->lpar, d);
	}
	return H_SUCCESS;
}
HCALL(H_FREE_CRQ, h_free_crq, 0, "hcall-vio", HCALL_INTC_ANY,
      "done: QEMU 7.2 codes; VIOS adapters: the partner gets transport "
      "event 0x02 (PAPR)");

/*
 * H_SEND_CRQ(unit, bytes 0-7, bytes 8-15): to the device's back end,
 * whose return is the hcall's; H_HARDWARE for a device without a CRQ.
 */
static int64_t h_send_crq(struct vcpu *vc, struct hcall_args *a)
{
	struct vio_dev *d = unit_of(vc, a->arg[0]);
	uint8_t msg[CRQ_ENTRY_SIZE];

	if (!d) {
		return H_PARAMETER;
	}
	if (!d->desc.ops || !d->desc.ops->crq_receive) {
		return H_HARDWARE;
	}
	crq_from_regs(a->arg[1], a->arg[2], msg);
	return d->desc.ops->crq_receive(vc->lpar, d, msg);
}
HCALL(H_SEND_CRQ, h_send_crq, 0, "hcall-vio", HCALL_INTC_ANY,
      "done: QEMU 7.2 codes; v-scsi and VIOS adapters refuse a guest's "
      "transport event (LoPAR); VIOS: into the partner's queue, H_CLOSED "
      "or H_DROPPED (PAPR)");

/* H_ENABLE_CRQ(unit): QEMU answers 0 for any device. */
static int64_t h_enable_crq(struct vcpu *vc, struct hcall_args *a)
{
	if (!unit_of(vc, a->arg[0])) {
		return H_PARAMETER;
	}
	return H_SUCCESS;
}
HCALL(H_ENABLE_CRQ, h_enable_crq, 0, "hcall-vio", HCALL_INTC_ANY,
      "partial: QEMU 7.2 codes (v-scsi)");
