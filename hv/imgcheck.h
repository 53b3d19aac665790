/*
 * Image chunk verdicts kept per boot-bundle image (issue 21): the sha256
 * of each chunk of an image's "chunks" list (hv/bundle.h) is checked once
 * for the whole run of lparvisor, whoever asks first (a partition's first
 * touch, its boot, an idle thread's pass), and every partition and every
 * later life that boots the same image uses that verdict.
 *
 * Why a verdict may be shared and kept: the bundle lies in lparvisor's own
 * memory, which nothing but lparvisor and its firmware can write.  Its
 * range (skiboot's initramfs, or lparvisor's own ELF file) is kept out of
 * the page allocator (hv/main.c take_memory()), so no partition's memory,
 * radix or hash table, heap block or XIVE queue is ever carved from it;
 * guests reach host memory only through their partition-scoped tables,
 * which map their own block; TCE tables, the TCE bypass and the host PHB's
 * DMA windows only ever name pages of the partition's own memory
 * (mm/tce.c gmem_owns(), pci/dma.c: no bypass window is set); and
 * lparvisor only reads the bundle after bundle_open().  Bytes found intact
 * once therefore stay intact.
 *
 * Pure C over the bundle's bytes: the waiting and the clock are the
 * caller's hooks, so the host tests run it unchanged.
 */
#ifndef HV_IMGCHECK_H
#define HV_IMGCHECK_H

#include "hv/bundle.h"
#include "hv/lib/types.h"

#define IMGCHECK_IMAGES 32 /* images with a chunk list in one bundle */
#define IMGCHECK_FIRST 64  /* chunks wanted before the others */
#define IMGCHECK_BATCH 4   /* chunks one checker hashes at a time, at most */

enum imgcheck_verdict {
	IMGCHECK_UNCHECKED = 0,
	IMGCHECK_GOOD = 1,
	IMGCHECK_BAD = 2,
	IMGCHECK_CHECKING = 3, /* one thread hashes it; the others wait */
};

/* Chunks hashed and the time it took (timebase ticks), by one user. */
struct imgcheck_stats {
	volatile uint64_t chunks, tb;
};

struct imgcheck_ops {
	void (*relax)(void);   /* waiting for another thread's verdict */
	uint64_t (*now)(void); /* a clock for imgcheck_stats (NULL: none) */
	/*
	 * Hash chunks idx[k] of c[k] (k < n <= IMGCHECK_BATCH) together and
	 * set good[k] when it matches its digest.  NULL: one at a time with
	 * bundle_check_chunk().
	 */
	void (*check)(const struct bundle_chunks *const c[],
		      const uint32_t idx[], uint32_t n, bool good[]);
	uint32_t batch;        /* chunks per call of `check` (1 to 4) */
	uint32_t checkers_max; /* threads in imgcheck_step() at once */
};

struct imgcheck_image {
	struct bundle_chunks c;     /* the list, inside the bundle */
	uint8_t *verdict;           /* c.count bytes, enum imgcheck_verdict */
	volatile uint32_t next;     /* imgcheck_step()'s cursor */
	volatile uint32_t settled;  /* chunks GOOD or BAD */
	volatile uint32_t bad;      /* lowest bad chunk found + 1; 0: none */
};

struct imgcheck {
	struct imgcheck_ops ops;
	struct imgcheck_image images[IMGCHECK_IMAGES];
	volatile uint32_t count;    /* images published (one writer adds) */
	/* Chunks the partitions' first guest faults need, in order. */
	struct {
		uint32_t image, chunk;
	} first[IMGCHECK_FIRST];
	volatile uint32_t first_count, first_next;
	volatile uint32_t checkers; /* threads in imgcheck_step() now */
};

/* A range of an image's bytes: [off, off + len). */
struct imgcheck_range {
	uint64_t off, len;
};

/** Empty table using `ops` (copied; batch and checkers_max at least 1). */
void imgcheck_init(struct imgcheck *ic, const struct imgcheck_ops *ops);

/**
 * The entry for the chunk list `c`: the one already added for the same
 * bytes and digests (the same image, whichever partition or name uses
 * it), else a new one whose verdicts live in `verdict` (c->count zeroed
 * bytes, kept for good).  Only one thread adds; others may read at any
 * time.  Returns NULL when IMGCHECK_IMAGES are in use or the list is
 * empty; *added says whether `verdict` was taken.
 */
struct imgcheck_image *imgcheck_add(struct imgcheck *ic,
				    const struct bundle_chunks *c,
				    uint8_t *verdict, bool *added);

/** The entry already added for `c`'s bytes and digests, or NULL. */
struct imgcheck_image *imgcheck_find(struct imgcheck *ic,
				     const struct bundle_chunks *c);

/**
 * Ask for the chunks of `im` covering [off, off + len) to be hashed
 * before any other (imgcheck_step()); each chunk once.  Same thread as
 * imgcheck_add().  Returns nothing; chunks past IMGCHECK_FIRST are left
 * to the ordinary pass.
 */
void imgcheck_want_first(struct imgcheck *ic, struct imgcheck_image *im,
			 uint64_t off, uint64_t len);

/**
 * Whether bytes [off, off + len) of `im` are intact: every chunk covering
 * them hashed now (up to ops.batch at a time) unless some thread already
 * did or is doing it (then its verdict is waited for).  The hashing done
 * here is counted in `st`.  False when a chunk is bad (*bad = its index,
 * the lowest) or the range is not inside the image (*bad = UINT32_MAX).
 */
bool imgcheck_range(struct imgcheck *ic, struct imgcheck_image *im,
		    uint64_t off, uint64_t len, struct imgcheck_stats *st,
		    uint32_t *bad);

/**
 * An idle thread's turn: up to ops.batch chunks no thread has taken yet,
 * first those asked for by imgcheck_want_first(), then (unless
 * `first_only`) the chunks of every image whose bit is set in `mask`
 * (bit i: the i-th added) in order.  At most ops.checkers_max threads
 * hash at once; the others return at once.  Returns true while chunks
 * may remain for another turn.
 */
bool imgcheck_step(struct imgcheck *ic, uint32_t mask, bool first_only,
		   struct imgcheck_stats *st);

/** Index of `im` in `ic` (its bit in imgcheck_step()'s mask). */
uint32_t imgcheck_index(const struct imgcheck *ic,
			const struct imgcheck_image *im);

/** True once every chunk of `im` has its verdict, good or bad. */
bool imgcheck_settled(const struct imgcheck_image *im);

/**
 * The lowest bad chunk of `im` found so far + 1 (0: none), by anyone:
 * a partition that boots `im` must stop even if it never touches it.
 */
uint32_t imgcheck_bad(const struct imgcheck_image *im);

/**
 * The bytes of a boot image the first guest fault of a partition booting
 * it needs: where hv/loader.c would place `img` (`len` bytes; a payload
 * or an ELF kernel at `kernel_addr`, in `mem_size` bytes of memory), the
 * parts of the image that land in the 2 MiB piece of guest memory holding
 * its entry point, and the headers that placed them.  Nothing is written
 * and nothing trusted: the image is not checked yet, so this is only an
 * order of work.  Returns how many ranges were put in `out` (at most
 * `max`), 0 when the loader would refuse the image.
 */
uint32_t imgcheck_entry_ranges(const void *img, size_t len, bool payload,
			       uint64_t kernel_addr, uint64_t mem_size,
			       struct imgcheck_range out[], uint32_t max);

#endif /* HV_IMGCHECK_H */
