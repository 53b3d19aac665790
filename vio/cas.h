/*
 * ibm,client-architecture-support (CAS): the vector a client such as
 * Linux's prom_init hands the firmware (LoPAR B.6.2.3; Linux 6.1
 * arch/powerpc/kernel/prom_init.c `ibm_architecture_vec`), parsed from a
 * copy in hypervisor memory, and the platform's answer to it (QEMU 7.2
 * hw/ppc/spapr_hcall.c do_client_architecture_support() for the
 * interrupt and MMU modes).  Pure logic: host-tested.
 */
#ifndef VIO_CAS_H
#define VIO_CAS_H

#include "hv/config.h"
#include "hv/lib/types.h"

/* Option vector 5 bytes kept, numbered as LoPAR does (1..CAS_OV5_BYTES;
 * the vector's length byte is byte 0).  Longer vectors are cut here. */
#define CAS_OV5_BYTES 32
#define CAS_OV5_XIVE 23           /* 0x40: XIVE exploitation, else XICS */
#define CAS_OV5_MMU 24            /* 0x40: radix, 0x00: hash */
#define CAS_OV5_RADIX_EXT 26      /* 0x40: radix GTSE */
#define CAS_OV5_BIT_XIVE 0x40u
#define CAS_OV5_BIT_RADIX 0x40u
#define CAS_OV5_BIT_GTSE 0x40u
/* At most this many PVR pairs before the terminator (QEMU reads 512). */
#define CAS_PVRS_MAX 512u

struct cas_request {
	uint32_t pvr_count;       /* pairs before and with the terminator */
	const uint8_t *pvrs;      /* the pairs, in the parsed buffer */
	uint32_t vector_count;    /* option vectors the client declared */
	bool has_ov5;
	uint32_t ov5_len;         /* data bytes the client sent for vector 5 */
	uint8_t ov5[CAS_OV5_BYTES + 1]; /* [n] = byte n; [0] unused */
};

enum cas_err {
	CAS_OK = 0,
	CAS_E_PVR_LIST,   /* no terminator within the buffer or the limit */
	CAS_E_TRUNCATED,  /* a vector's length runs past the buffer */
	CAS_E_NO_VECTORS, /* no vector count byte after the PVR list */
	CAS_E_INTC,       /* the client refuses every interrupt mode offered */
	CAS_E_MMU,        /* the client asks for an MMU the partition lacks */
	CAS_E_PVR,        /* no processor level the partition allows listed */
	CAS_E_PVR_RADIX,  /* POWER8 chosen, the partition is radix */
};

/** What the partition may be: its configuration and machine decide. */
struct cas_offer {
	bool xics, xive;
	enum config_mmu mmu;
	uint32_t host_pvr;            /* the processor's real PVR */
	enum config_compat host_level; /* the host's family as a level */
	enum config_compat compat;    /* configured; NONE: up to the host's */
};

struct cas_result {
	enum config_intc intc;
	enum config_mmu mmu;
	bool gtse;                /* the client may use tlbie (radix) */
	enum config_compat compat; /* the level chosen; NONE: raw mode */
};

/**
 * Parse `len` bytes at `buf`, the client's vector copied from its memory.
 * PVR pairs (be32 mask, be32 value) end with the first whose value has a
 * bit outside its mask (as QEMU's cas_check_pvr()); then a byte holding
 * the vector count minus one, then per vector a byte holding its length
 * minus one and its bytes.  Vectors other than 5 are skipped, also ones
 * LoPAR does not define; bytes of vector 5 past CAS_OV5_BYTES are ignored.
 * Returns CAS_OK and fills `r`; CAS_E_PVR_LIST, CAS_E_NO_VECTORS or
 * CAS_E_TRUNCATED when the buffer ends early (r is then partly filled).
 */
enum cas_err cas_parse(const uint8_t *buf, size_t len, struct cas_request *r);

/**
 * The processor level (QEMU 7.2 cas_check_pvr()): a pair whose masked
 * value matches the host's real PVR allows raw mode; any other pair that
 * names a logical PVR (0x0f000004 POWER8, 0x0f000005 POWER9, 0x0f000006
 * Power10) not above the configured level (the host's when none is
 * configured) is a candidate, and the highest candidate wins.  Without a
 * candidate: raw mode (compat NONE) when the host's PVR matched and no
 * level is configured, else CAS_E_PVR.  A POWER8 level in a radix
 * partition is CAS_E_PVR_RADIX (ISA 2.07 has no radix MMU).
 */
enum cas_err cas_choose_level(const struct cas_request *r,
			      const struct cas_offer *o,
			      enum config_compat *out);

/**
 * The platform's answer: the processor level (cas_choose_level()), then
 * XIVE when the client asked for exploitation mode
 * and it is offered, else XICS when offered; the configured MMU when the
 * client asked for it (radix with GTSE when asked).  Returns CAS_OK and
 * fills `out`; CAS_E_INTC when only XIVE is offered and the client did not
 * ask for it; CAS_E_MMU when the client asks for the MMU the partition
 * does not have.  A request without vector 5 asks for XICS and hash.
 */
enum cas_err cas_decide(const struct cas_request *r,
			const struct cas_offer *o, struct cas_result *out);

/** A short English name of `e`, for console messages. */
const char *cas_strerror(enum cas_err e);

#endif /* VIO_CAS_H */
