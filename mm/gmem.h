/*
 * The only way lparvisor touches a partition's memory.  A partition owns
 * one contiguous block of host memory, seen by the guest at guest real
 * address 0; every access is bounds-checked here with overflow-safe
 * arithmetic, and data from the guest is copied into hypervisor memory
 * before anyone looks at it (a second vCPU may rewrite the original).
 */
#ifndef MM_GMEM_H
#define MM_GMEM_H

#include "hv/lib/string.h"
#include "hv/lib/types.h"

struct gmem {
	uint64_t hpa;  /* host real address of guest real address 0 */
	uint64_t size; /* bytes */
};

/** True when [gpa, gpa + len) lies inside the partition (len may be 0). */
static inline bool gmem_owns(const struct gmem *g, uint64_t gpa, uint64_t len)
{
	return gpa <= g->size && len <= g->size - gpa;
}

/** Host pointer for an owned range (check with gmem_owns() first). */
static inline void *gmem_ptr(const struct gmem *g, uint64_t gpa)
{
	return (void *)(uintptr_t)(g->hpa + gpa);
}

/** Copy guest memory into `dst`; false (nothing copied) if not owned. */
static inline bool gmem_read(const struct gmem *g, uint64_t gpa, void *dst,
			     uint64_t len)
{
	if (!gmem_owns(g, gpa, len)) {
		return false;
	}
	memcpy(dst, gmem_ptr(g, gpa), len);
	return true;
}

/** Copy `src` into guest memory; false (nothing written) if not owned. */
static inline bool gmem_write(const struct gmem *g, uint64_t gpa,
			      const void *src, uint64_t len)
{
	if (!gmem_owns(g, gpa, len)) {
		return false;
	}
	memcpy(gmem_ptr(g, gpa), src, len);
	return true;
}

#endif /* MM_GMEM_H */
