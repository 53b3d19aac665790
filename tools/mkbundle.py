#!/usr/bin/env python3
"""Pack a partition configuration and the images it names into a boot bundle.

    mkbundle.py CONFIG.dts OUT.itb [--layout external|inline|position]
                [--compress config|none|zstd] [--zstd-level N]
    mkbundle.py --list-files CONFIG.dts

The bundle is a FIT image (U-Boot's Flattened Image Tree) written by
`mkimage` from u-boot-tools; hv/bundle.h gives the layout lparvisor reads
and docs/config.md the configuration format.  The configuration is
compiled with dtc and stored as /images/config; every image a partition
names (`kernel`, `initramfs`), every disk image a partition's disk
names (/disks/<disk> `image`, FIT type "filesystem") and the image "slof"
of partitions with firmware = "slof" (FIT type "firmware", QEMU's
slof.bin, never compressed) is read from the file given by the
configuration's own /images/<name> { file = "..."; } node, a path relative
to the repository root.  lparvisor ignores that /images node: it is only
for this packer.

The default layout, "external" (`mkimage -E -B 0x1000`), keeps the FIT
structure small and puts each image's data after it, aligned to 4 KiB:
the configuration is then 8-byte aligned as libfdt needs, and each image
starts on a page.  "inline" and "position" exist for the unit tests.

Every kernel and initramfs image also gets a chunk hash list, a
`chunks` node beside `hash-1` with the sha256 of each 256 KiB piece of its
data as stored (hv/bundle.h): lparvisor checks a piece when a partition
first needs it, so a large kernel does not delay the partition's start.
Compression: an image whose /images/<name> node says
`compression = "zstd";` is stored compressed with the zstd tool (level
--zstd-level, default 9; FIT `compression = "zstd"`), and lparvisor
decompresses it into the partition's memory when the partition boots
(hv/decompress.c).  --compress zstd compresses every kernel and initramfs
(never a disk image), --compress none none of them.  The sha256 in the FIT
is of the data as stored.  Compressed files are kept in build/bundle/zstd/
under the sha256 of their source, so that a bundle is repacked in well
under a second once its images were compressed.

QEMU powernv loads the bundle raw with -initrd at 0x28000000 and takes at
most 128 MiB, so a larger bundle is an error.

--list-files prints the image files the configuration names, one per line
(for make prerequisites); it prints nothing when the configuration cannot
be read, leaving the error to the real run.
"""
import argparse
import hashlib
import os
import re
import struct
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MAX_BUNDLE = 128 << 20          # QEMU 7.2 hw/ppc/pnv.c INITRD_MAX_SIZE
ALIGN = 0x1000                  # mkimage -B: image data alignment
# Per-chunk sha256 list (hv/bundle.h chunks): 256 KiB, so that a first
# touch of 2 MiB of guest memory hashes little more than those 2 MiB
# (Linux's first piece, file bytes 0x10000-0x20ffff: 2.25 MiB, where
# 2 MiB chunks made it hash 4 MiB).
CHUNK_SIZE = 256 << 10
IMAGE_NAME = re.compile(r"^[a-z0-9._-]{1,31}$")
ZSTD_CACHE = os.path.join(ROOT, "build", "bundle", "zstd")
COMPRESSIONS = ("none", "zstd")
SLOF_IMAGE = "slof"

FDT_MAGIC = 0xd00dfeed
FDT_BEGIN_NODE, FDT_END_NODE, FDT_PROP, FDT_NOP, FDT_END = 1, 2, 3, 4, 9


class BundleError(Exception):
    pass


class Node:
    def __init__(self, name):
        self.name = name
        self.props = {}
        self.children = {}

    def string(self, name):
        """The property as one string, or None when absent or not one."""
        v = self.props.get(name)
        if v is None or not v.endswith(b"\0") or b"\0" in v[:-1]:
            return None
        return v[:-1].decode("utf-8", "replace")


