/*
 * vCPUs of a test partition: discovery from /cpus, start through RTAS
 * start-cpu (QEMU 7.2 `rtas_start_cpu`: big-endian, SF|ME, r3 = third
 * argument), interrupt dispatch and the trip to problem state.
 */
#include "hv/lib/string.h"
#include "tests/guest/lib/console.h"
#include "tests/guest/lib/cpu.h"
#include "tests/guest/lib/dt.h"
#include "tests/guest/lib/guest.h"
#include "tests/guest/lib/ppc.h"
#include "tests/guest/lib/report.h"
#include "tests/guest/lib/rtas.h"

#include <libfdt.h>

#define VEC_SLOTS (0x1000 >> 5)

struct cpu cpus[MAX_CPUS];
uint8_t cpu_stacks[MAX_CPUS][STACK_SIZE] __aligned(16);
uint8_t cpu_exc_stacks[MAX_CPUS][EXC_STACK_SIZE] __aligned(16);

static int ncpus;
static uint64_t dec_limit = 0x7fffffff;
static exc_handler_t handlers[VEC_SLOTS];

static void add_cpu(uint32_t hwid)
{
	struct cpu *c;

	if (ncpus >= MAX_CPUS) {
		return;
	}
	c = &cpus[ncpus];
	c->index = ncpus;
	c->hwid = hwid;
	ncpus++;
}

/* Every thread of every core node, boot vCPU first. */
static void scan_cpus(void)
{
	int node, len;
	int parent = dt_path("/cpus");
	uint32_t boot = dt_boot_cpuid();

	add_cpu(boot);
	if (parent < 0) {
		return;
	}
	fdt_for_each_subnode(node, dt_fdt(), parent) {
		const char *type = dt_prop_str(node, "device_type");
		const be32 *ids = dt_prop(node, "ibm,ppc-interrupt-server#s",
					  &len);

		if (!type || strcmp(type, "cpu") != 0 || !ids) {
			continue;
		}
		for (int i = 0; i < len / 4; i++) {
			if (be32_to_cpu(ids[i]) != boot) {
				add_cpu(be32_to_cpu(ids[i]));
			}
		}
	}
}

/*
 * The decrementer is 32 bits wide unless LPCR[LD] is set, which the
 * platform advertises with ibm,dec-bits.  Trust the wider value only if
 * it reads back, so that a mismatch cannot cause an interrupt storm.
 */
static void probe_dec(void)
{
	uint32_t bits = 0;
	uint64_t wide, back;
	int node;

	fdt_for_each_subnode(node, dt_fdt(), dt_path("/cpus")) {
		if (dt_prop_u32(node, "ibm,dec-bits", &bits)) {
			break;
		}
	}
	if (bits <= 32 || bits > 64) {
		return;
	}
	wide = (1ull << (bits - 1)) - 1;
	mtdec(wide);
	back = mfspr(SPRN_DEC);
	if (back <= wide && back > wide - 0x10000000ull) {
		dec_limit = wide;
	}
	mtdec(dec_limit);
}

int cpu_init(void)
{
	struct cpu *boot = &cpus[0];

	ncpus = 0;
	if (dt_fdt()) {
		scan_cpus();
	} else {
		add_cpu(0);
	}
	boot->stack_top = (uint64_t)(uintptr_t)(cpu_stacks[0] + STACK_SIZE);
	boot->alive = 1;
	if (dt_fdt()) {
		probe_dec();
	}
	mtdec(dec_limit);
	return ncpus;
}

int cpu_count(void)
{
	return ncpus;
}

uint64_t dec_max(void)
{
	return dec_limit;
}

uint64_t cpu_boot_entry_msr(void)
{
	return cpus[0].entry_msr;
}

int cpu_start(int index, void (*fn)(void *), void *arg)
{
	struct cpu *c;

	if (index <= 0 || index >= ncpus) {
		return RTAS_OUT_PARAM_ERROR;
	}
	c = &cpus[index];
	c->fn = fn;
	c->arg = arg;
	c->alive = 0;
	c->in_user = 0;
	c->stack_top = (uint64_t)(uintptr_t)(cpu_stacks[index] + STACK_SIZE);
	c->exc_stack_top =
		(uint64_t)(uintptr_t)(cpu_exc_stacks[index] + EXC_STACK_SIZE);
	sync();
	return rtas_call(rtas_token("start-cpu"), 3, 1, NULL, c->hwid,
			 (unsigned int)(uintptr_t)secondary_entry,
			 (unsigned int)index);
}

void secondary_main(struct cpu *c)
{
	/* A decrementer left negative would fire as soon as EE is set. */
	mtdec(dec_limit);
	__atomic_store_n(&c->alive, 1, __ATOMIC_RELEASE);
	if (c->fn) {
		c->fn(c->arg);
	}
	irq_disable();
	rtas_stop_self();
}

void exc_set_handler(unsigned int vec, exc_handler_t fn)
{
	if (vec < 0x1000) {
		handlers[vec >> 5] = fn;
		sync();
	}
}

/* The `sc` at the end of run_user(): resume the supervisor caller. */
static void user_return(struct cpu *c, struct regs *r)
{
	c->in_user = 0;
	r->gpr[1] = c->user.gpr1;
	r->gpr[2] = c->user.gpr2;
	for (int i = 0; i < 18; i++) {
		r->gpr[14 + i] = c->user.nvgpr[i];
	}
	r->lr = c->user.lr;
	r->nip = c->user.lr;
	r->cr = c->user.cr;
	r->msr = c->user.msr;
}

static void unexpected(struct cpu *c, struct regs *r) __noreturn;

static void unexpected(struct cpu *c, struct regs *r)
{
	console_break_lock();
	report(false,
	       "unexpected interrupt 0x%lx on vCPU %u (id %u): SRR0=0x%lx "
	       "SRR1=0x%lx DAR=0x%lx DSISR=0x%lx LR=0x%lx R1=0x%lx",
	       r->vec, c->index, c->hwid, r->nip, r->msr, r->dar, r->dsisr,
	       r->lr, r->gpr[1]);
	guest_exit();
}

void exception_dispatch(struct regs *r)
{
	struct cpu *c = cpu_self();
	exc_handler_t fn = r->vec < 0x1000 ? handlers[r->vec >> 5] : NULL;

	if (r->vec == 0xc00 && (r->msr & MSR_PR) && c->in_user) {
		user_return(c, r);
		return;
	}
	if (r->vec == 0x900) {
		c->dec_count++;
	} else if (r->vec == 0x500) {
		c->ext_count++;
	}
	if (fn) {
		fn(r);
		return;
	}
	if (r->vec == 0x900) {
		/* Level-triggered from POWER9 on: re-arm or it fires again. */
		mtdec(dec_limit);
		return;
	}
	unexpected(c, r);
}
