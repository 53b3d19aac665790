#!/usr/bin/env python3
"""Write the disk image the Linux disk checks read (tests/linux/init,
lparvisor.disk=...):

    mkdisk.py OUT.img

1 MiB: block 0 (512 bytes) is a text header, NUL padded,

    LPARVISOR-DISK v1
    bytes=1048576
    sha256=<hex digest of bytes 512 .. 1048575>

and the rest deterministic pseudo-random bytes (a SHA-256 counter
stream), so the image is the same on every build and the guest can check
what it reads against the header alone.  Block 3000 and later lie beyond
the image: on a larger disk they read as zeros until the guest writes its
boot counter there.
"""
import hashlib
import os
import sys

SIZE = 1 << 20
BLOCK = 512


def body():
    out = bytearray()
    n = 0
    while len(out) < SIZE - BLOCK:
        out += hashlib.sha256(b"lparvisor-disk-%d" % n).digest()
        n += 1
    return bytes(out[:SIZE - BLOCK])


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    data = body()
    head = ("LPARVISOR-DISK v1\nbytes=%d\nsha256=%s\n" %
            (SIZE, hashlib.sha256(data).hexdigest())).encode()
    tmp = argv[1] + ".tmp"
    with open(tmp, "wb") as f:
        f.write(head + bytes(BLOCK - len(head)) + data)
    os.replace(tmp, argv[1])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
