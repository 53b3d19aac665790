/*
 * Tests for rtas/rtas.c: KVMPPC_H_RTAS with argument buffers at the edges
 * of guest memory and impossible cell counts, the token table, each
 * service's argument counts and results, and the time-of-day arithmetic.
 * Expected values are QEMU 7.2's (hw/ppc/spapr_rtas.c, spapr_rtc.c,
 * spapr_events.c).  Built against tests/unit/fake/; every call is checked
 * against the guard zones around guest memory.  Negative cases first.
 */
#include <stdlib.h>

#include "hv/abi/rtas.h"
#include "hv/guest_dt.h"
#include "hv/unit.h"
#include "rtas/rtas.h"
#include "tests/unit/fake/guestcall.h"
#include "tests/unit/test.h"

#if !defined(FAKE_HV_CPU_H) || !defined(FAKE_HV_LOCK_H)
#error "rtas_test.c must be built with -Itests/unit/fake ahead of -I."
#endif

#define MEM_SIZE (2 * SZ_1M)
#define VCPUS 4
#define RBUF 0x1000ull   /* where the tests put the argument buffer */
#define PARAM_BUF 0x8000ull
#define ST_PARAM ((uint32_t)RTAS_OUT_PARAM_ERROR)
#define ST_HW ((uint32_t)RTAS_OUT_HW_ERROR)

static struct lpar *l;
static struct vcpu *vc;
static struct hcall_args a;
static uint32_t rets[RTAS_MAX_CELLS];

static bool setup(void)
{
	fake_reset();
	l = fake_lpar_create("web", VCPUS, MEM_SIZE);
	if (!l) {
		return false;
	}
	vc = l->vcpus[0];
	memset(rets, 0, sizeof(rets));
	return true;
}

static const uint32_t zeros[RTAS_MAX_CELLS];

/*
 * The services, the argument counts QEMU 7.2 insists on, and arguments
 * that are otherwise good (vCPU 1 is stopped when they are used).
 */
struct service_counts {
	uint32_t token;
	uint32_t nargs;
	uint32_t nret;
	bool exact_nret; /* QEMU answers -3 to a larger nret too */
	uint32_t good[7];
};

static const struct service_counts counted[] = {
	{ RTAS_DISPLAY_CHARACTER, 1, 1, false, { 'x' } },
	{ RTAS_GET_TIME_OF_DAY, 0, 8, true, { 0 } },
	{ RTAS_SET_TIME_OF_DAY, 7, 1, true, { 2030, 1, 1, 0, 0, 0, 0 } },
	{ RTAS_POWER_OFF, 2, 1, true, { 0, 0 } },
	{ RTAS_SYSTEM_REBOOT, 0, 1, true, { 0 } },
	{ RTAS_QUERY_CPU_STOPPED_STATE, 1, 2, true, { 1 } },
	{ RTAS_START_CPU, 3, 1, true, { 1, 0x100, 0 } },
	{ RTAS_IBM_GET_SYSTEM_PARAMETER, 3, 1, false, { 20, 0x8000, 256 } },
	{ RTAS_IBM_SET_SYSTEM_PARAMETER, 2, 1, false, { 20, 0x8000 } },
	{ RTAS_IBM_SET_XIVE, 3, 1, true, { 0x1100, 0, 5 } },
	{ RTAS_IBM_GET_XIVE, 1, 3, true, { 0x1100 } },
	{ RTAS_IBM_INT_OFF, 1, 1, true, { 0x1100 } },
	{ RTAS_IBM_INT_ON, 1, 1, true, { 0x1100 } },
	{ RTAS_EVENT_SCAN, 4, 1, true, { 0, 0, 0x8000, 64 } },
	{ RTAS_NVRAM_FETCH, 3, 2, true, { 0, 0x8000, 16 } },
	{ RTAS_NVRAM_STORE, 3, 2, true, { 0, 0x8000, 16 } },
	{ RTAS_IBM_OS_TERM, 1, 1, false, { 0x8000 } },
};

/* Nothing a refused call may have done. */
static void check_no_side_effects(void)
{
	CHECK_EQ(fake_calls.request_stop, 0);
	CHECK_STR_EQ(fake_console(), "");
	CHECK_EQ(rtas_tod_offset(l), 0);
	for (uint32_t i = 0; i < VCPUS; i++) {
		CHECK_EQ(l->vcpus[i]->state, VCPU_RUNNING);
	}
}

/*
 * h_rtas: the argument buffer
 */

TEST(h_rtas, rejects_a_header_outside_memory)
{
	static const uint64_t addrs[] = {
		MEM_SIZE, MEM_SIZE - 11, MEM_SIZE - 1, 1ull << 32,
		0x0ffffffffffffff4ull, 0xfffffffffffffff4ull, ~0ull,
	};
	uint8_t *snap;

	REQUIRE(setup());
	snap = gm_snapshot(l);
	for (size_t i = 0; i < ARRAY_SIZE(addrs); i++) {
		CHECK_EQ(HCALL(vc, &a, KVMPPC_H_RTAS, addrs[i]), H_PARAMETER);
	}
	CHECK(gm_unchanged(l, snap));
	check_no_side_effects();
}

static void put_header(uint64_t at, uint32_t token, uint32_t nargs,
		       uint32_t nret)
{
	gm_put32(l, at, token);
	gm_put32(l, at + 4, nargs);
	gm_put32(l, at + 8, nret);
}

TEST(h_rtas, rejects_cells_that_run_past_memory)
{
	uint8_t *snap;

	REQUIRE(setup());
	/* The header is the last thing in memory. */
	put_header(MEM_SIZE - 12, RTAS_POWER_OFF, 2, 1);
	snap = gm_snapshot(l);
	CHECK_EQ(HCALL(vc, &a, KVMPPC_H_RTAS, MEM_SIZE - 12), H_PARAMETER);
	CHECK(gm_unchanged(l, snap));
	/* Arguments inside, the one return cell outside. */
	put_header(MEM_SIZE - 20, RTAS_POWER_OFF, 2, 1);
	gm_put64(l, MEM_SIZE - 8, 0);
	snap = gm_snapshot(l);
	CHECK_EQ(HCALL(vc, &a, KVMPPC_H_RTAS, MEM_SIZE - 20), H_PARAMETER);
	CHECK(gm_unchanged(l, snap));
	check_no_side_effects();
}

TEST(h_rtas, rejects_more_than_16_cells_without_writing)
{
	static const uint32_t counts[][2] = {
		{ 17, 0 }, { 0, 17 }, { 8, 9 }, { 16, 1 }, { 1, 16 },
		{ 0xffffffff, 1 }, { 1, 0xffffffff }, { 4, 0xfffffffc },
		{ 0x80000000, 0x80000000 }, { 0xffffffff, 0xffffffff },
	};
	uint8_t *snap;

	REQUIRE(setup());
	for (size_t i = 0; i < ARRAY_SIZE(counts); i++) {
		put_header(RBUF, RTAS_EVENT_SCAN, counts[i][0], counts[i][1]);
		snap = gm_snapshot(l);
		CHECK_EQ(HCALL(vc, &a, KVMPPC_H_RTAS, RBUF), H_PARAMETER);
		CHECK(gm_unchanged(l, snap));
	}
	check_no_side_effects();
}

TEST(h_rtas, takes_16_cells_ending_at_the_end_of_memory)
{
	uint64_t at = MEM_SIZE - 12 - 4 * RTAS_MAX_CELLS;

	REQUIRE(setup());
	CHECK_EQ(guest_rtas_at(__FILE__, __LINE__, vc, at, RTAS_EVENT_SCAN, 15,
			       zeros, 1, rets),
		 H_SUCCESS);
	CHECK_EQ(rets[0], ST_PARAM); /* event-scan wants 4 arguments */
	CHECK_EQ(gm_get32(l, MEM_SIZE - 4), ST_PARAM);
}

TEST(h_rtas, ignores_the_top_four_address_bits_as_qemu)
{
	REQUIRE(setup());
	put_header(RBUF, RTAS_EVENT_SCAN, 4, 1);
	gm_put32(l, RBUF + 28, RTAS_CANARY);
	CHECK_EQ(HCALL(vc, &a, KVMPPC_H_RTAS, 0xf000000000000000ull | RBUF),
		 H_SUCCESS);
	CHECK_EQ(gm_get32(l, RBUF + 28), RTAS_OUT_NO_ERRORS_FOUND);
}

TEST(h_rtas, writes_only_the_return_cells)
{
	uint8_t *before;

	REQUIRE(setup());
	/* get-xive: one argument at +12, three return cells at +16..+27. */
	gm_put32(l, RBUF + 28, 0x11111111);
	RTAS(vc, RBUF, RTAS_IBM_GET_XIVE, 3, rets, 0x1100);
	CHECK_EQ(rets[0], RTAS_OUT_SUCCESS);
	before = gm_snapshot(l);
	/* Same call again: every byte but the three return cells equal. */
	gm_put32(l, RBUF + 16, RTAS_CANARY);
	gm_put32(l, RBUF + 20, RTAS_CANARY);
	gm_put32(l, RBUF + 24, RTAS_CANARY);
	CHECK_EQ(HCALL(vc, &a, KVMPPC_H_RTAS, RBUF), H_SUCCESS);
	CHECK(gm_unchanged(l, before));
	CHECK_EQ(gm_get32(l, RBUF), RTAS_IBM_GET_XIVE);
	CHECK_EQ(gm_get32(l, RBUF + 12), 0x1100);
	CHECK_EQ(gm_get32(l, RBUF + 28), 0x11111111);
}

