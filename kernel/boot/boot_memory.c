/*
 * boot_memory.c — hand the frame allocator exactly the memory nobody else owns.
 *
 * GRUB's memory map says which physical ranges are RAM; but some RAM is
 * already in use when the kernel starts: the first MiB (BIOS data, VGA, ROMs),
 * the kernel image itself (including boot.asm's page tables), GRUB's boot
 * information structure and every module (the initrd). Those are passed as
 * reserved ranges, which always win over "usable", so pmm never hands them out.
 * OSTEP ch. 17 (Free-Space Management).
 */
#include "kernel/boot/boot_memory.h"
#include "kernel/boot/multiboot2.h"
#include "kernel/console.h"
#include "kernel/mm/layout.h"
#include "kernel/mm/pmm.h"
#include "kernel/panic.h"

#define LOW_MEMORY_END 0x100000ULL /* the first MiB belongs to the firmware */
#define MAX_RESERVED (BOOT_MAX_REGIONS + BOOT_MAX_MODULES + 3)

extern char __boot_start[], __kernel_end[];

void boot_memory_report(const struct boot_info *info)
{
    kprintf("memory: %lu MiB usable in %lu regions\n", info->usable_bytes >> 20,
            (unsigned long)info->usable_count);
    for (size_t i = 0; i < info->reserved_count; i++)
        kprintf("  %016lx-%016lx %s\n", info->reserved[i].start, info->reserved[i].end,
                multiboot2_memory_type_name(info->reserved[i].type));
    if (info->module_count == 0)
        kprintf("modules: none (GRUB loaded no initrd module)\n");
    for (size_t i = 0; i < info->module_count; i++)
        kprintf("module: '%s' %lu KiB at %016lx\n",
                info->modules[i].name ? info->modules[i].name : "",
                (info->modules[i].end - info->modules[i].start) >> 10, info->modules[i].start);
}

uint64_t boot_memory_init(const struct boot_info *info, uint64_t boot_info_physical)
{
    if (!info->has_memory_map || info->usable_bytes == 0)
        panic("boot: the boot loader reported no usable memory (memory map %s); "
              "Prism needs at least 4 MiB of RAM",
              info->has_memory_map ? "lists none usable" : "missing");

    struct phys_range usable[BOOT_MAX_REGIONS];
    struct phys_range reserved[MAX_RESERVED];
    size_t reserved_count = 0;
    uint64_t physical_end = 0;

    for (size_t i = 0; i < info->usable_count; i++) {
        usable[i] = (struct phys_range){info->usable[i].start, info->usable[i].end};
        if (info->usable[i].end > physical_end)
            physical_end = info->usable[i].end;
    }
    for (size_t i = 0; i < info->reserved_count; i++)
        reserved[reserved_count++] =
            (struct phys_range){info->reserved[i].start, info->reserved[i].end};
    reserved[reserved_count++] = (struct phys_range){0, LOW_MEMORY_END};
    reserved[reserved_count++] =
        (struct phys_range){(uint64_t)__boot_start, (uint64_t)__kernel_end - KERNEL_IMAGE_BASE};
    reserved[reserved_count++] =
        (struct phys_range){boot_info_physical, boot_info_physical + info->info_size};
    for (size_t i = 0; i < info->module_count; i++) {
        reserved[reserved_count++] =
            (struct phys_range){info->modules[i].start, info->modules[i].end};
        if (info->modules[i].end > physical_end)
            physical_end = info->modules[i].end;
    }
    if (boot_info_physical + info->info_size > physical_end)
        physical_end = boot_info_physical + info->info_size;

    if (pmm_init(usable, info->usable_count, reserved, reserved_count) < 0)
        panic("boot: not enough usable memory for the frame allocator's bookkeeping");
    return physical_end;
}
