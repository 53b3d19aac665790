/*
 * The hcall dispatcher and the generic hcalls (LoPAR "Hypervisor Call
 * Function Table"; return codes as QEMU 7.2 hw/ppc/spapr_hcall.c gives
 * them, plus the ownership checks QEMU skips).  Every hcall is registered
 * by an HCALL() row next to its handler, here or in the device's own file;
 * hcall_init() sorts the rows into hcall_table at boot.  Guest errors are
 * answered and counted, never printed.
 */
#include "hv/abi/vpa.h"
#include "hv/cpu.h"
#include "hv/guest.h"
#include "hv/hcall.h"
#include "hv/hv.h"
#include "hv/io.h"
#include "hv/lib/string.h"
#include "hv/lpar_ops.h"
#include "hv/panic.h"
#include "hv/profile.h"
#include "hv/regs.h"
#include "hv/spr.h"
#include "mm/radix.h"

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
		/*
		 * Only AIL 0 and 3, on every host.  AIL 1 is reserved, and 2
		 * on Power10; on POWER9, AIL 2 would also relocate the
		 * hypervisor interrupts a guest with its MMU on causes (LPCR
		 * HR=1) to 0x18000 + vector with translation on, where
		 * lparvisor has no handler (boot/vectors.S handles AIL 3's
		 * 0xc000000000004000 only).  KVM-HV never lets AIL 2 reach
		 * LPCR either (kvmppc_filter_guest_lpcr_hv); H_UNSUPPORTED_FLAG
		 * (-256) is QEMU's code for the AIL values it refuses.
		 */
		if (mflags != 0 && mflags != 3) {
			return H_UNSUPPORTED_FLAG_START;
		}
		l->lpcr = (l->lpcr & ~LPCR_AIL_MASK) | (mflags << 23);
		return H_SUCCESS;
	default:
		return H_P2;
	}
}
HCALL(H_SET_MODE, h_set_mode, 0, "hcall-set-mode", HCALL_INTC_ANY,
      "partial: LE, and AIL 0 or 3 only (2 refused on every host); "
      "CIABR/DAWR answer H_P2");

