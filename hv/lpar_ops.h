/*
 * Partition life cycle: create from a checked configuration, boot (zero
 * memory, load pristine images, build the device tree, start vCPU 0),
 * stop on power-off, reboot or crash, and restart by policy.
 */
#ifndef HV_LPAR_OPS_H
#define HV_LPAR_OPS_H

#include "hv/bundle.h"
#include "hv/lpar.h"

/**
 * Create a partition from `cfg` (already checked): memory, partition-
 * scoped page tables, partition-table entry, interrupt controller, vCPUs
 * bound to their cores.  On failure prints why (naming the partition) and
 * returns NULL; nothing is left allocated.
 */
struct lpar *lpar_create(const struct lpar_config *cfg,
			 const struct bundle *bundle);

/**
 * Check the sha256 of `l`'s images in `bundle` (each image of the bundle
 * is hashed once, whoever uses it) and give `l`'s first boot the verdict:
 * lpar_prepare() clears the memory meanwhile and waits for it before it
 * loads anything.  Run by the boot thread after lpar_boot(), only there
 * (the bundle's cache has no lock).  A bad image is named on the console
 * and the partition stops without running.  Returns whether they match.
 */
bool lpar_check_images(struct lpar *l, const struct bundle *bundle);

/** Give `l` the bad images verdict: it will not boot again. */
void lpar_set_images_bad(struct lpar *l);

/**
 * Boot (or reboot) `l` from its pristine images: the thread of vCPU 0
 * clears the memory, loads the images, builds the device tree and enters
 * the guest (lpar_prepare()), so partitions boot in parallel.
 */
void lpar_boot(struct lpar *l);

/** Run by vCPU 0's thread: prepare memory and start the vCPU, or stop. */
void lpar_prepare(struct lpar *l);

/**
 * Run by the idle threads of `l`'s other vCPUs: help clear its memory
 * (its whole clear at boot, or a few chunks of its clear on first
 * touch), and check a chunk of its images that nothing has checked yet
 * (while it boots only those its first fault needs; the verdicts are the
 * bundle's, one checker at a time: hv/lpar.h lpar_image_check_next()),
 * stopping it if one of its images has a bad chunk.  True while work may
 * remain for another turn.
 */
bool lpar_help_clear(struct lpar *l);

/**
 * An idle thread with no vCPU of its own: lpar_help_clear() for all, and
 * the chunks the partitions' first faults need (lpar_image_help()).
 */
bool lpar_help_any(void);

/** What lpar_start() and lpar_stop() say. */
enum lpar_op {
	LPAR_OP_OK,
	LPAR_OP_TOLD,        /* an orderly stop: the guest was told */
	LPAR_OP_RUNNING,     /* start: it is not stopped */
	LPAR_OP_STOPPED,     /* stop: it is not running */
	LPAR_OP_BUSY,        /* it is booting, or a stop is under way */
	LPAR_OP_MACHINE_OFF, /* start: the machine is powering off */
};

/**
 * The service console's `start`: boot a stopped partition whose stop has
 * completed.  LPAR_OP_OK, LPAR_OP_RUNNING when it is running,
 * LPAR_OP_BUSY while it boots or stops.  Call with no lock held.
 */
enum lpar_op lpar_start(struct lpar *l);

/**
 * The service console's `stop` and `restart` of a running partition.
 * Orderly (`force` false): the units' shutdown hooks tell the guest (a
 * power-off event) and a hard stop follows if it still runs after its
 * configured stop-timeout (lpar_stop_poll()); LPAR_OP_TOLD, or LPAR_OP_OK
 * when no unit could tell it and it was stopped hard at once.  Hard: its
 * vCPUs leave now (LPAR_OP_OK).  With `restart` it boots again once the
 * stop completes; without, it stays stopped and held (the machine does
 * not power off for it).  LPAR_OP_STOPPED when not running (a restart
 * then starts it: lpar_start()'s answer), LPAR_OP_BUSY while it boots or
 * a hard stop is under way.  Call with no lock held.
 */
enum lpar_op lpar_stop(struct lpar *l, bool force, bool restart);

/** At creation, instead of lpar_boot(): `l` waits for lpar_start(). */
void lpar_hold(struct lpar *l);

/**
 * Housekeeping: an orderly stop past its deadline becomes a hard one (the
 * console says so).  Call with no lock held.
 */
