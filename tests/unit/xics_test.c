/*
 * Tests for intc/xics.c, the emulated XICS, against the behaviour of QEMU
 * 7.2 -M pseries (hw/intc/xics.c, xics_spapr.c).  The ICS has QEMU's
 * geometry (0x1000 sources from 0x1000); four servers.  The partition's
 * interrupt lines are observed through the notify callback, which records
 * every call.  Negative cases come first.
 */
#include "hv/abi/hcall.h"
#include "hv/abi/rtas.h"
#include "intc/xics.h"
#include "tests/unit/test.h"

#define SERVERS 4
#define SOURCES XICS_MAX_SOURCES
#define LSI_A 0x1200 /* like a PCI INTA */
#define MSI_A 0x1300 /* from QEMU's MSI pool */
#define MSI_B 0x1301
#define DEFAULT_PRIORITY 5 /* Linux asm/xics.h */
#define IPI_PRIORITY 4

struct note {
	uint32_t server;
	bool line;
};

struct fixture {
	struct xics *x;
	struct note log[32];
	unsigned int count;
};

static _Alignas(8) unsigned char xics_mem[XICS_SIZE(SERVERS, SOURCES)];
static struct fixture fx;

static void record(void *ctx, uint32_t server, bool line)
{
	struct fixture *f = ctx;

	if (f->count < sizeof(f->log) / sizeof(f->log[0])) {
		f->log[f->count].server = server;
		f->log[f->count].line = line;
	}
	f->count++;
}

/* A fresh XICS exactly as xics_init() leaves it (every CPPR 0). */
static struct xics *xics_fresh(void)
{
	memset(&fx, 0, sizeof(fx));
	memset(xics_mem, 0xa5, sizeof(xics_mem));
	fx.x = (struct xics *)xics_mem;
	if (xics_init(fx.x, SERVERS, XICS_IRQ_BASE, SOURCES, record, &fx) !=
	    XICS_OK) {
		return NULL;
	}
	return fx.x;
}

/* As a booted Linux leaves it: every CPPR 0xff; the log starts empty. */
static struct xics *xics_booted(void)
{
	struct xics *x = xics_fresh();
	uint32_t s;

	if (!x) {
		return NULL;
	}
	for (s = 0; s < SERVERS; s++) {
		xics_h_cppr(x, s, 0xff);
	}
	fx.count = 0;
	return x;
}

static uint64_t poll_xirr(struct xics *x, uint32_t server)
{
	uint64_t xirr = ~0ull, mfrr = ~0ull;

	CHECK_EQ(xics_h_ipoll(x, server, &xirr, &mfrr), H_SUCCESS);
	return xirr;
}

static uint64_t poll_mfrr(struct xics *x, uint32_t server)
{
	uint64_t xirr = ~0ull, mfrr = ~0ull;

	CHECK_EQ(xics_h_ipoll(x, server, &xirr, &mfrr), H_SUCCESS);
	return mfrr;
}

static uint64_t accept(struct xics *x, uint32_t server)
{
	uint64_t xirr = ~0ull;

	CHECK_EQ(xics_h_xirr(x, server, &xirr), H_SUCCESS);
	return xirr;
}

/* Claim `irq` and route it to `server` at `prio`. */
static void source_setup(struct xics *x, uint32_t irq, bool lsi,
			 uint32_t server, uint32_t prio)
{
	CHECK_EQ(xics_irq_claim(x, irq, lsi), XICS_OK);
	CHECK(xics_rtas_set_xive(x, irq, server, prio) == RTAS_OUT_SUCCESS);
}

static void check_xive(struct xics *x, uint32_t irq, uint32_t server,
		       uint32_t prio)
{
	uint32_t s = ~0u, p = ~0u;

	CHECK(xics_rtas_get_xive(x, irq, &s, &p) == RTAS_OUT_SUCCESS);
	CHECK_EQ(s, server);
	CHECK_EQ(p, prio);
}

/*
 * Negative cases.
 */

TEST(xics_init, rejects_bad_geometry)
{
	struct xics *x = (struct xics *)xics_mem;

	CHECK_EQ(xics_init(x, 0, XICS_IRQ_BASE, 16, record, &fx), XICS_EINVAL);
	CHECK_EQ(xics_init(x, XICS_MAX_SERVERS + 1, XICS_IRQ_BASE, 16, NULL,
			   NULL),
		 XICS_EINVAL);
	CHECK_EQ(xics_init(x, 1, XICS_IRQ_BASE, 0, NULL, NULL), XICS_EINVAL);
	CHECK_EQ(xics_init(x, 1, XICS_IRQ_BASE, XICS_MAX_SOURCES + 1, NULL,
			   NULL),
		 XICS_EINVAL);
	/* Source numbers may not alias XISR 0 (none) or 2 (the IPI). */
	CHECK_EQ(xics_init(x, 1, 0, 16, NULL, NULL), XICS_EINVAL);
	CHECK_EQ(xics_init(x, 1, XICS_IPI, 16, NULL, NULL), XICS_EINVAL);
	/* Nor pass the 24-bit XISR. */
	CHECK_EQ(xics_init(x, 1, 0xfffff8, 16, NULL, NULL), XICS_EINVAL);
	CHECK_EQ(xics_init(x, 1, 0xffffff00, 16, NULL, NULL), XICS_EINVAL);
	CHECK_EQ(xics_init(x, 1, 0xfffff0, 16, NULL, NULL), XICS_OK);
	CHECK_EQ(xics_init(x, 1, XICS_IPI + 1, 16, NULL, NULL), XICS_OK);
}

TEST(h_ipi, rejects_missing_server)
{
	struct xics *x = xics_booted();

	REQUIRE(x);
	CHECK(xics_h_ipi(x, SERVERS, IPI_PRIORITY) == H_PARAMETER);
	CHECK(xics_h_ipi(x, 0xffffffffull, IPI_PRIORITY) == H_PARAMETER);
	CHECK(xics_h_ipi(x, 0x80000000ull, IPI_PRIORITY) == H_PARAMETER);
	CHECK_EQ(fx.count, 0);
	CHECK_EQ(poll_mfrr(x, 0), 0xff);
}

