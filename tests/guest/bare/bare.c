/*
 * The guest payload library's platform part for the bare PowerNV host
 * (tests/guest/bare/head.S): the console is OPAL_CONSOLE_WRITE on
 * terminal 0, the end is OPAL_CEC_POWER_DOWN.  The rest of the library
 * (device tree, timebase, PASS/FAIL lines) is the pSeries payloads' own,
 * unchanged: skiboot's device tree has /chosen/bootargs and the cpus'
 * timebase-frequency where QEMU's pseries puts them.
 */
#include "hv/lib/string.h"
#include "tests/guest/lib/console.h"
#include "tests/guest/lib/dt.h"
#include "tests/guest/lib/guest.h"
#include "tests/guest/lib/ppc.h"
#include "tests/guest/lib/report.h"
#include "tests/guest/lib/timebase.h"

#include <libfdt.h>

/* OPAL tokens and status (skiboot include/opal-api.h). */
#define OPAL_CONSOLE_WRITE 1
#define OPAL_CEC_POWER_DOWN 5
#define OPAL_POLL_EVENTS 10
#define OPAL_SUCCESS 0
#define OPAL_BUSY (-2)
#define OPAL_PARTIAL (-3)
#define OPAL_BUSY_EVENT (-12)

/* Where skiboot loads a -kernel; what the payload owns lies below. */
#define KERNEL_LOAD_BASE 0x20000000ull
#define LOW_FIRMWARE 0x100000ull
#define WRITE_TRIES 100000
#define MSR_HV (1ull << 60)

#define OPAL_START_CPU 41

long opal_call(long token, uint64_t a0, uint64_t a1, uint64_t a2);
extern const char bare_secondary[];
void bare_main(void *fdt, uint64_t base, uint64_t entry) __noreturn;

uint64_t bare_opal_base;
uint64_t bare_opal_entry;

void console_write(const char *s, size_t len)
{
	int tries = 0;

	while (len && tries++ < WRITE_TRIES) {
		be64 n = cpu_to_be64(len);
		long rc = opal_call(OPAL_CONSOLE_WRITE, 0, (uintptr_t)&n,
				    (uintptr_t)s);
		uint64_t done = be64_to_cpu(n);

		if (rc != OPAL_SUCCESS && rc != OPAL_PARTIAL &&
		    rc != OPAL_BUSY && rc != OPAL_BUSY_EVENT) {
			return;
		}
		if (done > len) {
			return;
		}
		s += done;
		len -= done;
		if (len) {
			opal_call(OPAL_POLL_EVENTS, 0, 0, 0);
		}
	}
}

/*
 * The payloads use memory from 0 up to the load address as their own (the
 * pSeries ones from 0 up to their RAM size): true when the firmware's
 * reserved map keeps nothing there above its first megabyte.
 */
static bool low_memory_free(void)
{
	const void *fdt = dt_fdt();
	int n = fdt ? fdt_num_mem_rsv(fdt) : -1;

	for (int i = 0; i < n; i++) {
		uint64_t at, size;

		if (fdt_get_mem_rsv(fdt, i, &at, &size) != 0) {
			return false;
		}
		if (size && at < KERNEL_LOAD_BASE && at + size > LOW_FIRMWARE) {
			printf("firmware reserves 0x%lx+0x%lx\n",
			       (unsigned long)at, (unsigned long)size);
			return false;
		}
	}
	return n >= 0;
}

/*
 * Start every other thread of the device tree's cpus into a stop nothing
 * wakes (head.S bare_secondary).  Returns how many were parked, or -1 when
 * OPAL refused one.
 */
static int park_others(void)
{
	uint32_t boot = dt_boot_cpuid();
	int cpus = dt_path("/cpus");
	int node, parked = 0;

	if (cpus < 0) {
		return -1;
	}
	fdt_for_each_subnode(node, dt_fdt(), cpus) {
		const char *type = dt_prop_str(node, "device_type");
		const be32 *ids;
		int len;

		ids = dt_prop(node, "ibm,ppc-interrupt-server#s", &len);
		if (!type || strcmp(type, "cpu") != 0 || !ids || len < 4) {
			continue;
		}
		for (int i = 0; i < len / 4; i++) {
			uint32_t pir = be32_to_cpu(ids[i]);

			if (pir == boot) {
				continue;
			}
			if (opal_call(OPAL_START_CPU, pir,
				      (uintptr_t)bare_secondary, 0) !=
			    OPAL_SUCCESS) {
				return -1;
			}
			parked++;
		}
	}
	return parked;
}

void guest_exit(void)
{
	report_summary();
	opal_call(OPAL_CEC_POWER_DOWN, 0, 0, 0);
	for (;;) {
		opal_call(OPAL_POLL_EVENTS, 0, 0, 0);
	}
}

void bare_main(void *fdt, uint64_t base, uint64_t entry)
{
	bool dt_ok;
	uint64_t freq;
	int parked;

	bare_opal_base = base;
	bare_opal_entry = entry;
	dt_ok = dt_init(fdt);
	freq = tb_init();
	printf("bare payload %s: fdt 0x%lx, OPAL 0x%lx entry 0x%lx, MSR 0x%lx, "
	       "timebase %lu Hz\n", test_name, (unsigned long)fdt,
	       (unsigned long)base, (unsigned long)entry,
	       (unsigned long)mfmsr(), tb_freq());
	report(dt_ok, "boot device tree header valid at r3");
	report((mfmsr() & MSR_HV) != 0, "boot in hypervisor state");
	report(freq != 0, "boot timebase-frequency in /cpus");
	report(dt_ok && low_memory_free(),
	       "boot memory below 0x%llx is the payload's", KERNEL_LOAD_BASE);
	parked = dt_ok ? park_others() : -1;
	report(parked >= 0, "boot other threads parked: %d", parked);
	/*
	 * A hypervisor clears memory before a guest gets it (lparvisor
	 * with clear=boot or at first touch, KVM's host kernel at fault):
	 * clear the payload's, so that its first touches do not time the
	 * emulator's first write of each page (tens of microseconds of the
	 * machine running QEMU, which say nothing about translation).
	 */
	memset((void *)(uintptr_t)LOW_FIRMWARE, 0,
	       KERNEL_LOAD_BASE - LOW_FIRMWARE);
	printf("bare payload: memory [0x%llx, 0x%llx) cleared\n",
	       LOW_FIRMWARE, KERNEL_LOAD_BASE);
	test_main();
	guest_exit();
}
