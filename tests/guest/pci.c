/*
 * The PCI host bridge a pSeries partition sees and the RTAS config-space
 * calls on it (QEMU 7.2 hw/ppc/spapr_pci.c spapr_dt_phb,
 * rtas_{ibm_,}{read,write}_pci_config).  With a PHB (lparvisor: a host
 * PHB given with pci-host-bridges; QEMU -M pseries: its default PHB with
 * an nvme device): the first function's IDs read through
 * ibm,read-pci-config match its node, a write reads back, and hostile
 * sizes, alignments, registers, BUIDs, buses, functions and argument
 * counts get status -1.  Without a PHB node (a partition given none): no
 * trace of one, and the calls on the BUID a PHB would have get -1.
 */
#include "hv/abi/layout.h"
#include "hv/abi/rtas.h"
#include "hv/lib/string.h"
#include "tests/guest/lib/console.h"
#include "tests/guest/lib/dt.h"
#include "tests/guest/lib/guest.h"
#include "tests/guest/lib/hcall.h"
#include "tests/guest/lib/report.h"
#include "tests/guest/lib/rtas.h"

#include <libfdt.h>

const char test_name[] = "pci";

#define CFG_INT_LINE 0x3c

static int tok_read, tok_write, tok_old_read, tok_old_write;

/* RTAS config address: (reg & 0xf00) << 20 | bus << 16 | devfn << 8 |
 * (reg & 0xff). */
static uint32_t cfg_addr(uint32_t bus, uint32_t devfn, uint32_t reg)
{
	return ((reg & 0xf00) << 20) | (bus << 16) | (devfn << 8) |
	       (reg & 0xff);
}

static int rd(uint64_t buid, uint32_t addr, uint32_t size, uint32_t *val)
{
	return rtas_call(tok_read, 4, 2, val, addr, (uint32_t)(buid >> 32),
			 (uint32_t)buid, size);
}

static int wr(uint64_t buid, uint32_t addr, uint32_t size, uint32_t val)
{
	return rtas_call(tok_write, 5, 1, NULL, addr, (uint32_t)(buid >> 32),
			 (uint32_t)buid, size, val);
}

static int find_phb(void)
{
	const void *fdt = dt_fdt();

	return fdt_node_offset_by_compatible(fdt, -1, "IBM,Logical_PHB");
}

/* RTAS call `name` on the first PHB's BUID (config address of 01:00.0,
 * then BUID, then zeros): refused with `want`, or absent. */
static void no_phb_call(const char *name, int nargs, int nret, int want)
{
	uint64_t buid = LAYOUT_PHB_BUID_BASE;
	uint32_t out[4] = { 0 };
	int tok = rtas_token(name), st;

	if (tok == RTAS_UNKNOWN_SERVICE) {
		report(true, "%s on the first PHB's BUID: not offered", name);
		return;
	}
	st = rtas_call(tok, nargs, nret, out,
		       nargs == 3 ? 0x00010000u : cfg_addr(1, 0, 0),
		       (uint32_t)(buid >> 32), (uint32_t)buid, 1, 1, 0);
	report(st == want, "%s on the first PHB's BUID: status %d, want %d",
	       name, st, want);
}

static void test_no_phb(void)
{
	uint64_t buid = LAYOUT_PHB_BUID_BASE;
	uint32_t v = 0;

	report(find_phb() < 0, "no PCI host bridge node");
	report_rtas(rd(buid, cfg_addr(1, 0, 0), 4, &v), RTAS_OUT_HW_ERROR,
		    "ibm,read-pci-config on the first PHB's BUID");
	report_rtas(wr(buid, cfg_addr(1, 0, CFG_INT_LINE), 1, 0x5a),
		    RTAS_OUT_HW_ERROR,
		    "ibm,write-pci-config on the first PHB's BUID");
	report_rtas(rd(buid, cfg_addr(0, 0, 0), 4, &v), RTAS_OUT_HW_ERROR,
		    "ibm,read-pci-config of bus 0");
	/* Nor its MSIs, EEH or DMA window: QEMU's codes for a BUID or
	 * LIOBN no PHB has (spapr_pci.c, spapr_iommu.c). */
	no_phb_call("ibm,change-msi", 6, 4, RTAS_OUT_PARAM_ERROR);
	no_phb_call("ibm,query-interrupt-source-number", 4, 3,
		    RTAS_OUT_PARAM_ERROR);
	no_phb_call("ibm,read-slot-reset-state2", 3, 4, RTAS_OUT_PARAM_ERROR);
	no_phb_call("ibm,set-eeh-option", 4, 1, RTAS_OUT_PARAM_ERROR);
	report_hrc(hcall(H_PUT_TCE, LAYOUT_PHB_LIOBN(0), 0,
			 (uint64_t)(uintptr_t)&v | 3), H_PARAMETER,
		   "H_PUT_TCE on the first PHB's LIOBN");
	report_hrc(hcall(H_GET_TCE, LAYOUT_PHB_LIOBN(0), 0), H_PARAMETER,
		   "H_GET_TCE on the first PHB's LIOBN");
}

