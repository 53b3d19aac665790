/*
 * Glue between partitions and their interrupt controller, one lock (the
 * controller's own, struct intc_part) around every operation.  XICS
 * partitions get the emulated XICS: the output line of each server is
 * mirrored into its vCPU, where guest_exit() turns it into an external
 * interrupt (a raised line kicks the vCPU's thread: hv/guest.c).  XIVE partitions get the host XIVE
 * (intc/xive.c), which delivers straight to the running vCPU.  The XICS
 * hcalls and RTAS services are registered here, each for XICS partitions
 * only; the XIVE ones in intc/xive.c.
 */
#include "hv/console.h"
#include "hv/abi/rtas.h"
#include "hv/cpu.h"
#include "hv/hv.h"
#include "hv/machine.h"
#include "hv/lpar_ops.h"
#include "intc/intc.h"
#include "intc/xics.h"
#include "intc/xics_fwd.h"
#include "intc/xive.h"
#include "intc/xive_hw.h"
#include "hv/percpu.h"
#include "hv/spr.h"
#include "hv/guest_dt.h"
#include "hv/unit.h"
#include "mm/mem.h"
#include "rtas/rtas.h"

static uint32_t intc_slot;

struct intc_part *intc_of(const struct lpar *l)
{
	return lpar_unit_state(l, intc_slot);
}

static void notify(void *ctx, uint32_t server, bool line)
{
	struct lpar *l = ctx;
	struct vcpu *vc = lpar_vcpu(l, server);

	if (vc) {
		__atomic_store_n(&vc->irq, line ? 1u : 0u, __ATOMIC_RELEASE);
		if (line) {
			intc_of(l)->kicks |= 1ull << server; /* once the lock is dropped */
		}
	}
}

/*
 * Drop the controller's lock, then kick the vCPUs whose line rose under it:
 * a kicked vCPU's first act is to take this lock, so kicking while
 * holding it would only make the vCPU wait for us.
 */
static void unlock_and_kick(struct lpar *l)
{
	uint64_t m = intc_of(l)->kicks;

	intc_of(l)->kicks = 0;
	spin_unlock(&intc_of(l)->lock);
	for (uint32_t i = 0; m; i++, m >>= 1) {
		if (m & 1) {
			vcpu_kick(l->vcpus[i]);
		}
	}
}

static const uint32_t device_lisns[] = { GUEST_DT_IRQ_EPOW,
					  GUEST_DT_IRQ_HOTPLUG, INTC_VTY_IRQ,
					  LAYOUT_VSCSI_IRQ };

_Static_assert(ARRAY_SIZE(device_lisns) + CONFIG_MAX_LANS +
			       2 * CONFIG_MAX_VSCSI_PAIRS <=
		       XIVE_MAX_DEVICE_LISNS,
	       "a XIVE partition's device LISNs: the fixed ones, a LAN "
	       "adapter's and a VIOS adapter's each");

/*
 * Whether the 4 interrupts after host PHB `h`'s MSIs are its INTA..INTD,
 * as skiboot lays them out: OPAL must call each an LSI.  When not, the
 * partition gets no LSIs of it (no interrupt-map) and a line says so.
 */
static bool phb_lsis_ok(const struct lpar *l, uint32_t i,
			const struct machine_phb *h)
{
	struct xive_hw_irq info;

	if (!h || h->lsi_count < LAYOUT_PHB_LSIS || !xive_hw_ready()) {
		return false;
	}
	for (uint32_t k = 0; k < LAYOUT_PHB_LSIS; k++) {
		if (xive_hw_irq_info(h->lsi_base + k, &info) || !info.lsi ||
		    !info.eoi_page) {
			hv_printf("lparvisor: partition \"%s\": PHB %u:%u: "
				  "host interrupt 0x%x is not an LSI; its "
				  "INTx not given\n", l->cfg.name,
				  l->cfg.phbs[i].chip, l->cfg.phbs[i].index,
				  h->lsi_base + k);
			return false;
		}
	}
	return true;
}

/*
 * A XICS partition owning PCI host bridges: their first LAYOUT_PHB_MSIS
 * MSI sources each become XICS source LAYOUT_PHB_MSI_LISN(n) + k, claimed
 * as message sources, and their INTA..INTD sources LAYOUT_PHB_LSI_LISN(n)
 * + k, claimed as level sources, forwarded from the host XIVE
 * (intc/xics_fwd.h).
 */
