/*
 * XIVE exploitation from inside a partition (PAPR H_INT_* hcalls, the OS
 * view of the TIMA, ESB pages): the same binary runs under QEMU's
 * `-M pseries,ic-mode=xive` (the reference) and in an lparvisor partition
 * with interrupt-controller = "xive".
 *
 * Every vCPU gets a 64 KiB event queue at priority 6 (7 is the
 * hypervisor's) and its IPI (LISN = vCPU number) routed to it with EISN
 * 0x100 + vCPU.  The 0x500 handler acknowledges through the OS TIMA
 * (ACK_OS_REG), drains its queues by generation bit, EOIs each source
 * with an ESB load and reopens CPPR.  Checked: IPIs between vCPUs and to
 * self, CPPR masking, PQ masking through the ESB page and through
 * H_INT_ESB, EAS masking, a 4 KiB queue wrapping several times, a vCPU
 * woken from H_CEDE by an IPI, and every H_INT_* with bad arguments.
 * Reference: QEMU 7.2 hw/intc/spapr_xive.c, xive.c; Linux
 * arch/powerpc/sysdev/xive/{spapr,common}.c.
 */
#include "hv/abi/hcall.h"
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
#include "tests/guest/lib/xive.h"

const char test_name[] = "xive";

#define PRIO 6
#define WRAP_PRIO 5
#define EISN_BASE 0x100u
#define WRAP_EVENTS 2600 /* a 1024-entry queue wraps twice */
#define WAIT_MS 5000 /* generous: make check shares 2 host cores */
#define QUIET_MS 30

struct vcpu_state {
	struct xive_queue q[8];
	volatile uint32_t events;     /* queue entries taken */
	volatile uint32_t last_data;
	volatile uint32_t bad;        /* entries that were no IPI of ours */
	volatile uint32_t spurious;   /* 0x500 with nothing in NSR */
	volatile uint32_t ack_cppr;   /* CPPR ACK_OS_REG gave last */
	volatile uint32_t toggled;    /* generation flips seen */
	volatile uint32_t ceding;     /* asked to cede */
	volatile uint32_t in_cede;    /* inside the cede loop */
	volatile uint32_t woke;
};

static uint32_t ipi_page[MAX_CPUS][0x10000 / 4] __aligned(0x10000);
static uint32_t wrap_page[0x1000 / 4] __aligned(0x10000);
static struct vcpu_state vst[MAX_CPUS];
static struct xive_src srcs[MAX_CPUS];
static uint64_t tima_os;
static int ncpu;
static volatile uint32_t started;

/* Take every valid entry of queue `q`, EOI each source; how many. */
static uint32_t drain(struct vcpu_state *v, struct xive_queue *q)
{
	uint32_t n = 0, flips = q->flips;
	long data;

	while ((data = xive_queue_pop(q)) >= 0) {
		v->last_data = (uint32_t)data;
		if (data < EISN_BASE || data >= EISN_BASE + ncpu) {
			v->bad++;
			continue;
		}
		xive_eoi(&srcs[data - EISN_BASE]);
		n++;
	}
	v->toggled += q->flips - flips;
	return n;
}

static void on_external(struct regs *regs)
{
	struct cpu *c = cpu_self();
	struct vcpu_state *v = &vst[c->index];
	uint16_t ack = xive_ack();

	(void)regs;
	if (!((ack >> 8) & XIVE_TM_NSR_EO)) {
		v->spurious++;
		return;
	}
	v->ack_cppr = ack & 0xff;
	for (int p = 0; p < 8; p++) {
		v->events += drain(v, &v->q[p]);
	}
	xive_set_cppr(0xff);
}

static bool setup_queue(int cpu, int prio, uint32_t *page, uint32_t shift)
{
	return report_hrc(xive_queue_setup(&vst[cpu].q[prio], cpus[cpu].hwid,
					   prio, page, shift),
			  H_SUCCESS, "queue info and config: vCPU %u prio %d "
			  "%u KiB", cpus[cpu].hwid, prio, (1u << shift) >> 10);
}

