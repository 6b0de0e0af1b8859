#!/bin/sh
# make_grub_cfg.sh — writes the GRUB configuration that boots Prism.
#
# Usage: make_grub_cfg.sh TIMEOUT "KERNEL ARGUMENTS" [menu]
# GRUB loads the kernel with multiboot2 (which passes the arguments after the
# kernel's path as Prism's command line) and the initrd as a module when one
# was built. TIMEOUT 0 boots at once. With "menu" (make run MENU=1) there is
# one entry per scheduling policy, so an instructor can pick one at boot.
# Build infrastructure; no OSTEP chapter (GRUB loads the kernel: ch. 6 starts after it).
timeout="$1"
kargs="$2"
menu="$3"
# The policies, in the order of the kernel's registry: the one list to change.
POLICIES=$(grep -o '&sched_policy_[a-z0-9_]*' "$(dirname "$0")/../kernel/sched/policies.c" |
    sed 's/^&sched_policy_//')

entry() {
    cat <<CFG
menuentry "$1" {
    multiboot2 /boot/prism.elf $2
    if [ -f /boot/initrd.tar ]; then
        module2 /boot/initrd.tar initrd
    fi
    boot
}
CFG
}

cat <<CFG
set timeout=$timeout
set default=0
CFG
if [ "$menu" = "menu" ]; then
    # show the menu on the serial terminal too: make run has no VGA window
    cat <<CFG
serial --unit=0 --speed=115200
terminal_input serial console
terminal_output serial console
CFG
fi
if [ "$menu" = "menu" ]; then
    for policy in $POLICIES; do
        entry "Prism, scheduling policy $policy" "sched=$policy $kargs"
    done
else
    entry "Prism" "$kargs"
fi
