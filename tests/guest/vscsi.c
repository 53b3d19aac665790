/*
 * The v-scsi adapter from a guest (issue 14): the first /vdevice node of
 * device_type "vscsi" (QEMU 7.2's spapr-vscsi with a scsi-hd on a 1 MiB
 * file in the reference run; lparvisor's adapter with a blank 1 MiB disk)
 * driven as Linux's ibmvscsi drives it: TCEs, H_REG_CRQ, the init
 * handshake, ADAPTER_INFO, SRP login, INQUIRY, READ CAPACITY, a WRITE
 * read back through an indirect descriptor list, CHECK CONDITION with
 * sense for an LBA past the end and an unknown opcode; then what a hostile
 * guest may do: data buffers on unmapped or read-only TCEs, an IU longer
 * than 256 bytes or outside the window, an absent target, a flood of
 * requests into a queue nobody empties.  Every answer is checked; nothing
 * may fault the partition or hang the adapter.
 */
#include <libfdt.h>

#include "hv/abi/hcall.h"
#include "hv/lib/string.h"
#include "tests/guest/lib/console.h"
#include "tests/guest/lib/crq.h"
#include "tests/guest/lib/dt.h"
#include "tests/guest/lib/guest.h"
#include "tests/guest/lib/hcall.h"
#include "tests/guest/lib/report.h"
#include "tests/guest/lib/timebase.h"

const char test_name[] = "vscsi";

/* Bus addresses in the adapter's window. */
#define IOBA_CRQ 0x0000ull
#define IOBA_IU 0x1000ull
#define IOBA_DATA 0x2000ull    /* two pages */
#define IOBA_RO 0x4000ull      /* mapped, device may only read */
#define IOBA_UNMAPPED 0x5000ull
#define CRQ_ENTRIES 256u /* one 4 KiB page of 16-byte entries */
#define DISK_BLOCKS 2048u       /* 1 MiB */

static uint8_t crq[SZ_4K] __aligned(SZ_4K);
static uint8_t iu[SZ_4K] __aligned(SZ_4K);
static uint8_t data[2][SZ_4K] __aligned(SZ_4K);
static uint8_t ro_page[SZ_4K] __aligned(SZ_4K);
static uint32_t unit;
static struct guest_crq rq = { crq, CRQ_ENTRIES, 0 };

static uint64_t addr(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++) {
		p[i] = (uint8_t)(v >> (24 - 8 * i));
	}
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)(v >> 32));
	put32(p + 4, (uint32_t)v);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* The first /vdevice child of device_type "vscsi" and its window. */
static bool find_vscsi(uint32_t *liobn)
{
	int vdev = dt_path("/vdevice");
	int node;

	if (vdev < 0) {
		return false;
	}
	fdt_for_each_subnode(node, dt_fdt(), vdev) {
		const char *type = dt_prop_str(node, "device_type");
		const char *compat = dt_prop_str(node, "compatible");
		const uint32_t *w;
		int len;

		if (!type || strcmp(type, "vscsi") || !compat ||
		    strcmp(compat, "IBM,v-scsi") ||
		    !dt_prop_u32(node, "reg", &unit)) {
			continue;
		}
		w = dt_prop(node, "ibm,my-dma-window", &len);
		if (w && len == 20) {
			*liobn = fdt32_to_cpu(w[0]);
			return true;
		}
	}
	return false;
}

/* Send the IU (`len` bytes at `ioba`) in `format`. */
static long send_iu(uint8_t format, uint32_t len, uint64_t ioba)
{
	return hcall(H_SEND_CRQ, unit,
		     0x80ull << 56 | (uint64_t)format << 48 | len, ioba);
}

/* Send and wait for the response entry. */
static bool request(uint8_t format, uint32_t len, uint8_t *e)
{
	if (send_iu(format, len, IOBA_IU) != H_SUCCESS) {
		return false;
	}
	return crq_take(&rq, e, 2000);
}

/* An SRP_CMD for `cdb` to `target` with one direct data-in (or data-out)
 * descriptor (va, len); len 0: none.  Returns the IU length. */
static uint32_t srp_cmd(uint32_t target, const uint8_t *cdb, bool out,
			uint64_t va, uint32_t len)
{
	memset(iu, 0, 256);
	iu[0] = 0x02;
	memcpy(iu + 8, "payload!", 8);
	iu[20] = (uint8_t)(0x80 | target); /* SAM logical unit addressing */
	memcpy(iu + 32, cdb, 16);
	if (!len) {
		return 48;
	}
	iu[5] = out ? 0x10 : 0x01;
	iu[out ? 6 : 7] = 1;
	put64(iu + 48, va);
	put32(iu + 60, len);
	return 64;
}

/* SRP_RSP fields after a command. */
static uint8_t rsp_status(void)
{
	return iu[0] == 0xc1 ? iu[19] : 0xff;
}

