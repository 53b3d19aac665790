/*
 * The service console's line editor and command parser (vio/svc_cmd.h):
 * pure logic, every byte typed treated as hostile (no byte can make the
 * editor write past its line, and an error shows a typed word only as
 * printable ASCII, cut short).
 */
#include "hv/lib/format.h"
#include "hv/lib/string.h"
#include "vio/svc_cmd.h"

/* Escape sequence states: after ESC, after ESC [ or ESC O, inside CSI. */
enum { ESC_NONE, ESC_SEEN, ESC_BRACKET, ESC_PARAMS };

void svc_line_clear(struct svc_line *e)
{
	e->len = 0;
	e->buf[0] = '\0';
	e->browse = 0;
	e->esc = ESC_NONE;
}

static uint32_t history_kept(const struct svc_line *e)
{
	return MIN(e->history_count, (uint32_t)SVC_HISTORY);
}

static const char *history_line(const struct svc_line *e, uint32_t back)
{
	return e->history[(e->history_count - back) % SVC_HISTORY];
}

static void set_line(struct svc_line *e, const char *s)
{
	e->len = (uint32_t)strnlen(s, SVC_LINE_MAX);
	memcpy(e->buf, s, e->len);
	e->buf[e->len] = '\0';
}

/* Up (older, dir 1) or down (newer, dir -1) through the history. */
static enum svc_key browse(struct svc_line *e, int dir)
{
	if (dir > 0 && e->browse < history_kept(e)) {
		e->browse++;
	} else if (dir < 0 && e->browse > 0) {
		e->browse--;
	} else {
		return SVC_KEY_NONE;
	}
	set_line(e, e->browse ? history_line(e, e->browse) : "");
	return SVC_KEY_EDIT;
}

static void remember(struct svc_line *e)
{
	if (e->len == 0 || (e->history_count &&
			    strcmp(history_line(e, 1), e->buf) == 0)) {
		return;
	}
	memcpy(e->history[e->history_count % SVC_HISTORY], e->buf,
	       e->len + 1);
	e->history_count++;
}

/* The rest of an escape sequence: only Up and Down mean anything. */
static enum svc_key escape_key(struct svc_line *e, uint8_t c)
{
	switch (e->esc) {
	case ESC_SEEN:
		e->esc = (c == '[' || c == 'O') ? ESC_BRACKET : ESC_NONE;
		return SVC_KEY_NONE;
	case ESC_BRACKET:
		if (c == 'A' || c == 'B') {
			e->esc = ESC_NONE;
			return browse(e, c == 'A' ? 1 : -1);
		}
		__attribute__((fallthrough)); /* parameters, a final byte */
	default:
		e->esc = (c >= 0x40 && c <= 0x7e) ? ESC_NONE : ESC_PARAMS;
		if (c < 0x20 || c > 0x7e) {
			e->esc = ESC_NONE; /* a control byte ends a broken one */
		}
		return SVC_KEY_NONE;
	}
}

static enum svc_key erase_word(struct svc_line *e)
{
	uint32_t n = e->len;

	while (n && e->buf[n - 1] == ' ') {
		n--;
	}
	while (n && e->buf[n - 1] != ' ') {
		n--;
	}
	if (n == e->len) {
		return SVC_KEY_NONE;
	}
	e->len = n;
	e->buf[n] = '\0';
	return SVC_KEY_EDIT;
}

