/*
 * The exit profile (hv/profile.h): reset at every partition boot, summed
 * over the partition's vCPUs when printed.  One line per exit vector and
 * per hcall that occurred, in vector and hcall-number order:
 *
 *   lparvisor: profile "NAME": V vCPUs, T ms since boot, N exits, U us in them
 *   lparvisor: profile "NAME": exit 0xc00 system call: N, U us, A ns each
 *   lparvisor: profile "NAME": hcall 0x0e0 H_CEDE: N, U us, A ns each
 *   lparvisor: profile "NAME": end
 *
 * Unknown and refused hcall numbers (and table entries past the last
 * slot) are counted together as "hcall 0x000 others".
 *
 * Times are what lparvisor spent handling the exit in C (from guest_exit()
 * to the resume decision); the fixed cost of the vector entry and return
 * is not in them (make bench measures the whole round trip).  Exits are
 * timed only with profile=on (two mftb per exit); otherwise the times
 * print as 0 and the first line says so.
 */
#include "hv/console.h"
#include "hv/cpu.h"
#include "hv/exception.h"
#include "hv/hcall.h"
#include "hv/hv.h"
#include "hv/lib/string.h"
#include "hv/lpar.h"
#include "hv/profile.h"

static uint64_t hv_entry_tb;

void profile_set_entry_tb(uint64_t tb)
{
	hv_entry_tb = tb;
}

static uint64_t tb_to_us(uint64_t ticks)
{
	uint64_t per_us = hv_machine.tb_freq / 1000000;

	return per_us ? ticks / per_us : 0;
}

void profile_reset(struct lpar *l)
{
	for (uint32_t i = 0; i < l->vcpu_count; i++) {
		memset(&l->vcpus[i]->prof, 0, sizeof(l->vcpus[i]->prof));
	}
	l->boot_tb = mftb();
}

void profile_guest_entry(struct vcpu *vc)
{
	struct lpar *l = vc->lpar;
	uint64_t now = mftb();

	if (vc->prof.entry_tb) {
		return;
	}
	vc->prof.entry_tb = now;
	if (vc->id == 0 && l->restarts == 0 && hv_entry_tb) {
		hv_printf("lparvisor: partition \"%s\" entered the guest %llu us "
			  "after hand-off (its boot took %llu us: clearing its "
			  "memory %llu us, waiting for its images' check %llu "
			  "us, loading %llu us)\n", l->cfg.name,
			  (unsigned long long)tb_to_us(now - hv_entry_tb),
			  (unsigned long long)tb_to_us(now - l->boot_tb),
			  (unsigned long long)tb_to_us(l->prep_tb[1] -
						       l->prep_tb[0]),
			  (unsigned long long)tb_to_us(l->prep_tb[2] -
						       l->prep_tb[1]),
			  (unsigned long long)tb_to_us(l->prep_tb[3] -
						       l->prep_tb[2]));
	}
}

void profile_first_fault(struct vcpu *vc, uint64_t start_tb)
{
	struct lpar *l = vc->lpar;
	uint64_t now = mftb();

	if (vc->prof.fault_told || vc->id != 0 || l->restarts != 0 ||
	    !hv_entry_tb) {
		return;
	}
	vc->prof.fault_told = true;
	hv_printf("lparvisor: partition \"%s\" had its first guest fault "
		  "answered %llu us after hand-off (the fault took %llu us: "
		  "its chunk filled and the image chunks it needs checked)\n",
		  l->cfg.name, (unsigned long long)tb_to_us(now - hv_entry_tb),
		  (unsigned long long)tb_to_us(now - start_tb));
}

static void sum(const struct lpar *l, const struct prof_count *(*pick)(
			const struct vcpu_prof *, uint32_t),
		uint32_t slot, struct prof_count *out)
{
	out->n = out->tb = 0;
	for (uint32_t i = 0; i < l->vcpu_count; i++) {
		const struct prof_count *c = pick(&l->vcpus[i]->prof, slot);

		out->n += c->n;
		out->tb += c->tb;
	}
}

static const struct prof_count *pick_exit(const struct vcpu_prof *p,
					  uint32_t slot)
{
	return &p->exit[slot];
}

