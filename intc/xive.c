/*
 * Native XIVE for partitions: resources from the host XIVE, the H_INT_*
 * hcalls, and the OS context push/pull at vCPU entry and stop.  Return
 * codes are those of QEMU 7.2 hw/intc/spapr_xive.c (the reference), with
 * the ownership checks real hardware needs on top.  The H_INT_* hcalls
 * are registered here (HCALL rows) and take the controller's lock
 * (struct intc_part, intc/intc.h); callers of xive_reset() hold it.
 */
#include "hv/console.h"
#include "hv/hcall.h"
#include "hv/lib/string.h"
#include "hv/lpar.h"
#include "hv/lpar_ops.h"
#include "intc/intc.h"
#include "intc/xive.h"
#include "intc/xive_hw.h"
#include "mm/mem.h"

/* What a guest vCPU's OS ring starts with: CPPR 0 (all masked), ACK# 0xff. */
#define OS_RING_INITIAL 0x00000000ff000000ull
#define RESERVED_PRIO 7

static uint32_t order_of(uint32_t n)
{
	uint32_t o = 0;

	while ((1u << o) < n) {
		o++;
	}
	return o;
}

static struct xive_src *find_src(struct xive_part *x, uint64_t lisn)
{
	if (lisn < x->vcpus) {
		return &x->src[lisn];
	}
	for (uint32_t i = x->vcpus; i < x->nsrc; i++) {
		if (x->src[i].lisn == lisn) {
			return &x->src[i];
		}
	}
	return NULL;
}

static bool prio_reserved(uint64_t prio)
{
	return prio >= RESERVED_PRIO;
}

static bool map_source(struct xive_part *x, struct xive_src *s)
{
	uint64_t gpa = XIVE_GUEST_VC_BASE + (uint64_t)s->lisn * 2 * SZ_64K;

	if (s->trig_page &&
	    !lpar_map_io(x->lpar, gpa, s->trig_page, SZ_64K)) {
		return false;
	}
	return lpar_map_io(x->lpar, gpa + SZ_64K, s->eoi_page, SZ_64K);
}

static void mask_source(struct xive_src *s);

static bool add_source(struct xive_part *x, struct xive_src *s, uint32_t lisn)
{
	struct xive_hw_irq info;
	int64_t rc;

	s->lisn = lisn;
	if (!s->borrowed) {
		rc = xive_hw_alloc_irq(&s->girq);
		if (rc) {
			s->girq = 0;
			return false;
		}
	}
	rc = xive_hw_irq_info(s->girq, &info);
	/*
	 * OPAL's shift covers the whole ESB: 2 pages of 64 KiB (trigger,
	 * then management) or one management page that also triggers.
	 */
	if (rc || !info.eoi_page || info.lsi != s->lsi ||
	    info.shift != XIVE_GUEST_ESB_SHIFT + (info.trig_page ? 1 : 0)) {
		return false;
	}
	s->trig_page = info.trig_page;
	s->eoi_page = info.eoi_page;
	s->store_eoi = info.store_eoi;
	return map_source(x, s);
}

void xive_destroy(struct xive_part *x)
{
	if (!x) {
		return;
	}
	if (x->src) {
		for (uint32_t i = 0; i < x->nsrc; i++) {
			if (x->src[i].girq) {
				xive_hw_set_irq(x->src[i].girq, 0,
						XIVE_HW_PRIO_MASKED, 0);
				if (!x->src[i].borrowed) {
					xive_hw_free_irq(x->src[i].girq);
				}
			}
		}
		mem_free(x->src);
	}
	if (x->vp) {
		for (uint32_t i = 0; i < x->vcpus; i++) {
			for (uint8_t p = 0; p < RESERVED_PRIO; p++) {
				xive_hw_set_queue(x->vp_base + i, p, 0, 0, false);
			}
			xive_hw_enable_vp(x->vp_base + i, false, NULL);
		}
		mem_free(x->vp);
	}
	if (x->vp_base) {
		xive_hw_free_vps(x->vp_base);
	}
	mem_free(x);
}

