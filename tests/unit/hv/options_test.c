/*
 * Tests for hv/options.c: lparvisor's boot options from /chosen/bootargs
 * (docs/boot-options.md).
 */
#include <stdio.h>

#include "hv/options.h"
#include "tests/unit/test.h"

struct parsed {
	struct hv_options o;
	int bad;
	char warn[256];
};

static struct parsed parse(const char *args)
{
	struct parsed p;

	options_default(&p.o);
	memset(p.warn, '#', sizeof(p.warn));
	p.bad = options_parse(args, &p.o, p.warn, sizeof(p.warn));
	return p;
}

/* Every option still holds its default. */
static void check_defaults(const struct hv_options *o, const char *file,
			   int line)
{
	if (o->heap_size != OPT_DEFAULT_HEAP ||
	    o->smp_timeout_ms != OPT_DEFAULT_SMP_TIMEOUT_MS ||
	    o->panic != PANIC_HALT || o->debug_hang_cpu != OPT_NO_CPU ||
	    o->debug_fault_cpu != OPT_NO_CPU || o->profile) {
		test_fail(file, line,
			  "not the defaults: heap 0x%llx smp_timeout_ms %u "
			  "panic %d hang_cpu 0x%x fault_cpu 0x%x profile %d",
			  (unsigned long long)o->heap_size, o->smp_timeout_ms,
			  (int)o->panic, o->debug_hang_cpu,
			  o->debug_fault_cpu, (int)o->profile);
	}
}

#define CHECK_DEFAULTS(o) check_defaults((o), __FILE__, __LINE__)

static bool size_of(const char *s, uint64_t *out)
{
	return options_parse_size(s, strlen(s), out);
}

/* ---- sizes -------------------------------------------------------------- */

TEST(options, parse_size_refuses_what_is_not_a_size)
{
	static const char *const bad[] = {
		"", "M", "x", "-1", "+1", " 1", "1 ", "16MB", "1T", "1KK",
		"0x", "0xg", "0x1T", "1.5M", "16 M", "1e6", "0b101",
	};
	uint64_t v = 0xabcd;

	for (uint32_t i = 0; i < ARRAY_SIZE(bad); i++) {
		if (size_of(bad[i], &v)) {
			test_fail(__FILE__, __LINE__,
				  "\"%s\" accepted as 0x%llx", bad[i],
				  (unsigned long long)v);
		}
	}
	CHECK_EQ(v, 0xabcd); /* never written on failure */
}

TEST(options, parse_size_accepts_decimal_hex_and_suffixes)
{
	static const struct {
		const char *s;
		uint64_t v;
	} good[] = {
		{ "0", 0 },
		{ "4096", 4096 },
		{ "0x100000", SZ_1M },
		{ "0X10", 16 },
		{ "0xAbC", 0xabc },
		{ "4k", SZ_4K },
		{ "4K", SZ_4K },
		{ "16M", 16 * SZ_1M },
		{ "16m", 16 * SZ_1M },
		{ "1G", SZ_1G },
		{ "2g", 2 * SZ_1G },
		{ "0x10M", 16 * SZ_1M },
		{ "18446744073709551615", UINT64_MAX },
		{ "0xffffffffffffffff", UINT64_MAX },
		{ "17179869183G", 17179869183ull * SZ_1G },
	};

	for (uint32_t i = 0; i < ARRAY_SIZE(good); i++) {
		uint64_t v = 0xabcd;

		if (!size_of(good[i].s, &v) || v != good[i].v) {
			test_fail(__FILE__, __LINE__,
				  "\"%s\": got 0x%llx, expected 0x%llx",
				  good[i].s, (unsigned long long)v,
				  (unsigned long long)good[i].v);
		}
	}
}