TEST(h_ipoll, rejects_missing_server_and_leaves_outputs)
{
	struct xics *x = xics_booted();
	uint64_t xirr = 0x1234, mfrr = 0x5678;

	REQUIRE(x);
	CHECK(xics_h_ipoll(x, SERVERS, &xirr, &mfrr) == H_PARAMETER);
	CHECK_EQ(xirr, 0x1234);
	CHECK_EQ(mfrr, 0x5678);
}

TEST(xics_hcalls, reject_missing_calling_server)
{
	struct xics *x = xics_booted();
	uint64_t xirr = 0x1234;

	REQUIRE(x);
	CHECK(xics_h_cppr(x, SERVERS, 0xff) == H_PARAMETER);
	CHECK(xics_h_xirr(x, SERVERS, &xirr) == H_PARAMETER);
	CHECK_EQ(xirr, 0x1234);
	CHECK(xics_h_eoi(x, SERVERS, 0xff000002) == H_PARAMETER);
	CHECK(xics_h_cppr(x, 0xffffffffu, 0xff) == H_PARAMETER);
	CHECK(!xics_server_pending(x, SERVERS));
	CHECK_EQ(fx.count, 0);
}

TEST(rtas_set_xive, rejects_irq_outside_ics)
{
	struct xics *x = xics_booted();

	REQUIRE(x);
	CHECK(xics_rtas_set_xive(x, XICS_IRQ_BASE - 1, 0, 5) ==
	      RTAS_OUT_PARAM_ERROR);
	CHECK(xics_rtas_set_xive(x, XICS_IRQ_BASE + SOURCES, 0, 5) ==
	      RTAS_OUT_PARAM_ERROR);
	CHECK(xics_rtas_set_xive(x, XICS_IPI, 0, 5) == RTAS_OUT_PARAM_ERROR);
	CHECK(xics_rtas_set_xive(x, 0, 0, 5) == RTAS_OUT_PARAM_ERROR);
	CHECK(xics_rtas_set_xive(x, 0xffffffffu, 0, 5) ==
	      RTAS_OUT_PARAM_ERROR);
	CHECK_EQ(RTAS_OUT_PARAM_ERROR, -3);
}

TEST(rtas_set_xive, rejects_missing_server_and_keeps_config)
{
	struct xics *x = xics_booted();

	REQUIRE(x);
	source_setup(x, MSI_A, false, 1, DEFAULT_PRIORITY);
	CHECK(xics_rtas_set_xive(x, MSI_A, SERVERS, 3) ==
	      RTAS_OUT_PARAM_ERROR);
	CHECK(xics_rtas_set_xive(x, MSI_A, 0xffffffffu, 3) ==
	      RTAS_OUT_PARAM_ERROR);
	check_xive(x, MSI_A, 1, DEFAULT_PRIORITY);
}

TEST(rtas_set_xive, rejects_priority_above_0xff)
{
	struct xics *x = xics_booted();

	REQUIRE(x);
	source_setup(x, MSI_A, false, 1, DEFAULT_PRIORITY);
	CHECK(xics_rtas_set_xive(x, MSI_A, 0, 0x100) == RTAS_OUT_PARAM_ERROR);
	CHECK(xics_rtas_set_xive(x, MSI_A, 0, 0x105) == RTAS_OUT_PARAM_ERROR);
	check_xive(x, MSI_A, 1, DEFAULT_PRIORITY);
}

TEST(rtas_xive, get_off_on_reject_irq_outside_ics)
{
	struct xics *x = xics_booted();
	uint32_t server = 0x1234, prio = 0x5678;

	REQUIRE(x);
	CHECK(xics_rtas_get_xive(x, XICS_IRQ_BASE - 1, &server, &prio) ==
	      RTAS_OUT_PARAM_ERROR);
	CHECK(xics_rtas_get_xive(x, XICS_IRQ_BASE + SOURCES, &server,
				 &prio) == RTAS_OUT_PARAM_ERROR);
	CHECK_EQ(server, 0x1234);
	CHECK_EQ(prio, 0x5678);
	CHECK(xics_rtas_int_off(x, XICS_IPI) == RTAS_OUT_PARAM_ERROR);
	CHECK(xics_rtas_int_off(x, XICS_IRQ_BASE + SOURCES) ==
	      RTAS_OUT_PARAM_ERROR);
	CHECK(xics_rtas_int_on(x, XICS_IPI) == RTAS_OUT_PARAM_ERROR);
	CHECK(xics_rtas_int_on(x, XICS_IRQ_BASE + SOURCES) ==
	      RTAS_OUT_PARAM_ERROR);
}

TEST(xics_irq_claim, rejects_outside_ics_and_double_claim)
{
	struct xics *x = xics_booted();

	REQUIRE(x);
	CHECK_EQ(xics_irq_claim(x, XICS_IRQ_BASE - 1, false), XICS_EINVAL);
	CHECK_EQ(xics_irq_claim(x, XICS_IRQ_BASE + SOURCES, true),
		 XICS_EINVAL);
	CHECK_EQ(xics_irq_claim(x, MSI_A, false), XICS_OK);
	CHECK_EQ(xics_irq_claim(x, MSI_A, false), XICS_EBUSY);
	CHECK_EQ(xics_irq_claim(x, MSI_A, true), XICS_EBUSY);
	CHECK_EQ(xics_irq_free(x, XICS_IRQ_BASE + SOURCES), XICS_EINVAL);
	CHECK_EQ(xics_irq_free(x, MSI_A), XICS_OK);
	CHECK_EQ(xics_irq_claim(x, MSI_A, true), XICS_OK);
}

TEST(xics_set_irq, rejects_irq_outside_ics)
{
	struct xics *x = xics_booted();

	REQUIRE(x);
	CHECK_EQ(xics_set_irq(x, XICS_IPI, true), XICS_EINVAL);
	CHECK_EQ(xics_set_irq(x, XICS_IRQ_BASE + SOURCES, true), XICS_EINVAL);
	CHECK_EQ(fx.count, 0);
}

/* QEMU passes the server register to an int: the top half is lost. */
TEST(h_ipi, server_register_truncated_to_32_bits)
{
	struct xics *x = xics_booted();
	uint64_t xirr = 0, mfrr = 0;

	REQUIRE(x);
	CHECK(xics_h_ipi(x, 0x100000001ull, IPI_PRIORITY) == H_SUCCESS);
	CHECK(xics_server_pending(x, 1));
	CHECK(xics_h_ipoll(x, 0x700000001ull, &xirr, &mfrr) == H_SUCCESS);
	CHECK_EQ(xirr, 0xff000002);
	CHECK_EQ(mfrr, IPI_PRIORITY);
}

