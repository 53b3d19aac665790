/*
 * A neutral description of the machine lparvisor owns: chips, cores and
 * their threads, memory, ranges that must never be handed out, and the
 * firmware facilities found.  platform-powernv/ fills it from skiboot's
 * device tree; everything else reads only this.
 */
#ifndef HV_MACHINE_H
#define HV_MACHINE_H

#include "hv/lib/types.h"

#define MACHINE_MAX_CHIPS 16
#define MACHINE_MAX_CORES 128
#define MACHINE_MAX_THREADS 8
#define MACHINE_MAX_MEM 32
#define MACHINE_MAX_RSV 64
#define MACHINE_MAX_PHBS 48
#define MACHINE_NAME_LEN 48

enum cpu_family {
	CPU_UNKNOWN = 0,
	CPU_POWER8,
	CPU_POWER9,
	CPU_POWER10,
};

struct machine_core {
	uint32_t pir; /* PIR of thread 0, the node's reg */
	uint32_t chip_id;
	uint32_t pvr;
	uint32_t thread_count;
	uint32_t threads[MACHINE_MAX_THREADS]; /* PIRs: OPAL server numbers */
	uint64_t icp[MACHINE_MAX_THREADS];     /* POWER8 ICP page, 0: none */
};

struct machine_mem {
	uint64_t base;
	uint64_t size;
	uint32_t chip_id;
};

struct machine_rsv {
	uint64_t base;
	uint64_t size;
	char name[MACHINE_NAME_LEN];
};

/* A PHB's INTx interrupts: INTA..INTD. */
#define MACHINE_PHB_INTX 4u

/* A PHB index skiboot did not give (no ibm,phb-index): not assignable. */
#define MACHINE_PHB_NO_INDEX 0xffffffffu

/*
 * A PCI host bridge as skiboot describes it (hw/phb4.c, core/pci.c): its
 * OPAL id, where it sits, its MMIO windows as seen by the CPU and on the
 * PCI bus, its buses, PEs and the first of its MSI interrupt numbers.
 * A window or range skiboot did not give has size/count 0.
 */
struct machine_phb {
	uint64_t opal_id;
	uint64_t reg_base;      /* register BAR (reg[0]) */
	uint64_t esb_base;      /* interrupt ESB pages (reg[1]), 0 if absent */
	uint32_t chip_id;
	uint32_t index;         /* ibm,phb-index, or MACHINE_PHB_NO_INDEX */
	bool okay;              /* status absent or "okay" */
	uint32_t bus_first;     /* bus-range */
	uint32_t bus_last;
	uint64_t m32_cpu;       /* 32-bit MMIO window (ranges, memory space) */
	uint64_t m32_pci;
	uint64_t m32_size;
	uint64_t m64_cpu;       /* ibm,opal-m64-window */
	uint64_t m64_pci;
	uint64_t m64_size;
	uint32_t num_pes;       /* ibm,opal-num-pes */
	uint32_t reserved_pe;   /* ibm,opal-reserved-pe */
	uint32_t msi_base;      /* ibm,opal-msi-ranges: first interrupt */
	uint32_t msi_count;
	uint32_t lsi_base;      /* INTA..INTD: the 4 interrupts after the MSIs */
	uint32_t lsi_count;     /* (skiboot's base_lsi); 0 without MSI ranges */
	char compatible[MACHINE_NAME_LEN];
};

struct machine_xive {
	bool present;
	uint64_t tima[4]; /* HW, HV, OS and user views */
	uint32_t priorities;
};

/* The system flash OPAL exposes (/ibm,opal/flash@N, skiboot core/flash.c). */
struct machine_flash {
	bool present;
	uint32_t opal_id;    /* "ibm,opal-id": the id OPAL_FLASH_* take */
	uint64_t size;       /* "reg": bytes */
	uint32_t block_size; /* "ibm,flash-block-size": the erase block */
	bool no_erase;       /* "no-erase": writes need no erase first */
};

struct machine {
	char model[MACHINE_NAME_LEN];
	enum cpu_family family;
	uint32_t boot_pir;
	uint64_t tb_freq;
	uint32_t chip_count;
	uint32_t chips[MACHINE_MAX_CHIPS];
	uint32_t core_count;
	struct machine_core cores[MACHINE_MAX_CORES];
	uint32_t mem_count;
	struct machine_mem mem[MACHINE_MAX_MEM];
	uint32_t rsv_count;
	struct machine_rsv rsv[MACHINE_MAX_RSV];
	uint32_t phb_count;
	struct machine_phb phbs[MACHINE_MAX_PHBS];
	struct machine_xive xive;
	uint64_t opal_base;
	uint64_t opal_entry;
	uint64_t opal_size;
	uint32_t heartbeat_ms;   /* OPAL wants its pollers run this often */
	bool has_console;
	uint32_t console_term;
	uint64_t initrd_start;
	uint64_t initrd_end;
	char bootargs[512];
	struct machine_flash flash;
};

/** Total number of hardware threads over all cores. */
uint32_t machine_thread_count(const struct machine *m);

/** Bytes of memory over all memory ranges. */
uint64_t machine_mem_total(const struct machine *m);

/** Printable name of a CPU family ("POWER9"). */
const char *machine_family_name(enum cpu_family f);

/** The family a PVR belongs to, CPU_UNKNOWN if none we support. */
enum cpu_family machine_family_from_pvr(uint32_t pvr);

/**
 * The PCR value that makes a `host` processor run as `guest` (an older
 * family): every architecture bit from the guest's up to below the
 * host's, the reserved bits as ones.  0 when the guest is not older than
 * the host or either is unknown (the guest runs as the host).
 */
uint64_t machine_compat_pcr(enum cpu_family host, enum cpu_family guest);

/**
 * The PHB of index `index` on chip `chip` (skiboot's ibm,chip-id and
 * ibm,phb-index), or NULL when the machine has none there or skiboot marked
 * it broken (status other than okay).
 */
const struct machine_phb *machine_find_phb(const struct machine *m,
					   uint32_t chip, uint32_t index);

#endif /* HV_MACHINE_H */
