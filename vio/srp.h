/*
 * SRP information units over the v-scsi CRQ: the request IUs a Linux
 * ibmvscsi client sends (SRP_LOGIN_REQ, SRP_CMD, SRP_TSK_MGMT,
 * SRP_I_LOGOUT, and the VIOSRP MADs), the responses lparvisor's target
 * builds, and the data-buffer descriptors of SRP_CMD (direct and
 * indirect).  Layouts after the SRP standard (T10 SRP r16a) as Linux 6.1
 * include/scsi/srp.h and include/scsi/viosrp.h lay them out; every field
 * is big-endian except the 8-byte tag, which is copied back raw.
 *
 * Pure logic over a copy of the IU in hypervisor memory: every length
 * and count is checked against the copy before use.
 */
#ifndef VIO_SRP_H
#define VIO_SRP_H

#include "hv/lib/types.h"

#define SRP_MAX_IU_LEN 256u     /* the IU size lparvisor accepts and grants */
#define SRP_MAX_DESC 256u       /* data descriptors of one command */
#define SRP_DESC_SIZE 16u       /* struct srp_direct_buf */

/* IU opcodes (byte 0). */
#define SRP_LOGIN_REQ 0x00
#define SRP_TSK_MGMT 0x01
#define SRP_CMD 0x02
#define SRP_I_LOGOUT 0x03
#define SRP_LOGIN_RSP 0xc0
#define SRP_RSP 0xc1
#define SRP_LOGIN_REJ 0xc2

/* Buffer formats of SRP_CMD's buf_fmt nibbles and the login's bits. */
#define SRP_FMT_NONE 0
#define SRP_FMT_DIRECT 1
#define SRP_FMT_INDIRECT 2
#define SRP_BUF_FORMAT_DIRECT 0x0002
#define SRP_BUF_FORMAT_INDIRECT 0x0004

/* SRP_RSP flags (byte 18). */
#define SRP_RSP_RSPVALID 0x01
#define SRP_RSP_SNSVALID 0x02
#define SRP_RSP_DOOVER 0x04
#define SRP_RSP_DOUNDER 0x08
#define SRP_RSP_DIOVER 0x10
#define SRP_RSP_DIUNDER 0x20

/* Task management functions and response codes (SRP, SAM). */
#define SRP_TSK_ABORT_TASK 0x01
#define SRP_TSK_ABORT_TASK_SET 0x02
#define SRP_TSK_CLEAR_TASK_SET 0x04
#define SRP_TSK_LUN_RESET 0x08
#define SRP_TSK_CLEAR_ACA 0x40
#define SRP_TM_COMPLETE 0
#define SRP_TM_FIELDS_INVALID 2
#define SRP_TM_NOT_SUPPORTED 4

/* Login rejection reasons. */
#define SRP_LOGIN_REJ_UNABLE 0x00010000
#define SRP_LOGIN_REJ_REQ_IT_IU_LENGTH_TOO_LARGE 0x00010001
#define SRP_LOGIN_REJ_UNSUPPORTED_BUF_FMT 0x00010006

/* VIOSRP MAD types and statuses (viosrp.h). */
#define VIOSRP_MAD_EMPTY 0x01
#define VIOSRP_MAD_ERROR_LOG 0x02
#define VIOSRP_MAD_ADAPTER_INFO 0x03
#define VIOSRP_MAD_HOST_CONFIG 0x04
#define VIOSRP_MAD_CAPABILITIES 0x05
#define VIOSRP_MAD_ENABLE_FAST_FAIL 0x08
#define VIOSRP_MAD_NOT_SUPPORTED 0xf1
#define VIOSRP_MAD_FAILED 0xf7
#define VIOSRP_MAD_COMMON_LEN 16u
#define VIOSRP_ADAPTER_INFO_IU_LEN 24u /* common + BE64 buffer */
#define VIOSRP_ADAPTER_INFO_LEN 148u   /* struct mad_adapter_info_data */

/* CRQ formats (byte 1) and statuses (byte 3) of a VIOSRP entry. */
#define VIOSRP_SRP_FORMAT 0x01
#define VIOSRP_MAD_FORMAT 0x02
#define VIOSRP_OK 0x00
#define VIOSRP_ADAPTER_FAIL 0x10

