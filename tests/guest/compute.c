/*
 * Guest-compute benchmark payload (issue 21): what a guest's own work
 * costs where it runs, apart from any hypervisor call.  One vCPU builds
 * its own process-scoped radix tree of 4 KiB pages (H_REGISTER_PROC_TBL,
 * identity over [0, REGION_BASE + region)), turns data translation on
 * (MSR[DR]; instructions stay real) and times with the timebase:
 *   compute-touch    the first write of every page of the region
 *   compute-strided  passes over the region, one read-modify-write per
 *                    4 KiB page at a moving offset (a new translation
 *                    for every access once the region outgrows the TLB)
 *   compute-random   read-modify-writes at pseudo-random pages
 *   compute-alu      integer work in registers, no memory
 * then prints COMPUTE-DONE and BENCH lines as bench.c does (name,
 * iterations, ticks, Hz).  Two seconds without an hcall follow each
 * marker (settle()).  Sizes from /chosen/bootargs: mib= (region, default
 * 16), passes=, randoms= and alu= (iterations).  No hcall is made between
 * COMPUTE-START and COMPUTE-DONE, so every exit a hypervisor takes in
 * between is its own (tests/bench/run-compute-bench.py reads them).
 *
 * Built twice from this one file: compute.bin, a pSeries partition's
 * payload (lparvisor, -M pseries, KVM-HV), and compute-bare.bin with
 * -DGUEST_BARE on the bare library of tests/guest/bare/, which skiboot
 * starts in hypervisor state on the PowerNV host with no hypervisor
 * below.  The only difference is how the process table is put in use
 * (use_process_table()); tree, phases and timing are the same code.
 */
#include "hv/abi/hcall.h"
#include "hv/abi/spr.h"
#include "hv/lib/string.h"
#include "hv/lib/types.h"
#include "tests/guest/lib/console.h"
#include "tests/guest/lib/dt.h"
#include "tests/guest/lib/guest.h"
#include "tests/guest/lib/hcall.h"
#include "tests/guest/lib/ppc.h"
#include "tests/guest/lib/report.h"
#include "tests/guest/lib/timebase.h"

const char test_name[] = "compute";

#define SZ_4K_ 0x1000ull
#define SZ_2M_ 0x200000ull
#define MIB (1ull << 20)
/* Page tables in [32 MiB, 64 MiB), the region from 64 MiB up. */
#define PT_BASE (32 * MIB)
#define PT_END (64 * MIB)
#define REGION_BASE (64 * MIB)
#define MAX_MIB 1024ul
#define MAX_COUNT 100000000ul

/* Process-scoped radix, ISA 3.0: a 52-bit tree, root of 2^13 entries. */
#define RPTE_V 0x8000000000000000ull
#define RPTE_L 0x4000000000000000ull
#define RPTE_R 0x100ull
#define RPTE_C 0x80ull
#define RPTE_PRIV 0x8ull
#define RPTE_RWX 0x7ull
#define RTS_52 ((2ull << 61) | (5ull << 5))
#define ROOT_BITS 13
#define LEVEL_BITS 9

static uint64_t pt_next = PT_BASE;

static unsigned long count_arg(const char *key, unsigned long dflt,
			       unsigned long max)
{
	const char *v = dt_bootarg(key);
	unsigned long n;
	char *end;

	if (!v) {
		return dflt;
	}
	n = strtoul(v, &end, 10);
	if (end == v || (*end != ' ' && *end != '\0') || n == 0 || n > max) {
		return dflt;
	}
	return n;
}

static void result(const char *name, unsigned long n, uint64_t ticks)
{
	printf("BENCH %s %lu %lu %lu\n", name, n, ticks, tb_freq());
}

/* A zeroed table of `size` bytes, aligned to it (real mode: addr = ptr). */
static be64 *table(uint64_t size)
{
	uint64_t at = (pt_next + size - 1) & ~(size - 1);

	if (at + size > PT_END) {
		return NULL;
	}
	pt_next = at + size;
	memset((void *)(uintptr_t)at, 0, size);
	return (be64 *)(uintptr_t)at;
}

static be64 *next_level(be64 *slot)
{
	be64 *t;

	if (*slot) {
		return (be64 *)(uintptr_t)(be64_to_cpu(*slot) &
					   0x0fffffffffffff00ull);
	}
	t = table(SZ_4K_);
	if (t) {
		*slot = cpu_to_be64(RPTE_V | (uintptr_t)t | LEVEL_BITS);
	}
	return t;
}

