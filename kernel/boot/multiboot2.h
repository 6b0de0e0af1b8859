/*
 * multiboot2.h — what the boot loader told us: memory map, modules, command line.
 *
 * GRUB leaves a magic number in EAX and the physical address of a "boot
 * information" structure in EBX; boot.asm hands both to kmain, which converts
 * the address to a virtual one and calls multiboot2_parse() before anything
 * else. The parser only reads: the result points into GRUB's structure, so the
 * frame allocator must keep that memory (info_size bytes) until it is done.
 * OSTEP has no chapter on booting; the memory map found here is what ch. 17
 * (Free-Space Management) manages. Layouts: Multiboot2 specification, 3.6.
 */
#ifndef PRISM_KERNEL_BOOT_MULTIBOOT2_H
#define PRISM_KERNEL_BOOT_MULTIBOOT2_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* boot.asm's header carries 0xe85250d6 (MULTIBOOT2_HEADER_MAGIC there). */
#define MULTIBOOT2_HEADER_MAGIC 0xe85250d6u
/* What a multiboot2 loader leaves in EAX; boot.asm checks it too. */
#define MULTIBOOT2_BOOTLOADER_MAGIC 0x36d76289u

/* Sanity bound on total_size: GRUB's structure is a few KiB. */
#define MULTIBOOT2_INFO_MAX_SIZE (1024u * 1024u)

/* Tag types the kernel reads (the specification defines about twenty). */
#define MULTIBOOT2_TAG_END 0
#define MULTIBOOT2_TAG_CMDLINE 1
#define MULTIBOOT2_TAG_BOOTLOADER_NAME 2
#define MULTIBOOT2_TAG_MODULE 3
#define MULTIBOOT2_TAG_MEMORY_MAP 6

/* Memory map entry types (the same numbers as the BIOS e820 call). */
#define MULTIBOOT2_MEMORY_AVAILABLE 1
#define MULTIBOOT2_MEMORY_RESERVED 2
#define MULTIBOOT2_MEMORY_ACPI_RECLAIMABLE 3
#define MULTIBOOT2_MEMORY_NVS 4 /* must be preserved across hibernation */
#define MULTIBOOT2_MEMORY_DEFECTIVE 5

#define BOOT_MAX_REGIONS 64
#define BOOT_MAX_MODULES 16

/* Physical range [start, end); type is a MULTIBOOT2_MEMORY_* value. */
struct boot_region {
    uint64_t start, end;
    uint32_t type;
};

/* A file GRUB loaded beside the kernel (the initrd); name is its string. */
struct boot_module {
    uint64_t start, end;
    const char *name;
};

/*
 * Everything the kernel needs from the loader. Regions are in the loader's
 * order, unrounded and unmerged: page rounding belongs to the frame allocator.
 * Strings point into the boot information and are never NULL after a
 * successful parse ("" when the tag is absent).
 */
struct boot_info {
    const char *cmdline;
    const char *bootloader_name;
    struct boot_region usable[BOOT_MAX_REGIONS];
    size_t usable_count;
    struct boot_region reserved[BOOT_MAX_REGIONS]; /* every non-available entry */
    size_t reserved_count;
    struct boot_module modules[BOOT_MAX_MODULES];
    size_t module_count;
    size_t dropped;        /* regions and modules that did not fit above */
    uint64_t usable_bytes; /* sum over usable[], what the kernel can allocate */
    uint64_t info_size;    /* bytes of boot information to keep reserved */
    bool has_memory_map;
};

/*
 * Checks magic and structure, then fills *out. Returns 0, or -EINVAL with
 * *error set to a sentence for the console (valid until the next call). A
 * missing memory map or zero usable memory is not a parse error: the caller
 * checks has_memory_map and usable_bytes and says what is wrong.
 */
int multiboot2_parse(uint32_t magic, const void *info, struct boot_info *out, const char **error);

/* "available", "reserved", "ACPI reclaimable", ... for the boot banner. */
const char *multiboot2_memory_type_name(uint32_t type);

#endif
