/*
 * Tests for hv/machine.c: queries over struct machine.
 */
#include <stdlib.h>

#include "hv/machine.h"
#include "hv/spr.h"
#include "tests/unit/test.h"

TEST(machine, family_from_pvr)
{
	static const struct {
		uint32_t pvr;
		enum cpu_family f;
	} cases[] = {
		{ 0x004b0201, CPU_POWER8 },   /* POWER8E */
		{ 0x004c0100, CPU_POWER8 },   /* POWER8NVL */
		{ 0x004d0200, CPU_POWER8 },   /* POWER8 (QEMU powernv8) */
		{ 0x004e1200, CPU_POWER9 },   /* POWER9 DD2.0 (QEMU powernv9) */
		{ 0x004e0000, CPU_POWER9 },
		{ 0x00800200, CPU_POWER10 },  /* Power10 */
		{ 0x0080ffff, CPU_POWER10 },
		{ 0x004a0000, CPU_UNKNOWN },  /* POWER7+ */
		{ 0x003f0201, CPU_UNKNOWN },  /* POWER7 */
		{ 0x00820200, CPU_UNKNOWN },  /* Power11: not supported */
		{ 0x00000000, CPU_UNKNOWN },
		{ 0xffffffff, CPU_UNKNOWN },
		{ 0x4e120000, CPU_UNKNOWN },  /* version in the wrong half */
	};

	for (uint32_t i = 0; i < ARRAY_SIZE(cases); i++) {
		if (machine_family_from_pvr(cases[i].pvr) != cases[i].f) {
			test_fail(__FILE__, __LINE__,
				  "PVR 0x%08x: family %d, expected %d",
				  cases[i].pvr,
				  (int)machine_family_from_pvr(cases[i].pvr),
				  (int)cases[i].f);
		}
	}
}

TEST(machine, family_names)
{
	CHECK_STR_EQ(machine_family_name(CPU_POWER8), "POWER8");
	CHECK_STR_EQ(machine_family_name(CPU_POWER9), "POWER9");
	CHECK_STR_EQ(machine_family_name(CPU_POWER10), "Power10");
	CHECK_STR_EQ(machine_family_name(CPU_UNKNOWN), "unknown");
	CHECK_STR_EQ(machine_family_name((enum cpu_family)42), "unknown");
}

TEST(machine, thread_count_and_memory_total)
{
	struct machine *m = calloc(1, sizeof(*m));

	REQUIRE(m);
	CHECK_EQ(machine_thread_count(m), 0);
	CHECK_EQ(machine_mem_total(m), 0);
	m->core_count = 3;
	m->cores[0].thread_count = 4;
	m->cores[1].thread_count = 8;
	m->cores[2].thread_count = 1;
	m->cores[3].thread_count = 100; /* beyond core_count: not counted */
	m->mem_count = 2;
	m->mem[0].size = 2 * SZ_1G;
	m->mem[1].size = 0x8000000000ull;
	m->mem[2].size = SZ_1G; /* beyond mem_count */
	CHECK_EQ(machine_thread_count(m), 13);
	CHECK_EQ(machine_mem_total(m), 2 * SZ_1G + 0x8000000000ull);
	free(m);
}

/*
 * The PCR for a compatibility level: the architecture bits from the
 * guest's ISA up to below the host's, the reserved bits set, and the four
 * high facility-disable bits (vector, VSX, TM, MMA) clear, as Linux and
 * KVM write it: a POWER8-compat partition keeps its vector units.
 */
TEST(machine, compat_pcr_sets_arch_bits_and_keeps_facilities)
{
	uint64_t p8_on_p9 = machine_compat_pcr(CPU_POWER9, CPU_POWER8);
	uint64_t p8_on_p10 = machine_compat_pcr(CPU_POWER10, CPU_POWER8);
	uint64_t p9_on_p10 = machine_compat_pcr(CPU_POWER10, CPU_POWER9);

	CHECK_EQ(p8_on_p9 & PCR_ARCH_BITS, PCR_ARCH_207);
	CHECK_EQ(p8_on_p10 & PCR_ARCH_BITS, PCR_ARCH_207 | PCR_ARCH_300);
	CHECK_EQ(p9_on_p10 & PCR_ARCH_BITS, PCR_ARCH_300);
	CHECK_EQ(p8_on_p9 & PCR_HIGH_BITS, 0);
	CHECK_EQ(p8_on_p10 & PCR_HIGH_BITS, 0);
	CHECK_EQ(p9_on_p10 & PCR_HIGH_BITS, 0);
	/* Every other bit is reserved and written as one. */
	CHECK_EQ(p8_on_p9 | PCR_HIGH_BITS | PCR_ARCH_BITS, ~(uint64_t)0);
	/* Not older than the host, or unknown: no compatibility mode. */
	CHECK_EQ(machine_compat_pcr(CPU_POWER9, CPU_POWER9), 0);
	CHECK_EQ(machine_compat_pcr(CPU_POWER9, CPU_POWER10), 0);
	CHECK_EQ(machine_compat_pcr(CPU_POWER8, CPU_POWER8), 0);
	CHECK_EQ(machine_compat_pcr(CPU_UNKNOWN, CPU_POWER8), 0);
	CHECK_EQ(machine_compat_pcr(CPU_POWER9, CPU_UNKNOWN), 0);
}
