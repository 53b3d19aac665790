/*
 * Tests for hv/config.c, the partition configuration checker.  Most
 * configurations are built in memory with libfdt's sequential-write API,
 * so each case shows exactly the tree it feeds; the good examples in
 * configs/ are read as compiled by dtc.  Every error test checks the code,
 * the partition, the property and the whole message text.
 */
#include <libfdt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hv/config.h"
#include "tests/unit/test.h"

/* ---- building configurations ------------------------------------------ */

struct cfgb {
	uint64_t buf[8192]; /* 64 KiB, 8-byte aligned as libfdt wants */
	int err;
};

static void cb_check(struct cfgb *b, int rc)
{
	if (rc < 0 && !b->err) {
		b->err = rc;
	}
}

static void cb_node(struct cfgb *b, const char *name)
{
	cb_check(b, fdt_begin_node(b->buf, name));
}

static void cb_end(struct cfgb *b)
{
	cb_check(b, fdt_end_node(b->buf));
}

static void cb_raw(struct cfgb *b, const char *name, const void *v, int len)
{
	cb_check(b, fdt_property(b->buf, name, v, len));
}

static void cb_str(struct cfgb *b, const char *name, const char *v)
{
	cb_check(b, fdt_property_string(b->buf, name, v));
}

static void cb_u32(struct cfgb *b, const char *name, uint32_t v)
{
	cb_check(b, fdt_property_u32(b->buf, name, v));
}

static void cb_u64(struct cfgb *b, const char *name, uint64_t v)
{
	cb_check(b, fdt_property_u64(b->buf, name, v));
}

/* A u32 list property: cb_cells(b, "cores", 2, 1, 3) is <1 3>. */
static void cb_cells(struct cfgb *b, const char *name, int n, ...)
{
	uint32_t cells[128];
	va_list ap;

	va_start(ap, n);
	for (int i = 0; i < n; i++) {
		cells[i] = cpu_to_fdt32(va_arg(ap, uint32_t));
	}
	va_end(ap);
	cb_raw(b, name, cells, 4 * n);
}

/* Root with `compatible` (none when NULL); nodes follow. */
static void cb_root(struct cfgb *b, const char *compatible)
{
	memset(b, 0, sizeof(*b));
	cb_check(b, fdt_create(b->buf, sizeof(b->buf)));
	cb_check(b, fdt_finish_reservemap(b->buf));
	cb_node(b, "");
	if (compatible) {
		cb_str(b, "compatible", compatible);
	}
}

/* The usual start: a config-v1 root and an open /partitions. */
static void cb_begin(struct cfgb *b)
{
	cb_root(b, CONFIG_COMPATIBLE);
	cb_node(b, "partitions");
}

/* A partition with the three required properties, left open. */
static void cb_lpar(struct cfgb *b, const char *name, uint32_t core,
		    uint64_t mem)
{
	cb_node(b, name);
	cb_cells(b, "cores", 1, core);
	cb_u64(b, "memory", mem);
	cb_str(b, "kernel", "vmlinux");
}

/* Close the root; returns an exact-size malloc'd copy (ASan sees any
 * read past its end), or NULL if building failed. */
static void *cb_done(struct cfgb *b, size_t *size)
{
	void *copy;

	cb_end(b);
	cb_check(b, fdt_finish(b->buf));
	if (b->err) {
		return NULL;
	}
	*size = fdt_totalsize(b->buf);
	copy = malloc(*size);
	if (copy) {
		memcpy(copy, b->buf, *size);
	}
	return copy;
}

/* ---- parsing and checking -------------------------------------------- */

static struct config cfg;
static struct cfgb builder;

static const struct config_env qemu_env = {
	.core_count = 4,
	.mem_available = 3 * SZ_1G,
};

/* Close /partitions and the root, parse against `env`. */
static enum config_err parse_env(struct cfgb *b, const struct config_env *env)
{
	enum config_err e;
	size_t size;
	void *blob;

	cb_end(b);
	blob = cb_done(b, &size);
	if (!blob) {
		test_fail(__FILE__, __LINE__, "building the tree failed: %s",
			  fdt_strerror(b->err));
		return (enum config_err)-1;
	}
	e = config_parse(blob, size, env, &cfg);
	free(blob);
	return e;
}

static enum config_err parse(struct cfgb *b)
{
	return parse_env(b, &qemu_env);
}

static void expect_error(const char *file, int line, uint32_t i,
			 enum config_err code, const char *lpar,
			 const char *prop, const char *msg)
{
	const struct config_error *e;

	if (i >= cfg.error_count) {
		test_fail(file, line, "error %u expected (\"%s\"), only %u "
			  "recorded", i, msg, cfg.error_count);
		return;
	}
	e = &cfg.errors[i];
	if (e->code != code) {
		test_fail(file, line, "error %u: code %d (%s), expected %d "
			  "(%s)", i, e->code, config_strerror(e->code), code,
			  config_strerror(code));
	}
	if (strcmp(e->lpar, lpar) != 0) {
		test_fail(file, line, "error %u: lpar \"%s\", expected \"%s\"",
			  i, e->lpar, lpar);
	}
	if (strcmp(e->property, prop) != 0) {
		test_fail(file, line, "error %u: property \"%s\", expected "
			  "\"%s\"", i, e->property, prop);
	}
	if (strcmp(e->message, msg) != 0) {
		test_fail(file, line, "error %u:\n    got      \"%s\"\n    "
			  "expected \"%s\"", i, e->message, msg);
	}
}

#define EXPECT_ERROR(i, code, lpar, prop, msg)                               \
	expect_error(__FILE__, __LINE__, i, code, lpar, prop, msg)

/* Exactly one error, that one. */
#define EXPECT_ONLY_ERROR(code, lpar, prop, msg)                             \
	do {                                                                 \
		CHECK_EQ(cfg.error_count, 1);                                \
		EXPECT_ERROR(0, code, lpar, prop, msg);                      \
	} while (0)

static const struct lpar_config *find_lpar(const char *name)
{
	for (uint32_t i = 0; i < cfg.lpar_count; i++) {
		if (strcmp(cfg.lpars[i].name, name) == 0) {
			return &cfg.lpars[i];
		}
	}
	return NULL;
}

/* One good partition "web" plus whatever the test adds to it. */
#define WEB_BEGIN(b)                                                         \
	do {                                                                 \
		cb_begin(b);                                                 \
		cb_lpar(b, "web", 1, SZ_256M);                               \
	} while (0)

/* ---- whole-file errors ----------------------------------------------- */

TEST(config, rejects_blob_too_short)
{
	static const uint64_t blob[2] = { 0 };

	CHECK_EQ(config_parse(blob, 10, &qemu_env, &cfg), CONFIG_E_NOT_FDT);
	EXPECT_ONLY_ERROR(CONFIG_E_NOT_FDT, "", "",
			  "config: 10 bytes: too short for a device tree");
	CHECK_EQ(cfg.lpar_count, 0);
}

TEST(config, rejects_blob_that_is_not_fdt)
{
	uint64_t blob[16];

	memset(blob, 0x55, sizeof(blob));
	CHECK_EQ(config_parse(blob, sizeof(blob), &qemu_env, &cfg),
		 CONFIG_E_NOT_FDT);
	EXPECT_ONLY_ERROR(CONFIG_E_NOT_FDT, "", "",
			  "config: not a valid device tree (FDT_ERR_BADMAGIC)");
}

TEST(config, rejects_tree_larger_than_buffer)
{
	char msg[160];
	size_t size;
	void *blob;

	WEB_BEGIN(&builder);
	cb_end(&builder);
	cb_end(&builder);
	blob = cb_done(&builder, &size);
	REQUIRE(blob != NULL);
	CHECK_EQ(config_parse(blob, size - 8, &qemu_env, &cfg),
		 CONFIG_E_NOT_FDT);
	snprintf(msg, sizeof(msg), "config: device tree claims %zu bytes but "
		 "only %zu are there", size, size - 8);
	EXPECT_ONLY_ERROR(CONFIG_E_NOT_FDT, "", "", msg);
	free(blob);
}

TEST(config, rejects_missing_compatible)
{
	cb_root(&builder, NULL);
	cb_node(&builder, "partitions");
	cb_lpar(&builder, "web", 1, SZ_256M);
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_E_COMPATIBLE);
	EXPECT_ONLY_ERROR(CONFIG_E_COMPATIBLE, "", "compatible",
			  "config: property \"compatible\": missing: must be "
			  "\"lparvisor,config-v1\"");
	CHECK_EQ(cfg.lpar_count, 0);
}

TEST(config, rejects_foreign_compatible)
{
	cb_root(&builder, "acme,thing");
	cb_node(&builder, "partitions");
	cb_lpar(&builder, "web", 1, SZ_256M);
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_E_COMPATIBLE);
	EXPECT_ONLY_ERROR(CONFIG_E_COMPATIBLE, "", "compatible",
			  "config: property \"compatible\": \"acme,thing\" is "
			  "not \"lparvisor,config-v1\"");
}

TEST(config, rejects_other_format_version)
{
	cb_root(&builder, "lparvisor,config-v2");
	cb_node(&builder, "partitions");
	cb_lpar(&builder, "web", 1, SZ_256M);
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_E_COMPATIBLE);
	EXPECT_ONLY_ERROR(CONFIG_E_COMPATIBLE, "", "compatible",
			  "config: property \"compatible\": "
			  "\"lparvisor,config-v2\" is not supported: this "
			  "lparvisor reads \"lparvisor,config-v1\"");
}

TEST(config, accepts_compatible_list_containing_v1)
{
	static const char list[] = "acme,board-config\0lparvisor,config-v1";

	cb_root(&builder, NULL);
	cb_raw(&builder, "compatible", list, sizeof(list));
	cb_node(&builder, "partitions");
	cb_lpar(&builder, "web", 1, SZ_256M);
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	CHECK_EQ(cfg.error_count, 0);
	CHECK_EQ(cfg.lpar_count, 1);
}

TEST(config, rejects_missing_partitions_node)
{
	cb_root(&builder, CONFIG_COMPATIBLE);
	cb_node(&builder, "images");
	CHECK_EQ(parse(&builder), CONFIG_E_NO_PARTITIONS);
	EXPECT_ONLY_ERROR(CONFIG_E_NO_PARTITIONS, "", "",
			  "config: no /partitions node");
}

TEST(config, rejects_empty_partitions_node)
{
	cb_begin(&builder);
	CHECK_EQ(parse(&builder), CONFIG_E_NO_PARTITIONS);
	EXPECT_ONLY_ERROR(CONFIG_E_NO_PARTITIONS, "", "",
			  "config: /partitions has no partition");
}

TEST(config, rejects_all_partitions_disabled)
{
	cb_begin(&builder);
	cb_lpar(&builder, "web", 1, SZ_256M);
	cb_str(&builder, "status", "disabled");
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_E_NO_PARTITIONS);
	EXPECT_ONLY_ERROR(CONFIG_E_NO_PARTITIONS, "", "",
			  "config: every partition in /partitions is disabled");
}

TEST(config, rejects_unknown_root_property_and_node)
{
	cb_root(&builder, CONFIG_COMPATIBLE);
	cb_str(&builder, "vendor", "acme");
	cb_node(&builder, "partition");
	cb_end(&builder);
	cb_node(&builder, "partitions");
	cb_lpar(&builder, "web", 1, SZ_256M);
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	CHECK_EQ(cfg.error_count, 2);
	EXPECT_ERROR(0, CONFIG_E_VALUE, "", "vendor",
		     "config: property \"vendor\": unknown property at the "
		     "root");
	EXPECT_ERROR(1, CONFIG_E_VALUE, "", "",
		     "config: unknown node \"/partition\"");
	/* Not about a partition: web is kept. */
	CHECK_EQ(config_good_count(&cfg), 1);
}

/* ---- partition names ------------------------------------------------- */

TEST(config, rejects_uppercase_name)
{
	cb_begin(&builder);
	cb_lpar(&builder, "Web", 1, SZ_256M);
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	EXPECT_ONLY_ERROR(CONFIG_E_NAME, "Web", "",
			  "lpar \"Web\": partition name may only use a-z, 0-9 "
			  "and '-'");
	CHECK(cfg.lpars[0].refused);
}

TEST(config, rejects_unit_address_in_name)
{
	cb_begin(&builder);
	cb_lpar(&builder, "web@1", 1, SZ_256M);
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	EXPECT_ONLY_ERROR(CONFIG_E_NAME, "web@1", "",
			  "lpar \"web@1\": partition name may only use a-z, "
			  "0-9 and '-'");
}

TEST(config, rejects_name_of_32_characters)
{
	cb_begin(&builder);
	cb_lpar(&builder, "abcdefghijklmnopqrstuvwxyz012345", 1, SZ_256M);
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	/* The stored name is cut to 31 characters. */
	EXPECT_ONLY_ERROR(CONFIG_E_NAME, "abcdefghijklmnopqrstuvwxyz01234", "",
			  "lpar \"abcdefghijklmnopqrstuvwxyz01234\": partition "
			  "name is 32 characters long: 1 to 31 allowed");
}

