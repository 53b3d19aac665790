#!/usr/bin/env python3
"""RTAS get-time-of-day before/after (issue 21): the benchmark payload
(tests/guest/bench.c, one bundle) under several lparvisor images and under
QEMU's -M pseries, interleaved: each round runs every image once, then
pseries, so a busy host slows every side alike.

Usage: run-rtas-bench.py BENCH.itb BENCH.bin RUNS NAME=LPARVISOR.elf...

Prints, per side, min/median/max (ns per call, n = runs that reported)
of the payload's rows: rtas-get-time-of-day (through the partition's RTAS
code as Linux calls it; pseries: QEMU's 20-byte code, a copy in the
payload), rtas-hcall-get-time-of-day (KVMPPC_H_RTAS directly) and
null-hcall, and each side's ratio to pseries by medians.  Measurements,
not assertions; a run that reported nothing is named and left out.
"""
import importlib.util
import os
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tools"))
_spec = importlib.util.spec_from_file_location(
    "run_bench", os.path.join(HERE, "run-bench.py"))
run_bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(run_bench)

ROWS = ["rtas-get-time-of-day", "rtas-hcall-get-time-of-day", "null-hcall"]


def main(argv):
    if len(argv) < 4:
        sys.stderr.write(__doc__)
        return 2
    bundle, payload, runs = argv[0], argv[1], int(argv[2])
    images = [a.split("=", 1) for a in argv[3:]]
    sides = [n for n, _ in images] + ["pseries"]
    samples = {s: {r: [] for r in ROWS} for s in sides}
    for i in range(runs):
        load = run_bench.loadavg()
        print("round %d of %d (load %.1f)" % (i + 1, runs, load or 0),
              flush=True)
        for name, elf in images + [("pseries", None)]:
            if elf:
                got = run_bench.run_lparvisor(elf, bundle)
            else:
                got = run_bench.run_pseries(payload)["bench"]
            if not got:
                print("  %s: no figures" % name)
            for r in ROWS:
                if r in got:
                    samples[name][r].append(got[r])
            print("  %s: %s" % (name, ", ".join(
                "%s %.0f" % (r, got[r]) for r in ROWS if r in got)),
                flush=True)
    print("\nns per call, min/median/max (n), ratio to pseries by medians")
    for r in ROWS:
        ref = samples["pseries"][r]
        for s in sides:
            v = samples[s][r]
            if not v:
                print("%-28s %-10s -" % (r, s))
                continue
            ratio = ("%.2fx" % (statistics.median(v) /
                                statistics.median(ref))) if ref else "-"
            print("%-28s %-10s %.0f/%.0f/%.0f (n=%d) %s" % (
                r, s, min(v), statistics.median(v), max(v), len(v), ratio))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
