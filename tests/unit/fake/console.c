/*
 * hv/console.h for the host: formats with the hypervisor's own
 * hv_vsnprintf() (hv/lib/format.c, so an unsupported conversion shows up
 * here as it would on the machine), cuts each call at 255 characters as
 * hv/console.c does, and appends the result to a buffer the tests read.
 */
#include <stdio.h>
#include <stdlib.h>

#include "hv/console.h"
#include "hv/lib/format.h"
#include "tests/unit/fake/fake.h"
#include "tests/unit/fake/fake_internal.h"

#define CONSOLE_LINE 256 /* hv/console.c hv_vprintf()'s buffer */
#define CAPTURE_SIZE (256 * 1024)

static char capture[CAPTURE_SIZE];
static size_t capture_len;
static unsigned calls;
static int console_depth;
static char prompt[CONSOLE_PROMPT_MAX + 1]; /* console_prompt() */

void hv_vprintf(const char *fmt, va_list ap)
{
	char line[CONSOLE_LINE];
	size_t n = hv_vsnprintf(line, sizeof(line), fmt, ap);

	calls++;
	if (n >= sizeof(line)) {
		n = sizeof(line) - 1;
	}
	if (capture_len + n >= sizeof(capture)) {
		fprintf(stderr, "fake console: capture buffer full\n");
		abort();
	}
	memcpy(capture + capture_len, line, n);
	capture_len += n;
	capture[capture_len] = '\0';
}

void hv_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	hv_vprintf(fmt, ap);
	va_end(ap);
}

void console_lock(void)
{
	console_depth++;
}

void console_unlock(void)
{
	console_depth--;
}

void console_break_lock(void)
{
	console_depth = 0;
}

const char *fake_console(void)
{
	return capture;
}

void fake_console_clear(void)
{
	capture_len = 0;
	capture[0] = '\0';
	calls = 0;
}

unsigned fake_console_calls(void)
{
	return calls;
}

void fake_console_reset(void)
{
	fake_console_clear();
	prompt[0] = '\0';
	console_depth = 0;
	fake_console_queue_full = false;
	fake_console_queue_waits = 0;
	fake_console_wait_locks_held = 0;
}

/*
 * Console queues: a put goes straight into the capture, as if the console
 * wrote it out at once, unless fake_console_queue_full says the queue has
 * no room; console_queue_wait() then "writes it out" (clears the flag).
 */
bool fake_console_queue_full;
unsigned fake_console_queue_waits;
int fake_console_wait_locks_held;

bool console_queue_add(struct console_queue *q)
{
	(void)q;
	return true;
}

void console_queue_remove(struct console_queue *q)
{
	(void)q;
}

bool console_queue_put(struct console_queue *q, const char *s, size_t len)
{
	(void)q;
	if (fake_console_queue_full) {
		return false;
	}
	if (capture_len + len >= sizeof(capture)) {
		fprintf(stderr, "fake console: capture buffer full\n");
		abort();
	}
	memcpy(capture + capture_len, s, len);
	capture_len += len;
	capture[capture_len] = '\0';
	return true;
}

void console_queue_wait(void)
{
	fake_console_queue_waits++;
	fake_console_queue_full = false;
	if (fake_locks_held > fake_console_wait_locks_held) {
		fake_console_wait_locks_held = fake_locks_held;
	}
}

void console_poll(void)
{
}

/*
 * The service console's command line: the fake keeps the last one shown
 * (fake_prompt()) and, when it is done, appends it with a newline to the
 * capture as the terminal would show it.
 */
void console_prompt(const char *s, size_t len)
{
	len = len < CONSOLE_PROMPT_MAX ? len : CONSOLE_PROMPT_MAX;
	memcpy(prompt, s, len);
	prompt[len] = '\0';
}

void console_prompt_done(void)
{
	if (prompt[0]) {
		hv_printf("%s\n", prompt);
	}
	prompt[0] = '\0';
}

const char *fake_prompt(void)
{
	return prompt;
}
