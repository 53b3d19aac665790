/*
 * The vCPU state machine (table in hv/vcpu.h): start, stop-self, the
 * partition's stop and restart, kicks, and H_CEDE with its wake-ups.
 * One rule for every transition: vcpu_transition() under the vCPU's
 * lock, refused unless the table has it.  The hardware side (entering
 * the guest, the doorbell, the `stop` of a ceded thread) stays in
 * hv/guest.c, so this file runs unchanged in the host unit tests.  Of its
 * partition, a vCPU looks only at the life-cycle state (lpar_state).
 */
#include "hv/abi/hcall.h"
#include "hv/cpu.h"
#include "hv/lock.h"
#include "hv/spr.h"
#include "hv/vcpu.h"

#define S(x) (1u << (x))

/* transitions[from]: the states `from` may go to (the table in vcpu.h). */
static const uint32_t transitions[VCPU_STATES] = {
	[VCPU_STOPPED] = S(VCPU_BOOTING) | S(VCPU_STARTING),
	[VCPU_BOOTING] = S(VCPU_STARTING) | S(VCPU_STOPPED),
	[VCPU_STARTING] = S(VCPU_RUNNING) | S(VCPU_STOPPED),
	[VCPU_RUNNING] = S(VCPU_CEDED) | S(VCPU_STOPPING) | S(VCPU_STOPPED),
	[VCPU_CEDED] = S(VCPU_RUNNING),
	[VCPU_STOPPING] = S(VCPU_STOPPED),
};

bool vcpu_transition_allowed(enum vcpu_state from, enum vcpu_state to)
{
	return (unsigned)from < VCPU_STATES && (unsigned)to < VCPU_STATES &&
	       (transitions[from] & S(to));
}

/* The one place a state is written; vc->lock held. */
static bool transition_locked(struct vcpu *vc, uint32_t from_mask,
			      enum vcpu_state to)
{
	enum vcpu_state from = (enum vcpu_state)vc->state;

	if (!(from_mask & S(from)) || !vcpu_transition_allowed(from, to)) {
		return false;
	}
	__atomic_store_n(&vc->state, (uint32_t)to, __ATOMIC_RELEASE);
	return true;
}

bool vcpu_transition(struct vcpu *vc, uint32_t from_mask, enum vcpu_state to)
{
	bool ok;

	spin_lock(&vc->lock);
	ok = transition_locked(vc, from_mask, to);
	spin_unlock(&vc->lock);
	return ok;
}

enum vcpu_state vcpu_state(const struct vcpu *vc)
{
	return (enum vcpu_state)__atomic_load_n(&vc->state, __ATOMIC_ACQUIRE);
}

static enum lpar_state life(const struct vcpu *vc)
{
	return (enum lpar_state)__atomic_load_n(vc->lpar_state,
						 __ATOMIC_ACQUIRE);
}

static bool lpar_running(const struct vcpu *vc)
{
	return life(vc) == LPAR_RUNNING;
}

bool vcpu_boot(struct vcpu *vc)
{
	return vcpu_transition(vc, S(VCPU_STOPPED), VCPU_BOOTING);
}

bool vcpu_boot_done(struct vcpu *vc, const struct vcpu_entry *e)
{
	bool ok;

	spin_lock(&vc->lock);
	if (e && vc->state == VCPU_BOOTING) {
		vc->start = *e; /* before the state: the claim reads it after */
	}
	ok = transition_locked(vc, S(VCPU_BOOTING),
			       e ? VCPU_STARTING : VCPU_STOPPED);
	spin_unlock(&vc->lock);
	return ok;
}

bool vcpu_start(struct vcpu *vc, const struct vcpu_entry *e)
{
	bool ok = false;

	spin_lock(&vc->lock);
	/*
	 * A partition stop marks the partition before it settles any vCPU
	 * under this lock, so a start seen here is either settled (dropped)
	 * by that stop or refused.
	 */
	if (vc->state == VCPU_STOPPED && lpar_running(vc)) {
		vc->start = *e;
		ok = transition_locked(vc, S(VCPU_STOPPED), VCPU_STARTING);
	}
	spin_unlock(&vc->lock);
	return ok;
}

bool vcpu_stop_self(struct vcpu *vc)
{
	/*
	 * Not STOPPED yet: the thread is still in the hypervisor on the
	 * guest's exit.  Until vcpu_left(), a start-cpu is refused and a
	 * partition stop waits, so nobody can restart the vCPU, or the
	 * partition, while its thread is still on its way out.
	 */
	return vcpu_transition(vc, S(VCPU_RUNNING), VCPU_STOPPING);
}

bool vcpu_is_stopped(const struct vcpu *vc)
{
	return vcpu_state(vc) == VCPU_STOPPED;
}

