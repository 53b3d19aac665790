#!/usr/bin/env python3
"""Static checks on the sources and the built image.

Usage: run-static.py IMAGE OBJDUMP CC CFLAGS...
  - every big-endian entry trampoline decodes, big-endian, to the intended
    instructions (hv/asm.h BE_TO_LE);
  - the image contains no floating-point, VMX or VSX instruction;
  - layering rules of docs/architecture.md hold for #include lines;
  - every header compiles on its own with the hypervisor's flags;
  - every Python and shell script parses, including those make check does
    not run (make bench, make bench-kvm);
  - no make file runs, while make reads it, a tool tools/deps.sh installs
    (tests/static/makefile_shell.py).
Ends with "N passed, N failed".
"""
import glob
import os
import re
import subprocess
import sys
import tempfile

BE_TO_LE = ["mfmsr r11", "ori r11,r11,4097", "mthsrr1 r11",
            "bcl 20,4*cr7+so", "mflr r11", "addi r11,r11,16", "mthsrr0 r11",
            "hrfid"]
TRAMPOLINES = ["_start", "secondary_start", "opal_return"]

results = []


def report(ok, name, detail=""):
    results.append(ok)
    print("%s %s%s" % ("PASS" if ok else "FAIL", name,
                       (": " + detail) if detail and not ok else ""))


def symbols(image, objdump):
    nm = objdump.replace("objdump", "nm")
    out = subprocess.run([nm, image], capture_output=True, text=True,
                         check=True).stdout
    syms = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3:
            syms[parts[2]] = int(parts[0], 16)
    return syms


def check_trampolines(image, objdump):
    syms = symbols(image, objdump)
    for name in TRAMPOLINES:
        if name not in syms:
            report(False, "BE trampoline %s" % name, "symbol missing")
            continue
        start = syms[name]
        out = subprocess.run(
            [objdump, "-EB", "-d", "--start-address=%#x" % start,
             "--stop-address=%#x" % (start + 4 * len(BE_TO_LE)), image],
            capture_output=True, text=True, check=True).stdout
        got = []
        for line in out.splitlines():
            m = re.match(r"\s*[0-9a-f]+:\s+(?:[0-9a-f]{2} ){4}\s*(.*)", line)
            if m:
                got.append(" ".join(m.group(1).split()))
        ok = len(got) == len(BE_TO_LE) and all(
            g.startswith(w) for g, w in zip(got, BE_TO_LE))
        report(ok, "BE trampoline %s decodes big-endian as mfmsr..hrfid" % name,
               "got %s" % got)


# Mnemonic prefixes of floating-point, VMX and VSX instructions.
# (mtfsf, mtfsfi, mtfsb0/1; not mtfscr, objdump's name for mtspr FSCR.)
# Integer-looking ones count too: stfiwx, lfiwax/lfiwzx (FPR loads and
# stores), mcrfs (FPSCR), mtvscr/mfvscr (VSCR), dss/dst* (VMX streams).
FP_VEC = re.compile(r"^(f[a-z]|lf[ds]|lfiw[az]x|stf[ds]|stfiwx|mffs|"
                    r"mtfs(f|fi|b0|b1)\b|mcrfs|v[a-z]|lv|stv|lxv|stxv|lxs|"
                    r"stxs|mtvsr|mfvsr|mtvscr|mfvscr|dss|dst|xs|xv|xx)")


# The one routine allowed FP/vector instructions: it zeroes a thread's
# FP/VMX/VSX state before a partition boots there (boot/fpstate.S).
FP_ALLOWED = {"cpu_clear_fp_vec"}
SYMBOL = re.compile(r"^[0-9a-f]+ <([^>]+)>:$")


def check_no_fp(image, objdump):
    out = subprocess.run([objdump, "-d", image], capture_output=True,
                         text=True, check=True).stdout
    hits, allowed, count = fp_vec_hits(out)
    # An image that disassembles to nothing would pass vacuously.
    report(not hits and count > 1000,
           "no FP/VMX/VSX instruction in the hypervisor image outside %s "
           "(%d instructions examined)" % (", ".join(sorted(FP_ALLOWED)),
                                           count),
           "; ".join(hits[:5]) or "too few instructions examined")


