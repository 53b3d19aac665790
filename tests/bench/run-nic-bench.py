#!/usr/bin/env python3
"""make bench, NIC (issue 17): Debian's Linux moving data through QEMU's
e1000e to and from the host, (a) in an lparvisor partition owning the
PHB the e1000e sits behind (PCI passthrough: TCE DMA, MSI-X through the
host XIVE) and (b) on QEMU -M pseries with the same e1000e on its own
PHB, the same kernel and initramfs, in the same run.

Usage: run-nic-bench.py LPARVISOR.elf BENCH-NIC.itb VMLINUX INITRAMFS
                        OUT_DIR [RUNS]

Both run tests/linux/init's lparvisor.nicbench=16: DHCP on QEMU's user
network (restrict=on: no packet leaves the machine), then busybox wget of
16 MiB from tests/boot/nicserve.py (guestfwd, 10.0.2.100:80) to
/dev/null, and a POST of 16 MiB back (checked by sha256 after the
timing), each timed with /proc/uptime (centiseconds).  On lparvisor the
service console's `stats` is typed at the guest's three marks: the
partition's exits during each transfer, per MiB.  Both sides are
XIVE (the partition, and pseries' ic-mode=xive) with one vCPU and
512 MiB.  Prints min/median/max in MB/s, the ratio of medians and the
goal (>= 0.9x pseries), with the number of samples each side; writes
OUT_DIR/nic.json.  A run that does not finish (no PASS nicbench) is
reported and the bench exits 1.
"""
import json
import os
import re
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tools"))
import qemu_powernv  # noqa: E402
sys.path.insert(0, HERE)
from benchstat import print_ratio_table, stat3  # noqa: E402

MIB = 16
GOAL = 0.9
PHASE = re.compile(r"lparvisor-linux: nicbench: (down|up) (\d+) bytes in "
                   r"(\d+) cs")
STATS = re.compile(r"^\[lparvisor\]   (\S+): \S+, exits (\d+) ")
DONE = "PASS nicbench"
MEASURES = ("down", "up")
SERVE = os.path.join(HERE, "..", "boot", "nicserve.py")
NETDEV = ("user,id=n0,restrict=on,guestfwd=tcp:10.0.2.100:80-cmd:python3 "
          "%s" % os.path.abspath(SERVE))
APPEND = ("console=hvc0 quiet lparvisor.vcpus=1 lparvisor.intc=xive "
          "lparvisor.nicbench=%d" % MIB)


def figures(lines, prefix=""):
    """{measure: MB/s} of both directions; None if lost."""
    if not any(l.startswith(prefix) and DONE in l for l in lines):
        return None
    out = {}
    for l in lines:
        m = PHASE.search(l)
        if m and l.startswith(prefix):
            out[m.group(1)] = int(m.group(2)) / 1e6 / (
                max(int(m.group(3)), 1) / 100.0)
    return out if len(out) == 2 else None


def exits_per_mib(lines):
    """The partition's exits during each transfer, per MiB moved (from
    the `stats` typed at the guest's three marks)."""
    seen = [int(m.group(2)) for m in (STATS.search(l) for l in lines)
            if m and m.group(1) == "nic"]
    if len(seen) != 3:
        return None
    return {"down": (seen[1] - seen[0]) / MIB, "up": (seen[2] - seen[1]) / MIB}


def lparvisor_run(kernel, bundle, timeout):
    cmd = qemu_powernv.qemu_command(
        "powernv9", 2, "2G", kernel, initrd=bundle,
        pci=["-netdev", NETDEV,
             "-device", "e1000e,netdev=n0,bus=pcie.1,romfile="])
    script = [(r"^\[nic\] lparvisor-linux: nicbench: mark %d" % i,
               b"\x1dstats\r") for i in range(3)]
    run = qemu_powernv.run_captured(cmd, timeout, script=script,
                                    stop_on="OPAL: Shutdown request")
    lines = [l for _, l in run.lines]
    fig = figures(lines, "[nic] ")
    return fig, exits_per_mib(lines) if fig else None, lines


def nvram_image():
    import importlib.util
    spec = importlib.util.spec_from_file_location(
        "rp", os.path.join(HERE, "..", "linux", "run-pseries.py"))
    m = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(m)
    return m.nvram_image()


