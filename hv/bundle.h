/*
 * The boot bundle: a FIT image (U-Boot's Flattened Image Tree, built with
 * mkimage from u-boot-tools) holding the partition configuration and
 * every image the partitions boot.  Under QEMU it is skiboot's initramfs
 * (-initrd) and lparvisor finds it through /chosen/linux,initrd-start.
 *
 * Layout lparvisor expects (tools/mkbundle.py writes it):
 *   /images/config       type "flat_dt": the partition configuration
 *   /images/<name>       type "kernel" or "ramdisk", one per image the
 *                        configuration names; data inline ("data") or
 *                        external ("data-offset"/"data-position" +
 *                        "data-size", as `mkimage -E` writes)
 *   each image has hash-1 { algo = "sha256"; value = <digest>; }, the
 *                        digest of the data as stored (compressed or not)
 *   each image may have compression = "none" (the default) or "zstd"
 *                        (hv/decompress.h decompresses it at load time)
 *   each image may have chunks { algo = "sha256"; chunk-size = <N>;
 *                        value = <digests>; }: the sha256 of every
 *                        N-byte piece of the data as stored (the last one
 *                        shorter), so that a partition checks each piece
 *                        when it first needs it (bundle_chunks()); N is a
 *                        power of two from 4 KiB to 1 GiB (mkbundle.py
 *                        writes 256 KiB).  mkimage and dumpimage ignore the
 *                        node and still check hash-1.
 *   /configurations/default = "conf"; conf { fdt = "config"; }
 */
#ifndef HV_BUNDLE_H
#define HV_BUNDLE_H

#include "hv/config.h"
#include "hv/lib/types.h"

enum bundle_err {
	BUNDLE_OK = 0,
	BUNDLE_E_NOT_FIT,      /* not a device tree or no /images */
	BUNDLE_E_NO_IMAGE,     /* no image of that name */
	BUNDLE_E_BAD_DATA,     /* data missing or outside the bundle */
	BUNDLE_E_NO_HASH,      /* image without a sha256 hash */
	BUNDLE_E_BAD_HASH,     /* sha256 mismatch: image corrupted */
	BUNDLE_E_COMPRESSION,  /* compression other than none or zstd */
	BUNDLE_E_NO_CHUNKS,    /* no chunk hash list (not an error) */
	BUNDLE_E_BAD_CHUNKS,   /* chunk hash list malformed */
};

/* How an image's data is stored (its FIT "compression" property). */
enum bundle_comp {
	BUNDLE_COMP_NONE = 0,
	BUNDLE_COMP_ZSTD,
};

#define BUNDLE_VERIFIED_MAX 32

struct bundle {
	const void *fit;
	size_t size;
	/*
	 * Images whose hash already matched (their node offsets): the
	 * bundle is read-only once opened, so each image is hashed once
	 * however many partitions and checks use it.
	 */
	uint32_t verified_count;
	int verified[BUNDLE_VERIFIED_MAX];
	uint64_t hashed_bytes;    /* bytes of the images verified so far */
};

/** Check the FIT header and structure of `fit` (`size` bytes). */
enum bundle_err bundle_open(struct bundle *b, const void *fit, size_t size);

/**
 * Find image `name`, check that its data lies inside the bundle and that
 * its sha256 matches.  On success sets *data and *len (pointing into the
 * bundle).  Returns BUNDLE_OK or the reason.
 */
enum bundle_err bundle_image(const struct bundle *b, const char *name,
			     const void **data, size_t *len);

/**
 * Find image `name` and check that its data lies inside the bundle, but
 * not its hash: for reading an image whose bundle_image() check runs
 * later or elsewhere.  On success sets *data and *len.  Returns BUNDLE_OK,
 * BUNDLE_E_NOT_FIT, BUNDLE_E_NO_IMAGE or BUNDLE_E_BAD_DATA.
 */
enum bundle_err bundle_locate(const struct bundle *b, const char *name,
			      const void **data, size_t *len);

/**
 * How image `name` is compressed: sets *comp and returns BUNDLE_OK;
 * BUNDLE_E_NOT_FIT, BUNDLE_E_NO_IMAGE, or BUNDLE_E_COMPRESSION for a
 * "compression" lparvisor cannot read (not a string, or not "none" or
 * "zstd").
 */
enum bundle_err bundle_compression(const struct bundle *b, const char *name,
				   enum bundle_comp *comp);

/* An image's per-chunk sha256 list (its "chunks" node). */
struct bundle_chunks {
	const uint8_t *data;    /* the image's data, inside the bundle */
	size_t len;
	const uint8_t *digests; /* count digests of 32 bytes, in the bundle */
	uint64_t chunk_size;    /* a power of two, 4 KiB to 1 GiB */
	uint32_t count;         /* len / chunk_size rounded up */
};

/**
 * Image `name`'s chunk hash list: its data located as bundle_locate()
 * does, and its "chunks" node checked: algo "sha256", a 1- or 2-cell
 * chunk-size that is a power of two from 4 KiB to 1 GiB, and exactly one
 * 32-byte digest per chunk of the data.  Nothing is hashed.  Returns
 * BUNDLE_OK (*out filled), bundle_locate()'s errors, BUNDLE_E_NO_CHUNKS
 * when the image has no such node, BUNDLE_E_BAD_CHUNKS when it is
 * malformed.
 */
enum bundle_err bundle_chunks(const struct bundle *b, const char *name,
			      struct bundle_chunks *out);

/**
 * Hash chunk `i` of `c` and compare it with its digest.  Returns
 * BUNDLE_OK, BUNDLE_E_BAD_HASH on a mismatch, BUNDLE_E_BAD_DATA when `i`
 * is not a chunk of the image.
 */
enum bundle_err bundle_check_chunk(const struct bundle_chunks *c, uint32_t i);

/** True when an image of that name exists (no data or hash check). */
bool bundle_has_image(const struct bundle *b, const char *name);

/** Printable name of an error code. */
const char *bundle_strerror(enum bundle_err e);

/**
 * Why `len` bytes at `data` cannot boot as `kind`: a kernel must be a
 * 64-bit PowerPC ELF file, a payload a raw binary reaching past its entry
 * point at 0x100.  Returns NULL when it can, else a short reason.
 */
const char *bundle_check_boot(const void *data, size_t len,
			      enum config_boot kind);

/**
 * Point env->image_exists and env->image_check at bundle `b` (which must
 * outlive `env`), so that config_parse() checks image names, hashes and
 * boot kinds against it.  Returns nothing.
 */
void bundle_config_env(const struct bundle *b, struct config_env *env);

/**
 * As bundle_config_env(), but a kernel's sha256 is checked only when its
 * boot kind is wrong (so that a corrupted image is reported as corrupted):
 * for a caller that runs bundle_image() on every image it boots before
 * the image is used (hv/main.c, while the partitions clear their memory).
 * Returns nothing.
 */
void bundle_config_env_unhashed(const struct bundle *b,
				struct config_env *env);

#endif /* HV_BUNDLE_H */
