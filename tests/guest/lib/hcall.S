/*
 * hcall() and hcall_out(): the two ways the payloads issue `sc 1`.
 *
 * Both are variadic C functions, so under ELFv2 the caller passes the
 * first eight doublewords in r3..r10 and always provides a parameter save
 * area at 32(r1); doublewords 9 and later sit there at 32 + 8 * i.
 * Reading a slot the caller did not fill only loads an unused value into
 * an argument register the hypercall ignores.
 * The hypervisor keeps r1, r2 and r13..r31 (PAPR); r0, r4..r12, CTR, XER
 * and CR0/1/5/6/7 are treated as clobbered, which matches what a C caller
 * of a function already assumes.
 */
#include "tests/guest/lib/asm.h"

	.text

/*
 * long hcall(unsigned long nr, ...)
 * In:  r3 = hcall number, r4..r10 = arguments 1..7; arguments 8 and 9
 *      from the caller's parameter save area.
 * Out: r3 = hypervisor status.
 */
	.globl	hcall
	.type	hcall, @function
	.balign	16
hcall:
	ld	r11, 96(r1)
	ld	r12, 104(r1)
	sc	1
	blr
	.size	hcall, . - hcall

/*
 * long hcall_out(struct hcall_rets *out, unsigned long nr, ...)
 * In:  r3 = out, r4 = hcall number, r5..r10 = arguments 1..6, arguments
 *      7..9 from the parameter save area.
 * Out: r3 = status, out->r[0..8] = r4..r12 after the call.
 * r2 is borrowed as the base register across the call (the save area's
 * own slots hold `out` and the caller's r2), then put back.
 */
	.globl	hcall_out
	.type	hcall_out, @function
	.balign	16
hcall_out:
	std	r3, 32(r1)
	std	r2, 40(r1)
	mr	r3, r4
	mr	r4, r5
	mr	r5, r6
	mr	r6, r7
	mr	r7, r8
	mr	r8, r9
	mr	r9, r10
	ld	r10, 96(r1)
	ld	r11, 104(r1)
	ld	r12, 112(r1)
	sc	1
	ld	r2, 32(r1)
	std	r4, 0(r2)
	std	r5, 8(r2)
	std	r6, 16(r2)
	std	r7, 24(r2)
	std	r8, 32(r2)
	std	r9, 40(r2)
	std	r10, 48(r2)
	std	r11, 56(r2)
	std	r12, 64(r2)
	ld	r2, 40(r1)
	blr
	.size	hcall_out, . - hcall_out
