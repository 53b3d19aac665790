/*
 * State behind the fake hv/cpu.h and hv/lock.h: SPRs, MSR, timebase, the
 * darn queue and the held-lock count.
 */
#include <stdio.h>
#include <stdlib.h>

#include "hv/io.h"
#include "tests/unit/fake/fake.h"
#include "tests/unit/fake/fake_internal.h"

#define DARN_QUEUE 64

uint64_t fake_spr[FAKE_SPR_COUNT];
uint64_t fake_msr;
uint64_t fake_tb;
uint64_t fake_tb_step;
unsigned fake_sync_count, fake_smt_low_count;
unsigned fake_darn_calls;
int fake_locks_held;

static uint64_t darn_queue[DARN_QUEUE];
static unsigned darn_head, darn_tail;

uint64_t darn(void)
{
	fake_darn_calls++;
	if (darn_head == darn_tail) {
		return ~0ull; /* "no random number available" */
	}
	return darn_queue[darn_tail++ % DARN_QUEUE];
}

void fake_darn_push(uint64_t v)
{
	if (darn_head - darn_tail < DARN_QUEUE) {
		darn_queue[darn_head++ % DARN_QUEUE] = v;
	}
}

struct fake_io_access fake_io_log[FAKE_IO_LOG];
unsigned fake_io_count;
uint64_t fake_io_value;

void fake_io_record(uint64_t addr, unsigned size, bool store, uint64_t v)
{
	if (fake_io_count < FAKE_IO_LOG) {
		fake_io_log[fake_io_count] = (struct fake_io_access){
			.addr = addr, .value = v, .size = size, .store = store };
	}
	fake_io_count++;
}

void fake_cpu_reset(void)
{
	memset(fake_io_log, 0, sizeof(fake_io_log));
	fake_io_count = 0;
	fake_io_value = 0;
	memset(fake_spr, 0, sizeof(fake_spr));
	fake_msr = 0;
	fake_tb = 0;
	fake_tb_step = 0;
	fake_sync_count = 0;
	fake_smt_low_count = 0;
	fake_darn_calls = 0;
	darn_head = darn_tail = 0;
	fake_locks_held = 0;
}

void fake_lock_misuse(const char *what, const struct spinlock *l)
{
	fprintf(stderr, "fake hv/lock.h: %s (lock at %p)\n", what,
		(const void *)l);
	fflush(stderr);
	abort();
}
