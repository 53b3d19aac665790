/*
 * The power-off (EPOW) event as a pSeries guest fetches it: waits for the
 * event (lparvisor's service console `stop`, QEMU's `system_powerdown`),
 * then checks RTAS check-exception's answers and the event log's bytes
 * against QEMU 7.2's hw/ppc/spapr_events.c, and powers off as an OS
 * would.  The tree's /event-sources/epow-events names the interrupt.
 *
 * Under lparvisor the wait polls with a buffer outside the partition's
 * memory, which answers -3 only once an event is pending and so consumes
 * nothing; the hostile calls (wrong counts, other masks, buffers outside
 * or across the end of memory) then must leave the event in place.  QEMU
 * writes any buffer unchecked, so there the wait polls with a good one.
 */
#include "hv/abi/rtas.h"
#include "hv/lib/format.h"
#include "hv/lib/string.h"
#include "tests/guest/lib/console.h"
#include "tests/guest/lib/dt.h"
#include "tests/guest/lib/guest.h"
#include "tests/guest/lib/report.h"
#include "tests/guest/lib/rtas.h"
#include "tests/guest/lib/timebase.h"

const char test_name[] = "epow";

#define EPOW_MASK 0x40000000u
#define HOTPLUG_MASK 0x10000000u
#define LOG_SIZE 116
#define WAIT_MS 20000
#define CANARY 0xa5

static uint8_t log_buf[256] __attribute__((aligned(16)));
static int check;

static int check_exception(uint32_t mask, uint32_t buf, uint32_t len)
{
	return rtas_call(check, 6, 1, NULL, 0x500, 0x1000, mask, 0, buf, len);
}

static uint32_t be32_at(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static void test_tree(void)
{
	int node = dt_path("/event-sources/epow-events");
	const uint32_t *irq;
	int len = 0;

	irq = node >= 0 ? dt_prop(node, "interrupts", &len) : NULL;
	report(irq && len == 8 && be32_at((const uint8_t *)irq) == 0x1000,
	       "/event-sources/epow-events interrupts <0x1000 ...>");
	report(dt_path("/event-sources") >= 0 &&
	       dt_prop(dt_path("/event-sources"), "interrupt-controller",
		       &len) != NULL,
	       "/event-sources is an interrupt controller");
}

/* Poll until an event is pending; false after WAIT_MS. */
static bool wait_for_event(bool hostile, uint32_t top)
{
	uint32_t good = (uint32_t)(uintptr_t)log_buf;
	int rc = RTAS_OUT_NO_ERRORS_FOUND;

	printf("epow: waiting for the power-off event\n");
	WAIT_FOR((rc = hostile ? check_exception(EPOW_MASK, top, LOG_SIZE) :
			       check_exception(EPOW_MASK, good,
					       sizeof(log_buf))) !=
			 RTAS_OUT_NO_ERRORS_FOUND,
		 WAIT_MS);
	return report_rtas(rc, hostile ? RTAS_OUT_PARAM_ERROR :
					 RTAS_OUT_SUCCESS,
			   "check-exception: a power-off event arrived");
}

/* lparvisor: calls that must answer without taking the event. */
static void test_hostile(uint32_t top)
{
	uint32_t good = (uint32_t)(uintptr_t)log_buf;

	report_rtas(rtas_call(check, 5, 1, NULL, 0x500, 0, EPOW_MASK, 0, good),
		    RTAS_OUT_PARAM_ERROR, "check-exception nargs 5");
	report_rtas(rtas_call(check, 8, 1, NULL, 0x500, 0, EPOW_MASK, 0, good,
			      LOG_SIZE, 0, 0),
		    RTAS_OUT_PARAM_ERROR, "check-exception nargs 8");
	report_rtas(check_exception(HOTPLUG_MASK, good, sizeof(log_buf)),
		    RTAS_OUT_NO_ERRORS_FOUND,
		    "check-exception without the EPOW class in the mask");
	report_rtas(check_exception(EPOW_MASK, top - 4, LOG_SIZE),
		    RTAS_OUT_PARAM_ERROR,
		    "check-exception buffer across the end of memory");
	report_rtas(check_exception(EPOW_MASK, 0xfffffff0u, LOG_SIZE),
		    RTAS_OUT_PARAM_ERROR,
		    "check-exception buffer at 0xfffffff0");
	report_rtas(check_exception(EPOW_MASK, 0xffffffffu, 1),
		    RTAS_OUT_PARAM_ERROR,
		    "check-exception one byte at 0xffffffff");
	report(log_buf[0] == CANARY, "the buffer untouched so far");
	report_rtas(check_exception(EPOW_MASK, good, sizeof(log_buf)),
		    RTAS_OUT_SUCCESS, "check-exception still has the event");
}

/* The log as QEMU 7.2 writes it (its date, time and plid not compared). */
static void test_log(void)
{
	const uint8_t *b = log_buf;

	for (int i = 0; i < LOG_SIZE; i += 16) {
		printf("epow: log %3d:", i);
		for (int j = i; j < i + 16 && j < LOG_SIZE; j++) {
			printf(" %02x", b[j]);
		}
		printf("\n");
	}

	report(be32_at(b) == 0x06340040u,
	       "log summary 0x%x: version 6, event, EPOW", be32_at(b));
	report(be32_at(b + 4) == LOG_SIZE - 8, "extended length %u",
	       be32_at(b + 4));
	report(b[8] == 0x86 && b[10] == 0x8e && be32_at(b + 20) == 0x49424d00u,
	       "version 6 header: valid, new, big-endian, IBM");
	report(b[24] == 'P' && b[25] == 'H' && b[27] == 48 && b[24 + 24] == 'H' &&
	       b[24 + 27] == 3,
	       "Main-A: 48 bytes, by the hypervisor, 3 sections (log id %u)",
	       be32_at(b + 24 + 40));
	report(b[32] == 0x20 && b[33] >= 0x26 && b[35] != 0 && b[39] == 0,
	       "Main-A creation date 20%02x-%02x-%02x (BCD), time %02x:%02x:%02x",
	       b[33], b[34], b[35], b[36], b[37], b[38]);
	report(b[72] == 'U' && b[73] == 'H' && b[75] == 24 && b[72 + 8] == 0xa0 &&
	       b[72 + 11] == 0xd0, "Main-B: external environment, normal shutdown");
	report(b[96] == 'E' && b[97] == 'P' && b[99] == 20 && b[100] == 2 &&
	       b[104] == 3 && b[105] == 1 && b[106] == 1,
	       "EPOW section: system shutdown, normal, partition");
	report(b[LOG_SIZE] == CANARY, "nothing written past the log's %d bytes",
	       LOG_SIZE);
	report_rtas(check_exception(EPOW_MASK, (uint32_t)(uintptr_t)log_buf,
				    sizeof(log_buf)),
		    RTAS_OUT_NO_ERRORS_FOUND, "the event is gone once fetched");
}

void test_main(void)
{
	bool hostile = dt_on_lparvisor();
	uint64_t ram = dt_ram_size();
	uint32_t top = ram >= 0x100000000ull ? 0xfffff000u : (uint32_t)ram;

	check = rtas_token("check-exception");
	memset(log_buf, CANARY, sizeof(log_buf));
	report(check > 0, "check-exception token");
	test_tree();
	if (check <= 0 || !wait_for_event(hostile, top)) {
		return;
	}
	if (hostile) {
		test_hostile(top);
	}
	test_log();
}