static bool intc_fwd_create(struct lpar *l)
{
	struct intc_part *ic = intc_of(l);
	uint32_t n = 0;

	for (uint32_t i = 0; i < l->cfg.phb_count; i++) {
		const struct machine_phb *h = machine_find_phb(
			&hv_machine, l->cfg.phbs[i].chip, l->cfg.phbs[i].index);

		ic->phb_lsis[i] = phb_lsis_ok(l, i, h);
		if ((h && h->msi_count >= LAYOUT_PHB_MSIS) || ic->phb_lsis[i]) {
			n++;
		}
	}
	if (!n || !xive_hw_ready()) {
		return true; /* no MSIs to forward: pci/msi.c hands out none */
	}
	ic->fwd = xics_fwd_create(l->cfg.name);
	if (!ic->fwd) {
		return false;
	}
	for (uint32_t i = 0; i < l->cfg.phb_count; i++) {
		const struct machine_phb *h = machine_find_phb(
			&hv_machine, l->cfg.phbs[i].chip, l->cfg.phbs[i].index);

		for (uint32_t k = 0; ic->phb_lsis[i] && k < LAYOUT_PHB_LSIS;
		     k++) {
			uint32_t irq = LAYOUT_PHB_LSI_LISN(i) + k;

			if (xics_irq_claim(ic->xics, irq, true) != XICS_OK ||
			    !xics_fwd_add_lsi(ic->fwd, h->lsi_base + k, irq)) {
				hv_printf("lparvisor: partition \"%s\": host "
					  "LSI 0x%x cannot be its XICS "
					  "source 0x%x; not started\n",
					  l->cfg.name, h->lsi_base + k, irq);
				return false;
			}
		}
		if (!h || h->msi_count < LAYOUT_PHB_MSIS) {
			continue;
		}
		for (uint32_t k = 0; k < LAYOUT_PHB_MSIS; k++) {
			uint32_t irq = LAYOUT_PHB_MSI_LISN(i) + k;

			if (xics_irq_claim(ic->xics, irq, false) != XICS_OK ||
			    !xics_fwd_add(ic->fwd, h->msi_base + k, irq)) {
				hv_printf("lparvisor: partition \"%s\": host "
					  "interrupt 0x%x cannot be its XICS "
					  "source 0x%x; not started\n",
					  l->cfg.name, h->msi_base + k, irq);
				return false; /* intc_destroy() gives back */
			}
		}
	}
	return true;
}

bool intc_has_fwd(const struct lpar *l)
{
	return intc_of(l)->fwd != NULL;
}

bool intc_phb_lsis(const struct lpar *l, uint32_t i)
{
	const struct intc_part *ic = intc_of(l);

	if (i >= CONFIG_MAX_PHBS || !ic->phb_lsis[i]) {
		return false;
	}
	/* A dual partition's go through its XIVE only, as its MSIs. */
	return l->cfg.intc == CONFIG_INTC_XIVE ? ic->xive != NULL :
						 ic->fwd != NULL;
}

/*
 * The XIVE of the partition when it is in XIVE mode, else NULL.  A "dual"
 * partition has both controllers and CAS picks one (vio/vof.c): only
 * `cfg.intc` tells which one serves it now.
 */
static struct xive_part *active_xive(const struct lpar *l)
{
	return l->cfg.intc == CONFIG_INTC_XIVE ? intc_of(l)->xive : NULL;
}

static bool create_xics(struct lpar *l);

