/*
 * test_shell_parse.c — host tests for lib/shell_parse.c, the shell's parser.
 *
 * Feeds the lines a student types at the prompt (OSTEP ch. 5's demos, pipes,
 * quotes, stray separators) and the mistakes they make, and checks the jobs,
 * pipelines and argv arrays that come out, the error messages, and that every
 * fixed-size limit is enforced exactly at its edge. The struct is on the heap
 * so AddressSanitizer would report a write past its end.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "lib/errno.h"
#include "lib/shell_parse.h"

static struct shell_line *line;
static const char *error;

static void setup(void)
{
    line = malloc(sizeof *line);
    ck_assert_ptr_nonnull(line);
    memset(line, 0xa5, sizeof *line); /* garbage, so stale fields would show */
    error = NULL;
}

static void teardown(void)
{
    free(line);
}

static struct shell_command *command_at(int job, int command)
{
    return &line->jobs[job].commands[command];
}

/* Checks one command's whole argv, including the NULL that ends it. */
static void assert_argv(int job, int command, const char *const *expected)
{
    struct shell_command *actual = command_at(job, command);
    int count = 0;
    while (expected[count] != NULL)
        count++;
    ck_assert_int_eq(actual->argc, count);
    for (int i = 0; i < count; i++)
        ck_assert_str_eq(actual->argv[i], expected[i]);
    ck_assert_ptr_null(actual->argv[count]);
}

#define ARGV(...) ((const char *const[]){__VA_ARGS__, NULL})

static void assert_parses(const char *text, int job_count)
{
    ck_assert_int_eq(shell_parse(text, line, &error), 0);
    ck_assert_int_eq(line->job_count, job_count);
}

static void assert_rejected(const char *text, int code, const char *message_part)
{
    error = NULL;
    ck_assert_int_eq(shell_parse(text, line, &error), code);
    ck_assert_int_eq(line->job_count, 0);
    ck_assert_ptr_nonnull(error);
    ck_assert_msg(strstr(error, message_part) != NULL, "error \"%s\" for \"%s\" lacks \"%s\"",
                  error, text, message_part);
}

/* ---- words ------------------------------------------------------------ */

START_TEST(words_split_on_blanks)
{
    assert_parses("echo hello   world\n", 1);
    ck_assert_int_eq(line->jobs[0].command_count, 1);
    ck_assert(!line->jobs[0].background);
    assert_argv(0, 0, ARGV("echo", "hello", "world"));
}
END_TEST

START_TEST(leading_and_trailing_blanks_are_ignored)
{
    assert_parses(" \t  ls \t -l  \r\n", 1);
    assert_argv(0, 0, ARGV("ls", "-l"));
}
END_TEST

START_TEST(blank_and_empty_lines_have_no_jobs)
{
    assert_parses("", 0);
    assert_parses("   \t  \n", 0);
    assert_parses("\n", 0);
}
END_TEST

START_TEST(words_are_copied_out_of_the_input)
{
    char input[] = "cat notes";
    assert_parses(input, 1);
    memset(input, 'x', sizeof input - 1); /* the caller reuses its buffer */
    assert_argv(0, 0, ARGV("cat", "notes"));
    ck_assert(line->jobs[0].commands[0].argv[0] >= line->text);
    ck_assert(line->jobs[0].commands[0].argv[1] < line->text + SHELL_MAX_TEXT);
}
END_TEST

START_TEST(a_second_parse_leaves_nothing_of_the_first)
{
    assert_parses("a b c d | e f ; g &", 2);
    assert_parses("x", 1);
    ck_assert_int_eq(line->jobs[0].command_count, 1);
    ck_assert(!line->jobs[0].background);
    assert_argv(0, 0, ARGV("x"));
}
END_TEST

/* ---- quotes ----------------------------------------------------------- */

START_TEST(quotes_keep_separators_and_blanks)
{
    assert_parses("echo 'a;b' \"c|d\" 'x & y'", 1);
    ck_assert_int_eq(line->jobs[0].command_count, 1);
    assert_argv(0, 0, ARGV("echo", "a;b", "c|d", "x & y"));
}
END_TEST

START_TEST(quoted_parts_join_their_neighbours)
{
    assert_parses("echo a'b c'd \"e\"'f'g", 1);
    assert_argv(0, 0, ARGV("echo", "ab cd", "efg"));
}
END_TEST

START_TEST(empty_quotes_make_an_empty_word)
{
    assert_parses("echo '' x \"\"", 1);
    assert_argv(0, 0, ARGV("echo", "", "x", ""));
}
END_TEST

