/*
 * Timebase helpers.  The frequency is the `timebase-frequency` of the
 * CPU nodes (one or two cells; QEMU writes one: 0x1e848000).
 */
#include "hv/lib/string.h"
#include "tests/guest/lib/dt.h"
#include "tests/guest/lib/timebase.h"

#include <libfdt.h>

#define TB_FREQ_DEFAULT 512000000ull

static uint64_t freq = TB_FREQ_DEFAULT;

uint64_t tb_init(void)
{
	int cpus = dt_path("/cpus");
	int node;
	uint64_t f;

	if (cpus < 0) {
		return 0;
	}
	fdt_for_each_subnode(node, dt_fdt(), cpus) {
		const char *type = dt_prop_str(node, "device_type");

		if (type && strcmp(type, "cpu") == 0 &&
		    dt_prop_num(node, "timebase-frequency", &f) && f) {
			freq = f;
			return f;
		}
	}
	return 0;
}

uint64_t tb_freq(void)
{
	return freq;
}

uint64_t tb_from_us(uint64_t us)
{
	return us * (freq / 1000000) + us * (freq % 1000000) / 1000000;
}

uint64_t tb_to_us(uint64_t ticks)
{
	return ticks / freq * 1000000 + ticks % freq * 1000000 / freq;
}

void delay_us(uint64_t us)
{
	uint64_t end = tb_now() + tb_from_us(us);

	while (tb_now() < end) {
		cpu_relax();
	}
}
