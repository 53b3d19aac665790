/*
 * A kernel linked at 0, booted the way QEMU 7.2's -M pseries boots
 * -kernel (hw/ppc/spapr.c): the ELF is loaded at (address & 0x0fffffff) +
 * kernel-addr (0x400000 unless the machine says otherwise), the initrd
 * after it at (kernel-addr + kernel size + 0x1ffff) & ~0xffff, and /chosen
 * says where both are (qemu,boot-kernel, linux,initrd-start/end).  Like
 * Linux, the kernel copies itself down to 0 (kload_entry below) and then
 * runs with its interrupt vectors at 0x100..0xfff.  Loaded at its link
 * address instead, its copy to 0 and its vectors would overwrite the code
 * it is running (issue 20, section 2).
 *
 * Under lparvisor: boot = "kernel" (the ELF), initramfs = this same ELF,
 * bootargs "kaddr=<the partition's kernel-addr>".  Under QEMU
 * (run-pseries.py): -bios kload.bin is the firmware at 0 and -kernel /
 * -initrd kload.elf are placed by QEMU itself; the same checks must pass.
 */
#include "hv/abi/hcall.h"
#include "hv/abi/layout.h"
#include "hv/lib/string.h"
#include "tests/guest/lib/console.h"
#include "tests/guest/lib/cpu.h"
#include "tests/guest/lib/dt.h"
#include "tests/guest/lib/guest.h"
#include "tests/guest/lib/ppc.h"
#include "tests/guest/lib/report.h"

const char test_name[] = "kload";

extern const char __ro_end[], __image_end[];

/* Where kload_entry found itself; ~0: entered at 0x100 as -bios firmware. */
uint64_t kload_base = ~0ull;

/* One instruction encoded big-endian (the vCPU starts big-endian). */
#define BE(w)                                                                \
	".byte " #w ">>24, (" #w ">>16)&0xff, (" #w ">>8)&0xff, " #w "&0xff\n"

/*
 * The ELF's entry point (linked with -e kload_entry), entered big-endian
 * with r3 = device tree wherever the ELF was loaded.  Position independent:
 * switch to little-endian (BE_TO_LE_GUEST's words), find the load base,
 * copy the image file down to 0 (forwards: the source is above), record
 * the base in kload_base and start the copy at 0x100 big-endian, as QEMU
 * starts -bios firmware.
 */
__asm__(".section .text.kload_entry, \"ax\"\n"
	".globl kload_entry\n"
	"kload_entry:\n"
	BE(0x7d4000a6) BE(0x614b1003) BE(0x39800001) BE(0x798cf806)
	BE(0x7d6b6378) BE(0x7d7b03a6) BE(0x429f0005) BE(0x7d6802a6)
	BE(0x396b0010) BE(0x7d7a03a6) BE(0x4c000024)
	"	mr	31, 3\n"
	"	bcl	20, 31, 1f\n"
	"1:	mflr	4\n"
	"	lis	5, 1b@ha\n"
	"	addi	5, 5, 1b@l\n"
	"	sub	4, 4, 5\n"		/* r4 = load base */
	"	cmpdi	4, 0\n"
	"	beq	3f\n"
	"	lis	8, __image_file_end@ha\n"
	"	addi	8, 8, __image_file_end@l\n"
	"	srdi	8, 8, 3\n"
	"	mtctr	8\n"
	"	li	9, 0\n"
	"2:	ldx	10, 4, 9\n"
	"	stdx	10, 0, 9\n"
	"	addi	9, 9, 8\n"
	"	bdnz	2b\n"
	"	sync\n"
	"	isync\n"
	"3:	lis	5, kload_base@ha\n"
	"	addi	5, 5, kload_base@l\n"
	"	std	4, 0(5)\n"
	"	sync\n"
	"	mr	3, 31\n"
	"	mfmsr	9\n"
	"	li	10, 1\n"
	"	andc	9, 9, 10\n"		/* MSR[LE] off */
	"	mtsrr1	9\n"
	"	li	9, 0x100\n"
	"	mtsrr0	9\n"
	"	rfid\n"
	".previous\n");

static volatile uint64_t trapped_at;

static void on_program(struct regs *regs)
{
	trapped_at = regs->nip;
	regs->nip += 4;
}

/* Two be64 cells of a property, or false. */
static bool prop_pair(int node, const char *name, uint64_t *a, uint64_t *b)
{
	const uint8_t *p;
	int len;

	p = dt_prop(node, name, &len);
	if (!p || len != 16) {
		return false;
	}
	*a = *b = 0;
	for (int i = 0; i < 8; i++) {
		*a = *a << 8 | p[i];
		*b = *b << 8 | p[8 + i];
	}
	return true;
}

static void trap_here(void)
{
	__asm__ volatile("trap" ::: "memory");
}

void test_main(void)
{
	int chosen = dt_path("/chosen");
	const char *want_arg = dt_bootarg("kaddr");
	uint64_t want = want_arg ? strtoul(want_arg, NULL, 0) :
				   LAYOUT_KERNEL_ADDR;
	uint64_t size = (uint64_t)(uintptr_t)__image_end;
	uint64_t addr = 0, ksize = 0, istart = 0, iend = 0;
	uint64_t ro = (uint64_t)(uintptr_t)__ro_end;
	bool have = prop_pair(chosen, "qemu,boot-kernel", &addr, &ksize);

	report(have && addr == want && ksize == size,
	       "/chosen qemu,boot-kernel = <0x%lx 0x%lx>, want <0x%lx 0x%lx> "
	       "(kernel-addr, the ELF's memory size)", addr, ksize, want, size);
	report(dt_prop(chosen, "qemu,boot-kernel-le", NULL) != NULL,
	       "/chosen qemu,boot-kernel-le present (a little-endian ELF)");
	/* Code and constants: the same bytes in the ELF QEMU placed. */
	report(have && addr + ro <= dt_ram_size() &&
	       memcmp((const void *)(uintptr_t)(addr + 0x100),
		      (const void *)0x100, ro - 0x100) == 0,
	       "the image's code and constants (0x100..0x%lx) are at "
	       "kernel-addr + their link address", ro);
	report(dt_prop_num(chosen, "linux,initrd-start", &istart) &&
	       dt_prop_num(chosen, "linux,initrd-end", &iend) &&
	       istart == ((want + size + 0x1ffff) & ~0xffffull) &&
	       iend > istart && iend <= dt_ram_size() &&
	       memcmp((const void *)(uintptr_t)istart, "\177ELF", 4) == 0,
	       "initrd at 0x%lx..0x%lx: (kernel-addr + kernel size + 0x1ffff) "
	       "& ~0xffff, as QEMU, and holds the ELF", istart, iend);
	if (kload_base != ~0ull) {
		/* Entered at the ELF entry (lparvisor): where it was loaded. */
		report(kload_base == want,
		       "entered at the ELF's entry point at kernel-addr + its "
		       "link address (load base 0x%lx)", kload_base);
	}
	/* The vectors at 0x100.. are this image's, copied to 0. */
	exc_set_handler(0x700, on_program);
	trap_here();
	exc_set_handler(0x700, NULL);
	report(trapped_at >= 0x100 && trapped_at < ro,
	       "a program interrupt reaches this image's vector at 0x700 "
	       "(trap at 0x%lx)", trapped_at);
}
