#!/usr/bin/env python3
"""make bench, disks (issue 14): Debian's Linux reading and writing a
v-scsi disk (a) on lparvisor's backend-1 disk, (b) in VIOS mode (the io
partition serving that disk with LIO and ibmvscsis, lparvisor relaying
the CRQ and copying with H_COPY_RDMA) and (c) on QEMU -M pseries with
spapr-vscsi and scsi-hd on a 256 MiB raw file, in the same run.

Usage: run-disk-bench.py LPARVISOR.elf BENCH-DISK.itb BENCH-DISK-VIOS.itb
                         VMLINUX INITRAMFS OUT_DIR [RUNS]

All three run tests/linux/init's lparvisor.diskbench=256 on a blank
256 MiB disk: busybox dd, 256 MiB of 1 MiB O_DIRECT writes (conv=fsync),
the same 256 MiB as 1 MiB O_DIRECT reads, then 4096 4 KiB O_DIRECT reads
(16 dd runs of 256 at scattered offsets; each dd is a process start, so
this is per-I/O latency plus a little busybox), timed with /proc/uptime
(centiseconds).  On lparvisor the service console's `stats` is typed at
each of the guest's four marks (the guest pauses 1 s after each): the
exits of all partitions (VIOS: io and cli) between two marks, per I/O
(a 1 MiB dd request or a 4 KiB read).  Prints min/median/max, the ratio
to pseries and the goals (backend 1 >= 1.0x pseries, VIOS >= 0.7x), and
writes OUT_DIR/disk.json.  A run that does not finish (no PASS diskbench)
is reported and the bench exits 1.
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..",
                                "tools"))
import qemu_powernv  # noqa: E402
sys.path.insert(0, os.path.dirname(__file__))
from benchstat import stat3  # noqa: E402

MIB = 256
READS_4K = 4096
PHASE = re.compile(r"lparvisor-linux: diskbench: (write1m|read1m|read4k) "
                   r"(\d+) \S+ in (\d+) cs")
MARK = re.compile(r"lparvisor-linux: diskbench: mark (\d)")
STATS = re.compile(r"^\[lparvisor\]   (\S+): \S+, exits (\d+) ")
DONE = "PASS diskbench"
MEASURES = ("write1m", "read1m", "read4k")
IOS = {"write1m": MIB, "read1m": MIB, "read4k": READS_4K}


def script_for(part):
    return [(r"^\[%s\] lparvisor-linux: diskbench: mark %d" % (part, i),
             b"\x1dstats\r") for i in range(4)]


def figures(lines, prefix=""):
    """{measure: (per second, cs)} of the three phases; None if lost."""
    if not any(l.startswith(prefix) and DONE in l for l in lines):
        return None
    out = {}
    for l in lines:
        m = PHASE.search(l)
        if m and l.startswith(prefix):
            out[m.group(1)] = int(m.group(2)) / (max(int(m.group(3)), 1)
                                                 / 100.0)
    return out if len(out) == 3 else None


def exits_per_io(lines, nparts):
    """All partitions' exits between consecutive `stats`, per I/O."""
    seen = [int(m.group(2)) for m in (STATS.search(l) for l in lines) if m]
    if len(seen) != 4 * nparts:
        return None
    sums = [sum(seen[i * nparts:(i + 1) * nparts]) for i in range(4)]
    return {k: (sums[i + 1] - sums[i]) / IOS[k]
            for i, k in enumerate(MEASURES)}


def lparvisor_run(kernel, bundle, part, nparts, timeout):
    cmd = qemu_powernv.qemu_command("powernv9", 4, "4G", kernel,
                                    initrd=bundle)
    # The VIOS server never powers off: stop at the client's summary.
    summary = re.compile(r"^\[%s\] \d+ passed, \d+ failed$" % part)
    # (and once the last mark's `stats` is in)
    def done(ls):
        return any(summary.match(l) for l in ls[-3:]) and \
            sum(1 for l in ls if STATS.search(l)) >= 4 * nparts
    run = qemu_powernv.run_captured(cmd, timeout, stop_when=done,
                                    script=script_for(part))
    lines = [l for _, l in run.lines]
    fig = figures(lines, "[%s] " % part)
    return fig, exits_per_io(lines, nparts) if fig else None, lines


def nvram_image():
    import importlib.util
    spec = importlib.util.spec_from_file_location(
        "rp", os.path.join(os.path.dirname(__file__), "..", "linux",
                           "run-pseries.py"))
    m = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(m)
    return m.nvram_image()


def pseries_run(vmlinux, initramfs, timeout):
    with tempfile.TemporaryDirectory() as tmp:
        nv = os.path.join(tmp, "nvram.img")
        with open(nv, "wb") as f:
            f.write(nvram_image())
        disk = os.path.join(tmp, "disk.img")
        with open(disk, "wb") as f:
            f.truncate(MIB << 20)
        cmd = ["qemu-system-ppc64", "-M", "pseries,x-vof=on,ic-mode=xics",
               "-cpu", "power9", "-m", "512M", "-smp", "1", "-nodefaults",
               "-nographic", "-no-reboot",
               "-chardev", "stdio,id=c,signal=off",
               "-device", "spapr-vty,chardev=c",
               "-object", "rng-builtin,id=r", "-device", "spapr-rng,rng=r",
               "-drive", "if=none,id=nvram,format=raw,file=%s" % nv,
               "-global", "spapr-nvram.drive=nvram",
               "-device", "spapr-vscsi,id=scsi0",
               "-drive", "if=none,id=d0,format=raw,file=%s" % disk,
               "-device", "scsi-hd,drive=d0,bus=scsi0.0,channel=0,"
               "scsi-id=0,lun=0",
               "-kernel", vmlinux, "-initrd", initramfs,
               "-append", "console=hvc0 quiet lparvisor.vcpus=1 "
               "lparvisor.intc=xics lparvisor.diskbench=%d" % MIB]
        run = qemu_powernv.run_captured(cmd, timeout,
                                        stop_on="passed, ")
    lines = [l for _, l in run.lines]
    return figures(lines), None, lines


