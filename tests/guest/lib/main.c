/*
 * Start-up and shut-down around a payload's test_main().
 */
#include "hv/abi/hcall.h"
#include "tests/guest/lib/console.h"
#include "tests/guest/lib/cpu.h"
#include "tests/guest/lib/dt.h"
#include "tests/guest/lib/guest.h"
#include "tests/guest/lib/report.h"
#include "tests/guest/lib/rtas.h"
#include "tests/guest/lib/timebase.h"

void lib_main(void *fdt, long set_mode_le_rc)
{
	bool dt_ok = dt_init(fdt);
	uint32_t termno = console_init();
	uint64_t freq = tb_init();
	int ncpus = cpu_init();

	printf("guest payload %s: fdt 0x%lx, vty 0x%x, %d vCPU(s), "
	       "timebase %lu Hz\n", test_name, (unsigned long)fdt, termno,
	       ncpus, tb_freq());
	/* Checks every payload depends on; a PASS line costs nothing. */
	report(dt_ok, "boot device tree header valid at r3");
	report_hrc(set_mode_le_rc, H_SUCCESS,
		   "boot H_SET_MODE little-endian interrupts");
	report(rtas_init(), "boot /rtas present");
	report(freq != 0, "boot timebase-frequency in /cpus");
	test_main();
	guest_exit();
}

void guest_exit(void)
{
	report_summary();
	rtas_power_off();
}
