#!/usr/bin/env python3
"""Write the image files the hv/bundle.c and hv/config.c unit tests use.

    mkfixtures.py OUT_DIR

Deterministic content (a fixed seed), so failures reproduce:
  payload.bin   a raw payload (4 KiB, not ELF)
  kernel.elf    a minimal little-endian ELF64 PowerPC64 executable header
                followed by filler (stands in for vmlinux)
  initrd.img    3001 bytes of filler (an odd size: alignment of what follows)
  odd.itb       a FIT built with `mkimage -E` whose images carry unusual
                hash nodes: "at" (hash@1 sha256), "crc" (crc32 only),
                "nohash" (none), "two" (hash-1 sha1 + hash-2 sha256)
tests/unit/hv/bundle-test.dts packs the first three with tools/mkbundle.py.
"""
import os
import random
import struct
import subprocess
import sys


def filler(rng, n):
    return bytes(rng.getrandbits(8) for _ in range(n))


def elf_header():
    ident = b"\x7fELF" + bytes([2, 1, 1, 0]) + bytes(8)
    # e_type EXEC, e_machine PPC64, e_version, e_entry, e_phoff, e_shoff,
    # e_flags (ELFv2), e_ehsize, e_phentsize, e_phnum, e_shentsize,
    # e_shnum, e_shstrndx.
    rest = struct.pack("<HHIQQQIHHHHHH", 2, 21, 1, 0x10000, 0, 0, 2, 64, 56,
                       0, 64, 0, 0)
    return ident + rest


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


def main(out):
    os.makedirs(out, exist_ok=True)
    rng = random.Random(0x1a2b3c)
    write(os.path.join(out, "payload.bin"), b"PAYL" + filler(rng, 4092))
    write(os.path.join(out, "kernel.elf"), elf_header() + filler(rng, 8128))
    write(os.path.join(out, "initrd.img"), filler(rng, 3001))
    blobs = {}
    for name in ("at", "crc", "nohash", "two"):
        blobs[name] = os.path.abspath(os.path.join(out, "odd-%s.bin" % name))
        write(blobs[name], filler(rng, 700))
    hashes = {
        "at": 'hash@1 { algo = "sha256"; };',
        "crc": 'hash-1 { algo = "crc32"; };',
        "nohash": "",
        "two": 'hash-1 { algo = "sha1"; }; hash-2 { algo = "sha256"; };',
    }
    its = ["/dts-v1/;", "/ {", '\tdescription = "odd hash nodes";',
           "\t#address-cells = <1>;", "\timages {"]
    for name in sorted(blobs):
        its += ["\t\t%s {" % name,
                '\t\t\tdata = /incbin/("%s");' % blobs[name],
                '\t\t\ttype = "ramdisk";', '\t\t\tarch = "powerpc";',
                '\t\t\tos = "linux";', '\t\t\tcompression = "none";',
                "\t\t\t%s" % hashes[name], "\t\t};"]
    its += ["\t};", "\tconfigurations {", '\t\tdefault = "conf";',
            '\t\tconf { ramdisk = "at"; };', "\t};", "};", ""]
    its_path = os.path.join(out, "odd.its")
    with open(its_path, "w") as f:
        f.write("\n".join(its))
    env = dict(os.environ, SOURCE_DATE_EPOCH="0")
    proc = subprocess.run(["mkimage", "-E", "-B", "8", "-f", its_path,
                           os.path.join(out, "odd.itb")], env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
