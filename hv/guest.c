/*
 * vCPU entry and exits.  Exits are handled on the hardware thread's
 * exception stack while LPIDR and LPCR still hold the partition's values
 * (the hypervisor runs in real mode, which they do not affect), and the
 * guest resumes through the same frame: a light-weight exit in KVM's
 * terms.  Entry order follows Linux book3s_hv_p9_entry.c: LPIDR, LPCR,
 * then HDEC (POWER9 drops an HDEC written while LPCR[HDICE]=0).
 */
#include "hv/console.h"
#include "hv/emulate.h"
#include "hv/cpu.h"
#include "hv/exception.h"
#include "hv/guest.h"
#include "hv/hcall.h"
#include "hv/hv.h"
#include "hv/lib/string.h"
#include "hv/lpar_ops.h"
#include "hv/mce.h"
#include "hv/panic.h"
#include "hv/percpu.h"
#include "hv/platform.h"
#include "hv/profile.h"
#include "hv/service.h"
#include "hv/smp.h"
#include "hv/unit.h"
#include "hv/vcpu.h"
#include "hv/vpa.h"

/*
 * Facilities a guest may use without trapping: FP, VMX/VSX, DSCR, TAR and
 * the performance monitor (PM: MMCR0/1/2/A, PMC1-6, SIAR, SDAR, SIER; as
 * QEMU's pseries and PowerVM give it).  Not MSGP: msgsndp would reach
 * lparvisor's own threads of the core (and QEMU 7.2 aborts on a privileged
 * doorbell interrupt); `mfspr DPDES` is emulated instead (hv/emulate.c).
 * Not EBB or BHRB: the branch history would show the hypervisor's.
 */
#define GUEST_HFSCR (HFSCR_FP | HFSCR_VECVSX | HFSCR_DSCR | HFSCR_TAR | \
		     HFSCR_PM)

/* SRR1 bits an interrupt sets from its cause (ISA: bits 33:36, 42:47). */
#define SRR1_CAUSE_MASK 0x00000000783f0000ull
#define SRR1_PROGRAM_ILLEGAL 0x0000000000080000ull
#define SRR1_WAKE_RESET 0x0000000000100000ull

#define AIL3_BASE 0xc000000000004000ull

extern void stack_switch_call(uint64_t sp, void (*fn)(void *), void *arg);

static uint64_t tick_tb(void)
{
	return ms_to_tb(1) * GUEST_TICK_US / 1000;
}

/*
 * The farthest HDEC lparvisor sets: the largest value a 32-bit HDEC holds
 * (about 4.2 s at 512 MHz), unless guest_probe_hdec() found a wider one
 * (POWER9 and Power10 implement 56 bits; QEMU's powernv9/10 model them
 * so), which takes 2^50 ticks (25 days at 512 MHz): a vCPU with nothing
 * pending then never sees the HDEC, where the 32-bit value brought it
 * back once every 4.2 s.  Written once on the boot thread before any
 * vCPU runs; read-only after.
 */
#define HDEC_FAR_32 0x7fffffffull
#define HDEC_FAR_WIDE (1ull << 50)
static uint64_t hdec_far = HDEC_FAR_32;

void guest_probe_hdec(void)
{
	uint64_t got;

	/* POWER8's HDEC is 32 bits (and a write of 0 might latch an edge). */
	if (hv_machine.family != CPU_POWER9 && hv_machine.family != CPU_POWER10) {
		return;
	}
	/* MSR[EE] is 0 here, so no HDEC interrupt is taken. */
	mtspr(SPRN_HDEC, HDEC_FAR_WIDE);
	got = mfspr(SPRN_HDEC);
	mtspr(SPRN_HDEC, HDEC_FAR_32);
	/* A 32-bit HDEC keeps the low 32 bits (0) and reads back negative. */
	if (got <= HDEC_FAR_WIDE && got > HDEC_FAR_WIDE - ms_to_tb(1000)) {
		hdec_far = HDEC_FAR_WIDE;
	}
}

