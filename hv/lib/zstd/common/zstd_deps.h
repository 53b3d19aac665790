/*
 * What zstd's decoder (fetched from Debian's libzstd source by
 * tools/fetch-zstd.sh) needs from a C library, for the freestanding
 * hypervisor build and the host unit tests alike.  zstd's own
 * lib/common/zstd_deps.h is removed when the sources are fetched, and the
 * include path finds this one in its place; zstd documents that file as
 * the one to replace to build without libc.
 *
 * No allocation: lparvisor gives the decoder a static workspace
 * (ZSTD_initStaticDCtx), so the allocator hooks return nothing.  No
 * output and no assertions: the decoder reports every fault through its
 * return codes.
 */
#ifndef ZSTD_DEPS_COMMON
#define ZSTD_DEPS_COMMON

#include <limits.h>
#include <stddef.h>

#include "hv/lib/string.h"

#define ZSTD_memcpy(d, s, l) memcpy((d), (s), (l))
#define ZSTD_memmove(d, s, l) memmove((d), (s), (l))
#define ZSTD_memset(p, v, l) memset((p), (v), (l))

#endif /* ZSTD_DEPS_COMMON */

#ifdef ZSTD_DEPS_NEED_MALLOC
#ifndef ZSTD_DEPS_MALLOC
#define ZSTD_DEPS_MALLOC
#define ZSTD_malloc(s) ((void)(s), (void *)0)
#define ZSTD_calloc(n, s) ((void)(n), (void)(s), (void *)0)
#define ZSTD_free(p) ((void)(p))
#endif
#endif

#ifdef ZSTD_DEPS_NEED_MATH64
#ifndef ZSTD_DEPS_MATH64
#define ZSTD_DEPS_MATH64
#define ZSTD_div64(dividend, divisor) ((dividend) / (divisor))
#endif
#endif

#ifdef ZSTD_DEPS_NEED_ASSERT
#ifndef ZSTD_DEPS_ASSERT
#define ZSTD_DEPS_ASSERT
#ifndef assert
#define assert(condition) ((void)0)
#endif
#endif
#endif

#ifdef ZSTD_DEPS_NEED_IO
#ifndef ZSTD_DEPS_IO
#define ZSTD_DEPS_IO
#define ZSTD_DEBUG_PRINT(...) ((void)0)
#endif
#endif

#ifdef ZSTD_DEPS_NEED_STDINT
#ifndef ZSTD_DEPS_STDINT
#define ZSTD_DEPS_STDINT
#include <stdint.h>
#endif
#endif
