/*
 * Exit profile: per-vCPU counters of guest exits by vector and hcalls by
 * hcall-table entry, with the timebase ticks spent handling each.  The
 * vCPU's own thread is the only writer (no locks, no atomics: two loads
 * and two stores per exit, plus two for an hcall); readers sum the vCPUs
 * of a partition and may see a count one exit ahead of its time, which
 * does not matter for a profile.  Exits are always counted; they are
 * timed (two mftb, a helper call each under TCG) only with the boot
 * option profile=on, which also prints the profile when a partition
 * stops.  The console escape Ctrl-] p prints it at any time.
 */
#ifndef HV_PROFILE_H
#define HV_PROFILE_H

#include "hv/lib/types.h"
#include "hv/prof_count.h"

static inline uint32_t prof_exit_slot(uint64_t vec)
{
	return vec < 0x1000 ? (uint32_t)(vec >> 5) : 0;
}

/** Count one exit of vector `vec` that took `ticks` to handle. */
static inline void prof_exit(struct vcpu_prof *p, uint64_t vec,
			     uint64_t ticks)
{
	struct prof_count *c = &p->exit[prof_exit_slot(vec)];

	c->n++;
	c->tb += ticks;
	if (vec == 0xc00) {
		c = &p->hcall[p->hcall_slot];
		c->n++;
		c->tb += ticks;
	}
}

struct lpar;
struct vcpu;

/** The timebase at lparvisor's hand-off from firmware (hv/main.c). */
void profile_set_entry_tb(uint64_t tb);

/** Zero the counters of every vCPU of `l` and note its boot time. */
void profile_reset(struct lpar *l);

/**
 * Note `vc`'s first guest entry of this boot; for vCPU 0 of a partition's
 * first boot, print how long after lparvisor's hand-off it came.
 */
void profile_guest_entry(struct vcpu *vc);

/**
 * vCPU 0 of a partition's first boot has had its first first-touch fault
 * answered (hv/guest.c): prints, once, when that was after the hand-off
 * and how long the fault took (its chunk cleared, the image chunks it
 * needs checked and copied): when the guest's first instruction could
 * complete.
 */
void profile_first_fault(struct vcpu *vc, uint64_t start_tb);

/** Print the exit profile of `l` (every vCPU summed) on the console. */
void profile_print(const struct lpar *l);

/** profile_print() for every partition (console escape Ctrl-] p). */
void profile_print_all(void);

#endif /* HV_PROFILE_H */
