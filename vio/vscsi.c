/*
 * The v-scsi client adapter of a partition with disks, served by an SRP
 * target inside lparvisor: the /vdevice/v-scsi node of QEMU 7.2's
 * spapr-vscsi (hw/scsi/spapr_vscsi.c: name "v-scsi", device_type
 * "vscsi", compatible "IBM,v-scsi", H_VIO_SIGNAL mask 1, a 256 MiB DMA
 * window) and PAPR's VSCSI protocol over the CRQ (LoPAR "Virtual SCSI"):
 * the init handshake, the MADs Linux's ibmvscsi sends, SRP login and
 * logout, SRP_CMD with direct and indirect descriptors, task management.
 * As QEMU's, the target keeps no login state: commands are served with
 * or without a login (SLOF's v-scsi driver never logs in).
 *
 * The partition's disks (hv/disk.h) are its targets 0, 1, ... on channel
 * 0, each with LUN 0.  Every request is served synchronously inside the
 * H_SEND_CRQ that brings it: the IU is copied once into the adapter's
 * buffer and checked there, data moves only through the client's TCE
 * window (mm/tce.h permissions), and the response is on the client's
 * queue when the hcall returns.  So no command is ever in flight: abort
 * and LUN reset find nothing to abort and complete.
 *
 * Lock order: the adapter's lock, then its VIO device lock (taken by
 * vio_dma_read/write); the response goes out with no lock held.
 */
#include "hv/abi/hcall.h"
#include "hv/abi/layout.h"
#include "hv/lib/format.h"
#include "hv/lib/string.h"
#include "hv/console.h"
#include "hv/disk.h"
#include "hv/lock.h"
#include "hv/lpar.h"
#include "hv/unit.h"
#include "vio/bus.h"
#include "vio/scsi.h"
#include "vio/srp.h"
#include "vio/vscsi.h"

/* Credits granted at login: ibmvscsi keeps two for task management and
 * needs at least two to scan; the CRQ (one 64 KiB page: 4096 slots)
 * always has room for this many responses. */
#define VSCSI_REQ_LIMIT 64
/* The largest transfer one command may ask (ADAPTER_INFO's max transfer
 * tells Linux; a bigger one is refused so that no hcall copies more). */
#define VSCSI_MAX_XFER SZ_1M

struct vscsi {
	struct spinlock lock; /* everything below */
	struct vio_dev *dev;
	uint32_t lu_count;
	struct scsi_lu lu[CONFIG_LPAR_DISKS];
	struct disk *disk[CONFIG_LPAR_DISKS];
	uint64_t dropped;     /* requests ignored (malformed) */
	uint8_t iu[SRP_MAX_IU_LEN];
	uint8_t rsp[SRP_MAX_IU_LEN];
	uint8_t table[SRP_MAX_DESC * SRP_DESC_SIZE];
	struct srp_desc desc[SRP_MAX_DESC];
	struct scsi_result res;
};

static uint32_t vscsi_slot;

static struct vscsi *vscsi_of(const struct lpar *l)
{
	return lpar_unit_state(l, vscsi_slot);
}

/* A response waiting to go on the CRQ once the lock is dropped. */
struct reply {
	bool send;
	uint8_t msg[CRQ_ENTRY_SIZE];
};

/*
 * Write response IU `len` bytes of s->rsp back over the request at
 * `ioba` and prepare its CRQ entry: valid 0x80, the request's format,
 * status OK (or ADAPTER_FAIL when the IU could not be written), the IU
 * length, and the request's tag bytes raw (Linux reads them back as its
 * pointer; QEMU's vscsi_send_iu).
 */