uint64_t guest_hdec_far(void)
{
	return hdec_far;
}

/*
 * A vCPU is interrupted by lparvisor only when something is pending for
 * it (issue 21).  Every event another thread makes for it kicks its
 * thread with a doorbell (hv/vcpu.c vcpu_kick(): prods, XICS lines,
 * system resets, its partition's stop); its own decrementer goes to the
 * guest directly; watchdogs, console input and output are an idle
 * thread's housekeeping (hv/service.c).  So it needs the HDEC tick only
 * when every thread has a vCPU and its thread is the one that keeps
 * house, or while it holds an interrupt its MSR[EE] kept out
 * (arm_pending_tick()).
 */
static uint64_t next_hdec(void)
{
	return service_vcpu_ticks() ? tick_tb() : hdec_far;
}

bool guest_interrupted(const struct regs *r)
{
	uint64_t msr = (r->trap & TRAP_HSRR) ? r->hsrr1 : r->srr1;

	return !(msr & MSR_HV);
}

static uint64_t *guest_pc(struct regs *r)
{
	return (r->trap & TRAP_HSRR) ? &r->hsrr0 : &r->srr0;
}

static uint64_t *guest_msr(struct regs *r)
{
	return (r->trap & TRAP_HSRR) ? &r->hsrr1 : &r->srr1;
}

void guest_flush_partition(uint32_t lpid)
{
	if (cpu_family_has_radix(hv_machine.family)) {
		cpu_tlbie_lpid(lpid);
	} else {
		cpu_tlbie_lpid_hash(lpid); /* POWER8: hash only, no RIC */
	}
}

void guest_load_sdr1(struct vcpu *vc)
{
	const struct lpar *l = vc->lpar;
	/* The count first: the SDR1 read after it is at least as new. */
	uint32_t gen = __atomic_load_n(&l->sdr1_gen, __ATOMIC_ACQUIRE);

	mtspr(SPRN_SDR1, __atomic_load_n(&l->sdr1, __ATOMIC_RELAXED));
	isync();
	__atomic_store_n(&vc->sdr1_gen, gen, __ATOMIC_RELEASE);
}

/* POWER8: SDR1 again if the partition's table moved (a resize). */
static void sdr1_follow(struct vcpu *vc)
{
	const struct lpar *l = vc->lpar;

	if (l->hpt && !cpu_family_has_radix(hv_machine.family) &&
	    __atomic_load_n(&l->sdr1_gen, __ATOMIC_ACQUIRE) != vc->sdr1_gen) {
		guest_load_sdr1(vc);
	}
}

/* Point this thread at the partition; every exit path leaves it set. */
static void switch_to_partition(struct vcpu *vc)
{
	const struct lpar *l = vc->lpar;

	lpar_load_ptcr(); /* threads started before the table existed */
	if (l->hpt && !cpu_family_has_radix(hv_machine.family)) {
		guest_load_sdr1(vc); /* POWER8: no partition table */
	}
	mtspr(SPRN_LPIDR, l->cfg.lpid);
	isync();
	mtspr(SPRN_LPCR, l->lpcr);
	isync();
	this_cpu()->guest_lpcr = l->lpcr;
	if (l->pcr || this_cpu()->guest_pcr) {
		/* A compatibility mode (hv/lpar.c), or out of a previous one. */
		mtspr(SPRN_PCR, l->pcr);
		this_cpu()->guest_pcr = l->pcr;
	}
	mtspr(SPRN_AMOR, ~0ull);
	mtspr(SPRN_HFSCR, GUEST_HFSCR);
	mtspr(SPRN_HDEC, next_hdec());
}

/*
 * The performance monitor as reset leaves it: counters frozen and zero,
 * no event selected, no alert pending, nothing sampled (and Power10's
 * MMCR3, SIER2 and SIER3 zero).
 */