/* ... and the MFRR and CPPR registers to a uint8_t. */
TEST(h_ipi, mfrr_and_cppr_take_low_byte_only)
{
	struct xics *x = xics_booted();

	REQUIRE(x);
	CHECK(xics_h_ipi(x, 1, 0x1ff) == H_SUCCESS);
	CHECK_EQ(poll_mfrr(x, 1), 0xff);
	CHECK(!xics_server_pending(x, 1));
	CHECK(xics_h_cppr(x, 1, 0x103) == H_SUCCESS);
	CHECK_EQ(poll_xirr(x, 1), 0x03000000);
}

/*
 * IPIs and the ICP.
 */

TEST(xics_init, cppr_0_accepts_nothing_until_set)
{
	struct xics *x = xics_fresh();

	REQUIRE(x);
	CHECK_EQ(poll_xirr(x, 0), 0);
	CHECK_EQ(poll_mfrr(x, 0), 0xff);
	check_xive(x, MSI_A, 0, 0xff);
	CHECK(xics_h_ipi(x, 0, 0) == H_SUCCESS);
	CHECK(!xics_server_pending(x, 0));
	CHECK(xics_h_cppr(x, 0, 0xff) == H_SUCCESS);
	CHECK(xics_server_pending(x, 0));
	CHECK_EQ(poll_xirr(x, 0), 0xff000002);
}

TEST(h_ipi, delivered_to_other_server_accept_eoi)
{
	struct xics *x = xics_booted();

	REQUIRE(x);
	/* Server 0 sends an IPI to server 2, as Linux's cause_ipi does. */
	CHECK(xics_h_ipi(x, 2, IPI_PRIORITY) == H_SUCCESS);
	CHECK(xics_server_pending(x, 2));
	CHECK(!xics_server_pending(x, 0));
	CHECK_EQ(poll_xirr(x, 2), 0xff000002);
	CHECK_EQ(poll_mfrr(x, 2), IPI_PRIORITY);

	/* Server 2 takes it: old CPPR 0xff, XISR 2. */
	CHECK_EQ(accept(x, 2), 0xff000002);
	CHECK(!xics_server_pending(x, 2));
	CHECK_EQ(poll_xirr(x, 2), 0x04000000);

	/* The handler clears MFRR, then EOIs with the CPPR it had. */
	CHECK(xics_h_ipi(x, 2, 0xff) == H_SUCCESS);
	CHECK(xics_h_eoi(x, 2, 0xff000002) == H_SUCCESS);
	CHECK_EQ(poll_xirr(x, 2), 0xff000000);
	CHECK(!xics_server_pending(x, 2));

	REQUIRE_EQ(fx.count, 2);
	CHECK_EQ(fx.log[0].server, 2);
	CHECK_EQ(fx.log[0].line, true);
	CHECK_EQ(fx.log[1].server, 2);
	CHECK_EQ(fx.log[1].line, false);
}

TEST(h_ipi, presented_again_after_eoi_while_mfrr_set)
{
	struct xics *x = xics_booted();

	REQUIRE(x);
	CHECK(xics_h_ipi(x, 1, IPI_PRIORITY) == H_SUCCESS);
	CHECK_EQ(accept(x, 1), 0xff000002);
	CHECK(xics_h_eoi(x, 1, 0xff000002) == H_SUCCESS);
	CHECK(xics_server_pending(x, 1));
	CHECK_EQ(poll_xirr(x, 1), 0xff000002);
}

/* QEMU: writing MFRR 0xff does not take back an IPI already presented. */
TEST(h_ipi, clearing_mfrr_does_not_withdraw_presented_ipi)
{
	struct xics *x = xics_booted();

	REQUIRE(x);
	CHECK(xics_h_ipi(x, 1, IPI_PRIORITY) == H_SUCCESS);
	CHECK(xics_h_ipi(x, 1, 0xff) == H_SUCCESS);
	CHECK(xics_server_pending(x, 1));
	CHECK_EQ(accept(x, 1), 0xff000002);
	CHECK(xics_h_eoi(x, 1, 0xff000002) == H_SUCCESS);
	CHECK(!xics_server_pending(x, 1));
}

TEST(h_cppr, mfrr_not_more_favoured_than_cppr_is_held)
{
	struct xics *x = xics_booted();

	REQUIRE(x);
	CHECK(xics_h_cppr(x, 1, 4) == H_SUCCESS);
	CHECK(xics_h_ipi(x, 1, 4) == H_SUCCESS); /* equal: held */
	CHECK(!xics_server_pending(x, 1));
	CHECK(xics_h_ipi(x, 1, 6) == H_SUCCESS); /* less favoured: held */
	CHECK(!xics_server_pending(x, 1));
	CHECK_EQ(poll_xirr(x, 1), 0x04000000);
	CHECK_EQ(fx.count, 0);

	/* Lowering CPPR below MFRR raises the line. */
	CHECK(xics_h_cppr(x, 1, 7) == H_SUCCESS);
	CHECK(xics_server_pending(x, 1));
	CHECK_EQ(poll_xirr(x, 1), 0x07000002);
	CHECK_EQ(fx.count, 1);
}

TEST(h_cppr, zero_holds_even_priority_zero)
{
	struct xics *x = xics_booted();

	REQUIRE(x);
	source_setup(x, MSI_A, false, 1, 0);
	CHECK(xics_h_cppr(x, 1, 0) == H_SUCCESS);
	CHECK(xics_h_ipi(x, 1, 0) == H_SUCCESS);
	CHECK_EQ(xics_set_irq(x, MSI_A, true), XICS_OK);
	CHECK(!xics_server_pending(x, 1));
	/* The IPI is resent first, then the ICS: the IPI wins the tie. */
	CHECK(xics_h_cppr(x, 1, 0xff) == H_SUCCESS);
	CHECK_EQ(accept(x, 1), 0xff000002);
	CHECK(xics_h_ipi(x, 1, 0xff) == H_SUCCESS);
	CHECK(xics_h_eoi(x, 1, 0xff000002) == H_SUCCESS);
	CHECK_EQ(accept(x, 1), 0xff000000 | MSI_A);
}