def fp_vec_hits(disassembly):
    """(FP/vector instructions outside FP_ALLOWED, those inside, all
    instructions examined) of an objdump -d listing."""
    hits, allowed, count, func = [], 0, 0, None
    for line in disassembly.splitlines():
        m = SYMBOL.match(line)
        if m:
            func = m.group(1)
            continue
        parts = line.split("\t")
        if len(parts) >= 3 and parts[2]:
            count += 1
            if FP_VEC.match(parts[2]):
                if func in FP_ALLOWED:
                    allowed += 1
                else:
                    hits.append("%s: %s" % (func, line.strip()))
    return hits, allowed, count


INCLUDE = re.compile(r'^\s*#\s*include\s+[<"]([^>"]+)[>"]', re.M)


def sources(*dirs, exts=(".c", ".h", ".S")):
    for d in dirs:
        for path in glob.glob(os.path.join(d, "**", "*"), recursive=True):
            if path.endswith(exts):
                yield path


def check_layering():
    """tests/static/layering.py: the allow-list and the include circles."""
    r = subprocess.run([sys.executable, "tests/static/layering.py"],
                       capture_output=True, text=True)
    lines = r.stdout.splitlines()
    for line in lines:
        if line.startswith("note:"):
            print(line)
    checks = [l for l in lines if l.startswith(("PASS ", "FAIL "))]
    for i, line in enumerate(checks):
        detail = []
        at = lines.index(line) + 1
        while at < len(lines) and lines[at].startswith("  "):
            detail.append(lines[at].strip())
            at += 1
        report(line.startswith("PASS "), line[5:], "; ".join(detail))
    if not checks or r.returncode not in (0, 1):
        report(False, "layering check ran", r.stderr.strip())


def check_headers(cc, cflags):
    bad = []
    headers = sorted(p for p in sources("hv", "mm", "intc", "vio", "pci",
                                        "rtas", "platform-powernv",
                                        exts=(".h",))
                     if not p.startswith(("hv/lib/fdt/", "hv/lib/zstd/")))
    with tempfile.TemporaryDirectory() as tmp:
        for h in headers:
            src = os.path.join(tmp, "h.c")
            with open(src, "w") as f:
                f.write('#include "%s"\n' % h)
            r = subprocess.run([cc] + cflags + ["-fsyntax-only", src],
                               capture_output=True, text=True)
            if r.returncode:
                bad.append("%s: %s" % (h, r.stderr.strip().splitlines()[0]
                                       if r.stderr.strip() else "error"))
    if len(headers) < 20:
        bad.append("only %d headers found" % len(headers))
    report(not bad, "%d headers compile on their own" % len(headers),
           "; ".join(bad[:5]))


def check_hcall_docs():
    r = subprocess.run([sys.executable, "tools/gen-hcall-doc.py", "--check"],
                       capture_output=True, text=True)
    report(r.returncode == 0, "docs/hcalls.md matches the registration tables",
           r.stderr.strip())


def check_registration_rows(image, objdump):
    """Every HCALL()/RTAS_SERVICE() row in the sources is in the image."""
    r = subprocess.run([sys.executable, "tools/gen-hcall-doc.py", "--rows"],
                       capture_output=True, text=True)
    lines = r.stdout.splitlines()
    src = {"hcall": sum(1 for x in lines if x.startswith("hcall ")),
           "rtas": sum(1 for x in lines if x.startswith("rtas "))}
    syms = symbols(image, objdump)
    size = {"hcall": 64, "rtas": 56}  # sizeof the row structs (LP64)
    img = {}
    for k in src:
        start, stop = syms.get("__start_%s_rows" % k), \
            syms.get("__stop_%s_rows" % k)
        img[k] = None if start is None or stop is None else \
            (stop - start) / size[k]
    ok = r.returncode == 0 and src == img and src["hcall"] > 0
    report(ok, "registration rows: one per number and token, all %d hcall "
           "and %d RTAS rows linked into the image" % (src["hcall"],
                                                       src["rtas"]),
           (r.stderr.strip() or "sources %s, image %s" % (src, img)))


# Shell scripts without a .sh suffix (busybox sh: checked as POSIX sh).
SH_SCRIPTS = ["tests/linux/init", "tests/bench/kvm/host-init"]


