/*
 * Partitions: creation from a checked configuration, boot from pristine
 * images, and the stop/restart life cycle.  Memory is one contiguous block
 * per partition, zeroed before every boot, mapped at guest real address 0
 * by partition-scoped radix tables; nothing else is mapped, so neither
 * lparvisor's memory nor another partition's is reachable from a guest.
 */
#include <libfdt.h>

#include "hv/abi/rtas.h"
#include "hv/console.h"
#include "hv/cpu.h"
#include "hv/guest.h"
#include "hv/guest_dt.h"
#include "hv/hcall.h"
#include "hv/hv.h"
#include "hv/lib/string.h"
#include "hv/loader.h"
#include "hv/options.h"
#include "hv/lpar_ops.h"
#include "hv/panic.h"
#include "hv/percpu.h"
#include "hv/platform.h"
#include "hv/profile.h"
#include "hv/unit.h"
#include "hv/vcpu.h"
#include "mm/hpt.h"
#include "mm/mem.h"

/* Partition table: 64 KiB, 4096 LPIDs (the only size POWER9 supports). */
#define PATB_SIZE SZ_64K
#define PATB_PATS 4
#define PRTB_SIZE SZ_4K

/* Guest real layout: FDT 2 MiB below the top, RTAS just below it. */
#define FDT_MAX LAYOUT_FDT_MAX
#define FDT_BELOW_TOP LAYOUT_FDT_BELOW_TOP

/*
 * The partition's RTAS code (slof/rtas.S, built into rtas_blob[]) placed
 * at rtas-base at every boot; the RTAS clock unit writes the clock it
 * reads (lpar_units_rtas_placed()).
 */
#include "rtas_blob.h"
_Static_assert(sizeof(rtas_blob) == GUEST_DT_RTAS_BLOB_SIZE,
	       "slof/rtas.S fills LAYOUT_RTAS_BLOB_SIZE bytes");

struct lpar *lpar_table[LPAR_MAX];
uint32_t lpar_count;

static be64 *patb; /* 16-byte entries: dw0, dw1 */
static volatile bool creating = true;
static uint32_t powering_off; /* set once: one thread powers the machine off */
/*
 * The service console's `shutdown` (lpar_machine_off()): 0 none, else
 * 1 + force.  Under way, no partition restarts or starts, partitions held
 * by the console do not keep the machine on, and a partition still
 * booting is told once it runs (lpar_machine_off_poll()).
 */
static volatile uint32_t machine_off;

static void power_off_if_all_stopped(void);

struct lpar *lpar_by_lpid(uint32_t lpid)
{
	for (uint32_t i = 0; i < lpar_count; i++) {
		if (lpar_table[i]->cfg.lpid == lpid) {
			return lpar_table[i];
		}
	}
	return NULL;
}

struct vcpu *lpar_vcpu(struct lpar *l, uint64_t id)
{
	return id < l->vcpu_count ? l->vcpus[id] : NULL;
}

static void *table_alloc(void *ctx, uint64_t size);
static void table_free(void *ctx, void *p, uint64_t size);

/*
 * The hypervisor's own translation, LPID 0: PID 0 maps EA quadrant 3
 * (0xc000...) offset x to real x, privileged only.  lparvisor itself runs
 * in real mode; this exists for the hypervisor interrupts POWER9 relocates
 * to 0xc000000000004000 when a radix guest has AIL=3 (boot/vectors.S).
 */
static void init_host_translation(void)
{
	static struct radix_tree host;
	uint64_t top = 0, prtb;
	be64 *prt;

	for (uint32_t i = 0; i < hv_machine.mem_count; i++) {
		top = MAX(top, hv_machine.mem[i].base + hv_machine.mem[i].size);
	}
	prtb = mem_pages_alloc(PRTB_SIZE, PRTB_SIZE, false, 0);
	if (!prtb || radix_build(&host, ALIGN_UP(top, SZ_1G), 0, RPTE_EAA_PRIV,
				 table_alloc, table_free, NULL) != RADIX_OK) {
		panic("no memory for the hypervisor's translation tables");
	}
	prt = (be64 *)(uintptr_t)prtb;
	mem_zero(prt, PRTB_SIZE);
	prt[0] = cpu_to_be64(radix_prte0(&host));
	patb[0] = cpu_to_be64(radix_pate0(&host));
	patb[1] = cpu_to_be64(prtb); /* PRTS 0: 4 KiB, 256 PIDs */
	sync();
}

void lpar_init_partition_table(void)
{
	uint64_t p;

	if (!cpu_family_has_radix(hv_machine.family)) {
		return; /* POWER8: SDR1 per partition instead (lpar_set_pate()) */
	}
	p = mem_pages_alloc(PATB_SIZE, PATB_SIZE, false, 0);
	if (!p) {
		panic("no memory for the partition table");
	}
	patb = (be64 *)(uintptr_t)p;
	mem_zero(patb, PATB_SIZE);
	init_host_translation();
	lpar_load_ptcr();
}

void lpar_load_ptcr(void)
{
	if (patb) {
		mtspr(SPRN_PTCR, (uintptr_t)patb | PATB_PATS);
		isync();
	}
}

void lpar_set_pate(struct lpar *l)
{
	uint32_t lpid = l->cfg.lpid;

	if (!patb) {
		/*
		 * POWER8: each thread loads SDR1 as it enters the guest or
		 * sees the count change (hv/guest.c guest_load_sdr1()).
		 */
		if (l->hpt) {
			__atomic_store_n(&l->sdr1, hpt_sdr1(l->hpt),
					 __ATOMIC_RELAXED);
			__atomic_fetch_add(&l->sdr1_gen, 1, __ATOMIC_RELEASE);
		}
		sync();
		guest_flush_partition(lpid);
		return;
	}
	if (l->hpt) {
		/* HPT format: HR=0, the table, VRMA page size; no process table. */
		patb[2 * lpid] = cpu_to_be64(hpt_pate0(l->hpt));
		patb[2 * lpid + 1] = 0;
	} else {
		patb[2 * lpid] = cpu_to_be64(radix_pate0(&l->radix));
		/* dw1 bit 0 (GR) marks a radix guest, as KVM and QEMU set it. */
		patb[2 * lpid + 1] = cpu_to_be64(l->pate1 | (1ull << 63));
	}
	sync();
	guest_flush_partition(lpid);
}

