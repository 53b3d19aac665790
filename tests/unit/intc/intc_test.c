/*
 * Tests for intc/intc.c, the glue between partitions and the XICS model:
 * the XICS hcalls through hcall_dispatch() (server ids, the output line
 * mirrored into vcpu->irq, H_XIRR_X's timebase, the partition lock) and the
 * XICS RTAS services through KVMPPC_H_RTAS with QEMU 7.2's exact
 * nargs/nret rule (hw/intc/xics_spapr.c).  The state machine itself is
 * tested in tests/unit/xics_test.c.  Built against tests/unit/fake/.
 * Negative cases first.
 */
#include "intc/intc.h"
#include "intc/xics.h"
#include "tests/unit/fake/guestcall.h"
#include "tests/unit/test.h"

#if !defined(FAKE_HV_CPU_H) || !defined(FAKE_HV_LOCK_H)
#error "intc_test.c must be built with -Itests/unit/fake ahead of -I."
#endif

#define MEM_SIZE (16 * SZ_4K)
#define VCPUS 3
#define RBUF 0x1000ull
#define ST_PARAM ((uint32_t)RTAS_OUT_PARAM_ERROR)
#define IPI_PRIO 4
#define XIRR_IPI_AT_FF 0xff000002ull

static struct lpar *l;
static struct hcall_args a;
static uint32_t rets[RTAS_MAX_CELLS];

static bool setup(void)
{
	fake_reset();
	l = fake_lpar_create("web", VCPUS, MEM_SIZE);
	return l != NULL;
}

static struct vcpu *cpu(uint32_t i)
{
	return l->vcpus[i];
}

/* Every server at CPPR 0xff, as a booted Linux leaves them. */
static void open_all(void)
{
	for (uint32_t i = 0; i < VCPUS; i++) {
		CHECK_EQ(HCALL(cpu(i), &a, H_CPPR, 0xff), H_SUCCESS);
	}
}

/*
 * Hcalls
 */

TEST(intc_hcall, ipi_and_ipoll_reject_unknown_servers)
{
	static const uint64_t servers[] = {
		VCPUS, XICS_MAX_SERVERS, 0xffffffff, 1ull << 63 | VCPUS,
	};

	REQUIRE(setup());
	for (size_t i = 0; i < ARRAY_SIZE(servers); i++) {
		CHECK_EQ(HCALL(cpu(0), &a, H_IPI, servers[i], IPI_PRIO),
			 H_PARAMETER);
		CHECK_EQ(HCALL(cpu(0), &a, H_IPOLL, servers[i]), H_PARAMETER);
	}
	for (uint32_t i = 0; i < VCPUS; i++) {
		CHECK_EQ(cpu(i)->irq, 0);
	}
}

TEST(intc_hcall, ipi_truncates_the_server_to_32_bits_as_qemu)
{
	REQUIRE(setup());
	open_all();
	CHECK_EQ(HCALL(cpu(0), &a, H_IPI, 1ull << 32 | 2, IPI_PRIO),
		 H_SUCCESS);
	CHECK_EQ(cpu(2)->irq, 1);
}

TEST(intc_hcall, ipi_raises_the_target_line_until_accepted)
{
	REQUIRE(setup());
	open_all();
	CHECK_EQ(HCALL(cpu(0), &a, H_IPI, 1, IPI_PRIO), H_SUCCESS);
	CHECK_EQ(cpu(1)->irq, 1);
	CHECK_EQ(cpu(0)->irq + cpu(2)->irq, 0);
	/*
	 * The raised line kicks its vCPU, after the partition lock is
	 * dropped (the kicked vCPU's first act is to take it); lowering
	 * the line kicks nobody.
	 */
	CHECK_EQ(fake_calls.kicks, 1);
	CHECK(fake_calls.kick_vcpu == cpu(1));
	CHECK_EQ(fake_calls.kick_locks_held, 0);

	CHECK_EQ(HCALL(cpu(1), &a, H_XIRR, 0), H_SUCCESS);
	CHECK_EQ(a.ret[0], XIRR_IPI_AT_FF);
	CHECK_EQ(a.ret_count, 1);
	CHECK_EQ(cpu(1)->irq, 0);
	CHECK_EQ(fake_calls.kicks, 1);

	CHECK_EQ(HCALL(cpu(0), &a, H_IPI, 1, 0xff), H_SUCCESS);
	CHECK_EQ(HCALL(cpu(1), &a, H_EOI, XIRR_IPI_AT_FF), H_SUCCESS);
	CHECK_EQ(cpu(1)->irq, 0);
}

