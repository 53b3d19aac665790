/*
 * The partition's NVRAM, as QEMU 7.2's -M pseries presents its spapr-nvram
 * (hw/nvram/spapr_nvram.c): a /vdevice/nvram node (device_type "nvram",
 * compatible "qemu,spapr-nvram", "#bytes" its size) and the RTAS services
 * nvram-fetch and nvram-store.  No interrupt, DMA window or CRQ: nothing
 * reaches it but RTAS.
 *
 * The contents are a heap block made when the partition is created and
 * freed when it is destroyed: a reboot or restart keeps them (no reset
 * hook).  When the machine booted from a PNOR with an LPAR_NVRAM
 * partition, each partition also has an area there (vio/nvram_area.h):
 * its contents are read from it at creation, and every nvram-store is
 * written to it before the store returns success, so a power cut loses
 * nothing a completed store reported done.  Without flash (a -kernel
 * boot, no room) the NVRAM is in memory only and a power-off loses it.
 * A blank NVRAM is formatted as one free-space partition, as SLOF
 * formats one, so that Linux's nvram driver can carve its ibm,rtas-log
 * and lnx,oops-log partitions out of it.
 */
#include "hv/abi/layout.h"
#include "hv/abi/rtas.h"
#include "hv/config.h"
#include "hv/console.h"
#include "hv/lib/format.h"
#include "hv/lib/string.h"
#include "hv/lock.h"
#include "hv/lpar.h"
#include "hv/platform.h"
#include "hv/unit.h"
#include "hv/vcpu.h"
#include "mm/mem.h"
#include "rtas/rtas.h"
#include "vio/bus.h"
#include "vio/nvram.h"
#include "vio/nvram_area.h"

struct nvram {
	struct spinlock lock; /* data, area: a fetch never sees half a store */
	uint8_t *data;        /* size bytes; NULL: none (create failed) */
	uint32_t size;
	struct nva_area area; /* in flash when area.shadow[0] is set */
	bool in_flash;
	uint64_t stores;      /* flash commits done, and flash operations */
	uint64_t flash_ops;
};

/* The LPAR_NVRAM partition, its directory; set once by nvram_boot(). */
static struct nva_flash nv_flash;
static struct nva_dir nv_dir;
static bool nv_flash_ok;

static bool pf_read(void *ctx, uint32_t off, void *buf, uint32_t len)
{
	(void)ctx;
	return platform_flash_read(off, buf, len);
}

static bool pf_write(void *ctx, uint32_t off, const void *buf, uint32_t len)
{
	(void)ctx;
	return platform_flash_write(off, buf, len);
}

static bool pf_erase(void *ctx, uint32_t off, uint32_t len)
{
	(void)ctx;
	return platform_flash_erase(off, len);
}

static void free_header(uint8_t *data, uint32_t size);

/*
 * Linux's nvram_checksum() of the header at `h`, its name's 16-bit words
 * read big-endian (be) or little-endian: Linux reads them in its own byte
 * order, which lparvisor does not know when it reads NVRAM back.
 */
static uint8_t header_checksum(const uint8_t *h, bool be)
{
	uint32_t c = h[0] + get_be16(h + 2);
	uint32_t c2;

	for (uint32_t i = 0; i < NVRAM_NAME_LEN; i += 2) {
		c += be ? (uint32_t)h[4 + i] << 8 | h[5 + i] :
			  (uint32_t)h[5 + i] << 8 | h[4 + i];
	}
	c = ((c & 0xffff) + (c >> 16)) & 0xffff;
	c2 = (c >> 8) + (c << 8);
	return (uint8_t)(((c + c2) >> 8) & 0xff);
}

static bool header_ok(const uint8_t *h)
{
	return get_be16(h + 2) != 0 && (h[1] == header_checksum(h, true) ||
					h[1] == header_checksum(h, false));
}