struct xive_part *xive_create(struct lpar *l, const uint32_t *dev_lisns,
			      uint32_t ndev)
{
	struct xive_part *x;
	const char *what = "out of hypervisor heap";
	uint32_t vcpus = l->vcpu_count;

	if (!xive_hw_ready()) {
		hv_printf("lparvisor: partition \"%s\": property "
			  "\"interrupt-controller\": this machine's XIVE is not "
			  "available; not started\n", l->cfg.name);
		return NULL;
	}
	x = mem_zalloc(sizeof(*x), 64);
	if (!x) {
		goto fail_msg;
	}
	x->lpar = l;
	x->vcpus = vcpus;
	x->nsrc = vcpus + MIN(ndev, (uint32_t)XIVE_MAX_DEVICE_LISNS);
	x->src = mem_zalloc(sizeof(*x->src) * x->nsrc, 64);
	x->vp = mem_zalloc(sizeof(*x->vp) * vcpus, 64);
	if (!x->src || !x->vp) {
		goto fail;
	}
	what = "no virtual processors left in the XIVE";
	if (xive_hw_alloc_vps(order_of(vcpus), &x->vp_base) || !x->vp_base) {
		x->vp_base = 0;
		goto fail;
	}
	for (uint32_t i = 0; i < vcpus; i++) {
		if (xive_hw_enable_vp(x->vp_base + i, true, &x->vp[i].cam)) {
			goto fail;
		}
	}
	what = "no interrupts left in the XIVE, or their pages cannot be "
	       "mapped";
	for (uint32_t i = 0; i < x->nsrc; i++) {
		uint32_t lisn = i < vcpus ? i : dev_lisns[i - vcpus];

		if (!add_source(x, &x->src[i], lisn)) {
			goto fail;
		}
	}
	what = "the TIMA page cannot be mapped";
	if (!lpar_map_io(l, XIVE_GUEST_TM_BASE +
				    XIVE_GUEST_TM_PAGE_OS * SZ_64K,
			 xive_hw_tima_os_page(), SZ_64K)) {
		goto fail;
	}
	xive_reset(x);
	return x;
fail:
	xive_destroy(x);
fail_msg:
	hv_printf("lparvisor: partition \"%s\": XIVE set-up failed: %s; not "
		  "started\n", l->cfg.name, what);
	return NULL;
}

static bool adopt(struct xive_part *x, uint32_t lisn, uint32_t girq,
		  uint32_t n, bool lsi)
{
	struct xive_src *src;

	for (uint32_t i = 0; i < n; i++) {
		if (find_src(x, lisn + i) || lisn + i < x->vcpus) {
			hv_printf("lparvisor: partition \"%s\": LISN 0x%x "
				  "taken twice\n", x->lpar->cfg.name, lisn + i);
			return false;
		}
	}
	src = mem_zalloc(sizeof(*src) * (x->nsrc + n), 64);
	if (!src) {
		hv_printf("lparvisor: partition \"%s\": out of heap for its "
			  "device interrupts\n", x->lpar->cfg.name);
		return false;
	}
	memcpy(src, x->src, sizeof(*src) * x->nsrc);
	mem_free(x->src);
	x->src = src;
	for (uint32_t i = 0; i < n; i++) {
		struct xive_src *s = &x->src[x->nsrc];

		s->borrowed = true;
		s->lsi = lsi;
		s->girq = girq + i;
		x->nsrc++;
		if (!add_source(x, s, lisn + i)) {
			hv_printf("lparvisor: partition \"%s\": host interrupt "
				  "0x%x cannot be its LISN 0x%x\n",
				  x->lpar->cfg.name, girq + i, lisn + i);
			return false;
		}
		mask_source(s);
		(void)xive_hw_esb_load(s->eoi_page + XIVE_ESB_SET_PQ_01);
	}
	return true;
}

