#!/usr/bin/env python3
"""make bench, NVMe (issue 17): Debian's Linux reading QEMU's nvme with
O_DIRECT, (a) in an lparvisor partition owning the PHB the nvme sits
behind (PCI passthrough: Linux's dynamic DMA window, MSI-X through the
host XIVE) and (b) on QEMU -M pseries with the same nvme device on its
own PHB, the same kernel and initramfs, in the same run.

Usage: run-nvme-bench.py LPARVISOR.elf BENCH-NVME.itb VMLINUX INITRAMFS
                         OUT_DIR [RUNS]

Both run tests/linux/init's lparvisor.nvmebench=128 on a 128 MiB raw file
of random bytes (made once per bench, the same file for both sides):
tests/linux/nvread.c reads the disk as 128 O_DIRECT reads of 1 MiB, then
4096 O_DIRECT reads of 4 KiB at pseudo-random 4 KiB offsets, one process,
timed with CLOCK_MONOTONIC.  On lparvisor the service console's `stats`
is typed at the guest's three marks: the partition's exits per read.
Both sides are XIVE (the partition, pseries' ic-mode=xive) with one vCPU
and 512 MiB.  Prints min/median/max with the number of samples, the
ratio of medians and the goal (>= 0.9x pseries); writes OUT_DIR/nvme.json.
A run that does not finish (no PASS nvmebench) is reported and the bench
exits 1.
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

MIB = 128
RAND = 4096
GOAL = 0.9
PHASE = re.compile(r"lparvisor-linux: nvmebench: nvread: (seq|rand) (\d+) "
                   r"reads in (\d+) ns")
STATS = re.compile(r"^\[lparvisor\]   (\S+): \S+, exits (\d+) ")
DONE = "PASS nvmebench"
MEASURES = ("seq", "rand")
APPEND = ("console=hvc0 quiet lparvisor.vcpus=1 lparvisor.intc=xive "
          "lparvisor.nvmebench=%d" % MIB)


def figures(lines, prefix=""):
    """{seq: MB/s, rand: IOPS}; None if lost."""
    if not any(l.startswith(prefix) and DONE in l for l in lines):
        return None
    out = {}
    for l in lines:
        m = PHASE.search(l)
        if m and l.startswith(prefix):
            n, ns = int(m.group(2)), max(int(m.group(3)), 1)
            if m.group(1) == "seq":
                out["seq"] = n * 1048576 / 1e6 / (ns / 1e9)
            else:
                out["rand"] = n / (ns / 1e9)
    return out if len(out) == 2 else None


def exits_per_read(lines):
    """The partition's exits during each phase, per read (from the
    `stats` typed at the guest's three marks)."""
    seen = [int(m.group(2)) for m in (STATS.search(l) for l in lines)
            if m and m.group(1) == "nvme"]
    if len(seen) != 3:
        return None
    return {"seq": (seen[1] - seen[0]) / MIB,
            "rand": (seen[2] - seen[1]) / RAND}


def drive(disk):
    return ["-blockdev", "driver=file,filename=%s,node-name=nv0" % disk]


def lparvisor_run(kernel, bundle, disk, timeout):
    cmd = qemu_powernv.qemu_command(
        "powernv9", 2, "2G", kernel, initrd=bundle,
        pci=drive(disk) + ["-device",
                           "nvme,drive=nv0,serial=bench,bus=pcie.0"])
    script = [(r"^\[nvme\] lparvisor-linux: nvmebench: mark %d" % i,
               b"\x1dstats\r") for i in range(3)]
    run = qemu_powernv.run_captured(cmd, timeout, script=script,
                                    stop_on="OPAL: Shutdown request")
    lines = [l for _, l in run.lines]
    fig = figures(lines, "[nvme] ")
    return fig, exits_per_read(lines) if fig else None, lines


def nvram_image():
    import importlib.util
    spec = importlib.util.spec_from_file_location(
        "rp", os.path.join(HERE, "..", "linux", "run-pseries.py"))
    m = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(m)
    return m.nvram_image()


def pseries_run(vmlinux, initramfs, disk, timeout):
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
               "-global", "spapr-nvram.drive=nvram"] + drive(disk) + [
               "-device", "nvme,drive=nv0,serial=bench",
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
    samples = {s: {k: [] for k in MEASURES + ("xseq", "xrand")}
               for s in sides}
    lost = 0
    load = []
    with tempfile.TemporaryDirectory() as tmp:
        disk = os.path.join(tmp, "nvme.img")
        with open(disk, "wb") as f:
            for _ in range(MIB):
                f.write(os.urandom(1 << 20))
        for r in range(runs):
            for side in sides:
                t0 = time.monotonic()
                load.append(os.getloadavg()[0])
                if side == "lparvisor":
                    fig, epr, lines = lparvisor_run(kernel, bundle, disk,
                                                    timeout)
                else:
                    fig, epr, lines = pseries_run(vmlinux, initramfs, disk,
                                                  timeout)
                log = os.path.join(out_dir, "nvme-%s-%d.log" % (side, r))
                with open(log, "w") as f:
                    f.write("\n".join(lines) + "\n")
                if fig is None:
                    lost += 1
                    print("nvme bench run %d %s: FAILED (%.0f s; %s)"
                          % (r + 1, side, time.monotonic() - t0, log),
                          flush=True)
                else:
                    print("nvme bench run %d %s: 1 MiB reads %.1f MB/s, "
                          "4 KiB random reads %.0f IOPS%s (%.0f s; %s)"
                          % (r + 1, side, fig["seq"], fig["rand"],
                             "; exits/read %.1f, %.1f" % (
                                 epr["seq"], epr["rand"]) if epr else "",
                             time.monotonic() - t0, log), flush=True)
                for k in MEASURES:
                    samples[side][k].append(fig[k] if fig else None)
                    samples[side]["x" + k].append(epr[k] if epr else None)
    labels = {"seq": ("NVMe 1 MiB O_DIRECT reads", "MB/s"),
              "rand": ("NVMe 4 KiB O_DIRECT random reads", "IOPS")}
    rows = []
    for k in MEASURES:
        st = {s: stat3(samples[s][k]) for s in sides}
        ratio = (st["lparvisor"]["median"] / st["pseries"]["median"]
                 if st["lparvisor"] and st["pseries"] else None)
        rows.append({"measure": labels[k][0], "unit": labels[k][1], **st,
                     "ratio": ratio})
    for k in MEASURES:
        rows.append({"measure": "exits per read, " + labels[k][0][5:],
                     "unit": "exits",
                     "lparvisor": stat3(samples["lparvisor"]["x" + k]),
                     "pseries": None, "ratio": None})

    print_ratio_table("NVMe (issue 17)", rows, GOAL, width=26)
    print("samples: %d run(s) of each side, %d lost; 1-min load average "
          "at the starts %s" % (runs, lost,
                                 "/".join("%.1f" % x for x in load)))
    with open(os.path.join(out_dir, "nvme.json"), "w") as f:
        json.dump({"rows": rows, "samples": samples, "runs": runs,
                   "lost": lost, "mib": MIB, "rand": RAND, "load": load},
                  f, indent=1)
    if lost:
        print("nvme bench: %d run(s) lost" % lost, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