uint32_t nvram_resize(const uint8_t *old, uint32_t old_size, uint8_t *out,
		      uint32_t size)
{
	uint32_t at = 0;

	if (old_size < NVRAM_BLOCK || !header_ok(old)) {
		memset(out, 0, size);
		memcpy(out, old, MIN(old_size, size));
		return NVRAM_RESIZE_RAW;
	}
	while (old_size - at >= NVRAM_BLOCK && header_ok(old + at)) {
		uint32_t len = (uint32_t)get_be16(old + at + 2) * NVRAM_BLOCK;

		if (len > old_size - at) {
			break;
		}
		if (len > size - at) {
			/*
			 * Free space across the new end: its bytes up to the
			 * end are kept (what a payload keeps there), under a
			 * shorter free-space header.
			 */
			if (old[at] == NVRAM_SIG_FREE) {
				memcpy(out, old, size);
				free_header(out + at, size - at);
				return size;
			}
			break;
		}
		at += len;
	}
	memcpy(out, old, at);
	if (size > at) {
		nvram_format(out + at, size - at);
	}
	return at;
}

/*
 * A partition whose nvram-size changed: its current contents, converted
 * (nvram_resize()), go to a new area of the new size before the directory
 * names it (nva_dir_move()), so a power cut leaves the old area or the
 * new one.  A blank old area, no room or a flash error: the partition
 * gets a new, blank area, as it would without this step.
 */
static void resize_area(uint32_t k, uint32_t size)
{
	struct nva_entry e = nv_dir.e[k];
	/* The old contents and shadows, the new contents and shadows. */
	uint8_t *b[6];
	uint8_t *old, *o0, *o1, *nw, *n0, *n1;
	struct nva_area a;
	bool io = false, no_room = false;
	uint32_t kept = 0;
	const char *why = NULL;
	char what[64];
	bool got = true;

	for (int i = 0; i < 6; i++) {
		b[i] = mem_zalloc(i < 3 ? e.size : size, 16);
		got &= b[i] != NULL;
	}
	old = b[0], o0 = b[1], o1 = b[2], nw = b[3], n0 = b[4], n1 = b[5];
	if (!got) {
		why = "no memory to move it";
	} else if (!nva_area_load(&nv_flash, &a, &e, o0, o1, old, &io)) {
		why = io ? "its old NVRAM cannot be read" : NULL;
		if (!io) {
			goto out; /* blank: nothing to keep */
		}
	} else {
		kept = nvram_resize(old, e.size, nw, size);
		if (!nva_dir_move(&nv_flash, &nv_dir, k, size, nw, n0, n1,
				  &no_room)) {
			why = no_room ? "no room in flash to move it" :
					"flash error while moving it";
		}
	}
	if (why) {
		hv_printf("lparvisor: partition \"%s\": nvram-size changed from "
			  "%u to %u KiB: %s; its NVRAM starts blank\n", e.name,
			  e.size >> 10, size >> 10, why);
	} else {
		if (kept == NVRAM_RESIZE_RAW) {
			hv_snprintf(what, sizeof(what), "the first %u KiB kept",
				    MIN(e.size, size) >> 10);
		} else {
			hv_snprintf(what, sizeof(what), "its first %u bytes "
				    "kept, the rest free space", kept);
		}
		hv_printf("lparvisor: partition \"%s\": nvram-size changed "
			  "from %u to %u KiB: NVRAM moved in flash, %s\n", e.name,
			  e.size >> 10, size >> 10, what);
	}
out:
	for (int i = 0; i < 6; i++) {
		if (b[i]) {
			mem_free(b[i]);
		}
	}
}

