# guest.mk — builds the guest OS images that `vm` runs; included by the
# top-level Makefile. Each image is a flat binary (objcopy -O binary of an
# ELF linked by user/guest/guest.ld at guest-physical 1 MiB), packed into
# the initrd as guest/NAME.img: tiny (tiny.c, the time-sharing demo) and
# fpu (fpu.c, the FPU isolation check), both booted by tiny_entry.asm.
# Freestanding like the kernel: no red zone (interrupts arrive on the
# running stack), no compiler-made SSE or x87 code (the guests save no FPU
# state on a task switch; fpu.c touches those registers only in asm).
# Uses BUILD, CC, NASM, LD from the includer.
# OSTEP appendix B (Virtual Machine Monitors) — build rules, no chapter.

GUEST_CFLAGS := -std=gnu11 -O2 -Wall -Wextra -Werror -ffreestanding -fno-builtin -nostdlib \
    -fno-pic -fno-pie -fno-stack-protector -mno-red-zone -mno-mmx -mno-sse -mno-sse2 \
    -mno-80387 -fno-asynchronous-unwind-tables -mcmodel=small -I. -MMD -MP
GUEST_NAMES := tiny fpu
GUEST_IMAGES := $(patsubst %,$(BUILD)/guest/%.img,$(GUEST_NAMES))
GUEST_C_OBJECTS := $(patsubst %,$(BUILD)/guest/%.o,$(GUEST_NAMES))

$(GUEST_C_OBJECTS): $(BUILD)/guest/%.o: user/guest/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $< (guest)"
	@$(CC) $(GUEST_CFLAGS) -c $< -o $@

$(BUILD)/guest/tiny_entry.o: user/guest/tiny_entry.asm
	@mkdir -p $(dir $@)
	@echo "  NASM    $< (guest)"
	@$(NASM) -f elf64 $< -o $@

$(patsubst %,$(BUILD)/guest/%.elf,$(GUEST_NAMES)): $(BUILD)/guest/%.elf: $(BUILD)/guest/tiny_entry.o \
                                                 $(BUILD)/guest/%.o user/guest/guest.ld
	@echo "  LD      $@"
	@$(LD) -nostdlib -static --no-warn-rwx-segments -z noexecstack -z max-page-size=0x1000 -T user/guest/guest.ld \
	  -o $@ $(BUILD)/guest/tiny_entry.o $(BUILD)/guest/$*.o

$(GUEST_IMAGES): $(BUILD)/guest/%.img: $(BUILD)/guest/%.elf
	@echo "  GUEST   $@"
	@objcopy -O binary --only-section=.header --only-section=.text --only-section=.rodata \
	  --only-section=.data --only-section=.page_tables $< $@

-include $(patsubst %,$(BUILD)/guest/%.d,$(GUEST_NAMES))
