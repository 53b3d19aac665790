/*
 * The hypercall table and the generic hcalls (LoPAR "Hypervisor Call
 * Function Table"; return codes as QEMU 7.2 hw/ppc/spapr_hcall.c gives
 * them, plus the ownership checks QEMU skips).  Guest errors are answered
 * and counted, never printed.
 */
#include "hv/cpu.h"
#include "hv/guest.h"
#include "hv/hcall.h"
#include "hv/hv.h"
#include "hv/lpar_ops.h"
#include "hv/regs.h"
#include "hv/spr.h"
#include "hv/watchdog.h"
#include "intc/intc.h"
#include "rtas/rtas.h"
#include "vio/vty.h"

#define VPA_MIN_SIZE 640
#define DTL_MIN_SIZE 48
#define SLB_MIN_SIZE 8
#define CACHE_LINE 128

/* H_SET_MODE (QEMU h_set_mode_resource_le / _addr_trans_mode). */
static int64_t h_set_mode(struct vcpu *vc, struct hcall_args *a)
{
	struct lpar *l = vc->lpar;
	uint64_t mflags = a->arg[0], resource = a->arg[1];

	switch (resource) {
	case H_SET_MODE_RESOURCE_LE:
		if (a->arg[2]) {
			return H_P3;
		}
		if (a->arg[3]) {
			return H_P4;
		}
		if (mflags == 0) {
			l->lpcr &= ~LPCR_ILE;
		} else if (mflags == 1) {
			l->lpcr |= LPCR_ILE;
		} else {
			return H_UNSUPPORTED_FLAG_START;
		}
		return H_SUCCESS;
	case H_SET_MODE_RESOURCE_ADDR_TRANS_MODE:
		if (a->arg[2]) {
			return H_P3;
		}
		if (a->arg[3]) {
			return H_P4;
		}
		/* AIL 1 is reserved; 2 too on Power10 (QEMU 7.2). */
		if (mflags == 1 ||
		    (mflags == 2 && hv_machine.family == CPU_POWER10)) {
			return H_UNSUPPORTED_FLAG_START;
		}
		if (mflags > 3) {
			return H_UNSUPPORTED_FLAG_START;
		}
		l->lpcr = (l->lpcr & ~LPCR_AIL_MASK) | (mflags << 23);
		return H_SUCCESS;
	default:
		return H_P2;
	}
}

/* H_REGISTER_PROC_TBL (QEMU h_register_process_table), radix only. */
static int64_t h_register_proc_tbl(struct vcpu *vc, struct hcall_args *a)
{
	struct lpar *l = vc->lpar;
	uint64_t flags = a->arg[0], base = a->arg[1];
	uint64_t page_size = a->arg[2], table_size = a->arg[3];

	if (flags & ~0x1full) {
		return H_PARAMETER;
	}
	if (!(flags & PROC_TABLE_MODIFY)) {
		/* "Keep current": fine only for the partition's type, radix. */
		return (flags & PROC_TABLE_RADIX) ? H_SUCCESS : H_PARAMETER;
	}
	if ((flags & PROC_TABLE_OP_MASK) == PROC_TABLE_DEREG) {
		l->pate1 = 0;
		lpar_set_pate(l);
		return H_SUCCESS;
	}
	if ((flags & PROC_TABLE_OP_MASK) != PROC_TABLE_NEW ||
	    (flags & PROC_TABLE_TYPE_MASK) == PROC_TABLE_HPT_PT) {
		return H_PARAMETER; /* hash with a process table: as QEMU */
	}
	if (!(flags & PROC_TABLE_RADIX)) {
		/* QEMU's checks for a hash guest, then: hash is not built yet. */
		if (base >> 38) {
			return H_P2;
		}
		if (page_size > 7) {
			return H_P3;
		}
		if (table_size > 24) {
			return H_P4;
		}
		return H_PARAMETER;
	}
	if (base & 0xfff || base >> 60) {
		return H_P2;
	}
	if (page_size) {
		return H_P3;
	}
	if (table_size > 24) {
		return H_P4;
	}
	if (!gmem_owns(&l->mem, base, 1ull << (table_size + 12))) {
		return H_P2;
	}
	l->pate1 = base | table_size;
	if (flags & PROC_TABLE_GTSE) {
		l->lpcr |= LPCR_GTSE;
	} else {
		l->lpcr &= ~LPCR_GTSE;
	}
	lpar_set_pate(l);
	return H_SUCCESS;
}

