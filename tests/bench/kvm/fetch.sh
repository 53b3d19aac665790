#!/bin/bash
# Fetch what the KVM-HV host of `make bench-kvm` runs, all from Debian's
# ppc64el archive, and lay it out under OUT:
#
#   OUT/qemu/usr/bin/qemu-system-ppc64         from qemu-system-ppc:ppc64el
#   OUT/qemu/lib/powerpc64le-linux-gnu/*.so*   every shared library it needs
#                                              (the NEEDED closure), and
#   OUT/qemu/lib64/ld64.so.2                   its dynamic loader
#   OUT/modules/lib/modules/<release>/kernel/arch/powerpc/kvm/*.ko
#                                              kvm-hv and what it depends on,
#                                              from the kernel .deb that
#                                              tools/linux/fetch.sh fetched
#   OUT/versions                               "package version" of each .deb
#
# Usage: fetch.sh OUT_DIR LINUX_DIR   (the Makefile passes build/bench-kvm
#                                      and build/linux)
#
# The package set is found, not written down: starting from
# qemu-system-ppc, follow the Depends/Pre-Depends of every library package
# (names starting with lib, and zlib1g; the first alternative of an "a | b"
# that apt knows), `apt-get download` each into build/cache/apt (reused when
# there), extract them, then check that every DT_NEEDED entry of the
# emulator and of each library it pulls in is a file of that set: a missing
# one is an error that names it.  Runs after tools/linux/fetch.sh, which
# added the ppc64el architecture to dpkg and fetched the kernel .deb.
set -euo pipefail

out=${1:?usage: fetch.sh OUT_DIR LINUX_DIR}
linux=${2:?usage: fetch.sh OUT_DIR LINUX_DIR}
root=$(cd "$(dirname "$0")/../../.." && pwd)
cache=$root/build/cache/apt
arch=ppc64el
triplet=powerpc64le-linux-gnu
objdump=${OBJDUMP:-powerpc64le-linux-gnu-objdump}
readelf=${READELF:-powerpc64le-linux-gnu-readelf}
top=qemu-system-ppc
binary=usr/bin/qemu-system-ppc64
kvm_modules=(kvm-hv)

sudo=""
if [ "$(id -u)" != 0 ]; then
	sudo=sudo
fi
export DEBIAN_FRONTEND=noninteractive

die() {
	echo "bench-kvm fetch: $*" >&2
	exit 1
}

# candidate, fetch_deb
. "$root/tools/linux/apt-lib.sh"


mkdir -p "$cache" "$out"
release=$(cat "$linux/kernel-release" 2>/dev/null) ||
	die "$linux/kernel-release is missing (make linux-assets fetches it)"
kpkg=$(awk '$1 ~ /^linux-image-[0-9].*-powerpc64le$/ { print $1 "_" $2 }' \
	"$linux/versions")
kdeb=$cache/${kpkg//:/%3a}_$arch.deb
[ -s "$kdeb" ] || die "$kdeb is missing (make linux-assets fetches it)"

# Refresh the indexes only when apt does not know the emulator yet; a
# failing index (apt-get exits 100 while a mirror syncs) is not fatal.
if [ -z "$(candidate "$top")" ]; then
	echo "  APT     apt-get update (log: $out/apt-update.log)"
	if ! $sudo apt-get -q -o DPkg::Lock::Timeout=300 update \
		>"$out/apt-update.log" 2>&1; then
		echo "  APT     apt-get update reported errors (see $out/apt-update.log); continuing"
	fi
	[ -n "$(candidate "$top")" ] ||
		die "$top:$arch is not known to apt (see $out/apt-update.log)"
fi


# library_deps DEB: the library packages DEB depends on, one a line.
library_deps() {
	local field clause alt name
	field="$(dpkg-deb -f "$1" Pre-Depends), $(dpkg-deb -f "$1" Depends)"
	while read -r clause; do
		[ -n "$clause" ] || continue
		while read -r alt; do
			name=$(sed -e 's/([^)]*)//g' -e 's/:[a-z0-9]*$//' \
				-e 's/[[:space:]]//g' <<<"$alt")
			case $name in
			lib* | zlib1g) ;;
			*) continue 2 ;; # not a library: qemu-system-data, ...
			esac
			# One alternative: checked when its turn comes.
			if [[ $clause != *'|'* ]] || [ -n "$(candidate "$name")" ]; then
				echo "$name"
				continue 2
			fi
		done < <(tr '|' '\n' <<<"$clause")
		die "no installable alternative in '$clause' (a dependency of $(dpkg-deb -f "$1" Package))"
	done < <(tr ',' '\n' <<<"$field" | sed 's/:any//g')
}

