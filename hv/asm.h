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
 * tests/static/run-static.py disassembles it to check the encoding.
 */
#ifndef HV_ASM_H
#define HV_ASM_H

#include "hv/abi/asm.h"

#ifdef __ASSEMBLER__

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



#endif /* __ASSEMBLER__ */

#endif /* HV_ASM_H */