static int64_t h_cede(struct vcpu *vc, struct hcall_args *a)
{
	(void)a;
	return guest_cede(vc, vc->frame);
}

static int64_t h_prod(struct vcpu *vc, struct hcall_args *a)
{
	struct vcpu *t = lpar_vcpu(vc->lpar, a->arg[0]);

	if (!t) {
		return H_PARAMETER;
	}
	__atomic_store_n(&t->prod, 1, __ATOMIC_RELEASE);
	guest_kick(t);
	return H_SUCCESS;
}

static int64_t h_confer(struct vcpu *vc, struct hcall_args *a)
{
	int64_t target = (int64_t)a->arg[0];

	/* Dedicated cores: nobody to yield to.  -1 means "all". */
	if (target != -1 && !lpar_vcpu(vc->lpar, (uint64_t)target)) {
		return H_PARAMETER;
	}
	return H_SUCCESS;
}

static int64_t check_area(struct lpar *l, uint64_t addr, uint32_t min,
			  uint32_t *size_out)
{
	be32 raw;
	uint32_t size;

	if (addr & (CACHE_LINE - 1) || !gmem_read(&l->mem, addr + 4, &raw, 4)) {
		return H_PARAMETER;
	}
	size = be32_to_cpu(raw);
	/* VPA size is a be16 at offset 4; DTL and SLB shadow a be32. */
	*size_out = size;
	if (size < min || !gmem_owns(&l->mem, addr, size)) {
		return H_PARAMETER;
	}
	return H_SUCCESS;
}

#define VPA_SHARED_PROC_BYTE 9
#define VPA_SHARED_PROC_BIT 0x02

static int64_t register_vpa(struct lpar *l, struct vcpu *t, uint64_t addr)
{
	uint8_t flag;
	be16 raw;
	uint16_t size;

	if (addr == 0) {
		return H_HARDWARE; /* as QEMU: logical 0 is refused */
	}
	if (addr & (CACHE_LINE - 1) || !gmem_read(&l->mem, addr + 4, &raw, 2)) {
		return H_PARAMETER;
	}
	size = be16_to_cpu(raw);
	if (size < VPA_MIN_SIZE) {
		return H_PARAMETER;
	}
	/* The VPA may not cross a 4 KiB boundary. */
	if ((addr & 0xfff) + size > 0x1000 || !gmem_owns(&l->mem, addr, size)) {
		return H_PARAMETER;
	}
	/*
	 * QEMU marks every vCPU a shared processor; guests see the same here
	 * although cores are dedicated (Linux then only adds H_CONFER calls,
	 * which return at once).
	 */
	gmem_read(&l->mem, addr + VPA_SHARED_PROC_BYTE, &flag, 1);
	flag |= VPA_SHARED_PROC_BIT;
	gmem_write(&l->mem, addr + VPA_SHARED_PROC_BYTE, &flag, 1);
	t->vpa = addr;
	return H_SUCCESS;
}

/* H_REGISTER_VPA (QEMU h_register_vpa), with bounds checks on every area. */
static int64_t h_register_vpa(struct vcpu *vc, struct hcall_args *a)
{
	struct lpar *l = vc->lpar;
	uint64_t func = (a->arg[0] >> H_VPA_FUNC_SHIFT) & H_VPA_FUNC_MASK;
	struct vcpu *t = lpar_vcpu(l, a->arg[1]);
	uint64_t addr = a->arg[2];
	uint32_t size;
	int64_t rc;

	if (a->arg[0] & ~(H_VPA_FUNC_MASK << H_VPA_FUNC_SHIFT) || !t) {
		return H_PARAMETER;
	}
	switch (func) {
	case H_VPA_REG_VPA:
		return register_vpa(l, t, addr);
	case H_VPA_REG_DTL:
	case H_VPA_REG_SLB:
		/* QEMU's order: address 0, the area itself, then the VPA. */
		if (addr == 0) {
			return H_HARDWARE;
		}
		rc = check_area(l, addr, func == H_VPA_REG_DTL ? DTL_MIN_SIZE :
								  SLB_MIN_SIZE,
				&size);
		if (rc) {
			return rc;
		}
		if (func == H_VPA_REG_SLB && (addr & 0xfff) + size > 0x1000) {
			return H_PARAMETER; /* the SLB shadow may not cross a page */
		}
		if (!t->vpa) {
			return H_RESOURCE;
		}
		if (func == H_VPA_REG_DTL) {
			t->dtl = addr;
		} else {
			t->slb_shadow = addr;
		}
		return H_SUCCESS;
	case H_VPA_DEREG_VPA:
		if (t->dtl || t->slb_shadow) {
			return H_RESOURCE;
		}
		t->vpa = 0;
		return H_SUCCESS;
	case H_VPA_DEREG_DTL:
		t->dtl = 0;
		return H_SUCCESS;
	case H_VPA_DEREG_SLB:
		t->slb_shadow = 0;
		return H_SUCCESS;
	default:
		return H_PARAMETER;
	}
}

