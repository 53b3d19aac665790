#!/usr/bin/env python3
"""Check that an lparvisor ELF image is one skiboot can run in place.

skiboot loads the file raw at 0x2000_0000 and enters it at
0x2000_0000 + p_offset + (e_entry - p_vaddr) of the PT_LOAD segment that
holds the entry (skiboot core/init.c).  That equals e_entry only when
p_vaddr - p_offset == 0x2000_0000; the image must also end below the
initramfs area at 0x2800_0000.
"""
import struct
import sys

LOAD_BASE = 0x20000000
LOAD_LIMIT = 0x28000000


def main(path):
    data = open(path, "rb").read()
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        return "not a little-endian ELF64 file"
    (e_entry, e_phoff) = struct.unpack_from("<QQ", data, 24)
    (e_phentsize, e_phnum) = struct.unpack_from("<HH", data, 54)
    loads = []
    for i in range(e_phnum):
        p_type, _, p_offset, p_vaddr, _, p_filesz, p_memsz, _ = \
            struct.unpack_from("<IIQQQQQQ", data, e_phoff + i * e_phentsize)
        if p_type == 1:
            loads.append((p_offset, p_vaddr, p_filesz, p_memsz))
    if len(loads) != 1:
        return "expected exactly one PT_LOAD segment, found %d" % len(loads)
    off, vaddr, filesz, memsz = loads[0]
    if vaddr - off != LOAD_BASE:
        return "p_vaddr - p_offset is 0x%x, must be 0x%x" % (vaddr - off, LOAD_BASE)
    if not vaddr <= e_entry < vaddr + filesz:
        return "entry 0x%x is outside the loaded bytes" % e_entry
    if vaddr + memsz > LOAD_LIMIT:
        return "image ends at 0x%x, past 0x%x" % (vaddr + memsz, LOAD_LIMIT)
    if len(data) < off + filesz:
        return "file shorter than its segment"
    return None


if __name__ == "__main__":
    err = main(sys.argv[1])
    if err:
        sys.stderr.write("check-image: %s: %s\n" % (sys.argv[1], err))
        sys.exit(1)
