#!/bin/bash
# Fetch what a Linux partition boots from Debian's ppc64el archive:
#
#   OUT/vmlinux        the kernel of linux-image-powerpc64le (an uncompressed
#                      ELF64 little-endian PowerPC executable)
#   OUT/busybox        /bin/busybox of busybox-static (static ppc64el)
#   OUT/modules/       the few kernel modules the test initramfs loads, under
#                      lib/modules/<release>/kernel/... as in the package
#   OUT/kernel-release the kernel release (uname -r)
#   OUT/versions       "package version" of each package used
#
# Usage: fetch.sh OUT_DIR   (the Makefile passes build/linux)
#
# The .debs are downloaded with `apt-get download` into build/cache/apt and
# reused when already there; nothing fetched is committed.  The kernel is the
# one the linux-image-powerpc64le metapackage currently depends on: no
# version is written down here.  The ppc64el architecture is added to dpkg
# when missing (the packages come from the mirror the host already uses).
# Works as root, or through sudo for the apt steps.
set -euo pipefail

out=${1:?usage: fetch.sh OUT_DIR}
root=$(cd "$(dirname "$0")/../.." && pwd)
cache=$root/build/cache/apt
arch=ppc64el
meta=linux-image-powerpc64le
busybox_pkg=busybox-static
# Modules the test initramfs (tests/linux/init) loads, relative to
# lib/modules/<release>/kernel/.  pseries-rng drives /dev/hwrng (H_RANDOM);
# watchdog is the watchdog core pseries-wdt.ko (build-pseries-wdt.sh) needs;
# ibmveth drives the virtual LAN adapters (issue 13).
# The v-scsi disk (issue 14): ibmvscsi and scsi_transport_srp, sd_mod and
# what it needs (t10-pi, the CRC libraries and their generic crypto
# providers, which must be loaded first: there is no modprobe to fetch
# them on demand); ext4 (which mounts ext2) and its dependencies for the
# filesystem on a disk.  nvme-core and nvme drive the NVMe controller of a
# passed-through PCI host bridge (issue 17; nvme-core needs t10-pi).  VIOS
# mode (issue 14): configfs, LIO's core and iblock backend, and Linux's
# v-scsi-host target ibmvscsis.  e1000e drives the Intel NIC of a
# passed-through PHB (issue 17; the kernel has PTP built in, so it needs
# nothing else); llc, stp and bridge are Linux's Ethernet bridge, which
# the NIC partition uses to join the NIC and its trunk LAN adapter.
modules=(drivers/char/hw_random/pseries-rng.ko drivers/watchdog/watchdog.ko
	crypto/crct10dif_common.ko crypto/crct10dif_generic.ko lib/crc-t10dif.ko
	lib/crc64.ko crypto/crc64_rocksoft_generic.ko lib/crc64-rocksoft.ko
	block/t10-pi.ko drivers/scsi/sd_mod.ko drivers/scsi/scsi_transport_srp.ko
	drivers/scsi/ibmvscsi/ibmvscsi.ko drivers/net/ethernet/ibm/ibmveth.ko
	lib/crc16.ko fs/mbcache.ko crypto/crc32c_generic.ko fs/jbd2/jbd2.ko
	fs/ext4/ext4.ko drivers/nvme/host/nvme-core.ko drivers/nvme/host/nvme.ko
	fs/configfs/configfs.ko drivers/target/target_core_mod.ko
	drivers/target/target_core_iblock.ko
	drivers/scsi/ibmvscsi_tgt/ibmvscsis.ko
	drivers/net/ethernet/intel/e1000e/e1000e.ko net/llc/llc.ko
	net/802/stp.ko net/bridge/bridge.ko)

sudo=""
if [ "$(id -u)" != 0 ]; then
	sudo=sudo
fi
export DEBIAN_FRONTEND=noninteractive

die() {
	echo "fetch: $*" >&2
	exit 1
}

# candidate, fetch_deb
. "$(dirname "$0")/apt-lib.sh"

# elf_ppc64le FILE: true when FILE is an ELF64 little-endian PowerPC
# executable (e_ident class 2, data 1; e_type ET_EXEC; e_machine EM_PPC64).
elf_ppc64le() {
	local h
	h=$(od -An -v -tx1 -N20 "$1" | tr -d ' \n')
	[ "${h:0:8}" = 7f454c46 ] && [ "${h:8:4}" = 0201 ] &&
		[ "${h:32:4}" = 0200 ] && [ "${h:36:4}" = 1500 ]
}


mkdir -p "$cache" "$out"

# 1. dpkg must know the architecture, or apt ignores ppc64el indexes.
if [ "$(dpkg --print-architecture)" != "$arch" ] &&
	! dpkg --print-foreign-architectures | grep -qx "$arch"; then
	echo "  APT     dpkg --add-architecture $arch"
	$sudo dpkg --add-architecture "$arch"
fi