TEST(config, accepts_name_of_31_characters)
{
	cb_begin(&builder);
	cb_lpar(&builder, "abcdefghijklmnopqrstuvwxyz-0123", 1, SZ_256M);
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	CHECK_EQ(cfg.error_count, 0);
	CHECK_STR_EQ(cfg.lpars[0].name, "abcdefghijklmnopqrstuvwxyz-0123");
}

TEST(config, rejects_duplicate_name_in_blob)
{
	/* dtc refuses this; a hand-made blob can still carry it. */
	cb_begin(&builder);
	cb_lpar(&builder, "web", 1, SZ_256M);
	cb_end(&builder);
	cb_lpar(&builder, "web", 2, SZ_256M);
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	EXPECT_ONLY_ERROR(CONFIG_E_NAME, "web", "",
			  "lpar \"web\": partition name already used by "
			  "lpar 1");
	CHECK(!cfg.lpars[0].refused);
	CHECK(cfg.lpars[1].refused);
}

TEST(config, cleans_unprintable_name_in_messages)
{
	cb_begin(&builder);
	cb_lpar(&builder, "a\x01\"b", 1, SZ_256M);
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	EXPECT_ONLY_ERROR(CONFIG_E_NAME, "a??b", "",
			  "lpar \"a??b\": partition name may only use a-z, 0-9 "
			  "and '-'");
}

/* ---- required, unknown and repeated properties ----------------------- */

TEST(config, reports_every_missing_required_property)
{
	cb_begin(&builder);
	cb_node(&builder, "empty");
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	CHECK_EQ(cfg.error_count, 3);
	EXPECT_ERROR(0, CONFIG_E_MISSING, "empty", "cores",
		     "lpar \"empty\": property \"cores\": missing (required)");
	EXPECT_ERROR(1, CONFIG_E_MISSING, "empty", "memory",
		     "lpar \"empty\": property \"memory\": missing "
		     "(required)");
	EXPECT_ERROR(2, CONFIG_E_MISSING, "empty", "kernel",
		     "lpar \"empty\": property \"kernel\": missing "
		     "(required)");
	CHECK(cfg.lpars[0].refused);
}

TEST(config, rejects_unknown_property)
{
	WEB_BEGIN(&builder);
	cb_str(&builder, "on-crsh", "stop");
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	EXPECT_ONLY_ERROR(CONFIG_E_VALUE, "web", "on-crsh",
			  "lpar \"web\": property \"on-crsh\": unknown "
			  "property");
	CHECK(cfg.lpars[0].refused);
}

TEST(config, accepts_standard_properties)
{
	WEB_BEGIN(&builder);
	cb_u32(&builder, "phandle", 7);
	cb_u32(&builder, "linux,phandle", 7);
	cb_str(&builder, "name", "web");
	cb_str(&builder, "status", "okay");
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	CHECK_EQ(cfg.error_count, 0);
	CHECK(!cfg.lpars[0].refused);
}

TEST(config, rejects_unknown_child_node)
{
	WEB_BEGIN(&builder);
	cb_node(&builder, "console");
	cb_end(&builder);
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	EXPECT_ONLY_ERROR(CONFIG_E_VALUE, "web", "",
			  "lpar \"web\": unknown child node \"console\"");
}

TEST(config, rejects_repeated_property)
{
	WEB_BEGIN(&builder);
	cb_str(&builder, "mmu", "radix");
	cb_str(&builder, "mmu", "radix");
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	EXPECT_ONLY_ERROR(CONFIG_E_FORMAT, "web", "mmu",
			  "lpar \"web\": property \"mmu\": appears twice");
}

TEST(config, rejects_bad_status)
{
	WEB_BEGIN(&builder);
	cb_str(&builder, "status", "broken");
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	EXPECT_ONLY_ERROR(CONFIG_E_VALUE, "web", "status",
			  "lpar \"web\": property \"status\": must be \"okay\" "
			  "or \"disabled\"");
	CHECK(cfg.lpars[0].refused);
}

/* ---- cores ----------------------------------------------------------- */

TEST(config, rejects_empty_cores)
{
	cb_begin(&builder);
	cb_node(&builder, "web");
	cb_raw(&builder, "cores", "", 0);
	cb_u64(&builder, "memory", SZ_256M);
	cb_str(&builder, "kernel", "vmlinux");
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	EXPECT_ONLY_ERROR(CONFIG_E_VALUE, "web", "cores",
			  "lpar \"web\": property \"cores\": must list at "
			  "least one core");
}

TEST(config, rejects_cores_not_whole_cells)
{
	static const uint8_t five[5] = { 0, 0, 0, 1, 0 };

	cb_begin(&builder);
	cb_node(&builder, "web");
	cb_raw(&builder, "cores", five, sizeof(five));
	cb_u64(&builder, "memory", SZ_256M);
	cb_str(&builder, "kernel", "vmlinux");
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	EXPECT_ONLY_ERROR(CONFIG_E_FORMAT, "web", "cores",
			  "lpar \"web\": property \"cores\": is 5 bytes long: "
			  "expected a list of 32-bit cells");
}

TEST(config, rejects_more_than_64_cores)
{
	uint32_t cells[65];
	struct config_env env = qemu_env;

	for (int i = 0; i < 65; i++) {
		cells[i] = cpu_to_fdt32(i);
	}
	env.core_count = 128;
	cb_begin(&builder);
	cb_node(&builder, "big");
	cb_raw(&builder, "cores", cells, sizeof(cells));
	cb_u64(&builder, "memory", SZ_256M);
	cb_str(&builder, "kernel", "vmlinux");
	cb_end(&builder);
	CHECK_EQ(parse_env(&builder, &env), CONFIG_OK);
	EXPECT_ONLY_ERROR(CONFIG_E_VALUE, "big", "cores",
			  "lpar \"big\": property \"cores\": lists 65 cores: "
			  "at most 64");
}

TEST(config, rejects_core_the_machine_lacks)
{
	cb_begin(&builder);
	cb_lpar(&builder, "web", 4, SZ_256M);
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	EXPECT_ONLY_ERROR(CONFIG_E_CORE_RANGE, "web", "cores",
			  "lpar \"web\": property \"cores\": core 4 does not "
			  "exist: the machine has 4 cores (0-3)");
	CHECK(cfg.lpars[0].refused);
}

TEST(config, rejects_core_listed_twice)
{
	cb_begin(&builder);
	cb_node(&builder, "web");
	cb_cells(&builder, "cores", 3, 1, 2, 1);
	cb_u64(&builder, "memory", SZ_256M);
	cb_str(&builder, "kernel", "vmlinux");
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	EXPECT_ONLY_ERROR(CONFIG_E_CORE_OVERLAP, "web", "cores",
			  "lpar \"web\": property \"cores\": core 1 is listed "
			  "twice");
}

TEST(config, refuses_later_partition_sharing_a_core)
{
	cb_begin(&builder);
	cb_node(&builder, "alpha");
	cb_cells(&builder, "cores", 2, 1, 2);
	cb_u64(&builder, "memory", SZ_256M);
	cb_str(&builder, "kernel", "vmlinux");
	cb_end(&builder);
	cb_node(&builder, "beta");
	cb_cells(&builder, "cores", 2, 3, 2);
	cb_u64(&builder, "memory", SZ_256M);
	cb_str(&builder, "kernel", "vmlinux");
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	EXPECT_ONLY_ERROR(CONFIG_E_CORE_OVERLAP, "beta", "cores",
			  "lpar \"beta\": property \"cores\": core 2 is "
			  "already owned by lpar \"alpha\"");
	CHECK(!find_lpar("alpha")->refused);
	CHECK(find_lpar("beta")->refused);
}

/* ---- PCI host bridges ------------------------------------------------ */

static const struct config_phb two_chip_phbs[] = {
	{ 0, 0 }, { 0, 1 }, { 8, 0 },
};

static const struct config_env phb_env = {
	.core_count = 4,
	.mem_available = 3 * SZ_1G,
	.phb_count = 3,
	.phbs = two_chip_phbs,
};

TEST(config, takes_phbs_the_machine_has_in_file_order)
{
	WEB_BEGIN(&builder);
	cb_cells(&builder, "pci-host-bridges", 4, 8, 0, 0, 1);
	cb_end(&builder);
	CHECK_EQ(parse_env(&builder, &phb_env), CONFIG_OK);
	CHECK_EQ(cfg.error_count, 0);
	CHECK_EQ(cfg.lpars[0].phb_count, 2);
	CHECK_EQ(cfg.lpars[0].phbs[0].chip, 8);
	CHECK_EQ(cfg.lpars[0].phbs[0].index, 0);
	CHECK_EQ(cfg.lpars[0].phbs[1].chip, 0);
	CHECK_EQ(cfg.lpars[0].phbs[1].index, 1);
	CHECK(!cfg.lpars[0].refused);
}

TEST(config, rejects_phb_the_machine_lacks)
{
	WEB_BEGIN(&builder);
	/* Chip 8 has index 0 only; chip 1 has none. */
	cb_cells(&builder, "pci-host-bridges", 4, 8, 1, 0, 0);
	cb_end(&builder);
	CHECK_EQ(parse_env(&builder, &phb_env), CONFIG_OK);
	EXPECT_ONLY_ERROR(CONFIG_E_PHB_RANGE, "web", "pci-host-bridges",
			  "lpar \"web\": property \"pci-host-bridges\": PHB "
			  "8:1 (chip 8, index 1) does not exist: the machine "
			  "has 3 PHBs");
	CHECK(cfg.lpars[0].refused);
}

TEST(config, rejects_any_phb_on_a_machine_without_one)
{
	WEB_BEGIN(&builder);
	cb_cells(&builder, "pci-host-bridges", 2, 0, 0);
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	EXPECT_ONLY_ERROR(CONFIG_E_PHB_RANGE, "web", "pci-host-bridges",
			  "lpar \"web\": property \"pci-host-bridges\": PHB "
			  "0:0 (chip 0, index 0) does not exist: the machine "
			  "has 0 PHBs");
}

TEST(config, rejects_phb_listed_twice)
{
	WEB_BEGIN(&builder);
	cb_cells(&builder, "pci-host-bridges", 6, 0, 1, 8, 0, 0, 1);
	cb_end(&builder);
	CHECK_EQ(parse_env(&builder, &phb_env), CONFIG_OK);
	EXPECT_ONLY_ERROR(CONFIG_E_PHB_OVERLAP, "web", "pci-host-bridges",
			  "lpar \"web\": property \"pci-host-bridges\": PHB "
			  "0:1 is listed twice");
}

TEST(config, refuses_later_partition_sharing_a_phb)
{
	cb_begin(&builder);
	cb_lpar(&builder, "alpha", 1, SZ_256M);
	cb_cells(&builder, "pci-host-bridges", 2, 0, 1);
	cb_end(&builder);
	cb_lpar(&builder, "beta", 2, SZ_256M);
	cb_cells(&builder, "pci-host-bridges", 4, 0, 0, 0, 1);
	cb_end(&builder);
	cb_lpar(&builder, "gamma", 3, SZ_256M);
	cb_cells(&builder, "pci-host-bridges", 2, 8, 0);
	cb_end(&builder);
	CHECK_EQ(parse_env(&builder, &phb_env), CONFIG_OK);
	EXPECT_ONLY_ERROR(CONFIG_E_PHB_OVERLAP, "beta", "pci-host-bridges",
			  "lpar \"beta\": property \"pci-host-bridges\": PHB "
			  "0:1 is already given to lpar \"alpha\"");
	CHECK(!find_lpar("alpha")->refused);
	CHECK(find_lpar("beta")->refused);
	CHECK(!find_lpar("gamma")->refused);
}

TEST(config, refuses_phbs_in_a_hash_partition)
{
	WEB_BEGIN(&builder);
	cb_str(&builder, "mmu", "hash");
	cb_cells(&builder, "pci-host-bridges", 2, 0, 0);
	cb_end(&builder);
	CHECK_EQ(parse_env(&builder, &phb_env), CONFIG_OK);
	EXPECT_ONLY_ERROR(CONFIG_E_UNSUPPORTED, "web", "pci-host-bridges",
			  "lpar \"web\": property \"pci-host-bridges\": PCI "
			  "host bridges with mmu = \"hash\" are not "
			  "implemented yet");
	CHECK(cfg.lpars[0].refused);
}

TEST(config, rejects_phbs_not_in_pairs_or_too_many)
{
	uint32_t nine[18];

	cb_begin(&builder);
	cb_lpar(&builder, "odd", 1, SZ_256M);
	cb_cells(&builder, "pci-host-bridges", 3, 0, 0, 0);
	cb_end(&builder);
	cb_lpar(&builder, "empty", 2, SZ_256M);
	cb_raw(&builder, "pci-host-bridges", NULL, 0);
	cb_end(&builder);
	cb_lpar(&builder, "many", 3, SZ_256M);
	memset(nine, 0, sizeof(nine));
	cb_raw(&builder, "pci-host-bridges", nine, sizeof(nine));
	cb_end(&builder);
	CHECK_EQ(parse_env(&builder, &phb_env), CONFIG_OK);
	CHECK_EQ(cfg.error_count, 3);
	EXPECT_ERROR(0, CONFIG_E_FORMAT, "odd", "pci-host-bridges",
		     "lpar \"odd\": property \"pci-host-bridges\": is 12 "
		     "bytes long: expected <chip index> pairs of 32-bit "
		     "cells");
	EXPECT_ERROR(1, CONFIG_E_FORMAT, "empty", "pci-host-bridges",
		     "lpar \"empty\": property \"pci-host-bridges\": is 0 "
		     "bytes long: expected <chip index> pairs of 32-bit "
		     "cells");
	EXPECT_ERROR(2, CONFIG_E_VALUE, "many", "pci-host-bridges",
		     "lpar \"many\": property \"pci-host-bridges\": lists 9 "
		     "PHBs: at most 8");
}