static const struct prof_count *pick_hcall(const struct vcpu_prof *p,
					   uint32_t slot)
{
	return &p->hcall[slot];
}

static void print_line(const struct lpar *l, const char *kind, uint64_t nr,
		       const char *name, const struct prof_count *c)
{
	uint64_t us = tb_to_us(c->tb);
	uint64_t per_us = hv_machine.tb_freq / 1000000;
	uint64_t ns = per_us && c->n ? c->tb * 1000 / per_us / c->n : 0;

	hv_printf("lparvisor: profile \"%s\": %s 0x%03llx %s: %llu, %llu us, "
		  "%llu ns each\n", l->cfg.name, kind, (unsigned long long)nr,
		  name, (unsigned long long)c->n, (unsigned long long)us,
		  (unsigned long long)ns);
}

void profile_print(const struct lpar *l)
{
	struct prof_count total = { 0, 0 }, c;

	for (uint32_t s = 0; s < PROF_EXIT_SLOTS; s++) {
		sum(l, pick_exit, s, &c);
		total.n += c.n;
		total.tb += c.tb;
	}
	console_lock();
	hv_printf("lparvisor: profile \"%s\": %u vCPUs, %llu ms since boot, "
		  "%llu exits", l->cfg.name, l->vcpu_count,
		  (unsigned long long)tb_to_ms(mftb() - l->boot_tb),
		  (unsigned long long)total.n);
	if (hv_opts.profile) {
		hv_printf(", %llu us in them\n",
			  (unsigned long long)tb_to_us(total.tb));
	} else {
		hv_printf(" (untimed: boot option profile=on times them)\n");
	}
	for (uint32_t s = 1; s < PROF_EXIT_SLOTS; s++) {
		sum(l, pick_exit, s, &c);
		if (c.n) {
			print_line(l, "exit", (uint64_t)s << 5,
				   exception_name((uint64_t)s << 5), &c);
		}
	}
	sum(l, pick_exit, 0, &c);
	if (c.n) {
		print_line(l, "exit", 0x1000, "at or above 0x1000", &c);
	}
	for (uint32_t s = 0; s < PROF_HCALL_SLOTS; s++) {
		sum(l, pick_hcall, s, &c);
		if (!c.n) {
			continue;
		}
		if (s < PROF_HCALL_OTHER && s < hcall_table_len) {
			print_line(l, "hcall", hcall_table[s].nr,
				   hcall_table[s].name, &c);
		} else {
			print_line(l, "hcall", 0, "others", &c);
		}
	}
	if (l->mem.lazy) {
		/* The 0xe00/0xe20 exits above include the guest's faults. */
		hv_printf("lparvisor: profile \"%s\": memory cleared on first "
			  "touch: 2 MiB chunks cleared at a guest fault %llu, "
			  "by lparvisor %llu, by idle threads %llu, of %u\n",
			  l->cfg.name, (unsigned long long)l->lazy.by_fault,
			  (unsigned long long)l->lazy.by_hv,
			  (unsigned long long)l->lazy.by_help, l->lazy.chunks);
		hv_printf("lparvisor: profile \"%s\": images loaded on first "
			  "touch: 2 MiB chunks filled from them %llu; image "
			  "chunks checked %llu in %llu us (at touch or by idle "
			  "threads, since creation), %llu in %llu us by threads "
			  "of no partition (verdicts shared by every "
			  "partition)\n", l->cfg.name,
			  (unsigned long long)l->lazy.by_copy,
			  (unsigned long long)l->chunk_stats.chunks,
			  (unsigned long long)tb_to_us(l->chunk_stats.tb),
			  (unsigned long long)lpar_image_shared_stats()->chunks,
			  (unsigned long long)tb_to_us(
				  lpar_image_shared_stats()->tb));
	}
	hv_printf("lparvisor: profile \"%s\": end\n", l->cfg.name);
	console_unlock();
}

void profile_print_all(void)
{
	for (uint32_t i = 0; i < lpar_count; i++) {
		profile_print(lpar_table[i]);
	}
}
