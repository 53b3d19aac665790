/*
 * Partition configuration parser and checker: the device tree described in
 * docs/config.md (root compatible "lparvisor,config-v1").  The same code
 * runs on the host (tools/lparvisor-config) and in lparvisor at boot, so
 * it is pure C over libfdt: no globals, no allocation, every input
 * treated as hostile.  Errors are collected, never fatal to the others.
 */
#include <libfdt.h>

#include "hv/config.h"
#include "hv/lib/fdtcheck.h"
#include "hv/lib/format.h"
#include "hv/lib/sha256.h"
#include "hv/lib/string.h"

/* Bits of struct lpar_state.seen, one per property of a partition. */
enum prop_id {
	PROP_CORES,
	PROP_MEMORY,
	PROP_MEMORY_BASE,
	PROP_MMU,
	PROP_INTC,
	PROP_BOOT,
	PROP_KERNEL,
	PROP_INITRAMFS,
	PROP_BOOTARGS,
	PROP_ON_CRASH,
	PROP_ON_REBOOT,
	PROP_KERNEL_ADDR,
	PROP_PHBS,
	PROP_DISKS,
	PROP_ON_BOOT,
	PROP_CONSOLE_LOG,
	PROP_STOP_TIMEOUT,
	PROP_HPT_SIZE,
	PROP_COMPAT,
	PROP_NVRAM_SIZE,
	PROP_FIRMWARE,
};

/* Parser-side facts about one partition that `struct lpar_config` lacks. */
struct lpar_state {
	uint32_t seen;  /* PROP_* bits of the properties present */
	bool boot_bad;  /* `boot` was present but unusable */
};

struct parser {
	const void *fdt;
	const struct config_env *env;
	struct config *out;
	struct lpar_state st[CONFIG_MAX_LPARS];
	int fdt_err;    /* first libfdt error met while walking, or 0 */
};

struct choice {
	const char *word;
	int value;
	bool unsupported; /* valid in the format, not implemented yet */
};

typedef void (*prop_parser)(struct parser *p, struct lpar_config *l,
			    const char *prop, const void *val, int len);

struct prop_rule {
	const char *name;
	enum prop_id id;
	bool required;
	prop_parser parse;
};

/* Copy at most `len` bytes of `src` (stopping at NUL) into `dst`, with any
 * byte that is not printable ASCII (or is a quote) replaced by '?': names
 * and values from the blob go into messages printed on a console. */
static void copy_clean(char *dst, size_t size, const char *src, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < size && i < len && src[i]; i++) {
		char c = src[i];

		dst[i] = (c >= 0x20 && c < 0x7f && c != '"') ? c : '?';
	}
	dst[i] = '\0';
}

static void add_error(struct parser *p, const char *lpar, const char *prop,
		      enum config_err code, const char *fmt, va_list ap)
{
	struct config *c = p->out;
	struct config_error *e;
	size_t n;

	if (c->error_count == CONFIG_MAX_ERRORS) {
		c->errors_dropped++;
		return;
	}
	e = &c->errors[c->error_count++];
	e->code = code;
	copy_clean(e->lpar, sizeof(e->lpar), lpar ? lpar : "", SIZE_MAX);
	copy_clean(e->property, sizeof(e->property), prop ? prop : "",
		   SIZE_MAX);
	if (lpar) {
		n = hv_snprintf(e->message, sizeof(e->message), "lpar \"%s\": ",
				e->lpar);
	} else {
		n = hv_snprintf(e->message, sizeof(e->message), "config: ");
	}
	if (prop && n < sizeof(e->message)) {
		n += hv_snprintf(e->message + n, sizeof(e->message) - n,
				 "property \"%s\": ", e->property);
	}
	if (n < sizeof(e->message)) {
		hv_vsnprintf(e->message + n, sizeof(e->message) - n, fmt, ap);
	}
}

/* An error about partition `l`, which is refused. */
static void lpar_err(struct parser *p, struct lpar_config *l, const char *prop,
		     enum config_err code, const char *fmt, ...) __printf(5, 6);

static void lpar_err(struct parser *p, struct lpar_config *l, const char *prop,
		     enum config_err code, const char *fmt, ...)
{
	va_list ap;

	l->refused = true;
	va_start(ap, fmt);
	add_error(p, l->name, prop, code, fmt, ap);
	va_end(ap);
}

/* An error naming a partition that has no slot in the output. */
static void name_err(struct parser *p, const char *name, enum config_err code,
		     const char *fmt, ...) __printf(4, 5);

static void name_err(struct parser *p, const char *name, enum config_err code,
		     const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_error(p, name, NULL, code, fmt, ap);
	va_end(ap);
}

/* An error about the file as a whole; `prop` may be NULL. */
static enum config_err file_err(struct parser *p, const char *prop,
				enum config_err code, const char *fmt, ...)
	__printf(4, 5);

static enum config_err file_err(struct parser *p, const char *prop,
				enum config_err code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_error(p, NULL, prop, code, fmt, ap);
	va_end(ap);
	return code;
}

/* Remember the first structural error libfdt reports while walking. */
static void note_walk_end(struct parser *p, int off)
{
	if (off < 0 && off != -FDT_ERR_NOTFOUND && !p->fdt_err) {
		p->fdt_err = off;
	}
}

/* A size for messages: "3 GiB", "768 MiB" or, when neither, "0x3000". */
static const char *fmt_size(char *buf, size_t size, uint64_t v)
{
	if (v && IS_ALIGNED(v, SZ_1G)) {
		hv_snprintf(buf, size, "%llu GiB",
			    (unsigned long long)(v / SZ_1G));
	} else if (v && IS_ALIGNED(v, SZ_1M)) {
		hv_snprintf(buf, size, "%llu MiB",
			    (unsigned long long)(v / SZ_1M));
	} else {
		hv_snprintf(buf, size, "0x%llx", (unsigned long long)v);
	}
	return buf;
}

/* True when `val` (`len` bytes) is exactly one NUL-terminated string. */
static bool is_one_string(const void *val, int len)
{
	return len > 0 && strnlen(val, (size_t)len) == (size_t)len - 1;
}

static bool get_string(struct parser *p, struct lpar_config *l,
		       const char *prop, const void *val, int len,
		       const char **out)
{
	if (!is_one_string(val, len)) {
		lpar_err(p, l, prop, CONFIG_E_FORMAT,
			 "must be a single string");
		return false;
	}
	*out = val;
	return true;
}

static bool get_u64(struct parser *p, struct lpar_config *l, const char *prop,
		    const void *val, int len, uint64_t *out)
{
	const uint8_t *b = val;
	uint64_t v = 0;
	int i;

	if (len != 8) {
		lpar_err(p, l, prop, CONFIG_E_FORMAT,
			 "is %d bytes long: expected one 64-bit value "
			 "(2 cells)", len);
		return false;
	}
	for (i = 0; i < 8; i++) {
		v = (v << 8) | b[i];
	}
	*out = v;
	return true;
}

/* Parse a string property that must be one word of `choices`. */
static bool get_choice(struct parser *p, struct lpar_config *l,
		       const char *prop, const void *val, int len,
		       const struct choice *choices, size_t count, int *out)
{
	char word[CONFIG_NAME_LEN];
	char list[96];
	const char *s;
	size_t i, n = 0;

	if (!get_string(p, l, prop, val, len, &s)) {
		return false;
	}
	for (i = 0; i < count; i++) {
		if (strcmp(s, choices[i].word) == 0) {
			break;
		}
	}
	copy_clean(word, sizeof(word), s, SIZE_MAX);
	if (i < count && choices[i].unsupported) {
		lpar_err(p, l, prop, CONFIG_E_UNSUPPORTED,
			 "\"%s\" is not implemented yet", word);
		return false;
	}
	if (i < count) {
		*out = choices[i].value;
		return true;
	}
	list[0] = '\0';
	for (i = 0; i < count && n < sizeof(list); i++) {
		n += hv_snprintf(list + n, sizeof(list) - n, "%s\"%s\"",
				 i == 0 ? "" : (i + 1 == count ? " or " : ", "),
				 choices[i].word);
	}
	lpar_err(p, l, prop, CONFIG_E_VALUE, "\"%s\" is not %s", word, list);
	return false;
}