TEST(intc_hcall, cppr_and_xirr_use_the_calling_vcpu)
{
	REQUIRE(setup());
	CHECK_EQ(HCALL(cpu(2), &a, H_CPPR, 0xff), H_SUCCESS);
	/* Server 1 still has CPPR 0: its IPI waits. */
	CHECK_EQ(HCALL(cpu(0), &a, H_IPI, 1, IPI_PRIO), H_SUCCESS);
	CHECK_EQ(cpu(1)->irq, 0);
	CHECK_EQ(HCALL(cpu(0), &a, H_IPI, 2, IPI_PRIO), H_SUCCESS);
	CHECK_EQ(cpu(2)->irq, 1);
	CHECK_EQ(HCALL(cpu(1), &a, H_XIRR, 0), H_SUCCESS);
	CHECK_EQ(a.ret[0] & 0xffffff, XICS_IRQ_SPURIOUS);
	CHECK_EQ(cpu(2)->irq, 1);
}

TEST(intc_hcall, xirr_x_adds_the_timebase)
{
	REQUIRE(setup());
	open_all();
	CHECK_EQ(HCALL(cpu(0), &a, H_IPI, 0, IPI_PRIO), H_SUCCESS);
	fake_tb = 0x123456789ull;
	CHECK_EQ(HCALL(cpu(0), &a, H_XIRR_X, 0), H_SUCCESS);
	CHECK_EQ(a.ret_count, 2);
	CHECK_EQ(a.ret[0], XIRR_IPI_AT_FF);
	CHECK_EQ(a.ret[1], 0x123456789ull);
}

TEST(intc_hcall, ipoll_reads_without_accepting)
{
	REQUIRE(setup());
	open_all();
	CHECK_EQ(HCALL(cpu(0), &a, H_IPI, 2, IPI_PRIO), H_SUCCESS);
	CHECK_EQ(HCALL(cpu(0), &a, H_IPOLL, 2), H_SUCCESS);
	CHECK_EQ(a.ret_count, 2);
	CHECK_EQ(a.ret[0], XIRR_IPI_AT_FF);
	CHECK_EQ(a.ret[1], IPI_PRIO);
	CHECK_EQ(cpu(2)->irq, 1);
}

TEST(intc_create, reports_the_partition_when_the_heap_is_full)
{
	fake_reset();
	fake_heap_fail = true;
	CHECK(fake_lpar_create("full", 1, MEM_SIZE) == NULL);
	CHECK_STR_CONTAINS(fake_console(), "\"full\"");
	CHECK_EQ(lpar_count, 0);
}

/*
 * RTAS: ibm,set-xive, ibm,get-xive, ibm,int-off, ibm,int-on
 */

TEST(intc_rtas, wants_exact_argument_and_return_counts_as_qemu)
{
	static const struct {
		uint32_t token, nargs, nret;
	} bad[] = {
		{ RTAS_IBM_SET_XIVE, 3, 2 }, { RTAS_IBM_SET_XIVE, 2, 1 },
		{ RTAS_IBM_SET_XIVE, 4, 1 }, { RTAS_IBM_GET_XIVE, 1, 2 },
		{ RTAS_IBM_GET_XIVE, 1, 4 }, { RTAS_IBM_GET_XIVE, 0, 3 },
		{ RTAS_IBM_INT_OFF, 1, 2 },  { RTAS_IBM_INT_OFF, 2, 1 },
		{ RTAS_IBM_INT_ON, 1, 2 },   { RTAS_IBM_INT_ON, 0, 1 },
	};
	static const uint32_t args[] = { INTC_VTY_IRQ, 1, 5, 0 };
	uint32_t server, prio;

	REQUIRE(setup());
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		CHECK_EQ(guest_rtas_at(__FILE__, __LINE__, cpu(0), RBUF,
				       bad[i].token, bad[i].nargs, args,
				       bad[i].nret, rets),
			 H_SUCCESS);
		CHECK_EQ(rets[0], ST_PARAM);
	}
	/* Nothing changed: still masked, server 0. */
	CHECK_EQ(xics_rtas_get_xive(intc_of(l)->xics, INTC_VTY_IRQ, &server, &prio),
		 RTAS_OUT_SUCCESS);
	CHECK_EQ(server, 0);
	CHECK_EQ(prio, XICS_PRIO_MASKED);
}

TEST(intc_rtas, wrong_counts_with_no_return_cells_write_nothing)
{
	uint8_t *snap;

	REQUIRE(setup());
	gm_put32(l, RBUF, RTAS_IBM_INT_ON);
	gm_put32(l, RBUF + 4, 2);
	gm_put32(l, RBUF + 8, 0);
	snap = gm_snapshot(l);
	CHECK_EQ(HCALL(cpu(0), &a, KVMPPC_H_RTAS, RBUF), H_SUCCESS);
	CHECK(gm_unchanged(l, snap));
}

