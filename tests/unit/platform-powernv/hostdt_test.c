/*
 * Tests for platform-powernv/hostdt.c: skiboot's device tree into
 * struct machine.  Fixtures are the .dts files in tests/unit/fixtures/, compiled by the
 * build into the directory given with --fixtures.  Trees the fixtures do
 * not cover (too many cores, ranges, PHBs...) are made here with libfdt's
 * read-write functions from the good POWER9 tree.
 */
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>

#include "hv/machine.h"
#include "hv/options.h"
#include "mm/page_alloc.h"
#include "platform-powernv/hostdt.h"
#include "tests/unit/test.h"

#define ERR_LEN 160 /* as hv/main.c */

static const char *err_name(enum hostdt_err e)
{
	static const char *const names[] = {
		"HOSTDT_OK",	       "HOSTDT_BAD_HEADER",
		"HOSTDT_NO_CPUS",      "HOSTDT_BAD_CPU",
		"HOSTDT_NO_MEMORY",    "HOSTDT_BAD_MEMORY",
		"HOSTDT_BAD_RESERVED", "HOSTDT_NO_OPAL",
		"HOSTDT_TOO_MANY",     "HOSTDT_NO_BOOT_CPU",
	};

	return (unsigned)e < ARRAY_SIZE(names) ? names[e] : "(out of range)";
}

/* Load a compiled fixture into a buffer of exactly its size. */
static void *load(const char *name, size_t *size, const char *file, int line)
{
	char path[512];
	void *blob;

	snprintf(path, sizeof(path), "%s/%s", test_fixture_dir(), name);
	blob = test_read_file(path, size);
	if (!blob) {
		test_fail(file, line,
			  "cannot read fixture %s (build it with make "
			  "check-unit, or pass --fixtures DIR)",
			  path);
	}
	return blob;
}

#define LOAD(name, size) load((name), (size), __FILE__, __LINE__)

struct parsed {
	struct machine *m;
	enum hostdt_err e;
	char err[ERR_LEN];
};

/* Parse a blob; the caller frees the result with parsed_free(). */
static struct parsed *parse_blob(const void *blob, size_t size)
{
	struct parsed *p = calloc(1, sizeof(*p));

	if (!p || !(p->m = malloc(sizeof(*p->m)))) {
		free(p);
		return NULL;
	}
	/* Garbage in: the parser must reset everything it reports. */
	memset(p->m, 0xa5, sizeof(*p->m));
	memset(p->err, '#', sizeof(p->err));
	p->e = hostdt_parse(blob, size, p->m, p->err, sizeof(p->err));
	return p;
}

static void parsed_free(struct parsed *p)
{
	if (p) {
		free(p->m);
		free(p);
	}
}

static struct parsed *parse_fixture(const char *name, const char *file,
				    int line)
{
	struct parsed *p;
	size_t size;
	void *blob = load(name, &size, file, line);

	if (!blob) {
		return NULL;
	}
	p = parse_blob(blob, size);
	free(blob);
	return p;
}

#define PARSE(name) parse_fixture((name), __FILE__, __LINE__)

/* The parse succeeded; otherwise report the error and its message. */
#define REQUIRE_PARSED(p)                                                    \
	do {                                                                 \
		REQUIRE((p) != NULL);                                        \
		if ((p)->e != HOSTDT_OK) {                                   \
			test_fail(__FILE__, __LINE__, "parse failed: %s: %s",\
				  err_name((p)->e), (p)->err);               \
			parsed_free(p);                                      \
			return;                                              \
		}                                                            \
	} while (0)

/*
 * Properties every successful parse must have, whatever the tree:
 * counts in bounds, cores/chips/memory/reserved ranges sorted, threads
 * within limits, the boot PIR one of the threads.
 */
static void check_sane(const struct machine *m, const char *file, int line)
{
	bool boot_found = false;

	if (m->core_count == 0 || m->core_count > MACHINE_MAX_CORES ||
	    m->chip_count == 0 || m->chip_count > MACHINE_MAX_CHIPS ||
	    m->mem_count == 0 || m->mem_count > MACHINE_MAX_MEM ||
	    m->rsv_count > MACHINE_MAX_RSV || m->phb_count > MACHINE_MAX_PHBS) {
		test_fail(file, line,
			  "counts out of bounds: cores %u chips %u mem %u rsv "
			  "%u phbs %u",
			  m->core_count, m->chip_count, m->mem_count,
			  m->rsv_count, m->phb_count);
		return;
	}
	if (m->tb_freq == 0) {
		test_fail(file, line, "no timebase frequency");
	}
	for (uint32_t i = 0; i < m->core_count; i++) {
		const struct machine_core *c = &m->cores[i];
		bool chip_listed = false;

		if (i && m->cores[i - 1].pir > c->pir) {
			test_fail(file, line, "cores not sorted by PIR at %u",
				  i);
		}
		if (c->thread_count == 0 ||
		    c->thread_count > MACHINE_MAX_THREADS) {
			test_fail(file, line, "core %u: %u threads", i,
				  c->thread_count);
			continue;
		}
		for (uint32_t t = 0; t < c->thread_count; t++) {
			boot_found |= c->threads[t] == m->boot_pir;
		}
		for (uint32_t k = 0; k < m->chip_count; k++) {
			chip_listed |= m->chips[k] == c->chip_id;
		}
		if (!chip_listed) {
			test_fail(file, line, "core %u: chip %u not listed", i,
				  c->chip_id);
		}
	}
	if (!boot_found) {
		test_fail(file, line, "boot PIR 0x%x is no core's thread",
			  m->boot_pir);
	}
	for (uint32_t i = 1; i < m->chip_count; i++) {
		if (m->chips[i - 1] >= m->chips[i]) {
			test_fail(file, line, "chips not sorted/unique at %u",
				  i);
		}
	}
	for (uint32_t i = 0; i < m->mem_count; i++) {
		if (m->mem[i].size == 0 ||
		    range_wraps(m->mem[i].base, m->mem[i].size) ||
		    (i && m->mem[i - 1].base + m->mem[i - 1].size >
				  m->mem[i].base)) {
			test_fail(file, line,
				  "memory %u 0x%llx+0x%llx empty, wrapping, "
				  "unsorted or overlapping",
				  i, (unsigned long long)m->mem[i].base,
				  (unsigned long long)m->mem[i].size);
		}
	}
	for (uint32_t i = 0; i < m->rsv_count; i++) {
		const struct machine_rsv *r = &m->rsv[i];

		if (r->size == 0 || range_wraps(r->base, r->size) ||
		    (i && m->rsv[i - 1].base > r->base) ||
		    strnlen(r->name, MACHINE_NAME_LEN) == MACHINE_NAME_LEN) {
			test_fail(file, line,
				  "reserved %u 0x%llx+0x%llx empty, wrapping, "
				  "unsorted or unterminated",
				  i, (unsigned long long)r->base,
				  (unsigned long long)r->size);
		}
		for (uint32_t k = 0; k < i; k++) {
			if (m->rsv[k].base == r->base &&
			    m->rsv[k].size == r->size) {
				test_fail(file, line,
					  "reserved %u duplicates %u", i, k);
			}
		}
	}
	if (strnlen(m->model, MACHINE_NAME_LEN) == MACHINE_NAME_LEN ||
	    strnlen(m->bootargs, sizeof(m->bootargs)) == sizeof(m->bootargs)) {
		test_fail(file, line, "model or bootargs unterminated");
	}
	for (uint32_t i = 0; i < m->phb_count; i++) {
		if (strnlen(m->phbs[i].compatible, MACHINE_NAME_LEN) ==
		    MACHINE_NAME_LEN) {
			test_fail(file, line, "PHB %u compatible unterminated",
				  i);
		}
	}
}