bool intc_create(struct lpar *l)
{
	if (l->cfg.intc == CONFIG_INTC_XIVE || l->cfg.intc_dual) {
		struct intc_part *ic = intc_of(l);
		uint32_t lisns[XIVE_MAX_DEVICE_LISNS];
		uint32_t n = ARRAY_SIZE(device_lisns);

		/* The LISNs are fixed here: one more per LAN adapter. */
		memcpy(lisns, device_lisns, sizeof(device_lisns));
		for (uint32_t i = 0; i < l->cfg.lan_count && i < CONFIG_MAX_LANS;
		     i++) {
			lisns[n++] = LAYOUT_LLAN_IRQ(i);
		}
		/* And one per VIOS server or client adapter (vio/vios.c). */
		for (uint32_t i = 0; i < l->cfg.vhost_count &&
				     i < CONFIG_MAX_VSCSI_PAIRS; i++) {
			lisns[n++] = LAYOUT_VHOST_IRQ(i);
		}
		for (uint32_t i = 0; i < l->cfg.vclient_count &&
				     i < CONFIG_MAX_VSCSI_PAIRS; i++) {
			lisns[n++] = LAYOUT_VCLIENT_IRQ(i);
		}
		ic->xive = xive_create(l, lisns, n);
		if (!ic->xive) {
			return false;
		}
		/* Each PCI host bridge's MSIs (pci/msi.c hands them out). */
		for (uint32_t i = 0; i < l->cfg.phb_count; i++) {
			const struct machine_phb *h = machine_find_phb(
				&hv_machine, l->cfg.phbs[i].chip,
				l->cfg.phbs[i].index);

			if (h && h->msi_count >= LAYOUT_PHB_MSIS &&
			    !xive_adopt_sources(ic->xive, LAYOUT_PHB_MSI_LISN(i),
						h->msi_base, LAYOUT_PHB_MSIS)) {
				xive_destroy(ic->xive);
				ic->xive = NULL;
				return false;
			}
			/* And its INTA..INTD, level sources. */
			ic->phb_lsis[i] = phb_lsis_ok(l, i, h);
			if (ic->phb_lsis[i] &&
			    !xive_adopt_lsis(ic->xive, LAYOUT_PHB_LSI_LISN(i),
					     h->lsi_base, LAYOUT_PHB_LSIS)) {
				xive_destroy(ic->xive);
				ic->xive = NULL;
				return false;
			}
		}
		if (!l->cfg.intc_dual) {
			return true;
		}
	}
	if (!create_xics(l)) {
		xive_destroy(intc_of(l)->xive);
		intc_of(l)->xive = NULL;
		return false;
	}
	/* A dual partition's PHB MSIs go through its XIVE only. */
	return l->cfg.intc_dual || intc_fwd_create(l);
}

static bool create_xics(struct lpar *l)
{
	size_t size = XICS_SIZE(l->vcpu_count, INTC_SOURCES);

	intc_of(l)->xics = mem_zalloc(size, 64);
	if (!intc_of(l)->xics) {
		hv_printf("lparvisor: partition \"%s\": out of heap for its "
			  "interrupt controller (%zu bytes); not started\n",
			  l->cfg.name, size);
		return false;
	}
	if (xics_init(intc_of(l)->xics, l->vcpu_count, XICS_IRQ_BASE, INTC_SOURCES,
		      notify, l) != XICS_OK) {
		hv_printf("lparvisor: partition \"%s\": interrupt controller "
			  "set-up failed; not started\n", l->cfg.name);
		mem_free(intc_of(l)->xics);
		intc_of(l)->xics = NULL;
		return false;
	}
	return true; /* VIO sources are claimed as devices join */
}

bool intc_claim_device_irq(struct lpar *l, uint32_t irq)
{
	enum xics_err rc;

	if (intc_of(l)->xive && !xive_has_device_lisn(intc_of(l)->xive, irq)) {
		return false;
	}
	if (!intc_of(l)->xics) {
		return true;
	}
	spin_lock(&intc_of(l)->lock);
	rc = xics_irq_claim(intc_of(l)->xics, irq, false);
	spin_unlock(&intc_of(l)->lock);
	return rc == XICS_OK;
}

void intc_reset(struct lpar *l)
{
	spin_lock(&intc_of(l)->lock);
	if (intc_of(l)->xive) {
		xive_reset(intc_of(l)->xive);
	}
	if (intc_of(l)->xics) {
		xics_reset(intc_of(l)->xics);
		if (intc_of(l)->fwd) {
			xics_fwd_reset(intc_of(l)->fwd);
		}
	}
	/*
	 * A dual partition booting through firmware starts in XICS mode,
	 * as QEMU's before CAS; every vCPU has left (its context pulled).
	 */
	if (l->cfg.intc_dual && l->cfg.firmware != CONFIG_FIRMWARE_NONE) {
		l->cfg.intc = CONFIG_INTC_XICS;
	}
	unlock_and_kick(l);
}

