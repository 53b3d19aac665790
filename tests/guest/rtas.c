/*
 * RTAS services a pSeries partition uses, called through KVMPPC_H_RTAS with
 * tokens looked up by name in /rtas, checked against QEMU 7.2
 * (hw/ppc/spapr_rtas.c, spapr_rtc.c, spapr_events.c;
 * papr-guest-reference.md §1.5, §4).  Also checks the entry state of the
 * boot vCPU and of a vCPU started with start-cpu.
 */
#include "hv/abi/hcall.h"
#include "hv/abi/layout.h"
#include "hv/abi/rtas.h"
#include "hv/lib/format.h"
#include "hv/lib/string.h"
#include "tests/guest/lib/console.h"
#include "tests/guest/lib/cpu.h"
#include "tests/guest/lib/dt.h"
#include "tests/guest/lib/guest.h"
#include "tests/guest/lib/hcall.h"
#include "tests/guest/lib/ppc.h"
#include "tests/guest/lib/report.h"
#include "tests/guest/lib/rtas.h"
#include "tests/guest/lib/timebase.h"

#define BAD_ID 0xbad
#define BAD_TOKEN 0xdead
#define SYSPARM_SPLPAR_CHARACTERISTICS 20
#define SYSPARM_CMO 44
#define SYSPARM_UNKNOWN 12345
#define SENSOR_UNSUPPORTED 3 /* thermal: QEMU only has DR sensors */
#define INDICATOR_UNSUPPORTED 9 /* system attention */
#define START_MAGIC 0x57a27ed0u
#define WAIT_MS 2000

const char test_name[] = "rtas";

struct tod {
	uint32_t year, month, day, hour, min, sec, ns;
};

/* What the started secondary saw, written by it for the boot vCPU. */
struct start_report {
	volatile uint32_t magic;
	volatile uint32_t go;
	volatile uint64_t entry_msr;
	volatile uint64_t entry_r3;
	volatile uint64_t msr;
};

static struct start_report start_report;
static uint8_t buf[2048] __aligned(16);

static int get_tod(struct tod *t)
{
	uint32_t out[7];
	int status = rtas_call(rtas_token("get-time-of-day"), 0, 8, out);

	t->year = out[0];
	t->month = out[1];
	t->day = out[2];
	t->hour = out[3];
	t->min = out[4];
	t->sec = out[5];
	t->ns = out[6];
	return status;
}

static int set_tod(const struct tod *t)
{
	return rtas_call(rtas_token("set-time-of-day"), 7, 1, NULL, t->year,
			 t->month, t->day, t->hour, t->min, t->sec, t->ns);
}

static bool tod_sane(const struct tod *t)
{
	return t->year >= 2020 && t->year < 2200 && t->month >= 1 &&
	       t->month <= 12 && t->day >= 1 && t->day <= 31 &&
	       t->hour < 24 && t->min < 60 && t->sec < 60;
}

static void test_entry_state(void)
{
	uint64_t msr = cpu_boot_entry_msr();

	printf("  boot vCPU entry MSR 0x%lx\n", msr);
	report(!(msr & (MSR_SF | MSR_LE | MSR_IR | MSR_DR | MSR_EE | MSR_PR)),
	       "boot vCPU entered 32-bit big-endian real mode, EE=0: MSR 0x%lx",
	       msr);
}

