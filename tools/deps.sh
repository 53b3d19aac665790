#!/bin/bash
# Install the Debian packages listed in tools/debian-packages that are not
# installed yet.  Nothing happens when all are present.  apt-get update may
# exit non-zero when one index (for example security/ppc64el while the mirror
# syncs) fails to download: that does not stop us, but every wanted package
# must then be installable, which is checked explicitly.
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
mapfile -t wanted < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$root/tools/debian-packages")

missing=()
for p in "${wanted[@]}"; do
	status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)
	if [ "${status:0:2}" != "ii" ]; then
		missing+=("$p")
	fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps: installing missing Debian packages: ${missing[*]}"
sudo=""
if [ "$(id -u)" != 0 ]; then
	sudo=sudo
fi
export DEBIAN_FRONTEND=noninteractive
mkdir -p "$root/build"
if ! $sudo apt-get update -q >"$root/build/apt-update.log" 2>&1; then
	echo "deps: apt-get update reported errors (see build/apt-update.log); continuing"
fi
for p in "${missing[@]}"; do
	if ! apt-cache show "$p" >/dev/null 2>&1; then
		echo "deps: package '$p' is not known to apt; cannot continue" >&2
		exit 1
	fi
done
if ! $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"; then
	echo "deps: apt-get install ${missing[*]} failed" >&2
	exit 1
fi
