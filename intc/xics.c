/*
 * Emulated XICS: ICP (presentation) and ICS (source) state machines for
 * one partition.  Matches QEMU 7.2 hw/intc/xics.c (icp_*, ics_*) and
 * hw/intc/xics_spapr.c (h_cppr, h_ipi, h_xirr, h_eoi, h_ipoll and the four
 * RTAS services), including its quirks, because guests are tested against
 * it.  The caller holds the partition's XICS lock around every call.
 */
#include "hv/abi/hcall.h"
#include "hv/abi/rtas.h"
#include "hv/lib/types.h"
#include "intc/xics.h"

#define XISR_MASK 0x00ffffffu
#define CPPR_SHIFT 24

/* struct xics_source.flags: how the source was claimed. */
#define XICS_SRC_LSI 0x1
#define XICS_SRC_MSI 0x2

/* struct xics_source.status */
#define XICS_SRC_ASSERTED 0x1       /* LSI: the device holds the line */
#define XICS_SRC_SENT 0x2           /* LSI: presented, not yet EOI'd */
#define XICS_SRC_REJECTED 0x4       /* MSI: bounced by an ICP, to resend */
#define XICS_SRC_MASKED_PENDING 0x8 /* MSI: fired while priority was 0xff */

_Static_assert(sizeof(struct xics_icp) % _Alignof(struct xics_source) == 0,
	       "the source table follows the ICP table unpadded");

static void ics_reject(struct xics *x, uint32_t nr);
static void ics_resend(struct xics *x);
static void ics_eoi(struct xics *x, uint32_t nr);

static struct xics_source *ics_src(struct xics *x, uint32_t srcno)
{
	return (struct xics_source *)&x->icp[x->server_count] + srcno;
}

static bool ics_valid_irq(const struct xics *x, uint32_t nr)
{
	return nr >= x->src_base && nr - x->src_base < x->src_count;
}

static void src_clear(struct xics_source *s, uint8_t bits)
{
	s->status = (uint8_t)(s->status & ~bits);
}

static bool ics_is_lsi(const struct xics_source *s)
{
	return (s->flags & XICS_SRC_LSI) != 0;
}

static void ics_reset_source(struct xics_source *s)
{
	uint8_t flags = s->flags;

	*s = (struct xics_source){ 0 };
	s->flags = flags;
	s->priority = XICS_PRIO_MASKED;
	s->saved_priority = XICS_PRIO_MASKED;
}

/*
 * ICP: presentation layer.
 */

static uint32_t icp_xisr(const struct xics_icp *icp)
{
	return icp->xirr & XISR_MASK;
}

static uint8_t icp_cppr(const struct xics_icp *icp)
{
	return (uint8_t)(icp->xirr >> CPPR_SHIFT);
}

/*
 * QEMU raises or lowers the CPU's interrupt input; we call notify only
 * when the level actually changes.  The output is high exactly while XISR
 * is non-zero.
 */
static void icp_set_output(struct xics *x, uint32_t server, bool level)
{
	struct xics_icp *icp = &x->icp[server];

	if (icp->output == level) {
		return;
	}
	icp->output = level;
	if (x->notify) {
		x->notify(x->ctx, server, level);
	}
}

/*
 * Present the IPI unless something at least as favoured is pending.  A
 * displaced source goes back to the ICS; a displaced IPI needs nothing,
 * since MFRR still holds it.  (QEMU's `xirr_owner` is set exactly when
 * XISR is an ICS number, so ics_reject() ignoring other numbers is the
 * same test.)
 */
static void icp_check_ipi(struct xics *x, uint32_t server)
{
	struct xics_icp *icp = &x->icp[server];
	uint32_t xisr = icp_xisr(icp);

	if (xisr && icp->pending_priority <= icp->mfrr) {
		return;
	}
	if (xisr) {
		ics_reject(x, xisr);
	}
	icp->xirr = (icp->xirr & ~XISR_MASK) | XICS_IPI;
	icp->pending_priority = icp->mfrr;
	icp_set_output(x, server, true);
}

/*
 * Offer everything waiting.  As QEMU (a FIXME there), this walks every
 * source of the ICS, not only those routed to this server.
 */
static void icp_resend(struct xics *x, uint32_t server)
{
	struct xics_icp *icp = &x->icp[server];

	if (icp->mfrr < icp_cppr(icp)) {
		icp_check_ipi(x, server);
	}
	ics_resend(x);
}

