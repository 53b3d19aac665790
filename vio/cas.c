/*
 * ibm,client-architecture-support vectors (vio/cas.h).  The buffer is the
 * hypervisor's copy of guest memory: every length in it is the guest's
 * and is checked against the copy's end before it is used.
 */
#include "hv/lib/string.h"
#include "vio/cas.h"

static uint32_t be32_at(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* Skip the PVR list; returns the offset after its terminator, or 0. */
static size_t skip_pvrs(const uint8_t *buf, size_t len, uint32_t *count)
{
	size_t at = 0;

	for (uint32_t i = 0; i < CAS_PVRS_MAX; i++) {
		uint32_t mask, val;

		if (len - at < 8) {
			return 0;
		}
		mask = be32_at(buf + at);
		val = be32_at(buf + at + 4);
		at += 8;
		*count = i + 1;
		if (val & ~mask) {
			return at;
		}
	}
	return 0;
}

enum cas_err cas_parse(const uint8_t *buf, size_t len, struct cas_request *r)
{
	size_t at;
	uint32_t n;

	memset(r, 0, sizeof(*r));
	at = skip_pvrs(buf, len, &r->pvr_count);
	if (!at) {
		return CAS_E_PVR_LIST;
	}
	if (at >= len) {
		return CAS_E_NO_VECTORS;
	}
	n = (uint32_t)buf[at++] + 1;
	r->vector_count = n;
	for (uint32_t v = 1; v <= n; v++) {
		size_t vlen;

		if (at >= len) {
			return CAS_E_TRUNCATED;
		}
		vlen = (size_t)buf[at++] + 1;
		if (vlen > len - at) {
			return CAS_E_TRUNCATED;
		}
		if (v == 5) {
			size_t keep = vlen < CAS_OV5_BYTES ? vlen : CAS_OV5_BYTES;

			r->has_ov5 = true;
			r->ov5_len = (uint32_t)vlen;
			memcpy(r->ov5 + 1, buf + at, keep);
		}
		at += vlen;
	}
	return CAS_OK;
}

enum cas_err cas_decide(const struct cas_request *r,
			const struct cas_offer *o, struct cas_result *out)
{
	bool want_xive = r->ov5[CAS_OV5_XIVE] & CAS_OV5_BIT_XIVE;
	bool want_radix = r->ov5[CAS_OV5_MMU] & CAS_OV5_BIT_RADIX;

	memset(out, 0, sizeof(*out));
	if (want_xive && o->xive) {
		out->intc = CONFIG_INTC_XIVE;
	} else if (o->xics) {
		out->intc = CONFIG_INTC_XICS;
	} else {
		return CAS_E_INTC;
	}
	if (want_radix != (o->mmu == CONFIG_MMU_RADIX)) {
		return CAS_E_MMU;
	}
	out->mmu = o->mmu;
	out->gtse = want_radix &&
		    (r->ov5[CAS_OV5_RADIX_EXT] & CAS_OV5_BIT_GTSE);
	return CAS_OK;
}

const char *cas_strerror(enum cas_err e)
{
	switch (e) {
	case CAS_OK:
		return "accepted";
	case CAS_E_PVR_LIST:
		return "PVR list without a terminator";
	case CAS_E_TRUNCATED:
		return "an option vector runs past the buffer";
	case CAS_E_NO_VECTORS:
		return "no option vector count after the PVR list";
	case CAS_E_INTC:
		return "the client refuses XIVE, the only interrupt mode";
	case CAS_E_MMU:
		return "the client asks for an MMU the partition is not "
		       "configured with";
	}
	return "unknown";
}
