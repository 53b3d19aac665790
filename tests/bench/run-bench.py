#!/usr/bin/env python3
"""make bench: the guest round trips lparvisor costs, against QEMU's own
-M pseries (which handles hcalls inside the emulator), measured in the
same run.  Absolute times under TCG mean little, so each figure is a
min/median/max over repeated runs and the lparvisor/pseries ratio of the
medians is what to read.

Usage: run-bench.py KERNEL BUNDLE PAYLOAD_BIN LINUX_BUNDLE VMLINUX INITRAMFS
                    [RUNS]
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
           "power9", "-m", "512M", "-smp", "2", "-nodefaults", "-nographic",
           "-no-reboot", "-chardev", "stdio,id=con,signal=off", "-device",
           "spapr-vty,chardev=con", "-bios", payload]
    run = qemu_powernv.run_captured(cmd, 120)
    return parse(run.lines)


MARKER = "LINUX-USERSPACE-UP"


def linux_lparvisor(kernel, bundle):
    """Seconds from QEMU start and from skiboot's hand-off to userspace."""
    cmd = qemu_powernv.qemu_command("powernv9", 4, "4G", kernel,
                                    initrd=bundle)
    run = qemu_powernv.run_captured(cmd, 180, stop_on="OPAL: Shutdown")
    up = run.first_time(MARKER)
    handoff = run.first_time("INIT: Starting kernel")
    if up is None or handoff is None:
        return {}
    return {"linux-boot-from-qemu-start-ms": up * 1e3,
            "linux-boot-from-hand-off-ms": (up - handoff) * 1e3}


def linux_pseries(vmlinux, initramfs):
    cmd = ["qemu-system-ppc64", "-M", "pseries,x-vof=on,ic-mode=xics",
           "-cpu", "power9", "-m", "1G", "-smp", "2", "-nodefaults",
           "-nographic", "-no-reboot", "-chardev", "stdio,id=con,signal=off",
           "-device", "spapr-vty,chardev=con", "-kernel", vmlinux,
           "-initrd", initramfs, "-append",
           "console=hvc0 quiet lparvisor.vcpus=2"]
    run = qemu_powernv.run_captured(cmd, 180, stop_on="reboot: Power down")
    up = run.first_time(MARKER)
    if up is None:
        return {}
    # QEMU starts the guest itself: both figures are from QEMU's start.
    return {"linux-boot-from-qemu-start-ms": up * 1e3,
            "linux-boot-from-hand-off-ms": up * 1e3}


def stats(values):
    return min(values), statistics.median(values), max(values)


def main(argv):
    kernel, bundle, payload, lbundle, vmlinux, initramfs = argv[:6]
    runs = int(argv[6]) if len(argv) > 6 else 3
    results = {"lparvisor": {}, "pseries": {}}
    jobs = (("lparvisor", lambda: run_lparvisor(kernel, bundle)),
            ("pseries", lambda: run_pseries(payload)),
            ("lparvisor", lambda: linux_lparvisor(kernel, lbundle)),
            ("pseries", lambda: linux_pseries(vmlinux, initramfs)))
    for i in range(runs):
        for env, fn in jobs:
            for name, ns in fn().items():
                results[env].setdefault(name, []).append(ns)
    names = sorted(set(results["lparvisor"]) | set(results["pseries"]))
    print("%-30s %-30s %-30s %s" % ("ns per call, or ms (TCG)",
                                     "lparvisor min/med/max",
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
        print("%-30s %9.0f %9.0f %9.0f  %9.0f %9.0f %9.0f  %.1fx" %
              (name, *a, *b, a[1] / b[1]))
    print("runs per machine: %d; Linux: Debian's kernel, 2 vCPUs, 1 GiB, to "
          "the initramfs marker (pseries: -M pseries,x-vof=on, from QEMU's "
          "start, its only start)" % runs)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