static void respond(struct lpar *l, struct vscsi *s, uint64_t ioba,
		    uint8_t format, uint32_t len, struct reply *out)
{
	bool ok = vio_dma_write(l, s->dev, ioba, s->rsp, len);

	memset(out->msg, 0, sizeof(out->msg));
	out->msg[0] = CRQ_HDR_CMD;
	out->msg[1] = format;
	out->msg[3] = ok ? VIOSRP_OK : VIOSRP_ADAPTER_FAIL;
	put_be16(out->msg + 6, len);
	memcpy(out->msg + 8, s->iu + 8, 8);
	out->send = true;
}

/*
 * The unit an SRP LUN names: Linux's ibmvscsi sends SAM logical-unit
 * addressing (0x8000 | id << 8 | channel << 5 | lun in the first two
 * bytes); peripheral addressing of bus 0 (first byte 0) also names
 * target 0.  Only channel 0, LUN 0 of targets 0..count-1 exist.
 */
static struct scsi_lu *lun_lookup(struct vscsi *s, uint64_t lun)
{
	uint32_t b0 = (uint32_t)(lun >> 56), b1 = (uint32_t)(lun >> 48) & 0xff;
	uint32_t id, channel, unit;

	if (lun & 0xffffffffffffull) {
		return NULL;
	}
	switch (b0 >> 6) {
	case 0:
		if (b0 != 0) {
			return NULL;
		}
		id = 0;
		channel = 0;
		unit = b1;
		break;
	case 2:
		id = b0 & 0x3f;
		channel = b1 >> 5;
		unit = b1 & 0x1f;
		break;
	default:
		return NULL;
	}
	if (channel || unit || id >= s->lu_count) {
		return NULL;
	}
	return &s->lu[id];
}

/* The data descriptors of `c` in s->desc; -1 when the table cannot be
 * read through the window. */
static int gather(struct lpar *l, struct vscsi *s, const struct srp_cmd *c,
		  uint32_t iu_len)
{
	const struct srp_data *d = &c->data;
	uint32_t bytes;

	if (d->fmt == SRP_FMT_NONE) {
		return 0;
	}
	if (d->fmt == SRP_FMT_DIRECT || d->total_count <= d->local_count) {
		return srp_read_descs(d, s->iu, iu_len, false, s->desc,
				      SRP_MAX_DESC);
	}
	/* The rest are in the client's memory: copy the table once. */
	bytes = d->total_count * SRP_DESC_SIZE;
	if (!vio_dma_read(l, s->dev, d->table.va, s->table, bytes)) {
		return -1;
	}
	return srp_read_descs(d, s->table, bytes, true, s->desc, SRP_MAX_DESC);
}

/*
 * Move r->len bytes between the unit (or the reply buffer) and the
 * client buffers `n` descriptors describe, in order.  *moved: bytes
 * moved.  False when a descriptor does not translate with the
 * permission the direction needs.
 */
static bool move_data(struct lpar *l, struct vscsi *s, struct disk *dk,
		      int n, uint64_t *moved)
{
	struct scsi_result *r = &s->res;
	uint8_t *base = r->media ? dk->data + r->offset : r->buf;
	uint64_t done = 0;

	for (int i = 0; i < n && done < r->len; i++) {
		uint64_t chunk = r->len - done;
		bool ok;

		if (chunk > s->desc[i].len) {
			chunk = s->desc[i].len;
		}
		if (r->dir == SCSI_DIR_IN) {
			ok = vio_dma_write(l, s->dev, s->desc[i].va,
					   base + done, chunk);
		} else {
			ok = vio_dma_read(l, s->dev, s->desc[i].va,
					  base + done, chunk);
		}
		if (!ok) {
			*moved = done;
			return false;
		}
		done += chunk;
	}
	*moved = done;
	return true;
}

