/*
 * Entry points and interrupt vectors of the guest payloads.
 *
 * _start (0x100): the boot vCPU, entered as QEMU's pseries reset leaves it
 * for -bios firmware (and lparvisor does the same): big-endian real mode,
 * MSR[SF]=0, EE=0 (QEMU: MSR = 0), r3 = guest-real address of the
 * flattened device tree.
 * 0x100 is also the system reset vector, taken little-endian once
 * LPCR[ILE] is set, so its first word is read both ways (see below).
 *
 * secondary_entry: vCPUs started by RTAS start-cpu, big-endian real mode
 * with SF=1 and ME=1, r3 = the third start-cpu argument, which the library
 * sets to the vCPU's index in cpus[].
 *
 * 0x200 .. 0xf80: one stub per vector.  SPRG0 always holds the vCPU's
 * `struct cpu`; SPRG1 is scratch for r13 while a stub runs.  Every stub
 * funnels into exception_common, which builds a `struct regs` frame on the
 * vCPU's exception stack and calls exception_dispatch() in C.
 */
#include "hv/abi/hcall.h"
#include "tests/guest/lib/asm.h"
#include "tests/guest/lib/ppc.h"
#include "guest-asm-offsets.h"

#define GPR(n) (FRAME_GPR0 + 8 * (n))

/*
 * One vector stub.  In: any interrupted state.  Out, at exception_common:
 * r13 = struct cpu, SPRG1 = interrupted r13, cpu->save_r12 = interrupted
 * r12, r12 = vector offset; everything else untouched.
 */
.macro VECTOR vec
	.org	\vec
	mtspr	SPRN_SPRG1, r13
	mfspr	r13, SPRN_SPRG0
	std	r12, CPU_SAVE_R12(r13)
	li	r12, \vec
	b	exception_common
.endm

	.section .head, "ax"

	.org	0x100
	.globl	_start
_start:
	/*
	 * Read big-endian, the first word is `twi 0,0,0x48` (TO=0: never
	 * traps) and the second branches to the trampoline.  Read
	 * little-endian (a system reset after LPCR[ILE] was set), the first
	 * word is `b .+12` to sreset_le.  Linux's FIXUP_ENDIAN plays the
	 * same trick with `tdi`.
	 */
	be_insn	0x0c000048	/* BE: twi 0,0,0x48    LE: b 0x10c */
	be_insn	0x48000014	/* BE: b 0x118 */
	be_insn	0x60000000	/* BE: nop */
	.org	0x10c
sreset_le:
	b	sreset_vector
	.org	0x118
boot_be:
	BE_TO_LE_GUEST
	b	boot_le

	VECTOR	0x200	/* machine check */
	VECTOR	0x300	/* data storage */
	VECTOR	0x380	/* data segment */
	VECTOR	0x400	/* instruction storage */
	VECTOR	0x480	/* instruction segment */
	VECTOR	0x500	/* external */
	VECTOR	0x600	/* alignment */
	VECTOR	0x700	/* program */
	VECTOR	0x800	/* floating-point unavailable */
	VECTOR	0x900	/* decrementer */
	VECTOR	0x980	/* hypervisor decrementer (never a guest's) */
	VECTOR	0xa00	/* directed privileged doorbell */
	VECTOR	0xb00	/* reserved */
	VECTOR	0xc00	/* system call */
	VECTOR	0xd00	/* trace */
	VECTOR	0xe00	/* hypervisor data storage */
	VECTOR	0xe20	/* hypervisor instruction storage */
	VECTOR	0xe40	/* hypervisor emulation assistance */
	VECTOR	0xe60	/* hypervisor maintenance */
	VECTOR	0xe80	/* directed hypervisor doorbell */
	VECTOR	0xea0	/* hypervisor virtualization */
	VECTOR	0xf00	/* performance monitor */
	VECTOR	0xf20	/* vector unavailable */
	VECTOR	0xf40	/* VSX unavailable */
	VECTOR	0xf60	/* facility unavailable */
	VECTOR	0xf80	/* hypervisor facility unavailable */

	.org	0x1000