TEST(h_rtas, unknown_tokens_get_minus_3_and_h_parameter)
{
	static const uint32_t tokens[] = {
		0, 1, RTAS_TOKEN_BASE - 1, RTAS_EVENT_SCAN + 2, 0x2019,
		0x201b, 0x201e, 0x2020, 0x10000, 0xffffffff,
	};

	REQUIRE(setup());
	for (size_t i = 0; i < ARRAY_SIZE(tokens); i++) {
		CHECK_EQ(RTAS(vc, RBUF, tokens[i], 2, rets, 1, 2), H_PARAMETER);
		CHECK_EQ(rets[0], ST_PARAM);
		CHECK_EQ(rets[1], RTAS_CANARY);
	}
	check_no_side_effects();
}

TEST(h_rtas, unknown_token_with_no_return_cells_writes_nothing)
{
	uint8_t *snap;

	REQUIRE(setup());
	put_header(RBUF, 0x2fff, 1, 0);
	snap = gm_snapshot(l);
	CHECK_EQ(HCALL(vc, &a, KVMPPC_H_RTAS, RBUF), H_PARAMETER);
	CHECK(gm_unchanged(l, snap));
}

TEST(h_rtas, table_is_sorted_with_names)
{
	for (uint32_t i = 0; i < rtas_service_count; i++) {
		CHECK(rtas_services[i].fn != NULL);
		CHECK(rtas_services[i].name != NULL);
		CHECK(rtas_services[i].status != NULL);
		CHECK_GE(rtas_services[i].token, RTAS_TOKEN_BASE);
		if (i > 0) {
			CHECK_LT(rtas_services[i - 1].token,
				 rtas_services[i].token);
		}
	}
}

/*
 * Argument and return counts
 */

TEST(rtas_counts, every_service_rejects_a_wrong_argument_count)
{
	uint32_t args[RTAS_MAX_CELLS] = { 0 };

	REQUIRE(setup());
	for (size_t i = 0; i < ARRAY_SIZE(counted); i++) {
		const struct service_counts *s = &counted[i];

		memcpy(args, s->good, sizeof(s->good));
		CHECK_EQ(guest_rtas_at(__FILE__, __LINE__, vc, RBUF, s->token,
				       s->nargs + 1, args, s->nret, rets),
			 H_SUCCESS);
		CHECK_EQ(rets[0], ST_PARAM);
		if (s->nargs > 0) {
			rets[0] = 0;
			guest_rtas_at(__FILE__, __LINE__, vc, RBUF, s->token,
				      s->nargs - 1, args, s->nret, rets);
			CHECK_EQ(rets[0], ST_PARAM);
		}
	}
	/* check-exception takes 6 or 7. */
	CHECK_EQ(RTAS_N(vc, RBUF, RTAS_CHECK_EXCEPTION, 5, 1, rets, 0, 0, 0,
			0, 0),
		 H_SUCCESS);
	CHECK_EQ(rets[0], ST_PARAM);
	CHECK_EQ(RTAS_N(vc, RBUF, RTAS_CHECK_EXCEPTION, 8, 1, rets, 0, 0, 0,
			0, 0, 0, 0, 0),
		 H_SUCCESS);
	CHECK_EQ(rets[0], ST_PARAM);
	check_no_side_effects();
}

TEST(rtas_counts, every_service_rejects_too_few_return_cells)
{
	uint32_t args[RTAS_MAX_CELLS] = { 0 };

	REQUIRE(setup());
	for (size_t i = 0; i < ARRAY_SIZE(counted); i++) {
		const struct service_counts *s = &counted[i];

		if (s->nret < 2) {
			continue;
		}
		memcpy(args, s->good, sizeof(s->good));
		guest_rtas_at(__FILE__, __LINE__, vc, RBUF, s->token,
			      s->nargs, args, s->nret - 1, rets);
		CHECK_EQ(rets[0], ST_PARAM);
	}
	check_no_side_effects();
}

TEST(rtas_counts, wrong_counts_with_no_return_cells_write_nothing)
{
	uint8_t *snap;

	REQUIRE(setup());
	for (size_t i = 0; i < ARRAY_SIZE(counted); i++) {
		put_header(RBUF, counted[i].token, counted[i].nargs + 1, 0);
		snap = gm_snapshot(l);
		CHECK_EQ(HCALL(vc, &a, KVMPPC_H_RTAS, RBUF), H_SUCCESS);
		CHECK(gm_unchanged(l, snap));
	}
	check_no_side_effects();
}

/*
 * QEMU 7.2 checks `nret != N`, not `nret < N`, for these services: a guest
 * that passes more return cells than the service has gets -3 and nothing
 * happens (no power-off, no clock change).
 */
TEST(rtas_counts, rejects_extra_return_cells_as_qemu)
{
	REQUIRE(setup());
	l->vcpus[1]->state = VCPU_STOPPED;
	for (size_t i = 0; i < ARRAY_SIZE(counted); i++) {
		const struct service_counts *s = &counted[i];

		if (!s->exact_nret) {
			continue;
		}
		rets[0] = 0;
		guest_rtas_at(__FILE__, __LINE__, vc, RBUF, s->token,
			      s->nargs, s->good, s->nret + 1, rets);
		if (rets[0] != ST_PARAM) {
			test_fail(__FILE__, __LINE__,
				  "token 0x%x with nret %u: status %d, QEMU "
				  "gives -3", s->token, s->nret + 1,
				  (int32_t)rets[0]);
		}
	}
	CHECK_EQ(fake_calls.request_stop, 0);
	CHECK_EQ(l->vcpus[1]->state, VCPU_STOPPED);
	CHECK_EQ(rtas_tod_offset(l), 0);
}

TEST(rtas_counts, good_counts_and_arguments_succeed)
{
	REQUIRE(setup());
	l->vcpus[1]->state = VCPU_STOPPED;
	for (size_t i = 0; i < ARRAY_SIZE(counted); i++) {
		const struct service_counts *s = &counted[i];

		if (s->token == RTAS_IBM_SET_SYSTEM_PARAMETER) {
			continue; /* every parameter is read-only */
		}
		rets[0] = RTAS_CANARY;
		guest_rtas_at(__FILE__, __LINE__, vc, RBUF, s->token,
			      s->nargs, s->good, s->nret, rets);
		if ((int32_t)rets[0] < 0) {
			test_fail(__FILE__, __LINE__, "token 0x%x: status %d",
				  s->token, (int32_t)rets[0]);
		}
	}
}

/*
 * Services
 */

TEST(rtas_display_character, prints_through_the_vty)
{
	REQUIRE(setup());
	RTAS(vc, RBUF, RTAS_DISPLAY_CHARACTER, 1, rets, 'o');
	CHECK_EQ(rets[0], RTAS_OUT_SUCCESS);
	RTAS(vc, RBUF, RTAS_DISPLAY_CHARACTER, 1, rets, 0x100 | 'k');
	RTAS(vc, RBUF, RTAS_DISPLAY_CHARACTER, 1, rets, '\n');
	CHECK_STR_EQ(fake_console(), "[web] ok\n");
}

TEST(rtas_power_off, stops_this_partition)
{
	REQUIRE(setup());
	CHECK_EQ(RTAS(vc, RBUF, RTAS_POWER_OFF, 1, rets, 0, 0), H_SUCCESS);
	CHECK_EQ(rets[0], RTAS_OUT_SUCCESS);
	CHECK_EQ(fake_calls.request_stop, 1);
	CHECK(fake_calls.stop_lpar == l);
	CHECK_EQ(fake_calls.stop_reason, STOP_POWER_OFF);
}

TEST(rtas_system_reboot, restarts_this_partition)
{
	REQUIRE(setup());
	CHECK_EQ(RTAS0(vc, RBUF, RTAS_SYSTEM_REBOOT, 1, rets), H_SUCCESS);
	CHECK_EQ(rets[0], RTAS_OUT_SUCCESS);
	CHECK_EQ(fake_calls.request_stop, 1);
	CHECK_EQ(fake_calls.stop_reason, STOP_REBOOT);
}

/*
 * A known token gets all nret return cells written back: the ones the
 * service did not set are zero (QEMU leaves them alone).
 */
TEST(rtas_query_cpu_stopped_state, rejects_unknown_cpus)
{
	static const uint32_t ids[] = { VCPUS, 64, 0x80000000, 0xffffffff };

	REQUIRE(setup());
	for (size_t i = 0; i < ARRAY_SIZE(ids); i++) {
		RTAS(vc, RBUF, RTAS_QUERY_CPU_STOPPED_STATE, 2, rets, ids[i]);
		CHECK_EQ(rets[0], ST_PARAM);
		CHECK_EQ(rets[1], 0);
	}
}

TEST(rtas_query_cpu_stopped_state, reports_stopped_or_running)
{
	REQUIRE(setup());
	l->vcpus[1]->state = VCPU_STOPPED;
	l->vcpus[2]->state = VCPU_CEDED;
	l->vcpus[3]->state = VCPU_STARTING;
	RTAS(vc, RBUF, RTAS_QUERY_CPU_STOPPED_STATE, 2, rets, 1);
	CHECK_EQ(rets[0], RTAS_OUT_SUCCESS);
	CHECK_EQ(rets[1], RTAS_CPU_STOPPED);
	RTAS(vc, RBUF, RTAS_QUERY_CPU_STOPPED_STATE, 2, rets, 2);
	CHECK_EQ(rets[1], RTAS_CPU_RUNNING);
	RTAS(vc, RBUF, RTAS_QUERY_CPU_STOPPED_STATE, 2, rets, 3);
	CHECK_EQ(rets[1], RTAS_CPU_RUNNING);
	RTAS(vc, RBUF, RTAS_QUERY_CPU_STOPPED_STATE, 2, rets, 0);
	CHECK_EQ(rets[1], RTAS_CPU_RUNNING);
}

