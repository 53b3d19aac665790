/*
 * A test-and-set spinlock shared by the vCPUs of a test partition
 * (lwarx/stwcx. through the GCC atomic builtins).
 */
#ifndef TESTS_GUEST_LIB_LOCK_H
#define TESTS_GUEST_LIB_LOCK_H

#include "tests/guest/lib/ppc.h"

struct spinlock {
	uint32_t held;
};

static inline bool spin_trylock(struct spinlock *l)
{
	return !__atomic_exchange_n(&l->held, 1, __ATOMIC_ACQUIRE);
}

static inline void spin_lock(struct spinlock *l)
{
	while (!spin_trylock(l)) {
		while (__atomic_load_n(&l->held, __ATOMIC_RELAXED)) {
			cpu_relax();
		}
	}
}

static inline void spin_unlock(struct spinlock *l)
{
	__atomic_store_n(&l->held, 0, __ATOMIC_RELEASE);
}

#endif /* TESTS_GUEST_LIB_LOCK_H */
