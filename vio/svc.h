/*
 * The service console (docs/console.md): after Ctrl-], a command line
 * on the machine console that manages the partitions (list, start, stop,
 * restart, console, log, stats, help).  It reads the console's input
 * and hands the partition in focus what is not for it (vio/vty.h).
 */
#ifndef VIO_SVC_H
#define VIO_SVC_H

#include "hv/lib/types.h"

/**
 * Bytes typed on the machine console (its CONSOLE_INPUT() row): to the
 * partition in focus, but Ctrl-] and what follows it (docs/console.md).
 */
void svc_console_input(const char *buf, size_t len);

/** Open the command line with `first` as its first key. */
void svc_open(char first);

/** Run one command line (also what a test or script may call). */
void svc_run(const char *line, size_t len);

#endif /* VIO_SVC_H */
