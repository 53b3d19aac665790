/*
 * Tests for intc/xive.c through hcall_dispatch() and the intc glue, on the
 * fake host XIVE (tests/unit/fake/xive_hw.c): what each H_INT_* call
 * answers to hostile arguments (QEMU 7.2 hw/intc/spapr_xive.c codes),
 * what it programs into the hardware, that a partition reaches only its
 * own ESB pages and memory, and that failures give every resource back.
 * Negative cases first.
 */
#include "intc/intc.h"
#include "hv/abi/layout.h"
#include "intc/xive.h"
#include "intc/xive_hw.h"
#include "hv/spr.h"
#include "tests/unit/fake/fake_xive.h"
#include "tests/unit/fake/guestcall.h"
#include "tests/unit/test.h"

#define MEM_SIZE (64 * SZ_4K)
#define VCPUS 3
/* Device sources: EPOW, hot-plug, the vty and the v-scsi adapter. */
#define NSRC (VCPUS + 4)
#define VP_BASE 0x41000000u
#define Q64K 0x10000ull

static struct lpar *l;
static struct hcall_args a;

static bool setup(void)
{
	fake_reset();
	fake_lpar_intc = CONFIG_INTC_XIVE;
	l = fake_lpar_create("xv", VCPUS, MEM_SIZE);
	return l != NULL && intc_of(l)->xive != NULL;
}

static struct vcpu *cpu(uint32_t i)
{
	return l->vcpus[i];
}

static struct xive_src *src(uint32_t lisn)
{
	for (uint32_t i = 0; i < intc_of(l)->xive->nsrc; i++) {
		if (intc_of(l)->xive->src[i].lisn == lisn) {
			return &intc_of(l)->xive->src[i];
		}
	}
	return NULL;
}

static struct fake_xive_irq *hw(uint32_t lisn)
{
	return &fake_xive.irq[src(lisn)->girq];
}

TEST(xive_hcall, flags_lisns_targets_and_priorities_get_qemu_codes)
{
	static const uint64_t bad_lisns[] = { VCPUS, 0x500, 0x1002, 0x10ff,
					      0x1101, ~0ull, 1ull << 32 };

	REQUIRE(setup());
	for (size_t i = 0; i < ARRAY_SIZE(bad_lisns); i++) {
		uint64_t n = bad_lisns[i];

		CHECK_EQ(HCALL(cpu(0), &a, H_INT_GET_SOURCE_INFO, 0, n), H_P2);
		CHECK_EQ(HCALL(cpu(0), &a, H_INT_SET_SOURCE_CONFIG, 0, n, 0, 5,
			       0), H_P2);
		CHECK_EQ(HCALL(cpu(0), &a, H_INT_GET_SOURCE_CONFIG, 0, n), H_P2);
		CHECK_EQ(HCALL(cpu(0), &a, H_INT_ESB, 0, n, 0x800, 0), H_P2);
		CHECK_EQ(HCALL(cpu(0), &a, H_INT_SYNC, 0, n), H_P2);
	}
	CHECK_EQ(HCALL(cpu(0), &a, H_INT_GET_SOURCE_INFO, 1, 0), H_PARAMETER);
	CHECK_EQ(HCALL(cpu(0), &a, H_INT_SET_SOURCE_CONFIG, 4, 0, 0, 5, 0),
		 H_PARAMETER);
	CHECK_EQ(HCALL(cpu(0), &a, H_INT_SET_SOURCE_CONFIG, 0, 0, VCPUS, 5, 0),
		 H_P3);
	CHECK_EQ(HCALL(cpu(0), &a, H_INT_SET_SOURCE_CONFIG, 0, 0, ~0ull, 5, 0),
		 H_P3);
	CHECK_EQ(HCALL(cpu(0), &a, H_INT_SET_SOURCE_CONFIG, 0, 0, 0, 7, 0),
		 H_P4);
	CHECK_EQ(HCALL(cpu(0), &a, H_INT_SET_SOURCE_CONFIG, 0, 0, 0, 0x100, 0),
		 H_P4);
	CHECK_EQ(HCALL(cpu(0), &a, H_INT_GET_QUEUE_INFO, 0, 0, 7), H_P3);
	CHECK_EQ(HCALL(cpu(0), &a, H_INT_GET_QUEUE_INFO, 0, VCPUS, 6), H_P2);
	CHECK_EQ(HCALL(cpu(0), &a, H_INT_SET_QUEUE_CONFIG, 2, 0, 6, 0, 16),
		 H_PARAMETER);
	CHECK_EQ(HCALL(cpu(0), &a, H_INT_GET_QUEUE_CONFIG, 2, 0, 6),
		 H_PARAMETER);
	CHECK_EQ(HCALL(cpu(0), &a, H_INT_ESB, 2, 0, 0, 0), H_PARAMETER);
	CHECK_EQ(HCALL(cpu(0), &a, H_INT_RESET, 1), H_PARAMETER);
	CHECK_EQ(HCALL(cpu(0), &a, H_INT_SET_OS_REPORTING_LINE, 0, 0),
		 H_FUNCTION);
	/* Nothing reached the hardware but the allocation-time set-up. */
	for (uint32_t n = 0; n < VCPUS; n++) {
		CHECK_EQ(hw(n)->prio, XIVE_HW_PRIO_MASKED);
	}
	CHECK_EQ(fake_xive.stray_accesses, 0);
}