static void pmu_clear(void)
{
	mtspr(SPRN_MMCR0, MMCR0_FC);
	isync();
	mtspr(SPRN_MMCR1, 0);
	mtspr(SPRN_MMCR2, 0);
	mtspr(SPRN_MMCRA, 0);
	mtspr(SPRN_PMC1, 0);
	mtspr(SPRN_PMC2, 0);
	mtspr(SPRN_PMC3, 0);
	mtspr(SPRN_PMC4, 0);
	mtspr(SPRN_PMC5, 0);
	mtspr(SPRN_PMC6, 0);
	mtspr(SPRN_SIAR, 0);
	mtspr(SPRN_SDAR, 0);
	mtspr(SPRN_SIER, 0);
	if (cpu_family_has_pmu_v31(hv_machine.family)) {
		mtspr(SPRN_MMCR3, 0);
		mtspr(SPRN_SIER2, 0);
		mtspr(SPRN_SIER3, 0);
	}
}

/*
 * Registers a partition may write without trapping and that nothing else
 * sets on entry: at each boot of the partition, every vCPU's first entry
 * starts them from the values a fresh machine gives (QEMU's reset values:
 * zero, counters frozen), not from the previous life of this thread.
 */
static void reset_guest_registers(void)
{
	mtspr(SPRN_SPRG0, 0);
	mtspr(SPRN_SPRG1, 0);
	mtspr(SPRN_SPRG2, 0);
	mtspr(SPRN_SPRG3, 0);
	mtspr(SPRN_AMR, 0);
	mtspr(SPRN_IAMR, 0);
	mtspr(SPRN_UAMOR, 0);
	mtspr(SPRN_FSCR, 0);
	mtspr(SPRN_DSCR, 0);
	mtspr(SPRN_TAR, 0);
	mtspr(SPRN_VRSAVE, 0);
	mtspr(SPRN_PSPB, 0);
	mtspr(SPRN_DAR, 0);
	mtspr(SPRN_DSISR, 0);
	mtspr(SPRN_PSSCR, 0); /* guest fields PLS, TR, MTL, RL: 0 */
	pmu_clear();
	cpu_clear_fp_vec();
}

/*
 * Arm the hcall fast path (boot/vectors.S hcall_fast: the null hcall,
 * H_RANDOM from darn where the processor has it, and get-time-of-day
 * through rtas/fast.c rtas_fast_call()) for `vc`: only while exits are
 * untimed, since it times nothing.
 */
static void hcall_fast_arm(struct pcpu *me, struct vcpu *vc)
{
	const struct hcall_entry *e = hcall_lookup(H_SET_DABR);
	const struct hcall_entry *rtas = hcall_lookup(KVMPPC_H_RTAS);
	const struct hcall_entry *rng = hcall_lookup(H_RANDOM);

	me->fast_vcpu = NULL;
	if (!e || hv_opts.profile) {
		return;
	}
	me->fast_exit_n = &vc->prof.exit[prof_exit_slot(0xc00)].n;
	me->fast_hcall_n = &vc->prof.hcall[e - hcall_table].n;
	me->fast_bad = &vc->lpar->bad_hcalls;
	me->fast_rtas_n = rtas ? &vc->prof.hcall[rtas - hcall_table].n : NULL;
	me->fast_random_n = rng && cpu_family_has_darn(hv_machine.family) ?
			    &vc->prof.hcall[rng - hcall_table].n : NULL;
	me->fast_vcpu = vc;
}

