/*
 * The partition side of the fakes: the partition list and the calls the
 * handlers make into hv/lpar.c and hv/guest.c (recorded, not acted on),
 * and the partitions the tests build, whose guest memory lies between
 * two guard zones.
 */
#include <stdio.h>
#include <stdlib.h>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define GUARD_POISON(p, n) ASAN_POISON_MEMORY_REGION(p, n)
#define GUARD_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define GUARD_POISON(p, n) ((void)(p), (void)(n))
#define GUARD_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

#include <libfdt.h>

#include "hv/lpar_ops.h"
#include "hv/unit.h"
#include "intc/intc.h"
#include "tests/unit/fake/fake.h"
#include "tests/unit/fake/fake_internal.h"
#include "tests/unit/fake/fake_xive.h"

struct lpar *lpar_table[LPAR_MAX];
uint32_t lpar_count;
struct fake_calls fake_calls;
void (*fake_cede_wait_hook)(struct vcpu *vc, unsigned waits);
enum config_intc fake_lpar_intc;
uint32_t fake_lpar_disk_count;
uint8_t fake_lpar_disks[CONFIG_LPAR_DISKS];
uint32_t fake_lpar_lan_count;
struct lan_config fake_lpar_lans[CONFIG_MAX_LANS];
uint32_t fake_lpar_vhost_count;
struct vscsi_pair_config fake_lpar_vhosts[CONFIG_MAX_VSCSI_PAIRS];
uint32_t fake_lpar_vclient_count;
struct vscsi_pair_config fake_lpar_vclients[CONFIG_MAX_VSCSI_PAIRS];

struct lpar *lpar_by_lpid(uint32_t lpid)
{
	for (uint32_t i = 0; i < lpar_count; i++) {
		if (lpar_table[i]->cfg.lpid == lpid) {
			return lpar_table[i];
		}
	}
	return NULL;
}

/* A partition built by fake_lpar_create(); `lpar` must stay first. */
struct fake_part {
	struct lpar lpar;
	struct vcpu vcpus[CONFIG_MAX_CORES];
	struct regs frames[CONFIG_MAX_CORES];
	uint8_t *block; /* guard | guest memory | guard */
	uint64_t mem_size;
};

/* The same lookup as hv/lpar.c. */
struct vcpu *lpar_vcpu(struct lpar *l, uint64_t id)
{
	return id < l->vcpu_count ? l->vcpus[id] : NULL;
}

void lpar_set_pate(struct lpar *l)
{
	fake_calls.set_pate++;
	fake_calls.set_pate_lpar = l;
	fake_calls.set_pate_pate1 = l->pate1;
}

/* The firmware's tree after CAS (vio/vof.c): an empty tree. */
int lpar_build_tree(struct lpar *l, void *buf, size_t size, bool cas_answer)
{
	(void)l;
	(void)cas_answer;
	return fdt_create_empty_tree(buf, (int)size);
}

/* The level CAS chose: recorded in the partition, as hv/lpar.c. */
void lpar_set_level(struct lpar *l, enum config_compat level)
{
	l->compat = level;
	l->raw_pvr = level == CONFIG_COMPAT_NONE;
}

/* hv/profile.c's shared line: no threads of no partition hash here. */
const struct imgcheck_stats *lpar_image_shared_stats(void)
{
	static const struct imgcheck_stats none;

	return &none;
}

/* As hv/lpar.c, but for the code itself (only the units' data). */
bool lpar_place_rtas(struct lpar *l, uint64_t base)
{
	if (!gmem_owns(&l->mem, base, 4096)) {
		return false;
	}
	lpar_units_rtas_placed(l, base);
	return true;
}

void lpar_request_stop(struct lpar *l, enum lpar_stop_reason why)
{
	fake_calls.request_stop++;
	fake_calls.stop_lpar = l;
	fake_calls.stop_reason = why;
}

/* As the real one: only the life that is running can be stopped. */
bool lpar_request_stop_life(struct lpar *l, enum lpar_stop_reason why,
			    uint32_t life)
{
	fake_calls.stop_life = life;
	if (l->state != LPAR_RUNNING || l->life != life) {
		return false;
	}
	lpar_request_stop(l, why);
	return true;
}

