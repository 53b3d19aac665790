#!/usr/bin/env python3
"""Boot lparvisor under QEMU's PowerNV machine.

As a command (make run): start QEMU on the terminal, console on stdio with
QEMU's Ctrl-A escapes (Ctrl-A x quits).  As a module (tests/boot/): start
QEMU with the console on a pipe and collect every console line with the
time it arrived, counted from QEMU's start.

The machine: skiboot from Debian's qemu-system-data (QEMU's default -bios),
one thread per core (QEMU 7.2 with skiboot 7.0 cannot run SMT), -nodefaults
for speed, and the IPMI BMC simulator so that OPAL_CEC_POWER_DOWN works
(skiboot's QEMU platform powers off over IPMI).
"""
import argparse
import os
import re
import subprocess
import sys
import threading
import time

QEMU = "qemu-system-ppc64"


def qemu_command(machine, cores, mem, kernel, append="", interactive=False,
                 initrd=None, pnor=None, pci=None):
    """kernel=None with pnor=IMAGE boots from the flash image alone:
    skiboot loads BOOTKERNEL and ROOTFS from it (tools/mkpnor.py).
    pci=[args]: the machine with QEMU's defaults, whose PCI host bridges
    (six PHB4s on powernv9, root ports pcie.0 to pcie.5) exist only without
    -nodefaults, and its default BMC; `args` add devices behind them.
    skiboot then spends seconds training their links."""
    cmd = [QEMU, "-M", machine, "-m", mem,
           "-smp", "%d,cores=%d,threads=1" % (cores, cores)]
    if pci is None:
        cmd += ["-nodefaults", "-nographic",
                "-device", "ipmi-bmc-sim,id=bmc0",
                "-device", "isa-ipmi-bt,bmc=bmc0,irq=10"]
    else:
        cmd += ["-nographic"] + list(pci)
    if kernel:
        cmd += ["-kernel", kernel]
    if pnor:
        # The first if=mtd drive backs QEMU's PNOR (hw/ppc/pnv.c); the
        # BMC above gives skiboot its HIOMAP access to it.
        cmd += ["-drive", "file=%s,format=raw,if=mtd" % pnor]
    if interactive:
        cmd += ["-serial", "mon:stdio"]
    else:
        cmd += ["-serial", "stdio", "-monitor", "none"]
    if initrd:
        cmd += ["-initrd", initrd]
    if append:
        cmd += ["-append", append]
    return cmd


class Run:
    """One finished (or timed-out) QEMU run."""

    def __init__(self):
        self.lines = []        # (seconds since start, text)
        self.exit_status = None
        self.timed_out = False
        self.stopped = False   # killed on purpose by stop_when
        self.duration = 0.0
        self.start = None      # time.monotonic() when QEMU was started

    def text(self):
        return "\n".join(t for _, t in self.lines)

    def first_time(self, needle):
        for t, line in self.lines:
            if needle in line:
                return t
        return None


# "[name]+ rest": the continuation of a guest line cut at 80 columns.
CONTINUED = re.compile(r"^\[([^\]\s]+)\]\+ (.*)$")

# skiboot's own warning at the end of a slow OPAL call, which it writes to
# the console whatever else is on the row: on a loaded host it lands in
# the middle of a line lparvisor was writing ("[nva] 8 passed, 0 failed[
# 5.09,4] Spent 1576 msecs in OPAL call 10!"), followed by a row break.
SKIBOOT_SLOW = re.compile(r"\[\s*\d+\.\d+,\d\] Spent \d+ msecs in OPAL call "
                          r"\d+!$")


ESCAPE = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|[^\[])")


def console_row(raw):
    """A console line as a terminal shows it: a carriage return, backspace
    or cursor-left escape moves where the next text lands (a guest
    redrawing its line; lparvisor redraws its prefix then too), other
    escape sequences show nothing.  So a guest line that moves onto its
    prefix shows up here as the forgery it would be on a terminal."""
    cells, pos = [], 0
    text = raw.rstrip("\r\n")
    i = 0
    while i < len(text):
        ch = text[i]
        m = ESCAPE.match(text, i) if ch == "\x1b" else None
        if m:
            seq = m.group(1)
            if seq == "[K":
                del cells[pos:]  # erase to the end of the row
            elif seq.endswith("D") or seq.endswith("C"):
                n = int(seq[1:-1]) if seq[1:-1].isdigit() else 1
                pos = max(0, pos - n) if seq.endswith("D") else pos + n
            i = m.end()
            continue
        if ch == "\r":
            pos = 0
        elif ch == "\b":
            pos = max(0, pos - 1)
        else:
            cells.extend(" " * (pos - len(cells)))
            if pos < len(cells):
                cells[pos] = ch
            else:
                cells.append(ch)
            pos += 1
        i += 1
    return "".join(cells)


