/*
 * The v-scsi client adapter (vio/vscsi.c): what the rest of lparvisor
 * sees of it.
 */
#ifndef VIO_VSCSI_H
#define VIO_VSCSI_H

#include "hv/lib/types.h"

struct lpar;

/**
 * The service console's line for `l`'s adapter (its `describe` hook):
 * each disk's name, mode and commands served ("reads"/"writes" count
 * every partition using the disk), then the requests the adapter dropped
 * (malformed, or sent before login).  Empty when `l` has no disks.  Returns the length written,
 * always NUL-terminated within `size` (0 when `size` is 0).
 */
size_t vscsi_format_stats(const struct lpar *l, char *buf, size_t size);

#endif /* VIO_VSCSI_H */
