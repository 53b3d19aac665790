/*
 * An NVMe controller behind the partition's PCI host bridge, driven by
 * polling: its registers through the PHB's 32-bit MMIO window, its admin
 * queues and an Identify Controller through the PHB's default DMA window
 * (H_PUT_TCE on the LIOBN of ibm,dma-window).  The controller reads the
 * submission queue and writes the completion and the identify data: DMA
 * both ways.  A page unmapped again is refused to the device (the command
 * fails, the buffer is untouched).  Runs on lparvisor (a host PHB) and on
 * QEMU's -M pseries (its own PHB), where the payload places BAR0 itself,
 * as no firmware did.  NVMe 1.4 register and command layouts.
 */
#include "hv/abi/hcall.h"
#include "hv/abi/layout.h"
#include "hv/abi/rtas.h"
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

#include <libfdt.h>

const char test_name[] = "nvme";

#define NVME_CLASS 0x010802
#define CFG_COMMAND 0x04
#define CFG_BAR0 0x10
#define REG_VS 0x08
#define REG_CC 0x14
#define REG_CSTS 0x1c
#define REG_AQA 0x24
#define REG_ASQ 0x28
#define REG_ACQ 0x30
#define REG_SQ0TDBL 0x1000
#define REG_CQ0HDBL 0x1004 /* CAP.DSTRD 0 */
#define CFG_INT_LINE 0x3c
#define CFG_INT_PIN 0x3d
#define CC_ENABLE 0x00460001u /* IOCQES 4, IOSQES 6, 4 KiB pages, EN */
#define CSTS_RDY 0x1u
#define OP_IDENTIFY 0x06
#define PAGE 0x1000ull

/* Bus addresses in the default window: queues and data, one page each
 * (the dynamic DMA window test moves them into its window). */
static uint64_t IOBA_SQ = 0x0ull;
static uint64_t IOBA_CQ = 0x1000ull;
static uint64_t IOBA_DATA = 0x2000ull;

static uint8_t pages[3][PAGE] __aligned(PAGE);
static uint32_t queue_page[PAGE / 4] __aligned(PAGE);
#define SQ pages[0]
#define CQ pages[1]
#define DATA pages[2]

static int tok_read, tok_write, tok_msi, tok_query;
static int phb_node, fn_node;
static uint64_t buid;
static uint32_t bus, devfn;
static volatile uint32_t *regs;
static uint32_t tce_liobn;

static uint32_t cfg_addr(uint32_t reg)
{
	return (bus << 16) | (devfn << 8) | reg;
}

static int cfg_write(uint32_t reg, uint32_t size, uint32_t val)
{
	return rtas_call(tok_write, 5, 1, NULL, cfg_addr(reg),
			 (uint32_t)(buid >> 32), (uint32_t)buid, size, val);
}

static uint32_t rd32(uint32_t off)
{
	uint32_t v = regs[off / 4];

	__asm__ volatile("sync" ::: "memory");
	return v;
}

static void wr32(uint32_t off, uint32_t v)
{
	__asm__ volatile("sync" ::: "memory");
	regs[off / 4] = v;
	__asm__ volatile("sync" ::: "memory");
}

static bool wait_rdy(uint32_t want)
{
	uint64_t end = tb_now() + tb_from_ms(2000);

	while (tb_now() < end) {
		if ((rd32(REG_CSTS) & CSTS_RDY) == want) {
			return true;
		}
	}
	return false;
}

static void put_le32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++) {
		p[i] = (uint8_t)(v >> (8 * i));
	}
}

static uint32_t get_le32(const volatile uint8_t *p)
{
	return p[0] | (p[1] << 8) | (p[2] << 16) | ((uint32_t)p[3] << 24);
}

/*
 * The admin completion queue's head doorbell, written once per head.
 * QEMU 7.2's nvme counts the completion queues that went from empty to
 * not empty (cq_pending) and takes one off at every head write that
 * empties a queue, however often; its level interrupt falls only when
 * the count is 0, and a controller reset keeps it.  So every entry is
 * consumed exactly once, here or before a restart.
 */
static uint32_t cq_tail, cq_head; /* entries seen, consumed */

static void cq_doorbell(uint32_t head)
{
	if (head != cq_head) {
		wr32(REG_CQ0HDBL, head);
		cq_head = head;
	}
}

/* Identify Controller into the page at bus address IOBA_DATA, in SQ slot
 * `slot` (its doorbell rung). */
static void identify_submit(uint32_t slot, uint16_t cid)
{
	uint8_t *cmd = SQ + 64 * slot;

	memset(cmd, 0, 64);
	put_le32(cmd, OP_IDENTIFY | ((uint32_t)cid << 16));
	put_le32(cmd + 24, (uint32_t)IOBA_DATA);   /* PRP1 */
	put_le32(cmd + 28, (uint32_t)(IOBA_DATA >> 32));
	put_le32(cmd + 40, 1);                     /* CNS 1: controller */
	wr32(REG_SQ0TDBL, slot + 1);
}

/* The completion of `cid` in CQ slot `slot`: its status field, -1 when
 * none came, -2 when the slot only ever showed another command's.  A
 * word seen with its phase set but another CID is read again until the
 * deadline: the device may still be writing the entry (QEMU writes it
 * from another thread). */
static int completion(uint32_t slot, uint16_t cid)
{
	volatile uint8_t *cqe = CQ + 16 * slot;
	uint64_t end = tb_now() + tb_from_ms(2000);
	int rc = -1;

	while (tb_now() < end) {
		uint32_t dw3 = get_le32(cqe + 12);

		if (dw3 & 0x10000) { /* phase tag: first pass is 1 */
			__asm__ volatile("sync" ::: "memory");
			dw3 = get_le32(cqe + 12);
			if ((dw3 & 0xffff) == cid) {
				if (slot + 1 > cq_tail) {
					cq_tail = slot + 1;
				}
				return (int)((dw3 >> 17) & 0x7fff);
			}
			rc = -2;
		}
	}
	return rc;
}

/* Identify in slot `slot`, completion polled. */
static int identify(uint32_t slot, uint16_t cid)
{
	identify_submit(slot, cid);
	return completion(slot, cid);
}

static bool cede_for_msi(uint32_t before);

/* Identify in slot `slot`, waited for in H_CEDE until an interrupt has
 * been counted past `before`; then its completion. */