enum srp_err {
	SRP_OK = 0,
	SRP_E_SHORT,      /* the IU is shorter than its fixed part */
	SRP_E_FORMAT,     /* unknown buffer format, or both directions */
	SRP_E_DESC,       /* descriptors run past the IU, or too many */
};

struct srp_desc {
	uint64_t va;      /* bus address in the client's TCE window */
	uint32_t len;
};

/* Where the data descriptors of one direction are. */
struct srp_data {
	uint8_t fmt;            /* SRP_FMT_* */
	uint32_t local_off;     /* IU offset of the descriptors in the IU */
	uint32_t local_count;   /* descriptors there (1 for direct) */
	uint32_t total_count;   /* descriptors in all (indirect: table) */
	struct srp_desc table;  /* indirect: the whole descriptor table */
	uint32_t total_len;     /* indirect: bytes of data in all */
};

struct srp_cmd {
	uint8_t tag[8];
	uint64_t lun;
	uint8_t cdb[16];
	uint8_t sol_not;
	bool out;               /* data flows to the target (data-out) */
	struct srp_data data;   /* of the direction that has data */
};

/**
 * Decode SRP_CMD `iu` (`len` bytes, already copied).  A command with no
 * data descriptor has data.fmt SRP_FMT_NONE; one with descriptors in
 * both directions is refused (no bidirectional command is served).
 * Returns SRP_OK, SRP_E_SHORT, SRP_E_FORMAT or SRP_E_DESC.
 */
enum srp_err srp_parse_cmd(const uint8_t *iu, uint32_t len,
			   struct srp_cmd *c);

/**
 * The descriptors of `d`, read from `src` (`src_len` bytes: the IU when
 * every descriptor is local, else the copied table), at most `max`.
 * Returns how many were stored in `out`, or -1 when `src` is too short.
 */
int srp_read_descs(const struct srp_data *d, const uint8_t *src,
		   uint32_t src_len, bool from_table, struct srp_desc *out,
		   uint32_t max);

/**
 * Build an SRP_RSP for `tag` in `buf` (at least 36 + SCSI sense bytes):
 * `status` the SCSI status, `sense` (`sense_len` bytes, 0 for none),
 * `flags` the residual flags and `resid_in`/`resid_out` their counts;
 * req_lim_delta 1 (Linux's ibmvscsi needs one credit back per
 * response).  Returns the IU length.
 */
uint32_t srp_build_rsp(uint8_t *buf, const uint8_t tag[8], uint8_t sol_not,
		       uint8_t status, const uint8_t *sense,
		       uint32_t sense_len, uint8_t flags, uint32_t resid_in,
		       uint32_t resid_out);

/** A task-management SRP_RSP: RSPVALID and the 4-byte response data with
 * `code` in its last byte.  Returns the IU length (40). */
uint32_t srp_build_tm_rsp(uint8_t *buf, const uint8_t tag[8], uint8_t code);

/** SRP_LOGIN_RSP granting `req_lim` credits, IU lengths 256, direct and
 * indirect buffers.  Returns the IU length (52). */
uint32_t srp_build_login_rsp(uint8_t *buf, const uint8_t tag[8],
			     uint32_t req_lim);

/** SRP_LOGIN_REJ with `reason`.  Returns the IU length (32). */
uint32_t srp_build_login_rej(uint8_t *buf, const uint8_t tag[8],
			     uint32_t reason);

/**
 * Check SRP_LOGIN_REQ `iu`: returns 0 when it may log in, else the
 * SRP_LOGIN_REJ reason (IU too short or its req_it_iu_len above 256:
 * too large; neither direct nor indirect buffers: unsupported format).
 */
uint32_t srp_check_login(const uint8_t *iu, uint32_t len);

/**
 * The 148-byte MAD ADAPTER_INFO data lparvisor answers with: SRP version
 * "16.a", partition `name` and `number`, MAD version 1, os_type 2
 * (Linux, so that ibmvscsi skips FAST_FAIL and CAPABILITIES), maximum
 * transfer `max_xfer` bytes.
 */
void srp_adapter_info(uint8_t out[VIOSRP_ADAPTER_INFO_LEN], const char *name,
		      uint32_t number, uint32_t max_xfer);

#endif /* VIO_SRP_H */
