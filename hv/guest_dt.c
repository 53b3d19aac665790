/*
 * The guest device tree: what a partition's pSeries guest is entered with.
 * Matches QEMU 7.2 `-M pseries` (hw/ppc/spapr.c spapr_build_fdt and
 * spapr_dt_cpu, spapr_rtas.c, spapr_numa.c, xics_spapr.c, spapr_vio.c,
 * spapr_vty.c) as a Linux 6.1 guest sees it after CAS, for a guest entered
 * directly with the tree (papr-guest-reference.md §1.4, §1.7, §2, App. A).
 *
 * Intended differences from QEMU's tree for the same options (the golden
 * test in tests/unit/guest_dt_test.c checks this list against a tree
 * dumped by QEMU 7.2, node by node and property by property):
 *
 * 1. Post-CAS values, because nobody runs CAS on the direct-entry path:
 *    /chosen/ibm,architecture-vec-5 holds what QEMU grants a Linux 6.1
 *    guest (radix+XICS: 27 bytes, byte 23 = 0x00, 24 = 0x40, 26 = 0x40);
 *    cpu-version is the logical PVR of the host family (0x0f000004/5/6)
 *    instead of the raw PVR; NUMA properties are FORM2 (the FORM2 bit is
 *    granted) instead of the reset tree's FORM1.
 * 2. Direct entry needs what prom_init would have added: /rtas
 *    linux,rtas-base and linux,rtas-entry, and memreserve entries for the
 *    RTAS blob and the tree itself (QEMU's reset tree reserves only the
 *    kernel and the initrd; we reserve those too).
 * 3. Devices and features lparvisor does not model are absent: the PHB
 *    and every ibm,drc-* property (DLPAR), ibm,persistent-memory, nvram,
 *    qemu,graphic-* (SLOF/VOF only),
 *    /rtas qemu,hypertas-functions (SLOF's H_LOGICAL_MEMOP),
 *    ibm,my-drc-index.  /event-sources and /ibm,platform-facilities
 *    (QEMU's -device spapr-rng) only when asked for.
 * 4. Root model is "IBM pSeries (emulated by lparvisor)": only printed
 *    (/proc/cpuinfo, lparcfg).  compatible stays "qemu,pseries", which
 *    lscpu, lshw and virt detection key on.  ibm,partition-no is added
 *    (PAPR; read by lparcfg).
 * 5. The RTAS token list, the hypertas list and rng-seed are inputs: the
 *    tree states what lparvisor implements.  /rtas ibm,extended-os-term
 *    and ibm,change-msix-capable follow the ibm,os-term and ibm,change-msi
 *    tokens they qualify.
 */
#include <libfdt.h>

#include "hv/abi/rtas.h"
#include "hv/lib/format.h"
#include "hv/lib/string.h"
#include "hv/lib/types.h"
#include "hv/guest_dt.h"

/* Logical PVRs (PAPR "architected" processor compatibility levels). */
#define PVR_LOGICAL_2_07 0x0f000004u
#define PVR_LOGICAL_3_00 0x0f000005u
#define PVR_LOGICAL_3_1 0x0f000006u

/* QEMU's default clock-frequency under TCG. */
#define DEFAULT_CPU_FREQ 1000000000ull
/* The RMA is capped at 1 TiB (QEMU spapr_rma_size: VRMA SLB mapping). */
#define RMA_MAX (1ull << 40)
/* RTAS runs in 32-bit real mode: blob and data area below 4 GiB. */
#define RTAS_LIMIT (1ull << 32)
/* LMB size in ibm,lrdr-capacity (QEMU SPAPR_MEMORY_BLOCK_SIZE). */
#define LMB_SIZE SZ_256M

/* ibm,architecture-vec-5: option bytes 1..26 after the length byte. */
#define OV5_BYTES 27
#define OV5_DRCONF_MEMORY 0x20 /* byte 2 */
#define OV5_FORM1_FORM2 0xa0   /* byte 5: FORM1 | FORM2 affinity */
#define OV5_HP_EVT_HPT_RS 0x05 /* byte 6: hotplug events, HPT resize */
#define OV5_DRMEM_V2 0x80      /* byte 22 */
#define OV5_XIVE_EXPLOIT 0x40  /* byte 23; 0x00 is XICS */
#define OV5_XIVE_EITHER 0x80   /* byte 23 of the platform's offer: both */
#define OV5_MMU_RADIX 0x40     /* byte 24; 0x00 is hash */
#define OV5_RADIX_GTSE 0x40    /* byte 26: the guest may use tlbie */

/*
 * Per-family CPU node values: architecture facts, copied from the trees
 * QEMU 7.2 builds for -cpu power8/power9/power10 under TCG (spapr_dt_cpu).
 */
struct cpu_family {
	uint16_t pvr_version;  /* PVR bits 0:15 */
	const char *node_name; /* node name before "@id" */
	uint32_t logical_pvr;  /* cpu-version after CAS */
	const uint8_t *pa_features;
	size_t pa_features_len;
	bool radix;            /* ibm,processor-radix-AP-encodings */
	uint32_t dec_bits;     /* ibm,dec-bits; 0: 32-bit decrementer */
};

/*
 * ibm,pa-features for ISA 2.07: header (length, type 0), then feature
 * bytes: 0-5 MMU, FPU, SLB, run latch, DABR, NX, fri*, DABRX, SPRG3,
 * SLB0, PP110, CI large pages (QEMU sets 0x20 in byte 1), VPM, DS-2.05,
 * PPR, DS-2.02, DS-2.06, LSD, URG, LE, CFAR, EB, LSQ; 6 DS-2.07;
 * 16 vector, 18 VSX, 20 vector XOR (22 HTM stays clear: no HTM).
 */
static const uint8_t pa_features_207[] = {
	24, 0,
	0xf6, 0x3f, 0xc7, 0xc0, 0x80, 0xf0,
	0x80, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x80, 0x00,
	0x80, 0x00, 0x80, 0x00, 0x00, 0x00,
};

/*
 * ibm,pa-features for ISA 3.00 (QEMU 7.2 uses it for POWER10 too): the
 * 2.07 bytes, then 24 large decrementer, 26 64-bit features, 28 PM, 30
 * MMR, 32 LE atomics, 34 EBB + extended EBB, 36 SPR SO, 38 copy/paste,
 * 40 radix MMU, 42 PM, 44 PC RA, 46 SC vectored, 48 SIMD, 50 QP BFP,
 * 52 string, 54 DFP, 56 DecI, 58 SHA, 60 NM atomics (62 RNG clear).
 */
