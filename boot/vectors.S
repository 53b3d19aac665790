/*
 * Hypervisor interrupt vectors.  Assembled inside the image and copied to
 * real address 0 by hv/exception.c (after OPAL_REINIT_CPUS(HILE_LE), so
 * they are entered little-endian).  The block is position independent:
 * stubs branch relatively to the common entry, which reaches C through an
 * absolute address.
 *
 * Contract on entry to a stub: any MSR context, HSPRG0 = this thread's
 * struct pcpu.  The stub frees r12/r13 (r13 into HSPRG1, r12 into the
 * pcpu scratch slot) and passes the vector number | TRAP_* flags in r12.
 * The common entry switches to the thread's exception stack (the
 * interrupted r1 may be anything), saves a `struct regs` (for a guest's
 * hcall only what C may touch: see TRAP_FAST), and calls
 * hv_exception(struct regs *).  If that returns, the (possibly updated)
 * frame is restored and rfid or hrfid resumes the interrupted context.
 */
#include "hv/asm.h"
#include "hv/regs.h"
#include "hv/spr.h"
#include "asm-offsets.h"

#define GPR(n) (FRAME_GPR0 + 8 * (n))

/*
 * POWER9 relocates hypervisor interrupts taken from a radix guest running
 * with its MMU on when the guest's LPCR[AIL] is 3: they arrive at
 * 0xc000000000004000 + vector, in HV mode with IR and DR still set.  The
 * host translation (hv/lpar.c: PATE[0] and process-table entry 0) maps
 * that to real 0x4000 + vector, where these stubs turn translation off and
 * continue at the same offset in real mode (the top EA bits are ignored
 * there), then join the ordinary stub.  Only r13 and HSPRG1 are touched;
 * SRR0/1 and HSRR0/1 still describe the guest.
 */
.macro AIL_VECTOR off
	.org	vectors_start + 0x4000 + \off
	mtspr	SPRN_HSPRG1, r13
	mfmsr	r13
	xori	r13, r13, MSR_IR | MSR_DR
	mtmsrd	r13
	mfspr	r13, SPRN_HSPRG1
	b	vectors_start + \off
.endm

.macro VECTOR off, flags
	.org	vectors_start + \off
	mtspr	SPRN_HSPRG1, r13
	mfspr	r13, SPRN_HSPRG0
	std	r12, PCPU_SCRATCH_R12(r13)
	li	r12, \off + \flags
	b	exc_common
.endm

/* The hypercall vector: the null hcall's fast path first (hcall_fast). */
.macro HCALL_VECTOR off
	.org	vectors_start + \off
	mtspr	SPRN_HSPRG1, r13
	mfspr	r13, SPRN_HSPRG0
	std	r12, PCPU_SCRATCH_R12(r13)
	li	r12, \off
	b	hcall_fast
.endm

	.section .vectors, "ax"
	.balign	0x100
	.globl	vectors_start
vectors_start:
	.long	0			/* real address 0 is never executed */

/*
 * System reset.  POWER8's `nap` (hv/cpu.h cpu_nap(): lparvisor's idle and
 * ceded waits there) always wakes here, with SRR1[46:47] non-zero and
 * SRR0 past the nap, every register kept: such a wake-up returns there at
 * once (rfid; the caller treats CR as clobbered).  Any other reset (those
 * bits zero) goes on as the other vectors do, CR intact.
 */
	.org	vectors_start + 0x100
	mtspr	SPRN_HSPRG1, r13
	mfspr	r13, SPRN_HSPRG0
	std	r12, PCPU_SCRATCH_R12(r13)
	mfcr	r12
	std	r12, PCPU_SCRATCH_CR(r13)
	mfspr	r12, SPRN_SRR1
	rldicl.	r12, r12, 48, 62	/* SRR1[46:47]: woken from power saving */
	ld	r12, PCPU_SCRATCH_CR(r13)	/* CR0 still the test's */
	bne	1f
	mtcr	r12
	li	r12, 0x100
	b	exc_common
