/*
 * The service console's pure logic (docs/console.md): the command line
 * editor (printable text, backspace, Ctrl-U, Ctrl-W, history with the
 * arrow keys or Ctrl-P/Ctrl-N) and the command parser.  Nothing here
 * touches a partition or the console, so the host unit tests feed it
 * whatever bytes they like (tests/unit/vio/svc_cmd_test.c); the commands
 * are carried out by vio/svc.c.
 */
#ifndef VIO_SVC_CMD_H
#define VIO_SVC_CMD_H

#include "hv/lib/types.h"

#define SVC_LINE_MAX 80   /* characters a command line holds */
#define SVC_HISTORY 8     /* earlier lines kept for the arrow keys */
#define SVC_NAME_MAX 31   /* a partition name (hv/config.h) */
#define SVC_ERR_MAX 96    /* one error line, NUL included */
#define SVC_LOG_ALL 0     /* `log NAME` with no count: the whole ring */

struct svc_line {
	char buf[SVC_LINE_MAX + 1]; /* NUL-terminated */
	uint32_t len;
	char history[SVC_HISTORY][SVC_LINE_MAX + 1];
	uint32_t history_count;   /* lines ever entered (newest at count-1) */
	uint32_t browse;          /* lines back from the newest; 0: editing */
	uint8_t esc;              /* escape sequence state (svc_cmd.c) */
};

enum svc_key {
	SVC_KEY_NONE,   /* nothing changed on the line */
	SVC_KEY_EDIT,   /* the line changed: redraw it */
	SVC_KEY_ENTER,  /* Enter: run the line (kept in `buf`) */
	SVC_KEY_CANCEL, /* Ctrl-C: leave the command line */
};

/** Start an empty line (the history is kept). */
void svc_line_clear(struct svc_line *e);

/**
 * Feed one typed byte.  Printable ASCII is added while it fits; DEL and
 * backspace erase a character, Ctrl-U the line, Ctrl-W a word; Up/Down
 * (ESC [ A/B or ESC O A/B) and Ctrl-P/Ctrl-N walk the history; CR or LF
 * enters the line (a non-empty one different from the newest is added to
 * the history); Ctrl-C cancels.  Every other byte, escape sequence or
 * byte above 0x7e is ignored.
 */
enum svc_key svc_line_key(struct svc_line *e, uint8_t c);

enum svc_verb {
	SVC_EMPTY = 0, /* a blank line: nothing to do */
	SVC_LIST,
	SVC_START,
	SVC_STOP,
	SVC_RESTART,
	SVC_CONSOLE,
	SVC_LOG,
	SVC_STATS,
	SVC_HELP,
	SVC_SHUTDOWN,  /* the machine: every partition, then OPAL */
	SVC_BAD,       /* not a command: `error` says why, on one line */
};

struct svc_cmd {
	enum svc_verb verb;
	bool force;                /* stop -f, restart -f, shutdown -f */
	char name[SVC_NAME_MAX + 1]; /* the partition named, checked form */
	uint32_t lines;            /* log: how many of the last lines */
	char error[SVC_ERR_MAX];   /* SVC_BAD: printable, no newline */
};

/**
 * Parse one command line of `len` bytes (any bytes: words are split at
 * spaces and tabs).  Fills `out`; returns out->verb.  A partition name is
 * 1 to 31 characters of [a-z0-9-] (the configuration's rule) and is not
 * looked up here.  Errors (SVC_BAD) name the word at fault, made
 * printable and cut short.
 */
enum svc_verb svc_parse(const char *line, size_t len, struct svc_cmd *out);

/** The help text, one command per entry, NULL-terminated. */
extern const char *const svc_help_lines[];

#endif /* VIO_SVC_CMD_H */
