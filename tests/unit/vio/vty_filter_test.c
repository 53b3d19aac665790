/*
 * Tests for vio/vty_filter.c: what a partition's console line may do to
 * the operator's terminal.  Besides exact outputs, every case replays the
 * output on a small terminal model (80 columns, autowrap, the control
 * sequences a VT100-like terminal acts on) and checks that every row
 * still starts with the partition's own prefix: no guest byte sequence
 * can produce a "lparvisor:" row or another partition's prefix (issue 20,
 * section 4).  Negative cases (forgery attempts) first.
 */
#include <stdio.h>
#include <stdlib.h>

#include "tests/unit/test.h"
#include "vio/vty_filter.h"

#define COLS 80
#define ROWS 64

struct capture {
	char text[16384];
	size_t len;
	unsigned pieces;
};

static void sink_write(void *ctx, const char *s, size_t n)
{
	struct capture *c = ctx;

	if (c->len + n < sizeof(c->text)) {
		memcpy(c->text + c->len, s, n);
		c->len += n;
		c->text[c->len] = '\0';
	}
	c->pieces++;
}

static struct capture cap;

static const char *filter(const char *name, const char *in, size_t n)
{
	struct vty_filter_sink sink = { sink_write, &cap };

	memset(&cap, 0, sizeof(cap));
	vty_filter_line(name, in, n, &sink);
	return cap.text;
}

static const char *filter_str(const char *in)
{
	return filter("web", in, strlen(in));
}

/*
 * A terminal: the console turns '\n' into CR LF; autowrap at COLS; CSI
 * n D/C, K, m as a VT100 does.  Returns false on a byte sequence the
 * filter should never let through (any other escape or control).
 */
struct term {
	char cell[ROWS][COLS];
	unsigned row, col;
	bool wrapped[ROWS];
};

static bool term_play(struct term *t, const char *s, size_t n, unsigned wide)
{
	memset(t, 0, sizeof(*t));
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];

		if (t->row >= ROWS - 1) {
			return true; /* enough rows looked at */
		}
		if (c == '\n') {
			t->row++, t->col = 0, i++;
		} else if (c == '\r') {
			t->col = 0, i++;
		} else if (c == '\b') {
			t->col = t->col ? t->col - 1 : 0, i++;
		} else if (c == 0x1b) {
			size_t j = i + 1;
			unsigned v = 0;
			bool num = false;

			if (j >= n || s[j] != '[') {
				return false;
			}
			for (j++; j < n && ((s[j] >= '0' && s[j] <= '9') ||
					    s[j] == ';'); j++) {
				if (s[j] != ';') {
					v = v * 10 + (unsigned)(s[j] - '0');
					num = true;
				}
			}
			if (j >= n) {
				return false;
			}
			v = num ? v : 1;
			switch (s[j]) {
			case 'D':
				t->col = v > t->col ? 0 : t->col - v;
				break;
			case 'C':
				t->col = t->col + v >= COLS ? COLS - 1 : t->col + v;
				break;
			case 'K':
				memset(&t->cell[t->row][t->col], 0, COLS - t->col);
				break;
			case 'm':
				break;
			default:
				return false;
			}
			i = j + 1;
		} else if (c < 0x20 || c == 0x7f) {
			return false;
		} else {
			size_t len = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
			unsigned w = c < 0x80 ? 1 : wide;

			if (t->col + w > COLS) {
				t->row++, t->col = 0;
				t->wrapped[t->row] = true;
			}
			for (unsigned k = 0; k < w; k++) {
				t->cell[t->row][t->col++] = k ? ' ' : (char)c;
			}
			i += len;
		}
	}
	return true;
}

