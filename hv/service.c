/*
 * Housekeeping, done by whichever thread gets to it first.
 */
#include "hv/lock.h"
#include "hv/lpar.h"
#include "hv/platform.h"
#include "hv/service.h"
#include "hv/watchdog.h"
#include "vio/vty.h"

static struct spinlock service_lock = SPINLOCK_INIT;

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
	n = platform_console_read(buf, sizeof(buf));
	if (n) {
		vty_console_input(buf, n);
	}
	for (uint32_t i = 0; i < lpar_count; i++) {
		struct lpar *l = lpar_table[i];

		if (spin_trylock(&l->lock)) {
			vty_flush_stale(l);
			spin_unlock(&l->lock);
		}
		watchdog_poll(l);
	}
	spin_unlock(&service_lock);
}
