/*
 * Assembly helpers shared by boot/ and platform-powernv/.
 *
 * BE_TO_LE: skiboot enters lparvisor, starts secondary threads and returns
 * from every OPAL call in big-endian mode, while lparvisor's code is
 * little-endian.  The macro emits eight instructions encoded big-endian
 * (so a big-endian thread decodes them correctly) that set MSR[LE] and
 * MSR[ME] and continue, through hrfid, at the first instruction after the
 * macro.  ME rides along because mtmsrd cannot change it (ISA 3.0: mtmsrd
 * leaves HV, S, ME and LE alone) and skiboot hands over with ME=0.
 * Clobbers r11, LR, HSRR0 and HSRR1; keeps every other register.
 * tests/unit/check-be-trampoline.sh disassembles it to check the encoding.
 */
#ifndef HV_ASM_H
#define HV_ASM_H

#ifdef __ASSEMBLER__

/* One instruction word stored big-endian. */
.macro be_insn word
	.byte ((\word) >> 24) & 0xff, ((\word) >> 16) & 0xff
	.byte ((\word) >> 8) & 0xff, (\word) & 0xff
.endm

.macro BE_TO_LE
	be_insn 0x7d6000a6 /* mfmsr   r11 */
	be_insn 0x616b1001 /* ori     r11,r11,0x1001 (MSR[ME|LE]) */
	be_insn 0x7d7b4ba6 /* mtspr   HSRR1,r11 */
	be_insn 0x429f0005 /* bcl     20,31,$+4 */
	be_insn 0x7d6802a6 /* mflr    r11 (address of this word) */
	be_insn 0x396b0010 /* addi    r11,r11,16 (after hrfid) */
	be_insn 0x7d7a4ba6 /* mtspr   HSRR0,r11 */
	be_insn 0x4c000224 /* hrfid */
.endm

/* Load a link-time address below 2 GiB (lparvisor links at 0x2000_0000). */
.macro LOAD_ADDR reg, sym
	lis	\reg, (\sym)@ha
	addi	\reg, \reg, (\sym)@l
.endm

#define r0 0
#define r1 1
#define r2 2
#define r3 3
#define r4 4
#define r5 5
#define r6 6
#define r7 7
#define r8 8
#define r9 9
#define r10 10
#define r11 11
#define r12 12
#define r13 13
#define r14 14
#define r15 15
#define r16 16

#endif /* __ASSEMBLER__ */

#endif /* HV_ASM_H */
