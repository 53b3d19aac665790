/*
 * Freestanding string and memory helpers for the hypervisor (no libc).
 * The names and semantics are the C library's, so that libfdt and the
 * compiler's own calls to memcpy/memset resolve to these.
 */
#ifndef HV_LIB_STRING_H
#define HV_LIB_STRING_H

#include "hv/lib/types.h"

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
unsigned long strtoul(const char *s, char **end, int base);

#endif /* HV_LIB_STRING_H */
