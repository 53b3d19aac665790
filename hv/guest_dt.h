/*
 * The flattened device tree a partition's guest is entered with (direct
 * FDT boot: r3 = tree, r5 = 0).  It is the tree QEMU 7.2 `-M pseries`
 * hands a Linux guest after CAS, for the same options; hv/guest_dt.c lists
 * the intended differences.  Pure C: a parameter block in, a blob out.
 */
#ifndef HV_GUEST_DT_H
#define HV_GUEST_DT_H

#include "hv/abi/layout.h"
#include "hv/config.h"
#include "hv/lib/types.h"

/* The partition's guest-real layout (hv/abi/layout.h). */
#define GUEST_DT_VIO_REG_BASE LAYOUT_VIO_REG_BASE
#define GUEST_DT_VIO_IRQ_BASE LAYOUT_VIO_IRQ_BASE
#define GUEST_DT_IRQ_EPOW LAYOUT_IRQ_EPOW
#define GUEST_DT_IRQ_HOTPLUG LAYOUT_IRQ_HOTPLUG
/* Phandle of the interrupt controller node (QEMU's PHANDLE_INTC). */
#define GUEST_DT_INTC_PHANDLE 0x1111u
#define GUEST_DT_XIVE_TM_BASE LAYOUT_XIVE_TM_BASE
/* The partition's RTAS code and its clock (slof/rtas.S), at rtas-base. */
#define GUEST_DT_RTAS_BLOB_SIZE LAYOUT_RTAS_BLOB_SIZE
/* QEMU's RTAS_MIN_SIZE, the first term of its rtas-size. */
#define GUEST_DT_RTAS_MIN_SIZE LAYOUT_RTAS_MIN_SIZE
/* /rtas/rtas-error-log-max, as QEMU (RTAS_ERROR_LOG_MAX). */
#define GUEST_DT_RTAS_ERROR_LOG_MAX 2048u

/* One RTAS service: the /rtas property `name` = <token>. */
struct guest_dt_rtas_token {
	const char *name;
	uint32_t token;
};

/*
 * A /vdevice child as QEMU 7.2's vio_make_devnode() writes it: `name@reg`,
 * reg, device_type and compatible when given, interrupts <irq 0> (edge),
 * and for a DMA window ibm,#dma-address-cells = ibm,#dma-size-cells = 2
 * and ibm,my-dma-window = <liobn 0 0 0 size> (LIOBN = reg, bus address
 * 0, a 32-bit size, as spapr_dma_dt()).
 */
#define GUEST_DT_VIO_MAX 16
struct guest_dt_vio {
	const char *name;       /* node name before '@': "l-lan" */
	const char *type;       /* device_type, or NULL */
	const char *compatible; /* or NULL */
	uint32_t reg;           /* unit address, also the LIOBN */
	uint32_t irq;           /* 0: no interrupts property */
	uint32_t dma_window;    /* bytes at bus 0; 0: no window */
	/* A v-scsi-host server: its second window, the partner client's
	 * pane (LIOBN and bytes at bus 0), and ibm,vserver; 0: none. */
	uint32_t remote_liobn;
	uint32_t remote_window;
	uint32_t bytes;         /* "#bytes" (an NVRAM's size); 0: none */
	bool has_mac;           /* a LAN adapter: local-mac-address and */
	uint8_t mac[6];         /* ibm,mac-address-filters, as spapr-vlan */
	bool scsi_bus;          /* a v-scsi client: #address-cells 2 and
				   #size-cells 0 (QEMU's spapr_vscsi_devnode),
				   which SLOF's disk@<lun> children need */
};

/*
 * A PCI host bridge as QEMU 7.2's spapr-pci-host-bridge presents it
 * (hw/ppc/spapr_pci.c spapr_dt_phb, spapr_dt_pci_device): the node
 * pci@<buid> with its 32-bit MMIO window, default DMA window and the
 * functions behind it, each with its config-space `reg`, the sizes and
 * assigned PCI addresses of its memory BARs, IDs and MSI needs.  Bus
 * numbers are the host's own (the root port above them is not shown).
 */