static int identify_cede(uint32_t slot, uint16_t cid, uint32_t before)
{
	identify_submit(slot, cid);
	if (!cede_for_msi(before)) {
		return -3;
	}
	return completion(slot, cid);
}

static bool find_nvme(uint64_t *cpu_base, uint32_t *liobn)
{
	const void *fdt = dt_fdt();
	const fdt32_t *reg, *ranges, *win, *aa;
	uint64_t pci = 0, ranges_pci, ranges_cpu;
	int phb, fn, len, alen;

	phb = fdt_node_offset_by_compatible(fdt, -1, "IBM,Logical_PHB");
	if (phb < 0) {
		return false;
	}
	reg = dt_prop(phb, "reg", &len);
	ranges = dt_prop(phb, "ranges", NULL);
	win = dt_prop(phb, "ibm,dma-window", NULL);
	if (!reg || !ranges || !win) {
		return false;
	}
	buid = ((uint64_t)fdt32_to_cpu(reg[0]) << 32) | fdt32_to_cpu(reg[1]);
	*liobn = fdt32_to_cpu(win[0]);
	/* The 32-bit memory entry of ranges (QEMU lists I/O first). */
	for (int i = 0; i < 3; i++) {
		if ((fdt32_to_cpu(ranges[7 * i]) >> 24 & 3) == 2) {
			ranges = &ranges[7 * i];
			break;
		}
	}
	ranges_pci = ((uint64_t)fdt32_to_cpu(ranges[1]) << 32) |
		     fdt32_to_cpu(ranges[2]);
	ranges_cpu = ((uint64_t)fdt32_to_cpu(ranges[3]) << 32) |
		     fdt32_to_cpu(ranges[4]);
	fdt_for_each_subnode(fn, fdt, phb) {
		uint32_t cc;

		if (dt_prop_u32(fn, "class-code", &cc) && cc == NVME_CLASS) {
			break;
		}
	}
	if (fn < 0 || !(reg = dt_prop(fn, "reg", &len))) {
		return false;
	}
	phb_node = phb;
	fn_node = fn;
	bus = (fdt32_to_cpu(reg[0]) >> 16) & 0xff;
	devfn = (fdt32_to_cpu(reg[0]) >> 8) & 0xff;
	aa = dt_prop(fn, "assigned-addresses", &alen);
	for (int i = 0; aa && (i + 1) * 20 <= alen; i++) {
		if ((fdt32_to_cpu(aa[5 * i]) & 0xff) == CFG_BAR0) {
			pci = ((uint64_t)fdt32_to_cpu(aa[5 * i + 1]) << 32) |
			      fdt32_to_cpu(aa[5 * i + 2]);
		}
	}
	if (!pci) {
		/* No firmware placed it (QEMU -M pseries without SLOF). */
		pci = ranges_pci;
		cfg_write(CFG_BAR0, 4, (uint32_t)pci);
		cfg_write(CFG_BAR0 + 4, 4, (uint32_t)(pci >> 32));
	}
	*cpu_base = ranges_cpu + (pci - ranges_pci);
	return true;
}

static uint32_t cfg_read(uint32_t reg, uint32_t size)
{
	uint32_t v = 0;

	rtas_call(tok_read, 4, 2, &v, cfg_addr(reg), (uint32_t)(buid >> 32),
		  (uint32_t)buid, size);
	return v;
}

static uint32_t find_cap(uint32_t id)
{
	uint32_t ptr = cfg_read(0x34, 1) & 0xfc;

	for (int n = 0; ptr >= 0x40 && n < 48; n++) {
		if (cfg_read(ptr, 1) == id) {
			return ptr;
		}
		ptr = cfg_read(ptr + 1, 1) & 0xfc;
	}
	return 0;
}

static int change_msi(uint32_t func, uint32_t n, uint32_t *out)
{
	return rtas_call(tok_msi, 6, 4, out, cfg_addr(0),
			 (uint32_t)(buid >> 32), (uint32_t)buid, func, n, 0);
}

/* Interrupt state of the MSI-X checks (the external handler's). */
static struct xive_src msi_src;
static struct xive_queue msi_q;
static volatile uint32_t msi_events, msi_last, msi_spurious, dec_wakes;

/* External interrupt: acknowledge, take the queue's events (EOI each on
 * the source's ESB page, which re-arms it), open CPPR again. */
static void on_msi(struct regs *r)
{
	uint16_t ack = xive_ack();
	long ev;

	(void)r;
	if (!((ack >> 8) & XIVE_TM_NSR_EO)) {
		msi_spurious++;
		return;
	}
	while ((ev = xive_queue_pop(&msi_q)) >= 0) {
		msi_last = (uint32_t)ev;
		msi_events++;
		xive_eoi(&msi_src);
	}
	xive_set_cppr(0xff);
}

static void on_dec(struct regs *r)
{
	(void)r;
	mtdec(dec_max());
	dec_wakes++;
}

/* Cede until the external handler has counted an event more than
 * `before`, or 2 s; a decrementer 20 ms out bounds each cede. */
static bool cede_for_msi(uint32_t before)
{
	uint64_t end = tb_now() + tb_from_ms(2000);

	irq_disable();
	while (msi_events == before && tb_now() < end) {
		mtdec(tb_from_ms(20));
		hcall(H_CEDE); /* returns with MSR[EE] set: the interrupt runs */
		irq_disable();
	}
	mtdec(dec_max());
	irq_enable();
	return msi_events != before;
}

/* The controller disabled and enabled again with empty admin queues.
 * QEMU 7.2's nvme marks an MSI-X vector in use only when a completion
 * queue is created while MSI-X is enabled (hw/nvme/ctrl.c nvme_init_cq),
 * so MSI-X must be on before the admin queue exists, as Linux has it. */
static bool restart_controller(void)
{
	cq_doorbell(cq_tail);
	wr32(REG_CC, 0);
	if (!wait_rdy(0)) {
		return false;
	}
	memset(SQ, 0, PAGE);
	memset(CQ, 0, PAGE);
	wr32(REG_AQA, 0x00030003);
	wr32(REG_ASQ, (uint32_t)IOBA_SQ);
	wr32(REG_ASQ + 4, (uint32_t)(IOBA_SQ >> 32));
	wr32(REG_ACQ, (uint32_t)IOBA_CQ);
	wr32(REG_ACQ + 4, (uint32_t)(IOBA_CQ >> 32));
	cq_tail = cq_head = 0;
	wr32(REG_CC, CC_ENABLE);
	return wait_rdy(1);
}

