/*
 * DMA window arithmetic and argument checks (pci/window.h): pure, used by
 * pci/dma.c and pci/ddw.c, tested by tests/unit/pci/window_test.c.
 */
#include "pci/window.h"

static bool fits(const struct gmem *g, uint32_t shift)
{
	uint64_t size = 1ull << shift;

	return !(g->hpa & (size - 1)) && !(g->size & (size - 1));
}

uint32_t pci_ddw_page_mask(const struct gmem *g)
{
	uint32_t mask = PCI_DDW_PGSIZE_4K;

	if (fits(g, 16)) {
		mask |= PCI_DDW_PGSIZE_64K;
	}
	if (fits(g, 21)) {
		mask |= PCI_DDW_PGSIZE_2M;
	}
	return mask;
}

uint64_t pci_ddw_max_entries(const struct gmem *g)
{
	uint64_t n = 512;

	/* The smallest power of two of 4 KiB pages covering the memory,
	 * stopping at the cap (no overflow for any size). */
	while (n < PCI_DDW_MAX_ENTRIES && (n << 12) < g->size) {
		n <<= 1;
	}
	return n;
}

static uint32_t mask_bit(uint32_t page_shift)
{
	switch (page_shift) {
	case 12:
		return PCI_DDW_PGSIZE_4K;
	case 16:
		return PCI_DDW_PGSIZE_64K;
	case 21:
		return PCI_DDW_PGSIZE_2M;
	default:
		return 0;
	}
}

bool pci_ddw_check_create(const struct gmem *g, uint32_t page_shift,
			  uint32_t window_shift, uint32_t *entries)
{
	uint64_t max = pci_ddw_max_entries(g);
	uint32_t bit = mask_bit(page_shift);

	if (!bit || !(pci_ddw_page_mask(g) & bit)) {
		return false;
	}
	if (window_shift < page_shift || window_shift > 59) {
		return false;
	}
	/* window - page <= 47 here: the shift below is defined. */
	if ((1ull << (window_shift - page_shift)) > max) {
		return false;
	}
	*entries = (uint32_t)(1ull << (window_shift - page_shift));
	return true;
}

uint64_t pci_ddw_table_bytes(uint64_t entries)
{
	uint64_t bytes = 4096;

	while (bytes < entries * 8 && bytes < (PCI_DDW_MAX_ENTRIES * 8)) {
		bytes <<= 1;
	}
	return bytes;
}

bool pci_ddw_place(const struct pci_dma_slots *s, uint32_t *slot,
		   uint64_t *start)
{
	uint32_t free_slot = PCI_DMA_SLOTS, other = PCI_DMA_SLOTS;

	for (uint32_t k = 0; k < PCI_DMA_SLOTS; k++) {
		if (!s->active[k] && free_slot == PCI_DMA_SLOTS) {
			free_slot = k;
		} else if (s->active[k]) {
			other = k;
		}
	}
	if (free_slot == PCI_DMA_SLOTS) {
		return false;
	}
	*slot = free_slot;
	if (other == PCI_DMA_SLOTS) {
		*start = 0;
	} else {
		*start = s->start[other] >= PCI_DMA64_START ? 0 :
							      PCI_DMA64_START;
	}
	return true;
}

uint32_t pci_ddw_available(const struct pci_dma_slots *s)
{
	uint32_t n = 0;

	for (uint32_t k = 0; k < PCI_DMA_SLOTS; k++) {
		n += s->active[k] ? 0 : 1;
	}
	return n;
}
