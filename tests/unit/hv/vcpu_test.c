/*
 * Tests for hv/vcpu.c, the vCPU state machine: the transition table and
 * every transition outside it refused, RTAS start-cpu/stop-self/query
 * through the real RTAS handlers, the partition stop's view of its vCPUs,
 * the idle thread's work, kicks, and H_CEDE with PAPR's remembered prod.
 * Several cases are regression tests of issue 20 §4 and issue 19 (named
 * so; docs/testing.md lists them).  Built against tests/unit/fake/, where
 * guest_cede_wait() and guest_doorbell() are recorded.
 */
#include "hv/abi/hcall.h"
#include "hv/abi/rtas.h"
#include "hv/spr.h"
#include "hv/vcpu.h"
#include "tests/unit/fake/guestcall.h"
#include "tests/unit/test.h"

#if !defined(FAKE_HV_CPU_H) || !defined(FAKE_HV_LOCK_H)
#error "vcpu_test.c must be built with -Itests/unit/fake ahead of -I."
#endif

#define MEM_SIZE (2 * SZ_1M)
#define VCPUS 4
#define RBUF 0x1000ull /* RTAS argument buffer */
#define ST_HW ((uint32_t)RTAS_OUT_HW_ERROR)
#define S(x) (1u << (x))
#define ALL_STATES (S(VCPU_STATES) - 1)

static struct lpar *l;
static struct vcpu *vc; /* vCPU 0, the caller */
static uint32_t rets[RTAS_MAX_CELLS];

static const struct vcpu_entry entry = {
	.pc = 0x100, .msr = MSR_SF | MSR_ME, .r3 = 0x30, .r4 = 0x40, .r5 = 0x50,
};

static bool setup(void)
{
	fake_reset();
	l = fake_lpar_create("web", VCPUS, MEM_SIZE);
	if (!l) {
		return false;
	}
	vc = l->vcpus[0];
	return true;
}

/* Puts `t` in `s` directly: the fixture, not a transition under test. */
static void force(struct vcpu *t, enum vcpu_state s)
{
	t->state = s;
}

static uint32_t query(struct vcpu *t)
{
	rets[1] = 0xdead;
	RTAS(vc, RBUF, RTAS_QUERY_CPU_STOPPED_STATE, 2, rets, t->id);
	CHECK_EQ(rets[0], RTAS_OUT_SUCCESS);
	return rets[1];
}

static uint32_t start_cpu(struct vcpu *t, uint32_t pc, uint32_t r3)
{
	RTAS(vc, RBUF, RTAS_START_CPU, 1, rets, t->id, pc, r3);
	return rets[0];
}

/*
 * The table
 */

/* The transitions hv/vcpu.h documents, written out again. */
static const struct {
	enum vcpu_state from, to;
} documented[] = {
	{ VCPU_STOPPED, VCPU_BOOTING },	  { VCPU_BOOTING, VCPU_STARTING },
	{ VCPU_BOOTING, VCPU_STOPPED },	  { VCPU_STOPPED, VCPU_STARTING },
	{ VCPU_STARTING, VCPU_RUNNING },  { VCPU_STARTING, VCPU_STOPPED },
	{ VCPU_RUNNING, VCPU_CEDED },	  { VCPU_CEDED, VCPU_RUNNING },
	{ VCPU_RUNNING, VCPU_STOPPING },  { VCPU_RUNNING, VCPU_STOPPED },
	{ VCPU_STOPPING, VCPU_STOPPED },
};

static bool is_documented(enum vcpu_state from, enum vcpu_state to)
{
	for (size_t i = 0; i < ARRAY_SIZE(documented); i++) {
		if (documented[i].from == from && documented[i].to == to) {
			return true;
		}
	}
	return false;
}

