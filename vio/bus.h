/*
 * The VIO bus of a partition (QEMU 7.2 hw/ppc/spapr_vio.c, LoPAR's
 * "Virtual I/O"): its devices with their unit addresses (`reg`), their
 * interrupt source, the modes H_VIO_SIGNAL accepts, and, for devices that
 * do DMA, a TCE window (LIOBN = reg, bus address 0, 4 KiB pages, as QEMU)
 * and a CRQ.  The bus is a unit (hv/unit.h) created before the devices;
 * a device unit adds itself from its create hook with vio_bus_add().  The
 * bus owns the guest-facing hcalls: H_VIO_SIGNAL for every device, the
 * TCE hcalls (mm/tce.h) and the CRQ hcalls (vio/crq.h).  A back end talks
 * to its guest only through vio_crq_send(), vio_dma_read() and
 * vio_dma_write().
 */
#ifndef VIO_BUS_H
#define VIO_BUS_H

#include "hv/lib/types.h"
#include "hv/lock.h"
#include "mm/tce.h"
#include "vio/crq.h"

struct lpar;
struct vio_dev;

/* Devices a partition's bus holds. */
#define VIO_DEV_MAX 16
/* QEMU's default DMA window of a VIO device: 256 MiB. */
#define VIO_DMA_WINDOW SZ_256M

struct vio_dev_ops {
	/*
	 * H_SEND_CRQ: the guest's 16 bytes in wire order; the return is the
	 * hcall's.  Called with no lock held (it may answer with
	 * vio_crq_send()).  NULL: the device has no CRQ (QEMU: H_NOT_FOUND
	 * from H_REG_CRQ, H_HARDWARE from H_SEND_CRQ).
	 */
	int64_t (*crq_receive)(struct lpar *l, struct vio_dev *d,
			       const uint8_t msg[CRQ_ENTRY_SIZE]);
	/*
	 * H_VIO_SIGNAL accepted `mode` (already checked against the
	 * device's mask).  Called under the device's lock: it may take only
	 * a leaf lock of its own.  Optional.
	 */
	void (*signal)(struct lpar *l, uint64_t mode);
	/*
	 * A device with a partner in another partition (vio/vios.c): after
	 * H_REG_CRQ registered its queue, the hcall's return (PAPR:
	 * H_SUCCESS when the partner's queue is registered, else H_CLOSED);
	 * after H_FREE_CRQ freed it.  Called with no lock held.  Optional.
	 */
	int64_t (*crq_registered)(struct lpar *l, struct vio_dev *d);
	void (*crq_freed)(struct lpar *l, struct vio_dev *d);
};

struct vio_dev_desc {
	const char *name;    /* for messages: "vty" */
	/*
	 * Its /vdevice node, written by the bus (hv/guest_dt.h struct
	 * guest_dt_vio): node name, device_type, compatible.  dt_name NULL:
	 * the device writes its own (the vty).
	 */
	const char *dt_name;
	const char *dt_type;
	const char *dt_compatible;
	uint32_t dt_bytes;   /* "#bytes" when not 0 (the NVRAM's size) */
	bool dt_has_mac;     /* a LAN adapter's local-mac-address: */
	uint8_t dt_mac[6];   /* its configured MAC */
	bool dt_scsi_bus;    /* a v-scsi client: SCSI units below its node */
	uint32_t reg;        /* unit address, also the LIOBN */
	uint32_t irq;        /* interrupt source on the partition's controller */
	uint64_t signal_mask; /* H_VIO_SIGNAL modes accepted (QEMU's signal_mask) */
	uint64_t dma_window; /* bytes of TCE window at bus 0; 0: no DMA */
	/* A v-scsi-host's second pane in its node (the partner's window,
	 * served by vio/vios.c, not by the bus): LIOBN and bytes; 0: none. */
	uint32_t dt_remote_liobn;
	uint32_t dt_remote_window;
	const struct vio_dev_ops *ops;
};

struct vio_dev {
	struct vio_dev_desc desc;
	struct spinlock lock; /* tce, crq, signal_state */
	uint64_t signal_state; /* the H_VIO_SIGNAL mode in force */
	struct tce_table tce;  /* entries 0 when the device does no DMA */
	struct crq crq;
	void *priv;            /* the back end's */
};

/**
 * Add a device to `l`'s bus (from a unit's create hook, before any vCPU
 * runs; the bus unit is created first).  Its TCE table, if it has a
 * window, comes from the heap, zeroed.  Returns the device, or NULL with
 * a message when the bus is full, `reg` is taken, the window is not a
 * whole number of 4 KiB pages or memory runs out.
 */
struct vio_dev *vio_bus_add(struct lpar *l, const struct vio_dev_desc *d,
			    void *priv);

/** The device of `l` at unit address `reg`, or NULL. */
struct vio_dev *vio_bus_find(const struct lpar *l, uint64_t reg);

/**
 * A back end's message to its guest: put `msg` (wire order) on the
 * device's CRQ and, when the guest enabled it (H_VIO_SIGNAL mode bit 0),
 * pulse the device's interrupt.  Returns crq_enqueue()'s code: H_SUCCESS;
 * H_CLOSED (no queue registered); H_DROPPED (queue full); H_DEST_PARM
 * (the slot is not mapped both ways).
 */
int64_t vio_crq_send(struct lpar *l, struct vio_dev *d,
		     const uint8_t msg[CRQ_ENTRY_SIZE]);

/**
 * DMA on a device's behalf through its TCE window (mm/tce.h rules: read
 * needs TCE_READ, write needs TCE_WRITE on every page, a refused write
 * writes nothing).  Returns false when refused.
 */
bool vio_dma_read(struct lpar *l, struct vio_dev *d, uint64_t ioba,
		  void *dst, uint64_t len);
bool vio_dma_write(struct lpar *l, struct vio_dev *d, uint64_t ioba,
		   const void *src, uint64_t len);

#endif /* VIO_BUS_H */
