/*
 * Partition NVRAM in flash: the directory and the two-slot areas
 * (vio/nvram_area.h has the layout and the rules).  Nothing here knows
 * OPAL or partitions; every flash access goes through struct nva_flash.
 */
#include "hv/lib/string.h"
#include "vio/nvram_area.h"

/* CRC-32, reflected polynomial 0xedb88320, four bits at a time. */
static const uint32_t crc_nibble[16] = {
	0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac,
	0x76dc4190, 0x6b6b51f4, 0x4db26158, 0x5005713c,
	0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c,
	0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c,
};

uint32_t nva_crc32(uint32_t crc, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	crc = ~crc;
	for (size_t i = 0; i < len; i++) {
		crc ^= p[i];
		crc = (crc >> 4) ^ crc_nibble[crc & 15];
		crc = (crc >> 4) ^ crc_nibble[crc & 15];
	}
	return ~crc;
}

static uint32_t round_block(uint32_t n, uint32_t block)
{
	return (n + block - 1) & ~(block - 1);
}

static uint32_t slot_len(uint32_t size, uint32_t block)
{
	return block + round_block(size, block);
}

uint32_t nva_area_len(uint32_t size, uint32_t block)
{
	return 2 * slot_len(size, block);
}

/* The first byte after the two directory copies: where areas may start. */
static uint32_t areas_start(const struct nva_flash *f)
{
	return 2 * f->block;
}

const char *nva_flash_check(const struct nva_flash *f)
{
	if (f->block < NVA_MIN_BLOCK || f->block > NVA_MAX_BLOCK ||
	    (f->block & (f->block - 1))) {
		return "erase block size not a power of two from 4 KiB to "
		       "64 KiB";
	}
	if ((f->base | f->size) & (f->block - 1)) {
		return "partition not aligned to the erase block";
	}
	if (f->size < areas_start(f) + nva_area_len(16, f->block)) {
		return "partition too small";
	}
	return NULL;
}

/* ---- the directory ---- */

#define DIR_MAX_BYTES (NVA_DIR_HDR + NVA_MAX_AREAS * NVA_DIR_ENTRY + 4)

static uint32_t dir_bytes(uint32_t count)
{
	return NVA_DIR_HDR + count * NVA_DIR_ENTRY + 4;
}

static bool name_ok(const char *name)
{
	size_t n = strnlen(name, NVA_NAME_LEN);

	return n > 0 && n < NVA_NAME_LEN;
}

/* Whether an entry fits the region and misses the entries before it. */
static bool entry_fits(const struct nva_flash *f, const struct nva_dir *d,
		       const struct nva_entry *e)
{
	uint32_t len;

	if (!name_ok(e->name) || e->size == 0 || e->size % 16 ||
	    e->size > f->size || (e->off & (f->block - 1)) ||
	    e->off < areas_start(f) || e->off > f->size) {
		return false;
	}
	len = nva_area_len(e->size, f->block);
	if (len > f->size - e->off) {
		return false;
	}
	for (uint32_t i = 0; i < d->count; i++) {
		const struct nva_entry *o = &d->e[i];
		uint32_t olen = nva_area_len(o->size, f->block);

		if (strcmp(o->name, e->name) == 0) {
			return false;
		}
		if (e->off < o->off + olen && o->off < e->off + len) {
			return false;
		}
	}
	return true;
}

/* Parse one copy; returns whether it is valid, filling `d`. */
static bool dir_parse(const struct nva_flash *f, const uint8_t *b,
		      uint32_t blen, struct nva_dir *d)
{
	uint32_t count;

	if (get_be64(b) != NVA_DIR_MAGIC) {
		return false;
	}
	count = get_be32(b + 16);
	if (count > NVA_MAX_AREAS || dir_bytes(count) > blen ||
	    get_be32(b + 20) != f->block) {
		return false;
	}
	if (nva_crc32(0, b, dir_bytes(count) - 4) !=
	    get_be32(b + dir_bytes(count) - 4)) {
		return false;
	}
	d->seq = get_be64(b + 8);
	d->count = 0;
	for (uint32_t i = 0; i < count; i++) {
		const uint8_t *p = b + NVA_DIR_HDR + i * NVA_DIR_ENTRY;
		struct nva_entry e;

		memcpy(e.name, p, NVA_NAME_LEN);
		e.off = get_be32(p + 32);
		e.size = get_be32(p + 36);
		if (entry_fits(f, d, &e)) {
			d->e[d->count++] = e;
		}
	}
	return true;
}