static void test_time(void)
{
	struct tod now, later;
	struct tod set = { 2030, 6, 15, 12, 34, 56, 0 };
	int status;

	status = get_tod(&now);
	report_rtas(status, RTAS_OUT_SUCCESS, "get-time-of-day");
	report(tod_sane(&now),
	       "get-time-of-day is a sane date: %04u-%02u-%02u %02u:%02u:%02u",
	       now.year, now.month, now.day, now.hour, now.min, now.sec);
	/* QEMU 7.2's ns is not the nanoseconds within the second: unchecked. */
	printf("  time of day %04u-%02u-%02u %02u:%02u:%02u ns %u\n", now.year,
	       now.month, now.day, now.hour, now.min, now.sec, now.ns);

	report_rtas(set_tod(&set), RTAS_OUT_SUCCESS, "set-time-of-day");
	get_tod(&later);
	report(later.year == 2030 && later.month == 6 && later.day == 15 &&
		       later.hour == 12 && later.min == 34 && later.sec >= 56 &&
		       later.sec <= 59,
	       "get-time-of-day after set-time-of-day: %04u-%02u-%02u "
	       "%02u:%02u:%02u",
	       later.year, later.month, later.day, later.hour, later.min,
	       later.sec);
	report_rtas(set_tod(&now), RTAS_OUT_SUCCESS,
		    "set-time-of-day back to the original time");

	report_rtas(rtas_call(rtas_token("get-time-of-day"), 0, 1, NULL),
		    RTAS_OUT_PARAM_ERROR, "get-time-of-day with nret 1");
	report_rtas(rtas_call(rtas_token("set-time-of-day"), 6, 1, NULL, 2030,
			      6, 15, 12, 34, 56),
		    RTAS_OUT_PARAM_ERROR, "set-time-of-day with nargs 6");
}

/*
 * The partition's own RTAS code (lparvisor: slof/rtas.S at /rtas
 * linux,rtas-entry), called as Linux calls it (32-bit big-endian real
 * mode): it answers get-time-of-day in the partition and hands the rest
 * to the hypervisor.  Its answers are held against the hypervisor's
 * (KVMPPC_H_RTAS directly) read just before and after, across
 * set-time-of-day, across midnight and a leap day; buffers it does not
 * take and other services reach the hypervisor through it.  -M pseries
 * with -bios names no RTAS code: skipped there.
 */
static struct rtas_args_wire code_args __aligned(16);
static uint8_t code_raw[64] __aligned(16);

static int code_tod(unsigned long entry, struct rtas_args_wire *a,
		    struct tod *t, long *rc)
{
	a->token = cpu_to_be32(rtas_token("get-time-of-day"));
	a->nargs = 0;
	a->nret = cpu_to_be32(8);
	memset(a->args, 0xa5, 8 * 4);
	*rc = rtas_enter(entry, a);
	t->year = be32_to_cpu(a->args[1]);
	t->month = be32_to_cpu(a->args[2]);
	t->day = be32_to_cpu(a->args[3]);
	t->hour = be32_to_cpu(a->args[4]);
	t->min = be32_to_cpu(a->args[5]);
	t->sec = be32_to_cpu(a->args[6]);
	t->ns = be32_to_cpu(a->args[7]);
	return (int)be32_to_cpu(a->args[0]);
}

static int code_set_tod(unsigned long entry, const struct tod *t)
{
	struct rtas_args_wire *a = &code_args;
	const uint32_t v[7] = { t->year, t->month, t->day, t->hour, t->min,
				t->sec, t->ns };

	a->token = cpu_to_be32(rtas_token("set-time-of-day"));
	a->nargs = cpu_to_be32(7);
	a->nret = cpu_to_be32(1);
	for (int i = 0; i < 7; i++) {
		a->args[i] = cpu_to_be32(v[i]);
	}
	a->args[7] = 0xffffffff;
	rtas_enter(entry, a);
	return (int)be32_to_cpu(a->args[7]);
}

/* Nanoseconds since 1970 (dates from 1970 on). */
static uint64_t tod_ns(const struct tod *t)
{
	uint64_t y = t->year - (t->month <= 2);
	uint64_t era = y / 400, yoe = y - era * 400;
	uint64_t doy = (153 * (t->month + (t->month > 2 ? -3 : 9)) + 2) / 5 +
		       t->day - 1;
	uint64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	uint64_t days = era * 146097 + doe - 719468;

	return ((days * 24 + t->hour) * 60 + t->min) * 60 * 1000000000ull +
	       t->sec * 1000000000ull + t->ns;
}

