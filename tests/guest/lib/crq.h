/*
 * A guest's side of a CRQ (a one-page ring of 16-byte entries that
 * lparvisor or QEMU fills and the guest frees by clearing each entry's
 * valid byte), as the vscsi and viospair payloads use it.
 */
#ifndef TESTS_GUEST_LIB_CRQ_H
#define TESTS_GUEST_LIB_CRQ_H

#include <stdbool.h>
#include <stdint.h>

#define CRQ_ENTRY_SIZE 16u

struct guest_crq {
	volatile uint8_t *ring; /* entries * 16 bytes, registered with H_REG_CRQ */
	uint32_t entries;
	uint32_t next;          /* the entry to look at next */
};

/**
 * The next entry of `q` within `ms` milliseconds, copied to `e` (16
 * bytes) and freed.  Returns false, leaving `q` as it was, if none came.
 */
bool crq_take(struct guest_crq *q, uint8_t *e, unsigned ms);

#endif