/* H_REGISTER_PROC_TBL (QEMU h_register_process_table): no mode change. */
static int64_t h_register_proc_tbl(struct vcpu *vc, struct hcall_args *a)
{
	struct lpar *l = vc->lpar;
	uint64_t flags = a->arg[0], base = a->arg[1];
	uint64_t page_size = a->arg[2], table_size = a->arg[3];

	if (flags & ~0x1full) {
		return H_PARAMETER;
	}
	if (!(flags & PROC_TABLE_MODIFY)) {
		/* "Keep current": fine only for the partition's own type. */
		return !(flags & PROC_TABLE_RADIX) == !!l->hpt ? H_SUCCESS :
								 H_PARAMETER;
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
		/*
		 * QEMU's checks for a hash guest; then a hash partition keeps
		 * its table (no process table to record: HPT_SLB), and a radix
		 * one cannot change its MMU mode.
		 */
		if (base >> 38) {
			return H_P2;
		}
		if (page_size > 7) {
			return H_P3;
		}
		if (table_size > 24) {
			return H_P4;
		}
		return l->hpt ? H_SUCCESS : H_PARAMETER;
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
	if (l->hpt) {
		return H_PARAMETER; /* a hash partition cannot turn radix */
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
HCALL(H_REGISTER_PROC_TBL, h_register_proc_tbl, 0, HCALL_NO_SET,
      HCALL_INTC_ANY, "partial: radix, and hash without a process table");

static int64_t h_cede(struct vcpu *vc, struct hcall_args *a)
{
	(void)a;
	return guest_cede(vc, vc->frame);
}
HCALL(H_CEDE, h_cede, 0, "hcall-splpar", HCALL_INTC_ANY, "done");

static int64_t h_prod(struct vcpu *vc, struct hcall_args *a)
{
	struct vcpu *t = lpar_vcpu(vc->lpar, a->arg[0]);

	if (!t) {
		return H_PARAMETER;
	}
	vcpu_prod(t);
	return H_SUCCESS;
}
HCALL(H_PROD, h_prod, 0, "hcall-splpar", HCALL_INTC_ANY, "done");

static int64_t h_confer(struct vcpu *vc, struct hcall_args *a)
{
	int64_t target = (int64_t)a->arg[0];

	/* Dedicated cores: nobody to yield to.  -1 means "all". */
	if (target != -1 && !lpar_vcpu(vc->lpar, (uint64_t)target)) {
		return H_PARAMETER;
	}
	return H_SUCCESS;
}
HCALL(H_CONFER, h_confer, 0, "hcall-splpar", HCALL_INTC_ANY,
      "done (dedicated cores: returns at once)");

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
	uint8_t flag = 0; /* read below; owned, checked just before */
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
			/* The count first: hv/vpa.c reads dtl, then the count. */
			__atomic_store_n(&t->dtl_entries,
					 size / (uint32_t)sizeof(struct dtl_entry),
					 __ATOMIC_RELEASE);
			__atomic_store_n(&t->dtl, addr, __ATOMIC_RELEASE);
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
HCALL(H_REGISTER_VPA, h_register_vpa, 0, "hcall-splpar", HCALL_INTC_ANY,
      "done (yield count and DTL kept across H_CEDE)");

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
HCALL(H_GET_CPU_CHARACTERISTICS, h_get_cpu_characteristics, 2, HCALL_NO_SET,
      HCALL_INTC_ANY, "done");

/*
 * POWER8 and later have no DABR: QEMU answers H_HARDWARE.  H_SET_DABR is
 * the benchmark's null hcall; boot/vectors.S hcall_fast answers it the
 * same way without building a frame (keep the two alike).
 */
static int64_t h_set_dabr(struct vcpu *vc, struct hcall_args *a)
{
	(void)vc;
	(void)a;
	return H_HARDWARE;
}
HCALL(H_SET_DABR, h_set_dabr, 0, "hcall-dabr", HCALL_INTC_ANY,
      "done (H_HARDWARE: no DABR on POWER8+)");
HCALL(H_SET_XDABR, h_set_dabr, 0, "hcall-xdabr", HCALL_INTC_ANY,
      "done (H_HARDWARE: no DABR on POWER8+)");

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
		gmem_touch(&l->mem, src, SZ_4K);
		gmem_touch(&l->mem, dst, SZ_4K);
		memmove(gmem_ptr(&l->mem, dst), gmem_ptr(&l->mem, src), SZ_4K);
	} else if (flags & H_ZERO_PAGE) {
		gmem_touch(&l->mem, dst, SZ_4K);
		memset(gmem_ptr(&l->mem, dst), 0, SZ_4K);
	}
	return H_SUCCESS;
}
HCALL(H_PAGE_INIT, h_page_init, 0, "hcall-copy", HCALL_INTC_ANY, "done");

/*
 * H_LOGICAL_CI_LOAD/STORE: QEMU's real-mode MMIO (SLOF's PCI drivers use
 * them).  1, 2, 4 or 8 bytes, naturally aligned, big-endian like a device
 * register: in the partition's own memory, or in a device page mapped
 * into it (lpar_map_io(): the BARs of its passed-through PHBs, its XIVE
 * pages), reached cache-inhibited at the host address the partition's
 * own partition-scoped table gives.  Anything else is H_PARAMETER.
 */
static int64_t ci_check(struct lpar *l, uint64_t size, uint64_t addr,
			uint64_t *io)
{
	*io = 0;
	if (size != 1 && size != 2 && size != 4 && size != 8) {
		return H_PARAMETER;
	}
	if (addr & (size - 1)) {
		return H_PARAMETER;
	}
	if (gmem_owns(&l->mem, addr, size)) {
		return H_SUCCESS;
	}
	/* Outside memory, only device pages are mapped (never a page of
	 * another partition's memory or of lparvisor's). */
	if (addr >= l->mem.size && radix_translate(&l->radix, addr, io) &&
	    *io) {
		return H_SUCCESS;
	}
	*io = 0;
	return H_PARAMETER;
}

static uint64_t ci_io_load(uint64_t io, uint64_t size)
{
	switch (size) {
	case 1:
		return io_ld8(io);
	case 2:
		return io_ld16(io);
	case 4:
		return io_ld32(io);
	default:
		return io_ld64(io);
	}
}

static void ci_io_store(uint64_t io, uint64_t size, uint64_t v)
{
	switch (size) {
	case 1:
		io_st8(io, (uint8_t)v);
		break;
	case 2:
		io_st16(io, (uint16_t)v);
		break;
	case 4:
		io_st32(io, (uint32_t)v);
		break;
	default:
		io_st64(io, v);
		break;
	}
}

static int64_t h_logical_ci_load(struct vcpu *vc, struct hcall_args *a)
{
	struct lpar *l = vc->lpar;
	uint64_t size = a->arg[0], addr = a->arg[1], io;
	uint8_t buf[8];
	uint64_t v = 0;
	int64_t rc = ci_check(l, size, addr, &io);

	if (rc) {
		return rc;
	}
	if (io) {
		v = ci_io_load(io, size);
	} else {
		gmem_read(&l->mem, addr, buf, size);
		for (uint64_t i = 0; i < size; i++) {
			v = (v << 8) | buf[i]; /* big-endian, as a register */
		}
	}
	a->ret[0] = v;
	a->ret_count = 1;
	return H_SUCCESS;
}
HCALL(H_LOGICAL_CI_LOAD, h_logical_ci_load, 1, "hcall-debug", HCALL_INTC_ANY,
      "done (own memory and its device pages: passed-through BARs, XIVE)");

static int64_t h_logical_ci_store(struct vcpu *vc, struct hcall_args *a)
{
	struct lpar *l = vc->lpar;
	uint64_t size = a->arg[0], addr = a->arg[1], v = a->arg[2], io;
	uint8_t buf[8];
	int64_t rc = ci_check(l, size, addr, &io);

	if (rc) {
		return rc;
	}
	if (io) {
		ci_io_store(io, size, v);
		return H_SUCCESS;
	}
	for (uint64_t i = 0; i < size; i++) {
		buf[size - 1 - i] = (uint8_t)(v >> (8 * i));
	}
	gmem_write(&l->mem, addr, buf, size);
	return H_SUCCESS;
}
HCALL(H_LOGICAL_CI_STORE, h_logical_ci_store, 0, "hcall-debug",
      HCALL_INTC_ANY,
      "done (own memory and its device pages: passed-through BARs, XIVE)");

/* The guest's SPRG0 is live on this thread while its exit is handled. */
static int64_t h_set_sprg0(struct vcpu *vc, struct hcall_args *a)
{
	(void)vc;
	mtspr(SPRN_SPRG0, a->arg[0]);
	return H_SUCCESS;
}
/* QEMU advertises hcall-sprg0; lparvisor never has (kept as it was). */
HCALL(H_SET_SPRG0, h_set_sprg0, 0, HCALL_NO_SET, HCALL_INTC_ANY, "done");

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
		vcpu_signal_reset(t);
		return H_SUCCESS;
	}
	if (target != -1 && target != -2) {
		return H_PARAMETER;
	}
	for (uint32_t i = 0; i < l->vcpu_count; i++) {
		if (target == -2 && l->vcpus[i] == vc) {
			continue;
		}
		vcpu_signal_reset(l->vcpus[i]);
	}
	return H_SUCCESS;
}
HCALL(H_SIGNAL_SYS_RESET, h_signal_sys_reset, 0, HCALL_NO_SET, HCALL_INTC_ANY,
      "done (delivered at the target's next exit)");


