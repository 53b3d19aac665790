/*
 * lparvisor-config: the host-side partition configuration checker.  It
 * compiles hv/config.c and hv/bundle.c unchanged, so a configuration it
 * accepts is one lparvisor accepts at boot for the same machine.  The
 * format is docs/config.md; the usage is in usage() below.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libfdt.h>

#include "hv/bundle.h"
#include "hv/config.h"

/* The default QEMU machine of `make run`: 4 cores, 4 GiB of which
 * firmware and lparvisor keep about 1 GiB. */
#define DEFAULT_CORES 4
#define DEFAULT_MEMORY (3 * SZ_1G)
/* PCI host bridges: QEMU 7.2 powernv9's six PHB4s of chip 0 (present
 * unless QEMU runs with -nodefaults, as make run does). */
#define DEFAULT_PHBS 6

/* --images DIR: image names resolve through the config's own
 * /images/<name> { file = "..."; } nodes, relative to DIR. */
struct dir_images {
	const void *cfg;
	const char *dir;
	char reason[128];
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: lparvisor-config check [CONFIG.dtb] [--cores N] "
		"[--memory SIZE]\n"
		"                              [--images DIR | --bundle "
		"B.itb] [--no-xive] [--power8]\n"
		"                              [--phbs CHIP:INDEX,...|none]\n"
		"\n"
		"Check a partition configuration (docs/config.md) as "
		"lparvisor would at boot.\n"
		"  --cores N      cores partitions may use (default %d)\n"
		"  --memory SIZE  memory partitions may use, e.g. 3G, 768M "
		"(default 3G)\n"
		"  --images DIR   check images named by /images/<name>/file, "
		"relative to DIR\n"
		"  --bundle B     check images against the FIT bundle B; "
		"without CONFIG,\n"
		"                 check the configuration the bundle carries\n"
		"  --no-xive      the machine has no XIVE: \"xive\" "
		"is refused,\n"
		"                 \"dual\" means XICS\n"
		"  --power8       a POWER8 machine: --no-xive, and radix "
		"partitions are\n"
		"                 refused (mmu = \"hash\" only)\n"
		"  --phbs LIST    the machine's PCI host bridges, e.g. "
		"0:0,0:1, or none\n"
		"                 (default: 0:0 to 0:5, QEMU powernv9 "
		"without -nodefaults)\n"
		"Prints each error, then one line per partition.  Exit status: "
		"0 all good,\n"
		"1 configuration errors, 2 usage or file errors.\n",
		DEFAULT_CORES);
}

/* Read a whole file into a malloc'd buffer (8-byte aligned, as libfdt
 * needs).  Returns NULL with errno set on failure. */
static void *read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	void *buf;

	if (!f) {
		return NULL;
	}
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
		fclose(f);
		errno = EINVAL;
		return NULL;
	}
	buf = malloc(st.st_size ? (size_t)st.st_size : 1);
	if (!buf ||
	    fread(buf, 1, (size_t)st.st_size, f) != (size_t)st.st_size) {
		free(buf);
		fclose(f);
		errno = EIO;
		return NULL;
	}
	fclose(f);
	*size = (size_t)st.st_size;
	return buf;
}

static bool parse_size(const char *s, uint64_t *out)
{
	unsigned long long v;
	char *end;
	int shift = 0;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s) {
		return false;
	}
	switch (*end) {
	case 'K':
	case 'k':
		shift = 10;
		break;
	case 'M':
	case 'm':
		shift = 20;
		break;
	case 'G':
	case 'g':
		shift = 30;
		break;
	case 'T':
	case 't':
		shift = 40;
		break;
	case '\0':
		break;
	default:
		return false;
	}
	if (shift) {
		end++;
		if (strcmp(end, "iB") == 0 || strcmp(end, "B") == 0) {
			end += strlen(end);
		}
	}
	if (*end || (shift && v > (UINT64_MAX >> shift))) {
		return false;
	}
	*out = (uint64_t)v << shift;
	return true;
}

