/*
 * lparvisor's partition firmware for firmware = "vof": the Open Firmware
 * client interface in the spirit of QEMU 7.2's VOF (pc-bios/vof), whose
 * every service lparvisor answers (vio/ofci.c, vio/vof.c) behind the
 * KVMPPC_H_VOF_CLIENT hcall.  Big-endian, 32-bit, position-dependent at
 * guest real 0 (linker/slof.lds); includes hv/abi/ only.
 *
 * lparvisor enters _start at LAYOUT_PAYLOAD_ENTRY with r3 = initrd base,
 * r4 = initrd size (0, 0 without one) and r5 = the kernel's entry.  The
 * kernel is entered as Open Firmware enters it: r3, r4 unchanged, r5 =
 * the client-interface entry, r1 = a stack in the firmware's own claimed
 * memory (prom_init runs on it).
 */
#include "hv/abi/hcall.h"
#include "hv/abi/layout.h"

	.section .text, "ax"
	.globl _start
	. = LAYOUT_PAYLOAD_ENTRY
_start:
	lis	1, LAYOUT_VOF_STACK_TOP@h
	ori	1, 1, LAYOUT_VOF_STACK_TOP@l
	li	0, 0
	stw	0, 0(1)		/* the first frame's back chain */
	mtctr	5
	bl	1f
1:	mflr	5
	addi	5, 5, ci_entry - 1b
	bctr

/*
 * The client interface: r3 = the client's argument array (service name,
 * nargs, nret, cells).  lparvisor reads it, writes the return cells back
 * and answers r3 = 0, or a negative status when the array is unreadable.
 * Only r3 and r4 change; the client's other registers are kept by the
 * hypervisor.
 */
	.globl ci_entry
ci_entry:
	mr	4, 3
	li	3, 0
	ori	3, 3, KVMPPC_H_VOF_CLIENT
	sc	1
	blr
