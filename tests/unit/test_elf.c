/*
 * test_elf.c — host tests for kernel/exec/elf.c.
 *
 * Builds a small static executable in memory (ELF header, three program
 * headers: text, read-only data, data + bss) and then breaks it one field at a
 * time, checking that each lie is refused for the right reason and that no
 * truncation of the file is ever read past its end (ASan watches). If a path is
 * given as argv[1] or in PRISM_ELF_TEST_FILE, that real binary must parse too.
 * OSTEP ch. 5 (exec) and ch. 13 (what an address space is loaded from).
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/exec/elf.h"
#include "kernel/mm/layout.h"
#include "lib/errno.h"

/* Header and program header field offsets (System V ABI, ELF-64). */
#define HEADER_CLASS 4
#define HEADER_DATA 5
#define HEADER_TYPE 16
#define HEADER_MACHINE 18
#define HEADER_VERSION 20
#define HEADER_ENTRY 24
#define HEADER_PROGRAM_OFFSET 32
#define HEADER_PROGRAM_SIZE 54
#define HEADER_PROGRAM_COUNT 56
#define HEADER_SIZE 64
#define PROGRAM_SIZE 56

#define PT_LOAD_TYPE 1
#define PT_INTERP_TYPE 3
#define PT_NOTE_TYPE 4
#define FLAGS_RX 5
#define FLAGS_R 4
#define FLAGS_RW 6

#define LOWEST 0x1000UL
#define TEXT_ADDRESS 0x401000UL
#define FULL_SIZE 0x2080UL /* end of the data segment's file bytes */

static uint8_t file[0x3000];
static size_t file_size;
static struct elf_image image;
static const char *reason;
static const char *real_binary_path;

static void put16(size_t at, uint16_t value)
{
    memcpy(file + at, &value, sizeof(value));
}

static void put32(size_t at, uint32_t value)
{
    memcpy(file + at, &value, sizeof(value));
}

static void put64(size_t at, uint64_t value)
{
    memcpy(file + at, &value, sizeof(value));
}

static size_t program_at(int index)
{
    return HEADER_SIZE + (size_t)index * PROGRAM_SIZE;
}

static void set_program(int index, uint32_t type, uint32_t flags, uint64_t offset, uint64_t address,
                        uint64_t file_bytes, uint64_t memory_bytes)
{
    size_t at = program_at(index);
    put32(at + 0, type);
    put32(at + 4, flags);
    put64(at + 8, offset);
    put64(at + 16, address);
    put64(at + 24, address);
    put64(at + 32, file_bytes);
    put64(at + 40, memory_bytes);
    put64(at + 48, 0x1000);
}

/*
 * A valid image with `count` (1..3) program headers: text 0x401000 (RX, file
 * 0x1000), rodata 0x402800 (R, file 0x1800), data 0x403000 (RW, file 0x2000,
 * 0x80 bytes then bss to 0x405000).
 */
static void build(int count)
{
    static const uint8_t ident[] = {0x7f, 'E', 'L', 'F', 2, 1, 1};
    memset(file, 0, sizeof(file));
    memcpy(file, ident, sizeof(ident));
    put16(HEADER_TYPE, 2);
    put16(HEADER_MACHINE, 62);
    put32(HEADER_VERSION, 1);
    put64(HEADER_ENTRY, TEXT_ADDRESS);
    put64(HEADER_PROGRAM_OFFSET, HEADER_SIZE);
    put16(52, HEADER_SIZE);
    put16(HEADER_PROGRAM_SIZE, PROGRAM_SIZE);
    put16(HEADER_PROGRAM_COUNT, (uint16_t)count);
    set_program(0, PT_LOAD_TYPE, FLAGS_RX, 0x1000, TEXT_ADDRESS, 0x100, 0x100);
    if (count > 1)
        set_program(1, PT_LOAD_TYPE, FLAGS_R, 0x1800, 0x402800, 0x40, 0x40);
    if (count > 2)
        set_program(2, PT_LOAD_TYPE, FLAGS_RW, 0x2000, 0x403000, 0x80, 0x2000);
    file_size = FULL_SIZE;
}

