/*
 * The SCSI disk target (vio/scsi.c): every command it serves, CDB
 * decoding of LBA and length (overflow, beyond the end, 6-byte zero
 * count), sense data for what it refuses, and an absent unit.
 */
#include "vio/scsi.h"
#include "tests/unit/test.h"

#define BLOCKS 2048ull

static const struct scsi_lu rw = { .size = BLOCKS * SCSI_BLOCK,
				   .read_only = false, .name = "data",
				   .id = 3 };
static const struct scsi_lu ro = { .size = BLOCKS * SCSI_BLOCK,
				   .read_only = true, .name = "shared",
				   .id = 4 };

/* The sense key and ASC/ASCQ of a CHECK CONDITION result. */
static void check_sense(const struct scsi_result *r, uint8_t key,
			uint16_t asc)
{
	CHECK_EQ(r->status, SCSI_CHECK_CONDITION);
	CHECK_EQ(r->sense_len, SCSI_SENSE_LEN);
	CHECK_EQ(r->sense[0], 0x70);
	CHECK_EQ(r->sense[2], key);
	CHECK_EQ(r->sense[7], 10);
	CHECK_EQ((unsigned)(r->sense[12] << 8 | r->sense[13]), asc);
	CHECK_EQ(r->len, 0);
	CHECK(!r->media);
}

static uint8_t exec(const struct scsi_lu *lu, const uint8_t *cdb,
		    struct scsi_result *r)
{
	uint8_t c[16] = { 0 };

	memcpy(c, cdb, 16);
	return scsi_exec(lu, c, 16, r);
}

TEST(scsi, unknown_opcode_is_invalid_command)
{
	struct scsi_result r;
	uint8_t cdb[16] = { 0x04 }; /* FORMAT UNIT */

	exec(&rw, cdb, &r);
	check_sense(&r, SCSI_KEY_ILLEGAL_REQUEST, SCSI_ASC_INVALID_OPCODE);
	cdb[0] = 0xe0; /* vendor-specific group: no known length */
	exec(&rw, cdb, &r);
	check_sense(&r, SCSI_KEY_ILLEGAL_REQUEST, SCSI_ASC_INVALID_OPCODE);
}

TEST(scsi, short_cdb_refused)
{
	struct scsi_result r;
	uint8_t cdb[16] = { 0x88 }; /* READ(16) in a 10-byte buffer */

	scsi_exec(&rw, cdb, 10, &r);
	check_sense(&r, SCSI_KEY_ILLEGAL_REQUEST, SCSI_ASC_INVALID_OPCODE);
	scsi_exec(&rw, cdb, 3, &r);
	check_sense(&r, SCSI_KEY_ILLEGAL_REQUEST, SCSI_ASC_INVALID_OPCODE);
}

TEST(scsi, absent_unit)
{
	struct scsi_result r;
	uint8_t inq[16] = { 0x12, 0, 0, 0, 96 };
	uint8_t tur[16] = { 0x00 };
	uint8_t vpd[16] = { 0x12, 1, 0x80, 0, 96 };

	CHECK_EQ(exec(NULL, inq, &r), SCSI_GOOD);
	CHECK_EQ(r.buf[0], 0x7f); /* peripheral qualifier 3 */
	CHECK_EQ(r.len, 36);
	exec(NULL, tur, &r);
	check_sense(&r, SCSI_KEY_ILLEGAL_REQUEST, SCSI_ASC_LUN_NOT_SUPPORTED);
	exec(NULL, vpd, &r);
	check_sense(&r, SCSI_KEY_ILLEGAL_REQUEST, SCSI_ASC_LUN_NOT_SUPPORTED);
}