static const uint8_t pa_features_300[] = {
	66, 0,
	0xf6, 0x3f, 0xc7, 0xc0, 0x80, 0xf0, /* 0 - 5 */
	0x80, 0x00, 0x00, 0x00, 0x00, 0x00, /* 6 - 11 */
	0x00, 0x00, 0x00, 0x00, 0x80, 0x00, /* 12 - 17 */
	0x80, 0x00, 0x80, 0x00, 0x00, 0x00, /* 18 - 23 */
	0x80, 0x00, 0x80, 0x00, 0x80, 0x00, /* 24 - 29 */
	0x80, 0x00, 0x80, 0x00, 0xc0, 0x00, /* 30 - 35 */
	0x80, 0x00, 0x80, 0x00, 0x80, 0x00, /* 36 - 41 */
	0x80, 0x00, 0x80, 0x00, 0x80, 0x00, /* 42 - 47 */
	0x80, 0x00, 0x80, 0x00, 0x80, 0x00, /* 48 - 53 */
	0x80, 0x00, 0x80, 0x00, 0x80, 0x00, /* 54 - 59 */
	0x80, 0x00, 0x80, 0x00, 0x00, 0x00, /* 60 - 65 */
};

static const struct cpu_family cpu_families[] = {
	{ 0x004b, "PowerPC,POWER8", PVR_LOGICAL_2_07, pa_features_207,
	  sizeof(pa_features_207), false, 0 }, /* POWER8E */
	{ 0x004c, "PowerPC,POWER8", PVR_LOGICAL_2_07, pa_features_207,
	  sizeof(pa_features_207), false, 0 }, /* POWER8NVL */
	{ 0x004d, "PowerPC,POWER8", PVR_LOGICAL_2_07, pa_features_207,
	  sizeof(pa_features_207), false, 0 },
	{ 0x004e, "PowerPC,POWER9", PVR_LOGICAL_3_00, pa_features_300,
	  sizeof(pa_features_300), true, 56 },
	{ 0x0080, "PowerPC,POWER10", PVR_LOGICAL_3_1, pa_features_300,
	  sizeof(pa_features_300), true, 56 },
};

/*
 * Hash page sizes, limited to 4K and 64K by QEMU's default
 * cap-hpt-max-page-size: groups of (base shift, SLB encoding, count,
 * count x (actual shift, PTE encoding)).
 */
static const uint32_t segment_page_sizes[] = {
	12, 0x000, 1, 12, 0,
	16, 0x110, 1, 16, 1,
};

/* Radix page sizes: AP in the top 3 bits, shift below; 4K 64K 2M 1G. */
static const uint32_t radix_ap_encodings[] = {
	0x0000000c, 0xa0000010, 0x20000015, 0x4000001e,
};

/* 256 MiB and 1 TiB segments. */
static const uint32_t segment_sizes[] = { 28, 40, 0xffffffff, 0xffffffff };

/*
 * Properties of /rtas that lparvisor writes itself; an RTAS token may not
 * take one of these names (nor a name Open Firmware reserves).
 */
static const char *const rtas_fixed_props[] = {
	"name", "phandle", "linux,phandle",
	"ibm,hypertas-functions", "rtas-size", "rtas-error-log-max",
	"rtas-event-scan-rate", "ibm,extended-os-term",
	"ibm,change-msix-capable", "ibm,lrdr-capacity",
	"ibm,associativity-reference-points", "ibm,max-associativity-domains",
	"ibm,numa-lookup-index-table", "ibm,numa-distance-table",
	"linux,rtas-base", "linux,rtas-entry",
};

/* A tree being written: libfdt's first error sticks and ends the work. */
struct dtw {
	void *fdt;
	int err;
};

static void dtw_begin(struct dtw *w, const char *name)
{
	if (!w->err) {
		w->err = fdt_begin_node(w->fdt, name);
	}
}

static void dtw_end(struct dtw *w)
{
	if (!w->err) {
		w->err = fdt_end_node(w->fdt);
	}
}

static void dtw_prop(struct dtw *w, const char *name, const void *val,
		     size_t len)
{
	if (!w->err) {
		w->err = fdt_property(w->fdt, name, val, (int)len);
	}
}

static void dtw_empty(struct dtw *w, const char *name)
{
	dtw_prop(w, name, NULL, 0);
}

static void dtw_str(struct dtw *w, const char *name, const char *s)
{
	dtw_prop(w, name, s, strlen(s) + 1);
}

/* A property of `n` 32-bit cells, stored big-endian. */
static void dtw_cells(struct dtw *w, const char *name, const uint32_t *cells,
		      size_t n)
{
	void *val;

	if (w->err) {
		return;
	}
	w->err = fdt_property_placeholder(w->fdt, name, (int)(n * 4), &val);
	for (size_t i = 0; !w->err && i < n; i++) {
		put_be32((uint8_t *)val + 4 * i, cells[i]);
	}
}

static void dtw_u32(struct dtw *w, const char *name, uint32_t v)
{
	dtw_cells(w, name, &v, 1);
}

/* One cell when the value fits, as QEMU writes them, else two. */
static void dtw_num(struct dtw *w, const char *name, uint64_t v)
{
	uint32_t cells[2] = { (uint32_t)(v >> 32), (uint32_t)v };

	if (v <= UINT32_MAX) {
		dtw_u32(w, name, (uint32_t)v);
	} else {
		dtw_cells(w, name, cells, 2);
	}
}

static const struct cpu_family *cpu_family_of(uint32_t pvr)
{
	for (size_t i = 0; i < ARRAY_SIZE(cpu_families); i++) {
		if (cpu_families[i].pvr_version == (pvr >> 16)) {
			return &cpu_families[i];
		}
	}
	return NULL;
}

/* The logical PVR of a compatibility mode (0: none asked). */
static uint32_t compat_logical_pvr(enum config_compat c)
{
	switch (c) {
	case CONFIG_COMPAT_POWER8:
		return PVR_LOGICAL_2_07;
	case CONFIG_COMPAT_POWER9:
		return PVR_LOGICAL_3_00;
	case CONFIG_COMPAT_POWER10:
		return PVR_LOGICAL_3_1;
	default:
		return 0;
	}
}

bool guest_dt_compat_ok(uint32_t host_pvr, enum config_compat c)
{
	const struct cpu_family *f = cpu_family_of(host_pvr);
	uint32_t want = compat_logical_pvr(c);

	if (!want) {
		return c == CONFIG_COMPAT_NONE;
	}
	/* Logical PVRs grow with the architecture: 2.07 < 3.00 < 3.1. */
	return f && want <= f->logical_pvr;
}

/*
 * The processor the guest sees: the host's family, or in a compatibility
 * mode the architected one's cpu-version, ibm,pa-features, radix page
 * sizes and decrementer width (as QEMU 7.2 under max-cpu-compat), with
 * the host's node name.  False when the host is unknown or older.
 */
static bool guest_family(const struct guest_dt_params *p,
			 struct cpu_family *out)
{
	const struct cpu_family *f = cpu_family_of(p->pvr);
	uint32_t want = compat_logical_pvr(p->compat);

