/*
 * test_lottery_draw.c — host tests for the lottery's ticket tree (lottery.c).
 *
 * The draw is stubbed: every winning number from 0 to the ticket sum - 1 is
 * drawn once, and each process must win exactly as many draws as it holds
 * tickets (the definition of a fair draw, whatever the tree's order), also
 * after random churn of enqueues and dequeues; processes that become READY
 * together on an empty queue are counted in arrival order; the tree holds
 * LOTTERY_SLOTS (maxproc's limit) processes and panics beyond.
 * OSTEP ch. 9 (lottery scheduling).
 */
#include <check.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/proc/proc.h"
#include "kernel/sched/policy.h"
#include "tests/unit/host_panic.h"

#define PROCESSES 4097 /* one more than the tree's slots */

uint64_t sched_quantum_ticks = 10;

uint64_t sched_clock_ticks(void)
{
    return 0;
}

static struct proc processes[PROCESSES];
static uint64_t next_winner;
static uint64_t last_bound;

static uint64_t draw_next(uint64_t bound)
{
    last_bound = bound;
    ck_assert_uint_lt(next_winner, bound);
    return next_winner;
}

static void setup(void)
{
    memset(processes, 0, sizeof(processes));
    for (int i = 0; i < PROCESSES; i++) {
        processes[i].pid = i + 1;
        sched_entity_init(&processes[i].sched);
        processes[i].sched.tickets = (uint64_t)(i * 7 % 13 + 1);
    }
    sched_lottery_draw = draw_next;
    sched_policy_lottery.init();
}

static void enqueue(struct proc *p)
{
    p->sched.queued = true;
    sched_policy_lottery.enqueue(p);
}

static struct proc *pick(uint64_t winner)
{
    next_winner = winner;
    struct proc *p = sched_policy_lottery.pick_next();
    ck_assert_ptr_nonnull(p);
    p->sched.queued = false;
    return p;
}

/* Draws every winning number once, putting each winner straight back; each
 * queued process must win exactly its tickets' worth. */
static void expect_fair(int count)
{
    static uint64_t wins[PROCESSES];
    memset(wins, 0, sizeof(wins));
    uint64_t total = 0;
    for (int i = 0; i < count; i++)
        total += processes[i].sched.queued ? processes[i].sched.tickets : 0;
    for (uint64_t winner = 0; winner < total; winner++) {
        struct proc *p = pick(winner);
        ck_assert_uint_eq(last_bound, total);
        wins[p - processes]++;
        enqueue(p);
    }
    for (int i = 0; i < count; i++)
        ck_assert_uint_eq(wins[i], processes[i].sched.queued ? processes[i].sched.tickets : 0);
}

START_TEST(every_ticket_wins_for_its_holder)
{
    for (int i = 0; i < 37; i++)
        enqueue(&processes[i]);
    expect_fair(37);
}
END_TEST

START_TEST(fair_after_random_churn)
{
    srand(4242);
    const int count = 300;
    for (int round = 0; round < 2000; round++) {
        struct proc *p = &processes[rand() % count];
        if (p->sched.queued) {
            sched_policy_lottery.dequeue(p);
            p->sched.queued = false;
            p->sched.tickets = (uint64_t)(rand() % 50 + 1); /* changed while not queued */
        } else {
            enqueue(p);
        }
    }
    expect_fair(count);
}
END_TEST

START_TEST(ready_together_counted_in_arrival_order)
{
    for (int round = 0; round < 3; round++) {
        int first = 3 * round, second = 3 * round + 1;
        enqueue(&processes[second]); /* second arrives first */
        enqueue(&processes[first]);
        uint64_t tickets = processes[second].sched.tickets;
        ck_assert_ptr_eq(pick(tickets - 1), &processes[second]);
        ck_assert_ptr_eq(pick(0), &processes[first]); /* the queue is empty again */
    }
}
END_TEST

START_TEST(as_many_as_maxproc_fit)
{
    for (int i = 0; i < PROCESSES - 1; i++)
        enqueue(&processes[i]);
    expect_fair(PROCESSES - 1);
}
END_TEST

START_TEST(one_more_than_the_slots_panics)
{
    for (int i = 0; i < PROCESSES; i++)
        enqueue(&processes[i]);
}
END_TEST

static Suite *lottery_draw_suite(void)
{
    Suite *suite = suite_create("lottery_draw");
    TCase *draw = tcase_create("draw");
    tcase_add_checked_fixture(draw, setup, NULL);
    tcase_set_timeout(draw, 60);
    tcase_add_test(draw, every_ticket_wins_for_its_holder);
    tcase_add_test(draw, fair_after_random_churn);
    tcase_add_test(draw, ready_together_counted_in_arrival_order);
    tcase_add_test(draw, as_many_as_maxproc_fit);
    tcase_add_test_raise_signal(draw, one_more_than_the_slots_panics, SIGABRT);
    suite_add_tcase(suite, draw);
    return suite;
}

int main(void)
{
    SRunner *runner = srunner_create(lottery_draw_suite());
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed == 0 ? 0 : 1;
}
