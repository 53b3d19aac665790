/*
 * Tests for vio/vty.c: H_PUT_TERM_CHAR, H_GET_TERM_CHAR and H_VIO_SIGNAL as
 * QEMU 7.2's hw/char/spapr_vty.c and spapr_vio.c answer them (termno, at
 * most 16 bytes, big-endian packing in r6/r7 and r5/r6, the signal mask),
 * the "[name] " line output with its splitting and stale-line flush, the
 * output ring, the input ring and its interrupt, and the Ctrl-] console
 * escape (docs/console.md).  Built against tests/unit/fake/.
 * The console focus lives in vty.c's statics, so these cases rely on each
 * running in a fresh fork (the harness default).  Negative cases first.
 */
#include <stdio.h>

#include "intc/intc.h"
#include "tests/unit/fake/guestcall.h"
#include "tests/unit/test.h"
#include "hv/lpar_ops.h"
#include "vio/svc.h"
#include "vio/vty.h"

#if !defined(FAKE_HV_CPU_H) || !defined(FAKE_HV_LOCK_H)
#error "vty_test.c must be built with -Itests/unit/fake ahead of -I."
#endif

#define MEM_SIZE (16 * SZ_4K)
#define ESC "\x1d" /* Ctrl-] */

static struct lpar *web, *db;
static struct vcpu *vc;
static struct hcall_args a;

static bool setup_fresh(void)
{
	fake_reset();
	web = fake_lpar_create("web", 2, MEM_SIZE);
	db = fake_lpar_create("db", 1, MEM_SIZE);
	if (!web || !db) {
		return false;
	}
	vc = web->vcpus[0];
	return true;
}

static void type(const char *s);

/*
 * The console text with rows cut at 80 columns joined again: every
 * "\n[name]+ " (vio/vty_filter.h) removed.
 */
static const char *unwrapped(const char *name)
{
	static char buf[4096];
	char cont[64];
	const char *in = fake_console();
	size_t n = 0, clen;

	snprintf(cont, sizeof(cont), "\n[%s]+ ", name);
	clen = strlen(cont);
	while (*in && n + 1 < sizeof(buf)) {
		if (strncmp(in, cont, clen) == 0) {
			in += clen;
			continue;
		}
		buf[n++] = *in++;
	}
	buf[n] = '\0';
	return buf;
}

/*
 * As setup_fresh(), and give "web" the console whatever an earlier case in
 * this process did (the focus is a static of vty.c; with the harness's
 * default fork per case it is already there).
 */
static bool setup(void)
{
	if (!setup_fresh()) {
		return false;
	}
	type(ESC "1");
	fake_console_clear();
	return true;
}

/* Pack up to 16 bytes into the two registers, first byte most significant. */
static void pack(const char *s, size_t n, uint64_t *hi, uint64_t *lo)
{
	uint8_t b[16] = { 0 };

	memcpy(b, s, n < 16 ? n : 16);
	*hi = *lo = 0;
	for (int i = 0; i < 8; i++) {
		*hi = *hi << 8 | b[i];
		*lo = *lo << 8 | b[8 + i];
	}
}

static int64_t put(struct vcpu *v, uint64_t termno, const char *s, size_t n)
{
	uint64_t hi, lo;

	pack(s, n, &hi, &lo);
	return HCALL(v, &a, H_PUT_TERM_CHAR, termno, n, hi, lo);
}

/* Everything through H_PUT_TERM_CHAR, 16 bytes a call. */
static void put_all(struct vcpu *v, const char *s)
{
	size_t n = strlen(s);

	for (size_t i = 0; i < n; i += 16) {
		CHECK_EQ(put(v, VTY_REG, s + i, n - i < 16 ? n - i : 16),
			 H_SUCCESS);
	}
}

/* Drain pending input of `v`'s partition into `out` (NUL-terminated). */
static size_t get_all(struct vcpu *v, char *out, size_t size)
{
	size_t len = 0;

	for (;;) {
		CHECK_EQ(HCALL(v, &a, H_GET_TERM_CHAR, VTY_REG), H_SUCCESS);
		if (a.ret[0] == 0 || test_failed()) {
			break;
		}
		for (uint64_t i = 0; i < a.ret[0] && len + 1 < size; i++) {
			uint64_t w = a.ret[1 + i / 8];

			out[len++] = (char)(w >> (56 - 8 * (i % 8)));
		}
	}
	out[len] = '\0';
	return len;
}

static void type(const char *s)
{
	svc_console_input(s, strlen(s));
}

/*
 * H_PUT_TERM_CHAR
 */

