/*
 * What the freestanding initramfs programs (perf-count.c, memstress.c)
 * share: there is no ppc64el C library in the build, so system calls are
 * made directly -- `sc` with the number in r0, arguments in r3..r8, and
 * CR0[SO] set on error with the errno in r3 (numbers from Linux's
 * arch/powerpc/kernel/syscalls/syscall.tbl) -- and text goes to fd 1.
 */
#ifndef TESTS_LINUX_USYS_H
#define TESTS_LINUX_USYS_H

typedef unsigned long u64;
typedef unsigned int u32;

#define SYS_EXIT 1
#define SYS_WRITE 4

/* Returns the result, or -errno. */
static long sys(long nr, long a, long b, long c, long d, long e, long f)
{
	register long r0 __asm__("r0") = nr;
	register long r3 __asm__("r3") = a;
	register long r4 __asm__("r4") = b;
	register long r5 __asm__("r5") = c;
	register long r6 __asm__("r6") = d;
	register long r7 __asm__("r7") = e;
	register long r8 __asm__("r8") = f;
	long cr;

	__asm__ volatile("sc\n\tmfcr %0"
			 : "=r"(cr), "+r"(r0), "+r"(r3), "+r"(r4), "+r"(r5),
			   "+r"(r6), "+r"(r7), "+r"(r8)
			 :
			 : "r9", "r10", "r11", "r12", "cr0", "ctr", "memory");
	return (cr & 0x10000000) ? -r3 : r3; /* CR0[SO] */
}

static void put(const char *s)
{
	long n = 0;

	while (s[n]) {
		n++;
	}
	sys(SYS_WRITE, 1, (long)s, n, 0, 0, 0);
}

static void put_num(u64 v)
{
	char buf[24];
	int i = sizeof(buf) - 1;

	buf[i] = 0;
	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	put(buf + i);
}

#endif
