/*
 * test_string.c — host tests for lib/string.c and lib/ctype.h.
 *
 * Under PRISM_HOST, lib/string.h renames memcpy, strcmp, ... to prism_memcpy,
 * prism_strcmp, ..., so every call below reaches Prism's code, not glibc's.
 * That renaming also reaches Check's ck_assert_str_eq (it calls strcmp), so
 * results are compared with same_text(), a loop of this file's own, rather
 * than with the code under test. Buffers carry guard bytes and ASan watches
 * the rest, so a routine that touches one byte too many fails here.
 * OSTEP: library code used throughout (ch. 14 Interlude: Memory API).
 */
#include <check.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "lib/ctype.h"
#include "lib/string.h"

#define ARRAY_LENGTH(array) (sizeof(array) / sizeof((array)[0]))

/* Independent of lib/string.c: the oracle the tests trust. */
static bool same_bytes(const void *left, const void *right, size_t n)
{
    const unsigned char *a = left;
    const unsigned char *b = right;
    for (size_t i = 0; i < n; i++) {
        if (a[i] != b[i])
            return false;
    }
    return true;
}

static bool same_text(const char *left, const char *right)
{
    size_t i = 0;
    for (; left[i] != '\0' && left[i] == right[i]; i++)
        continue;
    return left[i] == right[i];
}

#define ASSERT_TEXT(actual, expected)                                                              \
    ck_assert_msg(same_text(actual, expected), "got \"%s\", expected \"%s\"", actual, expected)

START_TEST(test_memcpy_copies_exactly_n_bytes)
{
    /* Lengths and offsets cover the byte head, the 8-byte words and the byte tail. */
    unsigned char source[64];
    unsigned char destination[80];
    for (size_t i = 0; i < sizeof source; i++)
        source[i] = (unsigned char)(i * 7 + 1);
    for (size_t offset = 0; offset < 9; offset++) {
        for (size_t length = 0; length <= 40; length++) {
            for (size_t i = 0; i < sizeof destination; i++)
                destination[i] = 0xAA;
            ck_assert_ptr_eq(memcpy(destination + offset, source + 3, length),
                             destination + offset);
            ck_assert(same_bytes(destination + offset, source + 3, length));
            for (size_t i = 0; i < sizeof destination; i++) {
                if (i < offset || i >= offset + length)
                    ck_assert_msg(destination[i] == 0xAA, "offset %zu length %zu byte %zu", offset,
                                  length, i);
            }
        }
    }
}
END_TEST

/* Moves buffer[from .. from+length) to buffer[to ..) and checks against a naive copy. */
static void check_memmove(size_t to, size_t from, size_t length)
{
    unsigned char buffer[96];
    unsigned char expected[96];
    for (size_t i = 0; i < sizeof buffer; i++)
        buffer[i] = expected[i] = (unsigned char)(i + 1);
    for (size_t i = 0; i < length; i++)
        expected[to + i] = (unsigned char)(from + i + 1); /* what buffer held before the move */
    ck_assert_ptr_eq(memmove(buffer + to, buffer + from, length), buffer + to);
    ck_assert_msg(same_bytes(buffer, expected, sizeof buffer), "memmove to %zu from %zu len %zu",
                  to, from, length);
}

START_TEST(test_memmove_handles_overlap_both_ways)
{
    check_memmove(10, 0, 50); /* destination above source: must copy from the top */
    check_memmove(0, 10, 50); /* destination below source: must copy from the bottom */
    check_memmove(3, 3, 20);  /* onto itself */
    check_memmove(50, 0, 30); /* no overlap */
    /* Every alignment, shifts that do (8, 16) and do not (1, 3) allow word copies. */
    static const size_t shifts[] = {1, 3, 8, 16};
    for (size_t s = 0; s < ARRAY_LENGTH(shifts); s++) {
        for (size_t start = 0; start < 9; start++) {
            for (size_t length = 0; length <= 40; length++) {
                check_memmove(start + shifts[s], start, length);
                check_memmove(start, start + shifts[s], length);
            }
        }
    }
}
END_TEST

