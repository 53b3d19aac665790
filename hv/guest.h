/*
 * Running a vCPU on its hardware thread: entry into the guest, the exits
 * that bring it back (hcalls, storage faults outside its memory, emulation
 * assists, timer ticks), interrupt injection and H_CEDE waits.
 */
#ifndef HV_GUEST_H
#define HV_GUEST_H

#include "hv/lpar.h"
#include "hv/regs.h"
#include "hv/vcpu.h"

/*
 * The housekeeping tick: the HDEC brings a running vCPU back this often
 * only while it must (hv/guest.c next_hdec()).
 */
#define GUEST_TICK_US 1000

/**
 * Enter `vc` in the guest at e->pc with e->msr and r3..r5 from e, on the
 * calling thread (which must be vc->pcpu), once vcpu_idle_work() has made
 * it RUNNING.  Never returns: exits are handled in place and resume the
 * guest; a stopped vCPU returns its thread to the idle loop.
 */
__noreturn void guest_enter(struct vcpu *vc, const struct vcpu_entry *e);

/** Handle an interrupt that came from guest state (called by hv_exception). */
void guest_exit(struct vcpu *vc, struct regs *r);

/**
 * Find how wide the HDEC is (boot thread, once, before any vCPU runs, with
 * MSR[EE] clear): a wide one lets a vCPU with nothing pending run with no
 * HDEC at all (25 days away).  Returns nothing.
 */
void guest_probe_hdec(void);

/** The farthest HDEC lparvisor sets (ticks), as guest_probe_hdec() found. */
uint64_t guest_hdec_far(void);

/** True when the interrupted context in `r` was a guest (MSR[HV]=0). */
bool guest_interrupted(const struct regs *r);

/**
 * Bring the calling thread's vCPU out of the guest for good: reset the
 * thread to host state and go idle.  Used when a partition stops.
 */
__noreturn void guest_leave(struct vcpu *vc);

#endif /* HV_GUEST_H */
