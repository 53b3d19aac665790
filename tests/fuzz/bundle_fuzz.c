/*
 * libFuzzer target: the boot path from a bundle to a configuration, as
 * hv/main.c runs it at boot.  bundle_open() on the blob, then every image
 * it names through bundle_image() and bundle_check_boot() (both kinds),
 * then the "config" image, used in place as lparvisor uses it, through
 * config_parse() with the bundle as its image environment
 * (bundle_config_env()).  Built like tests/fuzz/config_fuzz.c.
 *
 * Findings besides memory errors: image data reported outside the blob,
 * a bundle that changes what it answers on a second look (the verified
 * image cache), and every broken config_parse() promise
 * (tests/fuzz/config_invariants.h).
 */
#include <libfdt.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hv/bundle.h"
#include "hv/config.h"
#include "tests/fuzz/config_invariants.h"

static struct config first, again;

/* bundle_image() of `name` twice: the second answer (from the cache of
 * verified images) must be the first one. */
static enum bundle_err image_twice(const struct bundle *b, const uint8_t *blob,
				   size_t size, const char *name,
				   const void **data, size_t *len)
{
	const void *d2 = NULL;
	enum bundle_err e, e2;
	size_t l2 = 0;

	e = bundle_image(b, name, data, len);
	if (e > BUNDLE_E_BAD_HASH) {
		fuzz_fail("bundle_image(\"%s\") returned %d", name, (int)e);
	}
	if (e == BUNDLE_OK) {
		const uint8_t *p = *data;

		if (p < blob || p > blob + size ||
		    *len > (size_t)(blob + size - p)) {
			fuzz_fail("image \"%s\" data at +%td, %zu bytes, "
				  "outside the %zu-byte bundle", name,
				  p - blob, *len, size);
		}
		if (!bundle_has_image(b, name)) {
			fuzz_fail("image \"%s\" read but not found", name);
		}
	}
	e2 = bundle_image(b, name, &d2, &l2);
	if (e2 != e || (e == BUNDLE_OK && (d2 != *data || l2 != *len))) {
		fuzz_fail("bundle_image(\"%s\") gave %d then %d", name,
			  (int)e, (int)e2);
	}
	return e;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config_env env = { .core_count = 4,
				  .mem_available = 3 * SZ_1G };
	struct bundle b;
	const void *img;
	const char *name;
	enum config_err e1, e2;
	uint8_t *blob;
	size_t len;
	int images, node, n = 0;

	blob = malloc(size ? size : 1);
	if (!blob) {
		return 0;
	}
	memcpy(blob, data, size);
	if (bundle_open(&b, blob, size) != BUNDLE_OK) {
		free(blob);
		return 0;
	}
	/* Every image node, as lparvisor-config's bundle check walks them
	 * (bounded: a blob may hold many). */
	images = fdt_path_offset(blob, "/images");
	fdt_for_each_subnode(node, blob, images) {
		name = fdt_get_name(blob, node, NULL);
		if (!name || ++n > 64) {
			break;
		}
		if (image_twice(&b, blob, size, name, &img, &len) ==
		    BUNDLE_OK) {
			bundle_check_boot(img, len, CONFIG_BOOT_KERNEL);
			bundle_check_boot(img, len, CONFIG_BOOT_PAYLOAD);
		}
	}
	if (image_twice(&b, blob, size, "config", &img, &len) == BUNDLE_OK) {
		bundle_config_env(&b, &env);
		e1 = config_parse(img, len, &env, &first);
		fuzz_check_config(&env, e1, &first);
		e2 = config_parse(img, len, &env, &again);
		if (e1 != e2 || memcmp(&first, &again, sizeof(first)) != 0) {
			fuzz_fail("a second parse of the bundle's config gave "
				  "another result");
		}
	}
	if (memcmp(blob, data, size) != 0) {
		fuzz_fail("the bundle was written to");
	}
	free(blob);
	return 0;
}
