/*
 * test_scheduler.c — the real dispatcher (kernel/sched/scheduler.c) on the host.
 *
 * The dispatcher's source is included whole, so its private run-queue
 * helpers are reachable, and linked with every policy and the wait queues.
 * The hardware below it is stubbed: context_switch only records that a
 * switch happened (the "processes" here are PCBs without code, put into each
 * state the way the kernel would), timer_ticks is a simulated clock, tracing
 * does nothing, panic aborts (so a broken invariant is a SIGABRT a test can
 * expect). What is checked: sched_set_param on a RUNNING, READY, BLOCKED and
 * ZOMBIE process under every policy keeps every queue whole (issue 13,
 * defect 1) and a refused value moves nobody (defect 9); nice and tickets
 * are inherited on fork; the lottery's draw at its boundaries, with a
 * stubbed random source; a sleeper wakes on exactly its tick; and the
 * membership assertions fire on a double enqueue, a stray dequeue and a
 * ticket sum that disagrees with the queue; container groups' members sit
 * beside every policy's queues without one being lost or picked twice.
 * OSTEP ch. 6 (switching), ch. 7-9 (policies), ch. 30 (waiting).
 */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

/* The C library has a sched_yield of its own, which Check calls: the
 * kernel's must not replace it in this host program. */
#define sched_yield prism_sched_yield
#include "kernel/sched/scheduler.c"

#include "kernel/group/group.h"
#include "kernel/group/group_sched.h"
#include "kernel/sched/policies.h"
#include "tests/unit/host_panic.h"
#include "tests/unit/host_proc.h"

/* ---- the kernel below the dispatcher, stubbed ---------------------------- */

struct list_node proc_list = LIST_HEAD_INIT(proc_list);
static struct cpu host_cpu;
static uint64_t clock_now;
static int switches;

struct cpu *cpu_this(void)
{
    return &host_cpu;
}

void cpu_set_kernel_stack(uint64_t stack_top)
{
    (void)stack_top;
}

void as_activate(const struct address_space *as)
{
    (void)as;
}

void cpu_state_switch(struct proc *from, struct proc *to)
{
    (void)from;
    (void)to;
}

void context_switch(struct context **save_here, struct context *next)
{
    (void)save_here;
    (void)next;
    switches++;
}

uint64_t timer_ticks(void)
{
    return clock_now;
}

uint64_t timer_now_ns(void) /* the CPU-time clock: 10 ms per simulated tick */
{
    return clock_now * 10000000ULL;
}

unsigned timer_hz(void)
{
    return 100;
}

int proc_kill(int pid, int signal) /* arrival.c's deadlines: none in these tests */
{
    (void)pid;
    (void)signal;
    return 0;
}

void trace_arrive(int pid)
{
    (void)pid;
}

void trace_param(int pid, const char *param, long value)
{
    (void)pid;
    (void)param;
    (void)value;
}

void trace_boost(void)
{
}

void proc_set_name(struct proc *p, const char *name)
{
    snprintf(p->name, sizeof(p->name), "%s", name);
}

void trace_switch(int from_pid, int to_pid, enum trace_switch_reason why)
{
    (void)from_pid;
    (void)to_pid;
    (void)why;
}

void trace_wake(int pid)
{
    (void)pid;
}

void trace_block(int pid)
{
    (void)pid;
}

void trace_policy(const char *policy_name)
{
    (void)policy_name;
}

void trace_drain(unsigned max_events)
{
    (void)max_events;
}

void trace_group(int pid, int group_id, const char *name)
{
    (void)pid;
    (void)group_id;
    (void)name;
}

void trace_group_end(int group_id, const char *name)
{
    (void)group_id;
    (void)name;
}

struct proc *proc_find(int pid)
{
    (void)pid;
    return NULL; /* only group.c asks, for a root viewer */
}

/* ---- processes ------------------------------------------------------------ */

#define MAX_TEST_PROCESSES 16

static struct proc processes[MAX_TEST_PROCESSES];
static int process_count;

