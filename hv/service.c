/*
 * Housekeeping, done by whichever thread gets to it first.
 */
#include "hv/cpu.h"
#include "hv/hv.h"
#include "hv/lock.h"
#include "hv/lpar.h"
#include "hv/platform.h"
#include "hv/service.h"
#include "hv/unit.h"

extern const struct console_input __start_console_input[];
extern const struct console_input __stop_console_input[];

static struct spinlock service_lock = SPINLOCK_INIT;
static uint64_t last_input_tb;

/*
 * Console input is polled at most every few milliseconds: housekeeping
 * runs on every vCPU tick, and an OPAL call per tick buys no latency a
 * typist would notice.
 */
#define INPUT_POLL_MS 5

void service_poll(void)
{
	char buf[32];
	size_t n;

	if (!spin_trylock(&service_lock)) {
		return;
	}
	platform_heartbeat();
	if (!lpar_count) {
		spin_unlock(&service_lock);
		return;
	}
	if (mftb() - last_input_tb >= ms_to_tb(INPUT_POLL_MS)) {
		last_input_tb = mftb();
		n = platform_console_read(buf, sizeof(buf));
		for (const struct console_input *c = __start_console_input;
		     n && c < __stop_console_input; c++) {
			c->fn(buf, n);
		}
	}
	for (uint32_t i = 0; i < lpar_count; i++) {
		lpar_units_poll(lpar_table[i]);
	}
	spin_unlock(&service_lock);
}
