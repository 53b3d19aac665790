/*
 * The Open Firmware client interface a partition's firmware (slof/vof.S)
 * forwards to lparvisor, as QEMU 7.2's VOF does (hw/ppc/vof.c: the
 * KVMPPC_H_VOF_CLIENT hcall with the client's argument array).  The tree
 * it serves is a flattened tree in hypervisor memory; every string and
 * buffer the client names is bounds-checked against the partition's
 * memory and copied once.  Pure logic over `struct gmem` and libfdt, with
 * the partition's side (console, CAS, RTAS, quiesce) behind `ofci_ops`.
 * Services: those Linux 6.1's prom_init uses (finddevice, getprop,
 * getproplen, nextprop, setprop, child, peer, parent, instance-to-package,
 * package-to-path, instance-to-path, canon, open, close, read, write,
 * claim, release, call-method for ibm,client-architecture-support and
 * instantiate-rtas, milliseconds, quiesce, exit, test).
 */
#ifndef VIO_OFCI_H
#define VIO_OFCI_H

#include "hv/lib/types.h"
#include "mm/gmem.h"

#define OFCI_INSTANCES 16        /* open ihandles at a time */
#define OFCI_CLAIMS 64           /* claimed ranges at a time */
#define OFCI_IHANDLE_BASE 0x10000000u
#define OFCI_ERROR 0xffffffffu   /* the client interface's -1 */
#define OFCI_ARGS_MAX 10         /* args + rets cells (prom_init's 10) */
#define OFCI_STR_MAX 256         /* paths, service and method names */
#define OFCI_PROP_MAX 0x10000u   /* a setprop value */
#define OFCI_CAS_MAX 4096u       /* bytes of a CAS vector read */

struct ofci;

/* The partition's side.  `ctx` is ofci.ctx. */
struct ofci_ops {
	/* Console output of the stdout instance. */
	void (*write)(void *ctx, const char *buf, size_t len);
	/*
	 * CAS: answer the client's vector (`len` bytes copied from guest
	 * memory) and build the tree that follows into `buf` (`cap` bytes).
	 * Returns 0, or non-zero when the vector is refused (the tree stays).
	 */
	int (*cas)(void *ctx, const uint8_t *vec, size_t len, void *buf,
		   size_t cap);
	/* Place RTAS at guest real `base`; false when it cannot. */
	bool (*instantiate_rtas)(void *ctx, uint64_t base);
	void (*quiesce)(void *ctx);
	void (*exit)(void *ctx);
	uint32_t (*milliseconds)(void *ctx);
};

struct ofci_claim {
	uint64_t base, size;
};

struct ofci {
	void *fdt;                  /* the tree served: an open FDT */
	void *spare;                /* the next tree is built here (CAS) */
	size_t cap;                 /* bytes of each buffer */
	const struct gmem *mem;
	const struct ofci_ops *ops;
	void *ctx;
	uint32_t inst[OFCI_INSTANCES]; /* ihandle BASE + i: its phandle, 0 free */
	uint32_t stdout_ih;
	struct ofci_claim claims[OFCI_CLAIMS];
	uint32_t claim_count;
	uint32_t next_phandle;
	uint32_t rtas_size;         /* /rtas rtas-size, for the RTAS claim */
	bool quiesced;
	uint64_t calls, refused;    /* calls served; calls given -1 or r3 < 0 */
	uint32_t cas_count;         /* CAS calls that gave a new tree */
	uint8_t scratch[OFCI_CAS_MAX]; /* the copy of a CAS vector */
};

/**
 * Make `tree` (a valid FDT) the tree served from buffer `fdt`, with
 * `spare` as the second buffer, both `cap` bytes: every node gets a
 * phandle, /chosen gets `stdout` (an ihandle of `stdout_path`, opened
 * here) and the claims are cleared.  Returns 0, or a negative libfdt
 * error (the tree does not fit, no such stdout node).
 */
int ofci_init(struct ofci *o, void *fdt, void *spare, size_t cap,
	      const void *tree, const char *stdout_path);

/** Mark [base, base + size) as in use (firmware, kernel, initrd): false
 *  when it overlaps a claim or there is no room for one more. */
bool ofci_claim_fixed(struct ofci *o, uint64_t base, uint64_t size);

/**
 * One client-interface call: `args` is the guest real address of the
 * client's array (be32 service, nargs, nret, then nargs + nret cells).
 * The return cells are written back into it.  Returns 0 (the call ran;
 * its first return cell tells the client whether it succeeded) or
 * H_PARAMETER when the array itself is unreadable or its counts exceed
 * OFCI_ARGS_MAX, as QEMU's VOF.
 */
int64_t ofci_call(struct ofci *o, uint64_t args);

#endif /* VIO_OFCI_H */
