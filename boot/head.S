/*
 * Entry points from skiboot.
 *
 * _start: the boot thread, entered by skiboot's hrfid in big-endian
 * hypervisor real mode (MSR = SF|HV) with r3 = host FDT, r8 = OPAL base,
 * r9 = OPAL entry.  skiboot executes the ELF in place at 0x2000_0000 and
 * zeroes nothing, so BSS is cleared here.  r1/r2 belong to skiboot.
 *
 * secondary_start: every other thread, started by OPAL_START_CPU in the
 * same big-endian real-mode state with r3 = PIR and nothing else set.
 * It finds its `struct pcpu` (prepared by the boot thread) by PIR.
 */
#include "hv/asm.h"
#include "hv/spr.h"
#include "asm-offsets.h"

	.section .head, "ax"
	.globl	_start
_start:
	BE_TO_LE
	/* Little-endian from here on. */
	mr	r14, r3			/* host FDT */
	mr	r15, r8			/* OPAL base */
	mr	r16, r9			/* OPAL entry */
	LOAD_ADDR r2, .TOC.
	LOAD_ADDR r1, boot_stack_top
	li	r0, 0
	stdu	r0, -32(r1)		/* terminate the back chain */

	/* Clear BSS (8-byte aligned by the linker script). */
	LOAD_ADDR r4, __bss_start
	LOAD_ADDR r5, __bss_end
	subf	r5, r4, r5
	srdi.	r5, r5, 3
	beq	2f
	mtctr	r5
	addi	r4, r4, -8
1:	stdu	r0, 8(r4)
	bdnz	1b
2:
	mr	r3, r14
	mr	r4, r15
	mr	r5, r16
	bl	boot_main
	/* boot_main never returns; stop here if it ever does. */
3:	or	1, 1, 1
	b	3b

	.text
	.globl	secondary_start
	.balign	8
secondary_start:
	BE_TO_LE
	/* r3 = PIR.  Look it up in pcpu_table[0 .. pcpu_count). */
	LOAD_ADDR r4, pcpu_table
	LOAD_ADDR r5, pcpu_count
	lwz	r5, 0(r5)
	cmpdi	r5, 0
	beq	9f
	mtctr	r5
1:	ld	r13, 0(r4)
	cmpdi	r13, 0
	beq	2f
	lwz	r6, PCPU_PIR(r13)
	cmpw	r6, r3
	beq	3f
2:	addi	r4, r4, 8
	bdnz	1b
	/* A thread nobody asked for: it has no stack, so just stay here. */
9:	or	1, 1, 1
	b	9b
3:
	ld	r1, PCPU_STACK_TOP(r13)
	li	r0, 0
	stdu	r0, -32(r1)
	LOAD_ADDR r2, .TOC.
	mtspr	SPRN_HSPRG0, r13
	mr	r3, r13
	bl	secondary_main
	b	9b

/*
 * void stack_switch_call(uint64_t sp, void (*fn)(void *), void *arg):
 * continue on a fresh stack whose top is sp, calling fn(arg), which must
 * not return.  Used to leave the exception stack for the idle loop.
 */
	.text
	.globl	stack_switch_call
stack_switch_call:
	mr	r1, r3
	li	r0, 0
	stdu	r0, -32(r1)
	mtctr	r4
	mr	r12, r4
	mr	r3, r5
	bctrl
1:	b	1b

	/* The boot thread's stack (secondaries get theirs from the heap). */
	.section .bss
	.balign	16
boot_stack:
	.space	65536
	.globl	boot_stack_top
boot_stack_top:
