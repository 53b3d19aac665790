/*
 * A radix partition's memory cleared on first touch (see mm/lazy.h).
 *
 * Each chunk's state moves DIRTY -> BUSY (or CLAIMED) -> CLEAN by one
 * compare-and-swap winner; everyone else who needs the chunk waits for
 * CLEAN.  The winner clears it (or the loader overwrites it), then the
 * publish hook orders those stores before the leaf is made valid, and
 * the leaf before the state says CLEAN (release): a guest or another
 * lparvisor thread that finds it mapped or CLEAN finds it cleared.
 */
#include "hv/lib/string.h"
#include "mm/lazy.h"

static uint64_t chunk_base(uint32_t i)
{
	return (uint64_t)i << LAZY_CHUNK_SHIFT;
}

static void set_leaf(struct lazy_mem *lz, uint32_t i, bool valid)
{
	be64 *leaf = radix_leaf_2m(lz->tree, chunk_base(i));
	uint64_t e = be64_to_cpu(*leaf);

	e = valid ? e | RPTE_VALID : e & ~RPTE_VALID;
	__atomic_store_n(leaf, cpu_to_be64(e), __ATOMIC_RELAXED);
}

/* Chunk i's contents are final: map it, then say so. */
static void make_clean(struct lazy_mem *lz, uint32_t i)
{
	lz->ops.publish(); /* the clear or the copy before the leaf */
	set_leaf(lz, i, true);
	lz->ops.publish(); /* the leaf before anyone acts on CLEAN */
	__atomic_store_n(&lz->state[i], LAZY_CLEAN, __ATOMIC_RELEASE);
	if (__atomic_add_fetch(&lz->clean, 1, __ATOMIC_ACQ_REL) ==
	    lz->chunks) {
		__atomic_store_n(&lz->base.armed, 0, __ATOMIC_RELEASE);
	}
}

