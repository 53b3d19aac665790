/*
 * Hash (HPT) partitions: each gets a hashed page table in lparvisor's
 * memory (mm/hpt.c), the bolted VRMA entries its real-mode accesses go
 * through, and the page-frame-table hcalls.  QEMU 7.2 spapr_softmmu.c
 * for the calls it has, KVM book3s_hv_rm_mmu.c for H_CLEAR_REF and
 * H_CLEAR_MOD; a radix partition gets H_FUNCTION, as under KVM.  Every
 * change of a valid entry is followed by tlbie of the partition's LPID.
 * H_RESIZE_HPT_PREPARE/COMMIT (QEMU 7.2 spapr_hcall.c, softmmu): the
 * prepare makes the new table at once but answers as QEMU's thread would,
 * "busy" first and its result when asked again; the commit moves the
 * bolted entries while no other hcall uses the table: every table hcall
 * holds `users`, the commit sets `resizing` and waits for none.
 * A hash partition's device pages (its XIVE ESB and TIMA pages) are not
 * in a partition-scoped table: lpar_map_io() gives them to
 * hash_map_io(), and H_ENTER takes an entry naming one of them,
 * cache-inhibited, translated to the host page.
 */
#include "hv/console.h"
#include "hv/cpu.h"
#include "hv/hcall.h"
#include "hv/hv.h"
#include "hv/lib/string.h"
#include "hv/lpar.h"
#include "hv/lpar_ops.h"
#include "hv/unit.h"
#include "hv/vcpu.h"
#include "mm/hpt.h"
#include "mm/mem.h"

struct hash_part {
	struct hpt hpt;
	uint32_t lpid;
	uint32_t users;     /* hcalls using the table now */
	uint32_t resizing;  /* a commit owns the table */
	struct spinlock resize_lock; /* the pending table */
	struct hpt pending; /* H_RESIZE_HPT_PREPARE's table (table NULL: none) */
	uint32_t pending_shift;
	int64_t pending_rc;
	struct hpt_io *io;  /* device pages it may enter (hash_map_io()) */
	uint32_t io_cap;
	/*
	 * POWER8: the table before the last resize, kept until every vCPU
	 * in the guest has loaded the new SDR1 (retired_gone()).
	 */
	struct hpt retired; /* table NULL: none */
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

static void drop_pending(struct hash_part *hp)
{
	if (hp->pending.table) {
		mem_pages_free((uintptr_t)hp->pending.table,
			       1ull << hp->pending.shift);
	}
	hp->pending.table = NULL;
	hp->pending_shift = 0;
}

static void drop_retired(struct hash_part *hp)
{
	if (hp->retired.table) {
		mem_pages_free((uintptr_t)hp->retired.table,
			       1ull << hp->retired.shift);
	}
	hp->retired.table = NULL;
}

/*
 * POWER8: free the table of the last resize once no vCPU can still
 * translate through it: each vCPU running or ceded has loaded the new
 * SDR1 (guest.c sdr1_follow(): at its next exit or in its cede), and any
 * other loads it as it enters.  False while one has not.
 */
static bool retired_gone(struct lpar *l, struct hash_part *hp)
{
	uint32_t gen = __atomic_load_n(&l->sdr1_gen, __ATOMIC_ACQUIRE);

	if (!hp->retired.table) {
		return true;
	}
	for (uint32_t i = 0; i < l->vcpu_count; i++) {
		struct vcpu *vc = l->vcpus[i];
		enum vcpu_state s = vcpu_state(vc);

		if ((s == VCPU_RUNNING || s == VCPU_CEDED) &&
		    __atomic_load_n(&vc->sdr1_gen, __ATOMIC_ACQUIRE) != gen) {
			return false;
		}
	}
	drop_retired(hp);
	return true;
}

static void hash_destroy(struct lpar *l)
{
	struct hash_part *hp = lpar_unit_state(l, hash_slot);

	if (l->hpt) {
		drop_retired(hp);
		drop_pending(hp);
		mem_pages_free((uintptr_t)l->hpt->table, 1ull << l->hpt->shift);
		l->hpt = NULL;
	}
	mem_free(hp->io);
	hp->io = NULL;
	hp->hpt.io = NULL;
	hp->hpt.io_count = hp->io_cap = 0;
}

bool hash_map_io(struct lpar *l, uint64_t gpa, uint64_t hpa, uint64_t size)
{
	struct hash_part *hp = lpar_unit_state(l, hash_slot);
	uint32_t n = hp->hpt.io_count;
	struct hpt_io *last = n ? &hp->io[n - 1] : NULL;

	if (((gpa | hpa | size) & (SZ_64K - 1)) || !size ||
	    gpa + size < gpa || hpa + size < hpa) {
		return false;
	}
	/* The XIVE maps a source's two pages in a row: one range. */
	if (last && last->gpa + last->size == gpa &&
	    last->hpa + last->size == hpa) {
		last->size += size;
		return true;
	}
	if (n == hp->io_cap) {
		uint32_t cap = hp->io_cap ? 2 * hp->io_cap : 16;
		struct hpt_io *io = mem_zalloc(cap * sizeof(*io), 8);

		if (!io) {
			return false;
		}
		if (n) {
			memcpy(io, hp->io, n * sizeof(*io));
		}
		mem_free(hp->io);
		hp->io = io;
		hp->io_cap = cap;
		hp->hpt.io = io;
	}
	hp->io[n].gpa = gpa;
	hp->io[n].hpa = hpa;
	hp->io[n].size = size;
	hp->hpt.io_count = n + 1;
	return true;
}

/*
 * Every boot: an empty table but for the VRMA (no vCPU is in the guest),
 * of the configured size again after a resize (as QEMU's reset).
 */
static void hash_reset(struct lpar *l)
{
	struct hash_part *hp = lpar_unit_state(l, hash_slot);
	uint32_t shift = table_shift(l);
	uint64_t base;

	if (!l->hpt) {
		return;
	}
	drop_retired(hp); /* no vCPU is in the guest */
	drop_pending(hp);
	if (hp->hpt.shift != shift) {
		base = mem_pages_alloc(1ull << shift, 1ull << shift, false, 0);
		if (base) { /* else the resized one serves on */
			mem_pages_free((uintptr_t)hp->hpt.table,
				       1ull << hp->hpt.shift);
			hp->hpt.table = (be64 *)(uintptr_t)base;
			hp->hpt.shift = shift;
		}
	}
	hpt_clear(l->hpt);
	hpt_map_vrma(l->hpt);
}

/* The table for an hcall, or NULL (radix partition); hash_put() after. */
static struct hpt *hash_get(struct vcpu *vc)
{
	struct hash_part *hp;

