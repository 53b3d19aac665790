/*
 * Tests for vio/svc_cmd.c: the service console's line editor and command
 * parser, fed hostile input (every byte value, overlong lines, broken
 * escape sequences, names outside the configuration's alphabet).  Exact
 * error lines are checked, since each is all the operator sees.
 * Negative cases first.
 */
#include <stdio.h>
#include <stdlib.h>

#include "tests/unit/test.h"
#include "vio/svc_cmd.h"

static struct svc_cmd cmd;

static enum svc_verb parse(const char *s)
{
	return svc_parse(s, strlen(s), &cmd);
}

static enum svc_key feed(struct svc_line *e, const char *s)
{
	enum svc_key k = SVC_KEY_NONE;

	while (*s) {
		k = svc_line_key(e, (uint8_t)*s++);
	}
	return k;
}

TEST(svc_parse, unknown_command_is_one_line_naming_it)
{
	CHECK_EQ(parse("frobnicate deb1"), SVC_BAD);
	CHECK_STR_EQ(cmd.error, "unknown command \"frobnicate\"; 'help' "
		     "lists the commands");
	CHECK(!strchr(cmd.error, '\n'));
}

TEST(svc_parse, shows_bad_words_printable_and_cut_short)
{
	char line[] = "x\x1b[2J\"\x01yyyyyyyyyyyyyyyyyyyyyyyyyyyy";

	CHECK_EQ(parse(line), SVC_BAD);
	CHECK_STR_EQ(cmd.error, "unknown command \"x?[2J??yyyyyyyyyyyyy...\"; "
		     "'help' lists the commands");
}

TEST(svc_parse, missing_name)
{
	CHECK_EQ(parse("start"), SVC_BAD);
	CHECK_STR_EQ(cmd.error, "a partition name is missing; usage: "
		     "start NAME");
	CHECK_EQ(parse("stop -f"), SVC_BAD);
	CHECK_STR_EQ(cmd.error, "a partition name is missing; usage: "
		     "stop [-f] NAME");
}

TEST(svc_parse, rejects_names_outside_the_configuration_alphabet)
{
	CHECK_EQ(parse("start Deb1"), SVC_BAD);
	CHECK_STR_EQ(cmd.error, "not a partition name: \"Deb1\"; usage: "
		     "start NAME");
	CHECK_EQ(parse("console a_b"), SVC_BAD);
	CHECK_EQ(parse("log 0123456789012345678901234567890123"), SVC_BAD);
	CHECK_EQ(parse("start \xff"), SVC_BAD);
	CHECK_STR_EQ(cmd.error, "not a partition name: \"?\"; usage: "
		     "start NAME");
}

TEST(svc_parse, rejects_unknown_options_and_extra_words)
{
	CHECK_EQ(parse("stop -x deb1"), SVC_BAD);
	CHECK_STR_EQ(cmd.error, "unknown option \"-x\"; usage: stop [-f] NAME");
	CHECK_EQ(parse("start -f deb1"), SVC_BAD);
	CHECK_STR_EQ(cmd.error, "unknown option \"-f\"; usage: start NAME");
	CHECK_EQ(parse("list deb1"), SVC_BAD);
	CHECK_STR_EQ(cmd.error, "unexpected \"deb1\"; usage: list");
	CHECK_EQ(parse("stop deb1 -f"), SVC_BAD);
	CHECK_STR_EQ(cmd.error, "unexpected \"-f\"; usage: stop [-f] NAME");
	CHECK_EQ(parse("log a b c d"), SVC_BAD);
	CHECK_STR_EQ(cmd.error, "too many words; usage: log NAME [LINES]");
}

TEST(svc_parse, shutdown_takes_only_f)
{
	CHECK_EQ(parse("shutdown deb1"), SVC_BAD);
	CHECK_STR_EQ(cmd.error, "unexpected \"deb1\"; usage: shutdown [-f]");
	CHECK_EQ(parse("shutdown -x"), SVC_BAD);
	CHECK_STR_EQ(cmd.error, "unknown option \"-x\"; usage: shutdown [-f]");
	CHECK_EQ(parse("shutdown -f -f"), SVC_BAD);
	CHECK_EQ(parse("shutdown"), SVC_SHUTDOWN);
	CHECK(!cmd.force);
	CHECK_EQ(cmd.name[0], '\0');
	CHECK_EQ(parse(" shutdown\t-f "), SVC_SHUTDOWN);
	CHECK(cmd.force);
}

