/*
 * test_args.c — host tests for user/lib/args.c, the argument helper every
 * program uses.
 *
 * Runs argv arrays like the ones the issue found going wrong ("mem abc",
 * "pagewalk 2 zz", "ps -x", "cpu A x") through the helper and checks the
 * values taken, the one-line message (captured through args_print) and the
 * exit status a program would return; --help must print the usage on
 * stdout and succeed.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "user/lib/args.h"

static char out[1024], err[1024];

void args_print(int fd, const char *text)
{
    char *buffer = fd == 1 ? out : err;
    ck_assert_uint_lt(strlen(buffer) + strlen(text), sizeof out);
    strcat(buffer, text);
}

static struct args args;

static void begin(const char *usage, char **argv)
{
    int argc = 0;
    while (argv[argc] != NULL)
        argc++;
    out[0] = err[0] = '\0';
    args_begin(&args, argc, argv, usage, "does things");
}

#define ARGV(...) ((char *[]){__VA_ARGS__, NULL})

/* The program stopped with exactly this one line on stderr. */
static void assert_error(const char *line)
{
    ck_assert_int_eq(args_finish(&args), -1);
    ck_assert_int_eq(args.status, ARGS_BAD_STATUS);
    ck_assert_str_eq(err, line);
    ck_assert_str_eq(out, "");
}

START_TEST(positional_arguments_in_order)
{
    begin("PID ADDRESS", ARGV("/bin/pagewalk", "12", "0x401000"));
    int pid = 0;
    unsigned long address = 0;
    ck_assert_int_eq(args_pid(&args, &pid), 0);
    ck_assert_int_eq(args_address(&args, "ADDRESS", &address), 0);
    ck_assert_int_eq(args_finish(&args), 0);
    ck_assert_int_eq(pid, 12);
    ck_assert_uint_eq(address, 0x401000);
    ck_assert_str_eq(err, "");
}
END_TEST

START_TEST(address_without_0x_is_hex)
{
    begin("PID ADDRESS", ARGV("pagewalk", "1", "7ffffffde000"));
    int pid;
    unsigned long address = 0;
    args_pid(&args, &pid);
    args_address(&args, "ADDRESS", &address);
    ck_assert_int_eq(args_finish(&args), 0);
    ck_assert_uint_eq(address, 0x7ffffffde000UL);
}
END_TEST

START_TEST(bad_address_is_named)
{
    begin("PID ADDRESS", ARGV("pagewalk", "2", "zz"));
    int pid;
    unsigned long address = 99;
    args_pid(&args, &pid);
    ck_assert_int_eq(args_address(&args, "ADDRESS", &address), -1);
    ck_assert_uint_eq(address, 99);
    assert_error(
        "pagewalk: 'zz' is not an address (ADDRESS, in hex) (usage: pagewalk PID ADDRESS)\n");
}
END_TEST

START_TEST(address_edge_cases)
{
    const char *bad[] = {"0x", "-1", "+5", "12345678901234567", "0x1g", ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        begin("A", ARGV("p", (char *)bad[i]));
        unsigned long address;
        ck_assert_msg(args_address(&args, "A", &address) == -1, "accepted '%s'", bad[i]);
    }
}
END_TEST

START_TEST(bad_number_is_named)
{
    begin("VALUE [N]", ARGV("mem", "abc"));
    long value = 7;
    ck_assert_int_eq(args_number(&args, "VALUE", -100, 100, &value), -1);
    ck_assert_int_eq(value, 7);
    assert_error("mem: 'abc' is not a number (VALUE) (usage: mem VALUE [N])\n");
}
END_TEST

