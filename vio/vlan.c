/*
 * Virtual LAN adapters (Linux ibmveth), as QEMU 7.2's spapr-vlan
 * (hw/net/spapr_llan.c) presents them to a pSeries guest: /vdevice/l-lan
 * nodes with a 256 MiB TCE window, H_REGISTER_LOGICAL_LAN and the other
 * logical LAN hcalls with QEMU's return codes, receive buffers kept in
 * hypervisor pools as QEMU's default (use-rx-buffer-pools), the receive
 * queue and buffer list formats of hv/abi/llan.h.  The adapters of every
 * partition are the ports of one switch (vio/vswitch.h): a frame goes from
 * the sender's TCE-mapped buffers straight into each receiver's posted
 * buffer, with the header the switch routed on copied from hypervisor
 * memory, and every guest address goes through the adapter's TCE table.
 *
 * Locks: an adapter's state is under its VIO device's lock (hv/lpar.h,
 * 3); the switch's lock is a leaf taken with nothing held.  A send holds
 * the sender's device lock only while it reads its descriptors, then each
 * receiver's alone in turn, so two partitions sending to each other never
 * wait on each other.
 */
#include "hv/abi/layout.h"
#include "hv/abi/llan.h"
#include "hv/lib/format.h"
#include "hv/lib/string.h"
#include "hv/console.h"
#include "hv/hcall.h"
#include "hv/lock.h"
#include "hv/lpar.h"
#include "hv/unit.h"
#include "hv/vcpu.h"
#include "intc/intc.h"
#include "mm/mem.h"
#include "vio/bus.h"
#include "vio/vlan.h"
#include "vio/vswitch.h"

#define RX_POOLS 5         /* QEMU's RX_MAX_POOLS */
#define RX_POOL_BDS 4096   /* QEMU's RX_POOL_MAX_BDS */
#define RX_POOL_UNUSED INT32_MAX
#define HDR_COPY 64        /* header bytes routed on and delivered from a copy */
/* Sender segments: 64 KiB over six descriptors, each page one. */
#define SEND_SEGS (LLAN_MAX_FRAME / TCE_PAGE_SIZE + 2 * LLAN_SEND_BDS)

struct rx_pool {
	int32_t bufsize;   /* RX_POOL_UNUSED when free */
	uint32_t count;
	uint64_t *bds;     /* RX_POOL_BDS descriptors */
};

/* A frame on its way: where the sender's bytes are, and its header. */
struct frame {
	struct lpar *from;
	uint32_t seg_count;
	struct { uint64_t gpa, len; } seg[SEND_SEGS];
	uint32_t len;            /* whole frame */
	uint32_t hdr_len;        /* bytes copied into hdr */
	uint8_t hdr[HDR_COPY];
};

struct vlan_adapter {
	struct lpar *lpar;
	struct vio_dev *dev;
	uint32_t port;      /* in the switch */
	/* Under dev->lock: */
	bool open;
	uint64_t buf_list;  /* bus address of the buffer list page */
	uint64_t rxq_bd;    /* the receive queue, toggle as it is now */
	uint64_t rxq_ptr;   /* next entry's offset in it */
	uint32_t rx_bufs;
	uint64_t dropped;   /* no buffer: also at buf_list + LLAN_DROPPED_OFF */
	struct rx_pool pools[RX_POOLS]; /* ascending bufsize */
	/*
	 * One send at a time per adapter (two vCPUs may send at once): it
	 * owns `tx` from the descriptors' check to the last receiver.
	 * Taken before the device lock, never while holding another lock.
	 */
	struct spinlock send_lock;
	struct frame tx;
};

struct vlan_part {
	uint32_t count;
	struct vlan_adapter ad[CONFIG_MAX_LANS];
};

static uint32_t vlan_slot;
static struct vswitch vsw;
static struct spinlock vsw_lock; /* vsw: a leaf */

static struct vlan_part *vlan_of(const struct lpar *l)
{
	return lpar_unit_state(l, vlan_slot);
}

static const struct vio_dev_ops vlan_ops = { 0 };

/* The adapter at unit address `unit` (low 32 bits, as QEMU), or NULL. */
static struct vlan_adapter *adapter_of(struct lpar *l, uint64_t unit)
{
	struct vio_dev *d = vio_bus_find(l, (uint32_t)unit);

