/*
 * Native XIVE for partitions (PAPR "XIVE exploitation"): each source a
 * partition sees (a LISN) is a real hardware interrupt allocated from
 * the host XIVE, each vCPU a real virtual processor (VP), and each event
 * queue a page of the partition's own memory that the hardware writes.
 * The partition reaches its ESB pages and the OS view of the TIMA
 * through cache-inhibited partition-scoped mappings, so triggers, EOIs,
 * CPPR changes and acknowledgements never leave the guest; only
 * configuration goes through the H_INT_* hcalls.
 *
 * A vCPU's OS context is pushed into its thread's TIMA when it enters
 * and pulled when it stops.  vCPUs own their thread, so the context stays
 * pushed through every exit and through H_CEDE: an interrupt for a ceded
 * vCPU raises its thread's OS line, which ends the cede's stop.
 *
 * Guest addresses follow QEMU 7.2's spapr-xive: ESB pages of LISN n at
 * XIVE_GUEST_VC_BASE + n * 128 KiB (trigger page, then management page),
 * the OS TIMA page at XIVE_GUEST_TM_BASE + 2 * 64 KiB.
 */
#ifndef INTC_XIVE_H
#define INTC_XIVE_H

#include "hv/abi/layout.h"
#include "hv/hcall.h"
#include "hv/lib/types.h"

struct lpar;

#define XIVE_GUEST_VC_BASE LAYOUT_XIVE_ESB_BASE
#define XIVE_GUEST_TM_BASE LAYOUT_XIVE_TM_BASE
#define XIVE_GUEST_END_BASE LAYOUT_XIVE_END_BASE
#define XIVE_GUEST_ESB_SHIFT LAYOUT_XIVE_ESB_SHIFT /* two pages per LISN */
#define XIVE_GUEST_TM_PAGE_OS LAYOUT_XIVE_TM_PAGE_OS
#define XIVE_GUEST_TM_PAGE_USER LAYOUT_XIVE_TM_PAGE_USER
#define XIVE_PRIORITIES 8 /* 7 is the hypervisor's, as on QEMU and KVM */
#define XIVE_MAX_DEVICE_LISNS 16

/* Flag bits of the H_INT_* hcalls (PAPR; QEMU hw/intc/spapr_xive.c). */
#define XIVE_SRC_H_INT_ESB (1ull << 3)   /* PPC_BIT(60) */
#define XIVE_SRC_LSI (1ull << 2)         /* PPC_BIT(61) */
#define XIVE_SRC_TRIGGER (1ull << 1)     /* PPC_BIT(62) */
#define XIVE_SRC_STORE_EOI (1ull << 0)   /* PPC_BIT(63) */
#define XIVE_SRC_SET_EISN (1ull << 1)    /* PPC_BIT(62) */
#define XIVE_SRC_MASK (1ull << 0)        /* PPC_BIT(63) */
#define XIVE_END_ALWAYS_NOTIFY (1ull << 0)
#define XIVE_END_DEBUG (1ull << 0)
#define XIVE_END_GENERATION (1ull << 1)  /* PPC_BIT(62), debug output */
#define XIVE_ESB_STORE (1ull << 0)

struct xive_src {
	uint32_t lisn;
	uint32_t girq;
	uint64_t trig_page; /* host real addresses */
	uint64_t eoi_page;
	bool store_eoi;
	bool masked;
	uint32_t target;    /* vCPU, as last configured */
	uint8_t prio;
	uint32_t eisn;
	bool borrowed;      /* a device's own source (PHB MSI): not freed */
	bool lsi;           /* a level source (a PHB's INTx) */
};

struct xive_queue {
	uint64_t gpa;
	uint32_t shift;     /* 0: no queue */
	bool notify;
};

struct xive_vp {
	uint32_t cam;
	bool pushed;
	struct xive_queue q[XIVE_PRIORITIES];
};

struct xive_part {
	struct lpar *lpar;
	uint32_t vp_base;
	uint32_t vcpus;
	uint32_t nsrc;
	struct xive_src *src;
	struct xive_vp *vp;
	uint64_t hvi;       /* hypervisor interrupts taken while it ran */
};

/**
 * Give `l` its VPs, one interrupt per vCPU IPI (LISNs 0..vcpus-1) and per
 * device LISN in `dev_lisns`, and map their ESB pages and the OS TIMA
 * page into its partition-scoped table.  Prints the reason and returns
 * NULL on failure, with everything given back.
 */
struct xive_part *xive_create(struct lpar *l, const uint32_t *dev_lisns,
			      uint32_t ndev);
/**
 * Make the `n` host sources girq .. girq + n - 1, which a device owns (a
 * PCI host bridge's MSIs), LISNs lisn .. lisn + n - 1 of the partition:
 * their single ESB page each mapped like any source's, routed by the
 * H_INT_* hcalls, masked by resets, never freed to the host pool.  Only
 * while no vCPU runs (partition creation).  Prints the reason and returns
 * false on failure (the sources already adopted stay until destroy).
 */
bool xive_adopt_sources(struct xive_part *x, uint32_t lisn, uint32_t girq,
			uint32_t n);
/**
 * The same for `n` level sources (a PCI host bridge's INTA..INTD): OPAL
 * must report each as an LSI; H_INT_GET_SOURCE_INFO says LSI and
 * H_INT_ESB, as QEMU 7.2 does for its PHB's.  An EOI (load) on the ESB
 * page while the device still asserts its line raises it again.
 */
bool xive_adopt_lsis(struct xive_part *x, uint32_t lisn, uint32_t girq,
		     uint32_t n);
/** Give every resource back to the host (NULL-safe). */
void xive_destroy(struct xive_part *x);
/** H_INT_RESET's work: mask every source, turn every queue off. */
void xive_reset(struct xive_part *x);
/** Whether `lisn` is one of the partition's device LISNs. */
bool xive_has_device_lisn(struct xive_part *x, uint32_t lisn);
/** Trigger `lisn` (a device's event). */
void xive_trigger(struct xive_part *x, uint32_t lisn);
/** vCPU `vcpu` is about to enter on this thread: push its context. */
void xive_vcpu_enter(struct xive_part *x, uint32_t vcpu);
/** vCPU `vcpu` has stopped on this thread: pull its context. */
void xive_vcpu_leave(struct xive_part *x, uint32_t vcpu);
/** Whether vCPU `vcpu`, running on this thread, has an interrupt due. */
bool xive_vcpu_pending(struct xive_part *x, uint32_t vcpu);

#endif /* INTC_XIVE_H */
