/*
 * VIOS mode: a v-scsi-host server adapter in one partition paired, by the
 * configuration's /vscsi-hosts, with a v-scsi client adapter in another,
 * as PowerVM pairs a VIOS with its clients (LoPAR "Virtual SCSI",
 * "Logical Remote DMA Option"; Linux's ibmvscsis serves, its ibmvscsi
 * uses).  lparvisor holds no SCSI state here: it carries each side's
 * H_SEND_CRQ to the other's queue, tells a side when its partner goes
 * away (transport events), and copies data between the two windows with
 * H_COPY_RDMA.
 *
 * Nodes: the client is QEMU's spapr-vscsi node (v-scsi, "IBM,v-scsi");
 * the server is /vdevice/v-scsi-host@<unit> with two panes in
 * ibm,my-dma-window: its own window (LIOBN = unit), then the client's
 * window under LIOBN LAYOUT_VHOST_REMOTE_LIOBN(n), which names nothing
 * else in the server partition, so the TCE hcalls refuse it and only
 * H_COPY_RDMA reaches it.
 *
 * The connection (LoPAR "CRQ Facility Requirements"):
 * - H_REG_CRQ answers H_SUCCESS when the partner's queue is registered,
 *   else H_CLOSED (the queue is registered either way), and leaves the
 *   adapter's interrupt disabled;
 * - H_SEND_CRQ: H_PARAMETER for a header without bit 7 or 0xFF; H_CLOSED
 *   when either queue is not registered (or the partner's slot does not
 *   translate: its queue is unusable); H_DROPPED when the partner's queue
 *   is full;
 * - H_FREE_CRQ puts transport event 0xFF/0x02 on the partner's queue, a
 *   stop or restart of the partition 0xFF/0x01, over the last entry when
 *   the queue is full;
 * - H_COPY_RDMA reaches a remote pane only while both queues are
 *   registered, so a partner that stopped or restarted is never written.
 *
 * Partitions are never freed while others run, so a partner is found by
 * LPID and unit address at each use.  Locks: a VIO device's lock is the
 * only one taken, one at a time, except in H_COPY_RDMA, which takes the
 * two windows' locks in address order.
 */
#include "hv/abi/hcall.h"
#include "hv/abi/layout.h"
#include "hv/lib/format.h"
#include "hv/lib/string.h"
#include "hv/console.h"
#include "hv/hcall.h"
#include "hv/lock.h"
#include "hv/lpar.h"
#include "hv/unit.h"
#include "hv/vcpu.h"
#include "intc/intc.h"
#include "vio/bus.h"

/* The longest H_COPY_RDMA: LoPAR's minimum ibm,max-virtual-dma-size,
 * what ibmvscsis uses when /vdevice does not give one (none is given:
 * little-endian ibmvscsis would misread it). */
#define VIOS_MAX_RDMA SZ_128K
/* H_VIOCTL subfunction (LoPAR "GET_PARTNER_INFO Subfunction"). */
#define VIOCTL_GET_PARTNER_INFO 0x08
#define PARTNER_INFO_LEN 17 /* LPID, unit address, empty location code */
/* Transport event codes (LoPAR "Transport Event Codes"). */
#define CRQ_EV_PARTNER_FAILED 0x01
#define CRQ_EV_PARTNER_DEREGISTERED 0x02

struct vios_adapter {
	struct lpar *lpar;
	struct vio_dev *dev;
	const char *name;       /* its /vscsi-hosts node */
	bool server;
	uint32_t partner_lpid;  /* 0: no partner (disabled) */
	uint32_t partner_reg;
	uint32_t remote_liobn;  /* a server's second pane */
	/* Counters (atomic): */
	uint64_t sent;          /* messages carried to the partner */
	uint64_t events;        /* transport events put on the partner's */
	uint64_t copies;        /* H_COPY_RDMA done by this side */
	uint64_t copy_bytes;
	uint64_t refused;       /* H_SEND_CRQ or H_COPY_RDMA refused */
};

