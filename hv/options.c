/*
 * Boot option parsing.  Bad values never stop the boot: the option keeps
 * its default and the boot log says which word was refused and why.
 */
#include "hv/lib/format.h"
#include "hv/lib/string.h"
#include "hv/options.h"

void options_default(struct hv_options *o)
{
	o->heap_size = OPT_DEFAULT_HEAP;
	o->smp_timeout_ms = OPT_DEFAULT_SMP_TIMEOUT_MS;
	o->panic = PANIC_HALT;
	o->debug_hang_cpu = OPT_NO_CPU;
	o->debug_fault_cpu = OPT_NO_CPU;
	o->profile = false;
	o->clear_at_boot = false;
	o->clear_ahead = false;
}

static bool parse_number(const char *s, size_t len, uint64_t *out,
			 size_t *used)
{
	uint64_t v = 0;
	unsigned base = 10;
	size_t i = 0;

	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	}
	if (i == len) {
		return false;
	}
	for (; i < len; i++) {
		char c = s[i];
		unsigned d;

		if (c >= '0' && c <= '9') {
			d = (unsigned)(c - '0');
		} else if (base == 16 && c >= 'a' && c <= 'f') {
			d = (unsigned)(c - 'a' + 10);
		} else if (base == 16 && c >= 'A' && c <= 'F') {
			d = (unsigned)(c - 'A' + 10);
		} else {
			break;
		}
		if (v > (UINT64_MAX - d) / base) {
			return false;
		}
		v = v * base + d;
	}
	if (i == 0 || (base == 16 && i == 2)) {
		return false;
	}
	*out = v;
	*used = i;
	return true;
}

bool options_parse_size(const char *s, size_t len, uint64_t *out)
{
	uint64_t v, mult = 1;
	size_t used;

	if (!parse_number(s, len, &v, &used)) {
		return false;
	}
	if (used + 1 == len) {
		switch (s[used]) {
		case 'k':
		case 'K':
			mult = SZ_4K / 4;
			break;
		case 'm':
		case 'M':
			mult = SZ_1M;
			break;
		case 'g':
		case 'G':
			mult = SZ_1G;
			break;
		default:
			return false;
		}
	} else if (used != len) {
		return false;
	}
	if (v > UINT64_MAX / mult) {
		return false;
	}
	*out = v * mult;
	return true;
}

static bool parse_u32(const char *s, size_t len, uint32_t *out)
{
	uint64_t v;
	size_t used;

	if (!parse_number(s, len, &v, &used) || used != len || v > UINT32_MAX) {
		return false;
	}
	*out = (uint32_t)v;
	return true;
}

/* A thread for the debug options: a PIR, "boot" or "secondary". */
static bool parse_cpu(const char *s, size_t len, uint32_t *out)
{
	uint32_t v;

	if (len == 4 && !memcmp(s, "boot", 4)) {
		*out = OPT_CPU_BOOT;
		return true;
	}
	if (len == 9 && !memcmp(s, "secondary", 9)) {
		*out = OPT_CPU_FIRST_SECONDARY;
		return true;
	}
	if (!parse_u32(s, len, &v) || v >= OPT_CPU_FIRST_SECONDARY) {
		return false;
	}
	*out = v;
	return true;
}

bool options_cpu_selected(uint32_t opt, uint32_t pir, uint32_t index)
{
	switch (opt) {
	case OPT_NO_CPU:
		return false;
	case OPT_CPU_BOOT:
		return index == 0;
	case OPT_CPU_FIRST_SECONDARY:
		return index == 1;
	default:
		return opt == pir;
	}
}

struct word {
	const char *key;
	size_t key_len;
	const char *val;
	size_t val_len;
};

static bool key_is(const struct word *w, const char *key)
{
	return strlen(key) == w->key_len && !memcmp(w->key, key, w->key_len);
}

/* Returns NULL when the value was taken, else the reason it was not. */
static const char *apply(const struct word *w, struct hv_options *o,
			 bool *known)
{
	uint64_t v;

	*known = true;
	if (key_is(w, "heap")) {
		if (!options_parse_size(w->val, w->val_len, &v)) {
			return "not a size (e.g. 16M)";
		}
		if (v < OPT_MIN_HEAP) {
			return "smaller than 4K";
		}
		o->heap_size = v;
	} else if (key_is(w, "smp_timeout_ms")) {
		uint32_t ms;

		if (!parse_u32(w->val, w->val_len, &ms) || ms == 0) {
			return "not a positive number of milliseconds";
		}
		o->smp_timeout_ms = ms;
	} else if (key_is(w, "panic")) {
		struct word tmp = { w->val, w->val_len, NULL, 0 };

		if (key_is(&tmp, "halt")) {
			o->panic = PANIC_HALT;
		} else if (key_is(&tmp, "poweroff")) {
			o->panic = PANIC_POWEROFF;
		} else if (key_is(&tmp, "reboot")) {
			o->panic = PANIC_REBOOT;
		} else {
			return "expected halt, poweroff or reboot";
		}
	} else if (key_is(w, "profile")) {
		struct word tmp = { w->val, w->val_len, NULL, 0 };

		if (key_is(&tmp, "on")) {
			o->profile = true;
		} else if (key_is(&tmp, "off")) {
			o->profile = false;
		} else {
			return "expected on or off";
		}
	} else if (key_is(w, "clear")) {
		struct word tmp = { w->val, w->val_len, NULL, 0 };

		if (key_is(&tmp, "lazy")) {
			o->clear_at_boot = false;
			o->clear_ahead = false;
		} else if (key_is(&tmp, "ahead")) {
			o->clear_at_boot = false;
			o->clear_ahead = true;
		} else if (key_is(&tmp, "boot")) {
			o->clear_at_boot = true;
			o->clear_ahead = false;
		} else {
			return "expected lazy, ahead or boot";
		}
	} else if (key_is(w, "debug.hang_cpu")) {
		if (!parse_cpu(w->val, w->val_len, &o->debug_hang_cpu)) {
			return "not a PIR, \"boot\" or \"secondary\"";
		}
	} else if (key_is(w, "debug.fault_cpu")) {
		if (!parse_cpu(w->val, w->val_len, &o->debug_fault_cpu)) {
			return "not a PIR, \"boot\" or \"secondary\"";
		}
	} else {
		*known = false;
	}
	return NULL;
}

static void add_warning(char *warn, size_t warnlen, const struct word *w,
			const char *why)
{
	size_t used = strnlen(warn, warnlen);

	if (used + 1 >= warnlen) {
		return;
	}
	hv_snprintf(warn + used, warnlen - used, "%.*s: %s; ", (int)w->key_len,
		    w->key, why);
}

int options_parse(const char *args, struct hv_options *o, char *warn,
		  size_t warnlen)
{
	const char *p = args;
	int bad = 0;

	if (warnlen) {
		warn[0] = '\0';
	}
	while (p && *p) {
		struct word w;
		const char *end, *eq;
		const char *why;
		bool known;

		while (*p == ' ' || *p == '\t') {
			p++;
		}
		end = p;
		while (*end && *end != ' ' && *end != '\t') {
			end++;
		}
		eq = memchr(p, '=', (size_t)(end - p));
		if (eq) {
			w = (struct word){ p, (size_t)(eq - p), eq + 1,
					   (size_t)(end - eq - 1) };
			why = apply(&w, o, &known);
			if (known && why) {
				add_warning(warn, warnlen, &w, why);
				bad++;
			}
		}
		p = end;
	}
	return bad;
}