static bool partition_char_ok(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

static bool image_char_ok(char c)
{
	return partition_char_ok(c) || c == '.' || c == '_';
}

/* Image names are FIT node names in the bundle: 1..31 characters of
 * [a-z0-9._-], and "config" is the configuration's own image. */
static bool get_image_name(struct parser *p, struct lpar_config *l,
			   const char *prop, const void *val, int len,
			   char *out)
{
	char shown[CONFIG_NAME_LEN];
	const char *s;
	size_t n, i;

	if (!get_string(p, l, prop, val, len, &s)) {
		return false;
	}
	n = strlen(s);
	copy_clean(shown, sizeof(shown), s, SIZE_MAX);
	if (n == 0 || n >= CONFIG_NAME_LEN) {
		lpar_err(p, l, prop, CONFIG_E_VALUE,
			 "image name is %zu characters long: 1 to %d allowed",
			 n, CONFIG_NAME_LEN - 1);
		return false;
	}
	for (i = 0; i < n; i++) {
		if (!image_char_ok(s[i])) {
			lpar_err(p, l, prop, CONFIG_E_VALUE,
				 "image name \"%s\" may only use a-z, 0-9, "
				 "'.', '_' and '-'", shown);
			return false;
		}
	}
	if (strcmp(s, "config") == 0) {
		lpar_err(p, l, prop, CONFIG_E_VALUE,
			 "\"config\" is the configuration, not a bootable "
			 "image");
		return false;
	}
	memcpy(out, s, n + 1);
	return true;
}

static void parse_cores(struct parser *p, struct lpar_config *l,
			const char *prop, const void *val, int len)
{
	const uint8_t *b = val;
	uint32_t count, i, j, core;
	bool twice;

	if (len == 0) {
		lpar_err(p, l, prop, CONFIG_E_VALUE,
			 "must list at least one core");
		return;
	}
	if (len % 4) {
		lpar_err(p, l, prop, CONFIG_E_FORMAT,
			 "is %d bytes long: expected a list of 32-bit cells",
			 len);
		return;
	}
	count = (uint32_t)len / 4;
	if (count > CONFIG_MAX_CORES) {
		lpar_err(p, l, prop, CONFIG_E_VALUE,
			 "lists %u cores: at most %d", count, CONFIG_MAX_CORES);
		return;
	}
	for (i = 0; i < count; i++) {
		core = ((uint32_t)b[4 * i] << 24) |
		       ((uint32_t)b[4 * i + 1] << 16) |
		       ((uint32_t)b[4 * i + 2] << 8) | b[4 * i + 3];
		if (core >= p->env->core_count) {
			if (p->env->core_count == 0) {
				lpar_err(p, l, prop, CONFIG_E_CORE_RANGE,
					 "core %u does not exist: the machine "
					 "has no core for partitions", core);
			} else {
				lpar_err(p, l, prop, CONFIG_E_CORE_RANGE,
					 "core %u does not exist: the machine "
					 "has %u cores (0-%u)", core,
					 p->env->core_count,
					 p->env->core_count - 1);
			}
			continue;
		}
		twice = false;
		for (j = 0; j < l->core_count; j++) {
			twice = twice || l->cores[j] == core;
		}
		if (twice) {
			lpar_err(p, l, prop, CONFIG_E_CORE_OVERLAP,
				 "core %u is listed twice", core);
			continue;
		}
		l->cores[l->core_count++] = core;
	}
}

static void parse_memory(struct parser *p, struct lpar_config *l,
			 const char *prop, const void *val, int len)
{
	char sz[24];
	uint64_t v;

	if (!get_u64(p, l, prop, val, len, &v)) {
		return;
	}
	if (v == 0) {
		lpar_err(p, l, prop, CONFIG_E_VALUE, "must not be 0");
		return;
	}
	if (!IS_ALIGNED(v, CONFIG_MEM_ALIGN)) {
		lpar_err(p, l, prop, CONFIG_E_MEM_ALIGN,
			 "%s is not a multiple of 256 MiB",
			 fmt_size(sz, sizeof(sz), v));
		return;
	}
	l->mem_size = v;
}

static void parse_memory_base(struct parser *p, struct lpar_config *l,
			      const char *prop, const void *val, int len)
{
	uint64_t v;

	if (!get_u64(p, l, prop, val, len, &v)) {
		return;
	}
	if (!IS_ALIGNED(v, CONFIG_MEM_ALIGN)) {
		lpar_err(p, l, prop, CONFIG_E_MEM_ALIGN,
			 "0x%llx is not a multiple of 256 MiB",
			 (unsigned long long)v);
		return;
	}
	l->mem_base = v;
	l->mem_base_set = true;
}

static const struct choice mmu_choices[] = {
	{ "radix", CONFIG_MMU_RADIX, false },
	{ "hash", CONFIG_MMU_HASH, false },
};

static void parse_mmu(struct parser *p, struct lpar_config *l,
		      const char *prop, const void *val, int len)
{
	int v;

	if (get_choice(p, l, prop, val, len, mmu_choices,
		       ARRAY_SIZE(mmu_choices), &v)) {
		l->mmu = (enum config_mmu)v;
	}
}

/* hpt-size: the hashed page table's bytes (mm/hpt.h's limits). */
static void parse_hpt_size(struct parser *p, struct lpar_config *l,
			   const char *prop, const void *val, int len)
{
	char sz[24];
	uint64_t v;

	if (!get_u64(p, l, prop, val, len, &v)) {
		return;
	}
	if (v < (1ull << 18) || v > (1ull << 46) || (v & (v - 1))) {
		lpar_err(p, l, prop, CONFIG_E_VALUE,
			 "%s is not a power of two from 256 KiB to 64 TiB",
			 fmt_size(sz, sizeof(sz), v));
		return;
	}
	l->hpt_size = v;
}

static const struct choice compat_choices[] = {
	{ "power8", CONFIG_COMPAT_POWER8, false },
	{ "power9", CONFIG_COMPAT_POWER9, false },
	{ "power10", CONFIG_COMPAT_POWER10, false },
};

/* compat: the architected processor mode (PCR, cpu-version). */
static void parse_compat(struct parser *p, struct lpar_config *l,
			 const char *prop, const void *val, int len)
{
	int v;

	if (get_choice(p, l, prop, val, len, compat_choices,
		       ARRAY_SIZE(compat_choices), &v)) {
		l->compat = (enum config_compat)v;
	}
}

#define INTC_DUAL 2 /* parsed only: XIVE where the machine has one */

static const struct choice intc_choices[] = {
	{ "xics", CONFIG_INTC_XICS, false },
	{ "xive", CONFIG_INTC_XIVE, false },
	{ "dual", INTC_DUAL, false },
};

static void parse_intc(struct parser *p, struct lpar_config *l,
		       const char *prop, const void *val, int len)
{
	int v;

	if (!get_choice(p, l, prop, val, len, intc_choices,
			ARRAY_SIZE(intc_choices), &v)) {
		return;
	}
	if (v == INTC_DUAL) {
		/*
		 * Direct boot has no CAS: the tree we build decides.  With
		 * firmware ("vof", "slof") each CAS chooses again (vio/vof.c).
		 */
		l->intc_dual = !p->env->no_xive;
		v = p->env->no_xive ? CONFIG_INTC_XICS : CONFIG_INTC_XIVE;
	} else if (v == CONFIG_INTC_XIVE && p->env->no_xive) {
		lpar_err(p, l, prop, CONFIG_E_UNSUPPORTED,
			 "\"xive\" needs a XIVE interrupt controller (POWER9 "
			 "or later), which this machine does not have");
		return;
	}
	l->intc = (enum config_intc)v;
}

static const struct choice boot_choices[] = {
	{ "kernel", CONFIG_BOOT_KERNEL, false },
	{ "payload", CONFIG_BOOT_PAYLOAD, false },
};

static void parse_boot(struct parser *p, struct lpar_config *l,
		       const char *prop, const void *val, int len)
{
	int v;

	if (get_choice(p, l, prop, val, len, boot_choices,
		       ARRAY_SIZE(boot_choices), &v)) {
		l->boot = (enum config_boot)v;
	} else {
		p->st[l->lpid - 1].boot_bad = true;
	}
}

static void parse_kernel(struct parser *p, struct lpar_config *l,
			 const char *prop, const void *val, int len)
{
	get_image_name(p, l, prop, val, len, l->kernel);
}

static void parse_initramfs(struct parser *p, struct lpar_config *l,
			    const char *prop, const void *val, int len)
{
	get_image_name(p, l, prop, val, len, l->initramfs);
}

static void parse_bootargs(struct parser *p, struct lpar_config *l,
			   const char *prop, const void *val, int len)
{
	const char *s;

	if (!get_string(p, l, prop, val, len, &s)) {
		return;
	}
	if ((size_t)len > sizeof(l->bootargs)) {
		lpar_err(p, l, prop, CONFIG_E_VALUE,
			 "is %d bytes long: at most %zu", len - 1,
			 sizeof(l->bootargs) - 1);
		return;
	}
	memcpy(l->bootargs, s, (size_t)len);
}

/* Where an ELF kernel goes, as QEMU's -M pseries,kernel-addr= (the
 * default 0x400000 keeps the first 4 MiB for the kernel's own vectors). */
static void parse_kernel_addr(struct parser *p, struct lpar_config *l,
			      const char *prop, const void *val, int len)
{
	uint64_t v;

	if (!get_u64(p, l, prop, val, len, &v)) {
		return;
	}
	if (!IS_ALIGNED(v, CONFIG_KERNEL_ADDR_ALIGN)) {
		lpar_err(p, l, prop, CONFIG_E_VALUE,
			 "0x%llx is not a multiple of 64 KiB",
			 (unsigned long long)v);
		return;
	}
	l->kernel_addr = v;
}

/* The NVRAM's size: one cell, whole 4 KiB blocks, 8 to 512 KiB. */
static void parse_nvram_size(struct parser *p, struct lpar_config *l,
			     const char *prop, const void *val, int len)
{
	const uint8_t *b = val;
	uint32_t v;

	if (len != 4) {
		lpar_err(p, l, prop, CONFIG_E_FORMAT,
			 "is %d bytes long: expected one 32-bit cell", len);
		return;
	}
	v = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	    (uint32_t)b[2] << 8 | b[3];
	if (v < CONFIG_NVRAM_MIN || v > CONFIG_NVRAM_MAX ||
	    v % CONFIG_NVRAM_ALIGN) {
		lpar_err(p, l, prop, CONFIG_E_VALUE,
			 "0x%x is not a multiple of 4 KiB from 8 KiB to "
			 "512 KiB", v);
		return;
	}
	l->nvram_size = v;
}

static const struct choice policy_choices[] = {
	{ "restart", CONFIG_POLICY_RESTART, false },
	{ "stop", CONFIG_POLICY_STOP, false },
};

static void parse_on_crash(struct parser *p, struct lpar_config *l,
			   const char *prop, const void *val, int len)
{
	int v;

	if (get_choice(p, l, prop, val, len, policy_choices,
		       ARRAY_SIZE(policy_choices), &v)) {
		l->on_crash = (enum config_policy)v;
	}
}

static void parse_on_reboot(struct parser *p, struct lpar_config *l,
			    const char *prop, const void *val, int len)
{
	int v;

	if (get_choice(p, l, prop, val, len, policy_choices,
		       ARRAY_SIZE(policy_choices), &v)) {
		l->on_reboot = (enum config_policy)v;
	}
}

static bool env_has_phb(const struct config_env *env, uint32_t chip,
			uint32_t index)
{
	for (uint32_t i = 0; i < env->phb_count; i++) {
		if (env->phbs[i].chip == chip && env->phbs[i].index == index) {
			return true;
		}
	}
	return false;
}

static bool lpar_has_phb(const struct lpar_config *l, uint32_t chip,
			 uint32_t index)
{
	for (uint32_t i = 0; i < l->phb_count; i++) {
		if (l->phbs[i].chip == chip && l->phbs[i].index == index) {
			return true;
		}
	}
	return false;
}

/* pci-host-bridges = <chip index>, ...: whole host PHBs (docs/config.md). */
static void parse_phbs(struct parser *p, struct lpar_config *l,
		       const char *prop, const void *val, int len)
{
	const uint8_t *b = val;
	uint32_t count, i, chip, index;

	if (len == 0 || len % 8) {
		lpar_err(p, l, prop, CONFIG_E_FORMAT,
			 "is %d bytes long: expected <chip index> pairs of "
			 "32-bit cells", len);
		return;
	}
	count = (uint32_t)len / 8;
	if (count > CONFIG_MAX_PHBS) {
		lpar_err(p, l, prop, CONFIG_E_VALUE,
			 "lists %u PHBs: at most %d", count, CONFIG_MAX_PHBS);
		return;
	}
	for (i = 0; i < count; i++) {
		chip = ((uint32_t)b[8 * i] << 24) |
		       ((uint32_t)b[8 * i + 1] << 16) |
		       ((uint32_t)b[8 * i + 2] << 8) | b[8 * i + 3];
		index = ((uint32_t)b[8 * i + 4] << 24) |
			((uint32_t)b[8 * i + 5] << 16) |
			((uint32_t)b[8 * i + 6] << 8) | b[8 * i + 7];
		if (!env_has_phb(p->env, chip, index)) {
			lpar_err(p, l, prop, CONFIG_E_PHB_RANGE,
				 "PHB %u:%u (chip %u, index %u) does not "
				 "exist: the machine has %u PHB%s", chip,
				 index, chip, index, p->env->phb_count,
				 p->env->phb_count == 1 ? "" : "s");
			continue;
		}
		if (lpar_has_phb(l, chip, index)) {
			lpar_err(p, l, prop, CONFIG_E_PHB_OVERLAP,
				 "PHB %u:%u is listed twice", chip, index);
			continue;
		}
		l->phbs[l->phb_count].chip = chip;
		l->phbs[l->phb_count].index = index;
		l->phb_count++;
	}
}

/* The disk of /disks named `s`, or -1. */
static int find_disk(const struct config *c, const char *s)
{
	for (uint32_t i = 0; i < c->disk_count; i++) {
		if (strcmp(c->disks[i].name, s) == 0) {
			return (int)i;
		}
	}
	return -1;
}

/* `disks = "a", "b";` names of /disks entries, at most 8, each once. */
static void parse_disks_prop(struct parser *p, struct lpar_config *l,
			     const char *prop, const void *val, int len)
{
	const char *s = val;
	char shown[CONFIG_NAME_LEN];
	int pos, d;

	if (len <= 0 || s[len - 1] != '\0') {
		lpar_err(p, l, prop, CONFIG_E_FORMAT,
			 "must be a list of strings");
		return;
	}
	for (pos = 0; pos < len; pos += (int)strlen(s + pos) + 1) {
		copy_clean(shown, sizeof(shown), s + pos, SIZE_MAX);
		d = find_disk(p->out, s + pos);
		if (d < 0) {
			lpar_err(p, l, prop, CONFIG_E_DISK,
				 "no disk named \"%s\" in /disks", shown);
			continue;
		}
		for (uint32_t i = 0; i < l->disk_count; i++) {
			if (l->disks[i] == d) {
				lpar_err(p, l, prop, CONFIG_E_DISK,
					 "disk \"%s\" listed twice", shown);
				d = -1;
				break;
			}
		}
		if (d < 0) {
			continue;
		}
		if (l->disk_count == CONFIG_LPAR_DISKS) {
			lpar_err(p, l, prop, CONFIG_E_VALUE,
				 "more than %d disks", CONFIG_LPAR_DISKS);
			return;
		}
		l->disks[l->disk_count++] = (uint8_t)d;
	}
}

/*
 * The service console's properties (docs/console.md): whether the
 * partition starts at boot or waits for `start`, its console log's size
 * and how long an orderly `stop` waits before it stops the partition hard.
 */
static const struct choice on_boot_choices[] = {
	{ "start", CONFIG_ON_BOOT_START, false },
	{ "wait", CONFIG_ON_BOOT_WAIT, false },
};

static void parse_on_boot(struct parser *p, struct lpar_config *l,
			  const char *prop, const void *val, int len)
{
	int v;

	if (get_choice(p, l, prop, val, len, on_boot_choices,
		       ARRAY_SIZE(on_boot_choices), &v)) {
		l->on_boot = (enum config_on_boot)v;
	}
}

static const struct choice firmware_choices[] = {
	{ "none", CONFIG_FIRMWARE_NONE, false },
	{ "vof", CONFIG_FIRMWARE_VOF, false },
	{ "slof", CONFIG_FIRMWARE_SLOF, false },
};

static void parse_firmware(struct parser *p, struct lpar_config *l,
			   const char *prop, const void *val, int len)
{
	int v;

	if (get_choice(p, l, prop, val, len, firmware_choices,
		       ARRAY_SIZE(firmware_choices), &v)) {
		l->firmware = (enum config_firmware)v;
	}
}

/* Firmware starts a kernel through its client interface: no payloads. */
static void check_firmware(struct parser *p, struct lpar_config *l)
{
	if (l->firmware != CONFIG_FIRMWARE_NONE &&
	    l->boot != CONFIG_BOOT_KERNEL) {
		lpar_err(p, l, "firmware", CONFIG_E_VALUE,
			 "\"%s\" starts a kernel: it needs boot = \"kernel\"",
			 l->firmware == CONFIG_FIRMWARE_VOF ? "vof" : "slof");
	}
	/* SLOF without a kernel boots from the partition's disks. */
	if (!l->kernel[0] && l->initramfs[0]) {
		lpar_err(p, l, "initramfs", CONFIG_E_VALUE,
			 "no kernel to give it to (without a kernel, "
			 "firmware = \"slof\" boots from a disk)");
	}
}

/* One 32-bit cell within [min, max], with the unit named in errors. */
static bool get_u32_in(struct parser *p, struct lpar_config *l,
		       const char *prop, const void *val, int len,
		       uint32_t min, uint32_t max, const char *unit,
		       uint32_t *out)
{
	const uint8_t *b = val;
	uint32_t v;

	if (len != 4) {
		lpar_err(p, l, prop, CONFIG_E_FORMAT,
			 "is %d bytes long: expected one 32-bit cell", len);
		return false;
	}
	v = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	    (uint32_t)b[2] << 8 | b[3];
	if (v < min || v > max) {
		lpar_err(p, l, prop, CONFIG_E_VALUE,
			 "%u %s is outside %u to %u", v, unit, min, max);
		return false;
	}
	*out = v;
	return true;
}

static void parse_console_log(struct parser *p, struct lpar_config *l,
			      const char *prop, const void *val, int len)
{
	get_u32_in(p, l, prop, val, len, CONFIG_CONSOLE_LOG_MIN,
		   CONFIG_CONSOLE_LOG_MAX, "KiB", &l->console_log_kib);
}

static void parse_stop_timeout(struct parser *p, struct lpar_config *l,
			       const char *prop, const void *val, int len)
{
	get_u32_in(p, l, prop, val, len, 1, CONFIG_STOP_TIMEOUT_MAX, "s",
		   &l->stop_timeout_s);
}

/* Every property a partition node may have (docs/config.md). */
static const struct prop_rule lpar_props[] = {
	{ "cores", PROP_CORES, true, parse_cores },
	{ "memory", PROP_MEMORY, true, parse_memory },
	{ "memory-base", PROP_MEMORY_BASE, false, parse_memory_base },
	{ "mmu", PROP_MMU, false, parse_mmu },
	{ "interrupt-controller", PROP_INTC, false, parse_intc },
	{ "boot", PROP_BOOT, false, parse_boot },
	{ "kernel", PROP_KERNEL, true, parse_kernel },
	{ "initramfs", PROP_INITRAMFS, false, parse_initramfs },
	{ "bootargs", PROP_BOOTARGS, false, parse_bootargs },
	{ "on-crash", PROP_ON_CRASH, false, parse_on_crash },
	{ "on-reboot", PROP_ON_REBOOT, false, parse_on_reboot },
	{ "kernel-addr", PROP_KERNEL_ADDR, false, parse_kernel_addr },
	{ "pci-host-bridges", PROP_PHBS, false, parse_phbs },
	{ "disks", PROP_DISKS, false, parse_disks_prop },
	{ "on-boot", PROP_ON_BOOT, false, parse_on_boot },
	{ "console-log", PROP_CONSOLE_LOG, false, parse_console_log },
	{ "stop-timeout", PROP_STOP_TIMEOUT, false, parse_stop_timeout },
	{ "hpt-size", PROP_HPT_SIZE, false, parse_hpt_size },
	{ "compat", PROP_COMPAT, false, parse_compat },
	{ "nvram-size", PROP_NVRAM_SIZE, false, parse_nvram_size },
	{ "firmware", PROP_FIRMWARE, false, parse_firmware },
};

/* Device-tree bookkeeping properties dtc or an editor may add anywhere. */
static bool is_standard_prop(const char *name)
{
	return strcmp(name, "name") == 0 || strcmp(name, "phandle") == 0 ||
	       strcmp(name, "linux,phandle") == 0;
}

static const struct prop_rule *find_rule(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(lpar_props); i++) {
		if (strcmp(name, lpar_props[i].name) == 0) {
			return &lpar_props[i];
		}
	}
	return NULL;
}

