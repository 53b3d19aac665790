/*
 * Tests for vio/ofci.c, the client interface over a held tree: each
 * service as prom_init calls it, and every way a client can name memory
 * that is not its own (argument array, strings without a terminator,
 * buffers past the end), counts beyond the array, unknown services and
 * handles; claims; the tree swap at CAS keeping phandles and the client's
 * /chosen properties.
 */
#include <libfdt.h>
#include <stdlib.h>
#include <string.h>

#include "hv/abi/hcall.h"
#include "tests/unit/test.h"
#include "vio/ofci.h"

#define MEM_SIZE 0x100000u
#define CAP 0x8000u
#define ARGS 0x1000u  /* the argument array */
#define STR 0x2000u   /* strings the calls name */
#define BUF 0x3000u   /* buffers the calls fill */

static uint8_t *mem;
static struct gmem gm;
static struct ofci oc;
static uint8_t tree[CAP], b1[CAP], b2[CAP];
static char out[4096];
static size_t out_len;
static int cas_rc;
static uint64_t rtas_base;
static int quiesced, exited;

static void w_write(void *ctx, const char *b, size_t n)
{
	(void)ctx;
	memcpy(out + out_len, b, n);
	out_len += n;
}

/* The tree after CAS: the old one with a new node and a changed value. */
static int w_cas(void *ctx, const uint8_t *vec, size_t n, void *buf,
		 size_t cap)
{
	(void)ctx;
	(void)vec;
	(void)n;
	if (cas_rc) {
		return cas_rc;
	}
	if (fdt_create(buf, (int)cap) || fdt_finish_reservemap(buf) ||
	    fdt_begin_node(buf, "") || fdt_property_string(buf, "model", "after") ||
	    fdt_begin_node(buf, "aaa-new") || fdt_end_node(buf) ||
	    fdt_begin_node(buf, "chosen") ||
	    fdt_property_string(buf, "bootargs", "new") || fdt_end_node(buf) ||
	    fdt_begin_node(buf, "vdevice") || fdt_begin_node(buf, "vty@71000000") ||
	    fdt_end_node(buf) || fdt_end_node(buf) || fdt_end_node(buf) ||
	    fdt_finish(buf)) {
		return -1;
	}
	return 0;
}

static bool w_rtas(void *ctx, uint64_t base)
{
	(void)ctx;
	rtas_base = base;
	return base < MEM_SIZE;
}

static void w_quiesce(void *ctx)
{
	(void)ctx;
	quiesced++;
}

static void w_exit(void *ctx)
{
	(void)ctx;
	exited++;
}

static uint32_t w_ms(void *ctx)
{
	(void)ctx;
	return 1234;
}

static const struct ofci_ops ops = { w_write, w_cas, w_rtas, w_quiesce,
				     w_exit, w_ms };

static void build_tree(void)
{
	REQUIRE_EQ(fdt_create(tree, CAP), 0);
	REQUIRE_EQ(fdt_finish_reservemap(tree), 0);
	REQUIRE_EQ(fdt_begin_node(tree, ""), 0);
	REQUIRE_EQ(fdt_property_string(tree, "model", "before"), 0);
	REQUIRE_EQ(fdt_property_u32(tree, "#address-cells", 2), 0);
	REQUIRE_EQ(fdt_begin_node(tree, "chosen"), 0);
	REQUIRE_EQ(fdt_property_string(tree, "bootargs", "old"), 0);
	REQUIRE_EQ(fdt_end_node(tree), 0);
	REQUIRE_EQ(fdt_begin_node(tree, "rtas"), 0);
	REQUIRE_EQ(fdt_property_u32(tree, "rtas-size", 0x1000), 0);
	REQUIRE_EQ(fdt_end_node(tree), 0);
	REQUIRE_EQ(fdt_begin_node(tree, "interrupt-controller"), 0);
	REQUIRE_EQ(fdt_property_u32(tree, "phandle", 0x1111), 0);
	REQUIRE_EQ(fdt_end_node(tree), 0);
	REQUIRE_EQ(fdt_begin_node(tree, "vdevice"), 0);
	REQUIRE_EQ(fdt_begin_node(tree, "vty@71000000"), 0);
	REQUIRE_EQ(fdt_property_string(tree, "device_type", "serial"), 0);
	REQUIRE_EQ(fdt_end_node(tree), 0);
	REQUIRE_EQ(fdt_end_node(tree), 0);
	REQUIRE_EQ(fdt_end_node(tree), 0);
	REQUIRE_EQ(fdt_finish(tree), 0);
}

