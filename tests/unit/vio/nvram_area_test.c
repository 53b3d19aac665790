/*
 * Tests for vio/nvram_area.c, the format of partition NVRAM in flash, on
 * a simulated NOR flash: erase sets a block to 0xff, a write can only
 * clear bits (so a write without its erase shows), and the power can be
 * cut after any number of bytes of progress, leaving the operation under
 * way half done and failing everything after it.  The flash is then
 * "rebooted" (a fresh load) and must give the old or the new contents,
 * never garbage and never blank.  Negative cases first.
 */
#include <stdlib.h>

#include "tests/unit/test.h"
#include "vio/nvram_area.h"

#define BLK 0x1000u
#define FLASH_SIZE 0x40000u   /* the simulated chip */
#define REGION_BASE 0x10000u  /* LPAR_NVRAM inside it */
#define REGION_SIZE 0x20000u
#define NV 0x2000u            /* an 8 KiB NVRAM: two data blocks */

struct sim {
	uint8_t mem[FLASH_SIZE];
	long budget;      /* bytes of progress before the cut; <0: never */
	bool dead;        /* the power is gone */
	uint32_t erases, writes, reads;
	bool fail_reads;
	bool no_erase;    /* writes replace bytes; erase is refused */
};

static bool sim_tick(struct sim *s)
{
	if (s->dead) {
		return false;
	}
	if (s->budget == 0) {
		s->dead = true;
		return false;
	}
	if (s->budget > 0) {
		s->budget--;
	}
	return true;
}

static bool sim_read(void *ctx, uint32_t off, void *buf, uint32_t len)
{
	struct sim *s = ctx;

	s->reads++;
	if (s->dead || s->fail_reads || off > FLASH_SIZE ||
	    len > FLASH_SIZE - off) {
		return false;
	}
	memcpy(buf, s->mem + off, len);
	return true;
}

static bool sim_write(void *ctx, uint32_t off, const void *buf, uint32_t len)
{
	struct sim *s = ctx;
	const uint8_t *b = buf;

	s->writes++;
	if (off > FLASH_SIZE || len > FLASH_SIZE - off) {
		return false;
	}
	for (uint32_t i = 0; i < len; i++) {
		if (!sim_tick(s)) {
			return false;
		}
		if (s->no_erase) {
			s->mem[off + i] = b[i];
		} else {
			s->mem[off + i] &= b[i]; /* NOR: bits only go to 0 */
		}
	}
	return true;
}

static bool sim_erase(void *ctx, uint32_t off, uint32_t len)
{
	struct sim *s = ctx;

	s->erases++;
	if (s->no_erase || (off | len) & (BLK - 1) || off > FLASH_SIZE ||
	    len > FLASH_SIZE - off) {
		return false;
	}
	/* An erase cut short leaves part of the block erased. */
	for (uint32_t i = 0; i < len; i += 64) {
		if (!sim_tick(s)) {
			return false;
		}
		memset(s->mem + off + i, 0xff, 64);
	}
	return true;
}

static bool no_erase_mode;

static struct sim *sim_new(struct nva_flash *f)
{
	struct sim *s = calloc(1, sizeof(*s));

	s->no_erase = no_erase_mode;
	f->no_erase = no_erase_mode;
	/* A blank chip holds random bytes, not zeros or 0xff. */
	for (uint32_t i = 0; i < FLASH_SIZE; i++) {
		s->mem[i] = (uint8_t)(i * 131 + 17);
	}
	s->budget = -1;
	f->ctx = s;
	f->read = sim_read;
	f->write = sim_write;
	f->erase = sim_erase;
	f->base = REGION_BASE;
	f->size = REGION_SIZE;
	f->block = BLK;
	return s;
}

struct part {
	uint8_t sh0[NV], sh1[NV], data[NV];
	struct nva_area a;
};

static void pattern(uint8_t *d, uint32_t len, uint8_t seed)
{
	for (uint32_t i = 0; i < len; i++) {
		d[i] = (uint8_t)(seed + i * 7 + (i >> 8));
	}
}