static void check_name(struct parser *p, struct lpar_config *l,
		       const char *name, int len)
{
	struct config *c = p->out;
	uint32_t i;
	int k;

	if (len <= 0 || len >= CONFIG_NAME_LEN) {
		lpar_err(p, l, NULL, CONFIG_E_NAME,
			 "partition name is %d characters long: 1 to %d "
			 "allowed", len, CONFIG_NAME_LEN - 1);
		return;
	}
	for (k = 0; k < len; k++) {
		if (!partition_char_ok(name[k])) {
			lpar_err(p, l, NULL, CONFIG_E_NAME,
				 "partition name may only use a-z, 0-9 "
				 "and '-'");
			return;
		}
	}
	/* dtc never writes two nodes of one name, but a blob can. */
	for (i = 0; i + 1 < c->lpar_count; i++) {
		if (strcmp(c->lpars[i].name, l->name) == 0) {
			lpar_err(p, l, NULL, CONFIG_E_NAME,
				 "partition name already used by lpar %u",
				 c->lpars[i].lpid);
			return;
		}
	}
}

/* Parse every property of one partition node into `l`. */
static void parse_props(struct parser *p, struct lpar_config *l, int node)
{
	struct lpar_state *st = &p->st[l->lpid - 1];
	const struct prop_rule *r;
	char shown[CONFIG_NAME_LEN];
	const char *name;
	const void *val;
	int off, len;

	fdt_for_each_property_offset(off, p->fdt, node) {
		val = fdt_getprop_by_offset(p->fdt, off, &name, &len);
		if (!val || !name) {
			note_walk_end(p, len < 0 ? len : -FDT_ERR_BADSTRUCTURE);
			return;
		}
		if (is_standard_prop(name) || strcmp(name, "status") == 0) {
			continue;
		}
		r = find_rule(name);
		if (!r) {
			copy_clean(shown, sizeof(shown), name, SIZE_MAX);
			lpar_err(p, l, shown, CONFIG_E_VALUE,
				 "unknown property");
			continue;
		}
		if (st->seen & (1u << r->id)) {
			lpar_err(p, l, r->name, CONFIG_E_FORMAT,
				 "appears twice");
			continue;
		}
		st->seen |= 1u << r->id;
		r->parse(p, l, r->name, val, len);
	}
	note_walk_end(p, off);
}

