/*
 * OPAL's PCI configuration calls.  skiboot returns half-words and words
 * big-endian (opal_pci_config_read_half_word_be/word_be in
 * core/pci-opal.c), bytes as they are; the output is a real address, and
 * lparvisor runs in real mode, so a local variable will do.  A size other
 * than 1, 2 or 4 is refused here without calling OPAL.
 */
#include "hv/cpu.h"
#include "hv/lib/string.h"
#include "hv/hv.h"
#include "platform-powernv/opal.h"
#include "platform-powernv/pci_host.h"

#define OPAL_PCI_CONFIG_READ_BYTE 13
#define OPAL_PCI_CONFIG_READ_HALF_WORD 14
#define OPAL_PCI_CONFIG_READ_WORD 15
#define OPAL_PCI_CONFIG_WRITE_BYTE 16
#define OPAL_PCI_CONFIG_WRITE_HALF_WORD 17
#define OPAL_PCI_CONFIG_WRITE_WORD 18
#define OPAL_PCI_EEH_FREEZE_STATUS 23
#define OPAL_PCI_EEH_FREEZE_CLEAR 26
#define OPAL_PCI_SET_PE 31
#define OPAL_PCI_SET_PELTV 32
#define OPAL_PCI_SET_XIVE_PE 37
#define OPAL_GET_MSI_32 39
#define OPAL_GET_MSI_64 40
#define OPAL_PCI_MAP_PE_DMA_WINDOW 44
#define OPAL_PCI_TCE_KILL 126
#define OPAL_PCI_RESET 49
#define OPAL_PCI_NEXT_ERROR 60
#define OPAL_PCI_POLL 62
#define OPAL_RESET_PCI_HOT 4
#define OPAL_ASSERT_RESET 1

/* skiboot include/opal-api.h enumerations. */
#define OPAL_EEH_ACTION_CLEAR_FREEZE_ALL 3
#define OPAL_IGNORE_RID_DEVICE_NUMBER 0
#define OPAL_IGNORE_RID_FUNCTION_NUMBER 0
#define OPAL_UNMAP_PE 0
#define OPAL_MAP_PE 1
#define OPAL_REMOVE_PE_FROM_DOMAIN 0
#define OPAL_ADD_PE_TO_DOMAIN 1
#define OPAL_PCI_TCE_KILL_PE 1

int64_t pnv_pci_cfg_read(uint64_t opal_id, uint32_t bdfn, uint32_t offset,
			 uint32_t size, uint32_t *val)
{
	uint8_t b = 0xff;
	be16 h = 0xffff;
	be32 w = 0xffffffff;
	int64_t rc;

	switch (size) {
	case 1:
		rc = opal_call(OPAL_PCI_CONFIG_READ_BYTE, opal_id, bdfn, offset,
			       (uintptr_t)&b, 0, 0, 0);
		*val = b;
		break;
	case 2:
		rc = opal_call(OPAL_PCI_CONFIG_READ_HALF_WORD, opal_id, bdfn,
			       offset, (uintptr_t)&h, 0, 0, 0);
		*val = be16_to_cpu(h);
		break;
	case 4:
		rc = opal_call(OPAL_PCI_CONFIG_READ_WORD, opal_id, bdfn, offset,
			       (uintptr_t)&w, 0, 0, 0);
		*val = be32_to_cpu(w);
		break;
	default:
		return OPAL_PARAMETER;
	}
	return rc;
}

int64_t pnv_pci_cfg_write(uint64_t opal_id, uint32_t bdfn, uint32_t offset,
			  uint32_t size, uint32_t val)
{
	static const uint64_t tokens[] = {
		0, OPAL_PCI_CONFIG_WRITE_BYTE, OPAL_PCI_CONFIG_WRITE_HALF_WORD,
		0, OPAL_PCI_CONFIG_WRITE_WORD,
	};

	if (size != 1 && size != 2 && size != 4) {
		return OPAL_PARAMETER;
	}
	return opal_call(tokens[size], opal_id, bdfn, offset,
			 size == 4 ? val : val & ((1u << (8 * size)) - 1), 0, 0,
			 0);
}

int64_t pnv_pci_set_pe(uint64_t opal_id, uint32_t pe, uint32_t bdfn,
		       uint32_t bus_bits, bool map)
{
	/* OpalPciBusAll (7) compares all 8 bits, OpalPciBus3Bits (2) 3. */
	if (bus_bits < 3 || bus_bits > 8) {
		return OPAL_PARAMETER;
	}
	return opal_call(OPAL_PCI_SET_PE, opal_id, pe, bdfn, bus_bits - 1,
			 OPAL_IGNORE_RID_DEVICE_NUMBER,
			 OPAL_IGNORE_RID_FUNCTION_NUMBER,
			 map ? OPAL_MAP_PE : OPAL_UNMAP_PE);
}