bool intc_set_mode(struct lpar *l, struct vcpu *vc, enum config_intc mode)
{
	if (mode == l->cfg.intc) {
		return true;
	}
	if (!l->cfg.intc_dual) {
		return false;
	}
	spin_lock(&intc_of(l)->lock);
	if (active_xive(l)) {
		xive_vcpu_leave(intc_of(l)->xive, vc->id);
	}
	l->cfg.intc = mode;
	if (active_xive(l)) {
		xive_vcpu_enter(intc_of(l)->xive, vc->id);
	}
	unlock_and_kick(l);
	return true;
}

void intc_destroy(struct lpar *l)
{
	xive_destroy(intc_of(l)->xive);
	intc_of(l)->xive = NULL;
	xics_fwd_destroy(intc_of(l)->fwd);
	intc_of(l)->fwd = NULL;
	if (intc_of(l)->xics) {
		mem_free(intc_of(l)->xics);
		intc_of(l)->xics = NULL;
	}
}

void intc_pulse(struct lpar *l, uint32_t irq)
{
	if (active_xive(l)) {
		xive_trigger(intc_of(l)->xive, irq); /* the hardware does the rest */
		return;
	}
	spin_lock(&intc_of(l)->lock);
	xics_set_irq(intc_of(l)->xics, irq, true);
	unlock_and_kick(l);
}

uint64_t intc_lpcr(const struct lpar *l)
{
	/* Externals to the guest (its OS ring); host rings arrive as HVI. */
	return active_xive(l) ? LPCR_LPES0 | LPCR_HVICE : 0;
}

void intc_vcpu_enter(struct vcpu *vc)
{
	struct intc_part *ic = intc_of(vc->lpar);

	if (active_xive(vc->lpar)) {
		xive_vcpu_enter(ic->xive, vc->id);
	} else if (ic->fwd && vc->id == 0) {
		spin_lock(&ic->lock);
		xics_fwd_push(ic->fwd);
		spin_unlock(&ic->lock);
	}
}

void intc_vcpu_leave(struct vcpu *vc)
{
	struct intc_part *ic = intc_of(vc->lpar);

	if (active_xive(vc->lpar)) {
		xive_vcpu_leave(ic->xive, vc->id);
	} else if (ic->fwd && vc->id == 0) {
		spin_lock(&ic->lock);
		xics_fwd_pull(ic->fwd);
		spin_unlock(&ic->lock);
	}
}

static void fwd_raise(void *ctx, uint32_t irq, bool lsi)
{
	struct lpar *l = ctx;

	/* An MSI: one message.  An LSI (claimed so): its level held until
	 * the guest's H_EOI. */
	(void)lsi;
	(void)xics_set_irq(intc_of(l)->xics, irq, true);
}

/*
 * On vCPU 0's thread of a XICS partition that forwards device
 * interrupts: take what the host XIVE queued (its OS ring's line, which
 * the partition's LPCR sends to lparvisor as an external exception).
 */
static void fwd_drain(struct vcpu *vc)
{
	struct lpar *l = vc->lpar;
	struct intc_part *ic = intc_of(l);

	/* The unit hooks run on the vCPU's own thread (hv/unit.h). */
	if (!ic->fwd || vc->id != 0) {
		return;
	}
	spin_lock(&ic->lock);
	(void)xics_fwd_drain(ic->fwd, fwd_raise, l);
	unlock_and_kick(l);
}

bool intc_vcpu_pending(struct vcpu *vc)
{
	if (active_xive(vc->lpar)) {
		return xive_vcpu_pending(intc_of(vc->lpar)->xive, vc->id);
	}
	fwd_drain(vc);
	return vc->irq;
}

/* Stopped for good: no source may fire, no queue be written. */
static void intc_stop(struct lpar *l, bool restarting)
{
	if (!restarting) {
		intc_reset(l);
	}
}

static void intc_guest_dt(const struct lpar *l, struct guest_dt_params *p)
{
	p->intc = l->cfg.intc;
}

