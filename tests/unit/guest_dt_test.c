/*
 * Tests for hv/guest_dt.c: parameter checks, buffer sizes, every node and
 * property with its exact value, and a property-by-property comparison
 * with QEMU 7.2's own pseries tree for the same options
 * (tests/unit/golden/qemu72-pseries-p9-xics.dts, compiled into the
 * fixture directory as golden/qemu72-pseries-p9-xics.dtb).
 */
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>

#include "hv/abi/rtas.h"
#include "hv/guest_dt.h"
#include "tests/unit/test.h"

#define BUF_SIZE 0x10000
#define GOLDEN_DTB "golden/qemu72-pseries-p9-xics.dtb"

/* --- Parameter sets -------------------------------------------------- */

/* The RTAS services QEMU 7.2 registers, with its tokens. */
static const struct guest_dt_rtas_token qemu_tokens[] = {
	{ "display-character", 0x2000 },
	{ "get-time-of-day", 0x2001 },
	{ "set-time-of-day", 0x2002 },
	{ "power-off", 0x2003 },
	{ "system-reboot", 0x2004 },
	{ "query-cpu-stopped-state", 0x2005 },
	{ "start-cpu", 0x2006 },
	{ "stop-self", 0x2007 },
	{ "ibm,get-system-parameter", 0x2008 },
	{ "ibm,set-system-parameter", 0x2009 },
	{ "ibm,set-xive", 0x200a },
	{ "ibm,get-xive", 0x200b },
	{ "ibm,int-off", 0x200c },
	{ "ibm,int-on", 0x200d },
	{ "check-exception", 0x200e },
	{ "event-scan", 0x200f },
	{ "ibm,set-tce-bypass", 0x2010 },
	{ "quiesce", 0x2011 },
	{ "nvram-fetch", 0x2012 },
	{ "nvram-store", 0x2013 },
	{ "read-pci-config", 0x2014 },
	{ "write-pci-config", 0x2015 },
	{ "ibm,read-pci-config", 0x2016 },
	{ "ibm,write-pci-config", 0x2017 },
	{ "ibm,query-interrupt-source-number", 0x2018 },
	{ "ibm,change-msi", 0x2019 },
	{ "set-indicator", 0x201a },
	{ "set-power-level", 0x201b },
	{ "get-power-level", 0x201c },
	{ "get-sensor-state", 0x201d },
	{ "ibm,configure-connector", 0x201e },
	{ "ibm,os-term", 0x201f },
	{ "ibm,set-eeh-option", 0x2020 },
	{ "ibm,get-config-addr-info2", 0x2021 },
	{ "ibm,read-slot-reset-state2", 0x2022 },
	{ "ibm,set-slot-reset", 0x2023 },
	{ "ibm,configure-pe", 0x2024 },
	{ "ibm,slot-error-detail", 0x2025 },
	{ "ibm,query-pe-dma-window", 0x2026 },
	{ "ibm,create-pe-dma-window", 0x2027 },
	{ "ibm,remove-pe-dma-window", 0x2028 },
	{ "ibm,reset-pe-dma-window", 0x2029 },
	{ "ibm,suspend-me", 0x202a },
	{ "ibm,nmi-register", 0x202b },
	{ "ibm,nmi-interlock", 0x202c },
};

static const char qemu_hypertas[] =
	"hcall-pft\0hcall-term\0hcall-dabr\0hcall-interrupt\0hcall-tce\0"
	"hcall-vio\0hcall-splpar\0hcall-join\0hcall-bulk\0hcall-set-mode\0"
	"hcall-sprg0\0hcall-copy\0hcall-debug\0hcall-vphn\0hcall-multi-tce\0"
	"hcall-hpt-resize\0hcall-watchdog";

/* A partition as lparvisor would run it: the minimal RTAS set (§2.12). */
static const struct guest_dt_rtas_token lv_tokens[] = {
	{ "get-time-of-day", RTAS_GET_TIME_OF_DAY },
	{ "set-time-of-day", RTAS_SET_TIME_OF_DAY },
	{ "power-off", RTAS_POWER_OFF },
	{ "system-reboot", RTAS_SYSTEM_REBOOT },
	{ "query-cpu-stopped-state", RTAS_QUERY_CPU_STOPPED_STATE },
	{ "start-cpu", RTAS_START_CPU },
	{ "stop-self", RTAS_STOP_SELF },
	{ "ibm,set-xive", RTAS_IBM_SET_XIVE },
	{ "ibm,get-xive", RTAS_IBM_GET_XIVE },
	{ "ibm,int-off", RTAS_IBM_INT_OFF },
	{ "ibm,int-on", RTAS_IBM_INT_ON },
	{ "ibm,os-term", RTAS_IBM_OS_TERM },
};

static const char lv_hypertas[] =
	"hcall-pft\0hcall-term\0hcall-dabr\0hcall-interrupt\0hcall-splpar\0"
	"hcall-set-mode";

static const uint8_t seed[32] = {
	0,  1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12, 13, 14, 15,
	16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31,
};

/* The options the golden tree was captured with (capture-qemu72.sh). */
static struct guest_dt_params golden_params(void)
{
	struct guest_dt_params p = {
		.name = "lpar1",
		.lpid = 1,
		.vcpus = 2,
		.pvr = 0x004e1200,
		.tb_freq = 512000000,
		.cpu_freq = 0,
		.mem_size = SZ_1G,
		.bootargs = "console=hvc0 quiet",
		.initrd_start = 0x420000,
		.initrd_end = 0x421000,
		.rtas_base = 0x3f100000,
		.rtas_size = guest_dt_rtas_size(2),
		.kernel_base = 0x400000,
		.kernel_end = 0x40002c,
		.boot_kernel_addr = 0x400000,
		.boot_kernel_size = 0x2c,
		.boot_kernel_le = true,
		.fdt_addr = 0x3f000000,
		.mmu = CONFIG_MMU_RADIX,
		.intc = CONFIG_INTC_XICS,
		.vty_reg = GUEST_DT_VIO_REG_BASE,
		.vty_irq = GUEST_DT_VIO_IRQ_BASE,
		.event_sources = true,
		.rng = true,
		.rtas_tokens = qemu_tokens,
		.rtas_token_count = ARRAY_SIZE(qemu_tokens),
		.hypertas = qemu_hypertas,
		.hypertas_len = sizeof(qemu_hypertas),
		.rng_seed = seed,
		.rng_seed_len = sizeof(seed),
		.vio_count = 1,
		.vio = { { .name = "nvram", .type = "nvram",
			   .compatible = "qemu,spapr-nvram",
			   .reg = GUEST_DT_VIO_REG_BASE + 1, .bytes = 0x10000 } },
	};
	return p;
}

static struct guest_dt_params lv_params(void)
{
	struct guest_dt_params p = {
		.name = "web",
		.lpid = 3,
		.vcpus = 2,
		.pvr = 0x004e1202,
		.tb_freq = 512000000,
		.cpu_freq = 2900000000ull,
		.mem_size = SZ_1G,
		.bootargs = "console=hvc0",
		.initrd_start = 0x3000000,
		.initrd_end = 0x3123456,
		.rtas_base = 0x3ff00000,
		.rtas_size = guest_dt_rtas_size(2),
		.fdt_addr = 0x3fe00000,
		.mmu = CONFIG_MMU_RADIX,
		.intc = CONFIG_INTC_XICS,
		.vty_reg = GUEST_DT_VIO_REG_BASE,
		.vty_irq = GUEST_DT_VIO_IRQ_BASE,
		.rtas_tokens = lv_tokens,
		.rtas_token_count = ARRAY_SIZE(lv_tokens),
		.hypertas = lv_hypertas,
		.hypertas_len = sizeof(lv_hypertas),
		.rng_seed = seed,
		.rng_seed_len = sizeof(seed),
	};
	return p;
}

/* Build into a fresh BUF_SIZE buffer; NULL (and a failure) if it fails. */
static void *build_at(const struct guest_dt_params *p, const char *file,
		      int line)
{
	void *buf = malloc(BUF_SIZE);
	int rc;

	if (!buf) {
		test_fail(file, line, "out of memory");
		return NULL;
	}
	rc = guest_dt_build(buf, BUF_SIZE, p);
	if (rc != 0) {
		test_fail(file, line, "guest_dt_build: %d (%s)", rc,
			  fdt_strerror(rc));
		free(buf);
		return NULL;
	}
	if (fdt_check_full(buf, fdt_totalsize(buf)) != 0) {
		test_fail(file, line, "fdt_check_full fails");
	}
	return buf;
}
#define build(p) build_at((p), __FILE__, __LINE__)

/* --- Property checks -------------------------------------------------- */

enum kind { K_EMPTY, K_STR, K_CELLS, K_BYTES, K_ANY };

/* One expected property: value bytes as they appear in the tree. */
struct expect {
	const char *name;
	enum kind kind;
	const void *val;
	size_t len; /* cells: number of cells; otherwise bytes */
};

#define E_EMPTY(n) { (n), K_EMPTY, NULL, 0 }
#define E_STR(n, s) { (n), K_STR, (s), sizeof(s) }
#define E_STRS(n, s) { (n), K_BYTES, (s), sizeof(s) }
#define E_CELLS(n, ...)                                                      \
	{ (n), K_CELLS, (const uint32_t[]){ __VA_ARGS__ },                    \
	  sizeof((const uint32_t[]){ __VA_ARGS__ }) / 4 }
#define E_BYTES(n, ...)                                                      \
	{ (n), K_BYTES, (const uint8_t[]){ __VA_ARGS__ },                     \
	  sizeof((const uint8_t[]){ __VA_ARGS__ }) }
#define E_U32(n, v) E_CELLS(n, (v))
/* Present, its value checked by the test itself. */
#define E_ANY(n) { (n), K_ANY, NULL, 0 }

static void check_prop_at(const void *fdt, const char *path,
			  const struct expect *e, const char *file, int line)
{
	int node = fdt_path_offset(fdt, path);
	const uint8_t *val;
	uint8_t want[512];
	size_t want_len = e->len;
	int len;

	if (node < 0) {
		test_fail(file, line, "%s: node missing", path);
		return;
	}
	val = fdt_getprop(fdt, node, e->name, &len);
	if (!val) {
		test_fail(file, line, "%s: %s missing", path, e->name);
		return;
	}
	if (e->kind == K_ANY) {
		return;
	}
	if (e->kind == K_CELLS) {
		want_len = e->len * 4;
		for (size_t i = 0; i < e->len; i++) {
			fdt32_t c = cpu_to_fdt32(((const uint32_t *)e->val)[i]);

			memcpy(want + 4 * i, &c, 4);
		}
	} else if (e->len) {
		memcpy(want, e->val, e->len);
	}
	if ((size_t)len != want_len || memcmp(val, want, want_len) != 0) {
		test_fail(file, line, "%s: %s differs (length %d, want %zu)",
			  path, e->name, len, want_len);
	}
}

static int prop_count(const void *fdt, int node)
{
	int count = 0;
	int off;

	fdt_for_each_property_offset(off, fdt, node) {
		count++;
	}
	return count;
}

/* Every listed property has its value, and the node has no other. */
static void check_node_at(const void *fdt, const char *path,
			  const struct expect *e, size_t n, const char *file,
			  int line)
{
	int node = fdt_path_offset(fdt, path);

	if (node < 0) {
		test_fail(file, line, "%s: node missing", path);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		check_prop_at(fdt, path, &e[i], file, line);
	}
	if ((size_t)prop_count(fdt, node) != n) {
		test_fail(file, line, "%s: %d properties, want %zu", path,
			  prop_count(fdt, node), n);
	}
}
#define check_node(fdt, path, e)                                             \
	check_node_at((fdt), (path), (e), ARRAY_SIZE(e), __FILE__, __LINE__)
