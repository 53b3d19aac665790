/*
 * The fake host XIVE of tests/unit/fake/xive_hw.c: what intc/xive.c asked
 * of the hardware, and switches that make the hardware fail.
 */
#ifndef TESTS_UNIT_FAKE_FAKE_XIVE_H
#define TESTS_UNIT_FAKE_FAKE_XIVE_H

#include "hv/lib/types.h"

#define FAKE_XIVE_IRQS 64
#define FAKE_XIVE_VPS 16
#define FAKE_XIVE_MAPS 256

struct fake_xive_irq {
	bool allocated;
	uint8_t pq;
	uint32_t vp;
	uint8_t prio;
	uint32_t eisn;
	unsigned configs;
	unsigned triggers;
	unsigned mgmt_stores;
	bool lsi;          /* a level source: one ESB page, no trigger page */
	bool asserted;     /* its line held: an EOI load sends it again */
	unsigned eois;     /* EOI loads */
};

struct fake_xive_queue {
	uint64_t page;
	uint32_t shift;
	bool notify;
};

struct fake_xive {
	bool ready;
	bool fail_vps;
	int fail_irq_after; /* -1: never; n: the n+1-th allocation fails */
	bool fail_map;
	unsigned vp_blocks;
	uint32_t vp_order;
	bool vp_enabled[FAKE_XIVE_VPS];
	struct fake_xive_irq irq[FAKE_XIVE_IRQS];
	unsigned irqs_live;
	struct fake_xive_queue queue[FAKE_XIVE_VPS][8];
	unsigned syncs;
	unsigned stray_accesses;
	unsigned pushes, pulls;
	uint32_t pushed_cam;
	uint64_t pushed_w01;
	bool os_pending;
	uint8_t os_cppr;
	unsigned os_acks;
	unsigned maps;
	struct {
		uint64_t gpa, hpa, size;
	} map[FAKE_XIVE_MAPS];
};

extern struct fake_xive fake_xive;

/** Back to a ready XIVE with nothing allocated. */
void fake_xive_reset(void);

#endif /* TESTS_UNIT_FAKE_FAKE_XIVE_H */