def run_captured(cmd, timeout, log_path=None, stop_on=None, stop_when=None,
                 script=None):
    """Run QEMU, collect lines; kill it after `timeout` seconds, or once a
    line containing `stop_on` has been seen (and 1 s more has passed), or
    once `stop_when(lines)` returns true (run.stopped is then set).
    `script` is a list of (regex, bytes): each time a console line matches
    the next regex, its bytes are typed on the console."""
    run = Run()
    start = run.start = time.monotonic()
    script = list(script or [])
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE if script else
                            subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    stop_seen = threading.Event()

    notes = []  # skiboot warnings cut out of a line, told after it

    def append(text):
        for n in notes:
            run.lines.append((time.monotonic() - start, n))
        notes.clear()
        run.lines.append((time.monotonic() - start, text))

    def reader():
        for raw in proc.stdout:
            text = console_row(raw.decode("utf-8", "replace"))
            m = SKIBOOT_SLOW.search(text)
            note = None
            if m and m.start() > 0:
                note, text = text[m.start():], text[:m.start()]
            elif notes and not text:
                continue  # the row break skiboot's warning left
            m = CONTINUED.match(text)
            if m and run.lines and run.lines[-1][1].startswith(
                    "[%s] " % m.group(1)):
                # A row lparvisor cut at 80 columns (vio/vty_filter.h):
                # joined back to the line it continues.
                text = run.lines[-1][1] + m.group(2)
                run.lines[-1] = (run.lines[-1][0], text)
            else:
                append(text)
            if note:
                notes.append(note)
            if script and re.search(script[0][0], text):
                time.sleep(0.3)
                proc.stdin.write(script.pop(0)[1])
                proc.stdin.flush()
            if stop_on and stop_on in text:
                stop_seen.set()
            if stop_when and not run.stopped and \
                    stop_when([l for _, l in run.lines]):
                run.stopped = True
                stop_seen.set()
        for n in notes:
            run.lines.append((time.monotonic() - start, n))

    t = threading.Thread(target=reader, daemon=True)
    t.start()
    deadline = start + timeout
    while proc.poll() is None:
        now = time.monotonic()
        if now >= deadline:
            run.timed_out = not run.stopped
            break
        if stop_seen.is_set():
            stop_seen.clear()
            deadline = min(deadline, now + (0.2 if run.stopped else 1.0))
            stop_on = None
        time.sleep(0.05)
    if proc.poll() is None:
        proc.kill()
    proc.wait()
    t.join(timeout=5)
    run.exit_status = proc.returncode
    run.duration = time.monotonic() - start
    if log_path:
        os.makedirs(os.path.dirname(log_path), exist_ok=True)
        with open(log_path, "w") as f:
            f.write("# %s\n" % " ".join(cmd))
            for ts, line in run.lines:
                f.write("[%8.3f] %s\n" % (ts, line))
            f.write("# exit status %s%s after %.2f s\n" % (
                run.exit_status, " (killed: timeout)" if run.timed_out else "",
                run.duration))
    return run


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--machine", default="powernv9")
    ap.add_argument("--cores", type=int, default=4)
    ap.add_argument("--mem", default="4G")
    ap.add_argument("--kernel", default=None)
    ap.add_argument("--append", default="")
    ap.add_argument("--initrd", default=None,
                    help="boot bundle (FIT) handed over as skiboot's initramfs")
    ap.add_argument("--pnor", default=None,
                    help="PNOR image (tools/mkpnor.py) to boot from")
    args = ap.parse_args()
    if not args.kernel and not args.pnor:
        ap.error("--kernel or --pnor is needed")
    if not args.kernel and (args.initrd or args.append):
        ap.error("--initrd and --append need --kernel")
    cmd = qemu_command(args.machine, args.cores, args.mem, args.kernel,
                       args.append, interactive=True, initrd=args.initrd,
                       pnor=args.pnor)
    print("lparvisor: %s  (Ctrl-A x quits QEMU)" % " ".join(cmd), flush=True)
    os.execvp(cmd[0], cmd)


if __name__ == "__main__":
    sys.exit(main())