void guest_enter(struct vcpu *vc, const struct vcpu_entry *e)
{
	struct pcpu *me = this_cpu();
	uint64_t sp = me->exc_stack_top - EXC_FRAME_BYTES;
	struct regs *r = (struct regs *)(sp + EXC_FRAME_HEADER);

	memset(r, 0, sizeof(*r));
	r->gpr[3] = e->r3;
	r->gpr[4] = e->r4;
	r->gpr[5] = e->r5;
	r->hsrr0 = e->pc;
	r->hsrr1 = e->msr & ~MSR_HV;
	r->trap = TRAP_HSRR;
	me->cur_vcpu = vc;
	me->exc_depth = 0;
	hcall_fast_arm(me, vc);
	profile_guest_entry(vc);
	if (vc->fresh) {
		reset_guest_registers();
		/*
		 * A hash guest's SLB stays in the thread across exits (lparvisor
		 * runs in real mode and never uses it), so a new life clears all
		 * of it; a radix guest can only have written entries 0-3.
		 */
		if (vc->lpar->hpt) {
			slb_clear_hash();
		} else {
			slb_clear_radix();
		}
		vc->fresh = false;
	}
	mtspr(SPRN_PIDR, 0);
	mtspr(SPRN_DEC, 0x7fffffff); /* far away with LPCR[LD] or not */
	switch_to_partition(vc);
	lpar_units_vcpu_enter(vc);
	exc_resume_frame(sp);
}

/* Runs on the thread's normal stack once the vCPU is out of the guest. */
static __noreturn void leave_tail(void *arg)
{
	struct vcpu *vc = arg;

	lpar_vcpu_stopped(vc);
	cpu_idle(this_cpu());
}

void guest_leave(struct vcpu *vc)
{
	struct pcpu *me = this_cpu();

	lpar_units_vcpu_leave(vc);
	/* The guest's counters stop: no alert of theirs may reach lparvisor. */
	mtspr(SPRN_MMCR0, MMCR0_FC);
	mtspr(SPRN_LPIDR, 0);
	isync();
	mtspr(SPRN_LPCR, LPCR_DPFD_4);
	isync();
	mtspr(SPRN_HDEC, 0x7fffffffull);
	me->fast_vcpu = NULL;
	me->cur_vcpu = NULL;
	me->exc_depth = 0;
	/* From here on the vCPU may be started again, or its partition restarted. */
	BUG_ON(!vcpu_left(vc));
	stack_switch_call(me->stack_top, leave_tail, vc);
	cpu_park();
}

/*
 * Deliver interrupt `vec` to the guest as the hardware would: SRR0/1 get
 * the interrupted state, the new MSR follows LPCR[ILE] and LPCR[AIL].  The
 * frame then returns through hrfid, so SRR0/1 are free to hold the guest's
 * values even when the exit itself was an sc (which uses SRR0/1).
 */
static void inject(struct lpar *l, struct regs *r, uint64_t vec,
		   uint64_t cause)
{
	uint64_t pc = *guest_pc(r);
	uint64_t msr = *guest_msr(r);
	uint64_t nmsr = (msr & MSR_ME) | MSR_SF;

	if (l->lpcr & LPCR_ILE) {
		nmsr |= MSR_LE;
	}
	r->srr0 = pc;
	r->srr1 = (msr & ~SRR1_CAUSE_MASK) | cause;
	/* System reset and machine check: inject_nmi(), never AIL. */
	if ((l->lpcr & LPCR_AIL_MASK) == LPCR_AIL_3 &&
	    (msr & (MSR_IR | MSR_DR)) == (MSR_IR | MSR_DR)) {
		nmsr |= MSR_IR | MSR_DR;
		pc = AIL3_BASE + vec;
	} else {
		pc = vec;
	}
	r->hsrr0 = pc;
	r->hsrr1 = nmsr;
	r->trap |= TRAP_HSRR;
}

/*
 * System reset and machine check: taken in real mode at `target` (their
 * vector, or the partition's FWNMI handler), never relocated by AIL.
 * `me`: the new MSR[ME] (FWNMI handlers run with ME set, as QEMU's
 * ppc_cpu_do_fwnmi_machine_check gives it).
 */