enum svc_key svc_line_key(struct svc_line *e, uint8_t c)
{
	if (e->esc != ESC_NONE) {
		return escape_key(e, c);
	}
	switch (c) {
	case '\r':
	case '\n':
		remember(e);
		e->browse = 0;
		return SVC_KEY_ENTER;
	case 0x03: /* Ctrl-C */
		return SVC_KEY_CANCEL;
	case 0x1b:
		e->esc = ESC_SEEN;
		return SVC_KEY_NONE;
	case 0x7f:
	case 0x08:
		if (!e->len) {
			return SVC_KEY_NONE;
		}
		e->buf[--e->len] = '\0';
		return SVC_KEY_EDIT;
	case 0x15: /* Ctrl-U */
		if (!e->len) {
			return SVC_KEY_NONE;
		}
		svc_line_clear(e);
		return SVC_KEY_EDIT;
	case 0x17: /* Ctrl-W */
		return erase_word(e);
	case 0x10: /* Ctrl-P */
		return browse(e, 1);
	case 0x0e: /* Ctrl-N */
		return browse(e, -1);
	case '\t':
		c = ' ';
		break;
	default:
		break;
	}
	if (c < 0x20 || c > 0x7e || e->len == SVC_LINE_MAX) {
		return SVC_KEY_NONE;
	}
	e->buf[e->len++] = (char)c;
	e->buf[e->len] = '\0';
	return SVC_KEY_EDIT;
}

/*
 * The parser.
 */

#define MAX_WORDS 4
#define SHOWN_MAX 20 /* characters of a bad word an error repeats */

struct word {
	const char *s;
	size_t n;
};

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* Split into at most MAX_WORDS + 1 words (one too many is an error). */
static size_t split(const char *s, size_t len, struct word *w)
{
	size_t count = 0, i = 0;

	while (i < len && count <= MAX_WORDS) {
		while (i < len && is_space(s[i])) {
			i++;
		}
		if (i == len) {
			break;
		}
		w[count].s = s + i;
		while (i < len && !is_space(s[i])) {
			i++;
		}
		w[count].n = (size_t)(s + i - w[count].s);
		count++;
	}
	return count;
}

static bool word_is(const struct word *w, const char *s)
{
	return w->n == strlen(s) && memcmp(w->s, s, w->n) == 0;
}

/* A typed word as an error may show it: printable ASCII, cut short. */
static void shown(char *out, const struct word *w)
{
	size_t n = MIN(w->n, (size_t)SHOWN_MAX), i;

	for (i = 0; i < n; i++) {
		char c = w->s[i];

		out[i] = (c >= 0x20 && c <= 0x7e && c != '"') ? c : '?';
	}
	if (w->n > SHOWN_MAX) {
		out[n++] = '.';
		out[n++] = '.';
		out[n++] = '.';
	}
	out[n] = '\0';
}

static enum svc_verb bad(struct svc_cmd *c, const char *what,
			 const struct word *w, const char *hint)
{
	char word[SHOWN_MAX + 4];

	if (w) {
		shown(word, w);
		hv_snprintf(c->error, sizeof(c->error), "%s \"%s\"%s", what,
			    word, hint);
	} else {
		hv_snprintf(c->error, sizeof(c->error), "%s%s", what, hint);
	}
	c->verb = SVC_BAD;
	return SVC_BAD;
}

static bool name_ok(const struct word *w)
{
	if (w->n == 0 || w->n > SVC_NAME_MAX) {
		return false;
	}
	for (size_t i = 0; i < w->n; i++) {
		char c = w->s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '-')) {
			return false;
		}
	}
	return true;
}

static bool number(const struct word *w, uint32_t *out)
{
	uint64_t v = 0;

	if (w->n == 0 || w->n > 9) {
		return false;
	}
	for (size_t i = 0; i < w->n; i++) {
		if (w->s[i] < '0' || w->s[i] > '9') {
			return false;
		}
		v = v * 10 + (uint64_t)(w->s[i] - '0');
	}
	*out = (uint32_t)v;
	return v > 0;
}

struct verb_rule {
	const char *word;
	const char *alias;
	enum svc_verb verb;
	bool takes_name;
	bool takes_force;
	bool takes_count;
	const char *usage;
};

