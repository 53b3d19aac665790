/*
 * Hashed page tables (mm/hpt.h): the page-frame-table hcalls on a table
 * the hardware walks, every guest page number checked and translated.
 *
 * Changing a valid entry follows Linux's native hash code and KVM: lock
 * it, make it invalid, sync, invalidate the TLB, read dw1 again (the
 * hardware may have set R or C meanwhile), write the new dw1, sync, and
 * write dw0, which drops the lock.  An entry the hardware cannot see
 * (invalid) needs no invalidation before it is filled.
 */
#include "hv/abi/hcall.h"
#include "mm/hpt.h"

#define LOCK_BE cpu_to_be64(HPTE_V_HVLOCK)
#define VALID_BE cpu_to_be64(HPTE_V_VALID)

uint32_t hpt_shift_for_mem(uint64_t mem_size)
{
	uint32_t shift = HPT_SHIFT_MIN;

	while (shift < HPT_SHIFT_MAX && (1ull << shift) < mem_size / 128) {
		shift++;
	}
	return shift;
}

uint64_t hpt_hash(uint64_t vsid, uint64_t seg_offset, unsigned page_shift,
		  bool seg_1t)
{
	uint64_t page = seg_offset >> page_shift;

	if (seg_1t) {
		return vsid ^ (vsid << 25) ^ page;
	}
	return vsid ^ page;
}

/*
 * On POWER9's page size table (4K base: 4K, 64K LP 0111, 16M LP 0x38;
 * 64K base: 64K LP 0001, 16M LP 0x08; 16M base: 16M LP 0; 16G) no other
 * reading of these two encodings matches: 64K has RPN bit 12 set, which
 * every 16M or 16G encoding clears, and 16M has bits 12-23 clear, which
 * no 64K encoding does.  So the page checked is the page the MMU maps,
 * whatever segment the guest reaches the entry through.
 */
unsigned hpt_page_shift(uint64_t v, uint64_t r)
{
	if (!(v & HPTE_V_LARGE)) {
		return 12;
	}
	if ((r & 0xf000) == 0x1000) {
		return 16;
	}
	if ((r & 0xfff000) == 0) {
		return 24;
	}
	return 0;
}

static be64 *entry(struct hpt *h, uint64_t ptex)
{
	return &h->table[2 * ptex];
}

static bool ptex_ok(const struct hpt *h, uint64_t ptex)
{
	return ptex < hpt_entries(h);
}

/* The I/O range holding guest real [gra, gra + len), or NULL. */
static const struct hpt_io *io_by_gpa(const struct hpt *h, uint64_t gra,
				      uint64_t len)
{
	for (uint32_t i = 0; i < h->io_count; i++) {
		const struct hpt_io *io = &h->io[i];

		if (gra >= io->gpa && gra - io->gpa <= io->size &&
		    len <= io->size - (gra - io->gpa)) {
			return io;
		}
	}
	return NULL;
}

/*
 * dw1 as stored (host RPN) back to the guest's: memory is at mem.hpa, an
 * I/O page in the range holding its host address.  Both are aligned to
 * the page, so the LP bits below it stay put.
 */
static uint64_t host_to_guest(const struct hpt *h, uint64_t r)
{
	uint64_t a = r & HPTE_R_RPN;

	if (a >= h->mem.hpa && a - h->mem.hpa < h->mem.size) {
		return r - h->mem.hpa;
	}
	for (uint32_t i = 0; i < h->io_count; i++) {
		const struct hpt_io *io = &h->io[i];

		if (a >= io->hpa && a - io->hpa < io->size) {
			return r - io->hpa + io->gpa;
		}
	}
	return r; /* never stored: check_entry() refuses such a page */
}

/* Guest format to the table's, RPN already translated. */
static void to_hw(const struct hpt *h, uint64_t *v, uint64_t *r)
{
	if (h->v3) {
		*r = (*r & ~HPTE_R_3_0_SSIZE_MASK) |
		     ((*v >> HPTE_V_SSIZE_SHIFT) << HPTE_R_3_0_SSIZE_SHIFT);
		*v &= HPTE_V_COMMON_BITS;
	}
}

