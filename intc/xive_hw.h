/*
 * The host's XIVE as the partition interrupt code needs it: virtual
 * processors (VPs), hardware interrupt numbers with their ESB pages, event
 * queues, and the thread's OS context in the TIMA.  On PowerNV this is
 * OPAL's XIVE exploitation interface plus direct TIMA/ESB accesses
 * (platform-powernv/xive.c); the unit tests link a fake.
 *
 * Every call runs on a hypervisor thread in real mode.  Errors are the
 * firmware's (negative); 0 is success.
 */
#ifndef INTC_XIVE_HW_H
#define INTC_XIVE_HW_H

#include "hv/lib/types.h"

/* Event-state-buffer page offsets (loads unless noted). */
#define XIVE_ESB_LOAD_EOI 0x000
#define XIVE_ESB_STORE_EOI 0x400 /* store */
#define XIVE_ESB_GET 0x800
#define XIVE_ESB_SET_PQ_00 0xc00
#define XIVE_ESB_SET_PQ_01 0xd00
#define XIVE_ESB_SET_PQ_10 0xe00
#define XIVE_ESB_SET_PQ_11 0xf00

#define XIVE_HW_PRIO_MASKED 0xff
#define XIVE_HW_SYNC_EAS 1
#define XIVE_HW_SYNC_QUEUE 2

struct xive_hw_irq {
	uint64_t trig_page; /* host real address, 0 if none */
	uint64_t eoi_page;  /* host real address of the management page */
	uint32_t shift;     /* log2 of one page */
	bool store_eoi;
	bool lsi;
};

/** Bring the host XIVE to exploitation mode.  False if there is none. */
bool xive_hw_init(void);
/** Whether xive_hw_init() succeeded. */
bool xive_hw_ready(void);
/** Allocate 2^order VPs; *vp_base is the first. */
int64_t xive_hw_alloc_vps(uint32_t order, uint32_t *vp_base);
/** Give back a block from xive_hw_alloc_vps(). */
void xive_hw_free_vps(uint32_t vp_base);
/** Enable or disable VP `vp`; *cam gets the word to push into the TIMA. */
int64_t xive_hw_enable_vp(uint32_t vp, bool on, uint32_t *cam);
/** Allocate one interrupt (an IPI); *girq is its global number. */
int64_t xive_hw_alloc_irq(uint32_t *girq);
/** Free one interrupt. */
void xive_hw_free_irq(uint32_t girq);
/** The ESB pages and properties of `girq`. */
int64_t xive_hw_irq_info(uint32_t girq, struct xive_hw_irq *info);
/** Route `girq` to VP `vp` at `prio` with data `eisn`; prio 0xff masks. */
int64_t xive_hw_set_irq(uint32_t girq, uint32_t vp, uint8_t prio,
			uint32_t eisn);
/**
 * Give VP `vp`'s queue `prio` the page at host real address `qpage` of
 * 2^`qshift` bytes (0: turn the queue off).
 */
int64_t xive_hw_set_queue(uint32_t vp, uint8_t prio, uint64_t qpage,
			  uint32_t qshift, bool always_notify);
/** The queue's generation bit and next index. */
int64_t xive_hw_queue_state(uint32_t vp, uint8_t prio, uint32_t *toggle,
			    uint32_t *index);
/** Wait for in-flight events of an interrupt (EAS) or queue. */
int64_t xive_hw_sync(uint32_t type, uint32_t id);
/** An 8-byte ESB load at host real address `addr`. */
uint64_t xive_hw_esb_load(uint64_t addr);
/** An 8-byte ESB store. */
void xive_hw_esb_store(uint64_t addr, uint64_t val);
/** Make VP `cam` this thread's OS context with OS ring word0-1 `w01`. */
void xive_hw_push_os(uint64_t w01, uint32_t cam);
/** Take the OS context off this thread; returns its word0-1. */
uint64_t xive_hw_pull_os(void);
/** Whether the OS ring of this thread has an interrupt to present. */
bool xive_hw_os_pending(void);
/** Acknowledge the OS ring of this thread; returns NSR<<8|CPPR. */
uint16_t xive_hw_ack_os(void);
/** Set the CPPR of the OS ring of this thread. */
void xive_hw_set_os_cppr(uint8_t cppr);
/** Acknowledge a hypervisor-ring interrupt (HVI); returns NSR<<8|CPPR. */
uint16_t xive_hw_ack_hv(void);
/** Host real address of the OS view of the TIMA (what guests may map). */
uint64_t xive_hw_tima_os_page(void);

#endif /* INTC_XIVE_HW_H */