/* Assign one partition "web" of NV bytes and load it. */
static void setup_web(const struct nva_flash *f, struct part *p,
				  bool *had)
{
	const char *names[] = { "web" };
	uint32_t sizes[] = { NV };
	struct nva_dir d;
	int out[1];
	bool io;

	CHECK(nva_dir_load(f, &d));
	if (nva_dir_assign(f, &d, names, sizes, 1, out)) {
		CHECK(nva_dir_store(f, &d));
	}
	*had = false;
	REQUIRE(out[0] >= 0);
	*had = nva_area_load(f, &p->a, &d.e[out[0]], p->sh0, p->sh1, p->data,
			     &io);
	CHECK(!io);
}

TEST(nvram_area, crc32_is_zlibs)
{
	CHECK_EQ(nva_crc32(0, "123456789", 9), 0xcbf43926u);
	CHECK_EQ(nva_crc32(0, "", 0), 0u);
	CHECK_EQ(nva_crc32(nva_crc32(0, "1234", 4), "56789", 5), 0xcbf43926u);
}

TEST(nvram_area, bad_regions_refused)
{
	struct nva_flash f = { .base = 0, .size = 0x100000, .block = 0x800 };

	CHECK(nva_flash_check(&f) != NULL);
	f.block = 0x3000;
	CHECK(nva_flash_check(&f) != NULL);
	f.block = 0x1000;
	f.base = 0x800;
	CHECK(nva_flash_check(&f) != NULL);
	f.base = 0;
	f.size = 0x3000;
	CHECK(nva_flash_check(&f) != NULL);
	f.size = 0x100000;
	CHECK(nva_flash_check(&f) == NULL);
}

TEST(nvram_area, blank_region_has_no_directory_and_no_data)
{
	struct nva_flash f;
	struct sim *s = sim_new(&f);
	struct part *p = calloc(1, sizeof(*p));
	struct nva_dir d;
	bool had;

	CHECK(nva_dir_load(&f, &d));
	CHECK_EQ(d.count, 0u);
	CHECK_EQ(d.cur, -1);
	setup_web(&f, p, &had);
	CHECK(!had);
	CHECK_EQ(p->a.cur, -1);
	/* An erased region too. */
	memset(s->mem, 0xff, sizeof(s->mem));
	CHECK(nva_dir_load(&f, &d));
	CHECK_EQ(d.count, 0u);
	free(p);
	free(s);
}

TEST(nvram_area, unreadable_flash_is_an_error_not_blank)
{
	struct nva_flash f;
	struct sim *s = sim_new(&f);
	struct part *p = calloc(1, sizeof(*p));
	struct nva_entry e = { "web", 2 * BLK, NV };
	struct nva_dir d;
	bool io;

	s->fail_reads = true;
	CHECK(!nva_dir_load(&f, &d));
	CHECK(!nva_area_load(&f, &p->a, &e, p->sh0, p->sh1, p->data, &io));
	CHECK(io);
	free(p);
	free(s);
}

TEST(nvram_area, hostile_directory_entries_dropped)
{
	struct nva_flash f;
	struct sim *s = sim_new(&f);
	struct nva_dir d, back;

	memset(&d, 0, sizeof(d));
	d.cur = -1;
	/* Written by hand: load must drop all but the first. */
	d.count = 6;
	d.e[0] = (struct nva_entry){ "ok", 2 * BLK, NV };
	d.e[1] = (struct nva_entry){ "overlap", 3 * BLK, NV };
	d.e[2] = (struct nva_entry){ "past-end", REGION_SIZE - BLK, NV };
	d.e[3] = (struct nva_entry){ "on-dir", 0, NV };
	d.e[4] = (struct nva_entry){ "ok", 0x10000, NV };       /* twice */
	d.e[5] = (struct nva_entry){ "odd", 0x18000, NV + 1 };  /* size */
	CHECK(nva_dir_store(&f, &d));
	CHECK(nva_dir_load(&f, &back));
	CHECK_EQ(back.count, 1u);
	CHECK_STR_EQ(back.e[0].name, "ok");
	/* A corrupted copy is not read; the other (older) one is. */
	CHECK(nva_dir_store(&f, &back));
	CHECK_EQ(back.cur, 1);
	s->mem[REGION_BASE + BLK + 20] ^= 1;
	CHECK(nva_dir_load(&f, &back));
	CHECK_EQ(back.cur, 0);
	CHECK_EQ(back.count, 1u);
	free(s);
}