static bool tod_is(const struct tod *t, uint32_t y, uint32_t mo, uint32_t d,
		   uint32_t h, uint32_t mi)
{
	return t->year == y && t->month == mo && t->day == d && t->hour == h &&
	       t->min == mi;
}

/* The code's answer lies between two of the hypervisor's. */
static void check_code_between(unsigned long entry, const char *what)
{
	struct tod h1, c, h2;
	long rc;
	int s1 = get_tod(&h1);
	int sc = code_tod(entry, &code_args, &c, &rc);
	int s2 = get_tod(&h2);

	report(s1 == RTAS_OUT_SUCCESS && sc == RTAS_OUT_SUCCESS && rc == 0 &&
		       s2 == RTAS_OUT_SUCCESS && tod_ns(&h1) <= tod_ns(&c) &&
		       tod_ns(&c) <= tod_ns(&h2) &&
		       tod_ns(&h2) - tod_ns(&h1) < 1000000000ull,
	       "%s: the code's %04u-%02u-%02u %02u:%02u:%02u.%09u (status %d, "
	       "r3 %ld) between the hypervisor's %02u:%02u:%02u.%09u and "
	       "%02u:%02u:%02u.%09u", what, c.year, c.month, c.day, c.hour,
	       c.min, c.sec, c.ns, sc, rc, h1.hour, h1.min, h1.sec, h1.ns,
	       h2.hour, h2.min, h2.sec, h2.ns);
}

/*
 * The code answers from the clock in its own RTAS area, which is the
 * guest's memory: moved on by a year there, the code's answer moves and
 * the hypervisor's does not (so the code, not an hcall, answered).
 */
static void check_own_clock(unsigned long entry)
{
	volatile uint64_t *secs = (volatile uint64_t *)(uintptr_t)(
		entry + LAYOUT_RTAS_CLOCK_OFFSET + LAYOUT_RTAS_CLOCK_SECS);
	uint64_t was = be64_to_cpu(*secs);
	struct tod h, c;
	long rc;

	*secs = cpu_to_be64(was + 366ull * 86400);
	code_tod(entry, &code_args, &c, &rc);
	get_tod(&h);
	*secs = cpu_to_be64(was);
	report(c.year == h.year + 1 || (c.year == h.year + 2 && h.month == 12),
	       "the code reads the clock in its RTAS area: moved on a year "
	       "there, it says %04u-%02u-%02u, the hypervisor %04u-%02u-%02u",
	       c.year, c.month, c.day, h.year, h.month, h.day);
	check_code_between(entry, "the clock put back");
}

/* Set the clock just before midnight and see the code roll over. */
static void check_rollover(unsigned long entry, const struct tod *set,
			   const struct tod *next)
{
	struct tod c;
	long rc;
	bool rolled;

	report_rtas(code_set_tod(entry, set), RTAS_OUT_SUCCESS,
		    "set-time-of-day %04u-%02u-%02u 23:59:59 through the code",
		    set->year, set->month, set->day);
	code_tod(entry, &code_args, &c, &rc);
	report(tod_is(&c, set->year, set->month, set->day, 23, 59) ||
		       tod_is(&c, next->year, next->month, next->day, 0, 0),
	       "the code reads it back: %04u-%02u-%02u %02u:%02u:%02u",
	       c.year, c.month, c.day, c.hour, c.min, c.sec);
	rolled = WAIT_FOR(code_tod(entry, &code_args, &c, &rc) ==
				  RTAS_OUT_SUCCESS &&
			  tod_is(&c, next->year, next->month, next->day, 0, 0),
			  2500);
	report(rolled, "the code rolls over to %04u-%02u-%02u 00:00: "
	       "%04u-%02u-%02u %02u:%02u:%02u", next->year, next->month,
	       next->day, c.year, c.month, c.day, c.hour, c.min, c.sec);
	check_code_between(entry, "after midnight");
}