	if (!f || !guest_dt_compat_ok(p->pvr, p->compat)) {
		return false;
	}
	*out = *f;
	for (size_t i = 0; want && i < ARRAY_SIZE(cpu_families); i++) {
		if (cpu_families[i].logical_pvr == want) {
			*out = cpu_families[i];
			out->node_name = f->node_name;
			break;
		}
	}
	return true;
}

static const struct guest_dt_rtas_token *
find_token(const struct guest_dt_params *p, const char *name)
{
	for (uint32_t i = 0; i < p->rtas_token_count; i++) {
		if (!strcmp(p->rtas_tokens[i].name, name)) {
			return &p->rtas_tokens[i];
		}
	}
	return NULL;
}

static uint64_t pow2_floor(uint64_t x)
{
	return 1ull << (63 - __builtin_clzll(x));
}

/* log2 of the smallest power of two >= x (x > 0). */
static unsigned int log2_ceil(uint64_t x)
{
	unsigned int s = 63 - __builtin_clzll(x);

	return (x & (x - 1)) ? s + 1 : s;
}

_Static_assert(GUEST_DT_RTAS_BLOB_SIZE <= GUEST_DT_RTAS_MIN_SIZE +
		       GUEST_DT_RTAS_ERROR_LOG_MAX + 8,
	       "the RTAS code and clock fit the smallest rtas-size");

uint64_t guest_dt_rtas_size(uint32_t vcpus)
{
	return GUEST_DT_RTAS_MIN_SIZE + GUEST_DT_RTAS_ERROR_LOG_MAX +
	       (uint64_t)vcpus * 2 * sizeof(uint64_t) + sizeof(uint64_t);
}

/* --- Parameter checks ------------------------------------------------ */

/* A range [base, end) inside guest memory; base == end means none. */
static bool range_ok(const struct guest_dt_params *p, uint64_t base,
		     uint64_t end)
{
	return base <= end && end <= p->mem_size;
}

/* Property-name characters of the Devicetree specification. */
static bool prop_name_ok(const char *s)
{
	if (!s || !*s) {
		return false;
	}
	for (; *s; s++) {
		char c = *s;

		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
		      (c >= 'A' && c <= 'Z') || strchr(",._+?#-", c))) {
			return false;
		}
	}
	return true;
}

static bool tokens_ok(const struct guest_dt_params *p)
{
	if (p->rtas_token_count && !p->rtas_tokens) {
		return false;
	}
	for (uint32_t i = 0; i < p->rtas_token_count; i++) {
		const char *name = p->rtas_tokens[i].name;

		if (!prop_name_ok(name)) {
			return false;
		}
		for (size_t j = 0; j < ARRAY_SIZE(rtas_fixed_props); j++) {
			if (!strcmp(name, rtas_fixed_props[j])) {
				return false;
			}
		}
		for (uint32_t j = 0; j < i; j++) {
			if (!strcmp(name, p->rtas_tokens[j].name)) {
				return false;
			}
		}
	}
	return true;
}

/* NUL-terminated, printable, non-empty names: "hcall-pft\0hcall-term\0". */
static bool hypertas_ok(const char *s, size_t len)
{
	if (!s || len < 2 || s[len - 1] != '\0' || s[0] == '\0') {
		return false;
	}
	for (size_t i = 0; i + 1 < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\0' ? s[i + 1] == '\0' : (c < 0x20 || c > 0x7e)) {
			return false;
		}
	}
	return true;
}

/* RTAS, kernel and initrd: inside memory and disjoint. */
static bool ranges_ok(const struct guest_dt_params *p)
{
	uint64_t rtas_end = p->rtas_base + p->rtas_size;

	if (p->rtas_size < GUEST_DT_RTAS_BLOB_SIZE ||
	    range_wraps(p->rtas_base, p->rtas_size) ||
	    !range_ok(p, p->rtas_base, rtas_end) || rtas_end > RTAS_LIMIT) {
		return false;
	}
	if (!range_ok(p, p->kernel_base, p->kernel_end) ||
	    !range_ok(p, p->initrd_start, p->initrd_end)) {
		return false;
	}
	if (ranges_overlap(p->rtas_base, p->rtas_size, p->kernel_base,
			   p->kernel_end - p->kernel_base) ||
	    ranges_overlap(p->rtas_base, p->rtas_size, p->initrd_start,
			   p->initrd_end - p->initrd_start) ||
	    ranges_overlap(p->kernel_base, p->kernel_end - p->kernel_base,
			   p->initrd_start, p->initrd_end - p->initrd_start)) {
		return false;
	}
	return p->fdt_addr < p->mem_size;
}

/* VIO nodes: named, at most GUEST_DT_VIO_MAX, units distinct. */
static bool vio_ok(const struct guest_dt_params *p)
{
	if (p->vio_count > GUEST_DT_VIO_MAX) {
		return false;
	}
	for (uint32_t i = 0; i < p->vio_count; i++) {
		const struct guest_dt_vio *v = &p->vio[i];

		if (!v->name || !*v->name || v->reg == p->vty_reg ||
		    (v->dma_window & 0xfff)) {
			return false;
		}
		for (uint32_t j = 0; j < i; j++) {
			if (p->vio[j].reg == v->reg) {
				return false;
			}
		}
	}
	return true;
}

/* PHBs: at most GUEST_DT_PHB_MAX with distinct BUIDs, functions within
 * their arrays and buses, BARs of non-zero power-of-two sizes. */
static bool phbs_ok(const struct guest_dt_params *p)
{
	if (p->phb_count > GUEST_DT_PHB_MAX || (p->phb_count && !p->phbs)) {
		return false;
	}
	for (uint32_t i = 0; i < p->phb_count; i++) {
		const struct guest_dt_phb *h = &p->phbs[i];

		if (h->func_count > GUEST_DT_PCI_FUNCS ||
		    h->bus_first > h->bus_last || h->bus_last > 0xff) {
			return false;
		}
		for (uint32_t j = 0; j < i; j++) {
			if (p->phbs[j].buid == h->buid) {
				return false;
			}
		}
		for (uint32_t j = 0; j < h->func_count; j++) {
			const struct guest_dt_pci_func *f = &h->funcs[j];

			if (f->bus < h->bus_first || f->bus > h->bus_last ||
			    f->devfn > 0xff || f->bar_count > GUEST_DT_PCI_BARS) {
				return false;
			}
			for (uint32_t k = 0; k < f->bar_count; k++) {
				uint64_t sz = f->bars[k].size;

				if (!sz || (sz & (sz - 1)) ||
				    f->bars[k].reg < 0x10 ||
				    f->bars[k].reg > 0x24) {
					return false;
				}
			}
		}
	}
	return true;
}

