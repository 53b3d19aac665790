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

#include "hv/abi/asm.h"

#ifdef __ASSEMBLER__

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



/*
 * Zero [__bss_start, __bss_end) (8-byte aligned by the linker scripts):
 * nothing loads a payload's BSS.  Clobbers r0, r4, r5 and CTR.
 */
.macro CLEAR_BSS
	LOAD_ADDR r4, __bss_start
	LOAD_ADDR r5, __bss_end
	subf	r5, r4, r5
	srdi.	r5, r5, 3
	li	r0, 0
	beq	2f
	mtctr	r5
	addi	r4, r4, -8
1:	stdu	r0, 8(r4)
	bdnz	1b
2:
.endm

#endif /* __ASSEMBLER__ */

#endif /* TESTS_GUEST_LIB_ASM_H */
