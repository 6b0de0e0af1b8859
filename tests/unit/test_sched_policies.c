/*
 * test_sched_policies.c — host tests for every scheduling policy in kernel/sched/.
 *
 * Each policy runs on the simulated machine of sched_sim.c: a simulated clock,
 * scripted processes (CPU demand, bursts, sleeps) and a dispatcher that
 * checks the policy contract on every call. Tests assert what OSTEP says each
 * policy guarantees — FIFO's arrival order, RR's rotation, priority with
 * aging, MLFQ's five rules, lottery's shares in expectation, stride's exact
 * shares, CFS's weighted virtual time — plus the registry and run-time
 * switching between any two policies. Also lib/random.c, the lottery's dice.
 * OSTEP ch. 7 (Scheduling), ch. 8 (MLFQ), ch. 9 (Proportional Share).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/sched/policies.h"
#include "lib/errno.h"
#include "lib/random.h"
#include "tests/unit/sched_sim.h"

#define ARRAY_LENGTH(array) (sizeof(array) / sizeof((array)[0]))

static struct sim_process *spawn(const char *name, uint64_t demand, uint64_t burst, uint64_t sleep)
{
    struct sim_process *p = sim_spawn(name, NULL);
    p->demand = demand;
    p->burst = burst;
    p->sleep = sleep;
    return p;
}

static void set_param_ok(struct sim_process *p, int param, long value)
{
    ck_assert_int_eq(sim_set_param(p, param, value), 0);
}

static void configure_ok(const struct sched_policy *policy, const char *key, long value)
{
    ck_assert_int_eq(policy->configure(key, value), 0);
}

/* Ticks in (from, to] charged to p, read from the trace. */
static uint64_t cpu_between(struct sim_process *p, uint64_t from, uint64_t to)
{
    uint64_t count = 0;
    for (uint64_t tick = from + 1; tick <= to; tick++)
        count += sim_trace(tick) == p->proc.pid;
    return count;
}

static double share(struct sim_process *p, struct sim_process *other)
{
    return (double)p->cpu_ticks / (double)(p->cpu_ticks + other->cpu_ticks);
}

/* ---- lib/random.c --------------------------------------------------- */

START_TEST(test_random_repeats_per_seed_and_differs_across_seeds)
{
    struct random_state first, again, other;
    random_seed(&first, 42);
    random_seed(&again, 42);
    random_seed(&other, 43);
    int differences = 0;
    for (int i = 0; i < 1000; i++) {
        uint64_t value = random_next(&first);
        ck_assert_uint_eq(value, random_next(&again));
        differences += value != random_next(&other);
    }
    ck_assert_int_gt(differences, 990);
    struct random_state zeroed = {0}; /* never seeded: must not stick at 0 */
    ck_assert(random_next(&zeroed) != 0 || random_next(&zeroed) != 0);
}
END_TEST

START_TEST(test_random_below_is_in_range_and_unbiased)
{
    struct random_state random;
    random_seed(&random, 7);
    ck_assert_uint_eq(random_below(&random, 0), 0);
    ck_assert_uint_eq(random_below(&random, 1), 0);
    int counts[3] = {0};
    for (int i = 0; i < 30000; i++)
        counts[random_below(&random, 3)]++;
    for (int i = 0; i < 3; i++)
        ck_assert_int_lt(abs(counts[i] - 10000), 400);
    /* With bound = 3 * 2^62, "raw % bound" would land below 2^62 half the time. */
    uint64_t bound = 3ull << 62;
    int low = 0;
    for (int i = 0; i < 30000; i++) {
        uint64_t value = random_below(&random, bound);
        ck_assert_uint_lt(value, bound);
        low += value < (1ull << 62);
    }
    ck_assert_int_lt(abs(low - 10000), 500);
}
END_TEST

/* ---- the registry and what every policy must do ------------------------ */

static const char *const policy_names[SCHED_POLICY_COUNT] = {
    "rr", "fifo", "prio", "mlfq", "lottery", "stride", "cfs", "sjf", "stcf"};
static const char *const param_labels[SCHED_POLICY_COUNT] = {
    NULL, NULL, "nice", "level", "tickets", "tickets", "nice", "expect", "left"};

START_TEST(test_registry_lists_each_policy_once_rr_first)
{
    for (int i = 0; i < SCHED_POLICY_COUNT; i++) {
        const struct sched_policy *policy = sched_policies[i];
        ck_assert_str_eq(policy->name, policy_names[i]);
        ck_assert_ptr_eq(sched_policy_by_name(policy_names[i]), policy);
        ck_assert(policy->init && policy->enqueue && policy->dequeue && policy->pick_next &&
                  policy->tick && policy->describe);
        ck_assert((policy->check_param != NULL) == (policy->set_param != NULL));
        ck_assert((policy->show_param != NULL) == (param_labels[i] != NULL));
    }
    const char *unknown[] = {"RR", "", "mlfq2", "rr ", "round-robin"};
    for (size_t i = 0; i < ARRAY_LENGTH(unknown); i++)
        ck_assert_ptr_null(sched_policy_by_name(unknown[i]));
    ck_assert_ptr_null(sched_policy_by_name(NULL));
}
END_TEST