static bool params_ok(const struct guest_dt_params *p)
{
	struct cpu_family fam;
	const struct cpu_family *f = &fam;

	if (!p->vcpus || !guest_family(p, &fam) || !p->tb_freq ||
	    !p->mem_size) {
		return false;
	}
	if (p->mmu != CONFIG_MMU_HASH &&
	    (p->mmu != CONFIG_MMU_RADIX || !f->radix)) {
		return false; /* POWER8 (or its mode) has no radix MMU */
	}
	if (p->intc != CONFIG_INTC_XICS && p->intc != CONFIG_INTC_XIVE) {
		return false;
	}
	if (!hypertas_ok(p->hypertas, p->hypertas_len) || !tokens_ok(p)) {
		return false;
	}
	if (p->rng_seed_len && !p->rng_seed) {
		return false;
	}
	if (!vio_ok(p) || !phbs_ok(p)) {
		return false;
	}
	/* Linux answers event-source interrupts with check-exception. */
	if (p->event_sources && !find_token(p, "check-exception")) {
		return false;
	}
	return ranges_ok(p);
}

/* --- Nodes ------------------------------------------------------------ */

static void dt_root_props(struct dtw *w, const struct guest_dt_params *p)
{
	dtw_str(w, "device_type", "chrp");
	dtw_str(w, "model", "IBM pSeries (emulated by lparvisor)");
	dtw_str(w, "compatible", "qemu,pseries");
	if (p->uuid) {
		dtw_str(w, "vm,uuid", p->uuid);
		dtw_str(w, "system-id", p->uuid);
	} else {
		dtw_str(w, "vm,uuid", "00000000-0000-0000-0000-000000000000");
	}
	if (p->name) {
		dtw_str(w, "ibm,partition-name", p->name);
	}
	dtw_u32(w, "ibm,partition-no", p->lpid);
	dtw_u32(w, "#address-cells", 2);
	dtw_u32(w, "#size-cells", 2);
	if (p->intc == CONFIG_INTC_XIVE) {
		/* Priority 7 (and anything above) is the hypervisor's. */
		const uint32_t res[] = { 7, 0xf8 };

		dtw_cells(w, "ibm,plat-res-int-priorities", res, 2);
	}
}

/*
 * The CAS result, as QEMU 7.2 computes it for what Linux 6.1 asks: the
 * intersection leaves DRCONF_MEMORY, FORM1+FORM2, HP_EVT+HPT resize and
 * DRMEM_V2, plus the interrupt and MMU modes.  Trailing zero bytes are
 * dropped and byte 0 is (option byte count - 1), as spapr_ovec does.
 */
static void dt_arch_vec5(struct dtw *w, const struct guest_dt_params *p)
{
	uint8_t v[OV5_BYTES] = { 0 };
	size_t last = 1;

	v[2] = OV5_DRCONF_MEMORY;
	v[5] = OV5_FORM1_FORM2;
	v[6] = OV5_HP_EVT_HPT_RS;
	v[22] = OV5_DRMEM_V2;
	v[23] = p->intc == CONFIG_INTC_XIVE ? OV5_XIVE_EXPLOIT : 0;
	if (p->mmu == CONFIG_MMU_RADIX) {
		v[24] = OV5_MMU_RADIX;
		v[26] = OV5_RADIX_GTSE;
	}
	for (size_t i = 1; i < OV5_BYTES; i++) {
		if (v[i]) {
			last = i;
		}
	}
	v[0] = (uint8_t)(last - 1);
	dtw_prop(w, "ibm,architecture-vec-5", v, last + 1);
}

/*
 * What the platform allows, as (byte, value) pairs for prom_init (unused
 * on direct entry; read through firmware = "vof"): one interrupt mode, or
 * both for a dual partition's firmware, and one MMU, like QEMU under KVM
 * with one MMU mode; radix GTSE is offered.
 */
static void dt_arch_vec5_support(struct dtw *w, const struct guest_dt_params *p)
{
	uint8_t v[8] = { 23, 0x00, 24, 0x00, 25, 0x00, 26, OV5_RADIX_GTSE };

	v[1] = p->intc == CONFIG_INTC_XIVE ? OV5_XIVE_EXPLOIT : 0;
	if (p->intc_either) {
		v[1] = OV5_XIVE_EITHER;
	}
	v[3] = p->mmu == CONFIG_MMU_RADIX ? OV5_MMU_RADIX : 0;
	dtw_prop(w, "ibm,arch-vec-5-platform-support", v, sizeof(v));
}

static void dt_chosen(struct dtw *w, const struct guest_dt_params *p)
{
	char path[40];

	hv_snprintf(path, sizeof(path), "/vdevice/vty@%x", p->vty_reg);
	dtw_begin(w, "chosen");
	if (p->cas_answer) {
		/* What the client may have changed stays the client's. */
		dtw_u32(w, "linux,pci-probe-only", 0);
		dt_arch_vec5_support(w, p);
		dt_arch_vec5(w, p);
		dtw_end(w);
		return;
	}
	if (p->bootargs && p->bootargs[0]) {
		dtw_str(w, "bootargs", p->bootargs);
	}
	if (p->initrd_end != p->initrd_start) {
		dtw_num(w, "linux,initrd-start", p->initrd_start);
		dtw_num(w, "linux,initrd-end", p->initrd_end);
	}
	/* Where the kernel was loaded (QEMU spapr_dt_chosen: two be64s). */
	if (p->boot_kernel_size) {
		uint8_t k[16];

		for (int i = 0; i < 8; i++) {
			k[i] = (uint8_t)(p->boot_kernel_addr >> (56 - 8 * i));
			k[8 + i] = (uint8_t)(p->boot_kernel_size >> (56 - 8 * i));
		}
		dtw_prop(w, "qemu,boot-kernel", k, sizeof(k));
		if (p->boot_kernel_le) {
			dtw_prop(w, "qemu,boot-kernel-le", NULL, 0);
		}
	}
	/* Linux's early console (udbg on hvterm) reads linux,stdout-path. */
	dtw_str(w, "linux,stdout-path", path);
	dtw_str(w, "stdout-path", path);
	dtw_u32(w, "linux,pci-probe-only", 0);
	dt_arch_vec5_support(w, p);
	if (p->rng_seed_len) {
		dtw_prop(w, "rng-seed", p->rng_seed, p->rng_seed_len);
	}
	dt_arch_vec5(w, p);
	dtw_end(w);
}

/* FORM2 NUMA with one domain, as QEMU writes it once FORM2 is granted. */
static void dt_rtas_numa(struct dtw *w)
{
	static const uint32_t max_domains[] = { 1, 1 };
	static const uint32_t lookup_index[] = { 1, 0 };
	/* One entry: count (be32 1), then distance 10 (local). */
	static const uint8_t distances[] = { 0, 0, 0, 1, 10 };

	dtw_u32(w, "ibm,associativity-reference-points", 1);
	dtw_cells(w, "ibm,max-associativity-domains", max_domains, 2);
	dtw_cells(w, "ibm,numa-lookup-index-table", lookup_index, 2);
	dtw_prop(w, "ibm,numa-distance-table", distances, sizeof(distances));
}

