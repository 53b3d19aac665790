/*
 * Tests for vio/bus.c through hcall_dispatch(): the TCE hcalls on a real
 * device window (QEMU 7.2 spapr_iommu.c codes, TCEs only into the
 * caller's own memory, one partition's window invisible to another), the
 * CRQ hcalls (QEMU spapr_vio.c codes) with a back end answering through
 * vio_crq_send(), H_VIO_SIGNAL gating its interrupt, and a reset that
 * forgets every mapping.  Built against tests/unit/fake/.  Negative
 * cases first.
 */
#include "intc/intc.h"
#include "hv/guest_dt.h"
#include "hv/unit.h"
#include "tests/unit/fake/guestcall.h"
#include "tests/unit/test.h"
#include "vio/bus.h"
#include "vio/nvram.h"
#include "vio/vty.h"

#if !defined(FAKE_HV_CPU_H) || !defined(FAKE_HV_LOCK_H)
#error "bus_test.c must be built with -Itests/unit/fake ahead of -I."
#endif

#define MEM_SIZE (64 * SZ_4K)
#define DEV_REG (VTY_REG + 2) /* + 1 is the NVRAM's */
#define DEV_IRQ (INTC_VTY_IRQ + 1)
#define WIN (16 * TCE_PAGE_SIZE)

static struct lpar *web, *db;
static struct vcpu *vc;
static struct hcall_args a;
static struct vio_dev *dev;

/* The back end: records what the guest sent, echoes it when asked. */
static uint8_t got[CRQ_ENTRY_SIZE];
static int got_count;
static int64_t echo_ret;

static int64_t echo_receive(struct lpar *l, struct vio_dev *d,
			    const uint8_t msg[CRQ_ENTRY_SIZE])
{
	uint8_t reply[CRQ_ENTRY_SIZE];

	memcpy(got, msg, CRQ_ENTRY_SIZE);
	got_count++;
	memcpy(reply, msg, CRQ_ENTRY_SIZE);
	reply[1] |= 0x80;
	echo_ret = vio_crq_send(l, d, reply);
	return H_SUCCESS;
}

static const struct vio_dev_ops echo_ops = { .crq_receive = echo_receive };
static const struct vio_dev_desc echo_desc = {
	.name = "echo", .reg = DEV_REG, .irq = DEV_IRQ, .signal_mask = 1,
	.dma_window = WIN, .ops = &echo_ops,
};

static bool setup(void)
{
	fake_reset();
	web = fake_lpar_create("web", 2, MEM_SIZE);
	db = fake_lpar_create("db", 1, MEM_SIZE);
	if (!web || !db) {
		return false;
	}
	vc = web->vcpus[0];
	dev = vio_bus_add(web, &echo_desc, NULL);
	got_count = 0;
	return dev != NULL;
}

TEST(vio_bus, add_refuses_taken_units_and_bad_windows)
{
	struct vio_dev_desc d = echo_desc;

	REQUIRE(setup());
	CHECK(vio_bus_add(web, &d, NULL) == NULL); /* DEV_REG taken */
	d.reg = VTY_REG;
	CHECK(vio_bus_add(web, &d, NULL) == NULL);
	d.reg = DEV_REG + 1;
	d.dma_window = WIN + 8;
	CHECK(vio_bus_add(web, &d, NULL) == NULL);
	CHECK(vio_bus_find(web, DEV_REG + 1) == NULL);
	CHECK(vio_bus_find(web, VTY_REG) != NULL);
	CHECK(vio_bus_find(web, 1ull << 32 | DEV_REG) == NULL);
}