struct vios_part {
	uint32_t count;
	struct vios_adapter ad[2 * CONFIG_MAX_VSCSI_PAIRS];
};

static uint32_t vios_slot;

static struct vios_part *vios_of(const struct lpar *l)
{
	return lpar_unit_state(l, vios_slot);
}

static int64_t vios_crq_receive(struct lpar *l, struct vio_dev *d,
				const uint8_t msg[CRQ_ENTRY_SIZE]);
static int64_t vios_crq_registered(struct lpar *l, struct vio_dev *d);
static void vios_crq_freed(struct lpar *l, struct vio_dev *d);

/* Two tables, so that a partner is known to be of the other kind. */
static const struct vio_dev_ops server_ops = {
	.crq_receive = vios_crq_receive,
	.crq_registered = vios_crq_registered,
	.crq_freed = vios_crq_freed,
};
static const struct vio_dev_ops client_ops = {
	.crq_receive = vios_crq_receive,
	.crq_registered = vios_crq_registered,
	.crq_freed = vios_crq_freed,
};

static void count(uint64_t *c, uint64_t n)
{
	__atomic_fetch_add(c, n, __ATOMIC_RELAXED);
}

/* The partner's device and partition, or NULL (absent, refused). */
static struct vio_dev *partner_of(const struct vios_adapter *a,
				  struct lpar **pl)
{
	struct lpar *p;
	struct vio_dev *d;

	if (!a->partner_lpid) {
		return NULL;
	}
	p = lpar_by_lpid(a->partner_lpid);
	if (!p) {
		return NULL;
	}
	d = vio_bus_find(p, a->partner_reg);
	if (!d || d->desc.ops != (a->server ? &client_ops : &server_ops)) {
		return NULL;
	}
	*pl = p;
	return d;
}

static bool queue_open(struct vio_dev *d)
{
	bool open;

	spin_lock(&d->lock);
	open = crq_registered(&d->crq);
	spin_unlock(&d->lock);
	return open;
}

/* Transport event `code` on the partner's queue, if it has one. */
static void send_event(struct vios_adapter *a, uint8_t code)
{
	uint8_t msg[CRQ_ENTRY_SIZE] = { CRQ_HDR_TRANSPORT, code };
	struct lpar *pl;
	struct vio_dev *pd = partner_of(a, &pl);
	int64_t ret;
	bool pulse;

	if (!pd) {
		return;
	}
	spin_lock(&pd->lock);
	ret = crq_enqueue_event(&pd->crq, &pd->tce, &pl->mem, msg);
	pulse = ret == H_SUCCESS && (pd->signal_state & 1);
	spin_unlock(&pd->lock);
	if (ret == H_SUCCESS) {
		count(&a->events, 1);
	}
	if (pulse && pl->state == LPAR_RUNNING) {
		intc_pulse(pl, pd->desc.irq);
	}
}

/* H_SEND_CRQ: carried to the partner's queue (header above). */
static int64_t vios_crq_receive(struct lpar *l, struct vio_dev *d,
				const uint8_t msg[CRQ_ENTRY_SIZE])
{
	struct vios_adapter *a = d->priv;
	struct vio_dev *pd;
	struct lpar *pl;
	int64_t ret;

	(void)l;
	if (!(msg[0] & 0x80) || msg[0] == CRQ_HDR_TRANSPORT) {
		count(&a->refused, 1);
		return H_PARAMETER;
	}
	pd = partner_of(a, &pl);
	if (!pd || !queue_open(d)) {
		count(&a->refused, 1);
		return H_CLOSED;
	}
	ret = vio_crq_send(pl, pd, msg);
	if (ret == H_DEST_PARM) {
		ret = H_CLOSED; /* the partner's queue does not translate */
	}
	count(ret == H_SUCCESS ? &a->sent : &a->refused, 1);
	return ret;
}

