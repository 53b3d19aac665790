/*
 * Entry of a guest payload built to run on the bare PowerNV host with no
 * hypervisor below it (tests/guest/bare/, docs/testing.md): skiboot starts
 * it as its "kernel" (-kernel, loaded raw at 0x20000000, where
 * linker/guest-bare.lds links it) on the boot thread, big-endian, real
 * mode, MSR = SF|HV, with r3 = the device tree, r8 = OPAL's base and r9 =
 * OPAL's entry (docs powernv-host-reference.md 1.3).  The other threads
 * stay in skiboot.  No interrupt is expected: MSR[EE] stays 0 and
 * skiboot's own vectors stay at 0.
 *
 * opal_call(token, a0, a1, a2): OPAL is entered big-endian in real mode
 * with r2 = its base, and returns big-endian to LR.
 */
#include "tests/guest/lib/asm.h"
#include "tests/guest/lib/ppc.h"

#define BARE_STACK 0x10000
#define FRAME_MIN 32

	.section .head, "ax"
	.globl	_start
_start:
	BE_TO_LE_GUEST			/* keeps r3, r8, r9 */
	mr	r31, r3
	mr	r30, r8
	mr	r29, r9

	/* skiboot does not clear BSS (it runs the file in place). */
	CLEAR_BSS
	LOAD_ADDR r2, .TOC.
	LOAD_ADDR r1, bare_stack
	addis	r1, r1, BARE_STACK@ha
	addi	r1, r1, BARE_STACK@l
	li	r0, 0
	stdu	r0, -FRAME_MIN(r1)
	mr	r3, r31
	mr	r4, r30
	mr	r5, r29
	bl	bare_main
3:	b	3b

/*
 * The other threads, started here by OPAL_START_CPU (bare.c): big-endian
 * real mode, r3 = PIR, no stack.  They sleep for good in the lightest
 * stop with every wake-up event of LPCR's PECE and HVEE off, so that
 * QEMU runs none of them while the payload works (left in skiboot's idle
 * loop, they slowed the payload's loops 4-20x under QEMU 7.2).
 */
#define PECE_ALL 0x1f000
#define LPCR_HVEE_HI 0x4000	/* LPCR_HVEE >> 32 */
#define PSSCR_STOP_LITE 0x330

	.globl	bare_secondary
	.balign	16
bare_secondary:
	BE_TO_LE_GUEST
	mfspr	r4, SPRN_LPCR
	lis	r5, PECE_ALL@h
	ori	r5, r5, PECE_ALL@l
	andc	r4, r4, r5
	li	r5, LPCR_HVEE_HI
	sldi	r5, r5, 32
	andc	r4, r4, r5
	mtspr	SPRN_LPCR, r4
	li	r4, PSSCR_STOP_LITE
	mtspr	SPRN_PSSCR, r4
	isync
1:	.long	0x4c0002e4		/* stop */
	b	1b

	.text
	.globl	opal_call
	.type	opal_call, @function
	.balign	16
opal_call:
	mflr	r0
	std	r0, 16(r1)
	stdu	r1, -64(r1)
	std	r2, 32(r1)
	mfmsr	r11
	std	r11, 40(r1)
	mr	r0, r3			/* token */
	mr	r3, r4
	mr	r4, r5
	mr	r5, r6
	/* HSRR1: this MSR without LE, EE, IR and DR (OPAL: BE, real mode) */
	li	r12, MSR_LE | MSR_IR | MSR_DR
	ori	r12, r12, MSR_EE
	andc	r11, r11, r12
	mtspr	SPRN_HSRR1, r11
	LOAD_ADDR r12, bare_opal_entry
	ld	r12, 0(r12)
	mtspr	SPRN_HSRR0, r12
	LOAD_ADDR r12, 1f
	mtlr	r12
	LOAD_ADDR r2, bare_opal_base
	ld	r2, 0(r2)
	hrfid
	.balign	8
1:	BE_TO_LE_GUEST			/* keeps r3 (OPAL's status) */
	ld	r2, 32(r1)
	ld	r11, 40(r1)
	mtmsrd	r11			/* back to the caller's IR/DR */
	isync
	addi	r1, r1, 64
	ld	r0, 16(r1)
	mtlr	r0
	blr
	.size	opal_call, . - opal_call

	.section .bss
	.balign	16
	.globl	bare_stack
bare_stack:
	.space	BARE_STACK
