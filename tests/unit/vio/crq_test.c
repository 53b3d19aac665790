/*
 * The CRQ transport (vio/crq.c): QEMU 7.2 h_reg_crq's checks and order,
 * entries written through the TCE window (header last), full and wrap,
 * and a queue whose pages the guest did not map.
 */
#include <stdlib.h>

#include "hv/abi/hcall.h"
#include "vio/crq.h"
#include "tests/unit/test.h"

#define MEM_SIZE (16 * TCE_PAGE_SIZE)

struct fix {
	uint8_t *mem;
	struct gmem g;
	uint64_t table[4];
	struct tce_table t;
	struct crq q;
};

static void fix_init(struct fix *f)
{
	f->mem = aligned_alloc(TCE_PAGE_SIZE, MEM_SIZE);
	memset(f->mem, 0, MEM_SIZE);
	f->g.hpa = (uint64_t)(uintptr_t)f->mem;
	f->g.size = MEM_SIZE;
	f->g.lazy = NULL; /* cleared before the boot */
	memset(f->table, 0, sizeof(f->table));
	f->t.liobn = 0x71000001;
	f->t.entries = 4;
	f->t.table = f->table;
	f->t.page_shift = 0; /* 4 KiB IO pages */
	f->t.bypass = false;
	memset(&f->q, 0, sizeof(f->q));
}

static void msg_fill(uint8_t *m, uint8_t hdr, uint8_t seq)
{
	m[0] = hdr;
	for (int i = 1; i < CRQ_ENTRY_SIZE; i++) {
		m[i] = (uint8_t)(seq + i);
	}
}

TEST(crq, register_checks_in_qemu_order)
{
	struct fix f;

	fix_init(&f);
	CHECK_EQ(crq_register(&f.q, true, 0, CRQ_MIN_LEN - 1), H_PARAMETER);
	CHECK_EQ(crq_register(&f.q, true, 0, CRQ_MAX_LEN + 1), H_PARAMETER);
	CHECK_EQ(crq_register(&f.q, true, 0x800, CRQ_MIN_LEN), H_PARAMETER);
	/* Length and alignment come before "no CRQ here". */
	CHECK_EQ(crq_register(&f.q, false, 0x800, CRQ_MIN_LEN), H_PARAMETER);
	CHECK_EQ(crq_register(&f.q, false, 0, CRQ_MIN_LEN), H_NOT_FOUND);
	CHECK(!crq_registered(&f.q));
	CHECK_EQ(crq_register(&f.q, true, 0x1000, CRQ_MAX_LEN), H_SUCCESS);
	CHECK_EQ(crq_register(&f.q, true, 0x1000, CRQ_MIN_LEN), H_RESOURCE);
	CHECK_EQ(f.q.len, CRQ_MAX_LEN);
	crq_free(&f.q);
	CHECK(!crq_registered(&f.q));
	CHECK_EQ(crq_register(&f.q, true, 0, 0x10000), H_SUCCESS);
	free(f.mem);
}

TEST(crq, enqueue_needs_a_queue_and_mapped_slot)
{
	struct fix f;
	uint8_t m[CRQ_ENTRY_SIZE];

	fix_init(&f);
	msg_fill(m, CRQ_HDR_INIT, 0);
	CHECK_EQ(crq_enqueue(&f.q, &f.t, &f.g, m), H_CLOSED);
	CHECK_EQ(crq_register(&f.q, true, 0, CRQ_MIN_LEN), H_SUCCESS);
	/* Not mapped, read-only, write-only: H_DEST_PARM, nothing written. */
	CHECK_EQ(crq_enqueue(&f.q, &f.t, &f.g, m), H_DEST_PARM);
	f.table[0] = 0x3000 | TCE_READ;
	CHECK_EQ(crq_enqueue(&f.q, &f.t, &f.g, m), H_DEST_PARM);
	f.table[0] = 0x3000 | TCE_WRITE;
	CHECK_EQ(crq_enqueue(&f.q, &f.t, &f.g, m), H_DEST_PARM);
	for (int i = 0; i < CRQ_ENTRY_SIZE; i++) {
		CHECK_EQ(f.mem[0x3000 + i], 0);
	}
	CHECK_EQ(f.q.next, 0);
	f.table[0] = 0x3000 | TCE_RW;
	CHECK_EQ(crq_enqueue(&f.q, &f.t, &f.g, m), H_SUCCESS);
	CHECK_EQ(memcmp(f.mem + 0x3000, m, CRQ_ENTRY_SIZE), 0);
	CHECK_EQ(f.q.next, CRQ_ENTRY_SIZE);
	free(f.mem);
}