TEST(options, parse_size_refuses_overflow)
{
	uint64_t v;

	CHECK(!size_of("18446744073709551616", &v)); /* 2^64 */
	CHECK(!size_of("99999999999999999999999", &v));
	CHECK(!size_of("0x10000000000000000", &v));
	CHECK(!size_of("17179869184G", &v)); /* 2^64 once multiplied */
	CHECK(!size_of("17592186044416M", &v));
	CHECK(!size_of("18014398509481984K", &v));
}

TEST(options, parse_size_reads_only_len_bytes)
{
	uint64_t v = 0;

	CHECK(options_parse_size("16Mxyz", 3, &v));
	CHECK_EQ(v, 16 * SZ_1M);
	CHECK(options_parse_size("4096 heap=1", 4, &v));
	CHECK_EQ(v, 4096);
	CHECK(!options_parse_size("16M", 0, &v));
}

/* ---- the whole line ----------------------------------------------------- */

TEST(options, defaults)
{
	struct hv_options o;

	memset(&o, 0x5a, sizeof(o));
	options_default(&o);
	CHECK_EQ(o.heap_size, 16 * SZ_1M);
	CHECK_EQ(o.smp_timeout_ms, 5000);
	CHECK_EQ(o.panic, PANIC_HALT);
	CHECK_EQ(o.debug_hang_cpu, OPT_NO_CPU);
	CHECK_EQ(o.debug_fault_cpu, OPT_NO_CPU);
}

TEST(options, empty_or_missing_line_keeps_defaults)
{
	struct parsed p = parse("");

	CHECK_EQ(p.bad, 0);
	CHECK_STR_EQ(p.warn, "");
	CHECK_DEFAULTS(&p.o);
	p = parse(NULL);
	CHECK_EQ(p.bad, 0);
	CHECK_STR_EQ(p.warn, "");
	CHECK_DEFAULTS(&p.o);
	p = parse(" \t  ");
	CHECK_EQ(p.bad, 0);
	CHECK_DEFAULTS(&p.o);
}

TEST(options, heap_size_forms)
{
	CHECK_EQ(parse("heap=16M").o.heap_size, 16 * SZ_1M);
	CHECK_EQ(parse("heap=0x100000").o.heap_size, SZ_1M);
	CHECK_EQ(parse("heap=4k").o.heap_size, SZ_4K);
	CHECK_EQ(parse("heap=1G").o.heap_size, SZ_1G);
	CHECK_EQ(parse("heap=65536").o.heap_size, SZ_64K);
	CHECK_EQ(parse("heap=32M").bad, 0);
}

TEST(options, heap_bad_value_keeps_default_and_warns)
{
	static const char *const bad[] = {
		"heap=lots", "heap=", "heap=16MB", "heap=-1", "heap=1T",
		"heap=0x", "heap=16M=1",
	};

	for (uint32_t i = 0; i < ARRAY_SIZE(bad); i++) {
		struct parsed p = parse(bad[i]);

		if (p.bad != 1 || p.o.heap_size != OPT_DEFAULT_HEAP ||
		    strncmp(p.warn, "heap: ", 6) != 0) {
			test_fail(__FILE__, __LINE__,
				  "\"%s\": bad %d heap 0x%llx warn \"%s\"",
				  bad[i], p.bad,
				  (unsigned long long)p.o.heap_size, p.warn);
		}
	}
	CHECK_STR_EQ(parse("heap=lots").warn,
		     "heap: not a size (e.g. 16M); ");
}

TEST(options, heap_below_4k_is_refused)
{
	struct parsed p = parse("heap=4095");

	CHECK_EQ(p.bad, 1);
	CHECK_EQ(p.o.heap_size, OPT_DEFAULT_HEAP);
	CHECK_STR_EQ(p.warn, "heap: smaller than 4K; ");
	CHECK_EQ(parse("heap=0").bad, 1);
	CHECK_EQ(parse("heap=1k").bad, 1);
	CHECK_EQ(parse("heap=4096").bad, 0);
	CHECK_EQ(parse("heap=4096").o.heap_size, 4096);
}

