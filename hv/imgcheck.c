/*
 * Image chunk verdicts kept per boot-bundle image (see hv/imgcheck.h).
 *
 * Each chunk's verdict moves UNCHECKED -> CHECKING -> GOOD or BAD, the
 * first step by one compare-and-swap winner, who hashes it and stores the
 * verdict with release; everyone else who needs that chunk waits for it.
 * A bad chunk is also kept in the image's `bad` (the lowest found), so
 * that every partition booting the image learns it, touched or not.
 */
#include "hv/imgcheck.h"
#include "hv/lib/string.h"
#include "hv/loader.h"
#include "mm/lazy.h"

void imgcheck_init(struct imgcheck *ic, const struct imgcheck_ops *ops)
{
	memset(ic, 0, sizeof(*ic));
	ic->ops = *ops;
	if (!ic->ops.batch || ic->ops.batch > IMGCHECK_BATCH) {
		ic->ops.batch = ic->ops.batch ? IMGCHECK_BATCH : 1;
	}
	if (!ic->ops.checkers_max) {
		ic->ops.checkers_max = 1;
	}
}

static bool same_list(const struct bundle_chunks *a,
		      const struct bundle_chunks *b)
{
	return a->data == b->data && a->len == b->len &&
	       a->digests == b->digests && a->chunk_size == b->chunk_size &&
	       a->count == b->count;
}

struct imgcheck_image *imgcheck_find(struct imgcheck *ic,
				     const struct bundle_chunks *c)
{
	uint32_t n = __atomic_load_n(&ic->count, __ATOMIC_ACQUIRE);

	for (uint32_t i = 0; i < n; i++) {
		if (same_list(&ic->images[i].c, c)) {
			return &ic->images[i];
		}
	}
	return NULL;
}

struct imgcheck_image *imgcheck_add(struct imgcheck *ic,
				    const struct bundle_chunks *c,
				    uint8_t *verdict, bool *added)
{
	struct imgcheck_image *im = imgcheck_find(ic, c);
	uint32_t n = ic->count; /* only this thread writes it */

	*added = false;
	if (im) {
		return im;
	}
	if (!c->count || !verdict || n == IMGCHECK_IMAGES) {
		return NULL;
	}
	im = &ic->images[n];
	memset(im, 0, sizeof(*im));
	im->c = *c;
	im->verdict = verdict;
	*added = true;
	/* Readers see the entry whole once they see the count. */
	__atomic_store_n(&ic->count, n + 1, __ATOMIC_RELEASE);
	return im;
}

uint32_t imgcheck_index(const struct imgcheck *ic,
			const struct imgcheck_image *im)
{
	return (uint32_t)(im - ic->images);
}

void imgcheck_want_first(struct imgcheck *ic, struct imgcheck_image *im,
			 uint64_t off, uint64_t len)
{
	uint32_t idx = imgcheck_index(ic, im), n = ic->first_count;
	uint64_t first, last;
	bool dup;

	if (!len || off >= im->c.len || len > im->c.len - off) {
		return;
	}
	first = off / im->c.chunk_size;
	last = (off + len - 1) / im->c.chunk_size;
	for (uint64_t i = first; i <= last && n < IMGCHECK_FIRST; i++) {
		dup = false;
		for (uint32_t k = 0; k < n; k++) {
			dup |= ic->first[k].image == idx &&
			       ic->first[k].chunk == (uint32_t)i;
		}
		if (!dup) {
			ic->first[n].image = idx;
			ic->first[n].chunk = (uint32_t)i;
			n++;
		}
	}
	__atomic_store_n(&ic->first_count, n, __ATOMIC_RELEASE);
}

