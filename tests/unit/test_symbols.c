/*
 * test_symbols.c — host tests for kernel/symbols.c (backtrace name lookup).
 *
 * The test supplies the table the build would generate with tools/mksymtab,
 * then probes every edge of the search: before the first symbol, exact hits,
 * the last byte of a function, end-of-text markers, long gaps, and a
 * comparison against a plain linear scan over many addresses.
 * OSTEP ch. 6 (reading a kernel trap report).
 */
#include <check.h>
#include <stdint.h>

#include "kernel/symbols.h"

#define TEXT 0xffffffff80100000ULL

/* Shaped like mksymtab's output: sorted, one name per address, end marker. */
const struct kernel_symbol kernel_symbols[] = {
    {TEXT + 0x000, "_start_64"},      /* 0x40 bytes */
    {TEXT + 0x040, "kmain"},          /* 0xc0 bytes */
    {TEXT + 0x100, "panic"},          /* 0x80 bytes */
    {TEXT + 0x180, "context_switch"}, /* 0x80 bytes */
    {TEXT + 0x200, NULL},             /* __text_end */
};
const size_t kernel_symbol_count = sizeof(kernel_symbols) / sizeof(kernel_symbols[0]);

static const uint64_t untouched = 0xdeadbeef;

START_TEST(address_before_the_first_symbol_has_no_name)
{
    uint64_t offset = untouched;
    ck_assert_ptr_null(symbols_lookup(TEXT - 1, &offset));
    ck_assert_ptr_null(symbols_lookup(0, &offset));
    ck_assert_uint_eq(offset, untouched);
}
END_TEST

START_TEST(exact_hit_has_offset_zero)
{
    uint64_t offset = untouched;
    ck_assert_str_eq(symbols_lookup(TEXT, &offset), "_start_64");
    ck_assert_uint_eq(offset, 0);
    ck_assert_str_eq(symbols_lookup(TEXT + 0x100, &offset), "panic");
    ck_assert_uint_eq(offset, 0);
    ck_assert_str_eq(symbols_lookup(TEXT + 0x180, &offset), "context_switch");
    ck_assert_uint_eq(offset, 0);
}
END_TEST

START_TEST(address_between_symbols_names_the_lower_one)
{
    uint64_t offset = untouched;
    ck_assert_str_eq(symbols_lookup(TEXT + 0x50, &offset), "kmain");
    ck_assert_uint_eq(offset, 0x10);
    ck_assert_str_eq(symbols_lookup(TEXT + 0xff, &offset), "kmain"); /* last byte */
    ck_assert_uint_eq(offset, 0xbf);
    ck_assert_str_eq(symbols_lookup(TEXT + 0x1ff, &offset), "context_switch");
    ck_assert_uint_eq(offset, 0x7f);
    ck_assert_str_eq(symbols_lookup(TEXT + 0x3f, NULL), "_start_64"); /* offset optional */
}
END_TEST

START_TEST(address_at_or_after_the_end_marker_has_no_name)
{
    uint64_t offset = untouched;
    ck_assert_ptr_null(symbols_lookup(TEXT + 0x200, &offset));
    ck_assert_ptr_null(symbols_lookup(TEXT + 0x201, &offset));
    ck_assert_ptr_null(symbols_lookup(UINT64_MAX, &offset));
    ck_assert_uint_eq(offset, untouched);
}
END_TEST

START_TEST(last_symbol_without_end_marker_reaches_one_limit)
{
    static const struct kernel_symbol table[] = {{0x1000, "first"}, {0x2000, "last"}};
    uint64_t offset = untouched;
    ck_assert_str_eq(symbols_lookup_in(table, 2, 0x2000 + SYMBOLS_MAX_DISTANCE - 1, &offset),
                     "last");
    ck_assert_uint_eq(offset, SYMBOLS_MAX_DISTANCE - 1);
    ck_assert_ptr_null(symbols_lookup_in(table, 2, 0x2000 + SYMBOLS_MAX_DISTANCE, &offset));
}
END_TEST

