/*
 * RTAS for partitions: the KVMPPC_H_RTAS hcall behind the 20-byte
 * trampoline every guest calls, and the token table published in /rtas.
 */
#ifndef RTAS_RTAS_H
#define RTAS_RTAS_H

#include "hv/abi/rtas.h"
#include "hv/hcall.h"

struct rtas_call;

struct rtas_service {
	uint32_t token;
	const char *name;   /* property name in /rtas */
	void (*fn)(struct rtas_call *c);
	const char *status; /* for docs/hcalls.md */
};

/** The registration table: every service, sorted by token. */
extern const struct rtas_service rtas_services[];
extern const uint32_t rtas_service_count;

/** The trampoline guests call: mr r4,r3; li r3,0xf000 (lis+ori); sc 1; blr. */
#define RTAS_BLOB_SIZE 20
extern const uint8_t rtas_blob[RTAS_BLOB_SIZE];

/** KVMPPC_H_RTAS: r4 = guest real address of the argument buffer. */
int64_t h_rtas(struct vcpu *vc, struct hcall_args *a);

/** Read the platform clock once at boot (seconds since 1970). */
void rtas_init_clock(void);

#endif /* RTAS_RTAS_H */