static void inject_nmi(struct lpar *l, struct regs *r, uint64_t target,
		       uint64_t cause, bool me)
{
	uint64_t msr = *guest_msr(r);
	uint64_t nmsr = (me ? MSR_ME : (msr & MSR_ME)) | (msr & MSR_SF);

	if (l->lpcr & LPCR_ILE) {
		nmsr |= MSR_LE;
	}
	r->srr0 = *guest_pc(r);
	r->srr1 = (msr & ~SRR1_CAUSE_MASK) | cause;
	r->hsrr0 = target;
	r->hsrr1 = nmsr;
	r->trap |= TRAP_HSRR;
}

static void handle_hcall(struct vcpu *vc, struct regs *r)
{
	struct hcall_args a;
	int64_t rc;

	a.nr = r->gpr[3];
	for (int i = 0; i < 9; i++) {
		a.arg[i] = r->gpr[4 + i];
		a.ret[i] = 0; /* no stale hypervisor data can reach the guest */
	}
	rc = hcall_dispatch(vc, r->srr1, &a);
	r->gpr[3] = (uint64_t)rc;
	for (uint32_t i = 0; i < a.ret_count && i < 9; i++) {
		r->gpr[4 + i] = a.ret[i];
	}
}

static __noreturn void crash(struct vcpu *vc, struct regs *r,
			     const char *what)
{
	struct lpar *l = vc->lpar;

	hv_printf("lparvisor: partition \"%s\" vCPU %u: %s at PC 0x%llx "
		  "(MSR 0x%llx, HDAR 0x%llx, HDSISR 0x%llx, ASDR 0x%llx)\n",
		  l->cfg.name, vc->id, what,
		  (unsigned long long)*guest_pc(r),
		  (unsigned long long)*guest_msr(r),
		  (unsigned long long)r->hdar, (unsigned long long)r->hdsisr,
		  (unsigned long long)r->asdr);
	lpar_request_stop(l, STOP_CRASH);
	guest_leave(vc);
}

/*
 * A facility lparvisor does not grant (0xf80) or an instruction the
 * processor left to it (0xe40): see whether hv/emulate.c completes it.
 * Only `mfspr DPDES` is, for now.
 */
static bool emulate(struct vcpu *vc, struct regs *r, uint64_t vec)
{
	struct emulate_ctx c = {
		.mem = &vc->lpar->mem,
		.pate1 = vc->lpar->pate1,
		.pidr = mfspr(SPRN_PIDR),
	};
	uint64_t pc = *guest_pc(r);

	if (vec != 0xf80 ||
	    (mfspr(SPRN_HFSCR) >> HFSCR_IC_SHIFT) != HFSCR_IC_MSGP ||
	    !emulate_msgp(&c, r, &pc, *guest_msr(r))) {
		return false;
	}
	*guest_pc(r) = pc;
	return true;
}

/*
 * SRR1 of a machine check as QEMU 7.2 sets it for an access with nothing
 * behind it (ppc_cpu_do_transaction_failed, POWER9): bit 42 marks a
 * load/store; a store adds 36, 43 and 45; an instruction fetch 36, 44
 * and 45 (IBM bit numbers of the 64-bit register).
 */
#define PPC_BIT(b) (1ull << (63 - (b)))
#define SRR1_MC_LOAD PPC_BIT(42)
#define SRR1_MC_STORE (PPC_BIT(36) | PPC_BIT(42) | PPC_BIT(43) | PPC_BIT(45))
#define SRR1_MC_IFETCH (PPC_BIT(36) | PPC_BIT(44) | PPC_BIT(45))
#define HDSISR_STORE 0x02000000ull

/*
 * The partition touched guest real memory it does not have (HDSI/HISI
 * outside its memory, or a real machine check taken in it): a partition
 * that registered FWNMI gets a machine check at its handler with an RTAS
 * error log (hv/mce.c); any other keeps the crash policy, since it has
 * asked for no way to be told.
 */
