/*
 * The RTAS dispatcher (KVMPPC_H_RTAS) and the services of no device: the
 * clock, the partition's life cycle, its vCPUs, system parameters and
 * events.  Matches QEMU 7.2 hw/ppc/spapr_rtas.c and spapr_rtc.c for
 * tokens, argument counts and status codes.  The argument buffer is read
 * once into hypervisor memory, checked there, and only the return cells
 * are written back.  Devices register their services in their own files
 * (RTAS_SERVICE() rows).
 */
#include "hv/console.h"
#include "hv/cpu.h"
#include "hv/guest_dt.h"
#include "hv/hv.h"
#include "hv/lib/format.h"
#include "hv/lib/string.h"
#include "hv/lpar.h"
#include "hv/lpar_ops.h"
#include "hv/panic.h"
#include "hv/vcpu.h"
#include "hv/platform.h"
#include "hv/unit.h"
#include "rtas/rtas.h"

static uint64_t boot_epoch;  /* seconds since 1970 at boot_tb */
static uint64_t boot_tb;

/*
 * The RTAS clock unit's state: a partition's time of day.  Leaf lock,
 * taken by writers only: the offset is one aligned doubleword, read
 * without the lock (get-time-of-day is the hottest RTAS call).  The
 * partition's own RTAS code (slof/rtas.S) reads the same clock from its
 * RTAS area: `code_clock` is where, once its code was placed at an
 * 8-byte aligned base; lparvisor only ever writes there.
 */
struct rtas_clock {
	struct spinlock lock;
	int64_t tod_offset; /* seconds added by set-time-of-day */
	bool placed;        /* the code's clock is at code_clock */
	uint64_t code_clock;
};

static uint32_t clock_slot;

static struct rtas_clock *clock_of(const struct lpar *l)
{
	return lpar_unit_state(l, clock_slot);
}

int64_t rtas_tod_offset(const struct lpar *l)
{
	return __atomic_load_n(&clock_of(l)->tod_offset, __ATOMIC_RELAXED);
}

static void clock_reset(struct lpar *l)
{
	struct rtas_clock *k = clock_of(l);

	spin_lock(&k->lock);
	__atomic_store_n(&k->tod_offset, 0, __ATOMIC_RELAXED);
	k->placed = false; /* its memory is about to be cleared */
	spin_unlock(&k->lock);
}

static void clock_placed(struct lpar *l, uint64_t base);

/* Every service's token in /rtas, the same for every partition. */
static struct guest_dt_rtas_token dt_tokens[RTAS_TABLE_MAX];

static void rtas_guest_dt(const struct lpar *l, struct guest_dt_params *p)
{
	(void)l;
	p->rtas_tokens = dt_tokens;
	p->rtas_token_count = rtas_service_count;
}

/* The RTAS unit: a partition's time of day, and the tokens of its tree. */
LPAR_UNIT(rtas_clock, .order = UNIT_ORDER_RTAS_CLOCK, .slot = &clock_slot,
	  .state_size = sizeof(struct rtas_clock), .reset = clock_reset,
	  .guest_dt = rtas_guest_dt, .rtas_placed = clock_placed);

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, uint32_t *y, uint32_t *m, uint32_t *d)
{
	int64_t era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (uint32_t)((int64_t)yoe + era * 400 + (*m <= 2));
}

static uint32_t bcd(uint64_t v, int digits_shift)
{
	return (uint32_t)(((v >> (digits_shift + 4)) & 0xf) * 10 +
			  ((v >> digits_shift) & 0xf));
}

void rtas_init_clock(void)
{
	uint32_t ymd;
	uint64_t hms;

	boot_tb = mftb();
	/* 2026-01-01 when the platform has no clock (QEMU without a BMC). */
	boot_epoch = (uint64_t)days_from_civil(2026, 1, 1) * 86400;
	if (platform_read_rtc(&ymd, &hms)) {
		uint64_t y = bcd(ymd, 24) * 100 + bcd(ymd, 16);

		boot_epoch = (uint64_t)days_from_civil((int64_t)y, bcd(ymd, 8),
						       bcd(ymd, 0)) * 86400 +
			     bcd(hms, 56) * 3600 + bcd(hms, 48) * 60 +
			     bcd(hms, 40);
	}
}

