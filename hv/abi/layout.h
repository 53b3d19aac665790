/*
 * The guest-real layout of a partition, defined once: where its devices,
 * interrupt numbers, XIVE pages, RTAS code, device tree and boot image
 * are, as QEMU 7.2's -M pseries puts them (hw/ppc/spapr.c, spapr_vio.c,
 * spapr_irq.c, spapr_xive.c) where QEMU has a convention.  lparvisor's
 * hypervisor code and the guest payloads (tests/guest/) both read them
 * from here; constants only.  tests/static/run-static.py keeps the
 * literal values out of every other source file.
 */
#ifndef HV_ABI_LAYOUT_H
#define HV_ABI_LAYOUT_H

/* VIO: QEMU numbers devices from 0x71000000 in creation order; the vty
 * is lparvisor's first.  Its XICS source is 0x1100 | (reg &
 * 0xff) (spapr_vio.c). */
#define LAYOUT_VIO_REG_BASE 0x71000000u
#define LAYOUT_VIO_IRQ_BASE 0x1100u
#define LAYOUT_VTY_REG LAYOUT_VIO_REG_BASE
#define LAYOUT_VTY_IRQ LAYOUT_VIO_IRQ_BASE
/* The NVRAM is lparvisor's second VIO device (QEMU's -M pseries with a
 * -serial vty makes it the second too). */
#define LAYOUT_NVRAM_REG (LAYOUT_VIO_REG_BASE + 1u)
/* Virtual LAN adapters come next, n = 0..3 (QEMU: -device spapr-vlan
 * after the vty and the NVRAM), their XICS sources 0x1100 | (reg & 0xff). */
#define LAYOUT_LLAN_REG(n) (LAYOUT_VIO_REG_BASE + 2u + (n))
#define LAYOUT_LLAN_IRQ(n) (LAYOUT_VIO_IRQ_BASE + 2u + (n))
/* lparvisor's v-scsi client adapter (one per partition with disks):
 * unit 0x71000010, XICS source 0x1110 by QEMU's rule, apart from the
 * numbers devices added in creation order take. */
#define LAYOUT_VSCSI_REG (LAYOUT_VIO_REG_BASE + 0x10u)
#define LAYOUT_VSCSI_IRQ (LAYOUT_VIO_IRQ_BASE + 0x10u)
/* VIOS mode (vio/vios.c): client adapters n = 0..3 at 0x71000018 + n and
 * server (v-scsi-host) adapters at 0x71000020 + n, XICS sources by QEMU's
 * rule; a server's second DMA window, the client's pane, has the LIOBN
 * 0x72000020 + n, which names no device of the partition. */
#define LAYOUT_VCLIENT_REG(n) (LAYOUT_VIO_REG_BASE + 0x18u + (n))
#define LAYOUT_VCLIENT_IRQ(n) (LAYOUT_VIO_IRQ_BASE + 0x18u + (n))
#define LAYOUT_VHOST_REG(n) (LAYOUT_VIO_REG_BASE + 0x20u + (n))
#define LAYOUT_VHOST_IRQ(n) (LAYOUT_VIO_IRQ_BASE + 0x20u + (n))
#define LAYOUT_VHOST_REMOTE_LIOBN(n) (LAYOUT_VIO_REG_BASE + 0x01000020u + (n))

/* XICS sources for RTAS event interrupts (spapr_irq.h). */
#define LAYOUT_IRQ_EPOW 0x1000u
#define LAYOUT_IRQ_HOTPLUG 0x1001u

/* XIVE (spapr_xive.c): ESB pages of LISN n at ESB_BASE + n * 128 KiB
 * (trigger, then management page), END ESBs above them, the TIMA's OS
 * and user pages at TM_BASE + page * 64 KiB. */
#define LAYOUT_XIVE_ESB_BASE 0x0006010000000000ull
#define LAYOUT_XIVE_END_BASE (LAYOUT_XIVE_ESB_BASE + 0x40000000ull)
#define LAYOUT_XIVE_ESB_SHIFT 16
#define LAYOUT_XIVE_TM_BASE 0x0006030203180000ull
#define LAYOUT_XIVE_TM_PAGE_SHIFT 16
#define LAYOUT_XIVE_TM_PAGE_OS 2
#define LAYOUT_XIVE_TM_PAGE_USER 3

/* PCI host bridge n of a partition (its n-th pci-host-bridges entry), as
 * QEMU 7.2 places spapr-pci-host-bridge index n (hw/ppc/spapr.c
 * spapr_phb_placement, include/hw/pci-host/spapr.h): BUID BASE_BUID + n,
 * default DMA window LIOBN 0x80000000 | n << 8, the 32-bit MMIO window at
 * guest-real 32 TiB + (n + 1) * 2 GiB showing PCI 0x80000000 up. */
