/*
 * pci/scan.c on a model of config space: a root port at 00:00.0 and
 * functions on its secondary bus whose BARs decode as real ones do
 * (writing all ones reads back the size mask and the type bits).  Checks
 * what is found, the BAR placement in the PHB's 32-bit window, what is
 * written to the hardware, and the RTAS config address checks.
 */
#include <stdlib.h>

#include "pci/scan.h"
#include "tests/unit/test.h"

#define M32_PCI 0x80000000ull
#define M32_SIZE 0x7fff0000ull

struct mfn {
	bool present;
	uint8_t cfg[4096];
	uint64_t bar_size[6];   /* a 64-bit BAR's size sits in its low slot */
	uint32_t bar_flags[6];  /* its type bits; hi slot: 0xffffffff */
	bool decode_seen;       /* a BAR was sized with decoding on */
};

struct model {
	struct mfn fn[2][256];  /* bus 0 and bus 1 */
	uint32_t fail_bdfn;     /* reads of this one fail (OPAL error) */
	int reads, writes;
};

static struct model *mdl;

static struct mfn *lookup(uint32_t bdfn)
{
	uint32_t bus = bdfn >> 8;

	if (bus > 1 || !mdl->fn[bus][bdfn & 0xff].present) {
		return NULL;
	}
	return &mdl->fn[bus][bdfn & 0xff];
}

static uint32_t get(const struct mfn *f, uint32_t off, uint32_t size)
{
	uint32_t v = 0;

	for (uint32_t i = 0; i < size; i++) {
		v |= (uint32_t)f->cfg[off + i] << (8 * i);
	}
	return v;
}

static void put(struct mfn *f, uint32_t off, uint32_t size, uint32_t v)
{
	for (uint32_t i = 0; i < size; i++) {
		f->cfg[off + i] = (uint8_t)(v >> (8 * i));
	}
}

static int64_t m_read(void *ctx, uint32_t bdfn, uint32_t off, uint32_t size,
		      uint32_t *val)
{
	struct mfn *f = lookup(bdfn);

	(void)ctx;
	mdl->reads++;
	if (off + size > 4096 || off % size) {
		return -1;
	}
	if (bdfn == mdl->fail_bdfn) {
		return -1;
	}
	*val = f ? get(f, off, size) : (size == 4 ? 0xffffffffu :
					 (1u << (8 * size)) - 1);
	return 0;
}

static int64_t m_write(void *ctx, uint32_t bdfn, uint32_t off, uint32_t size,
		       uint32_t val)
{
	struct mfn *f = lookup(bdfn);
	bool type0;

	(void)ctx;
	mdl->writes++;
	if (!f || off + size > 4096 || off % size) {
		return -1;
	}
	type0 = (f->cfg[0x0e] & 0x7f) == 0;
	if (type0 && off >= 0x10 && off < 0x28) {
		uint32_t i = (off - 0x10) / 4;

		if (size != 4) {
			return -1;
		}
		if (f->bar_flags[i] == 0xffffffffu) {
			uint64_t sz = f->bar_size[i - 1];

			val &= (uint32_t)(~(sz - 1) >> 32);
		} else if (f->bar_size[i]) {
			if (val == 0xffffffffu && (get(f, 4, 2) & 2)) {
				f->decode_seen = true;
			}
			val = ((uint32_t)~(f->bar_size[i] - 1) & val &
			       ~0xfu) | f->bar_flags[i];
		} else {
			val = 0;
		}
	}
	if (off < 4 || (off >= 8 && off < 0x0c) || off == 0x0e) {
		return 0; /* read-only IDs, class, header type */
	}
	put(f, off, size, val);
	return 0;
}

static const struct pci_cfg_ops ops = { m_read, m_write, NULL };

static struct mfn *add(uint32_t bus, uint32_t devfn, uint16_t vendor,
		       uint16_t device, uint32_t class_rev, uint8_t hdr)
{
	struct mfn *f = &mdl->fn[bus][devfn];

	f->present = true;
	put(f, 0, 2, vendor);
	put(f, 2, 2, device);
	put(f, 8, 4, class_rev);
	f->cfg[0x0e] = hdr;
	return f;
}

