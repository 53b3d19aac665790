/*
 * A test-and-set spinlock for the few structures hypervisor threads
 * share (the console, the page allocator, the heap).
 */
#ifndef HV_LOCK_H
#define HV_LOCK_H

#include "hv/lib/types.h"

struct spinlock {
	volatile uint32_t held;
};

#define SPINLOCK_INIT { 0 }

static inline bool spin_trylock(struct spinlock *l)
{
	return __atomic_exchange_n(&l->held, 1, __ATOMIC_ACQUIRE) == 0;
}

static inline void spin_lock(struct spinlock *l)
{
	while (!spin_trylock(l)) {
		while (l->held) {
			__asm__ volatile("or 1,1,1" ::: "memory");
		}
		__asm__ volatile("or 2,2,2" ::: "memory");
	}
}

static inline void spin_unlock(struct spinlock *l)
{
	__atomic_store_n(&l->held, 0, __ATOMIC_RELEASE);
}

#endif /* HV_LOCK_H */