static void check_required(struct parser *p, struct lpar_config *l)
{
	const struct lpar_state *st = &p->st[l->lpid - 1];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(lpar_props); i++) {
		/* SLOF boots from a disk when it is given no kernel. */
		if (lpar_props[i].id == PROP_KERNEL &&
		    l->firmware == CONFIG_FIRMWARE_SLOF) {
			continue;
		}
		if (lpar_props[i].required &&
		    !(st->seen & (1u << lpar_props[i].id))) {
			lpar_err(p, l, lpar_props[i].name, CONFIG_E_MISSING,
				 "missing (required)");
		}
	}
}

/* A placed range must not run past the end of the address space. */
static void check_placement(struct parser *p, struct lpar_config *l)
{
	if (!l->mem_base_set || !l->mem_size) {
		return;
	}
	if (range_wraps(l->mem_base, l->mem_size) ||
	    l->mem_base + l->mem_size == 0) {
		lpar_err(p, l, "memory-base", CONFIG_E_VALUE,
			 "0x%llx + memory 0x%llx runs past the end of the "
			 "address space", (unsigned long long)l->mem_base,
			 (unsigned long long)l->mem_size);
		l->mem_base_set = false;
	}
}

/*
 * A hash partition: its page table only with mmu = "hash"; its XIVE pages
 * are entered by the guest itself (H_ENTER checks them, mm/hpt.c), PHB
 * windows not yet.
 */
static void check_mmu(struct parser *p, struct lpar_config *l)
{
	if (l->mmu != CONFIG_MMU_HASH && p->env->no_radix) {
		lpar_err(p, l, "mmu", CONFIG_E_UNSUPPORTED,
			 "radix needs POWER9 or later; this machine (POWER8) "
			 "has only the hash MMU: use mmu = \"hash\"");
		return;
	}
	if (l->mmu != CONFIG_MMU_HASH) {
		if (l->compat == CONFIG_COMPAT_POWER8) {
			lpar_err(p, l, "compat", CONFIG_E_VALUE,
				 "\"power8\" has no radix MMU: it needs "
				 "mmu = \"hash\"");
		}
		if (p->st[l->lpid - 1].seen & (1u << PROP_HPT_SIZE)) {
			lpar_err(p, l, "hpt-size", CONFIG_E_VALUE,
				 "only applies to mmu = \"hash\"");
		}
		return;
	}
	/* A PHB's MMIO window is mapped in the radix table only (pci/). */
	if (l->phb_count) {
		lpar_err(p, l, "pci-host-bridges", CONFIG_E_UNSUPPORTED,
			 "PCI host bridges with mmu = \"hash\" are not "
			 "implemented yet");
	}
}

/* kernel-addr must leave the kernel room in memory; payloads have none. */
static void check_kernel_addr(struct parser *p, struct lpar_config *l)
{
	char sz[24];

	if (!(p->st[l->lpid - 1].seen & (1u << PROP_KERNEL_ADDR))) {
		return;
	}
	if (l->boot != CONFIG_BOOT_KERNEL) {
		lpar_err(p, l, "kernel-addr", CONFIG_E_VALUE,
			 "only applies to boot = \"kernel\" (a payload is "
			 "loaded at 0)");
	} else if (l->mem_size && l->kernel_addr >= l->mem_size) {
		lpar_err(p, l, "kernel-addr", CONFIG_E_VALUE,
			 "0x%llx is not inside the partition's %s of memory",
			 (unsigned long long)l->kernel_addr,
			 fmt_size(sz, sizeof(sz), l->mem_size));
	}
}

static void check_children(struct parser *p, struct lpar_config *l, int node)
{
	char shown[CONFIG_NAME_LEN];
	const char *name;
	int child, len;

	fdt_for_each_subnode(child, p->fdt, node) {
		name = fdt_get_name(p->fdt, child, &len);
		copy_clean(shown, sizeof(shown), name ? name : "",
			   len > 0 ? (size_t)len : 0);
		lpar_err(p, l, NULL, CONFIG_E_VALUE,
			 "unknown child node \"%s\"", shown);
	}
	note_walk_end(p, child);
}

/*
 * `status`: absent, "okay" or "ok" enable the partition; "disabled" skips
 * it silently (returns false).  Anything else enables it with an error.
 */
static bool lpar_enabled(const void *fdt, int node, bool *bad)
{
	const char *s;
	int len;

	*bad = false;
	s = fdt_getprop(fdt, node, "status", &len);
	if (!s) {
		return true;
	}
	if (is_one_string(s, len) && strcmp(s, "disabled") == 0) {
		return false;
	}
	*bad = !is_one_string(s, len) ||
	       (strcmp(s, "okay") != 0 && strcmp(s, "ok") != 0);
	return true;
}

static void parse_lpar(struct parser *p, int node, const char *name, int len,
		       bool status_bad)
{
	struct config *c = p->out;
	struct lpar_config *l = &c->lpars[c->lpar_count];

	memset(l, 0, sizeof(*l));
	memset(&p->st[c->lpar_count], 0, sizeof(p->st[0]));
	c->lpar_count++;
	l->lpid = c->lpar_count;
	l->kernel_addr = CONFIG_KERNEL_ADDR;
	l->console_log_kib = CONFIG_CONSOLE_LOG_DEFAULT;
	l->stop_timeout_s = CONFIG_STOP_TIMEOUT_DEFAULT;
	l->nvram_size = CONFIG_NVRAM_SIZE;
	copy_clean(l->name, sizeof(l->name), name, (size_t)len);
	check_name(p, l, name, len);
	if (status_bad) {
		lpar_err(p, l, "status", CONFIG_E_VALUE,
			 "must be \"okay\" or \"disabled\"");
	}
	parse_props(p, l, node);
	check_children(p, l, node);
	check_required(p, l);
	check_placement(p, l);
	check_kernel_addr(p, l);
	check_mmu(p, l);
	check_firmware(p, l);
}

static enum config_err parse_partitions(struct parser *p)
{
	struct config *c = p->out;
	char shown[CONFIG_NAME_LEN];
	uint32_t skipped = 0;
	const char *name;
	int parts, node, len;
	bool bad;

	parts = fdt_path_offset(p->fdt, "/partitions");
	if (parts < 0) {
		return file_err(p, NULL, CONFIG_E_NO_PARTITIONS,
				"no /partitions node");
	}
	fdt_for_each_subnode(node, p->fdt, parts) {
		name = fdt_get_name(p->fdt, node, &len);
		if (!name) {
			note_walk_end(p, len);
			break;
		}
		if (!lpar_enabled(p->fdt, node, &bad)) {
			skipped++;
			continue;
		}
		if (c->lpar_count == CONFIG_MAX_LPARS) {
			copy_clean(shown, sizeof(shown), name, (size_t)len);
			name_err(p, shown, CONFIG_E_TOO_MANY,
				 "more than %d partitions: not started",
				 CONFIG_MAX_LPARS);
			continue;
		}
		parse_lpar(p, node, name, len, bad);
	}
	note_walk_end(p, node);
	if (c->lpar_count == 0 && !p->fdt_err) {
		return file_err(p, NULL, CONFIG_E_NO_PARTITIONS,
				skipped ? "every partition in /partitions is "
					  "disabled"
					: "/partitions has no partition");
	}
	return CONFIG_OK;
}

static bool lpar_has_core(const struct lpar_config *l, uint32_t core)
{
	uint32_t i;

	for (i = 0; i < l->core_count; i++) {
		if (l->cores[i] == core) {
			return true;
		}
	}
	return false;
}

