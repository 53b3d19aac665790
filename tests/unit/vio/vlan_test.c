/*
 * Tests for vio/vlan.c through hcall_dispatch(): frames between fake
 * partitions on lparvisor's switch, with QEMU 7.2 spapr-vlan's formats
 * (handle, offset 8, length, control byte with the queue's toggle, the
 * buffer list's queue descriptor flipping at a wrap, the dropped-frame
 * counter in the list's last 8 bytes), VLAN separation, and nothing
 * written where a receiver's window no longer maps.  Built against
 * tests/unit/fake/.  Negative cases first.
 */
#include <stdio.h>

#include "hv/abi/layout.h"
#include "hv/abi/llan.h"
#include "tests/unit/fake/guestcall.h"
#include "tests/unit/test.h"
#include "vio/vlan.h"

#if !defined(FAKE_HV_CPU_H) || !defined(FAKE_HV_LOCK_H)
#error "vlan_test.c must be built with -Itests/unit/fake ahead of -I."
#endif

#define MEM_SIZE (64 * SZ_4K)
#define UNIT LAYOUT_LLAN_REG(0)
/* Guest pages, mapped at the same bus addresses in each window. */
#define BUF_LIST 0x1000
#define RXQ 0x2000
#define FILTER 0x3000
#define RXBUF 0x4000 /* 4 buffers of 1 KiB */
#define TXBUF 0x8000

static struct lpar *a, *b, *c;
static struct hcall_args args;

static struct lpar *make(const char *name, uint8_t last, uint16_t vlan)
{
	memset(&fake_lpar_lans[0], 0, sizeof(fake_lpar_lans[0]));
	snprintf(fake_lpar_lans[0].name, CONFIG_NAME_LEN, "%s-eth", name);
	fake_lpar_lans[0].mac[0] = 0x02;
	fake_lpar_lans[0].mac[5] = last;
	fake_lpar_lans[0].vlan_count = 1;
	fake_lpar_lans[0].vlans[0] = vlan;
	fake_lpar_lan_count = 1;
	return fake_lpar_create(name, 1, MEM_SIZE);
}

static int64_t call(struct lpar *l, uint64_t nr, uint64_t a0, uint64_t a1,
		    uint64_t a2, uint64_t a3)
{
	return HCALL(l->vcpus[0], &args, nr, UNIT, a0, a1, a2, a3, 0, 0, 0, 0);
}

/* Map pages 1..15 both ways; register with a queue of `rxq_len` bytes. */
static bool open_lan(struct lpar *l, uint64_t rxq_len)
{
	for (uint64_t p = 1; p < 16; p++) {
		if (HCALL(l->vcpus[0], &args, H_PUT_TCE, UNIT, p * SZ_4K,
			  (p * SZ_4K) | 3) != H_SUCCESS) {
			return false;
		}
	}
	return call(l, H_REGISTER_LOGICAL_LAN, BUF_LIST,
		    LLAN_BD(RXQ, rxq_len), FILTER, 0) == H_SUCCESS;
}

static int64_t add_buffer(struct lpar *l, int i)
{
	gm_put64(l, RXBUF + i * 0x400, 0x1000 + i); /* the handle */
	return call(l, H_ADD_LOGICAL_LAN_BUFFER, LLAN_BD(RXBUF + i * 0x400,
							 0x400), 0, 0, 0);
}

/* A frame of `len` bytes to `dst` (last MAC byte; 0xff broadcast). */
static int64_t send(struct lpar *from, uint8_t dst, uint32_t len)
{
	uint8_t *m = fake_gmem(from) + TXBUF;

	for (uint32_t i = 0; i < len; i++) {
		m[i] = (uint8_t)(i * 7 + 1);
	}
	memset(m, dst == 0xff ? 0xff : 0, 6);
	if (dst != 0xff) {
		m[0] = 0x02;
		m[5] = dst;
	}
	m[12] = 0x88;
	m[13] = 0xb5;
	/* In two pieces, as a scatter list. */
	return HCALL(from->vcpus[0], &args, H_SEND_LOGICAL_LAN, UNIT,
		     LLAN_BD(TXBUF, 20), LLAN_BD(TXBUF + 20, len - 20), 0, 0,
		     0, 0, 0);
}

static bool setup(void)
{
	fake_reset();
	a = make("a", 1, 1);
	b = make("b", 2, 1);
	c = make("c", 3, 2);
	return a && b && c;
}

