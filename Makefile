# Makefile — builds Prism's kernel, host tools and tests, and boots it in QEMU.
#
#   make            kernel ELF, bootable ISO (build/prism.iso) and every host tool
#                   the README names (build/tools/trace_report, bench_pick)
#   make run        install missing packages, build, boot in QEMU on this terminal
#   make check      install missing packages, run host unit tests and QEMU tests
#   make gdb        boot halted under QEMU's GDB stub and attach gdb; QEMU ends with gdb
#   make console    (second terminal) the guest's serial console during make gdb
#   make bench      run the in-guest benchmark (cycles per operation)
#                   [BENCH_CPU=qemu64]  under another QEMU CPU model (default qemu64,+svm,+npt)
#   make bench-boot time from QEMU start to the banner and to the shell prompt
#   make bench-memhog  memhog's run time against userframes= (MIB=4 PATTERN=loop
#                   PASSES=3 REPLACE=clock FRAMES=2048,1280,...)
#   make fuzz [SEED=1] [CALLS=1000000] [WORKERS=8]   a long seeded system-call fuzzing run
#   make compare-sched WORKLOAD=mlfq   one workload under every policy
#                      [POLICIES=fifo,sjf] [KARGS=...]  a subset, extra kernel arguments
#   make lab LAB=mlfq DEST=../prism-mlfq   a lab's starter tree (labs/README.md)
#   make grade [LAB=mlfq] [GRADE_EXTRA=DIR]   grade a lab; make check-labs proves them all
#   make compare-replace WORKLOAD=80-20  one memory workload under every
#                   page-replacement policy (FRAMES=128 MIB=1 PASSES=4 POLICIES=)
#   make compare-virt   the same work as a process, in a group and in a VM: table + picture
#   make help       this text
#   make format / format-check, compile_commands.json, clean
# Variables: SCHED=mlfq (policy), TRACE=1 (build/trace.log), KARGS="hz=1000 ..."
# (kernel command line), KVM=1 (hardware virtualization), GUI=1 (VGA window),
# MEM=128M, MENU=1 (GRUB menu with one entry per policy), DEBUG=1 (kernel at
# -Og, for gdb), GDB_PORT=1234, GDB_ARGS="..." (gdb's commands; default: stop at kmain),
# SWAP=64M (size of build/swap.img, the IDE disk swapped to; SWAP=0: none),
# REPLACE=clock (page-replacement policy).
#
# Build infrastructure; OSTEP has no chapter on it.

BUILD       := build
CC          := gcc
NASM        := nasm
LD          := ld
PYTHON      := python3

KARGS       ?=
SCHED       ?=
TRACE       ?= 0
MEM         ?= 128M
SWAP        ?= 64M
REPLACE     ?=
MENU        ?= 0
WORKLOAD    ?= lottery
POLICIES    ?=

# What the kernel command line gets from the make variables.
BOOT_ARGS := $(strip $(if $(SCHED),sched=$(SCHED)) $(if $(REPLACE),replace=$(REPLACE)) $(if $(filter 1,$(TRACE)),trace=1) $(KARGS))

# ---------------------------------------------------------------- kernel ---
# DEBUG=1 keeps variables and arguments visible in gdb; -O0 would be plainer
# still, but -Og keeps the code the kernel's tests and backtraces assume.
KERNEL_OPTIMIZE := $(if $(filter 1,$(DEBUG)),-Og,-O2)
KERNEL_CFLAGS := -std=gnu11 $(KERNEL_OPTIMIZE) -g -Wall -Wextra -Werror \
    -ffreestanding -fno-builtin -nostdlib -fno-pic -fno-pie -mcmodel=kernel \
    -mno-red-zone -mno-mmx -mno-sse -mno-sse2 -mno-80387 -fno-stack-protector \
    -fno-omit-frame-pointer -mno-omit-leaf-frame-pointer -fno-optimize-sibling-calls \
    -fno-asynchronous-unwind-tables \
    -I. -I$(BUILD)/generated -MMD -MP
