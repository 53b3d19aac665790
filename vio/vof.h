/*
 * What the two partition firmwares share (vio/vof.c, vio/slof.c): the
 * answer to ibm,client-architecture-support, whether it reaches lparvisor
 * through our client interface (KVMPPC_H_VOF_CLIENT) or from QEMU's SLOF
 * (KVMPPC_H_CAS).
 */
#ifndef VIO_VOF_H
#define VIO_VOF_H

#include "hv/lib/types.h"

struct lpar;
struct vcpu;

/**
 * Parse and decide the CAS vector `vec` (`len` bytes, a copy in
 * hypervisor memory) for partition `l`, called on `vc`: set the interrupt
 * mode and LPCR it chose, and build the tree after CAS into `buf` (`cap`
 * bytes).  The first outcome of a boot is printed once (`*told`).
 * Returns 0; -1 when the vector is refused (counted as a bad hcall), the
 * interrupt mode cannot change or the tree does not fit.
 */
int vof_cas_apply(struct lpar *l, struct vcpu *vc, const uint8_t *vec,
		  size_t len, void *buf, size_t cap, bool *told);

#endif /* VIO_VOF_H */
