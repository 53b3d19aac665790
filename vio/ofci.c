/*
 * The Open Firmware client interface over a held tree (vio/ofci.h).
 * Matches what Linux 6.1's prom_init asks of it and QEMU 7.2's VOF
 * (hw/ppc/vof.c) answers: phandles are the tree's `phandle` values (nodes
 * without one get one at init), ihandles index a table of open instances,
 * claims are a list of ranges.  Every address from the client is a 32-bit
 * cell, checked against the partition's memory before one copy.
 */
#include <libfdt.h>

#include "hv/abi/hcall.h"
#include "hv/lib/string.h"
#include "vio/ofci.h"

#define NAME_MAX_OUT 64 /* a property name nextprop writes, with its NUL */

struct call {
	uint32_t nargs, nret;
	uint32_t a[OFCI_ARGS_MAX];
	uint32_t r[OFCI_ARGS_MAX];
};

static uint32_t be32_load(const void *p)
{
	const uint8_t *b = p;

	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	       (uint32_t)b[2] << 8 | b[3];
}

static void be32_store(void *p, uint32_t v)
{
	uint8_t *b = p;

	b[0] = (uint8_t)(v >> 24);
	b[1] = (uint8_t)(v >> 16);
	b[2] = (uint8_t)(v >> 8);
	b[3] = (uint8_t)v;
}

/*
 * Copy a NUL-terminated string of at most `max` - 1 characters from guest
 * real `gpa`: one copy of what lies there (up to the end of memory), then
 * the terminator looked for in the copy.  False when there is none.
 */
static bool read_str(const struct ofci *o, uint32_t gpa, char *buf,
		     size_t max)
{
	uint64_t n = max;

	if (gpa >= o->mem->size) {
		return false;
	}
	if (n > o->mem->size - gpa) {
		n = o->mem->size - gpa;
	}
	if (!gmem_read(o->mem, gpa, buf, n)) {
		return false;
	}
	return memchr(buf, 0, n) != NULL;
}

static int node_of(const struct ofci *o, uint32_t ph)
{
	if (!ph || ph == OFCI_ERROR) {
		return -FDT_ERR_BADPHANDLE;
	}
	return fdt_node_offset_by_phandle(o->fdt, ph);
}

static uint32_t phandle_of(const struct ofci *o, int off)
{
	return off < 0 ? OFCI_ERROR : fdt_get_phandle(o->fdt, off);
}

/* A node by path ("/a/b@1", an alias), arguments after ':' dropped. */
static int resolve(const struct ofci *o, char *path)
{
	char *colon = strchr(path, ':');

	if (colon) {
		*colon = 0;
	}
	if (!path[0]) {
		return -FDT_ERR_BADPATH;
	}
	return fdt_path_offset(o->fdt, path);
}

static int inst_node(const struct ofci *o, uint32_t ih)
{
	uint32_t i = ih - OFCI_IHANDLE_BASE;

	if (ih < OFCI_IHANDLE_BASE || i >= OFCI_INSTANCES || !o->inst[i]) {
		return -FDT_ERR_NOTFOUND;
	}
	return node_of(o, o->inst[i]);
}

static uint32_t inst_open(struct ofci *o, int off)
{
	uint32_t ph = phandle_of(o, off);

	if (ph == OFCI_ERROR || !ph) {
		return 0;
	}
	for (uint32_t i = 0; i < OFCI_INSTANCES; i++) {
		if (!o->inst[i]) {
			o->inst[i] = ph;
			return OFCI_IHANDLE_BASE + i;
		}
	}
	return 0;
}

/* Give every node without a phandle one, the old tree's for its path when
 * `old` has that node (so the client's handles survive a new tree). */
static int add_phandles(struct ofci *o, void *fdt, const void *old)
{
	char path[OFCI_STR_MAX];
	int depth = 0;

	for (int off = fdt_next_node(fdt, -1, &depth); off >= 0;
	     off = fdt_next_node(fdt, off, &depth)) {
		uint32_t ph = fdt_get_phandle(fdt, off);
		int rc;

		if (ph) {
			continue;
		}
		if (old && !fdt_get_path(fdt, off, path, sizeof(path))) {
			int oo = fdt_path_offset(old, path);

			ph = oo >= 0 ? fdt_get_phandle(old, oo) : 0;
			if (ph && fdt_node_offset_by_phandle(fdt, ph) >= 0) {
				ph = 0; /* taken in the new tree */
			}
		}
		if (!ph) {
			ph = o->next_phandle++;
		}
		rc = fdt_setprop_u32(fdt, off, "phandle", ph);
		if (rc) {
			return rc;
		}
	}
	return 0;
}

