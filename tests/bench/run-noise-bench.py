#!/usr/bin/env python3
"""make bench, hypervisor noise (issue 21: "a vCPU lparvisor never
interrupts"): how often lparvisor takes a busy or an idle vCPU away from
its guest, against QEMU's -M pseries running the same payload.

Usage: run-noise-bench.py LPARVISOR.elf BENCH-NOISE.itb NOISY.bin
                          HELLO.elf OUT_DIR [RUNS]

The payload is tests/guest/noisy.c, for 4 s a run:
  mode=spin  one vCPU reads the timebase in a loop for 4 s and keeps the
             largest gap between two reads (whatever took the vCPU away:
             the hypervisor, and under QEMU the host) and the gaps over
             100 us;
  mode=idle  one vCPU waits 6 s in H_CEDE with its decrementer set to the
             end of the run (or its largest value) and counts the times
             H_CEDE returned (1, or 2 with a 32-bit decrementer, when
             nothing disturbed it).
In lparvisor both run at once, as partitions "busy" and "idle" of one
4-core machine (tests/bench/bench-noise.dts), with housekeeping on the
boot thread's core; the service console's `stats` is typed when "busy"
starts and again when it reports, and each partition's exits between
the two that were not its own hcalls, per second of that window, are the
exits lparvisor imposed (target 0).  On -M pseries (-smp 1) each mode is
a run of its own; QEMU has no exit counter, so only the guest's own
figures compare: the largest gap (target: no bigger than pseries, ratio
<= 1.0), gaps over 100 us per second, H_CEDE returns.

Measurements, not assertions, except that the bench fails when a run
lost its figures.  Writes OUT_DIR/noise.json.
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..",
                                "tools"))
import benchstat  # noqa: E402
import qemu_powernv  # noqa: E402

MS = 4000          # the spinning vCPU's run
IDLE_MS = 6000     # the idle one's: it waits through the whole of the other
GAP = re.compile(r"noisy: vCPU 0 largest timebase gap (\d+) us, (\d+) gaps "
                 r"over 100 us$")
WAKES = re.compile(r"noisy: vCPU 0 idle for (\d+) ms: (\d+) wake-ups$")
STATS = re.compile(r"^\[lparvisor\]\s+\d*\s*\*?\s*(busy|idle): \S+, exits "
                   r"(\d+) \(hcalls (\d+),")


def guest_figures(lines, prefix=""):
    out = {}
    for _, line in lines:
        if not line.startswith(prefix):
            continue
        m = GAP.search(line)
        if m:
            out["max-gap-us"] = int(m.group(1))
            out["gaps-per-s"] = int(m.group(2)) * 1000.0 / MS
        m = WAKES.search(line)
        if m:
            out["wakes"] = int(m.group(2))
    return out


def run_lparvisor(elf, bundle):
    cmd = qemu_powernv.qemu_command("powernv9", 4, "2G", elf, initrd=bundle)
    script = [(r"^\[busy\] noisy: mode spin ", b"\x1dstats\r"),
              (r"^\[busy\] noisy: vCPU 0 largest", b"\x1dstats\r")]
    run = qemu_powernv.run_captured(cmd, 300, stop_on="OPAL: Shutdown",
                                    script=script)
    out = {"busy": guest_figures(run.lines, "[busy] "),
           "idle": guest_figures(run.lines, "[idle] ")}
    # Each `stats` prints one line per partition: (time, exits, hcalls).
    seen = {"busy": [], "idle": []}
    for t, line in run.lines:
        m = STATS.search(line)
        if m:
            seen[m.group(1)].append((t, int(m.group(2)), int(m.group(3))))
    for name, s in seen.items():
        if len(s) >= 2:
            (t0, e0, h0), (t1, e1, h1) = s[0], s[1]
            if t1 > t0:
                out[name]["imposed-per-s"] = ((e1 - e0) - (h1 - h0)) / (t1 - t0)
                out[name]["window-s"] = t1 - t0
    return out


def run_pseries(payload, hello, mode):
    cmd = benchstat.pseries_payload_command(
        payload, hello, "mode=%s ms=%d" % (mode, MS if mode == "spin"
                                            else IDLE_MS))
    run = qemu_powernv.run_captured(cmd, 120, stop_on="passed, ")
    return guest_figures(run.lines)


def main(argv):
    if len(argv) < 6:
        print(__doc__)
        return 2
    elf, bundle, payload, hello, out_dir = argv[1:6]
    runs = int(argv[6]) if len(argv) > 6 else 3
    lv, ps_spin, ps_idle = [], [], []
    for i in range(runs):
        print("noise bench: run %d of %d (lparvisor, then pseries spin and "
              "idle)" % (i + 1, runs), flush=True)
        lv.append(run_lparvisor(elf, bundle))
        ps_spin.append(run_pseries(payload, hello, "spin"))
        ps_idle.append(run_pseries(payload, hello, "idle"))

    def col(side, key):
        return benchstat.stat3([r.get(key) for r in side])

    rows = []
    for measure, unit, a, b, target in (
            ("spinning vCPU: largest timebase gap", "us",
             col([r["busy"] for r in lv], "max-gap-us"),
             col(ps_spin, "max-gap-us"), "<=1.0x"),
            ("spinning vCPU: gaps over 100 us a second", "/s",
             col([r["busy"] for r in lv], "gaps-per-s"),
             col(ps_spin, "gaps-per-s"), None),
            ("idle vCPU: H_CEDE returns in 6 s (its own timer: 1 or 2)", "",
             col([r["idle"] for r in lv], "wakes"),
             col(ps_idle, "wakes"), None),
            ("spinning vCPU: exits lparvisor imposed a second", "/s",
             col([r["busy"] for r in lv], "imposed-per-s"), None, "0"),
            ("idle vCPU: exits lparvisor imposed a second", "/s",
             col([r["idle"] for r in lv], "imposed-per-s"), None, "0")):
        ratio = (a["median"] / b["median"]
                 if a and b and b["median"] else None)
        verdict = ""
        if target == "<=1.0x" and ratio is not None:
            verdict = "met" if ratio <= 1.0 else "missed"
        elif target == "0" and a:
            verdict = "met" if a["median"] == 0 else "missed"
        rows.append({"measure": measure, "unit": unit, "lparvisor": a,
                     "pseries": b, "ratio": ratio, "target": target,
                     "verdict": verdict})
    print("\nhypervisor noise (issue 21), %d run(s)" % runs)
    print("%-58s %-4s %-24s %-24s %-7s %s" % (
        "measure", "unit", "lparvisor min/med/max (n)",
        "pseries min/med/max (n)", "ratio", "target"))
    lost = False
    for r in rows:
        print("%-58s %-4s %-24s %-24s %-7s %s" % (
            r["measure"], r["unit"], benchstat.fmt3(r["lparvisor"]),
            benchstat.fmt3(r["pseries"]) if r["target"] != "0" else "-",
            "%.2fx" % r["ratio"] if r["ratio"] is not None else "-",
            ("%s %s" % (r["target"], r["verdict"])) if r["target"] else ""))
        lost |= not r["lparvisor"] or r["lparvisor"]["runs"] != runs
        lost |= r["target"] != "0" and (not r["pseries"] or
                                        r["pseries"]["runs"] != runs)
    return benchstat.finish(out_dir, "noise.json", {
        "ms": MS, "runs": runs, "rows": rows, "lparvisor": lv,
        "pseries-spin": ps_spin, "pseries-idle": ps_idle}, lost,
        "noise bench")

if __name__ == "__main__":
    sys.exit(main(sys.argv))
