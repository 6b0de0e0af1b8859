/*
 * test_pid_table.c — host tests for kernel/proc/pid_table.c.
 *
 * Pids come out in increasing order starting at 1, every live pid is found
 * and every other number is not (0, negatives, past max_pid, removed pids),
 * a freed pid is not handed out again before the counter wraps, the wrap
 * skips live pids and never returns pid 1, a full table says -EAGAIN, the
 * counter at INT_MAX wraps without signed overflow (UBSan would abort), and
 * entries sharing a bucket stay apart.
 * OSTEP ch. 4 (finding a process by pid).
 */
#include <check.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>

#include "kernel/proc/pid_table.h"
#include "lib/errno.h"
#include "tests/unit/host_panic.h"

#define MANY 4096

static struct pid_entry entries[MANY];

START_TEST(pids_count_up_from_one_and_are_found)
{
    struct pid_table table = PID_TABLE_INIT(PID_MAX, 2);
    for (int i = 0; i < 5; i++) {
        ck_assert_int_eq(pid_table_allocate(&table, &entries[i]), i + 1);
        ck_assert_int_eq(entries[i].pid, i + 1);
    }
    ck_assert_uint_eq(table.count, 5);
    for (int i = 0; i < 5; i++)
        ck_assert_ptr_eq(pid_table_find(&table, i + 1), &entries[i]);
    ck_assert_ptr_null(pid_table_find(&table, 6));
    ck_assert_ptr_null(pid_table_find(&table, 0));
    ck_assert_ptr_null(pid_table_find(&table, -1));
    ck_assert_ptr_null(pid_table_find(&table, INT_MIN));
    ck_assert_ptr_null(pid_table_find(&table, PID_MAX + 1));
    ck_assert_ptr_null(pid_table_find(&table, 1 + PID_TABLE_BUCKETS)); /* pid 1's bucket */
}
END_TEST

START_TEST(a_freed_pid_is_not_reused_before_the_wrap)
{
    struct pid_table table = PID_TABLE_INIT(PID_MAX, 2);
    for (int i = 0; i < 3; i++)
        pid_table_allocate(&table, &entries[i]);
    pid_table_remove(&table, &entries[1]); /* pid 2 */
    ck_assert_ptr_null(pid_table_find(&table, 2));
    ck_assert_ptr_eq(pid_table_find(&table, 3), &entries[2]);
    ck_assert_int_eq(pid_table_allocate(&table, &entries[1]), 4);
    ck_assert_uint_eq(table.count, 3);
}
END_TEST

START_TEST(the_wrap_skips_live_pids_and_pid_one)
{
    struct pid_table table = PID_TABLE_INIT(10, 2);
    for (int i = 0; i < 10; i++)
        ck_assert_int_eq(pid_table_allocate(&table, &entries[i]), i + 1);
    pid_table_remove(&table, &entries[0]); /* pid 1: init's, never handed out again */
    pid_table_remove(&table, &entries[4]); /* pid 5 */
    pid_table_remove(&table, &entries[6]); /* pid 7 */
    ck_assert_int_eq(pid_table_allocate(&table, &entries[4]), 5);
    ck_assert_int_eq(pid_table_allocate(&table, &entries[6]), 7);
    ck_assert_int_eq(pid_table_allocate(&table, &entries[0]), -EAGAIN); /* 2..10 live */
    ck_assert_ptr_null(pid_table_find(&table, 1));
    pid_table_remove(&table, &entries[9]); /* pid 10 */
    ck_assert_int_eq(pid_table_allocate(&table, &entries[9]), 10);
}
END_TEST

START_TEST(the_counter_wraps_at_int_max_without_overflow)
{
    struct pid_table table = PID_TABLE_INIT(INT_MAX, 2);
    table.last_pid = INT_MAX - 1;
    ck_assert_int_eq(pid_table_allocate(&table, &entries[0]), INT_MAX);
    ck_assert_ptr_eq(pid_table_find(&table, INT_MAX), &entries[0]);
    ck_assert_int_eq(pid_table_allocate(&table, &entries[1]), 2);
    ck_assert_int_eq(pid_table_allocate(&table, &entries[2]), 3);
}
END_TEST

