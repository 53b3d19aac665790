#!/usr/bin/env python3
"""Run every guest payload under QEMU's own pSeries machine.

Usage: run-pseries.py --build DIR [--objdump OBJDUMP] [--qemu QEMU] PAYLOAD...

QEMU's `-M pseries` is the behavioural reference for the payloads in
tests/guest/: a payload that fails there is wrong, not the platform.  Each
run boots DIR/<payload>.bin with -bios (QEMU loads it at 0 and starts vCPU 0
at 0x100, big-endian, r3 = FDT), captures the console (a spapr-vty on
stdio), and passes when:
  - the ELF's big-endian entry trampolines disassemble (objdump -EB) to the
    intended instructions and its entry is 0x100;
  - the console ends its test output with "N passed, 0 failed", N > 0, and
    has no FAIL line;
  - the payload powered the partition off through RTAS (QEMU exits 0
    before the timeout);
  - payload-specific lines are present (hello's greeting and heartbeats).
Runs go two at a time.  One PASS/FAIL line per run, then "N passed, N
failed".  A missing QEMU, objdump or payload is a failure, never a skip.
Console logs go to DIR/logs/<run>.log.
"""
import argparse
import concurrent.futures
import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import threading
import time

from expected import (HCALL_CHECKS, HCALL_VIO_WINDOW_CHECKS, HCALL_LLAN_CHECKS,
                      PCI_CHECKS, VSCSI_CHECKS, HPT_CHECKS, NVME_CHECKS,
                      NVME_XICS_MSI, NVME_XICS_INTX)

TIMEOUT_S = 30
PARALLEL = 2
RESULT = re.compile(r"^(\d+) passed, (\d+) failed$")

# The machine every payload sees: XICS interrupts (a guest that never does
# CAS talks XICS), 4 vCPUs, 512 MiB, no default devices but one vty on
# stdio.  With -nodefaults QEMU still creates its nvram first, so the vty is
# unit 0x71000001 (payloads read it from /vdevice).
QEMU_BASE = [
    "-M", "pseries,ic-mode=xics", "-cpu", "power9", "-m", "512M",
    "-smp", "4", "-nodefaults", "-nographic", "-no-reboot",
    "-chardev", "stdio,id=con,signal=off",
    "-device", "spapr-vty,chardev=con",
]
RNG = ["-object", "rng-builtin,id=rng0", "-device", "spapr-rng,rng=rng0"]
HELLO_NAME = "lparvisor-guest-test"
HELLO_COUNT = 3


def hello_args(build):
    # bootargs reach /chosen only with -kernel, which QEMU 7.2 pseries wants
    # as an ELF: the payload's own ELF is loaded (unused) at 0x400000.
    return ["-name", HELLO_NAME,
            "-kernel", os.path.join(build, "hello.elf"),
            "-append", "console=hvc0 count=%d" % HELLO_COUNT]


def kload_args(kernel_addr):
    """kload (tests/guest/kload.c) as the firmware at 0 and its ELF as
    QEMU's own -kernel and -initrd, placed by QEMU at kernel-addr."""
    def args(build):
        elf = os.path.join(build, "kload.elf")
        return ["-machine", "kernel-addr=%#x" % kernel_addr,
                "-kernel", elf, "-initrd", elf,
                "-append", "kaddr=%#x" % kernel_addr]
    return args


def hello_checks(lines):
    greeting = "hello from %s" % HELLO_NAME
    if greeting not in lines:
        return "no line %r" % greeting
    beats = [l for l in lines if l.startswith("heartbeat ")]
    want = ["heartbeat %d" % i for i in range(1, HELLO_COUNT + 1)]
    if beats != want:
        return "heartbeats %s, want %s" % (beats, want)
    return None


def hcall_checks(lines):
    want = "%d passed, 0 failed" % HCALL_CHECKS
    if want not in lines:
        return "no line %r (tests/guest/expected.py)" % want
    return None


