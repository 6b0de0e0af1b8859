/*
 * check_mlfq.c — the mlfq lab's own host tests, on the simulated clock.
 *
 * tests/unit/test_sched_policies.c already checks OSTEP's five rules with the
 * default tunables; these add the cases a policy that hard-codes them gets
 * wrong: per-level slices taken from the tunables, a child of a demoted
 * parent starting on top, and a job arriving after a boost.
 * OSTEP ch. 8 (The Multi-Level Feedback Queue).
 */
#include <check.h>

#include "kernel/sched/policy.h"
#include "tests/unit/sched_sim.h"

static struct sim_process *hog(const char *name)
{
    return sim_spawn(name, NULL); /* never blocks, never exits */
}

static void mlfq_setup(long quantum0, long quantum1, long allotment, long boost)
{
    sim_reset(&sched_policy_mlfq);
    ck_assert_int_eq(sched_policy_mlfq.configure("levels", 3), 0);
    ck_assert_int_eq(sched_policy_mlfq.configure("quantum0", quantum0), 0);
    ck_assert_int_eq(sched_policy_mlfq.configure("quantum1", quantum1), 0);
    ck_assert_int_eq(sched_policy_mlfq.configure("allotment", allotment), 0);
    ck_assert_int_eq(sched_policy_mlfq.configure("boost", boost), 0);
    sim_switch_policy(&sched_policy_mlfq);
}

/* Rule 2 with the level's own slice: 4-tick turns on top, 7-tick turns one
 * level down, allotment large enough that nobody moves further. */
START_TEST(test_rule2_each_level_has_its_own_slice)
{
    mlfq_setup(4, 7, 1000, 0);
    struct sim_process *a = hog("a"), *b = hog("b");
    sim_run(40);
    for (uint64_t tick = 1; tick <= 40; tick++)
        ck_assert_int_eq(sim_trace(tick), (((tick - 1) / 4) % 2 ? b : a)->proc.pid);
    ck_assert_int_eq(sim_param(a, "level"), 0);
    ck_assert_int_eq(sched_policy_mlfq.configure("allotment", 1), 0);
    for (int i = 0; i < 20 && (sim_param(a, "level") < 1 || sim_param(b, "level") < 1); i++)
        sim_tick(); /* each uses up a tick at level 0 and sinks one level */
    ck_assert_int_eq(sim_param(a, "level"), 1);
    ck_assert_int_eq(sim_param(b, "level"), 1);
    ck_assert_int_eq(sched_policy_mlfq.configure("allotment", 1000), 0);
    uint64_t start = sim_now();
    int previous = sim_trace(start), run_length = 0;
    int runs_seen = 0;
    for (uint64_t tick = start + 1; tick <= start + 200; tick++) {
        sim_tick();
        int now = sim_trace(tick);
        if (now == previous) {
            run_length++;
            continue;
        }
        if (runs_seen++ > 0) /* the first run may have started before `start` */
            ck_assert_int_eq(run_length, 7);
        previous = now;
        run_length = 1;
    }
    ck_assert_int_ge(runs_seen, 20);
}
END_TEST

/* Rule 3: the child of a job that sank to the bottom is a new job. */
START_TEST(test_rule3_child_of_a_demoted_job_starts_on_top)
{
    mlfq_setup(10, 20, 20, 0);
    struct sim_process *parent = hog("parent");
    sim_run(200);
    ck_assert_int_eq(sim_param(parent, "level"), 2);
    struct sim_process *child = sim_spawn("child", parent);
    ck_assert_int_eq(sim_param(child, "level"), 0);
    sim_tick();
    ck_assert_ptr_eq(sim_running(), child); /* rule 1: it runs first */
}
END_TEST

/* Rule 5 with a tunable period: nothing moves up before it, everyone after. */
START_TEST(test_rule5_boost_period_is_the_tunable)
{
    mlfq_setup(5, 10, 10, 150);
    struct sim_process *a = hog("a"), *b = hog("b");
    sim_run(149);
    ck_assert_int_eq(sim_param(a, "level"), 2);
    ck_assert_int_eq(sim_param(b, "level"), 2);
    sim_run(2);
    ck_assert_int_le(sim_param(a, "level"), 1);
    ck_assert_int_le(sim_param(b, "level"), 1);
    ck_assert(sim_param(a, "level") == 0 || sim_param(b, "level") == 0);
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("mlfq lab");
    TCase *rules = tcase_create("rules");
    tcase_add_test(rules, test_rule2_each_level_has_its_own_slice);
    tcase_add_test(rules, test_rule3_child_of_a_demoted_job_starts_on_top);
    tcase_add_test(rules, test_rule5_boost_period_is_the_tunable);
    suite_add_tcase(suite, rules);
    SRunner *runner = srunner_create(suite);
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed == 0 ? 0 : 1;
}