static void icp_set_cppr(struct xics *x, uint32_t server, uint8_t cppr)
{
	struct xics_icp *icp = &x->icp[server];
	uint8_t old_cppr = icp_cppr(icp);
	uint32_t xisr = icp_xisr(icp);

	icp->xirr = (icp->xirr & XISR_MASK) | ((uint32_t)cppr << CPPR_SHIFT);

	if (cppr < old_cppr) {
		/* More favoured: a pending interrupt it excludes goes back. */
		if (xisr && cppr <= icp->pending_priority) {
			icp->xirr &= ~XISR_MASK;
			icp->pending_priority = XICS_PRIO_MASKED;
			icp_set_output(x, server, false);
			ics_reject(x, xisr);
		}
		return;
	}
	/* Less favoured or unchanged: QEMU resends only if nothing pends. */
	if (!xisr) {
		icp_resend(x, server);
	}
}

static void icp_set_mfrr(struct xics *x, uint32_t server, uint8_t mfrr)
{
	struct xics_icp *icp = &x->icp[server];

	icp->mfrr = mfrr;
	if (mfrr < icp_cppr(icp)) {
		icp_check_ipi(x, server);
	}
}

/* Returns the XIRR before the accept, old CPPR included. */
static uint32_t icp_accept(struct xics *x, uint32_t server)
{
	struct xics_icp *icp = &x->icp[server];
	uint32_t xirr = icp->xirr;

	/* With nothing pending this makes CPPR 0xff, as in QEMU. */
	icp->xirr = (uint32_t)icp->pending_priority << CPPR_SHIFT;
	icp->pending_priority = XICS_PRIO_MASKED;
	icp_set_output(x, server, false);
	return xirr;
}

static void icp_eoi(struct xics *x, uint32_t server, uint32_t xirr)
{
	struct xics_icp *icp = &x->icp[server];
	uint32_t nr = xirr & XISR_MASK;

	/*
	 * The new CPPR is taken as given, even if it is more favoured than
	 * an interrupt still pending: QEMU does not reject in this path.
	 */
	icp->xirr = (icp->xirr & XISR_MASK) | (xirr & ~XISR_MASK);
	if (ics_valid_irq(x, nr)) {
		ics_eoi(x, nr);
	}
	if (!icp_xisr(icp)) {
		icp_resend(x, server);
	}
}

/* An ICS source `nr` at `priority` asks to be presented on `server`. */
static void icp_irq(struct xics *x, uint32_t server, uint32_t nr,
		    uint8_t priority)
{
	struct xics_icp *icp;
	uint32_t xisr;

	/*
	 * Cannot happen: ibm,set-xive checks the server and servers never go
	 * away.  QEMU would dereference NULL here; drop it instead.
	 */
	if (server >= x->server_count) {
		return;
	}
	icp = &x->icp[server];
	xisr = icp_xisr(icp);

	if (priority >= icp_cppr(icp) ||
	    (xisr && icp->pending_priority <= priority)) {
		ics_reject(x, nr);
		return;
	}
	if (xisr) {
		ics_reject(x, xisr);
	}
	icp->xirr = (icp->xirr & ~XISR_MASK) | (nr & XISR_MASK);
	icp->pending_priority = priority;
	icp_set_output(x, server, true);
}

/*
 * ICS: source layer.
 */

static void ics_present(struct xics *x, uint32_t srcno)
{
	struct xics_source *s = ics_src(x, srcno);

	icp_irq(x, s->server, x->src_base + srcno, s->priority);
}

static void ics_resend_msi(struct xics *x, uint32_t srcno)
{
	struct xics_source *s = ics_src(x, srcno);

	if (!(s->status & XICS_SRC_REJECTED)) {
		return;
	}
	/*
	 * As in QEMU, a rejected message whose source has been masked since
	 * is dropped here, not kept as masked-pending.
	 */
	src_clear(s, XICS_SRC_REJECTED);
	x->rejected--;
	if (s->priority != XICS_PRIO_MASKED) {
		ics_present(x, srcno);
	}
}

static void ics_resend_lsi(struct xics *x, uint32_t srcno)
{
	struct xics_source *s = ics_src(x, srcno);

	if (s->priority == XICS_PRIO_MASKED ||
	    !(s->status & XICS_SRC_ASSERTED) || (s->status & XICS_SRC_SENT)) {
		return;
	}
	s->status |= XICS_SRC_SENT;
	ics_present(x, srcno);
}

static void ics_resend(struct xics *x)
{
	uint32_t i;

	if (!x->rejected && !x->lsi_count) {
		return; /* nothing the scan could resend */
	}
	for (i = 0; i < x->src_count; i++) {
		if (ics_is_lsi(ics_src(x, i))) {
			ics_resend_lsi(x, i);
		} else {
			ics_resend_msi(x, i);
		}
	}
}

