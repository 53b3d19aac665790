/*
 * Logical partitions and their vCPUs.  Every vCPU is bound for life to the
 * first hardware thread of one dedicated core (partition config `cores`);
 * it never migrates, so there is no scheduler: a thread runs its vCPU,
 * handles the vCPU's exits in place, and idles when the vCPU is stopped.
 * struct vcpu and its state machine are hv/vcpu.h's.
 *
 * Locks (docs/architecture.md, "Locks").  Each is a spinlock held for a
 * few loads and stores; a higher one may be held while taking a lower
 * one, never the reverse, and none is held across a console write except
 * the console's own:
 *   1. service_lock (hv/service.c, housekeeping; only ever tried)
 *   2. lpar->lock: the partition's life cycle (state, stop reason); only
 *      its vCPUs' locks are taken under it
 *   2b. vlan_adapter.send_lock (vio/vlan.c): one H_SEND_LOGICAL_LAN
 *      at a time per LAN adapter; under it the sender's vio_dev.lock,
 *      then each receiver's vio_dev.lock in turn, never two at once
 *   3. vio_dev.lock (vio/bus.h): a VIO device's TCE table, CRQ and
 *      signal state (a LAN adapter's receive state too); under it only
 *      that device's own input lock (the vty's, on H_VIO_SIGNAL) or the
 *      switch's lock
 *   3b. device locks, leaves but for the vty's output lock and vcpu->lock:
 *      intc_part.lock (intc/intc.h), watchdog_part.lock (hv/watchdog.h),
 *      rtas_clock.lock (rtas/rtas.c), vty.lock (input, vio/vty.h),
 *      nvram.lock (vio/nvram.c), rtas_events.lock (rtas/events.c),
 *      vsw_lock (vio/vlan.c: the switch's ports, MACs and learned table)
 *   4. vty.out_lock (vio/vty.h): a partition's console output
 *   5. console_spin (hv/console.c), taken under vty.out_lock only when
 *      that partition's console queue is full
 *   6. console_queue.lock (hv/console.h), mem_lock (mm/mem.c): leaves
 *   7. vcpu->lock (hv/vcpu.h): the innermost; nothing is taken or
 *      printed under it
 * Housekeeping takes device locks by trylock where a guest can hold them
 * long (the vty's output lock), and never the partition's.
 */
#ifndef HV_LPAR_H
#define HV_LPAR_H

#include "hv/bundle.h"
#include "hv/config.h"
#include "hv/imgcheck.h"
#include "hv/lib/types.h"
#include "hv/lock.h"
#include "hv/mce.h"
#include "hv/profile.h"
#include "hv/unit.h"
#include "hv/vcpu.h"
#include "mm/gmem.h"
#include "mm/lazy.h"
#include "mm/radix.h"

struct hpt;
struct pcpu;
struct regs;

#define LPAR_MAX 16

enum lpar_stop_reason {
	STOP_NONE = 0,
	STOP_POWER_OFF,
	STOP_REBOOT,
	STOP_CRASH,
	STOP_WATCHDOG, /* a watchdog with the hard-restart action expired */
	STOP_OPERATOR, /* a hard stop or restart from the service console */
	STOP_IMAGE,    /* a chunk of its images failed its sha256 */
};

struct lpar {
	struct lpar_config cfg;
	uint32_t index;           /* position in the partition list */
	struct gmem mem;
	struct radix_tree radix;
	/* Radix partitions: memory cleared on first touch (mm/lazy.h). */
	struct lazy_mem lazy;
	uint8_t *lazy_state;
	/* lpar_build_tree()'s parameters: too big for a stack frame, and
	 * taken at creation so that a boot allocates nothing. */
	struct guest_dt_params *dt_params;
	struct hpt *hpt;          /* hash partitions only (hv/hash.c) */
	uint32_t vcpu_count;
	struct vcpu *vcpus[CONFIG_MAX_CORES];
	struct spinlock lock;     /* life cycle (lock list above) */
	volatile uint32_t state;
	volatile uint32_t stop_reason;
	/*
	 * Its boots so far, counted as each life starts running: a stop
	 * decided by housekeeping in one life (a watchdog's expiry) must
	 * never reach the next (lpar_request_stop_life()).
	 */
	volatile uint32_t life;
	uint64_t lpcr;            /* guest LPCR (ILE, AIL, GTSE from hcalls) */
	uint64_t pcr;             /* compat mode's PCR; 0: the host's mode */
	/* The processor level shown: the configured one from boot, then
	 * what CAS chose (lpar_set_level()); raw_pvr: cpu-version is the
	 * real PVR (CAS's raw mode, compat NONE). */
	enum config_compat compat;
	bool raw_pvr;
	uint64_t pate1;           /* process table (H_REGISTER_PROC_TBL) */
	/*
	 * POWER8, which has no partition table: the SDR1 naming its hashed
	 * page table, and a count of its changes (lpar_set_pate()).
	 */
	uint64_t sdr1;
	uint32_t sdr1_gen;
	struct fwnmi fwnmi;       /* FWNMI registration (hv/mce.h) */
	/* Each unit's state (hv/unit.h): the core allocates, never reads. */
	void *unit_state[LPAR_UNIT_MAX];
	uint32_t units_created;
	/* Whether the images' sha256 matched (lpar_check_images()). */
	volatile uint32_t images_verdict;
	const void *kernel;       /* pristine images inside the bundle */
	size_t kernel_len;
	const void *initrd;
	size_t initrd_len;        /* bytes placed in the guest (uncompressed) */
	/* firmware = "slof": the bundle's image "slof", stored uncompressed. */
	const void *slof;
	size_t slof_len;
	/* Compressed images (hv/lpar_image.c). */
	bool kernel_zstd, initrd_zstd;
	size_t initrd_stored;     /* bytes of the initramfs in the bundle */
	void *unzstd_ws;          /* the decoder's state, while any is */
	/*
	 * Images checked chunk by chunk (hv/lpar_image.c): [0] the kernel,
	 * [1] the initramfs, each the bundle image's shared verdicts
	 * (hv/imgcheck.h); NULL when checked whole instead.  corrupt: the
	 * first bad chunk found for this partition, (source << 32 | chunk)
	 * + 1, 0 for none; corrupt_told once it was reported.  chunk_stats:
	 * the chunks hashed on its behalf (its faults, its boot, its pass).
	 */
	struct imgcheck_image *img[2];
	volatile uint64_t corrupt;
	volatile uint32_t corrupt_told;
	struct imgcheck_stats chunk_stats;
	/* Idle threads' pass over the chunks (hv/lpar.c help_check()). */
	volatile uint32_t check_left;
	uint32_t restarts;
	/*
	 * Set once the stop of a partition that stays stopped has been
	 * reported on the console; cleared when it boots.  The machine is
	 * powered off only when every partition's stop has been told, so the
	 * last "stopped" line always comes before "powering off".
	 */
	volatile uint32_t stop_told;
	uint64_t boot_tb;         /* timebase when this boot was requested */
	/* ... memory clearing began, ended, images' hashes matched, loaded */
	uint64_t prep_tb[4];
	/* This boot's tree inputs (hv/lpar.c), for the tree a CAS asks for. */
	struct {
		uint64_t fdt_gpa, rtas_gpa, rtas_size, initrd_gpa;
		uint64_t kernel_size;
		bool kernel_le;
	} tree_in;
	volatile uint32_t clearing; /* its memory is being cleared (lpar.c) */
	uint32_t clear_next, clear_done, clear_count; /* 16 MiB pieces */
	uint64_t bad_hcalls;      /* guest errors, counted not printed */
	/*
	 * The service console's (hv/lpar_ops.h lpar_start(), lpar_stop()):
	 * held: stopped from it, or waiting for `start` since boot, so the
	 * machine stays on for it; restart_pending: boot again when the stop
	 * under way completes; stop_deadline: the timebase by which an
	 * orderly stop must be done before a hard one (0: none).
	 */
	volatile uint32_t held;
	volatile uint32_t restart_pending;
	volatile uint64_t stop_deadline;
};

