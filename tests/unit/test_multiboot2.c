/*
 * test_multiboot2.c — host tests for kernel/boot/multiboot2.c.
 *
 * Each test assembles a boot information structure tag by tag the way GRUB
 * lays it out, copies it into a heap block of exactly total_size bytes (so
 * AddressSanitizer catches any read past the end), and checks what the parser
 * makes of it: good structures, corrupt ones, and ones that overflow limits.
 * OSTEP ch. 18 (where physical memory comes from at boot).
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/boot/multiboot2.h"
#include "lib/errno.h"

#define GOOD_MAGIC MULTIBOOT2_BOOTLOADER_MAGIC

struct memory_entry {
    uint64_t base, length;
    uint32_t type;
};

/* Room for the largest structure a test builds. */
static _Alignas(8) uint8_t image[64 * 1024];
static size_t image_used;
static void *built; /* the exact-size copy handed to the parser */

static void image_begin(void)
{
    memset(image, 0, sizeof(image));
    image_used = 8; /* total_size and reserved */
}

static void put_u32(size_t offset, uint32_t value)
{
    memcpy(image + offset, &value, sizeof(value));
}

static void put_u64(size_t offset, uint64_t value)
{
    memcpy(image + offset, &value, sizeof(value));
}

/* Appends a tag header declaring size bytes; returns the tag's offset. */
static size_t tag_begin(uint32_t type, uint32_t size)
{
    size_t offset = image_used;
    ck_assert_uint_le(offset + size, sizeof(image));
    put_u32(offset, type);
    put_u32(offset + 4, size);
    image_used = offset + ((size + 7u) & ~7u);
    return offset;
}

static void add_string_tag(uint32_t type, const char *text)
{
    size_t offset = tag_begin(type, (uint32_t)(8 + strlen(text) + 1));
    memcpy(image + offset + 8, text, strlen(text) + 1);
}

static void add_module(uint32_t start, uint32_t end, const char *name)
{
    size_t offset = tag_begin(MULTIBOOT2_TAG_MODULE, (uint32_t)(16 + strlen(name) + 1));
    put_u32(offset + 8, start);
    put_u32(offset + 12, end);
    memcpy(image + offset + 16, name, strlen(name) + 1);
}

/* Entries beyond the first 24 bytes are filled with 0xee, a future field. */
static void add_memory_map(uint32_t entry_size, const struct memory_entry *entries, size_t count)
{
    size_t offset = tag_begin(MULTIBOOT2_TAG_MEMORY_MAP, (uint32_t)(16 + entry_size * count));
    put_u32(offset + 8, entry_size);
    put_u32(offset + 12, 0);
    for (size_t i = 0; i < count; i++) {
        size_t entry = offset + 16 + i * entry_size;
        memset(image + entry, 0xee, entry_size);
        put_u64(entry, entries[i].base);
        put_u64(entry + 8, entries[i].length);
        put_u32(entry + 16, entries[i].type);
        put_u32(entry + 20, 0);
    }
}

/* Sets total_size to what was built so far (with or without an end tag). */
static const void *image_finish(bool with_end_tag)
{
    if (with_end_tag)
        tag_begin(MULTIBOOT2_TAG_END, 8);
    put_u32(0, (uint32_t)image_used);
    free(built);
    built = malloc(image_used);
    ck_assert_ptr_nonnull(built);
    memcpy(built, image, image_used);
    return built;
}

static struct boot_info info;
static const char *error;

static int parse(uint32_t magic, const void *structure)
{
    error = "untouched";
    return multiboot2_parse(magic, structure, &info, &error);
}

static void expect_error(uint32_t magic, const void *structure, const char *phrase)
{
    ck_assert_int_eq(parse(magic, structure), -EINVAL);
    ck_assert_ptr_nonnull(error);
    ck_assert_msg(strstr(error, phrase) != NULL, "error '%s' lacks '%s'", error, phrase);
}

static const struct memory_entry qemu_map[] = {
    {0x0, 0x9fc00, MULTIBOOT2_MEMORY_AVAILABLE},
    {0x9fc00, 0x400, MULTIBOOT2_MEMORY_RESERVED},
    {0xf0000, 0x10000, MULTIBOOT2_MEMORY_RESERVED},
    {0x100000, 0x7ee0000, MULTIBOOT2_MEMORY_AVAILABLE},
    {0x7fe0000, 0x20000, MULTIBOOT2_MEMORY_ACPI_RECLAIMABLE},
    {0x8000000, 0, MULTIBOOT2_MEMORY_AVAILABLE}, /* empty: must be skipped */
    {0xfffc0000, 0x40000, MULTIBOOT2_MEMORY_NVS},
};
#define QEMU_MAP_COUNT (sizeof(qemu_map) / sizeof(qemu_map[0]))

