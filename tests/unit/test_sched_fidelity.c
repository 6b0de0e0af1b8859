/*
 * test_sched_fidelity.c — host tests: Prism's SJF, STCF and MLFQ against the
 * numbers of OSTEP's own examples, on sched_sim.c's simulated machine.
 *
 * One tick stands for one of the book's seconds (SIM_TICK_NS of CPU time), so
 * the book's figures read off directly: Fig. 7.3 (SJF, convoy), Fig. 7.4/7.5
 * (late arrivals under SJF and STCF). Also the dispatcher's expected-run-time
 * parameter (every policy keeps it) and the rule that lets a slice run on to
 * a burst that ends within half a tick of it (sched_burst_ends_within).
 * And the exact CPU time MLFQ's allotment and CFS's vruntime are charged
 * (charge.h): a job that blocks mid-tick pays what it used.
 * OSTEP ch. 7 (sections 7.4-7.5), ch. 8 (MLFQ), ch. 9 (section 9.7, CFS).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/sched/policies.h"
#include "lib/errno.h"
#include "tests/unit/sched_sim.h"

#define MS 1000000ULL /* ns */

#define TICK_MS ((long)(SIM_TICK_NS / MS))

/* A job that needs `ticks` of CPU and is told so (expected: `told` ticks, 0 = not told). */
static struct sim_process *job(const char *name, uint64_t ticks, long told)
{
    struct sim_process *p = sim_spawn(name, NULL);
    p->demand = ticks;
    if (told > 0)
        ck_assert_int_eq(sim_set_param(p, SCHED_PARAM_EXPECTED, told * TICK_MS), 0);
    return p;
}

/* Jobs spawned while `holder` runs all wait READY; killing it lets the
 * policy choose among them as if they had arrived together. */
static struct sim_process *hold_cpu(void)
{
    struct sim_process *holder = sim_spawn("holder", NULL);
    ck_assert_ptr_eq(sim_running(), holder);
    return holder;
}

START_TEST(test_sjf_convoy_figure_7_3)
{
    sim_reset(&sched_policy_sjf);
    struct sim_process *holder = hold_cpu();
    struct sim_process *a = job("A", 100, 100), *b = job("B", 10, 10), *c = job("C", 10, 10);
    sim_kill(holder); /* time 0: A, B, C all READY */
    uint64_t start = sim_now();
    ck_assert(sim_run_until_all_exit(1000));
    ck_assert_uint_eq(b->finish_tick - start, 10); /* the book: B 10, C 20, A 120 (avg 50) */
    ck_assert_uint_eq(c->finish_tick - start, 20);
    ck_assert_uint_eq(a->finish_tick - start, 120);
}
END_TEST

/* Fig. 7.4 (SJF, non-preemptive) and 7.5 (STCF): A (100) runs; B and C (10
 * each) arrive at 10. SJF: A 100, B 110, C 120; STCF: B 20, C 30, A 120. */
START_TEST(test_late_arrivals_figures_7_4_and_7_5)
{
    static const uint64_t finish[2][3] = {{100, 110, 120}, {120, 20, 30}};
    const struct sched_policy *policies[2] = {&sched_policy_sjf, &sched_policy_stcf};
    for (int i = 0; i < 2; i++) {
        sim_reset(policies[i]);
        struct sim_process *a = job("A", 100, 100);
        sim_run(
            9); /* B and C arrive at 10: the kernel makes them READY before tick 10's policy tick */
        struct sim_process *b = job("B", 10, 10), *c = job("C", 10, 10);
        ck_assert(sim_run_until_all_exit(1000));
        ck_assert_uint_eq(a->finish_tick, finish[i][0]);
        ck_assert_uint_eq(b->finish_tick, finish[i][1]);
        ck_assert_uint_eq(c->finish_tick, finish[i][2]);
    }
}
END_TEST

