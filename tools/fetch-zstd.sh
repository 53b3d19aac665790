#!/bin/bash
# Fetch zstd's decoder from Debian's libzstd source package into the build
# folder, as tools/fetch-libfdt.sh does for libfdt.  `apt-get source` runs
# with an apt state of its own under build/cache/apt-src (a deb-src list for
# bookworm main, its Sources index, and the downloaded .dsc and tarballs),
# so the system's apt configuration is not touched and root is not needed.
# Only lib/common, lib/decompress, zstd.h, zstd_errors.h and LICENSE are
# kept, without zstd_deps.h: the hypervisor provides a freestanding one in
# hv/lib/zstd/common/.  Nothing fetched is committed.
set -euo pipefail

dest=${1:?usage: fetch-zstd.sh DEST_DIR}
root=$(cd "$(dirname "$0")/.." && pwd)
state=$root/build/cache/apt-src
# Debian 12's libzstd (1.5.4); the bookworm-security revision is not
# served by every mirror, so the release one is named.
version=${ZSTD_DEBIAN_VERSION:-1.5.4+dfsg2-5}
mirror=${ZSTD_DEBIAN_MIRROR:-http://deb.debian.org/debian}

mkdir -p "$state/lists/partial" "$state/cache/archives/partial" \
	"$state/etc" "$state/src"
echo "deb-src $mirror bookworm main" >"$state/etc/sources.list"
apt_opts=(-q -o "Dir::Etc::SourceList=$state/etc/sources.list"
	-o Dir::Etc::SourceParts=/dev/null -o "Dir::State::Lists=$state/lists"
	-o "Dir::Cache=$state/cache" -o Debug::NoLocking=1)

dsc=$state/src/libzstd_${version#*:}.dsc
if [ ! -f "$dsc" ]; then
	echo "  FETCH   libzstd $version (apt-get source, cached in build/cache/apt-src)"
	if ! ls "$state/lists/"*Sources* >/dev/null 2>&1; then
		apt-get "${apt_opts[@]}" update >"$state/update.log" 2>&1 || {
			echo "fetch-zstd: apt-get update of the deb-src list failed:" >&2
			cat "$state/update.log" >&2
			exit 1
		}
	fi
	(cd "$state/src" && apt-get "${apt_opts[@]}" source --download-only \
		"libzstd=$version" >"$state/source.log" 2>&1) || {
		echo "fetch-zstd: 'apt-get source libzstd=$version' failed:" >&2
		cat "$state/source.log" >&2
		exit 1
	}
fi

tmp=$(mktemp -d "$root/build/zstd-extract.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
echo "  EXTRACT zstd decoder from $(basename "$dsc")"
# Debian's patches applied, signatures not checked (no keyring for them
# here): the files come from the mirror apt trusts through its Release.
dpkg-source --no-check -x "$dsc" "$tmp/src" >"$tmp/extract.log" 2>&1 || {
	cat "$tmp/extract.log" >&2
	exit 1
}
mkdir -p "$tmp/out"
cp -r "$tmp/src/lib/common" "$tmp/src/lib/decompress" "$tmp/out/"
cp "$tmp/src/lib/zstd.h" "$tmp/src/lib/zstd_errors.h" "$tmp/src/LICENSE" \
	"$tmp/out/"
rm -f "$tmp/out/common/zstd_deps.h"
rm -rf "$dest"
mkdir -p "$(dirname "$dest")"
mv "$tmp/out" "$dest"