static void *table_alloc(void *ctx, uint64_t size)
{
	uint64_t p = mem_pages_alloc(size, size, false, 0);

	(void)ctx;
	if (p) {
		mem_zero((void *)(uintptr_t)p, size);
	}
	return (void *)(uintptr_t)p;
}

static void table_free(void *ctx, void *p, uint64_t size)
{
	(void)ctx;
	mem_pages_free((uintptr_t)p, size);
}

bool lpar_map_io(struct lpar *l, uint64_t gpa, uint64_t hpa, uint64_t size)
{
	if (l->hpt && !hash_map_io(l, gpa, hpa, size)) {
		return false; /* the guest's H_ENTER may name them (hv/hash.c) */
	}
	return radix_map_io(&l->radix, gpa, hpa, size, RPTE_ATT_IO, table_alloc,
			    NULL) == RADIX_OK;
}

static struct pcpu *core_thread(uint32_t core_index)
{
	uint32_t pir = hv_machine.cores[core_index].pir;

	for (uint32_t i = 0; i < pcpu_count; i++) {
		if (pcpu_table[i]->pir == pir) {
			return pcpu_table[i];
		}
	}
	return NULL;
}

static bool bind_vcpus(struct lpar *l)
{
	for (uint32_t i = 0; i < l->cfg.core_count; i++) {
		struct pcpu *pc = core_thread(l->cfg.cores[i]);
		struct vcpu *vc;

		if (!pc || pc->state != PCPU_ONLINE || pc->vcpu) {
			hv_printf("lparvisor: partition \"%s\": core %u is not "
				  "available (its thread is %s); not started\n",
				  l->cfg.name, l->cfg.cores[i],
				  !pc ? "unknown" : pc->vcpu ? "taken" : "offline");
			return false;
		}
		vc = mem_zalloc(sizeof(*vc), 64);
		if (!vc) {
			hv_printf("lparvisor: partition \"%s\": out of heap for "
				  "vCPU %u; not started\n", l->cfg.name, i);
			return false;
		}
		vc->lpar = l;
		vc->lpar_state = &l->state;
		vc->id = i;
		vc->pcpu = pc;
		l->vcpus[i] = vc;
		l->vcpu_count = i + 1;
	}
	for (uint32_t i = 0; i < l->vcpu_count; i++) {
		l->vcpus[i]->pcpu->vcpu = l->vcpus[i];
	}
	return true;
}

static void destroy(struct lpar *l)
{
	lpar_units_destroy(l);
	for (uint32_t i = 0; i < l->vcpu_count; i++) {
		mem_free(l->vcpus[i]);
	}
	radix_destroy(&l->radix, table_free, NULL);
	lpar_image_free(l);
	mem_free(l->lazy_state);
	mem_free(l->dt_params);
	if (l->mem.hpa) {
		mem_pages_free(l->mem.hpa, l->mem.size);
	}
	mem_free(l);
}

enum { IMAGES_UNCHECKED, IMAGES_GOOD, IMAGES_BAD };

static bool image_error(struct lpar *l, const char *prop, const char *name,
			enum bundle_err e)
{
	if (e == BUNDLE_OK) {
		return true;
	}
	hv_printf("lparvisor: partition \"%s\": property \"%s\": image "
		  "\"%s\": %s; not started\n", l->cfg.name, prop, name,
		  bundle_strerror(e));
	return false;
}

/*
 * QEMU's SLOF is copied as it is stored: refuse a compressed one.  Its
 * sha256 is checked here, when the partition is created (about 1 MiB),
 * whatever way the kernel's images are checked.
 */
static bool find_slof(struct lpar *l, const struct bundle *b)
{
	enum bundle_comp comp;
	enum bundle_err e;

	e = bundle_compression(b, CONFIG_SLOF_IMAGE, &comp);
	if (e == BUNDLE_OK && comp != BUNDLE_COMP_NONE) {
		hv_printf("lparvisor: partition \"%s\": property \"firmware\": "
			  "image \"%s\" is compressed (store it with "
			  "compression \"none\"); not started\n", l->cfg.name,
			  CONFIG_SLOF_IMAGE);
		return false;
	}
	if (e == BUNDLE_OK) {
		e = bundle_image(b, CONFIG_SLOF_IMAGE, &l->slof, &l->slof_len);
	}
	return image_error(l, "firmware", CONFIG_SLOF_IMAGE, e);
}

/* Where its images are; their hashes are lpar_check_images()' job. */
static bool find_images(struct lpar *l, const struct bundle *b)
{
	/* No kernel: SLOF boots from the partition's disks. */
	if (l->cfg.kernel[0] &&
	    !image_error(l, "kernel", l->cfg.kernel,
			 bundle_locate(b, l->cfg.kernel, &l->kernel,
				       &l->kernel_len))) {
		return false;
	}
	if (l->cfg.initramfs[0] &&
	    !image_error(l, "initramfs", l->cfg.initramfs,
			 bundle_locate(b, l->cfg.initramfs, &l->initrd,
				       &l->initrd_len))) {
		return false;
	}
	if (l->cfg.firmware == CONFIG_FIRMWARE_SLOF && !find_slof(l, b)) {
		return false;
	}
	if (!lpar_image_inspect(l, b) || !lpar_image_chunks(l, b)) {
		return false;
	}
	/* Checked chunk by chunk as they are used: no verdict to wait for. */
	if (lpar_images_chunked(l)) {
		l->images_verdict = IMAGES_GOOD;
	}
	l->check_left = l->img[0] || l->img[1];
	return true;
}

