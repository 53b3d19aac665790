/*
 * firmware = "slof": QEMU's SLOF, unmodified (Debian's slof.bin, the
 * bundle image "slof"), runs in the partition as QEMU 7.2's -M pseries
 * runs it (hw/ppc/spapr.c spapr_machine_reset, spapr_hcall.c): copied to
 * guest real 0 and entered at 0x100 with r3 = the device tree, which
 * names the kernel lparvisor placed (/chosen qemu,boot-kernel).  SLOF
 * serves Linux's prom_init itself; it asks lparvisor for what only the
 * hypervisor knows through QEMU's private hcalls: KVMPPC_H_CAS (the
 * negotiation, answered with the whole tree after it, as QEMU does),
 * KVMPPC_H_UPDATE_DT (the tree SLOF hands the kernel, checked, its RTAS
 * location kept for machine-check logs), KVMPPC_H_LOGICAL_MEMOP (copies
 * and inversions), and KVMPPC_H_RTAS, the console and the VIO hcalls,
 * which every partition has.
 */
#include <libfdt.h>

#include "hv/abi/hcall.h"
#include "hv/abi/layout.h"
#include "hv/console.h"
#include "hv/guest_dt.h"
#include "hv/hcall.h"
#include "hv/lib/format.h"
#include "hv/lib/string.h"
#include "hv/lock.h"
#include "hv/lpar.h"
#include "hv/mce.h"
#include "hv/spr.h"
#include "hv/unit.h"
#include "hv/vcpu.h"
#include "mm/mem.h"
#include "vio/ofci.h"
#include "vio/slof_calls.h"
#include "vio/vof.h"

/* QEMU 7.2 spapr.c: SLOF is loaded at 0, at most FW_MAX_SIZE bytes, and
 * the top FW_OVERHEAD bytes of the first 2 GiB (RTAS_MAX_ADDR) are its:
 * it copies its ROM below the tree and runs below that (SLOF's
 * board-qemu/llfw/stage2.c). */
#define SLOF_MAX_SIZE 0x400000ull
#define SLOF_OVERHEAD 0x2800000ull
#define SLOF_TOP_MAX 0x80000000ull
/* The answer to CAS and the copy of an updated tree. */
#define SLOF_BUF_CAP 0x40000u
/* The real-mode address of an hcall argument: the top 4 bits ignored
 * (QEMU's ppc64_phys_to_real). */
#define REAL_MASK 0x0fffffffffffffffull

struct slof {
	struct spinlock lock;     /* the buffers, during one call */
	uint8_t *buf;             /* SLOF_BUF_CAP bytes of heap */
	uint8_t vec[OFCI_CAS_MAX]; /* the copy of a CAS vector */
	uint32_t tree_size;       /* the last tree given: QEMU's initial */
	bool ready;               /* this boot entered SLOF */
	bool told;                /* this boot's CAS line printed */
	uint32_t cas_count, updates, memops, refused;
	uint32_t updated_size;
};

static uint32_t slof_slot;

static struct slof *slof_of(const struct lpar *l)
{
	return lpar_unit_state(l, slof_slot);
}

static bool slof_create(struct lpar *l)
{
	struct slof *s = slof_of(l);

	if (l->cfg.firmware != CONFIG_FIRMWARE_SLOF) {
		return true;
	}
	s->buf = mem_zalloc(SLOF_BUF_CAP, 64);
	if (!s->buf) {
		hv_printf("lparvisor: partition \"%s\": out of heap for SLOF's "
			  "tree (%u KiB); not started\n", l->cfg.name,
			  SLOF_BUF_CAP / 1024);
		return false;
	}
	return true;
}

static void slof_destroy(struct lpar *l)
{
	struct slof *s = slof_of(l);

	if (s->buf) {
		mem_free(s->buf);
		s->buf = NULL;
	}
}

static void slof_reset(struct lpar *l)
{
	slof_of(l)->ready = false;
}

/*
 * Where SLOF gets the tree: at most 2 GiB up (QEMU's RTAS_MAX_ADDR; the
 * client interface has 32-bit cells), FDT_BELOW_TOP under the top.  A
 * larger partition's tree is copied down from where lparvisor built it.
 */
static bool place_tree(struct lpar *l, struct lpar_boot *b, uint64_t *fdt)
{
	uint64_t top = MIN(l->mem.size, SLOF_TOP_MAX);
	const void *built = gmem_ptr(&l->mem, b->fdt_gpa);
	uint32_t size = fdt_totalsize(built); /* ours: not the guest's */

	*fdt = top - LAYOUT_FDT_BELOW_TOP;
	if (*fdt == b->fdt_gpa) {
		return true;
	}
	if (!gmem_owns(&l->mem, *fdt, size)) {
		return false;
	}
	gmem_touch(&l->mem, *fdt, size);
	memmove(gmem_ptr(&l->mem, *fdt), built, size);
	return true;
}

