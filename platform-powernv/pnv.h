/*
 * PowerNV platform set-up called from the boot path (hv/main.c): where
 * OPAL is and which console terminal to use.
 */
#ifndef PLATFORM_POWERNV_PNV_H
#define PLATFORM_POWERNV_PNV_H

#include "hv/lib/types.h"
#include "hv/machine.h"

/** Record OPAL's base (its r2) and entry point for opal_call(). */
void pnv_set_opal(uint64_t base, uint64_t entry);

/** Use OPAL console terminal `term` for output and input. */
void pnv_set_console(uint32_t term);

/** Call OPAL's pollers at most every `tb_ticks` (platform_heartbeat()). */
void pnv_set_heartbeat(uint64_t tb_ticks);

/** Use the system flash the host tree described (platform_flash_*()). */
void pnv_set_flash(const struct machine_flash *f);

#endif /* PLATFORM_POWERNV_PNV_H */
