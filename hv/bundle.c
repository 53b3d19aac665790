/*
 * The boot bundle reader: U-Boot's FIT format (doc/usage/fit/
 * source_file_format.rst) as `mkimage -f` and `mkimage -E -f` from
 * u-boot-tools 2023.01 write it, read with libfdt.  Every offset and size
 * comes from the blob and is checked against the bundle's real size
 * before use, with arithmetic that cannot wrap.
 */
#include <libfdt.h>

#include "hv/bundle.h"
#include "hv/lib/fdtcheck.h"
#include "hv/lib/sha256.h"
#include "hv/lib/string.h"

#define ELF_MACHINE_PPC64 21
#define ELF_TYPE_EXEC 2
#define ELF_TYPE_DYN 3

/* Where a payload is entered (docs/config.md, `boot`). */
#define PAYLOAD_ENTRY 0x100

enum prop_state { PROP_ABSENT, PROP_OK, PROP_BAD };

/* A 1- or 2-cell unsigned property. */
static enum prop_state prop_uint(const void *fit, int node, const char *name,
				 uint64_t *out)
{
	const uint8_t *p;
	uint64_t v = 0;
	int len, i;

	p = fdt_getprop(fit, node, name, &len);
	if (!p) {
		return PROP_ABSENT;
	}
	if (len != 4 && len != 8) {
		return PROP_BAD;
	}
	for (i = 0; i < len; i++) {
		v = (v << 8) | p[i];
	}
	*out = v;
	return PROP_OK;
}

/* The /images subnode named exactly `name`.  libfdt's own lookup would
 * also match "name@1", which the bundle format does not use. */
static int find_image(const struct bundle *b, const char *name)
{
	const char *n;
	int images, node;

	if (!b->fit || !name) {
		return -FDT_ERR_NOTFOUND;
	}
	images = fdt_path_offset(b->fit, "/images");
	if (images < 0) {
		return images;
	}
	fdt_for_each_subnode(node, b->fit, images) {
		n = fdt_get_name(b->fit, node, NULL);
		if (n && strcmp(n, name) == 0) {
			return node;
		}
	}
	return node < 0 ? node : -FDT_ERR_NOTFOUND;
}

/**
 * Check that `fit` (`size` bytes, 8-byte aligned) is a device tree that
 * fits in `size`, with its structure block 4-byte aligned, and has an
 * /images node; on success `b` describes it.
 * Returns BUNDLE_OK, or BUNDLE_E_NOT_FIT (then `b` is emptied).
 */
enum bundle_err bundle_open(struct bundle *b, const void *fit, size_t size)
{
	b->fit = NULL;
	b->size = 0;
	b->verified_count = 0;
	b->hashed_bytes = 0;
	if (!fit || size < sizeof(struct fdt_header)) {
		return BUNDLE_E_NOT_FIT;
	}
	if (fdt_check_header(fit) != 0 || fdt_totalsize(fit) > size) {
		return BUNDLE_E_NOT_FIT;
	}
	/* libfdt reads the structure block in 32-bit words: an unaligned
	 * one makes every read misaligned (config fuzzer finding 1). */
	if (!IS_ALIGNED(fdt_off_dt_struct(fit), 4)) {
		return BUNDLE_E_NOT_FIT;
	}
	/* Tags that do not move forward hang libfdt (fuzzer finding 2). */
	if (fdt_check_structure(fit) != 0) {
		return BUNDLE_E_NOT_FIT;
	}
	if (fdt_path_offset(fit, "/images") < 0) {
		return BUNDLE_E_NOT_FIT;
	}
	b->fit = fit;
	b->size = size;
	return BUNDLE_OK;
}

/*
 * Locate an image's data.  As in U-Boot's fit_image_get_data():
 * "data-position" is an offset from the start of the bundle,
 * "data-offset" one from the end of the FIT structure rounded up to 4
 * bytes (fdt_totalsize, which mkimage -E already pads), and without
 * either the data is inline in the "data" property.  External data must
 * lie after the structure and inside the bundle.
 */