static const struct verb_rule verbs[] = {
	{ "list", "l", SVC_LIST, false, false, false, "list" },
	{ "start", NULL, SVC_START, true, false, false, "start NAME" },
	{ "stop", NULL, SVC_STOP, true, true, false, "stop [-f] NAME" },
	{ "restart", NULL, SVC_RESTART, true, true, false,
	  "restart [-f] NAME" },
	{ "console", NULL, SVC_CONSOLE, true, false, false, "console NAME" },
	{ "log", NULL, SVC_LOG, true, false, true, "log NAME [LINES]" },
	{ "stats", NULL, SVC_STATS, false, false, false, "stats" },
	{ "help", "?", SVC_HELP, false, false, false, "help" },
	{ "shutdown", NULL, SVC_SHUTDOWN, false, true, false,
	  "shutdown [-f]" },
};

const char *const svc_help_lines[] = {
	"list               partitions: state, vCPUs, memory, uptime, "
	"restarts, exits/s",
	"start NAME         boot a stopped partition",
	"stop NAME          orderly stop (power-off event), hard stop after "
	"its timeout",
	"stop -f NAME       hard stop now",
	"restart NAME       orderly stop, then boot again (-f: hard, now)",
	"console NAME       give the console's input to the partition",
	"log NAME [LINES]   replay its console log with timestamps",
	"stats              lparvisor's figures",
	"shutdown           the machine: orderly stop of every partition, "
	"then power off",
	"shutdown -f        the machine: hard stop of every partition now, "
	"then power off",
	"help               this text; Ctrl-] 1..9 gives partition 1..9 the "
	"console,",
	"                   Ctrl-] p prints the exit profiles, Ctrl-] Ctrl-] "
	"sends Ctrl-]",
	NULL,
};

static const struct verb_rule *find_verb(const struct word *w)
{
	for (size_t i = 0; i < ARRAY_SIZE(verbs); i++) {
		if (word_is(w, verbs[i].word) ||
		    (verbs[i].alias && word_is(w, verbs[i].alias))) {
			return &verbs[i];
		}
	}
	return NULL;
}

static enum svc_verb usage(struct svc_cmd *c, const struct verb_rule *r,
			   const char *what, const struct word *w)
{
	char hint[48];

	hv_snprintf(hint, sizeof(hint), "; usage: %s", r->usage);
	return bad(c, what, w, hint);
}

/* The words after the verb: [-f] NAME [LINES], as the rule allows. */
static enum svc_verb arguments(struct svc_cmd *c, const struct verb_rule *r,
			       const struct word *w, size_t count)
{
	size_t i = 1;

	if (r->takes_force && i < count && word_is(&w[i], "-f")) {
		c->force = true;
		i++;
	}
	if (i < count && w[i].n && w[i].s[0] == '-') {
		return usage(c, r, "unknown option", &w[i]);
	}
	if (r->takes_name) {
		if (i == count) {
			return usage(c, r, "a partition name is missing", NULL);
		}
		if (!name_ok(&w[i])) {
			return usage(c, r, "not a partition name:", &w[i]);
		}
		memcpy(c->name, w[i].s, w[i].n);
		c->name[w[i].n] = '\0';
		i++;
	}
	if (r->takes_count && i < count) {
		if (!number(&w[i], &c->lines)) {
			return usage(c, r, "not a line count:", &w[i]);
		}
		i++;
	}
	if (i < count) {
		return usage(c, r, "unexpected", &w[i]);
	}
	c->verb = r->verb;
	return c->verb;
}

enum svc_verb svc_parse(const char *line, size_t len, struct svc_cmd *out)
{
	struct word w[MAX_WORDS + 1];
	const struct verb_rule *r;
	size_t count;

	memset(out, 0, sizeof(*out));
	out->lines = SVC_LOG_ALL;
	if (len > SVC_LINE_MAX) {
		return bad(out, "the line is too long", NULL, "");
	}
	count = split(line, len, w);
	if (count == 0) {
		out->verb = SVC_EMPTY;
		return SVC_EMPTY;
	}
	r = find_verb(&w[0]);
	if (!r) {
		return bad(out, "unknown command", &w[0],
			   "; 'help' lists the commands");
	}
	if (count > MAX_WORDS) {
		return usage(out, r, "too many words", NULL);
	}
	return arguments(out, r, w, count);
}
