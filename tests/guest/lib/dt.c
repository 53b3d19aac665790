/*
 * Device-tree helpers for the guest payloads, over libfdt (the sources
 * Debian ships in linux-source-6.1, built with hv/lib/fdt/libfdt_env.h).
 */
#include "hv/lib/string.h"
#include "tests/guest/lib/dt.h"

#include <libfdt.h>

static const void *dt_blob;

bool dt_init(const void *fdt)
{
	if (fdt_check_header(fdt) != 0) {
		dt_blob = NULL;
		return false;
	}
	dt_blob = fdt;
	return true;
}

const void *dt_fdt(void)
{
	return dt_blob;
}

int dt_path(const char *path)
{
	if (!dt_blob) {
		return -FDT_ERR_BADMAGIC;
	}
	return fdt_path_offset(dt_blob, path);
}

const void *dt_prop(int node, const char *name, int *len)
{
	if (!dt_blob || node < 0) {
		return NULL;
	}
	return fdt_getprop(dt_blob, node, name, len);
}

bool dt_prop_u32(int node, const char *name, uint32_t *out)
{
	int len;
	const be32 *p = dt_prop(node, name, &len);

	if (!p || len < 4) {
		return false;
	}
	*out = be32_to_cpu(p[0]);
	return true;
}

bool dt_prop_num(int node, const char *name, uint64_t *out)
{
	int len;
	const be32 *p = dt_prop(node, name, &len);

	if (!p) {
		return false;
	}
	if (len == 4) {
		*out = be32_to_cpu(p[0]);
		return true;
	}
	if (len == 8) {
		*out = ((uint64_t)be32_to_cpu(p[0]) << 32) | be32_to_cpu(p[1]);
		return true;
	}
	return false;
}

const char *dt_prop_str(int node, const char *name)
{
	int len;
	const char *p = dt_prop(node, name, &len);

	if (!p || len < 1 || p[len - 1] != '\0') {
		return NULL;
	}
	return p;
}

int dt_child_compatible(int parent, const char *compat)
{
	int node;

	if (!dt_blob || parent < 0) {
		return -FDT_ERR_NOTFOUND;
	}
	fdt_for_each_subnode(node, dt_blob, parent) {
		if (fdt_node_check_compatible(dt_blob, node, compat) == 0) {
			return node;
		}
	}
	return -FDT_ERR_NOTFOUND;
}

int dt_vdevice(const char *device_type, uint32_t *unit)
{
	int vdev = dt_path("/vdevice");
	int node;

	if (!dt_blob || vdev < 0) {
		return -FDT_ERR_NOTFOUND;
	}
	fdt_for_each_subnode(node, dt_blob, vdev) {
		const char *type = dt_prop_str(node, "device_type");

		if (type && !strcmp(type, device_type) &&
		    dt_prop_u32(node, "reg", unit)) {
			return node;
		}
	}
	return -FDT_ERR_NOTFOUND;
}

uint64_t dt_ram_size(void)
{
	int len;
	const be32 *reg = dt_prop(dt_path("/memory@0"), "reg", &len);

	/* The root has #address-cells = #size-cells = 2 on pseries. */
	if (!reg || len < 16) {
		return 0;
	}
	return ((uint64_t)be32_to_cpu(reg[2]) << 32) | be32_to_cpu(reg[3]);
}

uint32_t dt_boot_cpuid(void)
{
	return dt_blob ? fdt_boot_cpuid_phys(dt_blob) : 0;
}

/*
 * The first word of /chosen/bootargs that is `prefix` followed by '='
 * (equals) or by the end of the word (!equals), or NULL.
 */
static const char *bootarg_find(const char *prefix, bool equals)
{
	const char *args = dt_prop_str(dt_path("/chosen"), "bootargs");
	size_t n = strlen(prefix);

	for (const char *p = args; p && *p; p++) {
		if ((p == args || p[-1] == ' ') && strncmp(p, prefix, n) == 0 &&
		    (equals ? p[n] == '=' : p[n] == ' ' || p[n] == '\0')) {
			return p;
		}
	}
	return NULL;
}

const char *dt_bootarg(const char *key)
{
	const char *p = bootarg_find(key, true);

	return p ? p + strlen(key) + 1 : NULL;
}

bool dt_bootarg_is(const char *key, const char *value)
{
	const char *v = dt_bootarg(key);
	size_t n = strlen(value);

	return v && strncmp(v, value, n) == 0 && (v[n] == ' ' || v[n] == '\0');
}

bool dt_bootarg_word(const char *word)
{
	return bootarg_find(word, false) != NULL;
}

bool dt_on_lparvisor(void)
{
	const char *model = dt_prop_str(dt_path("/"), "model");
	static const char what[] = "lparvisor";

	for (const char *p = model; p && *p; p++) {
		if (!strncmp(p, what, sizeof(what) - 1)) {
			return true;
		}
	}
	return false;
}
