#!/usr/bin/env python3
"""Write a PNOR flash image that skiboot boots lparvisor from.

    mkpnor.py build OUT.img --kernel lparvisor.elf --bundle BUNDLE.itb
                  [--size 64M] [--version TEXT] [--layout rootfs|bootkernel]
    mkpnor.py update IMAGE [--kernel lparvisor.elf] [--bundle BUNDLE.itb]
                  [--version TEXT]
    mkpnor.py rootfs BUNDLE.itb OUT      (ROOTFS contents, for pflash -p)
    mkpnor.py bootkernel lparvisor.elf BUNDLE.itb OUT
                                         (BOOTKERNEL contents with the
                                          bundle embedded, for pflash -p)
    mkpnor.py info IMAGE
    mkpnor.py nvram IMAGE [--name NAME --out FILE]
                                         (partition NVRAM areas in LPAR_NVRAM)

The image carries an FFS partition table (the format of skiboot's
libflash/ffs.h: a 48-byte header and 128-byte entries at flash offset 0,
big-endian, each with an XOR checksum of its 32-bit words) and these
partitions (docs/flash.md):

  part        the table itself, 4 KiB at 0
  VERSION     text skiboot 7.0 reads on BMC machines into
              /ibm,firmware-versions (core/flash-firmware-versions.c)
  NVRAM       skiboot's own NVRAM, 576 KiB, written pre-formatted as
              skiboot's nvram_format() would (so the first boot does not
              spend 9 s reformatting it under QEMU), with lparvisor's boot
              options as skiboot's `bootargs` key (--bootargs)
  LPAR_NVRAM  1 MiB for lparvisor's partitions' NVRAM, erased (0xff);
              lparvisor formats it (vio/nvram_area.h, docs/flash.md);
              `nvram` lists its areas and extracts one
  BOOTKERNEL  lparvisor's ELF: skiboot's RESOURCE_ID_KERNEL
  ROOTFS      the boot bundle: skiboot's RESOURCE_ID_INITRAMFS, behind an
              unsigned 4 KiB secure-boot container header (see stb_wrap)

skiboot 7.0 loads BOOTKERNEL and ROOTFS in core/flash.c
flash_load_resource().  Without a container header it takes a resource's
length from its ELF header (e_shoff + e_shnum * e_shentsize) and for
anything else reads the whole partition's "actual" size; every resource
must have an "actual" size of at least 4 KiB.  No partition here needs
ECC: skiboot honours the ECC flag where a table sets it but requires it
nowhere, and this writer does not set it.

--layout bootkernel (and the `bootkernel` command, for a real machine's
BOOTKERNEL partition) puts the bundle inside lparvisor's ELF instead
(embed_bundle): real machines have no ROOTFS partition, and skiboot loads
one payload from BOOTKERNEL.  `update` on such an image rewrites
BOOTKERNEL with the new lparvisor or bundle and keeps the other half.

`info` reads a table back with the checks skiboot's ffs_init() makes and
prints it.  `update` rewrites BOOTKERNEL, ROOTFS or VERSION of an
existing image in place as `pflash -F IMAGE -P NAME -e -p FILE` does:
the partition's contents, and its "actual" size in the table set to the
new length (skiboot refuses a container longer than "actual").  Unlike
pflash it also erases the rest of the partition, so nothing of a longer
old payload is left.  Every other partition (the NVRAM ones) is left
byte for byte as it was.  `rootfs` writes the ROOTFS contents pflash
needs to do the same on a machine.

The unit tests are tests/pnor/test_mkpnor.py.
"""
import argparse
import os
import struct
import sys

BLOCK = 0x1000                  # erase block; HIOMAP's 4 KiB block
TOC_SIZE = 0x1000
# QEMU 7.2 maps the PNOR at PNOR_SPI_OFFSET 0x0c000000 of the 256 MiB LPC
# firmware space (include/hw/ppc/pnv_pnor.h): 64 MiB is all that is seen.
MAX_IMAGE = 64 << 20

FFS_MAGIC = 0x50415254          # "PART"
FFS_VERSION_1 = 1
FFS_PID_TOPLEVEL = 0xffffffff
FFS_TYPE_DATA = 1
FFS_TYPE_PARTITION = 3
FFS_PART_NAME_MAX = 15
HDR_SIZE = 0x30
ENTRY_SIZE = 0x80
FFS_ENRY_INTEG_ECC = 0x8000
MISC_FLAGS = {"P": 0x80, "R": 0x40, "B": 0x20, "F": 0x10, "V": 0x08,
              "C": 0x04, "G": 0x01}

