#!/usr/bin/env python3
"""make bench, partition firmware (issue 18): Debian's kernel started
through lparvisor's own firmware (firmware = "vof") against the same
kernel on QEMU's -M pseries,x-vof=on, and through QEMU's SLOF
(firmware = "slof") against -M pseries with SLOF, in the same run.

Usage: run-firmware-bench.py LPARVISOR.elf VMLINUX INITRAMFS OUT_DIR RUNS
                             FW=BUNDLE...

FW is vof or slof; BUNDLE holds one partition named FW
(tests/bench/bench-vof.dts, bench-slof.dts).  Both sides: 2 vCPUs, 1 GiB,
a "dual" interrupt controller (ic-mode=dual: prom_init negotiates it with
CAS, XIVE for this kernel), a vty, an RNG and a formatted NVRAM, and
run-bench.py's command line ("console=hvc0 quiet lparvisor.vcpus=2").
Per run and side, from the same point (issue 21):
  first instruction -> userspace (ms), the row with the target (<= 1.1x):
           on lparvisor, skiboot's hand-off line's time plus lparvisor's
           own "entered the guest N us after hand-off" stamp (the
           partition's first instruction is its firmware's, at 0x100);
           pseries starts stopped (-S) and runs from QMP's "cont"
           (run-bench.py's qmp_cont), where VOF's first instruction runs;
           both end at LINUX-USERSPACE-UP on the console
  power-on -> userspace (ms, information): from QEMU's start
  the kernel's own uptime at userspace (ms, information: it starts at
           timekeeping_init(), so firmware and prom_init are not in it)
  hand-off -> userspace (ms, information; pseries has no hand-off).
Prints min/median/max with the sample count of each, the ratio of the
medians, writes OUT_DIR/firmware.json, and fails (exit 1) naming the row
when a side lost a run: medians of different counts are not compared.
"""
import importlib.util
import json
import os
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tools"))
import qemu_powernv  # noqa: E402
from benchstat import stat3  # noqa: E402


def _load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    m = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(m)
    return m


rb = _load("run_bench", os.path.join(HERE, "run-bench.py"))
rp = _load("run_pseries", os.path.join(HERE, "..", "linux",
                                        "run-pseries.py"))

TIMEOUT = 240
MACHINE = {"vof": "pseries,x-vof=on,ic-mode=dual",
           "slof": "pseries,ic-mode=dual"}


def lparvisor_run(kernel, bundle, fw):
    cmd = qemu_powernv.qemu_command("powernv9", 4, "4G", kernel,
                                    initrd=bundle)
    run = qemu_powernv.run_captured(cmd, TIMEOUT, stop_on=rb.MARKER)
    lines = [l for _, l in run.lines]
    prefix = "[%s] " % fw
    out = {"lines": lines}
    handoff = rb.first_time(run.lines, lambda l: rb.HANDOFF in l)
    up = rb.first_time(run.lines, lambda l: l.startswith(prefix) and
                       rb.MARKER in l)
    start_ms = None
    for l in lines:
        m = rb.ENTERED.search(l)
        if m and m.group(1) == fw:
            start_ms = int(m.group(2)) / 1e3
    if up is not None:
        out["power-on-ms"] = up * 1e3
        out["uptime-ms"] = rb.uptime_ms(run.lines, prefix)
    if up is not None and handoff is not None:
        out["hand-off-ms"] = (up - handoff) * 1e3
        if start_ms is not None:
            out["first-insn-ms"] = out["hand-off-ms"] - start_ms
    return out


def pseries_run(vmlinux, initramfs, fw, tag):
    qmp = os.path.join(tempfile.gettempdir(), "lparvisor-fwbench-%d-%s.qmp"
                       % (os.getpid(), tag))
    with tempfile.TemporaryDirectory() as tmp:
        nvram = os.path.join(tmp, "nvram.img")
        with open(nvram, "wb") as f:
            f.write(rp.nvram_image())
        cmd = ["qemu-system-ppc64", "-M", MACHINE[fw],
               "-cpu", "power9", "-m", "1G", "-smp", "2", "-nodefaults",
               "-nographic", "-no-reboot",
               "-chardev", "stdio,id=con,signal=off",
               "-device", "spapr-vty,chardev=con",
               "-object", "rng-builtin,id=r", "-device", "spapr-rng,rng=r",
               "-drive", "if=none,id=nvram,format=raw,file=%s" % nvram,
               "-global", "spapr-nvram.drive=nvram",
               "-kernel", vmlinux, "-initrd", initramfs,
               "-append", rb.LINUX_ARGS, "-S",
               "-qmp", "unix:%s,server=on,wait=off" % qmp]
        if os.path.exists(qmp):
            os.unlink(qmp)
        q = {}
        t = threading.Thread(target=rb.qmp_cont,
                             args=(qmp, time.monotonic(), q), daemon=True)
        t.start()
        run = qemu_powernv.run_captured(cmd, TIMEOUT, stop_on=rb.MARKER)
        t.join(timeout=5)
        if q.get("sock"):
            q["sock"].close()
        if os.path.exists(qmp):
            os.unlink(qmp)
    out = {"lines": [l for _, l in run.lines]}
    up = run.first_time(rb.MARKER)
    if up is not None:
        out["power-on-ms"] = up * 1e3
        out["uptime-ms"] = rb.uptime_ms(run.lines)
        if q.get("cont") is not None:
            out["first-insn-ms"] = (up - (q["cont"] - run.start)) * 1e3
    return out


