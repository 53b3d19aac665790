/*
 * Access to the processor, and everything that differs between the
 * processor families (POWER8, POWER9, Power10): SPR access, MSR,
 * timebase, barriers, cache and TLB maintenance, doorbells, idle (`stop`),
 * and the predicates that say what a family has.  SPR numbers and
 * register bits are in hv/spr.h.  This header and boot/ are the only
 * homes of inline assembly outside the I/O accessors (hv/io.h) and the
 * OPAL trampoline; the POWER8 and Power10 work starts here.  Target build
 * only (tests/unit/fake/hv/cpu.h stands in on the host); pure logic
 * never includes it.
 */
#ifndef HV_CPU_H
#define HV_CPU_H

#include "hv/lib/types.h"
#include "hv/machine.h"
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

/* stop with PSSCR EC=0, ESL=0, RL=0: wake on any interrupt, in line. */
#define PSSCR_STOP_LITE _U64(0x330)

/*
 * One `stop` of lparvisor's own (idle, H_CEDE), always at the lightest
 * level.  PSSCR's guest-visible fields (PLS, TR, MTL, RL) are whatever
 * the guest last wrote through SPRN_PSSCR_PR; a guest RL asking for a
 * deep state must neither put the hypervisor there (state loss) nor be
 * lost to the guest, so the value is kept and put back.  POWER9 and later.
 */
static inline void cpu_stop_lite(void)
{
	uint64_t psscr = mfspr(SPRN_PSSCR);

	mtspr(SPRN_PSSCR, PSSCR_STOP_LITE);
	isync();
	__asm__ volatile(".long 0x4c0002e4" ::: "memory"); /* stop */
	mtspr(SPRN_PSSCR, psscr);
}

/*
 * POWER8's `nap` (ISA 2.07), lparvisor's wait where there is no `stop`:
 * LPCR gets the wake-up events of `wake` (PECE bits: LPCR_EEE is POWER8's
 * PECE2, external; LPCR_DEE its PECE3, decrementer) for the nap only.
 * The thread wakes at the system reset vector, which returns here
 * (boot/vectors.S) with every register kept but SRR0/1.
 */
static inline void cpu_nap(uint64_t wake)
{
	uint64_t lpcr = mfspr(SPRN_LPCR);

	mtspr(SPRN_LPCR, lpcr | wake);
	isync();
	__asm__ volatile("ptesync\n"
			 ".long 0x4c000364" ::: "memory"); /* nap */
	mtspr(SPRN_LPCR, lpcr);
	isync();
}

/*
 * Set MSR[ME] again after a machine check cleared it: mtmsrd cannot
 * change ME, so go through hrfid to the next instruction.  Uses HSRR0/1
 * (the interrupt frame already holds the interrupted values).
 */
static inline void cpu_enable_machine_check(void)
{
	uint64_t msr = mfmsr() | MSR_ME, tmp;

	__asm__ volatile("bcl 20,31,1f\n"
			 "1: mflr %0\n"
			 "addi %0,%0,20\n"
			 "mtspr " __stringify(SPRN_HSRR0) ",%0\n"
			 "mtspr " __stringify(SPRN_HSRR1) ",%1\n"
			 "hrfid\n"
			 : "=&b"(tmp)
			 : "r"(msr)
			 : "lr", "memory");
}

/*
 * Invalidate the SLB entries a radix guest can have written (0..3: radix
 * runs with UPRT=1), with slbmte as KVM does (slbia would also drop
 * cached translations of the host).
 */
static inline void slb_clear_radix(void)
{
	for (uint64_t i = 0; i < 4; i++) {
		__asm__ volatile("slbmte %0,%1" ::"r"(0ull), "r"(i) : "memory");
	}
	isync();
}

/*
 * Invalidate every SLB entry a hash guest can have written (its 32, the
 * ibm,slb-size the guest tree gives), with slbmte as above.
 */
static inline void slb_clear_hash(void)
{
	for (uint64_t i = 0; i < 32; i++) {
		__asm__ volatile("slbmte %0,%1" ::"r"(0ull), "r"(i) : "memory");
	}
	isync();
}

/* Order page-table stores before the table walk sees them (ISA 3.0). */
static inline void ptesync(void)
{
	__asm__ volatile("ptesync" ::: "memory");
}

/*
 * Zero the 64 VSRs (FPRs and VRs), FPSCR and VSCR of this thread
 * (boot/fpstate.S: the only FP/vector code in lparvisor, enabled for its
 * duration only).
 */
void cpu_clear_fp_vec(void);

/* ---- what each family has --------------------------------------------- */

/* ISA 3.0 `stop` and PSSCR (POWER9, Power10); POWER8 has nap/sleep only. */
static inline bool cpu_family_has_stop(enum cpu_family f)
{
	return f == CPU_POWER9 || f == CPU_POWER10;
}

