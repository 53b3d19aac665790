/*
 * A host XIVE for the handler tests: interrupts with ESB pages at made-up
 * addresses and a PQ state each, VPs, queues and the OS context of one
 * thread, all recorded so tests can see what intc/xive.c asked of the
 * hardware; and lpar_map_io(), recording each mapping.  Failures can be
 * injected.
 */
#include <string.h>

#include "hv/lpar_ops.h"
#include "intc/xive_hw.h"
#include "tests/unit/fake/fake_xive.h"

struct fake_xive fake_xive;

#define ESB_BASE 0x0006010000000000ull
#define VP_BASE 0x41000000u

void fake_xive_reset(void)
{
	memset(&fake_xive, 0, sizeof(fake_xive));
	fake_xive.ready = true;
	fake_xive.fail_irq_after = -1;
}

bool xive_hw_init(void)
{
	return fake_xive.ready;
}

bool xive_hw_ready(void)
{
	return fake_xive.ready;
}

int64_t xive_hw_alloc_vps(uint32_t order, uint32_t *vp_base)
{
	if (fake_xive.fail_vps) {
		return -31;
	}
	fake_xive.vp_blocks++;
	fake_xive.vp_order = order;
	*vp_base = VP_BASE;
	return 0;
}

void xive_hw_free_vps(uint32_t vp_base)
{
	if (vp_base == VP_BASE) {
		fake_xive.vp_blocks--;
	}
}

int64_t xive_hw_enable_vp(uint32_t vp, bool on, uint32_t *cam)
{
	uint32_t i = vp - VP_BASE;

	if (i >= FAKE_XIVE_VPS) {
		return -1;
	}
	fake_xive.vp_enabled[i] = on;
	if (on) {
		*cam = 0x400 + i;
	}
	return 0;
}

int64_t xive_hw_alloc_irq(uint32_t *girq)
{
	if (fake_xive.fail_irq_after == 0) {
		return -1;
	}
	if (fake_xive.fail_irq_after > 0) {
		fake_xive.fail_irq_after--;
	}
	for (uint32_t i = 1; i < FAKE_XIVE_IRQS; i++) {
		if (!fake_xive.irq[i].allocated) {
			memset(&fake_xive.irq[i], 0, sizeof(fake_xive.irq[i]));
			fake_xive.irq[i].allocated = true;
			fake_xive.irq[i].pq = 1; /* allocated masked, as OPAL */
			fake_xive.irqs_live++;
			*girq = i;
			return 0;
		}
	}
	return -1;
}

void xive_hw_free_irq(uint32_t girq)
{
	if (girq < FAKE_XIVE_IRQS && fake_xive.irq[girq].allocated) {
		fake_xive.irq[girq].allocated = false;
		fake_xive.irqs_live--;
	}
}

int64_t xive_hw_irq_info(uint32_t girq, struct xive_hw_irq *info)
{
	if (girq >= FAKE_XIVE_IRQS || !fake_xive.irq[girq].allocated) {
		return -1;
	}
	info->trig_page = ESB_BASE + (uint64_t)girq * 0x20000;
	info->eoi_page = info->trig_page + 0x10000;
	info->shift = 17;
	info->store_eoi = false;
	info->lsi = fake_xive.irq[girq].lsi;
	if (info->lsi) {
		/* As OPAL reports a PHB's LSI: its one page, no trigger. */
		info->trig_page = 0;
		info->shift = 16;
	}
	return 0;
}

int64_t xive_hw_set_irq(uint32_t girq, uint32_t vp, uint8_t prio,
			uint32_t eisn)
{
	struct fake_xive_irq *q;

	if (girq >= FAKE_XIVE_IRQS || !fake_xive.irq[girq].allocated) {
		return -1;
	}
	q = &fake_xive.irq[girq];
	q->vp = vp;
	q->prio = prio;
	q->eisn = eisn;
	q->configs++;
	return 0;
}

