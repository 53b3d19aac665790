#!/usr/bin/env python3
"""check-vof-tree (issue 18): the device tree Linux gets through a partition
firmware, compared property by property with QEMU's -M pseries running the
same firmware.

Usage: cmp-tree.py KERNEL BUNDLE VMLINUX INITRAMFS ALLOWLIST LOGDIR [FW]

FW is "vof" (the default: lparvisor's own firmware against QEMU's
-M pseries,x-vof=on) or "slof" (QEMU's SLOF in both).  KERNEL
(lparvisor.elf) boots BUNDLE (tests/boot/configs/vof-tree.dts) on QEMU's
powernv9: two "dual" partitions with firmware = FW, "FWxive" (2 vCPUs,
the default kernel: CAS picks XIVE) and "FWxics" (1 vCPU, xive=off:
XICS).  Their init (tests/linux/init, lparvisor.fdt=only) prints
/sys/firmware/fdt, the tree prom_init flattened from the firmware's tree
after CAS, gzipped in base64, and powers off.  Then VMLINUX and INITRAMFS
boot on -M pseries,ic-mode=dual (x-vof=on for vof) with the same vCPUs,
memory, devices (vty, RNG; QEMU adds its NVRAM and PHB itself) and
command line, and print theirs.

Each pair is compared property by property.  Nodes are matched by path,
a node's unit address left out where its name is unique among its
siblings (vty@71000000 against vty@71000001); phandle values are
firmware's own numbering, so "phandle" and "linux,phandle" are compared
by presence and "interrupt-parent" by the path it points to.  Every
difference must match an entry of ALLOWLIST, which gives its reason:

    CASE KIND PATH PROPERTY reason...

CASE is an fnmatch pattern on FW-case ("vof-xive", "slof-xics", "*-xics",
"*"), KIND differs, only-lparvisor, only-qemu or * (any), PATH and
PROPERTY are fnmatch patterns on the normalised path and the property
name ("-" for a whole node).  Each
difference (with both values) and the entry that explains it goes to
LOGDIR/tree-FW-CASE.txt; LOGDIR also keeps the blobs (.dtb) and
consoles.

One line per check: each side's blob arrived whole (its size and md5 as
the guest printed them), the unexplained differences (one FAIL each), the
explained ones (one PASS per case, counted), and every allowlist entry
still used by some difference (an unused one fails: the list must stay
true).  Then "N passed, N failed".  A missing file or a boot that prints
no tree is a failure, never a skip.
"""
import base64
import concurrent.futures
import fnmatch
import gzip
import hashlib
import os
import re
import struct
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tools"))

import qemu_powernv  # noqa: E402

# case: (vCPUs, command line); the command lines are the bundle's
# bootargs; the partitions are named FW + case.
CASES = {
    "xive": (2, "console=hvc0 lparvisor.vcpus=2 lparvisor.intc=xive "
             "lparvisor.fdt=only"),
    "xics": (1, "console=hvc0 xive=off lparvisor.vcpus=1 "
             "lparvisor.intc=xics lparvisor.fdt=only"),
}
FIRMWARE = {"vof": "pseries,x-vof=on,ic-mode=dual",
            "slof": "pseries,ic-mode=dual"}
MEMORY = "512M"
TIMEOUT = 180
STAMP = re.compile(r"^\[ *[0-9.]+\] ")
KINDS = ("differs", "only-lparvisor", "only-qemu")


def qemu_command(machine, vmlinux, initramfs, vcpus, append):
    return ["qemu-system-ppc64", "-M", machine,
            "-cpu", "power9", "-m", MEMORY, "-smp", str(vcpus),
            "-nodefaults", "-nographic", "-no-reboot",
            "-chardev", "stdio,id=c,signal=off",
            "-device", "spapr-vty,chardev=c",
            "-object", "rng-builtin,id=r", "-device", "spapr-rng,rng=r",
            "-kernel", vmlinux, "-initrd", initramfs, "-append", append]


def extract_fdt(lines):
    """(blob, problem): the tree between FDT-BEGIN and FDT-END, checked
    against the size and md5 the guest printed."""
    begin = [i for i, l in enumerate(lines) if l.startswith("FDT-BEGIN ")]
    if not begin:
        return None, "no FDT-BEGIN on the console"
    b = begin[0]
    try:
        e = lines.index("FDT-END", b)
    except ValueError:
        return None, "no FDT-END after FDT-BEGIN"
    head = lines[b].split()
    try:
        blob = gzip.decompress(base64.b64decode("".join(lines[b + 1:e])))
    except (ValueError, OSError, EOFError) as err:
        return None, "the tree does not decode: %s" % err
    if len(head) != 3 or head[1] != str(len(blob)) or \
            head[2] != hashlib.md5(blob).hexdigest():
        return None, "size/md5 %s, got %d %s" % (
            " ".join(head[1:]), len(blob), hashlib.md5(blob).hexdigest())
    return blob, None