bool xive_adopt_sources(struct xive_part *x, uint32_t lisn, uint32_t girq,
			uint32_t n)
{
	return adopt(x, lisn, girq, n, false);
}

bool xive_adopt_lsis(struct xive_part *x, uint32_t lisn, uint32_t girq,
		     uint32_t n)
{
	return adopt(x, lisn, girq, n, true);
}

/* Route nowhere, as a fresh EAS: masked, target 0, data 0. */
static void mask_source(struct xive_src *s)
{
	s->masked = true;
	s->target = 0;
	s->prio = 0;
	s->eisn = 0;
	xive_hw_set_irq(s->girq, 0, XIVE_HW_PRIO_MASKED, 0);
	xive_hw_sync(XIVE_HW_SYNC_EAS, s->girq);
}

void xive_reset(struct xive_part *x)
{
	for (uint32_t i = 0; i < x->nsrc; i++) {
		mask_source(&x->src[i]);
		/* As a source reset: PQ=01, nothing pending, events dropped. */
		(void)xive_hw_esb_load(x->src[i].eoi_page + XIVE_ESB_SET_PQ_01);
	}
	for (uint32_t v = 0; v < x->vcpus; v++) {
		for (uint8_t p = 0; p < RESERVED_PRIO; p++) {
			struct xive_queue *q = &x->vp[v].q[p];

			if (q->shift) {
				xive_hw_set_queue(x->vp_base + v, p, 0, 0, false);
			}
			memset(q, 0, sizeof(*q));
		}
	}
}

bool xive_has_device_lisn(struct xive_part *x, uint32_t lisn)
{
	return lisn >= x->vcpus && find_src(x, lisn) != NULL;
}

void xive_trigger(struct xive_part *x, uint32_t lisn)
{
	struct xive_src *s = find_src(x, lisn);

	if (s) {
		xive_hw_esb_store(s->trig_page ? s->trig_page : s->eoi_page, 0);
	}
}

void xive_vcpu_enter(struct xive_part *x, uint32_t vcpu)
{
	struct xive_vp *vp = &x->vp[vcpu];

	if (!vp->pushed) {
		xive_hw_push_os(OS_RING_INITIAL, vp->cam);
		vp->pushed = true;
	}
}

void xive_vcpu_leave(struct xive_part *x, uint32_t vcpu)
{
	struct xive_vp *vp = &x->vp[vcpu];

	if (vp->pushed) {
		(void)xive_hw_pull_os();
		vp->pushed = false;
	}
}

bool xive_vcpu_pending(struct xive_part *x, uint32_t vcpu)
{
	return x->vp[vcpu].pushed && xive_hw_os_pending();
}

/* --- hcalls ------------------------------------------------------------ */

/* Common checks of the source hcalls: flags (H_PARAMETER), LISN (H_P2). */
static int64_t source_args(struct xive_part *x, struct hcall_args *a,
			   uint64_t flags_ok, struct xive_src **s)
{
	if (a->arg[0] & ~flags_ok) {
		return H_PARAMETER;
	}
	*s = find_src(x, a->arg[1]);
	return *s ? H_SUCCESS : H_P2;
}

static int64_t get_source_info(struct xive_part *x, struct hcall_args *a)
{
	struct xive_src *s;
	uint64_t gpa;
	int64_t rc = source_args(x, a, 0, &s);

	if (rc) {
		return rc;
	}
	gpa = XIVE_GUEST_VC_BASE + (uint64_t)s->lisn * 2 * SZ_64K;
	a->ret[0] = (s->store_eoi ? XIVE_SRC_STORE_EOI : 0) |
		    (s->trig_page ? 0 : XIVE_SRC_TRIGGER);
	if (s->lsi) {
		/* As QEMU 7.2 (spapr_xive.c): the guest's ESB operations on
		 * a level source go through H_INT_ESB. */
		a->ret[0] |= XIVE_SRC_LSI | XIVE_SRC_H_INT_ESB;
	}
	a->ret[1] = gpa + SZ_64K;
	a->ret[2] = s->trig_page ? gpa : ~0ull;
	a->ret[3] = XIVE_GUEST_ESB_SHIFT;
	a->ret_count = 4;
	return H_SUCCESS;
}