static void test_code(void)
{
	unsigned long entry = rtas_code_entry();
	struct tod start, c;
	struct rtas_args_wire *odd = (void *)(code_raw + 2);
	uint64_t t0 = tb_now();
	long rc;
	int st;

	if (!dt_on_lparvisor()) {
		printf("  no RTAS code of the platform's to call (-bios): "
		       "skipped\n");
		return;
	}
	if (!report(entry != 0, "/rtas linux,rtas-entry names the "
		    "partition's RTAS code: 0x%lx", entry)) {
		return;
	}
	get_tod(&start);
	check_code_between(entry, "get-time-of-day through the code");
	check_own_clock(entry);
	check_rollover(entry, &(struct tod){ 2031, 12, 31, 23, 59, 59, 0 },
		       &(struct tod){ 2032, 1, 1, 0, 0, 0, 0 });
	check_rollover(entry, &(struct tod){ 2032, 2, 28, 23, 59, 59, 0 },
		       &(struct tod){ 2032, 2, 29, 0, 0, 0, 0 });

	/* Buffers and calls the code leaves to the hypervisor. */
	st = code_tod(entry, odd, &c, &rc);
	report(st == RTAS_OUT_SUCCESS && rc == H_SUCCESS &&
		       tod_is(&c, 2032, 2, 29, 0, 0),
	       "an unaligned buffer through the code: the hypervisor's "
	       "answer %04u-%02u-%02u %02u:%02u (status %d, r3 %ld)",
	       c.year, c.month, c.day, c.hour, c.min, st, rc);
	code_args.token = cpu_to_be32(rtas_token("get-time-of-day"));
	code_args.nargs = 0;
	code_args.nret = cpu_to_be32(7);
	code_args.args[0] = 0;
	rc = rtas_enter(entry, &code_args);
	report(rc == H_SUCCESS &&
		       (int)be32_to_cpu(code_args.args[0]) ==
			       RTAS_OUT_PARAM_ERROR,
	       "get-time-of-day with nret 7 through the code: -3 "
	       "(status %d, r3 %ld)", (int)be32_to_cpu(code_args.args[0]),
	       rc);
	rc = rtas_enter(entry, (void *)(uintptr_t)(dt_ram_size() - 8));
	report_hrc(rc, H_PARAMETER,
		   "a buffer across the end of memory through the code");
	code_args.token = cpu_to_be32(rtas_token("query-cpu-stopped-state"));
	code_args.nargs = cpu_to_be32(1);
	code_args.nret = cpu_to_be32(2);
	code_args.args[0] = cpu_to_be32(cpus[0].hwid);
	code_args.args[1] = 0xffffffff;
	code_args.args[2] = 0xffffffff;
	rtas_enter(entry, &code_args);
	report(be32_to_cpu(code_args.args[1]) == RTAS_OUT_SUCCESS &&
		       be32_to_cpu(code_args.args[2]) == RTAS_CPU_RUNNING,
	       "query-cpu-stopped-state through the code: status %d state "
	       "%u", (int)be32_to_cpu(code_args.args[1]),
	       be32_to_cpu(code_args.args[2]));
	/* Before 1970 the hypervisor answers (QEMU's signed offset). */
	report_rtas(code_set_tod(entry, &(struct tod){ 1969, 7, 20, 20, 17, 40,
						      0 }),
		    RTAS_OUT_SUCCESS, "set-time-of-day 1969-07-20 through "
		    "the code");
	st = code_tod(entry, &code_args, &c, &rc);
	report(st == RTAS_OUT_SUCCESS && tod_is(&c, 1969, 7, 20, 20, 17),
	       "get-time-of-day through the code before 1970: "
	       "%04u-%02u-%02u %02u:%02u:%02u", c.year, c.month, c.day,
	       c.hour, c.min, c.sec);

	/* Back to the clock as it was, plus the time spent here. */
	start.sec += (uint32_t)((tb_now() - t0) / tb_freq());
	start.min += start.sec / 60;
	start.sec %= 60;
	start.hour += start.min / 60;
	start.min %= 60;
	if (start.hour > 23) {
		start.hour = 23;
	}
	report_rtas(set_tod(&start), RTAS_OUT_SUCCESS,
		    "set-time-of-day back to the original time");
	check_code_between(entry, "at the original time again");
}