TEST(h_tce, unknown_liobn_and_windowless_device_are_h_parameter)
{
	static const uint64_t liobns[] = {
		0, VTY_REG, DEV_REG + 1, 1ull << 32 | DEV_REG, ~0ull,
	};

	REQUIRE(setup());
	for (size_t i = 0; i < ARRAY_SIZE(liobns); i++) {
		CHECK_EQ(HCALL(vc, &a, H_PUT_TCE, liobns[i], 0, 0x1000 | 3),
			 H_PARAMETER);
		CHECK_EQ(HCALL(vc, &a, H_GET_TCE, liobns[i], 0), H_PARAMETER);
		CHECK_EQ(HCALL(vc, &a, H_STUFF_TCE, liobns[i], 0, 0, 1),
			 H_PARAMETER);
		CHECK_EQ(HCALL(vc, &a, H_PUT_TCE_INDIRECT, liobns[i], 0,
			       0x2000, 1), H_PARAMETER);
	}
	/* web's window does not exist for db. */
	CHECK_EQ(HCALL(db->vcpus[0], &a, H_PUT_TCE, DEV_REG, 0, 0x1000 | 3),
		 H_PARAMETER);
	CHECK_EQ(dev->tce.table[0], 0);
}

TEST(h_tce, foreign_pages_ioba_and_lists_are_h_parameter)
{
	REQUIRE(setup());
	CHECK_EQ(HCALL(vc, &a, H_PUT_TCE, DEV_REG, 0, MEM_SIZE | 1),
		 H_PARAMETER);
	CHECK_EQ(HCALL(vc, &a, H_PUT_TCE, DEV_REG, 0, 0x20000000ull | 2),
		 H_PARAMETER);
	CHECK_EQ(HCALL(vc, &a, H_PUT_TCE, DEV_REG, WIN, 0x1000 | 3),
		 H_PARAMETER);
	CHECK_EQ(HCALL(vc, &a, H_GET_TCE, DEV_REG, WIN), H_PARAMETER);
	CHECK_EQ(HCALL(vc, &a, H_STUFF_TCE, DEV_REG, 0, MEM_SIZE | 3, 1),
		 H_PARAMETER);
	CHECK_EQ(HCALL(vc, &a, H_STUFF_TCE, DEV_REG, 0, 0, 17), H_PARAMETER);
	CHECK_EQ(HCALL(vc, &a, H_STUFF_TCE, DEV_REG, 0, 0, 0), H_PARAMETER);
	CHECK_EQ(HCALL(vc, &a, H_PUT_TCE_INDIRECT, DEV_REG, 0, MEM_SIZE, 1),
		 H_PARAMETER);
	CHECK_EQ(HCALL(vc, &a, H_PUT_TCE_INDIRECT, DEV_REG, 0, 0x2008, 1),
		 H_PARAMETER);
	CHECK_EQ(HCALL(vc, &a, H_PUT_TCE_INDIRECT, DEV_REG, 0, 0x2000, 513),
		 H_PARAMETER);
	gm_put64(web, 0x2000, MEM_SIZE | 3);
	CHECK_EQ(HCALL(vc, &a, H_PUT_TCE_INDIRECT, DEV_REG, 0, 0x2000, 1),
		 H_PARAMETER);
	for (int i = 0; i < 16; i++) {
		CHECK_EQ(dev->tce.table[i], 0);
	}
}

TEST(h_tce, put_get_stuff_indirect_on_a_window)
{
	REQUIRE(setup());
	CHECK_EQ(HCALL(vc, &a, H_PUT_TCE, DEV_REG, 0x1fff, 0x5000 | 3),
		 H_SUCCESS);
	CHECK_EQ(HCALL(vc, &a, H_GET_TCE, DEV_REG, 0x1000), H_SUCCESS);
	CHECK_EQ(a.ret_count, 1);
	CHECK_EQ(a.ret[0], 0x5000 | 3);
	gm_put64(web, 0x3000, 0x6000 | 1);
	gm_put64(web, 0x3008, 0x7000 | 2);
	CHECK_EQ(HCALL(vc, &a, H_PUT_TCE_INDIRECT, DEV_REG, 0x4000, 0x3000, 2),
		 H_SUCCESS);
	CHECK_EQ(dev->tce.table[4], 0x6000 | 1);
	CHECK_EQ(dev->tce.table[5], 0x7000 | 2);
	CHECK_EQ(HCALL(vc, &a, H_STUFF_TCE, DEV_REG, 0, 0, 16), H_SUCCESS);
	for (int i = 0; i < 16; i++) {
		CHECK_EQ(dev->tce.table[i], 0);
	}
}

