/*
 * lparvisor's own boot options, read from the host tree's
 * /chosen/bootargs (QEMU: -append).  Documented in docs/boot-options.md.
 * Pure C: host-tested in tests/unit/hv/.
 */
#ifndef HV_OPTIONS_H
#define HV_OPTIONS_H

#include "hv/lib/types.h"

enum panic_action {
	PANIC_HALT = 0,  /* stop every core; the console keeps the message */
	PANIC_POWEROFF,  /* power the machine off through OPAL */
	PANIC_REBOOT,    /* reboot the machine through OPAL */
};

/* Values of the debug.*_cpu options besides a PIR. */
#define OPT_NO_CPU 0xffffffffu
#define OPT_CPU_BOOT 0xfffffffeu          /* "boot": the boot thread */
#define OPT_CPU_FIRST_SECONDARY 0xfffffffdu /* "secondary": first started */

struct hv_options {
	uint64_t heap_size;        /* heap=SIZE */
	uint32_t smp_timeout_ms;   /* smp_timeout_ms=N */
	enum panic_action panic;   /* panic=halt|poweroff|reboot */
	uint32_t debug_hang_cpu;   /* debug.hang_cpu=CPU: never report in */
	uint32_t debug_fault_cpu;  /* debug.fault_cpu=CPU: illegal insn */
	bool profile;              /* profile=on: exit profile at each stop */
	bool clear_at_boot;        /* clear=boot: no clearing on first touch */
	bool clear_ahead;          /* clear=ahead: idle threads clear too */
};

#define OPT_DEFAULT_HEAP (16 * SZ_1M)
#define OPT_MIN_HEAP SZ_4K
#define OPT_DEFAULT_SMP_TIMEOUT_MS 5000

/** The defaults every option has when bootargs do not name it. */
void options_default(struct hv_options *o);

/**
 * Parse space-separated key=value words from `args` into `o` (which holds
 * defaults).  Words that are not ours (no recognised key) are ignored, so
 * the line may carry other firmware's options.  A recognised key with a
 * bad value leaves the default and appends "key: reason; " to `warn`.
 * Returns the number of bad values (0 when all were fine).
 */
int options_parse(const char *args, struct hv_options *o, char *warn,
		  size_t warnlen);

/**
 * True when a debug.*_cpu option value `opt` selects the thread with PIR
 * `pir` that is the `index`-th thread lparvisor took over (0 = boot).
 */
bool options_cpu_selected(uint32_t opt, uint32_t pir, uint32_t index);

/**
 * Parse a size: a decimal or 0x number with an optional K, M or G suffix.
 * Returns false for anything else or on overflow.
 */
bool options_parse_size(const char *s, size_t len, uint64_t *out);

#endif /* HV_OPTIONS_H */