/* ---- memory ---------------------------------------------------------- */

TEST(config, rejects_memory_of_one_cell)
{
	cb_begin(&builder);
	cb_node(&builder, "web");
	cb_cells(&builder, "cores", 1, 1);
	cb_u32(&builder, "memory", 0x10000000);
	cb_str(&builder, "kernel", "vmlinux");
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	EXPECT_ONLY_ERROR(CONFIG_E_FORMAT, "web", "memory",
			  "lpar \"web\": property \"memory\": is 4 bytes long: "
			  "expected one 64-bit value (2 cells)");
}

TEST(config, rejects_zero_memory)
{
	cb_begin(&builder);
	cb_lpar(&builder, "web", 1, 0);
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	EXPECT_ONLY_ERROR(CONFIG_E_VALUE, "web", "memory",
			  "lpar \"web\": property \"memory\": must not be 0");
}

TEST(config, rejects_memory_not_multiple_of_256m)
{
	cb_begin(&builder);
	cb_lpar(&builder, "web", 1, 0x3000);
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	EXPECT_ONLY_ERROR(CONFIG_E_MEM_ALIGN, "web", "memory",
			  "lpar \"web\": property \"memory\": 0x3000 is not a "
			  "multiple of 256 MiB");
}

TEST(config, names_memory_in_mib_when_whole)
{
	cb_begin(&builder);
	cb_lpar(&builder, "web", 1, 100 * SZ_1M);
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	EXPECT_ONLY_ERROR(CONFIG_E_MEM_ALIGN, "web", "memory",
			  "lpar \"web\": property \"memory\": 100 MiB is not a "
			  "multiple of 256 MiB");
}

TEST(config, rejects_partition_larger_than_machine)
{
	cb_begin(&builder);
	cb_lpar(&builder, "web", 1, 4 * SZ_1G);
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	EXPECT_ONLY_ERROR(CONFIG_E_MEM_TOO_BIG, "web", "memory",
			  "lpar \"web\": property \"memory\": 4 GiB is more "
			  "than the 3 GiB partitions may use");
}

TEST(config, refuses_partitions_that_do_not_fit_in_order)
{
	cb_begin(&builder);
	cb_lpar(&builder, "a", 1, 2 * SZ_1G);
	cb_end(&builder);
	cb_lpar(&builder, "b", 2, 2 * SZ_1G);
	cb_end(&builder);
	cb_lpar(&builder, "c", 3, 512 * SZ_1M);
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	EXPECT_ONLY_ERROR(CONFIG_E_MEM_TOO_BIG, "b", "memory",
			  "lpar \"b\": property \"memory\": 2 GiB does not "
			  "fit: 1 GiB of 3 GiB left after the partitions "
			  "before it");
	CHECK(!find_lpar("a")->refused);
	CHECK(find_lpar("b")->refused);
	CHECK(!find_lpar("c")->refused);
	CHECK_EQ(config_good_count(&cfg), 2);
}

TEST(config, refused_partitions_take_no_memory)
{
	cb_begin(&builder);
	cb_lpar(&builder, "a", 1, 3 * SZ_1G);
	cb_str(&builder, "colour", "red");
	cb_end(&builder);
	cb_lpar(&builder, "b", 2, 3 * SZ_1G);
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	EXPECT_ONLY_ERROR(CONFIG_E_VALUE, "a", "colour",
			  "lpar \"a\": property \"colour\": unknown property");
	CHECK(!find_lpar("b")->refused);
}

TEST(config, rejects_unaligned_memory_base)
{
	WEB_BEGIN(&builder);
	cb_u64(&builder, "memory-base", 0x80001000);
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	EXPECT_ONLY_ERROR(CONFIG_E_MEM_ALIGN, "web", "memory-base",
			  "lpar \"web\": property \"memory-base\": 0x80001000 "
			  "is not a multiple of 256 MiB");
}

TEST(config, rejects_memory_base_past_address_space)
{
	WEB_BEGIN(&builder);
	cb_u64(&builder, "memory-base", 0xfffffffff0000000ull);
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	EXPECT_ONLY_ERROR(CONFIG_E_VALUE, "web", "memory-base",
			  "lpar \"web\": property \"memory-base\": "
			  "0xfffffffff0000000 + memory 0x10000000 runs past "
			  "the end of the address space");
}

TEST(config, refuses_later_overlapping_placed_memory)
{
	cb_begin(&builder);
	cb_lpar(&builder, "a", 1, 512 * SZ_1M);
	cb_u64(&builder, "memory-base", 0x80000000);
	cb_end(&builder);
	cb_lpar(&builder, "b", 2, 512 * SZ_1M);
	cb_u64(&builder, "memory-base", 0x90000000);
	cb_end(&builder);
	cb_lpar(&builder, "c", 3, 256 * SZ_1M);
	cb_u64(&builder, "memory-base", 0xb0000000);
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	EXPECT_ONLY_ERROR(CONFIG_E_MEM_OVERLAP, "b", "memory-base",
			  "lpar \"b\": property \"memory-base\": "
			  "0x90000000-0xafffffff overlaps lpar \"a\" at "
			  "0x80000000-0x9fffffff");
	/* c starts where b ends: adjacent ranges do not overlap. */
	CHECK(!find_lpar("a")->refused);
	CHECK(find_lpar("b")->refused);
	CHECK(!find_lpar("c")->refused);
}

TEST(config, adjacent_placed_ranges_do_not_overlap)
{
	cb_begin(&builder);
	cb_lpar(&builder, "a", 1, 512 * SZ_1M);
	cb_u64(&builder, "memory-base", 0x80000000);
	cb_end(&builder);
	cb_lpar(&builder, "b", 2, 512 * SZ_1M);
	cb_u64(&builder, "memory-base", 0xa0000000);
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	CHECK_EQ(cfg.error_count, 0);
	CHECK(find_lpar("b")->mem_base_set);
	CHECK_EQ(find_lpar("b")->mem_base, 0xa0000000);
}

/* ---- enumerated strings ---------------------------------------------- */

TEST(config, takes_hash_mmu_with_xics)
{
	WEB_BEGIN(&builder);
	cb_str(&builder, "mmu", "hash");
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	CHECK_EQ(cfg.error_count, 0);
	REQUIRE(find_lpar("web"));
	CHECK_EQ(find_lpar("web")->mmu, CONFIG_MMU_HASH);
	CHECK_EQ(find_lpar("web")->hpt_size, 0); /* 1/128 of memory */
}

/* Its ESB and TIMA pages are entered by the guest (mm/hpt.c checks). */
TEST(config, takes_hash_mmu_with_xive)
{
	WEB_BEGIN(&builder);
	cb_str(&builder, "interrupt-controller", "xive");
	cb_str(&builder, "mmu", "hash");
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	CHECK_EQ(cfg.error_count, 0);
	REQUIRE(find_lpar("web"));
	CHECK_EQ(find_lpar("web")->mmu, CONFIG_MMU_HASH);
	CHECK_EQ(find_lpar("web")->intc, CONFIG_INTC_XIVE);
}

TEST(config, takes_hpt_size_power_of_two)
{
	WEB_BEGIN(&builder);
	cb_str(&builder, "mmu", "hash");
	cb_u64(&builder, "hpt-size", 1ull << 18);
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	CHECK_EQ(cfg.error_count, 0);
	REQUIRE(find_lpar("web"));
	CHECK_EQ(find_lpar("web")->hpt_size, 1ull << 18);
}

TEST(config, rejects_bad_hpt_sizes)
{
	static const uint64_t bad[] = { 0, 1ull << 17, 3ull << 20,
					1ull << 47 };
	static const char *const shown[] = { "0x0", "0x20000", "3 MiB",
					     "131072 GiB" };

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		char want[160];

		WEB_BEGIN(&builder);
		cb_str(&builder, "mmu", "hash");
		cb_u64(&builder, "hpt-size", bad[i]);
		cb_end(&builder);
		CHECK_EQ(parse(&builder), CONFIG_OK);
		snprintf(want, sizeof(want),
			 "lpar \"web\": property \"hpt-size\": %s is not a "
			 "power of two from 256 KiB to 64 TiB", shown[i]);
		EXPECT_ONLY_ERROR(CONFIG_E_VALUE, "web", "hpt-size", want);
	}
}

TEST(config, rejects_hpt_size_without_hash)
{
	WEB_BEGIN(&builder);
	cb_u64(&builder, "hpt-size", 1ull << 20);
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	EXPECT_ONLY_ERROR(CONFIG_E_VALUE, "web", "hpt-size",
			  "lpar \"web\": property \"hpt-size\": only "
			  "applies to mmu = \"hash\"");
}

TEST(config, takes_compat_modes)
{
	WEB_BEGIN(&builder);
	cb_str(&builder, "mmu", "hash");
	cb_str(&builder, "compat", "power8");
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	CHECK_EQ(cfg.error_count, 0);
	REQUIRE(find_lpar("web"));
	CHECK_EQ(find_lpar("web")->compat, CONFIG_COMPAT_POWER8);
}

TEST(config, rejects_power8_compat_with_radix_and_unknown_modes)
{
	WEB_BEGIN(&builder);
	cb_str(&builder, "compat", "power8");
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	EXPECT_ONLY_ERROR(CONFIG_E_VALUE, "web", "compat",
			  "lpar \"web\": property \"compat\": \"power8\" has "
			  "no radix MMU: it needs mmu = \"hash\"");
	WEB_BEGIN(&builder);
	cb_str(&builder, "compat", "power7");
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	EXPECT_ONLY_ERROR(CONFIG_E_VALUE, "web", "compat",
			  "lpar \"web\": property \"compat\": \"power7\" is "
			  "not \"power8\", \"power9\" or \"power10\"");
}

TEST(config, rejects_unknown_mmu)
{
	WEB_BEGIN(&builder);
	cb_str(&builder, "mmu", "segments");
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	EXPECT_ONLY_ERROR(CONFIG_E_VALUE, "web", "mmu",
			  "lpar \"web\": property \"mmu\": \"segments\" is not "
			  "\"radix\" or \"hash\"");
}

TEST(config, takes_xive_where_the_machine_has_one)
{
	WEB_BEGIN(&builder);
	cb_str(&builder, "interrupt-controller", "xive");
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	CHECK_EQ(cfg.error_count, 0);
	CHECK(!cfg.lpars[0].refused);
	CHECK_EQ(cfg.lpars[0].intc, CONFIG_INTC_XIVE);
}

TEST(config, refuses_xive_on_a_machine_without_one)
{
	struct config_env env = qemu_env;

	env.no_xive = true;
	WEB_BEGIN(&builder);
	cb_str(&builder, "interrupt-controller", "xive");
	cb_end(&builder);
	CHECK_EQ(parse_env(&builder, &env), CONFIG_OK);
	EXPECT_ONLY_ERROR(CONFIG_E_UNSUPPORTED, "web", "interrupt-controller",
			  "lpar \"web\": property \"interrupt-controller\": "
			  "\"xive\" needs a XIVE interrupt controller (POWER9 "
			  "or later), which this machine does not have");
}

/* Issue 15: a POWER8 host has neither radix nor XIVE. */
TEST(config, refuses_radix_on_power8)
{
	struct config_env env = qemu_env;

	env.no_xive = true;
	env.no_radix = true;
	WEB_BEGIN(&builder);
	cb_end(&builder);
	CHECK_EQ(parse_env(&builder, &env), CONFIG_OK);
	EXPECT_ONLY_ERROR(CONFIG_E_UNSUPPORTED, "web", "mmu",
			  "lpar \"web\": property \"mmu\": radix needs "
			  "POWER9 or later; this machine (POWER8) has only the "
			  "hash MMU: use mmu = \"hash\"");
	WEB_BEGIN(&builder);
	cb_str(&builder, "mmu", "radix");
	cb_end(&builder);
	CHECK_EQ(parse_env(&builder, &env), CONFIG_OK);
	EXPECT_ONLY_ERROR(CONFIG_E_UNSUPPORTED, "web", "mmu",
			  "lpar \"web\": property \"mmu\": radix needs "
			  "POWER9 or later; this machine (POWER8) has only the "
			  "hash MMU: use mmu = \"hash\"");
}