TEST(options, heap_overflow_is_refused)
{
	struct parsed p = parse("heap=17179869184G");

	CHECK_EQ(p.bad, 1);
	CHECK_EQ(p.o.heap_size, OPT_DEFAULT_HEAP);
	CHECK_STR_CONTAINS(p.warn, "heap: ");
	CHECK_EQ(parse("heap=18446744073709551616").bad, 1);
	CHECK_EQ(parse("heap=0x10000000000000000").bad, 1);
}

TEST(options, panic_actions)
{
	CHECK_EQ(parse("panic=halt").o.panic, PANIC_HALT);
	CHECK_EQ(parse("panic=poweroff").o.panic, PANIC_POWEROFF);
	CHECK_EQ(parse("panic=reboot").o.panic, PANIC_REBOOT);
	CHECK_EQ(parse("panic=reboot panic=halt").o.panic, PANIC_HALT);
	CHECK_EQ(parse("panic=reboot").bad, 0);
}

TEST(options, profile_on_off)
{
	CHECK_EQ(parse("profile=on").o.profile, true);
	CHECK_EQ(parse("profile=on").bad, 0);
	CHECK_EQ(parse("profile=on profile=off").o.profile, false);
	CHECK_EQ(parse("heap=1M profile=on panic=halt").o.profile, true);
}

TEST(options, clear_lazy_or_boot)
{
	CHECK_EQ(parse("").o.clear_at_boot, false);
	CHECK_EQ(parse("clear=boot").o.clear_at_boot, true);
	CHECK_EQ(parse("clear=boot").bad, 0);
	CHECK_EQ(parse("clear=boot clear=lazy").o.clear_at_boot, false);
	CHECK_EQ(parse("clear=lazy").bad, 0);
	CHECK_EQ(parse("").o.clear_ahead, false);
	CHECK_EQ(parse("clear=ahead").o.clear_ahead, true);
	CHECK_EQ(parse("clear=ahead").o.clear_at_boot, false);
	CHECK_EQ(parse("clear=ahead clear=boot").o.clear_ahead, false);
	CHECK_EQ(parse("clear=eager").bad, 1);
	CHECK_STR_CONTAINS(parse("clear=eager").warn,
			   "clear: expected lazy, ahead or boot; ");
}

TEST(options, profile_bad_value_keeps_default_and_warns)
{
	static const char *const bad[] = { "profile=", "profile=1",
					   "profile=ON", "profile=onn" };

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		struct parsed p = parse(bad[i]);

		CHECK_EQ(p.bad, 1);
		CHECK_DEFAULTS(&p.o);
		CHECK_STR_CONTAINS(p.warn, "profile: expected on or off; ");
	}
}

TEST(options, panic_bad_value_keeps_default_and_warns)
{
	static const char *const bad[] = {
		"panic=explode", "panic=", "panic=HALT", "panic=rebootx",
		"panic=halt,reboot",
	};

	for (uint32_t i = 0; i < ARRAY_SIZE(bad); i++) {
		struct parsed p = parse(bad[i]);

		if (p.bad != 1 || p.o.panic != PANIC_HALT ||
		    strcmp(p.warn, "panic: expected halt, poweroff or "
				   "reboot; ") != 0) {
			test_fail(__FILE__, __LINE__,
				  "\"%s\": bad %d panic %d warn \"%s\"",
				  bad[i], p.bad, (int)p.o.panic, p.warn);
		}
	}
}

TEST(options, smp_timeout)
{
	struct parsed p = parse("smp_timeout_ms=250");

	CHECK_EQ(p.bad, 0);
	CHECK_EQ(p.o.smp_timeout_ms, 250);
	CHECK_EQ(parse("smp_timeout_ms=0x10").o.smp_timeout_ms, 16);
	CHECK_EQ(parse("smp_timeout_ms=4294967295").o.smp_timeout_ms,
		 UINT32_MAX);
}