START_TEST(numbers_must_be_whole_words_in_range)
{
    begin("N", ARGV("p", "5x"));
    long value;
    ck_assert_int_eq(args_number(&args, "N", 1, 9, &value), -1);
    ck_assert_ptr_nonnull(strstr(err, "'5x' is not a number"));
    begin("N", ARGV("p", "10"));
    ck_assert_int_eq(args_number(&args, "N", 1, 9, &value), -1);
    assert_error("p: N 10 is out of range (1 to 9) (usage: p N)\n");
    begin("N", ARGV("p", "-20"));
    ck_assert_int_eq(args_number(&args, "N", -20, 19, &value), 0);
    ck_assert_int_eq(value, -20);
    begin("PID", ARGV("p", "0"));
    int pid;
    ck_assert_int_eq(args_pid(&args, &pid), -1);
}
END_TEST

START_TEST(missing_argument_is_named)
{
    begin("PID VALUE", ARGV("nice", "3"));
    int pid;
    long value;
    args_pid(&args, &pid);
    args_number(&args, "VALUE", -20, 19, &value);
    assert_error("nice: missing VALUE (usage: nice PID VALUE)\n");
}
END_TEST

START_TEST(optional_arguments_keep_their_default)
{
    begin("[PID]", ARGV("vmmap"));
    int pid = 42;
    ck_assert_int_eq(args_optional_pid(&args, &pid), 0);
    ck_assert_int_eq(args_finish(&args), 0);
    ck_assert_int_eq(pid, 42);
    begin("[PID]", ARGV("vmmap", "abc"));
    ck_assert_int_eq(args_optional_pid(&args, &pid), -1);
    assert_error("vmmap: 'abc' is not a number (PID) (usage: vmmap [PID])\n");
    ck_assert_int_eq(pid, 42);
}
END_TEST

START_TEST(leftover_arguments_are_unknown_options_or_extra)
{
    begin("", ARGV("ps", "-x"));
    assert_error("ps: unknown option '-x' (usage: ps)\n");
    begin("", ARGV("ps", "1"));
    assert_error("ps: unexpected argument '1' (usage: ps)\n");
    begin("STR [N] [-c]", ARGV("cpu", "A", "3", "x"));
    const char *word;
    long count;
    args_word(&args, "STR", &word);
    args_optional_number(&args, "N", 1, 1000, &count);
    assert_error("cpu: unexpected argument 'x' (usage: cpu STR [N] [-c])\n");
}
END_TEST

START_TEST(flags_may_sit_anywhere)
{
    begin("STR [N] [-c]", ARGV("cpu", "-c", "A", "5"));
    ck_assert(args_flag(&args, "-c"));
    const char *word = NULL;
    long count = 0;
    ck_assert_int_eq(args_word(&args, "STR", &word), 0);
    ck_assert_int_eq(args_optional_number(&args, "N", 1, 1000, &count), 0);
    ck_assert_int_eq(args_finish(&args), 0);
    ck_assert_str_eq(word, "A");
    ck_assert_int_eq(count, 5);
    begin("STR [N] [-c]", ARGV("cpu", "A", "-c"));
    ck_assert(!args_flag(&args, "-v"));
    ck_assert(args_flag(&args, "-c"));
    ck_assert_int_eq(args_word(&args, "STR", &word), 0);
    ck_assert(!args_more(&args));
    ck_assert_ptr_null(args_peek(&args));
    ck_assert_int_eq(args_finish(&args), 0);
}
END_TEST

START_TEST(a_word_that_looks_like_an_option_is_one)
{
    begin("[PATH...]", ARGV("ls", "-l"));
    const char *word = NULL;
    ck_assert_int_eq(args_word(&args, "PATH", &word), -1);
    ck_assert_ptr_null(word);
    assert_error("ls: unknown option '-l' (usage: ls [PATH...])\n");
    begin("[FILE...]", ARGV("cat", "-"));
    ck_assert_int_eq(args_word(&args, "FILE", &word), 0); /* '-' alone is stdin */
    ck_assert_str_eq(word, "-");
    begin("[WORD...]", ARGV("echo", "-n"));
    ck_assert_int_eq(args_text(&args, "WORD", &word), 0);
    ck_assert_str_eq(word, "-n");
    ck_assert_int_eq(args_finish(&args), 0);
}
END_TEST