static void bar(struct mfn *f, int i, uint64_t size, uint32_t flags)
{
	f->bar_size[i] = size;
	f->bar_flags[i] = flags;
	if (flags & 4) {
		f->bar_flags[i + 1] = 0xffffffffu;
	}
}

/* A capability at `at` with id, next and a 16-bit control. */
static void cap(struct mfn *f, uint8_t at, uint8_t id, uint8_t next,
		uint16_t ctrl)
{
	f->cfg[0x06] |= 0x10;
	if (!f->cfg[0x34]) {
		f->cfg[0x34] = at;
	}
	f->cfg[at] = id;
	f->cfg[at + 1] = next;
	put(f, at + 2, 2, ctrl);
}

/* The machine of the boot scenario: root port, nvme on bus 1. */
static void model_init(void)
{
	struct mfn *rp, *nv;

	mdl = calloc(1, sizeof(*mdl));
	mdl->fail_bdfn = 0xffffffffu;
	rp = add(0, 0, 0x1014, 0x04c1, 0x06040000, 1);
	put(rp, 0x18, 4, 0x00010100); /* primary 0, secondary 1, sub 1 */
	put(rp, 0x04, 2, 0);
	nv = add(1, 0, 0x1b36, 0x0010, 0x01080202, 0);
	bar(nv, 0, 0x4000, 0x4);        /* 64-bit, 16 KiB */
	bar(nv, 2, 0x1000, 0x0);        /* 32-bit, 4 KiB */
	bar(nv, 4, 0x100, 0x1);         /* I/O: left out */
	put(nv, 0x2c, 4, 0x11001af4);
	nv->cfg[0x3d] = 1;
	put(nv, 0x04, 2, 0x0006);       /* decoding on: sizing turns it off */
	cap(nv, 0x40, 0x11, 0x50, 0x003f); /* MSI-X, 64 entries */
	cap(nv, 0x50, 0x10, 0x60, 0x0002); /* PCI Express */
	cap(nv, 0x60, 0x05, 0x00, 0x0086); /* MSI, 8 vectors, 64-bit */
}

static void phb_init(struct guest_dt_phb *phb)
{
	memset(phb, 0, sizeof(*phb));
	phb->m32_pci = M32_PCI;
	phb->m32_size = M32_SIZE;
}

TEST(pci_scan, finds_the_function_behind_the_root_port)
{
	struct guest_dt_phb phb;
	const struct guest_dt_pci_func *f;
	uint32_t skipped = 99;
	char why[96] = "";

	model_init();
	phb_init(&phb);
	CHECK_EQ(pci_scan_assign(&ops, &phb, &skipped, why, sizeof(why)), 0);
	CHECK_STR_EQ(why, "");
	CHECK_EQ(skipped, 1); /* the I/O BAR */
	CHECK_EQ(phb.bus_first, 1);
	CHECK_EQ(phb.bus_last, 1);
	CHECK_EQ(phb.func_count, 1);
	f = &phb.funcs[0];
	CHECK_EQ(f->bus, 1);
	CHECK_EQ(f->devfn, 0);
	CHECK_EQ(f->vendor, 0x1b36);
	CHECK_EQ(f->device, 0x0010);
	CHECK_EQ(f->revision, 2);
	CHECK_EQ(f->class_code, 0x010802);
	CHECK_EQ(f->subsys_vendor, 0x1af4);
	CHECK_EQ(f->subsys_id, 0x1100);
	CHECK_EQ(f->irq_pin, 1);
	CHECK_EQ(f->msix, 64);
	CHECK_EQ(f->msi, 8);
	CHECK(f->express);
	CHECK_EQ(f->bar_count, 2);
	CHECK_EQ(f->bars[0].reg, 0x10);
	CHECK_EQ(f->bars[0].size, 0x4000);
	CHECK_EQ(f->bars[0].flags, GUEST_DT_PCI_BAR_MEM64);
	CHECK_EQ(f->bars[1].reg, 0x18);
	CHECK_EQ(f->bars[1].size, 0x1000);
	CHECK_EQ(f->bars[1].flags, 0);
	CHECK(!mdl->fn[1][0].decode_seen);
	free(mdl);
}