#define check_prop(fdt, path, ...)                                           \
	do {                                                                 \
		const struct expect e_one_ = __VA_ARGS__;                    \
		check_prop_at((fdt), (path), &e_one_, __FILE__, __LINE__);   \
	} while (0)

static bool has_prop(const void *fdt, const char *path, const char *name)
{
	int node = fdt_path_offset(fdt, path);

	return node >= 0 && fdt_getprop(fdt, node, name, NULL) != NULL;
}

/* The node paths of the tree, in order, joined by spaces. */
static void node_list(const void *fdt, char *out, size_t size)
{
	char path[256];
	int depth = 0;
	size_t used = 0;

	out[0] = '\0';
	for (int node = 0; node >= 0 && depth >= 0;
	     node = fdt_next_node(fdt, node, &depth)) {
		if (fdt_get_path(fdt, node, path, sizeof(path)) == 0) {
			used += (size_t)snprintf(out + used, size - used,
						 "%s%s", used ? " " : "",
						 path);
		}
	}
}

/* The reserve map as "addr+size" pairs, joined by spaces. */
static void rsv_list(const void *fdt, char *out, size_t size)
{
	size_t used = 0;
	uint64_t a, s;

	out[0] = '\0';
	for (int i = 0; i < fdt_num_mem_rsv(fdt); i++) {
		fdt_get_mem_rsv(fdt, i, &a, &s);
		used += (size_t)snprintf(out + used, size - used,
					 "%s%llx+%llx", used ? " " : "",
					 (unsigned long long)a,
					 (unsigned long long)s);
	}
}

/* --- Negative cases first --------------------------------------------- */

static int build_rc(const struct guest_dt_params *p)
{
	void *buf = malloc(BUF_SIZE);
	int rc = guest_dt_build(buf, BUF_SIZE, p);

	free(buf);
	return rc;
}

TEST(guest_dt, rejects_null_arguments)
{
	struct guest_dt_params p = lv_params();
	char buf[64];

	CHECK_EQ(guest_dt_build(NULL, BUF_SIZE, &p), -FDT_ERR_BADVALUE);
	CHECK_EQ(guest_dt_build(buf, sizeof(buf), NULL), -FDT_ERR_BADVALUE);
}

TEST(guest_dt, rejects_zero_vcpus_memory_and_timebase)
{
	struct guest_dt_params p = lv_params();

	p.vcpus = 0;
	CHECK_EQ(build_rc(&p), -FDT_ERR_BADVALUE);
	p = lv_params();
	p.mem_size = 0;
	CHECK_EQ(build_rc(&p), -FDT_ERR_BADVALUE);
	p = lv_params();
	p.tb_freq = 0;
	CHECK_EQ(build_rc(&p), -FDT_ERR_BADVALUE);
}

TEST(guest_dt, rejects_unknown_cpu_family)
{
	struct guest_dt_params p = lv_params();

	p.pvr = 0x003f0201; /* POWER7 */
	CHECK_EQ(build_rc(&p), -FDT_ERR_BADVALUE);
}

TEST(guest_dt, rejects_radix_on_power8)
{
	struct guest_dt_params p = lv_params();

	p.pvr = 0x004d0200;
	CHECK_EQ(build_rc(&p), -FDT_ERR_BADVALUE);
	p.mmu = CONFIG_MMU_HASH;
	CHECK_EQ(build_rc(&p), 0);
}

TEST(guest_dt, rejects_unknown_modes)
{
	struct guest_dt_params p = lv_params();

	p.intc = (enum config_intc)5;
	CHECK_EQ(build_rc(&p), -FDT_ERR_BADVALUE);
	p = lv_params();
	p.mmu = (enum config_mmu)7;
	CHECK_EQ(build_rc(&p), -FDT_ERR_BADVALUE);
}

TEST(guest_dt, rejects_rtas_out_of_place)
{
	struct guest_dt_params p = lv_params();

	p.mem_size = 8 * SZ_1G;
	p.rtas_base = 0xfffff800; /* crosses 4 GiB */
	CHECK_EQ(build_rc(&p), -FDT_ERR_BADVALUE);
	p = lv_params();
	p.rtas_base = SZ_1G - 0x100; /* past the end of memory */
	CHECK_EQ(build_rc(&p), -FDT_ERR_BADVALUE);
	p = lv_params();
	p.rtas_size = GUEST_DT_RTAS_BLOB_SIZE - 1;
	CHECK_EQ(build_rc(&p), -FDT_ERR_BADVALUE);
	p = lv_params();
	p.rtas_base = ~0ull - 0x10;
	CHECK_EQ(build_rc(&p), -FDT_ERR_BADVALUE);
}

TEST(guest_dt, rejects_bad_initrd_and_kernel_ranges)
{
	struct guest_dt_params p = lv_params();

	p.initrd_start = 0x4000000;
	p.initrd_end = 0x3000000; /* end before start */
	CHECK_EQ(build_rc(&p), -FDT_ERR_BADVALUE);
	p = lv_params();
	p.initrd_end = SZ_1G + SZ_4K;
	CHECK_EQ(build_rc(&p), -FDT_ERR_BADVALUE);
	p = lv_params();
	p.kernel_base = 0x400000;
	p.kernel_end = 0x300000;
	CHECK_EQ(build_rc(&p), -FDT_ERR_BADVALUE);
}

TEST(guest_dt, rejects_overlapping_reserved_ranges)
{
	struct guest_dt_params p = lv_params();

	p.kernel_base = 0;
	p.kernel_end = 0x3000001; /* one byte into the initrd */
	CHECK_EQ(build_rc(&p), -FDT_ERR_BADVALUE);
	p = lv_params();
	p.initrd_start = 0x3ff00800; /* inside RTAS */
	p.initrd_end = 0x3ff01000;
	CHECK_EQ(build_rc(&p), -FDT_ERR_BADVALUE);
	p = lv_params();
	p.fdt_addr = p.rtas_base - 0x100; /* the tree would run into RTAS */
	CHECK_EQ(build_rc(&p), -FDT_ERR_BADVALUE);
	p = lv_params();
	p.fdt_addr = SZ_1G - 0x100; /* the tree would run past memory */
	CHECK_EQ(build_rc(&p), -FDT_ERR_BADVALUE);
	p = lv_params();
	p.fdt_addr = SZ_1G;
	CHECK_EQ(build_rc(&p), -FDT_ERR_BADVALUE);
}

TEST(guest_dt, rejects_malformed_hypertas)
{
	static const char no_nul[] = { 'h', 'c', 'a', 'l', 'l' };
	static const char empty_name[] = "hcall-pft\0\0hcall-term";
	static const char leading_nul[] = "\0hcall-pft";
	static const char control[] = "hcall\n-pft";
	struct guest_dt_params p = lv_params();

	p.hypertas = NULL;
	CHECK_EQ(build_rc(&p), -FDT_ERR_BADVALUE);
	p.hypertas = no_nul;
	p.hypertas_len = sizeof(no_nul);
	CHECK_EQ(build_rc(&p), -FDT_ERR_BADVALUE);
	p.hypertas = empty_name;
	p.hypertas_len = sizeof(empty_name);
	CHECK_EQ(build_rc(&p), -FDT_ERR_BADVALUE);
	p.hypertas = leading_nul;
	p.hypertas_len = sizeof(leading_nul);
	CHECK_EQ(build_rc(&p), -FDT_ERR_BADVALUE);
	p.hypertas = control;
	p.hypertas_len = sizeof(control);
	CHECK_EQ(build_rc(&p), -FDT_ERR_BADVALUE);
	p.hypertas = lv_hypertas;
	p.hypertas_len = 0;
	CHECK_EQ(build_rc(&p), -FDT_ERR_BADVALUE);
}

TEST(guest_dt, rejects_bad_rtas_token_names)
{
	static const struct guest_dt_rtas_token dup[] = {
		{ "power-off", 1 }, { "start-cpu", 2 }, { "power-off", 3 },
	};
	static const struct guest_dt_rtas_token fixed[] = {
		{ "rtas-size", 1 },
	};
	static const struct guest_dt_rtas_token bad_char[] = {
		{ "power off", 1 },
	};
	static const struct guest_dt_rtas_token empty[] = { { "", 1 } };
	static const struct guest_dt_rtas_token null_name[] = { { NULL, 1 } };
	struct guest_dt_params p = lv_params();

	p.rtas_tokens = dup;
	p.rtas_token_count = ARRAY_SIZE(dup);
	CHECK_EQ(build_rc(&p), -FDT_ERR_BADVALUE);
	p.rtas_tokens = fixed;
	p.rtas_token_count = 1;
	CHECK_EQ(build_rc(&p), -FDT_ERR_BADVALUE);
	p.rtas_tokens = bad_char;
	CHECK_EQ(build_rc(&p), -FDT_ERR_BADVALUE);
	p.rtas_tokens = empty;
	CHECK_EQ(build_rc(&p), -FDT_ERR_BADVALUE);
	p.rtas_tokens = null_name;
	CHECK_EQ(build_rc(&p), -FDT_ERR_BADVALUE);
	p.rtas_tokens = NULL;
	CHECK_EQ(build_rc(&p), -FDT_ERR_BADVALUE);
}

TEST(guest_dt, rejects_event_sources_without_check_exception)
{
	struct guest_dt_params p = lv_params();

	p.event_sources = true;
	CHECK_EQ(build_rc(&p), -FDT_ERR_BADVALUE);
}

TEST(guest_dt, rejects_rng_seed_length_without_pointer)
{
	struct guest_dt_params p = lv_params();

	p.rng_seed = NULL;
	CHECK_EQ(build_rc(&p), -FDT_ERR_BADVALUE);
}

/*
 * Every buffer smaller than the tree fails with -FDT_ERR_NOSPACE and
 * writes nothing past its end: exact-size heap buffers for AddressSanitizer
 * and a guard area after the buffer for the plain build.  While building,
 * libfdt keeps the reserve map 16-byte aligned (8 bytes after the header)
 * and fdt_pack() then moves it to 8-byte alignment, so the packed tree is
 * up to 8 bytes smaller than the buffer it needs.
 */
TEST(guest_dt, small_buffer_fails_without_overflow)
{
	struct guest_dt_params p = golden_params();
	uint8_t *full = build(&p);
	size_t need, first_ok = 0;

	REQUIRE(full);
	need = fdt_totalsize(full);
	for (size_t size = 0; size <= need + 8 && !first_ok; size++) {
		uint8_t *buf = malloc(size + 64);
		int rc;

		REQUIRE(buf);
		memset(buf + size, 0xa5, 64);
		rc = guest_dt_build(buf, size, &p);
		if (rc == 0 && size >= need) {
			first_ok = size;
			CHECK(memcmp(buf, full, need) == 0);
		} else if (rc != -FDT_ERR_NOSPACE) {
			test_fail(__FILE__, __LINE__, "size %zu: rc %d", size,
				  rc);
		}
		for (size_t i = 0; i < 64; i++) {
			if (buf[size + i] != 0xa5) {
				test_fail(__FILE__, __LINE__,
					  "size %zu: guard byte %zu written",
					  size, i);
				break;
			}
		}
		free(buf);
		if (test_failed()) {
			break;
		}
	}
	CHECK_NE(first_ok, 0);
	free(full);
}

/* --- Exact contents ---------------------------------------------------- */

