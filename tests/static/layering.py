#!/usr/bin/env python3
"""The layering of docs/architecture.md, checked on #include lines.

1. An allow-list: which top-level folder may include headers of which
   (ALLOW below; the first matching prefix of the including file's path
   picks its rule).  A few known breaks are listed in EXCEPTIONS with the
   reason and the work that removes them; they cannot grow unnoticed.
2. Include cycles: modules are files without their extension (hv/lpar is
   hv/lpar.c plus hv/lpar.h); module A depends on module B when a file of
   A includes B's header.  The strongly connected components of that
   graph with more than one module are include circles.  The check fails
   when a circle holds a module outside FROZEN_CYCLE (a new circle, or a
   module pulled into the old one).

Usage: layering.py            check, print "PASS"/"FAIL" lines
       layering.py --graph    print the circles and the edges inside them
       layering.py --link NM  the same for the link graph of the built
                              objects (who calls or reads whose symbols),
                              from `NM` over build/hv/**/*.o; C files only
Exit status 1 when a check fails.
"""
import glob
import os
import re
import subprocess
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(
    __file__)), "..", ".."))
INCLUDE = re.compile(r'^\s*#\s*include\s+([<"])([^>"]+)[>"]', re.M)
TOPS = ("boot", "hv", "mm", "intc", "vio", "pci", "rtas", "slof",
        "platform-powernv", "tests/guest")

# Headers of hv/ that only say what every layer needs: console, locks,
# panic, the machine and the processor.  The lowest layers may use these.
HV_BASE = ["hv/console.h", "hv/lock.h", "hv/panic.h", "hv/machine.h",
           "hv/hv.h", "hv/options.h", "hv/cpu.h", "hv/spr.h", "hv/io.h",
           "hv/percpu.h", "hv/platform.h"]
EVERYONE = ["hv/lib/", "hv/abi/"]

# (path prefix of the including file, allowed include prefixes).  First
# match wins, so the narrower prefixes come first.
ALLOW = [
    ("hv/abi/", ["hv/abi/"]),
    ("hv/lib/", EVERYONE),
    ("boot/", EVERYONE + ["boot/", "hv/", "asm-offsets.h"]),
    # The partition core places the partition's RTAS code (slof/rtas.S),
    # generated from its build.
    ("hv/lpar.c", EVERYONE + ["hv/", "mm/", "intc/", "platform-powernv/",
                              "rtas_blob.h"]),
    # The core: its own headers, memory, interrupt controllers and the
    # platform, through their headers.  Device models only through rows.
    ("hv/", EVERYONE + ["hv/", "mm/", "intc/", "platform-powernv/"]),
    ("mm/", EVERYONE + ["mm/"] + HV_BASE),
    # Interrupt controllers register XICS RTAS services: rtas/rtas.h is
    # the registration header every device may use.
    ("intc/", EVERYONE + ["intc/", "mm/", "hv/", "rtas/rtas.h"]),
    ("rtas/", EVERYONE + ["rtas/", "intc/", "mm/", "hv/"]),
    # The firmware unit carries slof/'s image, generated from its build.
    ("vio/vof.c", EVERYONE + ["vio/", "intc/", "mm/", "hv/", "vof_blob.h"]),
    ("vio/", EVERYONE + ["vio/", "intc/", "mm/", "hv/", "rtas/rtas.h"]),
    ("pci/", EVERYONE + ["pci/", "intc/", "mm/", "hv/", "rtas/rtas.h",
                         "platform-powernv/"]),
    # The platform implements hv/platform.h and intc/xive_hw.h; its OPAL
    # trampoline uses hv/asm.h's big-endian entry macro.
    ("platform-powernv/", EVERYONE + ["platform-powernv/", "mm/",
                                      "intc/xive_hw.h", "hv/asm.h"] +
     HV_BASE),
    # Guest code: a separate binary that links nothing of the hypervisor.
    ("slof/", ["hv/abi/", "slof/"]),
    ("tests/guest/", EVERYONE + ["tests/guest/", "guest-asm-offsets.h"]),
]

# Known breaks of ALLOW: (including file, included header): why, and what
# removes it.  Listing one that no longer occurs prints a note.
EXCEPTIONS = {
    ("hv/main.c", "rtas/rtas.h"):
        "builds the RTAS table and reads the RTAS clock at boot; goes "
        "when RTAS is a unit with its own init (issue 12)",
}

# The modules of the include circle as it stands; a circle may only hold
# these.  Shrink this list as modules leave the circle; never grow it.
FROZEN_CYCLE = {
    "hv/exception", "hv/guest", "hv/hcall", "hv/lpar", "hv/lpar_ops",
    "hv/profile", "hv/service", "hv/smp", "hv/unit",
    "intc/intc", "intc/xive",
}


def sources():
    for top in TOPS:
        for path in sorted(glob.glob(os.path.join(ROOT, top, "**", "*"),
                                     recursive=True)):
            if path.endswith((".c", ".h", ".S")):
                yield os.path.relpath(path, ROOT)


