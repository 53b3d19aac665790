/*
 * Hypercall registration and dispatch, in the style of skiboot's
 * opal_call(): the file that implements a handler registers it next to it
 * with one HCALL() row, placed in the linker section `hcall_rows`.  At
 * boot hcall_init() copies the rows into hcall_table, sorted by number,
 * and panics if two rows claim one number.  A handler gets the calling
 * vCPU and the decoded arguments, returns the PAPR status for r3 and puts
 * outputs in ret[] (r4 upwards).  docs/hcalls.md, the guest tree's
 * ibm,hypertas-functions and the exit profile's names come from the rows.
 */
#ifndef HV_HCALL_H
#define HV_HCALL_H

#include "hv/abi/hcall.h"
#include "hv/lib/types.h"

struct vcpu;

struct hcall_args {
	uint64_t nr;
	uint64_t arg[9]; /* r4..r12 */
	uint64_t ret[9]; /* written back to r4..r12 (only ret_count of them) */
	uint32_t ret_count;
};

typedef int64_t (*hcall_fn)(struct vcpu *vc, struct hcall_args *a);

/*
 * Which partitions a row serves.  A partition whose interrupt controller
 * is the other one gets H_FUNCTION, as QEMU 7.2 answers (its XICS and
 * XIVE backends each register only their own hcalls).
 */
enum hcall_intc {
	HCALL_INTC_ANY = 0,
	HCALL_INTC_XICS, /* partitions with interrupt-controller = "xics" */
	HCALL_INTC_XIVE, /* partitions with interrupt-controller = "xive" */
};

/* One registration row; docs/hcalls.md has a line per row. */
struct hcall_entry {
	uint64_t nr;
	const char *name;    /* "H_CEDE" */
	hcall_fn fn;
	const char *fn_name; /* "h_cede" */
	const char *file;    /* where the row is, for the duplicate panic */
	const char *set;     /* its ibm,hypertas-functions set, or NULL */
	const char *status;  /* "done" or "partial: what is missing" */
	uint8_t rets;        /* output registers the call defines */
	uint8_t intc;        /* enum hcall_intc */
};

/* A row's number: PAPR's (a multiple of 4 up to H_LAST_PAPR) or one of
 * QEMU's private ones, KVMPPC_H_RTAS up to KVMPPC_H_VOF_CLIENT. */
#define HCALL_NR_OK(nr)                                                  \
	(((nr) % 4 == 0 && (nr) <= H_LAST_PAPR) ||                       \
	 ((nr) >= KVMPPC_H_RTAS && (nr) <= KVMPPC_H_VOF_CLIENT))

/*
 * HCALL(nr, handler, rets, set, intc, status): register `handler` for
 * hcall `nr` (an H_* constant: its name is the row's name).  `rets` is the
 * number of output registers, `set` the ibm,hypertas-functions name the
 * call belongs to (HCALL_NO_SET: not advertised), `intc` an enum
 * hcall_intc, `status` the line of docs/hcalls.md.  One row per number in
 * the whole image; the row's variable name catches a repeat in one file.
 */
#define HCALL_NO_SET NULL
#define HCALL(nr_, fn_, rets_, set_, intc_, status_)                       \
	_Static_assert(HCALL_NR_OK(nr_), #nr_ ": not a PAPR hcall number "  \
		       "(multiple of 4, at most H_LAST_PAPR) nor QEMU's (KVMPPC_H_*)"); \
	_Static_assert((rets_) <= 9, #nr_ ": at most 9 outputs (r4..r12)"); \
	_Static_assert((intc_) <= HCALL_INTC_XIVE, #nr_ ": bad intc");      \
	static const struct hcall_entry hcall_row_##nr_                      \
		__attribute__((used, section("hcall_rows"), aligned(8))) = { \
		.nr = (nr_), .name = #nr_, .fn = (fn_), .fn_name = #fn_,    \
		.file = __FILE__, .set = (set_), .status = (status_),       \
		.rets = (rets_), .intc = (intc_),                           \
	}

/* Most rows the table holds: every row gets its own exit-profile slot. */
#define HCALL_TABLE_MAX 79

/** The table hcall_init() built: every row, sorted by number. */
extern struct hcall_entry hcall_table[HCALL_TABLE_MAX];
extern uint32_t hcall_table_len;

enum hcall_build_result {
	HCALL_BUILD_OK = 0,
	HCALL_BUILD_DUPLICATE, /* *dup_a and *dup_b claim one number */
	HCALL_BUILD_TOO_MANY,  /* more rows than `max` */
	HCALL_BUILD_BAD_ROW,   /* *dup_a: a NULL handler, name or status */
};

/**
 * Copy `n` rows into `out` (room for `max`), sorted by number.  Pure: the
 * unit tests run it on a fake row set.  Returns HCALL_BUILD_OK and
 * *count; HCALL_BUILD_DUPLICATE with the two rows in *dup_a and *dup_b;
 * HCALL_BUILD_TOO_MANY; HCALL_BUILD_BAD_ROW with the row in *dup_a.
 */
enum hcall_build_result hcall_table_build(const struct hcall_entry *rows,
					  size_t n, struct hcall_entry *out,
					  uint32_t max, uint32_t *count,
					  const struct hcall_entry **dup_a,
					  const struct hcall_entry **dup_b);

/**
 * Build hcall_table from the `hcall_rows` section (once, at boot, before
 * any partition starts).  A duplicate number is an lparvisor bug: panic
 * naming both rows.
 */
void hcall_init(void);

/** The entry for `nr`, or NULL (the caller answers H_FUNCTION). */
const struct hcall_entry *hcall_lookup(uint64_t nr);

/**
 * Write the ibm,hypertas-functions value: the sets the rows name, each
 * once, NUL-terminated, in LoPAR's order (sets it does not list follow in
 * number order).  Returns the length, or 0 if `size` is too small.
 */
size_t hcall_hypertas(char *buf, size_t size);

/**
 * Run hcall `a->nr` for `vc` with the guest's MSR `msr` (problem state
 * gets H_PRIVILEGE, as on QEMU).  Returns the status for r3.
 */
int64_t hcall_dispatch(struct vcpu *vc, uint64_t msr, struct hcall_args *a);

#endif /* HV_HCALL_H */
