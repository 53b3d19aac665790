# lparvisor: top-level build.  `make` builds build/lparvisor.elf, `make run`
# boots it under QEMU powernv9, `make check` runs every test suite.
# Each folder adds its objects in Makefile.inc; test folders add suites in
# Makefile.check.  Everything built or downloaded goes under build/.

VERSION := 0.1.0
CONFIG ?= configs/default.dts
GIT_REV := $(shell git describe --always --dirty --exclude '*' 2>/dev/null || echo unknown)
FULL_VERSION := $(VERSION)-g$(GIT_REV)

BUILD := build
CROSS ?= powerpc64le-linux-gnu-
TCC := $(CROSS)gcc
TLD := $(CROSS)ld
TOBJDUMP := $(CROSS)objdump
HOSTCC ?= gcc
PYTHON ?= python3

ifeq ($(V),1)
Q :=
else
Q := @
endif

# The cross compiler's own headers (stddef.h, stdint.h), asked for by the
# shell of each recipe: tools/deps.sh may install the compiler during this
# very run, after make has read its files, so no $(shell) at parse time may
# need an installed tool (tests/static/run-static.py checks it).
TCC_INCLUDE := $$($(TCC) -print-file-name=include)

# Freestanding, little-endian ELFv2, no FP/VMX/VSX in hypervisor code.
# -Wframe-larger-than: hv_vprintf's 256-byte line buffer plus the format
# state sets the largest frame.
TARGET_CFLAGS := -mcpu=power8 -mtune=power9 -mlittle-endian -mabi=elfv2 \
	-m64 -mcmodel=medium -fno-pic -fno-pie \
	-msoft-float -mno-altivec -mno-vsx \
	-ffreestanding -fno-builtin -fno-stack-protector \
	-fno-tree-loop-distribute-patterns -fno-asynchronous-unwind-tables \
	-nostdinc -isystem $(TCC_INCLUDE) \
	-O2 -g -std=gnu11 \
	-Wall -Wextra -Werror -Wshadow -Wvla -Wmissing-prototypes \
	-Wstrict-prototypes -Wframe-larger-than=1024 \
	-I. -I$(BUILD)/include -Ihv/lib/fdt -I$(BUILD)/libfdt/src \
	-DLPARVISOR_VERSION='"$(FULL_VERSION)"'
TARGET_ASFLAGS := -mcpu=power8 -mlittle-endian -m64 -D__ASSEMBLER__ \
	-I. -I$(BUILD)/include
TARGET_LDFLAGS := -nostdlib -static -no-pie -Wl,--no-dynamic-linker \
	-Wl,-T,linker/lparvisor.lds -Wl,--build-id=none -Wl,-z,noexecstack \
	-Wl,--no-warn-rwx-segments

HV_OBJS :=
include boot/Makefile.inc
include hv/Makefile.inc
include intc/Makefile.inc
include mm/Makefile.inc
include platform-powernv/Makefile.inc
include rtas/Makefile.inc
include vio/Makefile.inc
include pci/Makefile.inc

LIBFDT_NAMES := fdt fdt_ro fdt_wip fdt_sw fdt_rw fdt_strerror fdt_empty_tree \
	fdt_addresses
LIBFDT_OBJS := $(addprefix $(BUILD)/libfdt/,$(addsuffix .o,$(LIBFDT_NAMES)))

DEPS_STAMP := $(BUILD)/.deps-installed
LIBFDT_STAMP := $(BUILD)/libfdt/.fetched

# zstd's decoder, from Debian's libzstd source (tools/fetch-zstd.sh), built
# with the hypervisor's flags (no FP/vector) and a zstd_deps.h of our own
# (hv/lib/zstd/common/).  Only single-shot decompression into a flat
# buffer is used: no legacy formats, no dictionaries' file loading, no
# assembly, no tracing.
ZSTD_NAMES := common/entropy_common common/error_private \
	common/fse_decompress common/xxhash common/zstd_common \
	decompress/huf_decompress decompress/zstd_ddict \
	decompress/zstd_decompress decompress/zstd_decompress_block
ZSTD_OBJS := $(addprefix $(BUILD)/zstd/,$(addsuffix .o,$(ZSTD_NAMES)))
ZSTD_STAMP := $(BUILD)/zstd/.fetched
ZSTD_DEFS := -DZSTD_LEGACY_SUPPORT=0 -DZSTD_DISABLE_ASM -DZSTD_NO_TRACE \
	-DZSTD_NO_INTRINSICS -DDEBUGLEVEL=0 -DZSTD_STRIP_ERROR_STRINGS
# Jump tables would sit in .text, where the FP/vector check of the image
# (check-static) reads their words as instructions.
ZSTD_CFLAGS := -fno-jump-tables
ZSTD_INCLUDES := -Ihv/lib/zstd/common -Ihv/lib/zstd/include -I$(BUILD)/zstd/src

.PHONY: all deps run check clean format
all: $(BUILD)/lparvisor.elf

# The partition firmware (rules only: after `all`, the default goal).
include slof/Makefile.inc

# Debian packages by name, installed only when missing (tools/deps.sh).
deps: $(DEPS_STAMP)
$(DEPS_STAMP): tools/debian-packages tools/deps.sh
	$(Q)mkdir -p $(BUILD)
	$(Q)bash tools/deps.sh
	$(Q)touch $@