TEST(guest_dt, header_is_packed_v17_booting_vcpu0)
{
	struct guest_dt_params p = lv_params();
	void *fdt = build(&p);

	REQUIRE(fdt);
	CHECK_EQ(fdt_magic(fdt), FDT_MAGIC);
	CHECK_EQ(fdt_version(fdt), 17);
	CHECK_EQ(fdt_last_comp_version(fdt), 16);
	CHECK_EQ(fdt_boot_cpuid_phys(fdt), 0);
	CHECK_EQ(fdt_totalsize(fdt),
		 fdt_off_dt_strings(fdt) + fdt_size_dt_strings(fdt));
	CHECK_EQ(fdt_off_dt_strings(fdt),
		 fdt_off_dt_struct(fdt) + fdt_size_dt_struct(fdt));
	free(fdt);
}

TEST(guest_dt, every_node_is_listed)
{
	struct guest_dt_params p = lv_params();
	char nodes[1024];
	void *fdt = build(&p);

	REQUIRE(fdt);
	node_list(fdt, nodes, sizeof(nodes));
	CHECK_STR_EQ(nodes, "/ /chosen /rtas /cpus /cpus/PowerPC,POWER9@0 "
			    "/cpus/PowerPC,POWER9@1 /vdevice "
			    "/vdevice/vty@71000000 /memory@0 "
			    "/interrupt-controller");
	free(fdt);
}

TEST(guest_dt, memreserve_rtas_fdt_initrd)
{
	struct guest_dt_params p = lv_params();
	char rsv[256], want[256];
	void *fdt = build(&p);

	REQUIRE(fdt);
	rsv_list(fdt, rsv, sizeof(rsv));
	snprintf(want, sizeof(want), "3ff00000+83c 3fe00000+%x 3000000+123456",
		 fdt_totalsize(fdt));
	CHECK_STR_EQ(rsv, want);
	free(fdt);
}

/*
 * firmware = "slof": the reserve map QEMU's reset tree has (the initrd
 * here; the kernel when there is one) and no linux,rtas-base.  SLOF claims
 * the tree itself and then every reserve entry: the tree's own entry made
 * it claim a region twice and abort to its prompt (p9-linux-slof's first
 * run), and its RTAS is the one prom_init instantiates.
 */
TEST(guest_dt, slof_reserve_map_is_qemus)
{
	struct guest_dt_params p = lv_params();
	char rsv[256];
	void *fdt;
	int rtas;

	p.qemu_reserves = true;
	p.boot_kernel_addr = 0x400000;
	p.boot_kernel_size = 0x287ca18;
	fdt = build(&p);
	REQUIRE(fdt);
	rsv_list(fdt, rsv, sizeof(rsv));
	/* The kernel too: SLOF left it available (check-slof-tree). */
	CHECK_STR_EQ(rsv, "400000+287ca18 3000000+123456");
	rtas = fdt_path_offset(fdt, "/rtas");
	REQUIRE(rtas >= 0);
	CHECK(fdt_getprop(fdt, rtas, "linux,rtas-base", NULL) == NULL);
	CHECK(fdt_getprop(fdt, rtas, "linux,rtas-entry", NULL) == NULL);
	CHECK(fdt_getprop(fdt, rtas, "rtas-size", NULL) != NULL);
	free(fdt);
}

/*
 * SLOF's KVMPPC_H_CAS answer: SLOF merges it property by property, so
 * the reset-time /chosen boot properties would overwrite what prom_init
 * set (its 64-bit linux,initrd-start/-end came back as 32-bit cells,
 * check-slof-tree).  QEMU's answer (reset false) has none of them and no
 * reserve map; the CAS results stay.
 */
TEST(guest_dt, slof_cas_answer_leaves_chosen_boot_props_out)
{
	static const char *const gone[] = {
		"bootargs", "linux,initrd-start", "linux,initrd-end",
		"qemu,boot-kernel", "qemu,boot-kernel-le", "linux,stdout-path",
		"stdout-path", "rng-seed",
	};
	struct guest_dt_params p = lv_params();
	void *fdt;
	int chosen;

	p.qemu_reserves = true;
	p.cas_answer = true;
	p.boot_kernel_addr = 0x400000;
	p.boot_kernel_size = 0x287ca18;
	p.boot_kernel_le = true;
	fdt = build(&p);
	REQUIRE(fdt);
	CHECK(fdt_num_mem_rsv(fdt) == 0);
	chosen = fdt_path_offset(fdt, "/chosen");
	REQUIRE(chosen >= 0);
	for (size_t i = 0; i < ARRAY_SIZE(gone); i++) {
		CHECK(fdt_getprop(fdt, chosen, gone[i], NULL) == NULL);
	}
	CHECK(fdt_getprop(fdt, chosen, "ibm,architecture-vec-5", NULL));
	CHECK(fdt_getprop(fdt, chosen, "ibm,arch-vec-5-platform-support",
			  NULL));
	CHECK(fdt_path_offset(fdt, "/memory@0") >= 0);
	free(fdt);
	/* The reset tree keeps them all. */
	p.cas_answer = false;
	fdt = build(&p);
	REQUIRE(fdt);
	chosen = fdt_path_offset(fdt, "/chosen");
	REQUIRE(chosen >= 0);
	for (size_t i = 0; i < ARRAY_SIZE(gone); i++) {
		CHECK(fdt_getprop(fdt, chosen, gone[i], NULL) != NULL);
	}
	free(fdt);
}

TEST(guest_dt, root_node_exact)
{
	const struct expect root[] = {
		E_STR("device_type", "chrp"),
		E_STR("model", "IBM pSeries (emulated by lparvisor)"),
		E_STR("compatible", "qemu,pseries"),
		E_STR("vm,uuid", "00000000-0000-0000-0000-000000000000"),
		E_STR("ibm,partition-name", "web"),
		E_U32("ibm,partition-no", 3),
		E_U32("#address-cells", 2),
		E_U32("#size-cells", 2),
	};
	struct guest_dt_params p = lv_params();
	void *fdt = build(&p);

	REQUIRE(fdt);
	check_node(fdt, "/", root);
	free(fdt);
}

TEST(guest_dt, uuid_sets_vm_uuid_and_system_id)
{
	struct guest_dt_params p = lv_params();
	void *fdt;

	p.uuid = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";
	p.name = NULL;
	fdt = build(&p);
	REQUIRE(fdt);
	check_prop(fdt, "/", E_STR("vm,uuid",
				   "6ba7b810-9dad-11d1-80b4-00c04fd430c8"));
	check_prop(fdt, "/", E_STR("system-id",
				   "6ba7b810-9dad-11d1-80b4-00c04fd430c8"));
	CHECK(!has_prop(fdt, "/", "ibm,partition-name"));
	free(fdt);
}

TEST(guest_dt, chosen_node_exact_radix_xics)
{
	const struct expect chosen[] = {
		E_STR("bootargs", "console=hvc0"),
		E_U32("linux,initrd-start", 0x3000000),
		E_U32("linux,initrd-end", 0x3123456),
		E_STR("linux,stdout-path", "/vdevice/vty@71000000"),
		E_STR("stdout-path", "/vdevice/vty@71000000"),
		E_U32("linux,pci-probe-only", 0),
		E_BYTES("ibm,arch-vec-5-platform-support",
			23, 0x00, 24, 0x40, 25, 0x00, 26, 0x40),
		{ "rng-seed", K_BYTES, seed, sizeof(seed) },
		/* Byte 23 = 0x00 XICS, 24 = 0x40 radix, 26 = 0x40 GTSE. */
		E_BYTES("ibm,architecture-vec-5",
			0x19, 0x00, 0x20, 0x00, 0x00, 0xa0, 0x05, 0x00,
			0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
			0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80, 0x00,
			0x40, 0x00, 0x40),
	};
	struct guest_dt_params p = lv_params();
	void *fdt = build(&p);

	REQUIRE(fdt);
	check_node(fdt, "/chosen", chosen);
	free(fdt);
}

/*
 * The XIVE presenter node, as QEMU 7.2 `-M pseries,ic-mode=xive` dumps it
 * (dumpdtb, 2 vCPUs): TIMA user then OS page, 64 KiB queues, one IPI
 * LISN per vCPU; the root reserves priority 7 and up; no XICS node.
 */
TEST(guest_dt, xive_node_exact_as_qemu_ic_mode_xive)
{
	const struct expect xive[] = {
		E_STR("device_type", "power-ivpe"),
		E_CELLS("reg", 0x60302, 0x31b0000, 0, 0x10000, 0x60302,
			0x31a0000, 0, 0x10000),
		E_STR("compatible", "ibm,power-ivpe"),
		E_U32("ibm,xive-eq-sizes", 16),
		E_CELLS("ibm,xive-lisn-ranges", 0, 2),
		E_EMPTY("interrupt-controller"),
		E_U32("#interrupt-cells", 2),
		E_U32("linux,phandle", 0x1111),
		E_U32("phandle", 0x1111),
	};
	struct guest_dt_params p = lv_params();
	void *fdt;

	p.intc = CONFIG_INTC_XIVE;
	p.vcpus = 2;
	fdt = build(&p);
	REQUIRE(fdt);
	check_node(fdt, "/interrupt-controller@60302031b0000", xive);
	check_prop(fdt, "/", E_CELLS("ibm,plat-res-int-priorities", 7, 0xf8));
	CHECK(fdt_node_offset_by_compatible(fdt, -1, "IBM,ppc-xicp") < 0);
	/* Byte 23 of the CAS result: 0x40, XIVE exploitation. */
	check_prop(fdt, "/chosen",
		   E_BYTES("ibm,arch-vec-5-platform-support",
			   23, 0x40, 24, 0x40, 25, 0x00, 26, 0x40));
	free(fdt);
	p.intc = CONFIG_INTC_XICS;
	fdt = build(&p);
	REQUIRE(fdt);
	CHECK(!has_prop(fdt, "/", "ibm,plat-res-int-priorities"));
	CHECK(fdt_path_offset(fdt, "/interrupt-controller@60302031b0000") < 0);
	free(fdt);
}

TEST(guest_dt, hash_mmu_vector_matches_qemu_hash_xics)
{
	struct guest_dt_params p = lv_params();
	void *fdt;

	p.mmu = CONFIG_MMU_HASH;
	fdt = build(&p);
	REQUIRE(fdt);
	/* QEMU's post-CAS hash+XICS vector: 23 bytes, ends at byte 22. */
	check_prop(fdt, "/chosen",
		   E_BYTES("ibm,architecture-vec-5",
			   0x15, 0x00, 0x20, 0x00, 0x00, 0xa0, 0x05, 0x00,
			   0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
			   0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80));
	check_prop(fdt, "/chosen",
		   E_BYTES("ibm,arch-vec-5-platform-support",
			   23, 0x00, 24, 0x00, 25, 0x00, 26, 0x40));
	free(fdt);
}

