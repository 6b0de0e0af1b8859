/*
 * test_format.c — host tests for lib/format.c, with the host's snprintf as oracle.
 *
 * Where C defines the output, every format in the tables below is printed by
 * both glibc's snprintf and format_snprintf and the two must agree byte for
 * byte, length included. Where Prism chose for itself (%p, a NULL %s, unknown
 * conversions) the expected text is written out. Truncation tests surround the
 * buffer with guard bytes, so a write past size fails even when ASan cannot see it.
 * Build: see the source list in the report; needs lib/format.c and lib/string.c.
 * OSTEP: library code used throughout (ch. 14 Interlude: Memory API).
 */
#include <check.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "lib/format.h"

#define ARRAY_LENGTH(array) (sizeof(array) / sizeof((array)[0]))
#define OUTPUT_SIZE 256

/* Prints fmt and its arguments with both printers; both text and length must agree. */
#define ASSERT_MATCHES_HOST(fmt, ...)                                                              \
    do {                                                                                           \
        char expected[OUTPUT_SIZE];                                                                \
        char actual[OUTPUT_SIZE];                                                                  \
        int expected_length = snprintf(expected, sizeof expected, fmt, __VA_ARGS__);               \
        int actual_length = format_snprintf(actual, sizeof actual, fmt, __VA_ARGS__);              \
        ck_assert_msg(strcmp(expected, actual) == 0 && expected_length == actual_length,           \
                      "format \"%s\": host \"%s\" (%d), prism \"%s\" (%d)", fmt, expected,         \
                      expected_length, actual, actual_length);                                     \
    } while (0)

/* Asserts that formatting gives exactly the expected text and returns its length. */
#define ASSERT_FORMATS_TO(expected, fmt, ...)                                                      \
    do {                                                                                           \
        char actual[OUTPUT_SIZE];                                                                  \
        int actual_length = format_snprintf(actual, sizeof actual, fmt, __VA_ARGS__);              \
        ck_assert_str_eq(actual, expected);                                                        \
        ck_assert_int_eq(actual_length, (int)strlen(expected));                                    \
    } while (0)

/* No format attribute: lets the tests pass formats gcc would reject (%q, %n). */
static int format_unchecked(char *buf, size_t size, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    int length = format_vsnprintf(buf, size, fmt, args);
    va_end(args);
    return length;
}

static const char *const int_formats[] = {
    "%d",    "%i",    "%u",     "%x",     "%X",     "%o",     "%5d",   "%-5d|",   "%05d",
    "%+d",   "% d",   "%+ d",   "%+05d",  "% 05d",  "%.3d",   "%8.3d", "%-8.3d|", "%08.3d",
    "%.0d",  "%+.0d", "% .0d",  "%5.0d",  "%#x",    "%#X",    "%#o",   "%#08x",   "%-#10x|",
    "%#.0o", "%#.0x", "%#5o",   "%#.5o",  "%.10u",  "%-05d|", "%hhd",  "%hhu",    "%hhx",
    "%hd",   "%hu",   "%hx",    "%ho",    "%12i",   "%012X",  "%+u",   "[%3d]",   "%#-8o|",
    "%1d",   "%40d|", "%-40x|", "%+.12i", "%#10.4x"};
static const int int_values[] = {
    0,   1,   -1,   7,    8,     9,     10,     42,        -42,        127,    128,     -128,
    255, 256, -129, 4095, 65535, 65536, -32768, 123456789, -987654321, 0xbeef, INT_MAX, INT_MIN};

START_TEST(test_int_conversions_match_host)
{
    for (size_t f = 0; f < ARRAY_LENGTH(int_formats); f++) {
        for (size_t v = 0; v < ARRAY_LENGTH(int_values); v++)
            ASSERT_MATCHES_HOST(int_formats[f], int_values[v]);
    }
}
END_TEST

static const char *const long_formats[] = {
    "%ld",  "%li",   "%lu",     "%lx",    "%lX",    "%lo",     "%#lx",    "%+ld",
    "% ld", "%25ld", "%-25ld|", "%025ld", "%.20ld", "%+.20ld", "%#.20lx", "%#030lo"};
static const long long_values[] = {0,
                                   1,
                                   -1,
                                   LONG_MAX,
                                   LONG_MIN,
                                   -LONG_MAX,
                                   -0x100000000L,
                                   4294967296L,
                                   4294967295L,
                                   0x123456789abcdef0L};