SECURE_BOOT_HEADERS_SIZE = 0x1000
ROM_MAGIC_NUMBER = 0x17082011
# Offsets in skiboot's libstb/container.h with no keys and no ECIDs:
# ROM_container_raw (426 bytes), ROM_prefix_header_raw (98, sw_key_count
# at +24, ecid_count at +97), the minimum prefix data (3 * 132), then
# ROM_sw_header_raw with payload_size at +25.
STB_SW_KEY_COUNT = 426 + 24
STB_PREFIX_ECID_COUNT = 426 + 97
STB_PAYLOAD_SIZE = 426 + 98 + 396 + 25

# skiboot's core/nvram-format.c.
NVRAM_SIZE = 0x90000
NVRAM_PARTS = [(0x51, "ibm,skiboot", 0x1000), (0x70, "common", 0x10000)]
NVRAM_SIG_FREE = 0x7f
VERSION_MAX = 0x2000            # version_buf_size in flash-firmware-versions.c
FDT_MAGIC = 0xd00dfeed


class PnorError(Exception):
    pass


class Part:
    """One partition: name, byte offset and size, the bytes it holds
    (padded with 0xff), the "actual" size recorded, and flag letters
    (P preserved, R read-only, ... as ffspart spells them; E is ECC)."""

    def __init__(self, name, base, size, data=b"", actual=None, flags=""):
        self.name = name
        self.base = base
        self.size = size
        self.data = data
        self.actual = len(data) if actual is None else actual
        self.flags = flags


def checksum(words_bytes):
    """The XOR of the 32-bit words, as the same four bytes (ffs_checksum:
    byte order does not matter to an XOR)."""
    out = bytearray(4)
    for i in range(0, len(words_bytes) - len(words_bytes) % 4, 4):
        for j in range(4):
            out[j] ^= words_bytes[i + j]
    return bytes(out)


def parse_size(text):
    mult = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    t = text.strip().upper()
    try:
        if t and t[-1] in mult:
            return int(t[:-1], 0) * mult[t[-1]]
        return int(t, 0)
    except ValueError:
        raise PnorError("bad size %r" % text)


def check_name(name):
    if not name:
        raise PnorError("empty partition name")
    if len(name.encode("ascii", "replace")) > FFS_PART_NAME_MAX:
        raise PnorError("partition name %r is longer than %d characters"
                        % (name, FFS_PART_NAME_MAX))
    if not all(0x21 <= ord(c) <= 0x7e for c in name):
        raise PnorError("partition name %r: only printable ASCII without "
                        "spaces" % name)


def check_layout(parts, image_size):
    """Every rule skiboot's reader or libffs's ffs_entry_add() relies on."""
    if image_size <= 0 or image_size % BLOCK:
        raise PnorError("image size 0x%x is not a positive multiple of the "
                        "0x%x block" % (image_size, BLOCK))
    if image_size > MAX_IMAGE:
        raise PnorError("image size 0x%x is over QEMU powernv's 64 MiB PNOR "
                        "window" % image_size)
    if not parts or parts[0].name != "part" or parts[0].base != 0:
        raise PnorError("the first entry must be the table, \"part\" at 0")
    if HDR_SIZE + ENTRY_SIZE * len(parts) > parts[0].size:
        raise PnorError("%d entries do not fit a 0x%x-byte table"
                        % (len(parts), parts[0].size))
    seen = {}
    for p in parts:
        check_name(p.name)
        key = p.name.lower()
        if key in seen:
            raise PnorError("partition names %r and %r differ only by case"
                            % (seen[key], p.name) if seen[key] != p.name else
                            "partition %r appears twice" % p.name)
        seen[key] = p.name
        if p.base % BLOCK or p.size % BLOCK:
            raise PnorError("partition %r: base 0x%x and size 0x%x must be "
                            "multiples of 0x%x" % (p.name, p.base, p.size,
                                                   BLOCK))
        if p.size == 0:
            raise PnorError("partition %r is empty" % p.name)
        if p.base + p.size > image_size:
            raise PnorError("partition %r (0x%x..0x%x) ends past the image "
                            "(0x%x)" % (p.name, p.base, p.base + p.size,
                                        image_size))
        if len(p.data) > p.size:
            raise PnorError("partition %r: 0x%x bytes do not fit its 0x%x"
                            % (p.name, len(p.data), p.size))
        if not 0 <= p.actual <= p.size:
            raise PnorError("partition %r: actual size 0x%x is over its size "
                            "0x%x" % (p.name, p.actual, p.size))
        for f in p.flags:
            if f not in MISC_FLAGS:
                raise PnorError("partition %r: unknown flag %r" % (p.name, f))
    ordered = sorted(parts, key=lambda q: q.base)
    for a, b in zip(ordered, ordered[1:]):
        if a.base + a.size > b.base:
            raise PnorError("partitions %r (0x%x..0x%x) and %r (0x%x..0x%x) "
                            "overlap" % (a.name, a.base, a.base + a.size,
                                         b.name, b.base, b.base + b.size))


