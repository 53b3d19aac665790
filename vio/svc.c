/*
 * The service console, a small HMC on the machine console
 * (docs/console.md): Ctrl-] opens a command line, edited and parsed by
 * vio/svc_cmd.c, and its command runs here on the housekeeping thread
 * that read the keys.  The life-cycle commands go through hv/lpar_ops.h
 * (the partition's lock decides; nothing is printed under it); every
 * answer is printed with no lock held.  One command per Ctrl-]: input
 * goes back to the partition in focus once the line is entered.
 */
#include "hv/console.h"
#include "hv/cpu.h"
#include "hv/hv.h"
#include "hv/lib/format.h"
#include "hv/lib/string.h"
#include "hv/lpar_ops.h"
#include "hv/profile.h"
#include "hv/service.h"
#include "hv/unit.h"
#include "mm/mem.h"
#include "vio/svc.h"
#include "vio/svc_cmd.h"
#include "vio/vty.h"
#include "vio/vty_filter.h"

#define PROMPT "lparvisor> "
#define PREFIX "[lparvisor] "

static struct svc_line ed;
static bool escape_pending; /* Ctrl-] typed, its next key not yet */
static bool line_open;
static bool lf_after_cr; /* the line ended with CR: a LF may follow */

/* For `list`'s exits per second: each partition's count at the last look. */
static uint64_t last_exits[LPAR_MAX], last_tb[LPAR_MAX];

static void draw(void)
{
	char text[CONSOLE_PROMPT_MAX];
	size_t n = hv_snprintf(text, sizeof(text), PROMPT "%s", ed.buf);

	console_prompt(text, MIN(n, sizeof(text) - 1));
}

static void error(const char *fmt, ...) __printf(1, 2);

/* One line, "[lparvisor] error: ...". */
static void error(const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	va_start(ap, fmt);
	hv_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	hv_printf(PREFIX "error: %s\n", msg);
}

static uint64_t tb_freq(void)
{
	return hv_machine.tb_freq ? hv_machine.tb_freq : 512000000ull;
}

static struct lpar *find(const char *name)
{
	for (uint32_t i = 0; i < lpar_count; i++) {
		if (strcmp(lpar_table[i]->cfg.name, name) == 0) {
			return lpar_table[i];
		}
	}
	error("no partition \"%s\"; 'list' shows them", name);
	return NULL;
}

static const char *state_name(const struct lpar *l)
{
	switch (l->state) {
	case LPAR_RUNNING:
		return "running";
	case LPAR_STOPPING:
		return "stopping";
	case LPAR_BOOTING:
		return "booting";
	default:
		return l->held && !l->boot_tb ? "waiting for start" : "stopped";
	}
}

static uint64_t exits_of(const struct lpar *l)
{
	uint64_t n = 0;

	for (uint32_t i = 0; i < l->vcpu_count; i++) {
		for (uint32_t s = 0; s < PROF_EXIT_SLOTS; s++) {
			n += __atomic_load_n(&l->vcpus[i]->prof.exit[s].n,
					     __ATOMIC_RELAXED);
		}
	}
	return n;
}

/* Exits per second since the last `list` (or the partition's boot). */
static uint64_t exit_rate(const struct lpar *l, uint64_t now)
{
	uint32_t i = l->index;
	uint64_t exits = exits_of(l), since = last_tb[i], base = last_exits[i];
	uint64_t rate;

	if (i >= LPAR_MAX) {
		return 0;
	}
	if (!since || since < l->boot_tb || base > exits) {
		since = l->boot_tb;
		base = 0;
	}
	rate = now > since ? (exits - base) * tb_freq() / (now - since) : 0;
	last_exits[i] = exits;
	last_tb[i] = now;
	return rate;
}

static void print_unit_line(void *ctx, const char *unit, const char *line)
{
	(void)ctx;
	hv_printf(PREFIX "       %s: %s\n", unit, line);
}

static void cmd_list(void)
{
	uint64_t now = mftb();

	hv_printf(PREFIX "partitions (Ctrl-] then a number gives it the "
		  "console):\n");
	for (uint32_t i = 0; i < lpar_count; i++) {
		struct lpar *l = lpar_table[i];
		bool up = l->state != LPAR_STOPPED && l->boot_tb;
		uint64_t ds = up ? (now - l->boot_tb) * 10 / tb_freq() : 0;
		uint64_t rate = exit_rate(l, now);

		if (up) {
			hv_printf(PREFIX " %c%u %s: %s, %u vCPU, %llu MiB, "
				  "restarts %u, up %llu.%llu s, %llu exits/s\n",
				  i == vty_focus() ? '*' : ' ', i + 1,
				  l->cfg.name, state_name(l), l->vcpu_count,
				  (unsigned long long)(l->mem.size >> 20),
				  l->restarts, (unsigned long long)(ds / 10),
				  (unsigned long long)(ds % 10),
				  (unsigned long long)rate);
		} else {
			hv_printf(PREFIX " %c%u %s: %s, %u vCPU, %llu MiB, "
				  "restarts %u\n", i == vty_focus() ? '*' : ' ',
				  i + 1, l->cfg.name, state_name(l),
				  l->vcpu_count,
				  (unsigned long long)(l->mem.size >> 20),
				  l->restarts);
		}
		lpar_units_describe(l, print_unit_line, NULL);
	}
}

