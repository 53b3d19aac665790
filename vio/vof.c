/*
 * firmware = "vof": the partition is entered in lparvisor's firmware
 * (slof/vof.S, carried in the image), which starts the kernel as Open
 * Firmware does; the kernel's prom_init then calls the client interface,
 * which the firmware forwards here with KVMPPC_H_VOF_CLIENT, QEMU 7.2's
 * split (hw/ppc/spapr_vof.c).  lparvisor holds the tree (vio/ofci.c) and
 * answers CAS itself (vio/cas.c): a dual partition's interrupt mode, the
 * LPCR that follows and the tree after CAS.  After quiesce the kernel
 * runs on the tree prom_init flattened from ours.
 */
#include <libfdt.h>

#include "hv/abi/layout.h"
#include "hv/console.h"
#include "hv/cpu.h"
#include "hv/hcall.h"
#include "hv/lib/format.h"
#include "hv/hv.h"
#include "hv/lock.h"
#include "hv/lpar.h"
#include "hv/lpar_ops.h"
#include "hv/machine.h"
#include "hv/spr.h"
#include "hv/unit.h"
#include "intc/intc.h"
#include "mm/mem.h"
#include "vio/cas.h"
#include "vio/ofci.h"
#include "vio/vof.h"
#include "vio/vty.h"

#include "vof_blob.h" /* build/include: slof/vof.S as bytes */

_Static_assert(sizeof(vof_blob) <= LAYOUT_VOF_SIZE,
	       "the firmware must fit below its stack and claimed range");

/* Each of the two tree buffers (the served tree, the next one). */
#define VOF_TREE_CAP 0x20000u

struct vof {
	struct spinlock lock;    /* one client-interface call at a time */
	struct ofci oc;
	struct lpar *l;
	struct vcpu *vc;         /* the caller of the call being served */
	void *trees;             /* 2 * VOF_TREE_CAP */
	uint64_t boot_tb;
	bool ready;              /* this boot's tree is served */
	bool told;               /* this boot's CAS line printed */
};

static uint32_t vof_slot;

static struct vof *vof_of(const struct lpar *l)
{
	return lpar_unit_state(l, vof_slot);
}

static void ops_write(void *ctx, const char *buf, size_t len)
{
	vty_output(((struct vof *)ctx)->vc, buf, len);
}

/* The LPCR bits of the interrupt mode CAS chose (intc/intc.c). */
static void update_lpcr(struct lpar *l)
{
	l->lpcr = (l->lpcr & ~(LPCR_LPES0 | LPCR_HVICE)) | intc_lpcr(l);
}

/* The host's family as a processor level: the highest CAS may pick. */
static enum config_compat host_level(void)
{
	switch (hv_machine.family) {
	case CPU_POWER8:
		return CONFIG_COMPAT_POWER8;
	case CPU_POWER9:
		return CONFIG_COMPAT_POWER9;
	case CPU_POWER10:
		return CONFIG_COMPAT_POWER10;
	default:
		return CONFIG_COMPAT_NONE;
	}
}

static const char *level_name(enum config_compat c)
{
	switch (c) {
	case CONFIG_COMPAT_POWER8:
		return "POWER8";
	case CONFIG_COMPAT_POWER9:
		return "POWER9";
	case CONFIG_COMPAT_POWER10:
		return "Power10";
	default:
		return "raw PVR";
	}
}