TEST(xive_hcall, queues_must_be_aligned_sized_and_inside_the_partition)
{
	REQUIRE(setup());
	/* Unaligned, unknown size, outside, straddling the end, wrapping. */
	CHECK_EQ(HCALL(cpu(0), &a, H_INT_SET_QUEUE_CONFIG, 0, 1, 6, 0x1000, 16),
		 H_P4);
	CHECK_EQ(HCALL(cpu(0), &a, H_INT_SET_QUEUE_CONFIG, 0, 1, 6, 0, 13),
		 H_P5);
	CHECK_EQ(HCALL(cpu(0), &a, H_INT_SET_QUEUE_CONFIG, 0, 1, 6, MEM_SIZE,
		       12), H_P4);
	CHECK_EQ(HCALL(cpu(0), &a, H_INT_SET_QUEUE_CONFIG, 0, 1, 6,
		       MEM_SIZE - Q64K, 21), H_P4);
	CHECK_EQ(HCALL(cpu(0), &a, H_INT_SET_QUEUE_CONFIG, 0, 1, 6,
		       ~0ull << 24, 24), H_P4);
	CHECK_EQ(fake_xive.queue[1][6].shift, 0);
	/* A good one: the hardware gets the host address of guest memory. */
	CHECK_EQ(HCALL(cpu(0), &a, H_INT_SET_QUEUE_CONFIG, 1, 1, 6, 2 * Q64K,
		       16), H_SUCCESS);
	CHECK_EQ(fake_xive.queue[1][6].page, l->mem.hpa + 2 * Q64K);
	CHECK_EQ(fake_xive.queue[1][6].shift, 16);
	CHECK(fake_xive.queue[1][6].notify);
	CHECK_EQ(HCALL(cpu(0), &a, H_INT_GET_QUEUE_CONFIG, 1, 1, 6), H_SUCCESS);
	CHECK_EQ(a.ret[0], 1 | 2); /* notify, generation 1 (debug) */
	CHECK_EQ(a.ret[1], 2 * Q64K);
	CHECK_EQ(a.ret[2], 16);
	CHECK_EQ(a.ret[3], 7);
	CHECK_EQ(HCALL(cpu(0), &a, H_INT_GET_QUEUE_INFO, 0, 1, 6), H_SUCCESS);
	CHECK_EQ(a.ret[1], 16);
	/* Size 0 turns it off. */
	CHECK_EQ(HCALL(cpu(0), &a, H_INT_SET_QUEUE_CONFIG, 0, 1, 6, 0, 0),
		 H_SUCCESS);
	CHECK_EQ(fake_xive.queue[1][6].shift, 0);
	CHECK_EQ(HCALL(cpu(0), &a, H_INT_GET_QUEUE_CONFIG, 0, 1, 6), H_SUCCESS);
	CHECK_EQ(a.ret[1], 0);
	CHECK_EQ(a.ret[2], 0);
	CHECK(fake_guards_intact(l));
}