static void cmd_start(struct lpar *l)
{
	switch (lpar_start(l)) {
	case LPAR_OP_OK:
		hv_printf(PREFIX "starting \"%s\"\n", l->cfg.name);
		break;
	case LPAR_OP_RUNNING:
		error("\"%s\" is running already", l->cfg.name);
		break;
	case LPAR_OP_MACHINE_OFF:
		error("the machine is powering off");
		break;
	default:
		error("\"%s\" is %s; try again when it has stopped",
		      l->cfg.name, state_name(l));
		break;
	}
}

static void cmd_stop(struct lpar *l, bool force, bool restart)
{
	const char *name = l->cfg.name;

	switch (lpar_stop(l, force, restart)) {
	case LPAR_OP_TOLD:
		hv_printf(PREFIX "\"%s\": power-off event sent; %s, or is "
			  "stopped hard if it still runs in %u s\n", name,
			  restart ? "it boots again once it has stopped" :
				    "waiting for it to stop",
			  l->cfg.stop_timeout_s);
		break;
	case LPAR_OP_OK:
		hv_printf(PREFIX "%s \"%s\" now\n",
			  restart ? (force ? "restarting" : "starting") :
				    "stopping", name);
		break;
	case LPAR_OP_STOPPED:
		error("\"%s\" is not running", name);
		break;
	case LPAR_OP_RUNNING:
		error("\"%s\" is running already", name);
		break;
	case LPAR_OP_MACHINE_OFF:
		error("the machine is powering off");
		break;
	default:
		error("\"%s\" is %s; try again later", name, state_name(l));
		break;
	}
}

/*
 * `log`: each line filtered as it was on the console (vio/vty_filter.h),
 * prefixed "[NAME@SECONDS]" with the timebase when the line began.  The
 * vty's lock is held only to copy one line; the console only to print it.
 */
struct log_sink {
	char piece[132];
};

static void log_write(void *ctx, const char *s, size_t n)
{
	struct log_sink *k = ctx;

	n = MIN(n, sizeof(k->piece) - 1);
	memcpy(k->piece, s, n);
	k->piece[n] = '\0';
	hv_printf("%s", k->piece);
}

static void cmd_log(struct lpar *l, uint32_t lines)
{
	static struct vty_log_line line; /* one housekeeping thread at a time */
	struct log_sink k;
	struct vty_filter_sink sink = { log_write, &k };
	uint64_t cursor = vty_log_seek(l, lines), shown = 0, total;
	uint32_t used, size;
	char label[CONFIG_NAME_LEN + 24];

	vty_log_usage(l, &used, &size, &total);
	hv_printf(PREFIX "console log of \"%s\" (%u of %u KiB, %llu lines "
		  "ever; seconds of the machine's timebase):\n", l->cfg.name,
		  (used + 1023) / 1024, size / 1024, (unsigned long long)total);
	while (vty_log_read(l, &cursor, &line)) {
		uint64_t f = tb_freq();

		hv_snprintf(label, sizeof(label), "%s@%llu.%06llu", l->cfg.name,
			    (unsigned long long)(line.tb / f),
			    (unsigned long long)((line.tb % f) * 1000000 / f));
		console_lock(); /* the pieces of one line stay together */
		vty_filter_line(label, line.text, line.len, &sink);
		console_unlock();
		shown++;
	}
	hv_printf(PREFIX "end of the console log of \"%s\" (%llu lines)\n",
		  l->cfg.name, (unsigned long long)shown);
}

static void cmd_stats(void)
{
	uint64_t pages, heap, now = mftb(), ds = now * 10 / tb_freq();
	uint32_t running = 0;

	mem_usage(&pages, &heap);
	for (uint32_t i = 0; i < lpar_count; i++) {
		running += lpar_table[i]->state == LPAR_RUNNING;
	}
	hv_printf(PREFIX "machine up %llu.%llu s (timebase), %u cores, "
		  "%u partitions (%u running); hypervisor pages %llu KiB, "
		  "heap %llu bytes\n", (unsigned long long)(ds / 10),
		  (unsigned long long)(ds % 10), hv_machine.core_count,
		  lpar_count, running, (unsigned long long)(pages >> 10),
		  (unsigned long long)heap);
	for (uint32_t i = 0; i < lpar_count; i++) {
		const struct lpar *l = lpar_table[i];
		uint64_t hcalls = 0, lines;
		uint32_t used, size;

		for (uint32_t v = 0; v < l->vcpu_count; v++) {
			for (uint32_t s = 0; s < PROF_HCALL_SLOTS; s++) {
				hcalls += l->vcpus[v]->prof.hcall[s].n;
			}
		}
		vty_log_usage(lpar_table[i], &used, &size, &lines);
		hv_printf(PREFIX "  %s: %s, exits %llu (hcalls %llu, refused "
			  "%llu) since its boot, restarts %u, console log "
			  "%llu lines\n", l->cfg.name, state_name(l),
			  (unsigned long long)exits_of(l),
			  (unsigned long long)hcalls,
			  (unsigned long long)l->bad_hcalls, l->restarts,
			  (unsigned long long)lines);
	}
}

