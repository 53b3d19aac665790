/*
 * H_WATCHDOG: per-partition watchdog timers (PAPR; QEMU's
 * hw/watchdog/spapr_watchdog.c, which Linux's pseries-wdt driver uses).
 */
#ifndef HV_WATCHDOG_H
#define HV_WATCHDOG_H

#include "hv/hcall.h"
#include "hv/lpar.h"

/** The hcall: start, stop, query capabilities, query LPM requirement. */
int64_t h_watchdog(struct vcpu *vc, struct hcall_args *a);

/** Fire the expired watchdogs of `l` (housekeeping; takes l->lock). */
void watchdog_poll(struct lpar *l);

/** Stop every watchdog of `l` (partition reboot or stop). */
void watchdog_reset(struct lpar *l);

#endif /* HV_WATCHDOG_H */