START_TEST(good_structure_is_parsed_completely)
{
    image_begin();
    add_string_tag(MULTIBOOT2_TAG_CMDLINE, "sched=mlfq hz=100");
    add_string_tag(MULTIBOOT2_TAG_BOOTLOADER_NAME, "GRUB 2.12");
    tag_begin(4, 16); /* basic meminfo: not read, must be stepped over */
    add_module(0x200000, 0x234567, "initrd");
    add_module(0x235000, 0x236000, "extra data");
    add_memory_map(32, qemu_map, QEMU_MAP_COUNT); /* larger than the 24-byte v0 entry */
    const void *structure = image_finish(true);

    ck_assert_int_eq(parse(GOOD_MAGIC, structure), 0);
    ck_assert_ptr_null(error);
    ck_assert_str_eq(info.cmdline, "sched=mlfq hz=100");
    ck_assert_str_eq(info.bootloader_name, "GRUB 2.12");
    ck_assert_uint_eq(info.info_size, image_used);
    ck_assert_uint_eq(info.module_count, 2);
    ck_assert_uint_eq(info.modules[0].start, 0x200000);
    ck_assert_uint_eq(info.modules[0].end, 0x234567);
    ck_assert_str_eq(info.modules[0].name, "initrd");
    ck_assert_str_eq(info.modules[1].name, "extra data");
    ck_assert_uint_eq(info.modules[1].end, 0x236000);

    ck_assert(info.has_memory_map);
    ck_assert_uint_eq(info.usable_count, 2);
    ck_assert_uint_eq(info.usable[0].start, 0);
    ck_assert_uint_eq(info.usable[0].end, 0x9fc00);
    ck_assert_uint_eq(info.usable[1].start, 0x100000);
    ck_assert_uint_eq(info.usable[1].end, 0x7fe0000);
    ck_assert_uint_eq(info.usable_bytes, 0x9fc00 + 0x7ee0000);
    ck_assert_uint_eq(info.reserved_count, 4);
    ck_assert_uint_eq(info.reserved[0].start, 0x9fc00);
    ck_assert_uint_eq(info.reserved[0].end, 0xa0000);
    ck_assert_uint_eq(info.reserved[2].type, MULTIBOOT2_MEMORY_ACPI_RECLAIMABLE);
    ck_assert_uint_eq(info.reserved[3].type, MULTIBOOT2_MEMORY_NVS);
    ck_assert_uint_eq(info.reserved[3].end, 0x100000000);
    ck_assert_uint_eq(info.dropped, 0);
}
END_TEST

START_TEST(bad_magic_is_named_in_the_error)
{
    image_begin();
    const void *structure = image_finish(true);
    expect_error(0x2badb002, structure, "0x2badb002");
    ck_assert_ptr_nonnull(strstr(error, "not loaded by a multiboot2 boot loader"));
}
END_TEST

START_TEST(total_size_too_small_is_rejected)
{
    image_begin();
    image_finish(false); /* 8 bytes: a header and nothing else */
    expect_error(GOOD_MAGIC, built, "too small");
}
END_TEST

START_TEST(total_size_of_a_megabyte_is_rejected)
{
    image_begin();
    image_finish(true);
    uint32_t huge = MULTIBOOT2_INFO_MAX_SIZE;
    memcpy(built, &huge, sizeof(huge));
    expect_error(GOOD_MAGIC, built, "1 MiB");
}
END_TEST

START_TEST(misaligned_structure_is_rejected)
{
    image_begin();
    image_finish(true);
    expect_error(GOOD_MAGIC, image + 4, "aligned");
    expect_error(GOOD_MAGIC, NULL, "aligned");
}
END_TEST

START_TEST(tag_running_past_the_end_is_rejected)
{
    image_begin();
    add_string_tag(MULTIBOOT2_TAG_CMDLINE, "hz=100");
    tag_begin(MULTIBOOT2_TAG_END, 8);
    put_u32(12, 64); /* the command line now claims 64 bytes; 24 remain */
    image_finish(false);
    expect_error(GOOD_MAGIC, built, "runs past the end");

    put_u32(12, 25); /* one byte too many is as wrong as many */
    image_finish(false);
    expect_error(GOOD_MAGIC, built, "runs past the end");
    put_u32(12, 24); /* exactly reaching total_size is fine: no end tag then */
    image_finish(false);
    expect_error(GOOD_MAGIC, built, "no end tag");
}
END_TEST

