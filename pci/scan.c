/*
 * Functions behind a host PHB's root port, their BARs and the RTAS config
 * address checks (pci/scan.h).  Pure C: everything goes through the
 * accessors of struct pci_cfg_ops, so the host tests run it on a model of
 * config space.  Register offsets are the PCI Local Bus and PCI Express
 * specifications' type 0 and type 1 headers.
 */
#include "hv/lib/format.h"
#include "hv/lib/string.h"
#include "mm/tce.h"
#include "pci/scan.h"

#define CFG_VENDOR 0x00
#define CFG_COMMAND 0x04
#define CFG_STATUS 0x06
#define CFG_CLASS_REV 0x08
#define CFG_HEADER_TYPE 0x0e
#define CFG_BAR0 0x10
#define CFG_BUSES 0x18           /* type 1: primary, secondary, subordinate */
#define CFG_IO_BASE 0x1c         /* type 1 */
#define CFG_MEM_BASE 0x20
#define CFG_MEM_LIMIT 0x22
#define CFG_PREF_BASE 0x24
#define CFG_PREF_LIMIT 0x26
#define CFG_PREF_BASE_HI 0x28
#define CFG_PREF_LIMIT_HI 0x2c
#define CFG_IO_BASE_HI 0x30
#define CFG_SUBSYS 0x2c          /* type 0 */
#define CFG_CAP_PTR 0x34
#define CFG_INT_PIN 0x3d

#define CMD_MEMORY 0x2u
#define CMD_MASTER 0x4u
#define STATUS_CAP_LIST 0x10u
#define CAP_ID_MSI 0x05
#define CAP_ID_EXPRESS 0x10
#define CAP_ID_MSIX 0x11

#define BAR_IO 0x1u
#define BAR_TYPE_64 0x4u
#define BAR_PREFETCH 0x8u

#define MIN_BAR_ALIGN 0x1000ull  /* one 4 KiB page per BAR at least */
#define BRIDGE_WINDOW_ALIGN 0x100000ull

struct scan {
	const struct pci_cfg_ops *ops;
	struct guest_dt_phb *phb;
	uint32_t *skipped;
	char *why;
	size_t why_len;
};

static int fail(struct scan *s, const char *fmt, ...) __printf(2, 3);

static int fail(struct scan *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	hv_vsnprintf(s->why, s->why_len, fmt, ap);
	va_end(ap);
	return -1;
}

/* A read that failed reads as all ones, as an absent function does. */
static uint32_t rd(struct scan *s, uint32_t bdfn, uint32_t off, uint32_t size)
{
	uint32_t v;

	if (s->ops->read(s->ops->ctx, bdfn, off, size, &v) != 0) {
		return size == 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
	}
	return v;
}

static bool wr(struct scan *s, uint32_t bdfn, uint32_t off, uint32_t size,
	       uint32_t v)
{
	return s->ops->write(s->ops->ctx, bdfn, off, size, v) == 0;
}

/* MSI, MSI-X and PCI Express capabilities; a looping list stops at 48. */
static void read_caps(struct scan *s, uint32_t bdfn,
		      struct guest_dt_pci_func *f)
{
	uint32_t ptr, ctrl;

	if (!(rd(s, bdfn, CFG_STATUS, 2) & STATUS_CAP_LIST)) {
		return;
	}
	ptr = rd(s, bdfn, CFG_CAP_PTR, 1) & 0xfc;
	for (int n = 0; ptr >= 0x40 && ptr < 0x100 && n < 48; n++) {
		uint32_t id = rd(s, bdfn, ptr, 1);

		ctrl = rd(s, bdfn, ptr + 2, 2);
		if (id == CAP_ID_MSI) {
			f->msi = 1u << ((ctrl >> 1) & 7);
			if (f->msi > 32) {
				f->msi = 32;
			}
			f->msi_cap = ptr;
			f->msi64 = ctrl & 0x80;
		} else if (id == CAP_ID_MSIX) {
			f->msix = (ctrl & 0x7ff) + 1;
			f->msix_cap = ptr;
		} else if (id == CAP_ID_EXPRESS) {
			f->express = true;
		}
		ptr = rd(s, bdfn, ptr + 1, 1) & 0xfc;
	}
}