START_TEST(entries_sharing_a_bucket_stay_apart)
{
    struct pid_table table = PID_TABLE_INIT(PID_MAX, 2);
    table.last_pid = 6;
    pid_table_allocate(&table, &entries[0]); /* 7 */
    table.last_pid = 6 + PID_TABLE_BUCKETS;
    pid_table_allocate(&table, &entries[1]); /* 7 + BUCKETS */
    table.last_pid = 6 + 2 * PID_TABLE_BUCKETS;
    pid_table_allocate(&table, &entries[2]); /* 7 + 2 * BUCKETS */
    ck_assert_ptr_eq(pid_table_find(&table, 7 + PID_TABLE_BUCKETS), &entries[1]);
    pid_table_remove(&table, &entries[1]); /* from the middle of the chain */
    ck_assert_ptr_null(pid_table_find(&table, 7 + PID_TABLE_BUCKETS));
    ck_assert_ptr_eq(pid_table_find(&table, 7), &entries[0]);
    ck_assert_ptr_eq(pid_table_find(&table, 7 + 2 * PID_TABLE_BUCKETS), &entries[2]);
    pid_table_remove(&table, &entries[2]);
    pid_table_remove(&table, &entries[0]);
    ck_assert_uint_eq(table.count, 0);
    ck_assert_ptr_null(pid_table_find(&table, 7));
}
END_TEST

/* maxproc's limit of live processes, removed in a shuffled order. */
START_TEST(thousands_of_pids_in_and_out)
{
    struct pid_table table = PID_TABLE_INIT(PID_MAX, 2);
    static int order[MANY];
    for (int i = 0; i < MANY; i++) {
        ck_assert_int_eq(pid_table_allocate(&table, &entries[i]), i + 1);
        order[i] = i;
    }
    srand(12345);
    for (int i = MANY - 1; i > 0; i--) {
        int j = rand() % (i + 1), t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    for (int i = 0; i < MANY; i++) {
        pid_table_remove(&table, &entries[order[i]]);
        ck_assert_ptr_null(pid_table_find(&table, order[i] + 1));
        if (i + 1 < MANY)
            ck_assert_ptr_eq(pid_table_find(&table, order[i + 1] + 1), &entries[order[i + 1]]);
    }
    ck_assert_uint_eq(table.count, 0);
    ck_assert_int_eq(pid_table_allocate(&table, &entries[0]), MANY + 1);
}
END_TEST

START_TEST(removing_an_unknown_entry_panics)
{
    struct pid_table table = PID_TABLE_INIT(PID_MAX, 2);
    pid_table_allocate(&table, &entries[0]);
    entries[1].pid = 1; /* same pid, but not the entry in the table */
    pid_table_remove(&table, &entries[1]);
}
END_TEST

static Suite *pid_table_suite(void)
{
    Suite *suite = suite_create("pid_table");
    TCase *lookup = tcase_create("lookup");
    TCase *allocation = tcase_create("allocation");
    tcase_add_test(lookup, pids_count_up_from_one_and_are_found);
    tcase_add_test(lookup, entries_sharing_a_bucket_stay_apart);
    tcase_add_test(lookup, thousands_of_pids_in_and_out);
    tcase_add_test_raise_signal(lookup, removing_an_unknown_entry_panics, SIGABRT);
    tcase_add_test(allocation, a_freed_pid_is_not_reused_before_the_wrap);
    tcase_add_test(allocation, the_wrap_skips_live_pids_and_pid_one);
    tcase_add_test(allocation, the_counter_wraps_at_int_max_without_overflow);
    suite_add_tcase(suite, lookup);
    suite_add_tcase(suite, allocation);
    return suite;
}

int main(void)
{
    SRunner *runner = srunner_create(pid_table_suite());
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed == 0 ? 0 : 1;
}
