/*
 * test_cmdline.c — host tests for kernel/boot/cmdline.c.
 *
 * Feeds command lines as GRUB would pass them (and as a careless instructor
 * might type them) and checks the options, the overrides, the numbers and
 * the unknown-key report the kernel prints at boot.
 * OSTEP: boot infrastructure (ch. 6 begins once the kernel is configured).
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "kernel/boot/cmdline.h"
#include "lib/errno.h"

static struct cmdline cl;

START_TEST(key_value_pairs_are_split)
{
    ck_assert_int_eq(cmdline_parse(&cl, "sched=mlfq hz=100"), 0);
    ck_assert_uint_eq(cl.count, 2);
    ck_assert_str_eq(cl.options[0].key, "sched");
    ck_assert_str_eq(cl.options[0].value, "mlfq");
    ck_assert_str_eq(cmdline_get(&cl, "hz"), "100");
    ck_assert_ptr_null(cmdline_get(&cl, "h"));   /* no prefix matches */
    ck_assert_ptr_null(cmdline_get(&cl, "hz1")); /* and no longer keys */
}
END_TEST

START_TEST(bare_flags_have_an_empty_value)
{
    ck_assert_int_eq(cmdline_parse(&cl, "trace test=fork quiet"), 0);
    ck_assert_uint_eq(cl.count, 3);
    ck_assert_ptr_nonnull(cmdline_get(&cl, "trace"));
    ck_assert_str_eq(cmdline_get(&cl, "trace"), "");
    ck_assert_str_eq(cmdline_get(&cl, "quiet"), "");
    ck_assert_str_eq(cmdline_get(&cl, "test"), "fork");
    ck_assert_ptr_null(cmdline_get(&cl, "console"));
}
END_TEST

START_TEST(quotes_group_words_and_are_removed)
{
    ck_assert_int_eq(cmdline_parse(&cl, "init=\"/bin/sh -x\" console=serial msg=a\" \"b"), 0);
    ck_assert_uint_eq(cl.count, 3);
    ck_assert_str_eq(cmdline_get(&cl, "init"), "/bin/sh -x");
    ck_assert_str_eq(cmdline_get(&cl, "console"), "serial");
    ck_assert_str_eq(cmdline_get(&cl, "msg"), "a b");
}
END_TEST

START_TEST(only_the_first_unquoted_equals_splits)
{
    ck_assert_int_eq(cmdline_parse(&cl, "test=a=b \"x=y\" note=\"k=v\""), 0);
    ck_assert_uint_eq(cl.count, 3);
    ck_assert_str_eq(cmdline_get(&cl, "test"), "a=b");
    ck_assert_str_eq(cmdline_get(&cl, "x=y"), "");
    ck_assert_str_eq(cmdline_get(&cl, "note"), "k=v");
}
END_TEST

START_TEST(unclosed_quote_runs_to_the_end)
{
    ck_assert_int_eq(cmdline_parse(&cl, "hz=10 init=\"/bin/sh -x"), 0);
    ck_assert_uint_eq(cl.count, 2);
    ck_assert_str_eq(cmdline_get(&cl, "init"), "/bin/sh -x");
}
END_TEST

START_TEST(repeated_blanks_separate_like_one)
{
    ck_assert_int_eq(cmdline_parse(&cl, "  hz=100 \t\t  sched=rr   \t"), 0);
    ck_assert_uint_eq(cl.count, 2);
    ck_assert_str_eq(cmdline_get(&cl, "hz"), "100");
    ck_assert_str_eq(cmdline_get(&cl, "sched"), "rr");
}
END_TEST

START_TEST(empty_and_missing_lines_have_no_options)
{
    ck_assert_int_eq(cmdline_parse(&cl, "hz=1"), 0); /* leftovers must go */
    ck_assert_int_eq(cmdline_parse(&cl, ""), 0);
    ck_assert_uint_eq(cl.count, 0);
    ck_assert_ptr_null(cmdline_get(&cl, "hz"));
    ck_assert_int_eq(cmdline_parse(&cl, "   \t "), 0);
    ck_assert_uint_eq(cl.count, 0);
    ck_assert_int_eq(cmdline_parse(&cl, NULL), 0);
    ck_assert_uint_eq(cl.count, 0);
}
END_TEST

START_TEST(leading_kernel_path_is_skipped)
{
    ck_assert_int_eq(cmdline_parse(&cl, "/boot/prism.elf hz=50"), 0);
    ck_assert_uint_eq(cl.count, 1);
    ck_assert_str_eq(cl.options[0].key, "hz");
    /* only in first place: later a '/' word is an (unknown) option */
    ck_assert_int_eq(cmdline_parse(&cl, "hz=50 /odd"), 0);
    ck_assert_uint_eq(cl.count, 2);
}
END_TEST

START_TEST(later_duplicate_overrides)
{
    ck_assert_int_eq(cmdline_parse(&cl, "hz=100 sched=rr hz=250"), 0);
    ck_assert_uint_eq(cl.count, 3);
    ck_assert_str_eq(cmdline_get(&cl, "hz"), "250");
    ck_assert_int_eq(cmdline_get_long(&cl, "hz", 1, 1, 1000, NULL), 250);
}
END_TEST

