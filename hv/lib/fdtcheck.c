/*
 * Whole-structure check of an untrusted flattened device tree (see
 * fdtcheck.h).  Offsets only grow and stay inside the structure block,
 * so the walk ends.
 */
#include <libfdt.h>

#include "hv/lib/fdtcheck.h"

int fdt_check_structure(const void *fdt)
{
	int off = 0, next = 0, depth = 0;

	for (;;) {
		uint32_t tag = fdt_next_tag(fdt, off, &next);
		const struct fdt_property *prop;

		if (next < 0) {
			return next == -FDT_ERR_TRUNCATED ? next :
							    -FDT_ERR_BADSTRUCTURE;
		}
		switch (tag) {
		case FDT_BEGIN_NODE:
			depth++;
			break;
		case FDT_END_NODE:
			if (--depth < 0) {
				return -FDT_ERR_BADSTRUCTURE;
			}
			break;
		case FDT_PROP:
			prop = fdt_offset_ptr(fdt, off, sizeof(*prop));
			if (!prop || (int32_t)fdt32_ld(&prop->len) < 0 ||
			    !fdt_get_string(fdt, (int)fdt32_ld(&prop->nameoff),
					    NULL)) {
				return -FDT_ERR_BADSTRUCTURE;
			}
			break;
		case FDT_NOP:
			break;
		case FDT_END:
			return depth == 0 ? 0 : -FDT_ERR_BADSTRUCTURE;
		default:
			return -FDT_ERR_BADSTRUCTURE;
		}
		if (next <= off) {
			return -FDT_ERR_BADSTRUCTURE;
		}
		off = next;
	}
}