TEST(h_put_term_char, rejects_unknown_terminals)
{
	static const uint64_t terms[] = {
		1, VTY_REG - 1, VTY_REG + 1, 0x71000100, 1ull << 32,
		1ull << 63, 1ull << 32 | (VTY_REG + 1), ~0ull,
	};

	REQUIRE(setup());
	for (size_t i = 0; i < ARRAY_SIZE(terms); i++) {
		CHECK_EQ(put(vc, terms[i], "x\n", 2), H_PARAMETER);
	}
	CHECK_STR_EQ(fake_console(), "");
	CHECK_EQ(vty_of(web)->log_lines, 0);
}

/* QEMU 7.2's vty_lookup(): the bus is searched by the low 32 bits. */
TEST(h_put_term_char, finds_the_vty_by_the_low_32_bits)
{
	REQUIRE(setup());
	CHECK_EQ(put(vc, 1ull << 32 | VTY_REG, "x\n", 2), H_SUCCESS);
	CHECK_EQ(put(vc, 0xffffffffull << 32 | VTY_REG, "y\n", 2), H_SUCCESS);
	CHECK_EQ(vty_of(web)->log_lines, 2);
}

TEST(h_put_term_char, rejects_more_than_16_bytes)
{
	static const uint64_t lens[] = {
		17, 64, 1ull << 32, 1ull << 32 | 4, 1ull << 63, ~0ull,
	};

	REQUIRE(setup());
	for (size_t i = 0; i < ARRAY_SIZE(lens); i++) {
		CHECK_EQ(HCALL(vc, &a, H_PUT_TERM_CHAR, VTY_REG, lens[i],
			       0x4141414141414141ull, 0x0a0a0a0a0a0a0a0aull),
			 H_PARAMETER);
	}
	CHECK_STR_EQ(fake_console(), "");
	CHECK_EQ(vty_of(web)->log_lines, 0);
	CHECK_EQ(vty_of(web)->line_len, 0);
}

TEST(h_put_term_char, takes_termno_0_as_the_default_vty)
{
	REQUIRE(setup());
	CHECK_EQ(put(vc, 0, "early\n", 6), H_SUCCESS);
	CHECK_STR_EQ(fake_console(), "[web] early\n");
}

TEST(h_put_term_char, unpacks_16_bytes_most_significant_first)
{
	REQUIRE(setup());
	CHECK_EQ(HCALL(vc, &a, H_PUT_TERM_CHAR, VTY_REG, 16,
		       0x48656c6c6f2c2077ull,  /* "Hello, w" */
		       0x6f726c6421202020ull), /* "orld!   " */
		 H_SUCCESS);
	CHECK_EQ(put(vc, VTY_REG, "\n", 1), H_SUCCESS);
	CHECK_STR_EQ(fake_console(), "[web] Hello, world!   \n");
}

TEST(h_put_term_char, uses_only_len_bytes)
{
	REQUIRE(setup());
	CHECK_EQ(HCALL(vc, &a, H_PUT_TERM_CHAR, VTY_REG, 3,
		       0x6f6b0a5858585858ull, 0x5858585858585858ull),
		 H_SUCCESS);
	CHECK_STR_EQ(fake_console(), "[web] ok\n");
	CHECK_EQ(vty_of(web)->line_len, 0);
	CHECK_EQ(HCALL(vc, &a, H_PUT_TERM_CHAR, VTY_REG, 0, ~0ull, ~0ull),
		 H_SUCCESS);
	CHECK_EQ(vty_of(web)->log_lines, 1);
	CHECK_EQ(vty_of(web)->log_head, 10 + 2); /* header, "ok" */
}

TEST(h_put_term_char, prints_format_directives_literally)
{
	REQUIRE(setup());
	put_all(vc, "%s%n%p%.*s %%\n");
	CHECK_STR_EQ(fake_console(), "[web] %s%n%p%.*s %%\n");
}

TEST(h_put_term_char, drops_cr_and_prefixes_each_line)
{
	REQUIRE(setup());
	put_all(vc, "one\r\ntwo\r\n\r\nthree");
	CHECK_STR_EQ(fake_console(), "[web] one\n[web] two\n[web] \n");
	put_all(db->vcpus[0], "db line\n");
	put_all(vc, "\n");
	CHECK_STR_EQ(fake_console(), "[web] one\n[web] two\n[web] \n"
				     "[db] db line\n[web] three\n");
}

TEST(h_put_term_char, splits_long_lines_without_losing_bytes)
{
	char line[451];
	char want[1024];
	char *w = want;

	REQUIRE(setup());
	for (size_t i = 0; i < 450; i++) {
		line[i] = (char)('a' + i % 26);
	}
	line[450] = '\0';
	put_all(vc, line);
	put_all(vc, "\n");
	for (size_t i = 0; i < 450; i += VTY_LINE) {
		size_t n = 450 - i < VTY_LINE ? 450 - i : VTY_LINE;

		w += sprintf(w, "[web] %.*s\n", (int)n, line + i);
	}
	CHECK_STR_EQ(unwrapped("web"), want);
}