/* --- the table ----------------------------------------------------------- */

/* The rows of every file, between symbols the linker defines. */
extern const struct hcall_entry __start_hcall_rows[];
extern const struct hcall_entry __stop_hcall_rows[];

struct hcall_entry hcall_table[HCALL_TABLE_MAX];
uint32_t hcall_table_len;

_Static_assert(HCALL_TABLE_MAX <= PROF_HCALL_OTHER,
	       "every hcall row needs its own exit-profile slot");
_Static_assert(HCALL_INTC_XICS == CONFIG_INTC_XICS + 1 &&
	       HCALL_INTC_XIVE == CONFIG_INTC_XIVE + 1,
	       "hcall_dispatch() maps a partition's intc to a row's this way");
_Static_assert(sizeof(struct hcall_entry) % 8 == 0,
	       "rows are 8-aligned in hcall_rows: no padding between them");

enum hcall_build_result hcall_table_build(const struct hcall_entry *rows,
					  size_t n, struct hcall_entry *out,
					  uint32_t max, uint32_t *count,
					  const struct hcall_entry **dup_a,
					  const struct hcall_entry **dup_b)
{
	/* Where each sorted entry came from, to name both of a duplicate. */
	const struct hcall_entry *from[HCALL_TABLE_MAX];
	uint32_t len = 0;

	*count = 0;
	if (n > max || max > HCALL_TABLE_MAX) {
		return HCALL_BUILD_TOO_MANY;
	}
	/* Insertion sort: a few dozen rows, once per boot. */
	for (size_t i = 0; i < n; i++) {
		const struct hcall_entry *r = &rows[i];
		uint32_t at = len;

		if (!r->fn || !r->name || !r->fn_name || !r->status) {
			*dup_a = r;
			return HCALL_BUILD_BAD_ROW;
		}
		while (at > 0 && out[at - 1].nr > r->nr) {
			at--;
		}
		if (at > 0 && out[at - 1].nr == r->nr) {
			*dup_a = from[at - 1];
			*dup_b = r;
			return HCALL_BUILD_DUPLICATE;
		}
		memmove(&out[at + 1], &out[at], (len - at) * sizeof(out[0]));
		memmove(&from[at + 1], &from[at], (len - at) * sizeof(from[0]));
		out[at] = *r;
		from[at] = r;
		len++;
	}
	*count = len;
	return HCALL_BUILD_OK;
}