/*
 * lparvisor, XIVE partition: MSI-X vector 0 of the controller through
 * ibm,change-msi (QEMU 7.2's codes for bad functions, BUIDs, releases and
 * queries), the PHB's MSI address in the device's MSI-X table, its LISN's
 * source info and routing to this vCPU's queue; then two Identify
 * commands, each completed by interrupt: the vCPU cedes and the MSI-X
 * message, through the host PHB and XIVE, wakes it with the EISN in its
 * queue.  Masked at the source, a completion raises nothing.
 */
static void test_msix(void)
{
	uint32_t out[3] = { 0 }, msix, tbl, hwid = cpu_self()->hwid, lisn;
	volatile uint32_t *entry;
	uint32_t before;
	int st;

	tok_msi = rtas_token("ibm,change-msi");
	tok_query = rtas_token("ibm,query-interrupt-source-number");
	msix = find_cap(0x11);
	if (!report(msix && tok_msi != RTAS_UNKNOWN_SERVICE &&
		    tok_query != RTAS_UNKNOWN_SERVICE, "MSI-X capability "
		    "and the MSI tokens")) {
		return;
	}
	/* Hostile first: functions, BUIDs, vectors not handed out. */
	report_rtas(change_msi(5, 1, out), RTAS_OUT_PARAM_ERROR,
		    "change-msi function 5");
	report_rtas(rtas_call(tok_msi, 6, 4, out, cfg_addr(0),
			      (uint32_t)(buid >> 32), (uint32_t)buid + 1, 4, 1,
			      0), RTAS_OUT_PARAM_ERROR,
		    "change-msi on another BUID");
	report_rtas(change_msi(4, 0, out), RTAS_OUT_HW_ERROR,
		    "releasing MSIs never handed out");
	report_rtas(rtas_call(tok_query, 4, 3, out, cfg_addr(0),
			      (uint32_t)(buid >> 32), (uint32_t)buid, 0),
		    RTAS_OUT_HW_ERROR, "query before change-msi");
	st = change_msi(4, 100, out);
	report(st == 0 && out[0] >= 1 && out[0] <= 16 && out[2] == 2,
	       "asking for 100 MSI-X gets the count available (%u)", out[0]);
	st = change_msi(4, 1, out);
	report(st == 0 && out[0] == 1 && out[1] == 1 && out[2] == 2,
	       "change-msi: one MSI-X (status %d, count %u, type %u)", st,
	       out[0], out[2]);
	st = rtas_call(tok_query, 4, 3, out, cfg_addr(0),
		       (uint32_t)(buid >> 32), (uint32_t)buid, 0);
	report(st == 0 && out[0] >= 0x1300 && out[1] == 1,
	       "vector 0 is LISN 0x%x, edge", out[0]);
	lisn = out[0];
	report_rtas(rtas_call(tok_query, 4, 3, NULL, cfg_addr(0),
			      (uint32_t)(buid >> 32), (uint32_t)buid, 1),
		    RTAS_OUT_HW_ERROR, "vector 1 was not handed out");
	if (!report_hrc(xive_source_info(&msi_src, lisn), H_SUCCESS,
			"H_INT_GET_SOURCE_INFO of the MSI's LISN") ||
	    !report_hrc(xive_queue_setup(&msi_q, hwid, 6, queue_page, 12),
			H_SUCCESS, "a queue for priority 6") ||
	    !report_hrc(hcall(H_INT_SET_SOURCE_CONFIG, XIVE_SRC_SET_EISN,
			      lisn, hwid, 6, 0x777), H_SUCCESS,
			"MSI's LISN routed to this vCPU")) {
		return;
	}
	if (!report(xive_tima_os() != 0, "the OS TIMA page in the tree")) {
		return;
	}
	exc_set_handler(0x500, on_msi);
	exc_set_handler(0x900, on_dec);
	xive_set_cppr(0xff);
	(void)mmio_ld64(msi_src.eoi + XIVE_ESB_SET_PQ_00);
	/* The table entry holds the PHB's MSI address; unmask it, enable. */
	tbl = cfg_read(msix + 4, 4);
	entry = (volatile uint32_t *)((uintptr_t)regs + (tbl & ~7u));
	report((tbl & 7) == 0 && entry[1] == 0x10000000u,
	       "MSI-X entry 0 holds a 64-bit PHB MSI address (hi 0x%08x)",
	       entry[1]);
	entry[3] = 0;
	cfg_write(msix + 2, 2, 0x8000);
	/* The data page mapped again; the admin queue made with MSI-X on. */
	hcall(H_PUT_TCE, tce_liobn, IOBA_DATA, (uint64_t)(uintptr_t)DATA | 3);
	if (!report(restart_controller(), "controller restarted with MSI-X "
		    "on")) {
		return;
	}
	for (uint32_t k = 0; k < 2; k++) {
		before = msi_events;
		st = identify_cede(k, (uint16_t)(0x21 + k), before);
		report(st == 0 && msi_events == before + 1 &&
			       msi_last == 0x777,
		       "Identify %u completed by interrupt: status %d, %u "
		       "event(s), EISN 0x%x", k + 1, st, msi_events - before,
		       msi_last);
	}
	/* Masked at the source (PQ=01): the completion raises nothing. */
	(void)mmio_ld64(msi_src.eoi + XIVE_ESB_SET_PQ_01);
	before = msi_events;
	st = identify(2, 0x23);
	delay_us(100000);
	report(st == 0 && msi_events == before,
	       "with the source masked the completion raises no interrupt "
	       "(status %d, %u event(s))", st, msi_events - before);
	printf("nvme: %u MSI-X interrupts, %u spurious, %u decrementer "
	       "wakes\n", msi_events, msi_spurious, dec_wakes);
	exc_set_handler(0x500, NULL);
	exc_set_handler(0x900, NULL);
	cfg_write(msix + 2, 2, 0);
	report_rtas(change_msi(4, 0, out), 0, "MSI-X released");
	report_rtas(rtas_call(tok_query, 4, 3, NULL, cfg_addr(0),
			      (uint32_t)(buid >> 32), (uint32_t)buid, 0),
		    RTAS_OUT_HW_ERROR, "query after the release");
}

/* External interrupt on XICS: H_XIRR, count the source, H_EOI. */
static void on_xics(struct regs *r)
{
	struct hcall_rets o;
	uint32_t xirr;

	(void)r;
	hcall_out(&o, H_XIRR);
	xirr = (uint32_t)o.r[0];
	if (!(xirr & 0xffffff)) {
		msi_spurious++;
		return;
	}
	msi_last = xirr & 0xffffff;
	msi_events++;
	hcall(H_EOI, xirr);
}