TEST(h_put_term_char, full_lines_survive_the_longest_name)
{
	char name[CONFIG_NAME_LEN];
	char line[VTY_LINE + 1];
	char want[VTY_LINE + CONFIG_NAME_LEN + 8];
	struct lpar *l;

	fake_reset();
	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	l = fake_lpar_create(name, 1, MEM_SIZE);
	REQUIRE(l);
	memset(line, '#', VTY_LINE);
	line[VTY_LINE] = '\0';
	put_all(l->vcpus[0], line);
	snprintf(want, sizeof(want), "[%s] %s\n", name, line);
	CHECK_STR_EQ(unwrapped(name), want);
}

TEST(vty_flush_stale, flushes_a_partial_line_after_50_ms_only)
{
	REQUIRE(setup());
	fake_tb = 1000;
	put_all(vc, "login: ");
	vc->state = VCPU_CEDED; /* the shell waits for input */
	fake_tb += ms_to_tb(50);
	vty_flush_stale(web);
	CHECK_STR_EQ(fake_console(), "");
	fake_tb += 1;
	vty_flush_stale(web);
	CHECK_STR_EQ(fake_console(), "[web] login: \n");
	CHECK_EQ(vty_of(web)->line_len, 0);
	vty_flush_stale(web);
	CHECK_STR_EQ(fake_console(), "[web] login: \n");
}

/*
 * A writer still running is in the middle of its line (under a loaded host
 * its next H_PUT_TERM_CHAR may be late): the line is kept past 50 ms and
 * goes out whole, or once the writer cedes, or after a second.
 */
TEST(vty_flush_stale, keeps_a_running_writers_line_whole)
{
	REQUIRE(setup());
	fake_tb = 1000;
	vc->state = VCPU_RUNNING;
	put_all(vc, "LINUX-USER");
	fake_tb += ms_to_tb(200);
	vty_flush_stale(web);
	CHECK_STR_EQ(fake_console(), "");
	put_all(vc, "SPACE-UP\n");
	CHECK_STR_EQ(fake_console(), "[web] LINUX-USERSPACE-UP\n");

	put_all(vc, "/ # ");
	fake_tb += ms_to_tb(60);
	vty_flush_stale(web);
	CHECK_STR_EQ(fake_console(), "[web] LINUX-USERSPACE-UP\n");
	vc->state = VCPU_CEDED;
	vty_flush_stale(web);
	CHECK_STR_EQ(fake_console(),
		     "[web] LINUX-USERSPACE-UP\n[web] / # \n");

	vc->state = VCPU_RUNNING;
	put_all(vc, "progress ...");
	fake_tb += ms_to_tb(1000);
	vty_flush_stale(web);
	CHECK_EQ(vty_of(web)->line_len, 12);
	fake_tb += 1;
	vty_flush_stale(web);
	CHECK_EQ(vty_of(web)->line_len, 0);
}

TEST(vty_output, logs_each_line_with_its_start_time)
{
	struct vty_log_line line;
	uint64_t cursor;

	REQUIRE(setup());
	fake_tb = 1000;
	put_all(vc, "first ");
	fake_tb = 2000;
	put_all(vc, "line\n\nthird\n");
	cursor = vty_log_seek(web, 0);
	REQUIRE(vty_log_read(web, &cursor, &line));
	CHECK_EQ(line.tb, 1000);
	CHECK_EQ(line.len, 10);
	CHECK(memcmp(line.text, "first line", 10) == 0);
	REQUIRE(vty_log_read(web, &cursor, &line));
	CHECK_EQ(line.len, 0);
	CHECK_EQ(line.tb, 2000);
	REQUIRE(vty_log_read(web, &cursor, &line));
	CHECK(memcmp(line.text, "third", 5) == 0);
	CHECK(!vty_log_read(web, &cursor, &line));
	CHECK_EQ(vty_log_seek(db, 0), 0);
	CHECK(!vty_log_read(db, &cursor, &line) || cursor == 0);
}

/* The ring keeps the newest whole lines, the oldest dropped whole. */
TEST(vty_output, log_wraps_keeping_whole_newest_lines)
{
	struct vty *v;
	struct vty_log_line line;
	char text[32];
	uint64_t cursor;
	uint32_t used, size, n = 0, last = 0;
	uint64_t lines;

	REQUIRE(setup());
	v = vty_of(web);
	REQUIRE(v->log_size == CONFIG_CONSOLE_LOG_DEFAULT * 1024);
	for (uint32_t i = 0; i < 20000; i++) {
		snprintf(text, sizeof(text), "line %u\n", i);
		put_all(vc, text);
		fake_console_clear();
	}
	vty_log_usage(web, &used, &size, &lines);
	CHECK_EQ(lines, 20000);
	CHECK_LE(used, size);
	CHECK_GT(used, size - 32);
	cursor = vty_log_seek(web, 0);
	while (vty_log_read(web, &cursor, &line)) {
		unsigned k;

		REQUIRE(line.len < sizeof(text));
		memcpy(text, line.text, line.len);
		text[line.len] = '\0';
		REQUIRE(sscanf(text, "line %u", &k) == 1);
		if (n) {
			CHECK_EQ(k, last + 1);
		}
		last = k;
		n++;
	}
	CHECK_EQ(last, 19999);
	CHECK_GT(n, 3000);
	/* The last 5 lines only. */
	cursor = vty_log_seek(web, 5);
	REQUIRE(vty_log_read(web, &cursor, &line));
	CHECK(memcmp(line.text, "line 19995", 10) == 0);
}

