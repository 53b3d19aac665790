/*
 * SPR numbers and register bits lparvisor uses (Power ISA 3.0B/3.1 Book
 * III; numbering as in Linux arch/powerpc/include/asm/reg.h).  Masks are
 * 64-bit values with bit 0 the least significant.  Included by assembly.
 */
#ifndef HV_SPR_H
#define HV_SPR_H

#include "hv/abi/spr.h"

#define MSR_SF _U64(0x8000000000000000)
#define MSR_HV _U64(0x1000000000000000)
#define MSR_EE _U64(0x8000)
#define MSR_PR _U64(0x4000)
#define MSR_VEC _U64(0x0000000002000000)
#define MSR_VSX _U64(0x0000000000800000)
#define MSR_FP _U64(0x2000)
#define MSR_ME _U64(0x1000)
#define MSR_IR _U64(0x20)
#define MSR_DR _U64(0x10)
#define MSR_RI _U64(0x2)
#define MSR_LE _U64(0x1)

/* POWER8 only: real mode of a partition through the VRMA (reserved later). */
#define LPCR_VPM0 _U64(0x8000000000000000)
#define LPCR_DPFD_4 _U64(0x0040000000000000)
#define LPCR_HVEE _U64(0x0000400000000000)
#define LPCR_PDEE _U64(0x10000)
#define LPCR_HDEE _U64(0x8000)
#define LPCR_EEE _U64(0x4000)
#define LPCR_DEE _U64(0x2000)
#define LPCR_OEE _U64(0x1000)
#define LPCR_ILE _U64(0x0000000002000000)
#define LPCR_AIL_MASK _U64(0x0000000001800000)
#define LPCR_AIL_3 _U64(0x0000000001800000)
#define LPCR_UPRT _U64(0x0000000000400000)
#define LPCR_LD _U64(0x0000000000020000)
#define LPCR_HR _U64(0x0000000000100000)
#define LPCR_GTSE _U64(0x0000000000000400)
#define LPCR_LPES0 _U64(0x8)
#define LPCR_HVICE _U64(0x2)
#define LPCR_HDICE _U64(0x1)

/*
 * PCR (SPR 338): the architecture versions a guest runs as.  Setting the
 * bits from the guest's version up to below the host's makes the
 * processor behave as the older one; every other bit is reserved and
 * written as one, except the four high "disable" bits (vector, VSX, TM,
 * MMA: bits 0-3), which stay zero so that compatibility mode takes no
 * facility away (Linux reg.h PCR_HIGH_BITS / PCR_MASK, as KVM's
 * kvmppc_set_arch_compat() writes it).
 */
#define PCR_ARCH_207 _U64(0x8)
#define PCR_ARCH_300 _U64(0x10)
#define PCR_ARCH_31 _U64(0x20)
#define PCR_HIGH_BITS _U64(0xf000000000000000)
#define PCR_ARCH_BITS _U64(0x3e)
#define PCR_MASK (~(PCR_HIGH_BITS | PCR_ARCH_BITS))


/*
 * HFSCR/FSCR facility bits (ISA 3.0 Book III 6.2.11; Linux FSCR_*_LG) and
 * the interrupt cause HFSCR[IC] (bits 0:7 of the register) gives on a
 * hypervisor facility unavailable interrupt.
 */
#define HFSCR_FP _U64(0x1)
#define HFSCR_VECVSX _U64(0x2)
#define HFSCR_DSCR _U64(0x4)
#define HFSCR_PM _U64(0x8)
#define HFSCR_BHRB _U64(0x10)
#define HFSCR_TM _U64(0x20)
#define HFSCR_EBB _U64(0x80)
#define HFSCR_TAR _U64(0x100)
#define HFSCR_MSGP _U64(0x400)
#define HFSCR_IC_SHIFT 56
#define HFSCR_IC_MSGP 10

/* PVR version field (upper 16 bits). */
#define PVR_VER_POWER8E 0x004b
#define PVR_VER_POWER8NVL 0x004c
#define PVR_VER_POWER8 0x004d
#define PVR_VER_POWER9 0x004e
#define PVR_VER_POWER10 0x0080

#endif /* HV_SPR_H */
