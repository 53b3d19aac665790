/*
 * Bringing every hardware thread under lparvisor's control.
 */
#ifndef HV_SMP_H
#define HV_SMP_H

#include "hv/machine.h"
#include "hv/percpu.h"

/** Make the running (boot) thread pcpu 0; sets r13 and HSPRG0. */
void smp_init_boot_cpu(void);

/**
 * Start every other thread of `m` through OPAL and wait (bounded by the
 * smp_timeout_ms boot option) for each to report in.  Threads that OPAL
 * refuses or that never arrive are reported and left out.
 * Returns the number of threads online, the boot thread included.
 */
uint32_t smp_start_secondaries(const struct machine *m);

/** Print one line per thread with what it reported about itself. */
void smp_report(void);

/** C entry of a secondary thread (boot/head.S); never returns. */
__noreturn void secondary_main(struct pcpu *me);

/** The idle loop of every thread (runs its bound vCPU when started). */
__noreturn void cpu_idle(struct pcpu *me);

/** Per-thread processor set-up common to boot and secondary threads. */
void cpu_init_this(void);

#endif /* HV_SMP_H */
