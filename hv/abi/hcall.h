/*
 * PAPR hypercall numbers and return codes (LoPAR "Hypervisor Call Function
 * Table"; the same values as QEMU 7.2 include/hw/ppc/spapr.h and Linux
 * arch/powerpc/include/asm/hvcall.h).  Constants only: shared by the
 * hypervisor, guest payloads (tests/guest/) and slof/.
 */
#ifndef HV_ABI_HCALL_H
#define HV_ABI_HCALL_H

/* Return codes (r3). */
#define H_SUCCESS 0
#define H_BUSY 1
#define H_LONG_BUSY_ORDER_1_MSEC 9900
#define H_LONG_BUSY_ORDER_100_MSEC 9902
#define H_CLOSED 2
#define H_NOT_AVAILABLE 3
#define H_CONSTRAINED 4
#define H_PARTIAL 5
#define H_IN_PROGRESS 14
#define H_PAGE_REGISTERED 15
#define H_PARTIAL_STORE 16
#define H_PENDING 17
#define H_CONTINUE 18
#define H_HARDWARE (-1)
#define H_FUNCTION (-2)
#define H_PRIVILEGE (-3)
#define H_PARAMETER (-4)
#define H_BAD_MODE (-5)
#define H_PTEG_FULL (-6)
#define H_NOT_FOUND (-7)
#define H_RESERVED_DABR (-8)
#define H_NO_MEM (-9)
#define H_AUTHORITY (-10)
#define H_PERMISSION (-11)
#define H_DROPPED (-12)
#define H_SOURCE_PARM (-13)
#define H_DEST_PARM (-14)
#define H_REMOTE_PARM (-15)
#define H_RESOURCE (-16)
#define H_ADAPTER_PARM (-17)
#define H_RH_PARM (-18)
#define H_RCQ_PARM (-19)
#define H_SCQ_PARM (-20)
#define H_EQ_PARM (-21)
#define H_RT_PARM (-22)
#define H_ST_PARM (-23)
#define H_SIGT_PARM (-24)
#define H_TOKEN_PARM (-25)
#define H_MLENGTH_PARM (-27)
#define H_MEM_PARM (-28)
#define H_MEM_ACCESS_PARM (-29)
#define H_ATTR_PARM (-30)
#define H_PORT_PARM (-31)
#define H_MCG_PARM (-32)
#define H_VL_PARM (-33)
#define H_TSIZE_PARM (-34)
#define H_TRACE_PARM (-35)
#define H_MASK_PARM (-37)
#define H_MCG_FULL (-38)
#define H_ALIAS_EXIST (-39)
#define H_P_COUNTER (-40)
#define H_TABLE_FULL (-41)
#define H_ALT_TABLE (-42)
#define H_MR_CONDITION (-43)
#define H_NOT_ENOUGH_RESOURCES (-44)
#define H_R_STATE (-45)
#define H_RESCINDED (-46)
#define H_ABORTED (-54)
#define H_P2 (-55)
#define H_P3 (-56)
#define H_P4 (-57)
#define H_P5 (-58)
#define H_P6 (-59)
#define H_P7 (-60)
#define H_P8 (-61)
#define H_P9 (-62)
#define H_NOOP (-63)
#define H_UNSUPPORTED (-67)
#define H_OVERLAP (-68)
#define H_STATE (-75)
#define H_IN_USE (-77)
#define H_UNSUPPORTED_FLAG_START (-256)
#define H_UNSUPPORTED_FLAG_END (-511)
#define H_MULTI_THREADS_ACTIVE (-9005)

/* Hypercall numbers (r3 on entry). */
#define H_REMOVE 0x04
#define H_ENTER 0x08
#define H_READ 0x0c
#define H_CLEAR_MOD 0x10
#define H_CLEAR_REF 0x14
#define H_PROTECT 0x18
#define H_GET_TCE 0x1c
#define H_PUT_TCE 0x20
#define H_SET_SPRG0 0x24
#define H_SET_DABR 0x28
#define H_PAGE_INIT 0x2c
#define H_LOGICAL_CI_LOAD 0x3c
#define H_LOGICAL_CI_STORE 0x40
#define H_LOGICAL_CACHE_LOAD 0x44
#define H_LOGICAL_CACHE_STORE 0x48
#define H_LOGICAL_ICBI 0x4c
#define H_LOGICAL_DCBF 0x50
#define H_GET_TERM_CHAR 0x54
#define H_PUT_TERM_CHAR 0x58
#define H_EOI 0x64
#define H_CPPR 0x68
#define H_IPI 0x6c
#define H_IPOLL 0x70
#define H_XIRR 0x74
#define H_REGISTER_VPA 0xdc
#define H_CEDE 0xe0
#define H_CONFER 0xe4
#define H_PROD 0xe8
#define H_REG_CRQ 0xfc
#define H_FREE_CRQ 0x100
#define H_VIO_SIGNAL 0x104
#define H_SEND_CRQ 0x108
#define H_COPY_RDMA 0x110
#define H_REGISTER_LOGICAL_LAN 0x114
#define H_FREE_LOGICAL_LAN 0x118
#define H_ADD_LOGICAL_LAN_BUFFER 0x11c
#define H_SEND_LOGICAL_LAN 0x120
#define H_BULK_REMOVE 0x124
#define H_MULTICAST_CTRL 0x130
#define H_SET_XDABR 0x134
#define H_STUFF_TCE 0x138
#define H_PUT_TCE_INDIRECT 0x13c
#define H_CHANGE_LOGICAL_LAN_MAC 0x14c
#define H_GET_CPU_CHARACTERISTICS 0x1c8
#define H_ADD_LOGICAL_LAN_BUFFERS 0x248
#define H_VIOCTL 0x2a8
#define H_ENABLE_CRQ 0x2b0
#define H_XIRR_X 0x2fc
#define H_RANDOM 0x300
#define H_SET_MODE 0x31c
#define H_RESIZE_HPT_PREPARE 0x36c
#define H_RESIZE_HPT_COMMIT 0x370
#define H_CLEAN_SLB 0x374
#define H_INVALIDATE_PID 0x378
#define H_REGISTER_PROC_TBL 0x37c
#define H_SIGNAL_SYS_RESET 0x380
#define H_INT_GET_SOURCE_INFO 0x3a8
#define H_INT_SET_SOURCE_CONFIG 0x3ac
#define H_INT_GET_SOURCE_CONFIG 0x3b0
#define H_INT_GET_QUEUE_INFO 0x3b4
#define H_INT_SET_QUEUE_CONFIG 0x3b8
#define H_INT_GET_QUEUE_CONFIG 0x3bc
#define H_INT_SET_OS_REPORTING_LINE 0x3c0
#define H_INT_GET_OS_REPORTING_LINE 0x3c4
#define H_INT_ESB 0x3c8
#define H_INT_SYNC 0x3cc
#define H_INT_RESET 0x3d0
#define H_WATCHDOG 0x45c
#define H_LAST_PAPR H_WATCHDOG

