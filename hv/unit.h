/*
 * Per-partition unit hooks, in the manner of Jailhouse's DEFINE_UNIT: a
 * device (interrupt controller, vty, NVRAM, watchdog, RTAS clock...) declares one
 * LPAR_UNIT() row in its own file, and the partition core (hv/lpar.c) runs
 * the rows' hooks at each step of a partition's life without naming any
 * device.  Each unit keeps its per-partition state in a slot of struct
 * lpar that the core allocates and frees but never reads.
 *
 * Order: units run in ascending `order` (creation order) for create,
 * reset, vCPU enter, poll, LPCR and guest-tree hooks, and in the reverse
 * order for stop, vCPU leave and destroy.  When a unit's create hook fails,
 * the units created before it are destroyed, last first, and the partition
 * is refused (Jailhouse's cell_create unwinding).
 */
#ifndef HV_UNIT_H
#define HV_UNIT_H

#include "hv/lib/types.h"

struct config;
struct lpar;
struct vcpu;
struct guest_dt_params;
struct spinlock;
struct tce_table;
struct vcpu_entry;

/*
 * What a boot has placed in the partition's memory, for a firmware unit
 * (vio/vof.c) that enters the guest itself: it may change `entry`.
 */
struct lpar_boot {
	struct vcpu_entry *entry; /* vCPU 0's entry: the kernel's, r3 = tree */
	uint64_t fdt_gpa;         /* the tree lparvisor built, in guest memory */
	uint64_t kernel_base, kernel_end;
	uint64_t initrd_base, initrd_size; /* size 0: none */
};

/*
 * A DMA window a unit serves outside the VIO bus (a PCI host bridge's
 * default window): the TCE hcalls (vio/bus.c) look it up by LIOBN when no
 * VIO device has that LIOBN, update `tce` under `lock` exactly as for a
 * VIO window, and then, still under the lock, call `changed` with the
 * entries they may have written, so the unit can mirror them into the
 * hardware.
 */
struct lpar_dma_window {
	struct tce_table *tce;
	struct spinlock *lock;
	void (*changed)(struct lpar *l, struct lpar_dma_window *w,
			uint64_t first, uint64_t count);
};

#define LPAR_UNIT_MAX 20

/* Creation order of lparvisor's own units (documented in architecture.md). */
#define UNIT_ORDER_HPT 5       /* hash partitions' page table (hv/hash.c) */
#define UNIT_ORDER_INTC 10     /* the others signal interrupts */
#define UNIT_ORDER_VIO_BUS 15 /* before its devices */
#define UNIT_ORDER_VTY 20
#define UNIT_ORDER_NVRAM 25    /* the second VIO device, after the vty */
#define UNIT_ORDER_VLAN 27     /* LAN adapters: VIO devices 3 and on */
#define UNIT_ORDER_VSCSI 28    /* v-scsi client adapter (partitions with disks) */
#define UNIT_ORDER_VIOS 29     /* VIOS server and client adapters (vio/vios.c) */
#define UNIT_ORDER_WATCHDOG 30
#define UNIT_ORDER_PCI 35      /* the partition's host PHBs (pci/) */
#define UNIT_ORDER_RTAS_CLOCK 40
#define UNIT_ORDER_RTAS_EVENTS 45 /* RTAS events: EPOW (rtas/events.c) */
#define UNIT_ORDER_VOF 50      /* the firmware's client interface (vio/vof.c) */
#define UNIT_ORDER_SLOF 52     /* QEMU's SLOF as firmware (vio/slof.c) */

