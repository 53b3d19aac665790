/*
 * SPR numbers and register bits lparvisor uses (Power ISA 3.0B/3.1 Book
 * III; numbering as in Linux arch/powerpc/include/asm/reg.h).  Masks are
 * 64-bit values with bit 0 the least significant.  Included by assembly.
 */
#ifndef HV_SPR_H
#define HV_SPR_H

#ifdef __ASSEMBLER__
#define _U64(x) x
#else
#define _U64(x) x##ull
#endif

#define SPRN_DSCR 17
#define SPRN_DSISR 18
#define SPRN_DAR 19
#define SPRN_DEC 22
#define SPRN_SRR0 26
#define SPRN_SRR1 27
#define SPRN_CFAR 28
#define SPRN_AMR 29
#define SPRN_PIDR 48
#define SPRN_IAMR 61
#define SPRN_FSCR 153
#define SPRN_UAMOR 157
#define SPRN_PSPB 159
#define SPRN_HFSCR 190
#define SPRN_TBRL 268
#define SPRN_VRSAVE 256
#define SPRN_SPRG0 272
#define SPRN_SPRG1 273
#define SPRN_SPRG2 274
#define SPRN_SPRG3 275
#define SPRN_PVR 287
#define SPRN_HSPRG0 304
#define SPRN_HSPRG1 305
#define SPRN_HDSISR 306
#define SPRN_HDAR 307
#define SPRN_HDEC 310
#define SPRN_HRMOR 313
#define SPRN_HSRR0 314
#define SPRN_HSRR1 315
#define SPRN_LPCR 318
#define SPRN_LPIDR 319
#define SPRN_HMER 336
#define SPRN_HMEER 337
#define SPRN_PCR 338
#define SPRN_HEIR 339
#define SPRN_AMOR 349
#define SPRN_PTCR 464
/* Performance monitor (Book III-S chapter 9; all privileged). */
#define SPRN_SIER2 752 /* Power10 (ISA 3.1) */
#define SPRN_SIER3 753 /* Power10 */
#define SPRN_MMCR3 754 /* Power10 */
#define SPRN_SIER 784
#define SPRN_MMCR2 785
#define SPRN_MMCRA 786
#define SPRN_PMC1 787
#define SPRN_PMC2 788
#define SPRN_PMC3 789
#define SPRN_PMC4 790
#define SPRN_PMC5 791
#define SPRN_PMC6 792
#define SPRN_MMCR0 795
#define SPRN_SIAR 796
#define SPRN_SDAR 797
#define SPRN_MMCR1 798
#define SPRN_TAR 815
#define SPRN_ASDR 816
#define SPRN_PSSCR_PR 823 /* the guest-visible fields of PSSCR */
#define SPRN_PSSCR 855
#define SPRN_DPDES 176
#define SPRN_HID0 1008
#define SPRN_PIR 1023

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

/* MMCR0: freeze counters; a performance monitor alert is pending. */
#define MMCR0_FC _U64(0x80000000)
#define MMCR0_PMAO _U64(0x80)

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
