/*
 * The v-scsi adapter (vio/vscsi.c) driven as Linux's ibmvscsi drives it,
 * through H_SEND_CRQ with IUs and data in the partition's TCE window:
 * the init handshake, MADs, SRP login, SCSI commands with direct and
 * indirect descriptors, task management; and what a hostile guest may
 * send: IUs too long or outside the window, descriptors outside the
 * window or onto pages it may not write, bad LUNs; commands without a
 * login served, as QEMU's (SLOF never logs in).  Built against tests/unit/fake/.  Negative cases first.
 */
#include <stdio.h>
#include <stdlib.h>

#include "hv/abi/layout.h"
#include "hv/unit.h"
#include "tests/unit/fake/guestcall.h"
#include "tests/unit/test.h"
#include "vio/bus.h"
#include "vio/scsi.h"
#include "vio/srp.h"
#include "vio/vscsi.h"

#if !defined(FAKE_HV_CPU_H) || !defined(FAKE_HV_LOCK_H)
#error "vscsi_test.c must be built with -Itests/unit/fake ahead of -I."
#endif

#define MEM_SIZE (256 * SZ_4K)
#define DISK_SIZE (2 * SZ_1M) /* past the 1 MiB transfer limit */
#define UNIT LAYOUT_VSCSI_REG
#define CRQ_IOBA 0x0000
#define IU_IOBA 0x1000
#define DATA_IOBA 0x10000  /* 16 pages of data buffers */
#define ROPAGE_IOBA 0x30000 /* mapped read-only (device may not write) */

static struct lpar *web;
static struct vcpu *vc;
static struct hcall_args a;
static uint32_t crq_next;

static uint8_t *gm(uint64_t gpa)
{
	return (uint8_t *)(uintptr_t)(web->mem.hpa + gpa);
}