def hpt_checks(lines):
    want = "%d passed, 0 failed" % HPT_CHECKS
    if want not in lines:
        return "no line %r (tests/guest/expected.py)" % want
    return None


def hcall_vlan_checks(lines):
    want = "%d passed, 0 failed" % (HCALL_CHECKS + HCALL_VIO_WINDOW_CHECKS +
                                    HCALL_LLAN_CHECKS)
    if want not in lines:
        return "no line %r (tests/guest/expected.py)" % want
    return None


# A VIO device with a DMA window (QEMU's spapr-vlan, on an isolated hub
# port): the hcall payload's test_vio_window() runs the TCE hcalls on it.
VLAN = ["-netdev", "hubport,id=n0,hubid=0", "-device", "spapr-vlan,netdev=n0"]


def pci_checks(lines):
    want = "%d passed, 0 failed" % PCI_CHECKS
    if want not in lines:
        return "no line %r (tests/guest/expected.py)" % want
    return None


def nvme_checks(lines):
    want = "%d passed, 0 failed" % (NVME_CHECKS + NVME_XICS_MSI +
                                    NVME_XICS_INTX)
    if want not in lines:
        return "no line %r (tests/guest/expected.py)" % want
    return None


# An nvme function on the default PHB, backed by QEMU's null block driver:
# the pci payload's config-space calls on it.
NVME = ["-blockdev", "driver=null-co,node-name=nul0",
        "-device", "nvme,drive=nul0,serial=pciref"]


def vscsi_args(build):
    """spapr-vscsi with a scsi-hd (target 0, LUN 0) on a fresh 1 MiB
    file of zeros, as lparvisor's blank disk."""
    disk = os.path.join(build, "logs", "vscsi-disk.img")
    os.makedirs(os.path.dirname(disk), exist_ok=True)
    with open(disk, "wb") as f:
        f.truncate(1 << 20)
    return ["-device", "spapr-vscsi,id=scsi0",
            "-drive", "if=none,id=d0,format=raw,file=%s" % disk,
            "-device", "scsi-hd,drive=d0,bus=scsi0.0,channel=0,scsi-id=0,"
            "lun=0"]


def vscsi_checks(lines):
    want = "%d passed, 0 failed" % VSCSI_CHECKS
    if want not in lines:
        return "no line %r (tests/guest/expected.py)" % want
    return None


# Runs that get a human monitor on a Unix socket, and the command typed
# on it as soon as QEMU listens: epow's power-off event (QEMU keeps it
# queued until the guest fetches it with check-exception).
MONITOR_COMMANDS = {"epow": "system_powerdown"}


def monitor_args(build, name):
    path = os.path.join(build, "logs", name + ".monitor")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if os.path.exists(path):
        os.unlink(path)
    return path, ["-monitor", "unix:%s,server=on,wait=off" % path]


