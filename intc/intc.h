/*
 * A partition's interrupt controller as the rest of lparvisor sees it:
 * creation, reset, and the hcall and RTAS entry points.  Today every
 * partition gets an emulated XICS (intc/xics.c); XIVE comes later.
 */
#ifndef INTC_INTC_H
#define INTC_INTC_H

#include "hv/hcall.h"
#include "hv/lpar.h"

#define INTC_SOURCES 0x1000 /* XICS sources 0x1000..0x1fff, as QEMU */
#define INTC_VTY_IRQ 0x1100 /* the vty's source, as QEMU's first VIO irq */

/** Create `l`'s controller; prints the reason and returns false on failure. */
bool intc_create(struct lpar *l);

/** Reset it for a (re)boot. */
void intc_reset(struct lpar *l);

/** Free it (NULL-safe). */
void intc_destroy(struct lpar *l);

/** Signal source `irq` of `l` (an edge, as a VIO device does). */
void intc_pulse(struct lpar *l, uint32_t irq);

/** The XICS hcalls (H_XIRR, H_XIRR_X, H_EOI, H_CPPR, H_IPI, H_IPOLL). */
int64_t intc_hcall(struct vcpu *vc, struct hcall_args *a);

/**
 * The XICS RTAS calls (ibm,set-xive, get-xive, int-off, int-on).  Writes
 * rets[0..]; returns false for a token it does not serve.
 */
bool intc_rtas(struct lpar *l, uint32_t token, uint32_t nargs,
	       const uint32_t *args, uint32_t nret, uint32_t *rets);

#endif /* INTC_INTC_H */
