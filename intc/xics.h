/*
 * Emulated XICS for one partition: a presentation controller (ICP) per
 * interrupt server and one interrupt source controller (ICS), as a guest
 * reaches them through H_CPPR, H_IPI, H_XIRR, H_EOI, H_IPOLL and the RTAS
 * services ibm,set-xive, ibm,get-xive, ibm,int-off and ibm,int-on.
 * Matches QEMU 7.2 hw/intc/xics.c and xics_spapr.c (emulated XICS under
 * -M pseries).  Pure state machine, host-tested in tests/unit/xics_test.c.
 *
 * Locking: there is none inside.  Every function here requires the caller
 * to hold the partition's XICS lock; one lock covers the ICS and all the
 * ICPs, because a single call (an EOI, say) can present interrupts on any
 * server.  The notify callback runs with that lock held and must not call
 * back into this module.
 *
 * Not handled here, because they belong to the hcall and RTAS layers:
 * refusing every call with H_HARDWARE (RTAS -1) once the guest negotiated
 * XIVE, the RTAS nargs/nret checks (RTAS -3), and H_XIRR_X, which is H_XIRR
 * plus the timebase in r5.
 */
#ifndef INTC_XICS_H
#define INTC_XICS_H

#include "hv/lib/types.h"

/* XISR values with a fixed meaning (Linux asm/xics.h, QEMU xics.h). */
#define XICS_IRQ_SPURIOUS 0
#define XICS_IPI 2

/*
 * Priorities: 0 is the most favoured.  0xff masks a source; as CPPR it
 * admits every other priority.
 */
#define XICS_PRIO_MASKED 0xff

/* QEMU pseries: the ICS covers 0x1000..0x1fff (SPAPR_XIRQ_BASE/NR_XIRQS). */
#define XICS_IRQ_BASE 0x1000
#define XICS_MAX_SOURCES 0x1000
#define XICS_MAX_SERVERS 1024

enum xics_err {
	XICS_OK = 0,
	XICS_EINVAL, /* bad geometry, or a number outside the ICS */
	XICS_EBUSY,  /* the source is already claimed */
};

/*
 * Called whenever a server's interrupt output changes: true when an
 * interrupt is presented (the vCPU must take an external interrupt),
 * false when it is withdrawn or accepted.  Never called twice in a row
 * with the same value for the same server.
 */
typedef void (*xics_notify_fn)(void *ctx, uint32_t server, bool irq_line);

/* Private to intc/xics.c; defined here only so that callers can size it. */
struct xics_icp {
	uint32_t xirr;            /* CPPR << 24 | XISR */
	uint8_t pending_priority; /* of the XISR interrupt; 0xff if none */
	uint8_t mfrr;             /* IPI priority; 0xff: no IPI */
	bool output;              /* interrupt line to the vCPU */
};

struct xics_source {
	uint32_t server;
	uint8_t priority;       /* 0xff: masked */
	uint8_t saved_priority; /* restored by ibm,int-on */
	uint8_t status;         /* XICS_SRC_* in xics.c */
	uint8_t flags;          /* claimed as LSI or MSI */
};

struct xics {
	xics_notify_fn notify;
	void *ctx;
	uint32_t server_count;
	uint32_t src_base;
	uint32_t src_count;
	/*
	 * Only a rejected MSI or an LSI can need a resend: with neither, the
	 * resend at every EOI skips its scan of every source.
	 */
	uint32_t rejected;  /* MSI sources with XICS_SRC_REJECTED */
	uint32_t lsi_count; /* sources claimed as LSI */
	/* server_count ICPs, then src_count struct xics_source. */
	struct xics_icp icp[];
};

/*
 * Bytes the caller must provide (8-byte aligned) for `servers` servers and
 * `sources` sources: 32 KiB plus 8 bytes a vCPU for QEMU's 0x1000 sources.
 */
#define XICS_SIZE(servers, sources)                                      \
	(sizeof(struct xics) + (size_t)(servers) * sizeof(struct xics_icp) + \
	 (size_t)(sources) * sizeof(struct xics_source))

/**
 * Set up the XICS at `x` (XICS_SIZE(servers, src_count) bytes) as QEMU's
 * reset leaves it: every CPPR 0 (nothing accepted until the guest writes
 * H_CPPR), every MFRR 0xff, every source unclaimed, server 0, priority
 * and saved priority 0xff.  Servers are numbered 0..servers-1 (the vCPU
 * ids of the partition); the ICS covers src_base..src_base+src_count-1.
 * `notify` may be NULL.  No output is raised, so notify is not called.
 * Returns XICS_OK; XICS_EINVAL if servers or src_count is 0 or above its
 * XICS_MAX_* bound, or the source range touches XISR 0..2 or passes the
 * 24-bit XISR.
 */
enum xics_err xics_init(struct xics *x, uint32_t servers, uint32_t src_base,
			uint32_t src_count, xics_notify_fn notify, void *ctx);

/**
 * Machine reset, as QEMU's ICP and ICS reset: the state xics_init() gives,
 * except that claims (LSI or MSI) survive.  Outputs that were raised are
 * lowered through notify.
 */
void xics_reset(struct xics *x);

/**
 * Claim source `irq` for a device, as level-sensitive (LSI) or message
 * (MSI).  Configuration (server, priority) is left alone.
 * Returns XICS_OK; XICS_EINVAL if irq is not in the ICS; XICS_EBUSY if it
 * is already claimed.
 */
enum xics_err xics_irq_claim(struct xics *x, uint32_t irq, bool lsi);