/*
 * XICS partition (lparvisor's emulated XICS, or QEMU's -M pseries): one
 * MSI-X vector through ibm,change-msi, its source routed with
 * ibm,set-xive and ibm,int-on; two Identify commands completed by
 * interrupt (the vCPU cedes, H_XIRR names the MSI's source); with the
 * source off (ibm,int-off) a completion raises nothing until it is on
 * again, when the held message is presented.
 */
static void test_msix_xics(void)
{
	uint32_t out[3] = { 0 }, msix, tbl, irq, before;
	int tok_set, tok_on, tok_off, st;
	volatile uint32_t *entry;

	tok_msi = rtas_token("ibm,change-msi");
	tok_query = rtas_token("ibm,query-interrupt-source-number");
	tok_set = rtas_token("ibm,set-xive");
	tok_on = rtas_token("ibm,int-on");
	tok_off = rtas_token("ibm,int-off");
	msix = find_cap(0x11);
	if (!report(msix && tok_msi != RTAS_UNKNOWN_SERVICE &&
			    tok_query != RTAS_UNKNOWN_SERVICE &&
			    tok_set != RTAS_UNKNOWN_SERVICE,
		    "XICS MSI-X capability and the MSI and XICS tokens")) {
		return;
	}
	st = change_msi(4, 1, out);
	report(st == 0 && out[0] == 1 && out[2] == 2,
	       "XICS change-msi: one MSI-X (status %d, count %u, type %u)",
	       st, out[0], out[2]);
	st = rtas_call(tok_query, 4, 3, out, cfg_addr(0),
		       (uint32_t)(buid >> 32), (uint32_t)buid, 0);
	irq = out[0];
	if (!report(st == 0 && irq >= 0x1000 && out[1] == 1,
		    "XICS vector 0 is source 0x%x, edge", irq)) {
		return;
	}
	report_rtas(rtas_call(tok_set, 3, 1, NULL, irq, cpu_self()->hwid, 5),
		    0, "XICS ibm,set-xive of the MSI's source");
	report_rtas(rtas_call(tok_on, 1, 1, NULL, irq), 0,
		    "XICS ibm,int-on of the MSI's source");
	exc_set_handler(0x500, on_xics);
	exc_set_handler(0x900, on_dec);
	hcall(H_CPPR, 0xff);
	tbl = cfg_read(msix + 4, 4);
	entry = (volatile uint32_t *)((uintptr_t)regs + (tbl & ~7u));
	entry[3] = 0;
	cfg_write(msix + 2, 2, 0x8000);
	hcall(H_PUT_TCE, tce_liobn, IOBA_DATA, (uint64_t)(uintptr_t)DATA | 3);
	if (!report(restart_controller(), "XICS controller restarted with "
		    "MSI-X on")) {
		return;
	}
	for (uint32_t k = 0; k < 2; k++) {
		before = msi_events;
		st = identify_cede(k, (uint16_t)(0x31 + k), before);
		report(st == 0 && msi_events == before + 1 && msi_last == irq,
		       "XICS Identify %u completed by interrupt: status %d, "
		       "%u event(s), source 0x%x", k + 1, st,
		       msi_events - before, msi_last);
	}
	report_rtas(rtas_call(tok_off, 1, 1, NULL, irq), 0,
		    "XICS ibm,int-off of the MSI's source");
	before = msi_events;
	st = identify(2, 0x33);
	delay_us(100000);
	report(st == 0 && msi_events == before,
	       "XICS with the source off the completion raises nothing "
	       "(status %d, %u event(s))", st, msi_events - before);
	report_rtas(rtas_call(tok_on, 1, 1, NULL, irq), 0,
		    "XICS ibm,int-on again");
	report(cede_for_msi(before) && msi_last == irq,
	       "XICS the held message is presented once the source is on "
	       "(%u event(s))", msi_events - before);
	printf("nvme: %u MSI-X interrupts (XICS), %u spurious, %u "
	       "decrementer wakes\n", msi_events, msi_spurious, dec_wakes);
	hcall(H_CPPR, 0);
	exc_set_handler(0x500, NULL);
	exc_set_handler(0x900, NULL);
	cfg_write(msix + 2, 2, 0);
	report_rtas(change_msi(4, 0, out), 0, "XICS MSI-X released");
}


/*
 * INTx (issue 17): the function's pin, the PHB's interrupt-map as QEMU
 * 7.2's spapr_dt_phb() has it, and two Identify commands completed by
 * the level interrupt with MSI-X off.  The controller holds its line
 * until the completion queue's head doorbell consumes the entry
 * (QEMU's nvme: pci_irq_assert/deassert), so an EOI while the line is
 * held presents the interrupt again; once released it stays quiet.  On
 * XIVE (lparvisor: the host PHB's LSI routed to the partition's vCPU)
 * the source is an LSI with H_INT_ESB, EOId by that hcall; on XICS
 * (QEMU's reference, lparvisor's forwarded LSI) by H_EOI, and a level
 * held while the source is off is presented once it is on again.
 */
static struct xive_queue lsi_q;
static uint32_t lsi_queue_page[PAGE / 4] __aligned(PAGE);
static volatile uint32_t lsi_events, lsi_last, lsi_hold, lsi_head;
static uint32_t lsi_lisn;

/* The device's line released: the completion consumed. */
static void lsi_release(void)
{
	cq_doorbell(lsi_head);
}

static void on_lsi_xive(struct regs *r)
{
	uint16_t ack = xive_ack();
	long ev;

	(void)r;
	if (!((ack >> 8) & XIVE_TM_NSR_EO)) {
		msi_spurious++;
		return;
	}
	while ((ev = xive_queue_pop(&lsi_q)) >= 0) {
		lsi_last = (uint32_t)ev;
		if (++lsi_events > lsi_hold) {
			lsi_release();
		}
		hcall(H_INT_ESB, 0, lsi_lisn, XIVE_ESB_LOAD_EOI, 0);
	}
	xive_set_cppr(0xff);
}

static void on_lsi_xics(struct regs *r)
{
	struct hcall_rets o;
	uint32_t xirr;

	(void)r;
	hcall_out(&o, H_XIRR);
	xirr = (uint32_t)o.r[0];
	if (!(xirr & 0xffffff)) {
		msi_spurious++;
		return;
	}
	lsi_last = xirr & 0xffffff;
	if (++lsi_events > lsi_hold) {
		lsi_release();
	}
	hcall(H_EOI, xirr);
}

