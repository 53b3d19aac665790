/*
 * Hashed page tables of hash (HPT) partitions: the PAPR page-frame-table
 * hcalls (H_ENTER, H_REMOVE, H_READ, H_PROTECT, H_BULK_REMOVE,
 * H_CLEAR_REF, H_CLEAR_MOD) with QEMU 7.2 hw/ppc/spapr_softmmu.c's codes
 * where it has the call, KVM's book3s_hv_rm_mmu.c's where only KVM does,
 * and the HPTE formats of Power ISA 3.0 Book III 5.7.7.
 *
 * The table is hypervisor memory the partition never maps; the hardware
 * walks it with host real addresses.  A guest names guest real pages in
 * its HPTEs, so every entry it asks for is checked and translated before
 * it is stored: the whole page inside the partition's memory with
 * ordinary RAM attributes, or the whole page inside one of its I/O ranges
 * (its XIVE ESB and TIMA pages) cache-inhibited.  This check is the whole
 * of a hash partition's isolation.
 * The guest sees its own view: hcalls take and give the pre-3.0 format
 * (segment size in dw0) with guest real page numbers.
 *
 * Pure logic: the table and the partition's memory are the caller's; TLB
 * invalidation and the page-table barrier are the caller's callbacks.
 * Each HPTE is locked by HPTE_V_HVLOCK, a software bit of dw0 the
 * hardware ignores (as KVM does), so hcalls of several vCPUs may run at
 * once.
 */
#ifndef MM_HPT_H
#define MM_HPT_H

#include "hv/lib/types.h"
#include "mm/gmem.h"

#define HPT_SHIFT_MIN 18 /* 256 KiB, PAPR's smallest */
#define HPT_SHIFT_MAX 46
#define HPTE_BYTES 16
#define HPTES_PER_GROUP 8
#define HPTEG_BYTES (HPTE_BYTES * HPTES_PER_GROUP)

/* dw0 as guests give and get it (pre-ISA 3.0 format). */
#define HPTE_V_SSIZE_SHIFT 62
#define HPTE_V_1TB_SEG (1ull << 62)
#define HPTE_V_AVPN 0x3fffffffffffff80ull
#define HPTE_V_HVLOCK 0x40ull     /* lparvisor's lock bit */
#define HPTE_V_HV_BITS 0x60ull    /* software bits a guest may not set */
#define HPTE_V_HV_VRMA 0x20ull    /* lparvisor's VRMA entry: not the guest's */
#define HPTE_V_BOLTED 0x10ull     /* the guest's own mark (Linux's) */
#define HPTE_V_LARGE 0x4ull
#define HPTE_V_SECONDARY 0x2ull
#define HPTE_V_VALID 0x1ull
/* ISA 3.0 dw0 keeps these bits; B moves to dw1. */
#define HPTE_V_COMMON_BITS 0x000fffffffffffffull

/* dw1. */
#define HPTE_R_PP0 0x8000000000000000ull
#define HPTE_R_KEY_HI 0x3000000000000000ull
#define HPTE_R_3_0_SSIZE_SHIFT 58
#define HPTE_R_3_0_SSIZE_MASK (3ull << HPTE_R_3_0_SSIZE_SHIFT)
#define HPTE_R_RPN 0x0ffffffffffff000ull
#define HPTE_R_KEY_LO 0xe00ull
#define HPTE_R_R 0x100ull
#define HPTE_R_C 0x80ull
#define HPTE_R_WIMG 0x78ull
#define HPTE_R_W 0x40ull
#define HPTE_R_I 0x20ull
#define HPTE_R_M 0x10ull
#define HPTE_R_G 0x08ull
#define HPTE_R_N 0x4ull
#define HPTE_R_PP 0x3ull

/* The virtual real mode area: a 1 TiB segment of this VSID (ISA 3.0). */
#define HPT_VRMA_VSID 0x1ffffffull
#define HPT_VRMA_SHIFT 24 /* 16 MiB pages */
/* LPCR[VRMASD] and PATE dw0 PS for 16 MiB VRMA pages (SLB L=1, LP=00). */
#define HPT_LPCR_VRMASD_16M (0x10ull << 47)
#define HPT_PATE_PS_16M 0x80ull

