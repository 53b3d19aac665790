/*
 * <assert.h> for zstd's decoder in the freestanding build: static
 * assertions only; run-time assertions compile to nothing (DEBUGLEVEL 0:
 * the decoder reports faults through its return codes).
 */
#ifndef HV_ZSTD_ASSERT_H
#define HV_ZSTD_ASSERT_H

#define static_assert _Static_assert
#ifndef assert
#define assert(condition) ((void)0)
#endif

#endif /* HV_ZSTD_ASSERT_H */
