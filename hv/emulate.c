/*
 * Instruction fetch through a guest's radix translation and the
 * emulation of `mfspr rT,DPDES` (KVM-HV emulates the same instruction in
 * kvmppc_emulate_doorbell_instr, and fetches it from guest memory too:
 * POWER9 leaves HEIR unset on a facility unavailable interrupt).
 * The walk follows ISA 3.0 Book III 5.7.10 (radix tree translation);
 * every table entry is read once from partition memory through gmem, so a
 * hostile table can at worst make the fetch fail.
 */
#include "hv/emulate.h"
#include "hv/spr.h"

#define PRTB_MASK 0x0ffffffffffff000ull
#define PRTS_MASK 0x1full
#define PRTE_RTS1_SHIFT 61 /* RTS bits 1:2 */
#define PRTE_RTS2_SHIFT 5  /* RTS bits 3:5 */
#define PRTE_RPDB_MASK 0x0fffffffffffff00ull
#define PRTE_RPDS_MASK 0x1full
#define RPTE_V (1ull << 63)
#define RPTE_LEAF (1ull << 62)
#define RPTE_NLB_MASK 0x0fffffffffffff00ull
#define RPTE_NLS_MASK 0x1full
#define RPTE_RPN_MASK 0x01fffffffffff000ull
#define MAX_LEVELS 5

static bool read_be64(const struct gmem *g, uint64_t gpa, uint64_t *v)
{
	be64 raw;

	if (!gmem_read(g, gpa, &raw, sizeof(raw))) {
		return false;
	}
	*v = be64_to_cpu(raw);
	return true;
}

/* Guest effective address -> guest real address, or false. */
static bool radix_translate(const struct emulate_ctx *c, uint64_t ea,
			    uint64_t *gra)
{
	uint64_t quadrant = ea >> 62, pid, prte, base, pte;
	uint32_t bits, shift, nls;

	if (!c->pate1 || (quadrant != 0 && quadrant != 3)) {
		return false;
	}
	pid = quadrant == 3 ? 0 : c->pidr;
	if (pid * 16 + 16 > (1ull << (12 + (c->pate1 & PRTS_MASK))) ||
	    !read_be64(c->mem, (c->pate1 & PRTB_MASK) + pid * 16, &prte)) {
		return false;
	}
	bits = (uint32_t)((((prte >> PRTE_RTS1_SHIFT) & 3) << 3 |
			   ((prte >> PRTE_RTS2_SHIFT) & 7)) + 31);
	base = prte & PRTE_RPDB_MASK;
	nls = (uint32_t)(prte & PRTE_RPDS_MASK);
	ea &= (1ull << 62) - 1; /* the quadrant bits are not translated */
	if (bits > 62 || ea >> bits) {
		return false;
	}
	shift = bits;
	for (int level = 0; level < MAX_LEVELS; level++) {
		if (nls == 0 || nls > shift || shift - nls < 12) {
			return false;
		}
		shift -= nls;
		if (!read_be64(c->mem,
			       base + ((ea >> shift) & ((1ull << nls) - 1)) * 8,
			       &pte) ||
		    !(pte & RPTE_V)) {
			return false;
		}
		if (pte & RPTE_LEAF) {
			*gra = (pte & RPTE_RPN_MASK & ~((1ull << shift) - 1)) |
			       (ea & ((1ull << shift) - 1));
			return true;
		}
		base = pte & RPTE_NLB_MASK;
		nls = (uint32_t)(pte & RPTE_NLS_MASK);
	}
	return false;
}

bool emulate_fetch(const struct emulate_ctx *c, uint64_t pc, uint64_t msr,
		   uint32_t *insn)
{
	uint64_t gra = pc;
	uint32_t raw;

	if (msr & MSR_IR) {
		if (!radix_translate(c, pc, &gra)) {
			return false;
		}
	} else {
		gra &= ~(0xfull << 60); /* real mode ignores the top EA bits */
	}
	if ((gra & 3) || !gmem_read(c->mem, gra, &raw, sizeof(raw))) {
		return false;
	}
	/* lparvisor is little-endian; a big-endian guest's word is swapped. */
	*insn = (msr & MSR_LE) ? raw : be32_to_cpu(raw);
	return true;
}

#define OP_31 31
#define XOP_MFSPR 339
#define XOP_MTSPR 467
#define XOP_MSGSNDP 142
#define XOP_MSGCLRP 174
#define OP_BC 16
#define OP_B 18
#define OP_19 19
/* QEMU 7.2 only: how far to look past an inexact HSRR0 (see below). */
#define MSGP_SCAN 64

static uint32_t insn_spr(uint32_t insn)
{
	return ((insn >> 16) & 0x1f) | ((insn >> 6) & 0x3e0);
}

/* An instruction of the MSGP facility (ISA 3.0 Book III 6.2.11). */
static bool msgp_insn(uint32_t insn)
{
	uint32_t xop = (insn >> 1) & 0x3ff;

	if (insn >> 26 != OP_31) {
		return false;
	}
	return xop == XOP_MSGSNDP || xop == XOP_MSGCLRP ||
	       ((xop == XOP_MFSPR || xop == XOP_MTSPR) &&
		insn_spr(insn) == SPRN_DPDES);
}

static bool branch_insn(uint32_t insn)
{
	uint32_t op = insn >> 26;

	return op == OP_BC || op == OP_B || op == OP_19;
}

bool emulate_msgp(const struct emulate_ctx *c, struct regs *r,
		  uint64_t *pc, uint64_t msr)
{
	uint32_t insn = 0;
	int i;

	/*
	 * The processor puts the address of the instruction in HSRR0.  QEMU
	 * 7.2 does not for `mfspr DPDES` (its facility check runs inside
	 * another helper, so the guest PC is only known at the start of the
	 * translation block): HSRR0 may point at an earlier instruction of
	 * the same straight-line block, all of whose effects are done.  So
	 * look forward, to the first branch at most; on hardware the first
	 * instruction is the one.
	 */
	for (i = 0; i < MSGP_SCAN; i++, *pc += 4) {
		if (!emulate_fetch(c, *pc, msr, &insn) || branch_insn(insn)) {
			return false;
		}
		if (msgp_insn(insn)) {
			break;
		}
	}
	if (i == MSGP_SCAN || (insn >> 1 & 0x3ff) != XOP_MFSPR) {
		return false; /* msgsndp, msgclrp, mtspr DPDES: not emulated */
	}
	r->gpr[(insn >> 21) & 0x1f] = 0;
	*pc += 4;
	return true;
}
