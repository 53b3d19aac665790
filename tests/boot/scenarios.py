"""Boot scenarios: a QEMU machine, lparvisor boot options, and what the
console must and must not show.  Patterns are Python regular expressions
searched line by line; `expect` patterns must appear in the given order;
each of `checks` is called with the lines and returns a problem or None.
"""
import re

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "guest"))
from expected import (HCALL_CHECKS, HCALL_LPARVISOR_ONLY,  # noqa: E402
                      HCALL_VIO_WINDOW_CHECKS, HCALL_LLAN_CHECKS,
                      HCALL_LLAN_LPARVISOR_ONLY)
from expected import PCI_CHECKS, PCI_LPARVISOR_ONLY, PCI_NO_PHB_CHECKS  # noqa: E402,E501
from expected import VSCSI_CHECKS, VSCSI_LPARVISOR_ONLY  # noqa: E402
from expected import HPT_CHECKS, HPT_XIVE_CHECKS  # noqa: E402
from expected import (NVME_CHECKS, NVME_LPARVISOR_ONLY,  # noqa: E402
                      NVME_XICS_MSI, NVME_XIVE_MSI, NVME_XICS_INTX,
                      NVME_XIVE_INTX)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import nicserve  # noqa: E402

# tests/guest/viospair.c (issue 14) in scenario p9-vios-payload: the
# server's and the client's checks (no QEMU reference: QEMU has no
# v-scsi-host).
VIOSPAIR_SERVER_CHECKS = 53
VIOSPAIR_CLIENT_CHECKS = 19

PIRS_P9 = [0x0, 0x4, 0x8, 0xc]

COMMON_FORBID = [r"PANIC", r"unexpected interrupt", r"did not arrive",
                 r"Fatal Exception", r"firmware would not start",
                 r"options: ignored",
                 # Console forgery (tests/guest/hello.c forge_lines()).
                 r"^lparvisor: forged", r"^\[forged\]"]


def _prods_counted(lines):
    """The profile counts exactly the payload's H_PRODs: one a round (20)
    plus the repeats it printed (a round trip slower than 2 ms)."""
    counted = repeats = None
    for l in lines:
        m = re.search(r'^lparvisor: profile "bench": hcall 0x0e8 H_PROD: '
                      r'(\d+), ', l)
        if m:
            counted = int(m.group(1))
        m = re.search(r"BENCH-NOTE cede-prod: (\d+) H_PROD repeated", l)
        if m:
            repeats = int(m.group(1))
    want = 20 + (repeats or 0)
    if counted != want:
        return "H_PROD counted %s times, the payload made %d" % (counted, want)
    return None


def _one_keeper(lines):
    """Issue 21: with every thread bound to a vCPU, only the thread that
    keeps house takes the 1 ms tick: of the three spinning one-vCPU
    partitions of p9-tickless-full exactly one shows hypervisor
    decrementer exits (hundreds in 3 s), the other two at most 2 (their
    HDEC is 4.2 s away).  Before, every vCPU thread ticked."""
    hdec = {}
    for l in lines:
        m = re.search(r'^lparvisor: profile "(spin\d)": (\d+) vCPUs', l)
        if m:
            hdec.setdefault(m.group(1), 0)
        m = re.search(r'^lparvisor: profile "(spin\d)": exit 0x980 '
                      r'[^:]*: (\d+), ', l)
        if m:
            hdec[m.group(1)] = int(m.group(2))
    if sorted(hdec) != ["spin0", "spin1", "spin2"]:
        return "profiles of %s, want spin0-2" % sorted(hdec)
    ticking = [p for p, n in sorted(hdec.items()) if n > 2]
    if len(ticking) != 1:
        return ("hypervisor decrementer exits %s: want exactly one "
                "partition (the keeper's) with more than 2" % hdec)
    return None


def _tickless(lines):
    """Issue 21: the two spinning vCPUs of "quiet" took no hypervisor
    decrementer exit at all in their 5 s of spinning: with nothing
    pending their HDEC is 2^50 ticks away on POWER9 (guest_probe_hdec());
    with the 32-bit value of before each took one every 4.2 s, and with
    the 1 ms tick thousands.  Exits other than its own hcalls (0xc00): at
    most two, whatever their vector, besides
    the HDSI/HISI (0xe00, 0xe20) of its first touches of memory not yet
    cleared (at most the chunks the profile says guest faults cleared,
    plus one a vCPU lost to another thread clearing it)."""
    exits = {}
    touch = None
    for l in lines:
        m = re.search(r'^lparvisor: profile "quiet": memory cleared on first '
                      r'touch: 2 MiB chunks cleared at a guest fault (\d+),',
                      l)
        if m:
            touch = int(m.group(1))
        m = re.search(r'^lparvisor: profile "quiet": exit (0x[0-9a-f]+) '
                      r'[^:]*: (\d+), ', l)
        if m:
            exits[m.group(1)] = int(m.group(2))
    if not exits:
        return 'no exit profile of "quiet"'
    hdec = exits.get("0x980", 0)
    faults = exits.get("0xe00", 0) + exits.get("0xe20", 0)
    if touch is None:
        return 'no first-touch line in the profile of "quiet"'
    if faults > 2 * touch + 2:
        return ("%d HDSI/HISI exits for %d chunks cleared at a guest fault"
                % (faults, touch))
    other = sum(n for v, n in exits.items() if v not in ("0xc00", "0xe00",
                                                          "0xe20"))
    if hdec or other > 2:
        return ("the spinning vCPUs took %d hypervisor decrementer exits "
                "(want none), %d exits other than hcalls (at most 2)"
                % (hdec, other))
    return None


def _nic_sha(part):
    """A check: every wget of `part` (lines "lparvisor-linux: wget N bytes
    in ... sha256 X") got the whole blob nicserve.py serves, by sha256
    computed here, not only by what the server told the guest."""
    want = nicserve.blob_sha256()

    def check(lines):
        got = [m.groups() for m in (
            re.search(r"^\[%s\] lparvisor-linux: wget (\d+) bytes in .* "
                      r"sha256 ([0-9a-f]{64})$" % part, l) for l in lines) if m]
        if not got:
            return "%s printed no wget line" % part
        for size, sha in got:
            if int(size) != nicserve.BLOB_BYTES or sha != want:
                return ("%s fetched %s bytes, sha256 %s; nicserve.py serves "
                        "%d bytes, sha256 %s" % (part, size, sha,
                                                 nicserve.BLOB_BYTES, want))
        return None
    return check


# QEMU's user network for the NIC scenarios: restrict=on (no packet
# leaves the machine; QEMU's DHCP server and gateway still answer), and
# 10.0.2.100:80 forwarded to tests/boot/nicserve.py, run per connection.
NIC_NETDEV = ("user,id=n0,restrict=on,guestfwd=tcp:10.0.2.100:80-"
              "cmd:python3 @HERE/nicserve.py")


def _cpus_online(pirs):
    return [r"^cpu 0x%x: chip 0 core 0x%x online" % (p, p) for p in pirs]


def _xive_payloads(name, machine, what):
    """The XIVE payload scenario (tests/boot/configs/xive.dts) on one
    machine: the xive payload passes next to an XICS partition, and a
    XIVE partition touching a LISN it was not given is stopped."""
    return dict(
        name=name, what=what, machine=machine, cores=6, mem="4G",
        bundle="build/bundle/test/xive.itb",
        expect=[r"^lparvisor: every partition has stopped; powering off",
                r"OPAL: Shutdown request"],
        expect_any_order=[
            r"^\[xive\] \d+ passed, 0 failed$",
            r"^\[xive\] PASS 2600 IPIs through a 4 KiB queue$",
            r"^\[xive\] PASS an IPI wakes vCPU 2 from H_CEDE$",
            r"^\[smp\] \d+ passed, 0 failed$",
            r'^lparvisor: partition "probe-esb" vCPU 0: data access outside '
            r'its memory .*HDAR 0x601000a000000, HDSISR 0x42000000',
            r'^lparvisor: partition "probe-esb" crashed$',
            r'^lparvisor: partition "xive" powered off$'],
        forbid=COMMON_FORBID + [r"^\[(xive|smp)\] FAIL",
                                r'"(xive|smp)" crashed',
                                r"hypervisor interrupt while"],
        exit_status=0)


def _noisy(mode, what):
    """A partition of two vCPUs making noise (tests/guest/noisy.c,
    tests/boot/configs/noisy-MODE.dts) next to "steady", whose heartbeat
    must keep its longest gap under the maxgap= of its bootargs."""
    return dict(
        name="p9-noisy-" + mode, what=what,
        machine="powernv9", cores=4, mem="2G",
        bundle="build/bundle/test/noisy-%s.itb" % mode,
        expect=[r"^lparvisor: every partition has stopped; powering off",
                r"OPAL: Shutdown request"],
        expect_any_order=[r"^\[noisy\] noisy: mode %s for 7000 ms on 2 "
                          r"vCPUs$" % mode,
                          r"^\[noisy\] \d+ passed, 0 failed$",
                          r"^\[steady\] heartbeat 50$",
                          r"^\[steady\] longest heartbeat gap \d+ us, \d+ "
                          r"over 150 ms$",
                          r"^\[steady\] PASS 50 heartbeats 100 ms apart$",
                          r"^\[steady\] \d+ passed, 0 failed$"],
        forbid=COMMON_FORBID + [r"FAIL", r"crashed",
                                r"hypervisor interrupt while"],
        exit_status=0, timeout=120)


def _nvkeep(lines, part):
    """What the nvkeep payload of `part` found (0 for blank, None if it
    said nothing) and the last generation it stored (None if none)."""
    found = stored = None
    for l in lines:
        m = re.search(r"^\[%s\] nvkeep: found (blank|generation (\d+))$"
                      % part, l)
        if m:
            found = int(m.group(2)) if m.group(2) else 0
        m = re.search(r"^\[%s\] nvkeep: stored generation (\d+)$" % part, l)
        if m:
            stored = int(m.group(1))
    return found, stored


def _nvkeep_old_or_new(prev, lines):
    """Each partition finds what its last store that returned success
    wrote, or the store that was under way when the power went (one
    more), never anything older: the NVRAM in flash is old or new."""
    for part in ("nva", "nvb"):
        pfound, pstored = _nvkeep(prev, part)
        found, _ = _nvkeep(lines, part)
        last = pstored if pstored is not None else pfound
        if last is None or found is None:
            return "%s: no nvkeep lines to compare (%s, %s)" % (part, last,
                                                                found)
        if found not in (last, last + 1):
            return ("%s: found generation %d after the boot before stored "
                    "%d: not old or new" % (part, found, last))
    return None


def _nvkeep_kill(count):
    """A boot of the nvkeep image killed (the power cut) 0.2 s after each
    partition printed `count` more stored generations."""
    return ("boot", dict(
        expect_any_order=[r"^\[nva\] nvkeep: found generation \d+$",
                          r"^\[nvb\] nvkeep: found generation \d+$"],
        stop_when={r"^\[nva\] nvkeep: stored": count,
                   r"^\[nvb\] nvkeep: stored": count},
        checks_prev=[_nvkeep_old_or_new],
        forbid=COMMON_FORBID + [r"FAIL", r"crashed", r"in memory only"],
        timeout=120))


def _nvlife_kept(prev, lines):
    """p9-linux-flash-nvram: the life after the power-off found the marker
    its previous life wrote through /dev/nvram, the same NVRAM partitions
    (Linux made none anew), and the oops record of that life's panic (the
    panic line with the same kernel timestamp)."""
    def grab(ls, pat):
        return [m.group(1) for m in (re.search(pat, l) for l in ls) if m]
    wrote = grab(prev, r"^\[nvlinux\] lparvisor-linux: nvram marker written: "
                       r"(lpv-mark-[0-9a-f]{16})$")
    found = grab(lines, r"^\[nvlinux\] lparvisor-linux: nvram marker found: "
                        r"(lpv-mark-[0-9a-f]{16})$")
    if not wrote or wrote != found:
        return "marker written %s, found %s" % (wrote, found)
    part = r"^\[nvlinux\]   (nvram partition @.*)$"
    if not grab(prev, part) or grab(prev, part) != grab(lines, part):
        return "NVRAM partitions %s before, %s after" % (grab(prev, part),
                                                        grab(lines, part))
    panic = r"(\[ *\d+\.\d+\] Kernel panic - not syncing: sysrq triggered " \
            r"crash)$"
    said = grab(prev, r"^\[nvlinux\] " + panic)
    kept = grab(lines, r"^\[nvlinux\]   " + panic)
    if not said or said[:1] != kept:
        return "panic line %s, the record's %s" % (said, kept)
    return None