/*
 * The directory's buffers: too large for a hypervisor stack, and the
 * directory is read and written only at boot, by one thread.
 */
static uint8_t dir_buf[2][DIR_MAX_BYTES];
static struct nva_dir dir_copy[2];

bool nva_dir_load(const struct nva_flash *f, struct nva_dir *d)
{
	uint8_t (*b)[DIR_MAX_BYTES] = dir_buf;
	struct nva_dir *c = dir_copy;
	bool ok[2];

	memset(d, 0, sizeof(*d));
	d->cur = -1;
	for (int i = 0; i < 2; i++) {
		if (!f->read(f->ctx, f->base + (uint32_t)i * f->block, b[i],
			     DIR_MAX_BYTES)) {
			return false;
		}
		memset(&c[i], 0, sizeof(c[i]));
		ok[i] = dir_parse(f, b[i], DIR_MAX_BYTES, &c[i]);
		c[i].cur = i;
	}
	if (ok[0] && (!ok[1] || c[0].seq >= c[1].seq)) {
		*d = c[0];
	} else if (ok[1]) {
		*d = c[1];
	}
	return true;
}

bool nva_dir_store(const struct nva_flash *f, struct nva_dir *d)
{
	uint8_t *b = dir_buf[0];
	int target = d->cur == 0 ? 1 : 0;
	uint32_t off = f->base + (uint32_t)target * f->block;
	uint32_t len = dir_bytes(d->count);

	memset(b, 0, DIR_MAX_BYTES);
	put_be64(b, NVA_DIR_MAGIC);
	put_be64(b + 8, d->seq + 1);
	put_be32(b + 16, d->count);
	put_be32(b + 20, f->block);
	put_be32(b + 24, f->size);
	for (uint32_t i = 0; i < d->count; i++) {
		uint8_t *p = b + NVA_DIR_HDR + i * NVA_DIR_ENTRY;

		memcpy(p, d->e[i].name, NVA_NAME_LEN);
		put_be32(p + 32, d->e[i].off);
		put_be32(p + 36, d->e[i].size);
	}
	put_be32(b + len - 4, nva_crc32(0, b, len - 4));
	if ((!f->no_erase && !f->erase(f->ctx, off, f->block)) ||
	    !f->write(f->ctx, off, b, len)) {
		return false;
	}
	d->seq++;
	d->cur = target;
	return true;
}

static int find_entry(const struct nva_dir *d, const char *name)
{
	for (uint32_t i = 0; i < d->count; i++) {
		if (strcmp(d->e[i].name, name) == 0) {
			return (int)i;
		}
	}
	return -1;
}

static void drop_entry(struct nva_dir *d, uint32_t i)
{
	d->e[i] = d->e[d->count - 1];
	d->count--;
}

/* The lowest block-aligned offset where `len` bytes miss every entry. */
static bool find_gap(const struct nva_flash *f, const struct nva_dir *d,
		     uint32_t len, uint32_t *out)
{
	uint32_t at = areas_start(f);
	bool moved = true;

	/* Step past every entry in the way until none is; at most count. */
	while (moved) {
		moved = false;
		for (uint32_t i = 0; i < d->count; i++) {
			uint32_t o = d->e[i].off;
			uint32_t olen = nva_area_len(d->e[i].size, f->block);

			if (at < o + olen && o < at + len) {
				at = o + olen;
				moved = true;
			}
		}
		if (at > f->size || len > f->size - at) {
			return false;
		}
	}
	*out = at;
	return true;
}

static bool among(const char *name, const char *const *names, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		if (strcmp(name, names[i]) == 0) {
			return true;
		}
	}
	return false;
}

/* Drop the unconfigured entry at the lowest offset; false when none. */
static bool drop_unconfigured(struct nva_dir *d, const char *const *names,
			      uint32_t n)
{
	int best = -1;

	for (uint32_t i = 0; i < d->count; i++) {
		if (!among(d->e[i].name, names, n) &&
		    (best < 0 || d->e[i].off < d->e[best].off)) {
			best = (int)i;
		}
	}
	if (best < 0) {
		return false;
	}
	drop_entry(d, (uint32_t)best);
	return true;
}