TEST(h_cppr, more_favoured_cppr_rejects_pending_ipi_until_lowered)
{
	struct xics *x = xics_booted();

	REQUIRE(x);
	CHECK(xics_h_ipi(x, 1, IPI_PRIORITY) == H_SUCCESS);
	CHECK(xics_server_pending(x, 1));
	CHECK(xics_h_cppr(x, 1, 3) == H_SUCCESS);
	CHECK(!xics_server_pending(x, 1));
	CHECK_EQ(poll_xirr(x, 1), 0x03000000);
	CHECK_EQ(poll_mfrr(x, 1), IPI_PRIORITY);
	CHECK(xics_h_cppr(x, 1, 0xff) == H_SUCCESS);
	CHECK(xics_server_pending(x, 1));
	CHECK_EQ(poll_xirr(x, 1), 0xff000002);
}

TEST(h_eoi, restores_cppr_from_xirr)
{
	struct xics *x = xics_booted();

	REQUIRE(x);
	CHECK(xics_h_cppr(x, 0, 6) == H_SUCCESS);
	CHECK(xics_h_ipi(x, 0, IPI_PRIORITY) == H_SUCCESS);
	CHECK_EQ(accept(x, 0), 0x06000002);
	CHECK_EQ(poll_xirr(x, 0), 0x04000000);
	CHECK(xics_h_ipi(x, 0, 0xff) == H_SUCCESS);
	CHECK(xics_h_eoi(x, 0, 0x06000002) == H_SUCCESS);
	CHECK_EQ(poll_xirr(x, 0), 0x06000000);
	/* Only bits 31-0 of the register count. */
	CHECK(xics_h_eoi(x, 0, 0xabcd0000ff000000ull) == H_SUCCESS);
	CHECK_EQ(poll_xirr(x, 0), 0xff000000);
}

/* Nor does relaxing CPPR resend while something is pending. */
TEST(h_cppr, no_resend_while_something_is_pending)
{
	struct xics *x = xics_booted();

	REQUIRE(x);
	source_setup(x, MSI_A, false, 0, DEFAULT_PRIORITY);
	source_setup(x, MSI_B, false, 0, 3);
	CHECK(xics_h_cppr(x, 0, 3) == H_SUCCESS);
	CHECK_EQ(xics_set_irq(x, MSI_B, true), XICS_OK); /* rejected */
	CHECK_EQ(accept(x, 0), 0x03000000); /* CPPR 0xff, no resend */
	CHECK_EQ(xics_set_irq(x, MSI_A, true), XICS_OK);
	CHECK(xics_h_cppr(x, 0, 0xff) == H_SUCCESS);
	CHECK_EQ(poll_xirr(x, 0), 0xff000000 | MSI_A);
}

/* QEMU resends on EOI only when nothing is pending on that server. */
TEST(h_eoi, no_resend_while_something_is_pending)
{
	struct xics *x = xics_booted();

	REQUIRE(x);
	source_setup(x, MSI_A, false, 0, DEFAULT_PRIORITY);
	source_setup(x, MSI_B, false, 0, 3);
	CHECK(xics_h_cppr(x, 0, 3) == H_SUCCESS);
	CHECK_EQ(xics_set_irq(x, MSI_B, true), XICS_OK); /* rejected */
	CHECK_EQ(accept(x, 0), 0x03000000); /* CPPR 0xff, no resend */
	CHECK_EQ(xics_set_irq(x, MSI_A, true), XICS_OK);
	CHECK(xics_h_eoi(x, 0, 0xff000000) == H_SUCCESS);
	CHECK_EQ(poll_xirr(x, 0), 0xff000000 | MSI_A);
	/* Once A is accepted and EOI'd, the resend finds B. */
	CHECK_EQ(accept(x, 0), 0xff000000 | MSI_A);
	CHECK(xics_h_eoi(x, 0, 0xff000000 | MSI_A) == H_SUCCESS);
	CHECK_EQ(accept(x, 0), 0xff000000 | MSI_B);
}

/* QEMU: accepting with nothing pending makes CPPR 0xff. */
TEST(h_xirr, with_nothing_pending_returns_cppr_and_opens_it)
{
	struct xics *x = xics_booted();

	REQUIRE(x);
	CHECK(xics_h_cppr(x, 3, 5) == H_SUCCESS);
	CHECK_EQ(accept(x, 3), 0x05000000);
	CHECK_EQ(poll_xirr(x, 3), 0xff000000);
	CHECK_EQ(fx.count, 0);
}

TEST(h_ipoll, does_not_accept)
{
	struct xics *x = xics_booted();
	uint64_t xirr = 0, mfrr = 0;

	REQUIRE(x);
	CHECK(xics_h_ipi(x, 1, IPI_PRIORITY) == H_SUCCESS);
	CHECK(xics_h_ipoll(x, 1, &xirr, &mfrr) == H_SUCCESS);
	CHECK_EQ(xirr, 0xff000002);
	CHECK_EQ(mfrr, IPI_PRIORITY);
	CHECK(xics_h_ipoll(x, 1, &xirr, &mfrr) == H_SUCCESS);
	CHECK_EQ(xirr, 0xff000002);
	CHECK(xics_server_pending(x, 1));
	CHECK_EQ(fx.count, 1);
	CHECK_EQ(accept(x, 1), 0xff000002);
}

/*
 * Sources and the ICS.
 */

TEST(msi, routed_by_set_xive_to_server_with_priority)
{
	struct xics *x = xics_booted();

	REQUIRE(x);
	source_setup(x, MSI_A, false, 3, DEFAULT_PRIORITY);
	check_xive(x, MSI_A, 3, DEFAULT_PRIORITY);
	CHECK_EQ(xics_set_irq(x, MSI_A, true), XICS_OK);
	CHECK(xics_server_pending(x, 3));
	CHECK(!xics_server_pending(x, 0));
	CHECK_EQ(accept(x, 3), 0xff000000 | MSI_A);
	CHECK_EQ(poll_xirr(x, 3), 0x05000000);
	CHECK(xics_h_eoi(x, 3, 0xff000000 | MSI_A) == H_SUCCESS);
	CHECK(!xics_server_pending(x, 3));
	CHECK_EQ(poll_xirr(x, 3), 0xff000000);
}