/* A reader whose place was overwritten moves on to the oldest line. */
TEST(vty_output, log_reader_overtaken_moves_to_the_oldest_line)
{
	struct vty_log_line line;
	uint64_t cursor;

	REQUIRE(setup());
	put_all(vc, "old\n");
	cursor = vty_log_seek(web, 0);
	for (int i = 0; i < 10000; i++) {
		put_all(vc, "0123456789abcdef0123456789\n");
		fake_console_clear();
	}
	REQUIRE(vty_log_read(web, &cursor, &line));
	CHECK_EQ(line.len, 26);
	CHECK(cursor > vty_of(web)->log_first);
}

TEST(vty_reset, forgets_the_partial_line_and_pending_input)
{
	char got[8];

	REQUIRE(setup());
	put_all(vc, "half");
	type("abc");
	vty_reset(web);
	put_all(vc, "\n");
	CHECK_STR_EQ(fake_console(), "[web] \n");
	CHECK_EQ(get_all(vc, got, sizeof(got)), 0);
}

/*
 * H_GET_TERM_CHAR
 */

TEST(h_get_term_char, rejects_unknown_terminals)
{
	REQUIRE(setup());
	type("abc");
	CHECK_EQ(HCALL(vc, &a, H_GET_TERM_CHAR, 1), H_PARAMETER);
	CHECK_EQ(HCALL(vc, &a, H_GET_TERM_CHAR, 1ull << 32), H_PARAMETER);
	CHECK_EQ(HCALL(vc, &a, H_GET_TERM_CHAR, ~0ull), H_PARAMETER);
	CHECK_EQ(vty_of(web)->in_head - vty_of(web)->in_tail, 3);
}

TEST(h_get_term_char, finds_the_vty_by_the_low_32_bits)
{
	REQUIRE(setup());
	type("abc");
	CHECK_EQ(HCALL(vc, &a, H_GET_TERM_CHAR, 1ull << 32 | VTY_REG),
		 H_SUCCESS);
	CHECK_EQ(a.ret[0], 3);
	CHECK_EQ(vty_of(web)->in_head - vty_of(web)->in_tail, 0);
}

TEST(h_get_term_char, returns_zero_bytes_and_clear_registers_when_idle)
{
	REQUIRE(setup());
	CHECK_EQ(HCALL(vc, &a, H_GET_TERM_CHAR, VTY_REG), H_SUCCESS);
	CHECK_EQ(a.ret_count, 3);
	CHECK_EQ(a.ret[0], 0);
	CHECK_EQ(a.ret[1], 0);
	CHECK_EQ(a.ret[2], 0);
}

TEST(h_get_term_char, packs_input_most_significant_first)
{
	REQUIRE(setup());
	type("abc");
	CHECK_EQ(HCALL(vc, &a, H_GET_TERM_CHAR, 0), H_SUCCESS);
	CHECK_EQ(a.ret[0], 3);
	CHECK_EQ(a.ret[1], 0x6162630000000000ull);
	CHECK_EQ(a.ret[2], 0);
}

TEST(h_get_term_char, returns_at_most_16_and_keeps_the_rest)
{
	REQUIRE(setup());
	type("ABCDEFGHIJKLMNOPQRST");
	CHECK_EQ(HCALL(vc, &a, H_GET_TERM_CHAR, VTY_REG), H_SUCCESS);
	CHECK_EQ(a.ret[0], 16);
	CHECK_EQ(a.ret[1], 0x4142434445464748ull);
	CHECK_EQ(a.ret[2], 0x494a4b4c4d4e4f50ull);
	CHECK_EQ(HCALL(vc, &a, H_GET_TERM_CHAR, VTY_REG), H_SUCCESS);
	CHECK_EQ(a.ret[0], 4);
	CHECK_EQ(a.ret[1], 0x5152535400000000ull);
	CHECK_EQ(a.ret[2], 0);
}

/*
 * H_VIO_SIGNAL (QEMU h_vio_signal; the vty's signal mask is bit 0) and the
 * input interrupt (QEMU vty_receive pulses the vty's source)
 */