KERNEL_LDFLAGS := -nostdlib -static -z max-page-size=0x1000 -z noexecstack -T kernel/arch/x86_64/kernel.ld

KERNEL_C_SOURCES   := $(shell find kernel -name '*.c' | sort) $(wildcard lib/*.c)
KERNEL_ASM_SOURCES := $(shell find kernel -name '*.asm' | sort)
KERNEL_OBJECTS := $(patsubst %.c,$(BUILD)/%.o,$(KERNEL_C_SOURCES)) \
                  $(patsubst %.asm,$(BUILD)/%.asm.o,$(KERNEL_ASM_SOURCES))

all: $(BUILD)/prism.iso all-tools swap-image

# help prints the comment at the top of this file: one list of targets and variables.
help:
	@sed -n '1,/^[^#]/{/^#/!d;/^# Build infrastructure/d;s/^# \{0,1\}//;p}' $(firstword $(MAKEFILE_LIST))

$(BUILD)/%.o: %.c $(BUILD)/generated/kernel_cflags | $(BUILD)/generated/build_id.h
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(KERNEL_CFLAGS) -c $< -o $@

$(BUILD)/%.asm.o: %.asm
	@mkdir -p $(dir $@)
	@echo "  NASM    $<"
	@$(NASM) -f elf64 -g -F dwarf -I./ -MD $@.d -MP $< -o $@

# The build id changes only when the git revision (or dirtiness) does.
$(BUILD)/generated/build_id.h: FORCE
	@mkdir -p $(dir $@)
	@id="$$(git describe --always --dirty 2>/dev/null || echo unknown)"; \
	 echo "#define PRISM_BUILD \"$$id\"" > $@.tmp; \
	 cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@

# Changes when the kernel's flags do (DEBUG=1 and back), so every object is rebuilt.
$(BUILD)/generated/kernel_cflags: FORCE
	@mkdir -p $(dir $@)
	@echo '$(KERNEL_CFLAGS)' > $@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@

# Backtraces need function names inside the image. Link once with an empty
# symbol table, list that image's symbols, link again with them. The table is
# data, placed after all code, so code addresses are the same in both links;
# the cmp below proves it.
$(BUILD)/tools/mksymtab: tools/mksymtab.c
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	@$(CC) -std=gnu11 -O2 -Wall -Wextra -Werror $< -o $@

$(BUILD)/generated/symtab_empty.c: $(BUILD)/tools/mksymtab
	@mkdir -p $(dir $@)
	@$(BUILD)/tools/mksymtab < /dev/null > $@

$(BUILD)/generated/symtab.c: $(BUILD)/kernel.pass1.elf $(BUILD)/tools/mksymtab
	@echo "  SYMTAB  $@"
	@nm -n --defined-only $< | $(BUILD)/tools/mksymtab > $@

$(BUILD)/generated/%.o: $(BUILD)/generated/%.c
	@$(CC) $(KERNEL_CFLAGS) -c $< -o $@

$(BUILD)/kernel.pass1.elf: $(KERNEL_OBJECTS) $(BUILD)/generated/symtab_empty.o kernel/arch/x86_64/kernel.ld
	@echo "  LD      $@"
	@$(LD) $(KERNEL_LDFLAGS) -o $@ $(KERNEL_OBJECTS) $(BUILD)/generated/symtab_empty.o

$(BUILD)/kernel.elf: $(KERNEL_OBJECTS) $(BUILD)/generated/symtab.o kernel/arch/x86_64/kernel.ld
	@echo "  LD      $@"
	@$(LD) $(KERNEL_LDFLAGS) -o $@ $(KERNEL_OBJECTS) $(BUILD)/generated/symtab.o
	@nm -n $(BUILD)/kernel.pass1.elf | grep -i ' t ' > $(BUILD)/kernel.pass1.text
	@nm -n $@ | grep -i ' t ' > $(BUILD)/kernel.text
	@cmp -s $(BUILD)/kernel.pass1.text $(BUILD)/kernel.text || \
	  { echo "error: code moved between the two links; symbol table would be wrong"; rm -f $@; exit 1; }

# ------------------------------------------------------------ user space ---
include user/user.mk
include user/guest/guest.mk
-include tools/trace.mk

# Every host tool the README tells you to run (after trace.mk: it names TRACE_REPORT).
all-tools: $(BUILD)/tools/mksymtab $(TRACE_REPORT) $(BUILD)/tools/bench_pick

# The initrd: a ustar archive of every user program (bin/NAME) and the text
# files in user/etc/, loaded by GRUB as a multiboot2 module.
INITRD := $(BUILD)/isodir/boot/initrd.tar
INITRD_TEXT_FILES := $(wildcard user/etc/*)

$(INITRD): $(USER_BINARIES) $(INITRD_TEXT_FILES) $(GUEST_IMAGES)
	@echo "  INITRD  $@"
	@rm -rf $(BUILD)/initrd && mkdir -p $(BUILD)/initrd/bin $(BUILD)/initrd/etc $(BUILD)/initrd/guest $(dir $@)
	@cp $(GUEST_IMAGES) $(BUILD)/initrd/guest/
	@for program in $(USER_BINARIES); do \
	  strip --strip-debug -o $(BUILD)/initrd/bin/$$(basename $$program) $$program; done
	@cp $(INITRD_TEXT_FILES) $(BUILD)/initrd/etc/
	@tar --format=ustar --owner=0 --group=0 --numeric-owner --sort=name \
	  -C $(BUILD)/initrd -cf $@ bin etc guest

# ------------------------------------------------------------------- ISO ---
GRUB_TIMEOUT := $(if $(filter 1,$(MENU)),10,0)

$(BUILD)/grub.cfg: FORCE
	@mkdir -p $(dir $@)
	@tools/make_grub_cfg.sh $(GRUB_TIMEOUT) "$(BOOT_ARGS)" $(if $(filter 1,$(MENU)),menu) > $@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@

$(BUILD)/prism.iso: $(BUILD)/kernel.elf $(BUILD)/grub.cfg $(INITRD)
	@mkdir -p $(BUILD)/isodir/boot/grub
	@cp $(BUILD)/kernel.elf $(BUILD)/isodir/boot/prism.elf
	@cp $(BUILD)/grub.cfg $(BUILD)/isodir/boot/grub/grub.cfg
	@echo "  ISO     $@"
	@grub-mkrescue -o $@ $(BUILD)/isodir 2> $(BUILD)/grub-mkrescue.log || \
	  { cat $(BUILD)/grub-mkrescue.log; exit 1; }

# ------------------------------------------------------------------ QEMU ---
# Under TCG the CPU model is QEMU's default plus SVM with nested paging, so
# `vm` can run guests (kernel/virt/); everything else sees the same CPU.
TCG_CPU := qemu64,+svm,+npt
QEMU_ACCEL := $(if $(filter 1,$(KVM)),-accel kvm -cpu host,-accel tcg -cpu $(TCG_CPU))
QEMU_DISPLAY := $(if $(filter 1,$(GUI)),,-display none)
QEMU_TRACE := $(if $(filter 1,$(TRACE)),-debugcon file:$(BUILD)/trace.log)
SWAP_IMAGE := $(BUILD)/swap.img
QEMU_SWAP := $(if $(filter 0,$(SWAP)),,-drive file=$(SWAP_IMAGE),format=raw,if=ide,index=0)
QEMU_FLAGS := $(QEMU_ACCEL) -m $(MEM) -no-reboot -serial mon:stdio $(QEMU_DISPLAY) \
    -device isa-debug-exit,iobase=0xf4,iosize=0x04 $(QEMU_TRACE) $(QEMU_SWAP)

# The swap disk: a sparse file of SWAP bytes (its contents never matter: a
# slot is always written before it is read). Remade when SWAP changes; a
# SWAP that is not a size is refused and the old image left alone.
swap-image:
	@$(if $(filter 0,$(SWAP)),true,mkdir -p $(BUILD); \
	  want=$$(numfmt --from=iec $(SWAP) 2>/dev/null) || \
	  { echo "make: SWAP=$(SWAP) is not a size (such as 64M or 512K; SWAP=0: no disk)" >&2; exit 1; }; \
	  [ "$$(stat -c %s $(SWAP_IMAGE) 2>/dev/null)" = "$$want" ] || \
	  { echo "  SWAP    $(SWAP_IMAGE) ($(SWAP))"; rm -f $(SWAP_IMAGE); truncate -s $$want $(SWAP_IMAGE); })

setup:
	@tools/setup.sh

# TRACE=1 also builds the tool the README's next command runs on build/trace.log.
run: setup
	@$(if $(filter 1,$(GUI)),tools/setup.sh qemu-system-gui)
	@$(MAKE) --no-print-directory $(BUILD)/prism.iso swap-image $(if $(filter 1,$(TRACE)),$(TRACE_REPORT))
	@echo "Booting Prism in QEMU (TCG). Quit with Ctrl-A then x."
	@qemu-system-x86_64 $(QEMU_FLAGS) -cdrom $(BUILD)/prism.iso; \
	  status=$$?; [ $$status -eq 0 ] || [ $$status -eq 33 ] || echo "QEMU exited with status $$status"

# A hardware breakpoint: kmain runs after the switch from 32- to 64-bit mode.
GDB_PORT ?= 1234
GDB_ARGS ?= -ex 'hbreak kmain' -ex continue

gdb: setup
	@$(MAKE) --no-print-directory $(BUILD)/prism.iso swap-image
	@tools/gdb_session.sh $(BUILD) $(GDB_PORT) $(BUILD)/kernel.elf $(BUILD)/prism.iso \
	  $(QEMU_ACCEL) -m $(MEM) -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	  $(QEMU_TRACE) $(QEMU_SWAP) -- $(GDB_ARGS)

console:
	@$(PYTHON) tools/console.py $(BUILD)/gdb-serial.sock

# ----------------------------------------------------------------- tests ---
HOST_CFLAGS := -std=gnu11 -g -O1 -Wall -Wextra -Werror -DPRISM_HOST -I. \
    -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
CHECK_LIBS = $(shell pkg-config --cflags --libs check 2>/dev/null || echo -lcheck -lsubunit -lm -lrt -pthread)

# Each tests/unit/test_NAME.c is one Check program, linked with lib/ and the
# sources under test listed here.
UNIT_SOURCES_format     :=
UNIT_SOURCES_string     :=
UNIT_SOURCES_pmm        := kernel/mm/pmm.c
UNIT_SOURCES_heap       := kernel/mm/heap.c
UNIT_SOURCES_page_table := kernel/mm/page_table.c kernel/mm/pmm.c
UNIT_SOURCES_multiboot2 := kernel/boot/multiboot2.c
UNIT_SOURCES_cmdline    := kernel/boot/cmdline.c
UNIT_SOURCES_symbols    := kernel/symbols.c
UNIT_SOURCES_elf        := kernel/exec/elf.c
UNIT_SOURCES_file_pipe_tty := kernel/fs/file.c kernel/fs/pipe.c kernel/fs/initrd.c kernel/fs/ustar.c \
    kernel/tty.c kernel/syscall/sys_file.c kernel/sched/wait_queue.c
UNIT_SOURCES_user_copy  := kernel/mm/user_copy.c kernel/mm/address_space.c kernel/mm/vm_fault.c tests/unit/swap_off.c \
    kernel/group/group_memory.c \
    kernel/mm/page_table.c kernel/mm/pmm.c
UNIT_SOURCES_ustar      := kernel/fs/ustar.c
UNIT_SOURCES_wait_queue := kernel/sched/wait_queue.c
UNIT_SOURCES_pid_table  := kernel/proc/pid_table.c
UNIT_SOURCES_lottery_draw := kernel/sched/lottery.c
UNIT_SOURCES_ready_heap := kernel/sched/ready_heap.c
UNIT_SOURCES_shell_parse :=
UNIT_SOURCES_line_edit  :=
UNIT_SOURCES_args       := user/lib/args.c
UNIT_SOURCES_tty_modes  := $(UNIT_SOURCES_file_pipe_tty)
UNIT_SOURCES_workload_parse :=
UNIT_SOURCES_sched_policies := $(filter-out kernel/sched/scheduler.c kernel/sched/wait_queue.c kernel/sched/arrival.c,$(wildcard kernel/sched/*.c)) \
    tests/unit/sched_sim.c
UNIT_SOURCES_sched_fidelity := $(UNIT_SOURCES_sched_policies)
UNIT_SOURCES_replace    := $(wildcard kernel/mm/replace/*.c)
UNIT_SOURCES_swap       := kernel/mm/swap_slots.c
UNIT_SOURCES_vm_exit    := kernel/virt/vm_exit.c
UNIT_SOURCES_nested_paging := kernel/virt/nested_paging.c kernel/mm/page_table.c kernel/mm/pmm.c
UNIT_SOURCES_group_share := kernel/group/group_share.c
UNIT_SOURCES_group      := $(wildcard kernel/group/*.c) kernel/proc/pid_table.c
UNIT_SOURCES_scheduler := $(filter-out kernel/sched/scheduler.c,$(wildcard kernel/sched/*.c)) $(wildcard kernel/group/*.c) \
    kernel/proc/pid_table.c
# test_scheduler.c includes the dispatcher's source itself (to reach its statics).
$(BUILD)/host/test_scheduler: kernel/sched/scheduler.c $(wildcard kernel/sched/*.h)
UNIT_SOURCES_trace_analysis := $(filter-out tools/trace_report.c,$(wildcard tools/trace_*.c))

UNIT_TESTS := $(patsubst tests/unit/test_%.c,%,$(wildcard tests/unit/test_*.c))
UNIT_BINARIES := $(patsubst %,$(BUILD)/host/test_%,$(UNIT_TESTS))

.SECONDEXPANSION:
$(BUILD)/host/test_%: tests/unit/test_%.c $$(UNIT_SOURCES_$$*) $(wildcard lib/*.c lib/*.h) $(wildcard tests/unit/*.h)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	@$(CC) $(HOST_CFLAGS) -o $@ $< $(UNIT_SOURCES_$*) $(wildcard lib/*.c) $(CHECK_LIBS)

unit-tests: $(UNIT_BINARIES) $(BUILD)/tools/mksymtab

check: setup
	@$(MAKE) --no-print-directory all unit-tests $(TRACE_REPORT)
	@$(PYTHON) tests/run_tests.py --unit $(UNIT_BINARIES) --mksymtab $(BUILD)/tools/mksymtab \
	  --trace-report $(TRACE_REPORT)

bench-boot: $(BUILD)/prism.iso
	@$(PYTHON) tests/system/boot_time.py

# Boots once per policy with the same workload and the trace on; writes an SVG
# timeline per policy and a comparison table into build/.
compare-sched: setup
	@$(MAKE) --no-print-directory $(BUILD)/prism.iso $(TRACE_REPORT)
	@$(PYTHON) tools/compare_sched.py --workload $(WORKLOAD) --report $(TRACE_REPORT) \
	  --policies "$(POLICIES)" --kargs "$(KARGS)"

# Boots once and runs the tiny guest's work as a process, in a group and in a
# VM: a table (start-up, CPU, memory, isolation) and build/compare-virt.svg.
compare-virt: setup
	@$(MAKE) --no-print-directory $(BUILD)/prism.iso
	@$(PYTHON) tools/compare_virt.py --kargs "$(KARGS)"

# Boots once per page-replacement policy with the same memhog workload and a
# frame limit; writes a resident-pages picture per policy and a hit-rate table.
compare-replace: setup
	@$(MAKE) --no-print-directory $(BUILD)/prism.iso
	@$(PYTHON) tools/compare_replace.py --workload "$(if $(filter lottery,$(WORKLOAD)),80-20,$(WORKLOAD))" \
	  --frames $(or $(FRAMES),128) --mib $(or $(MIB),1) --passes $(or $(PASSES),4) \
	  $(if $(POLICIES),--policies $(POLICIES)) $(if $(KARGS),--kargs "$(KARGS)")

# memhog's run time against the frames user processes may hold (userframes=).
bench-memhog: setup
	@$(MAKE) --no-print-directory $(BUILD)/prism.iso
	@$(PYTHON) tools/bench_memhog.py $(if $(MIB),--mib $(MIB)) $(if $(PATTERN),--pattern $(PATTERN)) \
	  $(if $(PASSES),--passes $(PASSES)) $(if $(REPLACE),--policy $(REPLACE)) \
	  $(if $(FRAMES),--frames $(FRAMES))

bench: setup
	@$(MAKE) --no-print-directory $(BUILD)/prism.iso $(BUILD)/tools/bench_pick
	@$(PYTHON) tests/system/run_bench.py $(if $(BENCH_CPU),--cpu "$(BENCH_CPU)")
	@$(BUILD)/tools/bench_pick

# A long run of the in-guest system-call fuzzer (user/programs/fuzz/); make
# check runs a short one (tests/system/suite_fuzz.py).
SEED    ?= 1
CALLS   ?= 1000000
WORKERS ?= 8
fuzz: setup
	@$(MAKE) --no-print-directory $(BUILD)/prism.iso
	@$(PYTHON) tests/system/run_fuzz.py --seed $(SEED) --calls $(CALLS) --workers $(WORKERS) \
	  --kargs "$(KARGS)" --swap "$(SWAP)"
.PHONY: fuzz

# The cost of one scheduling decision per policy, over the policies' own files.
BENCH_PICK_SOURCES := tools/bench_pick.c $(wildcard lib/*.c) \
    $(filter-out kernel/sched/scheduler.c kernel/sched/wait_queue.c kernel/sched/arrival.c,$(wildcard kernel/sched/*.c))
$(BUILD)/tools/bench_pick: $(BENCH_PICK_SOURCES) $(wildcard kernel/sched/*.h kernel/proc/*.h lib/*.h tests/unit/host_*.h)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	@$(CC) -std=gnu11 -O2 -Wall -Wextra -Werror -DPRISM_HOST -I. -o $@ $(BENCH_PICK_SOURCES)

# ------------------------------------------------------------------ labs ---
# Starters are generated from the reference's marked regions (tools/lab.py);
# a starter tree has no tools/lab.py, so only `make grade` works there.
LAB         ?=
DEST        ?=
GRADE_EXTRA ?=

lab:
	@$(if $(wildcard tools/lab.py),$(PYTHON) tools/lab.py starter "$(LAB)" "$(DEST)",\
	  echo "lab: starters are made from the reference tree, not from a starter"; exit 1)

grade: setup
	@PRISM_HOST_CFLAGS='$(HOST_CFLAGS)' PRISM_CHECK_LIBS='$(CHECK_LIBS)' \
	  $(PYTHON) tools/lab_grade.py $(LAB) $(if $(GRADE_EXTRA),--extra "$(GRADE_EXTRA)")

check-labs: setup
	@$(if $(wildcard tools/lab.py),$(PYTHON) tools/lab.py check-labs $(if $(LABS),--labs $(LABS)),\
	  echo "check-labs: runs in the reference tree only"; exit 1)

# For editors and clangd: every compile command of kernel, user programs and tests.
compile_commands.json: FORCE
	@tools/setup.sh bear
	bear -- $(MAKE) --no-print-directory -B all unit-tests

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

# Fails if any C file differs from what `make format` would write (CI runs it).
format-check:
	@clang-format --dry-run --Werror $$(git ls-files '*.c' '*.h') && echo "format-check: ok"

clean:
	rm -rf $(BUILD)

.PHONY: bench-memhog swap-image compare-virt compare-replace all all-tools help console run gdb check setup unit-tests bench bench-boot compare-sched format format-check clean FORCE \
    lab grade check-labs
FORCE:

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
