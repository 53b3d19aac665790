/*
 * lparvisor's virtual Ethernet switch: which ports a frame goes to.  Each
 * port is one partition's virtual LAN adapter (vio/vlan.c); the switch
 * knows its MAC address, its VLANs and whether it is a trunk.  Unicast
 * goes to the port whose MAC the destination is, or that a trunk port
 * learned it behind; broadcast and multicast go to every other port of
 * the VLAN; unknown unicast only to the VLAN's trunk ports; nothing ever
 * crosses VLANs.  IEEE 802.1Q: a port's first VLAN is its port VLAN,
 * carried untagged; its other VLANs are carried tagged.
 *
 * Pure logic (host-tested): no locks, no guest memory.  The caller
 * serialises calls on one switch (vio/vlan.c's switch lock) and does the
 * copies.  Every call does work bounded by VSWITCH_PORTS_MAX and
 * VSWITCH_FDB_SIZE, whatever the frame.
 */
#ifndef VIO_VSWITCH_H
#define VIO_VSWITCH_H

#include "hv/config.h"
#include "hv/lib/types.h"

#define ETH_ALEN 6
#define ETH_HLEN 14            /* destination, source, type */
#define VLAN_HLEN 4            /* an 802.1Q tag: TPID 0x8100, TCI */
#define ETH_P_8021Q 0x8100
#define VSWITCH_PORTS_MAX 64   /* LPAR_MAX partitions x CONFIG_MAX_LANS */
#define VSWITCH_FDB_SIZE 256   /* MACs learned behind trunk ports */
#define VSWITCH_NO_PORT 0xffffu

/* What a destination port needs done to the frame's 802.1Q tag. */
enum vswitch_edit {
	VSWITCH_AS_IS = 0,
	VSWITCH_STRIP_TAG, /* tagged frame to a port carrying its VLAN untagged */
	VSWITCH_ADD_TAG,   /* untagged frame to a port carrying its VLAN tagged */
};

struct vswitch_port {
	bool used;
	bool trunk;
	uint8_t mac[ETH_ALEN];      /* the adapter's MAC now */
	uint8_t perm_mac[ETH_ALEN]; /* the configured one (reset restores it) */
	uint32_t vlan_count;
	uint16_t vlans[CONFIG_MAX_LAN_VLANS]; /* vlans[0]: port VLAN */
	void *owner;                /* the adapter */
	/* Counted by the adapter's owner under its own lock. */
	uint64_t tx_frames, rx_frames, rx_dropped, tx_dropped;
};

struct vswitch_fdb {
	bool used;
	uint8_t mac[ETH_ALEN];
	uint16_t vlan;
	uint16_t port;
};

struct vswitch_dest {
	uint16_t port;
	uint8_t edit; /* enum vswitch_edit */
};

struct vswitch {
	uint32_t port_count; /* ports[0..port_count) ever added */
	struct vswitch_port ports[VSWITCH_PORTS_MAX];
	struct vswitch_fdb fdb[VSWITCH_FDB_SIZE];
	uint32_t fdb_next;   /* the entry a full table gives up next */
};

/**
 * Add a port for adapter `a` (its MAC, VLANs and trunk flag), owned by
 * `owner`.  Returns its index, or VSWITCH_NO_PORT when the switch is full
 * or the adapter has no VLAN.
 */
uint32_t vswitch_port_add(struct vswitch *sw, const struct lan_config *a,
			  void *owner);

/** Take port `port` out of the switch (its partition is freed). */
void vswitch_port_remove(struct vswitch *sw, uint32_t port);

/**
 * A port's partition (re)boots: its MAC goes back to the configured one
 * and what was learned behind it is forgotten.
 */
void vswitch_port_reset(struct vswitch *sw, uint32_t port);

/** Whether `port` carries VLAN `vlan`. */
bool vswitch_port_has_vlan(const struct vswitch_port *p, uint16_t vlan);

/**
 * H_CHANGE_LOGICAL_LAN_MAC: give `port` the MAC `mac`.  Returns false,
 * changing nothing, for a multicast or all-zero address or one another
 * port has now (no partition may take another's traffic).
 */
bool vswitch_set_mac(struct vswitch *sw, uint32_t port,
		     const uint8_t mac[ETH_ALEN]);

/**
 * Where a frame sent by `src` goes.  `hdr` holds the frame's first
 * `len` bytes (len may be less than the frame, at least ETH_HLEN for a
 * frame to go anywhere; 18 for a tagged one).  Fills `out` (room for
 * VSWITCH_PORTS_MAX) and *vlan, learns the source behind a trunk port.
 * Returns the number of destinations: 0 for a runt, a tag for a VLAN the
 * port does not carry, a unicast to itself or to nobody known on a VLAN
 * without trunk.
 */
uint32_t vswitch_route(struct vswitch *sw, uint32_t src, const uint8_t *hdr,
		       uint32_t len, struct vswitch_dest *out, uint16_t *vlan);

#endif /* VIO_VSWITCH_H */