extern struct lpar *lpar_table[LPAR_MAX];
extern uint32_t lpar_count;

/** The partition with LPID `lpid`, or NULL. */
/*
 * Compressed images (hv/lpar_image.c).  lpar_image_inspect() reads how
 * the located images are stored and the initramfs's uncompressed size,
 * and sets up the decoder (false, with the reason printed, when it
 * cannot); lpar_image_load() loads the boot image, lpar_image_initrd()
 * places the initramfs at `gpa` (NULL or a reason); lpar_image_free()
 * gives back the decoder.
 */
struct bundle;
struct load_result;
bool lpar_image_inspect(struct lpar *l, const struct bundle *b);
const char *lpar_image_load(struct lpar *l, uint64_t limit,
			    struct load_result *lr);
const char *lpar_image_initrd(struct lpar *l, uint64_t gpa);
void lpar_image_free(struct lpar *l);

/*
 * Images checked chunk by chunk (FIT "chunks" node, hv/bundle.h), for
 * partitions whose memory is cleared on first touch, with verdicts kept
 * per bundle image (hv/imgcheck.h: a chunk found good once is good for
 * every partition and every later life that boots the same image).
 * lpar_image_precheck(), as soon as the configuration is known, registers
 * the images of every partition that will check them so, and asks first
 * for the chunks each one's first guest fault needs (its kernel's entry
 * piece and ELF headers); lpar_image_help() is an idle thread's turn at
 * them (`first_only`: only those, while the boot thread is at work).
 * lpar_image_chunks() at creation reads the lists (false, with the reason
 * printed, when one is malformed) and registers the uncompressed images
 * as the memory's sources (mm/lazy.h), so that the image chunks a 2 MiB
 * piece of memory is filled from are checked when it is first filled; lpar_images_chunked() says
 * whether every image the partition boots is checked that way;
 * lpar_image_check_next() is a turn of the partition's own pass over its
 * images (`first_only` while it boots), says whether work remains and in
 * *settled whether every chunk has its verdict;
 * lpar_image_known_bad() notes a bad chunk anyone found in its images;
 * lpar_image_report() prints the first bad chunk found for it (from a
 * context holding no lock), gives the partition the bad verdict and
 * stops it, and says whether there was one; lpar_image_shared_stats():
 * the hashing done by threads of no partition.
 */
void lpar_image_precheck(const struct bundle *b, const struct config *c);
bool lpar_image_help(bool first_only);
bool lpar_image_chunks(struct lpar *l, const struct bundle *b);
bool lpar_images_chunked(const struct lpar *l);
bool lpar_image_check_next(struct lpar *l, bool first_only, bool *settled);
bool lpar_image_known_bad(struct lpar *l);
bool lpar_image_report(struct lpar *l);
const struct imgcheck_stats *lpar_image_shared_stats(void);

/**
 * Whether a partition configured as `cfg` gets its memory cleared on
 * first touch (and so its images checked chunk by chunk).
 */
bool lpar_lazy_wanted(const struct lpar_config *cfg);

struct lpar *lpar_by_lpid(uint32_t lpid);

/** vCPU `id` of `l`, or NULL when out of range. */
struct vcpu *lpar_vcpu(struct lpar *l, uint64_t id);

#endif /* HV_LPAR_H */