START_TEST(test_long_conversions_match_host)
{
    for (size_t f = 0; f < ARRAY_LENGTH(long_formats); f++) {
        for (size_t v = 0; v < ARRAY_LENGTH(long_values); v++)
            ASSERT_MATCHES_HOST(long_formats[f], long_values[v]);
    }
}
END_TEST

static const char *const long_long_formats[] = {"%lld", "%lli",  "%llu",  "%llx",     "%llX",
                                                "%llo", "%#llo", "%+lld", "%-22lld|", "%022lld"};
static const long long long_long_values[] = {INT64_MIN, INT64_MAX,       -1,
                                             0,         1000000000000LL, -1000000000000LL};

START_TEST(test_long_long_conversions_match_host)
{
    for (size_t f = 0; f < ARRAY_LENGTH(long_long_formats); f++) {
        for (size_t v = 0; v < ARRAY_LENGTH(long_long_values); v++)
            ASSERT_MATCHES_HOST(long_long_formats[f], long_long_values[v]);
    }
}
END_TEST

/* z, t and j each read a 64-bit argument; reading 32 bits would lose the top half. */
START_TEST(test_size_ptrdiff_intmax_match_host)
{
    ASSERT_MATCHES_HOST("%zu %zx %d", SIZE_MAX, (size_t)0xabc, 7);
    ASSERT_MATCHES_HOST("%zd %zd %d", (size_t)-1, (size_t)-5000000000, 7); /* needs 64 bits */
    ASSERT_MATCHES_HOST("%td %tu %d", PTRDIFF_MIN, (ptrdiff_t)-2, 7);
    ASSERT_MATCHES_HOST("%jd %ju %jx %d", INTMAX_MIN, UINTMAX_MAX, (uintmax_t)0xfeed, 7);
    const char *narrowing = "%hhd %hd %d";         /* a variable: clang warns on int for %hhd */
    ASSERT_MATCHES_HOST(narrowing, 300, 70000, 7); /* int narrowed to signed char, short */
}
END_TEST

static const char *const string_formats[] = {"%s",       "%10s", "%-10s|", "%.3s", "%10.3s",
                                             "%-10.3s|", "%.0s", "%.20s",  "%1s",  "[%s]"};
static const char *const string_values[] = {"", "a", "hello", "hello, world", "tab\there"};

START_TEST(test_strings_and_chars_match_host)
{
    for (size_t f = 0; f < ARRAY_LENGTH(string_formats); f++) {
        for (size_t v = 0; v < ARRAY_LENGTH(string_values); v++)
            ASSERT_MATCHES_HOST(string_formats[f], string_values[v]);
    }
    static const char *const char_formats[] = {"%c", "%3c", "%-3c|", "[%c]"};
    static const int char_values[] = {'a', 'Z', ' ', '~', '\n', 0x7f, 0xe9};
    for (size_t f = 0; f < ARRAY_LENGTH(char_formats); f++) {
        for (size_t v = 0; v < ARRAY_LENGTH(char_values); v++)
            ASSERT_MATCHES_HOST(char_formats[f], char_values[v]);
    }
}
END_TEST

START_TEST(test_star_width_and_precision_match_host)
{
    ASSERT_MATCHES_HOST("%*d|", 6, 42);
    ASSERT_MATCHES_HOST("%-*d|", 6, 42);
    ASSERT_MATCHES_HOST("%*d|", -6, 42); /* negative width: left justify */
    ASSERT_MATCHES_HOST("%.*d", 5, 42);
    ASSERT_MATCHES_HOST("%.*d", -1, 42);                    /* negative precision: as if none */
    const char *zero_pad_unless_precision = "%05.*d";       /* a variable: gcc would warn on '0' */
    ASSERT_MATCHES_HOST(zero_pad_unless_precision, -1, 42); /* no precision, so '0' applies */
    ASSERT_MATCHES_HOST(zero_pad_unless_precision, 3, 42);
    ASSERT_MATCHES_HOST("%*.*d|", 8, 3, -7);
    ASSERT_MATCHES_HOST("%.*s|", 3, "abcdef");
    ASSERT_MATCHES_HOST("%*s|", -8, "ab");
    ASSERT_MATCHES_HOST("%0*d", 5, -3);
    ASSERT_MATCHES_HOST("[%.*d]", 0, 0);
    ASSERT_MATCHES_HOST("%*d %s", 4, 1, "after"); /* later arguments still line up */
}
END_TEST