/* Route the vty's source to vCPU 1 of "web" at priority 5, CPPR open. */
static void route_vty_irq(void)
{
	uint32_t rets[1];

	RTAS(vc, 0x1000, RTAS_IBM_SET_XIVE, 1, rets, INTC_VTY_IRQ, 1, 5);
	CHECK_EQ(rets[0], RTAS_OUT_SUCCESS);
	CHECK_EQ(HCALL(web->vcpus[1], &a, H_CPPR, 0xff), H_SUCCESS);
}

TEST(h_vio_signal, rejects_units_other_than_the_vty)
{
	static const uint64_t units[] = {
		0, 1, VTY_REG + 1, 1ull << 32 | (VTY_REG + 1), ~0ull,
	};

	REQUIRE(setup());
	for (size_t i = 0; i < ARRAY_SIZE(units); i++) {
		CHECK_EQ(HCALL(vc, &a, H_VIO_SIGNAL, units[i], 1), H_PARAMETER);
	}
	CHECK(!vty_of(web)->irq_enabled);
	/* QEMU 7.2 looks units up by their low 32 bits (issue 13). */
	CHECK_EQ(HCALL(vc, &a, H_VIO_SIGNAL, 1ull << 32 | VTY_REG, 1),
		 H_SUCCESS);
	CHECK(vty_of(web)->irq_enabled);
}

TEST(h_vio_signal, rejects_mode_bits_outside_the_signal_mask)
{
	REQUIRE(setup());
	CHECK_EQ(HCALL(vc, &a, H_VIO_SIGNAL, VTY_REG, 2), H_PARAMETER);
	CHECK_EQ(HCALL(vc, &a, H_VIO_SIGNAL, VTY_REG, 3), H_PARAMETER);
	CHECK_EQ(HCALL(vc, &a, H_VIO_SIGNAL, VTY_REG, 1ull << 63 | 1),
		 H_PARAMETER);
	CHECK(!vty_of(web)->irq_enabled);
}

TEST(h_vio_signal, input_interrupts_only_while_enabled)
{
	char got[8];

	REQUIRE(setup());
	route_vty_irq();
	type("a");
	CHECK_EQ(web->vcpus[1]->irq, 0);
	CHECK_EQ(get_all(vc, got, sizeof(got)), 1);

	CHECK_EQ(HCALL(vc, &a, H_VIO_SIGNAL, VTY_REG, 1), H_SUCCESS);
	CHECK(vty_of(web)->irq_enabled);
	type("b");
	CHECK_EQ(web->vcpus[1]->irq, 1);
	CHECK_EQ(HCALL(web->vcpus[1], &a, H_XIRR, 0), H_SUCCESS);
	CHECK_EQ(a.ret[0], 0xff000000ull | INTC_VTY_IRQ);
	CHECK_EQ(HCALL(web->vcpus[1], &a, H_EOI, a.ret[0]), H_SUCCESS);

	CHECK_EQ(HCALL(vc, &a, H_VIO_SIGNAL, VTY_REG, 0), H_SUCCESS);
	type("c");
	CHECK_EQ(web->vcpus[1]->irq, 0);
	CHECK_EQ(get_all(vc, got, sizeof(got)), 2);
	CHECK_STR_EQ(got, "bc");
}

TEST(h_vio_signal, no_input_interrupt_unless_the_partition_runs)
{
	REQUIRE(setup());
	route_vty_irq();
	CHECK_EQ(HCALL(vc, &a, H_VIO_SIGNAL, VTY_REG, 1), H_SUCCESS);
	web->state = LPAR_STOPPING;
	type("x");
	CHECK_EQ(web->vcpus[1]->irq, 0);
	CHECK_EQ(fake_locks_held, 0);
}

/* Linux's hvc_vio never calls H_VIO_SIGNAL: input interrupts start on. */
TEST(vty_reset, enables_the_input_interrupt_again)
{
	REQUIRE(setup());
	CHECK_EQ(HCALL(vc, &a, H_VIO_SIGNAL, VTY_REG, 0), H_SUCCESS);
	CHECK(!vty_of(web)->irq_enabled);
	vty_reset(web);
	CHECK(vty_of(web)->irq_enabled);
}

/*
 * Console input and the Ctrl-] escape
 */

TEST(vty_console_input, drops_bytes_beyond_a_full_ring)
{
	char in[VTY_INPUT + 45];
	char got[sizeof(in) + 1];

	REQUIRE(setup());
	for (size_t i = 0; i < sizeof(in); i++) {
		in[i] = (char)('!' + i % 90);
	}
	svc_console_input(in, sizeof(in));
	CHECK_EQ(get_all(vc, got, sizeof(got)), VTY_INPUT);
	CHECK(memcmp(got, in, VTY_INPUT) == 0);
	/* Space again once drained, and in order across the wrap. */
	type("after");
	CHECK_EQ(get_all(vc, got, sizeof(got)), 5);
	CHECK_STR_EQ(got, "after");
}