START_TEST(tag_smaller_than_its_header_is_rejected)
{
    image_begin();
    tag_begin(4, 16);
    put_u32(12, 4);
    image_finish(true);
    expect_error(GOOD_MAGIC, built, "smaller than its own 8-byte header");
}
END_TEST

START_TEST(missing_end_tag_is_rejected)
{
    image_begin();
    add_string_tag(MULTIBOOT2_TAG_CMDLINE, "hz=100");
    add_memory_map(24, qemu_map, 2);
    image_finish(false);
    expect_error(GOOD_MAGIC, built, "no end tag");
}
END_TEST

START_TEST(unterminated_string_is_rejected)
{
    image_begin();
    size_t offset = tag_begin(MULTIBOOT2_TAG_CMDLINE, 16);
    memset(image + offset + 8, 'x', 8); /* fills the tag, no NUL */
    image_finish(true);
    expect_error(GOOD_MAGIC, built, "not NUL-terminated");
}
END_TEST

START_TEST(module_ending_before_its_start_is_rejected)
{
    image_begin();
    add_module(0x300000, 0x200000, "initrd");
    image_finish(true);
    expect_error(GOOD_MAGIC, built, "before it starts");
}
END_TEST

START_TEST(bad_entry_size_is_rejected)
{
    image_begin();
    add_memory_map(16, qemu_map, 2); /* smaller than an entry */
    image_finish(true);
    expect_error(GOOD_MAGIC, built, "entry_size 16");

    image_begin();
    add_memory_map(28, qemu_map, 2); /* not a multiple of 8 */
    image_finish(true);
    expect_error(GOOD_MAGIC, built, "entry_size 28");
}
END_TEST

START_TEST(missing_memory_map_is_not_a_parse_error)
{
    image_begin();
    add_module(0x200000, 0x201000, "initrd");
    image_finish(true);
    ck_assert_int_eq(parse(GOOD_MAGIC, built), 0);
    ck_assert(!info.has_memory_map);
    ck_assert_uint_eq(info.usable_bytes, 0);
    ck_assert_str_eq(info.cmdline, ""); /* absent tag: "" not NULL */
    ck_assert_str_eq(info.bootloader_name, "");
    ck_assert_uint_eq(info.module_count, 1);
}
END_TEST

START_TEST(map_without_usable_memory_parses_with_zero_bytes)
{
    static const struct memory_entry only_reserved[] = {
        {0x0, 0x100000, MULTIBOOT2_MEMORY_RESERVED},
        {0x100000, 0x1000, MULTIBOOT2_MEMORY_DEFECTIVE},
        {0x200000, 0, MULTIBOOT2_MEMORY_AVAILABLE},
    };
    image_begin();
    add_memory_map(24, only_reserved, 3);
    image_finish(true);
    ck_assert_int_eq(parse(GOOD_MAGIC, built), 0);
    ck_assert(info.has_memory_map);
    ck_assert_uint_eq(info.usable_bytes, 0);
    ck_assert_uint_eq(info.usable_count, 0);
    ck_assert_uint_eq(info.reserved_count, 2);
    ck_assert_uint_eq(info.reserved[1].type, MULTIBOOT2_MEMORY_DEFECTIVE);
}
END_TEST

START_TEST(too_many_regions_and_modules_keep_the_first)
{
    enum { AVAILABLE = BOOT_MAX_REGIONS + 6 };
    static struct memory_entry entries[AVAILABLE + 1];
    for (size_t i = 0; i < AVAILABLE; i++)
        entries[i] = (struct memory_entry){0x100000 * (i + 1), 0x1000, MULTIBOOT2_MEMORY_AVAILABLE};
    entries[AVAILABLE] = (struct memory_entry){0xfee00000, 0x1000, MULTIBOOT2_MEMORY_RESERVED};
    image_begin();
    add_memory_map(24, entries, AVAILABLE + 1);
    for (uint32_t i = 0; i < BOOT_MAX_MODULES + 2; i++)
        add_module(0x1000 * i, 0x1000 * i + 0x800, "module");
    image_finish(true);

    ck_assert_int_eq(parse(GOOD_MAGIC, built), 0);
    ck_assert_uint_eq(info.usable_count, BOOT_MAX_REGIONS);
    ck_assert_uint_eq(info.usable[BOOT_MAX_REGIONS - 1].start, 0x100000 * BOOT_MAX_REGIONS);
    ck_assert_uint_eq(info.usable_bytes, 0x1000 * BOOT_MAX_REGIONS); /* only what is kept */
    ck_assert_uint_eq(info.reserved_count, 1); /* a full usable list does not block others */
    ck_assert_uint_eq(info.module_count, BOOT_MAX_MODULES);
    ck_assert_uint_eq(info.modules[BOOT_MAX_MODULES - 1].start, 0x1000 * (BOOT_MAX_MODULES - 1));
    ck_assert_uint_eq(info.dropped, 6 + 2);
}
END_TEST

