/*
 * The registration tables for the host tests: built from the `hcall_rows`,
 * `rtas_rows` and `lpar_units` sections of this binary (GCC's linker defines
 * __start_/__stop_ for them) before any case runs, as boot_main() builds
 * them on the machine.  panic() as the hypervisor's, minus the machine:
 * the message on stderr, then abort(), which fails the case.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "hv/hcall.h"
#include "hv/panic.h"
#include "hv/unit.h"
#include "rtas/rtas.h"

__attribute__((constructor)) static void build_tables(void)
{
	hcall_init();
	rtas_init();
	unit_table_init();
}

void panic_at(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "panic at %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}