/*
 * `shutdown [-f]`: the machine.  Each running partition gets the power-off
 * event (or a hard stop), each is stopped hard after its stop-timeout,
 * none restarts, and once all have stopped lparvisor powers the machine
 * off through OPAL (hv/lpar.c lpar_machine_off()).
 */
static void cmd_shutdown(bool force)
{
	struct lpar *told[LPAR_MAX];
	bool again = lpar_machine_off_pending();
	uint32_t n = lpar_machine_off(force, told, LPAR_MAX);
	char names[LPAR_MAX * (CONFIG_NAME_LEN + 1) + 1];
	size_t at = 0;

	if (again && !n) {
		error("the machine is powering off already%s",
		      force ? "" : "; 'shutdown -f' stops every partition now");
		return;
	}
	names[0] = '\0';
	for (uint32_t i = 0; i < n; i++) {
		at += hv_snprintf(names + at, sizeof(names) - at, " %s",
				  told[i]->cfg.name);
	}
	hv_printf(PREFIX "machine power-off: %s %u partition%s%s%s; the "
		  "machine powers off once every partition has stopped%s\n",
		  force ? "stopping" : "power-off event sent to", n,
		  n == 1 ? "" : "s", n ? ":" : "", names,
		  force ? "" : " (each is stopped hard after its "
			       "stop-timeout); none restarts");
}

static void cmd_help(void)
{
	for (uint32_t i = 0; svc_help_lines[i]; i++) {
		hv_printf(PREFIX "%s\n", svc_help_lines[i]);
	}
}

void svc_run(const char *text, size_t len)
{
	struct svc_cmd c;
	struct lpar *l = NULL;

	svc_parse(text, len, &c);
	if (c.name[0] && !(l = find(c.name))) {
		return;
	}
	switch (c.verb) {
	case SVC_EMPTY:
		break;
	case SVC_LIST:
		cmd_list();
		break;
	case SVC_START:
		cmd_start(l);
		break;
	case SVC_STOP:
		cmd_stop(l, c.force, false);
		break;
	case SVC_RESTART:
		cmd_stop(l, c.force, true);
		break;
	case SVC_CONSOLE:
		vty_set_focus(l->index);
		break;
	case SVC_LOG:
		cmd_log(l, c.lines);
		break;
	case SVC_STATS:
		cmd_stats();
		break;
	case SVC_HELP:
		cmd_help();
		break;
	case SVC_SHUTDOWN:
		cmd_shutdown(c.force);
		break;
	default:
		error("%s", c.error);
		break;
	}
}

static void key(char c)
{
	switch (svc_line_key(&ed, (uint8_t)c)) {
	case SVC_KEY_EDIT:
		draw();
		break;
	case SVC_KEY_ENTER:
		line_open = false;
		lf_after_cr = c == '\r';
		console_prompt_done();
		svc_run(ed.buf, ed.len);
		break;
	case SVC_KEY_CANCEL:
		line_open = false;
		console_prompt_done();
		break;
	default:
		break;
	}
}

void svc_open(char first)
{
	svc_line_clear(&ed);
	line_open = true;
	lf_after_cr = false;
	draw();
	key(first);
}

/* A byte the command line takes (or the LF of the CR LF that ended it). */
static bool line_input(char c)
{
	bool lf = lf_after_cr;

	lf_after_cr = false;
	if (line_open) {
		key(c);
		return true;
	}
	return lf && c == '\n';
}

/*
 * The key after Ctrl-]: a digit gives that partition the console (one
 * out of range lists them), a second Ctrl-] is sent on, `p` prints the
 * exit profiles; any other key opens the command line with that key
 * typed.
 */
static void escape_command(char c)
{
	if (c == VTY_ESCAPE) {
		vty_input_to_focus(c);
	} else if (c >= '1' && c <= '9' && (uint32_t)(c - '1') < lpar_count) {
		vty_set_focus((uint32_t)(c - '1'));
	} else if (c >= '0' && c <= '9') {
		cmd_list();
	} else if (c == 'p') {
		profile_print_all();
	} else {
		svc_open(c);
	}
}

void svc_console_input(const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (line_input(buf[i])) {
			continue;
		}
		if (escape_pending) {
			escape_pending = false;
			escape_command(buf[i]);
		} else if (buf[i] == VTY_ESCAPE) {
			escape_pending = true;
		} else {
			vty_input_to_focus(buf[i]);
		}
	}
}
CONSOLE_INPUT(svc_console_input);
