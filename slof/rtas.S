/*
 * The partition's RTAS code, placed by lparvisor at /rtas rtas-base (and
 * wherever a firmware's instantiate-rtas asks: vio/vof.c): the OS calls
 * its first instruction with r3 = the argument buffer's real address, in
 * 32-bit big-endian real mode (Linux 6.1 enter_rtas: MSR = ME|RI), and
 * the code keeps to the registers an hcall may change (r0, r3-r12, CR0,
 * CTR, XER), so it also serves a caller in 64-bit mode.
 *
 * get-time-of-day with 0 arguments and 8 returns is answered here, in
 * the partition, from the timebase and the clock lparvisor keeps in this
 * area (hv/abi/layout.h LAYOUT_RTAS_CLOCK_*; rewritten by lparvisor when
 * set-time-of-day moves the partition's clock), with the arithmetic of
 * rtas/rtas.c rtas_partition_time(), so the cells are the hypervisor's.
 * Everything else, and any buffer or time this code does not take (a
 * buffer not 4-byte aligned, above 4 GiB or past the clock's limit, a
 * clock without a frequency, a time before 1970), goes to the hypervisor
 * as QEMU's RTAS code sends it: KVMPPC_H_RTAS (0xf000) with r4 = r3.
 *
 * The code finds its clock relative to its own address (bcl 20,31), so
 * it runs wherever it was copied.  It reads and writes the guest's own
 * memory only, with the guest's privileges: a partition that rewrites
 * its clock spoils its own time and nothing of lparvisor's, which never
 * reads this area back.  Instructions of POWER ISA 2.07 (POWER8) only.
 * Big-endian, position-independent; includes hv/abi/ only.
 */
#include "hv/abi/hcall.h"
#include "hv/abi/layout.h"

#define TOKEN_GET_TIME_OF_DAY 0x2001 /* hv/abi/rtas.h RTAS_GET_TIME_OF_DAY */
#define TOD_NRET 8
#define TOD_BYTES (12 + 4 * TOD_NRET)
#define CLOCK(f) (LAYOUT_RTAS_CLOCK_OFFSET + LAYOUT_RTAS_CLOCK_##f - (here - _start))

/* Return cells: rets[i] at 12 + 4 * i. */
#define RET_STATUS 12
#define RET_YEAR 16
#define RET_MONTH 20
#define RET_DAY 24
#define RET_HOUR 28
#define RET_MINUTE 32
#define RET_SECOND 36
#define RET_NS 40

	.section .text, "ax"
	.globl _start
_start:
	b	tod			/* over the error log and the clock */

	. = LAYOUT_RTAS_CLOCK_OFFSET
clock:
	.space	LAYOUT_RTAS_CLOCK_SIZE	/* written by lparvisor */

tod:
	mflr	0			/* the caller's return address */
	bcl	20, 31, here
here:	mflr	12			/* r12 = here: the clock is CLOCK() off */
	mtlr	0
	/* The buffer: below 4 GiB (32-bit mode would cut it), aligned. */
	srdi	5, 3, 32
	cmpdi	5, 0
	bne	hcall
	andi.	5, 3, 3
	bne	hcall
	/* ... and whole before the limit (the partition's memory). */
	ld	6, CLOCK(LIMIT)(12)
	addi	5, 3, TOD_BYTES
	cmpld	5, 6
	bgt	hcall
	/* get-time-of-day, 0 arguments, 8 returns. */
	lwz	5, 0(3)
	cmplwi	5, TOKEN_GET_TIME_OF_DAY
	bne	hcall
	lwz	5, 4(3)
	cmplwi	5, 0
	bne	hcall
	lwz	5, 8(3)
	cmplwi	5, TOD_NRET
	bne	hcall
	ld	7, CLOCK(FREQ)(12)	/* r7 = timebase Hz */
	cmpdi	7, 0
	beq	hcall
	/* The timebase in both halves (either mode), read consistently. */
