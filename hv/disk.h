/*
 * Disks: the memory behind the logical units lparvisor's v-scsi adapters
 * serve (vio/vscsi.c).  Each disk of the configuration's /disks that a
 * started partition uses is carved from machine memory once at boot,
 * filled from its image in the boot bundle and zero beyond it, and kept
 * for the machine's life: partition restarts keep what was written,
 * machine power-off loses it.  Machine-wide, not per partition: a
 * read-only disk may be shared.
 */
#ifndef HV_DISK_H
#define HV_DISK_H

#include "hv/bundle.h"
#include "hv/config.h"
#include "hv/lib/types.h"

struct disk {
	char name[CONFIG_NAME_LEN];
	uint8_t *data;    /* NULL: not carved (unused or failed) */
	uint64_t size;    /* bytes */
	bool read_only;
	uint64_t reads;   /* commands served, for the console's counters */
	uint64_t writes;
};

/**
 * Carve and fill every disk of `c` that a partition not refused uses
 * (before the partitions are created).  A disk that cannot be carved or
 * whose image fails its sha256 is reported and left without data; the
 * partitions using it are refused by disk_users_ok().  Returns the bytes
 * carved.
 */
uint64_t disk_setup(const struct config *c, const struct bundle *b);

/** Disk `index` of the configuration, or NULL when it has no data. */
struct disk *disk_get(uint32_t index);

/** Whether every disk `l` names has data (else prints which and why). */
bool disk_users_ok(const struct lpar_config *l);

#endif /* HV_DISK_H */
