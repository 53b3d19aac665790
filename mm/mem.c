/*
 * Hypervisor memory set-up and accounting.  The image, the heap and the
 * vector page are lparvisor's own footprint; ranges the host tree reserves
 * (OPAL, HOMER/OCC, ...) are never handed out and are reported apart.
 */
#include "hv/console.h"
#include "hv/cpu.h"
#include "hv/lock.h"
#include "hv/panic.h"
#include "mm/mem.h"

static struct palloc pa;
static struct heap heap;
static struct spinlock mem_lock = SPINLOCK_INIT;
static uint64_t kept_bytes; /* image, vectors: outside pa's allocations */
static uint64_t held_bytes; /* kept for others: the boot bundle, ... */

static void check(enum palloc_err e, const char *what, uint64_t base,
		  uint64_t size)
{
	if (e != PALLOC_OK) {
		panic("memory map: %s 0x%llx+0x%llx: %s", what,
		      (unsigned long long)base, (unsigned long long)size,
		      palloc_strerror(e));
	}
}

void mem_init(const struct machine *m, const struct mem_keep *keep,
	      unsigned keep_count, uint64_t heap_size)
{
	uint64_t base;
	enum palloc_err e;

	palloc_init(&pa);
	for (uint32_t i = 0; i < m->mem_count; i++) {
		check(palloc_add(&pa, m->mem[i].base, m->mem[i].size),
		      "adding memory", m->mem[i].base, m->mem[i].size);
	}
	for (uint32_t i = 0; i < m->rsv_count; i++) {
		check(palloc_reserve(&pa, m->rsv[i].base, m->rsv[i].size),
		      "reserving", m->rsv[i].base, m->rsv[i].size);
	}
	for (unsigned i = 0; i < keep_count; i++) {
		uint64_t before = pa.reserved;

		check(palloc_reserve(&pa, keep[i].base, keep[i].size),
		      keep[i].what, keep[i].base, keep[i].size);
		if (keep[i].own) {
			kept_bytes += pa.reserved - before;
		} else {
			held_bytes += pa.reserved - before;
		}
	}
	heap_size = ALIGN_UP(heap_size, PAGE_SIZE);
	e = palloc_alloc(&pa, heap_size, SZ_64K, &base);
	if (e != PALLOC_OK) {
		panic("cannot carve a %llu KiB hypervisor heap: %s (largest "
		      "free block %llu KiB); lower the heap= boot option",
		      (unsigned long long)(heap_size >> 10), palloc_strerror(e),
		      (unsigned long long)(palloc_largest(&pa) >> 10));
	}
	if (!heap_init(&heap, (void *)(uintptr_t)base, heap_size)) {
		panic("heap region 0x%llx+0x%llx unusable",
		      (unsigned long long)base, (unsigned long long)heap_size);
	}
}

void *mem_zalloc(uint64_t size, uint64_t align)
{
	void *p;

	spin_lock(&mem_lock);
	p = heap_zalloc(&heap, size, align);
	spin_unlock(&mem_lock);
	return p;
}

void *mem_zalloc_boot(uint64_t size, uint64_t align, const char *what)
{
	void *p = mem_zalloc(size, align);

	if (!p) {
		panic("hypervisor heap exhausted allocating %s: %llu bytes "
		      "requested, %llu of %llu bytes in use, largest free "
		      "block %llu bytes; raise the heap= boot option",
		      what, (unsigned long long)size,
		      (unsigned long long)heap.in_use,
		      (unsigned long long)heap.size,
		      (unsigned long long)heap_largest_free(&heap));
	}
	return p;
}

void mem_free(void *p)
{
	bool ok;

	spin_lock(&mem_lock);
	ok = heap_free(&heap, p);
	spin_unlock(&mem_lock);
	BUG_ON(!ok);
}

uint64_t mem_pages_alloc(uint64_t size, uint64_t align, bool at,
			 uint64_t base)
{
	uint64_t out = 0;
	enum palloc_err e;

	spin_lock(&mem_lock);
	if (at) {
		e = palloc_claim(&pa, base, size);
		out = e == PALLOC_OK ? base : 0;
	} else if (palloc_alloc(&pa, size, align, &out) != PALLOC_OK) {
		out = 0;
	}
	spin_unlock(&mem_lock);
	return out;
}

