/*
 * test_workload_parse.c — host tests for lib/workload_parse.c, the format of
 * the workload files (user/etc/NAME.wl) that reproduce OSTEP's figures.
 *
 * Checks that the book's workloads come out as the jobs they describe, and
 * that every mistake a student makes in a workload file (unknown keys, words
 * that are not numbers, negative times, a job without a burst, impossible
 * tickets or expected run times, a binary file) is named with its line
 * number and yields no jobs at all. OSTEP ch. 7 (workloads), ch. 8, ch. 9.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/workload_parse.h"

static struct workload *workload;
static char error[WORKLOAD_ERROR_MAX];
static int error_line;

static void setup(void)
{
    workload = malloc(sizeof *workload);
    ck_assert_ptr_nonnull(workload);
    memset(workload, 0xa5, sizeof *workload);
    error[0] = '\0';
    error_line = -1;
}

static void teardown(void)
{
    free(workload);
}

static int parse(const char *text)
{
    char *copy = strdup(text);
    ck_assert_ptr_nonnull(copy);
    int result = workload_parse(copy, workload, &error_line, error, sizeof error);
    free(copy);
    return result;
}

START_TEST(test_book_workload)
{
    ck_assert_int_eq(parse("# OSTEP 7.5: STCF\n!kargs quantum=1 hz=100\n"
                           "A 0 cpu:1000\n\n  B 100 cpu:100 tickets=300\n"
                           "C 100 cpu:10 io:80 cpu:10 nice=-5 expected=50\n!duration 3000\n"),
                     0);
    ck_assert_int_eq(workload->job_count, 3);
    ck_assert_int_eq(workload->duration_ms, 3000);
    ck_assert_str_eq(workload->kargs, "quantum=1 hz=100");
    ck_assert_str_eq(workload->jobs[0].name, "A");
    ck_assert_int_eq(workload->jobs[0].arrival_ms, 0);
    ck_assert_int_eq(workload->jobs[0].burst_count, 1);
    ck_assert_int_eq(workload->jobs[0].bursts[0], 1000);
    ck_assert_int_eq(workload->jobs[0].tickets, 0);
    ck_assert(!workload->jobs[0].nice_given);
    ck_assert_int_eq(workload->jobs[1].arrival_ms, 100);
    ck_assert_int_eq(workload->jobs[1].tickets, 300);
    const struct workload_job *c = &workload->jobs[2];
    ck_assert_int_eq(c->burst_count, 3);
    ck_assert_int_eq(c->bursts[1], -80);
    ck_assert(c->nice_given);
    ck_assert_int_eq(c->nice, -5);
    ck_assert_int_eq(c->expected_ms, 50);
    ck_assert_int_eq(workload_cpu_ms(c), 20);
}
END_TEST

struct bad_case {
    const char *text;
    int line;
    const char *message; /* a part of the error */
};

static const struct bad_case bad_cases[] = {
    {"A 0 cpu:10\nB 0 cpu:abc\n", 2, "'cpu:abc': cpu wants a whole number of ms"},
    {"A xx cpu:10\n", 1, "arrival 'xx' is not a whole number of ms"},
    {"A -5 cpu:10\n", 1, "arrival -5 is negative"},
    {"A 0 io:-3 cpu:1\n", 1, "'io:-3': io wants a whole number"},
    {"A 0 cpu:0\n", 1, "'cpu:0'"},
    {"# c\nA 0 io:10\n", 2, "job 'A' has no cpu:MS burst"},
    {"A 0\n", 1, "job 'A' has no cpu:MS burst"},
    {"A\n", 1, "job 'A' has no arrival time"},
    {"A 0 cpu:10 colour=red\n", 1, "unknown option 'colour='"},
    {"A 0 cpu:10 fast\n", 1, "'fast' is not a burst or an option"},
    {"A 0 cpu:10 tickets=0\n", 1, "tickets must be 1 to 10000"},
    {"A 0 cpu:10 tickets=10001\n", 1, "tickets must be 1 to 10000"},
    {"A 0 cpu:10 nice=20\n", 1, "nice must be -20 to 19"},
    {"A 0 cpu:10 expected=0\n", 1, "expected run time must be 1"},
    {"A 0 cpu:10 expected=-4\n", 1, "expected run time must be 1"},
    {"A 0 cpu:10\nA 5 cpu:10\n", 2, "a second job named 'A'"},
    {"averyveryverylongname 0 cpu:1\n", 1, "longer than 15 characters"},
    {"cpu:10 0 cpu:1\n", 1, "is not a job name"},
    {"!duration soon\nA 0 cpu:1\n", 1, "!duration wants one whole number"},
    {"!duration -1\nA 0 cpu:1\n", 1, "!duration wants one whole number"},
    {"!kargs\nA 0 cpu:1\n", 1, "!kargs wants kernel arguments"},
    {"!speed 3\nA 0 cpu:1\n", 1, "unknown directive '!speed'"},
    {"# only comments\n\n", 0, "no jobs"},
    {"", 0, "no jobs"},
    {"\x7f"
     "ELF\x02\x01",
     0, "not a workload file"},
};

START_TEST(test_bad_input_names_line_and_mistake)
{
    const struct bad_case *bad = &bad_cases[_i];
    ck_assert_int_eq(parse(bad->text), -1);
    ck_assert_int_eq(error_line, bad->line);
    ck_assert_msg(strstr(error, bad->message) != NULL, "case %d: error '%s' lacks '%s'", _i, error,
                  bad->message);
    ck_assert_ptr_null(strchr(error, '\n'));  /* one line */
    ck_assert_int_eq(workload->job_count, 0); /* nothing half-accepted */
}
END_TEST

START_TEST(test_limits)
{
    char text[2048] = "";
    for (int i = 0; i < WORKLOAD_MAX_JOBS; i++) {
        char line[32];
        snprintf(line, sizeof line, "j%d 0 cpu:1\n", i);
        strcat(text, line);
    }
    ck_assert_int_eq(parse(text), 0);
    ck_assert_int_eq(workload->job_count, WORKLOAD_MAX_JOBS);
    strcat(text, "extra 0 cpu:1\n");
    ck_assert_int_eq(parse(text), -1);
    ck_assert_int_eq(error_line, WORKLOAD_MAX_JOBS + 1);
    ck_assert_ptr_nonnull(strstr(error, "more than 16 jobs"));
    strcpy(text, "B 0");
    for (int i = 0; i <= WORKLOAD_MAX_BURSTS; i++)
        strcat(text, " cpu:1");
    ck_assert_int_eq(parse(text), -1);
    ck_assert_ptr_nonnull(strstr(error, "more than 32 bursts"));
}
END_TEST

static Suite *workload_parse_suite(void)
{
    Suite *suite = suite_create("workload_parse");
    TCase *cases = tcase_create("parse");
    tcase_add_checked_fixture(cases, setup, teardown);
    tcase_add_test(cases, test_book_workload);
    tcase_add_loop_test(cases, test_bad_input_names_line_and_mistake, 0,
                        sizeof bad_cases / sizeof bad_cases[0]);
    tcase_add_test(cases, test_limits);
    suite_add_tcase(suite, cases);
    return suite;
}

int main(void)
{
    SRunner *runner = srunner_create(workload_parse_suite());
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed == 0 ? 0 : 1;
}