START_TEST(test_memset_fills_with_the_low_byte)
{
    unsigned char buffer[48];
    for (size_t offset = 0; offset < 9; offset++) {
        for (size_t i = 0; i < sizeof buffer; i++)
            buffer[i] = 0;
        ck_assert_ptr_eq(memset(buffer + offset, 0x1AB, 30), buffer + offset);
        for (size_t i = 0; i < sizeof buffer; i++) {
            unsigned char expected = (i >= offset && i < offset + 30) ? 0xAB : 0;
            ck_assert_msg(buffer[i] == expected, "offset %zu byte %zu", offset, i);
        }
    }
}
END_TEST

/* Lengths up to and past several whole blocks (64 bytes in the kernel, 256
 * with SSE: lib/string.c), every offset within 16, overlap in both
 * directions: the block path, its tail and its boundary. */
START_TEST(test_block_copies_fills_and_moves)
{
    enum { SPAN = 1400 };
    static unsigned char source[SPAN], buffer[SPAN], expected[SPAN];
    for (size_t i = 0; i < SPAN; i++)
        source[i] = (unsigned char)(i * 13 + 5);
    static const size_t lengths[] = {63, 64, 65, 127, 128, 255, 256, 257, 511, 512, 600, 1000};
    static const size_t shifts[] = {1, 8, 16, 100, 255, 256, 300};
    for (size_t l = 0; l < ARRAY_LENGTH(lengths); l++) {
        size_t length = lengths[l];
        for (size_t offset = 0; offset < 17; offset++) {
            for (size_t i = 0; i < SPAN; i++)
                buffer[i] = expected[i] = 0xAA;
            for (size_t i = 0; i < length; i++)
                expected[offset + i] = source[(offset * 3 + i) % SPAN];
            memcpy(buffer + offset, source + offset * 3, length);
            ck_assert_msg(same_bytes(buffer, expected, SPAN), "memcpy len %zu off %zu", length,
                          offset);
            for (size_t i = 0; i < length; i++)
                expected[offset + i] = 0x5C;
            memset(buffer + offset, 0x5C, length);
            ck_assert_msg(same_bytes(buffer, expected, SPAN), "memset len %zu off %zu", length,
                          offset);
        }
        for (size_t s = 0; s < ARRAY_LENGTH(shifts); s++) {
            for (size_t i = 0; i < SPAN; i++)
                buffer[i] = expected[i] = source[i];
            for (size_t i = 0; i < length; i++)
                expected[i] = source[shifts[s] + i]; /* down: destination below source */
            memmove(buffer, buffer + shifts[s], length);
            ck_assert_msg(same_bytes(buffer, expected, SPAN), "memmove down len %zu by %zu", length,
                          shifts[s]);
            for (size_t i = 0; i < SPAN; i++)
                buffer[i] = expected[i] = source[i];
            for (size_t i = 0; i < length; i++)
                expected[shifts[s] + i] = source[i]; /* up: destination above source */
            memmove(buffer + shifts[s], buffer, length);
            ck_assert_msg(same_bytes(buffer, expected, SPAN), "memmove up len %zu by %zu", length,
                          shifts[s]);
        }
    }
}
END_TEST

START_TEST(test_memcmp_compares_unsigned_within_n)
{
    ck_assert_int_eq(memcmp("abc", "abd", 2), 0);
    ck_assert_int_lt(memcmp("abc", "abd", 3), 0);
    ck_assert_int_gt(memcmp("\x80", "\x01", 1), 0); /* 0x80 is 128, not -128 */
    ck_assert_int_eq(memcmp("x", "y", 0), 0);
    ck_assert_int_eq(memcmp("a\0b", "a\0c", 2), 0); /* NUL is just a byte */
    ck_assert_int_lt(memcmp("a\0b", "a\0c", 3), 0);
}
END_TEST

START_TEST(test_memchr_finds_first_within_n)
{
    const char text[] = "banana\0x";
    ck_assert_ptr_eq(memchr(text, 'a', 6), text + 1);
    ck_assert_ptr_eq(memchr(text, 'x', 8), text + 7); /* searches past a NUL */
    ck_assert_ptr_null(memchr(text, 'x', 7));
    ck_assert_ptr_eq(memchr(text, 0x100 + 'n', 6), text + 2); /* value is cut to a byte */
    ck_assert_ptr_null(memchr(text, 'b', 0));
}
END_TEST

