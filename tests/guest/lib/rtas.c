/*
 * RTAS calls through KVMPPC_H_RTAS.  The argument buffer is big-endian
 * 32-bit cells: token, nargs, nret, args[nargs], rets[nret].  Most calls
 * share one buffer under a lock, as Linux's `rtas_call` does; stop-self
 * and power-off use a per-vCPU buffer outside it (Linux
 * `rtas_call_unlocked`), because they do not return.
 */
#include <stdarg.h>

#include "hv/abi/hcall.h"
#include "tests/guest/lib/cpu.h"
#include "tests/guest/lib/dt.h"
#include "tests/guest/lib/hcall.h"
#include "tests/guest/lib/lock.h"
#include "tests/guest/lib/ppc.h"
#include "tests/guest/lib/rtas.h"

static struct rtas_args_wire shared_args;
static struct spinlock rtas_lock;

bool rtas_init(void)
{
	return dt_path("/rtas") >= 0;
}

int rtas_token(const char *name)
{
	uint32_t token;

	if (!dt_prop_u32(dt_path("/rtas"), name, &token)) {
		return RTAS_UNKNOWN_SERVICE;
	}
	return (int)token;
}

unsigned long rtas_code_entry(void)
{
	uint32_t entry;

	if (!dt_prop_u32(dt_path("/rtas"), "linux,rtas-entry", &entry)) {
		return 0;
	}
	return entry;
}

long rtas_call_buf(struct rtas_args_wire *args)
{
	return hcall(KVMPPC_H_RTAS, (uint64_t)(uintptr_t)args);
}

int rtas_call(int token, int nargs, int nret, uint32_t *outputs, ...)
{
	struct rtas_args_wire *a = &shared_args;
	va_list ap;
	int status;

	if (token == RTAS_UNKNOWN_SERVICE || nargs < 0 || nret < 1 ||
	    nargs + nret > RTAS_MAX_CELLS) {
		return RTAS_OUT_PARAM_ERROR;
	}
	spin_lock(&rtas_lock);
	a->token = cpu_to_be32(token);
	a->nargs = cpu_to_be32(nargs);
	a->nret = cpu_to_be32(nret);
	va_start(ap, outputs);
	for (int i = 0; i < nargs; i++) {
		a->args[i] = cpu_to_be32(va_arg(ap, unsigned int));
	}
	va_end(ap);
	for (int i = 0; i < nret; i++) {
		a->args[nargs + i] = 0;
	}
	rtas_call_buf(a);
	status = (int)be32_to_cpu(a->args[nargs]);
	if (outputs) {
		for (int i = 1; i < nret; i++) {
			outputs[i - 1] = be32_to_cpu(a->args[nargs + i]);
		}
	}
	spin_unlock(&rtas_lock);
	return status;
}

static void call_unlocked(int token, int nargs, uint32_t a0, uint32_t a1)
{
	struct rtas_args_wire *a = &cpu_self()->rtas_args;

	a->token = cpu_to_be32(token);
	a->nargs = cpu_to_be32(nargs);
	a->nret = cpu_to_be32(1);
	a->args[0] = cpu_to_be32(a0);
	a->args[1] = cpu_to_be32(a1);
	a->args[nargs] = 0;
	rtas_call_buf(a);
}

void rtas_stop_self(void)
{
	call_unlocked(rtas_token("stop-self"), 0, 0, 0);
	for (;;) {
		cpu_relax();
	}
}

void rtas_power_off(void)
{
	call_unlocked(rtas_token("power-off"), 2, 0xffffffff, 0xffffffff);
	for (;;) {
		cpu_relax();
	}
}
