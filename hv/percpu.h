/*
 * Per-thread (per hardware thread, "CPU") data.  r13 and HSPRG0 both point
 * at the running thread's `struct pcpu` whenever hypervisor code runs.
 */
#ifndef HV_PERCPU_H
#define HV_PERCPU_H

#include "hv/lib/types.h"

struct vcpu;

#define MAX_CPUS 256
#define HV_STACK_SIZE (64 * 1024)
#define HV_EXC_STACK_SIZE (32 * 1024)

enum pcpu_state {
	PCPU_ABSENT = 0,   /* listed by the host tree, not started */
	PCPU_STARTING = 1, /* OPAL_START_CPU issued, not arrived yet */
	PCPU_ONLINE = 2,   /* running lparvisor code, idle and ready */
	PCPU_STOPPED = 3,  /* parked after an unexpected interrupt */
	PCPU_FAILED = 4,   /* OPAL refused to start it, or it never arrived */
};

struct pcpu {
	uint32_t pir;   /* must stay first: boot/head.S looks it up */
	uint32_t index; /* position in pcpu_table */
	uint64_t stack_top;
	uint64_t exc_stack_top;
	uint64_t scratch_r1;
	uint64_t scratch_r12;
	volatile uint32_t state;
	uint32_t exc_depth;
	uint32_t chip_id;
	uint32_t core_pir; /* PIR of thread 0 of this thread's core */
	/* What the thread reported about itself once it arrived. */
	uint64_t arrive_tb;
	uint64_t pvr;
	uint64_t msr;
	uint64_t lpcr;
	uint64_t hid0;
	uint64_t hfscr;
	uint64_t last_trap; /* vector of the interrupt that stopped it */
	struct vcpu *vcpu;     /* the vCPU bound to this thread, if any */
	struct vcpu *cur_vcpu; /* set while that vCPU is in the guest */
	/*
	 * The null hcall's fast path (boot/vectors.S hcall_fast), armed by
	 * guest_enter(): the vCPU, or NULL while exits are timed
	 * (profile=on) or no guest runs, and the counters it bumps as
	 * hcall_dispatch() would.
	 */
	struct vcpu *fast_vcpu;
	uint64_t *fast_exit_n;  /* the vCPU's count of exit 0xc00 */
	uint64_t *fast_hcall_n; /* its count of H_SET_DABR */
	uint64_t *fast_bad;     /* its partition's bad_hcalls */
	uint64_t *fast_random_n; /* its count of H_RANDOM; NULL: no darn */
	uint64_t *fast_rtas_n;  /* its count of KVMPPC_H_RTAS, NULL: none */
	uint64_t scratch_r11;
	uint64_t scratch_cr;
	uint64_t guest_lpcr;    /* LPCR as last written for the guest */
	uint64_t guest_pcr;     /* PCR as last written (0: never, or none) */
	uint64_t icp;           /* POWER8: its interrupt presenter, 0: none */
};

extern struct pcpu *pcpu_table[MAX_CPUS];
extern uint32_t pcpu_count;

#ifdef __powerpc64__
register struct pcpu *this_cpu_reg __asm__("r13");

/* The running thread's per-CPU data. */
static inline struct pcpu *this_cpu(void)
{
	return this_cpu_reg;
}
#endif

#endif /* HV_PERCPU_H */
