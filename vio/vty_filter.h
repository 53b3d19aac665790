/*
 * What a partition's console line may do to the operator's terminal: the
 * filter between a guest's vty bytes and the machine console.  A guest
 * keeps line editing (carriage return, backspace, erase to end of line,
 * cursor left/right) and colours, but can never move the cursor onto its
 * "[name] " prefix or to a line of its own, so it cannot forge a
 * "lparvisor:" line or another partition's prefix (issue 20, section 4).
 */
#ifndef VIO_VTY_FILTER_H
#define VIO_VTY_FILTER_H

#include "hv/lib/types.h"

/*
 * Columns the operator's terminal is assumed to have at least.  A guest
 * row is cut before it would reach the last one, so that the terminal's
 * own wrap never starts a row with guest text; the rest continues on a
 * row prefixed "[name]+ ".
 */
#define VTY_FILTER_COLS 80

/** Where filtered output goes, in pieces of at most 128 bytes. */
struct vty_filter_sink {
	void (*write)(void *ctx, const char *s, size_t n);
	void *ctx;
};

/**
 * Write one guest console line as the operator sees it: "[name] ", the
 * filtered bytes of `in`, "\n".  Kept: printable ASCII, valid UTF-8 other
 * than C1 controls and bidirectional overrides, tab (as spaces), and
 * within the row: '\r' (the prefix is redrawn), backspace and CSI D/C
 * (never past the prefix), CSI K and J (as erase to end of row), SGR
 * colours (reset before any prefix and at the end).  Every other control
 * byte or escape sequence is dropped; an invalid UTF-8 byte becomes '?'.
 * The caller serialises the console (the pieces of one line must not
 * interleave with other output).
 */
void vty_filter_line(const char *name, const char *in, size_t n,
		     const struct vty_filter_sink *sink);

#endif /* VIO_VTY_FILTER_H */