def parse_fdt(blob):
    """A flattened device tree (the structure block only) as Nodes."""
    if len(blob) < 40:
        raise BundleError("compiled configuration is too short")
    (magic, total, off_struct, off_strings, _rsv, _ver, _comp, _cpu,
     size_strings, size_struct) = struct.unpack(">10I", blob[:40])
    if magic != FDT_MAGIC or total > len(blob):
        raise BundleError("compiled configuration is not a device tree")
    strings = blob[off_strings:off_strings + size_strings]
    pos, end = off_struct, off_struct + size_struct
    stack, root = [], None
    while pos + 4 <= end:
        (tag,) = struct.unpack(">I", blob[pos:pos + 4])
        pos += 4
        if tag == FDT_BEGIN_NODE:
            nul = blob.index(b"\0", pos)
            node = Node(blob[pos:nul].decode("utf-8", "replace"))
            pos = (nul + 1 + 3) & ~3
            if stack:
                stack[-1].children[node.name] = node
            else:
                root = node
            stack.append(node)
        elif tag == FDT_END_NODE:
            stack.pop()
        elif tag == FDT_PROP:
            size, nameoff = struct.unpack(">II", blob[pos:pos + 8])
            pos += 8
            name = strings[nameoff:strings.index(b"\0", nameoff)].decode()
            stack[-1].props[name] = blob[pos:pos + size]
            pos = (pos + size + 3) & ~3
        elif tag == FDT_NOP:
            continue
        elif tag == FDT_END:
            break
        else:
            raise BundleError("compiled configuration has a bad tag")
    if root is None:
        raise BundleError("compiled configuration has no root node")
    return root


def compile_config(dts, dtb):
    proc = subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", dtb,
                           dts], stderr=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        raise BundleError("dtc failed on %s:\n%s" % (dts, proc.stderr.strip()))
    with open(dtb, "rb") as f:
        return parse_fdt(f.read())


def wanted_images(root):
    """{name: kind} for every image an enabled partition names."""
    parts = root.children.get("partitions")
    if parts is None:
        raise BundleError("the configuration has no /partitions node")
    wanted = {}
    for lpar in parts.children.values():
        if lpar.string("status") == "disabled":
            continue
        for prop, kind in (("kernel", "kernel"), ("initramfs", "ramdisk")):
            if prop not in lpar.props:
                continue
            name = lpar.string(prop)
            if name is None or not IMAGE_NAME.match(name) or name == "config":
                raise BundleError(
                    'lpar "%s": property "%s": not a valid image name '
                    '(lparvisor-config check explains)' % (lpar.name, prop))
            if wanted.get(name, kind) != kind:
                raise BundleError(
                    'image "%s" is used both as a kernel and as an '
                    'initramfs' % name)
            wanted[name] = kind
        # firmware = "slof" runs the image "slof" (QEMU's slof.bin: hv/config.h
        # CONFIG_SLOF_IMAGE), a raw binary copied to guest address 0.
        if lpar.string("firmware") == "slof":
            if wanted.get(SLOF_IMAGE, "firmware") != "firmware":
                raise BundleError('image "%s" is SLOF and also used to boot '
                                  'or as a disk' % SLOF_IMAGE)
            wanted[SLOF_IMAGE] = "firmware"
    # Disk images (/disks/<disk> { image = "..."; }) used by an enabled
    # partition: FIT type "filesystem", raw bytes copied into the disk.
    disks = root.children.get("disks")
    used = set()
    for lpar in parts.children.values():
        if lpar.string("status") != "disabled" and "disks" in lpar.props:
            used.update(n.decode("utf-8", "replace") for n in
                        lpar.props["disks"].split(b"\0")[:-1])
    for dname, disk in sorted((disks.children if disks else {}).items()):
        name = disk.string("image")
        if dname not in used or name is None:
            continue
        if not IMAGE_NAME.match(name) or name == "config":
            raise BundleError('disk "%s": property "image": not a valid '
                              'image name' % dname)
        if wanted.get(name, "filesystem") != "filesystem":
            raise BundleError('image "%s" is used both as a disk and to '
                              'boot' % name)
        wanted[name] = "filesystem"
    return wanted


def image_files(root, wanted):
    """{name: repository-relative path} from /images/<name>/file."""
    images = root.children.get("images")
    files = {}
    for name in sorted(wanted):
        node = images.children.get(name) if images else None
        path = node.string("file") if node else None
        if not path:
            raise BundleError(
                'image "%s": the configuration needs a node '
                '/images/%s { file = "path"; } naming its file' % (name, name))
        files[name] = path
    return files


