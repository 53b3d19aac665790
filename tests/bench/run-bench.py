#!/usr/bin/env python3
"""make bench: what lparvisor costs a guest, against QEMU's own -M pseries
(which handles hcalls inside the emulator), measured in the same run.
Absolute times under TCG mean little and the machine may be shared, so
each figure is a min/median/max over repeated runs and the ratio of the
medians is what to read.

Every run (RUNS of them) does, in this order:
  1. the benchmark payload (tests/guest/bench.c, 2 vCPUs) in an lparvisor
     partition: BENCH lines, the partition's start latency and the memory
     report;
  2. the same payload under -M pseries;
  3. Debian's Linux in one lparvisor partition (2 vCPUs, 1 GiB), exits
     untimed as in production (no profile=on);
  4. the same kernel, initramfs and command line under -M pseries,x-vof=on
     with 2 vCPUs and 1 GiB;
  5. two such Linux partitions booting at once (item 3's, twice);
  6. two such -M pseries guests at once (item 4's, twice, two QEMUs).
Both sides of every Linux row are timed from the same point: QEMU's start
(power-on), or the guest's first instruction.  In a partition that is
lparvisor's own stamp ("entered the guest N us after hand-off", added to
the time the hand-off line arrived); pseries is started stopped (-S) and
let run through QMP once QEMU has built the machine and loaded the
kernel, so its first instruction (VOF's, then Linux's prom_init) is the
time of "cont".  The kernel's own /proc/uptime at the marker (printed by
tests/linux/init) is shown too, for information: it starts only at
Linux's timekeeping_init.  The one row that cannot be timed from the same
point (hand-off -> userspace: pseries has no hand-off) is information,
without a target.  After the runs, one more
lparvisor Linux boot with profile=on gives the exit profile (Ctrl-] p at
the userspace marker); none of its times is a sample.

Every median is printed with its sample count; a run that timed out or
failed loses its sample, and the bench then fails naming the row, rather
than compare medians of different counts.

Then it prints the table, writes OUT_DIR/bench.json (raw samples, stats,
ratios, targets, the profile, the memory report, the boot timelines) and
plots the boot timelines (OUT_DIR/boot-timeline.svg, gnuplot).  When
OUT_DIR/kvm.json exists (make bench-kvm), its KVM-HV figures join the
table and the plot.

Usage: run-bench.py KERNEL BUNDLE PAYLOAD_BIN LINUX_BUNDLE VMLINUX INITRAMFS
                    PAIR_BUNDLE OUT_DIR [RUNS]

tests/bench/kvm/run-kvm.py imports run_lparvisor() and linux_lparvisor():
their names and results stay as they are.
"""
import datetime
import json
import os
import platform
import re
import statistics
import subprocess
import socket
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tools"))

import qemu_powernv  # noqa: E402

BENCH = re.compile(r"BENCH (\S+) (\d+) (\d+) (\d+)")
NOTE = re.compile(r"BENCH-NOTE (.*)")
MARKER = "LINUX-USERSPACE-UP"
UPTIME = re.compile(r"LINUX-USERSPACE-UP uptime (\d+\.\d+)")
HANDOFF = "INIT: Starting kernel"
ENTERED = re.compile(r'^lparvisor: partition "(\S+)" entered the guest (\d+) '
                     r'us after hand-off \(its boot took (\d+) us: clearing '
                     r"its memory (\d+) us, waiting for its images' check "
                     r'(\d+) us, loading (\d+) us\)')
PROFILE_HEAD = re.compile(r'^lparvisor: profile "(\S+)": (\d+) vCPUs, (\d+) ms '
                          r'since boot, (\d+) exits, (\d+) us in them')
PROFILE_LINE = re.compile(r'^lparvisor: profile "(\S+)": (exit|hcall) '
                          r'(0x[0-9a-f]+) (.+): (\d+), (\d+) us, (\d+) ns each')
RESERVE = re.compile(r"^mm: hypervisor reserve (\d+) KiB, ([\d.]+)% of (\d+) "
                     r"MiB: image and vectors (\d+) KiB, heap (\d+) KiB "
                     r"\((\d+) KiB in use\), page and partition tables (\d+) "
                     r"KiB; partitions (\d+) MiB, (?:disks \d+ KiB, )?firmware (\d+) KiB")
