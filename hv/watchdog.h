/*
 * H_WATCHDOG: per-partition watchdog timers (PAPR; QEMU's
 * hw/watchdog/spapr_watchdog.c, which Linux's pseries-wdt driver uses).
 * The hcall is registered in hv/watchdog.c.
 */
#ifndef HV_WATCHDOG_H
#define HV_WATCHDOG_H

#include "hv/lpar.h"

/** Fire the expired watchdogs of `l` (housekeeping; takes l->lock). */
void watchdog_poll(struct lpar *l);

/** Stop every watchdog of `l` (partition reboot or stop). */
void watchdog_reset(struct lpar *l);

#endif /* HV_WATCHDOG_H */