void lpar_set_images_bad(struct lpar *l)
{
	__atomic_store_n(&l->images_verdict, IMAGES_BAD, __ATOMIC_RELEASE);
}

bool lpar_check_images(struct lpar *l, const struct bundle *b)
{
	uint32_t v = __atomic_load_n(&l->images_verdict, __ATOMIC_ACQUIRE);
	const void *data;
	size_t len;
	bool good;

	if (v != IMAGES_UNCHECKED) {
		return v == IMAGES_GOOD;
	}
	good = l->img[0] || !l->cfg.kernel[0] ||
	       image_error(l, "kernel", l->cfg.kernel,
			   bundle_image(b, l->cfg.kernel, &data, &len));
	if (good && l->cfg.initramfs[0] && !l->img[1]) {
		good = image_error(l, "initramfs", l->cfg.initramfs,
				   bundle_image(b, l->cfg.initramfs, &data,
						&len));
	}
	__atomic_store_n(&l->images_verdict, good ? IMAGES_GOOD : IMAGES_BAD,
			 __ATOMIC_RELEASE);
	return good;
}

/* Wait for lpar_check_images() (only the first boot ever waits). */
static bool images_good(struct lpar *l)
{
	uint32_t v;

	while ((v = __atomic_load_n(&l->images_verdict, __ATOMIC_ACQUIRE)) ==
	       IMAGES_UNCHECKED) {
		smt_low();
	}
	smt_medium();
	return v == IMAGES_GOOD;
}

/*
 * Radix partitions get their memory cleared on first touch (mm/lazy.h),
 * unless the boot option clear=boot asks for the whole clear at every
 * boot.  Hash partitions are always cleared whole: their guest real
 * addresses reach memory through the VRMA and the HPT, not through a
 * partition-scoped tree lparvisor could leave unmapped.
 */
bool lpar_lazy_wanted(const struct lpar_config *cfg)
{
	return cfg->mmu == CONFIG_MMU_RADIX && !hv_opts.clear_at_boot;
}

static void lazy_publish_fence(void)
{
	ptesync();
}

static bool lazy_setup(struct lpar *l)
{
	static const struct lazy_ops ops = {
		.zero = mem_zero,
		.publish = lazy_publish_fence,
		.relax = smt_low,
	};

	l->lazy_state = mem_zalloc(l->mem.size / LAZY_CHUNK, 8);
	if (!l->lazy_state) {
		return false;
	}
	BUG_ON(!lazy_init(&l->lazy, &l->radix, l->mem.hpa, l->mem.size,
			  l->lazy_state, &ops));
	l->mem.lazy = &l->lazy.base;
	return true;
}

struct lpar *lpar_create(const struct lpar_config *cfg,
			 const struct bundle *bundle)
{
	struct lpar *l;
	enum radix_err re;

	if (lpar_count == LPAR_MAX || cfg->lpid >= PATB_SIZE / 16) {
		hv_printf("lparvisor: partition \"%s\": too many partitions\n",
			  cfg->name);
		return NULL;
	}
	if (cfg->mmu == CONFIG_MMU_RADIX &&
	    !cpu_family_has_radix(hv_machine.family)) {
		hv_printf("lparvisor: partition \"%s\": property \"mmu\": radix "
			  "needs POWER9 or later; not started\n", cfg->name);
		return NULL;
	}
	if (!guest_dt_compat_ok(hv_machine.cores[0].pvr, cfg->compat)) {
		hv_printf("lparvisor: partition \"%s\": property \"compat\": "
			  "newer than this machine's processor; not started\n",
			  cfg->name);
		return NULL;
	}
	l = mem_zalloc(sizeof(*l), 64);
	if (!l) {
		hv_printf("lparvisor: partition \"%s\": out of hypervisor heap "
			  "(%zu bytes); not started\n", cfg->name, sizeof(*l));
		return NULL;
	}
	l->cfg = *cfg;
	l->mem.size = cfg->mem_size;
	l->mem.hpa = mem_pages_alloc(cfg->mem_size, CONFIG_MEM_ALIGN,
				     cfg->mem_base_set, cfg->mem_base);
	if (!l->mem.hpa) {
		hv_printf("lparvisor: partition \"%s\": property \"memory\": "
			  "no free block of %llu MiB%s; not started\n",
			  cfg->name, (unsigned long long)(cfg->mem_size >> 20),
			  cfg->mem_base_set ? " at \"memory-base\"" : "");
		goto fail;
	}
	if (lpar_lazy_wanted(cfg)) {
		re = radix_build_2m(&l->radix, l->mem.size, l->mem.hpa, 0,
				    table_alloc, table_free, NULL);
	} else {
		re = radix_build(&l->radix, l->mem.size, l->mem.hpa, 0,
				 table_alloc, table_free, NULL);
	}
	if (re != RADIX_OK) {
		hv_printf("lparvisor: partition \"%s\": cannot build its page "
			  "tables (%s); not started\n", cfg->name,
			  re == RADIX_ENOMEM ? "out of memory" : "bad layout");
		goto fail;
	}
	if (re == RADIX_OK && lpar_lazy_wanted(cfg) && !lazy_setup(l)) {
		hv_printf("lparvisor: partition \"%s\": out of hypervisor heap "
			  "for its memory's chunk map; not started\n", cfg->name);
		goto fail;
	}
	l->dt_params = mem_zalloc(sizeof(*l->dt_params), 8);
	if (!l->dt_params) {
		hv_printf("lparvisor: partition \"%s\": out of hypervisor heap "
			  "for its device tree's parameters; not started\n",
			  cfg->name);
		goto fail;
	}
	if (!find_images(l, bundle) || !bind_vcpus(l) ||
	    !lpar_units_create(l)) {
		goto fail;
	}
	l->index = lpar_count;
	lpar_table[lpar_count] = l;
	/* Idle threads read the list (lpar_help_any()): the entry first. */
	__atomic_store_n(&lpar_count, lpar_count + 1, __ATOMIC_RELEASE);
	return l;
fail:
	for (uint32_t i = 0; i < l->vcpu_count; i++) {
		l->vcpus[i]->pcpu->vcpu = NULL;
	}
	destroy(l);
	return NULL;
}

