#!/bin/bash
# Build the initramfs of the KVM-HV host of `make bench-kvm`:
#
#   mkhost.sh KVM_DIR LINUX_DIR BENCH_BIN COMPUTE_BIN HELLO_ELF OUT.cpio
#
# KVM_DIR is what tests/bench/kvm/fetch.sh wrote (qemu/, modules/);
# LINUX_DIR what tools/linux/fetch.sh and mkinitramfs.sh wrote (busybox,
# vmlinux, initramfs.cpio.gz); BENCH_BIN the null-hcall payload,
# COMPUTE_BIN the guest-compute payload (tests/guest/compute.c) and
# HELLO_ELF the -kernel that carries its bootargs.  OUT is two
# archives one after the other, which the kernel unpacks in turn:
#   1. tools/linux/mkinitramfs.sh's busybox archive with tests/bench/kvm/
#      host-init as /init (gzip);
#   2. an uncompressed newc archive (the host kernel copies it instead of
#      inflating 100 MB under emulation) with
#        /usr/bin/qemu-system-ppc64, /lib/powerpc64le-linux-gnu, /lib64
#        /lib/modules/<release>/.../kvm*.ko and /lib/modules/load-order
#        /usr/share/qemu/vof.bin   (QEMU's x-vof firmware; it is
#                                   architecture-independent: Debian's
#                                   qemu-system-data, installed here)
#        /guest/vmlinux, /guest/initramfs.cpio.gz, /guest/bench.bin,
#        /guest/compute.bin, /guest/hello.elf
# Every entry is owned by root, with a fixed time stamp.
set -euo pipefail

usage="usage: mkhost.sh KVM_DIR LINUX_DIR BENCH_BIN COMPUTE_BIN HELLO_ELF OUT.cpio"
kvm=${1:?$usage}
linux=${2:?$usage}
bench=${3:?$usage}
compute=${4:?$usage}
hello=${5:?$usage}
out=${6:?$usage}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
vof=${VOF:-/usr/share/qemu/vof.bin}

for f in "$kvm/qemu/usr/bin/qemu-system-ppc64" "$kvm/modules/load-order" \
	"$linux/vmlinux" "$linux/initramfs.cpio.gz" "$bench" "$compute" \
	"$hello" "$vof"; do
	[ -f "$f" ] || {
		echo "mkhost: $f is missing" >&2
		exit 1
	}
done

tmp=$(mktemp -d "$(dirname "$out")/.mkhost.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

bash "$root/tools/linux/mkinitramfs.sh" "$linux" "$here/host-init" \
	"$tmp/base.cpio.gz" >/dev/null

tree=$tmp/root
mkdir -p "$tree/guest" "$tree/usr/share/qemu"
cp -a "$kvm/qemu/." "$tree/"
cp -a "$kvm/modules/." "$tree/"
mv "$tree/load-order" "$tree/lib/modules/load-order"
install -m 0644 "$vof" "$tree/usr/share/qemu/vof.bin"
install -m 0644 "$linux/vmlinux" "$tree/guest/vmlinux"
install -m 0644 "$linux/initramfs.cpio.gz" "$tree/guest/initramfs.cpio.gz"
install -m 0644 "$bench" "$tree/guest/bench.bin"
install -m 0644 "$compute" "$tree/guest/compute.bin"
install -m 0644 "$hello" "$tree/guest/hello.elf"
find "$tree" -exec touch -h -d @"${SOURCE_DATE_EPOCH:-0}" {} +
(cd "$tree" && find . -mindepth 1 | LC_ALL=C sort |
	cpio --quiet -o -H newc -R 0:0 --reproducible) >"$tmp/payload.cpio"
# The kernel looks for the next archive at a 4-byte boundary, skipping
# zero bytes: pad the first one.
size=$(stat -c %s "$tmp/base.cpio.gz")
head -c $(((4 - size % 4) % 4)) /dev/zero >"$tmp/pad"
cat "$tmp/base.cpio.gz" "$tmp/pad" "$tmp/payload.cpio" >"$tmp/out"
mv "$tmp/out" "$out"
echo "  INITRD  $out: $(($(stat -c %s "$out") >> 20)) MiB"
