/*
 * RTAS events of a partition: the power-off (EPOW) event that asks the
 * guest for an orderly shutdown, as QEMU 7.2's hw/ppc/spapr_events.c
 * raises it for `system_powerdown`: a version 6 event log (Main-A,
 * Main-B and EPOW sections: "system shutdown", "normal"), the event-source
 * interrupt of /event-sources/epow-events pulsed, and the log handed out
 * by RTAS check-exception to a caller whose mask has the EPOW class.
 * Linux's pseries ras.c answers it with orderly_poweroff().  The unit's
 * shutdown hook is what the service console's `stop` calls.
 */
#include "hv/console.h"
#include "hv/guest_dt.h"
#include "hv/lib/format.h"
#include "hv/lib/string.h"
#include "hv/lpar.h"
#include "hv/unit.h"
#include "intc/intc.h"
#include "mm/gmem.h"
#include "rtas/rtas.h"

/* check-exception's event mask: the EPOW class (PAPR; Linux RTAS_EPOW_WARNING). */
#define EVENT_MASK_EPOW 0x40000000u

/* The log, big-endian, PAPR's version 6 layout (LoPAR "RTAS Error/Event Log"). */
#define LOG_HDR 8       /* summary word, extended length */
#define LOG_V6 16       /* version 6 extended header */
#define LOG_MAINA 48    /* "PH" private header */
#define LOG_MAINB 24    /* "UH" user header */
#define LOG_EPOW 20     /* "EP" EPOW section */
#define EPOW_LOG_SIZE (LOG_HDR + LOG_V6 + LOG_MAINA + LOG_MAINB + LOG_EPOW)
_Static_assert(EPOW_LOG_SIZE == 116, "QEMU 7.2's struct epow_extended_log");

/* Summary word: version 6, event, not recovered, extended log, EPOW. */
#define SUMMARY_EPOW 0x06340040u
#define V6_B0 0x86      /* valid, new log, big-endian */
#define V6_B2 0x8e      /* PowerPC format, platform event log */
#define COMPANY_IBM 0x49424d00u
#define EPOW_ACTION_SYSTEM_SHUTDOWN 3
#define EPOW_MODIFIER_NORMAL 1
#define EPOW_XMODIFIER_PARTITION 1

struct rtas_events {
	struct spinlock lock;   /* a leaf: the fields below */
	bool epow_pending;
	uint32_t plid;          /* platform log ids handed out */
	uint64_t epow_sent, epow_fetched;
};

static uint32_t events_slot;

static struct rtas_events *events_of(const struct lpar *l)
{
	return lpar_unit_state(l, events_slot);
}

/* A section header: id, length, version, subtype, creator. */
static uint8_t *section(uint8_t *p, const char id[2], uint16_t len,
			uint8_t version)
{
	p[0] = (uint8_t)id[0];
	p[1] = (uint8_t)id[1];
	put_be16(p + 2, len);
	p[4] = version;
	return p;
}

static uint32_t to_bcd(uint32_t v)
{
	return (v / 10 % 10) << 4 | v % 10;
}

/*
 * The EPOW log as QEMU 7.2 builds it, dated by the partition's own clock
 * (BCD: YYYYMMDD and HHMMSS00, as QEMU's from its rtc_offset); checked
 * byte for byte against QEMU by tests/guest/epow.c.
 */
static void build_epow_log(uint8_t *b, uint32_t plid,
			   const struct rtas_time *t)
{
	uint8_t *p;

	memset(b, 0, EPOW_LOG_SIZE);
	put_be32(b, SUMMARY_EPOW);
	put_be32(b + 4, EPOW_LOG_SIZE - LOG_HDR);
	p = b + LOG_HDR;
	p[0] = V6_B0;
	p[2] = V6_B2;
	put_be32(p + 12, COMPANY_IBM);
	p = section(p + LOG_V6, "PH", LOG_MAINA, 0);
	put_be32(p + 8, to_bcd(t->year / 100) << 24 | to_bcd(t->year % 100) << 16 |
		     to_bcd(t->month) << 8 | to_bcd(t->day));
	put_be32(p + 12, to_bcd(t->hour) << 24 | to_bcd(t->minute) << 16 |
		      to_bcd(t->second) << 8);
	p[24] = 'H';             /* creator: the hypervisor */
	p[27] = 3;               /* sections: Main-A, Main-B, EPOW */
	put_be32(p + 40, plid);
	p = section(p + LOG_MAINA, "UH", LOG_MAINB, 0);
	p[8] = 0xa0;             /* subsystem: external environment */
	p[10] = 0x00;            /* severity: informational */
	p[11] = 0xd0;            /* subtype: normal shutdown */
	p = section(p + LOG_MAINB, "EP", LOG_EPOW, 2);
	p[8] = EPOW_ACTION_SYSTEM_SHUTDOWN;
	p[9] = EPOW_MODIFIER_NORMAL;
	p[10] = EPOW_XMODIFIER_PARTITION;
}

