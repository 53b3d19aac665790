/*
 * The vCPU state machine: every change of a vCPU's state goes through
 * hv/vcpu.c, under the vCPU's own lock, and only along the transitions of
 * the table below.  Matches PAPR's RTAS start-cpu, stop-self and
 * query-cpu-stopped-state (QEMU 7.2 spapr_rtas.c) and H_CEDE/H_PROD
 * (spapr_hcall.c, with PAPR's remembered prod).
 *
 * Lock order: the partition's locks, then vcpu->lock.  vcpu->lock is the
 * innermost lock: nothing else is taken and nothing is printed under it.
 */
#ifndef HV_VCPU_H
#define HV_VCPU_H

#include "hv/lib/types.h"
#include "hv/lock.h"
#include "hv/prof_count.h"

struct lpar;
struct pcpu;
struct regs;

enum vcpu_state {
	VCPU_STOPPED = 0, /* its thread is idle: RTAS "stopped" */
	VCPU_STARTING,    /* a start is pending; its thread will enter */
	VCPU_RUNNING,     /* in the guest, or handling one of its exits */
	VCPU_CEDED,       /* waiting in H_CEDE */
	VCPU_BOOTING,     /* its thread is to prepare the partition */
	VCPU_STOPPING,    /* stop-self done; its thread is leaving the guest */
	VCPU_STATES
};

/*
 * The transitions, and the only function that makes each:
 *
 *   STOPPED  -> BOOTING   vcpu_boot()        partition (re)boot, vCPU 0
 *   BOOTING  -> STARTING  vcpu_boot_done()   images loaded
 *   BOOTING  -> STOPPED   vcpu_boot_done()   the partition cannot boot
 *   STOPPED  -> STARTING  vcpu_start()       RTAS start-cpu
 *   STARTING -> RUNNING   vcpu_idle_work()   its thread enters the guest
 *   STARTING -> STOPPED   vcpu_idle_work()   partition no longer running
 *                         vcpu_settle()      partition stop drops the start
 *   RUNNING  -> CEDED     vcpu_cede()        H_CEDE
 *   CEDED    -> RUNNING   vcpu_cede()        woken (prod, interrupt, ...)
 *   RUNNING  -> STOPPING  vcpu_stop_self()   RTAS stop-self
 *   RUNNING  -> STOPPED   vcpu_left()        left for a partition stop
 *   STOPPING -> STOPPED   vcpu_left()        left after stop-self
 *
 * A vCPU counts as out of the guest only in STOPPED: a partition stop
 * completes (and may restart the partition) only when every vCPU is
 * STOPPED, and start-cpu is accepted only then.
 */

/** Where and how a vCPU enters the guest (copied under its lock). */
struct vcpu_entry {
	uint64_t pc;
	uint64_t msr;
	uint64_t r3, r4, r5;
};

/*
 * A partition's life cycle (hv/lpar.c), as far as its vCPUs see it: a
 * vCPU enters only while its partition runs, and leaves when it stops.
 */
enum lpar_state {
	LPAR_STOPPED = 0,
	LPAR_RUNNING,
	LPAR_STOPPING, /* vCPUs are being brought out of the guest */
	LPAR_BOOTING,  /* memory being cleared and images loaded */
};

struct vcpu {
	struct lpar *lpar;
	/* &lpar->state: all of its partition this file looks at. */
	const volatile uint32_t *lpar_state;
	uint32_t id;            /* PAPR hardware thread id seen by the guest */
	struct pcpu *pcpu;      /* the hardware thread it runs on */
	struct spinlock lock;    /* state and start: hv/vcpu.c only */
	volatile uint32_t state; /* enum vcpu_state */
	struct vcpu_entry start; /* for VCPU_STARTING */
	volatile uint32_t prod;  /* H_PROD arrived */
	volatile uint32_t irq;   /* XICS output line for this server */
	volatile uint32_t sreset; /* H_SIGNAL_SYS_RESET pending */
	uint64_t vpa, dtl, slb_shadow;
	uint32_t dtl_entries;    /* 48-byte entries the registered DTL holds */
	bool fresh;              /* next entry is the first of a boot */
	struct regs *frame;      /* the exit being handled, else NULL */
	uint32_t sdr1_gen;       /* POWER8: lpar->sdr1_gen its thread loaded */
	struct vcpu_prof prof;   /* exit profile (hv/profile.h) */
};

/** What a vCPU's idle thread is to do next (vcpu_idle_work()). */
enum vcpu_work {
	VCPU_WORK_NONE,  /* nothing: help clear memory, housekeeping, sleep */
	VCPU_WORK_BOOT,  /* prepare the partition (lpar_prepare()) */
	VCPU_WORK_ENTER, /* enter the guest with the entry returned */
	VCPU_WORK_LEFT,  /* report a stop (lpar_vcpu_stopped()) */
};

/**
 * Make one transition: when the state is in `from_mask` (bits
 * 1 << VCPU_*) and `from -> to` is in the table above, set `to`.
 * Returns true when done; false leaves the state unchanged.
 */
