#!/usr/bin/env python3
"""make bench, hash partitions (issue 15): Debian's kernel in a hash (HPT)
partition of lparvisor against the same kernel on QEMU's -M pseries with
disable_radix, in the same run.

Usage: run-hash-bench.py LPARVISOR.elf BENCH-HASH.itb VMLINUX INITRAMFS
                         OUT_DIR [RUNS]

Both sides boot 2 vCPUs, 1 GiB, XIVE, with the same init words
(lparvisor.mmu=hash lparvisor.memstress=3,2,128 lparvisor.then=powerdown;
pseries adds
disable_radix, so prom_init asks CAS for hash).  Per run and side:
  boot     the guest's first instruction -> LINUX-USERSPACE-UP (ms): on
           lparvisor the hand-off line's time plus lparvisor's own "entered
           the guest N us after hand-off" stamp; pseries starts stopped
           (-S) and runs from QMP's "cont" (as run-bench.py's Linux row);
           lparvisor's hand-off -> userspace is shown too (information:
           pseries has no hand-off)
  stress   the memory stress's own time (tests/linux/memstress.c: fork,
           touch and free 3 x 2 x 128 MiB), from its line
On lparvisor the exit profile (Ctrl-] p; counts are kept without
profile=on) is printed at the userspace marker and once init waits for a power-off
request after its checks (lparvisor.then=powerdown; the stress is the last
one that maps memory): the page-frame-table hcalls (H_ENTER, H_REMOVE, H_READ, H_PROTECT,
H_BULK_REMOVE, H_CLEAR_REF/MOD, resize) per second of the boot (first
profile) and of init's checks, the stress among them (between the two),
and their share of all exits.  Prints min/median/max and the ratio
lparvisor / pseries (goal: at most 1.2), writes OUT_DIR/hash.json.
"""
import importlib.util
import json
import os
import re
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

WORDS = ("console=hvc0 quiet lparvisor.vcpus=2 lparvisor.intc=xive "
         "lparvisor.mmu=hash lparvisor.memstress=3,2,128 "
         "lparvisor.then=powerdown")
STRESS = re.compile(r"lparvisor-linux: memstress: .* in (\d+) ms, 0 errors")
HPT_CALLS = ("H_ENTER", "H_REMOVE", "H_READ", "H_PROTECT", "H_BULK_REMOVE",
             "H_CLEAR_REF", "H_CLEAR_MOD", "H_RESIZE_HPT_PREPARE",
             "H_RESIZE_HPT_COMMIT")
TIMEOUT = 300
# run-bench.py's PROFILE_HEAD wants the timed form (profile=on); without
# it the head line ends "(untimed: ...)".
PROFILE_HEAD = re.compile(r'^lparvisor: profile "(\S+)": (\d+) vCPUs, '
                          r'(\d+) ms since boot, (\d+) exits')


def profiles(lines, name):
    """Every profile of `name` printed in `lines`, in order."""
    out, cur = [], None
    for line in lines:
        m = PROFILE_HEAD.search(line)
        if m and m.group(1) == name:
            cur = {"since-boot-ms": int(m.group(3)),
                   "exits": int(m.group(4)), "hcalls": {}}
            out.append(cur)
            continue
        m = rb.PROFILE_LINE.search(line)
        if m and cur is not None and m.group(1) == name and \
                m.group(2) == "hcall":
            cur["hcalls"][m.group(4)] = int(m.group(5))
    return out


def hpt_count(prof):
    return sum(n for k, n in prof["hcalls"].items() if k in HPT_CALLS)