TEST(config, takes_hash_xics_on_power8)
{
	struct config_env env = qemu_env;

	env.no_xive = true;
	env.no_radix = true;
	WEB_BEGIN(&builder);
	cb_str(&builder, "mmu", "hash");
	cb_end(&builder);
	CHECK_EQ(parse_env(&builder, &env), CONFIG_OK);
	CHECK_EQ(cfg.error_count, 0);
	CHECK(!cfg.lpars[0].refused);
	CHECK_EQ(cfg.lpars[0].mmu, CONFIG_MMU_HASH);
	CHECK_EQ(cfg.lpars[0].intc, CONFIG_INTC_XICS);
	WEB_BEGIN(&builder);
	cb_str(&builder, "mmu", "hash");
	cb_str(&builder, "interrupt-controller", "xive");
	cb_end(&builder);
	CHECK_EQ(parse_env(&builder, &env), CONFIG_OK);
	EXPECT_ONLY_ERROR(CONFIG_E_UNSUPPORTED, "web", "interrupt-controller",
			  "lpar \"web\": property \"interrupt-controller\": "
			  "\"xive\" needs a XIVE interrupt controller (POWER9 "
			  "or later), which this machine does not have");
}

TEST(config, dual_is_xive_with_a_xive_and_xics_without)
{
	struct config_env env = qemu_env;

	WEB_BEGIN(&builder);
	cb_str(&builder, "interrupt-controller", "dual");
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	CHECK_EQ(cfg.error_count, 0);
	CHECK_EQ(cfg.lpars[0].intc, CONFIG_INTC_XIVE);
	env.no_xive = true;
	WEB_BEGIN(&builder);
	cb_str(&builder, "interrupt-controller", "dual");
	cb_end(&builder);
	CHECK_EQ(parse_env(&builder, &env), CONFIG_OK);
	CHECK_EQ(cfg.error_count, 0);
	CHECK_EQ(cfg.lpars[0].intc, CONFIG_INTC_XICS);
}

TEST(config, rejects_unknown_interrupt_controller)
{
	WEB_BEGIN(&builder);
	cb_str(&builder, "interrupt-controller", "mpic");
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	EXPECT_ONLY_ERROR(CONFIG_E_VALUE, "web", "interrupt-controller",
			  "lpar \"web\": property \"interrupt-controller\": "
			  "\"mpic\" is not \"xics\", \"xive\" or \"dual\"");
}

TEST(config, rejects_unknown_boot_kind)
{
	WEB_BEGIN(&builder);
	cb_str(&builder, "boot", "slof");
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	EXPECT_ONLY_ERROR(CONFIG_E_VALUE, "web", "boot",
			  "lpar \"web\": property \"boot\": \"slof\" is not "
			  "\"kernel\" or \"payload\"");
}

TEST(config, rejects_unknown_policies)
{
	WEB_BEGIN(&builder);
	cb_str(&builder, "on-crash", "reboot");
	cb_str(&builder, "on-reboot", "");
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	CHECK_EQ(cfg.error_count, 2);
	EXPECT_ERROR(0, CONFIG_E_VALUE, "web", "on-crash",
		     "lpar \"web\": property \"on-crash\": \"reboot\" is not "
		     "\"restart\" or \"stop\"");
	EXPECT_ERROR(1, CONFIG_E_VALUE, "web", "on-reboot",
		     "lpar \"web\": property \"on-reboot\": \"\" is not "
		     "\"restart\" or \"stop\"");
}

TEST(config, rejects_bad_service_console_properties)
{
	WEB_BEGIN(&builder);
	cb_str(&builder, "on-boot", "later");
	cb_u32(&builder, "console-log", 3);
	cb_u64(&builder, "stop-timeout", 10);
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	CHECK_EQ(cfg.error_count, 3);
	EXPECT_ERROR(0, CONFIG_E_VALUE, "web", "on-boot",
		     "lpar \"web\": property \"on-boot\": \"later\" is not "
		     "\"start\" or \"wait\"");
	EXPECT_ERROR(1, CONFIG_E_VALUE, "web", "console-log",
		     "lpar \"web\": property \"console-log\": 3 KiB is "
		     "outside 4 to 1024");
	EXPECT_ERROR(2, CONFIG_E_FORMAT, "web", "stop-timeout",
		     "lpar \"web\": property \"stop-timeout\": is 8 bytes "
		     "long: expected one 32-bit cell");
	WEB_BEGIN(&builder);
	cb_u32(&builder, "console-log", 1025);
	cb_u32(&builder, "stop-timeout", 0);
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	CHECK_EQ(cfg.error_count, 2);
	EXPECT_ERROR(1, CONFIG_E_VALUE, "web", "stop-timeout",
		     "lpar \"web\": property \"stop-timeout\": 0 s is "
		     "outside 1 to 3600");
}

TEST(config, rejects_string_given_as_number_or_list)
{
	static const char list[] = "radix\0hash";

	WEB_BEGIN(&builder);
	cb_u32(&builder, "on-crash", 1);
	cb_raw(&builder, "mmu", list, sizeof(list));
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	CHECK_EQ(cfg.error_count, 2);
	EXPECT_ERROR(0, CONFIG_E_FORMAT, "web", "on-crash",
		     "lpar \"web\": property \"on-crash\": must be a single "
		     "string");
	EXPECT_ERROR(1, CONFIG_E_FORMAT, "web", "mmu",
		     "lpar \"web\": property \"mmu\": must be a single string");
}

/* ---- images and bootargs --------------------------------------------- */

TEST(config, rejects_bad_image_names)
{
	cb_begin(&builder);
	cb_node(&builder, "web");
	cb_cells(&builder, "cores", 1, 1);
	cb_u64(&builder, "memory", SZ_256M);
	cb_str(&builder, "kernel", "Linux/6.1");
	cb_str(&builder, "initramfs", "config");
	cb_end(&builder);
	cb_node(&builder, "db");
	cb_cells(&builder, "cores", 1, 2);
	cb_u64(&builder, "memory", SZ_256M);
	cb_str(&builder, "kernel", "");
	cb_str(&builder, "initramfs", "a-very-long-initramfs-name-0123456");
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	CHECK_EQ(cfg.error_count, 4);
	EXPECT_ERROR(0, CONFIG_E_VALUE, "web", "kernel",
		     "lpar \"web\": property \"kernel\": image name "
		     "\"Linux/6.1\" may only use a-z, 0-9, '.', '_' and '-'");
	EXPECT_ERROR(1, CONFIG_E_VALUE, "web", "initramfs",
		     "lpar \"web\": property \"initramfs\": \"config\" is the "
		     "configuration, not a bootable image");
	EXPECT_ERROR(2, CONFIG_E_VALUE, "db", "kernel",
		     "lpar \"db\": property \"kernel\": image name is 0 "
		     "characters long: 1 to 31 allowed");
	EXPECT_ERROR(3, CONFIG_E_VALUE, "db", "initramfs",
		     "lpar \"db\": property \"initramfs\": image name is 34 "
		     "characters long: 1 to 31 allowed");
}

TEST(config, rejects_bootargs_over_511_bytes)
{
	char args[513];

	memset(args, 'x', 512);
	args[512] = '\0';
	WEB_BEGIN(&builder);
	cb_str(&builder, "bootargs", args);
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	EXPECT_ONLY_ERROR(CONFIG_E_VALUE, "web", "bootargs",
			  "lpar \"web\": property \"bootargs\": is 512 bytes "
			  "long: at most 511");
}

TEST(config, accepts_bootargs_of_511_bytes)
{
	char args[512];

	memset(args, 'y', 511);
	args[511] = '\0';
	WEB_BEGIN(&builder);
	cb_str(&builder, "bootargs", args);
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	CHECK_EQ(cfg.error_count, 0);
	CHECK_STR_EQ(cfg.lpars[0].bootargs, args);
}

/* ---- kernel-addr (QEMU's -M pseries,kernel-addr=) --------------------- */

TEST(config, kernel_addr_defaults_to_qemus_0x400000)
{
	WEB_BEGIN(&builder);
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	CHECK_EQ(cfg.error_count, 0);
	CHECK_EQ(cfg.lpars[0].kernel_addr, 0x400000);
}

TEST(config, accepts_kernel_addr_inside_memory)
{
	WEB_BEGIN(&builder);
	cb_u64(&builder, "kernel-addr", 0x2000000);
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	CHECK_EQ(cfg.error_count, 0);
	CHECK_EQ(cfg.lpars[0].kernel_addr, 0x2000000);
}

TEST(config, rejects_kernel_addr_not_a_multiple_of_64k)
{
	WEB_BEGIN(&builder);
	cb_u64(&builder, "kernel-addr", 0x401000);
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	EXPECT_ONLY_ERROR(CONFIG_E_VALUE, "web", "kernel-addr",
			  "lpar \"web\": property \"kernel-addr\": 0x401000 is "
			  "not a multiple of 64 KiB");
}

TEST(config, rejects_kernel_addr_outside_memory)
{
	WEB_BEGIN(&builder);
	cb_u64(&builder, "kernel-addr", SZ_256M);
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	EXPECT_ONLY_ERROR(CONFIG_E_VALUE, "web", "kernel-addr",
			  "lpar \"web\": property \"kernel-addr\": 0x10000000 is "
			  "not inside the partition's 256 MiB of memory");
}

TEST(config, rejects_kernel_addr_as_one_cell)
{
	WEB_BEGIN(&builder);
	cb_u32(&builder, "kernel-addr", 0x400000);
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	EXPECT_ONLY_ERROR(CONFIG_E_FORMAT, "web", "kernel-addr",
			  "lpar \"web\": property \"kernel-addr\": is 4 bytes "
			  "long: expected one 64-bit value (2 cells)");
}

TEST(config, rejects_kernel_addr_for_a_payload)
{
	WEB_BEGIN(&builder);
	cb_str(&builder, "boot", "payload");
	cb_u64(&builder, "kernel-addr", 0x400000);
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	EXPECT_ONLY_ERROR(CONFIG_E_VALUE, "web", "kernel-addr",
			  "lpar \"web\": property \"kernel-addr\": only applies "
			  "to boot = \"kernel\" (a payload is loaded at 0)");
}

struct fake_images {
	const char *names[4];
	const char *reason;       /* what image_check answers */
	int checks;               /* image_check calls */
	enum config_boot kind;    /* kind of the last call */
	char last[CONFIG_NAME_LEN];
};

static bool fake_exists(void *ctx, const char *name)
{
	struct fake_images *f = ctx;

	for (int i = 0; i < 4 && f->names[i]; i++) {
		if (strcmp(f->names[i], name) == 0) {
			return true;
		}
	}
	return false;
}

static const char *fake_check(void *ctx, const char *name,
			      enum config_boot kind)
{
	struct fake_images *f = ctx;

	f->checks++;
	f->kind = kind;
	snprintf(f->last, sizeof(f->last), "%s", name);
	return f->reason;
}

TEST(config, rejects_images_missing_from_bundle)
{
	struct fake_images f = { .names = { "vmlinux" } };
	struct config_env env = qemu_env;

	env.image_exists = fake_exists;
	env.ctx = &f;
	cb_begin(&builder);
	cb_lpar(&builder, "web", 1, SZ_256M);
	cb_str(&builder, "initramfs", "rootfs");
	cb_end(&builder);
	cb_node(&builder, "db");
	cb_cells(&builder, "cores", 1, 2);
	cb_u64(&builder, "memory", SZ_256M);
	cb_str(&builder, "kernel", "zimage");
	cb_end(&builder);
	CHECK_EQ(parse_env(&builder, &env), CONFIG_OK);
	CHECK_EQ(cfg.error_count, 2);
	EXPECT_ERROR(0, CONFIG_E_IMAGE_MISSING, "web", "initramfs",
		     "lpar \"web\": property \"initramfs\": no image named "
		     "\"rootfs\"");
	EXPECT_ERROR(1, CONFIG_E_IMAGE_MISSING, "db", "kernel",
		     "lpar \"db\": property \"kernel\": no image named "
		     "\"zimage\"");
}

TEST(config, rejects_image_that_cannot_boot)
{
	struct fake_images f = { .names = { "vmlinux" },
				 .reason = "not an ELF file" };
	struct config_env env = qemu_env;

	env.image_exists = fake_exists;
	env.image_check = fake_check;
	env.ctx = &f;
	WEB_BEGIN(&builder);
	cb_str(&builder, "boot", "payload");
	cb_end(&builder);
	CHECK_EQ(parse_env(&builder, &env), CONFIG_OK);
	EXPECT_ONLY_ERROR(CONFIG_E_IMAGE_FORMAT, "web", "kernel",
			  "lpar \"web\": property \"kernel\": image "
			  "\"vmlinux\" cannot boot as a payload: not an ELF "
			  "file");
	CHECK_EQ(f.checks, 1);
	CHECK_EQ(f.kind, CONFIG_BOOT_PAYLOAD);
	CHECK_STR_EQ(f.last, "vmlinux");
}

TEST(config, checks_image_with_its_boot_kind)
{
	struct fake_images f = { .names = { "vmlinux" } };
	struct config_env env = qemu_env;

	env.image_exists = fake_exists;
	env.image_check = fake_check;
	env.ctx = &f;
	WEB_BEGIN(&builder);
	cb_end(&builder);
	CHECK_EQ(parse_env(&builder, &env), CONFIG_OK);
	CHECK_EQ(cfg.error_count, 0);
	CHECK_EQ(f.checks, 1);
	CHECK_EQ(f.kind, CONFIG_BOOT_KERNEL);
}