	if (!d || d->desc.ops != &vlan_ops) {
		return NULL;
	}
	return d->priv;
}

static void pools_reset(struct vlan_adapter *a)
{
	for (uint32_t i = 0; i < RX_POOLS; i++) {
		a->pools[i].bufsize = RX_POOL_UNUSED;
		a->pools[i].count = 0;
	}
}

static void adapter_free(struct vlan_adapter *a)
{
	for (uint32_t i = 0; i < RX_POOLS; i++) {
		if (a->pools[i].bds) {
			mem_free(a->pools[i].bds);
			a->pools[i].bds = NULL;
		}
	}
}

static bool adapter_create(struct lpar *l, struct vlan_adapter *a,
			   uint32_t n)
{
	const struct lan_config *c = &l->cfg.lans[n];
	struct vio_dev_desc desc = {
		.name = "l-lan", .dt_name = "l-lan", .dt_type = "network",
		.dt_compatible = "IBM,l-lan", .reg = LAYOUT_LLAN_REG(n),
		.irq = LAYOUT_LLAN_IRQ(n), .signal_mask = 1,
		.dma_window = VIO_DMA_WINDOW, .ops = &vlan_ops,
		.dt_has_mac = true,
	};

	memcpy(desc.dt_mac, c->mac, sizeof(desc.dt_mac));
	a->lpar = l;
	for (uint32_t i = 0; i < RX_POOLS; i++) {
		a->pools[i].bds = mem_zalloc(RX_POOL_BDS * sizeof(uint64_t), 8);
		if (!a->pools[i].bds) {
			hv_printf("lparvisor: partition \"%s\": no memory for "
				  "the receive pools of adapter \"%s\"\n",
				  l->cfg.name, c->name);
			adapter_free(a);
			return false;
		}
	}
	pools_reset(a);
	spin_lock(&vsw_lock);
	a->port = vswitch_port_add(&vsw, c, a);
	spin_unlock(&vsw_lock);
	if (a->port == VSWITCH_NO_PORT) {
		hv_printf("lparvisor: partition \"%s\": adapter \"%s\": the "
			  "switch is full\n", l->cfg.name, c->name);
		adapter_free(a);
		return false;
	}
	a->dev = vio_bus_add(l, &desc, a);
	if (!a->dev) {
		spin_lock(&vsw_lock);
		vswitch_port_remove(&vsw, a->port);
		spin_unlock(&vsw_lock);
		adapter_free(a);
		return false;
	}
	return true;
}

static void vlan_destroy(struct lpar *l)
{
	struct vlan_part *vp = vlan_of(l);

	for (uint32_t i = 0; i < vp->count; i++) {
		spin_lock(&vsw_lock);
		vswitch_port_remove(&vsw, vp->ad[i].port);
		spin_unlock(&vsw_lock);
		adapter_free(&vp->ad[i]);
	}
	vp->count = 0;
}

static bool vlan_create(struct lpar *l)
{
	struct vlan_part *vp = vlan_of(l);

	for (uint32_t i = 0; i < l->cfg.lan_count && i < CONFIG_MAX_LANS; i++) {
		if (!adapter_create(l, &vp->ad[i], i)) {
			vlan_destroy(l);
			return false;
		}
		vp->count++;
	}
	return true;
}

/* QEMU's spapr_vlan_reset(): closed, no buffer, the configured MAC. */
static void adapter_close(struct vlan_adapter *a)
{
	a->open = false;
	a->buf_list = 0;
	a->rx_bufs = 0;
	a->rxq_ptr = 0;
	pools_reset(a);
	spin_lock(&vsw_lock);
	vswitch_port_reset(&vsw, a->port);
	spin_unlock(&vsw_lock);
}

/* Each (re)boot, before the memory is cleared: nothing is written after. */
static void vlan_reset(struct lpar *l)
{
	struct vlan_part *vp = vlan_of(l);

	for (uint32_t i = 0; i < vp->count; i++) {
		struct vlan_adapter *a = &vp->ad[i];

		spin_lock(&a->dev->lock);
		adapter_close(a);
		spin_unlock(&a->dev->lock);
	}
}