/* After H_REG_CRQ: interrupts off; whether the partner listens. */
static int64_t vios_crq_registered(struct lpar *l, struct vio_dev *d)
{
	struct vios_adapter *a = d->priv;
	struct vio_dev *pd;
	struct lpar *pl;

	(void)l;
	spin_lock(&d->lock);
	d->signal_state = 0;
	spin_unlock(&d->lock);
	pd = partner_of(a, &pl);
	return pd && queue_open(pd) ? H_SUCCESS : H_CLOSED;
}

/* After H_FREE_CRQ: interrupts off; the partner is told. */
static void vios_crq_freed(struct lpar *l, struct vio_dev *d)
{
	(void)l;
	spin_lock(&d->lock);
	d->signal_state = 0;
	spin_unlock(&d->lock);
	send_event(d->priv, CRQ_EV_PARTNER_DEREGISTERED);
}

static bool adapter_create(struct lpar *l, struct vios_adapter *a,
			   bool server, uint32_t n)
{
	const struct vscsi_pair_config *c =
		server ? &l->cfg.vhosts[n] : &l->cfg.vclients[n];
	struct vio_dev_desc desc = {
		.signal_mask = 1, .dma_window = VIO_DMA_WINDOW,
	};

	if (server) {
		desc.name = "v-scsi-host";
		desc.dt_name = "v-scsi-host";
		desc.dt_type = "v-scsi-host";
		desc.dt_compatible = "IBM,v-scsi-host";
		desc.reg = LAYOUT_VHOST_REG(n);
		desc.irq = LAYOUT_VHOST_IRQ(n);
		desc.ops = &server_ops;
		desc.dt_remote_liobn = LAYOUT_VHOST_REMOTE_LIOBN(n);
		desc.dt_remote_window = VIO_DMA_WINDOW;
		a->remote_liobn = LAYOUT_VHOST_REMOTE_LIOBN(n);
		a->partner_reg = LAYOUT_VCLIENT_REG(c->partner_slot);
	} else {
		desc.name = "v-scsi";
		desc.dt_name = "v-scsi";
		desc.dt_type = "vscsi";
		desc.dt_compatible = "IBM,v-scsi";
		desc.dt_scsi_bus = true;
		desc.reg = LAYOUT_VCLIENT_REG(n);
		desc.irq = LAYOUT_VCLIENT_IRQ(n);
		desc.ops = &client_ops;
		a->partner_reg = LAYOUT_VHOST_REG(c->partner_slot);
	}
	a->lpar = l;
	a->name = c->name;
	a->server = server;
	a->partner_lpid = c->partner_lpid;
	a->dev = vio_bus_add(l, &desc, a);
	return a->dev != NULL;
}

static bool vios_create(struct lpar *l)
{
	struct vios_part *vp = vios_of(l);

	for (uint32_t i = 0; i < l->cfg.vhost_count &&
			     i < CONFIG_MAX_VSCSI_PAIRS; i++) {
		if (!adapter_create(l, &vp->ad[vp->count], true, i)) {
			return false;
		}
		vp->count++;
	}
	for (uint32_t i = 0; i < l->cfg.vclient_count &&
			     i < CONFIG_MAX_VSCSI_PAIRS; i++) {
		if (!adapter_create(l, &vp->ad[vp->count], false, i)) {
			return false;
		}
		vp->count++;
	}
	return true;
}

/*
 * The partition stopped (to stay stopped or to boot again): each queue
 * is gone, as after H_FREE_CRQ, and a partner that was connected gets
 * "partner partition failed".  Also at reset, for a boot with no stop
 * before it (then nothing is registered and nothing is sent).
 */
static void vios_down(struct lpar *l)
{
	struct vios_part *vp = vios_of(l);

	for (uint32_t i = 0; i < vp->count; i++) {
		struct vios_adapter *a = &vp->ad[i];
		bool was;

		spin_lock(&a->dev->lock);
		was = crq_registered(&a->dev->crq);
		crq_free(&a->dev->crq);
		a->dev->signal_state = 0;
		spin_unlock(&a->dev->lock);
		if (was) {
			send_event(a, CRQ_EV_PARTNER_FAILED);
		}
	}
}