/* Seconds since 1970 by the platform clock. */
static int64_t host_seconds(uint32_t *ns)
{
	uint64_t ticks = mftb() - boot_tb;
	uint64_t secs = ticks / hv_machine.tb_freq;

	*ns = (uint32_t)((ticks % hv_machine.tb_freq) * 1000000000ull /
			 hv_machine.tb_freq);
	return (int64_t)(boot_epoch + secs);
}

/* Seconds since 1970 as the partition sees them (may be negative). */
static int64_t now_seconds(const struct lpar *l, uint32_t *ns)
{
	return host_seconds(ns) + rtas_tod_offset(l);
}

/*
 * The last day converted to a date, for every partition: days since 1970
 * in the top 32 bits, then year (23 bits), month (4), day (5); month 0:
 * none yet.  One doubleword, so read and written whole without a lock
 * (partitions with other clock offsets simply replace it).
 */
static uint64_t date_cache;

static void date_of_days(int64_t days, struct rtas_time *t)
{
	uint64_t c = __atomic_load_n(&date_cache, __ATOMIC_RELAXED);

	if ((c >> 5 & 0xf) && (int64_t)(int32_t)(uint32_t)(c >> 32) == days) {
		t->year = (uint32_t)(c >> 9 & 0x7fffff);
		t->month = (uint32_t)(c >> 5 & 0xf);
		t->day = (uint32_t)(c & 0x1f);
		return;
	}
	civil_from_days(days, &t->year, &t->month, &t->day);
	if (days == (int32_t)days && t->year < (1u << 23)) {
		__atomic_store_n(&date_cache,
				 (uint64_t)(uint32_t)days << 32 |
					 (uint64_t)t->year << 9 |
					 t->month << 5 | t->day,
				 __ATOMIC_RELAXED);
	}
}

void rtas_partition_time(const struct lpar *l, struct rtas_time *t)
{
	int64_t s, days, sod;

	s = now_seconds(l, &t->ns);
	days = s / 86400;
	sod = s % 86400;
	if (sod < 0) { /* floor division for dates before 1970 */
		sod += 86400;
		days--;
	}
	date_of_days(days, t);
	t->hour = (uint32_t)(sod / 3600);
	t->minute = (uint32_t)(sod % 3600 / 60);
	t->second = (uint32_t)(sod % 60);
}

static void rtas_get_time_of_day(struct rtas_call *c)
{
	struct rtas_time t;

	rtas_partition_time(c->vc->lpar, &t);
	c->rets[1] = t.year;
	c->rets[2] = t.month;
	c->rets[3] = t.day;
	c->rets[4] = t.hour;
	c->rets[5] = t.minute;
	c->rets[6] = t.second;
	c->rets[7] = t.ns;
	rtas_status(c, RTAS_OUT_SUCCESS);
}
RTAS_SERVICE(RTAS_GET_TIME_OF_DAY, "get-time-of-day", rtas_get_time_of_day, 0,
	     8, HCALL_INTC_ANY,
	     "done (answered in the partition by its RTAS code, slof/rtas.S, "
	     "with the same cells; here for other callers, on the hcall "
	     "fast path)");
_Static_assert(RTAS_FAST_TOD_CELLS == 8,
	       "the fast path answers get-time-of-day as its row says");

bool rtas_fast_takes(const be32 hdr[3])
{
	return be32_to_cpu(hdr[0]) == RTAS_GET_TIME_OF_DAY &&
	       be32_to_cpu(hdr[1]) == 0 &&
	       be32_to_cpu(hdr[2]) == RTAS_FAST_TOD_CELLS;
}

void rtas_tod_cells(const struct rtas_time *t, be32 out[RTAS_FAST_TOD_CELLS])
{
	out[0] = cpu_to_be32((uint32_t)RTAS_OUT_SUCCESS);
	out[1] = cpu_to_be32(t->year);
	out[2] = cpu_to_be32(t->month);
	out[3] = cpu_to_be32(t->day);
	out[4] = cpu_to_be32(t->hour);
	out[5] = cpu_to_be32(t->minute);
	out[6] = cpu_to_be32(t->second);
	out[7] = cpu_to_be32(t->ns);
}