static int parse_within(uint64_t lowest, uint64_t highest)
{
    reason = NULL;
    return elf_parse(file, file_size, lowest, highest, &image, &reason);
}

static int parse(void)
{
    return parse_within(LOWEST, USER_HALF_END);
}

static void expect_rejected_within(uint64_t lowest, uint64_t highest, const char *keyword)
{
    ck_assert_int_eq(parse_within(lowest, highest), -ENOEXEC);
    ck_assert_ptr_nonnull(reason);
    ck_assert_msg(strstr(reason, keyword) != NULL, "reason \"%s\" should mention \"%s\"", reason,
                  keyword);
}

static void expect_rejected(const char *keyword)
{
    expect_rejected_within(LOWEST, USER_HALF_END, keyword);
}

START_TEST(valid_image_lists_its_segments)
{
    build(3);
    ck_assert_int_eq(parse(), 0);
    ck_assert_uint_eq(image.entry, TEXT_ADDRESS);
    ck_assert_uint_eq(image.segment_count, 3);
    ck_assert_uint_eq(image.segments[0].virtual_address, TEXT_ADDRESS);
    ck_assert(image.segments[0].executable && !image.segments[0].writable);
    ck_assert(!image.segments[1].executable && !image.segments[1].writable);
    ck_assert_uint_eq(image.segments[1].file_offset, 0x1800);
    ck_assert_uint_eq(image.segments[2].virtual_address, 0x403000);
    ck_assert_uint_eq(image.segments[2].file_size, 0x80);
    ck_assert_uint_eq(image.segments[2].memory_size, 0x2000);
    ck_assert(image.segments[2].writable && !image.segments[2].executable);
}
END_TEST

START_TEST(null_reason_is_allowed)
{
    build(1);
    put16(HEADER_MACHINE, 3);
    ck_assert_int_eq(elf_parse(file, file_size, LOWEST, USER_HALF_END, &image, NULL), -ENOEXEC);
}
END_TEST

START_TEST(identification_must_match)
{
    build(1);
    file[1] = 'e';
    expect_rejected("not an ELF file");
    build(1);
    file[HEADER_CLASS] = 1; /* ELFCLASS32 */
    expect_rejected("64-bit");
    build(1);
    file[HEADER_DATA] = 2; /* big-endian */
    expect_rejected("little-endian");
    build(1);
    put32(HEADER_VERSION, 2);
    expect_rejected("version");
}
END_TEST

START_TEST(only_static_x86_64_executables)
{
    build(1);
    put16(HEADER_TYPE, 3); /* ET_DYN: PIE or shared library */
    expect_rejected("not supported");
    build(1);
    put16(HEADER_TYPE, 1); /* ET_REL: an object file */
    expect_rejected("not an executable");
    build(1);
    put16(HEADER_MACHINE, 183); /* AArch64 */
    expect_rejected("x86-64");
    build(1);
    put16(HEADER_MACHINE, 3); /* i386 */
    expect_rejected("x86-64");
}
END_TEST

START_TEST(program_header_size_must_be_56)
{
    build(1);
    put16(HEADER_PROGRAM_SIZE, 64);
    expect_rejected("program header size");
    build(1);
    put16(HEADER_PROGRAM_SIZE, 32); /* Elf32_Phdr */
    expect_rejected("program header size");
}
END_TEST

START_TEST(program_headers_must_be_inside_the_file)
{
    build(3);
    put64(HEADER_PROGRAM_OFFSET, FULL_SIZE);
    expect_rejected("outside the file");
    build(3);
    put64(HEADER_PROGRAM_OFFSET, FULL_SIZE - 2 * PROGRAM_SIZE); /* third one sticks out */
    expect_rejected("outside the file");
    build(3);
    put64(HEADER_PROGRAM_OFFSET, UINT64_MAX - 16); /* offset + table size wraps */
    expect_rejected("outside the file");
    build(3);
    put16(HEADER_PROGRAM_COUNT, 1000);
    expect_rejected("outside the file");
    build(3);
    put16(HEADER_PROGRAM_COUNT, 0xffff); /* PN_XNUM: count stored elsewhere */
    expect_rejected("too many program headers");
}
END_TEST

