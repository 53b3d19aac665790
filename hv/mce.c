/*
 * FWNMI: the registration, the interlock and the RTAS error log of a
 * machine check (LoPAR "Firmware Assisted NMI"; QEMU 7.2
 * hw/ppc/spapr_rtas.c rtas_ibm_nmi_register/_interlock and
 * spapr_events.c spapr_mce_dispatch_elog; the log as Linux reads it,
 * arch/powerpc/platforms/pseries/ras.c fwnmi_get_errinfo and
 * mce_handle_error, include/asm/rtas-types.h).  The log is a version 6
 * RTAS error log with an IBM extended log holding one "MC" section: an
 * uncorrectable error (UE) at a load/store or instruction fetch address,
 * synchronous, not recovered, effective and logical address provided.
 */
#include "hv/lib/string.h"
#include "hv/mce.h"

/* struct rtas_error_log byte 1: severity ERROR_SYNC (3), NOT_RECOVERED (2),
 * extended log present. */
#define ELOG_VERSION_6 6
#define ELOG_BYTE1 ((3u << 5) | (2u << 3) | (1u << 2))
#define ELOG_MEMORY_MEMORY 0x44 /* initiator memory, target memory */
/* rtas_ext_event_log_v6: valid, unrecoverable, new log, big-endian;
 * PowerPC format, event log format 14; company "IBM". */
#define EXT_BYTE0 (0x80 | 0x40 | 0x04 | 0x02)
#define EXT_BYTE2 (0x80 | 14)
#define EXT_COMPANY_IBM 0x49424d00u
#define SECT_ID_MC 0x4d43 /* "MC" */
#define MC_ERROR_TYPE_UE 0
#define UE_EA_PROVIDED 0x40
#define UE_LA_PROVIDED 0x20
#define UE_IFETCH 1
#define UE_LOAD_STORE 3
#define FWNMI_LIMIT (32ull << 20)

/* The whole log as written (big-endian fields), r3 first. */
struct mce_log {
	be64 saved_r3;
	/* struct rtas_error_log */
	uint8_t version, byte1, byte2, type;
	be32 ext_length;
	/* struct rtas_ext_event_log_v6 */
	uint8_t ext_byte0, ext_byte1, ext_byte2, ext_byte3;
	uint8_t ext_reserved[8];
	be32 company_id;
	/* struct pseries_errorlog, then struct pseries_mc_errorlog */
	be16 sect_id;
	be16 sect_length;
	uint8_t sect_version, sect_subtype;
	be16 creator;
	be32 fru_id;
	be32 proc_id;
	uint8_t error_type, sub_err_type;
	uint8_t mc_reserved[6];
	be64 effective_address;
	be64 logical_address;
} __attribute__((packed));

_Static_assert(sizeof(struct mce_log) == 8 + 8 + 16 + 8 + 32,
	       "FWNMI log: saved r3, RTAS error log, v6 header, MC section");
_Static_assert(MCE_LOG_OFFSET + sizeof(struct mce_log) <=
		       LAYOUT_RTAS_CLOCK_OFFSET,
	       "the error log ends before the RTAS clock (slof/rtas.S)");

void mce_reset(struct fwnmi *f, uint64_t log_gpa)
{
	spin_lock(&f->lock);
	f->sreset_addr = 0;
	f->mce_addr = 0;
	f->log_gpa = log_gpa;
	f->owner = MCE_NO_OWNER;
	spin_unlock(&f->lock);
}

int32_t mce_register(struct fwnmi *f, const struct gmem *g, uint64_t sreset,
		     uint64_t mce)
{
	/* PAPR (and QEMU): both handlers in the first 32 MiB of memory. */
	if ((sreset & 3) || (mce & 3) || sreset >= FWNMI_LIMIT ||
	    mce >= FWNMI_LIMIT || !gmem_owns(g, sreset, 4) ||
	    !gmem_owns(g, mce, 4)) {
		return -3;
	}
	spin_lock(&f->lock);
	f->sreset_addr = sreset;
	f->mce_addr = mce;
	spin_unlock(&f->lock);
	return 0;
}

int32_t mce_interlock(struct fwnmi *f, uint32_t vcpu)
{
	int32_t rc = -3;

	spin_lock(&f->lock);
	if (f->mce_addr && f->owner == vcpu) {
		f->owner = MCE_NO_OWNER;
		rc = 0;
	}
	spin_unlock(&f->lock);
	return rc;
}

static void build_log(struct mce_log *m, const struct mce_event *ev)
{
	memset(m, 0, sizeof(*m));
	m->saved_r3 = cpu_to_be64(ev->r3);
	m->version = ELOG_VERSION_6;
	m->byte1 = ELOG_BYTE1;
	m->byte2 = ELOG_MEMORY_MEMORY;
	m->ext_length = cpu_to_be32((uint32_t)(sizeof(*m) - 16));
	m->ext_byte0 = EXT_BYTE0;
	m->ext_byte2 = EXT_BYTE2;
	m->company_id = cpu_to_be32(EXT_COMPANY_IBM);
	m->sect_id = cpu_to_be16(SECT_ID_MC);
	m->sect_length = cpu_to_be16((uint16_t)(sizeof(*m) - 32));
	m->sect_version = 1;
	m->proc_id = cpu_to_be32(ev->vcpu);
	m->error_type = MC_ERROR_TYPE_UE;
	m->sub_err_type = UE_EA_PROVIDED | UE_LA_PROVIDED |
			  (ev->kind == MCE_IFETCH ? UE_IFETCH : UE_LOAD_STORE);
	m->effective_address = cpu_to_be64(ev->ea);
	m->logical_address = cpu_to_be64(ev->gra);
}

bool mce_deliver(struct fwnmi *f, const struct gmem *g,
		 const struct mce_event *ev, uint64_t *entry, uint64_t *log)
{
	struct mce_log m;
	bool ok = false;

	build_log(&m, ev);
	spin_lock(&f->lock);
	if (f->mce_addr && f->owner == MCE_NO_OWNER &&
	    gmem_write(g, f->log_gpa, &m, sizeof(m))) {
		f->owner = ev->vcpu;
		*entry = f->mce_addr;
		*log = f->log_gpa;
		ok = true;
	}
	spin_unlock(&f->lock);
	return ok;
}

uint64_t mce_sreset_vector(struct fwnmi *f)
{
	uint64_t v;

	spin_lock(&f->lock);
	v = f->sreset_addr ? f->sreset_addr : 0x100;
	spin_unlock(&f->lock);
	return v;
}
