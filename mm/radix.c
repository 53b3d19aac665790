/*
 * Partition-scoped radix tree builder.  Layout per Power ISA 3.0 radix
 * tree (as QEMU 7.2 target/ppc/mmu-radix64.c walks it): root NLS 13
 * (2^39 per entry), then NLS 9 levels (1 GiB, 2 MiB, 4 KiB per entry).
 */
#include "hv/lib/string.h"
#include "mm/radix.h"

#define SHIFT_L1 39 /* root entry */
#define SHIFT_L2 30 /* 1 GiB */
#define SHIFT_L3 21 /* 2 MiB */
#define MAX_GPA (1ull << 52)

static uint64_t leaf(uint64_t hpa, uint64_t attrs)
{
	return RPTE_VALID | RPTE_LEAF | (hpa & RPTE_RPN_MASK) | RPTE_R |
	       RPTE_C | RPTE_EAA_READ | RPTE_EAA_RW | RPTE_EAA_EXEC |
	       (attrs & (RPTE_EAA_PRIV | RPTE_ATT_MASK));
}

static uint64_t pde(const void *next)
{
	return RPTE_VALID | ((uintptr_t)next & RPDE_NLB_MASK) | RADIX_LEVEL_BITS;
}

static bool is_leaf(uint64_t e)
{
	return e & RPTE_LEAF;
}

static be64 *next_table(be64 e)
{
	return (be64 *)(uintptr_t)(be64_to_cpu(e) & RPDE_NLB_MASK);
}

/* The table below entry `slot`, allocated on first use. */
static be64 *child(struct radix_tree *t, be64 *slot, radix_alloc_fn alloc,
		   void *ctx)
{
	be64 *tbl;

	if (*slot) {
		return next_table(*slot);
	}
	tbl = alloc(ctx, RADIX_TABLE_SIZE);
	if (!tbl) {
		return NULL;
	}
	t->tables++;
	t->bytes += RADIX_TABLE_SIZE;
	*slot = cpu_to_be64(pde(tbl));
	return tbl;
}

static unsigned index_of(uint64_t gpa, unsigned shift, unsigned bits)
{
	return (unsigned)((gpa >> shift) & ((1ull << bits) - 1));
}

static enum radix_err build(struct radix_tree *t, uint64_t size,
			    uint64_t hpa_base, uint64_t attrs, bool huge,
			    radix_alloc_fn alloc, radix_free_fn free_fn,
			    void *ctx)
{
	uint64_t gpa = 0;

	memset(t, 0, sizeof(*t));
	if (size == 0 || !IS_ALIGNED(size, SZ_2M) ||
	    !IS_ALIGNED(hpa_base, SZ_2M) || size > MAX_GPA ||
	    hpa_base > MAX_GPA || size > MAX_GPA - hpa_base) {
		return RADIX_EINVAL;
	}
	t->root = alloc(ctx, RADIX_ROOT_SIZE);
	if (!t->root) {
		return RADIX_ENOMEM;
	}
	t->bytes = RADIX_ROOT_SIZE;
	while (gpa < size) {
		uint64_t hpa = hpa_base + gpa;
		be64 *l2, *l3;

		l2 = child(t, &t->root[index_of(gpa, SHIFT_L1, RADIX_ROOT_BITS)],
			   alloc, ctx);
		if (!l2) {
			goto nomem;
		}
		if (huge && IS_ALIGNED(gpa, SZ_1G) && IS_ALIGNED(hpa, SZ_1G) &&
		    size - gpa >= SZ_1G) {
			l2[index_of(gpa, SHIFT_L2, RADIX_LEVEL_BITS)] =
				cpu_to_be64(leaf(hpa, attrs));
			gpa += SZ_1G;
			continue;
		}
		l3 = child(t, &l2[index_of(gpa, SHIFT_L2, RADIX_LEVEL_BITS)],
			   alloc, ctx);
		if (!l3) {
			goto nomem;
		}
		l3[index_of(gpa, SHIFT_L3, RADIX_LEVEL_BITS)] =
			cpu_to_be64(leaf(hpa, attrs));
		gpa += SZ_2M;
	}
	return RADIX_OK;
nomem:
	radix_destroy(t, free_fn, ctx);
	return RADIX_ENOMEM;
}

enum radix_err radix_build(struct radix_tree *t, uint64_t size,
			   uint64_t hpa_base, uint64_t attrs,
			   radix_alloc_fn alloc, radix_free_fn free_fn,
			   void *ctx)
{
	return build(t, size, hpa_base, attrs, true, alloc, free_fn, ctx);
}

enum radix_err radix_build_2m(struct radix_tree *t, uint64_t size,
			      uint64_t hpa_base, uint64_t attrs,
			      radix_alloc_fn alloc, radix_free_fn free_fn,
			      void *ctx)
{
	return build(t, size, hpa_base, attrs, false, alloc, free_fn, ctx);
}

