/*
 * Tests for intc/xics_fwd.c on the fake host XIVE: the VP and queue it
 * takes, how it routes a device's sources, what a drain takes from the
 * queue (events naming no source refused, the hardware source EOId only
 * after its XICS source was raised, the OS ring acknowledged and opened
 * again), the queue's wrap, a reset dropping old events, and everything
 * given back.  Negative cases first.
 */
#include "intc/xics_fwd.h"
#include "intc/xive_hw.h"
#include "tests/unit/fake/fake.h"
#include "tests/unit/fake/fake_xive.h"
#include "tests/unit/test.h"

#define VP_BASE 0x41000000u

static uint32_t raised[16];
static bool raised_lsi[16];
static uint32_t nraised;
static uint8_t pq_at_raise[16];
static struct xics_fwd *cur;

static void raise(void *ctx, uint32_t irq, bool lsi)
{
	(void)ctx;
	if (nraised < 16) {
		/* The hardware source must not be re-armed yet. */
		for (uint32_t i = 0; i < cur->n; i++) {
			if (cur->src[i].irq == irq) {
				pq_at_raise[nraised] =
					fake_xive.irq[cur->src[i].girq].pq;
			}
		}
		raised_lsi[nraised] = lsi;
		raised[nraised++] = irq;
	}
}

/* The hardware's write of event `eisn` with generation bit `gen`. */
static void hw_event(struct xics_fwd *f, uint32_t slot, uint32_t eisn,
		     uint32_t gen)
{
	f->queue[slot] = __builtin_bswap32(gen << 31 | eisn);
}

static struct xics_fwd *setup(void)
{
	fake_reset();
	fake_xive_reset();
	for (uint32_t g = 40; g < 44; g++) {
		fake_xive.irq[g].allocated = true; /* a PHB's, not the pool's */
		fake_xive.irq[g].pq = 1;
	}
	nraised = 0;
	cur = xics_fwd_create("fw");
	return cur;
}

TEST(xics_fwd, refuses_unknown_sources_and_a_full_table)
{
	struct xics_fwd *f = setup();

	REQUIRE(f);
	CHECK(!xics_fwd_add(f, 50, 0x1300));   /* no such interrupt */
	CHECK_EQ(f->n, 0);
	f->n = XICS_FWD_MAX;
	CHECK(!xics_fwd_add(f, 40, 0x1300));
	f->n = 0;
	xics_fwd_destroy(f);
	CHECK_EQ(fake_xive.vp_blocks, 0);
}

TEST(xics_fwd, no_vp_means_no_forwarder_and_nothing_kept)
{
	fake_reset();
	fake_xive_reset();
	fake_xive.fail_vps = true;
	CHECK(xics_fwd_create("fw") == NULL);
	CHECK_EQ(fake_xive.vp_blocks, 0);
}

TEST(xics_fwd, routes_sources_to_its_vp_queue_and_enables_them)
{
	struct xics_fwd *f = setup();

	REQUIRE(f);
	CHECK_EQ(fake_xive.vp_blocks, 1);
	CHECK(fake_xive.vp_enabled[0]);
	CHECK_EQ(fake_xive.queue[0][XICS_FWD_PRIO].page,
		 (uint64_t)(uintptr_t)f->queue);
	CHECK_EQ(fake_xive.queue[0][XICS_FWD_PRIO].shift, XICS_FWD_QSHIFT);
	REQUIRE(xics_fwd_add(f, 40, 0x1300));
	REQUIRE(xics_fwd_add(f, 41, 0x1301));
	CHECK_EQ(fake_xive.irq[41].vp, VP_BASE);
	CHECK_EQ(fake_xive.irq[41].prio, XICS_FWD_PRIO);
	CHECK_EQ(fake_xive.irq[41].eisn, 1);
	CHECK_EQ(fake_xive.irq[40].pq, 0); /* on: the XICS masks, not it */
	xics_fwd_push(f);
	CHECK_EQ(fake_xive.pushed_cam, 0x400);
	CHECK_EQ((fake_xive.pushed_w01 >> 48) & 0xff, 0xff); /* CPPR */
	xics_fwd_destroy(f);
}

