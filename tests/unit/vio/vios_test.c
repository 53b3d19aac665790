/*
 * VIOS mode (vio/vios.c) between two fake partitions through the real
 * hcall dispatcher: "io" holds a v-scsi-host server adapter paired with
 * the v-scsi client adapter of "cli".  The relay (H_REG_CRQ's H_CLOSED,
 * H_SEND_CRQ into the partner's queue with its interrupt, transport
 * events on H_FREE_CRQ and on a stop), H_COPY_RDMA's checks on both
 * sides, and H_VIOCTL's partner information.  Negative cases first.
 */
#include <stdio.h>
#include <stdlib.h>

#include "hv/abi/layout.h"
#include "hv/abi/rtas.h"
#include "hv/unit.h"
#include "tests/unit/fake/guestcall.h"
#include "tests/unit/test.h"
#include "vio/bus.h"

#if !defined(FAKE_HV_CPU_H) || !defined(FAKE_HV_LOCK_H)
#error "vios_test.c must be built with -Itests/unit/fake ahead of -I."
#endif

#define MEM_SIZE (64 * SZ_4K)
#define SRV LAYOUT_VHOST_REG(0)
#define REMOTE LAYOUT_VHOST_REMOTE_LIOBN(0)
#define CLI LAYOUT_VCLIENT_REG(0)
#define CRQ_IOBA 0x0000     /* both sides' queues: window page 0 */
#define CRQ_GPA 0x8000
#define DATA_IOBA 0x1000    /* 4 pages read-write */
#define DATA_GPA 0x10000
#define RO_IOBA 0x5000      /* device may only read */
#define RO_GPA 0x20000

static struct lpar *io, *cli;
static struct hcall_args a;

static uint8_t *gm(struct lpar *l, uint64_t gpa)
{
	return (uint8_t *)(uintptr_t)(l->mem.hpa + gpa);
}

static int64_t call(struct lpar *l, uint64_t nr, uint64_t a0, uint64_t a1,
		    uint64_t a2, uint64_t a3, uint64_t a4)
{
	return HCALL(l->vcpus[0], &a, nr, a0, a1, a2, a3, a4);
}

/* Map the queue page, the data pages and the read-only page. */
static bool map(struct lpar *l, uint64_t unit)
{
	bool ok = call(l, H_PUT_TCE, unit, CRQ_IOBA, CRQ_GPA | 3, 0, 0) ==
		  H_SUCCESS;

	for (uint64_t p = 0; p < 4; p++) {
		ok &= call(l, H_PUT_TCE, unit, DATA_IOBA + p * SZ_4K,
			   (DATA_GPA + p * SZ_4K) | 3, 0, 0) == H_SUCCESS;
	}
	return ok && call(l, H_PUT_TCE, unit, RO_IOBA, RO_GPA | 1, 0, 0) ==
			     H_SUCCESS;
}

static bool setup(void)
{
	fake_reset();
	fake_lpar_vhost_count = 1;
	snprintf(fake_lpar_vhosts[0].name, CONFIG_NAME_LEN, "vhost0");
	fake_lpar_vhosts[0].partner_lpid = 2;
	fake_lpar_vhosts[0].partner_slot = 0;
	io = fake_lpar_create("io", 2, MEM_SIZE);
	fake_lpar_vhost_count = 0;
	fake_lpar_vclient_count = 1;
	snprintf(fake_lpar_vclients[0].name, CONFIG_NAME_LEN, "vhost0");
	fake_lpar_vclients[0].partner_lpid = 1;
	fake_lpar_vclients[0].partner_slot = 0;
	cli = fake_lpar_create("cli", 2, MEM_SIZE);
	if (!io || !cli) {
		return false;
	}
	memset(gm(io, 0), 0, MEM_SIZE);
	memset(gm(cli, 0), 0, MEM_SIZE);
	return map(io, SRV) && map(cli, CLI);
}

/* Route the adapter's source to vCPU 1 at priority 5, CPPR open (RTAS
 * arguments at guest real 0x3f000, outside every mapped page). */