START_TEST(double_quotes_unescape_only_quote_and_backslash)
{
    /* typed: echo "say \"hi\" \\ \n" */
    assert_parses("echo \"say \\\"hi\\\" \\\\ \\n\"", 1);
    assert_argv(0, 0, ARGV("echo", "say \"hi\" \\ \\n"));
}
END_TEST

START_TEST(single_quotes_and_bare_words_keep_backslashes)
{
    /* typed: echo 'a\"b' c\d "'" */
    assert_parses("echo 'a\\\"b' c\\d \"'\"", 1);
    assert_argv(0, 0, ARGV("echo", "a\\\"b", "c\\d", "'"));
}
END_TEST

START_TEST(unterminated_quotes_are_errors)
{
    assert_rejected("echo 'abc", -EINVAL, "unterminated quote");
    assert_rejected("echo \"abc", -EINVAL, "unterminated quote");
    assert_rejected("echo \"abc\\\"", -EINVAL, "unterminated quote"); /* \" does not close */
    assert_rejected("a ; b '", -EINVAL, "unterminated quote");
}
END_TEST

/* ---- comments --------------------------------------------------------- */

START_TEST(hash_at_a_word_start_begins_a_comment)
{
    assert_parses("echo a # b ; c &", 1);
    assert_argv(0, 0, ARGV("echo", "a"));
    ck_assert(!line->jobs[0].background);
    assert_parses("# just a note", 0);
    assert_parses("a;#b", 1);
    assert_argv(0, 0, ARGV("a"));
}
END_TEST

START_TEST(hash_inside_a_word_or_quotes_is_text)
{
    assert_parses("echo a#b '#c' \"#d\"", 1);
    assert_argv(0, 0, ARGV("echo", "a#b", "#c", "#d"));
}
END_TEST

/* ---- jobs and pipelines ----------------------------------------------- */

START_TEST(four_background_spinners)
{
    assert_parses("cpu A & cpu B & cpu C & cpu D &", 4);
    const char *names[] = {"A", "B", "C", "D"};
    for (int job = 0; job < 4; job++) {
        ck_assert(line->jobs[job].background);
        ck_assert_int_eq(line->jobs[job].command_count, 1);
        assert_argv(job, 0, ARGV("cpu", names[job]));
    }
}
END_TEST

START_TEST(last_job_without_ampersand_is_foreground)
{
    assert_parses("a ; b & c", 3);
    ck_assert(!line->jobs[0].background);
    ck_assert(line->jobs[1].background);
    ck_assert(!line->jobs[2].background);
    assert_argv(0, 0, ARGV("a"));
    assert_argv(1, 0, ARGV("b"));
    assert_argv(2, 0, ARGV("c"));
}
END_TEST

START_TEST(pipes_join_commands_into_one_job)
{
    assert_parses("cat notes | grep x | wc -l", 1);
    ck_assert_int_eq(line->jobs[0].command_count, 3);
    assert_argv(0, 0, ARGV("cat", "notes"));
    assert_argv(0, 1, ARGV("grep", "x"));
    assert_argv(0, 2, ARGV("wc", "-l"));
}
END_TEST

START_TEST(operators_need_no_blanks_around_them)
{
    assert_parses("a|b;c&d|e", 3);
    ck_assert_int_eq(line->jobs[0].command_count, 2);
    ck_assert(!line->jobs[0].background);
    ck_assert_int_eq(line->jobs[1].command_count, 1);
    ck_assert(line->jobs[1].background);
    ck_assert_int_eq(line->jobs[2].command_count, 2);
    ck_assert(!line->jobs[2].background);
    assert_argv(0, 1, ARGV("b"));
    assert_argv(1, 0, ARGV("c"));
    assert_argv(2, 0, ARGV("d"));
    assert_argv(2, 1, ARGV("e"));
}
END_TEST

START_TEST(background_pipeline)
{
    assert_parses("cpu A | cat &", 1);
    ck_assert(line->jobs[0].background);
    ck_assert_int_eq(line->jobs[0].command_count, 2);
    assert_argv(0, 1, ARGV("cat"));
}
END_TEST

START_TEST(empty_jobs_are_ignored)
{
    assert_parses("cpu A & ; cpu B & ;", 2);
    ck_assert(line->jobs[0].background);
    ck_assert(line->jobs[1].background);
    assert_argv(1, 0, ARGV("cpu", "B"));
    assert_parses("; ; a ;; & b ;", 2);
    ck_assert(!line->jobs[0].background);
    ck_assert(!line->jobs[1].background);
}
END_TEST