1:	mtcr	r12
	ld	r12, PCPU_SCRATCH_R12(r13)
	mfspr	r13, SPRN_HSPRG1
	rfid

	VECTOR 0x200, 0			/* machine check */
	VECTOR 0x300, 0			/* data storage */
	VECTOR 0x380, 0			/* data segment */
	VECTOR 0x400, 0			/* instruction storage */
	VECTOR 0x480, 0			/* instruction segment */
	VECTOR 0x500, TRAP_HSRR		/* external, HV (LPES0=0) */
	VECTOR 0x600, 0			/* alignment */
	VECTOR 0x700, 0			/* program */
	VECTOR 0x800, 0			/* FP unavailable */
	VECTOR 0x900, 0			/* decrementer */
	VECTOR 0x980, TRAP_HSRR		/* hypervisor decrementer */
	VECTOR 0xa00, 0			/* directed privileged doorbell */
	VECTOR 0xb00, 0			/* reserved */
	HCALL_VECTOR 0xc00		/* system call / hypercall */
	VECTOR 0xd00, 0			/* trace */
	VECTOR 0xe00, TRAP_HSRR		/* hypervisor data storage */
	VECTOR 0xe20, TRAP_HSRR		/* hypervisor instruction storage */
	VECTOR 0xe40, TRAP_HSRR		/* hypervisor emulation assistance */
	VECTOR 0xe60, TRAP_HSRR		/* hypervisor maintenance */
	VECTOR 0xe80, TRAP_HSRR		/* directed hypervisor doorbell */
	VECTOR 0xea0, TRAP_HSRR		/* hypervisor virtualization */
	VECTOR 0xf00, 0			/* performance monitor */
	VECTOR 0xf20, 0			/* vector unavailable */
	VECTOR 0xf40, 0			/* VSX unavailable */
	VECTOR 0xf60, 0			/* facility unavailable */
	VECTOR 0xf80, TRAP_HSRR		/* hypervisor facility unavailable */
	VECTOR 0x1500, TRAP_HSRR	/* softpatch (POWER9) */

	.org	vectors_start + 0x1600
exc_common:
	std	r1, PCPU_SCRATCH_R1(r13)
	ld	r1, PCPU_EXC_STACK_TOP(r13)
	addi	r1, r1, -EXC_FRAME_SIZE
	std	r0, GPR(0)(r1)
	std	r2, GPR(2)(r1)
	std	r3, GPR(3)(r1)
	std	r4, GPR(4)(r1)
	std	r5, GPR(5)(r1)
	std	r6, GPR(6)(r1)
	std	r7, GPR(7)(r1)
	std	r8, GPR(8)(r1)
	std	r9, GPR(9)(r1)
	std	r10, GPR(10)(r1)
	std	r11, GPR(11)(r1)
	std	r12, FRAME_TRAP(r1)
	ld	r0, PCPU_SCRATCH_R1(r13)
	std	r0, GPR(1)(r1)
	ld	r0, PCPU_SCRATCH_R12(r13)
	std	r0, GPR(12)(r1)
	mfspr	r0, SPRN_HSPRG1
	std	r0, GPR(13)(r1)
	mfcr	r0
	std	r0, FRAME_CR(r1)
	mflr	r0
	std	r0, FRAME_LR(r1)
	mfctr	r0
	std	r0, FRAME_CTR(r1)
	mfxer	r0
	std	r0, FRAME_XER(r1)
	mfspr	r0, SPRN_SRR0
	std	r0, FRAME_SRR0(r1)
	mfspr	r0, SPRN_HSRR0
	std	r0, FRAME_HSRR0(r1)
	mfspr	r0, SPRN_HSRR1
	std	r0, FRAME_HSRR1(r1)
	mfspr	r0, SPRN_SRR1
	std	r0, FRAME_SRR1(r1)
	/*
	 * An hcall from a guest (0xc00 with SRR1[HV] clear) takes the fast
	 * path: the C code keeps r14-r31 as the ABI says and involves no
	 * fault address, so neither is saved, and TRAP_FAST tells
	 * exc_resume not to restore r14-r31.
	 */
	cmpdi	r12, 0xc00
	bne	1f
	rldicl.	r11, r0, 4, 63		/* SRR1[HV] (1 << 60) */
	bne	1f
	ori	r12, r12, TRAP_FAST
	std	r12, FRAME_TRAP(r1)
	b	2f