static bool setup_source(int lisn, int target, int prio)
{
	struct xive_src *s = &srcs[lisn];
	long rc;

	rc = xive_source_info(s, lisn);
	if (!report_hrc(rc, H_SUCCESS, "H_INT_GET_SOURCE_INFO LISN %d", lisn)) {
		return false;
	}
	if (lisn == 0) {
		printf("  LISN 0: flags 0x%lx, EOI page 0x%lx, trigger page "
		       "0x%lx, shift %u\n", s->flags, s->eoi, s->trig,
		       s->shift);
	}
	if (!report(!(s->flags & (XIVE_SRC_LSI | XIVE_SRC_H_INT_ESB)) &&
			    s->shift == 16 && s->eoi && s->eoi != ~0ul,
		    "LISN %d is an MSI with 64 KiB ESB pages: flags 0x%lx, "
		    "shift %u", lisn, s->flags, s->shift)) {
		return false;
	}
	rc = hcall(H_INT_SET_SOURCE_CONFIG, XIVE_SRC_SET_EISN, lisn,
		   cpus[target].hwid, prio, EISN_BASE + lisn);
	if (!report_hrc(rc, H_SUCCESS, "H_INT_SET_SOURCE_CONFIG LISN %d -> "
			"vCPU %u prio %d", lisn, cpus[target].hwid, prio)) {
		return false;
	}
	(void)mmio_ld64(s->eoi + XIVE_ESB_SET_PQ_00); /* they start off: PQ=01 */
	return true;
}

static void trigger(int lisn)
{
	xive_trigger(&srcs[lisn]);
}

static bool wait_events(int cpu, uint32_t before, uint32_t n)
{
	return WAIT_FOR(vst[cpu].events >= before + n, WAIT_MS);
}

static void secondary(void *arg)
{
	struct cpu *c = cpu_self();
	struct vcpu_state *v = &vst[c->index];

	(void)arg;
	xive_set_cppr(0xff);
	__atomic_fetch_add(&started, 1, __ATOMIC_RELEASE);
	irq_enable();
	for (;;) {
		if (v->ceding) {
			uint32_t before = v->events;

			irq_disable();
			v->in_cede = 1;
			while (v->events == before) {
				hcall(H_CEDE); /* returns with EE=1: the IPI is taken */
				irq_disable();
			}
			v->ceding = 0;
			v->in_cede = 0;
			v->woke++;
			irq_enable();
		}
		cpu_relax();
	}
}

static void test_ipis(void)
{
	for (int i = 0; i < ncpu; i++) {
		uint32_t before = vst[i].events;

		trigger(i);
		report(wait_events(i, before, 1) && vst[i].last_data ==
			       EISN_BASE + (uint32_t)i && vst[i].bad == 0,
		       "IPI through the ESB trigger page reaches vCPU %u with "
		       "EISN 0x%x: events %u, last 0x%x", cpus[i].hwid,
		       EISN_BASE + i, vst[i].events - before,
		       vst[i].last_data);
		report(vst[i].ack_cppr == PRIO,
		       "ACK_OS_REG on vCPU %u raised CPPR to the priority: %u",
		       cpus[i].hwid, vst[i].ack_cppr);
	}
	/* 50 rounds to every vCPU at once: nothing lost, nothing doubled. */
	for (int round = 0; round < 50; round++) {
		uint32_t before[MAX_CPUS];
		bool ok = true;

		for (int i = 0; i < ncpu; i++) {
			before[i] = vst[i].events;
			trigger(i);
		}
		for (int i = 0; i < ncpu; i++) {
			ok &= wait_events(i, before[i], 1);
		}
		delay_us(1000);
		for (int i = 0; i < ncpu; i++) {
			ok &= vst[i].events == before[i] + 1;
		}
		if (!ok) {
			/* Lost, or only late?  Look again much later. */
			delay_us(10 * 1000 * 1000);
			for (int i = 0; i < ncpu; i++) {
				printf("  round %d vCPU %u: %u events before, "
				       "%u now\n", round, cpus[i].hwid,
				       before[i], vst[i].events);
			}
		}
		if (!ok || round == 49) {
			report(ok, "50 rounds of IPIs to all vCPUs, one event "
				   "each: failed in round %d", round);
			break;
		}
	}
}

static void test_cppr(void)
{
	uint32_t before = vst[0].events;

	irq_disable();
	xive_set_cppr(PRIO); /* only priorities below 6 get through */
	irq_enable();
	trigger(0);
	delay_us(QUIET_MS * 1000);
	report(vst[0].events == before,
	       "CPPR %d holds back a priority-%d IPI: %u events", PRIO, PRIO,
	       vst[0].events - before);
	xive_set_cppr(0xff);
	report(wait_events(0, before, 1),
	       "opening CPPR delivers the held IPI: %u events",
	       vst[0].events - before);
}