START_TEST(test_every_policy_rejects_bad_parameters_and_describes_itself)
{
    const struct sched_policy *policy = sched_policies[_i];
    sim_reset(policy);
    struct sim_process *p = spawn("p", 0, 0, 0);
    const long bad[][2] = {{99, 1}, {SCHED_PARAM_NICE, 20},     {SCHED_PARAM_NICE, -21},
                           {0, 0},  {SCHED_PARAM_TICKETS, 0},   {SCHED_PARAM_TICKETS, 10001},
                           {-1, 5}, {SCHED_PARAM_TICKETS, -100}};
    for (size_t i = 0; i < ARRAY_LENGTH(bad); i++)
        ck_assert_int_eq(sim_set_param(p, (int)bad[i][0], bad[i][1]), -EINVAL);
    bool tunable = _i == 2 || _i == 3 || _i == 4 || _i == 6; /* prio, mlfq, lottery, cfs */
    ck_assert((policy->configure != NULL) == tunable);
    if (policy->configure)
        ck_assert_int_eq(policy->configure("no_such_tunable", 1), -ENOENT);
    if (param_labels[_i])
        sim_param(p, param_labels[_i]); /* asserts the label */
    char line[160];
    int length = policy->describe(line, sizeof(line));
    ck_assert_int_gt(length, 0);
    ck_assert_uint_eq(strlen(line), (size_t)length);
    char small[8];
    memset(small, '#', sizeof(small));
    ck_assert_int_eq(policy->describe(small, 4), length); /* truncated, length unchanged */
    ck_assert_uint_eq(strlen(small), 3);
    ck_assert(small[4] == '#' && small[7] == '#');
}
END_TEST

START_TEST(test_every_policy_runs_a_lone_process_whenever_it_is_ready)
{
    sim_reset(sched_policies[_i]);
    struct sim_process *p = spawn("alone", 0, 7, 3);
    sim_run(100);
    ck_assert_uint_eq(p->cpu_ticks, 70); /* 7 of every 10 ticks, no idle tick while READY */
    ck_assert_uint_eq(p->picks, 11);     /* at 0, 10, ... 100: never preempted for nobody */
    ck_assert_uint_eq(p->proc.accounting.involuntary_switches, 0);
}
END_TEST

START_TEST(test_every_policy_forgets_a_killed_process)
{
    sim_reset(sched_policies[_i]);
    struct sim_process *hogs[5];
    for (int i = 0; i < 5; i++)
        hogs[i] = spawn("hog", 0, 0, 0);
    sim_run(50);
    int killed = 0;
    for (int i = 0; i < 5 && killed < 2; i++)
        if (hogs[i]->proc.state == PROC_READY) {
            sim_kill(hogs[i]);
            killed++;
        }
    sim_kill(sim_running());
    uint64_t total_before = 0;
    for (int i = 0; i < 5; i++)
        total_before += hogs[i]->cpu_ticks;
    sim_run(1000); /* the simulator fails the test if a dead process is picked */
    uint64_t total_after = 0;
    for (int i = 0; i < 5; i++)
        total_after += hogs[i]->cpu_ticks;
    ck_assert_uint_eq(total_after - total_before, 1000); /* the two survivors use every tick */
}
END_TEST

/* ---- FIFO ----------------------------------------------------------------- */

START_TEST(test_fifo_runs_jobs_to_completion_in_arrival_order)
{
    sim_reset(&sched_policy_fifo);
    struct sim_process *a = spawn("a", 30, 0, 0), *b = spawn("b", 5, 0, 0);
    struct sim_process *c = spawn("c", 12, 0, 0);
    ck_assert(sim_run_until_all_exit(100));
    ck_assert_uint_eq(a->finish_tick, 30);
    ck_assert_uint_eq(b->finish_tick, 35);
    ck_assert_uint_eq(c->finish_tick, 47);
    ck_assert(a->picks == 1 && b->picks == 1 && c->picks == 1); /* never preempted */
}
END_TEST

START_TEST(test_fifo_sends_a_job_that_blocks_to_the_back)
{
    sim_reset(&sched_policy_fifo);
    struct sim_process *a = spawn("a", 20, 5, 2); /* READY again at 7, behind c */
    struct sim_process *b = spawn("b", 10, 0, 0), *c = spawn("c", 10, 0, 0);
    ck_assert(sim_run_until_all_exit(100));
    ck_assert_uint_eq(b->finish_tick, 15);
    ck_assert_uint_eq(c->finish_tick, 25);
    ck_assert_uint_eq(a->finish_tick, 44); /* 26-30, idle, 33-37, idle, 40-44 */
}
END_TEST

/* A run-time switch re-enqueues in any order: FIFO must still go by arrival. */
START_TEST(test_fifo_orders_by_ready_tick_not_by_enqueue_call)
{
    sim_reset(&sched_policy_fifo);
    struct sim_process *first = spawn("first", 0, 0, 0);
    struct sim_process *younger = spawn("younger", 0, 0, 0), *older = spawn("older", 0, 0, 0);
    younger->proc.sched.ready_since_tick = 9;
    older->proc.sched.ready_since_tick = 3;
    sim_switch_policy(&sched_policy_fifo); /* re-enqueues younger, then older */
    sim_run(500);
    ck_assert_uint_eq(first->cpu_ticks, 500); /* the timer never preempts */
    sim_kill(first);
    ck_assert_ptr_eq(sim_running(), older);
    sim_kill(older);
    ck_assert_ptr_eq(sim_running(), younger);
}
END_TEST

