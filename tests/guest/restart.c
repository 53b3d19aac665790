/*
 * Restart probe: announces itself, then leaves the way bootargs say:
 * action=reboot (RTAS system-reboot), action=crash (a load past the end
 * of its memory) or action=watchdog (H_WATCHDOG with the hard-restart
 * action, ms=N milliseconds (default 200), never petted).  With arm=N it
 * first arms watchdog 2 for N ms with the hard-restart action before a
 * crash or reboot: the restart must disarm it, so it never fires in the
 * next life.  With the partition's restart policy it comes back, from
 * pristine images, and does it again.  lparvisor only.
 */
#include "hv/lib/string.h"
#include "tests/guest/lib/console.h"
#include "tests/guest/lib/dt.h"
#include "hv/abi/hcall.h"
#include "tests/guest/lib/guest.h"
#include "tests/guest/lib/hcall.h"
#include "tests/guest/lib/report.h"
#include "tests/guest/lib/rtas.h"

const char test_name[] = "restart";

/*
 * A word well above the image and its stacks: lparvisor clears all of a
 * partition's memory before every boot, so it must read 0 each time.
 */
#define SCRIBBLE_ADDR 0x800000ul

void test_main(void)
{
	volatile uint64_t *scribble = (volatile uint64_t *)SCRIBBLE_ADDR;
	bool crash = dt_bootarg_is("action", "crash");
	bool wdt = dt_bootarg_is("action", "watchdog");
	int token = rtas_token("system-reboot");
	const char *ms = dt_bootarg("ms");
	const char *arm = dt_bootarg("arm");

	/* Memory must come back zeroed and the image pristine. */
	report(*scribble == 0, "restart: memory was cleared before this boot");
	*scribble = 0xdeadbeef;
	printf("restart: up, leaving by %s\n",
	       wdt ? "watchdog" : crash ? "crash" : "reboot");
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
