/*
 * The SCSI disk target (vio/scsi.h).  Command set and replies after
 * SPC-4 and SBC-3; the standard INQUIRY says SPC-4 (version 6) as
 * QEMU 7.2's scsi-hd does, so that Linux asks REPORT LUNS and READ
 * CAPACITY (16).  Every length and LBA from the CDB is checked before it
 * is used; 64-bit LBA + length overflow is LBA OUT OF RANGE.
 */
#include "hv/lib/string.h"
#include "vio/scsi.h"

/* Operation codes (SPC-4, SBC-3). */
enum {
	OP_TEST_UNIT_READY = 0x00,
	OP_REQUEST_SENSE = 0x03,
	OP_READ_6 = 0x08,
	OP_WRITE_6 = 0x0a,
	OP_INQUIRY = 0x12,
	OP_MODE_SENSE_6 = 0x1a,
	OP_START_STOP_UNIT = 0x1b,
	OP_READ_CAPACITY_10 = 0x25,
	OP_READ_10 = 0x28,
	OP_WRITE_10 = 0x2a,
	OP_SYNCHRONIZE_CACHE_10 = 0x35,
	OP_MODE_SENSE_10 = 0x5a,
	OP_READ_16 = 0x88,
	OP_WRITE_16 = 0x8a,
	OP_SYNCHRONIZE_CACHE_16 = 0x91,
	OP_SERVICE_ACTION_IN_16 = 0x9e,
	OP_REPORT_LUNS = 0xa0,
};
#define SAI_READ_CAPACITY_16 0x10

/* The CDB length its group code implies (SPC-4 4.2.5.1); 0: unknown. */
static uint32_t cdb_size(uint8_t op)
{
	switch (op >> 5) {
	case 0:
		return 6;
	case 1:
	case 2:
		return 10;
	case 4:
		return 16;
	case 5:
		return 12;
	default:
		return 0;
	}
}

void scsi_check(struct scsi_result *r, uint8_t key, uint16_t asc_ascq)
{
	memset(r->sense, 0, sizeof(r->sense));
	r->sense[0] = 0x70;            /* current error, fixed format */
	r->sense[2] = key;
	r->sense[7] = SCSI_SENSE_LEN - 8; /* additional sense length */
	r->sense[12] = (uint8_t)(asc_ascq >> 8);
	r->sense[13] = (uint8_t)asc_ascq;
	r->sense_len = SCSI_SENSE_LEN;
	r->status = SCSI_CHECK_CONDITION;
	r->dir = SCSI_DIR_NONE;
	r->media = false;
	r->len = 0;
	r->full_len = 0;
}

/* A reply of `full` bytes built in r->buf, cut to `alloc` bytes. */
static uint8_t reply(struct scsi_result *r, uint64_t full, uint64_t alloc)
{
	r->dir = SCSI_DIR_IN;
	r->full_len = full;
	r->len = full < alloc ? full : alloc;
	return r->status;
}

static uint64_t blocks(const struct scsi_lu *lu)
{
	return lu->size / SCSI_BLOCK;
}

/* Standard INQUIRY data (SPC-4 6.4.2), 36 bytes. */
static uint32_t inquiry_std(const struct scsi_lu *lu, uint8_t *b)
{
	memset(b, 0, 36);
	b[0] = lu ? 0x00 : 0x7f;  /* direct access, or PQ 3: no unit here */
	b[2] = 0x06;              /* SPC-4 */
	b[3] = 0x02;              /* response data format 2 */
	b[4] = 36 - 5;            /* additional length */
	b[7] = 0x02;              /* CMDQUE */
	memcpy(b + 8, "LPARVSR ", 8);
	memcpy(b + 16, "VDISK           ", 16);
	memcpy(b + 32, "1.0 ", 4);
	return 36;
}

/* The unit serial: the disk's name, space padded to 16 bytes. */
static void serial(const struct scsi_lu *lu, uint8_t *b)
{
	size_t n = strlen(lu->name);

	memset(b, ' ', 16);
	memcpy(b, lu->name, n < 16 ? n : 16);
}

