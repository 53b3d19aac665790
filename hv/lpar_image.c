/*
 * A partition's compressed boot images (FIT compression = "zstd"): what
 * hv/lpar.c asks of hv/decompress.c.  The images' sha256 (of the data as
 * stored) is checked by lpar_check_images() before anything here reads
 * more than a frame header; the decoder then writes straight into the
 * partition's memory.  Uncompressed images are copied as before.
 */
#include "hv/bundle.h"
#include "hv/console.h"
#include "hv/decompress.h"
#include "hv/loader.h"
#include "hv/lpar.h"
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
	if (!is_zstd(l, b, "kernel", l->cfg.kernel, &l->kernel_zstd)) {
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
		gmem_claim(&l->mem, gpa, l->initrd_len);
		memcpy(gmem_ptr(&l->mem, gpa), l->initrd, l->initrd_len);
		gmem_written(&l->mem, gpa, l->initrd_len);
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
