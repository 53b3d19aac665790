/*
 * Partition watchdogs.  Flags, numbers and return codes as PAPR and QEMU
 * (spapr_watchdog.c): flags IBM bits 48-55 the operation, 56-63 the action
 * on expiry, bit 47 "leave other watchdogs running", bits 0-46 reserved;
 * watchdogs are numbered from 1 (QEMU indexes number 0 out of its array;
 * here it is H_P2).  Expiry is checked by housekeeping, so it is noticed
 * within a millisecond or so of the deadline.
 */
#include "hv/cpu.h"
#include "hv/console.h"
#include "hv/hcall.h"
#include "hv/hv.h"
#include "hv/lpar_ops.h"
#include "hv/unit.h"
#include "hv/watchdog.h"

#define WDTF_LEAVE_OTHER (1ull << (63 - 47))
#define WDTF_RESERVED (~0ull << (63 - 46))
#define WDTF_OP(f) (((f) >> 8) & 0xff)
#define WDTF_ACTION(f) ((f) & 0xff)
#define WDT_OP_START 1
#define WDT_OP_STOP 2
#define WDT_OP_QUERY 3
#define WDT_OP_QUERY_LPM 4
#define WDT_ACTION_POWER_OFF 1
#define WDT_ACTION_RESTART 2
#define WDT_ACTION_DUMP_RESTART 3
#define WDT_STOP_ALL (~0ull)
#define WDT_MIN_TIMEOUT_MS 1
#define WDTQL_NOT_STOPPED 2

static uint32_t watchdog_slot;

struct watchdog_part *watchdog_of(const struct lpar *l)
{
	return lpar_unit_state(l, watchdog_slot);
}

static int64_t stop_one(struct lpar_wdt *w)
{
	if (!w->armed) {
		return H_NOOP;
	}
	w->armed = false;
	return H_SUCCESS;
}

static int64_t stop_all(struct watchdog_part *wp)
{
	int64_t rc = H_NOOP;

	for (uint32_t i = 0; i < LPAR_WATCHDOGS; i++) {
		if (stop_one(&wp->wdt[i]) == H_SUCCESS) {
			rc = H_SUCCESS;
		}
	}
	return rc == H_SUCCESS ? H_SUCCESS : H_NOOP;
}

static int64_t start(struct watchdog_part *wp, uint64_t flags, uint64_t num,
		     uint64_t ms)
{
	struct lpar_wdt *w;
	unsigned action = WDTF_ACTION(flags);

	if (num == 0 || num > LPAR_WATCHDOGS) {
		return H_P2;
	}
	if (ms <= WDT_MIN_TIMEOUT_MS || ms > 1000ull * 3600 * 24 * 365) {
		return H_P3;
	}
	if (action < WDT_ACTION_POWER_OFF || action > WDT_ACTION_DUMP_RESTART) {
		return H_PARAMETER;
	}
	w = &wp->wdt[num - 1];
	w->action = (uint8_t)action;
	w->leave_others = flags & WDTF_LEAVE_OTHER;
	w->expire_tb = mftb() + ms_to_tb(ms);
	w->armed = true;
	return H_SUCCESS;
}