sreset_vector:
	mtspr	SPRN_SPRG1, r13
	mfspr	r13, SPRN_SPRG0
	std	r12, CPU_SAVE_R12(r13)
	li	r12, 0x100
	b	exception_common

/*
 * Boot vCPU, little-endian from here on.  r3 = FDT, r10 = entry MSR.
 * Interrupts are switched to little-endian first (H_SET_MODE resource 4),
 * before anything can trap; its status goes to lib_main() for reporting.
 */
boot_le:
	mr	r31, r3
	mr	r30, r10
	li	r3, H_SET_MODE
	li	r4, 1
	li	r5, H_SET_MODE_RESOURCE_LE
	li	r6, 0
	li	r7, 0
	sc	1
	mr	r29, r3

	/* Clear BSS (8-byte aligned by the linker script). */
	CLEAR_BSS
	LOAD_ADDR r2, .TOC.
	LOAD_ADDR r13, cpus
	mtspr	SPRN_SPRG0, r13
	std	r30, CPU_ENTRY_MSR(r13)
	std	r31, CPU_ENTRY_R3(r13)
	LOAD_ADDR r1, cpu_stacks
	addi	r1, r1, STACK_SIZE
	std	r1, CPU_STACK_TOP(r13)
	LOAD_ADDR r4, cpu_exc_stacks
	addi	r4, r4, EXC_STACK_SIZE
	std	r4, CPU_EXC_STACK_TOP(r13)
	li	r0, 0
	stdu	r0, -STACK_FRAME_MIN(r1)
	mr	r3, r31
	mr	r4, r29
	bl	lib_main
3:	or	1, 1, 1
	b	3b

/*
 * Common interrupt path.  In: r13 = struct cpu, r12 = vector, the
 * interrupted r12 in cpu->save_r12 and r13 in SPRG1; SRR0/SRR1 as the
 * interrupt set them.  Uses the top of the vCPU's exception stack, or,
 * when the interrupted code was already on it (an interrupt inside a
 * handler), the space below its frame and red zone.  Out: every GPR,
 * LR, CTR, CR, XER restored from the frame (which C may have changed),
 * and rfid to frame->nip with frame->msr.
 */
	.text
	.balign	16
exception_common:
	std	r11, CPU_SAVE_R11(r13)
	std	r12, CPU_SAVE_VEC(r13)
	ld	r11, CPU_EXC_STACK_TOP(r13)
	subf	r12, r1, r11
	cmpldi	r12, EXC_STACK_SIZE
	bgt	1f
	addi	r11, r1, -STACK_RED_ZONE
1:	addi	r11, r11, -FRAME_SIZE
	clrrdi	r11, r11, 4
	std	r1, GPR(1)(r11)
	mr	r1, r11
	std	r0, GPR(0)(r1)
	.irp	n, 2, 3, 4, 5, 6, 7, 8, 9, 10
	std	\n, GPR(\n)(r1)
	.endr
	ld	r0, CPU_SAVE_R11(r13)
	std	r0, GPR(11)(r1)
	ld	r0, CPU_SAVE_R12(r13)
	std	r0, GPR(12)(r1)
	mfspr	r0, SPRN_SPRG1
	std	r0, GPR(13)(r1)
	.irp	n, 14, 15, 16, 17, 18, 19, 20, 21, 22, \
		23, 24, 25, 26, 27, 28, 29, 30, 31
	std	\n, GPR(\n)(r1)
	.endr
	ld	r0, CPU_SAVE_VEC(r13)
	std	r0, FRAME_VEC(r1)
	mfspr	r0, SPRN_SRR0
	std	r0, FRAME_NIP(r1)
	mfspr	r0, SPRN_SRR1
	std	r0, FRAME_MSR(r1)
	mflr	r0
	std	r0, FRAME_LR(r1)
	mfctr	r0
	std	r0, FRAME_CTR(r1)
	mfcr	r0
	std	r0, FRAME_CR(r1)
	mfspr	r0, SPRN_XER
	std	r0, FRAME_XER(r1)
	mfspr	r0, SPRN_DAR
	std	r0, FRAME_DAR(r1)
	mfspr	r0, SPRN_DSISR
	std	r0, FRAME_DSISR(r1)
	li	r0, 0
	std	r0, 0(r1)
	LOAD_ADDR r2, .TOC.
	addi	r3, r1, FRAME_REGS
	bl	exception_dispatch

	ld	r0, FRAME_NIP(r1)
	mtspr	SPRN_SRR0, r0
	ld	r0, FRAME_MSR(r1)
	mtspr	SPRN_SRR1, r0
	ld	r0, FRAME_LR(r1)
	mtlr	r0
	ld	r0, FRAME_CTR(r1)
	mtctr	r0
	ld	r0, FRAME_CR(r1)
	mtcrf	0xff, r0
	ld	r0, FRAME_XER(r1)
	mtspr	SPRN_XER, r0
	ld	r0, GPR(0)(r1)
	.irp	n, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, \
		17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	ld	\n, GPR(\n)(r1)
	.endr
	ld	r1, GPR(1)(r1)
	rfid