static void vios_stop(struct lpar *l, bool restarting)
{
	(void)restarting;
	vios_down(l);
}

static size_t vios_describe(const struct lpar *l, char *buf, size_t size)
{
	const struct vios_part *vp = vios_of(l);
	size_t n = 0;

	if (!size) {
		return 0;
	}
	buf[0] = '\0';
	for (uint32_t i = 0; i < vp->count && n + 1 < size; i++) {
		const struct vios_adapter *a = &vp->ad[i];
		const struct lpar *pl = lpar_by_lpid(a->partner_lpid);

		n += hv_snprintf(buf + n, size - n,
				 "%s%s %s of \"%s\" %s sent %llu events %llu "
				 "copies %llu (%llu KiB) refused %llu",
				 i ? "; " : "", a->name,
				 a->server ? "server" : "client",
				 pl ? pl->cfg.name : "-",
				 __atomic_load_n(&a->dev->crq.len,
						 __ATOMIC_RELAXED) ? "open"
								   : "closed",
				 (unsigned long long)__atomic_load_n(
					 &a->sent, __ATOMIC_RELAXED),
				 (unsigned long long)__atomic_load_n(
					 &a->events, __ATOMIC_RELAXED),
				 (unsigned long long)__atomic_load_n(
					 &a->copies, __ATOMIC_RELAXED),
				 (unsigned long long)(__atomic_load_n(
					 &a->copy_bytes, __ATOMIC_RELAXED) >>
					 10),
				 (unsigned long long)__atomic_load_n(
					 &a->refused, __ATOMIC_RELAXED));
	}
	return MIN(n, size - 1);
}

LPAR_UNIT(vios, .order = UNIT_ORDER_VIOS, .slot = &vios_slot,
	  .state_size = sizeof(struct vios_part), .create = vios_create,
	  .reset = vios_down, .stop = vios_stop, .describe = vios_describe);

/* A window H_COPY_RDMA may use, and whose lock covers it. */
struct rdma_side {
	struct lpar *l;            /* whose memory */
	struct vio_dev *d;         /* whose TCE table and lock */
	struct vios_adapter *via;  /* a remote pane: the caller's server */
};

/*
 * LIOBN `liobn` as partition `l` may name it (LoPAR: only the panes of
 * its own ibm,my-dma-window properties): a window of one of its VIO
 * devices, or a server adapter's remote pane, which is the partner
 * client's window.
 */
static bool rdma_window(struct lpar *l, uint64_t liobn, struct rdma_side *s)
{
	struct vios_part *vp = vios_of(l);
	struct vio_dev *d;

	if (liobn >> 32) {
		return false;
	}
	d = vio_bus_find(l, liobn);
	if (d && d->tce.entries) {
		s->l = l;
		s->d = d;
		s->via = NULL;
		return true;
	}
	for (uint32_t i = 0; i < vp->count; i++) {
		struct vios_adapter *a = &vp->ad[i];

		if (a->server && a->remote_liobn == liobn) {
			s->via = a;
			s->d = partner_of(a, &s->l);
			return s->d != NULL;
		}
	}
	return false;
}

/* Under the window's lock: a remote pane is usable only while both
 * queues of the pair are registered. */
static bool side_connected(const struct rdma_side *s)
{
	return !s->via ||
	       (crq_registered(&s->d->crq) &&
		__atomic_load_n(&s->via->dev->crq.len, __ATOMIC_RELAXED));
}

/*
 * H_COPY_RDMA(len, source LIOBN, source bus address, destination LIOBN,
 * destination bus address) (LoPAR "H_COPY_RDMA"): H_PARAMETER for a
 * length over 128 KiB; H_SOURCE_PARM / H_DEST_PARM for a LIOBN the caller
 * may not name, a remote pane whose connection is down, or a range
 * leaving its window; H_PERMISSION for a page not mapped for reading
 * (source) or writing (destination).  Nothing is copied unless every
 * check passes.
 */
