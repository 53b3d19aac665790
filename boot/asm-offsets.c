/*
 * Structure offsets for assembly.  Compiled to assembly only; the build
 * turns each "->SYM value" marker into a #define in asm-offsets.h.
 */
#include <stddef.h>

#include "hv/percpu.h"
#include "hv/regs.h"

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
