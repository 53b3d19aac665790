/*
 * What the tests of the guest-facing handlers control and observe in the
 * host fakes in tests/unit/fake/: the console, the calls the handlers
 * make into the rest of lparvisor, the machine, the clock, and partitions
 * whose memory is a malloc'd block between two guard zones.
 *
 * Each test case runs in its own forked child (tests/unit/test.c), so the
 * fakes start from their initial state in every case; fake_reset() puts
 * them back there within a case.
 */
#ifndef TESTS_UNIT_FAKE_FAKE_H
#define TESTS_UNIT_FAKE_FAKE_H

#include "hv/cpu.h"
#include "hv/disk.h"
#include "hv/hv.h"
#include "hv/lock.h"
#include "hv/lpar.h"
#include "hv/lpar_ops.h"
#include "hv/regs.h"

#if !defined(FAKE_HV_CPU_H) || !defined(FAKE_HV_LOCK_H)
#error "the real hv/cpu.h or hv/lock.h won: -Itests/unit/fake must come first"
#endif

/* The machine the fakes describe: a POWER9 with four 4-thread cores. */
#define FAKE_TB_FREQ 512000000ull
#define FAKE_MACHINE_THREADS 16

/** Put every fake back to its initial state (console, calls, SPRs...). */
void fake_reset(void);

/*
 * Console: what hv_printf() would have put on the wire, with the cut
 * hv/console.c makes at 255 characters a call, and "\n" kept as is.
 */
const char *fake_console(void);
void fake_console_clear(void);
/* The service console's command line as last shown ("" when none). */
const char *fake_prompt(void);
/** Number of hv_printf()/hv_vprintf() calls since the last clear. */
unsigned fake_console_calls(void);
/*
 * Console queues (hv/console.h) put straight into the same capture;
 * while fake_console_queue_full is set a put finds no room, until a
 * console_queue_wait() (counted) writes the queue out and clears it.
 */
extern bool fake_console_queue_full;
extern unsigned fake_console_queue_waits;
extern int fake_console_wait_locks_held; /* most locks held at a wait */

/* Calls into hv/lpar.c and hv/guest.c, recorded. */
struct fake_calls {
	unsigned set_pate;
	struct lpar *set_pate_lpar;
	uint64_t set_pate_pate1; /* l->pate1 when lpar_set_pate() ran */
	unsigned request_stop;
	struct lpar *stop_lpar;
	enum lpar_stop_reason stop_reason;
	uint32_t stop_life; /* lpar_request_stop_life()'s life */
	unsigned cede;
	struct vcpu *cede_vcpu;
	struct regs *cede_frame;
	int64_t cede_rc; /* what guest_cede() returns */
	unsigned kicks;  /* guest_doorbell() calls (vcpu_kick() of a running vCPU) */
	struct vcpu *kick_vcpu; /* the last one kicked */
	int kick_locks_held;    /* most locks held at a guest_doorbell() */
	unsigned cede_waits;    /* guest_cede_wait() calls */
	unsigned start, stop;   /* lpar_start(), lpar_stop() calls */
	struct lpar *op_lpar;   /* the partition of the last one */
	bool op_force, op_restart;
	int op_answer;          /* what they return (enum lpar_op) */
	unsigned machine_off;   /* lpar_machine_off() calls */
	bool machine_off_force;
	uint32_t machine_off_told; /* partitions it reports told */
};
extern struct fake_calls fake_calls;

/*
 * guest_cede_wait(), one wait of a ceded vCPU (hv/vcpu.c's vcpu_cede()):
 * counted, then this hook (if set) runs with the count so far, standing
 * for whatever happens while the thread is in `stop`.  Without a hook, a
 * cede still waiting after FAKE_CEDE_WAITS_MAX waits aborts the case (on
 * the target it would sleep for ever).
 */
#define FAKE_CEDE_WAITS_MAX 1000
extern void (*fake_cede_wait_hook)(struct vcpu *vc, unsigned waits);

/* platform_read_rtc(): absent unless fake_rtc_present. */
extern bool fake_rtc_present;
extern uint32_t fake_rtc_ymd; /* BCD 0xYYYYMMDD */
extern uint64_t fake_rtc_hms; /* BCD 0xHHMMSS in the top three bytes */

/* mem_zalloc() fails while this is set. */
extern bool fake_heap_fail;
/* The system flash, all of it LPAR_NVRAM (NULL: none); freed by reset. */
extern uint8_t *fake_flash;
extern uint32_t fake_flash_size;
extern uint32_t fake_flash_writes; /* platform_flash_write() calls */
extern bool fake_flash_fail;       /* every flash operation fails */

/*
 * Partitions.  fake_lpar_create() returns a running partition registered
 * in lpar_table, with `vcpu_count` vCPUs (ids 0.., all VCPU_RUNNING), an
 * emulated XICS and every other unit (lpar_units_create()) and `mem_size` bytes of guest memory
 * filled with FAKE_MEM_FILL.  The memory sits between two FAKE_GUARD_SIZE
 * guard zones filled with FAKE_GUARD_FILL; under AddressSanitizer they are
 * also poisoned, so the first stray access is reported where it happens.
 */
#define FAKE_GUARD_SIZE 4096u
#define FAKE_GUARD_FILL 0xa5
#define FAKE_MEM_FILL 0x5a

struct lpar *fake_lpar_create(const char *name, uint32_t vcpu_count,
			      uint64_t mem_size);
/* The controller fake_lpar_create() gives (XICS after fake_reset()). */
extern enum config_intc fake_lpar_intc;
/* The disks (hv/disk.h) the next fake_lpar_create() gives its partition:
 * indexes into fake_disks, whose entries with data disk_get() returns. */
extern uint32_t fake_lpar_disk_count;
extern uint8_t fake_lpar_disks[CONFIG_LPAR_DISKS];
extern struct disk fake_disks[CONFIG_MAX_DISKS];
/* The LAN adapters (vio/vlan.c) the next fake_lpar_create() gives. */
extern uint32_t fake_lpar_lan_count;
extern struct lan_config fake_lpar_lans[CONFIG_MAX_LANS];
/* The VIOS adapters (vio/vios.c) the next fake_lpar_create() gives. */
extern uint32_t fake_lpar_vhost_count;
extern struct vscsi_pair_config fake_lpar_vhosts[CONFIG_MAX_VSCSI_PAIRS];
extern uint32_t fake_lpar_vclient_count;
extern struct vscsi_pair_config fake_lpar_vclients[CONFIG_MAX_VSCSI_PAIRS];
/** Unregister and free a partition from fake_lpar_create() (NULL-safe). */
void fake_lpar_destroy(struct lpar *l);
/** Host address of guest real address 0 of `l`. */
uint8_t *fake_gmem(const struct lpar *l);
/** True when both guard zones of `l` still hold only FAKE_GUARD_FILL. */
bool fake_guards_intact(const struct lpar *l);

#endif /* TESTS_UNIT_FAKE_FAKE_H */