START_TEST(known_keys_are_recognised_exactly)
{
    static const char *const required[] = {"hz",   "sched",   "quantum", "test",
                                           "init", "console", "trace",   "maxproc"};
    for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++)
        ck_assert_msg(cmdline_key_known(required[i]), "%s should be known", required[i]);
    ck_assert(!cmdline_key_known("h"));
    ck_assert(!cmdline_key_known("hzz"));
    ck_assert(!cmdline_key_known(""));

    size_t count = 0;
    const struct cmdline_key *keys = cmdline_known_keys(&count);
    ck_assert_uint_ge(count, 8);
    for (size_t i = 0; i < count; i++)
        ck_assert_uint_gt(strlen(keys[i].help), 0);
}
END_TEST

START_TEST(unknown_keys_are_reported_once_in_order)
{
    const char *unknown[4] = {0};
    ck_assert_int_eq(cmdline_parse(&cl, "hz=1 foo bar=2 foo=3 sched=rr"), 0);
    ck_assert_uint_eq(cmdline_unknown(&cl, unknown, 4), 2);
    ck_assert_str_eq(unknown[0], "foo");
    ck_assert_str_eq(unknown[1], "bar");
    ck_assert_uint_eq(cmdline_unknown(&cl, unknown, 1), 1); /* never more than max */
    ck_assert_str_eq(unknown[0], "foo");

    ck_assert_int_eq(cmdline_parse(&cl, "hz=1 trace"), 0);
    ck_assert_uint_eq(cmdline_unknown(&cl, unknown, 4), 0);
}
END_TEST

START_TEST(numbers_parse_in_decimal_and_hex)
{
    const char *problem = "untouched";
    ck_assert_int_eq(cmdline_parse(&cl, "hz=250 quantum=0x10 maxproc=0X1F test=-5 init=+7"), 0);
    ck_assert_int_eq(cmdline_get_long(&cl, "hz", 100, 10, 1000, &problem), 250);
    ck_assert_ptr_null(problem);
    ck_assert_int_eq(cmdline_get_long(&cl, "quantum", 1, 1, 100, &problem), 16);
    ck_assert_int_eq(cmdline_get_long(&cl, "maxproc", 1, 1, 100, &problem), 31);
    ck_assert_int_eq(cmdline_get_long(&cl, "test", 0, -10, 10, &problem), -5);
    ck_assert_int_eq(cmdline_get_long(&cl, "init", 0, -10, 10, &problem), 7);
    ck_assert_ptr_null(problem);

    problem = "untouched"; /* absent is not a problem */
    ck_assert_int_eq(cmdline_get_long(&cl, "console", 42, 0, 100, &problem), 42);
    ck_assert_ptr_null(problem);
}
END_TEST

START_TEST(non_numbers_fall_back_with_a_sentence)
{
    static const char *const bad[] = {"12x", "", "0x", "-", "ten", "0x1g", "1 2"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char line[64];
        snprintf(line, sizeof(line), "hz=\"%s\"", bad[i]);
        ck_assert_int_eq(cmdline_parse(&cl, line), 0);
        const char *problem = NULL;
        ck_assert_int_eq(cmdline_get_long(&cl, "hz", 100, 0, 1000, &problem), 100);
        ck_assert_msg(problem != NULL && strstr(problem, "is not a number") != NULL,
                      "'%s' accepted", bad[i]);
    }
    /* problem may be NULL */
    ck_assert_int_eq(cmdline_get_long(&cl, "hz", 100, 0, 1000, NULL), 100);
}
END_TEST

START_TEST(out_of_range_falls_back_with_the_range)
{
    const char *problem = NULL;
    ck_assert_int_eq(cmdline_parse(&cl, "hz=5000 quantum=-3 maxproc=99999999999999999999"), 0);
    ck_assert_int_eq(cmdline_get_long(&cl, "hz", 100, 10, 1000, &problem), 100);
    ck_assert_str_eq(problem, "cmdline: hz=5000 is out of range 10..1000; using 100");
    ck_assert_int_eq(cmdline_get_long(&cl, "quantum", 5, 1, 50, &problem), 5);
    ck_assert_str_eq(problem, "cmdline: quantum=-3 is out of range 1..50; using 5");
    ck_assert_int_eq(cmdline_get_long(&cl, "maxproc", 64, 1, 4096, &problem), 64);
    ck_assert_ptr_nonnull(strstr(problem, "out of range"));
    /* bounds are inclusive */
    ck_assert_int_eq(cmdline_get_long(&cl, "hz", 100, 10, 5000, &problem), 5000);
    ck_assert_ptr_null(problem);
}
END_TEST

