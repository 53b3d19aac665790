#!/bin/bash
# Build the Debian disk image a partition boots from through SLOF and GRUB
# (issue 18, "Boot from disk"), from Debian packages only and without root
# or loop devices:
#
#   sector 0           an MBR (sfdisk) with two primary partitions:
#   partition 1        PReP boot (type 0x41, marked active: SLOF loads the
#                      first active PReP partition it finds), holding GRUB's
#                      core.elf raw, as Debian's grub-install writes it
#   partition 2        ext4 (type 0x83, label "lparvisor-boot") made by
#                      `mkfs.ext4 -d` from a folder:
#                        /boot/vmlinux-RELEASE.gz  Debian's kernel (gzip:
#                                                  GRUB's gzio inflates it)
#                        /boot/initrd.img-RELEASE  the test initramfs
#                        /boot/grub/grub.cfg       one menu entry booting them
#
# core.elf is grub-mkimage -O powerpc-ieee1275 (grub-common, installed by
# tools/deps.sh) with the modules of grub-ieee1275-bin:ppc64el, which is
# fetched with apt-get download into build/cache/apt at the version of the
# installed grub-common and extracted with dpkg-deb.  Its built-in
# configuration finds the ext4 filesystem by label, sets the prefix there
# and GRUB's normal mode then reads grub.cfg.  Every module it needs is
# built in: the filesystem holds no GRUB modules.
#
# Usage: mkgrubdisk.sh OUT.img VMLINUX INITRD KERNEL_RELEASE BOOTARGS
#
# The image is the same bytes on every build of the same inputs (fixed
# disk identifier, filesystem UUID, hash seed and timestamps).
set -euo pipefail

out=${1:?usage: mkgrubdisk.sh OUT.img VMLINUX INITRD KERNEL_RELEASE BOOTARGS}
vmlinux=${2:?vmlinux}
initrd=${3:?initrd}
release=${4:?kernel release}
bootargs=${5:?bootargs}
root=$(cd "$(dirname "$0")/../.." && pwd)
cache=$root/build/cache/apt
arch=ppc64el
pkg=grub-ieee1275-bin
label=lparvisor-boot
# Fixed identities, so that two builds give the same image.
fs_uuid=4c504152-5649-534f-5247-525542000001
disk_id=0x4c505652
epoch=1700000000
mib=$((1024 * 1024))

die() {
	echo "mkgrubdisk: $*" >&2
	exit 1
}

# candidate, fetch_deb
. "$root/tools/linux/apt-lib.sh"

for tool in grub-mkimage sfdisk mkfs.ext4 debugfs dpkg-deb gzip; do
	command -v "$tool" >/dev/null ||
		PATH=$PATH:/usr/sbin:/sbin command -v "$tool" >/dev/null ||
		die "$tool is missing (make deps installs tools/debian-packages)"
done
export PATH=$PATH:/usr/sbin:/sbin

# GRUB's modules must come from the same GRUB version as grub-mkimage.
ver=$(dpkg-query -W -f='${Version}' grub-common 2>/dev/null || true)
[ -n "$ver" ] || die "grub-common is not installed (make deps)"
mkdir -p "$cache"
deb=$(fetch_deb "$pkg" "$ver")