/*
 * A DMA window served by a unit outside the bus (as pci/ serves a PHB's):
 * the TCE hcalls find it by LIOBN through the unit's dma_window hook,
 * apply mm/tce.c's checks, and report the entries they may have written.
 */
#define EXT_LIOBN 0x80000000u
static uint64_t ext_table[16];
static struct tce_table ext_tce = { EXT_LIOBN, 16, 0, ext_table, 0, false };
static struct spinlock ext_lock;
static uint64_t ext_first, ext_count;
static int ext_calls;

static void ext_changed(struct lpar *l, struct lpar_dma_window *w,
			uint64_t first, uint64_t count)
{
	(void)w;
	CHECK(l == web);
	ext_first = first;
	ext_count = count;
	ext_calls++;
}

static struct lpar_dma_window ext_win = { &ext_tce, &ext_lock, ext_changed };

static struct lpar_dma_window *ext_window(struct lpar *l, uint64_t liobn)
{
	return l == web && liobn == EXT_LIOBN ? &ext_win : NULL;
}

static uint32_t ext_slot;
LPAR_UNIT(test_ext_window, .order = 990, .slot = &ext_slot,
	  .dma_window = ext_window);

TEST(h_tce, a_units_window_is_checked_and_reported)
{
	REQUIRE(setup());
	memset(ext_table, 0, sizeof(ext_table));
	ext_calls = 0;
	/* Refused as on a VIO window; another partition, a LIOBN above 32
	 * bits: no window at all. */
	CHECK_EQ(HCALL(vc, &a, H_PUT_TCE, EXT_LIOBN, 0, MEM_SIZE | 3),
		 H_PARAMETER);
	CHECK_EQ(HCALL(db->vcpus[0], &a, H_PUT_TCE, EXT_LIOBN, 0,
		       0x1000 | 3), H_PARAMETER);
	CHECK_EQ(HCALL(vc, &a, H_PUT_TCE, 1ull << 32 | EXT_LIOBN, 0,
		       0x1000 | 3), H_PARAMETER);
	CHECK_EQ(HCALL(vc, &a, H_PUT_TCE, EXT_LIOBN, WIN, 0x1000 | 3),
		 H_PARAMETER);
	CHECK_EQ(ext_table[0], 0);
	/* Outside the window: nothing to report. */
	CHECK_EQ(ext_calls, 1);
	CHECK_EQ(ext_first, 0);
	CHECK_EQ(ext_count, 1);
	ext_calls = 0;
	CHECK_EQ(HCALL(vc, &a, H_PUT_TCE, EXT_LIOBN, 0x3fff, 0x5000 | 3),
		 H_SUCCESS);
	CHECK_EQ(ext_table[3], 0x5000 | 3);
	CHECK_EQ(ext_calls, 1);
	CHECK_EQ(ext_first, 3);
	CHECK_EQ(ext_count, 1);
	CHECK_EQ(HCALL(vc, &a, H_GET_TCE, EXT_LIOBN, 0x3000), H_SUCCESS);
	CHECK_EQ(a.ret[0], 0x5000 | 3);
	CHECK_EQ(ext_calls, 1); /* a read changes nothing */
	gm_put64(web, 0x3000, 0x6000 | 1);
	gm_put64(web, 0x3008, 0x7000 | 2);
	CHECK_EQ(HCALL(vc, &a, H_PUT_TCE_INDIRECT, EXT_LIOBN, 0xe000, 0x3000,
		       2), H_SUCCESS);
	CHECK_EQ(ext_first, 14);
	CHECK_EQ(ext_count, 2);
	/* A stuff running off the window: clipped to it. */
	CHECK_EQ(HCALL(vc, &a, H_STUFF_TCE, EXT_LIOBN, 0xc000, 0, 8),
		 H_PARAMETER);
	CHECK_EQ(ext_first, 12);
	CHECK_EQ(ext_count, 4);
	CHECK_EQ(ext_table[14], 0);
	CHECK_EQ(ext_calls, 3);
}

