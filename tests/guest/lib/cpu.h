/*
 * vCPUs of a test partition: the per-vCPU area head.S finds through
 * SPRG0, the register frame of an interrupt, handlers for the interrupts a
 * payload expects (external, decrementer), starting secondaries through
 * RTAS start-cpu, and a short trip to problem state.
 */
#ifndef TESTS_GUEST_LIB_CPU_H
#define TESTS_GUEST_LIB_CPU_H

#include "hv/abi/rtas.h"
#include "hv/lib/types.h"

#define MAX_CPUS 16
#define STACK_SIZE 0x4000
#define EXC_STACK_SIZE 0x2000
/* ELFv2 minimal stack frame: back chain, CR, LR and TOC save words. */
#define STACK_FRAME_MIN 32
/* Below a live stack pointer: the ELFv2 protected zone. */
#define STACK_RED_ZONE 288

/* The state head.S saves on every interrupt, in this order. */
struct regs {
	uint64_t gpr[32];
	uint64_t nip; /* SRR0 */
	uint64_t msr; /* SRR1 */
	uint64_t lr;
	uint64_t ctr;
	uint64_t cr;
	uint64_t xer;
	uint64_t dar;
	uint64_t dsisr;
	uint64_t vec; /* interrupt vector offset: 0x300, 0x500, ... */
};

/* Where run_user() left supervisor state; restored by the `sc` back. */
struct user_ctx {
	uint64_t gpr1;
	uint64_t gpr2;
	uint64_t nvgpr[18]; /* r14..r31 */
	uint64_t lr;
	uint64_t cr;
	uint64_t msr;
};

struct cpu {
	/* Used by head.S (offsets in asm-offsets.c). */
	uint64_t save_r11;
	uint64_t save_r12;
	uint64_t save_vec;
	uint64_t stack_top;
	uint64_t exc_stack_top;
	uint64_t entry_msr; /* MSR as the vCPU arrived, before BE_TO_LE */
	uint64_t entry_r3;  /* r3 as the vCPU arrived */
	struct user_ctx user;
	uint32_t in_user;
	/* C only. */
	uint32_t index;      /* position in cpus[] */
	uint32_t hwid;       /* hardware thread id (interrupt server) */
	void (*fn)(void *);  /* what a secondary runs */
	void *arg;
	volatile uint32_t alive; /* set by a secondary once in C */
	uint64_t dec_count;      /* decrementer interrupts taken */
	uint64_t ext_count;      /* external interrupts taken */
	struct rtas_args_wire rtas_args; /* for calls outside the RTAS lock */
};

extern struct cpu cpus[MAX_CPUS];
extern uint8_t cpu_stacks[MAX_CPUS][STACK_SIZE];
extern uint8_t cpu_exc_stacks[MAX_CPUS][EXC_STACK_SIZE];

typedef void (*exc_handler_t)(struct regs *regs);

/** The calling vCPU's area (SPRG0). */
static inline struct cpu *cpu_self(void)
{
	struct cpu *c;

	__asm__ volatile("mfsprg0 %0" : "=r"(c));
	return c;
}

/**
 * Read the vCPUs from /cpus (one hardware thread id per entry of every
 * node's ibm,ppc-interrupt-server#s) and set up cpus[]: index 0 is the
 * boot vCPU, whose id the FDT header gives.  Returns the vCPU count.
 */
int cpu_init(void);

/** Number of vCPUs found by cpu_init(). */
int cpu_count(void);

/**
 * Run `fn(arg)` on vCPU `index` (1 .. cpu_count() - 1) through RTAS
 * start-cpu at secondary_entry, with r3 = index.  When `fn` returns the
 * vCPU calls RTAS stop-self.  Returns the RTAS status of start-cpu.
 */
int cpu_start(int index, void (*fn)(void *), void *arg);

/** Entry point of secondaries in head.S (passed to start-cpu). */
void secondary_entry(void);

/**
 * Called by head.S on a started secondary, with its stack and SPRG0 set:
 * runs cpu->fn(cpu->arg), then RTAS stop-self.  Never returns.
 */
void secondary_main(struct cpu *c) __noreturn;

/**
 * Install `fn` for interrupt vector `vec` (0x500 external, 0x900
 * decrementer, ...), on every vCPU.  NULL restores the default: the
 * decrementer is re-armed to its maximum, anything else is reported as
 * unexpected and powers the partition off.
 */
void exc_set_handler(unsigned int vec, exc_handler_t fn);

/** Called by head.S for every interrupt; may change `*regs`. */
void exception_dispatch(struct regs *regs);

/** Largest positive decrementer value (32-bit or ibm,dec-bits wide). */
uint64_t dec_max(void);

/**
 * Run `fn(arg)` in problem state on the stack that ends at `stack_top`,
 * and come back when it returns (it ends with a system call, vector
 * 0xc00).  The architecture turns MSR[IR], DR and EE on with PR, so the
 * caller must have mapped fn, its data and the stack.
 * Returns fn's return value.
 */
long run_user(long (*fn)(void *), void *arg, void *stack_top);

/** MSR recorded by head.S when the boot vCPU arrived at 0x100. */
uint64_t cpu_boot_entry_msr(void);

#endif /* TESTS_GUEST_LIB_CPU_H */