#define CHECK_SANE(m) check_sane((m), __FILE__, __LINE__)

static void check_rsv(const struct machine *m, uint32_t i, uint64_t base,
		      uint64_t size, const char *name, const char *file,
		      int line)
{
	if (i >= m->rsv_count) {
		test_fail(file, line, "no reserved range %u (count %u)", i,
			  m->rsv_count);
		return;
	}
	if (m->rsv[i].base != base || m->rsv[i].size != size ||
	    strcmp(m->rsv[i].name, name) != 0) {
		test_fail(file, line,
			  "reserved %u = 0x%llx+0x%llx \"%s\", expected "
			  "0x%llx+0x%llx \"%s\"",
			  i, (unsigned long long)m->rsv[i].base,
			  (unsigned long long)m->rsv[i].size, m->rsv[i].name,
			  (unsigned long long)base, (unsigned long long)size,
			  name);
	}
}

#define CHECK_RSV(m, i, base, size, name)                                    \
	check_rsv((m), (i), (base), (size), (name), __FILE__, __LINE__)

static void check_mem(const struct machine *m, uint32_t i, uint64_t base,
		      uint64_t size, uint32_t chip, const char *file, int line)
{
	if (i >= m->mem_count || m->mem[i].base != base ||
	    m->mem[i].size != size || m->mem[i].chip_id != chip) {
		test_fail(file, line,
			  "memory %u (of %u) is not 0x%llx+0x%llx chip %u", i,
			  m->mem_count, (unsigned long long)base,
			  (unsigned long long)size, chip);
	}
}

#define CHECK_MEM(m, i, base, size, chip)                                    \
	check_mem((m), (i), (base), (size), (chip), __FILE__, __LINE__)

static void check_core(const struct machine *m, uint32_t i, uint32_t pir,
		       uint32_t chip, uint32_t pvr, uint32_t threads,
		       uint32_t first_thread, const char *file, int line)
{
	const struct machine_core *c = &m->cores[i];

	if (i >= m->core_count) {
		test_fail(file, line, "no core %u (count %u)", i,
			  m->core_count);
		return;
	}
	if (c->pir != pir || c->chip_id != chip || c->pvr != pvr ||
	    c->thread_count != threads) {
		test_fail(file, line,
			  "core %u: pir 0x%x chip %u pvr 0x%x threads %u; "
			  "expected 0x%x %u 0x%x %u",
			  i, c->pir, c->chip_id, c->pvr, c->thread_count, pir,
			  chip, pvr, threads);
		return;
	}
	for (uint32_t t = 0; t < threads; t++) {
		if (c->threads[t] != first_thread + t) {
			test_fail(file, line,
				  "core %u thread %u: PIR 0x%x, expected 0x%x",
				  i, t, c->threads[t], first_thread + t);
		}
	}
}

#define CHECK_CORE(m, i, pir, chip, pvr, threads, first)                     \
	check_core((m), (i), (pir), (chip), (pvr), (threads), (first),       \
		   __FILE__, __LINE__)

/* ---- bad trees: each refused with the right error and message ----------- */

static void expect_error(const char *fixture, enum hostdt_err want,
			 const char *needle1, const char *needle2,
			 const char *file, int line)
{
	struct parsed *p = parse_fixture(fixture, file, line);

	if (!p) {
		return;
	}
	if (p->e != want) {
		test_fail(file, line, "%s: got %s (\"%s\"), expected %s",
			  fixture, err_name(p->e),
			  p->e ? p->err : "", err_name(want));
	} else if (strnlen(p->err, sizeof(p->err)) == sizeof(p->err)) {
		test_fail(file, line, "%s: message not terminated", fixture);
	} else if ((needle1 && !strstr(p->err, needle1)) ||
		   (needle2 && !strstr(p->err, needle2))) {
		test_fail(file, line,
			  "%s: message \"%s\" should name \"%s\"%s%s%s", fixture,
			  p->err, needle1, needle2 ? " and \"" : "",
			  needle2 ? needle2 : "", needle2 ? "\"" : "");
	}
	parsed_free(p);
}

#define EXPECT_ERROR(fixture, want, n1, n2)                                  \
	expect_error((fixture), (want), (n1), (n2), __FILE__, __LINE__)

TEST(hostdt, refuses_tree_without_cpus_node)
{
	EXPECT_ERROR("bad-no-cpus.dtb", HOSTDT_NO_CPUS, "/cpus", NULL);
}

TEST(hostdt, refuses_cpus_without_any_cpu_node)
{
	EXPECT_ERROR("bad-cpus-empty.dtb", HOSTDT_NO_CPUS, "/cpus",
		     "device_type \"cpu\"");
}

TEST(hostdt, refuses_cpu_without_interrupt_servers)
{
	EXPECT_ERROR("bad-cpu-no-servers.dtb", HOSTDT_BAD_CPU,
		     "/cpus/PowerPC,POWER9@4", "\"ibm,ppc-interrupt-server#s\"");
}

TEST(hostdt, refuses_cpu_without_cpu_version)
{
	EXPECT_ERROR("bad-cpu-no-version.dtb", HOSTDT_BAD_CPU,
		     "/cpus/PowerPC,POWER9@8", "\"cpu-version\"");
}

TEST(hostdt, refuses_cpu_without_reg)
{
	EXPECT_ERROR("bad-cpu-no-reg.dtb", HOSTDT_BAD_CPU,
		     "/cpus/PowerPC,POWER9@c", "\"reg\"");
}

TEST(hostdt, refuses_tree_without_timebase_frequency)
{
	EXPECT_ERROR("bad-no-timebase.dtb", HOSTDT_BAD_CPU, "/cpus",
		     "timebase-frequency");
}

TEST(hostdt, refuses_core_with_more_than_eight_threads)
{
	EXPECT_ERROR("bad-too-many-threads.dtb", HOSTDT_TOO_MANY,
		     "/cpus/PowerPC,POWER9@0", "9 threads");
}

TEST(hostdt, refuses_boot_cpuid_that_is_no_thread)
{
	EXPECT_ERROR("bad-boot-cpu.dtb", HOSTDT_NO_BOOT_CPU, "boot_cpuid_phys",
		     "0x9");
}

TEST(hostdt, refuses_tree_without_memory)
{
	EXPECT_ERROR("bad-no-memory.dtb", HOSTDT_NO_MEMORY,
		     "device_type \"memory\"", NULL);
}

TEST(hostdt, refuses_overlapping_memory_nodes)
{
	EXPECT_ERROR("bad-memory-overlap.dtb", HOSTDT_BAD_MEMORY,
		     "/memory@40000000", "overlaps");
}

TEST(hostdt, refuses_memory_range_that_wraps)
{
	EXPECT_ERROR("bad-memory-wrap.dtb", HOSTDT_BAD_MEMORY,
		     "/memory@ffffffff00000000", "wraps");
}