static void find_max_phandle(struct ofci *o, const void *fdt)
{
	uint32_t max = 0;

	if (!fdt_find_max_phandle(fdt, &max) && max + 1 > o->next_phandle) {
		o->next_phandle = max + 1;
	}
}

int ofci_init(struct ofci *o, void *fdt, void *spare, size_t cap,
	      const void *tree, const char *stdout_path)
{
	int rc, off, chosen;

	o->fdt = fdt;
	o->spare = spare;
	o->cap = cap;
	memset(o->inst, 0, sizeof(o->inst));
	o->claim_count = 0;
	o->next_phandle = 0x100;
	o->quiesced = false;
	o->cas_count = 0;
	rc = fdt_open_into(tree, fdt, (int)cap);
	if (rc) {
		return rc;
	}
	find_max_phandle(o, fdt);
	rc = add_phandles(o, fdt, NULL);
	if (rc) {
		return rc;
	}
	off = fdt_path_offset(fdt, stdout_path);
	chosen = fdt_path_offset(fdt, "/chosen");
	if (off < 0 || chosen < 0) {
		return off < 0 ? off : chosen;
	}
	o->stdout_ih = inst_open(o, off);
	if (!o->stdout_ih) {
		return -FDT_ERR_NOSPACE;
	}
	return fdt_setprop_u32(fdt, chosen, "stdout", o->stdout_ih);
}

static bool overlaps(const struct ofci *o, uint64_t base, uint64_t size)
{
	for (uint32_t i = 0; i < o->claim_count; i++) {
		const struct ofci_claim *c = &o->claims[i];

		if (base < c->base + c->size && c->base < base + size) {
			return true;
		}
	}
	return false;
}

bool ofci_claim_fixed(struct ofci *o, uint64_t base, uint64_t size)
{
	if (!size || !gmem_owns(o->mem, base, size) ||
	    o->claim_count == OFCI_CLAIMS || overlaps(o, base, size)) {
		return false;
	}
	o->claims[o->claim_count].base = base;
	o->claims[o->claim_count].size = size;
	o->claim_count++;
	return true;
}

/* --- Services --------------------------------------------------------- */

static void svc_finddevice(struct ofci *o, struct call *c)
{
	char path[OFCI_STR_MAX];

	if (read_str(o, c->a[0], path, sizeof(path))) {
		c->r[0] = phandle_of(o, resolve(o, path));
	}
}

/* The node's name without its unit address: OF's "name" property, which
 * a flattened tree leaves out. */
static const char *node_name(const struct ofci *o, int off, int *len)
{
	const char *n = fdt_get_name(o->fdt, off, len);
	const char *at;

	if (!n) {
		return NULL;
	}
	at = memchr(n, '@', (size_t)*len);
	if (at) {
		*len = (int)(at - n);
	}
	return n;
}

/* A property's value and length, "name" made up when the tree lacks it. */
static const void *prop_of(const struct ofci *o, uint32_t ph, uint32_t name_gpa,
			   int *len, bool *synth)
{
	char name[NAME_MAX_OUT];
	int off = node_of(o, ph);
	const void *v;

	*synth = false;
	if (off < 0 || !read_str(o, name_gpa, name, sizeof(name))) {
		return NULL;
	}
	v = fdt_getprop(o->fdt, off, name, len);
	if (!v && !strcmp(name, "name")) {
		v = node_name(o, off, len);
		*synth = v != NULL;
	}
	return v;
}

static void svc_getproplen(struct ofci *o, struct call *c)
{
	bool synth;
	int len;

	if (prop_of(o, c->a[0], c->a[1], &len, &synth)) {
		c->r[0] = (uint32_t)len + (synth ? 1 : 0);
	}
}

static void svc_getprop(struct ofci *o, struct call *c)
{
	bool synth;
	int len;
	const void *v = prop_of(o, c->a[0], c->a[1], &len, &synth);
	uint32_t n;

	if (!v) {
		return;
	}
	n = (uint32_t)len < c->a[3] ? (uint32_t)len : c->a[3];
	if (!gmem_write(o->mem, c->a[2], v, n)) {
		return;
	}
	if (synth) { /* the made-up name's terminator */
		if (n < c->a[3] && !gmem_write(o->mem, c->a[2] + n, "", 1)) {
			return;
		}
		len++;
	}
	c->r[0] = (uint32_t)len;
}