TEST(vcpu_transition, refuses_every_transition_outside_the_table)
{
	REQUIRE(setup());
	for (int from = 0; from < VCPU_STATES; from++) {
		for (int to = 0; to < VCPU_STATES + 2; to++) {
			if (to < VCPU_STATES && is_documented(from, to)) {
				continue;
			}
			force(vc, from);
			if (vcpu_transition(vc, ALL_STATES, to) ||
			    vc->state != (uint32_t)from) {
				test_fail(__FILE__, __LINE__,
					  "%d -> %d was made", from, to);
			}
		}
	}
	CHECK(!vcpu_transition_allowed(VCPU_STATES, VCPU_STOPPED));
	CHECK(!vcpu_transition_allowed(VCPU_STOPPED, VCPU_STATES));
	CHECK_EQ(fake_locks_held, 0);
}

TEST(vcpu_transition, refuses_a_documented_transition_from_another_state)
{
	REQUIRE(setup());
	/* RUNNING -> CEDED is in the table, but the caller expected STOPPED. */
	force(vc, VCPU_RUNNING);
	CHECK(!vcpu_transition(vc, S(VCPU_STOPPED), VCPU_CEDED));
	CHECK_EQ(vc->state, VCPU_RUNNING);
	CHECK(!vcpu_transition(vc, 0, VCPU_CEDED));
	CHECK_EQ(vc->state, VCPU_RUNNING);
}

TEST(vcpu_transition, makes_every_transition_in_the_table)
{
	REQUIRE(setup());
	for (size_t i = 0; i < ARRAY_SIZE(documented); i++) {
		CHECK(vcpu_transition_allowed(documented[i].from,
					      documented[i].to));
		force(vc, documented[i].from);
		CHECK(vcpu_transition(vc, S(documented[i].from),
				      documented[i].to));
		CHECK_EQ(vc->state, documented[i].to);
	}
	CHECK_EQ(fake_locks_held, 0);
}

/*
 * Boot, start, stop-self, leave
 */

TEST(vcpu_boot, only_from_stopped)
{
	REQUIRE(setup());
	for (int s = 0; s < VCPU_STATES; s++) {
		force(vc, s);
		CHECK_EQ(vcpu_boot(vc), s == VCPU_STOPPED);
		CHECK_EQ(vc->state, s == VCPU_STOPPED ? VCPU_BOOTING :
							 (uint32_t)s);
	}
}

TEST(vcpu_boot_done, starts_with_the_entry_or_stops)
{
	REQUIRE(setup());
	force(vc, VCPU_RUNNING);
	CHECK(!vcpu_boot_done(vc, &entry));
	CHECK_EQ(vc->start.pc, 0);
	force(vc, VCPU_BOOTING);
	CHECK(vcpu_boot_done(vc, &entry));
	CHECK_EQ(vc->state, VCPU_STARTING);
	CHECK_EQ(vc->start.pc, entry.pc);
	CHECK_EQ(vc->start.r5, entry.r5);
	force(vc, VCPU_BOOTING);
	CHECK(vcpu_boot_done(vc, NULL));
	CHECK_EQ(vc->state, VCPU_STOPPED);
}

TEST(vcpu_start, refuses_a_vcpu_that_is_not_stopped)
{
	REQUIRE(setup());
	for (int s = 0; s < VCPU_STATES; s++) {
		if (s == VCPU_STOPPED) {
			continue;
		}
		force(l->vcpus[1], s);
		CHECK(!vcpu_start(l->vcpus[1], &entry));
		CHECK_EQ(l->vcpus[1]->state, (uint32_t)s);
		CHECK_EQ(l->vcpus[1]->start.pc, 0);
	}
}

TEST(vcpu_start, refuses_while_the_partition_is_not_running)
{
	static const uint32_t states[] = { LPAR_STOPPED, LPAR_STOPPING,
					   LPAR_BOOTING };

	REQUIRE(setup());
	force(l->vcpus[1], VCPU_STOPPED);
	for (size_t i = 0; i < ARRAY_SIZE(states); i++) {
		l->state = states[i];
		CHECK(!vcpu_start(l->vcpus[1], &entry));
		CHECK_EQ(l->vcpus[1]->state, VCPU_STOPPED);
	}
}

