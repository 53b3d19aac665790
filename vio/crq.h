/*
 * The CRQ transport of a VIO device (command/response queue), matching
 * QEMU 7.2 hw/ppc/spapr_vio.c (h_reg_crq, free_crq, spapr_vio_send_crq)
 * and LoPAR's "CRQ Format and Registration": the guest registers a queue
 * by its bus address in the device's TCE window; lparvisor's back end
 * writes 16-byte entries into it round robin, bytes 1-15 first and the
 * header byte (non-zero: valid) last; the guest frees a slot by writing
 * 0 to its header byte.  Pure logic over mm/tce.h; the caller (the VIO
 * bus) holds the device's lock.
 */
#ifndef VIO_CRQ_H
#define VIO_CRQ_H

#include "hv/lib/types.h"
#include "mm/gmem.h"
#include "mm/tce.h"

#define CRQ_ENTRY_SIZE 16
#define CRQ_MIN_LEN 0x1000ull     /* QEMU 7.2: 4 KiB ... */
#define CRQ_MAX_LEN 0x10000000ull /* ... to 256 MiB */

/* Header byte values (LoPAR "CRQ Entry Header Byte Values"). */
#define CRQ_HDR_FREE 0x00
#define CRQ_HDR_CMD 0x80
#define CRQ_HDR_INIT 0xc0
#define CRQ_HDR_TRANSPORT 0xff

struct crq {
	uint64_t ioba; /* bus address of the queue */
	uint64_t len;  /* bytes; 0 when no queue is registered */
	uint64_t next; /* offset of the next slot to fill */
};

/**
 * H_REG_CRQ for a device that has a CRQ when `capable`, in QEMU 7.2's
 * order of checks.  The queue is not translated here (QEMU does not
 * either): crq_enqueue() refuses a slot its TCEs do not map.
 * Returns H_SUCCESS; H_PARAMETER for a length outside 4 KiB..256 MiB or
 * an ioba not 4 KiB aligned; H_NOT_FOUND when the device has no CRQ;
 * H_RESOURCE when a queue is already registered.
 */
int64_t crq_register(struct crq *q, bool capable, uint64_t ioba,
		     uint64_t len);

/** H_FREE_CRQ: forget the queue (always H_SUCCESS in QEMU 7.2). */
void crq_free(struct crq *q);

/** Whether a queue is registered. */
static inline bool crq_registered(const struct crq *q)
{
	return q->len != 0;
}

/**
 * Put the 16 bytes of `msg` (wire order: msg[0] is the header) into the
 * next slot, through `t` (the slot needs TCE_READ to see that it is free
 * and TCE_WRITE to fill it), and advance.
 * Returns H_SUCCESS; H_CLOSED when no queue is registered; H_DROPPED
 * when the slot's header is not 0 (the queue is full: nothing written,
 * the message is the caller's to retry or drop); H_DEST_PARM when the
 * slot does not translate (QEMU's spapr_vio_dma_read/write failure).
 */
int64_t crq_enqueue(struct crq *q, const struct tce_table *t,
		    const struct gmem *g, const uint8_t msg[CRQ_ENTRY_SIZE]);

/**
 * A transport event (header 0xFF) from the platform, as LoPAR's H_FREE_CRQ
 * puts it on the partner's queue: into the next slot when it is free,
 * else over the entry written last, so that a full queue still learns
 * that its partner went away.  Same returns as crq_enqueue(), never
 * H_DROPPED.
 */
int64_t crq_enqueue_event(struct crq *q, const struct tce_table *t,
			  const struct gmem *g,
			  const uint8_t msg[CRQ_ENTRY_SIZE]);

/**
 * The 16 bytes H_SEND_CRQ's two registers carry, in wire order: each
 * register is stored big-endian (QEMU's crq_mangle).
 */
void crq_from_regs(uint64_t hi, uint64_t lo, uint8_t msg[CRQ_ENTRY_SIZE]);

#endif /* VIO_CRQ_H */
