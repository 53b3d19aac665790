/*
 * Host device-tree parser.  Follows the tree skiboot v7.0 builds for its
 * payload (skiboot doc/device-tree.rst and doc/device-tree/), as seen on
 * QEMU 7.2 powernv8/9/10: cpus with ibm,ppc-interrupt-server#s, memory@
 * nodes, reserved ranges given three ways, /ibm,opal, the XIVE presenter
 * and the PHBs.
 */
#include <libfdt.h>

#include "hv/lib/format.h"
#include "hv/lib/string.h"
#include "platform-powernv/hostdt.h"

struct ctx {
	const void *fdt;
	struct machine *m;
	char *err;
	size_t errlen;
	int root_ac; /* #address-cells at the root */
	int root_sc; /* #size-cells at the root */
};

static enum hostdt_err fail(struct ctx *c, enum hostdt_err e,
			    const char *fmt, ...) __printf(3, 4);

static enum hostdt_err fail(struct ctx *c, enum hostdt_err e,
			    const char *fmt, ...)
{
	va_list ap;

	if (c->errlen) {
		va_start(ap, fmt);
		hv_vsnprintf(c->err, c->errlen, fmt, ap);
		va_end(ap);
	}
	return e;
}

static uint64_t read_cells(const be32 *p, int cells)
{
	uint64_t v = 0;

	for (int i = 0; i < cells; i++) {
		v = (v << 32) | be32_to_cpu(p[i]);
	}
	return v;
}

/* A 1- or 2-cell integer property; false when absent or another size. */
static bool prop_uint(const void *fdt, int node, const char *name,
		      uint64_t *out)
{
	int len;
	const be32 *p = fdt_getprop(fdt, node, name, &len);

	if (!p || (len != 4 && len != 8)) {
		return false;
	}
	*out = read_cells(p, len / 4);
	return true;
}