/* Size the memory BARs of a type 0 function, decoding off meanwhile. */
static int size_bars(struct scan *s, uint32_t bdfn,
		     struct guest_dt_pci_func *f)
{
	uint32_t cmd = rd(s, bdfn, CFG_COMMAND, 2);

	if (!wr(s, bdfn, CFG_COMMAND, 2, cmd & ~(CMD_MEMORY | 1u))) {
		return fail(s, "cannot turn decoding off in %02x:%02x.%x",
			    f->bus, f->devfn >> 3, f->devfn & 7);
	}
	for (uint32_t i = 0; i < 6; i++) {
		uint32_t off = CFG_BAR0 + 4 * i;
		uint32_t orig = rd(s, bdfn, off, 4), lo, hi = 0xffffffffu;
		uint64_t mask;
		struct guest_dt_pci_bar *b;

		wr(s, bdfn, off, 4, 0xffffffffu);
		lo = rd(s, bdfn, off, 4);
		wr(s, bdfn, off, 4, orig);
		if (lo == 0 || lo == 0xffffffffu) {
			continue; /* not implemented */
		}
		if (lo & BAR_IO) {
			(*s->skipped)++; /* PHB4 has no I/O space */
			continue;
		}
		if ((lo & 6) == BAR_TYPE_64) {
			uint32_t orig_hi;

			if (i == 5) {
				return fail(s, "%02x:%02x.%x: a 64-bit BAR in "
					    "the last slot", f->bus,
					    f->devfn >> 3, f->devfn & 7);
			}
			orig_hi = rd(s, bdfn, off + 4, 4);
			wr(s, bdfn, off + 4, 4, 0xffffffffu);
			hi = rd(s, bdfn, off + 4, 4);
			wr(s, bdfn, off + 4, 4, orig_hi);
		}
		mask = ((uint64_t)hi << 32) | (lo & ~0xfu);
		b = &f->bars[f->bar_count++];
		b->reg = off;
		b->size = ~mask + 1;
		b->flags = ((lo & 6) == BAR_TYPE_64 ? GUEST_DT_PCI_BAR_MEM64 : 0) |
			   (lo & BAR_PREFETCH ? GUEST_DT_PCI_BAR_PREFETCH : 0);
		if (b->size == 0 || (b->size & (b->size - 1))) {
			return fail(s, "%02x:%02x.%x: BAR at 0x%x reads back "
				    "0x%llx, not a size", f->bus,
				    f->devfn >> 3, f->devfn & 7, off,
				    (unsigned long long)mask);
		}
		if (b->flags & GUEST_DT_PCI_BAR_MEM64) {
			i++;
		}
	}
	return 0;
}

static int add_func(struct scan *s, uint32_t bus, uint32_t devfn,
		    uint32_t id)
{
	struct guest_dt_phb *phb = s->phb;
	uint32_t bdfn = PCI_BDFN(bus, devfn), v;
	struct guest_dt_pci_func *f;

	if ((rd(s, bdfn, CFG_HEADER_TYPE, 1) & 0x7f) != 0) {
		(*s->skipped)++; /* a bridge or CardBus: not given yet */
		return 0;
	}
	if (phb->func_count == GUEST_DT_PCI_FUNCS) {
		return fail(s, "more than %d functions", GUEST_DT_PCI_FUNCS);
	}
	f = &phb->funcs[phb->func_count++];
	memset(f, 0, sizeof(*f));
	f->bus = bus;
	f->devfn = devfn;
	f->vendor = id & 0xffff;
	f->device = id >> 16;
	v = rd(s, bdfn, CFG_CLASS_REV, 4);
	f->revision = v & 0xff;
	f->class_code = v >> 8;
	v = rd(s, bdfn, CFG_SUBSYS, 4);
	f->subsys_vendor = v & 0xffff;
	f->subsys_id = v >> 16;
	f->irq_pin = rd(s, bdfn, CFG_INT_PIN, 1);
	if (f->irq_pin > 4) {
		f->irq_pin = 0;
	}
	read_caps(s, bdfn, f);
	return size_bars(s, bdfn, f);
}

