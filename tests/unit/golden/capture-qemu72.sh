#!/bin/sh
# Capture the golden tree tests/unit/guest_dt_test.c compares hv/guest_dt.c
# against: QEMU 7.2's own pseries tree (the reset tree, as dumpdtb writes it)
# for the options the test builds ours with, minus what is irrelevant to it.
#
#	./capture-qemu72.sh > qemu72-pseries-p9-xics.dts   (in this folder)
#
# Needs qemu-system-ppc64 (7.2), dtc, fdtput and powerpc64le-linux-gnu-gcc.
# The "kernel" is a two-instruction ELF and the initrd 4 KiB of zeros: QEMU
# only needs them to fill /chosen and the reserve map.  Stripped from the
# dump: the PHB node and root ibm,drc-* (a device lparvisor does not model,
# about 12 KiB of connectors) and
# /chosen/rng-seed (random on every run).
set -eu

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

printf '.globl _start\n_start:\n\tnop\n\tb .\n' >"$tmp/k.S"
powerpc64le-linux-gnu-gcc -nostdlib -static -Wl,-Ttext=0 -o "$tmp/k.elf" \
	"$tmp/k.S"
head -c 4096 /dev/zero >"$tmp/initrd"

qemu-system-ppc64 -M pseries,ic-mode=xics,dumpdtb="$tmp/q.dtb" \
	-cpu power9 -smp 2 -m 1G -nodefaults -nographic \
	-chardev null,id=c -serial chardev:c -name lpar1 \
	-kernel "$tmp/k.elf" -initrd "$tmp/initrd" \
	-object rng-random,id=rng,filename=/dev/urandom \
	-device spapr-rng,rng=rng \
	-append "console=hvc0 quiet" >"$tmp/qemu.log" 2>&1 ||
	{ cat "$tmp/qemu.log" >&2; exit 1; }

fdtput -r "$tmp/q.dtb" /pci@800000020000000
fdtput -d "$tmp/q.dtb" / ibm,drc-types ibm,drc-names \
	ibm,drc-power-domains ibm,drc-indexes
fdtput -d "$tmp/q.dtb" /chosen rng-seed

echo "/*"
echo " * QEMU $(qemu-system-ppc64 --version | head -n 1 | sed 's/.*version //')"
echo " * pseries reset tree (dumpdtb), captured by capture-qemu72.sh:"
echo " * -M pseries,ic-mode=xics -cpu power9 -smp 2 -m 1G -nodefaults"
echo " * -serial (null) -name lpar1 -kernel (44-byte ELF) -initrd (4 KiB)"
echo " * -device spapr-rng -append \"console=hvc0 quiet\"."
echo " * Stripped: /pci@800000020000000, root ibm,drc-*, /chosen/rng-seed."
echo " * Do not edit: re-capture."
echo " */"
dtc -q -I dtb -O dts "$tmp/q.dtb"