LPAR_UNIT(vlan, .order = UNIT_ORDER_VLAN, .slot = &vlan_slot,
	  .state_size = sizeof(struct vlan_part), .create = vlan_create,
	  .reset = vlan_reset, .destroy = vlan_destroy,
	  .describe = vlan_format_stats);

/* The adapter's DMA, under its device's lock. */
static bool dma_read_locked(struct vlan_adapter *a, uint64_t ioba, void *dst,
			    uint64_t len)
{
	return tce_dma_read(&a->dev->tce, &a->lpar->mem, ioba, dst, len);
}

static bool dma_write_locked(struct vlan_adapter *a, uint64_t ioba,
			     const void *src, uint64_t len)
{
	return tce_dma_write(&a->dev->tce, &a->lpar->mem, ioba, src, len);
}

/* Zero [ioba, ioba + len) through the window (already checked). */
static void dma_zero_locked(struct vlan_adapter *a, uint64_t ioba,
			    uint64_t len)
{
	static const uint8_t zero[256];

	while (len) {
		uint64_t n = MIN(len, (uint64_t)sizeof(zero));

		dma_write_locked(a, ioba, zero, n);
		ioba += n;
		len -= n;
	}
}

/*
 * QEMU's check_bd(): address and length multiples of `align`, and the
 * whole range mapped both ways in the adapter's window.
 */
static bool bd_ok_locked(struct vlan_adapter *a, uint64_t bd, uint64_t align)
{
	uint64_t addr = LLAN_BD_ADDR(bd), len = LLAN_BD_LEN(bd);

	return !(addr % align) && !(len % align) &&
	       tce_range_ok(&a->dev->tce, &a->lpar->mem, addr, len, TCE_RW);
}

/*
 * H_REGISTER_LOGICAL_LAN(unit, buffer list, receive queue descriptor,
 * filter list): QEMU's h_register_logical_lan.  H_PARAMETER for no
 * adapter there, a buffer list or filter list not a whole mapped page, a
 * receive queue not valid, not 16-byte aligned or not mapped; H_RESOURCE
 * when already registered.
 */
static int64_t h_register_logical_lan(struct vcpu *vc, struct hcall_args *a)
{
	struct vlan_adapter *ad = adapter_of(vc->lpar, a->arg[0]);
	uint64_t buf_list = a->arg[1], rxq = a->arg[2], filter = a->arg[3];
	uint8_t head[16];
	int64_t ret = H_PARAMETER;

	if (!ad) {
		return H_PARAMETER;
	}
	spin_lock(&ad->dev->lock);
	if (ad->open) {
		ret = H_RESOURCE;
		goto out;
	}
	if (!bd_ok_locked(ad, LLAN_BD(buf_list, LLAN_BUF_LIST_SIZE),
			  LLAN_BUF_LIST_SIZE) ||
	    !bd_ok_locked(ad, LLAN_BD(filter, LLAN_BUF_LIST_SIZE),
			  LLAN_BUF_LIST_SIZE) ||
	    !(rxq & LLAN_BD_VALID) || !bd_ok_locked(ad, rxq, LLAN_RXQ_ALIGN)) {
		goto out;
	}
	ad->dev->signal_state = 0;
	ad->buf_list = LLAN_BD_ADDR(buf_list);
	ad->rxq_bd = rxq & ~LLAN_BD_TOGGLE;
	ad->rxq_ptr = 0;
	ad->rx_bufs = 0;
	ad->dropped = 0;
	pools_reset(ad);
	put_be64(head, ad->rxq_bd);
	put_be64(head + 8, LLAN_BD(filter, LLAN_BUF_LIST_SIZE));
	dma_write_locked(ad, ad->buf_list, head, sizeof(head));
	dma_zero_locked(ad, ad->buf_list + sizeof(head),
			LLAN_BUF_LIST_SIZE - sizeof(head));
	dma_zero_locked(ad, LLAN_BD_ADDR(rxq), LLAN_BD_LEN(rxq));
	ad->open = true;
	ret = H_SUCCESS;
out:
	spin_unlock(&ad->dev->lock);
	return ret;
}
HCALL(H_REGISTER_LOGICAL_LAN, h_register_logical_lan, 0, HCALL_NO_SET,
      HCALL_INTC_ANY, "done (QEMU 7.2 codes; queues only through the window)");

