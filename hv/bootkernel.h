/*
 * A boot bundle embedded in lparvisor's own ELF file, as
 * `tools/mkpnor.py bootkernel` writes it for a real machine's BOOTKERNEL
 * partition (docs/flashing.md): skiboot loads that one payload and runs it
 * in place (file offset 0 at lparvisor's link base), with no initramfs.
 * A program header of type BOOTKERNEL_PT_BUNDLE gives the bundle's file
 * offset and size.  Pure: host-tested (tests/unit/hv/bootkernel_test.c).
 */
#ifndef HV_BOOTKERNEL_H
#define HV_BOOTKERNEL_H

#include "hv/lib/types.h"

/* "lpvb", in the ELF OS-specific range (PT_LOOS..PT_HIOS). */
#define BOOTKERNEL_PT_BUNDLE 0x6c707662u

/**
 * Find the embedded bundle of the ELF file whose first `span` bytes are
 * at `elf` (its headers, as loaded).  The bundle must start 8-byte
 * aligned at or past `min_off` (the end of lparvisor's image in memory,
 * BSS included) and end within `span`.  Sets *off and *len (0: no bundle
 * there) and returns NULL, or returns why the header is unusable.
 */
const char *bootkernel_bundle(const void *elf, uint64_t span,
			      uint64_t min_off, uint64_t *off, uint64_t *len);

#endif /* HV_BOOTKERNEL_H */