def pseries_run(vmlinux, initramfs, timeout):
    with tempfile.TemporaryDirectory() as tmp:
        nv = os.path.join(tmp, "nvram.img")
        with open(nv, "wb") as f:
            f.write(nvram_image())
        cmd = ["qemu-system-ppc64", "-M", "pseries,x-vof=on,ic-mode=xive",
               "-cpu", "power9", "-m", "512M", "-smp", "1", "-nodefaults",
               "-nographic", "-no-reboot",
               "-chardev", "stdio,id=c,signal=off",
               "-device", "spapr-vty,chardev=c",
               "-object", "rng-builtin,id=r", "-device", "spapr-rng,rng=r",
               "-drive", "if=none,id=nvram,format=raw,file=%s" % nv,
               "-global", "spapr-nvram.drive=nvram",
               "-netdev", NETDEV, "-device", "e1000e,netdev=n0,romfile=",
               "-kernel", vmlinux, "-initrd", initramfs,
               "-append", APPEND]
        run = qemu_powernv.run_captured(cmd, timeout, stop_on="passed, ")
    lines = [l for _, l in run.lines]
    return figures(lines), None, lines


def main(argv):
    if len(argv) < 6:
        print(__doc__, file=sys.stderr)
        return 2
    kernel, bundle, vmlinux, initramfs, out_dir = argv[1:6]
    runs = int(argv[6]) if len(argv) > 6 else 1
    timeout = 600
    os.makedirs(out_dir, exist_ok=True)
    sides = ("lparvisor", "pseries")
    samples = {s: {k: [] for k in MEASURES + ("xdown", "xup")}
               for s in sides}
    lost = 0
    load = []
    for r in range(runs):
        for side in sides:
            t0 = time.monotonic()
            load.append(os.getloadavg()[0])
            if side == "lparvisor":
                fig, epm, lines = lparvisor_run(kernel, bundle, timeout)
            else:
                fig, epm, lines = pseries_run(vmlinux, initramfs, timeout)
            log = os.path.join(out_dir, "nic-%s-%d.log" % (side, r))
            with open(log, "w") as f:
                f.write("\n".join(lines) + "\n")
            if fig is None:
                lost += 1
                print("nic bench run %d %s: FAILED (%.0f s; %s)"
                      % (r + 1, side, time.monotonic() - t0, log),
                      flush=True)
            else:
                print("nic bench run %d %s: down %.2f MB/s, up %.2f MB/s%s "
                      "(%.0f s; %s)" % (r + 1, side, fig["down"], fig["up"],
                                        "; exits/MiB down %.0f, up %.0f" % (
                                            epm["down"], epm["up"])
                                        if epm else "",
                                        time.monotonic() - t0, log),
                      flush=True)
            for k in MEASURES:
                samples[side][k].append(fig[k] if fig else None)
                samples[side]["x" + k].append(epm[k] if epm else None)
    labels = {"down": "e1000e down (host->guest, wget)",
              "up": "e1000e up (guest->host, POST)"}
    rows = []
    for k in MEASURES:
        st = {s: stat3(samples[s][k]) for s in sides}
        ratio = (st["lparvisor"]["median"] / st["pseries"]["median"]
                 if st["lparvisor"] and st["pseries"] else None)
        rows.append({"measure": labels[k], "unit": "MB/s", **st,
                     "ratio": ratio})

    for k in MEASURES:
        rows.append({"measure": "exits per MiB, " + k,
                     "unit": "exits",
                     "lparvisor": stat3(samples["lparvisor"]["x" + k]),
                     "pseries": None, "ratio": None})

    print_ratio_table("NIC (issue 17)", rows, GOAL)
    print("samples: %d run(s) of each side, %d lost; 1-min load average "
          "at the starts %s" % (runs, lost,
                                 "/".join("%.1f" % x for x in load)))
    with open(os.path.join(out_dir, "nic.json"), "w") as f:
        json.dump({"rows": rows, "samples": samples, "runs": runs,
                   "lost": lost, "mib": MIB, "load": load}, f, indent=1)
    if lost:
        print("nic bench: %d run(s) lost" % lost, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
