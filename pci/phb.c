/*
 * The partition's host PHBs: at creation each PHB its configuration names
 * (chip, index) is looked up among those skiboot described (the checker
 * already refused any the machine lacks or another partition owns), and
 * the partition's ownership is printed with the PHB's windows.
 */
#include "hv/console.h"
#include "hv/hv.h"
#include "hv/lpar.h"
#include "hv/unit.h"
#include "pci/pci.h"

static uint32_t pci_slot;

struct pci_lpar *pci_lpar(const struct lpar *l)
{
	return lpar_unit_state(l, pci_slot);
}

static bool pci_create(struct lpar *l)
{
	struct pci_lpar *s = pci_lpar(l);

	s->count = 0;
	for (uint32_t i = 0; i < l->cfg.phb_count; i++) {
		const struct config_phb *c = &l->cfg.phbs[i];
		const struct machine_phb *h;

		h = machine_find_phb(&hv_machine, c->chip, c->index);
		if (!h) {
			hv_printf("lparvisor: partition \"%s\": PHB %u:%u "
				  "is not on this machine\n", l->cfg.name,
				  c->chip, c->index);
			return false;
		}
		s->phbs[s->count].host = h;
		s->phbs[s->count].guest_index = s->count;
		s->count++;
		hv_printf("lparvisor: partition \"%s\" owns PHB %u:%u (OPAL "
			  "id %llu): M32 0x%llx+0x%llx, M64 0x%llx+0x%llx\n",
			  l->cfg.name, c->chip, c->index,
			  (unsigned long long)h->opal_id,
			  (unsigned long long)h->m32_cpu,
			  (unsigned long long)h->m32_size,
			  (unsigned long long)h->m64_cpu,
			  (unsigned long long)h->m64_size);
	}
	return true;
}

LPAR_UNIT(pci, .order = UNIT_ORDER_PCI, .slot = &pci_slot,
	  .state_size = sizeof(struct pci_lpar), .create = pci_create);
