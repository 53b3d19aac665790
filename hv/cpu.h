/*
 * Access to the processor: SPRs, MSR, timebase, barriers and the small
 * idle hints.  Target build only; pure logic never includes this header.
 */
#ifndef HV_CPU_H
#define HV_CPU_H

#include "hv/lib/types.h"
#include "hv/spr.h"

#define __stringify_1(x) #x
#define __stringify(x) __stringify_1(x)

#define mfspr(n)                                                       \
	({                                                             \
		uint64_t __v;                                          \
		__asm__ volatile("mfspr %0," __stringify(n)            \
				 : "=r"(__v));                         \
		__v;                                                   \
	})

#define mtspr(n, v)                                                    \
	__asm__ volatile("mtspr " __stringify(n) ",%0" ::"r"((uint64_t)(v)) \
			 : "memory")

static inline uint64_t mfmsr(void)
{
	uint64_t v;

	__asm__ volatile("mfmsr %0" : "=r"(v));
	return v;
}

static inline void mtmsrd(uint64_t v)
{
	__asm__ volatile("mtmsrd %0" ::"r"(v) : "memory");
}

static inline uint64_t mftb(void)
{
	uint64_t v;

	__asm__ volatile("mftb %0" : "=r"(v));
	return v;
}

static inline void sync(void)
{
	__asm__ volatile("sync" ::: "memory");
}

static inline void lwsync(void)
{
	__asm__ volatile("lwsync" ::: "memory");
}

static inline void isync(void)
{
	__asm__ volatile("isync" ::: "memory");
}

static inline void barrier(void)
{
	__asm__ volatile("" ::: "memory");
}

/* Directed hypervisor doorbell: msgsnd/msgclr message type 5. */
#define DBELL_HV (5ull << 27)

/* Drop this thread's pending hypervisor doorbell (hv/guest.c kicks). */
static inline void doorbell_clear(void)
{
	__asm__ volatile("msgclr %0" ::"r"(DBELL_HV) : "memory");
}

/* SMT priority hints: drop while spinning, restore afterwards. */
static inline void smt_low(void)
{
	__asm__ volatile("or 1,1,1" ::: "memory");
}

static inline void smt_medium(void)
{
	__asm__ volatile("or 2,2,2" ::: "memory");
}

/* One 64-bit random number from the hardware RNG (ISA 3.0); ~0 on failure. */
static inline uint64_t darn(void)
{
	uint64_t v;

	__asm__ volatile(".machine push\n.machine power9\n"
			 "darn %0,1\n.machine pop" : "=r"(v));
	return v;
}

static inline uint32_t cpu_pvr_version(void)
{
	return (uint32_t)(mfspr(SPRN_PVR) >> 16);
}

#endif /* HV_CPU_H */