/* H_FREE_LOGICAL_LAN(unit): H_PARAMETER no adapter, H_RESOURCE not open. */
static int64_t h_free_logical_lan(struct vcpu *vc, struct hcall_args *a)
{
	struct vlan_adapter *ad = adapter_of(vc->lpar, a->arg[0]);
	int64_t ret = H_SUCCESS;

	if (!ad) {
		return H_PARAMETER;
	}
	spin_lock(&ad->dev->lock);
	if (!ad->open) {
		ret = H_RESOURCE;
	} else {
		adapter_close(ad);
	}
	spin_unlock(&ad->dev->lock);
	return ret;
}
HCALL(H_FREE_LOGICAL_LAN, h_free_logical_lan, 0, HCALL_NO_SET,
      HCALL_INTC_ANY, "done (QEMU 7.2 codes)");

static int pool_of_size(const struct vlan_adapter *ad, int32_t size)
{
	for (int i = 0; i < RX_POOLS; i++) {
		if (ad->pools[i].bufsize == size) {
			return i;
		}
	}
	return -1;
}

/* Keep the pools in ascending buffer size (QEMU sorts them likewise). */
static void pools_sort(struct vlan_adapter *ad)
{
	for (int i = 1; i < RX_POOLS; i++) {
		for (int j = i; j > 0 && ad->pools[j - 1].bufsize >
						 ad->pools[j].bufsize; j--) {
			struct rx_pool t = ad->pools[j];

			ad->pools[j] = ad->pools[j - 1];
			ad->pools[j - 1] = t;
		}
	}
}

/*
 * One receive buffer into the pool of its size, as QEMU's
 * spapr_vlan_add_rxbuf_to_pool(): a new size takes an empty pool, the
 * last first.  H_RESOURCE when no pool is free for it or it is full.
 */
static int64_t pool_add_locked(struct vlan_adapter *ad, uint64_t bd)
{
	int32_t size = (int32_t)LLAN_BD_LEN(bd);
	int p = pool_of_size(ad, size);

	if (p < 0) {
		for (p = RX_POOLS - 1; p >= 0; p--) {
			if (ad->pools[p].count == 0) {
				ad->pools[p].bufsize = size;
				pools_sort(ad);
				p = pool_of_size(ad, size);
				break;
			}
		}
	}
	if (p < 0 || ad->pools[p].count >= RX_POOL_BDS) {
		return H_RESOURCE;
	}
	ad->pools[p].bds[ad->pools[p].count++] = bd;
	ad->rx_bufs++;
	return H_SUCCESS;
}

/*
 * QEMU's h_add_logical_lan_buffer checks, in its order: H_PARAMETER for
 * a buffer not 4-byte aligned, shorter than 16 bytes or not mapped both
 * ways; H_RESOURCE when the adapter is not open or its pool is full.
 */
static int64_t add_buffer_locked(struct vlan_adapter *ad, uint64_t bd)
{
	if (!bd_ok_locked(ad, bd, LLAN_BUF_ALIGN) ||
	    LLAN_BD_LEN(bd) < LLAN_BUF_MIN) {
		return H_PARAMETER;
	}
	if (!ad->open) {
		return H_RESOURCE;
	}
	return pool_add_locked(ad, bd);
}

/* H_ADD_LOGICAL_LAN_BUFFER(unit, descriptor). */
static int64_t h_add_logical_lan_buffer(struct vcpu *vc,
					struct hcall_args *a)
{
	struct vlan_adapter *ad = adapter_of(vc->lpar, a->arg[0]);
	int64_t ret;

	if (!ad) {
		return H_PARAMETER;
	}
	spin_lock(&ad->dev->lock);
	ret = add_buffer_locked(ad, a->arg[1]);
	spin_unlock(&ad->dev->lock);
	return ret;
}
HCALL(H_ADD_LOGICAL_LAN_BUFFER, h_add_logical_lan_buffer, 0, HCALL_NO_SET,
      HCALL_INTC_ANY, "done (QEMU 7.2 codes, its 5 pools of 4096)");

