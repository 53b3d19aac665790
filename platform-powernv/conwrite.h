/*
 * Writing to a console that may stall (platform-powernv/platform.c over
 * OPAL_CONSOLE_WRITE), without hanging the hypervisor and without losing
 * output silently: bytes given up on are counted, and the next write that
 * gets through is preceded by a line saying how many were lost.
 */
#ifndef PLATFORM_POWERNV_CONWRITE_H
#define PLATFORM_POWERNV_CONWRITE_H

#include "hv/lib/types.h"

/* What a single try at the console did. */
#define CONWRITE_GONE ((size_t)-1) /* the console is gone: stop trying */

struct conwrite {
	/* Offer len bytes; returns how many were taken (0: busy), or GONE. */
	size_t (*try_write)(void *ctx, const char *buf, size_t len);
	void (*poll)(void *ctx);   /* let the console drain (may be NULL) */
	void *ctx;
	unsigned stall_limit;      /* tries without progress before giving up */
	uint64_t lost;             /* bytes given up on, not yet reported */
};

/**
 * Write buf[0..len) to c, first reporting any earlier loss with a line
 * "[lparvisor: N bytes of console output lost]".  If the console still
 * makes no progress, the bytes are counted as lost.  Returns the number
 * of bytes of buf written.
 */
size_t conwrite(struct conwrite *c, const char *buf, size_t len);

#endif /* PLATFORM_POWERNV_CONWRITE_H */