TEST(vty_console_input, is_dropped_with_no_partition)
{
	fake_reset();
	type("lost");
	type(ESC "1");
	CHECK_STR_CONTAINS(fake_console(), "partitions");
}

TEST(vty_console_input, goes_to_the_first_partition_at_start)
{
	char got[16];

	REQUIRE(setup_fresh());
	type("ls\r");
	CHECK_EQ(get_all(vc, got, sizeof(got)), 3);
	CHECK_STR_EQ(got, "ls\r");
	CHECK_EQ(get_all(db->vcpus[0], got, sizeof(got)), 0);
}

TEST(vty_escape, out_of_range_digit_lists_and_keeps_focus)
{
	char got[16];

	REQUIRE(setup());
	type(ESC "3");
	CHECK_STR_CONTAINS(fake_console(), "[lparvisor] partitions");
	type(ESC "0");
	type("x");
	CHECK_EQ(get_all(vc, got, sizeof(got)), 1);
	CHECK_STR_EQ(got, "x");
	CHECK_EQ(get_all(db->vcpus[0], got, sizeof(got)), 0);
}

TEST(vty_escape, digit_moves_input_to_that_partition)
{
	char got[16];

	REQUIRE(setup());
	type(ESC "2");
	CHECK_STR_EQ(fake_console(),
		     "[lparvisor] console input now goes to \"db\"\n");
	type("q");
	CHECK_EQ(get_all(db->vcpus[0], got, sizeof(got)), 1);
	CHECK_STR_EQ(got, "q");
	CHECK_EQ(get_all(vc, got, sizeof(got)), 0);
	type(ESC "1" "w");
	CHECK_EQ(get_all(vc, got, sizeof(got)), 1);
	CHECK_STR_EQ(got, "w");
}

TEST(vty_escape, works_when_split_across_reads)
{
	char got[16];

	REQUIRE(setup());
	type(ESC);
	CHECK_STR_EQ(fake_console(), "");
	type("2z");
	CHECK_EQ(get_all(db->vcpus[0], got, sizeof(got)), 1);
	CHECK_STR_EQ(got, "z");
}

TEST(vty_escape, doubled_escape_passes_one_through)
{
	char got[16];

	REQUIRE(setup());
	type("a" ESC ESC "b");
	CHECK_EQ(get_all(vc, got, sizeof(got)), 3);
	CHECK_STR_EQ(got, "a" ESC "b");
	CHECK_STR_EQ(fake_console(), "");
}

TEST(vty_escape, list_command_shows_partitions_with_the_focus_marked)
{
	REQUIRE(setup());
	db->state = LPAR_STOPPED;
	db->restarts = 2;
	type(ESC "l");
	CHECK_STR_EQ(fake_console(), "");
	CHECK_STR_EQ(fake_prompt(), "lparvisor> l");
	type("\r\n");
	CHECK_STR_EQ(fake_console(),
		     "lparvisor> l\n"
		     "[lparvisor] partitions (Ctrl-] then a number gives it "
		     "the console):\n"
		     "[lparvisor]  *1 web: running, 2 vCPU, 0 MiB, "
		     "restarts 0\n"
		     "[lparvisor]   2 db: stopped, 1 vCPU, 0 MiB, "
		     "restarts 2\n");
}

/*
 * The service console (vio/svc.c) as typed after Ctrl-]: one command a
 * Ctrl-], line editing on the way, input back to the partition after.
 */
TEST(svc, typed_command_runs_and_input_returns_to_the_partition)
{
	char got[16];

	REQUIRE(setup());
	type(ESC "stpo" "\x7f\x7f" "op -f db");
	CHECK_STR_EQ(fake_prompt(), "lparvisor> stop -f db");
	CHECK_EQ(fake_calls.stop, 0);
	fake_calls.op_answer = LPAR_OP_OK;
	type("\r\nls\n");
	CHECK_EQ(fake_calls.stop, 1);
	CHECK(fake_calls.op_lpar == db);
	CHECK(fake_calls.op_force);
	CHECK(!fake_calls.op_restart);
	CHECK_STR_EQ(fake_console(), "lparvisor> stop -f db\n"
		     "[lparvisor] stopping \"db\" now\n");
	/* The LF of CR LF was swallowed; what followed went to "web". */
	CHECK_EQ(get_all(vc, got, sizeof(got)), 3);
	CHECK_STR_EQ(got, "ls\n");
}

TEST(svc, bad_commands_get_one_error_line)
{
	REQUIRE(setup());
	type(ESC "frob web\r");
	type(ESC "start nosuch\r");
	type(ESC "stop\r");
	CHECK_STR_EQ(fake_console(),
		     "lparvisor> frob web\n"
		     "[lparvisor] error: unknown command \"frob\"; 'help' "
		     "lists the commands\n"
		     "lparvisor> start nosuch\n"
		     "[lparvisor] error: no partition \"nosuch\"; 'list' "
		     "shows them\n"
		     "lparvisor> stop\n"
		     "[lparvisor] error: a partition name is missing; usage: "
		     "stop [-f] NAME\n");
	CHECK_EQ(fake_calls.start + fake_calls.stop, 0);
}

