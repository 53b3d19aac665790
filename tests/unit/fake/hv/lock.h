/*
 * Host stand-in for hv/lock.h: the same struct, no SMT-priority asm.  The
 * tests run one thread, so a lock that is already held can only mean a
 * recursive acquisition, which on the target spins for ever: the fake
 * aborts instead, and counts held locks so that a test can check that a
 * handler released everything it took.
 */
#ifndef HV_LOCK_H
#define HV_LOCK_H

#define FAKE_HV_LOCK_H 1

#include "hv/lib/types.h"

struct spinlock {
	volatile uint32_t held;
};

#define SPINLOCK_INIT { 0 }

extern int fake_locks_held;

/* Reports the misuse on stderr and aborts (the test case fails). */
__noreturn void fake_lock_misuse(const char *what, const struct spinlock *l);

static inline bool spin_trylock(struct spinlock *l)
{
	if (__atomic_exchange_n(&l->held, 1, __ATOMIC_ACQUIRE) != 0) {
		return false;
	}
	fake_locks_held++;
	return true;
}

static inline void spin_lock(struct spinlock *l)
{
	if (!spin_trylock(l)) {
		fake_lock_misuse("spin_lock of a lock already held "
				 "(deadlock on the target)", l);
	}
}

static inline void spin_unlock(struct spinlock *l)
{
	if (!l->held) {
		fake_lock_misuse("spin_unlock of a free lock", l);
	}
	fake_locks_held--;
	__atomic_store_n(&l->held, 0, __ATOMIC_RELEASE);
}

#endif /* HV_LOCK_H */