static void svc_nextprop(struct ofci *o, struct call *c)
{
	char prev[NAME_MAX_OUT];
	int off = node_of(o, c->a[0]), poff;
	bool take = false;

	if (off < 0 || !read_str(o, c->a[1], prev, sizeof(prev))) {
		return;
	}
	take = !prev[0];
	fdt_for_each_property_offset(poff, o->fdt, off) {
		const char *name;
		int len;

		if (!fdt_getprop_by_offset(o->fdt, poff, &name, &len)) {
			return;
		}
		if (take) {
			size_t n = strlen(name) + 1;

			if (n > NAME_MAX_OUT ||
			    !gmem_write(o->mem, c->a[2], name, n)) {
				return;
			}
			c->r[0] = 1;
			return;
		}
		take = !strcmp(name, prev);
	}
	if (take) {
		c->r[0] = 0; /* prev was the last one */
	}
}

static void svc_setprop(struct ofci *o, struct call *c)
{
	char name[NAME_MAX_OUT];
	int off = node_of(o, c->a[0]);
	uint32_t len = c->a[3];

	if (off < 0 || !read_str(o, c->a[1], name, sizeof(name)) ||
	    len > OFCI_PROP_MAX || len > o->cap ||
	    !strcmp(name, "phandle")) {
		return;
	}
	/* The spare tree buffer holds the copy: it is used only at CAS. */
	if (!gmem_read(o->mem, c->a[2], o->spare, len) ||
	    fdt_setprop(o->fdt, off, name, o->spare, (int)len)) {
		return;
	}
	c->r[0] = len;
}

static void svc_child(struct ofci *o, struct call *c)
{
	int off = node_of(o, c->a[0]);

	c->r[0] = 0;
	if (off >= 0 && (off = fdt_first_subnode(o->fdt, off)) >= 0) {
		c->r[0] = phandle_of(o, off);
	}
}

static void svc_peer(struct ofci *o, struct call *c)
{
	int off;

	c->r[0] = 0;
	if (!c->a[0]) {
		c->r[0] = phandle_of(o, 0); /* peer of 0: the root */
		return;
	}
	off = node_of(o, c->a[0]);
	if (off > 0 && (off = fdt_next_subnode(o->fdt, off)) >= 0) {
		c->r[0] = phandle_of(o, off);
	}
}

static void svc_parent(struct ofci *o, struct call *c)
{
	int off = node_of(o, c->a[0]);

	c->r[0] = 0;
	if (off > 0 && (off = fdt_parent_offset(o->fdt, off)) >= 0) {
		c->r[0] = phandle_of(o, off);
	}
}

/* Write node `off`'s full path into the client's buffer; its length. */
static void put_path(struct ofci *o, struct call *c, int off, uint32_t buf,
		     uint32_t len)
{
	char path[OFCI_STR_MAX];
	size_t n;

	if (off < 0 || fdt_get_path(o->fdt, off, path, sizeof(path))) {
		return;
	}
	n = strlen(path) + 1;
	if (n > len) {
		n = len;
	}
	if (gmem_write(o->mem, buf, path, n)) {
		c->r[0] = (uint32_t)strlen(path);
	}
}

static void svc_package_to_path(struct ofci *o, struct call *c)
{
	put_path(o, c, node_of(o, c->a[0]), c->a[1], c->a[2]);
}

static void svc_instance_to_path(struct ofci *o, struct call *c)
{
	put_path(o, c, inst_node(o, c->a[0]), c->a[1], c->a[2]);
}

static void svc_canon(struct ofci *o, struct call *c)
{
	char path[OFCI_STR_MAX];

	if (read_str(o, c->a[0], path, sizeof(path))) {
		put_path(o, c, resolve(o, path), c->a[1], c->a[2]);
	}
}

static void svc_instance_to_package(struct ofci *o, struct call *c)
{
	c->r[0] = phandle_of(o, inst_node(o, c->a[0]));
}

static void svc_open(struct ofci *o, struct call *c)
{
	char path[OFCI_STR_MAX];

	c->r[0] = 0;
	if (read_str(o, c->a[0], path, sizeof(path))) {
		c->r[0] = inst_open(o, resolve(o, path));
	}
}

static void svc_close(struct ofci *o, struct call *c)
{
	uint32_t i = c->a[0] - OFCI_IHANDLE_BASE;

	c->r[0] = 0;
	if (c->a[0] != o->stdout_ih && c->a[0] >= OFCI_IHANDLE_BASE &&
	    i < OFCI_INSTANCES) {
		o->inst[i] = 0;
	}
}