TEST(options, smp_timeout_zero_or_bad_is_refused)
{
	static const char *const bad[] = {
		"smp_timeout_ms=0", "smp_timeout_ms=", "smp_timeout_ms=-5",
		"smp_timeout_ms=10ms", "smp_timeout_ms=4294967296",
		"smp_timeout_ms=1k",
	};

	for (uint32_t i = 0; i < ARRAY_SIZE(bad); i++) {
		struct parsed p = parse(bad[i]);

		if (p.bad != 1 ||
		    p.o.smp_timeout_ms != OPT_DEFAULT_SMP_TIMEOUT_MS ||
		    strncmp(p.warn, "smp_timeout_ms: ", 16) != 0) {
			test_fail(__FILE__, __LINE__,
				  "\"%s\": bad %d timeout %u warn \"%s\"",
				  bad[i], p.bad, p.o.smp_timeout_ms, p.warn);
		}
	}
}

TEST(options, debug_cpus_take_decimal_or_hex_pirs)
{
	struct parsed p = parse("debug.hang_cpu=4 debug.fault_cpu=0x804");

	CHECK_EQ(p.bad, 0);
	CHECK_EQ(p.o.debug_hang_cpu, 4);
	CHECK_EQ(p.o.debug_fault_cpu, 0x804);
	CHECK_EQ(parse("debug.fault_cpu=0").o.debug_fault_cpu, 0);
	CHECK_EQ(parse("debug.hang_cpu=0X1F").o.debug_hang_cpu, 0x1f);
	p = parse("debug.hang_cpu_x=4 debug=4");
	CHECK_DEFAULTS(&p.o);
}

TEST(options, debug_cpus_take_boot_or_secondary)
{
	struct parsed p = parse("debug.hang_cpu=boot debug.fault_cpu=secondary");

	CHECK_EQ(p.bad, 0);
	CHECK_EQ(p.o.debug_hang_cpu, OPT_CPU_BOOT);
	CHECK_EQ(p.o.debug_fault_cpu, OPT_CPU_FIRST_SECONDARY);
	/* The largest PIR that is not one of the special values. */
	CHECK_EQ(parse("debug.hang_cpu=0xfffffffc").o.debug_hang_cpu,
		 0xfffffffcu);
}

TEST(options, debug_cpus_bad_value_is_refused)
{
	static const char *const bad[] = {
		"four", "", "0x100000000", "4k", "-1", "Boot", "boots",
		"secondaries", "0xfffffffd", "0xfffffffe", "0xffffffff",
		"4294967295",
	};

	for (uint32_t i = 0; i < ARRAY_SIZE(bad); i++) {
		char line[64];
		struct parsed p;

		snprintf(line, sizeof(line), "debug.hang_cpu=%s", bad[i]);
		p = parse(line);
		if (p.bad != 1 || p.o.debug_hang_cpu != OPT_NO_CPU ||
		    strncmp(p.warn, "debug.hang_cpu: not a PIR", 25) != 0) {
			test_fail(__FILE__, __LINE__,
				  "\"%s\": bad %d hang_cpu 0x%x warn \"%s\"",
				  line, p.bad, p.o.debug_hang_cpu, p.warn);
		}
		snprintf(line, sizeof(line), "debug.fault_cpu=%s", bad[i]);
		p = parse(line);
		if (p.bad != 1 || p.o.debug_fault_cpu != OPT_NO_CPU ||
		    strncmp(p.warn, "debug.fault_cpu: not a PIR", 26) != 0) {
			test_fail(__FILE__, __LINE__,
				  "\"%s\": bad %d fault_cpu 0x%x warn \"%s\"",
				  line, p.bad, p.o.debug_fault_cpu, p.warn);
		}
	}
}

