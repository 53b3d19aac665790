/*
 * SMP bring-up.  Order (powernv-host-reference.md §5, skiboot
 * doc/opal-api/opal-reinit-cpus-70.rst): OPAL_REINIT_CPUS while every
 * other thread is still in OPAL, vectors in place, then OPAL_START_CPU per
 * thread.  Each thread arrives in boot/head.S with only r3 = PIR, finds
 * the struct pcpu prepared for it here, and reports what it sees.
 */
#include "hv/console.h"
#include "hv/guest.h"
#include "hv/lpar_ops.h"
#include "hv/service.h"
#include "hv/cpu.h"
#include "hv/hv.h"
#include "hv/panic.h"
#include "hv/platform.h"
#include "hv/smp.h"
#include "hv/vcpu.h"
#include "mm/mem.h"

struct pcpu *pcpu_table[MAX_CPUS];
uint32_t pcpu_count;

static struct pcpu boot_pcpu;
static uint8_t boot_exc_stack[HV_EXC_STACK_SIZE] __aligned(16);

extern char secondary_start[];
extern char boot_stack_top[];

static void record_self(struct pcpu *me)
{
	me->arrive_tb = mftb();
	me->pvr = mfspr(SPRN_PVR);
	me->msr = mfmsr();
	me->lpcr = mfspr(SPRN_LPCR);
	me->hid0 = mfspr(SPRN_HID0);
	me->hfscr = mfspr(SPRN_HFSCR);
}

void cpu_init_this(void)
{
	/*
	 * MSR[ME] was set by the big-endian entry trampoline (hv/asm.h);
	 * mark the state recoverable (mtmsrd L=1 changes only EE and RI).
	 */
	mtmsrd_ee_ri(MSR_RI);
	/*
	 * Host LPCR: keep the prefetch depth, no HDEC or HV virtualization
	 * interrupts yet, no wake-up events (idle uses stop with EC=0).
	 */
	mtspr(SPRN_LPCR, LPCR_DPFD_4);
	isync();
	lpar_load_ptcr();
}

void smp_init_boot_cpu(void)
{
	boot_pcpu.pir = (uint32_t)mfspr(SPRN_PIR);
	boot_pcpu.index = 0;
	boot_pcpu.exc_stack_top = (uintptr_t)boot_exc_stack + sizeof(boot_exc_stack);
	boot_pcpu.stack_top = (uintptr_t)boot_stack_top;
	boot_pcpu.state = PCPU_ONLINE;
	this_cpu_reg = &boot_pcpu;
	mtspr(SPRN_HSPRG0, (uintptr_t)&boot_pcpu);
	pcpu_table[0] = &boot_pcpu;
	pcpu_count = 1;
}

static struct pcpu *prepare(uint32_t pir, const struct machine_core *core,
			    uint64_t icp)
{
	struct pcpu *pc = mem_zalloc_boot(sizeof(*pc), 64, "per-cpu data");
	uint8_t *stack = mem_zalloc_boot(HV_STACK_SIZE, 16, "a cpu stack");
	uint8_t *exc = mem_zalloc_boot(HV_EXC_STACK_SIZE, 16,
				       "a cpu exception stack");

	pc->pir = pir;
	pc->index = pcpu_count;
	pc->chip_id = core->chip_id;
	pc->core_pir = core->pir;
	pc->icp = icp;
	pc->stack_top = (uintptr_t)stack + HV_STACK_SIZE;
	pc->exc_stack_top = (uintptr_t)exc + HV_EXC_STACK_SIZE;
	pc->state = PCPU_ABSENT;
	sync();
	pcpu_table[pcpu_count++] = pc;
	return pc;
}

static void start_one(struct pcpu *pc)
{
	int fw_state;
	int64_t rc;

	pc->state = PCPU_STARTING;
	sync();
	rc = platform_start_cpu(pc->pir, (uintptr_t)secondary_start, &fw_state);
	if (rc) {
		pc->state = PCPU_FAILED;
		hv_printf("smp: cpu 0x%x: firmware would not start it: rc %lld "
			  "(firmware state %d); continuing without it\n",
			  pc->pir, (long long)rc, fw_state);
	}
}

static bool any_starting(void)
{
	for (uint32_t i = 1; i < pcpu_count; i++) {
		if (pcpu_table[i]->state == PCPU_STARTING) {
			return true;
		}
	}
	return false;
}

uint32_t smp_start_secondaries(const struct machine *m)
{
	uint64_t deadline;
	uint32_t online = 0;

	boot_pcpu.chip_id = 0;
	for (uint32_t c = 0; c < m->core_count; c++) {
		const struct machine_core *core = &m->cores[c];

		for (uint32_t t = 0; t < core->thread_count; t++) {
			if (core->threads[t] == boot_pcpu.pir) {
				boot_pcpu.chip_id = core->chip_id;
				boot_pcpu.core_pir = core->pir;
				boot_pcpu.icp = core->icp[t];
				platform_icp_init_this(boot_pcpu.icp);
				continue;
			}
			if (pcpu_count == MAX_CPUS) {
				hv_printf("smp: more than %d cpus; cpu 0x%x and "
					  "later are left to firmware\n",
					  MAX_CPUS, core->threads[t]);
				break;
			}
			prepare(core->threads[t], core, core->icp[t]);
		}
	}
	record_self(&boot_pcpu);
	for (uint32_t i = 1; i < pcpu_count; i++) {
		start_one(pcpu_table[i]);
	}
	deadline = mftb() + ms_to_tb(hv_opts.smp_timeout_ms);
	while (any_starting() && mftb() < deadline) {
		smt_low();
	}
	smt_medium();
	for (uint32_t i = 0; i < pcpu_count; i++) {
		struct pcpu *pc = pcpu_table[i];
		uint32_t expect = PCPU_STARTING;

		if (__atomic_compare_exchange_n(&pc->state, &expect, PCPU_FAILED,
						false, __ATOMIC_ACQ_REL,
						__ATOMIC_ACQUIRE)) {
			hv_printf("smp: cpu 0x%x (chip %u) did not arrive within "
				  "%u ms; continuing without it\n", pc->pir,
				  pc->chip_id, hv_opts.smp_timeout_ms);
		}
		if (pc->state == PCPU_ONLINE) {
			online++;
		}
	}
	return online;
}