int lpar_build_tree(struct lpar *l, void *buf, size_t size, bool cas_answer)
{
	bool kernel = l->cfg.boot == CONFIG_BOOT_KERNEL;
	char hypertas[256]; /* the function sets the hcall rows name */
	struct guest_dt_params *p = l->dt_params;

	*p = (struct guest_dt_params){
		.name = l->cfg.name,
		.lpid = l->cfg.lpid,
		.vcpus = l->vcpu_count,
		.pvr = hv_machine.cores[0].pvr,
		.tb_freq = hv_machine.tb_freq,
		.mem_size = l->mem.size,
		.bootargs = l->cfg.bootargs,
		.initrd_start = l->tree_in.initrd_gpa,
		.initrd_end = l->tree_in.initrd_gpa + l->initrd_len,
		.rtas_base = l->tree_in.rtas_gpa,
		.rtas_size = l->tree_in.rtas_size,
		.fdt_addr = l->tree_in.fdt_gpa,
		.boot_kernel_addr = kernel ? l->cfg.kernel_addr : 0,
		.boot_kernel_size = kernel ? l->tree_in.kernel_size : 0,
		.boot_kernel_le = kernel && l->tree_in.kernel_le,
		.mmu = l->cfg.mmu,
		.hpt_shift = l->hpt ? l->hpt->shift : 0,
		.compat = l->compat,
		.raw_pvr = l->raw_pvr,
		.qemu_reserves = l->cfg.firmware == CONFIG_FIRMWARE_SLOF,
		.cas_answer = cas_answer,
		.intc_either = l->cfg.intc_dual &&
			       l->cfg.firmware != CONFIG_FIRMWARE_NONE,
		/* The RNG hcall serves darn: none on POWER8, as QEMU without one. */
		.rng = cpu_family_has_darn(hv_machine.family),
		.hypertas = hypertas,
		.hypertas_len = hcall_hypertas(hypertas, sizeof(hypertas)),
	};
	BUG_ON(p->hypertas_len == 0);
	lpar_units_guest_dt(l, p); /* the RTAS unit gives the tokens */
	return guest_dt_build(buf, size, p);
}

static bool build_tree(struct lpar *l, uint64_t fdt_gpa, uint64_t rtas_gpa,
		       uint64_t rtas_size, uint64_t initrd_gpa,
		       const struct load_result *lr)
{
	int rc;

	l->tree_in.fdt_gpa = fdt_gpa;
	l->tree_in.rtas_gpa = rtas_gpa;
	l->tree_in.rtas_size = rtas_size;
	l->tree_in.initrd_gpa = initrd_gpa;
	l->tree_in.kernel_size = lr->size;
	l->tree_in.kernel_le = lr->le;
	gmem_touch(&l->mem, fdt_gpa, FDT_MAX);
	rc = lpar_build_tree(l, gmem_ptr(&l->mem, fdt_gpa), FDT_MAX, false);
	if (rc) {
		hv_printf("lparvisor: partition \"%s\": device tree: %s\n",
			  l->cfg.name, fdt_strerror(rc));
		return false;
	}
	return true;
}

bool lpar_place_rtas(struct lpar *l, uint64_t base)
{
	if (!gmem_owns(&l->mem, base, l->tree_in.rtas_size)) {
		return false;
	}
	gmem_write(&l->mem, base, rtas_blob, sizeof(rtas_blob));
	lpar_units_rtas_placed(l, base);
	mce_reset(&l->fwnmi, base + MCE_LOG_OFFSET);
	return true;
}

void lpar_boot(struct lpar *l)
{
	struct vcpu *boot = l->vcpus[0];

	l->stop_told = 0;
	l->state = LPAR_BOOTING;
	profile_reset(l);
	sync();
	/* A first boot, or a stop completed with every vCPU STOPPED. */
	BUG_ON(!vcpu_boot(boot));
}

/*
 * Clearing a partition's memory is the longest part of its boot: the
 * threads of its other vCPUs, idle while it boots, take CLEAR_CHUNK pieces
 * of it too (lpar_help_clear() from their idle loop, within a tick), and
 * vCPU 0's thread waits until every piece is done.
 */
#define CLEAR_CHUNK (16 * SZ_1M)
/* An idle thread's share of lazy clearing per turn of its loop (8 MiB). */
#define LAZY_HELP_CHUNKS 4

static void clear_pieces(struct lpar *l)
{
	for (;;) {
		uint32_t i = __atomic_fetch_add(&l->clear_next, 1,
						__ATOMIC_ACQ_REL);

		if (i >= l->clear_count) {
			return;
		}
		mem_zero(gmem_ptr(&l->mem, (uint64_t)i * CLEAR_CHUNK),
			 MIN(CLEAR_CHUNK, l->mem.size - (uint64_t)i * CLEAR_CHUNK));
		__atomic_fetch_add(&l->clear_done, 1, __ATOMIC_ACQ_REL);
	}
}

/*
 * A turn at the chunks of `l`'s images that nothing has checked yet (the
 * verdicts are the bundle's, shared: hv/imgcheck.h), a bad one found by
 * anyone stopping it.  While it boots, only the chunks its first guest
 * fault needs (vCPU 0's thread is loading it); once it runs, the rest,
 * so that damage its guest never reads is still found.  True while more
 * remain for another turn.
 */
