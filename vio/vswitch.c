/*
 * The virtual Ethernet switch's forwarding decisions (vio/vswitch.h):
 * ports, configured and learned MACs, VLAN membership, 802.1Q tags.
 * Pure logic; the adapter code (vio/vlan.c) moves the bytes.
 */
#include "hv/lib/string.h"
#include "vio/vswitch.h"

static bool mac_eq(const uint8_t *a, const uint8_t *b)
{
	return memcmp(a, b, ETH_ALEN) == 0;
}

static bool mac_multicast(const uint8_t *m)
{
	return m[0] & 1; /* broadcast included */
}

static bool mac_zero(const uint8_t *m)
{
	static const uint8_t zero[ETH_ALEN];

	return mac_eq(m, zero);
}

bool vswitch_port_has_vlan(const struct vswitch_port *p, uint16_t vlan)
{
	for (uint32_t i = 0; i < p->vlan_count; i++) {
		if (p->vlans[i] == vlan) {
			return true;
		}
	}
	return false;
}

/* Forget what was learned behind `port`, or about `mac` (NULL: any). */
static void fdb_forget(struct vswitch *sw, uint32_t port, const uint8_t *mac)
{
	for (uint32_t i = 0; i < VSWITCH_FDB_SIZE; i++) {
		struct vswitch_fdb *e = &sw->fdb[i];

		if (e->used && (mac ? mac_eq(e->mac, mac) : e->port == port)) {
			e->used = false;
		}
	}
}

uint32_t vswitch_port_add(struct vswitch *sw, const struct lan_config *a,
			  void *owner)
{
	struct vswitch_port *p;
	uint32_t i;

	if (!a->vlan_count || a->vlan_count > CONFIG_MAX_LAN_VLANS) {
		return VSWITCH_NO_PORT;
	}
	for (i = 0; i < sw->port_count && sw->ports[i].used; i++) {
	}
	if (i == VSWITCH_PORTS_MAX) {
		return VSWITCH_NO_PORT;
	}
	p = &sw->ports[i];
	memset(p, 0, sizeof(*p));
	p->used = true;
	p->trunk = a->trunk;
	memcpy(p->mac, a->mac, ETH_ALEN);
	memcpy(p->perm_mac, a->mac, ETH_ALEN);
	p->vlan_count = a->vlan_count;
	memcpy(p->vlans, a->vlans, sizeof(p->vlans));
	p->owner = owner;
	if (i == sw->port_count) {
		sw->port_count++;
	}
	return i;
}

void vswitch_port_remove(struct vswitch *sw, uint32_t port)
{
	if (port < sw->port_count) {
		fdb_forget(sw, port, NULL);
		sw->ports[port].used = false;
		sw->ports[port].owner = NULL;
	}
}

void vswitch_port_reset(struct vswitch *sw, uint32_t port)
{
	if (port < sw->port_count && sw->ports[port].used) {
		fdb_forget(sw, port, NULL);
		memcpy(sw->ports[port].mac, sw->ports[port].perm_mac,
		       ETH_ALEN);
	}
}

/* The port whose own MAC is `mac`, or VSWITCH_NO_PORT. */
static uint32_t port_by_mac(const struct vswitch *sw, const uint8_t *mac)
{
	for (uint32_t i = 0; i < sw->port_count; i++) {
		if (sw->ports[i].used && mac_eq(sw->ports[i].mac, mac)) {
			return i;
		}
	}
	return VSWITCH_NO_PORT;
}

bool vswitch_set_mac(struct vswitch *sw, uint32_t port,
		     const uint8_t mac[ETH_ALEN])
{
	uint32_t other;

	if (port >= sw->port_count || !sw->ports[port].used ||
	    mac_multicast(mac) || mac_zero(mac)) {
		return false;
	}
	other = port_by_mac(sw, mac);
	if (other != VSWITCH_NO_PORT && other != port) {
		return false;
	}
	/* A trunk may have learned it: the adapter's own MAC wins. */
	fdb_forget(sw, 0, mac);
	memcpy(sw->ports[port].mac, mac, ETH_ALEN);
	return true;
}

/*
 * Learn that `mac` on `vlan` is behind trunk port `port`.  Never a MAC a
 * port has as its own (a trunk cannot take a partition's traffic); a full
 * table gives up its entries in turn.
 */
