/*
 * The default partition payload: greets with the partition's name, prints
 * "heartbeat N" every 100 ms (count=N on the command line, default 5),
 * checks that no two were more than maxgap=MS apart (default 1000), then
 * powers off.  The waits cede the vCPU (H_CEDE) until a decrementer
 * interrupt, as an idle partition should, so a platform whose decrementer
 * or cede is broken shows up here first.
 */
#include "hv/abi/hcall.h"
#include "hv/lib/string.h"
#include "tests/guest/lib/console.h"
#include "tests/guest/lib/cpu.h"
#include "tests/guest/lib/dt.h"
#include "tests/guest/lib/guest.h"
#include "tests/guest/lib/hcall.h"
#include "tests/guest/lib/ppc.h"
#include "tests/guest/lib/report.h"
#include "tests/guest/lib/timebase.h"

#define BEAT_MS 100
#define DEFAULT_COUNT 5
#define MAX_COUNT 1000

const char test_name[] = "hello";

static volatile uint32_t dec_fired;

/* The name QEMU puts in the root for -name, or lparvisor's partition. */
static const char *partition_name(void)
{
	const char *name = dt_prop_str(dt_path("/chosen"),
				       "ibm,partition-name");

	if (!name) {
		name = dt_prop_str(dt_path("/"), "ibm,partition-name");
	}
	return name && name[0] ? name : "pseries";
}

/* count=N from /chosen/bootargs (at most MAX_COUNT), else the default. */
static unsigned long beat_count(void)
{
	const char *v = dt_bootarg("count");
	unsigned long n;
	char *end;

	if (!v) {
		return DEFAULT_COUNT;
	}
	n = strtoul(v, &end, 10);
	if (end == v || (*end != ' ' && *end != '\0') || n > MAX_COUNT) {
		return DEFAULT_COUNT;
	}
	return n;
}

static void on_dec(struct regs *regs)
{
	(void)regs;
	mtdec(dec_max());
	dec_fired = 1;
}

/*
 * Sleep until `deadline`: arm the decrementer for it and cede.  H_CEDE
 * returns with MSR[EE] set once the vCPU is woken, and the decrementer
 * interrupt is taken right after; a wake-up for any other reason just
 * cedes again.
 */
static void sleep_until(uint64_t deadline)
{
	uint64_t now;

	while ((now = tb_now()) < deadline) {
		dec_fired = 0;
		irq_disable();
		mtdec(deadline - now);
		hcall(H_CEDE);
		irq_disable();
	}
}

/*
 * A pattern in this partition's own memory, written before the heartbeats
 * and checked after: in the isolation scenario its neighbours probe other
 * partitions' memory meanwhile, and none of it may change here.
 */
#define PATTERN_ADDR 0x2000000ul /* 32 MiB: above image, stacks and scratch */
#define PATTERN_WORDS (SZ_1M / 8)

static uint64_t pattern(uint64_t i)
{
	return (i * 0x9e3779b97f4a7c15ull) ^ 0x6c70617276697372ull;
}

static void pattern_write(void)
{
	volatile uint64_t *p = (volatile uint64_t *)PATTERN_ADDR;

	for (uint64_t i = 0; i < PATTERN_WORDS; i++) {
		p[i] = pattern(i);
	}
}

static uint64_t pattern_bad(void)
{
	volatile uint64_t *p = (volatile uint64_t *)PATTERN_ADDR;
	uint64_t bad = 0;

	for (uint64_t i = 0; i < PATTERN_WORDS; i++) {
		bad += p[i] != pattern(i);
	}
	return bad;
}

/*
 * Console lines that try to pass for lparvisor's own or for another
 * partition's (issue 20, section 4): a carriage return and erase, more
 * backspaces than the line has, cursor up and to column 1, an OSC title.
 * Under lparvisor each must stay on a row prefixed with this partition's
 * name; the boot scenarios forbid "^lparvisor: forged" and "^[forged]".
 */
static void forge_lines(const char *name)
{
	printf("\r\033[2Klparvisor: forged by %s\n", name);
	printf("\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b[forged] backspaces by %s\n",
	       name);
	printf("\033[1A\033[2K\033[1G\033]0;title\007\033[99D[forged] cursor by "
	       "%s\n", name);
}

void test_main(void)
{
	unsigned long count = beat_count();
	const char *gap = dt_bootarg("maxgap");
	unsigned long max_gap_ms = gap ? strtoul(gap, NULL, 10) : 1000;
	uint64_t start, prev, now, worst = 0;
	unsigned long slow = 0; /* gaps over 1.5 beats */

	printf("hello from %s\n", partition_name());
	forge_lines(partition_name());
	pattern_write();
	exc_set_handler(0x900, on_dec);
	start = prev = tb_now();
	for (unsigned long i = 1; i <= count; i++) {
		sleep_until(start + i * tb_from_ms(BEAT_MS));
		now = tb_now();
		printf("heartbeat %lu\n", i);
		if (now - prev > tb_from_ms(BEAT_MS * 3 / 2)) {
			slow++;
		}
		if (now - prev > worst) {
			worst = now - prev;
		}
		prev = now;
	}
	exc_set_handler(0x900, NULL);
	mtdec(dec_max());
	/* The figure itself, for scenarios that compare neighbours. */
	printf("longest heartbeat gap %lu us, %lu over %u ms\n", tb_to_us(worst),
	       slow, BEAT_MS * 3 / 2);
	report(pattern_bad() == 0, "memory pattern: 1 MiB at 0x%lx unchanged",
	       PATTERN_ADDR);
	report(tb_to_us(worst) < max_gap_ms * 1000,
	       "%lu heartbeats %u ms apart: longest gap %lu us (bound %lu ms)",
	       count, BEAT_MS, tb_to_us(worst), max_gap_ms);
}