static void machine_check(struct vcpu *vc, struct regs *r, enum mce_kind kind,
			  uint64_t ea, uint64_t gra, const char *what)
{
	struct lpar *l = vc->lpar;
	struct mce_event ev = {
		.kind = kind, .ea = ea, .gra = gra, .vcpu = vc->id,
		.r3 = r->gpr[3],
	};
	uint64_t entry, log;
	static const uint64_t srr1[] = {
		[MCE_LOAD] = SRR1_MC_LOAD,
		[MCE_STORE] = SRR1_MC_STORE,
		[MCE_IFETCH] = SRR1_MC_IFETCH,
	};

	if (!mce_deliver(&l->fwnmi, &l->mem, &ev, &entry, &log)) {
		crash(vc, r, what);
	}
	if (kind != MCE_IFETCH) {
		mtspr(SPRN_DAR, ea); /* the guest's own DAR: live on this thread */
	}
	inject_nmi(l, r, entry, srr1[kind], true);
	r->gpr[3] = log;
}

/*
 * HDSI/HISI on a chunk of the partition's memory not yet cleared
 * (mm/lazy.h): clear and map it, and let the guest run the instruction
 * again.  False when the page is not the partition's own memory.
 */
static bool first_touch(struct vcpu *vc, struct regs *r)
{
	struct lpar *l = vc->lpar;
	/* ASDR holds the guest real page (a table walk's too). */
	uint64_t page = r->asdr & ~0xfffull;
	uint64_t t0;

	if (!l->mem.lazy || page >= l->mem.size) {
		return false;
	}
	t0 = mftb();
	if (!lazy_fill(&l->lazy, page)) {
		/* A chunk of its images failed its sha256 (mm/lazy.h). */
		lpar_image_report(l);
		lpar_request_stop(l, STOP_IMAGE);
		guest_leave(vc);
	}
	profile_first_fault(vc, t0);
	return true;
}

/* A data or instruction access outside the partition's memory. */
static void outside_memory(struct vcpu *vc, struct regs *r, uint64_t vec)
{
	uint64_t pc = *guest_pc(r);
	uint64_t page;

	/*
	 * ASDR holds the guest real page, HDAR the effective address.
	 * POWER8 has no ASDR; its faults come only from real mode through
	 * the VRMA (LPCR[VPM1] = 0), where the two addresses are the same.
	 */
	if (!cpu_family_has_radix(hv_machine.family)) {
		r->asdr = vec == 0xe20 ? pc : r->hdar;
	}
	page = r->asdr & ~0xfffull;

	if (vec == 0xe20) {
		machine_check(vc, r, MCE_IFETCH, pc, page | (pc & 0xfff),
			      "instruction fetch outside its memory");
	}
	machine_check(vc, r, (r->hdsisr & HDSISR_STORE) ? MCE_STORE : MCE_LOAD,
		      r->hdar, page | (r->hdar & 0xfff),
		      "data access outside its memory");
}

static void handle_exit(struct vcpu *vc, struct regs *r, uint64_t vec)
{
	switch (vec) {
	case 0xc00:
		handle_hcall(vc, r);
		break;
	case 0x980:
		mtspr(SPRN_HDEC, next_hdec());
		service_poll();
		break;
	case 0xe00:
	case 0xe20:
		if (!first_touch(vc, r)) {
			outside_memory(vc, r, vec);
		}
		break;
	case 0xe40:
	case 0xf80:
		if (!emulate(vc, r, vec)) {
			/* An illegal instruction, as PAPR has it. */
			inject(vc->lpar, r, 0x700, SRR1_PROGRAM_ILLEGAL);
		}
		break;
	case 0xe60:
		platform_handle_hmi();
		break;
	case 0xe80:
		doorbell_clear(); /* a kick: the flags are looked at below */
		break;
	case 0xea0:
		lpar_units_vcpu_hvi(vc); /* a host-ring interrupt: not the guest's */
		break;
	case 0x500:
		/*
		 * POWER8: a kick, the IPI of this thread's ICP
		 * (guest_doorbell()).  POWER9 and later (no ICP): a XICS
		 * partition's OS ring (LPES0 clear) with host MSIs forwarded
		 * to its XICS (intc/xics_fwd.h).
		 */
		if (this_cpu()->icp) {
			platform_icp_take(this_cpu()->icp);
		} else {
			lpar_units_vcpu_hvi(vc);
		}
		break;
	case 0x100:
		crash(vc, r, "system reset");
	case 0x200:
		/* A real one, taken in the guest: SRR1 bit 42 says load/store. */
		machine_check(vc, r, (*guest_msr(r) & SRR1_MC_LOAD) ? MCE_LOAD :
				     MCE_IFETCH,
			      (*guest_msr(r) & SRR1_MC_LOAD) ? r->dar :
				     *guest_pc(r), 0, "machine check");
		break;
	default:
		crash(vc, r, exception_name(vec));
	}
}