TEST(pci_scan, places_bars_largest_first_and_opens_the_root_port)
{
	struct guest_dt_phb phb;
	struct mfn *rp, *nv;
	uint32_t skipped;
	char why[96];

	model_init();
	phb_init(&phb);
	REQUIRE(pci_scan_assign(&ops, &phb, &skipped, why, sizeof(why)) == 0);
	rp = &mdl->fn[0][0];
	nv = &mdl->fn[1][0];
	CHECK_EQ(phb.funcs[0].bars[0].pci_addr, M32_PCI);
	CHECK_EQ(phb.funcs[0].bars[1].pci_addr, M32_PCI + 0x4000);
	/* Written to the device: low word with its type bits, high word 0. */
	CHECK_EQ(get(nv, 0x10, 4), 0x80000004u);
	CHECK_EQ(get(nv, 0x14, 4), 0);
	CHECK_EQ(get(nv, 0x18, 4), 0x80004000u);
	/* Decoding left off: the guest turns it on. */
	CHECK_EQ(get(nv, 0x04, 2) & 3, 0);
	/* Root port: memory window 0x80000000-0x800fffff, the I/O and
	 * prefetchable windows closed, memory and bus mastering on. */
	CHECK_EQ(get(rp, 0x20, 2), 0x8000);
	CHECK_EQ(get(rp, 0x22, 2), 0x8000);
	CHECK_EQ(get(rp, 0x1c, 1), 0xf0);
	CHECK_EQ(get(rp, 0x1d, 1), 0x00);
	CHECK_EQ(get(rp, 0x24, 2), 0xfff0);
	CHECK_EQ(get(rp, 0x26, 2), 0);
	CHECK_EQ(get(rp, 0x04, 2) & 6, 6);
	/* The bus numbers are skiboot's: untouched. */
	CHECK_EQ(get(rp, 0x18, 4), 0x00010100u);
	free(mdl);
}

TEST(pci_scan, multifunction_bridges_and_small_bars)
{
	struct guest_dt_phb phb;
	struct mfn *f0, *f1;
	uint32_t skipped;
	char why[96];

	model_init();
	phb_init(&phb);
	f0 = add(1, 2 << 3, 0x8086, 0x10d3, 0x02000000, 0x80);
	bar(f0, 0, 0x20000, 0x8);       /* 128 KiB, prefetchable */
	f1 = add(1, 2 << 3 | 1, 0x8086, 0x10d3, 0x02000000, 0);
	bar(f1, 1, 0x10, 0);            /* 16 bytes: gets a whole page */
	add(1, 3 << 3, 0x1234, 0x5678, 0x06040000, 1); /* a bridge */
	/* A function of a single-function device past fn 0: not scanned. */
	add(1, 4 << 3 | 1, 0x1111, 0x2222, 0x02000000, 0);
	REQUIRE(pci_scan_assign(&ops, &phb, &skipped, why, sizeof(why)) == 0);
	CHECK_EQ(skipped, 2); /* the nvme I/O BAR and the bridge */
	CHECK_EQ(phb.func_count, 3);
	CHECK_EQ(phb.funcs[1].devfn, 2 << 3);
	CHECK_EQ(phb.funcs[1].bars[0].flags, GUEST_DT_PCI_BAR_PREFETCH);
	CHECK_EQ(phb.funcs[1].bars[0].pci_addr, M32_PCI);
	CHECK_EQ(phb.funcs[2].devfn, 2 << 3 | 1);
	CHECK_EQ(phb.funcs[2].bars[0].reg, 0x14);
	CHECK_EQ(phb.funcs[2].bars[0].size, 0x10);
	/* 128 KiB, 16 KiB, 4 KiB, then the 16-byte BAR on its own page. */
	CHECK_EQ(phb.funcs[0].bars[0].pci_addr, M32_PCI + 0x20000);
	CHECK_EQ(phb.funcs[0].bars[1].pci_addr, M32_PCI + 0x24000);
	CHECK_EQ(phb.funcs[2].bars[0].pci_addr, M32_PCI + 0x25000);
	CHECK_EQ(get(f1, 0x14, 4), 0x80025000u);
	free(mdl);
}

