/*
 * Special-purpose register numbers of the Power ISA (3.0B/3.1 Book III;
 * numbering as in Linux arch/powerpc/include/asm/reg.h) and the few bits
 * guest code and lparvisor both name.  Constants only: shared with the
 * guest payloads (tests/guest/) and included by assembly.
 */
#ifndef HV_ABI_SPR_H
#define HV_ABI_SPR_H

#ifdef __ASSEMBLER__
#define _U64(x) x
#else
#define _U64(x) x##ull
#endif

#define SPRN_XER 1
#define SPRN_LR 8
#define SPRN_CTR 9
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
#define SPRN_SDR1 25 /* POWER8: the hashed page table (HTABORG | HTABSIZE) */
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

/* MMCR0: freeze counters; a performance monitor alert is pending. */
#define MMCR0_FC _U64(0x80000000)
#define MMCR0_PMAO _U64(0x80)

#endif
