/*
 * XIVE exploitation helpers for test partitions (lib/xive.h).
 */
#include "hv/abi/hcall.h"
#include "hv/lib/string.h"
#include "tests/guest/lib/dt.h"
#include "tests/guest/lib/hcall.h"
#include "tests/guest/lib/xive.h"

static uint64_t tima;

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
	return H_SUCCESS;
}
