#!/usr/bin/env python3
"""make bench: the guest round trips lparvisor costs, against QEMU's own
-M pseries (which handles hcalls inside the emulator), measured in the
same run.  Absolute times under TCG mean little, so each figure is a
min/median/max over repeated runs and the lparvisor/pseries ratio of the
medians is what to read.

Usage: run-bench.py KERNEL BUNDLE PAYLOAD_BIN [RUNS]
"""
import os
import re
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tools"))

import qemu_powernv  # noqa: E402

BENCH = re.compile(r"BENCH (\S+) (\d+) (\d+) (\d+)")


def parse(lines):
    out = {}
    for _, line in lines:
        m = BENCH.search(line)
        if m:
            name, n, ticks, hz = m.group(1), *map(int, m.groups()[1:])
            out[name] = ticks * 1e9 / hz / n  # ns per operation
    return out


def run_lparvisor(kernel, bundle):
    cmd = qemu_powernv.qemu_command("powernv9", 4, "2G", kernel,
                                    initrd=bundle)
    run = qemu_powernv.run_captured(cmd, 120, stop_on="OPAL: Shutdown")
    return parse(run.lines)


def run_pseries(payload):
    cmd = ["qemu-system-ppc64", "-M", "pseries,ic-mode=xics", "-cpu",
           "power9", "-m", "512M", "-smp", "1", "-nodefaults", "-nographic",
           "-no-reboot", "-chardev", "stdio,id=con,signal=off", "-device",
           "spapr-vty,chardev=con", "-bios", payload]
    run = qemu_powernv.run_captured(cmd, 120)
    return parse(run.lines)


def stats(values):
    return min(values), statistics.median(values), max(values)


def main(argv):
    kernel, bundle, payload = argv[:3]
    runs = int(argv[3]) if len(argv) > 3 else 3
    results = {"lparvisor": {}, "pseries": {}}
    for i in range(runs):
        for env, fn in (("lparvisor", lambda: run_lparvisor(kernel, bundle)),
                        ("pseries", lambda: run_pseries(payload))):
            for name, ns in fn().items():
                results[env].setdefault(name, []).append(ns)
    names = sorted(set(results["lparvisor"]) | set(results["pseries"]))
    print("%-22s %-28s %-28s %s" % ("ns per call (TCG)", "lparvisor min/med/max",
                                     "pseries min/med/max", "ratio"))
    ok = True
    for name in names:
        lv = results["lparvisor"].get(name)
        ps = results["pseries"].get(name)
        if not lv or not ps:
            print("%-22s missing (lparvisor %d runs, pseries %d runs)" %
                  (name, len(lv or []), len(ps or [])))
            ok = False
            continue
        a, b = stats(lv), stats(ps)
        print("%-22s %8.0f %8.0f %8.0f   %8.0f %8.0f %8.0f   %.1fx" %
              (name, *a, *b, a[1] / b[1]))
    print("runs per machine: %d" % runs)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