TEST(nvram_area, round_trip_and_few_operations_per_small_change)
{
	struct nva_flash f;
	struct sim *s = sim_new(&f);
	struct part *p = calloc(1, sizeof(*p));
	uint8_t want[NV];
	bool had;

	setup_web(&f, p, &had);
	pattern(want, NV, 1);
	CHECK(nva_area_commit(&f, &p->a, want));
	/* A slot of other contents: invalidate, erase, write all, header. */
	CHECK_EQ(p->a.ops, 4u);
	CHECK_EQ(s->erases, 3u); /* the directory's, the header, the data */
	setup_web(&f, p, &had);
	CHECK(had);
	CHECK(memcmp(p->data, want, NV) == 0);
	want[5] ^= 0xff;
	CHECK(nva_area_commit(&f, &p->a, want));
	want[6] ^= 0xff;
	want[NV - 1] ^= 0xff;
	s->erases = s->writes = 0;
	CHECK(nva_area_commit(&f, &p->a, want));
	/* Header erase, the two changed blocks (one run) erased and written
	 * at once, header write. */
	CHECK_EQ(p->a.ops, 4u);
	CHECK_EQ(s->erases, 2u);
	CHECK_EQ(s->writes, 2u);
	setup_web(&f, p, &had);
	CHECK(had);
	CHECK(memcmp(p->data, want, NV) == 0);
	CHECK_EQ(p->a.seq, 3u);
	free(p);
	free(s);
}

/*
 * The power cut: for every point in a commit (every byte of progress),
 * cut there, reboot, and find the old or the new contents, the new only
 * when the commit had finished; then commit again and find that.
 */
static void cut_sweep(uint32_t change_at, uint32_t change_len)
{
	struct nva_flash f;
	struct sim *s = sim_new(&f);
	struct part *p = calloc(1, sizeof(*p));
	uint8_t *image = malloc(FLASH_SIZE);
	uint8_t oldv[NV], newv[NV], later[NV];
	uint32_t olds = 0, news = 0;
	long total;
	bool had;

	setup_web(&f, p, &had);
	pattern(oldv, NV, 3);
	REQUIRE(nva_area_commit(&f, &p->a, oldv));
	pattern(later, NV, 9);
	REQUIRE(nva_area_commit(&f, &p->a, later));
	REQUIRE(nva_area_commit(&f, &p->a, oldv));
	memcpy(newv, oldv, NV);
	for (uint32_t i = 0; i < change_len; i++) {
		newv[change_at + i] ^= 0x5a;
	}
	memcpy(image, s->mem, FLASH_SIZE);
	/* How much progress a whole commit makes. */
	s->budget = 1L << 40;
	REQUIRE(nva_area_commit(&f, &p->a, newv));
	total = (1L << 40) - s->budget;
	for (long cut = 0; cut <= total; cut++) {
		bool ok;

		memcpy(s->mem, image, FLASH_SIZE);
		s->dead = false;
		s->budget = -1;
		setup_web(&f, p, &had);
		REQUIRE(had);
		s->budget = cut;
		ok = nva_area_commit(&f, &p->a, newv);
		s->dead = false;
		s->budget = -1;
		setup_web(&f, p, &had);
		REQUIRE(had);
		if (memcmp(p->data, newv, NV) == 0) {
			news++;
			CHECK(ok || cut >= total - 1);
		} else {
			CHECK(memcmp(p->data, oldv, NV) == 0);
			CHECK(!ok);
			olds++;
		}
		/* Storing again after the cut works and is what is read. */
		CHECK(nva_area_commit(&f, &p->a, later));
		setup_web(&f, p, &had);
		CHECK(memcmp(p->data, later, NV) == 0);
		if (test_failed()) {
			break;
		}
	}
	CHECK_GT(olds, 10u);
	CHECK_GE(news, 1u);
	free(image);
	free(p);
	free(s);
}