#define GUEST_DT_PHB_MAX 8
#define GUEST_DT_PCI_FUNCS 16
#define GUEST_DT_PCI_BARS 6
#define GUEST_DT_PCI_BAR_MEM64 0x1u    /* a 64-bit memory BAR */
#define GUEST_DT_PCI_BAR_PREFETCH 0x2u
struct guest_dt_pci_bar {
	uint32_t reg;          /* config offset of the BAR: 0x10..0x24 */
	uint32_t flags;        /* GUEST_DT_PCI_BAR_* */
	uint64_t pci_addr;     /* assigned PCI address */
	uint64_t size;         /* a power of two */
};

struct guest_dt_pci_func {
	uint32_t bus;
	uint32_t devfn;
	uint32_t vendor, device, revision;
	uint32_t class_code;   /* 24 bits: class, subclass, prog-if */
	uint32_t subsys_vendor, subsys_id; /* 0: property left out */
	uint32_t irq_pin;      /* 1..4 INTA..INTD, 0 none */
	uint32_t msi;          /* vectors asked for (ibm,req#msi); 0 none */
	uint32_t msix;         /* ibm,req#msi-x; 0 none */
	bool express;          /* has a PCI Express capability: 4 KiB config */
	/* For pci/ (not in the tree): where its MSI and MSI-X capabilities
	 * are (0: none) and whether its MSI takes 64-bit addresses. */
	uint32_t msi_cap, msix_cap;
	bool msi64;
	uint32_t bar_count;
	struct guest_dt_pci_bar bars[GUEST_DT_PCI_BARS];
};

struct guest_dt_phb {
	uint64_t buid;         /* reg, and the RTAS calls' BUID */
	uint32_t bus_first;    /* bus-range */
	uint32_t bus_last;
	uint64_t m32_gpa;      /* ranges: guest-real base of the window */
	uint64_t m32_pci;      /* its PCI address */
	uint64_t m32_size;
	uint32_t liobn;        /* ibm,dma-window at bus address 0 */
	uint64_t dma_size;     /* 0: no ibm,dma-window */
	bool ddw;              /* ibm,ddw-applicable and ibm,ddw-extensions
				  (dynamic DMA windows, pci/ddw.c) */
	uint32_t msi_total;    /* ibm,pe-total-#msi */
	uint32_t lsi_base;     /* INTA of slot 0 (interrupt-map); 0: none */
	uint32_t func_count;
	struct guest_dt_pci_func funcs[GUEST_DT_PCI_FUNCS];
};

/*
 * Everything the tree depends on.  Addresses are guest real (GPA).  A
 * field documented as optional is left out of the tree when zero/NULL.
 */
