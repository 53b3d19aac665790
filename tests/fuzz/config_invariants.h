/*
 * What config_parse() promises about its output, checked after every
 * parse by the fuzz targets.  A broken promise calls fuzz_fail(), which
 * prints the reason and aborts: libFuzzer then saves the input as a crash.
 *
 * The promises (hv/config.h, docs/config.md):
 *  - the return value is OK or one of the four whole-file errors, and a
 *    whole-file error is recorded in the error list;
 *  - every error has a known code and NUL-terminated, printable-ASCII
 *    partition, property and message strings (they go to a console);
 *  - partitions are numbered 1.. in order, at most CONFIG_MAX_LPARS, each
 *    with a clean NUL-terminated name and at most CONFIG_MAX_CORES cores;
 *  - a refused partition has an error naming it (unless errors were
 *    dropped), an accepted one has a kernel the bundle holds, cores the
 *    machine has and no other accepted partition owns, memory that is a
 *    non-zero multiple of 256 MiB, placed memory that neither wraps nor
 *    overlaps, the only MMU implemented, XICS or (where the machine has
 *    one) XIVE, and the accepted partitions' memory fits in what the
 *    machine gives;
 *  - VIOS pairs: at most CONFIG_MAX_VSCSI_PAIRS server and client
 *    adapters per partition, clean names, a partner that is another
 *    partition (or 0: disabled) whose adapter at the given slot names
 *    this one back.
 */
#ifndef TESTS_FUZZ_CONFIG_INVARIANTS_H
#define TESTS_FUZZ_CONFIG_INVARIANTS_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hv/config.h"

static void fuzz_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void fuzz_fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "FUZZ FINDING: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	abort();
}

/* `s` is NUL-terminated within `size` bytes and printable ASCII; with
 * `no_quote`, without '"' either.  Returns its length. */
static size_t fuzz_check_string(const char *what, const char *s, size_t size,
				bool no_quote)
{
	size_t n = strnlen(s, size);
	size_t i;

	if (n == size) {
		fuzz_fail("%s is not NUL-terminated", what);
	}
	for (i = 0; i < n; i++) {
		if (s[i] < 0x20 || s[i] > 0x7e || (no_quote && s[i] == '"')) {
			fuzz_fail("%s has byte 0x%02x at %zu: \"%s\"", what,
				  (unsigned char)s[i], i, s);
		}
	}
	return n;
}

/* An image name as the bundle may be asked for it. */
static void fuzz_check_image_name(const char *name)
{
	size_t n = fuzz_check_string("image name", name, CONFIG_NAME_LEN,
				     true);
	size_t i;

	if (n == 0 || strcmp(name, "config") == 0) {
		fuzz_fail("image name \"%s\" passed to the bundle", name);
	}
	for (i = 0; i < n; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '.' || c == '_')) {
			fuzz_fail("image name \"%s\" passed to the bundle",
				  name);
		}
	}
}

static bool fuzz_lpar_has_error(const struct config *c, const char *name)
{
	uint32_t i;

	for (i = 0; i < c->error_count; i++) {
		if (strcmp(c->errors[i].lpar, name) == 0) {
			return true;
		}
	}
	return false;
}