/* ---- round robin ---------------------------------------------------------- */

START_TEST(test_rr_switches_every_quantum_in_turn)
{
    sim_reset(&sched_policy_rr);
    sched_quantum_ticks = 4;
    struct sim_process *order[] = {spawn("a", 0, 0, 0), spawn("b", 0, 0, 0), spawn("c", 0, 0, 0)};
    sim_run(120);
    for (uint64_t tick = 1; tick <= 120; tick++)
        ck_assert_int_eq(sim_trace(tick), order[((tick - 1) / 4) % 3]->proc.pid);
}
END_TEST

/* ---- priority with aging ------------------------------------------------- */

START_TEST(test_prio_better_priority_preempts_at_the_next_tick)
{
    sim_reset(&sched_policy_prio);
    struct sim_process *hog = spawn("hog", 0, 0, 0);
    sim_run(25);
    struct sim_process *urgent = spawn("urgent", 0, 0, 0);
    set_param_ok(urgent, SCHED_PARAM_NICE, -5); /* while queued: it must move up */
    sim_tick();
    ck_assert_int_eq(sim_trace(26), hog->proc.pid);
    ck_assert_ptr_eq(sim_running(), urgent);
    struct sim_process *lazy = spawn("lazy", 0, 0, 0);
    set_param_ok(lazy, SCHED_PARAM_NICE, 5);
    sim_run(40); /* urgent is better than both; aging needs 50 ticks to lift hog to it */
    ck_assert_uint_eq(urgent->cpu_ticks, 40);
    ck_assert_uint_eq(lazy->cpu_ticks, 0);
    ck_assert_int_eq(sim_param(urgent, "nice"), -5);
}
END_TEST

START_TEST(test_prio_takes_turns_within_a_level_and_ignores_worse_levels)
{
    sim_reset(&sched_policy_prio);
    configure_ok(&sched_policy_prio, "aging", 0); /* strict priority */
    struct sim_process *a = spawn("a", 0, 0, 0), *b = spawn("b", 0, 0, 0);
    struct sim_process *worse = spawn("worse", 0, 0, 0);
    set_param_ok(worse, SCHED_PARAM_NICE, 1);
    sim_run(200);
    for (uint64_t tick = 1; tick <= 200; tick++)
        ck_assert_int_eq(sim_trace(tick), (((tick - 1) / 10) % 2 ? b : a)->proc.pid);
    ck_assert_uint_eq(worse->cpu_ticks, 0); /* without aging it starves */
}
END_TEST

START_TEST(test_prio_aging_bounds_how_long_a_nice_19_process_waits)
{
    sim_reset(&sched_policy_prio);
    configure_ok(&sched_policy_prio, "aging", 10);
    struct sim_process *hog = spawn("hog", 0, 0, 0), *meek = spawn("meek", 0, 0, 0);
    set_param_ok(hog, SCHED_PARAM_NICE, -20);
    set_param_ok(meek, SCHED_PARAM_NICE, 19);
    sim_run(20000);
    uint64_t gap = 0, longest_gap = 0; /* 39 levels x 10 ticks, then the hog yields */
    for (uint64_t tick = 1; tick <= 20000; tick++) {
        gap = sim_trace(tick) == meek->proc.pid ? 0 : gap + 1;
        longest_gap = gap > longest_gap ? gap : longest_gap;
    }
    ck_assert_uint_le(longest_gap, 39 * 10 + 2);
    ck_assert_uint_ge(meek->cpu_ticks, 20000 / 392);
    ck_assert_uint_le(meek->cpu_ticks, 20000 / 50); /* still far below the hog */
}
END_TEST

START_TEST(test_prio_parameters_and_tunables)
{
    sim_reset(&sched_policy_prio);
    struct sim_process *parent = spawn("parent", 0, 0, 0);
    set_param_ok(parent, SCHED_PARAM_NICE, 7);
    struct sim_process *child = sim_spawn("child", parent);
    ck_assert_int_eq(sim_param(child, "nice"), 7);
    set_param_ok(child, SCHED_PARAM_NICE, -20);
    set_param_ok(child, SCHED_PARAM_NICE, 19);
    ck_assert_int_eq(sim_set_param(child, SCHED_PARAM_TICKETS, 100), -EINVAL);
    ck_assert_int_eq(sched_policy_prio.configure("aging", -1), -EINVAL);
    ck_assert_int_eq(sched_policy_prio.configure("Aging", 5), -ENOENT);
    configure_ok(&sched_policy_prio, "aging", 25);
    char line[128];
    sched_policy_prio.describe(line, sizeof(line));
    ck_assert_ptr_nonnull(strstr(line, "aging=25"));
}
END_TEST

/* ---- MLFQ ------------------------------------------------------------------ */

