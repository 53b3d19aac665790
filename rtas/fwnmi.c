/*
 * RTAS ibm,nmi-register and ibm,nmi-interlock (LoPAR "Firmware Assisted
 * NMI"; tokens, counts and status codes as QEMU 7.2 hw/ppc/spapr_rtas.c,
 * whose pseries machines have FWNMI on by default).  The registration and
 * the error log live in hv/mce.c; these rows are the partition's way in.
 */
#include "hv/abi/rtas.h"
#include "hv/lpar.h"
#include "hv/mce.h"
#include "hv/vcpu.h"
#include "rtas/rtas.h"

/* Arguments: the system-reset and machine-check handlers' real addresses. */
static void rtas_ibm_nmi_register(struct rtas_call *c)
{
	struct lpar *l = c->vc->lpar;

	rtas_status(c, mce_register(&l->fwnmi, &l->mem, c->args[0],
				    c->args[1]));
}
RTAS_SERVICE(RTAS_IBM_NMI_REGISTER, "ibm,nmi-register", rtas_ibm_nmi_register,
	     2, 1, HCALL_INTC_ANY,
	     "done (-3 for a handler outside the first 32 MiB)");

/* The vCPU that took the machine check gives its error log back. */
static void rtas_ibm_nmi_interlock(struct rtas_call *c)
{
	rtas_status(c, mce_interlock(&c->vc->lpar->fwnmi, c->vc->id));
}
RTAS_SERVICE(RTAS_IBM_NMI_INTERLOCK, "ibm,nmi-interlock",
	     rtas_ibm_nmi_interlock, 0, 1, HCALL_INTC_ANY,
	     "done (-3 unless this vCPU holds the log)");