static void fuzz_check_accepted(const struct config_env *env,
				const struct config *c,
				const struct lpar_config *l)
{
	const struct lpar_config *o;
	uint32_t i, j, k;

	/* Only SLOF boots without a kernel (from a disk), and then with no
	 * initramfs either. */
	if (!l->kernel[0] && (l->firmware != CONFIG_FIRMWARE_SLOF ||
			      l->initramfs[0])) {
		fuzz_fail("lpar %u accepted without a kernel", l->lpid);
	}
	if (l->kernel[0]) {
		fuzz_check_image_name(l->kernel);
	}
	if (l->kernel[0] && env->image_exists &&
	    !env->image_exists(env->ctx, l->kernel)) {
		fuzz_fail("lpar %u accepted with missing kernel \"%s\"",
			  l->lpid, l->kernel);
	}
	if (l->initramfs[0]) {
		fuzz_check_image_name(l->initramfs);
	}
	/* Any bytes (docs/config.md): they only go to the guest's tree. */
	if (strnlen(l->bootargs, sizeof(l->bootargs)) == sizeof(l->bootargs)) {
		fuzz_fail("lpar %u bootargs not NUL-terminated", l->lpid);
	}
	if (l->core_count == 0) {
		fuzz_fail("lpar %u accepted without a core", l->lpid);
	}
	for (i = 0; i < l->core_count; i++) {
		if (l->cores[i] >= env->core_count) {
			fuzz_fail("lpar %u accepted with core %u of %u",
				  l->lpid, l->cores[i], env->core_count);
		}
		for (j = 0; j < i; j++) {
			if (l->cores[j] == l->cores[i]) {
				fuzz_fail("lpar %u has core %u twice", l->lpid,
					  l->cores[i]);
			}
		}
	}
	if (l->mem_size == 0 || l->mem_size % CONFIG_MEM_ALIGN) {
		fuzz_fail("lpar %u accepted with memory 0x%llx", l->lpid,
			  (unsigned long long)l->mem_size);
	}
	if (l->nvram_size < CONFIG_NVRAM_MIN || l->nvram_size > CONFIG_NVRAM_MAX ||
	    l->nvram_size % CONFIG_NVRAM_ALIGN) {
		fuzz_fail("lpar %u accepted with nvram-size 0x%x", l->lpid,
			  l->nvram_size);
	}
	if (l->mem_base_set &&
	    (l->mem_base % CONFIG_MEM_ALIGN ||
	     l->mem_base + l->mem_size <= l->mem_base)) {
		fuzz_fail("lpar %u accepted at 0x%llx + 0x%llx", l->lpid,
			  (unsigned long long)l->mem_base,
			  (unsigned long long)l->mem_size);
	}
	if ((l->mmu != CONFIG_MMU_RADIX && l->mmu != CONFIG_MMU_HASH) ||
	    (l->mmu == CONFIG_MMU_RADIX && env->no_radix) ||
	    (l->intc != CONFIG_INTC_XICS &&
	     (l->intc != CONFIG_INTC_XIVE || env->no_xive)) ||
	    (l->boot != CONFIG_BOOT_KERNEL && l->boot != CONFIG_BOOT_PAYLOAD) ||
	    (l->on_crash != CONFIG_POLICY_RESTART &&
	     l->on_crash != CONFIG_POLICY_STOP) ||
	    (l->on_reboot != CONFIG_POLICY_RESTART &&
	     l->on_reboot != CONFIG_POLICY_STOP)) {
		fuzz_fail("lpar %u accepted with mmu %d intc %d boot %d "
			  "policies %d/%d", l->lpid, l->mmu, l->intc, l->boot,
			  l->on_crash, l->on_reboot);
	}
	/* Firmware ("vof", "slof") starts kernels only; dual needs a XIVE. */
	if ((l->firmware != CONFIG_FIRMWARE_NONE &&
	     l->firmware != CONFIG_FIRMWARE_VOF &&
	     l->firmware != CONFIG_FIRMWARE_SLOF) ||
	    (l->firmware != CONFIG_FIRMWARE_NONE &&
	     l->boot != CONFIG_BOOT_KERNEL) ||
	    (l->intc_dual && (env->no_xive || l->intc != CONFIG_INTC_XIVE))) {
		fuzz_fail("lpar %u accepted with firmware %d boot %d dual %d",
			  l->lpid, l->firmware, l->boot, l->intc_dual);
	}
	/* Against the accepted partitions before it. */
	for (k = 0; k + 1 < l->lpid; k++) {
		o = &c->lpars[k];
		if (o->refused) {
			continue;
		}
		for (i = 0; i < l->core_count; i++) {
			for (j = 0; j < o->core_count; j++) {
				if (l->cores[i] == o->cores[j]) {
					fuzz_fail("lpars %u and %u both own "
						  "core %u", o->lpid, l->lpid,
						  l->cores[i]);
				}
			}
		}
		if (l->mem_base_set && o->mem_base_set &&
		    l->mem_base < o->mem_base + o->mem_size &&
		    o->mem_base < l->mem_base + l->mem_size) {
			fuzz_fail("lpars %u and %u overlap in memory", o->lpid,
				  l->lpid);
		}
	}
}

/* One side's VIOS adapters `v` (n of them) of `l`; the partner's are
 * its clients when `server`, else its servers. */
