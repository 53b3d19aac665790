/*
 * Tests for hv/mce.c: FWNMI registration, the interlock and the machine
 * check error log as Linux's fwnmi_get_errinfo()/mce_handle_error() read
 * it (arch/powerpc/platforms/pseries/ras.c).  Negative cases first.
 */
#include "hv/mce.h"
#include "tests/unit/fake/fake.h"
#include "tests/unit/fake/guestcall.h"
#include "tests/unit/test.h"

#define MEM_SIZE (64 * SZ_4K)
#define LOG (MEM_SIZE - SZ_4K + MCE_LOG_OFFSET)

static struct lpar *l;
static struct fwnmi f;

static bool setup(void)
{
	fake_reset();
	l = fake_lpar_create("mce", 2, MEM_SIZE);
	if (!l) {
		return false;
	}
	memset(&f, 0, sizeof(f));
	mce_reset(&f, LOG);
	return true;
}

static const struct mce_event load_ev = {
	.kind = MCE_LOAD, .ea = 0x10000000, .gra = 0x10000000, .vcpu = 1,
	.r3 = 0x1122334455667788ull,
};

TEST(mce, register_refuses_bad_handlers)
{
	REQUIRE(setup());
	CHECK_EQ(mce_register(&f, &l->mem, 0x102, 0x200), -3);
	CHECK_EQ(mce_register(&f, &l->mem, 0x100, 0x201), -3);
	CHECK_EQ(mce_register(&f, &l->mem, 0x100, MEM_SIZE), -3);
	CHECK_EQ(mce_register(&f, &l->mem, MEM_SIZE - 2, 0x200), -3);
	CHECK_EQ(mce_register(&f, &l->mem, 0x100, 32ull << 20), -3);
	CHECK_EQ(mce_register(&f, &l->mem, ~0ull - 3, 0x200), -3);
	CHECK_EQ(mce_sreset_vector(&f), 0x100);
}

TEST(mce, nothing_delivered_without_registration)
{
	uint64_t entry = 0, log = 0;

	REQUIRE(setup());
	CHECK(!mce_deliver(&f, &l->mem, &load_ev, &entry, &log));
	CHECK_EQ(gm_get64(l, LOG), (uint64_t)FAKE_MEM_FILL * 0x0101010101010101ull);
	CHECK_EQ(mce_interlock(&f, 1), -3);
}

TEST(mce, interlock_refuses_a_vcpu_without_the_log)
{
	uint64_t entry, log;

	REQUIRE(setup());
	REQUIRE_EQ(mce_register(&f, &l->mem, 0x100, 0x200), 0);
	CHECK_EQ(mce_interlock(&f, 1), -3); /* nothing out yet */
	REQUIRE(mce_deliver(&f, &l->mem, &load_ev, &entry, &log));
	CHECK_EQ(mce_interlock(&f, 0), -3);
	/* A second one before the interlock: refused (the crash policy). */
	CHECK(!mce_deliver(&f, &l->mem, &load_ev, &entry, &log));
	CHECK_EQ(mce_interlock(&f, 1), 0);
	CHECK_EQ(mce_interlock(&f, 1), -3);
	CHECK(mce_deliver(&f, &l->mem, &load_ev, &entry, &log));
}

TEST(mce, log_is_what_linux_reads)
{
	uint64_t entry = 0, log = 0;
	uint64_t s;

	REQUIRE(setup());
	REQUIRE_EQ(mce_register(&f, &l->mem, 0x1900, 0x1990), 0);
	CHECK_EQ(mce_sreset_vector(&f), 0x1900);
	REQUIRE(mce_deliver(&f, &l->mem, &load_ev, &entry, &log));
	CHECK_EQ(entry, 0x1990);
	CHECK_EQ(log, LOG);
	CHECK_EQ(gm_get64(l, LOG), load_ev.r3);          /* the saved r3 */
	CHECK_EQ(gm_get8(l, LOG + 8), 6);                /* version 6 */
	CHECK_EQ(gm_get8(l, LOG + 9) >> 5, 3);           /* ERROR_SYNC */
	CHECK_EQ((gm_get8(l, LOG + 9) >> 3) & 3, 2);     /* NOT_RECOVERED */
	CHECK(gm_get8(l, LOG + 9) & 0x04);               /* extended */
	CHECK_EQ(gm_get32(l, LOG + 12), 56);             /* extended length */
	CHECK_EQ(gm_get8(l, LOG + 18) & 0x0f, 14);       /* event log format */
	CHECK_EQ(gm_get32(l, LOG + 28), 0x49424d00u);    /* "IBM" */
	s = LOG + 32;                                    /* the section */
	CHECK_EQ(gm_get16(l, s), 0x4d43);                /* "MC" */
	CHECK_EQ(gm_get16(l, s + 2), 40);
	CHECK_EQ(gm_get32(l, s + 12), 1);                /* proc_id: vCPU */
	CHECK_EQ(gm_get8(l, s + 16), 0);                 /* UE */
	CHECK_EQ(gm_get8(l, s + 17), 0x40 | 0x20 | 3);   /* EA, LA, ld/st */
	CHECK_EQ(gm_get64(l, s + 24), load_ev.ea);
	CHECK_EQ(gm_get64(l, s + 32), load_ev.gra);
	CHECK(fake_guards_intact(l));
}

TEST(mce, reset_forgets_registration_and_interlock)
{
	uint64_t entry, log;

	REQUIRE(setup());
	REQUIRE_EQ(mce_register(&f, &l->mem, 0x1900, 0x1990), 0);
	REQUIRE(mce_deliver(&f, &l->mem, &load_ev, &entry, &log));
	mce_reset(&f, LOG);
	CHECK_EQ(mce_sreset_vector(&f), 0x100);
	CHECK(!mce_deliver(&f, &l->mem, &load_ev, &entry, &log));
	CHECK_EQ(mce_interlock(&f, 1), -3);
}
