/*
 * RTAS from a test partition: services are looked up by name in /rtas
 * (tokens are the platform's choice) and called with KVMPPC_H_RTAS
 * (0xf000), r4 = guest-real address of a big-endian `struct rtas_args`
 * (QEMU 7.2 `h_rtas`, `spapr_rtas_call`; papr-guest-reference.md §4).
 */
#ifndef TESTS_GUEST_LIB_RTAS_H
#define TESTS_GUEST_LIB_RTAS_H

#include "hv/abi/rtas.h"
#include "hv/lib/types.h"

#define RTAS_UNKNOWN_SERVICE (-1)

/** Check that /rtas exists.  Returns false otherwise. */
bool rtas_init(void);

/** Token of service `name` from /rtas, or RTAS_UNKNOWN_SERVICE. */
int rtas_token(const char *name);

/**
 * Call `token` with `nargs` 32-bit arguments (the variadic part, each an
 * unsigned int) and `nret` results.  rets[0] is the status and is
 * returned; rets[1..nret-1] go to outputs[0..nret-2] when `outputs` is
 * non-NULL.  Calls are serialised between vCPUs.  A missing token
 * returns RTAS_OUT_PARAM_ERROR without calling.
 */
int rtas_call(int token, int nargs, int nret, uint32_t *outputs, ...);

/**
 * Issue KVMPPC_H_RTAS on a caller-built buffer (fields big-endian).
 * Returns the hypervisor's r3 (QEMU: H_PARAMETER for an unknown token).
 */
long rtas_call_buf(struct rtas_args_wire *args);

/**
 * The partition's RTAS code: /rtas linux,rtas-entry, where the platform
 * placed it (lparvisor does; QEMU's -M pseries with -bios places none),
 * or 0.
 */
unsigned long rtas_code_entry(void);

/**
 * Call the RTAS code at `entry` on `args` as Linux does (lib/rtas_enter.S:
 * 32-bit big-endian real mode, interrupts off).  Returns the code's r3:
 * 0 when it answered, else the status of the hcall it made.
 */
long rtas_enter(unsigned long entry, struct rtas_args_wire *args);

/** QEMU 7.2's RTAS code (KVMPPC_H_RTAS on r3), big-endian, in the payload. */
extern const char rtas_qemu_code[];

/** RTAS stop-self for the calling vCPU (no lock: never returns). */
void rtas_stop_self(void) __noreturn;

/** RTAS power-off(-1, -1); spins if the platform does not stop us. */
void rtas_power_off(void) __noreturn;

#endif /* TESTS_GUEST_LIB_RTAS_H */