static void fuzz_check_vios(const struct config *c,
			    const struct lpar_config *l, bool server)
{
	uint32_t n = server ? l->vhost_count : l->vclient_count;
	const struct vscsi_pair_config *v = server ? l->vhosts : l->vclients;
	char what[64];

	if (n > CONFIG_MAX_VSCSI_PAIRS) {
		fuzz_fail("lpar %u has %u VIOS %s adapters", l->lpid, n,
			  server ? "server" : "client");
	}
	for (uint32_t i = 0; i < n; i++) {
		const struct lpar_config *p;
		const struct vscsi_pair_config *back;

		snprintf(what, sizeof(what), "lpar %u VIOS adapter %u name",
			 l->lpid, i);
		fuzz_check_string(what, v[i].name, sizeof(v[i].name), true);
		if (v[i].partner_lpid == 0) {
			continue;
		}
		if (v[i].partner_lpid == l->lpid ||
		    v[i].partner_lpid > c->lpar_count ||
		    v[i].partner_slot >= CONFIG_MAX_VSCSI_PAIRS) {
			fuzz_fail("lpar %u VIOS adapter %u: partner %u slot %u",
				  l->lpid, i, v[i].partner_lpid,
				  v[i].partner_slot);
		}
		p = &c->lpars[v[i].partner_lpid - 1];
		back = server ? &p->vclients[v[i].partner_slot]
			      : &p->vhosts[v[i].partner_slot];
		if (v[i].partner_slot >= (server ? p->vclient_count
						  : p->vhost_count) ||
		    back->partner_lpid != l->lpid ||
		    back->partner_slot != i) {
			fuzz_fail("lpar %u VIOS adapter %u: its partner does "
				  "not name it back", l->lpid, i);
		}
	}
}

/* Check everything config_parse() returned for `env`. */
static void fuzz_check_config(const struct config_env *env,
			      enum config_err e, const struct config *c)
{
	const struct lpar_config *l;
	uint64_t used = 0;
	char what[64];
	uint32_t i;

	if (e != CONFIG_OK && e != CONFIG_E_NOT_FDT &&
	    e != CONFIG_E_COMPATIBLE && e != CONFIG_E_NO_PARTITIONS) {
		fuzz_fail("config_parse() returned %d", (int)e);
	}
	if (c->error_count > CONFIG_MAX_ERRORS ||
	    (c->errors_dropped && c->error_count != CONFIG_MAX_ERRORS)) {
		fuzz_fail("%u errors recorded, %u dropped", c->error_count,
			  c->errors_dropped);
	}
	if (e != CONFIG_OK && c->error_count == 0) {
		fuzz_fail("whole-file error %d without a message", (int)e);
	}
	for (i = 0; i < c->error_count; i++) {
		const struct config_error *er = &c->errors[i];

		if (er->code <= CONFIG_OK || er->code >= CONFIG_E_COUNT) {
			fuzz_fail("error %u has code %d", i, (int)er->code);
		}
		snprintf(what, sizeof(what), "error %u partition", i);
		fuzz_check_string(what, er->lpar, sizeof(er->lpar), true);
		snprintf(what, sizeof(what), "error %u property", i);
		fuzz_check_string(what, er->property, sizeof(er->property),
				  true);
		snprintf(what, sizeof(what), "error %u message", i);
		if (fuzz_check_string(what, er->message, sizeof(er->message),
				      false) == 0) {
			fuzz_fail("error %u has an empty message", i);
		}
	}
	if (c->lpar_count > CONFIG_MAX_LPARS) {
		fuzz_fail("%u partitions", c->lpar_count);
	}
	for (i = 0; i < c->lpar_count; i++) {
		l = &c->lpars[i];
		if (l->lpid != i + 1) {
			fuzz_fail("partition %u has lpid %u", i, l->lpid);
		}
		snprintf(what, sizeof(what), "lpar %u name", l->lpid);
		fuzz_check_string(what, l->name, sizeof(l->name), true);
		fuzz_check_vios(c, l, true);
		fuzz_check_vios(c, l, false);
		if (l->core_count > CONFIG_MAX_CORES) {
			fuzz_fail("lpar %u has %u cores", l->lpid,
				  l->core_count);
		}
		if (l->refused) {
			if (!c->errors_dropped &&
			    !fuzz_lpar_has_error(c, l->name)) {
				fuzz_fail("lpar %u refused without an error",
					  l->lpid);
			}
			continue;
		}
		if (e != CONFIG_OK) {
			continue;
		}
		fuzz_check_accepted(env, c, l);
		used += l->mem_size;
		if (used > env->mem_available || used < l->mem_size) {
			fuzz_fail("accepted partitions use 0x%llx of 0x%llx",
				  (unsigned long long)used,
				  (unsigned long long)env->mem_available);
		}
	}
	if (config_good_count(c) > c->lpar_count) {
		fuzz_fail("config_good_count() says %u of %u",
			  config_good_count(c), c->lpar_count);
	}
}

#endif /* TESTS_FUZZ_CONFIG_INVARIANTS_H */
