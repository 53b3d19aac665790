/*
 * RTAS PCI configuration space calls on the partition's PHBs, with QEMU
 * 7.2's semantics (hw/ppc/spapr_pci.c rtas_{ibm_,}{read,write}_pci_config,
 * finish_{read,write}_pci_config): wrong argument or return counts, a BUID
 * that is none of the partition's PHBs (read-pci-config and
 * write-pci-config have BUID 0, which no PHB has), a size other than 1, 2
 * or 4, a register not naturally aligned or past the function's config
 * space, or a bus and devfn where the guest tree shows no function: status
 * -1 and nothing reaches the hardware.  Otherwise the access goes to OPAL
 * for the host PHB; its failure is -1 too.  The root port (00:00.0) and
 * any bus the partition's PHBs do not show are never reached.
 */
#include "hv/lpar.h"
#include "pci/pci.h"
#include "pci/scan.h"
#include "platform-powernv/pci_host.h"
#include "rtas/rtas.h"

/* The function `addr` names on PHB `buid` of the caller, or NULL. */
static const struct machine_phb *target(struct rtas_call *c, uint64_t buid,
					uint32_t addr, uint32_t size,
					struct pci_cfg_access *acc)
{
	const struct pci_lpar *s = pci_lpar(c->vc->lpar);
	int i = pci_phb_by_buid(s, buid);

	if (i < 0 || !pci_cfg_decode(&s->dt[i], addr, size, acc)) {
		return NULL;
	}
	return s->host[i];
}

static void cfg_read(struct rtas_call *c, uint64_t buid, uint32_t addr,
		     uint32_t size)
{
	struct pci_cfg_access acc;
	const struct machine_phb *h = target(c, buid, addr, size, &acc);
	uint32_t val;

	if (!h || pnv_pci_cfg_read(h->opal_id, PCI_BDFN(acc.bus, acc.devfn),
				   acc.reg, acc.size, &val) != 0) {
		rtas_status(c, RTAS_OUT_HW_ERROR);
		return;
	}
	rtas_status(c, RTAS_OUT_SUCCESS);
	c->rets[1] = val;
}

static void cfg_write(struct rtas_call *c, uint64_t buid, uint32_t addr,
		      uint32_t size, uint32_t val)
{
	struct pci_cfg_access acc;
	const struct machine_phb *h = target(c, buid, addr, size, &acc);

	if (!h || pnv_pci_cfg_write(h->opal_id, PCI_BDFN(acc.bus, acc.devfn),
				    acc.reg, acc.size, val) != 0) {
		rtas_status(c, RTAS_OUT_HW_ERROR);
		return;
	}
	rtas_status(c, RTAS_OUT_SUCCESS);
}

static uint64_t buid_of(const struct rtas_call *c)
{
	return ((uint64_t)c->args[1] << 32) | c->args[2];
}

/* (addr, buid hi, buid lo, size) -> (status, value) */
static void rtas_ibm_read_pci_config(struct rtas_call *c)
{
	if (c->nargs != 4 || c->nret != 2) {
		rtas_status(c, RTAS_OUT_HW_ERROR);
		return;
	}
	cfg_read(c, buid_of(c), c->args[0], c->args[3]);
}
RTAS_SERVICE(RTAS_IBM_READ_PCI_CONFIG, "ibm,read-pci-config",
	     rtas_ibm_read_pci_config, RTAS_ANY, RTAS_ANY, HCALL_INTC_ANY,
	     "done (the partition's PHBs, through OPAL)");

/* (addr, size) -> (status, value): BUID 0, which no PHB has. */
static void rtas_read_pci_config(struct rtas_call *c)
{
	if (c->nargs != 2 || c->nret != 2) {
		rtas_status(c, RTAS_OUT_HW_ERROR);
		return;
	}
	cfg_read(c, 0, c->args[0], c->args[1]);
}
RTAS_SERVICE(RTAS_READ_PCI_CONFIG, "read-pci-config", rtas_read_pci_config,
	     RTAS_ANY, RTAS_ANY, HCALL_INTC_ANY,
	     "done (as QEMU: no PHB has BUID 0, so -1)");

/* (addr, buid hi, buid lo, size, value) -> (status) */
static void rtas_ibm_write_pci_config(struct rtas_call *c)
{
	if (c->nargs != 5 || c->nret != 1) {
		rtas_status(c, RTAS_OUT_HW_ERROR);
		return;
	}
	cfg_write(c, buid_of(c), c->args[0], c->args[3], c->args[4]);
}
RTAS_SERVICE(RTAS_IBM_WRITE_PCI_CONFIG, "ibm,write-pci-config",
	     rtas_ibm_write_pci_config, RTAS_ANY, RTAS_ANY, HCALL_INTC_ANY,
	     "done (the partition's PHBs, through OPAL)");

/* (addr, size, value) -> (status) */
static void rtas_write_pci_config(struct rtas_call *c)
{
	if (c->nargs != 3 || c->nret != 1) {
		rtas_status(c, RTAS_OUT_HW_ERROR);
		return;
	}
	cfg_write(c, 0, c->args[0], c->args[1], c->args[2]);
}
RTAS_SERVICE(RTAS_WRITE_PCI_CONFIG, "write-pci-config", rtas_write_pci_config,
	     RTAS_ANY, RTAS_ANY, HCALL_INTC_ANY,
	     "done (as QEMU: no PHB has BUID 0, so -1)");
