#!/usr/bin/env python3
"""make bench, partition start (issue 21): Debian's Linux in one 1 GiB,
2-vCPU partition (tests/bench/bench-linux.dts) booted RUNS times.  Per
run: lparvisor's own start line ("entered the guest N us after
hand-off", with its boot's parts); when its first guest fault was
answered (the first instruction's 2 MiB chunk filled and the image chunks
it needs checked: when that instruction could complete); the boot
thread's whole-image check line; and the time from the guest's first
instruction and from the hand-off to the userspace marker.  Prints
min/median/max of each and writes OUT_DIR/start.json.  Measurements, not
assertions, except that a run which loses its start line or its marker
fails the bench.  The "before" build of the comparison in
docs/performance.md is run with the same script.

Usage: run-start-bench.py LPARVISOR.elf BENCH-LINUX.itb OUT_DIR [RUNS]
       [APPEND]
"""
import json
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..",
                                "tools"))
sys.path.insert(0, os.path.dirname(__file__))
import qemu_powernv  # noqa: E402
from benchstat import stat3  # noqa: E402

HANDOFF = "INIT: Starting kernel"
MARKER = "LINUX-USERSPACE-UP"
ENTERED = re.compile(r'^lparvisor: partition "linux" entered the guest (\d+) '
                     r'us after hand-off \(its boot took (\d+) us: clearing '
                     r"its memory (\d+) us, waiting for its images' check "
                     r'(\d+) us, loading (\d+) us\)')
FAULT = re.compile(r'^lparvisor: partition "linux" had its first guest fault '
                   r'answered (\d+) us after hand-off \(the fault took (\d+) '
                   r'us')
CHECKED = re.compile(r"^lparvisor: boot bundle: images checked \(sha256 of "
                     r"(\d+) KiB\) in (\d+) ms")


def one(kernel, bundle, append):
    def done(lines):
        return bool(lines) and lines[-1].startswith("[linux] ") and \
            MARKER in lines[-1]

    cmd = qemu_powernv.qemu_command("powernv9", 4, "4G", kernel,
                                    initrd=bundle, append=append)
    run = qemu_powernv.run_captured(cmd, 240, stop_when=done)
    handoff = up = None
    out = {}
    for t, line in run.lines:
        if handoff is None and HANDOFF in line:
            handoff = t
        if up is None and line.startswith("[linux] ") and MARKER in line:
            up = t
        m = ENTERED.search(line)
        if m:
            (out["start-ms"], out["boot-ms"], out["clear-ms"],
             out["check-wait-ms"], out["load-ms"]) = [
                int(g) / 1e3 for g in m.groups()]
        m = FAULT.search(line)
        if m:
            out["first-fault-done-ms"] = int(m.group(1)) / 1e3
            out["first-fault-ms"] = int(m.group(2)) / 1e3
        m = CHECKED.search(line)
        if m:
            out["hashed-before-start-kib"] = int(m.group(1))
            out["hashing-ms"] = int(m.group(2))
    if handoff is not None and up is not None:
        out["hand-off-to-userspace-ms"] = (up - handoff) * 1e3
        if "start-ms" in out:
            out["guest-to-userspace-ms"] = (up - handoff) * 1e3 - \
                out["start-ms"]
    return out


def main(argv):
    kernel, bundle, out_dir = argv[:3]
    runs = int(argv[3]) if len(argv) > 3 else 3
    append = argv[4] if len(argv) > 4 else ""
    os.makedirs(out_dir, exist_ok=True)
    samples = []
    for i in range(runs):
        s = one(kernel, bundle, append)
        print("start bench run %d: %s" % (i + 1, json.dumps(s,
                                                           sort_keys=True)),
              flush=True)
        samples.append(s)
    keys = ("start-ms", "boot-ms", "clear-ms", "check-wait-ms", "load-ms",
            "hashing-ms", "first-fault-ms", "first-fault-done-ms", "guest-to-userspace-ms", "hand-off-to-userspace-ms")
    lost = []
    print("partition start (1 GiB Linux, 2 vCPUs), %d runs, load %s" % (
        runs, open("/proc/loadavg").read().split()[0]))
    for k in keys:
        v = [s[k] for s in samples if k in s]
        if k in ("start-ms", "hand-off-to-userspace-ms") and len(v) != runs:
            lost.append(k)
        if v:
            st = stat3(v)
            print("  %-28s %9.1f / %9.1f / %9.1f  (n=%d)" % (
                k, st["min"], st["median"], st["max"], st["runs"]))
    with open(os.path.join(out_dir, "start.json"), "w") as f:
        json.dump({"runs": runs, "append": append, "samples": samples}, f,
                  indent=1, sort_keys=True)
    if lost:
        print("start bench: FAILED: runs lost: %s" % ", ".join(lost))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