/* VPD pages (SPC-4 7.8): 0x00 supported pages, 0x80 serial, 0x83 ids. */
static bool inquiry_vpd(const struct scsi_lu *lu, uint8_t page, uint8_t *b,
			uint32_t *len)
{
	memset(b, 0, 64);
	b[1] = page;
	switch (page) {
	case 0x00:
		b[3] = 3;
		b[4] = 0x00;
		b[5] = 0x80;
		b[6] = 0x83;
		*len = 7;
		return true;
	case 0x80:
		b[3] = 16;
		serial(lu, b + 4);
		*len = 20;
		return true;
	case 0x83:
		/* An NAA IEEE Registered identifier (locally made up, NAA 6
		 * with a zero OUI) and a T10 vendor id with the serial. */
		b[4] = 0x01;      /* code set binary */
		b[5] = 0x03;      /* association LU, type NAA */
		b[7] = 16;
		b[8] = 0x60;
		put_be32(b + 16, 0x4c504152); /* "LPAR" */
		put_be32(b + 20, lu->id);
		b[24] = 0x02;     /* code set ASCII */
		b[25] = 0x01;     /* association LU, type T10 vendor id */
		b[27] = 24;
		memcpy(b + 28, "LPARVSR ", 8);
		serial(lu, b + 36);
		b[3] = 48;
		*len = 52;
		return true;
	default:
		return false;
	}
}

static uint8_t do_inquiry(const struct scsi_lu *lu, const uint8_t *cdb,
			  struct scsi_result *r)
{
	uint32_t alloc = get_be16(cdb + 3);
	uint32_t len;

	if (cdb[1] & 0x01) {
		if (!lu) {
			scsi_check(r, SCSI_KEY_ILLEGAL_REQUEST,
				   SCSI_ASC_LUN_NOT_SUPPORTED);
			return r->status;
		}
		if (!inquiry_vpd(lu, cdb[2], r->buf, &len)) {
			scsi_check(r, SCSI_KEY_ILLEGAL_REQUEST,
				   SCSI_ASC_INVALID_FIELD_IN_CDB);
			return r->status;
		}
		return reply(r, len, alloc);
	}
	if (cdb[2] != 0) {
		scsi_check(r, SCSI_KEY_ILLEGAL_REQUEST,
			   SCSI_ASC_INVALID_FIELD_IN_CDB);
		return r->status;
	}
	return reply(r, inquiry_std(lu, r->buf), alloc);
}

/* REPORT LUNS (SPC-4 6.33): the target has one unit, LUN 0. */
static uint8_t do_report_luns(const struct scsi_lu *lu, const uint8_t *cdb,
			      struct scsi_result *r)
{
	uint32_t alloc = get_be32(cdb + 6);
	uint32_t n = lu ? 1 : 0;

	if (alloc < 16) {
		scsi_check(r, SCSI_KEY_ILLEGAL_REQUEST,
			   SCSI_ASC_INVALID_FIELD_IN_CDB);
		return r->status;
	}
	memset(r->buf, 0, 8 + 8 * n);
	put_be32(r->buf, 8 * n);
	return reply(r, 8 + 8 * n, alloc);
}

/* MODE SENSE (6)/(10) (SPC-4 6.11, 6.12): a block descriptor unless DBD,
 * and the caching page (0x08, write cache off) for pages 0x08 and 0x3f. */
