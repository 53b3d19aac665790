/*
 * Host stand-in for hv/io.h: cache-inhibited device accesses become
 * records the tests read (address, size, value); a load returns
 * fake_io_value.  Chosen by the build ahead of the real header, like
 * the other fakes in this folder.
 */
#ifndef HV_IO_H
#define HV_IO_H

#include "hv/lib/types.h"

#define FAKE_IO_LOG 16

struct fake_io_access {
	uint64_t addr;
	uint64_t value;
	unsigned size;
	bool store;
};

extern struct fake_io_access fake_io_log[FAKE_IO_LOG];
extern unsigned fake_io_count;
extern uint64_t fake_io_value;

void fake_io_record(uint64_t addr, unsigned size, bool store, uint64_t v);

static inline uint64_t io_ld64(uint64_t addr)
{
	fake_io_record(addr, 8, false, fake_io_value);
	return fake_io_value;
}

static inline uint32_t io_ld32(uint64_t addr)
{
	fake_io_record(addr, 4, false, (uint32_t)fake_io_value);
	return (uint32_t)fake_io_value;
}

static inline uint16_t io_ld16(uint64_t addr)
{
	fake_io_record(addr, 2, false, (uint16_t)fake_io_value);
	return (uint16_t)fake_io_value;
}

static inline uint8_t io_ld8(uint64_t addr)
{
	fake_io_record(addr, 1, false, (uint8_t)fake_io_value);
	return (uint8_t)fake_io_value;
}

static inline void io_st64(uint64_t addr, uint64_t v)
{
	fake_io_record(addr, 8, true, v);
}

static inline void io_st32(uint64_t addr, uint32_t v)
{
	fake_io_record(addr, 4, true, v);
}

static inline void io_st16(uint64_t addr, uint16_t v)
{
	fake_io_record(addr, 2, true, v);
}

static inline void io_st8(uint64_t addr, uint8_t v)
{
	fake_io_record(addr, 1, true, v);
}

#endif /* HV_IO_H */