static void dt_rtas(struct dtw *w, const struct guest_dt_params *p)
{
	/* No hot-pluggable memory: maximum address 0, as QEMU writes it. */
	const uint32_t lrdr[] = { 0, 0, (uint32_t)(LMB_SIZE >> 32),
				  (uint32_t)LMB_SIZE, p->vcpus };

	dtw_begin(w, "rtas");
	dtw_prop(w, "ibm,hypertas-functions", p->hypertas, p->hypertas_len);
	dt_rtas_numa(w);
	dtw_num(w, "rtas-size", p->rtas_size);
	dtw_u32(w, "rtas-error-log-max", GUEST_DT_RTAS_ERROR_LOG_MAX);
	dtw_u32(w, "rtas-event-scan-rate", 1);
	if (find_token(p, "ibm,change-msi")) {
		dtw_empty(w, "ibm,change-msix-capable");
	}
	/* ibm,os-term returns to the OS instead of ending the partition. */
	if (find_token(p, "ibm,os-term")) {
		dtw_empty(w, "ibm,extended-os-term");
	}
	dtw_cells(w, "ibm,lrdr-capacity", lrdr, ARRAY_SIZE(lrdr));
	for (uint32_t i = 0; i < p->rtas_token_count; i++) {
		dtw_u32(w, p->rtas_tokens[i].name, p->rtas_tokens[i].token);
	}
	/* What prom_init's instantiate-rtas would have recorded (with SLOF,
	 * prom_init records it: SLOF's RTAS is elsewhere). */
	if (!p->qemu_reserves) {
		dtw_u32(w, "linux,rtas-base", (uint32_t)p->rtas_base);
		dtw_u32(w, "linux,rtas-entry", (uint32_t)p->rtas_base);
	}
	dtw_end(w);
}

static void dt_event_sources(struct dtw *w)
{
	static const uint32_t ranges[] = { GUEST_DT_IRQ_EPOW, 1,
					   GUEST_DT_IRQ_HOTPLUG, 1 };
	const uint32_t epow[] = { GUEST_DT_IRQ_EPOW, 0 };
	const uint32_t hotplug[] = { GUEST_DT_IRQ_HOTPLUG, 0 };

	dtw_begin(w, "event-sources");
	dtw_empty(w, "interrupt-controller");
	dtw_u32(w, "#interrupt-cells", 2);
	dtw_cells(w, "interrupt-ranges", ranges, ARRAY_SIZE(ranges));
	dtw_begin(w, "epow-events");
	dtw_cells(w, "interrupts", epow, 2);
	dtw_end(w);
	dtw_begin(w, "hot-plug-events");
	dtw_cells(w, "interrupts", hotplug, 2);
	dtw_end(w);
	dtw_end(w);
}

/* HPT size QEMU picks: 1/128 of memory rounded up, 2^18 .. 2^46 bytes. */
static uint32_t hpt_shift(uint64_t mem_size)
{
	unsigned int shift = log2_ceil(mem_size);

	shift = shift > 7 ? shift - 7 : 0;
	return MIN(MAX(shift, 18u), 46u);
}

static void dt_cpu_caches(struct dtw *w)
{
	dtw_u32(w, "d-cache-block-size", 128);
	dtw_u32(w, "d-cache-line-size", 128);
	dtw_u32(w, "i-cache-block-size", 128);
	dtw_u32(w, "i-cache-line-size", 128);
	dtw_u32(w, "d-cache-size", 0x8000);
	dtw_u32(w, "i-cache-size", 0x8000);
}

static void dt_cpu(struct dtw *w, const struct guest_dt_params *p,
		   const struct cpu_family *f, uint32_t id)
{
	const uint32_t pft_size[] = { 0, p->hpt_shift ? p->hpt_shift :
					     hpt_shift(p->mem_size) };
	const uint32_t gserver[] = { id, 0 };
	char name[40];

	hv_snprintf(name, sizeof(name), "%s@%x", f->node_name, id);
	dtw_begin(w, name);
	dtw_str(w, "device_type", "cpu");
	dtw_u32(w, "reg", id);
	dtw_u32(w, "cpu-version", p->raw_pvr ? p->pvr : f->logical_pvr);
	dt_cpu_caches(w);
	dtw_num(w, "timebase-frequency", p->tb_freq);
	dtw_num(w, "clock-frequency", p->cpu_freq ? p->cpu_freq :
						    DEFAULT_CPU_FREQ);
	dtw_u32(w, "slb-size", 32);
	dtw_u32(w, "ibm,slb-size", 32);
	dtw_str(w, "status", "okay");
	dtw_empty(w, "64-bit");
	/* The hardware's own PURR/SPURR, switched per vCPU by lparvisor. */
	dtw_u32(w, "ibm,purr", 1);
	dtw_u32(w, "ibm,spurr", 1);
	dtw_cells(w, "ibm,processor-segment-sizes", segment_sizes,
		  ARRAY_SIZE(segment_sizes));
	dtw_u32(w, "ibm,vmx", 2); /* VMX and VSX */
	dtw_u32(w, "ibm,dfp", 1);
	dtw_cells(w, "ibm,segment-page-sizes", segment_page_sizes,
		  ARRAY_SIZE(segment_page_sizes));
	dtw_prop(w, "ibm,pa-features", f->pa_features, f->pa_features_len);
	dtw_u32(w, "ibm,chip-id", 0); /* one socket */
	dtw_cells(w, "ibm,pft-size", pft_size, 2);
	dtw_u32(w, "ibm,ppc-interrupt-server#s", id);
	dtw_cells(w, "ibm,ppc-interrupt-gserver#s", gserver, 2);
	if (f->radix) {
		dtw_cells(w, "ibm,processor-radix-AP-encodings",
			  radix_ap_encodings, ARRAY_SIZE(radix_ap_encodings));
	}
	/* Needs LPCR[LD] set for the partition. */
	if (f->dec_bits) {
		dtw_u32(w, "ibm,dec-bits", f->dec_bits);
	}
	dtw_end(w);
}

static void dt_cpus(struct dtw *w, const struct guest_dt_params *p)
{
	struct cpu_family fam;
	const struct cpu_family *f = &fam;

	if (!guest_family(p, &fam)) {
		return; /* params_ok() refused such parameters */
	}

	dtw_begin(w, "cpus");
	dtw_u32(w, "#address-cells", 1);
	dtw_u32(w, "#size-cells", 0);
	for (uint32_t id = 0; id < p->vcpus && !w->err; id++) {
		dt_cpu(w, p, f, id);
	}
	dtw_end(w);
}

/*
 * A LAN adapter's MAC as QEMU 7.2's spapr_vlan_devnode() gives it: six
 * bytes when the first byte's low bits are 0b10 (what Linux's ibmveth
 * before 3.10 needed to read a 6-byte property right), else eight with
 * the address in the last six; and no multicast filters.
 */