1:	std	14, GPR(14)(r1)
	std	15, GPR(15)(r1)
	std	16, GPR(16)(r1)
	std	17, GPR(17)(r1)
	std	18, GPR(18)(r1)
	std	19, GPR(19)(r1)
	std	20, GPR(20)(r1)
	std	21, GPR(21)(r1)
	std	22, GPR(22)(r1)
	std	23, GPR(23)(r1)
	std	24, GPR(24)(r1)
	std	25, GPR(25)(r1)
	std	26, GPR(26)(r1)
	std	27, GPR(27)(r1)
	std	28, GPR(28)(r1)
	std	29, GPR(29)(r1)
	std	30, GPR(30)(r1)
	std	31, GPR(31)(r1)
	mfspr	r0, SPRN_DAR
	std	r0, FRAME_DAR(r1)
	mfspr	r0, SPRN_DSISR
	std	r0, FRAME_DSISR(r1)
	mfspr	r0, SPRN_HDAR
	std	r0, FRAME_HDAR(r1)
	mfspr	r0, SPRN_HDSISR
	std	r0, FRAME_HDSISR(r1)
	mfspr	r0, SPRN_ASDR
	std	r0, FRAME_ASDR(r1)
2:	li	r0, 0
	std	r0, 0(r1)		/* end of the back chain */

	LOAD_ADDR r2, .TOC.
	LOAD_ADDR r12, hv_exception
	mtctr	r12
	addi	r3, r1, EXC_FRAME_REGS
	bctrl

	/* hv_exception returned: resume the interrupted context. */
	.globl	exc_resume
exc_resume:
	ld	r0, FRAME_SRR0(r1)
	mtspr	SPRN_SRR0, r0
	ld	r0, FRAME_SRR1(r1)
	mtspr	SPRN_SRR1, r0
	ld	r0, FRAME_HSRR0(r1)
	mtspr	SPRN_HSRR0, r0
	ld	r0, FRAME_HSRR1(r1)
	mtspr	SPRN_HSRR1, r0
	ld	r0, FRAME_LR(r1)
	mtlr	r0
	ld	r0, FRAME_CTR(r1)
	mtctr	r0
	ld	r0, FRAME_XER(r1)
	mtxer	r0
	ld	r2, GPR(2)(r1)
	ld	r3, GPR(3)(r1)
	ld	r4, GPR(4)(r1)
	ld	r5, GPR(5)(r1)
	ld	r6, GPR(6)(r1)
	ld	r7, GPR(7)(r1)
	ld	r8, GPR(8)(r1)
	ld	r9, GPR(9)(r1)
	ld	r10, GPR(10)(r1)
	ld	r11, GPR(11)(r1)
	ld	r13, GPR(13)(r1)
	ld	r12, FRAME_TRAP(r1)
	andi.	r0, r12, TRAP_FAST
	bne	3f			/* r14-r31 were never saved */
	ld	14, GPR(14)(r1)
	ld	15, GPR(15)(r1)
	ld	16, GPR(16)(r1)
	ld	17, GPR(17)(r1)
	ld	18, GPR(18)(r1)
	ld	19, GPR(19)(r1)
	ld	20, GPR(20)(r1)
	ld	21, GPR(21)(r1)
	ld	22, GPR(22)(r1)
	ld	23, GPR(23)(r1)
	ld	24, GPR(24)(r1)
	ld	25, GPR(25)(r1)
	ld	26, GPR(26)(r1)
	ld	27, GPR(27)(r1)
	ld	28, GPR(28)(r1)
	ld	29, GPR(29)(r1)
	ld	30, GPR(30)(r1)
	ld	31, GPR(31)(r1)
3:	andi.	r12, r12, TRAP_HSRR
	bne	1f
	ld	r0, FRAME_CR(r1)
	mtcr	r0
	ld	r0, GPR(0)(r1)
	ld	r12, GPR(12)(r1)
	ld	r1, GPR(1)(r1)
	rfid
1:	ld	r0, FRAME_CR(r1)
	mtcr	r0
	ld	r0, GPR(0)(r1)
	ld	r12, GPR(12)(r1)
	ld	r1, GPR(1)(r1)
	hrfid

