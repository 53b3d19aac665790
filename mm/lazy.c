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

/* Chunk i cleared and mapped on return; true if this thread cleared it. */
static bool fill(struct lazy_mem *lz, uint32_t i)
{
	if (__atomic_load_n(&lz->state[i], __ATOMIC_ACQUIRE) == LAZY_CLEAN) {
		return false;
	}
	if (take(lz, i, LAZY_BUSY)) {
		clear_chunk(lz, i);
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

static void claim_hook(struct gmem_lazy *z, uint64_t gpa, uint64_t len)
{
	lazy_claim((struct lazy_mem *)z, gpa, len);
}

static void publish_hook(struct gmem_lazy *z, uint64_t gpa, uint64_t len)
{
	lazy_publish((struct lazy_mem *)z, gpa, len);
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
	lz->by_fault = lz->by_hv = lz->by_help = 0;
	lz->ops.publish();
	__atomic_store_n(&lz->base.armed, 1, __ATOMIC_RELEASE);
}

void lazy_fill(struct lazy_mem *lz, uint64_t gpa)
{
	if (gpa < lz->size && fill(lz, (uint32_t)(gpa >> LAZY_CHUNK_SHIFT))) {
		__atomic_fetch_add(&lz->by_fault, 1, __ATOMIC_RELAXED);
	}
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
			clear_chunk(lz, i);
			__atomic_fetch_add(&lz->by_help, 1, __ATOMIC_RELAXED);
			max--;
		}
	}
	return !lazy_done(lz) &&
	       __atomic_load_n(&lz->next, __ATOMIC_ACQUIRE) < lz->chunks;
}