/*
 * H_ADD_LOGICAL_LAN_BUFFERS(unit, up to 8 descriptors): PAPR's batch form,
 * which QEMU 7.2 does not have (H_FUNCTION there).  Descriptors are taken
 * in order up to the first without its valid bit; each is checked as by
 * H_ADD_LOGICAL_LAN_BUFFER and the first refusal is the return, the ones
 * before it kept.
 */
static int64_t h_add_logical_lan_buffers(struct vcpu *vc,
					 struct hcall_args *a)
{
	struct vlan_adapter *ad = adapter_of(vc->lpar, a->arg[0]);
	int64_t ret = H_SUCCESS;

	if (!ad) {
		return H_PARAMETER;
	}
	spin_lock(&ad->dev->lock);
	for (uint32_t i = 1; i <= LLAN_ADD_BDS && ret == H_SUCCESS; i++) {
		if (!(a->arg[i] & LLAN_BD_VALID)) {
			break;
		}
		ret = add_buffer_locked(ad, a->arg[i]);
	}
	spin_unlock(&ad->dev->lock);
	return ret;
}
HCALL(H_ADD_LOGICAL_LAN_BUFFERS, h_add_logical_lan_buffers, 0, HCALL_NO_SET,
      HCALL_INTC_ANY, "done (PAPR; not in QEMU 7.2, which answers H_FUNCTION)");

/*
 * Resolve the sender's descriptors to guest-real pieces of its memory
 * (each needs the TCE read bit, QEMU's DMA read) and copy the header
 * once into hypervisor memory.  False: a page not mapped for reading.
 */
static bool frame_gather_locked(struct vlan_adapter *ad, const uint64_t *bds,
				uint32_t nbds, struct frame *f)
{
	uint64_t gpa, avail;

	f->seg_count = 0;
	for (uint32_t i = 0; i < nbds; i++) {
		uint64_t ioba = LLAN_BD_ADDR(bds[i]), len = LLAN_BD_LEN(bds[i]);

		while (len) {
			if (f->seg_count == SEND_SEGS ||
			    !tce_translate(&ad->dev->tce, &ad->lpar->mem, ioba,
					   TCE_READ, &gpa, &avail)) {
				return false;
			}
			avail = MIN(avail, len);
			f->seg[f->seg_count].gpa = gpa;
			f->seg[f->seg_count].len = avail;
			f->seg_count++;
			ioba += avail;
			len -= avail;
		}
	}
	f->hdr_len = MIN(f->len, (uint32_t)HDR_COPY);
	for (uint32_t i = 0, done = 0; done < f->hdr_len; i++) {
		uint64_t n = MIN(f->seg[i].len, (uint64_t)(f->hdr_len - done));

		gmem_read(&ad->lpar->mem, f->seg[i].gpa, f->hdr + done, n);
		done += (uint32_t)n;
	}
	return true;
}

/* The frame's header as destination `edit` wants it; returns its length. */
static uint32_t frame_header(const struct frame *f, uint8_t edit,
			     uint16_t vlan, uint8_t *out)
{
	uint32_t n = f->hdr_len;

	if (edit == VSWITCH_STRIP_TAG) {
		memcpy(out, f->hdr, 2 * ETH_ALEN);
		memcpy(out + 2 * ETH_ALEN, f->hdr + 2 * ETH_ALEN + VLAN_HLEN,
		       n - 2 * ETH_ALEN - VLAN_HLEN);
		return n - VLAN_HLEN;
	}
	if (edit == VSWITCH_ADD_TAG) {
		memcpy(out, f->hdr, 2 * ETH_ALEN);
		out[12] = ETH_P_8021Q >> 8;
		out[13] = ETH_P_8021Q & 0xff;
		out[14] = (uint8_t)(vlan >> 8);
		out[15] = (uint8_t)vlan;
		memcpy(out + 2 * ETH_ALEN + VLAN_HLEN, f->hdr + 2 * ETH_ALEN,
		       n - 2 * ETH_ALEN);
		return n + VLAN_HLEN;
	}
	memcpy(out, f->hdr, n);
	return n;
}

/*
 * Copy the frame's bytes from `skip` on, straight from the sender's
 * memory, to bus address `ioba` of receiver `rx` (every page checked for
 * the write bit before the first byte moves).
 */
