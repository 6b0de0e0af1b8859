/*
 * test_wait_queue.c — host tests for kernel/sched/wait_queue.c.
 *
 * Entries stand for processes. FIFO queues must wake in arrival order and a
 * wake-up must reach exactly the waiters of that one queue; the timed queue
 * must keep wake-time order (stable among equal times) with the earliest at
 * its head; a kill (wait_entry_remove) must take a process off whichever
 * queue it waits on — each of the kernel's queue kinds — and leave every
 * other waiter in place; and an entry may wait on one queue at a time.
 * OSTEP ch. 30 (Condition Variables), ch. 26.
 */
#include <check.h>
#include <signal.h>
#include <stdint.h>

#include "kernel/sched/wait_queue.h"
#include "tests/unit/host_panic.h"

#define ENTRIES 8

static struct wait_entry entries[ENTRIES];

static void setup(void)
{
    for (int i = 0; i < ENTRIES; i++)
        wait_entry_init(&entries[i]);
}

static int index_of(const struct wait_entry *entry)
{
    return entry == NULL ? -1 : (int)(entry - entries);
}

/* Pops everything (what sched_wakeup does) and checks the order it comes in. */
static void expect_woken_in_order(struct wait_queue *queue, const int *order, int count)
{
    for (int i = 0; i < count; i++) {
        struct wait_entry *entry = wait_queue_pop(queue);
        ck_assert_int_eq(index_of(entry), order[i]);
        ck_assert(!wait_entry_waiting(entry));
    }
    ck_assert_ptr_null(wait_queue_pop(queue));
    ck_assert(wait_queue_empty(queue));
}

START_TEST(fifo_wakes_in_arrival_order)
{
    struct wait_queue queue = WAIT_QUEUE_INIT(queue, "pipe data");
    ck_assert(wait_queue_empty(&queue));
    ck_assert_ptr_null(wait_queue_first(&queue));
    wait_queue_add(&queue, &entries[2]);
    wait_queue_add(&queue, &entries[0]);
    wait_queue_add(&queue, &entries[1]);
    ck_assert(wait_entry_waiting(&entries[0]));
    ck_assert_ptr_eq(entries[0].queue, &queue);
    ck_assert_int_eq(index_of(wait_queue_first(&queue)), 2); /* first stays queued */
    ck_assert_int_eq(index_of(wait_queue_first(&queue)), 2);
    expect_woken_in_order(&queue, (const int[]){2, 0, 1}, 3);
}
END_TEST

START_TEST(a_wake_up_reaches_only_its_own_queue)
{
    struct wait_queue data = WAIT_QUEUE_INIT(data, "pipe data");
    struct wait_queue space = WAIT_QUEUE_INIT(space, "pipe space");
    wait_queue_add(&data, &entries[0]);
    wait_queue_add(&space, &entries[1]);
    wait_queue_add(&data, &entries[2]);
    wait_queue_add(&space, &entries[3]);
    expect_woken_in_order(&data, (const int[]){0, 2}, 2);
    ck_assert(wait_entry_waiting(&entries[1]));
    ck_assert(wait_entry_waiting(&entries[3]));
    ck_assert_ptr_eq(entries[1].queue, &space);
    expect_woken_in_order(&space, (const int[]){1, 3}, 2);
}
END_TEST

START_TEST(timed_queue_keeps_wake_order_stable)
{
    struct wait_queue sleepers = WAIT_QUEUE_INIT(sleepers, "sleepers");
    const uint64_t ticks[] = {30, 10, 20, 10, 40, 5, 20};
    for (int i = 0; i < 7; i++)
        wait_queue_add_timed(&sleepers, &entries[i], ticks[i]);
    ck_assert_int_eq(index_of(wait_queue_first(&sleepers)), 5);
    ck_assert_uint_eq(wait_queue_first(&sleepers)->wake_tick, 5);
    /* equal ticks wake in the order they went to sleep: 1 before 3, 2 before 6 */
    expect_woken_in_order(&sleepers, (const int[]){5, 1, 3, 2, 6, 0, 4}, 7);
}
END_TEST

START_TEST(timed_queue_in_increasing_order)
{
    struct wait_queue sleepers = WAIT_QUEUE_INIT(sleepers, "sleepers");
    for (int i = 0; i < ENTRIES; i++)
        wait_queue_add_timed(&sleepers, &entries[i], 100 + (uint64_t)i);
    expect_woken_in_order(&sleepers, (const int[]){0, 1, 2, 3, 4, 5, 6, 7}, ENTRIES);
}
END_TEST