TEST(config, skips_image_check_when_boot_is_bad)
{
	struct fake_images f = { .names = { "vmlinux" }, .reason = "no" };
	struct config_env env = qemu_env;

	env.image_exists = fake_exists;
	env.image_check = fake_check;
	env.ctx = &f;
	WEB_BEGIN(&builder);
	cb_str(&builder, "boot", "firmware");
	cb_end(&builder);
	CHECK_EQ(parse_env(&builder, &env), CONFIG_OK);
	CHECK_EQ(cfg.error_count, 1);
	CHECK_EQ(f.checks, 0);
}

/* ---- several partitions ---------------------------------------------- */

TEST(config, refuses_bad_partition_and_keeps_good_one)
{
	const struct lpar_config *good, *bad;

	cb_begin(&builder);
	cb_lpar(&builder, "bad", 1, 0x3000);
	cb_str(&builder, "mmu", "segments");
	cb_end(&builder);
	cb_lpar(&builder, "good", 2, 512 * SZ_1M);
	cb_str(&builder, "bootargs", "console=hvc0");
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	CHECK_EQ(cfg.error_count, 2);
	EXPECT_ERROR(0, CONFIG_E_MEM_ALIGN, "bad", "memory",
		     "lpar \"bad\": property \"memory\": 0x3000 is not a "
		     "multiple of 256 MiB");
	EXPECT_ERROR(1, CONFIG_E_VALUE, "bad", "mmu",
		     "lpar \"bad\": property \"mmu\": \"segments\" is not "
		     "\"radix\" or \"hash\"");
	bad = find_lpar("bad");
	good = find_lpar("good");
	REQUIRE(bad && good);
	CHECK(bad->refused);
	CHECK(!good->refused);
	CHECK_EQ(good->lpid, 2);
	CHECK_EQ(good->core_count, 1);
	CHECK_EQ(good->cores[0], 2);
	CHECK_EQ(good->mem_size, 512 * SZ_1M);
	CHECK_STR_EQ(good->bootargs, "console=hvc0");
	CHECK_EQ(config_good_count(&cfg), 1);
}

TEST(config, disabled_partition_takes_no_lpid_and_is_not_checked)
{
	cb_begin(&builder);
	cb_lpar(&builder, "a", 1, SZ_256M);
	cb_end(&builder);
	cb_node(&builder, "off");
	cb_str(&builder, "status", "disabled");
	cb_str(&builder, "nonsense", "ignored");
	cb_end(&builder);
	cb_lpar(&builder, "b", 1 + 1, SZ_256M);
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	CHECK_EQ(cfg.error_count, 0);
	CHECK_EQ(cfg.lpar_count, 2);
	CHECK_STR_EQ(cfg.lpars[1].name, "b");
	CHECK_EQ(cfg.lpars[1].lpid, 2);
}

TEST(config, refuses_partitions_beyond_16)
{
	char name[16];

	cb_begin(&builder);
	for (int i = 0; i < 17; i++) {
		snprintf(name, sizeof(name), "p%d", i);
		cb_lpar(&builder, name, 0, SZ_256M);
		cb_end(&builder);
	}
	/* All share core 0 and 17 * 256 MiB > 3 GiB: many errors, but only
	 * the 17th partition is the TOO_MANY one. */
	CHECK_EQ(parse(&builder), CONFIG_OK);
	CHECK_EQ(cfg.lpar_count, CONFIG_MAX_LPARS);
	EXPECT_ERROR(0, CONFIG_E_TOO_MANY, "p16", "",
		     "lpar \"p16\": more than 16 partitions: not started");
	CHECK_EQ(cfg.lpars[15].lpid, 16);
}

TEST(config, caps_errors_and_counts_dropped)
{
	char name[16];

	WEB_BEGIN(&builder);
	for (int i = 0; i < 70; i++) {
		snprintf(name, sizeof(name), "junk%d", i);
		cb_u32(&builder, name, 0);
	}
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	CHECK_EQ(cfg.error_count, CONFIG_MAX_ERRORS);
	CHECK_EQ(cfg.errors_dropped, 70 - CONFIG_MAX_ERRORS);
	EXPECT_ERROR(63, CONFIG_E_VALUE, "web", "junk63",
		     "lpar \"web\": property \"junk63\": unknown property");
}

/* ---- good configurations: exact values ------------------------------- */

TEST(config, minimal_partition_gets_defaults)
{
	const struct lpar_config *l;

	cb_begin(&builder);
	cb_lpar(&builder, "web", 3, SZ_1G);
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	CHECK_EQ(cfg.error_count, 0);
	CHECK_EQ(cfg.errors_dropped, 0);
	REQUIRE_EQ(cfg.lpar_count, 1);
	l = &cfg.lpars[0];
	CHECK_STR_EQ(l->name, "web");
	CHECK_EQ(l->lpid, 1);
	CHECK_EQ(l->core_count, 1);
	CHECK_EQ(l->cores[0], 3);
	CHECK_EQ(l->mem_size, SZ_1G);
	CHECK(!l->mem_base_set);
	CHECK_EQ(l->mem_base, 0);
	CHECK_EQ(l->mmu, CONFIG_MMU_RADIX);
	CHECK_EQ(l->intc, CONFIG_INTC_XICS);
	CHECK_EQ(l->boot, CONFIG_BOOT_KERNEL);
	CHECK_STR_EQ(l->kernel, "vmlinux");
	CHECK_STR_EQ(l->initramfs, "");
	CHECK_STR_EQ(l->bootargs, "");
	CHECK_EQ(l->on_crash, CONFIG_POLICY_RESTART);
	CHECK_EQ(l->on_reboot, CONFIG_POLICY_RESTART);
	CHECK_EQ(l->on_boot, CONFIG_ON_BOOT_START);
	CHECK_EQ(l->console_log_kib, 64);
	CHECK_EQ(l->stop_timeout_s, 60);
	CHECK(!l->refused);
}

TEST(config, every_property_set)
{
	const struct lpar_config *l;

	cb_begin(&builder);
	cb_node(&builder, "all-set-1");
	cb_cells(&builder, "cores", 3, 3, 0, 2);
	cb_u64(&builder, "memory", 768 * SZ_1M);
	cb_u64(&builder, "memory-base", 0x100000000ull);
	cb_str(&builder, "mmu", "radix");
	cb_str(&builder, "interrupt-controller", "xics");
	cb_str(&builder, "boot", "payload");
	cb_str(&builder, "kernel", "hello.bin");
	cb_str(&builder, "initramfs", "root_fs-2");
	cb_str(&builder, "bootargs", "a b c");
	cb_str(&builder, "on-crash", "stop");
	cb_str(&builder, "on-reboot", "stop");
	cb_str(&builder, "on-boot", "wait");
	cb_u32(&builder, "console-log", 1024);
	cb_u32(&builder, "stop-timeout", 1);
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	CHECK_EQ(cfg.error_count, 0);
	l = &cfg.lpars[0];
	CHECK_EQ(l->on_boot, CONFIG_ON_BOOT_WAIT);
	CHECK_EQ(l->console_log_kib, 1024);
	CHECK_EQ(l->stop_timeout_s, 1);
	CHECK_STR_EQ(l->name, "all-set-1");
	CHECK_EQ(l->core_count, 3);
	CHECK_EQ(l->cores[0], 3);
	CHECK_EQ(l->cores[1], 0);
	CHECK_EQ(l->cores[2], 2);
	CHECK_EQ(l->mem_size, 768 * SZ_1M);
	CHECK(l->mem_base_set);
	CHECK_EQ(l->mem_base, 0x100000000ull);
	CHECK_EQ(l->boot, CONFIG_BOOT_PAYLOAD);
	CHECK_STR_EQ(l->kernel, "hello.bin");
	CHECK_STR_EQ(l->initramfs, "root_fs-2");
	CHECK_STR_EQ(l->bootargs, "a b c");
	CHECK_EQ(l->on_crash, CONFIG_POLICY_STOP);
	CHECK_EQ(l->on_reboot, CONFIG_POLICY_STOP);
	CHECK(!l->refused);
}

static void *read_fixture(const char *rel, size_t *size)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", test_fixture_dir(), rel);
	return test_read_file(path, size);
}

TEST(config, example_full_parses_to_exact_values)
{
	const struct lpar_config *web, *db;
	size_t size;
	void *blob = read_fixture("hv/examples/full.dtb", &size);

	REQUIRE(blob != NULL);
	CHECK_EQ(config_parse(blob, size, &qemu_env, &cfg), CONFIG_OK);
	CHECK_EQ(cfg.error_count, 0);
	CHECK_EQ(cfg.lpar_count, 2); /* "spare" is disabled */
	web = find_lpar("web");
	db = find_lpar("db");
	REQUIRE(web && db);
	CHECK_EQ(web->lpid, 1);
	CHECK_EQ(web->core_count, 2);
	CHECK_EQ(web->cores[0], 1);
	CHECK_EQ(web->cores[1], 2);
	CHECK_EQ(web->mem_size, SZ_1G);
	CHECK(!web->mem_base_set);
	CHECK_EQ(web->mmu, CONFIG_MMU_RADIX);
	CHECK_EQ(web->intc, CONFIG_INTC_XICS);
	CHECK_EQ(web->boot, CONFIG_BOOT_KERNEL);
	CHECK_STR_EQ(web->kernel, "vmlinux");
	CHECK_STR_EQ(web->initramfs, "rootfs");
	CHECK_STR_EQ(web->bootargs, "console=hvc0 root=/dev/ram0 quiet");
	CHECK_EQ(web->on_crash, CONFIG_POLICY_STOP);
	CHECK_EQ(web->on_reboot, CONFIG_POLICY_RESTART);
	CHECK_EQ(db->lpid, 2);
	CHECK_EQ(db->core_count, 1);
	CHECK_EQ(db->cores[0], 3);
	CHECK_EQ(db->mem_size, 512 * SZ_1M);
	CHECK(db->mem_base_set);
	CHECK_EQ(db->mem_base, 3 * SZ_1G);
	CHECK_STR_EQ(db->initramfs, "");
	CHECK_STR_EQ(db->bootargs, "console=hvc0 root=/dev/sda2");
	CHECK_EQ(db->on_crash, CONFIG_POLICY_RESTART);
	free(blob);
}

TEST(config, default_config_parses_to_exact_values)
{
	const struct lpar_config *a, *b;
	size_t size;
	void *blob = read_fixture("hv/configs/default.dtb", &size);

	REQUIRE(blob != NULL);
	CHECK_EQ(config_parse(blob, size, &qemu_env, &cfg), CONFIG_OK);
	CHECK_EQ(cfg.error_count, 0);
	REQUIRE_EQ(cfg.lpar_count, 2);
	a = &cfg.lpars[0];
	b = &cfg.lpars[1];
	CHECK_STR_EQ(a->name, "deb1");
	CHECK_EQ(a->lpid, 1);
	CHECK_EQ(a->core_count, 2);
	CHECK_EQ(a->cores[0], 1);
	CHECK_EQ(a->cores[1], 2);
	CHECK_EQ(a->mem_size, SZ_1G);
	CHECK_EQ(a->boot, CONFIG_BOOT_KERNEL);
	CHECK_STR_EQ(a->kernel, "vmlinux");
	CHECK_STR_EQ(a->initramfs, "initramfs");
	CHECK_STR_CONTAINS(a->bootargs, "lparvisor.shell=1");
	CHECK_STR_EQ(b->name, "deb2");
	CHECK_EQ(b->lpid, 2);
	CHECK_EQ(b->core_count, 1);
	CHECK_EQ(b->cores[0], 3);
	CHECK_EQ(b->mem_size, 512 * SZ_1M);
	CHECK_EQ(b->boot, CONFIG_BOOT_KERNEL);
	CHECK_EQ(config_good_count(&cfg), 2);
	free(blob);
}

TEST(config, bad_example_memory_align_keeps_db)
{
	size_t size;
	void *blob = read_fixture("hv/examples/bad-memory-align.dtb", &size);

	REQUIRE(blob != NULL);
	CHECK_EQ(config_parse(blob, size, &qemu_env, &cfg), CONFIG_OK);
	EXPECT_ONLY_ERROR(CONFIG_E_MEM_ALIGN, "web", "memory",
			  "lpar \"web\": property \"memory\": 0x3000 is not a "
			  "multiple of 256 MiB");
	CHECK(find_lpar("web")->refused);
	CHECK(!find_lpar("db")->refused);
	free(blob);
}

TEST(config, strerror_names_every_code)
{
	for (int e = CONFIG_OK; e < CONFIG_E_COUNT; e++) {
		CHECK(strcmp(config_strerror(e), "unknown error") != 0);
	}
	CHECK_STR_EQ(config_strerror(CONFIG_E_CORE_OVERLAP), "core overlap");
	CHECK_STR_EQ(config_strerror(CONFIG_E_COUNT), "unknown error");
	CHECK_STR_EQ(config_strerror((enum config_err)999), "unknown error");
}

/* ---- hostile blobs --------------------------------------------------- */