bool vcpu_must_leave(const struct vcpu *vc)
{
	return vcpu_state(vc) == VCPU_STOPPING || life(vc) == LPAR_STOPPING;
}

bool vcpu_left(struct vcpu *vc)
{
	return vcpu_transition(vc, S(VCPU_RUNNING) | S(VCPU_STOPPING),
			       VCPU_STOPPED);
}

bool vcpu_settle(struct vcpu *vc)
{
	bool out;

	spin_lock(&vc->lock);
	transition_locked(vc, S(VCPU_STARTING), VCPU_STOPPED);
	out = vc->state == VCPU_STOPPED;
	spin_unlock(&vc->lock);
	return out;
}

/* STARTING -> RUNNING with its entry, or dropped when the partition is not running. */
static bool claim(struct vcpu *vc, struct vcpu_entry *e)
{
	bool enter = false;

	spin_lock(&vc->lock);
	if (vc->state == VCPU_STARTING) {
		enter = lpar_running(vc);
		if (enter) {
			*e = vc->start;
		}
		transition_locked(vc, S(VCPU_STARTING),
				  enter ? VCPU_RUNNING : VCPU_STOPPED);
	}
	spin_unlock(&vc->lock);
	return enter;
}

enum vcpu_work vcpu_idle_work(struct vcpu *vc, struct vcpu_entry *e)
{
	switch (vcpu_state(vc)) {
	case VCPU_BOOTING:
		return VCPU_WORK_BOOT;
	case VCPU_STARTING:
		return claim(vc, e) ? VCPU_WORK_ENTER : VCPU_WORK_LEFT;
	case VCPU_STOPPED:
		/*
		 * A stop is completed by the last vCPU to leave; when every
		 * vCPU had stopped itself before it was asked, none is left
		 * to leave, so the idle threads see to it.
		 */
		if (life(vc) == LPAR_STOPPING) {
			return VCPU_WORK_LEFT;
		}
		return VCPU_WORK_NONE;
	default:
		return VCPU_WORK_NONE;
	}
}

bool vcpu_reset(struct vcpu *vc)
{
	bool ok;

	spin_lock(&vc->lock);
	ok = vc->state == VCPU_STOPPED || vc->state == VCPU_BOOTING;
	if (ok) {
		__atomic_store_n(&vc->prod, 0, __ATOMIC_RELAXED);
		__atomic_store_n(&vc->irq, 0, __ATOMIC_RELAXED);
		__atomic_store_n(&vc->sreset, 0, __ATOMIC_RELAXED);
		vc->vpa = vc->dtl = vc->slb_shadow = 0;
		vc->dtl_entries = 0;
		vc->fresh = true; /* registers as a fresh machine has them */
	}
	spin_unlock(&vc->lock);
	return ok;
}

/*
 * What ends a cede; a prod is consumed by the cede it ends.  A pending
 * system reset is delivered as the cede returns (guest_exit()).
 */
static bool cede_woken(struct vcpu *vc)
{
	return __atomic_exchange_n(&vc->prod, 0, __ATOMIC_ACQ_REL) ||
	       vc->sreset || guest_interrupt_due(vc) ||
	       guest_dec_now() < 0 || life(vc) == LPAR_STOPPING;
}

int64_t vcpu_cede(struct vcpu *vc)
{
	vcpu_transition(vc, S(VCPU_RUNNING), VCPU_CEDED);
	/*
	 * CEDED is visible before the flags are looked at, and a waker sets
	 * its flag before it looks at the state (vcpu_kick()): one of the two
	 * sees the other, so no wake-up falls between them.
	 */
	sync();
	while (!cede_woken(vc)) {
		guest_cede_wait(vc);
	}
	vcpu_transition(vc, S(VCPU_CEDED), VCPU_RUNNING);
	return H_SUCCESS;
}

void vcpu_kick(struct vcpu *vc)
{
	enum vcpu_state s;

	sync(); /* the flag is visible before the state is looked at */
	s = vcpu_state(vc);
	if (s == VCPU_RUNNING || s == VCPU_CEDED) {
		guest_doorbell(vc);
	}
}

void vcpu_prod(struct vcpu *vc)
{
	__atomic_store_n(&vc->prod, 1, __ATOMIC_RELEASE);
	vcpu_kick(vc);
}

void vcpu_signal_reset(struct vcpu *vc)
{
	__atomic_store_n(&vc->sreset, 1, __ATOMIC_RELEASE);
	vcpu_kick(vc);
}

bool vcpu_take_reset(struct vcpu *vc)
{
	/* A plain load first: no atomic on the path of every exit. */
	return vc->sreset &&
	       __atomic_exchange_n(&vc->sreset, 0, __ATOMIC_ACQ_REL);
}