/* SRP_CMD: decode, execute, move the data, answer SRP_RSP. */
static void do_cmd(struct lpar *l, struct vscsi *s, uint64_t ioba,
		   uint32_t iu_len, struct reply *out)
{
	struct scsi_result *r = &s->res;
	struct srp_cmd c;
	struct scsi_lu *lu;
	struct disk *dk;
	uint64_t moved = 0;
	uint8_t flags = 0;
	uint32_t resid = 0;
	int n = 0;

	if (srp_parse_cmd(s->iu, iu_len, &c) != SRP_OK) {
		memset(&c, 0, sizeof(c));
		memcpy(c.tag, s->iu + 8, 8);
		memset(r, 0, sizeof(*r));
		scsi_check(r, SCSI_KEY_ILLEGAL_REQUEST,
			   SCSI_ASC_INVALID_FIELD_IN_CDB);
		goto out;
	}
	lu = lun_lookup(s, c.lun);
	dk = lu ? s->disk[lu - s->lu] : NULL;
	scsi_exec(lu, c.cdb, sizeof(c.cdb), r);
	if (r->status != SCSI_GOOD || r->len == 0) {
		goto out;
	}
	if (r->len > VSCSI_MAX_XFER) {
		scsi_check(r, SCSI_KEY_ILLEGAL_REQUEST,
			   SCSI_ASC_INVALID_FIELD_IN_CDB);
		goto out;
	}
	/* Descriptors for the other direction describe no buffer here. */
	if (c.out == (r->dir == SCSI_DIR_OUT)) {
		n = gather(l, s, &c, iu_len);
	}
	if (n < 0 || !move_data(l, s, dk, n, &moved)) {
		/* A buffer outside the window (QEMU: HARDWARE ERROR). */
		scsi_check(r, SCSI_KEY_HARDWARE_ERROR, 0);
		goto out;
	}
	if (r->media) {
		__atomic_fetch_add(r->dir == SCSI_DIR_IN ? &dk->reads :
				   &dk->writes, 1, __ATOMIC_RELAXED);
	}
	/* Linux sets the residual only from the OVER flags: a reply longer
	 * than the buffers is reported as QEMU does, with DIOVER/DOOVER. */
	if (moved < r->len) {
		resid = (uint32_t)(r->len - moved);
		flags = r->dir == SCSI_DIR_IN ? SRP_RSP_DIOVER : SRP_RSP_DOOVER;
	}
out:
	srp_build_rsp(s->rsp, c.tag, c.sol_not, r->status, r->sense,
		      r->sense_len, flags, flags & SRP_RSP_DIOVER ? resid : 0,
		      flags & SRP_RSP_DOOVER ? resid : 0);
	respond(l, s, ioba, VIOSRP_SRP_FORMAT,
		36 + r->sense_len, out);
}

/* SRP_TSK_MGMT: nothing is ever in flight, so every abort or reset of an
 * existing unit completes; CLEAR ACA is not supported (QEMU's codes). */
static void do_tsk_mgmt(struct lpar *l, struct vscsi *s, uint64_t ioba,
			uint32_t iu_len, struct reply *out)
{
	uint8_t code = SRP_TM_FIELDS_INVALID;

	if (iu_len >= 48 && lun_lookup(s, get_be64(s->iu + 20))) {
		switch (s->iu[30]) {
		case SRP_TSK_ABORT_TASK:
		case SRP_TSK_ABORT_TASK_SET:
		case SRP_TSK_CLEAR_TASK_SET:
		case SRP_TSK_LUN_RESET:
			code = SRP_TM_COMPLETE;
			break;
		case SRP_TSK_CLEAR_ACA:
			code = SRP_TM_NOT_SUPPORTED;
			break;
		default:
			break;
		}
	}
	srp_build_tm_rsp(s->rsp, s->iu + 8, code);
	respond(l, s, ioba, VIOSRP_SRP_FORMAT, 40, out);
}