TEST(rtas_start_cpu, rejects_unknown_cpus)
{
	REQUIRE(setup());
	RTAS(vc, RBUF, RTAS_START_CPU, 1, rets, VCPUS, 0x100, 0);
	CHECK_EQ(rets[0], ST_PARAM);
	RTAS(vc, RBUF, RTAS_START_CPU, 1, rets, 0xffffffff, 0x100, 0);
	CHECK_EQ(rets[0], ST_PARAM);
}

TEST(rtas_start_cpu, refuses_a_running_cpu_or_a_stopping_partition)
{
	REQUIRE(setup());
	RTAS(vc, RBUF, RTAS_START_CPU, 1, rets, 1, 0x100, 0);
	CHECK_EQ(rets[0], ST_HW);
	CHECK_EQ(l->vcpus[1]->state, VCPU_RUNNING);
	l->vcpus[1]->state = VCPU_STOPPED;
	l->state = LPAR_STOPPING;
	RTAS(vc, RBUF, RTAS_START_CPU, 1, rets, 1, 0x100, 0);
	CHECK_EQ(rets[0], ST_HW);
	CHECK_EQ(l->vcpus[1]->state, VCPU_STOPPED);
}

TEST(rtas_start_cpu, starts_a_stopped_cpu_as_qemu)
{
	struct vcpu *t;

	REQUIRE(setup());
	t = l->vcpus[3];
	t->state = VCPU_STOPPED;
	t->start.r4 = t->start.r5 = 99;
	RTAS(vc, RBUF, RTAS_START_CPU, 1, rets, 3, 0xfff0, 0xc0ffee);
	CHECK_EQ(rets[0], RTAS_OUT_SUCCESS);
	CHECK_EQ(t->state, VCPU_STARTING);
	CHECK_EQ(t->start.pc, 0xfff0);
	CHECK_EQ(t->start.r3, 0xc0ffee);
	CHECK_EQ(t->start.r4 + t->start.r5, 0);
	CHECK_EQ(t->start.msr, MSR_SF | MSR_ME); /* big-endian, real mode */
}

TEST(rtas_stop_self, stops_the_caller_only)
{
	REQUIRE(setup());
	CHECK_EQ(RTAS0(l->vcpus[2], RBUF, RTAS_STOP_SELF, 0, NULL), H_SUCCESS);
	/* Leaving: STOPPED once its thread is out (hv/vcpu.h). */
	CHECK_EQ(l->vcpus[2]->state, VCPU_STOPPING);
	CHECK(vcpu_must_leave(l->vcpus[2]));
	CHECK_EQ(vc->state, VCPU_RUNNING);
	CHECK(!vcpu_must_leave(vc));
	RTAS(l->vcpus[1], RBUF, RTAS_STOP_SELF, 0, NULL, 0);
	CHECK_EQ(l->vcpus[1]->state, VCPU_RUNNING);
}

/* Linux (pseries hotplug-cpu.c) calls stop-self with nargs 0, nret 1. */
TEST(rtas_stop_self, accepts_the_linux_call_with_one_return_cell)
{
	REQUIRE(setup());
	CHECK_EQ(RTAS0(l->vcpus[3], RBUF, RTAS_STOP_SELF, 1, rets), H_SUCCESS);
	CHECK_EQ(l->vcpus[3]->state, VCPU_STOPPING);
}

TEST(rtas_event_scan, finds_no_errors)
{
	REQUIRE(setup());
	RTAS(vc, RBUF, RTAS_EVENT_SCAN, 1, rets, 0xffffffff, 0, 0x2000, 1024);
	CHECK_EQ(rets[0], RTAS_OUT_NO_ERRORS_FOUND);
}

TEST(rtas_check_exception, finds_no_errors_with_6_or_7_arguments)
{
	REQUIRE(setup());
	RTAS(vc, RBUF, RTAS_CHECK_EXCEPTION, 1, rets, 0x500, 0, 0, 0, 0, 0);
	CHECK_EQ(rets[0], RTAS_OUT_NO_ERRORS_FOUND);
	RTAS(vc, RBUF, RTAS_CHECK_EXCEPTION, 1, rets, 0x500, 0, 0, 0, 0, 0, 0);
	CHECK_EQ(rets[0], RTAS_OUT_NO_ERRORS_FOUND);
}

/*
 * The power-off (EPOW) event of rtas/events.c, as QEMU 7.2's
 * spapr_events.c hands it out after `system_powerdown`.
 */
#define EPOW_MASK 0x40000000u
#define LOG_BUF 0x4000u

static void check_exception(uint32_t mask, uint32_t buf, uint32_t len)
{
	RTAS(vc, RBUF, RTAS_CHECK_EXCEPTION, 1, rets, 0x500, 0x1000, mask, 0,
	     buf, len);
}

