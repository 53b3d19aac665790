/*
 * The guest's side of the interface (see guestcall.h).
 */
#include <stdio.h>
#include <stdlib.h>

#include "tests/unit/fake/guestcall.h"
#include "tests/unit/test.h"

static void check_invariants(const char *file, int line, const char *what)
{
	for (uint32_t i = 0; i < lpar_count; i++) {
		if (!fake_guards_intact(lpar_table[i])) {
			test_fail(file, line,
				  "%s wrote outside the memory of partition "
				  "\"%s\" (guard zone changed)",
				  what, lpar_table[i]->cfg.name);
		}
	}
	if (fake_locks_held != 0) {
		test_fail(file, line, "%s returned with %d lock(s) held", what,
			  fake_locks_held);
	}
}

int64_t guest_hcall_at(const char *file, int line, struct vcpu *vc,
		       uint64_t msr, struct hcall_args *a, uint64_t nr,
		       const uint64_t *args, size_t argc)
{
	char what[48];
	int64_t rc;

	memset(a, 0, sizeof(*a));
	a->nr = nr;
	for (size_t i = 0; i < argc && i < ARRAY_SIZE(a->arg); i++) {
		a->arg[i] = args[i];
	}
	for (size_t i = 0; i < ARRAY_SIZE(a->ret); i++) {
		a->ret[i] = 0xdeadbeefdeadbeefull;
	}
	a->ret_count = 0xdead;
	rc = hcall_dispatch(vc, msr, a);
	snprintf(what, sizeof(what), "hcall 0x%llx", (unsigned long long)nr);
	check_invariants(file, line, what);
	return rc;
}

static void *gm_at(const struct lpar *l, uint64_t gpa, uint64_t len)
{
	if (gpa > l->mem.size || len > l->mem.size - gpa) {
		fprintf(stderr, "test bug: guest access 0x%llx+%llu outside "
			"memory\n", (unsigned long long)gpa,
			(unsigned long long)len);
		abort();
	}
	return fake_gmem(l) + gpa;
}

int64_t guest_rtas_at(const char *file, int line, struct vcpu *vc,
		      uint64_t buf, uint32_t token, uint32_t nargs,
		      const uint32_t *args, uint32_t nret, uint32_t *rets)
{
	const struct lpar *l = vc->lpar;
	uint64_t rets_at = buf + 12 + 4ull * nargs;
	struct hcall_args a;
	int64_t rc;

	gm_put32(l, buf, token);
	gm_put32(l, buf + 4, nargs);
	gm_put32(l, buf + 8, nret);
	for (uint32_t i = 0; i < nargs; i++) {
		gm_put32(l, buf + 12 + 4ull * i, args[i]);
	}
	for (uint32_t i = 0; i < nret; i++) {
		gm_put32(l, rets_at + 4ull * i, RTAS_CANARY);
	}
	rc = guest_hcall_at(file, line, vc, GUEST_MSR, &a, KVMPPC_H_RTAS,
			    &buf, 1);
	for (uint32_t i = 0; rets && i < nret; i++) {
		rets[i] = gm_get32(l, rets_at + 4ull * i);
	}
	return rc;
}

void gm_put8(const struct lpar *l, uint64_t gpa, uint8_t v)
{
	*(uint8_t *)gm_at(l, gpa, 1) = v;
}

void gm_put16(const struct lpar *l, uint64_t gpa, uint16_t v)
{
	be16 b = cpu_to_be16(v);

	memcpy(gm_at(l, gpa, 2), &b, 2);
}

void gm_put32(const struct lpar *l, uint64_t gpa, uint32_t v)
{
	be32 b = cpu_to_be32(v);

	memcpy(gm_at(l, gpa, 4), &b, 4);
}

void gm_put64(const struct lpar *l, uint64_t gpa, uint64_t v)
{
	be64 b = cpu_to_be64(v);

	memcpy(gm_at(l, gpa, 8), &b, 8);
}

uint8_t gm_get8(const struct lpar *l, uint64_t gpa)
{
	return *(const uint8_t *)gm_at(l, gpa, 1);
}

uint16_t gm_get16(const struct lpar *l, uint64_t gpa)
{
	be16 b;

	memcpy(&b, gm_at(l, gpa, 2), 2);
	return be16_to_cpu(b);
}

uint32_t gm_get32(const struct lpar *l, uint64_t gpa)
{
	be32 b;

	memcpy(&b, gm_at(l, gpa, 4), 4);
	return be32_to_cpu(b);
}

uint64_t gm_get64(const struct lpar *l, uint64_t gpa)
{
	be64 b;

	memcpy(&b, gm_at(l, gpa, 8), 8);
	return be64_to_cpu(b);
}

uint8_t *gm_snapshot(const struct lpar *l)
{
	uint8_t *s = malloc((size_t)l->mem.size);

	if (!s) {
		abort();
	}
	memcpy(s, fake_gmem(l), (size_t)l->mem.size);
	return s;
}

bool gm_unchanged(const struct lpar *l, uint8_t *snap)
{
	bool same = memcmp(snap, fake_gmem(l), (size_t)l->mem.size) == 0;

	free(snap);
	return same;
}