static void dt_lan_mac(struct dtw *w, const uint8_t mac[6])
{
	uint8_t padded[8] = { 0 };

	if ((mac[0] & 3) == 2) {
		dtw_prop(w, "local-mac-address", mac, 6);
	} else {
		memcpy(padded + 2, mac, 6);
		dtw_prop(w, "local-mac-address", padded, sizeof(padded));
	}
	dtw_u32(w, "ibm,mac-address-filters", 0);
}

static void dt_vio(struct dtw *w, const struct guest_dt_vio *v)
{
	const uint32_t interrupts[] = { v->irq, 0 }; /* edge */
	const uint32_t window[] = { v->reg, 0, 0, 0, v->dma_window,
				    v->remote_liobn, 0, 0, 0, v->remote_window };
	char name[48];

	hv_snprintf(name, sizeof(name), "%s@%x", v->name, v->reg);
	dtw_begin(w, name);
	dtw_u32(w, "reg", v->reg);
	if (v->type) {
		dtw_str(w, "device_type", v->type);
	}
	if (v->compatible) {
		dtw_str(w, "compatible", v->compatible);
	}
	if (v->irq) {
		dtw_cells(w, "interrupts", interrupts, 2);
	}
	if (v->dma_window) {
		dtw_u32(w, "ibm,#dma-address-cells", 2);
		dtw_u32(w, "ibm,#dma-size-cells", 2);
		/* A server's two panes (LoPAR "VIO Window Pane Usage"):
		 * ibmvscsis skips 2 + 2 cells to reach the second LIOBN. */
		dtw_cells(w, "ibm,my-dma-window", window,
			  v->remote_window ? 10 : 5);
	}
	if (v->remote_window) {
		dtw_empty(w, "ibm,vserver");
	}
	if (v->bytes) {
		dtw_u32(w, "#bytes", v->bytes); /* QEMU's spapr_nvram_devnode */
	}
	if (v->has_mac) {
		dt_lan_mac(w, v->mac);
	}
	if (v->scsi_bus) {
		dtw_u32(w, "#address-cells", 2);
		dtw_u32(w, "#size-cells", 0);
	}
	dtw_end(w);
}

static void dt_vdevice(struct dtw *w, const struct guest_dt_params *p)
{
	const uint32_t interrupts[] = { p->vty_irq, 0 }; /* edge */
	char name[24];

	dtw_begin(w, "vdevice");
	dtw_str(w, "device_type", "vdevice");
	dtw_str(w, "compatible", "IBM,vdevice");
	dtw_u32(w, "#address-cells", 1);
	dtw_u32(w, "#size-cells", 0);
	dtw_u32(w, "#interrupt-cells", 2);
	dtw_empty(w, "interrupt-controller");
	hv_snprintf(name, sizeof(name), "vty@%x", p->vty_reg);
	dtw_begin(w, name);
	dtw_u32(w, "reg", p->vty_reg);
	dtw_str(w, "device_type", "serial");
	dtw_str(w, "compatible", "hvterm1");
	dtw_cells(w, "interrupts", interrupts, 2);
	dtw_end(w);
	for (uint32_t i = 0; i < p->vio_count && !w->err; i++) {
		dt_vio(w, &p->vio[i]);
	}
	dtw_end(w);
}

/*
 * One PCI function under its PHB, as QEMU 7.2's spapr_dt_pci_device():
 * IDs, interrupt pin, `reg` (config space, then one entry per memory BAR
 * with its size) and `assigned-addresses` (the same with the n bit and
 * the PCI address).  The node is named pci<vendor>,<device>@slot[,fn]
 * (QEMU names some classes, "ethernet"...; Linux reads none of it).
 */
static void dt_pci_func(struct dtw *w, const struct guest_dt_pci_func *f)
{
	uint32_t reg[5 * (1 + GUEST_DT_PCI_BARS)];
	uint32_t assigned[5 * GUEST_DT_PCI_BARS];
	uint32_t hi = (f->bus << 16) | (f->devfn << 8), n = 5;
	char name[48];

	if (f->devfn & 7) {
		hv_snprintf(name, sizeof(name), "pci%x,%x@%x,%x", f->vendor,
			    f->device, f->devfn >> 3, f->devfn & 7);
	} else {
		hv_snprintf(name, sizeof(name), "pci%x,%x@%x", f->vendor,
			    f->device, f->devfn >> 3);
	}
	memset(reg, 0, sizeof(reg));
	memset(assigned, 0, sizeof(assigned));
	reg[0] = hi;
	for (uint32_t i = 0; i < f->bar_count; i++) {
		const struct guest_dt_pci_bar *b = &f->bars[i];
		uint32_t phys = hi | b->reg |
				(b->flags & GUEST_DT_PCI_BAR_MEM64 ? 0x03000000u :
								    0x02000000u) |
				(b->flags & GUEST_DT_PCI_BAR_PREFETCH ? 0x40000000u :
								       0);
		uint32_t *r = &reg[5 * (i + 1)], *a = &assigned[5 * i];

		r[0] = phys;
		r[3] = (uint32_t)(b->size >> 32);
		r[4] = (uint32_t)b->size;
		a[0] = phys | 0x80000000u; /* n: not relocatable */
		a[1] = (uint32_t)(b->pci_addr >> 32);
		a[2] = (uint32_t)b->pci_addr;
		a[3] = r[3];
		a[4] = r[4];
		n += 5;
	}
	dtw_begin(w, name);
	dtw_u32(w, "vendor-id", f->vendor);
	dtw_u32(w, "device-id", f->device);
	dtw_u32(w, "revision-id", f->revision);
	dtw_u32(w, "class-code", f->class_code);
	if (f->irq_pin) {
		dtw_u32(w, "interrupts", f->irq_pin);
	}
	if (f->subsys_id) {
		dtw_u32(w, "subsystem-id", f->subsys_id);
	}
	if (f->subsys_vendor) {
		dtw_u32(w, "subsystem-vendor-id", f->subsys_vendor);
	}
	if (f->msi) {
		dtw_u32(w, "ibm,req#msi", f->msi);
	}
	if (f->msix) {
		dtw_u32(w, "ibm,req#msi-x", f->msix);
	}
	dtw_cells(w, "reg", reg, n);
	dtw_cells(w, "assigned-addresses", assigned, n - 5);
	if (f->express) {
		dtw_u32(w, "ibm,pci-config-space-type", 1);
	}
	dtw_end(w);
}

/*
 * The PHB's INTx routing as QEMU 7.2's spapr_dt_phb(): the mask keeps the
 * slot of the unit address and the pin; one entry per slot (32) and pin
 * (INTA..INTD = 1..4), each naming the interrupt controller and the
 * level interrupt lsi_base + (slot + pin - 1) % 4 (the standard swizzle),
 * whatever the bus: the guest's bus numbers are the host's, behind the
 * host's root port, whose own swizzle is the same.
 */