LPAR_UNIT(intc, .order = UNIT_ORDER_INTC, .slot = &intc_slot,
	  .state_size = sizeof(struct intc_part), .create = intc_create,
	  .destroy = intc_destroy, .reset = intc_reset, .stop = intc_stop,
	  .vcpu_enter = intc_vcpu_enter, .vcpu_leave = intc_vcpu_leave,
	  .vcpu_pending = intc_vcpu_pending, .vcpu_hvi = intc_hvi,
	  .lpcr = intc_lpcr, .guest_dt = intc_guest_dt);

void intc_hvi(struct vcpu *vc)
{
	struct xive_part *x = active_xive(vc->lpar);
	uint16_t ack;

	if (!x) {
		/* XICS (LPES0 clear): the external exception of the OS ring
		 * that forwarded device interrupts raise. */
		fwd_drain(vc);
		return;
	}
	ack = xive_hw_ack_hv();

	if (x && !x->hvi++) {
		hv_printf("lparvisor: cpu 0x%x: hypervisor interrupt while "
			  "partition \"%s\" ran (ack 0x%04x); taken, the guest "
			  "goes on\n", vc->pcpu->pir, vc->lpar->cfg.name, ack);
	}
}

/* --- XICS hcalls (QEMU 7.2 hw/intc/xics_spapr.c), XICS partitions only --- */

static int64_t h_cppr(struct vcpu *vc, struct hcall_args *a)
{
	struct lpar *l = vc->lpar;
	int64_t rc;

	spin_lock(&intc_of(l)->lock);
	rc = xics_h_cppr(intc_of(l)->xics, vc->id, a->arg[0]);
	unlock_and_kick(l);
	return rc;
}
HCALL(H_CPPR, h_cppr, 0, "hcall-interrupt", HCALL_INTC_XICS, "done (XICS)");

static int64_t h_ipi(struct vcpu *vc, struct hcall_args *a)
{
	struct lpar *l = vc->lpar;
	int64_t rc;

	spin_lock(&intc_of(l)->lock);
	rc = xics_h_ipi(intc_of(l)->xics, a->arg[0], a->arg[1]);
	unlock_and_kick(l);
	return rc;
}
HCALL(H_IPI, h_ipi, 0, "hcall-interrupt", HCALL_INTC_XICS, "done (XICS)");

/* H_XIRR and H_XIRR_X: the latter adds the timebase in r5. */
static int64_t xirr(struct vcpu *vc, struct hcall_args *a, uint32_t rets)
{
	struct lpar *l = vc->lpar;
	uint64_t v = 0;
	int64_t rc;

	spin_lock(&intc_of(l)->lock);
	rc = xics_h_xirr(intc_of(l)->xics, vc->id, &v);
	a->ret[0] = v;
	a->ret[1] = mftb();
	a->ret_count = rets;
	unlock_and_kick(l);
	return rc;
}

static int64_t h_xirr(struct vcpu *vc, struct hcall_args *a)
{
	return xirr(vc, a, 1);
}
HCALL(H_XIRR, h_xirr, 1, "hcall-interrupt", HCALL_INTC_XICS, "done (XICS)");

static int64_t h_xirr_x(struct vcpu *vc, struct hcall_args *a)
{
	return xirr(vc, a, 2);
}
HCALL(H_XIRR_X, h_xirr_x, 2, "hcall-interrupt", HCALL_INTC_XICS, "done (XICS)");

static int64_t h_eoi(struct vcpu *vc, struct hcall_args *a)
{
	struct lpar *l = vc->lpar;
	struct intc_part *ic = intc_of(l);
	const struct xics_fwd_src *lsi = NULL;
	uint32_t irq = (uint32_t)a->arg[0] & 0xffffffu;
	int64_t rc;

	spin_lock(&ic->lock);
	/* A forwarded LSI: its level is the hardware's to tell again. */
	if (ic->fwd && (lsi = xics_fwd_lsi(ic->fwd, irq)) != NULL) {
		(void)xics_set_irq(ic->xics, irq, false);
	}
	rc = xics_h_eoi(ic->xics, vc->id, a->arg[0]);
	if (lsi && rc == H_SUCCESS) {
		xics_fwd_lsi_eoi(ic->fwd, lsi);
	}
	unlock_and_kick(l);
	return rc;
}
HCALL(H_EOI, h_eoi, 0, "hcall-interrupt", HCALL_INTC_XICS, "done (XICS)");

