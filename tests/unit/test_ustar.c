/*
 * test_ustar.c — host tests for kernel/fs/ustar.c.
 *
 * Archives are assembled in memory, header by header, the way `tar
 * --format=ustar` writes them (octal fields, "ustar\0" "00", checksum over the
 * block with its own field as spaces). Then they are damaged: bad checksums,
 * sizes past the end, non-octal digits, names at the length limits, and every
 * truncation, which must fail cleanly without reading past the end (ASan).
 * OSTEP ch. 39 (Interlude: Files and Directories — the initrd is a tiny one).
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/fs/ustar.h"
#include "lib/errno.h"

#define BLOCK USTAR_BLOCK_SIZE

static uint8_t archive[64 * BLOCK];
static size_t archive_size;
static struct ustar_entry entry;

/* Writes value as length - 1 zero-padded octal digits and a NUL. */
static void write_octal(uint8_t *field, size_t length, uint64_t value)
{
    field[length - 1] = '\0';
    for (size_t i = length - 1; i > 0; i--) {
        field[i - 1] = (uint8_t)('0' + (value & 7));
        value >>= 3;
    }
}

/* Recomputes the checksum of the header at `at` after its fields were edited. */
static void seal(size_t at)
{
    uint8_t *header = archive + at;
    unsigned sum = 0;

    memset(header + 148, ' ', 8);
    for (size_t i = 0; i < BLOCK; i++)
        sum += header[i];
    write_octal(header + 148, 7, sum);
    header[155] = ' ';
}

static void copy_field(uint8_t *field, size_t length, const char *text)
{
    size_t text_length = strlen(text);
    memcpy(field, text, text_length < length ? text_length : length);
}

/* Appends a sealed POSIX header; prefix may be NULL. Returns its offset. */
static size_t add_header(const char *prefix, const char *name, char type, uint64_t size)
{
    size_t at = archive_size;
    uint8_t *header = archive + at;

    memset(header, 0, BLOCK);
    copy_field(header, 100, name);
    write_octal(header + 100, 8, 0644);
    write_octal(header + 108, 8, 1000);
    write_octal(header + 116, 8, 1000);
    write_octal(header + 124, 12, size);
    write_octal(header + 136, 12, 1700000000);
    header[156] = (uint8_t)type;
    memcpy(header + 257, "ustar", 6); /* with its NUL */
    memcpy(header + 263, "00", 2);    /* version, no NUL */
    copy_field(header + 265, 32, "student");
    if (prefix != NULL)
        copy_field(header + 345, 155, prefix);
    seal(at);
    archive_size += BLOCK;
    return at;
}

static void add_data(const void *data, size_t size)
{
    size_t padded = (size + BLOCK - 1) / BLOCK * BLOCK;
    memset(archive + archive_size, 0, padded);
    memcpy(archive + archive_size, data, size);
    archive_size += padded;
}

static size_t add_file(const char *name, const void *data, size_t size)
{
    size_t at = add_header(NULL, name, '0', size);
    add_data(data, size);
    return at;
}

static void add_end(void)
{
    memset(archive + archive_size, 0, 2 * BLOCK);
    archive_size += 2 * BLOCK;
}

static void start(void)
{
    memset(archive, 0xa5, sizeof(archive)); /* nothing unwritten is zero by accident */
    archive_size = 0;
}

static char sh_bytes[512];
static char motd_bytes[700];

/* "bin/init" (5 bytes) at 0, "bin/sh" (512) at 1024, "etc/motd" (700) at 2048. */
static void build_three_files(void)
{
    memset(sh_bytes, 's', sizeof(sh_bytes));
    for (size_t i = 0; i < sizeof(motd_bytes); i++)
        motd_bytes[i] = (char)('a' + i % 26);
    start();
    add_file("bin/init", "hello", 5);
    add_file("bin/sh", sh_bytes, sizeof(sh_bytes));
    add_file("etc/motd", motd_bytes, sizeof(motd_bytes));
    add_end();
}

START_TEST(three_files_come_back_in_order)
{
    size_t offset = 0;
    build_three_files();
    ck_assert_int_eq(ustar_next(archive, archive_size, &offset, &entry), 1);
    ck_assert_str_eq(entry.name, "bin/init");
    ck_assert_int_eq(entry.type, '0');
    ck_assert_uint_eq(entry.mode, 0644);
    ck_assert_uint_eq(entry.size, 5);
    ck_assert_ptr_eq(entry.data, archive + BLOCK);
    ck_assert_mem_eq(entry.data, "hello", 5);
    ck_assert_uint_eq(offset, 2 * BLOCK); /* 5 bytes still take a whole block */

    ck_assert_int_eq(ustar_next(archive, archive_size, &offset, &entry), 1);
    ck_assert_str_eq(entry.name, "bin/sh");
    ck_assert_uint_eq(entry.size, 512);
    ck_assert_uint_eq(offset, 4 * BLOCK); /* exactly one block: no extra padding */

    ck_assert_int_eq(ustar_next(archive, archive_size, &offset, &entry), 1);
    ck_assert_str_eq(entry.name, "etc/motd");
    ck_assert_mem_eq(entry.data, motd_bytes, sizeof(motd_bytes));
    ck_assert_uint_eq(offset, 7 * BLOCK);

    ck_assert_int_eq(ustar_next(archive, archive_size, &offset, &entry), 0);
    ck_assert_uint_eq(offset, 7 * BLOCK);
    ck_assert_int_eq(ustar_next(archive, archive_size, &offset, &entry), 0); /* and stays there */
}
END_TEST

