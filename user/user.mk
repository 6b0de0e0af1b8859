# user.mk — builds Prism's user programs; included by the top-level Makefile.
#
# Every user/programs/NAME.c becomes the static executable $(BUILD)/user/bin/NAME
# (packed into the initrd as bin/NAME); a program of several files is a folder,
# user/programs/NAME/*.c, linked into one NAME the same way. Objects mirror
# their source paths under $(BUILD)/user/, so lib/format.c becomes
# $(BUILD)/user/lib/format.o, compiled apart from the kernel's copy (which
# uses -mcmodel=kernel). The shared lib/*.c
# and the user C library user/lib/*.c go into one archive, from which the
# linker takes only the objects a program uses; crt0 is linked into every one.
# Uses BUILD, CC, NASM, LD from the including Makefile. Targets: USER_BINARIES
# and the phony user-programs (all of them).
# OSTEP ch. 5 (programs the shell runs) — build rules, no chapter of their own.

# User code may use the FPU and SSE (double, gcc's vectorised loops): the
# kernel saves both per process (kernel/arch/x86_64/cpu_state.c).
USER_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -ffreestanding -fno-builtin -nostdlib \
    -static -fno-pic -fno-pie -fno-stack-protector \
    -fno-omit-frame-pointer -I. -MMD -MP
USER_LDFLAGS := -static -nostdlib -z noexecstack -z max-page-size=0x1000
# A program links with user/user.ld unless it brings user/programs/NAME.ld.
USER_LINKER_SCRIPTS := $(wildcard user/programs/*.ld)
user_linker_script = $(or $(filter user/programs/$(1).ld,$(USER_LINKER_SCRIPTS)),user/user.ld)

USER_FILE_PROGRAMS := $(patsubst user/programs/%.c,%,$(wildcard user/programs/*.c))
USER_FOLDER_PROGRAMS := $(sort $(patsubst user/programs/%/,%,$(dir $(wildcard user/programs/*/*.c))))
USER_PROGRAMS := $(sort $(USER_FILE_PROGRAMS) $(USER_FOLDER_PROGRAMS))
USER_BINARIES := $(patsubst %,$(BUILD)/user/bin/%,$(USER_PROGRAMS))
# The objects program NAME links: NAME.o, or one per file of its folder.
user_program_objects = $(if $(filter $(1),$(USER_FOLDER_PROGRAMS)), \
    $(patsubst %.c,$(BUILD)/user/%.o,$(sort $(wildcard user/programs/$(1)/*.c))), \
    $(BUILD)/user/user/programs/$(1).o)

USER_LIBRARY_SOURCES := $(sort $(wildcard lib/*.c) $(wildcard user/lib/*.c))
USER_LIBRARY_OBJECTS := $(patsubst %.c,$(BUILD)/user/%.o,$(USER_LIBRARY_SOURCES))
USER_PROGRAM_OBJECTS := $(foreach program,$(USER_PROGRAMS),$(call user_program_objects,$(program)))
USER_LIBRARY := $(BUILD)/user/libprism.a
USER_CRT0 := $(BUILD)/user/user/lib/crt0.asm.o

# Keep the includer's default goal: a fragment's first rule must not become `make`.
USER_SAVED_DEFAULT_GOAL := $(.DEFAULT_GOAL)

# Static pattern rules: they win over the kernel's $(BUILD)/%.o pattern.
$(USER_LIBRARY_OBJECTS) $(USER_PROGRAM_OBJECTS): $(BUILD)/user/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $< (user)"
	@$(CC) $(USER_CFLAGS) -c $< -o $@

$(USER_CRT0): $(BUILD)/user/%.asm.o: %.asm
	@mkdir -p $(dir $@)
	@echo "  NASM    $< (user)"
	@$(NASM) -f elf64 -g -F dwarf -MD $@.d -MP $< -o $@

$(USER_LIBRARY): $(USER_LIBRARY_OBJECTS)
	@echo "  AR      $@"
	@rm -f $@
	@ar rcs $@ $^

# One link rule per program, so each names its own objects.
define USER_PROGRAM_RULE
$(BUILD)/user/bin/$(1): $(call user_program_objects,$(1)) $(USER_CRT0) $(USER_LIBRARY) \
                        user/user.ld $(USER_LINKER_SCRIPTS)
	@mkdir -p $$(dir $$@)
	@echo "  LD      $$@"
	@$$(LD) $$(USER_LDFLAGS) -T $$(call user_linker_script,$(1)) -o $$@ $$(USER_CRT0) \
	  $(call user_program_objects,$(1)) $$(USER_LIBRARY)
endef
$(foreach program,$(USER_PROGRAMS),$(eval $(call USER_PROGRAM_RULE,$(program))))

user-programs: $(USER_BINARIES)

.PHONY: user-programs

.DEFAULT_GOAL := $(USER_SAVED_DEFAULT_GOAL)

-include $(USER_LIBRARY_OBJECTS:.o=.d) $(USER_PROGRAM_OBJECTS:.o=.d) $(USER_CRT0).d
