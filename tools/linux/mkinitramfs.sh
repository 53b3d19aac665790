#!/bin/bash
# Build the test initramfs of a Linux partition:
#
#   mkinitramfs.sh LINUX_DIR INIT OUT.cpio.gz [PROGRAM...]
#
# LINUX_DIR is what tools/linux/fetch.sh wrote (busybox, modules/); INIT is
# the /init script (tests/linux/init); each PROGRAM (a static ppc64el
# test program, such as tests/linux/perf-count.c built) goes to /bin.
# The archive holds:
#
#   /init                 INIT
#   /bin/busybox          the static ppc64el busybox
#   /bin/<program>        each PROGRAM
#   /bin/<applet>         a symlink to busybox for each applet it has
#   /sbin -> bin
#   /lib/modules/...      the modules fetch.sh extracted, and
#                         extra/pseries-wdt.ko (build-pseries-wdt.sh)
#   /dev /proc /sys /tmp /root /etc   empty folders
#
# It is a newc cpio (`cpio -H newc`), gzip-compressed, every entry owned by
# root (cpio -R 0:0, so building needs no root) with a fixed time stamp, so
# the same inputs give the same bytes.  There is no /dev/console node: the
# kernel's built-in initramfs already has one (usr/default_cpio_list), and
# init mounts devtmpfs before it uses the console.
set -euo pipefail

linux=${1:?usage: mkinitramfs.sh LINUX_DIR INIT OUT.cpio.gz}
init=${2:?usage: mkinitramfs.sh LINUX_DIR INIT OUT.cpio.gz}
out=${3:?usage: mkinitramfs.sh LINUX_DIR INIT OUT.cpio.gz [PROGRAM...]}
shift 3
programs=("$@")
busybox=$linux/busybox
# Applets tests/linux/init needs: the archive is refused without them.
needed="sh mount mkdir cat echo grep head wc od tr sed nproc hwclock insmod
timeout dmesg sleep uname mdev setsid cttyhack poweroff devmem dd
sha256sum ip ping nc seq stat readlink basename sort awk kill mke2fs
umount"

for f in "$busybox" "$init" "${programs[@]}"; do
	[ -f "$f" ] || {
		echo "mkinitramfs: $f is missing (make linux-assets fetches it)" >&2
		exit 1
	}
done

# busybox is a ppc64el binary we cannot run here, so its applet list is
# read from the binary: applet_names[] is one string of NUL-separated,
# sorted names that starts with "[", "[[".  Read names from there while
# they look like applet names and stay sorted.  (The readers stop early,
# so the writers before them may die of SIGPIPE: hence the `|| true`; the
# list is checked below.)
offset=$(LC_ALL=C grep -aboP '\x00\[\x00\[\[\x00' "$busybox" | head -n 1 |
	cut -d: -f1 || true)
if [ -z "$offset" ]; then
	echo "mkinitramfs: no applet table found in $busybox" >&2
	exit 1
fi
applets=$(tail -c +$((offset + 2)) "$busybox" | head -c 65536 | tr '\0' '\n' |
	LC_ALL=C awk '
		$0 !~ /^[][a-z0-9_.-]+$/ || (NR > 1 && $0 <= prev) { exit }
		{ prev = $0; print }' || true)
for a in $needed; do
	if ! grep -qx -- "$a" <<<"$applets"; then
		echo "mkinitramfs: busybox has no applet '$a' (found $(wc -l <<<"$applets"))" >&2
		exit 1
	fi
done

tmp=$(mktemp -d "$(dirname "$out")/.initramfs.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
tree=$tmp/root
mkdir -p "$tree"/{bin,dev,proc,sys,tmp,root,etc}
ln -s bin "$tree/sbin"
install -m 0755 "$busybox" "$tree/bin/busybox"
while read -r a; do
	[ "$a" = busybox ] || ln -s busybox "$tree/bin/$a"
done <<<"$applets"
install -m 0755 "$init" "$tree/init"
for p in "${programs[@]}"; do
	install -m 0755 "$p" "$tree/bin/$(basename "$p")"
done
if [ -d "$linux/modules/lib" ]; then
	cp -r "$linux/modules/lib" "$tree/lib"
fi
# pseries-wdt.ko, built by build-pseries-wdt.sh (Debian does not ship it).
release=$(cat "$linux/kernel-release")
[ -f "$linux/wdt/pseries-wdt.ko" ] || {
	echo "mkinitramfs: $linux/wdt/pseries-wdt.ko is missing (make linux-assets builds it)" >&2
	exit 1
}
mkdir -p "$tree/lib/modules/$release/extra"
install -m 0644 "$linux/wdt/pseries-wdt.ko" "$tree/lib/modules/$release/extra/"
chmod 1777 "$tree/tmp"
chmod 0700 "$tree/root"

# Fixed time stamps, sorted names, root ownership: a reproducible archive.
find "$tree" -exec touch -h -d @"${SOURCE_DATE_EPOCH:-0}" {} +
(cd "$tree" && find . -mindepth 1 | LC_ALL=C sort |
	cpio --quiet -o -H newc -R 0:0 --reproducible) | gzip -n -9 >"$tmp/out"
mv "$tmp/out" "$out"
echo "  INITRD  $out: $(wc -l <<<"$applets") busybox applets, $(stat -c %s "$out") bytes"
