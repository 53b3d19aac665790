/*
 * The boot flow after boot/head.S: learn the machine from skiboot's tree,
 * take over memory, interrupts and every thread, report, and (until
 * partitions exist) power the machine off.  docs/architecture.md walks
 * through the same steps.
 */
#include <libfdt.h>

#include "hv/bootkernel.h"
#include "hv/bundle.h"
#include "hv/config.h"
#include "hv/console.h"
#include "hv/cpu.h"
#include "hv/disk.h"
#include "hv/exception.h"
#include "hv/guest.h"
#include "hv/hcall.h"
#include "hv/hv.h"
#include "hv/lib/string.h"
#include "hv/lpar_ops.h"
#include "hv/panic.h"
#include "hv/platform.h"
#include "hv/profile.h"
#include "hv/smp.h"
#include "hv/unit.h"
#include "mm/mem.h"
#include "rtas/rtas.h"
#include "platform-powernv/hostdt.h"
#include "intc/xive_hw.h"
#include "platform-powernv/pnv.h"

#ifndef LPARVISOR_VERSION
#define LPARVISOR_VERSION "unknown"
#endif

/* Largest host tree we accept; skiboot's is 15-30 KiB. */
#define HOST_FDT_MAX SZ_16M
#define VECTORS_SIZE SZ_64K

void *hv_host_fdt; /* our copy of skiboot's tree */

extern char __image_end[];
#define LOAD_BASE 0x20000000ull

__noreturn void boot_main(uint64_t fdt, uint64_t opal_base,
			  uint64_t opal_entry);

static uint64_t handoff_tb; /* skiboot's hand-off */

static void print_size(uint64_t bytes)
{
	if (bytes >= SZ_1G && IS_ALIGNED(bytes, SZ_1G)) {
		hv_printf("%llu GiB", (unsigned long long)(bytes >> 30));
	} else if (bytes >= SZ_1M) {
		hv_printf("%llu MiB", (unsigned long long)(bytes >> 20));
	} else {
		hv_printf("%llu KiB", (unsigned long long)(bytes >> 10));
	}
}

static bool in_memory(const struct machine *m, uint64_t base, uint64_t size)
{
	for (uint32_t i = 0; i < m->mem_count; i++) {
		if (ranges_overlap(base, size, m->mem[i].base, m->mem[i].size)) {
			return true;
		}
	}
	return false;
}

static void print_cores(const struct machine *m)
{
	for (uint32_t c = 0; c < m->chip_count; c++) {
		hv_printf("chip %u:", m->chips[c]);
		for (uint32_t i = 0; i < m->core_count; i++) {
			const struct machine_core *core = &m->cores[i];

			if (core->chip_id != m->chips[c]) {
				continue;
			}
			hv_printf(" core 0x%x [threads", core->pir);
			for (uint32_t t = 0; t < core->thread_count; t++) {
				hv_printf(" 0x%x", core->threads[t]);
			}
			hv_printf("]");
		}
		hv_printf("\n");
	}
}

static void print_machine(const struct machine *m)
{
	hv_printf("machine: %s, %s (PVR 0x%08x), %u chip%s, %u cores, %u "
		  "threads, timebase %llu Hz, boot cpu 0x%x\n",
		  m->model, machine_family_name(m->family), m->cores[0].pvr,
		  m->chip_count, m->chip_count == 1 ? "" : "s", m->core_count,
		  machine_thread_count(m), (unsigned long long)m->tb_freq,
		  m->boot_pir);
	print_cores(m);
	for (uint32_t i = 0; i < m->mem_count; i++) {
		hv_printf("memory: 0x%016llx-0x%016llx ",
			  (unsigned long long)m->mem[i].base,
			  (unsigned long long)(m->mem[i].base + m->mem[i].size - 1));
		print_size(m->mem[i].size);
		hv_printf(" (chip %u)\n", m->mem[i].chip_id);
	}
	for (uint32_t i = 0; i < m->rsv_count; i++) {
		const struct machine_rsv *r = &m->rsv[i];

		hv_printf("reserved: 0x%016llx-0x%016llx %s%s\n",
			  (unsigned long long)r->base,
			  (unsigned long long)(r->base + r->size - 1),
			  r->name[0] ? r->name : "(unnamed)",
			  in_memory(m, r->base, r->size) ? "" :
							   " (outside memory)");
	}
	hv_printf("opal: base 0x%llx entry 0x%llx runtime size 0x%llx, "
		  "console %s%u\n",
		  (unsigned long long)m->opal_base,
		  (unsigned long long)m->opal_entry,
		  (unsigned long long)m->opal_size,
		  m->has_console ? "terminal " : "(none found) terminal ",
		  m->console_term);
	if (m->xive.present) {
		hv_printf("xive: presenter, HV TIMA 0x%llx, OS TIMA 0x%llx, "
			  "%u priorities\n",
			  (unsigned long long)m->xive.tima[1],
			  (unsigned long long)m->xive.tima[2],
			  m->xive.priorities);
	} else {
		hv_printf("xive: none (XICS-only machine)\n");
	}
	hv_printf("pci: %u host bridge%s", m->phb_count,
		  m->phb_count == 1 ? "" : "s");
	for (uint32_t i = 0; i < m->phb_count; i++) {
		hv_printf("%s %llu@chip%u", i ? "," : ":",
			  (unsigned long long)m->phbs[i].opal_id,
			  m->phbs[i].chip_id);
	}
	hv_printf("\n");
	for (uint32_t i = 0; i < m->phb_count; i++) {
		const struct machine_phb *p = &m->phbs[i];

		hv_printf("pci: PHB %llu: chip %u index %d%s, buses %u-%u, "
			  "M32 0x%llx+0x%llx at PCI 0x%llx, M64 0x%llx+0x%llx, "
			  "%u PEs, MSIs 0x%x+%u\n",
			  (unsigned long long)p->opal_id, p->chip_id,
			  p->index == MACHINE_PHB_NO_INDEX ? -1 : (int)p->index,
			  p->okay ? "" : " (not okay)", p->bus_first,
			  p->bus_last, (unsigned long long)p->m32_cpu,
			  (unsigned long long)p->m32_size,
			  (unsigned long long)p->m32_pci,
			  (unsigned long long)p->m64_cpu,
			  (unsigned long long)p->m64_size, p->num_pes,
			  p->msi_base, p->msi_count);
	}
}