static bool help_check(struct lpar *l)
{
	uint32_t state = __atomic_load_n(&l->state, __ATOMIC_ACQUIRE);
	bool more, settled;

	if (!__atomic_load_n(&l->check_left, __ATOMIC_ACQUIRE) ||
	    (state != LPAR_RUNNING && state != LPAR_BOOTING)) {
		return false;
	}
	more = lpar_image_check_next(l, state != LPAR_RUNNING, &settled);
	if (state != LPAR_RUNNING) {
		return more; /* a bad chunk stops it in prepare() */
	}
	if (!more && settled) {
		__atomic_store_n(&l->check_left, 0, __ATOMIC_RELEASE);
	}
	lpar_image_report(l);
	return more;
}

bool lpar_help_clear(struct lpar *l)
{
	bool more = help_check(l);

	if (__atomic_load_n(&l->clearing, __ATOMIC_ACQUIRE)) {
		clear_pieces(l);
	}
	/*
	 * A few chunks at a time: the thread's own vCPU may start.  Not
	 * before the partition's images are checked: until then the boot
	 * thread's sha256 is what its start waits for, and on a busy host
	 * the helpers would only slow that down.
	 */
	return (hv_opts.clear_ahead && l->mem.lazy && !lazy_done(&l->lazy) &&
		__atomic_load_n(&l->images_verdict, __ATOMIC_ACQUIRE) !=
			IMAGES_UNCHECKED &&
		lazy_help(&l->lazy, LAZY_HELP_CHUNKS)) ||
	       more;
}

bool lpar_help_any(void)
{
	uint32_t n = __atomic_load_n(&lpar_count, __ATOMIC_ACQUIRE);
	bool more = false;

	for (uint32_t i = 0; i < n; i++) {
		more |= lpar_help_clear(lpar_table[i]);
	}
	/*
	 * The bundle's chunks the partitions' first faults need, from the
	 * moment the configuration is known (the boot thread still at its
	 * firmware calls); the rest is each running partition's pass.
	 */
	more |= lpar_image_help(true);
	return more;
}

static void clear_memory(struct lpar *l)
{
	l->clear_count = (uint32_t)((l->mem.size + CLEAR_CHUNK - 1) /
				    CLEAR_CHUNK);
	l->clear_next = 0;
	l->clear_done = 0;
	__atomic_store_n(&l->clearing, 1, __ATOMIC_RELEASE);
	clear_pieces(l);
	while (__atomic_load_n(&l->clear_done, __ATOMIC_ACQUIRE) <
	       l->clear_count) {
		smt_low();
	}
	smt_medium();
	__atomic_store_n(&l->clearing, 0, __ATOMIC_RELEASE);
	sync(); /* every helper's stores are done: clear_done counted them */
}

/*
 * PCR of a partition in a compatibility mode older than the host
 * (machine_compat_pcr()).  0 when it runs as the host.
 */
static uint64_t compat_pcr(enum config_compat level);

void lpar_set_level(struct lpar *l, enum config_compat level)
{
	l->raw_pvr = level == CONFIG_COMPAT_NONE;
	if (level == l->compat && !l->raw_pvr) {
		return; /* the boot state: nothing changes */
	}
	l->compat = level;
	l->pcr = compat_pcr(level);
	if (level == CONFIG_COMPAT_POWER8) {
		l->lpcr &= ~LPCR_LD; /* as at boot: a 32-bit decrementer */
	}
	sync(); /* vCPUs load PCR and LPCR as they next enter (hv/guest.c) */
}

static uint64_t compat_pcr(enum config_compat level)
{
	static const enum cpu_family family[] = {
		[CONFIG_COMPAT_NONE] = CPU_UNKNOWN,
		[CONFIG_COMPAT_POWER8] = CPU_POWER8,
		[CONFIG_COMPAT_POWER9] = CPU_POWER9,
		[CONFIG_COMPAT_POWER10] = CPU_POWER10,
	};

	BUG_ON((unsigned)level >= ARRAY_SIZE(family));
	return machine_compat_pcr(hv_machine.family, family[level]);
}