/*
 * The same answer as h_rtas() gives get-time-of-day, with one check of
 * the whole buffer and three loads of the header into hypervisor memory
 * (rather than a copy of 76 bytes through memcpy and a touch of the
 * memory that may clear it).  Any other call, an unaligned buffer, one
 * not lying whole in the partition or not yet cleared goes the full way,
 * which answers it as before.
 */
bool rtas_fast_tod(struct vcpu *vc, uint64_t arg)
{
	const struct gmem *m = &vc->lpar->mem;
	/* Real address: the top 4 bits are ignored, as in h_rtas(). */
	uint64_t addr = arg & 0x0fffffffffffffffull;
	volatile be32 *p;
	be32 hdr[3], out[RTAS_FAST_TOD_CELLS];
	struct rtas_time t;

	if ((addr & 3) || !gmem_owns(m, addr, RTAS_FAST_TOD_BYTES) ||
	    !gmem_clean(m, addr, RTAS_FAST_TOD_BYTES)) {
		return false;
	}
	p = gmem_ptr(m, addr);
	hdr[0] = p[0]; /* read once: the guest may rewrite it meanwhile */
	hdr[1] = p[1];
	hdr[2] = p[2];
	if (!rtas_fast_takes(hdr)) {
		return false;
	}
	rtas_partition_time(vc->lpar, &t);
	rtas_tod_cells(&t, out);
	for (uint32_t i = 0; i < RTAS_FAST_TOD_CELLS; i++) {
		p[3 + i] = out[i];
	}
	return true;
}

/* --- the clock of the partition's own RTAS code (slof/rtas.S) --------- */

void rtas_code_clock(const struct lpar *l, int64_t offset,
		     be64 out[RTAS_CODE_CLOCK_WORDS])
{
	uint64_t limit = MIN(l->mem.size, 1ull << 32);

	out[LAYOUT_RTAS_CLOCK_TB / 8] = cpu_to_be64(boot_tb);
	out[LAYOUT_RTAS_CLOCK_FREQ / 8] = cpu_to_be64(hv_machine.tb_freq);
	out[LAYOUT_RTAS_CLOCK_SECS / 8] =
		cpu_to_be64(boot_epoch + (uint64_t)offset);
	out[LAYOUT_RTAS_CLOCK_LIMIT / 8] = cpu_to_be64(limit);
}
_Static_assert(RTAS_CODE_CLOCK_WORDS * 8 == LAYOUT_RTAS_CLOCK_SIZE,
	       "the clock is four doublewords");

/*
 * The code was written at `base` (owned, the tree's rtas-size): its clock
 * follows.  At an unaligned base the clock could not be rewritten in one
 * store the code's loads see whole, so it gets no frequency there and
 * the code hands every call to the hypervisor.
 */
static void clock_placed(struct lpar *l, uint64_t base)
{
	struct rtas_clock *k = clock_of(l);
	uint64_t at = base + LAYOUT_RTAS_CLOCK_OFFSET;
	be64 w[RTAS_CODE_CLOCK_WORDS];

	spin_lock(&k->lock);
	rtas_code_clock(l, k->tod_offset, w);
	if (at & 7) {
		w[LAYOUT_RTAS_CLOCK_FREQ / 8] = 0;
	}
	k->placed = gmem_write(&l->mem, at, w, sizeof(w)) && !(at & 7);
	k->code_clock = at;
	spin_unlock(&k->lock);
}

/* set-time-of-day moved the clock: the code's seconds follow (lock held). */
static void clock_moved(struct lpar *l, struct rtas_clock *k)
{
	uint64_t at = k->code_clock + LAYOUT_RTAS_CLOCK_SECS;

	if (!k->placed || !gmem_owns(&l->mem, at, 8)) {
		return;
	}
	gmem_touch(&l->mem, at, 8);
	/* One aligned store: the code's `ld` sees the old or the new. */
	__atomic_store_n((uint64_t *)gmem_ptr(&l->mem, at),
			 cpu_to_be64(boot_epoch + (uint64_t)k->tod_offset),
			 __ATOMIC_RELAXED);
}