static void be32w(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void be64w(uint8_t *p, uint64_t v)
{
	be32w(p, (uint32_t)(v >> 32));
	be32w(p + 4, (uint32_t)v);
}

/* Two disks: 0 read-write (bytes i & 0xff), 1 read-only (0x5a). */
static bool setup(void)
{
	fake_reset();
	for (int i = 0; i < 2; i++) {
		struct disk *d = &fake_disks[i];

		d->data = malloc(DISK_SIZE);
		if (!d->data) {
			return false;
		}
		d->size = DISK_SIZE;
		d->read_only = i == 1;
		snprintf(d->name, sizeof(d->name), "disk%d", i);
		for (uint32_t b = 0; b < DISK_SIZE; b++) {
			d->data[b] = i ? 0x5a : (uint8_t)b;
		}
	}
	fake_lpar_disk_count = 2;
	fake_lpar_disks[0] = 0;
	fake_lpar_disks[1] = 1;
	web = fake_lpar_create("web", 1, MEM_SIZE);
	if (!web) {
		return false;
	}
	vc = web->vcpus[0];
	memset(gm(0), 0, MEM_SIZE);
	/* Identity-map the first 64 pages read-write, ROPAGE read-only. */
	for (uint64_t p = 0; p < 64; p++) {
		uint64_t perm = p * SZ_4K == ROPAGE_IOBA ? 1 : 3;

		if (HCALL(vc, &a, H_PUT_TCE, UNIT, p * SZ_4K,
			  p * SZ_4K | perm) != H_SUCCESS) {
			return false;
		}
	}
	crq_next = 0;
	return HCALL(vc, &a, H_REG_CRQ, UNIT, CRQ_IOBA, 0x1000) == H_SUCCESS;
}

static int64_t send(uint64_t hi, uint64_t lo)
{
	return HCALL(vc, &a, H_SEND_CRQ, UNIT, hi, lo);
}

/* The next CRQ entry the adapter wrote, copied and freed; false if none. */
static bool next_entry(uint8_t *e)
{
	uint8_t *slot = gm(CRQ_IOBA + crq_next);

	if (slot[0] == 0) {
		return false;
	}
	memcpy(e, slot, 16);
	slot[0] = 0;
	crq_next = (crq_next + 16) % 0x1000;
	return true;
}

/* Send the IU at IU_IOBA (`len` bytes) in `format`; the response
 * entry in `e`.  Returns whether one came. */
static bool request(uint8_t format, uint32_t len, uint8_t *e)
{
	uint64_t hi = 0x80ull << 56 | (uint64_t)format << 48 | len;

	CHECK_EQ(send(hi, IU_IOBA), H_SUCCESS);
	return next_entry(e);
}

static void login(void)
{
	uint8_t *iu = gm(IU_IOBA);
	uint8_t e[16];

	memset(iu, 0, 64);
	iu[0] = SRP_LOGIN_REQ;
	memcpy(iu + 8, "LOGINTAG", 8);
	be32w(iu + 16, 256);
	iu[25] = 6;
	REQUIRE(request(VIOSRP_SRP_FORMAT, 64, e));
	CHECK_EQ(iu[0], SRP_LOGIN_RSP);
	CHECK_EQ(iu[7], 64);
}

/* An SRP_CMD at IU_IOBA for `cdb` (10 bytes) to target `id`, with one
 * direct descriptor (va, len) in direction `out` (len 0: none). */
static uint32_t cmd(uint32_t id, const uint8_t *cdb, bool out, uint64_t va,
		    uint32_t len)
{
	uint8_t *iu = gm(IU_IOBA);

	memset(iu, 0, SRP_MAX_IU_LEN);
	iu[0] = SRP_CMD;
	memcpy(iu + 8, "CMDTAG01", 8);
	iu[20] = (uint8_t)(0x80 | id);
	memcpy(iu + 32, cdb, 10);
	if (!len) {
		return 48;
	}
	iu[5] = out ? 0x10 : 0x01;
	iu[out ? 6 : 7] = 1;
	be64w(iu + 48, va);
	be32w(iu + 60, len);
	return 64;
}

/* The response IU's status, sense key and flags. */
static uint8_t rsp_status(void)
{
	return gm(IU_IOBA)[19];
}

static uint8_t rsp_key(void)
{
	return gm(IU_IOBA)[36 + 2];
}

TEST(vscsi, transport_events_and_bad_headers_refused)
{
	uint8_t e[16];

	REQUIRE(setup());
	CHECK_EQ(send(0xff02ull << 48, 0), H_PARAMETER);
	CHECK_EQ(send(0x4001ull << 48, 0), H_PARAMETER);
	CHECK(!next_entry(e));
}

TEST(vscsi, init_handshake)
{
	uint8_t e[16];

	REQUIRE(setup());
	CHECK_EQ(send(0xc001ull << 48, 0), H_SUCCESS);
	REQUIRE(next_entry(e));
	CHECK_EQ(e[0], 0xc0);
	CHECK_EQ(e[1], 0x02);
	CHECK_EQ(send(0xc002ull << 48, 0), H_SUCCESS); /* no answer */
	CHECK(!next_entry(e));
}

TEST(vscsi, hostile_ius_dropped)
{
	uint8_t cdb[10] = { 0x00 };
	uint8_t e[16];

	REQUIRE(setup());
	login();
	/* Longer than 256, zero, outside the window, unknown format. */
	CHECK_EQ(send(0x8001ull << 48 | 257, IU_IOBA), H_SUCCESS);
	CHECK_EQ(send(0x8001ull << 48 | 0, IU_IOBA), H_SUCCESS);
	CHECK_EQ(send(0x8001ull << 48 | 64, VIO_DMA_WINDOW - 8), H_SUCCESS);
	CHECK_EQ(send(0x8001ull << 48 | 64, 100ull * SZ_4K), H_SUCCESS);
	CHECK_EQ(send(0x8003ull << 48 | 64, IU_IOBA), H_SUCCESS);
	CHECK(!next_entry(e));
	/* An IU on a page the device may only read: read, but the response
	 * cannot be written back: status ADAPTER_FAIL. */
	cmd(0, cdb, false, 0, 0);
	memcpy(gm(ROPAGE_IOBA), gm(IU_IOBA), 64);
	CHECK_EQ(send(0x8001ull << 48 | 48, ROPAGE_IOBA), H_SUCCESS);
	REQUIRE(next_entry(e));
	CHECK_EQ(e[3], VIOSRP_ADAPTER_FAIL);
}

TEST(vscsi, mads)
{
	uint8_t *iu;
	uint8_t e[16];

	REQUIRE(setup());
	iu = gm(IU_IOBA);
	memset(iu, 0, 24);
	be32w(iu, VIOSRP_MAD_ADAPTER_INFO);
	iu[7] = VIOSRP_ADAPTER_INFO_LEN;
	memcpy(iu + 8, "MADTAG00", 8);
	be64w(iu + 16, DATA_IOBA);
	REQUIRE(request(VIOSRP_MAD_FORMAT, 24, e));
	CHECK_EQ(e[1], VIOSRP_MAD_FORMAT);
	CHECK(!memcmp(e + 8, "MADTAG00", 8));
	CHECK_EQ(iu[4] << 8 | iu[5], 0);
	CHECK(!memcmp(gm(DATA_IOBA), "16.a", 4));
	CHECK_EQ(gm(DATA_IOBA)[115], 2);
	/* The data buffer outside the window: FAILED, nothing written. */
	be64w(iu + 16, VIO_DMA_WINDOW);
	REQUIRE(request(VIOSRP_MAD_FORMAT, 24, e));
	CHECK_EQ(iu[4] << 8 | iu[5], VIOSRP_MAD_FAILED);
	/* Capabilities (AIX only): not supported. */
	be32w(iu, VIOSRP_MAD_CAPABILITIES);
	REQUIRE(request(VIOSRP_MAD_FORMAT, 24, e));
	CHECK_EQ(iu[4] << 8 | iu[5], VIOSRP_MAD_NOT_SUPPORTED);
}

TEST(vscsi, login_rejected_for_big_iu)
{
	uint8_t *iu;
	uint8_t e[16];

	REQUIRE(setup());
	iu = gm(IU_IOBA);
	memset(iu, 0, 64);
	be32w(iu + 16, 4096);
	iu[25] = 6;
	REQUIRE(request(VIOSRP_SRP_FORMAT, 64, e));
	CHECK_EQ(iu[0], SRP_LOGIN_REJ);
}

TEST(vscsi, bad_luns)
{
	uint8_t inq[10] = { 0x12, 0, 0, 0, 36 };
	uint8_t tur[10] = { 0x00 };
	uint8_t e[16];

	REQUIRE(setup());
	login();
	REQUIRE(request(VIOSRP_SRP_FORMAT,
			cmd(2, inq, false, DATA_IOBA, 36), e));
	CHECK_EQ(rsp_status(), 0);
	CHECK_EQ(gm(DATA_IOBA)[0], 0x7f);
	REQUIRE(request(VIOSRP_SRP_FORMAT, cmd(63, tur, false, 0, 0), e));
	CHECK_EQ(rsp_status(), 2);
	CHECK_EQ(rsp_key(), 5);
	CHECK_EQ(gm(IU_IOBA)[36 + 12], 0x25);
	/* A LUN with more levels, and flat addressing: absent. */
	cmd(0, tur, false, 0, 0);
	gm(IU_IOBA)[23] = 1;
	REQUIRE(request(VIOSRP_SRP_FORMAT, 48, e));
	CHECK_EQ(rsp_status(), 2);
	cmd(0, tur, false, 0, 0);
	gm(IU_IOBA)[20] = 0x40;
	REQUIRE(request(VIOSRP_SRP_FORMAT, 48, e));
	CHECK_EQ(rsp_status(), 2);
	/* Peripheral addressing of target 0 works. */
	cmd(0, tur, false, 0, 0);
	gm(IU_IOBA)[20] = 0;
	REQUIRE(request(VIOSRP_SRP_FORMAT, 48, e));
	CHECK_EQ(rsp_status(), 0);
	CHECK(!memcmp(e + 8, "CMDTAG01", 8));
}

TEST(vscsi, read_write_direct)
{
	uint8_t rd[10] = { 0x28, 0, 0, 0, 0, 2, 0, 0, 8 };  /* LBA 2, 8 */
	uint8_t wr[10] = { 0x2a, 0, 0, 0, 0, 3, 0, 0, 1 };  /* LBA 3, 1 */
	uint8_t e[16];

	REQUIRE(setup());
	login();
	REQUIRE(request(VIOSRP_SRP_FORMAT,
			cmd(0, rd, false, DATA_IOBA, 4096), e));
	CHECK_EQ(e[0], 0x80);
	CHECK_EQ(e[3], VIOSRP_OK);
	CHECK_EQ(rsp_status(), 0);
	CHECK_EQ(gm(IU_IOBA)[18], 0);
	CHECK(!memcmp(gm(DATA_IOBA), fake_disks[0].data + 1024, 4096));
	memset(gm(DATA_IOBA), 0xee, 512);
	REQUIRE(request(VIOSRP_SRP_FORMAT,
			cmd(0, wr, true, DATA_IOBA, 512), e));
	CHECK_EQ(rsp_status(), 0);
	CHECK_EQ(fake_disks[0].data[3 * 512], 0xee);
	CHECK_EQ(fake_disks[0].data[4 * 512], 0x00);
	CHECK_EQ(fake_disks[0].writes, 1);
	CHECK_EQ(fake_disks[0].reads, 1);
	/* The read-only disk: DATA PROTECT, its data unchanged. */
	REQUIRE(request(VIOSRP_SRP_FORMAT,
			cmd(1, wr, true, DATA_IOBA, 512), e));
	CHECK_EQ(rsp_status(), 2);
	CHECK_EQ(rsp_key(), 7);
	CHECK_EQ(fake_disks[1].data[3 * 512], 0x5a);
	/* A buffer shorter than the transfer: what fits, DIOVER with the
	 * rest as the residual. */
	memset(gm(DATA_IOBA), 0, 8192);
	REQUIRE(request(VIOSRP_SRP_FORMAT,
			cmd(0, rd, false, DATA_IOBA, 1000), e));
	CHECK_EQ(rsp_status(), 0);
	CHECK_EQ(gm(IU_IOBA)[18], SRP_RSP_DIOVER);
	CHECK_EQ(gm(IU_IOBA)[26] << 8 | gm(IU_IOBA)[27], 4096 - 1000);
	CHECK_EQ(gm(DATA_IOBA)[1000], 0);
}

/* The service console's line: each disk's mode and counters, then
 * the adapter's drops; cut at the buffer's end, NUL-terminated. */
TEST(vscsi, console_line_counts_commands)
{
	uint8_t rd[10] = { 0x28, 0, 0, 0, 0, 2, 0, 0, 8 };
	uint8_t e[16];
	char line[256], want[256];

	REQUIRE(setup());
	login();
	REQUIRE(request(VIOSRP_SRP_FORMAT,
			cmd(1, rd, false, DATA_IOBA, 4096), e));
	CHECK_EQ(rsp_status(), 0);
	snprintf(want, sizeof(want), "disk0 rw reads 0 writes 0; "
		 "disk1 ro reads 1 writes 0; dropped 0");
	CHECK_EQ(vscsi_format_stats(web, line, sizeof(line)), strlen(want));
	CHECK_STR_EQ(line, want);
	CHECK_EQ(vscsi_format_stats(web, line, 10), 9);
	CHECK_STR_EQ(line, "disk0 rw ");
	CHECK_EQ(vscsi_format_stats(web, line, 0), 0);
}

TEST(vscsi, descriptors_outside_window_or_read_only)
{
	uint8_t rd[10] = { 0x28, 0, 0, 0, 0, 0, 0, 0, 8 };
	uint8_t e[16];

	REQUIRE(setup());
	login();
	/* Crossing the end of the window. */
	REQUIRE(request(VIOSRP_SRP_FORMAT,
			cmd(0, rd, false, VIO_DMA_WINDOW - 2048, 4096), e));
	CHECK_EQ(rsp_status(), 2);
	CHECK_EQ(rsp_key(), SCSI_KEY_HARDWARE_ERROR);
	/* Onto an unmapped page (64 on), and onto a read-only page. */
	REQUIRE(request(VIOSRP_SRP_FORMAT,
			cmd(0, rd, false, 64 * SZ_4K - 512, 4096), e));
	CHECK_EQ(rsp_key(), SCSI_KEY_HARDWARE_ERROR);
	memset(gm(ROPAGE_IOBA), 0x11, 4096);
	REQUIRE(request(VIOSRP_SRP_FORMAT,
			cmd(0, rd, false, ROPAGE_IOBA, 4096), e));
	CHECK_EQ(rsp_key(), SCSI_KEY_HARDWARE_ERROR);
	CHECK_EQ(gm(ROPAGE_IOBA)[0], 0x11);
	/* Over the transfer limit (1 MiB + 512 bytes, inside the 2 MiB
	 * disk): refused before any copy, nothing written to the buffer. */
	rd[7] = 0x08;
	rd[8] = 0x01;
	memset(gm(DATA_IOBA), 0x77, 4096);
	REQUIRE(request(VIOSRP_SRP_FORMAT,
			cmd(0, rd, false, DATA_IOBA, 4096), e));
	CHECK_EQ(rsp_status(), 2);
	CHECK_EQ(rsp_key(), SCSI_KEY_ILLEGAL_REQUEST);
	CHECK_EQ(gm(DATA_IOBA)[0], 0x77);
}

TEST(vscsi, indirect_with_table_in_guest_memory)
{
	uint8_t rd[10] = { 0x28, 0, 0, 0, 0, 0, 0, 0, 12 }; /* 6 KiB */
	uint8_t *iu, *table;
	uint8_t e[16];

	REQUIRE(setup());
	iu = gm(IU_IOBA);
	table = gm(IU_IOBA + 0x800);
	login();
	cmd(0, rd, false, 0, 0);
	iu[5] = 0x02;
	iu[7] = 1; /* one local descriptor, three in the table */
	be64w(iu + 48, IU_IOBA + 0x800);
	be32w(iu + 60, 48);
	be32w(iu + 64, 6144);
	for (int i = 0; i < 3; i++) {
		be64w(table + 16 * i, DATA_IOBA + 0x2000 * (uint64_t)i);
		be32w(table + 16 * i + 12, 2048);
	}
	memcpy(iu + 68, table, 16);
	REQUIRE(request(VIOSRP_SRP_FORMAT, 84, e));
	CHECK_EQ(rsp_status(), 0);
	CHECK(!memcmp(gm(DATA_IOBA), fake_disks[0].data, 2048));
	CHECK(!memcmp(gm(DATA_IOBA + 0x2000), fake_disks[0].data + 2048,
		      2048));
	CHECK(!memcmp(gm(DATA_IOBA + 0x4000), fake_disks[0].data + 4096,
		      2048));
	/* The table itself outside the window. */
	cmd(0, rd, false, 0, 0);
	iu[5] = 0x02;
	iu[7] = 1;
	be64w(iu + 48, VIO_DMA_WINDOW - 16);
	be32w(iu + 60, 48);
	REQUIRE(request(VIOSRP_SRP_FORMAT, 84, e));
	CHECK_EQ(rsp_status(), 2);
	CHECK_EQ(rsp_key(), SCSI_KEY_HARDWARE_ERROR);
	/* A table length no descriptor fits in (the response overwrote
	 * the request: build it again). */
	cmd(0, rd, false, 0, 0);
	iu[5] = 0x02;
	iu[7] = 1;
	be64w(iu + 48, IU_IOBA + 0x800);
	be32w(iu + 60, 8);
	REQUIRE(request(VIOSRP_SRP_FORMAT, 84, e));
	CHECK_EQ(rsp_status(), 2);
}

TEST(vscsi, task_management)
{
	uint8_t *iu;
	uint8_t e[16];
	static const uint8_t funcs[][2] = {
		{ SRP_TSK_ABORT_TASK, SRP_TM_COMPLETE },
		{ SRP_TSK_LUN_RESET, SRP_TM_COMPLETE },
		{ SRP_TSK_ABORT_TASK_SET, SRP_TM_COMPLETE },
		{ SRP_TSK_CLEAR_ACA, SRP_TM_NOT_SUPPORTED },
		{ 0x77, SRP_TM_FIELDS_INVALID },
	};

	REQUIRE(setup());
	iu = gm(IU_IOBA);
	login();
	for (size_t i = 0; i < sizeof(funcs) / sizeof(funcs[0]); i++) {
		memset(iu, 0, 48);
		iu[0] = SRP_TSK_MGMT;
		iu[20] = 0x80;
		iu[30] = funcs[i][0];
		REQUIRE(request(VIOSRP_SRP_FORMAT, 48, e));
		CHECK_EQ(iu[0], SRP_RSP);
		CHECK_EQ(iu[18], SRP_RSP_RSPVALID);
		CHECK_EQ(iu[39], funcs[i][1]);
	}
	/* An absent unit. */
	memset(iu, 0, 48);
	iu[0] = SRP_TSK_MGMT;
	iu[20] = 0x85;
	iu[30] = SRP_TSK_LUN_RESET;
	REQUIRE(request(VIOSRP_SRP_FORMAT, 48, e));
	CHECK_EQ(iu[39], SRP_TM_FIELDS_INVALID);
}

/*
 * QEMU's target keeps no login state and SLOF's v-scsi driver relies on
 * it: after the init handshake it sends SCSI commands without an SRP
 * login.  Served before a login and after a logout (was: dropped).
 */
TEST(vscsi, commands_without_login_served)
{
	uint8_t tur[10] = { 0x00 };
	uint8_t *iu;
	uint8_t e[16];

	REQUIRE(setup());
	iu = gm(IU_IOBA);
	REQUIRE(request(VIOSRP_SRP_FORMAT, cmd(0, tur, false, 0, 0), e));
	CHECK_EQ(iu[0], SRP_RSP);
	CHECK_EQ(rsp_status(), 0);
	login();
	memset(iu, 0, 16);
	iu[0] = SRP_I_LOGOUT;
	CHECK(!request(VIOSRP_SRP_FORMAT, 16, e));
	REQUIRE(request(VIOSRP_SRP_FORMAT, cmd(0, tur, false, 0, 0), e));
	CHECK_EQ(iu[0], SRP_RSP);
	CHECK_EQ(rsp_status(), 0);
}

TEST(vscsi, reset_frees_the_queue)
{
	uint8_t tur[10] = { 0x00 };
	uint8_t e[16];

	REQUIRE(setup());
	login();
	CHECK(request(VIOSRP_SRP_FORMAT, cmd(0, tur, false, 0, 0), e));
	lpar_units_reset(web);
	/* The reset freed the queue and the TCEs: register again. */
	CHECK_EQ(HCALL(vc, &a, H_PUT_TCE, UNIT, 0, 0 | 3), H_SUCCESS);
	CHECK_EQ(HCALL(vc, &a, H_PUT_TCE, UNIT, IU_IOBA, IU_IOBA | 3),
		 H_SUCCESS);
	CHECK_EQ(HCALL(vc, &a, H_REG_CRQ, UNIT, CRQ_IOBA, 0x1000), H_SUCCESS);
	memset(gm(CRQ_IOBA), 0, 0x1000);
	crq_next = 0;
	CHECK(request(VIOSRP_SRP_FORMAT, cmd(0, tur, false, 0, 0), e));
}