/*
 * The hcall fast path, answered before any frame is built, when the
 * thread's pcpu has it armed (a vCPU in the guest, exits untimed), the
 * hcall comes from the guest's supervisor state and nothing is pending
 * for the vCPU (running, its partition running, no XICS line, no system
 * reset: what guest_exit() would look at):
 * - the null hcall (H_SET_DABR, the benchmark's; H_HARDWARE, as
 *   hv/hcall.c h_set_dabr() answers it): counts the exit and the hcall
 *   in the vCPU's profile and its partition's bad_hcalls as
 *   hcall_dispatch() does, puts H_HARDWARE in r3 and returns with rfid,
 *   using only r11, r12, r13 and CR, restored;
 * - H_RANDOM (the hottest hcall of a Linux boot by count after H_CEDE,
 *   which waits): darn's number in r4 and H_SUCCESS, counted as the
 *   null hcall is (not as refused), in the same registers; without darn
 *   or when it fails the full path (vio/rng.c) answers;
 * - KVMPPC_H_RTAS: saves the guest's volatile registers (r0, r2-r10 on
 *   the exception stack; r1, r11, r12, r13 and CR are in the pcpu
 *   scratch slots and HSPRG1), calls rtas_fast_call(vcpu, r4) on that
 *   stack and, if it answered (get-time-of-day, rtas/rtas.c
 *   rtas_fast_tod()), returns H_SUCCESS in r3 with every other register
 *   as the guest left it.
 * Anything else goes on to exc_common exactly as from the vector
 * (r12 = 0xc00, every register the guest's).
 */
#define FAST(n) (32 + 8 * (n))		/* past the ABI's 32-byte header */
#define FAST_LR FAST(11)
#define FAST_CTR FAST(12)
#define FAST_XER FAST(13)
/* Add one to the doubleword the pointer in r12 names (clobbers r11). */
.macro INC_AT_R12
	ld	r11, 0(r12)
	addi	r11, r11, 1
	std	r11, 0(r12)
.endm

/* Add one to the profile counter the pcpu slot `slot` points to. */
.macro FAST_COUNT slot
	ld	r12, \slot(r13)
	INC_AT_R12
.endm

/*
 * Back to the guest from the fast path: CR, r11, r12 and r13 as the
 * vector found them, r3 (and r4) the answer.
 */
.macro FAST_RETURN
	ld	r11, PCPU_SCRATCH_CR(r13)
	mtcr	r11
	ld	r11, PCPU_SCRATCH_R11(r13)
	ld	r12, PCPU_SCRATCH_R12(r13)
	mfspr	r13, SPRN_HSPRG1
	rfid
.endm

hcall_fast:
	std	r11, PCPU_SCRATCH_R11(r13)
	mfcr	r11
	std	r11, PCPU_SCRATCH_CR(r13)
	cmpdi	r3, HCALL_NULL_NR
	beq	1f
	cmpdi	r3, HCALL_RANDOM_NR
	beq	1f
	cmpldi	r3, HCALL_RTAS_NR
	bne	9f
1:	ld	r12, PCPU_FAST_VCPU(r13)
	cmpdi	r12, 0
	beq	9f
	mfspr	r11, SPRN_SRR1
	andi.	r11, r11, MSR_PR
	bne	9f
	mfspr	r11, SPRN_SRR1
	rldicl.	r11, r11, 4, 63		/* SRR1[HV] (1 << 60) */
	bne	9f
	lwz	r11, VCPU_STATE(r12)
	cmpwi	r11, VCPU_STATE_RUNNING
	bne	9f
	lwz	r11, VCPU_IRQ(r12)
	cmpwi	r11, 0
	bne	9f
	lwz	r11, VCPU_SRESET(r12)
	cmpwi	r11, 0
	bne	9f
	ld	r11, VCPU_LPAR_STATE(r12)
	lwz	r11, 0(r11)
	cmpwi	r11, LPAR_STATE_RUNNING
	bne	9f
	cmpdi	r3, HCALL_RANDOM_NR
	beq	3f
	cmpdi	r3, HCALL_NULL_NR
	bne	2f
	FAST_COUNT PCPU_FAST_EXIT_N
	FAST_COUNT PCPU_FAST_HCALL_N
	FAST_COUNT PCPU_FAST_BAD
	li	r3, -HCALL_NULL_RC_NEG
	FAST_RETURN
	/*
	 * H_RANDOM: 64 bits of darn's conditioned random number in r4, as
	 * vio/rng.c h_random() answers; without darn (POWER8: the pointer
	 * is NULL), or when darn fails (all ones), the full path answers.
	 */
