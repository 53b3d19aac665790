#!/usr/bin/env python3
"""Host tests of tools/mkpnor.py, the PNOR image writer (make check-pnor).

    test_mkpnor.py [KERNEL_ELF]

The table writer against the FFS format of skiboot's libflash/ffs.h
(field values, checksums, ids, overlaps, bounds, names), the rules
skiboot 7.0's loader puts on BOOTKERNEL and ROOTFS, skiboot's NVRAM
format, and then Debian's `pflash --info` (opal-utils) reading our
table.  pflash exits 0 even when it cannot read a table, so its output
lines are compared, never its status.  A missing pflash is a failure.
Negative cases come first.  Prints "N passed, N failed" last.
"""
import os
import shutil
import struct
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "tools"))
import mkpnor  # noqa: E402
from mkpnor import Part, PnorError  # noqa: E402

MIB = 1 << 20
TESTS = []


def test(fn):
    TESTS.append(fn)
    return fn


def expect_error(fn, *words):
    """fn() must raise PnorError whose message holds every word."""
    try:
        fn()
    except PnorError as e:
        for w in words:
            if w not in str(e):
                raise AssertionError("error %r lacks %r" % (str(e), w))
        return
    raise AssertionError("no error raised")


def eq(got, want, what=""):
    if got != want:
        raise AssertionError("%s: got %r, want %r" % (what, got, want))


def toc_part(size=0x1000):
    return Part("part", 0, size, actual=size)


def table(*parts, image=4 * MIB):
    return mkpnor.encode_toc([toc_part()] + list(parts), image)


def fake_elf(payload=b"\x60\x00\x00\x00" * 64, le=True, shnum=3,
             seg_past=False):
    """A 64-bit ELF: header, one program header, the payload, then shnum
    section headers at the end (as ld writes them)."""
    e = "<" if le else ">"
    phoff, body = 64, 64 + 56
    shoff = body + len(payload)
    filesz = len(payload) + (4096 if seg_past else 0)
    hdr = b"\x7fELF" + bytes([2, 1 if le else 2, 1]) + bytes(9)
    hdr += struct.pack(e + "HHIQQQIHHHHHH", 2, 21, 1, 0x100, phoff, shoff,
                       0, 64, 56, 1, 64, shnum, 0)
    ph = struct.pack(e + "IIQQQQQQ", 1, 5, body, 0, 0, filesz, filesz, 16)
    return hdr + ph + payload + bytes(64 * shnum)


def fake_bundle(n=0x3000):
    """Enough of a FIT for the writer's checks: FDT magic, totalsize."""
    return struct.pack(">II", mkpnor.FDT_MAGIC, n) + bytes(n - 8)


# ---- negative cases: names ------------------------------------------------

@test
def name_of_16_characters_is_refused():
    expect_error(lambda: table(Part("A" * 16, 0x1000, 0x1000)),
                 "longer than 15")


@test
def empty_name_is_refused():
    expect_error(lambda: table(Part("", 0x1000, 0x1000)), "empty")


@test
def name_with_space_or_non_ascii_is_refused():
    expect_error(lambda: table(Part("BOOT KERNEL", 0x1000, 0x1000)),
                 "printable")
    expect_error(lambda: table(Part("NVRAM\u00e9", 0x1000, 0x1000)),
                 "printable")


@test
def duplicate_name_is_refused():
    expect_error(lambda: table(Part("NVRAM", 0x1000, 0x1000),
                               Part("NVRAM", 0x2000, 0x1000)), "twice")


@test
def names_differing_only_by_case_are_refused():
    # libffs ffs_entry_add(): strncasecmp on every pair.
    expect_error(lambda: table(Part("NVRAM", 0x1000, 0x1000),
                               Part("nvram", 0x2000, 0x1000)),
                 "only by case")


# ---- negative cases: bounds and overlaps -----------------------------------

@test
def partial_overlap_is_refused():
    expect_error(lambda: table(Part("A", 0x1000, 0x2000),
                               Part("B", 0x2000, 0x2000)), "overlap", "A", "B")


@test
def contained_partition_is_refused():
    expect_error(lambda: table(Part("A", 0x1000, 0x8000),
                               Part("B", 0x3000, 0x1000)), "overlap")


@test
def partition_over_the_table_is_refused():
    expect_error(lambda: table(Part("A", 0x0, 0x1000)), "overlap")


@test
def unaligned_base_or_size_is_refused():
    expect_error(lambda: table(Part("A", 0x1800, 0x1000)), "multiples")
    expect_error(lambda: table(Part("A", 0x1000, 0x1800)), "multiples")


@test
def empty_partition_is_refused():
    expect_error(lambda: table(Part("A", 0x1000, 0)), "empty")


@test
def partition_past_the_image_is_refused():
    expect_error(lambda: table(Part("A", 4 * MIB - 0x1000, 0x2000)),
                 "past the image")


