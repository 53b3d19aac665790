/*
 * The partitions' virtual terminals (spapr-vty, "hvterm1") multiplexed on
 * the one machine console: output lines go out prefixed "[name] " and are
 * kept in a per-partition ring; input goes to the partition in focus.
 * Ctrl-] switches focus (docs/console.md).
 */
#ifndef VIO_VTY_H
#define VIO_VTY_H

#include "hv/lpar.h"

#define VTY_REG 0x71000000u
#define VTY_ESCAPE 0x1d /* Ctrl-] */

/** Write partition output (also used for lparvisor's own notes). */
void vty_output(struct lpar *l, const char *buf, size_t len);

/** Flush a partial output line older than a few milliseconds. */
void vty_flush_stale(struct lpar *l);

/** Feed bytes typed on the machine console (escape handling included). */
void vty_console_input(const char *buf, size_t len);

/** Reset a partition's terminal state on (re)boot. */
void vty_reset(struct lpar *l);

#endif /* VIO_VTY_H */
