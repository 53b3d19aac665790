/*
 * Dispatch accounting in a vCPU's VPA (LoPAR "Virtual Processor Area",
 * Linux `struct lppaca`): the yield count at 0x100 is odd while the vCPU
 * is not dispatched and even while it runs (QEMU 7.2 spapr_cpu_exec_enter
 * and _exit keep it the same way under TCG); Linux reads it for steal time
 * and to see a preempted lock holder.  The dispatch trace log is a ring
 * of 48-byte entries in guest memory whose count is the VPA's dtl_idx
 * (KVM-HV kvmppc_create_dtl_entry writes the same fields).  Cores are
 * dedicated, so the only undispatched time is H_CEDE, and nothing was
 * stolen: enqueue/ready/wait times are 0.
 *
 * Every address was checked when it was registered (hv/hcall.c) and is
 * reached through gmem; the guest may rewrite any field at any time, so
 * each value is read once and only derived values are written back.
 */
#include "hv/abi/vpa.h"
#include "hv/cpu.h"
#include "hv/lib/string.h"
#include "hv/vpa.h"
#include "mm/gmem.h"

/* Add one to the yield count, then one more if its parity is not `odd`. */
static void bump_yield(const struct gmem *g, uint64_t vpa, bool odd)
{
	be32 raw;
	uint32_t count;

	if (!gmem_read(g, vpa + VPA_OFF_YIELD_COUNT, &raw, sizeof(raw))) {
		return;
	}
	count = be32_to_cpu(raw) + 1;
	if ((count & 1) != odd) {
		count++; /* the guest wrote a wrong parity: as QEMU, correct it */
	}
	raw = cpu_to_be32(count);
	gmem_write(g, vpa + VPA_OFF_YIELD_COUNT, &raw, sizeof(raw));
}

void vpa_undispatch(const struct gmem *g, const struct vpa_areas *a)
{
	if (a->vpa) {
		bump_yield(g, a->vpa, true);
	}
}

static void log_dispatch(const struct gmem *g, const struct vpa_areas *a,
			 enum vpa_wake why, uint64_t pc, uint64_t msr)
{
	struct dtl_entry e;
	uint8_t mask;
	be64 raw;
	uint64_t idx;

	if (!a->dtl_entries ||
	    !gmem_read(g, a->vpa + VPA_OFF_DTL_ENABLE_MASK, &mask, 1) ||
	    !(mask & DTL_LOG_CEDE) ||
	    !gmem_read(g, a->vpa + VPA_OFF_DTL_IDX, &raw, sizeof(raw))) {
		return;
	}
	idx = be64_to_cpu(raw);
	memset(&e, 0, sizeof(e));
	e.dispatch_reason = (uint8_t)why;
	e.preempt_reason = 2; /* H_CEDE */
	e.processor_id = cpu_to_be16(a->vcpu_id);
	e.timebase = cpu_to_be64(mftb());
	e.srr0 = cpu_to_be64(pc);
	e.srr1 = cpu_to_be64(msr);
	gmem_write(g, a->dtl + (idx % a->dtl_entries) * sizeof(e), &e,
		   sizeof(e));
	lwsync(); /* the entry before the index that publishes it */
	raw = cpu_to_be64(idx + 1);
	gmem_write(g, a->vpa + VPA_OFF_DTL_IDX, &raw, sizeof(raw));
}

void vpa_dispatch(const struct gmem *g, const struct vpa_areas *a,
		  enum vpa_wake why, uint64_t pc, uint64_t msr)
{
	if (!a->vpa) {
		return;
	}
	bump_yield(g, a->vpa, false);
	if (a->dtl) {
		log_dispatch(g, a, why, pc, msr);
	}
}