3:	ld	r12, PCPU_FAST_RANDOM_N(r13)
	cmpdi	r12, 0
	beq	9f
	.machine push
	.machine power9
	darn	r11, 1
	.machine pop
	cmpdi	r11, -1
	beq	9f
	mr	r4, r11
	INC_AT_R12
	FAST_COUNT PCPU_FAST_EXIT_N
	li	r3, 0			/* H_SUCCESS */
	FAST_RETURN
	/* KVMPPC_H_RTAS: r12 = the vCPU. */
2:	std	r1, PCPU_SCRATCH_R1(r13)
	ld	r1, PCPU_EXC_STACK_TOP(r13)
	addi	r1, r1, -FAST_FRAME_SIZE
	std	r0, FAST(0)(r1)
	std	r2, FAST(1)(r1)
	std	r3, FAST(2)(r1)
	std	r4, FAST(3)(r1)
	std	r5, FAST(4)(r1)
	std	r6, FAST(5)(r1)
	std	r7, FAST(6)(r1)
	std	r8, FAST(7)(r1)
	std	r9, FAST(8)(r1)
	std	r10, FAST(9)(r1)
	mflr	r0
	std	r0, FAST_LR(r1)
	mfctr	r0
	std	r0, FAST_CTR(r1)
	mfxer	r0
	std	r0, FAST_XER(r1)
	li	r0, 0
	std	r0, 0(r1)		/* end of the back chain */
	mr	r3, r12
	LOAD_ADDR r2, .TOC.
	LOAD_ADDR r12, rtas_fast_call
	mtctr	r12
	bctrl
	mr	r11, r3
	ld	r0, FAST_LR(r1)
	mtlr	r0
	ld	r0, FAST_CTR(r1)
	mtctr	r0
	ld	r0, FAST_XER(r1)
	mtxer	r0
	ld	r0, FAST(0)(r1)
	ld	r2, FAST(1)(r1)
	ld	r3, FAST(2)(r1)
	ld	r4, FAST(3)(r1)
	ld	r5, FAST(4)(r1)
	ld	r6, FAST(5)(r1)
	ld	r7, FAST(6)(r1)
	ld	r8, FAST(7)(r1)
	ld	r9, FAST(8)(r1)
	ld	r10, FAST(9)(r1)
	ld	r1, PCPU_SCRATCH_R1(r13)
	clrldi.	r11, r11, 56
	beq	9f
	li	r3, 0			/* H_SUCCESS */
	FAST_RETURN
9:	ld	r11, PCPU_SCRATCH_CR(r13)
	mtcr	r11
	ld	r11, PCPU_SCRATCH_R11(r13)
	li	r12, 0xc00
	b	exc_common

	AIL_VECTOR 0x300
	AIL_VECTOR 0x380
	AIL_VECTOR 0x400
	AIL_VECTOR 0x480
	AIL_VECTOR 0x500
	AIL_VECTOR 0x600
	AIL_VECTOR 0x700
	AIL_VECTOR 0x800
	AIL_VECTOR 0x900
	AIL_VECTOR 0x980
	AIL_VECTOR 0xa00
	AIL_VECTOR 0xb00
	AIL_VECTOR 0xc00
	AIL_VECTOR 0xd00
	AIL_VECTOR 0xe00
	AIL_VECTOR 0xe20
	AIL_VECTOR 0xe40
	AIL_VECTOR 0xe80
	AIL_VECTOR 0xea0
	AIL_VECTOR 0xf00
	AIL_VECTOR 0xf20
	AIL_VECTOR 0xf40
	AIL_VECTOR 0xf60
	AIL_VECTOR 0xf80
	AIL_VECTOR 0x1500
	.globl	vectors_end
vectors_end:

/*
 * void exc_resume_frame(uint64_t sp): resume the context described by the
 * frame at sp (laid out as exc_common saves one).  Used to enter a guest
 * for the first time.  Runs from the image copy of this code.
 */
	.text
	.globl	exc_resume_frame
exc_resume_frame:
	mr	r1, r3
	b	exc_resume