TEST(vlan, hcalls_on_other_units_and_partitions_are_refused)
{
	REQUIRE(setup());
	CHECK_EQ(HCALL(a->vcpus[0], &args, H_REGISTER_LOGICAL_LAN, LAYOUT_VTY_REG,
		       BUF_LIST, LLAN_BD(RXQ, 0x1000), FILTER), H_PARAMETER);
	CHECK_EQ(HCALL(a->vcpus[0], &args, H_CHANGE_LOGICAL_LAN_MAC, 0xbad,
		       0x020000000009ull), H_PARAMETER);
	/* b's MAC is b's: a cannot take it (QEMU would accept anything). */
	CHECK_EQ(HCALL(a->vcpus[0], &args, H_CHANGE_LOGICAL_LAN_MAC, UNIT,
		       0x020000000002ull), H_PARAMETER);
	CHECK_EQ(send(a, 2, 60), H_DROPPED); /* not registered */
}

TEST(vlan, a_frame_for_a_closed_or_bufferless_port_is_counted_dropped)
{
	struct vlan_stats s;

	REQUIRE(setup());
	REQUIRE(open_lan(a, 0x1000));
	CHECK_EQ(send(a, 2, 60), H_SUCCESS); /* b closed */
	REQUIRE(vlan_adapter_stats(b, 0, &s));
	CHECK_EQ(s.rx_dropped, 1);
	REQUIRE(open_lan(b, 0x1000));
	CHECK_EQ(send(a, 2, 60), H_SUCCESS); /* no buffer */
	CHECK_EQ(gm_get64(b, BUF_LIST + LLAN_DROPPED_OFF), 1);
	REQUIRE(vlan_adapter_stats(a, 0, &s));
	CHECK_EQ(s.tx_frames, 2);
}

TEST(vlan, delivery_writes_nothing_where_the_window_no_longer_maps)
{
	uint8_t *snap;

	REQUIRE(setup());
	REQUIRE(open_lan(a, 0x1000));
	REQUIRE(open_lan(b, 0x1000));
	REQUIRE_EQ(add_buffer(b, 0), H_SUCCESS);
	/* b unmaps its buffer's page after posting it. */
	REQUIRE_EQ(HCALL(b->vcpus[0], &args, H_PUT_TCE, UNIT, RXBUF, 0),
		   H_SUCCESS);
	snap = gm_snapshot(b);
	CHECK_EQ(send(a, 2, 60), H_SUCCESS);
	/* Only the dropped counter changed. */
	CHECK_EQ(gm_get64(b, BUF_LIST + LLAN_DROPPED_OFF), 1);
	gm_put64(b, BUF_LIST + LLAN_DROPPED_OFF, 0);
	CHECK(gm_unchanged(b, snap));
}

TEST(vlan, nothing_crosses_vlans)
{
	uint8_t *snap;

	REQUIRE(setup());
	REQUIRE(open_lan(a, 0x1000));
	REQUIRE(open_lan(c, 0x1000));
	REQUIRE_EQ(add_buffer(c, 0), H_SUCCESS);
	snap = gm_snapshot(c);
	CHECK_EQ(send(a, 0xff, 60), H_SUCCESS);
	CHECK_EQ(send(a, 3, 60), H_SUCCESS); /* c's MAC, other VLAN */
	CHECK(gm_unchanged(c, snap));
}

TEST(vlan, unicast_lands_in_the_posted_buffer_in_qemus_format)
{
	const uint8_t *got, *sent;
	struct vlan_stats s;

	REQUIRE(setup());
	got = fake_gmem(b) + RXBUF + LLAN_RX_OFFSET;
	sent = fake_gmem(a) + TXBUF;
	REQUIRE(open_lan(a, 0x1000));
	REQUIRE(open_lan(b, 0x1000));
	REQUIRE_EQ(add_buffer(b, 0), H_SUCCESS);
	REQUIRE_EQ(call(b, H_VIO_SIGNAL, 1, 0, 0, 0), H_SUCCESS);
	CHECK_EQ(send(a, 2, 100), H_SUCCESS);
	CHECK_EQ(gm_get8(b, RXQ), LLAN_RXQC_VALID | LLAN_RXQC_TOGGLE);
	CHECK_EQ(gm_get16(b, RXQ + 2), LLAN_RX_OFFSET);
	CHECK_EQ(gm_get32(b, RXQ + 4), 100);
	CHECK_EQ(gm_get64(b, RXQ + 8), 0x1000);
	CHECK(memcmp(got, sent, 100) == 0);
	CHECK_EQ(gm_get8(b, RXQ + 16), 0);
	REQUIRE(vlan_adapter_stats(b, 0, &s));
	CHECK_EQ(s.rx_frames, 1);
	CHECK_EQ(s.rx_dropped, 0);
}