# 2. Refresh the indexes.  One of them failing (typically
# bookworm-security/ppc64el while the mirror syncs: apt-get exits 100) is
# not fatal: what matters is that the packages are found below.
echo "  APT     apt-get update (log: $out/apt-update.log)"
if ! $sudo apt-get -q -o DPkg::Lock::Timeout=300 update \
	>"$out/apt-update.log" 2>&1; then
	echo "  APT     apt-get update reported errors (see $out/apt-update.log); continuing"
fi

# 3. The current kernel: the versioned package the metapackage depends on.
meta_ver=$(candidate "$meta")
[ -n "$meta_ver" ] ||
	die "$meta:$arch is not known to apt (see $out/apt-update.log)"
kpkg=$(apt-cache show --no-all-versions "$meta:$arch" |
	sed -n 's/^Depends: //p' | head -n 1 | sed 's/[,|]/\n/g' |
	sed -e 's/([^)]*)//g' -e 's/:[a-z0-9]*//' -e 's/[[:space:]]//g' |
	grep -E '^linux-image-[0-9].*-powerpc64le$' | head -n 1 || true)
[ -n "$kpkg" ] ||
	die "cannot find the linux-image-*-powerpc64le package $meta $meta_ver depends on"
kver=$(candidate "$kpkg")
[ -n "$kver" ] || die "$kpkg:$arch ($meta $meta_ver depends on it) is not known to apt"
bver=$(candidate "$busybox_pkg")
[ -n "$bver" ] || die "$busybox_pkg:$arch is not known to apt (see $out/apt-update.log)"
echo "  APT     $meta $meta_ver -> $kpkg $kver; $busybox_pkg $bver"

# 4. Download each .deb unless the cache has it.  apt-get download names
# the file PKG_VERSION_ARCH.deb with the epoch's ':' written %3a.
kdeb=$(fetch_deb "$kpkg" "$kver")
bdeb=$(fetch_deb "$busybox_pkg" "$bver")

# 5. Extract into a scratch folder next to OUT, then move into place, the
# kernel last (make treats OUT/vmlinux as the product of this script).
tmp=$(mktemp -d "$out/.fetch.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

echo "  EXTRACT vmlinux from $(basename "$kdeb")"
patterns=('./boot/vmlinu[xz]-*')
for m in "${modules[@]}"; do
	patterns+=("./lib/modules/*/kernel/$m")
done
# A pattern that matches nothing makes tar fail: the checks below say which.
dpkg-deb --fsys-tarfile "$kdeb" |
	tar -x -m -C "$tmp" --wildcards "${patterns[@]}" 2>"$tmp/tar.log" || true
kimg=
for f in "$tmp"/boot/vmlinux-* "$tmp"/boot/vmlinuz-*; do
	if [ -f "$f" ]; then
		kimg=$f
		break
	fi
done
[ -n "$kimg" ] || die "$(basename "$kdeb") has no /boot/vmlinux-* or /boot/vmlinuz-*: $(cat "$tmp/tar.log")"
release=${kimg##*/vmlinu?-}

# Debian ships ppc64el's vmlinux uncompressed; decompress if that changes.
magic=$(od -An -v -tx1 -N6 "$kimg" | tr -d ' \n')
case $magic in
1f8b*) gzip -dc "$kimg" >"$tmp/vmlinux" ;;
fd377a585a00) xz -dc "$kimg" >"$tmp/vmlinux" ;;
28b52ffd*) zstd -dc "$kimg" >"$tmp/vmlinux" ;;
*) mv "$kimg" "$tmp/vmlinux" ;;
esac
elf_ppc64le "$tmp/vmlinux" ||
	die "${kimg#"$tmp"} is not an ELF64 little-endian PowerPC executable"

for m in "${modules[@]}"; do
	src=$tmp/lib/modules/$release/kernel/$m
	[ -f "$src" ] || die "$(basename "$kdeb") has no lib/modules/$release/kernel/$m"
done

echo "  EXTRACT busybox from $(basename "$bdeb")"
dpkg-deb --fsys-tarfile "$bdeb" | tar -xO ./bin/busybox >"$tmp/busybox"
elf_ppc64le "$tmp/busybox" ||
	die "busybox of $(basename "$bdeb") is not an ELF64 little-endian PowerPC executable"
chmod 0755 "$tmp/busybox"

rm -rf "$out/modules"
mkdir -p "$out/modules/lib/modules/$release/kernel"
for m in "${modules[@]}"; do
	mkdir -p "$out/modules/lib/modules/$release/kernel/$(dirname "$m")"
	cp "$tmp/lib/modules/$release/kernel/$m" \
		"$out/modules/lib/modules/$release/kernel/$m"
done
echo "$release" >"$out/kernel-release"
printf '%s %s\n' "$meta" "$meta_ver" "$kpkg" "$kver" \
	"$busybox_pkg" "$bver" >"$out/versions"
mv "$tmp/busybox" "$out/busybox"
mv "$tmp/vmlinux" "$out/vmlinux"
echo "  LINUX   $out/vmlinux: $release, $(stat -c %s "$out/vmlinux") bytes"