START_TEST(extreme_longs_parse_without_overflow)
{
    const char *problem = NULL;
    ck_assert_int_eq(cmdline_parse(&cl, "a=9223372036854775807 b=-9223372036854775808 "
                                        "c=9223372036854775808 d=0x7fffffffffffffff"),
                     0);
    ck_assert_int_eq(cmdline_get_long(&cl, "a", 0, __LONG_MAX__ - 1, __LONG_MAX__, &problem),
                     __LONG_MAX__);
    ck_assert_ptr_null(problem);
    ck_assert(cmdline_get_long(&cl, "b", 0, -__LONG_MAX__ - 1, 0, &problem) == -__LONG_MAX__ - 1);
    ck_assert_ptr_null(problem);
    ck_assert_int_eq(cmdline_get_long(&cl, "c", 0, 0, __LONG_MAX__, &problem), 0);
    ck_assert_ptr_nonnull(problem);
    ck_assert_int_eq(cmdline_get_long(&cl, "d", 0, 0, __LONG_MAX__, &problem), __LONG_MAX__);
}
END_TEST

START_TEST(too_many_options_keep_the_first)
{
    char line[CMDLINE_MAX_TEXT];
    size_t used = 0;
    for (int i = 0; i < CMDLINE_MAX_OPTIONS + 8; i++)
        used += (size_t)snprintf(line + used, sizeof(line) - used, "o%d ", i);
    ck_assert_int_eq(cmdline_parse(&cl, line), -E2BIG);
    ck_assert_uint_eq(cl.count, CMDLINE_MAX_OPTIONS);
    ck_assert_str_eq(cl.options[CMDLINE_MAX_OPTIONS - 1].key, "o31");
    ck_assert_ptr_nonnull(cmdline_get(&cl, "o0"));
    ck_assert_ptr_null(cmdline_get(&cl, "o32"));
}
END_TEST

START_TEST(too_long_text_drops_whole_options)
{
    static char line[2 * CMDLINE_MAX_TEXT];
    memset(line, 0, sizeof(line));
    strcpy(line, "hz=100 init=");
    memset(line + strlen(line), 'x', CMDLINE_MAX_TEXT);
    strcat(line, " sched=rr");
    ck_assert_int_eq(cmdline_parse(&cl, line), -E2BIG);
    ck_assert_uint_eq(cl.count, 1);
    ck_assert_str_eq(cmdline_get(&cl, "hz"), "100");
    ck_assert_ptr_null(cmdline_get(&cl, "init")); /* never a truncated value */
    ck_assert_ptr_null(cmdline_get(&cl, "sched"));
}
END_TEST

START_TEST(option_filling_the_text_exactly_fits)
{
    /* "k\0" + value + "\0" fills all CMDLINE_MAX_TEXT bytes */
    static char line[CMDLINE_MAX_TEXT + 8];
    size_t value_length = CMDLINE_MAX_TEXT - 3;
    strcpy(line, "k=");
    memset(line + 2, 'v', value_length);
    line[2 + value_length] = '\0';
    ck_assert_int_eq(cmdline_parse(&cl, line), 0);
    ck_assert_uint_eq(strlen(cmdline_get(&cl, "k")), value_length);

    line[2 + value_length] = 'v'; /* one byte more no longer fits */
    line[3 + value_length] = '\0';
    ck_assert_int_eq(cmdline_parse(&cl, line), -E2BIG);
    ck_assert_uint_eq(cl.count, 0);
}
END_TEST

static Suite *cmdline_suite(void)
{
    Suite *suite = suite_create("cmdline");
    TCase *parsing = tcase_create("parsing");
    tcase_add_test(parsing, key_value_pairs_are_split);
    tcase_add_test(parsing, bare_flags_have_an_empty_value);
    tcase_add_test(parsing, quotes_group_words_and_are_removed);
    tcase_add_test(parsing, only_the_first_unquoted_equals_splits);
    tcase_add_test(parsing, unclosed_quote_runs_to_the_end);
    tcase_add_test(parsing, repeated_blanks_separate_like_one);
    tcase_add_test(parsing, empty_and_missing_lines_have_no_options);
    tcase_add_test(parsing, leading_kernel_path_is_skipped);
    tcase_add_test(parsing, later_duplicate_overrides);
    tcase_add_test(parsing, too_many_options_keep_the_first);
    tcase_add_test(parsing, too_long_text_drops_whole_options);
    tcase_add_test(parsing, option_filling_the_text_exactly_fits);
    suite_add_tcase(suite, parsing);

    TCase *keys = tcase_create("keys");
    tcase_add_test(keys, known_keys_are_recognised_exactly);
    tcase_add_test(keys, unknown_keys_are_reported_once_in_order);
    suite_add_tcase(suite, keys);

    TCase *numbers = tcase_create("numbers");
    tcase_add_test(numbers, numbers_parse_in_decimal_and_hex);
    tcase_add_test(numbers, non_numbers_fall_back_with_a_sentence);
    tcase_add_test(numbers, out_of_range_falls_back_with_the_range);
    tcase_add_test(numbers, extreme_longs_parse_without_overflow);
    suite_add_tcase(suite, numbers);
    return suite;
}

int main(void)
{
    SRunner *runner = srunner_create(cmdline_suite());
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed == 0 ? 0 : 1;
}
