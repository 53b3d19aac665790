/*
 * Tests for vio/slof.c through the hcall dispatcher and its unit: SLOF's
 * hcalls are H_FUNCTION without firmware = "slof" and before a boot
 * placed SLOF; the firmware hook copies SLOF to 0 and enters it at 0x100
 * with r3 = the tree; KVMPPC_H_LOGICAL_MEMOP, KVMPPC_H_CAS and
 * KVMPPC_H_UPDATE_DT refuse buffers outside the partition and answer
 * within it (the argument rules themselves: slof_calls_test.c).  Built
 * against tests/unit/fake/ (whose lpar_build_tree() is an empty tree).
 */
#include <libfdt.h>
#include <string.h>

#include "hv/abi/hcall.h"
#include "hv/config.h"
#include "hv/lpar.h"
#include "hv/mce.h"
#include "hv/unit.h"
#include "hv/vcpu.h"
#include "tests/unit/fake/fake.h"
#include "tests/unit/fake/guestcall.h"
#include "tests/unit/test.h"

#if !defined(FAKE_HV_CPU_H) || !defined(FAKE_HV_LOCK_H)
#error "slof_test.c must be built with -Itests/unit/fake ahead of -I."
#endif

/* More than twice SLOF's 40 MiB: the smallest partition it runs in. */
#define MEM_SIZE 0x5800000ull
#define FDT_GPA (MEM_SIZE - 0x200000ull)
#define KERNEL 0x400000ull

static const uint8_t blob[64] = { 0x48, 0x00, 0x3f, 0x00, 0xde, 0xad };

static struct lpar *web;
static struct hcall_args a;

/* A partition with firmware = "slof" whose boot placed SLOF. */
static struct vcpu_entry entry;

static struct lpar *slof_partition(void)
{
	struct lpar_boot b = { 0 };
	struct lpar *l;

	fake_reset();
	l = fake_lpar_create("web", 2, MEM_SIZE);
	if (!l) {
		return NULL;
	}
	/* The units again, now with the firmware configured. */
	lpar_units_destroy(l);
	l->cfg.firmware = CONFIG_FIRMWARE_SLOF;
	if (!lpar_units_create(l)) {
		return NULL;
	}
	l->slof = blob;
	l->slof_len = sizeof(blob);
	l->tree_in.rtas_size = 4096;
	fdt_create_empty_tree((uint8_t *)(uintptr_t)l->mem.hpa + FDT_GPA, 4096);
	entry = (struct vcpu_entry){ .pc = KERNEL, .r3 = FDT_GPA };
	b.entry = &entry;
	b.fdt_gpa = FDT_GPA;
	b.kernel_base = KERNEL;
	b.kernel_end = KERNEL + 0x100000;
	if (!lpar_units_firmware(l, &b)) {
		return NULL;
	}
	return l;
}

static uint8_t *guest(uint64_t gpa)
{
	return (uint8_t *)(uintptr_t)web->mem.hpa + gpa;
}

TEST(slof_hcall, function_only_for_a_partition_that_booted_slof)
{
	static const uint64_t nrs[] = { KVMPPC_H_CAS, KVMPPC_H_UPDATE_DT,
					KVMPPC_H_LOGICAL_MEMOP };

	fake_reset();
	web = fake_lpar_create("web", 1, 64 * SZ_4K);
	REQUIRE(web != NULL);
	for (size_t i = 0; i < 3; i++) {
		CHECK_EQ(HCALL(web->vcpus[0], &a, nrs[i], 0x1000, 0x2000, 0,
			       1, 0),
			 H_FUNCTION);
	}
	/* Configured for SLOF, but no boot has placed it. */
	web->cfg.firmware = CONFIG_FIRMWARE_SLOF;
	for (size_t i = 0; i < 3; i++) {
		CHECK_EQ(HCALL(web->vcpus[0], &a, nrs[i], 0x1000, 0x2000, 0,
			       1, 0),
			 H_FUNCTION);
	}
	web->cfg.firmware = CONFIG_FIRMWARE_NONE;
}

