#!/usr/bin/env python3
"""make bench, virtual Ethernet (issue 13): two Debian partitions on
lparvisor's switch against two QEMU -M pseries guests with spapr-vlan
joined by -netdev socket, in the same run.

Usage: run-vlan-bench.py LPARVISOR.elf BENCH-VLAN.itb VMLINUX INITRAMFS
                         OUT_DIR [RUNS] [KIB]

Both sides run tests/linux/init with the same words: the receiver
(lparvisor.netrecv=KIB, 10.13.1.1) and the sender (lparvisor.netsend,
10.13.1.2), which pings the receiver ten times (0.2 s apart), then sends
KIB KiB (default 65536: 64 MiB) with busybox nc; the receiver checks the
sha256 and prints the time from its first byte to its last (0.1 s
polling).  Per run and side: throughput (MB/s, 10^6 bytes) and the ping
round trip (ms, the average of the ten).  Prints min/median/max and the
ratio lparvisor / pseries, and writes OUT_DIR/vlan.json.  On lparvisor,
the service console's `stats` is typed when net2 starts nc and again when
nc is done: the exits of both partitions in between, per MB of the file
(there is no such counter on the pseries side).  Measurements,
not assertions: a run whose transfer fails the sha256 is reported and
left out.
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..",
                                "tools"))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "linux"))
import qemu_powernv  # noqa: E402
from benchstat import stat3  # noqa: E402

RECV = re.compile(r"lparvisor-linux: (\d+) KiB in (\d+) cs")
RTT = re.compile(r"ping \S+: round-trip min/avg/max = "
                 r"([\d.]+)/([\d.]+)/([\d.]+) ms")
TRANSFER_OK = "PASS net-transfer"
# The service console's `stats`: one line per partition.
STATS = re.compile(r"^\[lparvisor\]   (net[12]): \S+, exits (\d+) ")
STATS_SCRIPT = [(r"^\[net2\] lparvisor-linux: sending ", b"\x1dstats\r"),
                (r"^\[net2\] lparvisor-linux: nc sent ", b"\x1dstats\r")]


SENT = re.compile(r"^\[net2\] lparvisor-linux: sending (\d+) KiB ")


def exits_per_mb(lines):
    """Both partitions' exits between the two `stats`, per MB net2 sent
    (the size bench-vlan.dts gives it, whatever KIB the pseries side
    has)."""
    seen = [(m.group(1), int(m.group(2)))
            for m in (STATS.search(l) for l in lines) if m]
    sent = [int(m.group(1)) for m in (SENT.search(l) for l in lines) if m]
    if len(seen) != 4 or sorted(n for n, _ in seen[:2]) != ["net1", "net2"] \
            or len(sent) != 1 or not sent[0]:
        return None
    kib = sent[0]
    before = sum(e for _, e in seen[:2])
    after = sum(e for _, e in seen[2:])
    return (after - before) / (kib * 1024 / 1e6)


def figures(lines, recv_prefix="", send_prefix=""):
    """(MB/s or None, RTT ms or None) from the console lines."""
    mbs = rtt = None
    ok = any(l.startswith(recv_prefix) and TRANSFER_OK in l for l in lines)
    for l in lines:
        m = RECV.search(l)
        if m and l.startswith(recv_prefix) and ok:
            kib, cs = int(m.group(1)), max(int(m.group(2)), 1)
            mbs = kib * 1024 / 1e6 / (cs / 100.0)
        m = RTT.search(l)
        if m and l.startswith(send_prefix):
            rtt = float(m.group(2))
    return mbs, rtt


def lparvisor_run(kernel, bundle, timeout):
    cmd = qemu_powernv.qemu_command("powernv9", 4, "4G", kernel,
                                    initrd=bundle)
    run = qemu_powernv.run_captured(cmd, timeout, stop_on="OPAL: Shutdown",
                                    script=STATS_SCRIPT)
    lines = [l for _, l in run.lines]
    mbs, rtt = figures(lines, "[net1] ", "[net2] ")
    epm = exits_per_mb(lines) if mbs else None
    return mbs, rtt, epm, lines


def nvram_image():
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..",
                                    "linux"))
    import importlib.util
    spec = importlib.util.spec_from_file_location(
        "rp", os.path.join(os.path.dirname(__file__), "..", "linux",
                           "run-pseries.py"))
    m = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(m)
    return m.nvram_image()


def pseries_command(vmlinux, initramfs, nvram, netdev, mac, words):
    return ["qemu-system-ppc64", "-M", "pseries,x-vof=on,ic-mode=xics",
            "-cpu", "power9", "-m", "512M", "-smp", "1", "-nodefaults",
            "-nographic", "-no-reboot",
            "-chardev", "stdio,id=c,signal=off",
            "-device", "spapr-vty,chardev=c",
            "-object", "rng-builtin,id=r", "-device", "spapr-rng,rng=r",
            "-drive", "if=none,id=nvram,format=raw,file=%s" % nvram,
            "-global", "spapr-nvram.drive=nvram",
            "-netdev", "socket,id=n0,%s" % netdev,
            "-device", "spapr-vlan,netdev=n0,mac=%s" % mac,
            "-kernel", vmlinux, "-initrd", initramfs,
            "-append", "console=hvc0 quiet lparvisor.vcpus=1 "
            "lparvisor.intc=xics " + words]


def pseries_run(vmlinux, initramfs, kib, timeout):
    """The reference: receiver listening on a local TCP port, sender
    connecting to it (QEMU's socket netdev)."""
    port = 41000 + os.getpid() % 1000
    outs = [[], []]
    with tempfile.TemporaryDirectory() as tmp:
        procs = []
        for i, (netdev, mac, words) in enumerate([
                ("listen=127.0.0.1:%d" % port, "02:00:00:00:0b:01",
                 "lparvisor.eth0=10.13.1.1/24 lparvisor.netrecv=%d" % kib),
                ("connect=127.0.0.1:%d" % port, "02:00:00:00:0b:02",
                 "lparvisor.eth0=10.13.1.2/24 "
                 "lparvisor.netsend=10.13.1.1,%d" % kib)]):
            nv = os.path.join(tmp, "nvram%d.img" % i)
            with open(nv, "wb") as f:
                f.write(nvram_image())
            procs.append(subprocess.Popen(
                pseries_command(vmlinux, initramfs, nv, netdev, mac, words),
                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT))
            time.sleep(1)  # the listener first

        def read(i):
            for raw in procs[i].stdout:
                outs[i].append(raw.decode("utf-8", "replace").rstrip())

        readers = [threading.Thread(target=read, args=(i,), daemon=True)
                   for i in range(2)]
        for t in readers:
            t.start()
        deadline = time.monotonic() + timeout
        for p in procs:
            try:
                p.wait(timeout=max(deadline - time.monotonic(), 1))
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        for t in readers:
            t.join(5)
    mbs, _ = figures(outs[0])
    _, rtt = figures(outs[1])
    return mbs, rtt, outs[0] + outs[1]


def main(argv):
    if len(argv) < 6:
        print(__doc__, file=sys.stderr)
        return 2
    kernel, bundle, vmlinux, initramfs, out_dir = argv[1:6]
    runs = int(argv[6]) if len(argv) > 6 else 1
    kib = int(argv[7]) if len(argv) > 7 else 65536
    timeout = 900
    os.makedirs(out_dir, exist_ok=True)
    samples = {"lparvisor": {"mbs": [], "rtt": [], "epm": []},
               "pseries": {"mbs": [], "rtt": [], "epm": []}}
    for r in range(runs):
        for side in ("lparvisor", "pseries"):
            t0 = time.monotonic()
            epm = None
            if side == "lparvisor":
                mbs, rtt, epm, lines = lparvisor_run(kernel, bundle,
                                                     timeout)
            else:
                mbs, rtt, lines = pseries_run(vmlinux, initramfs, kib,
                                              timeout)
            log = os.path.join(out_dir, "vlan-%s-%d.log" % (side, r))
            with open(log, "w") as f:
                f.write("\n".join(lines) + "\n")
            print("vlan bench run %d %s: %s MB/s, ping %s ms%s "
                  "(%.0f s; %s)"
                  % (r + 1, side, "%.2f" % mbs if mbs else "FAILED",
                     "%.2f" % rtt if rtt else "-",
                     ", %.0f exits/MB" % epm if epm is not None else "",
                     time.monotonic() - t0, log), flush=True)
            samples[side]["mbs"].append(mbs)
            samples[side]["rtt"].append(rtt)
            samples[side]["epm"].append(epm)
    rows = []
    for key, label, unit, better in (
            ("mbs", "nc of %d KiB between two Linux partitions" % kib,
             "MB/s", "higher"),
            ("rtt", "ping round trip between them (average of 10)", "ms",
             "lower"),
            ("epm", "exits of both partitions per MB moved", "per MB",
             "lower")):
        a = stat3(samples["lparvisor"][key])
        b = stat3(samples["pseries"][key])
        ratio = a["median"] / b["median"] if a and b else None
        rows.append({"measure": label, "unit": unit, "lparvisor": a,
                     "pseries-pair": b, "ratio": ratio, "better": better})
    print("\n%-48s %-6s %-24s %-24s %s" % ("virtual Ethernet (issue 13)",
                                           "unit", "lparvisor min/med/max",
                                           "pseries pair min/med/max",
                                           "ratio"))
    for row in rows:
        def three(s):
            if not s:
                return "-" if row["measure"].startswith("exits") else \
                    "failed"
            return "%.2f/%.2f/%.2f" % (s["min"], s["median"], s["max"])
        print("%-48s %-6s %-24s %-24s %s" % (
            row["measure"], row["unit"], three(row["lparvisor"]),
            three(row["pseries-pair"]),
            "%.2f (%s is better)" % (row["ratio"], row["better"])
            if row["ratio"] else "-"))
    with open(os.path.join(out_dir, "vlan.json"), "w") as f:
        json.dump({"rows": rows, "samples": samples, "kib": kib,
                   "runs": runs}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
