/*
 * Restart probe: announces itself, then leaves the way bootargs say:
 * action=reboot (RTAS system-reboot), action=crash (a load past the end
 * of its memory) or action=watchdog (H_WATCHDOG with the hard-restart
 * action, ms=N milliseconds (default 200), never petted).  With arm=N it
 * first arms watchdog 2 for N ms with the hard-restart action before a
 * crash or reboot: the restart must disarm it, so it never fires in the
 * next life.  With the partition's restart policy it comes back, from
 * pristine images, and does it again.  lparvisor only.
 *
 * action=selfstop (two vCPUs; issue 20 §4 regressions): vCPU 1 is started,
 * makes a few exits and stops itself; vCPU 0 then signals a system reset
 * to the stopped vCPU 1 (it stays pending), arms watchdog 1 (hard
 * restart, ms=N, default 200) and stops itself too.  The watchdog's stop
 * must complete although no vCPU is left to leave the guest, and the
 * reset signalled in this life must never reach vCPU 1 in the next.
 */
#include "hv/lib/string.h"
#include "tests/guest/lib/console.h"
#include "tests/guest/lib/cpu.h"
#include "tests/guest/lib/dt.h"
#include "hv/abi/hcall.h"
#include "tests/guest/lib/guest.h"
#include "tests/guest/lib/hcall.h"
#include "tests/guest/lib/report.h"
#include "tests/guest/lib/rtas.h"
#include "tests/guest/lib/timebase.h"

const char test_name[] = "restart";

/*
 * A word well above the image and its stacks: lparvisor clears all of a
 * partition's memory before every boot, so it must read 0 each time.
 */
#define SCRIBBLE_ADDR 0x800000ul
#define SECONDARY_EXITS 100
#define WAIT_MS 2000

static volatile uint32_t secondary_done;

static void on_sreset(struct regs *r)
{
	report(false, "selfstop vCPU %u took a system reset at 0x%lx that "
		      "was signalled in its partition's previous life",
	       cpu_self()->hwid, r->nip);
}

/* vCPU 1: exits (a pending reset is injected at the first), then stops. */
static void selfstop_secondary(void *arg)
{
	(void)arg;
	for (int i = 0; i < SECONDARY_EXITS; i++) {
		hcall(H_CONFER, -1l, 0);
	}
	secondary_done = 1;
}

static bool stopped(uint32_t hwid)
{
	uint32_t state = RTAS_CPU_RUNNING;

	return rtas_call(rtas_token("query-cpu-stopped-state"), 1, 2, &state,
			 hwid) == 0 &&
	       state == RTAS_CPU_STOPPED;
}

static void selfstop(const char *ms)
{
	exc_set_handler(0x100, on_sreset);
	if (!report(cpu_count() >= 2, "selfstop with two vCPUs: %d", cpu_count()) ||
	    !report_rtas(cpu_start(1, selfstop_secondary, NULL),
			 RTAS_OUT_SUCCESS, "selfstop start-cpu vCPU 1")) {
		return;
	}
	report(WAIT_FOR(secondary_done && stopped(cpus[1].hwid), WAIT_MS),
	       "selfstop vCPU 1 made %d exits and stopped itself",
	       SECONDARY_EXITS);
	report_hrc(hcall(H_SIGNAL_SYS_RESET, cpus[1].hwid), H_SUCCESS,
		   "selfstop system reset signalled to stopped vCPU 1");
	/* start (op 1), hard restart (action 2), watchdog 1 */
	report_hrc(hcall(H_WATCHDOG, (1ul << 8) | 2, 1,
			 ms ? strtoul(ms, NULL, 0) : 200),
		   H_SUCCESS, "selfstop watchdog armed");
	printf("restart: every vCPU stops itself now\n");
	rtas_stop_self();
}

void test_main(void)
{
	volatile uint64_t *scribble = (volatile uint64_t *)SCRIBBLE_ADDR;
	bool crash = dt_bootarg_is("action", "crash");
	bool wdt = dt_bootarg_is("action", "watchdog");
	bool self = dt_bootarg_is("action", "selfstop");
	int token = rtas_token("system-reboot");
	const char *ms = dt_bootarg("ms");
	const char *arm = dt_bootarg("arm");

	/* Memory must come back zeroed and the image pristine. */
	report(*scribble == 0, "restart: memory was cleared before this boot");
	*scribble = 0xdeadbeef;
	printf("restart: up, leaving by %s\n",
	       wdt ? "watchdog" : crash ? "crash" : self ? "selfstop" : "reboot");
	if (self) {
		selfstop(ms);
		return;
	}
	if (wdt) {
		/* start (op 1), hard restart (action 2), watchdog 1, 200 ms */
		report(hcall(H_WATCHDOG, (1ul << 8) | 2, 1,
			     ms ? strtoul(ms, NULL, 0) : 200) == H_SUCCESS,
		       "restart: watchdog armed");
		for (;;) {
			/* Never pet it; cede rather than spin, so that the
			 * neighbours' vCPUs keep the host's CPUs. */
			hcall(H_CEDE);
		}
	}
	/* Watchdog 2 with "leave others" (bit 47) and hard restart. */
	if (arm && hcall(H_WATCHDOG, (1ul << 16) | (1ul << 8) | 2, 2,
			 strtoul(arm, NULL, 0)) != H_SUCCESS) {
		report(false, "restart: watchdog 2 armed");
	}
	if (crash) {
		volatile uint64_t *past = (volatile uint64_t *)(uintptr_t)
			dt_ram_size();

		*scribble = *past;
	} else if (token >= 0) {
		rtas_call(token, 0, 1, NULL);
	}
	report(false, "restart: still running after leaving by %s",
	       crash ? "crash" : "reboot");
}
