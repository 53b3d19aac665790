/*
 * Tests for vio/vof.c through the hcall dispatcher: KVMPPC_H_VOF_CLIENT
 * is H_FUNCTION for a partition without firmware = "vof" and for one
 * whose firmware has not been placed by a boot yet (nothing of another
 * partition's or an old life's tree is served).  The client interface
 * itself is tests/unit/vio/ofci_test.c.  Built against tests/unit/fake/.
 */
#include "hv/abi/hcall.h"
#include "hv/config.h"
#include "tests/unit/fake/fake.h"
#include "tests/unit/fake/guestcall.h"
#include "tests/unit/test.h"

#if !defined(FAKE_HV_CPU_H) || !defined(FAKE_HV_LOCK_H)
#error "vof_test.c must be built with -Itests/unit/fake ahead of -I."
#endif

#define MEM_SIZE (64 * SZ_4K)

TEST(vof_hcall, refused_without_firmware_or_before_its_boot)
{
	struct hcall_args a;
	struct lpar *web;

	fake_reset();
	web = fake_lpar_create("web", 1, MEM_SIZE);
	REQUIRE(web != NULL);
	CHECK_EQ(HCALL(web->vcpus[0], &a, KVMPPC_H_VOF_CLIENT, 0x1000),
		 H_FUNCTION);
	web->cfg.firmware = CONFIG_FIRMWARE_VOF;
	CHECK_EQ(HCALL(web->vcpus[0], &a, KVMPPC_H_VOF_CLIENT, 0x1000),
		 H_FUNCTION);
	web->cfg.firmware = CONFIG_FIRMWARE_NONE;
}
