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