TEST(slof_unit, firmware_hook_enters_slof_with_the_tree)
{
	web = slof_partition();
	REQUIRE(web != NULL);
	CHECK_EQ(entry.pc, 0x100u);
	CHECK_EQ(entry.r3, FDT_GPA);
	CHECK_EQ(entry.r4, 0u);
	CHECK(memcmp(guest(0), blob, sizeof(blob)) == 0);
	/* A kernel running into SLOF's 40 MiB under the tree's top. */
	{
		struct lpar_boot b = { .entry = &entry, .fdt_gpa = FDT_GPA,
				       .kernel_base = KERNEL,
				       .kernel_end = FDT_GPA - 0x1000000 };

		CHECK(!lpar_units_firmware(web, &b));
	}
	web->cfg.firmware = CONFIG_FIRMWARE_NONE;
}

TEST(slof_hcall, memop_copies_inside_and_refuses_outside)
{
	web = slof_partition();
	REQUIRE(web != NULL);
	memcpy(guest(0x10000), "0123456789abcdef", 16);
	CHECK_EQ(HCALL(web->vcpus[0], &a, KVMPPC_H_LOGICAL_MEMOP, 0x20000,
		       0x10000, 3, 2, 0),
		 H_SUCCESS);
	CHECK(memcmp(guest(0x20000), "0123456789abcdef", 16) == 0);
	CHECK_EQ(HCALL(web->vcpus[0], &a, KVMPPC_H_LOGICAL_MEMOP, 0x20000,
		       0x10000, 0, 1, 1),
		 H_SUCCESS);
	CHECK_EQ(*guest(0x20000), (uint8_t)~'0');
	/* The last 8 bytes of memory, then one element more. */
	CHECK_EQ(HCALL(web->vcpus[0], &a, KVMPPC_H_LOGICAL_MEMOP,
		       MEM_SIZE - 8, 0x10000, 3, 1, 0),
		 H_SUCCESS);
	CHECK_EQ(HCALL(web->vcpus[0], &a, KVMPPC_H_LOGICAL_MEMOP,
		       MEM_SIZE - 8, 0x10000, 3, 2, 0),
		 H_PARAMETER);
	CHECK_EQ(HCALL(web->vcpus[0], &a, KVMPPC_H_LOGICAL_MEMOP, 0x20000,
		       ~0ull - 7, 3, 2, 0),
		 H_PARAMETER);
	web->cfg.firmware = CONFIG_FIRMWARE_NONE;
}

/* A CAS vector: POWER9's logical PVR and a terminating PVR pair, vectors
 * 1-4 of one byte, vector 5 of 24 bytes asking for radix (byte 24 =
 * 0x40). */
static size_t put_cas_vector(uint8_t *p)
{
	static const uint8_t pvr[16] = { 0xff, 0xff, 0xff, 0xff,
					 0x0f, 0x00, 0x00, 0x05,
					 0xff, 0xff, 0x00, 0x00,
					 0x0f, 0x00, 0x00, 0x05 };
	size_t n = 0;

	memcpy(p, pvr, sizeof(pvr));
	n = sizeof(pvr);
	p[n++] = 4; /* five vectors */
	for (int v = 1; v <= 4; v++) {
		p[n++] = 0;
		p[n++] = 0;
	}
	p[n++] = 23;
	memset(p + n, 0, 24);
	p[n + 23] = 0x40;
	return n + 24;
}