def encode_entry(p, index):
    user = bytearray(64)
    misc = 0
    for f in p.flags:
        misc |= MISC_FLAGS[f]
    user[5] = misc
    raw = struct.pack(">16s7I16s", p.name.encode("ascii"), p.base // BLOCK,
                      p.size // BLOCK, FFS_PID_TOPLEVEL, index + 1,
                      FFS_TYPE_PARTITION if index == 0 else FFS_TYPE_DATA,
                      0, p.actual, bytes(16)) + bytes(user)
    return raw + checksum(raw)


def encode_toc(parts, image_size):
    """The table's bytes: header, entries, 0xff up to the table's size."""
    check_layout(parts, image_size)
    hdr = struct.pack(">7I16s", FFS_MAGIC, FFS_VERSION_1,
                      parts[0].size // BLOCK, ENTRY_SIZE, len(parts), BLOCK,
                      image_size // BLOCK, bytes(16))
    toc = hdr + checksum(hdr)
    for i, p in enumerate(parts):
        toc += encode_entry(p, i)
    return toc + b"\xff" * (parts[0].size - len(toc))


def write_image(parts, image_size):
    """The whole image: erased (0xff) flash with the table and each
    partition's data in place."""
    parts[0].data = encode_toc(parts, image_size)
    img = bytearray(b"\xff" * image_size)
    for p in parts:
        img[p.base:p.base + len(p.data)] = p.data
    return bytes(img)


def read_toc(img):
    """Parse and check a table as skiboot's ffs_init() does; returns a
    list of dicts (name, base, size, actual, ecc, flags)."""
    if len(img) < HDR_SIZE:
        raise PnorError("image shorter than a table header")
    (magic, version, size, entry_size, count, block, blocks) = \
        struct.unpack(">7I", img[:28])
    if magic != FFS_MAGIC:
        raise PnorError("no FFS table: magic 0x%08x" % magic)
    if version != FFS_VERSION_1:
        raise PnorError("table version %d" % version)
    if checksum(img[:HDR_SIZE]) != bytes(4):
        raise PnorError("table header checksum is wrong")
    if entry_size != ENTRY_SIZE:
        raise PnorError("entry size %d" % entry_size)
    if block == 0 or size == 0 or entry_size * count > block * size:
        raise PnorError("%d entries do not fit the table" % count)
    if block * blocks > len(img):
        raise PnorError("table describes 0x%x bytes, the image has 0x%x"
                        % (block * blocks, len(img)))
    if HDR_SIZE + ENTRY_SIZE * count > len(img):
        raise PnorError("entries run past the image")
    out = []
    for i in range(count):
        raw = img[HDR_SIZE + i * ENTRY_SIZE:HDR_SIZE + (i + 1) * ENTRY_SIZE]
        if checksum(raw) != bytes(4):
            raise PnorError("entry %d: checksum is wrong" % i)
        name, base, psize, pid, pidx, ptype, flags, actual = \
            struct.unpack(">16s7I", raw[:44])
        datainteg, misc = struct.unpack(">H", raw[62:64])[0], raw[65]
        out.append(dict(index=i,
                        name=name.split(b"\0")[0].decode("ascii", "replace"),
                        base=base * block, size=psize * block, actual=actual,
                        id=pidx, type=ptype, pid=pid,
                        ecc=bool(datainteg & FFS_ENRY_INTEG_ECC),
                        flags="".join(k for k, v in MISC_FLAGS.items()
                                      if misc & v)))
    return out


def elf_length(elf):
    """What skiboot 7.0 reads of an unsigned BOOTKERNEL: e_shoff plus
    e_shnum section headers (core/flash.c sizeof_elf_from_hdr).  The
    ELF's program segments must lie inside it, or skiboot would load a
    truncated image."""
    if len(elf) < 64 or elf[:4] != b"\x7fELF" or elf[4] != 2:
        raise PnorError("kernel is not a 64-bit ELF file")
    e = "<" if elf[5] == 1 else ">"
    phoff, shoff = struct.unpack(e + "QQ", elf[32:48])
    phentsize, phnum, shentsize, shnum = struct.unpack(e + "HHHH",
                                                       elf[54:62])
    length = shoff + shentsize * shnum
    if shnum == 0 or length > len(elf):
        raise PnorError("kernel ELF: section headers (0x%x) do not end "
                        "inside the file (0x%x): skiboot takes its length "
                        "from them" % (length, len(elf)))
    for i in range(phnum):
        off = phoff + i * phentsize
        if off + 56 > len(elf):
            raise PnorError("kernel ELF: program header %d past the file" % i)
        ptype, _, poff, _, _, filesz = struct.unpack(e + "IIQQQQ",
                                                     elf[off:off + 40])
        if ptype == 1 and poff + filesz > length:
            raise PnorError("kernel ELF: segment %d ends at 0x%x, past the "
                            "0x%x bytes skiboot reads" % (i, poff + filesz,
                                                          length))
    return length


def stb_wrap(payload):
    """An unsigned secure-boot container header, then the payload.

    skiboot 7.0 takes ROOTFS's length from an ELF header unless the
    partition starts with a container (ROM_MAGIC_NUMBER), whose software
    header gives the payload size; load_initramfs() then points
    linux,initrd-start just past the 4 KiB header.  Under QEMU there is
    no secure boot, so the header is never verified.  (skiboot sets
    linux,initrd-end 4 KiB past the payload's end; the bundle carries its
    own size, so lparvisor is not misled.)"""
    hdr = bytearray(SECURE_BOOT_HEADERS_SIZE)
    struct.pack_into(">IH", hdr, 0, ROM_MAGIC_NUMBER, 1)
    hdr[STB_SW_KEY_COUNT] = 0
    hdr[STB_PREFIX_ECID_COUNT] = 0
    struct.pack_into(">Q", hdr, STB_PAYLOAD_SIZE, len(payload))
    return bytes(hdr) + payload


def chrp_cksum(hdr16):
    c = 0
    for i, b in enumerate(hdr16):
        if i == 1:
            continue
        s = c + b
        c = (s & 0xff) + (1 if s > 0xff else 0)
    return c & 0xff


def chrp_header(sig, name, length):
    h = bytearray(struct.pack(">BBH12s", sig, 0, length >> 4,
                              name.encode("ascii")))
    h[1] = chrp_cksum(h)
    return bytes(h)


def nvram_formatted(size=NVRAM_SIZE):
    """skiboot's NVRAM as its nvram_format() leaves it: "ibm,skiboot",
    "common" and one free partition, zero elsewhere."""
    img = bytearray(size)
    off = 0
    for sig, name, length in NVRAM_PARTS:
        img[off:off + 16] = chrp_header(sig, name, length)
        off += length
    img[off:off + 16] = chrp_header(NVRAM_SIG_FREE, "w" * 12, size - off)
    return bytes(img)


BOOTARGS_MAX = 1024


def check_bootargs(text):
    if len(text) > BOOTARGS_MAX:
        raise PnorError("bootargs longer than %d characters" % BOOTARGS_MAX)
    if not all(0x20 <= ord(c) <= 0x7e for c in text):
        raise PnorError("bootargs: printable ASCII only")


def nvram_parts(nv):
    """skiboot's nvram_check(): the CHRP partitions as (sig, name, offset,
    length), or an error when skiboot would reformat this NVRAM."""
    off, out = 0, []
    while off + 16 < len(nv):
        h = nv[off:off + 16]
        length = struct.unpack(">H", h[2:4])[0] << 4
        if chrp_cksum(h) != h[1] or length == 0 or off + length > len(nv):
            raise PnorError("NVRAM is not formatted (bad partition header at "
                            "0x%x)" % off)
        out.append((h[0], h[4:16].split(b"\0")[0].decode("ascii", "replace"),
                    off, length))
        off += length
    return out


def nvram_with_bootargs(nv, bootargs):
    """The NVRAM with skiboot's `bootargs` key set to `bootargs` (removed
    when empty) in its "ibm,skiboot" partition, every other key and byte
    kept.  skiboot 7.0 (core/init.c) hands that value to its payload as
    /chosen/bootargs, which lparvisor reads its options from; the
    partition holds NUL-terminated key=value strings after its header,
    up to an empty one (core/nvram-format.c)."""
    check_bootargs(bootargs)
    priv = [p for p in nvram_parts(nv) if p[0] == NVRAM_PARTS[0][0] and
            p[1] == NVRAM_PARTS[0][1]]
    if not priv:
        raise PnorError("NVRAM has no ibm,skiboot partition")
    _, _, off, length = priv[0]
    body = nv[off + 16:off + length]
    keys = []
    for item in body.split(b"\0"):
        if not item:
            break
        if not item.startswith(b"bootargs="):
            keys.append(item)
    if bootargs:
        keys.append(b"bootargs=" + bootargs.encode("ascii"))
    data = b"".join(k + b"\0" for k in keys)
    if len(data) + 1 > len(body):       # the partition ends in NUL
        raise PnorError("ibm,skiboot NVRAM partition is full")
    return nv[:off + 16] + data + bytes(len(body) - len(data)) + \
        nv[off + length:]


def version_text(version):
    text = ("open-power-%s\n" % version).encode("ascii")
    if len(text) > 80 or b"\0" in text:
        raise PnorError("version string too long (80 bytes at most)")
    return text + bytes(0x1000 - len(text))


def check_bundle(bundle):
    if len(bundle) < 8 or struct.unpack(">I", bundle[:4])[0] != FDT_MAGIC:
        raise PnorError("bundle is not a FIT image (no FDT magic)")
    if struct.unpack(">I", bundle[4:8])[0] > len(bundle):
        raise PnorError("bundle is shorter than its FIT header says")


def round_up(n, a):
    return (n + a - 1) // a * a


def first_parts(version, bootargs):
    """The partitions every layout starts with, below 2 MiB: the table,
    VERSION, skiboot's NVRAM (with the boot arguments) and LPAR_NVRAM."""
    return [
        Part("part", 0, TOC_SIZE, actual=TOC_SIZE),
        Part("VERSION", 0x1000, 0x1000, version_text(version),
             actual=0x1000),
        Part("NVRAM", 0x10000, NVRAM_SIZE,
             nvram_with_bootargs(nvram_formatted(), bootargs), flags="P"),
        Part("LPAR_NVRAM", 0x100000, 0x100000, actual=0x100000, flags="P"),
    ]


def default_layout(kernel, bundle, image_size, version, bootargs=""):
    """The partitions of docs/flash.md; BOOTKERNEL gets 4 MiB (or what the
    kernel needs, rounded to 1 MiB), ROOTFS everything after it."""
    kernel = kernel_contents(kernel)
    check_bundle(bundle)
    rootfs = stb_wrap(bundle)
    kbase = 0x200000
    ksize = max(4 << 20, round_up(len(kernel), 1 << 20))
    rbase = kbase + ksize
    if rbase >= image_size:
        raise PnorError("no room for ROOTFS in a 0x%x-byte image"
                        % image_size)
    parts = first_parts(version, bootargs) + [
        Part("BOOTKERNEL", kbase, ksize, kernel,
             actual=resource_actual(kernel)),
        Part("ROOTFS", rbase, image_size - rbase, rootfs),
    ]
    if len(rootfs) > parts[-1].size:
        raise PnorError("bundle (0x%x bytes with its header) does not fit "
                        "ROOTFS (0x%x bytes); a larger image or a smaller "
                        "bundle is needed" % (len(rootfs), parts[-1].size))
    return parts


def nvram_only_layout(image_size, version, bootargs=""):
    """The NVRAM partitions of default_layout() alone, no BOOTKERNEL or
    ROOTFS: skiboot then loads nothing from flash and boots what QEMU's
    -kernel and -initrd preloaded, while lparvisor keeps the partitions'
    NVRAM in LPAR_NVRAM (a Linux scenario without loading a 46 MiB bundle
    through QEMU's slow flash at every boot)."""
    if image_size < 0x200000:
        raise PnorError("an NVRAM-only image needs 2 MiB")
    return first_parts(version, bootargs)


# The program header type that points lparvisor at a boot bundle embedded
# in its own ELF file ("lpvb", in the OS-specific range PT_LOOS..PT_HIOS);
# hv/bootkernel.c reads it.  Its image is linked at LOAD_BASE and run in
# place by skiboot, file offset 0 at LOAD_BASE, at most KERNEL_LOAD_SIZE.
PT_LPARVISOR_BUNDLE = 0x6c707662
PT_LOAD = 1
LOAD_BASE = 0x20000000
KERNEL_LOAD_SIZE = 0x08000000   # skiboot include/mem-map.h
EMBED_ALIGN = 0x10000


def _elf_header(elf):
    if len(elf) < 64 or elf[:4] != b"\x7fELF" or elf[4] != 2 or elf[5] != 1:
        raise PnorError("kernel is not a 64-bit little-endian ELF file")
    phoff, shoff = struct.unpack("<QQ", elf[32:48])
    phentsize, phnum, shentsize, shnum = struct.unpack("<HHHH", elf[54:62])
    return phoff, shoff, phentsize, phnum, shentsize, shnum


def _phdrs(elf):
    phoff, _, phentsize, phnum, _, _ = _elf_header(elf)
    out = []
    for i in range(phnum):
        off = phoff + i * phentsize
        out.append((off,) + struct.unpack("<IIQQQQQQ", elf[off:off + 56]))
    return out


def split_bootkernel(payload):
    """(lparvisor's ELF, bundle) from a BOOTKERNEL payload embed_bundle()
    wrote; (payload, None) for a plain ELF.  The ELF comes back as a
    working file (content, then its section headers), not byte for byte
    the one embedded."""
    phoff, shoff, phentsize, phnum, shentsize, shnum = _elf_header(payload)
    found = [p for p in _phdrs(payload) if p[1] == PT_LPARVISOR_BUNDLE]
    if not found:
        return payload, None
    at, _, _, off, _, _, filesz, _, _ = found[0]
    bundle = payload[off:off + filesz]
    elf = bytearray(payload[:off])
    elf[at:at + 56] = bytes(56)
    struct.pack_into("<H", elf, 56, phnum - 1)
    struct.pack_into("<Q", elf, 40, len(elf))
    elf += payload[shoff:shoff + shentsize * shnum]
    return bytes(elf), bundle


def embed_bundle(kernel, bundle):
    """One BOOTKERNEL payload: lparvisor's ELF with the boot bundle inside
    its file, before the section headers (skiboot reads an unsigned ELF up
    to their end), at a 64 KiB-aligned offset past everything lparvisor's
    image occupies in memory (its BSS included: skiboot runs the file in
    place), and a program header of type PT_LPARVISOR_BUNDLE giving its
    offset and size, written into the padding after lparvisor's own
    program headers (the linker leaves .head at 0x100)."""
    kernel, old = split_bootkernel(kernel)
    if old is not None:
        raise PnorError("the kernel already embeds a bundle")
    check_bundle(bundle)
    phoff, shoff, phentsize, phnum, shentsize, shnum = _elf_header(kernel)
    phdrs = _phdrs(kernel)
    loads = [p for p in phdrs if p[1] == PT_LOAD]
    if phentsize != 56 or not loads:
        raise PnorError("kernel ELF: no program headers to extend")
    first_code = min(p[3] for p in loads if p[3] > 0) if any(
        p[3] > 0 for p in loads) else 0x100
    slot = phoff + phnum * phentsize
    if slot + 56 > min(first_code, 0x100) or kernel[slot:slot + 56] != \
            bytes(56):
        raise PnorError("kernel ELF: no free room after its program "
                        "headers for the bundle's")
    mem_end = max(p[3] + p[7] for p in loads)        # offset + memsz
    content = kernel[:shoff]
    off = round_up(max(mem_end, len(content)), EMBED_ALIGN)
    shdr_at = round_up(off + len(bundle), 8)
    total = shdr_at + shentsize * shnum
    if total > KERNEL_LOAD_SIZE:
        raise PnorError("lparvisor and the bundle need 0x%x bytes; skiboot "
                        "loads at most 0x%x" % (total, KERNEL_LOAD_SIZE))
    out = bytearray(content) + bytes(off - len(content)) + bundle
    out += bytes(shdr_at - len(out))
    out += kernel[shoff:shoff + shentsize * shnum]
    struct.pack_into("<Q", out, 40, shdr_at)
    struct.pack_into("<H", out, 56, phnum + 1)
    struct.pack_into("<IIQQQQQQ", out, slot, PT_LPARVISOR_BUNDLE, 4, off,
                     LOAD_BASE + off, LOAD_BASE + off, len(bundle),
                     len(bundle), 8)
    return bytes(out)


def bootkernel_layout(kernel, bundle, image_size, version, bootargs=""):
    """The real-machine arrangement (docs/flashing.md): lparvisor and its
    bundle in BOOTKERNEL alone (embed_bundle), no ROOTFS; the other
    partitions as default_layout()'s."""
    payload = embed_bundle(kernel, bundle)
    kbase = 0x200000
    parts = first_parts(version, bootargs) + [
        Part("BOOTKERNEL", kbase, image_size - kbase, payload,
             actual=resource_actual(payload)),
    ]
    if len(payload) > parts[-1].size:
        raise PnorError("lparvisor and the bundle (0x%x bytes) do not fit "
                        "BOOTKERNEL (0x%x bytes)" % (len(payload),
                                                     parts[-1].size))
    return parts


def resource_actual(data):
    """skiboot loads no resource whose "actual" size is under 4 KiB."""
    return max(len(data), SECURE_BOOT_HEADERS_SIZE)


def kernel_contents(kernel):
    """BOOTKERNEL's bytes: the ELF up to the length skiboot reads."""
    return kernel[:elf_length(kernel)]


def update_image(img, kernel=None, bundle=None, version=None,
                 bootargs=None):
    """The image with the given partitions rewritten in place: contents,
    erased (0xff) past them, and the entry's "actual" size; with
    `bootargs`, skiboot's bootargs key in NVRAM.  Nothing else changes."""
    entries = read_toc(img)
    toc = {p["name"]: p for p in entries}
    new = []
    if "ROOTFS" not in toc and "BOOTKERNEL" in toc and \
            (kernel is not None or bundle is not None):
        # lparvisor and the bundle together in BOOTKERNEL: the one given
        # replaces its half, the other half is kept.
        p = toc["BOOTKERNEL"]
        held = img[p["base"]:p["base"] + p["size"]]
        old_kernel, old_bundle = split_bootkernel(held[:elf_length(held)])
        if old_bundle is None and bundle is None:
            raise PnorError("BOOTKERNEL holds no bundle: give --bundle")
        new.append(("BOOTKERNEL", embed_bundle(
            kernel_contents(kernel) if kernel is not None else old_kernel,
            bundle if bundle is not None else old_bundle)))
        kernel = bundle = None
    if kernel is not None:
        new.append(("BOOTKERNEL", kernel_contents(kernel)))
    if bundle is not None:
        check_bundle(bundle)
        new.append(("ROOTFS", stb_wrap(bundle)))
    if version is not None:
        new.append(("VERSION", version_text(version)))
    if not new and bootargs is None:
        raise PnorError("nothing to update")
    out = bytearray(img)
    if bootargs is not None:
        p = toc.get("NVRAM")
        if p is None or p["ecc"]:
            raise PnorError("the image has no NVRAM partition without ECC")
        out[p["base"]:p["base"] + p["size"]] = nvram_with_bootargs(
            img[p["base"]:p["base"] + p["size"]], bootargs)
    for name, data in new:
        p = toc.get(name)
        if p is None:
            raise PnorError("the image has no %s partition" % name)
        if len(data) > p["size"]:
            raise PnorError("%s: 0x%x bytes do not fit its 0x%x"
                            % (name, len(data), p["size"]))
        if p["ecc"]:
            raise PnorError("%s has ECC, which this tool cannot write" % name)
        out[p["base"]:p["base"] + p["size"]] = \
            data + b"\xff" * (p["size"] - len(data))
        set_actual(out, p["index"], resource_actual(data))
    return bytes(out)


def set_actual(img, index, actual):
    """Rewrite entry `index`'s actual size and checksum in place."""
    off = HDR_SIZE + index * ENTRY_SIZE
    struct.pack_into(">I", img, off + 40, actual)
    img[off + 124:off + 128] = checksum(bytes(img[off:off + 124]))


def describe(parts_or_toc):
    rows = []
    for p in parts_or_toc:
        if isinstance(p, Part):
            p = dict(name=p.name, base=p.base, size=p.size, actual=p.actual,
                     ecc=False, flags=p.flags)
        rows.append("%-11s 0x%08x..0x%08x size 0x%08x actual 0x%08x%s%s"
                    % (p["name"], p["base"], p["base"] + p["size"], p["size"],
                       p["actual"], " ECC" if p["ecc"] else "",
                       (" flags " + p["flags"]) if p["flags"] else ""))
    return "\n".join(rows)


# LPAR_NVRAM as lparvisor writes it (vio/nvram_area.h): two directory
# copies in its first two erase blocks, then areas of two slots, each a
# header block and the NVRAM bytes; all big-endian, CRC-32 as zlib's.
NVA_DIR_MAGIC = b"LPVNVDIR"
NVA_SLOT_MAGIC = b"LPVNVSLT"


def _crc32(b):
    import zlib
    return zlib.crc32(b) & 0xffffffff


def nvram_areas(img, block=BLOCK):
    """The areas of LPAR_NVRAM: a list of dicts (name, off, size, slots:
    [(valid, seq)], cur, data), from the newest valid directory copy."""
    p = [q for q in read_toc(img) if q["name"] == "LPAR_NVRAM"]
    if not p:
        raise PnorError("no LPAR_NVRAM partition")
    base, size = p[0]["base"], p[0]["size"]
    region = img[base:base + size]
    best = None
    for c in range(2):
        d = region[c * block:(c + 1) * block]
        if d[:8] != NVA_DIR_MAGIC:
            continue
        seq, count, blk = struct.unpack(">QII", d[8:24])
        n = 32 + 48 * count
        if count > 32 or blk != block or n + 4 > len(d) or \
                _crc32(d[:n]) != struct.unpack(">I", d[n:n + 4])[0]:
            continue
        if best is None or seq > best[0]:
            best = (seq, [d[32 + 48 * i:32 + 48 * (i + 1)]
                          for i in range(count)])
    out = []
    for e in (best[1] if best else []):
        name = e[:32].split(b"\0")[0].decode("ascii", "replace")
        off, nsize = struct.unpack(">II", e[32:40])
        slot = block + (nsize + block - 1) // block * block
        slots, datas = [], []
        for s in range(2):
            h = region[off + s * slot:off + s * slot + 64]
            data = region[off + s * slot + block:
                          off + s * slot + block + nsize]
            seq, = struct.unpack(">Q", h[8:16]) if len(h) == 64 else (0,)
            ok = (len(h) == 64 and h[:8] == NVA_SLOT_MAGIC and
                  _crc32(h[:60]) == struct.unpack(">I", h[60:64])[0] and
                  h[16:48].split(b"\0")[0] == name.encode() and
                  struct.unpack(">II", h[48:56]) == (off, nsize) and
                  _crc32(data) == struct.unpack(">I", h[56:60])[0] and
                  seq > 0)
            slots.append((ok, seq))
            datas.append(data)
        valid = [s for s in range(2) if slots[s][0]]
        cur = max(valid, key=lambda s: slots[s][1]) if valid else None
        out.append(dict(name=name, off=off, size=nsize, slots=slots, cur=cur,
                        data=datas[cur] if cur is not None else None))
    return out


def describe_areas(areas):
    if not areas:
        return "LPAR_NVRAM: no areas (blank or unformatted)"
    rows = []
    for a in areas:
        rows.append("%-31s 0x%06x %3d KiB  slot 0: %-16s slot 1: %-16s %s"
                    % (a["name"], a["off"], a["size"] >> 10,
                       ("seq %d" % a["slots"][0][1]) if a["slots"][0][0]
                       else "invalid",
                       ("seq %d" % a["slots"][1][1]) if a["slots"][1][0]
                       else "invalid",
                       "blank" if a["cur"] is None else
                       "current: slot %d" % a["cur"]))
    return "\n".join(rows)


def read_file(path):
    with open(path, "rb") as f:
        return f.read()


def write_file(path, data):
    """Whole or not at all: a new file renamed over the old one."""
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build")
    b.add_argument("out")
    b.add_argument("--kernel")
    b.add_argument("--bundle")
    b.add_argument("--nvram-only", action="store_true",
                   help="only the NVRAM partitions (no --kernel, --bundle)")
    b.add_argument("--size", default="64M")
    b.add_argument("--version", default="lparvisor")
    b.add_argument("--bootargs", default="",
                   help="lparvisor's boot options, kept in skiboot's NVRAM")
    b.add_argument("--layout", choices=("rootfs", "bootkernel"),
                   default="rootfs",
                   help="bundle in ROOTFS (default), or embedded with "
                        "lparvisor in BOOTKERNEL as on a real machine")
    k = sub.add_parser("bootkernel")
    k.add_argument("kernel")
    k.add_argument("bundle")
    k.add_argument("out")
    u = sub.add_parser("update")
    u.add_argument("image")
    u.add_argument("--kernel")
    u.add_argument("--bundle")
    u.add_argument("--version")
    u.add_argument("--bootargs")
    r = sub.add_parser("rootfs")
    r.add_argument("bundle")
    r.add_argument("out")
    i = sub.add_parser("info")
    i.add_argument("image")
    n = sub.add_parser("nvram")
    n.add_argument("image")
    n.add_argument("--name", help="the partition whose NVRAM to extract")
    n.add_argument("--out", help="where to write it (with --name)")
    args = ap.parse_args(argv)
    try:
        if args.cmd == "nvram":
            areas = nvram_areas(read_file(args.image))
            if not args.name:
                print(describe_areas(areas))
                return 0
            a = [x for x in areas if x["name"] == args.name]
            if not a or a[0]["data"] is None:
                raise PnorError("no NVRAM of partition %r in the image"
                                % args.name)
            if args.out:
                write_file(args.out, a[0]["data"])
            else:
                sys.stdout.buffer.write(a[0]["data"])
            return 0
        if args.cmd == "info":
            print(describe(read_toc(read_file(args.image))))
            return 0
        if args.cmd == "bootkernel":
            payload = embed_bundle(kernel_contents(read_file(args.kernel)),
                                   read_file(args.bundle))
            write_file(args.out, payload)
            print("BOOTKERNEL payload: 0x%x bytes (%.1f MiB): lparvisor and "
                  "a 0x%x-byte bundle" % (len(payload), len(payload) / 2**20,
                                          len(read_file(args.bundle))))
            return 0
        if args.cmd == "rootfs":
            bundle = read_file(args.bundle)
            check_bundle(bundle)
            write_file(args.out, stb_wrap(bundle))
            return 0
        if args.cmd == "update":
            img = update_image(
                read_file(args.image),
                read_file(args.kernel) if args.kernel else None,
                read_file(args.bundle) if args.bundle else None,
                args.version, args.bootargs)
            write_file(args.image, img)
            print(describe(read_toc(img)))
            return 0
        size = parse_size(args.size)
        if args.nvram_only:
            if args.kernel or args.bundle:
                raise PnorError("--nvram-only takes no --kernel or --bundle")
            img = write_image(nvram_only_layout(size, args.version,
                                                args.bootargs), size)
            read_toc(img)
            write_file(args.out, img)
            print(describe(read_toc(img)))
            return 0
        if not args.kernel or not args.bundle:
            raise PnorError("build needs --kernel and --bundle "
                            "(or --nvram-only)")
        layout = bootkernel_layout if args.layout == "bootkernel" else \
            default_layout
        parts = layout(read_file(args.kernel), read_file(args.bundle),
                       size, args.version, args.bootargs)
        img = write_image(parts, size)
        read_toc(img)
        write_file(args.out, img)
        print(describe(parts))
        if args.layout == "bootkernel":
            print("BOOTKERNEL holds lparvisor and the bundle (0x%x bytes) "
                  "and 0x%x bytes free" % (len(parts[-1].data),
                                           parts[-1].size -
                                           len(parts[-1].data)))
            return 0
        free = parts[-1].size - len(parts[-1].data)
        print("ROOTFS holds the bundle (0x%x bytes) and 0x%x bytes free"
              % (len(parts[-1].data) - SECURE_BOOT_HEADERS_SIZE, free))
        return 0
    except (PnorError, OSError) as e:
        print("mkpnor: %s" % e, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
