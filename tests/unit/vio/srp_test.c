/*
 * SRP IUs (vio/srp.c): SRP_CMD decoding with hostile lengths, formats
 * and descriptor tables, descriptors read from the IU or a table, and
 * the responses (field offsets of Linux's struct srp_rsp, login and
 * rejection, task management, adapter info).
 */
#include "vio/srp.h"
#include "tests/unit/test.h"

static void put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++) {
		p[i] = (uint8_t)(v >> (56 - 8 * i));
	}
}

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++) {
		p[i] = (uint8_t)(v >> (24 - 8 * i));
	}
}

/* An SRP_CMD for READ(10) with buf_fmt and descriptor counts. */
static void cmd(uint8_t *iu, uint8_t fmt, uint8_t out_cnt, uint8_t in_cnt)
{
	memset(iu, 0, SRP_MAX_IU_LEN);
	iu[0] = SRP_CMD;
	iu[5] = fmt;
	iu[6] = out_cnt;
	iu[7] = in_cnt;
	memcpy(iu + 8, "TAGBYTES", 8);
	iu[20] = 0x81; /* LUN: target 1 */
	iu[32] = 0x28;
}

TEST(srp_cmd, short_iu_refused)
{
	uint8_t iu[SRP_MAX_IU_LEN];
	struct srp_cmd c;

	cmd(iu, 0, 0, 0);
	CHECK_EQ(srp_parse_cmd(iu, 47, &c), SRP_E_SHORT);
	CHECK_EQ(srp_parse_cmd(iu, 0, &c), SRP_E_SHORT);
	CHECK_EQ(srp_parse_cmd(iu, 48, &c), SRP_OK);
	CHECK_EQ(c.data.fmt, SRP_FMT_NONE);
	CHECK(!memcmp(c.tag, "TAGBYTES", 8));
	CHECK_EQ(c.lun, 0x8100000000000000ull);
	CHECK_EQ(c.cdb[0], 0x28);
}

TEST(srp_cmd, bad_formats_refused)
{
	uint8_t iu[SRP_MAX_IU_LEN];
	struct srp_cmd c;

	cmd(iu, 0x03, 0, 0); /* data-in format 3: none such */
	CHECK_EQ(srp_parse_cmd(iu, 64, &c), SRP_E_FORMAT);
	cmd(iu, 0x30, 0, 0);
	CHECK_EQ(srp_parse_cmd(iu, 64, &c), SRP_E_FORMAT);
	cmd(iu, 0x11, 0, 0); /* bidirectional */
	CHECK_EQ(srp_parse_cmd(iu, 80, &c), SRP_E_FORMAT);
}

TEST(srp_cmd, direct_descriptor_must_fit)
{
	uint8_t iu[SRP_MAX_IU_LEN];
	struct srp_desc d[4];
	struct srp_cmd c;

	cmd(iu, 0x01, 0, 1);
	put64(iu + 48, 0x12345000);
	put32(iu + 60, 4096);
	CHECK_EQ(srp_parse_cmd(iu, 63, &c), SRP_E_DESC);
	CHECK_EQ(srp_parse_cmd(iu, 64, &c), SRP_OK);
	CHECK(!c.out);
	CHECK_EQ(c.data.fmt, SRP_FMT_DIRECT);
	CHECK_EQ(srp_read_descs(&c.data, iu, 64, false, d, 4), 1);
	CHECK_EQ(d[0].va, 0x12345000);
	CHECK_EQ(d[0].len, 4096);
	/* Additional CDB bytes push the descriptor out of the IU. */
	iu[31] = 0xfc;
	CHECK_EQ(srp_parse_cmd(iu, 64, &c), SRP_E_DESC);
	CHECK_EQ(srp_parse_cmd(iu, SRP_MAX_IU_LEN, &c), SRP_E_DESC);
	iu[31] = 0x04;
	CHECK_EQ(srp_parse_cmd(iu, 68, &c), SRP_OK);
	CHECK_EQ(c.data.local_off, 52);
}