static void setup(void)
{
	if (!mem) {
		mem = malloc(MEM_SIZE);
	}
	memset(mem, 0, MEM_SIZE);
	gm.hpa = (uint64_t)(uintptr_t)mem;
	gm.size = MEM_SIZE;
	memset(&oc, 0, sizeof(oc));
	oc.mem = &gm;
	oc.ops = &ops;
	out_len = 0;
	cas_rc = 0;
	quiesced = exited = 0;
	build_tree();
	REQUIRE_EQ(ofci_init(&oc, b1, b2, CAP, tree, "/vdevice/vty@71000000"),
		   0);
}

static void mput(uint32_t gpa, uint32_t v)
{
	mem[gpa] = (uint8_t)(v >> 24);
	mem[gpa + 1] = (uint8_t)(v >> 16);
	mem[gpa + 2] = (uint8_t)(v >> 8);
	mem[gpa + 3] = (uint8_t)v;
}

static uint32_t mget(uint32_t gpa)
{
	return (uint32_t)mem[gpa] << 24 | (uint32_t)mem[gpa + 1] << 16 |
	       (uint32_t)mem[gpa + 2] << 8 | mem[gpa + 3];
}

/* A string at STR + slot * 256. */
static uint32_t str(int slot, const char *s)
{
	uint32_t at = STR + (uint32_t)slot * 256;

	strcpy((char *)mem + at, s);
	return at;
}

static uint32_t rets[OFCI_ARGS_MAX];
static int64_t rc;

/* Call `service` with `nargs` arguments; rets[] gets `nret` cells. */
static uint32_t call(const char *service, uint32_t nargs, uint32_t nret,
		     const uint32_t *a)
{
	mput(ARGS, str(15, service));
	mput(ARGS + 4, nargs);
	mput(ARGS + 8, nret);
	for (uint32_t i = 0; i < nargs; i++) {
		mput(ARGS + 12 + 4 * i, a[i]);
	}
	for (uint32_t i = 0; i < nret; i++) {
		mput(ARGS + 12 + 4 * (nargs + i), 0xdeadbeef);
	}
	rc = ofci_call(&oc, ARGS);
	for (uint32_t i = 0; i < nret; i++) {
		rets[i] = mget(ARGS + 12 + 4 * (nargs + i));
	}
	return nret ? rets[0] : 0;
}

static uint32_t find(const char *path)
{
	uint32_t a[] = { str(0, path) };

	return call("finddevice", 1, 1, a);
}

TEST(ofci, finddevice_gives_phandles_and_minus_one)
{
	setup();
	CHECK_NE(find("/"), OFCI_ERROR);
	CHECK_NE(find("/chosen"), OFCI_ERROR);
	CHECK_EQ(find("/interrupt-controller"), 0x1111);
	CHECK_EQ(find("/vdevice/vty@71000000:args"), find("/vdevice/vty@71000000"));
	CHECK_EQ(find("/nope"), OFCI_ERROR);
	CHECK_EQ(find(""), OFCI_ERROR);
	CHECK_EQ(rc, H_SUCCESS);
}

TEST(ofci, strings_without_terminator_are_refused)
{
	uint32_t a[1];

	setup();
	/* The last bytes of memory, no NUL before the end. */
	memset(mem + MEM_SIZE - 8, 'x', 8);
	a[0] = MEM_SIZE - 8;
	CHECK_EQ(call("finddevice", 1, 1, a), OFCI_ERROR);
	a[0] = MEM_SIZE;
	CHECK_EQ(call("finddevice", 1, 1, a), OFCI_ERROR);
	a[0] = 0xfffffff0u;
	CHECK_EQ(call("finddevice", 1, 1, a), OFCI_ERROR);
	/* A path of OFCI_STR_MAX characters: longer than any accepted. */
	memset(mem + STR, '/', OFCI_STR_MAX);
	mem[STR + OFCI_STR_MAX] = 0;
	a[0] = STR;
	CHECK_EQ(call("finddevice", 1, 1, a), OFCI_ERROR);
}

