/*
 * Console of a test partition: the vty (/vdevice, compatible "hvterm1")
 * through H_PUT_TERM_CHAR, 16 bytes per call packed big-endian into r6/r7
 * (QEMU 7.2 `spapr_vty.c`, LoPAR vty section).
 */
#ifndef TESTS_GUEST_LIB_CONSOLE_H
#define TESTS_GUEST_LIB_CONSOLE_H

#include "hv/lib/types.h"

/**
 * Find the vty in the device tree.  Returns its unit address (the termno
 * of H_PUT_TERM_CHAR), or 0 when the tree has none: QEMU then still
 * routes termno 0 to its first vty.
 */
uint32_t console_init(void);

/** The termno console_init() chose. */
uint32_t console_termno(void);

/** Write `len` bytes, '\n' becoming "\r\n".  Serialised between vCPUs. */
void console_write(const char *s, size_t len);

/** printf-style output (hv/lib/format.c conversions), whole lines at once. */
void printf(const char *fmt, ...) __printf(1, 2);

/**
 * Stop taking the console lock: for the unexpected-interrupt path, which
 * may have interrupted a vCPU in the middle of console_write().
 */
void console_break_lock(void);

#endif /* TESTS_GUEST_LIB_CONSOLE_H */
