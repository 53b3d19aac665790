#!/usr/bin/env python3
"""Damage images of a boot bundle in place, as a bad disk or copy would.

    corrupt-image.py BUNDLE.itb IMAGE...

Flips the low bit of the byte in the middle of each named image's data,
leaving its sha256 node as mkbundle.py wrote it, so lparvisor must find
the mismatch (scenario p9-corrupt-image-refused).  Data is found as
hv/bundle.c finds it: "data-position" from the bundle's start,
"data-offset" from the end of the FIT structure rounded up to 4 bytes.
"""
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "tools"))
from mkbundle import parse_fdt  # noqa: E402


def cell(node, name):
    v = node.props.get(name)
    if v is None:
        return None
    return struct.unpack(">I" if len(v) == 4 else ">Q", v)[0]


def main(argv):
    path, names = argv[1], argv[2:]
    if not names:
        sys.exit("usage: corrupt-image.py BUNDLE.itb IMAGE...")
    with open(path, "rb") as f:
        blob = bytearray(f.read())
    images = parse_fdt(bytes(blob)).children["images"].children
    (total,) = struct.unpack(">I", blob[4:8])
    for name in names:
        node = images[name]
        size = cell(node, "data-size")
        pos = cell(node, "data-position")
        if pos is None:
            pos = ((total + 3) & ~3) + cell(node, "data-offset")
        if size is None or size == 0 or pos + size > len(blob):
            sys.exit("corrupt-image.py: image %s has no external data" % name)
        blob[pos + size // 2] ^= 0x01
    with open(path, "wb") as f:
        f.write(blob)


if __name__ == "__main__":
    main(sys.argv)