static void rtas_set_time_of_day(struct rtas_call *c)
{
	struct rtas_clock *k = clock_of(c->vc->lpar);
	uint32_t ns;
	int64_t want;

	if (c->args[1] < 1 || c->args[1] > 12 || c->args[2] < 1 ||
	    c->args[2] > 31 || c->args[3] > 23 || c->args[4] > 59 ||
	    c->args[5] > 59) {
		rtas_status(c, RTAS_OUT_PARAM_ERROR);
		return;
	}
	want = days_from_civil(c->args[0], c->args[1], c->args[2]) * 86400 +
	       c->args[3] * 3600 + c->args[4] * 60 + c->args[5];
	spin_lock(&k->lock);
	__atomic_store_n(&k->tod_offset, want - host_seconds(&ns),
			 __ATOMIC_RELAXED);
	clock_moved(c->vc->lpar, k);
	spin_unlock(&k->lock);
	rtas_status(c, RTAS_OUT_SUCCESS);
}
RTAS_SERVICE(RTAS_SET_TIME_OF_DAY, "set-time-of-day", rtas_set_time_of_day, 7,
	     1, HCALL_INTC_ANY,
	     "done (per-partition offset; rewrites the RTAS code's clock)");

static void rtas_power_off(struct rtas_call *c)
{
	rtas_status(c, RTAS_OUT_SUCCESS);
	lpar_request_stop(c->vc->lpar, STOP_POWER_OFF);
}
RTAS_SERVICE(RTAS_POWER_OFF, "power-off", rtas_power_off, 2, 1, HCALL_INTC_ANY,
	     "done (stops this partition)");

static void rtas_system_reboot(struct rtas_call *c)
{
	rtas_status(c, RTAS_OUT_SUCCESS);
	lpar_request_stop(c->vc->lpar, STOP_REBOOT);
}
RTAS_SERVICE(RTAS_SYSTEM_REBOOT, "system-reboot", rtas_system_reboot, 0, 1,
	     HCALL_INTC_ANY, "done (restarts this partition)");

static void rtas_query_cpu_stopped_state(struct rtas_call *c)
{
	struct vcpu *t;

	t = lpar_vcpu(c->vc->lpar, c->args[0]);
	if (!t) {
		rtas_status(c, RTAS_OUT_PARAM_ERROR);
		return;
	}
	c->rets[1] = vcpu_is_stopped(t) ? RTAS_CPU_STOPPED : RTAS_CPU_RUNNING;
	rtas_status(c, RTAS_OUT_SUCCESS);
}
RTAS_SERVICE(RTAS_QUERY_CPU_STOPPED_STATE, "query-cpu-stopped-state",
	     rtas_query_cpu_stopped_state, 1, 2, HCALL_INTC_ANY, "done");

static void rtas_start_cpu(struct rtas_call *c)
{
	struct vcpu_entry e = {
		/* QEMU rtas_start_cpu: 64-bit, big-endian, real mode, ME set. */
		.msr = MSR_SF | MSR_ME,
	};
	struct vcpu *t;

	t = lpar_vcpu(c->vc->lpar, c->args[0]);
	if (!t) {
		rtas_status(c, RTAS_OUT_PARAM_ERROR);
		return;
	}
	e.pc = c->args[1];
	e.r3 = c->args[2];
	/* Refused unless STOPPED (also while it is still leaving after stop-self). */
	rtas_status(c, vcpu_start(t, &e) ? RTAS_OUT_SUCCESS : RTAS_OUT_HW_ERROR);
}
RTAS_SERVICE(RTAS_START_CPU, "start-cpu", rtas_start_cpu, 3, 1, HCALL_INTC_ANY,
	     "done");

/* Linux passes nret 1; QEMU checks neither count.  No arguments. */
static void rtas_stop_self(struct rtas_call *c)
{
	vcpu_stop_self(c->vc); /* guest_exit() takes it out */
}
RTAS_SERVICE(RTAS_STOP_SELF, "stop-self", rtas_stop_self, 0, RTAS_ANY,
	     HCALL_INTC_ANY, "done");