int64_t pnv_pci_set_peltv(uint64_t opal_id, uint32_t parent, uint32_t child,
			  bool add)
{
	return opal_call(OPAL_PCI_SET_PELTV, opal_id, parent, child,
			 add ? OPAL_ADD_PE_TO_DOMAIN :
			       OPAL_REMOVE_PE_FROM_DOMAIN, 0, 0, 0);
}

int64_t pnv_pci_freeze_clear(uint64_t opal_id, uint32_t pe)
{
	return opal_call(OPAL_PCI_EEH_FREEZE_CLEAR, opal_id, pe,
			 OPAL_EEH_ACTION_CLEAR_FREEZE_ALL, 0, 0, 0, 0);
}

int64_t pnv_pci_map_dma_window(uint64_t opal_id, uint32_t pe, uint32_t window,
			       uint64_t table, uint64_t table_size,
			       uint64_t page_size)
{
	return opal_call(OPAL_PCI_MAP_PE_DMA_WINDOW, opal_id, pe, window,
			 table_size ? 1 : 0, table, table_size, page_size);
}

int64_t pnv_pci_tce_kill_pe(uint64_t opal_id, uint32_t pe)
{
	return opal_call(OPAL_PCI_TCE_KILL, opal_id, OPAL_PCI_TCE_KILL_PE, pe,
			 0, 0, 0, 0);
}

int64_t pnv_pci_set_xive_pe(uint64_t opal_id, uint32_t pe, uint32_t ive)
{
	return opal_call(OPAL_PCI_SET_XIVE_PE, opal_id, pe, ive, 0, 0, 0, 0);
}

int64_t pnv_pci_get_msi(uint64_t opal_id, uint32_t ive, bool msi64,
			uint64_t *addr, uint32_t *data)
{
	be64 a64 = 0;
	be32 a32 = 0, d = 0;
	int64_t rc;

	/* MVE 0 and a range of one, as Linux asks. */
	if (msi64) {
		rc = opal_call(OPAL_GET_MSI_64, opal_id, 0, ive, 1,
			       (uintptr_t)&a64, (uintptr_t)&d, 0);
		*addr = be64_to_cpu(a64);
	} else {
		rc = opal_call(OPAL_GET_MSI_32, opal_id, 0, ive, 1,
			       (uintptr_t)&a32, (uintptr_t)&d, 0);
		*addr = be32_to_cpu(a32);
	}
	*data = be32_to_cpu(d);
	return rc;
}

/*
 * A hot reset of the PHB's slot (the root port's secondary bus: every
 * device below it), driven to its end: OPAL_PCI_RESET returns the
 * milliseconds to wait before the next OPAL_PCI_POLL step, until a step
 * returns 0 (done) or an error (skiboot core/pci-opal.c opal_pci_reset,
 * opal_pci_poll).  Busy-waits on the timebase; gives up after max_ms.
 */
int64_t pnv_pci_hot_reset(uint64_t opal_id, uint32_t max_ms, uint32_t *took)
{
	uint64_t start = mftb(), ms_tb = hv_machine.tb_freq / 1000;
	uint64_t end = start + (uint64_t)max_ms * ms_tb;
	int64_t rc = opal_call(OPAL_PCI_RESET, opal_id, OPAL_RESET_PCI_HOT,
			       OPAL_ASSERT_RESET, 0, 0, 0, 0);

	while (rc > 0) {
		uint64_t until = mftb() + (uint64_t)rc * ms_tb;

		if (until > end) {
			rc = OPAL_BUSY;
			break;
		}
		while (mftb() < until) {
		}
		rc = opal_call(OPAL_PCI_POLL, opal_id, 0, 0, 0, 0, 0, 0);
	}
	*took = (uint32_t)((mftb() - start) / (ms_tb ? ms_tb : 1));
	return rc;
}

int64_t pnv_pci_freeze_status(uint64_t opal_id, uint32_t pe, uint8_t *state)
{
	uint8_t st = 0;
	be16 type = 0;
	be64 phb_status = 0;
	int64_t rc = opal_call(OPAL_PCI_EEH_FREEZE_STATUS, opal_id, pe,
			       (uintptr_t)&st, (uintptr_t)&type,
			       (uintptr_t)&phb_status, 0, 0);

	*state = st;
	return rc;
}

int64_t pnv_pci_next_error(uint64_t opal_id, uint64_t *pe, uint16_t *type,
			   uint16_t *sev)
{
	be64 first = 0;
	be16 t = 0, v = 0;
	int64_t rc = opal_call(OPAL_PCI_NEXT_ERROR, opal_id, (uintptr_t)&first,
			       (uintptr_t)&t, (uintptr_t)&v, 0, 0, 0);

	*pe = be64_to_cpu(first);
	*type = be16_to_cpu(t);
	*sev = be16_to_cpu(v);
	return rc;
}
