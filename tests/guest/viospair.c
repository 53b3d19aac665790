/*
 * VIOS mode from inside two partitions (issue 14): this payload runs in
 * the server partition of a /vscsi-hosts pair (its /vdevice has a
 * v-scsi-host node) and in the client partition (a v-scsi node), and the
 * two drive lparvisor's relay against each other, as ibmvscsis and
 * ibmvscsi would, plus what a hostile guest may try:
 * - H_REG_CRQ before the partner registers: H_CLOSED; H_SEND_CRQ and
 *   H_COPY_RDMA on the remote pane then refused;
 * - H_SEND_CRQ carried to the partner's queue, with its interrupt (the
 *   server routes its adapter's source with ibm,set-xive and finds it
 *   pending with H_IPOLL); headers without bit 7 or 0xFF: H_PARAMETER;
 *   a partner queue nobody empties: H_DROPPED once full;
 * - H_COPY_RDMA both ways between the server's own pane and the client's
 *   window (the data checked on both sides), then lengths over 128 KiB,
 *   LIOBNs the caller may not name, ranges leaving a window, pages not
 *   mapped for reading or writing: refused with nothing copied;
 * - H_PUT_TCE of a page outside the partition's memory: H_PARAMETER.
 * The server knows the client's bus addresses below (a fixed protocol,
 * as an SRP target learns them from the initiator's descriptors).
 */
#include <libfdt.h>

#include "hv/abi/hcall.h"
#include "hv/abi/layout.h"
#include "hv/lib/string.h"
#include "tests/guest/lib/console.h"
#include "tests/guest/lib/crq.h"
#include "tests/guest/lib/cpu.h"
#include "tests/guest/lib/dt.h"
#include "tests/guest/lib/guest.h"
#include "tests/guest/lib/hcall.h"
#include "tests/guest/lib/ppc.h"
#include "tests/guest/lib/report.h"
#include "tests/guest/lib/rtas.h"
#include "tests/guest/lib/timebase.h"

const char test_name[] = "viospair";

/* Bus addresses, the same in both partitions' windows. */
#define IOBA_CRQ 0x0000ull
#define IOBA_IN 0x1000ull       /* rw: copies land here */
#define IOBA_OUT 0x2000ull      /* rw: copies are taken from here */
#define IOBA_RO 0x3000ull       /* the device may only read */
#define IOBA_WO 0x4000ull       /* the device may only write */
#define IOBA_UNMAPPED 0x5000ull
#define CRQ_ENTRIES 256u

/* Message kinds (byte 1 of an entry with header 0x80). */
#define MSG_HELLO 1   /* client -> server, after registering */
#define MSG_COPIED 2  /* server -> client: pattern A is in its IN page */
#define MSG_CHECKED 3 /* client -> server: byte 2 = 1 if it was right */
#define MSG_FLOOD 4   /* server -> client, never read */

static uint8_t crq[SZ_4K] __aligned(SZ_4K);
static uint8_t in_page[SZ_4K] __aligned(SZ_4K);
static uint8_t out_page[SZ_4K] __aligned(SZ_4K);
static uint8_t ro_page[SZ_4K] __aligned(SZ_4K);
static uint8_t wo_page[SZ_4K] __aligned(SZ_4K);
static uint32_t unit, irq;
static struct guest_crq rq = { crq, CRQ_ENTRIES, 0 };
static uint64_t win_size, remote_size;