struct hpt_ops {
	/* Invalidate every TLB entry of the partition (tlbie, its LPID). */
	void (*flush)(void *ctx);
	/* Make stores to the table visible to the table walk (ptesync). */
	void (*sync)(void *ctx);
	void *ctx;
};

/*
 * Device pages a partition may map: guest real [gpa, gpa + size) is host
 * real [hpa, hpa + size).  All three are multiples of 64 KiB (the XIVE's
 * ESB and TIMA pages).
 */
struct hpt_io {
	uint64_t gpa, hpa, size;
};

struct hpt {
	be64 *table;       /* 2^shift bytes, aligned to its size */
	uint32_t shift;    /* log2 of the table's bytes */
	bool v3;           /* ISA 3.0 format in the table (POWER9, Power10) */
	struct gmem mem;   /* the partition's memory */
	/* Its I/O ranges, set before any vCPU runs (hv/hash.c). */
	const struct hpt_io *io;
	uint32_t io_count;
	struct hpt_ops ops;
};

/**
 * The table's log2 size for a partition of `mem_size` bytes: 1/128 of
 * its memory rounded up to a power of two, at least 256 KiB (QEMU's
 * spapr_hpt_shift_for_ramsize()), at most 2^46.
 */
uint32_t hpt_shift_for_mem(uint64_t mem_size);

/** HPTEs in the table. */
static inline uint64_t hpt_entries(const struct hpt *h)
{
	return 1ull << (h->shift - 4);
}

/**
 * The primary hash of a page (ISA 3.0 5.7.7.3): `vsid` the segment's
 * VSID, `seg_offset` the address's offset in its segment, `page_shift`
 * the segment's base page size, `seg_1t` a 1 TiB segment.  The secondary
 * hash is its complement; the PTEG is the hash masked by the table size.
 */
uint64_t hpt_hash(uint64_t vsid, uint64_t seg_offset, unsigned page_shift,
		  bool seg_1t);

/** Index of the first HPTE of the PTEG of `hash`. */
static inline uint64_t hpt_pteg_index(const struct hpt *h, uint64_t hash)
{
	return (hash & ((1ull << (h->shift - 7)) - 1)) * HPTES_PER_GROUP;
}

/**
 * The page size an entry (guest format) maps, as log2: 12 without L; with
 * L, 16 for LP 0001 in RPN bits 12-15, 24 for RPN bits 12-23 all zero.
 * 0 for any other encoding (the sizes the guest tree's
 * ibm,segment-page-sizes offers and the VRMA's).
 */
unsigned hpt_page_shift(uint64_t v, uint64_t r);

/** Every entry zero (a partition's boot starts from an empty table). */
void hpt_clear(struct hpt *h);

/**
 * Insert the bolted VRMA entries that let the guest's real-mode accesses
 * work: one 16 MiB page per PTEG for guest real [0, min(size, 1 TiB)),
 * slot 0 of each page's primary PTEG, read/write, as KVM's
 * kvmppc_map_vrma() does.  They carry HPTE_V_HV_VRMA: the hcalls that
 * change or remove entries answer H_NOT_FOUND for them (Linux's own
 * table clear skips VRMA entries, pseries_lpar_hptab_clear()), so a guest
 * cannot take its real mode away.  Call on an empty table.  Returns the
 * number of pages mapped.
 */
uint64_t hpt_map_vrma(struct hpt *h);

/** Partition-table entry dw0: HTABORG, PS of the VRMA, HTABSIZE. */
uint64_t hpt_pate0(const struct hpt *h);

/**
 * SDR1 of the table, what POWER8 has instead of a partition table: its
 * real address (aligned to its size) and HTABSIZE, log2(bytes) - 18.
 */
uint64_t hpt_sdr1(const struct hpt *h);

/**
 * H_ENTER: store (pteh, ptel) in PTEG `ptex & ~7`, in slot `ptex & 7`
 * with H_EXACT, else in its first free slot; the slot used in *out.
 * The entry is made valid; HPTE_V_HV_BITS are dropped.
 * Returns H_SUCCESS; H_PARAMETER for a page size encoding not offered,
 * a page neither wholly inside the partition's memory nor wholly inside
 * one of its I/O ranges, WIMG other than M for memory, I clear or W set
 * for an I/O page (KVM's hpte_cache_flags_ok()), or `ptex` beyond the
 * table; H_PTEG_FULL when the slot (H_EXACT) or every
 * slot is taken.
 */