def image_compression(root, images, mode):
    """{name: "none"|"zstd"} per image, from the configuration's
    /images/<name> `compression` (mode "config") or forced by mode for
    kernels and initramfs images; disk images are never compressed."""
    nodes = root.children.get("images")
    out = {}
    for name, kind in sorted(images.items()):
        node = nodes.children.get(name) if nodes else None
        comp = (node.string("compression") if node else None) or "none"
        if comp not in COMPRESSIONS:
            raise BundleError('image "%s": compression "%s": mkbundle '
                              'writes "none" or "zstd"' % (name, comp))
        if mode != "config" and kind not in ("filesystem", "firmware"):
            comp = mode
        if comp != "none" and kind in ("filesystem", "firmware"):
            raise BundleError('image "%s": a disk or firmware image cannot '
                              'be compressed' % name)
        out[name] = comp
    return out


def zstd_file(path, level):
    """A zstd-compressed copy of `path` (with its content size and XXH64
    checksum, as the zstd tool writes them), cached by its sha256."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    os.makedirs(ZSTD_CACHE, exist_ok=True)
    out = os.path.join(ZSTD_CACHE, "%s-%d.zst" % (h.hexdigest(), level))
    if os.path.isfile(out):
        return out
    tmp = out + ".tmp"
    try:
        proc = subprocess.run(["zstd", "-q", "-f", "-%d" % level,
                               "--content-size", "--check", "-o", tmp,
                               path], stderr=subprocess.PIPE, text=True)
    except FileNotFoundError:
        raise BundleError("zstd not found: install the zstd package")
    if proc.returncode != 0:
        raise BundleError("zstd failed on %s:\n%s" % (path,
                                                     proc.stderr.strip()))
    os.replace(tmp, out)
    return out


def its_string(s):
    return '"%s"' % s.replace("\\", "\\\\").replace('"', '\\"')


def chunk_digests(path, size=CHUNK_SIZE):
    """The sha256 of every `size`-byte piece of the file (the last one
    shorter), concatenated."""
    out = b""
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(size), b""):
            out += hashlib.sha256(block).digest()
    return out


def chunks_node(path):
    """The image's chunk hash list (hv/bundle.h "chunks"): lparvisor checks
    each 256 KiB piece when a partition first needs it instead of the whole
    image before the partition starts; mkimage leaves the node alone and
    still writes and checks hash-1 over the whole data."""
    hexed = chunk_digests(path).hex()
    value = " ".join(hexed[i:i + 2] for i in range(0, len(hexed), 2))
    return ["\t\t\tchunks {", '\t\t\t\talgo = "sha256";',
            "\t\t\t\tchunk-size = <0x%x>;" % CHUNK_SIZE,
            "\t\t\t\tvalue = [%s];" % value, "\t\t\t};"]


def write_its(path, config_dtb, source, images, files, boot_kinds,
              comps=None, data_files=None):
    comps = comps or {}
    data_files = data_files or {}
    out = ["/dts-v1/;", "", "/ {",
           "\tdescription = %s;" % its_string("lparvisor boot bundle for " +
                                               source),
           "\t#address-cells = <1>;", "", "\timages {",
           "\t\tconfig {",
           '\t\t\tdescription = "partition configuration";',
           "\t\t\tdata = /incbin/(%s);" % its_string(config_dtb),
           '\t\t\ttype = "flat_dt";', '\t\t\tarch = "powerpc";',
           '\t\t\tcompression = "none";',
           '\t\t\thash-1 { algo = "sha256"; };', "\t\t};"]
    for name in sorted(images):
        out += ["\t\t%s {" % name,
                "\t\t\tdescription = %s;" % its_string(files[name]),
                "\t\t\tdata = /incbin/(%s);" %
                its_string(data_files.get(name,
                                          os.path.join(ROOT, files[name]))),
                "\t\t\ttype = %s;" % its_string(images[name]),
                '\t\t\tarch = "powerpc";', '\t\t\tos = "linux";',
                "\t\t\tcompression = %s;" %
                its_string(comps.get(name, "none"))]
        if boot_kinds.get(name) == "payload":
            # A payload is copied to guest address 0 and entered at 0x100.
            out += ["\t\t\tload = <0x0>;", "\t\t\tentry = <0x100>;"]
        out += ['\t\t\thash-1 { algo = "sha256"; };']
        if images[name] != "filesystem":
            out += chunks_node(data_files.get(
                name, os.path.join(ROOT, files[name])))
        out += ["\t\t};"]
    out += ["\t};", "", "\tconfigurations {", '\t\tdefault = "conf";',
            "\t\tconf {", '\t\t\tdescription = "lparvisor partitions";',
            '\t\t\tfdt = "config";', "\t\t};", "\t};", "};", ""]
    with open(path, "w") as f:
        f.write("\n".join(out))


def boot_kinds(root, images):
    kinds = {}
    for lpar in root.children["partitions"].children.values():
        name = lpar.string("kernel")
        if name in images:
            kinds[name] = lpar.string("boot") or "kernel"
    return kinds


def list_files(dts):
    with tempfile.TemporaryDirectory() as tmp:
        try:
            root = compile_config(dts, os.path.join(tmp, "config.dtb"))
            files = image_files(root, wanted_images(root))
        except (BundleError, OSError, ValueError, struct.error):
            return 0
    for path in sorted(set(files.values())):
        print(path)
    return 0


def build(dts, out, layout, compress="config", level=9):
    stem = out[:-4] if out.endswith(".itb") else out
    config_dtb = os.path.abspath(stem + ".config.dtb")
    its = stem + ".its"
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    root = compile_config(dts, config_dtb)
    images = wanted_images(root)
    files = image_files(root, images)
    missing = ['image "%s": %s' % (name, path)
               for name, path in sorted(files.items())
               if not os.path.isfile(os.path.join(ROOT, path))]
    if missing:
        raise BundleError("image files missing (build them first; paths are "
                          "relative to the repository root):\n  " +
                          "\n  ".join(missing))
    comps = image_compression(root, images, compress)
    data_files = {name: zstd_file(os.path.join(ROOT, files[name]), level)
                  for name, comp in comps.items() if comp == "zstd"}
    write_its(its, config_dtb, dts, images, files, boot_kinds(root, images),
              comps, data_files)
    cmd = ["mkimage"]
    if layout == "external":
        cmd += ["-E", "-B", "0x%x" % ALIGN]
    elif layout == "position":
        cmd += ["-E", "-B", "0x%x" % ALIGN, "-p", "0x%x" % ALIGN]
    tmp_out = out + ".tmp"
    env = dict(os.environ)
    env.setdefault("SOURCE_DATE_EPOCH", "0")    # reproducible timestamps
    try:
        proc = subprocess.run(cmd + ["-f", its, tmp_out], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True)
    except FileNotFoundError:
        raise BundleError("mkimage not found: install u-boot-tools")
    if proc.returncode != 0:
        raise BundleError("mkimage failed:\n%s" % proc.stdout.strip())
    size = os.path.getsize(tmp_out)
    if size > MAX_BUNDLE:
        os.unlink(tmp_out)
        raise BundleError("bundle is %d bytes: QEMU powernv loads at most "
                          "128 MiB with -initrd" % size)
    os.replace(tmp_out, out)
    return 0


def main(argv):
    ap = argparse.ArgumentParser(
        description="Pack an lparvisor configuration and its images into a "
                    "FIT boot bundle.")
    ap.add_argument("--list-files", action="store_true",
                    help="print the image files CONFIG names and exit")
    ap.add_argument("--layout", choices=("external", "inline", "position"),
                    default="external",
                    help="where image data goes (default: external)")
    ap.add_argument("--compress", choices=("config",) + COMPRESSIONS,
                    default="config",
                    help="compress kernels and initramfs images as each "
                         "/images node says (default), none, or all with "
                         "zstd")
    ap.add_argument("--zstd-level", type=int, default=9,
                    choices=range(1, 20), metavar="1-19",
                    help="zstd compression level (default 9)")
    ap.add_argument("config", help="configuration source (.dts)")
    ap.add_argument("out", nargs="?", help="bundle to write (.itb)")
    args = ap.parse_args(argv)
    if args.list_files:
        return list_files(args.config)
    if not args.out:
        ap.error("OUT.itb is required")
    try:
        return build(args.config, args.out, args.layout, args.compress,
                     args.zstd_level)
    except BundleError as e:
        print("mkbundle: %s: %s" % (args.config, e), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
