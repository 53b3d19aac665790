#!/usr/bin/env python3
"""Run each test suite (a make target) and add up their results.

Every suite ends its output with a line "N passed, N failed".  A suite
that exits non-zero or prints no such line counts as one failure, so a
broken suite can never pass silently.  Prints the total as the last line.
"""
import re
import subprocess
import sys
import time

RESULT = re.compile(r"^(\d+) passed, (\d+) failed\s*$")


def run(target):
    start = time.monotonic()
    print("=== %s" % target, flush=True)
    proc = subprocess.Popen(["make", "--no-print-directory", target],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, errors="replace")
    last = None
    for line in proc.stdout:
        sys.stdout.write(line)
        sys.stdout.flush()
        m = RESULT.match(line.strip())
        if m:
            last = (int(m.group(1)), int(m.group(2)))
    rc = proc.wait()
    took = time.monotonic() - start
    if last is None:
        print("=== %s: no result line (exit %d): counted as 1 failure" % (target, rc))
        return 0, 1
    passed, failed = last
    if passed + failed == 0:
        # A suite that ran nothing (an empty list, a typo) proves nothing.
        print("=== %s: no test ran: counted as 1 failure" % target)
        failed = 1
    if rc != 0 and failed == 0:
        print("=== %s: exit status %d with no failures reported: counted as 1 failure" % (target, rc))
        failed = 1
    print("=== %s: %d passed, %d failed in %.1f s" % (target, passed, failed, took))
    return passed, failed


def main(targets):
    total_p = total_f = 0
    for t in targets:
        p, f = run(t)
        total_p += p
        total_f += f
    print("%d passed, %d failed" % (total_p, total_f))
    return 1 if total_f or not targets else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
