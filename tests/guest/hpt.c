/*
 * The page-frame-table hcalls of a hash partition, with good and bad
 * arguments and the exact codes of QEMU 7.2 spapr_softmmu.c (the
 * reference run: -M pseries with max-cpu-compat=power8, which starts with
 * a hashed page table; a POWER9 guest that never does CAS starts radix
 * there): H_ENTER, H_READ (and READ_4), H_REMOVE, H_PROTECT,
 * H_BULK_REMOVE; H_CLEAR_REF and H_CLEAR_MOD, which QEMU lacks
 * (H_FUNCTION) and lparvisor answers as KVM.  Pages outside the
 * partition are refused; an entry made here is used by the MMU (a store
 * through a 256 MiB segment lands in the page it names).  Under lparvisor
 * the payload itself runs in real mode through the VRMA.  It starts by
 * reading the whole table: no entry but the hypervisor's VRMA ones may be
 * there; with bootargs `reboot` it leaves entries behind and reboots, so
 * the next life checks that the restart emptied the table.
 */
#include <libfdt.h>

#include "hv/abi/hcall.h"
#include "hv/abi/layout.h"
#include "hv/lib/string.h"
#include "tests/guest/lib/console.h"
#include "tests/guest/lib/dt.h"
#include "tests/guest/lib/guest.h"
#include "tests/guest/lib/hcall.h"
#include "tests/guest/lib/ppc.h"
#include "tests/guest/lib/report.h"
#include "tests/guest/lib/rtas.h"
#include "tests/guest/lib/timebase.h"
#include "tests/guest/lib/xive.h"

const char test_name[] = "hpt";

#define V_VALID 0x1ull
#define V_LARGE 0x4ull
#define V_BOLTED 0x10ull
#define V_HV_BITS 0x60ull /* QEMU returns its dirty bit 0x40 in H_READ */
#define R_M 0x10ull
#define R_I 0x20ull
#define R_G 0x08ull
#define R_PP_RW 0x2ull
#define R_PP_RO 0x3ull
#define R_R 0x100ull
#define R_C 0x80ull
#define TEST_VSID 0x1234ull
#define TEST_EA 0x100000000ull /* ESID 0x10: nothing else lives there */
#define MSR_DR_BIT 0x10ull
#define V_VRMA_MASK 0x4001ffffff000000ull /* Linux's HPTE_V_VRMA_MASK */

static uint8_t page[SZ_4K] __aligned(SZ_4K);
static uint64_t ptegs; /* in the table, from ibm,pft-size */

