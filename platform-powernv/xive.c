/*
 * The host XIVE through OPAL's exploitation-mode calls (skiboot v7.0
 * hw/xive.c, doc/xive.rst) and the thread interrupt management area
 * (TIMA) of POWER9.  Tokens and flags are those of skiboot
 * include/opal-api.h; every value OPAL writes back is big-endian.
 */
#include "hv/console.h"
#include "hv/io.h"
#include "hv/hv.h"
#include "intc/xive_hw.h"
#include "mm/mem.h"
#include "platform-powernv/opal.h"

#define OPAL_XIVE_RESET 128
#define OPAL_XIVE_GET_IRQ_INFO 129
#define OPAL_XIVE_SET_IRQ_CONFIG 131
#define OPAL_XIVE_SET_QUEUE_INFO 133
#define OPAL_XIVE_DONATE_PAGE 134
#define OPAL_XIVE_ALLOCATE_VP_BLOCK 135
#define OPAL_XIVE_FREE_VP_BLOCK 136
#define OPAL_XIVE_GET_VP_INFO 137
#define OPAL_XIVE_SET_VP_INFO 138
#define OPAL_XIVE_ALLOCATE_IRQ 139
#define OPAL_XIVE_FREE_IRQ 140
#define OPAL_XIVE_SYNC 141
#define OPAL_XIVE_GET_QUEUE_STATE 143

#define OPAL_XIVE_PROVISIONING (-31)
#define OPAL_XIVE_FREE_ACTIVE (-32)

#define XIVE_MODE_EXPL 1
#define XIVE_ANY_CHIP 0xffffffffu

#define IRQ_FLAG_TRIGGER_PAGE 0x1
#define IRQ_FLAG_STORE_EOI 0x2
#define IRQ_FLAG_LSI 0x4

#define VP_FLAG_ENABLED 0x1
#define QUEUE_FLAG_ENABLED 0x1
#define QUEUE_FLAG_ALWAYS_NOTIFY 0x2

/* TIMA: rings of 16 bytes; the OS ring (QW1) from the HV view. */
#define TM_QW1_OS 0x10
#define TM_QW1_WORD2 0x18
#define TM_SPC_ACK_OS_REG 0x810
#define TM_SPC_PULL_OS_CTX 0x818
#define TM_CPPR 0x1
#define TM_SPC_ACK_HV_REG 0x830
#define TM_QW1W2_VO 0x80000000u
#define TM_NSR_EO 0x80

#define PROVISION_PAGE SZ_64K
#define OPAL_RETRIES 1000

static bool ready;
static uint64_t tima_hv, tima_os;

bool xive_hw_ready(void)
{
	return ready;
}

bool xive_hw_init(void)
{
	int64_t rc;

	if (!hv_machine.xive.present || !hv_machine.xive.tima[1]) {
		return false;
	}
	rc = opal_call(OPAL_XIVE_RESET, XIVE_MODE_EXPL, 0, 0, 0, 0, 0, 0);
	if (rc != OPAL_SUCCESS) {
		hv_printf("lparvisor: XIVE: OPAL_XIVE_RESET: %s (%lld); XIVE "
			  "partitions cannot run\n", opal_strerror(rc),
			  (long long)rc);
		return false;
	}
	tima_hv = hv_machine.xive.tima[1];
	tima_os = hv_machine.xive.tima[2];
	ready = true;
	return true;
}

uint64_t xive_hw_tima_os_page(void)
{
	return tima_os;
}

/* OPAL asks for memory before it can hand out VPs: give it 64 KiB pages. */
static bool donate_page(void)
{
	uint64_t page = mem_pages_alloc(PROVISION_PAGE, PROVISION_PAGE, false,
					0);
	uint32_t chip = hv_machine.chip_count ? hv_machine.chips[0] : 0;

	if (!page) {
		return false;
	}
	if (opal_call(OPAL_XIVE_DONATE_PAGE, chip, page, 0, 0, 0, 0, 0) !=
	    OPAL_SUCCESS) {
		mem_pages_free(page, PROVISION_PAGE);
		return false;
	}
	return true;
}

int64_t xive_hw_alloc_vps(uint32_t order, uint32_t *vp_base)
{
	for (int i = 0; i < 16; i++) {
		int64_t rc = opal_call(OPAL_XIVE_ALLOCATE_VP_BLOCK, order, 0, 0,
				       0, 0, 0, 0);

		if (rc >= 0) {
			*vp_base = (uint32_t)rc;
			return OPAL_SUCCESS;
		}
		if (rc != OPAL_XIVE_PROVISIONING || !donate_page()) {
			return rc;
		}
	}
	return OPAL_XIVE_PROVISIONING;
}

void xive_hw_free_vps(uint32_t vp_base)
{
	for (int i = 0; i < OPAL_RETRIES; i++) {
		int64_t rc = opal_call(OPAL_XIVE_FREE_VP_BLOCK, vp_base, 0, 0,
				       0, 0, 0, 0);

		if (rc != OPAL_BUSY && rc != OPAL_XIVE_FREE_ACTIVE) {
			return;
		}
	}
}

int64_t xive_hw_enable_vp(uint32_t vp, bool on, uint32_t *cam)
{
	be64 flags = 0, cam_be = 0, cl = 0;
	be32 chip = 0;
	int64_t rc;

	rc = opal_call(OPAL_XIVE_SET_VP_INFO, vp, on ? VP_FLAG_ENABLED : 0, 0,
		       0, 0, 0, 0);
	if (rc != OPAL_SUCCESS || !on) {
		return rc;
	}
	rc = opal_call(OPAL_XIVE_GET_VP_INFO, vp, (uintptr_t)&flags,
		       (uintptr_t)&cam_be, (uintptr_t)&cl, (uintptr_t)&chip, 0,
		       0);
	*cam = (uint32_t)be64_to_cpu(cam_be);
	return rc;
}