bool nva_dir_assign(const struct nva_flash *f, struct nva_dir *d,
		    const char *const *names, const uint32_t *sizes, uint32_t n,
		    int *out)
{
	bool changed = false;

	for (uint32_t i = 0; i < n; i++) {
		int k = find_entry(d, names[i]);

		if (k >= 0 && d->e[k].size != sizes[i]) {
			drop_entry(d, (uint32_t)k);
			changed = true;
		}
	}
	for (uint32_t i = 0; i < n; i++) {
		uint32_t len = nva_area_len(sizes[i], f->block);
		struct nva_entry e;

		if (!name_ok(names[i]) || sizes[i] == 0 || sizes[i] % 16 ||
		    find_entry(d, names[i]) >= 0) {
			continue;
		}
		while (d->count < NVA_MAX_AREAS &&
		       !find_gap(f, d, len, &e.off)) {
			if (!drop_unconfigured(d, names, n)) {
				break;
			}
			changed = true;
		}
		if (d->count >= NVA_MAX_AREAS || !find_gap(f, d, len, &e.off)) {
			continue;
		}
		memset(e.name, 0, sizeof(e.name));
		memcpy(e.name, names[i], strlen(names[i]));
		e.size = sizes[i];
		d->e[d->count++] = e;
		changed = true;
	}
	for (uint32_t i = 0; i < n; i++) {
		out[i] = name_ok(names[i]) ? find_entry(d, names[i]) : -1;
	}
	return changed;
}

/* ---- the areas ---- */

static uint32_t slot_off(const struct nva_flash *f, const struct nva_area *a,
			 int s)
{
	return f->base + a->off + (uint32_t)s * slot_len(a->size, f->block);
}

static void slot_header(const struct nva_area *a, uint64_t seq,
			uint32_t data_crc, uint8_t *h)
{
	memset(h, 0, NVA_SLOT_HDR);
	put_be64(h, NVA_SLOT_MAGIC);
	put_be64(h + 8, seq);
	memcpy(h + 16, a->name, NVA_NAME_LEN);
	put_be32(h + 48, a->off);
	put_be32(h + 52, a->size);
	put_be32(h + 56, data_crc);
	put_be32(h + 60, nva_crc32(0, h, 60));
}

/* A header that belongs to this area and whose checksums hold. */
static bool slot_valid(const struct nva_area *a, const uint8_t *h,
		       const uint8_t *data, uint64_t *seq)
{
	if (get_be64(h) != NVA_SLOT_MAGIC || nva_crc32(0, h, 60) != get_be32(h + 60) ||
	    memcmp(h + 16, a->name, NVA_NAME_LEN) != 0 ||
	    get_be32(h + 48) != a->off || get_be32(h + 52) != a->size ||
	    get_be64(h + 8) == 0) {
		return false;
	}
	if (nva_crc32(0, data, a->size) != get_be32(h + 56)) {
		return false;
	}
	*seq = get_be64(h + 8);
	return true;
}

bool nva_area_load(const struct nva_flash *f, struct nva_area *a,
		   const struct nva_entry *e, uint8_t *shadow0,
		   uint8_t *shadow1, uint8_t *data, bool *io_error)
{
	uint64_t seq[2] = { 0, 0 };
	bool valid[2];

	memset(a, 0, sizeof(*a));
	memcpy(a->name, e->name, NVA_NAME_LEN);
	a->name[NVA_NAME_LEN - 1] = 0;
	a->off = e->off;
	a->size = e->size;
	a->cur = -1;
	a->shadow[0] = shadow0;
	a->shadow[1] = shadow1;
	*io_error = false;
	for (int s = 0; s < 2; s++) {
		uint8_t h[NVA_SLOT_HDR];
		uint32_t off = slot_off(f, a, s);

		if (!f->read(f->ctx, off, h, sizeof(h)) ||
		    !f->read(f->ctx, off + f->block, a->shadow[s], a->size)) {
			*io_error = true;
			return false;
		}
		a->shadow_ok[s] = true;
		valid[s] = slot_valid(a, h, a->shadow[s], &seq[s]);
	}
	if (valid[0] && (!valid[1] || seq[0] >= seq[1])) {
		a->cur = 0;
	} else if (valid[1]) {
		a->cur = 1;
	} else {
		return false;
	}
	a->seq = seq[a->cur];
	memcpy(data, a->shadow[a->cur], a->size);
	return true;
}