/* Defaults: 3 levels, slices 10/20/40, allotments 2 slices = 20/40; boost off. */
static void mlfq_reset(uint64_t boost)
{
    sim_reset(&sched_policy_mlfq);
    configure_ok(&sched_policy_mlfq, "levels", 3);
    configure_ok(&sched_policy_mlfq, "allotment", 0);
    for (int level = 0; level < 8; level++) {
        char key[24];
        snprintf(key, sizeof(key), "quantum%d", level);
        configure_ok(&sched_policy_mlfq, key, 0);
    }
    configure_ok(&sched_policy_mlfq, "boost", (long)boost);
    sim_switch_policy(&sched_policy_mlfq); /* init again: the boost clock starts now */
}

static long expected_level(uint64_t cpu_ticks)
{
    return cpu_ticks < 20 ? 0 : cpu_ticks < 20 + 40 ? 1 : 2;
}

START_TEST(test_mlfq_demotes_a_job_that_uses_its_allotment)
{
    mlfq_reset(0);
    struct sim_process *hog = spawn("hog", 0, 0, 0);
    for (int i = 0; i < 300; i++) {
        ck_assert_int_eq(sim_param(hog, "level"), expected_level(hog->cpu_ticks));
        sim_tick();
    }
    ck_assert_int_eq(sim_param(hog, "level"), 2); /* the bottom level keeps it */
}
END_TEST

/* Rule 4: blocking one tick before the slice ends does not reset the allotment. */
START_TEST(test_mlfq_rule4_a_job_that_yields_early_is_still_demoted)
{
    mlfq_reset(0);
    struct sim_process *gamer = spawn("gamer", 0, 9, 1);
    spawn("hog", 0, 0, 0);
    for (int i = 0; i < 1000; i++) {
        ck_assert_int_eq(sim_param(gamer, "level"), expected_level(gamer->cpu_ticks));
        sim_tick();
    }
    ck_assert_uint_ge(gamer->cpu_ticks, 60);
}
END_TEST

START_TEST(test_mlfq_interactive_job_stays_on_top_between_boosts)
{
    mlfq_reset(100);
    struct sim_process *typist = spawn("typist", 0, 1, 9);
    struct sim_process *hog = spawn("hog", 0, 0, 0);
    long deepest_hog_level = 0;
    for (int i = 0; i < 3000; i++) {
        sim_tick();
        ck_assert_int_eq(sim_param(typist, "level"), 0);
        long level = sim_param(hog, "level");
        deepest_hog_level = level > deepest_hog_level ? level : deepest_hog_level;
    }
    ck_assert_int_eq(deepest_hog_level, 2);
    ck_assert_uint_ge(typist->cpu_ticks, 270); /* 1 in 10 ticks, barely delayed */
    /* Without boosts, rule 4 adds up its short bursts and demotes it after all. */
    mlfq_reset(0);
    typist = spawn("typist", 0, 1, 9);
    spawn("hog", 0, 0, 0);
    sim_run(3000);
    ck_assert_int_eq(sim_param(typist, "level"), 2);
}
END_TEST

/* Rules 1 and 3: a new job starts on top and runs before a demoted one. */
START_TEST(test_mlfq_new_job_runs_before_demoted_jobs)
{
    mlfq_reset(0);
    struct sim_process *old = spawn("old", 0, 0, 0);
    sim_run(100);
    ck_assert_int_eq(sim_param(old, "level"), 2);
    struct sim_process *young = spawn("young", 0, 0, 0);
    ck_assert_int_eq(sim_param(young, "level"), 0);
    sim_tick();
    ck_assert_ptr_eq(sim_running(), young); /* preempts at once */
    sim_run(60);                            /* 20 at level 0, 40 at level 1 */
    ck_assert_uint_eq(old->cpu_ticks, 101);
    sim_run(160); /* both on the bottom level now: turns of 40 */
    ck_assert_uint_eq(old->cpu_ticks, 101 + 80);
    ck_assert_uint_eq(young->cpu_ticks, 60 + 80);
}
END_TEST

START_TEST(test_mlfq_boost_moves_every_job_to_the_top)
{
    mlfq_reset(300);
    struct sim_process *a = spawn("a", 0, 0, 0), *b = spawn("b", 0, 0, 0);
    struct sim_process *sleeper = spawn("sleeper", 0, 50, 1000);
    sim_run(299);
    ck_assert_int_eq(sim_param(a, "level"), 2);
    ck_assert_int_eq(sim_param(b, "level"), 2);
    ck_assert_int_eq(sim_param(sleeper, "level"), 1); /* 20 at level 0 + 30 at level 1 */
    ck_assert_int_eq(sleeper->proc.state, PROC_BLOCKED);
    sim_tick();
    ck_assert_int_eq(sim_param(a, "level"), 0);
    ck_assert_int_eq(sim_param(b, "level"), 0);
    ck_assert_int_eq(sim_param(sleeper, "level"), 0); /* blocked jobs are boosted too */
    uint64_t a_before = a->cpu_ticks;
    sim_run(40); /* a and b take 10-tick turns on the top level again */
    ck_assert_uint_eq(a->cpu_ticks - a_before, 20);
}
END_TEST