static void test_display(void)
{
	const char *msg = "[rtas display-character]\n";
	int token = rtas_token("display-character");
	int worst = 0;

	for (const char *p = msg; *p; p++) {
		int status = rtas_call(token, 1, 1, NULL, (unsigned int)*p);

		if (status != RTAS_OUT_SUCCESS) {
			worst = status;
		}
	}
	report_rtas(worst, RTAS_OUT_SUCCESS, "display-character");
}

static int query_cpu(uint32_t hwid, uint32_t *state)
{
	return rtas_call(rtas_token("query-cpu-stopped-state"), 1, 2, state,
			 hwid);
}

static void test_query_all(void)
{
	for (int i = 0; i < cpu_count(); i++) {
		uint32_t state = 0xffffffff;
		int status = query_cpu(cpus[i].hwid, &state);
		uint32_t want = i == 0 ? RTAS_CPU_RUNNING : RTAS_CPU_STOPPED;

		report(status == RTAS_OUT_SUCCESS && state == want,
		       "query-cpu-stopped-state vCPU %u (%s): status %d "
		       "state %u",
		       cpus[i].hwid, i == 0 ? "boot, running" : "stopped",
		       status, state);
	}
	report_rtas(query_cpu(BAD_ID, NULL), RTAS_OUT_PARAM_ERROR,
		    "query-cpu-stopped-state unknown vCPU");
	report_rtas(rtas_call(rtas_token("query-cpu-stopped-state"), 0, 2,
			      NULL),
		    RTAS_OUT_PARAM_ERROR, "query-cpu-stopped-state nargs 0");
}

/* Runs on the started vCPU; returning makes it call stop-self. */
static void secondary(void *arg)
{
	struct start_report *r = arg;
	struct cpu *c = cpu_self();

	r->entry_msr = c->entry_msr;
	r->entry_r3 = c->entry_r3;
	r->msr = mfmsr();
	sync();
	r->magic = START_MAGIC;
	while (!r->go) {
		cpu_relax();
	}
}

static bool wait_stopped(uint32_t hwid)
{
	uint32_t state = RTAS_CPU_RUNNING;

	return WAIT_FOR(query_cpu(hwid, &state) == RTAS_OUT_SUCCESS &&
				state == RTAS_CPU_STOPPED,
			WAIT_MS);
}

static void run_secondary_once(const char *what)
{
	struct start_report *r = &start_report;
	struct cpu *c = &cpus[1];
	uint32_t state = 0;
	bool arrived;

	memset((void *)r, 0, sizeof(*r));
	sync();
	if (!report_rtas(cpu_start(1, secondary, r), RTAS_OUT_SUCCESS,
			 "start-cpu vCPU %u (%s)", c->hwid, what)) {
		return;
	}
	arrived = WAIT_FOR(r->magic == START_MAGIC, WAIT_MS);
	report(arrived, "started vCPU %u reports back through memory",
	       c->hwid);
	if (!arrived) {
		return;
	}
	report(query_cpu(c->hwid, &state) == RTAS_OUT_SUCCESS &&
		       state == RTAS_CPU_RUNNING,
	       "query-cpu-stopped-state shows vCPU %u running: state %u",
	       c->hwid, state);
	report_rtas(rtas_call(rtas_token("start-cpu"), 3, 1, NULL, c->hwid,
			      (unsigned int)(uintptr_t)secondary_entry, 1),
		    RTAS_OUT_HW_ERROR, "start-cpu of a running vCPU");
	r->go = 1;
	sync();
	report(wait_stopped(c->hwid),
	       "vCPU %u stopped after stop-self (query-cpu-stopped-state 0)",
	       c->hwid);
}