@test
def image_over_64_mib_is_refused():
    expect_error(lambda: table(Part("A", 0x1000, 0x1000),
                               image=64 * MIB + 0x1000), "64 MiB")


@test
def image_size_not_a_block_multiple_is_refused():
    expect_error(lambda: table(Part("A", 0x1000, 0x1000), image=4 * MIB + 1),
                 "multiple")


@test
def table_must_come_first_at_zero():
    expect_error(lambda: mkpnor.encode_toc([Part("A", 0x1000, 0x1000)],
                                           4 * MIB), "part")
    expect_error(lambda: mkpnor.encode_toc(
        [Part("part", 0x1000, 0x1000)], 4 * MIB), "part")


@test
def entries_beyond_the_table_are_refused():
    # (0x1000 - 0x30) / 0x80 = 31.6: the table and 30 more fit, 31 do not.
    ok = [Part("P%02d" % i, 0x1000 * (i + 1), 0x1000) for i in range(30)]
    mkpnor.encode_toc([toc_part()] + ok, 4 * MIB)
    more = ok + [Part("P30", 0x1000 * 31, 0x1000)]
    expect_error(lambda: mkpnor.encode_toc([toc_part()] + more, 4 * MIB),
                 "32 entries")


@test
def actual_or_data_over_size_is_refused():
    expect_error(lambda: table(Part("A", 0x1000, 0x1000, actual=0x1001)),
                 "actual")
    expect_error(lambda: table(Part("A", 0x1000, 0x1000, b"x" * 0x1001)),
                 "do not fit")


@test
def unknown_flag_is_refused():
    expect_error(lambda: table(Part("A", 0x1000, 0x1000, flags="E")),
                 "unknown flag")


# ---- negative cases: what skiboot loads ------------------------------------

@test
def kernel_that_is_not_elf64_is_refused():
    expect_error(lambda: mkpnor.elf_length(b"\0" * 4096), "not a 64-bit ELF")
    elf32 = bytearray(fake_elf())
    elf32[4] = 1
    expect_error(lambda: mkpnor.elf_length(bytes(elf32)), "not a 64-bit ELF")


@test
def kernel_without_section_headers_is_refused():
    # skiboot would compute a length of e_shoff alone.
    expect_error(lambda: mkpnor.elf_length(fake_elf(shnum=0)),
                 "section headers")


@test
def kernel_segment_past_section_headers_is_refused():
    expect_error(lambda: mkpnor.elf_length(fake_elf(seg_past=True)),
                 "segment 0")


@test
def truncated_kernel_is_refused():
    elf = fake_elf()
    expect_error(lambda: mkpnor.elf_length(elf[:-1]), "section headers")


@test
def bundle_that_is_not_fit_is_refused():
    expect_error(lambda: mkpnor.default_layout(fake_elf(), b"\0" * 64,
                                               8 * MIB, "v"), "FIT")
    short = fake_bundle()[:0x2000]
    expect_error(lambda: mkpnor.default_layout(fake_elf(), short, 8 * MIB,
                                               "v"), "shorter")


@test
def bundle_larger_than_rootfs_is_refused():
    big = fake_bundle(0x300000)
    expect_error(lambda: mkpnor.default_layout(fake_elf(), big, 8 * MIB, "v"),
                 "does not fit ROOTFS")


@test
def image_without_room_for_rootfs_is_refused():
    expect_error(lambda: mkpnor.default_layout(fake_elf(), fake_bundle(),
                                               6 * MIB, "v"), "no room")


@test
def long_version_is_refused():
    expect_error(lambda: mkpnor.version_text("v" * 80), "too long")


# ---- negative cases: the reader --------------------------------------------

def good_image():
    return mkpnor.write_image(mkpnor.default_layout(
        fake_elf(), fake_bundle(), 8 * MIB, "lparvisor-test"), 8 * MIB)


def flipped(img, off):
    b = bytearray(img)
    b[off] ^= 0x01
    return bytes(b)


@test
def reader_refuses_a_bad_magic():
    expect_error(lambda: mkpnor.read_toc(flipped(good_image(), 0)), "magic")


@test
def reader_refuses_any_flipped_header_byte():
    # Magic (0-3) and version (4-7) have their own checks; every later
    # header byte, the checksum included, must fail the checksum.
    img = good_image()
    for off in range(8, mkpnor.HDR_SIZE):
        expect_error(lambda: mkpnor.read_toc(flipped(img, off)))


@test
def reader_refuses_any_flipped_entry_byte():
    img = good_image()
    n = len(mkpnor.read_toc(img))
    for off in range(mkpnor.HDR_SIZE, mkpnor.HDR_SIZE + n * 0x80, 7):
        expect_error(lambda: mkpnor.read_toc(flipped(img, off)), "checksum")


@test
def reader_refuses_a_table_larger_than_the_image():
    img = good_image()
    expect_error(lambda: mkpnor.read_toc(img[:4 * MIB]), "describes")


# ---- the format ------------------------------------------------------------