PART_KEEP = re.compile(r'^mm: partition "(\S+)": lparvisor keeps (\d+) KiB for '
                       r'it \(page tables (\d+) KiB, heap (\d+) bytes\)')
LINUX_ARGS = "console=hvc0 quiet lparvisor.vcpus=2"


def parse_bench(lines):
    out = {}
    for _, line in lines:
        m = BENCH.search(line)
        if m:
            name, n, ticks, hz = m.group(1), *map(int, m.groups()[1:])
            if n:
                out[name] = ticks * 1e9 / hz / n  # ns per operation
    return out


def lparvisor_payload(kernel, bundle):
    """The payload in a partition: BENCH figures (ns), notes, the start
    latency (ms after hand-off) and the memory report.  Without
    profile=on: exits are not timed, as in production."""
    cmd = qemu_powernv.qemu_command("powernv9", 4, "2G", kernel,
                                    initrd=bundle)
    run = qemu_powernv.run_captured(cmd, 180, stop_on="OPAL: Shutdown")
    out = {"bench": parse_bench(run.lines), "notes": [], "memory": None}
    for _, line in run.lines:
        m = NOTE.search(line)
        if m:
            out["notes"].append(m.group(1))
        m = ENTERED.search(line)
        if m:
            out["start-ms"] = int(m.group(2)) / 1e3
        m = RESERVE.search(line)
        if m:
            out["memory"] = memory_of(m)
    return out


def run_lparvisor(kernel, bundle):
    """BENCH name -> ns per operation, in an lparvisor partition."""
    return lparvisor_payload(kernel, bundle)["bench"]


def run_pseries(payload):
    cmd = ["qemu-system-ppc64", "-M", "pseries,ic-mode=xics", "-cpu",
           "power9", "-m", "512M", "-smp", "2", "-nodefaults", "-nographic",
           "-no-reboot", "-chardev", "stdio,id=con,signal=off", "-device",
           "spapr-vty,chardev=con", "-object", "rng-builtin,id=rng0",
           "-device", "spapr-rng,rng=rng0", "-bios", payload]
    run = qemu_powernv.run_captured(cmd, 180)
    notes = [NOTE.search(l).group(1) for _, l in run.lines if NOTE.search(l)]
    return {"bench": parse_bench(run.lines), "notes": notes}


def memory_of(m):
    keys = ("reserve-kib", "reserve-pct", "machine-mib", "image-kib",
            "heap-kib", "heap-used-kib", "tables-kib", "partitions-mib",
            "firmware-kib")
    return {k: (float(v) if k == "reserve-pct" else int(v))
            for k, v in zip(keys, m.groups())}


def parse_profile(lines, name):
    """The last profile of partition `name` printed in `lines`."""
    prof = None
    for _, line in lines:
        m = PROFILE_HEAD.search(line)
        if m and m.group(1) == name:
            prof = {"vcpus": int(m.group(2)), "since-boot-ms": int(m.group(3)),
                    "exits": int(m.group(4)), "us": int(m.group(5)),
                    "rows": []}
            continue
        m = PROFILE_LINE.search(line)
        if m and prof is not None and m.group(1) == name:
            prof["rows"].append({"kind": m.group(2), "nr": m.group(3),
                                 "name": m.group(4), "count": int(m.group(5)),
                                 "us": int(m.group(6)),
                                 "ns-each": int(m.group(7))})
    return prof


def first_time(lines, pred):
    for t, line in lines:
        if pred(line):
            return t
    return None