static void expect_found(const char *query, const char *stored_name, const char *data)
{
    memset(&entry, 0, sizeof(entry));
    ck_assert_msg(ustar_find(archive, archive_size, query, &entry) == 0, "%s not found", query);
    ck_assert_str_eq(entry.name, stored_name);
    ck_assert_uint_eq(entry.size, strlen(data));
    ck_assert_mem_eq(entry.data, data, strlen(data));
}

static void expect_missing(const char *query)
{
    ck_assert_msg(ustar_find(archive, archive_size, query, &entry) == -ENOENT, "%s found", query);
}

START_TEST(find_ignores_leading_slash_and_dot)
{
    start();
    add_file("bin/sh", "shell", 5);
    add_file("./etc/motd", "welcome", 7);
    add_file("/init", "first", 5);
    add_end();
    expect_found("/bin/sh", "bin/sh", "shell");
    expect_found("bin/sh", "bin/sh", "shell");
    expect_found("./bin/sh", "bin/sh", "shell");
    expect_found("etc/motd", "./etc/motd", "welcome");
    expect_found("/etc/motd", "./etc/motd", "welcome");
    expect_found("init", "/init", "first");
    expect_found("./init", "/init", "first");
    expect_missing("bin/s");
    expect_missing("bin/sh/");
    expect_missing("sh");
    expect_missing("bin");
    expect_missing("/");
    expect_missing("");
    expect_missing(".");
}
END_TEST

START_TEST(find_matches_only_regular_files)
{
    start();
    add_header(NULL, "bin/", '5', 0);
    add_header(NULL, "docs", '5', 0);
    add_header(NULL, "link", '2', 0);
    add_header(NULL, "old", '\0', 3); /* pre-POSIX regular file */
    add_data("v7!", 3);
    add_file("docs", "a file named like the directory", 31);
    add_file("./", "nameless", 8); /* a damaged name: no query may reach it */
    add_end();
    expect_missing("");
    expect_missing("/");
    expect_missing("bin");
    expect_missing("bin/");
    expect_missing("link");
    expect_found("docs", "docs", "a file named like the directory");
    ck_assert_int_eq(entry.type, '0');
    expect_found("old", "old", "v7!");
    ck_assert_int_eq(entry.type, '\0');
}
END_TEST

START_TEST(directories_have_no_data_blocks)
{
    size_t offset = 0;
    start();
    add_header(NULL, "bin/", '5', 1024); /* POSIX: no data follows, whatever size says */
    add_file("bin/sh", "shell", 5);
    add_end();
    ck_assert_int_eq(ustar_next(archive, archive_size, &offset, &entry), 1);
    ck_assert_int_eq(entry.type, '5');
    ck_assert_uint_eq(entry.size, 0);
    ck_assert_uint_eq(offset, BLOCK);
    ck_assert_int_eq(ustar_next(archive, archive_size, &offset, &entry), 1);
    ck_assert_str_eq(entry.name, "bin/sh");
}
END_TEST

START_TEST(checksum_is_verified)
{
    size_t offset = 0;
    build_three_files();
    archive[2 * BLOCK + 4] ^= 1; /* "bin/sh" becomes "bin/rh" behind the checksum's back */
    ck_assert_int_eq(ustar_next(archive, archive_size, &offset, &entry), 1);
    ck_assert_int_eq(ustar_next(archive, archive_size, &offset, &entry), -EINVAL);
    ck_assert_int_eq(ustar_find(archive, archive_size, "etc/motd", &entry), -EINVAL);
    ck_assert_int_eq(ustar_find(archive, archive_size, "bin/init", &entry), 0); /* before it */

    build_three_files();
    archive[511] = 1; /* a padding byte: the sum is now off by one */
    offset = 0;
    ck_assert_int_eq(ustar_next(archive, archive_size, &offset, &entry), -EINVAL);
    ck_assert_uint_eq(offset, 0); /* not advanced on error */
}
END_TEST