TEST(svc_parse, rejects_bad_line_counts)
{
	CHECK_EQ(parse("log deb1 0"), SVC_BAD);
	CHECK_STR_EQ(cmd.error, "not a line count: \"0\"; usage: log NAME "
		     "[LINES]");
	CHECK_EQ(parse("log deb1 12x"), SVC_BAD);
	CHECK_EQ(parse("log deb1 9999999999"), SVC_BAD);
	CHECK_EQ(parse("log deb1 -5"), SVC_BAD);
}

TEST(svc_parse, rejects_an_overlong_line)
{
	char line[SVC_LINE_MAX + 2];

	memset(line, 'a', sizeof(line));
	CHECK_EQ(svc_parse(line, sizeof(line), &cmd), SVC_BAD);
	CHECK_STR_EQ(cmd.error, "the line is too long");
}

TEST(svc_parse, nul_bytes_inside_a_line_are_part_of_a_word)
{
	CHECK_EQ(svc_parse("start a\0b", 9, &cmd), SVC_BAD);
	CHECK_STR_EQ(cmd.error, "not a partition name: \"a?b\"; usage: "
		     "start NAME");
	CHECK_EQ(svc_parse("list\0", 5, &cmd), SVC_BAD);
}

TEST(svc_parse, blank_lines_are_empty)
{
	CHECK_EQ(parse(""), SVC_EMPTY);
	CHECK_EQ(parse("  \t "), SVC_EMPTY);
}

TEST(svc_parse, every_command)
{
	CHECK_EQ(parse("list"), SVC_LIST);
	CHECK_EQ(parse(" l "), SVC_LIST);
	CHECK_EQ(parse("start deb1"), SVC_START);
	CHECK_STR_EQ(cmd.name, "deb1");
	CHECK_EQ(parse("stop deb2"), SVC_STOP);
	CHECK(!cmd.force);
	CHECK_EQ(parse("stop\t-f  deb2"), SVC_STOP);
	CHECK(cmd.force);
	CHECK_STR_EQ(cmd.name, "deb2");
	CHECK_EQ(parse("restart a-1"), SVC_RESTART);
	CHECK(!cmd.force);
	CHECK_EQ(parse("restart -f a-1"), SVC_RESTART);
	CHECK(cmd.force);
	CHECK_EQ(parse("console deb2"), SVC_CONSOLE);
	CHECK_EQ(parse("log deb1"), SVC_LOG);
	CHECK_EQ(cmd.lines, SVC_LOG_ALL);
	CHECK_EQ(parse("log deb1 20"), SVC_LOG);
	CHECK_EQ(cmd.lines, 20);
	CHECK_EQ(parse("stats"), SVC_STATS);
	CHECK_EQ(parse("help"), SVC_HELP);
	CHECK_EQ(parse("?"), SVC_HELP);
	CHECK_EQ(parse("profile"), SVC_BAD); /* Ctrl-] p, a single key */
	CHECK_EQ(parse("start 0123456789012345678901234567890"), SVC_START);
}

TEST(svc_parse, random_bytes_never_overrun_and_always_answer)
{
	char line[SVC_LINE_MAX + 8];

	srand(16);
	for (int round = 0; round < 200000; round++) {
		size_t n = (size_t)rand() % sizeof(line);
		enum svc_verb v;

		for (size_t i = 0; i < n; i++) {
			/* Bias towards spaces, dashes and name bytes. */
			int r = rand() % 8;

			line[i] = (char)(r == 0 ? ' ' : r == 1 ? '-' :
					 r < 4 ? 'a' + rand() % 26 :
					 rand() % 256);
		}
		v = svc_parse(line, n, &cmd);
		CHECK(v >= SVC_EMPTY && v <= SVC_BAD);
		if (v == SVC_BAD) {
			CHECK(cmd.error[0] != '\0');
			for (size_t i = 0; cmd.error[i]; i++) {
				CHECK(cmd.error[i] >= 0x20 && cmd.error[i] <= 0x7e);
			}
		}
		if (test_failed()) {
			break;
		}
	}
}

TEST(svc_line, ignores_controls_and_high_bytes_and_stops_at_the_limit)
{
	struct svc_line e = { 0 };

	svc_line_clear(&e);
	CHECK_EQ(svc_line_key(&e, 0x01), SVC_KEY_NONE);
	CHECK_EQ(svc_line_key(&e, 0x00), SVC_KEY_NONE);
	CHECK_EQ(svc_line_key(&e, 0xc3), SVC_KEY_NONE);
	CHECK_EQ(e.len, 0);
	for (int i = 0; i < SVC_LINE_MAX + 50; i++) {
		svc_line_key(&e, 'x');
	}
	CHECK_EQ(e.len, SVC_LINE_MAX);
	CHECK_EQ(strlen(e.buf), SVC_LINE_MAX);
	CHECK_EQ(svc_line_key(&e, 'y'), SVC_KEY_NONE);
}