/* Platform-specific calls QEMU's pseries guests use. */
#define KVMPPC_H_RTAS 0xf000
#define KVMPPC_H_LOGICAL_MEMOP 0xf001
#define KVMPPC_H_CAS 0xf002
#define KVMPPC_H_UPDATE_DT 0xf003
/* The client interface of partition firmware (QEMU 7.2 spapr.h; 0xf004
 * was SLOF's KVMPPC_H_UPDATE_PHANDLE): r4 = the client's argument array. */
#define KVMPPC_H_VOF_CLIENT 0xf005

/* H_ENTER, H_REMOVE, H_READ, H_PROTECT flags (PAPR; QEMU's hcall.h). */
#define H_EXACT (1ull << (63 - 24))   /* H_ENTER: only the slot given */
#define H_R_XLATE (1ull << (63 - 25)) /* H_READ: RPN translated (always) */
#define H_READ_4 (1ull << (63 - 26))  /* H_READ: four entries */
#define H_AVPN (1ull << (63 - 32))    /* match the AVPN given */
#define H_ANDCOND (1ull << (63 - 33)) /* H_REMOVE: no bit of avpn set */

/* H_BULK_REMOVE translation specifier high doubleword (PAPR; QEMU's). */
#define H_BULK_REMOVE_TYPE 0xc000000000000000ull
#define H_BULK_REMOVE_REQUEST 0x4000000000000000ull
#define H_BULK_REMOVE_RESPONSE 0x8000000000000000ull
#define H_BULK_REMOVE_END 0xc000000000000000ull
#define H_BULK_REMOVE_CODE 0x3000000000000000ull
#define H_BULK_REMOVE_SUCCESS 0x0000000000000000ull
#define H_BULK_REMOVE_NOT_FOUND 0x1000000000000000ull
#define H_BULK_REMOVE_PARM 0x2000000000000000ull
#define H_BULK_REMOVE_HW 0x3000000000000000ull
#define H_BULK_REMOVE_RC 0x0c00000000000000ull
#define H_BULK_REMOVE_FLAGS 0x0300000000000000ull
#define H_BULK_REMOVE_ANDCOND 0x0100000000000000ull
#define H_BULK_REMOVE_AVPN 0x0200000000000000ull
#define H_BULK_REMOVE_PTEX 0x00ffffffffffffffull
#define H_BULK_REMOVE_MAX_BATCH 4

/* H_PAGE_INIT flags. */
#define H_ICACHE_INVALIDATE (1ull << (63 - 40))
#define H_ICACHE_SYNCHRONIZE (1ull << (63 - 41))
#define H_ZERO_PAGE (1ull << (63 - 48))
#define H_COPY_PAGE (1ull << (63 - 49))

/* H_REGISTER_VPA sub-functions (flags IBM bits 16-18). */
#define H_VPA_FUNC_SHIFT (63 - 18)
#define H_VPA_FUNC_MASK 7ull
#define H_VPA_REG_VPA 1ull
#define H_VPA_REG_DTL 2ull
#define H_VPA_REG_SLB 3ull
#define H_VPA_DEREG_VPA 5ull
#define H_VPA_DEREG_DTL 6ull
#define H_VPA_DEREG_SLB 7ull

/* H_GET_CPU_CHARACTERISTICS behaviour bits (r5). */
#define H_CPU_BEHAV_FAVOUR_SECURITY (1ull << 63)
#define H_CPU_BEHAV_L1D_FLUSH_PR (1ull << 62)
#define H_CPU_BEHAV_BNDS_CHK_SPEC_BAR (1ull << 61)

/* H_SET_MODE resources. */
#define H_SET_MODE_RESOURCE_SET_CIABR 1
#define H_SET_MODE_RESOURCE_SET_DAWR0 2
#define H_SET_MODE_RESOURCE_ADDR_TRANS_MODE 3
#define H_SET_MODE_RESOURCE_LE 4

/* H_REGISTER_PROC_TBL flags. */
#define PROC_TABLE_OP_MASK 0x18
#define PROC_TABLE_MODIFY 0x10
#define PROC_TABLE_DEREG 0x10
#define PROC_TABLE_NEW 0x18
#define PROC_TABLE_TYPE_MASK 0x06
#define PROC_TABLE_HPT_SLB 0x00
#define PROC_TABLE_HPT_PT 0x02
#define PROC_TABLE_RADIX 0x04
#define PROC_TABLE_GTSE 0x01

#endif /* HV_ABI_HCALL_H */