static const char *state_name(uint32_t s)
{
	switch (s) {
	case PCPU_ONLINE:
		return "online";
	case PCPU_STOPPED:
		return "STOPPED";
	case PCPU_FAILED:
		return "FAILED";
	case PCPU_STARTING:
		return "starting";
	default:
		return "absent";
	}
}

void smp_report(void)
{
	uint64_t t0 = pcpu_table[0]->arrive_tb;

	for (uint32_t i = 0; i < pcpu_count; i++) {
		struct pcpu *pc = pcpu_table[i];

		if (pc->state == PCPU_FAILED || pc->state == PCPU_ABSENT) {
			hv_printf("cpu 0x%x: chip %u core 0x%x %s\n", pc->pir,
				  pc->chip_id, pc->core_pir, state_name(pc->state));
			continue;
		}
		hv_printf("cpu 0x%x: chip %u core 0x%x %s%s PVR 0x%08llx MSR "
			  "0x%016llx LPCR 0x%016llx HID0 0x%016llx HFSCR "
			  "0x%llx arrived +%llu ms",
			  pc->pir, pc->chip_id, pc->core_pir, state_name(pc->state),
			  i == 0 ? " boot" : "", (unsigned long long)pc->pvr,
			  (unsigned long long)pc->msr,
			  (unsigned long long)pc->lpcr,
			  (unsigned long long)pc->hid0,
			  (unsigned long long)pc->hfscr,
			  (unsigned long long)tb_to_ms(pc->arrive_tb - t0));
		if (pc->state == PCPU_STOPPED) {
			hv_printf(" (stopped by interrupt 0x%llx)",
				  (unsigned long long)pc->last_trap);
		}
		hv_printf("\n");
	}
}

/*
 * What the idle thread of `vc` does for it (hv/vcpu.c decides).  True
 * when it helped clear memory and more remains: no sleep before the
 * next turn.
 */
static bool idle_vcpu_work(struct vcpu *vc, struct vcpu_entry *entry)
{
	enum vcpu_work w = vcpu_idle_work(vc, entry);

	if (w == VCPU_WORK_BOOT) {
		lpar_prepare(vc->lpar);
		w = vcpu_idle_work(vc, entry); /* enter at once */
	}
	switch (w) {
	case VCPU_WORK_BOOT:
		break;
	case VCPU_WORK_ENTER:
		guest_enter(vc, entry);
	case VCPU_WORK_LEFT:
		lpar_vcpu_stopped(vc);
		break;
	case VCPU_WORK_NONE:
		/*
		 * Its own partition only: a thread bound to a vCPU is that
		 * vCPU's (and never spins for another partition whose
		 * memory is re-armed at each of its restarts).
		 */
		return lpar_help_clear(vc->lpar);
	}
	return false;
}

/*
 * Idle: run the vCPU bound to this thread when it is started, otherwise
 * help with housekeeping and sleep in `stop` (POWER8: `nap`) for a
 * millisecond at a time.
 */
void cpu_idle(struct pcpu *me)
{
	bool can_stop = cpu_family_has_stop(hv_machine.family);
	uint64_t tick = ms_to_tb(1);

	/* Back from a guest: a machine check there must not leave ME off. */
	BUG_ON(!(mfmsr() & MSR_ME));
	while (!panic_in_progress()) {
		struct vcpu *vc = me->vcpu;
		struct vcpu_entry entry;
		bool more;

		more = vc ? idle_vcpu_work(vc, &entry) : lpar_help_any();
		service_poll();
		if (more) {
			continue; /* memory left to clear: no sleep */
		}
		if (!can_stop) {
			/*
			 * POWER8: `nap` until the decrementer's millisecond or
			 * a kick (the ICP's IPI, dropped after).
			 */
			mtspr(SPRN_DEC, tick);
			cpu_nap(LPCR_EEE | LPCR_DEE);
			platform_icp_take(me->icp);
			continue;
		}
		/* A decrementer a millisecond away ends each stop. */
		mtspr(SPRN_DEC, tick);
		cpu_stop_lite();
		/* A kick that raced with its vCPU stopping would end every stop. */
		doorbell_clear();
	}
	cpu_park();
}

void secondary_main(struct pcpu *me)
{
	uint32_t expect = PCPU_STARTING;

	cpu_init_this();
	platform_icp_init_this(me->icp);
	record_self(me);
	if (options_cpu_selected(hv_opts.debug_hang_cpu, me->pir, me->index)) {
		/* Fault injection: behave like a thread that never arrives. */
		cpu_park();
	}
	if (options_cpu_selected(hv_opts.debug_fault_cpu, me->pir, me->index)) {
		/* Fault injection: an illegal instruction in HV mode. */
		cpu_illegal_instruction();
	}
	if (!__atomic_compare_exchange_n(&me->state, &expect, PCPU_ONLINE,
					 false, __ATOMIC_ACQ_REL,
					 __ATOMIC_ACQUIRE)) {
		/* Too late: the boot thread has given up on us. */
		cpu_park();
	}
	cpu_idle(me);
}
