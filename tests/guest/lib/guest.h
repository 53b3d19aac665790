/*
 * What a test payload provides and what the library offers it around the
 * run: lib_main() (called by head.S) sets up the device tree, console,
 * timebase, RTAS and vCPUs, calls test_main(), then guest_exit().
 */
#ifndef TESTS_GUEST_LIB_GUEST_H
#define TESTS_GUEST_LIB_GUEST_H

#include "hv/lib/types.h"

/* Provided by each payload. */
extern const char test_name[];
void test_main(void);

/** Called by head.S on the boot vCPU; never returns. */
void lib_main(void *fdt, long set_mode_le_rc) __noreturn;

/** Print the summary line and power the partition off through RTAS. */
void guest_exit(void) __noreturn;

#endif /* TESTS_GUEST_LIB_GUEST_H */