TEST(h_reg_crq, qemu_codes)
{
	REQUIRE(setup());
	CHECK_EQ(HCALL(vc, &a, H_REG_CRQ, DEV_REG + 1, 0, 0x1000),
		 H_PARAMETER);
	CHECK_EQ(HCALL(vc, &a, H_REG_CRQ, DEV_REG, 0, 0xfff), H_PARAMETER);
	CHECK_EQ(HCALL(vc, &a, H_REG_CRQ, DEV_REG, 0x800, 0x1000),
		 H_PARAMETER);
	CHECK_EQ(HCALL(vc, &a, H_REG_CRQ, VTY_REG, 0, 0x1000), H_NOT_FOUND);
	CHECK_EQ(HCALL(vc, &a, H_SEND_CRQ, VTY_REG, 0xc001ull << 48, 0),
		 H_HARDWARE);
	CHECK_EQ(HCALL(vc, &a, H_SEND_CRQ, DEV_REG + 1, 0, 0), H_PARAMETER);
	CHECK_EQ(HCALL(vc, &a, H_FREE_CRQ, DEV_REG + 1), H_PARAMETER);
	CHECK_EQ(HCALL(vc, &a, H_ENABLE_CRQ, DEV_REG + 1), H_PARAMETER);
	CHECK_EQ(HCALL(vc, &a, H_FREE_CRQ, VTY_REG), H_SUCCESS);
	/* Units by their low 32 bits, as QEMU's spapr_vio_find_by_reg(). */
	CHECK_EQ(HCALL(vc, &a, H_FREE_CRQ, 1ull << 32 | VTY_REG), H_SUCCESS);
	CHECK_EQ(HCALL(vc, &a, H_ENABLE_CRQ, ~0ull << 32 | VTY_REG), H_SUCCESS);
	CHECK_EQ(HCALL(vc, &a, H_ENABLE_CRQ, VTY_REG), H_SUCCESS);
	CHECK_EQ(HCALL(vc, &a, H_REG_CRQ, DEV_REG, 0, 0x1000), H_SUCCESS);
	CHECK_EQ(HCALL(vc, &a, H_REG_CRQ, DEV_REG, 0, 0x1000), H_RESOURCE);
	CHECK_EQ(HCALL(vc, &a, H_FREE_CRQ, DEV_REG), H_SUCCESS);
	CHECK_EQ(HCALL(vc, &a, H_REG_CRQ, DEV_REG, 0, 0x1000), H_SUCCESS);
}

/* Route the device's source to vCPU 1 of "web" at priority 5. */
static void route_dev_irq(void)
{
	uint32_t rets[1];

	RTAS(vc, 0x8000, RTAS_IBM_SET_XIVE, 1, rets, DEV_IRQ, 1, 5);
	CHECK_EQ(rets[0], RTAS_OUT_SUCCESS);
	CHECK_EQ(HCALL(web->vcpus[1], &a, H_CPPR, 0xff), H_SUCCESS);
}

