#!/usr/bin/env python3
"""make bench, guest compute (issue 21): the compute payload
(tests/guest/compute.c: its own radix tree of 4 KiB pages over a 256 MiB
region, then first touch, strided and random read-modify-writes, and
register-only integer work) in an lparvisor partition alone on the
machine (tests/bench/bench-compute.dts) and on QEMU's -M pseries with the
same sizes, in the same run.

Usage: run-compute-bench.py LPARVISOR.elf BENCH-COMPUTE.itb COMPUTE.bin
                            HELLO.elf OUT_DIR [RUNS]

lparvisor runs twice: as it boots by default (memory cleared on first
touch) and with the boot option clear=boot (cleared whole before the
partition starts).  Per measure: ns per page access (per iteration for compute-alu) on both,
min/median/max over RUNS (default 1) and the ratio of the medians.  On
lparvisor, the service console's `stats` is typed when the payload says
COMPUTE-START and again at COMPUTE-DONE; the payload spins two seconds
without an hcall after each, so the partition's exits between the two
counts are the timed part's (first touches of memory not yet cleared,
ticks) plus the one hcall that prints COMPUTE-DONE.  With profile=on,
the partition's exit profile of its whole life, with the first-touch
line, is printed when it stops.  pseries has no such counter.  Writes
OUT_DIR/compute.json.  Measurements, not assertions.
"""
import json
import os
import re
import statistics
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..",
                                "tools"))
import qemu_powernv  # noqa: E402

sys.path.insert(0, os.path.dirname(__file__))
import benchstat  # noqa: E402

BENCH = re.compile(r"BENCH (compute-\S+) (\d+) (\d+) (\d+)")
STATS = re.compile(r"^\[lparvisor\]\s+\d*\s*\*?\s*compute: \S+, exits (\d+)")
TOUCH = re.compile(r'^lparvisor: profile "compute": memory cleared on first '
                   r'touch: (.*)$')
PROFILE = re.compile(r'^lparvisor: profile "compute": (exit|hcall) '
                     r'(0x[0-9a-f]+) (.+): (\d+), ')
ARGS = "mib=256 passes=4 randoms=1000000 alu=20000000"
MEASURES = ("compute-touch", "compute-strided", "compute-random",
            "compute-alu")


def parse(lines):
    out = {}
    for _, line in lines:
        m = BENCH.search(line)
        if m:
            n, ticks, hz = (int(m.group(i)) for i in (2, 3, 4))
            if n:
                out[m.group(1)] = ticks * 1e9 / hz / n
    return out


def run_lparvisor(elf, bundle, append=""):
    # profile=on: the profile is printed when the partition stops (its
    # few exits are then timed too).
    cmd = qemu_powernv.qemu_command("powernv9", 4, "2G", elf, initrd=bundle,
                                    append=("profile=on " + append).strip())
    script = [(r"^\[compute\] COMPUTE-START ", b"\x1dstats\r"),
              (r"^\[compute\] COMPUTE-DONE", b"\x1dstats\r")]
    run = qemu_powernv.run_captured(cmd, 600, stop_on="OPAL: Shutdown",
                                    script=script)
    exits = [int(m.group(1)) for m in
             (STATS.search(l) for _, l in run.lines) if m]
    profile = [m.groups() for m in
               (PROFILE.search(l) for _, l in run.lines) if m]
    touch = [m.group(1) for m in (TOUCH.search(l) for _, l in run.lines)
             if m]
    return {"bench": parse(run.lines),
            "exits-during": exits[1] - exits[0] if len(exits) >= 2 else None,
            "profile": profile, "first-touch": touch[-1] if touch else None}


def run_pseries(payload, hello):
    cmd = benchstat.pseries_payload_command(payload, hello, ARGS)
    run = qemu_powernv.run_captured(cmd, 600, stop_on="passed, ")
    return {"bench": parse(run.lines)}


def stats(xs):
    return (min(xs), statistics.median(xs), max(xs)) if xs else None


def fmt(s):
    if not s:
        return "-"
    return "/".join("%.0f" % v if v >= 100 else "%.1f" % v for v in s)


def main(argv):
    if len(argv) < 6:
        print(__doc__)
        return 2
    elf, bundle, payload, hello, out_dir = argv[1:6]
    runs = int(argv[6]) if len(argv) > 6 else 1
    lv, lb, ps = [], [], []
    for i in range(runs):
        print("compute bench: run %d of %d (lparvisor, lparvisor with "
              "clear=boot, then pseries)" % (i + 1, runs), flush=True)
        lv.append(run_lparvisor(elf, bundle))
        lb.append(run_lparvisor(elf, bundle, "clear=boot"))
        ps.append(run_pseries(payload, hello))
    lost = False
    print("\nguest compute (issue 21): %s, one vCPU, 4 KiB pages, %d run(s)"
          % (ARGS, runs))
    rows = {}
    for label, side in (("", lv), (" (clear=boot)", lb)):
        print("%-46s %-26s %-26s %s" % (
            "measure (ns per access/iteration)",
            "lparvisor%s min/med/max (n)" % label, "pseries min/med/max (n)",
            "ratio"))
        for name in MEASURES:
            a = [r["bench"][name] for r in side if name in r["bench"]]
            b = [r["bench"][name] for r in ps if name in r["bench"]]
            sa, sb = stats(a), stats(b)
            ratio = sa[1] / sb[1] if sa and sb else None
            lost |= len(a) != runs or len(b) != runs
            rows[name + label] = {"lparvisor": a, "pseries": b,
                                  "ratio": ratio}
            print("%-46s %-26s %-26s %s" % (
                name, "%s (%d)" % (fmt(sa), len(a)),
                "%s (%d)" % (fmt(sb), len(b)),
                "%.2fx" % ratio if ratio else "-"))
        ex = [r["exits-during"] for r in side
              if r["exits-during"] is not None]
        print("lparvisor%s: exits between COMPUTE-START and COMPUTE-DONE "
              "(one is the hcall printing COMPUTE-DONE): %s"
              % (label, ", ".join(str(e) for e in ex) or "-"))
        for r in side:
            if r["first-touch"]:
                print("  first touch: %s" % r["first-touch"])
            for kind, nr, name, count in r["profile"]:
                print("  profile (whole life): %s %s %s: %s" %
                      (kind, nr, name, count))
        print()
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "compute.json"), "w") as f:
        json.dump({"args": ARGS, "runs": runs, "rows": rows,
                   "lparvisor": lv, "lparvisor-clear-boot": lb,
                   "pseries": ps}, f, indent=1)
    if lost:
        print("compute bench: a run lost its figures (see above)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
