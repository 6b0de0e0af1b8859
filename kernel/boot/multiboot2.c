/*
 * multiboot2.c — reading GRUB's boot information without trusting it.
 *
 * The structure is a u32 total_size and a u32 reserved word, then tags: each
 * a u32 type and a u32 size (header included) followed by its payload, the
 * next tag starting at the following 8-byte boundary, the last of type 0.
 * Every size is checked against total_size before a byte behind it is read,
 * so a corrupt structure produces a sentence on the console, not a fault.
 * Runs first in kmain; the frame allocator (OSTEP ch. 17) consumes the result.
 */
#include "kernel/boot/multiboot2.h"

#include <stdarg.h>

#include "lib/errno.h"

struct info_header {
    uint32_t total_size; /* includes this header and the end tag */
    uint32_t reserved;
};

struct tag_header {
    uint32_t type;
    uint32_t size; /* without the padding to the next 8-byte boundary */
};

struct module_tag {
    struct tag_header header;
    uint32_t start, end; /* physical, [start, end) */
    char name[];         /* what followed the file name on GRUB's module2 line */
};

struct memory_map_tag {
    struct tag_header header;
    uint32_t entry_size;
    uint32_t entry_version;
    /* entries follow, entry_size bytes apart */
};

/* Version 0 of an entry; later versions only append fields. */
struct memory_map_entry {
    uint64_t base;
    uint64_t length;
    uint32_t type;
    uint32_t reserved;
};

#define TAG_ALIGNMENT 8u
#define ERROR_TEXT_MAX 192

/* Boot is single-threaded, so one buffer for the last error is enough. */
static char error_text[ERROR_TEXT_MAX];
static size_t error_length;

static void error_put_char(char c)
{
    if (error_length + 1 < ERROR_TEXT_MAX) {
        error_text[error_length++] = c;
        error_text[error_length] = '\0';
    }
}

static void error_put_number(uint64_t value, unsigned base)
{
    char digits[20];
    size_t count = 0;
    do {
        digits[count++] = "0123456789abcdef"[value % base];
        value /= base;
    } while (value != 0);
    while (count > 0)
        error_put_char(digits[--count]);
}

/*
 * Formats the message into error_text and returns -EINVAL. Understands only
 * %s, and %u / %x taking a uint64_t, which is all the messages below need.
 */
static int fail(const char **error, const char *format, ...)
{
    va_list arguments;
    va_start(arguments, format);
    error_length = 0;
    error_text[0] = '\0';
    for (const char *p = format; *p != '\0'; p++) {
        if (*p != '%' || (p[1] != 's' && p[1] != 'u' && p[1] != 'x')) {
            error_put_char(*p);
            continue;
        }
        p++;
        if (*p == 's') {
            for (const char *s = va_arg(arguments, const char *); *s != '\0'; s++)
                error_put_char(*s);
        } else {
            error_put_number(va_arg(arguments, uint64_t), *p == 'u' ? 10 : 16);
        }
    }
    va_end(arguments);
    *error = error_text;
    return -EINVAL;
}

/* A string payload must end inside its tag, or we would read past it. */
static int tag_string(const struct tag_header *tag, size_t string_offset, const char *what,
                      const char **string_out, const char **error)
{
    const char *string = (const char *)tag + string_offset;
    for (size_t i = 0; string_offset + i < tag->size; i++) {
        if (string[i] == '\0') {
            *string_out = string;
            return 0;
        }
    }
    return fail(error, "multiboot2: the %s tag (size %u) is not NUL-terminated", what,
                (uint64_t)tag->size);
}

static int parse_module(const struct tag_header *tag, struct boot_info *out, const char **error)
{
    const struct module_tag *module = (const struct module_tag *)tag;
    const char *name = "";
    if (tag->size < sizeof(struct module_tag))
        return fail(error, "multiboot2: module tag of %u bytes is too small", (uint64_t)tag->size);
    int result = tag_string(tag, sizeof(struct module_tag), "module", &name, error);
    if (result < 0)
        return result;
    if (module->end < module->start)
        return fail(error, "multiboot2: module '%s' ends (0x%x) before it starts (0x%x)", name,
                    (uint64_t)module->end, (uint64_t)module->start);
    if (out->module_count == BOOT_MAX_MODULES) {
        out->dropped++;
        return 0;
    }
    out->modules[out->module_count++] =
        (struct boot_module){.start = module->start, .end = module->end, .name = name};
    return 0;
}

static void add_region(struct boot_info *out, const struct memory_map_entry *entry)
{
    if (entry->length == 0)
        return;
    uint64_t end = entry->base + entry->length;
    if (end < entry->base)
        end = UINT64_MAX; /* a firmware bug; clamp rather than wrap around */
    struct boot_region region = {.start = entry->base, .end = end, .type = entry->type};

    bool available = entry->type == MULTIBOOT2_MEMORY_AVAILABLE;
    struct boot_region *regions = available ? out->usable : out->reserved;
    size_t *count = available ? &out->usable_count : &out->reserved_count;
    if (*count == BOOT_MAX_REGIONS) {
        out->dropped++;
        return;
    }
    regions[(*count)++] = region;
    if (available)
        out->usable_bytes += region.end - region.start;
}