TEST(msi, low_level_ignored_and_each_high_is_one_message)
{
	struct xics *x = xics_booted();

	REQUIRE(x);
	source_setup(x, MSI_A, false, 0, DEFAULT_PRIORITY);
	CHECK_EQ(xics_set_irq(x, MSI_A, false), XICS_OK);
	CHECK(!xics_server_pending(x, 0));
	CHECK_EQ(xics_set_irq(x, MSI_A, true), XICS_OK);
	/* A second message while the first is pending is rejected ... */
	CHECK_EQ(xics_set_irq(x, MSI_A, true), XICS_OK);
	CHECK_EQ(accept(x, 0), 0xff000000 | MSI_A);
	CHECK(!xics_server_pending(x, 0));
	/* ... and resent once the first is EOI'd. */
	CHECK(xics_h_eoi(x, 0, 0xff000000 | MSI_A) == H_SUCCESS);
	CHECK(xics_server_pending(x, 0));
	CHECK_EQ(accept(x, 0), 0xff000000 | MSI_A);
	CHECK(xics_h_eoi(x, 0, 0xff000000 | MSI_A) == H_SUCCESS);
	CHECK(!xics_server_pending(x, 0));
}

TEST(msi, message_while_masked_presented_after_unmask)
{
	struct xics *x = xics_booted();

	REQUIRE(x);
	CHECK_EQ(xics_irq_claim(x, MSI_A, false), XICS_OK);
	/* Never configured: priority 0xff after reset. */
	CHECK_EQ(xics_set_irq(x, MSI_A, true), XICS_OK);
	CHECK(!xics_server_pending(x, 0));
	/* Re-routing while still masked keeps it pending. */
	CHECK(xics_rtas_set_xive(x, MSI_A, 2, 0xff) == RTAS_OUT_SUCCESS);
	CHECK(!xics_server_pending(x, 2));
	CHECK(xics_rtas_set_xive(x, MSI_A, 2, DEFAULT_PRIORITY) ==
	      RTAS_OUT_SUCCESS);
	CHECK(xics_server_pending(x, 2));
	CHECK_EQ(accept(x, 2), 0xff000000 | MSI_A);
	/* Presented once only, even when configured again. */
	CHECK(xics_h_eoi(x, 2, 0xff000000 | MSI_A) == H_SUCCESS);
	CHECK(xics_rtas_set_xive(x, MSI_A, 1, DEFAULT_PRIORITY) ==
	      RTAS_OUT_SUCCESS);
	CHECK(!xics_server_pending(x, 2));
	CHECK(!xics_server_pending(x, 1));
}

TEST(int_off_on, save_and_restore_priority)
{
	struct xics *x = xics_booted();

	REQUIRE(x);
	source_setup(x, MSI_A, false, 1, DEFAULT_PRIORITY);
	CHECK(xics_rtas_int_off(x, MSI_A) == RTAS_OUT_SUCCESS);
	check_xive(x, MSI_A, 1, 0xff);
	CHECK_EQ(xics_set_irq(x, MSI_A, true), XICS_OK);
	CHECK(!xics_server_pending(x, 1));
	CHECK(xics_rtas_int_on(x, MSI_A) == RTAS_OUT_SUCCESS);
	check_xive(x, MSI_A, 1, DEFAULT_PRIORITY);
	CHECK(xics_server_pending(x, 1));
	CHECK_EQ(accept(x, 1), 0xff000000 | MSI_A);
	CHECK_EQ(poll_xirr(x, 1), 0x05000000);
}

/* Linux's unmask: set-xive with the priority, then int-on (a no-op). */
TEST(int_off_on, int_on_after_set_xive_keeps_its_priority)
{
	struct xics *x = xics_booted();

	REQUIRE(x);
	source_setup(x, MSI_A, false, 1, 0xff);
	CHECK(xics_rtas_set_xive(x, MSI_A, 2, DEFAULT_PRIORITY) ==
	      RTAS_OUT_SUCCESS);
	CHECK(xics_rtas_int_on(x, MSI_A) == RTAS_OUT_SUCCESS);
	check_xive(x, MSI_A, 2, DEFAULT_PRIORITY);
}

/* QEMU saves unconditionally, so a second int-off saves 0xff. */
TEST(int_off_on, second_int_off_loses_saved_priority)
{
	struct xics *x = xics_booted();

	REQUIRE(x);
	source_setup(x, MSI_A, false, 1, DEFAULT_PRIORITY);
	CHECK(xics_rtas_int_off(x, MSI_A) == RTAS_OUT_SUCCESS);
	CHECK(xics_rtas_int_off(x, MSI_A) == RTAS_OUT_SUCCESS);
	CHECK(xics_rtas_int_on(x, MSI_A) == RTAS_OUT_SUCCESS);
	check_xive(x, MSI_A, 1, 0xff);
}

TEST(lsi, presented_again_after_eoi_while_asserted)
{
	struct xics *x = xics_booted();

	REQUIRE(x);
	source_setup(x, LSI_A, true, 1, DEFAULT_PRIORITY);
	CHECK_EQ(xics_set_irq(x, LSI_A, true), XICS_OK);
	CHECK(xics_server_pending(x, 1));
	CHECK_EQ(accept(x, 1), 0xff000000 | LSI_A);
	/* Still asserted: EOI presents it again. */
	CHECK(xics_h_eoi(x, 1, 0xff000000 | LSI_A) == H_SUCCESS);
	CHECK(xics_server_pending(x, 1));
	CHECK_EQ(accept(x, 1), 0xff000000 | LSI_A);
	/* The device drops the line before the EOI: it stays quiet. */
	CHECK_EQ(xics_set_irq(x, LSI_A, false), XICS_OK);
	CHECK(xics_h_eoi(x, 1, 0xff000000 | LSI_A) == H_SUCCESS);
	CHECK(!xics_server_pending(x, 1));
	REQUIRE_EQ(fx.count, 4);
	CHECK_EQ(fx.log[2].line, true);
	CHECK_EQ(fx.log[3].line, false);
}