TEST(intc_rtas, set_xive_rejects_bad_source_server_or_priority)
{
	static const uint32_t bad[][3] = {
		{ XICS_IRQ_BASE - 1, 0, 5 },
		{ XICS_IRQ_BASE + INTC_SOURCES, 0, 5 },
		{ 0xffffffff, 0, 5 },
		{ INTC_VTY_IRQ, VCPUS, 5 },
		{ INTC_VTY_IRQ, 0xffffffff, 5 },
		{ INTC_VTY_IRQ, 0, 0x100 },
		{ INTC_VTY_IRQ, 0, 0xffffffff },
	};

	REQUIRE(setup());
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		RTAS(cpu(0), RBUF, RTAS_IBM_SET_XIVE, 1, rets, bad[i][0],
		     bad[i][1], bad[i][2]);
		CHECK_EQ(rets[0], ST_PARAM);
	}
	RTAS(cpu(0), RBUF, RTAS_IBM_GET_XIVE, 3, rets, INTC_VTY_IRQ);
	CHECK_EQ(rets[1], 0);
	CHECK_EQ(rets[2], XICS_PRIO_MASKED);
}

TEST(intc_rtas, get_xive_and_int_on_off_reject_sources_outside_the_ics)
{
	static const uint32_t irqs[] = {
		0, XICS_IPI, XICS_IRQ_BASE - 1, XICS_IRQ_BASE + INTC_SOURCES,
		0xffffffff,
	};

	REQUIRE(setup());
	for (size_t i = 0; i < ARRAY_SIZE(irqs); i++) {
		RTAS(cpu(0), RBUF, RTAS_IBM_GET_XIVE, 3, rets, irqs[i]);
		CHECK_EQ(rets[0], ST_PARAM);
		CHECK_EQ(rets[1], 0); /* outputs not written */
		RTAS(cpu(0), RBUF, RTAS_IBM_INT_OFF, 1, rets, irqs[i]);
		CHECK_EQ(rets[0], ST_PARAM);
		RTAS(cpu(0), RBUF, RTAS_IBM_INT_ON, 1, rets, irqs[i]);
		CHECK_EQ(rets[0], ST_PARAM);
	}
}

TEST(intc_rtas, routes_masks_and_unmasks_a_source)
{
	REQUIRE(setup());
	RTAS(cpu(0), RBUF, RTAS_IBM_SET_XIVE, 1, rets, INTC_VTY_IRQ, 2, 5);
	CHECK_EQ(rets[0], RTAS_OUT_SUCCESS);
	RTAS(cpu(0), RBUF, RTAS_IBM_GET_XIVE, 3, rets, INTC_VTY_IRQ);
	CHECK_EQ(rets[0], RTAS_OUT_SUCCESS);
	CHECK_EQ(rets[1], 2);
	CHECK_EQ(rets[2], 5);

	RTAS(cpu(0), RBUF, RTAS_IBM_INT_OFF, 1, rets, INTC_VTY_IRQ);
	CHECK_EQ(rets[0], RTAS_OUT_SUCCESS);
	RTAS(cpu(0), RBUF, RTAS_IBM_GET_XIVE, 3, rets, INTC_VTY_IRQ);
	CHECK_EQ(rets[2], XICS_PRIO_MASKED);

	RTAS(cpu(0), RBUF, RTAS_IBM_INT_ON, 1, rets, INTC_VTY_IRQ);
	CHECK_EQ(rets[0], RTAS_OUT_SUCCESS);
	RTAS(cpu(0), RBUF, RTAS_IBM_GET_XIVE, 3, rets, INTC_VTY_IRQ);
	CHECK_EQ(rets[2], 5);
}

TEST(intc_rtas, delivers_the_vty_interrupt_to_the_routed_vcpu)
{
	REQUIRE(setup());
	open_all();
	RTAS(cpu(0), RBUF, RTAS_IBM_SET_XIVE, 1, rets, INTC_VTY_IRQ, 1, 5);
	REQUIRE_EQ(rets[0], RTAS_OUT_SUCCESS);
	spin_lock(&intc_of(l)->lock);
	CHECK_EQ(xics_set_irq(intc_of(l)->xics, INTC_VTY_IRQ, true), XICS_OK);
	spin_unlock(&intc_of(l)->lock);
	CHECK_EQ(cpu(1)->irq, 1);
	CHECK_EQ(HCALL(cpu(1), &a, H_XIRR, 0), H_SUCCESS);
	CHECK_EQ(a.ret[0], 0xff000000ull | INTC_VTY_IRQ);
	CHECK_EQ(cpu(1)->irq, 0);
}
