/*
 * A partition's compressed boot images (FIT compression = "zstd"): what
 * hv/lpar.c asks of hv/decompress.c.  The images' sha256 (of the data as
 * stored) is checked by lpar_check_images() before anything here reads
 * more than a frame header; the decoder then writes straight into the
 * partition's memory.  Uncompressed images are copied as before.
 *
 * Also the chunk checks of uncompressed images (below): verdicts kept per
 * bundle image in hv/imgcheck.c, shared by partitions and lives, begun
 * before the partitions boot.
 */
#include "hv/bundle.h"
#include "hv/console.h"
#include "hv/cpu.h"
#include "hv/decompress.h"
#include "hv/imgcheck.h"
#include "hv/loader.h"
#include "hv/lpar.h"
#include "hv/lpar_ops.h"
#include "mm/mem.h"

/* Print why image `name` cannot be used and return false. */
static bool refuse(const struct lpar *l, const char *prop, const char *name,
		   const char *why)
{
	hv_printf("lparvisor: partition \"%s\": property \"%s\": image "
		  "\"%s\": %s; not started\n", l->cfg.name, prop, name, why);
	return false;
}

/*
 * The reason to give for image `name` whose compression or frame header
 * is bad: its sha256 first, so that a corrupted image is reported as
 * corrupted whatever part of it was hit.
 */
static const char *why_bad(const struct bundle *b, const char *name,
			   const char *why)
{
	const void *data;
	enum bundle_err e;
	size_t len;

	e = bundle_image(b, name, &data, &len);
	return e ? bundle_strerror(e) : why;
}

static bool is_zstd(const struct lpar *l, const struct bundle *b,
		    const char *prop, const char *name, bool *zstd)
{
	enum bundle_comp comp = BUNDLE_COMP_NONE;
	enum bundle_err e;

	e = bundle_compression(b, name, &comp);
	if (e) {
		return refuse(l, prop, name, why_bad(b, name,
						     bundle_strerror(e)));
	}
	*zstd = comp == BUNDLE_COMP_ZSTD;
	return true;
}

bool lpar_image_inspect(struct lpar *l, const struct bundle *b)
{
	const char *why;
	uint64_t size;

	l->initrd_stored = l->initrd_len;
	if (l->cfg.kernel[0] &&
	    !is_zstd(l, b, "kernel", l->cfg.kernel, &l->kernel_zstd)) {
		return false;
	}
	if (l->cfg.initramfs[0]) {
		if (!is_zstd(l, b, "initramfs", l->cfg.initramfs,
			     &l->initrd_zstd)) {
			return false;
		}
		if (l->initrd_zstd) {
			why = decompress_size(l->initrd, l->initrd_stored,
					      &size);
			if (!why && size > SIZE_MAX) {
				why = "uncompressed size too large";
			}
			if (why) {
				return refuse(l, "initramfs", l->cfg.initramfs,
					      why_bad(b, l->cfg.initramfs,
						      why));
			}
			l->initrd_len = (size_t)size;
		}
	}
	if (!l->kernel_zstd && !l->initrd_zstd) {
		return true;
	}
	l->unzstd_ws = mem_zalloc(decompress_workspace_size(), 8);
	if (!l->unzstd_ws) {
		hv_printf("lparvisor: partition \"%s\": out of hypervisor heap "
			  "for the zstd decoder (%zu bytes); not started\n",
			  l->cfg.name, decompress_workspace_size());
		return false;
	}
	return true;
}

const char *lpar_image_load(struct lpar *l, uint64_t limit,
			    struct load_result *lr)
{
	bool payload = l->cfg.boot == CONFIG_BOOT_PAYLOAD;

	if (!l->cfg.kernel[0]) {
		/* SLOF boots from a disk: nothing loaded, nothing placed. */
		memset(lr, 0, sizeof(*lr));
		return NULL;
	}
	if (!l->kernel_zstd) {
		return loader_load(&l->mem, payload, l->kernel, l->kernel_len,
				   limit, l->cfg.kernel_addr, lr);
	}
	return decompress_load(&l->mem, l->unzstd_ws, payload, l->kernel,
			       l->kernel_len, limit, l->cfg.kernel_addr, lr);
}

const char *lpar_image_initrd(struct lpar *l, uint64_t gpa)
{
	if (!l->initrd_zstd) {
		/* Copied now, or when first touched (mm/lazy.h). */
		if (!gmem_place(&l->mem, gpa, l->initrd, l->initrd_len,
				l->initrd_len, 0)) {
			return "its data failed its sha256 check: image "
			       "corrupted";
		}
		return NULL;
	}
	return decompress_place(&l->mem, l->unzstd_ws, l->initrd,
				l->initrd_stored, gpa, l->initrd_len);
}