/* Every row with anything on it starts "[name] " or "[name]+ ". */
static bool rows_are_prefixed(const char *name, const char *out, unsigned wide)
{
	static struct term t;
	char p[64], pc[64];

	snprintf(p, sizeof(p), "[%s] ", name);
	snprintf(pc, sizeof(pc), "[%s]+ ", name);
	if (!term_play(&t, out, strlen(out), wide)) {
		fprintf(stderr, "terminal refused the output\n");
		return false;
	}
	for (unsigned r = 0; r < ROWS; r++) {
		bool empty = true;

		for (unsigned c = 0; c < COLS; c++) {
			empty = empty && t.cell[r][c] == 0;
		}
		if (empty) {
			continue;
		}
		if (t.wrapped[r] || (memcmp(t.cell[r], p, strlen(p)) != 0 &&
				     memcmp(t.cell[r], pc, strlen(pc)) != 0)) {
			fprintf(stderr, "row %u: %.*s\n", r, COLS, t.cell[r]);
			return false;
		}
	}
	return true;
}

static bool safe(const char *in, size_t n)
{
	const char *out = filter("web", in, n);

	return rows_are_prefixed("web", out, 1) &&
	       rows_are_prefixed("web", filter("web", in, n), 2) &&
	       rows_are_prefixed("web", filter("web", in, n), 0);
}

#define SAFE(s) CHECK(safe(s, sizeof(s) - 1))

TEST(vty_filter, carriage_return_cannot_forge_a_lparvisor_line)
{
	CHECK_STR_EQ(filter_str("x\rlparvisor: all partitions stopped"),
		     "[web] x\r[web] lparvisor: all partitions stopped\n");
	SAFE("x\rlparvisor: all partitions stopped");
	SAFE("\r\r\r[db] forged");
}

TEST(vty_filter, backspaces_stop_at_the_prefix)
{
	CHECK_STR_EQ(filter_str("\b\b\b\b\b\b\b\blparvisor: x"),
		     "[web] lparvisor: x\n");
	CHECK_STR_EQ(filter_str("ab\b\b\b\bc"), "[web] ab\b\bc\n");
	SAFE("\b\b\b\b\b\b\b\blparvisor: x");
	SAFE("\t\b\b\b\b\b\b\b\b\b\b[db] x");
}

TEST(vty_filter, cursor_movement_stays_right_of_the_prefix)
{
	CHECK_STR_EQ(filter_str("abc\033[1000D[db] x"),
		     "[web] abc\033[3D[db] x\n");
	CHECK_STR_EQ(filter_str("\033[H\033[2J\033[1A\033[2K\033[1K\033[G"
				"\033[10;1H\033[s\033[u\033[6n\0337\0338\033c"
				"\033[?7l\033[1 q!"),
		     "[web] !\n");
	SAFE("abc\033[1000D[db] x");
	SAFE("\033[1000Clparvisor: x");
	SAFE("\033[H\033[2Jlparvisor: x");
	SAFE("\033[1A\033[2K\r\033[Glparvisor: x");
}

TEST(vty_filter, strings_and_other_escapes_are_dropped_whole)
{
	CHECK_STR_EQ(filter_str("a\033]0;title\007b\033]2;t\033\\c\033Pq#1\033\\d"
				"\033X\033_\033^e"),
		     "[web] abcd\n");
	CHECK_STR_EQ(filter_str("a\033[12"), "[web] a\n");
	CHECK_STR_EQ(filter_str("a\033"), "[web] a\n");
}

TEST(vty_filter, c1_controls_and_bad_utf8_are_replaced)
{
	/* 0x9b is CSI for a terminal taking 8-bit controls. */
	CHECK_STR_EQ(filter_str("a\x9b" "2J\xc2\x9b" "b\xc0\xaf\xed\xa0\x80"),
		     "[web] a?2J??b?????\n");
	/* Right-to-left override, U+202E. */
	CHECK_STR_EQ(filter_str("a\xe2\x80\xae" "b"), "[web] a???b\n");
	CHECK_STR_EQ(filter_str("caf\xc3\xa9 \xe2\x82\xac"),
		     "[web] caf\xc3\xa9 \xe2\x82\xac\n");
	SAFE("\xcc\x81\xcc\x81\xcc\x81\xcc\x81\xcc\x81\xcc\x81\xcc\x81\xcc\x81"
	     "\b\b\b\b\b\b\b\b\b\blparvisor: x");
}

