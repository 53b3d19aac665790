/*
 * Dispatch accounting in the VPA (issue 20): PAPR's yield (dispatch)
 * count at VPA offset 0x100 is odd while a vCPU is not dispatched and even
 * while it runs, so it changes across every H_CEDE; Linux reads it for
 * steal time and to see a preempted lock holder (vcpu_is_preempted).
 * vCPU 0 registers both VPAs, cedes itself, then watches vCPU 1 cede:
 * odd while it waits, even and larger once an H_PROD woke it.  Under
 * lparvisor the dispatch trace log registered for vCPU 1 (with
 * DTL_LOG_CEDE in its VPA's mask) gets one entry per cede wake-up; QEMU's
 * -M pseries (the reference run) keeps no DTL under TCG, so those checks
 * are lparvisor's only.  Needs two vCPUs.
 */
#include "hv/abi/hcall.h"
#include "hv/abi/vpa.h"
#include "hv/lib/string.h"
#include "tests/guest/lib/console.h"
#include "tests/guest/lib/cpu.h"
#include "tests/guest/lib/dt.h"
#include "tests/guest/lib/guest.h"
#include "tests/guest/lib/hcall.h"
#include "tests/guest/lib/ppc.h"
#include "tests/guest/lib/report.h"
#include "tests/guest/lib/rtas.h"
#include "tests/guest/lib/timebase.h"

const char test_name[] = "vpa";

#define WAIT_MS 2000
#define DTL_BYTES 4096
#define FAR_DEC_MS 5000

static uint8_t vpas[2][VPA_SIZE] __aligned(4096);
static uint8_t dtl[DTL_BYTES] __aligned(4096);

static volatile uint32_t sec_ceding, sec_done;
static volatile uint32_t sec_before, sec_after;
static volatile uint64_t sec_pc_lo, sec_pc_hi;

static uint32_t yield_count(int vcpu)
{
	volatile uint32_t *p =
		(volatile uint32_t *)&vpas[vcpu][VPA_OFF_YIELD_COUNT];

	return __builtin_bswap32(*p);
}

static uint64_t dtl_idx(void)
{
	volatile uint64_t *p = (volatile uint64_t *)&vpas[1][VPA_OFF_DTL_IDX];

	return __builtin_bswap64(*p);
}

static void init_area(uint8_t *area, uint32_t size, bool be16_size)
{
	memset(area, 0, size);
	if (be16_size) {
		area[VPA_OFF_SIZE] = (uint8_t)(size >> 8);
		area[VPA_OFF_SIZE + 1] = (uint8_t)size;
	} else {
		area[4] = (uint8_t)(size >> 24);
		area[5] = (uint8_t)(size >> 16);
		area[6] = (uint8_t)(size >> 8);
		area[7] = (uint8_t)size;
	}
}

static long register_area(uint64_t func, int vcpu, const void *area)
{
	return hcall(H_REGISTER_VPA, func << H_VPA_FUNC_SHIFT,
		     cpus[vcpu].hwid, (uint64_t)(uintptr_t)area);
}

/* vCPU 1: cede until prodded (its decrementer far away), once. */
static void secondary(void *arg)
{
	uint64_t t0;

	(void)arg;
	irq_disable();
	mtdec(tb_from_ms(FAR_DEC_MS));
	sec_before = yield_count(1);
	sec_pc_lo = (uint64_t)(uintptr_t)&secondary;
	sec_ceding = 1;
	t0 = tb_now();
	hcall(H_CEDE);
	irq_disable();
	sec_after = yield_count(1);
	sec_pc_hi = tb_to_us(tb_now() - t0);
	mtdec(dec_max());
	sec_done = 1;
}

static void test_own_cede(void)
{
	uint32_t before = yield_count(0), after;

	report(!(before & 1), "vpa yield count even while running (%u)",
	       before);
	irq_disable();
	mtdec(tb_from_ms(20)); /* not expired before the cede, even on TCG */
	hcall(H_CEDE); /* ended by the decrementer */
	irq_disable();
	mtdec(dec_max());
	after = yield_count(0);
	report(after != before && !(after & 1),
	       "vpa yield count changed across H_CEDE and even again "
	       "(%u -> %u)", before, after);
}

static void test_other_cedes(void)
{
	uint32_t seen;
	int tries = 0;

	if (!report_rtas(cpu_start(1, secondary, NULL), RTAS_OUT_SUCCESS,
			 "vpa start-cpu vCPU 1")) {
		return;
	}
	WAIT_FOR(sec_ceding, WAIT_MS);
	/* Wait (bounded) for vCPU 1 to be inside its cede. */
	WAIT_FOR(yield_count(1) & 1, WAIT_MS);
	seen = yield_count(1);
	report(seen & 1, "vpa yield count of a ceded vCPU is odd (%u, was %u)",
	       seen, sec_before);
	/* QEMU may lose a prod that races with the cede: prod until awake. */
	do {
		hcall(H_PROD, cpus[1].hwid);
	} while (!WAIT_FOR(sec_done, 50) && ++tries < 40);
	report(sec_done, "vpa ceded vCPU woken by H_PROD");
	report(!(sec_after & 1) && sec_after != sec_before &&
	       sec_after != seen,
	       "vpa yield count even again after the wake-up (%u -> %u -> %u)",
	       sec_before, seen, sec_after);
	if (!dt_on_lparvisor()) {
		return;
	}
	report(dtl_idx() >= 1, "vpa DTL: an entry per cede wake-up (dtl_idx "
	       "%lu)", dtl_idx());
	if (dtl_idx() >= 1) {
		const struct dtl_entry *e = (const struct dtl_entry *)dtl;
		uint64_t tb = __builtin_bswap64(e->timebase);
		uint64_t srr0 = __builtin_bswap64(e->srr0);

		report(tb != 0 && tb <= tb_now(),
		       "vpa DTL entry timebase in the past (0x%lx)", tb);
		report(srr0 > 0x100 && srr0 < 0x1000000,
		       "vpa DTL entry SRR0 in the payload (0x%lx)", srr0);
		report(__builtin_bswap16(e->processor_id) == 1,
		       "vpa DTL entry names vCPU 1 (%u)",
		       __builtin_bswap16(e->processor_id));
	}
}

void test_main(void)
{
	if (cpu_count() < 2) {
		report(false, "vpa needs two vCPUs, found %d", cpu_count());
		return;
	}
	init_area(vpas[0], VPA_SIZE, true);
	init_area(vpas[1], VPA_SIZE, true);
	init_area(dtl, DTL_BYTES, false);
	vpas[1][VPA_OFF_DTL_ENABLE_MASK] = DTL_LOG_CEDE;
	report_hrc(register_area(H_VPA_REG_VPA, 0, vpas[0]), H_SUCCESS,
		   "vpa register vCPU 0's VPA");
	report_hrc(register_area(H_VPA_REG_VPA, 1, vpas[1]), H_SUCCESS,
		   "vpa register vCPU 1's VPA");
	report_hrc(register_area(H_VPA_REG_DTL, 1, dtl), H_SUCCESS,
		   "vpa register vCPU 1's DTL");
	test_own_cede();
	test_other_cedes();
}