/* H_RANDOM from the hardware RNG (darn, ISA 3.0). */
static int64_t h_random(struct vcpu *vc, struct hcall_args *a)
{
	uint64_t v;

	(void)vc;
	for (int tries = 0; tries < 16; tries++) {
		v = darn();
		if (v != ~0ull) {
			a->ret[0] = v;
			a->ret_count = 1;
			return H_SUCCESS;
		}
	}
	return H_HARDWARE;
}

/* H_GET_CPU_CHARACTERISTICS: the safe answer, as QEMU's default caps. */
static int64_t h_get_cpu_characteristics(struct vcpu *vc, struct hcall_args *a)
{
	(void)vc;
	/*
	 * No mitigation assist is claimed, and the guest is told to flush
	 * L1D on return to user and to use the bounds-check barrier, as
	 * QEMU does for every cap value but "fixed": the cores are real.
	 */
	a->ret[0] = 0;
	a->ret[1] = H_CPU_BEHAV_FAVOUR_SECURITY | H_CPU_BEHAV_L1D_FLUSH_PR |
		    H_CPU_BEHAV_BNDS_CHK_SPEC_BAR;
	a->ret_count = 2;
	return H_SUCCESS;
}

/* POWER8 and later have no DABR: QEMU answers H_HARDWARE. */
static int64_t h_set_dabr(struct vcpu *vc, struct hcall_args *a)
{
	(void)vc;
	(void)a;
	return H_HARDWARE;
}

static int64_t h_page_init(struct vcpu *vc, struct hcall_args *a)
{
	struct lpar *l = vc->lpar;
	uint64_t flags = a->arg[0], dst = a->arg[1], src = a->arg[2];
	const uint64_t known = H_ICACHE_INVALIDATE | H_ICACHE_SYNCHRONIZE |
			       H_ZERO_PAGE | H_COPY_PAGE;

	if (flags & ~known) {
		return H_PARAMETER;
	}
	if (dst & 0xfff || !gmem_owns(&l->mem, dst, SZ_4K)) {
		return H_PARAMETER;
	}
	if (flags & H_COPY_PAGE) {
		if (src & 0xfff || !gmem_owns(&l->mem, src, SZ_4K)) {
			return H_PARAMETER;
		}
		memmove(gmem_ptr(&l->mem, dst), gmem_ptr(&l->mem, src), SZ_4K);
	} else if (flags & H_ZERO_PAGE) {
		memset(gmem_ptr(&l->mem, dst), 0, SZ_4K);
	}
	return H_SUCCESS;
}

/*
 * H_LOGICAL_CI_LOAD/STORE: QEMU uses them for MMIO from real mode.  A
 * partition has no MMIO yet, so only its own memory is reachable.
 */
static int64_t ci_check(struct lpar *l, uint64_t size, uint64_t addr)
{
	if (size != 1 && size != 2 && size != 4 && size != 8) {
		return H_PARAMETER;
	}
	if (addr & (size - 1) || !gmem_owns(&l->mem, addr, size)) {
		return H_PARAMETER;
	}
	return H_SUCCESS;
}

