/*
 * A SCSI disk target (SPC-4/SBC-3 subset), the logical units lparvisor's
 * v-scsi adapters serve from disk memory: INQUIRY (standard, VPD 0x00,
 * 0x80, 0x83), REPORT LUNS, TEST UNIT READY, READ CAPACITY (10)/(16),
 * READ/WRITE (6)/(10)/(16), MODE SENSE (6)/(10), REQUEST SENSE,
 * SYNCHRONIZE CACHE (10)/(16), START STOP UNIT.  Anything else is CHECK
 * CONDITION, ILLEGAL REQUEST, INVALID COMMAND OPERATION CODE; every
 * failure carries fixed-format sense (autosense, as PAPR's v-scsi and
 * QEMU's spapr-vscsi return it in the SRP response).
 *
 * Pure logic over one CDB: scsi_exec() decides the status, sense and the
 * data; a media transfer is described (byte offset and length in the
 * unit's memory) for the transport to move through the guest's TCE
 * window, never copied here.
 */
#ifndef VIO_SCSI_H
#define VIO_SCSI_H

#include "hv/lib/types.h"

#define SCSI_BLOCK 512u
#define SCSI_SENSE_LEN 18u
#define SCSI_BUF_MAX 256u /* the longest non-media reply built here */

/* SAM status codes. */
#define SCSI_GOOD 0x00
#define SCSI_CHECK_CONDITION 0x02

/* Sense keys (SPC-4 table 48). */
#define SCSI_KEY_NO_SENSE 0x0
#define SCSI_KEY_NOT_READY 0x2
#define SCSI_KEY_MEDIUM_ERROR 0x3
#define SCSI_KEY_HARDWARE_ERROR 0x4
#define SCSI_KEY_ILLEGAL_REQUEST 0x5
#define SCSI_KEY_DATA_PROTECT 0x7
#define SCSI_KEY_ABORTED_COMMAND 0xb

/* Additional sense codes (ASC << 8 | ASCQ), SPC-4 annex D. */
#define SCSI_ASC_INVALID_OPCODE 0x2000
#define SCSI_ASC_LBA_OUT_OF_RANGE 0x2100
#define SCSI_ASC_INVALID_FIELD_IN_CDB 0x2400
#define SCSI_ASC_LUN_NOT_SUPPORTED 0x2500
#define SCSI_ASC_WRITE_PROTECTED 0x2700
#define SCSI_ASC_SAVING_NOT_SUPPORTED 0x3900
#define SCSI_ASC_INTERNAL_TARGET_FAILURE 0x4400

enum scsi_dir { SCSI_DIR_NONE = 0, SCSI_DIR_IN, SCSI_DIR_OUT };

/* One logical unit: a disk in hypervisor memory. */
struct scsi_lu {
	uint64_t size;       /* bytes, a multiple of SCSI_BLOCK */
	bool read_only;
	const char *name;    /* the disk's name: unit serial and VPD 0x83 */
	uint32_t id;         /* a machine-wide number for the NAA identifier */
};

struct scsi_result {
	uint8_t status;      /* SCSI_GOOD or SCSI_CHECK_CONDITION */
	uint8_t sense[SCSI_SENSE_LEN];
	uint32_t sense_len;  /* 0 or SCSI_SENSE_LEN */
	enum scsi_dir dir;   /* the data phase */
	bool media;          /* data is the unit's bytes [offset, offset+len) */
	uint64_t offset;
	uint64_t len;        /* bytes to move (already cut to the allocation
			      * length for replies built in buf) */
	uint64_t full_len;   /* what the reply would hold uncut */
	uint8_t buf[SCSI_BUF_MAX];
};

/**
 * Execute `cdb` (`cdb_len` bytes, 6 to 16) against `lu`, which is NULL
 * when the addressed logical unit does not exist (INQUIRY then answers
 * peripheral qualifier 3, REPORT LUNS and REQUEST SENSE still work, and
 * everything else is LOGICAL UNIT NOT SUPPORTED).  Fills `r`.  A media
 * READ or WRITE with r->status GOOD asks the caller to move r->len bytes
 * at r->offset of the unit in r->dir; the range is inside the unit.
 * Returns r->status.
 */
uint8_t scsi_exec(const struct scsi_lu *lu, const uint8_t *cdb,
		  uint32_t cdb_len, struct scsi_result *r);

/** Fill fixed-format sense (0x70) for `key` and `asc_ascq` in `r` and
 * make it CHECK CONDITION with no data. */
void scsi_check(struct scsi_result *r, uint8_t key, uint16_t asc_ascq);

#endif /* VIO_SCSI_H */