void nvram_boot(const struct config *c)
{
	const char *names[CONFIG_MAX_LPARS];
	uint32_t sizes[CONFIG_MAX_LPARS];
	int out[CONFIG_MAX_LPARS];
	uint32_t n = 0, placed = 0;
	const char *why;

	nv_flash_ok = false;
	why = platform_flash_partition(NVRAM_FLASH_PART, &nv_flash.base,
				       &nv_flash.size, &nv_flash.block,
				       &nv_flash.no_erase);
	nv_flash.read = pf_read;
	nv_flash.write = pf_write;
	nv_flash.erase = pf_erase;
	if (!why) {
		why = nva_flash_check(&nv_flash);
	}
	if (!why && !nva_dir_load(&nv_flash, &nv_dir)) {
		why = "its directory cannot be read";
	}
	if (why) {
		hv_printf("lparvisor: partition NVRAM in memory only (flash "
			  "partition %s: %s)\n", NVRAM_FLASH_PART, why);
		return;
	}
	for (uint32_t i = 0; i < c->lpar_count; i++) {
		if (!c->lpars[i].refused) {
			names[n] = c->lpars[i].name;
			sizes[n++] = c->lpars[i].nvram_size;
		}
	}
	for (uint32_t i = 0; i < n; i++) {
		for (uint32_t k = 0; k < nv_dir.count; k++) {
			if (strcmp(nv_dir.e[k].name, names[i]) == 0 &&
			    nv_dir.e[k].size != sizes[i] && sizes[i]) {
				resize_area(k, sizes[i]);
				break;
			}
		}
	}
	if (nva_dir_assign(&nv_flash, &nv_dir, names, sizes, n, out) &&
	    !nva_dir_store(&nv_flash, &nv_dir)) {
		hv_printf("lparvisor: partition NVRAM in memory only (flash "
			  "partition %s: its directory cannot be written)\n",
			  NVRAM_FLASH_PART);
		return;
	}
	for (uint32_t i = 0; i < n; i++) {
		placed += out[i] >= 0;
	}
	nv_flash_ok = true;
	hv_printf("lparvisor: partition NVRAM in flash partition %s (%u KiB at "
		  "0x%x, erase block %u KiB%s): %u of %u partitions have an "
		  "area\n", NVRAM_FLASH_PART, nv_flash.size >> 10,
		  nv_flash.base, nv_flash.block >> 10,
		  nv_flash.no_erase ? ", no erase" : "", placed, n);
}

/* The partition's area in flash, if it has one; NULL: memory only. */
static const struct nva_entry *flash_entry(const char *name)
{
	if (!nv_flash_ok) {
		return NULL;
	}
	for (uint32_t i = 0; i < nv_dir.count; i++) {
		if (strcmp(nv_dir.e[i].name, name) == 0) {
			return &nv_dir.e[i];
		}
	}
	return NULL;
}

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

/* A free-space partition's header for `size` bytes at `data`. */
static void free_header(uint8_t *data, uint32_t size)
{
	uint32_t blocks = size / NVRAM_BLOCK;

	memset(data, 0, NVRAM_BLOCK);
	data[0] = NVRAM_SIG_FREE;
	data[1] = free_header_checksum(blocks);
	data[2] = (uint8_t)(blocks >> 8); /* big-endian length in blocks */
	data[3] = (uint8_t)blocks;
	memset(data + 4, 'w', NVRAM_NAME_LEN);
}

void nvram_format(uint8_t *data, uint32_t size)
{
	memset(data, 0, size);
	free_header(data, size);
}

static const struct vio_dev_desc nvram_vio = {
	.name = "nvram", .dt_name = "nvram", .dt_type = "nvram",
	.dt_compatible = "qemu,spapr-nvram", .dt_bytes = NVRAM_SIZE,
	.reg = LAYOUT_NVRAM_REG, .irq = 0, .signal_mask = 0, .dma_window = 0,
};

static void free_buffers(struct nvram *nv)
{
	for (int i = 0; i < 2; i++) {
		if (nv->area.shadow[i]) {
			mem_free(nv->area.shadow[i]);
			nv->area.shadow[i] = NULL;
		}
	}
	if (nv->data) {
		mem_free(nv->data);
		nv->data = NULL;
	}
	nv->in_flash = false;
}

/*
 * The contents from the partition's area in flash, when it has one:
 * false leaves the NVRAM in memory only (blank).  Prints where they came
 * from.
 */