static uint32_t be32_at(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

TEST(rtas_check_exception, nothing_pending_or_wrong_mask_finds_no_errors)
{
	REQUIRE(setup());
	check_exception(EPOW_MASK, LOG_BUF, 2048);
	CHECK_EQ(rets[0], RTAS_OUT_NO_ERRORS_FOUND);
	REQUIRE(lpar_units_shutdown(l));
	check_exception(0x10000000u, LOG_BUF, 2048); /* hotplug only */
	CHECK_EQ(rets[0], RTAS_OUT_NO_ERRORS_FOUND);
	CHECK_EQ(fake_gmem(l)[LOG_BUF], FAKE_MEM_FILL);
	check_exception(EPOW_MASK, LOG_BUF, 2048); /* still pending */
	CHECK_EQ(rets[0], RTAS_OUT_SUCCESS);
}

TEST(rtas_check_exception, wrong_counts_answer_minus_3_and_keep_the_event)
{
	REQUIRE(setup());
	REQUIRE(lpar_units_shutdown(l));
	CHECK_EQ(RTAS_N(vc, RBUF, RTAS_CHECK_EXCEPTION, 6, 2, rets, 0x500, 0,
			EPOW_MASK, 0, LOG_BUF, 2048), H_SUCCESS);
	CHECK_EQ(rets[0], ST_PARAM);
	check_exception(EPOW_MASK, LOG_BUF, 2048);
	CHECK_EQ(rets[0], RTAS_OUT_SUCCESS);
}

TEST(rtas_check_exception, buffer_outside_memory_answers_minus_3_keeps_it)
{
	static const uint32_t bufs[] = { MEM_SIZE - 4, MEM_SIZE, 0xfffffff0u,
					 0xffffffffu };

	REQUIRE(setup());
	REQUIRE(lpar_units_shutdown(l));
	for (size_t i = 0; i < ARRAY_SIZE(bufs); i++) {
		check_exception(EPOW_MASK, bufs[i], 2048);
		CHECK_EQ(rets[0], ST_PARAM);
	}
	CHECK(fake_guards_intact(l));
	/* A short length fits at the very end: written, consumed. */
	check_exception(EPOW_MASK, MEM_SIZE - 4, 4);
	CHECK_EQ(rets[0], RTAS_OUT_SUCCESS);
	CHECK_EQ(be32_at(fake_gmem(l) + MEM_SIZE - 4), 0x06340040u);
	CHECK(fake_guards_intact(l));
	check_exception(EPOW_MASK, LOG_BUF, 2048);
	CHECK_EQ(rets[0], RTAS_OUT_NO_ERRORS_FOUND);
}

TEST(rtas_check_exception, epow_log_is_qemu_72s_and_consumed_once)
{
	uint8_t *b;

	REQUIRE(setup());
	fake_rtc_present = true;
	fake_rtc_ymd = 0x20261207;
	fake_rtc_hms = 0x123456ull << 40;
	rtas_init_clock();
	REQUIRE(lpar_units_shutdown(l));
	check_exception(0xffffffffu, LOG_BUF, 2048);
	CHECK_EQ(rets[0], RTAS_OUT_SUCCESS);
	b = fake_gmem(l) + LOG_BUF;
	CHECK_EQ(be32_at(b), 0x06340040u);      /* v6, event, EPOW */
	CHECK_EQ(be32_at(b + 4), 116 - 8);      /* extended length */
	CHECK_EQ(b[8], 0x86);
	CHECK_EQ(b[10], 0x8e);
	CHECK_EQ(be32_at(b + 20), 0x49424d00u); /* "IBM\0" */
	CHECK(memcmp(b + 24, "PH\0\x30", 4) == 0);
	CHECK_EQ(b[24 + 24], 'H');              /* by the hypervisor */
	CHECK_EQ(b[24 + 27], 3);                /* three sections */
	CHECK_EQ(be32_at(b + 24 + 40), 0);      /* the first log id */
	/* Dated by the partition's clock, BCD, as QEMU's. */
	CHECK_EQ(be32_at(b + 32), 0x20261207u);
	CHECK_EQ(be32_at(b + 36) & 0xffff00ffu, 0x12340000u);
	CHECK(memcmp(b + 72, "UH\0\x18", 4) == 0);
	CHECK_EQ(b[72 + 8], 0xa0);
	CHECK_EQ(b[72 + 11], 0xd0);
	CHECK(memcmp(b + 96, "EP\0\x14\x02", 5) == 0);
	CHECK_EQ(b[96 + 8], 3);                 /* system shutdown */
	CHECK_EQ(b[96 + 9], 1);                 /* normal */
	CHECK_EQ(b[96 + 10], 1);                /* partition specific */
	CHECK_EQ(b[116], FAKE_MEM_FILL);        /* nothing past the log */
	check_exception(EPOW_MASK, LOG_BUF, 2048);
	CHECK_EQ(rets[0], RTAS_OUT_NO_ERRORS_FOUND);
}

TEST(rtas_check_exception, length_cuts_the_log_and_zero_consumes_it)
{
	REQUIRE(setup());
	REQUIRE(lpar_units_shutdown(l));
	check_exception(EPOW_MASK, LOG_BUF, 10);
	CHECK_EQ(rets[0], RTAS_OUT_SUCCESS);
	CHECK_EQ(fake_gmem(l)[LOG_BUF + 9], 0);
	CHECK_EQ(fake_gmem(l)[LOG_BUF + 10], FAKE_MEM_FILL);
	REQUIRE(lpar_units_shutdown(l));
	check_exception(EPOW_MASK, 0xfffffff0u, 0); /* QEMU: 0 bytes, done */
	CHECK_EQ(rets[0], RTAS_OUT_SUCCESS);
	check_exception(EPOW_MASK, LOG_BUF, 2048);
	CHECK_EQ(rets[0], RTAS_OUT_NO_ERRORS_FOUND);
}

TEST(rtas_events, a_reboot_forgets_the_event_and_the_tree_has_event_sources)
{
	struct guest_dt_params p;

	REQUIRE(setup());
	REQUIRE(lpar_units_shutdown(l));
	lpar_units_reset(l);
	check_exception(EPOW_MASK, LOG_BUF, 2048);
	CHECK_EQ(rets[0], RTAS_OUT_NO_ERRORS_FOUND);
	memset(&p, 0, sizeof(p));
	lpar_units_guest_dt(l, &p);
	CHECK(p.event_sources);
}

TEST(rtas_not_supported, set_indicator_and_get_sensor_state_answer_minus_3)
{
	REQUIRE(setup());
	RTAS(vc, RBUF, RTAS_SET_INDICATOR, 1, rets, 9005, 0, 1);
	CHECK_EQ(rets[0], (uint32_t)RTAS_OUT_NOT_SUPPORTED);
	RTAS(vc, RBUF, RTAS_GET_SENSOR_STATE, 2, rets, 9003, 0);
	CHECK_EQ(rets[0], (uint32_t)RTAS_OUT_NOT_SUPPORTED);
	CHECK_EQ(rets[1], 0);
}

TEST(rtas_os_term, reports_the_partition_and_succeeds)
{
	REQUIRE(setup());
	RTAS(vc, RBUF, RTAS_IBM_OS_TERM, 1, rets, 0x3000);
	CHECK_EQ(rets[0], RTAS_OUT_SUCCESS);
	CHECK_STR_CONTAINS(fake_console(), "\"web\"");
	CHECK_STR_CONTAINS(fake_console(), "os-term");
}

TEST(rtas_os_term, prints_the_guest_message_made_safe)
{
	static const char msg[] = "Kernel panic\x1b[2J\r\n - not syncing";

	REQUIRE(setup());
	memcpy(fake_gmem(l) + 0x3000, msg, sizeof(msg));
	RTAS(vc, RBUF, RTAS_IBM_OS_TERM, 1, rets, 0x3000);
	CHECK_EQ(rets[0], RTAS_OUT_SUCCESS);
	CHECK_STR_CONTAINS(fake_console(), "Kernel panic?[2J?? - not syncing");
	CHECK(strchr(fake_console(), '\x1b') == NULL);
}

TEST(rtas_os_term, never_reads_past_memory_for_the_message)
{
	static const uint32_t at[] = {
		MEM_SIZE - 1, MEM_SIZE - 16, MEM_SIZE, 0xffffffff,
	};

	REQUIRE(setup());
	for (size_t i = 0; i < ARRAY_SIZE(at); i++) {
		fake_console_clear();
		RTAS(vc, RBUF, RTAS_IBM_OS_TERM, 1, rets, at[i]);
		CHECK_EQ(rets[0], RTAS_OUT_SUCCESS);
		CHECK_STR_CONTAINS(fake_console(), "\"web\"");
	}
}

/*
 * ibm,get-system-parameter / ibm,set-system-parameter
 */

static void fill_param_buf(void)
{
	memset(fake_gmem(l) + PARAM_BUF, 0xee, 256);
}

TEST(rtas_get_system_parameter, rejects_unknown_parameters)
{
	static const uint32_t params[] = { 0, 1, 19, 21, 0xffffffff };
	uint8_t *snap;

	REQUIRE(setup());
	snap = gm_snapshot(l);
	for (size_t i = 0; i < ARRAY_SIZE(params); i++) {
		RTAS(vc, RBUF, RTAS_IBM_GET_SYSTEM_PARAMETER, 1, rets,
		     params[i], PARAM_BUF, 256);
		CHECK_EQ(rets[0], (uint32_t)RTAS_OUT_NOT_SUPPORTED);
		/* The buffer at RBUF changed; the parameter buffer not. */
		CHECK(memcmp(fake_gmem(l) + PARAM_BUF, snap + PARAM_BUF,
			     256) == 0);
	}
	free(snap);
}

TEST(rtas_get_system_parameter, length_under_2_is_minus_9999)
{
	REQUIRE(setup());
	fill_param_buf();
	RTAS(vc, RBUF, RTAS_IBM_GET_SYSTEM_PARAMETER, 1, rets, 20, PARAM_BUF,
	     0);
	CHECK_EQ(rets[0], (uint32_t)RTAS_OUT_SYSPARM_PARAM_ERROR);
	RTAS(vc, RBUF, RTAS_IBM_GET_SYSTEM_PARAMETER, 1, rets, 20, PARAM_BUF,
	     1);
	CHECK_EQ(rets[0], (uint32_t)RTAS_OUT_SYSPARM_PARAM_ERROR);
	CHECK_EQ(gm_get8(l, PARAM_BUF), 0xee);
}

TEST(rtas_get_system_parameter, refuses_a_buffer_outside_memory)
{
	static const uint32_t bufs[] = {
		MEM_SIZE, MEM_SIZE - 10, 0x80000000, 0xffffffff, 0xfffffff0,
	};
	uint8_t *snap;

	REQUIRE(setup());
	for (size_t i = 0; i < ARRAY_SIZE(bufs); i++) {
		/* Build the buffer, then repeat the call on a snapshot. */
		RTAS(vc, RBUF, RTAS_IBM_GET_SYSTEM_PARAMETER, 1, rets, 20,
		     bufs[i], 4096);
		CHECK_EQ(rets[0], ST_PARAM);
		gm_put32(l, RBUF + 24, RTAS_CANARY);
		snap = gm_snapshot(l);
		CHECK_EQ(HCALL(vc, &a, KVMPPC_H_RTAS, RBUF), H_SUCCESS);
		CHECK_EQ(gm_get32(l, RBUF + 24), ST_PARAM);
		gm_put32(l, RBUF + 24, RTAS_CANARY);
		CHECK(gm_unchanged(l, snap));
	}
}

static const char *splpar_text(void)
{
	static char text[160];
	uint16_t len = gm_get16(l, PARAM_BUF);

	if (len == 0 || len >= sizeof(text)) {
		return "(bad length)";
	}
	memcpy(text, fake_gmem(l) + PARAM_BUF + 2, len);
	text[sizeof(text) - 1] = '\0';
	return text;
}

TEST(rtas_get_system_parameter, gives_splpar_characteristics_as_qemu)
{
	const char *text;

	REQUIRE(setup());
	fill_param_buf();
	RTAS(vc, RBUF, RTAS_IBM_GET_SYSTEM_PARAMETER, 1, rets, 20, PARAM_BUF,
	     4096);
	CHECK_EQ(rets[0], RTAS_OUT_SUCCESS);
	text = splpar_text();
	CHECK_EQ(gm_get16(l, PARAM_BUF), strlen(text) + 1);
	CHECK(strncmp(text, "MaxEntCap=", 10) == 0);
	CHECK_STR_CONTAINS(text, ",DesMem=2,DesProcs=4,MaxPlatProcs=16");
	CHECK_EQ(gm_get8(l, PARAM_BUF + 2 + strlen(text)), 0);
	CHECK_EQ(gm_get8(l, PARAM_BUF + 3 + strlen(text)), 0xee);
}

TEST(rtas_get_system_parameter, truncates_to_the_buffer_length)
{
	REQUIRE(setup());
	fill_param_buf();
	RTAS(vc, RBUF, RTAS_IBM_GET_SYSTEM_PARAMETER, 1, rets, 20, PARAM_BUF,
	     2);
	CHECK_EQ(rets[0], RTAS_OUT_SUCCESS);
	CHECK_GT(gm_get16(l, PARAM_BUF), 20); /* the full length, as QEMU */
	CHECK_EQ(gm_get8(l, PARAM_BUF + 2), 0xee);

	RTAS(vc, RBUF, RTAS_IBM_GET_SYSTEM_PARAMETER, 1, rets, 20, PARAM_BUF,
	     10);
	CHECK_EQ(rets[0], RTAS_OUT_SUCCESS);
	CHECK(memcmp(fake_gmem(l) + PARAM_BUF + 2, "MaxEntCa", 8) == 0);
	CHECK_EQ(gm_get8(l, PARAM_BUF + 10), 0xee);
}

TEST(rtas_get_system_parameter, fills_a_buffer_ending_at_the_end_of_memory)
{
	uint32_t len, at;

	REQUIRE(setup());
	RTAS(vc, RBUF, RTAS_IBM_GET_SYSTEM_PARAMETER, 1, rets, 20, PARAM_BUF,
	     4096);
	len = 2u + gm_get16(l, PARAM_BUF);
	at = MEM_SIZE - len;
	RTAS(vc, RBUF, RTAS_IBM_GET_SYSTEM_PARAMETER, 1, rets, 20, at, 4096);
	CHECK_EQ(rets[0], RTAS_OUT_SUCCESS);
	CHECK_EQ(gm_get8(l, MEM_SIZE - 1), 0);
	/* With a length that stops short of the end, a closer buffer fits. */
	RTAS(vc, RBUF, RTAS_IBM_GET_SYSTEM_PARAMETER, 1, rets, 20,
	     MEM_SIZE - 10, 10);
	CHECK_EQ(rets[0], RTAS_OUT_SUCCESS);
}

TEST(rtas_set_system_parameter, known_parameters_are_read_only)
{
	REQUIRE(setup());
	RTAS(vc, RBUF, RTAS_IBM_SET_SYSTEM_PARAMETER, 1, rets, 20, PARAM_BUF);
	CHECK_EQ(rets[0], (uint32_t)RTAS_OUT_NOT_AUTHORIZED);
	RTAS(vc, RBUF, RTAS_IBM_SET_SYSTEM_PARAMETER, 1, rets, 42, PARAM_BUF);
	CHECK_EQ(rets[0], (uint32_t)RTAS_OUT_NOT_AUTHORIZED);
	RTAS(vc, RBUF, RTAS_IBM_SET_SYSTEM_PARAMETER, 1, rets, 48, PARAM_BUF);
	CHECK_EQ(rets[0], (uint32_t)RTAS_OUT_NOT_AUTHORIZED);
	RTAS(vc, RBUF, RTAS_IBM_SET_SYSTEM_PARAMETER, 1, rets, 21, PARAM_BUF);
	CHECK_EQ(rets[0], (uint32_t)RTAS_OUT_NOT_SUPPORTED);
}

/*
 * get-time-of-day / set-time-of-day
 */

struct tod {
	uint32_t y, mo, d, h, mi, s;
};

static void get_tod(struct tod *t, uint32_t *ns)
{
	RTAS0(vc, RBUF, RTAS_GET_TIME_OF_DAY, 8, rets);
	CHECK_EQ(rets[0], RTAS_OUT_SUCCESS);
	t->y = rets[1];
	t->mo = rets[2];
	t->d = rets[3];
	t->h = rets[4];
	t->mi = rets[5];
	t->s = rets[6];
	if (ns) {
		*ns = rets[7];
	}
}

static uint32_t set_tod(const struct tod *t)
{
	RTAS(vc, RBUF, RTAS_SET_TIME_OF_DAY, 1, rets, t->y, t->mo, t->d, t->h,
	     t->mi, t->s, 0);
	return rets[0];
}

static bool tod_eq(const struct tod *a_, const struct tod *b)
{
	return a_->y == b->y && a_->mo == b->mo && a_->d == b->d &&
	       a_->h == b->h && a_->mi == b->mi && a_->s == b->s;
}

static void check_tod(const char *file, int line, const struct tod *got,
		      const struct tod *want)
{
	if (!tod_eq(got, want)) {
		test_fail(file, line,
			  "time of day %u-%02u-%02u %02u:%02u:%02u, want "
			  "%u-%02u-%02u %02u:%02u:%02u",
			  got->y, got->mo, got->d, got->h, got->mi, got->s,
			  want->y, want->mo, want->d, want->h, want->mi,
			  want->s);
	}
}
#define CHECK_TOD(got, want) check_tod(__FILE__, __LINE__, got, want)

/* An independent calendar for the sweep: the Gregorian leap rule. */
static uint32_t month_days(uint32_t y, uint32_t m)
{
	static const uint8_t days[] = { 31, 28, 31, 30, 31, 30,
					31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return days[m - 1] + (m == 2 && leap);
}

static void next_day(struct tod *t)
{
	if (++t->d > month_days(t->y, t->mo)) {
		t->d = 1;
		if (++t->mo > 12) {
			t->mo = 1;
			t->y++;
		}
	}
}

TEST(rtas_set_time_of_day, rejects_fields_out_of_range)
{
	static const struct tod bad[] = {
		{ 2024, 0, 1, 0, 0, 0 },   { 2024, 13, 1, 0, 0, 0 },
		{ 2024, 1, 0, 0, 0, 0 },   { 2024, 1, 32, 0, 0, 0 },
		{ 2024, 1, 1, 24, 0, 0 },  { 2024, 1, 1, 0, 60, 0 },
		{ 2024, 1, 1, 0, 0, 60 },  { 2024, 0xffffffff, 1, 0, 0, 0 },
		{ 2024, 1, 1, 0xffffffff, 0, 0 },
	};

	REQUIRE(setup());
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		CHECK_EQ(set_tod(&bad[i]), ST_PARAM);
	}
	CHECK_EQ(rtas_tod_offset(l), 0);
}

TEST(rtas_get_time_of_day, starts_at_2026_without_a_clock)
{
	struct tod t;
	uint32_t ns;

	REQUIRE(setup());
	fake_tb = 12345;
	rtas_init_clock();
	fake_tb = 12345 + FAKE_TB_FREQ + FAKE_TB_FREQ / 2;
	get_tod(&t, &ns);
	CHECK_TOD(&t, (&(struct tod){ 2026, 1, 1, 0, 0, 1 }));
	CHECK_EQ(ns, 500000000);
}

TEST(rtas_get_time_of_day, starts_from_the_bcd_platform_clock)
{
	struct tod t;

	REQUIRE(setup());
	fake_rtc_present = true;
	fake_rtc_ymd = 0x20240229;
	fake_rtc_hms = 0x2359590000000000ull;
	rtas_init_clock();
	get_tod(&t, NULL);
	CHECK_TOD(&t, (&(struct tod){ 2024, 2, 29, 23, 59, 59 }));
	fake_tb += FAKE_TB_FREQ;
	get_tod(&t, NULL);
	CHECK_TOD(&t, (&(struct tod){ 2024, 3, 1, 0, 0, 0 }));
}

TEST(rtas_set_time_of_day, round_trips_across_leap_years_and_2100)
{
	static const struct tod cases[][2] = {
		{ { 1970, 1, 1, 0, 0, 0 }, { 1970, 1, 1, 0, 0, 1 } },
		{ { 1999, 12, 31, 23, 59, 59 }, { 2000, 1, 1, 0, 0, 0 } },
		{ { 2000, 2, 28, 23, 59, 59 }, { 2000, 2, 29, 0, 0, 0 } },
		{ { 2000, 2, 29, 23, 59, 59 }, { 2000, 3, 1, 0, 0, 0 } },
		{ { 2023, 2, 28, 23, 59, 59 }, { 2023, 3, 1, 0, 0, 0 } },
		{ { 2024, 12, 31, 23, 59, 59 }, { 2025, 1, 1, 0, 0, 0 } },
		{ { 2038, 1, 19, 3, 14, 7 }, { 2038, 1, 19, 3, 14, 8 } },
		{ { 2096, 2, 28, 23, 59, 59 }, { 2096, 2, 29, 0, 0, 0 } },
		{ { 2100, 2, 28, 23, 59, 59 }, { 2100, 3, 1, 0, 0, 0 } },
		{ { 2100, 12, 31, 23, 59, 59 }, { 2101, 1, 1, 0, 0, 0 } },
		{ { 2400, 2, 28, 23, 59, 59 }, { 2400, 2, 29, 0, 0, 0 } },
		{ { 9999, 12, 31, 23, 59, 59 }, { 10000, 1, 1, 0, 0, 0 } },
	};
	struct tod t;

	REQUIRE(setup());
	fake_tb = 1ull << 40;
	rtas_init_clock();
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		CHECK_EQ(set_tod(&cases[i][0]), RTAS_OUT_SUCCESS);
		get_tod(&t, NULL);
		CHECK_TOD(&t, &cases[i][0]);
		fake_tb += FAKE_TB_FREQ;
		get_tod(&t, NULL);
		CHECK_TOD(&t, &cases[i][1]);
	}
}

