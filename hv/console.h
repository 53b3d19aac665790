/*
 * The hypervisor's console output: formatted, line-buffered per call and
 * serialised between threads.  Output goes to the platform console.
 */
#ifndef HV_CONSOLE_H
#define HV_CONSOLE_H

#include <stdarg.h>

#include "hv/lib/types.h"

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

#endif /* HV_CONSOLE_H */