/* What must hold whatever the input: bounded counts, terminated strings. */
static void check_sane(void)
{
	CHECK_LE(cfg.error_count, CONFIG_MAX_ERRORS);
	CHECK_LE(cfg.lpar_count, CONFIG_MAX_LPARS);
	for (uint32_t i = 0; i < cfg.error_count && i < CONFIG_MAX_ERRORS;
	     i++) {
		CHECK_LT(strnlen(cfg.errors[i].message,
				 sizeof(cfg.errors[i].message)),
			 sizeof(cfg.errors[i].message));
		CHECK_LT(strnlen(cfg.errors[i].lpar, CONFIG_NAME_LEN),
			 CONFIG_NAME_LEN);
	}
	for (uint32_t i = 0; i < cfg.lpar_count && i < CONFIG_MAX_LPARS; i++) {
		CHECK_LE(cfg.lpars[i].core_count, CONFIG_MAX_CORES);
		CHECK_LT(strnlen(cfg.lpars[i].bootargs, CONFIG_BOOTARGS_LEN),
			 CONFIG_BOOTARGS_LEN);
	}
}

TEST(config, truncated_blobs_never_crash)
{
	size_t size;
	void *blob = read_fixture("hv/examples/full.dtb", &size);

	REQUIRE(blob != NULL);
	for (size_t len = 0; len < size && !test_failed(); len++) {
		void *cut = malloc(len ? len : 1);

		REQUIRE(cut != NULL);
		memcpy(cut, blob, len);
		CHECK_EQ(config_parse(cut, len, &qemu_env, &cfg),
			 CONFIG_E_NOT_FDT);
		check_sane();
		free(cut);
	}
	free(blob);
}

TEST(config, random_byte_flips_never_crash)
{
	struct test_rng rng;
	uint8_t *copy;
	size_t size;
	void *blob = read_fixture("hv/examples/full.dtb", &size);
	int ok = 0;

	REQUIRE(blob != NULL);
	copy = malloc(size);
	REQUIRE(copy != NULL);
	test_rng_seed(&rng, 0xc0ffee);
	for (int round = 0; round < 3000 && !test_failed(); round++) {
		int flips = 1 + (int)test_rng_below(&rng, 8);

		memcpy(copy, blob, size);
		for (int i = 0; i < flips; i++) {
			copy[test_rng_below(&rng, size)] ^=
				(uint8_t)(1 + test_rng_below(&rng, 255));
		}
		if (config_parse(copy, size, &qemu_env, &cfg) == CONFIG_OK) {
			ok++;
		}
		check_sane();
	}
	/* Most flips land in values and names, which still parse. */
	CHECK_GT(ok, 0);
	free(copy);
	free(blob);
}

TEST(config, hostile_header_fields_never_crash)
{
	/* Offsets and sizes of the FDT header, in 32-bit words. */
	static const int fields[] = { 1, 2, 3, 4, 8, 9 };
	static const uint32_t values[] = { 0,          1,          40,
					   0x7fffffff, 0x80000000, 0xfffffff8,
					   0xffffffff };
	uint32_t *copy;
	size_t size;
	void *blob = read_fixture("hv/examples/full.dtb", &size);

	REQUIRE(blob != NULL);
	copy = malloc(size);
	REQUIRE(copy != NULL);
	for (size_t f = 0; f < ARRAY_SIZE(fields); f++) {
		for (size_t v = 0; v < ARRAY_SIZE(values); v++) {
			memcpy(copy, blob, size);
			copy[fields[f]] = cpu_to_fdt32(values[v]);
			config_parse(copy, size, &qemu_env, &cfg);
			check_sane();
		}
	}
	free(copy);
	free(blob);
}

/* ---- fuzzer findings (tests/fuzz/, docs/testing.md) ------------------ */

/*
 * A copy of `blob` whose structure and strings blocks start `by` bytes
 * later: the header's offsets and total size follow, so the tree is the
 * same one and fdt_check_header() accepts it.  Exact size; NULL if out of
 * memory.
 */
static void *shift_structure(const void *blob, size_t size, uint32_t by,
			     size_t *new_size)
{
	uint32_t off = fdt_off_dt_struct(blob);
	uint8_t *copy;

	*new_size = size + by;
	copy = calloc(1, *new_size);
	if (!copy) {
		return NULL;
	}
	memcpy(copy, blob, off);
	memcpy(copy + off + by, (const uint8_t *)blob + off, size - off);
	fdt_set_off_dt_struct(copy, off + by);
	fdt_set_off_dt_strings(copy, fdt_off_dt_strings(blob) + by);
	fdt_set_totalsize(copy, fdt_totalsize(blob) + by);
	return copy;
}

/* Finding 1 of the config fuzzer: a header whose structure offset is not
 * a multiple of 4 made libfdt read every tag misaligned. */
TEST(config, rejects_unaligned_structure_block)
{
	char msg[160];
	size_t size, shifted_size;
	void *blob, *shifted;

	WEB_BEGIN(&builder);
	cb_end(&builder);
	cb_end(&builder);
	blob = cb_done(&builder, &size);
	REQUIRE(blob != NULL);
	/* Shifted by 4 the tree is still aligned and good. */
	shifted = shift_structure(blob, size, 4, &shifted_size);
	REQUIRE(shifted != NULL);
	CHECK_EQ(config_parse(shifted, shifted_size, &qemu_env, &cfg),
		 CONFIG_OK);
	CHECK_EQ(config_good_count(&cfg), 1);
	free(shifted);
	for (uint32_t by = 1; by < 4; by++) {
		shifted = shift_structure(blob, size, by, &shifted_size);
		REQUIRE(shifted != NULL);
		CHECK_EQ(fdt_check_header(shifted), 0);
		CHECK_EQ(config_parse(shifted, shifted_size, &qemu_env, &cfg),
			 CONFIG_E_NOT_FDT);
		snprintf(msg, sizeof(msg), "config: structure block at offset "
			 "0x%x is not 4-byte aligned", fdt_off_dt_struct(shifted));
		EXPECT_ONLY_ERROR(CONFIG_E_NOT_FDT, "", "", msg);
		CHECK_EQ(cfg.lpar_count, 0);
		free(shifted);
	}
	free(blob);
}

/*
 * Config fuzzer finding 2: a property whose length is -12 makes libfdt's
 * fdt_next_tag() return the offset it started from, and walking the root's
 * subnodes never ended.  The tree is refused before any walk.
 */
TEST(config, rejects_negative_property_length_without_looping)
{
	static const int32_t lens[] = { -12, -4, -1 };
	struct fdt_property *prop;
	size_t size;
	void *blob;

	for (size_t i = 0; i < ARRAY_SIZE(lens); i++) {
		WEB_BEGIN(&builder);
		cb_end(&builder);
		cb_end(&builder);
		blob = cb_done(&builder, &size);
		REQUIRE(blob != NULL);
		prop = (struct fdt_property *)fdt_get_property_by_offset(
			blob, fdt_first_property_offset(blob, 0), NULL);
		REQUIRE(prop != NULL);
		prop->len = cpu_to_fdt32((uint32_t)lens[i]);
		CHECK_EQ(config_parse(blob, size, &qemu_env, &cfg),
			 CONFIG_E_NOT_FDT);
		CHECK_EQ(cfg.lpar_count, 0);
		CHECK_EQ(cfg.error_count, 1);
		free(blob);
	}
}

/* ---- /virtual-ethernet (issue 13) ----------------------------------- */

/* Close /partitions, open /virtual-ethernet (parse() closes it). */
static void cb_eth(struct cfgb *b)
{
	cb_end(b);
	cb_node(b, "virtual-ethernet");
}

/* Adapter `name` of partition `lpar`, left open. */
static void cb_adapter(struct cfgb *b, const char *name, const char *lpar)
{
	cb_node(b, name);
	cb_str(b, "partition", lpar);
}

TEST(config_lan, rejects_adapter_of_unknown_partition_refusing_nothing)
{
	WEB_BEGIN(&builder);
	cb_end(&builder);
	cb_eth(&builder);
	cb_adapter(&builder, "eth0", "nope");
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	EXPECT_ONLY_ERROR(CONFIG_E_UNKNOWN_LPAR, "", "partition",
			  "config: property \"partition\": adapter \"eth0\": "
			  "no partition named \"nope\"");
	CHECK(!cfg.lpars[0].refused);
	CHECK_EQ(cfg.lpars[0].lan_count, 0);
}

TEST(config_lan, rejects_vlan_ids_out_of_range)
{
	static const uint32_t bad[] = { 0, 4095, 0xffffffffu };

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		char msg[128];

		WEB_BEGIN(&builder);
		cb_end(&builder);
		cb_eth(&builder);
		cb_adapter(&builder, "eth0", "web");
		cb_cells(&builder, "vlans", 2, 5, bad[i]);
		cb_end(&builder);
		CHECK_EQ(parse(&builder), CONFIG_OK);
		snprintf(msg, sizeof(msg), "lpar \"web\": property \"vlans\": "
			 "adapter \"eth0\": VLAN id %u is out of range 1 to "
			 "4094", bad[i]);
		EXPECT_ONLY_ERROR(CONFIG_E_VALUE, "web", "vlans", msg);
		CHECK(cfg.lpars[0].refused);
	}
}

TEST(config_lan, rejects_bad_vlan_lists)
{
	WEB_BEGIN(&builder);
	cb_end(&builder);
	cb_eth(&builder);
	cb_adapter(&builder, "eth0", "web");
	cb_cells(&builder, "vlans", 2, 7, 7);
	cb_end(&builder);
	cb_adapter(&builder, "eth1", "web");
	cb_raw(&builder, "vlans", "", 0);
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	CHECK_EQ(cfg.error_count, 2);
	EXPECT_ERROR(0, CONFIG_E_VALUE, "web", "vlans",
		     "lpar \"web\": property \"vlans\": adapter \"eth0\": "
		     "VLAN id 7 appears twice");
	EXPECT_ERROR(1, CONFIG_E_FORMAT, "web", "vlans",
		     "lpar \"web\": property \"vlans\": adapter \"eth1\": 0 "
		     "bytes: expected 1 to 8 cells");
}

TEST(config_lan, rejects_bad_mac_addresses)
{
	WEB_BEGIN(&builder);
	cb_end(&builder);
	cb_eth(&builder);
	cb_adapter(&builder, "eth0", "web");
	cb_raw(&builder, "mac-address", "\x02\x00\x00\x00\x01", 5);
	cb_end(&builder);
	cb_adapter(&builder, "eth1", "web");
	cb_raw(&builder, "mac-address", "\x03\x00\x00\x00\x00\x01", 6);
	cb_end(&builder);
	cb_adapter(&builder, "eth2", "web");
	cb_raw(&builder, "mac-address", "\0\0\0\0\0\0", 6);
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	CHECK_EQ(cfg.error_count, 3);
	EXPECT_ERROR(0, CONFIG_E_FORMAT, "web", "mac-address",
		     "lpar \"web\": property \"mac-address\": adapter "
		     "\"eth0\": 5 bytes: expected 6");
	EXPECT_ERROR(1, CONFIG_E_VALUE, "web", "mac-address",
		     "lpar \"web\": property \"mac-address\": adapter "
		     "\"eth1\": 03:00:00:00:00:01 is a multicast address");
	EXPECT_ERROR(2, CONFIG_E_VALUE, "web", "mac-address",
		     "lpar \"web\": property \"mac-address\": adapter "
		     "\"eth2\": 00:00:00:00:00:00 is not an address");
	CHECK(cfg.lpars[0].refused);
}

TEST(config_lan, rejects_duplicate_mac_in_the_later_partition)
{
	WEB_BEGIN(&builder);
	cb_end(&builder);
	cb_lpar(&builder, "db", 2, SZ_256M);
	cb_end(&builder);
	cb_eth(&builder);
	cb_adapter(&builder, "a", "web");
	cb_raw(&builder, "mac-address", "\x02\x00\x00\x00\x00\x07", 6);
	cb_end(&builder);
	cb_adapter(&builder, "b", "db");
	cb_raw(&builder, "mac-address", "\x02\x00\x00\x00\x00\x07", 6);
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	EXPECT_ONLY_ERROR(CONFIG_E_DUP_MAC, "db", "mac-address",
			  "lpar \"db\": property \"mac-address\": adapter "
			  "\"b\": 02:00:00:00:00:07 is already adapter \"a\" "
			  "of lpar \"web\"");
	CHECK(!find_lpar("web")->refused);
	CHECK(find_lpar("db")->refused);
}

TEST(config_lan, rejects_a_fifth_adapter_and_a_trunk_with_a_value)
{
	static const char *const names[] = { "e0", "e1", "e2", "e3", "e4" };

	WEB_BEGIN(&builder);
	cb_end(&builder);
	cb_eth(&builder);
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		cb_adapter(&builder, names[i], "web");
		if (i == 0) {
			cb_u32(&builder, "trunk", 1);
		}
		cb_end(&builder);
	}
	CHECK_EQ(parse(&builder), CONFIG_OK);
	CHECK_EQ(cfg.error_count, 2);
	EXPECT_ERROR(0, CONFIG_E_FORMAT, "web", "trunk",
		     "lpar \"web\": property \"trunk\": adapter \"e0\": must "
		     "be empty");
	EXPECT_ERROR(1, CONFIG_E_VALUE, "web", "",
		     "lpar \"web\": adapter \"e4\": more than 4 virtual "
		     "Ethernet adapters");
	CHECK_EQ(cfg.lpars[0].lan_count, 4);
}

