/*
 * Virtual terminal, matching QEMU 7.2 hw/char/spapr_vty.c for the guest
 * interface (termno = the vty's reg, at most 16 bytes a call, H_PARAMETER
 * otherwise) and adding lparvisor's console multiplexing.  Its hcalls and
 * RTAS display-character are registered here.
 */
#include "hv/console.h"
#include "hv/cpu.h"
#include "hv/hv.h"
#include "hv/lib/string.h"
#include "hv/guest_dt.h"
#include "hv/profile.h"
#include "hv/service.h"
#include "hv/unit.h"
#include "intc/intc.h"
#include "mm/mem.h"
#include "rtas/rtas.h"
#include "vio/bus.h"
#include "vio/vty.h"
#include "vio/vty_filter.h"

static uint32_t focus;        /* index of the partition receiving input */
static uint32_t vty_slot;

struct vty *vty_of(const struct lpar *l)
{
	return lpar_unit_state(l, vty_slot);
}

static void scratch_put(void *ctx, const char *s, size_t n)
{
	struct vty *v = ctx;
	size_t room = sizeof(v->scratch) - v->scratch_len;

	n = MIN(n, room);
	memcpy(v->scratch + v->scratch_len, s, n);
	v->scratch_len += n;
}

/*
 * The console log: records of [timebase (8 bytes), length (2), bytes] in
 * a ring of v->log_size bytes, written under v->out_lock.  A record never
 * exceeds LOG_HEADER + VTY_LINE bytes, far less than the smallest ring.
 */
#define LOG_HEADER 10

static void log_copy_in(struct vty *v, uint64_t at, const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++) {
		v->log[(at + i) % v->log_size] = (char)b[i];
	}
}

static void log_copy_out(const struct vty *v, uint64_t at, void *p, size_t n)
{
	uint8_t *b = p;

	for (size_t i = 0; i < n; i++) {
		b[i] = (uint8_t)v->log[(at + i) % v->log_size];
	}
}

static uint32_t log_record_len(const struct vty *v, uint64_t at,
			       uint64_t *tb)
{
	uint8_t h[LOG_HEADER];
	uint64_t t = 0;

	log_copy_out(v, at, h, sizeof(h));
	for (int i = 7; i >= 0; i--) {
		t = t << 8 | h[i];
	}
	if (tb) {
		*tb = t;
	}
	return (uint32_t)(h[8] | h[9] << 8);
}

static void log_put(struct vty *v, const char *text, uint32_t len,
		    uint64_t tb)
{
	uint8_t h[LOG_HEADER];

	if (!v->log) {
		return;
	}
	while (v->log_head + LOG_HEADER + len - v->log_first > v->log_size) {
		v->log_first += LOG_HEADER + log_record_len(v, v->log_first,
							    NULL);
	}
	for (int i = 0; i < 8; i++) {
		h[i] = (uint8_t)(tb >> (8 * i));
	}
	h[8] = (uint8_t)len;
	h[9] = (uint8_t)(len >> 8);
	log_copy_in(v, v->log_head, h, sizeof(h));
	log_copy_in(v, v->log_head + LOG_HEADER, text, len);
	v->log_head += LOG_HEADER + len;
	v->log_lines++;
}

/*
 * The service console reads the log from its housekeeping thread: the
 * output lock is taken with spin_lock(), as its holder (a writer of this
 * partition) waits for nothing but the console, which the reader does not
 * hold meanwhile.
 */
uint64_t vty_log_seek(struct lpar *l, uint32_t lines)
{
	struct vty *v = vty_of(l);
	uint64_t at, count = 0, skip;

	spin_lock(&v->out_lock);
	for (at = v->log_first; at < v->log_head;
	     at += LOG_HEADER + log_record_len(v, at, NULL)) {
		count++;
	}
	skip = lines && count > lines ? count - lines : 0;
	for (at = v->log_first; skip--;
	     at += LOG_HEADER + log_record_len(v, at, NULL)) {
	}
	spin_unlock(&v->out_lock);
	return at;
}