/* A core given to two partitions: the later one is refused. */
static void check_core_overlap(struct parser *p)
{
	struct config *c = p->out;
	struct lpar_config *l;
	uint32_t i, j, k;

	for (i = 1; i < c->lpar_count; i++) {
		l = &c->lpars[i];
		for (k = 0; k < l->core_count; k++) {
			for (j = 0; j < i; j++) {
				if (lpar_has_core(&c->lpars[j], l->cores[k])) {
					break;
				}
			}
			if (j < i) {
				lpar_err(p, l, "cores", CONFIG_E_CORE_OVERLAP,
					 "core %u is already owned by lpar "
					 "\"%s\"", l->cores[k],
					 c->lpars[j].name);
			}
		}
	}
}

/* A PHB given to two partitions: the later one is refused. */
static void check_phb_overlap(struct parser *p)
{
	struct config *c = p->out;
	struct lpar_config *l;
	uint32_t i, j, k;

	for (i = 1; i < c->lpar_count; i++) {
		l = &c->lpars[i];
		for (k = 0; k < l->phb_count; k++) {
			for (j = 0; j < i; j++) {
				if (lpar_has_phb(&c->lpars[j], l->phbs[k].chip,
						 l->phbs[k].index)) {
					break;
				}
			}
			if (j < i) {
				lpar_err(p, l, "pci-host-bridges",
					 CONFIG_E_PHB_OVERLAP,
					 "PHB %u:%u is already given to lpar "
					 "\"%s\"", l->phbs[k].chip,
					 l->phbs[k].index, c->lpars[j].name);
			}
		}
	}
}

/* Placed memory ranges shared by two partitions: the later one is
 * refused. */
static void check_mem_overlap(struct parser *p)
{
	struct config *c = p->out;
	struct lpar_config *l, *o;
	uint32_t i, j;

	for (i = 1; i < c->lpar_count; i++) {
		l = &c->lpars[i];
		if (!l->mem_base_set || !l->mem_size) {
			continue;
		}
		for (j = 0; j < i; j++) {
			o = &c->lpars[j];
			if (o->mem_base_set && o->mem_size &&
			    ranges_overlap(l->mem_base, l->mem_size,
					   o->mem_base, o->mem_size)) {
				lpar_err(p, l, "memory-base",
					 CONFIG_E_MEM_OVERLAP,
					 "0x%llx-0x%llx overlaps lpar \"%s\" "
					 "at 0x%llx-0x%llx",
					 (unsigned long long)l->mem_base,
					 (unsigned long long)(l->mem_base +
							      l->mem_size - 1),
					 o->name,
					 (unsigned long long)o->mem_base,
					 (unsigned long long)(o->mem_base +
							      o->mem_size - 1));
				break;
			}
		}
	}
}

static const char *boot_word(enum config_boot b)
{
	return b == CONFIG_BOOT_PAYLOAD ? "payload" : "kernel";
}

static void check_images(struct parser *p, struct lpar_config *l)
{
	const struct config_env *env = p->env;
	const char *why;

	if (l->kernel[0]) {
		if (env->image_exists && !env->image_exists(env->ctx,
							    l->kernel)) {
			lpar_err(p, l, "kernel", CONFIG_E_IMAGE_MISSING,
				 "no image named \"%s\"", l->kernel);
		} else if (env->image_check && !p->st[l->lpid - 1].boot_bad) {
			why = env->image_check(env->ctx, l->kernel, l->boot);
			if (why) {
				lpar_err(p, l, "kernel", CONFIG_E_IMAGE_FORMAT,
					 "image \"%s\" cannot boot as a %s: %s",
					 l->kernel, boot_word(l->boot), why);
			}
		}
	}
	if (l->initramfs[0] && env->image_exists &&
	    !env->image_exists(env->ctx, l->initramfs)) {
		lpar_err(p, l, "initramfs", CONFIG_E_IMAGE_MISSING,
			 "no image named \"%s\"", l->initramfs);
	}
	if (l->firmware == CONFIG_FIRMWARE_SLOF && env->image_exists &&
	    !env->image_exists(env->ctx, CONFIG_SLOF_IMAGE)) {
		lpar_err(p, l, "firmware", CONFIG_E_IMAGE_MISSING,
			 "\"slof\" needs an image named \"%s\" (QEMU's "
			 "slof.bin)", CONFIG_SLOF_IMAGE);
	}
}

static uint64_t disk_bytes_used(const struct config *c);

/* Give memory to the partitions still good, in order; refuse those that
 * do not fit in what is left. */
static void check_mem_budget(struct parser *p)
{
	struct config *c = p->out;
	uint64_t avail = p->env->mem_available;
	uint64_t used = 0;
	uint64_t disks = disk_bytes_used(c);
	char a[24], b[24], d[24];
	struct lpar_config *l;
	uint32_t i;

	/* Disk memory is carved first (hv/main.c). */
	avail = disks < avail ? avail - disks : 0;

	for (i = 0; i < c->lpar_count; i++) {
		l = &c->lpars[i];
		if (l->refused) {
			continue;
		}
		if (l->mem_size > avail) {
			lpar_err(p, l, "memory", CONFIG_E_MEM_TOO_BIG,
				 "%s is more than the %s partitions may use",
				 fmt_size(a, sizeof(a), l->mem_size),
				 fmt_size(b, sizeof(b), avail));
		} else if (l->mem_size > avail - used) {
			lpar_err(p, l, "memory", CONFIG_E_MEM_TOO_BIG,
				 "%s does not fit: %s of %s left after the "
				 "partitions before it",
				 fmt_size(a, sizeof(a), l->mem_size),
				 fmt_size(b, sizeof(b), avail - used),
				 fmt_size(d, sizeof(d), avail));
		} else {
			used += l->mem_size;
		}
	}
}

/*
 * /virtual-ethernet: one child node per adapter (docs/config.md).  Errors
 * about an adapter of a known partition refuse that partition; an adapter
 * naming no partition is an error of the file that refuses nothing.
 */
enum lan_prop { LAN_PARTITION, LAN_VLANS, LAN_MAC, LAN_TRUNK, LAN_PROPS };
static const char *const lan_props[LAN_PROPS] = {
	[LAN_PARTITION] = "partition", [LAN_VLANS] = "vlans",
	[LAN_MAC] = "mac-address", [LAN_TRUNK] = "trunk",
};

static struct lpar_config *lpar_named(struct parser *p, const char *name)
{
	for (uint32_t i = 0; i < p->out->lpar_count; i++) {
		if (strcmp(p->out->lpars[i].name, name) == 0) {
			return &p->out->lpars[i];
		}
	}
	return NULL;
}

/* Whether /partitions has a node `name` (a disabled partition). */
static bool lpar_node_exists(struct parser *p, const char *name)
{
	int parts = fdt_path_offset(p->fdt, "/partitions");

	return parts >= 0 && fdt_subnode_offset(p->fdt, parts, name) >= 0;
}

static void parse_lan_vlans(struct parser *p, struct lpar_config *l,
			    struct lan_config *a, const uint8_t *v, int len)
{
	uint32_t n = len > 0 ? (uint32_t)len / 4 : 0;

	if (len <= 0 || len % 4 || n > CONFIG_MAX_LAN_VLANS) {
		lpar_err(p, l, "vlans", CONFIG_E_FORMAT,
			 "adapter \"%s\": %d bytes: expected 1 to %d cells",
			 a->name, len, CONFIG_MAX_LAN_VLANS);
		return;
	}
	for (uint32_t i = 0; i < n; i++) {
		uint32_t id = (uint32_t)v[4 * i] << 24 |
			      (uint32_t)v[4 * i + 1] << 16 |
			      (uint32_t)v[4 * i + 2] << 8 | v[4 * i + 3];

		if (id < 1 || id > CONFIG_VLAN_ID_MAX) {
			lpar_err(p, l, "vlans", CONFIG_E_VALUE,
				 "adapter \"%s\": VLAN id %u is out of range "
				 "1 to %d", a->name, id, CONFIG_VLAN_ID_MAX);
			return;
		}
		for (uint32_t j = 0; j < i; j++) {
			if (a->vlans[j] == id) {
				lpar_err(p, l, "vlans", CONFIG_E_VALUE,
					 "adapter \"%s\": VLAN id %u appears "
					 "twice", a->name, id);
				return;
			}
		}
		a->vlans[i] = (uint16_t)id;
	}
	a->vlan_count = n;
}

static void parse_lan_mac(struct parser *p, struct lpar_config *l,
			  struct lan_config *a, const uint8_t *v, int len)
{
	static const uint8_t zero[CONFIG_MAC_LEN];

	if (len != CONFIG_MAC_LEN) {
		lpar_err(p, l, "mac-address", CONFIG_E_FORMAT,
			 "adapter \"%s\": %d bytes: expected 6", a->name, len);
		return;
	}
	if (v[0] & 1) {
		lpar_err(p, l, "mac-address", CONFIG_E_VALUE,
			 "adapter \"%s\": %02x:%02x:%02x:%02x:%02x:%02x is a "
			 "multicast address", a->name, v[0], v[1], v[2], v[3],
			 v[4], v[5]);
		return;
	}
	if (!memcmp(v, zero, CONFIG_MAC_LEN)) {
		lpar_err(p, l, "mac-address", CONFIG_E_VALUE,
			 "adapter \"%s\": 00:00:00:00:00:00 is not an "
			 "address", a->name);
		return;
	}
	memcpy(a->mac, v, CONFIG_MAC_LEN);
	a->mac_given = true;
}

/*
 * The MAC of an adapter without mac-address: locally administered
 * unicast (02:...), the rest from SHA-256 of the partition's name and the
 * adapter's place, so it stays the same across boots and builds.
 */
