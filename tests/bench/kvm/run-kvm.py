#!/usr/bin/env python3
"""make bench-kvm: Linux KVM-HV on the same emulated PowerNV machine,
against lparvisor, in the same run.

Each run boots Debian's ppc64el kernel as a KVM-HV host under
`qemu-system-ppc64 -M powernv9` (one core: QEMU 7.2 loses timebase on every
TBU40 write, which KVM-HV does at each guest entry and exit); its /init
(tests/bench/kvm/host-init) loads kvm-hv, boots the Debian guest kernel and
test initramfs with Debian's ppc64el qemu-system-ppc64 -accel kvm
-M pseries,x-vof=on, then runs the null-hcall payload (tests/guest/bench.c)
the same way, and with --compute the guest-compute payload
(tests/guest/compute.c, 1 vCPU, 512 MiB).  Every line of the console is timed on arrival here, from
the start of the outer QEMU.  lparvisor's figures come from the functions
of tests/bench/run-bench.py, called in the same run; with --compute, the
compute payload's on the bare powernv9 host, in a partition (default and
clear=boot) and on -M pseries from tests/bench/run-compute-bench.py, whose
table() prints the four sides per phase with their ratios
(lparvisor / KVM-HV: target 1.05).

Usage: run-kvm.py --vmlinux VMLINUX --host-initrd CPIO --json OUT.json
                  --logs DIR [--runs N] [--caps LIST]
                  [--lparvisor KERNEL BENCH_ITB LINUX_ITB]
                  [--compute COMPUTE_ITB COMPUTE_BIN HELLO_ELF BARE_BIN]

OUT.json (build/bench/kvm.json), all times in milliseconds, hcall costs in
nanoseconds of wall time per call (the guest's timebase, which runs at
wall-clock rate under QEMU); each "samples" list holds one value per run
that got that far, "stats" its {"min", "median", "max"}:
  date, machine       when (UTC, ISO 8601) and on what (uname, CPU model)
  runs                runs asked for
  load-average        the machine's 1-minute load average before and after
                      (other jobs on the machine widen the spread)
  setup               what ran: kernel release, QEMU versions (outer x86
                      and inner ppc64el), guest command lines, spapr caps
  kvm.<measure>       {"samples": [...], "stats": {...}} with <measure>:
    power-on-to-host-userspace-ms     outer QEMU start -> host's /init
    hand-off-to-host-userspace-ms     skiboot's "INIT: Starting kernel"
                                      -> host's /init
    power-on-to-kvm-ready-ms          outer QEMU start -> kvm-hv loaded
    guest-qemu-start-to-userspace-ms  host starts qemu-system-ppc64
                                      -> guest's LINUX-USERSPACE-UP
    power-on-to-guest-userspace-ms    outer QEMU start -> the same marker
    hand-off-to-guest-userspace-ms    skiboot's hand-off -> the same marker
    <BENCH name>-ns                   each BENCH line of the payload, per
                                      call (null-hcall-ns: H_SET_DABR)
  lparvisor.<measure>                 the same keys where they apply:
    power-on-to-guest-userspace-ms    QEMU start -> LINUX-USERSPACE-UP of
                                      the partition (4 cores, 4 GiB)
    hand-off-to-guest-userspace-ms    skiboot's hand-off -> that marker
    <BENCH name>-ns                   the same payload in a partition
  ratios              {"<measure>": kvm median / lparvisor median} for the
                      measures both have
  kvm-notes           the payload's BENCH-NOTE lines under KVM-HV, as
                      "run N: text" (e.g. H_PROD repeats)
  compute             with --compute: "rows" {phase: {side: [ns per
                      access, one per run], ratio label: median ratio}},
                      sides bare, lparvisor, lparvisor-clear-boot, kvm-hv,
                      pseries (tests/bench/run-compute-bench.py), and
                      "kvm-hypervisor": what the KVM guest's /hypervisor
                      node said (linux,kvm when KVM ran it)
  failures            one string per thing that went wrong (empty when all
                      ran); the exit status is 1 when not empty
Console logs: DIR/kvm-run<N>.log.
"""
import argparse
import datetime
import importlib.util
import json
import os
import platform
import re
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "tools"))

import qemu_powernv  # noqa: E402