def type_on_monitor(path, command, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
                s.connect(path)
                s.sendall(command.encode() + b"\n")
                time.sleep(0.5)  # let QEMU read it before we hang up
                return
        except OSError:
            time.sleep(0.1)


def epow_checks(lines):
    if "epow: waiting for the power-off event" not in lines:
        return "no line 'epow: waiting for the power-off event'"
    return None


# name, payload, extra QEMU arguments (a function of the build folder),
# extra console check.
RUNS = [
    ("hello", "hello", hello_args, hello_checks),
    ("hcall", "hcall", lambda b: RNG, hcall_checks),
    # Same payload without the RNG device: H_RANDOM must be H_FUNCTION.
    ("hcall-norng", "hcall", lambda b: [], None),
    # Same payload with a DMA window to map: the TCE hcalls on it.
    ("hcall-vlan", "hcall", lambda b: RNG + VLAN, hcall_vlan_checks),
    # ibm,os-term raises QEMU's guest-panicked event, whose default action
    # is to shut the VM down; panic=none lets the call return, as
    # /rtas/ibm,extended-os-term promises.
    ("rtas", "rtas", lambda b: ["-action", "panic=none"], None),
    ("smp", "smp", lambda b: [], None),
    ("kload", "kload", kload_args(0x400000), None),
    ("kload-32m", "kload", kload_args(0x2000000), None),
    ("ipi", "ipi", lambda b: [], None),
    ("fresh", "fresh", lambda b: [], None),
    ("nmi", "nmi", lambda b: [], None),
    ("vpa", "vpa", lambda b: [], None),
    ("pmu", "pmu", lambda b: [], None),
    ("pci", "pci", lambda b: NVME, pci_checks),
    ("vscsi", "vscsi", vscsi_args, vscsi_checks),
    # A POWER9 guest that never does CAS starts radix under TCG; the
    # POWER8 compatibility mode starts it with a hashed page table.
    ("hpt", "hpt", lambda b: ["-machine", "max-cpu-compat=power8"],
     hpt_checks),
    ("nvme", "nvme", lambda b: NVME, nvme_checks),
    ("epow", "epow", lambda b: [], epow_checks),
]

BE_TO_LE = ["mfmsr r10", "ori r11,r10,4099", "li r12,1", "sldi r12,r12,63",
            "or r11,r11,r12", "mtsrr1 r11", "bcl 20,4*cr7+so", "mflr r11",
            "addi r11,r11,16", "mtsrr0 r11", "rfid"]
TRAMPOLINES = ["boot_be", "secondary_entry"]


def disassemble(objdump, elf, start, count, big_endian):
    cmd = [objdump, "-d", "--start-address=%#x" % start,
           "--stop-address=%#x" % (start + 4 * count), elf]
    if big_endian:
        cmd.insert(1, "-EB")
    out = subprocess.run(cmd, capture_output=True, text=True,
                         check=True).stdout
    got = []
    for line in out.splitlines():
        m = re.match(r"\s*[0-9a-f]+:\s+(?:[0-9a-f]{2} ){4}\s*(.*)", line)
        if m:
            got.append(" ".join(m.group(1).split()))
    return got


def check_elf(objdump, elf):
    """None if the entry and the big-endian trampolines are right."""
    with open(elf, "rb") as f:
        head = f.read(64)
    if head[:4] != b"\x7fELF" or head[5] != 1:
        return "%s is not a little-endian ELF" % elf
    entry = struct.unpack_from("<Q", head, 24)[0]
    nm = objdump.replace("objdump", "nm")
    syms = {}
    for line in subprocess.run([nm, elf], capture_output=True, text=True,
                               check=True).stdout.splitlines():
        parts = line.split()
        if len(parts) == 3:
            syms[parts[2]] = int(parts[0], 16)
    # kload's ELF is a -kernel: entered at its own relocating entry.
    if entry != syms.get("kload_entry", 0x100):
        return "entry 0x%x, want 0x100" % entry
    # 0x100: a no-op read big-endian, a branch to 0x10c read little-endian.
    first = disassemble(objdump, elf, 0x100, 1, True)
    if not first or not first[0].startswith("twi 0,"):
        return "0x100 decodes big-endian as %s, want twi 0,..." % first
    first = disassemble(objdump, elf, 0x100, 1, False)
    if not first or not first[0].startswith("b 10c"):
        return "0x100 decodes little-endian as %s, want b 10c" % first
    for name in TRAMPOLINES:
        if name not in syms:
            return "symbol %s missing" % name
        got = disassemble(objdump, elf, syms[name], len(BE_TO_LE), True)
        if len(got) != len(BE_TO_LE) or not all(
                g.startswith(w) for g, w in zip(got, BE_TO_LE)):
            return "%s decodes big-endian as %s" % (name, got)
    return None


def run_one(args, qemu, name, payload, extra, check):
    """Returns (ok, detail, seconds, log path or None)."""
    start = time.monotonic()
    build = args.build
    binary = os.path.join(build, payload + ".bin")
    elf = os.path.join(build, payload + ".elf")
    for path in (binary, elf):
        if not os.path.exists(path):
            return False, "%s missing (build it first)" % path, 0.0, None
    if not args.objdump or not shutil.which(args.objdump):
        return False, "objdump %r not found" % args.objdump, 0.0, None
    bad = check_elf(args.objdump, elf)
    if bad:
        return False, bad, 0.0, None
    if not qemu:
        return False, "%s not found" % args.qemu, 0.0, None

    cmd = [qemu] + QEMU_BASE + extra(build) + ["-bios", binary]
    timed_out = False
    if name in MONITOR_COMMANDS:
        path, margs = monitor_args(build, name)
        cmd += margs
        threading.Thread(target=type_on_monitor, daemon=True,
                         args=(path, MONITOR_COMMANDS[name])).start()
    try:
        proc = subprocess.run(cmd, stdin=subprocess.DEVNULL,
                              capture_output=True, timeout=TIMEOUT_S)
        out, err, rc = proc.stdout, proc.stderr, proc.returncode
    except subprocess.TimeoutExpired as e:
        out, err, rc = e.stdout or b"", e.stderr or b"", None
        timed_out = True
    took = time.monotonic() - start
    console = out.decode("utf-8", "replace").replace("\r", "")
    stderr = err.decode("utf-8", "replace")
    log_path = os.path.join(build, "logs", name + ".log")
    os.makedirs(os.path.dirname(log_path), exist_ok=True)
    with open(log_path, "w") as log:
        log.write("$ %s\n" % " ".join(cmd))
        log.write("exit %s after %.2f s\n" % (
            "timeout" if timed_out else rc, took))
        log.write("--- console\n%s--- stderr\n%s" % (console, stderr))

    lines = [l.rstrip() for l in console.splitlines()]
    fails = [l for l in lines if l.startswith("FAIL")]
    results = [RESULT.match(l) for l in lines]
    results = [m for m in results if m]
    if timed_out:
        detail = "no power-off within %d s" % TIMEOUT_S
        if fails:
            detail += "; " + fails[0]
        return False, detail, took, log_path
    if fails:
        return False, "%s (and %d more)" % (fails[0], len(fails) - 1), \
            took, log_path
    if not results:
        return False, "no 'N passed, N failed' line (exit %s)" % rc, took, \
            log_path
    passed, failed = int(results[-1].group(1)), int(results[-1].group(2))
    if failed or not passed:
        return False, "payload reported %d passed, %d failed" % (
            passed, failed), took, log_path
    if rc != 0:
        return False, "QEMU exit status %s" % rc, took, log_path
    if check:
        bad = check(lines)
        if bad:
            return False, bad, took, log_path
    return True, "%d checks" % passed, took, log_path


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", required=True)
    parser.add_argument("--objdump", default="powerpc64le-linux-gnu-objdump")
    parser.add_argument("--qemu", default="qemu-system-ppc64")
    parser.add_argument("payloads", nargs="+")
    args = parser.parse_args()

    qemu = shutil.which(args.qemu)
    runs = [r for r in RUNS if r[1] in args.payloads]
    known = {r[1] for r in RUNS}
    unknown = [p for p in args.payloads if p not in known]
    passed = failed = 0
    with concurrent.futures.ThreadPoolExecutor(PARALLEL) as pool:
        futures = [pool.submit(run_one, args, qemu, *r) for r in runs]
        for (name, payload, _, _), fut in zip(runs, futures):
            ok, detail, took, log_path = fut.result()
            if ok:
                passed += 1
                print("PASS %s (%s, %.1f s)" % (name, detail, took))
            else:
                failed += 1
                print("FAIL %s: %s%s" % (
                    name, detail, " (log %s)" % log_path if log_path else ""))
            sys.stdout.flush()
    for p in unknown:
        failed += 1
        print("FAIL %s: no QEMU run defined in run-pseries.py" % p)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main())