TEST(xive_hcall, source_config_programs_the_partitions_own_vp)
{
	REQUIRE(setup());
	CHECK_EQ(HCALL(cpu(0), &a, H_INT_SET_SOURCE_CONFIG, 2, 1, 2, 6, 0x77),
		 H_SUCCESS);
	CHECK_EQ(hw(1)->vp, VP_BASE + 2);
	CHECK_EQ(hw(1)->prio, 6);
	CHECK_EQ(hw(1)->eisn, 0x77);
	CHECK_EQ(HCALL(cpu(0), &a, H_INT_GET_SOURCE_CONFIG, 0, 1), H_SUCCESS);
	CHECK_EQ(a.ret[0], 2);
	CHECK_EQ(a.ret[1], 6);
	CHECK_EQ(a.ret[2], 0x77);
	/* MASK: routed, but priority 0xff in the hardware and to the guest. */
	CHECK_EQ(HCALL(cpu(0), &a, H_INT_SET_SOURCE_CONFIG, 1, 1, 0, 3, 0),
		 H_SUCCESS);
	CHECK_EQ(hw(1)->prio, XIVE_HW_PRIO_MASKED);
	CHECK_EQ(HCALL(cpu(0), &a, H_INT_GET_SOURCE_CONFIG, 0, 1), H_SUCCESS);
	CHECK_EQ(a.ret[1], 0xff);
	CHECK_EQ(a.ret[2], 0x77); /* EISN kept without SET_EISN */
	/* Priority 0xff resets the source, whatever the target says. */
	CHECK_EQ(HCALL(cpu(0), &a, H_INT_SET_SOURCE_CONFIG, 0, 1, 999, 0xff,
		       0), H_SUCCESS);
	CHECK_EQ(HCALL(cpu(0), &a, H_INT_GET_SOURCE_CONFIG, 0, 1), H_SUCCESS);
	CHECK_EQ(a.ret[0], 0);
	CHECK_EQ(a.ret[1], 0xff);
	CHECK_EQ(a.ret[2], 0);
}

TEST(xive_hcall, source_info_gives_this_partitions_esb_window)
{
	REQUIRE(setup());
	CHECK_EQ(HCALL(cpu(0), &a, H_INT_GET_SOURCE_INFO, 0, 0x1100),
		 H_SUCCESS);
	CHECK_EQ(a.ret[0], 0); /* MSI, separate trigger page, load EOI */
	CHECK_EQ(a.ret[2], XIVE_GUEST_VC_BASE + 0x1100ull * 0x20000);
	CHECK_EQ(a.ret[1], a.ret[2] + 0x10000);
	CHECK_EQ(a.ret[3], 16);
	/* Every source's two pages, and the OS TIMA page, nothing else. */
	CHECK_EQ(fake_xive.maps, 2 * NSRC + 1);
	for (unsigned i = 0; i < fake_xive.maps; i++) {
		uint64_t g = fake_xive.map[i].gpa;

		CHECK_EQ(fake_xive.map[i].size, 0x10000);
		CHECK(g == XIVE_GUEST_TM_BASE + 0x20000 ||
		      (g >= XIVE_GUEST_VC_BASE &&
		       g < XIVE_GUEST_VC_BASE +
			      (LAYOUT_VSCSI_IRQ + 1ull) * 0x20000));
	}
}

