/*
 * KVMPPC_H_RTAS from the hcall fast path (boot/vectors.S hcall_fast),
 * which has checked what it checks for the null hcall (armed by
 * hv/guest.c guest_enter(), supervisor state, nothing pending for the
 * vCPU or its partition) and saved only the guest's volatile registers:
 * no frame, `vc->frame` NULL, no guest_exit().  Apart from rtas/rtas.c
 * so that the unit tests, which build that file on the host, need no
 * per-thread data.
 */
#include "hv/percpu.h"
#include "hv/vcpu.h"
#include "rtas/rtas.h"

bool rtas_fast_call(struct vcpu *vc, uint64_t arg)
{
	struct pcpu *me = this_cpu();

	if (!me->fast_rtas_n || !rtas_fast_tod(vc, arg)) {
		return false;
	}
	/* Counted as hcall_dispatch() counts it. */
	(*me->fast_exit_n)++;
	(*me->fast_rtas_n)++;
	return true;
}