START_TEST(file_size_may_not_exceed_memory_size)
{
    build(3);
    set_program(2, PT_LOAD_TYPE, FLAGS_RW, 0x2000, 0x403000, 0x81, 0x80);
    expect_rejected("exceeds its memory size");
    build(3);
    set_program(2, PT_LOAD_TYPE, FLAGS_RW, 0x2000, 0x403000, 0x80, 0x80); /* equal is fine */
    ck_assert_int_eq(parse(), 0);
}
END_TEST

START_TEST(segment_contents_must_be_inside_the_file)
{
    build(3);
    set_program(2, PT_LOAD_TYPE, FLAGS_RW, 0x2000, 0x403000, 0x81, 0x2000);
    expect_rejected("outside the file");
    build(3);
    set_program(2, PT_LOAD_TYPE, FLAGS_RW, 0x3000, 0x403000, 0, 0x2000);
    expect_rejected("outside the file");
    /* 2^64 - 4096 + 8192 wraps to 4096, which a naive sum would accept. */
    build(3);
    set_program(2, PT_LOAD_TYPE, FLAGS_RW, UINT64_MAX - 0xfff, 0x403000, 0x2000, 0x2000);
    expect_rejected("outside the file");
}
END_TEST

START_TEST(segments_stay_within_the_address_limits)
{
    build(3);
    set_program(1, PT_LOAD_TYPE, FLAGS_R, 0x1800, 0x800, 0x40, 0x40); /* page 0 */
    expect_rejected("below");
    build(3);
    set_program(1, PT_LOAD_TYPE, FLAGS_R, 0x1800, LOWEST - 0x800, 0x40, 0x40);
    expect_rejected("below");
    build(3); /* starting exactly at the floor is allowed */
    set_program(1, PT_LOAD_TYPE, FLAGS_R, 0x1000, LOWEST, 0x40, 0x40);
    ck_assert_int_eq(parse(), 0);
    build(3);
    set_program(2, PT_LOAD_TYPE, FLAGS_RW, 0x2000, USER_HALF_END, 0x80, 0x80);
    expect_rejected("past the end");
    build(3);
    set_program(2, PT_LOAD_TYPE, FLAGS_RW, 0x2000, USER_HALF_END - 0x1000, 0x80, 0x1001);
    expect_rejected("past the end");
    build(3); /* ending exactly at the limit is allowed */
    set_program(2, PT_LOAD_TYPE, FLAGS_RW, 0x2000, USER_HALF_END - 0x1000, 0x80, 0x1000);
    ck_assert_int_eq(parse(), 0);
}
END_TEST

START_TEST(address_wrap_around_is_caught)
{
    /* With no upper limit, 0xfffffffffffff000 + 0x2000 wraps to 0x1000. */
    build(3);
    set_program(2, PT_LOAD_TYPE, FLAGS_RW, 0x2000, UINT64_MAX - 0xfff, 0x80, 0x2000);
    expect_rejected_within(LOWEST, UINT64_MAX, "past the end");
    build(3);
    set_program(2, PT_LOAD_TYPE, FLAGS_RW, 0x2000, UINT64_MAX - 0xfff, 0x80, 0xfff);
    ck_assert_int_eq(parse_within(LOWEST, UINT64_MAX), 0); /* last byte 2^64 - 2 */
}
END_TEST

START_TEST(address_and_offset_must_agree_within_a_page)
{
    build(3);
    set_program(2, PT_LOAD_TYPE, FLAGS_RW, 0x2000, 0x403010, 0x40, 0x2000);
    expect_rejected("modulo the page size");
    build(3);
    set_program(2, PT_LOAD_TYPE, FLAGS_RW, 0x2010, 0x403010, 0x40, 0x2000);
    ck_assert_int_eq(parse(), 0);
    ck_assert_uint_eq(image.segments[2].file_offset, 0x2010);
}
END_TEST