TEST(ofci, hostile_argument_arrays_get_h_parameter)
{
	uint32_t a[1] = { 0 };

	setup();
	mput(ARGS, str(15, "milliseconds"));
	mput(ARGS + 4, OFCI_ARGS_MAX + 1);
	mput(ARGS + 8, 0);
	CHECK_EQ(ofci_call(&oc, ARGS), H_PARAMETER);
	mput(ARGS + 4, 5);
	mput(ARGS + 8, 6); /* 11 cells */
	CHECK_EQ(ofci_call(&oc, ARGS), H_PARAMETER);
	mput(ARGS + 4, 0xffffffffu);
	mput(ARGS + 8, 2); /* wraps to 1 */
	CHECK_EQ(ofci_call(&oc, ARGS), H_PARAMETER);
	CHECK_EQ(ofci_call(&oc, MEM_SIZE - 8), H_PARAMETER);
	CHECK_EQ(ofci_call(&oc, 0x100000000ull + ARGS), H_PARAMETER);
	/* Counts fine, cells past the end of memory. */
	memcpy(mem + MEM_SIZE - 12, mem + ARGS, 4);
	mput(MEM_SIZE - 8, 1);
	mput(MEM_SIZE - 4, 1);
	CHECK_EQ(ofci_call(&oc, MEM_SIZE - 12), H_PARAMETER);
	/* Too few arguments for the service: -1, the array is fine. */
	CHECK_EQ(call("getprop", 1, 1, a), OFCI_ERROR);
	CHECK_EQ(rc, H_SUCCESS);
	CHECK_EQ(call("no-such-service", 1, 1, a), OFCI_ERROR);
	CHECK_EQ(rc, H_SUCCESS);
	CHECK_EQ(call("milliseconds", 0, 1, a), 1234);
	CHECK_GE(oc.refused, 7);
}

TEST(ofci, getprop_copies_at_most_the_buffer_and_names_nodes)
{
	uint32_t ph, a[4];

	setup();
	ph = find("/");
	a[0] = ph;
	a[1] = str(1, "model");
	CHECK_EQ(call("getproplen", 2, 1, a), 7);
	a[2] = BUF;
	a[3] = 3;
	memset(mem + BUF, 0x77, 16);
	CHECK_EQ(call("getprop", 4, 1, a), 7);
	CHECK(!memcmp(mem + BUF, "bef", 3));
	CHECK_EQ(mem[BUF + 3], 0x77);
	/* A buffer running past the end of memory: nothing written. */
	a[2] = MEM_SIZE - 2;
	a[3] = 16;
	CHECK_EQ(call("getprop", 4, 1, a), OFCI_ERROR);
	/* "name" made up from the node name, unit address dropped. */
	a[0] = find("/vdevice/vty@71000000");
	a[1] = str(1, "name");
	a[2] = BUF;
	a[3] = 32;
	CHECK_EQ(call("getprop", 4, 1, a), 4);
	CHECK_STR_EQ((char *)mem + BUF, "vty");
	CHECK_EQ(call("getproplen", 2, 1, a), 4);
	a[1] = str(1, "absent");
	CHECK_EQ(call("getprop", 4, 1, a), OFCI_ERROR);
	a[0] = 0x7777;
	CHECK_EQ(call("getproplen", 2, 1, a), OFCI_ERROR);
	a[0] = 0;
	CHECK_EQ(call("getproplen", 2, 1, a), OFCI_ERROR);
}

TEST(ofci, nextprop_walks_every_property_once)
{
	uint32_t a[3];
	int n = 0;

	setup();
	a[0] = find("/");
	a[1] = str(1, "");
	a[2] = BUF;
	while (call("nextprop", 3, 1, a) == 1 && n < 10) {
		strcpy((char *)mem + STR + 256, (char *)mem + BUF);
		n++;
	}
	CHECK_EQ(rets[0], 0);
	CHECK_EQ(n, 3); /* model, #address-cells, phandle (added) */
	a[1] = str(1, "not-there");
	CHECK_EQ(call("nextprop", 3, 1, a), OFCI_ERROR);
	a[1] = str(1, "");
	a[2] = MEM_SIZE - 2;
	CHECK_EQ(call("nextprop", 3, 1, a), OFCI_ERROR);
}