static uint64_t addr(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

static bool read_pft_size(void)
{
	int cpus = dt_path("/cpus");
	int cpu = fdt_first_subnode(dt_fdt(), cpus);
	const uint8_t *p;
	int len;

	if (cpu < 0) {
		return false;
	}
	p = dt_prop(cpu, "ibm,pft-size", &len);
	if (!p || len != 8 || p[7] < 18 || p[7] > 46) {
		return false;
	}
	ptegs = 1ull << (p[7] - 7);
	return true;
}

/* A PTEG whose eight slots are all empty (the VRMA's are not). */
static uint64_t empty_pteg(uint64_t from)
{
	struct hcall_rets o;

	for (uint64_t g = from; g < ptegs; g++) {
		bool empty = true;

		for (uint64_t half = 0; half < 2 && empty; half++) {
			if (hcall_out(&o, H_READ, H_READ_4, g * 8 + half * 4) !=
			    H_SUCCESS) {
				return ~0ull;
			}
			for (int i = 0; i < 4; i++) {
				empty &= !(o.r[2 * i] & V_VALID);
			}
		}
		if (empty) {
			return g;
		}
	}
	return ~0ull;
}

static uint64_t pteh(uint64_t vsid, uint64_t seg_off);
static uint64_t ptel(uint64_t gra);

/* Every entry of the table: only VRMA entries may be valid at boot. */
static void test_table_empty(void)
{
	struct hcall_rets o;
	uint64_t others = 0, vrma = 0, ptex;

	for (ptex = 0; ptex < ptegs * 8; ptex += 4) {
		if (hcall_out(&o, H_READ, H_READ_4, ptex) != H_SUCCESS) {
			break;
		}
		for (int i = 0; i < 4; i++) {
			if (!(o.r[2 * i] & V_VALID)) {
				continue;
			}
			if ((o.r[2 * i] & V_VRMA_MASK) == V_VRMA_MASK) {
				vrma++;
			} else {
				others++;
			}
		}
	}
	report(ptex == ptegs * 8 && others == 0,
	       "the table holds no guest entry at boot (%llu VRMA entries)",
	       (unsigned long long)vrma);
}

/* Leave entries behind and reboot: the next life must not see them. */
static void leave_by_reboot(uint64_t g)
{
	int token = rtas_token("system-reboot");

	for (uint64_t i = 0; i < 4; i++) {
		hcall(H_ENTER, H_EXACT, g * 8 + i, pteh(0x90 + i, 0),
		      ptel(addr(page)));
	}
	report_summary();
	printf("hpt: entries left behind, rebooting\n");
	rtas_call(token, 0, 1, NULL);
	report(false, "hpt: still running after system-reboot");
}

static uint64_t pteh(uint64_t vsid, uint64_t seg_off)
{
	return (vsid << 12) | ((seg_off >> 16) & 0x3fffffffffffff80ull) |
	       V_VALID;
}

static uint64_t ptel(uint64_t gra)
{
	return gra | R_M | R_PP_RW;
}

static void test_enter_read(uint64_t g)
{
	struct hcall_rets o;
	uint64_t ptex = g * 8;
	long rc;

	rc = hcall_out(&o, H_ENTER, 0, ptex + 5, pteh(7, 0) | V_BOLTED,
		       ptel(addr(page)));
	report_hrc(rc, H_SUCCESS, "H_ENTER any slot of an empty PTEG");
	report(rc == H_SUCCESS && o.r[0] == ptex,
	       "H_ENTER took the PTEG's first slot (0x%llx)",
	       (unsigned long long)o.r[0]);
	rc = hcall_out(&o, H_READ, 0, ptex);
	report(rc == H_SUCCESS &&
	       (o.r[0] & ~V_HV_BITS) == (pteh(7, 0) | V_BOLTED) &&
	       o.r[1] == ptel(addr(page)),
	       "H_READ gives the entry back, bolted, guest RPN (0x%llx 0x%llx)",
	       (unsigned long long)o.r[0], (unsigned long long)o.r[1]);
	report_hrc(hcall(H_ENTER, H_EXACT, ptex, pteh(8, 0), ptel(0)),
		   H_PTEG_FULL, "H_ENTER H_EXACT on a taken slot");
	rc = hcall_out(&o, H_ENTER, H_EXACT, ptex + 6, pteh(8, 0), ptel(0));
	report(rc == H_SUCCESS && o.r[0] == ptex + 6,
	       "H_ENTER H_EXACT on a free slot: that slot");
	for (int i = 0; i < 6; i++) {
		hcall(H_ENTER, 0, ptex, pteh(9 + i, 0), ptel(0));
	}
	report_hrc(hcall(H_ENTER, 0, ptex, pteh(20, 0), ptel(0)), H_PTEG_FULL,
		   "H_ENTER in a full PTEG");
	rc = hcall_out(&o, H_READ, H_READ_4, ptex + 6);
	report(rc == H_SUCCESS && (o.r[0] & V_VALID) && o.r[0] != 0 &&
	       (o.r[4] & ~V_HV_BITS) == pteh(8, 0),
	       "H_READ_4 reads the four from ptex & ~3");
	report_hrc(hcall(H_READ, 0, ptegs * 8), H_PARAMETER,
		   "H_READ past the table");
	report_hrc(hcall(H_READ, H_READ_4, ~0ull), H_PARAMETER,
		   "H_READ_4 at ~0");
}

static void test_enter_refused(uint64_t g)
{
	uint64_t ptex = g * 8, mem = dt_ram_size();
	bool hv = dt_on_lparvisor();

	report_hrc(hcall(H_ENTER, 0, ptex, pteh(1, 0), ptel(mem)),
		   H_PARAMETER, "H_ENTER: the page just past memory");
	report_hrc(hcall(H_ENTER, 0, ptex, pteh(1, 0), ptel(mem + 0x40000000)),
		   H_PARAMETER, "H_ENTER: a page of another partition's memory");
	report_hrc(hcall(H_ENTER, 0, ptex, pteh(1, 0),
			 ptel(0x0ffffffffffff000ull)),
		   H_PARAMETER, "H_ENTER: the last RPN");
	report_hrc(hcall(H_ENTER, 0, ptex, pteh(1, 0) | V_LARGE,
			 ptel(mem - 0x10000) | 0xf000),
		   H_PARAMETER, "H_ENTER: a page size encoding nobody has");
	report_hrc(hcall(H_ENTER, 0, ptex, pteh(1, 0),
			 addr(page) | R_I | R_G | R_PP_RW),
		   H_PARAMETER, "H_ENTER: memory as cache-inhibited");
	report_hrc(hcall(H_ENTER, 0, ptegs * 8, pteh(1, 0), ptel(0)),
		   H_PARAMETER, "H_ENTER: ptex past the table");
	/* QEMU takes I|M outside RAM as I/O; lparvisor has none to give. */
	report_hrc(hcall(H_ENTER, 0, ptex, pteh(1, 0),
			 mem | R_I | R_M | R_PP_RW),
		   hv ? H_PARAMETER : H_SUCCESS,
		   "H_ENTER: I/O attributes outside memory (%s)",
		   hv ? "lparvisor refuses" : "QEMU maps I/O");
	hcall(H_REMOVE, 0, ptex, 0); /* QEMU's I/O entry, if made */
}

static void test_remove(uint64_t g)
{
	struct hcall_rets o;
	uint64_t ptex = g * 8, v = pteh(0x55, 0x30000) | V_BOLTED;
	long rc;

	report_hrc(hcall(H_REMOVE, 0, ptex + 3, 0), H_NOT_FOUND,
		   "H_REMOVE of an empty slot");
	report_hrc(hcall(H_REMOVE, 0, ptegs * 8, 0), H_PARAMETER,
		   "H_REMOVE past the table");
	hcall(H_ENTER, H_EXACT, ptex + 3, v, ptel(addr(page)));
	report_hrc(hcall(H_REMOVE, H_AVPN, ptex + 3, (v & ~0x7full) ^ 0x80),
		   H_NOT_FOUND, "H_REMOVE H_AVPN with another AVPN");
	report_hrc(hcall(H_REMOVE, H_ANDCOND, ptex + 3, V_BOLTED), H_NOT_FOUND,
		   "H_REMOVE H_ANDCOND with a bit set");
	rc = hcall_out(&o, H_REMOVE, H_AVPN, ptex + 3, v & ~0x7full);
	report(rc == H_SUCCESS && (o.r[0] & ~V_HV_BITS) == v &&
	       (o.r[1] & ~(R_R | R_C)) == ptel(addr(page)),
	       "H_REMOVE H_AVPN gives the old entry");
	report_hrc(hcall(H_REMOVE, 0, ptex + 3, 0), H_NOT_FOUND,
		   "H_REMOVE twice");
	rc = hcall_out(&o, H_READ, 0, ptex + 3);
	report(rc == H_SUCCESS && !(o.r[0] & V_VALID),
	       "the slot reads as invalid");
}

static void test_protect(uint64_t g)
{
	struct hcall_rets o;
	uint64_t ptex = g * 8 + 1, v = pteh(0x66, 0);
	long rc;

	report_hrc(hcall(H_PROTECT, 0, ptex, 0), H_NOT_FOUND,
		   "H_PROTECT of an empty slot");
	report_hrc(hcall(H_PROTECT, 0, ptegs * 8, 0), H_PARAMETER,
		   "H_PROTECT past the table");
	hcall(H_ENTER, H_EXACT, ptex, v, ptel(addr(page)));
	report_hrc(hcall(H_PROTECT, H_AVPN | R_PP_RO, ptex, 0x80), H_NOT_FOUND,
		   "H_PROTECT H_AVPN with another AVPN");
	report_hrc(hcall(H_PROTECT, H_AVPN | R_PP_RO | 0x4, ptex,
			 v & ~0x7full), H_SUCCESS, "H_PROTECT read-only, N");
	rc = hcall_out(&o, H_READ, 0, ptex);
	report(rc == H_SUCCESS &&
	       (o.r[1] & ~(R_R | R_C)) == (addr(page) | R_M | R_PP_RO | 0x4),
	       "H_PROTECT changed PP and N only (0x%llx)",
	       (unsigned long long)o.r[1]);
	hcall(H_REMOVE, 0, ptex, 0);
}

static void test_bulk(uint64_t g)
{
	struct hcall_rets o;
	uint64_t ptex = g * 8;
	long rc;

	hcall(H_ENTER, H_EXACT, ptex + 1, pteh(0x71, 0), ptel(addr(page)));
	hcall(H_ENTER, H_EXACT, ptex + 2, pteh(0x72, 0), ptel(addr(page)));
	rc = hcall_out(&o, H_BULK_REMOVE,
		       H_BULK_REMOVE_REQUEST | (ptex + 1), 0,
		       H_BULK_REMOVE_REQUEST | H_BULK_REMOVE_AVPN | (ptex + 2),
		       pteh(0x72, 0) & ~0x7full,
		       H_BULK_REMOVE_REQUEST | (ptex + 3), 0,
		       H_BULK_REMOVE_END, 0);
	report_hrc(rc, H_SUCCESS, "H_BULK_REMOVE of three");
	report((o.r[0] & ~H_BULK_REMOVE_RC) == (H_BULK_REMOVE_RESPONSE | (ptex + 1)),
	       "H_BULK_REMOVE: first removed (0x%llx)",
	       (unsigned long long)o.r[0]);
	report((o.r[2] & ~H_BULK_REMOVE_RC) == (H_BULK_REMOVE_RESPONSE |
					    H_BULK_REMOVE_AVPN | (ptex + 2)),
	       "H_BULK_REMOVE: second removed by AVPN (0x%llx)",
	       (unsigned long long)o.r[2]);
	report(o.r[4] == (H_BULK_REMOVE_RESPONSE | H_BULK_REMOVE_NOT_FOUND |
			  (ptex + 3)),
	       "H_BULK_REMOVE: third not found (0x%llx)",
	       (unsigned long long)o.r[4]);
	report(o.r[6] == H_BULK_REMOVE_END, "H_BULK_REMOVE: END untouched");
	report_hrc(hcall(H_BULK_REMOVE, 0, 0, H_BULK_REMOVE_END, 0),
		   H_PARAMETER, "H_BULK_REMOVE: a pair of type 0");
	rc = hcall_out(&o, H_BULK_REMOVE,
		       H_BULK_REMOVE_REQUEST | H_BULK_REMOVE_AVPN |
			       H_BULK_REMOVE_ANDCOND | ptex,
		       0, H_BULK_REMOVE_END, 0);
	report(rc == H_PARAMETER &&
	       (o.r[0] & H_BULK_REMOVE_CODE) == H_BULK_REMOVE_PARM,
	       "H_BULK_REMOVE: AVPN and ANDCOND together");
	rc = hcall_out(&o, H_BULK_REMOVE, H_BULK_REMOVE_REQUEST | (ptegs * 8),
		       0, H_BULK_REMOVE_END, 0);
	report(rc == H_PARAMETER &&
	       (o.r[0] & H_BULK_REMOVE_CODE) == H_BULK_REMOVE_PARM,
	       "H_BULK_REMOVE: ptex past the table");
}

static void test_clear_rc(uint64_t g)
{
	struct hcall_rets o;
	uint64_t ptex = g * 8 + 4;
	bool hv = dt_on_lparvisor();
	long rc;

	hcall(H_ENTER, H_EXACT, ptex, pteh(0x81, 0),
	      ptel(addr(page)) | R_R | R_C);
	rc = hcall_out(&o, H_CLEAR_REF, 0, ptex);
	report(hv ? rc == H_SUCCESS && (o.r[0] & R_R) : rc == H_FUNCTION,
	       "H_CLEAR_REF: %s (%s)", hv ? "old R back" : "H_FUNCTION",
	       hcall_rc_name(rc));
	rc = hcall_out(&o, H_CLEAR_MOD, 0, ptex);
	report(hv ? rc == H_SUCCESS && (o.r[0] & R_C) && !(o.r[0] & R_R) :
		    rc == H_FUNCTION,
	       "H_CLEAR_MOD: %s (%s)", hv ? "old C back, R cleared before" :
					    "H_FUNCTION", hcall_rc_name(rc));
	rc = hcall(H_CLEAR_REF, 0, ptex + 1);
	report_hrc(rc, hv ? H_NOT_FOUND : H_FUNCTION,
		   "H_CLEAR_REF of an empty slot");
	rc = hcall(H_CLEAR_MOD, 0, ptegs * 8);
	report_hrc(rc, hv ? H_PARAMETER : H_FUNCTION,
		   "H_CLEAR_MOD past the table");
	hcall(H_REMOVE, 0, ptex, 0);
}

/*
 * A store through an entry of ours: segment ESID 0x10 -> VSID TEST_VSID
 * (256 MiB, 4 KiB pages) in SLB slot 0, its page 0 -> `page`.  Only the
 * store and the load run with MSR[DR]=1; the code still fetches real.
 */
static void test_translation(void)
{
	uint64_t hash = TEST_VSID & (ptegs - 1);
	uint64_t rs = TEST_VSID << 12, rb = (TEST_EA >> 28 << 28) | 0x08000000;
	uint64_t msr = mfmsr(), got = 0, ea = TEST_EA + 0x18;
	uint64_t want = 0x1122334455667788ull;
	long rc;

	memset(page, 0, sizeof(page));
	rc = hcall(H_ENTER, 0, hash * 8, pteh(TEST_VSID, 0), ptel(addr(page)));
	report_hrc(rc, H_SUCCESS, "H_ENTER for the translation test");
	__asm__ volatile("slbmte %0,%1\n\tisync" ::"r"(rs), "r"(rb)
			 : "memory");
	__asm__ volatile("mtmsrd %2\n\tisync\n\t"
			 "std %3,0(%1)\n\t"
			 "ld %0,0(%1)\n\t"
			 "mtmsrd %4\n\tisync"
			 : "=&r"(got)
			 : "b"(ea), "r"(msr | MSR_DR_BIT), "r"(want), "r"(msr)
			 : "memory");
	__asm__ volatile("slbmte %0,%0\n\tslbia\n\tisync" ::"r"(0ull)
			 : "memory");
	report(got == want &&
	       !memcmp(page + 0x18, &want, sizeof(want)),
	       "a store through the entry landed in the page it names");
	hcall(H_REMOVE, 0, hash * 8, 0);
}

/*
 * A hash partition with XIVE (lparvisor only: QEMU's reference is XICS):
 * its OS TIMA page and its sources' ESB pages are entered by the guest
 * and work through the MMU; cacheable or write-through entries for them,
 * the TIMA's other pages, another LISN's ESB page and a 16 MiB page over
 * them are refused.  The lib's accessors use the entries (lib/xive.h).
 */
#define TM_PAGES_BASE(os) ((os) - 2 * 0x10000ull)
static void test_xive_pages(void)
{
	uint64_t tima = xive_tima_os(), tm, cppr_word, pq;
	uint64_t bad_esb = LAYOUT_XIVE_ESB_BASE + 0x500ull * 0x20000;
	struct xive_src s;
	long rc;

	if (!report(tima != 0 && xive_via_hpt,
		    "XIVE OS TIMA page entered (H_ENTER, I|G, 64 KiB)")) {
		return;
	}
	tm = TM_PAGES_BASE(tima);
	xive_set_cppr(5);
	cppr_word = mmio_ld64(tima + XIVE_TM_QW1_OS);
	xive_set_cppr(0);
	report(((cppr_word >> 48) & 0xff) == 5 &&
	       ((mmio_ld64(tima + XIVE_TM_QW1_OS) >> 48) & 0xff) == 0,
	       "XIVE CPPR written and read back through the entry: 0x%llx",
	       (unsigned long long)cppr_word);
	rc = xive_source_info(&s, 0);
	report_hrc(rc, H_SUCCESS, "XIVE IPI 0's ESB pages entered");
	pq = rc == H_SUCCESS ? mmio_ld64(s.eoi + XIVE_ESB_GET) : ~0ull;
	report((pq & 3) == 1, "XIVE IPI 0's PQ read through the entry, 01 (off): "
	       "0x%llx", (unsigned long long)pq);
	report_hrc(hcall(H_ENTER, 0, 8, pteh(3, 0) | V_LARGE,
			 tima | 0x1000 | R_M | R_PP_RW), H_PARAMETER,
		   "XIVE TIMA page cacheable refused");
	report_hrc(hcall(H_ENTER, 0, 8, pteh(3, 0) | V_LARGE,
			 tima | 0x1000 | 0x40 | R_I | R_G | R_PP_RW),
		   H_PARAMETER, "XIVE TIMA page write-through refused");
	report_hrc(hcall(H_ENTER, 0, 8, pteh(3, 0) | V_LARGE,
			 tm | 0x1000 | R_I | R_G | R_PP_RW), H_PARAMETER,
		   "XIVE TIMA's hypervisor page refused");
	report_hrc(hcall(H_ENTER, 0, 8, pteh(3, 0) | V_LARGE,
			 (tm + 0x10000) | 0x1000 | R_I | R_G | R_PP_RW),
		   H_PARAMETER, "XIVE TIMA's pool page refused");
	report_hrc(hcall(H_ENTER, 0, 8, pteh(3, 0) | V_LARGE,
			 (tm + 0x30000) | 0x1000 | R_I | R_G | R_PP_RW),
		   H_PARAMETER, "XIVE TIMA's user page refused");
	report_hrc(hcall(H_ENTER, 0, 8, pteh(3, 0) | V_LARGE,
			 bad_esb | 0x1000 | R_I | R_G | R_PP_RW), H_PARAMETER,
		   "XIVE ESB page of a LISN not given refused");
	report_hrc(hcall(H_ENTER, 0, 8, pteh(3, 0) | V_LARGE,
			 (s.eoi & ~0xffffffull) | R_I | R_G | R_PP_RW),
		   H_PARAMETER, "XIVE 16 MiB page over the ESB pages refused");
}

/* Ask until QEMU's preparing thread is done (lparvisor: at once). */
/*
 * Asked again until it is no longer busy, for up to 20 s of timebase:
 * QEMU prepares in a thread of its own, which a loaded host may keep
 * waiting far longer than a fixed number of calls takes.
 */
static long prepare(uint64_t shift)
{
	long rc = H_LONG_BUSY_ORDER_100_MSEC;
	uint64_t end = tb_now() + tb_from_ms(20000);

	while (rc == H_LONG_BUSY_ORDER_100_MSEC && tb_now() < end) {
		rc = hcall(H_RESIZE_HPT_PREPARE, 0, shift);
		if (rc == H_LONG_BUSY_ORDER_100_MSEC) {
			delay_us(1000);
		}
	}
	return rc;
}

/*
 * H_RESIZE_HPT_PREPARE/COMMIT (QEMU 7.2's codes): bad flags and sizes,
 * more than one order above the table's own, a commit without its
 * prepare; then the table doubled (a bolted entry kept, another one
 * dropped, the new entries reachable) and halved back.
 */
static void test_resize(uint64_t g)
{
	uint64_t shift = __builtin_ctzll(ptegs) + 7, v = pteh(g, 0);
	struct hcall_rets o;
	long rc;

	report_hrc(hcall(H_RESIZE_HPT_PREPARE, 1, shift + 1), H_PARAMETER,
		   "H_RESIZE_HPT_PREPARE: flags");
	report_hrc(hcall(H_RESIZE_HPT_PREPARE, 0, 17), H_PARAMETER,
		   "H_RESIZE_HPT_PREPARE: 2^17");
	report_hrc(hcall(H_RESIZE_HPT_PREPARE, 0, 47), H_PARAMETER,
		   "H_RESIZE_HPT_PREPARE: 2^47");
	report_hrc(hcall(H_RESIZE_HPT_PREPARE, 0, shift + 2), H_RESOURCE,
		   "H_RESIZE_HPT_PREPARE: two orders up");
	report_hrc(hcall(H_RESIZE_HPT_COMMIT, 0, shift + 1), H_CLOSED,
		   "H_RESIZE_HPT_COMMIT without a prepare");
	report_hrc(hcall(H_RESIZE_HPT_COMMIT, 1, shift + 1), H_PARAMETER,
		   "H_RESIZE_HPT_COMMIT: flags");
	/* In the PTEG they hash to (VSID g, offset 0): a rehash finds them. */
	hcall(H_ENTER, H_EXACT, g * 8 + 4, v | V_BOLTED, ptel(addr(page)));
	hcall(H_ENTER, H_EXACT, g * 8 + 5, v, ptel(addr(page)));
	report_hrc(hcall(H_RESIZE_HPT_PREPARE, 0, shift + 1),
		   H_LONG_BUSY_ORDER_100_MSEC,
		   "H_RESIZE_HPT_PREPARE: busy at first");
	report_hrc(prepare(shift + 1), H_SUCCESS,
		   "H_RESIZE_HPT_PREPARE: then done");
	report_hrc(hcall(H_RESIZE_HPT_COMMIT, 0, shift + 1), H_SUCCESS,
		   "H_RESIZE_HPT_COMMIT to twice the size");
	rc = hcall_out(&o, H_READ, H_READ_4, g * 8 + 4);
	report(rc == H_SUCCESS && (o.r[0] & ~V_HV_BITS) == (v | V_BOLTED) &&
	       o.r[1] == ptel(addr(page)) && !(o.r[2] & V_VALID),
	       "the bolted entry moved, the other one dropped (0x%llx 0x%llx "
	       "0x%llx)", (unsigned long long)o.r[0],
	       (unsigned long long)o.r[1], (unsigned long long)o.r[2]);
	report_hrc(hcall(H_READ, 0, ptegs * 8), H_SUCCESS,
		   "H_READ past the old size");
	report_hrc(hcall(H_RESIZE_HPT_COMMIT, 0, shift + 1), H_CLOSED,
		   "H_RESIZE_HPT_COMMIT twice");
	report_hrc(prepare(shift), H_SUCCESS,
		   "H_RESIZE_HPT_PREPARE back to the old size");
	report_hrc(hcall(H_RESIZE_HPT_COMMIT, 0, shift), H_SUCCESS,
		   "H_RESIZE_HPT_COMMIT back");
	report_hrc(hcall(H_READ, 0, ptegs * 8), H_PARAMETER,
		   "H_READ past the table again");
	hcall(H_REMOVE, 0, g * 8 + 4, 0);
}

void test_main(void)
{
	uint64_t g;

	if (!report(read_pft_size(), "ibm,pft-size: 2^%u PTEGs",
		    ptegs ? __builtin_ctzll(ptegs) : 0)) {
		return;
	}
	test_table_empty();
	g = empty_pteg(1);
	if (!report(g != ~0ull, "an empty PTEG (0x%llx)",
		    (unsigned long long)g)) {
		return;
	}
	test_enter_read(g);
	hcall(H_BULK_REMOVE, H_BULK_REMOVE_REQUEST | (g * 8), 0,
	      H_BULK_REMOVE_REQUEST | (g * 8 + 1), 0,
	      H_BULK_REMOVE_REQUEST | (g * 8 + 2), 0,
	      H_BULK_REMOVE_REQUEST | (g * 8 + 3), 0);
	hcall(H_BULK_REMOVE, H_BULK_REMOVE_REQUEST | (g * 8 + 4), 0,
	      H_BULK_REMOVE_REQUEST | (g * 8 + 5), 0,
	      H_BULK_REMOVE_REQUEST | (g * 8 + 6), 0,
	      H_BULK_REMOVE_REQUEST | (g * 8 + 7), 0);
	report(empty_pteg(g) == g, "H_BULK_REMOVE emptied the PTEG again");
	test_enter_refused(g);
	test_remove(g);
	test_protect(g);
	test_bulk(g);
	test_clear_rc(g);
	test_translation();
	test_resize(g);
	if (dt_on_lparvisor() && xive_tima_os()) {
		test_xive_pages();
	}
	if (dt_bootarg_word("reboot")) {
		leave_by_reboot(g);
	}
}