TEST(guest_dt, rtas_node_exact)
{
	const struct expect rtas[] = {
		E_STRS("ibm,hypertas-functions", lv_hypertas),
		E_U32("ibm,associativity-reference-points", 1),
		E_CELLS("ibm,max-associativity-domains", 1, 1),
		E_CELLS("ibm,numa-lookup-index-table", 1, 0),
		E_BYTES("ibm,numa-distance-table", 0, 0, 0, 1, 10),
		E_U32("rtas-size", 0x83c),
		E_U32("rtas-error-log-max", 2048),
		E_U32("rtas-event-scan-rate", 1),
		E_EMPTY("ibm,extended-os-term"),
		E_CELLS("ibm,lrdr-capacity", 0, 0, 0, 0x10000000, 2),
		E_U32("get-time-of-day", 0x2001),
		E_U32("set-time-of-day", 0x2002),
		E_U32("power-off", 0x2003),
		E_U32("system-reboot", 0x2004),
		E_U32("query-cpu-stopped-state", 0x2005),
		E_U32("start-cpu", 0x2006),
		E_U32("stop-self", 0x2007),
		E_U32("ibm,set-xive", 0x200a),
		E_U32("ibm,get-xive", 0x200b),
		E_U32("ibm,int-off", 0x200c),
		E_U32("ibm,int-on", 0x200d),
		E_U32("ibm,os-term", 0x201f),
		E_U32("linux,rtas-base", 0x3ff00000),
		E_U32("linux,rtas-entry", 0x3ff00000),
	};
	struct guest_dt_params p = lv_params();
	void *fdt = build(&p);

	REQUIRE(fdt);
	check_node(fdt, "/rtas", rtas);
	free(fdt);
}

TEST(guest_dt, os_term_and_msi_qualifiers_follow_their_tokens)
{
	static const struct guest_dt_rtas_token few[] = {
		{ "get-time-of-day", 0x2001 },
	};
	struct guest_dt_params p = lv_params();
	void *fdt;

	p.rtas_tokens = few;
	p.rtas_token_count = 1;
	fdt = build(&p);
	REQUIRE(fdt);
	CHECK(!has_prop(fdt, "/rtas", "ibm,extended-os-term"));
	CHECK(!has_prop(fdt, "/rtas", "ibm,change-msix-capable"));
	CHECK(!has_prop(fdt, "/rtas", "ibm,os-term"));
	free(fdt);
	p.rtas_token_count = 0;
	fdt = build(&p);
	REQUIRE(fdt);
	CHECK(!has_prop(fdt, "/rtas", "get-time-of-day"));
	CHECK(has_prop(fdt, "/rtas", "linux,rtas-base"));
	free(fdt);
}

static const uint8_t pa_features_300[] = {
	0x42, 0x00, 0xf6, 0x3f, 0xc7, 0xc0, 0x80, 0xf0, 0x80, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80, 0x00, 0x80, 0x00,
	0x80, 0x00, 0x00, 0x00, 0x80, 0x00, 0x80, 0x00, 0x80, 0x00, 0x80,
	0x00, 0x80, 0x00, 0xc0, 0x00, 0x80, 0x00, 0x80, 0x00, 0x80, 0x00,
	0x80, 0x00, 0x80, 0x00, 0x80, 0x00, 0x80, 0x00, 0x80, 0x00, 0x80,
	0x00, 0x80, 0x00, 0x80, 0x00, 0x80, 0x00, 0x80, 0x00, 0x80, 0x00,
	0x00, 0x00,
};

static const uint8_t pa_features_207[] = {
	0x18, 0x00, 0xf6, 0x3f, 0xc7, 0xc0, 0x80, 0xf0, 0x80, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80, 0x00, 0x80, 0x00,
	0x80, 0x00, 0x00, 0x00,
};

/* A POWER9 vCPU node of lv_params(), with vCPU id `id`. */
static void check_p9_cpu(const void *fdt, uint32_t id, uint32_t pft_shift,
			 const char *file, int line)
{
	const struct expect cpu[] = {
		E_STR("device_type", "cpu"),
		E_U32("reg", id),
		E_U32("cpu-version", 0x0f000005),
		E_U32("d-cache-block-size", 128),
		E_U32("d-cache-line-size", 128),
		E_U32("i-cache-block-size", 128),
		E_U32("i-cache-line-size", 128),
		E_U32("d-cache-size", 0x8000),
		E_U32("i-cache-size", 0x8000),
		E_U32("timebase-frequency", 512000000),
		E_U32("clock-frequency", 2900000000u),
		E_U32("slb-size", 32),
		E_U32("ibm,slb-size", 32),
		E_STR("status", "okay"),
		E_EMPTY("64-bit"),
		E_U32("ibm,purr", 1),
		E_U32("ibm,spurr", 1),
		E_CELLS("ibm,processor-segment-sizes", 28, 40, 0xffffffff,
			0xffffffff),
		E_U32("ibm,vmx", 2),
		E_U32("ibm,dfp", 1),
		E_CELLS("ibm,segment-page-sizes", 12, 0, 1, 12, 0, 16, 0x110,
			1, 16, 1),
		{ "ibm,pa-features", K_BYTES, pa_features_300,
		  sizeof(pa_features_300) },
		E_U32("ibm,chip-id", 0),
		E_CELLS("ibm,pft-size", 0, pft_shift),
		E_U32("ibm,ppc-interrupt-server#s", id),
		E_CELLS("ibm,ppc-interrupt-gserver#s", id, 0),
		E_CELLS("ibm,processor-radix-AP-encodings", 0xc, 0xa0000010,
			0x20000015, 0x4000001e),
		E_U32("ibm,dec-bits", 56),
	};
	char path[64];

	snprintf(path, sizeof(path), "/cpus/PowerPC,POWER9@%x", id);
	check_node_at(fdt, path, cpu, ARRAY_SIZE(cpu), file, line);
}

TEST(guest_dt, cpus_exact_two_vcpus)
{
	const struct expect cpus[] = {
		E_U32("#address-cells", 1),
		E_U32("#size-cells", 0),
	};
	struct guest_dt_params p = lv_params();
	void *fdt = build(&p);

	REQUIRE(fdt);
	check_node(fdt, "/cpus", cpus);
	check_p9_cpu(fdt, 0, 23, __FILE__, __LINE__);
	check_p9_cpu(fdt, 1, 23, __FILE__, __LINE__);
	free(fdt);
}

TEST(guest_dt, one_vcpu)
{
	struct guest_dt_params p = lv_params();
	char nodes[1024];
	void *fdt;

	p.vcpus = 1;
	p.rtas_size = guest_dt_rtas_size(1);
	fdt = build(&p);
	REQUIRE(fdt);
	CHECK_EQ(p.rtas_size, 0x82c); /* QEMU's value for one vCPU */
	node_list(fdt, nodes, sizeof(nodes));
	CHECK_STR_CONTAINS(nodes, "/cpus/PowerPC,POWER9@0 /vdevice ");
	check_p9_cpu(fdt, 0, 23, __FILE__, __LINE__);
	check_prop(fdt, "/interrupt-controller",
		   E_CELLS("ibm,interrupt-server-ranges", 0, 1));
	check_prop(fdt, "/rtas",
		   E_CELLS("ibm,lrdr-capacity", 0, 0, 0, 0x10000000, 1));
	check_prop(fdt, "/rtas", E_U32("rtas-size", 0x82c));
	free(fdt);
}

TEST(guest_dt, eight_vcpus)
{
	struct guest_dt_params p = lv_params();
	char nodes[1024];
	void *fdt;

	p.vcpus = 8;
	p.rtas_size = guest_dt_rtas_size(8);
	fdt = build(&p);
	REQUIRE(fdt);
	node_list(fdt, nodes, sizeof(nodes));
	CHECK_STR_CONTAINS(nodes,
			   "/cpus /cpus/PowerPC,POWER9@0 "
			   "/cpus/PowerPC,POWER9@1 /cpus/PowerPC,POWER9@2 "
			   "/cpus/PowerPC,POWER9@3 /cpus/PowerPC,POWER9@4 "
			   "/cpus/PowerPC,POWER9@5 /cpus/PowerPC,POWER9@6 "
			   "/cpus/PowerPC,POWER9@7 /vdevice");
	for (uint32_t id = 0; id < 8; id++) {
		check_p9_cpu(fdt, id, 23, __FILE__, __LINE__);
	}
	check_prop(fdt, "/interrupt-controller",
		   E_CELLS("ibm,interrupt-server-ranges", 0, 8));
	check_prop(fdt, "/rtas",
		   E_CELLS("ibm,lrdr-capacity", 0, 0, 0, 0x10000000, 8));
	check_prop(fdt, "/rtas", E_U32("rtas-size", 2076 + 8 * 16));
	free(fdt);
}

TEST(guest_dt, vcpu_ids_above_nine_are_hex_unit_addresses)
{
	struct guest_dt_params p = lv_params();
	void *fdt;

	p.vcpus = 17;
	p.rtas_size = guest_dt_rtas_size(17);
	fdt = build(&p);
	REQUIRE(fdt);
	check_p9_cpu(fdt, 0xa, 23, __FILE__, __LINE__);
	check_p9_cpu(fdt, 0x10, 23, __FILE__, __LINE__);
	free(fdt);
}

TEST(guest_dt, power8_and_power10_families)
{
	struct guest_dt_params p = lv_params();
	const char *p8 = "/cpus/PowerPC,POWER8@1";
	const char *p10 = "/cpus/PowerPC,POWER10@1";
	void *fdt;

	p.pvr = 0x004d0200; /* POWER8 DD2.0: hash only */
	p.mmu = CONFIG_MMU_HASH;
	fdt = build(&p);
	REQUIRE(fdt);
	check_prop(fdt, p8, E_U32("cpu-version", 0x0f000004));
	check_prop(fdt, p8, { "ibm,pa-features", K_BYTES, pa_features_207,
			      sizeof(pa_features_207) });
	CHECK(!has_prop(fdt, p8, "ibm,processor-radix-AP-encodings"));
	CHECK(!has_prop(fdt, p8, "ibm,dec-bits"));
	CHECK(has_prop(fdt, p8, "ibm,segment-page-sizes"));
	free(fdt);

	p.pvr = 0x004b0201; /* POWER8E */
	fdt = build(&p);
	REQUIRE(fdt);
	check_prop(fdt, p8, E_U32("cpu-version", 0x0f000004));
	free(fdt);

	p.pvr = 0x00800200; /* POWER10 DD2.0 */
	p.mmu = CONFIG_MMU_RADIX;
	fdt = build(&p);
	REQUIRE(fdt);
	check_prop(fdt, p10, E_U32("cpu-version", 0x0f000006));
	check_prop(fdt, p10, { "ibm,pa-features", K_BYTES, pa_features_300,
			       sizeof(pa_features_300) });
	check_prop(fdt, p10, E_U32("ibm,dec-bits", 56));
	CHECK(has_prop(fdt, p10, "ibm,processor-radix-AP-encodings"));
	free(fdt);

	/* CAS's raw mode: the real PVR, the host family's features. */
	p.raw_pvr = true;
	fdt = build(&p);
	REQUIRE(fdt);
	check_prop(fdt, p10, E_U32("cpu-version", 0x00800200));
	check_prop(fdt, p10, E_U32("ibm,dec-bits", 56));
	free(fdt);
}

TEST(guest_dt, frequencies_default_and_wide)
{
	struct guest_dt_params p = lv_params();
	const char *cpu = "/cpus/PowerPC,POWER9@0";
	void *fdt;

	p.cpu_freq = 0;
	fdt = build(&p);
	REQUIRE(fdt);
	check_prop(fdt, cpu, E_U32("clock-frequency", 1000000000));
	free(fdt);
	p.cpu_freq = 5000000000ull; /* above 32 bits: two cells */
	fdt = build(&p);
	REQUIRE(fdt);
	check_prop(fdt, cpu, E_CELLS("clock-frequency", 1, 0x2a05f200));
	free(fdt);
}

