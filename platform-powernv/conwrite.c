/*
 * Console writes with a stall limit and a loss report (conwrite.h).
 * Callers serialise on their own (hv/console.c holds the console lock).
 */
#include "platform-powernv/conwrite.h"
#include "hv/lib/format.h"

/* Returns the bytes taken; *gone is set when the console went away. */
static size_t push(struct conwrite *c, const char *buf, size_t len,
		   bool *gone)
{
	size_t done = 0;
	unsigned stalls = 0;

	while (done < len && stalls < c->stall_limit) {
		size_t n = c->try_write(c->ctx, buf + done, len - done);

		if (n == CONWRITE_GONE) {
			*gone = true;
			break;
		}
		if (n > 0 && n <= len - done) {
			done += n;
			stalls = 0;
			continue;
		}
		stalls++;
		if (c->poll) {
			c->poll(c->ctx);
		}
	}
	return done;
}

size_t conwrite(struct conwrite *c, const char *buf, size_t len)
{
	bool gone = false;
	size_t done;

	if (c->lost) {
		char line[80];
		size_t n = hv_snprintf(line, sizeof(line),
				       "\r\n[lparvisor: %llu bytes of console "
				       "output lost]\r\n",
				       (unsigned long long)c->lost);

		n = MIN(n, sizeof(line) - 1);
		if (push(c, line, n, &gone) != n) {
			/* Still stalled: do not wait a second time. */
			c->lost += len;
			return 0;
		}
		c->lost = 0;
	}
	done = push(c, buf, len, &gone);
	c->lost += len - done;
	return done;
}
