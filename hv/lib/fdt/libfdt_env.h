/*
 * The environment libfdt expects, provided for the freestanding hypervisor
 * build.  libfdt itself is compiled unmodified from the sources Debian ships
 * in linux-source-6.1 (scripts/dtc/libfdt); only its libfdt_env.h is left
 * out of the extraction and replaced by this file.
 */
#ifndef LIBFDT_ENV_H
#define LIBFDT_ENV_H

#include "hv/lib/string.h"
#include "hv/lib/types.h"

#ifndef INT_MAX
#define INT_MAX __INT_MAX__
#endif
#ifndef INT32_MAX
#define INT32_MAX __INT32_MAX__
#endif
#ifndef UINT32_MAX
#define UINT32_MAX __UINT32_MAX__
#endif

#define FDT_FORCE
#define FDT_BITWISE

typedef uint16_t fdt16_t;
typedef uint32_t fdt32_t;
typedef uint64_t fdt64_t;

static inline uint16_t fdt16_to_cpu(fdt16_t x)
{
	return be16_to_cpu(x);
}

static inline fdt16_t cpu_to_fdt16(uint16_t x)
{
	return cpu_to_be16(x);
}

static inline uint32_t fdt32_to_cpu(fdt32_t x)
{
	return be32_to_cpu(x);
}

static inline fdt32_t cpu_to_fdt32(uint32_t x)
{
	return cpu_to_be32(x);
}

static inline uint64_t fdt64_to_cpu(fdt64_t x)
{
	return be64_to_cpu(x);
}

static inline fdt64_t cpu_to_fdt64(uint64_t x)
{
	return cpu_to_be64(x);
}

#endif /* LIBFDT_ENV_H */
