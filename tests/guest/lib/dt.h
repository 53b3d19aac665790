/*
 * Reading the device tree the platform passed in r3 (QEMU 7.2 pseries:
 * `spapr_build_fdt`; the properties are listed in
 * docs papr-guest-reference.md §2).  Thin helpers over libfdt.
 */
#ifndef TESTS_GUEST_LIB_DT_H
#define TESTS_GUEST_LIB_DT_H

#include "hv/lib/types.h"

/**
 * Remember the tree at `fdt`.  Returns true when its header is valid;
 * every other helper then fails cleanly.
 */
bool dt_init(const void *fdt);

/** The tree passed to dt_init(), or NULL when it was not valid. */
const void *dt_fdt(void);

/** Offset of the node at `path`, or a negative libfdt error. */
int dt_path(const char *path);

/** Property `name` of `node` (length in *len if non-NULL), or NULL. */
const void *dt_prop(int node, const char *name, int *len);

/** One-cell property as a number.  Returns false if absent or too short. */
bool dt_prop_u32(int node, const char *name, uint32_t *out);

/**
 * A one- or two-cell property as a number (timebase-frequency may have
 * either).  Returns false if absent or of another length.
 */
bool dt_prop_num(int node, const char *name, uint64_t *out);

/** A NUL-terminated string property, or NULL. */
const char *dt_prop_str(int node, const char *name);

/**
 * First child of `parent` compatible with `compat`, or a negative libfdt
 * error.
 */
int dt_child_compatible(int parent, const char *compat);

/**
 * First /vdevice child of `device_type` with a one-cell `reg` (its unit
 * address in `unit`), or a negative libfdt error.
 */
int dt_vdevice(const char *device_type, uint32_t *unit);

/** Size of RAM from the `reg` of /memory@0 (0 if it cannot be read). */
uint64_t dt_ram_size(void);

/** The boot vCPU's hardware id from the FDT header. */
uint32_t dt_boot_cpuid(void);

/**
 * /chosen/bootargs: the value of the whole word `key=value` (pointing into
 * the tree, running to the next space), or NULL when there is none.
 */
const char *dt_bootarg(const char *key);

/** True when /chosen/bootargs has the whole word `key=value`. */
bool dt_bootarg_is(const char *key, const char *value);

/** True when /chosen/bootargs has `word` as a whole word. */
bool dt_bootarg_word(const char *word);

/**
 * True when the platform is lparvisor (its root `model` says "emulated by
 * lparvisor"), false on QEMU's -M pseries.  For the few checks where the
 * reference run is known to differ (tests/guest/README.md).
 */
bool dt_on_lparvisor(void);

#endif /* TESTS_GUEST_LIB_DT_H */