START_TEST(test_string_lengths)
{
    ck_assert_uint_eq(strlen(""), 0);
    ck_assert_uint_eq(strlen("prism"), 5);
    ck_assert_uint_eq(strlen("ab\0cd"), 2);
    char unterminated[4] = {'a', 'b', 'c', 'd'}; /* ASan fails any read past it */
    ck_assert_uint_eq(strnlen(unterminated, 4), 4);
    ck_assert_uint_eq(strnlen(unterminated, 2), 2);
    ck_assert_uint_eq(strnlen("ab", 10), 2);
    ck_assert_uint_eq(strnlen("ab", 0), 0);
}
END_TEST

START_TEST(test_string_comparisons)
{
    ck_assert_int_eq(strcmp("sched", "sched"), 0);
    ck_assert_int_lt(strcmp("abc", "abcd"), 0); /* a prefix sorts first */
    ck_assert_int_gt(strcmp("abd", "abc"), 0);
    ck_assert_int_gt(strcmp("\xe9", "z"), 0); /* bytes compare as unsigned */
    ck_assert_int_eq(strcmp("", ""), 0);
    ck_assert_int_eq(strncmp("mlfq", "mlfx", 3), 0);
    ck_assert_int_lt(strncmp("mlfq", "mlfx", 4), 0);
    ck_assert_int_eq(strncmp("ab", "ab", 100), 0); /* stops at the NUL, not at n */
    ck_assert_int_eq(strncmp("a", "b", 0), 0);
    ck_assert_int_eq(strncmp("a\0x", "a\0y", 3), 0); /* nothing after a NUL counts */
}
END_TEST

START_TEST(test_strchr_and_strrchr)
{
    const char *path = "/bin/sh";
    ck_assert_ptr_eq(strchr(path, '/'), path);
    ck_assert_ptr_eq(strrchr(path, '/'), path + 4);
    ck_assert_ptr_eq(strchr(path, '\0'), path + 7); /* the terminator is findable */
    ck_assert_ptr_eq(strrchr(path, '\0'), path + 7);
    ck_assert_ptr_null(strchr(path, 'x'));
    ck_assert_ptr_null(strrchr(path, 'x'));
    const char *accented = "caf\xe9";
    ck_assert_ptr_eq(strchr(accented, 0xe9), accented + 3); /* int 0xe9 matches char 0xe9 */
}
END_TEST

START_TEST(test_copies_and_concatenation)
{
    char buffer[16];
    ck_assert_ptr_eq(strcpy(buffer, "init"), buffer);
    ASSERT_TEXT(buffer, "init");
    ck_assert_ptr_eq(strcat(buffer, " sh"), buffer);
    ASSERT_TEXT(buffer, "init sh");
    ck_assert_ptr_eq(strcat(buffer, ""), buffer);
    ASSERT_TEXT(buffer, "init sh");

    char padded[8] = {'X', 'X', 'X', 'X', 'X', 'X', 'X', 'X'};
    ck_assert_ptr_eq(strncpy(padded, "ab", 6), padded);
    ck_assert(same_bytes(padded, "ab\0\0\0\0XX", 8)); /* pads with NULs up to n, no further */
    ck_assert_ptr_eq(strncpy(padded, "abcdefgh", 4), padded);
    ck_assert(same_bytes(padded, "abcd\0\0XX", 8)); /* too long: no terminator written */
}
END_TEST

START_TEST(test_strlcpy_truncates_and_reports_length)
{
    char buffer[8] = {'X', 'X', 'X', 'X', 'X', 'X', 'X', 'X'};
    ck_assert_uint_eq(strlcpy(buffer, "abc", 8), 3);
    ASSERT_TEXT(buffer, "abc");
    ck_assert_uint_eq(strlcpy(buffer, "abcdefghij", 8), 10); /* >= size: truncated */
    ASSERT_TEXT(buffer, "abcdefg");
    ck_assert_uint_eq(strlcpy(buffer, "abcdefgh", 8), 8); /* one too many for the NUL */
    ASSERT_TEXT(buffer, "abcdefg");
    buffer[0] = 'X';
    ck_assert_uint_eq(strlcpy(buffer, "zz", 0), 2); /* size 0 writes nothing */
    ck_assert_int_eq(buffer[0], 'X');
    ck_assert_uint_eq(strlcpy(buffer, "zz", 1), 2);
    ck_assert_int_eq(buffer[0], '\0');
}
END_TEST