bool vty_log_read(struct lpar *l, uint64_t *cursor, struct vty_log_line *out)
{
	struct vty *v = vty_of(l);
	bool got = false;

	spin_lock(&v->out_lock);
	if (*cursor < v->log_first) {
		*cursor = v->log_first; /* overwritten while we printed */
	}
	if (*cursor < v->log_head) {
		out->len = MIN(log_record_len(v, *cursor, &out->tb),
			       (uint32_t)VTY_LINE);
		log_copy_out(v, *cursor + LOG_HEADER, out->text, out->len);
		*cursor += LOG_HEADER + log_record_len(v, *cursor, NULL);
		got = true;
	}
	spin_unlock(&v->out_lock);
	return got;
}

void vty_log_usage(struct lpar *l, uint32_t *used, uint32_t *size,
		   uint64_t *lines)
{
	struct vty *v = vty_of(l);

	spin_lock(&v->out_lock);
	*used = (uint32_t)(v->log_head - v->log_first);
	*size = v->log_size;
	*lines = v->log_lines;
	spin_unlock(&v->out_lock);
}

/*
 * Under v->out_lock: the partial line, filtered (vio/vty_filter.h) so
 * that it can neither move onto its prefix nor start a row of its own,
 * goes whole onto the vty's console queue, and a new line starts.  The
 * console is not waited for unless the queue is full; then `wait` waits
 * (holding only v->out_lock, which no one but this partition's writers
 * takes), else the line stays for the next try and false is returned.
 */
static bool emit_line(struct lpar *l, struct vty *v, bool wait)
{
	struct vty_filter_sink sink = { scratch_put, v };

	v->scratch_len = 0;
	vty_filter_line(l->cfg.name, v->line, v->line_len, &sink);
	/* VTY_OUT_MAX holds the longest filtered line; a line ends in \n. */
	v->scratch[v->scratch_len - 1] = '\n';
	while (!console_queue_put(&v->out, v->scratch, v->scratch_len)) {
		if (!wait) {
			return false;
		}
		console_queue_wait();
	}
	log_put(v, v->line, v->line_len, v->line_len ? v->line_tb : mftb());
	v->line_len = 0;
	return true;
}

void vty_output(const struct vcpu *vc, const char *buf, size_t len)
{
	struct lpar *l = vc->lpar;
	struct vty *v = vty_of(l);

	spin_lock(&v->out_lock);
	v->line_vcpu = vc;
	for (size_t i = 0; i < len; i++) {
		char c = buf[i];

		if (c == '\n') {
			emit_line(l, v, true);
			continue;
		}
		if (v->line_len == 0) {
			v->line_tb = mftb();
		}
		v->line[v->line_len++] = c;
		if (v->line_len == VTY_LINE) {
			emit_line(l, v, true);
		}
	}
	spin_unlock(&v->out_lock);
}

/*
 * Under v->out_lock: is the partial line stale?  A prompt is written and
 * then its writer waits for input (it cedes), so a line goes out 50 ms
 * after its start once its writer is no longer running.  A writer that
 * still runs is in the middle of the line: under a loaded host its next
 * H_PUT_TERM_CHAR can come much later than 50 ms, and flushing then would
 * split one guest line in two.  Output without a newline from a busy
 * writer (a progress bar) still goes out after a second.
 */
static bool line_stale(const struct vty *v)
{
	uint64_t age = mftb() - v->line_tb;

	if (!v->line_len || age <= ms_to_tb(50)) {
		return false;
	}
	return !v->line_vcpu || v->line_vcpu->state != VCPU_RUNNING ||
	       age > ms_to_tb(1000);
}

/* Under v->out_lock: a stale partial line goes out. */
static void flush_stale_locked(struct lpar *l, struct vty *v, bool wait)
{
	if (line_stale(v)) {
		emit_line(l, v, wait);
	}
}

