/*
 * OPAL calls lparvisor makes.  Token numbers and return codes are those of
 * skiboot include/opal-api.h (v7.0).  Every pointer handed to OPAL is a
 * real address and every value behind it is big-endian.
 */
#ifndef PLATFORM_POWERNV_OPAL_H
#define PLATFORM_POWERNV_OPAL_H

#include "hv/lib/types.h"

#define OPAL_CONSOLE_WRITE 1
#define OPAL_CONSOLE_READ 2
#define OPAL_RTC_READ 3
#define OPAL_CEC_POWER_DOWN 5
#define OPAL_CEC_REBOOT 6
#define OPAL_POLL_EVENTS 10
#define OPAL_EVENT_PCI_ERROR 0x200ull /* OPAL_POLL_EVENTS' mask */
#define OPAL_START_CPU 41
#define OPAL_QUERY_CPU_STATUS 42
#define OPAL_REINIT_CPUS 70
#define OPAL_CHECK_ASYNC_COMPLETION 86
#define OPAL_CHECK_TOKEN 80
#define OPAL_FLASH_READ 110
#define OPAL_FLASH_WRITE 111
#define OPAL_FLASH_ERASE 112
#define OPAL_HANDLE_HMI2 166

#define OPAL_SUCCESS 0
#define OPAL_PARAMETER (-1)
#define OPAL_BUSY (-2)
#define OPAL_PARTIAL (-3)
#define OPAL_UNSUPPORTED (-7)
#define OPAL_INTERNAL_ERROR (-11)
#define OPAL_BUSY_EVENT (-12)
#define OPAL_WRONG_STATE (-14)
#define OPAL_ASYNC_COMPLETION (-15)

#define OPAL_REINIT_CPUS_HILE_BE 1
#define OPAL_REINIT_CPUS_HILE_LE 2
#define OPAL_REINIT_CPUS_MMU_HASH 4
#define OPAL_REINIT_CPUS_MMU_RADIX 8

#define OPAL_THREAD_INACTIVE 0
#define OPAL_THREAD_STARTED 1
#define OPAL_THREAD_UNAVAILABLE 2

/* Set by the platform before the first call (platform-powernv/opal_call.S). */
extern uint64_t opal_base_addr;
extern uint64_t opal_entry_addr;

/** Raw call: token and up to seven register arguments. */
int64_t opal_call(uint64_t token, uint64_t a0, uint64_t a1, uint64_t a2,
		  uint64_t a3, uint64_t a4, uint64_t a5, uint64_t a6);

/** Run OPAL's pollers once (console drain, IPMI, ...). */
void opal_poll_events(void);

/** Printable name of an OPAL return code. */
const char *opal_strerror(int64_t rc);

#endif /* PLATFORM_POWERNV_OPAL_H */
