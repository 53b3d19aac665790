/*
 * A radix partition's memory cleared on first touch (issue 21): at each
 * boot every 2 MiB leaf of its partition-scoped tree is made invalid, and
 * a chunk is cleared, then mapped, by whoever needs it first: the guest
 * (its HDSI/HISI lands in lazy_fill()), lparvisor itself (every gmem
 * access calls lazy_ensure() through struct gmem), the loader (which
 * claims whole chunks it overwrites, so they are not cleared twice), or
 * an idle thread (lazy_help()).  No byte of a previous life is ever seen:
 * a chunk is mapped, and marked clean for lparvisor, only once cleared.
 *
 * Boot images are loaded the same way (lazy_place()): the loader's copies
 * from a registered source (an image in the boot bundle, lazy_source())
 * are recorded, and whoever fills a chunk first copies its part of them
 * after the `verify` hook found those source bytes intact (their chunk
 * sha256, hv/lpar.c), so neither copying nor checking an image delays the
 * partition's start, and only what the guest touches is checked.  A chunk
 * whose source fails is left cleared and the memory marked failed
 * (lazy_fill() returns false) for the caller to stop the partition.
 *
 * Pure C over the tree's entries; the zeroing and the barrier that makes
 * a leaf visible to the table walk (ptesync) are the caller's hooks.
 */
#ifndef MM_LAZY_H
#define MM_LAZY_H

#include "hv/lib/types.h"
#include "mm/gmem.h"
#include "mm/radix.h"

#define LAZY_CHUNK_SHIFT 21
#define LAZY_CHUNK (1ull << LAZY_CHUNK_SHIFT)
#define LAZY_SOURCES 2 /* a kernel and an initramfs */
#define LAZY_COPIES 16 /* recorded copies per boot (ELF segments) */

enum lazy_state {
	LAZY_DIRTY = 0,   /* not yet cleared: unmapped */
	LAZY_BUSY = 1,    /* being cleared */
	LAZY_CLAIMED = 2, /* being overwritten whole by the loader */
	LAZY_CLEAN = 3,   /* cleared (or overwritten) and mapped */
};

struct lazy_ops {
	void (*zero)(void *p, uint64_t len); /* dcbz */
	void (*publish)(void);  /* stores before a leaf, leaf before use */
	void (*relax)(void);    /* spinning on another thread's chunk */
	/*
	 * Whether bytes [off, off + len) of source `src` are intact; called
	 * before any of them is copied.  NULL: every source is.
	 */
	bool (*verify)(void *ctx, uint32_t src, uint64_t off, uint64_t len);
	void *ctx;
};

/* An image in hypervisor memory the loader copies from. */
struct lazy_source {
	const uint8_t *base;
	uint64_t len;
};

/* A copy made at first touch: gmem_place()'s arguments. */
struct lazy_copy {
	uint64_t gpa, filesz, memsz;
	uint64_t off;     /* of the bytes in the source */
	uint64_t hdr_len; /* source bytes [0, hdr_len) decided where */
	uint32_t src;
};

struct lazy_mem {
	struct gmem_lazy base;   /* armed and ensure, for gmem.h */
	struct radix_tree *tree; /* 2 MiB leaves over [0, size) */
	uint64_t hpa, size;
	uint32_t chunks;
	uint8_t *state;          /* enum lazy_state per chunk */
	volatile uint32_t clean; /* chunks LAZY_CLEAN */
	volatile uint32_t next;  /* lazy_help()'s cursor */
	struct lazy_ops ops;
	/* Chunks cleared by a guest fault, by lparvisor, by idle threads. */
	volatile uint64_t by_fault, by_hv, by_help;
	struct lazy_source sources[LAZY_SOURCES];
	struct lazy_copy copies[LAZY_COPIES];
	volatile uint32_t copy_count;
	volatile uint32_t failed;  /* a source failed `verify` this boot */
	volatile uint64_t by_copy; /* chunks filled from recorded copies */
};

/**
 * Set `lz` up over `tree`, which maps [0, size) to [hpa, ...) with 2 MiB
 * leaves only (radix_build_2m()).  `state` holds size / LAZY_CHUNK bytes.
 * False when the tree lacks a 2 MiB leaf somewhere.  Disarmed: every
 * chunk counts as clean until lazy_arm().
 */
bool lazy_init(struct lazy_mem *lz, struct radix_tree *tree, uint64_t hpa,
	       uint64_t size, uint8_t *state, const struct lazy_ops *ops);

/**
 * Every chunk dirty and unmapped.  Only while nothing uses the memory;
 * the caller then invalidates the partition's translations (tlbie).
 */
void lazy_arm(struct lazy_mem *lz);

/**
 * Chunk of `gpa` (inside the memory) cleared, its recorded copies made,
 * and mapped; waits if busy.  False once a source failed its check this
 * boot (the chunk is then mapped cleared, without the copies).
 */
bool lazy_fill(struct lazy_mem *lz, uint64_t gpa);

/**
 * Register source `id` (< LAZY_SOURCES): the loader's copies from
 * [base, base + len) may be recorded and made at first touch.  Kept
 * across boots; len 0 removes it.
 */
void lazy_source(struct lazy_mem *lz, uint32_t id, const void *base,
		 uint64_t len);

/**
 * gmem_place() of memory cleared on first touch.  From a registered
 * source, with the memory armed, the chunks of [gpa, gpa + memsz) all
 * still to be filled and a free slot: recorded (GMEM_PLACED).  Otherwise,
 * from a source: checked now, GMEM_COPY for the caller to copy, or
 * GMEM_REFUSED.  Not from a source: GMEM_COPY.
 */
int lazy_place(struct lazy_mem *lz, uint64_t gpa, const void *src,
	       uint64_t filesz, uint64_t memsz, uint64_t hdr_len);

/** Every chunk of [gpa, gpa + len) (inside the memory) as lazy_fill(). */
void lazy_ensure_range(struct lazy_mem *lz, uint64_t gpa, uint64_t len);

/**
 * The loader will overwrite [gpa, gpa + len): chunks it covers whole are
 * claimed uncleared, the others filled.  lazy_publish() after writing.
 */
void lazy_claim(struct lazy_mem *lz, uint64_t gpa, uint64_t len);

/** Map and mark clean the chunks lazy_claim() claimed in the range. */
void lazy_publish(struct lazy_mem *lz, uint64_t gpa, uint64_t len);

/** Clear and publish any chunk still claimed (a load that failed). */
void lazy_unclaim_all(struct lazy_mem *lz);

/**
 * An idle thread's share: clear up to `max` dirty chunks.  Returns true
 * while dirty chunks may remain for another call.
 */
bool lazy_help(struct lazy_mem *lz, uint32_t max);

/** True once every chunk is clean (or the memory was never armed). */
static inline bool lazy_done(const struct lazy_mem *lz)
{
	return !__atomic_load_n(&lz->base.armed, __ATOMIC_ACQUIRE);
}

#endif /* MM_LAZY_H */
