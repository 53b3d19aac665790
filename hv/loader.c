/*
 * Boot image loader.  Every header field is bounds-checked against the
 * image and every destination against the partition, with arithmetic that
 * cannot overflow: the image comes from the user's bundle.
 */
#include "hv/lib/string.h"
#include "hv/loader.h"

#define PAYLOAD_ENTRY LAYOUT_PAYLOAD_ENTRY
#define EI_CLASS 4
#define EI_DATA 5
#define PT_LOAD 1
#define EM_PPC64 21
#define MAX_PHDRS 64

struct elf {
	const uint8_t *b;
	size_t len;
	bool be;
	bool translate;       /* a kernel: QEMU's translate_kernel_address */
	uint64_t kernel_addr;
	uint64_t hdr_len;     /* the file and program headers' extent */
};

#define CORRUPT "its data failed its sha256 check: image corrupted"


/* Where a physical address of the image lands in the partition. */
static uint64_t place(const struct elf *e, uint64_t paddr)
{
	if (!e->translate) {
		return paddr;
	}
	return (paddr & LOADER_KERNEL_MASK) + e->kernel_addr;
}

static uint64_t rd(const struct elf *e, size_t off, unsigned size)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < size; i++) {
		unsigned sh = e->be ? 8 * (size - 1 - i) : 8 * i;

		v |= (uint64_t)e->b[off + i] << sh;
	}
	return v;
}

static bool is_elf64(const uint8_t *b, size_t len)
{
	return len >= 64 && b[0] == 0x7f && b[1] == 'E' && b[2] == 'L' &&
	       b[3] == 'F';
}

static const char *load_segment(const struct elf *e, const struct gmem *g,
				size_t ph, uint64_t limit,
				struct load_result *out)
{
	uint64_t off = rd(e, ph + 8, 8);
	uint64_t paddr = place(e, rd(e, ph + 24, 8));
	uint64_t filesz = rd(e, ph + 32, 8);
	uint64_t memsz = rd(e, ph + 40, 8);

	if (filesz > memsz || off > e->len || filesz > e->len - off) {
		return "a segment lies outside the image";
	}
	if (paddr > limit || memsz > limit - paddr || !gmem_owns(g, paddr, memsz)) {
		return "a segment does not fit in the partition's memory";
	}
	/* Copied now, or when first touched (mm/lazy.h). */
	if (!gmem_place(g, paddr, e->b + off, filesz, memsz, e->hdr_len)) {
		return CORRUPT;
	}
	out->base = MIN(out->base, paddr);
	out->end = MAX(out->end, paddr + memsz);
	out->size += memsz;
	return NULL;
}

static const char *load_elf(const struct gmem *g, const uint8_t *b, size_t len,
			    uint64_t limit, uint64_t kernel_addr, bool payload,
			    struct load_result *out)
{
	struct elf e = { b, len, b[EI_DATA] == 2, !payload, kernel_addr, 0 };
	uint64_t phoff, entry, first_vaddr = 0, first_paddr = 0;
	unsigned phentsize, phnum;
	bool found = false;
	const char *err;

	if (b[EI_CLASS] != 2 || (b[EI_DATA] != 1 && b[EI_DATA] != 2)) {
		return "not a 64-bit ELF image";
	}
	if (rd(&e, 18, 2) != EM_PPC64) {
		return "not a PowerPC64 ELF image";
	}
	entry = rd(&e, 24, 8);
	phoff = rd(&e, 32, 8);
	phentsize = (unsigned)rd(&e, 54, 2);
	phnum = (unsigned)rd(&e, 56, 2);
	if (phentsize < 56 || phnum == 0 || phnum > MAX_PHDRS ||
	    phoff > len || (uint64_t)phentsize * phnum > len - phoff) {
		return "bad ELF program headers";
	}
	e.hdr_len = MAX(64, phoff + (uint64_t)phentsize * phnum);
	out->base = UINT64_MAX;
	out->end = 0;
	out->size = 0;
	out->le = !e.be;
	for (unsigned i = 0; i < phnum; i++) {
		size_t ph = (size_t)(phoff + (uint64_t)i * phentsize);

		if (rd(&e, ph, 4) != PT_LOAD) {
			continue;
		}
		err = load_segment(&e, g, ph, limit, out);
		if (err) {
			return err;
		}
		if (!found) {
			first_vaddr = rd(&e, ph + 16, 8);
			first_paddr = rd(&e, ph + 24, 8);
			found = true;
		}
	}
	if (!found) {
		return "no loadable segment";
	}
	/* Linux links at 0xc000... with physical address 0: enter physically. */
	out->entry = place(&e, entry - first_vaddr + first_paddr);
	if (out->entry < out->base || out->entry >= out->end) {
		return "entry point outside the loaded segments";
	}
	return NULL;
}

const char *loader_load(const struct gmem *g, bool payload, const void *img,
			size_t len, uint64_t limit, uint64_t kernel_addr,
			struct load_result *out)
{
	const uint8_t *b = img;

	if (is_elf64(b, len)) {
		return load_elf(g, b, len, limit, kernel_addr, payload, out);
	}
	if (!payload) {
		return "not an ELF64 image (a kernel must be an ELF file)";
	}
	if (len <= PAYLOAD_ENTRY) {
		return "payload smaller than its entry point at 0x100";
	}
	if (len > limit || !gmem_owns(g, 0, len)) {
		return "payload does not fit in the partition's memory";
	}
	if (!gmem_place(g, 0, b, len, len, 0)) {
		return CORRUPT;
	}
	out->entry = PAYLOAD_ENTRY;
	out->base = 0;
	out->end = len;
	out->size = len;
	out->le = false;
	return NULL;
}