/*
 * The sweep calls KVMPPC_H_RTAS directly (the guard zones are checked once
 * at the end), two calls a day for 530 years.
 */
static uint32_t quick_rtas(uint64_t at, uint32_t token, uint32_t nargs,
			   const uint32_t *args, uint32_t nret)
{
	put_header(at, token, nargs, nret);
	for (uint32_t i = 0; i < nargs; i++) {
		gm_put32(l, at + 12 + 4 * i, args[i]);
	}
	a.nr = KVMPPC_H_RTAS;
	a.arg[0] = at;
	if (hcall_dispatch(vc, GUEST_MSR, &a) != H_SUCCESS) {
		return RTAS_CANARY;
	}
	for (uint32_t i = 0; i < nret; i++) {
		rets[i] = gm_get32(l, at + 12 + 4 * (nargs + i));
	}
	return rets[0];
}

TEST(rtas_set_time_of_day, round_trips_every_day_from_1970_to_2500)
{
	struct tod want = { 1970, 1, 1, 0, 0, 0 };
	uint32_t n = 0;

	REQUIRE(setup());
	rtas_init_clock();
	while (want.y < 2500 && !test_failed()) {
		uint32_t args[7] = { want.y, want.mo, want.d, n % 24, n % 60,
				     (n * 7) % 60, 0 };
		struct tod got;

		want.h = args[3];
		want.mi = args[4];
		want.s = args[5];
		CHECK_EQ(quick_rtas(RBUF, RTAS_SET_TIME_OF_DAY, 7, args, 1),
			 RTAS_OUT_SUCCESS);
		CHECK_EQ(quick_rtas(RBUF, RTAS_GET_TIME_OF_DAY, 0, args, 8),
			 RTAS_OUT_SUCCESS);
		got = (struct tod){ rets[1], rets[2], rets[3],
				    rets[4], rets[5], rets[6] };
		CHECK_TOD(&got, &want);
		next_day(&want);
		n++;
	}
	CHECK_GT(n, 193000);
	CHECK(fake_guards_intact(l));
	CHECK_EQ(fake_locks_held, 0);
}

