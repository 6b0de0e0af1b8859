/*
 * check_share.c — the share lab's own host tests, on the simulated clock.
 *
 * Stride must hand out CPU in exact proportion to tickets, three ways, and a
 * newcomer must join at the current pass instead of monopolizing the CPU;
 * lottery must come within a statistical bound of the same shares.
 * OSTEP ch. 9 (Scheduling: Proportional Share).
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>

#include "kernel/sched/policy.h"
#include "tests/unit/sched_sim.h"

static struct sim_process *with_tickets(const char *name, long tickets)
{
    struct sim_process *p = sim_spawn(name, NULL);
    ck_assert_int_eq(sim_set_param(p, SCHED_PARAM_TICKETS, tickets), 0);
    return p;
}

START_TEST(test_stride_three_way_shares_are_exact)
{
    sim_reset(&sched_policy_stride);
    struct sim_process *p[] = {with_tickets("a", 300), with_tickets("b", 200),
                               with_tickets("c", 100)};
    sim_run(60000);
    const long long expected[] = {30000, 20000, 10000};
    for (int i = 0; i < 3; i++)
        ck_assert_msg(llabs((long long)p[i]->cpu_ticks - expected[i]) <=
                          2 * (long long)sched_quantum_ticks,
                      "process %d ran %llu ticks, expected %lld", i,
                      (unsigned long long)p[i]->cpu_ticks, expected[i]);
}
END_TEST

START_TEST(test_stride_newcomer_joins_at_the_current_pass)
{
    sim_reset(&sched_policy_stride);
    struct sim_process *old = with_tickets("old", 100);
    sim_run(20000);
    struct sim_process *young = with_tickets("young", 100);
    uint64_t old_before = old->cpu_ticks;
    sim_run(2000);
    ck_assert_msg(young->cpu_ticks >= 900 && young->cpu_ticks <= 1100,
                  "newcomer ran %llu of 2000 ticks", (unsigned long long)young->cpu_ticks);
    ck_assert_uint_ge(old->cpu_ticks - old_before, 900);
}
END_TEST

/* 1:4 tickets, 50000 ticks = 5000 slices: the share's standard deviation is
 * sqrt(0.2 * 0.8 / 5000) = 0.0057; five of them either side. */
START_TEST(test_lottery_shares_within_a_statistical_bound)
{
    ck_assert_int_eq(sched_policy_lottery.configure("seed", 2024), 0);
    sim_reset(&sched_policy_lottery);
    struct sim_process *poor = with_tickets("poor", 100), *rich = with_tickets("rich", 400);
    sim_run(50000);
    double share = (double)rich->cpu_ticks / (double)(rich->cpu_ticks + poor->cpu_ticks);
    double bound = 5 * sqrt(0.2 * 0.8 / 5000.0);
    ck_assert_msg(fabs(share - 0.8) <= bound, "rich share %.4f, expected 0.8 +- %.4f", share,
                  bound);
}
END_TEST

START_TEST(test_lottery_is_random_not_round_robin)
{
    ck_assert_int_eq(sched_policy_lottery.configure("seed", 99), 0);
    sim_reset(&sched_policy_lottery);
    struct sim_process *a = with_tickets("a", 100);
    with_tickets("b", 100);
    sim_run(2000);
    /* Strict alternation would give a the CPU in every other slice; a fair
     * coin gives runs of two or more slices in a row often. */
    int repeats = 0;
    for (uint64_t tick = 1 + sched_quantum_ticks; tick <= 2000; tick += sched_quantum_ticks)
        repeats += sim_trace(tick) == sim_trace(tick - sched_quantum_ticks);
    ck_assert_msg(repeats >= 40, "only %d repeated slices in 200", repeats);
    ck_assert_uint_gt(a->cpu_ticks, 0);
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("share lab");
    TCase *shares = tcase_create("shares");
    tcase_set_timeout(shares, 60);
    tcase_add_test(shares, test_stride_three_way_shares_are_exact);
    tcase_add_test(shares, test_stride_newcomer_joins_at_the_current_pass);
    tcase_add_test(shares, test_lottery_shares_within_a_statistical_bound);
    tcase_add_test(shares, test_lottery_is_random_not_round_robin);
    suite_add_tcase(suite, shares);
    SRunner *runner = srunner_create(suite);
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed == 0 ? 0 : 1;
}
