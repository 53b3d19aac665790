/*
 * Housekeeping, done by an idle thread (hv/service.h).
 */
#include "hv/console.h"
#include "hv/cpu.h"
#include "hv/hv.h"
#include "hv/lock.h"
#include "hv/lpar.h"
#include "hv/lpar_ops.h"
#include "hv/percpu.h"
#include "hv/platform.h"
#include "hv/service.h"
#include "hv/unit.h"

extern const struct console_input __start_console_input[];
extern const struct console_input __stop_console_input[];

static struct spinlock service_lock = SPINLOCK_INIT;
static uint64_t last_input_tb;
static volatile uint64_t idle_service_tb; /* an idle thread's last turn */

/*
 * When the machine has a thread no vCPU is bound to, a thread running a
 * vCPU does housekeeping only when no idle thread has done it for a
 * while: the units' polls (watchdogs, stale lines: no OPAL call, no
 * waiting) after HOUSEKEEPING_LATE_MS, the OPAL work (its heartbeat,
 * console input, writing the console) only after
 * HOUSEKEEPING_OPAL_LATE_MS, should the idle threads have died.  Late is
 * counted from the end of an idle thread's turn, which may itself take
 * long while the UART drains a flood.
 * OPAL's console can spin while the UART drains another partition's
 * flood; a vCPU thread must not.  When every thread has a vCPU, one of
 * them keeps house (keeper()), at every tick, as an idle thread would;
 * the others are late only when it is, and run without a tick.
 */
#define HOUSEKEEPING_LATE_MS 20
#define HOUSEKEEPING_OPAL_LATE_MS 1000

/*
 * Console input is polled at most every few milliseconds: an OPAL call
 * per idle tick buys no latency a typist would notice.
 */
#define INPUT_POLL_MS 5

static void opal_work(void)
{
	char buf[32];
	size_t n;

	platform_heartbeat();
	if (!lpar_count) {
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
	console_poll(); /* the partitions' queued lines, if no one holds it */
}

/* A thread no vCPU is bound to: the partitions' vCPUs are bound at boot. */
static bool free_thread_exists(void)
{
	for (uint32_t i = 0; i < pcpu_count; i++) {
		const struct pcpu *pc = pcpu_table[i];

		if (pc->state == PCPU_ONLINE && !pc->vcpu) {
			return true;
		}
	}
	return false;
}

/*
 * With every thread bound to a vCPU, the thread that keeps house: the
 * first online one (the boot thread, unless it stopped).  Before issue
 * 21's second contention figure every vCPU thread took the 1 ms tick and
 * tried to keep house at each one, so two partitions filling a machine
 * took four times the ticks of one.
 */
static bool keeper(void)
{
	for (uint32_t i = 0; i < pcpu_count; i++) {
		const struct pcpu *pc = pcpu_table[i];

		if (pc->state == PCPU_ONLINE) {
			return pc == this_cpu();
		}
	}
	return false;
}

bool service_vcpu_ticks(void)
{
	return !free_thread_exists() && keeper();
}

void service_poll(void)
{
	bool idle = this_cpu()->cur_vcpu == NULL;
	/* Keeps house as an idle thread does: no one else will. */
	bool keeps = idle || service_vcpu_ticks();
	uint64_t late = mftb() - idle_service_tb;

	if (!keeps && late < ms_to_tb(HOUSEKEEPING_LATE_MS)) {
		return;
	}
	if (!spin_trylock(&service_lock)) {
		return;
	}
	if (keeps) {
		idle_service_tb = mftb();
	}
	for (uint32_t i = 0; i < lpar_count; i++) {
		lpar_units_poll(lpar_table[i]);
		lpar_stop_poll(lpar_table[i]);
		lpar_machine_off_poll(lpar_table[i]);
	}
	if (keeps || late >= ms_to_tb(HOUSEKEEPING_OPAL_LATE_MS)) {
		opal_work();
	}
	if (keeps) {
		idle_service_tb = mftb();
	}
	spin_unlock(&service_lock);
}
