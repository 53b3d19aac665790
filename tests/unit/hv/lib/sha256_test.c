/*
 * Tests for hv/lib/sha256.c: the FIPS 180-4 example vectors (NIST's
 * SHA256.pdf "abc", the 448-bit two-block message, one million 'a'), the
 * padding edges around 55/56/64 bytes, incremental updates, and agreement
 * with the host's sha256sum on seeded random data.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hv/lib/sha256.h"
#include "tests/unit/test.h"

static void to_hex(const uint8_t d[SHA256_DIGEST_SIZE], char out[65])
{
	for (int i = 0; i < SHA256_DIGEST_SIZE; i++) {
		sprintf(out + 2 * i, "%02x", d[i]);
	}
}

static void digest_hex(const void *data, size_t len, char out[65])
{
	uint8_t d[SHA256_DIGEST_SIZE];

	sha256(data, len, d);
	to_hex(d, out);
}

TEST(sha256, fips_abc)
{
	char hex[65];

	digest_hex("abc", 3, hex);
	CHECK_STR_EQ(hex, "ba7816bf8f01cfea414140de5dae2223"
			  "b00361a396177a9cb410ff61f20015ad");
}

TEST(sha256, fips_448_bit_message)
{
	static const char msg[] =
		"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	char hex[65];

	CHECK_EQ(strlen(msg) * 8, 448);
	digest_hex(msg, strlen(msg), hex);
	CHECK_STR_EQ(hex, "248d6a61d20638b8e5c026930c3e6039"
			  "a33ce45964ff2167f6ecedd419db06c1");
}

TEST(sha256, fips_million_a)
{
	struct sha256_ctx c;
	uint8_t d[SHA256_DIGEST_SIZE];
	char chunk[1000];
	char hex[65];

	memset(chunk, 'a', sizeof(chunk));
	sha256_init(&c);
	for (int i = 0; i < 1000; i++) {
		sha256_update(&c, chunk, sizeof(chunk));
	}
	sha256_final(&c, d);
	to_hex(d, hex);
	CHECK_STR_EQ(hex, "cdc76e5c9914fb9281a1c7e284d73e67"
			  "f1809a48a497200e046d39ccc7112cd0");
}

TEST(sha256, empty_message)
{
	char hex[65];

	digest_hex("", 0, hex);
	CHECK_STR_EQ(hex, "e3b0c44298fc1c149afbf4c8996fb924"
			  "27ae41e4649b934ca495991b7852b855");
}

TEST(sha256, incremental_equals_one_shot)
{
	static const size_t steps[] = { 1, 3, 7, 55, 56, 63, 64, 65, 127, 200 };
	uint8_t data[5000], one[SHA256_DIGEST_SIZE], inc[SHA256_DIGEST_SIZE];
	struct test_rng rng;
	struct sha256_ctx c;

	test_rng_seed(&rng, 0x5ca1ab1e);
	for (size_t i = 0; i < sizeof(data); i++) {
		data[i] = (uint8_t)test_rng_next(&rng);
	}
	sha256(data, sizeof(data), one);
	for (size_t s = 0; s < ARRAY_SIZE(steps); s++) {
		size_t off = 0;

		sha256_init(&c);
		while (off < sizeof(data)) {
			size_t n = MIN(steps[s], sizeof(data) - off);

			sha256_update(&c, data + off, n);
			off += n;
		}
		sha256_final(&c, inc);
		CHECK(memcmp(one, inc, sizeof(one)) == 0);
	}
}

/* Run the host's sha256sum on `len` bytes; false if it cannot run. */
static bool host_sha256(const uint8_t *data, size_t len, char out[65])
{
	char path[] = "/tmp/lparvisor-sha256-XXXXXX";
	char cmd[128];
	FILE *p;
	int fd;
	bool ok;

	fd = mkstemp(path);
	if (fd < 0) {
		return false;
	}
	ok = write(fd, data, len) == (ssize_t)len;
	close(fd);
	snprintf(cmd, sizeof(cmd), "sha256sum %s", path);
	p = ok ? popen(cmd, "r") : NULL;
	ok = p && fscanf(p, "%64s", out) == 1;
	if (p) {
		ok = pclose(p) == 0 && ok;
	}
	unlink(path);
	return ok;
}

TEST(sha256, matches_host_sha256sum_on_random_data)
{
	static const size_t lens[] = { 1,  55,  56,   57,   63,   64,
				       65, 119, 120,  128,  1000, 4095,
				       4096, 65537, 300007 };
	struct test_rng rng;
	char mine[65], host[65];
	uint8_t *buf;

	test_rng_seed(&rng, 180);
	for (size_t i = 0; i < ARRAY_SIZE(lens); i++) {
		buf = malloc(lens[i]);
		REQUIRE(buf != NULL);
		for (size_t k = 0; k < lens[i]; k++) {
			buf[k] = (uint8_t)test_rng_next(&rng);
		}
		digest_hex(buf, lens[i], mine);
		if (!host_sha256(buf, lens[i], host)) {
			test_fail(__FILE__, __LINE__,
				  "cannot run sha256sum (coreutils)");
			free(buf);
			return;
		}
		CHECK_STR_EQ(mine, host);
		free(buf);
	}
}

TEST(sha256, unaligned_input)
{
	uint8_t buf[300], a[SHA256_DIGEST_SIZE], b[SHA256_DIGEST_SIZE];

	for (size_t i = 0; i < sizeof(buf); i++) {
		buf[i] = (uint8_t)(i * 7);
	}
	sha256(buf, 200, a);
	memmove(buf + 3, buf, 200);
	sha256(buf + 3, 200, b);
	CHECK(memcmp(a, b, sizeof(a)) == 0);
}
