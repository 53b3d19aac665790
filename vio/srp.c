/*
 * SRP IUs of the v-scsi transport (vio/srp.h).  Offsets are those of
 * Linux 6.1 include/scsi/srp.h (struct srp_cmd, srp_rsp, srp_login_req,
 * srp_login_rsp, srp_login_rej, srp_indirect_buf) and viosrp.h
 * (struct mad_adapter_info_data), which QEMU 7.2 hw/scsi/srp.h and
 * viosrp.h repeat.
 */
#include "hv/lib/string.h"
#include "vio/srp.h"

/* SRP_CMD offsets. */
#define CMD_SOL_NOT 1
#define CMD_BUF_FMT 5
#define CMD_OUT_CNT 6
#define CMD_IN_CNT 7
#define CMD_TAG 8
#define CMD_LUN 20
#define CMD_ADD_CDB_LEN 31
#define CMD_CDB 32
#define CMD_ADD_DATA 48
/* struct srp_indirect_buf: table descriptor, total length, local list. */
#define IND_TOTAL_LEN 16
#define IND_LIST 20

static struct srp_desc desc_at(const uint8_t *p)
{
	struct srp_desc d = { .va = get_be64(p), .len = get_be32(p + 12) };

	return d;
}

/* Bytes the descriptors of format `fmt` with `count` local ones take. */
static uint32_t desc_bytes(uint8_t fmt, uint32_t count)
{
	switch (fmt) {
	case SRP_FMT_DIRECT:
		return SRP_DESC_SIZE;
	case SRP_FMT_INDIRECT:
		return IND_LIST + count * SRP_DESC_SIZE;
	default:
		return 0;
	}
}

/* The descriptors of one direction at IU offset `off`. */
static enum srp_err parse_data(const uint8_t *iu, uint32_t len, uint8_t fmt,
			       uint32_t count, uint32_t off, struct srp_data *d)
{
	memset(d, 0, sizeof(*d));
	d->fmt = fmt;
	if (fmt == SRP_FMT_NONE) {
		return SRP_OK;
	}
	if (off > len || desc_bytes(fmt, count) > len - off) {
		return SRP_E_DESC;
	}
	if (fmt == SRP_FMT_DIRECT) {
		d->local_off = off;
		d->local_count = 1;
		d->total_count = 1;
		return SRP_OK;
	}
	d->table = desc_at(iu + off);
	d->total_len = get_be32(iu + off + IND_TOTAL_LEN);
	d->local_off = off + IND_LIST;
	d->local_count = count;
	/* The table's length says how many there are (QEMU, libsrp). */
	d->total_count = d->table.len / SRP_DESC_SIZE;
	if (d->total_count == 0 || d->total_count > SRP_MAX_DESC) {
		return SRP_E_DESC;
	}
	return SRP_OK;
}

enum srp_err srp_parse_cmd(const uint8_t *iu, uint32_t len,
			   struct srp_cmd *c)
{
	uint8_t out_fmt, in_fmt;
	uint32_t off;

	memset(c, 0, sizeof(*c));
	if (len < CMD_ADD_DATA) {
		return SRP_E_SHORT;
	}
	memcpy(c->tag, iu + CMD_TAG, 8);
	c->lun = get_be64(iu + CMD_LUN);
	memcpy(c->cdb, iu + CMD_CDB, 16);
	c->sol_not = iu[CMD_SOL_NOT];
	out_fmt = iu[CMD_BUF_FMT] >> 4;
	in_fmt = iu[CMD_BUF_FMT] & 0xf;
	if (out_fmt > SRP_FMT_INDIRECT || in_fmt > SRP_FMT_INDIRECT ||
	    (out_fmt && in_fmt)) {
		return SRP_E_FORMAT;
	}
	/* Additional CDB bytes (length in bits 7-2) precede the data-out
	 * descriptors; lparvisor serves only 16-byte CDBs and skips them. */
	off = CMD_ADD_DATA + (iu[CMD_ADD_CDB_LEN] & 0xfc);
	c->out = out_fmt != SRP_FMT_NONE;
	if (c->out) {
		return parse_data(iu, len, out_fmt, iu[CMD_OUT_CNT], off,
				  &c->data);
	}
	/* Data-in descriptors follow the (absent) data-out ones. */
	return parse_data(iu, len, in_fmt, iu[CMD_IN_CNT], off, &c->data);
}