START_TEST(long_gap_between_symbols_has_no_name)
{
    static const struct kernel_symbol table[] = {{0x100000, "boot_entry"},
                                                 {0xffffffff80100000, "kmain"}};
    ck_assert_str_eq(symbols_lookup_in(table, 2, 0x100010, NULL), "boot_entry");
    ck_assert_ptr_null(symbols_lookup_in(table, 2, 0x100000 + SYMBOLS_MAX_DISTANCE, NULL));
    ck_assert_ptr_null(symbols_lookup_in(table, 2, 0xffffffff80000000, NULL));
    ck_assert_str_eq(symbols_lookup_in(table, 2, 0xffffffff80100001, NULL), "kmain");
}
END_TEST

START_TEST(empty_table_names_nothing)
{
    static const struct kernel_symbol placeholder[] = {{0, NULL}};
    ck_assert_ptr_null(symbols_lookup_in(placeholder, 0, 0, NULL));
    ck_assert_ptr_null(symbols_lookup_in(placeholder, 0, TEXT, NULL));
    static const struct kernel_symbol one[] = {{TEXT, "only"}};
    ck_assert_ptr_null(symbols_lookup_in(one, 1, TEXT - 1, NULL));
    ck_assert_str_eq(symbols_lookup_in(one, 1, TEXT, NULL), "only");
}
END_TEST

/* The binary search must agree with the obvious scan everywhere. */
static const char *linear_lookup(const struct kernel_symbol *table, size_t count, uint64_t address,
                                 uint64_t *offset_out)
{
    const struct kernel_symbol *best = NULL;
    for (size_t i = 0; i < count && table[i].address <= address; i++)
        best = &table[i];
    if (best == NULL || best->name == NULL || address - best->address >= SYMBOLS_MAX_DISTANCE)
        return NULL;
    *offset_out = address - best->address;
    return best->name;
}

START_TEST(binary_search_agrees_with_a_linear_scan)
{
    enum { COUNT = 97 };
    static struct kernel_symbol table[COUNT];
    static const char *names[] = {"a", "b", "c", NULL};
    uint64_t address = TEXT;
    for (size_t i = 0; i < COUNT; i++) {
        table[i] = (struct kernel_symbol){address, names[i % 4]};
        address += 1 + (i * 37) % 61;
    }
    for (size_t size = 0; size <= COUNT; size += 8) {
        for (uint64_t probe = TEXT - 3; probe < address + 3; probe++) {
            uint64_t expected_offset = untouched, offset = untouched;
            const char *expected = linear_lookup(table, size, probe, &expected_offset);
            const char *found = symbols_lookup_in(table, size, probe, &offset);
            ck_assert_ptr_eq(found, expected);
            ck_assert_uint_eq(offset, expected_offset);
        }
    }
}
END_TEST

static Suite *symbols_suite(void)
{
    Suite *suite = suite_create("symbols");
    TCase *lookup = tcase_create("lookup");
    tcase_add_test(lookup, address_before_the_first_symbol_has_no_name);
    tcase_add_test(lookup, exact_hit_has_offset_zero);
    tcase_add_test(lookup, address_between_symbols_names_the_lower_one);
    tcase_add_test(lookup, address_at_or_after_the_end_marker_has_no_name);
    tcase_add_test(lookup, last_symbol_without_end_marker_reaches_one_limit);
    tcase_add_test(lookup, long_gap_between_symbols_has_no_name);
    tcase_add_test(lookup, empty_table_names_nothing);
    tcase_add_test(lookup, binary_search_agrees_with_a_linear_scan);
    suite_add_tcase(suite, lookup);
    return suite;
}

int main(void)
{
    SRunner *runner = srunner_create(symbols_suite());
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed == 0 ? 0 : 1;
}