int64_t hpt_enter(struct hpt *h, uint64_t flags, uint64_t ptex,
		  uint64_t pteh, uint64_t ptel, uint64_t *out);

/**
 * H_REMOVE: invalidate entry `ptex` when valid and, with H_AVPN, its
 * AVPN (dw0 without the low 7 bits) equals `avpn`, with H_ANDCOND, no
 * bit of `avpn` is set in dw0.  The old entry, guest format, in *v, *r.
 * Returns H_SUCCESS; H_PARAMETER for `ptex` beyond the table;
 * H_NOT_FOUND when the entry is invalid or does not match.
 */
int64_t hpt_remove(struct hpt *h, uint64_t flags, uint64_t ptex,
		   uint64_t avpn, uint64_t *v, uint64_t *r);

/**
 * H_READ: entry `ptex` (H_READ_4: the four from `ptex & ~3`), guest
 * format, in out[0..1] (out[0..7]); *count the entries read.
 * Returns H_SUCCESS; H_PARAMETER for `ptex` beyond the table.
 */
int64_t hpt_read(struct hpt *h, uint64_t flags, uint64_t ptex,
		 uint64_t out[8], uint32_t *count);

/**
 * H_PROTECT: set PP0, PP, N and the storage key of entry `ptex` from
 * `flags` (QEMU's layout: PP0 in bit 8, key bits 0-1 in 12-13 and 2-4 in
 * 9-11, N and PP in 0-2) when valid and matching `avpn` with H_AVPN.
 * Returns H_SUCCESS; H_PARAMETER for `ptex` beyond the table;
 * H_NOT_FOUND when invalid or not matching.
 */
int64_t hpt_protect(struct hpt *h, uint64_t flags, uint64_t ptex,
		    uint64_t avpn);

/**
 * H_BULK_REMOVE: up to four (tsh, tsl) pairs in args[0..7], answered in
 * place as QEMU does (each request's tsh becomes a response with its
 * code and, removed, the entry's R and C bits).  An END type stops.
 * Returns H_SUCCESS; H_PARAMETER for a type other than request or end,
 * both AVPN and ANDCOND, or a `ptex` beyond the table (the pairs before
 * it are done).
 */
int64_t hpt_bulk_remove(struct hpt *h, uint64_t args[8]);

/**
 * H_CLEAR_REF / H_CLEAR_MOD (KVM's semantics, `flags` ignored): clear R
 * (C) of valid entry `ptex`; its dw1 before, guest format, in *r.
 * Returns H_SUCCESS; H_PARAMETER for `ptex` beyond the table;
 * H_NOT_FOUND when the entry is invalid.
 */
int64_t hpt_clear_ref(struct hpt *h, uint64_t ptex, uint64_t *r);
int64_t hpt_clear_mod(struct hpt *h, uint64_t ptex, uint64_t *r);

/**
 * The PTEG a valid entry (guest format) belongs in for a table of
 * 2^`shift` bytes, found again from its AVPN and the index of the PTEG it
 * sits in now (`pteg`, in a table of 2^`old_shift` bytes), as QEMU 7.2's
 * rehash_hpte(): the AVPN holds the VSID and the top of the page offset,
 * the old index the bits below.  0 encodings give ~0.
 */
uint64_t hpt_rehash_pteg(uint64_t v, uint64_t r, uint64_t pteg,
			 uint32_t old_shift, uint32_t shift);

/**
 * H_RESIZE_HPT_COMMIT's move, from `old` into `new` (zeroed, same memory,
 * its VRMA already mapped): every bolted guest entry goes to the same
 * slot of its PTEG in the new size, the others are dropped (QEMU 7.2).
 * Neither table is changed by hcalls meanwhile (the caller's lock).
 * Returns H_SUCCESS; H_PTEG_FULL when a bolted entry's slot is taken in
 * the new table by another bolted one (then `new` is to be thrown away).
 */
int64_t hpt_rehash(struct hpt *old, struct hpt *new);

#endif /* MM_HPT_H */