int64_t xive_hw_set_queue(uint32_t vp, uint8_t prio, uint64_t qpage,
			  uint32_t qshift, bool always_notify)
{
	uint32_t i = vp - VP_BASE;

	if (i >= FAKE_XIVE_VPS || prio >= 8) {
		return -1;
	}
	fake_xive.queue[i][prio].page = qpage;
	fake_xive.queue[i][prio].shift = qshift;
	fake_xive.queue[i][prio].notify = always_notify;
	return 0;
}

int64_t xive_hw_queue_state(uint32_t vp, uint8_t prio, uint32_t *toggle,
			    uint32_t *index)
{
	(void)vp;
	(void)prio;
	*toggle = 1;
	*index = 7;
	return 0;
}

int64_t xive_hw_sync(uint32_t type, uint32_t id)
{
	(void)type;
	(void)id;
	fake_xive.syncs++;
	return 0;
}

/* The interrupt whose ESB pages hold `addr`, or NULL. */
static struct fake_xive_irq *irq_at(uint64_t addr, uint64_t *off)
{
	uint64_t n = (addr - ESB_BASE) / 0x20000;

	if (addr < ESB_BASE || n >= FAKE_XIVE_IRQS ||
	    !fake_xive.irq[n].allocated) {
		fake_xive.stray_accesses++;
		return NULL;
	}
	*off = (addr - ESB_BASE) % 0x20000;
	return &fake_xive.irq[n];
}

uint64_t xive_hw_esb_load(uint64_t addr)
{
	uint64_t off = 0;
	struct fake_xive_irq *q = irq_at(addr, &off);
	uint8_t old;

	if (!q || off < 0x10000 || (off & 7)) {
		fake_xive.stray_accesses += q != NULL;
		return ~0ull;
	}
	off -= 0x10000;
	old = q->pq;
	if (off >= 0xc00 && off < 0x1000) {
		q->pq = (uint8_t)((off >> 8) & 3);
	} else if (off < 0x400) {
		q->pq = 0; /* load EOI */
		q->eois++;
		if (q->lsi && old == 1) {
			q->pq = 1; /* off stays off (QEMU's xive_esb_eoi) */
		} else if (q->lsi && q->asserted) {
			q->pq = 2; /* the held line sends it again */
			q->triggers++;
		}
	}
	return old;
}

void xive_hw_esb_store(uint64_t addr, uint64_t val)
{
	uint64_t off = 0;
	struct fake_xive_irq *q = irq_at(addr, &off);

	(void)val;
	if (!q) {
		return;
	}
	if (off < 0x10000) {
		q->triggers++;
	} else {
		q->mgmt_stores++;
	}
}

void xive_hw_push_os(uint64_t w01, uint32_t cam)
{
	fake_xive.pushes++;
	fake_xive.pushed_cam = cam;
	fake_xive.pushed_w01 = w01;
}

uint64_t xive_hw_pull_os(void)
{
	fake_xive.pulls++;
	return 0;
}

bool xive_hw_os_pending(void)
{
	return fake_xive.os_pending;
}

uint16_t xive_hw_ack_os(void)
{
	uint16_t v = (uint16_t)((fake_xive.os_pending ? 0x80u : 0u) << 8 |
				fake_xive.os_cppr);

	fake_xive.os_acks++;
	fake_xive.os_pending = false;
	return v;
}

void xive_hw_set_os_cppr(uint8_t cppr)
{
	fake_xive.os_cppr = cppr;
}

uint16_t xive_hw_ack_hv(void)
{
	return 0;
}

uint64_t xive_hw_tima_os_page(void)
{
	return 0x00060302031a0000ull;
}

bool lpar_map_io(struct lpar *l, uint64_t gpa, uint64_t hpa, uint64_t size)
{
	(void)l;
	if (fake_xive.fail_map || fake_xive.maps == FAKE_XIVE_MAPS) {
		return false;
	}
	fake_xive.map[fake_xive.maps].gpa = gpa;
	fake_xive.map[fake_xive.maps].hpa = hpa;
	fake_xive.map[fake_xive.maps].size = size;
	fake_xive.maps++;
	return true;
}
