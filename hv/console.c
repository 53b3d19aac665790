/*
 * Console output.  One lock serialises lines from all threads; a thread
 * that already holds it (a report in progress) prints without retaking it.
 * Partitions' lines wait in their console queues (hv/console.h) until a
 * thread holding the console writes them out.
 */
#include "hv/console.h"
#include "hv/lib/format.h"
#include "hv/lib/string.h"
#include "hv/lock.h"
#include "hv/percpu.h"
#include "hv/platform.h"

#define NO_OWNER 0xffffffffu

static struct spinlock console_spin = SPINLOCK_INIT;
static volatile uint32_t console_owner = NO_OWNER;
static struct console_queue *queues[CONSOLE_QUEUES]; /* console_spin */
static volatile bool console_broken; /* console_break_lock() was called */

/*
 * The service console's command line (console_prompt()): erased from its
 * row before anything else is written, drawn again when the console is
 * let go, so that lines from partitions never land inside it.
 */
static char prompt[CONSOLE_PROMPT_MAX]; /* console_spin */
static size_t prompt_len;
static bool prompt_shown;

static void hide_prompt(void)
{
	if (prompt_shown) {
		platform_console_write("\r\x1b[K", 4);
		prompt_shown = false;
	}
}

static void show_prompt(void)
{
	if (prompt_len && !prompt_shown && !console_broken) {
		platform_console_write(prompt, prompt_len);
		prompt_shown = true;
	}
}

static void emit(const char *s, size_t n)
{
	size_t start = 0;

	hide_prompt();

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

/*
 * Take at most `max` bytes from `q`.  Once the console lock has been
 * broken (a panic or a fault report), a queue whose lock a stopped
 * thread may hold is skipped, so the report still goes out.
 */
static size_t queue_pull(struct console_queue *q, char *out, size_t max)
{
	size_t n;

	if (!spin_trylock(&q->lock)) {
		if (console_broken) {
			return 0;
		}
		spin_lock(&q->lock);
	}
	n = MIN((size_t)(q->head - q->tail), max);
	for (size_t i = 0; i < n; i++) {
		out[i] = q->buf[(q->tail + i) % CONSOLE_QUEUE_SIZE];
	}
	q->tail += (uint32_t)n;
	spin_unlock(&q->lock);
	return n;
}

/*
 * With the console held: write out `q`, about one queue's worth and then
 * to the end of a line (every put is whole lines, so a queue always ends
 * with one): a partition that keeps writing cannot keep the writer here
 * long, and no other line lands inside one of its lines.
 */
static void write_queue(struct console_queue *q)
{
	char chunk[512];
	size_t written = 0, n;

	for (;;) {
		n = queue_pull(q, chunk, sizeof(chunk));
		if (!n) {
			return;
		}
		emit(chunk, n);
		written += n;
		if (written >= CONSOLE_QUEUE_SIZE && chunk[n - 1] == '\n') {
			return;
		}
	}
}

static void write_queues(void)
{
	for (uint32_t i = 0; i < CONSOLE_QUEUES; i++) {
		if (queues[i]) {
			write_queue(queues[i]);
		}
	}
}

/* Every queue goes out first: lines put before this call come first. */
void console_lock(void)
{
	uint32_t me = this_cpu()->pir;

	if (console_owner == me) {
		return;
	}
	spin_lock(&console_spin);
	console_owner = me;
	write_queues();
}

void console_unlock(void)
{
	show_prompt();
	console_owner = NO_OWNER;
	spin_unlock(&console_spin);
}

void console_break_lock(void)
{
	console_broken = true;
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

bool console_queue_add(struct console_queue *q)
{
	bool ok = false;

	console_lock();
	for (uint32_t i = 0; i < CONSOLE_QUEUES && !ok; i++) {
		if (!queues[i]) {
			queues[i] = q;
			ok = true;
		}
	}
	console_unlock();
	return ok;
}

void console_queue_remove(struct console_queue *q)
{
	console_lock();
	write_queue(q);
	for (uint32_t i = 0; i < CONSOLE_QUEUES; i++) {
		if (queues[i] == q) {
			queues[i] = NULL;
		}
	}
	console_unlock();
}

bool console_queue_put(struct console_queue *q, const char *s, size_t len)
{
	spin_lock(&q->lock);
	if (len > CONSOLE_QUEUE_SIZE - (q->head - q->tail)) {
		spin_unlock(&q->lock);
		return false;
	}
	for (size_t i = 0; i < len; i++) {
		q->buf[(q->head + i) % CONSOLE_QUEUE_SIZE] = s[i];
	}
	q->head += (uint32_t)len;
	spin_unlock(&q->lock);
	return true;
}

void console_queue_wait(void)
{
	console_lock();
	console_unlock();
}

void console_poll(void)
{
	if (!spin_trylock(&console_spin)) {
		return;
	}
	console_owner = this_cpu()->pir;
	write_queues();
	console_unlock();
}

void console_prompt(const char *s, size_t len)
{
	console_lock();
	hide_prompt();
	prompt_len = MIN(len, sizeof(prompt));
	memcpy(prompt, s, prompt_len);
	console_unlock(); /* draws it */
}

void console_prompt_done(void)
{
	console_lock();
	if (prompt_len) {
		hide_prompt();
		platform_console_write(prompt, prompt_len);
		platform_console_write("\r\n", 2);
		prompt_len = 0;
	}
	console_unlock();
}