static enum bundle_err image_data(const struct bundle *b, int node,
				  const uint8_t **data, size_t *len)
{
	uint64_t end_of_fit = ALIGN_UP((uint64_t)fdt_totalsize(b->fit), 4);
	enum prop_state st;
	uint64_t pos, off, size;
	const void *p;
	int plen;

	st = prop_uint(b->fit, node, "data-position", &pos);
	if (st == PROP_ABSENT) {
		st = prop_uint(b->fit, node, "data-offset", &off);
		if (st == PROP_OK) {
			/* off is checked first so that the sum cannot wrap. */
			if (off > b->size) {
				return BUNDLE_E_BAD_DATA;
			}
			pos = end_of_fit + off;
		}
	}
	if (st == PROP_BAD) {
		return BUNDLE_E_BAD_DATA;
	}
	if (st == PROP_ABSENT) {
		p = fdt_getprop(b->fit, node, "data", &plen);
		if (!p || plen < 0) {
			return BUNDLE_E_BAD_DATA;
		}
		*data = p;
		*len = (size_t)plen;
		return BUNDLE_OK;
	}
	if (prop_uint(b->fit, node, "data-size", &size) != PROP_OK) {
		return BUNDLE_E_BAD_DATA;
	}
	if (pos < fdt_totalsize(b->fit) || pos > b->size ||
	    size > b->size - pos) {
		return BUNDLE_E_BAD_DATA;
	}
	*data = (const uint8_t *)b->fit + pos;
	*len = (size_t)size;
	return BUNDLE_OK;
}

/*
 * Check every sha256 hash node of the image ("hash-1", "hash@1": any
 * subnode whose name starts with "hash"); other algorithms are ignored,
 * and at least one sha256 node is required.
 */
static enum bundle_err image_hash(const struct bundle *b, int node,
				  const uint8_t *data, size_t len)
{
	uint8_t digest[SHA256_DIGEST_SIZE];
	const char *name, *algo;
	const void *value;
	bool done = false;
	int sub, alen, vlen;

	fdt_for_each_subnode(sub, b->fit, node) {
		name = fdt_get_name(b->fit, sub, NULL);
		if (!name || strncmp(name, "hash", 4) != 0) {
			continue;
		}
		algo = fdt_getprop(b->fit, sub, "algo", &alen);
		if (!algo || alen != sizeof("sha256") ||
		    memcmp(algo, "sha256", sizeof("sha256")) != 0) {
			continue;
		}
		value = fdt_getprop(b->fit, sub, "value", &vlen);
		if (!value || vlen != SHA256_DIGEST_SIZE) {
			return BUNDLE_E_BAD_HASH;
		}
		if (!done) {
			sha256(data, len, digest);
			done = true;
		}
		if (memcmp(value, digest, SHA256_DIGEST_SIZE) != 0) {
			return BUNDLE_E_BAD_HASH;
		}
	}
	if (sub != -FDT_ERR_NOTFOUND) {
		return BUNDLE_E_NOT_FIT;
	}
	return done ? BUNDLE_OK : BUNDLE_E_NO_HASH;
}

/* Whether the image at `node` already had its hash checked. */
static bool already_verified(const struct bundle *b, int node)
{
	for (uint32_t i = 0; i < b->verified_count; i++) {
		if (b->verified[i] == node) {
			return true;
		}
	}
	return false;
}

/* The cache is logically part of the (read-only) bundle: see bundle.h. */
static void remember_verified(struct bundle *b, int node, size_t len)
{
	b->hashed_bytes += len;
	if (b->verified_count < BUNDLE_VERIFIED_MAX) {
		b->verified[b->verified_count++] = node;
	}
}

static enum bundle_err locate(const struct bundle *b, const char *name,
			      int *node, const uint8_t **d, size_t *l)
{
	if (!b->fit) {
		return BUNDLE_E_NOT_FIT;
	}
	*node = find_image(b, name);
	if (*node == -FDT_ERR_NOTFOUND) {
		return BUNDLE_E_NO_IMAGE;
	}
	if (*node < 0) {
		return BUNDLE_E_NOT_FIT;
	}
	return image_data(b, *node, d, l);
}