static void do_srp(struct lpar *l, struct vscsi *s, uint64_t ioba,
		   uint32_t iu_len, struct reply *out)
{
	uint32_t reason;

	switch (s->iu[0]) {
	case SRP_LOGIN_REQ:
		reason = srp_check_login(s->iu, iu_len);
		if (reason) {
			respond(l, s, ioba, VIOSRP_SRP_FORMAT,
				srp_build_login_rej(s->rsp, s->iu + 8, reason),
				out);
			return;
		}
		respond(l, s, ioba, VIOSRP_SRP_FORMAT,
			srp_build_login_rsp(s->rsp, s->iu + 8,
					    VSCSI_REQ_LIMIT), out);
		return;
	case SRP_I_LOGOUT:
		return; /* no response (SRP) */
	case SRP_CMD:
		do_cmd(l, s, ioba, iu_len, out);
		return;
	case SRP_TSK_MGMT:
		do_tsk_mgmt(l, s, ioba, iu_len, out);
		return;
	default:
		break;
	}
	s->dropped++;
}

/* MADs: ADAPTER_INFO answered (its data written to the client's buffer);
 * every other type NOT SUPPORTED with length 0, as QEMU. */
static void do_mad(struct lpar *l, struct vscsi *s, uint64_t ioba,
		   uint32_t iu_len, struct reply *out)
{
	uint8_t info[VIOSRP_ADAPTER_INFO_LEN];
	uint32_t type, len;
	bool ok;

	if (iu_len < VIOSRP_MAD_COMMON_LEN) {
		s->dropped++;
		return;
	}
	type = get_be32(s->iu);
	memcpy(s->rsp, s->iu, iu_len);
	if (type == VIOSRP_MAD_ADAPTER_INFO &&
	    iu_len >= VIOSRP_ADAPTER_INFO_IU_LEN) {
		len = get_be16(s->iu + 6);
		if (len > VIOSRP_ADAPTER_INFO_LEN) {
			len = VIOSRP_ADAPTER_INFO_LEN;
		}
		srp_adapter_info(info, "lparvisor", 0, VSCSI_MAX_XFER);
		ok = vio_dma_write(l, s->dev, get_be64(s->iu + 16), info, len);
		put_be16(s->rsp + 4, ok ? 0 : VIOSRP_MAD_FAILED);
		respond(l, s, ioba, VIOSRP_MAD_FORMAT,
			VIOSRP_ADAPTER_INFO_IU_LEN, out);
		return;
	}
	put_be16(s->rsp + 4, VIOSRP_MAD_NOT_SUPPORTED);
	put_be16(s->rsp + 6, 0);
	respond(l, s, ioba, VIOSRP_MAD_FORMAT, VIOSRP_MAD_COMMON_LEN, out);
}

/* A VIOSRP request: copy its IU once, then serve it. */
static void do_request(struct lpar *l, struct vscsi *s, const uint8_t *msg,
		       struct reply *out)
{
	uint32_t len = get_be16(msg + 6);
	uint64_t ioba = get_be64(msg + 8);

	/* QEMU drops IUs longer than its 256-byte buffer; so does this. */
	if (len == 0 || len > SRP_MAX_IU_LEN ||
	    !vio_dma_read(l, s->dev, ioba, s->iu, len)) {
		s->dropped++;
		return;
	}
	memset(s->iu + len, 0, SRP_MAX_IU_LEN - len);
	if (msg[1] == VIOSRP_SRP_FORMAT) {
		do_srp(l, s, ioba, len, out);
	} else {
		do_mad(l, s, ioba, len, out);
	}
}

/*
 * H_SEND_CRQ to the adapter.  Returns H_SUCCESS for anything the client
 * may send (requests the target cannot serve are dropped and counted, as
 * QEMU drops them); H_PARAMETER for a header without bit 7 or a
 * transport event (0xFF), which only the platform may send (LoPAR
 * H_SEND_CRQ; QEMU accepts and ignores them).
 */
