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
uint8_t *fake_flash;
uint32_t fake_flash_size;
uint32_t fake_flash_writes;
bool fake_flash_fail;

/* A flash of fake_flash_size bytes that is all LPAR_NVRAM, 4 KiB blocks. */
const char *platform_flash_partition(const char *name, uint32_t *off,
				     uint32_t *size, uint32_t *block,
				     bool *no_erase)
{
	if (!fake_flash) {
		return "no flash in the host tree";
	}
	if (strcmp(name, "LPAR_NVRAM") != 0) {
		return "no partition of that name";
	}
	*off = 0;
	*size = fake_flash_size;
	*block = 0x1000;
	*no_erase = false;
	return NULL;
}

static bool fake_flash_in(uint32_t off, uint32_t len)
{
	return fake_flash && !fake_flash_fail && off <= fake_flash_size &&
	       len <= fake_flash_size - off;
}

bool platform_flash_read(uint32_t off, void *buf, uint32_t len)
{
	if (!fake_flash_in(off, len)) {
		return false;
	}
	memcpy(buf, fake_flash + off, len);
	return true;
}

bool platform_flash_write(uint32_t off, const void *buf, uint32_t len)
{
	const uint8_t *b = buf;

	if (!fake_flash_in(off, len)) {
		return false;
	}
	fake_flash_writes++;
	for (uint32_t i = 0; i < len; i++) {
		fake_flash[off + i] &= b[i];
	}
	return true;
}

bool platform_flash_erase(uint32_t off, uint32_t len)
{
	if (!fake_flash_in(off, len) || (off | len) & 0xfff) {
		return false;
	}
	memset(fake_flash + off, 0xff, len);
	return true;
}

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
	free(fake_flash);
	fake_flash = NULL;
	fake_flash_size = 0;
	fake_flash_writes = 0;
	fake_flash_fail = false;
}

void mem_usage(uint64_t *pages, uint64_t *heap_bytes)
{
	*pages = 0;
	*heap_bytes = 0;
}