TEST(guest_dt, vdevice_and_vty_exact)
{
	const struct expect vdevice[] = {
		E_STR("device_type", "vdevice"),
		E_STR("compatible", "IBM,vdevice"),
		E_U32("#address-cells", 1),
		E_U32("#size-cells", 0),
		E_U32("#interrupt-cells", 2),
		E_EMPTY("interrupt-controller"),
	};
	const struct expect vty[] = {
		E_U32("reg", 0x71000000),
		E_STR("device_type", "serial"),
		E_STR("compatible", "hvterm1"),
		E_CELLS("interrupts", 0x1100, 0),
	};
	struct guest_dt_params p = lv_params();
	void *fdt = build(&p);

	REQUIRE(fdt);
	check_node(fdt, "/vdevice", vdevice);
	check_node(fdt, "/vdevice/vty@71000000", vty);
	free(fdt);
}

TEST(guest_dt, rejects_bad_vio_nodes)
{
	struct guest_dt_params p = lv_params();

	p.vio_count = 1;
	p.vio[0] = (struct guest_dt_vio){ .name = NULL, .reg = 0x71000001 };
	CHECK_EQ(build_rc(&p), -FDT_ERR_BADVALUE);
	p.vio[0].name = "";
	CHECK_EQ(build_rc(&p), -FDT_ERR_BADVALUE);
	p.vio[0].name = "l-lan";
	p.vio[0].reg = p.vty_reg; /* the vty's unit */
	CHECK_EQ(build_rc(&p), -FDT_ERR_BADVALUE);
	p.vio[0].reg = 0x71000001;
	p.vio[0].dma_window = 0x10000800;
	CHECK_EQ(build_rc(&p), -FDT_ERR_BADVALUE);
	p.vio[0].dma_window = 0x10000000;
	p.vio[1] = p.vio[0];
	p.vio_count = 2; /* one unit twice */
	CHECK_EQ(build_rc(&p), -FDT_ERR_BADVALUE);
	p.vio_count = GUEST_DT_VIO_MAX + 1;
	CHECK_EQ(build_rc(&p), -FDT_ERR_BADVALUE);
	p.vio_count = 1;
	CHECK_EQ(build_rc(&p), 0);
}

/* A VIO device as QEMU 7.2's vio_make_devnode() and spapr_dma_dt(). */
TEST(guest_dt, vio_nodes_as_qemu)
{
	const struct expect llan[] = {
		E_U32("reg", 0x71000001),
		E_STR("device_type", "network"),
		E_STR("compatible", "IBM,l-lan"),
		E_CELLS("interrupts", 0x1101, 0),
		E_U32("ibm,#dma-address-cells", 2),
		E_U32("ibm,#dma-size-cells", 2),
		E_CELLS("ibm,my-dma-window", 0x71000001, 0, 0, 0, 0x10000000),
	};
	const struct expect bare[] = {
		E_U32("reg", 0x71000002),
	};
	struct guest_dt_params p = lv_params();
	void *fdt;

	p.vio_count = 2;
	p.vio[0] = (struct guest_dt_vio){
		.name = "l-lan", .type = "network", .compatible = "IBM,l-lan",
		.reg = 0x71000001, .irq = 0x1101, .dma_window = 0x10000000,
	};
	p.vio[1] = (struct guest_dt_vio){ .name = "x", .reg = 0x71000002 };
	fdt = build(&p);
	REQUIRE(fdt);
	check_node(fdt, "/vdevice/l-lan@71000001", llan);
	check_node(fdt, "/vdevice/x@71000002", bare);
	CHECK(fdt_path_offset(fdt, "/vdevice/vty@71000000") >= 0);
	free(fdt);
}

/* A VIOS server (vio/vios.c): two panes of 2 + 2 cells each, where
 * ibmvscsis reads the second LIOBN, and ibm,vserver. */
TEST(guest_dt, vscsi_host_node_has_two_panes)
{
	const struct expect host[] = {
		E_U32("reg", 0x71000020),
		E_STR("device_type", "v-scsi-host"),
		E_STR("compatible", "IBM,v-scsi-host"),
		E_CELLS("interrupts", 0x1120, 0),
		E_U32("ibm,#dma-address-cells", 2),
		E_U32("ibm,#dma-size-cells", 2),
		E_CELLS("ibm,my-dma-window", 0x71000020, 0, 0, 0, 0x10000000,
			0x72000020, 0, 0, 0, 0x10000000),
		E_EMPTY("ibm,vserver"),
	};
	struct guest_dt_params p = lv_params();
	void *fdt;

	p.vio_count = 1;
	p.vio[0] = (struct guest_dt_vio){
		.name = "v-scsi-host", .type = "v-scsi-host",
		.compatible = "IBM,v-scsi-host", .reg = 0x71000020,
		.irq = 0x1120, .dma_window = 0x10000000,
		.remote_liobn = 0x72000020, .remote_window = 0x10000000,
	};
	fdt = build(&p);
	REQUIRE(fdt);
	check_node(fdt, "/vdevice/v-scsi-host@71000020", host);
	free(fdt);
}

/* A v-scsi client as QEMU's spapr-vscsi (spapr_vscsi_devnode): SCSI
 * units below it, two address cells and no size, which SLOF's disk
 * children (disk@8000000000000000) need to be found by path. */
TEST(guest_dt, vscsi_node_has_scsi_unit_cells)
{
	const struct expect vscsi[] = {
		E_U32("reg", 0x71000010),
		E_STR("device_type", "vscsi"),
		E_STR("compatible", "IBM,v-scsi"),
		E_CELLS("interrupts", 0x1110, 0),
		E_U32("ibm,#dma-address-cells", 2),
		E_U32("ibm,#dma-size-cells", 2),
		E_CELLS("ibm,my-dma-window", 0x71000010, 0, 0, 0, 0x10000000),
		E_U32("#address-cells", 2),
		E_U32("#size-cells", 0),
	};
	struct guest_dt_params p = lv_params();
	void *fdt;

	p.vio_count = 1;
	p.vio[0] = (struct guest_dt_vio){
		.name = "v-scsi", .type = "vscsi", .compatible = "IBM,v-scsi",
		.reg = 0x71000010, .irq = 0x1110, .dma_window = 0x10000000,
		.scsi_bus = true,
	};
	fdt = build(&p);
	REQUIRE(fdt);
	check_node(fdt, "/vdevice/v-scsi@71000010", vscsi);
	free(fdt);
}

/* A PHB with an nvme function, as pci/ fills it for QEMU's powernv9. */
static struct guest_dt_phb nvme_phb(void)
{
	struct guest_dt_phb h = {
		.buid = 0x800000020000000ull, .bus_first = 1, .bus_last = 1,
		.m32_gpa = 0x200080000000ull, .m32_pci = 0x80000000,
		.m32_size = 0x7fff0000, .liobn = 0x80000000,
		.dma_size = 0x40000000, .ddw = true, .msi_total = 64,
		.lsi_base = 0x1200,
		.func_count = 1,
	};
	struct guest_dt_pci_func *f = &h.funcs[0];

	f->bus = 1;
	f->devfn = 0;
	f->vendor = 0x1b36;
	f->device = 0x10;
	f->revision = 2;
	f->class_code = 0x010802;
	f->subsys_vendor = 0x1af4;
	f->subsys_id = 0x1100;
	f->irq_pin = 1;
	f->msix = 65;
	f->express = true;
	f->bar_count = 2;
	f->bars[0] = (struct guest_dt_pci_bar){ 0x10, GUEST_DT_PCI_BAR_MEM64,
						0x80000000, 0x4000 };
	f->bars[1] = (struct guest_dt_pci_bar){ 0x18,
						GUEST_DT_PCI_BAR_PREFETCH,
						0x80004000, 0x1000 };
	return h;
}

/* The interrupt-map of QEMU 7.2's spapr_dt_phb(): 32 slots x 4 pins of
 * <phys.hi 0 0 pin intc-phandle irq level>, irq = base + (slot + pin - 1)
 * % 4 (pci_swizzle), every entry checked. */
static void check_intx_map(const void *fdt, const char *path, uint32_t base)
{
	int node = fdt_path_offset(fdt, path), len = 0;
	const fdt32_t *m = node < 0 ? NULL :
		fdt_getprop(fdt, node, "interrupt-map", &len);
	uint32_t bad = 0;

	REQUIRE(m);
	CHECK_EQ(len, 32 * 4 * 7 * 4);
	if (len != 32 * 4 * 7 * 4) {
		return;
	}
	for (uint32_t slot = 0; slot < 32; slot++) {
		for (uint32_t pin = 1; pin <= 4; pin++) {
			const fdt32_t *e = &m[7 * (4 * slot + pin - 1)];
			const uint32_t want[7] = {
				slot << 11, 0, 0, pin, GUEST_DT_INTC_PHANDLE,
				base + (slot + pin - 1) % 4, 1 };

			for (int k = 0; k < 7; k++) {
				bad += fdt32_to_cpu(e[k]) != want[k];
			}
		}
	}
	CHECK_EQ(bad, 0);
	/* Two entries spelled out: slot 0 INTA, slot 3 INTC -> INTB. */
	CHECK_EQ(fdt32_to_cpu(m[5]), base);
	CHECK_EQ(fdt32_to_cpu(m[7 * (4 * 3 + 2) + 5]), base + 1);
}

/* spapr_dt_phb() and spapr_dt_pci_device() of QEMU 7.2 (no I/O space,
 * no DDW yet, node named by IDs). */
TEST(guest_dt, pci_host_bridge_as_qemu)
{
	const struct expect phb[] = {
		E_STR("device_type", "pci"),
		E_STR("compatible", "IBM,Logical_PHB"),
		E_U32("#interrupt-cells", 1),
		E_EMPTY("used-by-rtas"),
		E_CELLS("bus-range", 1, 1),
		E_CELLS("ranges", 0x02000000, 0, 0x80000000, 0x2000, 0x80000000,
			0, 0x7fff0000),
		E_CELLS("reg", 0x08000000, 0x20000000, 0, 0),
		E_U32("ibm,pci-config-space-type", 1),
		E_U32("ibm,pe-total-#msi", 64),
		E_U32("ibm,#dma-address-cells", 2),
		E_U32("ibm,#dma-size-cells", 2),
		E_CELLS("ibm,dma-window", 0x80000000, 0, 0, 0, 0x40000000),
		E_CELLS("ibm,ddw-applicable", 0x2026, 0x2027, 0x2028),
		E_CELLS("ibm,ddw-extensions", 2, 0x2029, 1),
		E_CELLS("interrupt-map-mask", 0xf800, 0, 0, 0xffffffff),
		E_ANY("interrupt-map"),
		E_U32("#address-cells", 3),
		E_U32("#size-cells", 2),
	};
	const struct expect fn[] = {
		E_U32("vendor-id", 0x1b36),
		E_U32("device-id", 0x10),
		E_U32("revision-id", 2),
		E_U32("class-code", 0x010802),
		E_U32("interrupts", 1),
		E_U32("subsystem-id", 0x1100),
		E_U32("subsystem-vendor-id", 0x1af4),
		E_U32("ibm,req#msi-x", 65),
		E_CELLS("reg", 0x00010000, 0, 0, 0, 0,
			0x03010010, 0, 0, 0, 0x4000,
			0x42010018, 0, 0, 0, 0x1000),
		E_CELLS("assigned-addresses",
			0x83010010, 0, 0x80000000, 0, 0x4000,
			0xc2010018, 0, 0x80004000, 0, 0x1000),
		E_U32("ibm,pci-config-space-type", 1),
	};
	struct guest_dt_phb h[2] = { nvme_phb(), nvme_phb() };
	struct guest_dt_params p = lv_params();
	void *fdt;

	h[1].buid++;
	h[1].func_count = 1;
	h[1].funcs[0].devfn = 3 << 3 | 2;
	h[1].funcs[0].express = false;
	h[1].funcs[0].irq_pin = 0;
	h[1].funcs[0].subsys_id = 0;
	h[1].funcs[0].msix = 0;
	h[1].funcs[0].msi = 4;
	h[1].funcs[0].bar_count = 0;
	h[1].dma_size = 0;
	h[1].lsi_base = 0;
	p.phbs = h;
	p.phb_count = 2;
	fdt = build(&p);
	REQUIRE(fdt);
	check_node(fdt, "/pci@800000020000000", phb);
	check_intx_map(fdt, "/pci@800000020000000", 0x1200);
	CHECK(!has_prop(fdt, "/pci@800000020000001", "interrupt-map"));
	CHECK(!has_prop(fdt, "/pci@800000020000001", "interrupt-map-mask"));
	check_node(fdt, "/pci@800000020000000/pci1b36,10@0", fn);
	CHECK(!has_prop(fdt, "/pci@800000020000001", "ibm,dma-window"));
	CHECK(!has_prop(fdt, "/pci@800000020000001", "ibm,ddw-applicable"));
	CHECK(!has_prop(fdt, "/pci@800000020000001", "ibm,ddw-extensions"));
	check_prop(fdt, "/pci@800000020000001/pci1b36,10@3,2",
		   E_CELLS("reg", 0x00011a00, 0, 0, 0, 0));
	check_prop(fdt, "/pci@800000020000001/pci1b36,10@3,2",
		   E_U32("ibm,req#msi", 4));
	CHECK(!has_prop(fdt, "/pci@800000020000001/pci1b36,10@3,2",
			"interrupts"));
	CHECK(!has_prop(fdt, "/pci@800000020000001/pci1b36,10@3,2",
			"subsystem-id"));
	CHECK(!has_prop(fdt, "/pci@800000020000001/pci1b36,10@3,2",
			"ibm,pci-config-space-type"));
	free(fdt);
}