TEST(xive_hcall, esb_hcall_stays_inside_the_management_page)
{
	REQUIRE(setup());
	CHECK_EQ(HCALL(cpu(0), &a, H_INT_ESB, 0, 0, 0x10000, 0), H_P3);
	CHECK_EQ(HCALL(cpu(0), &a, H_INT_ESB, 0, 0, 0x20001, 0), H_P3);
	CHECK_EQ(HCALL(cpu(0), &a, H_INT_ESB, 0, 0, 0x804, 0), H_P3);
	CHECK_EQ(HCALL(cpu(0), &a, H_INT_ESB, 0, 0, ~0ull, 0), H_P3);
	CHECK_EQ(fake_xive.stray_accesses, 0);
	CHECK_EQ(HCALL(cpu(0), &a, H_INT_ESB, 0, 0, 0xc00, 0), H_SUCCESS);
	CHECK_EQ(a.ret[0], 1); /* reset left PQ=01 */
	CHECK_EQ(HCALL(cpu(0), &a, H_INT_ESB, 0, 0, 0x800, 0), H_SUCCESS);
	CHECK_EQ(a.ret[0], 0);
	CHECK_EQ(HCALL(cpu(0), &a, H_INT_ESB, 1, 0, 0x400, 0), H_SUCCESS);
	CHECK_EQ(a.ret[0], ~0ull);
	CHECK_EQ(hw(0)->mgmt_stores, 1);
	CHECK_EQ(hw(0)->triggers, 0);
}

TEST(xive_hcall, reset_masks_every_source_and_turns_queues_off)
{
	REQUIRE(setup());
	CHECK_EQ(HCALL(cpu(0), &a, H_INT_SET_QUEUE_CONFIG, 0, 2, 3, Q64K, 16),
		 H_SUCCESS);
	CHECK_EQ(HCALL(cpu(0), &a, H_INT_SET_SOURCE_CONFIG, 0, 2, 2, 3, 0),
		 H_SUCCESS);
	(void)HCALL(cpu(0), &a, H_INT_ESB, 0, 2, 0xc00, 0);
	CHECK_EQ(HCALL(cpu(1), &a, H_INT_RESET, 0), H_SUCCESS);
	for (uint32_t i = 0; i < NSRC; i++) {
		struct fake_xive_irq *q = &fake_xive.irq[intc_of(l)->xive->src[i].girq];

		CHECK_EQ(q->prio, XIVE_HW_PRIO_MASKED);
		CHECK_EQ(q->pq, 1);
	}
	CHECK_EQ(fake_xive.queue[2][3].shift, 0);
}

TEST(xive_hcall, each_partition_has_only_its_controllers_hcalls)
{
	struct lpar *xics;

	REQUIRE(setup());
	CHECK_EQ(HCALL(cpu(0), &a, H_CPPR, 0xff), H_FUNCTION);
	CHECK_EQ(HCALL(cpu(0), &a, H_IPI, 1, 5), H_FUNCTION);
	CHECK_EQ(HCALL(cpu(0), &a, H_XIRR), H_FUNCTION);
	fake_lpar_intc = CONFIG_INTC_XICS;
	xics = fake_lpar_create("xc", 2, MEM_SIZE);
	REQUIRE(xics);
	CHECK(!intc_of(xics)->xive);
	CHECK_EQ(HCALL(xics->vcpus[0], &a, H_INT_GET_SOURCE_INFO, 0, 0),
		 H_FUNCTION);
	CHECK_EQ(HCALL(xics->vcpus[0], &a, H_INT_RESET, 0), H_FUNCTION);
	CHECK_EQ(HCALL(xics->vcpus[0], &a, H_CPPR, 0xff), H_SUCCESS);
}

TEST(xive, failed_setup_gives_everything_back)
{
	for (int n = 0; n < NSRC; n++) {
		fake_reset();
		fake_lpar_intc = CONFIG_INTC_XIVE;
		fake_xive.fail_irq_after = n;
		CHECK(fake_lpar_create("xv", VCPUS, MEM_SIZE) == NULL);
		CHECK_EQ(fake_xive.irqs_live, 0);
		CHECK_EQ(fake_xive.vp_blocks, 0);
		for (int v = 0; v < VCPUS; v++) {
			CHECK(!fake_xive.vp_enabled[v]);
		}
	}
	fake_reset();
	fake_lpar_intc = CONFIG_INTC_XIVE;
	fake_xive.fail_vps = true;
	CHECK(fake_lpar_create("xv", VCPUS, MEM_SIZE) == NULL);
	CHECK_EQ(fake_xive.irqs_live, 0);
	fake_reset();
	fake_lpar_intc = CONFIG_INTC_XIVE;
	fake_xive.ready = false;
	CHECK(fake_lpar_create("xv", VCPUS, MEM_SIZE) == NULL);
	CHECK(strstr(fake_console(), "partition \"xv\": property "
				     "\"interrupt-controller\"") != NULL);
}

