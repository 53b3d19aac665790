/*
 * The boot bundle embedded in lparvisor's ELF file (hv/bootkernel.h).
 * The file is lparvisor's own, but its headers were rewritten by a tool
 * and the flash may hold anything: every field is checked against the
 * bytes skiboot can have loaded before it is used.
 */
#include "hv/bootkernel.h"

#define EHDR_SIZE 64
#define PHDR_SIZE 56
#define PHNUM_MAX 16
#define FDT_HEADER_SIZE 40

static uint64_t le(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < n; i++) {
		v |= (uint64_t)p[i] << (8 * i);
	}
	return v;
}

/**
 * Look through the program headers of the little-endian ELF64 file at
 * `elf` (`span` bytes readable) for one of type BOOTKERNEL_PT_BUNDLE.
 * Sets *off and *len (both 0 when there is none) and returns NULL; or
 * returns the reason the headers or that entry cannot be used.
 */
const char *bootkernel_bundle(const void *elf, uint64_t span,
			      uint64_t min_off, uint64_t *off, uint64_t *len)
{
	const uint8_t *e = elf;
	uint64_t phoff, o, n;
	unsigned phentsize, phnum;

	*off = 0;
	*len = 0;
	if (!e || span < EHDR_SIZE || e[0] != 0x7f || e[1] != 'E' ||
	    e[2] != 'L' || e[3] != 'F' || e[4] != 2 || e[5] != 1) {
		return "lparvisor's image has no little-endian ELF64 header";
	}
	phoff = le(e + 32, 8);
	phentsize = (unsigned)le(e + 54, 2);
	phnum = (unsigned)le(e + 56, 2);
	if (phentsize != PHDR_SIZE || phnum == 0 || phnum > PHNUM_MAX ||
	    phoff > span || (uint64_t)phnum * PHDR_SIZE > span - phoff) {
		return "lparvisor's image has bad program headers";
	}
	for (unsigned i = 0; i < phnum; i++) {
		const uint8_t *ph = e + phoff + (uint64_t)i * PHDR_SIZE;

		if (le(ph, 4) != BOOTKERNEL_PT_BUNDLE) {
			continue;
		}
		o = le(ph + 8, 8);
		n = le(ph + 32, 8);
		if (!IS_ALIGNED(o, 8) || o < min_off) {
			return "embedded bundle overlaps lparvisor's image or "
			       "is misaligned";
		}
		if (n < FDT_HEADER_SIZE || o > span || n > span - o) {
			return "embedded bundle reaches past what skiboot "
			       "loads";
		}
		*off = o;
		*len = n;
		return NULL;
	}
	return NULL;
}