START_TEST(test_stcf_does_not_alternate_equal_jobs)
{
    sim_reset(&sched_policy_stcf);
    struct sim_process *a = job("A", 30, 30);
    sim_run(9); /* at tick 10 A has 20 left; B arrives with 20 too: no preemption on a tie */
    struct sim_process *b = job("B", 20, 20);
    ck_assert(sim_run_until_all_exit(1000));
    ck_assert_uint_eq(a->finish_tick, 30);
    ck_assert_uint_eq(b->finish_tick, 50);
    ck_assert_uint_eq(a->picks, 1);
}
END_TEST

START_TEST(test_shortest_first_puts_the_untold_last)
{
    const struct sched_policy *policies[2] = {&sched_policy_sjf, &sched_policy_stcf};
    for (int i = 0; i < 2; i++) {
        sim_reset(policies[i]);
        struct sim_process *holder = hold_cpu();
        struct sim_process *untold = job("untold", 5, 0), *told = job("told", 50, 50);
        sim_kill(holder);
        ck_assert(sim_run_until_all_exit(1000));
        ck_assert_uint_lt(told->finish_tick, untold->finish_tick);
    }
}
END_TEST

START_TEST(test_expected_is_kept_by_every_policy_and_checked)
{
    for (int i = 0; i < SCHED_POLICY_COUNT; i++) {
        sim_reset(sched_policies[i]);
        struct sim_process *p = sim_spawn("p", NULL);
        ck_assert_int_eq(sim_set_param(p, SCHED_PARAM_EXPECTED, 0), -EINVAL);
        ck_assert_int_eq(sim_set_param(p, SCHED_PARAM_EXPECTED, -5), -EINVAL);
        ck_assert_uint_eq(p->proc.sched.expected_ns, 0);
        sim_run(3);
        ck_assert_int_eq(sim_set_param(p, SCHED_PARAM_EXPECTED, 70), 0);
        ck_assert_uint_eq(p->proc.sched.expected_ns, 70 * MS);
        ck_assert_uint_eq(p->proc.sched.burst_start_ns, 3 * SIM_TICK_NS); /* from now on */
    }
}
END_TEST

START_TEST(test_burst_ends_within_half_a_tick)
{
    struct sched_entity entity = {.expected_ns = 100 * MS, .burst_start_ns = 40 * MS};
    uint64_t half = SIM_TICK_NS / 2;
    ck_assert(sched_burst_ends_within(&entity, 140 * MS, half));            /* exactly done */
    ck_assert(sched_burst_ends_within(&entity, 140 * MS - 30000, half));    /* 30 us short */
    ck_assert(sched_burst_ends_within(&entity, 140 * MS + half - 1, half)); /* just past */
    ck_assert(!sched_burst_ends_within(&entity, 140 * MS - half - 1, half));
    ck_assert(!sched_burst_ends_within(&entity, 140 * MS + half, half));
    entity.expected_ns = 0; /* never told: slices end on ticks as always */
    ck_assert(!sched_burst_ends_within(&entity, 40 * MS, half));
}
END_TEST

/* ---- MLFQ as OSTEP's mlfq.py defines it --------------------------------- */

static void mlfq_like_mlfq_py(long quantum, long allotment_slices, long boost)
{
    sim_reset(&sched_policy_mlfq);
    ck_assert_int_eq(sched_policy_mlfq.configure("levels", 3), 0);
    ck_assert_int_eq(sched_policy_mlfq.configure("quantum", quantum), 0);
    ck_assert_int_eq(sched_policy_mlfq.configure("allotment_slices", allotment_slices), 0);
    ck_assert_int_eq(sched_policy_mlfq.configure("boost", boost), 0);
    sched_policy_mlfq.init();
}

static void mlfq_restore_defaults(void)
{
    sched_policy_mlfq.configure("quantum0", 0);
    sched_policy_mlfq.configure("quantum1", 0);
    sched_policy_mlfq.configure("quantum2", 0);
    sched_policy_mlfq.configure("allotment_slices", 0);
    sched_policy_mlfq.configure("boost", 100);
}

