/*
 * The partition configuration: a device tree (compatible
 * "lparvisor,config-v1") compiled with dtc, carried inside the boot bundle
 * and checked by the same code on the host (tools/lparvisor-config) and in
 * lparvisor at boot.  docs/config.md documents it node by node.
 *
 * Checking never stops at the first error: every partition is checked,
 * each error names the partition and the property, and a partition with
 * any error is refused while the others are kept.
 */
#ifndef HV_CONFIG_H
#define HV_CONFIG_H

#include "hv/abi/layout.h"
#include "hv/lib/types.h"

#define CONFIG_COMPATIBLE "lparvisor,config-v1"
#define CONFIG_MAX_LPARS 16
#define CONFIG_MAX_CORES 64     /* cores one partition may own */
#define CONFIG_NAME_LEN 32      /* partition and image names, NUL included */
#define CONFIG_BOOTARGS_LEN 512
#define CONFIG_MAX_ERRORS 64
#define CONFIG_MAX_PHBS 8       /* PCI host bridges one partition may own */
#define CONFIG_MEM_ALIGN SZ_256M /* memory sizes and bases: whole LMBs */
/* kernel-addr: QEMU 7.2 -M pseries's default, and its alignment here. */
#define CONFIG_KERNEL_ADDR LAYOUT_KERNEL_ADDR
#define CONFIG_KERNEL_ADDR_ALIGN SZ_64K
/* Disks (docs/config.md "/disks"): how many, how many one partition has,
 * and the unit of their sizes (a SCSI logical block). */
#define CONFIG_MAX_DISKS 16
#define CONFIG_LPAR_DISKS 8
#define CONFIG_DISK_BLOCK 512u

/* Virtual Ethernet adapters (node /virtual-ethernet, docs/config.md). */
#define CONFIG_MAX_LANS 4       /* adapters of one partition */
#define CONFIG_MAX_LAN_VLANS 8  /* VLAN ids of one adapter */
#define CONFIG_VLAN_ID_MAX 4094 /* IEEE 802.1Q: 1..4094 */
#define CONFIG_MAC_LEN 6
/* VIOS mode (node /vscsi-hosts, docs/config.md): server adapters one
 * partition may hold, and client adapters one partition may hold. */
#define CONFIG_MAX_VSCSI_PAIRS 4
/* A partition's NVRAM: QEMU 7.2's spapr-nvram default, and the bounds. */
#define CONFIG_NVRAM_SIZE SZ_64K
#define CONFIG_NVRAM_MIN 0x2000u     /* 8 KiB, QEMU's MIN_NVRAM_SIZE */
#define CONFIG_NVRAM_MAX 0x80000u    /* 512 KiB */
#define CONFIG_NVRAM_ALIGN 0x1000u

enum config_mmu { CONFIG_MMU_RADIX = 0, CONFIG_MMU_HASH };
/* compat: the processor the guest sees; NONE is the host's own. */
enum config_compat {
	CONFIG_COMPAT_NONE = 0,
	CONFIG_COMPAT_POWER8,
	CONFIG_COMPAT_POWER9,
	CONFIG_COMPAT_POWER10,
};
enum config_intc { CONFIG_INTC_XICS = 0, CONFIG_INTC_XIVE };
/* firmware: none (the kernel entered with lparvisor's tree), vof (our
 * client-interface firmware, slof/; prom_init and CAS run) or slof (QEMU's
 * SLOF, the bundle image CONFIG_SLOF_IMAGE, as -M pseries runs it). */
enum config_firmware {
	CONFIG_FIRMWARE_NONE = 0,
	CONFIG_FIRMWARE_VOF,
	CONFIG_FIRMWARE_SLOF,
};
/* The bundle image a firmware = "slof" partition runs (mkbundle.py packs
 * it for such partitions from /images/slof). */
#define CONFIG_SLOF_IMAGE "slof"
enum config_policy { CONFIG_POLICY_RESTART = 0, CONFIG_POLICY_STOP };
enum config_on_boot { CONFIG_ON_BOOT_START = 0, CONFIG_ON_BOOT_WAIT };
/* console-log, in KiB, and stop-timeout, in seconds (docs/config.md). */
#define CONFIG_CONSOLE_LOG_MIN 4
#define CONFIG_CONSOLE_LOG_MAX 1024
#define CONFIG_CONSOLE_LOG_DEFAULT 64
#define CONFIG_STOP_TIMEOUT_MAX 3600
#define CONFIG_STOP_TIMEOUT_DEFAULT 60
enum config_boot {
	CONFIG_BOOT_KERNEL = 0, /* ELF pSeries kernel: direct FDT entry */
	CONFIG_BOOT_PAYLOAD,    /* bare payload: loaded at 0, entered at 0x100 */
};

