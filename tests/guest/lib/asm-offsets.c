/*
 * Structure offsets for the guest payloads' assembly.  Compiled to
 * assembly only; the build turns every "->SYM value" marker into a
 * #define in guest-asm-offsets.h.
 */
#include <stddef.h>

#include "tests/guest/lib/cpu.h"

#define DEFINE(sym, val) \
	__asm__ volatile("\n.ascii \"->" #sym " %0\"" : : "i"(val))

#define FRAME(field) (STACK_FRAME_MIN + offsetof(struct regs, field))

void asm_offsets(void);

void asm_offsets(void)
{
	DEFINE(CPU_SIZE, sizeof(struct cpu));
	DEFINE(CPU_SAVE_R11, offsetof(struct cpu, save_r11));
	DEFINE(CPU_SAVE_R12, offsetof(struct cpu, save_r12));
	DEFINE(CPU_SAVE_VEC, offsetof(struct cpu, save_vec));
	DEFINE(CPU_STACK_TOP, offsetof(struct cpu, stack_top));
	DEFINE(CPU_EXC_STACK_TOP, offsetof(struct cpu, exc_stack_top));
	DEFINE(CPU_ENTRY_MSR, offsetof(struct cpu, entry_msr));
	DEFINE(CPU_ENTRY_R3, offsetof(struct cpu, entry_r3));
	DEFINE(CPU_USER_R1, offsetof(struct cpu, user.gpr1));
	DEFINE(CPU_USER_R2, offsetof(struct cpu, user.gpr2));
	DEFINE(CPU_USER_NVGPR, offsetof(struct cpu, user.nvgpr));
	DEFINE(CPU_USER_LR, offsetof(struct cpu, user.lr));
	DEFINE(CPU_USER_CR, offsetof(struct cpu, user.cr));
	DEFINE(CPU_USER_MSR, offsetof(struct cpu, user.msr));
	DEFINE(CPU_IN_USER, offsetof(struct cpu, in_user));
	DEFINE(MAX_CPUS, MAX_CPUS);
	DEFINE(STACK_SIZE, STACK_SIZE);
	DEFINE(EXC_STACK_SIZE, EXC_STACK_SIZE);
	DEFINE(STACK_FRAME_MIN, STACK_FRAME_MIN);
	DEFINE(STACK_RED_ZONE, STACK_RED_ZONE);
	DEFINE(FRAME_SIZE,
	       (STACK_FRAME_MIN + sizeof(struct regs) + 15) & ~15ul);
	DEFINE(FRAME_REGS, STACK_FRAME_MIN);
	DEFINE(FRAME_GPR0, FRAME(gpr));
	DEFINE(FRAME_NIP, FRAME(nip));
	DEFINE(FRAME_MSR, FRAME(msr));
	DEFINE(FRAME_LR, FRAME(lr));
	DEFINE(FRAME_CTR, FRAME(ctr));
	DEFINE(FRAME_CR, FRAME(cr));
	DEFINE(FRAME_XER, FRAME(xer));
	DEFINE(FRAME_DAR, FRAME(dar));
	DEFINE(FRAME_DSISR, FRAME(dsisr));
	DEFINE(FRAME_VEC, FRAME(vec));
}