/* Fig. 8.2: one long job drops a level per slice and the trace hears of each. */
START_TEST(test_mlfq_figure_8_2_long_job_sinks_level_by_level)
{
    mlfq_like_mlfq_py(1, 1, 0);
    struct sim_process *a = sim_spawn("A", NULL);
    sim_run(1);
    ck_assert_int_eq(sim_reported_level[a->proc.pid], 1);
    sim_run(1);
    ck_assert_int_eq(sim_param(a, "level"), 2);
    ck_assert_int_eq(sim_reported_level[a->proc.pid], 2);
    sim_run(50);
    ck_assert_int_eq(sim_param(a, "level"), 2); /* the bottom: it stays */
    mlfq_restore_defaults();
}
END_TEST

/* mlfq.py: a job preempted by a higher-priority arrival stays at the head of
 * its level with the rest of its slice. A and B share the bottom level in
 * 4-tick slices; C arrives during A's slice, runs 2 ticks and exits; then A
 * finishes its slice (2 ticks) before B's turn. */
START_TEST(test_mlfq_preempted_job_keeps_its_place_and_slice)
{
    mlfq_like_mlfq_py(4, 1, 0);
    struct sim_process *a = sim_spawn("A", NULL), *b = sim_spawn("B", NULL);
    sim_run(17); /* A 1-4, B 5-8 (level 1), A 9-12, B 13-16 (level 2), A from 17 */
    ck_assert_int_eq(sim_trace(17), a->proc.pid);
    ck_assert_int_eq(sim_param(a, "level"), 2);
    ck_assert_int_eq(sim_param(b, "level"), 2);
    struct sim_process *c = sim_spawn("C", NULL);
    c->demand = 2;
    sim_run(10);
    ck_assert_int_eq(sim_trace(18), a->proc.pid); /* C is seen at tick 18's policy tick */
    ck_assert_int_eq(sim_trace(19), c->proc.pid);
    ck_assert_int_eq(sim_trace(20), c->proc.pid);
    ck_assert_int_eq(sim_trace(21), a->proc.pid); /* the head of level 2, 2 ticks left */
    ck_assert_int_eq(sim_trace(22), a->proc.pid);
    ck_assert_int_eq(sim_trace(23), b->proc.pid);
    ck_assert_int_eq(sim_trace(26), b->proc.pid);
    ck_assert_int_eq(sim_trace(27), a->proc.pid);
    mlfq_restore_defaults();
}
END_TEST

/* Rule 5 as mlfq.py counts it: boosts every S ticks from the run's start. */
START_TEST(test_mlfq_boosts_count_from_the_run_start)
{
    mlfq_like_mlfq_py(3, 1, 10);
    sim_run_start = 5; /* the workload's first job arrived at tick 5 */
    struct sim_process *a = sim_spawn("A", NULL);
    sim_run(14);
    ck_assert_uint_eq(sim_boosts, 0); /* not at 10: that counts from boot */
    ck_assert_int_eq(sim_param(a, "level"), 2);
    sim_run(1);
    ck_assert_uint_eq(sim_boosts, 1); /* at 15 */
    ck_assert_int_eq(sim_param(a, "level"), 0);
    ck_assert_int_eq(sim_reported_level[a->proc.pid], 0);
    sim_run(10);
    ck_assert_uint_eq(sim_boosts, 2); /* at 25 */
    mlfq_restore_defaults();
}
END_TEST

/* mlfq.py's terms: one quantum for every level, the allotment in slices. */
START_TEST(test_mlfq_parameters_in_mlfq_py_terms)
{
    mlfq_like_mlfq_py(5, 2, 0);
    char line[256];
    sched_policy_mlfq.describe(line, sizeof line);
    ck_assert_ptr_nonnull(strstr(line, "quantum0=5 quantum1=5 quantum2=5"));
    ck_assert_ptr_nonnull(strstr(line, "allotment=2(slices)"));
    struct sim_process *a = sim_spawn("A", NULL);
    sim_run(9);
    ck_assert_int_eq(sim_param(a, "level"), 0);
    sim_run(1); /* two 5-tick slices used: down one level */
    ck_assert_int_eq(sim_param(a, "level"), 1);
    ck_assert_int_eq(sched_policy_mlfq.configure("allotment_slices", -1), -EINVAL);
    ck_assert_int_eq(sched_policy_mlfq.configure("quantum", 10000000), -EINVAL);
    mlfq_restore_defaults();
}
END_TEST