static void svc_write(struct ofci *o, struct call *c)
{
	char chunk[256];
	uint32_t done = 0, len = c->a[2];

	if (c->a[0] != o->stdout_ih || !gmem_owns(o->mem, c->a[1], len)) {
		return;
	}
	while (done < len) {
		uint32_t n = len - done < sizeof(chunk) ? len - done :
							  (uint32_t)sizeof(chunk);

		gmem_read(o->mem, (uint64_t)c->a[1] + done, chunk, n);
		o->ops->write(o->ctx, chunk, n);
		done += n;
	}
	c->r[0] = len;
}

static void svc_read(struct ofci *o, struct call *c)
{
	if (c->a[0] == o->stdout_ih) {
		c->r[0] = 0; /* no input is given to the firmware's client */
	}
}

static void svc_claim(struct ofci *o, struct call *c)
{
	uint64_t size = c->a[1], align = c->a[2], base = c->a[0];

	if (!size || o->claim_count == OFCI_CLAIMS) {
		return;
	}
	if (align) {
		if (align & (align - 1)) {
			return;
		}
		base = 0;
		while (base + size <= o->mem->size && overlaps(o, base, size)) {
			uint64_t end = 0;

			for (uint32_t i = 0; i < o->claim_count; i++) {
				const struct ofci_claim *k = &o->claims[i];

				if (base < k->base + k->size &&
				    k->base < base + size &&
				    k->base + k->size > end) {
					end = k->base + k->size;
				}
			}
			base = (end + align - 1) & ~(align - 1);
		}
	}
	if (base + size > 0x100000000ull || !ofci_claim_fixed(o, base, size)) {
		return;
	}
	c->r[0] = (uint32_t)base;
}

static void svc_release(struct ofci *o, struct call *c)
{
	for (uint32_t i = 0; i < o->claim_count; i++) {
		if (o->claims[i].base == c->a[0] &&
		    o->claims[i].size == c->a[1]) {
			o->claims[i] = o->claims[--o->claim_count];
			break;
		}
	}
	c->r[0] = 0;
}

/* Carry the client's additions to /chosen into the new tree. */
static int carry_chosen(struct ofci *o, void *nfdt)
{
	int from = fdt_path_offset(o->fdt, "/chosen");
	int to = fdt_path_offset(nfdt, "/chosen"), poff;

	if (from < 0 || to < 0) {
		return 0;
	}
	fdt_for_each_property_offset(poff, o->fdt, from) {
		const char *name;
		int len, rc;
		const void *v = fdt_getprop_by_offset(o->fdt, poff, &name, &len);

		if (!v || fdt_getprop(nfdt, to, name, NULL) ||
		    !strcmp(name, "phandle")) {
			continue;
		}
		rc = fdt_setprop(nfdt, to, name, v, len);
		if (rc) {
			return rc;
		}
		to = fdt_path_offset(nfdt, "/chosen");
	}
	return 0;
}

/* ibm,client-architecture-support on the instance of the root. */
static uint32_t method_cas(struct ofci *o, uint32_t vec)
{
	uint64_t n = OFCI_CAS_MAX;
	void *old = o->fdt;

	if (vec >= o->mem->size) {
		return OFCI_ERROR;
	}
	if (n > o->mem->size - vec) {
		n = o->mem->size - vec;
	}
	gmem_read(o->mem, vec, o->scratch, n);
	if (o->ops->cas(o->ctx, o->scratch, (size_t)n, o->spare, o->cap)) {
		return OFCI_ERROR;
	}
	if (fdt_open_into(o->spare, o->spare, (int)o->cap) ||
	    add_phandles(o, o->spare, old) || carry_chosen(o, o->spare)) {
		return OFCI_ERROR;
	}
	o->fdt = o->spare;
	o->spare = old;
	o->cas_count++;
	return 0;
}

static void svc_call_method(struct ofci *o, struct call *c)
{
	char method[OFCI_STR_MAX];

	if (c->nargs < 2 || c->nret < 1 ||
	    !read_str(o, c->a[0], method, sizeof(method))) {
		return;
	}
	if (!strcmp(method, "ibm,client-architecture-support") &&
	    c->nargs >= 3 && c->nret >= 2) {
		c->r[0] = 0;
		c->r[1] = method_cas(o, c->a[2]);
	} else if (!strcmp(method, "instantiate-rtas") && c->nargs >= 3 &&
		   c->nret >= 2 && inst_node(o, c->a[1]) >= 0 &&
		   o->ops->instantiate_rtas(o->ctx, c->a[2])) {
		c->r[0] = 0;
		c->r[1] = c->a[2]; /* the entry is the code at its base */
	}
}