TEST(svc, ctrl_c_cancels_and_nothing_runs)
{
	char got[16];

	REQUIRE(setup());
	type(ESC "stop web\x03" "x");
	CHECK_EQ(fake_calls.stop, 0);
	CHECK_STR_EQ(fake_console(), "lparvisor> stop web\n");
	CHECK_EQ(get_all(vc, got, sizeof(got)), 1);
}

TEST(svc, start_stop_restart_answers)
{
	REQUIRE(setup());
	fake_calls.op_answer = LPAR_OP_OK;
	svc_run("start db", 8);
	CHECK_EQ(fake_calls.start, 1);
	fake_calls.op_answer = LPAR_OP_RUNNING;
	svc_run("start db", 8);
	fake_calls.op_answer = LPAR_OP_TOLD;
	db->cfg.stop_timeout_s = 60;
	svc_run("stop db", 7);
	CHECK(!fake_calls.op_force);
	svc_run("restart db", 10);
	CHECK(fake_calls.op_restart);
	fake_calls.op_answer = LPAR_OP_STOPPED;
	svc_run("stop db", 7);
	CHECK_STR_EQ(fake_console(),
		     "[lparvisor] starting \"db\"\n"
		     "[lparvisor] error: \"db\" is running already\n"
		     "[lparvisor] \"db\": power-off event sent; waiting for "
		     "it to stop, or is stopped hard if it still runs in "
		     "60 s\n"
		     "[lparvisor] \"db\": power-off event sent; it boots again "
		     "once it has stopped, or is stopped hard if it still runs "
		     "in 60 s\n"
		     "[lparvisor] error: \"db\" is not running\n");
}

/*
 * `shutdown`: the machine (hv/lpar.c lpar_machine_off()), one line naming
 * the partitions told; typed again while under way, an error unless -f.
 */
TEST(svc, shutdown_powers_the_machine_off)
{
	REQUIRE(setup());
	fake_calls.machine_off_told = 2;
	type(ESC "shutdown\r");
	CHECK_EQ(fake_calls.machine_off, 1);
	CHECK(!fake_calls.machine_off_force);
	fake_calls.machine_off_told = 0;
	type(ESC "shutdown\r");
	CHECK_EQ(fake_calls.machine_off, 2);
	type(ESC "shutdown -f\r");
	CHECK(fake_calls.machine_off_force);
	fake_calls.op_answer = LPAR_OP_MACHINE_OFF;
	svc_run("start db", 8);
	type(ESC "shutdown web\r");
	CHECK_EQ(fake_calls.machine_off, 3);
	CHECK_STR_EQ(fake_console(),
		     "lparvisor> shutdown\n"
		     "[lparvisor] machine power-off: power-off event sent to "
		     "2 partitions: web db; the machine powers off once every "
		     "partition has stopped (each is stopped hard after its "
		     "stop-timeout); none restarts\n"
		     "lparvisor> shutdown\n"
		     "[lparvisor] error: the machine is powering off already; "
		     "'shutdown -f' stops every partition now\n"
		     "lparvisor> shutdown -f\n"
		     "[lparvisor] error: the machine is powering off already\n"
		     "[lparvisor] error: the machine is powering off\n"
		     "lparvisor> shutdown web\n"
		     "[lparvisor] error: unexpected \"web\"; usage: shutdown "
		     "[-f]\n");
}

TEST(svc, console_moves_the_focus)
{
	char got[16];

	REQUIRE(setup());
	type(ESC "console db\rq");
	CHECK_STR_CONTAINS(fake_console(),
			   "[lparvisor] console input now goes to \"db\"\n");
	CHECK_EQ(get_all(db->vcpus[0], got, sizeof(got)), 1);
}

TEST(svc, log_replays_filtered_lines_with_timestamps)
{
	REQUIRE(setup());
	fake_tb = 512000000ull * 3 + 256000000ull; /* 3.5 s */
	put_all(vc, "boot\n\x1b[2Jlparvisor: forged\n");
	fake_console_clear();
	svc_run("log web", 7);
	CHECK_STR_CONTAINS(fake_console(),
			   "[web@3.500000] boot\n"
			   "[web@3.500000] lparvisor: forged\n"
			   "[lparvisor] end of the console log of \"web\" "
			   "(2 lines)\n");
	fake_console_clear();
	svc_run("log web 1", 9);
	CHECK_STR_CONTAINS(fake_console(), "(1 lines)");
}