TEST(hostdt, refuses_memory_reg_of_partial_entries)
{
	EXPECT_ERROR("bad-memory-reg-len.dtb", HOSTDT_BAD_MEMORY, "/memory@0",
		     "\"reg\"");
}

TEST(hostdt, refuses_reserved_ranges_of_partial_pairs)
{
	EXPECT_ERROR("bad-reserved-ranges-len.dtb", HOSTDT_BAD_RESERVED,
		     "\"reserved-ranges\"", NULL);
}

TEST(hostdt, refuses_reserved_memory_child_with_malformed_reg)
{
	EXPECT_ERROR("bad-reserved-memory-reg.dtb", HOSTDT_BAD_RESERVED,
		     "/reserved-memory/ibm,firmware-heap@30600000", "\"reg\"");
}

TEST(hostdt, refuses_tree_without_opal_node)
{
	EXPECT_ERROR("bad-no-opal.dtb", HOSTDT_NO_OPAL, "/ibm,opal", NULL);
}

TEST(hostdt, refuses_opal_node_without_entry_address)
{
	EXPECT_ERROR("bad-opal-no-entry.dtb", HOSTDT_NO_OPAL, "/ibm,opal",
		     "opal-entry-address");
}

/* ---- good trees --------------------------------------------------------- */

TEST(hostdt, powernv9_cpus_and_chips)
{
	struct parsed *p = PARSE("powernv9.dtb");

	REQUIRE_PARSED(p);
	CHECK_SANE(p->m);
	CHECK_STR_EQ(p->m->model, "qemu,powernv9");
	CHECK_EQ(p->m->family, CPU_POWER9);
	CHECK_EQ(p->m->boot_pir, 0);
	CHECK_EQ(p->m->tb_freq, 512000000);
	CHECK_EQ(p->m->chip_count, 1);
	CHECK_EQ(p->m->chips[0], 0);
	CHECK_EQ(p->m->core_count, 4);
	for (uint32_t i = 0; i < 4; i++) {
		CHECK_CORE(p->m, i, 4 * i, 0, 0x4e1200, 1, 4 * i);
	}
	CHECK_EQ(machine_thread_count(p->m), 4);
	CHECK_EQ(p->e, HOSTDT_OK);
	parsed_free(p);
}

TEST(hostdt, powernv9_memory_and_merged_reserved_ranges)
{
	struct parsed *p = PARSE("powernv9.dtb");

	REQUIRE_PARSED(p);
	CHECK_EQ(p->m->mem_count, 1);
	CHECK_MEM(p->m, 0, 0, 0x80000000, 0);
	CHECK_EQ(machine_mem_total(p->m), 2 * SZ_1G);
	/* Each of the 7 ranges is given three times: kept once, named. */
	CHECK_EQ(p->m->rsv_count, 7);
	CHECK_RSV(p->m, 0, 0x30000000, 0x600000, "ibm,firmware-code");
	CHECK_RSV(p->m, 1, 0x30600000, 0xa00000, "ibm,firmware-heap");
	CHECK_RSV(p->m, 2, 0x31000000, 0xc10000, "ibm,firmware-data");
	CHECK_RSV(p->m, 3, 0x31c10000, 0x20000, "ibm,firmware-stacks");
	/* reserved-names wins over the /reserved-memory node name. */
	CHECK_RSV(p->m, 4, 0x31c30000, 0xce0000,
		  "ibm,firmware-allocs-memory@0");
	/* Outside the 2 GiB of memory, still reserved. */
	CHECK_RSV(p->m, 5, 0x203ffd800000ull, 0x400000, "ibm,homer-image");
	CHECK_RSV(p->m, 6, 0x203fff800000ull, 0x800000, "ibm,occ-common-area");
	parsed_free(p);
}

TEST(hostdt, powernv9_opal_console_xive_phbs_and_chosen)
{
	struct parsed *p = PARSE("powernv9.dtb");

	REQUIRE_PARSED(p);
	CHECK_EQ(p->m->opal_base, 0x30000000);
	CHECK_EQ(p->m->opal_entry, 0x30003760);
	CHECK_EQ(p->m->opal_size, 0x1c30000);
	CHECK(p->m->has_console);
	CHECK_EQ(p->m->console_term, 0);
	CHECK(p->m->xive.present);
	CHECK_EQ(p->m->xive.tima[0], 0x6030203180000ull);
	CHECK_EQ(p->m->xive.tima[1], 0x6030203190000ull);
	CHECK_EQ(p->m->xive.tima[2], 0x60302031a0000ull);
	CHECK_EQ(p->m->xive.tima[3], 0x60302031b0000ull);
	CHECK_EQ(p->m->xive.priorities, 8);
	CHECK_EQ(p->m->phb_count, 3);
	CHECK_EQ(p->m->phbs[0].opal_id, 0);
	CHECK_EQ(p->m->phbs[0].reg_base, 0x600c3c0000000ull);
	CHECK_EQ(p->m->phbs[0].chip_id, 0);
	CHECK_STR_EQ(p->m->phbs[0].compatible, "ibm,power9-pciex");
	CHECK_EQ(p->m->phbs[1].opal_id, 1);
	CHECK_EQ(p->m->phbs[1].reg_base, 0x600c3c0200000ull);
	CHECK_STR_EQ(p->m->bootargs,
		     "console=hvc0 heap=32M smp_timeout_ms=2000");
	CHECK_EQ(p->m->initrd_start, 0x28000000);
	CHECK_EQ(p->m->initrd_end, 0x28123456);
	CHECK_EQ(p->err[0], '\0');
	parsed_free(p);
}

TEST(hostdt, phb_windows_buses_pes_and_msis)
{
	struct parsed *p = PARSE("powernv9.dtb");
	const struct machine_phb *h;

	REQUIRE_PARSED(p);
	h = &p->m->phbs[0];
	CHECK_EQ(h->index, 0);
	CHECK(h->okay);
	CHECK_EQ(h->esb_base, 0x600c300000000ull);
	CHECK_EQ(h->bus_first, 0);
	CHECK_EQ(h->bus_last, 0xff);
	CHECK_EQ(h->m32_cpu, 0x600c000000000ull);
	CHECK_EQ(h->m32_pci, 0x80000000ull);
	CHECK_EQ(h->m32_size, 0x7fff0000ull);
	CHECK_EQ(h->m64_cpu, 0x6000000000000ull);
	CHECK_EQ(h->m64_pci, 0x6000000000000ull);
	CHECK_EQ(h->m64_size, 0x4000000000ull);
	CHECK_EQ(h->num_pes, 512);
	CHECK_EQ(h->reserved_pe, 511);
	CHECK_EQ(h->msi_base, 0xfe000);
	CHECK_EQ(h->msi_count, 4088);
	/* INTA..INTD follow the MSIs (skiboot's base_lsi: 0xfeff8). */
	CHECK_EQ(h->lsi_base, 0xfeff8);
	CHECK_EQ(h->lsi_count, 4);
	/* Nothing given: no index, no windows, no buses; still okay. */
	h = &p->m->phbs[1];
	CHECK_EQ(h->index, MACHINE_PHB_NO_INDEX);
	CHECK(h->okay);
	CHECK_EQ(h->m32_size, 0);
	CHECK_EQ(h->m64_size, 0);
	CHECK_EQ(h->msi_count, 0);
	CHECK_EQ(h->lsi_count, 0);
	CHECK_EQ(h->esb_base, 0x600c3c0300000ull);
	/* status = "error". */
	h = &p->m->phbs[2];
	CHECK_EQ(h->opal_id, 4);
	CHECK_EQ(h->index, 4);
	CHECK(!h->okay);
	/* Only the okay PHB with an index can be found. */
	CHECK(machine_find_phb(p->m, 0, 0) == &p->m->phbs[0]);
	CHECK(machine_find_phb(p->m, 0, 4) == NULL);
	CHECK(machine_find_phb(p->m, 0, 1) == NULL);
	CHECK(machine_find_phb(p->m, 1, 0) == NULL);
	CHECK(machine_find_phb(p->m, 0, MACHINE_PHB_NO_INDEX) == NULL);
	parsed_free(p);
}