static const char *size_str(char *buf, size_t size, uint64_t v)
{
	if (v && v % SZ_1G == 0) {
		snprintf(buf, size, "%llu GiB",
			 (unsigned long long)(v / SZ_1G));
	} else if (v && v % SZ_1M == 0) {
		snprintf(buf, size, "%llu MiB",
			 (unsigned long long)(v / SZ_1M));
	} else {
		snprintf(buf, size, "0x%llx", (unsigned long long)v);
	}
	return buf;
}

/* The file /images/<name>/file names, joined to the --images directory. */
static bool dir_image_path(struct dir_images *d, const char *name, char *path,
			   size_t size)
{
	const char *file;
	int images, node, len;

	images = fdt_path_offset(d->cfg, "/images");
	node = images < 0 ? images : fdt_subnode_offset(d->cfg, images, name);
	if (node < 0) {
		snprintf(d->reason, sizeof(d->reason), "no /images/%s node",
			 name);
		return false;
	}
	file = fdt_getprop(d->cfg, node, "file", &len);
	if (!file || len <= 1 ||
	    strnlen(file, (size_t)len) != (size_t)len - 1) {
		snprintf(d->reason, sizeof(d->reason),
			 "/images/%s has no \"file\" string", name);
		return false;
	}
	if (file[0] == '/') {
		snprintf(path, size, "%s", file);
	} else {
		snprintf(path, size, "%s/%s", d->dir, file);
	}
	return true;
}

