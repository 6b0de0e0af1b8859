# user.mk — builds Prism's user programs; included by the top-level Makefile.
#
# Every user/programs/NAME.c becomes the static executable $(BUILD)/user/bin/NAME
# (packed into the initrd as bin/NAME). Objects mirror their source paths under
# $(BUILD)/user/, so lib/format.c becomes $(BUILD)/user/lib/format.o, compiled
# apart from the kernel's copy (which uses -mcmodel=kernel). The shared lib/*.c
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

USER_PROGRAMS := $(sort $(patsubst user/programs/%.c,%,$(wildcard user/programs/*.c)))
USER_BINARIES := $(patsubst %,$(BUILD)/user/bin/%,$(USER_PROGRAMS))

USER_LIBRARY_SOURCES := $(sort $(wildcard lib/*.c) $(wildcard user/lib/*.c))
USER_LIBRARY_OBJECTS := $(patsubst %.c,$(BUILD)/user/%.o,$(USER_LIBRARY_SOURCES))
USER_PROGRAM_OBJECTS := $(patsubst %,$(BUILD)/user/user/programs/%.o,$(USER_PROGRAMS))
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

$(USER_BINARIES): $(BUILD)/user/bin/%: $(BUILD)/user/user/programs/%.o $(USER_CRT0) \
                  $(USER_LIBRARY) user/user.ld $(USER_LINKER_SCRIPTS)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(LD) $(USER_LDFLAGS) -T $(call user_linker_script,$*) -o $@ $(USER_CRT0) $< $(USER_LIBRARY)

user-programs: $(USER_BINARIES)

.PHONY: user-programs

.DEFAULT_GOAL := $(USER_SAVED_DEFAULT_GOAL)

-include $(USER_LIBRARY_OBJECTS:.o=.d) $(USER_PROGRAM_OBJECTS:.o=.d) $(USER_CRT0).d
