/*
 * Tests for hv/emulate.c: instruction fetch through a guest's radix
 * process table (ISA 3.0 radix tree translation), with hostile tables, and
 * the completion of `mfspr rT,DPDES`.  Every table lives in fake partition
 * memory between guard zones (tests/unit/fake/), so a read outside it
 * fails the test.  Negative cases first.
 */
#include "hv/emulate.h"
#include "hv/spr.h"
#include "tests/unit/fake/fake.h"
#include "tests/unit/fake/guestcall.h"
#include "tests/unit/test.h"

#define MEM_SIZE (64 * SZ_4K)
#define PRTB 0x1000ull      /* process table, 4 KiB (PRTS 0) */
#define ROOT 0x2000ull      /* radix root, 13 bits (entry 0 only used) */
#define PUD 0x8000ull       /* next level, 9 bits (entry 0 only used) */
#define CODE 0x10000ull     /* where the instructions are */

#define RTS_52 ((2ull << 61) | (5ull << 5))
#define T_RPTE_V (1ull << 63)
#define T_RPTE_LEAF (1ull << 62)

#define INSN_MFDPDES_R5 0x7cb02aa6u /* mfspr r5,DPDES */
#define INSN_MTDPDES_R5 0x7cb02ba6u /* mtspr DPDES,r5 */
#define INSN_MSGSNDP_R5 0x7c00291cu /* msgsndp r5 */
#define INSN_NOP 0x60000000u
#define INSN_B 0x48000008u

static struct lpar *l;
static struct emulate_ctx c;
static struct regs r;

static bool setup(void)
{
	fake_reset();
	l = fake_lpar_create("emu", 1, MEM_SIZE);
	if (!l) {
		return false;
	}
	memset(fake_gmem(l), 0, MEM_SIZE);
	memset(&r, 0, sizeof(r));
	r.trap = 0xf80 | TRAP_HSRR;
	c.mem = &l->mem;
	c.pate1 = PRTB; /* PRTS 0: 4 KiB, 256 PIDs */
	c.pidr = 0;
	return true;
}

/* A little-endian guest's word at guest real `gpa`. */
static void put_insn(uint64_t gpa, uint32_t insn)
{
	memcpy(fake_gmem(l) + gpa, &insn, 4);
}

/* PID 0: a 52-bit tree whose root maps EA 0..1 GiB to real 0 (1 GiB leaf). */
static void map_identity(void)
{
	gm_put64(l, PRTB, RTS_52 | ROOT | 13);
	gm_put64(l, ROOT, T_RPTE_V | PUD | 9);
	gm_put64(l, PUD, T_RPTE_V | T_RPTE_LEAF | 0x107);
}

TEST(emulate, fetch_refuses_addresses_outside_memory)
{
	uint32_t insn;

	REQUIRE(setup());
	CHECK(!emulate_fetch(&c, MEM_SIZE, MSR_LE, &insn));
	CHECK(!emulate_fetch(&c, MEM_SIZE - 2, MSR_LE, &insn));
	CHECK(!emulate_fetch(&c, ~0ull - 3, MSR_LE, &insn));
	CHECK(!emulate_fetch(&c, CODE + 2, MSR_LE, &insn)); /* misaligned */
	CHECK(fake_guards_intact(l));
}

TEST(emulate, radix_walk_refuses_hostile_tables)
{
	uint32_t insn;

	REQUIRE(setup());
	/* No process table, quadrants 1 and 2, a PID past the table. */
	c.pate1 = 0;
	CHECK(!emulate_fetch(&c, CODE, MSR_LE | MSR_IR, &insn));
	c.pate1 = PRTB;
	map_identity();
	CHECK(!emulate_fetch(&c, (1ull << 62) | CODE, MSR_LE | MSR_IR, &insn));
	CHECK(!emulate_fetch(&c, (2ull << 62) | CODE, MSR_LE | MSR_IR, &insn));
	c.pidr = 256;
	CHECK(!emulate_fetch(&c, CODE, MSR_LE | MSR_IR, &insn));
	c.pidr = 0;
	/* A level that points at itself: bounded by the level count. */
	gm_put64(l, ROOT, T_RPTE_V | ROOT | 9);
	CHECK(!emulate_fetch(&c, CODE, MSR_LE | MSR_IR, &insn));
	/* Next-level size 0, and sizes that run past 12 bits. */
	gm_put64(l, ROOT, T_RPTE_V | PUD | 0);
	CHECK(!emulate_fetch(&c, CODE, MSR_LE | MSR_IR, &insn));
	gm_put64(l, ROOT, T_RPTE_V | PUD | 31);
	CHECK(!emulate_fetch(&c, CODE, MSR_LE | MSR_IR, &insn));
	/* Tables outside the partition, an invalid entry, a leaf outside. */
	gm_put64(l, ROOT, T_RPTE_V | (1ull << 40) | 9);
	CHECK(!emulate_fetch(&c, CODE, MSR_LE | MSR_IR, &insn));
	gm_put64(l, ROOT, PUD | 9);
	CHECK(!emulate_fetch(&c, CODE, MSR_LE | MSR_IR, &insn));
	gm_put64(l, ROOT, T_RPTE_V | PUD | 9);
	gm_put64(l, PUD, T_RPTE_V | T_RPTE_LEAF | (1ull << 40) | 0x107);
	CHECK(!emulate_fetch(&c, CODE, MSR_LE | MSR_IR, &insn));
	/* An EA beyond the tree's 52 bits. */
	map_identity();
	CHECK(!emulate_fetch(&c, 1ull << 52, MSR_LE | MSR_IR, &insn));
	CHECK(fake_guards_intact(l));
}