START_TEST(checksum_sums_bytes_as_unsigned)
{
    start();
    add_file("caf\xc3\xa9", "latte", 5); /* UTF-8 bytes >= 0x80 */
    add_end();
    expect_found("caf\xc3\xa9", "caf\xc3\xa9", "latte");
}
END_TEST

START_TEST(size_must_fit_in_the_archive)
{
    size_t offset = 0;
    start();
    add_header(NULL, "big", '0', 4096);
    add_data("tiny", 4);
    ck_assert_int_eq(ustar_next(archive, archive_size, &offset, &entry), -EINVAL);

    /* Data ending exactly at the archive's end, padding cut off, is still whole. */
    start();
    add_header(NULL, "exact", '0', 700);
    archive_size += 700;
    offset = 0;
    ck_assert_int_eq(ustar_next(archive, archive_size, &offset, &entry), 1);
    ck_assert_uint_eq(entry.size, 700);
    ck_assert_uint_eq(offset, archive_size);
    ck_assert_int_eq(ustar_next(archive, archive_size, &offset, &entry), 0);
    archive_size -= 1;
    offset = 0;
    ck_assert_int_eq(ustar_next(archive, archive_size, &offset, &entry), -EINVAL);
}
END_TEST

/* Replaces the size field of a one-file archive and reseals it; returns ustar_next's answer. */
static int next_with_size_field(const char *field)
{
    size_t offset = 0;
    start();
    add_file("f", "0123456789", 10);
    add_end();
    memcpy(archive + 124, field, 12);
    seal(0);
    return ustar_next(archive, archive_size, &offset, &entry);
}

START_TEST(size_must_be_octal)
{
    ck_assert_int_eq(next_with_size_field("00000000012"), 1);
    ck_assert_uint_eq(entry.size, 10);
    ck_assert_int_eq(next_with_size_field("     12    "), 1); /* space-padded, as old tars wrote */
    ck_assert_uint_eq(entry.size, 10);
    ck_assert_int_eq(next_with_size_field("00000000009"), -EINVAL);
    ck_assert_int_eq(next_with_size_field("0000000001a"), -EINVAL);
    ck_assert_int_eq(next_with_size_field("-0000000012"), -EINVAL);
    ck_assert_int_eq(next_with_size_field("0000000 012"), -EINVAL);
    ck_assert_int_eq(next_with_size_field("\0\0\0\0\0\0\0\0\0\0\0"), -EINVAL);
    ck_assert_int_eq(next_with_size_field("\x80\0\0\0\0\0\0\0\0\0\0"), -EINVAL); /* base-256 */
}
END_TEST

START_TEST(names_at_the_length_limits)
{
    char name[101], prefix[156], expected[260];
    size_t offset = 0;

    memset(name, 'n', 100);
    name[100] = '\0';
    memset(prefix, 'p', 155);
    prefix[155] = '\0';
    start();
    add_header(NULL, name, '0', 0); /* no NUL: the mode field follows directly */
    add_header("usr/share", name, '0', 0);
    add_header(prefix, name + 1, '0', 0); /* 155 + 1 + 99 = 255 characters: fits */
    add_header(prefix, name, '0', 0);     /* 256 characters: does not */
    add_end();
    ck_assert_int_eq(ustar_next(archive, archive_size, &offset, &entry), 1);
    ck_assert_str_eq(entry.name, name);
    ck_assert_int_eq(ustar_next(archive, archive_size, &offset, &entry), 1);
    ck_assert_str_eq(entry.name, strcat(strcpy(expected, "usr/share/"), name));
    ck_assert_int_eq(ustar_next(archive, archive_size, &offset, &entry), 1);
    ck_assert_uint_eq(strlen(entry.name), 255);
    ck_assert_str_eq(entry.name, strcat(strcat(strcpy(expected, prefix), "/"), name + 1));
    ck_assert_int_eq(ustar_next(archive, archive_size, &offset, &entry), -EINVAL);
}
END_TEST

START_TEST(magic_is_required)
{
    size_t offset = 0;
    build_three_files();
    memset(archive + 257, 0, 8); /* a pre-POSIX (v7) header */
    seal(0);
    ck_assert_int_eq(ustar_next(archive, archive_size, &offset, &entry), -EINVAL);
    build_three_files();
    memcpy(archive + 257, "USTAR", 5);
    seal(0);
    ck_assert_int_eq(ustar_next(archive, archive_size, &offset, &entry), -EINVAL);

    /* GNU's "ustar  \0" is accepted, and its prefix area (atime etc.) is not a prefix. */
    build_three_files();
    memcpy(archive + 257, "ustar  \0", 8);
    memcpy(archive + 345, "14712345670", 12);
    seal(0);
    ck_assert_int_eq(ustar_next(archive, archive_size, &offset, &entry), 1);
    ck_assert_str_eq(entry.name, "bin/init");
}
END_TEST

