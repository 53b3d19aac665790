/*
 * Hypervisor interrupt handling.
 */
#ifndef HV_EXCEPTION_H
#define HV_EXCEPTION_H

#include "hv/regs.h"

/**
 * Copy the vectors (boot/vectors.S) to real address 0.  Call once, after
 * OPAL_REINIT_CPUS has made interrupts little-endian on every thread.
 */
void exception_install_vectors(void);

/** C entry from boot/vectors.S for every interrupt taken in HV mode. */
void hv_exception(struct regs *r);

/** Printable name of an interrupt vector. */
const char *exception_name(uint64_t vector);

#endif /* HV_EXCEPTION_H */