START_TEST(segments_may_not_share_a_page)
{
    build(3); /* rodata starting in the text's last page */
    set_program(1, PT_LOAD_TYPE, FLAGS_R, 0x1800, 0x401800, 0x40, 0x40);
    expect_rejected("share a page");
    build(3); /* data ending in rodata's page, listed after it */
    set_program(2, PT_LOAD_TYPE, FLAGS_RW, 0x2000, 0x402000, 0x80, 0x801);
    expect_rejected("share a page");
    build(3); /* text wholly inside data */
    set_program(2, PT_LOAD_TYPE, FLAGS_RW, 0x2000, 0x300000, 0x80, 0x200000);
    set_program(1, PT_NOTE_TYPE, 0, 0, 0, 0, 0);
    expect_rejected("share a page");
    build(3); /* text filling its page exactly, rodata on the next one */
    set_program(0, PT_LOAD_TYPE, FLAGS_RX, 0x1000, TEXT_ADDRESS, 0x100, 0x1000);
    set_program(1, PT_LOAD_TYPE, FLAGS_R, 0x1800, 0x402800, 0x40, 0x40);
    ck_assert_int_eq(parse(), 0);
}
END_TEST

START_TEST(empty_segments_are_skipped)
{
    build(3); /* a zero-sized PT_LOAD is ignored, even with a nonsense offset */
    set_program(1, PT_LOAD_TYPE, FLAGS_R, 0x7777777, 0x10, 0, 0);
    ck_assert_int_eq(parse(), 0);
    ck_assert_uint_eq(image.segment_count, 2);
    ck_assert_uint_eq(image.segments[1].virtual_address, 0x403000);
}
END_TEST

START_TEST(at_least_one_loadable_segment)
{
    build(2);
    set_program(0, PT_NOTE_TYPE, FLAGS_R, 0x1000, 0, 0x10, 0x10);
    set_program(1, PT_NOTE_TYPE, FLAGS_R, 0x1800, 0, 0x10, 0x10);
    expect_rejected("no loadable segment");
    build(1);
    set_program(0, PT_LOAD_TYPE, FLAGS_RX, 0x1000, TEXT_ADDRESS, 0, 0);
    expect_rejected("no loadable segment");
    build(1);
    put16(HEADER_PROGRAM_COUNT, 0);
    expect_rejected("no loadable segment");
}
END_TEST

START_TEST(interpreter_means_dynamic)
{
    build(3);
    set_program(1, PT_INTERP_TYPE, FLAGS_R, 0x1800, 0, 0x1c, 0x1c);
    expect_rejected("dynamically linked");
}
END_TEST

START_TEST(entry_must_be_in_executable_code)
{
    build(3);
    put64(HEADER_ENTRY, 0x403000); /* the data segment */
    expect_rejected("entry point");
    build(3);
    put64(HEADER_ENTRY, TEXT_ADDRESS + 0x100); /* one past the text */
    expect_rejected("entry point");
    build(3);
    put64(HEADER_ENTRY, 0);
    expect_rejected("entry point");
    build(3);
    put64(HEADER_ENTRY, TEXT_ADDRESS + 0xff); /* its last byte */
    ck_assert_int_eq(parse(), 0);
    ck_assert_uint_eq(image.entry, TEXT_ADDRESS + 0xff);
}
END_TEST

/* count PT_LOAD headers, one page each, the first executable; no file bytes. */
static void build_many(int count)
{
    build(1);
    put16(HEADER_PROGRAM_COUNT, (uint16_t)count);
    for (int i = 0; i < count; i++)
        set_program(i, PT_LOAD_TYPE, i == 0 ? FLAGS_RX : FLAGS_RW, 0, TEXT_ADDRESS + i * 0x1000UL,
                    0, 0x1000);
}

START_TEST(at_most_eight_segments)
{
    build_many(ELF_MAX_SEGMENTS);
    ck_assert_int_eq(parse(), 0);
    ck_assert_uint_eq(image.segment_count, ELF_MAX_SEGMENTS);
    ck_assert_uint_eq(image.segments[7].virtual_address, TEXT_ADDRESS + 0x7000);
    build_many(ELF_MAX_SEGMENTS + 1);
    expect_rejected("too many loadable segments");
}
END_TEST