def linux_lparvisor_full(kernel, bundle, names=("linux",), profile=False):
    """Linux in lparvisor partitions `names`, all booting at once.  Seconds
    from QEMU's start for each event; per partition its hand-off ->
    userspace and its start latency; the profile at userspace (Ctrl-] p
    typed when the first marker appears) when `profile`."""
    # profile=on times the exits (counts are kept either way).
    cmd = qemu_powernv.qemu_command("powernv9", 4, "4G", kernel,
                                    initrd=bundle,
                                    append="profile=on" if profile else "")
    script = [(re.escape(MARKER), b"\x1dp")] if profile else None
    seen = set()

    end = 'lparvisor: profile "%s": end' % names[0]

    def done(lines):
        """Every partition up, and the profile printed when asked for."""
        last = lines[-1] if lines else ""
        for n in names:
            if last.startswith("[%s] " % n) and MARKER in last:
                seen.add(n)
        if profile and last.startswith(end):
            seen.add(end)
        return len(seen) == len(names) + (1 if profile else 0)

    run = qemu_powernv.run_captured(cmd, 240, stop_when=done, script=script)
    lines = run.lines
    handoff = first_time(lines, lambda l: HANDOFF in l)
    out = {"events": {}, "partitions": {}, "memory": None}
    ev = out["events"]
    ev["firmware output"] = lines[0][0] if lines else None
    ev["hand-off"] = handoff
    ev["lparvisor ready"] = first_time(lines,
                                       lambda l: l.startswith("lparvisor: ready"))
    for t, line in lines:
        m = RESERVE.search(line)
        if m:
            out["memory"] = memory_of(m)
        m = PART_KEEP.search(line)
        if m and m.group(1) in names:
            out["partitions"].setdefault(m.group(1), {})["keeps-kib"] = \
                int(m.group(2))
        m = ENTERED.search(line)
        if m and m.group(1) in names:
            p = out["partitions"].setdefault(m.group(1), {})
            p["start-ms"] = int(m.group(2)) / 1e3
            p["boot-ms"] = int(m.group(3)) / 1e3
            p["clear-ms"] = int(m.group(4)) / 1e3
            p["check-wait-ms"] = int(m.group(5)) / 1e3
            p["load-ms"] = int(m.group(6)) / 1e3
    for n in names:
        p = out["partitions"].setdefault(n, {})
        prefix = "[%s] " % n
        first = first_time(lines, lambda l: l.startswith(prefix))
        up = first_time(lines, lambda l: l.startswith(prefix) and MARKER in l)
        p["first-output-s"] = first
        p["userspace-s"] = up
        p["uptime-ms"] = uptime_ms(lines, prefix)
        if up is not None and handoff is not None and "start-ms" in p:
            p["guest-to-userspace-ms"] = (up - handoff) * 1e3 - p["start-ms"]
        if up is not None and handoff is not None:
            p["hand-off-to-userspace-ms"] = (up - handoff) * 1e3
    if names:
        p0 = out["partitions"][names[0]]
        if "start-ms" in p0 and handoff is not None:
            ev["guest entered"] = handoff + p0["start-ms"] / 1e3
        ev["first Linux output"] = p0.get("first-output-s")
        ev["userspace"] = p0.get("userspace-s")
    if profile:
        out["profile"] = parse_profile(lines, names[0])
    return out


def uptime_ms(lines, prefix=""):
    """The kernel's uptime at the userspace marker (ms), from the first
    marker line starting with `prefix`."""
    for _, line in lines:
        m = UPTIME.search(line)
        if m and line.startswith(prefix):
            return float(m.group(1)) * 1e3
    return None


def linux_lparvisor(kernel, bundle):
    """Milliseconds from QEMU start and from skiboot's hand-off to the
    userspace marker of partition "linux"."""
    full = linux_lparvisor_full(kernel, bundle)
    p = full["partitions"]["linux"]
    if p.get("userspace-s") is None or full["events"]["hand-off"] is None:
        return {}
    return {"linux-boot-from-qemu-start-ms": p["userspace-s"] * 1e3,
            "linux-boot-from-hand-off-ms": p["hand-off-to-userspace-ms"]}


def qmp_cont(path, started, out):
    """Connect to QEMU's QMP socket `path`, then let the machine run (it
    was started with -S): out["cont"] is the time.monotonic() of "cont",
    the guest's first instruction.  Gives up after 60 s."""
    deadline = time.monotonic() + 60
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    while time.monotonic() < deadline:
        try:
            sock.connect(path)
            break
        except OSError:
            time.sleep(0.02)
    else:
        return
    f = sock.makefile("rwb")
    f.readline()  # the greeting
    for cmd in ("qmp_capabilities", "cont"):
        if cmd == "cont":
            out["cont"] = time.monotonic()
        f.write(json.dumps({"execute": cmd}).encode() + b"\n")
        f.flush()
        f.readline()
    out["sock"] = sock  # kept open until QEMU ends