TEST(xive, destroy_frees_irqs_vps_and_queues)
{
	REQUIRE(setup());
	CHECK_EQ(fake_xive.irqs_live, NSRC);
	CHECK_EQ(fake_xive.vp_blocks, 1);
	CHECK_EQ(fake_xive.vp_order, 2); /* 3 vCPUs: a block of 4 */
	CHECK_EQ(HCALL(cpu(0), &a, H_INT_SET_QUEUE_CONFIG, 0, 0, 6, Q64K, 16),
		 H_SUCCESS);
	fake_lpar_destroy(l);
	CHECK_EQ(fake_xive.irqs_live, 0);
	CHECK_EQ(fake_xive.vp_blocks, 0);
	CHECK_EQ(fake_xive.queue[0][6].shift, 0);
}

TEST(xive, vcpu_context_pushed_once_and_pulled_at_stop)
{
	REQUIRE(setup());
	intc_vcpu_enter(cpu(1));
	CHECK_EQ(fake_xive.pushes, 1);
	CHECK_EQ(fake_xive.pushed_cam, 0x401);
	CHECK_EQ(fake_xive.pushed_w01, 0x00000000ff000000ull);
	CHECK(!intc_vcpu_pending(cpu(1)));
	fake_xive.os_pending = true;
	CHECK(intc_vcpu_pending(cpu(1)));
	CHECK(!intc_vcpu_pending(cpu(2))); /* not on a thread: nothing due */
	intc_vcpu_leave(cpu(1));
	intc_vcpu_leave(cpu(1));
	CHECK_EQ(fake_xive.pulls, 1);
	CHECK_EQ(intc_lpcr(l), LPCR_LPES0 | LPCR_HVICE);
}

TEST(xive, device_events_trigger_their_own_source_only)
{
	REQUIRE(setup());
	intc_pulse(l, 0x1100);
	CHECK_EQ(hw(0x1100)->triggers, 1);
	intc_pulse(l, 0x1234); /* not a source of this partition */
	intc_pulse(l, VCPUS);
	CHECK_EQ(fake_xive.stray_accesses, 0);
	for (uint32_t n = 0; n < VCPUS; n++) {
		CHECK_EQ(hw(n)->triggers, 0);
	}
}

/* A device's own sources (a PHB's MSIs) become LISNs: routed like any,
 * masked at first, never given back to the host's pool. */