/*
 * hcall_table's index + 1 (0: none) of every PAPR number / 4, and of
 * QEMU's KVMPPC_H_RTAS .. KVMPPC_H_VOF_CLIENT, the rows HCALL_NR_OK()
 * allows above PAPR's range.
 */
#define KVMPPC_SLOTS (KVMPPC_H_VOF_CLIENT - KVMPPC_H_RTAS + 1)
static uint8_t slot_of_papr[H_LAST_PAPR / 4 + 1];
static uint8_t slot_of_kvmppc[KVMPPC_SLOTS];

_Static_assert(HCALL_TABLE_MAX < 255, "slots fit a byte, with 0 for none");

static void index_table(void)
{
	for (uint32_t i = 0; i < hcall_table_len; i++) {
		uint64_t nr = hcall_table[i].nr;

		if (nr <= H_LAST_PAPR) {
			slot_of_papr[nr >> 2] = (uint8_t)(i + 1);
		} else if (nr >= KVMPPC_H_RTAS &&
			   nr - KVMPPC_H_RTAS < KVMPPC_SLOTS) {
			slot_of_kvmppc[nr - KVMPPC_H_RTAS] = (uint8_t)(i + 1);
		} else {
			panic("hcall row 0x%llx in %s: no slot for it in "
			      "hcall_lookup()", (unsigned long long)nr,
			      hcall_table[i].file);
		}
	}
}

void hcall_init(void)
{
	const struct hcall_entry *a = NULL, *b = NULL;
	size_t n = (size_t)(__stop_hcall_rows - __start_hcall_rows);

	switch (hcall_table_build(__start_hcall_rows, n, hcall_table,
				  HCALL_TABLE_MAX, &hcall_table_len, &a, &b)) {
	case HCALL_BUILD_OK:
		index_table();
		return;
	case HCALL_BUILD_DUPLICATE:
		panic("hcall 0x%llx registered twice: %s by %s (%s) and %s by "
		      "%s (%s)", (unsigned long long)a->nr, a->name,
		      a->fn_name, a->file, b->name, b->fn_name, b->file);
	case HCALL_BUILD_BAD_ROW:
		panic("hcall row 0x%llx in %s: no handler, name or status",
		      (unsigned long long)a->nr, a->file);
	default:
		panic("%zu hcall rows: the table holds %u (HCALL_TABLE_MAX)",
		      n, HCALL_TABLE_MAX);
	}
}