void lpar_image_free(struct lpar *l)
{
	if (l->unzstd_ws) {
		mem_free(l->unzstd_ws);
		l->unzstd_ws = NULL;
	}
}

/* ---- images checked chunk by chunk ----------------------------------- */

/*
 * The verdicts of the boot bundle's image chunks, shared by every
 * partition and every life (hv/imgcheck.h says why that is safe).  One
 * thread hashes at a time besides those that need a chunk at once (a
 * fault, a load): under TCG on a 2-core host, interleaved start runs gave
 * a median of 127 ms from `ready` to the first fault answered with one
 * and 146 ms with two (the boot thread slowed by the third busy thread).
 */
#define CHECKERS_MAX 1

static struct imgcheck checks;
static bool checks_ready;
/* Hashed by threads of no partition (before and while they boot). */
static struct imgcheck_stats shared_stats;

static const char *const source_prop[2] = { "kernel", "initramfs" };

static const char *source_name(const struct lpar *l, uint32_t s)
{
	return s == 0 ? l->cfg.kernel : l->cfg.initramfs;
}

static void checks_init(void)
{
	static const struct imgcheck_ops ops = {
		.relax = smt_low,
		.now = mftb,
		.batch = 1,
		.checkers_max = CHECKERS_MAX,
	};

	if (!checks_ready) {
		imgcheck_init(&checks, &ops);
		checks_ready = true;
	}
}

/*
 * The shared entry of image `name`'s chunk list, added on first use
 * (boot thread only).  NULL with *e BUNDLE_OK when the image has no list
 * (checked whole) or the table or heap is full (then checked whole too).
 */
static struct imgcheck_image *image_entry(const struct bundle *b,
					  const char *name,
					  enum bundle_err *e)
{
	struct imgcheck_image *im;
	struct bundle_chunks c;
	uint8_t *verdict;
	bool added;

	checks_init();
	*e = bundle_chunks(b, name, &c);
	if (*e == BUNDLE_E_NO_CHUNKS) {
		*e = BUNDLE_OK;
		return NULL;
	}
	if (*e != BUNDLE_OK || !c.count) {
		return NULL;
	}
	im = imgcheck_find(&checks, &c);
	if (im) {
		return im;
	}
	verdict = mem_zalloc(c.count, 8);
	im = imgcheck_add(&checks, &c, verdict, &added);
	if (!added && verdict) {
		mem_free(verdict);
	}
	return im;
}

static bool compressed(const struct bundle *b, const char *name)
{
	enum bundle_comp comp = BUNDLE_COMP_NONE;

	return bundle_compression(b, name, &comp) != BUNDLE_OK ||
	       comp != BUNDLE_COMP_NONE;
}

/* The chunks partition `cfg`'s first guest fault will need, first. */
static void want_entry(const struct bundle *b, const struct lpar_config *cfg,
		       struct imgcheck_image *im)
{
	struct imgcheck_range r[8];
	const void *data;
	size_t len;
	uint32_t n;

	if (bundle_locate(b, cfg->kernel, &data, &len) != BUNDLE_OK) {
		return;
	}
	n = imgcheck_entry_ranges(data, len,
				  cfg->boot == CONFIG_BOOT_PAYLOAD,
				  cfg->kernel_addr, cfg->mem_size, r,
				  ARRAY_SIZE(r));
	for (uint32_t k = 0; k < n; k++) {
		imgcheck_want_first(&checks, im, r[k].off, r[k].len);
	}
}

void lpar_image_precheck(const struct bundle *b, const struct config *c)
{
	const struct lpar_config *cfg;
	struct imgcheck_image *im;
	enum bundle_err e;

	/* Every partition's entry chunks first, then its other images. */
	for (uint32_t i = 0; i < c->lpar_count; i++) {
		cfg = &c->lpars[i];
		if (cfg->refused || !lpar_lazy_wanted(cfg) || !cfg->kernel[0] ||
		    compressed(b, cfg->kernel)) {
			continue;
		}
		im = image_entry(b, cfg->kernel, &e);
		if (im) {
			want_entry(b, cfg, im);
		}
	}
	for (uint32_t i = 0; i < c->lpar_count; i++) {
		cfg = &c->lpars[i];
		if (!cfg->refused && lpar_lazy_wanted(cfg) &&
		    cfg->initramfs[0] && !compressed(b, cfg->initramfs)) {
			image_entry(b, cfg->initramfs, &e);
		}
	}
}

bool lpar_image_help(bool first_only)
{
	if (!__atomic_load_n(&checks.count, __ATOMIC_ACQUIRE)) {
		return false;
	}
	return imgcheck_step(&checks, UINT32_MAX, first_only, &shared_stats);
}