static void read_host_tree(uint64_t fdt)
{
	const void *tree = (const void *)(uintptr_t)fdt;
	char err[160];
	size_t size;

	if (fdt == 0 || fdt_magic(tree) != FDT_MAGIC) {
		panic("no device tree at 0x%llx (r3 from firmware)",
		      (unsigned long long)fdt);
	}
	size = fdt_totalsize(tree);
	if (size > HOST_FDT_MAX) {
		panic("host device tree at 0x%llx claims %zu bytes",
		      (unsigned long long)fdt, size);
	}
	if (hostdt_parse(tree, size, &hv_machine, err, sizeof(err))) {
		panic("host device tree: %s", err);
	}
}

static void copy_host_tree(uint64_t fdt)
{
	size_t size = fdt_totalsize((const void *)(uintptr_t)fdt);

	hv_host_fdt = mem_zalloc_boot(size, 8, "the host device tree copy");
	memcpy(hv_host_fdt, (const void *)(uintptr_t)fdt, size);
}

/*
 * Without an initramfs, the bundle may be inside lparvisor's own file, as
 * on a real machine's BOOTKERNEL (hv/bootkernel.h): skiboot loaded the
 * whole file at LOAD_BASE, at most KERNEL_LOAD_SIZE bytes.  It is then
 * used and kept as an initramfs would be.
 */
#define KERNEL_LOAD_SIZE 0x08000000ull /* skiboot include/mem-map.h */

static void find_embedded_bundle(struct machine *m)
{
	uint64_t off, len;
	const char *why;

	if (m->initrd_start) {
		return;
	}
	why = bootkernel_bundle((const void *)(uintptr_t)LOAD_BASE,
				KERNEL_LOAD_SIZE,
				(uintptr_t)__image_end - LOAD_BASE, &off, &len);
	if (why) {
		hv_printf("lparvisor: no embedded boot bundle: %s\n", why);
		return;
	}
	if (!len) {
		return;
	}
	m->initrd_start = LOAD_BASE + off;
	m->initrd_end = LOAD_BASE + off + len;
	hv_printf("lparvisor: boot bundle embedded in lparvisor's image: "
		  "%llu KiB at 0x%llx\n", (unsigned long long)(len >> 10),
		  (unsigned long long)m->initrd_start);
}

static void take_memory(uint64_t fdt)
{
	const struct machine *m = &hv_machine;
	struct mem_keep keep[] = {
		{ 0, VECTORS_SIZE, "exception vectors", true },
		{ LOAD_BASE, (uintptr_t)__image_end - LOAD_BASE,
		  "lparvisor image", true },
		{ fdt, fdt_totalsize((const void *)(uintptr_t)fdt),
		  "skiboot's device tree", false },
		{ m->initrd_start, m->initrd_end - m->initrd_start,
		  "the boot bundle (initramfs)", false },
	};

	mem_init(m, keep, ARRAY_SIZE(keep), hv_opts.heap_size);
}

