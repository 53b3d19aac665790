/*
 * The virtual processor area (VPA) and dispatch trace log (DTL) as PAPR
 * defines them: field offsets of the big-endian VPA (Linux `struct
 * lppaca`, arch/powerpc/include/asm/lppaca.h; QEMU VPA_DISPATCH_COUNTER)
 * and the 48-byte DTL entry (Linux `struct dtl_entry`, asm/dtl.h).
 * Constants only: shared with guest code.
 */
#ifndef HV_ABI_VPA_H
#define HV_ABI_VPA_H

#define VPA_OFF_SIZE 0x4            /* be16 */
#define VPA_OFF_SHARED_PROC 0x9     /* u8, bit VPA_SHARED_PROC_BIT */
#define VPA_OFF_DTL_ENABLE_MASK 0xb8 /* u8: DTL_LOG_* */
#define VPA_OFF_YIELD_COUNT 0x100   /* be32: odd while not dispatched */
#define VPA_OFF_DTL_IDX 0x218       /* be64: DTL entries written so far */
#define VPA_SIZE 640

#define DTL_LOG_CEDE 0x1
#define DTL_LOG_PREEMPT 0x2
#define DTL_LOG_FAULT 0x4

/*
 * One dispatch trace log entry; every multi-byte field big-endian
 * (plain C types: hv/abi/ includes nothing).
 */
struct dtl_entry {
	unsigned char dispatch_reason;
	unsigned char preempt_reason;
	unsigned short processor_id;
	unsigned int enqueue_to_dispatch_time;
	unsigned int ready_to_enqueue_time;
	unsigned int waiting_to_ready_time;
	unsigned long long timebase;
	unsigned long long fault_addr;
	unsigned long long srr0;
	unsigned long long srr1;
};

_Static_assert(sizeof(struct dtl_entry) == 48,
	       "LoPAR dispatch trace log entry: 48 bytes");

#endif /* HV_ABI_VPA_H */