static bool route_irq(struct lpar *l, uint32_t irq)
{
	uint32_t rets[1];

	RTAS(l->vcpus[0], 0x3f000, RTAS_IBM_SET_XIVE, 1, rets, irq, 1, 5);
	return rets[0] == RTAS_OUT_SUCCESS &&
	       HCALL(l->vcpus[1], &a, H_CPPR, 0xff) == H_SUCCESS;
}

static bool irq_pending(struct lpar *l)
{
	return l->vcpus[1]->irq;
}

/* Both queues registered, interrupts on. */
static bool connect(void)
{
	return route_irq(io, LAYOUT_VHOST_IRQ(0)) &&
	       route_irq(cli, LAYOUT_VCLIENT_IRQ(0)) &&
	       call(cli, H_REG_CRQ, CLI, CRQ_IOBA, 0x1000, 0, 0) == H_CLOSED &&
	       call(io, H_REG_CRQ, SRV, CRQ_IOBA, 0x1000, 0, 0) == H_SUCCESS &&
	       call(io, H_VIO_SIGNAL, SRV, 1, 0, 0, 0) == H_SUCCESS &&
	       call(cli, H_VIO_SIGNAL, CLI, 1, 0, 0, 0) == H_SUCCESS;
}

TEST(vios, nodes_are_a_server_with_two_panes_and_a_client)
{
	struct vio_dev *s, *c;

	REQUIRE(setup());
	s = vio_bus_find(io, SRV);
	c = vio_bus_find(cli, CLI);
	REQUIRE(s && c);
	CHECK_STR_EQ(s->desc.dt_compatible, "IBM,v-scsi-host");
	CHECK_STR_EQ(s->desc.dt_type, "v-scsi-host");
	CHECK_EQ(s->desc.dt_remote_liobn, REMOTE);
	CHECK_EQ(s->desc.dt_remote_window, VIO_DMA_WINDOW);
	CHECK_STR_EQ(c->desc.dt_compatible, "IBM,v-scsi");
	CHECK_EQ(c->desc.dt_remote_window, 0);
	/* The remote pane is no window of the server's for the TCE calls. */
	CHECK_EQ(call(io, H_PUT_TCE, REMOTE, 0, CRQ_GPA | 3, 0, 0),
		 H_PARAMETER);
	CHECK_EQ(call(io, H_GET_TCE, REMOTE, 0, 0, 0, 0), H_PARAMETER);
	/* Nor is the client's own LIOBN. */
	CHECK_EQ(call(io, H_PUT_TCE, CLI, 0, CRQ_GPA | 3, 0, 0), H_PARAMETER);
}

TEST(vios, send_refuses_transport_headers_and_closed_queues)
{
	REQUIRE(setup());
	/* Neither registered: closed. */
	CHECK_EQ(call(cli, H_SEND_CRQ, CLI, 0xc001ull << 48, 0, 0, 0),
		 H_CLOSED);
	CHECK_EQ(call(cli, H_REG_CRQ, CLI, CRQ_IOBA, 0x1000, 0, 0), H_CLOSED);
	/* Only the sender registered: still closed, nothing written. */
	CHECK_EQ(call(cli, H_SEND_CRQ, CLI, 0xc001ull << 48, 0, 0, 0),
		 H_CLOSED);
	CHECK_EQ(gm(io, CRQ_GPA)[0], 0);
	/* Headers a guest may not send. */
	CHECK_EQ(call(cli, H_SEND_CRQ, CLI, 0xff02ull << 48, 0, 0, 0),
		 H_PARAMETER);
	CHECK_EQ(call(cli, H_SEND_CRQ, CLI, 0x7f00ull << 48, 0, 0, 0),
		 H_PARAMETER);
	/* The server registers: the client's own queue is on. */
	CHECK_EQ(call(io, H_REG_CRQ, SRV, CRQ_IOBA, 0x1000, 0, 0), H_SUCCESS);
	CHECK_EQ(call(io, H_REG_CRQ, SRV, CRQ_IOBA, 0x1000, 0, 0),
		 H_RESOURCE);
}