START_TEST(region_reaching_past_the_top_is_clamped)
{
    static const struct memory_entry wrapping[] = {
        {0xfffffffffff00000, 0x200000, MULTIBOOT2_MEMORY_AVAILABLE},
    };
    image_begin();
    add_memory_map(24, wrapping, 1);
    image_finish(true);
    ck_assert_int_eq(parse(GOOD_MAGIC, built), 0);
    ck_assert_uint_eq(info.usable[0].end, UINT64_MAX);
    ck_assert_uint_eq(info.usable_bytes, UINT64_MAX - 0xfffffffffff00000);
}
END_TEST

START_TEST(partial_trailing_entry_is_ignored)
{
    image_begin();
    add_memory_map(24, qemu_map, 1);
    put_u32(8 + 4, 16 + 24 + 8); /* the map (first tag) grows by 8 stray bytes */
    memset(image + image_used, 0xff, 8);
    image_used += 8;
    image_finish(true);
    ck_assert_int_eq(parse(GOOD_MAGIC, built), 0);
    ck_assert_uint_eq(info.usable_count, 1);
    ck_assert_uint_eq(info.reserved_count, 0);
}
END_TEST

START_TEST(memory_types_have_names)
{
    ck_assert_str_eq(multiboot2_memory_type_name(MULTIBOOT2_MEMORY_AVAILABLE), "available");
    ck_assert_str_eq(multiboot2_memory_type_name(MULTIBOOT2_MEMORY_RESERVED), "reserved");
    ck_assert_str_eq(multiboot2_memory_type_name(MULTIBOOT2_MEMORY_ACPI_RECLAIMABLE),
                     "ACPI reclaimable");
    ck_assert_str_eq(multiboot2_memory_type_name(MULTIBOOT2_MEMORY_NVS), "ACPI NVS");
    ck_assert_str_eq(multiboot2_memory_type_name(MULTIBOOT2_MEMORY_DEFECTIVE), "defective");
    ck_assert_str_eq(multiboot2_memory_type_name(99), "unknown");
}
END_TEST

static Suite *multiboot2_suite(void)
{
    Suite *suite = suite_create("multiboot2");
    TCase *good = tcase_create("good");
    tcase_add_test(good, good_structure_is_parsed_completely);
    tcase_add_test(good, missing_memory_map_is_not_a_parse_error);
    tcase_add_test(good, map_without_usable_memory_parses_with_zero_bytes);
    tcase_add_test(good, too_many_regions_and_modules_keep_the_first);
    tcase_add_test(good, region_reaching_past_the_top_is_clamped);
    tcase_add_test(good, partial_trailing_entry_is_ignored);
    tcase_add_test(good, memory_types_have_names);
    suite_add_tcase(suite, good);

    TCase *bad = tcase_create("bad");
    tcase_add_test(bad, bad_magic_is_named_in_the_error);
    tcase_add_test(bad, total_size_too_small_is_rejected);
    tcase_add_test(bad, total_size_of_a_megabyte_is_rejected);
    tcase_add_test(bad, misaligned_structure_is_rejected);
    tcase_add_test(bad, tag_running_past_the_end_is_rejected);
    tcase_add_test(bad, tag_smaller_than_its_header_is_rejected);
    tcase_add_test(bad, missing_end_tag_is_rejected);
    tcase_add_test(bad, unterminated_string_is_rejected);
    tcase_add_test(bad, module_ending_before_its_start_is_rejected);
    tcase_add_test(bad, bad_entry_size_is_rejected);
    suite_add_tcase(suite, bad);
    return suite;
}

int main(void)
{
    SRunner *runner = srunner_create(multiboot2_suite());
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed == 0 ? 0 : 1;
}