TEST(hostdt, two_chips_sorted_cores_threads_and_memory)
{
	struct parsed *p = PARSE("powernv9-2chip.dtb");

	REQUIRE_PARSED(p);
	CHECK_SANE(p->m);
	CHECK_EQ(p->m->family, CPU_POWER9);
	CHECK_EQ(p->m->boot_pir, 0x805); /* a secondary thread */
	CHECK_EQ(p->m->tb_freq, 512000000); /* from /cpus */
	CHECK_EQ(p->m->chip_count, 2);
	CHECK_EQ(p->m->chips[0], 0);
	CHECK_EQ(p->m->chips[1], 8);
	CHECK_EQ(p->m->core_count, 4);
	CHECK_CORE(p->m, 0, 0x0, 0, 0x4e1202, 4, 0x0);
	CHECK_CORE(p->m, 1, 0x4, 0, 0x4e1202, 4, 0x4);
	CHECK_CORE(p->m, 2, 0x800, 8, 0x4e1202, 4, 0x800);
	CHECK_CORE(p->m, 3, 0x804, 8, 0x4e1202, 4, 0x804);
	CHECK_EQ(machine_thread_count(p->m), 16);
	CHECK_EQ(p->m->mem_count, 3);
	CHECK_MEM(p->m, 0, 0, SZ_1G, 0);
	CHECK_MEM(p->m, 1, SZ_1G, SZ_1G, 0);
	CHECK_MEM(p->m, 2, 0x200000000000ull, 2 * SZ_1G, 8);
	CHECK_EQ(machine_mem_total(p->m), 4 * SZ_1G);
	CHECK_EQ(p->m->phb_count, 2);
	CHECK_EQ(p->m->phbs[0].opal_id, 0);
	CHECK_EQ(p->m->phbs[0].chip_id, 0);
	CHECK_EQ(p->m->phbs[1].opal_id, 6);
	CHECK_EQ(p->m->phbs[1].chip_id, 8);
	CHECK_EQ(p->m->phbs[1].reg_base, 0x600e3c0000000ull);
	CHECK(!p->m->has_console);
	CHECK(!p->m->xive.present);
	CHECK_STR_EQ(p->m->bootargs, "");
	CHECK_EQ(p->m->initrd_start, 0);
	CHECK_EQ(p->m->initrd_end, 0);
	parsed_free(p);
}

TEST(hostdt, reserved_ranges_merge_three_sources_without_duplicates)
{
	struct parsed *p = PARSE("powernv9-2chip.dtb");

	REQUIRE_PARSED(p);
	CHECK_EQ(p->m->rsv_count, 6);
	CHECK_RSV(p->m, 0, 0x30000000, 0x600000, "ibm,firmware-code");
	CHECK_RSV(p->m, 1, 0x30600000, 0xa00000, "ibm,firmware-heap");
	/* No reserved-names entry left: named from /reserved-memory. */
	CHECK_RSV(p->m, 2, 0x31000000, 0xc10000, "ibm,firmware-data");
	/* Only in the header: kept, unnamed. */
	CHECK_RSV(p->m, 3, 0x7f000000, 0x10000, "");
	/* One /reserved-memory node with two ranges, no unit address. */
	CHECK_RSV(p->m, 4, 0x200000000000ull, 0x100000, "ibm,slw-image");
	CHECK_RSV(p->m, 5, 0x200000200000ull, 0x100000, "ibm,slw-image");
	parsed_free(p);
}

TEST(hostdt, powernv8_eight_threads_per_core_and_no_xive)
{
	struct parsed *p = PARSE("powernv8.dtb");

	REQUIRE_PARSED(p);
	CHECK_SANE(p->m);
	CHECK_STR_EQ(p->m->model, "qemu,powernv8");
	CHECK_EQ(p->m->family, CPU_POWER8);
	CHECK_EQ(p->m->boot_pir, 8);
	CHECK_EQ(p->m->core_count, 2);
	CHECK_CORE(p->m, 0, 8, 0, 0x4d0200, 8, 8);
	CHECK_CORE(p->m, 1, 16, 0, 0x4d0200, 8, 16);
	CHECK_EQ(machine_thread_count(p->m), 16);
	CHECK_EQ(p->m->chip_count, 1);
	CHECK(!p->m->xive.present); /* XICS presenters are not XIVE */
	CHECK_EQ(p->m->xive.priorities, 0);
	/* Each thread's ICP page, for kicks (issue 15). */
	CHECK_EQ(p->m->cores[0].icp[0], 0x3ffff80008000ull);
	CHECK_EQ(p->m->cores[0].icp[7], 0x3ffff8000f000ull);
	CHECK_EQ(p->m->cores[1].icp[0], 0x3ffff80010000ull);
	CHECK_EQ(p->m->cores[1].icp[1], 0);
	CHECK(p->m->has_console);
	CHECK_EQ(p->m->console_term, 0);
	CHECK_EQ(p->m->opal_entry, 0x300032a0);
	CHECK_EQ(p->m->rsv_count, 1);
	CHECK_RSV(p->m, 0, 0x30000000, 0x1c30000, "ibm,firmware");
	CHECK_MEM(p->m, 0, 0, SZ_1G, 0);
	CHECK_EQ(p->m->phb_count, 0);
	CHECK_STR_EQ(p->m->bootargs, "panic=reboot");
	parsed_free(p);
}

TEST(hostdt, powernv10_family_raw_console_and_32bit_initrd)
{
	struct parsed *p = PARSE("powernv10.dtb");

	REQUIRE_PARSED(p);
	CHECK_SANE(p->m);
	CHECK_STR_EQ(p->m->model, "qemu,powernv10");
	CHECK_EQ(p->m->family, CPU_POWER10);
	CHECK_EQ(p->m->boot_pir, 4);
	CHECK_EQ(p->m->core_count, 2);
	CHECK_CORE(p->m, 0, 0, 0, 0x800200, 1, 0);
	CHECK_CORE(p->m, 1, 4, 0, 0x800200, 1, 4);
	CHECK(p->m->has_console);
	CHECK_EQ(p->m->console_term, 1); /* the raw one, not serial@0 */
	CHECK(p->m->xive.present);
	CHECK_EQ(p->m->xive.tima[1], 0x6030203190000ull);
	CHECK_EQ(p->m->xive.priorities, 8);
	CHECK_EQ(p->m->opal_entry, 0x30003a40);
	CHECK_EQ(p->m->opal_size, 0x2080000);
	CHECK_EQ(p->m->rsv_count, 1);
	CHECK_RSV(p->m, 0, 0x30000000, 0x600000, "ibm,firmware-code");
	CHECK_EQ(p->m->initrd_start, 0x28000000);
	CHECK_EQ(p->m->initrd_end, 0x28800000);
	parsed_free(p);
}

