/*
 * Structure offsets for assembly.  Compiled to assembly only; the build
 * turns each "->SYM value" marker into a #define in asm-offsets.h.
 */
#include <stddef.h>

#include "hv/abi/hcall.h"
#include "hv/percpu.h"
#include "hv/regs.h"
#include "hv/vcpu.h"

#define DEFINE(sym, val) \
	__asm__ volatile("\n.ascii \"->" #sym " %0\"" : : "i"(val))

#define FRAME(field) (EXC_FRAME_HEADER + offsetof(struct regs, field))

void asm_offsets(void);

void asm_offsets(void)
{
	DEFINE(PCPU_PIR, offsetof(struct pcpu, pir));
	DEFINE(PCPU_STACK_TOP, offsetof(struct pcpu, stack_top));
	DEFINE(PCPU_EXC_STACK_TOP, offsetof(struct pcpu, exc_stack_top));
	DEFINE(PCPU_SCRATCH_R1, offsetof(struct pcpu, scratch_r1));
	DEFINE(PCPU_SCRATCH_R12, offsetof(struct pcpu, scratch_r12));
	DEFINE(PCPU_SCRATCH_R11, offsetof(struct pcpu, scratch_r11));
	DEFINE(PCPU_SCRATCH_CR, offsetof(struct pcpu, scratch_cr));
	DEFINE(PCPU_FAST_VCPU, offsetof(struct pcpu, fast_vcpu));
	DEFINE(PCPU_FAST_EXIT_N, offsetof(struct pcpu, fast_exit_n));
	DEFINE(PCPU_FAST_HCALL_N, offsetof(struct pcpu, fast_hcall_n));
	DEFINE(PCPU_FAST_BAD, offsetof(struct pcpu, fast_bad));
	DEFINE(PCPU_FAST_RANDOM_N, offsetof(struct pcpu, fast_random_n));
	DEFINE(VCPU_STATE, offsetof(struct vcpu, state));
	DEFINE(VCPU_LPAR_STATE, offsetof(struct vcpu, lpar_state));
	DEFINE(VCPU_IRQ, offsetof(struct vcpu, irq));
	DEFINE(VCPU_SRESET, offsetof(struct vcpu, sreset));
	DEFINE(VCPU_STATE_RUNNING, VCPU_RUNNING);
	DEFINE(LPAR_STATE_RUNNING, LPAR_RUNNING);
	DEFINE(HCALL_NULL_NR, H_SET_DABR);
	DEFINE(HCALL_NULL_RC_NEG, -(H_HARDWARE)); /* the sed takes no sign */
	DEFINE(HCALL_RTAS_NR, KVMPPC_H_RTAS);
	DEFINE(HCALL_RANDOM_NR, H_RANDOM);
	DEFINE(FAST_FRAME_SIZE, 160);
	DEFINE(EXC_FRAME_SIZE, EXC_FRAME_BYTES);
	DEFINE(EXC_FRAME_REGS, EXC_FRAME_HEADER);
	DEFINE(FRAME_GPR0, FRAME(gpr));
	DEFINE(FRAME_CR, FRAME(cr));
	DEFINE(FRAME_LR, FRAME(lr));
	DEFINE(FRAME_CTR, FRAME(ctr));
	DEFINE(FRAME_XER, FRAME(xer));
	DEFINE(FRAME_TRAP, FRAME(trap));
	DEFINE(FRAME_SRR0, FRAME(srr0));
	DEFINE(FRAME_SRR1, FRAME(srr1));
	DEFINE(FRAME_HSRR0, FRAME(hsrr0));
	DEFINE(FRAME_HSRR1, FRAME(hsrr1));
	DEFINE(FRAME_DAR, FRAME(dar));
	DEFINE(FRAME_DSISR, FRAME(dsisr));
	DEFINE(FRAME_HDAR, FRAME(hdar));
	DEFINE(FRAME_HDSISR, FRAME(hdsisr));
	DEFINE(FRAME_ASDR, FRAME(asdr));
}