def parse_fdt(blob):
    """{path: {property: bytes}} (the root is "/")."""
    magic, total, off_struct, off_strings = struct.unpack(">4I", blob[:16])
    if magic != 0xd00dfeed or total > len(blob):
        raise ValueError("not a flattened tree")
    nodes, stack = {}, []
    pos = off_struct
    while pos + 4 <= total:
        token = struct.unpack(">I", blob[pos:pos + 4])[0]
        pos += 4
        if token == 1:  # FDT_BEGIN_NODE
            end = blob.index(b"\0", pos)
            name = blob[pos:end].decode("ascii", "replace")
            pos = (end + 4) & ~3
            stack.append(name)
            path = "/" + "/".join(stack[1:])
            nodes[path] = {}
        elif token == 2:  # FDT_END_NODE
            stack.pop()
        elif token == 3:  # FDT_PROP
            size, nameoff = struct.unpack(">II", blob[pos:pos + 8])
            pos += 8
            s = off_strings + nameoff
            pname = blob[s:blob.index(b"\0", s)].decode("ascii", "replace")
            nodes["/" + "/".join(stack[1:])][pname] = blob[pos:pos + size]
            pos = (pos + size + 3) & ~3
        elif token == 4:  # FDT_NOP
            continue
        elif token == 9:  # FDT_END
            break
        else:
            raise ValueError("bad token %#x at %#x" % (token, pos - 4))
    return nodes


def normalise(nodes):
    """{normalised path: (real path, properties)}: a unit address is left
    out where the name before it is unique among the node's siblings."""
    children = {}
    for path in nodes:
        if path != "/":
            parent, _, name = path.rpartition("/")
            children.setdefault(parent or "/", []).append(name)
    out = {}

    def walk(real, norm):
        out[norm] = (real, nodes[real])
        names = children.get(real, [])
        bases = [n.split("@")[0] for n in names]
        for n in names:
            base = n.split("@")[0]
            short = base if bases.count(base) == 1 else n
            walk(real.rstrip("/") + "/" + n, norm.rstrip("/") + "/" + short)
    walk("/", "/")
    return out


def phandles(nodes):
    return {struct.unpack(">I", props[p])[0]: path
            for path, props in nodes.items()
            for p in ("phandle", "linux,phandle")
            if len(props.get(p, b"")) == 4}


def comparable(prop, value, handles):
    """The value as compared: phandles by presence, interrupt-parent by
    the path it names."""
    if prop in ("phandle", "linux,phandle"):
        return b"(a phandle)"
    if prop == "interrupt-parent" and len(value) == 4:
        return ("-> " + handles.get(struct.unpack(">I", value)[0],
                                    "?")).encode()
    return value


