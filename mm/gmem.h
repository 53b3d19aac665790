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

/*
 * Memory cleared on first touch (mm/lazy.h): while `armed`, a range must
 * go through `ensure` before lparvisor reads or writes it, so that it is
 * cleared first.  Reached through a pointer so that users of this header
 * need not link mm/lazy.c.
 */
struct gmem_lazy {
	volatile uint32_t armed;
	void (*ensure)(struct gmem_lazy *z, uint64_t gpa, uint64_t len);
	/* The loader's: a range about to be overwritten, then written. */
	void (*claim)(struct gmem_lazy *z, uint64_t gpa, uint64_t len);
	void (*publish)(struct gmem_lazy *z, uint64_t gpa, uint64_t len);
	/* gmem_place()'s: one of enum gmem_place. */
	int (*place)(struct gmem_lazy *z, uint64_t gpa, const void *src,
		     uint64_t filesz, uint64_t memsz, uint64_t hdr_len);
	/* True when nothing of the range waits to be cleared (NULL: false). */
	bool (*clean)(const struct gmem_lazy *z, uint64_t gpa, uint64_t len);
};

/* What the memory's `place` hook did with bytes the loader places. */
enum gmem_place {
	GMEM_COPY = 0,   /* nothing: the caller copies them now */
	GMEM_PLACED = 1, /* recorded: copied (and checked) at first touch */
	GMEM_REFUSED = -1, /* their source failed its check: nothing copied */
};

struct gmem {
	uint64_t hpa;  /* host real address of guest real address 0 */
	uint64_t size; /* bytes */
	struct gmem_lazy *lazy; /* NULL: always cleared before the boot */
};

/**
 * An owned range about to be read or written by lparvisor (or by a
 * device lparvisor points at it): cleared first if it was not yet.
 */
static inline void gmem_touch(const struct gmem *g, uint64_t gpa,
			      uint64_t len)
{
	struct gmem_lazy *z = g->lazy;

	if (z && len && __atomic_load_n(&z->armed, __ATOMIC_ACQUIRE)) {
		z->ensure(z, gpa, len);
	}
}

/** True when [gpa, gpa + len) lies inside the partition (len may be 0). */
static inline bool gmem_owns(const struct gmem *g, uint64_t gpa, uint64_t len)
{
	return gpa <= g->size && len <= g->size - gpa;
}

/**
 * True when lparvisor may use the owned range [gpa, gpa + len) through
 * gmem_ptr() at once, without gmem_touch(): nothing of it waits to be
 * cleared.  It neither clears nor waits and orders with a fence rather
 * than an acquire load (no isync, which ends a translation block under
 * TCG): for fast paths that leave any other case to the full path.
 */
static inline bool gmem_clean(const struct gmem *g, uint64_t gpa,
			      uint64_t len)
{
	const struct gmem_lazy *z = g->lazy;

	if (z && len && __atomic_load_n(&z->armed, __ATOMIC_RELAXED)) {
		return z->clean && z->clean(z, gpa, len);
	}
	__atomic_thread_fence(__ATOMIC_ACQUIRE); /* disarmed: all cleared */
	return true;
}

/**
 * The loader is about to overwrite the whole owned range: what it covers
 * whole need not be cleared first.  gmem_written() once it is written.
 */
static inline void gmem_claim(const struct gmem *g, uint64_t gpa,
			      uint64_t len)
{
	struct gmem_lazy *z = g->lazy;

	if (z && len && __atomic_load_n(&z->armed, __ATOMIC_ACQUIRE)) {
		z->claim(z, gpa, len);
	}
}

static inline void gmem_written(const struct gmem *g, uint64_t gpa,
				uint64_t len)
{
	struct gmem_lazy *z = g->lazy;

	if (z && len && __atomic_load_n(&z->armed, __ATOMIC_ACQUIRE)) {
		z->publish(z, gpa, len);
	}
}

/**
 * Host pointer for an owned range (check with gmem_owns() first, and
 * gmem_touch() the range before using it).
 */
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
	gmem_touch(g, gpa, len);
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
	gmem_touch(g, gpa, len);
	memcpy(gmem_ptr(g, gpa), src, len);
	return true;
}

/**
 * The loader's copy: `filesz` bytes from `src` to the owned range at
 * `gpa`, then zeros up to `memsz` (filesz <= memsz).  `hdr_len`: the
 * first bytes of the image `src` lies in that decided where the bytes go
 * (its ELF headers), which must be intact too.  Memory cleared on first
 * touch may record the copy and make it when the range is first touched,
 * after checking the source (mm/lazy.h lazy_place()).  False when the
 * source failed that check: nothing was copied.
 */
static inline bool gmem_place(const struct gmem *g, uint64_t gpa,
			      const void *src, uint64_t filesz, uint64_t memsz,
			      uint64_t hdr_len)
{
	struct gmem_lazy *z = g->lazy;

	if (z && memsz) {
		int r = z->place(z, gpa, src, filesz, memsz, hdr_len);

		if (r != GMEM_COPY) {
			return r == GMEM_PLACED;
		}
	}
	gmem_claim(g, gpa, memsz);
	memcpy(gmem_ptr(g, gpa), src, filesz);
	memset(gmem_ptr(g, gpa + filesz), 0, memsz - filesz);
	gmem_written(g, gpa, memsz);
	return true;
}

#endif /* MM_GMEM_H */
