/*
 * Interrupts taken by the hypervisor itself.  Until partitions run, none
 * is expected: each one is reported with the full register state and the
 * thread that took it stops (the boot thread panics, as nothing can go on
 * without it).  Nothing ever hangs silently.
 */
#include "hv/console.h"
#include "hv/cpu.h"
#include "hv/exception.h"
#include "hv/guest.h"
#include "hv/lib/string.h"
#include "hv/panic.h"
#include "hv/percpu.h"

extern char vectors_start[], vectors_end[];

void exception_install_vectors(void)
{
	uint64_t len = (uint64_t)(vectors_end - vectors_start);
	/*
	 * The destination is real address 0; go through a variable so the
	 * compiler does not treat it as a NULL dereference (it would emit a
	 * trap instead of the copy).
	 */
	volatile uint64_t zero = 0;
	uint8_t *dst = (uint8_t *)(uintptr_t)zero;

	memcpy(dst, vectors_start, len);
	cpu_flush_icache(0, len);
}

const char *exception_name(uint64_t vector)
{
	switch (vector) {
	case 0x100: return "system reset";
	case 0x200: return "machine check";
	case 0x300: return "data storage";
	case 0x380: return "data segment";
	case 0x400: return "instruction storage";
	case 0x480: return "instruction segment";
	case 0x500: return "external";
	case 0x600: return "alignment";
	case 0x700: return "program";
	case 0x800: return "floating-point unavailable";
	case 0x900: return "decrementer";
	case 0x980: return "hypervisor decrementer";
	case 0xa00: return "directed privileged doorbell";
	case 0xc00: return "system call";
	case 0xd00: return "trace";
	case 0xe00: return "hypervisor data storage";
	case 0xe20: return "hypervisor instruction storage";
	case 0xe40: return "hypervisor emulation assistance";
	case 0xe60: return "hypervisor maintenance";
	case 0xe80: return "directed hypervisor doorbell";
	case 0xea0: return "hypervisor virtualization";
	case 0xf00: return "performance monitor";
	case 0xf20: return "vector unavailable";
	case 0xf40: return "VSX unavailable";
	case 0xf60: return "facility unavailable";
	case 0xf80: return "hypervisor facility unavailable";
	case 0x1500: return "softpatch";
	default: return "reserved vector";
	}
}

static void dump_regs(const struct regs *r)
{
	bool hsrr = r->trap & TRAP_HSRR;
	uint64_t nip = hsrr ? r->hsrr0 : r->srr0;
	uint64_t msr = hsrr ? r->hsrr1 : r->srr1;

	hv_printf("  NIA %016llx  MSR %016llx  (%s)\n",
		  (unsigned long long)nip, (unsigned long long)msr,
		  hsrr ? "HSRR0/1" : "SRR0/1");
	hv_printf("  LR  %016llx  CTR %016llx  CR %08llx  XER %08llx\n",
		  (unsigned long long)r->lr, (unsigned long long)r->ctr,
		  (unsigned long long)r->cr, (unsigned long long)r->xer);
	hv_printf("  DAR %016llx  DSISR %08llx  HDAR %016llx  HDSISR %08llx"
		  "  ASDR %016llx\n",
		  (unsigned long long)r->dar, (unsigned long long)r->dsisr,
		  (unsigned long long)r->hdar, (unsigned long long)r->hdsisr,
		  (unsigned long long)r->asdr);
	for (int i = 0; i < 32; i += 4) {
		hv_printf("  R%02d %016llx  R%02d %016llx  R%02d %016llx  "
			  "R%02d %016llx\n",
			  i, (unsigned long long)r->gpr[i], i + 1,
			  (unsigned long long)r->gpr[i + 1], i + 2,
			  (unsigned long long)r->gpr[i + 2], i + 3,
			  (unsigned long long)r->gpr[i + 3]);
	}
}

void hv_exception(struct regs *r)
{
	struct pcpu *me = this_cpu();
	uint64_t vector = r->trap & ~(uint64_t)3;

	if (vector == 0x200) {
		/*
		 * The interrupt cleared MSR[ME]; a second machine check with
		 * it clear would checkstop the machine.  Whatever follows
		 * (the guest resumed, its partition stopped, a report), this
		 * thread runs with machine checks enabled again.
		 */
		cpu_enable_machine_check();
	}
	if (me->exc_depth++) {
		/* A fault while reporting a fault: say so and stop. */
		console_break_lock();
		hv_printf("lparvisor: cpu 0x%x: nested interrupt 0x%llx; "
			  "stopping this cpu\n", me->pir,
			  (unsigned long long)vector);
		me->state = PCPU_STOPPED;
		cpu_park();
	}
	if (me->cur_vcpu && guest_interrupted(r)) {
		struct vcpu *vc = me->cur_vcpu;

		vc->frame = r;
		guest_exit(vc, r);
		vc->frame = NULL;
		me->exc_depth = 0;
		return;
	}
	me->last_trap = vector;
	console_lock();
	hv_printf("lparvisor: cpu 0x%x: unexpected interrupt 0x%llx (%s)\n",
		  me->pir, (unsigned long long)vector, exception_name(vector));
	dump_regs(r);
	if (me->index == 0) {
		console_unlock();
		panic("unexpected interrupt 0x%llx on the boot cpu",
		      (unsigned long long)vector);
	}
	hv_printf("lparvisor: cpu 0x%x stopped; the other cpus go on\n",
		  me->pir);
	console_unlock();
	me->state = PCPU_STOPPED;
	sync();
	cpu_park();
}
