/*
 * Loading a partition's boot image into its memory: an ELF64 kernel
 * placed as QEMU 7.2's pseries machine places -kernel (hw/ppc/spapr.c
 * translate_kernel_address: every segment at (physical address &
 * 0x0fffffff) + kernel-addr, 0x400000 by default; entered directly with
 * r3 = device tree) or a bare payload (a raw image at guest real 0,
 * entered at 0x100 like QEMU's -bios).  Pure C over gmem: host-tested.
 */
#ifndef HV_LOADER_H
#define HV_LOADER_H

#include "hv/abi/layout.h"
#include "hv/lib/types.h"
#include "mm/gmem.h"

/* QEMU 7.2 spapr.c: the default of the machine's kernel-addr property,
 * and the bits of a segment's address translate_kernel_address() keeps. */
#define LOADER_KERNEL_ADDR LAYOUT_KERNEL_ADDR
#define LOADER_KERNEL_MASK LAYOUT_KERNEL_MASK

struct load_result {
	uint64_t entry; /* guest real address to start at */
	uint64_t base;  /* lowest guest real address written */
	uint64_t end;   /* one past the highest */
	uint64_t size;  /* QEMU's kernel_size: the segments' sizes added */
	bool le;        /* a little-endian ELF (qemu,boot-kernel-le) */
};

/**
 * Load `img` (`len` bytes) into `g` below guest real address `limit`.
 * `payload` selects the bare-payload format (an ELF image is accepted
 * for it too, at its physical addresses); a kernel's ELF segments go to
 * (physical address & LOADER_KERNEL_MASK) + `kernel_addr` and its entry
 * point moves with them.  Returns NULL on success, else a reason that
 * names what is wrong ("not an ELF64 image", "a segment does not fit in
 * the partition's memory", ...).
 */
const char *loader_load(const struct gmem *g, bool payload, const void *img,
			size_t len, uint64_t limit, uint64_t kernel_addr,
			struct load_result *out);

#endif /* HV_LOADER_H */