TEST(scsi, inquiry_standard_and_allocation_length)
{
	struct scsi_result r;
	uint8_t cdb[16] = { 0x12, 0, 0, 0, 5 };

	CHECK_EQ(exec(&rw, cdb, &r), SCSI_GOOD);
	CHECK_EQ(r.dir, SCSI_DIR_IN);
	CHECK_EQ(r.len, 5);
	CHECK_EQ(r.full_len, 36);
	CHECK_EQ(r.buf[0], 0x00);
	CHECK_EQ(r.buf[2], 0x06);
	CHECK_EQ(r.buf[4], 31);
	CHECK(!memcmp(r.buf + 8, "LPARVSR ", 8));
	cdb[2] = 0x80; /* page code without EVPD */
	exec(&rw, cdb, &r);
	check_sense(&r, SCSI_KEY_ILLEGAL_REQUEST,
		    SCSI_ASC_INVALID_FIELD_IN_CDB);
}

TEST(scsi, inquiry_vpd_pages)
{
	struct scsi_result r;
	uint8_t cdb[16] = { 0x12, 1, 0x00, 0, 255 };

	CHECK_EQ(exec(&rw, cdb, &r), SCSI_GOOD);
	CHECK_EQ(r.len, 7);
	CHECK_EQ(r.buf[1], 0x00);
	CHECK_EQ(r.buf[3], 3);
	CHECK_EQ(r.buf[4], 0x00);
	CHECK_EQ(r.buf[5], 0x80);
	CHECK_EQ(r.buf[6], 0x83);
	cdb[2] = 0x80;
	CHECK_EQ(exec(&rw, cdb, &r), SCSI_GOOD);
	CHECK_EQ(r.len, 20);
	CHECK(!memcmp(r.buf + 4, "data            ", 16));
	cdb[2] = 0x83;
	CHECK_EQ(exec(&rw, cdb, &r), SCSI_GOOD);
	CHECK_EQ(r.len, 52);
	CHECK_EQ(r.buf[3], 48);
	CHECK_EQ(r.buf[5] & 0xf, 3);   /* NAA */
	CHECK_EQ(r.buf[8] >> 4, 6);
	CHECK_EQ(r.buf[23], 3);        /* the unit's id */
	CHECK_EQ(r.buf[25] & 0xf, 1);  /* T10 vendor id */
	cdb[2] = 0xb0;                 /* block limits: not offered */
	exec(&rw, cdb, &r);
	check_sense(&r, SCSI_KEY_ILLEGAL_REQUEST,
		    SCSI_ASC_INVALID_FIELD_IN_CDB);
}

TEST(scsi, report_luns_lists_lun_0)
{
	struct scsi_result r;
	uint8_t cdb[16] = { 0xa0, 0, 0, 0, 0, 0, 0, 0, 1, 0 };

	CHECK_EQ(exec(&rw, cdb, &r), SCSI_GOOD);
	CHECK_EQ(r.len, 16);
	CHECK_EQ(r.buf[3], 8);
	for (int i = 8; i < 16; i++) {
		CHECK_EQ(r.buf[i], 0);
	}
	cdb[8] = 0;
	cdb[9] = 15; /* SPC-4: an allocation length below 16 is invalid */
	exec(&rw, cdb, &r);
	check_sense(&r, SCSI_KEY_ILLEGAL_REQUEST,
		    SCSI_ASC_INVALID_FIELD_IN_CDB);
}

TEST(scsi, tur_start_stop_request_sense)
{
	struct scsi_result r;
	uint8_t tur[16] = { 0x00 };
	uint8_t ssu[16] = { 0x1b, 0, 0, 0, 1 };
	uint8_t rs[16] = { 0x03, 0, 0, 0, 252 };

	CHECK_EQ(exec(&rw, tur, &r), SCSI_GOOD);
	CHECK_EQ(r.len, 0);
	CHECK_EQ(exec(&rw, ssu, &r), SCSI_GOOD);
	CHECK_EQ(exec(&rw, rs, &r), SCSI_GOOD);
	CHECK_EQ(r.len, 18);
	CHECK_EQ(r.buf[0], 0x70);
	CHECK_EQ(r.buf[2], SCSI_KEY_NO_SENSE);
	rs[1] = 1; /* descriptor format */
	exec(&rw, rs, &r);
	check_sense(&r, SCSI_KEY_ILLEGAL_REQUEST,
		    SCSI_ASC_INVALID_FIELD_IN_CDB);
}