#define PCI_MAP_SLOTS 32u
#define PCI_MAP_PINS 4u
#define PCI_MAP_CELLS 7u
static void dt_phb_intx(struct dtw *w, uint32_t lsi_base)
{
	const uint32_t mask[] = { 0xf800u, 0, 0, 0xffffffffu };
	void *val;

	dtw_cells(w, "interrupt-map-mask", mask, 4);
	if (w->err) {
		return;
	}
	w->err = fdt_property_placeholder(
		w->fdt, "interrupt-map",
		(int)(PCI_MAP_SLOTS * PCI_MAP_PINS * PCI_MAP_CELLS * 4), &val);
	for (uint32_t i = 0; !w->err && i < PCI_MAP_SLOTS * PCI_MAP_PINS;
	     i++) {
		uint32_t slot = i / PCI_MAP_PINS, pin = i % PCI_MAP_PINS;
		const uint32_t e[PCI_MAP_CELLS] = {
			slot << 11, 0, 0, pin + 1, GUEST_DT_INTC_PHANDLE,
			lsi_base + (slot + pin) % PCI_MAP_PINS, 1 /* level */
		};

		for (uint32_t k = 0; k < PCI_MAP_CELLS; k++) {
			put_be32((uint8_t *)val + 4 * (PCI_MAP_CELLS * i + k),
				 e[k]);
		}
	}
}

/*
 * A PCI host bridge as QEMU 7.2's spapr_dt_phb(): pci@<buid>, its 32-bit
 * window in `ranges` (no I/O space: the host PHB has none), the default
 * DMA window and the dynamic DMA window calls, the MSIs the partition may
 * have, its INTx interrupt-map when the partition gets the host PHB's
 * LSIs, and the functions behind
 * the host PHB's root port on their host bus numbers (bus-range).
 */
static void dt_phb(struct dtw *w, const struct guest_dt_phb *h)
{
	const uint32_t bus_range[] = { h->bus_first, h->bus_last };
	const uint32_t reg[] = { (uint32_t)(h->buid >> 32), (uint32_t)h->buid,
				 0, 0 };
	const uint32_t ranges[] = {
		0x02000000u, (uint32_t)(h->m32_pci >> 32), (uint32_t)h->m32_pci,
		(uint32_t)(h->m32_gpa >> 32), (uint32_t)h->m32_gpa,
		(uint32_t)(h->m32_size >> 32), (uint32_t)h->m32_size,
	};
	const uint32_t window[] = { h->liobn, 0, 0,
				    (uint32_t)(h->dma_size >> 32),
				    (uint32_t)h->dma_size };
	char name[32];

	hv_snprintf(name, sizeof(name), "pci@%llx",
		    (unsigned long long)h->buid);
	dtw_begin(w, name);
	dtw_str(w, "device_type", "pci");
	dtw_str(w, "compatible", "IBM,Logical_PHB");
	dtw_u32(w, "#interrupt-cells", 1);
	dtw_empty(w, "used-by-rtas");
	dtw_cells(w, "bus-range", bus_range, 2);
	dtw_cells(w, "ranges", ranges, 7);
	dtw_cells(w, "reg", reg, 4);
	dtw_u32(w, "ibm,pci-config-space-type", 1);
	dtw_u32(w, "ibm,pe-total-#msi", h->msi_total);
	if (h->dma_size) {
		dtw_u32(w, "ibm,#dma-address-cells", 2);
		dtw_u32(w, "ibm,#dma-size-cells", 2);
		dtw_cells(w, "ibm,dma-window", window, 5);
	}
	if (h->dma_size && h->ddw) {
		/* QEMU 7.2 spapr_dt_phb(): the query, create and remove
		 * tokens; extensions: 2 of them, the reset token and 1
		 * (query answers in 6 cells, LoPAR 2.8). */
		const uint32_t ddw[] = { RTAS_IBM_QUERY_PE_DMA_WINDOW,
					 RTAS_IBM_CREATE_PE_DMA_WINDOW,
					 RTAS_IBM_REMOVE_PE_DMA_WINDOW };
		const uint32_t ext[] = { 2, RTAS_IBM_RESET_PE_DMA_WINDOW, 1 };

		dtw_cells(w, "ibm,ddw-applicable", ddw, 3);
		dtw_cells(w, "ibm,ddw-extensions", ext, 3);
	}
	if (h->lsi_base) {
		dt_phb_intx(w, h->lsi_base);
	}
	dtw_u32(w, "#address-cells", 3);
	dtw_u32(w, "#size-cells", 2);
	for (uint32_t i = 0; i < h->func_count && !w->err; i++) {
		dt_pci_func(w, &h->funcs[i]);
	}
	dtw_end(w);
}

/*
 * The hardware RNG behind H_RANDOM, where QEMU's spapr-rng puts it.  As in
 * QEMU the device has no device_type: Linux's VIO bus names platform
 * facilities after the node ("ibm,random-v1") and matches on that.
 */
static void dt_platform_facilities(struct dtw *w)
{
	dtw_begin(w, "ibm,platform-facilities");
	dtw_str(w, "device_type", "ibm,platform-facilities");
	dtw_u32(w, "#address-cells", 1);
	dtw_u32(w, "#size-cells", 0);
	dtw_begin(w, "ibm,random-v1");
	dtw_str(w, "compatible", "ibm,random");
	dtw_end(w);
	dtw_end(w);
}

static void dt_memory_node(struct dtw *w, uint64_t base, uint64_t size)
{
	const uint32_t reg[] = { (uint32_t)(base >> 32), (uint32_t)base,
				 (uint32_t)(size >> 32), (uint32_t)size };
	const uint32_t assoc[] = { 1, 0 }; /* FORM2: domain 0 */
	char name[32];

	hv_snprintf(name, sizeof(name), "memory@%llx",
		    (unsigned long long)base);
	dtw_begin(w, name);
	dtw_str(w, "device_type", "memory");
	dtw_cells(w, "reg", reg, 4);
	dtw_cells(w, "ibm,associativity", assoc, 2);
	dtw_end(w);
}

/*
 * Memory as QEMU lays it out (spapr_dt_memory): the RMA first, the
 * largest power of two up to 1 TiB at 0, then naturally aligned
 * power-of-two blocks.
 */
static void dt_memory(struct dtw *w, const struct guest_dt_params *p)
{
	uint64_t start = MIN(pow2_floor(p->mem_size), RMA_MAX);
	uint64_t left = p->mem_size - start;

	dt_memory_node(w, 0, start);
	while (left && !w->err) {
		uint64_t size = MIN(pow2_floor(left), start & -start);

		dt_memory_node(w, start, size);
		start += size;
		left -= size;
	}
}