static void fdb_learn(struct vswitch *sw, uint32_t port, const uint8_t *mac,
		      uint16_t vlan)
{
	struct vswitch_fdb *free_e = NULL;

	if (mac_multicast(mac) || mac_zero(mac) ||
	    port_by_mac(sw, mac) != VSWITCH_NO_PORT) {
		return;
	}
	for (uint32_t i = 0; i < VSWITCH_FDB_SIZE; i++) {
		struct vswitch_fdb *e = &sw->fdb[i];

		if (e->used && e->vlan == vlan && mac_eq(e->mac, mac)) {
			e->port = (uint16_t)port;
			return;
		}
		if (!e->used && !free_e) {
			free_e = e;
		}
	}
	if (!free_e) {
		free_e = &sw->fdb[sw->fdb_next];
		sw->fdb_next = (sw->fdb_next + 1) % VSWITCH_FDB_SIZE;
	}
	free_e->used = true;
	memcpy(free_e->mac, mac, ETH_ALEN);
	free_e->vlan = vlan;
	free_e->port = (uint16_t)port;
}

static uint32_t fdb_lookup(const struct vswitch *sw, const uint8_t *mac,
			   uint16_t vlan)
{
	for (uint32_t i = 0; i < VSWITCH_FDB_SIZE; i++) {
		const struct vswitch_fdb *e = &sw->fdb[i];

		if (e->used && e->vlan == vlan && mac_eq(e->mac, mac)) {
			return e->port;
		}
	}
	return VSWITCH_NO_PORT;
}

/* The tag edit port `p` needs for a frame of `vlan`, tagged or not. */
static uint8_t edit_for(const struct vswitch_port *p, uint16_t vlan,
			bool tagged)
{
	bool want_tag = vlan != p->vlans[0];

	if (want_tag == tagged) {
		return VSWITCH_AS_IS;
	}
	return want_tag ? VSWITCH_ADD_TAG : VSWITCH_STRIP_TAG;
}

static uint32_t add_dest(const struct vswitch *sw, struct vswitch_dest *out,
			 uint32_t n, uint32_t port, uint16_t vlan, bool tagged)
{
	out[n].port = (uint16_t)port;
	out[n].edit = edit_for(&sw->ports[port], vlan, tagged);
	return n + 1;
}

uint32_t vswitch_route(struct vswitch *sw, uint32_t src, const uint8_t *hdr,
		       uint32_t len, struct vswitch_dest *out, uint16_t *vlan)
{
	const struct vswitch_port *sp;
	bool tagged, flood, trunks_only;
	uint32_t n = 0, dst;
	uint16_t v;

	if (src >= sw->port_count || !sw->ports[src].used || len < ETH_HLEN) {
		return 0;
	}
	sp = &sw->ports[src];
	tagged = ((uint16_t)hdr[12] << 8 | hdr[13]) == ETH_P_8021Q;
	if (tagged) {
		if (len < ETH_HLEN + VLAN_HLEN) {
			return 0;
		}
		v = ((uint16_t)hdr[14] << 8 | hdr[15]) & 0xfff;
		if (!vswitch_port_has_vlan(sp, v)) {
			return 0; /* no VLAN hopping */
		}
	} else {
		v = sp->vlans[0];
	}
	*vlan = v;
	if (sp->trunk) {
		fdb_learn(sw, src, hdr + ETH_ALEN, v);
	}
	flood = mac_multicast(hdr);
	trunks_only = false;
	if (!flood) {
		dst = port_by_mac(sw, hdr);
		if (dst == VSWITCH_NO_PORT) {
			dst = fdb_lookup(sw, hdr, v);
		}
		if (dst != VSWITCH_NO_PORT) {
			if (dst == src ||
			    !vswitch_port_has_vlan(&sw->ports[dst], v)) {
				return 0;
			}
			return add_dest(sw, out, 0, dst, v, tagged);
		}
		flood = trunks_only = true; /* unknown: to the trunks */
	}
	for (uint32_t i = 0; i < sw->port_count; i++) {
		const struct vswitch_port *p = &sw->ports[i];

		if (i == src || !p->used || !vswitch_port_has_vlan(p, v) ||
		    (trunks_only && !p->trunk)) {
			continue;
		}
		n = add_dest(sw, out, n, i, v, tagged);
	}
	return n;
}
