/*
 * RTAS: the argument buffer layout and status codes (LoPAR RTAS chapter;
 * QEMU 7.2 hw/ppc/spapr_rtas.c, Linux arch/powerpc/include/asm/rtas.h).
 * Tokens are lparvisor's choice and are published in the guest's /rtas
 * node under each service's name; they match QEMU 7.2's numbering so a
 * guest sees the same values on both.  Constants and wire types only.
 */
#ifndef HV_ABI_RTAS_H
#define HV_ABI_RTAS_H

#include "hv/abi/layout.h"

/* Status in rets[0]. */
#define RTAS_OUT_SUCCESS 0
#define RTAS_OUT_NO_ERRORS_FOUND 1
#define RTAS_OUT_HW_ERROR (-1)
#define RTAS_OUT_BUSY (-2)
#define RTAS_OUT_PARAM_ERROR (-3)
#define RTAS_OUT_NOT_SUPPORTED (-3)
#define RTAS_OUT_NOT_AUTHORIZED (-9002)
#define RTAS_OUT_SYSPARM_PARAM_ERROR (-9999)

/* Tokens, numbered as QEMU 7.2 does (0x2000 + index). */
#define RTAS_TOKEN_BASE 0x2000
#define RTAS_DISPLAY_CHARACTER 0x2000
#define RTAS_GET_TIME_OF_DAY 0x2001
#define RTAS_SET_TIME_OF_DAY 0x2002
#define RTAS_POWER_OFF 0x2003
#define RTAS_SYSTEM_REBOOT 0x2004
#define RTAS_QUERY_CPU_STOPPED_STATE 0x2005
#define RTAS_START_CPU 0x2006
#define RTAS_STOP_SELF 0x2007
#define RTAS_IBM_GET_SYSTEM_PARAMETER 0x2008
#define RTAS_IBM_SET_SYSTEM_PARAMETER 0x2009
#define RTAS_IBM_SET_XIVE 0x200a
#define RTAS_IBM_GET_XIVE 0x200b
#define RTAS_IBM_INT_OFF 0x200c
#define RTAS_IBM_INT_ON 0x200d
#define RTAS_CHECK_EXCEPTION 0x200e
#define RTAS_EVENT_SCAN 0x200f
#define RTAS_IBM_SET_TCE_BYPASS 0x2010
#define RTAS_NVRAM_FETCH 0x2012
#define RTAS_NVRAM_STORE 0x2013
#define RTAS_READ_PCI_CONFIG 0x2014
#define RTAS_WRITE_PCI_CONFIG 0x2015
#define RTAS_IBM_READ_PCI_CONFIG 0x2016
#define RTAS_IBM_WRITE_PCI_CONFIG 0x2017
#define RTAS_IBM_QUERY_INTERRUPT_SOURCE_NUMBER 0x2018
#define RTAS_IBM_CHANGE_MSI 0x2019
#define RTAS_IBM_SET_EEH_OPTION 0x2020
#define RTAS_IBM_GET_CONFIG_ADDR_INFO2 0x2021
#define RTAS_IBM_READ_SLOT_RESET_STATE2 0x2022
#define RTAS_IBM_SET_SLOT_RESET 0x2023
#define RTAS_IBM_CONFIGURE_PE 0x2024
#define RTAS_IBM_SLOT_ERROR_DETAIL 0x2025
#define RTAS_IBM_QUERY_PE_DMA_WINDOW 0x2026
#define RTAS_IBM_CREATE_PE_DMA_WINDOW 0x2027
#define RTAS_IBM_REMOVE_PE_DMA_WINDOW 0x2028
#define RTAS_IBM_RESET_PE_DMA_WINDOW 0x2029
#define RTAS_SET_INDICATOR 0x201a
#define RTAS_GET_SENSOR_STATE 0x201d
#define RTAS_IBM_OS_TERM 0x201f
#define RTAS_IBM_NMI_REGISTER 0x202b
#define RTAS_IBM_NMI_INTERLOCK 0x202c

/*
 * The code a partition calls at /rtas linux,rtas-base is slof/rtas.S: it
 * answers get-time-of-day itself and hands every other call to the
 * hypervisor as QEMU 7.2's does (r4 = the argument buffer's address,
 * hcall KVMPPC_H_RTAS, 0xf000).  Its size: LAYOUT_RTAS_BLOB_SIZE.
 */

/* query-cpu-stopped-state results. */
#define RTAS_CPU_STOPPED 0
#define RTAS_CPU_RUNNING 2

/* Most arguments plus returns any service takes. */
#define RTAS_MAX_CELLS 16

/*
 * The argument buffer at the guest-real address in r4 of KVMPPC_H_RTAS:
 * all cells big-endian 32-bit.  rets follow args: rets = args + nargs.
 */
struct rtas_args_wire {
	unsigned int token;
	unsigned int nargs;
	unsigned int nret;
	unsigned int args[RTAS_MAX_CELLS];
};

#endif /* HV_ABI_RTAS_H */
