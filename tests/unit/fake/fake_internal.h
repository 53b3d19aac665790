/*
 * Between the fake modules only: each one's reset, called by fake_reset().
 */
#ifndef TESTS_UNIT_FAKE_FAKE_INTERNAL_H
#define TESTS_UNIT_FAKE_FAKE_INTERNAL_H

void fake_cpu_reset(void);
void fake_console_reset(void);
void fake_platform_reset(void);
void fake_lpar_reset(void);

#endif /* TESTS_UNIT_FAKE_FAKE_INTERNAL_H */
