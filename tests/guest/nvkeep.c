/*
 * NVRAM that outlives the machine (issue 16): reads a record of its own
 * from the partition's NVRAM, checks that it is whole, then writes newer
 * ones.  The record, at NVKEEP_AT, is the magic "NVKEEP01", a generation
 * number and a pattern that only that generation produces, over 9 KiB
 * (across three 4 KiB flash blocks), each written with one nvram-store.  A
 * power cut during a store must leave the previous generation or the new
 * one: anything else is a FAIL.
 *
 * Prints "nvkeep: found blank" or "nvkeep: found generation G", then
 * "nvkeep: stored generation N" after each store that returned success,
 * stores=K generations (default 4) past what it found, and powers off.
 * tests/boot/scenarios.py p9-flash-nvram-power-cut reads these lines
 * across boots of one flash image, killing QEMU in the middle of stores.
 */
#include "hv/lib/string.h"
#include "tests/guest/lib/console.h"
#include "tests/guest/lib/dt.h"
#include "tests/guest/lib/guest.h"
#include "tests/guest/lib/report.h"
#include "tests/guest/lib/rtas.h"

#define NVKEEP_AT 0x4000u
#define NVKEEP_LEN 0x2400u
#define MAGIC "NVKEEP01"
#define DEFAULT_STORES 4
#define MAX_STORES 10000

const char test_name[] = "nvkeep";

static uint8_t rec[NVKEEP_LEN] __attribute__((aligned(4096)));

static uint8_t pattern(uint32_t gen, uint32_t i)
{
	return (uint8_t)(gen * 37u + i * 7u + (i >> 8));
}

static void make(uint32_t gen)
{
	memcpy(rec, MAGIC, 8);
	rec[8] = (uint8_t)(gen >> 24);
	rec[9] = (uint8_t)(gen >> 16);
	rec[10] = (uint8_t)(gen >> 8);
	rec[11] = (uint8_t)gen;
	for (uint32_t i = 12; i < NVKEEP_LEN; i++) {
		rec[i] = pattern(gen, i);
	}
}

/* -1: blank (all zero), -2: neither blank nor a whole record, else gen. */
static long parse(void)
{
	uint32_t gen;
	bool zero = true;

	for (uint32_t i = 0; i < NVKEEP_LEN && zero; i++) {
		zero = rec[i] == 0;
	}
	if (zero) {
		return -1;
	}
	if (memcmp(rec, MAGIC, 8) != 0) {
		return -2;
	}
	gen = (uint32_t)rec[8] << 24 | (uint32_t)rec[9] << 16 |
	      (uint32_t)rec[10] << 8 | rec[11];
	for (uint32_t i = 12; i < NVKEEP_LEN; i++) {
		if (rec[i] != pattern(gen, i)) {
			printf("nvkeep: byte %u of generation %u is 0x%02x, "
			       "not 0x%02x\n", i, gen, rec[i], pattern(gen, i));
			return -2;
		}
	}
	return (long)gen;
}

static unsigned long stores_wanted(void)
{
	const char *v = dt_bootarg("stores");
	unsigned long n;
	char *end;

	if (!v) {
		return DEFAULT_STORES;
	}
	n = strtoul(v, &end, 10);
	return end == v || n > MAX_STORES ? DEFAULT_STORES : n;
}

void test_main(void)
{
	int fetch = rtas_token("nvram-fetch");
	int store = rtas_token("nvram-store");
	uint32_t b = (uint32_t)(uintptr_t)rec;
	unsigned long n = stores_wanted();
	uint32_t out[1];
	long found;
	int rc;

	if (!report(fetch != RTAS_UNKNOWN_SERVICE &&
			    store != RTAS_UNKNOWN_SERVICE,
		    "nvram-fetch and nvram-store in /rtas")) {
		return;
	}
	rc = rtas_call(fetch, 3, 2, out, NVKEEP_AT, b, NVKEEP_LEN);
	if (!report_rtas(rc, RTAS_OUT_SUCCESS, "nvram-fetch of the record")) {
		return;
	}
	found = parse();
	if (found == -1) {
		printf("nvkeep: found blank\n");
	} else if (found >= 0) {
		printf("nvkeep: found generation %ld\n", found);
	}
	if (!report(found != -2, "the record is blank or whole")) {
		return;
	}
	for (unsigned long k = 1; k <= n; k++) {
		uint32_t gen = (uint32_t)(found < 0 ? 0 : found) + (uint32_t)k;

		make(gen);
		rc = rtas_call(store, 3, 2, out, NVKEEP_AT, b, NVKEEP_LEN);
		if (rc != RTAS_OUT_SUCCESS || out[0] != NVKEEP_LEN) {
			report(false, "nvram-store of generation %u: status %d, "
			       "%u bytes", gen, rc, out[0]);
			return;
		}
		printf("nvkeep: stored generation %u\n", gen);
	}
	memset(rec, 0, sizeof(rec));
	rc = rtas_call(fetch, 3, 2, out, NVKEEP_AT, b, NVKEEP_LEN);
	report(rc == RTAS_OUT_SUCCESS && parse() ==
					 (found < 0 ? 0 : found) + (long)n,
	       "the last generation reads back");
}
