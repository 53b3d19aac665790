#!/bin/bash
# Build Linux's pseries-wdt watchdog driver (drivers/watchdog/pseries-wdt.c,
# the H_WATCHDOG driver) as a module for the Debian kernel fetch.sh
# fetched:
#
#   build-pseries-wdt.sh LINUX_DIR
#
# Debian's 6.1 kernel leaves CONFIG_PSERIES_WDT unset, so its package has
# no pseries-wdt.ko.  The module is built out of tree, cross-compiled with
# gcc-powerpc64le-linux-gnu (gcc 12, as Debian built the kernel), against
# the kernel's own headers package (its .config and Module.symvers, so the
# symbol versions match) and the host's kbuild tools; the driver's source
# and its asm/papr-watchdog.h come from Debian's linux-source-6.1 (the
# package libfdt is extracted from).  All .debs are fetched with
# apt-get download into build/cache/apt.  Writes LINUX_DIR/wdt/pseries-wdt.ko
# (mkinitramfs.sh puts it in the initramfs).  Nothing fetched is committed.
set -euo pipefail

out=${1:?usage: build-pseries-wdt.sh LINUX_DIR}
root=$(cd "$(dirname "$0")/../.." && pwd)
cache=$root/build/cache/apt
arch=ppc64el
src_pkg=linux-source-6.1
kbuild_pkg=linux-kbuild-6.1

die() {
	echo "build-pseries-wdt: $*" >&2
	exit 1
}

# Absolute: kbuild runs in another directory.
out=$(cd "$out" 2>/dev/null && pwd) || die "no folder $1"
[ -s "$out/kernel-release" ] || die "$out/kernel-release is missing (run tools/linux/fetch.sh first)"
release=$(cat "$out/kernel-release")
flavour=${release##*-}    # powerpc64le
abi=${release%-"$flavour"} # 6.1.0-50
kver=$(awk -v p="linux-image-$release" '$1 == p { print $2 }' "$out/versions")
[ -n "$kver" ] || die "no linux-image-$release version in $out/versions"

# apt-get download PKG=VER unless a .deb of that package is cached.
# Prints the .deb's path.
fetch() {
	local spec=$1 name=${1%%=*} pattern=$2 deb
	name=${name%%:*}
	deb=$(ls "$cache"/$pattern 2>/dev/null | sort -V | tail -n 1 || true)
	if [ -z "$deb" ]; then
		echo "  FETCH   $spec (cached in build/cache/apt)" >&2
		(cd "$cache" && apt-get -q download "$spec" \
			>"$cache/download-$name.log" 2>&1) ||
			die "'apt-get download $spec' failed: $(cat "$cache/download-$name.log")"
		deb=$(ls "$cache"/$pattern 2>/dev/null | sort -V | tail -n 1 || true)
		[ -n "$deb" ] || die "apt-get download $spec wrote no $pattern"
	fi
	echo "$deb"
}

mkdir -p "$cache"
hdeb=$(fetch "linux-headers-$release:$arch=$kver" \
	"linux-headers-${release}_${kver}_$arch.deb")
cdeb=$(fetch "linux-headers-$abi-common=$kver" \
	"linux-headers-$abi-common_${kver}_all.deb")
# The kbuild tools (fixdep, modpost) run here: the host's architecture.
kdeb=$(fetch "$kbuild_pkg" "${kbuild_pkg}_*_$(dpkg --print-architecture).deb")
sdeb=$(fetch "$src_pkg" "${src_pkg}_*_all.deb")

tmp=$(mktemp -d "$out/.wdt.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
echo "  EXTRACT kernel headers $release and $(basename "$kdeb" .deb)"
for d in "$hdeb" "$cdeb" "$kdeb"; do
	dpkg-deb -x "$d" "$tmp/root"
done
hdir=$tmp/root/usr/src/linux-headers-$release
[ -f "$hdir/Module.symvers" ] || die "$(basename "$hdeb") has no Module.symvers"
# The flavour's Makefile includes the common tree by its installed path.
sed -i "s|include /usr/src/|include $tmp/root/usr/src/|" "$hdir/Makefile"

echo "  EXTRACT pseries-wdt.c from $(basename "$sdeb")"
mkdir -p "$tmp/mod/include/asm"
dpkg-deb --fsys-tarfile "$sdeb" |
	tar -xO "./usr/src/$src_pkg.tar.xz" |
	tar -xJ -C "$tmp" "$src_pkg/drivers/watchdog/pseries-wdt.c" \
		"$src_pkg/arch/powerpc/include/asm/papr-watchdog.h"
mv "$tmp/$src_pkg/drivers/watchdog/pseries-wdt.c" "$tmp/mod/"
mv "$tmp/$src_pkg/arch/powerpc/include/asm/papr-watchdog.h" \
	"$tmp/mod/include/asm/"
printf 'obj-m := pseries-wdt.o\nccflags-y := -I$(src)/include\n' \
	>"$tmp/mod/Kbuild"

echo "  KBUILD  pseries-wdt.ko for $release"
# Not our make's flags and variables (V=1, CONFIG=...): kbuild has its own.
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$hdir" M="$tmp/mod" ARCH=powerpc \
	CROSS_COMPILE=powerpc64le-linux-gnu- >"$tmp/build.log" 2>&1 ||
	die "kbuild failed: $(tail -n 20 "$tmp/build.log")"
vermagic=$(powerpc64le-linux-gnu-strings "$tmp/mod/pseries-wdt.ko" | sed -n 's/^vermagic=//p')
case $vermagic in
"$release "*) ;;
*) die "pseries-wdt.ko has vermagic '$vermagic', not for $release" ;;
esac
mkdir -p "$out/wdt"
mv "$tmp/mod/pseries-wdt.ko" "$out/wdt/pseries-wdt.ko"
echo "  MODULE  $out/wdt/pseries-wdt.ko ($vermagic)"