def xor_words(blob):
    """An independent XOR of big-endian 32-bit words."""
    x = 0
    for (w,) in struct.iter_unpack(">I", blob):
        x ^= w
    return x


@test
def header_fields_and_checksum():
    toc = table(Part("NVRAM", 0x10000, 0x90000, flags="P"), image=4 * MIB)
    eq(struct.unpack(">7I", toc[:28]),
       (0x50415254, 1, 1, 0x80, 2, 0x1000, 0x400), "header")
    eq(toc[28:44], bytes(16), "reserved words")
    eq(xor_words(toc[:0x30]), 0, "header XOR")


@test
def entry_fields_and_checksums():
    toc = table(Part("NVRAM", 0x10000, 0x90000, actual=0x90000, flags="PR"),
                Part("BOOTKERNEL", 0x100000, 0x200000, b"k" * 0x1234))
    want = [(b"part", 0, 1, 0xffffffff, 1, 3, 0, 0x1000, 0),
            (b"NVRAM", 0x10, 0x90, 0xffffffff, 2, 1, 0, 0x90000, 0xc0),
            (b"BOOTKERNEL", 0x100, 0x200, 0xffffffff, 3, 1, 0, 0x1234, 0)]
    for i, w in enumerate(want):
        raw = toc[0x30 + 0x80 * i:0x30 + 0x80 * (i + 1)]
        name, *fields = struct.unpack(">16s7I", raw[:44])
        eq((name.rstrip(b"\0"),) + tuple(fields) + (raw[65],), w,
           "entry %d" % i)
        eq(raw[44:60], bytes(16), "entry %d reserved" % i)
        eq(raw[60:65] + raw[66:124], bytes(63), "entry %d user" % i)
        eq(xor_words(raw), 0, "entry %d XOR" % i)
    eq(toc[0x30 + 0x80 * 3:], b"\xff" * (0x1000 - 0x30 - 0x80 * 3),
       "table tail")


@test
def name_of_15_characters_is_accepted_and_terminated():
    toc = table(Part("ABCDEFGHIJKLMNO", 0x1000, 0x1000))
    raw = toc[0x30 + 0x80:0x30 + 0x100]
    eq(raw[:16], b"ABCDEFGHIJKLMNO\0", "name")


@test
def adjacent_partitions_are_accepted():
    table(Part("A", 0x1000, 0x1000), Part("B", 0x2000, 0x1000))


@test
def round_trip_through_the_reader():
    parts = mkpnor.default_layout(fake_elf(), fake_bundle(), 8 * MIB, "v")
    img = mkpnor.write_image(parts, 8 * MIB)
    got = mkpnor.read_toc(img)
    eq([(p["name"], p["base"], p["size"], p["actual"], p["flags"], p["id"])
        for p in got],
       [(p.name, p.base, p.size, p.actual, p.flags, i + 1)
        for i, p in enumerate(parts)], "table")


@test
def default_layout_contents():
    kernel, bundle = fake_elf(), fake_bundle()
    img = good_image()
    toc = {p["name"]: p for p in mkpnor.read_toc(img)}
    eq(sorted(toc), sorted(["part", "VERSION", "NVRAM", "LPAR_NVRAM",
                            "BOOTKERNEL", "ROOTFS"]), "names")
    k, r, v = toc["BOOTKERNEL"], toc["ROOTFS"], toc["VERSION"]
    eq(img[k["base"]:k["base"] + len(kernel)], kernel, "kernel bytes")
    # skiboot refuses any resource whose actual size is under 4 KiB.
    eq(k["actual"], 0x1000, "kernel actual (raised to 4 KiB)")
    eq(img[v["base"]:v["base"] + 32].split(b"\0")[0],
       b"open-power-lparvisor-test\n", "VERSION text")
    eq(v["actual"] <= 0x2000 and v["actual"] >= 0x1000, True,
       "VERSION actual within skiboot's 4-8 KiB")
    # ROOTFS: container magic, payload size where skiboot reads it.
    eq(struct.unpack(">I", img[r["base"]:r["base"] + 4])[0], 0x17082011,
       "container magic")
    eq(struct.unpack(">Q", img[r["base"] + 945:r["base"] + 953])[0],
       len(bundle), "container payload size")
    eq(r["actual"], len(bundle) + 0x1000, "ROOTFS actual")
    eq(img[r["base"] + 0x1000:r["base"] + 0x1000 + len(bundle)], bundle,
       "bundle bytes")
    eq(img[toc["LPAR_NVRAM"]["base"]:toc["LPAR_NVRAM"]["base"] + MIB],
       b"\xff" * MIB, "LPAR_NVRAM erased")
    eq(toc["NVRAM"]["flags"], "P", "NVRAM preserved")