START_TEST(end_of_archive_rules)
{
    size_t offset = 0;
    ck_assert_int_eq(ustar_next(NULL, 0, &offset, &entry), 0);
    ck_assert_int_eq(ustar_find(NULL, 0, "bin/sh", &entry), -ENOENT);

    start();
    add_end();
    ck_assert_int_eq(ustar_next(archive, archive_size, &offset, &entry), 0);
    ck_assert_int_eq(ustar_next(archive, BLOCK, &offset, &entry), 0); /* lone zero block */
    ck_assert_int_eq(ustar_next(archive, BLOCK + 100, &offset, &entry), 0);

    start();
    memset(archive, 0, BLOCK);
    archive_size = BLOCK;
    add_file("after", "a zero block", 12); /* a zeroed header in mid-archive is damage */
    add_end();
    ck_assert_int_eq(ustar_next(archive, archive_size, &offset, &entry), -EINVAL);
    ck_assert_int_eq(ustar_find(archive, archive_size, "after", &entry), -EINVAL);

    build_three_files(); /* a valid header at a misaligned offset is still refused */
    memmove(archive + 100, archive, archive_size);
    offset = 100;
    ck_assert_int_eq(ustar_next(archive, archive_size + 100, &offset, &entry), -EINVAL);
    build_three_files();
    offset = archive_size + BLOCK;
    ck_assert_int_eq(ustar_next(archive, archive_size, &offset, &entry), -EINVAL);
    offset = 0;
    ck_assert_int_eq(ustar_next(archive, 100, &offset, &entry), -EINVAL); /* half a header */
}
END_TEST

/*
 * Header offsets and sizes of build_three_files(); the fourth "header" is the
 * first zero block of the end marker, which is damage when cut, like any header.
 */
static const size_t header_at[4] = {0, 2 * BLOCK, 4 * BLOCK, 7 * BLOCK};
static const size_t size_of[4] = {5, 512, 700, 0};

/* Index of the block run (header + data) that `length` cuts, or -1 if none is cut. */
static int entry_cut_by(size_t length)
{
    for (int i = 0; i < 4; i++) {
        if (length > header_at[i] && length < header_at[i] + BLOCK + size_of[i])
            return i;
    }
    return -1;
}

static int count_whole_entries(size_t length)
{
    int count = 0;
    for (int i = 0; i < 3; i++)
        count += header_at[i] + BLOCK + size_of[i] <= length;
    return count;
}

START_TEST(every_truncation_fails_cleanly)
{
    build_three_files();
    for (size_t length = 0; length <= archive_size; length++) {
        uint8_t *copy = malloc(length == 0 ? 1 : length);
        size_t offset = 0;
        int count = 0, result;

        ck_assert_ptr_nonnull(copy);
        memcpy(copy, archive, length);
        while ((result = ustar_next(copy, length, &offset, &entry)) == 1 && count < 4) {
            const uint8_t *data = entry.data;
            ck_assert(data >= copy && data + entry.size <= copy + length);
            ck_assert_mem_eq(data, archive + (data - copy), entry.size);
            ck_assert_uint_le(offset, length);
            count++;
        }
        int cut = entry_cut_by(length);
        ck_assert_msg(result == (cut >= 0 ? -EINVAL : 0), "length %zu: result %d", length, result);
        ck_assert_msg(count == (cut >= 0 ? cut : count_whole_entries(length)),
                      "length %zu: %d entries", length, count);
        int found = ustar_find(copy, length, "etc/motd", &entry);
        ck_assert_int_eq(found, count == 3 ? 0 : result == 0 ? -ENOENT : -EINVAL);
        free(copy);
    }
}
END_TEST

static Suite *ustar_suite(void)
{
    Suite *suite = suite_create("ustar");
    TCase *reading = tcase_create("reading");
    TCase *finding = tcase_create("finding");
    TCase *damage = tcase_create("damage");

    tcase_add_test(reading, three_files_come_back_in_order);
    tcase_add_test(reading, directories_have_no_data_blocks);
    tcase_add_test(reading, names_at_the_length_limits);
    tcase_add_test(reading, end_of_archive_rules);
    tcase_add_test(finding, find_ignores_leading_slash_and_dot);
    tcase_add_test(finding, find_matches_only_regular_files);
    tcase_add_test(damage, checksum_is_verified);
    tcase_add_test(damage, checksum_sums_bytes_as_unsigned);
    tcase_add_test(damage, size_must_fit_in_the_archive);
    tcase_add_test(damage, size_must_be_octal);
    tcase_add_test(damage, magic_is_required);
    tcase_add_test(damage, every_truncation_fails_cleanly);
    suite_add_tcase(suite, reading);
    suite_add_tcase(suite, finding);
    suite_add_tcase(suite, damage);
    return suite;
}

int main(void)
{
    SRunner *runner = srunner_create(ustar_suite());
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed == 0 ? 0 : 1;
}