/* UNCHECKED -> CHECKING: true when this thread is to hash chunk i. */
static bool claim(struct imgcheck_image *im, uint32_t i)
{
	uint8_t v = IMGCHECK_UNCHECKED;

	if (__atomic_load_n(&im->verdict[i], __ATOMIC_RELAXED) != v) {
		return false;
	}
	return __atomic_compare_exchange_n(&im->verdict[i], &v,
					   IMGCHECK_CHECKING, false,
					   __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
}

static void note_bad(struct imgcheck_image *im, uint32_t i)
{
	uint32_t old = __atomic_load_n(&im->bad, __ATOMIC_ACQUIRE);

	while ((!old || i + 1 < old) &&
	       !__atomic_compare_exchange_n(&im->bad, &old, i + 1, false,
					    __ATOMIC_ACQ_REL,
					    __ATOMIC_ACQUIRE)) {
	}
}

/* Hash the n chunks this thread claimed and publish their verdicts. */
static void check_claimed(struct imgcheck *ic, struct imgcheck_image *im[],
			  const uint32_t idx[], uint32_t n,
			  struct imgcheck_stats *st)
{
	const struct bundle_chunks *c[IMGCHECK_BATCH];
	bool good[IMGCHECK_BATCH];
	uint64_t t0 = ic->ops.now ? ic->ops.now() : 0;

	for (uint32_t k = 0; k < n; k++) {
		c[k] = &im[k]->c;
	}
	if (ic->ops.check) {
		ic->ops.check(c, idx, n, good);
	} else {
		for (uint32_t k = 0; k < n; k++) {
			good[k] = bundle_check_chunk(c[k], idx[k]) == BUNDLE_OK;
		}
	}
	for (uint32_t k = 0; k < n; k++) {
		if (!good[k]) {
			note_bad(im[k], idx[k]); /* before the verdict */
		}
		__atomic_store_n(&im[k]->verdict[idx[k]],
				 good[k] ? IMGCHECK_GOOD : IMGCHECK_BAD,
				 __ATOMIC_RELEASE);
		__atomic_fetch_add(&im[k]->settled, 1, __ATOMIC_ACQ_REL);
	}
	if (st) {
		__atomic_fetch_add(&st->chunks, n, __ATOMIC_RELAXED);
		if (ic->ops.now) {
			__atomic_fetch_add(&st->tb, ic->ops.now() - t0,
					   __ATOMIC_RELAXED);
		}
	}
}

static uint8_t wait_verdict(struct imgcheck *ic, struct imgcheck_image *im,
			    uint32_t i)
{
	uint8_t v;

	while ((v = __atomic_load_n(&im->verdict[i], __ATOMIC_ACQUIRE)) ==
	       IMGCHECK_CHECKING) {
		if (ic->ops.relax) {
			ic->ops.relax();
		}
	}
	return v;
}

bool imgcheck_range(struct imgcheck *ic, struct imgcheck_image *im,
		    uint64_t off, uint64_t len, struct imgcheck_stats *st,
		    uint32_t *bad)
{
	struct imgcheck_image *ims[IMGCHECK_BATCH];
	uint32_t idx[IMGCHECK_BATCH], n;
	uint64_t first, last, i;

	*bad = UINT32_MAX;
	if (!len) {
		return true;
	}
	if (off >= im->c.len || len > im->c.len - off) {
		return false;
	}
	first = off / im->c.chunk_size;
	last = (off + len - 1) / im->c.chunk_size;
	/* Hash what nobody took, a batch at a time... */
	for (i = first; i <= last;) {
		for (n = 0; i <= last && n < ic->ops.batch; i++) {
			if (claim(im, (uint32_t)i)) {
				ims[n] = im;
				idx[n++] = (uint32_t)i;
			}
		}
		if (n) {
			check_claimed(ic, ims, idx, n, st);
		}
	}
	/* ...then every verdict, others' included. */
	for (i = first; i <= last; i++) {
		if (wait_verdict(ic, im, (uint32_t)i) == IMGCHECK_BAD) {
			*bad = (uint32_t)i;
			return false;
		}
	}
	return true;
}

/* The next chunk asked for first that this thread could claim. */
static bool take_first(struct imgcheck *ic, struct imgcheck_image **im,
		       uint32_t *i)
{
	uint32_t n = __atomic_load_n(&ic->first_count, __ATOMIC_ACQUIRE);
	uint32_t k;

	while ((k = __atomic_load_n(&ic->first_next, __ATOMIC_RELAXED)) < n) {
		k = __atomic_fetch_add(&ic->first_next, 1, __ATOMIC_ACQ_REL);
		if (k >= n) {
			break;
		}
		*im = &ic->images[ic->first[k].image];
		*i = ic->first[k].chunk;
		if (claim(*im, *i)) {
			return true;
		}
	}
	return false;
}

/* The next chunk of the images in `mask` this thread could claim. */
static bool take_next(struct imgcheck *ic, uint32_t mask,
		      struct imgcheck_image **im, uint32_t *i)
{
	uint32_t count = __atomic_load_n(&ic->count, __ATOMIC_ACQUIRE);
	struct imgcheck_image *m;

	for (uint32_t j = 0; j < count; j++) {
		if (!(mask & (1u << j))) {
			continue;
		}
		m = &ic->images[j];
		while (__atomic_load_n(&m->next, __ATOMIC_RELAXED) <
		       m->c.count) {
			uint32_t k = __atomic_fetch_add(&m->next, 1,
							__ATOMIC_ACQ_REL);

			if (k < m->c.count && claim(m, k)) {
				*im = m;
				*i = k;
				return true;
			}
		}
	}
	return false;
}

static bool work_left(struct imgcheck *ic, uint32_t mask, bool first_only)
{
	uint32_t count = __atomic_load_n(&ic->count, __ATOMIC_ACQUIRE);

	if (__atomic_load_n(&ic->first_next, __ATOMIC_ACQUIRE) <
	    __atomic_load_n(&ic->first_count, __ATOMIC_ACQUIRE)) {
		return true;
	}
	if (first_only) {
		return false;
	}
	for (uint32_t j = 0; j < count; j++) {
		if ((mask & (1u << j)) &&
		    __atomic_load_n(&ic->images[j].next, __ATOMIC_ACQUIRE) <
			    ic->images[j].c.count) {
			return true;
		}
	}
	return false;
}

bool imgcheck_step(struct imgcheck *ic, uint32_t mask, bool first_only,
		   struct imgcheck_stats *st)
{
	struct imgcheck_image *ims[IMGCHECK_BATCH];
	uint32_t idx[IMGCHECK_BATCH], n = 0;
	bool from_first = false;

	if (!work_left(ic, mask, first_only)) {
		return false;
	}
	if (__atomic_fetch_add(&ic->checkers, 1, __ATOMIC_ACQ_REL) >=
	    ic->ops.checkers_max) {
		__atomic_fetch_sub(&ic->checkers, 1, __ATOMIC_RELEASE);
		return false; /* enough threads at it: sleep, look again */
	}
	/* A batch never mixes the chunks wanted first with the others. */
	while (n < ic->ops.batch && take_first(ic, &ims[n], &idx[n])) {
		n++;
		from_first = true;
	}
	while (!from_first && !first_only && n < ic->ops.batch &&
	       take_next(ic, mask, &ims[n], &idx[n])) {
		n++;
	}
	if (n) {
		check_claimed(ic, ims, idx, n, st);
	}
	__atomic_fetch_sub(&ic->checkers, 1, __ATOMIC_RELEASE);
	return work_left(ic, mask, first_only);
}

bool imgcheck_settled(const struct imgcheck_image *im)
{
	return __atomic_load_n(&im->settled, __ATOMIC_ACQUIRE) >= im->c.count;
}

uint32_t imgcheck_bad(const struct imgcheck_image *im)
{
	return __atomic_load_n(&im->bad, __ATOMIC_ACQUIRE);
}

/* ---- where the first guest fault lands -------------------------------- */

/*
 * A memory that records the loader's copies and makes none: every
 * gmem_place() with bytes is answered GMEM_PLACED, so the loader (which
 * reaches memory only through gmem_owns() and gmem_place()) never writes.
 */
struct dry_mem {
	struct gmem_lazy base;
	const uint8_t *img;
	size_t len;
	uint32_t count;
	struct {
		uint64_t gpa, filesz, memsz, off, hdr_len;
	} copies[LAZY_COPIES];
};

static int dry_place(struct gmem_lazy *z, uint64_t gpa, const void *src,
		     uint64_t filesz, uint64_t memsz, uint64_t hdr_len)
{
	struct dry_mem *d = (struct dry_mem *)z;
	const uint8_t *p = src;

	if (d->count < LAZY_COPIES && p >= d->img &&
	    (size_t)(p - d->img) <= d->len &&
	    filesz <= d->len - (size_t)(p - d->img)) {
		d->copies[d->count].gpa = gpa;
		d->copies[d->count].filesz = filesz;
		d->copies[d->count].memsz = memsz;
		d->copies[d->count].off = (uint64_t)(p - d->img);
		d->copies[d->count].hdr_len = MIN(hdr_len, (uint64_t)d->len);
		d->count++;
	}
	return GMEM_PLACED;
}

_Static_assert(__builtin_offsetof(struct dry_mem, base) == 0,
	       "dry_place() casts the gmem_lazy back to its dry_mem");

uint32_t imgcheck_entry_ranges(const void *img, size_t len, bool payload,
			       uint64_t kernel_addr, uint64_t mem_size,
			       struct imgcheck_range out[], uint32_t max)
{
	static const uint64_t piece = LAZY_CHUNK;
	struct dry_mem d = { .img = img, .len = len };
	struct gmem g = { .hpa = 0, .size = mem_size, .lazy = &d.base };
	struct load_result lr;
	uint64_t base, lo, hi, fend;
	uint32_t n = 0;

	d.base.place = dry_place; /* armed stays 0: no touch, no claim */
	if (loader_load(&g, payload, img, len, mem_size, kernel_addr, &lr)) {
		return 0;
	}
	base = lr.entry & ~(piece - 1);
	for (uint32_t k = 0; k < d.count && n < max; k++) {
		lo = MAX(d.copies[k].gpa, base);
		hi = MIN(d.copies[k].gpa + d.copies[k].memsz, base + piece);
		fend = d.copies[k].gpa + d.copies[k].filesz;
		if (lo >= hi) {
			continue;
		}
		if (d.copies[k].hdr_len) {
			out[n++] = (struct imgcheck_range){ 0,
							    d.copies[k].hdr_len };
		}
		if (lo < fend && n < max) {
			out[n++] = (struct imgcheck_range){
				d.copies[k].off + (lo - d.copies[k].gpa),
				MIN(hi, fend) - lo };
		}
	}
	return n;
}