TEST(vcpu_start, a_start_is_claimed_once_by_its_thread)
{
	struct vcpu *t;
	struct vcpu_entry got = { 0 };

	REQUIRE(setup());
	t = l->vcpus[2];
	force(t, VCPU_STOPPED);
	CHECK(vcpu_start(t, &entry));
	CHECK_EQ(t->state, VCPU_STARTING);
	CHECK(!vcpu_start(t, &entry)); /* a second start-cpu */
	CHECK_EQ(vcpu_idle_work(t, &got), VCPU_WORK_ENTER);
	CHECK_EQ(t->state, VCPU_RUNNING);
	CHECK_EQ(got.pc, entry.pc);
	CHECK_EQ(got.msr, entry.msr);
	CHECK_EQ(got.r3, entry.r3);
	CHECK_EQ(got.r4, entry.r4);
	CHECK_EQ(vcpu_idle_work(t, &got), VCPU_WORK_NONE);
}

TEST(vcpu_left, only_from_running_or_stopping)
{
	REQUIRE(setup());
	for (int s = 0; s < VCPU_STATES; s++) {
		bool ok = s == VCPU_RUNNING || s == VCPU_STOPPING;

		force(vc, s);
		CHECK_EQ(vcpu_left(vc), ok);
		CHECK_EQ(vc->state, ok ? VCPU_STOPPED : (uint32_t)s);
	}
}

TEST(vcpu_stop_self, only_a_running_vcpu)
{
	REQUIRE(setup());
	for (int s = 0; s < VCPU_STATES; s++) {
		force(vc, s);
		CHECK_EQ(vcpu_stop_self(vc), s == VCPU_RUNNING);
	}
}

/*
 * Regression (issue 20 §4): stop-self marked the vCPU STOPPED while its
 * thread was still handling the exit, so a start-cpu from another vCPU in
 * that window made it STARTING, and the exit then returned to the guest:
 * guest code ran in a vCPU marked starting, and the start was lost.
 */
TEST(vcpu_regression, start_cpu_refused_while_a_stop_self_is_leaving)
{
	struct vcpu *t;
	struct vcpu_entry got;

	REQUIRE(setup());
	t = l->vcpus[2];
	CHECK_EQ(RTAS0(t, RBUF, RTAS_STOP_SELF, 1, rets), H_SUCCESS);
	/* Its thread is still in guest_exit(): not stopped yet. */
	CHECK_EQ(query(t), RTAS_CPU_RUNNING);
	CHECK_EQ(start_cpu(t, 0x2000, 7), ST_HW);
	CHECK_NE(t->state, VCPU_STARTING);
	CHECK(vcpu_must_leave(t)); /* guest_exit() does not resume the guest */
	CHECK(!vcpu_settle(t));	   /* nor may a partition stop count it out */
	/* guest_leave(): now it is stopped, and may be started again. */
	CHECK(vcpu_left(t));
	CHECK_EQ(query(t), RTAS_CPU_STOPPED);
	CHECK_EQ(start_cpu(t, 0x2000, 7), RTAS_OUT_SUCCESS);
	CHECK_EQ(vcpu_idle_work(t, &got), VCPU_WORK_ENTER);
	CHECK_EQ(got.pc, 0x2000);
	CHECK_EQ(got.r3, 7);
	CHECK(!vcpu_must_leave(t));
}

/*
 * Regression (issue 20 §4): a partition stop counted a STARTING vCPU as
 * out, while its thread could be between seeing the partition running and
 * entering the guest; the partition was then restarted (memory cleared,
 * images reloaded) with that vCPU entering the old life's code.
 */
TEST(vcpu_regression, stop_drops_a_start_its_thread_has_not_claimed)
{
	struct vcpu *t;
	struct vcpu_entry got;

	REQUIRE(setup());
	t = l->vcpus[1];
	force(t, VCPU_STOPPED);
	CHECK(vcpu_start(t, &entry));
	l->state = LPAR_STOPPING; /* lpar_request_stop() */
	CHECK(vcpu_settle(t));	  /* every vCPU out: the stop completes */
	CHECK_EQ(t->state, VCPU_STOPPED);
	/* ... and restarts the partition before the thread looks again. */
	l->state = LPAR_RUNNING;
	CHECK_NE(vcpu_idle_work(t, &got), VCPU_WORK_ENTER);
	CHECK_EQ(t->state, VCPU_STOPPED);
}

