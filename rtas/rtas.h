/*
 * RTAS for partitions: the KVMPPC_H_RTAS hcall behind the 20-byte
 * trampoline every guest calls, and the registration of services.  As
 * with HCALL() rows, the file that implements a service registers it next
 * to it with one RTAS_SERVICE() row (linker section `rtas_rows`);
 * rtas_init() sorts them by token into rtas_services at boot, refusing a
 * token or name used twice.  The guest's /rtas node and docs/hcalls.md
 * list the rows.
 */
#ifndef RTAS_RTAS_H
#define RTAS_RTAS_H

#include "hv/abi/rtas.h"
#include "hv/hcall.h"

/* One call, its argument cells already copied out of guest memory. */
struct rtas_call {
	struct vcpu *vc;
	uint32_t token;
	uint32_t nargs, nret;
	uint32_t args[RTAS_MAX_CELLS];
	uint32_t rets[RTAS_MAX_CELLS]; /* zeroed; nret of them written back */
};

/** Set the call's status, rets[0] (a service only runs when nret > 0). */
static inline void rtas_status(struct rtas_call *c, int32_t st)
{
	c->rets[0] = (uint32_t)st;
}

typedef void (*rtas_fn)(struct rtas_call *c);

/* nargs or nret that the service checks itself (QEMU checks neither). */
#define RTAS_ANY 0xff

/* One registration row. */
struct rtas_service {
	uint32_t token;
	const char *name;    /* property name in /rtas */
	rtas_fn fn;
	const char *fn_name; /* "rtas_start_cpu" */
	const char *file;    /* where the row is, for the duplicate panic */
	const char *status;  /* for docs/hcalls.md */
	uint8_t nargs;       /* exact argument count, or RTAS_ANY */
	uint8_t nret;        /* exact return count, or RTAS_ANY */
	uint8_t intc;        /* enum hcall_intc: partitions it serves */
};

/*
 * RTAS_SERVICE(token, name, handler, nargs, nret, intc, status): register
 * `handler` for RTAS `token` (an RTAS_* constant of hv/abi/rtas.h), named
 * `name` in /rtas.  The dispatcher answers status -3 (QEMU 7.2's
 * RTAS_OUT_PARAM_ERROR) without calling it when the counts differ from
 * `nargs`/`nret` (RTAS_ANY: any count) or when the partition's interrupt
 * controller is not `intc`.
 */