struct guest_dt_params {
	const char *name;      /* ibm,partition-name; optional */
	uint32_t lpid;         /* ibm,partition-no */
	const char *uuid;      /* vm,uuid + system-id; NULL: QEMU's all-zero
				  vm,uuid and no system-id */
	uint32_t vcpus;        /* vCPU ids 0..vcpus-1, one thread per core */
	uint32_t pvr;          /* host PVR: selects POWER8/9/10 */
	uint64_t tb_freq;      /* timebase-frequency in Hz, non-zero */
	uint64_t cpu_freq;     /* clock-frequency in Hz; 0: 1 GHz (QEMU TCG) */
	uint64_t mem_size;     /* guest memory is GPA 0 .. mem_size */
	const char *bootargs;  /* optional (NULL or "") */
	uint64_t initrd_start; /* initrd_end == initrd_start: no initrd */
	uint64_t initrd_end;
	uint64_t rtas_base;    /* the RTAS blob and its data area, below */
	uint64_t rtas_size;    /* 4 GiB; size from guest_dt_rtas_size() */
	uint64_t kernel_base;  /* memreserve'd like QEMU when end > base */
	uint64_t kernel_end;
	uint64_t boot_kernel_addr; /* /chosen qemu,boot-kernel = <addr size>, */
	uint64_t boot_kernel_size; /* as QEMU for -kernel; size 0: absent */
	bool boot_kernel_le;   /* and qemu,boot-kernel-le */
	uint64_t fdt_addr;     /* where the caller puts the tree: reserved
				  with its final size; 0: no entry */
	enum config_mmu mmu;   /* radix or hash */
	uint32_t hpt_shift;    /* ibm,pft-size; 0: 1/128 of memory */
	enum config_compat compat; /* processor mode shown; NONE: the host's */
	bool raw_pvr;          /* cpu-version is pvr (CAS's raw mode), not
				  the logical PVR of the level shown */
	enum config_intc intc;
	bool qemu_reserves;    /* the reserve map as QEMU's reset tree: the
				  kernel and the initrd only (SLOF claims
				  the tree itself, and a region twice is an
				  error to it; its RTAS is its own); the
				  kernel entry is qemu,boot-kernel's range */
	bool cas_answer;       /* the tree is SLOF's KVMPPC_H_CAS answer,
				  merged property by property into its own
				  (QEMU spapr_build_fdt, reset false): no
				  reserve map and no reset-time /chosen
				  properties (bootargs, linux,initrd-*,
				  qemu,boot-kernel*, stdout paths, rng-seed),
				  which would overwrite what the client set */
	bool intc_either;      /* the platform offers XICS and XIVE (a dual
				  partition's firmware negotiates at CAS) */
	uint32_t vty_reg;      /* unit address of the vty (0x71000000) */
	uint32_t vty_irq;      /* its XICS source (0x1100) */
	/* Other /vdevice children (the VIO bus's devices but the vty). */
	struct guest_dt_vio vio[GUEST_DT_VIO_MAX];
	uint32_t vio_count;
	bool event_sources;    /* /event-sources (EPOW, hot-plug); needs the
				  "check-exception" token */
	const struct guest_dt_rtas_token *rtas_tokens;
	uint32_t rtas_token_count;
	const char *hypertas;  /* ibm,hypertas-functions: NUL-separated */
	size_t hypertas_len;   /* names, each NUL-terminated */
	bool rng;              /* /ibm,platform-facilities/ibm,random-v1
				  (H_RANDOM), as QEMU's spapr-rng */
	const uint8_t *rng_seed; /* /chosen/rng-seed; optional */
	size_t rng_seed_len;
	const struct guest_dt_phb *phbs; /* the partition's PCI host bridges */
	uint32_t phb_count;    /* at most GUEST_DT_PHB_MAX */
};

/**
 * Bytes QEMU 7.2 gives RTAS for `vcpus` vCPUs (/rtas/rtas-size): the
 * 20-byte blob, the 2 KiB FWNMI error log, two 64-bit words per vCPU for
 * the system-reset save area and one more word.  Returns that size.
 */
uint64_t guest_dt_rtas_size(uint32_t vcpus);

/**
 * Whether a host of PVR `host_pvr` can run a partition in compatibility
 * mode `c`: not newer than the host (CONFIG_COMPAT_NONE always can).
 */
bool guest_dt_compat_ok(uint32_t host_pvr, enum config_compat c);

/**
 * Build the guest device tree for `p` into `buf` (`bufsize` bytes) with
 * libfdt's sequential-write API.  The result is packed: fdt_totalsize(buf)
 * is its exact size, and the memreserve entry for `fdt_addr` covers
 * exactly that.  The header's boot CPU is vCPU 0.
 * Returns 0; -FDT_ERR_BADVALUE when a parameter is invalid (NULL pointer,
 * no vCPU, unknown PVR family, radix on POWER8, XIVE, a range outside
 * guest memory or overlapping another, RTAS above 4 GiB, a malformed
 * hypertas list, a bad, duplicate or reserved RTAS token name, event
 * sources without "check-exception", a VIO node without a name, with the
 * vty's or another node's unit, or a window not of whole 4 KiB pages); -FDT_ERR_NOSPACE when `bufsize` is
 * too small (the buffer's contents are then undefined; nothing is written
 * past it).  The packed tree can be up to 8 bytes smaller than the buffer
 * it needed: libfdt aligns the reserve map to 16 bytes while building.
 */
int guest_dt_build(void *buf, size_t bufsize, const struct guest_dt_params *p);

#endif /* HV_GUEST_DT_H */