void guest_exit(struct vcpu *vc, struct regs *r)
{
	struct lpar *l = vc->lpar;
	uint64_t vec = r->trap & ~3ull;
	/* Counted always; timed with profile=on (mftb is a helper under TCG). */
	bool timed = hv_opts.profile;
	uint64_t t0 = timed ? mftb() : 0;
	bool reset = false;

	sdr1_follow(vc);
	handle_exit(vc, r, vec);
	prof_exit(&vc->prof, vec, timed ? mftb() - t0 : 0);
	if (vcpu_exit_work(vc)) {
		if (vcpu_must_leave(vc)) {
			guest_leave(vc);
		}
		reset = vcpu_take_reset(vc);
	}
	if (reset) {
		/*
		 * System reset ignores MSR[EE]; SRR1 wake cause "reset"; at the
		 * partition's FWNMI handler if it registered one.
		 */
		inject_nmi(l, r, mce_sreset_vector(&l->fwnmi), SRR1_WAKE_RESET,
			   false);
	} else if (vc->irq) {
		if (*guest_msr(r) & MSR_EE) {
			inject(l, r, 0x500, 0);
		} else {
			/*
			 * Held back by MSR[EE]: tried again within a tick.
			 * (LPCR[MER] would bring it back as soon as EE is set,
			 * but QEMU 7.2 does not implement it: seen untaken.)
			 */
			mtspr(SPRN_HDEC, tick_tb());
		}
	}
	/*
	 * Another vCPU's H_SET_MODE may have changed it: compared with what
	 * this thread last wrote, not read with an mfspr at every exit.
	 */
	if (this_cpu()->guest_lpcr != l->lpcr) {
		mtspr(SPRN_LPCR, l->lpcr);
		isync();
		this_cpu()->guest_lpcr = l->lpcr;
	}
	if (this_cpu()->guest_pcr != l->pcr) { /* CAS chose a level */
		mtspr(SPRN_PCR, l->pcr);
		this_cpu()->guest_pcr = l->pcr;
	}
	this_cpu()->exc_depth = 0;
}

/*
 * POWER9 and later deliver msgsnd to any thread by PIR.  A ceded thread
 * wakes from stop; a thread in the guest exits at 0xe80; a thread in the
 * hypervisor takes the doorbell when it next enters the guest.  POWER8's
 * msgsnd reaches only its own core, where no two vCPUs share one: the
 * kick is the IPI of the thread's ICP, which a thread in the guest takes
 * at 0x500 whatever the guest's MSR[EE], and a thread in the hypervisor
 * as it next enters the guest (or drops, ceded: guest_cede_wait()).  All
 * of them then see the flag (hv/vcpu.c decides whom to kick).
 */
void guest_doorbell(struct vcpu *vc)
{
	struct pcpu *pc = vc->pcpu;

	if (pc == this_cpu()) {
		return;
	}
	if (!cpu_family_msgsnd_any_thread(hv_machine.family)) {
		platform_icp_kick(pc->icp);
		return;
	}
	cpu_msgsnd_hv(pc->pir);
}

