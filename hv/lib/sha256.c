/*
 * SHA-256, written from FIPS 180-4: constants from section 4.2.2, initial
 * hash value from 5.3.3, padding from 5.1.1 and the compression function
 * from 6.2.2.  Byte-oriented input, so it runs unchanged on big- and
 * little-endian hosts and needs no aligned buffers.
 */
#include "hv/lib/sha256.h"
#include "hv/lib/string.h"

/* First 32 bits of the fractional parts of the cube roots of the first
 * 64 primes (FIPS 180-4, 4.2.2). */
static const uint32_t sha256_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b,
	0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01,
	0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7,
	0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc,
	0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152,
	0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
	0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
	0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08,
	0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f,
	0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static inline uint32_t rotr(uint32_t x, unsigned n)
{
	return (x >> n) | (x << (32 - n));
}

static inline uint32_t load_be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
	       ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}

static inline void store_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* The functions of FIPS 180-4, 4.1.2. */
#define CH(x, y, z) (((x) & (y)) ^ (~(x) & (z)))
#define MAJ(x, y, z) (((x) & (y)) ^ ((x) & (z)) ^ ((y) & (z)))
#define BSIG0(x) (rotr((x), 2) ^ rotr((x), 13) ^ rotr((x), 22))
#define BSIG1(x) (rotr((x), 6) ^ rotr((x), 11) ^ rotr((x), 25))
#define SSIG0(x) (rotr((x), 7) ^ rotr((x), 18) ^ ((x) >> 3))
#define SSIG1(x) (rotr((x), 17) ^ rotr((x), 19) ^ ((x) >> 10))

/*
 * Round t + i of 6.2.2 step 3 (t: the caller's first round of the batch
 * of 16, i: a constant) on working variables passed in their order for
 * this round: instead of moving h <- g <- f ... after each round, the next
 * round names them one place further on (only d and h change), so eight
 * rounds written out need no moves.  This is the usual way of writing
 * SHA-256; it halves the instructions per round that the loop form had,
 * and the boot hashes tens of MiB with it (issue 21).
 */
#define ROUND(a, b, c, d, e, f, g, h, i)                                   \
	do {                                                               \
		uint32_t t1_ = (h) + BSIG1(e) + CH((e), (f), (g)) +        \
			       sha256_k[t + (i)] + w[(i)];                 \
		(d) += t1_;                                                \
		(h) = t1_ + BSIG0(a) + MAJ((a), (b), (c));                 \
	} while (0)

/*
 * Message schedule 6.2.2 step 1 for round t + i, in a ring of 16 words:
 * w[i] holds W(t-16+i) and becomes W(t+i); taken in order, every word it
 * needs from this batch (i-2, i-7, i-15 wrap round) is already updated.
 */
#define SCHEDULE(i)                                                        \
	(w[(i)] += SSIG1(w[((i) + 14) & 15]) + w[((i) + 9) & 15] +         \
		   SSIG0(w[((i) + 1) & 15]))

/* Rounds t .. t+15, each preceded by `sched` (SCHEDULE or nothing). */
#define SIXTEEN_ROUNDS(sched)                                              \
	do {                                                               \
		sched(0);  ROUND(a, b, c, d, e, f, g, h, 0);               \
		sched(1);  ROUND(h, a, b, c, d, e, f, g, 1);               \
		sched(2);  ROUND(g, h, a, b, c, d, e, f, 2);               \
		sched(3);  ROUND(f, g, h, a, b, c, d, e, 3);               \
		sched(4);  ROUND(e, f, g, h, a, b, c, d, 4);               \
		sched(5);  ROUND(d, e, f, g, h, a, b, c, 5);               \
		sched(6);  ROUND(c, d, e, f, g, h, a, b, 6);               \
		sched(7);  ROUND(b, c, d, e, f, g, h, a, 7);               \
		sched(8);  ROUND(a, b, c, d, e, f, g, h, 8);               \
		sched(9);  ROUND(h, a, b, c, d, e, f, g, 9);               \
		sched(10); ROUND(g, h, a, b, c, d, e, f, 10);              \
		sched(11); ROUND(f, g, h, a, b, c, d, e, 11);              \
		sched(12); ROUND(e, f, g, h, a, b, c, d, 12);              \
		sched(13); ROUND(d, e, f, g, h, a, b, c, 13);              \
		sched(14); ROUND(c, d, e, f, g, h, a, b, 14);              \
		sched(15); ROUND(b, c, d, e, f, g, h, a, 15);              \
	} while (0)