TEST(lsi, not_sent_twice_before_eoi)
{
	struct xics *x = xics_booted();

	REQUIRE(x);
	source_setup(x, LSI_A, true, 1, DEFAULT_PRIORITY);
	CHECK_EQ(xics_set_irq(x, LSI_A, true), XICS_OK);
	CHECK_EQ(accept(x, 1), 0xff000000 | LSI_A);
	/* A repeated assert, or an unrelated resend, finds it in service. */
	CHECK_EQ(xics_set_irq(x, LSI_A, true), XICS_OK);
	CHECK(xics_h_cppr(x, 1, 0xff) == H_SUCCESS);
	CHECK(!xics_server_pending(x, 1));
}

TEST(lsi, asserted_while_masked_presented_on_unmask)
{
	struct xics *x = xics_booted();

	REQUIRE(x);
	source_setup(x, LSI_A, true, 2, DEFAULT_PRIORITY);
	CHECK(xics_rtas_int_off(x, LSI_A) == RTAS_OUT_SUCCESS);
	CHECK_EQ(xics_set_irq(x, LSI_A, true), XICS_OK);
	CHECK(!xics_server_pending(x, 2));
	CHECK(xics_rtas_int_on(x, LSI_A) == RTAS_OUT_SUCCESS);
	CHECK(xics_server_pending(x, 2));
	CHECK_EQ(accept(x, 2), 0xff000000 | LSI_A);
}

TEST(lsi, deasserted_while_masked_is_forgotten)
{
	struct xics *x = xics_booted();

	REQUIRE(x);
	source_setup(x, LSI_A, true, 2, 0xff);
	CHECK_EQ(xics_set_irq(x, LSI_A, true), XICS_OK);
	CHECK_EQ(xics_set_irq(x, LSI_A, false), XICS_OK);
	CHECK(xics_rtas_set_xive(x, LSI_A, 2, DEFAULT_PRIORITY) ==
	      RTAS_OUT_SUCCESS);
	CHECK(!xics_server_pending(x, 2));
}

/*
 * Rejection and resend.
 */

TEST(reject, more_favoured_msi_displaces_pending_one_resent_after_eoi)
{
	struct xics *x = xics_booted();

	REQUIRE(x);
	source_setup(x, MSI_A, false, 0, DEFAULT_PRIORITY);
	source_setup(x, MSI_B, false, 0, 3);
	CHECK_EQ(xics_set_irq(x, MSI_A, true), XICS_OK);
	CHECK_EQ(xics_set_irq(x, MSI_B, true), XICS_OK);
	CHECK_EQ(poll_xirr(x, 0), 0xff000000 | MSI_B);
	CHECK_EQ(accept(x, 0), 0xff000000 | MSI_B);
	/* A was rejected: nothing pending while B is in service at 3. */
	CHECK(!xics_server_pending(x, 0));
	CHECK(xics_h_eoi(x, 0, 0xff000000 | MSI_B) == H_SUCCESS);
	CHECK(xics_server_pending(x, 0));
	CHECK_EQ(accept(x, 0), 0xff000000 | MSI_A);
	CHECK(xics_h_eoi(x, 0, 0xff000000 | MSI_A) == H_SUCCESS);
	CHECK(!xics_server_pending(x, 0));
}

TEST(reject, less_favoured_msi_waits_for_eoi)
{
	struct xics *x = xics_booted();

	REQUIRE(x);
	source_setup(x, MSI_A, false, 0, 3);
	source_setup(x, MSI_B, false, 0, DEFAULT_PRIORITY);
	CHECK_EQ(xics_set_irq(x, MSI_A, true), XICS_OK);
	CHECK_EQ(xics_set_irq(x, MSI_B, true), XICS_OK); /* rejected */
	CHECK_EQ(poll_xirr(x, 0), 0xff000000 | MSI_A);
	CHECK_EQ(accept(x, 0), 0xff000000 | MSI_A);
	CHECK(xics_h_eoi(x, 0, 0xff000000 | MSI_A) == H_SUCCESS);
	CHECK_EQ(accept(x, 0), 0xff000000 | MSI_B);
}

TEST(reject, equal_priority_keeps_the_first)
{
	struct xics *x = xics_booted();

	REQUIRE(x);
	source_setup(x, MSI_A, false, 0, DEFAULT_PRIORITY);
	source_setup(x, MSI_B, false, 0, DEFAULT_PRIORITY);
	CHECK_EQ(xics_set_irq(x, MSI_B, true), XICS_OK);
	CHECK_EQ(xics_set_irq(x, MSI_A, true), XICS_OK);
	CHECK_EQ(poll_xirr(x, 0), 0xff000000 | MSI_B);
}

TEST(reject, msi_not_above_cppr_resent_when_cppr_lowered)
{
	struct xics *x = xics_booted();

	REQUIRE(x);
	source_setup(x, MSI_A, false, 1, DEFAULT_PRIORITY);
	CHECK(xics_h_cppr(x, 1, DEFAULT_PRIORITY) == H_SUCCESS);
	CHECK_EQ(xics_set_irq(x, MSI_A, true), XICS_OK);
	CHECK(!xics_server_pending(x, 1));
	CHECK(xics_h_cppr(x, 1, 0xff) == H_SUCCESS);
	CHECK(xics_server_pending(x, 1));
	CHECK_EQ(accept(x, 1), 0xff000000 | MSI_A);
}

TEST(reject, more_favoured_cppr_sends_pending_msi_back)
{
	struct xics *x = xics_booted();

	REQUIRE(x);
	source_setup(x, MSI_A, false, 1, DEFAULT_PRIORITY);
	CHECK_EQ(xics_set_irq(x, MSI_A, true), XICS_OK);
	CHECK(xics_server_pending(x, 1));
	CHECK(xics_h_cppr(x, 1, DEFAULT_PRIORITY) == H_SUCCESS);
	CHECK(!xics_server_pending(x, 1));
	CHECK_EQ(poll_xirr(x, 1), 0x05000000);
	CHECK(xics_h_cppr(x, 1, 6) == H_SUCCESS);
	CHECK(xics_server_pending(x, 1));
	CHECK_EQ(accept(x, 1), 0x06000000 | MSI_A);
}