TEST(xics_fwd, drain_raises_then_eois_and_refuses_stray_entries)
{
	struct xics_fwd *f = setup();

	REQUIRE(f);
	REQUIRE(xics_fwd_add(f, 40, 0x1300));
	REQUIRE(xics_fwd_add(f, 41, 0x1301));
	hw_event(f, 0, 1, 1);
	hw_event(f, 1, 77, 1);  /* no source 77 */
	hw_event(f, 2, 0, 1);
	fake_xive.irq[40].pq = 2; /* P set: the hardware sent the event */
	fake_xive.irq[41].pq = 2;
	fake_xive.os_pending = true;
	/* Not on this thread: nothing is taken. */
	CHECK_EQ(xics_fwd_drain(f, raise, NULL), 0);
	CHECK_EQ(nraised, 0);
	xics_fwd_push(f);
	fake_xive.os_cppr = 6;
	CHECK_EQ(xics_fwd_drain(f, raise, NULL), 2);
	CHECK_EQ(nraised, 2);
	CHECK_EQ(raised[0], 0x1301);
	CHECK_EQ(raised[1], 0x1300);
	CHECK_EQ(pq_at_raise[0], 2); /* still P when its XICS source rose */
	CHECK_EQ(fake_xive.irq[40].pq, 0);
	CHECK_EQ(fake_xive.irq[41].pq, 0);
	CHECK_EQ(f->bad, 1);
	CHECK_EQ(f->events, 2);
	CHECK_EQ(fake_xive.os_acks, 1);
	CHECK_EQ(fake_xive.os_cppr, 0xff);
	/* Nothing pending: no ack, nothing raised. */
	CHECK_EQ(xics_fwd_drain(f, raise, NULL), 0);
	CHECK_EQ(fake_xive.os_acks, 1);
	xics_fwd_destroy(f);
}

TEST(xics_fwd, queue_wraps_with_the_generation_bit)
{
	struct xics_fwd *f = setup();
	uint32_t entries = (1u << XICS_FWD_QSHIFT) / 4;

	REQUIRE(f);
	REQUIRE(xics_fwd_add(f, 40, 0x1300));
	for (uint32_t i = 0; i < entries; i++) {
		hw_event(f, i, 0, 1);
	}
	for (uint32_t i = 0; i < entries; i++) {
		CHECK_EQ(xics_fwd_pop(f), 0);
	}
	CHECK_EQ(xics_fwd_pop(f), -1); /* generation 1 again: old */
	CHECK_EQ(f->toggle, 1);
	hw_event(f, 0, 0, 0);          /* the second pass writes 0 */
	CHECK_EQ(xics_fwd_pop(f), 0);
	CHECK_EQ(xics_fwd_pop(f), -1);
	xics_fwd_destroy(f);
}

TEST(xics_fwd, reset_drops_old_events_and_destroy_gives_back)
{
	struct xics_fwd *f = setup();

	REQUIRE(f);
	REQUIRE(xics_fwd_add(f, 40, 0x1300));
	hw_event(f, 0, 0, 1);
	(void)xics_fwd_pop(f);
	hw_event(f, 1, 0, 1); /* the last life's, not taken */
	fake_xive.irq[40].pq = 3;
	xics_fwd_reset(f);
	CHECK_EQ(f->idx, 0);
	CHECK_EQ(xics_fwd_pop(f), -1);
	CHECK_EQ(fake_xive.irq[40].pq, 0);
	CHECK_EQ(fake_xive.queue[0][XICS_FWD_PRIO].shift, XICS_FWD_QSHIFT);
	xics_fwd_push(f);
	xics_fwd_pull(f);
	CHECK_EQ(fake_xive.pulls, 1);
	xics_fwd_destroy(f);
	CHECK_EQ(fake_xive.irq[40].prio, XIVE_HW_PRIO_MASKED);
	CHECK_EQ(fake_xive.irq[40].pq, 1);
	CHECK(fake_xive.irq[40].allocated); /* the device's: never freed */
	CHECK_EQ(fake_xive.queue[0][XICS_FWD_PRIO].shift, 0);
	CHECK(!fake_xive.vp_enabled[0]);
	CHECK_EQ(fake_xive.vp_blocks, 0);
}

/* A PHB's INTA at girq 42 (an LSI), an MSI at 40. */
static struct xics_fwd *setup_lsi(void)
{
	struct xics_fwd *f = setup();

	fake_xive.irq[42].lsi = true;
	return f;
}

