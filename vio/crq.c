/*
 * The CRQ transport (vio/crq.h): QEMU 7.2 spapr_vio.c's queue, with
 * every slot reached through the device's TCE window.
 */
#include "hv/abi/hcall.h"
#include "vio/crq.h"

int64_t crq_register(struct crq *q, bool capable, uint64_t ioba,
		     uint64_t len)
{
	if (len < CRQ_MIN_LEN || len > CRQ_MAX_LEN) {
		return H_PARAMETER;
	}
	if (ioba & (CRQ_MIN_LEN - 1)) {
		return H_PARAMETER;
	}
	if (!capable) {
		return H_NOT_FOUND;
	}
	if (crq_registered(q)) {
		return H_RESOURCE;
	}
	q->ioba = ioba;
	/*
	 * QEMU keeps any length and wraps modulo it; a whole number of
	 * entries keeps every slot 16-byte aligned (LoPAR R3) and changes
	 * nothing for the lengths guests use (multiples of 4 KiB).
	 */
	q->len = ALIGN_DOWN(len, (uint64_t)CRQ_ENTRY_SIZE);
	q->next = 0;
	return H_SUCCESS;
}

void crq_free(struct crq *q)
{
	q->ioba = 0;
	q->len = 0;
	q->next = 0;
}

int64_t crq_enqueue(struct crq *q, const struct tce_table *t,
		    const struct gmem *g, const uint8_t msg[CRQ_ENTRY_SIZE])
{
	uint64_t slot = q->ioba + q->next;
	uint8_t hdr;

	if (!crq_registered(q)) {
		return H_CLOSED;
	}
	if (!tce_dma_read(t, g, slot, &hdr, 1)) {
		return H_DEST_PARM;
	}
	if (hdr != CRQ_HDR_FREE) {
		return H_DROPPED;
	}
	/* Bytes 1-15 first; the header makes the entry valid, so last. */
	if (!tce_dma_write(t, g, slot + 1, msg + 1, CRQ_ENTRY_SIZE - 1)) {
		return H_DEST_PARM;
	}
	__atomic_thread_fence(__ATOMIC_RELEASE);
	if (!tce_dma_write(t, g, slot, msg, 1)) {
		return H_DEST_PARM;
	}
	q->next = (q->next + CRQ_ENTRY_SIZE) % q->len;
	return H_SUCCESS;
}

int64_t crq_enqueue_event(struct crq *q, const struct tce_table *t,
			  const struct gmem *g,
			  const uint8_t msg[CRQ_ENTRY_SIZE])
{
	int64_t ret = crq_enqueue(q, t, g, msg);
	uint64_t last;

	if (ret != H_DROPPED) {
		return ret;
	}
	/* Full: the slot before `next` holds the entry written last. */
	last = (q->next + q->len - CRQ_ENTRY_SIZE) % q->len;
	if (!tce_dma_write(t, g, q->ioba + last + 1, msg + 1,
			   CRQ_ENTRY_SIZE - 1)) {
		return H_DEST_PARM;
	}
	__atomic_thread_fence(__ATOMIC_RELEASE);
	if (!tce_dma_write(t, g, q->ioba + last, msg, 1)) {
		return H_DEST_PARM;
	}
	return H_SUCCESS;
}

void crq_from_regs(uint64_t hi, uint64_t lo, uint8_t msg[CRQ_ENTRY_SIZE])
{
	for (int i = 0; i < 8; i++) {
		msg[i] = (uint8_t)(hi >> (56 - 8 * i));
		msg[8 + i] = (uint8_t)(lo >> (56 - 8 * i));
	}
}