TEST(rtas_set_time_of_day, keeps_counting_from_the_time_set)
{
	struct tod t;
	uint32_t ns;

	REQUIRE(setup());
	rtas_init_clock();
	CHECK_EQ(set_tod(&(struct tod){ 2030, 6, 15, 12, 30, 0 }),
		 RTAS_OUT_SUCCESS);
	fake_tb += 90 * FAKE_TB_FREQ + FAKE_TB_FREQ / 4;
	get_tod(&t, &ns);
	CHECK_TOD(&t, (&(struct tod){ 2030, 6, 15, 12, 31, 30 }));
	CHECK_EQ(ns, 250000000);
}

/* QEMU keeps a signed offset (spapr_rtc.c): earlier dates work. */
TEST(rtas_set_time_of_day, round_trips_a_date_before_1970_as_qemu)
{
	static const struct tod moon = { 1969, 7, 20, 20, 17, 40 };
	struct tod t;

	REQUIRE(setup());
	rtas_init_clock();
	CHECK_EQ(set_tod(&moon), RTAS_OUT_SUCCESS);
	get_tod(&t, NULL);
	CHECK_TOD(&t, &moon);
}

/*
 * The partition's own RTAS code (slof/rtas.S) and the clock lparvisor
 * keeps for it in the RTAS area.  code_tod() is the code's algorithm in
 * C, step for step (its checks, then its 64-bit arithmetic on the clock
 * read from guest memory); the tests hold its cells against the full
 * path's at the same timebase.  The guest payload tests/guest/rtas.c
 * holds the assembly itself against the hypervisor.
 */
#define CODE_BASE (MEM_SIZE - SZ_64K) /* where the code is placed */
#define CLOCK_AT(base, f) ((base) + LAYOUT_RTAS_CLOCK_OFFSET + LAYOUT_RTAS_CLOCK_##f)

static bool code_tod(uint64_t base, uint64_t buf, uint64_t tb, uint32_t out[8])
{
	uint64_t tb0 = gm_get64(l, CLOCK_AT(base, TB));
	uint64_t freq = gm_get64(l, CLOCK_AT(base, FREQ));
	uint64_t secs0 = gm_get64(l, CLOCK_AT(base, SECS));
	uint64_t limit = gm_get64(l, CLOCK_AT(base, LIMIT));
	uint64_t ticks, s, ns, days, sod, z, era, doe, yoe, doy, mp, d, m, y;

	if ((buf >> 32) || (buf & 3) || buf + 44 > limit) {
		return false;
	}
	if (gm_get32(l, buf) != RTAS_GET_TIME_OF_DAY || gm_get32(l, buf + 4) ||
	    gm_get32(l, buf + 8) != 8 || !freq) {
		return false;
	}
	ticks = tb - tb0;
	s = ticks / freq;
	ns = (ticks - s * freq) * 1000000000ull / freq;
	s += secs0;
	if ((int64_t)s < 0) {
		return false;
	}
	days = s / 86400;
	sod = s - days * 86400;
	out[4] = (uint32_t)(sod / 3600);
	sod -= sod / 3600 * 3600;
	out[5] = (uint32_t)(sod / 60);
	out[6] = (uint32_t)(sod - sod / 60 * 60);
	out[7] = (uint32_t)ns;
	z = days + 719468;
	era = z / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	y = yoe + era * 400 + (m <= 2);
	out[1] = (uint32_t)y;
	out[2] = (uint32_t)m;
	out[3] = (uint32_t)d;
	out[0] = RTAS_OUT_SUCCESS;
	return true;
}

/* The code's cells and the full path's, at the timebase fake_tb. */
static void check_code_as_full_path(const char *file, int line, uint64_t base)
{
	uint32_t code[8], full[8];

	if (!code_tod(base, RBUF, fake_tb, code)) {
		test_fail(file, line, "the code declined get-time-of-day");
		return;
	}
	if (quick_rtas(RBUF, RTAS_GET_TIME_OF_DAY, 0, NULL, 8) !=
	    RTAS_OUT_SUCCESS) {
		test_fail(file, line, "the full path failed");
		return;
	}
	memcpy(full, rets, sizeof(full));
	if (memcmp(code, full, sizeof(code))) {
		test_fail(file, line,
			  "code %u-%02u-%02u %02u:%02u:%02u.%09u, full path "
			  "%u-%02u-%02u %02u:%02u:%02u.%09u", code[1], code[2],
			  code[3], code[4], code[5], code[6], code[7], full[1],
			  full[2], full[3], full[4], full[5], full[6], full[7]);
	}
}
#define CHECK_CODE_AS_FULL_PATH(base) \
	check_code_as_full_path(__FILE__, __LINE__, base)

TEST(rtas_code, its_clock_is_written_where_it_is_placed)
{
	uint8_t *snap;

	REQUIRE(setup());
	fake_tb = 777777;
	rtas_init_clock();
	snap = gm_snapshot(l);
	REQUIRE(lpar_place_rtas(l, CODE_BASE));
	CHECK_EQ(gm_get64(l, CLOCK_AT(CODE_BASE, TB)), 777777u);
	CHECK_EQ(gm_get64(l, CLOCK_AT(CODE_BASE, FREQ)), FAKE_TB_FREQ);
	/* 2026-01-01 00:00:00 without a platform clock. */
	CHECK_EQ(gm_get64(l, CLOCK_AT(CODE_BASE, SECS)), 1767225600u);
	CHECK_EQ(gm_get64(l, CLOCK_AT(CODE_BASE, LIMIT)), MEM_SIZE);
	/* Nothing but the four doublewords. */
	memcpy(fake_gmem(l) + CODE_BASE + LAYOUT_RTAS_CLOCK_OFFSET,
	       snap + CODE_BASE + LAYOUT_RTAS_CLOCK_OFFSET,
	       LAYOUT_RTAS_CLOCK_SIZE);
	CHECK(gm_unchanged(l, snap));
}

TEST(rtas_code, answers_as_the_full_path_at_every_timebase)
{
	REQUIRE(setup());
	fake_tb = 123456789;
	rtas_init_clock();
	REQUIRE(lpar_place_rtas(l, CODE_BASE));
	put_header(RBUF, RTAS_GET_TIME_OF_DAY, 0, 8);
	for (uint64_t t = 0; t < 3 * FAKE_TB_FREQ && !test_failed();
	     t += FAKE_TB_FREQ / 7 + 1) {
		fake_tb = 123456789 + t;
		CHECK_CODE_AS_FULL_PATH(CODE_BASE);
	}
	/* Years on: the timebase far from the clock's. */
	fake_tb = 123456789 + 86400ull * 365 * 40 * FAKE_TB_FREQ + 12345;
	CHECK_CODE_AS_FULL_PATH(CODE_BASE);
}

TEST(rtas_code, follows_set_time_of_day_across_every_midnight_to_2500)
{
	struct tod want = { 1970, 1, 1, 23, 59, 59 };
	uint32_t n = 0;

	REQUIRE(setup());
	fake_tb = 1ull << 36;
	rtas_init_clock();
	REQUIRE(lpar_place_rtas(l, CODE_BASE));
	while (want.y < 2500 && !test_failed()) {
		uint32_t args[7] = { want.y, want.mo, want.d, 23, 59, 59, 0 };

		CHECK_EQ(quick_rtas(RBUF, RTAS_SET_TIME_OF_DAY, 7, args, 1),
			 RTAS_OUT_SUCCESS);
		put_header(RBUF, RTAS_GET_TIME_OF_DAY, 0, 8);
		fake_tb += FAKE_TB_FREQ / 3; /* 23:59:59.33 */
		CHECK_CODE_AS_FULL_PATH(CODE_BASE);
		fake_tb += FAKE_TB_FREQ;     /* 00:00:00.33 the next day */
		CHECK_CODE_AS_FULL_PATH(CODE_BASE);
		next_day(&want);
		n++;
	}
	CHECK_GT(n, 193000);
	CHECK(fake_guards_intact(l));
	CHECK_EQ(fake_locks_held, 0);
}

TEST(rtas_code, set_time_of_day_rewrites_only_the_seconds)
{
	uint64_t secs;
	uint8_t *snap;

	REQUIRE(setup());
	rtas_init_clock();
	REQUIRE(lpar_place_rtas(l, CODE_BASE));
	secs = gm_get64(l, CLOCK_AT(CODE_BASE, SECS));
	snap = gm_snapshot(l);
	CHECK_EQ(set_tod(&(struct tod){ 2030, 6, 15, 12, 30, 0 }),
		 RTAS_OUT_SUCCESS);
	CHECK_EQ(gm_get64(l, CLOCK_AT(CODE_BASE, SECS)),
		 secs + (uint64_t)rtas_tod_offset(l));
	memcpy(fake_gmem(l) + CLOCK_AT(CODE_BASE, SECS),
	       snap + CLOCK_AT(CODE_BASE, SECS), 8);
	/* The argument buffer took the call and its status. */
	memcpy(fake_gmem(l) + RBUF, snap + RBUF, 12 + 4 * RTAS_MAX_CELLS);
	CHECK(gm_unchanged(l, snap));
}