/*
 * The OS has terminated (Linux calls it from panic()): the call returns,
 * as /rtas/ibm,extended-os-term promises, and the partition's crash
 * policy applies at once, as QEMU's default panic action does.  Linux
 * (6.1, pseries_panic()) has stored its oops record in NVRAM by then:
 * panic_flush_kmsg_end() runs kmsg_dump() just before this call
 * (p9-linux-flash-nvram reads the record back after a power-off).
 */
static void rtas_os_term(struct rtas_call *c)
{
	struct lpar *l = c->vc->lpar;
	char msg[120];

	memset(msg, 0, sizeof(msg));
	if (!gmem_read(&l->mem, c->args[0], msg, sizeof(msg) - 1)) {
		msg[0] = '\0';
	}
	for (size_t i = 0; msg[i]; i++) {
		if (msg[i] < ' ' || msg[i] > '~') {
			msg[i] = '?'; /* the guest's text, not ours to interpret */
		}
	}
	hv_printf("lparvisor: partition \"%s\" terminated (ibm,os-term): "
		  "%s\n", l->cfg.name, msg);
	rtas_status(c, RTAS_OUT_SUCCESS);
	lpar_request_stop(l, STOP_CRASH);
}
RTAS_SERVICE(RTAS_IBM_OS_TERM, "ibm,os-term", rtas_os_term, 1, 1, HCALL_INTC_ANY,
	     "done");

static void rtas_event_scan(struct rtas_call *c)
{
	rtas_status(c, RTAS_OUT_NO_ERRORS_FOUND);
}
RTAS_SERVICE(RTAS_EVENT_SCAN, "event-scan", rtas_event_scan, 4, 1, HCALL_INTC_ANY,
	     "done: no events (as QEMU 7.2: they come by check-exception)");


/* Parameter 20, SPLPAR characteristics, as QEMU formats it. */
static void rtas_get_system_parameter(struct rtas_call *c)
{
	struct lpar *l = c->vc->lpar;
	char text[128];
	uint8_t buf[130];
	size_t n;

	if (c->args[0] != 20) {
		rtas_status(c, RTAS_OUT_NOT_SUPPORTED);
		return;
	}
	n = hv_snprintf(text, sizeof(text),
			"MaxEntCap=%u,DesMem=%llu,DesProcs=%u,MaxPlatProcs=%u",
			l->vcpu_count * 100,
			(unsigned long long)(l->mem.size >> 20), l->vcpu_count,
			machine_thread_count(&hv_machine));
	if (n >= sizeof(text)) {
		n = sizeof(text) - 1;
	}
	/* be16 length, then as much of the string as fits (as QEMU). */
	if (c->args[2] < 2) {
		rtas_status(c, RTAS_OUT_SYSPARM_PARAM_ERROR);
		return;
	}
	buf[0] = (uint8_t)((n + 1) >> 8);
	buf[1] = (uint8_t)(n + 1);
	memcpy(buf + 2, text, n + 1);
	if (!gmem_write(&l->mem, c->args[1], buf,
			MIN((uint64_t)c->args[2], n + 3))) {
		rtas_status(c, RTAS_OUT_PARAM_ERROR);
		return;
	}
	rtas_status(c, RTAS_OUT_SUCCESS);
}
RTAS_SERVICE(RTAS_IBM_GET_SYSTEM_PARAMETER, "ibm,get-system-parameter",
	     rtas_get_system_parameter, 3, 1, HCALL_INTC_ANY,
	     "partial: parameter 20 only");

/* The parameters QEMU knows are read-only; the rest are unknown. */
static void rtas_set_system_parameter(struct rtas_call *c)
{
	if (c->args[0] == 20 || c->args[0] == 42 || c->args[0] == 48) {
		rtas_status(c, RTAS_OUT_NOT_AUTHORIZED);
	} else {
		rtas_status(c, RTAS_OUT_NOT_SUPPORTED);
	}
}
RTAS_SERVICE(RTAS_IBM_SET_SYSTEM_PARAMETER, "ibm,set-system-parameter",
	     rtas_set_system_parameter, 2, 1, HCALL_INTC_ANY,
	     "done (every parameter read-only)");