TEST(srp_cmd, data_out_direction)
{
	uint8_t iu[SRP_MAX_IU_LEN];
	struct srp_cmd c;

	cmd(iu, 0x10, 1, 0);
	CHECK_EQ(srp_parse_cmd(iu, 64, &c), SRP_OK);
	CHECK(c.out);
	CHECK_EQ(c.data.local_off, 48);
}

TEST(srp_cmd, indirect_local_and_table)
{
	uint8_t iu[SRP_MAX_IU_LEN];
	uint8_t table[3 * SRP_DESC_SIZE];
	struct srp_desc d[8];
	struct srp_cmd c;

	cmd(iu, 0x02, 0, 2);
	put64(iu + 48, 0x9000);          /* table va */
	put32(iu + 60, 3 * SRP_DESC_SIZE); /* table: 3 descriptors */
	put32(iu + 64, 12288);           /* total length */
	for (int i = 0; i < 2; i++) {
		put64(iu + 68 + 16 * i, 0x1000 * (i + 1));
		put32(iu + 68 + 16 * i + 12, 4096);
	}
	/* 20 + 2 * 16 bytes after offset 48: needs 100. */
	CHECK_EQ(srp_parse_cmd(iu, 99, &c), SRP_E_DESC);
	CHECK_EQ(srp_parse_cmd(iu, 100, &c), SRP_OK);
	CHECK_EQ(c.data.fmt, SRP_FMT_INDIRECT);
	CHECK_EQ(c.data.local_count, 2);
	CHECK_EQ(c.data.total_count, 3);
	CHECK_EQ(c.data.table.va, 0x9000);
	CHECK_EQ(c.data.total_len, 12288);
	CHECK_EQ(srp_read_descs(&c.data, iu, 100, false, d, 8), 2);
	CHECK_EQ(d[1].va, 0x2000);
	for (int i = 0; i < 3; i++) {
		put64(table + 16 * i, 0x7000 + 0x1000 * i);
		put32(table + 16 * i + 12, 512);
	}
	CHECK_EQ(srp_read_descs(&c.data, table, sizeof(table), true, d, 8),
		 3);
	CHECK_EQ(d[2].va, 0x9000);
	CHECK_EQ(d[2].len, 512);
	/* A table copy shorter than the count says. */
	CHECK_EQ(srp_read_descs(&c.data, table, 47, true, d, 8), -1);
	/* At most `max` are stored. */
	CHECK_EQ(srp_read_descs(&c.data, table, sizeof(table), true, d, 2),
		 2);
}

TEST(srp_cmd, hostile_descriptor_tables)
{
	uint8_t iu[SRP_MAX_IU_LEN];
	struct srp_desc d[SRP_MAX_DESC];
	struct srp_cmd c;

	cmd(iu, 0x02, 0, 1);
	put32(iu + 60, 0);                 /* an empty table */
	CHECK_EQ(srp_parse_cmd(iu, 84, &c), SRP_E_DESC);
	put32(iu + 60, 15);                /* less than one descriptor */
	CHECK_EQ(srp_parse_cmd(iu, 84, &c), SRP_E_DESC);
	put32(iu + 60, (SRP_MAX_DESC + 1) * SRP_DESC_SIZE);
	CHECK_EQ(srp_parse_cmd(iu, 84, &c), SRP_E_DESC);
	put32(iu + 60, 0xffffffff);
	CHECK_EQ(srp_parse_cmd(iu, 84, &c), SRP_E_DESC);
	/* 255 local descriptors claimed: they cannot be in a 256-byte IU. */
	cmd(iu, 0x02, 0, 255);
	put32(iu + 60, SRP_DESC_SIZE);
	CHECK_EQ(srp_parse_cmd(iu, SRP_MAX_IU_LEN, &c), SRP_E_DESC);
	/* More local descriptors than the table: the table's count wins. */
	cmd(iu, 0x02, 0, 2);
	put32(iu + 60, SRP_DESC_SIZE);
	CHECK_EQ(srp_parse_cmd(iu, 100, &c), SRP_OK);
	CHECK_EQ(srp_read_descs(&c.data, iu, 100, false, d, SRP_MAX_DESC), 1);
}

