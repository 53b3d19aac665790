/*
 * A whole-structure check of a flattened device tree that comes from
 * outside (a boot bundle, a partition configuration), before libfdt
 * walks it.  libfdt's own fdt_check_full() is not in the copy we build
 * from (linux-source-6.1), and fdt_next_tag() trusts property lengths:
 * a length of -12 makes it return the same offset for ever (config
 * fuzzer finding 2).
 */
#ifndef HV_LIB_FDTCHECK_H
#define HV_LIB_FDTCHECK_H

/**
 * Walk every tag of `fdt` (its header already checked with
 * fdt_check_header()): each step must move forward, every property
 * length be non-negative and its name inside the strings block, nodes
 * nest and close, and the block end with FDT_END.  Returns 0, or
 * -FDT_ERR_BADSTRUCTURE / -FDT_ERR_TRUNCATED.
 */
int fdt_check_structure(const void *fdt);

#endif /* HV_LIB_FDTCHECK_H */