/* Every prefix of the file is shorter than the data segment's end, so all must fail. */
START_TEST(every_truncation_is_rejected_without_overreading)
{
    build(3);
    for (size_t length = 0; length <= FULL_SIZE; length++) {
        uint8_t *copy = malloc(length == 0 ? 1 : length);
        ck_assert_ptr_nonnull(copy);
        memcpy(copy, file, length);
        reason = NULL;
        int result = elf_parse(copy, length, LOWEST, USER_HALF_END, &image, &reason);
        if (length < FULL_SIZE) {
            ck_assert_msg(result == -ENOEXEC && reason != NULL, "length %zu accepted", length);
        } else {
            ck_assert_int_eq(result, 0);
        }
        free(copy);
    }
}
END_TEST

static uint8_t *read_whole_file(const char *path, size_t *size)
{
    FILE *stream = fopen(path, "rb");
    uint8_t *bytes = NULL;
    long length;

    ck_assert_msg(stream != NULL, "cannot open %s", path);
    if (fseek(stream, 0, SEEK_END) == 0 && (length = ftell(stream)) > 0 &&
        fseek(stream, 0, SEEK_SET) == 0) {
        bytes = malloc((size_t)length);
        ck_assert_ptr_nonnull(bytes);
        ck_assert_uint_eq(fread(bytes, 1, (size_t)length, stream), (size_t)length);
        *size = (size_t)length;
    }
    fclose(stream);
    ck_assert_msg(bytes != NULL, "%s is empty or unreadable", path);
    return bytes;
}

START_TEST(real_static_binary_parses)
{
    size_t size = 0;
    uint8_t *bytes = read_whole_file(real_binary_path, &size);
    reason = NULL;
    int result = elf_parse(bytes, size, LOWEST, USER_HALF_END, &image, &reason);
    ck_assert_msg(result == 0, "%s: %s", real_binary_path, reason ? reason : "?");
    ck_assert_uint_ge(image.segment_count, 1);
    for (size_t i = 0; i < image.segment_count; i++)
        ck_assert_uint_le(image.segments[i].file_offset + image.segments[i].file_size, size);
    free(bytes);
}
END_TEST

static Suite *elf_suite(void)
{
    Suite *suite = suite_create("elf");
    TCase *header = tcase_create("header");
    TCase *segments = tcase_create("segments");
    TCase *robustness = tcase_create("robustness");

    tcase_add_test(header, valid_image_lists_its_segments);
    tcase_add_test(header, null_reason_is_allowed);
    tcase_add_test(header, identification_must_match);
    tcase_add_test(header, only_static_x86_64_executables);
    tcase_add_test(header, program_header_size_must_be_56);
    tcase_add_test(header, program_headers_must_be_inside_the_file);
    tcase_add_test(segments, file_size_may_not_exceed_memory_size);
    tcase_add_test(segments, segment_contents_must_be_inside_the_file);
    tcase_add_test(segments, segments_stay_within_the_address_limits);
    tcase_add_test(segments, address_wrap_around_is_caught);
    tcase_add_test(segments, address_and_offset_must_agree_within_a_page);
    tcase_add_test(segments, segments_may_not_share_a_page);
    tcase_add_test(segments, empty_segments_are_skipped);
    tcase_add_test(segments, at_least_one_loadable_segment);
    tcase_add_test(segments, interpreter_means_dynamic);
    tcase_add_test(segments, entry_must_be_in_executable_code);
    tcase_add_test(segments, at_most_eight_segments);
    tcase_add_test(robustness, every_truncation_is_rejected_without_overreading);
    if (real_binary_path != NULL)
        tcase_add_test(robustness, real_static_binary_parses);
    suite_add_tcase(suite, header);
    suite_add_tcase(suite, segments);
    suite_add_tcase(suite, robustness);
    return suite;
}

int main(int argc, char **argv)
{
    real_binary_path = argc > 1 ? argv[1] : getenv("PRISM_ELF_TEST_FILE");
    SRunner *runner = srunner_create(elf_suite());
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed == 0 ? 0 : 1;
}
