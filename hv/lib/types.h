/*
 * Basic types shared by every part of lparvisor, hypervisor and host tests
 * alike: fixed-width integers, big-endian wire types and small helpers.
 * Big-endian fields (OPAL buffers, device trees, PAPR structures) get their
 * own types so that a missing byte swap is visible in the source.
 */
#ifndef HV_LIB_TYPES_H
#define HV_LIB_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint16_t be16;
typedef uint32_t be32;
typedef uint64_t be64;

#define SZ_4K 0x1000ull
#define SZ_64K 0x10000ull
#define SZ_128K 0x20000ull
#define SZ_1M 0x100000ull
#define SZ_2M 0x200000ull
#define SZ_4M 0x400000ull
#define SZ_16M 0x1000000ull
#define SZ_256M 0x10000000ull
#define SZ_1G 0x40000000ull

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a) (((x) + (a) - 1) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a) - 1)) == 0)
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

#define __noreturn __attribute__((noreturn))
#define __packed __attribute__((packed))
#define __aligned(n) __attribute__((aligned(n)))
#define __printf(f, a) __attribute__((format(printf, f, a)))
#define __unused __attribute__((unused))

static inline uint16_t bswap16(uint16_t v)
{
	return __builtin_bswap16(v);
}

static inline uint32_t bswap32(uint32_t v)
{
	return __builtin_bswap32(v);
}

static inline uint64_t bswap64(uint64_t v)
{
	return __builtin_bswap64(v);
}

/* lparvisor runs little-endian; host tests run on little-endian x86-64. */
static inline uint16_t be16_to_cpu(be16 v)
{
	return bswap16(v);
}

static inline uint32_t be32_to_cpu(be32 v)
{
	return bswap32(v);
}

static inline uint64_t be64_to_cpu(be64 v)
{
	return bswap64(v);
}

static inline be16 cpu_to_be16(uint16_t v)
{
	return bswap16(v);
}

static inline be32 cpu_to_be32(uint32_t v)
{
	return bswap32(v);
}

static inline be64 cpu_to_be64(uint64_t v)
{
	return bswap64(v);
}

/*
 * Big-endian fields in byte buffers (device trees, PAPR and SCSI
 * structures, flash headers) at any alignment.
 */
static inline uint16_t get_be16(const void *p)
{
	be16 v;

	__builtin_memcpy(&v, p, sizeof(v));
	return be16_to_cpu(v);
}

static inline uint32_t get_be32(const void *p)
{
	be32 v;

	__builtin_memcpy(&v, p, sizeof(v));
	return be32_to_cpu(v);
}

static inline uint64_t get_be64(const void *p)
{
	be64 v;

	__builtin_memcpy(&v, p, sizeof(v));
	return be64_to_cpu(v);
}

static inline void put_be16(void *p, uint16_t v)
{
	be16 b = cpu_to_be16(v);

	__builtin_memcpy(p, &b, sizeof(b));
}

static inline void put_be32(void *p, uint32_t v)
{
	be32 b = cpu_to_be32(v);

	__builtin_memcpy(p, &b, sizeof(b));
}

static inline void put_be64(void *p, uint64_t v)
{
	be64 b = cpu_to_be64(v);

	__builtin_memcpy(p, &b, sizeof(b));
}

/* True when [base, base + size) wraps past the end of the address space. */
static inline bool range_wraps(uint64_t base, uint64_t size)
{
	return size != 0 && base + size - 1 < base;
}

/* True when [a, a + as) and [b, b + bs) share at least one byte. */
static inline bool ranges_overlap(uint64_t a, uint64_t as, uint64_t b,
				  uint64_t bs)
{
	if (as == 0 || bs == 0) {
		return false;
	}
	return a <= b + (bs - 1) && b <= a + (as - 1);
}

#endif /* HV_LIB_TYPES_H */
