/*
 * Disk memory (hv/disk.h): whole pages from the page allocator, as a
 * partition's memory, filled once at boot.
 */
#include "hv/console.h"
#include "hv/disk.h"
#include "hv/lib/string.h"
#include "mm/mem.h"

static struct disk disks[CONFIG_MAX_DISKS];

static bool disk_used(const struct config *c, uint32_t index)
{
	for (uint32_t i = 0; i < c->lpar_count; i++) {
		const struct lpar_config *l = &c->lpars[i];

		for (uint32_t k = 0; k < l->disk_count; k++) {
			if (!l->refused && l->disks[k] == index) {
				return true;
			}
		}
	}
	return false;
}

/* Carve disk `i` and copy its image; false (nothing kept) on failure. */
static bool disk_fill(const struct disk_config *dc, const struct bundle *b,
		      struct disk *d)
{
	uint64_t pages = ALIGN_UP(dc->size, SZ_64K);
	const void *img = NULL;
	size_t len = 0;
	enum bundle_err be;
	uint64_t hpa;

	if (dc->image[0]) {
		be = bundle_image(b, dc->image, &img, &len);
		if (be != BUNDLE_OK || len > dc->size) {
			hv_printf("lparvisor: disk \"%s\": image \"%s\": %s\n",
				  dc->name, dc->image, be != BUNDLE_OK ?
				  bundle_strerror(be) : "larger than the disk");
			return false;
		}
	}
	hpa = mem_pages_alloc(pages, SZ_64K, false, 0);
	if (!hpa) {
		hv_printf("lparvisor: disk \"%s\": no %llu KiB of memory left\n",
			  dc->name, (unsigned long long)(pages >> 10));
		return false;
	}
	d->data = (uint8_t *)(uintptr_t)hpa;
	mem_zero(d->data, pages);
	if (len) {
		memcpy(d->data, img, len);
	}
	return true;
}

uint64_t disk_setup(const struct config *c, const struct bundle *b)
{
	uint64_t carved = 0;

	for (uint32_t i = 0; i < c->disk_count && i < CONFIG_MAX_DISKS; i++) {
		const struct disk_config *dc = &c->disks[i];
		struct disk *d = &disks[i];

		if (dc->bad || !disk_used(c, i) || d->data) {
			continue;
		}
		memcpy(d->name, dc->name, sizeof(d->name));
		d->size = dc->size;
		d->read_only = dc->read_only;
		if (!disk_fill(dc, b, d)) {
			continue;
		}
		carved += ALIGN_UP(dc->size, SZ_64K);
		hv_printf("lparvisor: disk \"%s\": %llu KiB%s, image \"%s\"\n",
			  d->name, (unsigned long long)(d->size >> 10),
			  d->read_only ? " read-only" : "",
			  dc->image[0] ? dc->image : "(none)");
	}
	return carved;
}

struct disk *disk_get(uint32_t index)
{
	if (index >= CONFIG_MAX_DISKS || !disks[index].data) {
		return NULL;
	}
	return &disks[index];
}

bool disk_users_ok(const struct lpar_config *l)
{
	for (uint32_t i = 0; i < l->disk_count; i++) {
		if (!disk_get(l->disks[i])) {
			hv_printf("lparvisor: partition \"%s\": one of its "
				  "disks could not be set up\n", l->name);
			return false;
		}
	}
	return true;
}