static void dt_xics(struct dtw *w, const struct guest_dt_params *p)
{
	const uint32_t servers[] = { 0, p->vcpus };

	dtw_begin(w, "interrupt-controller");
	dtw_str(w, "device_type", "PowerPC-External-Interrupt-Presentation");
	dtw_str(w, "compatible", "IBM,ppc-xicp");
	dtw_empty(w, "interrupt-controller");
	dtw_cells(w, "ibm,interrupt-server-ranges", servers, 2);
	dtw_u32(w, "#interrupt-cells", 2);
	dtw_u32(w, "linux,phandle", GUEST_DT_INTC_PHANDLE);
	dtw_u32(w, "phandle", GUEST_DT_INTC_PHANDLE);
	dtw_end(w);
}

/*
 * The spapr XIVE presenter (QEMU spapr_xive_dt): the user and OS views of
 * the TIMA, 64 KiB queues, and LISNs 0..vcpus-1 for the IPIs.
 */
static void dt_xive(struct dtw *w, const struct guest_dt_params *p)
{
	const uint64_t user = GUEST_DT_XIVE_TM_BASE +
		((uint64_t)LAYOUT_XIVE_TM_PAGE_USER << LAYOUT_XIVE_TM_PAGE_SHIFT);
	const uint64_t os = GUEST_DT_XIVE_TM_BASE +
		((uint64_t)LAYOUT_XIVE_TM_PAGE_OS << LAYOUT_XIVE_TM_PAGE_SHIFT);
	const uint32_t reg[] = { (uint32_t)(user >> 32), (uint32_t)user, 0,
				 0x10000, (uint32_t)(os >> 32), (uint32_t)os,
				 0, 0x10000 };
	const uint32_t lisns[] = { 0, p->vcpus };
	char name[48];

	hv_snprintf(name, sizeof(name), "interrupt-controller@%llx",
		    (unsigned long long)user);
	dtw_begin(w, name);
	dtw_str(w, "device_type", "power-ivpe");
	dtw_cells(w, "reg", reg, ARRAY_SIZE(reg));
	dtw_str(w, "compatible", "ibm,power-ivpe");
	dtw_u32(w, "ibm,xive-eq-sizes", 16);
	dtw_cells(w, "ibm,xive-lisn-ranges", lisns, 2);
	dtw_empty(w, "interrupt-controller");
	dtw_u32(w, "#interrupt-cells", 2);
	dtw_u32(w, "linux,phandle", GUEST_DT_INTC_PHANDLE);
	dtw_u32(w, "phandle", GUEST_DT_INTC_PHANDLE);
	dtw_end(w);
}

/* --- The tree -------------------------------------------------------- */

static void dtw_reserve(struct dtw *w, uint64_t base, uint64_t size)
{
	if (!w->err && size) {
		w->err = fdt_add_reservemap_entry(w->fdt, base, size);
	}
}

/*
 * Reserve map: RTAS, the tree itself, the kernel and the initrd (all must
 * survive until Linux has read them; prom_init reserves the same on the
 * SLOF path).  Returns the index of the tree's entry, or -1 when there is
 * none: its size is only known once the tree is packed.
 */
static int dt_reserve(struct dtw *w, const struct guest_dt_params *p)
{
	int fdt_index = -1;

	if (p->cas_answer) { /* SLOF reads no reserve map after CAS */
		if (!w->err) {
			w->err = fdt_finish_reservemap(w->fdt);
		}
		return -1;
	}
	if (!p->qemu_reserves) {
		dtw_reserve(w, p->rtas_base, p->rtas_size);
	}
	if (p->fdt_addr && !p->qemu_reserves) {
		fdt_index = 1;
		dtw_reserve(w, p->fdt_addr, 1); /* size set at the end */
	}
	if (p->qemu_reserves) {
		/*
		 * QEMU reserves the kernel it loaded (qemu,boot-kernel's
		 * range) and SLOF claims every entry, so its own allocations
		 * stay off the kernel image.
		 */
		dtw_reserve(w, p->boot_kernel_addr, p->boot_kernel_size);
	} else {
		dtw_reserve(w, p->kernel_base,
			    p->kernel_end - p->kernel_base);
	}
	dtw_reserve(w, p->initrd_start, p->initrd_end - p->initrd_start);
	if (!w->err) {
		w->err = fdt_finish_reservemap(w->fdt);
	}
	return fdt_index;
}

/*
 * Size the tree's own reserve entry to the packed tree and check that the
 * tree fits in memory without covering RTAS, the kernel or the initrd.
 */
static int dt_reserve_self(void *fdt, int index,
			   const struct guest_dt_params *p)
{
	uint64_t size = fdt_totalsize(fdt);
	fdt64_t v = cpu_to_fdt64(size);
	uint8_t *entry;

	if (index < 0) {
		return 0;
	}
	if (!range_ok(p, p->fdt_addr, p->fdt_addr + size) ||
	    ranges_overlap(p->fdt_addr, size, p->rtas_base, p->rtas_size) ||
	    ranges_overlap(p->fdt_addr, size, p->kernel_base,
			   p->kernel_end - p->kernel_base) ||
	    ranges_overlap(p->fdt_addr, size, p->initrd_start,
			   p->initrd_end - p->initrd_start)) {
		return -FDT_ERR_BADVALUE;
	}
	entry = (uint8_t *)fdt + fdt_off_mem_rsvmap(fdt) +
		(size_t)index * sizeof(struct fdt_reserve_entry);
	memcpy(entry + offsetof(struct fdt_reserve_entry, size), &v,
	       sizeof(v));
	return 0;
}

int guest_dt_build(void *buf, size_t bufsize, const struct guest_dt_params *p)
{
	struct dtw w = { buf, 0 };
	int fdt_index;

	if (!buf || !p || !params_ok(p)) {
		return -FDT_ERR_BADVALUE;
	}
	w.err = fdt_create(buf, (int)MIN(bufsize, (size_t)INT32_MAX));
	fdt_index = dt_reserve(&w, p);
	dtw_begin(&w, "");
	dt_root_props(&w, p);
	dt_chosen(&w, p);
	dt_rtas(&w, p);
	if (p->event_sources) {
		dt_event_sources(&w);
	}
	dt_cpus(&w, p);
	dt_vdevice(&w, p);
	for (uint32_t i = 0; i < p->phb_count && !w.err; i++) {
		dt_phb(&w, &p->phbs[i]);
	}
	if (p->rng) {
		dt_platform_facilities(&w);
	}
	dt_memory(&w, p);
	if (p->intc == CONFIG_INTC_XIVE) {
		dt_xive(&w, p);
	} else {
		dt_xics(&w, p);
	}
	dtw_end(&w);
	if (!w.err) {
		w.err = fdt_finish(buf);
	}
	if (!w.err) {
		w.err = fdt_pack(buf);
	}
	if (w.err) {
		return w.err;
	}
	return dt_reserve_self(buf, fdt_index, p);
}
