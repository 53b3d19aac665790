/*
 * Assembly helpers for the guest payloads' entry code (head.S, hcall.S).
 *
 * BE_TO_LE_GUEST: QEMU's pseries reset and RTAS start-cpu both enter a vCPU
 * in big-endian real mode (reset additionally with MSR[SF]=0), while the
 * payloads are little-endian 64-bit code.  The macro emits eleven
 * instructions encoded big-endian, so that a big-endian vCPU decodes them
 * correctly, which set MSR[SF|ME|RI|LE] through rfid and continue at the
 * first instruction after the macro.  It runs unchanged in 32-bit mode:
 * the arithmetic is done on full 64-bit registers.
 * Leaves the entry MSR in r10; clobbers r11, r12, LR, SRR0 and SRR1;
 * keeps every other register (r3 in particular).
 * run-pseries.py disassembles it with `objdump -EB -d` to check the words.
 */
#ifndef TESTS_GUEST_LIB_ASM_H
#define TESTS_GUEST_LIB_ASM_H

#ifdef __ASSEMBLER__

/* One instruction word stored big-endian whatever the target's order. */
.macro be_insn word
	.byte ((\word) >> 24) & 0xff, ((\word) >> 16) & 0xff
	.byte ((\word) >> 8) & 0xff, (\word) & 0xff
.endm

.macro BE_TO_LE_GUEST
	be_insn 0x7d4000a6 /* mfmsr   r10 (kept for the C code) */
	be_insn 0x614b1003 /* ori     r11,r10,0x1003 (ME|RI|LE) */
	be_insn 0x39800001 /* li      r12,1 */
	be_insn 0x798cf806 /* sldi    r12,r12,63 (MSR[SF]) */
	be_insn 0x7d6b6378 /* or      r11,r11,r12 */
	be_insn 0x7d7b03a6 /* mtsrr1  r11 */
	be_insn 0x429f0005 /* bcl     20,31,$+4 */
	be_insn 0x7d6802a6 /* mflr    r11 (address of this word) */
	be_insn 0x396b0010 /* addi    r11,r11,16 (first word after rfid) */
	be_insn 0x7d7a03a6 /* mtsrr0  r11 */
	be_insn 0x4c000024 /* rfid */
.endm

/* Load a link-time address; payloads link at 0 and stay below 2 GiB. */
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

#endif /* TESTS_GUEST_LIB_ASM_H */