/*
 * lparvisor only (QEMU 7.2 offers EEH on VFIO PHBs alone and answers -3
 * on its own): the minimal EEH calls on the PHB, QEMU's layouts and codes
 * for a VFIO PHB (hw/ppc/spapr_pci.c).
 */
static void test_eeh(uint64_t buid, uint32_t bus, uint32_t devfn)
{
	int opt = rtas_token("ibm,set-eeh-option");
	int info = rtas_token("ibm,get-config-addr-info2");
	int state = rtas_token("ibm,read-slot-reset-state2");
	int cfgpe = rtas_token("ibm,configure-pe");
	int detail = rtas_token("ibm,slot-error-detail");
	uint32_t hi = (uint32_t)(buid >> 32), lo = (uint32_t)buid, out[4];
	uint32_t pe;

	if (!report(opt != RTAS_UNKNOWN_SERVICE &&
			    info != RTAS_UNKNOWN_SERVICE &&
			    state != RTAS_UNKNOWN_SERVICE &&
			    cfgpe != RTAS_UNKNOWN_SERVICE &&
			    detail != RTAS_UNKNOWN_SERVICE &&
			    rtas_token("ibm,set-slot-reset") !=
				    RTAS_UNKNOWN_SERVICE,
		    "EEH tokens in /rtas")) {
		return;
	}
	report_rtas(rtas_call(info, 4, 2, out, cfg_addr(bus, devfn, 0), hi,
			      lo + 1, 0), RTAS_OUT_PARAM_ERROR,
		    "EEH get-config-addr-info2 on another BUID");
	report_rtas(rtas_call(info, 4, 2, out, cfg_addr(bus, devfn, 0), hi,
			      lo, 7), RTAS_OUT_PARAM_ERROR,
		    "EEH get-config-addr-info2 option 7");
	report_rtas(rtas_call(info, 4, 2, out, cfg_addr(bus + 1, devfn, 0),
			      hi, lo, 0), RTAS_OUT_PARAM_ERROR,
		    "EEH get-config-addr-info2 of an absent function");
	report_rtas(rtas_call(opt, 4, 1, NULL, 0, hi, lo, 9),
		    RTAS_OUT_PARAM_ERROR, "EEH set-eeh-option 9");
	out[0] = 0;
	report(rtas_call(info, 4, 2, out, cfg_addr(bus, devfn, 0), hi, lo,
			 0) == 0 && out[0] == ((bus << 16) | 1),
	       "EEH PE address 0x%x", out[0]);
	pe = out[0];
	report(rtas_call(info, 4, 2, out, cfg_addr(bus, devfn, 0), hi, lo,
			 1) == 0 && out[0] == 2, "EEH PE mode shared (%u)", out[0]);
	report_rtas(rtas_call(opt, 4, 1, NULL, pe, hi, lo, 1), 0,
		    "EEH enabled");
	memset(out, 0xff, sizeof(out));
	report(rtas_call(state, 3, 4, out, pe, hi, lo) == 0 && out[0] == 0 &&
		       out[1] == 1, "EEH slot state normal, EEH supported "
		       "(%u, %u)", out[0], out[1]);
	report_rtas(rtas_call(opt, 4, 1, NULL, pe, hi, lo, 2), 0,
		    "EEH thaw MMIO");
	report_rtas(rtas_call(cfgpe, 3, 1, NULL, pe, hi, lo), 0,
		    "EEH configure-pe");
	report_rtas(rtas_call(detail, 8, 1, NULL, pe, hi, lo, 0, 0, 0, 0, 1),
		    RTAS_OUT_NO_ERRORS_FOUND, "EEH slot-error-detail");
}

