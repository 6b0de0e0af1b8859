/*
 * boot_memory.h — from GRUB's memory map to a working frame allocator.
 * OSTEP ch. 17 (Free-Space Management), ch. 18 (Paging: physical frames).
 */
#ifndef PRISM_KERNEL_BOOT_BOOT_MEMORY_H
#define PRISM_KERNEL_BOOT_BOOT_MEMORY_H

#include <stdint.h>

struct boot_info;

/* Prints the memory map summary for the boot banner. */
void boot_memory_report(const struct boot_info *info);

/* Starts the frame allocator on every usable frame that is not the kernel,
 * the boot information, a module or the first MiB; returns the end of
 * physical memory that the direct map must cover. Halts with a clear
 * message when there is no usable memory. */
uint64_t boot_memory_init(const struct boot_info *info, uint64_t boot_info_physical);

#endif