/* An ICP bounced source `nr`: it waits in the ICS for the next resend. */
static void ics_reject(struct xics *x, uint32_t nr)
{
	struct xics_source *s;

	if (!ics_valid_irq(x, nr)) {
		return; /* the IPI: MFRR keeps it */
	}
	s = ics_src(x, nr - x->src_base);
	if (s->flags & XICS_SRC_MSI) {
		if (!(s->status & XICS_SRC_REJECTED)) {
			x->rejected++;
		}
		s->status |= XICS_SRC_REJECTED;
	} else if (s->flags & XICS_SRC_LSI) {
		src_clear(s, XICS_SRC_SENT);
	}
}

static void ics_eoi(struct xics *x, uint32_t nr)
{
	struct xics_source *s = ics_src(x, nr - x->src_base);

	if (ics_is_lsi(s)) {
		src_clear(s, XICS_SRC_SENT);
	}
}

static void ics_set_irq_msi(struct xics *x, uint32_t srcno, bool level)
{
	struct xics_source *s = ics_src(x, srcno);

	if (!level) {
		return;
	}
	if (s->priority == XICS_PRIO_MASKED) {
		s->status |= XICS_SRC_MASKED_PENDING;
		return;
	}
	ics_present(x, srcno);
}

static void ics_set_irq_lsi(struct xics *x, uint32_t srcno, bool level)
{
	struct xics_source *s = ics_src(x, srcno);

	if (level) {
		s->status |= XICS_SRC_ASSERTED;
	} else {
		src_clear(s, XICS_SRC_ASSERTED);
	}
	ics_resend_lsi(x, srcno);
}

static void ics_write_xive(struct xics *x, uint32_t srcno, uint32_t server,
			   uint8_t priority, uint8_t saved_priority)
{
	struct xics_source *s = ics_src(x, srcno);

	s->server = server;
	s->priority = priority;
	s->saved_priority = saved_priority;

	if (ics_is_lsi(s)) {
		ics_resend_lsi(x, srcno);
		return;
	}
	if (!(s->status & XICS_SRC_MASKED_PENDING) ||
	    priority == XICS_PRIO_MASKED) {
		return;
	}
	src_clear(s, XICS_SRC_MASKED_PENDING);
	ics_present(x, srcno);
}

/*
 * Partition-facing interface.
 */

static void icp_reset(struct xics *x, uint32_t server)
{
	struct xics_icp *icp = &x->icp[server];

	icp->xirr = 0;
	icp->pending_priority = XICS_PRIO_MASKED;
	icp->mfrr = XICS_PRIO_MASKED;
	icp_set_output(x, server, false);
}

enum xics_err xics_init(struct xics *x, uint32_t servers, uint32_t src_base,
			uint32_t src_count, xics_notify_fn notify, void *ctx)
{
	uint32_t i;

	if (servers == 0 || servers > XICS_MAX_SERVERS) {
		return XICS_EINVAL;
	}
	if (src_count == 0 || src_count > XICS_MAX_SOURCES) {
		return XICS_EINVAL;
	}
	/* Source numbers must fit XISR and not alias "none" or the IPI. */
	if (src_base <= XICS_IPI || src_base > XISR_MASK + 1 - src_count) {
		return XICS_EINVAL;
	}

	x->notify = notify;
	x->ctx = ctx;
	x->server_count = servers;
	x->src_base = src_base;
	x->src_count = src_count;
	for (i = 0; i < servers; i++) {
		x->icp[i].output = false;
		icp_reset(x, i);
	}
	for (i = 0; i < src_count; i++) {
		ics_src(x, i)->flags = 0;
		ics_reset_source(ics_src(x, i));
	}
	x->rejected = 0;
	x->lsi_count = 0;
	return XICS_OK;
}

void xics_reset(struct xics *x)
{
	uint32_t i;

	for (i = 0; i < x->server_count; i++) {
		icp_reset(x, i);
	}
	for (i = 0; i < x->src_count; i++) {
		ics_reset_source(ics_src(x, i));
	}
	x->rejected = 0; /* the reset cleared every status */
}

enum xics_err xics_irq_claim(struct xics *x, uint32_t irq, bool lsi)
{
	struct xics_source *s;

	if (!ics_valid_irq(x, irq)) {
		return XICS_EINVAL;
	}
	s = ics_src(x, irq - x->src_base);
	if (s->flags & (XICS_SRC_LSI | XICS_SRC_MSI)) {
		return XICS_EBUSY;
	}
	s->flags = lsi ? XICS_SRC_LSI : XICS_SRC_MSI;
	x->lsi_count += lsi;
	return XICS_OK;
}

enum xics_err xics_irq_free(struct xics *x, uint32_t irq)
{
	struct xics_source *s;

