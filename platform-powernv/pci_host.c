/*
 * OPAL's PCI configuration calls.  skiboot returns half-words and words
 * big-endian (opal_pci_config_read_half_word_be/word_be in
 * core/pci-opal.c), bytes as they are; the output is a real address, and
 * lparvisor runs in real mode, so a local variable will do.  A size other
 * than 1, 2 or 4 is refused here without calling OPAL.
 */
#include "hv/lib/string.h"
#include "platform-powernv/opal.h"
#include "platform-powernv/pci_host.h"

#define OPAL_PCI_CONFIG_READ_BYTE 13
#define OPAL_PCI_CONFIG_READ_HALF_WORD 14
#define OPAL_PCI_CONFIG_READ_WORD 15
#define OPAL_PCI_CONFIG_WRITE_BYTE 16
#define OPAL_PCI_CONFIG_WRITE_HALF_WORD 17
#define OPAL_PCI_CONFIG_WRITE_WORD 18

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