#define LAYOUT_PHB_BUID_BASE 0x800000020000000ull
#define LAYOUT_PHB_LIOBN(n) (0x80000000u | ((unsigned int)(n) << 8))
#define LAYOUT_PHB_MMIO_BASE 0x200000000000ull
#define LAYOUT_PHB_M32_WIN_SIZE 0x80000000ull
#define LAYOUT_PHB_M32_PCI 0x80000000ull
/* MSIs a XIVE partition's PHB n may hand out (ibm,pe-total-#msi), as
 * LISNs from LAYOUT_PHB_MSI_LISN(n) up: QEMU 7.2's MSI sources start at
 * 0x1300 (SPAPR_IRQ_MSI). */
#define LAYOUT_PHB_MSIS 16u
#define LAYOUT_PHB_MSI_LISN(n) (0x1300u + (unsigned int)(n) * LAYOUT_PHB_MSIS)
/* The INTA..INTD level interrupts of PHB n: XICS sources or LISNs
 * LAYOUT_PHB_LSI_LISN(n) + pin - 1 after the swizzle of the guest PHB's
 * interrupt-map, as QEMU 7.2 numbers spapr-pci-host-bridge index n's
 * (SPAPR_IRQ_PCI_LSI 0x1200 + n * PCI_NUM_PINS). */
#define LAYOUT_PHB_LSIS 4u
#define LAYOUT_PHB_LSI_LISN(n) (0x1200u + (unsigned int)(n) * LAYOUT_PHB_LSIS)
/* QEMU's default DMA window: bus 0 up to 1 GiB. */
#define LAYOUT_PHB_DMA_WIN_SIZE 0x40000000ull

/*
 * The RTAS area at /rtas rtas-base (its size /rtas rtas-size, QEMU's:
 * RTAS_MIN_SIZE 20 + the error log's maximum + 16 bytes a vCPU + 8).
 * The partition's RTAS code (slof/rtas.S) is entered at its start; the
 * machine-check error log lparvisor writes (hv/mce.h) is at LOG_OFFSET,
 * as QEMU's; the clock the code reads, written by lparvisor (rtas/rtas.c),
 * at CLOCK_OFFSET: big-endian doublewords, the timebase at which the
 * seconds hold, the timebase frequency (0: the code asks the hypervisor
 * for every call), the partition's seconds since 1970 at that timebase
 * (set-time-of-day's offset applied; signed), and the end of the memory
 * an argument buffer may reach (the partition's size, at most 4 GiB).
 * The code and clock fill BLOB_SIZE bytes, less than any rtas-size.
 */
#define LAYOUT_RTAS_MIN_SIZE 20
#define LAYOUT_RTAS_LOG_OFFSET 0x30
#define LAYOUT_RTAS_CLOCK_OFFSET 0x80
#define LAYOUT_RTAS_CLOCK_TB 0
#define LAYOUT_RTAS_CLOCK_FREQ 8
#define LAYOUT_RTAS_CLOCK_SECS 16
#define LAYOUT_RTAS_CLOCK_LIMIT 24
#define LAYOUT_RTAS_CLOCK_SIZE 32
#define LAYOUT_RTAS_BLOB_SIZE 0x300

/* The device tree: at most 1 MiB, 2 MiB below the top of memory, with
 * the RTAS code and data area just below it. */
#define LAYOUT_FDT_MAX 0x100000ull
#define LAYOUT_FDT_BELOW_TOP 0x200000ull

/* A payload (QEMU's -bios) is loaded at 0 and entered at 0x100. */
#define LAYOUT_PAYLOAD_ENTRY 0x100

/* The partition firmware of firmware = "vof" (slof/vof.S): loaded at 0
 * and entered at PAYLOAD_ENTRY in 32-bit big-endian real mode, with its
 * stack below VOF_STACK_TOP; the whole of [0, VOF_SIZE) is claimed. */
#define LAYOUT_VOF_SIZE 0x10000ull
#define LAYOUT_VOF_STACK_TOP 0xff00

/* A kernel (QEMU's -kernel): (ELF physical address & KERNEL_MASK) +
 * kernel-addr, 0x400000 unless configured (translate_kernel_address). */
#define LAYOUT_KERNEL_ADDR 0x400000ull
#define LAYOUT_KERNEL_MASK 0x0fffffffull

#endif /* HV_ABI_LAYOUT_H */