/* Identity map [0, top) with 4 KiB pages; the root, or NULL. */
static be64 *build_tree(uint64_t top)
{
	be64 *root = table(8ull << ROOT_BITS);

	if (!root) {
		return NULL;
	}
	for (uint64_t a = 0; a < top; a += SZ_2M_) {
		be64 *l2 = next_level(&root[(a >> 39) & ((1u << ROOT_BITS) - 1)]);
		be64 *l3 = l2 ? next_level(&l2[(a >> 30) & 511]) : NULL;
		be64 *pte = l3 ? next_level(&l3[(a >> 21) & 511]) : NULL;

		if (!pte) {
			return NULL;
		}
		for (unsigned i = 0; i < 512; i++) {
			uint64_t pa = a + (uint64_t)i * SZ_4K_;

			pte[i] = cpu_to_be64(RPTE_V | RPTE_L | pa | RPTE_R |
					     RPTE_C | RPTE_PRIV | RPTE_RWX);
		}
	}
	return root;
}

#ifdef GUEST_BARE
/* Radix partition-table entry, dword 0: host radix (HR). */
#define PATE_HR 0x8000000000000000ull
#define LPCR_HR 0x0000000000100000ull
#define LPCR_UPRT 0x0000000000400000ull

/*
 * Hypervisor state, no hypervisor below: the partition table (PTCR, 4 KiB,
 * LPID 0 only) says radix and names the process table, whose entry 0
 * (PIDR 0, quadrant 0) is `root`; LPCR[HR|UPRT] make MSR[DR]=1 accesses
 * of the hypervisor itself go through it; every old translation is then
 * invalidated.  Returns 0, or -1 when the table does not fit.
 */
static long use_process_table(be64 *proc_tbl, be64 *root)
{
	be64 *patb = table(SZ_4K_);

	if (!patb) {
		return -1;
	}
	patb[0] = cpu_to_be64(PATE_HR | RTS_52 | (uintptr_t)root | ROOT_BITS);
	patb[1] = cpu_to_be64((uintptr_t)proc_tbl); /* PRTS 0: 4 KiB */
	__asm__ volatile("ptesync" : : : "memory");
	mtspr(SPRN_PTCR, (uintptr_t)patb);
	mtspr(SPRN_LPCR, mfspr(SPRN_LPCR) | LPCR_HR | LPCR_UPRT);
	/* tlbie IS=3 (everything), RIC=2, PRS=1, R=1 */
	__asm__ volatile(".machine push\n\t.machine power9\n\t"
			 "isync\n\ttlbie %0, %1, 2, 1, 1\n\t"
			 "eieio\n\ttlbsync\n\tptesync\n\t.machine pop"
			 : : "r"(3ull << 10), "r"(0ull) : "memory");
	return 0;
}
#else
/* In a partition: the hypervisor puts the table in use. */
static long use_process_table(be64 *proc_tbl, be64 *root)
{
	(void)root;
	return hcall(H_REGISTER_PROC_TBL, PROC_TABLE_NEW | PROC_TABLE_RADIX |
						  PROC_TABLE_GTSE,
		     (uint64_t)(uintptr_t)proc_tbl, 0, 0);
}
#endif

/*
 * The platform the payload runs on, for the log: skiboot's or QEMU's
 * pseries root compatible, and under KVM QEMU's /hypervisor node.
 */
static void say_platform(void)
{
	int hv = dt_path("/hypervisor");
	const char *root = dt_prop_str(dt_path("/"), "compatible");
	const char *under = hv >= 0 ? dt_prop_str(hv, "compatible") : NULL;

	printf("compute: platform %s, hypervisor %s\n", root ? root : "?",
	       under ? under : "none named");
}

static void data_translation(bool on)
{
	uint64_t msr = mfmsr();

	msr = on ? msr | MSR_DR : msr & ~(uint64_t)MSR_DR;
	__asm__ volatile("mtmsrd %0\n\tisync" : : "r"(msr) : "memory");
}

static uint64_t xorshift(uint64_t x)
{
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return x;
}

static uint64_t sink;

/*
 * A decrementer that expires with MSR[EE]=0 stays pending, and QEMU then
 * leaves its translated code at every block: each timed loop keeps it
 * far away (2^31 - 1 ticks, 4 s at 512 MHz), on both machines.
 */
