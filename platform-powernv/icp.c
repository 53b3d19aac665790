/*
 * POWER8's interrupt presenters (ICP, one 4 KiB page per thread, found in
 * skiboot's "IBM,ppc-xicp" nodes): lparvisor uses only their IPI, to kick
 * a thread of another core, since a POWER8 msgsnd reaches the sender's
 * own core only.  Registers as Linux's icp-native and QEMU 7.2
 * hw/intc/xics.c (pnv ICP ops) have them: XIRR at 4 (the byte at 4 is
 * CPPR), MFRR at 12.  A thread in a guest takes the interrupt at 0x500 in
 * hypervisor state whatever the guest's MSR[EE] (LPCR[LPES0] = 0).
 */
#include "hv/io.h"
#include "hv/platform.h"

#define ICP_XIRR 4
#define ICP_MFRR 12
#define ICP_XISR_MASK 0x00ffffffu
#define IPI_PRIORITY 4 /* as Linux's IPI_PRIORITY */

void platform_icp_init_this(uint64_t icp)
{
	if (!icp) {
		return;
	}
	io_st8(icp + ICP_MFRR, 0xff);
	io_st8(icp + ICP_XIRR, 0xff); /* CPPR: accept every priority */
}

void platform_icp_kick(uint64_t icp)
{
	if (icp) {
		io_st8(icp + ICP_MFRR, IPI_PRIORITY);
	}
}

void platform_icp_take(uint64_t icp)
{
	uint32_t xirr;

	if (!icp) {
		return;
	}
	xirr = io_ld32(icp + ICP_XIRR); /* accepts it: CPPR = its priority */
	io_st8(icp + ICP_MFRR, 0xff);
	if (xirr & ICP_XISR_MASK) {
		io_st32(icp + ICP_XIRR, xirr); /* EOI, CPPR back */
	}
}
