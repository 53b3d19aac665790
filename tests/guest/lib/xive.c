/*
 * XIVE exploitation helpers for test partitions (lib/xive.h).
 */
#include <libfdt.h>

#include "hv/abi/hcall.h"
#include "hv/lib/string.h"
#include "tests/guest/lib/dt.h"
#include "tests/guest/lib/hcall.h"
#include "tests/guest/lib/lock.h"
#include "tests/guest/lib/ppc.h"
#include "tests/guest/lib/xive.h"

#define SEG_1T_SHIFT 40
#define SLB_B_1T (1ull << 62)
#define SLB_VSID_SHIFT_1T 24
#define SLB_L_64K 0x110ull        /* SLB L=1, LP=01: 64 KiB base pages */
#define SLB_ESID_V 0x08000000ull
#define HPTE_1T (1ull << 62)
#define HPTE_LARGE 0x4ull
#define HPTE_SECONDARY 0x2ull
#define HPTE_VALID 0x1ull
#define HPTE_LP_64K 0x1000ull     /* RPN bit 12: LP 0001, a 64 KiB page */
#define HPTE_CI 0x28ull           /* WIMG I|G, as Linux's ioremap() */
#define HPTE_PP_RW 0x2ull
#define VSID_BASE 0x200000ull     /* not the VRMA's 0x1ffffff */
#define MAPPED_MAX 64

static uint64_t tima;
bool xive_via_hpt;
static int hash_known; /* 0: not looked yet, 1: radix, 2: hash */
static uint64_t ptegs;
static uint64_t mapped[MAPPED_MAX];
static uint32_t nmapped;
static struct spinlock map_lock;

/* A hash partition tells so in its tree: no radix bit in OV5 byte 24. */
static bool hash_partition(void)
{
	const uint8_t *ov5, *pft;
	int len, plen, cpus;

	if (hash_known) {
		return hash_known == 2;
	}
	hash_known = 1;
	ov5 = dt_prop(dt_path("/chosen"), "ibm,architecture-vec-5", &len);
	cpus = dt_path("/cpus");
	pft = cpus >= 0 ? dt_prop(fdt_first_subnode(dt_fdt(), cpus),
				  "ibm,pft-size", &plen) : NULL;
	if (ov5 && (len <= 24 || !(ov5[24] & 0x40)) && pft && plen == 8 &&
	    pft[7] >= 18 && pft[7] <= 46) {
		ptegs = 1ull << (pft[7] - 7);
		hash_known = 2;
	}
	return hash_known == 2;
}

static uint64_t vsid_of(uint64_t a)
{
	return VSID_BASE + (a >> SEG_1T_SHIFT);
}

uint64_t xive_hpt_msr(uint64_t a)
{
	uint64_t rs = SLB_B_1T | (vsid_of(a) << SLB_VSID_SHIFT_1T) | SLB_L_64K;
	uint64_t rb = (a >> SEG_1T_SHIFT << SEG_1T_SHIFT) | SLB_ESID_V |
		      (1 + ((a >> (SEG_1T_SHIFT + 1)) & 1));

	__asm__ volatile("slbmte %0,%1; isync" ::"r"(rs), "r"(rb) : "memory");
	return mfmsr() | MSR_DR;
}

/* H_ENTER of the 64 KiB page at `page`, primary PTEG then secondary. */
static long enter_page(uint64_t page)
{
	uint64_t vsid = vsid_of(page), off = page & ((1ull << SEG_1T_SHIFT) - 1);
	uint64_t va = (vsid << SEG_1T_SHIFT) | off;
	uint64_t hash = vsid ^ (vsid << 25) ^ (off >> 16);
	uint64_t v = HPTE_1T | ((va >> 23) << 7) | HPTE_LARGE | HPTE_VALID;
	uint64_t r = page | HPTE_LP_64K | HPTE_CI | HPTE_PP_RW;
	long rc = hcall(H_ENTER, 0, (hash & (ptegs - 1)) * 8, v, r);

	if (rc == H_PTEG_FULL) {
		rc = hcall(H_ENTER, 0, (~hash & (ptegs - 1)) * 8,
			   v | HPTE_SECONDARY, r);
	}
	return rc;
}

