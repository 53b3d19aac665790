/*
 * The only floating-point and vector instructions in lparvisor: clearing
 * a hardware thread's FP/VMX/VSX state before a partition boots on it, so
 * that no value of a previous life (or of another partition that once ran
 * there) reaches the new one.  C cannot do this (the hypervisor is built
 * with -msoft-float -mno-altivec -mno-vsx); tests/static/run-static.py
 * allows FP/vector instructions in this routine only.
 *
 * void cpu_clear_fp_vec(void)
 *   Entry: hypervisor real mode, any MSR[FP/VEC/VSX].  Zeroes VSR0-63
 *   (which hold FPR0-31 and VR0-31), FPSCR and VSCR, then restores the
 *   MSR it found.  Clobbers r3, r4 (volatile in the ELFv2 ABI).
 */
#include "hv/asm.h"
#include "hv/spr.h"

	.machine power8
	.text
	.globl	cpu_clear_fp_vec
cpu_clear_fp_vec:
	mfmsr	r3
	lis	r4, (MSR_VEC | MSR_VSX)@h
	ori	r4, r4, MSR_FP
	or	r4, r3, r4
	mtmsrd	r4
	isync
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63
	xxlxor	\n, \n, \n
	.endr
	mtfsf	0xff, 0, 1, 0		/* FPSCR = FPR0 = 0, all 64 bits */
	mtvscr	0			/* VSCR = VR0 (VSR32) = 0 */
	mtmsrd	r3
	isync
	blr
