# Fixtures of the hv/config.c, hv/bundle.c and tools/ tests, and the
# check-config-examples suite (included by tests/unit/Makefile.check).
#
#   fixtures/hv/*.bin,.elf,.img,odd.itb   tests/unit/hv/mkfixtures.py
#   fixtures/hv/bundle-LAYOUT.itb         tools/mkbundle.py --layout LAYOUT
#                                         over tests/unit/hv/bundle-test.dts
#   fixtures/hv/configs/*.dtb             configs/*.dts
#   fixtures/hv/examples/*.dtb            configs/examples/*.dts

HV_FIX := $(UNIT_FIXTURES)/hv
HV_FIX_STAMP := $(HV_FIX)/.images
HV_FIX_BUNDLES := $(addprefix $(HV_FIX)/bundle-,\
	$(addsuffix .itb,external inline position))
HV_FIX_CONFIGS := \
	$(patsubst configs/%.dts,$(HV_FIX)/configs/%.dtb,$(wildcard configs/*.dts)) \
	$(patsubst configs/examples/%.dts,$(HV_FIX)/examples/%.dtb,\
		$(wildcard configs/examples/*.dts))

$(HV_FIX_STAMP): tests/unit/hv/mkfixtures.py | $(DEPS_STAMP)
	@echo "  GEN     $(HV_FIX)"
	$(Q)$(PYTHON) tests/unit/hv/mkfixtures.py $(HV_FIX)
	$(Q)touch $@

$(HV_FIX)/bundle-%.itb: tests/unit/hv/bundle-test.dts tools/mkbundle.py \
		$(HV_FIX_STAMP)
	@echo "  BUNDLE  $@"
	$(Q)$(PYTHON) tools/mkbundle.py --layout $* $< $@

$(HV_FIX)/configs/%.dtb: configs/%.dts
	@echo "  DTC     $<"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(DTC) -q -I dts -O dtb -o $@ $<

$(HV_FIX)/examples/%.dtb: configs/examples/%.dts
	@echo "  DTC     $<"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(DTC) -q -I dts -O dtb -o $@ $<

check-unit: $(HV_FIX_STAMP) $(HV_FIX_BUNDLES) $(HV_FIX_CONFIGS)

# Every configs/**.dts through build/tools/lparvisor-config (built by
# tools/Makefile.inc): bad-*.dts fail with their "// expect:" messages.
CHECK_SUITES += check-config-examples
.PHONY: check-config-examples
check-config-examples: $(BUILD)/tools/lparvisor-config
	$(Q)sh $(UNIT_DIR)/check-config-examples.sh $(BUILD)/tools/lparvisor-config \
		$(UNIT_OUT)/config-examples