static void lan_default_mac(const struct lpar_config *l, uint32_t index,
			    uint8_t mac[CONFIG_MAC_LEN])
{
	uint8_t digest[SHA256_DIGEST_SIZE];
	uint8_t idx = (uint8_t)index;
	struct sha256_ctx c;

	sha256_init(&c);
	sha256_update(&c, "lparvisor-lan:", 14);
	sha256_update(&c, l->name, strlen(l->name));
	sha256_update(&c, &idx, 1);
	sha256_final(&c, digest);
	mac[0] = 0x02;
	memcpy(mac + 1, digest, CONFIG_MAC_LEN - 1);
}

/* Each property of adapter node `node`; a bit per property in `seen`. */
static void parse_lan_props(struct parser *p, struct lpar_config *l,
			    struct lan_config *a, int node)
{
	uint32_t seen = 0;
	char shown[CONFIG_NAME_LEN];
	const char *name;
	const void *val;
	int off, len, k;

	fdt_for_each_property_offset(off, p->fdt, node) {
		val = fdt_getprop_by_offset(p->fdt, off, &name, &len);
		if (!val || !name) {
			note_walk_end(p, len < 0 ? len : -FDT_ERR_BADSTRUCTURE);
			return;
		}
		for (k = 0; k < LAN_PROPS; k++) {
			if (strcmp(name, lan_props[k]) == 0) {
				break;
			}
		}
		if (k == LAN_PARTITION || (k == LAN_PROPS &&
					   is_standard_prop(name))) {
			continue;
		}
		if (k == LAN_PROPS) {
			copy_clean(shown, sizeof(shown), name, SIZE_MAX);
			lpar_err(p, l, shown, CONFIG_E_VALUE,
				 "adapter \"%s\": unknown property", a->name);
			continue;
		}
		if (seen & (1u << k)) {
			lpar_err(p, l, lan_props[k], CONFIG_E_FORMAT,
				 "adapter \"%s\": appears twice", a->name);
			continue;
		}
		seen |= 1u << k;
		if (k == LAN_VLANS) {
			parse_lan_vlans(p, l, a, val, len);
		} else if (k == LAN_MAC) {
			parse_lan_mac(p, l, a, val, len);
		} else if (len != 0) {
			lpar_err(p, l, "trunk", CONFIG_E_FORMAT,
				 "adapter \"%s\": must be empty", a->name);
		} else {
			a->trunk = true;
		}
	}
	note_walk_end(p, off);
}

/* One adapter node: find its partition, then read it into that one. */
static void parse_lan(struct parser *p, int node, const char *nname, int nlen)
{
	char shown[CONFIG_NAME_LEN], target[CONFIG_NAME_LEN];
	struct lpar_config *l;
	struct lan_config *a;
	const char *s;
	int len;

	copy_clean(shown, sizeof(shown), nname, (size_t)nlen);
	s = fdt_getprop(p->fdt, node, "partition", &len);
	if (!s) {
		file_err(p, "partition", CONFIG_E_MISSING,
			 "adapter \"%s\": missing (required)", shown);
		return;
	}
	if (!is_one_string(s, len)) {
		file_err(p, "partition", CONFIG_E_FORMAT,
			 "adapter \"%s\": must be a single string", shown);
		return;
	}
	copy_clean(target, sizeof(target), s, SIZE_MAX);
	l = lpar_named(p, s);
	if (!l) {
		if (!lpar_node_exists(p, s)) {
			file_err(p, "partition", CONFIG_E_UNKNOWN_LPAR,
				 "adapter \"%s\": no partition named \"%s\"",
				 shown, target);
		}
		return; /* a disabled partition's adapters go with it */
	}
	if (l->lan_count == CONFIG_MAX_LANS) {
		lpar_err(p, l, NULL, CONFIG_E_VALUE,
			 "adapter \"%s\": more than %d virtual Ethernet "
			 "adapters", shown, CONFIG_MAX_LANS);
		return;
	}
	a = &l->lans[l->lan_count];
	memset(a, 0, sizeof(*a));
	/* Up to its end only: the stack bytes past it differ between parses. */
	copy_clean(a->name, sizeof(a->name), shown, sizeof(shown));
	a->vlans[0] = 1; /* default: VLAN 1 */
	a->vlan_count = 1;
	parse_lan_props(p, l, a, node);
	if (!a->mac_given) {
		lan_default_mac(l, l->lan_count, a->mac);
	}
	l->lan_count++;
}

/* Two adapters with one MAC: the later partition is refused. */
static void check_dup_macs(struct parser *p)
{
	struct config *c = p->out;

	for (uint32_t i = 0; i < c->lpar_count; i++) {
		struct lpar_config *l = &c->lpars[i];

		for (uint32_t k = 0; k < l->lan_count; k++) {
			const uint8_t *m = l->lans[k].mac;

			for (uint32_t j = 0; j <= i; j++) {
				const struct lpar_config *o = &c->lpars[j];
				uint32_t end = j == i ? k : o->lan_count;
				uint32_t q;

				for (q = 0; q < end; q++) {
					if (!memcmp(o->lans[q].mac, m,
						    CONFIG_MAC_LEN)) {
						break;
					}
				}
				if (q < end) {
					lpar_err(p, l, "mac-address",
						 CONFIG_E_DUP_MAC,
						 "adapter \"%s\": %02x:%02x:"
						 "%02x:%02x:%02x:%02x is "
						 "already adapter \"%s\" of "
						 "lpar \"%s\"", l->lans[k].name,
						 m[0], m[1], m[2], m[3], m[4],
						 m[5], o->lans[q].name,
						 o->name);
					break;
				}
			}
		}
	}
}

static void parse_ethernet(struct parser *p)
{
	const char *name;
	int eth, node, len;

	eth = fdt_path_offset(p->fdt, "/virtual-ethernet");
	if (eth < 0) {
		return;
	}
	fdt_for_each_subnode(node, p->fdt, eth) {
		name = fdt_get_name(p->fdt, node, &len);
		if (!name) {
			note_walk_end(p, len);
			return;
		}
		parse_lan(p, node, name, len);
	}
	note_walk_end(p, node);
	check_dup_macs(p);
}

/*
 * /vscsi-hosts (docs/config.md): one child per VIOS pair, `server` (the
 * partition holding the v-scsi-host adapter) and `client` (the one whose
 * v-scsi adapter it serves), both required.  Errors about a pair refuse
 * the partitions they name that exist; a pair naming no partition is an
 * error of the file.  A disabled partition's side goes with it: the other
 * side keeps an adapter whose partner never answers.
 */
enum vhost_side { VHOST_SERVER, VHOST_CLIENT, VHOST_SIDES };
static const char *const vhost_props[VHOST_SIDES] = {
	[VHOST_SERVER] = "server", [VHOST_CLIENT] = "client",
};

/* A side of pair `shown`: *l the partition (NULL when disabled or
 * absent); false after an error of the file (unknown, not a string). */
static bool vhost_side(struct parser *p, int node, const char *shown,
		       enum vhost_side side, bool *given,
		       struct lpar_config **l)
{
	char target[CONFIG_NAME_LEN];
	const char *s;
	int len;

	*l = NULL;
	*given = false;
	s = fdt_getprop(p->fdt, node, vhost_props[side], &len);
	if (!s) {
		return true;
	}
	if (!is_one_string(s, len)) {
		file_err(p, vhost_props[side], CONFIG_E_FORMAT,
			 "v-scsi host \"%s\": must be a single string", shown);
		return false;
	}
	*given = true;
	*l = lpar_named(p, s);
	if (!*l && !lpar_node_exists(p, s)) {
		copy_clean(target, sizeof(target), s, SIZE_MAX);
		file_err(p, vhost_props[side], CONFIG_E_UNKNOWN_LPAR,
			 "v-scsi host \"%s\": no partition named \"%s\"",
			 shown, target);
		return false;
	}
	return true;
}

/* Properties other than server and client are typos (the server, if
 * enabled, is refused; the pair is dropped). */
static bool vhost_props_ok(struct parser *p, int node, const char *shown,
			   struct lpar_config *srv)
{
	char pname[CONFIG_NAME_LEN];
	const char *name;
	bool ok = true;
	int off, len;

	fdt_for_each_property_offset(off, p->fdt, node) {
		if (!fdt_getprop_by_offset(p->fdt, off, &name, &len) || !name) {
			note_walk_end(p, len < 0 ? len : -FDT_ERR_BADSTRUCTURE);
			return false;
		}
		if (strcmp(name, "server") == 0 ||
		    strcmp(name, "client") == 0 || is_standard_prop(name)) {
			continue;
		}
		copy_clean(pname, sizeof(pname), name, SIZE_MAX);
		if (srv) {
			lpar_err(p, srv, pname, CONFIG_E_VALUE,
				 "v-scsi host \"%s\": unknown property",
				 shown);
		} else {
			file_err(p, pname, CONFIG_E_VALUE,
				 "v-scsi host \"%s\": unknown property",
				 shown);
		}
		ok = false;
	}
	note_walk_end(p, off);
	return ok;
}

/* Whether an earlier pair joins the same two partitions. */
static const char *vhost_twice(const struct lpar_config *srv,
			       const struct lpar_config *cli)
{
	for (uint32_t i = 0; i < srv->vhost_count; i++) {
		if (srv->vhosts[i].partner_lpid == cli->lpid) {
			return srv->vhosts[i].name;
		}
	}
	return NULL;
}