TEST(pci_scan, refuses_what_it_cannot_place_or_read)
{
	struct guest_dt_phb phb;
	struct mfn *f;
	uint32_t skipped;
	char why[96];

	/* BARs bigger than the window. */
	model_init();
	phb_init(&phb);
	f = add(1, 1 << 3, 0x1234, 0x1, 0x02000000, 0);
	bar(f, 0, 0x100000000ull, 0x4); /* 4 GiB, 64-bit */
	CHECK_EQ(pci_scan_assign(&ops, &phb, &skipped, why, sizeof(why)), -1);
	CHECK_STR_EQ(why, "the BARs need more than the 0x7fff0000 bytes of "
		     "the 32-bit window");
	free(mdl);

	/* No root port. */
	model_init();
	phb_init(&phb);
	mdl->fn[0][0].present = false;
	CHECK_EQ(pci_scan_assign(&ops, &phb, &skipped, why, sizeof(why)), -1);
	CHECK_STR_EQ(why, "no root port at 00:00.0");
	free(mdl);

	/* Buses not numbered. */
	model_init();
	phb_init(&phb);
	put(&mdl->fn[0][0], 0x18, 4, 0);
	CHECK_EQ(pci_scan_assign(&ops, &phb, &skipped, why, sizeof(why)), -1);
	CHECK_STR_EQ(why, "the root port's buses are not numbered "
		     "(secondary 0, subordinate 0)");
	free(mdl);

	/* A window the guest could not be shown. */
	model_init();
	phb_init(&phb);
	phb.m32_size = 0;
	CHECK_EQ(pci_scan_assign(&ops, &phb, &skipped, why, sizeof(why)), -1);
	CHECK_STR_EQ(why, "no usable 32-bit MMIO window");
	free(mdl);

	/* A 64-bit BAR in the last slot. */
	model_init();
	phb_init(&phb);
	f = add(1, 1 << 3, 0x1234, 0x1, 0x02000000, 0);
	f->bar_size[5] = 0x1000;
	f->bar_flags[5] = 0x4;
	CHECK_EQ(pci_scan_assign(&ops, &phb, &skipped, why, sizeof(why)), -1);
	CHECK_STR_EQ(why, "01:01.0: a 64-bit BAR in the last slot");
	free(mdl);

	/* More functions than a guest node holds. */
	model_init();
	phb_init(&phb);
	for (uint32_t d = 1; d <= GUEST_DT_PCI_FUNCS; d++) {
		add(1, d << 3, 0x1234, (uint16_t)d, 0x02000000, 0);
	}
	CHECK_EQ(pci_scan_assign(&ops, &phb, &skipped, why, sizeof(why)), -1);
	CHECK_STR_EQ(why, "more than 16 functions");
	free(mdl);
}

TEST(pci_scan, a_looping_capability_list_ends)
{
	struct guest_dt_phb phb;
	uint32_t skipped;
	char why[96];
	int reads;

	model_init();
	phb_init(&phb);
	mdl->fn[1][0].cfg[0x61] = 0x40; /* MSI points back at MSI-X */
	REQUIRE(pci_scan_assign(&ops, &phb, &skipped, why, sizeof(why)) == 0);
	reads = mdl->reads;
	CHECK(reads < 2000);
	CHECK_EQ(phb.funcs[0].msix, 64);
	free(mdl);
}

