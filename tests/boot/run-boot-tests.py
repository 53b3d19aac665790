#!/usr/bin/env python3
"""Boot scenarios under QEMU PowerNV: run each scenario of scenarios.py
(two at a time), check the console, and report timings.

Usage: run-boot-tests.py KERNEL LOGDIR [SCENARIO ...]
Ends with "N passed, N failed" (one per scenario).
"""
import concurrent.futures
import os
import re
import shutil
import socket
import sys
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tools"))
sys.path.insert(0, HERE)

import mkpnor  # noqa: E402
import qemu_powernv  # noqa: E402
from scenarios import SCENARIOS  # noqa: E402

TIMEOUT = 90  # seconds per scenario; a healthy one takes 2-5 s under TCG


def check(sc, run):
    """Return a list of problems (empty when the scenario passed)."""
    problems = []
    lines = [t for _, t in run.lines]
    pos = 0
    for pat in sc.get("expect", []):
        rx = re.compile(pat)
        while pos < len(lines) and not rx.search(lines[pos]):
            pos += 1
        if pos == len(lines):
            problems.append("missing (in order): %s" % pat)
            break
        pos += 1
    for pat in sc.get("expect_any_order", []):
        if not any(re.search(pat, l) for l in lines):
            problems.append("missing: %s" % pat)
    for pat in sc.get("forbid", []):
        hits = [l for l in lines if re.search(pat, l)]
        if hits:
            problems.append("forbidden %r seen: %s" % (pat, hits[0]))
    if "memory" in sc:
        got = [l[len("memory: "):] for l in lines if l.startswith("memory: ")]
        if got != sc["memory"]:
            problems.append("memory map %r, expected %r" % (got, sc["memory"]))
    for pat in sc.get("same_values", []):
        seen = set(m.groups() for m in (re.search(pat, l) for l in lines) if m)
        if len(seen) > 1:
            problems.append("%r captured differing values: %s" %
                            (pat, sorted(seen)[:4]))
        elif not seen:
            problems.append("missing: %s" % pat)
    for pat, n in sc.get("stop_when", {}).items():
        got = sum(1 for l in lines if re.search(pat, l))
        if got < n:
            problems.append("%r seen %d times, wanted %d" % (pat, got, n))
    for fn in sc.get("checks", []):
        problem = fn(lines)
        if problem:
            problems.append(problem)
    if run.timed_out:
        problems.append("timed out after %d s" % sc.get("timeout", TIMEOUT))
    elif "stop_when" in sc:
        pass  # stopped by the runner once it had seen enough
    elif run.exit_status != sc.get("exit_status", 0):
        problems.append("QEMU exit status %s, expected %s" %
                        (run.exit_status, sc.get("exit_status", 0)))
    return problems


def run_one(sc, kernel, logdir):
    # A scenario may boot a payload of its own as skiboot's kernel
    # instead of lparvisor (relative to the repository root).
    kernel = sc.get("kernel", kernel)
    if not os.path.exists(kernel):
        return sc, qemu_powernv.Run(), ["kernel %s was not built" % kernel], \
            os.path.join(logdir, sc["name"] + ".log")
    initrd = sc.get("bundle")  # relative to the repository root
    log = os.path.join(logdir, sc["name"] + ".log")
    pnor = sc.get("pnor")
    if pnor:
        # Booted from a copy of the flash image (alone: no -kernel,
        # -initrd or -append, unless the scenario has a bundle): QEMU
        # writes through to the file.
        if not os.path.exists(pnor):
            return sc, qemu_powernv.Run(), ["PNOR image %s was not built" %
                                            pnor], log
        os.makedirs(logdir, exist_ok=True)
        copy = os.path.join(logdir, sc["name"] + ".pnor")
        shutil.copyfile(pnor, copy)
        # With a bundle too, skiboot boots -kernel and -initrd (an image
        # of the NVRAM partitions alone: mkpnor.py build --nvram-only).
        cmd = qemu_powernv.qemu_command(sc["machine"], sc["cores"],
                                        sc["mem"], kernel if initrd else None,
                                        sc.get("append", ""), initrd=initrd,
                                        pnor=copy)
        problems, prev = pnor_steps(sc, cmd, copy, log)
        if problems:
            return sc, qemu_powernv.Run(), problems, log
    else:
        cmd = qemu_powernv.qemu_command(sc["machine"], sc["cores"],
                                        sc["mem"], kernel,
                                        sc.get("append", ""), initrd=initrd,
                                        pci=scratch_files(sc, logdir))
    if initrd and not os.path.exists(initrd):
        run = qemu_powernv.Run()
        return sc, run, ["boot bundle %s was not built" % initrd], log
    try:
        watch = HostWatch(sc.get("host_unreachable", []))
    except OSError as e:
        return sc, qemu_powernv.Run(), ["cannot listen on the host: %s" %
                                        e], log
    try:
        run = qemu_powernv.run_captured(cmd, sc.get("timeout", TIMEOUT),
                                        log_path=log, stop_when=stopper(sc),
                                        script=sc.get("console_input"))
    finally:
        watch.close()
    problems = check(sc, run) + watch.problems()
    if pnor:
        problems += across_boots(sc, prev, run)
    if not problems:
        problems = again(sc, cmd, log)
    return sc, run, problems, log


