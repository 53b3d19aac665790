/*
 * Small queries over `struct machine`, shared by the hypervisor and the
 * host tests.
 */
#include "hv/machine.h"
#include "hv/spr.h"

uint32_t machine_thread_count(const struct machine *m)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < m->core_count; i++) {
		n += m->cores[i].thread_count;
	}
	return n;
}

uint64_t machine_mem_total(const struct machine *m)
{
	uint64_t n = 0;

	for (uint32_t i = 0; i < m->mem_count; i++) {
		n += m->mem[i].size;
	}
	return n;
}

const char *machine_family_name(enum cpu_family f)
{
	switch (f) {
	case CPU_POWER8:
		return "POWER8";
	case CPU_POWER9:
		return "POWER9";
	case CPU_POWER10:
		return "Power10";
	default:
		return "unknown";
	}
}

enum cpu_family machine_family_from_pvr(uint32_t pvr)
{
	switch (pvr >> 16) {
	case PVR_VER_POWER8E:
	case PVR_VER_POWER8NVL:
	case PVR_VER_POWER8:
		return CPU_POWER8;
	case PVR_VER_POWER9:
		return CPU_POWER9;
	case PVR_VER_POWER10:
		return CPU_POWER10;
	default:
		return CPU_UNKNOWN;
	}
}

/* The PCR architecture bit of a family: the ISA version it implements. */
static uint64_t pcr_arch_bit(enum cpu_family f)
{
	switch (f) {
	case CPU_POWER8:
		return PCR_ARCH_207;
	case CPU_POWER9:
		return PCR_ARCH_300;
	case CPU_POWER10:
		return PCR_ARCH_31;
	default:
		return 0;
	}
}

uint64_t machine_compat_pcr(enum cpu_family host, enum cpu_family guest)
{
	uint64_t h = pcr_arch_bit(host), g = pcr_arch_bit(guest);

	if (!h || !g || g >= h) {
		return 0;
	}
	return (h - g) | PCR_MASK;
}

const struct machine_phb *machine_find_phb(const struct machine *m,
					   uint32_t chip, uint32_t index)
{
	for (uint32_t i = 0; i < m->phb_count; i++) {
		const struct machine_phb *p = &m->phbs[i];

		if (p->okay && p->index != MACHINE_PHB_NO_INDEX &&
		    p->chip_id == chip && p->index == index) {
			return p;
		}
	}
	return NULL;
}