static void rtas_not_supported(struct rtas_call *c)
{
	if (c->nret) {
		rtas_status(c, RTAS_OUT_NOT_SUPPORTED);
	}
}
RTAS_SERVICE(RTAS_SET_INDICATOR, "set-indicator", rtas_not_supported, RTAS_ANY,
	     RTAS_ANY, HCALL_INTC_ANY,
	     "not supported (-3, as QEMU for non-DR indicators)");
RTAS_SERVICE(RTAS_GET_SENSOR_STATE, "get-sensor-state", rtas_not_supported,
	     RTAS_ANY, RTAS_ANY, HCALL_INTC_ANY,
	     "not supported (-3, as QEMU for non-DR sensors)");


/* --- the table and the dispatcher ----------------------------------------- */

extern const struct rtas_service __start_rtas_rows[];
extern const struct rtas_service __stop_rtas_rows[];

struct rtas_service rtas_services[RTAS_TABLE_MAX];
uint32_t rtas_service_count;

/*
 * rtas_services' index + 1 (0: none) of every token, minus
 * RTAS_TOKEN_BASE (RTAS_SERVICE() keeps tokens below BASE + 0x100).
 */
#define RTAS_TOKEN_SLOTS 0x100u
static uint8_t slot_of_token[RTAS_TOKEN_SLOTS];
_Static_assert(RTAS_TABLE_MAX < 255, "slots fit a byte, with 0 for none");

_Static_assert(sizeof(struct rtas_service) % 8 == 0,
	       "rows are 8-aligned in rtas_rows: no padding between them");

enum rtas_build_result rtas_table_build(const struct rtas_service *rows,
					size_t n, struct rtas_service *out,
					uint32_t max, uint32_t *count,
					const struct rtas_service **dup_a,
					const struct rtas_service **dup_b)
{
	const struct rtas_service *from[RTAS_TABLE_MAX];
	uint32_t len = 0;

	*count = 0;
	if (n > max || max > RTAS_TABLE_MAX) {
		return RTAS_BUILD_TOO_MANY;
	}
	for (size_t i = 0; i < n; i++) {
		const struct rtas_service *r = &rows[i];
		uint32_t at = len;

		if (!r->fn || !r->name || !r->fn_name || !r->status) {
			*dup_a = r;
			return RTAS_BUILD_BAD_ROW;
		}
		/* A name is a property of /rtas: it must be unique too. */
		for (uint32_t k = 0; k < len; k++) {
			if (out[k].token == r->token ||
			    !strcmp(out[k].name, r->name)) {
				*dup_a = from[k];
				*dup_b = r;
				return RTAS_BUILD_DUPLICATE;
			}
		}
		while (at > 0 && out[at - 1].token > r->token) {
			at--;
		}
		memmove(&out[at + 1], &out[at], (len - at) * sizeof(out[0]));
		memmove(&from[at + 1], &from[at], (len - at) * sizeof(from[0]));
		out[at] = *r;
		from[at] = r;
		len++;
	}
	*count = len;
	return RTAS_BUILD_OK;
}

void rtas_init(void)
{
	const struct rtas_service *a = NULL, *b = NULL;
	size_t n = (size_t)(__stop_rtas_rows - __start_rtas_rows);

	switch (rtas_table_build(__start_rtas_rows, n, rtas_services,
				 RTAS_TABLE_MAX, &rtas_service_count, &a, &b)) {
	case RTAS_BUILD_OK:
		for (uint32_t i = 0; i < rtas_service_count; i++) {
			dt_tokens[i].name = rtas_services[i].name;
			dt_tokens[i].token = rtas_services[i].token;
			slot_of_token[rtas_services[i].token -
				      RTAS_TOKEN_BASE] = (uint8_t)(i + 1);
		}
		return;
	case RTAS_BUILD_DUPLICATE:
		panic("RTAS service registered twice: 0x%x \"%s\" by %s (%s) "
		      "and 0x%x \"%s\" by %s (%s)", a->token, a->name,
		      a->fn_name, a->file, b->token, b->name, b->fn_name,
		      b->file);
	case RTAS_BUILD_BAD_ROW:
		panic("RTAS row 0x%x in %s: no handler, name or status",
		      a->token, a->file);
	default:
		panic("%zu RTAS rows: the table holds %u (RTAS_TABLE_MAX)", n,
		      RTAS_TABLE_MAX);
	}
}

