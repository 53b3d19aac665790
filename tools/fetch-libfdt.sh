#!/bin/bash
# Fetch libfdt's sources from Debian's linux-source-6.1 package into the
# build folder.  The .deb is cached under build/cache/apt; only
# scripts/dtc/libfdt is extracted, without its libfdt_env.h (the hypervisor
# provides a freestanding one in hv/lib/fdt/).  Nothing fetched is committed.
set -euo pipefail

dest=${1:?usage: fetch-libfdt.sh DEST_DIR}
root=$(cd "$(dirname "$0")/.." && pwd)
cache=$root/build/cache/apt
pkg=linux-source-6.1

mkdir -p "$cache"
deb=$(ls "$cache"/${pkg}_*_all.deb 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$deb" ]; then
	echo "  FETCH   $pkg (apt-get download, cached in build/cache/apt)"
	(cd "$cache" && apt-get download "$pkg" >/dev/null 2>"$cache/download.log") || {
		echo "fetch-libfdt: 'apt-get download $pkg' failed:" >&2
		cat "$cache/download.log" >&2
		exit 1
	}
	deb=$(ls "$cache"/${pkg}_*_all.deb | sort -V | tail -n 1)
fi

tmp=$(mktemp -d "$root/build/libfdt-extract.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
echo "  EXTRACT libfdt from $(basename "$deb")"
dpkg-deb --fsys-tarfile "$deb" |
	tar -xO --wildcards "./usr/src/$pkg.tar.xz" |
	tar -xJ -C "$tmp" --wildcards "$pkg/scripts/dtc/libfdt/*"
src=$tmp/$pkg/scripts/dtc/libfdt
rm -f "$src/libfdt_env.h"
rm -rf "$dest"
mkdir -p "$(dirname "$dest")"
mv "$src" "$dest"