static void test_start_stop(void)
{
	struct start_report *r = &start_report;
	int token = rtas_token("start-cpu");
	uint64_t msr;

	report_rtas(rtas_call(token, 3, 1, NULL, BAD_ID,
			      (unsigned int)(uintptr_t)secondary_entry, 1),
		    RTAS_OUT_PARAM_ERROR, "start-cpu unknown vCPU");
	report_rtas(rtas_call(token, 2, 1, NULL, cpus[cpu_count() - 1].hwid,
			      (unsigned int)(uintptr_t)secondary_entry),
		    RTAS_OUT_PARAM_ERROR, "start-cpu nargs 2");
	if (!report(cpu_count() > 1, "a second vCPU to start: %d vCPU(s)",
		    cpu_count())) {
		return;
	}
	run_secondary_once("first start");
	msr = r->entry_msr;
	printf("  start-cpu entry MSR 0x%lx, r3 %lu\n", msr, r->entry_r3);
	/* §1.5: SF=1, ME=1, big-endian, real mode, EE=0. */
	report((msr & (MSR_SF | MSR_ME)) == (MSR_SF | MSR_ME) &&
		       !(msr & (MSR_LE | MSR_IR | MSR_DR | MSR_EE | MSR_PR)),
	       "start-cpu entry MSR is SF|ME, big-endian real mode: 0x%lx",
	       msr);
	report(r->entry_r3 == 1, "start-cpu entry r3 = third argument: %lu",
	       r->entry_r3);
	report((r->msr & (MSR_SF | MSR_LE)) == (MSR_SF | MSR_LE),
	       "started vCPU runs 64-bit little-endian: MSR 0x%lx", r->msr);
	run_secondary_once("again after stop-self");
}

/*
 * ibm,os-term returns (ibm,extended-os-term), but a platform may then
 * apply its crash policy: lparvisor does, so its scenario passes
 * "no-os-term" and tests the call with a Linux panic instead.
 */
static void test_os_term(void)
{
	static const char msg[] = "rtas payload: ibm,os-term test (ignore)";

	if (dt_bootarg_word("no-os-term")) {
		return;
	}
	report(dt_prop(dt_path("/rtas"), "ibm,extended-os-term", NULL) != NULL,
	       "/rtas has ibm,extended-os-term");
	report_rtas(rtas_call(rtas_token("ibm,os-term"), 1, 1, NULL,
			      (unsigned int)(uintptr_t)msg),
		    RTAS_OUT_SUCCESS, "ibm,os-term returns");
}

static void test_events(void)
{
	int scan = rtas_token("event-scan");
	int check = rtas_token("check-exception");
	unsigned int b = (unsigned int)(uintptr_t)buf;

	report_rtas(rtas_call(scan, 4, 1, NULL, 0xffffffff, 0, b, sizeof(buf)),
		    RTAS_OUT_NO_ERRORS_FOUND, "event-scan finds no errors");
	report_rtas(rtas_call(check, 6, 1, NULL, 0x500, 0, 0xffffffff, 0, b,
			      sizeof(buf)),
		    RTAS_OUT_NO_ERRORS_FOUND,
		    "check-exception with nothing pending");
	report_rtas(rtas_call(check, 5, 1, NULL, 0x500, 0, 0xffffffff, 0, b),
		    RTAS_OUT_PARAM_ERROR, "check-exception nargs 5");
}

static bool contains(const char *s, const char *what)
{
	size_t n = strlen(what);

	for (; *s; s++) {
		if (strncmp(s, what, n) == 0) {
			return true;
		}
	}
	return false;
}