static void svc_milliseconds(struct ofci *o, struct call *c)
{
	c->r[0] = o->ops->milliseconds(o->ctx);
}

static void svc_quiesce(struct ofci *o, struct call *c)
{
	o->quiesced = true;
	o->ops->quiesce(o->ctx);
	c->r[0] = 0;
}

static void svc_exit(struct ofci *o, struct call *c)
{
	o->ops->exit(o->ctx);
	c->r[0] = 0;
}

static void svc_test(struct ofci *o, struct call *c);

struct service {
	const char *name;
	void (*fn)(struct ofci *o, struct call *c);
	uint8_t nargs; /* at least this many arguments */
};

static const struct service services[] = {
	{ "finddevice", svc_finddevice, 1 },
	{ "getprop", svc_getprop, 4 },
	{ "getproplen", svc_getproplen, 2 },
	{ "nextprop", svc_nextprop, 3 },
	{ "setprop", svc_setprop, 4 },
	{ "child", svc_child, 1 },
	{ "peer", svc_peer, 1 },
	{ "parent", svc_parent, 1 },
	{ "instance-to-package", svc_instance_to_package, 1 },
	{ "package-to-path", svc_package_to_path, 3 },
	{ "instance-to-path", svc_instance_to_path, 3 },
	{ "canon", svc_canon, 3 },
	{ "open", svc_open, 1 },
	{ "close", svc_close, 1 },
	{ "read", svc_read, 3 },
	{ "write", svc_write, 3 },
	{ "claim", svc_claim, 3 },
	{ "release", svc_release, 2 },
	{ "call-method", svc_call_method, 2 },
	{ "milliseconds", svc_milliseconds, 0 },
	{ "quiesce", svc_quiesce, 0 },
	{ "exit", svc_exit, 0 },
	{ "test", svc_test, 1 },
};

static const struct service *find_service(const char *name)
{
	for (size_t i = 0; i < sizeof(services) / sizeof(services[0]); i++) {
		if (!strcmp(services[i].name, name)) {
			return &services[i];
		}
	}
	return NULL;
}

static void svc_test(struct ofci *o, struct call *c)
{
	char name[OFCI_STR_MAX];

	if (read_str(o, c->a[0], name, sizeof(name))) {
		c->r[0] = find_service(name) ? 0 : OFCI_ERROR;
	}
}

int64_t ofci_call(struct ofci *o, uint64_t args)
{
	uint8_t hdr[12], cells[OFCI_ARGS_MAX * 4];
	char name[OFCI_STR_MAX];
	const struct service *s;
	struct call c;

	o->calls++;
	if (args > 0xffffffffull || !gmem_read(o->mem, args, hdr, sizeof(hdr))) {
		o->refused++;
		return H_PARAMETER;
	}
	c.nargs = be32_load(hdr + 4);
	c.nret = be32_load(hdr + 8);
	if (c.nargs > OFCI_ARGS_MAX || c.nret > OFCI_ARGS_MAX - c.nargs ||
	    !gmem_read(o->mem, args + 12, cells, 4 * (c.nargs + c.nret))) {
		o->refused++;
		return H_PARAMETER;
	}
	memset(c.a, 0, sizeof(c.a));
	for (uint32_t i = 0; i < c.nargs; i++) {
		c.a[i] = be32_load(cells + 4 * i);
	}
	for (uint32_t i = 0; i < OFCI_ARGS_MAX; i++) {
		c.r[i] = OFCI_ERROR;
	}
	if (read_str(o, be32_load(hdr), name, sizeof(name)) &&
	    (s = find_service(name)) != NULL && c.nargs >= s->nargs) {
		s->fn(o, &c);
	}
	if (c.r[0] == OFCI_ERROR) {
		o->refused++;
	}
	for (uint32_t i = 0; i < c.nret; i++) {
		be32_store(cells + 4 * (c.nargs + i), c.r[i]);
	}
	if (c.nret) {
		gmem_write(o->mem, args + 12 + 4 * c.nargs,
			   cells + 4 * c.nargs, 4 * c.nret);
	}
	return H_SUCCESS;
}
