/*
 * Stopping lparvisor when lparvisor itself is wrong or cannot go on (not
 * for guest or configuration errors, which are reported and survived).
 */
#ifndef HV_PANIC_H
#define HV_PANIC_H

#include "hv/lib/types.h"
#include "hv/options.h"

/** Print the reason with file and line, then apply the panic= action. */
#define panic(...) panic_at(__FILE__, __LINE__, __VA_ARGS__)

/** A broken invariant: panic with the condition's text. */
#define BUG_ON(cond)                                              \
	do {                                                      \
		if (cond) {                                       \
			panic("BUG: %s", #cond);                  \
		}                                                 \
	} while (0)

__noreturn void panic_at(const char *file, int line, const char *fmt, ...)
	__printf(3, 4);

/** Choose what panic() does after printing (boot option panic=). */
void panic_set_action(enum panic_action a);

/** True once any thread has panicked: other threads stop when they see it. */
bool panic_in_progress(void);

/** Stop this thread for good (low priority spin, no wake-up). */
__noreturn void cpu_park(void);

#endif /* HV_PANIC_H */