1:	mfspr	8, 269			/* TBU */
	mfspr	9, 268			/* TBL */
	mfspr	10, 269
	cmpw	8, 10
	bne	1b
	rldimi	9, 8, 32, 0		/* r9 = TBU:TBL */
	ld	10, CLOCK(TB)(12)
	subf	9, 10, 9		/* ticks since the clock's timebase */
	divdu	10, 9, 7		/* r10 = whole seconds */
	mulld	11, 10, 7
	subf	11, 11, 9		/* ticks into the second */
	lis	8, 1000000000@h
	ori	8, 8, 1000000000@l
	mulld	11, 11, 8
	divdu	11, 11, 7		/* r11 = ns */
	ld	8, CLOCK(SECS)(12)
	add	10, 10, 8		/* r10 = seconds since 1970 */
	cmpdi	10, 0
	blt	hcall			/* before 1970: the hypervisor's */
	/* Nothing is written before this point; from here on, no way out. */
	lis	8, 86400@h
	ori	8, 8, 86400@l
	divdu	9, 10, 8		/* r9 = days since 1970 */
	mulld	8, 9, 8
	subf	10, 8, 10		/* r10 = second of the day */
	li	8, 3600
	divdu	5, 10, 8
	stw	5, RET_HOUR(3)
	mulld	8, 5, 8
	subf	10, 8, 10
	li	8, 60
	divdu	5, 10, 8
	stw	5, RET_MINUTE(3)
	mulld	8, 5, 8
	subf	10, 8, 10
	stw	10, RET_SECOND(3)
	stw	11, RET_NS(3)
	/*
	 * Days to a date (days >= 0), as rtas/rtas.c civil_from_days():
	 * z = days + 719468, era = z / 146097, doe = z % 146097,
	 * yoe = (doe - doe/1460 + doe/36524 - doe/146096) / 365,
	 * doy = doe - (365 yoe + yoe/4 - yoe/100), mp = (5 doy + 2) / 153,
	 * day = doy - (153 mp + 2) / 5 + 1, month = mp < 10 ? mp + 3 : mp - 9,
	 * year = yoe + 400 era + (month <= 2).
	 */
	lis	8, 719468@h
	ori	8, 8, 719468@l
	add	9, 9, 8			/* r9 = z */
	lis	8, 146097@h
	ori	8, 8, 146097@l
	divdu	10, 9, 8		/* r10 = era */
	mulld	8, 10, 8
	subf	9, 8, 9			/* r9 = doe */
	li	8, 1460
	divdu	6, 9, 8
	subf	6, 6, 9			/* doe - doe/1460 */
	li	8, 0
	ori	8, 8, 36524
	divdu	7, 9, 8
	add	6, 6, 7			/* + doe/36524 */
	lis	8, 146096@h
	ori	8, 8, 146096@l
	divdu	7, 9, 8
	subf	6, 7, 6			/* - doe/146096 */
	li	8, 365
	divdu	6, 6, 8			/* r6 = yoe */
	mulli	7, 6, 365
	srdi	8, 6, 2
	add	7, 7, 8
	li	8, 100
	divdu	8, 6, 8
	subf	7, 8, 7			/* 365 yoe + yoe/4 - yoe/100 */
	subf	9, 7, 9			/* r9 = doy */
	mulli	7, 9, 5
	addi	7, 7, 2
	li	8, 153
	divdu	7, 7, 8			/* r7 = mp */
	mulli	8, 7, 153
	addi	8, 8, 2
	li	5, 5
	divdu	8, 8, 5
	subf	9, 8, 9
	addi	9, 9, 1			/* r9 = day */
	cmpldi	7, 10
	addi	7, 7, 3
	blt	2f
	addi	7, 7, -12		/* r7 = month */
2:	mulli	10, 10, 400
	add	6, 6, 10
	cmpldi	7, 2
	bgt	3f
	addi	6, 6, 1			/* r6 = year */
3:	stw	6, RET_YEAR(3)
	stw	7, RET_MONTH(3)
	stw	9, RET_DAY(3)
	li	5, 0
	stw	5, RET_STATUS(3)
	li	3, 0			/* H_SUCCESS, as the hcall answers */
	blr

hcall:
	mr	4, 3
	li	3, 0
	ori	3, 3, KVMPPC_H_RTAS
	sc	1
	blr

	. = LAYOUT_RTAS_BLOB_SIZE