const struct hcall_entry *hcall_lookup(uint64_t nr)
{
	uint32_t i;

	/* One load for any number: no search on the null-hcall path. */
	if (nr <= H_LAST_PAPR) {
		i = nr & 3 ? 0 : slot_of_papr[nr >> 2];
	} else if (nr >= KVMPPC_H_RTAS && nr - KVMPPC_H_RTAS < KVMPPC_SLOTS) {
		i = slot_of_kvmppc[nr - KVMPPC_H_RTAS];
	} else {
		return NULL;
	}
	return i ? &hcall_table[i - 1] : NULL;
}

/*
 * The function sets in the order QEMU 7.2 lists them (hcall-xdabr, which
 * QEMU leaves out, beside hcall-dabr), so that a guest sees the list it
 * always saw.  Sets a row names and this list does not follow in number
 * order: a new device adds its rows, not a line here.
 */
static const char *const set_order[] = {
	"hcall-pft", "hcall-term", "hcall-dabr", "hcall-xdabr",
	"hcall-interrupt", "hcall-tce", "hcall-vio", "hcall-splpar",
	"hcall-join", "hcall-bulk", "hcall-set-mode", "hcall-sprg0",
	"hcall-copy", "hcall-debug", "hcall-vphn", "hcall-multi-tce",
	"hcall-hpt-resize", "hcall-watchdog",
};

/* Append `set` to buf once; false when it does not fit. */
static bool add_set(char *buf, size_t size, size_t *len, const char *set)
{
	size_t n = strlen(set) + 1;

	for (size_t at = 0; at < *len; at += strlen(buf + at) + 1) {
		if (!strcmp(buf + at, set)) {
			return true;
		}
	}
	if (*len + n > size) {
		return false;
	}
	memcpy(buf + *len, set, n);
	*len += n;
	return true;
}

static bool set_used(const char *set)
{
	for (uint32_t i = 0; i < hcall_table_len; i++) {
		if (hcall_table[i].set && !strcmp(hcall_table[i].set, set)) {
			return true;
		}
	}
	return false;
}

size_t hcall_hypertas(char *buf, size_t size)
{
	size_t len = 0;

	for (size_t i = 0; i < ARRAY_SIZE(set_order); i++) {
		if (set_used(set_order[i]) &&
		    !add_set(buf, size, &len, set_order[i])) {
			return 0;
		}
	}
	for (uint32_t i = 0; i < hcall_table_len; i++) {
		if (hcall_table[i].set &&
		    !add_set(buf, size, &len, hcall_table[i].set)) {
			return 0;
		}
	}
	return len;
}

int64_t hcall_dispatch(struct vcpu *vc, uint64_t msr, struct hcall_args *a)
{
	const struct hcall_entry *e;
	int64_t rc;

	vc->prof.hcall_slot = PROF_HCALL_OTHER;
	a->ret_count = 0; /* every path: the caller copies ret_count values */
	if (msr & MSR_PR) {
		vc->lpar->bad_hcalls++;
		return H_PRIVILEGE;
	}
	e = hcall_lookup(a->nr);
	if (!e) {
		vc->lpar->bad_hcalls++;
		return H_FUNCTION;
	}
	vc->prof.hcall_slot = (uint32_t)(e - hcall_table);
	/* The other interrupt controller's hcalls: H_FUNCTION, as QEMU. */
	if (e->intc && e->intc != vc->lpar->cfg.intc + 1) {
		vc->lpar->bad_hcalls++;
		return H_FUNCTION;
	}
	rc = e->fn(vc, a);
	if (rc < 0) {
		vc->lpar->bad_hcalls++;
	}
	return rc;
}