/* The service console's life-cycle calls: recorded, answered as set. */
enum lpar_op lpar_start(struct lpar *l)
{
	fake_calls.start++;
	fake_calls.op_lpar = l;
	return fake_calls.op_answer;
}

enum lpar_op lpar_stop(struct lpar *l, bool force, bool restart)
{
	fake_calls.stop++;
	fake_calls.op_lpar = l;
	fake_calls.op_force = force;
	fake_calls.op_restart = restart;
	return fake_calls.op_answer;
}

/* The machine power-off: recorded; reports the first partitions told. */
uint32_t lpar_machine_off(bool force, struct lpar **told, uint32_t max)
{
	uint32_t n = 0;

	fake_calls.machine_off++;
	fake_calls.machine_off_force = force;
	for (uint32_t i = 0; i < lpar_count && n < max &&
			     n < fake_calls.machine_off_told; i++) {
		told[n++] = lpar_table[i];
	}
	return n;
}

bool lpar_machine_off_pending(void)
{
	return fake_calls.machine_off != 0;
}

void lpar_hold(struct lpar *l)
{
	l->held = 1;
}

void lpar_stop_poll(struct lpar *l)
{
	(void)l;
}

int64_t guest_cede(struct vcpu *vc, struct regs *r)
{
	fake_calls.cede++;
	fake_calls.cede_vcpu = vc;
	fake_calls.cede_frame = r;
	return fake_calls.cede_rc;
}

/*
 * The partition's units answer, through the real interrupt glue
 * (intc/intc.c), as on the target; the fake has no performance monitor
 * whose alert would count too.
 */
bool guest_interrupt_due(struct vcpu *vc)
{
	return lpar_units_vcpu_pending(vc);
}

void guest_doorbell(struct vcpu *vc)
{
	fake_calls.kicks++;
	fake_calls.kick_vcpu = vc;
	if (fake_locks_held > fake_calls.kick_locks_held) {
		fake_calls.kick_locks_held = fake_locks_held;
	}
}

void guest_cede_wait(struct vcpu *vc)
{
	fake_calls.cede_waits++;
	if (fake_cede_wait_hook) {
		fake_cede_wait_hook(vc, fake_calls.cede_waits);
	} else if (fake_calls.cede_waits >= FAKE_CEDE_WAITS_MAX) {
		/* Nothing ends this cede: on the target it sleeps for ever. */
		fprintf(stderr, "fake guest_cede_wait: vCPU %u never woken\n",
			vc->id);
		abort();
	}
}

static struct fake_part *part_of(const struct lpar *l)
{
	return (struct fake_part *)(uintptr_t)l;
}

struct lpar *fake_lpar_create(const char *name, uint32_t vcpu_count,
			      uint64_t mem_size)
{
	struct fake_part *fp;
	struct lpar *l;

	if (vcpu_count == 0 || vcpu_count > CONFIG_MAX_CORES ||
	    lpar_count == LPAR_MAX) {
		return NULL;
	}
	fp = calloc(1, sizeof(*fp));
	if (!fp) {
		return NULL;
	}
	fp->mem_size = mem_size;
	fp->block = malloc((size_t)mem_size + 2 * FAKE_GUARD_SIZE);
	if (!fp->block) {
		free(fp);
		return NULL;
	}
	memset(fp->block, FAKE_GUARD_FILL, FAKE_GUARD_SIZE);
	memset(fp->block + FAKE_GUARD_SIZE, FAKE_MEM_FILL, (size_t)mem_size);
	memset(fp->block + FAKE_GUARD_SIZE + mem_size, FAKE_GUARD_FILL,
	       FAKE_GUARD_SIZE);
	GUARD_POISON(fp->block, FAKE_GUARD_SIZE);
	GUARD_POISON(fp->block + FAKE_GUARD_SIZE + mem_size, FAKE_GUARD_SIZE);

	l = &fp->lpar;
	snprintf(l->cfg.name, sizeof(l->cfg.name), "%s", name);
	l->cfg.lpid = lpar_count + 1;
	l->cfg.core_count = vcpu_count;
	l->cfg.mem_size = mem_size;
	l->cfg.intc = fake_lpar_intc;
	l->cfg.disk_count = fake_lpar_disk_count;
	memcpy(l->cfg.disks, fake_lpar_disks, sizeof(l->cfg.disks));
	l->cfg.lan_count = fake_lpar_lan_count;
	memcpy(l->cfg.lans, fake_lpar_lans, sizeof(l->cfg.lans));
	l->cfg.vhost_count = fake_lpar_vhost_count;
	memcpy(l->cfg.vhosts, fake_lpar_vhosts, sizeof(l->cfg.vhosts));
	l->cfg.vclient_count = fake_lpar_vclient_count;
	memcpy(l->cfg.vclients, fake_lpar_vclients, sizeof(l->cfg.vclients));
	l->index = lpar_count;
	l->mem.hpa = (uint64_t)(uintptr_t)(fp->block + FAKE_GUARD_SIZE);
	l->mem.size = mem_size;
	l->vcpu_count = vcpu_count;
	for (uint32_t i = 0; i < vcpu_count; i++) {
		fp->vcpus[i].lpar = l;
		fp->vcpus[i].lpar_state = &l->state;
		fp->vcpus[i].id = i;
		fp->vcpus[i].state = VCPU_RUNNING;
		fp->vcpus[i].frame = &fp->frames[i];
		l->vcpus[i] = &fp->vcpus[i];
	}
	l->state = LPAR_RUNNING;
	if (!lpar_units_create(l)) {
		fake_lpar_destroy(l);
		return NULL;
	}
	lpar_table[lpar_count++] = l;
	return l;
}

