/*
 * A partition's interrupt controller as the rest of lparvisor sees it:
 * creation, reset, the hcall and RTAS entry points, and what vCPU entry,
 * stop and H_CEDE need.  A partition gets an emulated XICS (intc/xics.c)
 * or the host's XIVE (intc/xive.c), as its configuration says.
 */
#ifndef INTC_INTC_H
#define INTC_INTC_H

#include "hv/abi/layout.h"
#include "hv/lock.h"
#include "hv/lpar.h"

#define INTC_SOURCES 0x1000 /* XICS sources 0x1000..0x1fff, as QEMU */
#define INTC_VTY_IRQ LAYOUT_VTY_IRQ /* the vty's source: QEMU's first VIO irq */

struct xics;
struct xics_fwd;
struct xive_part;

/*
 * A partition's controller, the intc unit's state (hv/unit.h).  `lock`
 * covers the XICS or XIVE state behind it (every XICS and H_INT_* hcall,
 * the XICS RTAS calls, reset); nothing else is taken under it, and vCPUs
 * whose line rose are kicked once it is dropped.
 */
struct intc_part {
	struct spinlock lock;
	struct xics *xics;       /* the emulated XICS, or */
	struct xive_part *xive;  /* native XIVE (cfg.intc) */
	struct xics_fwd *fwd;    /* XICS: host MSIs forwarded (or NULL) */
	uint64_t kicks;          /* vCPUs to kick once `lock` is dropped */
	bool phb_lsis[CONFIG_MAX_PHBS]; /* PHB i's INTA..INTD given */
};

/** The controller of partition `l`. */
struct intc_part *intc_of(const struct lpar *l);

/** Create `l`'s controller; prints the reason and returns false on failure. */
bool intc_create(struct lpar *l);

/** Reset it for a (re)boot, or when the partition stops for good. */
void intc_reset(struct lpar *l);

/** Free it (safe after a failed create). */
void intc_destroy(struct lpar *l);

/**
 * Give a device (a VIO device joining the bus) source `irq` of `l`, edge
 * triggered, as QEMU's spapr_irq_claim(irq, false).  XICS: the source is
 * claimed as a message (edge) source.  XIVE: the partition must have the
 * LISN (its device LISNs are fixed at creation).  Returns false when the
 * source does not exist, is already claimed, or (XIVE) has no LISN.
 */
bool intc_claim_device_irq(struct lpar *l, uint32_t irq);

/**
 * Switch a "dual" partition to `mode` while only `vc`, the caller's own
 * vCPU in an hcall, runs (CAS): its XIVE OS context is pulled or pushed.
 * The caller recomputes the partition's LPCR.  Returns true, or false
 * when the partition is not dual and `mode` is not its mode.
 */
bool intc_set_mode(struct lpar *l, struct vcpu *vc, enum config_intc mode);

/** Signal source `irq` of `l` (an edge, as a VIO device does). */
void intc_pulse(struct lpar *l, uint32_t irq);

/** LPCR bits the partition's controller needs while its vCPUs run. */
uint64_t intc_lpcr(const struct lpar *l);

/** `vc` is about to enter the guest on its thread after being stopped. */
void intc_vcpu_enter(struct vcpu *vc);

/** `vc` has left the guest for good (stopped) on its thread. */
void intc_vcpu_leave(struct vcpu *vc);

/** Whether `vc` has an external interrupt due (ends H_CEDE). */
bool intc_vcpu_pending(struct vcpu *vc);

/** Whether `l` (XICS) has host MSIs forwarded to its XICS sources. */
bool intc_has_fwd(const struct lpar *l);

/**
 * Whether the INTA..INTD of `l`'s PHB `i` (its i-th pci-host-bridges
 * entry) reach it: XIVE LISNs, or XICS sources forwarded, numbered
 * LAYOUT_PHB_LSI_LISN(i) + pin - 1.
 */
bool intc_phb_lsis(const struct lpar *l, uint32_t i);

/**
 * A host interrupt came while `vc` ran: a hypervisor virtualization
 * interrupt (0xea0, XIVE partitions), or the external exception (0x500)
 * of a XICS partition's vCPU 0, whose OS ring carries the host MSIs
 * forwarded to its XICS (intc/xics_fwd.h).
 */
void intc_hvi(struct vcpu *vc);

#endif /* INTC_INTC_H */