START_TEST(only_separators_make_no_jobs)
{
    assert_parses(";", 0);
    assert_parses("&", 0);
    assert_parses(" ; ; & ; ", 0);
    assert_parses(";&;&", 0);
}
END_TEST

START_TEST(empty_pipeline_commands_are_errors)
{
    assert_rejected("a | | b", -EINVAL, "missing command before '|'");
    assert_rejected("| a", -EINVAL, "missing command before '|'");
    assert_rejected("a ||b", -EINVAL, "missing command before '|'");
    assert_rejected("a |", -EINVAL, "missing command after '|'");
    assert_rejected("a | ; b", -EINVAL, "missing command after '|'");
    assert_rejected("a | &", -EINVAL, "missing command after '|'");
    assert_rejected("ok ; | a", -EINVAL, "missing command before '|'"); /* no half result */
}
END_TEST

START_TEST(double_ampersand_is_an_error)
{
    assert_rejected("make && run", -EINVAL, "&&");
    assert_parses("a & & b", 2); /* with a blank it is two separators */
}
END_TEST

START_TEST(error_pointer_may_be_null)
{
    ck_assert_int_eq(shell_parse("| a", line, NULL), -EINVAL);
    ck_assert_int_eq(line->job_count, 0);
}
END_TEST

/* ---- limits ----------------------------------------------------------- */

/* Writes count copies of piece (with a blank after each) into buffer. */
static char *repeat(char *buffer, size_t size, const char *piece, int count)
{
    buffer[0] = '\0';
    for (int i = 0; i < count; i++) {
        ck_assert_uint_lt(strlen(buffer) + strlen(piece) + 1, size);
        strcat(buffer, piece);
        strcat(buffer, " ");
    }
    return buffer;
}

START_TEST(input_redirection_names_a_file_outside_argv)
{
    assert_parses("cat < /etc/motd", 1);
    assert_argv(0, 0, ARGV("cat"));
    ck_assert_str_eq(command_at(0, 0)->input, "/etc/motd");
    assert_parses("cat</etc/motd|cat 'x'", 1); /* '<' ends a word; needs no blanks */
    assert_argv(0, 0, ARGV("cat"));
    ck_assert_str_eq(command_at(0, 0)->input, "/etc/motd");
    ck_assert_ptr_null(command_at(0, 1)->input);
    assert_parses("< \"/etc/a b\" cat -n &", 1);
    assert_argv(0, 0, ARGV("cat", "-n"));
    ck_assert_str_eq(command_at(0, 0)->input, "/etc/a b");
    ck_assert(line->jobs[0].background);
    assert_parses("echo a", 1);
    ck_assert_ptr_null(command_at(0, 0)->input);
}
END_TEST

START_TEST(redirection_mistakes_are_errors)
{
    assert_rejected("echo hi > out", -EINVAL, "read-only");
    assert_rejected("echo hi>out", -EINVAL, "'>'");
    assert_rejected("cat <", -EINVAL, "missing file name after '<'");
    assert_rejected("cat < | x", -EINVAL, "missing file name after '<'");
    assert_rejected("cat < a < b", -EINVAL, "more than one '<'");
    assert_rejected("echo a | cat < b", -EINVAL, "only the first command");
    assert_rejected("< a", -EINVAL, "missing command for '<'");
    assert_rejected("< a | cat", -EINVAL, "missing command for '<'");
}
END_TEST

START_TEST(argument_limit_is_exact)
{
    static char text[4096];
    assert_parses(repeat(text, sizeof text, "w", SHELL_MAX_ARGS), 1);
    ck_assert_int_eq(line->jobs[0].commands[0].argc, SHELL_MAX_ARGS);
    ck_assert_ptr_null(line->jobs[0].commands[0].argv[SHELL_MAX_ARGS]);
    assert_rejected(repeat(text, sizeof text, "w", SHELL_MAX_ARGS + 1), -E2BIG, "too many words");
}
END_TEST

START_TEST(pipeline_limit_is_exact)
{
    static char text[4096];
    repeat(text, sizeof text, "c |", SHELL_MAX_COMMANDS - 1);
    strcat(text, "c");
    assert_parses(text, 1);
    ck_assert_int_eq(line->jobs[0].command_count, SHELL_MAX_COMMANDS);
    strcat(text, " | c");
    assert_rejected(text, -E2BIG, "too many commands");
}
END_TEST

START_TEST(job_limit_is_exact)
{
    static char text[4096];
    assert_parses(repeat(text, sizeof text, "j &", SHELL_MAX_JOBS), SHELL_MAX_JOBS);
    ck_assert(line->jobs[SHELL_MAX_JOBS - 1].background);
    strcat(text, "; ; &"); /* empty jobs past the limit are still nothing */
    assert_parses(text, SHELL_MAX_JOBS);
    assert_rejected(repeat(text, sizeof text, "j ;", SHELL_MAX_JOBS + 1), -E2BIG, "too many jobs");
}
END_TEST