int srp_read_descs(const struct srp_data *d, const uint8_t *src,
		   uint32_t src_len, bool from_table, struct srp_desc *out,
		   uint32_t max)
{
	uint32_t n = from_table ? d->total_count : d->local_count;
	uint32_t off = from_table ? 0 : d->local_off;

	if (d->fmt == SRP_FMT_INDIRECT && !from_table &&
	    d->total_count < n) {
		n = d->total_count; /* the table says fewer: it wins */
	}
	if (n > max) {
		n = max;
	}
	if (off > src_len || (uint64_t)n * SRP_DESC_SIZE > src_len - off) {
		return -1;
	}
	for (uint32_t i = 0; i < n; i++) {
		out[i] = desc_at(src + off + i * SRP_DESC_SIZE);
	}
	return (int)n;
}

uint32_t srp_build_rsp(uint8_t *buf, const uint8_t tag[8], uint8_t sol_not,
		       uint8_t status, const uint8_t *sense,
		       uint32_t sense_len, uint8_t flags, uint32_t resid_in,
		       uint32_t resid_out)
{
	memset(buf, 0, 36);
	buf[0] = SRP_RSP;
	/* Solicited notification as the request asked: bit 2 of its
	 * sol_not for a failure, bit 1 for success (SRP, QEMU). */
	buf[1] = status ? (sol_not & 0x04) >> 2 : (sol_not & 0x02) >> 1;
	put_be32(buf + 4, 1);
	memcpy(buf + 8, tag, 8);
	if (sense_len) {
		flags |= SRP_RSP_SNSVALID;
		memcpy(buf + 36, sense, sense_len);
	}
	buf[18] = flags;
	buf[19] = status;
	put_be32(buf + 20, resid_out);
	put_be32(buf + 24, resid_in);
	put_be32(buf + 28, sense_len);
	return 36 + sense_len;
}

uint32_t srp_build_tm_rsp(uint8_t *buf, const uint8_t tag[8], uint8_t code)
{
	memset(buf, 0, 40);
	buf[0] = SRP_RSP;
	put_be32(buf + 4, 1);
	memcpy(buf + 8, tag, 8);
	buf[18] = SRP_RSP_RSPVALID;
	put_be32(buf + 32, 4);
	buf[39] = code;
	return 40;
}

uint32_t srp_build_login_rsp(uint8_t *buf, const uint8_t tag[8],
			     uint32_t req_lim)
{
	memset(buf, 0, 52);
	buf[0] = SRP_LOGIN_RSP;
	put_be32(buf + 4, req_lim);
	memcpy(buf + 8, tag, 8);
	put_be32(buf + 16, SRP_MAX_IU_LEN);
	put_be32(buf + 20, SRP_MAX_IU_LEN);
	put_be16(buf + 24, SRP_BUF_FORMAT_DIRECT | SRP_BUF_FORMAT_INDIRECT);
	return 52;
}

uint32_t srp_build_login_rej(uint8_t *buf, const uint8_t tag[8],
			     uint32_t reason)
{
	memset(buf, 0, 32);
	buf[0] = SRP_LOGIN_REJ;
	put_be32(buf + 4, reason);
	memcpy(buf + 8, tag, 8);
	put_be16(buf + 24, SRP_BUF_FORMAT_DIRECT | SRP_BUF_FORMAT_INDIRECT);
	return 32;
}

uint32_t srp_check_login(const uint8_t *iu, uint32_t len)
{
	if (len < 64) {
		return SRP_LOGIN_REJ_UNABLE;
	}
	if (get_be32(iu + 16) > SRP_MAX_IU_LEN) {
		return SRP_LOGIN_REJ_REQ_IT_IU_LENGTH_TOO_LARGE;
	}
	if (!(get_be16(iu + 24) &
	      (SRP_BUF_FORMAT_DIRECT | SRP_BUF_FORMAT_INDIRECT))) {
		return SRP_LOGIN_REJ_UNSUPPORTED_BUF_FMT;
	}
	return 0;
}

void srp_adapter_info(uint8_t out[VIOSRP_ADAPTER_INFO_LEN], const char *name,
		      uint32_t number, uint32_t max_xfer)
{
	size_t n = strlen(name);

	memset(out, 0, VIOSRP_ADAPTER_INFO_LEN);
	memcpy(out, "16.a", 4);
	memcpy(out + 8, name, n < 95 ? n : 95);
	put_be32(out + 104, number);
	put_be32(out + 108, 1);   /* mad_version */
	put_be32(out + 112, 2);   /* os_type: Linux */
	put_be32(out + 116, max_xfer);
}
