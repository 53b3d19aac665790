/*
 * TCE tables (mm/tce.h): QEMU 7.2 spapr_iommu.c's put_tce_emu(),
 * get_tce_emu() and the H_*_TCE loops, with an ownership check on every
 * TCE that grants access and the DMA paths lparvisor's devices use.
 */
#include "hv/abi/hcall.h"
#include "mm/tce.h"

/* Entries are read and written whole: a DMA may race an H_PUT_TCE. */
static uint64_t entry_load(const struct tce_table *t, uint64_t i)
{
	return __atomic_load_n(&t->table[i], __ATOMIC_RELAXED);
}

static void entry_store(struct tce_table *t, uint64_t i, uint64_t tce)
{
	__atomic_store_n(&t->table[i], tce, __ATOMIC_RELAXED);
}

/* Index of bus address `ioba`, or false when outside the window. */
static bool window_index(const struct tce_table *t, uint64_t ioba,
			 uint64_t *index)
{
	if (ioba < t->bus_offset) {
		return false;
	}
	*index = (ioba - t->bus_offset) >> tce_page_shift(t);
	return *index < t->entries;
}

void tce_clear(struct tce_table *t)
{
	for (uint64_t i = 0; i < t->entries; i++) {
		entry_store(t, i, 0);
	}
	t->bypass = false;
}

bool tce_valid_page(const struct gmem *g, uint64_t tce, uint32_t shift)
{
	uint64_t size = 1ull << shift;

	if (!(tce & TCE_RW)) {
		return true;
	}
	return gmem_owns(g, tce & ~(size - 1), size);
}

bool tce_valid(const struct gmem *g, uint64_t tce)
{
	return tce_valid_page(g, tce, TCE_PAGE_SHIFT);
}

/* The bits of a bus address or TCE above the IO page offset of `t`. */
static uint64_t page_mask(const struct tce_table *t)
{
	return ~((1ull << tce_page_shift(t)) - 1);
}

static bool valid_for(const struct tce_table *t, const struct gmem *g,
		      uint64_t tce)
{
	return tce_valid_page(g, tce, tce_page_shift(t));
}

/* QEMU's put_tce_emu(): one entry, H_PARAMETER outside the window. */
static int64_t put_one(struct tce_table *t, uint64_t ioba, uint64_t tce)
{
	uint64_t i;

	if (!window_index(t, ioba, &i)) {
		return H_PARAMETER;
	}
	entry_store(t, i, tce);
	return H_SUCCESS;
}

int64_t tce_put(struct tce_table *t, const struct gmem *g, uint64_t ioba,
		uint64_t tce)
{
	if (!valid_for(t, g, tce)) {
		return H_PARAMETER;
	}
	return put_one(t, ioba & page_mask(t), tce);
}

int64_t tce_get(const struct tce_table *t, uint64_t ioba, uint64_t *tce)
{
	uint64_t i;

	if (!window_index(t, ioba & page_mask(t), &i)) {
		return H_PARAMETER;
	}
	*tce = entry_load(t, i);
	return H_SUCCESS;
}

int64_t tce_stuff(struct tce_table *t, const struct gmem *g, uint64_t ioba,
		  uint64_t tce, uint64_t npages)
{
	int64_t ret = H_PARAMETER; /* QEMU's answer to npages 0 */
	uint32_t shift = tce_page_shift(t);

	if (npages > t->entries || !valid_for(t, g, tce)) {
		return H_PARAMETER;
	}
	ioba &= page_mask(t);
	/* npages <= entries < 2^32, shift <= 63 - 32: i << shift cannot
	 * overflow, and ioba + it cannot wrap unnoticed. */
	for (uint64_t i = 0; i < npages; i++) {
		if (ioba > UINT64_MAX - (i << shift)) {
			return H_PARAMETER;
		}
		ret = put_one(t, ioba + (i << shift), tce);
		if (ret != H_SUCCESS) {
			break;
		}
	}
	return ret;
}

/* Entries of an indirect list copied in at a time (hypervisor stack). */
#define INDIRECT_CHUNK 32

int64_t tce_put_indirect(struct tce_table *t, const struct gmem *g,
			 uint64_t ioba, uint64_t list, uint64_t npages)
{
	be64 copy[INDIRECT_CHUNK];
	int64_t ret = H_PARAMETER; /* QEMU's answer to npages 0 */
	uint32_t shift = tce_page_shift(t);

	if (npages > TCE_INDIRECT_MAX || (list & ~TCE_PAGE_MASK)) {
		return H_PARAMETER;
	}
	if (!gmem_owns(g, list, npages * sizeof(be64))) {
		return H_PARAMETER;
	}
	ioba &= page_mask(t);
	for (uint64_t i = 0; i < npages; i++) {
		uint64_t tce;

		/*
		 * Each entry is read once, into `copy`, and only the copy is
		 * checked and stored: the guest may rewrite its list meanwhile.
		 */
		if (i % INDIRECT_CHUNK == 0 &&
		    !gmem_read(g, list + i * sizeof(be64), copy,
			       MIN(npages - i, (uint64_t)INDIRECT_CHUNK) *
				       sizeof(be64))) {
			return H_PARAMETER;
		}
		tce = be64_to_cpu(copy[i % INDIRECT_CHUNK]);
		if (!valid_for(t, g, tce) ||
		    ioba > UINT64_MAX - (i << shift)) {
			return H_PARAMETER;
		}
		ret = put_one(t, ioba + (i << shift), tce);
		if (ret != H_SUCCESS) {
			break;
		}
	}
	return ret;
}