/*
 * Secondary vCPUs from RTAS start-cpu.  r3 = index into cpus[], whose
 * stack_top the boot vCPU filled in before starting it.  A vCPU with an
 * index out of range, or no stack, parks here.
 */
	.globl	secondary_entry
	.type	secondary_entry, @function
	.balign	16
secondary_entry:
	BE_TO_LE_GUEST
	cmpldi	r3, MAX_CPUS
	bge	9f
	LOAD_ADDR r4, cpus
	mulli	r5, r3, CPU_SIZE
	add	r13, r4, r5
	std	r10, CPU_ENTRY_MSR(r13)
	std	r3, CPU_ENTRY_R3(r13)
	ld	r1, CPU_STACK_TOP(r13)
	cmpdi	r1, 0
	beq	9f
	mtspr	SPRN_SPRG0, r13
	li	r0, 0
	stdu	r0, -STACK_FRAME_MIN(r1)
	LOAD_ADDR r2, .TOC.
	mr	r3, r13
	bl	secondary_main
9:	or	1, 1, 1
	b	9b
	.size	secondary_entry, . - secondary_entry

/*
 * long run_user(long (*fn)(void *), void *arg, void *stack_top)
 * In: r3 = fn, r4 = arg, r5 = top of the problem-state stack.
 * Saves r1, r2, r14..r31, LR, CR and MSR in cpu->user, then rfid to fn
 * with MSR[PR]=1 (rfid also sets IR, DR and EE then, whatever SRR1 says),
 * r3 = arg, r12 = fn (ELFv2 global entry) and LR = user_exit.  fn
 * returns to user_exit, whose `sc` (vector 0xc00 from problem state)
 * exception_dispatch() turns into a return from run_user with fn's r3.
 */
	.globl	run_user
	.type	run_user, @function
	.balign	16
run_user:
	mfspr	r6, SPRN_SPRG0
	std	r1, CPU_USER_R1(r6)
	std	r2, CPU_USER_R2(r6)
	.irp	n, 14, 15, 16, 17, 18, 19, 20, 21, 22, \
		23, 24, 25, 26, 27, 28, 29, 30, 31
	std	\n, (CPU_USER_NVGPR + 8 * (\n - 14))(r6)
	.endr
	mflr	r0
	std	r0, CPU_USER_LR(r6)
	mfcr	r0
	std	r0, CPU_USER_CR(r6)
	mfmsr	r7
	std	r7, CPU_USER_MSR(r6)
	li	r0, 1
	stw	r0, CPU_IN_USER(r6)
	ori	r7, r7, MSR_PR
	mtspr	SPRN_SRR1, r7
	mtspr	SPRN_SRR0, r3
	mr	r12, r3
	LOAD_ADDR r8, user_exit
	mtlr	r8
	addi	r1, r5, -STACK_FRAME_MIN
	li	r0, 0
	std	r0, 0(r1)
	mr	r3, r4
	rfid
user_exit:
	sc
	b	.
	.size	run_user, . - run_user