#define NO_SCHEDULE(i) ((void)0)

/* The compression function applied to one 512-bit block (6.2.2). */
static void sha256_block(uint32_t hv[8], const uint8_t *blk)
{
	uint32_t w[16];
	uint32_t a = hv[0], b = hv[1], c = hv[2], d = hv[3];
	uint32_t e = hv[4], f = hv[5], g = hv[6], h = hv[7];
	int i, t = 0;

	for (i = 0; i < 16; i++) {
		w[i] = load_be32(blk + 4 * i);
	}
	SIXTEEN_ROUNDS(NO_SCHEDULE);
	for (t = 16; t < 64; t += 16) {
		SIXTEEN_ROUNDS(SCHEDULE);
	}
	hv[0] += a;
	hv[1] += b;
	hv[2] += c;
	hv[3] += d;
	hv[4] += e;
	hv[5] += f;
	hv[6] += g;
	hv[7] += h;
}

/**
 * Start a new digest: the initial hash value of FIPS 180-4, 5.3.3.
 * Returns nothing.
 */
void sha256_init(struct sha256_ctx *c)
{
	c->h[0] = 0x6a09e667;
	c->h[1] = 0xbb67ae85;
	c->h[2] = 0x3c6ef372;
	c->h[3] = 0xa54ff53a;
	c->h[4] = 0x510e527f;
	c->h[5] = 0x9b05688c;
	c->h[6] = 0x1f83d9ab;
	c->h[7] = 0x5be0cd19;
	c->total = 0;
	c->fill = 0;
}

/**
 * Add `len` bytes to the digest: whole blocks are compressed straight
 * from `data`, a tail is kept in c->block.  Returns nothing.
 */
void sha256_update(struct sha256_ctx *c, const void *data, size_t len)
{
	const uint8_t *p = data;
	size_t take;

	c->total += len;
	if (c->fill) {
		take = MIN(len, SHA256_BLOCK_SIZE - c->fill);
		memcpy(c->block + c->fill, p, take);
		c->fill += take;
		p += take;
		len -= take;
		if (c->fill < SHA256_BLOCK_SIZE) {
			return;
		}
		sha256_block(c->h, c->block);
		c->fill = 0;
	}
	while (len >= SHA256_BLOCK_SIZE) {
		sha256_block(c->h, p);
		p += SHA256_BLOCK_SIZE;
		len -= SHA256_BLOCK_SIZE;
	}
	if (len) {
		memcpy(c->block, p, len);
		c->fill = len;
	}
}

/**
 * Pad (a 1 bit, zeros, the 64-bit message length in bits: 5.1.1) and
 * write the big-endian digest.  Returns nothing.
 */
void sha256_final(struct sha256_ctx *c, uint8_t digest[SHA256_DIGEST_SIZE])
{
	uint64_t bits = c->total * 8;
	int i;

	c->block[c->fill++] = 0x80;
	if (c->fill > SHA256_BLOCK_SIZE - 8) {
		memset(c->block + c->fill, 0, SHA256_BLOCK_SIZE - c->fill);
		sha256_block(c->h, c->block);
		c->fill = 0;
	}
	memset(c->block + c->fill, 0, SHA256_BLOCK_SIZE - 8 - c->fill);
	for (i = 0; i < 8; i++) {
		c->block[SHA256_BLOCK_SIZE - 1 - i] =
			(uint8_t)(bits >> (8 * i));
	}
	sha256_block(c->h, c->block);
	for (i = 0; i < 8; i++) {
		store_be32(digest + 4 * i, c->h[i]);
	}
	c->fill = 0;
}

/** One-shot digest of `len` bytes at `data`.  Returns nothing. */
void sha256(const void *data, size_t len, uint8_t digest[SHA256_DIGEST_SIZE])
{
	struct sha256_ctx c;

	sha256_init(&c);
	sha256_update(&c, data, len);
	sha256_final(&c, digest);
}
