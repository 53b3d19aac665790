/*
 * Housekeeping: OPAL's heartbeat, console input (CONSOLE_INPUT rows),
 * each partition's units' poll hooks (stale console lines, watchdog
 * expiry) and writing out the partitions' console queues.  At most one thread does it at a time, and
 * it is the idle threads' job (their loop calls it every millisecond):
 * threads running a vCPU (timer ticks, H_CEDE waits) call it too but do
 * it only when no idle thread has for a while, so that one partition's
 * console output or OPAL calls never hold up another partition's vCPU.
 */
#ifndef HV_SERVICE_H
#define HV_SERVICE_H

#include "hv/lib/types.h"

/** Do pending housekeeping unless another thread is doing it. */
void service_poll(void);

/**
 * Whether the calling thread, running a vCPU, must keep house on a tick:
 * only when every thread has a vCPU, and then only the first online
 * thread.  Otherwise an idle thread (or that one) does it, and a vCPU
 * with nothing pending runs without a hypervisor tick (hv/guest.c).
 */
bool service_vcpu_ticks(void);

/*
 * Who takes the machine console's input: the device that multiplexes the
 * console (vio/vty.c) registers with CONSOLE_INPUT(fn), a row in the
 * linker section `console_input`; service_poll() hands every chunk it
 * reads to each row, under its own lock (so never two at once).
 */
struct console_input {
	void (*fn)(const char *buf, size_t len);
};

#define CONSOLE_INPUT(fn_)                                                   \
	static const struct console_input console_input_##fn_                \
		__attribute__((used, section("console_input"), aligned(8))) = { \
			fn_                                                   \
		}

#endif /* HV_SERVICE_H */