/*
 * entry_version is 0 today; the specification promises later versions stay
 * compatible by only growing entry_size, so every version is read through its
 * first 24 bytes and stepped over with entry_size.
 */
static int parse_memory_map(const struct tag_header *tag, struct boot_info *out, const char **error)
{
    const struct memory_map_tag *map = (const struct memory_map_tag *)tag;
    if (tag->size < sizeof(struct memory_map_tag))
        return fail(error, "multiboot2: memory map tag of %u bytes is too small",
                    (uint64_t)tag->size);
    if (map->entry_size < sizeof(struct memory_map_entry) || map->entry_size % 8 != 0)
        return fail(error,
                    "multiboot2: memory map entry_size %u is invalid "
                    "(it must be a multiple of 8 and at least 24)",
                    (uint64_t)map->entry_size);

    const uint8_t *entries = (const uint8_t *)map + sizeof(struct memory_map_tag);
    size_t entry_count = (tag->size - sizeof(struct memory_map_tag)) / map->entry_size;
    for (size_t i = 0; i < entry_count; i++)
        add_region(out, (const struct memory_map_entry *)(entries + i * map->entry_size));
    out->has_memory_map = true;
    return 0;
}

static int parse_tag(const struct tag_header *tag, struct boot_info *out, const char **error)
{
    switch (tag->type) {
    case MULTIBOOT2_TAG_CMDLINE:
        return tag_string(tag, sizeof(*tag), "command line", &out->cmdline, error);
    case MULTIBOOT2_TAG_BOOTLOADER_NAME:
        return tag_string(tag, sizeof(*tag), "boot loader name", &out->bootloader_name, error);
    case MULTIBOOT2_TAG_MODULE:
        return parse_module(tag, out, error);
    case MULTIBOOT2_TAG_MEMORY_MAP:
        return parse_memory_map(tag, out, error);
    default:
        return 0; /* framebuffer, ACPI, ELF sections...: not needed yet */
    }
}

static int parse_tags(const uint8_t *base, uint32_t total_size, struct boot_info *out,
                      const char **error)
{
    uint64_t offset = sizeof(struct info_header);
    while (offset + sizeof(struct tag_header) <= total_size) {
        const struct tag_header *tag = (const struct tag_header *)(base + offset);
        if (tag->size < sizeof(struct tag_header))
            return fail(error,
                        "multiboot2: tag of type %u at offset %u has size %u, "
                        "smaller than its own 8-byte header",
                        (uint64_t)tag->type, offset, (uint64_t)tag->size);
        if (offset + tag->size > total_size)
            return fail(error,
                        "multiboot2: tag of type %u at offset %u (size %u) runs past "
                        "the end of the boot information (total_size %u)",
                        (uint64_t)tag->type, offset, (uint64_t)tag->size, (uint64_t)total_size);
        if (tag->type == MULTIBOOT2_TAG_END)
            return 0;
        int result = parse_tag(tag, out, error);
        if (result < 0)
            return result;
        offset += (tag->size + TAG_ALIGNMENT - 1) & ~(uint64_t)(TAG_ALIGNMENT - 1);
    }
    return fail(error,
                "multiboot2: no end tag within total_size %u: the boot information "
                "is truncated or corrupt",
                (uint64_t)total_size);
}

int multiboot2_parse(uint32_t magic, const void *info, struct boot_info *out, const char **error)
{
    const char *unused_error;
    if (error == NULL)
        error = &unused_error;
    *error = NULL;
    *out = (struct boot_info){.cmdline = "", .bootloader_name = ""};

    if (magic != MULTIBOOT2_BOOTLOADER_MAGIC)
        return fail(error,
                    "multiboot2: bad magic 0x%x (expected 0x%x): not loaded by a "
                    "multiboot2 boot loader",
                    (uint64_t)magic, (uint64_t)MULTIBOOT2_BOOTLOADER_MAGIC);
    if (info == NULL || (uintptr_t)info % TAG_ALIGNMENT != 0)
        return fail(error, "multiboot2: boot information address 0x%x is not 8-byte aligned",
                    (uint64_t)(uintptr_t)info);

    uint32_t total_size = ((const struct info_header *)info)->total_size;
    if (total_size < sizeof(struct info_header) + sizeof(struct tag_header))
        return fail(error,
                    "multiboot2: boot information total_size %u is too small "
                    "(a header and an end tag need 16 bytes)",
                    (uint64_t)total_size);
    if (total_size >= MULTIBOOT2_INFO_MAX_SIZE)
        return fail(error, "multiboot2: boot information total_size %u is 1 MiB or more: corrupt",
                    (uint64_t)total_size);
    out->info_size = total_size;
    return parse_tags(info, total_size, out, error);
}

const char *multiboot2_memory_type_name(uint32_t type)
{
    switch (type) {
    case MULTIBOOT2_MEMORY_AVAILABLE:
        return "available";
    case MULTIBOOT2_MEMORY_RESERVED:
        return "reserved";
    case MULTIBOOT2_MEMORY_ACPI_RECLAIMABLE:
        return "ACPI reclaimable";
    case MULTIBOOT2_MEMORY_NVS:
        return "ACPI NVS";
    case MULTIBOOT2_MEMORY_DEFECTIVE:
        return "defective";
    default:
        return "unknown";
    }
}
