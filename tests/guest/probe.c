/*
 * Isolation probe: touches one guest real address that the partition does
 * not own and expects never to come back.  The hypervisor must stop it
 * through its crash policy (an HDSI or HISI outside its memory); if the
 * access is allowed, the payload reports FAIL.  lparvisor only: QEMU's
 * pseries answers such accesses differently (no partition boundary).
 *
 * Bootargs: addr=0x... (default: the first byte past its memory),
 * access=load|store|fetch (default load).
 */
#include "hv/lib/string.h"
#include "tests/guest/lib/console.h"
#include "tests/guest/lib/dt.h"
#include "tests/guest/lib/guest.h"
#include "tests/guest/lib/report.h"

const char test_name[] = "probe";

void test_main(void)
{
	const char *a = dt_bootarg("addr");
	const char *how = dt_bootarg("access");
	uint64_t end = dt_ram_size();
	uint64_t target = a ? strtoul(a, NULL, 0) : end;
	volatile uint64_t *p = (volatile uint64_t *)(uintptr_t)target;
	uint64_t v = 0;

	printf("probe: %s at guest real address 0x%lx (memory ends at 0x%lx)\n",
	       how ? how : "load", target, end);
	if (dt_bootarg_is("access", "store")) {
		*p = 0x5a5a5a5a5a5a5a5aull;
	} else if (dt_bootarg_is("access", "fetch")) {
		void (*fn)(void) = (void (*)(void))(uintptr_t)target;

		fn();
	} else {
		v = *p;
	}
	report(false, "probe: the access to 0x%lx was allowed (read 0x%lx)",
	       target, v);
}
