/*
 * The guest's side of the interface, for the handler tests: issue an hcall
 * the way the exit path does (hcall_dispatch() with the guest's MSR), build
 * RTAS argument buffers, and read and write guest memory big-endian.
 *
 * After every call the helpers check the two things no guest may ever
 * cause, and report a failure at the caller's line if it did: bytes
 * changed outside any partition's memory (the guard zones), and a lock
 * left held.
 */
#ifndef TESTS_UNIT_FAKE_GUESTCALL_H
#define TESTS_UNIT_FAKE_GUESTCALL_H

#include "hv/abi/hcall.h"
#include "hv/abi/rtas.h"
#include "hv/hcall.h"
#include "tests/unit/fake/fake.h"

/* A 64-bit supervisor-state guest with translation on. */
#define GUEST_MSR (MSR_SF | MSR_ME | MSR_IR | MSR_DR | MSR_EE | MSR_RI)

/* What the helpers put in return cells before a call, to see writes. */
#define RTAS_CANARY 0xdeadbeefu

int64_t guest_hcall_at(const char *file, int line, struct vcpu *vc,
		       uint64_t msr, struct hcall_args *a, uint64_t nr,
		       const uint64_t *args, size_t argc);

/* HCALL(vc, &a, H_..., arg0, arg1, ...): at least one argument. */
#define HCALL_MSR(vc, msr, a, nr, ...)                                       \
	guest_hcall_at(__FILE__, __LINE__, (vc), (msr), (a), (nr),           \
		       (const uint64_t[]){ __VA_ARGS__ },                    \
		       sizeof((const uint64_t[]){ __VA_ARGS__ }) /           \
			       sizeof(uint64_t))
/*
 * In the tests HCALL() makes a call; hv/hcall.h's registration macro of
 * the same name is for the hypervisor's files, which test files are not.
 */
#undef HCALL
#define HCALL(vc, a, nr, ...) HCALL_MSR(vc, GUEST_MSR, a, nr, __VA_ARGS__)

/*
 * Write an RTAS buffer at guest address `buf` (token, nargs, nret, the
 * args, and nret cells of RTAS_CANARY), call KVMPPC_H_RTAS with r4 = buf
 * and copy the nret return cells back to rets (may be NULL).  The whole
 * buffer must lie in guest memory.  Returns the hcall status.
 */
int64_t guest_rtas_at(const char *file, int line, struct vcpu *vc,
		      uint64_t buf, uint32_t token, uint32_t nargs,
		      const uint32_t *args, uint32_t nret, uint32_t *rets);

/* RTAS(vc, buf, token, nret, rets, arg0, ...): at least one argument. */
#define RTAS_N(vc, buf, token, nargs, nret, rets, ...)                       \
	guest_rtas_at(__FILE__, __LINE__, (vc), (buf), (token), (nargs),     \
		      (const uint32_t[]){ __VA_ARGS__ }, (nret), (rets))
#define RTAS(vc, buf, token, nret, rets, ...)                                \
	RTAS_N(vc, buf, token,                                               \
	       sizeof((const uint32_t[]){ __VA_ARGS__ }) / sizeof(uint32_t), \
	       nret, rets, __VA_ARGS__)
#define RTAS0(vc, buf, token, nret, rets)                                    \
	RTAS_N(vc, buf, token, 0, nret, rets, 0)

/* Guest memory from the host side, big-endian; aborts outside memory. */
void gm_put8(const struct lpar *l, uint64_t gpa, uint8_t v);
void gm_put16(const struct lpar *l, uint64_t gpa, uint16_t v);
void gm_put32(const struct lpar *l, uint64_t gpa, uint32_t v);
void gm_put64(const struct lpar *l, uint64_t gpa, uint64_t v);
uint8_t gm_get8(const struct lpar *l, uint64_t gpa);
uint16_t gm_get16(const struct lpar *l, uint64_t gpa);
uint32_t gm_get32(const struct lpar *l, uint64_t gpa);
uint64_t gm_get64(const struct lpar *l, uint64_t gpa);

/* A copy of all of `l`'s memory, to check later that nothing changed. */
uint8_t *gm_snapshot(const struct lpar *l);
/* Frees `snap`; true when `l`'s memory still equals it. */
bool gm_unchanged(const struct lpar *l, uint8_t *snap);

#endif /* TESTS_UNIT_FAKE_GUESTCALL_H */
