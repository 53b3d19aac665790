/*
 * SHA-256 as specified by FIPS 180-4 (section 6.2), freestanding: used to
 * verify the images of the boot bundle (hv/bundle.c), on the host by
 * tools/lparvisor-config and in lparvisor at boot.
 */
#ifndef HV_LIB_SHA256_H
#define HV_LIB_SHA256_H

#include "hv/lib/types.h"

#define SHA256_DIGEST_SIZE 32
#define SHA256_BLOCK_SIZE 64

struct sha256_ctx {
	uint32_t h[8];                    /* intermediate hash value */
	uint64_t total;                   /* bytes hashed so far */
	uint8_t block[SHA256_BLOCK_SIZE]; /* partial block */
	size_t fill;                      /* bytes in block[] */
};

/** Start a new digest in `c`.  Returns nothing. */
void sha256_init(struct sha256_ctx *c);

/** Hash `len` more bytes at `data` (any length, any alignment). */
void sha256_update(struct sha256_ctx *c, const void *data, size_t len);

/**
 * Finish the digest and write its 32 bytes to `digest`.  `c` must be
 * started again with sha256_init() before further use.  Returns nothing.
 */
void sha256_final(struct sha256_ctx *c, uint8_t digest[SHA256_DIGEST_SIZE]);

/** One-shot digest of `len` bytes at `data`.  Returns nothing. */
void sha256(const void *data, size_t len, uint8_t digest[SHA256_DIGEST_SIZE]);

#endif /* HV_LIB_SHA256_H */
