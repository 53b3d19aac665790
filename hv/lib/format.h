/*
 * printf-style formatting into a bounded buffer, without libc.
 * Supports: %% %c %s %d %i %u %x %X %p, the l, ll and z length modifiers,
 * the '-' and '0' flags, a field width and, for %s, a precision ('*' is
 * accepted for both).
 */
#ifndef HV_LIB_FORMAT_H
#define HV_LIB_FORMAT_H

#include <stdarg.h>

#include "hv/lib/types.h"

/**
 * Format into buf (always NUL-terminated when size > 0).
 * Returns the length the full output would have had, like vsnprintf().
 */
size_t hv_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

/** As hv_vsnprintf(), with variable arguments. */
size_t hv_snprintf(char *buf, size_t size, const char *fmt, ...)
	__printf(3, 4);

#endif /* HV_LIB_FORMAT_H */
