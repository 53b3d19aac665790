/*
 * The runner of the per-partition unit hooks (hv/unit.h): the rows of the
 * "lpar_units" linker section sorted once at boot, each unit's state slot,
 * and each hook run in creation order or its reverse, with the units
 * already created destroyed when a later one fails.
 */
#include "hv/console.h"
#include "hv/lpar.h"
#include "hv/panic.h"
#include "hv/unit.h"
#include "mm/mem.h"

extern const struct lpar_unit __start_lpar_units[];
extern const struct lpar_unit __stop_lpar_units[];

static const struct lpar_unit *units[LPAR_UNIT_MAX];
static uint32_t units_n;

bool unit_table_build(const struct lpar_unit *rows, size_t n)
{
	const struct lpar_unit *sorted[LPAR_UNIT_MAX];

	if (n > LPAR_UNIT_MAX) {
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		size_t j = i;

		/* Insertion sort by order; equal orders are refused. */
		while (j > 0 && sorted[j - 1]->order >= rows[i].order) {
			if (sorted[j - 1]->order == rows[i].order) {
				return false;
			}
			sorted[j] = sorted[j - 1];
			j--;
		}
		sorted[j] = &rows[i];
	}
	for (size_t i = 0; i < n; i++) {
		units[i] = sorted[i];
		if (units[i]->slot) {
			*units[i]->slot = (uint32_t)i;
		}
	}
	units_n = (uint32_t)n;
	return true;
}

void unit_table_init(void)
{
	size_t n = (size_t)(__stop_lpar_units - __start_lpar_units);

	if (!unit_table_build(__start_lpar_units, n)) {
		panic("partition units: %zu rows, at most %u with unique orders",
		      n, LPAR_UNIT_MAX);
	}
}

void lpar_units_boot(const struct config *c)
{
	for (uint32_t i = 0; i < units_n; i++) {
		if (units[i]->boot) {
			units[i]->boot(c);
		}
	}
}

uint32_t unit_count(void)
{
	return units_n;
}

void *lpar_unit_state(const struct lpar *l, uint32_t slot)
{
	return l->unit_state[slot];
}

/* Destroy units [0, n) of `l`, last first, and free their states. */
static void unwind(struct lpar *l, uint32_t n)
{
	l->units_created = 0; /* no hook may run on a half-destroyed unit */
	while (n--) {
		if (units[n]->destroy) {
			units[n]->destroy(l);
		}
		mem_free(l->unit_state[n]);
		l->unit_state[n] = NULL;
	}
}

bool lpar_units_create(struct lpar *l)
{
	l->units_created = 0;
	for (uint32_t i = 0; i < units_n; i++) {
		const struct lpar_unit *u = units[i];

		if (u->state_size) {
			l->unit_state[i] = mem_zalloc(u->state_size, 64);
			if (!l->unit_state[i]) {
				hv_printf("lparvisor: partition \"%s\": out of "
					  "heap for its %s (%zu bytes); not "
					  "started\n", l->cfg.name, u->name,
					  u->state_size);
				unwind(l, i);
				return false;
			}
		}
		if (u->create && !u->create(l)) {
			mem_free(l->unit_state[i]);
			l->unit_state[i] = NULL;
			unwind(l, i);
			return false;
		}
		l->units_created = i + 1;
	}
	return true;
}

void lpar_units_destroy(struct lpar *l)
{
	unwind(l, l->units_created);
}

void lpar_units_reset(struct lpar *l)
{
	for (uint32_t i = 0; i < l->units_created; i++) {
		if (units[i]->reset) {
			units[i]->reset(l);
		}
	}
}

void lpar_units_stop(struct lpar *l, bool restarting)
{
	for (uint32_t i = l->units_created; i--;) {
		if (units[i]->stop) {
			units[i]->stop(l, restarting);
		}
	}
}

void lpar_units_vcpu_enter(struct vcpu *vc)
{
	struct lpar *l = vc->lpar;

	for (uint32_t i = 0; i < l->units_created; i++) {
		if (units[i]->vcpu_enter) {
			units[i]->vcpu_enter(vc);
		}
	}
}

void lpar_units_vcpu_leave(struct vcpu *vc)
{
	struct lpar *l = vc->lpar;

	for (uint32_t i = l->units_created; i--;) {
		if (units[i]->vcpu_leave) {
			units[i]->vcpu_leave(vc);
		}
	}
}

bool lpar_units_vcpu_pending(struct vcpu *vc)
{
	struct lpar *l = vc->lpar;

	for (uint32_t i = 0; i < l->units_created; i++) {
		if (units[i]->vcpu_pending && units[i]->vcpu_pending(vc)) {
			return true;
		}
	}
	return false;
}

void lpar_units_vcpu_hvi(struct vcpu *vc)
{
	struct lpar *l = vc->lpar;

	for (uint32_t i = 0; i < l->units_created; i++) {
		if (units[i]->vcpu_hvi) {
			units[i]->vcpu_hvi(vc);
		}
	}
}

void lpar_units_poll(struct lpar *l)
{
	for (uint32_t i = 0; i < l->units_created; i++) {
		if (units[i]->poll) {
			units[i]->poll(l);
		}
	}
}

uint64_t lpar_units_lpcr(const struct lpar *l)
{
	uint64_t bits = 0;

	for (uint32_t i = 0; i < l->units_created; i++) {
		if (units[i]->lpcr) {
			bits |= units[i]->lpcr(l);
		}
	}
	return bits;
}

bool lpar_units_firmware(struct lpar *l, struct lpar_boot *b)
{
	for (uint32_t i = 0; i < l->units_created; i++) {
		if (units[i]->firmware && !units[i]->firmware(l, b)) {
			return false;
		}
	}
	return true;
}

void lpar_units_rtas_placed(struct lpar *l, uint64_t base)
{
	for (uint32_t i = 0; i < l->units_created; i++) {
		if (units[i]->rtas_placed) {
			units[i]->rtas_placed(l, base);
		}
	}
}

void lpar_units_guest_dt(const struct lpar *l, struct guest_dt_params *p)
{
	for (uint32_t i = 0; i < l->units_created; i++) {
		if (units[i]->guest_dt) {
			units[i]->guest_dt(l, p);
		}
	}
}

bool lpar_units_shutdown(struct lpar *l)
{
	bool told = false;

	for (uint32_t i = 0; i < l->units_created; i++) {
		if (units[i]->shutdown) {
			told |= units[i]->shutdown(l);
		}
	}
	return told;
}

void lpar_units_describe(const struct lpar *l,
			 void (*out)(void *ctx, const char *unit,
				     const char *line),
			 void *ctx)
{
	char line[256];

	for (uint32_t i = 0; i < l->units_created; i++) {
		if (units[i]->describe &&
		    units[i]->describe(l, line, sizeof(line))) {
			line[sizeof(line) - 1] = '\0';
			out(ctx, units[i]->name, line);
		}
	}
}

struct lpar_dma_window *lpar_units_dma_window(struct lpar *l, uint64_t liobn)
{
	for (uint32_t i = 0; i < l->units_created; i++) {
		struct lpar_dma_window *w;

		if (units[i]->dma_window && (w = units[i]->dma_window(l, liobn))) {
			return w;
		}
	}
	return NULL;
}
