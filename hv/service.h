/*
 * Housekeeping any hypervisor thread does when it has a moment (idle loop,
 * timer ticks of running vCPUs, H_CEDE waits): console input, the units'
 * poll hooks.  At most one thread does it at a time.
 */
#ifndef HV_SERVICE_H
#define HV_SERVICE_H

#include "hv/lib/types.h"

/** Do pending housekeeping unless another thread is doing it. */
void service_poll(void);

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
