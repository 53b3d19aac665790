/*
 * Host interrupts forwarded to an emulated XICS (intc/xics_fwd.h).
 */
#include "hv/console.h"
#include "hv/lib/string.h"
#include "intc/xics_fwd.h"
#include "intc/xive_hw.h"
#include "mm/mem.h"

/* The pushed OS ring: CPPR 0xff (every priority presented), ACK# 0xff. */
#define FWD_RING_W01 0x00ff0000ff000000ull
#define QBYTES (1u << XICS_FWD_QSHIFT)

static bool queue_on(struct xics_fwd *f)
{
	memset(f->queue, 0, QBYTES);
	f->idx = 0;
	f->toggle = 0;
	return !xive_hw_set_queue(f->vp, XICS_FWD_PRIO,
				  (uint64_t)(uintptr_t)f->queue,
				  XICS_FWD_QSHIFT, true);
}

struct xics_fwd *xics_fwd_create(const char *name)
{
	struct xics_fwd *f = mem_zalloc(sizeof(*f), 64);
	const char *what = "out of hypervisor heap";

	if (!f) {
		goto fail;
	}
	f->lsi_lo = ~0u; /* no LSI yet */
	f->queue = mem_zalloc(QBYTES, QBYTES);
	if (!f->queue) {
		goto fail;
	}
	what = "no virtual processor left in the XIVE";
	if (xive_hw_alloc_vps(0, &f->vp) || !f->vp) {
		f->vp = 0;
		goto fail;
	}
	if (xive_hw_enable_vp(f->vp, true, &f->cam) || !queue_on(f)) {
		goto fail;
	}
	return f;
fail:
	xics_fwd_destroy(f);
	hv_printf("lparvisor: partition \"%s\": its devices' interrupts "
		  "cannot be forwarded to its XICS: %s; not started\n", name,
		  what);
	return NULL;
}

/* PQ=00: on.  An LSI whose line is already held would stay silent
 * (setting PQ does not look at the level): an EOI load sends it. */
static void source_on(const struct xics_fwd_src *s)
{
	(void)xive_hw_esb_load(s->eoi_page + XIVE_ESB_SET_PQ_00);
	if (s->lsi) {
		(void)xive_hw_esb_load(s->eoi_page + XIVE_ESB_LOAD_EOI);
	}
}

static bool add(struct xics_fwd *f, uint32_t girq, uint32_t irq, bool lsi)
{
	struct xics_fwd_src *s;
	struct xive_hw_irq info;

	if (f->n == XICS_FWD_MAX || xive_hw_irq_info(girq, &info) ||
	    !info.eoi_page || info.lsi != lsi) {
		return false;
	}
	s = &f->src[f->n];
	s->girq = girq;
	s->irq = irq;
	s->eoi_page = info.eoi_page;
	s->lsi = lsi;
	if (xive_hw_set_irq(girq, f->vp, XICS_FWD_PRIO, f->n)) {
		memset(s, 0, sizeof(*s));
		return false;
	}
	(void)xive_hw_sync(XIVE_HW_SYNC_EAS, girq);
	if (lsi) {
		f->lsi_lo = irq < f->lsi_lo ? irq : f->lsi_lo;
		f->lsi_hi = irq > f->lsi_hi ? irq : f->lsi_hi;
	}
	f->n++;
	source_on(s);
	return true;
}

bool xics_fwd_add(struct xics_fwd *f, uint32_t girq, uint32_t irq)
{
	return add(f, girq, irq, false);
}

bool xics_fwd_add_lsi(struct xics_fwd *f, uint32_t girq, uint32_t irq)
{
	return add(f, girq, irq, true);
}

const struct xics_fwd_src *xics_fwd_lsi(const struct xics_fwd *f,
					uint32_t irq)
{
	if (irq < f->lsi_lo || irq > f->lsi_hi) {
		return NULL;
	}
	for (uint32_t i = 0; i < f->n; i++) {
		if (f->src[i].lsi && f->src[i].irq == irq) {
			return &f->src[i];
		}
	}
	return NULL;
}

void xics_fwd_lsi_eoi(struct xics_fwd *f, const struct xics_fwd_src *s)
{
	(void)f;
	(void)xive_hw_esb_load(s->eoi_page + XIVE_ESB_LOAD_EOI);
}

void xics_fwd_reset(struct xics_fwd *f)
{
	for (uint32_t i = 0; i < f->n; i++) {
		(void)xive_hw_esb_load(f->src[i].eoi_page + XIVE_ESB_SET_PQ_01);
		(void)xive_hw_sync(XIVE_HW_SYNC_EAS, f->src[i].girq);
	}
	(void)xive_hw_set_queue(f->vp, XICS_FWD_PRIO, 0, 0, false);
	(void)queue_on(f);
	for (uint32_t i = 0; i < f->n; i++) {
		source_on(&f->src[i]);
	}
}

void xics_fwd_destroy(struct xics_fwd *f)
{
	if (!f) {
		return;
	}
	for (uint32_t i = 0; i < f->n; i++) {
		(void)xive_hw_set_irq(f->src[i].girq, 0, XIVE_HW_PRIO_MASKED, 0);
		(void)xive_hw_esb_load(f->src[i].eoi_page + XIVE_ESB_SET_PQ_01);
		(void)xive_hw_sync(XIVE_HW_SYNC_EAS, f->src[i].girq);
	}
	if (f->vp) {
		(void)xive_hw_set_queue(f->vp, XICS_FWD_PRIO, 0, 0, false);
		(void)xive_hw_enable_vp(f->vp, false, NULL);
		xive_hw_free_vps(f->vp);
	}
	if (f->queue) {
		mem_free(f->queue);
	}
	mem_free(f);
}

void xics_fwd_push(struct xics_fwd *f)
{
	if (!f->pushed) {
		xive_hw_push_os(FWD_RING_W01, f->cam);
		f->pushed = true;
	}
}

void xics_fwd_pull(struct xics_fwd *f)
{
	if (f->pushed) {
		(void)xive_hw_pull_os();
		f->pushed = false;
	}
}

int64_t xics_fwd_pop(struct xics_fwd *f)
{
	uint32_t e = __builtin_bswap32(__atomic_load_n(&f->queue[f->idx],
						       __ATOMIC_ACQUIRE));

	if ((e >> 31) == f->toggle) {
		return -1;
	}
	if (++f->idx == QBYTES / 4) {
		f->idx = 0;
		f->toggle ^= 1;
	}
	return e & 0x7fffffffu;
}

uint32_t xics_fwd_drain(struct xics_fwd *f,
			void (*raise)(void *ctx, uint32_t irq, bool lsi),
			void *ctx)
{
	uint32_t n = 0;
	int64_t e;

	if (!f->pushed || !xive_hw_os_pending()) {
		return 0;
	}
	(void)xive_hw_ack_os();
	while ((e = xics_fwd_pop(f)) >= 0) {
		if ((uint64_t)e >= f->n) {
			f->bad++;
			continue;
		}
		raise(ctx, f->src[e].irq, f->src[e].lsi);
		/* Re-armed only now: a later message queues a new event.  An
		 * LSI stays P until the guest's EOI (xics_fwd_lsi_eoi). */
		if (!f->src[e].lsi) {
			(void)xive_hw_esb_load(f->src[e].eoi_page +
					       XIVE_ESB_LOAD_EOI);
		}
		n++;
	}
	f->events += n;
	xive_hw_set_os_cppr(0xff);
	return n;
}