	if (!vc->lpar->hpt) {
		return NULL;
	}
	hp = lpar_unit_state(vc->lpar, hash_slot);
	for (;;) {
		while (__atomic_load_n(&hp->resizing, __ATOMIC_ACQUIRE)) {
			smt_low();
		}
		smt_medium();
		__atomic_fetch_add(&hp->users, 1, __ATOMIC_ACQ_REL);
		if (!__atomic_load_n(&hp->resizing, __ATOMIC_ACQUIRE)) {
			return &hp->hpt;
		}
		__atomic_fetch_sub(&hp->users, 1, __ATOMIC_RELEASE);
	}
}

static void hash_put(struct vcpu *vc)
{
	struct hash_part *hp = lpar_unit_state(vc->lpar, hash_slot);

	__atomic_fetch_sub(&hp->users, 1, __ATOMIC_RELEASE);
}

LPAR_UNIT(hash, .order = UNIT_ORDER_HPT, .slot = &hash_slot,
	  .state_size = sizeof(struct hash_part), .create = hash_create,
	  .destroy = hash_destroy, .reset = hash_reset);

static int64_t h_enter(struct vcpu *vc, struct hcall_args *a)
{
	struct hpt *h = hash_get(vc);
	int64_t rc;

	if (!h) {
		return H_FUNCTION;
	}
	rc = hpt_enter(h, a->arg[0], a->arg[1], a->arg[2], a->arg[3],
		       &a->ret[0]);
	a->ret_count = rc == H_SUCCESS ? 1 : 0;
	hash_put(vc);
	return rc;
}
HCALL(H_ENTER, h_enter, 1, "hcall-pft", HCALL_INTC_ANY,
      "done (hash partitions: its memory, and its XIVE ESB and TIMA "
      "pages cache-inhibited; H_FUNCTION for radix)");

static int64_t h_remove(struct vcpu *vc, struct hcall_args *a)
{
	struct hpt *h = hash_get(vc);
	int64_t rc;

	if (!h) {
		return H_FUNCTION;
	}
	rc = hpt_remove(h, a->arg[0], a->arg[1], a->arg[2], &a->ret[0],
			&a->ret[1]);
	a->ret_count = rc == H_SUCCESS ? 2 : 0;
	hash_put(vc);
	return rc;
}
HCALL(H_REMOVE, h_remove, 2, "hcall-pft", HCALL_INTC_ANY,
      "done (hash partitions; H_FUNCTION for radix)");

static int64_t h_read(struct vcpu *vc, struct hcall_args *a)
{
	struct hpt *h = hash_get(vc);
	uint32_t n = 0;
	int64_t rc;

	if (!h) {
		return H_FUNCTION;
	}
	rc = hpt_read(h, a->arg[0], a->arg[1], a->ret, &n);
	a->ret_count = 2 * n;
	hash_put(vc);
	return rc;
}
HCALL(H_READ, h_read, 8, "hcall-pft", HCALL_INTC_ANY,
      "done (hash partitions, and H_READ_4; H_FUNCTION for radix)");

static int64_t h_protect(struct vcpu *vc, struct hcall_args *a)
{
	struct hpt *h = hash_get(vc);
	int64_t rc;

	if (!h) {
		return H_FUNCTION;
	}
	rc = hpt_protect(h, a->arg[0], a->arg[1], a->arg[2]);
	hash_put(vc);
	return rc;
}
HCALL(H_PROTECT, h_protect, 0, "hcall-pft", HCALL_INTC_ANY,
      "done (hash partitions; H_FUNCTION for radix)");

static int64_t h_clear_ref(struct vcpu *vc, struct hcall_args *a)
{
	struct hpt *h = hash_get(vc);
	int64_t rc;

	if (!h) {
		return H_FUNCTION;
	}
	rc = hpt_clear_ref(h, a->arg[1], &a->ret[0]);
	a->ret_count = rc == H_SUCCESS ? 1 : 0;
	hash_put(vc);
	return rc;
}
HCALL(H_CLEAR_REF, h_clear_ref, 1, "hcall-pft", HCALL_INTC_ANY,
      "done (hash partitions, KVM's semantics; QEMU 7.2 has none)");

static int64_t h_clear_mod(struct vcpu *vc, struct hcall_args *a)
{
	struct hpt *h = hash_get(vc);
	int64_t rc;

	if (!h) {
		return H_FUNCTION;
	}
	rc = hpt_clear_mod(h, a->arg[1], &a->ret[0]);
	a->ret_count = rc == H_SUCCESS ? 1 : 0;
	hash_put(vc);
	return rc;
}
HCALL(H_CLEAR_MOD, h_clear_mod, 1, "hcall-pft", HCALL_INTC_ANY,
      "done (hash partitions, KVM's semantics; QEMU 7.2 has none)");

static int64_t h_bulk_remove(struct vcpu *vc, struct hcall_args *a)
{
	struct hpt *h = hash_get(vc);
	int64_t rc;

	if (!h) {
		return H_FUNCTION;
	}
	/* Answered in place, as QEMU: r4..r11 come back, responses in. */
	memcpy(a->ret, a->arg, 8 * sizeof(a->ret[0]));
	rc = hpt_bulk_remove(h, a->ret);
	a->ret_count = 8;
	hash_put(vc);
	return rc;
}
HCALL(H_BULK_REMOVE, h_bulk_remove, 8, "hcall-bulk", HCALL_INTC_ANY,
      "done (hash partitions; H_FUNCTION for radix)");

/*
 * H_RESIZE_HPT_PREPARE(flags, shift): QEMU 7.2's checks and codes.  The
 * table is made here and now; the first call for a size answers
 * H_LONG_BUSY_ORDER_100_MSEC as QEMU's preparing thread does, the next
 * ones the result.  shift 0 drops a prepared table.
 */
static int64_t h_resize_hpt_prepare(struct vcpu *vc, struct hcall_args *a)
{
	struct lpar *l = vc->lpar;
	struct hash_part *hp;
	uint64_t flags = a->arg[0], shift = a->arg[1], base;
	int64_t rc;

	if (!l->hpt) {
		return H_FUNCTION;
	}
	if (flags) {
		return H_PARAMETER;
	}
	if (shift && (shift < HPT_SHIFT_MIN || shift > HPT_SHIFT_MAX)) {
		return H_PARAMETER;
	}
	/* At most one order above its own size, as QEMU allows. */
	if (shift > table_shift(l) + 1) {
		return H_RESOURCE;
	}
	hp = lpar_unit_state(l, hash_slot);
	spin_lock(&hp->resize_lock);
	if (!retired_gone(l, hp)) {
		/* POWER8: a vCPU is still to leave the previous table. */
		rc = H_LONG_BUSY_ORDER_1_MSEC;
		goto out;
	}
	if (shift && hp->pending_shift == shift) {
		rc = hp->pending_rc;
		goto out;
	}
	drop_pending(hp);
	if (!shift) {
		rc = H_SUCCESS;
		goto out;
	}
	hp->pending = hp->hpt;
	hp->pending_shift = (uint32_t)shift;
	base = mem_pages_alloc(1ull << shift, 1ull << shift, false, 0);
	hp->pending.table = (be64 *)(uintptr_t)base;
	hp->pending.shift = (uint32_t)shift;
	hp->pending_rc = base ? H_SUCCESS : H_NO_MEM;
	if (base) {
		mem_zero(hp->pending.table, 1ull << shift);
	}
	rc = H_LONG_BUSY_ORDER_100_MSEC;
out:
	spin_unlock(&hp->resize_lock);
	return rc;
}
HCALL(H_RESIZE_HPT_PREPARE, h_resize_hpt_prepare, 0, "hcall-hpt-resize",
      HCALL_INTC_ANY, "done (hash partitions; synchronous, QEMU's codes)");

/*
 * Move to the prepared table while no other hcall uses the old one.  On
 * POWER9 and later the MMU finds it through the partition-table entry;
 * POWER8 threads through SDR1: the caller's is loaded here, the others
 * are kicked to load theirs, and the old table waits in `retired`.
 */
static int64_t pivot(struct vcpu *vc, struct hash_part *hp)
{
	struct lpar *l = vc->lpar;
	bool p8 = !cpu_family_has_radix(hv_machine.family);
	struct hpt old = hp->hpt;
	int64_t rc;

	__atomic_store_n(&hp->resizing, 1, __ATOMIC_RELEASE);
	while (__atomic_load_n(&hp->users, __ATOMIC_ACQUIRE)) {
		smt_low();
	}
	smt_medium();
	hpt_map_vrma(&hp->pending);
	rc = hpt_rehash(&hp->hpt, &hp->pending);
	if (rc == H_SUCCESS) {
		hp->hpt.table = hp->pending.table;
		hp->hpt.shift = hp->pending.shift;
		hp->pending.table = old.table; /* freed below */
		hp->pending.shift = old.shift;
		lpar_set_pate(l);
		if (p8) {
			guest_load_sdr1(vc);
			for (uint32_t i = 0; i < l->vcpu_count; i++) {
				if (l->vcpus[i] != vc) {
					vcpu_kick(l->vcpus[i]);
				}
			}
			hp->retired = hp->pending; /* the old table, set above */
			hp->pending.table = NULL;
		} else {
			cpu_tlbie_lpid_hash_all(l->cfg.lpid);
		}
	}
	__atomic_store_n(&hp->resizing, 0, __ATOMIC_RELEASE);
	return rc;
}

/*
 * H_RESIZE_HPT_COMMIT(flags, shift): QEMU 7.2's codes: H_CLOSED without
 * a prepare of that size, its H_NO_MEM when it failed, H_PTEG_FULL when
 * two bolted entries collide (the old table stays).
 */
static int64_t h_resize_hpt_commit(struct vcpu *vc, struct hcall_args *a)
{
	struct lpar *l = vc->lpar;
	struct hash_part *hp;
	int64_t rc;

	if (!l->hpt) {
		return H_FUNCTION;
	}
	if (a->arg[0]) {
		return H_PARAMETER;
	}
	hp = lpar_unit_state(l, hash_slot);
	spin_lock(&hp->resize_lock);
	if (!hp->pending_shift || hp->pending_shift != a->arg[1]) {
		rc = H_CLOSED; /* the prepared table stays, as in QEMU */
	} else {
		rc = hp->pending_rc == H_SUCCESS ? pivot(vc, hp) :
						   hp->pending_rc;
		drop_pending(hp);
	}
	spin_unlock(&hp->resize_lock);
	return rc;
}
HCALL(H_RESIZE_HPT_COMMIT, h_resize_hpt_commit, 0, "hcall-hpt-resize",
      HCALL_INTC_ANY, "done (hash partitions; bolted entries kept)");