START_TEST(test_mlfq_tunables)
{
    mlfq_reset(100);
    const struct sched_policy *mlfq = &sched_policy_mlfq;
    char line[256];
    mlfq->describe(line, sizeof(line));
    const char *shown[] = {"levels=3",    "boost=100",   "allotment=0",
                           "quantum0=10", "quantum1=20", "quantum2=40"};
    for (size_t i = 0; i < ARRAY_LENGTH(shown); i++)
        ck_assert_msg(strstr(line, shown[i]), "\"%s\" lacks %s", line, shown[i]);
    ck_assert_int_eq(mlfq->configure("levels", 0), -EINVAL);
    ck_assert_int_eq(mlfq->configure("levels", 9), -EINVAL);
    ck_assert_int_eq(mlfq->configure("quantum8", 5), -ENOENT);
    ck_assert_int_eq(mlfq->configure("quantum9", 5), -ENOENT);
    ck_assert_int_eq(mlfq->configure("quantum3", -1), -EINVAL);
    ck_assert_int_eq(mlfq->configure("allotment", -1), -EINVAL);
    ck_assert_int_eq(mlfq->configure("boost", -5), -EINVAL);
    ck_assert_int_eq(sim_set_param(spawn("p", 0, 0, 0), SCHED_PARAM_NICE, 0), -EINVAL);
    mlfq_reset(0);
    configure_ok(mlfq, "quantum0", 3);
    configure_ok(mlfq, "allotment", 1000);
    struct sim_process *a = spawn("a", 0, 0, 0), *b = spawn("b", 0, 0, 0);
    sim_run(60);
    for (uint64_t tick = 1; tick <= 60; tick++)
        ck_assert_int_eq(sim_trace(tick), (((tick - 1) / 3) % 2 ? b : a)->proc.pid);
    sim_kill(b);
    configure_ok(mlfq, "allotment", 0);
    sim_run(100);
    ck_assert_int_eq(sim_param(a, "level"), 2);
    configure_ok(mlfq, "levels", 1); /* one level: a is on it, and it is plain round robin */
    struct sim_process *c = spawn("c", 0, 0, 0);
    uint64_t start = sim_now();
    sim_run(200);
    ck_assert_int_eq(sim_param(a, "level"), 0);
    /* Round robin in 10-tick slices; a first finishes the slice it was in
     * when c arrived (as in mlfq.py, no preemption mid-slice by an equal). */
    uint64_t a_cpu = cpu_between(a, start, sim_now()), c_cpu = cpu_between(c, start, sim_now());
    ck_assert_uint_eq(a_cpu + c_cpu, 200);
    ck_assert_uint_le(a_cpu > c_cpu ? a_cpu - c_cpu : c_cpu - a_cpu, 10);
}
END_TEST

/* ---- lottery ---------------------------------------------------------------- */

START_TEST(test_lottery_shares_follow_tickets)
{
    configure_ok(&sched_policy_lottery, "seed", 12345);
    sim_reset(&sched_policy_lottery);
    struct sim_process *a = spawn("a", 0, 0, 0), *b = spawn("b", 0, 0, 0);
    set_param_ok(b, SCHED_PARAM_TICKETS, 300); /* while queued */
    sim_run(100000);
    ck_assert_msg(share(b, a) > 0.73 && share(b, a) < 0.77, "share %f", share(b, a));
    struct sim_process *c = spawn("c", 0, 0, 0); /* 100 : 300 : 100 */
    uint64_t start = sim_now();
    sim_run(100000);
    double c_share = (double)cpu_between(c, start, sim_now()) / 100000.0;
    ck_assert_msg(c_share > 0.18 && c_share < 0.22, "share %f", c_share);
}
END_TEST

/* seed < 0: keep the configured seed (init must restart its sequence). */
static void lottery_trace(long seed, int *pids, int ticks)
{
    if (seed >= 0)
        configure_ok(&sched_policy_lottery, "seed", seed);
    sim_reset(&sched_policy_lottery);
    for (int i = 0; i < 4; i++)
        spawn("p", 0, 0, 0);
    sim_run((uint64_t)ticks);
    for (int tick = 1; tick <= ticks; tick++)
        pids[tick - 1] = sim_trace((uint64_t)tick);
}

START_TEST(test_lottery_same_seed_same_schedule)
{
    static int first[5000], again[5000], other[5000];
    lottery_trace(7, first, 5000);
    lottery_trace(-1, again, 5000); /* init alone restarts the sequence */
    ck_assert(memcmp(first, again, sizeof(first)) == 0);
    lottery_trace(7, again, 5000);
    ck_assert(memcmp(first, again, sizeof(first)) == 0);
    lottery_trace(8, other, 5000);
    ck_assert(memcmp(first, other, sizeof(first)) != 0);
    char line[128];
    sched_policy_lottery.describe(line, sizeof(line));
    ck_assert_ptr_nonnull(strstr(line, "seed=8"));
}
END_TEST