/* Make the header at `off` invalid: erased, or overwritten with 0xff. */
static bool invalidate(const struct nva_flash *f, uint32_t off)
{
	static const uint8_t ff[NVA_SLOT_HDR] = {
		[0 ... NVA_SLOT_HDR - 1] = 0xff,
	};

	if (f->no_erase) {
		return f->write(f->ctx, off, ff, sizeof(ff));
	}
	return f->erase(f->ctx, off, f->block);
}

bool nva_area_commit(const struct nva_flash *f, struct nva_area *a,
		     const uint8_t *data)
{
	int t = a->cur == 0 ? 1 : 0;
	uint32_t off = slot_off(f, a, t);
	uint32_t unit = f->no_erase ? NVA_GRANULE : f->block;
	bool known = a->shadow_ok[t];
	uint8_t *sh = a->shadow[t];
	uint8_t h[NVA_SLOT_HDR];
	uint32_t at = 0;

	a->ops = 0;
	/* First the target stops being valid: its header goes. */
	a->ops++;
	if (!invalidate(f, off)) {
		return false;
	}
	a->shadow_ok[t] = false;
	/* Then each run of changed units: erased (if need be) and written. */
	while (at < a->size) {
		uint32_t end, len;

		len = a->size - at < unit ? a->size - at : unit;
		if (known && memcmp(sh + at, data + at, len) == 0) {
			at += len;
			continue;
		}
		end = at + len;
		while (end < a->size) {
			uint32_t n = a->size - end < unit ? a->size - end : unit;

			if (known && memcmp(sh + end, data + end, n) == 0) {
				break;
			}
			end += n;
		}
		if (!f->no_erase) {
			a->ops++;
			if (!f->erase(f->ctx, off + f->block + at,
				      round_block(end - at, f->block))) {
				return false;
			}
		}
		a->ops++;
		if (!f->write(f->ctx, off + f->block + at, data + at,
			      end - at)) {
			return false;
		}
		at = end;
	}
	memcpy(sh, data, a->size);
	a->shadow_ok[t] = true;
	/* Last, the header that makes the slot valid and newest. */
	slot_header(a, a->seq + 1, nva_crc32(0, data, a->size), h);
	a->ops++;
	if (!f->write(f->ctx, off, h, sizeof(h))) {
		return false;
	}
	a->seq++;
	a->cur = t;
	return true;
}

bool nva_dir_move(const struct nva_flash *f, struct nva_dir *d, uint32_t k,
		  uint32_t size, const uint8_t *data, uint8_t *shadow0,
		  uint8_t *shadow1, bool *no_room)
{
	struct nva_entry old;
	struct nva_area a;
	uint32_t off;

	*no_room = false;
	if (k >= d->count || size == 0 || size % 16) {
		return false;
	}
	old = d->e[k];
	if (!find_gap(f, d, nva_area_len(size, f->block), &off)) {
		*no_room = true;
		return false;
	}
	memset(&a, 0, sizeof(a));
	memcpy(a.name, old.name, NVA_NAME_LEN);
	a.name[NVA_NAME_LEN - 1] = 0;
	a.off = off;
	a.size = size;
	a.cur = -1;
	a.shadow[0] = shadow0;
	a.shadow[1] = shadow1;
	/*
	 * Whatever the place held before (an earlier area of the same name
	 * and size could have left a valid slot), slot 1 is made invalid and
	 * slot 0, written whole, is the only valid one.
	 */
	if (!invalidate(f, slot_off(f, &a, 1)) ||
	    !nva_area_commit(f, &a, data)) {
		return false;
	}
	d->e[k].off = off;
	d->e[k].size = size;
	if (!nva_dir_store(f, d)) {
		d->e[k] = old;
		return false;
	}
	return true;
}