def includes(path):
    """The quoted includes of `path` (angle ones are the compiler's)."""
    with open(os.path.join(ROOT, path)) as f:
        text = f.read()
    return [inc for kind, inc in INCLUDE.findall(text) if kind == '"'], \
        [inc for kind, inc in INCLUDE.findall(text) if kind == "<"]


def rule_for(path):
    for prefix, allowed in ALLOW:
        if path.startswith(prefix):
            return allowed
    return None


def check_allow_list():
    bad, used, examined = [], set(), 0
    for path in sources():
        examined += 1
        quoted, angle = includes(path)
        allowed = rule_for(path)
        top = path.split("/")[0]
        for inc in quoted + angle:
            if os.path.basename(inc).startswith("opal") and \
                    top != "platform-powernv":
                bad.append("%s includes %s: OPAL is platform-powernv's"
                           % (path, inc))
        for inc in quoted:
            if any(inc.startswith(a) for a in allowed):
                continue
            if (path, inc) in EXCEPTIONS:
                used.add((path, inc))
                continue
            bad.append("%s includes %s: %s/ may include only %s" %
                       (path, inc, path.rsplit("/", 1)[0],
                        ", ".join(allowed)))
        if path.endswith(".S") and top not in ("boot", "platform-powernv",
                                               "slof", "tests"):
            bad.append("%s: assembly outside boot/ and platform-powernv/"
                       % path)
    stale = sorted(set(EXCEPTIONS) - used)
    # A check that read no file would pass on nothing (issue 19).
    if examined < 50:
        bad.append("only %d source files examined" % examined)
    return bad, stale


def module(path):
    return os.path.splitext(path)[0]


def include_graph():
    """The hypervisor's modules (guest code in tests/guest is not)."""
    g = {}
    for path in sources():
        if path.startswith("tests/"):
            continue
        m = module(path)
        g.setdefault(m, set())
        for inc in includes(path)[0]:
            if os.path.exists(os.path.join(ROOT, inc)) and \
                    module(inc) != m:
                g[m].add(module(inc))
    for deps in list(g.values()):
        for d in deps:
            g.setdefault(d, set())
    return g


def link_graph(nm):
    defs, uses = {}, {}
    base = os.path.join(ROOT, "build", "hv")
    for obj in sorted(glob.glob(os.path.join(base, "**", "*.o"),
                                recursive=True)):
        m = module(os.path.relpath(obj, base))
        if not os.path.exists(os.path.join(ROOT, m + ".c")):
            continue  # assembly: entry code calls C and is called back
        out = subprocess.run([nm, obj], capture_output=True, text=True,
                             check=True).stdout
        uses[m] = set()
        for line in out.splitlines():
            parts = line.split()
            if len(parts) == 2 and parts[0] == "U":
                uses[m].add(parts[1])
            elif len(parts) == 3 and parts[1] in "TDBRGSV":
                defs.setdefault(parts[2], m)
    return {m: {defs[s] for s in u if s in defs and defs[s] != m}
            for m, u in uses.items()}


def circles(g):
    """Strongly connected components of more than one node (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        work = [(v, iter(sorted(g[v])))]
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        while work:
            node, it = work[-1]
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter[0]
                    counter[0] += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(g[w]))))
                    break
                if w in on:
                    low[node] = min(low[node], index[w])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    comp = []
                    while True:
                        w = stack.pop()
                        on.discard(w)
                        comp.append(w)
                        if w == node:
                            break
                    if len(comp) > 1:
                        out.append(sorted(comp))

    for v in sorted(g):
        if v not in index:
            visit(v)
    return out


def print_graph(g):
    for comp in circles(g):
        print("circle of %d: %s" % (len(comp), " ".join(comp)))
        inside = set(comp)
        for v in comp:
            print("  %s -> %s" % (v, " ".join(sorted(g[v] & inside))))


def main(argv):
    if argv and argv[0] == "--graph":
        print_graph(include_graph())
        return 0
    if argv and argv[0] == "--link":
        print_graph(link_graph(argv[1]))
        return 0
    results = []
    bad, stale = check_allow_list()
    for s in stale:
        print("note: layering exception %s -> %s no longer needed: remove "
              "it from tests/static/layering.py" % s)
    results.append(not bad)
    print("%s include allow-list (tests/static/layering.py, %d exceptions)"
          "%s" % ("PASS" if not bad else "FAIL", len(EXCEPTIONS) - len(stale),
                  "".join("\n  " + b for b in bad)))
    comps = circles(include_graph())
    outside = sorted({m for c in comps for m in c} - FROZEN_CYCLE)
    ok = not outside
    results.append(ok)
    sizes = " and ".join(str(len(c)) for c in comps) or "no"
    print("%s include circles hold only the frozen modules (%s in circles)%s"
          % ("PASS" if ok else "FAIL", sizes,
             "" if ok else "\n  new in a circle: " + " ".join(outside) +
             " (tests/static/layering.py --graph shows the edges)"))
    left = sorted(FROZEN_CYCLE - {m for c in comps for m in c})
    if left:
        print("note: no longer in a circle: %s: remove from FROZEN_CYCLE"
              % " ".join(left))
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