/*
 * The HDEC of a ceded vCPU's wait: the tick when vCPU threads keep house,
 * otherwise when the guest's own decrementer expires (it ends the cede)
 * or far away.  The HDEC is set after the DEC was read, so it expires no
 * sooner than the DEC.
 */
static uint64_t cede_hdec(void)
{
	int64_t dec;

	if (service_vcpu_ticks()) {
		return tick_tb();
	}
	dec = guest_dec_now();
	if (dec <= 0) {
		return 1;
	}
	return (uint64_t)dec < hdec_far ? (uint64_t)dec : hdec_far;
}

/*
 * One wait of a ceded vCPU (hv/vcpu.c decides when it ends): MSR[EE] is
 * the guest's, so its XIVE OS line, a doorbell or the HDEC end the stop.
 */
void guest_cede_wait(struct vcpu *vc)
{
	service_poll();
	if (!cpu_family_has_stop(hv_machine.family)) {
		/*
		 * POWER8 has no `stop`: `nap` until a kick (the ICP's IPI,
		 * external) or the guest's decrementer; a kick that came
		 * since the flags were looked at ends it at once.  The HDEC
		 * does not end a nap, so while vCPU threads keep house the
		 * thread polls instead.  The IPI is dropped after, the flags
		 * being looked at next; a resize may have moved the table.
		 */
		if (service_vcpu_ticks()) {
			smt_low();
		} else {
			cpu_nap(LPCR_EEE | LPCR_DEE);
		}
		platform_icp_take(this_cpu()->icp);
		sdr1_follow(vc);
		return;
	}
	mtspr(SPRN_HDEC, cede_hdec());
	cpu_stop_lite(); /* not at the guest's PSSCR level */
	doorbell_clear(); /* woken by a kick, or about to look anyway */
}

/*
 * An interrupt the guest must take: its interrupt controller's line, or a
 * performance monitor alert (MMCR0[PMAO]) its own PMU raised, which would
 * otherwise end every stop of its cede without ending the cede.
 */
bool guest_interrupt_due(struct vcpu *vc)
{
	return lpar_units_vcpu_pending(vc) ||
	       (mfspr(SPRN_MMCR0) & MMCR0_PMAO);
}

/* The areas as registered now (another vCPU may change them). */
static struct vpa_areas vpa_areas_of(const struct vcpu *vc)
{
	struct vpa_areas a = {
		.vpa = __atomic_load_n(&vc->vpa, __ATOMIC_ACQUIRE),
		.dtl = __atomic_load_n(&vc->dtl, __ATOMIC_ACQUIRE),
		.dtl_entries = __atomic_load_n(&vc->dtl_entries,
					       __ATOMIC_ACQUIRE),
		.vcpu_id = (uint16_t)vc->id,
	};

	return a;
}

/* Why the cede ended, as the DTL tells it (the prod was consumed). */
static enum vpa_wake cede_reason(struct vcpu *vc)
{
	if (vc->sreset) {
		return VPA_WAKE_SYSTEM_RESET;
	}
	if (guest_interrupt_due(vc)) {
		return VPA_WAKE_EXTERNAL;
	}
	if (guest_dec_now() < 0) {
		return VPA_WAKE_DECREMENTER;
	}
	return VPA_WAKE_PROD;
}

/*
 * H_CEDE: returns with MSR[EE] set, as PAPR has it.  The VPA's yield
 * count is odd while the vCPU waits and even once it runs again.
 */
int64_t guest_cede(struct vcpu *vc, struct regs *r)
{
	struct vpa_areas areas = vpa_areas_of(vc);
	int64_t rc;

	*guest_msr(r) |= MSR_EE;
	vpa_undispatch(&vc->lpar->mem, &areas);
	rc = vcpu_cede(vc);
	mtspr(SPRN_HDEC, next_hdec());
	areas = vpa_areas_of(vc);
	vpa_dispatch(&vc->lpar->mem, &areas, cede_reason(vc), *guest_pc(r),
		     *guest_msr(r));
	return rc;
}