TEST(rtas_code, declines_what_it_cannot_answer_as_the_hypervisor_would)
{
	uint32_t out[8];

	REQUIRE(setup());
	rtas_init_clock();
	REQUIRE(lpar_place_rtas(l, CODE_BASE));
	put_header(RBUF, RTAS_GET_TIME_OF_DAY, 0, 8);
	CHECK(code_tod(CODE_BASE, RBUF, fake_tb, out));
	CHECK(!code_tod(CODE_BASE, RBUF + 2, fake_tb, out));
	CHECK(!code_tod(CODE_BASE, MEM_SIZE - 40, fake_tb, out));
	put_header(MEM_SIZE - 44, RTAS_GET_TIME_OF_DAY, 0, 8);
	CHECK(code_tod(CODE_BASE, MEM_SIZE - 44, fake_tb, out));
	CHECK(!code_tod(CODE_BASE, RBUF + (1ull << 32), fake_tb, out));
	put_header(RBUF, RTAS_GET_TIME_OF_DAY, 0, 7);
	CHECK(!code_tod(CODE_BASE, RBUF, fake_tb, out));
	put_header(RBUF, RTAS_GET_TIME_OF_DAY, 1, 8);
	CHECK(!code_tod(CODE_BASE, RBUF, fake_tb, out));
	put_header(RBUF, RTAS_SET_TIME_OF_DAY, 0, 8);
	CHECK(!code_tod(CODE_BASE, RBUF, fake_tb, out));
	/* Before 1970 (QEMU's signed offset): the hypervisor's to answer. */
	CHECK_EQ(set_tod(&(struct tod){ 1969, 7, 20, 20, 17, 40 }),
		 RTAS_OUT_SUCCESS);
	put_header(RBUF, RTAS_GET_TIME_OF_DAY, 0, 8);
	CHECK(!code_tod(CODE_BASE, RBUF, fake_tb, out));
}

TEST(rtas_code, an_unaligned_copy_gets_no_frequency_and_no_updates)
{
	uint64_t base = CODE_BASE + 4;
	uint32_t out[8];
	uint64_t secs;

	REQUIRE(setup());
	rtas_init_clock();
	REQUIRE(lpar_place_rtas(l, base));
	CHECK_EQ(gm_get64(l, CLOCK_AT(base, FREQ)), 0u);
	put_header(RBUF, RTAS_GET_TIME_OF_DAY, 0, 8);
	CHECK(!code_tod(base, RBUF, fake_tb, out));
	secs = gm_get64(l, CLOCK_AT(base, SECS));
	CHECK_EQ(set_tod(&(struct tod){ 2030, 6, 15, 12, 30, 0 }),
		 RTAS_OUT_SUCCESS);
	CHECK_EQ(gm_get64(l, CLOCK_AT(base, SECS)), secs);
}

TEST(rtas_code, a_reboot_forgets_where_the_clock_was)
{
	uint64_t secs;

	REQUIRE(setup());
	rtas_init_clock();
	REQUIRE(lpar_place_rtas(l, CODE_BASE));
	lpar_units_reset(l);
	secs = gm_get64(l, CLOCK_AT(CODE_BASE, SECS));
	CHECK_EQ(set_tod(&(struct tod){ 2030, 6, 15, 12, 30, 0 }),
		 RTAS_OUT_SUCCESS);
	CHECK_EQ(gm_get64(l, CLOCK_AT(CODE_BASE, SECS)), secs);
}

TEST(rtas_code, the_latest_copy_is_the_one_kept_in_time)
{
	uint64_t secs;

	REQUIRE(setup());
	rtas_init_clock();
	REQUIRE(lpar_place_rtas(l, CODE_BASE));
	REQUIRE(lpar_place_rtas(l, CODE_BASE - SZ_64K));
	secs = gm_get64(l, CLOCK_AT(CODE_BASE, SECS));
	CHECK_EQ(set_tod(&(struct tod){ 2030, 6, 15, 12, 30, 0 }),
		 RTAS_OUT_SUCCESS);
	CHECK_EQ(gm_get64(l, CLOCK_AT(CODE_BASE, SECS)), secs);
	put_header(RBUF, RTAS_GET_TIME_OF_DAY, 0, 8);
	CHECK_CODE_AS_FULL_PATH(CODE_BASE - SZ_64K);
}

/*
 * Registration: rtas_table_build() on fake rows
 */

static void fake_service(struct rtas_call *c)
{
	(void)c;
}

#define SROW(tok_, name_, file_)                                             \
	{ .token = (tok_), .name = (name_), .fn = fake_service,             \
	  .fn_name = "fake_service", .file = (file_), .status = "done",     \
	  .nargs = RTAS_ANY, .nret = RTAS_ANY }

TEST(rtas_table_build, refuses_a_token_or_a_name_used_twice)
{
	static const struct rtas_service same_token[] = {
		SROW(0x2003, "power-off", "rtas/rtas.c"),
		SROW(0x2001, "get-time-of-day", "rtas/rtas.c"),
		SROW(0x2003, "ibm,new", "vio/new.c"),
	};
	static const struct rtas_service same_name[] = {
		SROW(0x2003, "power-off", "rtas/rtas.c"),
		SROW(0x2020, "power-off", "vio/new.c"),
	};
	struct rtas_service out[8];
	const struct rtas_service *a = NULL, *b = NULL;
	uint32_t n = 99;

	CHECK_EQ(rtas_table_build(same_token, 3, out, 8, &n, &a, &b),
		 RTAS_BUILD_DUPLICATE);
	CHECK(a == &same_token[0] && b == &same_token[2]);
	CHECK_EQ(n, 0);
	CHECK_EQ(rtas_table_build(same_name, 2, out, 8, &n, &a, &b),
		 RTAS_BUILD_DUPLICATE);
	CHECK(a == &same_name[0] && b == &same_name[1]);
}

TEST(rtas_table_build, sorts_by_token_and_refuses_too_many)
{
	static const struct rtas_service rows[] = {
		SROW(0x201f, "c", "x.c"), SROW(0x2000, "a", "x.c"),
		SROW(0x2006, "b", "x.c"),
	};
	struct rtas_service out[8];
	const struct rtas_service *a = NULL, *b = NULL;
	uint32_t n = 0;

	CHECK_EQ(rtas_table_build(rows, 3, out, 8, &n, &a, &b), RTAS_BUILD_OK);
	REQUIRE_EQ(n, 3);
	CHECK_EQ(out[0].token, 0x2000);
	CHECK_EQ(out[1].token, 0x2006);
	CHECK_EQ(out[2].token, 0x201f);
	CHECK_EQ(rtas_table_build(rows, 3, out, 2, &n, &a, &b),
		 RTAS_BUILD_TOO_MANY);
}

TEST(rtas_rows, every_service_is_registered_where_it_lives)
{
	CHECK_EQ(rtas_service_count, 22);
	for (uint32_t i = 0; i < rtas_service_count; i++) {
		const struct rtas_service *s = &rtas_services[i];

		if (s->token == RTAS_DISPLAY_CHARACTER) {
			CHECK_STR_EQ(s->file, "vio/vty.c");
		} else if (s->token == RTAS_NVRAM_FETCH ||
			   s->token == RTAS_NVRAM_STORE) {
			CHECK_STR_EQ(s->file, "vio/nvram.c");
		} else if (s->token == RTAS_IBM_SET_TCE_BYPASS) {
			CHECK_STR_EQ(s->file, "vio/bus.c");
		} else if (s->token == RTAS_CHECK_EXCEPTION) {
			CHECK_STR_EQ(s->file, "rtas/events.c");
		} else if (s->token >= RTAS_IBM_SET_XIVE &&
			   s->token <= RTAS_IBM_INT_ON) {
			CHECK_STR_EQ(s->file, "intc/intc.c");
			CHECK_EQ(s->intc, HCALL_INTC_XICS);
		} else {
			CHECK_STR_EQ(s->file, "rtas/rtas.c");
		}
	}
}

TEST(rtas_rows, the_rtas_unit_gives_the_guest_tree_every_token)
{
	struct guest_dt_params p;

	REQUIRE(setup());
	memset(&p, 0, sizeof(p));
	lpar_units_guest_dt(l, &p);
	REQUIRE_EQ(p.rtas_token_count, rtas_service_count);
	REQUIRE(p.rtas_tokens != NULL);
	for (uint32_t i = 0; i < rtas_service_count; i++) {
		CHECK_STR_EQ(p.rtas_tokens[i].name, rtas_services[i].name);
		CHECK_EQ(p.rtas_tokens[i].token, rtas_services[i].token);
	}
}

/*
 * The fast path (rtas_fast_tod(), called from boot/vectors.S through
 * rtas_fast_call()): get-time-of-day answered as h_rtas() answers it,
 * anything else declined with nothing read past the header and nothing
 * written, so that the full path sees the call untouched.
 */

/*
 * Memory cleared on first touch, armed: the fast path only asks whether
 * the buffer is clean (it never clears nor waits); clearing is the full
 * path's.
 */
static struct {
	struct gmem_lazy z;
	bool clean;
	uint64_t gpa, len;
	uint32_t asked, touched;
} lazy;

static bool lazy_clean(const struct gmem_lazy *z, uint64_t gpa, uint64_t len)
{
	(void)z;
	lazy.gpa = gpa;
	lazy.len = len;
	lazy.asked++;
	return lazy.clean;
}

static void lazy_touch(struct gmem_lazy *z, uint64_t gpa, uint64_t len)
{
	(void)z;
	(void)gpa;
	(void)len;
	lazy.touched++;
}

static void arm_lazy(bool clean)
{
	memset(&lazy, 0, sizeof(lazy));
	lazy.z.armed = 1;
	lazy.z.ensure = lazy_touch;
	lazy.z.clean = lazy_clean;
	lazy.clean = clean;
	l->mem.lazy = &lazy.z;
}