@test
def container_offsets_match_the_structures():
    # libstb/container.h, packed: ROM_container_raw = magic 4, version 2,
    # three be64, three 132-byte keys; ROM_prefix_header_raw = ver_alg 4,
    # two be64, flags 4, sw_key_count 1, payload_size 8, hash 64, ecid 1.
    container = 4 + 2 + 3 * 8 + 3 * 132
    prefix = 4 + 8 + 8 + 4 + 1 + 8 + 64 + 1
    eq(mkpnor.STB_SW_KEY_COUNT, container + 24, "sw_key_count")
    eq(mkpnor.STB_PREFIX_ECID_COUNT, container + prefix - 1, "ecid_count")
    eq(mkpnor.STB_PAYLOAD_SIZE, container + prefix + 3 * 132 + 4 + 8 + 8 + 4
       + 1, "sw header payload_size")


def nvram_walk(nv):
    """skiboot's nvram_check(): every header's checksum and length, the
    two partitions it needs."""
    off, names = 0, []
    while off + 16 < len(nv):
        h = nv[off:off + 16]
        if mkpnor.chrp_cksum(h) != h[1]:
            raise AssertionError("bad checksum at 0x%x" % off)
        length = struct.unpack(">H", h[2:4])[0] << 4
        if length == 0:
            raise AssertionError("zero length at 0x%x" % off)
        names.append((h[0], h[4:16].split(b"\0")[0], off, length))
        off += length
    eq(off, len(nv), "partitions cover the NVRAM")
    return names


@test
def nvram_is_formatted_as_skiboot_does():
    nv = mkpnor.nvram_formatted()
    eq(nvram_walk(nv), [(0x51, b"ibm,skiboot", 0, 0x1000),
                        (0x70, b"common", 0x1000, 0x10000),
                        (0x7f, b"wwwwwwwwwwww", 0x11000, 0x7f000)], "layout")
    # The headers of an NVRAM skiboot 7.0 formatted itself under QEMU
    # (pflash -P NVRAM -r, ../shared/docs/xive-pnor-reference.md 2.3).
    eq(nv[0:4].hex(), "51b50100", "ibm,skiboot header")
    eq(nv[0x1000:0x1004].hex(), "700c1000", "common header")
    eq(nv[0x11000:0x11004].hex(), "7f987f00", "free header")
    # The skiboot partition must end in NUL (nvram_check).
    eq(nv[0xfff], 0, "ibm,skiboot NUL-terminated")


@test
def checksum_carries_around():
    # 0xff + 0x02 = 0x101: one's-complement style, the carry comes back.
    eq(mkpnor.chrp_cksum(bytes([0xff, 0x00, 0x02]) + bytes(13)), 0x02,
       "carry")


@test
def kernel_length_from_its_section_headers():
    elf = fake_elf()
    eq(mkpnor.elf_length(elf), len(elf), "LE")
    eq(mkpnor.elf_length(fake_elf(le=False)), len(elf), "BE")


@test
def real_kernel_length(kernel=None):
    if not kernel:
        return "skipped: no kernel ELF given"
    with open(kernel, "rb") as f:
        elf = f.read()
    eq(mkpnor.elf_length(elf), len(elf), kernel)


# ---- boot options in skiboot's NVRAM ----------------------------------------

@test
def bootargs_not_printable_or_too_long_are_refused():
    nv = mkpnor.nvram_formatted()
    expect_error(lambda: mkpnor.nvram_with_bootargs(nv, "heap=1M\0x"),
                 "printable")
    expect_error(lambda: mkpnor.nvram_with_bootargs(nv, "a\nb"), "printable")
    expect_error(lambda: mkpnor.nvram_with_bootargs(nv, "x" * 1025), "longer")


@test
def bootargs_in_an_unformatted_nvram_are_refused():
    # skiboot would reformat it and drop them: erased, or a header whose
    # checksum is wrong.
    expect_error(lambda: mkpnor.nvram_with_bootargs(
        b"\xff" * mkpnor.NVRAM_SIZE, "heap=32M"), "not formatted")
    nv = bytearray(mkpnor.nvram_formatted())
    nv[0x1001] ^= 1
    expect_error(lambda: mkpnor.nvram_with_bootargs(bytes(nv), "heap=32M"),
                 "not formatted", "0x1000")


def with_keys(keys):
    """A formatted NVRAM whose ibm,skiboot partition holds `keys`."""
    nv = bytearray(mkpnor.nvram_formatted())
    nv[16:16 + len(keys)] = keys
    return bytes(nv)


@test
def bootargs_that_fill_the_partition_are_refused():
    # 4080 bytes after the header, the last one NUL: 4016 of other keys
    # leave room for "bootargs=" and 53 characters and its NUL, not 54.
    nv = with_keys(b"".join(b"k%d=" % i + b"v" * 1000 + b"\0"
                            for i in range(4)))
    mkpnor.nvram_with_bootargs(nv, "b" * 53)
    expect_error(lambda: mkpnor.nvram_with_bootargs(nv, "b" * 54), "full")