static int64_t h_ipoll(struct vcpu *vc, struct hcall_args *a)
{
	struct lpar *l = vc->lpar;
	uint64_t v1 = 0, v2 = 0;
	int64_t rc;

	spin_lock(&intc_of(l)->lock);
	rc = xics_h_ipoll(intc_of(l)->xics, a->arg[0], &v1, &v2);
	a->ret[0] = v1;
	a->ret[1] = v2;
	a->ret_count = 2;
	unlock_and_kick(l);
	return rc;
}
HCALL(H_IPOLL, h_ipoll, 2, "hcall-interrupt", HCALL_INTC_XICS, "done (XICS)");

/*
 * --- XICS RTAS services (QEMU 7.2 xics_spapr.c), XICS partitions only ---
 * The dispatcher has checked the exact counts QEMU wants.
 */

/*
 * A forwarded LSI about to be unmasked: its level is sampled again, not
 * taken from what the XICS held.  The device may have let its line go
 * while the source was masked (the level kept since the last event would
 * be presented for nothing): the XICS level is lowered and the hardware
 * source EOId, which sends a new event if the line is still held.
 */
static void fwd_lsi_resample(struct intc_part *ic, uint32_t irq)
{
	const struct xics_fwd_src *lsi;

	if (ic->fwd && (lsi = xics_fwd_lsi(ic->fwd, irq)) != NULL) {
		(void)xics_set_irq(ic->xics, irq, false);
		xics_fwd_lsi_eoi(ic->fwd, lsi);
	}
}

static void rtas_ibm_set_xive(struct rtas_call *c)
{
	struct lpar *l = c->vc->lpar;
	int32_t st;

	spin_lock(&intc_of(l)->lock);
	if (c->args[2] != 0xff) {
		fwd_lsi_resample(intc_of(l), c->args[0]);
	}
	st = xics_rtas_set_xive(intc_of(l)->xics, c->args[0], c->args[1], c->args[2]);
	unlock_and_kick(l);
	rtas_status(c, st);
}
RTAS_SERVICE(RTAS_IBM_SET_XIVE, "ibm,set-xive", rtas_ibm_set_xive, 3, 1,
	     HCALL_INTC_XICS, "done (XICS)");

static void rtas_ibm_get_xive(struct rtas_call *c)
{
	struct lpar *l = c->vc->lpar;
	uint32_t server = 0, prio = 0;
	int32_t st;

	spin_lock(&intc_of(l)->lock);
	st = xics_rtas_get_xive(intc_of(l)->xics, c->args[0], &server, &prio);
	if (st == RTAS_OUT_SUCCESS) {
		c->rets[1] = server;
		c->rets[2] = prio;
	}
	unlock_and_kick(l);
	rtas_status(c, st);
}
RTAS_SERVICE(RTAS_IBM_GET_XIVE, "ibm,get-xive", rtas_ibm_get_xive, 1, 3,
	     HCALL_INTC_XICS, "done (XICS)");

static void rtas_ibm_int_off(struct rtas_call *c)
{
	struct lpar *l = c->vc->lpar;
	int32_t st;

	spin_lock(&intc_of(l)->lock);
	st = xics_rtas_int_off(intc_of(l)->xics, c->args[0]);
	unlock_and_kick(l);
	rtas_status(c, st);
}
RTAS_SERVICE(RTAS_IBM_INT_OFF, "ibm,int-off", rtas_ibm_int_off, 1, 1,
	     HCALL_INTC_XICS, "done (XICS)");

static void rtas_ibm_int_on(struct rtas_call *c)
{
	struct lpar *l = c->vc->lpar;
	int32_t st;

	spin_lock(&intc_of(l)->lock);
	fwd_lsi_resample(intc_of(l), c->args[0]);
	st = xics_rtas_int_on(intc_of(l)->xics, c->args[0]);
	unlock_and_kick(l);
	rtas_status(c, st);
}
RTAS_SERVICE(RTAS_IBM_INT_ON, "ibm,int-on", rtas_ibm_int_on, 1, 1,
	     HCALL_INTC_XICS, "done (XICS)");
