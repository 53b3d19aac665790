/*
 * nvread: time O_DIRECT reads of a block device for the NVMe bench
 * (tests/bench/run-nvme-bench.py, issue 17).
 *   nvread seq DEV MIB         MIB reads of 1 MiB from offset 0 on
 *   nvread rand DEV MIB COUNT  COUNT reads of 4 KiB at pseudo-random
 *                              4 KiB-aligned offsets below MIB MiB
 * prints "nvread: seq|rand N reads in NS ns" (exit 0) or "nvread: <what>
 * failed: errno E" (exit 1).  One process, no per-read process start:
 * the time is the device's path (driver, DMA window, interrupts).
 * Freestanding like perf-count.c (usys.h); powerpc's O_DIRECT is 0400000.
 */
#include "usys.h"

#define SYS_OPEN 5
#define SYS_PREAD64 179
#define SYS_CLOCK_GETTIME 246
#define O_DIRECT 0400000
#define CLOCK_MONOTONIC 1
#define MIB (1ul << 20)

static unsigned char buf[MIB] __attribute__((aligned(65536)));

struct ts {
	long sec, nsec;
};

static u64 now_ns(void)
{
	struct ts t;

	sys(SYS_CLOCK_GETTIME, CLOCK_MONOTONIC, (long)&t, 0, 0, 0, 0);
	return (u64)t.sec * 1000000000ul + (u64)t.nsec;
}

static u64 num(const char *s)
{
	u64 v = 0;

	while (*s >= '0' && *s <= '9') {
		v = v * 10 + (u64)(*s++ - '0');
	}
	return v;
}

static void fail(const char *what, long err)
{
	put("nvread: ");
	put(what);
	put(" failed: errno ");
	put_num((u64)-err);
	put("\n");
	sys(SYS_EXIT, 1, 0, 0, 0, 0, 0);
}

static int run(int argc, char **argv)
{
	u64 mib, n, size, t0, t1, x = 0x9e3779b97f4a7c15ul;
	int rnd;
	long fd, r;

	if (argc < 4) {
		put("usage: nvread seq DEV MIB | rand DEV MIB COUNT\n");
		return 2;
	}
	rnd = argv[1][0] == 'r';
	mib = num(argv[3]);
	n = rnd ? (argc > 4 ? num(argv[4]) : 0) : mib;
	size = rnd ? 4096 : MIB;
	fd = sys(SYS_OPEN, (long)argv[2], O_DIRECT, 0, 0, 0, 0);
	if (fd < 0) {
		fail("open", fd);
	}
	t0 = now_ns();
	for (u64 i = 0; i < n; i++) {
		u64 off = i * MIB;

		if (rnd) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			off = (x % (mib * 256)) * 4096;
		}
		r = sys(SYS_PREAD64, fd, (long)buf, (long)size, (long)off, 0,
			0);
		if (r != (long)size) {
			fail("pread", r < 0 ? r : -5);
		}
	}
	t1 = now_ns();
	put("nvread: ");
	put(rnd ? "rand " : "seq ");
	put_num(n);
	put(" reads in ");
	put_num(t1 - t0);
	put(" ns\n");
	return 0;
}

/*
 * The entry point: the kernel sets r1 (argc, then the argument pointers)
 * and nothing else, so find the TOC (r2) from our own address, pass the
 * stack pointer and call nvread().
 */
__asm__(".text\n"
	".globl _start\n"
	"_start:\n"
	"	bcl 20,31,1f\n"
	"1:	mflr 12\n"
	"	addis 2,12,(.TOC.-1b)@ha\n"
	"	addi 2,2,(.TOC.-1b)@l\n"
	"	mr 3,1\n"
	"	li 0,0\n"
	"	stdu 0,-64(1)\n"
	"	bl nvread\n"
	"	nop\n");

void nvread(long *sp) __attribute__((noreturn));
void nvread(long *sp)
{
	sys(SYS_EXIT, run((int)sp[0], (char **)(sp + 1)), 0, 0, 0, 0, 0);
	for (;;) {
	}
}
