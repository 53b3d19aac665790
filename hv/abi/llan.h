/*
 * PAPR's interpartition logical LAN (Linux ibmveth, QEMU 7.2 spapr-vlan):
 * the buffer descriptor, the buffer list page and the receive queue
 * entry.  Constants only: shared with guest code.
 *
 * A buffer descriptor is 64 bits: bit 63 valid, bit 62 toggle (the
 * receive queue's), bits 55..32 the length in bytes, bits 31..0 the bus
 * address (an I/O address in the adapter's TCE window).
 */
#ifndef HV_ABI_LLAN_H
#define HV_ABI_LLAN_H

#define LLAN_BD_VALID 0x8000000000000000ull
#define LLAN_BD_TOGGLE 0x4000000000000000ull
#define LLAN_BD_LEN_SHIFT 32
#define LLAN_BD_LEN_MASK 0xffffffull
#define LLAN_BD_ADDR_MASK 0xffffffffull
#define LLAN_BD_LEN(bd) (((bd) >> LLAN_BD_LEN_SHIFT) & LLAN_BD_LEN_MASK)
#define LLAN_BD_ADDR(bd) ((bd) & LLAN_BD_ADDR_MASK)
#define LLAN_BD(addr, len)                                                 \
	(LLAN_BD_VALID |                                                   \
	 (((unsigned long long)(len) & LLAN_BD_LEN_MASK) << LLAN_BD_LEN_SHIFT) | \
	 ((addr) & LLAN_BD_ADDR_MASK))

/*
 * The buffer list: one 4 KiB page given to H_REGISTER_LOGICAL_LAN.  The
 * hypervisor keeps the receive queue's descriptor at offset 0 (its toggle
 * bit flips at every wrap), the filter list's at 8, and the count of
 * frames dropped for want of a buffer, big-endian, in the last 8 bytes.
 */
#define LLAN_BUF_LIST_SIZE 4096
#define LLAN_RXQ_BD_OFF 0
#define LLAN_FILTER_BD_OFF 8
#define LLAN_DROPPED_OFF (LLAN_BUF_LIST_SIZE - 8)
#define LLAN_RXQ_ALIGN 16
#define LLAN_BUF_ALIGN 4
#define LLAN_BUF_MIN 16        /* H_ADD_LOGICAL_LAN_BUFFER's smallest */

/*
 * A receive queue entry, 16 bytes: control byte (valid, and the toggle
 * the queue had when it was written), byte 2-3 the offset of the frame
 * in its buffer (8: the buffer's first 8 bytes are the guest's handle),
 * 4-7 the length, 8-15 the handle.  The control byte is written last.
 */
#define LLAN_RXQ_ENTRY_SIZE 16
#define LLAN_RXQC_TOGGLE 0x80
#define LLAN_RXQC_VALID 0x40
#define LLAN_RX_OFFSET 8

/* H_SEND_LOGICAL_LAN: up to six descriptors, frames up to 64 KiB. */
#define LLAN_SEND_BDS 6
#define LLAN_MAX_FRAME 65536
/* H_ADD_LOGICAL_LAN_BUFFERS: up to eight descriptors. */
#define LLAN_ADD_BDS 8

#endif /* HV_ABI_LLAN_H */