TEST(emulate, fetch_reads_real_mode_and_through_radix_in_guest_order)
{
	uint32_t insn = 0;

	REQUIRE(setup());
	put_insn(CODE, INSN_MFDPDES_R5);
	CHECK(emulate_fetch(&c, CODE, MSR_LE, &insn));
	CHECK_EQ(insn, INSN_MFDPDES_R5);
	CHECK(emulate_fetch(&c, CODE, 0, &insn)); /* big-endian guest */
	CHECK_EQ(insn, __builtin_bswap32(INSN_MFDPDES_R5));
	/* Real mode ignores the top four EA bits. */
	CHECK(emulate_fetch(&c, (0xcull << 60) | CODE, MSR_LE, &insn));
	CHECK_EQ(insn, INSN_MFDPDES_R5);
	map_identity();
	insn = 0;
	CHECK(emulate_fetch(&c, CODE, MSR_LE | MSR_IR, &insn));
	CHECK_EQ(insn, INSN_MFDPDES_R5);
	/* Quadrant 3 uses PID 0 whatever PIDR says. */
	c.pidr = 5;
	insn = 0;
	CHECK(emulate_fetch(&c, (3ull << 62) | CODE, MSR_LE | MSR_IR, &insn));
	CHECK_EQ(insn, INSN_MFDPDES_R5);
}

TEST(emulate, msgp_completes_mfspr_dpdes_only)
{
	uint64_t pc;

	REQUIRE(setup());
	r.gpr[5] = 0x1234;
	put_insn(CODE, INSN_MSGSNDP_R5);
	pc = CODE;
	CHECK(!emulate_msgp(&c, &r, &pc, MSR_LE));
	put_insn(CODE, INSN_MTDPDES_R5);
	pc = CODE;
	CHECK(!emulate_msgp(&c, &r, &pc, MSR_LE));
	/* A branch before any MSGP instruction: nothing is skipped over. */
	put_insn(CODE, INSN_B);
	put_insn(CODE + 4, INSN_MFDPDES_R5);
	pc = CODE;
	CHECK(!emulate_msgp(&c, &r, &pc, MSR_LE));
	CHECK_EQ(r.gpr[5], 0x1234);
	put_insn(CODE, INSN_MFDPDES_R5);
	pc = CODE;
	CHECK(emulate_msgp(&c, &r, &pc, MSR_LE));
	CHECK_EQ(r.gpr[5], 0);
	CHECK_EQ(pc, CODE + 4);
}

/* QEMU 7.2 reports the start of the block: look forward past a nop. */
TEST(emulate, msgp_looks_past_an_inexact_pc_to_the_first_branch)
{
	uint64_t pc = CODE;

	REQUIRE(setup());
	r.gpr[5] = 7;
	put_insn(CODE, INSN_NOP);
	put_insn(CODE + 4, INSN_MFDPDES_R5);
	CHECK(emulate_msgp(&c, &r, &pc, MSR_LE));
	CHECK_EQ(r.gpr[5], 0);
	CHECK_EQ(pc, CODE + 8);
	/* Nothing but nops up to the end of memory: refused, no overrun. */
	for (uint64_t a = MEM_SIZE - 64 * 4; a < MEM_SIZE; a += 4) {
		put_insn(a, INSN_NOP);
	}
	pc = MEM_SIZE - 16;
	CHECK(!emulate_msgp(&c, &r, &pc, MSR_LE));
	CHECK(fake_guards_intact(l));
}
