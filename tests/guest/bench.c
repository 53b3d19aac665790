/*
 * Benchmark payload: times the hypervisor round trips a guest pays for,
 * with the timebase, and prints one machine-readable line per measure:
 *   BENCH <name> <iterations> <total ticks> <timebase Hz>
 * The same binary runs in an lparvisor partition and on QEMU's -M pseries
 * (tests/bench/run-bench.py compares them).  Not a test: no PASS/FAIL.
 */
#include "hv/abi/hcall.h"
#include "tests/guest/lib/console.h"
#include "tests/guest/lib/guest.h"
#include "tests/guest/lib/hcall.h"
#include "tests/guest/lib/report.h"
#include "tests/guest/lib/rtas.h"
#include "tests/guest/lib/timebase.h"

const char test_name[] = "bench";

#define NULL_HCALLS 20000
#define RTAS_CALLS 2000

static void result(const char *name, unsigned long n, uint64_t ticks)
{
	printf("BENCH %s %lu %lu %lu\n", name, n, ticks, tb_freq());
}

/* H_SET_DABR: both hypervisors answer at once (no DABR on POWER9). */
static void bench_null_hcall(void)
{
	uint64_t t0 = tb_now();

	for (unsigned long i = 0; i < NULL_HCALLS; i++) {
		hcall(H_SET_DABR, 0);
	}
	result("null-hcall", NULL_HCALLS, tb_now() - t0);
}

static void bench_rtas(void)
{
	int token = rtas_token("get-time-of-day");
	uint32_t out[8];
	uint64_t t0;

	if (token < 0) {
		return;
	}
	t0 = tb_now();
	for (unsigned long i = 0; i < RTAS_CALLS; i++) {
		rtas_call(token, 0, 8, out);
	}
	result("rtas-get-time-of-day", RTAS_CALLS, tb_now() - t0);
}

void test_main(void)
{
	bench_null_hcall();
	bench_rtas();
	report(true, "benchmarks ran");
}
