/* A guest's side of a CRQ: see crq.h. */
#include "hv/lib/string.h"
#include "tests/guest/lib/crq.h"
#include "tests/guest/lib/timebase.h"

bool crq_take(struct guest_crq *q, uint8_t *e, unsigned ms)
{
	volatile uint8_t *slot = &q->ring[q->next * CRQ_ENTRY_SIZE];
	uint64_t end = tb_now() + tb_from_ms(ms);

	while (slot[0] == 0) {
		if (tb_now() > end) {
			return false;
		}
	}
	/* The valid byte before the rest of the entry. */
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	memcpy(e, (const void *)slot, CRQ_ENTRY_SIZE);
	slot[0] = 0;
	q->next = (q->next + 1) % q->entries;
	return true;
}