/* A NEW process, as proc_alloc and fork leave it (forked from parent if any). */
static struct proc *new_process(const char *name, struct proc *parent)
{
    ck_assert_int_lt(process_count, MAX_TEST_PROCESSES);
    struct proc *p = &processes[process_count++];
    host_proc_init(p, process_count + 1, name);
    wait_entry_init(&p->wait);
    list_push_back(&proc_list, &p->all);
    if (parent)
        sched_fork(parent, p);
    return p;
}

static void start(const struct sched_policy *initial)
{
    sched_init(initial);
    clock_now = 1;
}

/* The first process: made READY and dispatched, as the idle loop would. */
static struct proc *start_running(const char *name)
{
    struct proc *p = new_process(name, NULL);
    sched_make_ready(p);
    schedule(TRACE_WHY_START);
    ck_assert_ptr_eq(proc_current(), p);
    ck_assert_int_eq(p->state, PROC_RUNNING);
    return p;
}

/* Blocked on queue as sched_block leaves a process that was running. */
static void put_blocked(struct proc *p, struct wait_queue *queue)
{
    p->state = PROC_BLOCKED;
    wait_queue_add(queue, &p->wait);
}

/* Takes every READY process off the queue through the policy; each must come
 * out exactly once, and only READY processes may. Returns how many. */
static int drain_ready(void)
{
    int taken = 0;
    bool seen[MAX_TEST_PROCESSES] = {false};
    struct proc *next;
    while ((next = run_queue_take_next()) != NULL) {
        int index = (int)(next - processes);
        ck_assert_msg(index >= 0 && index < process_count, "picked a stranger");
        ck_assert_msg(!seen[index], "%s picked twice", next->name);
        seen[index] = true;
        next->state = PROC_RUNNING; /* as switch_to would: off the ready set */
        taken++;
    }
    for (int i = 0; i < process_count; i++)
        if (processes[i].state == PROC_READY)
            ck_assert_msg(seen[i], "%s is READY but was never picked", processes[i].name);
    return taken;
}

/* ---- every policy x every state through sched_set_param ------------------ */

struct param_case {
    int param;      /* 0: the policy takes none */
    long good, bad; /* a value it accepts, one it refuses */
    const char *label;
};

/* In sched_policies order: rr, fifo, prio, mlfq, lottery, stride, cfs. */
static const struct param_case param_cases[SCHED_POLICY_COUNT] = {
    {0, 0, 0, NULL},
    {0, 0, 0, NULL},
    {SCHED_PARAM_NICE, 5, 20, "nice"},
    {0, 0, 0, NULL},
    {SCHED_PARAM_TICKETS, 10, 0, "tickets"},
    {SCHED_PARAM_TICKETS, 10, 10001, "tickets"},
    {SCHED_PARAM_NICE, -5, -21, "nice"},
};

static long shown(const struct proc *p)
{
    const char *label = NULL;
    long value = 0;
    policy->show_param(p, &label, &value);
    return value;
}

static void check_set(const struct param_case *c, struct proc *p, int expect_good)
{
    int param = c->param ? c->param : SCHED_PARAM_NICE;
    ck_assert_int_eq(sched_set_param(p, param, c->good), expect_good);
    ck_assert_int_eq(sched_set_param(p, param, c->bad), p->state == PROC_ZOMBIE ? -ESRCH : -EINVAL);
    if (expect_good == 0 && c->param)
        ck_assert_int_eq(shown(p), c->good);
}

START_TEST(test_set_param_in_every_state)
{
    const struct param_case *c = &param_cases[_i];
    start(sched_policies[_i]);
    int accepted = c->param ? 0 : -EINVAL;
    struct proc *running = start_running("running");
    struct proc *ready = new_process("ready", running);
    struct proc *other = new_process("other", running);
    struct proc *blocked = new_process("blocked", running);
    struct proc *zombie = new_process("zombie", running);
    sched_make_ready(ready);
    sched_make_ready(other);
    struct wait_queue queue;
    wait_queue_init(&queue, "test");
    put_blocked(blocked, &queue);
    zombie->state = PROC_ZOMBIE;

    check_set(c, running, accepted);
    check_set(c, ready, accepted);
    check_set(c, blocked, accepted);
    check_set(c, zombie, -ESRCH);
    ck_assert(ready->sched.queued && !running->sched.queued && !blocked->sched.queued &&
              !zombie->sched.queued);

    /* Every queue is whole: the blocked one wakes, the running one yields,
     * and everyone READY is picked exactly once. */
    sched_wakeup(&queue);
    ck_assert_int_eq(blocked->state, PROC_READY);
    prism_sched_yield();
    ck_assert_ptr_ne(proc_current(), running);
    ck_assert_int_eq(drain_ready() + 1, 4); /* + the one now RUNNING */
    ck_assert_int_eq(zombie->state, PROC_ZOMBIE);
}
END_TEST