/* Cede until `want` INTx events were counted or 2 s passed; then 100 ms
 * more for any extra one. */
static void cede_for_lsi(uint32_t want)
{
	uint64_t end = tb_now() + tb_from_ms(2000);

	irq_disable();
	while (lsi_events < want && tb_now() < end) {
		mtdec(tb_from_ms(20));
		hcall(H_CEDE);
		irq_disable();
	}
	mtdec(dec_max());
	irq_enable();
	delay_us(100000);
}

/* The interrupt the PHB's interrupt-map gives (unit address `hi`, pin
 * `pin`): its number and sense cell, with the parent's phandle. */
static bool intx_lookup(uint32_t hi, uint32_t pin, uint32_t *irq,
			uint32_t *sense, uint32_t *parent)
{
	const fdt32_t *mask, *map;
	int mlen = 0, len = 0;

	mask = dt_prop(phb_node, "interrupt-map-mask", &mlen);
	map = dt_prop(phb_node, "interrupt-map", &len);
	if (!mask || mlen != 16 || !map || len % 28) {
		return false;
	}
	for (int i = 0; i < len / 28; i++) {
		const fdt32_t *e = &map[7 * i];

		if (fdt32_to_cpu(e[0]) == (hi & fdt32_to_cpu(mask[0])) &&
		    fdt32_to_cpu(e[3]) == (pin & fdt32_to_cpu(mask[3]))) {
			*parent = fdt32_to_cpu(e[4]);
			*irq = fdt32_to_cpu(e[5]);
			*sense = fdt32_to_cpu(e[6]);
			return true;
		}
	}
	return false;
}

static void test_intx(bool xive)
{
	const char *ic = xive ? "XIVE" : "XICS";
	uint32_t pin = 0, dtpin = 0, irq = 0, sense = 0, parent = 0, before;
	uint32_t hwid = cpu_self()->hwid, line, cells = 0;
	const fdt32_t *reg = dt_prop(fn_node, "reg", NULL);
	int intc = -1, tok_set = 0, tok_on = 0, tok_off = 0, st;
	struct xive_src src;
	bool found;

	pin = cfg_read(CFG_INT_PIN, 1);
	line = cfg_read(CFG_INT_LINE, 1);
	report(dt_prop_u32(fn_node, "interrupts", &dtpin) && pin == 1 &&
		       dtpin == pin,
	       "%s INTx config pin is the node's interrupts: %u, %u", ic, pin,
	       dtpin);
	printf("nvme: interrupt line register 0x%02x\n", line);
	found = reg && intx_lookup(fdt32_to_cpu(reg[0]), pin, &irq, &sense,
				   &parent);
	intc = found ? fdt_node_offset_by_phandle(dt_fdt(), parent) : -1;
	if (!report(intc >= 0 &&
			    dt_prop(intc, "interrupt-controller", NULL) &&
			    dt_prop_u32(intc, "#interrupt-cells", &cells) &&
			    cells == 2,
		    "%s INTx the PHB's interrupt-map gives pin %u of slot %u "
		    "to the interrupt controller: irq 0x%x parent 0x%x", ic,
		    pin, devfn >> 3, irq, parent)) {
		return;
	}
	report(irq == LAYOUT_PHB_LSI_LISN(0) + ((devfn >> 3) + pin - 1) % 4 &&
		       sense == 1,
	       "%s INTx source is QEMU's first PHB's INTA + swizzle, level: "
	       "0x%x, %u", ic, irq, sense);
	lsi_lisn = irq;
	if (xive) {
		if (!report_hrc(xive_source_info(&src, irq), H_SUCCESS,
				"XIVE INTx H_INT_GET_SOURCE_INFO") ||
		    !report((src.flags & XIVE_SRC_LSI) &&
				    (src.flags & XIVE_SRC_H_INT_ESB),
			    "XIVE INTx an LSI, ESB through H_INT_ESB: flags "
			    "0x%lx", (unsigned long)src.flags) ||
		    !report_hrc(xive_queue_setup(&lsi_q, hwid, 5,
						 lsi_queue_page, 12),
				H_SUCCESS, "XIVE INTx a queue for priority 5") ||
		    !report_hrc(hcall(H_INT_SET_SOURCE_CONFIG,
				      XIVE_SRC_SET_EISN, irq, hwid, 5, 0x888),
				H_SUCCESS, "XIVE INTx routed to this vCPU")) {
			return;
		}
		exc_set_handler(0x500, on_lsi_xive);
		xive_set_cppr(0xff);
		hcall(H_INT_ESB, 0, irq, XIVE_ESB_SET_PQ_00, 0);
	} else {
		tok_set = rtas_token("ibm,set-xive");
		tok_on = rtas_token("ibm,int-on");
		tok_off = rtas_token("ibm,int-off");
		report_rtas(rtas_call(tok_set, 3, 1, NULL, irq, hwid, 5), 0,
			    "XICS INTx ibm,set-xive");
		report_rtas(rtas_call(tok_on, 1, 1, NULL, irq), 0,
			    "XICS INTx ibm,int-on");
		exc_set_handler(0x500, on_lsi_xics);
		hcall(H_CPPR, 0xff);
	}
	exc_set_handler(0x900, on_dec);
	/* INTx enabled (command bit 10 clear), MSI-X off: a fresh admin
	 * queue signals on the pin. */
	report_rtas(cfg_write(CFG_COMMAND, 2, 0x6), 0,
		    "%s INTx INTx enabled in the command register", ic);
	hcall(H_PUT_TCE, tce_liobn, IOBA_DATA, (uint64_t)(uintptr_t)DATA | 3);
	if (!report(restart_controller(), "%s INTx controller restarted with "
		    "MSI-X off", ic)) {
		goto out;
	}
	/* The line the polled commands held fell at the restart: nothing
	 * may be presented for it once the source is on. */
	delay_us(50000);
	report(lsi_events == 0, "%s INTx nothing presented before the first "
	       "command: %u events", ic, lsi_events);
	/* Held through the first EOI: raised again, then released. */
	lsi_head = 1;
	before = lsi_events;
	lsi_hold = before + 1;
	identify_submit(0, 0x41);
	cede_for_lsi(before + 2);
	st = completion(0, 0x41);
	report(st == 0 && lsi_events == before + 2 &&
		       lsi_last == (xive ? 0x888u : irq),
	       "%s INTx Identify 1 by the level interrupt, presented again "
	       "while held, quiet once released: status %d, %u events, "
	       "0x%x", ic, st, lsi_events - before, lsi_last);
	/* Released at the first: exactly one. */
	lsi_head = 2;
	before = lsi_events;
	lsi_hold = before;
	identify_submit(1, 0x42);
	cede_for_lsi(before + 1);
	st = completion(1, 0x42);
	report(st == 0 && lsi_events == before + 1,
	       "%s INTx Identify 2 by the level interrupt, once: status %d, "
	       "%u events", ic, st, lsi_events - before);
	/* Off at the source: nothing while the line is held. */
	lsi_head = 3;
	before = lsi_events;
	if (xive) {
		hcall(H_INT_ESB, 0, irq, XIVE_ESB_SET_PQ_01, 0);
	} else {
		rtas_call(tok_off, 1, 1, NULL, irq);
	}
	st = identify(2, 0x43);
	delay_us(100000);
	report(st == 0 && lsi_events == before,
	       "%s INTx masked, the held line raises nothing: status %d, "
	       "%u events", ic, st, lsi_events - before);
	if (!xive) {
		/* XICS presents an asserted level once the source is on. */
		report_rtas(rtas_call(tok_on, 1, 1, NULL, irq), 0,
			    "XICS INTx ibm,int-on again");
		cede_for_lsi(before + 1);
		report(lsi_events == before + 1,
		       "XICS INTx the held level is presented once on: %u "
		       "events", lsi_events - before);
		rtas_call(tok_off, 1, 1, NULL, irq);
	}
	lsi_release();
	printf("nvme: %u INTx interrupts (%s)\n", lsi_events, ic);
out:
	if (xive) {
		hcall(H_INT_SET_SOURCE_CONFIG, XIVE_SRC_MASK, irq, hwid, 5, 0);
		xive_set_cppr(0);
	} else {
		hcall(H_CPPR, 0);
	}
	exc_set_handler(0x500, NULL);
	exc_set_handler(0x900, NULL);
}