START_TEST(test_strstr_finds_first_occurrence)
{
    const char *text = "aaab aab ab";
    ck_assert_ptr_eq(strstr(text, "aab"), text + 1); /* after a false start at 0 */
    ck_assert_ptr_eq(strstr(text, "ab "), text + 2);
    ck_assert_ptr_eq(strstr(text, " ab"), text + 8);
    ck_assert_ptr_eq(strstr(text, "b"), text + 3);
    ck_assert_ptr_eq(strstr(text, ""), text);
    ck_assert_ptr_null(strstr(text, "abc"));
    ck_assert_ptr_null(strstr("ab", "abc")); /* needle longer than haystack */
    ck_assert_ptr_null(strstr("", "a"));
    const char *empty = "";
    ck_assert_ptr_eq(strstr(empty, ""), empty);
}
END_TEST

struct strtol_case {
    const char *text;
    int base;
    long value;
    size_t consumed; /* where *end must point, as an offset into text */
};

static const struct strtol_case strtol_cases[] = {
    {"42", 10, 42, 2},
    {"  -17xyz", 10, -17, 5},
    {"\t\n+5", 10, 5, 4},
    {"0x1F", 16, 31, 4},
    {"1f", 16, 31, 2},
    {"0x1f", 0, 31, 4},
    {"0X1F", 0, 31, 4},
    {"017", 0, 15, 3},
    {"019", 0, 1, 2}, /* octal stops at the 9 */
    {"17", 0, 17, 2},
    {"0", 0, 0, 1},
    {"-0x10", 0, -16, 5},
    {"0x", 0, 0, 1},   /* "0x" with no hex digit is 0, then text "x" */
    {"0xg", 16, 0, 1}, /* the same with an explicit base */
    {"0x1f", 10, 0, 1},
    {"777", 8, 511, 3},
    {"8", 8, 0, 0},
    {"101", 2, 5, 3},
    {"zZ", 36, 1295, 2},
    {"", 10, 0, 0},
    {"   ", 10, 0, 0}, /* no digits: end is text itself, not past the spaces */
    {"-", 10, 0, 0},
    {"+ 5", 10, 0, 0},
    {"12", 1, 0, 0}, /* invalid bases */
    {"12", 37, 0, 0},
    {"12", -1, 0, 0},
    {"9223372036854775807", 10, LONG_MAX, 19},
    {"9223372036854775808", 10, LONG_MAX, 19}, /* clamps; end is still past all digits */
    {"99999999999999999999999", 10, LONG_MAX, 23},
    {"-9223372036854775808", 10, LONG_MIN, 20},
    {"-9223372036854775809", 10, LONG_MIN, 20},
    {"-99999999999999999999999x", 10, LONG_MIN, 24},
    {"0x7fffffffffffffff", 0, LONG_MAX, 18},
    {"0xffffffffffffffff", 0, LONG_MAX, 18},
};

START_TEST(test_strtol_table)
{
    for (size_t i = 0; i < ARRAY_LENGTH(strtol_cases); i++) {
        const struct strtol_case *c = &strtol_cases[i];
        char *end = NULL;
        long value = strtol(c->text, &end, c->base);
        ck_assert_msg(value == c->value, "strtol(\"%s\", %d) = %ld, expected %ld", c->text, c->base,
                      value, c->value);
        ck_assert_msg(end == c->text + c->consumed, "strtol(\"%s\", %d) consumed %td, expected %zu",
                      c->text, c->base, end - c->text, c->consumed);
    }
    ck_assert_int_eq(strtol("123", NULL, 10), 123); /* end may be NULL */
}
END_TEST

START_TEST(test_strtoul_wraps_sign_and_clamps)
{
    char *end = NULL;
    ck_assert_uint_eq(strtoul("18446744073709551615", &end, 10), ULONG_MAX);
    ck_assert_int_eq(*end, '\0');
    ck_assert_uint_eq(strtoul("18446744073709551616", &end, 10), ULONG_MAX);
    ck_assert_int_eq(*end, '\0');
    ck_assert_uint_eq(strtoul("-1", &end, 10), ULONG_MAX); /* C negates in unsigned */
    ck_assert_uint_eq(strtoul("-2", NULL, 10), ULONG_MAX - 1);
    ck_assert_uint_eq(strtoul("0xffffffffffffffff", NULL, 0), ULONG_MAX);
    ck_assert_uint_eq(strtoul("0x8000000000000000", NULL, 0), 0x8000000000000000UL);
    ck_assert_uint_eq(strtoul(" 0755", NULL, 0), 0755);
    const char *none = "x1";
    ck_assert_uint_eq(strtoul(none, &end, 16), 0);
    ck_assert_ptr_eq(end, none);
}
END_TEST