static bool frame_copy_body_locked(struct vlan_adapter *rx,
				   const struct frame *f, uint32_t skip,
				   uint64_t ioba)
{
	const struct tce_table *t = &rx->dev->tce;
	const struct gmem *g = &rx->lpar->mem;
	uint64_t gpa, avail;

	if (!tce_range_ok(t, g, ioba, f->len - skip, TCE_WRITE)) {
		return false;
	}
	for (uint32_t i = 0; i < f->seg_count; i++) {
		uint64_t src = f->seg[i].gpa, len = f->seg[i].len;

		if (skip >= len) {
			skip -= (uint32_t)len;
			continue;
		}
		src += skip;
		len -= skip;
		skip = 0;
		while (len) {
			if (!tce_translate(t, g, ioba, TCE_WRITE, &gpa,
					   &avail)) {
				return false;
			}
			avail = MIN(avail, len);
			gmem_touch(g, gpa, avail);
			gmem_touch(&f->from->mem, src, avail);
			memcpy(gmem_ptr(g, gpa), gmem_ptr(&f->from->mem, src),
			       avail);
			src += avail;
			ioba += avail;
			len -= avail;
		}
	}
	return true;
}

/* The smallest pooled buffer that holds `size` bytes and the handle. */
static uint64_t pool_take_locked(struct vlan_adapter *ad, uint32_t size)
{
	for (int i = 0; i < RX_POOLS; i++) {
		struct rx_pool *p = &ad->pools[i];

		if (p->count && p->bufsize != RX_POOL_UNUSED &&
		    (uint64_t)p->bufsize >= (uint64_t)size + LLAN_RX_OFFSET) {
			p->count--;
			ad->rx_bufs--;
			return p->bds[p->count];
		}
	}
	return 0;
}

static void count_drop_locked(struct vlan_adapter *ad)
{
	uint8_t be[8];

	vsw.ports[ad->port].rx_dropped++;
	if (!ad->open) {
		return;
	}
	ad->dropped++;
	put_be64(be, ad->dropped);
	dma_write_locked(ad, ad->buf_list + LLAN_DROPPED_OFF, be, sizeof(be));
}

/* Write the receive queue entry for a frame of `size` in buffer `bd`. */
static bool rxq_post_locked(struct vlan_adapter *ad, uint64_t handle,
			    uint32_t size)
{
	uint64_t slot = LLAN_BD_ADDR(ad->rxq_bd) + ad->rxq_ptr;
	uint8_t e[LLAN_RXQ_ENTRY_SIZE] = { 0 };
	uint8_t be[8];

	e[0] = LLAN_RXQC_VALID;
	if (!(ad->rxq_bd & LLAN_BD_TOGGLE)) {
		e[0] |= LLAN_RXQC_TOGGLE;
	}
	e[2] = 0;
	e[3] = LLAN_RX_OFFSET;
	e[4] = (uint8_t)(size >> 24);
	e[5] = (uint8_t)(size >> 16);
	e[6] = (uint8_t)(size >> 8);
	e[7] = (uint8_t)size;
	put_be64(e + 8, handle);
	if (!dma_write_locked(ad, slot + 1, e + 1, sizeof(e) - 1)) {
		return false;
	}
	/* The control byte makes the entry valid: after the rest. */
	__atomic_thread_fence(__ATOMIC_RELEASE);
	if (!dma_write_locked(ad, slot, e, 1)) {
		return false;
	}
	ad->rxq_ptr += LLAN_RXQ_ENTRY_SIZE;
	if (ad->rxq_ptr >= LLAN_BD_LEN(ad->rxq_bd)) {
		ad->rxq_ptr = 0;
		ad->rxq_bd ^= LLAN_BD_TOGGLE;
		put_be64(be, ad->rxq_bd);
		dma_write_locked(ad, ad->buf_list + LLAN_RXQ_BD_OFF, be, 8);
	}
	return true;
}

/*
 * Deliver `f` to `rx` (QEMU's spapr_vlan_receive with a pool): the
 * smallest fitting buffer, its handle from its first 8 bytes, the frame
 * after them, then the receive queue entry.  A closed adapter, no buffer
 * or a buffer the window no longer maps: the frame is dropped and
 * counted.  Returns whether the adapter's interrupt is due.
 */