static void test_sysparm(void)
{
	int get = rtas_token("ibm,get-system-parameter");
	int set = rtas_token("ibm,set-system-parameter");
	unsigned int b = (unsigned int)(uintptr_t)buf;
	char want[64];
	uint16_t len;
	int status;

	memset(buf, 0, sizeof(buf));
	status = rtas_call(get, 3, 1, NULL, SYSPARM_SPLPAR_CHARACTERISTICS, b,
			   sizeof(buf) - 1);
	report_rtas(status, RTAS_OUT_SUCCESS,
		    "ibm,get-system-parameter 20 (SPLPAR characteristics)");
	len = (uint16_t)(buf[0] << 8 | buf[1]);
	printf("  parameter 20 (%u bytes): %s\n", len, (const char *)buf + 2);
	report(len > 0 && len < sizeof(buf) - 2 &&
		       strncmp((const char *)buf + 2, "MaxEntCap=", 10) == 0,
	       "parameter 20 is a length-prefixed MaxEntCap=... string");
	hv_snprintf(want, sizeof(want), "DesProcs=%d", cpu_count());
	report(contains((const char *)buf + 2, want),
	       "parameter 20 has %s", want);
	hv_snprintf(want, sizeof(want), "DesMem=%lu", dt_ram_size() >> 20);
	report(contains((const char *)buf + 2, want),
	       "parameter 20 has %s", want);
	report_rtas(rtas_call(get, 3, 1, NULL, SYSPARM_SPLPAR_CHARACTERISTICS,
			      b, 1),
		    RTAS_OUT_SYSPARM_PARAM_ERROR,
		    "ibm,get-system-parameter 20 into a 1-byte buffer");
	report_rtas(rtas_call(get, 3, 1, NULL, SYSPARM_CMO, b, sizeof(buf)),
		    RTAS_OUT_NOT_SUPPORTED,
		    "ibm,get-system-parameter 44 (CMO)");
	report_rtas(rtas_call(get, 3, 1, NULL, SYSPARM_UNKNOWN, b, sizeof(buf)),
		    RTAS_OUT_NOT_SUPPORTED,
		    "ibm,get-system-parameter unknown parameter");
	report_rtas(rtas_call(set, 2, 1, NULL, SYSPARM_SPLPAR_CHARACTERISTICS,
			      b),
		    RTAS_OUT_NOT_AUTHORIZED,
		    "ibm,set-system-parameter 20 not authorized");
	report_rtas(rtas_call(set, 2, 1, NULL, SYSPARM_UNKNOWN, b),
		    RTAS_OUT_NOT_SUPPORTED,
		    "ibm,set-system-parameter unknown parameter");
}

/*
 * The NVRAM (QEMU 7.2 spapr_nvram.c; lparvisor vio/nvram.c): its /vdevice
 * node, then nvram-store and nvram-fetch with ranges past the end first,
 * a round trip at the end of the NVRAM, and (lparvisor only: QEMU maps any
 * address unchecked) a buffer outside the partition's memory.
 */