/* Under lottery the draw walks the list in order A, B, C: with the winning
 * number fixed at 0, A wins unless a refused value moved it behind the others. */
static uint64_t fixed_winner;
static uint64_t last_bound;

static uint64_t draw_fixed(uint64_t bound)
{
    last_bound = bound;
    ck_assert_uint_lt(fixed_winner, bound);
    return fixed_winner;
}

/* Lottery with the draw fixed by the test; A and B forked, still NEW. */
static void start_lottery_with_two(struct proc **a, struct proc **b)
{
    start(&sched_policy_lottery);
    sched_lottery_draw = draw_fixed;
    struct proc *running = start_running("running");
    *a = new_process("A", running);
    *b = new_process("B", running);
}

START_TEST(test_refused_value_keeps_the_queue_order)
{
    struct proc *a, *b;
    start_lottery_with_two(&a, &b);
    sched_make_ready(a);
    sched_make_ready(b);
    ck_assert_int_eq(sched_set_param(a, SCHED_PARAM_TICKETS, 0), -EINVAL);
    ck_assert_int_eq(sched_set_param(a, SCHED_PARAM_NICE, 3), -EINVAL);
    fixed_winner = 0;
    ck_assert_ptr_eq(run_queue_take_next(), a);
}
END_TEST

START_TEST(test_fork_inherits_nice_and_tickets_under_any_policy)
{
    start(&sched_policy_prio);
    struct proc *parent = start_running("parent");
    ck_assert_int_eq(sched_set_param(parent, SCHED_PARAM_NICE, 7), 0);
    sched_set_policy(&sched_policy_stride);
    ck_assert_int_eq(sched_set_param(parent, SCHED_PARAM_TICKETS, 250), 0);
    sched_set_policy(&sched_policy_rr); /* a policy that uses neither */
    struct proc *child = new_process("child", parent);
    ck_assert_int_eq(child->sched.nice, 7);
    ck_assert_uint_eq(child->sched.tickets, 250);
    struct proc *orphan = new_process("never forked", NULL);
    ck_assert_int_eq(orphan->sched.nice, SCHED_NICE_DEFAULT);
    ck_assert_uint_eq(orphan->sched.tickets, SCHED_TICKETS_DEFAULT);
}
END_TEST

/* ---- the lottery draw at its boundaries ---------------------------------- */

START_TEST(test_lottery_draw_boundaries)
{
    struct proc *a, *b;
    start_lottery_with_two(&a, &b);
    ck_assert_int_eq(sched_set_param(a, SCHED_PARAM_TICKETS, 30), 0);
    ck_assert_int_eq(sched_set_param(b, SCHED_PARAM_TICKETS, 70), 0);
    const struct {
        uint64_t winner;
        struct proc *expected;
    } draws[] = {{0, a}, {29, a}, {30, b}, {99, b}};
    for (size_t i = 0; i < sizeof(draws) / sizeof(draws[0]); i++) {
        sched_make_ready(a); /* the queue is A, B each time */
        sched_make_ready(b);
        fixed_winner = draws[i].winner;
        struct proc *winner = run_queue_take_next();
        ck_assert_uint_eq(last_bound, 100); /* the sum of the READY tickets */
        ck_assert_msg(winner == draws[i].expected, "winning ticket %llu picked %s",
                      (unsigned long long)draws[i].winner, winner->name);
        winner->state = PROC_NEW; /* as if it ran and blocked: it is READY again next */
        struct proc *loser = winner == a ? b : a;
        run_queue_remove(loser);
        loser->state = PROC_NEW;
    }
}
END_TEST

/* ---- sleeping on the simulated clock ------------------------------------- */

static void tick(void)
{
    clock_now++;
    sched_timer_tick(false);
}