bool vcpu_transition(struct vcpu *vc, uint32_t from_mask, enum vcpu_state to);

/** True when the table above has `from -> to`. */
bool vcpu_transition_allowed(enum vcpu_state from, enum vcpu_state to);

/** The state now (a snapshot: it may change once read). */
enum vcpu_state vcpu_state(const struct vcpu *vc);

/** STOPPED -> BOOTING.  False when `vc` is not stopped. */
bool vcpu_boot(struct vcpu *vc);

/**
 * BOOTING -> STARTING with `e` as its entry, or BOOTING -> STOPPED when
 * `e` is NULL (the partition could not boot).  False when not booting.
 */
bool vcpu_boot_done(struct vcpu *vc, const struct vcpu_entry *e);

/**
 * RTAS start-cpu: STOPPED -> STARTING with entry `e`, only while the
 * partition runs.  False (the caller answers "hardware error", as QEMU
 * does for a CPU that is not halted) when `vc` is not STOPPED, which
 * includes a vCPU that has called stop-self but not left the guest yet,
 * or when the partition is not running.
 */
bool vcpu_start(struct vcpu *vc, const struct vcpu_entry *e);

/** RTAS stop-self by the running vCPU: RUNNING -> STOPPING. */
bool vcpu_stop_self(struct vcpu *vc);

/** True when RTAS query-cpu-stopped-state answers "stopped" (STOPPED). */
bool vcpu_is_stopped(const struct vcpu *vc);

/**
 * At the end of every exit: true when the vCPU must leave the guest now
 * (it called stop-self, or its partition is stopping).
 */
bool vcpu_must_leave(const struct vcpu *vc);

/*
 * The test at the end of every exit, inline and with plain loads: true when
 * vcpu_must_leave() or vcpu_take_reset() may have work.  Nothing is read on
 * the strength of these words (those two take their own ordering), and a
 * word set just after this look is seen at the next exit, which its
 * setter's kick brings at once.
 */
static inline bool vcpu_exit_work(const struct vcpu *vc)
{
	return vc->state == VCPU_STOPPING || *vc->lpar_state == LPAR_STOPPING ||
	       vc->sreset;
}

/** Its thread has left the guest: RUNNING or STOPPING -> STOPPED. */
bool vcpu_left(struct vcpu *vc);

/**
 * For a partition stop: drop a pending start (STARTING -> STOPPED) and
 * say whether the vCPU is out of the guest (STOPPED).
 */
bool vcpu_settle(struct vcpu *vc);

/**
 * Run by the vCPU's own idle thread.  A pending start is claimed here
 * (STARTING -> RUNNING, `e` filled) only while the partition runs;
 * otherwise it is dropped and VCPU_WORK_LEFT returned.  VCPU_WORK_LEFT is
 * also returned while the partition is stopping and the vCPU is out,
 * so that a stop requested when every vCPU had already stopped itself
 * still completes.
 */
enum vcpu_work vcpu_idle_work(struct vcpu *vc, struct vcpu_entry *e);

/**
 * A partition boot: forget everything the previous life left in the
 * vCPU (prod, interrupt line, pending system reset, VPA registrations).
 * Only for a STOPPED or BOOTING vCPU; false otherwise (nothing changed).
 */
bool vcpu_reset(struct vcpu *vc);

/**
 * H_CEDE by the running vCPU: CEDED until a prod (also one that arrived
 * before the cede: PAPR's remembered prod), a pending system reset, an
 * interrupt due, its decrementer or a partition stop; then RUNNING.  Each wait is
 * guest_cede_wait().  Returns H_SUCCESS.
 */
int64_t vcpu_cede(struct vcpu *vc);

/** H_PROD: remember a prod for `vc` and kick it. */
void vcpu_prod(struct vcpu *vc);

/** H_SIGNAL_SYS_RESET, watchdog dump: a system reset pending, kicked. */
void vcpu_signal_reset(struct vcpu *vc);

/** Take (and clear) a pending system reset; true when there was one. */
bool vcpu_take_reset(struct vcpu *vc);

/**
 * Make `vc` look at its prod, irq and reset flags now rather than at its
 * next tick: a doorbell to its thread when it is running or ceded.  Call
 * after setting the flag, with no lock held.
 */
void vcpu_kick(struct vcpu *vc);

/*
 * Provided by hv/guest.c (the hardware side; faked by the unit tests).
 */

/**
 * Something the guest must take is due for `vc`: its interrupt
 * controller's line (XICS) or OS ring (XIVE), or an alert of its own
 * performance monitor.
 */
bool guest_interrupt_due(struct vcpu *vc);

/** One wait of a ceded vCPU: housekeeping, then `stop` for at most a tick. */
void guest_cede_wait(struct vcpu *vc);

/** A hypervisor doorbell to `vc`'s thread, unless it is the caller's. */
void guest_doorbell(struct vcpu *vc);

#endif /* HV_VCPU_H */
