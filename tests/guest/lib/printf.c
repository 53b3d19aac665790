/*
 * printf() of every payload, on whichever console_write() the platform
 * part provides (console.c: the pSeries vty; tests/guest/bare/bare.c:
 * OPAL's console).
 */
#include <stdarg.h>

#include "hv/lib/format.h"
#include "hv/lib/string.h"
#include "tests/guest/lib/console.h"

void printf(const char *fmt, ...)
{
	char line[256];
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = hv_vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	console_write(line, MIN(n, sizeof(line) - 1));
}