def lparvisor_run(kernel, bundle):
    cmd = qemu_powernv.qemu_command("powernv9", 4, "4G", kernel,
                                    initrd=bundle)
    end = 'lparvisor: profile "linux": end'
    ends = []

    def done(lines):
        if lines and lines[-1].startswith(end):
            ends.append(1)
        return len(ends) == 2

    # The second once init waits (lparvisor.then=powerdown), after the
    # stress and its remaining checks: nothing runs then.
    script = [(re.escape(rb.MARKER), b"\x1dp"),
              (r"^\[linux\] lparvisor-linux: waiting for a power-off",
               b"\x1dp")]
    run = qemu_powernv.run_captured(cmd, TIMEOUT, stop_when=done,
                                    script=script)
    lines = [l for _, l in run.lines]
    out = {"lines": lines}
    handoff = rb.first_time(run.lines, lambda l: rb.HANDOFF in l)
    up = rb.first_time(run.lines, lambda l: l.startswith("[linux] ") and
                       rb.MARKER in l)
    start_ms = None
    for l in lines:
        m = rb.ENTERED.search(l)
        if m and m.group(1) == "linux":
            start_ms = int(m.group(2)) / 1e3
    if up is not None and handoff is not None and start_ms is not None:
        out["boot-ms"] = (up - handoff) * 1e3 - start_ms
        out["hand-off-ms"] = (up - handoff) * 1e3
    for l in lines:
        m = STRESS.search(l)
        if m and l.startswith("[linux] "):
            out["stress-ms"] = int(m.group(1))
    profs = profiles(lines, "linux")
    if len(profs) == 2 and out.get("stress-ms"):
        boot, after = profs
        out["hpt-boot"] = hpt_count(boot)
        out["hpt-boot-per-s"] = hpt_count(boot) / (
            boot["since-boot-ms"] / 1e3)
        out["hpt-boot-share"] = hpt_count(boot) / max(boot["exits"], 1)
        d = hpt_count(after) - hpt_count(boot)
        out["hpt-stress"] = d
        out["hpt-stress-per-s"] = d / (
            (after["since-boot-ms"] - boot["since-boot-ms"]) / 1e3)
        out["hpt-stress-share"] = d / max(after["exits"] - boot["exits"], 1)
        out["hcalls-after"] = after["hcalls"]
    return out


def pseries_run(vmlinux, initramfs, tag):
    qmp = os.path.join(tempfile.gettempdir(), "lparvisor-hbench-%d-%s.qmp"
                       % (os.getpid(), tag))
    with tempfile.TemporaryDirectory() as tmp:
        nvram = os.path.join(tmp, "nvram.img")
        with open(nvram, "wb") as f:
            f.write(rp.nvram_image())
        cmd = ["qemu-system-ppc64", "-M", "pseries,x-vof=on,ic-mode=xive",
               "-cpu", "power9", "-m", "1G", "-smp", "2", "-nodefaults",
               "-nographic", "-no-reboot",
               "-chardev", "stdio,id=con,signal=off",
               "-device", "spapr-vty,chardev=con",
               "-drive", "if=none,id=nvram,format=raw,file=%s" % nvram,
               "-global", "spapr-nvram.drive=nvram",
               "-kernel", vmlinux, "-initrd", initramfs,
               "-append", WORDS + " disable_radix", "-S",
               "-qmp", "unix:%s,server=on,wait=off" % qmp]
        if os.path.exists(qmp):
            os.unlink(qmp)
        q = {}
        t = threading.Thread(target=rb.qmp_cont,
                             args=(qmp, time.monotonic(), q), daemon=True)
        t.start()
        run = qemu_powernv.run_captured(
            cmd, TIMEOUT, stop_on="lparvisor-linux: memstress: ")
        t.join(timeout=5)
        if q.get("sock"):
            q["sock"].close()
        if os.path.exists(qmp):
            os.unlink(qmp)
    lines = [l for _, l in run.lines]
    out = {"lines": lines}
    up = run.first_time(rb.MARKER)
    if up is not None and q.get("cont") is not None:
        out["boot-ms"] = (up - (q["cont"] - run.start)) * 1e3
    for l in lines:
        m = STRESS.search(l)
        if m:
            out["stress-ms"] = int(m.group(1))
    return out


