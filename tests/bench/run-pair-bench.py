#!/usr/bin/env python3
"""The pair row of make bench alone, for before/after comparisons (issue
21): two 2-vCPU, 1 GiB Linux partitions booting at once
(tests/bench/bench-linux-pair.dts), the slower one timed from its own
first guest instruction to the userspace marker, against two
`-M pseries,x-vof=on -smp 2 -m 1G` QEMUs started together, each timed from
its first instruction (QMP "cont") - exactly as tests/bench/run-bench.py
times that row.  Each round runs every lparvisor image given, then the
two pseries, so builds are interleaved on the same host.  With
PAIR_PROFILE=1 one more boot per image runs with profile=on and both
partitions' exit profiles (first-touch HDSIs, chunks cleared, image
chunks checked) and start stamps are printed.
Prints min/median/max (n) per side and the ratios of the medians; writes
OUT_DIR/pair.json.  Exits 1 when a side lost a run.

Usage: run-pair-bench.py PAIR.itb VMLINUX INITRAMFS OUT_DIR ROUNDS
       LPARVISOR.elf[:OTHER-PAIR.itb]...
(an image may name its own bundle, for a build whose bundle differs).
"""
import importlib.util
import json
import os
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location(
    "run_bench", os.path.join(HERE, "run-bench.py"))
rb = importlib.util.module_from_spec(spec)
spec.loader.exec_module(rb)

NAMES = ("linux1", "linux2")


def lparvisor_pair(elf, bundle):
    r = rb.linux_lparvisor_full(elf, bundle, names=NAMES)
    ms = [r["partitions"][n].get("guest-to-userspace-ms") for n in NAMES]
    out = {"starts": [r["partitions"][n].get("start-ms") for n in NAMES]}
    if None not in ms:
        out["guest-ms"] = max(ms)
    return out


def pseries_pair(vmlinux, initramfs):
    rs = rb.linux_pseries_pair(vmlinux, initramfs)
    ms = [r.get("guest-to-userspace-ms") for r in rs]
    return {"guest-ms": max(ms)} if None not in ms else {}


def profile_lines(elf, bundle):
    """One pair boot with profile=on: the first-touch lines of both."""
    cmd = rb.qemu_powernv.qemu_command("powernv9", 4, "4G", elf,
                                       initrd=bundle, append="profile=on")
    script = [(rb.re.escape(rb.MARKER), b"\x1dp")]
    ends = set()

    def done(lines):
        last = lines[-1] if lines else ""
        for n in NAMES:
            if last.startswith('lparvisor: profile "%s": end' % n):
                ends.add(n)
        return len(ends) == len(NAMES)

    run = rb.qemu_powernv.run_captured(cmd, 240, stop_when=done,
                                       script=script)
    keep = ("lparvisor: profile", "entered the guest", "first guest fault")
    return [line for _, line in run.lines
            if any(line.startswith(k) or k in line for k in keep)]


def main(argv):
    bundle, vmlinux, initramfs, out_dir, rounds = argv[:5]
    elfs = argv[5:]
    bundles = {e: e.split(":", 1)[1] if ":" in e else bundle for e in elfs}
    os.makedirs(out_dir, exist_ok=True)
    samples = {e: [] for e in elfs}
    samples["pseries"] = []
    for i in range(int(rounds)):
        for e in elfs:
            r = lparvisor_pair(e.split(":")[0], bundles[e])
            print("pair round %d %s load %.2f: %s" % (
                i + 1, e, os.getloadavg()[0], json.dumps(r)), flush=True)
            if "guest-ms" in r:
                samples[e].append(r["guest-ms"])
        r = pseries_pair(vmlinux, initramfs)
        print("pair round %d pseries load %.2f: %s" % (
            i + 1, os.getloadavg()[0], json.dumps(r)), flush=True)
        if "guest-ms" in r:
            samples["pseries"].append(r["guest-ms"])
    if os.environ.get("PAIR_PROFILE"):
        for e in elfs:
            print("profile of one pair boot, %s:" % e)
            for line in profile_lines(e.split(":")[0], bundles[e]):
                print("  " + line)
    ps = samples["pseries"]
    print("two partitions at once vs two -M pseries, slower of the pair, "
          "first instruction -> userspace (ms), %s rounds:" % rounds)
    lost = False
    for k, v in samples.items():
        lost |= len(v) != int(rounds)
        if v:
            print("  %-40s %8.0f / %8.0f / %8.0f (n=%d)%s" % (
                k, min(v), statistics.median(v), max(v), len(v),
                "" if k == "pseries" or not ps else "  %.2fx pseries" % (
                    statistics.median(v) / statistics.median(ps))))
    with open(os.path.join(out_dir, "pair.json"), "w") as f:
        json.dump(samples, f, indent=1)
    if lost:
        print("pair bench: FAILED: runs lost")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
