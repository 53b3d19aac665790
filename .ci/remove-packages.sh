#!/bin/bash
# Make this machine bare again for lparvisor: remove (apt-get remove, not
# purge) the Debian packages of tools/debian-packages, except those CI
# itself stands on, so that the `make check` that follows has to install
# them through tools/deps.sh exactly as on a fresh Debian 12 machine
# (issue 20, section 1: the README's first command must work in one go).
#
# Kept: make, gcc, libc6-dev, python3 (what runs make and this script),
# git (the clone), ca-certificates, gzip, xz-utils (apt and dpkg's own
# needs), and every package of priority "required" (e2fsprogs: part of
# every Debian system, and apt refuses to remove it as essential).
# apt-get is first asked what it would remove; if that includes a kept or
# essential package, nothing is removed and the script fails.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
keep=" make gcc libc6-dev python3 git ca-certificates gzip xz-utils bash coreutils apt dpkg "

mapfile -t wanted < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' \
	"$root/tools/debian-packages")
remove=()
for p in "${wanted[@]}"; do
	case "$keep" in *" $p "*) continue ;; esac
	priority=$(dpkg-query -W -f='${Priority}' "$p" 2>/dev/null || true)
	if [ "$priority" = required ]; then
		continue
	fi
	status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)
	if [ "${status:0:2}" = "ii" ]; then
		remove+=("$p")
	fi
done
if [ ${#remove[@]} -eq 0 ]; then
	echo "ci: none of the project's removable packages is installed"
	exit 0
fi

sudo=""
if [ "$(id -u)" != 0 ]; then
	sudo=sudo
fi
export DEBIAN_FRONTEND=noninteractive
simout=$($sudo apt-get -s remove "${remove[@]}")
if grep -q "essential packages will be removed" <<<"$simout"; then
	echo "ci: apt counts a package among ${remove[*]} as essential:" >&2
	grep -A3 "essential packages will be removed" <<<"$simout" >&2
	exit 1
fi
sim=$(sed -n 's/^Remv \([^ ]*\).*/\1/p' <<<"$simout")
for p in $sim; do
	name=${p%%:*}
	essential=$(dpkg-query -W -f='${Essential}' "$p" 2>/dev/null || true)
	case "$keep" in *" $name "*) essential=yes ;; esac
	if [ "$essential" = yes ]; then
		echo "ci: removing ${remove[*]} would also remove $p; stopping" >&2
		exit 1
	fi
done
echo "ci: removing the project's packages: $(echo $sim)"
$sudo apt-get remove -y -q "${remove[@]}" >/dev/null

# The machine is bare only if the tools are really gone.
for tool in powerpc64le-linux-gnu-gcc qemu-system-ppc64 dtc mkimage clang; do
	if command -v "$tool" >/dev/null; then
		echo "ci: $tool is still installed after the removal" >&2
		exit 1
	fi
done
echo "ci: no cross compiler, QEMU, dtc, mkimage or clang left"
