"""Check counts pinned for both runs of a payload: QEMU's -M pseries (the
reference, tests/guest/run-pseries.py) and the lparvisor partition of the
boot scenario p9-guest-payloads (tests/boot/scenarios.py).  A check that
one run skips, or a payload that loses checks on some path, then fails
both.  Change a figure only together with the payload, from a reference
run's "N passed" line.
"""

# tests/guest/hcall.c with spapr-rng and two vCPUs or more (issue 19),
# in QEMU's reference run.  Both runs refuse H_PUT_TERM_CHAR to the nvram
# unit; lparvisor's run makes HCALL_LPARVISOR_ONLY checks more: it refuses
# H_SET_MODE AIL=4 (QEMU shifts it into LPCR unchecked, so it is not tried
# there).
HCALL_CHECKS = 156
HCALL_LPARVISOR_ONLY = 1

# tests/guest/hcall.c's test_vio_window() and test_llan(): checks made
# only where a /vdevice node has a DMA window, an l-lan adapter (QEMU's
# run with spapr-vlan; lparvisor's p9-guest-payloads, whose hcall
# partition has one).  lparvisor's run makes HCALL_LLAN_LPARVISOR_ONLY
# more (H_CHANGE_LOGICAL_LAN_MAC's refusals, a TCE past the partition's
# memory refused and one on its last page taken, H_ADD_LOGICAL_LAN_BUFFERS,
# which QEMU 7.2 lacks).
HCALL_VIO_WINDOW_CHECKS = 17
HCALL_LLAN_CHECKS = 34
HCALL_LLAN_LPARVISOR_ONLY = 5

# tests/guest/pci.c (issue 17) on a PHB with an nvme function: QEMU's
# reference run (its default PHB) and lparvisor's partition owning host PHB
# 0:0 make PCI_CHECKS; lparvisor's makes PCI_LPARVISOR_ONLY more (the host
# root port at 00:00.0, another root-bus slot and bus 255 refused; 12 checks of the minimal EEH calls, which
# QEMU 7.2 offers on VFIO PHBs only).  A partition without a PHB makes
# PCI_NO_PHB_CHECKS (lparvisor only: QEMU's pseries always has a PHB): no
# node, config calls, change-msi, query-interrupt-source-number, EEH and
# the first PHB's LIOBN all refused with QEMU's codes.
PCI_CHECKS = 40
PCI_LPARVISOR_ONLY = 16
PCI_NO_PHB_CHECKS = 15

# tests/guest/vscsi.c (issue 14): QEMU's spapr-vscsi with a scsi-hd on a
# 1 MiB file and lparvisor's adapter with a blank 1 MiB disk make
# VSCSI_CHECKS; lparvisor's makes VSCSI_LPARVISOR_ONLY more (a transport
# event sent by the guest is H_PARAMETER; QEMU ignores it).
VSCSI_CHECKS = 28
VSCSI_LPARVISOR_ONLY = 1

# tests/guest/hpt.c: the same count in QEMU's reference run (hash through
# max-cpu-compat=power8) and in lparvisor's hash partition (scenario
# p9-hash-partitions): H_CLEAR_REF and H_CLEAR_MOD are checked both ways
# (H_FUNCTION on QEMU), I/O attributes outside memory too.
HPT_CHECKS = 65
# ... and in a XIVE hash partition under lparvisor (p9-hash-partitions's
# "hpt"), its TIMA and ESB pages entered, used and the others refused.
HPT_XIVE_CHECKS = 11

# tests/guest/nvme.c (issue 17): an nvme function driven by polling
# through the PHB's MMIO window and default DMA window (NVME_CHECKS), then
# by MSI-X interrupt: on XICS (QEMU's reference run, lparvisor's XICS
# partition, whose MSIs lparvisor forwards from the host XIVE) the
# NVME_XICS_MSI checks (change-msi, set-xive, int-on/off, Identify
# completed by interrupt, a message held while the source is off), on a
# lparvisor XIVE partition the NVME_XIVE_MSI checks instead (QEMU's codes
# for bad change-msi calls, the PHB's MSI address in the MSI-X table, the
# LISN routed with H_INT_*, Identify completed by interrupt, masked at the
# source).  NVME_CHECKS includes the dynamic DMA window checks (27:
# hostile calls, query, create, 1:1 mapping with H_PUT_TCE_INDIRECT,
# Identify through the window, remove, reset).  lparvisor's partitions add
# NVME_LPARVISOR_ONLY (TCEs naming memory outside the partition refused by
# H_PUT_TCE, H_STUFF_TCE and H_PUT_TCE_INDIRECT, entries left empty, a
# list outside memory refused: QEMU stores any TCE; and 4 of the dynamic
# window: its largest size, too many TCEs, past bus bit 59, a TCE past
# the partition in it).
NVME_CHECKS = 19 + 27
NVME_XICS_MSI = 13
NVME_XIVE_MSI = 20
NVME_LPARVISOR_ONLY = 7 + 4
# ... then by INTx with MSI-X off (issue 17): the function's pin, the
# PHB's interrupt-map (QEMU's LSI numbers and swizzle, level), nothing
# presented for a line the device let go while the source was off, Identify
# commands completed by the level interrupt, presented again while the
# device holds its line through an EOI, quiet once released, nothing
# while masked; on XICS (QEMU's reference, lparvisor's forwarded LSI)
# the held level presented by ibm,int-on; on a lparvisor XIVE partition
# the LSI's source info (LSI, H_INT_ESB) and routing instead.
NVME_XICS_INTX = 13
NVME_XIVE_INTX = 13