static void parse_vhost(struct parser *p, int node, const char *nname,
			int nlen)
{
	char shown[CONFIG_NAME_LEN];
	struct lpar_config *srv, *cli;
	struct vscsi_pair_config *sv = NULL, *cv = NULL;
	bool has_srv, has_cli, srv_ok, cli_ok;
	const char *twice;

	copy_clean(shown, sizeof(shown), nname, (size_t)nlen);
	/* Both sides are checked; an unknown one refuses nothing. */
	srv_ok = vhost_side(p, node, shown, VHOST_SERVER, &has_srv, &srv);
	cli_ok = vhost_side(p, node, shown, VHOST_CLIENT, &has_cli, &cli);
	if (!srv_ok || !cli_ok) {
		return;
	}
	if (!has_srv && !has_cli) {
		file_err(p, "server", CONFIG_E_MISSING,
			 "v-scsi host \"%s\": missing (required)", shown);
		return;
	}
	if (!has_cli) {
		if (srv) {
			lpar_err(p, srv, "client", CONFIG_E_MISSING,
				 "v-scsi host \"%s\": unpaired server "
				 "adapter: no client partition", shown);
		}
		return;
	}
	if (!has_srv) {
		if (cli) {
			lpar_err(p, cli, "server", CONFIG_E_MISSING,
				 "v-scsi host \"%s\": unpaired client "
				 "adapter: no server partition", shown);
		}
		return;
	}
	if (!vhost_props_ok(p, node, shown, srv)) {
		return;
	}
	if (srv && srv == cli) {
		lpar_err(p, srv, "client", CONFIG_E_VALUE,
			 "v-scsi host \"%s\": a partition cannot serve "
			 "itself", shown);
		return;
	}
	if (srv && cli && (twice = vhost_twice(srv, cli)) != NULL) {
		lpar_err(p, srv, "client", CONFIG_E_VALUE,
			 "v-scsi host \"%s\": adapter used twice: \"%s\" "
			 "already serves lpar \"%s\"", shown, twice,
			 cli->name);
		return;
	}
	if (srv && srv->vhost_count == CONFIG_MAX_VSCSI_PAIRS) {
		lpar_err(p, srv, "server", CONFIG_E_VALUE,
			 "v-scsi host \"%s\": more than %d server adapters",
			 shown, CONFIG_MAX_VSCSI_PAIRS);
		return;
	}
	if (cli && cli->vclient_count == CONFIG_MAX_VSCSI_PAIRS) {
		lpar_err(p, cli, "client", CONFIG_E_VALUE,
			 "v-scsi host \"%s\": more than %d client adapters",
			 shown, CONFIG_MAX_VSCSI_PAIRS);
		return;
	}
	if (srv) {
		sv = &srv->vhosts[srv->vhost_count];
		memset(sv, 0, sizeof(*sv));
		copy_clean(sv->name, sizeof(sv->name), shown, sizeof(shown));
	}
	if (cli) {
		cv = &cli->vclients[cli->vclient_count];
		memset(cv, 0, sizeof(*cv));
		copy_clean(cv->name, sizeof(cv->name), shown, sizeof(shown));
	}
	if (sv && cv) {
		sv->partner_lpid = cli->lpid;
		sv->partner_slot = cli->vclient_count;
		cv->partner_lpid = srv->lpid;
		cv->partner_slot = srv->vhost_count;
	}
	if (srv) {
		srv->vhost_count++;
	}
	if (cli) {
		cli->vclient_count++;
	}
}

static void parse_vscsi_hosts(struct parser *p)
{
	const char *name;
	int top, node, len;

	top = fdt_path_offset(p->fdt, "/vscsi-hosts");
	if (top < 0) {
		return;
	}
	fdt_for_each_subnode(node, p->fdt, top) {
		name = fdt_get_name(p->fdt, node, &len);
		if (!name) {
			note_walk_end(p, len);
			return;
		}
		parse_vhost(p, node, name, len);
	}
	note_walk_end(p, node);
}

static bool compatible_ok(struct parser *p)
{
	static const char prefix[] = "lparvisor,config-v";
	char shown[48];
	const char *s;
	int len, pos;

	s = fdt_getprop(p->fdt, 0, "compatible", &len);
	if (!s || len <= 0 || s[len - 1] != '\0') {
		file_err(p, "compatible", CONFIG_E_COMPATIBLE,
			 "missing: must be \"%s\"", CONFIG_COMPATIBLE);
		return false;
	}
	/* A string list: accept it when any entry is ours. */
	for (pos = 0; pos < len; pos += (int)strlen(s + pos) + 1) {
		if (strcmp(s + pos, CONFIG_COMPATIBLE) == 0) {
			return true;
		}
	}
	for (pos = 0; pos < len; pos += (int)strlen(s + pos) + 1) {
		if (strncmp(s + pos, prefix, sizeof(prefix) - 1) == 0) {
			copy_clean(shown, sizeof(shown), s + pos, SIZE_MAX);
			file_err(p, "compatible", CONFIG_E_COMPATIBLE,
				 "\"%s\" is not supported: this lparvisor "
				 "reads \"%s\"", shown, CONFIG_COMPATIBLE);
			return false;
		}
	}
	copy_clean(shown, sizeof(shown), s, SIZE_MAX);
	file_err(p, "compatible", CONFIG_E_COMPATIBLE,
		 "\"%s\" is not \"%s\"", shown, CONFIG_COMPATIBLE);
	return false;
}

/* The root may hold only what docs/config.md lists: typos in node or
 * property names must not pass silently. */
static void check_root(struct parser *p)
{
	static const char *const props[] = {
		"compatible", "model", "description", "#address-cells",
		"#size-cells",
	};
	char shown[CONFIG_NAME_LEN];
	const char *name;
	size_t i;
	int off, len;

	fdt_for_each_property_offset(off, p->fdt, 0) {
		if (!fdt_getprop_by_offset(p->fdt, off, &name, &len) || !name) {
			note_walk_end(p, len < 0 ? len : -FDT_ERR_BADSTRUCTURE);
			return;
		}
		for (i = 0; i < ARRAY_SIZE(props); i++) {
			if (strcmp(name, props[i]) == 0) {
				break;
			}
		}
		if (i == ARRAY_SIZE(props) && !is_standard_prop(name)) {
			copy_clean(shown, sizeof(shown), name, SIZE_MAX);
			file_err(p, shown, CONFIG_E_VALUE,
				 "unknown property at the root");
		}
	}
	note_walk_end(p, off);
	fdt_for_each_subnode(off, p->fdt, 0) {
		name = fdt_get_name(p->fdt, off, &len);
		if (!name) {
			note_walk_end(p, len);
			return;
		}
		/* /images is the packer's (tools/mkbundle.py) and ignored. */
		if (strcmp(name, "partitions") != 0 &&
		    strcmp(name, "images") != 0 &&
		    strcmp(name, "virtual-ethernet") != 0 &&
		    strcmp(name, "vscsi-hosts") != 0 &&
		    strcmp(name, "disks") != 0) {
			copy_clean(shown, sizeof(shown), name, (size_t)len);
			file_err(p, NULL, CONFIG_E_VALUE,
				 "unknown node \"/%s\"", shown);
		}
	}
	note_walk_end(p, off);
}

/*
 * /disks (docs/config.md): one child per disk, `image` (a bundle image,
 * optional), `size` (u64 bytes, a multiple of 512; default the image's
 * size rounded up), `read-only` (empty).  An error marks the disk bad and
 * is the file's; the partitions using a bad disk are refused later.
 */
static void disk_err(struct parser *p, struct disk_config *d,
		     const char *prop, enum config_err code, const char *fmt,
		     ...) __printf(5, 6);

static void disk_err(struct parser *p, struct disk_config *d,
		     const char *prop, enum config_err code, const char *fmt,
		     ...)
{
	char msg[120];
	va_list ap;

	d->bad = true;
	va_start(ap, fmt);
	hv_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (prop) {
		file_err(p, NULL, code, "disk \"%s\": property \"%s\": %s",
			 d->name, prop, msg);
	} else {
		file_err(p, NULL, code, "disk \"%s\": %s", d->name, msg);
	}
}

static void parse_disk_prop(struct parser *p, struct disk_config *d,
			    const char *name, const uint8_t *val, int len)
{
	char shown[CONFIG_NAME_LEN];
	size_t n;

	if (strcmp(name, "image") == 0) {
		n = is_one_string(val, len) ? (size_t)len - 1 : 0;
		if (n == 0 || n >= CONFIG_NAME_LEN) {
			disk_err(p, d, name, CONFIG_E_FORMAT,
				 "must be one image name of 1 to "
				 "%d characters", CONFIG_NAME_LEN - 1);
			return;
		}
		for (size_t i = 0; i < n; i++) {
			if (!image_char_ok((char)val[i])) {
				copy_clean(shown, sizeof(shown),
					   (const char *)val, n);
				disk_err(p, d, name, CONFIG_E_VALUE,
					 "image name \"%s\" may only use a-z, "
					 "0-9, '.', '_' and '-'", shown);
				return;
			}
		}
		if (n == 6 && memcmp(val, "config", 6) == 0) {
			disk_err(p, d, name, CONFIG_E_VALUE,
				 "\"config\" is the configuration, not a "
				 "disk image");
			return;
		}
		memcpy(d->image, val, n + 1);
	} else if (strcmp(name, "size") == 0) {
		if (len != 8) {
			disk_err(p, d, name, CONFIG_E_FORMAT,
				 "must be one 64-bit value (2 cells)");
			return;
		}
		for (int i = 0; i < 8; i++) {
			d->size = d->size << 8 | val[i];
		}
		if (!d->size || !IS_ALIGNED(d->size, CONFIG_DISK_BLOCK)) {
			disk_err(p, d, name, CONFIG_E_VALUE,
				 "0x%llx is not a non-zero multiple "
				 "of %u bytes", (unsigned long long)d->size,
				 CONFIG_DISK_BLOCK);
		}
	} else if (strcmp(name, "read-only") == 0) {
		d->read_only = true;
	} else if (!is_standard_prop(name)) {
		copy_clean(shown, sizeof(shown), name, SIZE_MAX);
		disk_err(p, d, shown, CONFIG_E_VALUE, "unknown property");
	}
}

