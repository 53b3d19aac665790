/*
 * The partitions' virtual terminals (spapr-vty, "hvterm1") multiplexed on
 * the one machine console: output lines go out prefixed "[name] " and are
 * kept in a per-partition ring; input goes to the partition in focus.
 * Ctrl-] switches focus (docs/console.md).
 */
#ifndef VIO_VTY_H
#define VIO_VTY_H

#include "hv/hcall.h"
#include "hv/lpar.h"

#define VTY_REG 0x71000000u
#define VTY_ESCAPE 0x1d /* Ctrl-] */

/** H_PUT_TERM_CHAR: up to 16 bytes packed big-endian in r6, r7. */
int64_t h_put_term_char(struct vcpu *vc, struct hcall_args *a);

/** H_GET_TERM_CHAR: up to 16 bytes of pending input. */
int64_t h_get_term_char(struct vcpu *vc, struct hcall_args *a);

/** H_VIO_SIGNAL for the vty: mode bit 0 enables its input interrupt. */
int64_t h_vio_signal(struct vcpu *vc, struct hcall_args *a);

/** Write partition output (also used for lparvisor's own notes). */
void vty_output(struct lpar *l, const char *buf, size_t len);

/** Flush a partial output line older than a few milliseconds. */
void vty_flush_stale(struct lpar *l);

/** Feed bytes typed on the machine console (escape handling included). */
void vty_console_input(const char *buf, size_t len);

/** Reset a partition's terminal state on (re)boot. */
void vty_reset(struct lpar *l);

#endif /* VIO_VTY_H */
