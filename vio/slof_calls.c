/*
 * Argument checks of SLOF's hcalls (vio/slof_calls.h): QEMU 7.2's rules
 * in hw/ppc/spapr_hcall.c, plus lparvisor's ownership of every range.
 * Pure logic, no partition state.
 */
#include <libfdt.h>

#include "hv/abi/hcall.h"
#include "hv/lib/fdtcheck.h"
#include "hv/lib/string.h"
#include "vio/slof_calls.h"

int64_t slof_memop_check(uint64_t dst, uint64_t src, uint64_t esize,
			 uint64_t count, uint64_t op, uint64_t mem_size,
			 struct slof_memop *m)
{
	uint64_t mask;

	if (esize > 3 || count > SLOF_MEMOP_COUNT_MAX || op > 1) {
		return H_PARAMETER;
	}
	mask = (1ull << esize) - 1;
	if ((dst & mask) || (src & mask)) {
		return H_PARAMETER;
	}
	m->len = count << esize; /* at most 2^34: no overflow */
	if (dst > mem_size || m->len > mem_size - dst || src > mem_size ||
	    m->len > mem_size - src) {
		return H_PARAMETER;
	}
	m->dst = dst;
	m->src = src;
	m->invert = op == 1;
	return H_SUCCESS;
}

void slof_memop_run(uint8_t *base, const struct slof_memop *m)
{
	uint8_t *d = base + m->dst;
	const uint8_t *s = base + m->src;
	uint64_t i;

	if (!m->invert) {
		memmove(d, s, m->len);
		return;
	}
	if (m->dst > m->src && m->dst < m->src + m->len) {
		for (i = m->len; i-- > 0;) {
			d[i] = (uint8_t)~s[i];
		}
		return;
	}
	for (i = 0; i < m->len; i++) {
		d[i] = (uint8_t)~s[i];
	}
}

int64_t slof_update_dt_size(const uint8_t hdr[8], uint32_t initial,
			    uint32_t cap, uint32_t *size)
{
	uint32_t total = get_be32(hdr + 4);

	if (get_be32(hdr) != FDT_MAGIC || total < sizeof(struct fdt_header) ||
	    (uint64_t)total > 2ull * initial || total > cap) {
		return H_PARAMETER;
	}
	*size = total;
	return H_SUCCESS;
}

int64_t slof_update_dt_check(const void *fdt, uint32_t size)
{
	if (size < sizeof(struct fdt_header) || fdt_check_header(fdt) ||
	    fdt_totalsize(fdt) != size || fdt_check_structure(fdt)) {
		return H_PARAMETER;
	}
	return H_SUCCESS;
}

size_t slof_cas_answer(uint8_t *buf, size_t limit)
{
	void *tree = buf + SLOF_CAS_TREE_OFF;
	uint8_t *hdr = buf + SLOF_CAS_ANSWER_OFF;
	size_t total;

	if (fdt_check_header(tree) || fdt_pack(tree)) {
		return 0;
	}
	total = SLOF_CAS_HDR_BYTES + fdt_totalsize(tree);
	if (total > limit) {
		return 0;
	}
	hdr[0] = 0;
	hdr[1] = 0;
	hdr[2] = 0;
	hdr[3] = 1;
	return total;
}