/**
 * Find image `name` in bundle `b` and check that its data lies inside the
 * bundle; its hash is not read.  On success sets *data and *len.
 * Returns BUNDLE_OK; BUNDLE_E_NOT_FIT for a bundle not opened or whose
 * structure breaks; BUNDLE_E_NO_IMAGE; BUNDLE_E_BAD_DATA for data absent,
 * malformed or outside the bundle.
 */
enum bundle_err bundle_locate(const struct bundle *b, const char *name,
			      const void **data, size_t *len)
{
	const uint8_t *d;
	enum bundle_err e;
	size_t l;
	int node;

	e = locate(b, name, &node, &d, &l);
	if (e) {
		return e;
	}
	*data = d;
	*len = l;
	return BUNDLE_OK;
}

/**
 * Find image `name` in bundle `b`, check that its data lies inside the
 * bundle and that its sha256 matches.  On success sets *data and *len
 * (pointing into the bundle).  Returns BUNDLE_OK; BUNDLE_E_NOT_FIT for a
 * bundle not opened or whose structure breaks; BUNDLE_E_NO_IMAGE;
 * BUNDLE_E_BAD_DATA for data absent, malformed or outside the bundle;
 * BUNDLE_E_NO_HASH when no sha256 hash node exists; BUNDLE_E_BAD_HASH
 * for a malformed or mismatching digest.
 */
enum bundle_err bundle_image(const struct bundle *b, const char *name,
			     const void **data, size_t *len)
{
	const uint8_t *d;
	enum bundle_err e;
	size_t l;
	int node;

	e = locate(b, name, &node, &d, &l);
	if (e) {
		return e;
	}
	if (!already_verified(b, node)) {
		e = image_hash(b, node, d, l);
		if (e) {
			return e;
		}
		remember_verified((struct bundle *)b, node, l);
	}
	*data = d;
	*len = l;
	return BUNDLE_OK;
}

/**
 * Read image `name`'s FIT "compression" property into *comp: absent or
 * "none" is BUNDLE_COMP_NONE, "zstd" BUNDLE_COMP_ZSTD.  Returns BUNDLE_OK;
 * BUNDLE_E_NOT_FIT for a bundle not opened or whose structure breaks;
 * BUNDLE_E_NO_IMAGE; BUNDLE_E_COMPRESSION for any other value (gzip and
 * the rest of U-Boot's list included) or a property that is not one
 * string.
 */
enum bundle_err bundle_compression(const struct bundle *b, const char *name,
				   enum bundle_comp *comp)
{
	const char *v;
	int node, len;

	if (!b->fit) {
		return BUNDLE_E_NOT_FIT;
	}
	node = find_image(b, name);
	if (node == -FDT_ERR_NOTFOUND) {
		return BUNDLE_E_NO_IMAGE;
	}
	if (node < 0) {
		return BUNDLE_E_NOT_FIT;
	}
	v = fdt_getprop(b->fit, node, "compression", &len);
	if (!v) {
		*comp = BUNDLE_COMP_NONE;
		return BUNDLE_OK;
	}
	if (len == sizeof("none") && memcmp(v, "none", sizeof("none")) == 0) {
		*comp = BUNDLE_COMP_NONE;
		return BUNDLE_OK;
	}
	if (len == sizeof("zstd") && memcmp(v, "zstd", sizeof("zstd")) == 0) {
		*comp = BUNDLE_COMP_ZSTD;
		return BUNDLE_OK;
	}
	return BUNDLE_E_COMPRESSION;
}

#define CHUNK_SIZE_MIN (4ull << 10)
#define CHUNK_SIZE_MAX (1ull << 30)

/**
 * Image `name`'s chunk hash list (see bundle.h): the data located, the
 * "chunks" node's algo, chunk-size and digest count checked against the
 * data's length with arithmetic that cannot wrap.  Fills *out and returns
 * BUNDLE_OK; bundle_locate()'s errors; BUNDLE_E_NO_CHUNKS without the
 * node; BUNDLE_E_BAD_CHUNKS for anything malformed in it.
 */
enum bundle_err bundle_chunks(const struct bundle *b, const char *name,
			      struct bundle_chunks *out)
{
	const uint8_t *d;
	const char *algo;
	const void *value;
	enum bundle_err e;
	uint64_t cs, count;
	int node, sub, alen, vlen;
	size_t l;

