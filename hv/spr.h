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

#define SPRN_DSISR 18
#define SPRN_DAR 19
#define SPRN_DEC 22
#define SPRN_SRR0 26
#define SPRN_SRR1 27
#define SPRN_CFAR 28
#define SPRN_PIDR 48
#define SPRN_FSCR 153
#define SPRN_HFSCR 190
#define SPRN_TBRL 268
#define SPRN_SPRG0 272
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
#define SPRN_ASDR 816
#define SPRN_PSSCR 855
#define SPRN_DPDES 176
#define SPRN_HID0 1008
#define SPRN_PIR 1023

#define MSR_SF _U64(0x8000000000000000)
#define MSR_HV _U64(0x1000000000000000)
#define MSR_EE _U64(0x8000)
#define MSR_PR _U64(0x4000)
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

/* PVR version field (upper 16 bits). */
#define PVR_VER_POWER8E 0x004b
#define PVR_VER_POWER8NVL 0x004c
#define PVR_VER_POWER8 0x004d
#define PVR_VER_POWER9 0x004e
#define PVR_VER_POWER10 0x0080

#endif /* HV_SPR_H */