static void test_esb_masking(void)
{
	struct xive_src *s = &srcs[1 % ncpu];
	int lisn = 1 % ncpu;
	uint32_t before = vst[lisn].events;
	uint64_t pq;
	struct hcall_rets o;
	long rc;

	pq = mmio_ld64(s->eoi + XIVE_ESB_SET_PQ_01);
	report((pq & 3) == 0, "SET_PQ_01 returns the old PQ 00: %lu", pq & 3);
	trigger(lisn);
	delay_us(QUIET_MS * 1000);
	report(vst[lisn].events == before, "PQ=01 drops a trigger: %u events",
	       vst[lisn].events - before);
	pq = mmio_ld64(s->eoi + XIVE_ESB_GET);
	report((pq & 3) == 1, "ESB GET reads PQ 01: %lu", pq & 3);
	/* The same through H_INT_ESB. */
	rc = hcall_out(&o, H_INT_ESB, 0, lisn, XIVE_ESB_SET_PQ_00, 0);
	report(rc == H_SUCCESS && (o.r[0] & 3) == 1,
	       "H_INT_ESB load SET_PQ_00: rc %s, old PQ %lu",
	       hcall_rc_name(rc), o.r[0] & 3);
	rc = hcall_out(&o, H_INT_ESB, 0, lisn, XIVE_ESB_GET, 0);
	report(rc == H_SUCCESS && (o.r[0] & 3) == 0,
	       "H_INT_ESB load GET: rc %s, PQ %lu", hcall_rc_name(rc),
	       o.r[0] & 3);
	trigger(lisn);
	report(wait_events(lisn, before, 1),
	       "unmasked again, a trigger is delivered: %u events",
	       vst[lisn].events - before);
}

static void test_eas_masking(void)
{
	int lisn = ncpu - 1;
	uint32_t before = vst[lisn].events;
	struct hcall_rets o;
	long rc;

	rc = hcall(H_INT_SET_SOURCE_CONFIG, XIVE_SRC_MASK, lisn, cpus[lisn].hwid,
		   PRIO, 0);
	report_hrc(rc, H_SUCCESS, "H_INT_SET_SOURCE_CONFIG with MASK");
	rc = hcall_out(&o, H_INT_GET_SOURCE_CONFIG, 0, lisn);
	report(rc == H_SUCCESS && o.r[0] == cpus[lisn].hwid && o.r[1] == 0xff &&
		       o.r[2] == EISN_BASE + (uint32_t)lisn,
	       "H_INT_GET_SOURCE_CONFIG of a masked source: rc %s, target "
	       "%lu, prio 0x%lx, EISN 0x%lx", hcall_rc_name(rc), o.r[0],
	       o.r[1], o.r[2]);
	trigger(lisn);
	delay_us(QUIET_MS * 1000);
	report(vst[lisn].events == before,
	       "a masked EAS drops the event: %u events",
	       vst[lisn].events - before);
	rc = hcall(H_INT_SET_SOURCE_CONFIG, 0, lisn, cpus[lisn].hwid, PRIO, 0);
	report_hrc(rc, H_SUCCESS, "H_INT_SET_SOURCE_CONFIG unmasks");
	rc = hcall_out(&o, H_INT_GET_SOURCE_CONFIG, 0, lisn);
	report(rc == H_SUCCESS && o.r[1] == PRIO &&
		       o.r[2] == EISN_BASE + (uint32_t)lisn,
	       "without SET_EISN the EISN stays: prio %lu, EISN 0x%lx",
	       o.r[1], o.r[2]);
	/* The dropped trigger left P set: the EOI reopens the source. */
	(void)mmio_ld64(srcs[lisn].eoi + XIVE_ESB_LOAD_EOI);
	trigger(lisn);
	report(wait_events(lisn, before, 1),
	       "after EOI the unmasked source delivers: %u events",
	       vst[lisn].events - before);
}