static void parse_disk(struct parser *p, int node, const char *name, int len)
{
	struct config *c = p->out;
	struct disk_config *d = &c->disks[c->disk_count++];
	const char *pname;
	const void *val;
	int off, plen;

	memset(d, 0, sizeof(*d));
	copy_clean(d->name, sizeof(d->name), name, (size_t)len);
	if (len <= 0 || len >= CONFIG_NAME_LEN) {
		disk_err(p, d, NULL, CONFIG_E_NAME,
			 "name must be 1 to %d characters", CONFIG_NAME_LEN - 1);
	}
	fdt_for_each_property_offset(off, p->fdt, node) {
		val = fdt_getprop_by_offset(p->fdt, off, &pname, &plen);
		if (!val || !pname) {
			note_walk_end(p, plen < 0 ? plen :
					 -FDT_ERR_BADSTRUCTURE);
			return;
		}
		parse_disk_prop(p, d, pname, val, plen);
	}
	note_walk_end(p, off);
}

static void parse_disks_node(struct parser *p)
{
	const char *name;
	int disks, node, len;

	disks = fdt_path_offset(p->fdt, "/disks");
	if (disks < 0) {
		return;
	}
	fdt_for_each_subnode(node, p->fdt, disks) {
		name = fdt_get_name(p->fdt, node, &len);
		if (!name) {
			note_walk_end(p, len);
			return;
		}
		if (p->out->disk_count == CONFIG_MAX_DISKS) {
			file_err(p, NULL, CONFIG_E_TOO_MANY,
				 "more than %d disks in /disks",
				 CONFIG_MAX_DISKS);
			return;
		}
		parse_disk(p, node, name, len);
	}
	note_walk_end(p, node);
}

/* A disk's image exists and fits its size; the size defaults to it. */
static void check_disk(struct parser *p, struct disk_config *d)
{
	const struct config_env *env = p->env;
	uint64_t isize = 0;
	char a[24], b[24];

	if (d->bad) {
		return;
	}
	if (!d->image[0]) {
		if (!d->size) {
			disk_err(p, d, "size", CONFIG_E_MISSING,
				 "a disk without \"image\" needs \"size\"");
		}
		return;
	}
	if (env->image_exists && !env->image_exists(env->ctx, d->image)) {
		disk_err(p, d, "image", CONFIG_E_IMAGE_MISSING,
			 "no image named \"%s\"", d->image);
		return;
	}
	if (env->image_size) {
		isize = env->image_size(env->ctx, d->image);
	}
	if (!d->size) {
		d->size = ALIGN_UP(isize, (uint64_t)CONFIG_DISK_BLOCK);
		if (!d->size) {
			disk_err(p, d, "size", CONFIG_E_MISSING,
				 "image \"%s\" is empty or of unknown "
				 "size: give \"size\"", d->image);
		}
	} else if (d->size < isize) {
		disk_err(p, d, "size", CONFIG_E_VALUE,
			 "size %s is smaller than image \"%s\" (%s)",
			 fmt_size(a, sizeof(a), d->size), d->image,
			 fmt_size(b, sizeof(b), isize));
	}
}

/* Refuse users of bad disks and a read-write disk's second user. */
static void check_disk_users(struct parser *p, struct lpar_config *l)
{
	struct disk_config *d;

	for (uint32_t i = 0; i < l->disk_count; i++) {
		d = &p->out->disks[l->disks[i]];
		if (d->bad) {
			lpar_err(p, l, "disks", CONFIG_E_DISK,
				 "disk \"%s\" is unusable (see its error)",
				 d->name);
		} else if (!d->read_only && d->rw_user) {
			lpar_err(p, l, "disks", CONFIG_E_DISK_SHARED,
				 "disk \"%s\" is read-write and already "
				 "given to partition \"%s\"", d->name,
				 p->out->lpars[d->rw_user - 1].name);
		} else if (!d->read_only && !l->refused) {
			d->rw_user = l->lpid;
		}
	}
}

/* Bytes of the disks that partitions not refused use. */
static uint64_t disk_bytes_used(const struct config *c)
{
	uint64_t sum = 0;

	for (uint32_t i = 0; i < c->disk_count; i++) {
		bool used = false;

		for (uint32_t j = 0; j < c->lpar_count && !used; j++) {
			const struct lpar_config *l = &c->lpars[j];

			for (uint32_t k = 0; k < l->disk_count; k++) {
				used |= !l->refused && l->disks[k] == i;
			}
		}
		if (used && !c->disks[i].bad) {
			sum += c->disks[i].size;
		}
	}
	return sum;
}

static enum config_err open_fdt(struct parser *p, size_t size)
{
	int err;

	if (!p->fdt || size < sizeof(struct fdt_header)) {
		return file_err(p, NULL, CONFIG_E_NOT_FDT,
				"%zu bytes: too short for a device tree", size);
	}
	err = fdt_check_header(p->fdt);
	if (err) {
		return file_err(p, NULL, CONFIG_E_NOT_FDT,
				"not a valid device tree (%s)",
				fdt_strerror(err));
	}
	if (fdt_totalsize(p->fdt) > size) {
		return file_err(p, NULL, CONFIG_E_NOT_FDT,
				"device tree claims %u bytes but only %zu "
				"are there", fdt_totalsize(p->fdt), size);
	}
	/* libfdt reads the structure block in 32-bit words from the
	 * header's offset: an unaligned one (config fuzzer finding 1)
	 * makes every read misaligned. */
	if (!IS_ALIGNED(fdt_off_dt_struct(p->fdt), 4)) {
		return file_err(p, NULL, CONFIG_E_NOT_FDT,
				"structure block at offset 0x%x is not "
				"4-byte aligned", fdt_off_dt_struct(p->fdt));
	}
	/* Every later walk trusts the tags (config fuzzer finding 2). */
	err = fdt_check_structure(p->fdt);
	if (err) {
		return file_err(p, NULL, CONFIG_E_NOT_FDT,
				"not a valid device tree (%s)",
				fdt_strerror(err));
	}
	return CONFIG_OK;
}

/**
 * Parse and check the configuration tree `fdt` (`size` bytes, 8-byte
 * aligned as libfdt requires) against `env`, which must not be NULL.
 * `out` is cleared first, then filled: every enabled partition in node
 * order (lpid 1..), each error with its partition and property.
 * Returns CONFIG_OK when the file is usable, even if partitions were
 * refused; CONFIG_E_NOT_FDT for a blob that is not a sound device tree;
 * CONFIG_E_COMPATIBLE for a missing or foreign root compatible;
 * CONFIG_E_NO_PARTITIONS when /partitions is absent or has no enabled
 * partition.  On any error return, no partition may be started.
 */
enum config_err config_parse(const void *fdt, size_t size,
			     const struct config_env *env, struct config *out)
{
	struct parser p;
	enum config_err e;
	uint32_t i;

	memset(out, 0, sizeof(*out));
	memset(&p, 0, sizeof(p));
	p.fdt = fdt;
	p.env = env;
	p.out = out;
	e = open_fdt(&p, size);
	if (e) {
		return e;
	}
	if (!compatible_ok(&p)) {
		return CONFIG_E_COMPATIBLE;
	}
	check_root(&p);
	parse_disks_node(&p);
	e = parse_partitions(&p);
	if (!e && !p.fdt_err) {
		check_core_overlap(&p);
		check_phb_overlap(&p);
		check_mem_overlap(&p);
		for (i = 0; i < out->disk_count; i++) {
			check_disk(&p, &out->disks[i]);
		}
		for (i = 0; i < out->lpar_count; i++) {
			check_images(&p, &out->lpars[i]);
			check_disk_users(&p, &out->lpars[i]);
		}
		parse_ethernet(&p);
		parse_vscsi_hosts(&p);
		check_mem_budget(&p);
	}
	if (p.fdt_err) {
		return file_err(&p, NULL, CONFIG_E_NOT_FDT,
				"corrupt device tree structure (%s)",
				fdt_strerror(p.fdt_err));
	}
	return e;
}

/** Printable name of an error code ("core overlap"); never NULL. */
const char *config_strerror(enum config_err e)
{
	static const char *const names[] = {
		[CONFIG_OK] = "no error",
		[CONFIG_E_NOT_FDT] = "not a device tree",
		[CONFIG_E_COMPATIBLE] = "wrong compatible",
		[CONFIG_E_NO_PARTITIONS] = "no partitions",
		[CONFIG_E_TOO_MANY] = "too many partitions",
		[CONFIG_E_NAME] = "bad partition name",
		[CONFIG_E_MISSING] = "missing property",
		[CONFIG_E_FORMAT] = "bad property format",
		[CONFIG_E_VALUE] = "bad value",
		[CONFIG_E_CORE_RANGE] = "no such core",
		[CONFIG_E_CORE_OVERLAP] = "core overlap",
		[CONFIG_E_MEM_ALIGN] = "memory not 256 MiB aligned",
		[CONFIG_E_MEM_TOO_BIG] = "not enough memory",
		[CONFIG_E_MEM_OVERLAP] = "memory overlap",
		[CONFIG_E_IMAGE_MISSING] = "image missing",
		[CONFIG_E_IMAGE_FORMAT] = "image not bootable",
		[CONFIG_E_UNSUPPORTED] = "not implemented yet",
		[CONFIG_E_PHB_RANGE] = "no such PHB",
		[CONFIG_E_PHB_OVERLAP] = "PHB overlap",
		[CONFIG_E_UNKNOWN_LPAR] = "unknown partition",
		[CONFIG_E_DUP_MAC] = "duplicate MAC address",
		[CONFIG_E_DISK] = "bad disk",
		[CONFIG_E_DISK_SHARED] = "read-write disk shared",
	};

	if ((unsigned)e >= ARRAY_SIZE(names) || !names[e]) {
		return "unknown error";
	}
	return names[e];
}

/** Number of partitions not refused.  Returns 0..CONFIG_MAX_LPARS. */
uint32_t config_good_count(const struct config *c)
{
	uint32_t i, n = 0;

	for (i = 0; i < c->lpar_count && i < CONFIG_MAX_LPARS; i++) {
		if (!c->lpars[i].refused) {
			n++;
		}
	}
	return n;
}
