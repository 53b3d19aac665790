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
	r->pvrs = buf;
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

/* The level a logical PVR names (NONE: not one lparvisor offers). */
static enum config_compat level_of(uint32_t pvr)
{
	switch (pvr) {
	case 0x0f000004u:
		return CONFIG_COMPAT_POWER8;
	case 0x0f000005u:
		return CONFIG_COMPAT_POWER9;
	case 0x0f000006u:
		return CONFIG_COMPAT_POWER10;
	default:
		return CONFIG_COMPAT_NONE;
	}
}

enum cas_err cas_choose_level(const struct cas_request *r,
			      const struct cas_offer *o,
			      enum config_compat *out)
{
	enum config_compat max = o->compat != CONFIG_COMPAT_NONE ?
				 o->compat : o->host_level;
	enum config_compat best = CONFIG_COMPAT_NONE;
	bool raw = false;

	*out = CONFIG_COMPAT_NONE;
	/* pvr_count pairs were read within the buffer; the last ends it. */
	for (uint32_t i = 0; r->pvrs && i + 1 < r->pvr_count; i++) {
		uint32_t mask = be32_at(r->pvrs + 8 * i);
		uint32_t val = be32_at(r->pvrs + 8 * i + 4);
		enum config_compat lv = level_of(val);

		if ((o->host_pvr & mask) == (val & mask)) {
			raw = true;
		} else if (lv != CONFIG_COMPAT_NONE && lv <= max &&
			   lv > best) {
			best = lv;
		}
	}
	if (best == CONFIG_COMPAT_NONE &&
	    !(raw && o->compat == CONFIG_COMPAT_NONE)) {
		return CAS_E_PVR;
	}
	if (best == CONFIG_COMPAT_POWER8 && o->mmu == CONFIG_MMU_RADIX) {
		return CAS_E_PVR_RADIX;
	}
	*out = best;
	return CAS_OK;
}

enum cas_err cas_decide(const struct cas_request *r,
			const struct cas_offer *o, struct cas_result *out)
{
	bool want_xive = r->ov5[CAS_OV5_XIVE] & CAS_OV5_BIT_XIVE;
	bool want_radix = r->ov5[CAS_OV5_MMU] & CAS_OV5_BIT_RADIX;
	enum cas_err e;

	memset(out, 0, sizeof(*out));
	e = cas_choose_level(r, o, &out->compat);
	if (e != CAS_OK) {
		return e;
	}
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
	case CAS_E_PVR:
		return "no processor level the partition allows is in the "
		       "client's PVR list";
	case CAS_E_PVR_RADIX:
		return "the client's processor level is POWER8, which has "
		       "no radix MMU, and the partition is radix";
	}
	return "unknown";
}