TEST(srp_rsp, layout_matches_linux)
{
	uint8_t buf[SRP_MAX_IU_LEN];
	uint8_t sense[18] = { 0x70, 0, 5 };

	CHECK_EQ(srp_build_rsp(buf, (const uint8_t *)"ABCDEFGH", 0x06, 2, sense,
			       18, SRP_RSP_DIOVER, 100, 0), 54);
	CHECK_EQ(buf[0], SRP_RSP);
	CHECK_EQ(buf[1], 1);        /* failure asked for notification */
	CHECK_EQ(buf[7], 1);        /* one credit back */
	CHECK(!memcmp(buf + 8, "ABCDEFGH", 8));
	CHECK_EQ(buf[18], SRP_RSP_DIOVER | SRP_RSP_SNSVALID);
	CHECK_EQ(buf[19], 2);
	CHECK_EQ(buf[27], 100);     /* data_in_res_cnt */
	CHECK_EQ(buf[31], 18);      /* sense_data_len */
	CHECK_EQ(buf[38], 5);
	CHECK_EQ(srp_build_rsp(buf, (const uint8_t *)"ABCDEFGH", 0x04, 0, NULL,
			       0, 0, 0, 0), 36);
	CHECK_EQ(buf[1], 0);
	CHECK_EQ(buf[18], 0);
}

TEST(srp_rsp, tm_login_and_reject)
{
	uint8_t buf[SRP_MAX_IU_LEN];
	uint8_t req[64] = { SRP_LOGIN_REQ };

	CHECK_EQ(srp_build_tm_rsp(buf, (const uint8_t *)"TTTTTTTT", 4), 40);
	CHECK_EQ(buf[18], SRP_RSP_RSPVALID);
	CHECK_EQ(buf[19], 0);
	CHECK_EQ(buf[35], 4);
	CHECK_EQ(buf[39], 4);
	CHECK_EQ(srp_build_login_rsp(buf, (const uint8_t *)"LLLLLLLL", 64),
		 52);
	CHECK_EQ(buf[0], SRP_LOGIN_RSP);
	CHECK_EQ(buf[7], 64);
	CHECK_EQ(buf[18], 1);       /* max_it_iu_len 256 */
	CHECK_EQ(buf[25], 6);
	CHECK_EQ(srp_build_login_rej(buf, (const uint8_t *)"LLLLLLLL",
				     SRP_LOGIN_REJ_UNABLE), 32);
	CHECK_EQ(buf[0], SRP_LOGIN_REJ);
	CHECK_EQ(buf[5], 1);
	CHECK_EQ(srp_check_login(req, 63), SRP_LOGIN_REJ_UNABLE);
	put32(req + 16, 257);
	req[25] = 6;
	CHECK_EQ(srp_check_login(req, 64),
		 SRP_LOGIN_REJ_REQ_IT_IU_LENGTH_TOO_LARGE);
	put32(req + 16, 256);
	CHECK_EQ(srp_check_login(req, 64), 0);
	req[25] = 0x01;
	CHECK_EQ(srp_check_login(req, 64), SRP_LOGIN_REJ_UNSUPPORTED_BUF_FMT);
}

TEST(srp_mad, adapter_info)
{
	uint8_t info[VIOSRP_ADAPTER_INFO_LEN];

	srp_adapter_info(info, "lparvisor", 7, 1 << 20);
	CHECK(!memcmp(info, "16.a", 5));
	CHECK(!memcmp(info + 8, "lparvisor", 10));
	CHECK_EQ(info[107], 7);
	CHECK_EQ(info[111], 1);
	CHECK_EQ(info[115], 2);
	CHECK_EQ(info[117], 0x10);
}
