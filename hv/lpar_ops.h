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

/**
 * Boot (or reboot) `l` from its pristine images: the thread of vCPU 0
 * clears the memory, loads the images, builds the device tree and enters
 * the guest (lpar_prepare()), so partitions boot in parallel.
 */
void lpar_boot(struct lpar *l);

/** Run by vCPU 0's thread: prepare memory and start the vCPU, or stop. */
void lpar_prepare(struct lpar *l);

/** Run by the idle threads of `l`'s other vCPUs: help clear its memory. */
void lpar_help_clear(struct lpar *l);

/** Ask every vCPU of `l` to leave the guest; the last one finishes the stop. */
void lpar_request_stop(struct lpar *l, enum lpar_stop_reason why);

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

/** Point this thread's PTCR at the partition table. */
void lpar_load_ptcr(void);

/** Invalidate every translation of `lpid` (guest.c). */
void guest_flush_partition(uint32_t lpid);

/** H_CEDE for the vCPU whose exit is `r` (guest.c). */
int64_t guest_cede(struct vcpu *vc, struct regs *r);

#endif /* HV_LPAR_OPS_H */