TEST(xics_fwd, an_lsi_is_added_only_as_an_lsi_and_an_msi_only_as_an_msi)
{
	struct xics_fwd *f = setup_lsi();

	REQUIRE(f);
	CHECK(!xics_fwd_add(f, 42, 0x1200));     /* OPAL says LSI */
	CHECK(!xics_fwd_add_lsi(f, 40, 0x1200)); /* OPAL says MSI */
	CHECK_EQ(f->n, 0);
	CHECK(xics_fwd_lsi(f, 0x1200) == NULL);  /* none yet: range empty */
	REQUIRE(xics_fwd_add(f, 40, 0x1300));
	REQUIRE(xics_fwd_add_lsi(f, 42, 0x1200));
	CHECK(xics_fwd_lsi(f, 0x1200) == &f->src[1]);
	CHECK(xics_fwd_lsi(f, 0x1300) == NULL);  /* an MSI: not an LSI */
	CHECK(xics_fwd_lsi(f, 0x1201) == NULL);
	CHECK_EQ(fake_xive.irq[42].vp, VP_BASE);
	CHECK_EQ(fake_xive.irq[42].eisn, 1);
	CHECK_EQ(fake_xive.irq[42].pq, 0);
	xics_fwd_destroy(f);
}

TEST(xics_fwd, a_held_line_at_add_or_reset_is_sent_by_an_eoi)
{
	struct xics_fwd *f = setup_lsi();

	REQUIRE(f);
	fake_xive.irq[42].asserted = true;  /* held before it was routed */
	REQUIRE(xics_fwd_add_lsi(f, 42, 0x1200));
	CHECK_EQ(fake_xive.irq[42].pq, 2);  /* PQ=00 alone would lose it */
	CHECK_EQ(fake_xive.irq[42].triggers, 1);
	xics_fwd_reset(f);
	CHECK_EQ(fake_xive.irq[42].pq, 2);
	CHECK_EQ(fake_xive.irq[42].triggers, 2);
	fake_xive.irq[42].asserted = false;
	xics_fwd_reset(f);
	CHECK_EQ(fake_xive.irq[42].pq, 0);
	CHECK_EQ(fake_xive.irq[42].triggers, 2);
	xics_fwd_destroy(f);
}

TEST(xics_fwd, an_lsi_stays_p_until_the_guests_eoi_then_follows_the_line)
{
	struct xics_fwd *f = setup_lsi();
	unsigned eois;

	REQUIRE(f);
	REQUIRE(xics_fwd_add(f, 40, 0x1300));
	REQUIRE(xics_fwd_add_lsi(f, 42, 0x1200));
	xics_fwd_push(f);
	/* The device asserts: the hardware sends one event, P set. */
	fake_xive.irq[42].asserted = true;
	fake_xive.irq[42].pq = 2;
	fake_xive.irq[40].pq = 2;
	hw_event(f, 0, 1, 1);
	hw_event(f, 1, 0, 1);
	fake_xive.os_pending = true;
	eois = fake_xive.irq[42].eois;
	CHECK_EQ(xics_fwd_drain(f, raise, NULL), 2);
	REQUIRE(nraised == 2);
	CHECK_EQ(raised[0], 0x1200);
	CHECK(raised_lsi[0]);
	CHECK(!raised_lsi[1]);
	/* The MSI re-armed at once, the LSI not: no event storm. */
	CHECK_EQ(fake_xive.irq[40].pq, 0);
	CHECK_EQ(fake_xive.irq[42].pq, 2);
	CHECK_EQ(fake_xive.irq[42].eois, eois);
	/* The guest EOIs with the line still held: sent again. */
	xics_fwd_lsi_eoi(f, xics_fwd_lsi(f, 0x1200));
	CHECK_EQ(fake_xive.irq[42].pq, 2);
	CHECK_EQ(fake_xive.irq[42].triggers, 1);
	/* Released by the device, EOId: quiet. */
	fake_xive.irq[42].asserted = false;
	xics_fwd_lsi_eoi(f, xics_fwd_lsi(f, 0x1200));
	CHECK_EQ(fake_xive.irq[42].pq, 0);
	CHECK_EQ(fake_xive.irq[42].triggers, 1);
	xics_fwd_destroy(f);
	CHECK_EQ(fake_xive.irq[42].pq, 1);
	CHECK_EQ(fake_xive.irq[42].prio, XIVE_HW_PRIO_MASKED);
}
