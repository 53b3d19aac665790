#!/usr/bin/env python3
"""The HTTP server of the NIC scenarios (issue 17), one connection at a
time: QEMU's user network runs it for each TCP connection a guest opens
to 10.0.2.100:80 (-netdev user,restrict=on,guestfwd=...-cmd:...), with
the connection as its standard input and output.  Nothing leaves the
machine: the guest's only way out is this program.

  GET /blob         BLOB_BYTES of a fixed pattern (blob() below)
  GET /blob.sha256  its sha256 in hex, newline
  GET /bench/N      N MiB (1 to 1024): the first MiB of the pattern N
                    times (make bench, tests/bench/run-nic-bench.py)
  POST /sink        reads the Content-Length bytes sent, answers their
                    sha256 in hex, newline (make bench's upload)
  anything else     404

The scenarios compare the sha256 the guest prints with blob_sha256().
Standard error is the connection too: nothing is ever written to it.
"""
import hashlib
import os
import sys

BLOB_BYTES = 4 << 20


def blob(size=BLOB_BYTES):
    """SIZE bytes: the sha256 of "lparvisor-nic N\\n" for N = 0, 1, ...
    one after another (no two 32-byte pieces alike)."""
    out = bytearray()
    n = 0
    while len(out) < size:
        out += hashlib.sha256(b"lparvisor-nic %d\n" % n).digest()
        n += 1
    return bytes(out[:size])


def blob_sha256(size=BLOB_BYTES):
    return hashlib.sha256(blob(size)).hexdigest()


def header(wfile, status, length):
    wfile.write(("HTTP/1.0 %s\r\nContent-Type: application/octet-stream\r\n"
                 "Content-Length: %d\r\nConnection: close\r\n\r\n"
                 % (status, length)).encode())


def respond(rfile, wfile):
    request = rfile.readline(4096).decode("latin-1").split()
    # The headers, up to the empty line (busybox wget sends a few).
    length = 0
    for _ in range(64):
        line = rfile.readline(4096)
        if line in (b"\r\n", b"\n", b""):
            break
        name, _, value = line.decode("latin-1").partition(":")
        if name.strip().lower() == "content-length":
            length = int(value.strip())
    method = request[0] if request else ""
    path = request[1] if len(request) >= 2 else ""
    if method == "POST" and path == "/sink":
        h = hashlib.sha256()
        while length > 0:
            chunk = rfile.read(min(length, 1 << 16))
            if not chunk:
                break
            h.update(chunk)
            length -= len(chunk)
        body, status = (h.hexdigest() + "\n").encode(), "200 OK"
    elif method == "GET" and path.startswith("/bench/") and \
            path[7:].isdigit() and 1 <= int(path[7:]) <= 1024:
        mib = int(path[7:])
        piece = blob(1 << 20)
        header(wfile, "200 OK", mib << 20)
        for _ in range(mib):
            wfile.write(piece)
        wfile.flush()
        return
    elif method == "GET" and path == "/blob":
        body, status = blob(), "200 OK"
    elif method == "GET" and path == "/blob.sha256":
        body, status = (blob_sha256() + "\n").encode(), "200 OK"
    else:
        body, status = b"not here\n", "404 Not Found"
    header(wfile, status, len(body))
    wfile.write(body)
    wfile.flush()


def main():
    sys.stderr = open(os.devnull, "w")
    try:
        respond(sys.stdin.buffer, sys.stdout.buffer)
    except Exception:  # a guest that hung up: nothing to tell anyone
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