START_TEST(test_sleeper_wakes_on_exactly_its_tick)
{
    start(&sched_policy_rr);
    struct proc *sleeper = start_running("sleeper");
    uint64_t asleep_at = clock_now;
    sched_sleep_ticks(5);
    ck_assert_int_eq(sleeper->state, PROC_BLOCKED);
    ck_assert_ptr_eq(proc_current(), &idle_process);
    while (clock_now < asleep_at + 4) {
        tick();
        ck_assert_msg(sleeper->state == PROC_BLOCKED, "woke at tick %llu, sleeping from %llu",
                      (unsigned long long)clock_now, (unsigned long long)asleep_at);
    }
    tick();
    ck_assert_uint_eq(clock_now, asleep_at + 5);
    ck_assert_int_eq(sleeper->state, PROC_READY);
    ck_assert(sleeper->sched.queued);
}
END_TEST

START_TEST(test_killed_sleeper_leaves_the_sleep_queue)
{
    start(&sched_policy_rr);
    struct proc *sleeper = start_running("sleeper");
    sched_sleep_ticks(1000);
    sched_interrupt(sleeper); /* what kill does */
    ck_assert_int_eq(sleeper->state, PROC_READY);
    ck_assert_ptr_eq(run_queue_take_next(), sleeper);
    sleeper->state = PROC_RUNNING;
    for (int i = 0; i < 1100; i++)
        tick(); /* its old wake-up time passes: nothing may re-wake it */
    ck_assert(!sleeper->sched.queued);
}
END_TEST

/* ---- a workload job's setup is charged to no policy ----------------------- */

/* A job that burned setup_ticks of CPU before it asked to arrive meets the
 * policy as new when it does: under MLFQ its whole top-level allotment is
 * left, and from then on every tick it runs is charged (nothing forgiven). */
START_TEST(test_setup_is_not_charged_at_arrival)
{
    start(&sched_policy_mlfq);
    struct proc *job = start_running("job");
    uint64_t allotment_ns = job->sched.mlfq.ticks_left * 10000000ULL;
    for (int i = 0; i < 3; i++)
        tick(); /* setup: naming itself, setting its parameters */
    ck_assert_uint_gt(job->sched.mlfq.level_ns_used, 0);
    ck_assert_int_eq(sched_arrive_at(clock_now + 5), 0);
    ck_assert_int_eq(job->state, PROC_BLOCKED);
    while (job->state == PROC_BLOCKED)
        tick();
    ck_assert(job->arrived);
    ck_assert_uint_eq(job->accounting.cpu_ns, 0);
    ck_assert_int_eq(job->sched.mlfq.level, 0);
    ck_assert_uint_eq(job->sched.mlfq.level_ns_used, 0);
    schedule(TRACE_WHY_START); /* from the idle loop */
    ck_assert_ptr_eq(proc_current(), job);
    for (int i = 0; i < 4; i++)
        tick();
    ck_assert_uint_eq(job->sched.mlfq.level_ns_used, 4 * 10000000ULL);
    ck_assert_uint_lt(job->sched.mlfq.level_ns_used, allotment_ns);
    sched_arrival_forget(job);
}
END_TEST

/* ---- the membership assertions fire --------------------------------------- */

START_TEST(test_double_enqueue_panics)
{
    start(sched_policies[_i]);
    struct proc *p = new_process("p", NULL);
    sched_make_ready(p);
    run_queue_add(p); /* second time: SIGABRT */
}
END_TEST

START_TEST(test_policy_enqueue_twice_panics)
{
    start(sched_policies[_i]);
    struct proc *p = new_process("p", NULL);
    sched_make_ready(p);
    policy->enqueue(p); /* bypassing the dispatcher: the policy's own check */
}
END_TEST

START_TEST(test_stray_dequeue_panics)
{
    start(sched_policies[_i]);
    struct proc *p = new_process("p", NULL);
    run_queue_remove(p);
}
END_TEST

START_TEST(test_lottery_sum_disagreeing_with_queue_panics)
{
    start(&sched_policy_lottery);
    struct proc *a = new_process("A", NULL);
    struct proc *b = new_process("B", NULL);
    sched_make_ready(a);
    sched_make_ready(b);
    a->sched.tickets = 5000; /* changed behind the queue's back, as issue 13 did */
    run_queue_remove(a);     /* 200 in the sum, 5000 taken out: SIGABRT */
}
END_TEST

