"""Summaries the bench scripts share (tests/bench/run-*-bench.py)."""
import json
import os
import statistics


def stat3(values):
    """min, median and max of the samples that came back, and how many
    did: a lost run is None and is counted out, never hidden."""
    v = [x for x in values if x is not None]
    if not v:
        return None
    return {"min": min(v), "median": statistics.median(v), "max": max(v),
            "runs": len(v)}


def fmt3(s):
    """"min/median/max (n)" of a stat3() result, or "-" for none."""
    if not s:
        return "-"
    return "%.1f/%.1f/%.1f (%d)" % (s["min"], s["median"], s["max"],
                                    s["runs"])


def print_ratio_table(title, rows, goal, width=24):
    """The lparvisor-against-pseries table of the device benches: one row
    per measure ("measure", "unit", "lparvisor", "pseries" as stat3()
    results, "ratio" of medians or None), the ratio marked when it is
    below the goal."""
    print("\n%-38s %-5s %-*s %-*s %s" % (
        title, "unit", width, "lparvisor min/med/max (n)",
        width, "pseries min/med/max (n)", "ratio (goal >=%.1f)" % goal))
    for row in rows:
        ratio = "-"
        if row["ratio"]:
            ratio = "%.2f%s" % (row["ratio"], "" if row["ratio"] >= goal
                                else " (below goal)")
        print("%-38s %-5s %-*s %-*s %s" % (
            row["measure"], row["unit"], width, fmt3(row["lparvisor"]),
            width, fmt3(row["pseries"]), ratio))


def pseries_payload_command(payload, hello, append, smp=1):
    """QEMU -M pseries running one of our guest payloads (-bios, started
    at 0x100), with `append` as its bootargs: they reach /chosen only
    with a -kernel, so hello's ELF is loaded too, unused (as
    tests/guest/run-pseries.py does)."""
    return ["qemu-system-ppc64", "-M", "pseries", "-cpu", "power9", "-m",
            "512M", "-smp", str(smp), "-nodefaults", "-nographic",
            "-no-reboot", "-chardev", "stdio,id=con,signal=off", "-device",
            "spapr-vty,chardev=con", "-bios", payload, "-kernel", hello,
            "-append", append]


def finish(out_dir, name, data, lost, what):
    """Write `data` to OUT_DIR/`name` and return the script's exit status:
    1, after saying so, when a side lost runs (`what` names the bench)."""
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, name), "w") as f:
        json.dump(data, f, indent=1)
    if lost:
        print("%s: FAILED: a side lost runs (see the counts above)" % what)
        return 1
    return 0