void vty_flush_stale(struct lpar *l)
{
	struct vty *v = vty_of(l);

	if (!spin_trylock(&v->out_lock)) {
		return; /* busy: its holder is writing, the next poll looks */
	}
	flush_stale_locked(l, v, false); /* housekeeping never waits */
	spin_unlock(&v->out_lock);
}

void vty_reset(struct lpar *l)
{
	struct vty *v = vty_of(l);

	spin_lock(&v->out_lock);
	v->line_len = 0;
	spin_unlock(&v->out_lock);
	spin_lock(&v->lock);
	v->in_head = v->in_tail = 0;
	/*
	 * Input interrupts start enabled: Linux's hvc_vio requests the vty's
	 * interrupt but never calls H_VIO_SIGNAL, and would otherwise only
	 * see input when its poll thread happens to look.
	 */
	v->irq_enabled = true;
	spin_unlock(&v->lock);
}

/* When the partition stops, a stale partial line goes out. */
static void vty_stop(struct lpar *l, bool restarting)
{
	struct vty *v = vty_of(l);

	(void)restarting;
	spin_lock(&v->out_lock);
	flush_stale_locked(l, v, true);
	spin_unlock(&v->out_lock);
}

/*
 * H_VIO_SIGNAL accepted by the bus (mode bit 0, the vty's signal mask):
 * whether input raises the vty's interrupt.  Under the bus device's
 * lock; the vty's input lock is a leaf.
 */
static void vty_signal(struct lpar *l, uint64_t mode)
{
	struct vty *v = vty_of(l);

	spin_lock(&v->lock);
	v->irq_enabled = mode & 1;
	spin_unlock(&v->lock);
}

static const struct vio_dev_ops vty_vio_ops = { .signal = vty_signal };

/* The vty on the VIO bus: no DMA window, no CRQ (QEMU's spapr-vty). */
static const struct vio_dev_desc vty_vio = {
	.name = "vty", .reg = VTY_REG, .irq = INTC_VTY_IRQ,
	.signal_mask = 1, .dma_window = 0, .ops = &vty_vio_ops,
};

static bool vty_create(struct lpar *l)
{
	struct vty *v = vty_of(l);
	uint32_t kib = l->cfg.console_log_kib ? l->cfg.console_log_kib :
						 CONFIG_CONSOLE_LOG_DEFAULT;

	v->log_size = kib * 1024;
	v->log = mem_zalloc(v->log_size, 8);
	if (!v->log) {
		hv_printf("lparvisor: partition \"%s\": property "
			  "\"console-log\": out of heap for %u KiB; not "
			  "started\n", l->cfg.name, kib);
		return false;
	}
	if (!console_queue_add(&vty_of(l)->out)) {
		mem_free(v->log);
		v->log = NULL;
		hv_printf("lparvisor: partition \"%s\": no console queue left; "
			  "not started\n", l->cfg.name);
		return false;
	}
	if (!vio_bus_add(l, &vty_vio, NULL)) {
		console_queue_remove(&vty_of(l)->out);
		mem_free(v->log);
		v->log = NULL;
		return false;
	}
	return true;
}

/* What the partition printed last goes out before its queue goes. */
static void vty_destroy(struct lpar *l)
{
	struct vty *v = vty_of(l);

	console_queue_remove(&v->out);
	mem_free(v->log);
	v->log = NULL;
}

static void vty_guest_dt(const struct lpar *l, struct guest_dt_params *p)
{
	(void)l;
	p->vty_reg = VTY_REG;
	p->vty_irq = INTC_VTY_IRQ;
}

LPAR_UNIT(vty, .order = UNIT_ORDER_VTY, .slot = &vty_slot,
	  .state_size = sizeof(struct vty), .create = vty_create,
	  .destroy = vty_destroy, .reset = vty_reset,
	  .stop = vty_stop, .poll = vty_flush_stale,
	  .guest_dt = vty_guest_dt);