TEST(h_send_crq, unmapped_queue_is_refused_then_echoed_with_interrupt)
{
	REQUIRE(setup());
	route_dev_irq();
	for (uint64_t off = 0; off < 0x1000; off += 8) {
		gm_put64(web, 0x9000 + off, 0); /* the guest clears its queue */
	}
	/* Queue at bus 0x2000, mapped read-only first: no reply lands. */
	CHECK_EQ(HCALL(vc, &a, H_PUT_TCE, DEV_REG, 0x2000, 0x9000 | 1),
		 H_SUCCESS);
	CHECK_EQ(HCALL(vc, &a, H_REG_CRQ, DEV_REG, 0x2000, 0x1000), H_SUCCESS);
	CHECK_EQ(HCALL(vc, &a, H_SEND_CRQ, DEV_REG, 0xc001000000000000ull,
		       0x0102030405060708ull), H_SUCCESS);
	CHECK_EQ(got_count, 1);
	CHECK_EQ(got[0], 0xc0);
	CHECK_EQ(got[15], 0x08);
	CHECK_EQ(echo_ret, H_DEST_PARM);
	CHECK_EQ(gm_get64(web, 0x9000), 0);
	/* Mapped both ways, interrupts off: the entry, no interrupt. */
	CHECK_EQ(HCALL(vc, &a, H_PUT_TCE, DEV_REG, 0x2000, 0x9000 | 3),
		 H_SUCCESS);
	CHECK_EQ(HCALL(vc, &a, H_SEND_CRQ, DEV_REG, 0xc001000000000000ull,
		       0x0102030405060708ull), H_SUCCESS);
	CHECK_EQ(echo_ret, H_SUCCESS);
	CHECK_EQ(gm_get64(web, 0x9000), 0xc081000000000000ull);
	/* A slot the guest has not consumed: the queue is full (QEMU: 1). */
	gm_put8(web, 0x9010, 0x80);
	CHECK_EQ(HCALL(vc, &a, H_SEND_CRQ, DEV_REG, 0x8001ull << 48, 0),
		 H_SUCCESS);
	CHECK_EQ(echo_ret, H_DROPPED);
	gm_put8(web, 0x9010, 0);
	CHECK_EQ(gm_get64(web, 0x9008), 0x0102030405060708ull);
	CHECK_EQ(web->vcpus[1]->irq, 0);
	/* H_VIO_SIGNAL(1): the next entry pulses the device's source. */
	CHECK_EQ(HCALL(vc, &a, H_VIO_SIGNAL, DEV_REG, 2), H_PARAMETER);
	CHECK_EQ(HCALL(vc, &a, H_VIO_SIGNAL, DEV_REG, 1), H_SUCCESS);
	CHECK_EQ(HCALL(vc, &a, H_SEND_CRQ, DEV_REG, 0x8001ull << 48, 0),
		 H_SUCCESS);
	CHECK_EQ(echo_ret, H_SUCCESS);
	CHECK_EQ(gm_get8(web, 0x9010), 0x80);
	CHECK_EQ(web->vcpus[1]->irq, 1);
	CHECK_EQ(HCALL(web->vcpus[1], &a, H_XIRR, 0), H_SUCCESS);
	CHECK_EQ(a.ret[0], 0xff000000ull | DEV_IRQ);
	/* Freed: the back end's next message finds the queue closed. */
	CHECK_EQ(HCALL(vc, &a, H_FREE_CRQ, DEV_REG), H_SUCCESS);
	CHECK_EQ(HCALL(vc, &a, H_SEND_CRQ, DEV_REG, 0x8001ull << 48, 0),
		 H_SUCCESS);
	CHECK_EQ(echo_ret, H_CLOSED);
}

TEST(vio_bus, reset_forgets_tces_queues_and_signals)
{
	uint8_t buf[8];

	REQUIRE(setup());
	CHECK_EQ(HCALL(vc, &a, H_PUT_TCE, DEV_REG, 0, 0x9000 | 3), H_SUCCESS);
	CHECK_EQ(HCALL(vc, &a, H_REG_CRQ, DEV_REG, 0, 0x1000), H_SUCCESS);
	CHECK_EQ(HCALL(vc, &a, H_VIO_SIGNAL, DEV_REG, 1), H_SUCCESS);
	CHECK(vio_dma_read(web, dev, 0, buf, 8));
	lpar_units_reset(web);
	CHECK_EQ(dev->tce.table[0], 0);
	CHECK(!crq_registered(&dev->crq));
	CHECK_EQ(dev->signal_state, 0);
	CHECK(!vio_dma_read(web, dev, 0, buf, 8));
	CHECK(!vio_dma_write(web, dev, 0, buf, 8));
	CHECK_EQ(HCALL(vc, &a, H_REG_CRQ, DEV_REG, 0, 0x1000), H_SUCCESS);
}