static int64_t set_source_config(struct xive_part *x, struct hcall_args *a)
{
	uint64_t flags = a->arg[0], target = a->arg[2], prio = a->arg[3];
	struct xive_src *s;
	bool masked;
	int64_t rc = source_args(x, a, XIVE_SRC_SET_EISN | XIVE_SRC_MASK, &s);

	if (rc) {
		return rc;
	}
	if (prio == XIVE_HW_PRIO_MASKED) {
		mask_source(s);
		return H_SUCCESS;
	}
	if (prio_reserved(prio)) {
		return H_P4;
	}
	if (target >= x->vcpus) {
		return H_P3;
	}
	masked = flags & XIVE_SRC_MASK;
	rc = xive_hw_set_irq(s->girq, masked ? 0 : x->vp_base + (uint32_t)target,
			     masked ? XIVE_HW_PRIO_MASKED : (uint8_t)prio,
			     (flags & XIVE_SRC_SET_EISN) ? (uint32_t)a->arg[4] :
							   s->eisn);
	if (rc) {
		return H_HARDWARE;
	}
	s->masked = masked;
	s->target = (uint32_t)target;
	s->prio = (uint8_t)prio;
	if (flags & XIVE_SRC_SET_EISN) {
		s->eisn = (uint32_t)a->arg[4];
	}
	xive_hw_sync(XIVE_HW_SYNC_EAS, s->girq);
	return H_SUCCESS;
}

static int64_t get_source_config(struct xive_part *x, struct hcall_args *a)
{
	struct xive_src *s;
	int64_t rc = source_args(x, a, 0, &s);

	if (rc) {
		return rc;
	}
	a->ret[0] = s->target;
	a->ret[1] = s->masked ? XIVE_HW_PRIO_MASKED : s->prio;
	a->ret[2] = s->eisn;
	a->ret_count = 3;
	return H_SUCCESS;
}

/* Common checks of the queue hcalls: flags, priority (H_P3), target (H_P2). */
static int64_t queue_args(struct xive_part *x, struct hcall_args *a,
			  uint64_t flags_ok, struct xive_queue **q)
{
	uint64_t target = a->arg[1], prio = a->arg[2];

	if (a->arg[0] & ~flags_ok) {
		return H_PARAMETER;
	}
	if (prio_reserved(prio)) {
		return H_P3;
	}
	if (target >= x->vcpus) {
		return H_P2;
	}
	*q = &x->vp[target].q[prio];
	return H_SUCCESS;
}

static int64_t get_queue_info(struct xive_part *x, struct hcall_args *a)
{
	struct xive_queue *q;
	int64_t rc = queue_args(x, a, 0, &q);

	if (rc) {
		return rc;
	}
	/* The notification (END ESB) page QEMU reports; it is not mapped. */
	a->ret[0] = XIVE_GUEST_END_BASE +
		    (((uint64_t)a->arg[1] << 3) + a->arg[2]) * 4 * SZ_64K;
	a->ret[1] = q->shift;
	a->ret_count = 2;
	return H_SUCCESS;
}