/**
 * Release source `irq`.  As in QEMU, the whole source state is cleared,
 * so a source claimed again later starts at server 0, priority 0 (not
 * masked) until the guest configures it.
 * Returns XICS_OK; XICS_EINVAL if irq is not in the ICS.
 */
enum xics_err xics_irq_free(struct xics *x, uint32_t irq);

/**
 * Device side.  An LSI follows `level` (the line is held); while it is
 * asserted it is presented again after each EOI.  For an MSI (or an
 * unclaimed source, which QEMU treats the same) every call with level
 * true is one message and level false does nothing; a message that
 * arrives while the source is masked is kept until it is unmasked.
 * May present an interrupt and so call notify.
 * Returns XICS_OK; XICS_EINVAL if irq is not in the ICS.
 */
enum xics_err xics_set_irq(struct xics *x, uint32_t irq, bool level);

/** The output line of `server`: false for a server that does not exist. */
bool xics_server_pending(const struct xics *x, uint32_t server);

/**
 * H_CPPR from `server` (the calling vCPU): set its CPPR to the low byte of
 * `cppr` (QEMU truncates the register the same way).  Making CPPR more
 * favoured rejects a pending interrupt that it no longer admits, which
 * goes back to its source (or, for the IPI, stays in MFRR).  Making it
 * less favoured, or writing the same value, with nothing pending resends
 * the IPI and every rejected or asserted source.
 * Returns H_SUCCESS; H_PARAMETER if server does not exist.
 */
int64_t xics_h_cppr(struct xics *x, uint32_t server, uint64_t cppr);

/**
 * H_IPI: set the MFRR of server `server_target` to the low byte of `mfrr`.
 * The IPI (XISR 2) is presented when MFRR is more favoured than that
 * server's CPPR and than what it has pending.  As in QEMU, the server
 * register is truncated to 32 bits before the lookup, and writing 0xff
 * does not withdraw an IPI that is already presented.
 * Returns H_SUCCESS; H_PARAMETER if the server does not exist.
 */
int64_t xics_h_ipi(struct xics *x, uint64_t server_target, uint64_t mfrr);

/**
 * H_XIRR from `server`: accept.  *xirr_out gets the XIRR as it was (old
 * CPPR << 24 | XISR, e.g. 0xff000002 for an IPI taken at CPPR 0xff; XISR 0
 * if nothing was pending).  CPPR then becomes the accepted priority, XISR
 * 0, and the output is lowered.  As in QEMU, accepting with nothing
 * pending sets CPPR to 0xff.
 * Returns H_SUCCESS; H_PARAMETER if server does not exist (*xirr_out is
 * not written).
 */
int64_t xics_h_xirr(struct xics *x, uint32_t server, uint64_t *xirr_out);

/**
 * H_EOI from `server`: set CPPR to bits 31-24 of `xirr` and end the
 * interrupt in bits 23-0 (an LSI may then be presented again).  If
 * nothing is pending afterwards, the IPI and every rejected or asserted
 * source are resent.  As in QEMU, the XISR is not checked against what
 * was accepted, and the call always succeeds for an existing server.
 * Returns H_SUCCESS; H_PARAMETER if server does not exist.
 */
int64_t xics_h_eoi(struct xics *x, uint32_t server, uint64_t xirr);

/**
 * H_IPOLL: read the XIRR and MFRR of `server_target` without accepting
 * anything (no state change, no notify).  The server register is
 * truncated to 32 bits, as in QEMU.
 * Returns H_SUCCESS; H_PARAMETER if the server does not exist (the
 * outputs are not written).
 */
int64_t xics_h_ipoll(struct xics *x, uint64_t server_target,
		     uint64_t *xirr_out, uint64_t *mfrr_out);

/**
 * ibm,set-xive: route source `irq` to `server` at priority `prio` (0xff
 * masks it) and make `prio` the priority ibm,int-on restores.  Unmasking
 * presents a message that arrived while masked, or an asserted LSI.  An
 * interrupt already presented is not moved.  Unclaimed sources in the ICS
 * are accepted, as in QEMU.
 * Returns RTAS_OUT_SUCCESS; RTAS_OUT_PARAM_ERROR (-3) if irq is not in the
 * ICS, server does not exist or prio is above 0xff.
 */
int32_t xics_rtas_set_xive(struct xics *x, uint32_t irq, uint32_t server,
			   uint32_t prio);

/**
 * ibm,get-xive: the server and the current priority (0xff while masked by
 * ibm,int-off) of source `irq`.
 * Returns RTAS_OUT_SUCCESS; RTAS_OUT_PARAM_ERROR (-3) if irq is not in the
 * ICS (the outputs are not written).
 */
int32_t xics_rtas_get_xive(struct xics *x, uint32_t irq, uint32_t *server,
			   uint32_t *prio);

/**
 * ibm,int-off: mask source `irq`, saving its current priority for
 * ibm,int-on.  As in QEMU the save is unconditional, so a second int-off
 * saves 0xff and the next int-on leaves the source masked.
 * Returns RTAS_OUT_SUCCESS; RTAS_OUT_PARAM_ERROR (-3) if irq is not in the
 * ICS.
 */
int32_t xics_rtas_int_off(struct xics *x, uint32_t irq);

/**
 * ibm,int-on: give source `irq` back the saved priority (set by
 * ibm,set-xive or ibm,int-off), presenting what arrived while masked.
 * Returns RTAS_OUT_SUCCESS; RTAS_OUT_PARAM_ERROR (-3) if irq is not in the
 * ICS.
 */
int32_t xics_rtas_int_on(struct xics *x, uint32_t irq);

#endif /* INTC_XICS_H */