TEST(vios, messages_cross_to_the_partner_queue_with_its_interrupt)
{
	REQUIRE(setup());
	REQUIRE(connect());
	CHECK(!irq_pending(io));
	CHECK_EQ(call(cli, H_SEND_CRQ, CLI, 0xc001000000000000ull,
		      0x1122334455667788ull, 0, 0), H_SUCCESS);
	CHECK_EQ(gm(io, CRQ_GPA)[0], 0xc0);
	CHECK_EQ(gm(io, CRQ_GPA)[1], 0x01);
	CHECK_EQ(gm(io, CRQ_GPA)[8], 0x11);
	CHECK_EQ(gm(io, CRQ_GPA)[15], 0x88);
	CHECK(irq_pending(io));
	CHECK_EQ(gm(cli, CRQ_GPA)[0], 0); /* nothing echoed to the sender */
	CHECK_EQ(call(io, H_SEND_CRQ, SRV, 0xc002000000000000ull, 0, 0, 0),
		 H_SUCCESS);
	CHECK_EQ(gm(cli, CRQ_GPA)[0], 0xc0);
	CHECK_EQ(gm(cli, CRQ_GPA)[1], 0x02);
	CHECK(irq_pending(cli));
	/* Fill the server's queue (256 slots, one used): H_DROPPED. */
	for (int i = 1; i < 256; i++) {
		REQUIRE_EQ(call(cli, H_SEND_CRQ, CLI, 0x8001ull << 48, i, 0,
				0), H_SUCCESS);
	}
	CHECK_EQ(call(cli, H_SEND_CRQ, CLI, 0x8001ull << 48, 0, 0, 0),
		 H_DROPPED);
	/* The server unmaps its queue page: the connection is unusable. */
	gm(io, CRQ_GPA)[0] = 0;
	CHECK_EQ(call(io, H_PUT_TCE, SRV, CRQ_IOBA, 0, 0, 0), H_SUCCESS);
	CHECK_EQ(call(cli, H_SEND_CRQ, CLI, 0x8001ull << 48, 0, 0, 0),
		 H_CLOSED);
}

TEST(vios, free_and_stop_tell_the_partner)
{
	REQUIRE(setup());
	REQUIRE(connect());
	/* The client frees: the server gets "partner deregistered". */
	CHECK_EQ(call(cli, H_FREE_CRQ, CLI, 0, 0, 0, 0), H_SUCCESS);
	CHECK_EQ(gm(io, CRQ_GPA)[0], 0xff);
	CHECK_EQ(gm(io, CRQ_GPA)[1], 0x02);
	CHECK(irq_pending(io));
	CHECK_EQ(call(io, H_SEND_CRQ, SRV, 0xc001ull << 48, 0, 0, 0),
		 H_CLOSED);
	/* It registers again (H_SUCCESS: the server is there), then its
	 * partition stops: the server gets "partner failed". */
	CHECK_EQ(call(cli, H_REG_CRQ, CLI, CRQ_IOBA, 0x1000, 0, 0), H_SUCCESS);
	lpar_units_stop(cli, true);
	CHECK_EQ(gm(io, CRQ_GPA + 16)[0], 0xff);
	CHECK_EQ(gm(io, CRQ_GPA + 16)[1], 0x01);
	CHECK_EQ(call(io, H_SEND_CRQ, SRV, 0xc001ull << 48, 0, 0, 0),
		 H_CLOSED);
	/* A stop with nothing registered tells nothing. */
	lpar_units_stop(cli, true);
	CHECK_EQ(gm(io, CRQ_GPA + 32)[0], 0);
	/* The server's stop reaches the client's queue once it is back. */
	CHECK_EQ(call(cli, H_REG_CRQ, CLI, CRQ_IOBA, 0x1000, 0, 0), H_SUCCESS);
	lpar_units_stop(io, false);
	CHECK_EQ(gm(cli, CRQ_GPA)[0], 0xff);
	CHECK_EQ(gm(cli, CRQ_GPA)[1], 0x01);
}