static void read_options(void)
{
	char warn[256];

	options_default(&hv_opts);
	if (options_parse(hv_machine.bootargs, &hv_opts, warn, sizeof(warn))) {
		hv_printf("options: ignored bad values (defaults kept): %s\n",
			  warn);
	}
	panic_set_action(hv_opts.panic);
	hv_printf("options: heap %llu KiB, smp_timeout_ms %u, panic %s\n",
		  (unsigned long long)(hv_opts.heap_size >> 10),
		  hv_opts.smp_timeout_ms,
		  hv_opts.panic == PANIC_POWEROFF ? "poweroff" :
		  hv_opts.panic == PANIC_REBOOT	  ? "reboot" :
						    "halt");
}

static void take_interrupts(void)
{
	int64_t rc = platform_reinit_cpus(&hv_machine);

	if (rc) {
		panic("OPAL_REINIT_CPUS failed (rc %lld): interrupts would "
		      "arrive big-endian", (long long)rc);
	}
	exception_install_vectors();
	cpu_init_this();
	if (options_cpu_selected(hv_opts.debug_fault_cpu, this_cpu()->pir, 0)) {
		/* Fault injection on the boot thread: must end in a panic. */
		cpu_illegal_instruction();
	}
}

static void print_config_errors(const struct config *c)
{
	for (uint32_t i = 0; i < c->error_count; i++) {
		hv_printf("config: error: %s\n", c->errors[i].message);
	}
	if (c->errors_dropped) {
		hv_printf("config: %u more errors not shown\n",
			  c->errors_dropped);
	}
}

static void print_partition(const struct lpar *l)
{
	hv_printf("lparvisor: partition \"%s\" (LPID %u): %u vCPU on core%s",
		  l->cfg.name, l->cfg.lpid, l->vcpu_count,
		  l->vcpu_count == 1 ? "" : "s");
	for (uint32_t i = 0; i < l->vcpu_count; i++) {
		hv_printf(" %u", l->cfg.cores[i]);
	}
	if (!l->cfg.kernel[0]) {
		hv_printf(", %llu MiB at 0x%llx, SLOF booting from its "
			  "disks\n", (unsigned long long)(l->mem.size >> 20),
			  (unsigned long long)l->mem.hpa);
		return;
	}
	hv_printf(", %llu MiB at 0x%llx, booting \"%s\"\n",
		  (unsigned long long)(l->mem.size >> 20),
		  (unsigned long long)l->mem.hpa, l->cfg.kernel);
}

/*
 * The sha256 of every image a partition boots, each image once, on this
 * thread while the partitions' own threads clear their memory (the
 * longest part of a boot besides this): a partition enters its guest only
 * after its images matched, and one whose images do not stops as one
 * that cannot boot.  Returns nothing.
 */
static void check_images(const struct bundle *b)
{
	uint64_t t0 = mftb();

	for (uint32_t i = 0; i < lpar_count; i++) {
		lpar_check_images(lpar_table[i], b);
	}
	hv_printf("lparvisor: boot bundle: images checked (sha256 of %llu KiB) "
		  "in %llu ms, %llu ms after hand-off\n",
		  (unsigned long long)(b->hashed_bytes >> 10),
		  (unsigned long long)tb_to_ms(mftb() - t0),
		  (unsigned long long)tb_to_ms(mftb() - handoff_tb));
}

/*
 * Read the boot bundle (skiboot's initramfs), check its configuration and
 * start every partition that passes.  Returns how many were started.
 */
/* The PHBs partitions may own, as the configuration names them. */
static struct config_phb config_phbs[MACHINE_MAX_PHBS];