def show(value):
    if value is None:
        return "(absent)"
    text = value.split(b"\0")
    if value.endswith(b"\0") and all(t and all(32 <= c < 127 for c in t)
                                     for t in text[:-1]):
        s = " ".join('"%s"' % t.decode() for t in text[:-1])
    elif len(value) % 4 == 0 and value:
        s = "<" + " ".join("%x" % c for c in struct.unpack(
            ">%dI" % (len(value) // 4), value)) + ">"
    else:
        s = "[" + value.hex() + "]"
    return s if len(s) <= 160 else s[:150] + "... (%d bytes)" % len(value)


def differences(ours, qemu):
    """[(kind, path, property, our value, QEMU's value)]; property "-" for
    a node that only one side has."""
    a, b = normalise(ours), normalise(qemu)
    ha, hb = phandles(ours), phandles(qemu)
    out = []
    for path in sorted(set(a) | set(b)):
        if path not in b:
            out.append(("only-lparvisor", path, "-", None, None))
            continue
        if path not in a:
            out.append(("only-qemu", path, "-", None, None))
            continue
        pa, pb = a[path][1], b[path][1]
        for prop in sorted(set(pa) | set(pb)):
            va, vb = pa.get(prop), pb.get(prop)
            if va is None:
                out.append(("only-qemu", path, prop, None, vb))
            elif vb is None:
                out.append(("only-lparvisor", path, prop, va, None))
            elif comparable(prop, va, ha) != comparable(prop, vb, hb):
                out.append(("differs", path, prop, va, vb))
    return out


def load_allowlist(path):
    """[(line number, case, kind, path, property, reason)]."""
    entries = []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            parts = line.split(None, 4)
            if len(parts) < 5 or parts[1] not in KINDS + ("*",):
                raise ValueError("%s:%d: want CASE KIND PATH PROPERTY "
                                 "reason" % (path, n))
            entries.append((n,) + tuple(parts))
    return entries


def explain(entries, case, diff):
    kind, path, prop = diff[:3]
    for e in entries:
        n, ecase, ekind, epath, eprop, reason = e
        if fnmatch.fnmatchcase(case, ecase) and ekind in ("*", kind) and \
                fnmatch.fnmatchcase(path, epath) and \
                fnmatch.fnmatchcase(prop, eprop):
            return e
    return None


def main(argv):
    if len(argv) not in (7, 8) or argv[7:] and argv[7] not in FIRMWARE:
        print(__doc__.split("\n\n")[1])
        print("0 passed, 1 failed")
        return 1
    kernel, bundle, vmlinux, initramfs, allow, logs = argv[1:7]
    fw = argv[7] if len(argv) == 8 else "vof"
    results = []

    def record(name, ok, detail=""):
        results.append((name, ok, detail))
        print("%s %s%s" % ("PASS" if ok else "FAIL", name,
                           (" (%s)" % detail if ok else ": %s" % detail)
                           if detail else ""), flush=True)

    missing = [p for p in (kernel, bundle, vmlinux, initramfs, allow)
               if not os.path.isfile(p)]
    if missing:
        record("inputs", False, "missing %s" % ", ".join(missing))
        print("0 passed, 1 failed")
        return 1
    entries = load_allowlist(allow)
    os.makedirs(logs, exist_ok=True)

    # lparvisor: both partitions in one machine.
    run = qemu_powernv.run_captured(
        qemu_powernv.qemu_command("powernv9", 4, "4G", kernel,
                                  initrd=bundle),
        TIMEOUT, log_path=os.path.join(logs, "tree-%s-lparvisor.log" % fw),
        stop_on="OPAL: Shutdown")
    lpar_lines = [STAMP.sub("", l) for _, l in run.lines]

    def qemu_run(case):
        vcpus, append = CASES[case]
        cmd = qemu_command(FIRMWARE[fw], vmlinux, initramfs, vcpus, append)
        return qemu_powernv.run_captured(
            cmd, TIMEOUT, log_path=os.path.join(logs, "tree-%s-qemu-%s.log"
                                                % (fw, case)))
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        qruns = dict(zip(CASES, pool.map(qemu_run, CASES)))

    used = set()
    for case in CASES:
        part = fw + case
        prefix = "[%s] " % part
        ours, problem = extract_fdt([l[len(prefix):] for l in lpar_lines
                                     if l.startswith(prefix)])
        case_id = "%s-%s" % (fw, case)
        record("%s/lparvisor-tree" % case_id, ours is not None, problem or
               "%d bytes from partition %s" % (len(ours), part))
        qemu, problem = extract_fdt([l for _, l in qruns[case].lines])
        record("%s/qemu-tree" % case_id, qemu is not None, problem or
               "%d bytes from -M %s" % (len(qemu), FIRMWARE[fw]))
        if ours is None or qemu is None:
            continue
        for side, blob in (("lparvisor", ours), ("qemu", qemu)):
            with open(os.path.join(logs, "tree-%s-%s.dtb" % (case_id,
                                                              side)),
                      "wb") as f:
                f.write(blob)
        a, b = parse_fdt(ours), parse_fdt(qemu)
        diffs = differences(a, b)
        same = sum(len(p) for p in a.values()) - sum(
            1 for d in diffs if d[0] != "only-qemu" and d[2] != "-")
        listing = os.path.join(logs, "tree-%s.txt" % case_id)
        explained = 0
        with open(listing, "w") as f:
            for d in diffs:
                e = explain(entries, case_id, d)
                f.write("%s %s %s\n  lparvisor: %s\n  qemu:      %s\n  %s\n" % (
                    d[0], d[1], d[2], show(d[3]), show(d[4]),
                    "allowlist line %d: %s" % (e[0], e[5]) if e else
                    "NOT EXPLAINED"))
                if e:
                    used.add(e[0])
                    explained += 1
                else:
                    record("%s/%s %s %s" % (case_id, d[0], d[1], d[2]),
                           False,
                           "lparvisor %s, qemu %s" % (show(d[3]),
                                                      show(d[4])))
        record("%s/explained" % case_id, True,
               "%d properties the same, %d differences each explained by "
               "the allowlist; listing in %s" % (same, explained, listing))
    for e in entries:
        ran = any(fnmatch.fnmatchcase("%s-%s" % (fw, c), e[1])
                  for c in CASES)
        if ran and e[0] not in used and all(ok for n, ok, _ in results
                                    if n.endswith("-tree")):
            record("allowlist:%d" % e[0], False, "no difference matches "
                   "'%s': the difference is gone, remove the entry" %
                   " ".join(e[1:5]))
    passed = sum(1 for r in results if r[1])
    failed = len(results) - passed
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