static int64_t set_queue_config(struct xive_part *x, struct hcall_args *a)
{
	uint64_t qpage = a->arg[3], qshift = a->arg[4];
	uint32_t vp = x->vp_base + (uint32_t)a->arg[1];
	uint8_t prio = (uint8_t)a->arg[2];
	struct xive_queue *q;
	int64_t rc = queue_args(x, a, XIVE_END_ALWAYS_NOTIFY, &q);
	bool notify = a->arg[0] & XIVE_END_ALWAYS_NOTIFY;

	if (rc) {
		return rc;
	}
	switch (qshift) {
	case 12:
	case 16:
	case 21:
	case 24:
		if (!IS_ALIGNED(qpage, 1ull << qshift)) {
			return H_P4;
		}
		/* The hardware writes the queue: it must be the guest's own. */
		if (!gmem_owns(&x->lpar->mem, qpage, 1ull << qshift)) {
			return H_P4;
		}
		break;
	case 0:
		if (q->shift && xive_hw_set_queue(vp, prio, 0, 0, false)) {
			return H_HARDWARE;
		}
		memset(q, 0, sizeof(*q));
		return H_SUCCESS;
	default:
		return H_P5;
	}
	/* Cleared before the hardware writes it (mm/lazy.h). */
	gmem_touch(&x->lpar->mem, qpage, 1ull << qshift);
	if (xive_hw_set_queue(vp, prio, x->lpar->mem.hpa + qpage,
			      (uint32_t)qshift, notify)) {
		return H_HARDWARE;
	}
	q->gpa = qpage;
	q->shift = (uint32_t)qshift;
	q->notify = notify;
	return H_SUCCESS;
}

static int64_t get_queue_config(struct xive_part *x, struct hcall_args *a)
{
	bool debug = a->arg[0] & XIVE_END_DEBUG;
	uint32_t toggle = 0, index = 0;
	struct xive_queue *q;
	int64_t rc = queue_args(x, a, XIVE_END_DEBUG, &q);

	if (rc) {
		return rc;
	}
	a->ret[0] = q->notify ? XIVE_END_ALWAYS_NOTIFY : 0;
	a->ret[1] = q->shift ? q->gpa : 0;
	a->ret[2] = q->shift;
	a->ret[3] = 0;
	if (debug && q->shift &&
	    !xive_hw_queue_state(x->vp_base + (uint32_t)a->arg[1],
				 (uint8_t)a->arg[2], &toggle, &index)) {
		a->ret[0] |= toggle ? XIVE_END_GENERATION : 0;
		a->ret[3] = index;
	}
	a->ret_count = 4;
	return H_SUCCESS;
}

static int64_t esb(struct xive_part *x, struct hcall_args *a)
{
	uint64_t flags = a->arg[0], offset = a->arg[2];
	struct xive_src *s;
	int64_t rc = source_args(x, a, XIVE_ESB_STORE, &s);

	if (rc) {
		return rc;
	}
	/* Within the management page, 8-byte aligned: a real access. */
	if (offset >= (1ull << XIVE_GUEST_ESB_SHIFT) || (offset & 7)) {
		return H_P3;
	}
	if (flags & XIVE_ESB_STORE) {
		xive_hw_esb_store(s->eoi_page + offset, a->arg[3]);
		a->ret[0] = ~0ull;
	} else {
		a->ret[0] = xive_hw_esb_load(s->eoi_page + offset);
	}
	a->ret_count = 1;
	return H_SUCCESS;
}

static int64_t sync_source(struct xive_part *x, struct hcall_args *a)
{
	struct xive_src *s;
	int64_t rc = source_args(x, a, 0, &s);

	if (rc) {
		return rc;
	}
	return xive_hw_sync(XIVE_HW_SYNC_EAS, s->girq) ? H_HARDWARE : H_SUCCESS;
}

static int64_t int_reset(struct xive_part *x, struct hcall_args *a)
{
	if (a->arg[0]) {
		return H_PARAMETER;
	}
	xive_reset(x);
	return H_SUCCESS;
}

/* Every H_INT_* call runs under the controller's lock (intc/intc.h). */
static int64_t locked(struct vcpu *vc, struct hcall_args *a,
		      int64_t (*op)(struct xive_part *x, struct hcall_args *a))
{
	struct lpar *l = vc->lpar;
	int64_t rc;

	spin_lock(&intc_of(l)->lock);
	rc = op(intc_of(l)->xive, a);
	spin_unlock(&intc_of(l)->lock);
	return rc;
}