static void copy_name(char *dst, size_t size, const char *src, int len)
{
	size_t n = len < 0 ? 0 : (size_t)len;

	if (n >= size) {
		n = size - 1;
	}
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static int cells_of(const void *fdt, int node, const char *name, int dflt)
{
	uint64_t v;

	if (!prop_uint(fdt, node, name, &v) || v > 2) {
		return dflt;
	}
	return (int)v;
}

static bool chip_known(const struct machine *m, uint32_t chip)
{
	for (uint32_t i = 0; i < m->chip_count; i++) {
		if (m->chips[i] == chip) {
			return true;
		}
	}
	return false;
}

static enum hostdt_err add_chip(struct ctx *c, uint32_t chip)
{
	struct machine *m = c->m;
	uint32_t i;

	if (chip_known(m, chip)) {
		return HOSTDT_OK;
	}
	if (m->chip_count == MACHINE_MAX_CHIPS) {
		return fail(c, HOSTDT_TOO_MANY, "more than %d chips",
			    MACHINE_MAX_CHIPS);
	}
	for (i = m->chip_count; i > 0 && m->chips[i - 1] > chip; i--) {
		m->chips[i] = m->chips[i - 1];
	}
	m->chips[i] = chip;
	m->chip_count++;
	return HOSTDT_OK;
}

static bool is_device_type(const void *fdt, int node, const char *type)
{
	int len;
	const char *p = fdt_getprop(fdt, node, "device_type", &len);

	return p && len > 0 && strnlen(p, (size_t)len) < (size_t)len &&
	       strcmp(p, type) == 0;
}

static enum hostdt_err parse_cpu(struct ctx *c, int node, uint64_t tb_dflt)
{
	const char *name = fdt_get_name(c->fdt, node, NULL);
	struct machine *m = c->m;
	struct machine_core core = { 0 };
	const be32 *servers;
	uint64_t v;
	uint32_t i;
	int len;

	if (!prop_uint(c->fdt, node, "reg", &v)) {
		return fail(c, HOSTDT_BAD_CPU, "/cpus/%s: missing \"reg\"", name);
	}
	core.pir = (uint32_t)v;
	servers = fdt_getprop(c->fdt, node, "ibm,ppc-interrupt-server#s", &len);
	if (!servers || len <= 0 || len % 4) {
		return fail(c, HOSTDT_BAD_CPU,
			    "/cpus/%s: missing or malformed "
			    "\"ibm,ppc-interrupt-server#s\"", name);
	}
	if (len / 4 > MACHINE_MAX_THREADS) {
		return fail(c, HOSTDT_TOO_MANY, "/cpus/%s: %d threads, at most %d",
			    name, len / 4, MACHINE_MAX_THREADS);
	}
	core.thread_count = (uint32_t)len / 4;
	for (i = 0; i < core.thread_count; i++) {
		core.threads[i] = be32_to_cpu(servers[i]);
	}
	core.chip_id = prop_uint(c->fdt, node, "ibm,chip-id", &v) ? (uint32_t)v : 0;
	if (!prop_uint(c->fdt, node, "cpu-version", &v)) {
		return fail(c, HOSTDT_BAD_CPU, "/cpus/%s: missing \"cpu-version\"",
			    name);
	}
	core.pvr = (uint32_t)v;
	if (prop_uint(c->fdt, node, "timebase-frequency", &v) && v) {
		tb_dflt = v;
	}
	if (!m->tb_freq) {
		m->tb_freq = tb_dflt;
	}
	if (m->core_count == MACHINE_MAX_CORES) {
		return fail(c, HOSTDT_TOO_MANY, "more than %d cores",
			    MACHINE_MAX_CORES);
	}
	/* Keep cores sorted by PIR. */
	for (i = m->core_count; i > 0 && m->cores[i - 1].pir > core.pir; i--) {
		m->cores[i] = m->cores[i - 1];
	}
	m->cores[i] = core;
	m->core_count++;
	return add_chip(c, core.chip_id);
}

static enum hostdt_err parse_cpus(struct ctx *c)
{
	int cpus = fdt_path_offset(c->fdt, "/cpus");
	enum hostdt_err e;
	uint64_t tb = 0;
	int node;

	if (cpus < 0) {
		return fail(c, HOSTDT_NO_CPUS, "no /cpus node");
	}
	prop_uint(c->fdt, cpus, "timebase-frequency", &tb);
	fdt_for_each_subnode(node, c->fdt, cpus) {
		if (!is_device_type(c->fdt, node, "cpu")) {
			continue;
		}
		e = parse_cpu(c, node, tb);
		if (e) {
			return e;
		}
	}
	if (c->m->core_count == 0) {
		return fail(c, HOSTDT_NO_CPUS, "/cpus has no node with "
			    "device_type \"cpu\"");
	}
	if (c->m->tb_freq == 0) {
		return fail(c, HOSTDT_BAD_CPU, "/cpus: no \"timebase-frequency\"");
	}
	return HOSTDT_OK;
}

static enum hostdt_err add_mem(struct ctx *c, const char *name, uint64_t base,
			       uint64_t size, uint32_t chip)
{
	struct machine *m = c->m;
	uint32_t i;

	if (range_wraps(base, size)) {
		return fail(c, HOSTDT_BAD_MEMORY,
			    "/%s: range 0x%llx+0x%llx wraps", name,
			    (unsigned long long)base, (unsigned long long)size);
	}
	for (i = 0; i < m->mem_count; i++) {
		if (ranges_overlap(base, size, m->mem[i].base, m->mem[i].size)) {
			return fail(c, HOSTDT_BAD_MEMORY,
				    "/%s: range 0x%llx+0x%llx overlaps another "
				    "memory node", name,
				    (unsigned long long)base,
				    (unsigned long long)size);
		}
	}
	if (m->mem_count == MACHINE_MAX_MEM) {
		return fail(c, HOSTDT_TOO_MANY, "more than %d memory ranges",
			    MACHINE_MAX_MEM);
	}
	for (i = m->mem_count; i > 0 && m->mem[i - 1].base > base; i--) {
		m->mem[i] = m->mem[i - 1];
	}
	m->mem[i] = (struct machine_mem){ base, size, chip };
	m->mem_count++;
	return HOSTDT_OK;
}

static enum hostdt_err parse_memory(struct ctx *c)
{
	int cells = c->root_ac + c->root_sc;
	enum hostdt_err e;
	const be32 *reg;
	uint64_t chip;
	int node, len;

	fdt_for_each_subnode(node, c->fdt, 0) {
		const char *name = fdt_get_name(c->fdt, node, NULL);

		if (!is_device_type(c->fdt, node, "memory")) {
			continue;
		}
		reg = fdt_getprop(c->fdt, node, "reg", &len);
		if (!reg || len <= 0 || len % (4 * cells)) {
			return fail(c, HOSTDT_BAD_MEMORY,
				    "/%s: malformed \"reg\"", name);
		}
		if (!prop_uint(c->fdt, node, "ibm,chip-id", &chip)) {
			chip = 0;
		}
		for (int i = 0; i < len / (4 * cells); i++) {
			const be32 *p = reg + i * cells;
			uint64_t base = read_cells(p, c->root_ac);
			uint64_t size = read_cells(p + c->root_ac, c->root_sc);

			if (size == 0) {
				continue;
			}
			e = add_mem(c, name, base, size, (uint32_t)chip);
			if (e) {
				return e;
			}
		}
	}
	if (c->m->mem_count == 0) {
		return fail(c, HOSTDT_NO_MEMORY,
			    "no node with device_type \"memory\" and a "
			    "non-empty \"reg\"");
	}
	return HOSTDT_OK;
}

/*
 * Record a reserved range.  skiboot lists each range up to three times
 * (memreserve header, reserved-ranges, /reserved-memory); an exact
 * duplicate only fills in a missing name.
 */
static enum hostdt_err add_rsv(struct ctx *c, const char *where,
			       uint64_t base, uint64_t size, const char *name,
			       int name_len)
{
	struct machine *m = c->m;
	uint32_t i;

	if (size == 0) {
		return HOSTDT_OK;
	}
	if (range_wraps(base, size)) {
		return fail(c, HOSTDT_BAD_RESERVED,
			    "%s: reserved range 0x%llx+0x%llx wraps", where,
			    (unsigned long long)base, (unsigned long long)size);
	}
	for (i = 0; i < m->rsv_count; i++) {
		if (m->rsv[i].base == base && m->rsv[i].size == size) {
			if (!m->rsv[i].name[0] && name) {
				copy_name(m->rsv[i].name, MACHINE_NAME_LEN,
					  name, name_len);
			}
			return HOSTDT_OK;
		}
	}
	if (m->rsv_count == MACHINE_MAX_RSV) {
		return fail(c, HOSTDT_TOO_MANY, "more than %d reserved ranges",
			    MACHINE_MAX_RSV);
	}
	for (i = m->rsv_count; i > 0 && m->rsv[i - 1].base > base; i--) {
		m->rsv[i] = m->rsv[i - 1];
	}
	m->rsv[i] = (struct machine_rsv){ .base = base, .size = size };
	if (name) {
		copy_name(m->rsv[i].name, MACHINE_NAME_LEN, name, name_len);
	}
	m->rsv_count++;
	return HOSTDT_OK;
}

static enum hostdt_err parse_reserved_ranges(struct ctx *c)
{
	const char *names, *name_end;
	enum hostdt_err e;
	const be32 *p;
	int len, nlen;

	/* Root reserved-ranges: <addr size> pairs of two cells each. */
	p = fdt_getprop(c->fdt, 0, "reserved-ranges", &len);
	if (!p) {
		return HOSTDT_OK;
	}
	if (len % 16) {
		return fail(c, HOSTDT_BAD_RESERVED,
			    "/: \"reserved-ranges\" is not a list of "
			    "<address size> pairs");
	}
	names = fdt_getprop(c->fdt, 0, "reserved-names", &nlen);
	name_end = names ? names + nlen : NULL;
	for (int i = 0; i < len / 16; i++) {
		const char *name = NULL;
		int name_len = 0;

		if (names && names < name_end) {
			name = names;
			name_len = (int)strnlen(names, (size_t)(name_end - names));
			names += name_len + 1;
		}
		e = add_rsv(c, "/: \"reserved-ranges\"", read_cells(p + 4 * i, 2),
			    read_cells(p + 4 * i + 2, 2), name, name_len);
		if (e) {
			return e;
		}
	}
	return HOSTDT_OK;
}

static enum hostdt_err parse_reserved_memory(struct ctx *c)
{
	int parent = fdt_path_offset(c->fdt, "/reserved-memory");
	enum hostdt_err e;
	char path[MACHINE_NAME_LEN + 40];
	int node, ac, sc;

	if (parent < 0) {
		return HOSTDT_OK;
	}
	ac = cells_of(c->fdt, parent, "#address-cells", c->root_ac);
	sc = cells_of(c->fdt, parent, "#size-cells", c->root_sc);
	fdt_for_each_subnode(node, c->fdt, parent) {
		int nlen, len;
		const char *name = fdt_get_name(c->fdt, node, &nlen);
		const char *at = memchr(name, '@', (size_t)nlen);
		const be32 *reg = fdt_getprop(c->fdt, node, "reg", &len);

		if (!reg) {
			continue; /* dynamically placed: nothing to keep */
		}
		if (ac == 0 || sc == 0 || len % (4 * (ac + sc))) {
			return fail(c, HOSTDT_BAD_RESERVED,
				    "/reserved-memory/%s: malformed \"reg\"",
				    name);
		}
		hv_snprintf(path, sizeof(path), "/reserved-memory/%s: \"reg\"",
			    name);
		if (at) {
			nlen = (int)(at - name);
		}
		for (int i = 0; i < len / (4 * (ac + sc)); i++) {
			const be32 *p = reg + i * (ac + sc);

			e = add_rsv(c, path, read_cells(p, ac),
				    read_cells(p + ac, sc), name, nlen);
			if (e) {
				return e;
			}
		}
	}
	return HOSTDT_OK;
}

static enum hostdt_err parse_reserved(struct ctx *c)
{
	enum hostdt_err e;
	uint64_t base, size;
	int n = fdt_num_mem_rsv(c->fdt);

	/* Named sources first, so duplicates from the header keep names. */
	e = parse_reserved_ranges(c);
	if (e) {
		return e;
	}
	e = parse_reserved_memory(c);
	if (e) {
		return e;
	}
	for (int i = 0; i < n; i++) {
		if (fdt_get_mem_rsv(c->fdt, i, &base, &size) == 0) {
			e = add_rsv(c, "header: memreserve", base, size, NULL, 0);
			if (e) {
				return e;
			}
		}
	}
	return HOSTDT_OK;
}

static void parse_console(struct ctx *c, int opal)
{
	int consoles = fdt_subnode_offset(c->fdt, opal, "consoles");
	uint64_t reg;
	int node;

	if (consoles < 0) {
		return;
	}
	fdt_for_each_subnode(node, c->fdt, consoles) {
		if (fdt_node_check_compatible(c->fdt, node,
					      "ibm,opal-console-raw") == 0 &&
		    prop_uint(c->fdt, node, "reg", &reg)) {
			c->m->has_console = true;
			c->m->console_term = (uint32_t)reg;
			return;
		}
	}
}

/*
 * The system flash: the node /chosen/ibm,system-flash names, else the
 * first "ibm,opal-flash" under /ibm,opal.  A node without an id, a size
 * or a block size is ignored (no flash).
 */
static void parse_flash(struct ctx *c, int opal)
{
	struct machine_flash *fl = &c->m->flash;
	int chosen = fdt_path_offset(c->fdt, "/chosen");
	const char *path = NULL;
	uint64_t id, size, block;
	int node = -1, len;

	if (chosen >= 0) {
		path = fdt_getprop(c->fdt, chosen, "ibm,system-flash", &len);
		if (path && (len <= 0 || strnlen(path, (size_t)len) ==
						 (size_t)len)) {
			path = NULL;
		}
	}
	if (path) {
		node = fdt_path_offset(c->fdt, path);
	}
	if (node < 0) {
		fdt_for_each_subnode(node, c->fdt, opal) {
			if (fdt_node_check_compatible(c->fdt, node,
						      "ibm,opal-flash") == 0) {
				break;
			}
		}
	}
	if (node < 0 ||
	    fdt_node_check_compatible(c->fdt, node, "ibm,opal-flash") != 0 ||
	    !prop_uint(c->fdt, node, "ibm,opal-id", &id) ||
	    !prop_uint(c->fdt, node, "reg", &size) ||
	    !prop_uint(c->fdt, node, "ibm,flash-block-size", &block) ||
	    id > 0xffffffffull || !size || size > 0xffffffffull || !block ||
	    block > 0xffffffffull) {
		return;
	}
	fl->present = true;
	fl->opal_id = (uint32_t)id;
	fl->size = size;
	fl->block_size = (uint32_t)block;
	fl->no_erase = fdt_getprop(c->fdt, node, "no-erase", &len) != NULL;
}

static enum hostdt_err parse_opal(struct ctx *c)
{
	int opal = fdt_path_offset(c->fdt, "/ibm,opal");
	struct machine *m = c->m;
	uint64_t hb;

	if (opal < 0) {
		return fail(c, HOSTDT_NO_OPAL, "no /ibm,opal node: not "
			    "started by OPAL firmware");
	}
	if (!prop_uint(c->fdt, opal, "opal-base-address", &m->opal_base) ||
	    !prop_uint(c->fdt, opal, "opal-entry-address", &m->opal_entry)) {
		return fail(c, HOSTDT_NO_OPAL, "/ibm,opal: missing "
			    "\"opal-base-address\" or \"opal-entry-address\"");
	}
	prop_uint(c->fdt, opal, "opal-runtime-size", &m->opal_size);
	m->heartbeat_ms = 2000; /* skiboot's default when the tree is silent */
	if (prop_uint(c->fdt, opal, "ibm,heartbeat-ms", &hb) && hb) {
		m->heartbeat_ms = (uint32_t)MIN(hb, 60000ull);
	}
	parse_console(c, opal);
	parse_flash(c, opal);
	return HOSTDT_OK;
}

static void parse_xive(struct ctx *c)
{
	int node = fdt_node_offset_by_compatible(c->fdt, -1, "ibm,opal-xive-pe");
	int cells = c->root_ac + c->root_sc;
	const be32 *reg;
	uint64_t prio;
	int len;

	if (node < 0) {
		return;
	}
	reg = fdt_getprop(c->fdt, node, "reg", &len);
	if (!reg || len < 4 * 4 * cells) {
		return;
	}
	c->m->xive.present = true;
	for (int i = 0; i < 4; i++) {
		c->m->xive.tima[i] = read_cells(reg + i * cells, c->root_ac);
	}
	if (prop_uint(c->fdt, node, "ibm,xive-#priorities", &prio)) {
		c->m->xive.priorities = (uint32_t)prio;
	}
}

/* Where the ICP address of the thread with PIR `server` goes, or NULL. */
static uint64_t *icp_slot(struct machine *m, uint32_t server)
{
	for (uint32_t i = 0; i < m->core_count; i++) {
		struct machine_core *core = &m->cores[i];

		for (uint32_t t = 0; t < core->thread_count; t++) {
			if (core->threads[t] == server) {
				return &core->icp[t];
			}
		}
	}
	return NULL;
}

/*
 * POWER8's interrupt presenters (QEMU 7.2 pnv.c, skiboot hdata): one node
 * "IBM,ppc-xicp" per range of servers, with a `reg` pair (a 4 KiB page)
 * for each server of "ibm,interrupt-server-ranges".  Servers no thread has
 * and malformed nodes are skipped: a thread without an ICP gets no kicks.
 */
static void parse_icps(struct ctx *c)
{
	int cells = c->root_ac + c->root_sc;
	int node = -1;

	while ((node = fdt_node_offset_by_compatible(c->fdt, node,
						     "IBM,ppc-xicp")) >= 0) {
		const be32 *range, *reg;
		int rlen, len;
		uint32_t first, count;

		range = fdt_getprop(c->fdt, node, "ibm,interrupt-server-ranges",
				    &rlen);
		reg = fdt_getprop(c->fdt, node, "reg", &len);
		if (!range || rlen != 8 || !reg || len < 0) {
			continue;
		}
		first = be32_to_cpu(range[0]);
		count = be32_to_cpu(range[1]);
		if ((uint64_t)count * 4 * (uint64_t)cells > (uint64_t)len) {
			count = (uint32_t)len / (4u * (uint32_t)cells);
		}
		for (uint32_t i = 0; i < count; i++) {
			uint64_t *slot = icp_slot(c->m, first + i);

			if (slot) {
				*slot = read_cells(reg + i * cells, c->root_ac);
			}
		}
	}
}

/* The 32-bit memory window of a PHB's ranges: PCI address 3 cells (space
 * code in bits 24-25 of the first), CPU address root_ac cells, size in the
 * node's #size-cells.  Entries of other spaces are skipped. */
static void parse_phb_ranges(struct ctx *c, int node, struct machine_phb *phb)
{
	int sc = cells_of(c->fdt, node, "#size-cells", 2);
	int entry = 3 + c->root_ac + sc;
	const be32 *r;
	int len;

	r = fdt_getprop(c->fdt, node, "ranges", &len);
	if (!r || len <= 0 || sc < 1 || sc > 2) {
		return;
	}
	for (int i = 0; (i + 1) * entry * 4 <= len; i++) {
		const be32 *e = r + i * entry;
		uint32_t space = (be32_to_cpu(e[0]) >> 24) & 3;

		if (space != 2 || phb->m32_size) {
			continue;
		}
		phb->m32_pci = read_cells(e + 1, 2);
		phb->m32_cpu = read_cells(e + 3, c->root_ac);
		phb->m32_size = read_cells(e + 3 + c->root_ac, sc);
	}
}

static void parse_phb(struct ctx *c, int node, struct machine_phb *phb)
{
	const char *compat, *status;
	const be32 *p;
	uint64_t v;
	int len;

	phb->chip_id = prop_uint(c->fdt, node, "ibm,chip-id", &v) ?
			       (uint32_t)v : 0;
	phb->index = prop_uint(c->fdt, node, "ibm,phb-index", &v) &&
				     v < MACHINE_PHB_NO_INDEX ?
			     (uint32_t)v : MACHINE_PHB_NO_INDEX;
	p = fdt_getprop(c->fdt, node, "reg", &len);
	if (p && len >= 4 * c->root_ac) {
		phb->reg_base = read_cells(p, c->root_ac);
	}
	if (p && len >= 4 * (2 * c->root_ac + c->root_sc)) {
		phb->esb_base = read_cells(p + c->root_ac + c->root_sc,
					   c->root_ac);
	}
	status = fdt_getprop(c->fdt, node, "status", &len);
	phb->okay = !status || (len >= 2 && memcmp(status, "ok", 2) == 0);
	p = fdt_getprop(c->fdt, node, "bus-range", &len);
	if (p && len == 8 && be32_to_cpu(p[0]) <= be32_to_cpu(p[1]) &&
	    be32_to_cpu(p[1]) <= 0xff) {
		phb->bus_first = be32_to_cpu(p[0]);
		phb->bus_last = be32_to_cpu(p[1]);
	}
	parse_phb_ranges(c, node, phb);
	p = fdt_getprop(c->fdt, node, "ibm,opal-m64-window", &len);
	if (p && len == 24) {
		phb->m64_pci = read_cells(p, 2);
		phb->m64_cpu = read_cells(p + 2, 2);
		phb->m64_size = read_cells(p + 4, 2);
	}
	if (prop_uint(c->fdt, node, "ibm,opal-num-pes", &v) && v <= 0x10000) {
		phb->num_pes = (uint32_t)v;
	}
	if (prop_uint(c->fdt, node, "ibm,opal-reserved-pe", &v) &&
	    v < phb->num_pes) {
		phb->reserved_pe = (uint32_t)v;
	}
	p = fdt_getprop(c->fdt, node, "ibm,opal-msi-ranges", &len);
	if (p && len == 8) {
		phb->msi_base = be32_to_cpu(p[0]);
		phb->msi_count = be32_to_cpu(p[1]);
		/* skiboot takes one block per PHB: the MSIs, then 8 LSIs,
		 * INTA..INTD first (hw/phb4.c phb4_create base_lsi; phb3.c
		 * alike).  OPAL_XIVE_GET_IRQ_INFO confirms each is an LSI
		 * before a partition gets it. */
		if (phb->msi_count && phb->msi_base < 0xfffff000u &&
		    phb->msi_count < 0x1000u) {
			phb->lsi_base = phb->msi_base + phb->msi_count;
			phb->lsi_count = MACHINE_PHB_INTX;
		}
	}
	compat = fdt_getprop(c->fdt, node, "compatible", &len);
	if (compat && len > 0) {
		copy_name(phb->compatible, MACHINE_NAME_LEN, compat,
			  (int)strnlen(compat, (size_t)len));
	}
}

static enum hostdt_err parse_phbs(struct ctx *c)
{
	struct machine *m = c->m;
	int node;

	fdt_for_each_subnode(node, c->fdt, 0) {
		struct machine_phb *phb;
		uint64_t v;

		if (!prop_uint(c->fdt, node, "ibm,opal-phbid", &v)) {
			continue;
		}
		if (m->phb_count == MACHINE_MAX_PHBS) {
			return fail(c, HOSTDT_TOO_MANY, "more than %d PHBs",
				    MACHINE_MAX_PHBS);
		}
		phb = &m->phbs[m->phb_count++];
		memset(phb, 0, sizeof(*phb));
		phb->opal_id = v;
		parse_phb(c, node, phb);
	}
	return HOSTDT_OK;
}

static void parse_chosen(struct ctx *c)
{
	int chosen = fdt_path_offset(c->fdt, "/chosen");
	const char *args;
	int len;

	if (chosen < 0) {
		return;
	}
	args = fdt_getprop(c->fdt, chosen, "bootargs", &len);
	if (args && len > 0) {
		copy_name(c->m->bootargs, sizeof(c->m->bootargs), args,
			  (int)strnlen(args, (size_t)len));
	}
	if (!prop_uint(c->fdt, chosen, "linux,initrd-start", &c->m->initrd_start) ||
	    !prop_uint(c->fdt, chosen, "linux,initrd-end", &c->m->initrd_end) ||
	    c->m->initrd_end <= c->m->initrd_start) {
		c->m->initrd_start = 0;
		c->m->initrd_end = 0;
	}
}

static enum hostdt_err check_boot_cpu(struct ctx *c)
{
	struct machine *m = c->m;

	m->boot_pir = fdt_boot_cpuid_phys(c->fdt);
	for (uint32_t i = 0; i < m->core_count; i++) {
		for (uint32_t t = 0; t < m->cores[i].thread_count; t++) {
			if (m->cores[i].threads[t] == m->boot_pir) {
				m->family = machine_family_from_pvr(m->cores[i].pvr);
				return HOSTDT_OK;
			}
		}
	}
	return fail(c, HOSTDT_NO_BOOT_CPU,
		    "header: boot_cpuid_phys 0x%x is not a thread of any "
		    "cpu node", m->boot_pir);
}

/*
 * Walk every node and property once so that a truncated or corrupted
 * structure block is refused before any lookup relies on it.
 */
static bool structure_ok(const void *fdt)
{
	int node = 0, depth = 0, prop, len;

	while (node >= 0) {
		if (!fdt_get_name(fdt, node, &len)) {
			return false;
		}
		fdt_for_each_property_offset(prop, fdt, node) {
			const char *name;

			if (!fdt_getprop_by_offset(fdt, prop, &name, &len) ||
			    !name) {
				return false;
			}
		}
		if (prop != -FDT_ERR_NOTFOUND) {
			return false;
		}
		node = fdt_next_node(fdt, node, &depth);
		if (node >= 0 && depth < 0) {
			return true; /* closed the root node */
		}
	}
	return node == -FDT_ERR_NOTFOUND;
}

enum hostdt_err hostdt_parse(const void *fdt, size_t fdt_size,
			     struct machine *m, char *err, size_t errlen)
{
	struct ctx c = { fdt, m, err, errlen, 2, 1 };
	enum hostdt_err e;
	const char *compat;
	int len;

	memset(m, 0, sizeof(*m));
	if (errlen) {
		err[0] = '\0';
	}
	if (fdt_size < sizeof(struct fdt_header) || fdt_check_header(fdt) ||
	    fdt_totalsize(fdt) > fdt_size || !structure_ok(fdt)) {
		return fail(&c, HOSTDT_BAD_HEADER,
			    "not a valid flattened device tree");
	}
	c.root_ac = cells_of(fdt, 0, "#address-cells", 2);
	c.root_sc = cells_of(fdt, 0, "#size-cells", 1);
	if (c.root_ac == 0 || c.root_sc == 0) {
		return fail(&c, HOSTDT_BAD_MEMORY,
			    "/: #address-cells and #size-cells must be 1 or 2");
	}
	compat = fdt_getprop(fdt, 0, "compatible", &len);
	if (compat && len > 0) {
		copy_name(m->model, sizeof(m->model), compat,
			  (int)strnlen(compat, (size_t)len));
	}
	e = parse_cpus(&c);
	if (!e) {
		e = check_boot_cpu(&c);
	}
	if (!e) {
		e = parse_memory(&c);
	}
	if (!e) {
		e = parse_reserved(&c);
	}
	if (!e) {
		e = parse_opal(&c);
	}
	if (!e) {
		e = parse_phbs(&c);
	}
	if (e) {
		return e;
	}
	parse_xive(&c);
	parse_icps(&c);
	parse_chosen(&c);
	return HOSTDT_OK;
}