def linux_pseries(vmlinux, initramfs, tag="0"):
    """The kernel under -M pseries,x-vof=on.  QEMU starts stopped (-S) and
    is let run through QMP once it has set up the machine and loaded the
    kernel, so the guest's first instruction has a host time."""
    qmp = os.path.join(tempfile.gettempdir(), "lparvisor-bench-%d-%s.qmp" %
                       (os.getpid(), tag))
    cmd = ["qemu-system-ppc64", "-M", "pseries,x-vof=on,ic-mode=xics",
           "-cpu", "power9", "-m", "1G", "-smp", "2", "-nodefaults",
           "-nographic", "-no-reboot", "-chardev", "stdio,id=con,signal=off",
           "-device", "spapr-vty,chardev=con", "-kernel", vmlinux,
           "-initrd", initramfs, "-append", LINUX_ARGS, "-S",
           "-qmp", "unix:%s,server=on,wait=off" % qmp]
    if os.path.exists(qmp):
        os.unlink(qmp)
    started = time.monotonic()
    q = {}
    t = threading.Thread(target=qmp_cont, args=(qmp, started, q), daemon=True)
    t.start()
    run = qemu_powernv.run_captured(cmd, 180, stop_on=MARKER)
    t.join(timeout=5)
    if q.get("sock"):
        q["sock"].close()
    if os.path.exists(qmp):
        os.unlink(qmp)
    up = run.first_time(MARKER)
    first = run.lines[0][0] if run.lines else None
    out = {"events": {"first console output": first, "userspace": up},
           "uptime-ms": uptime_ms(run.lines)}
    if up is not None and q.get("cont") is not None:
        cont = q["cont"] - run.start
        out["events"]["qemu ready"] = cont
        out["guest-to-userspace-ms"] = (up - cont) * 1e3
    return out