TEST(nvram_area, power_cut_one_block_change_old_or_new)
{
	cut_sweep(100, 3);
}

TEST(nvram_area, power_cut_change_across_blocks_old_or_new)
{
	cut_sweep(BLK - 2, 5);
}

TEST(nvram_area, no_erase_flash_writes_only_changed_pieces)
{
	struct nva_flash f;
	struct sim *s;
	struct part *p = calloc(1, sizeof(*p));
	uint8_t want[NV];
	bool had;

	no_erase_mode = true;
	s = sim_new(&f);
	setup_web(&f, p, &had);
	pattern(want, NV, 1);
	CHECK(nva_area_commit(&f, &p->a, want));
	CHECK(nva_area_commit(&f, &p->a, want));
	want[300] ^= 1;
	want[NV - 1] ^= 1;
	s->erases = s->writes = 0;
	CHECK(nva_area_commit(&f, &p->a, want));
	/* Header overwritten, two 256-byte pieces, header: no erase. */
	CHECK_EQ(s->erases, 0u);
	CHECK_EQ(s->writes, 4u);
	setup_web(&f, p, &had);
	CHECK(had);
	CHECK(memcmp(p->data, want, NV) == 0);
	no_erase_mode = false;
	free(p);
	free(s);
}

TEST(nvram_area, power_cut_no_erase_flash_old_or_new)
{
	no_erase_mode = true;
	cut_sweep(100, 3);
	cut_sweep(250, 600);
	no_erase_mode = false;
}

TEST(nvram_area, power_cut_during_directory_write_keeps_the_old_one)
{
	struct nva_flash f;
	struct sim *s = sim_new(&f);
	uint8_t *image = malloc(FLASH_SIZE);
	const char *n1[] = { "a" }, *n2[] = { "a", "b" };
	uint32_t sz[] = { NV, NV };
	struct nva_dir d;
	int out[2];

	CHECK(nva_dir_load(&f, &d));
	CHECK(nva_dir_assign(&f, &d, n1, sz, 1, out));
	CHECK(nva_dir_store(&f, &d));
	memcpy(image, s->mem, FLASH_SIZE);
	for (long cut = 0; cut < 200; cut++) {
		memcpy(s->mem, image, FLASH_SIZE);
		s->dead = false;
		s->budget = -1;
		CHECK(nva_dir_load(&f, &d));
		CHECK(nva_dir_assign(&f, &d, n2, sz, 2, out));
		s->budget = cut;
		if (nva_dir_store(&f, &d)) {
			break;
		}
		s->dead = false;
		s->budget = -1;
		CHECK(nva_dir_load(&f, &d));
		CHECK_EQ(d.count, 1u);
		CHECK_STR_EQ(d.e[0].name, "a");
	}
	free(image);
	free(s);
}

TEST(nvram_area, reordered_config_keeps_each_partitions_data)
{
	struct nva_flash f;
	struct sim *s = sim_new(&f);
	struct part *p = calloc(1, sizeof(*p));
	const char *ab[] = { "a", "b" }, *ba[] = { "b", "a" };
	uint32_t sz[] = { NV, NV };
	uint8_t va[NV], vb[NV];
	struct nva_dir d;
	int out[2];
	bool io;

	CHECK(nva_dir_load(&f, &d));
	CHECK(nva_dir_assign(&f, &d, ab, sz, 2, out));
	CHECK(nva_dir_store(&f, &d));
	pattern(va, NV, 0x11);
	pattern(vb, NV, 0x22);
	CHECK(!nva_area_load(&f, &p->a, &d.e[out[0]], p->sh0, p->sh1, p->data,
			     &io));
	CHECK(nva_area_commit(&f, &p->a, va));
	CHECK(!nva_area_load(&f, &p->a, &d.e[out[1]], p->sh0, p->sh1, p->data,
			     &io));
	CHECK(nva_area_commit(&f, &p->a, vb));
	CHECK(nva_dir_load(&f, &d));
	CHECK(!nva_dir_assign(&f, &d, ba, sz, 2, out)); /* nothing to change */
	CHECK(nva_area_load(&f, &p->a, &d.e[out[0]], p->sh0, p->sh1, p->data,
			    &io));
	CHECK(memcmp(p->data, vb, NV) == 0);
	CHECK(nva_area_load(&f, &p->a, &d.e[out[1]], p->sh0, p->sh1, p->data,
			    &io));
	CHECK(memcmp(p->data, va, NV) == 0);
	free(p);
	free(s);
}

