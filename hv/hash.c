/*
 * Hash (HPT) partitions: each gets a hashed page table in lparvisor's
 * memory (mm/hpt.c), the bolted VRMA entries its real-mode accesses go
 * through, and the page-frame-table hcalls.  QEMU 7.2 spapr_softmmu.c
 * for the calls it has, KVM book3s_hv_rm_mmu.c for H_CLEAR_REF and
 * H_CLEAR_MOD; a radix partition gets H_FUNCTION, as under KVM.  Every
 * change of a valid entry is followed by tlbie of the partition's LPID.
 */
#include "hv/console.h"
#include "hv/cpu.h"
#include "hv/hcall.h"
#include "hv/hv.h"
#include "hv/lpar.h"
#include "hv/unit.h"
#include "mm/hpt.h"
#include "mm/mem.h"

struct hash_part {
	struct hpt hpt;
	uint32_t lpid;
};

static uint32_t hash_slot;

static void flush_lpid(void *ctx)
{
	const struct hash_part *hp = ctx;

	cpu_tlbie_lpid_hash(hp->lpid);
}

static void table_sync(void *ctx)
{
	(void)ctx;
	ptesync();
}

/* The configuration's hpt-size, else 1/128 of the partition's memory. */
static uint32_t table_shift(const struct lpar *l)
{
	uint64_t size = l->cfg.hpt_size;
	uint32_t shift = 0;

	if (!size) {
		return hpt_shift_for_mem(l->mem.size);
	}
	while ((1ull << shift) < size) {
		shift++;
	}
	return shift;
}

static bool hash_create(struct lpar *l)
{
	struct hash_part *hp = lpar_unit_state(l, hash_slot);
	uint32_t shift;
	uint64_t base;

	if (l->cfg.mmu != CONFIG_MMU_HASH) {
		return true;
	}
	shift = table_shift(l);
	base = mem_pages_alloc(1ull << shift, 1ull << shift, false, 0);
	if (!base) {
		hv_printf("lparvisor: partition \"%s\": no free block of %llu "
			  "KiB for its hashed page table; not started\n",
			  l->cfg.name, (unsigned long long)(1ull << (shift - 10)));
		return false;
	}
	hp->lpid = l->cfg.lpid;
	hp->hpt.table = (be64 *)(uintptr_t)base;
	hp->hpt.shift = shift;
	hp->hpt.v3 = cpu_family_has_radix(hv_machine.family); /* ISA 3.0 */
	hp->hpt.mem = l->mem;
	hp->hpt.ops.flush = flush_lpid;
	hp->hpt.ops.sync = table_sync;
	hp->hpt.ops.ctx = hp;
	mem_zero(hp->hpt.table, 1ull << shift);
	l->hpt = &hp->hpt;
	return true;
}

static void hash_destroy(struct lpar *l)
{
	if (l->hpt) {
		mem_pages_free((uintptr_t)l->hpt->table, 1ull << l->hpt->shift);
		l->hpt = NULL;
	}
}

/* Every boot: an empty table but for the VRMA (no vCPU is in the guest). */
static void hash_reset(struct lpar *l)
{
	if (l->hpt) {
		hpt_clear(l->hpt);
		hpt_map_vrma(l->hpt);
	}
}

LPAR_UNIT(hash, .order = UNIT_ORDER_HPT, .slot = &hash_slot,
	  .state_size = sizeof(struct hash_part), .create = hash_create,
	  .destroy = hash_destroy, .reset = hash_reset);

static int64_t h_enter(struct vcpu *vc, struct hcall_args *a)
{
	struct hpt *h = vc->lpar->hpt;
	int64_t rc;

	if (!h) {
		return H_FUNCTION;
	}
	rc = hpt_enter(h, a->arg[0], a->arg[1], a->arg[2], a->arg[3],
		       &a->ret[0]);
	a->ret_count = rc == H_SUCCESS ? 1 : 0;
	return rc;
}
HCALL(H_ENTER, h_enter, 1, "hcall-pft", HCALL_INTC_ANY,
      "done (hash partitions; H_FUNCTION for radix)");

static int64_t h_remove(struct vcpu *vc, struct hcall_args *a)
{
	struct hpt *h = vc->lpar->hpt;
	int64_t rc;

	if (!h) {
		return H_FUNCTION;
	}
	rc = hpt_remove(h, a->arg[0], a->arg[1], a->arg[2], &a->ret[0],
			&a->ret[1]);
	a->ret_count = rc == H_SUCCESS ? 2 : 0;
	return rc;
}
HCALL(H_REMOVE, h_remove, 2, "hcall-pft", HCALL_INTC_ANY,
      "done (hash partitions; H_FUNCTION for radix)");

static int64_t h_read(struct vcpu *vc, struct hcall_args *a)
{
	struct hpt *h = vc->lpar->hpt;
	uint32_t n = 0;
	int64_t rc;

	if (!h) {
		return H_FUNCTION;
	}
	rc = hpt_read(h, a->arg[0], a->arg[1], a->ret, &n);
	a->ret_count = 2 * n;
	return rc;
}
HCALL(H_READ, h_read, 8, "hcall-pft", HCALL_INTC_ANY,
      "done (hash partitions, and H_READ_4; H_FUNCTION for radix)");

static int64_t h_protect(struct vcpu *vc, struct hcall_args *a)
{
	struct hpt *h = vc->lpar->hpt;

	if (!h) {
		return H_FUNCTION;
	}
	return hpt_protect(h, a->arg[0], a->arg[1], a->arg[2]);
}
HCALL(H_PROTECT, h_protect, 0, "hcall-pft", HCALL_INTC_ANY,
      "done (hash partitions; H_FUNCTION for radix)");

static int64_t h_clear_ref(struct vcpu *vc, struct hcall_args *a)
{
	struct hpt *h = vc->lpar->hpt;
	int64_t rc;

	if (!h) {
		return H_FUNCTION;
	}
	rc = hpt_clear_ref(h, a->arg[1], &a->ret[0]);
	a->ret_count = rc == H_SUCCESS ? 1 : 0;
	return rc;
}
HCALL(H_CLEAR_REF, h_clear_ref, 1, "hcall-pft", HCALL_INTC_ANY,
      "done (hash partitions, KVM's semantics; QEMU 7.2 has none)");

static int64_t h_clear_mod(struct vcpu *vc, struct hcall_args *a)
{
	struct hpt *h = vc->lpar->hpt;
	int64_t rc;

	if (!h) {
		return H_FUNCTION;
	}
	rc = hpt_clear_mod(h, a->arg[1], &a->ret[0]);
	a->ret_count = rc == H_SUCCESS ? 1 : 0;
	return rc;
}
HCALL(H_CLEAR_MOD, h_clear_mod, 1, "hcall-pft", HCALL_INTC_ANY,
      "done (hash partitions, KVM's semantics; QEMU 7.2 has none)");

static int64_t h_bulk_remove(struct vcpu *vc, struct hcall_args *a)
{
	struct hpt *h = vc->lpar->hpt;
	int64_t rc;

	if (!h) {
		return H_FUNCTION;
	}
	/* Answered in place, as QEMU: r4..r11 come back, responses in. */
	memcpy(a->ret, a->arg, 8 * sizeof(a->ret[0]));
	rc = hpt_bulk_remove(h, a->ret);
	a->ret_count = 8;
	return rc;
}
HCALL(H_BULK_REMOVE, h_bulk_remove, 8, "hcall-bulk", HCALL_INTC_ANY,
      "done (hash partitions; H_FUNCTION for radix)");