def linux_pseries_pair(vmlinux, initramfs):
    """Two -M pseries guests booting at once (two QEMUs started together):
    each one's result as linux_pseries() gives it."""
    out = [None, None]

    def one(i):
        out[i] = linux_pseries(vmlinux, initramfs, tag=str(i))
    threads = [threading.Thread(target=one, args=(i,)) for i in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out


def stats(values):
    return {"min": min(values), "median": statistics.median(values),
            "max": max(values)}


def machine_info():
    model = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {"host": platform.node(), "kernel": platform.release(),
            "cpu": model, "cpus": os.cpu_count(),
            "qemu": subprocess.run(["qemu-system-ppc64", "--version"],
                                   capture_output=True, text=True
                                   ).stdout.splitlines()[0]}


def loadavg():
    try:
        return os.getloadavg()[0]
    except OSError:
        return None


# measure: (label, unit divisor from the raw unit, unit, target ratio or None)
PAYLOAD_MEASURES = [
    ("null-hcall", "null hcall (H_SET_DABR)", 1, "ns", 1.3),
    ("h-random", "H_RANDOM (info: pseries reads QEMU's rng-builtin)", 1,
     "ns", None),
    ("rtas-get-time-of-day", "RTAS get-time-of-day", 1, "ns", 1.3),
    ("rtas-hcall-get-time-of-day", "RTAS get-time-of-day by hcall", 1, "ns",
     None),
    ("cede-prod", "H_CEDE woken by H_PROD, round trip", 1e3, "us", None),
    ("ipi-ceded", "IPI to a ceded vCPU, round trip", 1e3, "us", None),
    ("ipi-running", "IPI to a running vCPU, round trip", 1e3, "us", None),
]


def run_all(a, runs):
    samples = {"lparvisor": {}, "pseries": {}, "pair": {},
               "pseries-pair": {}}
    notes = {"lparvisor": [], "pseries": []}
    timelines = {"lparvisor": [], "pseries": []}
    profile = memory = pair_memory = None
    parts = {}

    def add(env, name, v):
        if v is not None:
            samples[env].setdefault(name, []).append(v)

    for i in range(runs):
        print("bench: run %d of %d" % (i + 1, runs), flush=True)
        r = lparvisor_payload(a["kernel"], a["bundle"])
        for k, v in r["bench"].items():
            add("lparvisor", k, v)
        add("lparvisor", "payload-start-ms", r.get("start-ms"))
        notes["lparvisor"] += r["notes"]
        memory = r["memory"] or memory
        r = run_pseries(a["payload"])
        for k, v in r["bench"].items():
            add("pseries", k, v)
        notes["pseries"] += r["notes"]
        r = linux_lparvisor_full(a["kernel"], a["lbundle"])
        p = r["partitions"]["linux"]
        add("lparvisor", "linux-hand-off-ms", p.get("hand-off-to-userspace-ms"))
        if p.get("userspace-s") is not None:
            add("lparvisor", "linux-power-on-ms", p["userspace-s"] * 1e3)
        add("lparvisor", "linux-uptime-ms", p.get("uptime-ms"))
        add("lparvisor", "linux-guest-ms", p.get("guest-to-userspace-ms"))
        add("lparvisor", "linux-start-ms", p.get("start-ms"))
        add("lparvisor", "linux-boot-ms", p.get("boot-ms"))
        add("lparvisor", "linux-clear-ms", p.get("clear-ms"))
        add("lparvisor", "linux-check-wait-ms", p.get("check-wait-ms"))
        add("lparvisor", "linux-load-ms", p.get("load-ms"))
        timelines["lparvisor"].append(r["events"])
        r = linux_pseries(a["vmlinux"], a["initramfs"])
        up = r["events"]["userspace"]
        if up is not None:
            add("pseries", "linux-power-on-ms", up * 1e3)
        add("pseries", "linux-uptime-ms", r["uptime-ms"])
        add("pseries", "linux-guest-ms", r.get("guest-to-userspace-ms"))
        timelines["pseries"].append(r["events"])
        r = linux_lparvisor_full(a["kernel"], a["pbundle"],
                                 names=("linux1", "linux2"))
        ps = [r["partitions"][n] for n in ("linux1", "linux2")]
        ups = [p.get("hand-off-to-userspace-ms") for p in ps]
        if None not in ups:
            add("pair", "linux-pair-hand-off-ms", max(ups))
        ups = [p.get("userspace-s") for p in ps]
        if None not in ups:
            add("pair", "linux-pair-power-on-ms", max(ups) * 1e3)
        ups = [p.get("uptime-ms") for p in ps]
        if None not in ups:
            add("pair", "linux-pair-uptime-ms", max(ups))
        ups = [p.get("guest-to-userspace-ms") for p in ps]
        if None not in ups:
            add("pair", "linux-pair-guest-ms", max(ups))
        for n in ("linux1", "linux2"):
            add("pair", "%s-start-ms" % n, r["partitions"][n].get("start-ms"))
            parts[n] = r["partitions"][n].get("keeps-kib")
        pair_memory = r["memory"] or pair_memory
        rs = linux_pseries_pair(a["vmlinux"], a["initramfs"])
        ups = [r["events"]["userspace"] for r in rs]
        if None not in ups:
            add("pseries-pair", "linux-pair-power-on-ms", max(ups) * 1e3)
        ups = [r["uptime-ms"] for r in rs]
        if None not in ups:
            add("pseries-pair", "linux-pair-uptime-ms", max(ups))
        ups = [r.get("guest-to-userspace-ms") for r in rs]
        if None not in ups:
            add("pseries-pair", "linux-pair-guest-ms", max(ups))
    # The exit profile, timed: profile=on costs each exit two timebase
    # reads, so this boot gives no sample.
    print("bench: one more Linux boot with profile=on for the exit profile",
          flush=True)
    r = linux_lparvisor_full(a["kernel"], a["lbundle"], profile=True)
    profile = r.get("profile")
    return samples, notes, timelines, profile, memory, pair_memory, parts


def median_timeline(runs):
    """Per event, the median over runs of its time (s from QEMU start)."""
    out = {}
    for ev in runs:
        for k, v in ev.items():
            if v is not None:
                out.setdefault(k, []).append(v)
    return {k: statistics.median(v) for k, v in out.items()}


def fmt(v, div):
    return "%.1f" % (v / div) if v / div < 100 else "%.0f" % (v / div)


def table(samples, kvm):
    rows = []
    lv, ps, pair = samples["lparvisor"], samples["pseries"], samples["pair"]
    ppair = samples["pseries-pair"]

    def row(label, unit, a, b, div, target, better="lower", ref=True):
        """`ref`: the row has a reference side (its samples must be there)."""
        sa = stats(a) if a else None
        sb = stats(b) if b else None
        ratio = sa["median"] / sb["median"] if sa and sb else None
        verdict = ""
        if target is not None and ratio is not None:
            ok = ratio <= target if better == "lower" else ratio >= target
            verdict = "met" if ok else "missed"
        rows.append({"measure": label, "unit": unit, "lparvisor": sa,
                     "reference": sb, "ratio": ratio, "target": target,
                     "verdict": verdict, "div": div,
                     "n": [len(a or []), len(b or []) if ref else None]})

    for key, label, div, unit, target in PAYLOAD_MEASURES:
        row(label + " vs pseries", unit, lv.get(key), ps.get(key), div, target)
    row("Linux boot, guest's first instruction -> userspace, vs "
        "pseries+VOF", "ms", lv.get("linux-guest-ms"),
        ps.get("linux-guest-ms"), 1, 1.1)
    row("Linux boot, power-on -> userspace, vs pseries+VOF", "ms",
        lv.get("linux-power-on-ms"), ps.get("linux-power-on-ms"), 1, None)
    row("Linux's own uptime at userspace (info), vs pseries+VOF", "ms",
        lv.get("linux-uptime-ms"), ps.get("linux-uptime-ms"), 1, None)
    row("Linux boot, hand-off -> userspace (info: pseries has no hand-off)",
        "ms", lv.get("linux-hand-off-ms"), None, 1, None, ref=False)
    row("two partitions at once vs two pseries at once, guest's first "
        "instruction -> userspace", "ms", pair.get("linux-pair-guest-ms"),
        ppair.get("linux-pair-guest-ms"), 1, 1.1)
    row("two partitions at once vs two pseries at once, power-on -> "
        "userspace", "ms", pair.get("linux-pair-power-on-ms"),
        ppair.get("linux-pair-power-on-ms"), 1, None)
    row("two Linux partitions at once vs one alone (info), hand-off -> "
        "userspace", "ms", pair.get("linux-pair-hand-off-ms"),
        lv.get("linux-hand-off-ms"), 1, None)
    row("partition start: hand-off -> first guest instruction", "ms",
        lv.get("linux-start-ms"), None, 1, None, ref=False)
    row("  of which its boot: clear 1 GiB, load kernel+initramfs", "ms",
        lv.get("linux-boot-ms"), None, 1, None, ref=False)
    row("  of which clearing its memory", "ms", lv.get("linux-clear-ms"),
        None, 1, None, ref=False)
    row("  of which waiting for its images' sha256 after that", "ms",
        lv.get("linux-check-wait-ms"), None, 1, None, ref=False)
    if kvm:
        # make bench-kvm's own run: its lparvisor figures come from the
        # same run as its KVM-HV ones, so they are the ones compared.
        k = kvm.get("kvm", {})
        kl = kvm.get("lparvisor", {})

        def ks(d, key):
            return d.get(key, {}).get("samples") or None
        for key, label, unit, target in (
                ("power-on-to-guest-userspace-ms", "power-on -> Linux "
                 "userspace", "ms", 4.0),
                ("null-hcall-ns", "null hcall", "ns", None)):
            a, b = ks(k, key), ks(kl, key)
            if not a or not b:
                continue
            sa, sb = stats(a), stats(b)
            r = sa["median"] / sb["median"]
            rows.append({"measure": "KVM-HV %s (make bench-kvm)" % label,
                         "unit": unit, "lparvisor": sb, "reference": sa,
                         "ratio": r, "target": target,
                         "verdict": "" if target is None else
                         "met" if r >= target else "missed", "div": 1,
                         "reference-name": "KVM-HV",
                         "n": [len(b), len(a)]})
    return rows


def print_table(rows, memory, parts, profile, runs, info, load, kvm):
    w = 72
    print()
    print("%-*s %-26s %-26s %7s  %s" % (w, "measure (unit)",
                                       "lparvisor min/med/max (n)",
                                       "reference min/med/max (n)", "ratio",
                                       "target"))
    for r in rows:
        def three(s, n):
            if not s:
                return "-" if n is None else "- (0)"
            return "/".join(fmt(s[k], r["div"]) for k in ("min", "median",
                                                          "max")) + \
                " (%d)" % n
        tgt = ""
        if r["target"] is not None:
            sign = ">=" if r["measure"].startswith("KVM-HV") else "<="
            tgt = "%s%.1fx %s" % (sign, r["target"], r["verdict"])
        print("%-*s %-26s %-26s %7s  %s" % (
            w, "%s (%s)" % (r["measure"], r["unit"]),
            three(r["lparvisor"], r["n"][0]),
            three(r["reference"], r["n"][1]),
            ("%.2fx" if r["ratio"] >= 0.1 else "%.1gx") % r["ratio"]
            if r["ratio"] is not None else "-", tgt))
    if memory:
        print("\nhypervisor reserve (4 GiB machine, two Linux partitions): "
              "%d KiB = %.2f%% of %d MiB (target < 0.5%%): image and vectors "
              "%d KiB, heap %d KiB (%d KiB in use), tables %d KiB; per "
              "partition: %s; firmware (skiboot) %d KiB" % (
                  memory["reserve-kib"], memory["reserve-pct"],
                  memory["machine-mib"], memory["image-kib"],
                  memory["heap-kib"], memory["heap-used-kib"],
                  memory["tables-kib"],
                  ", ".join("%s %s KiB" % (n, k) for n, k in
                            sorted(parts.items())),
                  memory["firmware-kib"]))
    if profile:
        print("\nexit profile of one Linux boot (partition \"linux\", 2 vCPUs,"
              " to userspace: %d ms, %d exits, %d ms in them), by time:" % (
                  profile["since-boot-ms"], profile["exits"],
                  profile["us"] // 1000))
        for r in sorted(profile["rows"], key=lambda r: -r["us"])[:14]:
            print("  %-5s %-7s %-34s %9d  %9.1f ms  %9d ns each" % (
                r["kind"], r["nr"], r["name"], r["count"], r["us"] / 1e3,
                r["ns-each"]))
    if kvm:
        print("KVM-HV rows: make bench-kvm of %s (%s runs), its own KVM-HV "
              "and lparvisor figures, ratio KVM-HV / lparvisor" % (
                  kvm.get("date", "?"), kvm.get("runs", "?")))
    print("\nruns per machine: %d; host %s (%s, %d CPUs), load average %s; "
          "%s" % (runs, info["host"], info["cpu"], info["cpus"],
                  " -> ".join("%.1f" % l for l in load if l is not None),
                  info["qemu"]))


# Phase drawn up to each event: (label, colour).
PHASES = {
    "firmware output": ("QEMU", "#bab0ac"),
    "hand-off": ("skiboot", "#4e79a7"),
    "lparvisor ready": ("lparvisor", "#f28e2b"),
    "guest entered": ("bundle check, clear+load", "#edc948"),
    "first console output": ("QEMU, VOF", "#4e79a7"),
    "qemu ready": ("QEMU", "#bab0ac"),
    "userspace": ("Linux to userspace", "#59a14f"),
    "host userspace": ("skiboot, host Linux", "#4e79a7"),
    "kvm-hv loaded": ("kvm-hv", "#b07aa1"),
}


def plot(out_dir, timelines, kvm):
    """Boot timelines side by side (gnuplot, one bar of phases per machine):
    OUT_DIR/boot-timeline.svg and .png."""
    rows = [("lparvisor", timelines.get("lparvisor") or {},
             ["firmware output", "hand-off", "lparvisor ready",
              "guest entered", "userspace"]),
            ("pseries+VOF", timelines.get("pseries") or {},
             ["qemu ready", "userspace"])]
    if kvm:
        k = kvm.get("kvm", {})

        def med(key):
            s = k.get(key, {}).get("stats")
            return s["median"] / 1e3 if s else None
        ev = {"host userspace": med("power-on-to-host-userspace-ms"),
              "kvm-hv loaded": med("power-on-to-kvm-ready-ms"),
              "userspace": med("power-on-to-guest-userspace-ms")}
        if ev["userspace"] is not None:
            rows.append(("KVM-HV", ev, ["host userspace", "kvm-hv loaded",
                                        "userspace"]))
    data = os.path.join(out_dir, "boot-timeline.dat")
    xmax = max([t for _, ev, _ in rows for t in ev.values() if t] + [1.0])
    per_char = xmax / 180.0  # seconds of x axis one character takes
    with open(data, "w") as f:
        f.write("# start end row colour label label-y (seconds from QEMU "
                "start)\n")
        for y, (name, ev, order) in enumerate(rows):
            t0, outside = 0.0, 0
            row_y = len(rows) - 1 - y
            for e in order:
                t = ev.get(e)
                if t is None or t < t0:
                    continue
                label, colour = PHASES[e]
                # In the bar when it fits, else above and below in turn.
                if t - t0 > len(label) * per_char:
                    ly = row_y
                else:
                    ly = row_y + (0.42 if outside % 2 == 0 else -0.42)
                    outside += 1
                f.write('%.3f %.3f %d 0x%s "%s" %.2f\n' % (
                    t0, t, row_y, colour[1:], label, ly))
                t0 = t
    labels = "".join('set ytics add ("%s" %d)\n' % (n, len(rows) - 1 - y)
                     for y, (n, _, _) in enumerate(rows))
    outputs = []
    for term, ext in (('svg size 1100,%d dynamic font "sans,11"', "svg"),
                      ('pngcairo size 1100,%d font "sans,10"', "png")):
        outputs.append(("set terminal %s\nset output \"%s\"\n" % (
            term % (170 + 90 * len(rows)),
            os.path.join(out_dir, "boot-timeline." + ext))))
    body = """set title "Power-on to Linux userspace under QEMU TCG (median of runs)"
set xlabel "seconds from QEMU start"
set yrange [-0.6:%f]
set ytics ()
%sset grid xtics
set style fill solid 0.9 border -1
set key off
plot "%s" using (($1+$2)/2):3:(($2-$1)/2):(0.3):4 with boxxyerror lc rgb variable, \\
     "%s" using (($1+$2)/2):6:5 with labels font ",8"
""" % (len(rows) - 0.4, labels, data, data)
    path = os.path.join(out_dir, "boot-timeline.gnuplot")
    with open(path, "w") as f:
        f.write("".join(o + body for o in outputs))
    r = subprocess.run(["gnuplot", path], capture_output=True, text=True)
    if r.returncode != 0:
        print("bench: gnuplot failed: %s" % r.stderr.strip())
        return None
    return os.path.join(out_dir, "boot-timeline.svg")


def main(argv):
    keys = ("kernel", "bundle", "payload", "lbundle", "vmlinux", "initramfs",
            "pbundle", "out")
    a = dict(zip(keys, argv[:8]))
    runs = int(argv[8]) if len(argv) > 8 else 3
    os.makedirs(a["out"], exist_ok=True)
    info = machine_info()
    load = [loadavg()]
    started = datetime.datetime.now(datetime.timezone.utc)
    (samples, notes, timelines, profile, memory, pair_memory,
     parts) = run_all(a, runs)
    load.append(loadavg())
    kvm = None
    kvm_path = os.path.join(a["out"], "kvm.json")
    if os.path.exists(kvm_path):
        with open(kvm_path) as f:
            kvm = json.load(f)
    rows = table(samples, kvm)
    med = {env: median_timeline(timelines[env]) for env in timelines}
    print_table(rows, pair_memory or memory, parts, profile, runs, info,
                load, kvm)
    for env in ("lparvisor", "pseries"):
        for n in sorted(set(notes[env])):
            print("note (%s): %s" % (env, n))
    svg = plot(a["out"], med, kvm)
    result = {"date": started.strftime("%Y-%m-%dT%H:%M:%SZ"),
              "seconds": (datetime.datetime.now(datetime.timezone.utc) -
                          started).total_seconds(),
              "machine": info, "load-average": load, "runs": runs,
              "samples": samples,
              "stats": {env: {k: stats(v) for k, v in s.items()}
                        for env, s in samples.items()},
              "table": rows, "notes": notes, "profile": profile,
              "memory": {"payload-run": memory, "pair-run": pair_memory,
                         "partitions-kib": parts},
              "timelines": {"median": med, "runs": timelines},
              "kvm": kvm is not None}
    path = os.path.join(a["out"], "bench.json")
    with open(path, "w") as f:
        json.dump(result, f, indent=1, sort_keys=True)
    print("raw figures: %s; plot: %s" % (path, svg or "none"))
    lost = lost_runs(rows, runs)
    if lost:
        print("bench: FAILED: runs lost (samples of %d runs): %s" % (
            runs, "; ".join(lost)))
        return 1
    if profile is None:
        print("bench: FAILED: no exit profile")
        return 1
    return 0 if svg else 1


def lost_runs(rows, runs):
    """Rows whose medians do not come from every run on each side (make
    bench-kvm's rows count its own runs)."""
    out = []
    for r in rows:
        if r.get("reference-name") == "KVM-HV":
            continue
        for side, n in zip(("lparvisor", "reference"), r["n"]):
            if n is not None and n != runs:
                out.append("%s: %s %d" % (r["measure"].strip(), side, n))
    return out


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