/*
 * Issue 20 (one partition stalling others): a partition's lines go to its
 * own console queue; only a partition whose queue is full waits for the
 * console, and it waits holding only its own output lock (never the input
 * lock that console input takes, nor any other).
 */
TEST(h_put_term_char, waits_for_the_console_only_when_its_queue_is_full)
{
	REQUIRE(setup());
	put_all(vc, "first\n");
	CHECK_EQ(fake_console_queue_waits, 0);
	fake_console_queue_full = true;
	CHECK_EQ(put(vc, VTY_REG, "second\n", 7), H_SUCCESS);
	CHECK_EQ(fake_console_queue_waits, 1);
	CHECK_EQ(fake_console_wait_locks_held, 1); /* vty_of(web)->out_lock */
	CHECK_STR_EQ(fake_console(), "[web] first\n[web] second\n");
	CHECK_EQ(vty_of(web)->line_len, 0);
}

TEST(vty_flush_stale, never_waits_for_a_full_queue_and_keeps_the_line)
{
	REQUIRE(setup());
	fake_tb = 1000;
	put_all(vc, "login: ");
	vc->state = VCPU_CEDED; /* the shell waits for input */
	fake_tb += ms_to_tb(50) + 1;
	fake_console_queue_full = true;
	vty_flush_stale(web);
	CHECK_EQ(fake_console_queue_waits, 0);
	CHECK_STR_EQ(fake_console(), "");
	CHECK_EQ(vty_of(web)->line_len, 7);
	fake_console_queue_full = false;
	vty_flush_stale(web);
	CHECK_STR_EQ(fake_console(), "[web] login: \n");
}

TEST(vty_flush_stale, skips_a_vty_whose_lock_is_held)
{
	REQUIRE(setup());
	fake_tb = 1000;
	put_all(vc, "login: ");
	vc->state = VCPU_CEDED; /* the shell waits for input */
	fake_tb += ms_to_tb(50) + 1;
	spin_lock(&vty_of(web)->out_lock);
	vty_flush_stale(web); /* housekeeping must not wait for a writer */
	spin_unlock(&vty_of(web)->out_lock);
	CHECK_STR_EQ(fake_console(), "");
	vty_flush_stale(web);
	CHECK_STR_EQ(fake_console(), "[web] login: \n");
}

/* The worst expansion the filter makes (a CR redraws the prefix) fits. */
TEST(vty_output, the_longest_filtered_line_fits_its_buffer_whole)
{
	char name[CONFIG_NAME_LEN];
	char line[VTY_LINE];
	struct lpar *l;
	const char *out;
	size_t n;

	fake_reset();
	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	l = fake_lpar_create(name, 1, MEM_SIZE);
	REQUIRE(l != NULL);
	memset(line, '\r', sizeof(line) - 1);
	line[sizeof(line) - 1] = 'x';
	put_all(l->vcpus[0], "\033[1m");
	for (size_t i = 0; i < sizeof(line); i += 16) {
		CHECK_EQ(put(l->vcpus[0], VTY_REG, line + i,
			     MIN(16, sizeof(line) - i)), H_SUCCESS);
	}
	put_all(l->vcpus[0], "\n"); /* the rest of the line after the cut */
	out = fake_console();
	n = strlen(out);
	CHECK(n > 30 * VTY_LINE); /* the expansion did happen */
	CHECK(n < VTY_OUT_MAX);
	CHECK_EQ(out[n - 1], '\n');
	CHECK(strchr(out, 'x') != NULL); /* nothing cut off */
}

/*
 * Issue 20 §4: housekeeping polls a partition whose vCPUs hold every lock
 * a guest can keep busy -- its vty's output lock (a writer waiting for
 * the console) and its interrupt controller's (H_INT_RESET's OPAL calls)
 * -- without waiting for either: the fake spin_lock() aborts the case on
 * a lock that is held.  Its watchdog still fires; the stale line waits.
 */
TEST(lpar_units_poll, never_waits_for_a_busy_writer_or_controller)
{
	REQUIRE(setup());
	fake_tb = 1000;
	CHECK_EQ(HCALL(vc, &a, H_WATCHDOG, (1ull << 8) | 1, 1, 10),
		 H_SUCCESS);
	put_all(vc, "login: ");
	vc->state = VCPU_CEDED; /* the shell waits for input */
	fake_tb += ms_to_tb(60);
	spin_lock(&vty_of(web)->out_lock);
	spin_lock(&intc_of(web)->lock);
	lpar_units_poll(web);
	spin_unlock(&intc_of(web)->lock);
	spin_unlock(&vty_of(web)->out_lock);
	CHECK_EQ(fake_calls.request_stop, 1); /* hard power-off */
	CHECK_EQ(vty_of(web)->line_len, 7);   /* left for the next poll */
	lpar_units_poll(web);
	CHECK_STR_CONTAINS(fake_console(), "[web] login: \n");
}
