/*
 * zstd decompression of boot-bundle images: a thin, checked layer over
 * zstd's single-shot decoder (ZSTD_decompressDCtx into a flat buffer, so
 * no window buffer is allocated: the decoder's whole state is the
 * caller's workspace, given to ZSTD_initStaticDCtx).
 */
#define ZSTD_STATIC_LINKING_ONLY
#include <zstd.h>
#include <zstd_errors.h>

#include "hv/decompress.h"
#include "hv/lib/string.h"

/* Frames whose window is larger are refused (zstd's default, 128 MiB). */
#define WINDOW_LOG_MAX 27

size_t decompress_workspace_size(void)
{
	return ZSTD_estimateDCtxSize();
}

/* A zstd error code as a reason a person can act on. */
static const char *zstd_reason(size_t code)
{
	switch (ZSTD_getErrorCode(code)) {
	case ZSTD_error_prefix_unknown:
		return "not zstd data (bad magic number)";
	case ZSTD_error_version_unsupported:
	case ZSTD_error_frameParameter_unsupported:
		return "zstd frame with unsupported parameters";
	case ZSTD_error_frameParameter_windowTooLarge:
		return "zstd frame window larger than 128 MiB";
	case ZSTD_error_checksum_wrong:
		return "zstd checksum mismatch: compressed data corrupted";
	case ZSTD_error_dstSize_tooSmall:
		return "decompresses to more than its frames state";
	case ZSTD_error_srcSize_wrong:
		return "compressed data truncated or longer than its frames";
	case ZSTD_error_dictionary_wrong:
	case ZSTD_error_dictionary_corrupted:
		return "zstd frame needs a dictionary";
	case ZSTD_error_memory_allocation:
	case ZSTD_error_workSpace_tooSmall:
		return "zstd decoder workspace too small";
	default:
		return "corrupt zstd data";
	}
}

/**
 * Read the uncompressed size of `len` bytes of zstd frames at `src`.
 * Sets *size and returns NULL; or returns the reason (not zstd, a frame
 * without a content size, frames whose sizes overflow).
 */
const char *decompress_size(const void *src, size_t len, uint64_t *size)
{
	unsigned long long n;

	if (!src || len < 4) {
		return "compressed data too short";
	}
	n = ZSTD_findDecompressedSize(src, len);
	if (n == ZSTD_CONTENTSIZE_UNKNOWN) {
		return "a zstd frame does not state its size (compress with "
		       "the zstd tool from a file)";
	}
	if (n == ZSTD_CONTENTSIZE_ERROR) {
		return "not valid zstd frames (bad header, truncated or sizes "
		       "overflow)";
	}
	*size = n;
	return NULL;
}

/**
 * Decompress `len` bytes of zstd frames at `src` into `dst` (`cap`
 * bytes) with the caller's `workspace`.  The stated size must fit in
 * `cap` and the output must be exactly that size.  Sets *out_len and
 * returns NULL, or returns the reason.
 */
const char *decompress_image(void *workspace, const void *src, size_t len,
			     void *dst, size_t cap, size_t *out_len)
{
	ZSTD_DCtx *dctx;
	const char *err;
	uint64_t want;
	size_t got;

	err = decompress_size(src, len, &want);
	if (err) {
		return err;
	}
	if (want > cap) {
		return "uncompressed size larger than the room for it";
	}
	if (!workspace || !IS_ALIGNED((uintptr_t)workspace, 8)) {
		return "zstd decoder workspace missing or misaligned";
	}
	dctx = ZSTD_initStaticDCtx(workspace, decompress_workspace_size());
	if (!dctx) {
		return "zstd decoder workspace too small";
	}
	got = ZSTD_DCtx_setParameter(dctx, ZSTD_d_windowLogMax, WINDOW_LOG_MAX);
	if (ZSTD_isError(got)) {
		return zstd_reason(got);
	}
	/* Only `want` bytes of room: no frame may write past what it states. */
	got = ZSTD_decompressDCtx(dctx, dst, (size_t)want, src, len);
	if (ZSTD_isError(got)) {
		return zstd_reason(got);
	}
	if (got != want) {
		return "decompressed size differs from the size the frames state";
	}
	*out_len = got;
	return NULL;
}

/**
 * Decompress boot image `img` (`len` bytes of zstd frames) to the top of
 * guest memory below `limit`, 64 KiB aligned, load it from there with
 * loader_load() (whose segments must then end below it), and zero what
 * was decompressed.  Returns NULL or the reason.
 */
const char *decompress_load(const struct gmem *g, void *workspace,
			    bool payload, const void *img, size_t len,
			    uint64_t limit, uint64_t kernel_addr,
			    struct load_result *out)
{
	uint64_t size, scratch;
	const char *err;
	size_t got = 0;

	err = decompress_size(img, len, &size);
	if (err) {
		return err;
	}
	if (size > limit || !gmem_owns(g, 0, limit)) {
		return "uncompressed image does not fit in the partition's "
		       "memory";
	}
	scratch = ALIGN_DOWN(limit - size, SZ_64K);
	/* All of the scratch is written: by the decoder, then zeroed. */
	gmem_claim(g, scratch, limit - scratch);
	err = decompress_image(workspace, img, len, gmem_ptr(g, scratch),
			       (size_t)(limit - scratch), &got);
	if (!err) {
		err = loader_load(g, payload, gmem_ptr(g, scratch), got,
				  scratch, kernel_addr, out);
	}
	/* Nothing of the file stays where the guest did not ask for it. */
	memset(gmem_ptr(g, scratch), 0, (size_t)(limit - scratch));
	gmem_written(g, scratch, limit - scratch);
	return err;
}

/**
 * Decompress `len` bytes of zstd frames at `src` to guest address `gpa`,
 * which must own the `size` bytes they state (the caller has read that
 * size with decompress_size() and checked where it goes).  Returns NULL
 * or the reason.
 */
const char *decompress_place(const struct gmem *g, void *workspace,
			     const void *src, size_t len, uint64_t gpa,
			     uint64_t size)
{
	const char *err;
	size_t got = 0;

	if (!gmem_owns(g, gpa, size)) {
		return "uncompressed image does not fit in the partition's "
		       "memory";
	}
	/* Left claimed on failure: lpar_prepare() clears it then. */
	gmem_claim(g, gpa, size);
	err = decompress_image(workspace, src, len, gmem_ptr(g, gpa),
			       (size_t)size, &got);
	if (!err) {
		gmem_written(g, gpa, size);
	}
	return err;
}