/* Radix translation and partition-scoped radix tables (ISA 3.0). */
static inline bool cpu_family_has_radix(enum cpu_family f)
{
	return f == CPU_POWER9 || f == CPU_POWER10;
}

/*
 * msgsnd reaches any thread by PIR from POWER9 on; POWER8's reaches only
 * the threads of the sender's own core.
 */
static inline bool cpu_family_msgsnd_any_thread(enum cpu_family f)
{
	return f == CPU_POWER9 || f == CPU_POWER10;
}

/* The darn random number instruction (ISA 3.0); POWER8 has none. */
static inline bool cpu_family_has_darn(enum cpu_family f)
{
	return f == CPU_POWER9 || f == CPU_POWER10;
}

/* ISA 3.1's extra performance monitor registers: MMCR3, SIER2, SIER3. */
static inline bool cpu_family_has_pmu_v31(enum cpu_family f)
{
	return f == CPU_POWER10;
}

/* ---- maintenance -------------------------------------------------------- */

/* mtmsrd with L=1: changes MSR[EE] and MSR[RI] only. */
static inline void mtmsrd_ee_ri(uint64_t v)
{
	__asm__ volatile("mtmsrd %0,1" ::"r"(v) : "memory");
}

/* Zero one cache block (128 bytes on POWER8/9/10) at `p`. */
static inline void cpu_dcbz(void *p)
{
	__asm__ volatile("dcbz 0,%0" ::"r"(p) : "memory");
}

/* Make freshly written code at [start, start + len) visible to fetch. */
static inline void cpu_flush_icache(uint64_t start, uint64_t len)
{
	for (uint64_t a = start & ~127ull; a < start + len; a += 128) {
		__asm__ volatile("dcbst 0,%0" ::"r"(a) : "memory");
	}
	sync();
	for (uint64_t a = start & ~127ull; a < start + len; a += 128) {
		__asm__ volatile("icbi 0,%0" ::"r"(a) : "memory");
	}
	sync();
	isync();
}

/*
 * Invalidate every TLB and page-walk cache entry of partition `lpid`,
 * process- and partition-scoped (tlbie IS=2 with RIC=2, PRS 0 and 1, R=1;
 * ISA 3.0, radix).
 */
static inline void cpu_tlbie_lpid(uint32_t lpid)
{
	uint64_t rb = 2ull << 10; /* IS=2: everything of this LPID */

	__asm__ volatile(".machine push\n.machine power9\n"
			 "ptesync\n"
			 "tlbie %0,%1,2,0,1\n"
			 "tlbie %0,%1,2,1,1\n"
			 "eieio\ntlbsync\nptesync\n"
			 ".machine pop" ::"r"(rb), "r"((uint64_t)lpid)
			 : "memory");
}

/*
 * Invalidate every TLB entry of partition `lpid` on every thread, hash
 * form (tlbie IS=2, RIC=0, PRS=0, R=0; ISA 3.0), as KVM flushes an HPT
 * partition's LPID.
 */
static inline void cpu_tlbie_lpid_hash(uint32_t lpid)
{
	uint64_t rb = 2ull << 10; /* IS=2: everything of this LPID */

	__asm__ volatile(".machine push\n.machine power9\n"
			 "ptesync\n"
			 "tlbie %0,%1,0,0,0\n"
			 "eieio\ntlbsync\nptesync\n"
			 ".machine pop" ::"r"(rb), "r"((uint64_t)lpid)
			 : "memory");
}

/*
 * As cpu_tlbie_lpid_hash(), RIC=2: also the cached partition-table entry,
 * after the entry of a hash partition changed (KVM's HPT resize pivot).
 */
static inline void cpu_tlbie_lpid_hash_all(uint32_t lpid)
{
	uint64_t rb = 2ull << 10;

	__asm__ volatile(".machine push\n.machine power9\n"
			 "ptesync\n"
			 "tlbie %0,%1,2,0,0\n"
			 "eieio\ntlbsync\nptesync\n"
			 ".machine pop" ::"r"(rb), "r"((uint64_t)lpid)
			 : "memory");
}

/* Directed hypervisor doorbell to the thread with PIR `pir`. */
static inline void cpu_msgsnd_hv(uint32_t pir)
{
	__asm__ volatile("msgsnd %0" ::"r"(DBELL_HV | pir) : "memory");
}

/* An illegal instruction (fault injection: debug-fault-cpu). */
static inline void cpu_illegal_instruction(void)
{
	__asm__ volatile(".long 0" ::: "memory");
}

static inline uint32_t cpu_pvr_version(void)
{
	return (uint32_t)(mfspr(SPRN_PVR) >> 16);
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
