/*
 * Loading a partition's boot image into its memory: an ELF64 kernel
 * (segments at their physical addresses, as QEMU's pseries loader does
 * for -kernel, entered directly with r3 = device tree) or a bare payload
 * (a raw image at guest real 0, entered at 0x100 like QEMU's -bios).
 * Pure C over gmem: host-tested.
 */
#ifndef HV_LOADER_H
#define HV_LOADER_H

#include "hv/lib/types.h"
#include "mm/gmem.h"

struct load_result {
	uint64_t entry; /* guest real address to start at */
	uint64_t base;  /* lowest guest real address written */
	uint64_t end;   /* one past the highest */
};

/**
 * Load `img` (`len` bytes) into `g` below guest real address `limit`.
 * `payload` selects the bare-payload format (an ELF image is accepted
 * for it too).  Returns NULL on success, else a reason that names what is
 * wrong ("not an ELF64 image", "segment 2 ends past 0x... ", ...).
 */
const char *loader_load(const struct gmem *g, bool payload, const void *img,
			size_t len, uint64_t limit, struct load_result *out);

#endif /* HV_LOADER_H */