static const struct rtas_service *find(uint32_t token)
{
	uint32_t i;

	/* One load, as hcall_lookup(): no search on the hot path. */
	if (token - RTAS_TOKEN_BASE >= RTAS_TOKEN_SLOTS) {
		return NULL;
	}
	i = slot_of_token[token - RTAS_TOKEN_BASE];
	return i ? &rtas_services[i - 1] : NULL;
}

/*
 * Whether the service runs: QEMU 7.2 wants the exact counts, and offers
 * the XICS services to XICS partitions only; otherwise status -3 and no
 * action.
 */
static bool may_run(const struct rtas_service *s, const struct rtas_call *c)
{
	if ((s->nargs != RTAS_ANY && c->nargs != s->nargs) ||
	    (s->nret != RTAS_ANY && c->nret != s->nret)) {
		return false;
	}
	return !s->intc || s->intc == c->vc->lpar->cfg.intc + 1;
}

/* KVMPPC_H_RTAS: r4 = guest real address of the argument buffer. */
static int64_t h_rtas(struct vcpu *vc, struct hcall_args *a)
{
	struct lpar *l = vc->lpar;
	/* Real address: the top 4 bits are ignored, as in QEMU. */
	uint64_t addr = a->arg[0] & 0x0fffffffffffffffull;
	struct rtas_call c = { .vc = vc };
	const struct rtas_service *s;
	/* The header and every cell the call may name, in one copy. */
	struct {
		be32 hdr[3];
		be32 cells[RTAS_MAX_CELLS];
	} __attribute__((aligned(8))) buf;
	be32 *const cells = buf.cells;
	bool whole = gmem_read(&l->mem, addr, &buf, sizeof(buf));
	uint32_t token;

	/* A buffer near the end of its memory: the header, then its cells. */
	if (!whole && !gmem_read(&l->mem, addr, buf.hdr, sizeof(buf.hdr))) {
		return H_PARAMETER;
	}
	token = be32_to_cpu(buf.hdr[0]);
	c.nargs = be32_to_cpu(buf.hdr[1]);
	c.nret = be32_to_cpu(buf.hdr[2]);
	if (c.nargs > RTAS_MAX_CELLS || c.nret > RTAS_MAX_CELLS ||
	    c.nargs + c.nret > RTAS_MAX_CELLS ||
	    (!whole && !gmem_read(&l->mem, addr + 12, cells,
				  4 * (c.nargs + c.nret)))) {
		return H_PARAMETER;
	}
	for (uint32_t i = 0; i < c.nargs; i++) {
		c.args[i] = be32_to_cpu(cells[i]);
	}
	s = find(token);
	if (!s) {
		/* Unknown token: status -3 in rets[0] and H_PARAMETER (QEMU). */
		if (c.nret) {
			cells[0] = cpu_to_be32((uint32_t)RTAS_OUT_PARAM_ERROR);
			gmem_write(&l->mem, addr + 12 + 4 * c.nargs, cells, 4);
		}
		return H_PARAMETER;
	}
	c.token = token;
	if (may_run(s, &c)) {
		s->fn(&c);
	} else if (c.nret) {
		rtas_status(&c, RTAS_OUT_PARAM_ERROR);
	}
	for (uint32_t j = 0; j < c.nret; j++) {
		cells[j] = cpu_to_be32(c.rets[j]);
	}
	gmem_write(&l->mem, addr + 12 + 4 * c.nargs, cells, 4 * c.nret);
	return H_SUCCESS;
}
HCALL(KVMPPC_H_RTAS, h_rtas, 0, HCALL_NO_SET, HCALL_INTC_ANY,
      "done (see the RTAS table)");