/* Place SLOF at 0 and enter it instead of the kernel. */
static bool slof_firmware(struct lpar *l, struct lpar_boot *b)
{
	struct slof *s = slof_of(l);
	uint64_t fdt, limit;
	uint64_t end = b->initrd_size ? b->initrd_base + b->initrd_size :
					b->kernel_end;

	if (l->cfg.firmware != CONFIG_FIRMWARE_SLOF) {
		return true;
	}
	/* Without a kernel (kernel_end 0) SLOF boots from the disks. */
	if (l->slof_len > SLOF_MAX_SIZE ||
	    (b->kernel_end && l->slof_len > b->kernel_base)) {
		hv_printf("lparvisor: partition \"%s\": SLOF (%llu bytes) "
			  "does not fit below the kernel at 0x%llx; stopped\n",
			  l->cfg.name, (unsigned long long)l->slof_len,
			  (unsigned long long)b->kernel_base);
		return false;
	}
	if (!place_tree(l, b, &fdt)) {
		return false;
	}
	limit = fdt + LAYOUT_FDT_BELOW_TOP - SLOF_OVERHEAD;
	if (l->mem.size < SLOF_OVERHEAD * 2 || end > limit) {
		hv_printf("lparvisor: partition \"%s\": the kernel and "
			  "initramfs end at 0x%llx, in SLOF's memory (from "
			  "0x%llx); stopped\n", l->cfg.name,
			  (unsigned long long)end, (unsigned long long)limit);
		return false;
	}
	gmem_write(&l->mem, 0, l->slof, l->slof_len);
	s->tree_size = fdt_totalsize(gmem_ptr(&l->mem, fdt));
	s->told = false;
	s->ready = true;
	b->entry->pc = LAYOUT_PAYLOAD_ENTRY;
	/* QEMU's reset state: 32-bit big-endian real mode (SLOF sets SF). */
	b->entry->msr = MSR_ME;
	b->entry->r3 = fdt;
	b->entry->r4 = 0;
	b->entry->r5 = 0;
	return true;
}

static size_t slof_describe(const struct lpar *l, char *buf, size_t size)
{
	const struct slof *s = slof_of(l);

	if (l->cfg.firmware != CONFIG_FIRMWARE_SLOF) {
		return 0;
	}
	return (size_t)hv_snprintf(buf, size, "CAS %u, tree updates %u "
				   "(last %u bytes), memops %u, refused %u",
				   s->cas_count, s->updates, s->updated_size,
				   s->memops, s->refused);
}

LPAR_UNIT(slof, .order = UNIT_ORDER_SLOF, .slot = &slof_slot,
	  .state_size = sizeof(struct slof), .create = slof_create,
	  .destroy = slof_destroy, .reset = slof_reset,
	  .firmware = slof_firmware, .describe = slof_describe);

/* The partition runs SLOF this boot; else the hcalls are H_FUNCTION. */
static struct slof *active(struct vcpu *vc)
{
	struct slof *s = slof_of(vc->lpar);

	if (vc->lpar->cfg.firmware != CONFIG_FIRMWARE_SLOF || !s->ready) {
		return NULL;
	}
	return s;
}

static int64_t refuse(struct lpar *l, struct slof *s)
{
	s->refused++;
	l->bad_hcalls++;
	return H_PARAMETER;
}

/*
 * KVMPPC_H_CAS (QEMU 7.2 h_client_architecture_support): r4 = the CAS
 * vector, r5 = SLOF's buffer, r6 = its size.  The answer is a version
 * word and the whole tree after CAS, which SLOF merges into its own.
 * H_PARAMETER for a buffer outside memory or too small (QEMU exits), a
 * vector outside memory or refused; H_BUSY while another vCPU is in a
 * call of this file.
 */