void mem_pages_free(uint64_t base, uint64_t size)
{
	enum palloc_err e;

	spin_lock(&mem_lock);
	e = palloc_free(&pa, base, size);
	spin_unlock(&mem_lock);
	BUG_ON(e != PALLOC_OK);
}

#define CACHE_BLOCK 128

void mem_zero(void *p, uint64_t len)
{
	uint8_t *b = p;

	while (len && ((uintptr_t)b & (CACHE_BLOCK - 1))) {
		*b++ = 0;
		len--;
	}
	while (len >= CACHE_BLOCK) {
		cpu_dcbz(b);
		b += CACHE_BLOCK;
		len -= CACHE_BLOCK;
	}
	while (len--) {
		*b++ = 0;
	}
}

void mem_usage(uint64_t *pages, uint64_t *heap_bytes)
{
	spin_lock(&mem_lock);
	*pages = pa.allocated;
	*heap_bytes = heap.in_use;
	spin_unlock(&mem_lock);
}

uint64_t mem_free_bytes(void)
{
	uint64_t n;

	spin_lock(&mem_lock);
	n = palloc_free_bytes(&pa);
	spin_unlock(&mem_lock);
	return n;
}

uint64_t mem_hv_footprint(void)
{
	return kept_bytes + pa.allocated;
}

void mem_print_reserve(uint64_t guest_bytes, uint64_t disk_bytes)
{
	uint64_t own, tables, firmware, pct;

	spin_lock(&mem_lock);
	tables = pa.allocated - guest_bytes - disk_bytes - heap.size;
	own = kept_bytes + heap.size + tables;
	firmware = pa.reserved - kept_bytes - held_bytes;
	pct = pa.total ? own * 10000 / pa.total : 0;
	hv_printf("mm: hypervisor reserve %llu KiB, %llu.%02llu%% of %llu MiB: "
		  "image and vectors %llu KiB, heap %llu KiB (%llu KiB in use), "
		  "page and partition tables %llu KiB; partitions %llu MiB, "
		  "disks %llu KiB, firmware %llu KiB\n",
		  (unsigned long long)(own >> 10),
		  (unsigned long long)(pct / 100),
		  (unsigned long long)(pct % 100),
		  (unsigned long long)(pa.total >> 20),
		  (unsigned long long)(kept_bytes >> 10),
		  (unsigned long long)(heap.size >> 10),
		  (unsigned long long)(heap.in_use >> 10),
		  (unsigned long long)(tables >> 10),
		  (unsigned long long)(guest_bytes >> 20),
		  (unsigned long long)(disk_bytes >> 10),
		  (unsigned long long)(firmware >> 10));
	spin_unlock(&mem_lock);
}

void mem_print_accounting(void)
{
	spin_lock(&mem_lock);
	hv_printf("mm: memory %llu MiB, reserved by firmware and lparvisor "
		  "%llu KiB, free %llu MiB in %u ranges (largest %llu MiB)\n",
		  (unsigned long long)(pa.total >> 20),
		  (unsigned long long)(pa.reserved >> 10),
		  (unsigned long long)(palloc_free_bytes(&pa) >> 20),
		  pa.free_count,
		  (unsigned long long)(palloc_largest(&pa) >> 20));
	hv_printf("mm: heap %llu KiB, in use %llu bytes in %llu blocks "
		  "(peak %llu), failures %llu\n",
		  (unsigned long long)(heap.size >> 10),
		  (unsigned long long)heap.in_use,
		  (unsigned long long)heap.allocs,
		  (unsigned long long)heap.peak,
		  (unsigned long long)heap.failures);
	hv_printf("mm: lparvisor footprint %llu KiB (image and vectors %llu "
		  "KiB, allocated pages %llu KiB); boot bundle and firmware "
		  "tree held: %llu KiB\n",
		  (unsigned long long)(mem_hv_footprint() >> 10),
		  (unsigned long long)(kept_bytes >> 10),
		  (unsigned long long)(pa.allocated >> 10),
		  (unsigned long long)(held_bytes >> 10));
	spin_unlock(&mem_lock);
}