/* The table's format to the guest's, RPN translated back when valid. */
static void to_guest(const struct hpt *h, uint64_t *v, uint64_t *r)
{
	if (h->v3) {
		*v = (*v & HPTE_V_COMMON_BITS) |
		     ((*r & HPTE_R_3_0_SSIZE_MASK) >>
		      HPTE_R_3_0_SSIZE_SHIFT << HPTE_V_SSIZE_SHIFT);
		*r &= ~HPTE_R_3_0_SSIZE_MASK;
	}
	if (*v & HPTE_V_VALID) {
		*r = host_to_guest(h, *r);
	}
	*v &= ~HPTE_V_HV_BITS;
}

/* Spin until the entry is ours; its dw0 (locked, CPU order) returned. */
static uint64_t lock_entry(struct hpt *h, uint64_t ptex)
{
	be64 *e = entry(h, ptex);
	be64 old;

	for (;;) {
		old = __atomic_load_n(&e[0], __ATOMIC_RELAXED);
		if (!(old & LOCK_BE) &&
		    __atomic_compare_exchange_n(&e[0], &old, old | LOCK_BE,
						false, __ATOMIC_ACQUIRE,
						__ATOMIC_RELAXED)) {
			return be64_to_cpu(old | LOCK_BE);
		}
	}
}