TEST(options, cpu_selected_matches_pir_boot_or_first_secondary)
{
	/* No option: nothing selected. */
	CHECK(!options_cpu_selected(OPT_NO_CPU, 0, 0));
	CHECK(!options_cpu_selected(OPT_NO_CPU, 0xffffffffu, 1));
	/* A PIR: that thread, whatever its start order. */
	CHECK(options_cpu_selected(8, 8, 0));
	CHECK(options_cpu_selected(8, 8, 3));
	CHECK(!options_cpu_selected(8, 9, 1));
	/* "boot": the thread taken over first. */
	CHECK(options_cpu_selected(OPT_CPU_BOOT, 0x804, 0));
	CHECK(!options_cpu_selected(OPT_CPU_BOOT, 0, 1));
	/* "secondary": the second one. */
	CHECK(options_cpu_selected(OPT_CPU_FIRST_SECONDARY, 4, 1));
	CHECK(!options_cpu_selected(OPT_CPU_FIRST_SECONDARY, 4, 0));
	CHECK(!options_cpu_selected(OPT_CPU_FIRST_SECONDARY, 4, 2));
}

TEST(options, unknown_keys_and_bare_words_are_ignored)
{
	struct parsed p = parse("console=hvc0 root=/dev/ram0 quiet heap "
				"HEAP=1M heapx=1M hea=1M =5 = heap.size=2M");

	CHECK_EQ(p.bad, 0);
	CHECK_STR_EQ(p.warn, "");
	CHECK_DEFAULTS(&p.o);
}

TEST(options, words_are_split_on_spaces_and_tabs)
{
	struct parsed p = parse("  heap=8M\t\tpanic=reboot   quiet\t"
				"smp_timeout_ms=100 ");

	CHECK_EQ(p.bad, 0);
	CHECK_EQ(p.o.heap_size, 8 * SZ_1M);
	CHECK_EQ(p.o.panic, PANIC_REBOOT);
	CHECK_EQ(p.o.smp_timeout_ms, 100);
}

TEST(options, later_words_override_earlier_ones)
{
	struct parsed p = parse("heap=8M heap=32M");

	CHECK_EQ(p.o.heap_size, 32 * SZ_1M);
	p = parse("heap=8M heap=bad");
	CHECK_EQ(p.bad, 1);
	CHECK_EQ(p.o.heap_size, 8 * SZ_1M); /* the bad word changes nothing */
}

TEST(options, every_bad_word_is_counted_and_named_in_order)
{
	struct parsed p = parse("heap=x console=hvc0 panic=now "
				"smp_timeout_ms=0 heap=64M");

	CHECK_EQ(p.bad, 3);
	CHECK_EQ(p.o.heap_size, 64 * SZ_1M);
	CHECK_EQ(p.o.panic, PANIC_HALT);
	CHECK_EQ(p.o.smp_timeout_ms, OPT_DEFAULT_SMP_TIMEOUT_MS);
	CHECK_STR_EQ(p.warn, "heap: not a size (e.g. 16M); panic: expected "
			     "halt, poweroff or reboot; smp_timeout_ms: not a "
			     "positive number of milliseconds; ");
}

TEST(options, warnings_are_truncated_to_the_buffer)
{
	struct hv_options o;
	char warn[12];
	int bad;

	memset(warn, '#', sizeof(warn));
	options_default(&o);
	bad = options_parse("heap=x panic=x smp_timeout_ms=x", &o, warn,
			    sizeof(warn));
	CHECK_EQ(bad, 3); /* counted even when not described */
	CHECK_EQ(strnlen(warn, sizeof(warn)), sizeof(warn) - 1);
	CHECK(strncmp(warn, "heap: not a", 11) == 0);
	CHECK_DEFAULTS(&o);
}

TEST(options, zero_length_warning_buffer_is_not_written)
{
	struct hv_options o;
	char warn[4] = "abc";

	options_default(&o);
	CHECK_EQ(options_parse("heap=x", &o, warn, 0), 1);
	CHECK_STR_EQ(warn, "abc");
	CHECK_DEFAULTS(&o);
}
