/*
 * Tests for hv/profile.c and the counting in hv/profile.h: hcalls are
 * counted under the table entry hcall_dispatch() found (unknown and
 * problem-state numbers under "others"), exits under their vector, every
 * vCPU of the partition is summed, and a boot starts from zero.  The exit
 * path (hv/guest.c) calls prof_exit() after each exit with the ticks it
 * took; the tests do the same.  Built against tests/unit/fake/.
 */
#include "hv/abi/hcall.h"
#include "hv/hcall.h"
#include "hv/profile.h"
#include "tests/unit/fake/guestcall.h"
#include "tests/unit/test.h"
#include "vio/svc.h"
#include "vio/vty.h"

#define MEM_SIZE (16 * SZ_4K)

static struct lpar *l;
static struct hcall_args a;

static bool setup(void)
{
	fake_reset();
	hv_opts.profile = true; /* times printed */
	l = fake_lpar_create("web", 2, MEM_SIZE);
	return l != NULL;
}

/* An hcall as the exit path makes it: dispatch, then count the exit. */
static void exit_hcall(struct vcpu *vc, uint64_t msr, uint64_t nr,
		       uint64_t ticks)
{
	HCALL_MSR(vc, msr, &a, nr, 0);
	prof_exit(&vc->prof, 0xc00, ticks);
}

TEST(profile, hcalls_counted_under_their_entry_and_summed_over_vcpus)
{
	REQUIRE(setup());
	fake_tb = 0;
	profile_reset(l);
	for (int i = 0; i < 3; i++) {
		exit_hcall(l->vcpus[0], GUEST_MSR, H_SET_DABR, 512);
	}
	exit_hcall(l->vcpus[1], GUEST_MSR, H_SET_DABR, 1024);
	exit_hcall(l->vcpus[1], GUEST_MSR, 0x1234, 512000);
	exit_hcall(l->vcpus[1], GUEST_MSR | MSR_PR, H_SET_DABR, 512000);
	prof_exit(&l->vcpus[0]->prof, 0x980, 5120);
	fake_tb = 512000ull * 2000; /* 2 s after the boot */
	fake_console_clear();
	profile_print(l);
	CHECK_STR_EQ(fake_console(),
		     "lparvisor: profile \"web\": 2 vCPUs, 2000 ms since boot, "
		     "7 exits, 2015 us in them\n"
		     "lparvisor: profile \"web\": exit 0x980 hypervisor "
		     "decrementer: 1, 10 us, 10000 ns each\n"
		     "lparvisor: profile \"web\": exit 0xc00 system call: 6, "
		     "2005 us, 334166 ns each\n"
		     "lparvisor: profile \"web\": hcall 0x028 H_SET_DABR: 4, "
		     "5 us, 1250 ns each\n"
		     "lparvisor: profile \"web\": hcall 0x000 others: 2, "
		     "2000 us, 1000000 ns each\n"
		     "lparvisor: profile \"web\": end\n");
}

TEST(profile, a_new_boot_starts_from_zero)
{
	REQUIRE(setup());
	exit_hcall(l->vcpus[0], GUEST_MSR, H_SET_DABR, 512);
	prof_exit(&l->vcpus[1]->prof, 0x1500, 512);
	l->vcpus[0]->prof.entry_tb = 99;
	fake_tb = 1000;
	profile_reset(l);
	CHECK_EQ(l->boot_tb, 1000);
	CHECK_EQ(l->vcpus[0]->prof.entry_tb, 0);
	fake_console_clear();
	profile_print(l);
	CHECK_STR_CONTAINS(fake_console(), "0 exits, 0 us in them\n"
					   "lparvisor: profile \"web\": end\n");
}

TEST(profile, vectors_from_0x1000_share_one_line)
{
	REQUIRE(setup());
	profile_reset(l);
	prof_exit(&l->vcpus[1]->prof, 0x1500, 512);
	fake_console_clear();
	profile_print(l);
	CHECK_STR_CONTAINS(fake_console(), "exit 0x1000 at or above 0x1000: 1,"
					   " 1 us, 1000 ns each\n");
}

TEST(profile, without_profile_on_the_first_line_says_untimed)
{
	REQUIRE(setup());
	hv_opts.profile = false;
	profile_reset(l);
	exit_hcall(l->vcpus[0], GUEST_MSR, H_SET_DABR, 0);
	fake_console_clear();
	profile_print(l);
	CHECK_STR_CONTAINS(fake_console(), "1 exits (untimed: boot option "
					   "profile=on times them)\n");
	CHECK_STR_CONTAINS(fake_console(), "hcall 0x028 H_SET_DABR: 1, 0 us, "
					   "0 ns each\n");
}

TEST(profile, every_table_entry_has_its_own_slot)
{
	/* Past PROF_HCALL_OTHER, entries would be counted as "others". */
	CHECK(hcall_table_len < PROF_HCALL_OTHER);
}

TEST(profile, console_escape_p_prints_every_partition)
{
	REQUIRE(setup());
	REQUIRE(fake_lpar_create("db", 1, MEM_SIZE) != NULL);
	fake_console_clear();
	svc_console_input("\x1dp", 2);
	CHECK_STR_CONTAINS(fake_console(), "lparvisor: profile \"web\": end\n"
					   "lparvisor: profile \"db\": 1 vCPUs");
}