def main(argv):
    if len(argv) < 6:
        print(__doc__, file=sys.stderr)
        return 2
    kernel, bundle, vmlinux, initramfs, out_dir = argv[1:6]
    runs = int(argv[6]) if len(argv) > 6 else 1
    os.makedirs(out_dir, exist_ok=True)
    keys = ("boot-ms", "hand-off-ms", "stress-ms", "hpt-boot-per-s",
            "hpt-stress-per-s", "hpt-boot-share", "hpt-stress-share")
    samples = {s: {k: [] for k in keys} for s in ("lparvisor", "pseries")}
    for r in range(runs):
        for side in ("lparvisor", "pseries"):
            t0 = time.monotonic()
            res = (lparvisor_run(kernel, bundle) if side == "lparvisor"
                   else pseries_run(vmlinux, initramfs, str(r)))
            log = os.path.join(out_dir, "hash-%s-%d.log" % (side, r))
            with open(log, "w") as f:
                f.write("\n".join(res.pop("lines")) + "\n")
            for k in keys:
                samples[side][k].append(res.get(k))
            def ms(k):
                return "%.0f" % res[k] if res.get(k) is not None else \
                    "FAILED"
            print("hash bench run %d %s: boot %s ms, stress %s ms%s "
                  "(%.0f s; %s)" % (
                      r + 1, side, ms("boot-ms"), ms("stress-ms"),
                      ", HPT hcalls %d in boot, %d in the checks" % (
                          res["hpt-boot"], res["hpt-stress"])
                      if "hpt-stress" in res else "",
                      time.monotonic() - t0, log), flush=True)
    rows = []
    failed = []
    for key, label, unit, ref in (
            ("boot-ms", "hash Linux boot, first instruction -> userspace",
             "ms", True),
            ("stress-ms", "memory stress, 3 x 2 x 128 MiB", "ms", True),
            ("hand-off-ms", "hash Linux boot, hand-off -> userspace (info)",
             "ms", False),
            ("hpt-boot-per-s", "HPT hcalls per second, boot", "/s", False),
            ("hpt-stress-per-s", "HPT hcalls per second, init's checks "
             "(stress in)", "/s", False),
            ("hpt-boot-share", "HPT hcalls' share of exits, boot", "",
             False),
            ("hpt-stress-share", "HPT hcalls' share of exits, checks", "",
             False)):
        a = stat3(samples["lparvisor"][key])
        b = stat3(samples["pseries"][key]) if ref else None
        if a is None or (ref and (b is None or b["runs"] != a["runs"] or
                                  a["runs"] != runs)):
            failed.append(label)
        ratio = a["median"] / b["median"] if a and b else None
        rows.append({"measure": label, "unit": unit, "lparvisor": a,
                     "pseries-disable-radix": b, "ratio": ratio,
                     "target": 1.2 if ref else None})
    print("\n%-50s %-5s %-26s %-26s %s" % (
        "hash partitions (issue 15)", "unit", "lparvisor min/med/max (n)",
        "pseries disable_radix", "ratio (target)"))

    def three(s, share):
        if not s:
            return "-"
        f = "%.2f" if share else "%.0f"
        return ("%s/%s/%s (%d)" % (f, f, f, s["runs"])) % (
            s["min"], s["median"], s["max"])
    for row in rows:
        share = "share" in row["measure"]
        print("%-50s %-5s %-26s %-26s %s" % (
            row["measure"], row["unit"], three(row["lparvisor"], share),
            three(row["pseries-disable-radix"], share),
            "%.2f (<= %.1f %s)" % (row["ratio"], row["target"],
                                   "met" if row["ratio"] <= row["target"]
                                   else "missed")
            if row["ratio"] else "-"))
    with open(os.path.join(out_dir, "hash.json"), "w") as f:
        json.dump({"rows": rows, "samples": samples, "runs": runs}, f,
                  indent=1)
    if failed:
        print("hash bench: runs lost for: %s" % ", ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