TEST(config_lan, derives_stable_macs_and_reads_vlans_and_trunk)
{
	static const uint8_t web0[6] = { 0x02, 0x3c, 0xb4, 0x18, 0x46, 0xf6 };
	static const uint8_t web1[6] = { 0x02, 0x35, 0xf8, 0xc4, 0xf6, 0x7d };
	static const uint8_t db0[6] = { 0x02, 0x55, 0x4d, 0x2c, 0x09, 0x21 };
	const struct lpar_config *w, *d;

	WEB_BEGIN(&builder);
	cb_end(&builder);
	cb_lpar(&builder, "db", 2, SZ_256M);
	cb_end(&builder);
	cb_lpar(&builder, "off", 3, SZ_256M);
	cb_str(&builder, "status", "disabled");
	cb_end(&builder);
	cb_eth(&builder);
	cb_adapter(&builder, "w0", "web");
	cb_end(&builder);
	cb_adapter(&builder, "d0", "db");
	cb_cells(&builder, "vlans", 3, 2, 10, 4094);
	cb_raw(&builder, "trunk", "", 0);
	cb_end(&builder);
	cb_adapter(&builder, "w1", "web");
	cb_end(&builder);
	cb_adapter(&builder, "x", "off"); /* disabled: no error */
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	CHECK_EQ(cfg.error_count, 0);
	w = find_lpar("web");
	d = find_lpar("db");
	REQUIRE(w && d);
	REQUIRE_EQ(w->lan_count, 2);
	REQUIRE_EQ(d->lan_count, 1);
	CHECK(memcmp(w->lans[0].mac, web0, 6) == 0);
	CHECK(memcmp(w->lans[1].mac, web1, 6) == 0);
	CHECK(memcmp(d->lans[0].mac, db0, 6) == 0);
	CHECK_EQ(w->lans[0].vlan_count, 1);
	CHECK_EQ(w->lans[0].vlans[0], 1);
	CHECK(!w->lans[0].trunk && !w->lans[0].mac_given);
	CHECK_EQ(d->lans[0].vlan_count, 3);
	CHECK_EQ(d->lans[0].vlans[2], 4094);
	CHECK(d->lans[0].trunk);
	CHECK_STR_EQ(w->lans[1].name, "w1");
}

/* ---- disks (/disks, partition property "disks") ---------------------- */

/* The bundle of these tests holds one disk image, "img" (3000 bytes). */
static bool disk_env_exists(void *ctx, const char *name)
{
	(void)ctx;
	return strcmp(name, "img") == 0 || strcmp(name, "vmlinux") == 0;
}

static uint64_t disk_env_size(void *ctx, const char *name)
{
	(void)ctx;
	return strcmp(name, "img") == 0 ? 3000 : 0;
}

static const struct config_env disk_env = {
	.core_count = 4,
	.mem_available = 3 * SZ_1G,
	.image_exists = disk_env_exists,
	.image_size = disk_env_size,
};

/* /disks with `data` (image img, rw) and `blank` (1 MiB, read-only),
 * then an open /partitions. */
static void cb_disks(struct cfgb *b)
{
	cb_root(b, CONFIG_COMPATIBLE);
	cb_node(b, "disks");
	cb_node(b, "data");
	cb_str(b, "image", "img");
	cb_end(b);
	cb_node(b, "blank");
	cb_u64(b, "size", SZ_1M);
	cb_raw(b, "read-only", NULL, 0);
	cb_end(b);
	cb_end(b);
	cb_node(b, "partitions");
}

static void cb_strs2(struct cfgb *b, const char *name, const char *s1,
		     const char *s2)
{
	char v[64];
	size_t n1 = strlen(s1) + 1, n2 = s2 ? strlen(s2) + 1 : 0;

	memcpy(v, s1, n1);
	if (s2) {
		memcpy(v + n1, s2, n2);
	}
	cb_raw(b, name, v, (int)(n1 + n2));
}

TEST(config_disks, rw_disk_given_to_two_partitions)
{
	cb_disks(&builder);
	cb_lpar(&builder, "web", 0, SZ_256M);
	cb_strs2(&builder, "disks", "data", "blank");
	cb_end(&builder);
	cb_lpar(&builder, "db", 1, SZ_256M);
	cb_strs2(&builder, "disks", "blank", "data");
	cb_end(&builder);
	CHECK_EQ(parse_env(&builder, &disk_env), CONFIG_OK);
	EXPECT_ONLY_ERROR(CONFIG_E_DISK_SHARED, "db", "disks",
			  "lpar \"db\": property \"disks\": disk \"data\" is "
			  "read-write and already given to partition \"web\"");
	CHECK(!find_lpar("web")->refused);
	CHECK(find_lpar("db")->refused);
	/* The read-only disk is shared; the image's size rounds up. */
	CHECK_EQ(cfg.disk_count, 2);
	CHECK_EQ(cfg.disks[0].size, 3072);
	CHECK(cfg.disks[1].read_only);
	CHECK_EQ(find_lpar("web")->disk_count, 2);
	CHECK_EQ(find_lpar("web")->disks[1], 1);
}

TEST(config_disks, image_missing_and_size_smaller_than_image)
{
	cb_root(&builder, CONFIG_COMPATIBLE);
	cb_node(&builder, "disks");
	cb_node(&builder, "gone");
	cb_str(&builder, "image", "nosuch");
	cb_end(&builder);
	cb_node(&builder, "small");
	cb_str(&builder, "image", "img");
	cb_u64(&builder, "size", 2048);
	cb_end(&builder);
	cb_end(&builder);
	cb_node(&builder, "partitions");
	cb_lpar(&builder, "web", 0, SZ_256M);
	cb_strs2(&builder, "disks", "gone", NULL);
	cb_end(&builder);
	cb_lpar(&builder, "db", 1, SZ_256M);
	cb_strs2(&builder, "disks", "small", NULL);
	cb_end(&builder);
	cb_lpar(&builder, "app", 2, SZ_256M);
	cb_end(&builder);
	CHECK_EQ(parse_env(&builder, &disk_env), CONFIG_OK);
	CHECK_EQ(cfg.error_count, 4);
	EXPECT_ERROR(0, CONFIG_E_IMAGE_MISSING, "", "",
		     "config: disk \"gone\": property \"image\": no image "
		     "named \"nosuch\"");
	EXPECT_ERROR(1, CONFIG_E_VALUE, "", "",
		     "config: disk \"small\": property \"size\": size 0x800 "
		     "is smaller than image \"img\" (0xbb8)");
	EXPECT_ERROR(2, CONFIG_E_DISK, "web", "disks",
		     "lpar \"web\": property \"disks\": disk \"gone\" is "
		     "unusable (see its error)");
	CHECK(find_lpar("web")->refused);
	CHECK(find_lpar("db")->refused);
	CHECK(!find_lpar("app")->refused);
}

TEST(config_disks, bad_disk_properties_and_names)
{
	cb_root(&builder, CONFIG_COMPATIBLE);
	cb_node(&builder, "disks");
	cb_node(&builder, "odd");
	cb_u64(&builder, "size", 1000);
	cb_u32(&builder, "colour", 1);
	cb_end(&builder);
	cb_node(&builder, "nosize");
	cb_end(&builder);
	cb_end(&builder);
	cb_node(&builder, "partitions");
	cb_lpar(&builder, "web", 0, SZ_256M);
	cb_strs2(&builder, "disks", "nosuch", "nosuch");
	cb_end(&builder);
	CHECK_EQ(parse_env(&builder, &disk_env), CONFIG_OK);
	EXPECT_ERROR(0, CONFIG_E_VALUE, "", "",
		     "config: disk \"odd\": property \"size\": 0x3e8 is not a "
		     "non-zero multiple of 512 bytes");
	EXPECT_ERROR(1, CONFIG_E_VALUE, "", "",
		     "config: disk \"odd\": property \"colour\": unknown "
		     "property");
	EXPECT_ERROR(2, CONFIG_E_DISK, "web", "disks",
		     "lpar \"web\": property \"disks\": no disk named "
		     "\"nosuch\" in /disks");
	EXPECT_ERROR(4, CONFIG_E_MISSING, "", "",
		     "config: disk \"nosize\": property \"size\": a disk "
		     "without \"image\" needs \"size\"");
	CHECK(find_lpar("web")->refused);
}

/* A disk's image name follows the bundle's rules (found by check-fuzz:
 * "dIsk" reached the bundle lookup), and "config" is not a disk. */
TEST(config_disks, disk_image_names_as_strict_as_boot_images)
{
	cb_root(&builder, CONFIG_COMPATIBLE);
	cb_node(&builder, "disks");
	cb_node(&builder, "upper");
	cb_str(&builder, "image", "dIsk");
	cb_end(&builder);
	cb_node(&builder, "cfg");
	cb_str(&builder, "image", "config");
	cb_end(&builder);
	cb_end(&builder);
	cb_node(&builder, "partitions");
	cb_lpar(&builder, "web", 0, SZ_256M);
	cb_end(&builder);
	CHECK_EQ(parse_env(&builder, &disk_env), CONFIG_OK);
	EXPECT_ERROR(0, CONFIG_E_VALUE, "", "",
		     "config: disk \"upper\": property \"image\": image name "
		     "\"dIsk\" may only use a-z, 0-9, '.', '_' and '-'");
	EXPECT_ERROR(1, CONFIG_E_VALUE, "", "",
		     "config: disk \"cfg\": property \"image\": \"config\" is "
		     "the configuration, not a disk image");
	CHECK(!find_lpar("web")->refused);
}

TEST(config_disks, disk_memory_counts_against_the_budget)
{
	struct config_env env = disk_env;

	env.mem_available = SZ_256M + SZ_1M;
	cb_root(&builder, CONFIG_COMPATIBLE);
	cb_node(&builder, "disks");
	cb_node(&builder, "big");
	cb_u64(&builder, "size", 2 * SZ_1M);
	cb_end(&builder);
	cb_end(&builder);
	cb_node(&builder, "partitions");
	cb_lpar(&builder, "web", 0, SZ_256M);
	cb_strs2(&builder, "disks", "big", NULL);
	cb_end(&builder);
	CHECK_EQ(parse_env(&builder, &env), CONFIG_OK);
	CHECK_EQ(cfg.error_count, 1);
	CHECK_EQ(cfg.errors[0].code, CONFIG_E_MEM_TOO_BIG);
}

/* ---- nvram-size ---------------------------------------------------------- */

TEST(config, rejects_nvram_size_as_two_cells)
{
	WEB_BEGIN(&builder);
	cb_u64(&builder, "nvram-size", 0x10000);
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	EXPECT_ONLY_ERROR(CONFIG_E_FORMAT, "web", "nvram-size",
			  "lpar \"web\": property \"nvram-size\": is 8 bytes "
			  "long: expected one 32-bit cell");
}

TEST(config, rejects_nvram_size_out_of_bounds_or_not_whole_blocks)
{
	static const uint32_t bad[] = { 0, 0x1000, 0x2800, 0x81000,
					0xffffffff };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char want[160];

		WEB_BEGIN(&builder);
		cb_u32(&builder, "nvram-size", bad[i]);
		cb_end(&builder);
		CHECK_EQ(parse(&builder), CONFIG_OK);
		snprintf(want, sizeof(want),
			 "lpar \"web\": property \"nvram-size\": 0x%x is not "
			 "a multiple of 4 KiB from 8 KiB to 512 KiB", bad[i]);
		EXPECT_ONLY_ERROR(CONFIG_E_VALUE, "web", "nvram-size", want);
	}
}

TEST(config, nvram_size_defaults_to_qemus_64k_and_is_read)
{
	WEB_BEGIN(&builder);
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	CHECK_EQ(cfg.lpars[0].nvram_size, 0x10000u);
	WEB_BEGIN(&builder);
	cb_u32(&builder, "nvram-size", 0x2000);
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	CHECK_EQ(cfg.error_count, 0);
	CHECK_EQ(cfg.lpars[0].nvram_size, 0x2000u);
	WEB_BEGIN(&builder);
	cb_u32(&builder, "nvram-size", 0x80000);
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	CHECK_EQ(cfg.lpars[0].nvram_size, 0x80000u);
}

TEST(config, firmware_defaults_to_none_and_takes_vof)
{
	WEB_BEGIN(&builder);
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	CHECK_EQ(cfg.lpars[0].firmware, CONFIG_FIRMWARE_NONE);
	CHECK(!cfg.lpars[0].intc_dual);
	WEB_BEGIN(&builder);
	cb_str(&builder, "firmware", "vof");
	cb_str(&builder, "interrupt-controller", "dual");
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	CHECK_EQ(cfg.error_count, 0);
	CHECK_EQ(cfg.lpars[0].firmware, CONFIG_FIRMWARE_VOF);
	CHECK(cfg.lpars[0].intc_dual);
}