TEST(scsi, read_capacity_10_and_16)
{
	struct scsi_result r;
	uint8_t rc10[16] = { 0x25 };
	uint8_t rc16[16] = { 0x9e, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32 };

	CHECK_EQ(exec(&rw, rc10, &r), SCSI_GOOD);
	CHECK_EQ(r.len, 8);
	CHECK_EQ((unsigned)(r.buf[2] << 8 | r.buf[3]), BLOCKS - 1);
	CHECK_EQ((unsigned)(r.buf[6] << 8 | r.buf[7]), SCSI_BLOCK);
	CHECK_EQ(exec(&rw, rc16, &r), SCSI_GOOD);
	CHECK_EQ(r.len, 32);
	CHECK_EQ((unsigned)(r.buf[6] << 8 | r.buf[7]), BLOCKS - 1);
	CHECK_EQ((unsigned)(r.buf[10] << 8 | r.buf[11]), SCSI_BLOCK);
	rc16[1] = 0x11; /* another service action */
	exec(&rw, rc16, &r);
	check_sense(&r, SCSI_KEY_ILLEGAL_REQUEST, SCSI_ASC_INVALID_OPCODE);
}

TEST(scsi, read_capacity_10_saturates_above_2tib)
{
	struct scsi_lu big = rw;
	struct scsi_result r;
	uint8_t rc10[16] = { 0x25 };

	big.size = (1ull << 33) * SCSI_BLOCK;
	CHECK_EQ(exec(&big, rc10, &r), SCSI_GOOD);
	for (int i = 0; i < 4; i++) {
		CHECK_EQ(r.buf[i], 0xff);
	}
}

TEST(scsi, rw_decodes_lba_and_length)
{
	struct scsi_result r;
	uint8_t r6[16] = { 0x08, 0x01, 0x02, 0x03, 0 };
	uint8_t r10[16] = { 0x28, 0, 0, 0, 0x01, 0x00, 0, 0x00, 0x10 };
	uint8_t w16[16] = { 0x8a, 0, 0, 0, 0, 0, 0, 0, 0x07, 0xf0, 0, 0, 0,
			    0x10 };

	/* READ(6): 21-bit LBA 0x10203 is beyond 2048 blocks. */
	exec(&rw, r6, &r);
	check_sense(&r, SCSI_KEY_ILLEGAL_REQUEST, SCSI_ASC_LBA_OUT_OF_RANGE);
	r6[1] = 0;
	r6[2] = 0;
	r6[3] = 8;
	CHECK_EQ(exec(&rw, r6, &r), SCSI_GOOD);
	CHECK(r.media);
	CHECK_EQ(r.dir, SCSI_DIR_IN);
	CHECK_EQ(r.offset, 8 * SCSI_BLOCK);
	CHECK_EQ(r.len, 256 * SCSI_BLOCK); /* count 0 is 256 */
	CHECK_EQ(exec(&rw, r10, &r), SCSI_GOOD);
	CHECK_EQ(r.offset, 0x100ull * SCSI_BLOCK);
	CHECK_EQ(r.len, 0x10ull * SCSI_BLOCK);
	CHECK_EQ(exec(&rw, w16, &r), SCSI_GOOD);
	CHECK_EQ(r.dir, SCSI_DIR_OUT);
	CHECK_EQ(r.offset, 0x7f0ull * SCSI_BLOCK);
	CHECK_EQ(r.len, 0x10ull * SCSI_BLOCK); /* exactly to the end */
}