static void load_from_flash(struct lpar *l, struct nvram *nv)
{
	const struct nva_entry *e = flash_entry(l->cfg.name);
	uint8_t *s0, *s1;
	bool io = false;

	if (!e) {
		if (nv_flash_ok) {
			hv_printf("lparvisor: partition \"%s\": no room for its "
				  "%u KiB NVRAM in flash; in memory only\n",
				  l->cfg.name, nv->size >> 10);
		}
		return;
	}
	s0 = mem_zalloc(nv->size, 16);
	s1 = mem_zalloc(nv->size, 16);
	if (!s0 || !s1) {
		if (s0) {
			mem_free(s0);
		}
		if (s1) {
			mem_free(s1);
		}
		hv_printf("lparvisor: partition \"%s\": no memory to keep its "
			  "NVRAM in flash; in memory only\n", l->cfg.name);
		return;
	}
	if (nva_area_load(&nv_flash, &nv->area, e, s0, s1, nv->data, &io)) {
		hv_printf("lparvisor: partition \"%s\": NVRAM (%u KiB) read "
			  "from flash, copy %d, sequence %llu\n", l->cfg.name,
			  nv->size >> 10, nv->area.cur,
			  (unsigned long long)nv->area.seq);
	} else if (io) {
		mem_free(s0);
		mem_free(s1);
		nv->area.shadow[0] = nv->area.shadow[1] = NULL;
		hv_printf("lparvisor: partition \"%s\": its NVRAM cannot be "
			  "read from flash; in memory only\n", l->cfg.name);
		return;
	} else {
		hv_printf("lparvisor: partition \"%s\": blank NVRAM (%u KiB) "
			  "in flash\n", l->cfg.name, nv->size >> 10);
	}
	nv->in_flash = true;
}

/* Carve the NVRAM, read or format it; the only time it is cleared. */
static bool nvram_create(struct lpar *l)
{
	struct nvram *nv = nvram_of(l);
	struct vio_dev_desc desc = nvram_vio;

	nv->size = l->cfg.nvram_size ? l->cfg.nvram_size : NVRAM_SIZE;
	nv->data = mem_zalloc(nv->size, 16);
	if (!nv->data) {
		hv_printf("lparvisor: partition \"%s\": no memory for its "
			  "%u KiB NVRAM\n", l->cfg.name, nv->size >> 10);
		return false;
	}
	nvram_format(nv->data, nv->size);
	load_from_flash(l, nv);
	desc.dt_bytes = nv->size;
	if (!vio_bus_add(l, &desc, nv)) {
		free_buffers(nv);
		return false;
	}
	return true;
}

static void nvram_destroy(struct lpar *l)
{
	free_buffers(nvram_of(l));
}

LPAR_UNIT(nvram, .order = UNIT_ORDER_NVRAM, .slot = &nvram_slot,
	  .state_size = sizeof(struct nvram), .create = nvram_create,
	  .destroy = nvram_destroy, .boot = nvram_boot);

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
	if (!nvram_range_ok(c->args[0], c->args[2], nv->size) ||
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
	     "done (nvram-size, 64 KiB by default; -3 out of range or buffer "
	     "outside memory)");

/*
 * nvram-store(index, buffer, length) -> status, bytes copied.  With an
 * area in flash the store returns success only once the new contents are
 * the area's current copy; a flash error is -1 (hardware error): the
 * bytes are in memory, the flash keeps the last successful store.
 */
static void rtas_nvram_store(struct rtas_call *c)
{
	struct nvram *nv = nvram_checked(c);
	int32_t st = RTAS_OUT_SUCCESS;
	bool ok;

	if (!nv) {
		return;
	}
	/* The guest's bytes are read once, straight into the NVRAM. */
	spin_lock(&nv->lock);
	ok = gmem_read(&c->vc->lpar->mem, c->args[1], nv->data + c->args[0],
		       c->args[2]);
	if (!ok) {
		st = RTAS_OUT_PARAM_ERROR;
	} else if (nv->in_flash && c->args[2]) {
		if (nva_area_commit(&nv_flash, &nv->area, nv->data)) {
			nv->stores++;
			nv->flash_ops += nv->area.ops;
		} else {
			st = RTAS_OUT_HW_ERROR;
		}
	}
	spin_unlock(&nv->lock);
	rtas_status(c, st);
	c->rets[1] = st == RTAS_OUT_SUCCESS ? c->args[2] : 0;
}
RTAS_SERVICE(RTAS_NVRAM_STORE, "nvram-store", rtas_nvram_store, 3, 2,
	     HCALL_INTC_ANY,
	     "done (written to flash before it returns when the machine has "
	     "LPAR_NVRAM, else kept for the partition's life; -3 as "
	     "nvram-fetch, -1 flash error)");