static bool prepare(struct lpar *l)
{
	uint64_t top = l->mem.size;
	uint64_t fdt_gpa = top - FDT_BELOW_TOP;
	uint64_t rtas_size = guest_dt_rtas_size(l->vcpu_count);
	uint64_t rtas_gpa = fdt_gpa - ALIGN_UP(rtas_size, SZ_4K);
	struct load_result lr;
	struct vcpu_entry entry;
	struct lpar_boot fw;
	const char *err;
	uint64_t initrd_gpa = 0;
	struct vcpu *boot = l->vcpus[0];

	/* Each boot starts at the configured level (CAS may change it);
	 * set before the tree, whose cpu nodes name it. */
	l->compat = l->cfg.compat;
	l->raw_pvr = false;

	if (__atomic_load_n(&l->images_verdict, __ATOMIC_ACQUIRE) ==
	    IMAGES_BAD) {
		return false; /* known already: no need to clear for nothing */
	}
	/* A chunk of its images found bad by another partition or a pass
	 * (even one it would never touch): named and stopped now. */
	if (lpar_image_known_bad(l) && lpar_image_report(l)) {
		return false;
	}
	/* Units first: no interrupt queue write may land after the clear. */
	lpar_units_reset(l);
	l->prep_tb[0] = mftb();
	if (l->mem.lazy) {
		/*
		 * Every chunk unmapped, cleared on first touch or by idlers.
		 * The last life's translations go with lpar_set_pate()'s
		 * flush below, before any vCPU of this one enters the guest.
		 */
		lazy_arm(&l->lazy);
	} else {
		clear_memory(l);
	}
	l->prep_tb[1] = mftb();
	/* Nothing of an image is used before its hash matched. */
	if (!images_good(l)) {
		return false;
	}
	l->prep_tb[2] = mftb();
	err = lpar_image_load(l, rtas_gpa, &lr);
	if (err && lpar_image_report(l)) {
		return false; /* a bad chunk, named */
	}
	if (err) {
		hv_printf("lparvisor: partition \"%s\": property \"kernel\": "
			  "%s; stopped\n", l->cfg.name, err);
		return false;
	}
	if (l->initrd_len) {
		/*
		 * QEMU 7.2 spapr_machine_init: "in the gap between the kernel
		 * and the firmware", 64 KiB aligned with 64 KiB to spare.
		 */
		initrd_gpa = l->cfg.boot == CONFIG_BOOT_KERNEL ?
			     (l->cfg.kernel_addr + lr.size + 0x1ffff) &
				     ~0xffffull :
			     ALIGN_UP(lr.end, SZ_64K);
		if (initrd_gpa < lr.end ||
		    !gmem_owns(&l->mem, initrd_gpa, l->initrd_len) ||
		    initrd_gpa + l->initrd_len > rtas_gpa) {
			hv_printf("lparvisor: partition \"%s\": property "
				  "\"initramfs\": does not fit in %llu MiB; "
				  "stopped\n", l->cfg.name,
				  (unsigned long long)(l->mem.size >> 20));
			return false;
		}
		err = lpar_image_initrd(l, initrd_gpa);
		if (err && lpar_image_report(l)) {
			return false;
		}
		if (err) {
			hv_printf("lparvisor: partition \"%s\": property "
				  "\"initramfs\": %s; stopped\n", l->cfg.name,
				  err);
			return false;
		}
	}
	l->prep_tb[3] = mftb();
	gmem_touch(&l->mem, rtas_gpa, sizeof(rtas_blob));
	memcpy(gmem_ptr(&l->mem, rtas_gpa), rtas_blob, sizeof(rtas_blob));
	/* SLOF brings RTAS code of its own, elsewhere: this copy is not
	 * called, and its memory is not reserved for it in SLOF's tree. */
	if (l->cfg.firmware != CONFIG_FIRMWARE_SLOF) {
		lpar_units_rtas_placed(l, rtas_gpa);
	}
	if (!build_tree(l, fdt_gpa, rtas_gpa, rtas_size, initrd_gpa, &lr)) {
		return false;
	}
	entry.pc = lr.entry;
	/*
	 * A payload starts like QEMU's firmware (-bios): 32-bit big-endian
	 * real mode.  A kernel is entered 64-bit, as by kexec.
	 */
	entry.msr = l->cfg.boot == CONFIG_BOOT_PAYLOAD ? MSR_ME : MSR_SF | MSR_ME;
	entry.r3 = fdt_gpa;
	entry.r4 = lr.base;
	entry.r5 = 0;
	fw.entry = &entry;
	fw.fdt_gpa = fdt_gpa;
	fw.kernel_base = lr.base;
	fw.kernel_end = lr.end;
	fw.initrd_base = initrd_gpa;
	fw.initrd_size = l->initrd_len;
	/* A firmware unit (firmware = "vof") enters its firmware instead. */
	if (!lpar_units_firmware(l, &fw)) {
		return false;
	}
	/* LD: the tree promises a 56-bit decrementer (ibm,dec-bits), as QEMU. */
	l->lpcr = LPCR_DPFD_4 | LPCR_LD | LPCR_HDICE | lpar_units_lpcr(l);
	/*
	 * Radix: the process table and radix translation.  Hash: neither;
	 * real mode through the VRMA of 16 MiB pages (QEMU 7.2 reads their
	 * size from LPCR[VRMASD] on every model, POWER9 hardware from the
	 * partition-table entry: lparvisor sets both).  VPM1 stays 0: a
	 * virtual-mode miss goes to the guest as a DSI/ISI, since every
	 * entry lives in the table and lparvisor pages nothing in or out.
	 */
	l->lpcr |= l->hpt ? HPT_LPCR_VRMASD_16M : LPCR_UPRT | LPCR_HR;
	l->pcr = compat_pcr(l->compat);
	if (!cpu_family_has_radix(hv_machine.family)) {
		/*
		 * POWER8 (ISA 2.07): VPM0 sends guest real mode through the
		 * VRMA; without it the real mode offset register would apply,
		 * and real address 0 is lparvisor's.  No large decrementer.
		 */
		l->lpcr = (l->lpcr & ~LPCR_LD) | LPCR_VPM0;
	}
	if (l->compat == CONFIG_COMPAT_POWER8) {
		/* ISA 2.07 has a 32-bit decrementer: no ibm,dec-bits either. */
		l->lpcr &= ~LPCR_LD;
	}
	l->pate1 = 0;
	mce_reset(&l->fwnmi, rtas_gpa + MCE_LOG_OFFSET);
	lpar_set_pate(l);
	for (uint32_t i = 0; i < l->vcpu_count; i++) {
		/* Nothing of the previous life: prods, lines, resets, VPAs. */
		BUG_ON(!vcpu_reset(l->vcpus[i]));
	}
	if (lpar_image_report(l)) {
		return false; /* a chunk this boot copied was bad */
	}
	l->stop_reason = STOP_NONE;
	l->life++;
	l->state = LPAR_RUNNING;
	sync();
	BUG_ON(!vcpu_boot_done(boot, &entry));
	return true;
}

static const char *reason_name(enum lpar_stop_reason why);

void lpar_prepare(struct lpar *l)
{
	if (prepare(l)) {
		return;
	}
	if (l->mem.lazy) {
		lazy_unclaim_all(&l->lazy); /* a load that failed half-way */
	}
	BUG_ON(!vcpu_boot_done(l->vcpus[0], NULL));
	l->state = LPAR_STOPPED;
	/* A bad image chunk, named already, stops it as at a guest fault. */
	hv_printf("lparvisor: partition \"%s\" %s\n", l->cfg.name,
		  __atomic_load_n(&l->corrupt, __ATOMIC_ACQUIRE) ?
			  reason_name(STOP_IMAGE) :
			  "stopped: it cannot boot");
	__atomic_store_n(&l->stop_told, 1, __ATOMIC_RELEASE);
	power_off_if_all_stopped();
}