TEST(vcpu_regression, a_claimed_start_keeps_the_partition_from_restarting)
{
	struct vcpu *t;
	struct vcpu_entry got;

	REQUIRE(setup());
	t = l->vcpus[1];
	force(t, VCPU_STOPPED);
	CHECK(vcpu_start(t, &entry));
	CHECK_EQ(vcpu_idle_work(t, &got), VCPU_WORK_ENTER);
	l->state = LPAR_STOPPING;
	/* It enters the guest: not out until its first exit takes it out. */
	CHECK(!vcpu_settle(t));
	CHECK(vcpu_must_leave(t));
	CHECK(vcpu_left(t));
	CHECK(vcpu_settle(t));
}

TEST(vcpu_regression, a_start_seen_after_a_stop_request_is_dropped)
{
	struct vcpu *t;
	struct vcpu_entry got;

	REQUIRE(setup());
	t = l->vcpus[3];
	force(t, VCPU_STOPPED);
	CHECK(vcpu_start(t, &entry));
	l->state = LPAR_STOPPING; /* before its thread looks */
	CHECK_EQ(vcpu_idle_work(t, &got), VCPU_WORK_LEFT);
	CHECK_EQ(t->state, VCPU_STOPPED);
}

/*
 * Regression (issue 20 §4): a stop is completed by the last vCPU to leave
 * the guest; when every vCPU had already stopped itself, none was left to
 * leave and the partition stayed "stopping" for ever.  Their idle threads
 * now complete it.
 */
TEST(vcpu_regression, stop_completes_when_every_vcpu_stopped_itself)
{
	struct vcpu_entry got;

	REQUIRE(setup());
	for (uint32_t i = 0; i < VCPUS; i++) {
		CHECK_EQ(RTAS0(l->vcpus[i], RBUF, RTAS_STOP_SELF, 1, rets),
			 H_SUCCESS);
		CHECK(vcpu_left(l->vcpus[i]));
		CHECK_EQ(vcpu_idle_work(l->vcpus[i], &got), VCPU_WORK_NONE);
	}
	l->state = LPAR_STOPPING; /* a watchdog fires, say */
	for (uint32_t i = 0; i < VCPUS; i++) {
		CHECK(vcpu_settle(l->vcpus[i]));
		CHECK_EQ(vcpu_idle_work(l->vcpus[i], &got), VCPU_WORK_LEFT);
	}
	l->state = LPAR_STOPPED;
	CHECK_EQ(vcpu_idle_work(vc, &got), VCPU_WORK_NONE);
}

/*
 * Regression (issue 20 §4): a system reset signalled before a restart was
 * delivered in the partition's next life.
 */
TEST(vcpu_regression, restart_forgets_a_pending_system_reset)
{
	struct vcpu *t;
	int64_t rc;

	REQUIRE(setup());
	t = l->vcpus[1];
	force(t, VCPU_STOPPED);
	rc = guest_hcall_at(__FILE__, __LINE__, vc, GUEST_MSR,
			    &(struct hcall_args){ 0 }, H_SIGNAL_SYS_RESET,
			    (const uint64_t[]){ 1 }, 1);
	CHECK_EQ(rc, H_SUCCESS);
	CHECK_EQ(t->sreset, 1);
	t->prod = t->irq = 1;
	t->vpa = t->dtl = t->slb_shadow = 0x1000;
	CHECK(vcpu_reset(t));
	CHECK(!vcpu_take_reset(t));
	CHECK_EQ(t->sreset + t->prod + t->irq, 0);
	CHECK_EQ(t->vpa + t->dtl + t->slb_shadow, 0);
}

TEST(vcpu_reset, refuses_a_vcpu_that_is_not_out)
{
	static const enum vcpu_state busy[] = { VCPU_STARTING, VCPU_RUNNING,
						VCPU_CEDED, VCPU_STOPPING };

	REQUIRE(setup());
	for (size_t i = 0; i < ARRAY_SIZE(busy); i++) {
		force(vc, busy[i]);
		vc->sreset = 1;
		CHECK(!vcpu_reset(vc));
		CHECK_EQ(vc->sreset, 1);
	}
	force(vc, VCPU_BOOTING);
	CHECK(vcpu_reset(vc));
	CHECK_EQ(vc->sreset, 0);
}

