/*
 * Assembly helpers shared by the hypervisor (hv/asm.h) and guest code
 * (tests/guest/lib/asm.h): register names, big-endian instruction words
 * for the entry trampolines, and loading a link-time address.  Macros
 * only; included by assembly files.
 */
#ifndef HV_ABI_ASM_H
#define HV_ABI_ASM_H

#ifdef __ASSEMBLER__

/* One instruction word stored big-endian whatever the target's order. */
.macro be_insn word
	.byte ((\word) >> 24) & 0xff, ((\word) >> 16) & 0xff
	.byte ((\word) >> 8) & 0xff, (\word) & 0xff
.endm

/* Load a link-time address below 2 GiB (lparvisor and payloads are). */
.macro LOAD_ADDR reg, sym
	lis	\reg, (\sym)@ha
	addi	\reg, \reg, (\sym)@l
.endm

#define r0 0
#define r1 1
#define r2 2
#define r3 3
#define r4 4
#define r5 5
#define r6 6
#define r7 7
#define r8 8
#define r9 9
#define r10 10
#define r11 11
#define r12 12
#define r13 13
#define r14 14
#define r15 15
#define r16 16
#define r29 29
#define r30 30
#define r31 31

#endif /* __ASSEMBLER__ */

#endif /* HV_ABI_ASM_H */
