/*
 * What the hypervisor core needs from the platform it runs on.  The
 * PowerNV implementation (platform-powernv/platform.c) is chosen at link
 * time.
 */
#ifndef HV_PLATFORM_H
#define HV_PLATFORM_H

#include "hv/lib/types.h"
#include "hv/machine.h"

/** Write bytes to the machine console; returns once all are accepted. */
void platform_console_write(const char *buf, size_t len);

/**
 * Read up to `len` bytes of console input without waiting.
 * Returns the number of bytes read (0 when none are pending).
 */
size_t platform_console_read(char *buf, size_t len);

/*
 * POWER8 kicks between threads: `icp` is a thread's interrupt presenter
 * page (struct machine_core icp[], 0 when there is none: then these do
 * nothing).  init: this thread's, at bring-up (accept every priority);
 * kick: raise the IPI of that thread; take: accept, clear and end this
 * thread's pending IPI, if any.
 */
void platform_icp_init_this(uint64_t icp);
void platform_icp_kick(uint64_t icp);
void platform_icp_take(uint64_t icp);

/** Prepare every thread's interrupt endianness and MMU mode. 0 on success. */
int64_t platform_reinit_cpus(const struct machine *m);

/**
 * Start hardware thread `pir` at real address `entry`.  Returns 0 on
 * success, or the firmware's error code.  `*state_out` receives the
 * firmware's view of the thread before the start (0 inactive, 1 started,
 * 2 unavailable, -1 unknown).
 */
int64_t platform_start_cpu(uint32_t pir, uint64_t entry, int *state_out);

/**
 * Read the platform's real-time clock: BCD 0xYYYYMMDD and 0xHHMMSS.. as
 * OPAL_RTC_READ gives them.  Returns false when there is no clock.
 */
bool platform_read_rtc(uint32_t *ymd, uint64_t *hms);

/**
 * Give firmware the periodic time it needs (OPAL pollers: IPMI, console,
 * the BMC watchdog skiboot arms at hand-off).  Call often; it does the
 * work at most every half heartbeat (/ibm,opal/ibm,heartbeat-ms).
 */
void platform_heartbeat(void);

/** Let firmware handle a hypervisor maintenance interrupt. */
void platform_handle_hmi(void);

/*
 * The system flash (the PNOR), synchronously and one operation at a time
 * (platform-powernv/flash.c).  Offsets are the flash's; an erase covers
 * whole erase blocks.  Each returns false, with a message, on an error.
 */
bool platform_flash_read(uint32_t off, void *buf, uint32_t len);
bool platform_flash_write(uint32_t off, const void *buf, uint32_t len);
bool platform_flash_erase(uint32_t off, uint32_t len);

/**
 * Find partition `name` of the flash's FFS table: its offset, size, the
 * flash's erase block, and whether writes need no erase first (then
 * platform_flash_erase() writes 0xff).  Returns NULL, or why not (no
 * flash, no table, no such partition...).
 */
const char *platform_flash_partition(const char *name, uint32_t *off,
				     uint32_t *size, uint32_t *block,
				     bool *no_erase);

/** Power the machine off.  Never returns. */
__noreturn void platform_power_off(void);

/** Reboot the machine.  Never returns. */
__noreturn void platform_reboot(void);

#endif /* HV_PLATFORM_H */
