/*
 * The hypervisor's console output: formatted, line-buffered per call and
 * serialised between threads.  Output goes to the platform console.
 *
 * Partitions' output does not wait for the console: it is put whole lines
 * at a time in a console queue of its own (console_queue_put(), which
 * never waits) and written out later by a thread that holds the console:
 * housekeeping on an idle thread (console_poll()), anyone who prints
 * (console_lock() and so hv_printf() write out every queue first, so a
 * partition's lines come before lparvisor's notes about it), or a
 * partition whose own queue is full, which waits for the console
 * (console_queue_wait()).  A vCPU thread therefore never calls OPAL's
 * console for its partition's output unless that partition floods it.
 *
 * Lock order: a vty's output lock, then the console lock, then a queue's
 * lock (a leaf).  Nothing takes a device lock with the console lock held,
 * and nothing writes to the platform console holding any lock but the
 * console's (and, for a partition whose queue is full, its own vty's
 * output lock, which only that partition's writers take).
 */
#ifndef HV_CONSOLE_H
#define HV_CONSOLE_H

#include <stdarg.h>

#include "hv/lib/types.h"
#include "hv/lock.h"

#define CONSOLE_QUEUE_SIZE 16384 /* a power of two */
#define CONSOLE_QUEUES 16
#define CONSOLE_PROMPT_MAX 128 /* the service console's command line */

struct console_queue {
	struct spinlock lock;  /* a leaf */
	uint32_t head, tail;   /* free-running byte counts */
	char buf[CONSOLE_QUEUE_SIZE];
};

/** Print formatted text ('\n' becomes "\r\n" on the wire). */
void hv_printf(const char *fmt, ...) __printf(1, 2);

/** As hv_printf() with a va_list. */
void hv_vprintf(const char *fmt, va_list ap);

/**
 * Take the console for a multi-line report (a register dump) so that
 * other threads' lines do not interleave.  Every hv_printf between
 * console_lock() and console_unlock() on this thread goes straight out.
 */
void console_lock(void);
void console_unlock(void);

/**
 * Forget the console lock: used by panic paths that must print even if
 * the lock holder died.
 */
void console_break_lock(void);

/** Start writing out `q` (zeroed); false when CONSOLE_QUEUES are in use. */
bool console_queue_add(struct console_queue *q);

/** Stop writing out `q`; what it still holds goes out first. */
void console_queue_remove(struct console_queue *q);

/**
 * Queue `len` bytes of whole lines on `q`, all or nothing; never waits
 * for the console.  Returns false when `q` has no room for them.
 */
bool console_queue_put(struct console_queue *q, const char *s, size_t len);

/**
 * Wait for the console and write out every queue: for a writer whose
 * queue is full (call holding no lock but its own output lock).
 */
void console_queue_wait(void);

/** Housekeeping: write out every queue if the console is free. */
void console_poll(void);

/**
 * Show `len` bytes (at most CONSOLE_PROMPT_MAX, no newline) as the
 * service console's command line on the last row, replacing the one
 * shown.  Whatever else is written meanwhile erases it from its row first
 * and draws it again after, so no line lands inside it.  Call with no
 * lock held; `len` 0 erases it.
 */
void console_prompt(const char *s, size_t len);

/** Leave the command line on its row as typed, end the row, forget it. */
void console_prompt_done(void);

#endif /* HV_CONSOLE_H */