TEST(hostdt, one_cell_root_and_optional_nodes_absent)
{
	struct parsed *p = PARSE("minimal-1cell.dtb");

	REQUIRE_PARSED(p);
	CHECK_SANE(p->m);
	CHECK_STR_EQ(p->m->model, "test,minimal");
	CHECK_EQ(p->m->core_count, 1);
	CHECK_CORE(p->m, 0, 0, 0, 0x4e1200, 1, 0);
	CHECK_EQ(p->m->chip_count, 1);
	CHECK_EQ(p->m->tb_freq, 512000000);
	CHECK_EQ(p->m->mem_count, 1);
	CHECK_MEM(p->m, 0, 0, SZ_1G, 0);
	CHECK_EQ(p->m->opal_base, 0x30000000);
	CHECK_EQ(p->m->opal_entry, 0x30000100);
	CHECK_EQ(p->m->opal_size, 0);
	CHECK(!p->m->has_console);
	/* /reserved-memory's own cells: 2 address, 1 size. */
	CHECK_EQ(p->m->rsv_count, 1);
	CHECK_RSV(p->m, 0, 0x10000000, 0x100000, "fw");
	/* The presenter's reg in root cells: 1 address, 1 size. */
	CHECK(p->m->xive.present);
	CHECK_EQ(p->m->xive.tima[0], 0x60300000);
	CHECK_EQ(p->m->xive.tima[1], 0x60310000);
	CHECK_EQ(p->m->xive.tima[2], 0x60320000);
	CHECK_EQ(p->m->xive.tima[3], 0x60330000);
	CHECK_EQ(p->m->xive.priorities, 0);
	CHECK_EQ(p->m->phb_count, 0);
	CHECK_STR_EQ(p->m->bootargs, "");
	CHECK_EQ(p->m->initrd_start, 0);
	CHECK_EQ(p->m->initrd_end, 0);
	parsed_free(p);
}

TEST(hostdt, chosen_initrd_ending_before_start_is_ignored)
{
	struct parsed *p = PARSE("initrd-end-before-start.dtb");

	REQUIRE_PARSED(p);
	CHECK_EQ(p->m->initrd_start, 0);
	CHECK_EQ(p->m->initrd_end, 0);
	parsed_free(p);
}

/*
 * BUG (see report): with linux,initrd-start and no linux,initrd-end,
 * parse_chosen() leaves initrd_start set and initrd_end 0.  hv/main.c then
 * reserves [start, start + (0 - start)), i.e. up to 2^64.
 */
TEST(hostdt, chosen_initrd_start_without_end_is_ignored)
{
	struct parsed *p = PARSE("initrd-start-only.dtb");

	REQUIRE_PARSED(p);
	CHECK_EQ(p->m->initrd_start, 0);
	CHECK_EQ(p->m->initrd_end, 0);
	parsed_free(p);
}

TEST(hostdt, parsing_does_not_modify_the_tree)
{
	size_t size;
	void *blob = LOAD("powernv9.dtb", &size);
	void *copy;
	struct parsed *p;

	REQUIRE(blob);
	copy = malloc(size);
	REQUIRE(copy);
	memcpy(copy, blob, size);
	p = parse_blob(blob, size);
	CHECK(p && p->e == HOSTDT_OK);
	CHECK(memcmp(copy, blob, size) == 0);
	parsed_free(p);
	free(copy);
	free(blob);
}

/* The whole chain hv/main.c runs: tree, options, memory map, heap. */
TEST(hostdt, powernv9_tree_feeds_options_and_page_allocator)
{
	struct parsed *p = PARSE("powernv9.dtb");
	struct hv_options o;
	struct palloc pa;
	char warn[256];
	uint64_t heap;

	REQUIRE_PARSED(p);
	options_default(&o);
	CHECK_EQ(options_parse(p->m->bootargs, &o, warn, sizeof(warn)), 0);
	CHECK_EQ(o.heap_size, 32 * SZ_1M);
	CHECK_EQ(o.smp_timeout_ms, 2000);
	palloc_init(&pa);
	for (uint32_t i = 0; i < p->m->mem_count; i++) {
		CHECK_EQ(palloc_add(&pa, p->m->mem[i].base, p->m->mem[i].size),
			 PALLOC_OK);
	}
	for (uint32_t i = 0; i < p->m->rsv_count; i++) {
		CHECK_EQ(palloc_reserve(&pa, p->m->rsv[i].base,
					p->m->rsv[i].size),
			 PALLOC_OK);
	}
	CHECK_EQ(palloc_reserve(&pa, p->m->initrd_start,
				p->m->initrd_end - p->m->initrd_start),
		 PALLOC_OK);
	/* skiboot's five ranges inside memory, the initrd's 0x124000. */
	CHECK_EQ(pa.reserved, 0x2910000 + 0x124000);
	CHECK_EQ(palloc_alloc(&pa, o.heap_size, SZ_64K, &heap), PALLOC_OK);
	for (uint32_t i = 0; i < p->m->rsv_count; i++) {
		CHECK(!ranges_overlap(heap, o.heap_size, p->m->rsv[i].base,
				      p->m->rsv[i].size));
	}
	parsed_free(p);
}

/* ---- limits, made with libfdt from the good tree ------------------------ */

/* The good tree in a writable buffer with `extra` bytes of room. */
static void *open_rw(size_t extra, size_t *size)
{
	size_t in_size;
	void *in = LOAD("powernv9.dtb", &in_size);
	void *out;

	if (!in) {
		return NULL;
	}
	*size = in_size + extra;
	out = malloc(*size);
	if (out && fdt_open_into(in, out, (int)*size) != 0) {
		test_fail(__FILE__, __LINE__, "fdt_open_into failed");
		free(out);
		out = NULL;
	}
	free(in);
	return out;
}

/* Add a cpu node under /cpus. */
static int add_cpu(void *fdt, uint32_t pir, uint32_t chip)
{
	int cpus = fdt_path_offset(fdt, "/cpus");
	char name[32];
	int node;

	snprintf(name, sizeof(name), "PowerPC,POWER9@%x", pir);
	node = fdt_add_subnode(fdt, cpus, name);
	if (node < 0) {
		return node;
	}
	return fdt_setprop_string(fdt, node, "device_type", "cpu") ||
	       fdt_setprop_u32(fdt, node, "reg", pir) ||
	       fdt_setprop_u32(fdt, node, "ibm,chip-id", chip) ||
	       fdt_setprop_u32(fdt, node, "cpu-version", 0x4e1200) ||
	       fdt_setprop_u32(fdt, node, "ibm,ppc-interrupt-server#s", pir);
}

static void expect_blob_error(void *fdt, size_t size, enum hostdt_err want,
			      const char *needle, const char *file, int line)
{
	struct parsed *p = parse_blob(fdt, size);

	if (!p) {
		test_fail(file, line, "out of memory");
		return;
	}
	if (p->e != want || !strstr(p->err, needle)) {
		test_fail(file, line,
			  "got %s (\"%s\"), expected %s with \"%s\"",
			  err_name(p->e), p->e ? p->err : "", err_name(want),
			  needle);
	}
	parsed_free(p);
}