void fake_lpar_destroy(struct lpar *l)
{
	struct fake_part *fp;
	uint32_t i;

	if (!l) {
		return;
	}
	fp = part_of(l);
	for (i = 0; i < lpar_count && lpar_table[i] != l; i++) {
	}
	if (i < lpar_count) {
		memmove(&lpar_table[i], &lpar_table[i + 1],
			(lpar_count - i - 1) * sizeof(lpar_table[0]));
		lpar_table[--lpar_count] = NULL;
	}
	lpar_units_destroy(l);
	GUARD_UNPOISON(fp->block, fp->mem_size + 2 * FAKE_GUARD_SIZE);
	free(fp->block);
	free(fp);
}

uint8_t *fake_gmem(const struct lpar *l)
{
	return part_of(l)->block + FAKE_GUARD_SIZE;
}

static bool all_fill(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] != FAKE_GUARD_FILL) {
			return false;
		}
	}
	return true;
}

bool fake_guards_intact(const struct lpar *l)
{
	const struct fake_part *fp = part_of(l);
	const uint8_t *lo = fp->block;
	const uint8_t *hi = fp->block + FAKE_GUARD_SIZE + fp->mem_size;
	bool ok;

	GUARD_UNPOISON(lo, FAKE_GUARD_SIZE);
	GUARD_UNPOISON(hi, FAKE_GUARD_SIZE);
	ok = all_fill(lo, FAKE_GUARD_SIZE) && all_fill(hi, FAKE_GUARD_SIZE);
	GUARD_POISON(lo, FAKE_GUARD_SIZE);
	GUARD_POISON(hi, FAKE_GUARD_SIZE);
	return ok;
}

void fake_lpar_reset(void)
{
	while (lpar_count) {
		fake_lpar_destroy(lpar_table[lpar_count - 1]);
	}
	memset(&fake_calls, 0, sizeof(fake_calls));
	fake_cede_wait_hook = NULL;
}

void fake_reset(void)
{
	fake_lpar_reset();
	fake_cpu_reset();
	fake_console_reset();
	fake_platform_reset();
	fake_xive_reset();
	fake_lpar_intc = CONFIG_INTC_XICS;
	fake_lpar_disk_count = 0;
	fake_lpar_lan_count = 0;
	fake_lpar_vhost_count = 0;
	fake_lpar_vclient_count = 0;
}

/* Every case starts from the reset state (each runs in a fresh fork). */
__attribute__((constructor)) static void fake_init(void)
{
	fake_reset();
}

/* hv/exception.c names vectors; the fake names the ones the tests use. */
const char *exception_name(uint64_t vector)
{
	switch (vector) {
	case 0x980: return "hypervisor decrementer";
	case 0xc00: return "system call";
	default: return "reserved vector";
	}
}