static uint8_t rsp_key(void)
{
	return (iu[18] & 0x02) ? iu[36 + 2] & 0x0f : 0xff;
}

static uint8_t rsp_asc(void)
{
	return (iu[18] & 0x02) ? iu[36 + 12] : 0xff;
}

static bool cmd(uint32_t target, const uint8_t *cdb, bool out, uint64_t va,
		uint32_t len)
{
	uint8_t e[16];

	return request(0x01, srp_cmd(target, cdb, out, va, len), e) &&
	       e[0] == 0x80 && !memcmp(e + 8, "payload!", 8);
}

static bool setup(uint32_t liobn)
{
	static const struct {
		uint64_t ioba;
		const void *page;
		uint64_t perm;
	} maps[] = {
		{ IOBA_CRQ, crq, 3 }, { IOBA_IU, iu, 3 },
		{ IOBA_DATA, data[0], 3 }, { IOBA_DATA + SZ_4K, data[1], 3 },
		{ IOBA_RO, ro_page, 1 },
	};
	uint8_t e[16];
	bool ok = true;

	for (unsigned i = 0; i < sizeof(maps) / sizeof(maps[0]); i++) {
		ok &= hcall(H_PUT_TCE, liobn, maps[i].ioba,
			    addr(maps[i].page) | maps[i].perm) == H_SUCCESS;
	}
	report(ok, "vscsi TCEs for queue, IU and buffers");
	report_hrc(hcall(H_REG_CRQ, unit, IOBA_CRQ, SZ_4K), H_SUCCESS,
		   "vscsi H_REG_CRQ");
	report_hrc(hcall(H_SEND_CRQ, unit, 0xc001ull << 48, 0), H_SUCCESS,
		   "vscsi init sent");
	return report(crq_take(&rq, e, 2000) && e[0] == 0xc0 && e[1] == 0x02,
		      "vscsi init answered with 'initialization complete'");
}

static void test_mad_and_login(void)
{
	uint8_t e[16];

	memset(iu, 0, 24);
	put32(iu, 0x03); /* ADAPTER_INFO */
	iu[7] = 148;
	put64(iu + 16, IOBA_DATA);
	memset(data[0], 0xee, 148);
	report(request(0x02, 24, e) && e[1] == 0x02 && iu[4] == 0 &&
	       iu[5] == 0, "vscsi ADAPTER_INFO answered, status 0");
	report(!memcmp(data[0], "16.a", 4) && get32(data[0] + 112) == 2,
	       "vscsi adapter info: SRP 16.a, OS type 2 (%.4s, %u)",
	       (const char *)data[0], get32(data[0] + 112));
	memset(iu, 0, 64);
	iu[0] = 0x00; /* SRP_LOGIN_REQ */
	memcpy(iu + 8, "login!!!", 8);
	put32(iu + 16, 256);
	iu[25] = 0x06;
	report(request(0x01, 64, e) && iu[0] == 0xc0 && get32(iu + 4) >= 2 &&
	       !memcmp(e + 8, "login!!!", 8),
	       "vscsi SRP login accepted with %u credits", get32(iu + 4));
}

