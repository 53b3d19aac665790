/*
 * Glue between partitions and their interrupt controller, one lock (the
 * partition's) around every operation.  XICS partitions get the emulated
 * XICS: the output line of each server is mirrored into its vCPU, where
 * guest_exit() turns it into an external interrupt (a raised line kicks
 * the vCPU's thread: hv/guest.c).  XIVE partitions get the host XIVE
 * (intc/xive.c), which delivers straight to the running vCPU.
 */
#include "hv/console.h"
#include "hv/abi/rtas.h"
#include "hv/cpu.h"
#include "hv/lpar_ops.h"
#include "intc/intc.h"
#include "intc/xics.h"
#include "intc/xive.h"
#include "intc/xive_hw.h"
#include "hv/percpu.h"
#include "hv/spr.h"
#include "hv/guest_dt.h"
#include "mm/mem.h"

static void notify(void *ctx, uint32_t server, bool line)
{
	struct lpar *l = ctx;
	struct vcpu *vc = lpar_vcpu(l, server);

	if (vc) {
		__atomic_store_n(&vc->irq, line ? 1u : 0u, __ATOMIC_RELEASE);
		if (line) {
			l->kicks |= 1ull << server; /* once the lock is dropped */
		}
	}
}

/*
 * Drop the partition lock, then kick the vCPUs whose line rose under it:
 * a kicked vCPU's first act is to take this lock, so kicking while
 * holding it would only make the vCPU wait for us.
 */
static void unlock_and_kick(struct lpar *l)
{
	uint64_t m = l->kicks;

	l->kicks = 0;
	spin_unlock(&l->lock);
	for (uint32_t i = 0; m; i++, m >>= 1) {
		if (m & 1) {
			guest_kick(l->vcpus[i]);
		}
	}
}

static const uint32_t device_lisns[] = { GUEST_DT_IRQ_EPOW,
					  GUEST_DT_IRQ_HOTPLUG, INTC_VTY_IRQ };

bool intc_create(struct lpar *l)
{
	size_t size = XICS_SIZE(l->vcpu_count, INTC_SOURCES);

	if (l->cfg.intc == CONFIG_INTC_XIVE) {
		l->xive = xive_create(l, device_lisns, ARRAY_SIZE(device_lisns));
		return l->xive != NULL;
	}

	l->xics = mem_zalloc(size, 64);
	if (!l->xics) {
		hv_printf("lparvisor: partition \"%s\": out of heap for its "
			  "interrupt controller (%zu bytes); not started\n",
			  l->cfg.name, size);
		return false;
	}
	if (xics_init(l->xics, l->vcpu_count, XICS_IRQ_BASE, INTC_SOURCES,
		      notify, l) != XICS_OK) {
		hv_printf("lparvisor: partition \"%s\": interrupt controller "
			  "set-up failed; not started\n", l->cfg.name);
		mem_free(l->xics);
		l->xics = NULL;
		return false;
	}
	xics_irq_claim(l->xics, INTC_VTY_IRQ, false);
	return true;
}

void intc_reset(struct lpar *l)
{
	spin_lock(&l->lock);
	if (l->xive) {
		xive_reset(l->xive);
	} else {
		xics_reset(l->xics);
	}
	unlock_and_kick(l);
}

void intc_destroy(struct lpar *l)
{
	xive_destroy(l->xive);
	l->xive = NULL;
	if (l->xics) {
		mem_free(l->xics);
		l->xics = NULL;
	}
}

void intc_pulse(struct lpar *l, uint32_t irq)
{
	if (l->xive) {
		xive_trigger(l->xive, irq); /* the hardware does the rest */
		return;
	}
	spin_lock(&l->lock);
	xics_set_irq(l->xics, irq, true);
	unlock_and_kick(l);
}

uint64_t intc_lpcr(const struct lpar *l)
{
	/* Externals to the guest (its OS ring); host rings arrive as HVI. */
	return l->xive ? LPCR_LPES0 | LPCR_HVICE : 0;
}

void intc_vcpu_enter(struct vcpu *vc)
{
	if (vc->lpar->xive) {
		xive_vcpu_enter(vc->lpar->xive, vc->id);
	}
}

