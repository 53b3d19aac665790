/*
 * The partitions' virtual terminals (spapr-vty, "hvterm1") multiplexed on
 * the one machine console: output lines go out prefixed "[name] " and are
 * kept in a per-partition ring; input goes to the partition in focus.
 * Ctrl-] switches focus (docs/console.md).
 */
#ifndef VIO_VTY_H
#define VIO_VTY_H

#include "hv/lock.h"
#include "hv/lpar.h"

#define VTY_REG 0x71000000u
#define VTY_ESCAPE 0x1d /* Ctrl-] */
#define VTY_LINE 200
#define VTY_RING 4096
#define VTY_INPUT 256

/*
 * A partition's terminal, its vty unit state (hv/unit.h).  `lock` covers
 * every field; it is a leaf but for the console's (hv/console.h).
 */
struct vty {
	struct spinlock lock;
	char line[VTY_LINE];
	uint32_t line_len;
	uint64_t line_tb;         /* when the partial line started */
	char ring[VTY_RING];      /* everything the partition printed */
	uint64_t ring_pos;
	char input[VTY_INPUT];    /* console input waiting for the guest */
	uint32_t in_head, in_tail;
	bool irq_enabled;         /* H_VIO_SIGNAL mode bit 0 */
};

/** The terminal of partition `l`. */
struct vty *vty_of(const struct lpar *l);

/** Write partition output (RTAS display-character too); takes its lock. */
void vty_output(struct lpar *l, const char *buf, size_t len);

/** Flush a partial output line older than a few milliseconds. */
void vty_flush_stale(struct lpar *l);

/** Feed bytes typed on the machine console (escape handling included). */
void vty_console_input(const char *buf, size_t len);

/** Reset a partition's terminal state on (re)boot (its unit's reset). */
void vty_reset(struct lpar *l);

#endif /* VIO_VTY_H */