TEST(nvram_area, size_change_starts_blank_and_slots_of_others_not_taken)
{
	struct nva_flash f;
	struct sim *s = sim_new(&f);
	struct part *p = calloc(1, sizeof(*p));
	const char *a[] = { "a" };
	uint32_t sz[] = { NV }, small[] = { NV / 2 };
	struct nva_entry bent = { "b", 2 * BLK, NV };
	struct nva_entry asmall = { "a", 2 * BLK, NV / 2 };
	uint8_t va[NV];
	struct nva_dir d;
	int out[1];
	bool io;

	CHECK(nva_dir_load(&f, &d));
	CHECK(nva_dir_assign(&f, &d, a, sz, 1, out));
	CHECK(nva_dir_store(&f, &d));
	pattern(va, NV, 0x33);
	nva_area_load(&f, &p->a, &d.e[out[0]], p->sh0, p->sh1, p->data, &io);
	CHECK_EQ(d.e[out[0]].off, 2 * BLK);
	CHECK(nva_area_commit(&f, &p->a, va));
	/* "a" shrinks: its old area goes and the new one is blank. */
	CHECK(nva_dir_assign(&f, &d, a, small, 1, out));
	CHECK(nva_dir_store(&f, &d));
	CHECK(!nva_area_load(&f, &p->a, &d.e[out[0]], p->sh0, p->sh1, p->data,
			     &io));
	CHECK(!io);
	/* Slots written for "a" are not "b"'s, though at b's place. */
	CHECK(!nva_area_load(&f, &p->a, &bent, p->sh0, p->sh1, p->data, &io));
	CHECK(!io);
	/* Nor does "a" take them back at another size. */
	CHECK(!nva_area_load(&f, &p->a, &asmall, p->sh0, p->sh1, p->data,
			     &io));
	free(p);
	free(s);
}

TEST(nvram_area, no_room_drops_unconfigured_areas_then_gives_up)
{
	struct nva_flash f;
	struct sim *s = sim_new(&f);
	/* Region 128 KiB: directory 8 KiB, areas of 8 KiB NVRAM take 24. */
	const char *five[] = { "p1", "p2", "p3", "p4", "p5" };
	const char *six[] = { "p1", "p2", "p3", "p4", "p5", "p6" };
	const char *others[] = { "p6", "p7" };
	uint32_t sz[] = { NV, NV, NV, NV, NV, NV };
	struct nva_dir d;
	int out[6];

	CHECK_EQ(nva_area_len(NV, BLK), 6 * BLK);
	CHECK(nva_dir_load(&f, &d));
	CHECK(nva_dir_assign(&f, &d, five, sz, 5, out));
	for (int i = 0; i < 5; i++) {
		CHECK_GE(out[i], 0);
	}
	/* A sixth does not fit: -1, the five kept. */
	CHECK(!nva_dir_assign(&f, &d, six, sz, 6, out));
	CHECK_EQ(out[5], -1);
	CHECK_EQ(d.count, 5u);
	/* p6 and p7 alone: the unconfigured p1 and p2 make room. */
	CHECK(nva_dir_assign(&f, &d, others, sz, 2, out));
	CHECK_GE(out[0], 0);
	CHECK_GE(out[1], 0);
	CHECK_EQ(d.count, 5u);
	CHECK_EQ(d.e[out[0]].off, 2 * BLK);
	free(s);
}

/*
 * nva_dir_move() (an nvram-size change keeping the contents): the power
 * is cut after every 97th byte of progress of the move; each time, the next
 * boot finds "web" at its old size with its old data or at its new size
 * with the new data, never blank or torn.  Both kinds of flash.
 */