bool tce_translate(const struct tce_table *t, const struct gmem *g,
		   uint64_t ioba, uint64_t perm, uint64_t *gpa,
		   uint64_t *avail)
{
	uint64_t i, tce, page, mask = page_mask(t), size = ~mask + 1;

	if (t->bypass) {
		if (!(perm & TCE_RW) ||
		    !gmem_owns(g, ioba & TCE_PAGE_MASK, TCE_PAGE_SIZE)) {
			return false;
		}
		*gpa = ioba;
		*avail = TCE_PAGE_SIZE - (ioba & ~TCE_PAGE_MASK);
		return true;
	}
	if (!window_index(t, ioba, &i)) {
		return false;
	}
	tce = entry_load(t, i);
	page = tce & mask;
	if ((tce & perm & TCE_RW) != (perm & TCE_RW) || !(perm & TCE_RW)) {
		return false;
	}
	/* Checked when stored too; memory never moves, but be sure. */
	if (!gmem_owns(g, page, size)) {
		return false;
	}
	*gpa = page | (ioba & ~mask);
	*avail = size - (ioba & ~mask);
	return true;
}

bool tce_range_ok(const struct tce_table *t, const struct gmem *g,
		     uint64_t ioba, uint64_t len, uint64_t perm)
{
	uint64_t gpa, avail;

	if (len > UINT64_MAX - ioba) {
		return false;
	}
	while (len) {
		if (!tce_translate(t, g, ioba, perm, &gpa, &avail)) {
			return false;
		}
		avail = MIN(avail, len);
		ioba += avail;
		len -= avail;
	}
	return true;
}

bool tce_dma_read(const struct tce_table *t, const struct gmem *g,
		  uint64_t ioba, void *dst, uint64_t len)
{
	uint8_t *out = dst;
	uint64_t gpa, avail;

	if (len > UINT64_MAX - ioba) {
		return false;
	}
	while (len) {
		if (!tce_translate(t, g, ioba, TCE_READ, &gpa, &avail)) {
			return false;
		}
		avail = MIN(avail, len);
		if (!gmem_read(g, gpa, out, avail)) {
			return false;
		}
		out += avail;
		ioba += avail;
		len -= avail;
	}
	return true;
}

bool tce_dma_write(const struct tce_table *t, const struct gmem *g,
		   uint64_t ioba, const void *src, uint64_t len)
{
	const uint8_t *in = src;
	uint64_t gpa, avail;

	if (!tce_range_ok(t, g, ioba, len, TCE_WRITE)) {
		return false;
	}
	while (len) {
		/* An H_PUT_TCE may have raced the check: translate again. */
		if (!tce_translate(t, g, ioba, TCE_WRITE, &gpa, &avail)) {
			return false;
		}
		avail = MIN(avail, len);
		if (!gmem_write(g, gpa, in, avail)) {
			return false;
		}
		in += avail;
		ioba += avail;
		len -= avail;
	}
	return true;
}

/* Whether [ioba, ioba + len) lies inside the window of `t`. */
static bool range_in_window(const struct tce_table *t, uint64_t ioba,
			    uint64_t len)
{
	uint64_t off, size = tce_window_size(t);

	if (ioba < t->bus_offset) {
		return false;
	}
	off = ioba - t->bus_offset;
	return off <= size && len <= size - off;
}

enum tce_copy_err tce_copy(const struct tce_table *st, const struct gmem *sg,
			   uint64_t sioba, const struct tce_table *dt,
			   const struct gmem *dg, uint64_t dioba,
			   uint64_t len)
{
	uint64_t sgpa, dgpa, savail, davail, n;

	if (!range_in_window(st, sioba, len)) {
		return TCE_COPY_SRC_RANGE;
	}
	if (!range_in_window(dt, dioba, len)) {
		return TCE_COPY_DST_RANGE;
	}
	if (!tce_range_ok(st, sg, sioba, len, TCE_READ)) {
		return TCE_COPY_SRC_PERM;
	}
	if (!tce_range_ok(dt, dg, dioba, len, TCE_WRITE)) {
		return TCE_COPY_DST_PERM;
	}
	while (len) {
		/* Checked above under the caller's locks: cannot fail. */
		if (!tce_translate(st, sg, sioba, TCE_READ, &sgpa, &savail) ||
		    !tce_translate(dt, dg, dioba, TCE_WRITE, &dgpa, &davail)) {
			return TCE_COPY_SRC_PERM;
		}
		n = MIN(len, MIN(savail, davail));
		gmem_touch(sg, sgpa, n);
		gmem_touch(dg, dgpa, n);
		memmove(gmem_ptr(dg, dgpa), gmem_ptr(sg, sgpa), n);
		sioba += n;
		dioba += n;
		len -= n;
	}
	return TCE_COPY_OK;
}
