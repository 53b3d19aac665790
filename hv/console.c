/*
 * Console output.  One lock serialises lines from all threads; a thread
 * that already holds it (a report in progress) prints without retaking it.
 */
#include "hv/console.h"
#include "hv/lib/format.h"
#include "hv/lock.h"
#include "hv/percpu.h"
#include "hv/platform.h"

#define NO_OWNER 0xffffffffu

static struct spinlock console_spin = SPINLOCK_INIT;
static volatile uint32_t console_owner = NO_OWNER;

static void emit(const char *s, size_t n)
{
	size_t start = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n') {
			platform_console_write(s + start, i - start);
			platform_console_write("\r\n", 2);
			start = i + 1;
		}
	}
	if (start < n) {
		platform_console_write(s + start, n - start);
	}
}

void console_lock(void)
{
	uint32_t me = this_cpu()->pir;

	if (console_owner == me) {
		return;
	}
	spin_lock(&console_spin);
	console_owner = me;
}

void console_unlock(void)
{
	console_owner = NO_OWNER;
	spin_unlock(&console_spin);
}

void console_break_lock(void)
{
	console_owner = NO_OWNER;
	spin_unlock(&console_spin);
}

void hv_vprintf(const char *fmt, va_list ap)
{
	char buf[256];
	size_t n = hv_vsnprintf(buf, sizeof(buf), fmt, ap);
	bool nested = console_owner == this_cpu()->pir;

	if (n >= sizeof(buf)) {
		n = sizeof(buf) - 1; /* long lines are cut, never overrun */
	}
	if (!nested) {
		console_lock();
	}
	emit(buf, n);
	if (!nested) {
		console_unlock();
	}
}

void hv_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	hv_vprintf(fmt, ap);
	va_end(ap);
}