static void test_phb(int phb)
{
	const void *fdt = dt_fdt();
	const uint32_t *reg, *range;
	uint32_t bus, devfn, vendor = 0, device = 0, v = 0, line = 0;
	uint32_t out[2];
	uint64_t buid;
	int fn, len;

	reg = dt_prop(phb, "reg", &len);
	range = dt_prop(phb, "bus-range", NULL);
	if (!report(reg && len == 16 && range, "PHB node has reg and "
		    "bus-range")) {
		return;
	}
	buid = ((uint64_t)fdt32_to_cpu(reg[0]) << 32) | fdt32_to_cpu(reg[1]);
	fn = fdt_first_subnode(fdt, phb);
	reg = fn >= 0 ? dt_prop(fn, "reg", &len) : NULL;
	if (!report(reg && len >= 20 && dt_prop_u32(fn, "vendor-id", &vendor) &&
		    dt_prop_u32(fn, "device-id", &device),
		    "a function node with reg, vendor-id and device-id")) {
		return;
	}
	bus = (fdt32_to_cpu(reg[0]) >> 16) & 0xff;
	devfn = (fdt32_to_cpu(reg[0]) >> 8) & 0xff;
	printf("pci: PHB %llx function %02x:%02x.%x %04x:%04x\n",
	       (unsigned long long)buid, bus, devfn >> 3, devfn & 7, vendor,
	       device);
	report(bus >= fdt32_to_cpu(range[0]) && bus <= fdt32_to_cpu(range[1]),
	       "the function's bus is in bus-range");

	/* Reads the node agrees with, in each size. */
	report_rtas(rd(buid, cfg_addr(bus, devfn, 0), 4, &v), 0,
		    "read the ID word");
	report(v == (device << 16 | vendor), "ID word 0x%08x is the node's",
	       v);
	report_rtas(rd(buid, cfg_addr(bus, devfn, 2), 2, &v), 0,
		    "read the device ID half-word");
	report(v == device, "device ID 0x%04x", v);
	report_rtas(rd(buid, cfg_addr(bus, devfn, 0), 1, &v), 0,
		    "read the vendor ID's low byte");
	report(v == (vendor & 0xff), "vendor low byte 0x%02x", v);
	report_rtas(rd(buid, cfg_addr(bus, devfn, 0xffc), 4, &v), 0,
		    "read the last word of extended config space");

	/* A write that reads back: the interrupt line, a scratch byte. */
	report_rtas(rd(buid, cfg_addr(bus, devfn, CFG_INT_LINE), 1, &line), 0,
		    "read the interrupt line");
	report_rtas(wr(buid, cfg_addr(bus, devfn, CFG_INT_LINE), 1, 0x5a), 0,
		    "write the interrupt line");
	rd(buid, cfg_addr(bus, devfn, CFG_INT_LINE), 1, &v);
	report(v == 0x5a, "the interrupt line reads back 0x%02x", v);
	wr(buid, cfg_addr(bus, devfn, CFG_INT_LINE), 1, line);

	/* Hostile sizes, alignments and places: -1, nothing read. */
	static const uint32_t sizes[] = { 0, 3, 8, 0xffffffffu };
	for (unsigned int i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		v = 0x1234;
		report_rtas(rd(buid, cfg_addr(bus, devfn, 0), sizes[i], &v),
			    RTAS_OUT_HW_ERROR, "read of size %u", sizes[i]);
		report_rtas(wr(buid, cfg_addr(bus, devfn, CFG_INT_LINE),
			       sizes[i], 0), RTAS_OUT_HW_ERROR,
			    "write of size %u", sizes[i]);
	}
	report_rtas(rd(buid, cfg_addr(bus, devfn, 1), 2, &v),
		    RTAS_OUT_HW_ERROR, "unaligned half-word read");
	report_rtas(rd(buid, cfg_addr(bus, devfn, 2), 4, &v),
		    RTAS_OUT_HW_ERROR, "unaligned word read");
	report_rtas(wr(buid, cfg_addr(bus, devfn, 0x3e), 4, 0),
		    RTAS_OUT_HW_ERROR, "unaligned word write");
	report_rtas(rd(buid + 1, cfg_addr(bus, devfn, 0), 4, &v),
		    RTAS_OUT_HW_ERROR, "read on another BUID");
	report_rtas(rd(buid ^ (1ull << 32), cfg_addr(bus, devfn, 0), 4, &v),
		    RTAS_OUT_HW_ERROR, "read on a BUID differing above bit 31");
	report_rtas(wr(buid + 1, cfg_addr(bus, devfn, CFG_INT_LINE), 1, 0),
		    RTAS_OUT_HW_ERROR, "write on another BUID");
	report_rtas(rd(buid, cfg_addr(bus, 0xff, 0), 4, &v),
		    RTAS_OUT_HW_ERROR, "read of an absent function");
	report_rtas(wr(buid, cfg_addr(bus, 0xff, CFG_INT_LINE), 1, 0),
		    RTAS_OUT_HW_ERROR, "write to an absent function");
	report_rtas(rd(buid, cfg_addr(fdt32_to_cpu(range[1]) + 1 > 0xff ?
				      bus - 1 : fdt32_to_cpu(range[1]) + 1,
				      devfn, 0), 4, &v),
		    RTAS_OUT_HW_ERROR, "read of a bus past bus-range");
	if (dt_on_lparvisor()) {
		/* The host root port at 00:00.0 is never shown or reached. */
		report_rtas(rd(buid, cfg_addr(0, 0, 0), 4, &v),
			    RTAS_OUT_HW_ERROR, "read of the root port");
		report_rtas(wr(buid, cfg_addr(0, 0, 0x19), 1, 7),
			    RTAS_OUT_HW_ERROR,
			    "write of the root port's secondary bus");
		/* Nothing outside the buses shown, even where the host
		 * PHB's own bus range (0-255) would reach. */
		report_rtas(rd(buid, cfg_addr(0, 1 << 3, 0), 4, &v),
			    RTAS_OUT_HW_ERROR,
			    "read of another slot on the root bus");
		report_rtas(wr(buid, cfg_addr(0xff, 0, CFG_INT_LINE), 1, 0),
			    RTAS_OUT_HW_ERROR, "write to bus 255");
		test_eeh(buid, bus, devfn);
	}
	/* The calls without a BUID address BUID 0: no PHB has it. */
	report_rtas(rtas_call(tok_old_read, 2, 2, &v, cfg_addr(bus, devfn, 0),
			      4), RTAS_OUT_HW_ERROR, "read-pci-config");
	report_rtas(rtas_call(tok_old_write, 3, 1, NULL,
			      cfg_addr(bus, devfn, CFG_INT_LINE), 1, 0),
		    RTAS_OUT_HW_ERROR, "write-pci-config");
	/* Argument and return counts other than the call's. */
	report_rtas(rtas_call(tok_read, 3, 2, out, cfg_addr(bus, devfn, 0),
			      (uint32_t)(buid >> 32), (uint32_t)buid),
		    RTAS_OUT_HW_ERROR, "ibm,read-pci-config with 3 arguments");
	report_rtas(rtas_call(tok_read, 4, 1, NULL, cfg_addr(bus, devfn, 0),
			      (uint32_t)(buid >> 32), (uint32_t)buid, 4),
		    RTAS_OUT_HW_ERROR, "ibm,read-pci-config with 1 return");
	report_rtas(rtas_call(tok_write, 4, 1, NULL,
			      cfg_addr(bus, devfn, CFG_INT_LINE),
			      (uint32_t)(buid >> 32), (uint32_t)buid, 1),
		    RTAS_OUT_HW_ERROR, "ibm,write-pci-config with 4 arguments");
}

void test_main(void)
{
	int phb;

	tok_read = rtas_token("ibm,read-pci-config");
	tok_write = rtas_token("ibm,write-pci-config");
	tok_old_read = rtas_token("read-pci-config");
	tok_old_write = rtas_token("write-pci-config");
	if (!report(tok_read != RTAS_UNKNOWN_SERVICE &&
		    tok_write != RTAS_UNKNOWN_SERVICE &&
		    tok_old_read != RTAS_UNKNOWN_SERVICE &&
		    tok_old_write != RTAS_UNKNOWN_SERVICE,
		    "the four config-space tokens in /rtas")) {
		return;
	}
	phb = find_phb();
	if (phb < 0) {
		test_no_phb();
	} else {
		test_phb(phb);
	}
}
