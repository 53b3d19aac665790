#!/usr/bin/env python3
"""No make file may run, while make reads it, a tool tools/deps.sh installs.

On a bare machine `make` first installs the project's Debian packages
(tools/deps.sh, the $(DEPS_STAMP) prerequisite), but GNU make expands
every `$(shell ...)` outside a recipe when it parses the file, and every
`$$(shell ...)` of a .SECONDEXPANSION prerequisite list when it considers
the target: both before any package is installed.  Such a call that needs
the cross compiler, dtc or Python's helpers quietly yields nothing and the
build fails later (issue 20, section 1: `stddef.h: No such file`).  So a
`$(shell)` outside recipes may only start with a command the base system
already has (ALLOWED); a tool from tools/debian-packages must be asked for
inside a recipe, as `$$(...)` for the shell.

Usage: makefile_shell.py [FILE...]   (default: every make file of the tree)
Prints one line per offending call and "N passed, N failed".
"""
import os
import re
import sys

# Commands a parse-time $(shell) may run: present before tools/deps.sh
# (git and find are what .ci/run and a clone already need).
ALLOWED = {"git", "find"}

SHELL_CALL = re.compile(r"\$\$?\(shell\s+(\S+)")
RULE = re.compile(r"^[^\t#=]*?(?<![:?+!]):(?![=])")
ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(
    __file__)), "..", ".."))


def make_files(root=ROOT):
    """Every make file of the tree (Makefile, *.inc, *.check, *.mk)."""
    found = []
    for dirpath, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in (".git", "build")]
        for f in files:
            if f == "Makefile" or f.startswith("Makefile.") or \
                    f.endswith(".mk"):
                found.append(os.path.join(dirpath, f))
    return sorted(found)


def logical_lines(text):
    """(first line number, text) with backslash continuations joined."""
    out, buf, start = [], "", None
    for n, line in enumerate(text.split("\n"), 1):
        if start is None:
            start = n
        if line.endswith("\\"):
            buf += line[:-1] + " "
            continue
        out.append((start, buf + line))
        buf, start = "", None
    return out


def parse_time_shells(text):
    """[(line, command)] for each $(shell) make expands outside a recipe."""
    calls, in_recipe = [], False
    for n, line in logical_lines(text):
        if line.startswith("\t") and in_recipe:
            continue            # a recipe: expanded when it runs
        in_recipe = False
        code = line.split("#", 1)[0] if not line.startswith("\t") else line
        if not code.strip():
            continue
        if RULE.match(code) and not code.startswith("\t"):
            in_recipe = True
            # `target: prereqs ; recipe` — the recipe part runs late.
            code = code.split(";", 1)[0]
        for cmd in SHELL_CALL.findall(code):
            calls.append((n, cmd))
    return calls


def check(paths):
    """Returns (files examined, calls examined, offending lines)."""
    bad, ncalls = [], 0
    for path in paths:
        with open(path) as f:
            calls = parse_time_shells(f.read())
        ncalls += len(calls)
        for n, cmd in calls:
            if cmd not in ALLOWED:
                bad.append("%s:%d: $(shell %s ...) runs while make reads the "
                           "file, before tools/deps.sh installs packages"
                           % (os.path.relpath(path, ROOT), n, cmd))
    return len(paths), ncalls, bad


def main(argv):
    paths = argv or make_files()
    nfiles, ncalls, bad = check(paths)
    for b in bad:
        print("FAIL " + b)
    ok = not bad and nfiles > 0
    print("%s %d make files, %d parse-time $(shell) calls, all of %s"
          % ("PASS" if ok else "FAIL", nfiles, ncalls,
             "/".join(sorted(ALLOWED))))
    print("%d passed, %d failed" % (1 if ok else 0, 0 if ok else 1))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