static void test_wrap(void)
{
	struct vcpu_state *v = &vst[0];
	uint32_t before = v->events, toggles = v->toggled;
	bool ok = true;
	long rc;

	if (!setup_queue(0, WRAP_PRIO, wrap_page, 12)) {
		return;
	}
	rc = hcall(H_INT_SET_SOURCE_CONFIG, 0, 0, cpus[0].hwid, WRAP_PRIO, 0);
	if (!report_hrc(rc, H_SUCCESS, "IPI 0 moved to priority %d",
			WRAP_PRIO)) {
		return;
	}
	for (uint32_t i = 0; i < WRAP_EVENTS && ok; i++) {
		trigger(0);
		ok = wait_events(0, before + i, 1);
	}
	report(ok && v->events == before + WRAP_EVENTS && v->bad == 0,
	       "%d IPIs through a 4 KiB queue: %u taken, %u bad", WRAP_EVENTS,
	       v->events - before, v->bad);
	report(v->toggled - toggles == WRAP_EVENTS / 1024,
	       "the generation bit flipped at every wrap: %u flips",
	       v->toggled - toggles);
	hcall(H_INT_SET_SOURCE_CONFIG, 0, 0, cpus[0].hwid, PRIO, 0);
	rc = hcall(H_INT_SET_QUEUE_CONFIG, 0, cpus[0].hwid, WRAP_PRIO, 0, 0);
	report_hrc(rc, H_SUCCESS, "queue reset with size 0");
	vst[0].q[WRAP_PRIO].page = NULL;
}

static void test_cede_wake(void)
{
	for (int i = 1; i < ncpu; i++) {
		struct vcpu_state *v = &vst[i];
		uint32_t woke = v->woke;

		v->ceding = 1;
		/* Under load the vCPU may take a while to get there. */
		if (!report(WAIT_FOR(v->in_cede, WAIT_MS), "vCPU %u enters H_CEDE",
			    cpus[i].hwid)) {
			continue;
		}
		delay_us(QUIET_MS * 1000);
		report(v->in_cede && v->woke == woke,
		       "vCPU %u stays in H_CEDE with nothing pending",
		       cpus[i].hwid);
		trigger(i);
		report(WAIT_FOR(v->woke != woke, WAIT_MS),
		       "an IPI wakes vCPU %u from H_CEDE", cpus[i].hwid);
	}
}

/*
 * Hostile arguments.  QEMU answers H_INT_* only after CAS, which a -bios
 * payload cannot do, so these codes have no reference run; each is the
 * one QEMU's hw/intc/spapr_xive.c returns for the same arguments (read
 * for issue 19; the function and the test it fails are named per call):
 * every handler checks, in order, reserved flags (H_PARAMETER), the LISN
 * (H_P2: `lisn >= xive->nr_irqs` or `!xive_eas_is_valid()`), a reserved
 * priority (`spapr_xive_priority_is_reserved()`: 7 and anything above),
 * then the target (`spapr_xive_target_to_end()`).
 */
