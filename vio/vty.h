/*
 * The partitions' virtual terminals (spapr-vty, "hvterm1") multiplexed on
 * the one machine console: output lines go out prefixed "[name] " and are
 * kept in a per-partition ring; input goes to the partition in focus.
 * Ctrl-] switches focus (docs/console.md).
 */
#ifndef VIO_VTY_H
#define VIO_VTY_H

#include "hv/abi/layout.h"
#include "hv/console.h"
#include "hv/lock.h"
#include "hv/lpar.h"

#define VTY_REG LAYOUT_VTY_REG
#define VTY_ESCAPE 0x1d /* Ctrl-] */
#define VTY_LINE 200
#define VTY_INPUT 256

/* The longest filtered line (vio/vty_filter.h): 39 bytes an input byte. */
#define VTY_OUT_MAX (40 * VTY_LINE + 64)

/*
 * A partition's terminal, its vty unit state (hv/unit.h), with two locks
 * that are never held together.  `out_lock` (output: the partition's
 * writers, housekeeping by trylock, its stop) covers the line, the ring
 * and the puts on `out`, the console queue its lines wait in; under it
 * the queue's lock is taken, and the console's only when the queue is
 * full (hv/console.h).  `lock` (input: console input, H_GET_TERM_CHAR,
 * H_VIO_SIGNAL) covers the input ring and `irq_enabled`; it is a leaf.
 */
struct vty {
	struct spinlock out_lock;
	struct spinlock lock;
	char line[VTY_LINE];
	uint32_t line_len;
	uint64_t line_tb;         /* when the partial line started */
	const struct vcpu *line_vcpu; /* who wrote its last byte */
	/*
	 * The console log (`log NAME`): every line the partition printed,
	 * as records of a timebase (8 bytes), a length (2) and the line's
	 * unfiltered bytes, in a ring of the configured console-log size.
	 * Offsets are free-running byte counts; log_first is the oldest
	 * record still whole.
	 */
	char *log;
	uint32_t log_size;
	uint64_t log_head, log_first;
	uint64_t log_lines;       /* records ever written */
	char scratch[VTY_OUT_MAX]; /* one filtered line */
	size_t scratch_len;
	struct console_queue out;
	char input[VTY_INPUT];    /* console input waiting for the guest */
	uint32_t in_head, in_tail;
	bool irq_enabled;         /* H_VIO_SIGNAL mode bit 0 */
};

/** The terminal of partition `l`. */
struct vty *vty_of(const struct lpar *l);

/**
 * Write output of vCPU `vc`'s partition (RTAS display-character too);
 * takes the vty's lock.
 */
void vty_output(const struct vcpu *vc, const char *buf, size_t len);

/*
 * Flush a partial output line (a prompt) once its writer has stopped
 * running for a few milliseconds, or after a second in any case.
 */
void vty_flush_stale(struct lpar *l);

/** A byte typed on the machine console for the partition in focus. */
void vty_input_to_focus(char c);

/** A line of the console log: when it started, its unfiltered bytes. */
struct vty_log_line {
	uint64_t tb;
	uint32_t len;
	char text[VTY_LINE];
};

/**
 * Where the console log of `l` holds its last `lines` lines (all of them
 * when `lines` is 0): a cursor for vty_log_read().
 */
uint64_t vty_log_seek(struct lpar *l, uint32_t lines);

/**
 * Copy the line at `*cursor` of `l`'s console log into `out` and move the
 * cursor past it; a cursor the ring has overwritten moves to the oldest
 * line first.  False at the end of the log.  Takes the vty's output lock
 * for the copy only.
 */
bool vty_log_read(struct lpar *l, uint64_t *cursor, struct vty_log_line *out);

/** Bytes of `l`'s console log in use and its size. */
void vty_log_usage(struct lpar *l, uint32_t *used, uint32_t *size,
		   uint64_t *lines);

/** The partition whose input the console takes (index in lpar_table). */
uint32_t vty_focus(void);

/** Give `l`'s terminal the console's input, and say so. */
void vty_set_focus(uint32_t index);

/** Reset a partition's terminal state on (re)boot (its unit's reset). */
void vty_reset(struct lpar *l);

#endif /* VIO_VTY_H */