	if (!ics_valid_irq(x, irq)) {
		return XICS_EINVAL;
	}
	s = ics_src(x, irq - x->src_base);
	x->rejected -= (s->status & XICS_SRC_REJECTED) != 0;
	x->lsi_count -= ics_is_lsi(s);
	/* QEMU's xics_spapr_free_irq() zeroes the source: priority 0. */
	*s = (struct xics_source){ 0 };
	return XICS_OK;
}

enum xics_err xics_set_irq(struct xics *x, uint32_t irq, bool level)
{
	uint32_t srcno;

	if (!ics_valid_irq(x, irq)) {
		return XICS_EINVAL;
	}
	srcno = irq - x->src_base;
	if (ics_is_lsi(ics_src(x, srcno))) {
		ics_set_irq_lsi(x, srcno, level);
	} else {
		ics_set_irq_msi(x, srcno, level);
	}
	return XICS_OK;
}

bool xics_server_pending(const struct xics *x, uint32_t server)
{
	if (server >= x->server_count) {
		return false;
	}
	return x->icp[server].output;
}

/*
 * QEMU hands the hcall's server register to xics_icp_get(), which takes
 * an int: the upper 32 bits are dropped before the vCPU lookup.
 */
static bool server_from_reg(const struct xics *x, uint64_t reg,
			    uint32_t *server)
{
	*server = (uint32_t)reg;
	return *server < x->server_count;
}

int64_t xics_h_cppr(struct xics *x, uint32_t server, uint64_t cppr)
{
	if (server >= x->server_count) {
		return H_PARAMETER;
	}
	icp_set_cppr(x, server, (uint8_t)cppr);
	return H_SUCCESS;
}

int64_t xics_h_ipi(struct xics *x, uint64_t server_target, uint64_t mfrr)
{
	uint32_t server;

	if (!server_from_reg(x, server_target, &server)) {
		return H_PARAMETER;
	}
	icp_set_mfrr(x, server, (uint8_t)mfrr);
	return H_SUCCESS;
}

int64_t xics_h_xirr(struct xics *x, uint32_t server, uint64_t *xirr_out)
{
	if (server >= x->server_count) {
		return H_PARAMETER;
	}
	*xirr_out = icp_accept(x, server);
	return H_SUCCESS;
}

int64_t xics_h_eoi(struct xics *x, uint32_t server, uint64_t xirr)
{
	if (server >= x->server_count) {
		return H_PARAMETER;
	}
	icp_eoi(x, server, (uint32_t)xirr);
	return H_SUCCESS;
}

int64_t xics_h_ipoll(struct xics *x, uint64_t server_target,
		     uint64_t *xirr_out, uint64_t *mfrr_out)
{
	uint32_t server;

	if (!server_from_reg(x, server_target, &server)) {
		return H_PARAMETER;
	}
	*xirr_out = x->icp[server].xirr;
	*mfrr_out = x->icp[server].mfrr;
	return H_SUCCESS;
}

int32_t xics_rtas_set_xive(struct xics *x, uint32_t irq, uint32_t server,
			   uint32_t prio)
{
	if (!ics_valid_irq(x, irq) || server >= x->server_count ||
	    prio > XICS_PRIO_MASKED) {
		return RTAS_OUT_PARAM_ERROR;
	}
	ics_write_xive(x, irq - x->src_base, server, (uint8_t)prio,
		       (uint8_t)prio);
	return RTAS_OUT_SUCCESS;
}

int32_t xics_rtas_get_xive(struct xics *x, uint32_t irq, uint32_t *server,
			   uint32_t *prio)
{
	struct xics_source *s;

	if (!ics_valid_irq(x, irq)) {
		return RTAS_OUT_PARAM_ERROR;
	}
	s = ics_src(x, irq - x->src_base);
	*server = s->server;
	*prio = s->priority;
	return RTAS_OUT_SUCCESS;
}

int32_t xics_rtas_int_off(struct xics *x, uint32_t irq)
{
	struct xics_source *s;

	if (!ics_valid_irq(x, irq)) {
		return RTAS_OUT_PARAM_ERROR;
	}
	s = ics_src(x, irq - x->src_base);
	ics_write_xive(x, irq - x->src_base, s->server, XICS_PRIO_MASKED,
		       s->priority);
	return RTAS_OUT_SUCCESS;
}

int32_t xics_rtas_int_on(struct xics *x, uint32_t irq)
{
	struct xics_source *s;

	if (!ics_valid_irq(x, irq)) {
		return RTAS_OUT_PARAM_ERROR;
	}
	s = ics_src(x, irq - x->src_base);
	ics_write_xive(x, irq - x->src_base, s->server, s->saved_priority,
		       s->saved_priority);
	return RTAS_OUT_SUCCESS;
}
