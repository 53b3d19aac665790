/*
 * Tests for platform-powernv/conwrite.c: a console that stalls is given
 * up on after the stall limit, the bytes dropped are counted, and the
 * first write that gets through afterwards starts with the loss line.
 */
#include "platform-powernv/conwrite.h"
#include "tests/unit/test.h"

struct fake_console {
	char out[512];
	size_t len;
	size_t chunk;     /* bytes taken per try (0: stalled) */
	bool gone;
	unsigned tries;
	unsigned polls;
};

static size_t fake_try(void *ctx, const char *buf, size_t len)
{
	struct fake_console *f = ctx;
	size_t n;

	f->tries++;
	if (f->gone) {
		return CONWRITE_GONE;
	}
	n = len < f->chunk ? len : f->chunk;
	if (n > sizeof(f->out) - f->len) {
		n = sizeof(f->out) - f->len;
	}
	memcpy(f->out + f->len, buf, n);
	f->len += n;
	return n;
}

static void fake_poll(void *ctx)
{
	((struct fake_console *)ctx)->polls++;
}

static void setup(struct conwrite *c, struct fake_console *f, size_t chunk)
{
	memset(f, 0, sizeof(*f));
	f->chunk = chunk;
	*c = (struct conwrite){ .try_write = fake_try, .poll = fake_poll,
				.ctx = f, .stall_limit = 5 };
}

TEST(conwrite, stalled_console_gives_up_and_counts_the_loss)
{
	struct conwrite c;
	struct fake_console f;

	setup(&c, &f, 0);
	CHECK_EQ(conwrite(&c, "hello\r\n", 7), 0);
	CHECK_EQ(f.tries, 5);
	CHECK_EQ(f.polls, 5);
	CHECK_EQ(c.lost, 7);

	/* Still stalled: the marker does not get out, so neither does this. */
	CHECK_EQ(conwrite(&c, "abc", 3), 0);
	CHECK_EQ(f.tries, 10);
	CHECK_EQ(c.lost, 10);
	CHECK_EQ(f.len, 0);
}

TEST(conwrite, loss_is_reported_before_the_next_line)
{
	struct conwrite c;
	struct fake_console f;

	setup(&c, &f, 0);
	conwrite(&c, "first line\r\n", 12);
	conwrite(&c, "second\r\n", 8);
	f.chunk = 4; /* the console drains again, 4 bytes at a time */
	CHECK_EQ(conwrite(&c, "third\r\n", 7), 7);
	f.out[f.len] = '\0';
	CHECK_STR_EQ(f.out,
		     "\r\n[lparvisor: 20 bytes of console output lost]\r\n"
		     "third\r\n");
	CHECK_EQ(c.lost, 0);

	/* Nothing lost since: no second marker. */
	f.len = 0;
	CHECK_EQ(conwrite(&c, "x", 1), 1);
	CHECK_EQ(f.len, 1);
}

TEST(conwrite, partial_progress_resets_the_stall_count)
{
	struct conwrite c;
	struct fake_console f;

	/* One byte per try never stalls, however long the write. */
	setup(&c, &f, 1);
	CHECK_EQ(conwrite(&c, "0123456789abcdef", 16), 16);
	CHECK_EQ(f.polls, 0);
	CHECK_EQ(c.lost, 0);
}

TEST(conwrite, gone_console_stops_at_once)
{
	struct conwrite c;
	struct fake_console f;

	setup(&c, &f, 8);
	f.gone = true;
	CHECK_EQ(conwrite(&c, "abc", 3), 0);
	CHECK_EQ(f.tries, 1);
	CHECK_EQ(f.polls, 0);
}