TEST(vlan, the_queue_wraps_with_the_toggle_flipped)
{
	REQUIRE(setup());
	REQUIRE(open_lan(a, 0x1000));
	REQUIRE(open_lan(b, 2 * LLAN_RXQ_ENTRY_SIZE));
	for (int i = 0; i < 3; i++) {
		REQUIRE_EQ(add_buffer(b, i), H_SUCCESS);
	}
	for (int i = 0; i < 3; i++) {
		CHECK_EQ(send(a, 2, 60 + i), H_SUCCESS);
	}
	/* Entries 0 and 1 with the toggle set, then 0 again without. */
	CHECK_EQ(gm_get8(b, RXQ + 16), LLAN_RXQC_VALID | LLAN_RXQC_TOGGLE);
	CHECK_EQ(gm_get8(b, RXQ), LLAN_RXQC_VALID);
	CHECK_EQ(gm_get32(b, RXQ + 4), 62);
	CHECK_EQ(gm_get64(b, BUF_LIST + LLAN_RXQ_BD_OFF),
		 LLAN_BD(RXQ, 2 * LLAN_RXQ_ENTRY_SIZE) | LLAN_BD_TOGGLE);
}

TEST(vlan, free_closes_and_restores_the_configured_mac)
{
	char line[256];

	REQUIRE(setup());
	REQUIRE(open_lan(b, 0x1000));
	REQUIRE_EQ(HCALL(b->vcpus[0], &args, H_CHANGE_LOGICAL_LAN_MAC, UNIT,
			 0x020000000042ull), H_SUCCESS);
	REQUIRE(open_lan(a, 0x1000));
	CHECK_EQ(send(a, 2, 60), H_SUCCESS); /* old MAC: unknown now */
	CHECK_EQ(gm_get64(b, BUF_LIST + LLAN_DROPPED_OFF), 0);
	REQUIRE_EQ(call(b, H_FREE_LOGICAL_LAN, 0, 0, 0, 0), H_SUCCESS);
	CHECK_EQ(call(b, H_FREE_LOGICAL_LAN, 0, 0, 0, 0), H_RESOURCE);
	vlan_format_stats(b, line, sizeof(line));
	CHECK_EQ(vlan_format_stats(b, line, sizeof(line)), strlen(line));
	CHECK_STR_EQ(line, "b-eth 02:00:00:00:00:02 vlan 1 tx 0 rx 0 "
			   "dropped 0 buffers 0");
	CHECK_EQ(vlan_format_stats(a, line, 12), 11);
	CHECK_EQ(vlan_format_stats(c, line, 0), 0);
}

TEST(vlan, a_restart_closes_only_that_adapter_and_it_opens_again)
{
	struct vlan_stats s;

	REQUIRE(setup());
	REQUIRE(open_lan(a, 0x1000));
	REQUIRE(open_lan(b, 0x1000));
	REQUIRE_EQ(add_buffer(b, 0), H_SUCCESS);
	REQUIRE_EQ(add_buffer(a, 0), H_SUCCESS);
	REQUIRE_EQ(HCALL(b->vcpus[0], &args, H_CHANGE_LOGICAL_LAN_MAC, UNIT,
			 0x020000000042ull), H_SUCCESS);
	REQUIRE(vlan_adapter_stats(b, 0, &s));
	CHECK_EQ(s.rx_buffers, 1);
	/* b restarts mid-conversation: its units' stop and reset hooks. */
	lpar_units_stop(b, true);
	lpar_units_reset(b);
	CHECK_EQ(send(a, 2, 60), H_SUCCESS); /* configured MAC again */
	REQUIRE(vlan_adapter_stats(b, 0, &s));
	CHECK_EQ(s.rx_buffers, 0); /* none of its last life's left */
	CHECK_EQ(s.rx_frames, 0);
	CHECK_EQ(s.rx_dropped, 1);
	CHECK_EQ(s.mac[5], 2);
	/* a is untouched: still open, its buffer still posted. */
	CHECK_EQ(call(a, H_REGISTER_LOGICAL_LAN, BUF_LIST,
		      LLAN_BD(RXQ, 0x1000), FILTER, 0), H_RESOURCE);
	/* b's window was cleared: it maps and registers again, and its
	 * pools start empty (buffers of its last life are gone). */
	REQUIRE(open_lan(b, 0x1000));
	CHECK_EQ(send(a, 2, 60), H_SUCCESS);
	CHECK_EQ(gm_get64(b, BUF_LIST + LLAN_DROPPED_OFF), 1);
	REQUIRE_EQ(add_buffer(b, 1), H_SUCCESS);
	CHECK_EQ(send(a, 2, 60), H_SUCCESS);
	CHECK_EQ(gm_get64(b, RXQ + 8), 0x1001);
	CHECK_EQ(send(b, 1, 60), H_SUCCESS);
	CHECK_EQ(gm_get32(a, RXQ + 4), 60);
}
