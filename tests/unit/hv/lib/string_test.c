/*
 * Tests for hv/lib/string.c's memcpy, memmove and memset, which copy
 * 8-byte words when they can: every length up to 200 at every source and
 * destination alignment, overlapping moves in both directions, and guard
 * bytes around the destination that must stay untouched; the result is
 * compared with a byte-by-byte reference.  The file is included here with
 * its functions renamed, so the host's libc keeps its own.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/test.h"

/* Keep GCC from turning the byte loops back into libc calls. */
#pragma GCC optimize("no-tree-loop-distribute-patterns")
#define memcpy hv_memcpy
#define memmove hv_memmove
#define memset hv_memset
#define memcmp hv_memcmp
#define memchr hv_memchr
#define strlen hv_strlen
#define strnlen hv_strnlen
#define strcmp hv_strcmp
#define strncmp hv_strncmp
#define strchr hv_strchr
#define strrchr hv_strrchr
#define strtoul hv_strtoul
#include "hv/lib/string.c"
#undef memcpy
#undef memmove
#undef memset
#undef memcmp
#undef memchr
#undef strlen
#undef strnlen
#undef strcmp
#undef strncmp
#undef strchr
#undef strrchr
#undef strtoul

#define MAXLEN 200
#define GUARD 24
#define BUF (GUARD + 16 + MAXLEN + GUARD)

static void fill(uint8_t *b, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++) {
		b[i] = (uint8_t)(seed * 131 + i * 7 + (i >> 3));
	}
}

TEST(string, memcpy_every_length_and_alignment)
{
	static uint8_t src[BUF], dst[BUF], want[BUF];
	int bad = 0;

	for (size_t so = 0; so < 16; so++) {
		for (size_t dof = 0; dof < 16; dof++) {
			for (size_t n = 0; n <= MAXLEN; n++) {
				fill(src, BUF, (unsigned)(so + n));
				memset(dst, 0xee, BUF);
				memset(want, 0xee, BUF);
				for (size_t i = 0; i < n; i++) {
					want[GUARD + dof + i] = src[GUARD + so + i];
				}
				if (hv_memcpy(dst + GUARD + dof, src + GUARD + so,
					      n) != dst + GUARD + dof ||
				    memcmp(dst, want, BUF) != 0) {
					bad++;
				}
			}
		}
	}
	CHECK_EQ(bad, 0);
}

TEST(string, memmove_overlapping_both_ways)
{
	static uint8_t buf[BUF], want[BUF], tmp[BUF];
	int bad = 0;

	for (size_t from = GUARD; from < GUARD + 16; from++) {
		for (size_t to = GUARD; to < GUARD + 16; to++) {
			for (size_t n = 0; n <= MAXLEN; n += (n < 40 ? 1 : 7)) {
				fill(buf, BUF, (unsigned)(from * 3 + to + n));
				memcpy(want, buf, BUF);
				memcpy(tmp, want + from, n);
				memcpy(want + to, tmp, n);
				if (hv_memmove(buf + to, buf + from, n) !=
					    buf + to ||
				    memcmp(buf, want, BUF) != 0) {
					bad++;
				}
			}
		}
	}
	CHECK_EQ(bad, 0);
}

TEST(string, memset_every_length_and_alignment)
{
	static uint8_t dst[BUF], want[BUF];
	int bad = 0;

	for (size_t dof = 0; dof < 16; dof++) {
		for (size_t n = 0; n <= MAXLEN; n++) {
			int c = (int)(n * 37 + dof) - 128; /* negative too */

			memset(dst, 0x11, BUF);
			memset(want, 0x11, BUF);
			for (size_t i = 0; i < n; i++) {
				want[GUARD + dof + i] = (uint8_t)c;
			}
			if (hv_memset(dst + GUARD + dof, c, n) !=
				    dst + GUARD + dof ||
			    memcmp(dst, want, BUF) != 0) {
				bad++;
			}
		}
	}
	CHECK_EQ(bad, 0);
}