static struct guest_dt_phb *decoded_phb(void)
{
	static struct guest_dt_phb phb;
	uint32_t skipped;
	char why[96];

	model_init();
	phb_init(&phb);
	add(1, 1 << 3, 0x1234, 0x1, 0x02000000, 0); /* conventional PCI */
	if (pci_scan_assign(&ops, &phb, &skipped, why, sizeof(why))) {
		return NULL;
	}
	free(mdl);
	return &phb;
}

TEST(pci_scan, rtas_config_addresses)
{
	struct guest_dt_phb *phb = decoded_phb();
	struct pci_cfg_access a;

	REQUIRE(phb);
	/* (reg & 0xf00) << 20 | bus << 16 | devfn << 8 | (reg & 0xff) */
	CHECK(pci_cfg_decode(phb, 0x10000000 | 0x010000 | 0xfc, 4, &a) ==
	      &phb->funcs[0]);
	CHECK_EQ(a.bus, 1);
	CHECK_EQ(a.devfn, 0);
	CHECK_EQ(a.reg, 0x1fc);
	CHECK_EQ(a.size, 4);
	CHECK(pci_cfg_decode(phb, 0xf0010000 | 0xfc, 4, &a) != NULL);
	CHECK_EQ(a.reg, 0xffc);
	CHECK(pci_cfg_decode(phb, 0xf0010000 | 0xfe, 2, &a) != NULL);
	CHECK(pci_cfg_decode(phb, 0x00010000 | 0x3d, 1, &a) != NULL);
	/* Sizes, alignment. */
	CHECK(pci_cfg_decode(phb, 0x00010000, 0, &a) == NULL);
	CHECK(pci_cfg_decode(phb, 0x00010000, 3, &a) == NULL);
	CHECK(pci_cfg_decode(phb, 0x00010000, 8, &a) == NULL);
	CHECK(pci_cfg_decode(phb, 0x00010000, 0xffffffffu, &a) == NULL);
	CHECK(pci_cfg_decode(phb, 0x00010001, 2, &a) == NULL);
	CHECK(pci_cfg_decode(phb, 0x00010002, 4, &a) == NULL);
	CHECK(pci_cfg_decode(phb, 0xf00100fd, 4, &a) == NULL);
	/* Places: the root port, absent functions and buses. */
	CHECK(pci_cfg_decode(phb, 0x00000000, 4, &a) == NULL);
	CHECK(pci_cfg_decode(phb, 0x00000019, 1, &a) == NULL);
	CHECK(pci_cfg_decode(phb, 0x00010100, 4, &a) == NULL);
	CHECK(pci_cfg_decode(phb, 0x00020000, 4, &a) == NULL);
	CHECK(pci_cfg_decode(phb, 0x00ff0000, 4, &a) == NULL);
	CHECK(pci_cfg_decode(phb, 0x00010800, 4, &a) != NULL); /* 01:01.0 */
	/* 01:01.0 is conventional PCI: 256 bytes. */
	CHECK(pci_cfg_decode(phb, 0x000108fc, 4, &a) != NULL);
	CHECK(pci_cfg_decode(phb, 0x10010800, 4, &a) == NULL);
	CHECK(pci_cfg_decode(phb, 0xf00108fc, 4, &a) == NULL);
}

