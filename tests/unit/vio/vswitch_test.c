/*
 * Tests for vio/vswitch.c, the switch's forwarding decisions: VLAN
 * separation (untagged on the port VLAN, tags only for VLANs a port
 * carries), unicast to configured MACs, learning behind trunks only and
 * never over a partition's own MAC, broadcast to the VLAN, unknown
 * unicast to the trunks, tag edits.  Negative cases first.
 */
#include <string.h>

#include "tests/unit/test.h"
#include "vio/vswitch.h"

static struct vswitch sw;
static struct vswitch_dest out[VSWITCH_PORTS_MAX];
static uint16_t vlan;

static struct lan_config lan(uint8_t last, bool trunk, uint32_t n,
			     const uint16_t *vlans)
{
	struct lan_config a;

	memset(&a, 0, sizeof(a));
	a.mac[0] = 0x02;
	a.mac[5] = last;
	a.trunk = trunk;
	a.vlan_count = n;
	memcpy(a.vlans, vlans, n * sizeof(vlans[0]));
	return a;
}

/* Ports: 0 and 1 on VLAN 1, 2 on VLAN 2, 3 a trunk of 1 (PVID) and 2. */
static void setup(void)
{
	static const uint16_t v1[] = { 1 }, v2[] = { 2 }, tr[] = { 1, 2 };
	struct lan_config a;

	memset(&sw, 0, sizeof(sw));
	a = lan(1, false, 1, v1);
	REQUIRE_EQ(vswitch_port_add(&sw, &a, NULL), 0);
	a = lan(2, false, 1, v1);
	REQUIRE_EQ(vswitch_port_add(&sw, &a, NULL), 1);
	a = lan(3, false, 1, v2);
	REQUIRE_EQ(vswitch_port_add(&sw, &a, NULL), 2);
	a = lan(4, true, 2, tr);
	REQUIRE_EQ(vswitch_port_add(&sw, &a, NULL), 3);
}

/* A frame header to MAC 02:..:dst from 02:..:src, tagged when vid. */
static uint32_t frame(uint8_t *h, const uint8_t *dst, uint8_t src,
		      uint16_t vid)
{
	memset(h, 0, 64);
	memcpy(h, dst, 6);
	h[6] = 0x02;
	h[11] = src;
	if (vid) {
		h[12] = 0x81;
		h[14] = (uint8_t)(vid >> 8);
		h[15] = (uint8_t)vid;
		h[16] = 0x08;
		return 64;
	}
	h[12] = 0x08;
	return 64;
}

static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

static const uint8_t *mac(uint8_t last)
{
	static uint8_t m[6];

	memset(m, 0, sizeof(m));
	m[0] = 0x02;
	m[5] = last;
	return m;
}

TEST(vswitch, drops_runts_and_tags_for_vlans_a_port_lacks)
{
	uint8_t h[64];

	setup();
	frame(h, bcast, 1, 0);
	CHECK_EQ(vswitch_route(&sw, 0, h, 13, out, &vlan), 0);
	frame(h, bcast, 1, 2); /* port 0 is VLAN 1 only: no hopping to 2 */
	CHECK_EQ(vswitch_route(&sw, 0, h, 64, out, &vlan), 0);
	CHECK_EQ(vswitch_route(&sw, 0, h, 17, out, &vlan), 0);
	CHECK_EQ(vswitch_route(&sw, 9, h, 64, out, &vlan), 0);
}

TEST(vswitch, never_delivers_across_vlans)
{
	uint8_t h[64];

	setup();
	frame(h, mac(3), 1, 0); /* port 2's MAC, but it is on VLAN 2 */
	CHECK_EQ(vswitch_route(&sw, 0, h, 64, out, &vlan), 0);
	frame(h, bcast, 3, 0);
	REQUIRE_EQ(vswitch_route(&sw, 2, h, 64, out, &vlan), 1);
	CHECK_EQ(out[0].port, 3); /* the trunk, tagged for VLAN 2 */
	CHECK_EQ(out[0].edit, VSWITCH_ADD_TAG);
	CHECK_EQ(vlan, 2);
}

TEST(vswitch, unicast_to_itself_goes_nowhere)
{
	uint8_t h[64];

	setup();
	frame(h, mac(1), 1, 0);
	CHECK_EQ(vswitch_route(&sw, 0, h, 64, out, &vlan), 0);
}

TEST(vswitch, unknown_unicast_goes_to_the_vlans_trunks_only)
{
	uint8_t h[64];

	setup();
	frame(h, mac(0x77), 1, 0);
	REQUIRE_EQ(vswitch_route(&sw, 0, h, 64, out, &vlan), 1);
	CHECK_EQ(out[0].port, 3);
	CHECK_EQ(out[0].edit, VSWITCH_AS_IS); /* VLAN 1 is its PVID */
}