int vof_cas_apply(struct lpar *l, struct vcpu *vc, const uint8_t *vec,
		  size_t len, void *buf, size_t cap, bool *told)
{
	struct cas_request req;
	struct cas_result res;
	struct cas_offer offer = {
		.xics = l->cfg.intc_dual || l->cfg.intc == CONFIG_INTC_XICS,
		.xive = l->cfg.intc_dual || l->cfg.intc == CONFIG_INTC_XIVE,
		.mmu = l->cfg.mmu,
		.host_pvr = hv_machine.cores[0].pvr,
		.host_level = host_level(),
		.compat = l->cfg.compat,
	};
	enum cas_err e = cas_parse(vec, len, &req);
	int rc;

	if (e == CAS_OK) {
		e = cas_decide(&req, &offer, &res);
	}
	if (e != CAS_OK) {
		if (!*told) { /* once a boot: a guest cannot flood */
			*told = true;
			hv_printf("lparvisor: partition \"%s\": CAS refused: "
				  "%s\n", l->cfg.name, cas_strerror(e));
		}
		l->bad_hcalls++;
		return -1;
	}
	if (!intc_set_mode(l, vc, res.intc)) {
		return -1;
	}
	lpar_set_level(l, res.compat);
	update_lpcr(l);
	/* SLOF merges the answer into its tree; VOF replaces its tree. */
	rc = lpar_build_tree(l, buf, cap,
			     l->cfg.firmware == CONFIG_FIRMWARE_SLOF);
	if (rc) {
		hv_printf("lparvisor: partition \"%s\": device tree after "
			  "CAS: %s\n", l->cfg.name, fdt_strerror(rc));
		return -1;
	}
	if (!*told) {
		*told = true;
		hv_printf("lparvisor: partition \"%s\": CAS: %s, %s, %s\n",
			  l->cfg.name,
			  res.intc == CONFIG_INTC_XIVE ? "XIVE" : "XICS",
			  res.mmu == CONFIG_MMU_RADIX ? "radix" : "hash",
			  level_name(res.compat));
	}
	return 0;
}

static int ops_cas(void *ctx, const uint8_t *vec, size_t len, void *buf,
		   size_t cap)
{
	struct vof *v = ctx;

	return vof_cas_apply(v->l, v->vc, vec, len, buf, cap, &v->told);
}

static bool ops_instantiate_rtas(void *ctx, uint64_t base)
{
	return lpar_place_rtas(((struct vof *)ctx)->l, base);
}

static void ops_quiesce(void *ctx)
{
	(void)ctx; /* nothing of ours runs behind the client's back */
}

static void ops_exit(void *ctx)
{
	lpar_request_stop(((struct vof *)ctx)->l, STOP_POWER_OFF);
}

static uint32_t ops_milliseconds(void *ctx)
{
	struct vof *v = ctx;

	return (uint32_t)((mftb() - v->boot_tb) / (hv_machine.tb_freq / 1000));
}

static const struct ofci_ops vof_ops = {
	.write = ops_write,
	.cas = ops_cas,
	.instantiate_rtas = ops_instantiate_rtas,
	.quiesce = ops_quiesce,
	.exit = ops_exit,
	.milliseconds = ops_milliseconds,
};

static bool vof_create(struct lpar *l)
{
	struct vof *v = vof_of(l);

	if (l->cfg.firmware != CONFIG_FIRMWARE_VOF) {
		return true;
	}
	v->trees = mem_zalloc(2ull * VOF_TREE_CAP, 64);
	if (!v->trees) {
		hv_printf("lparvisor: partition \"%s\": out of heap for its "
			  "firmware's tree (%u KiB); not started\n",
			  l->cfg.name, 2 * VOF_TREE_CAP / 1024);
		return false;
	}
	v->l = l;
	v->oc.mem = &l->mem;
	v->oc.ops = &vof_ops;
	v->oc.ctx = v;
	return true;
}

static void vof_destroy(struct lpar *l)
{
	struct vof *v = vof_of(l);

	if (v->trees) {
		mem_free(v->trees);
		v->trees = NULL;
	}
}

static void vof_reset(struct lpar *l)
{
	vof_of(l)->ready = false;
}