static int64_t vscsi_crq_receive(struct lpar *l, struct vio_dev *d,
				 const uint8_t msg[CRQ_ENTRY_SIZE])
{
	struct vscsi *s = d->priv;
	struct reply out = { .send = false };

	if (!(msg[0] & 0x80) || msg[0] == CRQ_HDR_TRANSPORT) {
		return H_PARAMETER;
	}
	if (msg[0] == CRQ_HDR_INIT) {
		/* Initialize: answer "initialization complete"; complete
		 * needs no answer (the target is always there). */
		if (msg[1] == 0x01) {
			memset(out.msg, 0, sizeof(out.msg));
			out.msg[0] = CRQ_HDR_INIT;
			out.msg[1] = 0x02;
			out.send = true;
		}
	} else if (msg[0] == CRQ_HDR_CMD && (msg[1] == VIOSRP_SRP_FORMAT ||
					     msg[1] == VIOSRP_MAD_FORMAT)) {
		spin_lock(&s->lock);
		do_request(l, s, msg, &out);
		spin_unlock(&s->lock);
	} else {
		spin_lock(&s->lock);
		s->dropped++;
		spin_unlock(&s->lock);
	}
	if (out.send) {
		vio_crq_send(l, d, out.msg);
	}
	return H_SUCCESS;
}

static const struct vio_dev_ops vscsi_ops = {
	.crq_receive = vscsi_crq_receive,
};

static const struct vio_dev_desc vscsi_vio = {
	.name = "v-scsi", .dt_name = "v-scsi", .dt_type = "vscsi",
	.dt_compatible = "IBM,v-scsi", .reg = LAYOUT_VSCSI_REG,
	.irq = LAYOUT_VSCSI_IRQ, .signal_mask = 1,
	.dma_window = VIO_DMA_WINDOW, .dt_scsi_bus = true, .ops = &vscsi_ops,
};

/* A partition with disks gets the adapter, one target per disk. */
static bool vscsi_create(struct lpar *l)
{
	struct vscsi *s = vscsi_of(l);

	if (l->cfg.disk_count == 0) {
		return true;
	}
	for (uint32_t i = 0; i < l->cfg.disk_count; i++) {
		struct disk *dk = disk_get(l->cfg.disks[i]);

		if (!dk) {
			hv_printf("lparvisor: partition \"%s\": disk %u has "
				  "no memory\n", l->cfg.name, i);
			return false;
		}
		s->disk[i] = dk;
		s->lu[i].size = dk->size;
		s->lu[i].read_only = dk->read_only;
		s->lu[i].name = dk->name;
		s->lu[i].id = l->cfg.disks[i] + 1u;
	}
	s->lu_count = l->cfg.disk_count;
	s->dev = vio_bus_add(l, &vscsi_vio, s);
	return s->dev != NULL;
}

size_t vscsi_format_stats(const struct lpar *l, char *buf, size_t size)
{
	const struct vscsi *s = vscsi_of(l);
	size_t n = 0;

	if (!size) {
		return 0;
	}
	buf[0] = '\0';
	if (!s->lu_count) {
		return 0;
	}
	/* Counters only: read without the adapter's lock, as they move. */
	for (uint32_t i = 0; i < s->lu_count && n + 1 < size; i++) {
		const struct disk *dk = s->disk[i];

		n += hv_snprintf(buf + n, size - n,
				 "%s%s %s reads %llu writes %llu",
				 i ? "; " : "", dk->name,
				 dk->read_only ? "ro" : "rw",
				 (unsigned long long)__atomic_load_n(
					 &dk->reads, __ATOMIC_RELAXED),
				 (unsigned long long)__atomic_load_n(
					 &dk->writes, __ATOMIC_RELAXED));
	}
	if (n + 1 < size) {
		n += hv_snprintf(buf + n, size - n, "; dropped %llu",
				 (unsigned long long)__atomic_load_n(
					 &s->dropped, __ATOMIC_RELAXED));
	}
	return MIN(n, size - 1);
}

LPAR_UNIT(vscsi, .order = UNIT_ORDER_VSCSI, .slot = &vscsi_slot,
	  .state_size = sizeof(struct vscsi), .create = vscsi_create,
	  .describe = vscsi_format_stats);
