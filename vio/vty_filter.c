/*
 * Guest console bytes on their way to the operator's terminal (see
 * vio/vty_filter.h).  The filter follows the terminal's cursor on the
 * current row in guest columns, counted twice: `lo` never more than the
 * cells the guest really occupies (how far left it may go back) and `hi`
 * never fewer (where the row must be cut before the terminal wraps).
 * They differ only after UTF-8 text, whose width is 0 to 2 cells.
 */
#include "hv/lib/types.h"
#include "vio/vty_filter.h"

#define ESC 0x1b
#define CSI_MAX 32  /* longest escape sequence passed on */

struct out {
	const struct vty_filter_sink *sink;
	const char *name;
	uint32_t width;     /* guest columns on a row */
	uint32_t lo, hi;    /* cursor column, lower and upper estimate */
	bool cont;          /* this row continues a cut one */
	bool sgr;           /* a colour may be in force */
	size_t len;
	char buf[128];
};

static void flush(struct out *o)
{
	if (o->len) {
		o->sink->write(o->sink->ctx, o->buf, o->len);
		o->len = 0;
	}
}

static void put(struct out *o, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (o->len == sizeof(o->buf)) {
			flush(o);
		}
		o->buf[o->len++] = s[i];
	}
}

static void put_str(struct out *o, const char *s)
{
	size_t n = 0;

	while (s[n]) {
		n++;
	}
	put(o, s, n);
}

static void put_uint(struct out *o, uint32_t v)
{
	char d[10];
	size_t n = 0;

	do {
		d[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n) {
		put(o, &d[--n], 1);
	}
}

static void reset_colour(struct out *o)
{
	if (o->sgr) {
		put_str(o, "\033[0m");
		o->sgr = false;
	}
}

/* The prefix at column 0: "[name] ", or "[name]+ " on a continued row. */
static void prefix(struct out *o)
{
	reset_colour(o);
	put_str(o, "[");
	put_str(o, o->name);
	put_str(o, o->cont ? "]+ " : "] ");
	o->lo = o->hi = 0;
}

static void new_row(struct out *o)
{
	reset_colour(o);
	put_str(o, "\n");
	o->cont = true;
	prefix(o);
}

/* Room for `cells` more cells on this row, or a new row. */
static void need(struct out *o, uint32_t cells)
{
	if (o->hi + cells > o->width) {
		new_row(o);
	}
}

static void printable(struct out *o, char c)
{
	need(o, 1);
	put(o, &c, 1);
	o->lo++;
	o->hi++;
}

static void left(struct out *o, uint32_t n)
{
	if (n > o->lo) {
		n = o->lo;
	}
	if (n == 0) {
		return;
	}
	if (n == 1) {
		put_str(o, "\b");
	} else {
		put_str(o, "\033[");
		put_uint(o, n);
		put_str(o, "D");
	}
	o->lo -= n;
	o->hi -= n;
}

static void right(struct out *o, uint32_t n)
{
	if (o->hi + n > o->width) {
		n = o->width - o->hi;
	}
	if (n == 0) {
		return;
	}
	put_str(o, "\033[");
	put_uint(o, n);
	put_str(o, "C");
	o->lo += n;
	o->hi += n;
}

/* The numeric parameter of a CSI, `def` when empty; -1 when not a number. */
static int64_t csi_number(const char *p, size_t n, uint32_t def)
{
	uint32_t v = 0;

	if (n == 0) {
		return def;
	}
	for (size_t i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9') {
			return -1;
		}
		if (v < 10000) {
			v = v * 10 + (uint32_t)(p[i] - '0');
		}
	}
	return v;
}

static bool sgr_params(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if ((p[i] < '0' || p[i] > '9') && p[i] != ';') {
			return false;
		}
	}
	return true;
}

/*
 * A CSI sequence at in[0] == ESC, in[1] == '['.  Returns the bytes it
 * spans (all of the rest when it does not end in this line).
 */