static int64_t h_logical_ci_load(struct vcpu *vc, struct hcall_args *a)
{
	struct lpar *l = vc->lpar;
	uint64_t size = a->arg[0], addr = a->arg[1];
	uint8_t buf[8];
	uint64_t v = 0;
	int64_t rc = ci_check(l, size, addr);

	if (rc) {
		return rc;
	}
	gmem_read(&l->mem, addr, buf, size);
	for (uint64_t i = 0; i < size; i++) {
		v = (v << 8) | buf[i]; /* big-endian, like an MMIO register */
	}
	a->ret[0] = v;
	a->ret_count = 1;
	return H_SUCCESS;
}

static int64_t h_logical_ci_store(struct vcpu *vc, struct hcall_args *a)
{
	struct lpar *l = vc->lpar;
	uint64_t size = a->arg[0], addr = a->arg[1], v = a->arg[2];
	uint8_t buf[8];
	int64_t rc = ci_check(l, size, addr);

	if (rc) {
		return rc;
	}
	for (uint64_t i = 0; i < size; i++) {
		buf[size - 1 - i] = (uint8_t)(v >> (8 * i));
	}
	gmem_write(&l->mem, addr, buf, size);
	return H_SUCCESS;
}

/* The guest's SPRG0 is live on this thread while its exit is handled. */
static int64_t h_set_sprg0(struct vcpu *vc, struct hcall_args *a)
{
	(void)vc;
	mtspr(SPRN_SPRG0, a->arg[0]);
	return H_SUCCESS;
}

/* H_SIGNAL_SYS_RESET: -1 every vCPU, -2 every other one, else one vCPU. */
static int64_t h_signal_sys_reset(struct vcpu *vc, struct hcall_args *a)
{
	struct lpar *l = vc->lpar;
	int64_t target = (int64_t)a->arg[0];

	if (target >= 0) {
		struct vcpu *t = lpar_vcpu(l, (uint64_t)target);

		if (!t) {
			return H_PARAMETER;
		}
		__atomic_store_n(&t->sreset, 1, __ATOMIC_RELEASE);
		guest_kick(t);
		return H_SUCCESS;
	}
	if (target != -1 && target != -2) {
		return H_PARAMETER;
	}
	for (uint32_t i = 0; i < l->vcpu_count; i++) {
		if (target == -2 && l->vcpus[i] == vc) {
			continue;
		}
		__atomic_store_n(&l->vcpus[i]->sreset, 1, __ATOMIC_RELEASE);
		guest_kick(l->vcpus[i]);
	}
	return H_SUCCESS;
}

static int64_t h_intc(struct vcpu *vc, struct hcall_args *a)
{
	return intc_hcall(vc, a);
}