TEST(xive, adopted_device_sources_are_lisns_but_never_freed)
{
	struct xive_part *x;

	REQUIRE(setup());
	x = intc_of(l)->xive;
	fake_xive.irq[40].allocated = true; /* the device's, not the pool's */
	fake_xive.irq[41].allocated = true;
	CHECK(!xive_adopt_sources(x, 0x1100, 40, 1)); /* the vty's LISN */
	CHECK(!xive_adopt_sources(x, 1, 40, 1));      /* an IPI's */
	CHECK_EQ(x->nsrc, NSRC);
	REQUIRE(xive_adopt_sources(x, 0x1300, 40, 2));
	CHECK_EQ(x->nsrc, NSRC + 2);
	CHECK(src(0x1301) && src(0x1301)->girq == 41 && src(0x1301)->borrowed);
	CHECK_EQ(hw(0x1300)->prio, XIVE_HW_PRIO_MASKED);
	CHECK_EQ(HCALL(cpu(0), &a, H_INT_GET_SOURCE_INFO, 0, 0x1301),
		 H_SUCCESS);
	CHECK_EQ(a.ret[2], XIVE_GUEST_VC_BASE + 0x1301ull * 0x20000);
	CHECK_EQ(HCALL(cpu(0), &a, H_INT_SET_QUEUE_CONFIG, 0, 1, 6, Q64K, 16),
		 H_SUCCESS);
	CHECK_EQ(HCALL(cpu(0), &a, H_INT_SET_SOURCE_CONFIG, 2, 0x1301, 1, 6,
		       0x77), H_SUCCESS);
	CHECK_EQ(hw(0x1301)->vp, VP_BASE + 1);
	CHECK_EQ(hw(0x1301)->eisn, 0x77);
	/* The sources the partition had before are all still there. */
	CHECK(src(0x1100) && src(0) && src(VCPUS - 1));
	fake_lpar_destroy(l);
	CHECK(fake_xive.irq[40].allocated && fake_xive.irq[41].allocated);
	CHECK_EQ(fake_xive.irq[41].prio, XIVE_HW_PRIO_MASKED);
	CHECK_EQ(fake_xive.irqs_live, 0);
}

TEST(xive, adopted_lsis_say_lsi_and_h_int_esb_and_need_opals_word)
{
	struct xive_part *x;

	REQUIRE(setup());
	x = intc_of(l)->xive;
	for (uint32_t g = 44; g < 48; g++) {
		fake_xive.irq[g].allocated = true; /* a PHB's INTA..INTD */
		fake_xive.irq[g].lsi = true;
	}
	fake_xive.irq[40].allocated = true;  /* an MSI */
	CHECK(!xive_adopt_sources(x, 0x1310, 44, 1)); /* an LSI as an MSI */
	CHECK(!xive_adopt_lsis(x, 0x1210, 40, 1));     /* an MSI as an LSI */
	REQUIRE(xive_adopt_lsis(x, 0x1200, 44, 4));
	CHECK(src(0x1203) && src(0x1203)->lsi && src(0x1203)->borrowed);
	CHECK_EQ(hw(0x1200)->pq, 1);          /* off until the guest's PQ=00 */
	CHECK_EQ(HCALL(cpu(0), &a, H_INT_GET_SOURCE_INFO, 0, 0x1202),
		 H_SUCCESS);
	/* QEMU 7.2's flags for a PHB LSI; one page, which also triggers. */
	CHECK_EQ(a.ret[0], XIVE_SRC_LSI | XIVE_SRC_H_INT_ESB |
				   XIVE_SRC_TRIGGER);
	CHECK_EQ(a.ret[1], XIVE_GUEST_VC_BASE + 0x1202ull * 0x20000 + 0x10000);
	CHECK_EQ(a.ret[2], ~0ull);
	/* Routed, on, the line held: an H_INT_ESB EOI sends it again. */
	CHECK_EQ(HCALL(cpu(0), &a, H_INT_SET_QUEUE_CONFIG, 0, 1, 6, Q64K, 16),
		 H_SUCCESS);
	CHECK_EQ(HCALL(cpu(0), &a, H_INT_SET_SOURCE_CONFIG, 2, 0x1202, 1, 6,
		       0x88), H_SUCCESS);
	CHECK_EQ(hw(0x1202)->vp, VP_BASE + 1);
	CHECK_EQ(HCALL(cpu(0), &a, H_INT_ESB, 0, 0x1202, 0xc00, 0), H_SUCCESS);
	hw(0x1202)->asserted = true;
	CHECK_EQ(HCALL(cpu(0), &a, H_INT_ESB, 0, 0x1202, 0, 0), H_SUCCESS);
	CHECK_EQ(hw(0x1202)->triggers, 1);
	CHECK_EQ(hw(0x1202)->pq, 2);
	fake_lpar_destroy(l);
	CHECK(fake_xive.irq[44].allocated);   /* the PHB's: never freed */
	CHECK_EQ(fake_xive.irq[46].prio, XIVE_HW_PRIO_MASKED);
}