TEST(slof_hcall, cas_answers_version_and_tree_in_the_buffer_only)
{
	const uint64_t vec = 0x30000, out = 0x40000;
	static uint8_t tree[1024] __attribute__((aligned(8)));

	web = slof_partition();
	REQUIRE(web != NULL);
	put_cas_vector(guest(vec));
	/* Too small for the version word and a tree header (QEMU exits). */
	CHECK_EQ(HCALL(web->vcpus[0], &a, KVMPPC_H_CAS, vec, out, 43),
		 H_PARAMETER);
	/* A buffer running past the partition's memory, a vector outside. */
	CHECK_EQ(HCALL(web->vcpus[0], &a, KVMPPC_H_CAS, vec, MEM_SIZE - 0x100,
		       0x200),
		 H_PARAMETER);
	CHECK_EQ(HCALL(web->vcpus[0], &a, KVMPPC_H_CAS, MEM_SIZE, out,
		       0x1000),
		 H_PARAMETER);
	CHECK_EQ(*guest(out), FAKE_MEM_FILL);
	/* The top 4 bits of the vector's address are ignored, as QEMU. */
	CHECK_EQ(HCALL(web->vcpus[0], &a, KVMPPC_H_CAS,
		       0xf000000000000000ull | vec, out, 0x200000),
		 H_SUCCESS);
	CHECK_EQ(get_be32(guest(out)), 1u);
	/* The tree follows at out + 4 (libfdt wants it 8-byte aligned). */
	memcpy(tree, guest(out + 4), sizeof(tree));
	CHECK_EQ(fdt_check_header(tree), 0);
	CHECK_LT(fdt_totalsize(tree), sizeof(tree));
	/* Nothing written past the packed tree. */
	CHECK_EQ(*guest(out + 4 + fdt_totalsize(tree)), FAKE_MEM_FILL);
	web->cfg.firmware = CONFIG_FIRMWARE_NONE;
}

/* A tree with /rtas linux,rtas-base = `base`, `pad` bytes of filler;
 * false when libfdt refused to build it. */
static bool put_tree(uint64_t gpa, uint32_t base, int pad)
{
	static uint8_t zeros[8192];
	void *t = guest(gpa);
	int rc = 0;

	rc |= fdt_create(t, 16384);
	rc |= fdt_finish_reservemap(t);
	rc |= fdt_begin_node(t, "");
	rc |= fdt_property(t, "pad", zeros, pad);
	rc |= fdt_begin_node(t, "rtas");
	rc |= fdt_property_u32(t, "linux,rtas-base", base);
	rc |= fdt_end_node(t);
	rc |= fdt_end_node(t);
	rc |= fdt_finish(t);
	return rc == 0;
}

TEST(slof_hcall, update_dt_checks_size_and_tree_then_follows_rtas)
{
	const uint64_t dt = 0x50000;
	uint32_t given;

	web = slof_partition();
	REQUIRE(web != NULL);
	given = fdt_totalsize(guest(FDT_GPA));
	/* Twice the tree given is the limit (QEMU's rule). */
	REQUIRE(put_tree(dt, 0x1000000, (int)(2 * given)));
	CHECK_EQ(HCALL(web->vcpus[0], &a, KVMPPC_H_UPDATE_DT, dt),
		 H_PARAMETER);
	REQUIRE(put_tree(dt, 0x1000000, 0));
	REQUIRE(fdt_totalsize(guest(dt)) <= 2 * given);
	/* A header at the end of memory, a tree whose blocks are bad. */
	CHECK_EQ(HCALL(web->vcpus[0], &a, KVMPPC_H_UPDATE_DT, MEM_SIZE - 4),
		 H_PARAMETER);
	fdt_set_off_dt_struct(guest(dt), 0x7ffffff0);
	CHECK_EQ(HCALL(web->vcpus[0], &a, KVMPPC_H_UPDATE_DT, dt),
		 H_PARAMETER);
	CHECK_NE(web->fwnmi.log_gpa, 0x1000000u + MCE_LOG_OFFSET);
	/* A sound one: the machine-check log follows linux,rtas-base. */
	REQUIRE(put_tree(dt, 0x1000000, 0));
	CHECK_EQ(HCALL(web->vcpus[0], &a, KVMPPC_H_UPDATE_DT, dt), H_SUCCESS);
	CHECK_EQ(web->fwnmi.log_gpa, 0x1000000u + MCE_LOG_OFFSET);
	/* An RTAS base whose area is not the partition's is not followed. */
	REQUIRE(put_tree(dt, (uint32_t)(MEM_SIZE - 16), 0));
	CHECK_EQ(HCALL(web->vcpus[0], &a, KVMPPC_H_UPDATE_DT, dt), H_SUCCESS);
	CHECK_EQ(web->fwnmi.log_gpa, 0x1000000u + MCE_LOG_OFFSET);
	web->cfg.firmware = CONFIG_FIRMWARE_NONE;
}
