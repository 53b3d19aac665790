/*
 * Tests for hv/unit.c, the runner of the per-partition unit hooks, with
 * fake units that record each hook call: the run order (creation order,
 * reversed for stop, vCPU leave and destroy), the table refusing equal
 * orders, each unit's state slot, and the unwinding of the units already
 * created when a later one fails half way.  Built against tests/unit/fake/.
 */
#include <stdio.h>
#include <stdlib.h>

#include "hv/unit.h"
#include "tests/unit/fake/fake.h"
#include "tests/unit/test.h"

#if !defined(FAKE_HV_CPU_H) || !defined(FAKE_HV_LOCK_H)
#error "unit_test.c must be built with -Itests/unit/fake ahead of -I."
#endif

static char calls[512]; /* "create:a create:b ..." */
static const char *failing; /* the unit whose create fails */
static uint32_t slot_a, slot_b, slot_c;

static void record(const char *hook, const char *unit)
{
	size_t n = strlen(calls);

	snprintf(calls + n, sizeof(calls) - n, "%s%s:%s", n ? " " : "", hook,
		 unit);
}

#define FAKE_UNIT_HOOKS(id)                                                  \
	static bool create_##id(struct lpar *l)                              \
	{                                                                    \
		record("create", #id);                                       \
		if (failing && !strcmp(failing, #id)) {                      \
			return false;                                        \
		}                                                            \
		if (lpar_unit_state(l, slot_##id)) {                         \
			memset(lpar_unit_state(l, slot_##id), #id[0], 8);    \
		}                                                            \
		return true;                                                 \
	}                                                                    \
	static void destroy_##id(struct lpar *l)                             \
	{                                                                    \
		(void)l;                                                     \
		record("destroy", #id);                                      \
	}                                                                    \
	static void reset_##id(struct lpar *l)                               \
	{                                                                    \
		(void)l;                                                     \
		record("reset", #id);                                        \
	}                                                                    \
	static void stop_##id(struct lpar *l, bool restarting)               \
	{                                                                    \
		(void)l;                                                     \
		record(restarting ? "stop-restart" : "stop", #id);           \
	}                                                                    \
	static void enter_##id(struct vcpu *vc)                              \
	{                                                                    \
		(void)vc;                                                    \
		record("enter", #id);                                        \
	}                                                                    \
	static void leave_##id(struct vcpu *vc)                              \
	{                                                                    \
		(void)vc;                                                    \
		record("leave", #id);                                        \
	}                                                                    \
	static void poll_##id(struct lpar *l)                                \
	{                                                                    \
		(void)l;                                                     \
		record("poll", #id);                                         \
	}

FAKE_UNIT_HOOKS(a)
FAKE_UNIT_HOOKS(b)
FAKE_UNIT_HOOKS(c)

static uint64_t lpcr_a(const struct lpar *l)
{
	(void)l;
	return 0x10;
}

static uint64_t lpcr_c(const struct lpar *l)
{
	(void)l;
	return 0x3;
}

#define ROW(id, ord, size)                                                   \
	{ .name = #id, .order = ord, .slot = &slot_##id, .state_size = size, \
	  .create = create_##id, .destroy = destroy_##id,                    \
	  .reset = reset_##id, .stop = stop_##id, .vcpu_enter = enter_##id,  \
	  .vcpu_leave = leave_##id, .poll = poll_##id }

/* Listed out of order on purpose: the table sorts by `order`. */
static struct lpar_unit rows[] = {
	ROW(c, 30, 0),
	ROW(a, 10, 16),
	ROW(b, 20, 8),
};

static struct lpar *lp;
static struct vcpu vc0;

static bool setup(void)
{
	fake_reset();
	rows[1].lpcr = lpcr_a;
	rows[0].lpcr = lpcr_c;
	if (!unit_table_build(rows, 3)) {
		return false;
	}
	lp = calloc(1, sizeof(*lp));
	if (!lp) {
		return false;
	}
	snprintf(lp->cfg.name, sizeof(lp->cfg.name), "cell");
	vc0.lpar = lp;
	lp->vcpus[0] = &vc0;
	lp->vcpu_count = 1;
	calls[0] = '\0';
	failing = NULL;
	return true;
}

TEST(unit_table, sorts_by_order_and_gives_each_unit_its_slot)
{
	REQUIRE(setup());
	CHECK_EQ(unit_count(), 3);
	CHECK_EQ(slot_a, 0);
	CHECK_EQ(slot_b, 1);
	CHECK_EQ(slot_c, 2);
}

TEST(unit_table, refuses_two_units_of_one_order_and_keeps_the_old_table)
{
	struct lpar_unit dup[] = { ROW(a, 10, 0), ROW(b, 10, 0) };

	REQUIRE(setup());
	CHECK(!unit_table_build(dup, 2));
	CHECK_EQ(unit_count(), 3);
}

TEST(unit_table, refuses_more_rows_than_slots)
{
	struct lpar_unit many[LPAR_UNIT_MAX + 1];

	REQUIRE(setup());
	memset(many, 0, sizeof(many));
	for (uint32_t i = 0; i <= LPAR_UNIT_MAX; i++) {
		many[i].name = "x";
		many[i].order = i;
	}
	CHECK(!unit_table_build(many, LPAR_UNIT_MAX + 1));
	CHECK_EQ(unit_count(), 3);
}

TEST(lpar_units, run_in_creation_order_and_stop_in_reverse)
{
	REQUIRE(setup());
	REQUIRE(lpar_units_create(lp));
	CHECK_EQ(lp->units_created, 3);
	CHECK_STR_EQ(calls, "create:a create:b create:c");
	calls[0] = '\0';
	lpar_units_reset(lp);
	lpar_units_vcpu_enter(&vc0);
	lpar_units_poll(lp);
	CHECK_STR_EQ(calls, "reset:a reset:b reset:c enter:a enter:b enter:c "
			    "poll:a poll:b poll:c");
	calls[0] = '\0';
	lpar_units_vcpu_leave(&vc0);
	lpar_units_stop(lp, true);
	lpar_units_stop(lp, false);
	CHECK_STR_EQ(calls, "leave:c leave:b leave:a stop-restart:c "
			    "stop-restart:b stop-restart:a stop:c stop:b stop:a");
	CHECK_EQ(lpar_units_lpcr(lp), 0x13);
	calls[0] = '\0';
	lpar_units_destroy(lp);
	CHECK_STR_EQ(calls, "destroy:c destroy:b destroy:a");
	CHECK_EQ(lp->units_created, 0);
	free(lp);
}

TEST(lpar_units, give_each_unit_zeroed_state_of_its_size_and_none_to_others)
{
	uint8_t *a, *b;

	REQUIRE(setup());
	REQUIRE(lpar_units_create(lp));
	a = lpar_unit_state(lp, slot_a);
	b = lpar_unit_state(lp, slot_b);
	REQUIRE(a && b);
	CHECK(lpar_unit_state(lp, slot_c) == NULL);
	/* create wrote 8 bytes of its letter; the rest is still zero. */
	CHECK_EQ(a[0], 'a');
	CHECK_EQ(a[15], 0);
	CHECK_EQ(b[7], 'b');
	lpar_units_destroy(lp);
	CHECK(lpar_unit_state(lp, slot_a) == NULL);
	CHECK(lpar_unit_state(lp, slot_b) == NULL);
	free(lp);
}

TEST(lpar_units, a_failed_create_destroys_the_units_before_it_in_reverse)
{
	REQUIRE(setup());
	failing = "c";
	CHECK(!lpar_units_create(lp));
	/* c itself is not destroyed: a failing create cleans up after itself. */
	CHECK_STR_EQ(calls, "create:a create:b create:c destroy:b destroy:a");
	CHECK_EQ(lp->units_created, 0);
	CHECK(lpar_unit_state(lp, slot_a) == NULL);
	CHECK(lpar_unit_state(lp, slot_b) == NULL);
	/* Destroying after the failure destroys nothing twice. */
	calls[0] = '\0';
	lpar_units_destroy(lp);
	CHECK_STR_EQ(calls, "");
	free(lp);
}

TEST(lpar_units, a_failed_first_create_destroys_nothing)
{
	REQUIRE(setup());
	failing = "a";
	CHECK(!lpar_units_create(lp));
	CHECK_STR_EQ(calls, "create:a");
	CHECK(lpar_unit_state(lp, slot_a) == NULL);
	free(lp);
}

TEST(lpar_units, no_heap_for_a_state_unwinds_and_names_the_unit)
{
	REQUIRE(setup());
	rows[1].state_size = 0; /* a needs no heap; b does */
	REQUIRE(unit_table_build(rows, 3));
	fake_heap_fail = true;
	CHECK(!lpar_units_create(lp));
	fake_heap_fail = false;
	CHECK_STR_EQ(calls, "create:a destroy:a");
	CHECK(strstr(fake_console(), "partition \"cell\": out of heap for its "
				     "b (8 bytes); not started") != NULL);
	CHECK_EQ(lp->units_created, 0);
	free(lp);
}

TEST(lpar_units, hooks_of_a_partition_without_units_do_nothing)
{
	REQUIRE(setup());
	/* Never created: every runner sees units_created == 0. */
	lpar_units_reset(lp);
	lpar_units_poll(lp);
	lpar_units_stop(lp, false);
	lpar_units_vcpu_enter(&vc0);
	CHECK_STR_EQ(calls, "");
	CHECK_EQ(lpar_units_lpcr(lp), 0);
	free(lp);
}
