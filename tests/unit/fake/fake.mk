# Unit tests of the guest-facing handlers: hv/hcall.c, rtas/rtas.c,
# vio/vty.c and intc/intc.c, which include hypervisor-only headers with
# inline asm (hv/cpu.h, hv/lock.h).  They are compiled with
# -Itests/unit/fake ahead of -I., so that "hv/cpu.h" and "hv/lock.h" find
# the host fakes first (a quote include looks in the includer's own
# directory, then in the -I directories in order), and linked with the fake
# rest of lparvisor in tests/unit/fake/*.c into two binaries of their own,
# plain and under ASan/UBSan.  Included by tests/unit/Makefile.check, which
# lists the tests (UNIT_FAKE_TESTS) and runs the binaries in check-unit.

UNIT_FAKE_DIR := $(UNIT_DIR)/fake
UNIT_FAKE_OUT := $(UNIT_OUT)/handlers

# Production code under test, and the pure modules it calls.
UNIT_FAKE_MODULES := hv/hcall.c hv/watchdog.c rtas/rtas.c rtas/events.c intc/intc.c \
	hv/profile.c hv/unit.c hv/vcpu.c $(sort $(wildcard vio/*.c))
UNIT_FAKE_PURE := intc/xics.c intc/xive.c intc/xics_fwd.c hv/lib/format.c hv/machine.c \
	hv/hv.c hv/emulate.c hv/mce.c mm/tce.c mm/radix.c hv/lib/fdtcheck.c
UNIT_FAKE_SRCS := $(UNIT_FAKE_MODULES) $(UNIT_FAKE_PURE) \
	$(wildcard $(UNIT_FAKE_DIR)/*.c) $(UNIT_DIR)/test.c $(UNIT_FAKE_TESTS)

# $(BUILD)/include: vio/vof.c's firmware image (slof/Makefile.inc).
UNIT_FAKE_PLAIN_CFLAGS := -I$(UNIT_FAKE_DIR) $(UNIT_PLAIN_CFLAGS) \
	-I$(BUILD)/include
UNIT_FAKE_ASAN_CFLAGS := -I$(UNIT_FAKE_DIR) $(UNIT_ASAN_CFLAGS) \
	-I$(BUILD)/include

UNIT_FAKE_PLAIN_OBJS := $(addprefix $(UNIT_FAKE_OUT)/plain/,\
	$(UNIT_FAKE_SRCS:.c=.o))
UNIT_FAKE_ASAN_OBJS := $(addprefix $(UNIT_FAKE_OUT)/asan/,\
	$(UNIT_FAKE_SRCS:.c=.o))
UNIT_FAKE_PLAIN_BIN := $(UNIT_OUT)/unit-tests-handlers
UNIT_FAKE_ASAN_BIN := $(UNIT_OUT)/unit-tests-handlers-asan
UNIT_FAKE_BINS := $(UNIT_FAKE_PLAIN_BIN) $(UNIT_FAKE_ASAN_BIN)

# After each compile, the dependency list proves the fakes won: the real
# hv/cpu.h or hv/lock.h must not appear in it.
define UNIT_FAKE_CHECK_DEPS
	$(Q)if grep -qE '(^|[ ])(\./)?hv/(cpu|lock)\.h' $(@:.o=.d); then \
		echo "$<: compiled with the real hv/cpu.h or hv/lock.h," \
			"not tests/unit/fake/"; \
		rm -f $@; exit 1; \
	fi
endef

$(UNIT_FAKE_OUT)/plain/%.o: %.c
	@echo "  HOSTCC  $< (fake hv)"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(UNIT_FAKE_PLAIN_CFLAGS) -MMD -MP -c $< -o $@
	$(UNIT_FAKE_CHECK_DEPS)

$(UNIT_FAKE_OUT)/asan/%.o: %.c
	@echo "  HOSTCC  $< (fake hv, asan)"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(UNIT_FAKE_ASAN_CFLAGS) -MMD -MP -c $< -o $@
	$(UNIT_FAKE_CHECK_DEPS)

$(UNIT_FAKE_OUT)/plain/vio/vof.o $(UNIT_FAKE_OUT)/asan/vio/vof.o: \
	$(BUILD)/include/vof_blob.h

$(UNIT_FAKE_PLAIN_BIN): $(UNIT_FAKE_PLAIN_OBJS)
	@echo "  HOSTLD  $@"
	$(Q)$(HOSTCC) $(UNIT_FAKE_PLAIN_CFLAGS) -o $@ $^ $(UNIT_LDLIBS)

$(UNIT_FAKE_ASAN_BIN): $(UNIT_FAKE_ASAN_OBJS)
	@echo "  HOSTLD  $@"
	$(Q)$(HOSTCC) $(UNIT_FAKE_ASAN_CFLAGS) -o $@ $^ $(UNIT_LDLIBS)

check-unit: $(UNIT_FAKE_BINS)

-include $(UNIT_FAKE_PLAIN_OBJS:.o=.d) $(UNIT_FAKE_ASAN_OBJS:.o=.d)