@test
def bootargs_written_where_skiboot_reads_them():
    nv = mkpnor.nvram_with_bootargs(mkpnor.nvram_formatted(),
                                    "heap=32M smp_timeout_ms=7000")
    eq(nv[16:16 + 40], b"bootargs=heap=32M smp_timeout_ms=7000\0\0\0",
       "ibm,skiboot keys")
    eq([n[:2] for n in nvram_walk(nv)],
       [(0x51, b"ibm,skiboot"), (0x70, b"common"), (0x7f, b"wwwwwwwwwwww")],
       "still formatted")
    eq(nv[0xfff], 0, "ibm,skiboot NUL-terminated")
    eq(nv[0x1000:], mkpnor.nvram_formatted()[0x1000:], "rest untouched")


@test
def bootargs_replaced_or_removed_keeping_other_keys():
    nv = with_keys(b"fast-reset=0\0bootargs=old\0log=7\0\0")
    nv = mkpnor.nvram_with_bootargs(nv, "heap=32M")
    eq(nv[16:16 + 38], b"fast-reset=0\0log=7\0bootargs=heap=32M\0\0",
       "replaced")
    nv = mkpnor.nvram_with_bootargs(nv, "")
    eq(nv[16:16 + 21], b"fast-reset=0\0log=7\0\0\0", "removed")


@test
def update_sets_bootargs_and_keeps_the_rest_of_nvram():
    img, toc = marked(good_image())
    new = mkpnor.update_image(img, bootargs="heap=64M")
    n = toc["NVRAM"]
    eq(new[n["base"] + 16:n["base"] + 34], b"bootargs=heap=64M\0", "key")
    eq(new[n["base"] + 0x1000:], img[n["base"] + 0x1000:], "rest of image")
    eq(new[:n["base"]], img[:n["base"]], "before NVRAM")


# ---- Debian's pflash --------------------------------------------------------

def pflash():
    found = shutil.which("pflash") or ("/usr/sbin/pflash" if os.access(
        "/usr/sbin/pflash", os.X_OK) else None)
    if not found:
        raise AssertionError("pflash not found (Debian package opal-utils)")
    return found


def pflash_parts(path):
    out = subprocess.run([pflash(), "--info", "-F", path],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         text=True).stdout
    rows = []
    for line in out.splitlines():
        f = line.split()
        if f and f[0].startswith("ID="):
            lo, hi = f[2].split("..")
            rows.append((int(f[0][3:]), f[1], int(lo, 16), int(hi, 16),
                         int(f[3].strip("(actual=)"), 16), f[4]))
    return rows, out


@test
def pflash_reads_our_table():
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "pnor.img")
        parts = mkpnor.default_layout(fake_elf(), fake_bundle(), 8 * MIB,
                                      "v")
        with open(path, "wb") as f:
            f.write(mkpnor.write_image(parts, 8 * MIB))
        rows, out = pflash_parts(path)
        want = [(i, p.name, p.base, p.base + p.size, p.actual,
                 "[---%s------]" % ("P" if "P" in p.flags else "-"))
                for i, p in enumerate(parts)]
        eq(rows, want, "pflash --info:\n" + out)


@test
def nvram_only_image_has_the_nvram_partitions_alone():
    """build --nvram-only (p9-linux-flash-nvram): the table, VERSION and
    both NVRAM partitions where default_layout() puts them, skiboot's
    NVRAM formatted, LPAR_NVRAM erased, no BOOTKERNEL or ROOTFS; pflash
    reads the table; too small an image is refused."""
    expect_error(lambda: mkpnor.nvram_only_layout(1 * MIB, "v"), "2 MiB")
    full = mkpnor.default_layout(fake_elf(), fake_bundle(), 8 * MIB, "v")
    parts = mkpnor.nvram_only_layout(2 * MIB, "v")
    eq([(p.name, p.base, p.size, p.flags) for p in parts],
       [(p.name, p.base, p.size, p.flags) for p in full[:4]], "layout")
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "nvram.img")
        img = mkpnor.write_image(parts, 2 * MIB)
        with open(path, "wb") as f:
            f.write(img)
        eq([t["name"] for t in mkpnor.read_toc(img)],
           ["part", "VERSION", "NVRAM", "LPAR_NVRAM"], "our reader")
        eq(img[0x10000:0x10000 + mkpnor.NVRAM_SIZE],
           mkpnor.nvram_formatted(), "skiboot's NVRAM")
        eq(img[0x100000:0x200000], b"\xff" * MIB, "LPAR_NVRAM")
        rows, out = pflash_parts(path)
        eq([r[1] for r in rows], ["part", "VERSION", "NVRAM", "LPAR_NVRAM"],
           "pflash --info:\n" + out)
        eq(mkpnor.main(["build", path, "--nvram-only", "--bundle", "x"]), 1,
           "--nvram-only with --bundle")
        eq(mkpnor.main(["build", path]), 1, "build without --kernel")