static void unpack(uint64_t w, char *out)
{
	for (int i = 0; i < 8; i++) {
		out[i] = (char)(w >> (56 - 8 * i));
	}
}

/*
 * Is `termno` this partition's vty?  As QEMU 7.2's vty_lookup(): the bus
 * is searched by the low 32 bits of the number, and only a whole zero
 * means the default vty (Linux's early debug console uses it, as SLOF).
 */
static bool vty_termno(uint64_t termno)
{
	return (uint32_t)termno == VTY_REG || termno == 0;
}

/* H_PUT_TERM_CHAR: up to 16 bytes packed big-endian in r6, r7. */
static int64_t h_put_term_char(struct vcpu *vc, struct hcall_args *a)
{
	uint64_t len = a->arg[1];
	char buf[16];

	if (!vty_termno(a->arg[0]) || len > 16) {
		return H_PARAMETER;
	}
	unpack(a->arg[2], buf);
	unpack(a->arg[3], buf + 8);
	vty_output(vc, buf, len);
	return H_SUCCESS;
}
HCALL(H_PUT_TERM_CHAR, h_put_term_char, 0, "hcall-term", HCALL_INTC_ANY,
      "done");

/* H_GET_TERM_CHAR: up to 16 bytes of pending input. */
static int64_t h_get_term_char(struct vcpu *vc, struct hcall_args *a)
{
	struct vty *v = vty_of(vc->lpar);
	uint8_t buf[16] = { 0 };
	uint32_t n = 0;

	if (!vty_termno(a->arg[0])) {
		return H_PARAMETER;
	}
	spin_lock(&v->lock);
	while (n < 16 && v->in_tail != v->in_head) {
		buf[n++] = (uint8_t)v->input[v->in_tail++ % VTY_INPUT];
	}
	spin_unlock(&v->lock);
	a->ret[0] = n;
	a->ret[1] = 0;
	a->ret[2] = 0;
	for (uint32_t i = 0; i < 16; i++) {
		a->ret[1 + i / 8] |= (uint64_t)buf[i] << (56 - 8 * (i % 8));
	}
	a->ret_count = 3;
	return H_SUCCESS;
}
HCALL(H_GET_TERM_CHAR, h_get_term_char, 3, "hcall-term", HCALL_INTC_ANY,
      "done");

static void push_input(struct lpar *l, char c)
{
	struct vty *v = vty_of(l);
	bool irq;

	spin_lock(&v->lock);
	if (v->in_head - v->in_tail < VTY_INPUT) {
		v->input[v->in_head++ % VTY_INPUT] = c;
	}
	irq = v->irq_enabled && l->state == LPAR_RUNNING;
	spin_unlock(&v->lock);
	if (irq) {
		intc_pulse(l, INTC_VTY_IRQ); /* as QEMU's spapr_vty_receive */
	}
}

/* RTAS display-character: one byte to the partition's terminal. */
static void rtas_display_character(struct rtas_call *c)
{
	char ch = (char)c->args[0];

	vty_output(c->vc, &ch, 1); /* takes the vty's own lock */
	rtas_status(c, RTAS_OUT_SUCCESS);
}
RTAS_SERVICE(RTAS_DISPLAY_CHARACTER, "display-character", rtas_display_character,
	     1, 1, HCALL_INTC_ANY, "done");

uint32_t vty_focus(void)
{
	return focus;
}

void vty_set_focus(uint32_t index)
{
	if (index < lpar_count) {
		focus = index;
		hv_printf("[lparvisor] console input now goes to \"%s\"\n",
			  lpar_table[focus]->cfg.name);
	}
}

void vty_input_to_focus(char c)
{
	if (focus < lpar_count) {
		push_input(lpar_table[focus], c);
	}
}