/* The kernel's five kinds of queue, three waiters each; the middle one of
 * every queue is killed, then the head of one and the tail of another. */
START_TEST(kill_takes_a_waiter_off_whatever_queue_it_is_on)
{
    static struct wait_entry waiters[5][3];
    struct wait_queue queues[5];
    const char *names[5] = {"pipe data", "pipe space", "children", "tty input", "sleepers"};
    for (int q = 0; q < 5; q++) {
        wait_queue_init(&queues[q], names[q]);
        for (int w = 0; w < 3; w++) {
            wait_entry_init(&waiters[q][w]);
            if (q == 4)
                wait_queue_add_timed(&queues[q], &waiters[q][w], (uint64_t)(10 * w));
            else
                wait_queue_add(&queues[q], &waiters[q][w]);
        }
    }
    for (int q = 0; q < 5; q++) {
        wait_entry_remove(&waiters[q][1]);
        ck_assert(!wait_entry_waiting(&waiters[q][1]));
        wait_entry_remove(&waiters[q][1]); /* killed twice: nothing happens */
    }
    wait_entry_remove(&waiters[0][0]);
    wait_entry_remove(&waiters[4][2]);
    for (int q = 0; q < 5; q++) {
        int expected[3], count = 0;
        for (int w = 0; w < 3; w++)
            if (wait_entry_waiting(&waiters[q][w]))
                expected[count++] = w;
        ck_assert_int_eq(count, q == 0 || q == 4 ? 1 : 2);
        for (int i = 0; i < count; i++) {
            struct wait_entry *entry = wait_queue_pop(&queues[q]);
            ck_assert_ptr_eq(entry, &waiters[q][expected[i]]);
        }
        ck_assert(wait_queue_empty(&queues[q]));
    }
}
END_TEST

START_TEST(a_removed_entry_can_wait_again_elsewhere)
{
    struct wait_queue tty = WAIT_QUEUE_INIT(tty, "tty input");
    struct wait_queue sleepers = WAIT_QUEUE_INIT(sleepers, "sleepers");
    wait_entry_remove(&entries[0]); /* never waited: nothing happens */
    wait_queue_add(&tty, &entries[0]);
    wait_entry_remove(&entries[0]);
    ck_assert(wait_queue_empty(&tty));
    wait_queue_add_timed(&sleepers, &entries[0], 7);
    ck_assert_ptr_eq(entries[0].queue, &sleepers);
    expect_woken_in_order(&sleepers, (const int[]){0}, 1);
}
END_TEST

START_TEST(waiting_on_two_queues_at_once_panics)
{
    struct wait_queue first = WAIT_QUEUE_INIT(first, "pipe data");
    struct wait_queue second = WAIT_QUEUE_INIT(second, "children");
    wait_queue_add(&first, &entries[0]);
    wait_queue_add(&second, &entries[0]);
}
END_TEST

START_TEST(sleeping_while_waiting_elsewhere_panics)
{
    struct wait_queue first = WAIT_QUEUE_INIT(first, "tty input");
    struct wait_queue sleepers = WAIT_QUEUE_INIT(sleepers, "sleepers");
    wait_queue_add(&first, &entries[0]);
    wait_queue_add_timed(&sleepers, &entries[0], 1);
}
END_TEST

static Suite *wait_queue_suite(void)
{
    Suite *suite = suite_create("wait_queue");
    TCase *order = tcase_create("order");
    TCase *kill = tcase_create("kill");
    TCase *rules = tcase_create("rules");
    tcase_add_checked_fixture(order, setup, NULL);
    tcase_add_checked_fixture(kill, setup, NULL);
    tcase_add_checked_fixture(rules, setup, NULL);
    tcase_add_test(order, fifo_wakes_in_arrival_order);
    tcase_add_test(order, a_wake_up_reaches_only_its_own_queue);
    tcase_add_test(order, timed_queue_keeps_wake_order_stable);
    tcase_add_test(order, timed_queue_in_increasing_order);
    tcase_add_test(kill, kill_takes_a_waiter_off_whatever_queue_it_is_on);
    tcase_add_test(kill, a_removed_entry_can_wait_again_elsewhere);
    tcase_add_test_raise_signal(rules, waiting_on_two_queues_at_once_panics, SIGABRT);
    tcase_add_test_raise_signal(rules, sleeping_while_waiting_elsewhere_panics, SIGABRT);
    suite_add_tcase(suite, order);
    suite_add_tcase(suite, kill);
    suite_add_tcase(suite, rules);
    return suite;
}

int main(void)
{
    SRunner *runner = srunner_create(wait_queue_suite());
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed == 0 ? 0 : 1;
}