/* Sorted by number; docs/hcalls.md is generated from this table. */
const struct hcall_entry hcall_table[] = {
	{ H_SET_SPRG0, "H_SET_SPRG0", h_set_sprg0, 0, "done" },
	{ H_SET_DABR, "H_SET_DABR", h_set_dabr, 0, "done (H_HARDWARE: no DABR on POWER8+)" },
	{ H_PAGE_INIT, "H_PAGE_INIT", h_page_init, 0, "done" },
	{ H_LOGICAL_CI_LOAD, "H_LOGICAL_CI_LOAD", h_logical_ci_load, 1, "partial: own memory only, no MMIO yet" },
	{ H_LOGICAL_CI_STORE, "H_LOGICAL_CI_STORE", h_logical_ci_store, 0, "partial: own memory only, no MMIO yet" },
	{ H_GET_TERM_CHAR, "H_GET_TERM_CHAR", h_get_term_char, 3, "done" },
	{ H_PUT_TERM_CHAR, "H_PUT_TERM_CHAR", h_put_term_char, 0, "done" },
	{ H_EOI, "H_EOI", h_intc, 0, "done (XICS)" },
	{ H_CPPR, "H_CPPR", h_intc, 0, "done (XICS)" },
	{ H_IPI, "H_IPI", h_intc, 0, "done (XICS)" },
	{ H_IPOLL, "H_IPOLL", h_intc, 2, "done (XICS)" },
	{ H_XIRR, "H_XIRR", h_intc, 1, "done (XICS)" },
	{ H_REGISTER_VPA, "H_REGISTER_VPA", h_register_vpa, 0, "done" },
	{ H_CEDE, "H_CEDE", h_cede, 0, "done" },
	{ H_CONFER, "H_CONFER", h_confer, 0, "done (dedicated cores: returns at once)" },
	{ H_PROD, "H_PROD", h_prod, 0, "done" },
	{ H_VIO_SIGNAL, "H_VIO_SIGNAL", h_vio_signal, 0, "partial: the vty only" },
	{ H_SET_XDABR, "H_SET_XDABR", h_set_dabr, 0, "done (H_HARDWARE: no DABR on POWER8+)" },
	{ H_GET_CPU_CHARACTERISTICS, "H_GET_CPU_CHARACTERISTICS", h_get_cpu_characteristics, 2, "done" },
	{ H_XIRR_X, "H_XIRR_X", h_intc, 2, "done (XICS)" },
	{ H_RANDOM, "H_RANDOM", h_random, 1, "done (darn)" },
	{ H_SET_MODE, "H_SET_MODE", h_set_mode, 0, "partial: LE and AIL; CIABR/DAWR answer H_P2" },
	{ H_REGISTER_PROC_TBL, "H_REGISTER_PROC_TBL", h_register_proc_tbl, 0, "partial: radix only" },
	{ H_SIGNAL_SYS_RESET, "H_SIGNAL_SYS_RESET", h_signal_sys_reset, 0, "done (delivered at the target's next exit)" },
	{ H_INT_GET_SOURCE_INFO, "H_INT_GET_SOURCE_INFO", h_intc, 4, "done (XIVE partitions)" },
	{ H_INT_SET_SOURCE_CONFIG, "H_INT_SET_SOURCE_CONFIG", h_intc, 0, "done (XIVE partitions)" },
	{ H_INT_GET_SOURCE_CONFIG, "H_INT_GET_SOURCE_CONFIG", h_intc, 3, "done (XIVE partitions)" },
	{ H_INT_GET_QUEUE_INFO, "H_INT_GET_QUEUE_INFO", h_intc, 2, "partial: the notification page it reports is not mapped (as QEMU)" },
	{ H_INT_SET_QUEUE_CONFIG, "H_INT_SET_QUEUE_CONFIG", h_intc, 0, "done (XIVE partitions)" },
	{ H_INT_GET_QUEUE_CONFIG, "H_INT_GET_QUEUE_CONFIG", h_intc, 4, "done (XIVE partitions)" },
	{ H_INT_SET_OS_REPORTING_LINE, "H_INT_SET_OS_REPORTING_LINE", h_intc, 0, "H_FUNCTION, as QEMU" },
	{ H_INT_GET_OS_REPORTING_LINE, "H_INT_GET_OS_REPORTING_LINE", h_intc, 1, "H_FUNCTION, as QEMU" },
	{ H_INT_ESB, "H_INT_ESB", h_intc, 1, "done (XIVE partitions)" },
	{ H_INT_SYNC, "H_INT_SYNC", h_intc, 0, "done (XIVE partitions)" },
	{ H_INT_RESET, "H_INT_RESET", h_intc, 0, "done (XIVE partitions)" },
	{ H_WATCHDOG, "H_WATCHDOG", h_watchdog, 1, "done (4 watchdogs; expiry seen within a tick)" },
	{ KVMPPC_H_RTAS, "KVMPPC_H_RTAS", h_rtas, 0, "done (see the RTAS table)" },
};
const uint32_t hcall_table_len = ARRAY_SIZE(hcall_table);

const struct hcall_entry *hcall_lookup(uint64_t nr)
{
	uint32_t lo = 0, hi = hcall_table_len;

	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;

		if (hcall_table[mid].nr == nr) {
			return &hcall_table[mid];
		}
		if (hcall_table[mid].nr < nr) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return NULL;
}

int64_t hcall_dispatch(struct vcpu *vc, uint64_t msr, struct hcall_args *a)
{
	const struct hcall_entry *e;
	int64_t rc;

	vc->prof.hcall_slot = PROF_HCALL_OTHER;
	if (msr & MSR_PR) {
		vc->lpar->bad_hcalls++;
		return H_PRIVILEGE;
	}
	e = hcall_lookup(a->nr);
	if (!e) {
		vc->lpar->bad_hcalls++;
		return H_FUNCTION;
	}
	vc->prof.hcall_slot = MIN((uint32_t)(e - hcall_table), PROF_HCALL_OTHER);
	a->ret_count = 0;
	rc = e->fn(vc, a);
	if (rc < 0) {
		vc->lpar->bad_hcalls++;
	}
	return rc;
}