/* Shared by lottery and stride: tickets default to 100, are inherited, 1..10000. */
START_TEST(test_tickets_parameter)
{
    sim_reset(_i ? &sched_policy_stride : &sched_policy_lottery);
    struct sim_process *parent = spawn("parent", 0, 0, 0);
    ck_assert_int_eq(sim_param(parent, "tickets"), 100);
    set_param_ok(parent, SCHED_PARAM_TICKETS, 250);
    ck_assert_int_eq(sim_param(sim_spawn("child", parent), "tickets"), 250);
    set_param_ok(parent, SCHED_PARAM_TICKETS, 1);
    set_param_ok(parent, SCHED_PARAM_TICKETS, 10000);
    ck_assert_int_eq(sim_param(parent, "tickets"), 10000);
    ck_assert_int_eq(sim_set_param(parent, SCHED_PARAM_NICE, 0), -EINVAL);
}
END_TEST

/* ---- stride ----------------------------------------------------------------- */

START_TEST(test_stride_shares_are_exact)
{
    sim_reset(&sched_policy_stride);
    struct sim_process *a = spawn("a", 0, 0, 0), *b = spawn("b", 0, 0, 0);
    set_param_ok(a, SCHED_PARAM_TICKETS, 300);
    set_param_ok(b, SCHED_PARAM_TICKETS, 100);
    for (int i = 0; i < 40000; i++) {
        sim_tick();
        ck_assert_uint_le(llabs((long long)a->cpu_ticks - 3 * (long long)b->cpu_ticks),
                          3 * sched_quantum_ticks);
    }
    ck_assert_uint_le(llabs((long long)a->cpu_ticks - 30000), sched_quantum_ticks);
    ck_assert_uint_le(llabs((long long)b->cpu_ticks - 10000), sched_quantum_ticks);
    struct sim_process *c = spawn("c", 0, 0, 0), *d = spawn("d", 0, 0, 0);
    set_param_ok(c, SCHED_PARAM_TICKETS, 200); /* 300 : 100 : 200 : 400 */
    set_param_ok(d, SCHED_PARAM_TICKETS, 400);
    uint64_t start = sim_now();
    sim_run(100000);
    struct sim_process *all[] = {a, b, c, d};
    const long long expected[] = {30000, 10000, 20000, 40000};
    for (int i = 0; i < 4; i++) {
        long long got = (long long)cpu_between(all[i], start, sim_now());
        ck_assert_msg(llabs(got - expected[i]) <= 2 * (long long)sched_quantum_ticks,
                      "process %d: %lld ticks, expected %lld", i, got, expected[i]);
    }
}
END_TEST

/* A process that slept must not make up for lost time by monopolizing the CPU
 * (stride: pass raised to the global pass; cfs: vruntime to min_vruntime). */
START_TEST(test_sleeper_cannot_bank_credit)
{
    sim_reset(_i ? &sched_policy_cfs : &sched_policy_stride);
    spawn("hog", 0, 0, 0);
    struct sim_process *sleeper = spawn("sleeper", 0, 50, 1000);
    while (sleeper->proc.state != PROC_BLOCKED)
        sim_tick();
    sleeper->burst = 0; /* after this sleep it computes for ever */
    while (sleeper->proc.state == PROC_BLOCKED)
        sim_tick();
    uint64_t woke = sim_now();
    sim_run(200);
    uint64_t used = cpu_between(sleeper, woke, sim_now());
    ck_assert_msg(used >= 90 && used <= 110, "sleeper ran %llu of 200 ticks",
                  (unsigned long long)used);
}
END_TEST

/* Stride and CFS: every pick is the READY process with the smallest key,
 * through spawns, kills (removal from the middle) and sleeps. */
static uint64_t pick_key(const struct proc *p)
{
    return sim_policy() == &sched_policy_stride ? p->sched.stride.pass : p->sched.cfs.vruntime;
}

START_TEST(test_pick_is_the_smallest_key)
{
    sim_reset(_i ? &sched_policy_cfs : &sched_policy_stride);
    for (int i = 0; i < 30; i++) {
        struct sim_process *p = spawn("p", 0, i % 3 ? 0 : 4 + i % 5, (uint64_t)i);
        if (_i)
            set_param_ok(p, SCHED_PARAM_NICE, (i * 7) % 40 - 20);
        else
            set_param_ok(p, SCHED_PARAM_TICKETS, 1 + (i * 337) % 1000);
    }
    for (int tick = 0; tick < 20000; tick++) {
        struct sim_process *before = sim_running();
        uint64_t picks = before ? before->picks : 0;
        sim_tick();
        if (tick % 700 == 0 && sim_process(tick % 30)->proc.state == PROC_READY)
            sim_kill(sim_process(tick % 30));
        struct sim_process *now = sim_running();
        if (!now || (now == before && now->picks == picks))
            continue; /* no new pick this tick */
        for (int i = 0; i < sim_process_count(); i++)
            if (sim_process(i)->proc.state == PROC_READY)
                ck_assert_uint_le(pick_key(&now->proc), pick_key(&sim_process(i)->proc));
    }
}
END_TEST

/* Stride: equal passes take turns in the order the processes became READY
 * (the heap's push order), as round robin would: 48 equal spinners must be
 * picked in spawn order, round after round. */