static const char *reason_name(enum lpar_stop_reason why)
{
	switch (why) {
	case STOP_POWER_OFF:
		return "powered off";
	case STOP_REBOOT:
		return "rebooted";
	case STOP_CRASH:
		return "crashed";
	case STOP_WATCHDOG:
		return "was reset by its watchdog";
	case STOP_OPERATOR:
		return "was stopped from the service console";
	case STOP_IMAGE:
		return "stopped: one of its images is corrupted";
	default:
		return "stopped";
	}
}

/* The stop of the life `life`, or of whichever runs when `any`. */
static bool request_stop(struct lpar *l, enum lpar_stop_reason why,
			 uint32_t life, bool any)
{
	bool kick = false;

	spin_lock(&l->lock);
	if (l->state == LPAR_RUNNING && (any || l->life == life)) {
		l->stop_reason = why;
		l->state = LPAR_STOPPING;
		kick = true;
	}
	spin_unlock(&l->lock);
	/* Running vCPUs take no tick (hv/guest.c): each is told at once. */
	for (uint32_t i = 0; kick && i < l->vcpu_count; i++) {
		vcpu_kick(l->vcpus[i]);
	}
	return kick;
}

void lpar_request_stop(struct lpar *l, enum lpar_stop_reason why)
{
	request_stop(l, why, 0, true);
}

bool lpar_request_stop_life(struct lpar *l, enum lpar_stop_reason why,
			    uint32_t life)
{
	return request_stop(l, why, life, false);
}

/* Every vCPU STOPPED, pending starts dropped (hv/vcpu.c: vcpu_settle()). */
static bool all_vcpus_out(struct lpar *l)
{
	bool out = true;

	for (uint32_t i = 0; i < l->vcpu_count; i++) {
		out &= vcpu_settle(l->vcpus[i]);
	}
	return out;
}

/* Stopped for good, and its stop already on the console. */
static bool all_partitions_stopped(void)
{
	if (__atomic_load_n(&creating, __ATOMIC_ACQUIRE)) {
		return false;
	}
	for (uint32_t i = 0; i < lpar_count; i++) {
		struct lpar *l = lpar_table[i];

		if (l->state != LPAR_STOPPED ||
		    !__atomic_load_n(&l->stop_told, __ATOMIC_ACQUIRE) ||
		    (__atomic_load_n(&l->held, __ATOMIC_ACQUIRE) &&
		     !__atomic_load_n(&machine_off, __ATOMIC_ACQUIRE))) {
			return false;
		}
	}
	return true;
}

/*
 * Called by every thread that has just told a partition's final stop (and
 * once after creation): the first to see every stop told powers off, so
 * no partition's "stopped" line can be lost behind "powering off".
 */
static void power_off_if_all_stopped(void)
{
	if (!all_partitions_stopped() ||
	    __atomic_exchange_n(&powering_off, 1, __ATOMIC_ACQ_REL)) {
		return;
	}
	if (__atomic_load_n(&machine_off, __ATOMIC_ACQUIRE)) {
		/* nvram-store returns only once in flash (vio/nvram.c). */
		hv_printf("lparvisor: machine power-off: no partition runs, "
			  "so no NVRAM store is under way; every one that "
			  "completed is in flash\n");
	}
	hv_printf("lparvisor: every partition has stopped; powering off\n");
	platform_power_off();
}

void lpar_boot_done(void)
{
	__atomic_store_n(&creating, false, __ATOMIC_RELEASE);
	sync();
	power_off_if_all_stopped();
}

void lpar_vcpu_stopped(struct vcpu *vc)
{
	struct lpar *l = vc->lpar;
	enum lpar_stop_reason why;
	bool restart;

	spin_lock(&l->lock);
	if (l->state != LPAR_STOPPING || !all_vcpus_out(l)) {
		spin_unlock(&l->lock);
		return;
	}
	why = l->stop_reason;
	restart = l->restart_pending || why == STOP_WATCHDOG ||
		  (why == STOP_REBOOT &&
		   l->cfg.on_reboot == CONFIG_POLICY_RESTART) ||
		  (why == STOP_CRASH && l->cfg.on_crash == CONFIG_POLICY_RESTART);
	restart &= !__atomic_load_n(&machine_off, __ATOMIC_ACQUIRE);
	l->state = LPAR_STOPPED;
	l->restart_pending = 0;
	if (restart) {
		/* Running again: a later stop of its own may power off. */
		__atomic_store_n(&l->held, 0, __ATOMIC_RELEASE);
	}
	__atomic_store_n(&l->stop_deadline, 0, __ATOMIC_RELEASE);
	spin_unlock(&l->lock);
	lpar_units_stop(l, restart);
	hv_printf("lparvisor: partition \"%s\" %s%s\n", l->cfg.name,
		  reason_name(why), restart ? "; restarting it" : "");
	if (hv_opts.profile) {
		profile_print(l);
	}
	if (restart) {
		uint64_t pages, heap_bytes;

		l->restarts++;
		/* Restarts reuse everything: these figures must never move. */
		mem_usage(&pages, &heap_bytes);
		hv_printf("lparvisor: partition \"%s\" restart %u: hypervisor "
			  "pages %llu KiB, heap %llu bytes\n", l->cfg.name,
			  l->restarts, (unsigned long long)(pages >> 10),
			  (unsigned long long)heap_bytes);
		lpar_boot(l);
		return;
	}
	__atomic_store_n(&l->stop_told, 1, __ATOMIC_RELEASE);
	power_off_if_all_stopped();
}

/*
 * The service console's life-cycle operations.  The partition's lock
 * decides; nothing is printed under it (the caller prints the answer).
 */

void lpar_hold(struct lpar *l)
{
	l->held = 1;
	l->state = LPAR_STOPPED;
	__atomic_store_n(&l->stop_told, 1, __ATOMIC_RELEASE);
}