void lpar_stop_poll(struct lpar *l);

/**
 * The service console's `shutdown`: from now on nothing restarts or
 * starts; every running partition is stopped as lpar_stop() does (force:
 * hard, now; else the power-off event, hard after its stop-timeout), and
 * the machine powers off once every partition has stopped, those the
 * console holds included.  Fills `told` with up to `max` partitions
 * stopped; returns their count (0 also when under way already).
 */
uint32_t lpar_machine_off(bool force, struct lpar **told, uint32_t max);

/** Whether lpar_machine_off() was called. */
bool lpar_machine_off_pending(void);

/** Housekeeping: a partition that finished booting since is stopped too. */
void lpar_machine_off_poll(struct lpar *l);

/** Ask every vCPU of `l` to leave the guest; the last one finishes the stop. */
void lpar_request_stop(struct lpar *l, enum lpar_stop_reason why);

/**
 * lpar_request_stop() for a decision made while `l` ran its life `life`
 * (l->life then): nothing happens, and false is returned, when that life
 * is over (it stopped, or a new one runs).  True when the stop starts.
 */
bool lpar_request_stop_life(struct lpar *l, enum lpar_stop_reason why,
			    uint32_t life);

/** A vCPU of `l` has left the guest (normal stack, lock not held). */
void lpar_vcpu_stopped(struct vcpu *vc);

/**
 * Partitions are being created at boot: until lpar_boot_done(), a partition
 * that stops does not power the machine off for want of others.
 */
void lpar_boot_done(void);

/** Set up the partition table (once, before any partition exists). */
void lpar_init_partition_table(void);

/** Write `l`'s partition-table entry and flush its translations. */
void lpar_set_pate(struct lpar *l);

/**
 * Map host device pages [hpa, hpa + size) at guest real `gpa` of `l`,
 * cache-inhibited and guarded.  False if out of memory or overlapping.
 */
bool lpar_map_io(struct lpar *l, uint64_t gpa, uint64_t hpa, uint64_t size);

/**
 * A hash partition's device pages (lpar_map_io() of a partition with a
 * hashed page table): H_ENTER may name them, cache-inhibited.  Only
 * before its vCPUs run.  False if out of heap or not 64 KiB aligned.
 */
bool hash_map_io(struct lpar *l, uint64_t gpa, uint64_t hpa, uint64_t size);

/** Point this thread's PTCR at the partition table. */
void lpar_load_ptcr(void);

/** Invalidate every translation of `lpid` (guest.c). */
void guest_flush_partition(uint32_t lpid);

/**
 * POWER8: load the partition's SDR1 (its hashed page table) on this
 * thread, which runs `vc`, and note the lpar->sdr1_gen it holds.
 */
void guest_load_sdr1(struct vcpu *vc);

/** H_CEDE for the vCPU whose exit is `r` (guest.c). */
int64_t guest_cede(struct vcpu *vc, struct regs *r);

#endif /* HV_LPAR_OPS_H *//**
 * Build partition `l`'s guest tree for this boot into `buf` (`size`
 * bytes) from its configuration and units as they are now (a firmware
 * asks again after CAS changed its interrupt mode).  `cas_answer`: the
 * tree is SLOF's KVMPPC_H_CAS answer (guest_dt_params.cas_answer).
 * Returns 0 or a negative libfdt error (hv/guest_dt.h guest_dt_build()).
 */
int lpar_build_tree(struct lpar *l, void *buf, size_t size, bool cas_answer);

/**
 * Show processor level `level` from now on, as CAS chose it (vio/vof.c):
 * the tree's cpu nodes (lpar_build_tree()), every vCPU's PCR and, for
 * POWER8, LPCR without the large decrementer.  NONE is raw mode: the
 * host's features with its real PVR as cpu-version.  Called with the
 * other vCPUs stopped (prom_init, SLOF); the caller's thread loads the
 * new PCR and LPCR as it returns to the guest.
 */
void lpar_set_level(struct lpar *l, enum config_compat level);

/**
 * Place the RTAS entry code at guest real `base` (the firmware's
 * instantiate-rtas) and move the machine-check log with it.  False when
 * [base, base + rtas-size) is not the partition's memory.
 */
bool lpar_place_rtas(struct lpar *l, uint64_t base);