TEST(vcpu_take_reset, takes_it_once)
{
	REQUIRE(setup());
	CHECK(!vcpu_take_reset(vc));
	vcpu_signal_reset(vc);
	CHECK(vcpu_take_reset(vc));
	CHECK(!vcpu_take_reset(vc));
}

/*
 * Kicks
 */

TEST(vcpu_kick, rings_only_a_running_or_ceded_vcpu)
{
	REQUIRE(setup());
	for (int s = 0; s < VCPU_STATES; s++) {
		unsigned before = fake_calls.kicks;

		force(l->vcpus[1], s);
		vcpu_kick(l->vcpus[1]);
		CHECK_EQ(fake_calls.kicks - before,
			 s == VCPU_RUNNING || s == VCPU_CEDED);
	}
}

TEST(vcpu_kick, a_stopped_vcpu_keeps_its_prod)
{
	REQUIRE(setup());
	force(l->vcpus[1], VCPU_STOPPED);
	vcpu_prod(l->vcpus[1]);
	CHECK_EQ(fake_calls.kicks, 0);
	CHECK_EQ(l->vcpus[1]->prod, 1);
}

/*
 * H_CEDE
 */

static struct vcpu *prod_target;
static unsigned prod_at;
static uint32_t state_in_wait;

/* Another vCPU prods `prod_target` during wait number prod_at. */
static void prod_during_wait(struct vcpu *ceded, unsigned waits)
{
	state_in_wait = ceded->state;
	if (waits == prod_at) {
		vcpu_prod(prod_target);
	}
}

/*
 * Regression (issue 19): PAPR's remembered prod.  A prod that reaches a
 * vCPU before it cedes makes its next H_CEDE return at once, without a
 * single wait; the unit tests used to fake all of H_CEDE.
 */
TEST(vcpu_regression, a_prod_before_the_cede_ends_it_at_once)
{
	struct vcpu *t;

	REQUIRE(setup());
	t = l->vcpus[1];
	CHECK_EQ(HCALL(vc, &(struct hcall_args){ 0 }, H_PROD, 1), H_SUCCESS);
	CHECK_EQ(fake_calls.kicks, 1); /* running: it exits and goes on */
	fake_spr[SPRN_DEC] = 0x7fffffff;
	CHECK_EQ(vcpu_cede(t), H_SUCCESS);
	CHECK_EQ(fake_calls.cede_waits, 0);
	CHECK_EQ(t->state, VCPU_RUNNING);
	CHECK_EQ(t->prod, 0);
	CHECK_EQ(fake_locks_held, 0);
}

TEST(vcpu_cede, a_prod_ends_one_cede_only)
{
	struct vcpu *t;

	REQUIRE(setup());
	t = l->vcpus[1];
	fake_spr[SPRN_DEC] = 0x7fffffff;
	vcpu_prod(t);
	CHECK_EQ(vcpu_cede(t), H_SUCCESS);
	prod_target = t;
	prod_at = 3;
	fake_cede_wait_hook = prod_during_wait;
	CHECK_EQ(vcpu_cede(t), H_SUCCESS);
	CHECK_EQ(fake_calls.cede_waits, 3);
	CHECK_EQ(state_in_wait, VCPU_CEDED);
	CHECK_EQ(t->state, VCPU_RUNNING);
}

TEST(vcpu_cede, sleeps_until_prodded_and_the_prod_rings_it)
{
	struct vcpu *t;

	REQUIRE(setup());
	t = l->vcpus[2];
	fake_spr[SPRN_DEC] = 0x7fffffff;
	prod_target = t;
	prod_at = 5;
	fake_cede_wait_hook = prod_during_wait;
	CHECK_EQ(vcpu_cede(t), H_SUCCESS);
	CHECK_EQ(fake_calls.cede_waits, 5);
	CHECK_EQ(fake_calls.kicks, 1); /* ceded: the doorbell ends its stop */
	CHECK(fake_calls.kick_vcpu == t);
	CHECK_EQ(t->prod, 0);
}

