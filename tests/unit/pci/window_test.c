/*
 * pci/window.c: what the dynamic DMA window calls offer a partition, the
 * checks of ibm,create-pe-dma-window's sizes, the hardware table sizes
 * and where a new window goes among the PHB's two slots.
 */
#include "pci/window.h"
#include "tests/unit/test.h"

TEST(pci_window, page_sizes_follow_the_partition_block)
{
	const struct gmem big = { .hpa = 0x40000000, .size = 0x40000000 };
	const struct gmem odd64 = { .hpa = 0x40001000, .size = 0x40000000 };
	const struct gmem odd2m = { .hpa = 0x40010000, .size = 0x40000000 };
	const struct gmem tail = { .hpa = 0x40000000, .size = 0x40010000 };

	CHECK_EQ(pci_ddw_page_mask(&big), PCI_DDW_PGSIZE_4K |
		 PCI_DDW_PGSIZE_64K | PCI_DDW_PGSIZE_2M);
	CHECK_EQ(pci_ddw_page_mask(&odd64), PCI_DDW_PGSIZE_4K);
	CHECK_EQ(pci_ddw_page_mask(&odd2m), PCI_DDW_PGSIZE_4K |
		 PCI_DDW_PGSIZE_64K);
	/* A size that is no whole number of 2 MiB pages: no 2 MiB. */
	CHECK_EQ(pci_ddw_page_mask(&tail), PCI_DDW_PGSIZE_4K |
		 PCI_DDW_PGSIZE_64K);
	/* LoPAR's bits: 4K 1, 64K 2, 2M 0x100. */
	CHECK_EQ(PCI_DDW_PGSIZE_2M, 0x100);
}

TEST(pci_window, largest_window_covers_memory_in_4k_pages)
{
	struct gmem g = { .hpa = 0, .size = 0x40000000 };

	CHECK_EQ(pci_ddw_max_entries(&g), 0x40000);   /* 1 GiB / 4 KiB */
	g.size = 0x40000000 + 0x200000;               /* rounded up */
	CHECK_EQ(pci_ddw_max_entries(&g), 0x80000);
	g.size = 0x10000;
	CHECK_EQ(pci_ddw_max_entries(&g), 512);       /* the floor */
	g.size = 0;
	CHECK_EQ(pci_ddw_max_entries(&g), 512);
	g.size = 1ull << 40;
	CHECK_EQ(pci_ddw_max_entries(&g), PCI_DDW_MAX_ENTRIES); /* the cap */
	g.size = UINT64_MAX;
	CHECK_EQ(pci_ddw_max_entries(&g), PCI_DDW_MAX_ENTRIES);
}

TEST(pci_window, create_sizes_are_checked)
{
	const struct gmem g = { .hpa = 0x40000000, .size = 0x40000000 };
	const struct gmem g4k = { .hpa = 0x40001000, .size = 0x40000000 };
	uint32_t n = 0;

	/* What Linux asks for 1 GiB: 2 MiB pages, a 2^30 window. */
	CHECK(pci_ddw_check_create(&g, 21, 30, &n));
	CHECK_EQ(n, 512);
	CHECK(pci_ddw_check_create(&g, 16, 30, &n));
	CHECK_EQ(n, 16384);
	CHECK(pci_ddw_check_create(&g, 12, 30, &n));
	CHECK_EQ(n, 0x40000);
	CHECK(pci_ddw_check_create(&g, 21, 21, &n)); /* one page */
	CHECK_EQ(n, 1);
	/* Page sizes not offered: 16 MiB, 1 GiB, junk; 64K without the
	 * alignment. */
	CHECK(!pci_ddw_check_create(&g, 24, 30, &n));
	CHECK(!pci_ddw_check_create(&g, 30, 30, &n));
	CHECK(!pci_ddw_check_create(&g, 0, 30, &n));
	CHECK(!pci_ddw_check_create(&g, 0xffffffffu, 30, &n));
	CHECK(!pci_ddw_check_create(&g4k, 16, 30, &n));
	CHECK(pci_ddw_check_create(&g4k, 12, 30, &n));
	/* Window smaller than a page, beyond its half of the bus, more
	 * TCEs than the partition may have, shifts that would overflow. */
	CHECK(!pci_ddw_check_create(&g, 21, 20, &n));
	CHECK(!pci_ddw_check_create(&g, 21, 60, &n));
	CHECK(!pci_ddw_check_create(&g, 12, 59, &n));
	CHECK(!pci_ddw_check_create(&g, 12, 31, &n)); /* 2x the memory */
	CHECK(pci_ddw_check_create(&g, 21, 39, &n));  /* 2^18 TCEs */
	CHECK(!pci_ddw_check_create(&g, 21, 40, &n));
	CHECK(!pci_ddw_check_create(&g, 12, 0xffffffffu, &n));
	CHECK(!pci_ddw_check_create(&g, 12, 76, &n));
}

TEST(pci_window, hardware_tables_are_at_least_4k_and_powers_of_two)
{
	CHECK_EQ(pci_ddw_table_bytes(1), 4096);
	CHECK_EQ(pci_ddw_table_bytes(512), 4096);
	CHECK_EQ(pci_ddw_table_bytes(513), 8192);
	CHECK_EQ(pci_ddw_table_bytes(0x40000), 0x200000);
	CHECK_EQ(pci_ddw_table_bytes(PCI_DDW_MAX_ENTRIES),
		 PCI_DDW_MAX_ENTRIES * 8);
}

TEST(pci_window, new_windows_take_a_free_slot_and_the_other_half)
{
	struct pci_dma_slots s = { { true, false }, { 0, 0 } };
	uint32_t slot = 9;
	uint64_t start = 9;

	/* The default window at 0: the new one at 1 << 59, slot 1. */
	CHECK_EQ(pci_ddw_available(&s), 1);
	CHECK(pci_ddw_place(&s, &slot, &start));
	CHECK_EQ(slot, 1);
	CHECK_EQ(start, PCI_DMA64_START);
	CHECK_EQ(pci_ddw_tve(0, start), 1);
	CHECK_EQ(pci_ddw_tve(5, start), 11);
	CHECK_EQ(pci_ddw_tve(5, 0), 10);
	/* Both taken: none. */
	s.active[1] = true;
	s.start[1] = PCI_DMA64_START;
	CHECK_EQ(pci_ddw_available(&s), 0);
	CHECK(!pci_ddw_place(&s, &slot, &start));
	/* The default removed first (Linux when none is free): slot 0 at
	 * bus 0, as QEMU's dma_win_addr. */
	s.active[0] = s.active[1] = false;
	CHECK_EQ(pci_ddw_available(&s), 2);
	CHECK(pci_ddw_place(&s, &slot, &start));
	CHECK_EQ(slot, 0);
	CHECK_EQ(start, 0);
	/* Slot 1 holds a window at 0 (slot 0 removed after): the new one
	 * goes to slot 0 at 1 << 59, never on top of it. */
	s.active[1] = true;
	s.start[1] = 0;
	CHECK(pci_ddw_place(&s, &slot, &start));
	CHECK_EQ(slot, 0);
	CHECK_EQ(start, PCI_DMA64_START);
}