# (key, label, compared with pseries, target); %s is the firmware and
# its reference.
ROWS = (("first-insn-ms", "Linux through %s, first instruction -> "
         "userspace", True, 1.1),
        ("power-on-ms", "Linux through %s, power-on -> userspace (info)",
         True, None),
        ("uptime-ms", "Linux's own uptime at userspace, %s (info)", True,
         None),
        ("hand-off-ms", "Linux through %s, hand-off -> userspace "
         "(info: pseries has no hand-off)", False, None))
REFERENCE = {"vof": "vof vs pseries x-vof=on",
             "slof": "SLOF vs pseries with SLOF"}


def three(s):
    if not s:
        return "-"
    return "%.0f/%.0f/%.0f (%d)" % (s["min"], s["median"], s["max"],
                                    s["runs"])


def main(argv):
    if len(argv) < 7 or any(a.split("=")[0] not in MACHINE
                            for a in argv[6:]):
        print(__doc__, file=sys.stderr)
        return 2
    kernel, vmlinux, initramfs, out_dir = argv[1:5]
    runs = int(argv[5])
    firmwares = [a.split("=", 1) for a in argv[6:]]
    os.makedirs(out_dir, exist_ok=True)
    samples = {fw: {s: {r[0]: [] for r in ROWS}
                    for s in ("lparvisor", "pseries")}
               for fw, _ in firmwares}
    for r in range(runs):
        for fw, bundle in firmwares:
            for side in ("lparvisor", "pseries"):
                t0 = time.monotonic()
                res = (lparvisor_run(kernel, bundle, fw)
                       if side == "lparvisor"
                       else pseries_run(vmlinux, initramfs, fw, str(r)))
                log = os.path.join(out_dir, "firmware-%s-%s-%d.log" % (
                    fw, side, r))
                with open(log, "w") as f:
                    f.write("\n".join(res.pop("lines")) + "\n")
                for key in samples[fw][side]:
                    samples[fw][side][key].append(res.get(key))
                print("firmware bench run %d %s %s: first instruction -> "
                      "userspace %s ms (%.0f s; %s)" % (
                          r + 1, fw, side, "%.0f" % res["first-insn-ms"]
                          if res.get("first-insn-ms") is not None
                          else "FAILED", time.monotonic() - t0, log),
                      flush=True)
    rows, lost = [], []
    for fw, _ in firmwares:
        for key, label, ref, target in ROWS:
            label = label % REFERENCE[fw]
            a = stat3(samples[fw]["lparvisor"][key])
            b = stat3(samples[fw]["pseries"][key]) if ref else None
            if a is None or a["runs"] != runs or \
                    (ref and (b is None or b["runs"] != runs)):
                lost.append("%s (lparvisor %d, pseries %s of %d runs)" % (
                    label, a["runs"] if a else 0,
                    (b["runs"] if b else 0) if ref else "-", runs))
            ratio = a["median"] / b["median"] if a and b else None
            rows.append({"measure": label, "unit": "ms", "lparvisor": a,
                         "pseries": b, "ratio": ratio, "target": target})
    print("\n%-72s %-22s %-22s %s" % (
        "partition firmware (issue 18), ms", "lparvisor min/med/max (n)",
        "pseries min/med/max (n)", "ratio (target)"))
    for row in rows:
        verdict = "-"
        if row["ratio"] is not None:
            verdict = "%.2fx" % row["ratio"]
            if row["target"]:
                verdict += " (<= %.1fx %s)" % (
                    row["target"], "met" if row["ratio"] <= row["target"]
                    else "missed")
        print("%-72s %-22s %-22s %s" % (row["measure"],
                                         three(row["lparvisor"]),
                                         three(row["pseries"]),
                                         verdict))
    with open(os.path.join(out_dir, "firmware.json"), "w") as f:
        json.dump({"rows": rows, "samples": samples, "runs": runs,
                   "load": rb.loadavg()}, f, indent=1)
    if lost:
        print("firmware bench: runs lost for: %s" % "; ".join(lost))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