/* Place the firmware, serve the tree, enter the firmware instead. */
static bool vof_firmware(struct lpar *l, struct lpar_boot *b)
{
	struct vof *v = vof_of(l);
	char path[40];
	uint8_t *t = v->trees;
	int rc;

	if (l->cfg.firmware != CONFIG_FIRMWARE_VOF) {
		return true;
	}
	hv_snprintf(path, sizeof(path), "/vdevice/vty@%x", LAYOUT_VTY_REG);
	gmem_touch(&l->mem, b->fdt_gpa, LAYOUT_FDT_MAX); /* built there */
	rc = ofci_init(&v->oc, t, t + VOF_TREE_CAP, VOF_TREE_CAP,
		       gmem_ptr(&l->mem, b->fdt_gpa), path);
	if (rc) {
		hv_printf("lparvisor: partition \"%s\": firmware tree: %s; "
			  "stopped\n", l->cfg.name, fdt_strerror(rc));
		return false;
	}
	if (!ofci_claim_fixed(&v->oc, 0, LAYOUT_VOF_SIZE) ||
	    !ofci_claim_fixed(&v->oc, b->kernel_base,
			      b->kernel_end - b->kernel_base) ||
	    (b->initrd_size &&
	     !ofci_claim_fixed(&v->oc, b->initrd_base, b->initrd_size))) {
		hv_printf("lparvisor: partition \"%s\": the kernel overlaps "
			  "the firmware (0..0x%llx); stopped\n", l->cfg.name,
			  (unsigned long long)LAYOUT_VOF_SIZE);
		return false;
	}
	gmem_write(&l->mem, 0, vof_blob, sizeof(vof_blob));
	v->boot_tb = mftb();
	v->told = false;
	v->ready = true;
	b->entry->r3 = b->initrd_size ? b->initrd_base : 0;
	b->entry->r4 = b->initrd_size;
	b->entry->r5 = b->entry->pc;
	b->entry->pc = LAYOUT_PAYLOAD_ENTRY;
	b->entry->msr = MSR_ME; /* 32-bit big-endian, as firmware runs */
	return true;
}

static size_t vof_describe(const struct lpar *l, char *buf, size_t size)
{
	const struct vof *v = vof_of(l);

	if (l->cfg.firmware != CONFIG_FIRMWARE_VOF) {
		return 0;
	}
	return (size_t)hv_snprintf(buf, size, "client calls %llu (refused "
				   "%llu), CAS %u, quiesced %s",
				   (unsigned long long)v->oc.calls,
				   (unsigned long long)v->oc.refused,
				   v->oc.cas_count,
				   v->oc.quiesced ? "yes" : "no");
}

LPAR_UNIT(vof, .order = UNIT_ORDER_VOF, .slot = &vof_slot,
	  .state_size = sizeof(struct vof), .create = vof_create,
	  .destroy = vof_destroy, .reset = vof_reset,
	  .firmware = vof_firmware, .describe = vof_describe);

/*
 * KVMPPC_H_VOF_CLIENT (QEMU 7.2 h_vof_client): r4 = the client's argument
 * array, a 32-bit address (the client runs in 32-bit mode).  H_FUNCTION
 * for a partition without our firmware.
 */
static int64_t h_vof_client(struct vcpu *vc, struct hcall_args *a)
{
	struct vof *v = vof_of(vc->lpar);
	int64_t rc;

	if (vc->lpar->cfg.firmware != CONFIG_FIRMWARE_VOF || !v->ready) {
		return H_FUNCTION;
	}
	/*
	 * prom_init calls from one vCPU, but a hostile guest may call from
	 * several at once: the tree buffers and the call state are shared,
	 * so calls are served one at a time (each is bounded).
	 */
	spin_lock(&v->lock);
	v->vc = vc;
	rc = ofci_call(&v->oc, a->arg[0] & 0xffffffffull);
	spin_unlock(&v->lock);
	return rc;
}
HCALL(KVMPPC_H_VOF_CLIENT, h_vof_client, 0, HCALL_NO_SET, HCALL_INTC_ANY,
      "done (partitions with firmware vof: the client interface of vio/ofci.c)");