TEST(ofci, setprop_adds_values_and_refuses_bad_ones)
{
	uint32_t a[4];

	setup();
	a[0] = find("/chosen");
	a[1] = str(1, "linux,stdout-path");
	a[2] = str(2, "/vdevice/vty@71000000");
	a[3] = 22;
	CHECK_EQ(call("setprop", 4, 1, a), 22);
	a[2] = BUF;
	CHECK_EQ(call("getprop", 4, 1, a), 22);
	CHECK_STR_EQ((char *)mem + BUF, "/vdevice/vty@71000000");
	a[2] = MEM_SIZE - 4; /* value past memory */
	a[3] = 8;
	CHECK_EQ(call("setprop", 4, 1, a), OFCI_ERROR);
	a[2] = BUF;
	a[3] = OFCI_PROP_MAX + 1;
	CHECK_EQ(call("setprop", 4, 1, a), OFCI_ERROR);
	a[3] = CAP; /* more than the tree holds */
	CHECK_EQ(call("setprop", 4, 1, a), OFCI_ERROR);
	a[1] = str(1, "phandle");
	a[3] = 4;
	CHECK_EQ(call("setprop", 4, 1, a), OFCI_ERROR);
	CHECK_NE(find("/chosen"), OFCI_ERROR); /* handles unchanged */
}

/* Walk the tree with child and peer, as prom_init's flattening does. */
static int walk(uint32_t ph, int depth)
{
	uint32_t a[1] = { ph };
	int n = 1;

	if (depth >= 8) {
		return 1000; /* a loop: fails the count */
	}
	for (uint32_t c = call("child", 1, 1, a); c && c != OFCI_ERROR;) {
		uint32_t p[1] = { c };

		n += walk(c, depth + 1);
		CHECK_EQ(call("parent", 1, 1, p), ph);
		c = call("peer", 1, 1, p);
	}
	return n;
}

TEST(ofci, child_peer_and_parent_cover_the_tree)
{
	uint32_t a[1] = { 0 };

	setup();
	CHECK_EQ(call("peer", 1, 1, a), find("/"));
	CHECK_EQ(walk(find("/"), 0), 6);
	a[0] = find("/");
	CHECK_EQ(call("parent", 1, 1, a), 0);
	CHECK_EQ(call("peer", 1, 1, a), 0);
	a[0] = 0x9999;
	CHECK_EQ(call("child", 1, 1, a), 0);
}

TEST(ofci, paths_are_cut_to_the_buffer)
{
	uint32_t a[3];

	setup();
	a[0] = find("/vdevice/vty@71000000");
	a[1] = BUF;
	a[2] = 5;
	memset(mem + BUF, 0x77, 32);
	CHECK_EQ(call("package-to-path", 3, 1, a), 21);
	CHECK(!memcmp(mem + BUF, "/vdev", 5));
	CHECK_EQ(mem[BUF + 5], 0x77);
	a[2] = 64;
	CHECK_EQ(call("package-to-path", 3, 1, a), 21);
	CHECK_STR_EQ((char *)mem + BUF, "/vdevice/vty@71000000");
	a[1] = MEM_SIZE - 4;
	CHECK_EQ(call("package-to-path", 3, 1, a), OFCI_ERROR);
	a[0] = str(1, "/vdevice/vty@71000000:0");
	a[1] = BUF;
	CHECK_EQ(call("canon", 3, 1, a), 21);
}