TEST(guest_dt, rejects_bad_pci_host_bridges)
{
	struct guest_dt_phb h[GUEST_DT_PHB_MAX + 1];
	struct guest_dt_params p = lv_params();

	for (uint32_t i = 0; i <= GUEST_DT_PHB_MAX; i++) {
		h[i] = nvme_phb();
		h[i].buid += i;
	}
	p.phbs = h;
	p.phb_count = GUEST_DT_PHB_MAX + 1;
	CHECK_EQ(build_rc(&p), -FDT_ERR_BADVALUE);
	p.phb_count = 1;
	CHECK_EQ(build_rc(&p), 0);
	p.phbs = NULL;
	CHECK_EQ(build_rc(&p), -FDT_ERR_BADVALUE);
	p.phbs = h;
	p.phb_count = 2;
	h[1].buid = h[0].buid; /* one BUID twice */
	CHECK_EQ(build_rc(&p), -FDT_ERR_BADVALUE);
	h[1].buid++;
	CHECK_EQ(build_rc(&p), 0);
	h[0].funcs[0].bus = 2; /* outside bus-range */
	CHECK_EQ(build_rc(&p), -FDT_ERR_BADVALUE);
	h[0].funcs[0].bus = 1;
	h[0].funcs[0].bars[1].size = 0x3000; /* not a power of two */
	CHECK_EQ(build_rc(&p), -FDT_ERR_BADVALUE);
	h[0].funcs[0].bars[1].size = 0x1000;
	h[0].funcs[0].bars[1].reg = 0x30; /* the ROM, not a BAR */
	CHECK_EQ(build_rc(&p), -FDT_ERR_BADVALUE);
	h[0].funcs[0].bars[1].reg = 0x18;
	h[0].func_count = GUEST_DT_PCI_FUNCS + 1;
	CHECK_EQ(build_rc(&p), -FDT_ERR_BADVALUE);
	h[0].func_count = 1;
	h[0].bus_last = 0x100;
	CHECK_EQ(build_rc(&p), -FDT_ERR_BADVALUE);
	h[0].bus_last = 1;
	CHECK_EQ(build_rc(&p), 0);
}

TEST(guest_dt, vty_elsewhere_moves_stdout_path)
{
	struct guest_dt_params p = lv_params();
	void *fdt;

	p.vty_reg = 0x30000000;
	p.vty_irq = 0x1101;
	fdt = build(&p);
	REQUIRE(fdt);
	check_prop(fdt, "/chosen",
		   E_STR("linux,stdout-path", "/vdevice/vty@30000000"));
	check_prop(fdt, "/vdevice/vty@30000000",
		   E_CELLS("interrupts", 0x1101, 0));
	free(fdt);
}

TEST(guest_dt, memory_and_xics_exact)
{
	const struct expect memory[] = {
		E_STR("device_type", "memory"),
		E_CELLS("reg", 0, 0, 0, 0x40000000),
		E_CELLS("ibm,associativity", 1, 0),
	};
	const struct expect xics[] = {
		E_STR("device_type", "PowerPC-External-Interrupt-Presentation"),
		E_STR("compatible", "IBM,ppc-xicp"),
		E_EMPTY("interrupt-controller"),
		E_CELLS("ibm,interrupt-server-ranges", 0, 2),
		E_U32("#interrupt-cells", 2),
		E_U32("linux,phandle", 0x1111),
		E_U32("phandle", 0x1111),
	};
	struct guest_dt_params p = lv_params();
	void *fdt = build(&p);

	REQUIRE(fdt);
	check_node(fdt, "/memory@0", memory);
	check_node(fdt, "/interrupt-controller", xics);
	free(fdt);
}

/* QEMU 7.2 -m 3G: memory@0 of 2 GiB, memory@80000000 of 1 GiB, pft 25. */
TEST(guest_dt, memory_split_like_qemu)
{
	struct guest_dt_params p = lv_params();
	char nodes[1024];
	void *fdt;

	p.mem_size = 3 * SZ_1G;
	fdt = build(&p);
	REQUIRE(fdt);
	node_list(fdt, nodes, sizeof(nodes));
	CHECK_STR_CONTAINS(nodes, "/memory@0 /memory@80000000 "
				  "/interrupt-controller");
	check_prop(fdt, "/memory@0", E_CELLS("reg", 0, 0, 0, 0x80000000));
	check_prop(fdt, "/memory@80000000",
		   E_CELLS("reg", 0, 0x80000000, 0, 0x40000000));
	check_prop(fdt, "/memory@80000000", E_CELLS("ibm,associativity", 1, 0));
	check_p9_cpu(fdt, 0, 25, __FILE__, __LINE__);
	free(fdt);

	/* 1.25 TiB: a 1 TiB RMA, then 256 GiB. */
	p.mem_size = (1ull << 40) + (1ull << 38);
	fdt = build(&p);
	REQUIRE(fdt);
	check_prop(fdt, "/memory@0", E_CELLS("reg", 0, 0, 0x100, 0));
	check_prop(fdt, "/memory@10000000000",
		   E_CELLS("reg", 0x100, 0, 0x40, 0));
	free(fdt);

	/* 768 MiB: 512 MiB, then 256 MiB; the HPT is 2^(30-7). */
	p.mem_size = 3 * SZ_256M;
	p.rtas_base = 0x2ff00000;
	p.fdt_addr = 0x2fe00000;
	fdt = build(&p);
	REQUIRE(fdt);
	check_prop(fdt, "/memory@20000000",
		   E_CELLS("reg", 0, 0x20000000, 0, 0x10000000));
	check_p9_cpu(fdt, 1, 23, __FILE__, __LINE__);
	free(fdt);
}

TEST(guest_dt, bootargs_null_or_empty_is_omitted)
{
	struct guest_dt_params p = lv_params();
	void *fdt;

	p.bootargs = NULL;
	fdt = build(&p);
	REQUIRE(fdt);
	CHECK(!has_prop(fdt, "/chosen", "bootargs"));
	CHECK(has_prop(fdt, "/chosen", "linux,stdout-path"));
	free(fdt);
	p.bootargs = "";
	fdt = build(&p);
	REQUIRE(fdt);
	CHECK(!has_prop(fdt, "/chosen", "bootargs"));
	free(fdt);
}

TEST(guest_dt, no_initrd_no_kernel_no_fdt_reserve)
{
	struct guest_dt_params p = lv_params();
	char rsv[256];
	void *fdt;

	p.initrd_start = 0;
	p.initrd_end = 0;
	p.fdt_addr = 0;
	p.rng_seed = NULL;
	p.rng_seed_len = 0;
	fdt = build(&p);
	REQUIRE(fdt);
	CHECK(!has_prop(fdt, "/chosen", "linux,initrd-start"));
	CHECK(!has_prop(fdt, "/chosen", "linux,initrd-end"));
	CHECK(!has_prop(fdt, "/chosen", "rng-seed"));
	rsv_list(fdt, rsv, sizeof(rsv));
	CHECK_STR_EQ(rsv, "3ff00000+83c");
	free(fdt);
}

/* QEMU 7.2 spapr_dt_chosen: qemu,boot-kernel = <addr(64) size(64)>. */
TEST(guest_dt, chosen_says_where_the_kernel_was_loaded)
{
	static const uint8_t want[16] = { 0, 0, 0, 0, 0, 0x40, 0, 0,
					  0, 0, 0, 0, 0x01, 0x23, 0x40, 0 };
	struct guest_dt_params p = lv_params();
	const void *v;
	void *fdt;
	int len;

	p.boot_kernel_addr = 0x400000;
	p.boot_kernel_size = 0x1234000;
	p.boot_kernel_le = true;
	fdt = build(&p);
	REQUIRE(fdt);
	v = fdt_getprop(fdt, fdt_path_offset(fdt, "/chosen"),
			"qemu,boot-kernel", &len);
	REQUIRE(v);
	CHECK_EQ(len, 16);
	CHECK(memcmp(v, want, sizeof(want)) == 0);
	CHECK(has_prop(fdt, "/chosen", "qemu,boot-kernel-le"));
	free(fdt);
	/* A payload (QEMU's -bios) has no kernel: neither property. */
	p.boot_kernel_size = 0;
	fdt = build(&p);
	REQUIRE(fdt);
	CHECK(!has_prop(fdt, "/chosen", "qemu,boot-kernel"));
	CHECK(!has_prop(fdt, "/chosen", "qemu,boot-kernel-le"));
	free(fdt);
}

TEST(guest_dt, initrd_above_4g_uses_two_cells)
{
	struct guest_dt_params p = lv_params();
	void *fdt;

	p.mem_size = 8 * SZ_1G;
	p.initrd_start = 0x100000000ull;
	p.initrd_end = 0x100200000ull;
	fdt = build(&p);
	REQUIRE(fdt);
	check_prop(fdt, "/chosen", E_CELLS("linux,initrd-start", 1, 0));
	check_prop(fdt, "/chosen",
		   E_CELLS("linux,initrd-end", 1, 0x200000));
	free(fdt);
}

TEST(guest_dt, event_sources_exact)
{
	const struct expect es[] = {
		E_EMPTY("interrupt-controller"),
		E_U32("#interrupt-cells", 2),
		E_CELLS("interrupt-ranges", 0x1000, 1, 0x1001, 1),
	};
	const struct expect epow[] = {
		E_CELLS("interrupts", 0x1000, 0),
	};
	const struct expect hotplug[] = {
		E_CELLS("interrupts", 0x1001, 0),
	};
	struct guest_dt_params p = golden_params();
	void *fdt = build(&p);

	REQUIRE(fdt);
	check_node(fdt, "/event-sources", es);
	check_node(fdt, "/event-sources/epow-events", epow);
	check_node(fdt, "/event-sources/hot-plug-events", hotplug);
	free(fdt);
}