static int64_t h_cas(struct vcpu *vc, struct hcall_args *a)
{
	struct lpar *l = vc->lpar;
	struct slof *s = active(vc);
	uint64_t vec = a->arg[0] & REAL_MASK;
	uint64_t out = a->arg[1], size = a->arg[2];
	uint64_t n = OFCI_CAS_MAX;
	size_t cap, total = 0;

	if (!s) {
		return H_FUNCTION;
	}
	if (size < SLOF_CAS_HDR_BYTES + sizeof(struct fdt_header) ||
	    !gmem_owns(&l->mem, out, size) || vec >= l->mem.size) {
		return refuse(l, s);
	}
	if (!spin_trylock(&s->lock)) {
		return H_BUSY;
	}
	n = MIN(n, l->mem.size - vec);
	gmem_read(&l->mem, vec, s->vec, n);
	cap = (size_t)MIN(size + SLOF_CAS_ANSWER_OFF, (uint64_t)SLOF_BUF_CAP);
	if (!vof_cas_apply(l, vc, s->vec, (size_t)n,
			   s->buf + SLOF_CAS_TREE_OFF, cap - SLOF_CAS_TREE_OFF,
			   &s->told)) {
		total = slof_cas_answer(s->buf, size);
	}
	if (total) {
		gmem_write(&l->mem, out, s->buf + SLOF_CAS_ANSWER_OFF, total);
		s->tree_size = (uint32_t)(total - SLOF_CAS_HDR_BYTES);
		s->cas_count++;
	}
	spin_unlock(&s->lock);
	return total ? H_SUCCESS : refuse(l, s);
}
HCALL(KVMPPC_H_CAS, h_cas, 0, HCALL_NO_SET, HCALL_INTC_ANY,
      "done (partitions with firmware slof: the tree after CAS, vio/slof.c)");

/* Machine-check logs follow RTAS where the client instantiated it, as
 * QEMU's spapr_get_rtas_addr() reads it from the updated tree. */
static void follow_rtas(struct lpar *l, const void *fdt)
{
	int node = fdt_path_offset(fdt, "/rtas");
	const fdt32_t *base;
	int len;

	if (node < 0) {
		return;
	}
	base = fdt_getprop(fdt, node, "linux,rtas-base", &len);
	if (base && len == 4 &&
	    gmem_owns(&l->mem, fdt32_to_cpu(*base), l->tree_in.rtas_size)) {
		mce_reset(&l->fwnmi, fdt32_to_cpu(*base) + MCE_LOG_OFFSET);
	}
}

/*
 * KVMPPC_H_UPDATE_DT (QEMU 7.2 h_update_dt): r4 = the tree SLOF leaves
 * the kernel, at quiesce.  It is copied once and checked whole; at most
 * twice the size of the tree lparvisor last gave (QEMU's rule).
 * H_PARAMETER for a tree outside memory, too large or unsound.
 */
static int64_t h_update_dt(struct vcpu *vc, struct hcall_args *a)
{
	struct lpar *l = vc->lpar;
	struct slof *s = active(vc);
	uint64_t dt = a->arg[0] & REAL_MASK;
	uint8_t hdr[8];
	uint32_t size;
	int64_t rc;

	if (!s) {
		return H_FUNCTION;
	}
	if (!gmem_read(&l->mem, dt, hdr, sizeof(hdr)) ||
	    slof_update_dt_size(hdr, s->tree_size, SLOF_BUF_CAP, &size) ||
	    !gmem_owns(&l->mem, dt, size)) {
		return refuse(l, s);
	}
	if (!spin_trylock(&s->lock)) {
		return H_BUSY;
	}
	gmem_read(&l->mem, dt, s->buf, size);
	rc = slof_update_dt_check(s->buf, size);
	if (rc == H_SUCCESS) {
		follow_rtas(l, s->buf);
		s->updates++;
		s->updated_size = size;
	}
	spin_unlock(&s->lock);
	return rc == H_SUCCESS ? H_SUCCESS : refuse(l, s);
}
HCALL(KVMPPC_H_UPDATE_DT, h_update_dt, 0, HCALL_NO_SET, HCALL_INTC_ANY,
      "done (partitions with firmware slof: checked, RTAS location kept)");

/*
 * KVMPPC_H_LOGICAL_MEMOP (QEMU 7.2 h_logical_memop): r4 = destination,
 * r5 = source, r6 = log2 of the element size, r7 = element count, r8 =
 * 0 copy or 1 invert.  Both ranges must be the partition's memory.
 * H_PARAMETER otherwise (vio/slof_calls.h).
 */
static int64_t h_logical_memop(struct vcpu *vc, struct hcall_args *a)
{
	struct lpar *l = vc->lpar;
	struct slof *s = active(vc);
	struct slof_memop m;

	if (!s) {
		return H_FUNCTION;
	}
	if (slof_memop_check(a->arg[0], a->arg[1], a->arg[2], a->arg[3],
			     a->arg[4], l->mem.size, &m)) {
		return refuse(l, s);
	}
	gmem_touch(&l->mem, m.src, m.len);
	gmem_touch(&l->mem, m.dst, m.len);
	slof_memop_run(gmem_ptr(&l->mem, 0), &m);
	s->memops++;
	return H_SUCCESS;
}
HCALL(KVMPPC_H_LOGICAL_MEMOP, h_logical_memop, 0, HCALL_NO_SET,
      HCALL_INTC_ANY,
      "done (partitions with firmware slof: copy and invert in its memory)");