TEST(reject, source_displaces_ipi_which_returns_after_eoi)
{
	struct xics *x = xics_booted();

	REQUIRE(x);
	source_setup(x, MSI_A, false, 1, 3);
	CHECK(xics_h_ipi(x, 1, IPI_PRIORITY) == H_SUCCESS);
	CHECK_EQ(xics_set_irq(x, MSI_A, true), XICS_OK);
	CHECK_EQ(poll_xirr(x, 1), 0xff000000 | MSI_A);
	CHECK_EQ(accept(x, 1), 0xff000000 | MSI_A);
	CHECK(!xics_server_pending(x, 1));
	CHECK(xics_h_eoi(x, 1, 0xff000000 | MSI_A) == H_SUCCESS);
	CHECK_EQ(accept(x, 1), 0xff000002);
}

TEST(reject, more_favoured_ipi_displaces_source)
{
	struct xics *x = xics_booted();

	REQUIRE(x);
	source_setup(x, MSI_A, false, 1, DEFAULT_PRIORITY);
	CHECK_EQ(xics_set_irq(x, MSI_A, true), XICS_OK);
	CHECK(xics_h_ipi(x, 1, IPI_PRIORITY) == H_SUCCESS);
	CHECK_EQ(accept(x, 1), 0xff000002);
	CHECK(xics_h_ipi(x, 1, 0xff) == H_SUCCESS);
	CHECK(xics_h_eoi(x, 1, 0xff000002) == H_SUCCESS);
	CHECK_EQ(accept(x, 1), 0xff000000 | MSI_A);
}

TEST(reject, displaced_lsi_presented_again_after_eoi)
{
	struct xics *x = xics_booted();

	REQUIRE(x);
	source_setup(x, LSI_A, true, 1, DEFAULT_PRIORITY);
	source_setup(x, MSI_A, false, 1, 3);
	CHECK_EQ(xics_set_irq(x, LSI_A, true), XICS_OK);
	CHECK_EQ(xics_set_irq(x, MSI_A, true), XICS_OK);
	CHECK_EQ(accept(x, 1), 0xff000000 | MSI_A);
	CHECK(xics_h_eoi(x, 1, 0xff000000 | MSI_A) == H_SUCCESS);
	CHECK_EQ(accept(x, 1), 0xff000000 | LSI_A);
}

TEST(reject, ipi_equal_to_pending_priority_waits_in_mfrr)
{
	struct xics *x = xics_booted();

	REQUIRE(x);
	source_setup(x, MSI_A, false, 1, IPI_PRIORITY);
	CHECK_EQ(xics_set_irq(x, MSI_A, true), XICS_OK);
	CHECK(xics_h_ipi(x, 1, IPI_PRIORITY) == H_SUCCESS);
	CHECK_EQ(accept(x, 1), 0xff000000 | MSI_A);
	CHECK(xics_h_eoi(x, 1, 0xff000000 | MSI_A) == H_SUCCESS);
	CHECK_EQ(accept(x, 1), 0xff000002);
}

/* QEMU: a rejected message is dropped if its source is masked meanwhile. */
TEST(reject, rejected_msi_masked_before_resend_is_dropped)
{
	struct xics *x = xics_booted();

	REQUIRE(x);
	source_setup(x, MSI_A, false, 1, DEFAULT_PRIORITY);
	CHECK(xics_h_cppr(x, 1, 1) == H_SUCCESS);
	CHECK_EQ(xics_set_irq(x, MSI_A, true), XICS_OK); /* rejected */
	CHECK(xics_rtas_int_off(x, MSI_A) == RTAS_OUT_SUCCESS);
	CHECK(xics_h_cppr(x, 1, 0xff) == H_SUCCESS); /* resend drops it */
	CHECK(xics_rtas_int_on(x, MSI_A) == RTAS_OUT_SUCCESS);
	CHECK(!xics_server_pending(x, 1));
}

/* QEMU's resend walks the whole ICS, whichever server asked for it. */
TEST(reject, resend_from_one_server_presents_on_another)
{
	struct xics *x = xics_booted();

	REQUIRE(x);
	source_setup(x, MSI_A, false, 1, DEFAULT_PRIORITY);
	CHECK(xics_h_cppr(x, 1, 3) == H_SUCCESS);
	CHECK_EQ(xics_set_irq(x, MSI_A, true), XICS_OK); /* rejected */
	/* Accepting nothing opens CPPR to 0xff without a resend. */
	CHECK_EQ(accept(x, 1), 0x03000000);
	CHECK(!xics_server_pending(x, 1));
	CHECK_EQ(fx.count, 0);
	CHECK(xics_h_cppr(x, 0, 0xff) == H_SUCCESS);
	CHECK(xics_server_pending(x, 1));
	REQUIRE_EQ(fx.count, 1);
	CHECK_EQ(fx.log[0].server, 1);
	CHECK_EQ(fx.log[0].line, true);
}

/*
 * The output line.
 */

TEST(notify, called_exactly_on_line_changes)
{
	struct xics *x = xics_booted();

	REQUIRE(x);
	source_setup(x, MSI_A, false, 1, 3);
	CHECK(xics_h_ipi(x, 1, 6) == H_SUCCESS);  /* raise (1) */
	CHECK(xics_h_ipi(x, 1, 4) == H_SUCCESS);  /* IPI more favoured */
	CHECK_EQ(xics_set_irq(x, MSI_A, true), XICS_OK); /* displaces */
	CHECK(xics_h_cppr(x, 1, 0xff) == H_SUCCESS);     /* no change */
	CHECK_EQ(fx.count, 1);
	CHECK_EQ(accept(x, 1), 0xff000000 | MSI_A);      /* lower (2) */
	CHECK_EQ(accept(x, 1), 0x03000000);              /* nothing */
	CHECK(xics_h_cppr(x, 1, 0) == H_SUCCESS);        /* nothing */
	CHECK_EQ(fx.count, 2);
	CHECK(xics_h_eoi(x, 1, 0xff000000 | MSI_A) == H_SUCCESS); /* (3) */
	CHECK(xics_h_cppr(x, 1, 2) == H_SUCCESS);        /* rejects (4) */
	CHECK(xics_h_ipi(x, 1, 0xff) == H_SUCCESS);
	CHECK(xics_h_cppr(x, 1, 0xff) == H_SUCCESS);     /* nothing */
	REQUIRE_EQ(fx.count, 4);
	CHECK_EQ(fx.log[0].server, 1);
	CHECK_EQ(fx.log[0].line, true);
	CHECK_EQ(fx.log[1].line, false);
	CHECK_EQ(fx.log[2].line, true);
	CHECK_EQ(fx.log[3].line, false);
	CHECK(!xics_server_pending(x, 1));
}

