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
 *           the end with the number of gaps over 100 us;
 *   idle    each vCPU waits in H_CEDE with its decrementer set to the
 *           end of the run (or its largest value: 4.2 s when it is 32
 *           bits wide), counting the times H_CEDE returned: an idle vCPU
 *           that nothing disturbs wakes once, at the end (make bench's
 *           tests/bench/run-noise-bench.py compares it with pseries).
 * linger=MS (default 0): spin MS more after the reports, without an hcall,
 * so that a bench can read lparvisor's counters before the partition
 * stops.
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

enum mode { MODE_SPIN, MODE_FLOOD, MODE_RESET, MODE_IDLE };

struct noise {
	enum mode mode;
	uint64_t end_tb;
	unsigned long calls, failed;
	long first_rc;
	uint64_t max_gap, long_gaps; /* spin: timebase ticks, gaps > 100 us */
	unsigned long wakes;         /* idle: returns from H_CEDE */
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

/*
 * Wait in H_CEDE until end_tb, the decrementer set to wake the vCPU then:
 * anything else that makes H_CEDE return is a disturbance.  H_CEDE
 * returns with MSR[EE] set, so a decrementer that woke it is taken (and
 * re-armed to its maximum by the library's handler) straight after.
 */
static void idle(struct noise *n)
{
	for (;;) {
		uint64_t now = tb_now();

		if (now >= n->end_tb) {
			break;
		}
		irq_disable();
		mtdec(MIN(n->end_tb - now, dec_max()));
		hcall(H_CEDE);
		n->wakes++;
		irq_enable();
	}
	irq_disable();
	mtdec(dec_max());
	irq_enable();
}

static void make_noise(struct noise *n)
{
	if (n->mode == MODE_SPIN) {
		spin(n);
	} else if (n->mode == MODE_IDLE) {
		idle(n);
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
	static const char *const names[] = { "spin", "flood", "reset", "idle" };
	const char *ms_arg = dt_bootarg("ms");
	const char *linger = dt_bootarg("linger");
	unsigned long ms = ms_arg ? strtoul(ms_arg, NULL, 10) : 4000;
	enum mode mode = MODE_SPIN;
	bool two;

	if (dt_bootarg_is("mode", "flood")) {
		mode = MODE_FLOOD;
	} else if (dt_bootarg_is("mode", "reset")) {
		mode = MODE_RESET;
	} else if (dt_bootarg_is("mode", "idle")) {
		mode = MODE_IDLE;
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
		} else if (mode == MODE_IDLE) {
			printf("noisy: vCPU %d idle for %lu ms: %lu wake-ups\n",
			       i, ms, noise[i].wakes);
		}
		report(noise[i].failed == 0,
		       "noisy-calls: vCPU %d made %lu calls, %lu failed "
		       "(first %ld)", i, noise[i].calls, noise[i].failed,
		       noise[i].first_rc);
	}
	if (linger) {
		uint64_t end = tb_now() + tb_from_ms(strtoul(linger, NULL, 10));

		while (tb_now() < end) {
			cpu_relax();
		}
	}
}