struct lpar_unit {
	const char *name;
	uint32_t order;     /* creation order, ascending, unique */
	uint32_t *slot;     /* set at boot: index of the unit's state slot */
	size_t state_size;  /* zeroed per-partition state given before create */
	/*
	 * Every hook is optional.  create: set the unit up for a partition
	 * being created (its vCPUs are bound); prints why and returns false
	 * on failure, leaving nothing of its own allocated.  destroy: free
	 * what create made.  reset: every (re)boot, before the partition's
	 * memory is cleared, no vCPU in the guest.  stop: every vCPU has
	 * left the guest; `restarting` says whether a boot (and so reset)
	 * follows.  None of these runs with a partition lock held.
	 */
	bool (*create)(struct lpar *l);
	void (*destroy)(struct lpar *l);
	/*
	 * Once at boot, on the boot thread, before any partition is created:
	 * what the unit needs of the whole configuration (the NVRAM's areas
	 * in flash).
	 */
	void (*boot)(const struct config *c);
	void (*reset)(struct lpar *l);
	void (*stop)(struct lpar *l, bool restarting);
	/* On the vCPU's own thread: entering after being stopped, leaving. */
	void (*vcpu_enter)(struct vcpu *vc);
	void (*vcpu_leave)(struct vcpu *vc);
	/*
	 * On the vCPU's own thread: whether the unit has an interrupt due
	 * for `vc` (ends H_CEDE); and a host interrupt taken while `vc` ran
	 * (a hypervisor virtualization interrupt, 0xea0, or an external
	 * exception, 0x500, of a partition whose LPCR sends it to
	 * lparvisor).  Neither may block.
	 */
	bool (*vcpu_pending)(struct vcpu *vc);
	void (*vcpu_hvi)(struct vcpu *vc);
	/* Housekeeping, on an idle thread when there is one; never blocks. */
	void (*poll)(struct lpar *l);
	/* LPCR bits the unit needs while the partition's vCPUs run. */
	uint64_t (*lpcr)(const struct lpar *l);
	/* The unit's part of the guest device tree's parameters. */
	void (*guest_dt)(const struct lpar *l, struct guest_dt_params *p);
	/*
	 * Ask the running guest for an orderly shutdown (the RTAS events
	 * unit's power-off event); true when the unit told it.  No partition
	 * lock is held; it may not print.
	 */
	bool (*shutdown)(struct lpar *l);
	/*
	 * The unit's figures for the service console's `list`
	 * (docs/console.md): one line, no newline, at most `size` bytes with
	 * its NUL, into `buf`; returns its length, 0 for no line.  It may take
	 * its own lock for the copy, never print (the caller prints it, with
	 * no lock held, as "    NAME: LINE").
	 */
	size_t (*describe)(const struct lpar *l, char *buf, size_t size);
	/*
	 * At every boot on vCPU 0's thread, once the images, RTAS and tree
	 * are in place and before vCPU 0 enters: a firmware unit places its
	 * firmware and redirects `b->entry`.  False: the partition cannot
	 * boot (the unit printed why).
	 */
	bool (*firmware)(struct lpar *l, struct lpar_boot *b);
	/*
	 * The partition's RTAS code was just written at `base` (owned by the
	 * partition, rtas-size bytes), where its OS will call it: at boot
	 * (unless its firmware brings RTAS code of its own) and at a
	 * firmware's instantiate-rtas.  A unit writes the data that code
	 * reads (the RTAS clock, rtas/rtas.c).
	 */
	void (*rtas_placed)(struct lpar *l, uint64_t base);
	/* The unit's DMA window of LIOBN `liobn`, or NULL (never blocks). */
	struct lpar_dma_window *(*dma_window)(struct lpar *l, uint64_t liobn);
};

/* The row of unit `id`, kept in the "lpar_units" linker section. */
#define LPAR_UNIT(id, ...)                                                   \
	static const struct lpar_unit lpar_unit_##id                         \
		__attribute__((used, section("lpar_units"), aligned(8))) = { \
			.name = #id, __VA_ARGS__                             \
	}

/** State of the unit whose slot is `slot` in partition `l`. */
void *lpar_unit_state(const struct lpar *l, uint32_t slot);

/**
 * Build the run order from `n` rows at `rows` (sorted by `order`, each
 * unit's slot set).  Returns false, changing nothing, when there are more
 * than LPAR_UNIT_MAX rows or two share an order.
 */
bool unit_table_build(const struct lpar_unit *rows, size_t n);

/** Build the run order from the linker section; panics on a bad table. */
void unit_table_init(void);

/** Run every unit's boot hook with the configuration, in order. */
void lpar_units_boot(const struct config *c);

/** Number of units in the run order. */
uint32_t unit_count(void);

/**
 * Give `l` every unit's state and run the create hooks in order.  On a
 * failure the units already created are destroyed in reverse and every
 * state freed; prints why and returns false.
 */
bool lpar_units_create(struct lpar *l);

/** Destroy every unit `l` has created, last first (safe after failure). */
void lpar_units_destroy(struct lpar *l);

/** The reset hooks, in order. */
void lpar_units_reset(struct lpar *l);

/** The stop hooks, last unit first. */
void lpar_units_stop(struct lpar *l, bool restarting);

/** The vCPU hooks: enter in order, leave last unit first. */
void lpar_units_vcpu_enter(struct vcpu *vc);
void lpar_units_vcpu_leave(struct vcpu *vc);

/** Whether any unit of `vc`'s partition has an interrupt due for it. */
bool lpar_units_vcpu_pending(struct vcpu *vc);

/** The HVI hooks, in order. */
void lpar_units_vcpu_hvi(struct vcpu *vc);

/** The poll hooks of `l`, in order. */
void lpar_units_poll(struct lpar *l);

/** The LPCR bits every unit of `l` asks for. */
uint64_t lpar_units_lpcr(const struct lpar *l);

/** The firmware hooks, in order: false when one of them refused. */
bool lpar_units_firmware(struct lpar *l, struct lpar_boot *b);
/** Run every unit's rtas_placed hook, in order. */
void lpar_units_rtas_placed(struct lpar *l, uint64_t base);

/** The shutdown hooks, in order: true when one of them told the guest. */
bool lpar_units_shutdown(struct lpar *l);

/**
 * The describe hooks, in order: `out` is called with each unit's name and
 * line, with no lock held.
 */
void lpar_units_describe(const struct lpar *l,
			 void (*out)(void *ctx, const char *unit,
				     const char *line),
			 void *ctx);

/** Every unit's guest-tree parameters, in order. */
void lpar_units_guest_dt(const struct lpar *l, struct guest_dt_params *p);

/** The DMA window a unit of `l` serves as `liobn`, or NULL. */
struct lpar_dma_window *lpar_units_dma_window(struct lpar *l, uint64_t liobn);

#endif /* HV_UNIT_H */