TEST(svc_line, backspace_ctrl_u_and_ctrl_w)
{
	struct svc_line e = { 0 };

	svc_line_clear(&e);
	CHECK_EQ(svc_line_key(&e, 0x7f), SVC_KEY_NONE); /* nothing to erase */
	feed(&e, "stpo");
	feed(&e, "\x7f\x08");
	feed(&e, "op deb1");
	CHECK_STR_EQ(e.buf, "stop deb1");
	CHECK_EQ(feed(&e, "\x17"), SVC_KEY_EDIT);
	CHECK_STR_EQ(e.buf, "stop ");
	feed(&e, "\x17");
	CHECK_STR_EQ(e.buf, "");
	feed(&e, "garbage");
	CHECK_EQ(feed(&e, "\x15"), SVC_KEY_EDIT);
	CHECK_STR_EQ(e.buf, "");
	CHECK_EQ(e.len, 0);
}

TEST(svc_line, enter_and_cancel)
{
	struct svc_line e = { 0 };

	svc_line_clear(&e);
	CHECK_EQ(feed(&e, "list\r"), SVC_KEY_ENTER);
	CHECK_STR_EQ(e.buf, "list");
	svc_line_clear(&e);
	CHECK_EQ(feed(&e, "x\n"), SVC_KEY_ENTER);
	svc_line_clear(&e);
	CHECK_EQ(feed(&e, "abc\x03"), SVC_KEY_CANCEL);
}

TEST(svc_line, history_with_arrows_and_ctrl_p_n)
{
	struct svc_line e = { 0 };

	svc_line_clear(&e);
	CHECK_EQ(feed(&e, "\x1b[A"), SVC_KEY_NONE); /* no history yet */
	feed(&e, "list\r");
	svc_line_clear(&e);
	feed(&e, "log deb1\r");
	svc_line_clear(&e);
	feed(&e, "log deb1\r"); /* a repeat is kept once */
	svc_line_clear(&e);
	CHECK_EQ(feed(&e, "\x1b[A"), SVC_KEY_EDIT);
	CHECK_STR_EQ(e.buf, "log deb1");
	CHECK_EQ(feed(&e, "\x1bOA"), SVC_KEY_EDIT);
	CHECK_STR_EQ(e.buf, "list");
	CHECK_EQ(feed(&e, "\x10"), SVC_KEY_NONE); /* oldest already */
	CHECK_EQ(feed(&e, "\x0e"), SVC_KEY_EDIT);
	CHECK_STR_EQ(e.buf, "log deb1");
	CHECK_EQ(feed(&e, "\x1b[B"), SVC_KEY_EDIT);
	CHECK_STR_EQ(e.buf, "");
	CHECK_EQ(feed(&e, "\x1b[B"), SVC_KEY_NONE);
}

TEST(svc_line, history_keeps_the_newest_lines_only)
{
	struct svc_line e = { 0 };
	char line[32];

	svc_line_clear(&e);
	for (int i = 0; i < SVC_HISTORY + 5; i++) {
		snprintf(line, sizeof(line), "log p%d\r", i);
		feed(&e, line);
		svc_line_clear(&e);
	}
	for (int i = 0; i < SVC_HISTORY + 3; i++) {
		feed(&e, "\x10");
	}
	snprintf(line, sizeof(line), "log p%d", 5);
	CHECK_STR_EQ(e.buf, line);
}

TEST(svc_line, other_escape_sequences_are_swallowed_whole)
{
	struct svc_line e = { 0 };

	svc_line_clear(&e);
	feed(&e, "a\x1b[1;5Cb\x1b[3~c\x1bxd\x1b[\x01" "e");
	CHECK_STR_EQ(e.buf, "abcde");
}

TEST(svc_line, random_bytes_keep_the_line_terminated_and_bounded)
{
	struct svc_line e = { 0 };

	svc_line_clear(&e);
	srand(7);
	for (int i = 0; i < 500000; i++) {
		enum svc_key k = svc_line_key(&e, (uint8_t)(rand() % 256));

		CHECK(e.len <= SVC_LINE_MAX);
		CHECK_EQ(strlen(e.buf), e.len);
		if (k == SVC_KEY_ENTER || k == SVC_KEY_CANCEL) {
			svc_line_clear(&e);
		}
		if (test_failed()) {
			break;
		}
	}
}