/* Record the first bad chunk found for `l` (the one reported). */
static void note_corrupt(struct lpar *l, uint32_t s, uint32_t i)
{
	uint64_t none = 0;

	__atomic_compare_exchange_n(&l->corrupt, &none,
				    ((uint64_t)s << 32 | i) + 1, false,
				    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
}

/*
 * mm/lazy.h's verify hook: bytes [off, off + len) of source s intact.
 * Called from any context (a guest fault, lparvisor's own access under a
 * device lock, the loader), so it prints nothing and takes no lock.
 */
static bool chunks_verify(void *ctx, uint32_t s, uint64_t off, uint64_t len)
{
	struct lpar *l = ctx;
	uint32_t bad;

	if (s >= 2 || !l->img[s] || !len) {
		return true; /* checked whole before it is loaded */
	}
	if (imgcheck_range(&checks, l->img[s], off, len, &l->chunk_stats,
			   &bad)) {
		return true;
	}
	if (bad != UINT32_MAX) {
		note_corrupt(l, s, bad);
	}
	return false;
}

bool lpar_image_chunks(struct lpar *l, const struct bundle *b)
{
	const char *name;
	enum bundle_err e;

	if (!l->mem.lazy) {
		return true; /* every image is checked whole before loading */
	}
	for (uint32_t s = 0; s < 2; s++) {
		name = source_name(l, s);
		if (!name[0] || (s == 0 ? l->kernel_zstd : l->initrd_zstd)) {
			continue; /* a compressed image is checked whole */
		}
		l->img[s] = image_entry(b, name, &e);
		if (e != BUNDLE_OK) {
			return refuse(l, source_prop[s], name,
				      bundle_strerror(e));
		}
		/* Checked whole (no list) or per chunk: loaded on touch. */
		lazy_source(&l->lazy, s, s == 0 ? l->kernel : l->initrd,
			    s == 0 ? l->kernel_len : l->initrd_len);
	}
	l->lazy.ops.verify = chunks_verify;
	l->lazy.ops.ctx = l;
	return true;
}

bool lpar_images_chunked(const struct lpar *l)
{
	return l->img[0] && (!l->cfg.initramfs[0] || l->img[1]);
}

/* Whether another partition or a pass found a bad chunk in l's images. */
static bool known_bad(struct lpar *l)
{
	uint32_t bad;

	for (uint32_t s = 0; s < 2; s++) {
		if (l->img[s] && (bad = imgcheck_bad(l->img[s])) != 0) {
			note_corrupt(l, s, bad - 1);
		}
	}
	return __atomic_load_n(&l->corrupt, __ATOMIC_ACQUIRE) != 0;
}

bool lpar_image_known_bad(struct lpar *l)
{
	return known_bad(l);
}

bool lpar_image_check_next(struct lpar *l, bool first_only, bool *settled)
{
	uint32_t mask = 0;
	bool more;

	for (uint32_t s = 0; s < 2; s++) {
		if (l->img[s]) {
			mask |= 1u << imgcheck_index(&checks, l->img[s]);
		}
	}
	more = mask && imgcheck_step(&checks, mask, first_only,
				     &l->chunk_stats);
	/* Settled first: a bad verdict is noted before it is counted. */
	*settled = (!l->img[0] || imgcheck_settled(l->img[0])) &&
		   (!l->img[1] || imgcheck_settled(l->img[1]));
	known_bad(l);
	return more;
}

const struct imgcheck_stats *lpar_image_shared_stats(void)
{
	return &shared_stats;
}

bool lpar_image_report(struct lpar *l)
{
	uint64_t bad = __atomic_load_n(&l->corrupt, __ATOMIC_ACQUIRE);
	const struct bundle_chunks *c;
	uint64_t lo, hi;
	uint32_t s, i;

	if (!bad) {
		return false;
	}
	if (__atomic_exchange_n(&l->corrupt_told, 1, __ATOMIC_ACQ_REL)) {
		return true;
	}
	s = (uint32_t)((bad - 1) >> 32);
	i = (uint32_t)(bad - 1);
	c = &l->img[s]->c;
	lo = (uint64_t)i * c->chunk_size;
	hi = MIN(lo + c->chunk_size, (uint64_t)c->len);
	hv_printf("lparvisor: partition \"%s\": property \"%s\": image "
		  "\"%s\": chunk %u of %u (bytes 0x%llx-0x%llx): %s; "
		  "stopped\n", l->cfg.name, source_prop[s], source_name(l, s),
		  i, c->count, (unsigned long long)lo,
		  (unsigned long long)(hi - 1),
		  bundle_strerror(BUNDLE_E_BAD_HASH));
	lpar_set_images_bad(l);
	lpar_request_stop(l, STOP_IMAGE);
	return true;
}