/*
 * RTAS ibm,set-tce-bypass (QEMU's, which SLOF's v-scsi driver calls with
 * nret 0): a unit's bus addresses become the partition's own real
 * addresses, in and out of its window, never beyond its memory; off
 * again, and after a reset.
 */
TEST(rtas, set_tce_bypass)
{
	uint32_t rets[1];
	uint8_t buf[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };

	REQUIRE(setup());
	/* Unknown unit, a unit without a window, another partition's unit,
	 * one argument: -3, nothing changes. */
	RTAS(vc, 0x8000, RTAS_IBM_SET_TCE_BYPASS, 1, rets, 0x1234, 1);
	CHECK_EQ((int32_t)rets[0], RTAS_OUT_PARAM_ERROR);
	RTAS(vc, 0x8000, RTAS_IBM_SET_TCE_BYPASS, 1, rets, VTY_REG, 1);
	CHECK_EQ((int32_t)rets[0], RTAS_OUT_PARAM_ERROR);
	RTAS(db->vcpus[0], 0x8000, RTAS_IBM_SET_TCE_BYPASS, 1, rets, DEV_REG,
	     1);
	CHECK_EQ((int32_t)rets[0], RTAS_OUT_PARAM_ERROR);
	RTAS(vc, 0x8000, RTAS_IBM_SET_TCE_BYPASS, 1, rets, DEV_REG);
	CHECK_EQ((int32_t)rets[0], RTAS_OUT_PARAM_ERROR);
	CHECK(!dev->tce.bypass);
	for (uint64_t off = 0; off < 0x1000; off += 8) {
		gm_put64(web, 0x9000 + off, 0); /* SLOF clears its queue */
	}
	/* SLOF's queue at its real address: nothing lands without bypass. */
	CHECK_EQ(HCALL(vc, &a, H_REG_CRQ, DEV_REG, 0x9000, 0x1000), H_SUCCESS);
	CHECK_EQ(HCALL(vc, &a, H_SEND_CRQ, DEV_REG, 0xc001000000000000ull, 0),
		 H_SUCCESS);
	CHECK_EQ(echo_ret, H_DEST_PARM);
	CHECK(!vio_dma_write(web, dev, 0x30000, buf, 8));
	/* On, as SLOF calls it (nret 0): the entry lands at 0x9000. */
	RTAS(vc, 0x8000, RTAS_IBM_SET_TCE_BYPASS, 0, rets, DEV_REG, 1);
	CHECK(dev->tce.bypass);
	CHECK_EQ(HCALL(vc, &a, H_SEND_CRQ, DEV_REG, 0xc001000000000000ull, 0),
		 H_SUCCESS);
	CHECK_EQ(echo_ret, H_SUCCESS);
	CHECK_EQ(gm_get64(web, 0x9000), 0xc081000000000000ull);
	/* Beyond the 64 KiB window, inside memory: its real address. */
	CHECK(vio_dma_write(web, dev, 0x30000, buf, 8));
	CHECK_EQ(gm_get64(web, 0x30000), 0x0102030405060708ull);
	CHECK(vio_dma_read(web, dev, MEM_SIZE - 8, buf, 8));
	/* Never past the partition's memory, nor across its end. */
	CHECK(!vio_dma_read(web, dev, MEM_SIZE, buf, 8));
	CHECK(!vio_dma_read(web, dev, MEM_SIZE - 4, buf, 8));
	CHECK(!vio_dma_write(web, dev, MEM_SIZE - 4, buf, 8));
	CHECK(!vio_dma_write(web, dev, 1ull << 40, buf, 8));
	/* Off: the window again (entry 0x30 unmapped). */
	RTAS(vc, 0x8000, RTAS_IBM_SET_TCE_BYPASS, 1, rets, DEV_REG, 0);
	CHECK_EQ(rets[0], RTAS_OUT_SUCCESS);
	CHECK(!vio_dma_read(web, dev, 0x30000, buf, 8));
	/* A reset turns it off. */
	RTAS(vc, 0x8000, RTAS_IBM_SET_TCE_BYPASS, 1, rets, DEV_REG, 1);
	CHECK_EQ(rets[0], RTAS_OUT_SUCCESS);
	lpar_units_reset(web);
	CHECK(!dev->tce.bypass);
	CHECK(!vio_dma_read(web, dev, 0x30000, buf, 8));
}