START_TEST(test_stride_equal_passes_take_turns_in_arrival_order)
{
    enum { COUNT = 48, ROUNDS = 4 };
    sim_reset(&sched_policy_stride);
    for (int i = 0; i < COUNT; i++)
        spawn("p", 0, 0, 0);
    int picked = 0;
    struct sim_process *last = NULL;
    uint64_t last_picks = 0;
    for (int tick = 0; picked < COUNT * ROUNDS; tick++) {
        ck_assert_int_lt(tick, COUNT * ROUNDS * 2 * SIM_DEFAULT_QUANTUM);
        sim_tick();
        struct sim_process *now = sim_running();
        if (!now || (now == last && now->picks == last_picks))
            continue; /* no new pick this tick */
        ck_assert_ptr_eq(now, sim_process(picked % COUNT));
        picked++;
        last = now;
        last_picks = now->picks;
    }
}
END_TEST

/* ---- CFS -------------------------------------------------------------------- */

START_TEST(test_cfs_equal_weights_keep_vruntimes_within_a_quantum)
{
    sim_reset(&sched_policy_cfs);
    struct sim_process *p[4];
    for (int i = 0; i < 4; i++)
        p[i] = spawn("p", 0, 0, 0);
    uint64_t start = p[0]->proc.sched.cfs.vruntime;
    sim_tick();
    uint64_t per_tick = p[0]->proc.sched.cfs.vruntime - start; /* a nice-0 tick in vruntime */
    ck_assert_uint_gt(per_tick, 0);
    for (int tick = 0; tick < 10000; tick++) {
        uint64_t lowest = UINT64_MAX, highest = 0;
        for (int i = 0; i < 4; i++) {
            uint64_t v = p[i]->proc.sched.cfs.vruntime;
            lowest = v < lowest ? v : lowest;
            highest = v > highest ? v : highest;
        }
        ck_assert_uint_le(highest - lowest, sched_quantum_ticks * per_tick);
        sim_tick();
    }
    for (int i = 0; i < 4; i++)
        ck_assert_uint_le(llabs((long long)p[i]->cpu_ticks - 2500), sched_quantum_ticks);
}
END_TEST

START_TEST(test_cfs_nice_sets_share_by_weight)
{
    const long nice_pairs[][2] = {{0, 5}, {-5, 0}, {0, 1}};
    const double expected[] = {3.05, 3.05, 1.25}; /* 1.25 ^ (nice difference) */
    for (size_t i = 0; i < ARRAY_LENGTH(nice_pairs); i++) {
        sim_reset(&sched_policy_cfs);
        struct sim_process *heavy = spawn("heavy", 0, 0, 0), *light = spawn("light", 0, 0, 0);
        set_param_ok(heavy, SCHED_PARAM_NICE, nice_pairs[i][0]);
        set_param_ok(light, SCHED_PARAM_NICE, nice_pairs[i][1]);
        sim_run(60000);
        double ratio = (double)heavy->cpu_ticks / (double)light->cpu_ticks;
        /* A slice ends in a switch only if someone is further behind. */
        ck_assert_uint_le(heavy->proc.accounting.involuntary_switches, light->picks);
        ck_assert_msg(ratio > expected[i] * 0.97 && ratio < expected[i] * 1.03,
                      "nice %ld vs %ld: ratio %f", nice_pairs[i][0], nice_pairs[i][1], ratio);
    }
}
END_TEST

START_TEST(test_cfs_parameters_and_tunables)
{
    sim_reset(&sched_policy_cfs);
    struct sim_process *parent = spawn("parent", 0, 0, 0);
    set_param_ok(parent, SCHED_PARAM_NICE, -3);
    ck_assert_int_eq(sim_param(sim_spawn("child", parent), "nice"), -3);
    ck_assert_int_eq(sched_policy_cfs.configure("granularity", -1), -EINVAL);
    ck_assert_int_eq(sched_policy_cfs.configure("quantum", 5), -ENOENT);
    configure_ok(&sched_policy_cfs, "granularity", 2);
    char line[160];
    sched_policy_cfs.describe(line, sizeof(line));
    ck_assert_ptr_nonnull(strstr(line, "granularity=2"));
    /* Two ticks ahead of the other is allowed, three is not: a runs 3 ticks from
     * 0, then each runs from 3 behind to 3 ahead — turns of 6, inside 10-tick slices. */
    sim_reset(&sched_policy_cfs);
    struct sim_process *a = spawn("a", 0, 0, 0), *b = spawn("b", 0, 0, 0);
    sim_run(123);
    for (uint64_t tick = 1; tick <= 123; tick++)
        ck_assert_int_eq(sim_trace(tick), (tick <= 3 || ((tick - 4) / 6) % 2 ? a : b)->proc.pid);
}
END_TEST

/* ---- switching policy at run time -------------------------------------------- */