long xive_map_page(uint64_t a)
{
	uint64_t page = a & ~0xffffull;
	long rc = H_SUCCESS;
	uint32_t i;

	if (!hash_partition()) {
		return H_SUCCESS;
	}
	spin_lock(&map_lock);
	for (i = 0; i < nmapped && mapped[i] != page; i++) {
	}
	if (i == nmapped) {
		rc = nmapped < MAPPED_MAX ? enter_page(page) : H_NO_MEM;
		if (rc == H_SUCCESS) {
			mapped[nmapped++] = page;
		}
	}
	if (rc == H_SUCCESS) {
		xive_via_hpt = true;
	}
	spin_unlock(&map_lock);
	return rc;
}

uint64_t xive_tima_os(void)
{
	const uint32_t *reg;
	int len, node;

	if (tima) {
		return tima;
	}
	node = dt_child_compatible(0, "ibm,power-ivpe");
	if (node < 0) {
		return 0;
	}
	/* reg: the user page, then the OS page; 2 address and 2 size cells. */
	reg = dt_prop(node, "reg", &len);
	if (!reg || len != 32) {
		return 0;
	}
	tima = ((uint64_t)__builtin_bswap32(reg[4]) << 32) |
	       __builtin_bswap32(reg[5]);
	if (xive_map_page(tima) != H_SUCCESS) {
		tima = 0;
	}
	return tima;
}

void xive_set_cppr(uint8_t cppr)
{
	mmio_st8(tima + XIVE_TM_QW1_OS + XIVE_TM_CPPR, cppr);
}

uint16_t xive_ack(void)
{
	return mmio_ld16(tima + XIVE_TM_SPC_ACK_OS_REG);
}

long xive_queue_setup(struct xive_queue *q, uint32_t hwid, int prio,
		      uint32_t *page, uint32_t shift)
{
	struct hcall_rets o;
	long rc;

	memset(page, 0, 1u << shift);
	rc = hcall_out(&o, H_INT_GET_QUEUE_INFO, 0, hwid, prio);
	if (rc != H_SUCCESS) {
		return rc;
	}
	rc = hcall(H_INT_SET_QUEUE_CONFIG, XIVE_END_ALWAYS_NOTIFY, hwid, prio,
		   (uint64_t)(uintptr_t)page, shift);
	if (rc != H_SUCCESS) {
		return rc;
	}
	q->page = page;
	q->entries = (1u << shift) / 4;
	q->idx = 0;
	q->toggle = 0;
	return H_SUCCESS;
}

long xive_queue_pop(struct xive_queue *q)
{
	uint32_t e;

	if (!q->page) {
		return -1;
	}
	e = __builtin_bswap32(q->page[q->idx]);
	if ((e >> 31) == q->toggle) {
		return -1;
	}
	if (++q->idx == q->entries) {
		q->idx = 0;
		q->toggle ^= 1;
		q->flips++;
	}
	return e & 0x7fffffff;
}

long xive_source_info(struct xive_src *s, uint64_t lisn)
{
	struct hcall_rets o;
	long rc = hcall_out(&o, H_INT_GET_SOURCE_INFO, 0, lisn);

	if (rc != H_SUCCESS) {
		return rc;
	}
	s->flags = o.r[0];
	s->eoi = o.r[1];
	s->trig = o.r[2] == ~0ul ? o.r[1] : o.r[2];
	s->shift = (uint32_t)o.r[3];
	if (s->eoi && s->eoi != ~0ul) {
		rc = xive_map_page(s->eoi);
		if (rc == H_SUCCESS && s->trig != s->eoi) {
			rc = xive_map_page(s->trig);
		}
	}
	return rc;
}