def check_scripts_parse():
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                        "..")
    py, sh, bad = [], [], []
    for top in ("tools", "tests"):
        for dirpath, _, files in os.walk(os.path.join(root, top)):
            for f in files:
                path = os.path.join(dirpath, f)
                if f.endswith(".py"):
                    py.append(path)
                elif f.endswith(".sh"):
                    sh.append(path)
    for path in py:
        try:
            with open(path) as f:
                compile(f.read(), path, "exec")
        except (SyntaxError, ValueError) as e:
            bad.append("%s: %s" % (os.path.relpath(path, root), e))
    checks = [("bash", p) for p in sh] + \
        [("sh", os.path.join(root, p)) for p in SH_SCRIPTS]
    for shell, path in checks:
        r = subprocess.run([shell, "-n", path], capture_output=True,
                           text=True)
        if r.returncode != 0:
            bad.append("%s: %s" % (os.path.relpath(path, root),
                                   r.stderr.strip()))
    report(not bad and len(py) > 0 and len(sh) > 0,
           "scripts parse (%d Python, %d shell)" % (len(py), len(checks)),
           "; ".join(bad) or "none found")


# The guest-real layout's values (hv/abi/layout.h) written anywhere else.
LAYOUT_LITERAL = re.compile(
    r"\b0x0*(71000000|1100|6010000000000|6030203180000)(u|ul|ull)?\b", re.I)
COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)


def layout_literals(text):
    """The layout literals in C or assembly text, comments left out."""
    return [m.group(0) for m in LAYOUT_LITERAL.finditer(COMMENT.sub(" ", text))]


def check_layout_defined_once():
    bad, examined = [], 0
    for path in sorted(sources("boot", "hv", "mm", "intc", "vio", "pci",
                               "rtas", "slof", "platform-powernv",
                               "tests/guest")):
        if path == os.path.join("hv", "abi", "layout.h"):
            continue
        examined += 1
        hits = layout_literals(open(path).read())
        if hits:
            bad.append("%s: %s" % (path, ", ".join(sorted(set(hits)))))
    report(not bad and examined > 50,
           "guest-real layout values only in hv/abi/layout.h (%d files)"
           % examined, "; ".join(bad) or "too few files examined")


# A ```dts block in docs/ whose lead-in names a file of the tree.
DOC_BLOCK = re.compile(r"```dts\n(.*?)```", re.S)
DOC_FILE = re.compile(r"`((?:configs|tests)/[\w./-]+\.dts)`")


def doc_examples(doc_text):
    """(path, block) for each dts block presented as a file of the tree:
    the paragraph just before it names the file."""
    out = []
    for m in DOC_BLOCK.finditer(doc_text):
        lead = doc_text[:m.start()].rstrip().split("\n\n")[-1]
        f = DOC_FILE.findall(lead)
        if f:
            out.append((f[0], m.group(1)))
    return out


def check_doc_examples():
    bad, seen = [], 0
    for doc in sorted(glob.glob("docs/*.md")):
        for path, block in doc_examples(open(doc).read()):
            seen += 1
            if not os.path.exists(path):
                bad.append("%s shows %s, which does not exist" % (doc, path))
                continue
            text = open(path).read()
            body = text[text.find("/dts-v1/;"):] if "/dts-v1/;" in text \
                else text
            if block.strip() != body.strip():
                bad.append("%s shows %s differently from the file" %
                           (doc, path))
    report(not bad and seen >= 2,
           "every configuration a document shows as a file of the tree "
           "matches it (%d shown)" % seen, "; ".join(bad) or "none found")


def check_makefiles():
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import makefile_shell
    nfiles, ncalls, bad = makefile_shell.check(makefile_shell.make_files())
    report(not bad and nfiles > 0,
           "%d make files: no parse-time $(shell) of an installed tool "
           "(%d calls, all of %s)" % (nfiles, ncalls,
                                     "/".join(sorted(makefile_shell.ALLOWED))),
           "; ".join(bad) or "no make files found")


def main(argv):
    image, objdump, cc = argv[0], argv[1], argv[2]
    cflags = argv[3:]
    check_trampolines(image, objdump)
    check_no_fp(image, objdump)
    check_layering()
    check_headers(cc, cflags)
    check_hcall_docs()
    check_registration_rows(image, objdump)
    check_scripts_parse()
    check_makefiles()
    check_layout_defined_once()
    check_doc_examples()
    passed = sum(1 for r in results if r)
    failed = len(results) - passed
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
