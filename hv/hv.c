/*
 * State the whole hypervisor shares (hv/hv.h): the machine skiboot's tree
 * describes and the boot options, filled in once by the boot flow
 * (hv/main.c) before any other thread or partition runs, read-only after
 * that; and the timebase conversions that depend on the machine.
 */
#include "hv/hv.h"

struct machine hv_machine;
struct hv_options hv_opts;

uint64_t tb_to_ms(uint64_t ticks)
{
	return hv_machine.tb_freq ? ticks / (hv_machine.tb_freq / 1000) : 0;
}

uint64_t ms_to_tb(uint64_t ms)
{
	return ms * (hv_machine.tb_freq / 1000);
}
