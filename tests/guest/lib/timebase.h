/*
 * Time in a test partition: the timebase and its frequency from /cpus
 * (`timebase-frequency`, 512 MHz on QEMU pseries), and bounded waits so
 * that a missing event is a FAIL, never a hang.
 */
#ifndef TESTS_GUEST_LIB_TIMEBASE_H
#define TESTS_GUEST_LIB_TIMEBASE_H

#include "tests/guest/lib/ppc.h"

/**
 * Read timebase-frequency from the first CPU node under /cpus.
 * Returns it, or 0 when the tree has none (then 512 MHz is assumed).
 */
uint64_t tb_init(void);

/** Timebase ticks per second. */
uint64_t tb_freq(void);

static inline uint64_t tb_now(void)
{
	return mftb();
}

uint64_t tb_from_us(uint64_t us);
uint64_t tb_to_us(uint64_t ticks);

static inline uint64_t tb_from_ms(uint64_t ms)
{
	return tb_from_us(ms * 1000);
}

/** Spin for `us` microseconds. */
void delay_us(uint64_t us);

/**
 * Spin until `cond` holds or `ms` milliseconds pass.  Evaluates to the
 * last value of `cond`.
 */
#define WAIT_FOR(cond, ms)                                          \
	({                                                          \
		uint64_t end_ = tb_now() + tb_from_ms(ms);          \
		bool ok_;                                           \
		while (!(ok_ = (cond)) && tb_now() < end_) {        \
			cpu_relax();                                \
		}                                                   \
		ok_;                                                \
	})

#endif /* TESTS_GUEST_LIB_TIMEBASE_H */