/* The PHB window's entry for `ioba` (H_GET_TCE), ~0 when refused. */
static uint64_t get_tce(uint32_t liobn, uint64_t ioba)
{
	struct hcall_rets o;

	return hcall_out(&o, H_GET_TCE, liobn, ioba) == H_SUCCESS ? o.r[0] :
								   ~0ull;
}

static uint64_t tce_list[4] __aligned(PAGE);

/*
 * lparvisor only (QEMU stores any TCE): the other two ways of writing
 * the PHB's TCEs refuse memory outside the partition as H_PUT_TCE does,
 * and leave the entry empty: H_STUFF_TCE of such a page, an indirect
 * list naming one after a good one (the good one is stored, as QEMU's
 * loop stores entries up to the failing one), a list lying outside
 * memory.  Entries 3 and 4 of the window are used and left empty.
 */
static void tce_outside(uint32_t liobn, uint64_t good)
{
	uint64_t past = (dt_ram_size() + PAGE) | 3;

	report_hrc(hcall(H_STUFF_TCE, liobn, 3 * PAGE, past, 2), H_PARAMETER,
		   "H_STUFF_TCE of a page past the partition");
	report(get_tce(liobn, 3 * PAGE) == 0 && get_tce(liobn, 4 * PAGE) == 0,
	       "its entries stay empty");
	tce_list[0] = __builtin_bswap64(good | 3);
	tce_list[1] = __builtin_bswap64(past);
	report_hrc(hcall(H_PUT_TCE_INDIRECT, liobn, 3 * PAGE,
			 (uint64_t)(uintptr_t)tce_list, 2), H_PARAMETER,
		   "H_PUT_TCE_INDIRECT naming a page past the partition");
	report(get_tce(liobn, 3 * PAGE) == (good | 3) &&
		       get_tce(liobn, 4 * PAGE) == 0,
	       "the good entry before it is stored, the bad one not: 0x%lx, "
	       "0x%lx", (unsigned long)get_tce(liobn, 3 * PAGE),
	       (unsigned long)get_tce(liobn, 4 * PAGE));
	report_hrc(hcall(H_PUT_TCE_INDIRECT, liobn, 3 * PAGE, dt_ram_size(),
			 1), H_PARAMETER,
		   "H_PUT_TCE_INDIRECT with its list past the partition");
	hcall(H_PUT_TCE, liobn, 3 * PAGE, 0);
}

/*
 * Dynamic DMA windows (ibm,ddw-applicable and ibm,ddw-extensions on the
 * PHB, QEMU 7.2's calls and codes): hostile calls first, then query,
 * a window over all memory created as Linux makes it (the largest page
 * size offered up to 64 KiB, the memory rounded up to a power of two)
 * and filled 1:1 with H_PUT_TCE_INDIRECT; the controller restarted with
 * its queues and data at bus addresses in that window (bit 59 set on
 * lparvisor's PHB4: the host's second TVE) completes an Identify; a page
 * unmapped there is refused to the device; then remove (twice), the
 * default window removed and a window made at bus 0 in its place, and
 * reset bringing the default window back, used again by an Identify.
 */
static uint64_t ddw_list[512] __aligned(PAGE);
/* The identify data of this test: an IO page of its own at 64 KiB. */
static uint8_t ddw_data[0x10000] __aligned(0x10000);

static int ddw_call(int tok, int nret, uint32_t *out, uint32_t a3,
		    uint32_t a4, int nargs)
{
	return rtas_call(tok, nargs, nret, out, cfg_addr(0),
			 (uint32_t)(buid >> 32), (uint32_t)buid, a3, a4);
}

/* Map guest memory 1:1 at `start` of window `liobn`, IO pages of 1 <<
 * `shift`, as Linux's tce_setrange_multi_pSeriesLP does. */
static bool ddw_map_all(uint32_t liobn, uint64_t start, uint32_t shift,
			uint64_t ram)
{
	uint64_t npages = ram >> shift;

	for (uint64_t p = 0; p < npages; p += 512) {
		uint64_t n = npages - p < 512 ? npages - p : 512;

		for (uint64_t i = 0; i < n; i++) {
			ddw_list[i] = cpu_to_be64(((p + i) << shift) | 3);
		}
		if (hcall(H_PUT_TCE_INDIRECT, liobn, start + (p << shift),
			  (uint64_t)(uintptr_t)ddw_list, n) != H_SUCCESS) {
			return false;
		}
	}
	return true;
}