static bool dir_image_exists(void *ctx, const char *name)
{
	struct dir_images *d = ctx;
	char path[4096];
	struct stat st;

	if (!dir_image_path(d, name, path, sizeof(path))) {
		return false;
	}
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static uint64_t dir_image_size(void *ctx, const char *name)
{
	struct dir_images *d = ctx;
	char path[4096];
	struct stat st;

	if (!dir_image_path(d, name, path, sizeof(path)) ||
	    stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
		return 0;
	}
	return (uint64_t)st.st_size;
}

static const char *dir_image_check(void *ctx, const char *name,
				   enum config_boot kind)
{
	struct dir_images *d = ctx;
	const char *why;
	char path[4096];
	void *data;
	size_t len;

	if (!dir_image_path(d, name, path, sizeof(path))) {
		return d->reason;
	}
	data = read_file(path, &len);
	if (!data) {
		snprintf(d->reason, sizeof(d->reason), "cannot read its file: "
			 "%s", strerror(errno));
		return d->reason;
	}
	why = bundle_check_boot(data, len, kind);
	free(data);
	return why;
}

/* Check the hash of every image in the bundle, whether or not the
 * configuration uses it.  Returns the number of bad images. */
static int check_bundle_images(const struct bundle *b, const char *path)
{
	const char *name;
	const void *data;
	enum bundle_err e;
	int images, node, bad = 0;
	size_t len;

	images = fdt_path_offset(b->fit, "/images");
	fdt_for_each_subnode(node, b->fit, images) {
		name = fdt_get_name(b->fit, node, NULL);
		if (!name) {
			break;
		}
		e = bundle_image(b, name, &data, &len);
		if (e) {
			printf("error: bundle %s: image \"%s\": %s\n", path,
			       name, bundle_strerror(e));
			bad++;
		}
	}
	if (node != -FDT_ERR_NOTFOUND) {
		printf("error: bundle %s: corrupt FIT structure (%s)\n", path,
		       fdt_strerror(node));
		bad++;
	}
	return bad;
}

static void print_lpar(const struct config *c, const struct lpar_config *l)
{
	char sz[32];
	uint32_t i;

	printf("lpar \"%s\" (lpid %u): ", l->name, l->lpid);
	if (l->refused) {
		printf("refused\n");
		return;
	}
	printf("accepted: cores ");
	for (i = 0; i < l->core_count; i++) {
		printf("%s%u", i ? "," : "", l->cores[i]);
	}
	printf(", memory %s", size_str(sz, sizeof(sz), l->mem_size));
	if (l->mem_base_set) {
		printf(" at 0x%llx", (unsigned long long)l->mem_base);
	}
	printf(", %s, %s, %s \"%s\"",
	       l->mmu == CONFIG_MMU_RADIX ? "radix" : "hash",
	       l->intc == CONFIG_INTC_XICS ? "xics" : "xive",
	       l->boot == CONFIG_BOOT_PAYLOAD ? "payload" : "kernel",
	       l->kernel);
	if (l->initramfs[0]) {
		printf(", initramfs \"%s\"", l->initramfs);
	}
	for (i = 0; i < l->phb_count; i++) {
		printf("%s%u:%u", i ? "," : ", PHBs ", l->phbs[i].chip,
		       l->phbs[i].index);
	}
	for (i = 0; i < l->disk_count; i++) {
		const struct disk_config *d = &c->disks[l->disks[i]];

		printf("%s\"%s\" %s%s", i ? ", " : ", disks ", d->name,
		       size_str(sz, sizeof(sz), d->size),
		       d->read_only ? " ro" : "");
	}
	printf("\n");
}

struct options {
	const char *config;
	const char *images;
	const char *bundle;
	uint32_t cores;
	uint64_t memory;
	bool no_xive;
	bool no_radix;
	uint32_t phb_count;
	struct config_phb phbs[64];
};

/* --phbs: "none" or CHIP:INDEX pairs separated by commas. */
static bool parse_phb_list(const char *val, struct options *o)
{
	const char *s = val;
	unsigned long chip, index;
	char *end;

	o->phb_count = 0;
	if (!strcmp(val, "none")) {
		return true;
	}
	for (;;) {
		errno = 0;
		chip = strtoul(s, &end, 0);
		if (errno || end == s || *end != ':' || chip > UINT32_MAX) {
			return false;
		}
		s = end + 1;
		index = strtoul(s, &end, 0);
		if (errno || end == s || index >= UINT32_MAX ||
		    o->phb_count == sizeof(o->phbs) / sizeof(o->phbs[0])) {
			return false;
		}
		o->phbs[o->phb_count].chip = (uint32_t)chip;
		o->phbs[o->phb_count].index = (uint32_t)index;
		o->phb_count++;
		if (*end == '\0') {
			return true;
		}
		if (*end != ',') {
			return false;
		}
		s = end + 1;
	}
}

static int bad_option(const char *opt, const char *val)
{
	fprintf(stderr, "lparvisor-config: bad %s \"%s\"\n", opt, val);
	return -1;
}

static int parse_args(int argc, char **argv, struct options *o)
{
	unsigned long v;
	char *end;
	int i;

	o->cores = DEFAULT_CORES;
	o->memory = DEFAULT_MEMORY;
	for (i = 0; i < DEFAULT_PHBS; i++) {
		o->phbs[i].chip = 0;
		o->phbs[i].index = (uint32_t)i;
	}
	o->phb_count = DEFAULT_PHBS;
	if (argc < 2 || strcmp(argv[1], "check") != 0) {
		if (argc >= 2 && (!strcmp(argv[1], "--help") ||
				  !strcmp(argv[1], "-h"))) {
			usage(stdout);
			exit(0);
		}
		return -1;
	}
	for (i = 2; i < argc; i++) {
		const char *a = argv[i];
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (a[0] != '-') {
			if (o->config) {
				return -1;
			}
			o->config = a;
			continue;
		}
		if (!strcmp(a, "--no-xive")) {
			o->no_xive = true;
			continue;
		}
		if (!strcmp(a, "--power8")) {
			o->no_xive = true;
			o->no_radix = true;
			continue;
		}
		if (!val) {
			return -1;
		}
		i++;
		if (!strcmp(a, "--cores")) {
			errno = 0;
			v = strtoul(val, &end, 0);
			if (errno || end == val || *end || v > UINT32_MAX) {
				return bad_option(a, val);
			}
			o->cores = (uint32_t)v;
		} else if (!strcmp(a, "--memory")) {
			if (!parse_size(val, &o->memory)) {
				return bad_option(a, val);
			}
		} else if (!strcmp(a, "--phbs")) {
			if (!parse_phb_list(val, o)) {
				return bad_option(a, val);
			}
		} else if (!strcmp(a, "--images")) {
			o->images = val;
		} else if (!strcmp(a, "--bundle")) {
			o->bundle = val;
		} else {
			return -1;
		}
	}
	if ((o->images && o->bundle) || (!o->config && !o->bundle)) {
		return -1;
	}
	return 0;
}

/* Load the bundle and, when no CONFIG was given, its "config" image
 * (copied out: libfdt wants 8-byte alignment, the bundle gives 4). */
static int load_bundle(const struct options *o, void **bundle_buf,
		       struct bundle *b, void **cfg, size_t *cfg_size,
		       int *bad)
{
	const void *data;
	enum bundle_err e;
	size_t size;

	*bundle_buf = read_file(o->bundle, &size);
	if (!*bundle_buf) {
		fprintf(stderr, "lparvisor-config: %s: %s\n", o->bundle,
			strerror(errno));
		return 2;
	}
	e = bundle_open(b, *bundle_buf, size);
	if (e) {
		printf("error: bundle %s: %s\n", o->bundle, bundle_strerror(e));
		return 1;
	}
	*bad = check_bundle_images(b, o->bundle);
	if (o->config) {
		return 0;
	}
	e = bundle_image(b, "config", &data, &size);
	if (e) {
		printf("error: bundle %s: image \"config\": %s\n", o->bundle,
		       bundle_strerror(e));
		return 1;
	}
	*cfg = malloc(size ? size : 1);
	if (!*cfg) {
		return 2;
	}
	memcpy(*cfg, data, size);
	*cfg_size = size;
	return 0;
}

static int report(const struct config *c, enum config_err e, int bad)
{
	uint32_t i, good;

	for (i = 0; i < c->error_count; i++) {
		printf("error: %s\n", c->errors[i].message);
	}
	if (c->errors_dropped) {
		printf("error: ... and %u more errors not shown\n",
		       c->errors_dropped);
	}
	if (e) {
		printf("config: unusable: %s\n", config_strerror(e));
		return 1;
	}
	for (i = 0; i < c->lpar_count; i++) {
		print_lpar(c, &c->lpars[i]);
	}
	good = config_good_count(c);
	printf("config: %u partition%s: %u accepted, %u refused\n",
	       c->lpar_count, c->lpar_count == 1 ? "" : "s", good,
	       c->lpar_count - good);
	return (c->error_count || c->errors_dropped || bad) ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct options o = { 0 };
	struct config_env env = { 0 };
	struct dir_images dir = { 0 };
	struct bundle b = { 0 };
	void *bundle_buf = NULL;
	void *cfg = NULL;
	size_t cfg_size = 0;
	struct config *c;
	enum config_err e;
	int rc, bad = 0;

	if (parse_args(argc, argv, &o)) {
		usage(stderr);
		return 2;
	}
	if (o.bundle) {
		rc = load_bundle(&o, &bundle_buf, &b, &cfg, &cfg_size, &bad);
		if (rc) {
			return rc;
		}
		bundle_config_env(&b, &env);
	}
	if (o.config) {
		cfg = read_file(o.config, &cfg_size);
		if (!cfg) {
			fprintf(stderr, "lparvisor-config: %s: %s\n", o.config,
				strerror(errno));
			return 2;
		}
	}
	if (o.images) {
		dir.cfg = cfg;
		dir.dir = o.images;
		env.image_exists = dir_image_exists;
		env.image_check = dir_image_check;
		env.image_size = dir_image_size;
		env.ctx = &dir;
		/* The /images lookups need a sound tree: config_parse()
		 * reports one that is not before anything else. */
		if (cfg_size < sizeof(struct fdt_header) ||
		    fdt_check_header(cfg) || fdt_totalsize(cfg) > cfg_size) {
			env.image_exists = NULL;
			env.image_check = NULL;
			env.image_size = NULL;
		}
	}
	env.core_count = o.cores;
	env.no_xive = o.no_xive;
	env.no_radix = o.no_radix;
	env.phb_count = o.phb_count;
	env.phbs = o.phbs;
	env.mem_available = o.memory;
	c = calloc(1, sizeof(*c));
	if (!c) {
		return 2;
	}
	e = config_parse(cfg, cfg_size, &env, c);
	rc = report(c, e, bad);
	free(c);
	free(cfg);
	free(bundle_buf);
	return rc;
}
