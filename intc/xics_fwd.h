/*
 * Host interrupts forwarded to an emulated XICS: the MSIs and INTx LSIs
 * of a PCI host bridge that a XICS partition owns (LSIs: see
 * xics_fwd_add_lsi()).  A XICS partition has no XIVE VP of
 * its own for the hardware to deliver to, so lparvisor gives it one VP
 * with a queue in hypervisor memory, routes each device source there
 * (EISN = the source's index), and pushes the VP's OS context on the
 * thread of the partition's vCPU 0 with CPPR 0xff.  An MSI then raises
 * that thread's external exception, which the partition's LPCR (LPES0
 * clear) sends to lparvisor: xics_fwd_drain() acknowledges the OS ring,
 * takes every queued event, raises the matching XICS source (an edge, as
 * a message interrupt) and EOIs the hardware source on its ESB page, then
 * opens CPPR again.  Masking, priorities and servers stay the emulated
 * XICS's: the hardware source is always enabled.
 *
 * Events are taken only on vCPU 0's thread; while vCPU 0 is stopped
 * (stop-self) they wait in the VP's queue and come when it runs again.
 * Every call runs under the partition's interrupt controller lock
 * (intc/intc.h), on a hypervisor thread in real mode.
 */
#ifndef INTC_XICS_FWD_H
#define INTC_XICS_FWD_H

#include "hv/lib/types.h"

#define XICS_FWD_PRIO 6       /* the VP's one queue, as Linux's choice */
#define XICS_FWD_QSHIFT 12    /* a 4 KiB queue: 1024 events */
#define XICS_FWD_MAX 128      /* sources one partition may forward */

struct xics_fwd_src {
	uint32_t girq;        /* the host's global interrupt number */
	uint32_t irq;         /* the XICS source it raises */
	uint64_t eoi_page;    /* host real address of its ESB page */
	bool lsi;             /* a level source: EOId at the guest's H_EOI */
};

struct xics_fwd {
	uint32_t vp, cam;
	uint32_t *queue;      /* 2^XICS_FWD_QSHIFT bytes, big-endian words */
	uint32_t idx, toggle; /* next entry; generation bit of an old one */
	bool pushed;          /* the OS context is on this VP's thread */
	uint32_t n;
	struct xics_fwd_src src[XICS_FWD_MAX];
	uint64_t events;      /* forwarded */
	uint64_t bad;         /* queue entries naming no source */
	uint32_t lsi_lo, lsi_hi; /* XICS numbers of the LSIs (lo > hi: none) */
};

/**
 * A forwarder: one VP, enabled, with its queue.  NULL (with the reason
 * printed for partition `name`) when the XIVE has no VP or heap is short.
 */
struct xics_fwd *xics_fwd_create(const char *name);

/**
 * Forward host interrupt `girq` (a device's own source, whose ESB page
 * OPAL reports) to XICS source `irq`: routed to the VP, PQ set to 00.
 * False when the table is full or OPAL refuses.
 */
bool xics_fwd_add(struct xics_fwd *f, uint32_t girq, uint32_t irq);

/**
 * Forward host LSI `girq` (a PHB's INTx: OPAL must report it as an LSI)
 * to XICS source `irq`, claimed by the caller as an LSI.  A drain asserts
 * that source's level and leaves the hardware source with P set (no
 * further event); the guest's H_EOI of it calls xics_fwd_lsi_eoi(), which
 * lowers the level and EOIs the hardware, which notifies again while the
 * device still holds its line: level semantics end to end.
 */
bool xics_fwd_add_lsi(struct xics_fwd *f, uint32_t girq, uint32_t irq);

/** The forwarded LSI whose XICS source is `irq`, or NULL (cheap for
 * every other number: a range check). */
const struct xics_fwd_src *xics_fwd_lsi(const struct xics_fwd *f,
					uint32_t irq);

/**
 * The guest EOId forwarded LSI `s` (its XICS level already lowered by
 * the caller): EOI the hardware source, which queues a new event if the
 * device still asserts the line.
 */
void xics_fwd_lsi_eoi(struct xics_fwd *f, const struct xics_fwd_src *s);

/**
 * A partition reboot: every source off (PQ=01) while the queue is made
 * anew (its old events dropped), then on again.
 */
void xics_fwd_reset(struct xics_fwd *f);

/** Everything back to the host: sources masked and off, VP freed. */
void xics_fwd_destroy(struct xics_fwd *f);

/** Push the VP's OS context (CPPR 0xff) on this thread. */
void xics_fwd_push(struct xics_fwd *f);

/** Pull it off this thread. */
void xics_fwd_pull(struct xics_fwd *f);

/**
 * On the thread holding the context: if its OS ring has an event,
 * acknowledge it, call raise(ctx, irq, lsi) for every queued event and
 * EOI its hardware source (an MSI's; an LSI's waits for the guest's
 * EOI), then set CPPR to 0xff again.  Returns the number of events
 * taken.
 */
uint32_t xics_fwd_drain(struct xics_fwd *f,
			void (*raise)(void *ctx, uint32_t irq, bool lsi),
			void *ctx);

/** Pop one queue entry: its EISN, or -1 when the queue is empty. */
int64_t xics_fwd_pop(struct xics_fwd *f);

#endif /* INTC_XICS_FWD_H */
