/*
 * Virtual LAN adapters (vio/vlan.c): what the rest of lparvisor may ask
 * of a partition's adapters, for the service console's partition list.
 */
#ifndef VIO_VLAN_H
#define VIO_VLAN_H

#include "hv/lib/types.h"

struct lpar;

struct vlan_stats {
	const char *name;     /* the adapter's node in the configuration */
	uint32_t reg;         /* its unit address */
	uint8_t mac[6];       /* its MAC now */
	uint16_t vlan;        /* its port VLAN */
	uint64_t tx_frames;   /* frames it sent into the switch */
	uint64_t rx_frames;   /* frames delivered into its buffers */
	uint64_t rx_dropped;  /* frames for it lost: closed, or no buffer */
	uint32_t rx_buffers;  /* receive buffers the guest has posted to it */
};

/** Number of LAN adapters of `l`. */
uint32_t vlan_adapter_count(const struct lpar *l);

/**
 * Counters of adapter `i` of `l` (read without locks: each value is one
 * load, the set may be a few frames apart).  Returns false when `l` has
 * no adapter `i`.
 */
bool vlan_adapter_stats(const struct lpar *l, uint32_t i,
			struct vlan_stats *s);

/**
 * The adapters of `l` on one line, for the service console's `list` (the
 * unit's describe hook): "NAME MAC vlan V tx N rx N dropped N buffers N"
 * (buffers: receive buffers the guest has posted and not yet had filled),
 * joined by "; ", cut at `size` - 1.  Returns its length, 0 without an
 * adapter.
 */
size_t vlan_format_stats(const struct lpar *l, char *buf, size_t size);

#endif /* VIO_VLAN_H */