be64 *radix_leaf_2m(const struct radix_tree *t, uint64_t gpa)
{
	be64 *l2, *l3;
	be64 e;

	if (!t->root || gpa >= MAX_GPA) {
		return NULL;
	}
	e = t->root[index_of(gpa, SHIFT_L1, RADIX_ROOT_BITS)];
	if (!e || is_leaf(be64_to_cpu(e))) {
		return NULL;
	}
	l2 = next_table(e);
	e = l2[index_of(gpa, SHIFT_L2, RADIX_LEVEL_BITS)];
	if (!e || is_leaf(be64_to_cpu(e))) {
		return NULL;
	}
	l3 = next_table(e);
	e = l3[index_of(gpa, SHIFT_L3, RADIX_LEVEL_BITS)];
	/* A leaf, valid or made invalid by mm/lazy.c (RPN kept). */
	if (!is_leaf(be64_to_cpu(e))) {
		return NULL;
	}
	return &l3[index_of(gpa, SHIFT_L3, RADIX_LEVEL_BITS)];
}

/*
 * Map [gpa, gpa + size) to [hpa, ...) with 4 KiB leaves for device pages:
 * read/write, no execute, cache attributes `att` (RPTE_ATT_*).
 */
enum radix_err radix_map_io(struct radix_tree *t, uint64_t gpa, uint64_t hpa,
			    uint64_t size, uint64_t att, radix_alloc_fn alloc,
			    void *ctx)
{
	if (!t->root || size == 0 || !IS_ALIGNED(gpa | hpa | size, SZ_4K) ||
	    gpa >= MAX_GPA || size > MAX_GPA - gpa || hpa >= MAX_GPA ||
	    size > MAX_GPA - hpa || (att & ~RPTE_ATT_MASK)) {
		return RADIX_EINVAL;
	}
	for (uint64_t off = 0; off < size; off += SZ_4K) {
		uint64_t g = gpa + off;
		be64 *tbl = t->root;
		be64 *slot;

		for (unsigned lvl = 0; lvl < 3; lvl++) {
			const unsigned shift[] = { SHIFT_L1, SHIFT_L2, SHIFT_L3 };
			unsigned bits = lvl ? RADIX_LEVEL_BITS : RADIX_ROOT_BITS;

			slot = &tbl[index_of(g, shift[lvl], bits)];
			if (*slot && is_leaf(be64_to_cpu(*slot))) {
				return RADIX_EBUSY;
			}
			tbl = child(t, slot, alloc, ctx);
			if (!tbl) {
				return RADIX_ENOMEM;
			}
		}
		slot = &tbl[index_of(g, 12, RADIX_LEVEL_BITS)];
		if (*slot) {
			return RADIX_EBUSY;
		}
		*slot = cpu_to_be64(RPTE_VALID | RPTE_LEAF |
				    ((hpa + off) & RPTE_RPN_MASK) | RPTE_R |
				    RPTE_C | RPTE_EAA_READ | RPTE_EAA_RW | att);
	}
	return RADIX_OK;
}

static void free_level(be64 *tbl, unsigned entries, int depth,
		       radix_free_fn free_fn, void *ctx)
{
	for (unsigned i = 0; i < entries; i++) {
		uint64_t e = be64_to_cpu(tbl[i]);

		if (!(e & RPTE_VALID) || is_leaf(e)) {
			continue;
		}
		if (depth < 3) {
			free_level(next_table(tbl[i]), 1u << RADIX_LEVEL_BITS,
				   depth + 1, free_fn, ctx);
		}
		free_fn(ctx, next_table(tbl[i]), RADIX_TABLE_SIZE);
	}
}

void radix_destroy(struct radix_tree *t, radix_free_fn free_fn, void *ctx)
{
	if (!t->root) {
		return;
	}
	free_level(t->root, 1u << RADIX_ROOT_BITS, 1, free_fn, ctx);
	free_fn(ctx, t->root, RADIX_ROOT_SIZE);
	memset(t, 0, sizeof(*t));
}

bool radix_translate(const struct radix_tree *t, uint64_t gpa, uint64_t *hpa)
{
	const unsigned shifts[] = { SHIFT_L1, SHIFT_L2, SHIFT_L3, 12 };
	const unsigned bits[] = { RADIX_ROOT_BITS, RADIX_LEVEL_BITS,
				  RADIX_LEVEL_BITS, RADIX_LEVEL_BITS };
	const be64 *tbl = t->root;

	if (!tbl || gpa >= MAX_GPA) {
		return false;
	}
	for (unsigned lvl = 0; lvl < 4; lvl++) {
		uint64_t e = be64_to_cpu(tbl[index_of(gpa, shifts[lvl], bits[lvl])]);

		if (!(e & RPTE_VALID)) {
			return false;
		}
		if (is_leaf(e)) {
			uint64_t page = 1ull << shifts[lvl];

			if (lvl == 0) {
				return false; /* no leaves at the root */
			}
			*hpa = (e & RPTE_RPN_MASK & ~(page - 1)) | (gpa & (page - 1));
			return true;
		}
		if ((e & RPDE_NLS_MASK) != RADIX_LEVEL_BITS) {
			return false;
		}
		tbl = (const be64 *)(uintptr_t)(e & RPDE_NLB_MASK);
	}
	return false;
}

uint64_t radix_prte0(const struct radix_tree *t)
{
	return PATE_RTS_52 | ((uintptr_t)t->root & RPDE_NLB_MASK) |
	       RADIX_ROOT_BITS;
}

uint64_t radix_pate0(const struct radix_tree *t)
{
	return PATE0_HR | radix_prte0(t);
}