/*
 * check-exception(vector, info, mask, critical, buffer, length[, info
 * high]) with one return.  As QEMU 7.2: 6 or 7 arguments and 1 return,
 * else -3; the EPOW log goes out (cut to `length`, consumed) when the mask
 * has the EPOW class and one is pending: 0; else 1, no errors found.  A
 * buffer that is not all the caller's memory gets -3 and the event stays
 * (QEMU would write wherever it points).
 */
static void rtas_check_exception(struct rtas_call *c)
{
	struct lpar *l = c->vc->lpar;
	struct rtas_events *ev = events_of(l);
	uint32_t mask = c->args[2], buf = c->args[4], len = c->args[5];
	uint8_t log[EPOW_LOG_SIZE];
	struct rtas_time t;
	bool pending;
	uint32_t plid;

	if ((c->nargs != 6 && c->nargs != 7) || c->nret != 1) {
		rtas_status(c, RTAS_OUT_PARAM_ERROR);
		return;
	}
	spin_lock(&ev->lock);
	pending = (mask & EVENT_MASK_EPOW) && ev->epow_pending;
	plid = ev->plid;
	spin_unlock(&ev->lock);
	if (!pending) {
		rtas_status(c, RTAS_OUT_NO_ERRORS_FOUND);
		return;
	}
	len = MIN(len, (uint32_t)EPOW_LOG_SIZE);
	rtas_partition_time(l, &t);
	build_epow_log(log, plid, &t);
	if (len && !gmem_write(&l->mem, buf, log, len)) {
		rtas_status(c, RTAS_OUT_PARAM_ERROR);
		return;
	}
	spin_lock(&ev->lock);
	ev->epow_pending = false;
	ev->epow_fetched++;
	ev->plid++; /* log ids from 0, one per event, as QEMU's next_plid */
	spin_unlock(&ev->lock);
	rtas_status(c, RTAS_OUT_SUCCESS);
}
RTAS_SERVICE(RTAS_CHECK_EXCEPTION, "check-exception", rtas_check_exception,
	     RTAS_ANY, RTAS_ANY, HCALL_INTC_ANY,
	     "done: the EPOW power-off event");

/* The service console's `stop`: queue the event, pulse its interrupt. */
static bool events_shutdown(struct lpar *l)
{
	struct rtas_events *ev = events_of(l);

	spin_lock(&ev->lock);
	/* A second request replaces the first; its log id is the next. */
	if (ev->epow_pending) {
		ev->plid++;
	}
	ev->epow_pending = true;
	ev->epow_sent++;
	spin_unlock(&ev->lock);
	intc_pulse(l, GUEST_DT_IRQ_EPOW); /* as QEMU's spapr_powerdown_req */
	return true;
}

static bool events_create(struct lpar *l)
{
	if (!intc_claim_device_irq(l, GUEST_DT_IRQ_EPOW)) {
		hv_printf("lparvisor: partition \"%s\": no EPOW interrupt "
			  "source; not started\n", l->cfg.name);
		return false;
	}
	return true;
}

/* Every boot starts with no event pending. */
static void events_reset(struct lpar *l)
{
	struct rtas_events *ev = events_of(l);

	spin_lock(&ev->lock);
	ev->epow_pending = false;
	spin_unlock(&ev->lock);
}

static void events_guest_dt(const struct lpar *l, struct guest_dt_params *p)
{
	(void)l;
	p->event_sources = true;
}

static size_t events_describe(const struct lpar *l, char *buf, size_t size)
{
	struct rtas_events *ev = events_of(l);
	uint64_t sent, fetched;

	spin_lock(&ev->lock);
	sent = ev->epow_sent;
	fetched = ev->epow_fetched;
	spin_unlock(&ev->lock);
	if (!sent) {
		return 0;
	}
	return hv_snprintf(buf, size, "power-off events sent %llu, fetched "
			   "by check-exception %llu",
			   (unsigned long long)sent,
			   (unsigned long long)fetched);
}

LPAR_UNIT(rtas_events, .order = UNIT_ORDER_RTAS_EVENTS, .slot = &events_slot,
	  .state_size = sizeof(struct rtas_events), .create = events_create,
	  .reset = events_reset, .guest_dt = events_guest_dt,
	  .shutdown = events_shutdown, .describe = events_describe);