START_TEST(text_limit_counts_every_nul)
{
    static char text[4096];
    memset(text, 'x', SHELL_MAX_TEXT - 1); /* one word and its NUL fill the text */
    text[SHELL_MAX_TEXT - 1] = '\0';
    assert_parses(text, 1);
    ck_assert_uint_eq(strlen(line->jobs[0].commands[0].argv[0]), SHELL_MAX_TEXT - 1);
    text[SHELL_MAX_TEXT - 1] = 'x';
    text[SHELL_MAX_TEXT] = '\0';
    assert_rejected(text, -E2BIG, "line too long");
    /* two words: 511 + 1 + 511 + 1 = 1024 fits; one more letter does not */
    memset(text, 'y', SHELL_MAX_TEXT + 1);
    text[SHELL_MAX_TEXT / 2 - 1] = ' ';
    text[SHELL_MAX_TEXT - 1] = '\0';
    assert_parses(text, 1);
    ck_assert_int_eq(line->jobs[0].commands[0].argc, 2);
    text[SHELL_MAX_TEXT - 1] = 'y';
    text[SHELL_MAX_TEXT] = '\0';
    assert_rejected(text, -E2BIG, "line too long");
}
END_TEST

START_TEST(quoted_text_counts_toward_the_limit)
{
    static char text[4096];
    text[0] = '\'';
    memset(text + 1, 'q', SHELL_MAX_TEXT);
    strcpy(text + 1 + SHELL_MAX_TEXT, "'");
    assert_rejected(text, -E2BIG, "line too long");
}
END_TEST

static Suite *shell_parse_suite(void)
{
    Suite *suite = suite_create("shell_parse");
    TCase *words = tcase_create("words");
    tcase_add_checked_fixture(words, setup, teardown);
    tcase_add_test(words, words_split_on_blanks);
    tcase_add_test(words, leading_and_trailing_blanks_are_ignored);
    tcase_add_test(words, blank_and_empty_lines_have_no_jobs);
    tcase_add_test(words, words_are_copied_out_of_the_input);
    tcase_add_test(words, a_second_parse_leaves_nothing_of_the_first);
    tcase_add_test(words, quotes_keep_separators_and_blanks);
    tcase_add_test(words, quoted_parts_join_their_neighbours);
    tcase_add_test(words, empty_quotes_make_an_empty_word);
    tcase_add_test(words, double_quotes_unescape_only_quote_and_backslash);
    tcase_add_test(words, single_quotes_and_bare_words_keep_backslashes);
    tcase_add_test(words, unterminated_quotes_are_errors);
    tcase_add_test(words, hash_at_a_word_start_begins_a_comment);
    tcase_add_test(words, hash_inside_a_word_or_quotes_is_text);
    suite_add_tcase(suite, words);

    TCase *jobs = tcase_create("jobs");
    tcase_add_checked_fixture(jobs, setup, teardown);
    tcase_add_test(jobs, four_background_spinners);
    tcase_add_test(jobs, last_job_without_ampersand_is_foreground);
    tcase_add_test(jobs, pipes_join_commands_into_one_job);
    tcase_add_test(jobs, operators_need_no_blanks_around_them);
    tcase_add_test(jobs, background_pipeline);
    tcase_add_test(jobs, empty_jobs_are_ignored);
    tcase_add_test(jobs, only_separators_make_no_jobs);
    tcase_add_test(jobs, empty_pipeline_commands_are_errors);
    tcase_add_test(jobs, double_ampersand_is_an_error);
    tcase_add_test(jobs, error_pointer_may_be_null);
    tcase_add_test(jobs, input_redirection_names_a_file_outside_argv);
    tcase_add_test(jobs, redirection_mistakes_are_errors);
    suite_add_tcase(suite, jobs);

    TCase *limits = tcase_create("limits");
    tcase_add_checked_fixture(limits, setup, teardown);
    tcase_add_test(limits, argument_limit_is_exact);
    tcase_add_test(limits, pipeline_limit_is_exact);
    tcase_add_test(limits, job_limit_is_exact);
    tcase_add_test(limits, text_limit_counts_every_nul);
    tcase_add_test(limits, quoted_text_counts_toward_the_limit);
    suite_add_tcase(suite, limits);
    return suite;
}

int main(void)
{
    SRunner *runner = srunner_create(shell_parse_suite());
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed == 0 ? 0 : 1;
}