tmp=$(mktemp -d "$out/.fetch.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# 1. The dependency closure of the emulator among library packages.
declare -A seen=()
queue=("$top")
: >"$tmp/versions"
while [ ${#queue[@]} -gt 0 ]; do
	pkg=${queue[0]}
	queue=("${queue[@]:1}")
	[ -z "${seen[$pkg]:-}" ] || continue
	seen[$pkg]=1
	ver=$(candidate "$pkg")
	[ -n "$ver" ] || die "$pkg:$arch is not known to apt"
	deb=$(fetch_deb "$pkg" "$ver")
	echo "$pkg $ver" >>"$tmp/versions"
	dpkg-deb -x "$deb" "$tmp/tree"
	mapfile -t deps < <(library_deps "$deb")
	queue+=("${deps[@]}")
done
echo "  APT     $top and $(($(wc -l <"$tmp/versions") - 1)) library packages ($arch)"

# 2. The NEEDED closure, looked up in the extracted tree: every soname must
# be there.  Library folders as Debian's ppc64el loader searches them.
libdirs=(lib/$triplet usr/lib/$triplet lib usr/lib lib64)
find_lib() {
	local d
	for d in "${libdirs[@]}"; do
		if [ -e "$tmp/tree/$d/$1" ]; then
			echo "$tmp/tree/$d/$1"
			return 0
		fi
	done
	return 1
}
needed() {
	"$objdump" -p "$1" | awk '$1 == "NEEDED" { print $2 }'
}
interp=$("$readelf" -l "$tmp/tree/$binary" |
	sed -n 's/.*program interpreter: \(.*\)]$/\1/p')
[ "$interp" = /lib64/ld64.so.2 ] ||
	die "$binary wants the loader '$interp', not /lib64/ld64.so.2"
declare -A have=()
todo=($(needed "$tmp/tree/$binary") ld64.so.2)
mkdir -p "$tmp/qemu/lib/$triplet" "$tmp/qemu/lib64" "$tmp/qemu/usr/bin"
while [ ${#todo[@]} -gt 0 ]; do
	so=${todo[0]}
	todo=("${todo[@]:1}")
	[ -z "${have[$so]:-}" ] || continue
	have[$so]=1
	path=$(find_lib "$so") ||
		die "$binary needs $so, which none of the fetched packages has"
	cp -L "$path" "$tmp/qemu/lib/$triplet/$so"
	todo+=($(needed "$path"))
done
ln -s ../lib/$triplet/ld64.so.2 "$tmp/qemu/lib64/ld64.so.2"
cp "$tmp/tree/$binary" "$tmp/qemu/$binary"
echo "  QEMU    $binary + ${#have[@]} shared libraries, $(du -sm "$tmp/qemu" | cut -f1) MiB"

# 3. kvm-hv and the modules it depends on (the "depends=" of .modinfo).
modroot=lib/modules/$release/kernel
dpkg-deb --fsys-tarfile "$kdeb" |
	tar -x -m -C "$tmp" --wildcards "./$modroot/arch/powerpc/kvm/*" ||
	die "$(basename "$kdeb") has no $modroot/arch/powerpc/kvm"
modfile() {
	local f
	for f in "$tmp/$modroot/arch/powerpc/kvm/$1.ko" \
		"$tmp/$modroot/arch/powerpc/kvm/${1//_/-}.ko"; do
		[ -f "$f" ] && echo "$f" && return 0
	done
	return 1
}
declare -A mods=()
mtodo=("${kvm_modules[@]}")
: >"$tmp/modules.order"
while [ ${#mtodo[@]} -gt 0 ]; do
	m=${mtodo[0]}
	mtodo=("${mtodo[@]:1}")
	[ -z "${mods[$m]:-}" ] || continue
	mods[$m]=1
	f=$(modfile "$m") || die "no module $m.ko under $modroot/arch/powerpc/kvm"
	echo "${f#"$tmp/"}" >>"$tmp/modules.order"
	deps=$(strings -a "$f" | sed -n 's/^depends=//p' | tr ',' ' ')
	mtodo+=($deps)
done
mkdir -p "$tmp/modules"
while read -r f; do
	mkdir -p "$tmp/modules/$(dirname "$f")"
	cp "$tmp/$f" "$tmp/modules/$f"
done <"$tmp/modules.order"
# Load order: dependencies first (the list was built dependents first).
tac "$tmp/modules.order" >"$tmp/modules/load-order"
echo "  MODULES $(tr '\n' ' ' <"$tmp/modules/load-order")"

rm -rf "$out/qemu" "$out/modules"
mv "$tmp/qemu" "$out/qemu"
mv "$tmp/modules" "$out/modules"
mv "$tmp/versions" "$out/versions"