/* _i encodes (from, to): every ordered pair, a policy to itself included. */
START_TEST(test_switch_loses_and_duplicates_no_process)
{
    const struct sched_policy *from = sched_policies[_i / SCHED_POLICY_COUNT];
    const struct sched_policy *to = sched_policies[_i % SCHED_POLICY_COUNT];
    sim_reset(from);
    for (int i = 0; i < 6; i++) { /* varied nice and tickets, inherited from "init" */
        sim_init_process()->sched.nice = i * 3 - 8;
        sim_init_process()->sched.tickets = (uint64_t)(50 + 100 * i);
        if (i < 4)
            spawn("cpu", 300, 0, 0);
        else if (i == 4)
            spawn("interactive", 40, 2, 5);
        else
            spawn("sleepy", 3, 1, 300);
    }
    sim_run(150);
    uint64_t cpu_at_switch[6];
    for (int i = 0; i < 6; i++)
        cpu_at_switch[i] = sim_process(i)->cpu_ticks;
    sim_switch_policy(to);
    ck_assert_msg(sim_run_until_all_exit(20000), "%s -> %s: not every process finished", from->name,
                  to->name);
    for (int i = 0; i < 6; i++) {
        struct sim_process *p = sim_process(i);
        ck_assert_uint_eq(p->cpu_ticks, p->demand); /* ran exactly its demand, no more */
        ck_assert_msg(cpu_at_switch[i] == p->demand || p->finish_tick > 150, "%s -> %s: process %d",
                      from->name, to->name, i);
    }
}
END_TEST

/* ---- the suite ----------------------------------------------------------------- */

static Suite *sched_policies_suite(void)
{
    Suite *suite = suite_create("sched_policies");
    TCase *random = tcase_create("random");
    tcase_add_test(random, test_random_repeats_per_seed_and_differs_across_seeds);
    tcase_add_test(random, test_random_below_is_in_range_and_unbiased);
    suite_add_tcase(suite, random);

    TCase *common = tcase_create("every policy");
    tcase_add_test(common, test_registry_lists_each_policy_once_rr_first);
    tcase_add_loop_test(common, test_every_policy_rejects_bad_parameters_and_describes_itself, 0,
                        SCHED_POLICY_COUNT);
    tcase_add_loop_test(common, test_every_policy_runs_a_lone_process_whenever_it_is_ready, 0,
                        SCHED_POLICY_COUNT);
    tcase_add_loop_test(common, test_every_policy_forgets_a_killed_process, 0, SCHED_POLICY_COUNT);
    suite_add_tcase(suite, common);

    TCase *simple = tcase_create("fifo, rr, prio");
    tcase_add_test(simple, test_fifo_runs_jobs_to_completion_in_arrival_order);
    tcase_add_test(simple, test_fifo_sends_a_job_that_blocks_to_the_back);
    tcase_add_test(simple, test_fifo_orders_by_ready_tick_not_by_enqueue_call);
    tcase_add_test(simple, test_rr_switches_every_quantum_in_turn);
    tcase_add_test(simple, test_prio_better_priority_preempts_at_the_next_tick);
    tcase_add_test(simple, test_prio_takes_turns_within_a_level_and_ignores_worse_levels);
    tcase_add_test(simple, test_prio_aging_bounds_how_long_a_nice_19_process_waits);
    tcase_add_test(simple, test_prio_parameters_and_tunables);
    suite_add_tcase(suite, simple);

    TCase *mlfq = tcase_create("mlfq");
    tcase_add_test(mlfq, test_mlfq_demotes_a_job_that_uses_its_allotment);
    tcase_add_test(mlfq, test_mlfq_rule4_a_job_that_yields_early_is_still_demoted);
    tcase_add_test(mlfq, test_mlfq_interactive_job_stays_on_top_between_boosts);
    tcase_add_test(mlfq, test_mlfq_new_job_runs_before_demoted_jobs);
    tcase_add_test(mlfq, test_mlfq_boost_moves_every_job_to_the_top);
    tcase_add_test(mlfq, test_mlfq_tunables);
    suite_add_tcase(suite, mlfq);

    TCase *share = tcase_create("lottery, stride, cfs");
    tcase_set_timeout(share, 30);
    tcase_add_test(share, test_lottery_shares_follow_tickets);
    tcase_add_test(share, test_lottery_same_seed_same_schedule);
    tcase_add_loop_test(share, test_tickets_parameter, 0, 2);
    tcase_add_test(share, test_stride_shares_are_exact);
    tcase_add_loop_test(share, test_sleeper_cannot_bank_credit, 0, 2);
    tcase_add_loop_test(share, test_pick_is_the_smallest_key, 0, 2);
    tcase_add_test(share, test_stride_equal_passes_take_turns_in_arrival_order);
    tcase_add_test(share, test_cfs_equal_weights_keep_vruntimes_within_a_quantum);
    tcase_add_test(share, test_cfs_nice_sets_share_by_weight);
    tcase_add_test(share, test_cfs_parameters_and_tunables);
    suite_add_tcase(suite, share);

    TCase *switching = tcase_create("switch");
    tcase_add_loop_test(switching, test_switch_loses_and_duplicates_no_process, 0,
                        SCHED_POLICY_COUNT * SCHED_POLICY_COUNT);
    suite_add_tcase(suite, switching);
    return suite;
}

int main(void)
{
    SRunner *runner = srunner_create(sched_policies_suite());
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed == 0 ? 0 : 1;
}