@test
def pflash_reads_back_the_kernel():
    kernel = fake_elf(payload=bytes(range(256)) * 64)
    with tempfile.TemporaryDirectory() as d:
        path, back = os.path.join(d, "pnor.img"), os.path.join(d, "k.bin")
        with open(path, "wb") as f:
            f.write(mkpnor.write_image(mkpnor.default_layout(
                kernel, fake_bundle(), 8 * MIB, "v"), 8 * MIB))
        subprocess.run([pflash(), "-F", path, "-P", "BOOTKERNEL", "-r", back],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with open(back, "rb") as f:
            eq(f.read()[:len(kernel)], kernel, "BOOTKERNEL read by pflash")


@test
def pflash_check_fails_on_a_corrupt_table():
    # The check above must be able to fail: pflash prints no partition
    # (and still exits 0) when an entry's checksum is wrong.
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "pnor.img")
        with open(path, "wb") as f:
            f.write(flipped(good_image(), 0x30 + 0x80 * 2 + 3))
        rows, out = pflash_parts(path)
        eq(rows, [], "pflash on a corrupt table:\n" + out)


# ---- updating an image in place --------------------------------------------

def image_with(parts, size=8 * MIB):
    return mkpnor.write_image(parts, size)


@test
def update_with_nothing_is_refused():
    expect_error(lambda: mkpnor.update_image(good_image()), "nothing")


@test
def update_of_an_image_without_a_table_is_refused():
    expect_error(lambda: mkpnor.update_image(b"\xff" * 8 * MIB,
                                             bundle=fake_bundle()), "no FFS")


@test
def update_of_a_missing_partition_is_refused():
    img = image_with([toc_part(), Part("NVRAM", 0x10000, 0x90000)])
    expect_error(lambda: mkpnor.update_image(img, bundle=fake_bundle()),
                 "no ROOTFS")
    expect_error(lambda: mkpnor.update_image(img, kernel=fake_elf()),
                 "no BOOTKERNEL")


@test
def update_larger_than_the_partition_is_refused():
    expect_error(lambda: mkpnor.update_image(
        good_image(), bundle=fake_bundle(2 * MIB)), "ROOTFS", "do not fit")


@test
def update_with_a_bad_kernel_or_bundle_is_refused():
    expect_error(lambda: mkpnor.update_image(good_image(),
                                             kernel=b"\0" * 4096), "ELF")
    expect_error(lambda: mkpnor.update_image(good_image(),
                                             bundle=b"\0" * 4096), "FIT")


def marked(img):
    """good_image() with data in both NVRAM partitions, as a machine that
    ran would have."""
    toc = {p["name"]: p for p in mkpnor.read_toc(img)}
    b = bytearray(img)
    for name, byte in (("NVRAM", 0x5a), ("LPAR_NVRAM", 0xa5)):
        p = toc[name]
        # Inside NVRAM's free partition, past its header.
        b[p["base"] + 0x12000:p["base"] + 0x13000] = bytes([byte]) * 0x1000
    return bytes(b), toc


@test
def update_keeps_everything_but_the_rewritten_partitions():
    img, toc = marked(good_image())
    kernel = fake_elf(payload=b"\x11" * 0x2000)
    bundle = fake_bundle(0x1000)            # shorter than the old one
    new = mkpnor.update_image(img, kernel=kernel, bundle=bundle,
                              version="lparvisor-2")
    newtoc = {p["name"]: p for p in mkpnor.read_toc(new)}
    for name in ("NVRAM", "LPAR_NVRAM"):
        p = toc[name]
        eq(new[p["base"]:p["base"] + p["size"]],
           img[p["base"]:p["base"] + p["size"]], name)
    eq(new[:0x30], img[:0x30], "table header")
    end = 0x30 + 0x80 * len(toc)
    eq(new[end:0x1000], img[end:0x1000], "table tail")
    # Outside every partition: unchanged.
    eq(new[0x2000:0x10000], img[0x2000:0x10000], "gap after VERSION")
    r, k = newtoc["ROOTFS"], newtoc["BOOTKERNEL"]
    eq(new[r["base"] + 0x1000:r["base"] + 0x2000], bundle, "new bundle")
    eq(new[r["base"] + 0x2000:r["base"] + r["size"]],
       b"\xff" * (r["size"] - 0x2000), "old bundle erased")
    eq(r["actual"], 0x2000, "ROOTFS actual")
    eq(new[k["base"]:k["base"] + len(kernel)], kernel, "new kernel")
    eq(k["actual"], len(kernel), "BOOTKERNEL actual")
    eq(new[0x1000:0x1020].split(b"\0")[0], b"open-power-lparvisor-2\n",
       "VERSION")
    # Only the two entries whose actual size changed differ in the table.
    changed = [i for i in range(len(newtoc))
               if new[0x30 + 0x80 * i:0x30 + 0x80 * (i + 1)] !=
               img[0x30 + 0x80 * i:0x30 + 0x80 * (i + 1)]]
    eq(changed, [k["index"], r["index"]], "entries changed")


