/*
 * Cache-inhibited accesses to device registers from hypervisor real mode
 * (ldcix and friends: ISA 3.0 Book III 4.4.2).  Devices are big-endian;
 * lparvisor runs little-endian, so every value is byte-reversed around
 * the access.  Each store is ordered after earlier stores (sync); each
 * load is ordered before later accesses (eieio).
 */
#ifndef HV_IO_H
#define HV_IO_H

#include "hv/lib/types.h"

static inline uint64_t io_ld64(uint64_t addr)
{
	uint64_t v;

	__asm__ volatile("ldcix %0,0,%1; eieio" : "=r"(v) : "r"(addr)
			 : "memory");
	return __builtin_bswap64(v);
}

static inline uint32_t io_ld32(uint64_t addr)
{
	uint32_t v;

	__asm__ volatile("lwzcix %0,0,%1; eieio" : "=r"(v) : "r"(addr)
			 : "memory");
	return __builtin_bswap32(v);
}

static inline uint16_t io_ld16(uint64_t addr)
{
	uint16_t v;

	__asm__ volatile("lhzcix %0,0,%1; eieio" : "=r"(v) : "r"(addr)
			 : "memory");
	return __builtin_bswap16(v);
}

static inline uint8_t io_ld8(uint64_t addr)
{
	uint8_t v;

	__asm__ volatile("lbzcix %0,0,%1; eieio" : "=r"(v) : "r"(addr)
			 : "memory");
	return v;
}

static inline void io_st64(uint64_t addr, uint64_t v)
{
	__asm__ volatile("sync; stdcix %0,0,%1" ::"r"(__builtin_bswap64(v)),
			 "r"(addr) : "memory");
}

static inline void io_st32(uint64_t addr, uint32_t v)
{
	__asm__ volatile("sync; stwcix %0,0,%1" ::"r"(__builtin_bswap32(v)),
			 "r"(addr) : "memory");
}

static inline void io_st16(uint64_t addr, uint16_t v)
{
	__asm__ volatile("sync; sthcix %0,0,%1" ::"r"(__builtin_bswap16(v)),
			 "r"(addr) : "memory");
}

static inline void io_st8(uint64_t addr, uint8_t v)
{
	__asm__ volatile("sync; stbcix %0,0,%1" ::"r"(v), "r"(addr)
			 : "memory");
}

#endif /* HV_IO_H */