TEST(crq, full_queue_drops_and_wraps_after_consume)
{
	struct fix f;
	uint8_t m[CRQ_ENTRY_SIZE];
	const uint32_t slots = CRQ_MIN_LEN / CRQ_ENTRY_SIZE;

	fix_init(&f);
	f.table[1] = 0x5000 | TCE_RW;
	CHECK_EQ(crq_register(&f.q, true, TCE_PAGE_SIZE, CRQ_MIN_LEN),
		 H_SUCCESS);
	for (uint32_t i = 0; i < slots; i++) {
		msg_fill(m, CRQ_HDR_CMD, (uint8_t)i);
		REQUIRE_EQ(crq_enqueue(&f.q, &f.t, &f.g, m), H_SUCCESS);
	}
	CHECK_EQ(f.q.next, 0);
	/* Every slot valid: the next message is refused, nothing changes. */
	msg_fill(m, CRQ_HDR_CMD, 0xaa);
	CHECK_EQ(crq_enqueue(&f.q, &f.t, &f.g, m), H_DROPPED);
	CHECK_EQ(f.mem[0x5001], 1);
	/* The guest consumes slot 0: the next entry lands there. */
	f.mem[0x5000] = 0;
	CHECK_EQ(crq_enqueue(&f.q, &f.t, &f.g, m), H_SUCCESS);
	CHECK_EQ(f.mem[0x5000], CRQ_HDR_CMD);
	CHECK_EQ(f.mem[0x5001], 0xab);
	CHECK_EQ(crq_enqueue(&f.q, &f.t, &f.g, m), H_DROPPED);
	free(f.mem);
}

TEST(crq, queue_spanning_pages_follows_tces)
{
	struct fix f;
	uint8_t m[CRQ_ENTRY_SIZE];

	fix_init(&f);
	/* A 8 KiB queue at bus 0: page 0 -> guest 0x9000, 1 -> 0x4000. */
	f.table[0] = 0x9000 | TCE_RW;
	f.table[1] = 0x4000 | TCE_RW;
	CHECK_EQ(crq_register(&f.q, true, 0, 2 * CRQ_MIN_LEN), H_SUCCESS);
	f.q.next = CRQ_MIN_LEN - CRQ_ENTRY_SIZE;
	msg_fill(m, CRQ_HDR_CMD, 1);
	CHECK_EQ(crq_enqueue(&f.q, &f.t, &f.g, m), H_SUCCESS);
	CHECK_EQ(f.mem[0x9ff0], CRQ_HDR_CMD);
	CHECK_EQ(crq_enqueue(&f.q, &f.t, &f.g, m), H_SUCCESS);
	CHECK_EQ(f.mem[0x4000], CRQ_HDR_CMD);
	/* The guest unmaps the second page: H_DEST_PARM, no advance. */
	f.table[1] = 0;
	CHECK_EQ(crq_enqueue(&f.q, &f.t, &f.g, m), H_DEST_PARM);
	CHECK_EQ(f.q.next, CRQ_MIN_LEN + CRQ_ENTRY_SIZE);
	free(f.mem);
}

TEST(crq, odd_length_keeps_slots_aligned)
{
	struct fix f;

	fix_init(&f);
	CHECK_EQ(crq_register(&f.q, true, 0, CRQ_MIN_LEN + 8), H_SUCCESS);
	CHECK_EQ(f.q.len, CRQ_MIN_LEN);
	free(f.mem);
}

TEST(crq, registers_are_big_endian_on_the_wire)
{
	uint8_t m[CRQ_ENTRY_SIZE];

	crq_from_regs(0xc001000000000000ull, 0x0102030405060708ull, m);
	CHECK_EQ(m[0], 0xc0);
	CHECK_EQ(m[1], 0x01);
	CHECK_EQ(m[7], 0x00);
	CHECK_EQ(m[8], 0x01);
	CHECK_EQ(m[15], 0x08);
}

TEST(crq, transport_event_overwrites_the_last_entry_of_a_full_queue)
{
	struct fix f;
	uint8_t m[CRQ_ENTRY_SIZE], ev[CRQ_ENTRY_SIZE] = { CRQ_HDR_TRANSPORT,
							  0x02 };
	const uint32_t slots = CRQ_MIN_LEN / CRQ_ENTRY_SIZE;

	fix_init(&f);
	CHECK_EQ(crq_enqueue_event(&f.q, &f.t, &f.g, ev), H_CLOSED);
	f.table[0] = 0x5000 | TCE_RW;
	CHECK_EQ(crq_register(&f.q, true, 0, CRQ_MIN_LEN), H_SUCCESS);
	/* Room: the event takes the next slot like any entry. */
	CHECK_EQ(crq_enqueue_event(&f.q, &f.t, &f.g, ev), H_SUCCESS);
	CHECK_EQ(memcmp(f.mem + 0x5000, ev, CRQ_ENTRY_SIZE), 0);
	for (uint32_t i = 1; i < slots; i++) {
		msg_fill(m, CRQ_HDR_CMD, (uint8_t)i);
		REQUIRE_EQ(crq_enqueue(&f.q, &f.t, &f.g, m), H_SUCCESS);
	}
	/* Full: the event replaces the entry written last (slot 255),
	 * the oldest (slot 0) and `next` stay. */
	ev[1] = 0x01;
	CHECK_EQ(crq_enqueue_event(&f.q, &f.t, &f.g, ev), H_SUCCESS);
	CHECK_EQ(memcmp(f.mem + 0x5000 + (slots - 1) * CRQ_ENTRY_SIZE, ev,
			CRQ_ENTRY_SIZE), 0);
	CHECK_EQ(f.mem[0x5001], 0x02);
	CHECK_EQ(f.q.next, 0);
	/* A queue the guest unmapped: H_DEST_PARM, nothing written. */
	f.table[0] = 0;
	CHECK_EQ(crq_enqueue_event(&f.q, &f.t, &f.g, ev), H_DEST_PARM);
	free(f.mem);
}