START_TEST(test_atoi)
{
    ck_assert_int_eq(atoi("  -123abc"), -123);
    ck_assert_int_eq(atoi("2147483647"), INT_MAX);
    ck_assert_int_eq(atoi("abc"), 0);
    ck_assert_int_eq(atoi("010"), 10); /* always decimal, unlike base 0 */
}
END_TEST

/* Member of set, by this file's own loop; c == 0 is in no set. */
static bool in_set(int c, const char *set)
{
    for (; *set != '\0'; set++) {
        if ((unsigned char)*set == c)
            return true;
    }
    return false;
}

#define UPPER "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
#define LOWER "abcdefghijklmnopqrstuvwxyz"
#define DIGITS "0123456789"

START_TEST(test_ctype_classes_over_all_bytes)
{
    for (int c = -1; c < 256; c++) { /* -1 is EOF */
        ck_assert_msg(!!isdigit(c) == in_set(c, DIGITS), "isdigit(%d)", c);
        ck_assert_msg(!!isxdigit(c) == in_set(c, DIGITS "abcdefABCDEF"), "isxdigit(%d)", c);
        ck_assert_msg(!!isupper(c) == in_set(c, UPPER), "isupper(%d)", c);
        ck_assert_msg(!!islower(c) == in_set(c, LOWER), "islower(%d)", c);
        ck_assert_msg(!!isalpha(c) == in_set(c, UPPER LOWER), "isalpha(%d)", c);
        ck_assert_msg(!!isalnum(c) == in_set(c, UPPER LOWER DIGITS), "isalnum(%d)", c);
        ck_assert_msg(!!isspace(c) == in_set(c, " \t\n\v\f\r"), "isspace(%d)", c);
        ck_assert_msg(!!isprint(c) == (c >= 0x20 && c < 0x7f), "isprint(%d)", c);
    }
    ck_assert(!isalpha((char)0xe9)); /* a negative plain char is safe and in no class */
}
END_TEST

START_TEST(test_ctype_case_mapping)
{
    for (int c = -1; c < 256; c++) {
        int upper = in_set(c, LOWER) ? UPPER[c - 'a'] : c;
        int lower = in_set(c, UPPER) ? LOWER[c - 'A'] : c;
        ck_assert_msg(toupper(c) == upper, "toupper(%d) = %d", c, toupper(c));
        ck_assert_msg(tolower(c) == lower, "tolower(%d) = %d", c, tolower(c));
    }
}
END_TEST

static Suite *string_suite(void)
{
    Suite *suite = suite_create("string");
    TCase *memory = tcase_create("memory");
    tcase_add_test(memory, test_memcpy_copies_exactly_n_bytes);
    tcase_add_test(memory, test_memmove_handles_overlap_both_ways);
    tcase_add_test(memory, test_memset_fills_with_the_low_byte);
    tcase_add_test(memory, test_block_copies_fills_and_moves);
    tcase_add_test(memory, test_memcmp_compares_unsigned_within_n);
    tcase_add_test(memory, test_memchr_finds_first_within_n);
    suite_add_tcase(suite, memory);
    TCase *strings = tcase_create("strings");
    tcase_add_test(strings, test_string_lengths);
    tcase_add_test(strings, test_string_comparisons);
    tcase_add_test(strings, test_strchr_and_strrchr);
    tcase_add_test(strings, test_copies_and_concatenation);
    tcase_add_test(strings, test_strlcpy_truncates_and_reports_length);
    tcase_add_test(strings, test_strstr_finds_first_occurrence);
    suite_add_tcase(suite, strings);
    TCase *numbers = tcase_create("numbers");
    tcase_add_test(numbers, test_strtol_table);
    tcase_add_test(numbers, test_strtoul_wraps_sign_and_clamps);
    tcase_add_test(numbers, test_atoi);
    suite_add_tcase(suite, numbers);
    TCase *ctype = tcase_create("ctype");
    tcase_add_test(ctype, test_ctype_classes_over_all_bytes);
    tcase_add_test(ctype, test_ctype_case_mapping);
    suite_add_tcase(suite, ctype);
    return suite;
}

int main(void)
{
    SRunner *runner = srunner_create(string_suite());
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed == 0 ? 0 : 1;
}
