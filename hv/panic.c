/*
 * panic(): report and stop.  The message always reaches the console (the
 * console lock is broken if its holder is the one that failed), then the
 * machine halts, powers off or reboots as the panic= boot option says.
 */
#include "hv/console.h"
#include "hv/cpu.h"
#include "hv/panic.h"
#include "hv/percpu.h"
#include "hv/platform.h"

static enum panic_action action = PANIC_HALT;
static volatile uint32_t panicking;

void panic_set_action(enum panic_action a)
{
	action = a;
}

bool panic_in_progress(void)
{
	return panicking != 0;
}

void cpu_park(void)
{
	for (;;) {
		smt_low();
	}
}

void panic_at(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	if (__atomic_exchange_n(&panicking, 1, __ATOMIC_ACQ_REL)) {
		cpu_park(); /* another thread is already reporting */
	}
	console_break_lock();
	hv_printf("\nlparvisor PANIC on cpu 0x%x (%s:%d): ", this_cpu()->pir,
		  file, line);
	va_start(ap, fmt);
	hv_vprintf(fmt, ap);
	va_end(ap);
	hv_printf("\n");
	switch (action) {
	case PANIC_POWEROFF:
		hv_printf("lparvisor: powering off after panic\n");
		platform_power_off();
	case PANIC_REBOOT:
		hv_printf("lparvisor: rebooting after panic\n");
		platform_reboot();
	case PANIC_HALT:
	default:
		hv_printf("lparvisor: halted after panic\n");
		cpu_park();
	}
}