TEST(vios, copy_rdma_refuses_bad_lengths_liobns_and_ranges)
{
	REQUIRE(setup());
	REQUIRE(connect());
	/* Over 128 KiB. */
	CHECK_EQ(call(io, H_COPY_RDMA, SZ_128K + 1, REMOTE, DATA_IOBA, SRV,
		      DATA_IOBA), H_PARAMETER);
	/* LIOBNs the server may not name: the client's own, a 64-bit one,
	 * nothing at all. */
	CHECK_EQ(call(io, H_COPY_RDMA, 16, CLI, DATA_IOBA, SRV, DATA_IOBA),
		 H_SOURCE_PARM);
	CHECK_EQ(call(io, H_COPY_RDMA, 16, 1ull << 32 | REMOTE, DATA_IOBA,
		      SRV, DATA_IOBA), H_SOURCE_PARM);
	CHECK_EQ(call(io, H_COPY_RDMA, 16, SRV, DATA_IOBA, 0x12345678,
		      DATA_IOBA), H_DEST_PARM);
	/* The client has no remote pane. */
	CHECK_EQ(call(cli, H_COPY_RDMA, 16, REMOTE, DATA_IOBA, CLI,
		      DATA_IOBA), H_SOURCE_PARM);
	/* Ranges leaving the 256 MiB windows, or wrapping. */
	CHECK_EQ(call(io, H_COPY_RDMA, 16, REMOTE, VIO_DMA_WINDOW - 8, SRV,
		      DATA_IOBA), H_SOURCE_PARM);
	CHECK_EQ(call(io, H_COPY_RDMA, 16, SRV, DATA_IOBA, REMOTE,
		      UINT64_MAX - 4), H_DEST_PARM);
}

TEST(vios, copy_rdma_checks_permissions_on_both_sides)
{
	REQUIRE(setup());
	REQUIRE(connect());
	memset(gm(io, DATA_GPA), 0x77, 64);
	/* Into the client's read-only page: nothing written. */
	CHECK_EQ(call(io, H_COPY_RDMA, 64, SRV, DATA_IOBA, REMOTE, RO_IOBA),
		 H_PERMISSION);
	CHECK_EQ(gm(cli, RO_GPA)[0], 0);
	/* From a page the client never mapped. */
	CHECK_EQ(call(io, H_COPY_RDMA, 64, REMOTE, 0x100000, SRV, DATA_IOBA),
		 H_PERMISSION);
	/* A copy running off the client's last data page into the unmapped
	 * one after it moves nothing. */
	CHECK_EQ(call(io, H_COPY_RDMA, 64, SRV, DATA_IOBA, REMOTE,
		      DATA_IOBA + 4 * SZ_4K - 32), H_PERMISSION);
	CHECK_EQ(gm(cli, DATA_GPA + 4 * SZ_4K - 32)[0], 0);
}