TEST(guest_dt, rng_platform_facility_exact)
{
	const struct expect pf[] = {
		E_STR("device_type", "ibm,platform-facilities"),
		E_U32("#address-cells", 1),
		E_U32("#size-cells", 0),
	};
	const struct expect rng[] = {
		E_STR("compatible", "ibm,random"),
	};
	struct guest_dt_params p = lv_params();
	char nodes[1024];
	void *fdt;

	p.rng = true;
	fdt = build(&p);
	REQUIRE(fdt);
	node_list(fdt, nodes, sizeof(nodes));
	CHECK_STR_CONTAINS(nodes, "/vdevice/vty@71000000 "
				  "/ibm,platform-facilities "
				  "/ibm,platform-facilities/ibm,random-v1 "
				  "/memory@0");
	check_node(fdt, "/ibm,platform-facilities", pf);
	check_node(fdt, "/ibm,platform-facilities/ibm,random-v1", rng);
	free(fdt);
}

/* --- Golden comparison with QEMU 7.2 ----------------------------------- */

/*
 * How each property of QEMU's tree (golden) and of ours relates.  The
 * golden tests require every property of either tree to be covered here,
 * so a property added on either side must be listed with its reason.
 */
enum relation {
	SAME,      /* present in both, byte for byte equal */
	CHANGED,   /* present in both, value differs on purpose */
	QEMU_ONLY, /* QEMU has it, we leave it out on purpose */
	OURS_ONLY, /* we add it on purpose */
};

struct golden_rule {
	const char *path; /* "@*" at the end matches any unit address */
	const char *prop; /* NULL: the whole node */
	enum relation rel;
};

#define CPU_NODE "/cpus/PowerPC,POWER9@*"

static const struct golden_rule golden_rules[] = {
	{ "/", "#address-cells", SAME },
	{ "/", "#size-cells", SAME },
	{ "/", "device_type", SAME },
	{ "/", "compatible", SAME },
	{ "/", "vm,uuid", SAME },
	{ "/", "ibm,partition-name", SAME },
	/* Printed only; we say who emulates the platform. */
	{ "/", "model", CHANGED },
	/* PAPR partition number, read by lparcfg. */
	{ "/", "ibm,partition-no", OURS_ONLY },
	/* No NVDIMMs (H_SCM_*). */
	{ "/ibm,persistent-memory", NULL, QEMU_ONLY },

	{ "/chosen", "bootargs", SAME },
	{ "/chosen", "linux,initrd-start", SAME },
	{ "/chosen", "linux,initrd-end", SAME },
	{ "/chosen", "linux,stdout-path", SAME },
	{ "/chosen", "stdout-path", SAME },
	{ "/chosen", "linux,pci-probe-only", SAME },
	/* Post-CAS result instead of the reset tree's [00 00]. */
	{ "/chosen", "ibm,architecture-vec-5", CHANGED },
	/* One MMU mode (radix), not TCG's switchable 0xc0. */
	{ "/chosen", "ibm,arch-vec-5-platform-support", CHANGED },
	/* Random in QEMU (stripped from the golden); ours is an input. */
	{ "/chosen", "rng-seed", OURS_ONLY },
	/* Where -kernel was loaded (issue 20: as QEMU, for any kernel). */
	{ "/chosen", "qemu,boot-kernel", SAME },
	{ "/chosen", "qemu,boot-kernel-le", SAME },
	{ "/chosen", "qemu,graphic-width", QEMU_ONLY },
	{ "/chosen", "qemu,graphic-height", QEMU_ONLY },
	{ "/chosen", "qemu,graphic-depth", QEMU_ONLY },

	{ "/rtas", "ibm,hypertas-functions", SAME },
	{ "/rtas", "rtas-size", SAME },
	{ "/rtas", "rtas-error-log-max", SAME },
	{ "/rtas", "rtas-event-scan-rate", SAME },
	{ "/rtas", "ibm,extended-os-term", SAME },
	{ "/rtas", "ibm,change-msix-capable", SAME },
	{ "/rtas", "ibm,lrdr-capacity", SAME },
	{ "/rtas", "display-character", SAME },
	{ "/rtas", "get-time-of-day", SAME },
	{ "/rtas", "set-time-of-day", SAME },
	{ "/rtas", "power-off", SAME },
	{ "/rtas", "system-reboot", SAME },
	{ "/rtas", "query-cpu-stopped-state", SAME },
	{ "/rtas", "start-cpu", SAME },
	{ "/rtas", "stop-self", SAME },
	{ "/rtas", "ibm,get-system-parameter", SAME },
	{ "/rtas", "ibm,set-system-parameter", SAME },
	{ "/rtas", "ibm,set-xive", SAME },
	{ "/rtas", "ibm,get-xive", SAME },
	{ "/rtas", "ibm,int-off", SAME },
	{ "/rtas", "ibm,int-on", SAME },
	{ "/rtas", "check-exception", SAME },
	{ "/rtas", "event-scan", SAME },
	{ "/rtas", "ibm,set-tce-bypass", SAME },
	{ "/rtas", "quiesce", SAME },
	{ "/rtas", "nvram-fetch", SAME },
	{ "/rtas", "nvram-store", SAME },
	{ "/rtas", "read-pci-config", SAME },
	{ "/rtas", "write-pci-config", SAME },
	{ "/rtas", "ibm,read-pci-config", SAME },
	{ "/rtas", "ibm,write-pci-config", SAME },
	{ "/rtas", "ibm,query-interrupt-source-number", SAME },
	{ "/rtas", "ibm,change-msi", SAME },
	{ "/rtas", "set-indicator", SAME },
	{ "/rtas", "set-power-level", SAME },
	{ "/rtas", "get-power-level", SAME },
	{ "/rtas", "get-sensor-state", SAME },
	{ "/rtas", "ibm,configure-connector", SAME },
	{ "/rtas", "ibm,os-term", SAME },
	{ "/rtas", "ibm,set-eeh-option", SAME },
	{ "/rtas", "ibm,get-config-addr-info2", SAME },
	{ "/rtas", "ibm,read-slot-reset-state2", SAME },
	{ "/rtas", "ibm,set-slot-reset", SAME },
	{ "/rtas", "ibm,configure-pe", SAME },
	{ "/rtas", "ibm,slot-error-detail", SAME },
	{ "/rtas", "ibm,query-pe-dma-window", SAME },
	{ "/rtas", "ibm,create-pe-dma-window", SAME },
	{ "/rtas", "ibm,remove-pe-dma-window", SAME },
	{ "/rtas", "ibm,reset-pe-dma-window", SAME },
	{ "/rtas", "ibm,suspend-me", SAME },
	{ "/rtas", "ibm,nmi-register", SAME },
	{ "/rtas", "ibm,nmi-interlock", SAME },
	/* FORM2 NUMA, granted at CAS, instead of the reset tree's FORM1. */
	{ "/rtas", "ibm,associativity-reference-points", CHANGED },
	{ "/rtas", "ibm,max-associativity-domains", CHANGED },
	{ "/rtas", "ibm,numa-lookup-index-table", OURS_ONLY },
	{ "/rtas", "ibm,numa-distance-table", OURS_ONLY },
	/* Recorded by prom_init's instantiate-rtas on the SLOF path. */
	{ "/rtas", "linux,rtas-base", OURS_ONLY },
	{ "/rtas", "linux,rtas-entry", OURS_ONLY },
	/* SLOF's H_LOGICAL_MEMOP; no SLOF. */
	{ "/rtas", "qemu,hypertas-functions", QEMU_ONLY },

	{ "/event-sources", "interrupt-controller", SAME },
	{ "/event-sources", "#interrupt-cells", SAME },
	{ "/event-sources", "interrupt-ranges", SAME },
	{ "/event-sources/epow-events", "interrupts", SAME },
	{ "/event-sources/hot-plug-events", "interrupts", SAME },

	{ "/cpus", "#address-cells", SAME },
	{ "/cpus", "#size-cells", SAME },
	/* CPU hotplug connectors: no DLPAR. */
	{ "/cpus", "ibm,drc-indexes", QEMU_ONLY },
	{ "/cpus", "ibm,drc-names", QEMU_ONLY },
	{ "/cpus", "ibm,drc-types", QEMU_ONLY },
	{ "/cpus", "ibm,drc-power-domains", QEMU_ONLY },

	{ CPU_NODE, "device_type", SAME },
	{ CPU_NODE, "reg", SAME },
	{ CPU_NODE, "d-cache-block-size", SAME },
	{ CPU_NODE, "d-cache-line-size", SAME },
	{ CPU_NODE, "i-cache-block-size", SAME },
	{ CPU_NODE, "i-cache-line-size", SAME },
	{ CPU_NODE, "d-cache-size", SAME },
	{ CPU_NODE, "i-cache-size", SAME },
	{ CPU_NODE, "timebase-frequency", SAME },
	{ CPU_NODE, "clock-frequency", SAME },
	{ CPU_NODE, "slb-size", SAME },
	{ CPU_NODE, "ibm,slb-size", SAME },
	{ CPU_NODE, "status", SAME },
	{ CPU_NODE, "64-bit", SAME },
	{ CPU_NODE, "ibm,purr", SAME },
	{ CPU_NODE, "ibm,spurr", SAME },
	{ CPU_NODE, "ibm,processor-segment-sizes", SAME },
	{ CPU_NODE, "ibm,vmx", SAME },
	{ CPU_NODE, "ibm,dfp", SAME },
	{ CPU_NODE, "ibm,segment-page-sizes", SAME },
	{ CPU_NODE, "ibm,pa-features", SAME },
	{ CPU_NODE, "ibm,chip-id", SAME },
	{ CPU_NODE, "ibm,pft-size", SAME },
	{ CPU_NODE, "ibm,ppc-interrupt-server#s", SAME },
	{ CPU_NODE, "ibm,ppc-interrupt-gserver#s", SAME },
	{ CPU_NODE, "ibm,processor-radix-AP-encodings", SAME },
	{ CPU_NODE, "ibm,dec-bits", SAME },
	/* Logical PVR 0x0f000005 set at CAS, not the raw 0x004e1200. */
	{ CPU_NODE, "cpu-version", CHANGED },
	/* CPU hotplug connector: no DLPAR. */
	{ CPU_NODE, "ibm,my-drc-index", QEMU_ONLY },

	{ "/vdevice", "device_type", SAME },
	{ "/vdevice", "compatible", SAME },
	{ "/vdevice", "#address-cells", SAME },
	{ "/vdevice", "#size-cells", SAME },
	{ "/vdevice", "#interrupt-cells", SAME },
	{ "/vdevice", "interrupt-controller", SAME },
	{ "/vdevice/vty@71000000", "reg", SAME },
	{ "/vdevice/vty@71000000", "device_type", SAME },
	{ "/vdevice/vty@71000000", "compatible", SAME },
	{ "/vdevice/vty@71000000", "interrupts", SAME },
	{ "/vdevice/nvram@71000001", "reg", SAME },
	{ "/vdevice/nvram@71000001", "device_type", SAME },
	{ "/vdevice/nvram@71000001", "compatible", SAME },
	{ "/vdevice/nvram@71000001", "#bytes", SAME },
	/* Nothing signals lparvisor's NVRAM (nor Linux's driver asks). */
	{ "/vdevice/nvram@71000001", "interrupts", QEMU_ONLY },

	{ "/ibm,platform-facilities", "device_type", SAME },
	{ "/ibm,platform-facilities", "#address-cells", SAME },
	{ "/ibm,platform-facilities", "#size-cells", SAME },
	{ "/ibm,platform-facilities/ibm,random-v1", "compatible", SAME },

	{ "/memory@0", "device_type", SAME },
	{ "/memory@0", "reg", SAME },
	/* FORM2 <1 0> instead of FORM1 <4 0 0 0 0>. */
	{ "/memory@0", "ibm,associativity", CHANGED },

	{ "/interrupt-controller", "device_type", SAME },
	{ "/interrupt-controller", "compatible", SAME },
	{ "/interrupt-controller", "interrupt-controller", SAME },
	{ "/interrupt-controller", "ibm,interrupt-server-ranges", SAME },
	{ "/interrupt-controller", "#interrupt-cells", SAME },
	{ "/interrupt-controller", "linux,phandle", SAME },
	{ "/interrupt-controller", "phandle", SAME },
};