TEST(vty_filter, other_control_bytes_are_dropped)
{
	CHECK_STR_EQ(filter("web", "a\0b\001\007\016\017\177c", 9),
		     "[web] abc\n");
}

TEST(vty_filter, long_rows_are_cut_before_the_terminal_wraps)
{
	char in[300];
	const char *out;

	memset(in, ' ', 73);
	strcpy(in + 73, "lparvisor: forged by wrapping");
	out = filter_str(in);
	CHECK_STR_CONTAINS(out, "\n[web]+ ");
	SAFE("                                                                "
	     "         lparvisor: forged by wrapping");
	memset(in, 'a', 200);
	in[200] = '\0';
	out = filter_str(in);
	/* 72 columns a row after "[web] " and a free last column. */
	CHECK_EQ(strlen(out), 6 + 72 + 1 + 7 + 72 + 1 + 7 + 56 + 1);
	CHECK(safe(in, 200));
}

TEST(vty_filter, a_trailing_cr_changes_nothing)
{
	CHECK_STR_EQ(filter_str("one\r"), "[web] one\n");
	CHECK_STR_EQ(filter_str(""), "[web] \n");
}

/* busybox ash's line editing and colours must keep working. */
TEST(vty_filter, shell_line_editing_and_colours_pass)
{
	CHECK_STR_EQ(filter_str("/ # lss\b \b"), "[web] / # lss\b \b\n");
	CHECK_STR_EQ(filter_str("/ # ls -l\033[K\033[J"),
		     "[web] / # ls -l\033[K\033[K\n");
	CHECK_STR_EQ(filter_str("\r/ # ls\033[2D\033[1C"),
		     "[web] \r[web] / # ls\033[2D\033[1C\n");
	CHECK_STR_EQ(filter_str("\033[1;34mbin\033[0m  \033[0;0mx"),
		     "[web] \033[1;34mbin\033[0m  \033[0;0mx\033[0m\n");
	CHECK_STR_EQ(filter_str("a\tb"), "[web] a       b\n");
	SAFE("\r/ # ls\033[2D\033[1C");
}

TEST(vty_filter, colour_is_reset_before_a_redrawn_prefix)
{
	CHECK_STR_EQ(filter_str("\033[31mred\rx"),
		     "[web] \033[31mred\033[0m\r[web] x\n");
}

TEST(vty_filter, long_names_still_leave_room)
{
	const char *name = "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn"; /* 31 */
	const char *in = "x\b\b\b\b\rlparvisor:";
	const char *out = filter(name, in, strlen(in));

	CHECK(rows_are_prefixed(name, out, 1));
}

TEST(vty_filter, random_bytes_never_leave_the_prefix)
{
	static const char alphabet[] = "\r\b\t\033[]0123456789;DCKJmHA?lpr: "
				       "\x9b\xc2\xcc\x81\xe2\x80\xae\007\\";
	struct test_rng rng;
	char in[400];

	test_rng_seed(&rng, 20261207);
	for (unsigned round = 0; round < 20000; round++) {
		size_t n = 1 + test_rng_below(&rng, sizeof(in));

		for (size_t i = 0; i < n; i++) {
			in[i] = test_rng_below(&rng, 4) == 0 ?
				(char)test_rng_below(&rng, 256) :
				alphabet[test_rng_below(&rng,
							sizeof(alphabet) - 1)];
		}
		if (!safe(in, n)) {
			test_fail(__FILE__, __LINE__, "round %u forges a row",
				  round);
			break;
		}
		/* vio/vty.h VTY_OUT_MAX: 40 bytes a byte in, 64 more. */
		filter("nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn", in, n);
		if (cap.len > 40 * n + 64) {
			test_fail(__FILE__, __LINE__, "round %u: %zu bytes in "
				  "give %zu out", round, n, cap.len);
			break;
		}
	}
}

TEST(vty_filter, output_comes_in_bounded_pieces)
{
	char in[200];

	memset(in, '\r', sizeof(in));
	filter("web", in, sizeof(in));
	CHECK_GT(cap.pieces, 1u);
	CHECK_EQ(cap.len, 6 + 199 * 7 + 1);
}