static bool frame_deliver_locked(struct vlan_adapter *rx,
				 const struct frame *f, uint8_t edit,
				 uint16_t vlan)
{
	uint8_t hdr[HDR_COPY + VLAN_HLEN], hb[8];
	uint32_t hlen, size;
	uint64_t bd, addr;

	if (!rx->open || !rx->rx_bufs) {
		count_drop_locked(rx);
		return false;
	}
	hlen = frame_header(f, edit, vlan, hdr);
	size = f->len - f->hdr_len + hlen;
	bd = pool_take_locked(rx, size);
	if (!bd) {
		count_drop_locked(rx);
		return false;
	}
	addr = LLAN_BD_ADDR(bd);
	if (!dma_read_locked(rx, addr, hb, sizeof(hb)) ||
	    !dma_write_locked(rx, addr + LLAN_RX_OFFSET, hdr, hlen) ||
	    !frame_copy_body_locked(rx, f, f->hdr_len,
				    addr + LLAN_RX_OFFSET + hlen) ||
	    !rxq_post_locked(rx, get_be64(hb), size)) {
		count_drop_locked(rx);
		return false;
	}
	vsw.ports[rx->port].rx_frames++;
	return rx->dev->signal_state & 1;
}

/* Route `f` from `tx` and hand it to every destination, one at a time. */
static void frame_switch(struct vlan_adapter *tx, const struct frame *f)
{
	struct vswitch_dest dest[VSWITCH_PORTS_MAX];
	struct vlan_adapter *rx[VSWITCH_PORTS_MAX];
	uint32_t n;
	uint16_t vlan = 0;

	spin_lock(&vsw_lock);
	n = vswitch_route(&vsw, tx->port, f->hdr, f->hdr_len, dest, &vlan);
	for (uint32_t i = 0; i < n; i++) {
		rx[i] = vsw.ports[dest[i].port].owner;
	}
	spin_unlock(&vsw_lock);
	for (uint32_t i = 0; i < n; i++) {
		bool pulse;

		/* Adapters are never freed while their partition runs. */
		spin_lock(&rx[i]->dev->lock);
		pulse = frame_deliver_locked(rx[i], f, dest[i].edit, vlan);
		spin_unlock(&rx[i]->dev->lock);
		if (pulse && rx[i]->lpar->state == LPAR_RUNNING) {
			intc_pulse(rx[i]->lpar, rx[i]->dev->desc.irq);
		}
	}
}

/*
 * H_SEND_LOGICAL_LAN(unit, 6 descriptors, continue token): QEMU's
 * h_send_logical_lan.  H_PARAMETER no adapter; H_DROPPED not open;
 * H_HARDWARE for a continue token; descriptors taken up to the first not
 * valid, H_SUCCESS with no bytes; H_RESOURCE over 64 KiB; H_DEST_PARM for
 * a page not mapped for reading.  Frames no port receives are not an
 * error (a physical wire would lose them too).
 */
static int64_t h_send_logical_lan(struct vcpu *vc, struct hcall_args *a)
{
	struct vlan_adapter *ad = adapter_of(vc->lpar, a->arg[0]);
	uint64_t bds[LLAN_SEND_BDS];
	uint32_t n = 0;
	uint64_t total = 0;
	struct frame *f;
	int64_t ret = H_SUCCESS;

	if (!ad) {
		return H_PARAMETER;
	}
	for (; n < LLAN_SEND_BDS && (a->arg[1 + n] & LLAN_BD_VALID); n++) {
		bds[n] = a->arg[1 + n];
		total += LLAN_BD_LEN(bds[n]);
	}
	f = &ad->tx;
	spin_lock(&ad->send_lock);
	spin_lock(&ad->dev->lock);
	if (!ad->open) {
		ret = H_DROPPED;
	} else if (a->arg[7]) {
		ret = H_HARDWARE; /* QEMU: continuation not handled */
	} else if (total == 0) {
		ret = H_SUCCESS;
	} else if (total > LLAN_MAX_FRAME) {
		ret = H_RESOURCE;
	} else {
		f->from = ad->lpar;
		f->len = (uint32_t)total;
		if (!frame_gather_locked(ad, bds, n, f)) {
			ret = H_DEST_PARM;
		} else {
			vsw.ports[ad->port].tx_frames++;
		}
	}
	spin_unlock(&ad->dev->lock);
	/*
	 * The device lock is dropped before any receiver's is taken, so two
	 * partitions sending to each other never wait on each other; the
	 * send lock keeps `f` this send's.
	 */
	if (ret == H_SUCCESS && total) {
		frame_switch(ad, f);
	}
	spin_unlock(&ad->send_lock);
	return ret;
}
HCALL(H_SEND_LOGICAL_LAN, h_send_logical_lan, 0, HCALL_NO_SET,
      HCALL_INTC_ANY,
      "done (QEMU 7.2 codes; through lparvisor's switch, no continuation)");