def again(sc, cmd, log):
    """The scenario's "again" boots: QEMU started anew with the same
    command (and so the same scratch files, kept), each run checked like
    a scenario against its own dict (log LOG with .againN before .log)."""
    for n, step in enumerate(sc.get("again", []), 1):
        step_log = log[:-len(".log")] + ".again%d.log" % n
        run = qemu_powernv.run_captured(cmd, step.get("timeout", TIMEOUT),
                                        log_path=step_log,
                                        stop_when=stopper(step))
        problems = check(step, run)
        if problems:
            return ["QEMU boot %d (log %s): %s" % (n + 1, step_log, p)
                    for p in problems]
    return []


class HostWatch:
    """The scenario's "host_unreachable" ports: a listener on each
    127.0.0.1:PORT for the whole run, which QEMU's user network would
    reach as 10.0.2.2:PORT were it not restricted.  Each accepted
    connection is counted (and told "lparvisor-host"): any is a problem,
    traffic that left the guest's network."""

    def __init__(self, ports):
        self.socks, self.hits = [], {p: 0 for p in ports}
        for p in ports:
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(("127.0.0.1", p))
            s.listen(4)
            self.socks.append(s)
            threading.Thread(target=self._accept, args=(s, p),
                             daemon=True).start()

    def _accept(self, s, port):
        while True:
            try:
                c, _ = s.accept()
            except OSError:
                return
            self.hits[port] += 1
            try:
                c.sendall(b"lparvisor-host\n")
            except OSError:
                pass
            c.close()

    def close(self):
        for s in self.socks:
            try:
                s.shutdown(socket.SHUT_RDWR)  # wakes the accept()
            except OSError:
                pass
            s.close()

    def problems(self):
        return ["the guest reached the host's 127.0.0.1:%d (%d connection%s) "
                "through a restricted user network" % (p, n, "" if n == 1
                                                       else "s")
                for p, n in self.hits.items() if n]


def scratch_files(sc, logdir):
    """The scenario's "pci" arguments with each "@NAME" of its "scratch"
    ({NAME: bytes}) replaced by the path of a new zero-filled file
    LOGDIR/<scenario>.NAME (a disk behind a passed-through device), and
    "@HERE" by this folder's absolute path (tests/boot: a program of the
    harness QEMU runs, such as nicserve.py for guestfwd)."""
    pci = sc.get("pci")
    if pci is None:
        return None
    os.makedirs(logdir, exist_ok=True)
    paths = {"@HERE": HERE}
    for name, size in sc.get("scratch", {}).items():
        paths["@" + name] = os.path.join(logdir, "%s.%s" % (sc["name"], name))
        with open(paths["@" + name], "wb") as f:
            f.truncate(size)
    out = []
    for a in pci:
        for tok, path in paths.items():
            a = a.replace(tok, path)
        out.append(a)
    return out


def stopper(sc):
    """The scenario's (or boot step's) "stop_when" as run_captured wants
    it: true once each pattern was seen its number of times; QEMU is then
    killed (0.2 s later), as a power cut would stop the machine."""
    if "stop_when" not in sc:
        return None

    want = [(re.compile(p), n) for p, n in sc["stop_when"].items()]
    counts = [0] * len(want)
    final = [0]  # lines counted for good: all but the last

    def stop_when(lines):
        # Called at every console line: counting only the new lines keeps
        # it linear.  Rescanning every line each time (as before) made the
        # reader fall behind lparvisor's console on long noisy runs; the
        # full pipe stalled QEMU's serial port and lparvisor dropped lines
        # (issue 21: p9-restart-100 with clear=lazy lost steady's lines).
        # The last line may still be joined to a continuation row.
        for line in lines[final[0]:len(lines) - 1]:
            for i, (p, _) in enumerate(want):
                if p.search(line):
                    counts[i] += 1
        final[0] = max(final[0], len(lines) - 1)
        last = lines[-1] if lines else ""
        return all(counts[i] + (1 if p.search(last) else 0) >= n
                   for i, (p, n) in enumerate(want))
    return stop_when