static void test_bad_args(void)
{
	uint32_t bad_lisn = 0x500;
	uint64_t q = (uint64_t)(uintptr_t)ipi_page[0];
	uint32_t t = cpus[0].hwid;

	/* QEMU h_int_get_source_info: `if (flags)`. */
	report_hrc(hcall(H_INT_GET_SOURCE_INFO, 1, 0), H_PARAMETER,
		   "GET_SOURCE_INFO flags");
	/*
	 * QEMU h_int_get_source_info: the EAS of an unclaimed LISN is not
	 * valid.
	 */
	report_hrc(hcall(H_INT_GET_SOURCE_INFO, 0, bad_lisn), H_P2,
		   "GET_SOURCE_INFO LISN 0x%x", bad_lisn);
	/* QEMU h_int_get_source_info: `lisn >= xive->nr_irqs`. */
	report_hrc(hcall(H_INT_GET_SOURCE_INFO, 0, ~0ul), H_P2,
		   "GET_SOURCE_INFO LISN -1");
	/* QEMU h_int_set_source_config: flags other than SET_EISN | MASK. */
	report_hrc(hcall(H_INT_SET_SOURCE_CONFIG, 4, 0, t, PRIO, 0),
		   H_PARAMETER, "SET_SOURCE_CONFIG flags");
	/* QEMU h_int_set_source_config: EAS not valid. */
	report_hrc(hcall(H_INT_SET_SOURCE_CONFIG, 0, bad_lisn, t, PRIO, 0),
		   H_P2, "SET_SOURCE_CONFIG LISN");
	/*
	 * QEMU h_int_set_source_config: `spapr_xive_target_to_end()` fails:
	 * H_P3.
	 */
	report_hrc(hcall(H_INT_SET_SOURCE_CONFIG, 0, 0, 999, PRIO, 0), H_P3,
		   "SET_SOURCE_CONFIG target");
	/*
	 * QEMU h_int_set_source_config: reserved priority: H_P4 (checked before
	 * the target).
	 */
	report_hrc(hcall(H_INT_SET_SOURCE_CONFIG, 0, 0, t, 7, 0), H_P4,
		   "SET_SOURCE_CONFIG reserved priority 7");
	/*
	 * QEMU h_int_set_source_config: the reserved-priority test's default
	 * case.
	 */
	report_hrc(hcall(H_INT_SET_SOURCE_CONFIG, 0, 0, t, 8, 0), H_P4,
		   "SET_SOURCE_CONFIG priority 8");
	/* QEMU h_int_get_source_config: `if (flags)`. */
	report_hrc(hcall(H_INT_GET_SOURCE_CONFIG, 1, 0), H_PARAMETER,
		   "GET_SOURCE_CONFIG flags");
	/* QEMU h_int_get_source_config: EAS not valid. */
	report_hrc(hcall(H_INT_GET_SOURCE_CONFIG, 0, bad_lisn), H_P2,
		   "GET_SOURCE_CONFIG LISN");
	/* QEMU h_int_get_queue_info: `if (flags)`. */
	report_hrc(hcall(H_INT_GET_QUEUE_INFO, 1, t, PRIO), H_PARAMETER,
		   "GET_QUEUE_INFO flags");
	/* QEMU h_int_get_queue_info: reserved priority: H_P3. */
	report_hrc(hcall(H_INT_GET_QUEUE_INFO, 0, t, 7), H_P3,
		   "GET_QUEUE_INFO priority 7");
	/* QEMU h_int_get_queue_info: target: H_P2. */
	report_hrc(hcall(H_INT_GET_QUEUE_INFO, 0, 999, PRIO), H_P2,
		   "GET_QUEUE_INFO target");
	/*
	 * QEMU h_int_set_queue_config: flags other than ALWAYS_NOTIFY (bit 63).
	 */
	report_hrc(hcall(H_INT_SET_QUEUE_CONFIG, 2, t, PRIO, q, 16),
		   H_PARAMETER, "SET_QUEUE_CONFIG flags");
	/* QEMU h_int_set_queue_config: reserved priority: H_P3. */
	report_hrc(hcall(H_INT_SET_QUEUE_CONFIG, 0, t, 7, q, 16), H_P3,
		   "SET_QUEUE_CONFIG priority 7");
	/* QEMU h_int_set_queue_config: target: H_P2. */
	report_hrc(hcall(H_INT_SET_QUEUE_CONFIG, 0, 999, PRIO, q, 16), H_P2,
		   "SET_QUEUE_CONFIG target");
	/*
	 * QEMU h_int_set_queue_config: `!QEMU_IS_ALIGNED(qpage, 1ul << qsize)`:
	 * H_P4.
	 */
	report_hrc(hcall(H_INT_SET_QUEUE_CONFIG, 0, t, PRIO, q + 0x1000, 16),
		   H_P4, "SET_QUEUE_CONFIG unaligned queue");
	/*
	 * QEMU h_int_set_queue_config: `address_space_map()` maps less: H_P4.
	 */
	report_hrc(hcall(H_INT_SET_QUEUE_CONFIG, 0, t, PRIO, 1ul << 45, 16),
		   H_P4, "SET_QUEUE_CONFIG queue outside memory");
	/* QEMU h_int_set_queue_config: qsize not 0, 12, 16, 21 or 24: H_P5. */
	report_hrc(hcall(H_INT_SET_QUEUE_CONFIG, 0, t, PRIO, q, 13), H_P5,
		   "SET_QUEUE_CONFIG size 2^13");
	/* QEMU h_int_get_queue_config: flags other than DEBUG (bit 63). */
	report_hrc(hcall(H_INT_GET_QUEUE_CONFIG, 2, t, PRIO), H_PARAMETER,
		   "GET_QUEUE_CONFIG flags");
	/* QEMU h_int_get_queue_config: reserved priority: H_P3. */
	report_hrc(hcall(H_INT_GET_QUEUE_CONFIG, 0, t, 7), H_P3,
		   "GET_QUEUE_CONFIG priority 7");
	/* QEMU h_int_get_queue_config: target: H_P2. */
	report_hrc(hcall(H_INT_GET_QUEUE_CONFIG, 0, 999, PRIO), H_P2,
		   "GET_QUEUE_CONFIG target");
	/* QEMU h_int_esb: flags other than STORE (bit 63). */
	report_hrc(hcall(H_INT_ESB, 2, 0, 0, 0), H_PARAMETER, "ESB flags");
	/* QEMU h_int_esb: EAS not valid. */
	report_hrc(hcall(H_INT_ESB, 0, bad_lisn, 0, 0), H_P2, "ESB LISN");
	/*
	 * QEMU h_int_esb: `offset > (1ull << xsrc->esb_shift)`, 2^17 for two
	 * pages: H_P3 (lparvisor also refuses 0x20000 and unaligned offsets).
	 */
	report_hrc(hcall(H_INT_ESB, 0, 0, 0x20001, 0), H_P3,
		   "ESB offset beyond the page");
	/* QEMU h_int_sync: `if (flags)`. */
	report_hrc(hcall(H_INT_SYNC, 1, 0), H_PARAMETER, "SYNC flags");
	/* QEMU h_int_sync: EAS not valid. */
	report_hrc(hcall(H_INT_SYNC, 0, bad_lisn), H_P2, "SYNC LISN");
	report_hrc(hcall(H_INT_SYNC, 0, 0), H_SUCCESS, "SYNC");
	/* QEMU h_int_reset: `if (flags)`. */
	report_hrc(hcall(H_INT_RESET, 1), H_PARAMETER, "RESET flags");
	/* QEMU h_int_set_os_reporting_line: "TODO", H_FUNCTION. */
	report_hrc(hcall(H_INT_SET_OS_REPORTING_LINE, 0, 0), H_FUNCTION,
		   "SET_OS_REPORTING_LINE (not offered)");
	/* QEMU h_int_get_os_reporting_line: "TODO", H_FUNCTION. */
	report_hrc(hcall(H_INT_GET_OS_REPORTING_LINE, 0, t, 0), H_FUNCTION,
		   "GET_OS_REPORTING_LINE (not offered)");
	/*
	 * QEMU ic-mode=xive registers no XICS hcalls (hw/intc/xics_spapr.c
	 * registers them for a XICS machine); spapr_hypercall() answers an
	 * unregistered one H_FUNCTION.
	 */
	report_hrc(hcall(H_CPPR, 0xff), H_FUNCTION,
		   "XICS H_CPPR in a XIVE partition");
}