	e = locate(b, name, &node, &d, &l);
	if (e) {
		return e;
	}
	sub = fdt_subnode_offset(b->fit, node, "chunks");
	if (sub == -FDT_ERR_NOTFOUND) {
		return BUNDLE_E_NO_CHUNKS;
	}
	if (sub < 0) {
		return BUNDLE_E_NOT_FIT;
	}
	algo = fdt_getprop(b->fit, sub, "algo", &alen);
	if (!algo || alen != sizeof("sha256") ||
	    memcmp(algo, "sha256", sizeof("sha256")) != 0) {
		return BUNDLE_E_BAD_CHUNKS;
	}
	if (prop_uint(b->fit, sub, "chunk-size", &cs) != PROP_OK ||
	    cs < CHUNK_SIZE_MIN || cs > CHUNK_SIZE_MAX || (cs & (cs - 1))) {
		return BUNDLE_E_BAD_CHUNKS;
	}
	/* l < 2^64 and cs <= 2^30: the sum cannot wrap. */
	count = l / cs + (l % cs != 0);
	value = fdt_getprop(b->fit, sub, "value", &vlen);
	if (!value || vlen < 0 || count > 0xffffffffull ||
	    (uint64_t)vlen != count * SHA256_DIGEST_SIZE) {
		return BUNDLE_E_BAD_CHUNKS;
	}
	out->data = d;
	out->len = l;
	out->digests = value;
	out->chunk_size = cs;
	out->count = (uint32_t)count;
	return BUNDLE_OK;
}

/**
 * Hash chunk `i` of the image `c` describes (the last one may be short)
 * and compare it with its digest.  Returns BUNDLE_OK, BUNDLE_E_BAD_HASH
 * on a mismatch, BUNDLE_E_BAD_DATA for an `i` past the last chunk.
 */
enum bundle_err bundle_check_chunk(const struct bundle_chunks *c, uint32_t i)
{
	uint8_t digest[SHA256_DIGEST_SIZE];
	uint64_t off, n;

	if (i >= c->count) {
		return BUNDLE_E_BAD_DATA;
	}
	off = (uint64_t)i * c->chunk_size;
	n = MIN(c->chunk_size, (uint64_t)c->len - off);
	sha256(c->data + off, (size_t)n, digest);
	if (memcmp(digest, c->digests + (size_t)i * SHA256_DIGEST_SIZE,
		   SHA256_DIGEST_SIZE) != 0) {
		return BUNDLE_E_BAD_HASH;
	}
	return BUNDLE_OK;
}

/** True when bundle `b` has an image named `name`; data is not read. */
bool bundle_has_image(const struct bundle *b, const char *name)
{
	return find_image(b, name) >= 0;
}

/** Printable name of an error code; never NULL. */
const char *bundle_strerror(enum bundle_err e)
{
	switch (e) {
	case BUNDLE_OK:
		return "no error";
	case BUNDLE_E_NOT_FIT:
		return "not a FIT image";
	case BUNDLE_E_NO_IMAGE:
		return "no such image";
	case BUNDLE_E_BAD_DATA:
		return "image data missing or outside the bundle";
	case BUNDLE_E_NO_HASH:
		return "image has no sha256 hash";
	case BUNDLE_E_BAD_HASH:
		return "sha256 mismatch: image corrupted";
	case BUNDLE_E_COMPRESSION:
		return "compression not supported (lparvisor reads \"none\" "
		       "and \"zstd\")";
	case BUNDLE_E_NO_CHUNKS:
		return "image has no chunk hash list";
	case BUNDLE_E_BAD_CHUNKS:
		return "chunk hash list malformed";
	}
	return "unknown error";
}

static uint16_t elf_u16(const uint8_t *p, bool big)
{
	return big ? (uint16_t)((p[0] << 8) | p[1])
		   : (uint16_t)((p[1] << 8) | p[0]);
}

/**
 * Why `len` bytes at `data` cannot boot as `kind`.  A kernel is entered
 * through its ELF header (big- or little-endian ELF64 for PowerPC64,
 * executable or position-independent); a payload is copied to guest
 * address 0 and entered at 0x100, so it must be longer than that and
 * must not be an ELF file (a kernel given the wrong `boot`).
 * Returns NULL when the image can boot, else a short reason.
 */
