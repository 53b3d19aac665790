/*
 * A partition's compressed boot images (FIT compression = "zstd"): what
 * hv/lpar.c asks of hv/decompress.c.  The images' sha256 (of the data as
 * stored) is checked by lpar_check_images() before anything here reads
 * more than a frame header; the decoder then writes straight into the
 * partition's memory.  Uncompressed images are copied as before.
 */
#include "hv/bundle.h"
#include "hv/console.h"
#include "hv/cpu.h"
#include "hv/decompress.h"
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

enum { CHUNK_UNCHECKED, CHUNK_GOOD, CHUNK_BAD, CHUNK_CHECKING };

static const char *const source_prop[2] = { "kernel", "initramfs" };

static const char *source_name(const struct lpar *l, uint32_t s)
{
	return s == 0 ? l->cfg.kernel : l->cfg.initramfs;
}

/* Chunk i of source s: hashed once, by whoever asks first; the others
 * wait for that verdict. */
static bool chunk_good(struct lpar *l, uint32_t s, uint32_t i)
{
	uint8_t v = CHUNK_UNCHECKED;
	uint64_t t0, none = 0;

	if (__atomic_compare_exchange_n(&l->chunk_ok[s][i], &v,
					CHUNK_CHECKING, false,
					__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		t0 = mftb();
		v = bundle_check_chunk(&l->chunks[s], i) == BUNDLE_OK ?
			    CHUNK_GOOD : CHUNK_BAD;
		__atomic_store_n(&l->chunk_ok[s][i], v, __ATOMIC_RELEASE);
		__atomic_fetch_add(&l->chunks_checked, 1, __ATOMIC_RELAXED);
		__atomic_fetch_add(&l->chunk_tb, mftb() - t0,
				   __ATOMIC_RELAXED);
	}
	while (v == CHUNK_CHECKING) {
		smt_low();
		v = __atomic_load_n(&l->chunk_ok[s][i], __ATOMIC_ACQUIRE);
	}
	smt_medium();
	if (v == CHUNK_BAD) {
		/* The first one found is the one reported. */
		__atomic_compare_exchange_n(&l->corrupt, &none,
					    ((uint64_t)s << 32 | i) + 1, false,
					    __ATOMIC_ACQ_REL,
					    __ATOMIC_ACQUIRE);
		return false;
	}
	return true;
}

/*
 * mm/lazy.h's verify hook: bytes [off, off + len) of source s intact.
 * Called from any context (a guest fault, lparvisor's own access under a
 * device lock, the loader), so it prints nothing and takes no lock.
 */
static bool chunks_verify(void *ctx, uint32_t s, uint64_t off, uint64_t len)
{
	struct lpar *l = ctx;
	const struct bundle_chunks *c;
	uint64_t first, last;

	if (s >= 2 || !l->chunk_ok[s] || !len) {
		return true; /* checked whole before it is loaded */
	}
	c = &l->chunks[s];
	if (off >= c->len || len > c->len - off) {
		return false;
	}
	first = off / c->chunk_size;
	last = (off + len - 1) / c->chunk_size;
	for (uint64_t i = first; i <= last; i++) {
		if (!chunk_good(l, s, (uint32_t)i)) {
			return false;
		}
	}
	return true;
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
		e = bundle_chunks(b, name, &l->chunks[s]);
		if (e == BUNDLE_OK && l->chunks[s].count) {
			l->chunk_ok[s] = mem_zalloc(l->chunks[s].count, 8);
			if (!l->chunk_ok[s]) {
				hv_printf("lparvisor: partition \"%s\": out of "
					  "hypervisor heap for the chunk "
					  "checks of image \"%s\"; not "
					  "started\n", l->cfg.name, name);
				return false;
			}
		} else if (e != BUNDLE_OK && e != BUNDLE_E_NO_CHUNKS) {
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
	return l->chunk_ok[0] && (!l->cfg.initramfs[0] || l->chunk_ok[1]);
}

bool lpar_image_check_next(struct lpar *l)
{
	uint32_t k = l->check_next, n0 = l->chunk_ok[0] ? l->chunks[0].count : 0;
	uint32_t n1 = l->chunk_ok[1] ? l->chunks[1].count : 0;
	uint32_t s, i;

	/* Chunks in order, the kernel's first; those touched are skipped. */
	for (; k < n0 + n1; k++) {
		s = k < n0 ? 0 : 1;
		i = k < n0 ? k : k - n0;
		if (__atomic_load_n(&l->chunk_ok[s][i], __ATOMIC_ACQUIRE) ==
		    CHUNK_UNCHECKED) {
			if (!chunk_good(l, s, i)) {
				l->check_next = n0 + n1;
				return false; /* reported by the caller */
			}
			k++;
			break;
		}
	}
	l->check_next = k;
	return k < n0 + n1;
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
	c = &l->chunks[s];
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