def main(argv):
    if len(argv) < 7:
        print(__doc__, file=sys.stderr)
        return 2
    kernel, bundle, vios_bundle, vmlinux, initramfs, out_dir = argv[1:7]
    runs = int(argv[7]) if len(argv) > 7 else 1
    timeout = 900
    os.makedirs(out_dir, exist_ok=True)
    sides = ("backend1", "vios", "pseries")
    samples = {s: {k: [] for k in MEASURES + tuple("x" + k for k in
                                                   MEASURES)}
               for s in sides}
    lost = 0
    load = []
    for r in range(runs):
        for side in sides:
            t0 = time.monotonic()
            load.append(os.getloadavg()[0])
            if side == "backend1":
                fig, epi, lines = lparvisor_run(kernel, bundle, "disk", 1,
                                                timeout)
            elif side == "vios":
                fig, epi, lines = lparvisor_run(kernel, vios_bundle, "cli",
                                                2, timeout)
            else:
                fig, epi, lines = pseries_run(vmlinux, initramfs, timeout)
            log = os.path.join(out_dir, "disk-%s-%d.log" % (side, r))
            with open(log, "w") as f:
                f.write("\n".join(lines) + "\n")
            if fig is None:
                lost += 1
                print("disk bench run %d %s: FAILED (%.0f s; %s)"
                      % (r + 1, side, time.monotonic() - t0, log),
                      flush=True)
            else:
                print("disk bench run %d %s: write %.2f MB/s, read %.2f "
                      "MB/s, 4k read %.0f IOPS%s (%.0f s; %s)"
                      % (r + 1, side, fig["write1m"] * 1.048576,
                         fig["read1m"] * 1.048576, fig["read4k"],
                         "; exits/IO %s" % ", ".join(
                             "%s %.1f" % (k, epi[k]) for k in MEASURES)
                         if epi else "", time.monotonic() - t0, log),
                      flush=True)
            for k in MEASURES:
                samples[side][k].append(fig[k] if fig else None)
                samples[side]["x" + k].append(epi[k] if epi else None)
    labels = {"write1m": ("1 MiB O_DIRECT writes", "MB/s", 1.048576),
              "read1m": ("1 MiB O_DIRECT reads", "MB/s", 1.048576),
              "read4k": ("4 KiB O_DIRECT reads", "IOPS", 1.0)}
    rows = []
    for k in MEASURES:
        label, unit, scale = labels[k]
        st = {}
        for s in sides:
            v = [x * scale if x is not None else None
                 for x in samples[s][k]]
            st[s] = stat3(v)
        p = st["pseries"]
        rows.append({"measure": label, "unit": unit, **st,
                     "ratio-backend1": st["backend1"]["median"] /
                     p["median"] if st["backend1"] and p else None,
                     "ratio-vios": st["vios"]["median"] / p["median"]
                     if st["vios"] and p else None})
    for k in MEASURES:
        label = labels[k][0]
        rows.append({"measure": "exits per I/O, " + label, "unit": "exits",
                     "backend1": stat3(samples["backend1"]["x" + k]),
                     "vios": stat3(samples["vios"]["x" + k]),
                     "pseries": None, "ratio-backend1": None,
                     "ratio-vios": None})

    def three(s):
        if not s:
            return "-"
        return "%.1f/%.1f/%.1f" % (s["min"], s["median"], s["max"])

    print("\n%-38s %-5s %-20s %-20s %-20s %s" % (
        "disks (issue 14)", "unit", "backend 1 min/med/max",
        "VIOS min/med/max", "pseries min/med/max",
        "ratios b1, VIOS (goal >=1.0, >=0.7)"))
    for row in rows:
        ratios = "-"
        if row["ratio-backend1"] or row["ratio-vios"]:
            ratios = "%s, %s" % tuple(
                "%.2f%s" % (x, "" if x >= g else " (below goal)")
                if x else "-"
                for x, g in ((row["ratio-backend1"], 1.0),
                             (row["ratio-vios"], 0.7)))
        print("%-38s %-5s %-20s %-20s %-20s %s" % (
            row["measure"], row["unit"], three(row["backend1"]),
            three(row["vios"]), three(row["pseries"]), ratios))
    print("samples: %d run(s) of each side, %d lost; 1-min load average "
          "at the starts %s" % (runs, lost,
                                 "/".join("%.1f" % x for x in load)))
    with open(os.path.join(out_dir, "disk.json"), "w") as f:
        json.dump({"rows": rows, "samples": samples, "runs": runs,
                   "lost": lost, "mib": MIB, "load": load}, f, indent=1)
    if lost:
        print("disk bench: %d run(s) lost" % lost, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