static void use_window(uint64_t base)
{
	IOBA_SQ = base + (uint64_t)(uintptr_t)SQ;
	IOBA_CQ = base + (uint64_t)(uintptr_t)CQ;
	IOBA_DATA = base + (uint64_t)(uintptr_t)ddw_data;
}

static void test_ddw(uint32_t def_liobn)
{
	const void *fdt = dt_fdt();
	const fdt32_t *app, *ext;
	uint32_t out[5] = { 0 }, tq, tc, tr, treset, shift, wshift, liobn;
	uint64_t ram = dt_ram_size(), start, largest;
	int phb, len = 0, elen = 0, st, vid;

	phb = fdt_node_offset_by_compatible(fdt, -1, "IBM,Logical_PHB");
	app = dt_prop(phb, "ibm,ddw-applicable", &len);
	ext = dt_prop(phb, "ibm,ddw-extensions", &elen);
	if (!report(app && len == 12 && ext && elen >= 8 &&
		    fdt32_to_cpu(ext[0]) >= 1, "ibm,ddw-applicable (3 tokens) "
		    "and ibm,ddw-extensions with the reset token")) {
		return;
	}
	tq = fdt32_to_cpu(app[0]);
	tc = fdt32_to_cpu(app[1]);
	tr = fdt32_to_cpu(app[2]);
	treset = fdt32_to_cpu(ext[1]);
	report(tq == (uint32_t)rtas_token("ibm,query-pe-dma-window") &&
	       tc == (uint32_t)rtas_token("ibm,create-pe-dma-window") &&
	       tr == (uint32_t)rtas_token("ibm,remove-pe-dma-window") &&
	       treset == (uint32_t)rtas_token("ibm,reset-pe-dma-window"),
	       "the DDW tokens are those of /rtas");

	/* Hostile calls. */
	buid++;
	report_rtas(ddw_call(tq, 5, out, 0, 0, 3), RTAS_OUT_PARAM_ERROR,
		    "query on another BUID");
	report_rtas(ddw_call(tc, 4, out, 16, 30, 5), RTAS_OUT_PARAM_ERROR,
		    "create on another BUID");
	report_rtas(ddw_call(treset, 1, NULL, 0, 0, 3), RTAS_OUT_PARAM_ERROR,
		    "reset on another BUID");
	buid--;
	report_rtas(ddw_call(tq, 4, out, 0, 0, 3), RTAS_OUT_PARAM_ERROR,
		    "query with 4 outputs");
	report_rtas(ddw_call(tq, 5, out, 0, 0, 2), RTAS_OUT_PARAM_ERROR,
		    "query with 2 arguments");
	report_rtas(ddw_call(tc, 4, out, 13, 30, 5), RTAS_OUT_PARAM_ERROR,
		    "create with 8 KiB pages");
	report_rtas(ddw_call(tc, 4, out, 16, 15, 5), RTAS_OUT_PARAM_ERROR,
		    "create with a window smaller than its page");
	report_rtas(rtas_call(tr, 1, 1, NULL, 0x12345678u),
		    RTAS_OUT_PARAM_ERROR, "remove of an unknown LIOBN");

	/* Query: one window free (the default one is there). */
	st = ddw_call(tq, 6, out, 0, 0, 3);
	largest = ((uint64_t)out[1] << 32) | out[2];
	report(st == 0 && out[0] == 1 && (out[3] & 1) && largest,
	       "query: status %d, %u window(s) free, largest %llu TCEs, "
	       "page sizes 0x%x", st, out[0], (unsigned long long)largest,
	       out[3]);
	printf("nvme: ddw query: %u free, largest %llu TCEs, page sizes "
	       "0x%x\n", out[0], (unsigned long long)largest, out[3]);
	shift = (out[3] & 2) ? 16 : 12;
	for (wshift = shift; (1ull << wshift) < ram; wshift++) {
	}
	if (dt_on_lparvisor()) {
		/* lparvisor only: QEMU offers 2^31 TCEs whatever the RAM. */
		report(largest == (1ull << wshift) >> 12,
		       "largest window: the memory in 4 KiB pages");
		report_rtas(ddw_call(tc, 4, out, 12, wshift + 1, 5),
			    RTAS_OUT_PARAM_ERROR,
			    "create of more TCEs than the largest window");
		report_rtas(ddw_call(tc, 4, out, 12, 60, 5),
			    RTAS_OUT_PARAM_ERROR,
			    "create of a window past bus bit 59");
	}
	st = ddw_call(tc, 4, out, shift, wshift, 5);
	liobn = out[0];
	start = ((uint64_t)out[1] << 32) | out[2];
	if (!report(st == 0 && liobn && liobn != def_liobn &&
		    start == 1ull << 59, "create: %u KiB pages, 2^%u bytes: "
		    "LIOBN 0x%x at 0x%llx", (1u << shift) >> 10, wshift, liobn,
		    (unsigned long long)start)) {
		return;
	}
	printf("nvme: ddw window LIOBN 0x%x at 0x%llx, 2^%u bytes of %u KiB "
	       "pages\n", liobn, (unsigned long long)start, wshift,
	       (1u << shift) >> 10);
	st = ddw_call(tq, 6, out, 0, 0, 3);
	report(st == 0 && out[0] == 0, "query: no window free now");
	report_rtas(ddw_call(tc, 4, out, shift, wshift, 5), RTAS_OUT_HW_ERROR,
		    "a third window is refused");
	if (dt_on_lparvisor()) {
		report_hrc(hcall(H_PUT_TCE, liobn, start, (ram + PAGE) | 3),
			   H_PARAMETER, "a TCE past the partition in the "
			   "dynamic window");
	}
	report(ddw_map_all(liobn, start, shift, ram), "all memory mapped 1:1 "
	       "with H_PUT_TCE_INDIRECT");
	use_window(start);
	memset(ddw_data, 0, PAGE);
	st = restart_controller() ? identify(0, 0x41) : -9;
	vid = ddw_data[0] | (ddw_data[1] << 8);
	report(st == 0 && vid == 0x1b36, "Identify through the dynamic "
	       "window (status %d, vendor 0x%04x)", st, vid);
	/* The IO page of the data unmapped: the device may not write. */
	report_hrc(hcall(H_PUT_TCE, liobn, IOBA_DATA, 0), H_SUCCESS,
		   "H_PUT_TCE unmapping the data's IO page");
	memset(ddw_data, 0xa5, PAGE);
	st = identify(1, 0x42);
	report(st >= 0 && ddw_data[0] == 0xa5 && ddw_data[PAGE - 1] == 0xa5,
	       "its page is untouched (status %d)", st);

	report_rtas(rtas_call(tr, 1, 1, NULL, liobn), 0, "remove");
	report_rtas(rtas_call(tr, 1, 1, NULL, liobn), RTAS_OUT_PARAM_ERROR,
		    "remove again");
	report_hrc(hcall(H_PUT_TCE, liobn, start, (uint64_t)(uintptr_t)DATA |
			 3), H_PARAMETER, "H_PUT_TCE on the removed window");
	/* The default window removed too: the next one goes to bus 0. */
	report_rtas(rtas_call(tr, 1, 1, NULL, def_liobn), 0,
		    "remove of the default window");
	st = ddw_call(tq, 5, out, 0, 0, 3);
	report(st == 0 && out[0] == 2, "query: two windows free (%u)",
	       out[0]);
	st = ddw_call(tc, 4, out, shift, wshift, 5);
	report(st == 0 && out[1] == 0 && out[2] == 0, "a window created "
	       "with none left starts at bus 0 (LIOBN 0x%x)", out[0]);
	report_rtas(ddw_call(treset, 1, NULL, 0, 0, 3), 0, "reset");
	st = ddw_call(tq, 5, out, 0, 0, 3);
	report(st == 0 && out[0] == 1, "query after reset: one free (%u)",
	       out[0]);
	/* The default window back, empty: map the three pages again. */
	IOBA_SQ = 0;
	IOBA_CQ = PAGE;
	IOBA_DATA = 2 * PAGE;
	for (int i = 0; i < 3; i++) {
		hcall(H_PUT_TCE, def_liobn, i * PAGE,
		      (uint64_t)(uintptr_t)pages[i] | 3);
	}
	memset(DATA, 0, PAGE);
	st = restart_controller() ? identify(0, 0x43) : -9;
	vid = DATA[0] | (DATA[1] << 8);
	report(st == 0 && vid == 0x1b36, "Identify through the default "
	       "window after reset (status %d, vendor 0x%04x)", st, vid);
}

