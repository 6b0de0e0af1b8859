#!/bin/sh
# make_grub_cfg.sh — writes the GRUB configuration that boots Prism.
#
# Usage: make_grub_cfg.sh TIMEOUT "KERNEL ARGUMENTS"
# GRUB loads the kernel with multiboot2 (which passes the arguments after the
# kernel's path as Prism's command line) and the initrd as a module when one
# was built. TIMEOUT 0 boots at once; MENU=1 in the Makefile asks for a menu.
timeout="$1"
kargs="$2"
cat <<CFG
set timeout=$timeout
set default=0
serial --unit=0 --speed=115200
terminal_output console

menuentry "Prism" {
    multiboot2 /boot/prism.elf $kargs
    if [ -f /boot/initrd.tar ]; then
        module2 /boot/initrd.tar initrd
    fi
    boot
}
CFG