static bool find_tima(void)
{
	tima_os = xive_tima_os();
	if (!report(tima_os != 0, "the tree has an ibm,power-ivpe node with "
		    "the OS TIMA page")) {
		return false;
	}
	printf("  OS TIMA page at 0x%lx\n", tima_os);
	return true;
}

void test_main(void)
{
	ncpu = cpu_count();
	if (ncpu > MAX_CPUS) {
		ncpu = MAX_CPUS;
	}
	if (!report(ncpu >= 2, "at least 2 vCPUs: %d", ncpu) || !find_tima()) {
		return;
	}
	report_hrc(hcall(H_INT_RESET, 0), H_SUCCESS, "H_INT_RESET");
	for (int i = 0; i < ncpu; i++) {
		if (!setup_queue(i, PRIO, ipi_page[i], 16) ||
		    !setup_source(i, i, PRIO)) {
			return;
		}
	}
	exc_set_handler(0x500, on_external);
	xive_set_cppr(0xff);
	irq_enable();
	for (int i = 1; i < ncpu; i++) {
		report_rtas(cpu_start(i, secondary, NULL), RTAS_OUT_SUCCESS,
			    "start-cpu vCPU %u", cpus[i].hwid);
	}
	if (!report(WAIT_FOR(started == (uint32_t)ncpu - 1, WAIT_MS),
		    "secondaries checked in: %u", started)) {
		return;
	}
	test_ipis();
	test_cppr();
	test_esb_masking();
	test_eas_masking();
	test_wrap();
	test_cede_wake();
	test_bad_args();
	for (int i = 0; i < ncpu; i++) {
		report(vst[i].spurious == 0 && vst[i].bad == 0,
		       "vCPU %u: no spurious or foreign event: %u, %u",
		       cpus[i].hwid, vst[i].spurious, vst[i].bad);
	}
	irq_disable();
}