TEST(rtas_fast, takes_only_get_time_of_day_with_0_args_and_8_returns)
{
	static const uint32_t cases[][4] = {
		/* token, nargs, nret, taken */
		{ RTAS_GET_TIME_OF_DAY, 0, 8, 1 },
		{ RTAS_GET_TIME_OF_DAY, 0, 7, 0 },
		{ RTAS_GET_TIME_OF_DAY, 0, 9, 0 },
		{ RTAS_GET_TIME_OF_DAY, 1, 8, 0 },
		{ RTAS_GET_TIME_OF_DAY, 0xffffffff, 8, 0 },
		{ RTAS_SET_TIME_OF_DAY, 0, 8, 0 },
		{ RTAS_SET_TIME_OF_DAY, 7, 1, 0 },
		{ RTAS_GET_TIME_OF_DAY | 0x01000000, 0, 8, 0 },
		{ 0, 0, 8, 0 },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		be32 hdr[3] = { cpu_to_be32(cases[i][0]),
				cpu_to_be32(cases[i][1]),
				cpu_to_be32(cases[i][2]) };

		CHECK_EQ(rtas_fast_takes(hdr), (bool)cases[i][3]);
	}
}

TEST(rtas_fast, answers_get_time_of_day_as_the_full_path)
{
	uint32_t full[8], fast[8];
	uint8_t *snap;

	REQUIRE(setup());
	fake_rtc_present = true;
	fake_rtc_ymd = 0x20281231;
	fake_rtc_hms = 0x2359580000000000ull;
	rtas_init_clock();
	CHECK_EQ(set_tod(&(struct tod){ 2031, 2, 28, 23, 59, 59 }),
		 RTAS_OUT_SUCCESS);
	fake_tb += FAKE_TB_FREQ + FAKE_TB_FREQ / 8;
	CHECK_EQ(RTAS0(vc, RBUF, RTAS_GET_TIME_OF_DAY, 8, full), H_SUCCESS);
	put_header(RBUF + 0x100, RTAS_GET_TIME_OF_DAY, 0, 8);
	for (uint32_t i = 0; i < 8; i++) {
		gm_put32(l, RBUF + 0x100 + 12 + 4 * i, RTAS_CANARY);
	}
	snap = gm_snapshot(l);
	arm_lazy(true);
	CHECK(rtas_fast_tod(vc, RBUF + 0x100));
	/* The whole buffer asked for once, nothing cleared. */
	CHECK_EQ(lazy.asked, 1);
	CHECK_EQ(lazy.gpa, RBUF + 0x100);
	CHECK_EQ(lazy.len, 44);
	CHECK_EQ(lazy.touched, 0);
	l->mem.lazy = NULL;
	for (uint32_t i = 0; i < 8; i++) {
		fast[i] = gm_get32(l, RBUF + 0x100 + 12 + 4 * i);
		/* Only the 8 return cells changed. */
		gm_put32(l, RBUF + 0x100 + 12 + 4 * i, RTAS_CANARY);
	}
	CHECK(gm_unchanged(l, snap));
	CHECK_EQ(full[0], RTAS_OUT_SUCCESS);
	for (uint32_t i = 0; i < 8; i++) {
		CHECK_EQ(fast[i], full[i]);
	}
	CHECK_EQ(fast[1], 2031u);
	CHECK_EQ(fast[2], 3u);
	CHECK_EQ(fast[3], 1u);
	CHECK_EQ(fast[4], 0u);
	CHECK_EQ(fast[5], 0u);
	CHECK_EQ(fast[6], 0u);
	CHECK_EQ(fast[7], 125000000u);
	CHECK(fake_guards_intact(l));
	CHECK_EQ(fake_locks_held, 0);
}

/* Declined: the full path must see the call as the guest made it. */
static void check_declined(uint64_t r4)
{
	uint8_t *snap = gm_snapshot(l);

	CHECK(!rtas_fast_tod(vc, r4));
	CHECK(gm_unchanged(l, snap));
	CHECK(fake_guards_intact(l));
	check_no_side_effects();
}

TEST(rtas_fast, declines_other_calls_and_counts_writing_nothing)
{
	REQUIRE(setup());
	rtas_init_clock();
	put_header(RBUF, RTAS_SET_TIME_OF_DAY, 7, 1);
	check_declined(RBUF);
	put_header(RBUF, RTAS_GET_TIME_OF_DAY, 0, 7);
	check_declined(RBUF);
	put_header(RBUF, RTAS_GET_TIME_OF_DAY, 1, 8);
	check_declined(RBUF);
	put_header(RBUF, 0x1234, 0, 8);
	check_declined(RBUF);
}

TEST(rtas_fast, declines_a_buffer_not_whole_in_memory)
{
	static const uint64_t at[] = {
		MEM_SIZE - 44 + 4, /* the last return cell past the end */
		MEM_SIZE - 12,     /* only the header inside */
		MEM_SIZE,
		MEM_SIZE + 0x1000,
		0x0ffffffffffffff0ull, /* wraps */
	};

	REQUIRE(setup());
	rtas_init_clock();
	for (size_t i = 0; i < ARRAY_SIZE(at); i++) {
		if (at[i] + 12 <= MEM_SIZE) {
			put_header(at[i], RTAS_GET_TIME_OF_DAY, 0, 8);
		}
		check_declined(at[i]);
	}
	/* Ending exactly at the end of memory is whole: taken. */
	put_header(MEM_SIZE - 44, RTAS_GET_TIME_OF_DAY, 0, 8);
	CHECK(rtas_fast_tod(vc, MEM_SIZE - 44));
	CHECK_EQ(gm_get32(l, MEM_SIZE - 32), RTAS_OUT_SUCCESS);
	CHECK(fake_guards_intact(l));
}

TEST(rtas_fast, ignores_the_top_four_address_bits_as_the_full_path)
{
	REQUIRE(setup());
	rtas_init_clock();
	put_header(RBUF, RTAS_GET_TIME_OF_DAY, 0, 8);
	gm_put32(l, RBUF + 12, RTAS_CANARY);
	CHECK(rtas_fast_tod(vc, 0xf000000000000000ull | RBUF));
	CHECK_EQ(gm_get32(l, RBUF + 12), RTAS_OUT_SUCCESS);
	CHECK_EQ(gm_get32(l, RBUF + 16), 2026u);
	CHECK(fake_guards_intact(l));
}

TEST(rtas_fast, declines_an_unaligned_buffer)
{
	REQUIRE(setup());
	rtas_init_clock();
	for (uint64_t off = 1; off < 4; off++) {
		put_header(RBUF + off, RTAS_GET_TIME_OF_DAY, 0, 8);
		check_declined(RBUF + off);
	}
}

TEST(rtas_fast, declines_memory_not_yet_cleared_and_never_clears_it)
{
	REQUIRE(setup());
	rtas_init_clock();
	put_header(RBUF, RTAS_GET_TIME_OF_DAY, 0, 8);
	arm_lazy(false);
	check_declined(RBUF);
	CHECK_EQ(lazy.asked, 1);
	CHECK_EQ(lazy.touched, 0);
	/* A lazy memory without the clean hook: declined as well. */
	lazy.z.clean = NULL;
	check_declined(RBUF);
	CHECK_EQ(lazy.touched, 0);
	/* Disarmed: everything is cleared, the call is taken. */
	lazy.z.armed = 0;
	CHECK(rtas_fast_tod(vc, RBUF));
	CHECK_EQ(gm_get32(l, RBUF + 12), RTAS_OUT_SUCCESS);
	l->mem.lazy = NULL;
}

/*
 * The date of the last day converted is kept for every partition (one
 * doubleword): partitions with other clock offsets, called in turn, each
 * get their own date, and a day boundary is crossed correctly.
 */
TEST(rtas_get_time_of_day, partitions_in_turn_keep_their_own_dates)
{
	struct lpar *other;
	struct tod t;

	REQUIRE(setup());
	other = fake_lpar_create("db", 1, MEM_SIZE);
	REQUIRE(other != NULL);
	rtas_init_clock();
	CHECK_EQ(set_tod(&(struct tod){ 2030, 12, 31, 23, 59, 59 }),
		 RTAS_OUT_SUCCESS);
	CHECK_EQ(RTAS(other->vcpus[0], RBUF, RTAS_SET_TIME_OF_DAY, 1, rets,
		      1999, 2, 28, 23, 59, 59, 0), H_SUCCESS);
	CHECK_EQ(rets[0], RTAS_OUT_SUCCESS);
	for (int i = 0; i < 3; i++) {
		get_tod(&t, NULL);
		CHECK_TOD(&t, (&(struct tod){ 2030, 12, 31, 23, 59, 59 }));
		CHECK_EQ(RTAS0(other->vcpus[0], RBUF, RTAS_GET_TIME_OF_DAY, 8,
			       rets), H_SUCCESS);
		CHECK_EQ(rets[1], 1999u);
		CHECK_EQ(rets[2], 2u);
		CHECK_EQ(rets[3], 28u);
		/* The fast path reads the same dates. */
		put_header(RBUF + 0x200, RTAS_GET_TIME_OF_DAY, 0, 8);
		CHECK(rtas_fast_tod(vc, RBUF + 0x200));
		CHECK_EQ(gm_get32(l, RBUF + 0x200 + 16), 2030u);
		CHECK_EQ(gm_get32(l, RBUF + 0x200 + 24), 31u);
	}
	fake_tb += FAKE_TB_FREQ;
	CHECK_EQ(RTAS0(other->vcpus[0], RBUF, RTAS_GET_TIME_OF_DAY, 8, rets),
		 H_SUCCESS);
	CHECK_EQ(rets[1], 1999u);
	CHECK_EQ(rets[2], 3u);
	CHECK_EQ(rets[3], 1u);
	get_tod(&t, NULL);
	CHECK_TOD(&t, (&(struct tod){ 2031, 1, 1, 0, 0, 0 }));
	CHECK(fake_guards_intact(other));
}