/* The hcall: start, stop, query capabilities, query LPM requirement. */
static int64_t h_watchdog(struct vcpu *vc, struct hcall_args *a)
{
	struct watchdog_part *wp = watchdog_of(vc->lpar);
	uint64_t flags = a->arg[0], num = a->arg[1];
	int64_t rc;

	if (flags & WDTF_RESERVED) {
		return H_PARAMETER;
	}
	spin_lock(&wp->lock);
	switch (WDTF_OP(flags)) {
	case WDT_OP_START:
		rc = start(wp, flags, num, a->arg[2]);
		break;
	case WDT_OP_STOP:
		if (num == WDT_STOP_ALL) {
			rc = stop_all(wp);
		} else if (num == 0 || num > LPAR_WATCHDOGS) {
			rc = H_P2;
		} else {
			rc = stop_one(&wp->wdt[num - 1]);
		}
		break;
	case WDT_OP_QUERY:
		/* min timeout in IBM bits 0-15, count in bits 16-31 */
		a->ret[0] = ((uint64_t)WDT_MIN_TIMEOUT_MS << 48) |
			    ((uint64_t)LPAR_WATCHDOGS << 32);
		a->ret_count = 1;
		rc = H_SUCCESS;
		break;
	case WDT_OP_QUERY_LPM:
		if (num == 0 || num > LPAR_WATCHDOGS) {
			rc = H_P2;
			break;
		}
		a->ret[0] = WDTQL_NOT_STOPPED;
		a->ret_count = 1;
		rc = H_SUCCESS;
		break;
	default:
		rc = H_PARAMETER;
		break;
	}
	spin_unlock(&wp->lock);
	return rc;
}
HCALL(H_WATCHDOG, h_watchdog, 1, "hcall-watchdog", HCALL_INTC_ANY,
      "done (4 watchdogs; expiry seen within a tick)");

void watchdog_reset(struct lpar *l)
{
	struct watchdog_part *wp = watchdog_of(l);

	spin_lock(&wp->lock);
	for (uint32_t i = 0; i < LPAR_WATCHDOGS; i++) {
		wp->wdt[i].armed = false;
	}
	spin_unlock(&wp->lock);
}

/*
 * Carry out the expiry of watchdog n + 1, decided while the partition ran
 * its life `life`.  The decision is made under the watchdog lock and
 * acted on after it, so the life may have ended meanwhile (the guest
 * crashed or rebooted on its own while this thread was away: under QEMU
 * a host stall of seconds has been seen between the two): then the new
 * life, whose watchdogs were all reset, is left alone and nothing is
 * said.
 */
static void fire(struct lpar *l, uint32_t n, uint8_t action, uint32_t life)
{
	static const char *const names[] = { "", "hard power-off",
					     "hard restart", "dump and restart" };

	if (__atomic_load_n(&l->life, __ATOMIC_ACQUIRE) != life ||
	    __atomic_load_n(&l->state, __ATOMIC_ACQUIRE) != LPAR_RUNNING) {
		return;
	}
	hv_printf("lparvisor: partition \"%s\": watchdog %u expired: %s\n",
		  l->cfg.name, n + 1, names[action]);
	if (action == WDT_ACTION_POWER_OFF) {
		lpar_request_stop_life(l, STOP_POWER_OFF, life);
	} else if (action == WDT_ACTION_RESTART) {
		lpar_request_stop_life(l, STOP_WATCHDOG, life);
	} else {
		/* As QEMU: a system reset on every vCPU (the OS dumps). */
		for (uint32_t i = 0; i < l->vcpu_count; i++) {
			vcpu_signal_reset(l->vcpus[i]);
		}
	}
}

void watchdog_poll(struct lpar *l)
{
	struct watchdog_part *wp = watchdog_of(l);
	uint64_t now = mftb();
	int hit = -1;
	uint8_t action = 0;
	uint32_t life = 0;

	spin_lock(&wp->lock);
	for (uint32_t i = 0; i < LPAR_WATCHDOGS && hit < 0; i++) {
		struct lpar_wdt *w = &wp->wdt[i];

		if (w->armed && l->state == LPAR_RUNNING &&
		    (int64_t)(now - w->expire_tb) >= 0) {
			hit = (int)i;
			action = w->action;
			/*
			 * Armed under this lock, so this life's reset has not
			 * run yet, and l->life is still the armer's.
			 */
			life = __atomic_load_n(&l->life, __ATOMIC_ACQUIRE);
			w->armed = false;
			if (!w->leave_others) {
				stop_all(wp);
			}
		}
	}
	spin_unlock(&wp->lock);
	if (hit >= 0) {
		fire(l, (uint32_t)hit, action, life);
	}
}

LPAR_UNIT(watchdog, .order = UNIT_ORDER_WATCHDOG, .slot = &watchdog_slot,
	  .state_size = sizeof(struct watchdog_part), .reset = watchdog_reset,
	  .poll = watchdog_poll);
