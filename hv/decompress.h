/*
 * Decompression of boot-bundle images (FIT `compression = "zstd"`), with
 * zstd's decoder built from Debian's libzstd source (tools/fetch-zstd.sh,
 * BSD licence).  Pure: used by the partitions' loader (hv/lpar.c) and
 * host-tested (tests/unit/hv/decompress_test.c).  The compressed bytes come
 * from the user's bundle and are checked by their sha256 before they get
 * here, but every size and every byte is still treated as hostile: a bad
 * frame gives an error string, never an access outside the buffers.
 */
#ifndef HV_DECOMPRESS_H
#define HV_DECOMPRESS_H

#include "hv/lib/types.h"
#include "hv/loader.h"
#include "mm/gmem.h"

/** Bytes of workspace decompress_image() needs (the decoder's state). */
size_t decompress_workspace_size(void);

/**
 * The uncompressed size of the zstd data at `src` (`len` bytes), from its
 * frame headers (every frame must state its content size, as the zstd
 * tool writes it).  Sets *size and returns NULL, or returns a short reason.
 */
const char *decompress_size(const void *src, size_t len, uint64_t *size);

/**
 * Decompress the zstd data at `src` (`len` bytes) into `dst` (`cap`
 * bytes), using `workspace` (decompress_workspace_size() bytes, 8-byte
 * aligned, owned by the caller for the call).  The output must be exactly
 * the size its frames state, and their checksums must match when present.
 * Sets *out_len and returns NULL, or returns a short reason; on error
 * `dst` may hold partial output.
 */
const char *decompress_image(void *workspace, const void *src, size_t len,
			     void *dst, size_t cap, size_t *out_len);

/**
 * loader_load() of a zstd-compressed boot image: its frames are first
 * decompressed into the top of the partition's memory below `limit` (the
 * only place the whole file can be before its segments are placed), the
 * image is loaded from there with that scratch area as its limit, and the
 * scratch area is zeroed again.  `workspace` as for decompress_image().
 * Returns NULL, or a reason (a decompression fault, "does not fit", or
 * loader_load()'s own).
 */
const char *decompress_load(const struct gmem *g, void *workspace,
			    bool payload, const void *img, size_t len,
			    uint64_t limit, uint64_t kernel_addr,
			    struct load_result *out);

/**
 * Decompress zstd data straight into the partition's memory at `gpa`,
 * where exactly `size` bytes (the frames' stated size) must be owned.
 * Returns NULL, or a reason.
 */
const char *decompress_place(const struct gmem *g, void *workspace,
			     const void *src, size_t len, uint64_t gpa,
			     uint64_t size);

#endif /* HV_DECOMPRESS_H */