TEST(ofci, instances_of_stdout_and_others)
{
	uint32_t a[3], stdout_ih, ih;
	int opened = 0;

	setup();
	a[0] = find("/chosen");
	a[1] = str(1, "stdout");
	a[2] = BUF;
	a[3 - 1] = BUF;
	{
		uint32_t g[4] = { a[0], a[1], BUF, 4 };

		REQUIRE_EQ(call("getprop", 4, 1, g), 4);
	}
	stdout_ih = mget(BUF);
	a[0] = stdout_ih;
	CHECK_EQ(call("instance-to-package", 1, 1, a),
		 find("/vdevice/vty@71000000"));
	a[1] = BUF;
	a[2] = 64;
	CHECK_EQ(call("instance-to-path", 3, 1, a), 21);
	call("close", 1, 0, a); /* stdout stays open */
	CHECK_EQ(call("instance-to-package", 1, 1, a),
		 find("/vdevice/vty@71000000"));
	a[0] = str(1, "/rtas");
	ih = call("open", 1, 1, a);
	CHECK_NE(ih, 0);
	a[0] = ih;
	CHECK_EQ(call("instance-to-package", 1, 1, a), find("/rtas"));
	call("close", 1, 0, a);
	CHECK_EQ(call("instance-to-package", 1, 1, a), OFCI_ERROR);
	a[0] = str(1, "/nope");
	CHECK_EQ(call("open", 1, 1, a), 0);
	a[0] = str(1, "/");
	while (call("open", 1, 1, a) != 0 && opened < 100) {
		opened++;
	}
	CHECK_EQ(opened, OFCI_INSTANCES - 1);
	a[0] = 5;
	CHECK_EQ(call("instance-to-package", 1, 1, a), OFCI_ERROR);
	a[0] = OFCI_IHANDLE_BASE + OFCI_INSTANCES;
	CHECK_EQ(call("instance-to-package", 1, 1, a), OFCI_ERROR);
}

TEST(ofci, write_goes_to_the_console_only_for_stdout)
{
	uint32_t a[3];

	setup();
	a[0] = oc.stdout_ih;
	a[1] = str(1, "hello from prom_init\n");
	a[2] = 21;
	CHECK_EQ(call("write", 3, 1, a), 21);
	CHECK_EQ(out_len, 21);
	CHECK(!memcmp(out, "hello from prom_init\n", 21));
	a[2] = 600; /* several chunks */
	CHECK_EQ(call("write", 3, 1, a), 600);
	CHECK_EQ(out_len, 621);
	a[1] = MEM_SIZE - 10;
	a[2] = 11;
	CHECK_EQ(call("write", 3, 1, a), OFCI_ERROR);
	a[0] = oc.stdout_ih + 1;
	a[1] = STR;
	a[2] = 4;
	CHECK_EQ(call("write", 3, 1, a), OFCI_ERROR);
	CHECK_EQ(out_len, 621);
	a[0] = oc.stdout_ih;
	CHECK_EQ(call("read", 3, 1, a), 0);
}

TEST(ofci, claims_never_overlap_and_stay_in_memory)
{
	uint32_t a[3];

	setup();
	REQUIRE(ofci_claim_fixed(&oc, 0, 0x10000));
	CHECK(!ofci_claim_fixed(&oc, 0x8000, 0x10000));
	a[0] = 0x4000;
	a[1] = 0x1000;
	a[2] = 0;
	CHECK_EQ(call("claim", 3, 1, a), OFCI_ERROR);
	a[0] = 0x20000;
	CHECK_EQ(call("claim", 3, 1, a), 0x20000);
	CHECK_EQ(call("claim", 3, 1, a), OFCI_ERROR);
	a[0] = MEM_SIZE - 0x800;
	CHECK_EQ(call("claim", 3, 1, a), OFCI_ERROR);
	a[0] = 0xfffff000u;
	CHECK_EQ(call("claim", 3, 1, a), OFCI_ERROR);
	a[0] = 0x30000;
	a[1] = 0;
	CHECK_EQ(call("claim", 3, 1, a), OFCI_ERROR);
	/* With an alignment: the lowest free place. */
	a[0] = 0;
	a[1] = 0x1000;
	a[2] = 0x10000;
	CHECK_EQ(call("claim", 3, 1, a), 0x10000);
	CHECK_EQ(call("claim", 3, 1, a), 0x30000);
	a[2] = 0x3000; /* not a power of two */
	CHECK_EQ(call("claim", 3, 1, a), OFCI_ERROR);
	a[1] = MEM_SIZE;
	a[2] = 0x1000;
	CHECK_EQ(call("claim", 3, 1, a), OFCI_ERROR);
	/* Released, claimed again. */
	a[0] = 0x20000;
	a[1] = 0x1000;
	call("release", 2, 0, a);
	a[2] = 0;
	CHECK_EQ(call("claim", 3, 1, a), 0x20000);
}