def across_boots(sc, prev, run):
    """"checks_prev" of a boot (step): each fn(previous boot's lines, this
    boot's lines) returns a problem or None."""
    if prev is None:
        return []
    lines = [t for _, t in run.lines]
    return [p for p in (fn(prev, lines) for fn in sc.get("checks_prev", []))
            if p]


def pnor_steps(sc, cmd, image, log):
    """The scenario's "pnor_steps", in order, on its copy of the image:
    ("erase", NAME) erases a partition (0xff) as pflash -e would;
    ("update", BUNDLE) rewrites ROOTFS with tools/mkpnor.py's update;
    ("boot", {expect, forbid, console_input, ...}) boots the image once
    and checks that run like a scenario (log LOG with .bootN before .log), stopping it
    with its "stop_when" and checking it against the boot before with its
    "checks_prev"; ("torn", None) counts the areas of LPAR_NVRAM whose
    newer slot is invalid, a write the last boot's power cut interrupted
    (tools/mkpnor.py nvram_areas), and at least "min_torn" must be seen.
    Returns the problems of the first step that failed, and the last
    boot's lines (None without a boot step)."""
    boots = 0
    prev = None
    torn = 0
    for kind, arg in sc.get("pnor_steps", []):
        with open(image, "rb") as f:
            img = f.read()
        if kind == "torn":
            areas = mkpnor.nvram_areas(img)
            with open(log[:-len(".log")] + ".torn.txt", "a") as f:
                f.write("after boot %d:\n%s\n" % (
                    boots, mkpnor.describe_areas(areas)))
            # One valid slot beside one that is not, after two stores or
            # more: the invalid one was being written when QEMU died.
            torn += sum(1 for a in areas if a["cur"] is not None and
                        a["slots"][a["cur"]][1] >= 2 and
                        not all(ok for ok, _ in a["slots"]))
            continue
        if kind == "erase":
            p = [q for q in mkpnor.read_toc(img) if q["name"] == arg][0]
            img = img[:p["base"]] + b"\xff" * p["size"] + \
                img[p["base"] + p["size"]:]
        elif kind == "update":
            with open(arg, "rb") as f:
                img = mkpnor.update_image(img, bundle=f.read())
        elif kind == "boot":
            boots += 1
            step_log = log[:-len(".log")] + ".boot%d.log" % boots
            run = qemu_powernv.run_captured(cmd, arg.get("timeout", TIMEOUT),
                                            log_path=step_log,
                                            stop_when=stopper(arg),
                                            script=arg.get("console_input"))
            problems = check(arg, run) + across_boots(arg, prev, run)
            if problems:
                return ["boot %d (log %s): %s" % (boots, step_log, p)
                        for p in problems], None
            prev = [t for _, t in run.lines]
            continue
        with open(image, "wb") as f:
            f.write(img)
    if torn < sc.get("min_torn", 0):
        return ["the power cuts interrupted %d NVRAM writes, wanted at least "
                "%d" % (torn, sc["min_torn"])], None
    return [], prev


def timing(run):
    handoff = run.first_time("INIT: Starting kernel")
    ready = run.first_time("lparvisor: ready")
    if handoff is None:
        return "no hand-off seen"
    s = "QEMU start -> skiboot hand-off %.2f s" % handoff
    if ready is not None:
        s += ", hand-off -> ready %.3f s" % (ready - handoff)
    return s


def main(argv):
    kernel, logdir = argv[0], argv[1]
    wanted = set(argv[2:])
    scenarios = [s for s in SCENARIOS if not wanted or s["name"] in wanted]
    unknown = sorted(wanted - set(s["name"] for s in SCENARIOS))
    if unknown or not scenarios:
        # A typo must not run nothing and pass (issue 19).
        print("FAIL: no such scenario: %s (tests/boot/scenarios.py)" %
              " ".join(unknown or ["(none selected)"]))
        print("0 passed, 1 failed")
        return 1
    if shutil.which(qemu_powernv.QEMU) is None:
        print("FAIL: %s not found (run tools/deps.sh)" % qemu_powernv.QEMU)
        print("0 passed, %d failed" % len(scenarios))
        return 1
    passed = failed = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        futures = [pool.submit(run_one, sc, kernel, logdir) for sc in scenarios]
        for fut in futures:
            sc, run, problems, log = fut.result()
            if problems:
                failed += 1
                print("FAIL %s: %s (%.1f s; log %s)" % (sc["name"], sc["what"],
                                                         run.duration, log))
                for p in problems:
                    print("    " + p)
                tail = [t for _, t in run.lines][-15:]
                for t in tail:
                    print("    | " + t)
            else:
                passed += 1
                print("PASS %s: %s (%.1f s; %s)" % (sc["name"], sc["what"],
                                                     run.duration, timing(run)))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