static uint64_t addr(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

/* Pattern A (the server's) and B (the client's), byte i. */
static uint8_t pattern(bool server, uint32_t i)
{
	return server ? (uint8_t)(i * 13 + 5) : (uint8_t)(i * 29 + 171);
}

static void fill(uint8_t *p, bool server)
{
	for (uint32_t i = 0; i < SZ_4K; i++) {
		p[i] = pattern(server, i);
	}
}

static bool holds(const uint8_t *p, bool server)
{
	for (uint32_t i = 0; i < SZ_4K; i++) {
		if (p[i] != pattern(server, i)) {
			return false;
		}
	}
	return true;
}

static uint64_t be(const uint32_t *c, int n)
{
	uint64_t v = 0;

	for (int i = 0; i < n; i++) {
		v = v << 32 | fdt32_to_cpu(c[i]);
	}
	return v;
}

/*
 * The first /vdevice node of `type` / `compat`: its unit, interrupt and
 * panes (liobn[0] its own, liobn[1] a server's remote pane).
 */
static bool find_adapter(const char *type, const char *compat,
			 uint32_t liobn[2])
{
	int vdev = dt_path("/vdevice");
	int node;

	if (vdev < 0) {
		return false;
	}
	fdt_for_each_subnode(node, dt_fdt(), vdev) {
		const char *t = dt_prop_str(node, "device_type");
		const char *c = dt_prop_str(node, "compatible");
		const uint32_t *w, *ir;
		int len, ilen;

		if (!t || strcmp(t, type) || !c || strcmp(c, compat) ||
		    !dt_prop_u32(node, "reg", &unit)) {
			continue;
		}
		w = dt_prop(node, "ibm,my-dma-window", &len);
		ir = dt_prop(node, "interrupts", &ilen);
		if (!w || (len != 20 && len != 40) || !ir || ilen < 4) {
			return false;
		}
		irq = fdt32_to_cpu(ir[0]);
		liobn[0] = fdt32_to_cpu(w[0]);
		win_size = be(w + 3, 2);
		if (len == 40) {
			liobn[1] = fdt32_to_cpu(w[5]);
			remote_size = be(w + 8, 2);
		}
		return true;
	}
	return false;
}

static bool map_pages(uint32_t liobn)
{
	static const struct {
		uint64_t ioba;
		const void *page;
		uint64_t perm;
	} maps[] = {
		{ IOBA_CRQ, crq, 3 }, { IOBA_IN, in_page, 3 },
		{ IOBA_OUT, out_page, 3 }, { IOBA_RO, ro_page, 1 },
		{ IOBA_WO, wo_page, 2 },
	};
	bool ok = true;

	for (unsigned i = 0; i < sizeof(maps) / sizeof(maps[0]); i++) {
		ok &= hcall(H_PUT_TCE, liobn, maps[i].ioba,
			    addr(maps[i].page) | maps[i].perm) == H_SUCCESS;
	}
	report(ok, "%s TCEs for queue, buffers, read-only and write-only "
	       "pages", test_name);
	report_hrc(hcall(H_PUT_TCE, liobn, IOBA_UNMAPPED,
			 dt_ram_size() | 3), H_PARAMETER,
		   "H_PUT_TCE of a page past this partition's memory");
	report_hrc(hcall(H_PUT_TCE, liobn, IOBA_UNMAPPED,
			 (dt_ram_size() << 4) | 1), H_PARAMETER,
		   "H_PUT_TCE of a page far outside this partition's memory");
	return ok;
}

static long send(uint8_t hdr, uint8_t kind, uint8_t arg, uint64_t tail)
{
	return hcall(H_SEND_CRQ, unit,
		     (uint64_t)hdr << 56 | (uint64_t)kind << 48 |
			     (uint64_t)arg << 40 | 0x5aa5ull,
		     tail);
}

static long copy(uint64_t len, uint64_t sl, uint64_t sa, uint64_t dl,
		 uint64_t da)
{
	return hcall(H_COPY_RDMA, len, sl, sa, dl, da);
}

static void server(const uint32_t liobn[2])
{
	uint32_t L = liobn[0], R = liobn[1];
	uint32_t other = LAYOUT_VHOST_REMOTE_LIOBN(1);
	struct hcall_rets o;
	uint8_t e[16];
	uint32_t sent = 0;
	long rc = H_SUCCESS;
	int tok_set = rtas_token("ibm,set-xive");
	int tok_on = rtas_token("ibm,int-on");

	report(R == LAYOUT_VHOST_REMOTE_LIOBN(0) && remote_size == win_size,
	       "server remote pane LIOBN 0x%x, %lu KiB", R,
	       (unsigned long)(remote_size >> 10));
	map_pages(L);
	report_hrc(send(0x80, MSG_HELLO, 0, 0), H_CLOSED,
		   "server H_SEND_CRQ before H_REG_CRQ");
	report_hrc(hcall(H_REG_CRQ, unit, IOBA_CRQ, SZ_4K), H_CLOSED,
		   "server H_REG_CRQ before the client: H_CLOSED");
	report_hrc(send(0x80, MSG_HELLO, 0, 0), H_CLOSED,
		   "server H_SEND_CRQ with the client not registered");
	report_hrc(copy(64, L, IOBA_OUT, R, IOBA_IN), H_DEST_PARM,
		   "server H_COPY_RDMA to the remote pane while unconnected");
	irq_disable();
	report_hrc(hcall(H_VIO_SIGNAL, unit, 1), H_SUCCESS,
		   "server H_VIO_SIGNAL interrupts on");
	report_rtas(rtas_call(tok_set, 3, 1, NULL, irq, cpu_self()->hwid, 5),
		    0, "server ibm,set-xive of the adapter's source 0x%x", irq);
	report_rtas(rtas_call(tok_on, 1, 1, NULL, irq), 0,
		    "server ibm,int-on");
	hcall(H_CPPR, 0xff);

	if (!report(crq_take(&rq, e, 10000) && e[0] == 0x80 &&
			    e[1] == MSG_HELLO && e[7] == 0xa5 &&
			    e[8] == 0x11 && e[15] == 0x88,
		    "server got the client's message (0x%x 0x%x)", e[0],
		    e[1])) {
		return;
	}
	/*
	 * The client's H_SEND_CRQ writes the entry, then raises the line:
	 * a server polling its queue may see the entry first (its sender's
	 * thread taken away by the host in between), so the interrupt gets
	 * a moment to arrive.
	 */
	report(WAIT_FOR((hcall_out(&o, H_IPOLL, cpu_self()->hwid),
			 (o.r[0] & 0xffffff) == irq), 2000),
	       "server the adapter's interrupt is pending: xirr 0x%lx",
	       o.r[0]);
	hcall_out(&o, H_XIRR);
	report((o.r[0] & 0xffffff) == irq, "server H_XIRR 0x%lx", o.r[0]);
	hcall(H_EOI, o.r[0]);
	hcall(H_VIO_SIGNAL, unit, 0);
	report_hrc(send(0x01, MSG_HELLO, 0, 0), H_PARAMETER,
		   "server H_SEND_CRQ header without bit 7");
	report_hrc(send(0xff, 0x02, 0, 0), H_PARAMETER,
		   "server H_SEND_CRQ transport event header 0xFF");

	/* Good copies, both ways. */
	fill(out_page, true);
	memset(in_page, 0, SZ_4K);
	report_hrc(copy(SZ_4K, L, IOBA_OUT, R, IOBA_IN), H_SUCCESS,
		   "server H_COPY_RDMA 4 KiB own pane -> client window");
	report_hrc(copy(SZ_4K, R, IOBA_OUT, L, IOBA_IN), H_SUCCESS,
		   "server H_COPY_RDMA 4 KiB client window -> own pane");
	report(holds(in_page, false), "server got the client's pattern");
	memset(in_page, 0, SZ_4K);
	report_hrc(copy(100, R, IOBA_OUT + 7, L, IOBA_IN + 3), H_SUCCESS,
		   "server H_COPY_RDMA 100 bytes at odd addresses");
	report(in_page[3] == pattern(false, 7) &&
	       in_page[102] == pattern(false, 106) && in_page[2] == 0 &&
	       in_page[103] == 0, "server the 100 bytes landed exactly");

	/* Hostile copies: each refused, nothing written. */
	memset(in_page, 0, SZ_4K);
	report_hrc(copy(SZ_128K + 1, R, IOBA_OUT, L, IOBA_IN), H_PARAMETER,
		   "server H_COPY_RDMA 128 KiB + 1");
	report_hrc(copy(1ull << 40, R, IOBA_OUT, L, IOBA_IN), H_PARAMETER,
		   "server H_COPY_RDMA 1 TiB");
	report_hrc(copy(64, 0x12345678, 0, L, IOBA_IN), H_SOURCE_PARM,
		   "server H_COPY_RDMA from an unknown LIOBN");
	report_hrc(copy(64, L, IOBA_OUT, 0x12345678, 0), H_DEST_PARM,
		   "server H_COPY_RDMA to an unknown LIOBN");
	report_hrc(copy(64, other, 0, L, IOBA_IN), H_SOURCE_PARM,
		   "server H_COPY_RDMA from pair 1's remote pane (not ours)");
	report_hrc(copy(64, L, IOBA_OUT, other, 0), H_DEST_PARM,
		   "server H_COPY_RDMA to pair 1's remote pane (not ours)");
	report_hrc(copy(64, (1ull << 32) | R, IOBA_OUT, L, IOBA_IN),
		   H_SOURCE_PARM, "server H_COPY_RDMA LIOBN with high bits");
	report_hrc(copy(SZ_4K, R, remote_size - 2048, L, IOBA_IN),
		   H_SOURCE_PARM, "server H_COPY_RDMA leaving the remote "
		   "pane (source)");
	report_hrc(copy(SZ_4K, L, IOBA_OUT, R, remote_size - 2048),
		   H_DEST_PARM, "server H_COPY_RDMA leaving the remote "
		   "pane (destination)");
	report_hrc(copy(64, R, ~0ull - 31, L, IOBA_IN), H_SOURCE_PARM,
		   "server H_COPY_RDMA source range wrapping");
	report_hrc(copy(SZ_4K, L, win_size - 16, R, IOBA_IN), H_SOURCE_PARM,
		   "server H_COPY_RDMA leaving its own pane (source)");
	report_hrc(copy(SZ_4K, R, IOBA_OUT, L, win_size), H_DEST_PARM,
		   "server H_COPY_RDMA past its own pane (destination)");
	report_hrc(copy(64, R, IOBA_WO, L, IOBA_IN), H_PERMISSION,
		   "server H_COPY_RDMA from the client's write-only page");
	report_hrc(copy(64, R, IOBA_UNMAPPED, L, IOBA_IN), H_PERMISSION,
		   "server H_COPY_RDMA from the client's unmapped page");
	report_hrc(copy(64, L, IOBA_OUT, R, IOBA_RO), H_PERMISSION,
		   "server H_COPY_RDMA onto the client's read-only page");
	report_hrc(copy(64, L, IOBA_OUT, R, IOBA_UNMAPPED), H_PERMISSION,
		   "server H_COPY_RDMA onto the client's unmapped page");
	report_hrc(copy(2 * SZ_4K, R, IOBA_OUT, L, IOBA_OUT), H_PERMISSION,
		   "server H_COPY_RDMA 8 KiB onto its own rw then read-only "
		   "page");
	report_hrc(copy(64, L, IOBA_WO, R, IOBA_IN), H_PERMISSION,
		   "server H_COPY_RDMA from its own write-only page");
	{
		bool clean = true;

		for (uint32_t i = 0; i < SZ_4K; i++) {
			clean &= in_page[i] == 0;
		}
		report(clean, "server nothing copied by the refused calls");
	}

	report_hrc(send(0x80, MSG_COPIED, 0, 0), H_SUCCESS,
		   "server told the client");
	report(crq_take(&rq, e, 5000) && e[0] == 0x80 && e[1] == MSG_CHECKED &&
	       e[2] == 1, "server the client verified the data (%u)", e[2]);

	/* A flood into the client's queue, which it no longer empties. */
	for (uint32_t i = 0; i < 2 * CRQ_ENTRIES; i++) {
		rc = send(0x80, MSG_FLOOD, (uint8_t)i, 0);
		if (rc != H_SUCCESS) {
			break;
		}
		sent++;
	}
	report(rc == H_DROPPED && sent == CRQ_ENTRIES,
	       "server flood: %u carried, then %s", sent, hcall_rc_name(rc));
	report_hrc(send(0x80, MSG_FLOOD, 0, 0), H_DROPPED,
		   "server the client's queue stays full");
	report(crq_take(&rq, e, 10000) && e[0] == 0xff && e[1] == 0x02,
	       "server transport event 'partner deregistered' (0x%x 0x%x)",
	       e[0], e[1]);
	report_hrc(send(0x80, MSG_HELLO, 0, 0), H_CLOSED,
		   "server H_SEND_CRQ after the client left");
	report_hrc(copy(64, R, IOBA_OUT, L, IOBA_IN), H_SOURCE_PARM,
		   "server H_COPY_RDMA from the remote pane after it left");
	report_hrc(hcall(H_FREE_CRQ, unit), H_SUCCESS, "server H_FREE_CRQ");
}

static void client(uint32_t L)
{
	uint8_t e[16];
	uint32_t held = 0, tries;
	long rc = H_CLOSED;
	bool ok;

	map_pages(L);
	fill(out_page, false);
	memset(in_page, 0, SZ_4K);
	memset(ro_page, 0x3c, SZ_4K);
	memset(wo_page, 0xc3, SZ_4K);
	report_hrc(copy(64, LAYOUT_VHOST_REMOTE_LIOBN(0), 0, L, IOBA_IN),
		   H_SOURCE_PARM, "client H_COPY_RDMA from the server's "
		   "remote LIOBN");
	report_hrc(copy(64, L, IOBA_OUT, LAYOUT_VHOST_REG(0), 0), H_DEST_PARM,
		   "client H_COPY_RDMA to the server's adapter LIOBN");
	/*
	 * Let the server register first; should it start late (a loaded
	 * host), free the queue and try again, so that it still meets the
	 * client unregistered.
	 */
	delay_us(1000000);
	for (tries = 1; tries < 300; tries++) {
		rc = hcall(H_REG_CRQ, unit, IOBA_CRQ, SZ_4K);
		if (rc != H_CLOSED) {
			break;
		}
		hcall(H_FREE_CRQ, unit);
		delay_us(50000);
	}
	report_hrc(rc, H_SUCCESS, "client H_REG_CRQ with the server "
		   "registered (try %u)", tries);
	report_hrc(hcall(H_SEND_CRQ, unit, 0x8001000000005aa5ull,
			 0x1100000000000088ull), H_SUCCESS,
		   "client H_SEND_CRQ to the server");
	if (!report(crq_take(&rq, e, 10000) && e[0] == 0x80 &&
			    e[1] == MSG_COPIED,
		    "client got the server's message (0x%x 0x%x)", e[0],
		    e[1])) {
		return;
	}
	ok = holds(in_page, true);
	report(ok, "client the server's pattern is in its page");
	report(holds(out_page, false), "client its source page unchanged");
	ok &= report(ro_page[0] == 0x3c && ro_page[63] == 0x3c &&
			     wo_page[0] == 0xc3 && wo_page[63] == 0xc3,
		     "client read-only and write-only pages untouched");
	report_hrc(hcall(H_SEND_CRQ, unit,
			 0x8003000000005aa5ull | (uint64_t)ok << 40, 0),
		   H_SUCCESS, "client told the server");
	/* The server floods the queue now; it is not read. */
	delay_us(1500000);
	for (uint32_t i = 0; i < CRQ_ENTRIES; i++) {
		held += crq[i * 16] == 0x80 && crq[i * 16 + 1] == MSG_FLOOD;
	}
	report(held == CRQ_ENTRIES, "client queue full of the flood: %u",
	       held);
	report_hrc(hcall(H_FREE_CRQ, unit), H_SUCCESS, "client H_FREE_CRQ");
}

void test_main(void)
{
	uint32_t liobn[2] = { 0, 0 };

	if (find_adapter("v-scsi-host", "IBM,v-scsi-host", liobn)) {
		report(liobn[1] != 0, "server v-scsi-host 0x%x with two panes",
		       unit);
		server(liobn);
	} else if (find_adapter("vscsi", "IBM,v-scsi", liobn)) {
		report(liobn[0] == unit, "client v-scsi 0x%x", unit);
		client(liobn[0]);
	} else {
		report(false, "a v-scsi-host or v-scsi /vdevice node");
	}
}
