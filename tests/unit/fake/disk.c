/*
 * hv/disk.h for the handler tests: the disks are whatever a test puts in
 * fake_disks (data from malloc); disk_get() returns those with data.
 */
#include "tests/unit/fake/fake.h"

struct disk fake_disks[CONFIG_MAX_DISKS];

struct disk *disk_get(uint32_t index)
{
	if (index >= CONFIG_MAX_DISKS || !fake_disks[index].data) {
		return NULL;
	}
	return &fake_disks[index];
}