TEST(vswitch, broadcast_reaches_every_other_port_of_the_vlan)
{
	uint8_t h[64];

	setup();
	frame(h, bcast, 1, 0);
	REQUIRE_EQ(vswitch_route(&sw, 0, h, 64, out, &vlan), 2);
	CHECK_EQ(out[0].port, 1);
	CHECK_EQ(out[1].port, 3);
	CHECK_EQ(vlan, 1);
	h[0] = 0x01; /* multicast */
	CHECK_EQ(vswitch_route(&sw, 0, h, 64, out, &vlan), 2);
}

TEST(vswitch, unicast_to_the_configured_mac)
{
	uint8_t h[64];

	setup();
	frame(h, mac(2), 1, 0);
	REQUIRE_EQ(vswitch_route(&sw, 0, h, 64, out, &vlan), 1);
	CHECK_EQ(out[0].port, 1);
	CHECK_EQ(out[0].edit, VSWITCH_AS_IS);
}

TEST(vswitch, trunk_tagged_frame_is_stripped_for_an_access_port)
{
	uint8_t h[64];

	setup();
	frame(h, mac(3), 4, 2);
	REQUIRE_EQ(vswitch_route(&sw, 3, h, 64, out, &vlan), 1);
	CHECK_EQ(out[0].port, 2);
	CHECK_EQ(out[0].edit, VSWITCH_STRIP_TAG);
}

TEST(vswitch, learns_behind_trunks_only_and_never_a_ports_own_mac)
{
	uint8_t h[64];

	setup();
	/* An access port claiming 02:..:99 is not learned. */
	frame(h, bcast, 0x99, 0);
	vswitch_route(&sw, 0, h, 64, out, &vlan);
	frame(h, mac(0x99), 2, 0);
	REQUIRE_EQ(vswitch_route(&sw, 1, h, 64, out, &vlan), 1);
	CHECK_EQ(out[0].port, 3); /* still unknown: to the trunk */
	/* The trunk claiming port 1's MAC takes nothing from it. */
	frame(h, bcast, 2, 0);
	vswitch_route(&sw, 3, h, 64, out, &vlan);
	frame(h, mac(2), 1, 0);
	REQUIRE_EQ(vswitch_route(&sw, 0, h, 64, out, &vlan), 1);
	CHECK_EQ(out[0].port, 1);
	/* A MAC behind the trunk is learned per VLAN. */
	frame(h, bcast, 0x55, 0);
	vswitch_route(&sw, 3, h, 64, out, &vlan);
	frame(h, mac(0x55), 1, 0);
	REQUIRE_EQ(vswitch_route(&sw, 0, h, 64, out, &vlan), 1);
	CHECK_EQ(out[0].port, 3);
	frame(h, mac(0x55), 3, 0); /* VLAN 2: not learned there */
	REQUIRE_EQ(vswitch_route(&sw, 2, h, 64, out, &vlan), 1);
	CHECK_EQ(out[0].edit, VSWITCH_ADD_TAG);
	/* A reset of the trunk forgets it. */
	vswitch_port_reset(&sw, 3);
	CHECK_EQ(vswitch_route(&sw, 0, h, 64, out, &vlan), 1);
}

TEST(vswitch, set_mac_refuses_another_ports_and_bad_addresses)
{
	uint8_t m[6];

	setup();
	CHECK(!vswitch_set_mac(&sw, 0, mac(2)));
	memcpy(m, mac(9), 6);
	m[0] = 0x03;
	CHECK(!vswitch_set_mac(&sw, 0, m));
	memset(m, 0, 6);
	CHECK(!vswitch_set_mac(&sw, 0, m));
	CHECK(!vswitch_set_mac(&sw, 40, mac(9)));
	CHECK(vswitch_set_mac(&sw, 0, mac(1)));
	REQUIRE(vswitch_set_mac(&sw, 0, mac(9)));
	CHECK(memcmp(sw.ports[0].mac, mac(9), 6) == 0);
	vswitch_port_reset(&sw, 0);
	CHECK(memcmp(sw.ports[0].mac, mac(1), 6) == 0);
}

TEST(vswitch, full_switch_and_empty_vlan_list_are_refused)
{
	static const uint16_t v1[] = { 1 };
	struct lan_config a = lan(1, false, 0, v1);

	memset(&sw, 0, sizeof(sw));
	CHECK_EQ(vswitch_port_add(&sw, &a, NULL), VSWITCH_NO_PORT);
	a = lan(1, false, 1, v1);
	for (uint32_t i = 0; i < VSWITCH_PORTS_MAX; i++) {
		a.mac[4] = (uint8_t)i;
		REQUIRE_EQ(vswitch_port_add(&sw, &a, NULL), i);
	}
	CHECK_EQ(vswitch_port_add(&sw, &a, NULL), VSWITCH_NO_PORT);
	vswitch_port_remove(&sw, 5);
	CHECK_EQ(vswitch_port_add(&sw, &a, NULL), 5);
}