START_TEST(test_lottery_sum_above_the_queue_panics)
{
    start(&sched_policy_lottery);
    sched_lottery_draw = draw_fixed;
    struct proc *a = new_process("A", NULL);
    sched_make_ready(a);
    a->sched.tickets = 1; /* the sum still says 100 */
    fixed_winner = 50;
    run_queue_take_next(); /* the walk runs off the end: SIGABRT */
}
END_TEST

/* Container groups under every policy: a group's members wait on the
 * group's list, the root's in the policy's queues; every READY process is
 * picked exactly once whichever it is, a run-time policy switch and a
 * set_param on a READY member keep both whole, and with the group gone
 * (no member READY) the policy alone decides again. */
START_TEST(test_groups_beside_every_policy)
{
    start(sched_policies[_i]);
    struct proc *root_a = new_process("rootA", NULL);
    struct proc *maker = new_process("maker", NULL);
    ck_assert_int_ge(group_create(maker, "box", 25, 0), 1);
    struct proc *member = new_process("member", NULL);
    ck_assert_int_eq(group_fork(maker, member), 0);
    struct proc *root_b = new_process("rootB", NULL);
    sched_make_ready(root_a);
    sched_make_ready(maker);
    sched_make_ready(member);
    sched_make_ready(root_b);
    ck_assert(group_sched_any_ready());
    ck_assert(list_linked(&member->member.ready_link));
    sched_set_param(member, SCHED_PARAM_EXPECTED, 5);
    sched_set_policy(sched_policies[(_i + 1) % SCHED_POLICY_COUNT]);
    ck_assert_int_eq(drain_ready(), 4);
    ck_assert(!group_sched_any_ready());
    sched_make_ready(root_a); /* no member READY: the policy's pick, as before groups */
    ck_assert_ptr_eq(run_queue_take_next(), root_a);
}
END_TEST

static Suite *scheduler_suite(void)
{
    Suite *suite = suite_create("scheduler");
    TCase *params = tcase_create("set_param");
    tcase_add_loop_test(params, test_set_param_in_every_state, 0, SCHED_POLICY_COUNT);
    tcase_add_test(params, test_refused_value_keeps_the_queue_order);
    tcase_add_test(params, test_fork_inherits_nice_and_tickets_under_any_policy);
    tcase_add_loop_test(params, test_groups_beside_every_policy, 0, SCHED_POLICY_COUNT);
    suite_add_tcase(suite, params);
    TCase *lottery = tcase_create("lottery");
    tcase_add_test(lottery, test_lottery_draw_boundaries);
    suite_add_tcase(suite, lottery);
    TCase *sleep = tcase_create("sleep");
    tcase_add_test(sleep, test_sleeper_wakes_on_exactly_its_tick);
    tcase_add_test(sleep, test_killed_sleeper_leaves_the_sleep_queue);
    tcase_add_test(sleep, test_setup_is_not_charged_at_arrival);
    suite_add_tcase(suite, sleep);
    TCase *asserts = tcase_create("assertions");
    tcase_add_loop_test_raise_signal(asserts, test_double_enqueue_panics, SIGABRT, 0,
                                     SCHED_POLICY_COUNT);
    tcase_add_loop_test_raise_signal(asserts, test_policy_enqueue_twice_panics, SIGABRT, 0,
                                     SCHED_POLICY_COUNT);
    tcase_add_loop_test_raise_signal(asserts, test_stray_dequeue_panics, SIGABRT, 0,
                                     SCHED_POLICY_COUNT);
    tcase_add_test_raise_signal(asserts, test_lottery_sum_disagreeing_with_queue_panics, SIGABRT);
    tcase_add_test_raise_signal(asserts, test_lottery_sum_above_the_queue_panics, SIGABRT);
    suite_add_tcase(suite, asserts);
    return suite;
}

int main(void)
{
    SRunner *runner = srunner_create(scheduler_suite());
    srunner_run_all(runner, CK_NORMAL);
    int failures = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failures == 0 ? 0 : 1;
}
