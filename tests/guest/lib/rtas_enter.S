/*
 * rtas_enter(): call a partition's RTAS code as Linux does (6.1
 * enter_rtas): 32-bit big-endian real mode, external interrupts off, r3 =
 * the argument buffer, LR = a return point, here a three-instruction stub
 * written big-endian that rfids back to 64-bit little-endian with the
 * caller's MSR.  The RTAS code may change what an hcall may change (r0,
 * r3..r12, CR0/1/5/6/7, CTR, XER); r30 and r31, which carry the way back,
 * are the caller's again on return.
 *
 * rtas_qemu_code is QEMU 7.2's RTAS code (the 20 bytes its VOF and
 * SLOF place at rtas-base: mr r4,r3; lis r3,0; ori r3,r3,0xf000; sc 1;
 * blr), for a machine whose tree names no RTAS code of its own (-M
 * pseries with -bios): the same call then costs there what it costs a
 * pSeries guest that instantiated RTAS.
 */
#include "tests/guest/lib/asm.h"

	.text

/*
 * long rtas_enter(unsigned long entry, void *args)
 * In:  r3 = the RTAS code's real address, r4 = the argument buffer's.
 * Out: r3 = what the code left in r3 (the hcall status, 0 if answered).
 */
	.globl	rtas_enter
	.type	rtas_enter, @function
	.balign	16
rtas_enter:
	mflr	r0
	std	r0, 16(r1)
	stdu	r1, -64(r1)
	std	r30, 48(r1)
	std	r31, 56(r1)
	mfmsr	r31			/* the caller's MSR, for the way back */
	li	r0, 0
	mtmsrd	r0, 1			/* EE and RI off: SRR0/1 are ours */
	bl	1f
1:	mflr	r30
	addi	r5, r30, be_stub - 1b
	addi	r30, r30, back - 1b
	mtlr	r5
	mtsrr0	r3
	mr	r3, r4
	li	r6, 0
	ori	r6, r6, 0x8031		/* EE | IR | DR | LE */
	andc	r7, r31, r6
	clrldi	r7, r7, 1		/* SF off: 32-bit */
	mtsrr1	r7
	rfid

	.balign	4
be_stub:				/* big-endian: entered by the code's blr */
	be_insn	0x7fda03a6	/* mtsrr0 r30 */
	be_insn	0x7ffb03a6	/* mtsrr1 r31 */
	be_insn	0x4c000024	/* rfid */

back:
	ld	r30, 48(r1)
	ld	r31, 56(r1)
	addi	r1, r1, 64
	ld	r0, 16(r1)
	mtlr	r0
	blr
	.size	rtas_enter, . - rtas_enter

	.globl	rtas_qemu_code
	.balign	4
rtas_qemu_code:
	be_insn	0x7c641b78	/* mr r4,r3 */
	be_insn	0x3c600000	/* lis r3,0 */
	be_insn	0x6063f000	/* ori r3,r3,0xf000 */
	be_insn	0x44000022	/* sc 1 */
	be_insn	0x4e800020	/* blr */