TEST(ofci, cas_swaps_the_tree_and_keeps_handles)
{
	uint32_t a[4], chosen, vty, root, ih, g[4];

	setup();
	chosen = find("/chosen");
	vty = find("/vdevice/vty@71000000");
	root = find("/");
	a[0] = chosen;
	a[1] = str(1, "linux,stdout-package");
	a[2] = BUF;
	a[3] = 4;
	mput(BUF, vty);
	REQUIRE_EQ(call("setprop", 4, 1, a), 4);
	a[0] = str(2, "/");
	ih = call("open", 1, 1, a);
	a[0] = str(3, "ibm,client-architecture-support");
	a[1] = ih;
	a[2] = 0x8000;
	CHECK_EQ(call("call-method", 3, 2, a), 0);
	CHECK_EQ(rets[1], 0);
	CHECK_EQ(oc.cas_count, 1);
	CHECK_EQ(find("/chosen"), chosen);
	CHECK_EQ(find("/vdevice/vty@71000000"), vty);
	CHECK_EQ(find("/"), root);
	CHECK_NE(find("/aaa-new"), OFCI_ERROR);
	CHECK_EQ(find("/rtas"), OFCI_ERROR);
	g[0] = chosen;
	g[1] = str(1, "bootargs");
	g[2] = BUF;
	g[3] = 16;
	CHECK_EQ(call("getprop", 4, 1, g), 4);
	CHECK_STR_EQ((char *)mem + BUF, "new");
	g[1] = str(1, "linux,stdout-package");
	CHECK_EQ(call("getprop", 4, 1, g), 4);
	CHECK_EQ(mget(BUF), vty);
	g[1] = str(1, "stdout");
	CHECK_EQ(call("getprop", 4, 1, g), 4);
	CHECK_EQ(mget(BUF), oc.stdout_ih);
	/* Refused: the tree stays; a vector past memory is refused too. */
	cas_rc = -1;
	CHECK_EQ(call("call-method", 3, 2, a), 0);
	CHECK_EQ(rets[1], OFCI_ERROR);
	CHECK_NE(find("/aaa-new"), OFCI_ERROR);
	cas_rc = 0;
	a[2] = MEM_SIZE;
	CHECK_EQ(call("call-method", 3, 2, a), 0);
	CHECK_EQ(rets[1], OFCI_ERROR);
	CHECK_EQ(oc.cas_count, 1);
}

TEST(ofci, methods_rtas_quiesce_exit_and_test)
{
	uint32_t a[3], ih;

	setup();
	a[0] = str(2, "/rtas");
	ih = call("open", 1, 1, a);
	a[0] = str(3, "instantiate-rtas");
	a[1] = ih;
	a[2] = 0x40000;
	CHECK_EQ(call("call-method", 3, 2, a), 0);
	CHECK_EQ(rets[1], 0x40000);
	CHECK_EQ(rtas_base, 0x40000);
	a[2] = MEM_SIZE;
	CHECK_EQ(call("call-method", 3, 2, a), OFCI_ERROR);
	a[1] = 0x1234; /* no such instance */
	a[2] = 0x40000;
	CHECK_EQ(call("call-method", 3, 2, a), OFCI_ERROR);
	a[0] = str(3, "no-such-method");
	a[1] = ih;
	CHECK_EQ(call("call-method", 3, 2, a), OFCI_ERROR);
	CHECK_EQ(call("call-method", 1, 1, a), OFCI_ERROR);
	call("quiesce", 0, 0, a);
	CHECK_EQ(quiesced, 1);
	CHECK(oc.quiesced);
	a[0] = str(1, "claim");
	CHECK_EQ(call("test", 1, 1, a), 0);
	a[0] = str(1, "boot");
	CHECK_EQ(call("test", 1, 1, a), OFCI_ERROR);
	call("exit", 0, 0, a);
	CHECK_EQ(exited, 1);
}