SCENARIOS = [
    dict(
        name="p9-4core-2g",
        what="POWER9, 4 cores, 2 GiB: inventory, every core up, power-off",
        machine="powernv9", cores=4, mem="2G",
        expect=[r"^lparvisor \S+: hypervisor for IBM POWER",
                r"^machine: qemu,powernv9, POWER9 \(PVR 0x004e1200\), 1 chip, "
                r"4 cores, 4 threads, timebase 512000000 Hz",
                r"^chip 0: core 0x0 \[threads 0x0\] core 0x4 \[threads 0x4\] "
                r"core 0x8 \[threads 0x8\] core 0xc \[threads 0xc\]$",
                r"^reserved: 0x0000000030000000-0x00000000305fffff "
                r"ibm,firmware-code",
                r"^reserved: 0x0000203ffd800000-0x0000203ffdbfffff "
                r"ibm,homer-image.*\(outside memory\)",
                r"^opal: base 0x30000000 entry 0x3000",
                r"^xive: presenter"]
        + [r"^cpu 0x[048c]: .* online"] * 4
        + [r"^mm: memory 2048 MiB",
           r"^lparvisor: ready: 4 of 4 cpus online",
           r"OPAL: Shutdown request"],
        expect_any_order=_cpus_online(PIRS_P9),
        memory=["0x0000000000000000-0x000000007fffffff 2 GiB (chip 0)"],
        forbid=COMMON_FORBID,
        exit_status=0),
    dict(
        name="p9-1core-8g",
        what="POWER9, 1 core, 8 GiB: memory map and single-thread boot",
        machine="powernv9", cores=1, mem="8G",
        expect=[r"^machine: qemu,powernv9, POWER9 .* 1 chip, 1 cores, "
                r"1 threads",
                r"^cpu 0x0: chip 0 core 0x0 online boot",
                r"^mm: memory 8192 MiB",
                r"^lparvisor: ready: 1 of 1 cpus online",
                r"OPAL: Shutdown request"],
        memory=["0x0000000000000000-0x00000001ffffffff 8 GiB (chip 0)"],
        forbid=COMMON_FORBID,
        exit_status=0),
    dict(
        name="p9-cpu-never-arrives",
        what="a thread that never reports in is named and left out",
        machine="powernv9", cores=4, mem="2G",
        append="debug.hang_cpu=secondary smp_timeout_ms=300",
        expect=[r"^smp: cpu 0x[048c] \(chip 0\) did not arrive within 300 ms; "
                r"continuing without it",
                r"^cpu 0x[048c]: chip 0 core 0x[048c] FAILED",
                r"^lparvisor: ready: 3 of 4 cpus online",
                r"OPAL: Shutdown request"],
        forbid=[r"PANIC", r"unexpected interrupt"],
        exit_status=0),
    dict(
        name="p9-secondary-faults",
        what="an unexpected interrupt on a secondary: registers, that cpu "
             "stops, the rest go on",
        machine="powernv9", cores=4, mem="2G",
        append="debug.fault_cpu=secondary",
        expect=[r"^lparvisor: cpu 0x[048c]: unexpected interrupt 0xe40 "
                r"\(hypervisor emulation assistance\)",
                r"^  NIA 0000000020[0-9a-f]{6}  MSR 9000000000001003  "
                r"\(HSRR0/1\)",
                r"^  R00 [0-9a-f]{16}  R01 [0-9a-f]{16}",
                r"^  R28 ",
                r"^lparvisor: cpu 0x[048c] stopped; the other cpus go on",
                r"^cpu 0x[048c]: .* STOPPED .* \(stopped by interrupt 0xe40\)",
                r"^lparvisor: ready: 3 of 4 cpus online",
                r"OPAL: Shutdown request"],
        forbid=[r"PANIC", r"did not arrive"],
        exit_status=0),
    dict(
        name="p9-boot-cpu-faults",
        what="an unexpected interrupt on the boot thread ends in a panic "
             "that powers off (panic=poweroff)",
        machine="powernv9", cores=2, mem="2G",
        append="debug.fault_cpu=boot panic=poweroff",
        expect=[r"^lparvisor: cpu 0x[04]: unexpected interrupt 0xe40",
                r"^  R00 ",
                r"^lparvisor PANIC on cpu 0x[04] \(hv/exception.c:\d+\): "
                r"unexpected interrupt 0xe40 on the boot cpu",
                r"^lparvisor: powering off after panic",
                r"OPAL: Shutdown request"],
        forbid=[r"lparvisor: ready"],
        exit_status=0),
    dict(
        name="p9-heap-exhausted",
        what="a heap too small for the cpu stacks: a clear panic, no hang",
        machine="powernv9", cores=2, mem="2G",
        append="heap=64K panic=poweroff",
        expect=[r"^options: heap 64 KiB",
                r"^lparvisor PANIC on cpu 0x[04] \(mm/mem.c:\d+\): hypervisor "
                r"heap exhausted allocating a cpu stack: 65536 bytes "
                r"requested, \d+ of 65536 bytes in use, largest free block "
                r"\d+ bytes; raise the heap= boot option",
                r"^lparvisor: powering off after panic",
                r"OPAL: Shutdown request"],
        forbid=[r"lparvisor: ready", r"unexpected interrupt"],
        exit_status=0),
    dict(
        name="p9-bad-option",
        what="a bad boot option value is reported and the default kept",
        machine="powernv9", cores=1, mem="2G",
        append="heap=lots smp_timeout_ms=0 panic=explode",
        expect=[r"^options: ignored bad values \(defaults kept\): heap: not a "
                r"size \(e\.g\. 16M\); smp_timeout_ms: not a positive number "
                r"of milliseconds; panic: expected halt, poweroff or reboot;",
                r"^options: heap 16384 KiB, smp_timeout_ms 5000, panic halt",
                r"^lparvisor: ready: 1 of 1 cpus online"],
        forbid=[r"PANIC"],
        exit_status=0),
    dict(
        name="p10-2core-2g",
        what="Power10, 2 cores: the same bring-up",
        machine="powernv10", cores=2, mem="2G",
        expect=[r"^machine: qemu,powernv10, Power10 \(PVR 0x00800200\), 1 chip, "
                r"2 cores, 2 threads",
                r"^lparvisor: ready: 2 of 2 cpus online",
                r"OPAL: Shutdown request"],
        expect_any_order=_cpus_online([0x0, 0x4]),
        memory=["0x0000000000000000-0x000000007fffffff 2 GiB (chip 0)"],
        forbid=COMMON_FORBID,
        exit_status=0),
    dict(
        name="p8-2core-2g",
        what="POWER8, 2 cores (first core is 1, PIRs 0x8 and 0x10)",
        machine="powernv8", cores=2, mem="2G",
        expect=[r"^machine: qemu,powernv8, POWER8 \(PVR 0x004d0200\), 1 chip, "
                r"2 cores, 2 threads",
                r"^xive: none",
                r"^lparvisor: ready: 2 of 2 cpus online",
                r"OPAL: Shutdown request"],
        expect_any_order=_cpus_online([0x8, 0x10]),
        memory=["0x0000000000000000-0x000000007fffffff 2 GiB (chip 0)"],
        forbid=COMMON_FORBID,
        exit_status=0),
    dict(
        name="p9-flash-boot",
        what="booted from a PNOR image alone (tools/mkpnor.py, no -kernel "
             "or -initrd): skiboot loads lparvisor from BOOTKERNEL and the "
             "bundle from ROOTFS, finds its NVRAM formatted and lparvisor's "
             "boot options in it, and both hello partitions run",
        machine="powernv9", cores=4, mem="4G",
        pnor="build/pnor/test/hello.img",
        expect=[r"HIOMAP: Flash size is 8MiB",
                r"FLASH: Found system flash",
                r"INIT: 64-bit LE kernel discovered",
                r"INIT: Initramfs loaded, size: \d+ bytes",
                r"^lparvisor \S+: hypervisor for IBM POWER",
                # --bootargs of tests/boot/Makefile.check, from NVRAM.
                r"^options: heap 32768 KiB, smp_timeout_ms 7000,",
                r"^lparvisor: every partition has stopped; powering off",
                r"OPAL: Shutdown request"],
        expect_any_order=[r"^\[alpha\] 6 passed, 0 failed$",
                          r"^\[beta\] 6 passed, 0 failed$",
                          r"^lparvisor: partition \"alpha\" powered off$",
                          r"^lparvisor: partition \"beta\" powered off$"],
        forbid=COMMON_FORBID + [r"FAIL", r"crashed",
                                r"NVRAM: Re-initializing",
                                r"No system flash found",
                                r"Can't load resource",
                                r"Invalid ELF header",
                                r"content size"],
        exit_status=0),
    dict(
        name="p9-flash-bootkernel",
        what="booted from a PNOR image laid out as a real machine's: "
             "lparvisor and its zstd-compressed bundle together in "
             "BOOTKERNEL (tools/mkpnor.py --layout bootkernel), no ROOTFS; "
             "skiboot loads no initramfs, lparvisor finds the bundle in its "
             "own image, and both hello partitions run",
        machine="powernv9", cores=4, mem="4G",
        pnor="build/pnor/test/hello-bootkernel.img",
        expect=[r"FLASH: Found system flash",
                r"INIT: 64-bit LE kernel discovered",
                r"^options: heap 32768 KiB, smp_timeout_ms 7000,",
                r"^lparvisor: boot bundle embedded in lparvisor's image: "
                r"\d+ KiB at 0x2[0-7][0-9a-f]{2}0000$",
                r"^lparvisor: every partition has stopped; powering off",
                r"OPAL: Shutdown request"],
        expect_any_order=[r"^\[alpha\] 6 passed, 0 failed$",
                          r"^\[beta\] 6 passed, 0 failed$"],
        forbid=COMMON_FORBID + [r"FAIL", r"crashed", r"Initramfs loaded",
                                r"no embedded boot bundle",
                                r"no boot bundle", r"Invalid ELF header",
                                r"Can't load resource"],
        exit_status=0),
    dict(
        name="p9-flash-nvram-kept",
        what="flash writes persist and an update keeps them: skiboot "
             "formats an erased NVRAM partition on a first boot from flash; "
             "ROOTFS is then rewritten in place (mkpnor.py update) with "
             "another bundle, and the second boot finds NVRAM formatted and "
             "runs the new bundle",
        machine="powernv9", cores=4, mem="2G",
        pnor="build/pnor/test/hello.img",
        pnor_steps=[
            ("erase", "NVRAM"),
            ("boot", dict(
                expect=[r"NVRAM: Re-initializing \(size: 0x00090000\)",
                        r"^lparvisor: every partition has stopped; "
                        r"powering off"],
                expect_any_order=[r"^\[alpha\] 6 passed, 0 failed$",
                                  r"^\[beta\] 6 passed, 0 failed$"],
                forbid=COMMON_FORBID + [r"FAIL", r"crashed"],
                exit_status=0)),
            ("update", "build/bundle/test/ipi.itb")],
        expect=[r"FLASH: Found system flash",
                r"^lparvisor: every partition has stopped; powering off",
                r"OPAL: Shutdown request"],
        expect_any_order=[r"^\[ipi-xive\] \d+ passed, 0 failed$",
                          r"^\[ipi-xics\] \d+ passed, 0 failed$"],
        forbid=COMMON_FORBID + [r"FAIL", r"crashed", r"NVRAM: ",
                                r"\[(alpha|beta)\]"],
        exit_status=0),
    dict(
        name="p9-console",
        what="the service console under scripted input (docs/console.md): "
             "a partition with on-boot = \"wait\" waits for `start`; a bad "
             "command gets one error line; `list`, `start`, `restart -f`, "
             "`log` (timestamped lines of a 4 KiB console log that survived "
             "the restart), and an orderly `stop` that the payload ignores "
             "ends in the hard stop after its 2 s stop-timeout; a partition "
             "stopped from the console keeps the machine on; the epow "
             "payload takes an orderly stop's power-off event through "
             "check-exception (hostile calls first) and powers off, is "
             "started again, restarted orderly (the event again, then a "
             "boot) and stopped hard; `shutdown` then powers the machine "
             "off though the console holds two partitions",
        machine="powernv9", cores=4, mem="4G",
        bundle="build/bundle/test/console.itb",
        console_input=[
            (r"^\[gamma\] epow: waiting for the power-off event$",
             b"\x1dstop gamma\r"),
            (r'^lparvisor: partition "gamma" powered off$',
             b"\x1dstart gamma\r"),
            (r"^\[gamma\] epow: waiting for the power-off event$",
             b"\x1drestart gamma\r"),
            (r"^\[gamma\] epow: waiting for the power-off event$",
             b"\x1dstop -f gamma\r"),
            (r'^lparvisor: partition "gamma" was stopped from the service '
             r"console$", b"\x1dfrob alpha\r"),
            (r"^\[lparvisor\] error: ", b"\x1dstart beta\r"),
            (r'^lparvisor: partition "beta" powered off$', b"\x1dlist\r"),
            (r"^\[lparvisor\]   2 beta: stopped", b"\x1drestart -f alpha\r"),
            (r"^\[alpha\] heartbeat 2$", b"\x1dlog alpha 3\r"),
            (r"^\[lparvisor\] end of the console log", b"\x1dstop alpha\r"),
            (r'^lparvisor: partition "alpha" was stopped from the service '
             r"console$", b"\x1dshutdown\r"),
        ],
        expect=[r'^lparvisor: partition "beta" waits for `start`',
                r'^lparvisor: partition "gamma" powered off$',
                r"^lparvisor> start gamma$",
                r"^lparvisor> restart gamma$",
                r'^\[lparvisor\] "gamma": power-off event sent; it boots '
                r"again once it has stopped",
                r"^\[gamma\] \d+ passed, 0 failed$",
                r'^lparvisor: partition "gamma" powered off; restarting it$',
                r"^\[gamma\] epow: waiting for the power-off event$",
                r"^lparvisor> stop -f gamma$",
                r'^lparvisor: partition "gamma" was stopped from the service '
                r"console$",
                r"^lparvisor> frob alpha$",
                r'^\[lparvisor\] error: unknown command "frob"; \'help\' '
                r"lists the commands$",
                r"^lparvisor> start beta$",
                r'^\[lparvisor\] starting "beta"$',
                r"^\[beta\] hello from beta$",
                r'^lparvisor: partition "beta" powered off$',
                r"^lparvisor> list$",
                r"^\[lparvisor\]  \*1 alpha: running, 1 vCPU, 256 MiB, "
                r"restarts 0, up \d+\.\d s, \d+ exits/s$",
                r"^\[lparvisor\]   2 beta: stopped, 1 vCPU, 256 MiB, "
                r"restarts 0$",
                r"^\[lparvisor\]   3 gamma: stopped, 1 vCPU, 256 MiB, "
                r"restarts 1$",
                r"^\[lparvisor\]        rtas_events: power-off events sent "
                r"2, fetched by check-exception 2$",
                r"^lparvisor> restart -f alpha$",
                r'^lparvisor: partition "alpha" was stopped from the '
                r"service console; restarting it$",
                r"^\[alpha\] hello from alpha$",
                r"^lparvisor> log alpha 3$",
                r'^\[lparvisor\] console log of "alpha" \(\d+ of 4 KiB',
                r"^\[alpha@\d+\.\d{6}\] ",
                r"^\[alpha@\d+\.\d{6}\] ",
                r"^\[alpha@\d+\.\d{6}\] ",
                r'^\[lparvisor\] end of the console log of "alpha" '
                r"\(3 lines\)$",
                r"^lparvisor> stop alpha$",
                r'^\[lparvisor\] "alpha": power-off event sent; waiting',
                r'^lparvisor: partition "alpha" still running 2 s after '
                r"the power-off event; stopping it$",
                r'^lparvisor: partition "alpha" was stopped from the '
                r"service console$",
                # Every partition stopped, two held by the console: the
                # machine powers off at once.
                r"^lparvisor> shutdown$",
                r"^\[lparvisor\] machine power-off: power-off event sent "
                r"to 0 partitions; the machine powers off once",
                r"^lparvisor: machine power-off: no partition runs",
                r"^lparvisor: every partition has stopped; powering off$",
                r"OPAL: Shutdown request"],
        # The vCPUs are kicked at once: the restart may come before the
        # answer.
        expect_any_order=[r'^\[lparvisor\] restarting "alpha" now$',
                          r"^\[gamma\] PASS check-exception still has the "
                          r"event",
                          r"^\[gamma\] PASS EPOW section",
                          r"^\[gamma\] \d+ passed, 0 failed$",
                          r'^lparvisor: partition "gamma" powered off$'],
        forbid=COMMON_FORBID + [r"FAIL", r"crashed",
                                r'partition "alpha" powered off',
                                r'"gamma" still running'],
        exit_status=0, timeout=90),
    dict(
        name="p9-flash-nvram-power-cut",
        what="partition NVRAM lives in the PNOR's LPAR_NVRAM: two "
             "partitions (nvkeep payload, 64 and 48 KiB NVRAM) store "
             "generations of a 9 KiB record; after a power-off the next "
             "boot of the same image finds the last one; QEMU killed in the "
             "middle of stores three times, each boot finds the old or the "
             "new record, whole; the partitions reordered in a new bundle, "
             "with their NVRAM sizes changed (48 -> 64 and 64 -> 32 KiB: "
             "the areas moved with their contents), still find their own",
        machine="powernv9", cores=4, mem="2G",
        pnor="build/pnor/test/nvkeep.img",
        pnor_steps=[
            ("boot", dict(
                expect=[r"^lparvisor: partition NVRAM in flash partition "
                        r"LPAR_NVRAM \(1024 KiB at 0x100000, erase block 4 "
                        r"KiB, no erase\): 2 of 2 partitions have an "
                        r"area$",
                        r'^lparvisor: partition "nva": blank NVRAM \(64 KiB\)',
                        r'^lparvisor: partition "nvb": blank NVRAM \(48 KiB\)',
                        r"^lparvisor: every partition has stopped; "
                        r"powering off"],
                expect_any_order=[r"^\[nva\] nvkeep: found blank$",
                                  r"^\[nvb\] nvkeep: found blank$",
                                  r"^\[nva\] nvkeep: stored generation 6$",
                                  r"^\[nvb\] nvkeep: stored generation 6$",
                                  r"^\[nva\] \d+ passed, 0 failed$",
                                  r"^\[nvb\] \d+ passed, 0 failed$"],
                forbid=COMMON_FORBID + [r"FAIL", r"crashed"],
                exit_status=0, timeout=120)),
            # Powered off cleanly: the next boot finds generation 6.
            ("boot", dict(
                expect_any_order=[r"^\[nva\] nvkeep: found generation 6$",
                                  r"^\[nvb\] nvkeep: found generation 6$"],
                stop_when={r"^\[nva\] nvkeep: stored": 2,
                           r"^\[nvb\] nvkeep: stored": 2},
                forbid=COMMON_FORBID + [r"FAIL", r"crashed"],
                timeout=120)),
            ("torn", None),
            _nvkeep_kill(1),
            ("torn", None),
            _nvkeep_kill(3),
            ("torn", None),
            ("update", "build/bundle/test/nvkeep-swapped.itb")],
        # Of the 6 areas seen after the 3 cuts, at least one was being
        # written (each partition stores without pause).
        min_torn=1,
        # The last boot also changes both NVRAM sizes: each area is moved
        # with its contents (the record is found again).
        expect=[r'^lparvisor: partition "nvb": nvram-size changed from 48 to '
                r"64 KiB: NVRAM moved in flash, its first 49152 bytes kept, "
                r"the rest free space$",
                r'^lparvisor: partition "nva": nvram-size changed from 64 to '
                r"32 KiB: NVRAM moved in flash, its first 32768 bytes kept, "
                r"the rest free space$",
                r"^lparvisor: partition NVRAM in flash partition LPAR_NVRAM "
                r".*: 2 of 2 partitions have an area$",
                r'^lparvisor: partition "nvb": NVRAM \(64 KiB\) read from '
                r'flash, copy 0, sequence 1$',
                r'^lparvisor: partition "nva": NVRAM \(32 KiB\) read from '
                r'flash, copy 0, sequence 1$',
                r"^lparvisor: every partition has stopped; powering off",
                r"OPAL: Shutdown request"],
        expect_any_order=[r"^\[nva\] nvkeep: found generation \d+$",
                          r"^\[nvb\] nvkeep: found generation \d+$",
                          r"^\[nva\] \d+ passed, 0 failed$",
                          r"^\[nvb\] \d+ passed, 0 failed$"],
        checks_prev=[_nvkeep_old_or_new],
        forbid=COMMON_FORBID + [r"FAIL", r"crashed", r"blank NVRAM",
                                r"in memory only"],
        exit_status=0, timeout=120),
    dict(
        name="p9-two-partitions",
        what="two partitions (one SMP) run the "
             "hello payload side by side with prefixed output, power off, "
             "and lparvisor powers the machine off",
        machine="powernv9", cores=4, mem="4G",
        bundle="build/bundle/test/hello.itb",
        expect=[r"^lparvisor: partition \"alpha\" \(LPID 1\): 1 vCPU on core 1, "
                r"256 MiB at 0x[0-9a-f]+, booting \"hello\"",
                r"^lparvisor: partition \"beta\" \(LPID 2\): 2 vCPU on cores 2 3, "
                r"512 MiB",
                r"^lparvisor: every partition has stopped; powering off",
                r"OPAL: Shutdown request"],
        expect_any_order=[r"^\[alpha\] hello from alpha$",
                          r"^\[beta\] hello from beta$",
                          r"^\[beta\] guest payload hello: .* 2 vCPU",
                          r"^\[alpha\] heartbeat 5$",
                          r"^\[alpha\] lparvisor: forged by alpha$",
                          r"^\[beta\] \[forged\] backspaces by beta$",
                          r"^\[beta\] \[forged\] cursor by beta$",
                          r"^\[alpha\] 6 passed, 0 failed$",
                          r"^\[beta\] 6 passed, 0 failed$",
                          r"^lparvisor: partition \"alpha\" powered off$",
                          r"^lparvisor: partition \"beta\" powered off$"],
        forbid=COMMON_FORBID + [r"FAIL", r"crashed", r"outside its memory"],
        exit_status=0),
    dict(
        name="p9-bad-partition-refused",
        what="a partition with configuration errors is refused with each "
             "error named; the good one still boots",
        machine="powernv9", cores=4, mem="4G",
        bundle="build/bundle/test/refuse-one.itb",
        expect=[r"^config: error: lpar \"bad\": property \"memory\": 0x3000 "
                r"is not a multiple of 256 MiB",
                r"^lparvisor: partition \"good\" \(LPID 1\)",
                r"^lparvisor: partition \"bad\" refused by the configuration "
                r"check",
                r"^\[good\] heartbeat 3$",
                # The hello payload's 6 checks, all passed (issue 19).
                r"^\[good\] 6 passed, 0 failed$",
                r"^lparvisor: every partition has stopped; powering off"],
        expect_any_order=[r"^config: error: lpar \"bad\": property \"cores\": "
                          r".*\"good\""],
        forbid=COMMON_FORBID + [r"^\[bad\]", r"crashed", r"FAIL"],
        exit_status=0),
    dict(
        name="p9-corrupt-image-refused",
        what="images damaged after packing (sha256 mismatch) are refused "
             "with partition, property, image and chunk named: "
             "verdicts are kept per bundle image and the chunks a first "
             "fault needs are checked before the boot, so two partitions "
             "booting the same damaged kernel and one with a damaged "
             "initramfs are each stopped, named, and run none of it; a "
             "fourth, whose damaged chunk it never reads, is stopped by the "
             "idle threads' pass over the untouched chunks (core 5, no "
             "partition's, does it); the partition with good images boots",
        machine="powernv9", cores=6, mem="4G",
        bundle="build/bundle/test/corrupt-image.itb",
        # Nothing hashed whole but the configuration (about 1 KiB).
        expect=[r"^lparvisor: partition \"good\" \(LPID 1\)",
                r"^lparvisor: boot bundle: images checked \(sha256 of [01] "
                r"KiB\) in \d+ ms, \d+ ms after hand-off$",
                r"^\[good\] 6 passed, 0 failed$",
                r"^lparvisor: every partition has stopped; powering off",
                r"OPAL: Shutdown request"],
        expect_any_order=[
            r'^lparvisor: partition "badkernel": property "kernel": image '
            r'"hello-corrupt": chunk 0 of 1 \(bytes 0x0-0x[0-9a-f]+\): '
            r'sha256 mismatch: image corrupted; stopped$',
            r'^lparvisor: partition "badkernel2": property "kernel": image '
            r'"hello-corrupt": chunk 0 of 1 \(bytes 0x0-0x[0-9a-f]+\): '
            r'sha256 mismatch: image corrupted; stopped$',
            r'^lparvisor: partition "badkernel2" stopped: one of its images '
            r'is corrupted$',
            r'^lparvisor: partition "badinitrd": property "initramfs": image '
            r'"initrd-corrupt": chunk 0 of 1 \(bytes 0x0-0x[0-9a-f]+\): '
            r'sha256 mismatch: image corrupted; stopped$',
            r'^lparvisor: partition "badchunk": property "kernel": image '
            r'"hello-padded": chunk 10 of 20 \(bytes 0x280000-0x2bffff\): '
            r'sha256 mismatch: image corrupted; stopped$',
            r'^lparvisor: partition "badkernel" stopped: one of its images '
            r'is corrupted$',
            r'^lparvisor: partition "badinitrd" stopped: one of its images '
            r'is corrupted$',
            r'^lparvisor: partition "badchunk" stopped: one of its images '
            r'is corrupted$',
            # It ran from its intact chunk 0 (its output may be cut off).
            r'^lparvisor: partition "badchunk" had its first guest fault '
            r'answered \d+ us after hand-off',
            r'^lparvisor: partition "good" powered off$'],
        forbid=COMMON_FORBID + [r"^\[bad(kernel2?|initrd)\]", r"crashed",
                                r"FAIL", r"^\[badchunk\] .*passed"],
        exit_status=0),
    dict(
        name="p9-kernel-load",
        what="a kernel linked at 0 is loaded where QEMU -M pseries loads "
             "-kernel (kernel-addr 0x400000 by default, 32 MiB when "
             "configured), its initramfs after it, both in /chosen; it "
             "copies itself to 0 and takes its own interrupt vectors",
        machine="powernv9", cores=4, mem="4G",
        bundle="build/bundle/test/kload.itb",
        expect=[r"^lparvisor: every partition has stopped; powering off"],
        expect_any_order=[
            r"^\[low\] PASS /chosen qemu,boot-kernel = <0x400000 ",
            r"^\[high\] PASS /chosen qemu,boot-kernel = <0x2000000 ",
            r"^\[low\] PASS initrd at 0x480000\.\.",
            r"^\[low\] PASS entered at the ELF's entry point .* "
            r"\(load base 0x400000\)",
            r"^\[high\] PASS entered at the ELF's entry point .* "
            r"\(load base 0x2000000\)",
            r"^\[low\] PASS a program interrupt reaches this image's vector",
            # The same 10 checks as the -M pseries run plus the entry one.
            r"^\[low\] 10 passed, 0 failed$",
            r"^\[high\] 10 passed, 0 failed$"],
        forbid=COMMON_FORBID + [r"FAIL", r"crashed", r"outside its memory"],
        exit_status=0),
    dict(
        name="p9-compressed-images",
        what="zstd-compressed images (FIT compression = \"zstd\") are "
             "decompressed into the partitions' memory: an ELF kernel and "
             "its initramfs pass p9-kernel-load's checks, a bare payload "
             "runs, and a compressed image damaged after packing is refused "
             "by its sha256, named, without being decompressed",
        machine="powernv9", cores=4, mem="4G",
        bundle="build/bundle/test/compressed.itb",
        expect=[r"^lparvisor: every partition has stopped; powering off",
                r"OPAL: Shutdown request"],
        expect_any_order=[
            r"^\[kload\] PASS /chosen qemu,boot-kernel = <0x400000 ",
            r"^\[kload\] PASS initrd at 0x480000\.\.",
            r"^\[kload\] PASS entered at the ELF's entry point .* "
            r"\(load base 0x400000\)",
            r"^\[kload\] 10 passed, 0 failed$",
            r"^\[hello\] 6 passed, 0 failed$",
            r'^lparvisor: partition "badz": property "kernel": image '
            r'"hello-corrupt": sha256 mismatch: image corrupted; not started$',
            r'^lparvisor: partition "badz" stopped: it cannot boot$'],
        forbid=COMMON_FORBID + [r"FAIL", r"crashed", r"^\[badz\]",
                                r'"badz" entered the guest', r"zstd"],
        exit_status=0),
    dict(
        name="p9-guest-payloads",
        what="the hcall, RTAS and SMP payloads (that pass on QEMU -M pseries) "
             "pass in three partitions side by side; hcall (two vCPUs) makes "
             "exactly the reference run's number of checks plus the "
             "lparvisor-only ones",
        machine="powernv9", cores=7, mem="4G",
        bundle="build/bundle/test/payloads.itb",
        expect=[r"^lparvisor: every partition has stopped; powering off",
                r"OPAL: Shutdown request"],
        expect_any_order=[r"^\[hcall\] %d passed, 0 failed$" %
                          (HCALL_CHECKS + HCALL_LPARVISOR_ONLY +
                           HCALL_VIO_WINDOW_CHECKS + HCALL_LLAN_CHECKS +
                           HCALL_LLAN_LPARVISOR_ONLY),
                          r"^\[rtas\] \d+ passed, 0 failed$",
                          r"^\[smp\] \d+ passed, 0 failed$",
],
        forbid=COMMON_FORBID + [r"FAIL", r"crashed"],
        exit_status=0),
    dict(
        name="p9-vscsi-payload",
        what="the vscsi payload (that passes on QEMU -M pseries with "
             "spapr-vscsi) against lparvisor's v-scsi adapter in an XICS "
             "and a XIVE partition, each with a blank 1 MiB disk: init, "
             "login, commands, sense, buffers on unmapped and read-only "
             "TCEs, dropped IUs, a flood of its queue; steady keeps its "
             "heartbeat",
        machine="powernv9", cores=4, mem="2G",
        bundle="build/bundle/test/vscsi.itb",
        expect=[r"^lparvisor: every partition has stopped; powering off",
                r"OPAL: Shutdown request"],
        expect_any_order=[r"^\[vscsi\] %d passed, 0 failed$" %
                          (VSCSI_CHECKS + VSCSI_LPARVISOR_ONLY),
                          r"^\[vscsi-xive\] %d passed, 0 failed$" %
                          (VSCSI_CHECKS + VSCSI_LPARVISOR_ONLY),
                          r'^lparvisor: disk "scratch1": 1024 KiB, image '
                          r'"\(none\)"$',
                          r"^\[steady\] heartbeat 10$",
                          r"^\[steady\] PASS 10 heartbeats"],
        forbid=COMMON_FORBID + [r"FAIL", r"crashed"],
        exit_status=0),
    dict(
        name="p9-vios-payload",
        what="issue 14, VIOS mode from inside partitions: the viospair "
             "payload as server (v-scsi-host of pair vhost0) and as its "
             "client: H_REG_CRQ before the partner (H_CLOSED), H_SEND_CRQ "
             "relayed with the server's interrupt, bad headers, the "
             "client's full queue (H_DROPPED), the transport event when "
             "it frees its queue; H_COPY_RDMA both ways with the data "
             "checked on both sides, and refused: over 128 KiB, LIOBNs "
             "not the caller's, ranges leaving a window, pages without "
             "read/write permission; H_PUT_TCE outside the partition's "
             "memory; steady keeps its heartbeat",
        machine="powernv9", cores=4, mem="2G",
        bundle="build/bundle/test/viospair.itb",
        expect=[r"^lparvisor: every partition has stopped; powering off",
                r"OPAL: Shutdown request"],
        expect_any_order=[r"^\[vserv\] %d passed, 0 failed$" %
                          VIOSPAIR_SERVER_CHECKS,
                          r"^\[vcli\] %d passed, 0 failed$" %
                          VIOSPAIR_CLIENT_CHECKS,
                          r"^\[steady\] heartbeat 10$",
                          r"^\[steady\] PASS 10 heartbeats"],
        forbid=COMMON_FORBID + [r"FAIL", r"crashed"],
        exit_status=0),
    dict(
        name="p9-pci-payloads",
        what="PCI passthrough (issue 17): QEMU's default PHBs (no "
             "-nodefaults) with nvme functions behind pcie.0 and pcie.1; "
             "the partition owning PHB 0:0 passes the pci payload's RTAS "
             "config checks (those of the QEMU -M pseries run plus the "
             "hidden root port); the one owning PHB 0:1 drives its nvme "
             "through the MMIO window and TCE DMA (the reference run's "
             "checks plus TCEs outside its memory refused) and completes "
             "Identify commands by MSI-X interrupt (ibm,change-msi, the "
             "host PHB's source routed to its XIVE VP), and so does a "
             "XICS partition owning PHB 0:2 (the MSIs forwarded to its "
             "emulated XICS), both also by INTx (the PHB's LSIs, "
             "interrupt-map); both create a dynamic DMA window over all "
             "their memory (64 KiB pages, the host PHB4's second TVE), "
             "fill it with H_PUT_TCE_INDIRECT and complete an Identify "
             "through it, remove and reset it (hostile DDW calls "
             "refused); a partition without a PHB sees none (no "
             "node; config, MSI, EEH calls and the LIOBN refused) and "
             "one loading from where its PHB window would be is stopped",
        machine="powernv9", cores=5, mem="2G",
        bundle="build/bundle/test/pci.itb",
        pci=["-blockdev", "driver=null-co,node-name=nul0",
             "-device", "nvme,drive=nul0,serial=lparvisor,bus=pcie.0",
             "-blockdev", "driver=null-co,node-name=nul1",
             "-device", "nvme,drive=nul1,serial=lparvisor-dma,bus=pcie.1",
             "-blockdev", "driver=null-co,node-name=nul2",
             "-device", "nvme,drive=nul2,serial=lparvisor-xics,bus=pcie.2"],
        expect=[r"^pci: PHB 0: chip 0 index 0, buses 0-255, M32 "
                r"0x600c000000000\+0x7fff0000 at PCI 0x80000000",
                r'^lparvisor: partition "io" owns PHB 0:0 \(OPAL id 0\)',
                r'^lparvisor: partition "io": PHB 0:0 01:00.0 1b36:0010 '
                r"class 010802, 1 BAR$",
                r'^lparvisor: partition "dma" owns PHB 0:1 \(OPAL id 1\)',
                r"^lparvisor: every partition has stopped; powering off",
                r"OPAL: Shutdown request"],
        expect_any_order=[
            r"^\[io\] pci: PHB 800000020000000 function 01:00.0 "
            r"1b36:0010$",
            r"^\[io\] %d passed, 0 failed$" %
            (PCI_CHECKS + PCI_LPARVISOR_ONLY),
            r'^\[dma\] nvme: serial "lparvisor-dma +"$',
            r"^\[dma\] PASS the unmapped page is untouched$",
            r"^\[dma\] PASS MSI-X entry 0 holds a 64-bit PHB MSI address",
            r"^\[dma\] PASS Identify 1 completed by interrupt",
            r"^\[dma\] PASS Identify 2 completed by interrupt",
            r"^\[dma\] PASS XIVE INTx Identify 1 by the level interrupt, "
            r"presented again while held",
            r"^\[dmax\] PASS XICS INTx Identify 1 by the level interrupt, "
            r"presented again while held",
            r'^lparvisor: partition "dma": PHB 0:1: DMA window LIOBN '
            r"0x80000001 at 0x800000000000000: 4096 TCEs of 64 KiB$",
            r"^\[dma\] PASS Identify through the dynamic window",
            r"^\[dma\] PASS Identify through the default window after "
            r"reset",
            r"^\[dmax\] PASS Identify through the dynamic window",
            r"^\[dma\] %d passed, 0 failed$" %
            (NVME_CHECKS + NVME_LPARVISOR_ONLY + NVME_XIVE_MSI +
             NVME_XIVE_INTX),
            r'^\[dmax\] nvme: serial "lparvisor-xics +"$',
            r"^\[dmax\] PASS XICS Identify 1 completed by interrupt",
            r"^\[dmax\] PASS XICS Identify 2 completed by interrupt",
            r"^\[dmax\] PASS XICS the held message is presented",
            r"^\[dmax\] %d passed, 0 failed$" %
            (NVME_CHECKS + NVME_LPARVISOR_ONLY + NVME_XICS_MSI +
             NVME_XICS_INTX),
            r"^\[nopci\] PASS no PCI host bridge node$",
            r"^\[nopci\] PASS ibm,change-msi on the first PHB's BUID$",
            r"^\[dma\] PASS H_PUT_TCE_INDIRECT naming a page past the "
            r"partition$",
            r'^lparvisor: partition "probe-pci" vCPU 0: data access outside '
            r'its memory .*HDAR 0x200080000000',
            r'^lparvisor: partition "probe-pci" crashed$',
            r"^\[nopci\] %d passed, 0 failed$" % PCI_NO_PHB_CHECKS],
        forbid=COMMON_FORBID + [r"FAIL", r'"(io|dma|dmax|nopci)" crashed',
                                r"not shown",
                                r'"nopci" owns', r"failed \(OPAL"],
        exit_status=0),
    _xive_payloads(
        "p9-xive-payloads", "powernv9",
        "native XIVE: the xive payload (H_INT_*, ESB pages, OS TIMA, queue "
        "wrap, cede wake-up, bad arguments) next to an XICS partition; a "
        "XIVE partition probing a LISN it was not given is stopped"),
    _xive_payloads(
        "p10-xive-payloads", "powernv10",
        "Power10 (XIVE2 behind the same OPAL calls): the same XIVE "
        "payloads, XICS neighbour and ESB probe"),
    dict(
        name="p9-ipi-xive-xics",
        what="IPI round trips between two vCPUs, on native XIVE and on the "
             "emulated XICS side by side (the times are in the log)",
        machine="powernv9", cores=4, mem="2G",
        bundle="build/bundle/test/ipi.itb",
        expect=[r"^lparvisor: every partition has stopped; powering off",
                r"OPAL: Shutdown request"],
        expect_any_order=[
            r"^\[ipi-xive\] ipi: XIVE exploitation$",
            r"^\[ipi-xive\] ipi: xive running round trip min/median/max ",
            r"^\[ipi-xive\] ipi: xive ceded round trip min/median/max ",
            r"^\[ipi-xive\] \d+ passed, 0 failed$",
            r"^\[ipi-xics\] ipi: XICS$",
            r"^\[ipi-xics\] ipi: xics running round trip min/median/max ",
            r"^\[ipi-xics\] ipi: xics ceded round trip min/median/max ",
            r"^\[ipi-xics\] \d+ passed, 0 failed$"],
        forbid=COMMON_FORBID + [r"FAIL", r"crashed"],
        exit_status=0),
    dict(
        name="p9-hash-partitions",
        what="hash (HPT) partitions beside a radix one: the page-frame-table "
             "payload makes the reference run's checks in a hash partition "
             "(real mode through the VRMA, an entry of its own used by the "
             "MMU, every page outside refused), then leaves entries behind "
             "and reboots: the next life finds only the VRMA's; with XIVE "
             "it enters its own TIMA and ESB pages and no other; hash "
             "partitions touching memory past their own or lparvisor's are "
             "stopped",
        machine="powernv9", cores=4, mem="2G",
        bundle="build/bundle/test/hash.itb",
        # Lives of about 0.1 s: 30 leave the others time to finish.
        stop_when={r'^lparvisor: partition "hpt" rebooted; restarting '
                   r'it$': 30},
        expect=[r"^\[hpt\] %d passed, 0 failed$" % (HPT_CHECKS +
                                                     HPT_XIVE_CHECKS),
                r'^lparvisor: partition "hpt" rebooted; restarting it$',
                r"^\[hpt\] PASS the table holds no guest entry at boot",
                r"^\[hpt\] %d passed, 0 failed$" % (HPT_CHECKS +
                                                     HPT_XIVE_CHECKS),
                r'^lparvisor: partition "hpt" rebooted; restarting it$'],
        expect_any_order=[
            r'^lparvisor: partition "probe-hash-end" vCPU 0: data access '
            r'outside its memory .*HDAR 0x10000000,',
            r'^lparvisor: partition "probe-hash-hv" vCPU 0: data access '
            r'outside its memory .*HDAR 0x20000000,',
            r'^lparvisor: partition "probe-hash-end" crashed$',
            r'^lparvisor: partition "probe-hash-hv" crashed$',
            r"^\[hpt\] PASS XIVE CPPR written and read back through the "
            r"entry$",
            r"^\[steady\] heartbeat 10$",
            r"^\[steady\] \d+ passed, 0 failed$"],
        forbid=COMMON_FORBID + [r"FAIL", r"was allowed", r"hpt.*crashed"],
        timeout=120),
    dict(
        name="p9-xive-hash-payloads",
        what="native XIVE in a hash partition: the xive payload on two "
             "vCPUs enters its OS TIMA and ESB pages with H_ENTER (64 KiB, "
             "cache-inhibited) and makes every ESB and TIMA access through "
             "those entries: IPIs, CPPR, PQ masking, queue wrap, cede "
             "wake-up, bad arguments",
        machine="powernv9", cores=2, mem="2G",
        bundle="build/bundle/test/xive-hash.itb",
        expect=[r"^lparvisor: every partition has stopped; powering off",
                r"OPAL: Shutdown request"],
        expect_any_order=[
            r"^\[xive-hash\] PASS 2600 IPIs through a 4 KiB queue$",
            r"^\[xive-hash\] PASS an IPI wakes vCPU 1 from H_CEDE$",
            r"^\[xive-hash\] \d+ passed, 0 failed$",
            r'^lparvisor: partition "xive-hash" powered off$'],
        forbid=COMMON_FORBID + [r"FAIL", r"crashed",
                                r"hypervisor interrupt while"],
        exit_status=0),
    dict(
        name="p8-payloads",
        what="a POWER8 host (issue 15): lparvisor takes the nine cores of "
             "a powernv8 (no XIVE, no radix, SDR1 instead of a partition "
             "table, ICP IPIs for kicks) and runs the guest payloads in hash "
             "partitions with the emulated XICS: hcall on two vCPUs, smp on "
             "two (start-cpu, IPIs, prods), hpt (the page-frame-table calls, "
             "a resize, then a reboot: the next life finds only the VRMA's "
             "entries); hash probes touching memory past their own and "
             "lparvisor's image in real mode are stopped; the checker "
             "refuses a radix partition and a XIVE one by name and property",
        machine="powernv8", cores=9, mem="2G",
        bundle="build/bundle/test/p8-payloads.itb",
        # hpt reboots for ever: stop once it has lived three times and
        # the others have powered off.
        stop_when={r'^lparvisor: partition "hpt" restart 2: ': 1,
                   r'^lparvisor: partition "probe-hv" crashed$': 1,
                   r'^lparvisor: partition "probe-end" crashed$': 1,
                   r'^lparvisor: partition "hcall" powered off$': 1,
                   r'^lparvisor: partition "smp" powered off$': 1},
        expect=[r"^machine: qemu,powernv8, POWER8 \(PVR 0x004d0200\), 1 chip, "
                r"9 cores, 9 threads",
                r"^xive: none \(XICS-only machine\)",
                r"^lparvisor: ready: 9 of 9 cpus online",
                r'^config: error: lpar "radix": property "mmu": radix needs '
                r'POWER9 or later; this machine \(POWER8\) has only the hash '
                r'MMU: use mmu = "hash"$',
                r'^config: error: lpar "hash-xive": property '
                r'"interrupt-controller": "xive" needs a XIVE interrupt '
                r'controller',
                r'^lparvisor: partition "radix" refused by the configuration '
                r'check$',
                r'^lparvisor: partition "hash-xive" refused by the '
                r'configuration check$'],
        expect_any_order=[
            # The P9 XIVE run's count less 7: no RNG node (H_RANDOM is
            # H_FUNCTION: POWER8 has no darn), and in a hash partition no
            # radix table, so no problem-state round trip.
            r"^\[hcall\] %d passed, 0 failed$" %
            (HCALL_CHECKS + HCALL_LPARVISOR_ONLY + HCALL_VIO_WINDOW_CHECKS +
             HCALL_LLAN_CHECKS + HCALL_LLAN_LPARVISOR_ONLY - 7),
            r"^\[hcall\] PASS H_RANDOM without an RNG node$",
            r"^\[hcall\] PASS H_REGISTER_PROC_TBL radix in a hash partition$",
            r"^\[smp\] \d+ passed, 0 failed$",
            r"^\[hpt\] %d passed, 0 failed$" % HPT_CHECKS,
            r'^lparvisor: partition "hpt" restart 2: ',
            # POWER8 has no ASDR: the guest real address is HDAR's.
            r'^lparvisor: partition "probe-end" vCPU 0: data access outside '
            r'its memory .*HDAR 0x10000000, .*ASDR 0x10000000\)',
            r'^lparvisor: partition "probe-hv" vCPU 0: data access outside '
            r'its memory .*HDAR 0x20000000, .*ASDR 0x20000000\)',
            r'^lparvisor: partition "probe-end" crashed$',
            r'^lparvisor: partition "probe-hv" crashed$'],
        checks=[lambda lines: None if sum(
            1 for l in lines if re.search(r"^\[hpt\] PASS the table holds "
                                          r"no guest entry at boot", l)) >= 3
            else "hpt: fewer than three lives found an empty table"],
        forbid=COMMON_FORBID + [r"FAIL", r"was allowed",
                                r'"(hcall|smp|hpt)" crashed',
                                r"nested interrupt"],
        timeout=150),
    dict(
        name="p9-isolation-probes",
        what="accesses past a partition's memory, to another partition, to "
             "lparvisor, OPAL and XIVE MMIO stop only the prober",
        machine="powernv9", cores=6, mem="4G",
        bundle="build/bundle/test/isolation.itb",
        expect=[r"^lparvisor: every partition has stopped; powering off",
                r"OPAL: Shutdown request"],
        expect_any_order=[
            r'^lparvisor: partition "probe-end" vCPU 0: data access outside '
            r'its memory at PC 0x[0-9a-f]+ .*HDAR 0x10000000,',
            r'^lparvisor: partition "probe-store" vCPU 0: data access outside '
            r'its memory .*HDAR 0x10000000, HDSISR 0x42000000',
            r'^lparvisor: partition "probe-hv" vCPU 0: data access outside '
            r'its memory .*HDAR 0x20000000,',
            r'^lparvisor: partition "probe-opal" vCPU 0: instruction fetch '
            r'outside its memory at PC 0x30000000',
            r'^lparvisor: partition "probe-xive" vCPU 0: data access outside '
            r'its memory .*HDAR 0x60302031a0000,',
            r'^lparvisor: partition "probe-end" crashed$',
            r'^lparvisor: partition "probe-opal" crashed$',
            r"^\[steady\] heartbeat 20$",
            r"^\[steady\] PASS memory pattern$",
            r"^\[steady\] \d+ passed, 0 failed$"],
        forbid=COMMON_FORBID + [r"FAIL", r"was allowed", r"restarting"],
        exit_status=0),
    dict(
        name="p9-nmi",
        what="an injected system reset arrives at 0x100 in real mode even "
             "with AIL 3 and the MMU on, and wakes a vCPU in H_CEDE; the "
             "VPA yield count is odd while a vCPU cedes and even when it "
             "runs, and the DTL logs each wake-up; the PMU counts a loop's "
             "instructions and every OS-level SPR survives H_CEDE "
             "(tests/guest/nmi.c, vpa.c and pmu.c, also run on -M pseries)",
        machine="powernv9", cores=5, mem="2G",
        bundle="build/bundle/test/nmi.itb",
        expect=[r"^lparvisor: every partition has stopped; powering off"],
        expect_any_order=[r"^\[nmi\] \d+ passed, 0 failed$",
                          r'^lparvisor: partition "nmi" powered off$',
                          r"^\[vpa\] 17 passed, 0 failed$",
                          r'^lparvisor: partition "vpa" powered off$',
                          r"^\[pmu\] 9 passed, 0 failed$",
                          r'^lparvisor: partition "pmu" powered off$'],
        forbid=COMMON_FORBID + [r"FAIL", r"crashed"],
        exit_status=0),
    dict(
        name="p9-fresh-registers",
        what="every boot of a partition starts from a fresh machine's "
             "registers (SPRGs, AMR/IAMR/UAMOR, FSCR, DSCR, TAR, FP/VSX, "
             "SLB), not from those its previous life left on the core",
        machine="powernv9", cores=2, mem="2G",
        bundle="build/bundle/test/fresh.itb",
        stop_when={r'^lparvisor: partition "fresh" rebooted; restarting '
                   r'it$': 3},
        expect=[r"^\[fresh\] 32 passed, 0 failed$",
                r'^lparvisor: partition "fresh" rebooted; restarting it$',
                r"^\[fresh\] 32 passed, 0 failed$",
                r'^lparvisor: partition "fresh" rebooted; restarting it$',
                r"^\[fresh\] 32 passed, 0 failed$"],
        forbid=COMMON_FORBID + [r"FAIL", r"crashed"],
        timeout=60),
    dict(
        name="p9-restart-policies",
        what="partitions that reboot, crash, or let H_WATCHDOG expire "
             "restart from pristine images (memory cleared) while another "
             "runs on",
        machine="powernv9", cores=4, mem="4G",
        bundle="build/bundle/test/restart.itb",
        stop_when={r'^lparvisor: partition "rebooter" rebooted; restarting '
                   r'it$': 5,
                   r'^lparvisor: partition "crasher" crashed; restarting '
                   r'it$': 5,
                   r'^lparvisor: partition "wdog" was reset by its '
                   r'watchdog; restarting it$': 3,
                   r"^\[steady\] heartbeat 10$": 1},
        expect_any_order=[r'^lparvisor: partition "wdog": watchdog 1 '
                          r'expired: hard restart$',
                          r"^\[rebooter\] restart: up, leaving by reboot$",
                          r"^\[crasher\] restart: up, leaving by crash$"],
        forbid=COMMON_FORBID + [r"FAIL", r"still running"],
        timeout=60),
    dict(
        name="p9-stop-after-self-stop",
        what="issue 20 §4: a partition whose vCPUs all stopped themselves "
             "is still restarted by its watchdog, three times, and a system "
             "reset signalled to a stopped vCPU does not reach it in the "
             "next life",
        machine="powernv9", cores=4, mem="2G",
        bundle="build/bundle/test/selfstop.itb",
        stop_when={r'^lparvisor: partition "selfstop" was reset by its '
                   r'watchdog; restarting it$': 3,
                   r"^\[selfstop\] PASS selfstop vCPU 1 made 100 exits and "
                   r"stopped itself$": 3},
        expect_any_order=[
            r'^lparvisor: partition "selfstop": watchdog 1 expired: '
            r'hard restart$',
            r"^\[selfstop\] PASS selfstop system reset signalled to "
            r"stopped vCPU 1$",
            r"^\[selfstop\] restart: every vCPU stops itself now$"],
        forbid=COMMON_FORBID + [r"FAIL", r"crashed", r"^\[steady\] .*gap"],
        timeout=60),
    dict(
        name="p9-linux-vlan",
        what="issue 13: three Debian partitions with ibmveth adapters on "
             "lparvisor's switch: two on VLAN 1 ping each other and move "
             "64 MiB with busybox nc, checked by sha256; the third, on VLAN 2 "
             "in the same subnet, reaches neither and receives nothing; "
             "XICS and XIVE receivers; net1 holds the transfer at most "
             "256 KiB in while the service console hard-restarts net3 (on "
             "the same switch, VLANs 2 and 3): the transfer still completes "
             "intact, the restart leaves net3's adapters no receive buffer "
             "of its previous life, they work in its next one, and "
             "lparvisor's pages and heap are the same before the restart, "
             "at it and after it",
        machine="powernv9", cores=4, mem="4G",
        bundle="build/bundle/test/vlan.itb",
        console_input=[
            (r"^\[net1\] lparvisor-linux: transfer held at ", b"\x1dlist\r"),
            (r"^\[lparvisor\] +vlan: net3-vlan2 ", b"\x1dstats\r"),
            (r"^\[lparvisor\] machine up ", b"\x1drestart -f net3\r"),
            (r'^lparvisor: partition "net3" restart 1: ', b"\x1dlist\r"),
            (r"^\[net3\] PASS net$", b"\x1dstats\r")],
        expect=[r"^\[net1\] lparvisor-linux: transfer held at \d+ of "
                r"67108864 bytes; 10\.13\.3\.3 answers",
                # Its adapters hold the receive buffers ibmveth posted...
                r"^\[lparvisor\] +vlan: net3-vlan2 .* buffers [1-9]\d*; "
                r"net3-vlan3 .* buffers [1-9]\d*$",
                r"^\[lparvisor\] machine up .*hypervisor pages",
                r'^lparvisor: partition "net3" was stopped from the service '
                r'console; restarting it$',
                r'^lparvisor: partition "net3" restart 1: ',
                # ...and none of them once it restarts.
                r"^\[lparvisor\] +vlan: net3-vlan2 .* buffers 0; "
                r"net3-vlan3 .* buffers 0$",
                r"^\[net1\] lparvisor-linux: 10\.13\.3\.3 went away; "
                r"taking the rest$",
                r"^\[net1\] PASS net-pause$",
                r"^\[net3\] PASS net$",
                r"^\[lparvisor\] machine up .*hypervisor pages",
                r"^\[net3\] PASS net-isolated$",
                r"^lparvisor: every partition has stopped; powering off",
                r"OPAL: Shutdown request"],
        same_values=[r"hypervisor pages (\d+) KiB, heap (\d+) bytes$"],
        expect_any_order=[r"^\[net1\] PASS net$",
                          r"^\[net2\] PASS net$",
                          r"^\[net3\] PASS net$",
                          r"^\[net2\] PASS net-ping$",
                          r"^\[net2\] PASS net-send$",
                          r"^\[net1\] PASS net-transfer$",
                          r"^\[net3\] PASS net-isolated$",
                          r"^\[net1\] \d+ passed, 0 failed$",
                          r"^\[net2\] \d+ passed, 0 failed$",
                          r"^\[net3\] \d+ passed, 0 failed$"],
        forbid=COMMON_FORBID + [r"FAIL", r"crashed", r"Oops", r"BUG:",
                                r"WARNING:"],
        exit_status=0, timeout=300),
    dict(
        name="p9-debian-linux",
        what="Debian's unmodified ppc64el kernel boots to its busybox "
             "initramfs in two partitions at once, an SMP one on native XIVE "
             "(XIVE IPIs counted, CPU offline/online) and one on the "
             "emulated XICS; a partition whose kernel is not an ELF is "
             "refused; both read the read-only v-scsi disk they share "
             "(image sha256, zeros past it) and cannot write it",
        machine="powernv9", cores=4, mem="4G",
        bundle="build/bundle/test/linux.itb",
        expect=[r'^config: error: lpar "broken": property "kernel": ',
                r'^lparvisor: partition "broken" refused by the '
                r'configuration check$',
                r"^lparvisor: every partition has stopped; powering off",
                r"OPAL: Shutdown request"],
        expect_any_order=[r"^\[deb1\] .*LINUX-USERSPACE-UP",
                          r"^\[deb2\] .*LINUX-USERSPACE-UP",
                          r"^\[deb1\] PASS cpu-hotplug",
                          r"^\[deb1\] PASS hwrng",
                          r"^\[deb1\] PASS hwclock",
                          r"^\[deb1\] PASS dmesg",
                          r"^\[deb1\] PASS nvram",
                          r"^\[deb2\] PASS nvram",
                          r"^\[deb1\] \d+ passed, 0 failed$",
                          r"^\[deb2\] \d+ passed, 0 failed$",
                          r"^\[deb1\] PASS intc$",
                          r"^\[deb1\] PASS intc-ipis$",
                          r"^\[deb1\] PASS perf-instructions$",
                          r"^\[deb2\] PASS perf-instructions$",
                          r"^\[deb2\] PASS mce$",
                          r"^\[deb2\] PASS intc$",
                          r"^\[deb1\] PASS watchdog$",
                          r"^\[deb2\] PASS watchdog$",
                          r"^\[deb2\] PASS watchdog-pet$",
                          r'^lparvisor: disk "shared": 8192 KiB read-only, '
                          r'image "disk"$',
                          r"^\[deb1\] PASS disk-read$",
                          r"^\[deb1\] PASS disk-ro$",
                          r"^\[deb2\] PASS disk-read$",
                          r"^\[deb2\] PASS disk-ro$",
                          r"^\[deb1\] .*xive: Interrupt handling initialized "
                          r"with spapr backend",
                          r"^\[deb1\] .*smp: Brought up 1 node, 2 CPUs",
                          r"^\[deb1\] .*lpar: Using radix MMU under hypervisor"],
        forbid=COMMON_FORBID + [r"FAIL", r"crashed", r"^\[broken\]",
                                r"Oops", r"BUG:", r"WARNING:",
                                # Linux's nvram driver with no NVRAM.
                                r"nvram: Failed to find or create"],
        exit_status=0, timeout=180),
    dict(
        name="p9-linux-nvme",
        what="PCI passthrough with Debian's nvme driver (issue 17): a XIVE "
             "partition owning PHB 0:0 (an NVMe controller on pcie.0, its "
             "disk a file of the scenario) loads nvme.ko from the kernel "
             "package, finds /dev/nvme0n1, takes MSI-X interrupts on its "
             "queues, makes an ext2 filesystem and reads 16 MiB back by "
             "sha256; it reboots with direct reads in flight (the PHB's "
             "devices stopped and hot-reset, its TCEs cleared) and its "
             "next life finds the file intact, "
             "and so does its first life after QEMU is started again on "
             "the same disk file (Linux finds EEH capable; its DMA goes "
             "through the dynamic DMA window it creates over all its "
             "memory); a XICS "
             "partition owning PHB 0:1 does "
             "the same, its MSIs forwarded to its emulated XICS",
        machine="powernv9", cores=3, mem="3G",
        bundle="build/bundle/test/linux-nvme.itb",
        scratch={"nvme.img": 64 << 20, "nvme-xics.img": 64 << 20},
        pci=["-blockdev", "driver=file,filename=@nvme.img,node-name=nv0",
             "-device", "nvme,drive=nv0,serial=lparvisor-nvx,bus=pcie.0",
             "-blockdev",
             "driver=file,filename=@nvme-xics.img,node-name=nv1",
             "-device", "nvme,drive=nv1,serial=lparvisor-nvs,bus=pcie.1"],
        expect=[r'^lparvisor: partition "nvx" owns PHB 0:0',
                r"^\[nvx\] .*LINUX-USERSPACE-UP",
                r"^\[nvx\] PASS nvme$",
                r"^\[nvx\] PASS nvme-fs$",
                r"^\[nvx\] PASS nvme-msi$",
                r"^\[nvx\] \d+ passed, 0 failed$",
                r"^\[nvx\] lparvisor-linux: nvme: rebooting with reads in "
                r"flight",
                r'^lparvisor: partition "nvx" rebooted; restarting it$',
                r'^lparvisor: partition "nvx": PHB 0:0: devices reset '
                r'\(\d+ ms\)$',
                r"^\[nvx\] .*LINUX-USERSPACE-UP",
                r"^\[nvx\] PASS nvme-kept$",
                r"^\[nvx\] PASS nvme-fs$",
                r"^\[nvx\] PASS nvme-msi$",
                r"^\[nvx\] \d+ passed, 0 failed$",
                r"^lparvisor: every partition has stopped; powering off",
                r"OPAL: Shutdown request"],
        expect_any_order=[
            r"^\[nvx\] .*EEH: Capable adapter found: recovery enabled",
            r'^lparvisor: partition "nvx": PHB 0:0: DMA window LIOBN '
            r"0x80000001 at 0x800000000000000: \d+ TCEs of 2048 KiB$",
            r'^lparvisor: partition "nvs": PHB 0:1: DMA window LIOBN '
            r"0x80000001 at 0x800000000000000: \d+ TCEs of 2048 KiB$",
            r"^\[nvx\] PASS nvme-ddw$",
            r"^\[nvs\] PASS nvme-ddw$",
            r"^\[nvs\] .*EEH: Capable adapter found: recovery enabled",
            r'^lparvisor: partition "nvs" owns PHB 0:1',
            r"^\[nvs\] PASS nvme$",
            r"^\[nvs\] PASS nvme-fs$",
            r"^\[nvs\] PASS nvme-msi$",
            r"^\[nvs\] PASS nvme-kept$",
            r'^lparvisor: partition "nvs" rebooted; restarting it$',
            r'^lparvisor: partition "nvs": PHB 0:1: devices reset '
            r'\(\d+ ms\)$',
            r"^\[nvs\] \d+ passed, 0 failed$"],
        forbid=COMMON_FORBID + [r"FAIL", r"crashed", r"Oops", r"BUG:",
                                r"WARNING:"],
        # QEMU restarted on the same disk file: the file of the last life
        # is there at the first boot.
        again=[dict(
            expect=[r"^\[nvx\] .*LINUX-USERSPACE-UP",
                    r"^\[nvx\] PASS nvme-kept$",
                    r"^\[nvx\] PASS nvme-fs$",
                    r"^\[nvx\] \d+ passed, 0 failed$",
                    r'^lparvisor: partition "nvx" powered off$',
                    r"OPAL: Shutdown request"],
            expect_any_order=[r"^\[nvs\] PASS nvme-kept$",
                              r"^\[nvs\] PASS nvme-msi$",
                              r"^\[nvs\] \d+ passed, 0 failed$"],
            forbid=COMMON_FORBID + [r"FAIL", r"crashed", r"Oops", r"BUG:",
                                    r"WARNING:", r"rebooted; restarting"],
            exit_status=0, timeout=120)],
        exit_status=0, timeout=240),
    dict(
        name="p9-linux-nic",
        what="PCI passthrough of a NIC and PowerVM-style sharing (issue "
             "17): a XIVE partition owning PHB 0:1 (QEMU's e1000e on "
             "pcie.1, on a user network with restrict=on) loads Debian's "
             "e1000e.ko, takes an address by DHCP (busybox udhcpc), pings "
             "the gateway and fetches 4 MiB with busybox wget from the "
             "harness (tests/boot/nicserve.py through guestfwd), checked by "
             "sha256, with MSI-X interrupts; then it bridges the e1000e "
             "and its trunk virtual LAN adapter (brctl), and an XICS "
             "partition with only a virtual LAN adapter gets its lease, "
             "the ping and the same file through that bridge; an XICS "
             "partition owning PHB 0:2 with a second e1000e passes the "
             "NIC checks, its MSIs forwarded to its emulated XICS; nothing "
             "reaches a port the scenario listens on on the host",
        machine="powernv9", cores=4, mem="3G",
        bundle="build/bundle/test/linux-nic.itb",
        pci=["-netdev", NIC_NETDEV,
             "-device", "e1000e,netdev=n0,bus=pcie.1,romfile=",
             "-netdev", NIC_NETDEV.replace("id=n0", "id=n1"),
             "-device", "e1000e,netdev=n1,bus=pcie.2,romfile="],
        expect=[r'^lparvisor: partition "nic" owns PHB 0:1',
                r"^\[nic\] .*LINUX-USERSPACE-UP",
                r"^\[nic\] PASS nic$",
                r"^\[nic\] PASS nic-dhcp$",
                r"^\[nic\] PASS nic-ping$",
                r"^\[nic\] PASS nic-wget$",
                r"^\[nic\] PASS nic-msi$",
                r"^\[nic\] PASS nic-restricted$",
                r"^\[nic\] lparvisor-linux: br0: DHCP lease ",
                r"^\[nic\] PASS bridge$",
                r"^\[nic\] PASS bridge-done$",
                r"^\[nic\] \d+ passed, 0 failed$",
                r"^lparvisor: every partition has stopped; powering off",
                r"OPAL: Shutdown request"],
        expect_any_order=[
            r'^lparvisor: partition "nics" owns PHB 0:2',
            r"^\[nics\] PASS nic$",
            r"^\[nics\] PASS nic-dhcp$",
            r"^\[nics\] PASS nic-ping$",
            r"^\[nics\] PASS nic-wget$",
            r"^\[nics\] PASS nic-msi$",
            r"^\[nics\] \d+ passed, 0 failed$",
            r"^\[vnet\] PASS vnet$",
            r"^\[vnet\] PASS nic-dhcp$",
            r"^\[vnet\] PASS nic-ping$",
            r"^\[vnet\] PASS nic-wget$",
            r"^\[vnet\] \d+ passed, 0 failed$"],
        checks=[_nic_sha("nic"), _nic_sha("vnet"), _nic_sha("nics")],
        # restrict=on: nic's nc to 10.0.2.2:47817 must not reach this.
        host_unreachable=[47817],
        forbid=COMMON_FORBID + [r"FAIL", r"crashed", r"Oops", r"BUG:",
                                r"WARNING:"],
        exit_status=0, timeout=240),
    dict(
        name="p9-linux-hash",
        what="Debian's unmodified kernel boots to its busybox initramfs in "
             "hash (HPT) partitions of two vCPUs, one on the emulated XICS "
             "and one on native XIVE (its ESB and TIMA pages entered by "
             "Linux), beside a radix one, and passes the same init checks "
             "and the memory stress (fork, touch and free 3 x 2 x 128 MiB); "
             "a fourth, hash in POWER8 compatibility mode, runs as an "
             "architected POWER8",
        machine="powernv9", cores=6, mem="4G",
        bundle="build/bundle/test/linux-hash.itb",
        expect=[r"^lparvisor: every partition has stopped; powering off",
                r"OPAL: Shutdown request"],
        expect_any_order=[r"^\[hash\] .*LINUX-USERSPACE-UP",
                          r"^\[radix\] .*LINUX-USERSPACE-UP",
                          r"^\[hash\] .*hash-mmu: Initializing hash mmu with SLB",
                          r"^\[hash\] .*Using 1TB segments",
                          r"^\[radix\] .*lpar: Using radix MMU under hypervisor",
                          r"^\[hash\] .*smp: Brought up 1 node, 2 CPUs",
                          r"^\[hash\] PASS cpu-hotplug",
                          r"^\[hash\] PASS dmesg",
                          r"^\[hash\] PASS intc$",
                          r"^\[hash\] PASS mmu$",
                          r"^\[hash\] PASS memstress$",
                          r"^\[hash\] \d+ passed, 0 failed$",
                          r"^\[hash-xive\] .*LINUX-USERSPACE-UP",
                          r"^\[hash-xive\] PASS intc$",
                          r"^\[hash-xive\] PASS intc-ipis$",
                          r"^\[hash-xive\] PASS cpu-hotplug",
                          r"^\[hash-xive\] PASS mmu$",
                          r"^\[hash-xive\] PASS memstress$",
                          r"^\[hash-xive\] \d+ passed, 0 failed$",
                          r"^\[radix\] PASS mmu$",
                          r"^\[radix\] PASS memstress$",
                          r"^\[radix\] \d+ passed, 0 failed$",
                          r"^\[p8\] .*POWER8 \(architected\) 0x4e[0-9a-f]+ "
                          r"0xf000004",
                          r"^\[p8\] .*LINUX-USERSPACE-UP",
                          r"^\[p8\] \d+ passed, 0 failed$"],
        forbid=COMMON_FORBID + [r"FAIL", r"crashed", r"Oops", r"BUG:",
                                r"WARNING:"],
        exit_status=0, timeout=300),
    dict(
        name="p8-linux",
        what="a POWER8 host (issue 15): Debian's unmodified kernel boots to "
             "its busybox initramfs in two hash partitions on the emulated "
             "XICS of a powernv8, as an architected POWER8: one of two vCPUs "
             "(CPU hot-plug, IPIs, the memory stress: fork, touch and free "
             "3 x 2 x 128 MiB) and one of one with disable_radix on its "
             "command line; both pass the same init checks",
        machine="powernv8", cores=3, mem="4G",
        bundle="build/bundle/test/linux-p8.itb",
        expect=[r"^lparvisor: every partition has stopped; powering off",
                r"OPAL: Shutdown request"],
        expect_any_order=[r"^\[smp\] .*LINUX-USERSPACE-UP",
                          r"^\[up\] .*LINUX-USERSPACE-UP",
                          r"^\[smp\] .*POWER8 \(architected\) 0x4d[0-9a-f]+ "
                          r"0xf000004",
                          r"^\[smp\] .*hash-mmu: Initializing hash mmu with SLB",
                          r"^\[smp\] .*smp: Brought up 1 node, 2 CPUs",
                          r"^\[smp\] PASS cpu-hotplug",
                          r"^\[smp\] PASS dmesg",
                          r"^\[smp\] PASS intc$",
                          r"^\[smp\] PASS mmu$",
                          r"^\[smp\] PASS memstress$",
                          # No darn on POWER8: no RNG node, as promised.
                          r"^\[smp\] PASS hwrng-none$",
                          r"^\[smp\] \d+ passed, 0 failed$",
                          r"^\[up\] PASS mmu$",
                          r"^\[up\] \d+ passed, 0 failed$"],
        forbid=COMMON_FORBID + [r"FAIL", r"crashed", r"Oops", r"BUG:",
                                r"WARNING:"],
        exit_status=0, timeout=240),
    dict(
        name="p9-linux-vof",
        what="Debian's unmodified kernel through lparvisor's own firmware "
             "(firmware = \"vof\", slof/): prom_init runs on the Open "
             "Firmware client interface (its messages on the console), "
             "negotiates with CAS in two dual partitions, XIVE for the "
             "default kernel and XICS with xive=off, flattens lparvisor's "
             "tree and quiesces; both pass the init checks",
        machine="powernv9", cores=4, mem="4G",
        bundle="build/bundle/test/linux-vof.itb",
        expect=[r"^lparvisor: every partition has stopped; powering off",
                r"OPAL: Shutdown request"],
        expect_any_order=[
            r"^\[vofxive\] Preparing to boot Linux version",
            r"^\[vofxics\] Preparing to boot Linux version",
            r"^\[vofxive\] Calling ibm,client-architecture-support\.\.\. "
            r"done",
            r"^\[vofxics\] Calling ibm,client-architecture-support\.\.\. "
            r"done",
            r'^lparvisor: partition "vofxive": CAS: XIVE, radix, POWER9$',
            r'^lparvisor: partition "vofxics": CAS: XICS, radix, POWER9$',
            r"^\[vofxive\] Quiescing Open Firmware \.\.\.",
            r"^\[vofxics\] Quiescing Open Firmware \.\.\.",
            r"^\[vofxive\] .*xive: Interrupt handling initialized "
            r"with spapr backend",
            r"^\[vofxive\] .*smp: Brought up 1 node, 2 CPUs",
            r"^\[vofxive\] .*lpar: Using radix MMU under hypervisor",
            r"^\[vofxive\] .*LINUX-USERSPACE-UP",
            r"^\[vofxics\] .*LINUX-USERSPACE-UP",
            r"^\[vofxive\] PASS intc$",
            r"^\[vofxive\] PASS intc-ipis$",
            r"^\[vofxics\] PASS intc$",
            r"^\[vofxive\] \d+ passed, 0 failed$",
            r"^\[vofxics\] \d+ passed, 0 failed$"],
        forbid=COMMON_FORBID + [r"FAIL", r"crashed", r"Oops", r"BUG:",
                                r"WARNING:", r"CAS refused"],
        exit_status=0, timeout=180),
    dict(
        name="p9-linux-slof",
        what="Debian's unmodified kernel through QEMU's SLOF, unmodified "
             "(firmware = \"slof\", Debian's slof.bin): SLOF's banner on "
             "the partition console, it finds the kernel lparvisor placed "
             "(qemu,boot-kernel) and boots it; prom_init's CAS reaches "
             "lparvisor as KVMPPC_H_CAS and picks XIVE in a dual "
             "partition; SLOF hands its tree back with KVMPPC_H_UPDATE_DT; "
             "the init checks pass",
        machine="powernv9", cores=4, mem="4G",
        bundle="build/bundle/test/linux-slof.itb",
        # The service console's `list` once SLOF has handed over: one CAS,
        # one tree update, no refusal.
        console_input=[(r"^\[slofxive\] Booting Linux via __start\(\)",
                        b"\x1dlist\r")],
        expect=[r"^\[slofxive\] SLOF \*+$",
                r"^\[slofxive\] Populating /vdevice/vty@71000000",
                r"^\[slofxive\] Detected RAM kernel at 400000 ",
                r"^\[slofxive\] Booting from memory\.\.\.",
                r"^\[slofxive\] Calling ibm,client-architecture-support"
                r"\.\.\. done",
                r"^lparvisor: every partition has stopped; powering off",
                r"OPAL: Shutdown request"],
        expect_any_order=[
            r"^\[slofxive\] Preparing to boot Linux version",
            r'^lparvisor: partition "slofxive": CAS: XIVE, radix, POWER9$',
            r"^\[slofxive\] Quiescing Open Firmware \.\.\.",
            r"^\[slofxive\] instantiating rtas at 0x[0-9a-f]+\.\.\. done",
            r"^\[lparvisor\] +slof: CAS 1, tree updates 1 \(last \d+ "
            r"bytes\), memops \d+, refused 0$",
            r"^\[slofxive\] .*xive: Interrupt handling initialized "
            r"with spapr backend",
            r"^\[slofxive\] .*smp: Brought up 1 node, 2 CPUs",
            r"^\[slofxive\] .*lpar: Using radix MMU under hypervisor",
            r"^\[slofxive\] .*LINUX-USERSPACE-UP",
            r"^\[slofxive\] PASS intc$",
            r"^\[slofxive\] PASS intc-ipis$",
            r"^\[slofxive\] \d+ passed, 0 failed$"],
        forbid=COMMON_FORBID + [r"FAIL", r"crashed", r"Oops", r"BUG:",
                                r"WARNING:", r"CAS refused",
                                r"HV-UPDATE-DT error"],
        exit_status=0, timeout=240),
    dict(
        name="p9-linux-grub",
        what="boot from disk (issue 18): SLOF loads GRUB from the PReP "
             "partition of the partition's v-scsi disk, GRUB's menu shows "
             "on the partition console and boots Debian's kernel and the "
             "test initramfs from the disk's ext4; the init checks pass",
        machine="powernv9", cores=4, mem="4G",
        bundle="build/bundle/test/linux-grub.itb",
        # GRUB draws its menu with terminal escapes: the patterns match
        # the words between them.
        expect=[r'^lparvisor: partition "grub" \(LPID 1\): .*SLOF booting '
                r'from its disks$',
                r"^\[grub\] SLOF \*+$",
                r"^\[grub\] .*SCSI: Looking for devices",
                r'^\[grub\] .*8000000000000000 DISK +: "LPARVSR',
                r"^\[grub\] Trying to load: +from: /vdevice/v-scsi@71000010/"
                r"disk@8000000000000000 \.\.\. +Successfully loaded",
                r"^\[grub\] .*lparvisor-grub: grub\.cfg read from "
                r"ieee1275/disk,msdos2",
                r"^\[grub\] .*GNU GRUB +version 2\.",
                # GRUB's menu and boot lines come out a character at a
                # time through SLOF; a line may be split where a write came
                # late under load (once after "Linux,"), so only their
                # start is matched.
                r"^\[grub\] .*\*Debian GNU/Linux",
                r"^\[grub\] .*Booting `Debian GNU/Linux",
                r"^\[grub\] .*lparvisor-grub: loading /boot/vmlinux-",
                r"^\[grub\] .*lparvisor-grub: loading /boot/initrd\.img-",
                r"^\[grub\] .*command line: BOOT_IMAGE=/boot/vmlinux-",
                r"^\[grub\] Calling ibm,client-architecture-support"
                r"\.\.\. done",
                r"^lparvisor: every partition has stopped; powering off",
                r"OPAL: Shutdown request"],
        expect_any_order=[
            r'^lparvisor: partition "grub": CAS: XIVE, radix, POWER9$',
            r"^\[grub\] .*xive: Interrupt handling initialized with "
            r"spapr backend",
            r"^\[grub\] .*LINUX-USERSPACE-UP",
            r"^\[grub\] PASS intc$",
            r"^\[grub\] PASS boot-disk$",
            r"^\[grub\] lparvisor-linux: booted /boot/vmlinux-\S+ from "
            r"/dev/sda2 through GRUB in /dev/sda1",
            r"^\[grub\] \d+ passed, 0 failed$"],
        forbid=COMMON_FORBID + [r"FAIL", r"crashed", r"Oops", r"BUG:",
                                r"WARNING:", r"CAS refused",
                                r"HV-UPDATE-DT error"],
        exit_status=0, timeout=240),
    dict(
        name="p9-linux-vios",
        what="issue 14, VIOS mode: Debian's ibmvscsis in partition io "
             "(XIVE) serves its own v-scsi disk through LIO's iblock "
             "backend on a v-scsi-host adapter paired with cli's v-scsi "
             "adapter (XICS); lparvisor relays the CRQ messages and "
             "copies the data with H_COPY_RDMA.  cli makes ext2, writes "
             "32 MiB, drops caches and reads it back (sha256); after cli's "
             "restart the file is intact and io was not restarted; the "
             "service console hard-restarts io: cli's reads fail while it "
             "is gone and work again, file intact, once it serves again",
        machine="powernv9", cores=4, mem="4G",
        bundle="build/bundle/test/linux-vios.itb",
        console_input=[
            (r"^\[cli\] lparvisor-linux: vios: restart the server now",
             b"\x1drestart -f io\r"),
            (r"^\[cli\] PASS vios-recovered$", b"\x1dlist\r")],
        stop_when={r"^\[cli\] \d+ passed, \d+ failed$": 2,
                   r"^\[lparvisor\] +vios: ": 2},
        expect=[r"^\[io\] PASS vios-serve$",
                r"^\[cli\] PASS vios-disk$",
                r"^\[cli\] PASS vios-fs$",
                r'^lparvisor: partition "cli" rebooted; restarting it$',
                r"^\[cli\] PASS vios-disk$",
                r"^\[cli\] PASS vios-kept$",
                r'^lparvisor: partition "io" was stopped from the service '
                r'console; restarting it$',
                r"^\[io\] PASS vios-serve$",
                r"^\[cli\] PASS vios-outage$",
                r"^\[cli\] PASS vios-recovered$"],
        expect_any_order=[
            r"^\[cli\] \d+ passed, 0 failed$",
            # The service console's line of each side: open, messages
            # and copies counted, the server's restart seen by the client.
            r'^\[lparvisor\] +vios: vhost0 server of "cli" open sent '
            r'[1-9]\d* events \d+ copies [1-9]\d* \([1-9]\d* KiB\) '
            r'refused \d+$',
            # (closed once cli has powered off, which may come first)
            r'^\[lparvisor\] +vios: vhost0 client of "io" (open|closed) '
            r'sent [1-9]\d* events [1-9]\d* copies 0 \(0 KiB\) refused '
            r'\d+$'],
        forbid=COMMON_FORBID + [r"FAIL", r"crashed", r"Oops", r"BUG:",
                                r"WARNING:",
                                r'partition "io" (rebooted|crashed|was '
                                r'reset)'],
        timeout=300),
    dict(
        name="p9-linux-nvme-vios",
        what="issue 17 with VIOS mode: partition io (XIVE) owns PHB 0:0 "
             "with an NVMe controller on pcie.0 (its disk a file of the "
             "scenario) and serves its /dev/nvme0n1 (Debian's nvme, DMA "
             "through its dynamic DMA window) through LIO's iblock backend "
             "and ibmvscsis to cli (XICS): ext2, 32 MiB written and read "
             "back by sha256, kept across cli's restart; io hard-restarted "
             "from the service console (its PHB hot-reset): cli's reads "
             "fail while it is gone and work again, file intact",
        machine="powernv9", cores=4, mem="4G",
        bundle="build/bundle/test/linux-nvme-vios.itb",
        scratch={"nvme.img": 64 << 20},
        pci=["-blockdev", "driver=file,filename=@nvme.img,node-name=nv0",
             "-device", "nvme,drive=nv0,serial=lparvisor-vios,bus=pcie.0"],
        console_input=[
            (r"^\[cli\] lparvisor-linux: vios: restart the server now",
             b"\x1drestart -f io\r"),
            (r"^\[cli\] PASS vios-recovered$", b"\x1dlist\r")],
        stop_when={r"^\[cli\] \d+ passed, \d+ failed$": 2,
                   r"^\[lparvisor\] +vios: ": 2},
        expect=[r'^lparvisor: partition "io" owns PHB 0:0',
                r'^lparvisor: partition "io": PHB 0:0: DMA window LIOBN '
                r"0x80000001 at 0x800000000000000: \d+ TCEs of 2048 KiB$",
                r"^\[io\] lparvisor-linux: vios: serving /dev/nvme0n1 as "
                r"LUN 0",
                r"^\[io\] PASS vios-serve$",
                r"^\[cli\] PASS vios-fs$",
                r'^lparvisor: partition "cli" rebooted; restarting it$',
                r"^\[cli\] PASS vios-kept$",
                r'^lparvisor: partition "io" was stopped from the service '
                r'console; restarting it$',
                r'^lparvisor: partition "io": PHB 0:0: devices reset '
                r'\(\d+ ms\)$',
                r"^\[io\] PASS vios-serve$",
                r"^\[cli\] PASS vios-outage$",
                r"^\[cli\] PASS vios-recovered$"],
        expect_any_order=[r"^\[cli\] \d+ passed, 0 failed$"],
        forbid=COMMON_FORBID + [r"FAIL", r"crashed", r"Oops", r"BUG:",
                                r"WARNING:",
                                r'partition "io" (rebooted|crashed|was '
                                r'reset)'],
        timeout=360),
    dict(
        name="p9-linux-lifecycle",
        what="Linux partitions: reboot restarts only that partition, a panic "
             "(sysrq c, RTAS ibm,os-term) applies the crash policy, Linux's "
             "pseries-wdt left unpetted restarts its partition through "
             "H_WATCHDOG (twice: it works after the restart too), and a "
             "shell takes console input; the service console lists the "
             "partitions (Ctrl-] list) and stops the shell's partition "
             "orderly (Ctrl-] stop idle: the EPOW power-off event, Linux "
             "ras.c's orderly_poweroff(), its shutdown messages, RTAS "
             "power-off); what the rebooter writes to its read-write "
             "v-scsi disk is still there after its restart",
        machine="powernv9", cores=4, mem="4G",
        bundle="build/bundle/test/linux-lifecycle.itb",
        console_input=[
            (r"^\[idle\] / # ", b"echo shell-$((6*7))\n"),
            (r"^\[idle\] shell-42", b"\x1dlist\r"),
            (r"^\[lparvisor\]   3 crasher", b"\x1dstop idle\r"),
        ],
        stop_when={r'^lparvisor: partition "rebooter" rebooted; restarting '
                   r'it$': 2,
                   r'^lparvisor: partition "crasher" crashed; restarting '
                   r'it$': 2,
                   r'^lparvisor: partition "wdog" was reset by its '
                   r'watchdog; restarting it$': 2,
                   r"^\[idle\] shell-42$": 1,
                   r"^\[lparvisor\]  \*1 idle: running": 1,
                   r'^lparvisor: partition "idle" powered off$': 1},
        expect_any_order=[
            r'^lparvisor: partition "crasher" terminated \(ibm,os-term\): '
            r'OS panic: sysrq triggered crash$',
            r"^\[crasher\] .*Kernel panic - not syncing: sysrq triggered "
            r"crash",
            r"^\[rebooter\] lparvisor-linux: rebooting$",
            r"^\[rebooter\] PASS disk-read$",
            r"^\[rebooter\] PASS disk-write$",
            r"^\[rebooter\] PASS disk-kept$",
            r"^\[rebooter\] PASS disk-fs$",
            r"^\[rebooter\] PASS disk-fs-kept$",
            r"^\[wdog\] PASS watchdog$",
            r"^\[wdog\] lparvisor-linux: letting the watchdog expire$",
            r'^lparvisor: partition "wdog": watchdog 1 expired: hard '
            r'restart$',
            r"^\[lparvisor\]   2 rebooter: \w+, 1 vCPU, 512 MiB, restarts \d",
            r'^\[lparvisor\] "idle": power-off event sent; waiting for '
            r"it to stop"],
        expect=[r"^lparvisor> stop idle$",
                # lparvisor's answer may come after the guest's first line.
                r"^\[idle\] .*Power off requested$",
                r"^\[idle\] lparvisor-linux: power-off requested: stopping "
                r"processes$",
                r"^\[idle\] lparvisor-linux: syncing and powering off$",
                r"^\[idle\] .*reboot: Power down$",
                r'^lparvisor: partition "idle" powered off$'],
        forbid=COMMON_FORBID + [r"FAIL", r"^lparvisor: partition \"idle\" "
                                r"(crashed|rebooted)",
                                r"after the power-off event",
                                r"still running 60 s after the watchdog"],
        timeout=240),
    dict(
        name="p9-linux-flash-nvram",
        what="Debian Linux's NVRAM kept in the PNOR image across machine "
             "power-offs (issue 16): its first life finds blank NVRAM, its "
             "nvram driver makes ibm,rtas-log and lnx,oops-log, init "
             "writes a marker through /dev/nvram and panics (sysrq c): "
             "Linux stores its oops record (nvram-store with interrupts "
             "off) and calls ibm,os-term, the crash policy (stop) follows "
             "and the machine powers off; QEMU starts again on the same "
             "image (NVRAM partitions only; -kernel and -initrd): the "
             "next life finds the marker, the same partitions, and the "
             "record of the last panic (zlib text, the same panic line); "
             "the service console's `shutdown` powers the machine off "
             "orderly (EPOW, Linux's shutdown, OPAL power-off)",
        machine="powernv9", cores=2, mem="2G",
        bundle="build/bundle/test/linux-nvram.itb",
        pnor="build/pnor/test/nvram-only.img",
        pnor_steps=[
            ("boot", dict(
                expect=[r"INIT: Assuming kernel at 0x20000000",
                        r"^lparvisor: partition NVRAM in flash partition "
                        r"LPAR_NVRAM \(1024 KiB at 0x100000, erase block 4 "
                        r"KiB, no erase\): 1 of 1 partitions have an area$",
                        r'^lparvisor: partition "nvlinux": blank NVRAM '
                        r"\(64 KiB\) in flash$",
                        r"^\[nvlinux\] PASS nvram$",
                        r"^\[nvlinux\] PASS nvram-partitions$",
                        r"^\[nvlinux\] lparvisor-linux: nvram marker "
                        r"written: lpv-mark-[0-9a-f]{16}$",
                        r"^\[nvlinux\] PASS nvram-marker-write$",
                        r"^\[nvlinux\] \d+ passed, 0 failed$",
                        r"^\[nvlinux\] \[ *\d+\.\d+\] Kernel panic - not "
                        r"syncing: sysrq triggered crash$",
                        # Its oops record is in NVRAM by then (Linux's
                        # panic_flush_kmsg_end() before ibm,os-term).
                        r'^lparvisor: partition "nvlinux" terminated '
                        r"\(ibm,os-term\): OS panic: sysrq triggered crash$",
                        r'^lparvisor: partition "nvlinux" crashed$',
                        r"^lparvisor: every partition has stopped; "
                        r"powering off",
                        r"OPAL: Shutdown request"],
                forbid=COMMON_FORBID + [r"FAIL", r"nvram: Failed",
                                        r"in memory only", r"restarting"],
                exit_status=0, timeout=150)),
        ],
        console_input=[
            (r"^\[nvlinux\] lparvisor-linux: waiting for a power-off "
             r"request$", b"\x1dshutdown\r")],
        expect=[r'^lparvisor: partition "nvlinux": NVRAM \(64 KiB\) read '
                r"from flash, copy [01], sequence \d+$",
                r"^\[nvlinux\] PASS nvram$",
                r"^\[nvlinux\] PASS nvram-partitions$",
                r"^\[nvlinux\] lparvisor-linux: nvram marker found: "
                r"lpv-mark-[0-9a-f]{16}$",
                r"^\[nvlinux\] PASS nvram-marker-kept$",
                r"^\[nvlinux\] lparvisor-linux: oops record: type (4|8), "
                r"number \d+, \d+ bytes$",
                r"^\[nvlinux\] PASS nvram-oops-kept$",
                r"^\[nvlinux\] \d+ passed, 0 failed$",
                r"^lparvisor> shutdown$",
                r"^\[lparvisor\] machine power-off: power-off event sent "
                r"to 1 partition: nvlinux; the machine powers off once every "
                r"partition has stopped",
                r"^\[nvlinux\] lparvisor-linux: syncing and powering off$",
                r'^lparvisor: partition "nvlinux" powered off$',
                r"^lparvisor: machine power-off: no partition runs",
                r"^lparvisor: every partition has stopped; powering off",
                r"OPAL: Shutdown request"],
        expect_any_order=[r"^\[nvlinux\] .*Power off requested$"],
        checks_prev=[_nvlife_kept],
        forbid=COMMON_FORBID + [r"FAIL", r"nvram: Failed", r"Oops",
                                r"in memory only", r"restarting",
                                r"still running", r"blank NVRAM"],
        exit_status=0, timeout=150),
    dict(
        name="p9-hcall-fuzz",
        what="10^6 seeded random and boundary hcalls and RTAS calls from "
             "two racing vCPUs of a partition, then RTAS and VPA buffers "
             "rewritten by one vCPU while the other passes them: every "
             "answer a PAPR code, nothing written past the buffers, its "
             "image untouched, no hypervisor fault, the neighbour's "
             "heartbeat on time; then 20000 random SRP and MAD requests to "
             "its v-scsi adapter",
        machine="powernv9", cores=4, mem="2G",
        bundle="build/bundle/test/fuzz.itb",
        expect=[r"^lparvisor: every partition has stopped; powering off",
                r"OPAL: Shutdown request"],
        # RTAS display-character, fuzzed too, may leave a stray byte at
        # the start of a line: the fuzz lines allow one.
        expect_any_order=[r"^\[fuzz\] .*fuzz: seed 20261125, 1000000 calls "
                          r"on 2 vCPUs",
                          r"^\[fuzz\] .*PASS fuzz-race-rtas-buffer",
                          r"^\[fuzz\] .*PASS fuzz-race-vpa-size",
                          r"^\[fuzz\] .*PASS fuzz-vscsi-login$",
                          r"^\[fuzz\] .*PASS fuzz-vscsi-codes$",
                          r"^\[fuzz\] .*PASS fuzz-vscsi-alive$",
                          r"^\[fuzz\] .*PASS fuzz-llan-works",
                          r"^\[fuzz\] .*PASS fuzz-llan-codes",
                          r"^\[fuzz\] .*PASS fuzz-llan-alive",
                          r"^\[fuzz\] .*fuzz: 1[0-9]{6} calls in all on 2 vCPUs, "
                          r"0 bad returns$",
                          r"^\[fuzz\] (.*\D)?\d+ passed, 0 failed$",
                          r"^\[steady\] heartbeat 30$",
                          r"^\[steady\] \d+ passed, 0 failed$",
                          r'^lparvisor: partition "fuzz" powered off$'],
        forbid=COMMON_FORBID + [r"FAIL", r"crashed", r"outside its memory"],
        exit_status=0, timeout=120),
    dict(
        name="p9-hcall-fuzz-xive",
        what="the same fuzzer in a XIVE partition: its H_INT_* calls reach "
             "the host XIVE through OPAL with random LISNs, targets, queues "
             "and ESB offsets; the neighbour's heartbeat on time",
        machine="powernv9", cores=3, mem="2G",
        bundle="build/bundle/test/fuzz-xive.itb",
        expect=[r"^lparvisor: every partition has stopped; powering off",
                r"OPAL: Shutdown request"],
        expect_any_order=[r"^\[fuzz-xive\] .*fuzz: seed 20261126, 500000 "
                          r"calls on 2 vCPUs",
                          r"^\[fuzz-xive\] .*fuzz: [5-9][0-9]{5} calls in all "
                          r"on 2 vCPUs, 0 bad returns$",
                          r"^\[fuzz-xive\] (.*\D)?\d+ passed, 0 failed$",
                          r"^\[steady\] heartbeat 30$",
                          r"^\[steady\] \d+ passed, 0 failed$",
                          r'^lparvisor: partition "fuzz-xive" powered off$'],
        forbid=COMMON_FORBID + [r"FAIL", r"crashed", r"outside its memory",
                                r"hypervisor interrupt while"],
        exit_status=0, timeout=120),
    dict(
        name="p9-hcall-fuzz-hash",
        what="the same fuzzer in a hash partition: its page-frame-table "
             "calls reach its hashed page table with random slots, entries "
             "and flags while it runs through the VRMA; the neighbour's "
             "heartbeat on time",
        machine="powernv9", cores=3, mem="2G",
        bundle="build/bundle/test/fuzz-hash.itb",
        expect=[r"^lparvisor: every partition has stopped; powering off",
                r"OPAL: Shutdown request"],
        expect_any_order=[r"^\[fuzz-hash\] .*fuzz: seed 20261207, 300000 "
                          r"calls on 2 vCPUs",
                          r"^\[fuzz-hash\] .*fuzz: [3-9][0-9]{5} calls in all "
                          r"on 2 vCPUs, 0 bad returns$",
                          r"^\[fuzz-hash\] (.*\D)?\d+ passed, 0 failed$",
                          r"^\[steady\] heartbeat 30$",
                          r"^\[steady\] \d+ passed, 0 failed$",
                          r'^lparvisor: partition "fuzz-hash" powered off$'],
        forbid=COMMON_FORBID + [r"FAIL", r"crashed", r"outside its memory"],
        exit_status=0, timeout=120),
    dict(
        name="p9-restart-100",
        what="three partitions crash, reboot and let their watchdog expire "
             "100 times each, at once: lparvisor's page and heap accounting "
             "never moves, a watchdog armed before a crash or reboot never "
             "fires in the next life, the neighbour's heartbeat never stops "
             "for 5 s",
        # clear=boot (issue 21): with memory cleared on first touch the
        # lives are short and the console carries ~700 lines/s.  Steady's
        # "165 s without a heartbeat" was the runner: its stop_when
        # rescanned every line at every line, fell behind, the full pipe
        # stalled QEMU's serial port and lparvisor's console writes gave
        # up (lines lost, steady's among them); fixed, steady passes.  Two
        # checks still fail with clear=lazy: the heap figure differs by
        # 1168 or 2336 bytes (never grows: likely another partition's
        # transient allocation at the same time, not analysed), and
        # crasher's 500 ms watchdog once fired right after a slow crash.
        machine="powernv9", cores=4, mem="2G", append="clear=boot",
        bundle="build/bundle/test/restart-100.itb",
        stop_when={r'^lparvisor: partition "crasher" restart 100: ': 1,
                   r'^lparvisor: partition "rebooter" restart 100: ': 1,
                   r'^lparvisor: partition "wdog" restart 100: ': 1,
                   r"^\[steady\] \d+ passed, 0 failed$": 1},
        same_values=[r'^lparvisor: partition "\w+" restart \d+: '
                     r'hypervisor pages (\d+) KiB, heap (\d+) bytes$'],
        expect_any_order=[r"^\[steady\] heartbeat 250$",
                          r'^lparvisor: partition "crasher" crashed; '
                          r'restarting it$',
                          r'^lparvisor: partition "rebooter" rebooted; '
                          r'restarting it$',
                          r'^lparvisor: partition "wdog" was reset by its '
                          r'watchdog; restarting it$'],
        forbid=COMMON_FORBID + [r"FAIL", r'partition "steady" crashed',
                                r'"(crasher|rebooter)": watchdog',
                                r'"(crasher|rebooter)" was reset'],
        timeout=240),
    dict(
        name="p9-exit-profile",
        what="profile=on: a partition's exit profile is printed when it "
             "stops, with exactly the null hcalls its payload made and the "
             "doorbells of its IPIs and prods, and its first guest entry is "
             "timed from the hand-off",
        machine="powernv9", cores=4, mem="2G", append="profile=on",
        bundle="build/bundle/test/profile.itb",
        expect=[r'^lparvisor: partition "bench" entered the guest \d+ us '
                r'after hand-off \(its boot took \d+ us: clearing its memory '
                r"\d+ us, waiting for its images' check \d+ us, loading \d+ "
                r'us\)$',
                r"^\[bench\] BENCH null-hcall 1000 \d+ 512000000$",
                r"^\[bench\] BENCH h-random 100 ",
                r"^\[bench\] BENCH rtas-get-time-of-day 100 ",
                r"^\[bench\] BENCH cede-prod 20 ",
                r"^\[bench\] BENCH ipi-ceded 20 ",
                r"^\[bench\] BENCH ipi-running 20 ",
                r"^\[bench\] 7 passed, 0 failed$",
                r'^lparvisor: partition "bench" powered off$',
                r'^lparvisor: profile "bench": 2 vCPUs, \d+ ms since boot, '
                r'[1-9]\d{3,} exits, \d+ us in them$',
                r'^lparvisor: profile "bench": exit 0xc00 system call: '
                r'[1-9]\d{3,}, \d+ us, \d+ ns each$',
                # IPIs and prods kick the other vCPU's thread: doorbells.
                r'^lparvisor: profile "bench": exit 0xe80 directed '
                r'hypervisor doorbell: [1-9]\d*, ',
                r'^lparvisor: profile "bench": hcall 0x028 H_SET_DABR: 1000, '
                r'\d+ us, \d+ ns each$',
                # 40 IPI rounds: the IPI and vCPU 1's MFRR reset each.
                r'^lparvisor: profile "bench": hcall 0x06c H_IPI: 80, ',
                r'^lparvisor: profile "bench": hcall 0x0e8 H_PROD: \d+, ',
                r'^lparvisor: profile "bench": hcall 0x300 H_RANDOM: 100, ',
                # 100 get-time-of-day by hcall, 10 more untimed first, and
                # the library's own few (start-cpu, stop-self, power-off,
                # ...); the 110 through the partition's RTAS code make
                # none.
                r'^lparvisor: profile "bench": hcall 0xf000 KVMPPC_H_RTAS: '
                r'11\d, ',
                r'^lparvisor: profile "bench": end$',
                r"^lparvisor: every partition has stopped; powering off"],
        forbid=COMMON_FORBID + [r"FAIL", r"BENCH-NOTE .*no answer",
                                r"hcall 0x000 others"],
        checks=[_prods_counted],
        exit_status=0),
    dict(
        name="p9-null-hcall-fast",
        what="issue 21: the null hcall (H_SET_DABR) and H_RANDOM answered "
             "in the vector before any frame is built (exits untimed, no "
             "profile=on) still count in the exit profile: Ctrl-] p typed "
             "once the payload's 1000 of each are done shows exactly 1000 "
             "of each; every H_RANDOM answer succeeded and differed from "
             "the one before",
        machine="powernv9", cores=4, mem="2G",
        bundle="build/bundle/test/nullfast.itb",
        console_input=[(r"^\[bench\] BENCH h-random ", b"\x1dp")],
        expect=[r"^\[bench\] BENCH null-hcall 1000 \d+ 512000000$",
                r"^\[bench\] BENCH h-random 1000 \d+ 512000000$",
                r'^lparvisor: profile "bench": 2 vCPUs, \d+ ms since boot, '
                r'\d+ exits \(untimed: boot option profile=on times '
                r'them\)$',
                r'^lparvisor: profile "bench": exit 0xc00 system call: '
                r'[1-9]\d{3,}, 0 us, 0 ns each$',
                r'^lparvisor: profile "bench": hcall 0x028 H_SET_DABR: 1000, '
                r'0 us, 0 ns each$',
                r'^lparvisor: profile "bench": hcall 0x300 H_RANDOM: 1000, '
                r'0 us, 0 ns each$',
                r'^lparvisor: profile "bench": end$',
                r"^\[bench\] 7 passed, 0 failed$",
                r"^lparvisor: every partition has stopped; powering off"],
        forbid=COMMON_FORBID + [r"FAIL", r"crashed"],
        exit_status=0),
    dict(
        name="p9-tickless",
        what="issue 21: a partition's two vCPUs spin in the guest for 5 s "
             "with nothing pending, on a machine with threads free for "
             "housekeeping: lparvisor's own exit counters (profile=on) "
             "show no hypervisor decrementer tick; each vCPU prints its "
             "largest gap between two timebase reads; next to it an XICS "
             "IPI held back by MSR[EE]=0 is still taken once EE is set",
        machine="powernv9", cores=6, mem="2G", append="profile=on",
        bundle="build/bundle/test/quiet.itb",
        expect=[r"^\[quiet\] noisy: mode spin for 5000 ms on 2 vCPUs$",
                r"^\[quiet\] noisy: vCPU 0 largest timebase gap \d+ us, "
                r"\d+ gaps over 100 us$",
                r"^\[quiet\] noisy: vCPU 1 largest timebase gap \d+ us, "
                r"\d+ gaps over 100 us$",
                r"^\[quiet\] \d+ passed, 0 failed$",
                r'^lparvisor: partition "quiet" powered off$',
                r'^lparvisor: profile "quiet": 2 vCPUs, \d+ ms since boot, '
                r'\d+ exits, \d+ us in them$',
                r'^lparvisor: profile "quiet": end$',
                r"^lparvisor: every partition has stopped; powering off"],
        expect_any_order=[r"^\[ipi-xics\] ipi: held IPI taken \d+ us after "
                          r"MSR\[EE\] was set$",
                          r"^\[ipi-xics\] PASS held IPI$",
                          r"^\[ipi-xics\] \d+ passed, 0 failed$"],
        forbid=COMMON_FORBID + [r"FAIL", r"crashed"],
        checks=[_tickless],
        exit_status=0),
    dict(
        name="p9-bare-compute",
        what="issue 21: the guest-compute payload built for the bare host "
             "(compute-bare.bin, no lparvisor) runs as skiboot's kernel in "
             "hypervisor state, parks the other threads, puts its own radix "
             "tree in use through PTCR and LPCR[HR|UPRT] and runs every "
             "phase on a small region (make bench's bare side)",
        machine="powernv9", cores=4, mem="2G",
        kernel="build/tests/guest/compute-bare.bin",
        append="mib=16 passes=1 randoms=10000 alu=100000",
        expect=[r"^PASS boot in hypervisor state$",
                r"^PASS boot memory below 0x20000000 is the payload's$",
                r"^PASS boot other threads parked$",
                r"^compute: platform qemu,powernv9, hypervisor none named$",
                r"^COMPUTE-DONE$",
                r"^BENCH compute-touch 4096 [1-9]\d* 512000000$",
                r"^BENCH compute-strided 4096 [1-9]\d* 512000000$",
                r"^BENCH compute-random 10000 [1-9]\d* 512000000$",
                r"^BENCH compute-alu 100000 [1-9]\d* 512000000$",
                r"^PASS compute benchmark ran \(16 MiB\)$",
                r"^6 passed, 0 failed$"],
        forbid=COMMON_FORBID + [r"FAIL", r"lparvisor"],
        exit_status=0, timeout=60),
    dict(
        name="p9-tickless-full",
        what="issue 21: three one-vCPU partitions spinning for 3 s fill a "
             "3-core machine (no thread free): only the thread that keeps "
             "house takes the 1 ms tick, so exactly one partition's profile "
             "shows hypervisor decrementer exits (before, all three did)",
        machine="powernv9", cores=3, mem="2G", append="profile=on",
        bundle="build/bundle/test/quietfull.itb",
        expect_any_order=[r"^\[spin0\] \d+ passed, 0 failed$",
                          r"^\[spin1\] \d+ passed, 0 failed$",
                          r"^\[spin2\] \d+ passed, 0 failed$",
                          r'^lparvisor: profile "spin0": end$',
                          r'^lparvisor: profile "spin1": end$',
                          r'^lparvisor: profile "spin2": end$'],
        expect=[r"^lparvisor: every partition has stopped; powering off"],
        forbid=COMMON_FORBID + [r"FAIL", r"crashed"],
        checks=[_one_keeper],
        exit_status=0),
    _noisy("spin", "the control for the two below: a partition's two "
                   "vCPUs only spin in the guest; the neighbour's 100 ms "
                   "heartbeat and its longest gap (bound 2 s)"),
    _noisy("flood", "a partition's two vCPUs call H_PUT_TERM_CHAR with 16 "
                    "newlines in a loop: the neighbour's longest heartbeat "
                    "gap, to compare with the control's (bound 2 s; QEMU's "
                    "UART emulation delays it too, issue 20)"),
    _noisy("reset", "a XIVE partition's two vCPUs call H_INT_RESET in a "
                    "loop: its OPAL calls hold no lock the neighbour or "
                    "housekeeping needs; the neighbour's heartbeat within a "
                    "sanity bound (QEMU's own lock makes XIVE MMIO delay "
                    "every vCPU)"),
]


def _on_power10(name, new_name, what):
    """Scenario `name` again, unchanged but for the machine: a Power10."""
    base = next(s for s in SCENARIOS if s["name"] == name)
    return dict(base, name=new_name, machine="powernv10", what=what)


# Issue 15: hash partitions on Power10 too (same payloads, same checks).
SCENARIOS.append(_on_power10(
    "p9-hash-partitions", "p10-hash-partitions",
    "Power10: p9-hash-partitions' hash partitions (the page-frame-table "
    "payload's checks with its XIVE TIMA and ESB entries, 30 lives, the "
    "probes past memory stopped) beside a radix one"))
