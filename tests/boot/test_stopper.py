#!/usr/bin/env python3
"""Host test of run-boot-tests.py's stop_when (issue 21): it is called at
every console line, so it must count each line once (linear), and still
see the last line rewritten when a continuation row is joined to it."""
import importlib.util
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location(
    "rbt", os.path.join(HERE, "run-boot-tests.py"))
rbt = importlib.util.module_from_spec(spec)
sys.argv = sys.argv[:1]
spec.loader.exec_module(rbt)

passed = failed = 0


def check(ok, what):
    global passed, failed
    print("%s %s" % ("PASS" if ok else "FAIL", what))
    if ok:
        passed += 1
    else:
        failed += 1


sc = {"stop_when": {r"^a \d+$": 2, r"^b done$": 1}}
sw = rbt.stopper(sc)
lines = []
seen = []
for text in ["x", "a 1", "a 2", "b do"]:
    lines.append(text)
    seen.append(sw(lines))
check(seen == [False, False, False, False], "not before every pattern")
lines[-1] = "b done"  # the runner joins a continuation row to the last
check(sw(lines), "the last line seen as joined")
lines.append("y")
check(sw(lines), "and counted once it is final")

# 30000 noisy lines, one call each (the p9-restart-100 storm): linear.
sw = rbt.stopper({"stop_when": {r"^c \d+$": 1, r"^never$": 1,
                                r"^z$": 1, r"^q$": 1}})
lines = []
t0 = time.monotonic()
for i in range(30000):
    lines.append("c %d some console noise of a restart storm" % i)
    sw(lines)
    if time.monotonic() - t0 > 20:
        break
took = time.monotonic() - t0
check(len(lines) == 30000 and took < 10,
      "30000 lines in %.1f s (bound 10 s)" % took)
print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