TEST(pci_scan, pe_bus_blocks_cover_exactly)
{
	uint32_t bus[PCI_PE_BLOCKS_MAX], bits[PCI_PE_BLOCKS_MAX];
	uint32_t n;

	/* QEMU's root port: bus 1 alone, all 8 bits compared. */
	n = pci_pe_bus_blocks(1, 1, bus, bits);
	CHECK_EQ(n, 1);
	CHECK_EQ(bus[0], 1);
	CHECK_EQ(bits[0], 8);
	/* 1..255: 1, 2-3, 4-7, 8-15, 16-31, then seven 32-bus blocks. */
	n = pci_pe_bus_blocks(1, 255, bus, bits);
	CHECK_EQ(n, 12);
	CHECK_EQ(bus[4], 16);
	CHECK_EQ(bits[4], 4);
	CHECK_EQ(bus[5], 32);
	CHECK_EQ(bits[5], 3);
	CHECK_EQ(bus[11], 224);
	/* The worst range: 16 blocks, ending exactly at 254. */
	n = pci_pe_bus_blocks(1, 254, bus, bits);
	CHECK_EQ(n, 16);
	CHECK_EQ(bus[15], 254);
	CHECK_EQ(bits[15], 8);
	/* Every range covers [first, last] with no gap or overlap. */
	for (uint32_t f = 0; f < 256; f += 7) {
		for (uint32_t l = f; l < 256; l += 5) {
			uint32_t next = f;

			n = pci_pe_bus_blocks(f, l, bus, bits);
			for (uint32_t k = 0; k < n; k++) {
				uint32_t size = 1u << (8 - bits[k]);

				CHECK_EQ(bus[k], next);
				CHECK_EQ(bus[k] & (size - 1), 0);
				CHECK(bits[k] >= 3 && bits[k] <= 8);
				next += size;
			}
			CHECK_EQ(next, l + 1);
		}
	}
	CHECK_EQ(pci_pe_bus_blocks(2, 1, bus, bits), 0);
	CHECK_EQ(pci_pe_bus_blocks(0, 256, bus, bits), 0);
}

TEST(pci_scan, hardware_tces_name_host_pages_of_the_partition)
{
	const struct gmem g = { .hpa = 0x40000000, .size = 0x10000000 };

	/* Read, write, both: host page | the same bits, big-endian. */
	CHECK_EQ(be64_to_cpu(pci_tce_hw_entry(&g, 0x2000 | 1, 12)),
		 0x40002000ull | 1);
	CHECK_EQ(be64_to_cpu(pci_tce_hw_entry(&g, 0x2000 | 2, 12)),
		 0x40002000ull | 2);
	CHECK_EQ(be64_to_cpu(pci_tce_hw_entry(&g, 0xffff000 | 3, 12)),
		 0x4ffff000ull | 3);
	/* The low bits of the page are not an offset. */
	CHECK_EQ(be64_to_cpu(pci_tce_hw_entry(&g, 0x2ffc | 3, 12)),
		 0x40002000ull | 3);
	/* No access, or a page not the partition's: 0. */
	CHECK_EQ(pci_tce_hw_entry(&g, 0x2000, 12), 0);
	CHECK_EQ(pci_tce_hw_entry(&g, 0x10000000 | 3, 12), 0);
	CHECK_EQ(pci_tce_hw_entry(&g, 0xfffffffffffff003ull, 12), 0);
	CHECK_EQ(pci_tce_hw_entry(&g, 0x8000000000000003ull, 12), 0);
}

TEST(pci_scan, hardware_tces_of_large_io_pages)
{
	const struct gmem g = { .hpa = 0x40000000, .size = 0x10000000 };

	/* 64 KiB and 2 MiB IO pages: the low bits of the TCE's address are
	 * not an offset; the whole page must be the partition's. */
	CHECK_EQ(be64_to_cpu(pci_tce_hw_entry(&g, 0x12345 | 3, 16)),
		 0x40010000ull | 3);
	CHECK_EQ(be64_to_cpu(pci_tce_hw_entry(&g, 0x2ff000 | 1, 21)),
		 0x40200000ull | 1);
	CHECK_EQ(be64_to_cpu(pci_tce_hw_entry(&g, 0xfe00000 | 3, 21)),
		 0x4fe00000ull | 3);
	CHECK_EQ(pci_tce_hw_entry(&g, 0x10000000 | 3, 21), 0);
	CHECK_EQ(pci_tce_hw_entry(&g, 0xfff0000 | 3, 16) != 0, 1);
	CHECK_EQ(pci_tce_hw_entry(&g, 0x10000000 | 3, 16), 0);
}