START_TEST(test_mixed_line_matches_host)
{
    int local = 0;
    ASSERT_MATCHES_HOST("pid %d (%s) state %c ticks %lu at %p, %u%%", 12, "cpu", 'R', 123456UL,
                        (void *)&local, 99u);
    ASSERT_MATCHES_HOST("%p|%20p|%-20p|", (void *)0xffffffff80100000, (void *)0x1,
                        (void *)0x400000);
}
END_TEST

START_TEST(test_pointer_is_0x_then_hex)
{
    ASSERT_FORMATS_TO("0xffffffff80100000", "%p", (void *)0xffffffff80100000);
    ASSERT_FORMATS_TO("0x0", "%p", (void *)NULL);
    ASSERT_FORMATS_TO("0xff  |", "%-6p|", (void *)0xff);
}
END_TEST

START_TEST(test_null_string_prints_null)
{
    /* format_unchecked: at -O2 gcc rejects a NULL %s argument it can see. */
    char buf[OUTPUT_SIZE];
    ck_assert_int_eq(format_unchecked(buf, sizeof buf, "%s", (const char *)NULL), 6);
    ck_assert_str_eq(buf, "(null)");
    ck_assert_int_eq(format_unchecked(buf, sizeof buf, "%.3s", (const char *)NULL), 3);
    ck_assert_str_eq(buf, "(nu");
    ck_assert_int_eq(format_unchecked(buf, sizeof buf, "%8s|", (const char *)NULL), 9);
    ck_assert_str_eq(buf, "  (null)|");
}
END_TEST

START_TEST(test_extreme_integers)
{
    ASSERT_FORMATS_TO("-9223372036854775808", "%lld", (long long)INT64_MIN);
    ASSERT_FORMATS_TO("-9223372036854775808", "%ld", LONG_MIN);
    ASSERT_FORMATS_TO("-9223372036854775808", "%jd", INTMAX_MIN);
    ASSERT_FORMATS_TO("-2147483648", "%d", INT_MIN);
    ASSERT_FORMATS_TO("+9223372036854775807", "%+lld", (long long)INT64_MAX);
    ASSERT_FORMATS_TO("18446744073709551615", "%llu", (unsigned long long)UINT64_MAX);
    ASSERT_FORMATS_TO("ffffffffffffffff", "%llx", (unsigned long long)UINT64_MAX);
    /* The longest digit string there is: 22 octal digits, 23 with '#'. */
    ASSERT_FORMATS_TO("1777777777777777777777", "%llo", (unsigned long long)UINT64_MAX);
    ASSERT_FORMATS_TO("01777777777777777777777", "%#llo", (unsigned long long)UINT64_MAX);
}
END_TEST

START_TEST(test_unknown_conversion_printed_as_written)
{
    char buf[OUTPUT_SIZE];
    ck_assert_int_eq(format_unchecked(buf, sizeof buf, "%q"), 2);
    ck_assert_str_eq(buf, "%q");
    ck_assert_int_eq(format_unchecked(buf, sizeof buf, "a%-08.3lqb"), 10);
    ck_assert_str_eq(buf, "a%-08.3lqb");
    /* An unknown conversion consumes no argument: 7 still reaches the %d. */
    ck_assert_int_eq(format_unchecked(buf, sizeof buf, "%f %n %d", 7), 7);
    ck_assert_str_eq(buf, "%f %n 7");
    ck_assert_int_eq(format_unchecked(buf, sizeof buf, "50%"), 3);
    ck_assert_str_eq(buf, "50%");
    ck_assert_int_eq(format_unchecked(buf, sizeof buf, "x%-5l"), 5);
    ck_assert_str_eq(buf, "x%-5l");
    ck_assert_int_eq(format_unchecked(buf, sizeof buf, "100%% %%d"), 7);
    ck_assert_str_eq(buf, "100% %d");
}
END_TEST

/* A buffer of 'X' guard bytes; format into its first size bytes only. */
#define GUARDED_SIZE 32

static void assert_guard_intact(const char *buffer, size_t from)
{
    for (size_t i = from; i < GUARDED_SIZE; i++)
        ck_assert_msg(buffer[i] == 'X', "byte %zu past size was overwritten", i);
}

