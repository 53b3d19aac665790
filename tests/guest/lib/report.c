/*
 * PASS/FAIL lines and the final summary.  Counters are atomic: secondary
 * vCPUs report too.
 */
#include <stdarg.h>

#include "hv/lib/format.h"
#include "hv/lib/string.h"
#include "tests/guest/lib/console.h"
#include "tests/guest/lib/hcall.h"
#include "tests/guest/lib/report.h"

#define TEXT_MAX 200

static uint32_t passed;
static uint32_t failed;

/* Length of the name part of "name: detail". */
static int name_len(const char *text)
{
	int i;

	for (i = 0; text[i]; i++) {
		if (text[i] == ':' && text[i + 1] == ' ') {
			break;
		}
	}
	return i;
}

static bool record(bool cond, const char *text)
{
	if (cond) {
		__atomic_fetch_add(&passed, 1, __ATOMIC_RELAXED);
		printf("PASS %.*s\n", name_len(text), text);
	} else {
		__atomic_fetch_add(&failed, 1, __ATOMIC_RELAXED);
		printf("FAIL %s\n", text);
	}
	return cond;
}

bool report(bool cond, const char *fmt, ...)
{
	char text[TEXT_MAX];
	va_list ap;

	va_start(ap, fmt);
	hv_vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	return record(cond, text);
}

bool report_hrc(long got, long want, const char *fmt, ...)
{
	char text[TEXT_MAX];
	size_t n;
	va_list ap;

	va_start(ap, fmt);
	n = hv_vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (got != want && n < sizeof(text)) {
		hv_snprintf(text + n, sizeof(text) - n,
			    ": got %ld (%s), want %ld (%s)", got,
			    hcall_rc_name(got), want, hcall_rc_name(want));
	}
	return record(got == want, text);
}

bool report_rtas(int got, int want, const char *fmt, ...)
{
	char text[TEXT_MAX];
	size_t n;
	va_list ap;

	va_start(ap, fmt);
	n = hv_vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (got != want && n < sizeof(text)) {
		hv_snprintf(text + n, sizeof(text) - n,
			    ": status %d, want %d", got, want);
	}
	return record(got == want, text);
}

void report_summary(void)
{
	printf("%u passed, %u failed\n",
	       __atomic_load_n(&passed, __ATOMIC_RELAXED),
	       __atomic_load_n(&failed, __ATOMIC_RELAXED));
}

unsigned int report_failures(void)
{
	return __atomic_load_n(&failed, __ATOMIC_RELAXED);
}