/* A host PCI host bridge, named as skiboot numbers it: the chip's
 * ibm,chip-id and the PHB's ibm,phb-index on that chip. */
struct config_phb {
	uint32_t chip;
	uint32_t index;
};

/*
 * One virtual Ethernet adapter (an ibmveth "l-lan" device on the
 * partition's VIO bus, a port of lparvisor's switch).  vlans[0] is the
 * port VLAN: untagged frames travel on it.  A trunk adapter also sends and
 * receives 802.1Q-tagged frames of every VLAN in its list.
 */
struct lan_config {
	char name[CONFIG_NAME_LEN];   /* its node under /virtual-ethernet */
	uint8_t mac[CONFIG_MAC_LEN];  /* given, or derived from the names */
	bool mac_given;
	bool trunk;
	uint32_t vlan_count;          /* 1..CONFIG_MAX_LAN_VLANS */
	uint16_t vlans[CONFIG_MAX_LAN_VLANS];
};

/*
 * One side of a VIOS pair (/vscsi-hosts/<name>): a v-scsi-host server
 * adapter in the partition named by `server`, or the v-scsi client
 * adapter in the one named by `client`.  Its place in the partition's
 * list is its slot (hv/abi/layout.h LAYOUT_VHOST_REG, LAYOUT_VCLIENT_REG);
 * the partner is the other side's partition and slot.
 */
struct vscsi_pair_config {
	char name[CONFIG_NAME_LEN];    /* its node under /vscsi-hosts */
	uint32_t partner_lpid;         /* 0: the partner is disabled */
	uint32_t partner_slot;
};

struct lpar_config {
	char name[CONFIG_NAME_LEN];
	uint32_t lpid;                   /* 1.. in config order */
	uint32_t core_count;
	uint32_t cores[CONFIG_MAX_CORES]; /* indexes into the machine's cores */
	uint64_t mem_size;
	uint64_t mem_base;               /* 0: placed by lparvisor */
	bool mem_base_set;
	enum config_mmu mmu;
	uint64_t hpt_size;               /* hash: 0 for 1/128 of memory */
	enum config_compat compat;
	enum config_intc intc;           /* the mode now: a dual partition's
					    is chosen again at each CAS */
	bool intc_dual;                  /* "dual" on a machine with XIVE */
	enum config_firmware firmware;
	enum config_boot boot;
	char kernel[CONFIG_NAME_LEN];    /* image name in the bundle */
	char initramfs[CONFIG_NAME_LEN]; /* "" when none */
	char bootargs[CONFIG_BOOTARGS_LEN];
	uint64_t kernel_addr;            /* QEMU's kernel-addr (boot "kernel") */
	uint32_t nvram_size;             /* bytes of NVRAM ("nvram-size") */
	enum config_policy on_crash;
	enum config_policy on_reboot;
	uint32_t phb_count;              /* pci-host-bridges, in file order */
	struct config_phb phbs[CONFIG_MAX_PHBS];
	uint32_t lan_count;              /* adapters, in node order */
	struct lan_config lans[CONFIG_MAX_LANS];
	uint32_t disk_count;             /* entries of disks[] */
	uint8_t disks[CONFIG_LPAR_DISKS]; /* indexes into config.disks */
	uint32_t vhost_count;            /* VIOS server adapters */
	struct vscsi_pair_config vhosts[CONFIG_MAX_VSCSI_PAIRS];
	uint32_t vclient_count;          /* VIOS client adapters */
	struct vscsi_pair_config vclients[CONFIG_MAX_VSCSI_PAIRS];
	enum config_on_boot on_boot;     /* start at boot, or wait for `start` */
	uint32_t console_log_kib;        /* the console log ring (vio/vty.c) */
	uint32_t stop_timeout_s;         /* orderly stop, then a hard one */
	bool refused;                    /* had an error: not started */
};

/* One disk of /disks: memory carved at boot, filled from an image. */
struct disk_config {
	char name[CONFIG_NAME_LEN];
	char image[CONFIG_NAME_LEN];     /* "" when blank */
	uint64_t size;                   /* bytes, multiple of 512 */
	bool read_only;
	bool bad;                        /* had an error: its users refused */
	uint32_t rw_user;                /* LPID using it read-write, or 0 */
};

