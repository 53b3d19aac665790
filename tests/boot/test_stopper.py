#!/usr/bin/env python3
"""Host test of run-boot-tests.py's stop_when (issue 21): it is called at
every console line, so it must count each line once (linear), and still
see the last line rewritten when a continuation row is joined to it.
Also of the console rows tools/qemu_powernv.py makes lines of: skiboot's
"Spent N msecs in OPAL call" warning cut out of the line it landed in."""
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
# skiboot's slow-call warning written into the middle of a line (a
# p9-flash-nvram-power-cut run at load 7 lost "[nva] 8 passed, 0 failed").
sys.path.insert(0, os.path.join(HERE, "..", "..", "tools"))
import qemu_powernv  # noqa: E402
import tempfile  # noqa: E402

rows = (b"[nva] 8 passed, 0 failed[    5.098650473,4] Spent 1576 msecs in "
        b"OPAL call 10!\n\n"
        b"[r] guest payload, ti[   59.494925049,4] Spent 2463 msecs in OPAL "
        b"call 1!\n\n[r]+ mebase 512000000 Hz\n"
        b"[    9.05,4] Spent 2229 msecs in OPAL call 2!\nlast\n")
with tempfile.NamedTemporaryFile() as f:
    f.write(rows)
    f.flush()
    got = [l for _, l in qemu_powernv.run_captured(["cat", f.name], 10).lines]
check(got == ["[nva] 8 passed, 0 failed",
              "[    5.098650473,4] Spent 1576 msecs in OPAL call 10!",
              "[r] guest payload, timebase 512000000 Hz",
              "[   59.494925049,4] Spent 2463 msecs in OPAL call 1!",
              "[    9.05,4] Spent 2229 msecs in OPAL call 2!", "last"],
      "skiboot's warnings cut out of the lines they landed in: %r" % got)
print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