START_TEST(help_prints_usage_and_succeeds)
{
    begin("PID ADDRESS", ARGV("pagewalk", "zz", "--help"));
    int pid;
    ck_assert_int_eq(args_pid(&args, &pid), -1); /* help wins over the bad PID */
    ck_assert_int_eq(args_finish(&args), -1);
    ck_assert_int_eq(args.status, 0);
    ck_assert_str_eq(out, "usage: pagewalk PID ADDRESS\n  does things\n");
    ck_assert_str_eq(err, "");
    begin("", ARGV("ps", "-h"));
    ck_assert_int_eq(args_finish(&args), -1);
    ck_assert_str_eq(out, "usage: ps\n  does things\n");
}
END_TEST

START_TEST(program_errors_use_the_same_form_and_only_the_first_counts)
{
    begin("[-SIGNAL] PID...", ARGV("kill", "-XY", "3"));
    ck_assert_int_eq(args_error(&args, "'%s' is not a signal", "XY"), -1);
    ck_assert_int_eq(args_error(&args, "second"), -1);
    assert_error("kill: 'XY' is not a signal (usage: kill [-SIGNAL] PID...)\n");
}
END_TEST

START_TEST(a_very_long_argument_is_cut_but_ends_the_line)
{
    static char long_word[600];
    memset(long_word, 'z', sizeof long_word - 1);
    begin("N", ARGV("p", long_word));
    long value;
    args_number(&args, "N", 0, 1, &value);
    ck_assert_int_eq(args_finish(&args), -1);
    size_t length = strlen(err);
    ck_assert_uint_lt(length, 300);
    ck_assert_int_eq(err[length - 1], '\n');
    ck_assert_ptr_eq(strchr(err, '\n'), err + length - 1); /* one line */
}
END_TEST

/* cat and echo loop `while (args_more) args_word(...)`: after --help or a
 * bad word nothing is taken any more, so args_more must say so or the loop
 * never ends (`cat --help` and `cat -x FILE` hung the shell). */
START_TEST(a_loop_over_args_more_ends_once_stopped)
{
    char **cases[] = {ARGV("cat", "--help"), ARGV("cat", "-x", "motd"),
                      ARGV("cat", "a", "-h", "b")};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        begin("[FILE...]", cases[c]);
        int rounds = 0;
        while (args_more(&args) && rounds < 10) {
            const char *word;
            args_word(&args, "FILE", &word);
            rounds++;
        }
        ck_assert_int_lt(rounds, 10);
        ck_assert_ptr_null(args_peek(&args));
        ck_assert_int_eq(args_finish(&args), -1);
    }
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("args");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, positional_arguments_in_order);
    tcase_add_test(tc, address_without_0x_is_hex);
    tcase_add_test(tc, bad_address_is_named);
    tcase_add_test(tc, address_edge_cases);
    tcase_add_test(tc, bad_number_is_named);
    tcase_add_test(tc, numbers_must_be_whole_words_in_range);
    tcase_add_test(tc, missing_argument_is_named);
    tcase_add_test(tc, optional_arguments_keep_their_default);
    tcase_add_test(tc, leftover_arguments_are_unknown_options_or_extra);
    tcase_add_test(tc, flags_may_sit_anywhere);
    tcase_add_test(tc, a_word_that_looks_like_an_option_is_one);
    tcase_add_test(tc, help_prints_usage_and_succeeds);
    tcase_add_test(tc, program_errors_use_the_same_form_and_only_the_first_counts);
    tcase_add_test(tc, a_very_long_argument_is_cut_but_ends_the_line);
    tcase_add_test(tc, a_loop_over_args_more_ends_once_stopped);
    suite_add_tcase(suite, tc);
    SRunner *runner = srunner_create(suite);
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed == 0 ? 0 : 1;
}