/* Lock the entry only if free (invalid, unlocked); false otherwise. */
static bool lock_free_entry(struct hpt *h, uint64_t ptex)
{
	be64 *e = entry(h, ptex);
	be64 old = __atomic_load_n(&e[0], __ATOMIC_RELAXED);

	if (old & (LOCK_BE | VALID_BE)) {
		return false;
	}
	return __atomic_compare_exchange_n(&e[0], &old, LOCK_BE, false,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

/* Write dw0 and so drop the lock; dw1 before it. */
static void unlock_entry(struct hpt *h, uint64_t ptex, uint64_t v)
{
	__atomic_store_n(&entry(h, ptex)[0],
			 cpu_to_be64(v & ~HPTE_V_HVLOCK), __ATOMIC_RELEASE);
}

static uint64_t load_r(struct hpt *h, uint64_t ptex)
{
	return be64_to_cpu(__atomic_load_n(&entry(h, ptex)[1],
					   __ATOMIC_RELAXED));
}

static void store_r(struct hpt *h, uint64_t ptex, uint64_t r)
{
	__atomic_store_n(&entry(h, ptex)[1], cpu_to_be64(r),
			 __ATOMIC_RELAXED);
}

/*
 * Make a locked valid entry invalid (it stays locked) and wait until no
 * processor holds a translation from it; then read its final dw1.
 */
static void invalidate_locked(struct hpt *h, uint64_t ptex, uint64_t v)
{
	__atomic_store_n(&entry(h, ptex)[0],
			 cpu_to_be64((v & ~HPTE_V_VALID) | HPTE_V_HVLOCK),
			 __ATOMIC_RELEASE);
	h->ops.sync(h->ops.ctx);
}

void hpt_clear(struct hpt *h)
{
	uint64_t n = 2 * hpt_entries(h);

	for (uint64_t i = 0; i < n; i++) {
		__atomic_store_n(&h->table[i], 0, __ATOMIC_RELAXED);
	}
	h->ops.sync(h->ops.ctx);
	h->ops.flush(h->ops.ctx);
}

uint64_t hpt_map_vrma(struct hpt *h)
{
	uint64_t ptegs = 1ull << (h->shift - 7);
	uint64_t pages = h->mem.size >> HPT_VRMA_SHIFT;
	uint64_t i;

	if (pages > (1ull << (40 - HPT_VRMA_SHIFT))) {
		pages = 1ull << (40 - HPT_VRMA_SHIFT);
	}
	if (pages > ptegs) {
		pages = ptegs; /* one entry per PTEG at most, as KVM */
	}
	for (i = 0; i < pages; i++) {
		uint64_t hash = hpt_hash(HPT_VRMA_VSID, i << HPT_VRMA_SHIFT,
					 HPT_VRMA_SHIFT, true);
		uint64_t ptex = hpt_pteg_index(h, hash);
		uint64_t v = HPTE_V_1TB_SEG | (HPT_VRMA_VSID << 24) |
			     (((i << HPT_VRMA_SHIFT) >> 16) & HPTE_V_AVPN) |
			     HPTE_V_HV_VRMA | HPTE_V_BOLTED | HPTE_V_LARGE |
			     HPTE_V_VALID;
		uint64_t r = (h->mem.hpa + (i << HPT_VRMA_SHIFT)) | HPTE_R_R |
			     HPTE_R_C | HPTE_R_M | 0x2; /* PP 10: read/write */

		to_hw(h, &v, &r);
		store_r(h, ptex, r);
		__atomic_store_n(&entry(h, ptex)[0], cpu_to_be64(v),
				 __ATOMIC_RELEASE);
	}
	h->ops.sync(h->ops.ctx);
	return pages;
}

uint64_t hpt_sdr1(const struct hpt *h)
{
	return (uint64_t)(uintptr_t)h->table | (h->shift - HPT_SHIFT_MIN);
}

uint64_t hpt_pate0(const struct hpt *h)
{
	return (uint64_t)(uintptr_t)h->table | HPT_PATE_PS_16M |
	       (h->shift - HPT_SHIFT_MIN);
}

/*
 * The page an entry maps must be the partition's: ordinary memory, the
 * whole page below its size (no wrap) with WIMG = M as QEMU asks of RAM;
 * or a device page of one of its I/O ranges, cache-inhibited and not
 * write-through, as KVM's hpte_cache_flags_ok() asks of a page the host
 * maps cache-inhibited (guarded or not is the guest's choice, as there).
 * dw1 is translated to the host real page in *r.
 */
static int64_t translate(const struct hpt *h, unsigned shift, uint64_t *r)
{
	uint64_t size = 1ull << shift;
	uint64_t gra = (*r & HPTE_R_RPN) & ~(size - 1);
	const struct hpt_io *io;
	uint64_t hra;

	if (gmem_owns(&h->mem, gra, size)) {
		if ((*r & HPTE_R_WIMG) != HPTE_R_M) {
			return H_PARAMETER;
		}
		/* hpa is 256 MiB aligned: the LP bits below the page stay. */
		*r += h->mem.hpa;
		return H_SUCCESS;
	}
	io = io_by_gpa(h, gra, size);
	if (!io || !(*r & HPTE_R_I) || (*r & HPTE_R_W)) {
		return H_PARAMETER;
	}
	hra = io->hpa + (gra - io->gpa);
	if (hra & (size - 1)) {
		return H_PARAMETER; /* the host page is not a page of this size */
	}
	*r = *r - gra + hra;
	return H_SUCCESS;
}

/* A guest's entry checked and translated for the table, in *v, *r. */
static int64_t check_entry(const struct hpt *h, uint64_t *v, uint64_t *r)
{
	unsigned shift = hpt_page_shift(*v, *r);
	int64_t rc;

	if (!shift) {
		return H_PARAMETER;
	}
	rc = translate(h, shift, r);
	if (rc != H_SUCCESS) {
		return rc;
	}
	*v = (*v & ~HPTE_V_HV_BITS) | HPTE_V_VALID;
	return H_SUCCESS;
}

int64_t hpt_enter(struct hpt *h, uint64_t flags, uint64_t ptex,
		  uint64_t pteh, uint64_t ptel, uint64_t *out)
{
	uint64_t v = pteh, r = ptel, slot;
	int64_t rc = check_entry(h, &v, &r);

	if (rc != H_SUCCESS) {
		return rc;
	}
	if (!ptex_ok(h, ptex)) {
		return H_PARAMETER;
	}
	if (flags & H_EXACT) {
		slot = ptex;
		if (lock_entry(h, slot) & HPTE_V_VALID) {
			unlock_entry(h, slot, be64_to_cpu(entry(h, slot)[0]));
			return H_PTEG_FULL;
		}
	} else {
		ptex &= ~7ull;
		for (slot = ptex; slot < ptex + HPTES_PER_GROUP; slot++) {
			if (lock_free_entry(h, slot)) {
				break;
			}
		}
		if (slot == ptex + HPTES_PER_GROUP) {
			return H_PTEG_FULL;
		}
	}
	to_hw(h, &v, &r);
	store_r(h, slot, r);
	h->ops.sync(h->ops.ctx);
	unlock_entry(h, slot, v);
	h->ops.sync(h->ops.ctx);
	*out = slot;
	return H_SUCCESS;
}

/* The entry as the guest sees it (locked by the caller). */
static void guest_view(struct hpt *h, uint64_t ptex, uint64_t v_locked,
		       uint64_t *v, uint64_t *r)
{
	*v = v_locked;
	*r = load_r(h, ptex);
	to_guest(h, v, r);
}

/* `v` the guest view, `raw` the entry's dw0 in the table. */
static bool matches(uint64_t raw, uint64_t v, uint64_t flags, uint64_t avpn)
{
	if (!(v & HPTE_V_VALID) || (raw & HPTE_V_HV_VRMA)) {
		return false;
	}
	if ((flags & H_AVPN) && (v & ~0x7full) != avpn) {
		return false;
	}
	return !((flags & H_ANDCOND) && (v & avpn));
}

/*
 * Lock entry `ptex` and check it against flags/avpn; when it matches it
 * is made invalid (still locked) and true returned with the locked dw0.
 */
static bool take_for_removal(struct hpt *h, uint64_t ptex, uint64_t flags,
			     uint64_t avpn, uint64_t *locked)
{
	uint64_t v, r;

	*locked = lock_entry(h, ptex);
	guest_view(h, ptex, *locked, &v, &r);
	if (!matches(*locked, v, flags, avpn)) {
		unlock_entry(h, ptex, *locked);
		return false;
	}
	invalidate_locked(h, ptex, *locked);
	return true;
}

/* After the flush: the old entry (guest format) and the slot freed. */
static void finish_removal(struct hpt *h, uint64_t ptex, uint64_t locked,
			   uint64_t *v, uint64_t *r)
{
	guest_view(h, ptex, locked, v, r);
	store_r(h, ptex, 0);
	unlock_entry(h, ptex, 0);
}

int64_t hpt_remove(struct hpt *h, uint64_t flags, uint64_t ptex,
		   uint64_t avpn, uint64_t *v, uint64_t *r)
{
	uint64_t locked;

	if (!ptex_ok(h, ptex)) {
		return H_PARAMETER;
	}
	if (!take_for_removal(h, ptex, flags, avpn, &locked)) {
		return H_NOT_FOUND;
	}
	h->ops.flush(h->ops.ctx);
	finish_removal(h, ptex, locked, v, r);
	h->ops.sync(h->ops.ctx);
	return H_SUCCESS;
}

int64_t hpt_read(struct hpt *h, uint64_t flags, uint64_t ptex,
		 uint64_t out[8], uint32_t *count)
{
	uint32_t n = 1;

	if (!ptex_ok(h, ptex)) {
		return H_PARAMETER;
	}
	if (flags & H_READ_4) {
		ptex &= ~3ull;
		n = 4;
	}
	for (uint32_t i = 0; i < n; i++) {
		uint64_t locked = lock_entry(h, ptex + i);

		guest_view(h, ptex + i, locked, &out[2 * i], &out[2 * i + 1]);
		unlock_entry(h, ptex + i, locked);
	}
	*count = n;
	return H_SUCCESS;
}

/* Rewrite dw1 of a valid locked entry safely: invalidate, flush, redo. */
static uint64_t rewrite_r(struct hpt *h, uint64_t ptex, uint64_t locked,
			  uint64_t clear, uint64_t set)
{
	uint64_t r;

	invalidate_locked(h, ptex, locked);
	h->ops.flush(h->ops.ctx);
	r = load_r(h, ptex);
	store_r(h, ptex, (r & ~clear) | set);
	h->ops.sync(h->ops.ctx);
	unlock_entry(h, ptex, locked);
	h->ops.sync(h->ops.ctx);
	return r;
}

int64_t hpt_protect(struct hpt *h, uint64_t flags, uint64_t ptex,
		    uint64_t avpn)
{
	const uint64_t mask = HPTE_R_PP0 | HPTE_R_PP | HPTE_R_N |
			      HPTE_R_KEY_HI | HPTE_R_KEY_LO;
	uint64_t locked, v, r, set;

	if (!ptex_ok(h, ptex)) {
		return H_PARAMETER;
	}
	locked = lock_entry(h, ptex);
	guest_view(h, ptex, locked, &v, &r);
	if (!matches(locked, v, flags & H_AVPN, avpn)) {
		unlock_entry(h, ptex, locked);
		return H_NOT_FOUND;
	}
	set = ((flags << 55) & HPTE_R_PP0) | ((flags << 48) & HPTE_R_KEY_HI) |
	      (flags & (HPTE_R_PP | HPTE_R_N | HPTE_R_KEY_LO));
	rewrite_r(h, ptex, locked, mask, set);
	return H_SUCCESS;
}

static int64_t clear_rc(struct hpt *h, uint64_t ptex, uint64_t bit,
			uint64_t *r)
{
	uint64_t locked, v, old;

	if (!ptex_ok(h, ptex)) {
		return H_PARAMETER;
	}
	locked = lock_entry(h, ptex);
	if (!(locked & HPTE_V_VALID) || (locked & HPTE_V_HV_VRMA)) {
		unlock_entry(h, ptex, locked);
		return H_NOT_FOUND;
	}
	old = rewrite_r(h, ptex, locked, bit, 0);
	v = locked;
	to_guest(h, &v, &old);
	*r = old;
	return H_SUCCESS;
}

int64_t hpt_clear_ref(struct hpt *h, uint64_t ptex, uint64_t *r)
{
	return clear_rc(h, ptex, HPTE_R_R, r);
}

int64_t hpt_clear_mod(struct hpt *h, uint64_t ptex, uint64_t *r)
{
	return clear_rc(h, ptex, HPTE_R_C, r);
}

/* One H_BULK_REMOVE request taken: its entry invalid, still locked. */
struct bulk_taken {
	uint32_t pair;
	uint64_t ptex, locked;
};

int64_t hpt_bulk_remove(struct hpt *h, uint64_t args[8])
{
	struct bulk_taken taken[H_BULK_REMOVE_MAX_BATCH];
	uint32_t n = 0;
	int64_t rc = H_SUCCESS;

	for (uint32_t i = 0; i < H_BULK_REMOVE_MAX_BATCH; i++) {
		uint64_t *tsh = &args[2 * i], tsl = args[2 * i + 1];
		uint64_t ptex, flags, locked;

		if ((*tsh & H_BULK_REMOVE_TYPE) == H_BULK_REMOVE_END) {
			break;
		}
		if ((*tsh & H_BULK_REMOVE_TYPE) != H_BULK_REMOVE_REQUEST) {
			rc = H_PARAMETER;
			break;
		}
		*tsh &= H_BULK_REMOVE_PTEX | H_BULK_REMOVE_FLAGS;
		*tsh |= H_BULK_REMOVE_RESPONSE;
		if ((*tsh & H_BULK_REMOVE_ANDCOND) &&
		    (*tsh & H_BULK_REMOVE_AVPN)) {
			*tsh |= H_BULK_REMOVE_PARM;
			rc = H_PARAMETER;
			break;
		}
		ptex = *tsh & H_BULK_REMOVE_PTEX;
		flags = (*tsh & H_BULK_REMOVE_FLAGS) >> 26;
		if (!ptex_ok(h, ptex)) {
			*tsh |= H_BULK_REMOVE_PARM;
			rc = H_PARAMETER;
			break;
		}
		if (!take_for_removal(h, ptex, flags, tsl, &locked)) {
			*tsh |= H_BULK_REMOVE_NOT_FOUND;
			continue;
		}
		taken[n].pair = i;
		taken[n].ptex = ptex;
		taken[n].locked = locked;
		n++;
	}
	if (n) {
		h->ops.flush(h->ops.ctx);
	}
	for (uint32_t j = 0; j < n; j++) {
		uint64_t v, r;

		finish_removal(h, taken[j].ptex, taken[j].locked, &v, &r);
		/*
		 * R and C in the response's RC field (0x0c00...), as KVM and
		 * PAPR place them; QEMU 7.2 shifts them by 43 instead.
		 */
		args[2 * taken[j].pair] |= (r & (HPTE_R_R | HPTE_R_C)) << 51;
	}
	if (n) {
		h->ops.sync(h->ops.ctx);
	}
	return rc;
}

uint64_t hpt_rehash_pteg(uint64_t v, uint64_t r, uint64_t pteg,
			 uint32_t old_shift, uint32_t shift)
{
	uint64_t old_mask = (1ull << (old_shift - 7)) - 1;
	uint64_t mask = (1ull << (shift - 7)) - 1;
	unsigned ps = hpt_page_shift(v, r);
	uint64_t avpn, vsid, offset, hash;
	bool seg_1t = v & HPTE_V_1TB_SEG;

	if (!ps) {
		return ~0ull;
	}
	avpn = ((v & HPTE_V_AVPN) >> 7) & ~(((1ull << ps) - 1) >> 23);
	if (v & HPTE_V_SECONDARY) {
		pteg = ~pteg;
	}
	if (seg_1t) {
		offset = (avpn & 0x1ffff) << 23;
		vsid = avpn >> 17;
		if (ps < 23) {
			offset |= ((vsid ^ (vsid << 25) ^ pteg) & old_mask) << ps;
		}
	} else {
		offset = (avpn & 0x1f) << 23;
		vsid = avpn >> 5;
		if (ps < 23) {
			offset |= ((vsid ^ pteg) & old_mask) << ps;
		}
	}
	hash = hpt_hash(vsid, offset, ps, seg_1t);
	if (v & HPTE_V_SECONDARY) {
		hash = ~hash;
	}
	return hash & mask;
}

int64_t hpt_rehash(struct hpt *old, struct hpt *new)
{
	for (uint64_t ptex = 0; ptex < hpt_entries(old); ptex++) {
		uint64_t raw = be64_to_cpu(entry(old, ptex)[0]);
		uint64_t v = raw, r = load_r(old, ptex), to, cur;

		if (!(raw & HPTE_V_VALID) || (raw & HPTE_V_HV_VRMA)) {
			continue; /* the VRMA is mapped anew */
		}
		to_guest(old, &v, &r);
		if (!(v & HPTE_V_BOLTED)) {
			continue;
		}
		to = hpt_rehash_pteg(v, r, ptex / HPTES_PER_GROUP, old->shift,
				     new->shift);
		if (to == ~0ull) {
			continue; /* H_ENTER never stores such an entry */
		}
		to = to * HPTES_PER_GROUP + ptex % HPTES_PER_GROUP;
		cur = be64_to_cpu(entry(new, to)[0]);
		if (cur & HPTE_V_VALID) {
			if (cur & (HPTE_V_BOLTED | HPTE_V_HV_VRMA)) {
				return H_PTEG_FULL;
			}
			continue;
		}
		if (check_entry(new, &v, &r) != H_SUCCESS) {
			continue; /* the same ranges as when it was entered */
		}
		to_hw(new, &v, &r);
		store_r(new, to, r);
		entry(new, to)[0] = cpu_to_be64(v);
	}
	new->ops.sync(new->ops.ctx);
	return H_SUCCESS;
}
