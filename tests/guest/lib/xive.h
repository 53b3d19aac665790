/*
 * XIVE exploitation from a test partition (PAPR H_INT_*; QEMU 7.2
 * hw/intc/spapr_xive.c, Linux arch/powerpc/sysdev/xive/spapr.c): the OS
 * view of the TIMA found in the tree, event queues drained by generation
 * bit, sources with their ESB pages.  Device values are big-endian.
 */
#ifndef TESTS_GUEST_LIB_XIVE_H
#define TESTS_GUEST_LIB_XIVE_H

#include "hv/lib/types.h"

#define XIVE_SRC_LSI (1ul << 2)
#define XIVE_SRC_H_INT_ESB (1ul << 3)
#define XIVE_SRC_SET_EISN (1ul << 1)
#define XIVE_SRC_MASK (1ul << 0)
#define XIVE_END_ALWAYS_NOTIFY (1ul << 0)

#define XIVE_ESB_LOAD_EOI 0x000
#define XIVE_ESB_GET 0x800
#define XIVE_ESB_SET_PQ_00 0xc00
#define XIVE_ESB_SET_PQ_01 0xd00

#define XIVE_TM_QW1_OS 0x10
#define XIVE_TM_CPPR 0x1
#define XIVE_TM_SPC_ACK_OS_REG 0x810
#define XIVE_TM_NSR_EO 0x80

struct xive_src {
	uint64_t eoi, trig; /* guest real addresses of the ESB pages */
	uint64_t flags;
	uint32_t shift;
};

struct xive_queue {
	uint32_t *page;
	uint32_t entries;
	uint32_t idx;
	uint32_t toggle;
	uint32_t flips; /* generation flips seen */
};

/*
 * In a hash partition a guest real address outside memory is reached
 * only through an HPTE of its own: the pages the helpers below learn of
 * (the OS TIMA page, each source's ESB pages) are entered with H_ENTER as
 * 64 KiB cache-inhibited pages at an effective address equal to their
 * guest real address (one 1 TiB segment per 1 TiB, in SLB slots 1-2), and
 * each access runs with MSR[DR] = 1 for that one instruction.  Radix
 * partitions (and QEMU runs without CAS) keep real-mode accesses.
 */
extern bool xive_via_hpt;

/** MSR with DR for an access to `a` (its segment put in the SLB). */
uint64_t xive_hpt_msr(uint64_t a);

static inline uint64_t mmio_ld64(uint64_t a)
{
	uint64_t v, m;

	if (xive_via_hpt) {
		m = xive_hpt_msr(a);
		__asm__ volatile("mfmsr 0; mtmsrd %2; isync; ldbrx %0,0,%1; "
				 "eieio; mtmsrd 0; isync"
				 : "=&r"(v) : "r"(a), "r"(m) : "r0", "memory");
		return v;
	}
	__asm__ volatile("ldbrx %0,0,%1; eieio" : "=r"(v) : "r"(a) : "memory");
	return v;
}

static inline uint16_t mmio_ld16(uint64_t a)
{
	uint16_t v;
	uint64_t m;

	if (xive_via_hpt) {
		m = xive_hpt_msr(a);
		__asm__ volatile("mfmsr 0; mtmsrd %2; isync; lhbrx %0,0,%1; "
				 "eieio; mtmsrd 0; isync"
				 : "=&r"(v) : "r"(a), "r"(m) : "r0", "memory");
		return v;
	}
	__asm__ volatile("lhbrx %0,0,%1; eieio" : "=r"(v) : "r"(a) : "memory");
	return v;
}

static inline void mmio_st64(uint64_t a, uint64_t v)
{
	uint64_t m;

	if (xive_via_hpt) {
		m = xive_hpt_msr(a);
		__asm__ volatile("mfmsr 0; mtmsrd %2; isync; sync; "
				 "stdbrx %0,0,%1; mtmsrd 0; isync"
				 ::"r"(v), "r"(a), "r"(m) : "r0", "memory");
		return;
	}
	__asm__ volatile("sync; stdbrx %0,0,%1" ::"r"(v), "r"(a) : "memory");
}

static inline void mmio_st8(uint64_t a, uint8_t v)
{
	uint64_t m;

	if (xive_via_hpt) {
		m = xive_hpt_msr(a);
		__asm__ volatile("mfmsr 0; mtmsrd %2; isync; sync; "
				 "stb %0,0(%1); mtmsrd 0; isync"
				 ::"r"(v), "b"(a), "r"(m) : "r0", "memory");
		return;
	}
	__asm__ volatile("sync; stb %0,0(%1)" ::"r"(v), "r"(a) : "memory");
}

/**
 * Enter the 64 KiB page holding guest real `a` for the accesses above
 * (nothing in a radix partition).  Returns the H_ENTER status.
 */
long xive_map_page(uint64_t a);

/** The OS TIMA page from the ibm,power-ivpe node; 0 when there is none. */
uint64_t xive_tima_os(void);

/** Set this vCPU's OS CPPR through the TIMA. */
void xive_set_cppr(uint8_t cppr);

/** ACK_OS_REG: NSR << 8 | CPPR; raises CPPR to the presented priority. */
uint16_t xive_ack(void);

/**
 * Give vCPU `hwid`'s queue `prio` the zeroed page `page` of 2^`shift`
 * bytes (H_INT_GET_QUEUE_INFO, then H_INT_SET_QUEUE_CONFIG with
 * ALWAYS_NOTIFY).  Returns the hcall status of the first failure.
 */
long xive_queue_setup(struct xive_queue *q, uint32_t hwid, int prio,
		      uint32_t *page, uint32_t shift);

/**
 * The next event of `q`, or -1 when it is empty (entry's generation bit
 * equal to the queue's toggle).  Data is the EISN, without the bit.
 */
long xive_queue_pop(struct xive_queue *q);

/** H_INT_GET_SOURCE_INFO into `s`; trig falls back to the EOI page. */
long xive_source_info(struct xive_src *s, uint64_t lisn);

/** Trigger a source through its trigger page. */
static inline void xive_trigger(const struct xive_src *s)
{
	mmio_st64(s->trig, 0);
}

/** Load-EOI through the management page. */
static inline void xive_eoi(const struct xive_src *s)
{
	(void)mmio_ld64(s->eoi + XIVE_ESB_LOAD_EOI);
}

#endif /* TESTS_GUEST_LIB_XIVE_H */
