/*
 * A noisy neighbour (issue 20, section 4): two vCPUs that, for ms=N
 * milliseconds (default 4000), each do one thing as fast as they can,
 * chosen by mode=:
 *   flood   H_PUT_TERM_CHAR of 16 newlines, in a loop;
 *   reset   H_INT_RESET, in a loop (a XIVE partition);
 *   spin    nothing: the control, two vCPUs busy in the guest, each
 *           reading the timebase and keeping the largest gap between
 *           two reads (the time something took the vCPU away: the
 *           hypervisor's noise, and under QEMU the host's), printed at
 *           the end with the number of gaps over 100 us.
 * A neighbour keeping a heartbeat (hello with maxgap=) must see no worse
 * delays than next to the spinning control.  Every call must succeed;
 * the calls made are printed at the end.
 */
#include "hv/abi/hcall.h"
#include "hv/abi/rtas.h"
#include "hv/lib/string.h"
#include "tests/guest/lib/console.h"
#include "tests/guest/lib/cpu.h"
#include "tests/guest/lib/dt.h"
#include "tests/guest/lib/guest.h"
#include "tests/guest/lib/hcall.h"
#include "tests/guest/lib/ppc.h"
#include "tests/guest/lib/report.h"
#include "tests/guest/lib/timebase.h"

const char test_name[] = "noisy";

#define NEWLINES 0x0a0a0a0a0a0a0a0aull
#define WAIT_MS 60000

enum mode { MODE_SPIN, MODE_FLOOD, MODE_RESET };

struct noise {
	enum mode mode;
	uint64_t end_tb;
	unsigned long calls, failed;
	long first_rc;
	uint64_t max_gap, long_gaps; /* spin: timebase ticks, gaps > 100 us */
	volatile uint32_t done;
};

static struct noise noise[2];

static long one_call(enum mode mode)
{
	switch (mode) {
	case MODE_FLOOD:
		return hcall(H_PUT_TERM_CHAR, console_termno(), 16, NEWLINES,
			     NEWLINES);
	case MODE_RESET:
		return hcall(H_INT_RESET, 0);
	default:
		return H_SUCCESS;
	}
}

static void spin(struct noise *n)
{
	uint64_t long_gap = tb_from_us(100);
	uint64_t last = tb_now();

	while (last < n->end_tb) {
		uint64_t now = tb_now();
		uint64_t gap = now - last;

		if (gap > n->max_gap) {
			n->max_gap = gap;
		}
		n->long_gaps += gap > long_gap;
		last = now;
	}
}

static void make_noise(struct noise *n)
{
	if (n->mode == MODE_SPIN) {
		spin(n);
	}
	while (tb_now() < n->end_tb) {
		long rc;
		rc = one_call(n->mode);
		n->calls++;
		if (rc != H_SUCCESS && !n->failed++) {
			n->first_rc = rc;
		}
	}
	__atomic_store_n(&n->done, 1, __ATOMIC_RELEASE);
}

static void second_vcpu(void *arg)
{
	make_noise(arg);
}

void test_main(void)
{
	static const char *const names[] = { "spin", "flood", "reset" };
	const char *ms_arg = dt_bootarg("ms");
	unsigned long ms = ms_arg ? strtoul(ms_arg, NULL, 10) : 4000;
	enum mode mode = MODE_SPIN;
	bool two;

	if (dt_bootarg_is("mode", "flood")) {
		mode = MODE_FLOOD;
	} else if (dt_bootarg_is("mode", "reset")) {
		mode = MODE_RESET;
	}
	printf("noisy: mode %s for %lu ms on %d vCPUs\n", names[mode], ms,
	       cpu_count() >= 2 ? 2 : 1);
	for (int i = 0; i < 2; i++) {
		noise[i].mode = mode;
		noise[i].end_tb = tb_now() + tb_from_ms(ms);
	}
	two = cpu_count() >= 2 &&
	      report_rtas(cpu_start(1, second_vcpu, &noise[1]),
			  RTAS_OUT_SUCCESS, "noisy-start-cpu: the second vCPU");
	make_noise(&noise[0]);
	if (two) {
		report(WAIT_FOR(noise[1].done, WAIT_MS),
		       "noisy-second-done: the second vCPU finished");
	}
	for (int i = 0; i < (two ? 2 : 1); i++) {
		if (mode == MODE_SPIN) {
			printf("noisy: vCPU %d largest timebase gap %lu us, "
			       "%lu gaps over 100 us\n", i,
			       (unsigned long)tb_to_us(noise[i].max_gap),
			       (unsigned long)noise[i].long_gaps);
		}
		report(noise[i].failed == 0,
		       "noisy-calls: vCPU %d made %lu calls, %lu failed "
		       "(first %ld)", i, noise[i].calls, noise[i].failed,
		       noise[i].first_rc);
	}
}
