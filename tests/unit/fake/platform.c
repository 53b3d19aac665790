/*
 * The clock and the heap as the handlers see them: platform_read_rtc()
 * and mem_zalloc()/mem_free() (calloc underneath, so AddressSanitizer
 * watches every heap object).  hv_machine and hv_opts are hv/hv.c's own.
 */
#include <stdlib.h>

#include "hv/platform.h"
#include "mm/mem.h"
#include "mm/mem.h"
#include "tests/unit/fake/fake.h"
#include "tests/unit/fake/fake_internal.h"

bool fake_rtc_present;
uint32_t fake_rtc_ymd;
uint64_t fake_rtc_hms;
bool fake_heap_fail;

bool platform_read_rtc(uint32_t *ymd, uint64_t *hms)
{
	if (!fake_rtc_present) {
		return false;
	}
	*ymd = fake_rtc_ymd;
	*hms = fake_rtc_hms;
	return true;
}

void *mem_zalloc(uint64_t size, uint64_t align)
{
	void *p;

	if (fake_heap_fail || size == 0) {
		return NULL;
	}
	if (align < sizeof(void *)) {
		align = sizeof(void *);
	}
	if (posix_memalign(&p, (size_t)align, (size_t)size) != 0) {
		return NULL;
	}
	memset(p, 0, (size_t)size);
	return p;
}

void mem_free(void *p)
{
	free(p);
}

void fake_platform_reset(void)
{
	memset(&hv_machine, 0, sizeof(hv_machine));
	hv_machine.family = CPU_POWER9;
	hv_machine.tb_freq = FAKE_TB_FREQ;
	hv_machine.core_count = FAKE_MACHINE_THREADS / 4;
	for (uint32_t i = 0; i < hv_machine.core_count; i++) {
		hv_machine.cores[i].pir = i * 4;
		hv_machine.cores[i].pvr = 0x004e1202;
		hv_machine.cores[i].thread_count = 4;
		for (uint32_t t = 0; t < 4; t++) {
			hv_machine.cores[i].threads[t] = i * 4 + t;
		}
	}
	memset(&hv_opts, 0, sizeof(hv_opts));
	fake_rtc_present = false;
	fake_rtc_ymd = 0;
	fake_rtc_hms = 0;
	fake_heap_fail = false;
}

void mem_usage(uint64_t *pages, uint64_t *heap_bytes)
{
	*pages = 0;
	*heap_bytes = 0;
}
