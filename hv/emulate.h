/*
 * Instructions lparvisor completes for a guest instead of letting them
 * trap into it: the few a facility it does not grant would otherwise
 * turn into a program interrupt.
 */
#ifndef HV_EMULATE_H
#define HV_EMULATE_H

#include "hv/lib/types.h"
#include "hv/regs.h"
#include "mm/gmem.h"

/* What emulation needs of the partition: its memory and process table. */
struct emulate_ctx {
	const struct gmem *mem;
	uint64_t pate1; /* PRTB | PRTS as H_REGISTER_PROC_TBL set it, or 0 */
	uint64_t pidr;
};

/**
 * Read the 4-byte instruction at the guest's `pc` with MSR `msr`: a guest
 * real address when MSR[IR]=0, else walked through the guest's radix
 * process table (quadrant 0 with PIDR, quadrant 3 with PID 0), in the
 * guest's byte order.  Returns false when it cannot be reached.
 */
bool emulate_fetch(const struct emulate_ctx *c, uint64_t pc, uint64_t msr,
		   uint32_t *insn);

/**
 * A hypervisor facility unavailable interrupt for the MSGP facility at
 * guest `*pc` (MSR `msr`): `mfspr rT,DPDES` is completed with rT = 0, as no
 * privileged doorbell is ever pending (MSGP is not granted: msgsndp would
 * reach lparvisor's other threads of the core), and `*pc` moved past it.
 * Returns false for anything else (msgsndp, msgclrp, mtspr DPDES: the
 * caller injects a program interrupt) and when `*pc` cannot be read.
 */
bool emulate_msgp(const struct emulate_ctx *c, struct regs *r,
		  uint64_t *pc, uint64_t msr);

#endif /* HV_EMULATE_H */
