/*
 * A tiny harness for the host-compiled unit tests.
 *
 *	TEST(palloc, alloc_fails_when_exhausted)
 *	{
 *		CHECK_EQ(palloc_alloc(&pa, SZ_4K, 0, &base), PALLOC_ENOMEM);
 *	}
 *
 * TEST() registers the case from a constructor; test.c runs every case
 * (each in a forked child unless --no-fork, so that a crash or a sanitizer
 * report fails that case only) and ends with the line "N passed, N failed",
 * counting test cases.  A failed CHECK reports file:line and the values and
 * lets the case go on; REQUIRE stops the case (it returns from the test
 * function, so use it only there).
 */
#ifndef TESTS_UNIT_TEST_H
#define TESTS_UNIT_TEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct test_case {
	const char *suite;
	const char *name;
	void (*fn)(void);
	const char *file;
	int line;
	struct test_case *next;
};

void test_register(struct test_case *tc);

/* Record a failure of the running case; never returns early. */
void test_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void test_fail_cmp(const char *file, int line, const char *a_expr,
		   const char *op, const char *b_expr, unsigned long long a,
		   unsigned long long b);
void test_fail_str(const char *file, int line, const char *a_expr,
		   const char *op, const char *b_expr, const char *a,
		   const char *b);

/* True once the running case has a failed check. */
bool test_failed(void);

/* Directory holding the compiled fixtures (--fixtures or UNIT_FIXTURES). */
const char *test_fixture_dir(void);

/*
 * Read a whole file into a malloc'd buffer of exactly its size (so that
 * AddressSanitizer catches any read past the end).  NULL if unreadable.
 */
void *test_read_file(const char *path, size_t *size);

/* Deterministic pseudo-random numbers (xorshift64*) for seeded tests. */
struct test_rng {
	uint64_t s;
};
void test_rng_seed(struct test_rng *r, uint64_t seed);
uint64_t test_rng_next(struct test_rng *r);
/* Uniform in [0, n); n > 0. */
uint64_t test_rng_below(struct test_rng *r, uint64_t n);

#define TEST_CAT_(a, b) a##b
#define TEST(suite, name)                                                    \
	static void TEST_CAT_(test_fn_##suite##__, name)(void);              \
	static struct test_case TEST_CAT_(test_tc_##suite##__, name) = {     \
		#suite, #name, TEST_CAT_(test_fn_##suite##__, name),         \
		__FILE__, __LINE__, NULL                                     \
	};                                                                   \
	__attribute__((constructor)) static void TEST_CAT_(                  \
		test_reg_##suite##__, name)(void)                            \
	{                                                                    \
		test_register(&TEST_CAT_(test_tc_##suite##__, name));        \
	}                                                                    \
	static void TEST_CAT_(test_fn_##suite##__, name)(void)

#define CHECK(cond)                                                          \
	do {                                                                 \
		if (!(cond)) {                                               \
			test_fail(__FILE__, __LINE__, "CHECK(%s) failed",    \
				  #cond);                                    \
		}                                                            \
	} while (0)

/*
 * Integer comparisons.  Both sides are converted to unsigned long long,
 * which is exact for equality of any integer, enum, bool or pointer; use
 * the ordering forms only for unsigned values (or CHECK for signed ones).
 */
#define CHECK_CMP_(a, op, b, a_str, b_str)                                   \
	do {                                                                 \
		unsigned long long chk_a_ = (unsigned long long)(a);         \
		unsigned long long chk_b_ = (unsigned long long)(b);         \
		if (!(chk_a_ op chk_b_)) {                                   \
			test_fail_cmp(__FILE__, __LINE__, a_str, #op, b_str, \
				      chk_a_, chk_b_);                       \
		}                                                            \
	} while (0)

#define CHECK_EQ(a, b) CHECK_CMP_(a, ==, b, #a, #b)
#define CHECK_NE(a, b) CHECK_CMP_(a, !=, b, #a, #b)
#define CHECK_LT(a, b) CHECK_CMP_(a, <, b, #a, #b)
#define CHECK_LE(a, b) CHECK_CMP_(a, <=, b, #a, #b)
#define CHECK_GT(a, b) CHECK_CMP_(a, >, b, #a, #b)
#define CHECK_GE(a, b) CHECK_CMP_(a, >=, b, #a, #b)

/* String comparisons; NULL is reported, never dereferenced. */
#define CHECK_STR_EQ(a, b)                                                   \
	do {                                                                 \
		const char *chk_sa_ = (a), *chk_sb_ = (b);                   \
		if (!chk_sa_ || !chk_sb_ || strcmp(chk_sa_, chk_sb_) != 0) { \
			test_fail_str(__FILE__, __LINE__, #a, "==", #b,      \
				      chk_sa_, chk_sb_);                     \
		}                                                            \
	} while (0)

#define CHECK_STR_CONTAINS(hay, needle)                                      \
	do {                                                                 \
		const char *chk_sa_ = (hay), *chk_sb_ = (needle);            \
		if (!chk_sa_ || !chk_sb_ || !strstr(chk_sa_, chk_sb_)) {     \
			test_fail_str(__FILE__, __LINE__, #hay, "contains",  \
				      #needle, chk_sa_, chk_sb_);            \
		}                                                            \
	} while (0)

/* As CHECK, but end the test case on failure. */
#define REQUIRE(cond)                                                        \
	do {                                                                 \
		if (!(cond)) {                                               \
			test_fail(__FILE__, __LINE__,                        \
				  "REQUIRE(%s) failed", #cond);              \
			return;                                              \
		}                                                            \
	} while (0)

#define REQUIRE_EQ(a, b)                                                     \
	do {                                                                 \
		unsigned long long chk_a_ = (unsigned long long)(a);         \
		unsigned long long chk_b_ = (unsigned long long)(b);         \
		if (chk_a_ != chk_b_) {                                      \
			test_fail_cmp(__FILE__, __LINE__, #a, "==", #b,      \
				      chk_a_, chk_b_);                       \
			return;                                              \
		}                                                            \
	} while (0)

#endif /* TESTS_UNIT_TEST_H */