static int64_t h_copy_rdma(struct vcpu *vc, struct hcall_args *a)
{
	struct lpar *l = vc->lpar;
	uint64_t len = a->arg[0];
	struct rdma_side s, d;
	struct vio_dev *first, *second;
	struct vios_adapter *who;
	enum tce_copy_err e;
	int64_t ret;

	if (len > VIOS_MAX_RDMA) {
		return H_PARAMETER;
	}
	if (!rdma_window(l, a->arg[1], &s)) {
		return H_SOURCE_PARM;
	}
	if (!rdma_window(l, a->arg[3], &d)) {
		return H_DEST_PARM;
	}
	first = (uintptr_t)s.d <= (uintptr_t)d.d ? s.d : d.d;
	second = first == s.d ? d.d : s.d;
	spin_lock(&first->lock);
	if (second != first) {
		spin_lock(&second->lock);
	}
	if (!side_connected(&s)) {
		e = TCE_COPY_SRC_RANGE;
	} else if (!side_connected(&d)) {
		e = TCE_COPY_DST_RANGE;
	} else {
		e = tce_copy(&s.d->tce, &s.l->mem, a->arg[2], &d.d->tce,
			     &d.l->mem, a->arg[4], len);
	}
	if (second != first) {
		spin_unlock(&second->lock);
	}
	spin_unlock(&first->lock);
	switch (e) {
	case TCE_COPY_OK:
		ret = H_SUCCESS;
		break;
	case TCE_COPY_SRC_RANGE:
		ret = H_SOURCE_PARM;
		break;
	case TCE_COPY_DST_RANGE:
		ret = H_DEST_PARM;
		break;
	default:
		ret = H_PERMISSION;
		break;
	}
	who = s.via ? s.via : d.via;
	if (who) {
		if (ret == H_SUCCESS) {
			count(&who->copies, 1);
			count(&who->copy_bytes, len);
		} else {
			count(&who->refused, 1);
		}
	}
	return ret;
}
HCALL(H_COPY_RDMA, h_copy_rdma, 0, HCALL_NO_SET, HCALL_INTC_ANY,
      "done (VIOS: own windows and a server's remote pane while connected; "
      "at most 128 KiB)");

/*
 * H_VIOCTL(unit, subfunction, ...) (LoPAR "H_VIOCTL"): H_PARAMETER for
 * no device there; GET_PARTNER_INFO (descriptor: length << 32 | bus
 * address) on a VIOS adapter writes the partner's LPID and unit address
 * (8 bytes each, big-endian) and an empty location code, H_PARAMETER when
 * the buffer is shorter or not writable, H_CLOSED when the partner is
 * disabled; every other subfunction, or a device without a partner, gets
 * H_NOT_FOUND (ibmvscsis's suspend subfunctions).
 */
static int64_t h_vioctl(struct vcpu *vc, struct hcall_args *a)
{
	struct vio_dev *d = vio_bus_find(vc->lpar, (uint32_t)a->arg[0]);
	struct vios_adapter *ad;
	uint8_t info[PARTNER_INFO_LEN] = { 0 };
	uint64_t ioba = a->arg[2] & 0xffffffffull, len = a->arg[2] >> 32;

	if (!d) {
		return H_PARAMETER;
	}
	if (a->arg[1] != VIOCTL_GET_PARTNER_INFO ||
	    (d->desc.ops != &server_ops && d->desc.ops != &client_ops)) {
		return H_NOT_FOUND;
	}
	ad = d->priv;
	if (!ad->partner_lpid) {
		return H_CLOSED;
	}
	if (len < PARTNER_INFO_LEN) {
		return H_PARAMETER;
	}
	put_be64(info, ad->partner_lpid);
	put_be64(info + 8, ad->partner_reg);
	return vio_dma_write(vc->lpar, d, ioba, info, sizeof(info))
		       ? H_SUCCESS
		       : H_PARAMETER;
}
HCALL(H_VIOCTL, h_vioctl, 0, HCALL_NO_SET, HCALL_INTC_ANY,
      "partial: GET_PARTNER_INFO of VIOS adapters; other subfunctions "
      "H_NOT_FOUND");
