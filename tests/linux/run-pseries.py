#!/usr/bin/env python3
"""Boot the Debian Linux partition assets under QEMU's own pSeries machine.

Usage: run-pseries.py [--vmlinux F] [--initrd F] [--disk F] [--grub-disk F]
                      [--logs DIR] [--qemu Q]
                      [--timeout S] [--repeat N] [RUN...]

QEMU's `-M pseries` is the behavioural reference for what a Linux partition
under lparvisor must see: the same vmlinux and initramfs
(tools/linux/fetch.sh, tools/linux/mkinitramfs.sh) that configs/linux.dts
packs must pass every check of tests/linux/init there.  Each run boots

    qemu-system-ppc64 -M pseries,x-vof=on,ic-mode=xive|xics -cpu power9 -m MEM
        -smp N -nodefaults -nographic -chardev stdio,id=c
        -device spapr-vty,chardev=c -object rng-builtin,id=r
        -device spapr-rng,rng=r -kernel vmlinux -initrd initramfs.cpio.gz
        -append "console=hvc0 lparvisor.vcpus=N lparvisor.dmesg=1 quiet"

plus -no-reboot, a formatted NVRAM image (see nvram_image()) and, as in
lparvisor's scenarios, a v-scsi disk: QEMU's spapr-vscsi with a scsi-hd
on a copy of tests/linux/mkdisk.py's image grown to 8 MiB (read-only for
"smp2", as deb1's shared disk; read-write for "smp1"), checked by init's
lparvisor.disk=ro|rw.  x-vof=on
boots the kernel through QEMU's small Virtual Open Firmware instead of SLOF
(prom_init still runs and negotiates radix and XICS through CAS); it is
seconds faster.  "vlan-pair" (issue 13) boots two 1-vCPU guests with
spapr-vlan joined by -netdev socket, as net1 and net2 of
tests/boot/configs/vlan.dts: ping, 64 MiB with busybox nc, sha256.
"nic" (issue 17) boots one 1-vCPU XIVE guest with QEMU's e1000e on the
machine's PHB and p9-linux-nic's restricted user network (guestfwd to
tests/boot/nicserve.py), with nic's lparvisor.nic=1: DHCP, ping, the
4 MiB wget by sha256, MSI-X.
"grub" (issue 18) boots from a disk instead, as a distribution does:
`-M pseries,ic-mode=xive` with its SLOF, no -kernel, and the image of
tools/linux/mkgrubdisk.sh as the spapr-vscsi disk (read-only): SLOF
loads GRUB from the active PReP partition, GRUB's menu shows on the
console and its one entry boots the kernel and the test initramfs from
the ext4 partition, with the command line grub.cfg holds (1 vCPU, XIVE,
lparvisor.bootdisk=1: init checks where it came from).  The
runs mirror configs/linux.dts: "smp2" is deb1 (2
vCPUs, 1 GiB), "smp1" is deb2 (1 vCPU, 512 MiB).  They go two at a time.

Per run, one PASS/FAIL line for each of:
  boot         LINUX-USERSPACE-UP on the console (the time from QEMU's start
               is printed)
  <check>      the guest's own "PASS <check>" line, for every check init
               runs with that many vCPUs
  summary      the guest's "N passed, 0 failed" with every check counted
  powerdown    ("smp2" only) system_powerdown typed on QEMU's monitor once
               the guest waits for it: Linux's orderly shutdown messages
  poweroff     QEMU exited with status 0 (init's poweroff -f) in time
  dmesg-log    the kernel log came between DMESG-BEGIN and DMESG-END; it is
               saved to LOGS/<run>.dmesg
  radix        the kernel runs the radix MMU (the configuration's default)
  hash         (hash runs: disable_radix) the kernel runs the hash MMU
  power8       (p8: max-cpu-compat=power8) Linux reports POWER8 (architected)
  cas          (vof-*, slof-*: ic-mode=dual) CAS chose XIVE for the
               default kernel, XICS for xive=off (the kernel's xive lines)
  prom-init    (slof-*, grub) prom_init's lines on the console: "Preparing to
               boot", CAS "done", "Quiescing Open Firmware"
  slof-disk    ("grub") SLOF says it loaded from the v-scsi disk
  grub-menu    ("grub") GRUB's banner and menu entry, then its loading
               lines for the kernel and the initramfs, on the console
The hash runs ("hash2" XIVE, "hash2-xics", "p8", as the partitions of
tests/boot/configs/linux-hash.dts) add init's mmu and memstress checks.
The firmware runs ("vof-xive", "vof-xics", issue 18) are p9-linux-vof's
partitions: ic-mode=dual, 512 MiB, its init words (no disk, no watchdog
pet; xive=off for vof-xics); "slof-xive" and "slof-xics" are the same
on -M pseries with QEMU's SLOF instead of VOF.
Then "N passed, N failed".  A missing file or QEMU is a failure, never a
skip.  Console logs go to LOGS/<run>.log.  Kernel log lines that look like
warnings are listed as "  note" lines without failing anything (the guest's
own dmesg check decides).
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
import tempfile
import threading
import time

MARKER = b"LINUX-USERSPACE-UP"
TIMEOUT_S = 120
PARALLEL = 2
GUEST_RESULT = re.compile(r"^(\d+) passed, (\d+) failed$")
WARNING_LIKE = re.compile(
    r"warn|error|fail|unable|corrupt|bug|oops|stall|taint|unknown|"
    r"not supported|unsupported|broken", re.I)

# name: (vCPUs, memory): the two partitions of configs/linux.dts.
# name: vCPUs, memory, interrupt controller (as lparvisor's linux scenario:
# the SMP partition on XIVE, the other on XICS).
# "smp2" ends waiting for a power-off request (lparvisor.then=powerdown):
# system_powerdown, typed on QEMU's monitor, is the reference for
# lparvisor's orderly `stop` (the EPOW event, Linux's orderly_poweroff()).
# The hash runs (issue 15) mirror tests/boot/configs/linux-hash.dts: the
# same kernel with disable_radix (prom_init asks CAS for hash), SMP on XIVE
# and on XICS, and with max-cpu-compat=power8 (hash without being asked;
# XICS: QEMU 7.2 offers XIVE only to ISA 3.0 guests), each running the
# memory stress of the lparvisor scenario; its time is make bench's
# reference (tests/bench/run-hash-bench.py).
# The firmware runs (issue 18) mirror tests/boot/configs/linux-vof.dts
# (p9-linux-vof): the kernel through VOF on ic-mode=dual, so that prom_init
# negotiates the interrupt controller with CAS, XIVE for the default kernel
# and XICS with xive=off; 512 MiB each, the same init words (no disk, no
# watchdog pet).  Their intc is "dual-<what CAS must pick>".  The SLOF runs
# are the same on -M pseries without x-vof: QEMU's SLOF loads the kernel
# (qemu,boot-kernel) and runs its prom_init, whose lines it prints; they
# are the reference for firmware = "slof".
MEMSTRESS = "3,2,128"
RUNS = {
    "smp2": (2, "1G", "xive", "ro", True, "radix"),
    "smp1": (1, "512M", "xics", "rw", False, "radix"),
    "hash2": (2, "1G", "xive", "ro", False, "hash"),
    "hash2-xics": (2, "1G", "xics", "ro", False, "hash"),
    "p8": (1, "512M", "xics", "ro", False, "power8"),
    "vof-xive": (2, "512M", "dual-xive", None, False, "radix"),
    "vof-xics": (1, "512M", "dual-xics", None, False, "radix"),
    "slof-xive": (2, "512M", "dual-xive", None, False, "radix", "slof"),
    "slof-xics": (1, "512M", "dual-xics", None, False, "radix", "slof"),
    "grub": (1, "512M", "xive", "boot", False, "radix", "slof"),
}
# The whole line (the tty ends it \r\n), so that the kernel's answer
# cannot land inside it.
POWERDOWN_WAIT = re.compile(rb"lparvisor-linux: waiting for a power-off "
                            rb"request\r?\n")
# The kernel's own lines are not anchored at the start: the console is
# shared with user space, so a printk may follow a partial line of it.
POWERDOWN_LINES = [r"(\[ *[0-9.]+\] )?Power off requested$",
                   r"^lparvisor-linux: power-off requested: stopping "
                   r"processes$",
                   r"^lparvisor-linux: syncing and powering off$",
                   r"(\[ *[0-9.]+\] )?reboot: Power down$"]
PROM_INIT_LINES = ["Preparing to boot Linux version",
                   "Calling ibm,client-architecture-support... done",
                   "Quiescing Open Firmware ..."]
DISK_SIZE = 8 << 20             # lparvisor's disks in the Linux scenarios
ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x0c")
# "grub": what SLOF and GRUB print on the way (escapes removed).
FIRMWARE_LINES = [
    ("slof-disk", [r"Trying to load: .* from: /vdevice/v-scsi@[0-9a-f]+/"
                   r"disk@8000000000000000 \.\.\. +Successfully loaded"]),
    ("grub-menu", [r"GNU GRUB +version 2\.",
                   r"\*Debian GNU/Linux, lparvisor test initramfs",
                   r"The highlighted entry will be executed automatically",
                   r"Booting `Debian GNU/Linux, lparvisor test initramfs",
                   r"^lparvisor-grub: loading /boot/vmlinux-",
                   r"^lparvisor-grub: loading /boot/initrd\.img-"])]
# The checks tests/linux/init runs; cpu-hotplug and intc-ipis need a
# second vCPU, intc-ipis XIVE.  The 1-vCPU run, like the 1-vCPU partition
# of the lparvisor scenario, also pets and stops its watchdog
# (lparvisor.wdt=1: watchdog-pet).
# mmu and memstress only in the hash runs (lparvisor.mmu, .memstress).
CHECKS = ["nproc", "interrupts", "intc", "hwclock", "hwrng", "watchdog",
          "watchdog-pet", "cpu-hotplug", "intc-ipis", "perf-instructions",
          "mmu", "memstress",
          "nvram", "disk-read", "disk-ro", "disk-write", "boot-disk",
          "dmesg"]
# Disk "boot": SLOF and GRUB load the kernel from the disk (the "grub"
# run); init's boot-disk check replaces the disk-* checks.


def negotiated(intc):
    """(QEMU's ic-mode, the controller the guest must end up with)."""
    if intc.startswith("dual-"):
        return "dual", intc[len("dual-"):]
    return intc, intc


def checks_for(vcpus, intc, disk, mmu="radix"):
    dual = intc.startswith("dual-")
    intc = negotiated(intc)[1]
    return [c for c in CHECKS
            if (c != "cpu-hotplug" or vcpus > 1) and
            (c != "watchdog-pet" or (vcpus == 1 and not dual)) and
            (c != "intc-ipis" or (vcpus > 1 and intc == "xive")) and
            (c not in ("mmu", "memstress") or mmu != "radix") and
            (c != "disk-read" or (disk and disk != "boot")) and
            (c != "disk-ro" or disk == "ro") and
            (c != "disk-write" or disk == "rw") and
            (c != "boot-disk" or disk == "boot")]


def nvram_image(size=65536):
    """An NVRAM holding one free-space partition, as SLOF formats it.

    QEMU always gives a pseries machine an NVRAM; under VOF nobody formats
    it, and Linux then logs "WARNING: nvram corruption detected: 0-length
    partition", which init's dmesg check rightly flags.  lparvisor gives its
    partitions no NVRAM at all, so the reference boots with a formatted one:
    header = signature 0x7f (free), checksum, length in 16-byte blocks
    (big-endian), name "wwwwwwwwwwww"; checksum as Linux's nvram_checksum()
    (arch/powerpc/kernel/nvram_64.c).
    """
    sig, blocks, name = 0x7f, size // 16, b"w" * 12
    c = sig + blocks + sum(struct.unpack("<6H", name))
    c = ((c & 0xffff) + (c >> 16)) & 0xffff
    c2 = (c >> 8) + (c << 8)
    checksum = ((c + c2) >> 8) & 0xff
    header = struct.pack(">BBH12s", sig, checksum, blocks, name)
    return header + bytes(size - len(header))


def qemu_command(qemu, args, vcpus, mem, intc, nvram, disk, disk_file,
                 monitor=None, mmu="radix", firmware="vof"):
    ic_mode, intc = negotiated(intc)
    append = ("console=hvc0 lparvisor.vcpus=%d lparvisor.dmesg=1 "
              "lparvisor.intc=%s quiet" % (vcpus, intc))
    if disk:
        append += " lparvisor.disk=%s" % disk
    if ic_mode == "dual" and intc == "xics":
        append += " xive=off"
    machine = "pseries,%sic-mode=%s" % (
        "x-vof=on," if firmware == "vof" else "", ic_mode)
    if mmu == "hash":
        append += " disable_radix"
    elif mmu == "power8":
        machine += ",max-cpu-compat=power8"
    if mmu != "radix":
        append += " lparvisor.mmu=hash lparvisor.memstress=" + MEMSTRESS
    if vcpus == 1 and ic_mode != "dual":
        append += " lparvisor.wdt=1"
    extra = []
    if monitor:
        append += " lparvisor.then=powerdown"
        extra = ["-monitor", "unix:%s,server=on,wait=off" % monitor]
    if disk == "boot":
        # Nothing but the disk (SLOF boots it): the command line is
        # grub.cfg's.
        boot = []
    else:
        boot = ["-kernel", args.vmlinux, "-initrd", args.initrd,
                "-append", append]
    return [qemu] + extra + [
            "-M", machine, "-cpu", "power9",
            "-m", mem, "-smp", str(vcpus),
            "-nodefaults", "-nographic", "-no-reboot",
            "-chardev", "stdio,id=c,signal=off",
            "-device", "spapr-vty,chardev=c",
            "-object", "rng-builtin,id=r", "-device", "spapr-rng,rng=r",
            "-drive", "if=none,id=nvram,format=raw,file=%s" % nvram,
            "-global", "spapr-nvram.drive=nvram"] + ([
            "-device", "spapr-vscsi,id=scsi0",
            "-drive", "if=none,id=d0,format=raw,file=%s%s" % (
                disk_file, ",readonly=on" if disk in ("ro", "boot") else ""),
            "-device", "scsi-hd,drive=d0,bus=scsi0.0,channel=0,scsi-id=0,"
            "lun=0"] if disk else []) + boot


def type_on_monitor(path, command):
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.connect(path)
            s.sendall(command.encode() + b"\n")
            time.sleep(0.5)  # let QEMU read it before we hang up
    except OSError:
        pass  # the run then fails its powerdown check


def boot(cmd, timeout, monitor=None):
    """Run QEMU; (console bytes, stderr, rc or None, seconds to marker or
    None, seconds in all).  With `monitor`, system_powerdown is typed on
    it once the guest says it waits for a power-off request."""
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out = bytearray()
    marker = [None]
    typed = []

    def read_console():
        while True:
            chunk = os.read(proc.stdout.fileno(), 65536)
            if not chunk:
                return
            out.extend(chunk)
            if marker[0] is None and MARKER in out:
                marker[0] = time.monotonic() - start
            if monitor and not typed and POWERDOWN_WAIT.search(out):
                typed.append(True)
                type_on_monitor(monitor, "system_powerdown")

    errs = []
    readers = [threading.Thread(target=read_console, daemon=True),
               threading.Thread(target=lambda: errs.append(proc.stderr.read()),
                                daemon=True)]
    for t in readers:
        t.start()
    try:
        rc = proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        rc = None
    took = time.monotonic() - start
    for t in readers:
        t.join(5)
    stderr = errs[0] if errs else b""
    return bytes(out), stderr.decode("utf-8", "replace"), rc, marker[0], took


def run_one(args, qemu, name, vcpus, mem, intc, disk, powerdown, mmu,
            firmware="vof"):
    """Returns (results, notes, log path): results are (check, ok, detail)."""
    results = []

    def record(check, ok, detail=""):
        results.append(("%s/%s" % (name, check), ok, detail))

    for path in ((args.grub_disk,) if disk == "boot" else
                 (args.vmlinux, args.initrd, args.disk)):
        if not os.path.isfile(path):
            record("boot", False, "%s missing (make linux-assets)" % path)
            return results, [], None
    if not qemu:
        record("boot", False, "%s not found" % args.qemu)
        return results, [], None

    os.makedirs(args.logs, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=args.logs) as tmp:
        nvram = os.path.join(tmp, "nvram.img")
        with open(nvram, "wb") as f:
            f.write(nvram_image())
        disk_file = os.path.join(tmp, "disk.img")
        if disk == "boot":
            shutil.copyfile(args.grub_disk, disk_file)
        else:
            shutil.copyfile(args.disk, disk_file)
            os.truncate(disk_file, DISK_SIZE)
        monitor = os.path.join(tmp, "monitor") if powerdown else None
        cmd = qemu_command(qemu, args, vcpus, mem, intc, nvram, disk,
                           disk_file, monitor, mmu, firmware)
        out, stderr, rc, up, took = boot(cmd, args.timeout, monitor)

    console = out.decode("utf-8", "replace").replace("\r", "")
    if disk == "boot":
        # GRUB draws its menu with terminal escapes.
        console = ANSI_ESCAPE.sub("", console)
    log_path = os.path.join(args.logs, name + ".log")
    with open(log_path, "w") as log:
        log.write("$ %s\n" % " ".join(cmd))
        log.write("exit %s after %.2f s; %s at %s s\n" % (
            "timeout" if rc is None else rc, took, MARKER.decode(),
            "-" if up is None else "%.2f" % up))
        log.write("--- console\n%s--- stderr\n%s" % (console, stderr))
    lines = [l.rstrip() for l in console.splitlines()]

    # boot: the userspace marker (it may follow firmware text on its line).
    if up is None:
        record("boot", False, "no %s within %d s (exit %s)" % (
            MARKER.decode(), args.timeout, "timeout" if rc is None else rc))
    else:
        record("boot", True, "userspace %.1f s after QEMU start" % up)

    # prom_init's own lines, which SLOF's console shows (QEMU's VOF does
    # not), as p9-linux-vof wants them from lparvisor's firmware.
    if firmware == "slof":
        missing = [p for p in PROM_INIT_LINES
                   if not any(p in l for l in lines)]
        record("prom-init", not missing,
               "missing %r" % missing[0] if missing else
               "SLOF ran prom_init: CAS done, Open Firmware quiesced")

    if disk == "boot":
        for check, patterns in FIRMWARE_LINES:
            missing = [p for p in patterns
                       if not any(re.search(p, l) for l in lines)]
            record(check, not missing, "missing %r" % missing[0] if missing
                   else "%d lines seen" % len(patterns))

    # The guest's checks, each by name.
    guest = {}
    for l in lines:
        m = re.match(r"^(PASS|FAIL) ([a-z0-9-]+)(?::\s*(.*))?$", l)
        if m:
            guest.setdefault(m.group(2), (m.group(1) == "PASS",
                                          m.group(3) or ""))
    wanted = checks_for(vcpus, intc, disk, mmu)
    for check in wanted:
        if check not in guest:
            record(check, False, "the guest printed no PASS/FAIL %s" % check)
        else:
            ok, detail = guest[check]
            record(check, ok, detail)
    for check in sorted(set(guest) - set(wanted)):
        ok, detail = guest[check]
        if not ok:
            record(check, False, detail)

    summaries = [GUEST_RESULT.match(l) for l in lines]
    summaries = [m for m in summaries if m]
    if not summaries:
        record("summary", False, "no 'N passed, N failed' from the guest")
    else:
        p, f = int(summaries[-1].group(1)), int(summaries[-1].group(2))
        record("summary", f == 0 and p == len(wanted),
               "guest: %d passed, %d failed; %d checks expected" % (
                   p, f, len(wanted)))

    if powerdown:
        missing = [p for p in POWERDOWN_LINES
                   if not any(re.search(p, l) for l in lines)]
        record("powerdown", not missing,
               "missing %s" % missing[0] if missing else
               "system_powerdown: orderly shutdown, its messages seen")
    if rc is None:
        record("poweroff", False, "still running after %d s" % args.timeout)
    else:
        record("poweroff", rc == 0, "QEMU exit %d after %.1f s" % (rc, took))

    dmesg = None
    if "DMESG-BEGIN" in lines and "DMESG-END" in lines:
        b = lines.index("DMESG-BEGIN")
        e = lines.index("DMESG-END", b)
        dmesg = lines[b + 1:e]
    notes = []
    if not dmesg:
        record("dmesg-log", False, "no kernel log between DMESG-BEGIN/END")
    else:
        dmesg_path = os.path.join(args.logs, name + ".dmesg")
        with open(dmesg_path, "w") as f:
            f.write("\n".join(dmesg) + "\n")
        record("dmesg-log", True, "%d lines in %s" % (len(dmesg), dmesg_path))
        notes = [l for l in dmesg if WARNING_LIKE.search(l)]
        if mmu == "radix":
            radix = [l for l in dmesg if "Using radix MMU" in l]
            record("radix", bool(radix), radix[0] if radix else
                   "no 'Using radix MMU' in the kernel log")
        else:
            want = ("hash-mmu: Initializing hash mmu with SLB"
                    if mmu == "hash" else "POWER8 (architected)")
            got = [l for l in dmesg if want in l]
            record(mmu, bool(got), got[0] if got else
                   "no %r in the kernel log" % want)
        if intc.startswith("dual-"):
            # What CAS gave: the spapr XIVE backend's line, or none of it.
            xive = [l for l in dmesg if "xive: Interrupt handling "
                    "initialized with spapr backend" in l]
            want_xive = negotiated(intc)[1] == "xive"
            record("cas", bool(xive) == want_xive,
                   "CAS chose %s" % ("XIVE: " + xive[0] if xive else "XICS")
                   if bool(xive) == want_xive else
                   "CAS chose %s, %s wanted" % ("XIVE" if xive else "XICS",
                                                negotiated(intc)[1]))
    return results, notes, log_path


# The virtual LAN reference (issue 13): two 1-vCPU guests with spapr-vlan
# joined by -netdev socket (the first listens on a local port), running
# the same init words as net1 and net2 of tests/boot/configs/vlan.dts:
# the second pings the first and sends it 64 MiB with busybox nc, which the
# first checks by sha256.
VLAN_PAIR = [("vlan-recv", "02:00:00:00:0a:01",
              "lparvisor.eth0=10.13.1.1/24 lparvisor.netrecv=65536",
              ["net", "net-transfer"]),
             ("vlan-send", "02:00:00:00:0a:02",
              "lparvisor.eth0=10.13.1.2/24 lparvisor.netsend=10.13.1.1,65536",
              ["net", "net-ping", "net-send"])]


def run_vlan_pair(args, qemu):
    """[(check, ok, detail)] of the pair's run."""
    results = []
    if not qemu:
        return [("vlan-pair/boot", False, "%s not found" % args.qemu)]
    port = 42000 + os.getpid() % 1000
    # Two guests that wait for each other: more room than a lone boot on
    # a loaded host.
    timeout = max(args.timeout, 2 * TIMEOUT_S)
    os.makedirs(args.logs, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=args.logs) as tmp:
        procs, cmds = [], []
        for i, (name, mac, words, _) in enumerate(VLAN_PAIR):
            nvram = os.path.join(tmp, "nvram%d.img" % i)
            with open(nvram, "wb") as f:
                f.write(nvram_image())
            cmd = [qemu, "-M", "pseries,x-vof=on,ic-mode=xics",
                   "-cpu", "power9", "-m", "512M", "-smp", "1",
                   "-nodefaults", "-nographic", "-no-reboot",
                   "-chardev", "stdio,id=c,signal=off",
                   "-device", "spapr-vty,chardev=c",
                   "-object", "rng-builtin,id=r",
                   "-device", "spapr-rng,rng=r",
                   "-drive", "if=none,id=nvram,format=raw,file=%s" % nvram,
                   "-global", "spapr-nvram.drive=nvram",
                   "-kernel", args.vmlinux, "-initrd", args.initrd,
                   "-append", "console=hvc0 quiet lparvisor.vcpus=1 "
                   "lparvisor.intc=xics " + words]
            cmd += ["-netdev", "socket,id=n0,%s=127.0.0.1:%d" %
                    ("listen" if i == 0 else "connect", port),
                    "-device", "spapr-vlan,netdev=n0,mac=%s" % mac]
            cmds.append(cmd)
            box = {}
            t = threading.Thread(target=lambda c=cmd, b=box: b.update(
                zip(("out", "err", "rc", "up", "took"),
                    boot(c, timeout))), daemon=True)
            t.start()
            procs.append((t, box))
            time.sleep(1)  # the listener first
        for t, _ in procs:
            t.join(timeout + 30)
    for (name, _, _, checks), (_, box), cmd in zip(VLAN_PAIR, procs, cmds):
        console = box.get("out", b"").decode("utf-8", "replace").replace(
            "\r", "")
        log_path = os.path.join(args.logs, name + ".log")
        with open(log_path, "w") as log:
            log.write("$ %s\n--- console\n%s--- stderr\n%s" % (
                " ".join(cmd), console, box.get("err", "")))
        lines = [l.rstrip() for l in console.splitlines()]
        for c in checks:
            got = [l for l in lines if re.match(r"^(PASS|FAIL) %s(:|$)" %
                                                re.escape(c), l)]
            results.append(("%s/%s" % (name, c),
                            bool(got) and got[0].startswith("PASS"),
                            got[0] if got else "no PASS/FAIL %s (log %s)" %
                            (c, log_path)))
        summary = [l for l in lines if GUEST_RESULT.match(l)]
        results.append(("%s/summary" % name,
                        bool(summary) and summary[-1].endswith(" 0 failed"),
                        summary[-1] if summary else "no summary (log %s)" %
                        log_path))
        rc = box.get("rc")
        results.append(("%s/poweroff" % name, rc == 0,
                        "QEMU exit %s" % ("timeout" if rc is None else rc)))
    return results


# The NIC reference (issue 17): one 1-vCPU XIVE guest with QEMU's e1000e
# on its own PHB and the user network of the p9-linux-nic scenario
# (restrict=on, tests/boot/nicserve.py through guestfwd), with nic's init
# word lparvisor.nic=1: DHCP, the gateway's ping, the 4 MiB wget by
# sha256 (also compared with nicserve.py's own), MSI-X counted.
NIC_CHECKS = ["nic", "nic-dhcp", "nic-ping", "nic-wget", "nic-msi"]


def run_nic(args, qemu):
    """[(check, ok, detail)] of the NIC reference run."""
    if not qemu:
        return [("nic/boot", False, "%s not found" % args.qemu)]
    boot_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                            "..", "boot")
    sys.path.insert(0, boot_dir)
    import nicserve
    serve = os.path.abspath(os.path.join(boot_dir, "nicserve.py"))
    os.makedirs(args.logs, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=args.logs) as tmp:
        nvram = os.path.join(tmp, "nvram.img")
        with open(nvram, "wb") as f:
            f.write(nvram_image())
        cmd = [qemu, "-M", "pseries,x-vof=on,ic-mode=xive",
               "-cpu", "power9", "-m", "512M", "-smp", "1",
               "-nodefaults", "-nographic", "-no-reboot",
               "-chardev", "stdio,id=c,signal=off",
               "-device", "spapr-vty,chardev=c",
               "-object", "rng-builtin,id=r", "-device", "spapr-rng,rng=r",
               "-drive", "if=none,id=nvram,format=raw,file=%s" % nvram,
               "-global", "spapr-nvram.drive=nvram",
               "-netdev", "user,id=n0,restrict=on,guestfwd=tcp:10.0.2.100:"
               "80-cmd:python3 %s" % serve,
               "-device", "e1000e,netdev=n0,romfile=",
               "-kernel", args.vmlinux, "-initrd", args.initrd,
               "-append", "console=hvc0 quiet lparvisor.vcpus=1 "
               "lparvisor.intc=xive lparvisor.nic=1"]
        out, stderr, rc, up, took = boot(cmd, args.timeout)
    console = out.decode("utf-8", "replace").replace("\r", "")
    log_path = os.path.join(args.logs, "nic.log")
    with open(log_path, "w") as log:
        log.write("$ %s\n--- console\n%s--- stderr\n%s" % (
            " ".join(cmd), console, stderr))
    lines = [l.rstrip() for l in console.splitlines()]
    results = []
    for c in NIC_CHECKS:
        got = [l for l in lines if re.match(r"^(PASS|FAIL) %s(:|$)" %
                                            re.escape(c), l)]
        results.append(("nic/%s" % c, bool(got) and got[0].startswith("PASS"),
                        got[0] if got else "no PASS/FAIL %s (log %s)" %
                        (c, log_path)))
    want = nicserve.blob_sha256()
    sha = [l for l in lines if re.match(r"^lparvisor-linux: wget \d+ bytes "
                                        r"in .* sha256 %s$" % want, l)]
    results.append(("nic/sha256", bool(sha), sha[0] if sha else
                    "no wget line with sha256 %s (log %s)" % (want,
                                                             log_path)))
    summary = [l for l in lines if GUEST_RESULT.match(l)]
    results.append(("nic/summary",
                    bool(summary) and summary[-1].endswith(" 0 failed"),
                    summary[-1] if summary else "no summary (log %s)" %
                    log_path))
    results.append(("nic/poweroff", rc == 0,
                    "QEMU exit %s" % ("timeout" if rc is None else rc)))
    return results


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--vmlinux", default="build/linux/vmlinux")
    parser.add_argument("--initrd", default="build/linux/initramfs.cpio.gz")
    parser.add_argument("--disk", default="build/linux/disk.img")
    parser.add_argument("--grub-disk", default="build/linux/grub-disk.img")
    parser.add_argument("--logs", default="build/linux/logs")
    parser.add_argument("--qemu", default="qemu-system-ppc64")
    parser.add_argument("--timeout", type=int, default=TIMEOUT_S)
    parser.add_argument("--repeat", type=int, default=1,
                        help="boot each run this many times (timing)")
    parser.add_argument("runs", nargs="*",
                        default=list(RUNS) + ["vlan-pair", "nic"])
    args = parser.parse_args()

    qemu = shutil.which(args.qemu)
    unknown = [r for r in args.runs
               if r not in RUNS and r not in ("vlan-pair", "nic")]
    jobs = []
    for i in range(args.repeat):
        for r in args.runs:
            if r in RUNS:
                name = r if args.repeat == 1 else "%s.%d" % (r, i + 1)
                jobs.append((name,) + RUNS[r])
    passed = failed = 0
    with concurrent.futures.ThreadPoolExecutor(PARALLEL) as pool:
        futures = [pool.submit(run_one, args, qemu, *j) for j in jobs]
        for fut in futures:
            results, notes, log_path = fut.result()
            for check, ok, detail in results:
                if ok:
                    passed += 1
                    print("PASS %s%s" % (check, " (%s)" % detail
                                         if detail else ""))
                else:
                    failed += 1
                    print("FAIL %s: %s%s" % (check, detail, " (log %s)" %
                                             log_path if log_path else ""))
            for l in notes:
                print("  note %s: %s" % (results[0][0].split("/")[0], l))
            sys.stdout.flush()
    if "vlan-pair" in args.runs:
        for check, ok, detail in run_vlan_pair(args, qemu):
            passed += ok
            failed += not ok
            print("%s %s%s" % ("PASS" if ok else "FAIL", check,
                               (" (%s)" % detail if ok else ": %s" % detail)
                               if detail else ""))
        sys.stdout.flush()
    if "nic" in args.runs:
        for check, ok, detail in run_nic(args, qemu):
            passed += ok
            failed += not ok
            print("%s %s%s" % ("PASS" if ok else "FAIL", check,
                               (" (%s)" % detail if ok else ": %s" % detail)
                               if detail else ""))
        sys.stdout.flush()
    for r in unknown:
        failed += 1
        print("FAIL %s: no such run (known: %s)" % (r, ", ".join(RUNS)))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main())