const char *bundle_check_boot(const void *data, size_t len,
			      enum config_boot kind)
{
	const uint8_t *p = data;
	bool is_elf = len >= 4 && memcmp(p, "\177ELF", 4) == 0;
	bool big;
	uint16_t type;

	if (kind == CONFIG_BOOT_PAYLOAD) {
		if (is_elf) {
			return "it is an ELF file (use boot = \"kernel\")";
		}
		if (len <= PAYLOAD_ENTRY) {
			return "too short to reach its entry point at 0x100";
		}
		return NULL;
	}
	/* 64 bytes: the ELF64 file header. */
	if (!is_elf || len < 64) {
		return "not an ELF file";
	}
	if (p[4] != 2) {
		return "not a 64-bit ELF file";
	}
	if (p[5] != 1 && p[5] != 2) {
		return "unknown ELF byte order";
	}
	big = p[5] == 2;
	if (elf_u16(p + 18, big) != ELF_MACHINE_PPC64) {
		return "not a PowerPC64 ELF file";
	}
	type = elf_u16(p + 16, big);
	if (type != ELF_TYPE_EXEC && type != ELF_TYPE_DYN) {
		return "not an executable ELF file";
	}
	return NULL;
}

static bool env_image_exists(void *ctx, const char *name)
{
	return bundle_has_image(ctx, name);
}

/*
 * Whether image `name` is stored compressed; *why is set to the reason
 * when its compression cannot be read.  A compressed image's boot kind is
 * checked when a partition loads it (its header is inside the frames).
 */
static bool compressed(const struct bundle *b, const char *name,
		       const char **why)
{
	enum bundle_comp comp = BUNDLE_COMP_NONE;
	enum bundle_err e;

	e = bundle_compression(b, name, &comp);
	*why = e ? bundle_strerror(e) : NULL;
	return e || comp != BUNDLE_COMP_NONE;
}

static const char *env_image_check(void *ctx, const char *name,
				   enum config_boot kind)
{
	const void *data;
	enum bundle_err e;
	const char *why;
	size_t len;

	e = bundle_image(ctx, name, &data, &len);
	if (e) {
		return bundle_strerror(e);
	}
	if (compressed(ctx, name, &why)) {
		return why;
	}
	return bundle_check_boot(data, len, kind);
}

/**
 * Make config_parse() check image references against bundle `b`: names,
 * then for kernels the data bounds, sha256 and boot kind.  `b` must
 * outlive `env`.  Returns nothing.
 */
/* A disk image's size (its data located, not hashed), or 0. */
static uint64_t env_image_size(void *ctx, const char *name)
{
	const void *data;
	size_t len;

	if (bundle_locate(ctx, name, &data, &len) != BUNDLE_OK) {
		return 0;
	}
	return len;
}

void bundle_config_env(const struct bundle *b, struct config_env *env)
{
	env->image_size = env_image_size;
	env->image_exists = env_image_exists;
	env->image_check = env_image_check;
	/* The callbacks only read through ctx. */
	env->ctx = (void *)b;
}

static const char *env_image_check_unhashed(void *ctx, const char *name,
					    enum config_boot kind)
{
	const void *data;
	enum bundle_err e;
	const char *why;
	size_t len;

	e = bundle_locate(ctx, name, &data, &len);
	if (e) {
		return bundle_strerror(e);
	}
	if (compressed(ctx, name, &why)) {
		return why;
	}
	why = bundle_check_boot(data, len, kind);
	if (why) {
		/* A damaged header is reported as the corruption it is. */
		e = bundle_image(ctx, name, &data, &len);
		if (e) {
			return bundle_strerror(e);
		}
	}
	return why;
}

/**
 * Make config_parse() check image references against bundle `b` (names,
 * data bounds, boot kind) but leave the sha256 of an image whose boot
 * kind is right to the caller's bundle_image().  `b` must outlive `env`.
 * Returns nothing.
 */
void bundle_config_env_unhashed(const struct bundle *b,
				struct config_env *env)
{
	bundle_config_env(b, env);
	env->image_check = env_image_check_unhashed;
}