tmp=$(mktemp -d "$(dirname "$out")/.mkgrubdisk.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

echo "  EXTRACT powerpc-ieee1275 modules from $(basename "$deb")"
dpkg-deb -x "$deb" "$tmp/grub"
moddir=$tmp/grub/usr/lib/grub/powerpc-ieee1275
[ -f "$moddir/moddep.lst" ] || die "$(basename "$deb") has no usr/lib/grub/powerpc-ieee1275"

# 1. GRUB's core image.  The built-in configuration runs before normal
# mode: find the filesystem by its label on any disk Open Firmware shows
# (the PReP partition GRUB was loaded from has none) and read
# /boot/grub/grub.cfg there.
cat >"$tmp/load.cfg" <<EOF
search --no-floppy --label --set=root $label
set prefix=(\$root)/boot/grub
EOF
modules="part_msdos ext2 search search_label normal linux gzio boot echo
	configfile sleep"
echo "  GRUB    grub-mkimage -O powerpc-ieee1275 ($ver)"
# shellcheck disable=SC2086 # the module list is words
grub-mkimage -O powerpc-ieee1275 -d "$moddir" -c "$tmp/load.cfg" \
	-p /boot/grub -o "$tmp/core.elf" $modules
core_size=$(stat -c %s "$tmp/core.elf")

# 2. The filesystem's contents.
fs=$tmp/fs
mkdir -p "$fs/boot/grub"
kname=vmlinux-$release.gz
iname=initrd.img-$release
gzip -n -6 -c "$vmlinux" >"$fs/boot/$kname"
cp "$initrd" "$fs/boot/$iname"
cat >"$fs/boot/grub/grub.cfg" <<EOF
# Written by tools/linux/mkgrubdisk.sh (lparvisor, issue 18).
set timeout=1
set timeout_style=menu
set default=0
echo 'lparvisor-grub: grub.cfg read from' \$root

menuentry 'Debian GNU/Linux, lparvisor test initramfs ($release)' {
	echo 'lparvisor-grub: loading /boot/$kname'
	linux /boot/$kname $bootargs
	echo 'lparvisor-grub: loading /boot/$iname'
	initrd /boot/$iname
}
EOF
find "$fs" -exec touch -h -d "@$epoch" {} +

# 3. ext4: the contents plus a quarter and 2 MiB of room, whole MiB.  No
# journal (nothing writes it); metadata_csum_seed and orphan_file are
# left out (GRUB 2.06 refuses the first).
used=$(du -s -B1 --apparent-size "$fs" | cut -f1)
fs_bytes=$(((used + used / 4 + 2 * mib + mib - 1) / mib * mib))
E2FSPROGS_FAKE_TIME=$epoch mkfs.ext4 -q -F -L "$label" -U "$fs_uuid" \
	-E "hash_seed=$fs_uuid,root_owner=0:0" -O '^has_journal' \
	-b 4096 -d "$fs" "$tmp/fs.img" "$((fs_bytes / 1024))k" >/dev/null ||
	die "mkfs.ext4 -d failed"
# mkfs.ext4 -d copies each file's access and change times (and stamps
# creation times) as it finds them: set all four to the fixed epoch.
(cd "$fs" && find . -mindepth 1) | sed 's|^\.||' | cat - <(echo /) \
	<(echo /lost+found) | while read -r path; do
	for field in atime ctime mtime crtime; do
		echo "sif \"$path\" $field @$epoch"
	done
done >"$tmp/times.debugfs"
debugfs -w -f "$tmp/times.debugfs" "$tmp/fs.img" >/dev/null 2>"$tmp/debugfs.log" ||
	die "debugfs: $(cat "$tmp/debugfs.log")"

# 4. The disk: 1 MiB for the label, the PReP partition (core.elf rounded
# up to whole MiB), the filesystem.
prep_bytes=$(((core_size + mib - 1) / mib * mib))
prep_start=$mib
fs_start=$((prep_start + prep_bytes))
total=$((fs_start + fs_bytes))
rm -f "$tmp/disk.img"
truncate -s "$total" "$tmp/disk.img"
sfdisk -q --no-reread --no-tell-kernel "$tmp/disk.img" >/dev/null <<EOF ||
label: dos
label-id: $disk_id
unit: sectors

start=$((prep_start / 512)), size=$((prep_bytes / 512)), type=41, bootable
start=$((fs_start / 512)), size=$((fs_bytes / 512)), type=83
EOF
	die "sfdisk failed"
dd if="$tmp/core.elf" of="$tmp/disk.img" bs=512 seek=$((prep_start / 512)) \
	conv=notrunc status=none
dd if="$tmp/fs.img" of="$tmp/disk.img" bs=1M seek=$((fs_start / mib)) \
	conv=notrunc status=none
mv "$tmp/disk.img" "$out"
echo "  DISK    $out: $((total / mib)) MiB (GRUB $core_size bytes in PReP," \
	"ext4 $((fs_bytes / mib)) MiB)"