#define EXPECT_BLOB_ERROR(fdt, size, want, needle)                           \
	expect_blob_error((fdt), (size), (want), (needle), __FILE__, __LINE__)

TEST(hostdt, refuses_more_than_128_cores)
{
	size_t size;
	void *fdt = open_rw(64 * 1024, &size);
	struct parsed *p;

	REQUIRE(fdt);
	/* 4 cores already; 124 more make 128, which is fine. */
	for (uint32_t i = 0; i < 124; i++) {
		CHECK_EQ(add_cpu(fdt, 0x100 + 4 * i, 0), 0);
	}
	p = parse_blob(fdt, size);
	CHECK(p && p->e == HOSTDT_OK && p->m->core_count == 128);
	parsed_free(p);
	CHECK_EQ(add_cpu(fdt, 0x1000, 0), 0);
	EXPECT_BLOB_ERROR(fdt, size, HOSTDT_TOO_MANY, "more than 128 cores");
	free(fdt);
}

TEST(hostdt, refuses_more_than_16_chips)
{
	size_t size;
	void *fdt = open_rw(16 * 1024, &size);
	struct parsed *p;

	REQUIRE(fdt);
	for (uint32_t chip = 1; chip < 16; chip++) {
		CHECK_EQ(add_cpu(fdt, chip << 8, chip), 0);
	}
	p = parse_blob(fdt, size);
	CHECK(p && p->e == HOSTDT_OK && p->m->chip_count == 16);
	parsed_free(p);
	CHECK_EQ(add_cpu(fdt, 16 << 8, 16), 0);
	EXPECT_BLOB_ERROR(fdt, size, HOSTDT_TOO_MANY, "more than 16 chips");
	free(fdt);
}

TEST(hostdt, refuses_more_than_32_memory_ranges)
{
	size_t size;
	void *fdt = open_rw(4096, &size);
	be32 reg[33 * 4];
	int node;

	REQUIRE(fdt);
	node = fdt_path_offset(fdt, "/memory@0");
	REQUIRE(node >= 0);
	for (uint32_t i = 0; i < 33; i++) {
		reg[4 * i] = cpu_to_be32(0);
		reg[4 * i + 1] = cpu_to_be32(i * 0x4000000);
		reg[4 * i + 2] = cpu_to_be32(0);
		reg[4 * i + 3] = cpu_to_be32(0x2000000);
	}
	CHECK_EQ(fdt_setprop(fdt, node, "reg", reg, 32 * 16), 0);
	{
		struct parsed *p = parse_blob(fdt, size);

		CHECK(p && p->e == HOSTDT_OK && p->m->mem_count == 32);
		parsed_free(p);
	}
	CHECK_EQ(fdt_setprop(fdt, node, "reg", reg, sizeof(reg)), 0);
	EXPECT_BLOB_ERROR(fdt, size, HOSTDT_TOO_MANY, "memory ranges");
	free(fdt);
}

TEST(hostdt, refuses_more_than_64_reserved_ranges)
{
	size_t size;
	void *fdt = open_rw(4096, &size);
	be64 ranges[2 * 58];

	REQUIRE(fdt);
	/* 7 ranges already; 57 new ones make 64, 58 make 65. */
	for (uint32_t i = 0; i < 58; i++) {
		ranges[2 * i] = cpu_to_be64(0x40000000 + i * 0x10000ull);
		ranges[2 * i + 1] = cpu_to_be64(0x1000);
	}
	CHECK_EQ(fdt_delprop(fdt, 0, "reserved-names"), 0);
	CHECK_EQ(fdt_setprop(fdt, 0, "reserved-ranges", ranges, 57 * 16), 0);
	{
		struct parsed *p = parse_blob(fdt, size);

		CHECK(p && p->e == HOSTDT_OK && p->m->rsv_count == 64);
		parsed_free(p);
	}
	CHECK_EQ(fdt_setprop(fdt, 0, "reserved-ranges", ranges, sizeof(ranges)),
		 0);
	EXPECT_BLOB_ERROR(fdt, size, HOSTDT_TOO_MANY, "reserved ranges");
	free(fdt);
}

TEST(hostdt, refuses_more_than_48_phbs)
{
	size_t size;
	void *fdt = open_rw(16 * 1024, &size);

	REQUIRE(fdt);
	/* The fixture has three PHBs. */
	for (uint32_t i = 3; i < 49; i++) {
		char name[32];
		int node;

		snprintf(name, sizeof(name), "pciex@%x", 0x1000 * i);
		node = fdt_add_subnode(fdt, 0, name);
		REQUIRE(node >= 0);
		CHECK_EQ(fdt_setprop_u64(fdt, node, "ibm,opal-phbid", i), 0);
		if (i == 47) {
			struct parsed *p = parse_blob(fdt, size);

			CHECK(p && p->e == HOSTDT_OK && p->m->phb_count == 48);
			parsed_free(p);
		}
	}
	EXPECT_BLOB_ERROR(fdt, size, HOSTDT_TOO_MANY, "PHBs");
	free(fdt);
}

/* Malformed PHB properties are ignored one by one, never trusted. */
TEST(hostdt, ignores_malformed_phb_properties)
{
	const uint32_t reversed[] = { cpu_to_fdt32(9), cpu_to_fdt32(2) };
	const uint32_t past[] = { cpu_to_fdt32(0), cpu_to_fdt32(256) };
	const uint32_t io_only[] = {
		cpu_to_fdt32(0x01000000), 0, 0, cpu_to_fdt32(0x600c0), 0, 0,
		cpu_to_fdt32(0x10000),
	};
	static const uint32_t short_m64[] = { 0, 1, 2, 3, 4 };
	size_t size;
	void *fdt = open_rw(1024, &size);
	struct parsed *p;
	int node;

	REQUIRE(fdt);
	node = fdt_path_offset(fdt, "/pciex@600c3c0000000");
	REQUIRE(node >= 0);
	CHECK_EQ(fdt_setprop(fdt, node, "bus-range", reversed,
			     sizeof(reversed)), 0);
	CHECK_EQ(fdt_setprop(fdt, node, "ranges", io_only, sizeof(io_only)),
		 0);
	CHECK_EQ(fdt_setprop(fdt, node, "ibm,opal-m64-window", short_m64,
			     sizeof(short_m64)), 0);
	CHECK_EQ(fdt_setprop_u32(fdt, node, "ibm,opal-reserved-pe", 512), 0);
	CHECK_EQ(fdt_setprop_u32(fdt, node, "ibm,opal-msi-ranges", 7), 0);
	CHECK_EQ(fdt_setprop_u64(fdt, node, "ibm,phb-index",
				 0x100000000ull), 0);
	CHECK_EQ(fdt_setprop_string(fdt, node, "status", "disabled"), 0);
	p = parse_blob(fdt, size);
	REQUIRE(p && p->e == HOSTDT_OK);
	CHECK_EQ(p->m->phbs[0].bus_first, 0);
	CHECK_EQ(p->m->phbs[0].bus_last, 0);
	CHECK_EQ(p->m->phbs[0].m32_size, 0);
	CHECK_EQ(p->m->phbs[0].m64_size, 0);
	CHECK_EQ(p->m->phbs[0].num_pes, 512);
	CHECK_EQ(p->m->phbs[0].reserved_pe, 0);
	CHECK_EQ(p->m->phbs[0].msi_count, 0);
	CHECK_EQ(p->m->phbs[0].index, MACHINE_PHB_NO_INDEX);
	CHECK(!p->m->phbs[0].okay);
	parsed_free(p);
	CHECK_EQ(fdt_setprop(fdt, node, "bus-range", past, sizeof(past)), 0);
	p = parse_blob(fdt, size);
	REQUIRE(p && p->e == HOSTDT_OK);
	CHECK_EQ(p->m->phbs[0].bus_last, 0);
	parsed_free(p);
	free(fdt);
}