static int scan_bus(struct scan *s, uint32_t bus)
{
	for (uint32_t dev = 0; dev < 32; dev++) {
		uint32_t fns = 1;

		for (uint32_t fn = 0; fn < fns; fn++) {
			uint32_t devfn = dev << 3 | fn;
			uint32_t id = rd(s, PCI_BDFN(bus, devfn), CFG_VENDOR, 4);

			if ((id & 0xffff) == 0xffff || (id & 0xffff) == 0) {
				continue;
			}
			if (fn == 0 && (rd(s, PCI_BDFN(bus, devfn),
					   CFG_HEADER_TYPE, 1) & 0x80)) {
				fns = 8;
			}
			if (add_func(s, bus, devfn, id)) {
				return -1;
			}
		}
	}
	return 0;
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

/* Largest first, each naturally aligned: no space is lost to alignment
 * between powers of two given in decreasing order. */
static int assign(struct scan *s, uint64_t *lo, uint64_t *hi)
{
	struct guest_dt_phb *phb = s->phb;
	uint64_t next = phb->m32_pci, end = phb->m32_pci + phb->m32_size;

	*lo = end;
	*hi = phb->m32_pci;
	for (;;) {
		struct guest_dt_pci_bar *best = NULL;
		struct guest_dt_pci_func *bf = NULL;
		uint64_t align, base;

		for (uint32_t i = 0; i < phb->func_count; i++) {
			struct guest_dt_pci_func *f = &phb->funcs[i];

			for (uint32_t j = 0; j < f->bar_count; j++) {
				struct guest_dt_pci_bar *b = &f->bars[j];

				if (!b->pci_addr &&
				    (!best || b->size > best->size)) {
					best = b;
					bf = f;
				}
			}
		}
		if (!best) {
			return 0;
		}
		align = best->size < MIN_BAR_ALIGN ? MIN_BAR_ALIGN : best->size;
		base = align_up(next, align);
		if (base < next || base > end || best->size > end - base) {
			return fail(s, "the BARs need more than the 0x%llx "
				    "bytes of the 32-bit window",
				    (unsigned long long)phb->m32_size);
		}
		best->pci_addr = base;
		next = base + (best->size < MIN_BAR_ALIGN ? MIN_BAR_ALIGN :
							  best->size);
		*lo = base < *lo ? base : *lo;
		*hi = next > *hi ? next : *hi;
		wr(s, PCI_BDFN(bf->bus, bf->devfn), best->reg, 4,
		   (uint32_t)base);
		if (best->flags & GUEST_DT_PCI_BAR_MEM64) {
			wr(s, PCI_BDFN(bf->bus, bf->devfn), best->reg + 4, 4,
			   (uint32_t)(base >> 32));
		}
	}
}

int pci_scan_assign(const struct pci_cfg_ops *ops, struct guest_dt_phb *phb,
		    uint32_t *skipped, char *why, size_t why_len)
{
	struct scan s = { ops, phb, skipped, why, why_len };
	uint32_t buses, sec, sub, cmd;
	uint64_t lo, hi;

	*skipped = 0;
	phb->func_count = 0;
	if ((rd(&s, 0, CFG_VENDOR, 2)) == 0xffff ||
	    (rd(&s, 0, CFG_HEADER_TYPE, 1) & 0x7f) != 1) {
		return fail(&s, "no root port at 00:00.0");
	}
	buses = rd(&s, 0, CFG_BUSES, 4);
	sec = (buses >> 8) & 0xff;
	sub = (buses >> 16) & 0xff;
	if (sec == 0 || sub < sec) {
		return fail(&s, "the root port's buses are not numbered "
			    "(secondary %u, subordinate %u)", sec, sub);
	}
	phb->bus_first = sec;
	phb->bus_last = sub;
	if (phb->m32_size == 0 || phb->m32_pci == 0 ||
	    (phb->m32_pci & (MIN_BAR_ALIGN - 1))) {
		return fail(&s, "no usable 32-bit MMIO window");
	}
	if (scan_bus(&s, sec) || assign(&s, &lo, &hi)) {
		return -1;
	}
	/* I/O and prefetchable windows closed (base above limit). */
	wr(&s, 0, CFG_IO_BASE, 2, 0x00f0);
	wr(&s, 0, CFG_IO_BASE_HI, 4, 0);
	wr(&s, 0, CFG_PREF_BASE, 2, 0xfff0);
	wr(&s, 0, CFG_PREF_LIMIT, 2, 0);
	wr(&s, 0, CFG_PREF_BASE_HI, 4, 0);
	wr(&s, 0, CFG_PREF_LIMIT_HI, 4, 0);
	if (hi > lo) {
		lo &= ~(BRIDGE_WINDOW_ALIGN - 1);
		hi = align_up(hi, BRIDGE_WINDOW_ALIGN) - 1;
		wr(&s, 0, CFG_MEM_BASE, 2, (uint32_t)(lo >> 16) & 0xfff0);
		wr(&s, 0, CFG_MEM_LIMIT, 2, (uint32_t)(hi >> 16) & 0xfff0);
	} else {
		wr(&s, 0, CFG_MEM_BASE, 2, 0xfff0);
		wr(&s, 0, CFG_MEM_LIMIT, 2, 0);
	}
	cmd = rd(&s, 0, CFG_COMMAND, 2);
	if (!wr(&s, 0, CFG_COMMAND, 2, cmd | CMD_MEMORY | CMD_MASTER)) {
		return fail(&s, "cannot enable the root port");
	}
	return 0;
}

const struct guest_dt_pci_func *pci_cfg_decode(const struct guest_dt_phb *phb,
					       uint32_t addr, uint32_t size,
					       struct pci_cfg_access *out)
{
	const struct guest_dt_pci_func *f = NULL;

	out->bus = (addr >> 16) & 0xff;
	out->devfn = (addr >> 8) & 0xff;
	out->reg = ((addr >> 20) & 0xf00) | (addr & 0xff);
	out->size = size;
	if (size != 1 && size != 2 && size != 4) {
		return NULL;
	}
	for (uint32_t i = 0; i < phb->func_count && i < GUEST_DT_PCI_FUNCS;
	     i++) {
		if (phb->funcs[i].bus == out->bus &&
		    phb->funcs[i].devfn == out->devfn) {
			f = &phb->funcs[i];
		}
	}
	if (!f || out->reg % size ||
	    out->reg + size > (f->express ? 0x1000u : 0x100u)) {
		return NULL;
	}
	return f;
}

uint32_t pci_pe_bus_blocks(uint32_t first, uint32_t last,
			   uint32_t bus[PCI_PE_BLOCKS_MAX],
			   uint32_t bits[PCI_PE_BLOCKS_MAX])
{
	uint32_t n = 0, b = first;

	if (first > last || last > 0xff) {
		return 0;
	}
	while (b <= last && n < PCI_PE_BLOCKS_MAX) {
		uint32_t size = 32;

		/* The largest aligned block at b that stays inside. */
		while (size > 1 && ((b & (size - 1)) || b + size - 1 > last)) {
			size >>= 1;
		}
		bus[n] = b;
		bits[n] = 8 - (size == 32 ? 5 : size == 16 ? 4 : size == 8 ? 3 :
			       size == 4 ? 2 : size == 2 ? 1 : 0);
		n++;
		b += size;
	}
	return n;
}

be64 pci_tce_hw_entry(const struct gmem *g, uint64_t tce, uint32_t shift)
{
	uint64_t size = 1ull << shift;
	uint64_t gpa = tce & ~(size - 1);

	if (!(tce & TCE_RW) || !gmem_owns(g, gpa, size)) {
		return 0;
	}
	/* The device may read or write it: cleared first (mm/lazy.h). */
	gmem_touch(g, gpa, size);
	return cpu_to_be64((g->hpa + gpa) | (tce & TCE_RW));
}
