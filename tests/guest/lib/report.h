/*
 * Verdict lines of a test payload, read by tests/guest/run-pseries.py:
 * "PASS name", "FAIL name: detail", and at the end "N passed, N failed".
 */
#ifndef TESTS_GUEST_LIB_REPORT_H
#define TESTS_GUEST_LIB_REPORT_H

#include "hv/lib/types.h"

/**
 * Record one check.  The formatted text is "name" or "name: detail";
 * a PASS line prints only the name, a FAIL line the whole text.
 * Returns `cond`.
 */
bool report(bool cond, const char *fmt, ...) __printf(2, 3);

/**
 * Record that hypercall status `got` is `want`; the detail of a failure
 * names both codes.  The formatted text is the check's name.
 */
bool report_hrc(long got, long want, const char *fmt, ...) __printf(3, 4);

/** As report_hrc(), for an RTAS status (rets[0]). */
bool report_rtas(int got, int want, const char *fmt, ...) __printf(3, 4);

/** Print "N passed, N failed". */
void report_summary(void);

/** Number of failed checks so far. */
unsigned int report_failures(void);

#endif /* TESTS_GUEST_LIB_REPORT_H */