TEST(hostdt, refuses_root_cell_counts_of_zero)
{
	size_t size;
	void *fdt = open_rw(256, &size);

	REQUIRE(fdt);
	CHECK_EQ(fdt_setprop_u32(fdt, 0, "#size-cells", 0), 0);
	EXPECT_BLOB_ERROR(fdt, size, HOSTDT_BAD_MEMORY, "#size-cells");
	free(fdt);
}

TEST(hostdt, long_strings_are_truncated_and_terminated)
{
	char args[700], model[100];
	size_t size;
	void *fdt = open_rw(4096, &size);
	struct parsed *p;
	int chosen;

	REQUIRE(fdt);
	memset(args, 'a', sizeof(args) - 1);
	args[sizeof(args) - 1] = '\0';
	memset(model, 'm', sizeof(model) - 1);
	model[sizeof(model) - 1] = '\0';
	chosen = fdt_path_offset(fdt, "/chosen");
	REQUIRE(chosen >= 0);
	CHECK_EQ(fdt_setprop_string(fdt, chosen, "bootargs", args), 0);
	CHECK_EQ(fdt_setprop_string(fdt, 0, "compatible", model), 0);
	p = parse_blob(fdt, size);
	if (p && p->e == HOSTDT_OK) {
		CHECK_EQ(strlen(p->m->bootargs), sizeof(p->m->bootargs) - 1);
		CHECK_EQ(strlen(p->m->model), MACHINE_NAME_LEN - 1);
		CHECK_EQ(p->m->model[0], 'm');
	} else {
		test_fail(__FILE__, __LINE__, "parse failed");
	}
	parsed_free(p);
	free(fdt);
}

TEST(hostdt, unterminated_bootargs_are_read_within_the_property)
{
	size_t size;
	void *fdt = open_rw(256, &size);
	struct parsed *p;
	int chosen;

	REQUIRE(fdt);
	chosen = fdt_path_offset(fdt, "/chosen");
	REQUIRE(chosen >= 0);
	CHECK_EQ(fdt_setprop(fdt, chosen, "bootargs", "heap=8M", 7), 0);
	p = parse_blob(fdt, size);
	CHECK(p && p->e == HOSTDT_OK);
	if (p) {
		CHECK_STR_EQ(p->m->bootargs, "heap=8M");
	}
	parsed_free(p);
	free(fdt);
}

/*
 * A wrapping reserved range is refused, and the message says which of the
 * three sources holds it (hostdt.h: the reason names the node and
 * property).
 */
TEST(hostdt, refuses_wrapping_reserved_range_naming_reserved_ranges)
{
	size_t size;
	void *fdt = open_rw(256, &size);
	const be64 pair[2] = { cpu_to_be64(0xffffffff00000000ull),
			       cpu_to_be64(0x200000000ull) };

	REQUIRE(fdt);
	CHECK_EQ(fdt_setprop(fdt, 0, "reserved-ranges", pair, sizeof(pair)),
		 0);
	EXPECT_BLOB_ERROR(fdt, size, HOSTDT_BAD_RESERVED, "reserved-ranges");
	free(fdt);
}

TEST(hostdt, refuses_wrapping_reserved_range_naming_reserved_memory_node)
{
	size_t size;
	void *fdt = open_rw(256, &size);
	const be32 reg[4] = { cpu_to_be32(0xffffffff), 0, cpu_to_be32(2), 0 };
	int node;

	REQUIRE(fdt);
	node = fdt_path_offset(fdt, "/reserved-memory/ibm,firmware-heap@30600000");
	REQUIRE(node >= 0);
	CHECK_EQ(fdt_setprop(fdt, node, "reg", reg, sizeof(reg)), 0);
	EXPECT_BLOB_ERROR(fdt, size, HOSTDT_BAD_RESERVED,
			  "/reserved-memory/ibm,firmware-heap@30600000");
	free(fdt);
}

TEST(hostdt, refuses_wrapping_reserved_range_naming_the_header)
{
	size_t size;
	void *fdt = open_rw(256, &size);

	REQUIRE(fdt);
	CHECK_EQ(fdt_add_mem_rsv(fdt, 0xffffffff00000000ull, 0x200000000ull),
		 0);
	EXPECT_BLOB_ERROR(fdt, size, HOSTDT_BAD_RESERVED, "memreserve");
	free(fdt);
}

/* ---- the error buffer ----------------------------------------------------- */

TEST(hostdt, error_message_fits_a_small_buffer)
{
	size_t size;
	void *blob = LOAD("bad-no-cpus.dtb", &size);
	struct machine *m = malloc(sizeof(*m));
	char err[8];

	REQUIRE(blob && m);
	memset(err, '#', sizeof(err));
	CHECK_EQ(hostdt_parse(blob, size, m, err, sizeof(err)),
		 HOSTDT_NO_CPUS);
	CHECK_STR_EQ(err, "no /cpu");
	/* No buffer at all. */
	CHECK_EQ(hostdt_parse(blob, size, m, NULL, 0), HOSTDT_NO_CPUS);
	free(m);
	free(blob);
}

/* ---- damaged blobs ---------------------------------------------------------- */

TEST(hostdt, refuses_blob_shorter_than_a_header)
{
	static const unsigned char tiny[8] = { 0xd0, 0x0d, 0xfe, 0xed };
	struct parsed *p = parse_blob(tiny, sizeof(tiny));

	REQUIRE(p);
	CHECK_EQ(p->e, HOSTDT_BAD_HEADER);
	CHECK_STR_CONTAINS(p->err, "flattened device tree");
	parsed_free(p);
}

TEST(hostdt, refuses_blob_with_corrupted_magic)
{
	size_t size;
	unsigned char *blob = LOAD("powernv9.dtb", &size);
	struct parsed *p;

	REQUIRE(blob);
	blob[0] ^= 0x01;
	p = parse_blob(blob, size);
	CHECK(p && p->e == HOSTDT_BAD_HEADER);
	parsed_free(p);
	free(blob);
}

TEST(hostdt, refuses_blob_with_unsupported_version)
{
	size_t size;
	void *blob = LOAD("powernv9.dtb", &size);
	struct parsed *p;

	REQUIRE(blob);
	fdt_set_version(blob, 1);
	fdt_set_last_comp_version(blob, 1);
	p = parse_blob(blob, size);
	CHECK(p && p->e == HOSTDT_BAD_HEADER);
	parsed_free(p);
	free(blob);
}

