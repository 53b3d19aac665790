/*
 * Reading skiboot's device tree (the "host tree") into `struct machine`.
 * Pure C over the flattened tree: no OPAL calls, no globals, so the host
 * unit tests run it on trees compiled from tests/unit/fixtures/.
 */
#ifndef PLATFORM_POWERNV_HOSTDT_H
#define PLATFORM_POWERNV_HOSTDT_H

#include "hv/lib/types.h"
#include "hv/machine.h"

enum hostdt_err {
	HOSTDT_OK = 0,
	HOSTDT_BAD_HEADER,   /* not a valid flattened device tree */
	HOSTDT_NO_CPUS,      /* no /cpus node or no cpu in it */
	HOSTDT_BAD_CPU,      /* a cpu node lacks or mangles a property */
	HOSTDT_NO_MEMORY,    /* no memory node with a usable reg */
	HOSTDT_BAD_MEMORY,   /* a memory reg that wraps or is malformed */
	HOSTDT_BAD_RESERVED, /* a reserved range that is malformed */
	HOSTDT_NO_OPAL,      /* no /ibm,opal with base and entry */
	HOSTDT_TOO_MANY,     /* more cores, ranges or PHBs than we track */
	HOSTDT_NO_BOOT_CPU,  /* boot_cpuid_phys names no thread we found */
};

/**
 * Fill `m` from the flattened tree `fdt` of at most `fdt_size` bytes.
 * On failure writes a one-line reason naming the node and property to
 * `err` (of `errlen` bytes) and returns the error; `m` is then partial.
 * Returns HOSTDT_OK on success.
 */
enum hostdt_err hostdt_parse(const void *fdt, size_t fdt_size,
			     struct machine *m, char *err, size_t errlen);

#endif /* PLATFORM_POWERNV_HOSTDT_H */