enum config_err {
	CONFIG_OK = 0,
	CONFIG_E_NOT_FDT,        /* the blob is not a valid device tree */
	CONFIG_E_COMPATIBLE,     /* root compatible is not config-v1 */
	CONFIG_E_NO_PARTITIONS,  /* no /partitions node or it is empty */
	CONFIG_E_TOO_MANY,       /* more partitions than CONFIG_MAX_LPARS */
	CONFIG_E_NAME,           /* bad or duplicate partition name */
	CONFIG_E_MISSING,        /* a required property is absent */
	CONFIG_E_FORMAT,         /* wrong type or length for the property */
	CONFIG_E_VALUE,          /* a value outside what the property allows */
	CONFIG_E_CORE_RANGE,     /* a core index the machine does not have */
	CONFIG_E_CORE_OVERLAP,   /* a core owned by two partitions (or twice) */
	CONFIG_E_MEM_ALIGN,      /* memory size/base not whole 256 MiB */
	CONFIG_E_MEM_TOO_BIG,    /* more memory than the machine can give */
	CONFIG_E_MEM_OVERLAP,    /* placed memory overlapping another's */
	CONFIG_E_IMAGE_MISSING,  /* kernel/initramfs names no bundle image */
	CONFIG_E_IMAGE_FORMAT,   /* an image that cannot be booted */
	CONFIG_E_UNSUPPORTED,    /* valid but not implemented yet */
	CONFIG_E_PHB_RANGE,      /* a PCI host bridge the machine lacks */
	CONFIG_E_PHB_OVERLAP,    /* a PHB given to two partitions (or twice) */
	CONFIG_E_UNKNOWN_LPAR,   /* an adapter names no partition */
	CONFIG_E_DUP_MAC,        /* a MAC address two adapters share */
	CONFIG_E_DISK,           /* a bad /disks entry or use of one */
	CONFIG_E_DISK_SHARED,    /* a read-write disk given to two partitions */
	CONFIG_E_COUNT           /* not a code: one past the last (add above) */
};

struct config_error {
	enum config_err code;
	char lpar[CONFIG_NAME_LEN]; /* "" for errors about the whole file */
	char property[CONFIG_NAME_LEN];
	char message[160];          /* full sentence, names lpar and property */
};

/* What the checker needs to know about the machine and the bundle. */
struct config_env {
	uint32_t core_count;      /* cores lparvisor may give to partitions */
	uint64_t mem_available;   /* bytes of memory partitions may use */
	bool no_xive;             /* the host has no usable XIVE (POWER8) */
	bool no_radix;            /* the host has only the hash MMU (POWER8) */
	/* The PCI host bridges partitions may own (may be NULL when
	 * phb_count is 0). */
	uint32_t phb_count;
	const struct config_phb *phbs;
	/* Returns true when the bundle holds an image of that name; may be
	 * NULL (image references are then not checked). */
	bool (*image_exists)(void *ctx, const char *name);
	/* Returns NULL if the image is bootable as `kind`, else the reason. */
	const char *(*image_check)(void *ctx, const char *name,
				   enum config_boot kind);
	/* Bytes of image `name` (a disk's), or 0 when unknown; may be NULL. */
	uint64_t (*image_size)(void *ctx, const char *name);
	void *ctx;
};

struct config {
	uint32_t lpar_count;
	struct lpar_config lpars[CONFIG_MAX_LPARS];
	uint32_t disk_count;
	struct disk_config disks[CONFIG_MAX_DISKS];
	uint32_t error_count;     /* errors recorded (at most CONFIG_MAX_ERRORS) */
	uint32_t errors_dropped;  /* errors beyond the array */
	struct config_error errors[CONFIG_MAX_ERRORS];
};

/**
 * Parse and check the configuration tree `fdt` (`size` bytes) against
 * `env`.  Fills `out`; partitions with errors have `refused` set.
 * Returns CONFIG_OK when the file itself is usable (even if some
 * partitions were refused), or the error that makes the whole file
 * unusable (also recorded in out->errors).
 */
enum config_err config_parse(const void *fdt, size_t size,
			     const struct config_env *env, struct config *out);

/** Printable name of an error code ("core overlap"). */
const char *config_strerror(enum config_err e);

/** Number of partitions not refused. */
uint32_t config_good_count(const struct config *c);

#endif /* HV_CONFIG_H */