enum lpar_op lpar_start(struct lpar *l)
{
	enum lpar_op r = LPAR_OP_OK;

	spin_lock(&l->lock);
	if (__atomic_load_n(&machine_off, __ATOMIC_ACQUIRE)) {
		r = LPAR_OP_MACHINE_OFF;
	} else if (l->state == LPAR_RUNNING) {
		r = LPAR_OP_RUNNING;
	} else if (l->state != LPAR_STOPPED ||
		   !__atomic_load_n(&l->stop_told, __ATOMIC_ACQUIRE)) {
		r = LPAR_OP_BUSY; /* booting, or its stop not finished */
	} else {
		__atomic_store_n(&l->held, 0, __ATOMIC_RELEASE);
		l->restart_pending = 0;
		__atomic_store_n(&l->stop_deadline, 0, __ATOMIC_RELEASE);
		lpar_boot(l);
	}
	spin_unlock(&l->lock);
	return r;
}

/* Under l->lock, partition running: its vCPUs are to leave now. */
static void stop_hard_locked(struct lpar *l)
{
	l->stop_reason = STOP_OPERATOR;
	l->state = LPAR_STOPPING;
	__atomic_store_n(&l->stop_deadline, 0, __ATOMIC_RELEASE);
}

/* After stop_hard_locked(), lock dropped: running vCPUs take no tick. */
static void kick_all(struct lpar *l)
{
	for (uint32_t i = 0; i < l->vcpu_count; i++) {
		vcpu_kick(l->vcpus[i]);
	}
}

enum lpar_op lpar_stop(struct lpar *l, bool force, bool restart)
{
	uint64_t timeout = (uint64_t)l->cfg.stop_timeout_s * hv_machine.tb_freq;

	spin_lock(&l->lock);
	if (l->state == LPAR_STOPPED) {
		spin_unlock(&l->lock);
		return restart ? lpar_start(l) : LPAR_OP_STOPPED;
	}
	if (l->state != LPAR_RUNNING) {
		spin_unlock(&l->lock);
		return LPAR_OP_BUSY;
	}
	l->restart_pending = restart;
	__atomic_store_n(&l->held, restart ? 0 : 1, __ATOMIC_RELEASE);
	if (force) {
		stop_hard_locked(l);
		spin_unlock(&l->lock);
		kick_all(l);
		return LPAR_OP_OK;
	}
	__atomic_store_n(&l->stop_deadline, mftb() + timeout,
			 __ATOMIC_RELEASE);
	spin_unlock(&l->lock);
	if (lpar_units_shutdown(l)) {
		return LPAR_OP_TOLD;
	}
	spin_lock(&l->lock);
	if (l->state == LPAR_RUNNING) {
		stop_hard_locked(l);
	}
	spin_unlock(&l->lock);
	kick_all(l);
	return LPAR_OP_OK;
}

void lpar_stop_poll(struct lpar *l)
{
	uint64_t deadline = __atomic_load_n(&l->stop_deadline,
					    __ATOMIC_ACQUIRE);
	bool hard = false;

	if (!deadline || mftb() < deadline ||
	    __atomic_load_n(&l->state, __ATOMIC_ACQUIRE) != LPAR_RUNNING) {
		return;
	}
	/*
	 * Said before the stop starts (nothing is printed under the lock),
	 * so that the line comes before the one telling the stop; should the
	 * guest stop by itself meanwhile, no hard stop follows.
	 */
	hv_printf("lparvisor: partition \"%s\" still running %u s after the "
		  "power-off event; stopping it\n", l->cfg.name,
		  l->cfg.stop_timeout_s);
	spin_lock(&l->lock);
	if (l->state == LPAR_RUNNING &&
	    __atomic_load_n(&l->stop_deadline, __ATOMIC_ACQUIRE)) {
		stop_hard_locked(l);
		hard = true;
	}
	__atomic_store_n(&l->stop_deadline, 0, __ATOMIC_RELEASE);
	spin_unlock(&l->lock);
	if (hard) {
		kick_all(l);
	}
}

bool lpar_machine_off_pending(void)
{
	return __atomic_load_n(&machine_off, __ATOMIC_ACQUIRE) != 0;
}

uint32_t lpar_machine_off(bool force, struct lpar **told, uint32_t max)
{
	uint32_t n = 0;

	if (__atomic_load_n(&machine_off, __ATOMIC_ACQUIRE) > force) {
		return 0; /* under way already, as forced as asked */
	}
	__atomic_store_n(&machine_off, 1 + force, __ATOMIC_RELEASE);
	sync();
	for (uint32_t i = 0; i < lpar_count; i++) {
		struct lpar *l = lpar_table[i];
		enum lpar_op r;

		if (l->state != LPAR_RUNNING) {
			continue; /* booting ones: lpar_machine_off_poll() */
		}
		/* Orderly, or hard; stopping already (orderly): now hard. */
		r = lpar_stop(l, force, false);
		if ((r == LPAR_OP_TOLD || r == LPAR_OP_OK) && n < max) {
			told[n++] = l;
		}
	}
	return n; /* none running: lpar_machine_off_poll() powers off */
}

void lpar_machine_off_poll(struct lpar *l)
{
	uint32_t off = __atomic_load_n(&machine_off, __ATOMIC_ACQUIRE);

	if (!off) {
		return;
	}
	/* Held partitions, or none was running: nothing else will. */
	power_off_if_all_stopped();
	/* A partition that was booting: running now, and not yet told. */
	if (__atomic_load_n(&l->state, __ATOMIC_ACQUIRE) !=
			    LPAR_RUNNING ||
	    __atomic_load_n(&l->stop_deadline, __ATOMIC_ACQUIRE)) {
		return;
	}
	if (lpar_stop(l, off == 2, false) == LPAR_OP_TOLD) {
		hv_printf("lparvisor: machine power-off: power-off event sent "
			  "to \"%s\", which was booting\n", l->cfg.name);
	}
}