#define RTAS_SERVICE(tok_, name_, fn_, nargs_, nret_, intc_, status_)      \
	_Static_assert((tok_) >= RTAS_TOKEN_BASE &&                          \
		       (tok_) < RTAS_TOKEN_BASE + 0x100,                     \
		       #tok_ ": tokens are 0x2000.. as QEMU 7.2's");         \
	_Static_assert((nargs_) == RTAS_ANY || (nargs_) <= RTAS_MAX_CELLS,   \
		       #tok_ ": nargs above RTAS_MAX_CELLS");                \
	_Static_assert((nret_) == RTAS_ANY || ((nret_) >= 1 &&               \
		       (nret_) <= RTAS_MAX_CELLS),                           \
		       #tok_ ": nret 1..RTAS_MAX_CELLS (status is rets[0])"); \
	_Static_assert((nargs_) == RTAS_ANY || (nret_) == RTAS_ANY ||        \
		       (nargs_) + (nret_) <= RTAS_MAX_CELLS,                 \
		       #tok_ ": nargs + nret above RTAS_MAX_CELLS");         \
	_Static_assert((intc_) <= HCALL_INTC_XIVE, #tok_ ": bad intc");      \
	static const struct rtas_service rtas_row_##tok_                     \
		__attribute__((used, section("rtas_rows"), aligned(8))) = {  \
		.token = (tok_), .name = (name_), .fn = (fn_),              \
		.fn_name = #fn_, .file = __FILE__, .status = (status_),     \
		.nargs = (nargs_), .nret = (nret_), .intc = (intc_),        \
	}

/* Most services the table holds (the guest tree builder's limit too). */
#define RTAS_TABLE_MAX 48

/** The table rtas_init() built: every row, sorted by token. */
extern struct rtas_service rtas_services[RTAS_TABLE_MAX];
extern uint32_t rtas_service_count;

enum rtas_build_result {
	RTAS_BUILD_OK = 0,
	RTAS_BUILD_DUPLICATE, /* *dup_a and *dup_b share a token or name */
	RTAS_BUILD_TOO_MANY,
	RTAS_BUILD_BAD_ROW,   /* *dup_a: no handler, name or status */
};

/**
 * Copy `n` rows into `out` (room for `max`), sorted by token.  Pure, for
 * the unit tests.  Returns RTAS_BUILD_OK and *count; RTAS_BUILD_DUPLICATE
 * with the two rows; RTAS_BUILD_TOO_MANY; RTAS_BUILD_BAD_ROW.
 */
enum rtas_build_result rtas_table_build(const struct rtas_service *rows,
					size_t n, struct rtas_service *out,
					uint32_t max, uint32_t *count,
					const struct rtas_service **dup_a,
					const struct rtas_service **dup_b);

/** Build rtas_services from `rtas_rows` at boot; panic on a duplicate. */
void rtas_init(void);

struct lpar;

/** Seconds partition `l` has added to the clock with set-time-of-day. */
int64_t rtas_tod_offset(const struct lpar *l);

/** A partition's clock as get-time-of-day reads it. */
struct rtas_time {
	uint32_t year, month, day, hour, minute, second, ns;
};

/** The time partition `l` sees now (its set-time-of-day offset applied). */
void rtas_partition_time(const struct lpar *l, struct rtas_time *t);

/** Read the platform clock once at boot (seconds since 1970). */
void rtas_init_clock(void);

/*
 * The clock the partition's own RTAS code reads (slof/rtas.S, at
 * LAYOUT_RTAS_CLOCK_OFFSET of its RTAS area): big-endian doublewords,
 * indexed by hv/abi/layout.h's LAYOUT_RTAS_CLOCK_* / 8.
 */
#define RTAS_CODE_CLOCK_WORDS 4

/**
 * Partition `l`'s clock for its RTAS code with set-time-of-day offset
 * `offset`: the timebase at boot, its frequency, the partition's seconds
 * since 1970 at that timebase, and the end of the memory a buffer may
 * reach (the partition's size, at most 4 GiB).  The code's answer at a
 * timebase is rtas_partition_time()'s at the same timebase.
 */
void rtas_code_clock(const struct lpar *l, int64_t offset,
		     be64 out[RTAS_CODE_CLOCK_WORDS]);

/*
 * The RTAS fast path (boot/vectors.S hcall_fast, through
 * rtas_fast_call()): get-time-of-day answered before the exit's full
 * frame is built.  Its buffer: the header and 8 return cells, no
 * arguments.
 */
#define RTAS_FAST_TOD_CELLS 8
#define RTAS_FAST_TOD_BYTES (12 + 4 * RTAS_FAST_TOD_CELLS)

/**
 * Whether the fast path answers a call with this header (a copy in
 * hypervisor memory, as the guest wrote it: big-endian): get-time-of-day
 * with exactly the counts its row wants (0 arguments, 8 returns).
 */
bool rtas_fast_takes(const be32 hdr[3]);

/** get-time-of-day's 8 return cells (status first), big-endian. */
void rtas_tod_cells(const struct rtas_time *t, be32 out[RTAS_FAST_TOD_CELLS]);

struct vcpu;

/**
 * KVMPPC_H_RTAS with r4 = `arg` from `vc`, answered at once when the
 * fast path takes it (true: the return cells written, the hcall's
 * status is H_SUCCESS); false when it does not (nothing read beyond the
 * header, nothing written: the full exit path handles the call, and
 * checks it again from the start).  Only what the full path would do:
 * the buffer must lie whole in the partition's memory, the header is
 * copied once into hypervisor memory before it is looked at.
 */
bool rtas_fast_tod(struct vcpu *vc, uint64_t arg);

/**
 * The fast path's KVMPPC_H_RTAS (rtas/fast.c, called by boot/vectors.S
 * hcall_fast with r4 = `arg`): rtas_fast_tod(), counted in the vCPU's
 * profile when it answered; false: nothing done, the full exit follows.
 */
bool rtas_fast_call(struct vcpu *vc, uint64_t arg);

#endif /* RTAS_RTAS_H */
