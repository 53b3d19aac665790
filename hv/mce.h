/*
 * Machine checks a partition may handle itself: PAPR's firmware-assisted
 * NMI (FWNMI).  A partition that registered with RTAS ibm,nmi-register
 * gets a machine check at its registered handler, with r3 pointing at an
 * RTAS error log in its RTAS area (the r3 it had saved in the log's first
 * doubleword), and gives the log back with ibm,nmi-interlock; a system
 * reset goes to its registered system-reset handler.  A partition that
 * never registered keeps lparvisor's crash policy (docs/architecture.md).
 */
#ifndef HV_MCE_H
#define HV_MCE_H

#include "hv/abi/layout.h"
#include "hv/lib/types.h"
#include "hv/lock.h"
#include "mm/gmem.h"

/* Where the error log goes in the RTAS area (before the RTAS clock). */
#define MCE_LOG_OFFSET LAYOUT_RTAS_LOG_OFFSET

#define MCE_NO_OWNER 0xffffffffu

/* A partition's FWNMI registration; reset at every boot. */
struct fwnmi {
	struct spinlock lock;
	uint64_t sreset_addr; /* 0: not registered */
	uint64_t mce_addr;
	uint64_t log_gpa;     /* the error log buffer (guest real) */
	uint32_t owner;       /* vCPU whose log is out, or MCE_NO_OWNER */
};

enum mce_kind { MCE_LOAD, MCE_STORE, MCE_IFETCH };

/* One machine check to report: what failed, where. */
struct mce_event {
	enum mce_kind kind;
	uint64_t ea;   /* effective address (the instruction's for a fetch) */
	uint64_t gra;  /* the guest real address that has no memory */
	uint32_t vcpu; /* the vCPU that took it */
	uint64_t r3;   /* its r3, saved in the log */
};

/** Forget any registration (a partition boot); the log goes at `log_gpa`. */
void mce_reset(struct fwnmi *f, uint64_t log_gpa);

/**
 * ibm,nmi-register: machine checks to `mce`, system resets to `sreset`
 * (guest real addresses of 4-byte aligned code in `g`, below 32 MiB as
 * PAPR and QEMU require).  Returns an RTAS status: 0, or -3 for any other
 * address.
 */
int32_t mce_register(struct fwnmi *f, const struct gmem *g, uint64_t sreset,
		     uint64_t mce);

/**
 * ibm,nmi-interlock from vCPU `vcpu`: the error log it was given is free
 * again.  Returns 0, or -3 when it holds none (as QEMU).
 */
int32_t mce_interlock(struct fwnmi *f, uint32_t vcpu);

/**
 * Write the error log of `ev` into `g` and take the interlock for
 * `ev->vcpu`.  Returns false (nothing written) when the partition has not
 * registered, or a log is already out (a second machine check before the
 * interlock: QEMU stops a guest whose vCPU takes one while it holds the
 * log, and holds back one on another vCPU; lparvisor stops the partition
 * in both cases); the caller applies the crash policy.  Else *entry is the registered handler, *log the log's address
 * (the guest's new r3).
 */
bool mce_deliver(struct fwnmi *f, const struct gmem *g,
		 const struct mce_event *ev, uint64_t *entry, uint64_t *log);

/** Where a system reset goes: the registered handler, else 0x100. */
uint64_t mce_sreset_vector(struct fwnmi *f);

#endif /* HV_MCE_H */
