/*
 * libFuzzer target: the partition configuration checker, hv/config.c,
 * exactly as lparvisor and tools/lparvisor-config compile it, over the
 * libfdt sources the hypervisor uses.  Built with clang
 * -fsanitize=fuzzer,address,undefined (tests/fuzz/Makefile.check).
 *
 * Each input is a configuration blob.  It is copied into a buffer of
 * exactly its size (AddressSanitizer then catches a read one byte past
 * it) and checked against three machines: the default POWER9 one with
 * images, an empty POWER8 (no XIVE) without image checks, and a POWER8
 * with every limit at its maximum.  Besides memory errors, a finding is any broken promise of
 * config_parse() (tests/fuzz/config_invariants.h): an accepted partition
 * that does not fit the machine, a message a console cannot print, a
 * result that changes when the same blob is parsed again.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hv/config.h"
#include "tests/fuzz/config_invariants.h"

/* The image names the corpus configurations use; "corrupt" exists but
 * cannot boot. */
static const char *const images[] = {
	"vmlinux", "initramfs", "rootfs", "hello", "hcall", "rtas",
	"smp",     "probe",     "restart", "fuzz", "corrupt",
};

static bool fake_exists(void *ctx, const char *name)
{
	size_t i;

	(void)ctx;
	fuzz_check_image_name(name);
	for (i = 0; i < sizeof(images) / sizeof(images[0]); i++) {
		if (strcmp(name, images[i]) == 0) {
			return true;
		}
	}
	return false;
}

static const char *fake_check(void *ctx, const char *name,
			      enum config_boot kind)
{
	(void)ctx;
	fuzz_check_image_name(name);
	if (kind != CONFIG_BOOT_KERNEL && kind != CONFIG_BOOT_PAYLOAD) {
		fuzz_fail("image_check called with boot kind %d", (int)kind);
	}
	if (strcmp(name, "corrupt") == 0) {
		return "not an ELF file";
	}
	return NULL;
}

static const struct config_env envs[] = {
	{ .core_count = 4, .mem_available = 3 * SZ_1G,
	  .image_exists = fake_exists, .image_check = fake_check },
	{ .core_count = 0, .mem_available = 0, .no_xive = true },
	{ .core_count = UINT32_MAX, .mem_available = UINT64_MAX,
	  .no_xive = true, .no_radix = true, .image_exists = fake_exists,
	  .image_check = fake_check },
};

static struct config first, again;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum config_err e1, e2;
	uint8_t *blob;
	size_t i;

	/* malloc(0) may return NULL; config_parse() must cope with both. */
	blob = malloc(size ? size : 1);
	if (!blob) {
		return 0;
	}
	memcpy(blob, data, size);
	for (i = 0; i < sizeof(envs) / sizeof(envs[0]); i++) {
		e1 = config_parse(size ? blob : NULL, size, &envs[i], &first);
		fuzz_check_config(&envs[i], e1, &first);
		e2 = config_parse(blob, size, &envs[i], &again);
		if ((e1 != e2 || memcmp(&first, &again,
						sizeof(first)) != 0)) {
			fuzz_fail("env %zu: a second parse of the same blob "
				  "gave another result", i);
		}
		if (memcmp(blob, data, size) != 0) {
			fuzz_fail("config_parse() wrote into the blob");
		}
	}
	free(blob);
	return 0;
}
