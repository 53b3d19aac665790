/*
 * The partition's NVRAM, as QEMU 7.2's -M pseries presents its spapr-nvram
 * (hw/nvram/spapr_nvram.c): a /vdevice/nvram node (device_type "nvram",
 * compatible "qemu,spapr-nvram", "#bytes" its size) and the RTAS services
 * nvram-fetch and nvram-store.  No interrupt, DMA window or CRQ: nothing
 * reaches it but RTAS.
 *
 * The contents are a heap block made when the partition is created and
 * freed when it is destroyed: a reboot or restart keeps them (no reset
 * hook), a machine power-off loses them (no flash behind them yet).  At
 * creation the block is formatted as one free-space partition, as SLOF
 * formats a blank NVRAM, so that Linux's nvram driver can carve its
 * ibm,rtas-log and lnx,oops-log partitions out of it.
 */
#include "hv/abi/layout.h"
#include "hv/abi/rtas.h"
#include "hv/console.h"
#include "hv/lib/string.h"
#include "hv/lock.h"
#include "hv/lpar.h"
#include "hv/unit.h"
#include "hv/vcpu.h"
#include "mm/mem.h"
#include "rtas/rtas.h"
#include "vio/bus.h"
#include "vio/nvram.h"

struct nvram {
	struct spinlock lock; /* data: a fetch never sees half a store */
	uint8_t *data;        /* NVRAM_SIZE bytes; NULL: none (create failed) */
};

static uint32_t nvram_slot;

static struct nvram *nvram_of(const struct lpar *l)
{
	return lpar_unit_state(l, nvram_slot);
}

/*
 * Linux's nvram_checksum() (arch/powerpc/kernel/nvram_64.c) of a header:
 * the signature, the length in blocks and the name's six 16-bit words
 * added, folded to 16 bits, then to 8 with an end-around carry.  Linux
 * reads the name's words in the guest's own byte order; the free-space
 * name "wwwwwwwwwwww" reads the same in both, so one value serves big-
 * and little-endian partitions.
 */
static uint8_t free_header_checksum(uint32_t blocks)
{
	uint32_t c = NVRAM_SIG_FREE + blocks;
	uint32_t c2;

	for (uint32_t i = 0; i < NVRAM_NAME_LEN / 2; i++) {
		c += (uint32_t)'w' << 8 | 'w';
	}
	c = ((c & 0xffff) + (c >> 16)) & 0xffff;
	c2 = (c >> 8) + (c << 8);
	return (uint8_t)(((c + c2) >> 8) & 0xff);
}

void nvram_format(uint8_t *data, uint32_t size)
{
	uint32_t blocks = size / NVRAM_BLOCK;

	memset(data, 0, size);
	data[0] = NVRAM_SIG_FREE;
	data[1] = free_header_checksum(blocks);
	data[2] = (uint8_t)(blocks >> 8); /* big-endian length in blocks */
	data[3] = (uint8_t)blocks;
	memset(data + 4, 'w', NVRAM_NAME_LEN);
}

static const struct vio_dev_desc nvram_vio = {
	.name = "nvram", .dt_name = "nvram", .dt_type = "nvram",
	.dt_compatible = "qemu,spapr-nvram", .dt_bytes = NVRAM_SIZE,
	.reg = LAYOUT_NVRAM_REG, .irq = 0, .signal_mask = 0, .dma_window = 0,
};

/* Carve and format the NVRAM; the only time its contents are cleared. */
static bool nvram_create(struct lpar *l)
{
	struct nvram *nv = nvram_of(l);

	nv->data = mem_zalloc(NVRAM_SIZE, 16);
	if (!nv->data) {
		hv_printf("lparvisor: partition \"%s\": no memory for its "
			  "%u KiB NVRAM\n", l->cfg.name, NVRAM_SIZE >> 10);
		return false;
	}
	nvram_format(nv->data, NVRAM_SIZE);
	if (!vio_bus_add(l, &nvram_vio, nv)) {
		mem_free(nv->data);
		nv->data = NULL;
		return false;
	}
	return true;
}

static void nvram_destroy(struct lpar *l)
{
	struct nvram *nv = nvram_of(l);

	if (nv->data) {
		mem_free(nv->data);
		nv->data = NULL;
	}
}

LPAR_UNIT(nvram, .order = UNIT_ORDER_NVRAM, .slot = &nvram_slot,
	  .state_size = sizeof(struct nvram), .create = nvram_create,
	  .destroy = nvram_destroy);

bool nvram_range_ok(uint64_t index, uint64_t len, uint64_t size)
{
	return len <= size && index <= size - len;
}

/*
 * The checks both services share, in QEMU 7.2's order: no NVRAM -1, the
 * range beyond the end -3.  lparvisor adds one QEMU lacks (it maps any
 * address and copies blindly): a buffer not wholly inside the partition's
 * memory is -3.  Returns the NVRAM, or NULL with the status set.
 */
static struct nvram *nvram_checked(struct rtas_call *c)
{
	struct lpar *l = c->vc->lpar;
	struct nvram *nv = nvram_of(l);

	c->rets[1] = 0;
	if (!nv->data) {
		rtas_status(c, RTAS_OUT_HW_ERROR);
		return NULL;
	}
	if (!nvram_range_ok(c->args[0], c->args[2], NVRAM_SIZE) ||
	    !gmem_owns(&l->mem, c->args[1], c->args[2])) {
		rtas_status(c, RTAS_OUT_PARAM_ERROR);
		return NULL;
	}
	return nv;
}

/* nvram-fetch(index, buffer, length) -> status, bytes copied. */
static void rtas_nvram_fetch(struct rtas_call *c)
{
	struct nvram *nv = nvram_checked(c);
	bool ok;

	if (!nv) {
		return;
	}
	spin_lock(&nv->lock);
	ok = gmem_write(&c->vc->lpar->mem, c->args[1], nv->data + c->args[0],
			c->args[2]);
	spin_unlock(&nv->lock);
	rtas_status(c, ok ? RTAS_OUT_SUCCESS : RTAS_OUT_PARAM_ERROR);
	c->rets[1] = ok ? c->args[2] : 0;
}
RTAS_SERVICE(RTAS_NVRAM_FETCH, "nvram-fetch", rtas_nvram_fetch, 3, 2,
	     HCALL_INTC_ANY,
	     "done (64 KiB in memory; -3 out of range or buffer outside memory)");

/* nvram-store(index, buffer, length) -> status, bytes copied. */
static void rtas_nvram_store(struct rtas_call *c)
{
	struct nvram *nv = nvram_checked(c);
	bool ok;

	if (!nv) {
		return;
	}
	/* The guest's bytes are read once, straight into the NVRAM. */
	spin_lock(&nv->lock);
	ok = gmem_read(&c->vc->lpar->mem, c->args[1], nv->data + c->args[0],
		       c->args[2]);
	spin_unlock(&nv->lock);
	rtas_status(c, ok ? RTAS_OUT_SUCCESS : RTAS_OUT_PARAM_ERROR);
	c->rets[1] = ok ? c->args[2] : 0;
}
RTAS_SERVICE(RTAS_NVRAM_STORE, "nvram-store", rtas_nvram_store, 3, 2,
	     HCALL_INTC_ANY,
	     "done (kept for the partition's life, lost at power-off; "
	     "-3 as nvram-fetch)");
