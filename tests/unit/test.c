/*
 * Runner for the host unit tests (see test.h).
 *
 *	unit-tests [--fixtures DIR] [--no-fork] [-v] [--list] [PATTERN...]
 *
 * PATTERNs select cases whose "suite.name" contains any of them.  Each case
 * runs in a forked child with a time limit, so a crash, a sanitizer report
 * or a hang fails that case and the run goes on.  Under AddressSanitizer
 * each child also checks for leaks before it exits.  The last line printed
 * is "N passed, N failed"; the exit status is non-zero if a case failed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#define TEST_LEAK_CHECK 1
#else
#define TEST_LEAK_CHECK 0
#endif

#include "tests/unit/test.h"

#define MAX_REPORTS_PER_CASE 20
#define CASE_TIME_LIMIT_S 60
/* A child's exit status when checks failed (sanitizers exit with 1). */
#define EXIT_CHECKS_FAILED 3

static struct test_case *first, *last;
static const struct test_case *current;
static unsigned current_failures;
static const char *fixture_dir = "build/tests/unit/fixtures";

void test_register(struct test_case *tc)
{
	tc->next = NULL;
	if (last) {
		last->next = tc;
	} else {
		first = tc;
	}
	last = tc;
}

static bool report_slot(void)
{
	current_failures++;
	if (current_failures == 1) {
		printf("FAIL %s.%s (%s:%d)\n", current->suite, current->name,
		       current->file, current->line);
	}
	if (current_failures == MAX_REPORTS_PER_CASE + 1) {
		printf("  (further failures of this case not shown)\n");
	}
	return current_failures <= MAX_REPORTS_PER_CASE;
}

void test_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	if (!report_slot()) {
		return;
	}
	printf("  %s:%d: ", file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

void test_fail_cmp(const char *file, int line, const char *a_expr,
		   const char *op, const char *b_expr, unsigned long long a,
		   unsigned long long b)
{
	if (!report_slot()) {
		return;
	}
	printf("  %s:%d: CHECK(%s %s %s) failed\n", file, line, a_expr, op,
	       b_expr);
	printf("    left:  %llu (0x%llx, signed %lld)\n", a, a, (long long)a);
	printf("    right: %llu (0x%llx, signed %lld)\n", b, b, (long long)b);
	fflush(stdout);
}

void test_fail_str(const char *file, int line, const char *a_expr,
		   const char *op, const char *b_expr, const char *a,
		   const char *b)
{
	if (!report_slot()) {
		return;
	}
	printf("  %s:%d: CHECK(%s %s %s) failed\n", file, line, a_expr, op,
	       b_expr);
	printf("    left:  %s%s%s\n", a ? "\"" : "", a ? a : "NULL",
	       a ? "\"" : "");
	printf("    right: %s%s%s\n", b ? "\"" : "", b ? b : "NULL",
	       b ? "\"" : "");
	fflush(stdout);
}

bool test_failed(void)
{
	return current_failures != 0;
}

const char *test_fixture_dir(void)
{
	return fixture_dir;
}

void *test_read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	long n;

	if (!f) {
		return NULL;
	}
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc(n ? (size_t)n : 1);
		if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		*size = (size_t)n;
	}
	fclose(f);
	return buf;
}

void test_rng_seed(struct test_rng *r, uint64_t seed)
{
	r->s = seed ? seed : 0x9e3779b97f4a7c15ull;
}

uint64_t test_rng_next(struct test_rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 0x2545f4914f6cdd1dull;
}

uint64_t test_rng_below(struct test_rng *r, uint64_t n)
{
	return test_rng_next(r) % n;
}

/* Run the case in this process; returns true if it passed. */
static bool run_here(const struct test_case *tc)
{
	current = tc;
	current_failures = 0;
	tc->fn();
#if TEST_LEAK_CHECK
	if (__lsan_do_recoverable_leak_check()) {
		test_fail(tc->file, tc->line,
			  "memory leaked (LeakSanitizer report on stderr)");
	}
#endif
	fflush(stdout);
	return current_failures == 0;
}

static bool run_forked(const struct test_case *tc)
{
	int status;
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		printf("FAIL %s.%s: fork: %s\n", tc->suite, tc->name,
		       strerror(errno));
		return false;
	}
	if (pid == 0) {
		alarm(CASE_TIME_LIMIT_S);
		_exit(run_here(tc) ? 0 : EXIT_CHECKS_FAILED);
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			printf("FAIL %s.%s: waitpid: %s\n", tc->suite,
			       tc->name, strerror(errno));
			return false;
		}
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		return true;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == EXIT_CHECKS_FAILED) {
		return false; /* the child printed its failures */
	}
	if (WIFSIGNALED(status)) {
		printf("FAIL %s.%s (%s:%d): crashed with signal %d (%s)%s\n",
		       tc->suite, tc->name, tc->file, tc->line,
		       WTERMSIG(status), strsignal(WTERMSIG(status)),
		       WTERMSIG(status) == SIGALRM ? ": time limit" : "");
	} else {
		printf("FAIL %s.%s (%s:%d): exited with status %d "
		       "(sanitizer report on stderr?)\n",
		       tc->suite, tc->name, tc->file, tc->line,
		       WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	}
	return false;
}

static bool selected(const struct test_case *tc, char **patterns, int count)
{
	char full[256];

	if (count == 0) {
		return true;
	}
	snprintf(full, sizeof(full), "%s.%s", tc->suite, tc->name);
	for (int i = 0; i < count; i++) {
		if (strstr(full, patterns[i])) {
			return true;
		}
	}
	return false;
}

static void usage(const char *prog)
{
	fprintf(stderr,
		"usage: %s [--fixtures DIR] [--no-fork] [-v] [--list] "
		"[PATTERN...]\n",
		prog);
	exit(2);
}

int main(int argc, char **argv)
{
	char **patterns = calloc((size_t)argc, sizeof(*patterns));
	bool fork_each = true, verbose = false, list = false;
	unsigned passed = 0, failed = 0;
	int npat = 0;

	if (!patterns) {
		return 2;
	}
	if (getenv("UNIT_FIXTURES")) {
		fixture_dir = getenv("UNIT_FIXTURES");
	}
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--fixtures") && i + 1 < argc) {
			fixture_dir = argv[++i];
		} else if (!strcmp(argv[i], "--no-fork")) {
			fork_each = false;
		} else if (!strcmp(argv[i], "-v")) {
			verbose = true;
		} else if (!strcmp(argv[i], "--list")) {
			list = true;
		} else if (argv[i][0] == '-') {
			usage(argv[0]);
		} else {
			patterns[npat++] = argv[i];
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (const struct test_case *tc = first; tc; tc = tc->next) {
		bool ok;

		if (!selected(tc, patterns, npat)) {
			continue;
		}
		if (list) {
			printf("%s.%s\n", tc->suite, tc->name);
			continue;
		}
		ok = fork_each ? run_forked(tc) : run_here(tc);
		if (ok) {
			passed++;
			if (verbose) {
				printf("PASS %s.%s\n", tc->suite, tc->name);
			}
		} else {
			failed++;
		}
	}
	free(patterns);
	if (list) {
		return 0;
	}
	printf("%u passed, %u failed\n", passed, failed);
	return failed || (passed == 0 && npat == 0) ? 1 : 0;
}
