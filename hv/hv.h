/*
 * State the whole hypervisor shares once boot has filled it in (defined
 * in hv/hv.c; hv/main.c fills it).
 */
#ifndef HV_HV_H
#define HV_HV_H

#include "hv/lib/types.h"
#include "hv/machine.h"
#include "hv/options.h"

extern struct machine hv_machine;
extern struct hv_options hv_opts;

/** Milliseconds between two timebase values. */
uint64_t tb_to_ms(uint64_t ticks);

/** Timebase ticks in `ms` milliseconds. */
uint64_t ms_to_tb(uint64_t ms);

#endif /* HV_HV_H */