START_TEST(test_truncation_keeps_size_and_returns_full_length)
{
    char buffer[GUARDED_SIZE];
    static const struct {
        size_t size;
        const char *stored;
    } cases[] = {{12, "hello world"}, {11, "hello worl"}, {6, "hello"}, {2, "h"}, {1, ""}};
    for (size_t i = 0; i < ARRAY_LENGTH(cases); i++) {
        memset(buffer, 'X', sizeof buffer);
        ck_assert_int_eq(format_snprintf(buffer, cases[i].size, "%s world", "hello"), 11);
        ck_assert_str_eq(buffer, cases[i].stored);
        assert_guard_intact(buffer, cases[i].size);
    }
    memset(buffer, 'X', sizeof buffer);
    ck_assert_int_eq(format_snprintf(buffer, 4, "%d", -12345), 6); /* cut inside a number */
    ck_assert_str_eq(buffer, "-12");
    assert_guard_intact(buffer, 4);
    ck_assert_int_eq(format_snprintf(buffer, 8, "%100d", 5), 100); /* counts past the end */
    assert_guard_intact(buffer, 8);
}
END_TEST

START_TEST(test_size_zero_writes_nothing)
{
    char buffer[GUARDED_SIZE];
    memset(buffer, 'X', sizeof buffer);
    ck_assert_int_eq(format_snprintf(buffer, 0, "%s=%d", "answer", 42), 9);
    assert_guard_intact(buffer, 0);
    ck_assert_int_eq(format_snprintf(NULL, 0, "%s=%d", "answer", 42), 9);
}
END_TEST

/* Records what format_emit hands out, to check the callback contract directly. */
struct collected_output {
    char text[OUTPUT_SIZE];
    int calls;
};

static void collect_char(char c, void *context)
{
    struct collected_output *collected = context;
    collected->text[collected->calls++] = c;
}

static int emit_to_collector(struct collected_output *collected, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    int count = format_emit(collect_char, collected, fmt, args);
    va_end(args);
    return count;
}

START_TEST(test_emit_calls_once_per_character)
{
    struct collected_output collected = {.calls = 0};
    int count = emit_to_collector(&collected, "[%5s|%-3d|%c]", "ab", 7, 'z');
    ck_assert_int_eq(count, 13);
    ck_assert_int_eq(collected.calls, 13); /* no terminating NUL is emitted */
    ck_assert(memcmp(collected.text, "[   ab|7  |z]", 13) == 0);
}
END_TEST

START_TEST(test_char_zero_is_a_character)
{
    char buffer[8];
    ck_assert_int_eq(format_snprintf(buffer, sizeof buffer, "a%cb", 0), 3);
    ck_assert(memcmp(buffer, "a\0b", 4) == 0);
}
END_TEST

static Suite *format_suite(void)
{
    Suite *suite = suite_create("format");
    TCase *host = tcase_create("matches host snprintf");
    tcase_add_test(host, test_int_conversions_match_host);
    tcase_add_test(host, test_long_conversions_match_host);
    tcase_add_test(host, test_long_long_conversions_match_host);
    tcase_add_test(host, test_size_ptrdiff_intmax_match_host);
    tcase_add_test(host, test_strings_and_chars_match_host);
    tcase_add_test(host, test_star_width_and_precision_match_host);
    tcase_add_test(host, test_mixed_line_matches_host);
    suite_add_tcase(suite, host);
    TCase *prism = tcase_create("prism's own choices");
    tcase_add_test(prism, test_pointer_is_0x_then_hex);
    tcase_add_test(prism, test_null_string_prints_null);
    tcase_add_test(prism, test_extreme_integers);
    tcase_add_test(prism, test_unknown_conversion_printed_as_written);
    suite_add_tcase(suite, prism);
    TCase *bounds = tcase_create("buffers and callbacks");
    tcase_add_test(bounds, test_truncation_keeps_size_and_returns_full_length);
    tcase_add_test(bounds, test_size_zero_writes_nothing);
    tcase_add_test(bounds, test_emit_calls_once_per_character);
    tcase_add_test(bounds, test_char_zero_is_a_character);
    suite_add_tcase(suite, bounds);
    return suite;
}

int main(void)
{
    SRunner *runner = srunner_create(format_suite());
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed == 0 ? 0 : 1;
}