static void test_nvram(void)
{
	int fetch = rtas_token("nvram-fetch");
	int store = rtas_token("nvram-store");
	int node = dt_child_compatible(dt_path("/vdevice"), "qemu,spapr-nvram");
	unsigned int b = (unsigned int)(uintptr_t)buf;
	unsigned int half = sizeof(buf) / 2;
	uint32_t size = 0, out[1];
	bool same = true;

	report(node >= 0 && dt_prop_u32(node, "#bytes", &size) &&
		       size == 0x10000,
	       "/vdevice has a qemu,spapr-nvram node of 64 KiB (#bytes %u)",
	       size);
	report(node >= 0 && !strcmp(dt_prop_str(node, "device_type") ?: "",
				    "nvram"),
	       "its device_type is \"nvram\"");
	if (size != 0x10000 || fetch == RTAS_UNKNOWN_SERVICE ||
	    store == RTAS_UNKNOWN_SERVICE) {
		report(false, "nvram-fetch and nvram-store in /rtas");
		return;
	}
	out[0] = 0xbad;
	report_rtas(rtas_call(fetch, 3, 2, out, size, b, 1),
		    RTAS_OUT_PARAM_ERROR, "nvram-fetch 1 byte at the end");
	report(out[0] == 0, "a refused fetch copied 0 bytes (%u)", out[0]);
	report_rtas(rtas_call(store, 3, 2, out, size - 1, b, 2),
		    RTAS_OUT_PARAM_ERROR, "nvram-store 2 bytes across the end");
	report_rtas(rtas_call(store, 3, 2, out, 0xffffffffu, b, 2),
		    RTAS_OUT_PARAM_ERROR, "nvram-store at index 0xffffffff");
	report_rtas(rtas_call(fetch, 3, 2, out, 0, b, size + 1),
		    RTAS_OUT_PARAM_ERROR, "nvram-fetch of size + 1 bytes");
	report_rtas(rtas_call(fetch, 3, 1, NULL, 0, b, 16),
		    RTAS_OUT_PARAM_ERROR, "nvram-fetch with nret 1");

	for (unsigned int i = 0; i < half; i++) {
		buf[i] = (uint8_t)(i * 13 + 5);
		buf[half + i] = 0;
	}
	report_rtas(rtas_call(store, 3, 2, out, size - half, b, half),
		    RTAS_OUT_SUCCESS, "nvram-store %u bytes at the end", half);
	report(out[0] == half, "nvram-store copied %u bytes", out[0]);
	report_rtas(rtas_call(fetch, 3, 2, out, size - half, b + half, half),
		    RTAS_OUT_SUCCESS, "nvram-fetch them back");
	report(out[0] == half, "nvram-fetch copied %u bytes", out[0]);
	for (unsigned int i = 0; i < half; i++) {
		same = same && buf[half + i] == buf[i];
	}
	report(same, "nvram-fetch returned what nvram-store wrote");

	if (dt_on_lparvisor()) {
		uint64_t top = dt_ram_size();

		report_rtas(rtas_call(store, 3, 2, out, 0,
				      (unsigned int)(top - 8), 16),
			    RTAS_OUT_PARAM_ERROR,
			    "nvram-store from a buffer across the end of memory");
		report_rtas(rtas_call(fetch, 3, 2, out, 0, 0xfffffff0u, 32),
			    RTAS_OUT_PARAM_ERROR,
			    "nvram-fetch into a buffer outside memory");
	}
}

static void test_unsupported(void)
{
	uint32_t out[1];

	report_rtas(rtas_call(rtas_token("get-sensor-state"), 2, 2, out,
			      SENSOR_UNSUPPORTED, 0),
		    RTAS_OUT_NOT_SUPPORTED, "get-sensor-state sensor %d",
		    SENSOR_UNSUPPORTED);
	report_rtas(rtas_call(rtas_token("set-indicator"), 3, 1, NULL,
			      INDICATOR_UNSUPPORTED, 0, 0),
		    RTAS_OUT_NOT_SUPPORTED, "set-indicator indicator %d",
		    INDICATOR_UNSUPPORTED);
	report_rtas(rtas_call(rtas_token("get-sensor-state"), 1, 2, out,
			      SENSOR_UNSUPPORTED),
		    RTAS_OUT_PARAM_ERROR, "get-sensor-state nargs 1");
	/* A short power-off must be refused, not power the partition off. */
	report_rtas(rtas_call(rtas_token("power-off"), 1, 1, NULL, 0xffffffff),
		    RTAS_OUT_PARAM_ERROR, "power-off nargs 1");
}

static void test_bad_token(void)
{
	struct rtas_args_wire a;
	long rc;

	report(rtas_token("no-such-service") == RTAS_UNKNOWN_SERVICE,
	       "a service missing from /rtas has no token");
	memset(&a, 0, sizeof(a));
	a.token = cpu_to_be32(BAD_TOKEN);
	a.nargs = cpu_to_be32(0);
	a.nret = cpu_to_be32(1);
	rc = rtas_call_buf(&a);
	report_hrc(rc, H_PARAMETER, "unknown RTAS token 0x%x, hcall status",
		   BAD_TOKEN);
	report_rtas((int)be32_to_cpu(a.args[0]), RTAS_OUT_PARAM_ERROR,
		    "unknown RTAS token 0x%x, RTAS status", BAD_TOKEN);
}

void test_main(void)
{
	test_entry_state();
	test_time();
	test_code();
	test_display();
	test_query_all();
	test_start_stop();
	test_events();
	test_sysparm();
	test_unsupported();
	test_nvram();
	test_bad_token();
	test_os_term();
}
