/*
 * Host stand-in for hv/cpu.h (the model is Hafnium's src/arch/fake): the
 * SPRs are a plain array, the MSR a variable and the timebase a counter the
 * test advances.  Barriers and SMT hints only count their calls.  Chosen by
 * the build (-Itests/unit/fake ahead of -I.), never by #ifdef in the code
 * under test; tests/unit/fake/fake.mk fails the build if the real header is
 * ever picked up instead.
 */
#ifndef HV_CPU_H
#define HV_CPU_H

/* Tests assert on this to prove that the fake, not hv/cpu.h, was used. */
#define FAKE_HV_CPU_H 1

#include "hv/lib/types.h"
#include "hv/machine.h"
#include "hv/spr.h"

#define __stringify_1(x) #x
#define __stringify(x) __stringify_1(x)

#define FAKE_SPR_COUNT 1024

extern uint64_t fake_spr[FAKE_SPR_COUNT];
extern uint64_t fake_msr;
extern uint64_t fake_tb;      /* the value the next mftb() returns */
extern uint64_t fake_tb_step; /* added to fake_tb after every mftb() */
extern unsigned fake_sync_count, fake_smt_low_count;

/* SPR numbers are 10-bit constants at every call site, as with the asm. */
#define mfspr(n) (fake_spr[(n) & (FAKE_SPR_COUNT - 1)])
#define mtspr(n, v) \
	((void)(fake_spr[(n) & (FAKE_SPR_COUNT - 1)] = (uint64_t)(v)))

static inline uint64_t mfmsr(void)
{
	return fake_msr;
}

static inline void mtmsrd(uint64_t v)
{
	fake_msr = v;
}

static inline uint64_t mftb(void)
{
	uint64_t v = fake_tb;

	fake_tb += fake_tb_step;
	return v;
}

static inline void sync(void)
{
	fake_sync_count++;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

static inline void lwsync(void)
{
	__atomic_thread_fence(__ATOMIC_ACQ_REL);
}

static inline void isync(void)
{
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
}

static inline void barrier(void)
{
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
}

static inline void smt_low(void)
{
	fake_smt_low_count++;
}

static inline void smt_medium(void)
{
}

static inline uint32_t cpu_pvr_version(void)
{
	return (uint32_t)(mfspr(SPRN_PVR) >> 16);
}

/*
 * One `darn` (ISA 3.0, L=1): ~0 means the RNG had nothing.  The real
 * hv/cpu.h does not have this yet; hv/hcall.c's h_random() carries the
 * instruction inline, and fake.mk swaps it for this call until it moves
 * here (see fake.mk).  Returns queued values (fake_darn_push()), then ~0.
 */
uint64_t darn(void);
void fake_darn_push(uint64_t v);
extern unsigned fake_darn_calls;

/* As hv/cpu.h: POWER8 has no darn. */
static inline bool cpu_family_has_darn(enum cpu_family f)
{
	return f == CPU_POWER9 || f == CPU_POWER10;
}

/*
 * The guest's decrementer on this thread, signed.  Without LPCR[LD] it is
 * 32 bits wide, and QEMU returns it zero-extended: sign-extend it, so an
 * expired decrementer of a partition without the large decrementer (a
 * POWER8 compatibility mode) reads negative.
 */
static inline int64_t guest_dec_now(void)
{
	uint64_t v = mfspr(SPRN_DEC);

	if (!(mfspr(SPRN_LPCR) & LPCR_LD)) {
		return (int64_t)(int32_t)(uint32_t)v;
	}
	return (int64_t)v;
}

#endif /* HV_CPU_H */