static uint8_t do_mode_sense(const struct scsi_lu *lu, const uint8_t *cdb,
			     bool ten, struct scsi_result *r)
{
	uint8_t page = cdb[2] & 0x3f;
	uint8_t pc = cdb[2] >> 6;
	uint32_t alloc = ten ? get_be16(cdb + 7) : cdb[4];
	uint32_t hdr = ten ? 8 : 4;
	bool dbd = cdb[1] & 0x08;
	uint64_t nb = blocks(lu);
	uint8_t *b = r->buf;
	uint32_t len = hdr;

	if (pc == 3) {
		scsi_check(r, SCSI_KEY_ILLEGAL_REQUEST,
			   SCSI_ASC_SAVING_NOT_SUPPORTED);
		return r->status;
	}
	if (page != 0x08 && page != 0x3f) {
		scsi_check(r, SCSI_KEY_ILLEGAL_REQUEST,
			   SCSI_ASC_INVALID_FIELD_IN_CDB);
		return r->status;
	}
	memset(b, 0, 64);
	if (!dbd) {
		put_be32(b + len, nb > 0xffffffffull ? 0xffffffffu :
			 (uint32_t)nb);
		put_be32(b + len + 4, SCSI_BLOCK);
		len += 8;
	}
	b[len] = 0x08;        /* caching page */
	b[len + 1] = 0x12;
	len += 20;
	if (ten) {
		put_be16(b, len - 2);
		b[3] = lu->read_only ? 0x80 : 0; /* WP */
		b[7] = dbd ? 0 : 8;
	} else {
		b[0] = (uint8_t)(len - 1);
		b[2] = lu->read_only ? 0x80 : 0;
		b[3] = dbd ? 0 : 8;
	}
	return reply(r, len, alloc);
}

static uint8_t do_read_capacity(const struct scsi_lu *lu, const uint8_t *cdb,
				bool sixteen, struct scsi_result *r)
{
	uint64_t last = blocks(lu) - 1;

	memset(r->buf, 0, 32);
	if (!sixteen) {
		put_be32(r->buf, last > 0xffffffffull ? 0xffffffffu :
			 (uint32_t)last);
		put_be32(r->buf + 4, SCSI_BLOCK);
		return reply(r, 8, 8);
	}
	put_be64(r->buf, last);
	put_be32(r->buf + 8, SCSI_BLOCK);
	return reply(r, 32, get_be32(cdb + 10));
}

/* READ/WRITE (6)/(10)/(16): the LBA and count decoded, checked against
 * the unit, and handed to the caller as a media transfer. */
static uint8_t do_rw(const struct scsi_lu *lu, const uint8_t *cdb,
		     struct scsi_result *r)
{
	bool write = cdb[0] == OP_WRITE_6 || cdb[0] == OP_WRITE_10 ||
		     cdb[0] == OP_WRITE_16;
	uint64_t lba, count;

	switch (cdb_size(cdb[0])) {
	case 6:
		lba = (uint64_t)(cdb[1] & 0x1f) << 16 | get_be16(cdb + 2);
		count = cdb[4] ? cdb[4] : 256; /* 0 means 256 (SBC-3) */
		break;
	case 10:
		lba = get_be32(cdb + 2);
		count = get_be16(cdb + 7);
		break;
	default:
		lba = get_be64(cdb + 2);
		count = get_be32(cdb + 10);
		break;
	}
	if (lba > blocks(lu) || count > blocks(lu) - lba) {
		scsi_check(r, SCSI_KEY_ILLEGAL_REQUEST,
			   SCSI_ASC_LBA_OUT_OF_RANGE);
		return r->status;
	}
	if (write && lu->read_only) {
		scsi_check(r, SCSI_KEY_DATA_PROTECT, SCSI_ASC_WRITE_PROTECTED);
		return r->status;
	}
	r->media = true;
	r->dir = count ? (write ? SCSI_DIR_OUT : SCSI_DIR_IN) : SCSI_DIR_NONE;
	r->offset = lba * SCSI_BLOCK;
	r->len = count * SCSI_BLOCK;
	r->full_len = r->len;
	return r->status;
}

/* SYNCHRONIZE CACHE: the disk is memory, nothing to flush; the range is
 * still checked as SBC-3 asks. */