/* vCPU 3 is prodded at the first wait; the partition stops at the fourth. */
static void prod_other_then_stop(struct vcpu *ceded, unsigned waits)
{
	if (waits == 1) {
		vcpu_prod(ceded->lpar->vcpus[3]);
	}
	if (waits == 4) {
		ceded->lpar->state = LPAR_STOPPING;
	}
}

TEST(vcpu_cede, a_prod_of_another_vcpu_does_not_end_it)
{
	REQUIRE(setup());
	fake_spr[SPRN_DEC] = 0x7fffffff;
	fake_cede_wait_hook = prod_other_then_stop;
	CHECK_EQ(vcpu_cede(l->vcpus[1]), H_SUCCESS);
	CHECK_EQ(fake_calls.cede_waits, 4);
	CHECK_EQ(l->vcpus[3]->prod, 1);
	CHECK_EQ(l->vcpus[1]->prod, 0);
}

static void dec_expires(struct vcpu *ceded, unsigned waits)
{
	(void)ceded;
	if (waits == 2) {
		fake_spr[SPRN_DEC] = (uint64_t)-1;
	}
}

TEST(vcpu_cede, wakes_when_its_decrementer_expires)
{
	REQUIRE(setup());
	fake_spr[SPRN_DEC] = 0x7fffffff;
	fake_cede_wait_hook = dec_expires;
	CHECK_EQ(vcpu_cede(l->vcpus[1]), H_SUCCESS);
	CHECK_EQ(fake_calls.cede_waits, 2);
}

static void line_rises(struct vcpu *ceded, unsigned waits)
{
	if (waits == 4) {
		ceded->irq = 1;
	}
}

TEST(vcpu_cede, wakes_when_an_interrupt_is_due)
{
	REQUIRE(setup());
	fake_spr[SPRN_DEC] = 0x7fffffff;
	fake_cede_wait_hook = line_rises;
	CHECK_EQ(vcpu_cede(l->vcpus[1]), H_SUCCESS);
	CHECK_EQ(fake_calls.cede_waits, 4);
	CHECK_EQ(l->vcpus[1]->irq, 1); /* the guest takes it, not the cede */
}

static void reset_signalled(struct vcpu *ceded, unsigned waits)
{
	if (waits == 2) {
		vcpu_signal_reset(ceded);
	}
}

TEST(vcpu_cede, wakes_for_a_pending_system_reset_and_leaves_it_pending)
{
	REQUIRE(setup());
	fake_spr[SPRN_DEC] = 0x7fffffff;
	fake_cede_wait_hook = reset_signalled;
	CHECK_EQ(vcpu_cede(l->vcpus[1]), H_SUCCESS);
	CHECK_EQ(fake_calls.cede_waits, 2);
	CHECK_EQ(fake_calls.kicks, 1);
	CHECK(vcpu_take_reset(l->vcpus[1])); /* guest_exit() delivers it */
}

static void partition_stops(struct vcpu *ceded, unsigned waits)
{
	if (waits == 3) {
		ceded->lpar->state = LPAR_STOPPING;
	}
}

TEST(vcpu_cede, wakes_when_its_partition_stops)
{
	REQUIRE(setup());
	fake_spr[SPRN_DEC] = 0x7fffffff;
	fake_cede_wait_hook = partition_stops;
	CHECK_EQ(vcpu_cede(l->vcpus[2]), H_SUCCESS);
	CHECK_EQ(fake_calls.cede_waits, 3);
	CHECK(vcpu_must_leave(l->vcpus[2]));
}

TEST(vcpu_cede, a_ceded_vcpu_is_not_out_and_cannot_be_started)
{
	REQUIRE(setup());
	force(l->vcpus[1], VCPU_CEDED);
	CHECK_EQ(query(l->vcpus[1]), RTAS_CPU_RUNNING);
	CHECK_EQ(start_cpu(l->vcpus[1], 0x100, 0), ST_HW);
	l->state = LPAR_STOPPING;
	CHECK(!vcpu_settle(l->vcpus[1]));
}