TEST(scsi, rw_beyond_end_and_overflow)
{
	struct scsi_result r;
	uint8_t r10[16] = { 0x28, 0, 0, 0, 0x07, 0xf0, 0, 0, 0x11 };
	uint8_t r16[16] = { 0x88, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
			    0xff, 0, 0, 0, 2 };
	uint8_t r16b[16] = { 0x88, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xff, 0xff,
			     0xff, 0xff };

	exec(&rw, r10, &r); /* one block past the end */
	check_sense(&r, SCSI_KEY_ILLEGAL_REQUEST, SCSI_ASC_LBA_OUT_OF_RANGE);
	exec(&rw, r16, &r); /* LBA + count wraps 64 bits */
	check_sense(&r, SCSI_KEY_ILLEGAL_REQUEST, SCSI_ASC_LBA_OUT_OF_RANGE);
	exec(&rw, r16b, &r); /* count 2^32-1 */
	check_sense(&r, SCSI_KEY_ILLEGAL_REQUEST, SCSI_ASC_LBA_OUT_OF_RANGE);
	/* A zero-length READ(10) at the very end is fine and moves nothing. */
	r10[4] = 0x08;
	r10[5] = 0x00;
	r10[8] = 0;
	CHECK_EQ(exec(&rw, r10, &r), SCSI_GOOD);
	CHECK_EQ(r.len, 0);
	CHECK_EQ(r.dir, SCSI_DIR_NONE);
}

TEST(scsi, write_to_read_only_is_data_protect)
{
	struct scsi_result r;
	uint8_t w10[16] = { 0x2a, 0, 0, 0, 0, 0, 0, 0, 1 };
	uint8_t r10[16] = { 0x28, 0, 0, 0, 0, 0, 0, 0, 1 };

	exec(&ro, w10, &r);
	check_sense(&r, SCSI_KEY_DATA_PROTECT, SCSI_ASC_WRITE_PROTECTED);
	CHECK_EQ(exec(&ro, r10, &r), SCSI_GOOD);
	CHECK_EQ(exec(&rw, w10, &r), SCSI_GOOD);
}

TEST(scsi, mode_sense_6_and_10)
{
	struct scsi_result r;
	uint8_t ms6[16] = { 0x1a, 0, 0x3f, 0, 192 };
	uint8_t ms10[16] = { 0x5a, 0x08, 0x08, 0, 0, 0, 0, 0, 255 };

	CHECK_EQ(exec(&ro, ms6, &r), SCSI_GOOD);
	CHECK_EQ(r.len, 4 + 8 + 20);
	CHECK_EQ(r.buf[0], 31);
	CHECK_EQ(r.buf[2], 0x80);  /* write protected */
	CHECK_EQ(r.buf[3], 8);
	CHECK_EQ(r.buf[12], 0x08); /* caching page */
	CHECK_EQ(exec(&rw, ms10, &r), SCSI_GOOD); /* DBD */
	CHECK_EQ(r.len, 8 + 20);
	CHECK_EQ(r.buf[1], 26);
	CHECK_EQ(r.buf[3], 0);
	CHECK_EQ(r.buf[7], 0);
	CHECK_EQ(r.buf[8], 0x08);
	ms6[2] = 0x1c; /* a page not offered */
	exec(&rw, ms6, &r);
	check_sense(&r, SCSI_KEY_ILLEGAL_REQUEST,
		    SCSI_ASC_INVALID_FIELD_IN_CDB);
	ms6[2] = 0xc8; /* saved values */
	exec(&rw, ms6, &r);
	check_sense(&r, SCSI_KEY_ILLEGAL_REQUEST,
		    SCSI_ASC_SAVING_NOT_SUPPORTED);
}

TEST(scsi, synchronize_cache_checks_range)
{
	struct scsi_result r;
	uint8_t s10[16] = { 0x35 };
	uint8_t s16[16] = { 0x91, 0, 0, 0, 0, 0, 0, 0, 0x08, 0x01 };

	CHECK_EQ(exec(&rw, s10, &r), SCSI_GOOD);
	CHECK_EQ(r.len, 0);
	exec(&rw, s16, &r);
	check_sense(&r, SCSI_KEY_ILLEGAL_REQUEST, SCSI_ASC_LBA_OUT_OF_RANGE);
}