TEST(vio_bus, guest_tree_lists_devices_that_name_a_node)
{
	struct vio_dev_desc d = echo_desc;
	struct guest_dt_params p;

	REQUIRE(setup());
	d.reg = DEV_REG + 1;
	d.dma_window = 0x100000000ull; /* beyond the 32-bit property */
	CHECK(vio_bus_add(web, &d, NULL) == NULL);
	d.dma_window = VIO_DMA_WINDOW;
	d.irq = DEV_IRQ + 1;
	d.dt_name = "l-lan";
	d.dt_type = "network";
	d.dt_compatible = "IBM,l-lan";
	REQUIRE(vio_bus_add(web, &d, NULL) != NULL);
	memset(&p, 0, sizeof(p));
	p.vio_count = 5;
	lpar_units_guest_dt(web, &p);
	/* The vty and the echo device write no node of the bus's; the
	 * NVRAM (vio/nvram.c) was added first, at creation. */
	REQUIRE_EQ(p.vio_count, 2);
	CHECK_STR_EQ(p.vio[0].name, "nvram");
	CHECK_EQ(p.vio[0].bytes, NVRAM_SIZE);
	CHECK_EQ(p.vio[1].bytes, 0);
	CHECK_STR_EQ(p.vio[1].name, "l-lan");
	CHECK_STR_EQ(p.vio[1].compatible, "IBM,l-lan");
	CHECK_EQ(p.vio[1].reg, DEV_REG + 1);
	CHECK_EQ(p.vio[1].irq, DEV_IRQ + 1);
	CHECK_EQ(p.vio[1].dma_window, VIO_DMA_WINDOW);
	CHECK_EQ(p.vty_reg, VTY_REG);
}

TEST(vio_bus, add_claims_the_interrupt_or_refuses)
{
	struct vio_dev_desc d = echo_desc;
	struct lpar *x;

	REQUIRE(setup());
	d.reg = DEV_REG + 1; /* DEV_IRQ is the echo device's already */
	CHECK(vio_bus_add(web, &d, NULL) == NULL);
	d.irq = 0x2000; /* past the XICS sources */
	CHECK(vio_bus_add(web, &d, NULL) == NULL);
	d.irq = INTC_VTY_IRQ; /* the vty's */
	CHECK(vio_bus_add(web, &d, NULL) == NULL);
	CHECK(vio_bus_find(web, DEV_REG + 1) == NULL);
	d.irq = 0; /* no interrupt at all is fine */
	CHECK(vio_bus_add(web, &d, NULL) != NULL);
	/* XIVE: only the partition's device LISNs (the vty's). */
	fake_lpar_intc = CONFIG_INTC_XIVE;
	x = fake_lpar_create("x", 1, MEM_SIZE);
	REQUIRE(x != NULL);
	CHECK(vio_bus_find(x, VTY_REG) != NULL);
	d.irq = DEV_IRQ;
	CHECK(vio_bus_add(x, &d, NULL) == NULL);
	d.irq = 0;
	CHECK(vio_bus_add(x, &d, NULL) != NULL);
	fake_lpar_destroy(x);
}