TEST(vios, copy_rdma_moves_data_both_ways_while_connected)
{
	REQUIRE(setup());
	REQUIRE(connect());
	for (uint32_t i = 0; i < 3 * SZ_4K; i++) {
		gm(cli, DATA_GPA)[i] = (uint8_t)(i * 13 + 5);
	}
	/* Client pages 0-2 into the server, unaligned, across pages. */
	CHECK_EQ(call(io, H_COPY_RDMA, 2 * SZ_4K + 100, REMOTE,
		      DATA_IOBA + 10, SRV, DATA_IOBA + 2000), H_SUCCESS);
	CHECK(memcmp(gm(io, DATA_GPA + 2000), gm(cli, DATA_GPA + 10),
		     2 * SZ_4K + 100) == 0);
	/* And back into the client, and within the server's own window. */
	memset(gm(io, DATA_GPA), 0xa5, 100);
	CHECK_EQ(call(io, H_COPY_RDMA, 100, SRV, DATA_IOBA, REMOTE,
		      DATA_IOBA + 3 * SZ_4K), H_SUCCESS);
	CHECK_EQ(gm(cli, DATA_GPA + 3 * SZ_4K + 99)[0], 0xa5);
	CHECK_EQ(gm(cli, DATA_GPA + 3 * SZ_4K + 100)[0], 0);
	CHECK_EQ(call(io, H_COPY_RDMA, 8, SRV, DATA_IOBA, SRV,
		      DATA_IOBA + SZ_4K), H_SUCCESS);
	/* Connection down (the client freed its queue): the remote pane is
	 * refused, the server's own window still works. */
	CHECK_EQ(call(cli, H_FREE_CRQ, CLI, 0, 0, 0, 0), H_SUCCESS);
	CHECK_EQ(call(io, H_COPY_RDMA, 8, SRV, DATA_IOBA, REMOTE, DATA_IOBA),
		 H_DEST_PARM);
	CHECK_EQ(call(io, H_COPY_RDMA, 8, REMOTE, DATA_IOBA, SRV, DATA_IOBA),
		 H_SOURCE_PARM);
	CHECK_EQ(call(io, H_COPY_RDMA, 8, SRV, DATA_IOBA, SRV,
		      DATA_IOBA + SZ_4K), H_SUCCESS);
	/* Back, then the client restarts: its reset cleared its TCEs and
	 * queue, nothing of the old life is reachable. */
	CHECK_EQ(call(cli, H_REG_CRQ, CLI, CRQ_IOBA, 0x1000, 0, 0), H_SUCCESS);
	CHECK_EQ(call(io, H_COPY_RDMA, 8, SRV, DATA_IOBA, REMOTE, DATA_IOBA),
		 H_SUCCESS);
	lpar_units_stop(cli, true);
	lpar_units_reset(cli);
	CHECK_EQ(call(io, H_COPY_RDMA, 8, SRV, DATA_IOBA, REMOTE, DATA_IOBA),
		 H_DEST_PARM);
}

TEST(vios, vioctl_gives_the_partner_and_refuses_the_rest)
{
	REQUIRE(setup());
	CHECK_EQ(call(io, H_VIOCTL, 0x71009999, 8, 0, 0, 0), H_PARAMETER);
	CHECK_EQ(call(io, H_VIOCTL, SRV, 0x1d, 30000, 0, 0), H_NOT_FOUND);
	CHECK_EQ(call(io, H_VIOCTL, LAYOUT_VTY_REG, 8,
		      (uint64_t)SZ_4K << 32 | DATA_IOBA, 0, 0), H_NOT_FOUND);
	/* Too short a buffer, one not writable. */
	CHECK_EQ(call(io, H_VIOCTL, SRV, 8, 16ull << 32 | DATA_IOBA, 0, 0),
		 H_PARAMETER);
	CHECK_EQ(call(io, H_VIOCTL, SRV, 8, 64ull << 32 | RO_IOBA, 0, 0),
		 H_PARAMETER);
	memset(gm(io, DATA_GPA), 0xee, 32);
	CHECK_EQ(call(io, H_VIOCTL, SRV, 8, 64ull << 32 | DATA_IOBA, 0, 0),
		 H_SUCCESS);
	CHECK_EQ(gm(io, DATA_GPA)[7], 2);           /* the client's LPID */
	CHECK_EQ(gm(io, DATA_GPA)[12], 0x71);       /* its unit address */
	CHECK_EQ(gm(io, DATA_GPA)[15], 0x18);
	CHECK_EQ(gm(io, DATA_GPA)[16], 0);          /* empty location code */
	CHECK_EQ(gm(io, DATA_GPA)[17], 0xee);
	CHECK_EQ(call(cli, H_VIOCTL, CLI, 8, 64ull << 32 | DATA_IOBA, 0, 0),
		 H_SUCCESS);
	CHECK_EQ(gm(cli, DATA_GPA)[7], 1);
	CHECK_EQ(gm(cli, DATA_GPA)[15], 0x20);
}
