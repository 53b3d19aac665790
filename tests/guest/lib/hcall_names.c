/*
 * Names of PAPR hypercall return codes, for FAIL details (values from
 * hv/abi/hcall.h).
 */
#include "tests/guest/lib/hcall.h"

struct rc_name {
	long rc;
	const char *name;
};

static const struct rc_name rc_names[] = {
	{ H_SUCCESS, "H_SUCCESS" },
	{ H_BUSY, "H_BUSY" },
	{ H_CLOSED, "H_CLOSED" },
	{ H_NOT_AVAILABLE, "H_NOT_AVAILABLE" },
	{ H_CONSTRAINED, "H_CONSTRAINED" },
	{ H_PARTIAL, "H_PARTIAL" },
	{ H_PENDING, "H_PENDING" },
	{ H_CONTINUE, "H_CONTINUE" },
	{ H_HARDWARE, "H_HARDWARE" },
	{ H_FUNCTION, "H_FUNCTION" },
	{ H_PRIVILEGE, "H_PRIVILEGE" },
	{ H_PARAMETER, "H_PARAMETER" },
	{ H_BAD_MODE, "H_BAD_MODE" },
	{ H_PTEG_FULL, "H_PTEG_FULL" },
	{ H_NOT_FOUND, "H_NOT_FOUND" },
	{ H_RESERVED_DABR, "H_RESERVED_DABR" },
	{ H_NO_MEM, "H_NO_MEM" },
	{ H_AUTHORITY, "H_AUTHORITY" },
	{ H_PERMISSION, "H_PERMISSION" },
	{ H_DROPPED, "H_DROPPED" },
	{ H_RESOURCE, "H_RESOURCE" },
	{ H_P2, "H_P2" },
	{ H_P3, "H_P3" },
	{ H_P4, "H_P4" },
	{ H_P5, "H_P5" },
	{ H_P6, "H_P6" },
	{ H_P7, "H_P7" },
	{ H_P8, "H_P8" },
	{ H_P9, "H_P9" },
	{ H_NOOP, "H_NOOP" },
	{ H_UNSUPPORTED, "H_UNSUPPORTED" },
	{ H_OVERLAP, "H_OVERLAP" },
	{ H_STATE, "H_STATE" },
	{ H_IN_USE, "H_IN_USE" },
	{ H_UNSUPPORTED_FLAG_START, "H_UNSUPPORTED_FLAG" },
	{ H_MULTI_THREADS_ACTIVE, "H_MULTI_THREADS_ACTIVE" },
};

const char *hcall_rc_name(long rc)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(rc_names); i++) {
		if (rc_names[i].rc == rc) {
			return rc_names[i].name;
		}
	}
	return "?";
}
