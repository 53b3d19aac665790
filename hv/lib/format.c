/*
 * A small printf engine for the console and for error messages that name
 * partitions and properties.  No floating point: hypervisor code must not
 * touch FP registers.
 */
#include "hv/lib/format.h"

struct outbuf {
	char *buf;
	size_t size;
	size_t len;
};

static void out_char(struct outbuf *o, char c)
{
	if (o->len + 1 < o->size) {
		o->buf[o->len] = c;
	}
	o->len++;
}

static void out_pad(struct outbuf *o, char c, int n)
{
	while (n-- > 0) {
		out_char(o, c);
	}
}

struct spec {
	bool left;
	bool zero;
	int width;
	int prec; /* -1: none; for %s, the most characters printed */
	int lng;
};

static void out_str(struct outbuf *o, const char *s, const struct spec *sp)
{
	int n = 0;

	if (!s) {
		s = "(null)";
	}
	while ((sp->prec < 0 || n < sp->prec) && s[n]) {
		n++;
	}
	if (!sp->left) {
		out_pad(o, ' ', sp->width - n);
	}
	for (int i = 0; i < n; i++) {
		out_char(o, s[i]);
	}
	if (sp->left) {
		out_pad(o, ' ', sp->width - n);
	}
}

static void out_num(struct outbuf *o, uint64_t v, bool neg, unsigned base,
		    bool upper, const struct spec *sp)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0;
	int len;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	len = n + (neg ? 1 : 0);
	if (!sp->left && !sp->zero) {
		out_pad(o, ' ', sp->width - len);
	}
	if (neg) {
		out_char(o, '-');
	}
	if (!sp->left && sp->zero) {
		out_pad(o, '0', sp->width - len);
	}
	while (n) {
		out_char(o, tmp[--n]);
	}
	if (sp->left) {
		out_pad(o, ' ', sp->width - len);
	}
}

static uint64_t get_unsigned(va_list *ap, int lng)
{
	if (lng >= 2) {
		return va_arg(*ap, unsigned long long);
	}
	if (lng == 1) {
		return va_arg(*ap, unsigned long);
	}
	return va_arg(*ap, unsigned int);
}

static int64_t get_signed(va_list *ap, int lng)
{
	if (lng >= 2) {
		return va_arg(*ap, long long);
	}
	if (lng == 1) {
		return va_arg(*ap, long);
	}
	return va_arg(*ap, int);
}

static const char *parse_spec(const char *f, struct spec *sp, va_list *ap)
{
	sp->left = false;
	sp->zero = false;
	sp->width = 0;
	sp->prec = -1;
	sp->lng = 0;
	for (;; f++) {
		if (*f == '-') {
			sp->left = true;
		} else if (*f == '0') {
			sp->zero = true;
		} else {
			break;
		}
	}
	if (*f == '*') {
		sp->width = va_arg(*ap, int);
		if (sp->width < 0) {
			sp->left = true;
			sp->width = -sp->width;
		}
		f++;
	}
	while (*f >= '0' && *f <= '9') {
		sp->width = sp->width * 10 + (*f++ - '0');
	}
	if (*f == '.') {
		f++;
		sp->prec = 0;
		if (*f == '*') {
			sp->prec = va_arg(*ap, int);
			f++;
		}
		while (*f >= '0' && *f <= '9') {
			sp->prec = sp->prec * 10 + (*f++ - '0');
		}
	}
	for (;; f++) {
		if (*f == 'l') {
			sp->lng++;
		} else if (*f == 'z') {
			sp->lng = 1;
		} else {
			break;
		}
	}
	return f;
}

static void format_one(struct outbuf *o, char conv, struct spec *sp,
		       va_list *ap)
{
	int64_t sv;

	switch (conv) {
	case 'c':
		if (!sp->left) {
			out_pad(o, ' ', sp->width - 1);
		}
		out_char(o, (char)va_arg(*ap, int));
		if (sp->left) {
			out_pad(o, ' ', sp->width - 1);
		}
		break;
	case 's':
		out_str(o, va_arg(*ap, const char *), sp);
		break;
	case 'd':
	case 'i':
		sv = get_signed(ap, sp->lng);
		out_num(o, sv < 0 ? -(uint64_t)sv : (uint64_t)sv, sv < 0, 10,
			false, sp);
		break;
	case 'u':
		out_num(o, get_unsigned(ap, sp->lng), false, 10, false, sp);
		break;
	case 'x':
	case 'X':
		out_num(o, get_unsigned(ap, sp->lng), false, 16, conv == 'X',
			sp);
		break;
	case 'p':
		out_str(o, "0x", &(struct spec){ .prec = -1 });
		sp->zero = true;
		sp->width = 16;
		out_num(o, (uintptr_t)va_arg(*ap, void *), false, 16, false, sp);
		break;
	case '%':
		out_char(o, '%');
		break;
	default:
		/* Unknown conversion: print it verbatim so the bug is visible. */
		out_char(o, '%');
		out_char(o, conv);
		break;
	}
}

size_t hv_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct outbuf o = { .buf = buf, .size = size, .len = 0 };
	struct spec sp;
	va_list aq;

	va_copy(aq, ap);
	while (*fmt) {
		if (*fmt != '%') {
			out_char(&o, *fmt++);
			continue;
		}
		fmt = parse_spec(fmt + 1, &sp, &aq);
		if (!*fmt) {
			break;
		}
		format_one(&o, *fmt++, &sp, &aq);
	}
	va_end(aq);
	if (size) {
		buf[o.len < size ? o.len : size - 1] = '\0';
	}
	return o.len;
}

size_t hv_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = hv_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