/* ---- Exact time charged (charge.h) ------------------------------------- */

/* Rule 4 in CPU time: a job that blocks after 0.3 tick each time has used
 * its 2-tick allotment after its 7th run (2.1 ticks), not its 6th (1.8); a
 * policy charging whole ticks demotes it after 2 runs, one charging only at
 * ticks never. */
START_TEST(test_mlfq_allotment_is_used_in_exact_time)
{
    mlfq_like_mlfq_py(2, 1, 0); /* allotment: one 2-tick slice per level */
    struct sim_process *a = sim_spawn("A", NULL);
    for (int run = 1; run <= 7; run++) {
        ck_assert_ptr_eq(sim_running(), a);
        ck_assert_int_eq(sim_param(a, "level"), 0);
        sim_block_after(SIM_TICK_NS * 3 / 10, 1);
        sim_tick(); /* A wakes, is charged its 0.3 tick, and runs again */
    }
    ck_assert_int_eq(sim_param(a, "level"), 1);
    ck_assert_int_eq(sim_reported_level[a->proc.pid], 1);
    mlfq_restore_defaults();
}
END_TEST

/* CFS: vruntime grows by the ns used x weight(nice 0) / weight(nice); for
 * nice 0 a half-tick run is half a tick's worth, a tick at a tick. */
START_TEST(test_cfs_vruntime_after_half_a_tick)
{
    sim_reset(&sched_policy_cfs);
    struct sim_process *a = sim_spawn("A", NULL);
    uint64_t start = a->proc.sched.cfs.vruntime;
    sim_block_after(SIM_TICK_NS / 2, 1);
    sim_tick(); /* A wakes: charged the half tick it ran before blocking */
    ck_assert_ptr_eq(sim_running(), a);
    ck_assert_uint_eq(a->proc.sched.cfs.vruntime - start, SIM_TICK_NS / 2);
    sim_tick();
    ck_assert_uint_eq(a->proc.sched.cfs.vruntime - start, SIM_TICK_NS * 3 / 2);
}
END_TEST

static Suite *fidelity_suite(void)
{
    Suite *suite = suite_create("sched_fidelity");
    TCase *shortest = tcase_create("sjf and stcf");
    tcase_add_test(shortest, test_sjf_convoy_figure_7_3);
    tcase_add_test(shortest, test_late_arrivals_figures_7_4_and_7_5);
    tcase_add_test(shortest, test_stcf_does_not_alternate_equal_jobs);
    tcase_add_test(shortest, test_shortest_first_puts_the_untold_last);
    tcase_add_test(shortest, test_expected_is_kept_by_every_policy_and_checked);
    tcase_add_test(shortest, test_burst_ends_within_half_a_tick);
    suite_add_tcase(suite, shortest);
    TCase *mlfq = tcase_create("mlfq as mlfq.py");
    tcase_add_test(mlfq, test_mlfq_figure_8_2_long_job_sinks_level_by_level);
    tcase_add_test(mlfq, test_mlfq_preempted_job_keeps_its_place_and_slice);
    tcase_add_test(mlfq, test_mlfq_boosts_count_from_the_run_start);
    tcase_add_test(mlfq, test_mlfq_parameters_in_mlfq_py_terms);
    suite_add_tcase(suite, mlfq);
    TCase *exact = tcase_create("exact time charged");
    tcase_add_test(exact, test_mlfq_allotment_is_used_in_exact_time);
    tcase_add_test(exact, test_cfs_vruntime_after_half_a_tick);
    suite_add_tcase(suite, exact);
    return suite;
}

int main(void)
{
    SRunner *runner = srunner_create(fidelity_suite());
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed == 0 ? 0 : 1;
}