#define DEC_FAR 0x7fffffffu
#define SETTLE_MS 2000

/*
 * Two seconds of spinning, no hcall, after COMPUTE-START and after
 * COMPUTE-DONE: the bench reads the partition's exit count from the
 * service console meanwhile, so that the count between the two reads
 * holds the timed part's exits and nothing else but the one console
 * hcall of the COMPUTE-DONE line.
 */
static void settle(void)
{
	uint64_t end = tb_now() + tb_from_ms(SETTLE_MS);

	while (tb_now() < end) {
		mtdec(DEC_FAR);
	}
}

void test_main(void)
{
	unsigned long mib = count_arg("mib", 16, MAX_MIB);
	unsigned long passes = count_arg("passes", 2, MAX_COUNT);
	unsigned long randoms = count_arg("randoms", 100000, MAX_COUNT);
	unsigned long alu = count_arg("alu", 1000000, MAX_COUNT);
	uint64_t pages = (uint64_t)mib * MIB / SZ_4K_;
	uint64_t top = REGION_BASE + (uint64_t)mib * MIB;
	volatile uint64_t *region = (volatile uint64_t *)(uintptr_t)REGION_BASE;
	uint64_t t0, x = 0x9e3779b97f4a7c15ull, acc = 0, ticks[4];
	be64 *proc_tbl, *root;
	long rc;

	/* A power of two of pages, for the random walk's mask. */
	while (pages & (pages - 1)) {
		pages &= pages - 1;
	}
	proc_tbl = table(SZ_4K_); /* table size field 0: 2^12 bytes */
	root = build_tree(top);
	if (!proc_tbl || !root) {
		report(false, "page tables for %lu MiB fit below 64 MiB", mib);
		return;
	}
	proc_tbl[0] = cpu_to_be64(RTS_52 | (uintptr_t)root | ROOT_BITS);
	proc_tbl[1] = 0;
	sync();
	say_platform();
	rc = use_process_table(proc_tbl, root);
	if (rc != H_SUCCESS) {
		report(false, "radix process table in use: %ld", rc);
		return;
	}
	mtspr(SPRN_PIDR, 0);
	printf("COMPUTE-START %lu MiB of 4 KiB pages\n", mib);
	settle();

	data_translation(true);
	mtdec(DEC_FAR);
	t0 = tb_now();
	for (uint64_t p = 0; p < pages; p++) {
		region[p * (SZ_4K_ / 8)] = p;
	}
	ticks[0] = tb_now() - t0;

	t0 = tb_now();
	for (unsigned long pass = 0; pass < passes; pass++) {
		uint64_t off = (pass * 8) % (SZ_4K_ / 8);

		mtdec(DEC_FAR);
		for (uint64_t p = 0; p < pages; p++) {
			region[p * (SZ_4K_ / 8) + off] += pass;
		}
	}
	ticks[1] = tb_now() - t0;

	t0 = tb_now();
	for (unsigned long i = 0; i < randoms; i++) {
		if (!(i & 0xffff)) {
			mtdec(DEC_FAR);
		}
		x = xorshift(x);
		region[(x & (pages - 1)) * (SZ_4K_ / 8) + (x >> 58)] += i;
	}
	ticks[2] = tb_now() - t0;

	mtdec(DEC_FAR);
	t0 = tb_now();
	for (unsigned long i = 0; i < alu; i++) {
		if (!(i & 0xfffff)) {
			mtdec(DEC_FAR);
		}
		x = xorshift(x);
		acc += x * 0x2545f4914f6cdd1dull + (acc >> 3);
		/* Kept between the two timebase reads, not moved past them. */
		__asm__ volatile("" : "+r"(x), "+r"(acc));
	}
	sink = acc;
	ticks[3] = tb_now() - t0;
	data_translation(false);

	/* Printed after the timed part: the console is an hcall. */
	printf("COMPUTE-DONE\n");
	settle();
	result("compute-touch", pages, ticks[0]);
	result("compute-strided", passes * pages, ticks[1]);
	result("compute-random", randoms, ticks[2]);
	result("compute-alu", alu, ticks[3]);
	report(region == (volatile uint64_t *)(uintptr_t)REGION_BASE,
	       "compute benchmark ran (%lu MiB)", mib);
}