/* Take a dirty chunk for `to`; false when another thread has it. */
static bool take(struct lazy_mem *lz, uint32_t i, uint8_t to)
{
	uint8_t dirty = LAZY_DIRTY;

	return __atomic_compare_exchange_n(&lz->state[i], &dirty, to, false,
					   __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
}

static void clear_chunk(struct lazy_mem *lz, uint32_t i)
{
	uint64_t len = lz->size - chunk_base(i);

	lz->ops.zero((void *)(uintptr_t)(lz->hpa + chunk_base(i)),
		     len < LAZY_CHUNK ? len : LAZY_CHUNK);
	make_clean(lz, i);
}

/* The part [*lo, *hi) of copy c's range that lies in [base, end). */
static bool copy_part(const struct lazy_copy *c, uint64_t base, uint64_t end,
		      uint64_t *lo, uint64_t *hi)
{
	*lo = MAX(c->gpa, base);
	*hi = MIN(c->gpa + c->memsz, end);
	return *lo < *hi;
}

/* Whether the source bytes of the first n copies' parts in the chunk
 * [base, end), and the headers that placed them, are intact. */
static bool copies_intact(struct lazy_mem *lz, uint32_t n, uint64_t base,
			  uint64_t end, bool *any)
{
	const struct lazy_copy *c;
	uint64_t lo, hi, fend;

	for (uint32_t k = 0; k < n; k++) {
		c = &lz->copies[k];
		if (!copy_part(c, base, end, &lo, &hi)) {
			continue;
		}
		*any = true;
		if (!lz->ops.verify) {
			continue;
		}
		if (c->hdr_len &&
		    !lz->ops.verify(lz->ops.ctx, c->src, 0, c->hdr_len)) {
			return false;
		}
		fend = c->gpa + c->filesz;
		if (lo < fend &&
		    !lz->ops.verify(lz->ops.ctx, c->src, c->off + (lo - c->gpa),
				    MIN(hi, fend) - lo)) {
			return false;
		}
	}
	return true;
}

/* Make the first n copies' parts in [base, end), in their order. */
static void apply_copies(struct lazy_mem *lz, uint32_t n, uint64_t base,
			 uint64_t end)
{
	const struct lazy_copy *c;
	uint64_t lo, hi, fend, m;
	uint8_t *dst;

	for (uint32_t k = 0; k < n; k++) {
		c = &lz->copies[k];
		if (!copy_part(c, base, end, &lo, &hi)) {
			continue;
		}
		dst = (uint8_t *)(uintptr_t)(lz->hpa + lo);
		fend = c->gpa + c->filesz;
		if (lo < fend) {
			m = MIN(hi, fend) - lo;
			memcpy(dst, lz->sources[c->src].base + c->off +
					    (lo - c->gpa), m);
			dst += m;
			lo += m;
		}
		if (lo < hi) {
			memset(dst, 0, hi - lo);
		}
	}
}

/* Whether one of the first n copies writes all of [base, end). */
static bool one_copy_covers(const struct lazy_mem *lz, uint32_t n,
			    uint64_t base, uint64_t end)
{
	for (uint32_t k = 0; k < n; k++) {
		if (lz->copies[k].gpa <= base &&
		    lz->copies[k].memsz >= end - lz->copies[k].gpa) {
			return true;
		}
	}
	return false;
}

/*
 * A dirty chunk this thread took: cleared, the recorded copies that reach
 * it made once their sources checked (left cleared if one fails), mapped.
 * A chunk one copy writes whole (an image's interior: its bytes, or its
 * bss zeros) is not cleared first: every byte of it is overwritten.
 */
static void fill_chunk(struct lazy_mem *lz, uint32_t i)
{
	uint64_t base = chunk_base(i);
	uint64_t end = MIN(base + LAZY_CHUNK, lz->size);
	bool any = false, intact = true;
	uint32_t n;

	/* Pairs with lazy_place(): it sees this chunk taken, or we its copy. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	n = __atomic_load_n(&lz->copy_count, __ATOMIC_ACQUIRE);
	if (n) {
		intact = copies_intact(lz, n, base, end, &any);
	}
	if (!intact || !any || !one_copy_covers(lz, n, base, end)) {
		lz->ops.zero((void *)(uintptr_t)(lz->hpa + base), end - base);
	}
	if (!intact) {
		__atomic_store_n(&lz->failed, 1, __ATOMIC_RELEASE);
	} else if (any) {
		apply_copies(lz, n, base, end);
		__atomic_fetch_add(&lz->by_copy, 1, __ATOMIC_RELAXED);
	}
	make_clean(lz, i);
}

/* Chunk i cleared and mapped on return; true if this thread cleared it. */
static bool fill(struct lazy_mem *lz, uint32_t i)
{
	if (__atomic_load_n(&lz->state[i], __ATOMIC_ACQUIRE) == LAZY_CLEAN) {
		return false;
	}
	if (take(lz, i, LAZY_BUSY)) {
		fill_chunk(lz, i);
		return true;
	}
	while (__atomic_load_n(&lz->state[i], __ATOMIC_ACQUIRE) !=
	       LAZY_CLEAN) {
		lz->ops.relax();
	}
	return false;
}

static void ensure_hook(struct gmem_lazy *z, uint64_t gpa, uint64_t len)
{
	struct lazy_mem *lz = (struct lazy_mem *)z;

	lazy_ensure_range(lz, gpa, len);
}

/* Every chunk of the range clean; relaxed loads, then one fence. */
static bool clean_hook(const struct gmem_lazy *z, uint64_t gpa, uint64_t len)
{
	const struct lazy_mem *lz = (const struct lazy_mem *)z;

	if (!len || gpa >= lz->size || len > lz->size - gpa) {
		return false;
	}
	for (uint64_t c = gpa >> LAZY_CHUNK_SHIFT;
	     c <= (gpa + len - 1) >> LAZY_CHUNK_SHIFT; c++) {
		if (__atomic_load_n(&lz->state[c], __ATOMIC_RELAXED) !=
		    LAZY_CLEAN) {
			return false;
		}
	}
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	return true;
}

static void claim_hook(struct gmem_lazy *z, uint64_t gpa, uint64_t len)
{
	lazy_claim((struct lazy_mem *)z, gpa, len);
}

static void publish_hook(struct gmem_lazy *z, uint64_t gpa, uint64_t len)
{
	lazy_publish((struct lazy_mem *)z, gpa, len);
}

static int place_hook(struct gmem_lazy *z, uint64_t gpa, const void *src,
		      uint64_t filesz, uint64_t memsz, uint64_t hdr_len)
{
	return lazy_place((struct lazy_mem *)z, gpa, src, filesz, memsz,
			  hdr_len);
}

_Static_assert(__builtin_offsetof(struct lazy_mem, base) == 0,
	       "ensure_hook() casts the gmem_lazy back to its lazy_mem");

bool lazy_init(struct lazy_mem *lz, struct radix_tree *tree, uint64_t hpa,
	       uint64_t size, uint8_t *state, const struct lazy_ops *ops)
{
	memset(lz, 0, sizeof(*lz));
	if (!size || size % LAZY_CHUNK || (size >> LAZY_CHUNK_SHIFT) >
					       0xffffffffull) {
		return false;
	}
	lz->tree = tree;
	lz->hpa = hpa;
	lz->size = size;
	lz->chunks = (uint32_t)(size >> LAZY_CHUNK_SHIFT);
	lz->state = state;
	lz->ops = *ops;
	lz->base.ensure = ensure_hook;
	lz->base.claim = claim_hook;
	lz->base.publish = publish_hook;
	lz->base.place = place_hook;
	lz->base.clean = clean_hook;
	for (uint32_t i = 0; i < lz->chunks; i++) {
		if (!radix_leaf_2m(tree, chunk_base(i))) {
			return false;
		}
		state[i] = LAZY_CLEAN;
	}
	lz->clean = lz->chunks;
	return true;
}

void lazy_arm(struct lazy_mem *lz)
{
	for (uint32_t i = 0; i < lz->chunks; i++) {
		set_leaf(lz, i, false);
		lz->state[i] = LAZY_DIRTY;
	}
	lz->clean = 0;
	lz->next = 0;
	lz->by_fault = lz->by_hv = lz->by_help = lz->by_copy = 0;
	lz->copy_count = 0;
	lz->failed = 0;
	lz->ops.publish();
	__atomic_store_n(&lz->base.armed, 1, __ATOMIC_RELEASE);
}

bool lazy_fill(struct lazy_mem *lz, uint64_t gpa)
{
	if (gpa < lz->size && fill(lz, (uint32_t)(gpa >> LAZY_CHUNK_SHIFT))) {
		__atomic_fetch_add(&lz->by_fault, 1, __ATOMIC_RELAXED);
	}
	return !__atomic_load_n(&lz->failed, __ATOMIC_ACQUIRE);
}

void lazy_source(struct lazy_mem *lz, uint32_t id, const void *base,
		 uint64_t len)
{
	if (id < LAZY_SOURCES) {
		lz->sources[id].base = len ? base : NULL;
		lz->sources[id].len = len;
	}
}

/* The registered source holding [p, p + len), into *id. */
static bool find_source(const struct lazy_mem *lz, const uint8_t *p,
			uint64_t len, uint32_t *id)
{
	for (uint32_t s = 0; s < LAZY_SOURCES; s++) {
		const struct lazy_source *so = &lz->sources[s];

		if (so->base && p >= so->base &&
		    (uint64_t)(p - so->base) <= so->len &&
		    len <= so->len - (uint64_t)(p - so->base)) {
			*id = s;
			return true;
		}
	}
	return false;
}

int lazy_place(struct lazy_mem *lz, uint64_t gpa, const void *src,
	       uint64_t filesz, uint64_t memsz, uint64_t hdr_len)
{
	const uint8_t *p = src;
	bool all_dirty = true;
	uint64_t off;
	uint32_t s, n;

	if (!find_source(lz, p, filesz, &s)) {
		return GMEM_COPY;
	}
	off = (uint64_t)(p - lz->sources[s].base);
	hdr_len = MIN(hdr_len, lz->sources[s].len);
	n = lz->copy_count; /* only the loader writes it */
	if (!lazy_done(lz) && n < LAZY_COPIES && filesz <= memsz && memsz &&
	    gpa < lz->size && memsz <= lz->size - gpa) {
		lz->copies[n] = (struct lazy_copy){
			.gpa = gpa, .filesz = filesz, .memsz = memsz,
			.off = off, .hdr_len = hdr_len, .src = s,
		};
		__atomic_store_n(&lz->copy_count, n + 1, __ATOMIC_SEQ_CST);
		/* Pairs with fill_chunk(): a chunk taken before the record
		 * may miss it; then the caller copies (the same bytes). */
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		for (uint64_t c = gpa >> LAZY_CHUNK_SHIFT;
		     c <= (gpa + memsz - 1) >> LAZY_CHUNK_SHIFT; c++) {
			all_dirty &= __atomic_load_n(&lz->state[c],
						     __ATOMIC_ACQUIRE) ==
				     LAZY_DIRTY;
		}
		if (all_dirty) {
			return GMEM_PLACED;
		}
	}
	if (lz->ops.verify &&
	    ((hdr_len && !lz->ops.verify(lz->ops.ctx, s, 0, hdr_len)) ||
	     (filesz && !lz->ops.verify(lz->ops.ctx, s, off, filesz)))) {
		__atomic_store_n(&lz->failed, 1, __ATOMIC_RELEASE);
		return GMEM_REFUSED;
	}
	return GMEM_COPY;
}

void lazy_ensure_range(struct lazy_mem *lz, uint64_t gpa, uint64_t len)
{
	uint64_t end;

	if (!len || gpa >= lz->size || lazy_done(lz)) {
		return;
	}
	end = len > lz->size - gpa ? lz->size : gpa + len;
	for (uint64_t c = gpa >> LAZY_CHUNK_SHIFT;
	     c <= (end - 1) >> LAZY_CHUNK_SHIFT; c++) {
		if (fill(lz, (uint32_t)c)) {
			__atomic_fetch_add(&lz->by_hv, 1, __ATOMIC_RELAXED);
		}
	}
}

/* The chunks [first, last] that [gpa, gpa + len) covers whole. */
static bool whole_chunks(const struct lazy_mem *lz, uint64_t gpa,
			 uint64_t len, uint64_t *first, uint64_t *last)
{
	uint64_t end = gpa + len;

	if (!len || gpa >= lz->size || len > lz->size - gpa) {
		return false;
	}
	*first = (gpa + LAZY_CHUNK - 1) >> LAZY_CHUNK_SHIFT;
	if ((end >> LAZY_CHUNK_SHIFT) <= *first) {
		return false;
	}
	*last = (end >> LAZY_CHUNK_SHIFT) - 1;
	return true;
}

void lazy_claim(struct lazy_mem *lz, uint64_t gpa, uint64_t len)
{
	uint64_t first, last;

	if (lazy_done(lz)) {
		return;
	}
	if (!whole_chunks(lz, gpa, len, &first, &last)) {
		lazy_ensure_range(lz, gpa, len);
		return;
	}
	/* The partial chunks at either end are cleared as usual. */
	if (gpa < chunk_base((uint32_t)first)) {
		lazy_ensure_range(lz, gpa, chunk_base((uint32_t)first) - gpa);
	}
	if (gpa + len > chunk_base((uint32_t)last + 1)) {
		lazy_ensure_range(lz, chunk_base((uint32_t)last + 1),
				  gpa + len - chunk_base((uint32_t)last + 1));
	}
	for (uint64_t c = first; c <= last; c++) {
		if (!take(lz, (uint32_t)c, LAZY_CLAIMED)) {
			fill(lz, (uint32_t)c); /* cleared by another: fine */
		}
	}
}

void lazy_publish(struct lazy_mem *lz, uint64_t gpa, uint64_t len)
{
	uint64_t first, last;

	if (lazy_done(lz) || !whole_chunks(lz, gpa, len, &first, &last)) {
		return;
	}
	for (uint64_t c = first; c <= last; c++) {
		if (lz->state[c] == LAZY_CLAIMED) {
			make_clean(lz, (uint32_t)c);
		}
	}
}

void lazy_unclaim_all(struct lazy_mem *lz)
{
	for (uint32_t i = 0; i < lz->chunks; i++) {
		if (__atomic_load_n(&lz->state[i], __ATOMIC_ACQUIRE) ==
		    LAZY_CLAIMED) {
			clear_chunk(lz, i);
		}
	}
}

bool lazy_help(struct lazy_mem *lz, uint32_t max)
{
	while (max && !lazy_done(lz)) {
		uint32_t i = __atomic_fetch_add(&lz->next, 1, __ATOMIC_ACQ_REL);

		if (i >= lz->chunks) {
			return false;
		}
		if (take(lz, i, LAZY_BUSY)) {
			fill_chunk(lz, i);
			__atomic_fetch_add(&lz->by_help, 1, __ATOMIC_RELAXED);
			max--;
		}
	}
	return !lazy_done(lz) &&
	       __atomic_load_n(&lz->next, __ATOMIC_ACQUIRE) < lz->chunks;
}
