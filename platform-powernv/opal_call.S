/*
 * The OPAL call trampoline.
 *
 * int64_t opal_call(uint64_t token, uint64_t a0, ..., uint64_t a6)
 *
 * OPAL's convention (skiboot doc/opal-spec.rst): token in r0, arguments
 * in r3..r10, r2 = OPAL base, entered big-endian in real mode with
 * MSR[EE]=0, and it returns by branching to LR still big-endian.  OPAL
 * keeps r1 and the non-volatile GPRs; r2 and r13 are reloaded here.
 * Called from little-endian hypervisor real mode; MSR[EE] is restored on
 * return.  At most 7 arguments (no OPAL call needs more).
 */
#include "hv/asm.h"
#include "hv/spr.h"

#define FRAME 64
#define SAVE_R2 32
#define SAVE_R13 40
#define SAVE_MSR 48

	.text
	.globl	opal_call
	.balign	8
opal_call:
	mflr	r0
	std	r0, 16(r1)
	stdu	r1, -FRAME(r1)
	std	r2, SAVE_R2(r1)
	std	r13, SAVE_R13(r1)
	mfmsr	r11
	std	r11, SAVE_MSR(r1)

	mr	r0, r3
	mr	r3, r4
	mr	r4, r5
	mr	r5, r6
	mr	r6, r7
	mr	r7, r8
	mr	r8, r9
	mr	r9, r10

	/* HSRR1 = current MSR without LE and EE: OPAL runs big-endian. */
	li	r12, MSR_LE
	ori	r12, r12, MSR_EE
	andc	r11, r11, r12
	mtspr	SPRN_HSRR1, r11
	LOAD_ADDR r12, opal_entry_addr
	ld	r12, 0(r12)
	mtspr	SPRN_HSRR0, r12
	LOAD_ADDR r12, opal_return
	mtlr	r12
	LOAD_ADDR r2, opal_base_addr
	ld	r2, 0(r2)
	hrfid

	.balign	8
opal_return:
	BE_TO_LE
	ld	r2, SAVE_R2(r1)
	ld	r13, SAVE_R13(r1)
	ld	r11, SAVE_MSR(r1)
	mtmsrd	r11, 1			/* restores EE and RI only */
	addi	r1, r1, FRAME
	ld	r0, 16(r1)
	mtlr	r0
	blr