int64_t xive_hw_alloc_irq(uint32_t *girq)
{
	for (int i = 0; i < OPAL_RETRIES; i++) {
		int64_t rc = opal_call(OPAL_XIVE_ALLOCATE_IRQ, XIVE_ANY_CHIP, 0,
				       0, 0, 0, 0, 0);

		if (rc > 0) {
			*girq = (uint32_t)rc;
			return OPAL_SUCCESS;
		}
		if (rc != OPAL_BUSY) {
			return rc ? rc : OPAL_INTERNAL_ERROR;
		}
	}
	return OPAL_BUSY;
}

void xive_hw_free_irq(uint32_t girq)
{
	for (int i = 0; i < OPAL_RETRIES; i++) {
		if (opal_call(OPAL_XIVE_FREE_IRQ, girq, 0, 0, 0, 0, 0, 0) !=
		    OPAL_BUSY) {
			return;
		}
	}
}

int64_t xive_hw_irq_info(uint32_t girq, struct xive_hw_irq *info)
{
	be64 flags = 0, eoi = 0, trig = 0;
	be32 shift = 0, chip = 0;
	uint64_t f;
	int64_t rc;

	rc = opal_call(OPAL_XIVE_GET_IRQ_INFO, girq, (uintptr_t)&flags,
		       (uintptr_t)&eoi, (uintptr_t)&trig, (uintptr_t)&shift,
		       (uintptr_t)&chip, 0);
	if (rc != OPAL_SUCCESS) {
		return rc;
	}
	f = be64_to_cpu(flags);
	info->eoi_page = be64_to_cpu(eoi);
	info->trig_page = (f & IRQ_FLAG_TRIGGER_PAGE) ? be64_to_cpu(trig) : 0;
	info->shift = be32_to_cpu(shift);
	info->store_eoi = f & IRQ_FLAG_STORE_EOI;
	info->lsi = f & IRQ_FLAG_LSI;
	return OPAL_SUCCESS;
}

int64_t xive_hw_set_irq(uint32_t girq, uint32_t vp, uint8_t prio,
			uint32_t eisn)
{
	int64_t rc = OPAL_BUSY;

	for (int i = 0; i < OPAL_RETRIES && rc == OPAL_BUSY; i++) {
		rc = opal_call(OPAL_XIVE_SET_IRQ_CONFIG, girq, vp, prio, eisn, 0,
			       0, 0);
	}
	return rc;
}

int64_t xive_hw_set_queue(uint32_t vp, uint8_t prio, uint64_t qpage,
			  uint32_t qshift, bool always_notify)
{
	uint64_t flags = 0;

	if (qshift) {
		flags = QUEUE_FLAG_ENABLED |
			(always_notify ? QUEUE_FLAG_ALWAYS_NOTIFY : 0);
	}
	return opal_call(OPAL_XIVE_SET_QUEUE_INFO, vp, prio, qshift ? qpage : 0,
			 qshift, flags, 0, 0);
}

int64_t xive_hw_queue_state(uint32_t vp, uint8_t prio, uint32_t *toggle,
			    uint32_t *index)
{
	be32 t = 0, i = 0;
	int64_t rc;

	rc = opal_call(OPAL_XIVE_GET_QUEUE_STATE, vp, prio, (uintptr_t)&t,
		       (uintptr_t)&i, 0, 0, 0);
	*toggle = be32_to_cpu(t);
	*index = be32_to_cpu(i);
	return rc;
}

int64_t xive_hw_sync(uint32_t type, uint32_t id)
{
	int64_t rc = OPAL_BUSY;

	for (int i = 0; i < OPAL_RETRIES && rc == OPAL_BUSY; i++) {
		rc = opal_call(OPAL_XIVE_SYNC, type, id, 0, 0, 0, 0, 0);
	}
	return rc;
}

uint64_t xive_hw_esb_load(uint64_t addr)
{
	return io_ld64(addr);
}

void xive_hw_esb_store(uint64_t addr, uint64_t val)
{
	io_st64(addr, val);
}

void xive_hw_push_os(uint64_t w01, uint32_t cam)
{
	io_st64(tima_hv + TM_QW1_OS, w01);
	io_st32(tima_hv + TM_QW1_WORD2, TM_QW1W2_VO | cam);
	__asm__ volatile("eieio" ::: "memory");
}

uint64_t xive_hw_pull_os(void)
{
	/* QEMU 7.2 returns the pulled CAM byte-swapped: never use it. */
	(void)io_ld32(tima_hv + TM_SPC_PULL_OS_CTX);
	return io_ld64(tima_hv + TM_QW1_OS);
}

bool xive_hw_os_pending(void)
{
	return (io_ld64(tima_hv + TM_QW1_OS) >> 56) & TM_NSR_EO;
}

uint16_t xive_hw_ack_os(void)
{
	/* An OS-ring operation through the HV view: allowed from there. */
	return io_ld16(tima_hv + TM_SPC_ACK_OS_REG);
}

void xive_hw_set_os_cppr(uint8_t cppr)
{
	io_st8(tima_hv + TM_QW1_OS + TM_CPPR, cppr);
	__asm__ volatile("eieio" ::: "memory");
}

uint16_t xive_hw_ack_hv(void)
{
	return io_ld16(tima_hv + TM_SPC_ACK_HV_REG);
}