MARKER = "LINUX-USERSPACE-UP"
HAND_OFF = "INIT: Starting kernel"
BENCH = re.compile(r"BENCH (\S+) (\d+) (\d+) (\d+)")
# The spapr capabilities KVM-HV under QEMU's powernv9 cannot give (QEMU
# refuses to start the guest otherwise; see docs/bench-kvm.md).
CAPS = "cap-cfpc=broken,cap-sbbc=broken,cap-ibs=broken,cap-ccf-assist=off"
RUN_TIMEOUT_S = 420
# Table order: the boot in time order, then the round trips.
ORDER = ["power-on-to-host-userspace-ms", "hand-off-to-host-userspace-ms",
         "power-on-to-kvm-ready-ms", "guest-qemu-start-to-userspace-ms",
         "power-on-to-guest-userspace-ms", "hand-off-to-guest-userspace-ms",
         "null-hcall-ns"]


def load_run_bench(name="run-bench.py"):
    path = os.path.join(HERE, "..", name)
    spec = importlib.util.spec_from_file_location(name[:-3].replace("-", "_"),
                                                  path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def after(lines, start_index, needle):
    """(time, index) of the first line containing needle at or after
    start_index, or (None, None)."""
    for i in range(start_index, len(lines)):
        if needle in lines[i][1]:
            return lines[i][0], i
    return None, None


def kvm_compute(lines, start_i, log):
    """The compute guest's section: ({"bench": {phase: ns}, "hypervisor":
    its /hypervisor compatible}, [failure])."""
    _, end_i = after(lines, start_i, "KVM-GUEST-EXIT compute")
    section = lines[start_i:end_i]
    hv = [t.split("hypervisor ", 1)[1].strip() for _, t in section
          if "compute: platform " in t and "hypervisor " in t]
    out = {"bench": COMPUTE.parse(section),
           "hypervisor": hv[0] if hv else None}
    fails = []
    if out["hypervisor"] != "linux,kvm":
        fails.append("KVM compute guest: /hypervisor says %r, not linux,kvm"
                     " (%s)" % (out["hypervisor"], log))
    if len(out["bench"]) != len(COMPUTE.MEASURES):
        fails.append("KVM compute guest: %d of %d BENCH lines (%s)" %
                     (len(out["bench"]), len(COMPUTE.MEASURES), log))
    return out, fails


def kvm_run(vmlinux, initrd, caps, log_path):
    """One boot of the KVM-HV host; returns ({measure: value}, [failure])."""
    append = "console=hvc0 quiet kvmbench.caps=%s" % caps
    if COMPUTE:
        append += " kvmbench.compute=" + COMPUTE.ARGS.replace(" ", ":")
    cmd = qemu_powernv.qemu_command("powernv9", 1, "4G", vmlinux,
                                    append=append, initrd=initrd)
    run = qemu_powernv.run_captured(cmd, RUN_TIMEOUT_S, log_path=log_path)
    lines = run.lines
    out, fails = {}, []
    log = os.path.relpath(log_path)
    for _, text in lines:
        if "KVM-HOST-FAIL" in text:
            fails.append("KVM host: %s (%s)" % (text.strip(), log))
    if run.timed_out:
        fails.append("KVM host: timed out after %d s (%s)" %
                     (RUN_TIMEOUT_S, log))
    up, up_i = after(lines, 0, "KVM-HOST-USERSPACE-UP")
    if up is None:
        fails.append("KVM host: no KVM-HOST-USERSPACE-UP (%s)" % log)
        return out, fails
    out["power-on-to-host-userspace-ms"] = up * 1e3
    hand_off, _ = after(lines, 0, HAND_OFF)
    if hand_off is not None and hand_off < up:
        out["hand-off-to-host-userspace-ms"] = (up - hand_off) * 1e3
    ready, ready_i = after(lines, up_i, "KVM-HOST-READY")
    if ready is None:
        return out, fails or ["KVM host: kvm-hv not ready (%s)" % log]
    out["power-on-to-kvm-ready-ms"] = ready * 1e3

    start, start_i = after(lines, ready_i, "KVM-GUEST-START linux")
    _, end_i = after(lines, start_i or 0, "KVM-GUEST-EXIT linux")
    guest_up, guest_i = after(lines, start_i or 0, MARKER)
    if start is None or guest_up is None or (end_i is not None and
                                             guest_i > end_i):
        fails.append("KVM guest Linux: no %s (%s)" % (MARKER, log))
    else:
        out["guest-qemu-start-to-userspace-ms"] = (guest_up - start) * 1e3
        out["power-on-to-guest-userspace-ms"] = guest_up * 1e3
        if hand_off is not None:
            out["hand-off-to-guest-userspace-ms"] = \
                (guest_up - hand_off) * 1e3

    _, bstart_i = after(lines, end_i or 0, "KVM-GUEST-START bench")
    _, bend_i = after(lines, bstart_i or 0, "KVM-GUEST-EXIT bench")
    found = False
    if bstart_i is not None:
        for _, text in lines[bstart_i:bend_i]:
            if "BENCH-NOTE" in text:
                out.setdefault("notes", []).append(
                    text[text.index("BENCH-NOTE") + 11:].strip())
            m = BENCH.search(text)
            if m:
                name, n, ticks, hz = m.group(1), *map(int, m.groups()[1:])
                out["%s-ns" % name] = ticks * 1e9 / hz / n
                found = True
    if not found:
        fails.append("KVM bench payload: no BENCH line (%s)" % log)
    if COMPUTE:
        _, cstart_i = after(lines, bend_i or 0, "KVM-GUEST-START compute")
        if cstart_i is None:
            fails.append("KVM compute guest: not started (%s)" % log)
        else:
            out["compute"], more = kvm_compute(lines, cstart_i, log)
            fails += more
    return out, fails


def lparvisor_run(run_bench, kernel, bench_itb, linux_itb):
    out, fails = {}, []
    try:
        for name, ns in run_bench.run_lparvisor(kernel, bench_itb).items():
            out["%s-ns" % name] = ns
        linux = run_bench.linux_lparvisor(kernel, linux_itb)
    except Exception as e:  # run-bench.py changed under us: say so
        return out, ["lparvisor (tests/bench/run-bench.py): %r" % e]
    if "linux-boot-from-qemu-start-ms" in linux:
        out["power-on-to-guest-userspace-ms"] = \
            linux["linux-boot-from-qemu-start-ms"]
        out["hand-off-to-guest-userspace-ms"] = \
            linux["linux-boot-from-hand-off-ms"]
    else:
        fails.append("lparvisor Linux partition: no %s" % MARKER)
    if "null-hcall-ns" not in out:
        fails.append("lparvisor bench payload: no BENCH null-hcall")
    return out, fails


COMPUTE = None  # tests/bench/run-compute-bench.py with --compute


def compute_run(sides, itb, payload, hello, bare, kernel):
    """The compute payload's other three sides, one run each."""
    sides["bare"].append(COMPUTE.run_bare(bare))
    sides["lparvisor"].append(COMPUTE.run_lparvisor(kernel, itb))
    sides["lparvisor-clear-boot"].append(
        COMPUTE.run_lparvisor(kernel, itb, "clear=boot"))
    sides["pseries"].append(COMPUTE.run_pseries(payload, hello))


def stats(values):
    return {"min": min(values), "median": statistics.median(values),
            "max": max(values)}


def version(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True,
                              timeout=30).stdout.splitlines()[0]
    except (OSError, IndexError, subprocess.SubprocessError):
        return "unknown"


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def kvm_qemu_version(host_initrd):
    """The qemu-system-ppc line of tests/bench/kvm/fetch.sh's versions."""
    path = os.path.join(os.path.dirname(host_initrd), "versions")
    try:
        with open(path) as f:
            for line in f:
                if line.startswith("qemu-system-ppc "):
                    return line.strip() + " (ppc64el)"
    except OSError:
        pass
    return "unknown"


def kernel_release(vmlinux):
    path = os.path.join(os.path.dirname(vmlinux), "kernel-release")
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        return "unknown"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--vmlinux", required=True)
    ap.add_argument("--host-initrd", required=True)
    ap.add_argument("--json", required=True)
    ap.add_argument("--logs", required=True)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--caps", default=CAPS)
    ap.add_argument("--lparvisor", nargs=3,
                    metavar=("KERNEL", "BENCH_ITB", "LINUX_ITB"))
    ap.add_argument("--compute", nargs=4,
                    metavar=("COMPUTE_ITB", "COMPUTE_BIN", "HELLO_ELF",
                             "BARE_BIN"))
    args = ap.parse_args()
    global COMPUTE
    if args.compute and not args.lparvisor:
        ap.error("--compute needs --lparvisor (its KERNEL)")
    if args.compute:
        COMPUTE = load_run_bench("run-compute-bench.py")
    compute = {"bare": [], "lparvisor": [], "lparvisor-clear-boot": [],
               "kvm-hv": [], "pseries": []}
    kvm_hv_says = []

    load_before = os.getloadavg()[0]
    samples = {"kvm": {}, "lparvisor": {}}
    failures, notes = [], []
    run_bench = load_run_bench() if args.lparvisor else None
    for i in range(1, args.runs + 1):
        log = os.path.join(args.logs, "kvm-run%d.log" % i)
        print("  BENCH   KVM-HV run %d/%d (log: %s)" % (i, args.runs, log),
              flush=True)
        got, fails = kvm_run(args.vmlinux, args.host_initrd, args.caps, log)
        failures += fails
        notes += ["run %d: %s" % (i, n) for n in got.pop("notes", [])]
        if COMPUTE:
            kc = got.pop("compute", {"bench": {}, "hypervisor": None})
            compute["kvm-hv"].append(kc)
            kvm_hv_says.append(kc["hypervisor"])
        for k, v in got.items():
            samples["kvm"].setdefault(k, []).append(v)
        if run_bench:
            print("  BENCH   lparvisor run %d/%d" % (i, args.runs), flush=True)
            got, fails = lparvisor_run(run_bench, *args.lparvisor)
            failures += fails
            for k, v in got.items():
                samples["lparvisor"].setdefault(k, []).append(v)
        if COMPUTE:
            print("  BENCH   compute run %d/%d (bare host, lparvisor, "
                  "lparvisor clear=boot, pseries)" % (i, args.runs),
                  flush=True)
            compute_run(compute, *args.compute, args.lparvisor[0])

    result = {
        "date": datetime.datetime.now(datetime.timezone.utc)
        .isoformat(timespec="seconds"),
        "machine": "%s, %d CPUs, %s" % (" ".join(platform.uname()[0:3:2]),
                                        os.cpu_count() or 0, cpu_model()),
        "runs": args.runs,
        "load-average": [round(load_before, 2),
                         round(os.getloadavg()[0], 2)],
        "setup": {
            "outer-qemu": "%s -M powernv9, 1 core, 4 GiB" %
            version(["qemu-system-ppc64", "--version"]),
            "kernel": kernel_release(args.vmlinux),
            "guest-linux": "qemu-system-ppc64 (Debian ppc64el) -accel kvm "
            "-M pseries,x-vof=on,ic-mode=xics,<caps> -cpu host -smp 2 -m 1G",
            "guest-bench": "qemu-system-ppc64 (Debian ppc64el) -accel kvm "
            "-M pseries,ic-mode=xics,<caps> -cpu host -smp 2 -m 512M -bios",
            "kvm-qemu": kvm_qemu_version(args.host_initrd),
            "caps": args.caps,
        },
        "kvm": {}, "lparvisor": {}, "ratios": {}, "failures": failures,
        "kvm-notes": notes,
    }
    for env in ("kvm", "lparvisor"):
        for k, v in samples[env].items():
            # 0.1 ms, 0.1 ns: well below the run-to-run noise
            v = [round(x, 1) for x in v]
            result[env][k] = {"samples": v, "stats": stats(v)}
    for k in result["kvm"]:
        if k in result["lparvisor"]:
            result["ratios"][k] = round(
                result["kvm"][k]["stats"]["median"] /
                result["lparvisor"][k]["stats"]["median"], 2)
    if COMPUTE:
        rows, lost = COMPUTE.table(compute, args.runs)
        if lost:
            failures.append("compute: a side lost runs (see the counts)")
        result["compute"] = {"args": COMPUTE.ARGS, "rows": rows,
                             "kvm-hypervisor": kvm_hv_says}
        print()
    os.makedirs(os.path.dirname(os.path.abspath(args.json)), exist_ok=True)
    with open(args.json, "w") as f:
        json.dump(result, f, indent=1, sort_keys=True)
        f.write("\n")

    print("%-36s %-26s %-26s %s" % ("s (boot), us (per call)",
                                    "KVM-HV min/med/max",
                                    "lparvisor min/med/max", "KVM/lparvisor"))
    names = [n for n in ORDER if n in result["kvm"] or n in result["lparvisor"]]
    names += sorted((set(result["kvm"]) | set(result["lparvisor"])) -
                    set(names))
    for name in names:
        cells = []
        for env in ("kvm", "lparvisor"):
            s = result[env].get(name, {}).get("stats")
            cells.append("%7.2f %7.2f %7.2f  " % (s["min"] / 1e3,
                                                   s["median"] / 1e3,
                                                   s["max"] / 1e3)
                         if s else "%-25s " % "-")
        ratio = result["ratios"].get(name)
        print("%-36s %s%s%s" % (name[:-3], cells[0], cells[1],
                                "%.1fx" % ratio if ratio else "-"))
    print("runs: %d; KVM-HV: Debian %s host on -M powernv9 (1 core, 4 GiB), "
          "guest -M pseries,x-vof=on 2 vCPUs 1 GiB; lparvisor: 4 cores, "
          "4 GiB, partition of 2 vCPUs 1 GiB; load average %.1f -> %.1f; "
          "JSON: %s" % (args.runs, result["setup"]["kernel"],
                        *result["load-average"], args.json))
    for n in notes:
        print("KVM-HV note: %s" % n)
    for f in failures:
        print("FAILED: %s" % f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
