/*
 * vty console over H_PUT_TERM_CHAR (QEMU 7.2 `h_put_term_char`: at most
 * 16 bytes per call, first byte in the most significant byte of r6).
 */
#include "hv/abi/hcall.h"
#include "hv/lib/string.h"
#include "tests/guest/lib/console.h"
#include "tests/guest/lib/dt.h"
#include "tests/guest/lib/hcall.h"
#include "tests/guest/lib/lock.h"

#include <libfdt.h>

#define PUT_TERM_MAX 16
#define BUSY_RETRIES 1000

static uint32_t termno;
static struct spinlock console_lock;
static bool lock_broken;

uint32_t console_init(void)
{
	int vdev = dt_path("/vdevice");
	int vty = dt_child_compatible(vdev, "hvterm1");
	uint32_t reg;

	if (vty < 0 && vdev >= 0) {
		/* No compatible: fall back to the node name, vty@<unit>. */
		fdt_for_each_subnode(vty, dt_fdt(), vdev) {
			if (strncmp(fdt_get_name(dt_fdt(), vty, NULL), "vty@",
				    4) == 0) {
				break;
			}
		}
	}
	termno = 0;
	if (vty >= 0 && dt_prop_u32(vty, "reg", &reg)) {
		termno = reg;
	}
	return termno;
}

uint32_t console_termno(void)
{
	return termno;
}

static uint64_t pack_be(const char *p, size_t n)
{
	uint64_t v = 0;

	for (size_t i = 0; i < 8; i++) {
		v <<= 8;
		if (i < n) {
			v |= (uint8_t)p[i];
		}
	}
	return v;
}

static void put_chunk(const char *buf, size_t n)
{
	uint64_t hi = pack_be(buf, n);
	uint64_t lo = n > 8 ? pack_be(buf + 8, n - 8) : 0;

	for (int i = 0; i < BUSY_RETRIES; i++) {
		if (hcall(H_PUT_TERM_CHAR, termno, n, hi, lo) != H_BUSY) {
			return;
		}
	}
}

static void write_locked(const char *s, size_t len)
{
	char buf[PUT_TERM_MAX];
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n') {
			if (n + 2 > sizeof(buf)) {
				put_chunk(buf, n);
				n = 0;
			}
			buf[n++] = '\r';
		} else if (n == sizeof(buf)) {
			put_chunk(buf, n);
			n = 0;
		}
		buf[n++] = s[i];
	}
	if (n) {
		put_chunk(buf, n);
	}
}

void console_write(const char *s, size_t len)
{
	bool locked = false;

	if (!lock_broken) {
		spin_lock(&console_lock);
		locked = true;
	}
	write_locked(s, len);
	if (locked) {
		spin_unlock(&console_lock);
	}
}

void console_break_lock(void)
{
	lock_broken = true;
}