@test
def update_matches_pflash_programming_a_partition():
    # Debian's pflash -e -p is how a machine's ROOTFS is rewritten; our
    # update of a longer bundle must leave the same image (pflash erases
    # only what it programs, so a shorter one would differ past its end).
    img, _ = marked(good_image())
    bundle = fake_bundle(0x5000)
    ours = mkpnor.update_image(img, bundle=bundle)
    with tempfile.TemporaryDirectory() as d:
        path, part = os.path.join(d, "pnor.img"), os.path.join(d, "r.bin")
        with open(path, "wb") as f:
            f.write(img)
        mkpnor.main(["rootfs", bundle_file(d, bundle), part])
        subprocess.run([pflash(), "-F", path, "-P", "ROOTFS", "-e", "-p",
                        part, "-f"], stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with open(path, "rb") as f:
            theirs = f.read()
    eq(len(theirs), len(ours), "length")
    diff = [i for i in range(0, len(ours), 0x1000)
            if ours[i:i + 0x1000] != theirs[i:i + 0x1000]]
    eq(diff, [], "4 KiB blocks where pflash's image differs from ours")


# ---- lparvisor and the bundle together in BOOTKERNEL (real machines) -------

def lp_elf(code=b"\x60\x00\x00\x00" * 64, memsz=0x30000, shnum=3):
    """An ELF laid out as linker/lparvisor.lds lays out lparvisor's: one
    PT_LOAD from file offset 0 (headers included) at LOAD_BASE, code at
    0x100, BSS up to `memsz`, the section headers last."""
    shoff = 0x100 + len(code)
    hdr = b"\x7fELF" + bytes([2, 1, 1]) + bytes(9)
    hdr += struct.pack("<HHIQQQIHHHHHH", 2, 21, 1, 0x20000100, 64, shoff,
                       0, 64, 56, 1, 64, shnum, 0)
    ph = struct.pack("<IIQQQQQQ", 1, 7, 0, 0x20000000, 0x20000000, shoff,
                     memsz, 0x10000)
    body = hdr + ph
    return body + bytes(0x100 - len(body)) + code + \
        bytes(range(64)) * shnum


def bundle_phdr(payload):
    found = [p for p in mkpnor._phdrs(payload)
             if p[1] == mkpnor.PT_LPARVISOR_BUNDLE]
    eq(len(found), 1, "bundle program headers")
    return found[0][3], found[0][6]


@test
def embedded_bundle_lies_past_the_image_and_inside_what_skiboot_reads():
    kernel, bundle = lp_elf(memsz=0x34567), fake_bundle(0x5000)
    payload = mkpnor.embed_bundle(kernel, bundle)
    off, size = bundle_phdr(payload)
    eq(off, 0x40000, "offset: past BSS, 64 KiB aligned")
    eq(size, len(bundle), "size")
    eq(payload[off:off + size], bundle, "bundle bytes")
    # skiboot reads e_shoff + section headers: the bundle is inside.
    eq(mkpnor.elf_length(payload), len(payload), "length skiboot reads")
    eq(payload[-64 * 3:], bytes(range(64)) * 3, "section headers moved")
    eq(payload[0x100:0x200], kernel[0x100:0x200], "code in place")


@test
def embedded_bundle_splits_back_and_embeds_again_identically():
    kernel, bundle = lp_elf(), fake_bundle(0x4000)
    payload = mkpnor.embed_bundle(kernel, bundle)
    k2, b2 = mkpnor.split_bootkernel(payload)
    eq(b2, bundle, "bundle back")
    eq(mkpnor.split_bootkernel(k2)[1], None, "no bundle left in the kernel")
    eq(mkpnor.embed_bundle(k2, fake_bundle(0x4000)), payload, "re-embedded")
    eq(mkpnor.split_bootkernel(kernel), (kernel, None), "plain ELF")


@test
def embedding_refuses_bad_inputs():
    expect_error(lambda: mkpnor.embed_bundle(lp_elf(), b"not a FIT" * 9),
                 "not a FIT")
    expect_error(lambda: mkpnor.embed_bundle(
        mkpnor.embed_bundle(lp_elf(), fake_bundle()), fake_bundle()),
        "already embeds")
    # No padding after the program headers (code right behind them).
    expect_error(lambda: mkpnor.embed_bundle(fake_elf(), fake_bundle()),
                 "no free room")
    # More than skiboot's 128 MiB kernel area.
    expect_error(lambda: mkpnor.embed_bundle(lp_elf(memsz=0x7ff0000),
                                             fake_bundle(0x20000)),
                 "at most")


def bk_image(kernel=None, bundle=None, size=8 * MIB):
    return mkpnor.write_image(mkpnor.bootkernel_layout(
        kernel or lp_elf(), bundle or fake_bundle(), size, "v", "heap=32M"),
        size)


@test
def pflash_reads_the_bootkernel_layout_and_its_payload():
    kernel, bundle = lp_elf(), fake_bundle(0x6000)
    with tempfile.TemporaryDirectory() as d:
        path, back = os.path.join(d, "pnor.img"), os.path.join(d, "k.bin")
        with open(path, "wb") as f:
            f.write(bk_image(kernel, bundle))
        rows, out = pflash_parts(path)
        eq([r[1] for r in rows],
           ["part", "VERSION", "NVRAM", "LPAR_NVRAM", "BOOTKERNEL"],
           "pflash --info:\n" + out)
        payload = mkpnor.embed_bundle(kernel, bundle)
        eq(rows[-1][2:5], (0x200000, 8 * MIB, len(payload)),
           "BOOTKERNEL row:\n" + out)
        subprocess.run([pflash(), "-F", path, "-P", "BOOTKERNEL", "-r", back],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with open(back, "rb") as f:
            eq(f.read()[:len(payload)], payload, "BOOTKERNEL read by pflash")


@test
def bootkernel_update_replaces_one_half_and_keeps_nvram():
    img = bytearray(bk_image())
    toc = {p["name"]: p for p in mkpnor.read_toc(bytes(img))}
    for name, byte in (("NVRAM", 0x5a), ("LPAR_NVRAM", 0xa5)):
        img[toc[name]["base"] + 0x12000:toc[name]["base"] + 0x13000] = \
            bytes([byte]) * 0x1000
    img = bytes(img)
    k = toc["BOOTKERNEL"]
    new_bundle = fake_bundle(0x9000)
    new = mkpnor.update_image(img, bundle=new_bundle)
    held = new[k["base"]:k["base"] + k["size"]]
    kernel, bundle = mkpnor.split_bootkernel(held[:mkpnor.elf_length(held)])
    eq(bundle, new_bundle, "new bundle")
    eq(kernel[0x100:0x200], lp_elf()[0x100:0x200], "kernel kept")
    eq(new[:k["base"]][0x2000:], img[:k["base"]][0x2000:],
       "NVRAM partitions byte for byte")
    new_kernel = lp_elf(code=b"\x7f\xe0\x00\x08" * 64)
    newer = mkpnor.update_image(new, kernel=new_kernel)
    held = newer[k["base"]:k["base"] + k["size"]]
    kernel, bundle = mkpnor.split_bootkernel(held[:mkpnor.elf_length(held)])
    eq(bundle, new_bundle, "bundle kept")
    eq(kernel[0x100:0x200], new_kernel[0x100:0x200], "new kernel")
    eq(mkpnor.read_toc(newer)[-1]["actual"],
       len(mkpnor.embed_bundle(new_kernel, new_bundle)), "actual size")


@test
def bootkernel_update_matches_pflash_programming_it():
    img = bk_image()
    bundle = fake_bundle(0x7000)
    ours = mkpnor.update_image(img, kernel=lp_elf(), bundle=bundle)
    with tempfile.TemporaryDirectory() as d:
        path, part = os.path.join(d, "pnor.img"), os.path.join(d, "k.bin")
        kpath = os.path.join(d, "k.elf")
        with open(path, "wb") as f:
            f.write(img)
        with open(kpath, "wb") as f:
            f.write(lp_elf())
        eq(mkpnor.main(["bootkernel", kpath, bundle_file(d, bundle), part]),
           0, "bootkernel command")
        subprocess.run([pflash(), "-F", path, "-P", "BOOTKERNEL", "-e", "-p",
                        part, "-f"], stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with open(path, "rb") as f:
            theirs = f.read()
    diff = [i for i in range(0, len(ours), 0x1000)
            if ours[i:i + 0x1000] != theirs[i:i + 0x1000]]
    eq(diff, [], "4 KiB blocks where pflash's image differs from ours")


@test
def real_kernel_embeds(kernel=None):
    if not kernel:
        return "skipped: no kernel ELF given"
    with open(kernel, "rb") as f:
        elf = mkpnor.kernel_contents(f.read())
    payload = mkpnor.embed_bundle(elf, fake_bundle())
    off, _ = bundle_phdr(payload)
    memsz = max(p[7] for p in mkpnor._phdrs(elf) if p[1] == 1)
    if off < memsz or off % 0x10000:
        raise AssertionError("bundle at 0x%x, image ends at 0x%x"
                             % (off, memsz))
    return "bundle at 0x%x of the ELF" % off


def bundle_file(d, bundle):
    path = os.path.join(d, "b.itb")
    with open(path, "wb") as f:
        f.write(bundle)
    return path


def main(argv):
    kernel = argv[0] if argv else None
    passed = failed = 0
    for fn in TESTS:
        try:
            note = fn(kernel) if fn in (real_kernel_length,
                                        real_kernel_embeds) else fn()
            print("PASS %s%s" % (fn.__name__, (" (%s)" % note) if note else ""))
            passed += 1
        except Exception as e:  # noqa: BLE001: any failure is a failure
            print("FAIL %s: %s: %s" % (fn.__name__, type(e).__name__, e))
            failed += 1
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