static size_t csi(struct out *o, const char *in, size_t n)
{
	size_t i = 2;
	size_t par_end;
	int64_t num;
	char fin;

	while (i < n && in[i] >= 0x30 && in[i] <= 0x3f) {
		i++;
	}
	par_end = i;
	while (i < n && in[i] >= 0x20 && in[i] <= 0x2f) {
		i++;
	}
	if (i == n || in[i] < 0x40 || in[i] > 0x7e) {
		return i == n ? n : i; /* unfinished or malformed: dropped */
	}
	fin = in[i];
	if (par_end != i) {
		return i + 1;          /* intermediate bytes: dropped */
	}
	num = csi_number(in + 2, par_end - 2, 1);
	if (fin == 'm' && i + 1 <= CSI_MAX && sgr_params(in + 2, par_end - 2)) {
		put(o, in, i + 1);
		o->sgr = true;
	} else if ((fin == 'K' || fin == 'J') &&
		   csi_number(in + 2, par_end - 2, 0) == 0) {
		put_str(o, "\033[K");  /* this row only, right of the cursor */
	} else if (fin == 'D' && num >= 0) {
		left(o, (uint32_t)num);
	} else if (fin == 'C' && num >= 0) {
		right(o, (uint32_t)num);
	}
	return i + 1;
}

/* An escape sequence at in[0] == ESC; returns the bytes it spans. */
static size_t escape(struct out *o, const char *in, size_t n)
{
	size_t i;

	if (n < 2) {
		return n;
	}
	switch (in[1]) {
	case '[':
		return csi(o, in, n);
	case ']':
	case 'P':
	case 'X':
	case '^':
	case '_':
		/* A string (OSC, DCS, ...) up to BEL or ESC '\': dropped. */
		for (i = 2; i < n; i++) {
			if (in[i] == 0x07) {
				return i + 1;
			}
			if (in[i] == ESC) {
				return i + 1 < n && in[i + 1] == '\\' ? i + 2 : i;
			}
		}
		return n;
	default:
		return 2;
	}
}

/* Code points a terminal may act on: C1 controls, direction overrides. */
static bool unsafe_code_point(uint32_t cp)
{
	return cp < 0xa0 || (cp >= 0x200e && cp <= 0x200f) ||
	       (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

/*
 * A UTF-8 sequence at in[0] >= 0x80.  Returns its length when it is a
 * valid, safe code point, 0 otherwise.
 */
static size_t utf8(const uint8_t *in, size_t n)
{
	uint8_t b = in[0];
	size_t len;
	uint32_t cp, min;

	if (b >= 0xc2 && b <= 0xdf) {
		len = 2, cp = b & 0x1f, min = 0x80;
	} else if (b >= 0xe0 && b <= 0xef) {
		len = 3, cp = b & 0x0f, min = 0x800;
	} else if (b >= 0xf0 && b <= 0xf4) {
		len = 4, cp = b & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (len > n) {
		return 0;
	}
	for (size_t i = 1; i < len; i++) {
		if ((in[i] & 0xc0) != 0x80) {
			return 0;
		}
		cp = (cp << 6) | (in[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ||
	    unsafe_code_point(cp)) {
		return 0;
	}
	return len;
}

static size_t one(struct out *o, const char *in, size_t n)
{
	uint8_t c = (uint8_t)in[0];
	size_t len;

	if (c >= 0x20 && c < 0x7f) {
		printable(o, (char)c);
		return 1;
	}
	switch (c) {
	case '\r':
		/* "\r\n" ends most lines: a CR last in the line changes nothing. */
		if (n > 1) {
			reset_colour(o);
			put_str(o, "\r");
			prefix(o);
		}
		return 1;
	case '\b':
		left(o, 1);
		return 1;
	case '\t':
		do {
			printable(o, ' ');
		} while (o->hi % 8 != 0 && o->hi < o->width);
		return 1;
	case ESC:
		return escape(o, in, n);
	}
	if (c < 0x80) {
		return 1; /* other C0 controls and DEL: dropped */
	}
	len = utf8((const uint8_t *)in, n);
	if (len == 0) {
		printable(o, '?');
		return 1;
	}
	need(o, 2);
	put(o, in, len);
	o->hi += 2;
	return len;
}

void vty_filter_line(const char *name, const char *in, size_t n,
		     const struct vty_filter_sink *sink)
{
	struct out o = { .sink = sink, .name = name };
	size_t name_len = 0;

	while (name[name_len]) {
		name_len++;
	}
	/* "[" name "]+ " and one column left free for the terminal. */
	o.width = name_len + 4 + 16 < VTY_FILTER_COLS ?
		  VTY_FILTER_COLS - (uint32_t)name_len - 5 : 16;
	prefix(&o);
	for (size_t i = 0; i < n;) {
		i += one(&o, in + i, n - i);
	}
	reset_colour(&o);
	put_str(&o, "\n");
	flush(&o);
}
