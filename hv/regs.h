/*
 * The register frame the HV exception entry saves (boot/vectors.S) and
 * the C handlers read.  Offsets come from boot/asm-offsets.c; never
 * hand-count them in assembly.
 */
#ifndef HV_REGS_H
#define HV_REGS_H

/* Low bit flags the exception stubs OR into the vector number. */
#define TRAP_HSRR 0x2 /* interrupt saved state in HSRR0/1, return with hrfid */
/*
 * A guest's hcall: r14-r31 (which C preserves) and DAR, DSISR, HDAR,
 * HDSISR, ASDR were not saved in the frame and must not be read there.
 */
#define TRAP_FAST 0x1

#ifndef __ASSEMBLER__
#include "hv/lib/types.h"

struct regs {
	uint64_t gpr[32];
	uint64_t cr;
	uint64_t lr;
	uint64_t ctr;
	uint64_t xer;
	uint64_t trap; /* vector | TRAP_* flags */
	uint64_t srr0;
	uint64_t srr1;
	uint64_t hsrr0;
	uint64_t hsrr1;
	uint64_t dar;
	uint64_t dsisr;
	uint64_t hdar;
	uint64_t hdsisr;
	uint64_t asdr;
};

/* Resume the context saved in the frame at `sp` (boot/vectors.S). */
__attribute__((noreturn)) void exc_resume_frame(uint64_t sp);
#endif

/* Stack frame of the exception entry: ELFv2 header, then the registers. */
#define EXC_FRAME_HEADER 32
#define EXC_REDZONE 288
#ifndef __ASSEMBLER__
#define EXC_FRAME_BYTES ((EXC_FRAME_HEADER + sizeof(struct regs) + 15) & ~15ul)
#endif

#endif /* HV_REGS_H */