TEST(hostdt, refuses_blob_cut_in_half)
{
	size_t size;
	void *blob = LOAD("powernv9.dtb", &size);
	void *half;
	struct parsed *p;

	REQUIRE(blob);
	half = malloc(size / 2); /* exactly: ASan sees any read past it */
	REQUIRE(half);
	memcpy(half, blob, size / 2);
	p = parse_blob(half, size / 2);
	CHECK(p && p->e == HOSTDT_BAD_HEADER);
	parsed_free(p);
	/* Same, with the header patched to claim the shorter size. */
	fdt_set_totalsize(half, (uint32_t)(size / 2));
	p = parse_blob(half, size / 2);
	CHECK(p && p->e == HOSTDT_BAD_HEADER);
	parsed_free(p);
	free(half);
	free(blob);
}

TEST(hostdt, refuses_every_truncation)
{
	size_t size;
	void *blob = LOAD("powernv9.dtb", &size);

	REQUIRE(blob);
	for (size_t cut = 0; cut < size && !test_failed(); cut++) {
		unsigned char *part = malloc(cut ? cut : 1);
		struct parsed *p;

		REQUIRE(part);
		memcpy(part, blob, cut);
		p = parse_blob(part, cut);
		if (!p || p->e != HOSTDT_BAD_HEADER) {
			test_fail(__FILE__, __LINE__,
				  "cut at %zu: %s", cut,
				  p ? err_name(p->e) : "no memory");
		}
		parsed_free(p);
		if (cut >= sizeof(struct fdt_header)) {
			fdt_set_totalsize(part, (uint32_t)cut);
			p = parse_blob(part, cut);
			if (!p || p->e != HOSTDT_BAD_HEADER) {
				test_fail(__FILE__, __LINE__,
					  "cut at %zu, totalsize patched: %s",
					  cut, p ? err_name(p->e) : "no memory");
			}
			parsed_free(p);
		}
		free(part);
	}
	free(blob);
}

/*
 * Random byte changes to the good trees never crash the parser (the ASan
 * build checks every access) and give either a sane machine or an error
 * with a message.
 */
static void fuzz(const char *fixture, uint64_t seed, int iterations,
		 const char *file, int line)
{
	size_t size;
	unsigned char *good = load(fixture, &size, file, line);
	unsigned char *blob;
	struct test_rng rng;
	int ok = 0, errors = 0;

	if (!good) {
		return;
	}
	blob = malloc(size);
	if (!blob) {
		free(good);
		return;
	}
	test_rng_seed(&rng, seed);
	for (int it = 0; it < iterations && !test_failed(); it++) {
		int flips = 1 + (int)test_rng_below(&rng, 8);
		/* Most changes past the header, where parsing goes deep. */
		size_t from = it % 4 ? sizeof(struct fdt_header) : 0;
		struct parsed *p;

		memcpy(blob, good, size);
		for (int f = 0; f < flips; f++) {
			size_t at = from + test_rng_below(&rng, size - from);

			blob[at] ^= (unsigned char)(1 + test_rng_below(&rng, 255));
		}
		p = parse_blob(blob, size);
		if (!p) {
			test_fail(file, line, "out of memory");
			break;
		}
		if ((unsigned)p->e > HOSTDT_NO_BOOT_CPU) {
			test_fail(file, line, "iteration %d: error %d", it,
				  (int)p->e);
		} else if (p->e == HOSTDT_OK) {
			ok++;
			check_sane(p->m, file, line);
		} else {
			errors++;
			if (p->err[0] == '\0' || p->err[0] == '#' ||
			    strnlen(p->err, sizeof(p->err)) == sizeof(p->err)) {
				test_fail(file, line,
					  "iteration %d: %s without a message",
					  it, err_name(p->e));
			}
		}
		parsed_free(p);
	}
	/* Both outcomes must occur, or the mutations are not biting. */
	if (!test_failed() && (ok == 0 || errors == 0)) {
		test_fail(file, line, "%d parsed, %d refused: fuzzing is "
			  "not exercising the parser", ok, errors);
	}
	free(blob);
	free(good);
}

TEST(hostdt, random_byte_changes_never_crash_powernv9)
{
	fuzz("powernv9.dtb", 0xf1a9f1a9, 400, __FILE__, __LINE__);
}

TEST(hostdt, random_byte_changes_never_crash_two_chips)
{
	fuzz("powernv9-2chip.dtb", 0x2c41b5, 300, __FILE__, __LINE__);
}

TEST(hostdt, random_byte_changes_never_crash_one_cell_tree)
{
	fuzz("minimal-1cell.dtb", 0x1ce11, 300, __FILE__, __LINE__);
}

/* ---- the system flash ---------------------------------------------------- */

/* powernv9.dtb with skiboot 7.0's flash node added (core/flash.c). */
static struct parsed *with_flash(bool chosen_path, uint64_t reg, bool no_erase,
				 bool block)
{
	size_t size;
	void *blob = LOAD("powernv9.dtb", &size);
	size_t big = size + 4096;
	void *t = calloc(1, big);
	struct parsed *p;
	int opal, fl, ch;

	if (!blob || !t || fdt_open_into(blob, t, (int)big)) {
		free(blob);
		free(t);
		return NULL;
	}
	opal = fdt_path_offset(t, "/ibm,opal");
	fl = fdt_add_subnode(t, opal, "flash@0");
	fdt_setprop_string(t, fl, "compatible", "ibm,opal-flash");
	fdt_setprop_u32(t, fl, "ibm,opal-id", 0);
	fdt_setprop_u64(t, fl, "reg", reg);
	if (block) {
		fdt_setprop_u32(t, fl, "ibm,flash-block-size", 0x1000);
	}
	if (no_erase) {
		fdt_setprop(t, fl, "no-erase", NULL, 0);
	}
	if (chosen_path) {
		ch = fdt_path_offset(t, "/chosen");
		fdt_setprop_string(t, ch, "ibm,system-flash",
				   "/ibm,opal/flash@0");
	}
	p = parse_blob(t, big);
	free(blob);
	free(t);
	return p;
}

TEST(hostdt, no_flash_node_no_flash)
{
	struct parsed *p = PARSE("powernv9.dtb");

	REQUIRE_PARSED(p);
	CHECK(!p->m->flash.present);
	parsed_free(p);
}

TEST(hostdt, flash_node_without_block_size_ignored)
{
	struct parsed *p = with_flash(true, 0x4000000, false, false);

	REQUIRE_PARSED(p);
	CHECK(!p->m->flash.present);
	parsed_free(p);
	p = with_flash(true, 0, false, true);
	REQUIRE_PARSED(p);
	CHECK(!p->m->flash.present);
	parsed_free(p);
}

TEST(hostdt, system_flash_id_size_block_and_no_erase)
{
	struct parsed *p = with_flash(true, 0x4000000, false, true);

	REQUIRE_PARSED(p);
	CHECK(p->m->flash.present);
	CHECK_EQ(p->m->flash.opal_id, 0u);
	CHECK_EQ(p->m->flash.size, 0x4000000u);
	CHECK_EQ(p->m->flash.block_size, 0x1000u);
	CHECK(!p->m->flash.no_erase);
	parsed_free(p);
	/* Found without /chosen too; no-erase read. */
	p = with_flash(false, 0x800000, true, true);
	REQUIRE_PARSED(p);
	CHECK(p->m->flash.present);
	CHECK_EQ(p->m->flash.size, 0x800000u);
	CHECK(p->m->flash.no_erase);
	parsed_free(p);
}
