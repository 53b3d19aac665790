/*
 * perf-count: count the user-space instructions of a loop of known length
 * with perf_event_open(2) (PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS)
 * and print "perf-count: instructions N for a loop of M" (exit 0), or
 * "perf-count: <what> failed: errno E" (exit 1).  tests/linux/init runs it
 * as the perf-instructions check (issue 20: a partition's PMU).
 *
 * There is no ppc64el C library in the build, so it is freestanding: raw
 * system calls (`sc`, r0 = number, r3..r8 arguments, CR0[SO] set on error
 * with the errno in r3; numbers from Linux's
 * arch/powerpc/kernel/syscalls/syscall.tbl) and the perf ABI constants of
 * include/uapi/linux/perf_event.h, with powerpc's _IO() encoding (the
 * "none" direction is 1 << 29).  Built with -nostdlib -static.
 */
#include "usys.h"

#define SYS_READ 3
#define SYS_IOCTL 54
#define SYS_PERF_EVENT_OPEN 319

#define PERF_TYPE_HARDWARE 0
#define PERF_COUNT_HW_INSTRUCTIONS 1
#define ATTR_DISABLED (1ul << 0)
#define ATTR_EXCLUDE_KERNEL (1ul << 5)
#define ATTR_EXCLUDE_HV (1ul << 6)
#define PPC_IO(type, nr) ((1u << 29) | ((type) << 8) | (nr))
#define PERF_EVENT_IOC_ENABLE PPC_IO('$', 0)
#define PERF_EVENT_IOC_DISABLE PPC_IO('$', 1)
#define PERF_EVENT_IOC_RESET PPC_IO('$', 3)

#define LOOPS 1000000ul
#define LOOP_INSNS 3 /* addi, cmpdi, bne */

/* PERF_ATTR_SIZE_VER0: the first 64 bytes of struct perf_event_attr. */
struct perf_attr {
	u32 type;
	u32 size;
	u64 config;
	u64 sample_period;
	u64 sample_type;
	u64 read_format;
	u64 flags; /* disabled, inherit, ..., exclude_kernel, exclude_hv, ... */
	u32 wakeup_events;
	u32 bp_type;
	u64 bp_addr;
};

static void fail(const char *what, long err)
{
	put("perf-count: ");
	put(what);
	put(" failed: errno ");
	put_num((u64)-err);
	put("\n");
	sys(SYS_EXIT, 1, 0, 0, 0, 0, 0);
}

/*
 * The entry point: the kernel sets r1 (argc and the vectors above it) and
 * nothing else, so find the TOC (r2) from our own address, leave a frame,
 * and call perf_count().
 */
__asm__(".text\n"
	".globl _start\n"
	"_start:\n"
	"	bcl 20,31,1f\n"
	"1:	mflr 12\n"
	"	addis 2,12,(.TOC.-1b)@ha\n"
	"	addi 2,2,(.TOC.-1b)@l\n"
	"	li 0,0\n"
	"	stdu 0,-64(1)\n"
	"	bl perf_count\n"
	"	nop\n");

void perf_count(void) __attribute__((noreturn));
void perf_count(void)
{
	struct perf_attr attr = {
		.type = PERF_TYPE_HARDWARE,
		.size = sizeof(attr),
		.config = PERF_COUNT_HW_INSTRUCTIONS,
		.flags = ATTR_DISABLED | ATTR_EXCLUDE_KERNEL | ATTR_EXCLUDE_HV,
	};
	u64 count = 0, n = LOOPS;
	long fd, rc;

	/* pid 0 (this task), cpu -1 (any), no group, no flags. */
	fd = sys(SYS_PERF_EVENT_OPEN, (long)&attr, 0, -1, -1, 0, 0);
	if (fd < 0) {
		fail("perf_event_open", fd);
	}
	sys(SYS_IOCTL, fd, PERF_EVENT_IOC_RESET, 0, 0, 0, 0);
	rc = sys(SYS_IOCTL, fd, PERF_EVENT_IOC_ENABLE, 0, 0, 0, 0);
	if (rc < 0) {
		fail("PERF_EVENT_IOC_ENABLE", rc);
	}
	__asm__ volatile("1: addi %0,%0,-1\n\tcmpdi %0,0\n\tbne 1b"
			 : "+r"(n)
			 :
			 : "cr0");
	sys(SYS_IOCTL, fd, PERF_EVENT_IOC_DISABLE, 0, 0, 0, 0);
	rc = sys(SYS_READ, fd, (long)&count, sizeof(count), 0, 0, 0);
	if (rc != sizeof(count)) {
		fail("read", rc < 0 ? rc : -5);
	}
	put("perf-count: instructions ");
	put_num(count);
	put(" for a loop of ");
	put_num(LOOPS * LOOP_INSNS);
	put("\n");
	sys(SYS_EXIT, 0, 0, 0, 0, 0, 0);
	for (;;) {
	}
}
