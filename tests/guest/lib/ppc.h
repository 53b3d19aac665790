/*
 * Register numbers, MSR bits and accessors for code running inside a
 * pSeries partition (Power ISA 3.0B, the supervisor-state subset).
 * Usable from C and from the payloads' assembly.
 */
#ifndef TESTS_GUEST_LIB_PPC_H
#define TESTS_GUEST_LIB_PPC_H

#include "hv/abi/spr.h"

#define MSR_EE 0x8000
#define MSR_PR 0x4000
#define MSR_ME 0x1000
#define MSR_IR 0x0020
#define MSR_DR 0x0010
#define MSR_RI 0x0002
#define MSR_LE 0x0001


#ifndef __ASSEMBLER__

#include "hv/lib/types.h"

#define MSR_SF (1ull << 63)

#define mfspr(spr)                                                       \
	({                                                               \
		uint64_t v_;                                             \
		__asm__ volatile("mfspr %0, %1" : "=r"(v_) : "i"(spr)); \
		v_;                                                      \
	})

#define mtspr(spr, val)                                                   \
	__asm__ volatile("mtspr %0, %1" : : "i"(spr), "r"((uint64_t)(val)) \
			 : "memory")

static inline uint64_t mfmsr(void)
{
	uint64_t v;

	__asm__ volatile("mfmsr %0" : "=r"(v));
	return v;
}

/* mtmsrd with L=1: changes only MSR[EE] and MSR[RI]. */
static inline void mtmsrd_ee_ri(uint64_t v)
{
	__asm__ volatile("mtmsrd %0, 1" : : "r"(v) : "memory");
}

static inline void irq_enable(void)
{
	mtmsrd_ee_ri(MSR_EE | MSR_RI);
}

static inline void irq_disable(void)
{
	mtmsrd_ee_ri(MSR_RI);
}

static inline bool irq_enabled(void)
{
	return (mfmsr() & MSR_EE) != 0;
}

static inline uint64_t mftb(void)
{
	uint64_t v;

	__asm__ volatile("mftb %0" : "=r"(v));
	return v;
}

static inline void mtdec(uint64_t v)
{
	mtspr(SPRN_DEC, v);
}

static inline void sync(void)
{
	__asm__ volatile("sync" : : : "memory");
}

static inline void lwsync(void)
{
	__asm__ volatile("lwsync" : : : "memory");
}

static inline void barrier(void)
{
	__asm__ volatile("" : : : "memory");
}

/* Low thread priority while spinning, then back to normal. */
static inline void cpu_relax(void)
{
	__asm__ volatile("or 1,1,1\n\tor 2,2,2" : : : "memory");
}

#endif /* !__ASSEMBLER__ */

#endif /* TESTS_GUEST_LIB_PPC_H */