TEST(config, dual_without_a_xive_has_nothing_to_negotiate)
{
	struct config_env env = qemu_env;

	env.no_xive = true;
	WEB_BEGIN(&builder);
	cb_str(&builder, "firmware", "vof");
	cb_str(&builder, "interrupt-controller", "dual");
	cb_end(&builder);
	CHECK_EQ(parse_env(&builder, &env), CONFIG_OK);
	CHECK_EQ(cfg.error_count, 0);
	CHECK(!cfg.lpars[0].intc_dual);
	CHECK_EQ(cfg.lpars[0].intc, CONFIG_INTC_XICS);
}

TEST(config, refuses_unknown_firmware)
{
	WEB_BEGIN(&builder);
	cb_str(&builder, "firmware", "uboot");
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	EXPECT_ONLY_ERROR(CONFIG_E_VALUE, "web", "firmware",
			  "lpar \"web\": property \"firmware\": \"uboot\" is "
			  "not \"none\", \"vof\" or \"slof\"");
}

TEST(config, refuses_firmware_for_a_payload)
{
	WEB_BEGIN(&builder);
	cb_str(&builder, "firmware", "vof");
	cb_str(&builder, "boot", "payload");
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	EXPECT_ONLY_ERROR(CONFIG_E_VALUE, "web", "firmware",
			  "lpar \"web\": property \"firmware\": \"vof\" starts "
			  "a kernel: it needs boot = \"kernel\"");
	WEB_BEGIN(&builder);
	cb_str(&builder, "firmware", "slof");
	cb_str(&builder, "boot", "payload");
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	EXPECT_ONLY_ERROR(CONFIG_E_VALUE, "web", "firmware",
			  "lpar \"web\": property \"firmware\": \"slof\" "
			  "starts a kernel: it needs boot = \"kernel\"");
}

/* firmware = "slof" runs the bundle's image "slof" (QEMU's slof.bin). */
TEST(config, takes_slof_with_its_image_in_the_bundle)
{
	struct fake_images with = { .names = { "vmlinux", "slof" } };
	struct fake_images without = { .names = { "vmlinux" } };
	struct config_env env = qemu_env;

	env.image_exists = fake_exists;
	env.ctx = &with;
	WEB_BEGIN(&builder);
	cb_str(&builder, "firmware", "slof");
	cb_str(&builder, "interrupt-controller", "dual");
	cb_end(&builder);
	CHECK_EQ(parse_env(&builder, &env), CONFIG_OK);
	CHECK_EQ(cfg.error_count, 0);
	CHECK_EQ(cfg.lpars[0].firmware, CONFIG_FIRMWARE_SLOF);
	CHECK(cfg.lpars[0].intc_dual);
	env.ctx = &without;
	WEB_BEGIN(&builder);
	cb_str(&builder, "firmware", "slof");
	cb_end(&builder);
	CHECK_EQ(parse_env(&builder, &env), CONFIG_OK);
	EXPECT_ONLY_ERROR(CONFIG_E_IMAGE_MISSING, "web", "firmware",
			  "lpar \"web\": property \"firmware\": \"slof\" "
			  "needs an image named \"slof\" (QEMU's slof.bin)");
}

/* Boot from disk (issue 18): SLOF alone may go without a kernel (it boots
 * from the partition's disks); no initramfs without a kernel. */
TEST(config, slof_without_a_kernel_boots_from_disk)
{
	WEB_BEGIN(&builder);
	cb_end(&builder);
	cb_node(&builder, "plain");
	cb_cells(&builder, "cores", 1, 2);
	cb_u64(&builder, "memory", SZ_256M);
	cb_end(&builder);
	cb_node(&builder, "vofnokernel");
	cb_cells(&builder, "cores", 1, 3);
	cb_u64(&builder, "memory", SZ_256M);
	cb_str(&builder, "firmware", "vof");
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	CHECK_EQ(cfg.error_count, 2);
	EXPECT_ERROR(0, CONFIG_E_MISSING, "plain", "kernel",
		     "lpar \"plain\": property \"kernel\": missing (required)");
	EXPECT_ERROR(1, CONFIG_E_MISSING, "vofnokernel", "kernel",
		     "lpar \"vofnokernel\": property \"kernel\": missing "
		     "(required)");
	cb_begin(&builder);
	cb_node(&builder, "disk");
	cb_cells(&builder, "cores", 1, 1);
	cb_u64(&builder, "memory", SZ_256M);
	cb_str(&builder, "firmware", "slof");
	cb_end(&builder);
	cb_node(&builder, "withinitrd");
	cb_cells(&builder, "cores", 1, 2);
	cb_u64(&builder, "memory", SZ_256M);
	cb_str(&builder, "firmware", "slof");
	cb_str(&builder, "initramfs", "initrd");
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	EXPECT_ONLY_ERROR(CONFIG_E_VALUE, "withinitrd", "initramfs",
			  "lpar \"withinitrd\": property \"initramfs\": no "
			  "kernel to give it to (without a kernel, firmware = "
			  "\"slof\" boots from a disk)");
	CHECK_EQ(cfg.lpars[0].kernel[0], 0);
	CHECK_EQ(cfg.lpars[0].firmware, CONFIG_FIRMWARE_SLOF);
}

/* ---- /vscsi-hosts: VIOS pairs (issue 14) ----------------------------- */

/* Partitions io (server), c1, c2 and a disabled "off"; /partitions is
 * closed and /vscsi-hosts opened (parse() closes it). */
static void cb_vios_begin(struct cfgb *b)
{
	cb_begin(b);
	cb_lpar(b, "io", 0, SZ_256M);
	cb_end(b);
	cb_lpar(b, "c1", 1, SZ_256M);
	cb_end(b);
	cb_lpar(b, "c2", 2, SZ_256M);
	cb_end(b);
	cb_lpar(b, "off", 3, SZ_256M);
	cb_str(b, "status", "disabled");
	cb_end(b);
	cb_end(b);
	cb_node(b, "vscsi-hosts");
}

static void cb_pair(struct cfgb *b, const char *name, const char *server,
		    const char *client)
{
	cb_node(b, name);
	if (server) {
		cb_str(b, "server", server);
	}
	if (client) {
		cb_str(b, "client", client);
	}
	cb_end(b);
}

TEST(config_vios, pairs_get_slots_and_partners_on_both_sides)
{
	const struct lpar_config *io, *c1, *c2;

	cb_vios_begin(&builder);
	cb_pair(&builder, "v1", "io", "c1");
	cb_pair(&builder, "v2", "io", "c2");
	cb_pair(&builder, "v3", "c2", "c1");
	cb_pair(&builder, "v4", "io", "off"); /* a disabled client */
	CHECK_EQ(parse(&builder), CONFIG_OK);
	CHECK_EQ(cfg.error_count, 0);
	io = find_lpar("io");
	c1 = find_lpar("c1");
	c2 = find_lpar("c2");
	REQUIRE(io && c1 && c2);
	REQUIRE_EQ(io->vhost_count, 3);
	CHECK_EQ(io->vclient_count, 0);
	CHECK_STR_EQ(io->vhosts[1].name, "v2");
	CHECK_EQ(io->vhosts[0].partner_lpid, c1->lpid);
	CHECK_EQ(io->vhosts[0].partner_slot, 0);
	CHECK_EQ(io->vhosts[1].partner_lpid, c2->lpid);
	CHECK_EQ(io->vhosts[1].partner_slot, 0);
	CHECK_EQ(io->vhosts[2].partner_lpid, 0);
	REQUIRE_EQ(c1->vclient_count, 2);
	CHECK_EQ(c1->vclients[0].partner_lpid, io->lpid);
	CHECK_EQ(c1->vclients[0].partner_slot, 0);
	CHECK_EQ(c1->vclients[1].partner_lpid, c2->lpid);
	CHECK_EQ(c1->vclients[1].partner_slot, 0);
	REQUIRE_EQ(c2->vhost_count, 1);
	REQUIRE_EQ(c2->vclient_count, 1);
	CHECK_EQ(c2->vclients[0].partner_slot, 1);
	CHECK(!io->refused && !c1->refused && !c2->refused);
}

TEST(config_vios, rejects_unpaired_adapters_naming_partition_and_property)
{
	cb_vios_begin(&builder);
	cb_pair(&builder, "lonely", "io", NULL);
	cb_pair(&builder, "orphan", NULL, "c1");
	cb_pair(&builder, "empty", NULL, NULL);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	CHECK_EQ(cfg.error_count, 3);
	EXPECT_ERROR(0, CONFIG_E_MISSING, "io", "client",
		     "lpar \"io\": property \"client\": v-scsi host "
		     "\"lonely\": unpaired server adapter: no client "
		     "partition");
	EXPECT_ERROR(1, CONFIG_E_MISSING, "c1", "server",
		     "lpar \"c1\": property \"server\": v-scsi host "
		     "\"orphan\": unpaired client adapter: no server "
		     "partition");
	EXPECT_ERROR(2, CONFIG_E_MISSING, "", "server",
		     "config: property \"server\": v-scsi host \"empty\": "
		     "missing (required)");
	CHECK(find_lpar("io")->refused);
	CHECK(find_lpar("c1")->refused);
	CHECK(!find_lpar("c2")->refused);
}

TEST(config_vios, rejects_unknown_partitions_refusing_nothing)
{
	cb_vios_begin(&builder);
	cb_pair(&builder, "v1", "vios", "c1");
	cb_pair(&builder, "v2", "io", "nobody");
	CHECK_EQ(parse(&builder), CONFIG_OK);
	CHECK_EQ(cfg.error_count, 2);
	EXPECT_ERROR(0, CONFIG_E_UNKNOWN_LPAR, "", "server",
		     "config: property \"server\": v-scsi host \"v1\": no "
		     "partition named \"vios\"");
	EXPECT_ERROR(1, CONFIG_E_UNKNOWN_LPAR, "", "client",
		     "config: property \"client\": v-scsi host \"v2\": no "
		     "partition named \"nobody\"");
	CHECK(!find_lpar("io")->refused);
	CHECK_EQ(find_lpar("io")->vhost_count, 0);
	CHECK_EQ(find_lpar("c1")->vclient_count, 0);
}

TEST(config_vios, rejects_self_service_an_adapter_used_twice_and_typos)
{
	cb_vios_begin(&builder);
	cb_pair(&builder, "self", "c2", "c2");
	cb_pair(&builder, "v1", "io", "c1");
	cb_pair(&builder, "again", "io", "c1");
	cb_node(&builder, "typo");
	cb_str(&builder, "server", "io");
	cb_str(&builder, "client", "c1");
	cb_str(&builder, "clinet", "c2");
	cb_end(&builder);
	cb_node(&builder, "num");
	cb_u32(&builder, "server", 1);
	cb_str(&builder, "client", "c1");
	cb_end(&builder);
	CHECK_EQ(parse(&builder), CONFIG_OK);
	CHECK_EQ(cfg.error_count, 4);
	EXPECT_ERROR(0, CONFIG_E_VALUE, "c2", "client",
		     "lpar \"c2\": property \"client\": v-scsi host \"self\": "
		     "a partition cannot serve itself");
	EXPECT_ERROR(1, CONFIG_E_VALUE, "io", "client",
		     "lpar \"io\": property \"client\": v-scsi host "
		     "\"again\": adapter used twice: \"v1\" already serves "
		     "lpar \"c1\"");
	EXPECT_ERROR(2, CONFIG_E_VALUE, "io", "clinet",
		     "lpar \"io\": property \"clinet\": v-scsi host \"typo\": "
		     "unknown property");
	EXPECT_ERROR(3, CONFIG_E_FORMAT, "", "server",
		     "config: property \"server\": v-scsi host \"num\": must "
		     "be a single string");
	CHECK(find_lpar("io")->refused);
	CHECK(find_lpar("c2")->refused);
	CHECK(!find_lpar("c1")->refused);
	CHECK_EQ(find_lpar("c1")->vclient_count, 1);
}

TEST(config_vios, rejects_a_fifth_server_adapter)
{
	static const char *const names[] = { "a", "b", "c", "d", "e" };
	struct config_env env = qemu_env;
	char client[8];

	env.core_count = 8;
	cb_begin(&builder);
	cb_lpar(&builder, "io", 0, SZ_256M);
	cb_end(&builder);
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		snprintf(client, sizeof(client), "c%zu", i);
		cb_lpar(&builder, client, 1 + (uint32_t)i, SZ_256M);
		cb_end(&builder);
	}
	cb_end(&builder);
	cb_node(&builder, "vscsi-hosts");
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		snprintf(client, sizeof(client), "c%zu", i);
		cb_pair(&builder, names[i], "io", client);
	}
	CHECK_EQ(parse_env(&builder, &env), CONFIG_OK);
	EXPECT_ONLY_ERROR(CONFIG_E_VALUE, "io", "server",
			  "lpar \"io\": property \"server\": v-scsi host "
			  "\"e\": more than 4 server adapters");
	CHECK_EQ(find_lpar("io")->vhost_count, 4);
	CHECK_EQ(find_lpar("c4")->vclient_count, 0);
}
