/*
 * H_WATCHDOG: per-partition watchdog timers (PAPR; QEMU's
 * hw/watchdog/spapr_watchdog.c, which Linux's pseries-wdt driver uses).
 * The hcall is registered in hv/watchdog.c.
 */
#ifndef HV_WATCHDOG_H
#define HV_WATCHDOG_H

#include "hv/lock.h"
#include "hv/lpar.h"

#define LPAR_WATCHDOGS 4

struct lpar_wdt {
	bool armed;
	bool leave_others;
	uint8_t action;
	uint64_t expire_tb;
};

/* A partition's watchdogs, the watchdog unit's state; `lock` is a leaf. */
struct watchdog_part {
	struct spinlock lock;
	struct lpar_wdt wdt[LPAR_WATCHDOGS];
};

/** The watchdogs of partition `l`. */
struct watchdog_part *watchdog_of(const struct lpar *l);

/** Fire the expired watchdogs of `l` (housekeeping; takes their lock). */
void watchdog_poll(struct lpar *l);

/** Stop every watchdog of `l` (partition reboot or stop). */
void watchdog_reset(struct lpar *l);

#endif /* HV_WATCHDOG_H */