$(LIBFDT_STAMP): tools/fetch-libfdt.sh | $(DEPS_STAMP)
	$(Q)bash tools/fetch-libfdt.sh $(BUILD)/libfdt/src
	$(Q)touch $@

$(BUILD)/libfdt/%.o: $(LIBFDT_STAMP)
	@echo "  CC      libfdt/$*.c"
	$(Q)$(TCC) $(filter-out -Wmissing-prototypes -Wshadow,$(TARGET_CFLAGS)) \
		-Wno-sign-compare -c $(BUILD)/libfdt/src/$*.c -o $@

$(ZSTD_STAMP): tools/fetch-zstd.sh | $(DEPS_STAMP)
	$(Q)bash tools/fetch-zstd.sh $(BUILD)/zstd/src
	$(Q)touch $@

$(BUILD)/zstd/%.o: $(ZSTD_STAMP) hv/lib/zstd/common/zstd_deps.h
	@echo "  CC      zstd/$*.c"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(TCC) $(filter-out -Wmissing-prototypes -Wshadow -Wframe-larger-than=%,\
		$(TARGET_CFLAGS)) -Wframe-larger-than=2048 $(ZSTD_CFLAGS) $(ZSTD_DEFS) \
		$(ZSTD_INCLUDES) -c $(BUILD)/zstd/src/$*.c -o $@

# The bundle's decompressor includes zstd.h (hv/decompress.c).
$(BUILD)/hv/hv/decompress.o: TARGET_CFLAGS += $(ZSTD_DEFS) $(ZSTD_INCLUDES)
$(BUILD)/hv/hv/decompress.o: $(ZSTD_STAMP)

$(BUILD)/include/asm-offsets.h: boot/asm-offsets.c hv/percpu.h hv/regs.h | $(DEPS_STAMP)
	@echo "  GEN     $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(TCC) $(TARGET_CFLAGS) -S $< -o $@.s
	$(Q)( echo "/* Generated from boot/asm-offsets.c: do not edit. */"; \
	  sed -n 's/.*->\([A-Z0-9_]*\) \([0-9]*\).*/#define \1 \2/p' $@.s ) > $@.tmp
	$(Q)mv $@.tmp $@ && rm -f $@.s

$(BUILD)/hv/%.o: %.c $(BUILD)/include/asm-offsets.h $(LIBFDT_STAMP)
	@echo "  CC      $<"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(TCC) $(TARGET_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/hv/%.o: %.S $(BUILD)/include/asm-offsets.h
	@echo "  AS      $<"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(TCC) $(TARGET_ASFLAGS) -MMD -MP -c $< -o $@

HV_OBJ_FILES := $(addprefix $(BUILD)/hv/,$(HV_OBJS))

$(BUILD)/lparvisor.elf: $(HV_OBJ_FILES) $(LIBFDT_OBJS) $(ZSTD_OBJS) \
		linker/lparvisor.lds
	@echo "  LD      $@"
	$(Q)$(TCC) $(TARGET_CFLAGS) $(TARGET_LDFLAGS) -o $@ \
		$(HV_OBJ_FILES) $(LIBFDT_OBJS) $(ZSTD_OBJS) -lgcc
	$(Q)$(PYTHON) tools/check-image.py $@

-include $(HV_OBJ_FILES:.o=.d)

# Boot the default machine (POWER9, 4 cores of one thread, 4 GiB) with the
# partitions of CONFIG (default configs/default.dts) packed into a bundle.
QEMU := qemu-system-ppc64
RUN_MACHINE ?= powernv9
RUN_CORES ?= 4
RUN_MEM ?= 4G
RUN_APPEND ?=
RUN_BUNDLE := $(BUILD)/bundle/run.itb
run: $(BUILD)/lparvisor.elf
	$(Q)$(MAKE) --no-print-directory \
		$$($(PYTHON) tools/mkbundle.py --list-files $(CONFIG))
	$(Q)$(PYTHON) tools/mkbundle.py $(CONFIG) $(RUN_BUNDLE)
	$(PYTHON) tools/qemu_powernv.py --machine $(RUN_MACHINE) \
		--cores $(RUN_CORES) --mem $(RUN_MEM) \
		--kernel $(BUILD)/lparvisor.elf --initrd $(RUN_BUNDLE) \
		--append "$(RUN_APPEND)"

CHECK_SUITES :=
include tests/unit/Makefile.check
include tests/static/Makefile.check
include tests/pnor/Makefile.check
include tests/boot/Makefile.check
include tests/guest/Makefile.check
include tests/linux/Makefile.check
include tests/fuzz/Makefile.check
include tools/Makefile.inc
include tests/bench/Makefile.inc
include tests/bench/kvm/Makefile.inc

# Every suite prints "N passed, N failed"; tests/run-suites.py adds them up.
check: $(BUILD)/lparvisor.elf $(CHECK_PREREQS)
	$(Q)$(PYTHON) tests/run-suites.py $(CHECK_SUITES)

format:
	$(Q)clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD)/hv $(BUILD)/include $(BUILD)/libfdt/*.o $(BUILD)/tests \
		$(BUILD)/lparvisor.elf $(BUILD)/boot-logs

# Also drops the download cache and the fetched libfdt sources.
distclean:
	rm -rf $(BUILD)