void test_main(void)
{
	uint64_t cpu_base = 0, g[3];
	uint32_t liobn = 0, vs, vid;
	int st;
	char sn[21];

	tok_read = rtas_token("ibm,read-pci-config");
	tok_write = rtas_token("ibm,write-pci-config");
	if (!report(find_nvme(&cpu_base, &liobn), "an nvme function under a "
		    "PHB with a DMA window")) {
		return;
	}
	printf("nvme: %02x:%02x.%x BAR0 at 0x%llx, LIOBN 0x%x\n", bus,
	       devfn >> 3, devfn & 7, (unsigned long long)cpu_base, liobn);
	report_rtas(cfg_write(CFG_COMMAND, 2, 0x6), 0,
		    "memory decoding and bus mastering on");
	regs = (volatile uint32_t *)(uintptr_t)cpu_base;
	vs = rd32(REG_VS);
	report(vs >= 0x00010000 && vs != 0xffffffffu,
	       "version register 0x%08x through the MMIO window", vs);

	/* The three pages in the DMA window, device may read and write. */
	for (int i = 0; i < 3; i++) {
		g[i] = (uint64_t)(uintptr_t)pages[i];
		memset(pages[i], 0, PAGE);
		report_hrc(hcall(H_PUT_TCE, liobn, i * PAGE, g[i] | 3), H_SUCCESS,
			   "H_PUT_TCE page %d", i);
	}
	if (dt_on_lparvisor()) {
		/* lparvisor only: QEMU stores any TCE. */
		report_hrc(hcall(H_PUT_TCE, liobn, 3 * PAGE,
				 (dt_ram_size() + PAGE) | 3), H_PARAMETER,
			   "H_PUT_TCE of a page past the partition");
		report_hrc(hcall(H_PUT_TCE, liobn, 3 * PAGE,
				 0x2000000000000ull | 3), H_PARAMETER,
			   "H_PUT_TCE of a far host address");
		tce_outside(liobn, g[0]);
	}
	report_hrc(hcall(H_PUT_TCE, liobn, 0x40000000ull, g[0] | 3),
		   H_PARAMETER, "H_PUT_TCE past the window");

	wr32(REG_CC, 0);
	report(wait_rdy(0), "controller disabled");
	wr32(REG_AQA, 0x00030003); /* 4 entries each */
	wr32(REG_ASQ, (uint32_t)IOBA_SQ);
	wr32(REG_ASQ + 4, 0);
	wr32(REG_ACQ, (uint32_t)IOBA_CQ);
	wr32(REG_ACQ + 4, 0);
	wr32(REG_CC, CC_ENABLE);
	if (!report(wait_rdy(1), "controller ready")) {
		return;
	}
	st = identify(0, 0x11);
	report(st == 0, "Identify Controller completed by DMA (status %d)",
	       st);
	vid = DATA[0] | (DATA[1] << 8);
	report(vid == 0x1b36, "identify data written by DMA: vendor 0x%04x",
	       vid);
	memcpy(sn, &DATA[4], 20);
	sn[20] = '\0';
	printf("nvme: serial \"%s\"\n", sn);

	/* The data page unmapped again: the device's write is refused. */
	report_hrc(hcall(H_PUT_TCE, liobn, IOBA_DATA, 0), H_SUCCESS,
		   "H_PUT_TCE unmapping the data page");
	memset(DATA, 0xa5, PAGE);
	st = identify(1, 0x12);
	/* QEMU 7.2's nvme completes it either way (status not checked). */
	printf("nvme: Identify into the unmapped page: status 0x%x\n", st);
	report(st >= 0, "the command into the unmapped page completes");
	report(DATA[0] == 0xa5 && DATA[PAGE - 1] == 0xa5 &&
	       !memcmp(DATA, DATA + 1, PAGE - 1),
	       "the unmapped page is untouched");
	tce_liobn = liobn;
	if (xive_tima_os()) {
		test_msix(); /* a XIVE partition: lparvisor only */
	} else {
		test_msix_xics();
	}
	test_intx(xive_tima_os() != 0);
	test_ddw(liobn);
	wr32(REG_CC, 0);
	report(wait_rdy(0), "controller disabled again");
}