static uint8_t do_sync(const struct scsi_lu *lu, const uint8_t *cdb,
		       struct scsi_result *r)
{
	bool sixteen = cdb[0] == OP_SYNCHRONIZE_CACHE_16;
	uint64_t lba = sixteen ? get_be64(cdb + 2) : get_be32(cdb + 2);
	uint64_t count = sixteen ? get_be32(cdb + 10) : get_be16(cdb + 7);

	if (lba > blocks(lu) || count > blocks(lu) - lba) {
		scsi_check(r, SCSI_KEY_ILLEGAL_REQUEST,
			   SCSI_ASC_LBA_OUT_OF_RANGE);
	}
	return r->status;
}

/* REQUEST SENSE: sense is always returned with the failing command
 * (autosense), so nothing is pending: NO SENSE. */
static uint8_t do_request_sense(const uint8_t *cdb, struct scsi_result *r)
{
	if (cdb[1] & 0x01) { /* descriptor format: not offered */
		scsi_check(r, SCSI_KEY_ILLEGAL_REQUEST,
			   SCSI_ASC_INVALID_FIELD_IN_CDB);
		return r->status;
	}
	memset(r->buf, 0, SCSI_SENSE_LEN);
	r->buf[0] = 0x70;
	r->buf[7] = SCSI_SENSE_LEN - 8;
	return reply(r, SCSI_SENSE_LEN, cdb[4]);
}

static uint8_t exec_unit(const struct scsi_lu *lu, const uint8_t *cdb,
			 struct scsi_result *r)
{
	switch (cdb[0]) {
	case OP_TEST_UNIT_READY:
	case OP_START_STOP_UNIT:
		return r->status;
	case OP_READ_6:
	case OP_WRITE_6:
	case OP_READ_10:
	case OP_WRITE_10:
	case OP_READ_16:
	case OP_WRITE_16:
		return do_rw(lu, cdb, r);
	case OP_MODE_SENSE_6:
		return do_mode_sense(lu, cdb, false, r);
	case OP_MODE_SENSE_10:
		return do_mode_sense(lu, cdb, true, r);
	case OP_READ_CAPACITY_10:
		return do_read_capacity(lu, cdb, false, r);
	case OP_SERVICE_ACTION_IN_16:
		if ((cdb[1] & 0x1f) == SAI_READ_CAPACITY_16) {
			return do_read_capacity(lu, cdb, true, r);
		}
		break;
	case OP_SYNCHRONIZE_CACHE_10:
	case OP_SYNCHRONIZE_CACHE_16:
		return do_sync(lu, cdb, r);
	default:
		break;
	}
	scsi_check(r, SCSI_KEY_ILLEGAL_REQUEST, SCSI_ASC_INVALID_OPCODE);
	return r->status;
}

uint8_t scsi_exec(const struct scsi_lu *lu, const uint8_t *cdb,
		  uint32_t cdb_len, struct scsi_result *r)
{
	uint32_t need;

	memset(r, 0, sizeof(*r));
	r->status = SCSI_GOOD;
	if (cdb_len < 6) {
		scsi_check(r, SCSI_KEY_ILLEGAL_REQUEST,
			   SCSI_ASC_INVALID_OPCODE);
		return r->status;
	}
	need = cdb_size(cdb[0]);
	if (need == 0 || need > cdb_len) {
		scsi_check(r, SCSI_KEY_ILLEGAL_REQUEST,
			   SCSI_ASC_INVALID_OPCODE);
		return r->status;
	}
	switch (cdb[0]) {
	case OP_INQUIRY:
		return do_inquiry(lu, cdb, r);
	case OP_REPORT_LUNS:
		return do_report_luns(lu, cdb, r);
	case OP_REQUEST_SENSE:
		return do_request_sense(cdb, r);
	default:
		break;
	}
	if (!lu) {
		scsi_check(r, SCSI_KEY_ILLEGAL_REQUEST,
			   SCSI_ASC_LUN_NOT_SUPPORTED);
		return r->status;
	}
	return exec_unit(lu, cdb, r);
}