static bool path_matches(const char *pattern, const char *path)
{
	size_t n = strlen(pattern);

	if (n >= 2 && !strcmp(pattern + n - 2, "@*")) {
		return !strncmp(pattern, path, n - 1) &&
		       !strchr(path + n - 1, '/');
	}
	return !strcmp(pattern, path);
}

static const struct golden_rule *rule_for(const char *path, const char *prop)
{
	for (size_t i = 0; i < ARRAY_SIZE(golden_rules); i++) {
		const struct golden_rule *r = &golden_rules[i];

		if (path_matches(r->path, path) &&
		    (!r->prop || (prop && !strcmp(r->prop, prop)))) {
			return r;
		}
	}
	return NULL;
}

static void *load_golden(void)
{
	char path[512];
	size_t size = 0;
	void *fdt;

	snprintf(path, sizeof(path), "%s/%s", test_fixture_dir(), GOLDEN_DTB);
	fdt = test_read_file(path, &size);
	if (!fdt) {
		test_fail(__FILE__, __LINE__, "cannot read %s", path);
		return NULL;
	}
	if (fdt_check_full(fdt, size) != 0) {
		test_fail(__FILE__, __LINE__, "%s is not a valid tree", path);
		free(fdt);
		return NULL;
	}
	return fdt;
}

/*
 * Walk every property of `a`: it must be covered by a rule; a property
 * QEMU_ONLY/OURS_ONLY (seen from `a`) must be absent from `b`, and
 * SAME/CHANGED ones present, SAME ones equal.  `a_is_qemu` says which
 * tree `a` is.
 */
static void compare_tree(const void *a, const void *b, bool a_is_qemu)
{
	enum relation only_a = a_is_qemu ? QEMU_ONLY : OURS_ONLY;
	enum relation only_b = a_is_qemu ? OURS_ONLY : QEMU_ONLY;
	const char *side = a_is_qemu ? "QEMU" : "ours";
	char path[256];
	int depth = 0;

	for (int node = 0; node >= 0 && depth >= 0;
	     node = fdt_next_node(a, node, &depth)) {
		const struct golden_rule *nr;
		int other, prop;

		if (fdt_get_path(a, node, path, sizeof(path)) != 0) {
			test_fail(__FILE__, __LINE__, "%s: bad path", side);
			continue;
		}
		nr = rule_for(path, NULL);
		if (nr && !nr->prop) {
			CHECK_EQ(nr->rel, only_a);
			CHECK(fdt_path_offset(b, path) < 0);
			continue;
		}
		other = fdt_path_offset(b, path);
		if (other < 0) {
			test_fail(__FILE__, __LINE__,
				  "%s node %s is missing from the other tree "
				  "and not listed",
				  side, path);
			continue;
		}
		fdt_for_each_property_offset(prop, a, node) {
			const struct golden_rule *r;
			const void *va, *vb;
			const char *name;
			int la, lb;

			va = fdt_getprop_by_offset(a, prop, &name, &la);
			r = rule_for(path, name);
			vb = fdt_getprop(b, other, name, &lb);
			if (!r) {
				test_fail(__FILE__, __LINE__,
					  "%s %s:%s is not in golden_rules",
					  side, path, name);
			} else if (r->rel == only_a || r->rel == only_b) {
				if (r->rel != only_a || vb) {
					test_fail(__FILE__, __LINE__,
						  "%s %s:%s: rule says only "
						  "in %s",
						  side, path, name,
						  r->rel == QEMU_ONLY ? "QEMU"
								      : "ours");
				}
			} else if (!vb) {
				test_fail(__FILE__, __LINE__,
					  "%s %s:%s missing from the other "
					  "tree",
					  side, path, name);
			} else if (r->rel == SAME &&
				   (la != lb || memcmp(va, vb, (size_t)la))) {
				test_fail(__FILE__, __LINE__,
					  "%s:%s differs from QEMU", path,
					  name);
			}
		}
	}
}

/* Compare one SAME property of `path` in both trees. */
static void check_same(const void *qemu, const void *ours, const char *path,
		       const char *prop)
{
	const void *va, *vb;
	int la, lb;

	va = fdt_getprop(qemu, fdt_path_offset(qemu, path), prop, &la);
	vb = fdt_getprop(ours, fdt_path_offset(ours, path), prop, &lb);
	if (!va || !vb || la != lb || memcmp(va, vb, (size_t)la)) {
		test_fail(__FILE__, __LINE__, "%s:%s differs from QEMU (%s)",
			  path, prop, !va ? "not in QEMU's" :
				      !vb ? "not in ours" : "value");
	}
}

/* Every SAME rule, looked up directly (the walks below cover the rest). */
TEST(guest_dt_golden, same_properties_equal_qemu72)
{
	struct guest_dt_params p = golden_params();
	void *qemu = load_golden();
	void *ours = build(&p);

	REQUIRE(qemu && ours);
	for (size_t i = 0; i < ARRAY_SIZE(golden_rules); i++) {
		const struct golden_rule *r = &golden_rules[i];

		if (r->rel != SAME) {
			continue;
		}
		if (!strcmp(r->path, CPU_NODE)) {
			check_same(qemu, ours, "/cpus/PowerPC,POWER9@0",
				   r->prop);
			check_same(qemu, ours, "/cpus/PowerPC,POWER9@1",
				   r->prop);
		} else {
			check_same(qemu, ours, r->path, r->prop);
		}
	}
	free(qemu);
	free(ours);
}

TEST(guest_dt_golden, every_qemu_property_is_listed)
{
	struct guest_dt_params p = golden_params();
	void *qemu = load_golden();
	void *ours = build(&p);

	REQUIRE(qemu && ours);
	compare_tree(qemu, ours, true);
	free(qemu);
	free(ours);
}

TEST(guest_dt_golden, every_property_of_ours_is_listed)
{
	struct guest_dt_params p = golden_params();
	void *qemu = load_golden();
	void *ours = build(&p);

	REQUIRE(qemu && ours);
	compare_tree(ours, qemu, false);
	free(qemu);
	free(ours);
}

/* QEMU reserves kernel and initrd; we add RTAS and the tree, in front. */
TEST(guest_dt_golden, memreserve_is_qemu_plus_rtas_and_fdt)
{
	struct guest_dt_params p = golden_params();
	char q[256], o[256], want[512];
	void *qemu = load_golden();
	void *ours = build(&p);

	REQUIRE(qemu && ours);
	rsv_list(qemu, q, sizeof(q));
	rsv_list(ours, o, sizeof(o));
	CHECK_STR_EQ(q, "400000+2c 420000+1000");
	snprintf(want, sizeof(want), "3f100000+83c 3f000000+%x %s",
		 fdt_totalsize(ours), q);
	CHECK_STR_EQ(o, want);
	free(qemu);
	free(ours);
}

/* The post-CAS values we chose, next to QEMU's reset values. */
TEST(guest_dt_golden, changed_values_are_the_post_cas_ones)
{
	struct guest_dt_params p = golden_params();
	void *qemu = load_golden();
	void *ours = build(&p);

	REQUIRE(qemu && ours);
	check_prop(qemu, "/chosen", E_BYTES("ibm,architecture-vec-5", 0, 0));
	check_prop(qemu, "/cpus/PowerPC,POWER9@0",
		   E_U32("cpu-version", 0x004e1200));
	check_prop(ours, "/cpus/PowerPC,POWER9@0",
		   E_U32("cpu-version", 0x0f000005));
	check_prop(qemu, "/memory@0",
		   E_CELLS("ibm,associativity", 4, 0, 0, 0, 0));
	check_prop(ours, "/memory@0", E_CELLS("ibm,associativity", 1, 0));
	check_prop(qemu, "/rtas",
		   E_CELLS("ibm,associativity-reference-points", 4, 4, 2));
	check_prop(ours, "/rtas",
		   E_CELLS("ibm,associativity-reference-points", 1));
	check_prop(qemu, "/rtas",
		   E_CELLS("ibm,max-associativity-domains", 4, 0, 0, 0, 1));
	check_prop(ours, "/rtas",
		   E_CELLS("ibm,max-associativity-domains", 1, 1));
	check_prop(qemu, "/chosen",
		   E_BYTES("ibm,arch-vec-5-platform-support",
			   23, 0x00, 24, 0xc0, 25, 0x00, 26, 0x40));
	check_prop(qemu, "/", E_STR("model", "IBM pSeries (emulated by qemu)"));
	free(qemu);
	free(ours);
}

/* compat: the architected processor QEMU 7.2 shows under max-cpu-compat. */
TEST(guest_dt, compat_power8_on_power9_shows_an_architected_power8)
{
	struct guest_dt_params p = lv_params();
	const uint8_t *pa;
	const fdt32_t *v;
	void *fdt;
	int cpu, len;

	p.mmu = CONFIG_MMU_HASH;
	p.compat = CONFIG_COMPAT_POWER8;
	fdt = build(&p);
	REQUIRE(fdt);
	cpu = fdt_path_offset(fdt, "/cpus/PowerPC,POWER9@0");
	REQUIRE(cpu >= 0);
	v = fdt_getprop(fdt, cpu, "cpu-version", &len);
	REQUIRE(v && len == 4);
	CHECK_EQ(fdt32_to_cpu(*v), 0x0f000004);
	pa = fdt_getprop(fdt, cpu, "ibm,pa-features", &len);
	REQUIRE(pa);
	CHECK_EQ(len, 26); /* ISA 2.07's 24 bytes and the header */
	CHECK(!fdt_getprop(fdt, cpu, "ibm,dec-bits", &len));
	CHECK(!fdt_getprop(fdt, cpu, "ibm,processor-radix-AP-encodings",
			   &len));
	free(fdt);
	/* No radix MMU in that mode. */
	p.mmu = CONFIG_MMU_RADIX;
	CHECK_EQ(build_rc(&p), -FDT_ERR_BADVALUE);
}

TEST(guest_dt, compat_newer_than_the_host_is_refused)
{
	struct guest_dt_params p = lv_params();

	p.compat = CONFIG_COMPAT_POWER10;
	CHECK_EQ(build_rc(&p), -FDT_ERR_BADVALUE);
	CHECK(!guest_dt_compat_ok(0x004e1202, CONFIG_COMPAT_POWER10));
	CHECK(guest_dt_compat_ok(0x004e1202, CONFIG_COMPAT_POWER9));
	CHECK(guest_dt_compat_ok(0x00800200, CONFIG_COMPAT_POWER8));
	CHECK(!guest_dt_compat_ok(0x004d0200, CONFIG_COMPAT_POWER9));
	CHECK(guest_dt_compat_ok(0x004d0200, CONFIG_COMPAT_NONE));
	CHECK(!guest_dt_compat_ok(0x004e1202, (enum config_compat)9));
	p.compat = CONFIG_COMPAT_POWER9; /* the host's own: as without */
	CHECK_EQ(build_rc(&p), 0);
}