static uint32_t start_partitions(void)
{
	const struct machine *m = &hv_machine;
	static struct bundle b;
	struct config_env env = { 0 };
	struct config *c;
	const void *cfg;
	size_t cfg_len;
	enum bundle_err be;
	uint32_t started = 0;
	uint64_t guest_bytes = 0;
	uint64_t disk_bytes;

	if (!m->initrd_start) {
		hv_printf("lparvisor: no boot bundle (no initramfs in "
			  "/chosen); no partitions to start\n");
		return 0;
	}
	be = bundle_open(&b, (const void *)(uintptr_t)m->initrd_start,
			 m->initrd_end - m->initrd_start);
	if (be == BUNDLE_OK) {
		be = bundle_image(&b, "config", &cfg, &cfg_len);
	}
	if (be != BUNDLE_OK) {
		hv_printf("lparvisor: boot bundle at 0x%llx: %s; no partitions "
			  "to start\n", (unsigned long long)m->initrd_start,
			  bundle_strerror(be));
		return 0;
	}
	c = mem_zalloc_boot(sizeof(*c), 8, "the partition configuration");
	env.core_count = m->core_count;
	env.mem_available = mem_free_bytes();
	env.no_xive = !xive_hw_init();
	env.no_radix = !cpu_family_has_radix(m->family);
	env.phbs = config_phbs;
	for (uint32_t i = 0; i < m->phb_count; i++) {
		const struct machine_phb *p = &m->phbs[i];

		if (machine_find_phb(m, p->chip_id, p->index) == p) {
			config_phbs[env.phb_count].chip = p->chip_id;
			config_phbs[env.phb_count].index = p->index;
			env.phb_count++;
		}
	}
	/* Hashes wait until the partitions clear their memory: check_images(). */
	bundle_config_env_unhashed(&b, &env);
	if (config_parse(cfg, cfg_len, &env, c) != CONFIG_OK) {
		print_config_errors(c);
		hv_printf("lparvisor: the configuration is unusable; no "
			  "partitions to start\n");
		return 0;
	}
	/* Idle threads hash the chunks the first faults need from now on. */
	lpar_image_precheck(&b, c);
	print_config_errors(c);
	lpar_init_partition_table();
	unit_table_init();
	rtas_init_clock();
	disk_bytes = disk_setup(c, &b);
	lpar_units_boot(c);
	for (uint32_t i = 0; i < c->lpar_count; i++) {
		uint64_t pages0, heap0, pages1, heap1;
		struct lpar *l;

		if (c->lpars[i].refused) {
			hv_printf("lparvisor: partition \"%s\" refused by the "
				  "configuration check\n", c->lpars[i].name);
			continue;
		}
		if (!disk_users_ok(&c->lpars[i])) {
			continue;
		}
		mem_usage(&pages0, &heap0);
		l = lpar_create(&c->lpars[i], &b);
		if (!l) {
			continue;
		}
		mem_usage(&pages1, &heap1);
		print_partition(l);
		/* What creating it cost lparvisor, beside its own memory. */
		hv_printf("mm: partition \"%s\": lparvisor keeps %llu KiB for it "
			  "(page tables %llu KiB, heap %llu bytes)\n", l->cfg.name,
			  (unsigned long long)((pages1 - pages0 - l->mem.size +
						heap1 - heap0) >> 10),
			  (unsigned long long)((pages1 - pages0 - l->mem.size) >> 10),
			  (unsigned long long)(heap1 - heap0));
		guest_bytes += l->mem.size;
		if (l->cfg.on_boot == CONFIG_ON_BOOT_WAIT) {
			lpar_hold(l);
			hv_printf("lparvisor: partition \"%s\" waits for `start` "
				  "on the service console (Ctrl-] start %s)\n",
				  l->cfg.name, l->cfg.name);
		} else {
			lpar_boot(l);
		}
		started++;
	}
	if (started) {
		mem_print_reserve(guest_bytes, disk_bytes);
	}
	check_images(&b);
	lpar_boot_done();
	return started;
}

void boot_main(uint64_t fdt, uint64_t opal_base, uint64_t opal_entry)
{
	uint64_t entry_tb = mftb();
	uint32_t online;

	handoff_tb = entry_tb;
	profile_set_entry_tb(entry_tb);
	smp_init_boot_cpu();
	pnv_set_opal(opal_base, opal_entry);
	hv_printf("\nlparvisor %s: hypervisor for IBM POWER, started by OPAL\n",
		  LPARVISOR_VERSION);
	read_host_tree(fdt);
	if (hv_machine.opal_entry != opal_entry ||
	    hv_machine.opal_base != opal_base) {
		hv_printf("opal: using the device tree's OPAL base/entry "
			  "(registers said 0x%llx/0x%llx)\n",
			  (unsigned long long)opal_base,
			  (unsigned long long)opal_entry);
		pnv_set_opal(hv_machine.opal_base, hv_machine.opal_entry);
	}
	pnv_set_console(hv_machine.console_term);
	pnv_set_heartbeat(ms_to_tb(hv_machine.heartbeat_ms / 2));
	pnv_set_flash(&hv_machine.flash);
	read_options();
	/* The registration rows; a number used twice panics here. */
	hcall_init();
	rtas_init();
	print_machine(&hv_machine);
	find_embedded_bundle(&hv_machine);
	take_memory(fdt);
	copy_host_tree(fdt);
	take_interrupts();
	guest_probe_hdec();
	online = smp_start_secondaries(&hv_machine);
	smp_report();
	mem_print_accounting();
	hv_printf("lparvisor: ready: %u of %u cpus online, %llu ms after "
		  "hand-off\n", online, machine_thread_count(&hv_machine),
		  (unsigned long long)tb_to_ms(mftb() - entry_tb));
	if (start_partitions() == 0) {
		hv_printf("lparvisor: no partition running; powering off\n");
		platform_power_off();
	}
	cpu_idle(this_cpu());
}