/* H_MULTICAST_CTRL(unit, ...): QEMU takes any device and filters nothing. */
static int64_t h_multicast_ctrl(struct vcpu *vc, struct hcall_args *a)
{
	return vio_bus_find(vc->lpar, (uint32_t)a->arg[0]) ? H_SUCCESS
							   : H_PARAMETER;
}
HCALL(H_MULTICAST_CTRL, h_multicast_ctrl, 0, HCALL_NO_SET, HCALL_INTC_ANY,
      "done (QEMU 7.2: no filtering, every multicast of the VLAN delivered)");

/*
 * H_CHANGE_LOGICAL_LAN_MAC(unit, MAC in the low 48 bits).  QEMU checks
 * nothing (and dereferences no device on a bad unit); lparvisor answers
 * H_PARAMETER for no adapter there and for a multicast, zero or another
 * adapter's MAC, so no partition can take another's traffic.
 */
static int64_t h_change_logical_lan_mac(struct vcpu *vc, struct hcall_args *a)
{
	struct vlan_adapter *ad = adapter_of(vc->lpar, a->arg[0]);
	uint8_t mac[ETH_ALEN];
	bool ok;

	if (!ad) {
		return H_PARAMETER;
	}
	for (int i = 0; i < ETH_ALEN; i++) {
		mac[i] = (uint8_t)(a->arg[1] >> (40 - 8 * i));
	}
	spin_lock(&vsw_lock);
	ok = vswitch_set_mac(&vsw, ad->port, mac);
	spin_unlock(&vsw_lock);
	return ok ? H_SUCCESS : H_PARAMETER;
}
HCALL(H_CHANGE_LOGICAL_LAN_MAC, h_change_logical_lan_mac, 0, HCALL_NO_SET,
      HCALL_INTC_ANY, "done (H_PARAMETER for another adapter's MAC)");

uint32_t vlan_adapter_count(const struct lpar *l)
{
	return vlan_of(l)->count;
}

bool vlan_adapter_stats(const struct lpar *l, uint32_t i,
			struct vlan_stats *s)
{
	const struct vlan_part *vp = vlan_of(l);
	const struct vswitch_port *p;

	if (i >= vp->count) {
		return false;
	}
	p = &vsw.ports[vp->ad[i].port];
	s->name = l->cfg.lans[i].name;
	s->reg = vp->ad[i].dev->desc.reg;
	memcpy(s->mac, p->mac, sizeof(s->mac));
	s->vlan = p->vlans[0];
	s->tx_frames = p->tx_frames;
	s->rx_frames = p->rx_frames;
	s->rx_dropped = p->rx_dropped;
	s->rx_buffers = __atomic_load_n(&vp->ad[i].rx_bufs, __ATOMIC_RELAXED);
	return true;
}

size_t vlan_format_stats(const struct lpar *l, char *buf, size_t size)
{
	size_t n = 0;
	struct vlan_stats s;

	if (!size) {
		return 0;
	}
	buf[0] = '\0';
	for (uint32_t i = 0; vlan_adapter_stats(l, i, &s) && n + 1 < size;
	     i++) {
		n += hv_snprintf(buf + n, size - n,
				 "%s%s %02x:%02x:%02x:%02x:%02x:%02x vlan %u "
				 "tx %llu rx %llu dropped %llu buffers %u",
				 i ? "; " : "",
				 s.name, s.mac[0], s.mac[1], s.mac[2], s.mac[3],
				 s.mac[4], s.mac[5], s.vlan,
				 (unsigned long long)s.tx_frames,
				 (unsigned long long)s.rx_frames,
				 (unsigned long long)s.rx_dropped, s.rx_buffers);
	}
	return MIN(n, size - 1);
}