void intc_vcpu_leave(struct vcpu *vc)
{
	if (vc->lpar->xive) {
		xive_vcpu_leave(vc->lpar->xive, vc->id);
	}
}

bool intc_vcpu_pending(struct vcpu *vc)
{
	if (vc->lpar->xive) {
		return xive_vcpu_pending(vc->lpar->xive, vc->id);
	}
	return vc->irq;
}

void intc_hvi(struct vcpu *vc)
{
	struct xive_part *x = vc->lpar->xive;
	uint16_t ack = xive_hw_ack_hv();

	if (x && !x->hvi++) {
		hv_printf("lparvisor: cpu 0x%x: hypervisor interrupt while "
			  "partition \"%s\" ran (ack 0x%04x); taken, the guest "
			  "goes on\n", vc->pcpu->pir, vc->lpar->cfg.name, ack);
	}
}

static bool is_xive_hcall(uint64_t nr)
{
	return nr >= H_INT_GET_SOURCE_INFO && nr <= H_INT_RESET;
}

int64_t intc_hcall(struct vcpu *vc, struct hcall_args *a)
{
	struct lpar *l = vc->lpar;
	struct xics *x = l->xics;
	uint64_t v1 = 0, v2 = 0;
	int64_t rc;

	/* Each partition has the hcalls of its own controller only (QEMU). */
	if (!l->xive != !is_xive_hcall(a->nr)) {
		return H_FUNCTION;
	}
	spin_lock(&l->lock);
	if (l->xive) {
		rc = xive_hcall(l->xive, vc->id, a);
		spin_unlock(&l->lock);
		return rc;
	}
	switch (a->nr) {
	case H_CPPR:
		rc = xics_h_cppr(x, vc->id, a->arg[0]);
		break;
	case H_IPI:
		rc = xics_h_ipi(x, a->arg[0], a->arg[1]);
		break;
	case H_XIRR:
	case H_XIRR_X:
		rc = xics_h_xirr(x, vc->id, &v1);
		a->ret[0] = v1;
		a->ret[1] = mftb();
		a->ret_count = a->nr == H_XIRR ? 1 : 2;
		break;
	case H_EOI:
		rc = xics_h_eoi(x, vc->id, a->arg[0]);
		break;
	case H_IPOLL:
		rc = xics_h_ipoll(x, a->arg[0], &v1, &v2);
		a->ret[0] = v1;
		a->ret[1] = v2;
		a->ret_count = 2;
		break;
	default:
		rc = H_FUNCTION;
		break;
	}
	unlock_and_kick(l);
	return rc;
}

bool intc_rtas(struct lpar *l, uint32_t token, uint32_t nargs,
	       const uint32_t *args, uint32_t nret, uint32_t *rets)
{
	struct xics *x = l->xics;
	uint32_t server = 0, prio = 0;
	int32_t st;

	/* QEMU wants the exact argument and return counts, else -3. */
	bool ok = (token == RTAS_IBM_SET_XIVE && nargs == 3 && nret == 1) ||
		  (token == RTAS_IBM_GET_XIVE && nargs == 1 && nret == 3) ||
		  ((token == RTAS_IBM_INT_OFF || token == RTAS_IBM_INT_ON) &&
		   nargs == 1 && nret == 1);

	if (token < RTAS_IBM_SET_XIVE || token > RTAS_IBM_INT_ON) {
		return false;
	}
	if (!ok || l->xive) {
		/* A XIVE partition has no XICS: QEMU's unknown-token answer. */
		if (nret) {
			rets[0] = (uint32_t)RTAS_OUT_PARAM_ERROR;
		}
		return true;
	}
	spin_lock(&l->lock);
	if (token == RTAS_IBM_SET_XIVE) {
		st = xics_rtas_set_xive(x, args[0], args[1], args[2]);
	} else if (token == RTAS_IBM_GET_XIVE) {
		st = xics_rtas_get_xive(x, args[0], &server, &prio);
		if (st == RTAS_OUT_SUCCESS) {
			rets[1] = server;
			rets[2] = prio;
		}
	} else if (token == RTAS_IBM_INT_OFF) {
		st = xics_rtas_int_off(x, args[0]);
	} else {
		st = xics_rtas_int_on(x, args[0]);
	}
	unlock_and_kick(l);
	rets[0] = (uint32_t)st;
	return true;
}