TEST(notify, may_be_null)
{
	struct xics *x = (struct xics *)xics_mem;

	REQUIRE_EQ(xics_init(x, 2, XICS_IRQ_BASE, 16, NULL, NULL), XICS_OK);
	CHECK(xics_h_cppr(x, 1, 0xff) == H_SUCCESS);
	CHECK(xics_h_ipi(x, 1, 0) == H_SUCCESS);
	CHECK(xics_server_pending(x, 1));
}

/*
 * Reset and source lifetime.
 */

TEST(xics_reset, lowers_lines_and_keeps_claims)
{
	struct xics *x = xics_booted();

	REQUIRE(x);
	source_setup(x, LSI_A, true, 1, DEFAULT_PRIORITY);
	CHECK_EQ(xics_set_irq(x, LSI_A, true), XICS_OK);
	CHECK(xics_h_ipi(x, 2, IPI_PRIORITY) == H_SUCCESS);
	CHECK_EQ(fx.count, 2);
	xics_reset(x);
	CHECK(!xics_server_pending(x, 1));
	CHECK(!xics_server_pending(x, 2));
	CHECK_EQ(fx.count, 4);
	CHECK_EQ(poll_xirr(x, 1), 0);
	CHECK_EQ(poll_mfrr(x, 2), 0xff);
	check_xive(x, LSI_A, 0, 0xff);
	CHECK_EQ(xics_irq_claim(x, LSI_A, true), XICS_EBUSY);
	/* Still an LSI, with its assertion forgotten. */
	CHECK(xics_h_cppr(x, 1, 0xff) == H_SUCCESS);
	CHECK(xics_rtas_set_xive(x, LSI_A, 1, DEFAULT_PRIORITY) ==
	      RTAS_OUT_SUCCESS);
	CHECK(!xics_server_pending(x, 1));
	CHECK_EQ(xics_set_irq(x, LSI_A, true), XICS_OK);
	CHECK_EQ(accept(x, 1), 0xff000000 | LSI_A);
	CHECK(xics_h_eoi(x, 1, 0xff000000 | LSI_A) == H_SUCCESS);
	CHECK(xics_server_pending(x, 1));
}

/* QEMU's free zeroes the source: reclaimed, it is unmasked at priority 0. */
TEST(xics_irq_free, leaves_source_at_server_0_priority_0)
{
	struct xics *x = xics_booted();

	REQUIRE(x);
	source_setup(x, MSI_A, false, 2, DEFAULT_PRIORITY);
	CHECK_EQ(xics_irq_free(x, MSI_A), XICS_OK);
	check_xive(x, MSI_A, 0, 0);
	CHECK_EQ(xics_irq_claim(x, MSI_A, false), XICS_OK);
	CHECK_EQ(xics_set_irq(x, MSI_A, true), XICS_OK);
	CHECK_EQ(poll_xirr(x, 0), 0xff000000 | MSI_A);
}

/*
 * The resend at EOI skips its scan of every source when no MSI is
 * rejected and no LSI exists.  Differential check: the same seeded random
 * operations on two XICS, one with MSIs only (scans skipped) and one that
 * also has an LSI it never raises (scans always run), must give the same
 * line changes and the same XIRR/MFRR after every step.
 */
struct trace {
	uint32_t n;
	uint32_t last; /* hash of the (server, line) sequence */
};

static void trace_line(void *ctx, uint32_t server, bool line)
{
	struct trace *t = ctx;

	t->n++;
	t->last = t->last * 31 + server * 2 + line;
}

TEST(resend, skipped_scan_changes_nothing)
{
	static _Alignas(8) unsigned char mem_a[XICS_SIZE(SERVERS, SOURCES)];
	static _Alignas(8) unsigned char mem_b[XICS_SIZE(SERVERS, SOURCES)];
	struct xics *xs[2] = { (struct xics *)mem_a, (struct xics *)mem_b };
	struct trace tr[2] = { { 0, 0 }, { 0, 0 } };
	uint32_t seed = 20261125, diffs = 0;

	for (int k = 0; k < 2; k++) {
		REQUIRE(xics_init(xs[k], SERVERS, XICS_IRQ_BASE, SOURCES,
				  trace_line, &tr[k]) == XICS_OK);
		for (uint32_t s = 0; s < SERVERS; s++) {
			xics_h_cppr(xs[k], s, 0xff);
		}
		for (uint32_t i = 0; i < 6; i++) {
			source_setup(xs[k], MSI_A + i, false, i % SERVERS,
				     2 + i % 5);
		}
	}
	source_setup(xs[1], LSI_A, true, 0, 0xff);
	for (int step = 0; step < 20000; step++) {
		uint64_t out[2][2];
		uint32_t op, s, v;

		seed = seed * 1103515245 + 12345;
		op = (seed >> 16) % 6;
		s = (seed >> 8) % SERVERS;
		v = (seed >> 20) % 6;
		for (int k = 0; k < 2; k++) {
			uint64_t xirr;

			switch (op) {
			case 0:
			case 1:
				xics_set_irq(xs[k], MSI_A + v, true);
				break;
			case 2:
				xics_h_xirr(xs[k], s, &xirr);
				break;
			case 3:
				xics_h_xirr(xs[k], s, &xirr);
				xics_h_eoi(xs[k], s, xirr);
				break;
			case 4:
				xics_h_cppr(xs[k], s, (seed >> 4) & 7 ? 0xff :
									2 + v);
				break;
			default:
				xics_h_ipi(xs[k], s, v == 5 ? 0xff : 1 + v);
				break;
			}
			xics_h_ipoll(xs[k], s, &out[k][0], &out[k][1]);
		}
		diffs += out[0][0] != out[1][0] || out[0][1] != out[1][1] ||
			 tr[0].n != tr[1].n || tr[0].last != tr[1].last;
	}
	CHECK_EQ(diffs, 0);
	CHECK(tr[0].n > 1000); /* the lines did move */
}