/*
 * The rows: XIVE partitions only (a XICS partition gets H_FUNCTION, as
 * QEMU 7.2 before client-architecture-support negotiates XIVE).
 */
static int64_t h_int_get_source_info(struct vcpu *vc, struct hcall_args *a)
{
	return locked(vc, a, get_source_info);
}
HCALL(H_INT_GET_SOURCE_INFO, h_int_get_source_info, 4, HCALL_NO_SET,
      HCALL_INTC_XIVE, "done (XIVE partitions)");

static int64_t h_int_set_source_config(struct vcpu *vc, struct hcall_args *a)
{
	return locked(vc, a, set_source_config);
}
HCALL(H_INT_SET_SOURCE_CONFIG, h_int_set_source_config, 0, HCALL_NO_SET,
      HCALL_INTC_XIVE, "done (XIVE partitions)");

static int64_t h_int_get_source_config(struct vcpu *vc, struct hcall_args *a)
{
	return locked(vc, a, get_source_config);
}
HCALL(H_INT_GET_SOURCE_CONFIG, h_int_get_source_config, 3, HCALL_NO_SET,
      HCALL_INTC_XIVE, "done (XIVE partitions)");

static int64_t h_int_get_queue_info(struct vcpu *vc, struct hcall_args *a)
{
	return locked(vc, a, get_queue_info);
}
HCALL(H_INT_GET_QUEUE_INFO, h_int_get_queue_info, 2, HCALL_NO_SET,
      HCALL_INTC_XIVE,
      "partial: the notification page it reports is not mapped (as QEMU)");

static int64_t h_int_set_queue_config(struct vcpu *vc, struct hcall_args *a)
{
	return locked(vc, a, set_queue_config);
}
HCALL(H_INT_SET_QUEUE_CONFIG, h_int_set_queue_config, 0, HCALL_NO_SET,
      HCALL_INTC_XIVE, "done (XIVE partitions)");

static int64_t h_int_get_queue_config(struct vcpu *vc, struct hcall_args *a)
{
	return locked(vc, a, get_queue_config);
}
HCALL(H_INT_GET_QUEUE_CONFIG, h_int_get_queue_config, 4, HCALL_NO_SET,
      HCALL_INTC_XIVE, "done (XIVE partitions)");

/* Not offered, as QEMU: listed so that the table shows the answer. */
static int64_t h_int_os_reporting_line(struct vcpu *vc, struct hcall_args *a)
{
	(void)vc;
	(void)a;
	return H_FUNCTION;
}
HCALL(H_INT_SET_OS_REPORTING_LINE, h_int_os_reporting_line, 0, HCALL_NO_SET,
      HCALL_INTC_XIVE, "H_FUNCTION, as QEMU");
HCALL(H_INT_GET_OS_REPORTING_LINE, h_int_os_reporting_line, 1, HCALL_NO_SET,
      HCALL_INTC_XIVE, "H_FUNCTION, as QEMU");

static int64_t h_int_esb(struct vcpu *vc, struct hcall_args *a)
{
	return locked(vc, a, esb);
}
HCALL(H_INT_ESB, h_int_esb, 1, HCALL_NO_SET, HCALL_INTC_XIVE,
      "done (XIVE partitions)");

static int64_t h_int_sync(struct vcpu *vc, struct hcall_args *a)
{
	return locked(vc, a, sync_source);
}
HCALL(H_INT_SYNC, h_int_sync, 0, HCALL_NO_SET, HCALL_INTC_XIVE,
      "done (XIVE partitions)");

static int64_t h_int_reset(struct vcpu *vc, struct hcall_args *a)
{
	return locked(vc, a, int_reset);
}
HCALL(H_INT_RESET, h_int_reset, 0, HCALL_NO_SET, HCALL_INTC_XIVE,
      "done (XIVE partitions)");
