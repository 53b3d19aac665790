/*
 * memstress ROUNDS CHILDREN MIB: a memory stress for the initramfs (issue
 * 15: a hash partition's page table under fork, touch and free).  Each
 * round the parent fills a 16 MiB buffer with a pattern and forks
 * CHILDREN children; each child first overwrites the shared buffer (copy
 * on write: the parent's pages must stay as they were), then maps MIB MiB
 * of anonymous memory, writes a word of its own into every 4 KiB, reads
 * them all back, unmaps it and exits with the number of wrong words.  The
 * parent waits for all of them and checks its buffer.  In the end:
 *   memstress: R rounds of C x M MiB in T ms, E errors
 * (exit 0 only with no error), or "memstress: <what> failed: errno E".
 *
 * Freestanding like perf-count.c (no ppc64el C library in the build): raw
 * system calls with the numbers of Linux's
 * arch/powerpc/kernel/syscalls/syscall.tbl.
 */
#include "usys.h"

#define SYS_FORK 2
#define SYS_MMAP 90
#define SYS_MUNMAP 91
#define SYS_WAIT4 114
#define SYS_CLOCK_GETTIME 246

#define PROT_RW 3           /* PROT_READ | PROT_WRITE */
#define MAP_PRIVATE_ANON 0x22 /* MAP_PRIVATE | MAP_ANONYMOUS */
#define CLOCK_MONOTONIC 1
#define PAGE 4096ul
#define SHARED_BYTES (16ul << 20)

static void __attribute__((noreturn)) quit(long code)
{
	sys(SYS_EXIT, code, 0, 0, 0, 0, 0);
	for (;;) {
	}
}

static void __attribute__((noreturn)) fail(const char *what, long err)
{
	put("memstress: ");
	put(what);
	put(" failed: errno ");
	put_num((u64)-err);
	put("\n");
	quit(2);
}

static u64 parse(const char *s)
{
	u64 v = 0;

	while (*s >= '0' && *s <= '9') {
		v = v * 10 + (u64)(*s++ - '0');
	}
	return v;
}

static u64 now_ms(void)
{
	long ts[2] = { 0, 0 };

	sys(SYS_CLOCK_GETTIME, CLOCK_MONOTONIC, (long)ts, 0, 0, 0, 0);
	return (u64)ts[0] * 1000 + (u64)ts[1] / 1000000;
}

static u64 *map(u64 bytes)
{
	long p = sys(SYS_MMAP, 0, (long)bytes, PROT_RW, MAP_PRIVATE_ANON, -1,
		     0);

	if (p < 0 && p > -4096) {
		fail("mmap", p);
	}
	return (u64 *)p;
}

static u64 word(u64 who, u64 i)
{
	return (who << 40) ^ (i * 0x9e3779b97f4a7c15ul) ^ 0x5a5a;
}

/* A child's work: the shared buffer written, then its own memory. */
static void child(u64 *shared, u64 id, u64 mib)
{
	u64 bytes = mib << 20, n = bytes / PAGE, bad = 0, *mem;

	for (u64 i = 0; i < SHARED_BYTES / PAGE; i++) {
		shared[i * PAGE / 8] = ~0ul - id;
	}
	mem = map(bytes);
	for (u64 i = 0; i < n; i++) {
		mem[i * PAGE / 8] = word(id, i);
	}
	for (u64 i = 0; i < n; i++) {
		bad += mem[i * PAGE / 8] != word(id, i);
	}
	for (u64 i = 0; i < SHARED_BYTES / PAGE; i++) {
		bad += shared[i * PAGE / 8] != ~0ul - id;
	}
	sys(SYS_MUNMAP, (long)mem, (long)bytes, 0, 0, 0, 0);
	quit(bad > 255 ? 255 : (long)bad);
}

/*
 * The entry point: the kernel sets r1 (argc, then the argument pointers)
 * and nothing else, so find the TOC (r2) from our own address, pass the
 * stack pointer and call memstress().
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
	"	bl memstress\n"
	"	nop\n");

void memstress(long *sp) __attribute__((noreturn));
void memstress(long *sp)
{
	char **argv = (char **)(sp + 1);
	u64 rounds, children, mib, errors = 0, start, *shared;

	if (sp[0] != 4) {
		put("usage: memstress ROUNDS CHILDREN MIB\n");
		quit(2);
	}
	rounds = parse(argv[1]);
	children = parse(argv[2]);
	mib = parse(argv[3]);
	start = now_ms();
	shared = map(SHARED_BYTES);
	for (u64 r = 0; r < rounds; r++) {
		for (u64 i = 0; i < SHARED_BYTES / PAGE; i++) {
			shared[i * PAGE / 8] = word(r, i);
		}
		for (u64 c = 0; c < children; c++) {
			long pid = sys(SYS_FORK, 0, 0, 0, 0, 0, 0);

			if (pid < 0) {
				fail("fork", pid);
			}
			if (pid == 0) {
				child(shared, r * children + c, mib);
			}
		}
		for (u64 c = 0; c < children; c++) {
			int status = 0;
			long pid = sys(SYS_WAIT4, -1, (long)&status, 0, 0, 0,
				       0);

			if (pid < 0) {
				fail("wait4", pid);
			}
			/* Exited normally with 0: (status & 0x7f) == 0. */
			if ((status & 0x7f) || ((status >> 8) & 0xff)) {
				errors += (status & 0x7f) ? 1 :
					  (u64)((status >> 8) & 0xff);
			}
		}
		for (u64 i = 0; i < SHARED_BYTES / PAGE; i++) {
			errors += shared[i * PAGE / 8] != word(r, i);
		}
	}
	put("memstress: ");
	put_num(rounds);
	put(" rounds of ");
	put_num(children);
	put(" x ");
	put_num(mib);
	put(" MiB in ");
	put_num(now_ms() - start);
	put(" ms, ");
	put_num(errors);
	put(" errors\n");
	quit(errors ? 1 : 0);
}
