#!/usr/bin/env python3
"""make bench, guest compute (issue 21): the compute payload
(tests/guest/compute.c: its own radix tree of 4 KiB pages over a 256 MiB
region, then first touch, strided and random read-modify-writes, and
register-only integer work) on the bare powernv9 host in hypervisor state
(compute-bare.bin as skiboot's kernel, no hypervisor: one level of radix
translation), in an lparvisor partition alone on the same machine
(tests/bench/bench-compute.dts) and on QEMU's -M pseries with the same
sizes, in the same run.  `make bench-kvm` (tests/bench/kvm/run-kvm.py)
calls the same functions and adds the payload under Linux KVM-HV.

Usage: run-compute-bench.py LPARVISOR.elf BENCH-COMPUTE.itb COMPUTE.bin
                            HELLO.elf COMPUTE-BARE.bin OUT_DIR [RUNS]

lparvisor runs twice: as it boots by default (memory cleared on first
touch) and with the boot option clear=boot (cleared whole before the
partition starts); the bare host clears the payload's memory before it
starts (the emulator's first write of a page is not translation).  The
bare machine is lparvisor's: powernv9, 4 cores, 2 GiB; the payload parks
the other threads.  Per measure: ns per page access (per iteration for
compute-alu), min/median/max (n) over RUNS (default 1) on each side, and
the ratios of the medians: lparvisor / bare (what a hypervisor costs the
guest here), pseries / bare for information, and with KVM-HV
lparvisor / KVM-HV (target <= 1.05) and KVM-HV / bare.  On lparvisor, the
service console's `stats` is typed when the payload says COMPUTE-START
and again at COMPUTE-DONE; the payload spins two seconds without an hcall
after each, so the partition's exits between the two counts are the timed
part's (first touches of memory not yet cleared, ticks) plus the one
hcall that prints COMPUTE-DONE.  With profile=on, the partition's exit
profile of its whole life, with the first-touch line, is printed when it
stops.  Writes OUT_DIR/compute.json; exit status 1 when a side lost a run
(a side with fewer figures than runs).
"""
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


def run_bare(bare):
    """The payload as skiboot's kernel on lparvisor's machine."""
    cmd = qemu_powernv.qemu_command("powernv9", 4, "2G", bare, append=ARGS)
    run = qemu_powernv.run_captured(cmd, 600, stop_on="passed, ")
    fails = [l for _, l in run.lines if l.startswith("FAIL ")]
    return {"bench": parse(run.lines) if not fails else {},
            "failures": fails}


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


# (label, side, reference): ratios of the medians printed per measure.
RATIOS = (("lparvisor/KVM-HV", "lparvisor", "kvm-hv"),
          ("clear=boot/KVM-HV", "lparvisor-clear-boot", "kvm-hv"),
          ("lparvisor/bare", "lparvisor", "bare"),
          ("clear=boot/bare", "lparvisor-clear-boot", "bare"),
          ("KVM-HV/bare", "kvm-hv", "bare"),
          ("pseries/bare", "pseries", "bare"))
TARGET = 1.05  # lparvisor / KVM-HV


def table(sides, runs):
    """Print the rows of `sides` ({name: [per-run result with "bench"]},
    names from bare, lparvisor, lparvisor-clear-boot, kvm-hv, pseries);
    returns (rows for the JSON, True when a side lost a run)."""
    names = [n for n in ("bare", "lparvisor", "lparvisor-clear-boot",
                         "kvm-hv", "pseries") if n in sides]
    ratios = [r for r in RATIOS if r[1] in sides and r[2] in sides]
    print("\nguest compute (issue 21): %s, one vCPU, 4 KiB pages, %d run(s);"
          " ns per access (alu: per iteration), min/median/max (n)"
          % (ARGS, runs))
    rows, lost = {}, False
    for name in MEASURES:
        print("%s:" % name)
        row = {}
        for side in names:
            xs = [r["bench"][name] for r in sides[side]
                  if name in r["bench"]]
            lost |= len(xs) != runs
            row[side] = xs
            print("  %-22s %s (%d)" % (side, fmt(stats(xs)), len(xs)))
        for label, a, b in ratios:
            sa, sb = stats(row[a]), stats(row[b])
            ratio = sa[1] / sb[1] if sa and sb else None
            row[label] = ratio
            verdict = ""
            if ratio and b == "kvm-hv":
                verdict = " (target <= %.2f: %s)" % (
                    TARGET, "met" if ratio <= TARGET else "missed")
            print("  %-22s %s%s" % (label, "%.2fx" % ratio if ratio
                                    else "-", verdict))
        rows[name] = row
    for side in ("lparvisor", "lparvisor-clear-boot"):
        if side not in sides:
            continue
        ex = [r["exits-during"] for r in sides[side]
              if r["exits-during"] is not None]
        print("%s: exits between COMPUTE-START and COMPUTE-DONE (one is the"
              " hcall printing COMPUTE-DONE): %s"
              % (side, ", ".join(str(e) for e in ex) or "-"))
        for r in sides[side]:
            if r["first-touch"]:
                print("  first touch: %s" % r["first-touch"])
            for kind, nr, what, count in r["profile"]:
                print("  profile (whole life): %s %s %s: %s" %
                      (kind, nr, what, count))
    for r in sides.get("bare", []):
        for f in r.get("failures", []):
            print("bare: %s" % f)
    return rows, lost


def main(argv):
    if len(argv) < 7:
        print(__doc__)
        return 2
    elf, bundle, payload, hello, bare, out_dir = argv[1:7]
    runs = int(argv[7]) if len(argv) > 7 else 1
    sides = {"bare": [], "lparvisor": [], "lparvisor-clear-boot": [],
             "pseries": []}
    for i in range(runs):
        print("compute bench: run %d of %d (bare host, lparvisor, lparvisor "
              "with clear=boot, then pseries)" % (i + 1, runs), flush=True)
        sides["bare"].append(run_bare(bare))
        sides["lparvisor"].append(run_lparvisor(elf, bundle))
        sides["lparvisor-clear-boot"].append(
            run_lparvisor(elf, bundle, "clear=boot"))
        sides["pseries"].append(run_pseries(payload, hello))
    rows, lost = table(sides, runs)
    return benchstat.finish(out_dir, "compute.json",
                            dict({"args": ARGS, "runs": runs, "rows": rows},
                                 **sides), lost, "compute bench")

if __name__ == "__main__":
    sys.exit(main(sys.argv))
