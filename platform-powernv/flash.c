/*
 * The system flash through OPAL (skiboot 7.0 core/flash.c): OPAL_FLASH_READ,
 * _WRITE and _ERASE on the flash the host tree names.  skiboot does the
 * operation inside the call, queues an OPAL_MSG_ASYNC_COMP message with
 * our token and its result, and returns OPAL_ASYNC_COMPLETION; we collect
 * that message with OPAL_CHECK_ASYNC_COMPLETION (core/opal-msg.c), which
 * returns OPAL_BUSY until it is there.  A flash busy with another
 * operation (skiboot's own NVRAM, a host's) answers OPAL_BUSY: run the
 * pollers and try again.  The calls are synchronous to our caller and one
 * at a time: they take a lock for the whole operation.
 *
 * skiboot gives the host no smarts: a write does not erase first and an
 * erase works on whole erase blocks ("ibm,flash-block-size").  With
 * "no-erase" (a flash that needs none), an erase is a write of 0xff.
 */
#include "hv/console.h"
#include "hv/lib/string.h"
#include "hv/lock.h"
#include "hv/platform.h"
#include "platform-powernv/ffs.h"
#include "platform-powernv/opal.h"
#include "platform-powernv/pnv.h"

#define OPAL_MSG_ASYNC_COMP 0
#define TRIES 1000000u /* OPAL_BUSY answers before we give up */

struct opal_msg {
	be32 type;
	be32 size;
	be64 params[8];
};

static struct machine_flash flash;
static struct spinlock flash_lock = SPINLOCK_INIT;
static uint64_t next_token = 0x4c50560000000000ull; /* "LPV" */
static const char *flash_why = "no flash in the host tree";
static uint8_t ff_block[0x1000] __attribute__((aligned(8)));

void pnv_set_flash(const struct machine_flash *f)
{
	if (!f->present) {
		return;
	}
	if (opal_call(OPAL_CHECK_TOKEN, OPAL_FLASH_READ, 0, 0, 0, 0, 0, 0) != 1 ||
	    opal_call(OPAL_CHECK_TOKEN, OPAL_FLASH_WRITE, 0, 0, 0, 0, 0, 0) != 1 ||
	    opal_call(OPAL_CHECK_TOKEN, OPAL_FLASH_ERASE, 0, 0, 0, 0, 0, 0) != 1 ||
	    opal_call(OPAL_CHECK_TOKEN, OPAL_CHECK_ASYNC_COMPLETION, 0, 0, 0, 0,
		      0, 0) != 1) {
		flash_why = "OPAL has no flash calls";
		return;
	}
	flash = *f;
	flash_why = NULL;
}

/* One operation and its completion; the OPAL result. */
static int64_t flash_op(uint64_t token_op, uint64_t off, uint64_t buf,
			uint64_t len)
{
	uint64_t token = next_token++;
	struct opal_msg msg;
	int64_t rc = OPAL_BUSY;
	uint32_t tries;

	for (tries = 0; tries < TRIES; tries++) {
		if (token_op == OPAL_FLASH_ERASE) {
			rc = opal_call(token_op, flash.opal_id, off, len, token,
				       0, 0, 0);
		} else {
			rc = opal_call(token_op, flash.opal_id, off, buf, len,
				       token, 0, 0);
		}
		if (rc != OPAL_BUSY && rc != OPAL_BUSY_EVENT) {
			break;
		}
		opal_poll_events();
	}
	if (rc == OPAL_SUCCESS) {
		return rc; /* a firmware that finished at once */
	}
	if (rc != OPAL_ASYNC_COMPLETION) {
		return rc;
	}
	for (tries = 0; tries < TRIES; tries++) {
		memset(&msg, 0, sizeof(msg));
		rc = opal_call(OPAL_CHECK_ASYNC_COMPLETION, (uintptr_t)&msg,
			       sizeof(msg), token, 0, 0, 0, 0);
		if (rc == OPAL_SUCCESS) {
			if (be32_to_cpu(msg.type) != OPAL_MSG_ASYNC_COMP ||
			    be64_to_cpu(msg.params[0]) != token) {
				return OPAL_INTERNAL_ERROR;
			}
			return (int64_t)be64_to_cpu(msg.params[1]);
		}
		if (rc != OPAL_BUSY && rc != OPAL_BUSY_EVENT) {
			return rc;
		}
		opal_poll_events();
	}
	return OPAL_BUSY;
}

/* skiboot refuses len >= the flash's size and anything past its end. */
static bool in_flash(uint32_t off, uint32_t len)
{
	return !flash_why && len && len < flash.size && off < flash.size &&
	       len <= flash.size - off;
}

static bool report(const char *what, uint32_t off, uint32_t len, int64_t rc)
{
	if (rc == OPAL_SUCCESS) {
		return true;
	}
	hv_printf("lparvisor: flash %s of 0x%x bytes at 0x%x failed: %s "
		  "(%lld)\n", what, len, off, opal_strerror(rc), (long long)rc);
	return false;
}

bool platform_flash_read(uint32_t off, void *buf, uint32_t len)
{
	int64_t rc;

	if (!in_flash(off, len)) {
		return false;
	}
	spin_lock(&flash_lock);
	rc = flash_op(OPAL_FLASH_READ, off, (uintptr_t)buf, len);
	spin_unlock(&flash_lock);
	return report("read", off, len, rc);
}

bool platform_flash_write(uint32_t off, const void *buf, uint32_t len)
{
	int64_t rc;

	if (!in_flash(off, len)) {
		return false;
	}
	spin_lock(&flash_lock);
	rc = flash_op(OPAL_FLASH_WRITE, off, (uintptr_t)buf, len);
	spin_unlock(&flash_lock);
	return report("write", off, len, rc);
}

bool platform_flash_erase(uint32_t off, uint32_t len)
{
	int64_t rc = OPAL_SUCCESS;

	if (!in_flash(off, len) || (off | len) & (flash.block_size - 1)) {
		return false;
	}
	spin_lock(&flash_lock);
	if (!flash.no_erase) {
		rc = flash_op(OPAL_FLASH_ERASE, off, 0, len);
	} else {
		memset(ff_block, 0xff, sizeof(ff_block));
		for (uint32_t at = 0; at < len && rc == OPAL_SUCCESS;
		     at += sizeof(ff_block)) {
			uint32_t n = len - at < sizeof(ff_block) ?
					     len - at : sizeof(ff_block);

			rc = flash_op(OPAL_FLASH_WRITE, off + at,
				      (uintptr_t)ff_block, n);
		}
	}
	spin_unlock(&flash_lock);
	return report("erase", off, len, rc);
}

const char *platform_flash_partition(const char *name, uint32_t *off,
				     uint32_t *size, uint32_t *block,
				     bool *no_erase)
{
	uint8_t hdr[FFS_HDR_SIZE];
	static uint8_t table[FFS_HDR_SIZE + 64 * FFS_ENTRY_SIZE];
	uint32_t len;

	if (flash_why) {
		return flash_why;
	}
	if (!platform_flash_read(0, hdr, sizeof(hdr))) {
		return "the flash cannot be read";
	}
	len = ffs_table_len(hdr);
	if (!len) {
		return "no FFS partition table on the flash";
	}
	if (len > sizeof(table)) {
		len = sizeof(table);
	}
	if (!platform_flash_read(0, table, len)) {
		return "the flash cannot be read";
	}
	*block = flash.block_size;
	*no_erase = flash.no_erase;
	return ffs_find(table, len, flash.size, name, off, size);
}