static void move_sweep(void)
{
	struct nva_flash f;
	struct sim *s = sim_new(&f);
	struct part *p = calloc(1, sizeof(*p));
	uint8_t *image = malloc(FLASH_SIZE);
	uint8_t *big = malloc(2 * NV), *b0 = malloc(2 * NV);
	uint8_t *b1 = malloc(2 * NV), *got = malloc(2 * NV);
	uint8_t va[NV];
	struct nva_dir d;
	bool had, io, no_room, done = false;
	long cut;
	unsigned olds = 0, news = 0;

	setup_web(&f, p, &had);
	pattern(va, NV, 0x5a);
	CHECK(nva_area_commit(&f, &p->a, va));
	pattern(big, 2 * NV, 0x77);
	memcpy(big, va, NV);
	memcpy(image, s->mem, FLASH_SIZE);
	for (cut = 0; !done && cut < 200000; cut += 97) {
		memcpy(s->mem, image, FLASH_SIZE);
		s->dead = false;
		s->budget = -1;
		CHECK(nva_dir_load(&f, &d));
		REQUIRE(d.count == 1);
		s->budget = cut;
		done = nva_dir_move(&f, &d, 0, 2 * NV, big, b0, b1, &no_room);
		CHECK(!no_room);
		s->dead = false;
		s->budget = -1;
		CHECK(nva_dir_load(&f, &d));
		REQUIRE(d.count == 1);
		CHECK_STR_EQ(d.e[0].name, "web");
		if (d.e[0].size == NV) {
			olds++;
			CHECK(!done);
			CHECK(nva_area_load(&f, &p->a, &d.e[0], p->sh0, p->sh1,
					    p->data, &io));
			CHECK(memcmp(p->data, va, NV) == 0);
		} else {
			news++;
			CHECK_EQ(d.e[0].size, 2 * NV);
			CHECK(nva_area_load(&f, &p->a, &d.e[0], b0, b1, got,
					    &io));
			CHECK(memcmp(got, big, 2 * NV) == 0);
		}
	}
	CHECK(done);
	CHECK(olds > 10);
	CHECK(news >= 1);
	/* And the moved area takes stores as any other. */
	pattern(big, 2 * NV, 0x13);
	CHECK(nva_area_load(&f, &p->a, &d.e[0], b0, b1, got, &io));
	CHECK(nva_area_commit(&f, &p->a, big));
	CHECK(nva_area_load(&f, &p->a, &d.e[0], b0, b1, got, &io));
	CHECK(memcmp(got, big, 2 * NV) == 0);
	free(big);
	free(b0);
	free(b1);
	free(got);
	free(image);
	free(p);
	free(s);
}

TEST(nvram_area, power_cut_during_a_move_old_or_new)
{
	no_erase_mode = false;
	move_sweep();
}

TEST(nvram_area, power_cut_during_a_move_no_erase_old_or_new)
{
	no_erase_mode = true;
	move_sweep();
	no_erase_mode = false;
}

TEST(nvram_area, move_without_room_changes_nothing)
{
	struct nva_flash f;
	struct sim *s = sim_new(&f);
	struct part *p = calloc(1, sizeof(*p));
	uint32_t huge = REGION_SIZE / 2; /* with the old area, no room */
	uint8_t *big = calloc(1, huge), *b0 = malloc(huge), *b1 = malloc(huge);
	struct nva_dir d;
	bool had, no_room;

	setup_web(&f, p, &had);
	CHECK(nva_dir_load(&f, &d));
	CHECK(!nva_dir_move(&f, &d, 0, huge, big, b0, b1, &no_room));
	CHECK(no_room);
	CHECK_EQ(d.e[0].size, NV);
	CHECK(!nva_dir_move(&f, &d, 1, NV, big, b0, b1, &no_room));
	CHECK(!no_room);
	CHECK(nva_dir_load(&f, &d));
	CHECK_EQ(d.e[0].size, NV);
	free(big);
	free(b0);
	free(b1);
	free(p);
	free(s);
}
