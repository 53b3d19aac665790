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
#define CC_ENABLE 0x00460001u /* IOCQES 4, IOSQES 6, 4 KiB pages, EN */
#define CSTS_RDY 0x1u
#define OP_IDENTIFY 0x06
#define PAGE 0x1000ull

/* Bus addresses in the window: queues and data, one page each. */
#define IOBA_SQ 0x0ull
#define IOBA_CQ 0x1000ull
#define IOBA_DATA 0x2000ull

static uint8_t pages[3][PAGE] __aligned(PAGE);
static uint32_t queue_page[PAGE / 4] __aligned(PAGE);
#define SQ pages[0]
#define CQ pages[1]
#define DATA pages[2]

static int tok_read, tok_write, tok_msi, tok_query;
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
	wr32(REG_CC, 0);
	if (!wait_rdy(0)) {
		return false;
	}
	memset(SQ, 0, PAGE);
	memset(CQ, 0, PAGE);
	wr32(REG_AQA, 0x00030003);
	wr32(REG_ASQ, (uint32_t)IOBA_SQ);
	wr32(REG_ASQ + 4, 0);
	wr32(REG_ACQ, (uint32_t)IOBA_CQ);
	wr32(REG_ACQ + 4, 0);
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
	wr32(REG_CC, 0);
	report(wait_rdy(0), "controller disabled again");
}