static void test_commands(void)
{
	uint8_t inq[16] = { 0x12, 0, 0, 0, 36 };
	uint8_t cap[16] = { 0x25 };
	uint8_t tur[16] = { 0x00 };
	uint8_t wr[16] = { 0x2a, 0, 0, 0, 0, 7, 0, 0, 2 };  /* LBA 7, 2 */
	uint8_t rd[16] = { 0x28, 0, 0, 0, 0, 7, 0, 0, 2 };
	uint8_t past[16] = { 0x28, 0, 0, 0, 0x08, 0x00, 0, 0, 1 };
	uint8_t bogus[16] = { 0xc0 };

	memset(data[0], 0, 64);
	report(cmd(0, inq, false, IOBA_DATA, 36) && rsp_status() == 0 &&
	       data[0][0] == 0x00, "vscsi INQUIRY target 0: a disk (0x%x)",
	       data[0][0]);
	report(cmd(5, inq, false, IOBA_DATA, 36) && rsp_status() == 0 &&
	       data[0][0] == 0x7f, "vscsi INQUIRY target 5: none (0x%x)",
	       data[0][0]);
	/* QEMU's scsi-hd answers the first command after its reset with
	 * UNIT ATTENTION (power on); lparvisor's disk has none to report. */
	report(cmd(0, tur, false, 0, 0) &&
	       (rsp_status() == 0 || (rsp_status() == 2 && rsp_key() == 6)),
	       "vscsi TEST UNIT READY: good or unit attention (status %u)",
	       rsp_status());
	report(cmd(0, cap, false, IOBA_DATA, 8) && rsp_status() == 0 &&
	       get32(data[0]) == DISK_BLOCKS - 1 && get32(data[0] + 4) == 512,
	       "vscsi READ CAPACITY: last LBA %u, block %u", get32(data[0]),
	       get32(data[0] + 4));
	for (int i = 0; i < 1024; i++) {
		data[0][i] = (uint8_t)(i * 7 + 3);
	}
	report(cmd(0, wr, true, IOBA_DATA, 1024) && rsp_status() == 0,
	       "vscsi WRITE(10) 2 blocks");
	memset(data[1], 0, SZ_4K);
	/* Read back through an indirect list of two 512-byte buffers whose
	 * table lies in the IU itself, as Linux builds it. */
	srp_cmd(0, rd, false, 0, 0);
	iu[5] = 0x02;
	iu[7] = 2;
	put64(iu + 48, IOBA_IU + 68);
	put32(iu + 60, 32);
	put32(iu + 64, 1024);
	put64(iu + 68, IOBA_DATA + SZ_4K + 2048);
	put32(iu + 80, 512);
	put64(iu + 84, IOBA_DATA + SZ_4K);
	put32(iu + 96, 512);
	{
		uint8_t e[16];

		report(request(0x01, 100, e) && rsp_status() == 0 &&
		       !memcmp(data[1] + 2048, data[0], 512) &&
		       !memcmp(data[1], data[0] + 512, 512),
		       "vscsi READ(10) back through 2 indirect descriptors");
	}
	report(cmd(0, past, false, IOBA_DATA, 512) && rsp_status() == 2 &&
	       rsp_key() == 5 && rsp_asc() == 0x21,
	       "vscsi READ past the end: CHECK CONDITION, ILLEGAL REQUEST, "
	       "LBA out of range (status %u key %u asc 0x%x)", rsp_status(),
	       rsp_key(), rsp_asc());
	report(cmd(0, bogus, false, 0, 0) && rsp_status() == 2 &&
	       rsp_key() == 5 && rsp_asc() == 0x20,
	       "vscsi opcode 0xc0: invalid command (status %u key %u asc "
	       "0x%x)", rsp_status(), rsp_key(), rsp_asc());
}

static void test_hostile(void)
{
	uint8_t rd[16] = { 0x28, 0, 0, 0, 0, 7, 0, 0, 1 };
	uint8_t tur[16] = { 0x00 };
	uint8_t e[16];
	unsigned got = 0;

	report(cmd(0, rd, false, IOBA_UNMAPPED, 512) && rsp_status() == 2 &&
	       rsp_key() == 4, "vscsi data buffer on an unmapped TCE: "
	       "HARDWARE ERROR (status %u key %u)", rsp_status(), rsp_key());
	memset(ro_page, 0x5a, 512);
	report(cmd(0, rd, false, IOBA_RO, 512) && rsp_status() == 2 &&
	       rsp_key() == 4 && ro_page[0] == 0x5a,
	       "vscsi data-in onto a read-only TCE: HARDWARE ERROR, page "
	       "untouched (status %u key %u)", rsp_status(), rsp_key());
	srp_cmd(0, tur, false, 0, 0);
	report_hrc(send_iu(0x01, 300, IOBA_IU), H_SUCCESS,
		   "vscsi IU of 300 bytes sent");
	report_hrc(send_iu(0x01, 48, 0x20000000ull), H_SUCCESS,
		   "vscsi IU outside the window sent");
	report(!crq_take(&rq, e, 200), "vscsi both dropped: no response");
	if (dt_on_lparvisor()) {
		/* LoPAR: only the platform sends transport events (QEMU
		 * takes and ignores them). */
		report_hrc(hcall(H_SEND_CRQ, unit, 0xff02ull << 48, 0),
			   H_PARAMETER, "vscsi transport event from the guest");
	}
	/* A flood into a queue nobody empties: it fills, the rest is
	 * dropped, and every hcall returns. */
	for (unsigned i = 0; i < 3 * CRQ_ENTRIES; i++) {
		srp_cmd(0, tur, false, 0, 0);
		if (send_iu(0x01, 48, IOBA_IU) != H_SUCCESS) {
			break;
		}
	}
	while (crq_take(&rq, e, 100)) {
		got++;
	}
	report(got == CRQ_ENTRIES, "vscsi flood of %u requests: the queue "
	       "held %u responses", 3 * CRQ_ENTRIES, got);
	report(cmd(0, tur, false, 0, 0) && rsp_status() == 0,
	       "vscsi still answers after the flood");
}

void test_main(void)
{
	uint32_t liobn = 0;

	if (!report(find_vscsi(&liobn), "vscsi /vdevice node IBM,v-scsi with "
		    "a DMA window")) {
		return;
	}
	if (!setup(liobn)) {
		return;
	}
	test_mad_and_login();
	test_commands();
	test_hostile();
	report_hrc(hcall(H_FREE_CRQ, unit), H_SUCCESS, "vscsi H_FREE_CRQ");
}
