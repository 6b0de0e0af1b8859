/*
 * sched_sim.c — the simulated machine behind the policy tests (see sched_sim.h).
 *
 * Order inside one tick mirrors the kernel's timer interrupt: the clock
 * advances, sleepers whose time has come become READY, the running process
 * is charged and the policy's tick() is asked; then the process's script may
 * end its turn (exit, block) and otherwise a preemption puts it back on the
 * ready queue. Whenever the CPU is free the dispatcher picks at once, as the
 * kernel's idle loop does after any interrupt.
 * OSTEP ch. 7-9.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "lib/errno.h"
#include "tests/unit/host_panic.h"
#include "tests/unit/host_proc.h"
#include "tests/unit/sched_sim.h"

uint64_t sched_quantum_ticks = SIM_DEFAULT_QUANTUM;

static uint64_t clock_ticks;
static const struct sched_policy *policy;
static struct sim_process processes[SIM_MAX_PROCESSES];
static int process_count;
static struct sim_process *running;
static struct proc init_process;
static uint8_t trace[SIM_TRACE_TICKS + 1];

uint64_t sched_clock_ticks(void)
{
    return clock_ticks;
}

uint64_t sched_tick_ns(void)
{
    return SIM_TICK_NS;
}

uint64_t sim_run_start; /* sched_run_start_tick(): a test sets it to start a "run" */

uint64_t sched_run_start_tick(void)
{
    return sim_run_start;
}

/* The trace as a policy reports to it: the last level reported per pid, and boosts. */
int sim_reported_level[SIM_MAX_PROCESSES + 2];
uint64_t sim_boosts;

void trace_param(int pid, const char *param, long value)
{
    if (strcmp(param, "level") == 0 && pid >= 0 && pid < SIM_MAX_PROCESSES + 2)
        sim_reported_level[pid] = (int)value;
}

void trace_boost(void)
{
    sim_boosts++;
}

/* The simulated CPU clock: every tick a process runs is SIM_TICK_NS of CPU time. */
uint64_t sched_cpu_ns(const struct proc *p)
{
    return p->accounting.cpu_ns;
}

void sim_reset(const struct sched_policy *initial_policy)
{
    memset(processes, 0, sizeof(processes));
    memset(trace, 0, sizeof(trace));
    process_count = 0;
    running = NULL;
    clock_ticks = 0;
    sim_run_start = 0;
    sim_boosts = 0;
    memset(sim_reported_level, 0xff, sizeof(sim_reported_level));
    sched_quantum_ticks = SIM_DEFAULT_QUANTUM;
    host_proc_init(&init_process, 1, "init");
    policy = initial_policy;
    policy->init();
}

struct proc *sim_init_process(void)
{
    return &init_process;
}

static void make_ready(struct sim_process *p)
{
    ck_assert_msg(!p->proc.sched.queued, "%s enqueued twice", p->proc.name);
    p->proc.state = PROC_READY;
    p->proc.sched.ready_since_tick = clock_ticks;
    p->proc.sched.queued = true;
    policy->enqueue(&p->proc);
}

static bool anyone_ready(void)
{
    for (int i = 0; i < process_count; i++)
        if (processes[i].proc.state == PROC_READY)
            return true;
    return false;
}

/* The dispatcher's schedule(): the CPU is free; give it to the policy's choice. */
static void schedule(void)
{
    running = NULL;
    struct proc *next = policy->pick_next();
    if (!next) {
        ck_assert_msg(!anyone_ready(), "%s: pick_next returned NULL with a READY process",
                      policy->name);
        return;
    }
    struct sim_process *chosen = sim_process_of(next);
    ck_assert_msg(next->state == PROC_READY && next->sched.queued,
                  "%s picked %s, which is not READY and queued (state %d)", policy->name,
                  next->name, next->state);
    next->sched.queued = false;
    next->state = PROC_RUNNING;
    chosen->picks++;
    running = chosen;
}

struct sim_process *sim_spawn(const char *name, struct sim_process *parent)
{
    ck_assert_int_lt(process_count, SIM_MAX_PROCESSES);
    struct sim_process *child = &processes[process_count];
    host_proc_init(&child->proc, process_count + 2, name);
    process_count++;
    struct proc *forked_from = parent ? &parent->proc : &init_process;
    sched_entity_inherit(&forked_from->sched, &child->proc.sched);
    if (policy->fork)
        policy->fork(forked_from, &child->proc);
    make_ready(child);
    if (!running)
        schedule();
    return child;
}

static void wake_sleepers(void)
{
    for (int i = 0; i < process_count; i++) {
        struct sim_process *p = &processes[i];
        if (p->proc.state == PROC_BLOCKED && p->wake_tick <= clock_ticks)
            make_ready(p);
    }
}

/* The running process's turn ends because of its own script, or not at all. */
static bool script_ends_turn(struct sim_process *p)
{
    if (p->demand && p->cpu_ticks >= p->demand) {
        p->proc.state = PROC_ZOMBIE;
        p->finish_tick = clock_ticks;
        return true;
    }
    if (p->burst && p->burst_used >= p->burst) {
        p->proc.state = PROC_BLOCKED;
        p->burst_used = 0;
        p->wake_tick = clock_ticks + p->sleep;
        return true;
    }
    return false;
}

void sim_tick(void)
{
    clock_ticks++;
    wake_sleepers();
    struct sim_process *p = running;
    if (!p) {
        schedule();
        return;
    }
    p->cpu_ticks++;
    p->burst_used++;
    p->proc.accounting.cpu_ticks++;
    p->proc.accounting.cpu_ns += SIM_TICK_NS;
    if (clock_ticks <= SIM_TRACE_TICKS)
        trace[clock_ticks] = (uint8_t)p->proc.pid;
    bool preempt = policy->tick(&p->proc);
    if (script_ends_turn(p)) {
        schedule();
    } else if (preempt) {
        p->proc.accounting.involuntary_switches++;
        make_ready(p);
        schedule();
    }
}

void sim_run(uint64_t ticks)
{
    for (uint64_t i = 0; i < ticks; i++)
        sim_tick();
}

bool sim_run_until_all_exit(uint64_t max_ticks)
{
    for (uint64_t i = 0; i < max_ticks; i++) {
        bool alive = false;
        for (int j = 0; j < process_count; j++)
            alive |= processes[j].proc.state != PROC_ZOMBIE;
        if (!alive)
            return true;
        sim_tick();
    }
    return false;
}

void sim_block_after(uint64_t ns, uint64_t sleep_ticks)
{
    struct sim_process *p = running;
    ck_assert_ptr_nonnull(p);
    p->proc.accounting.cpu_ns += ns;
    p->proc.state = PROC_BLOCKED;
    p->burst_used = 0;
    p->wake_tick = clock_ticks + sleep_ticks;
    schedule();
}

void sim_kill(struct sim_process *p)
{
    if (p->proc.sched.queued) {
        policy->dequeue(&p->proc);
        p->proc.sched.queued = false;
    }
    p->proc.state = PROC_ZOMBIE;
    p->finish_tick = clock_ticks;
    if (running == p)
        schedule();
}

int sim_set_param(struct sim_process *p, int param, long value)
{
    bool expected = param == SCHED_PARAM_EXPECTED; /* the dispatcher's own, any policy */
    if (expected && (value <= 0 || value > SCHED_EXPECTED_MAX_MS))
        return -EINVAL;
    if (!expected && (!policy->check_param || !policy->set_param))
        return -EINVAL;
    int error = expected ? 0 : policy->check_param(param, value);
    if (error)
        return error;
    bool was_queued = p->proc.sched.queued;
    if (was_queued) {
        policy->dequeue(&p->proc);
        p->proc.sched.queued = false;
    }
    if (expected) {
        p->proc.sched.expected_ns = (uint64_t)value * 1000000;
        p->proc.sched.burst_start_ns = sched_cpu_ns(&p->proc);
    } else {
        policy->set_param(&p->proc, param, value);
    }
    if (was_queued) {
        p->proc.sched.queued = true;
        policy->enqueue(&p->proc);
    }
    return 0;
}

void sim_switch_policy(const struct sched_policy *next)
{
    for (int i = 0; i < process_count; i++) {
        struct proc *p = &processes[i].proc;
        if (p->sched.queued) {
            policy->dequeue(p);
            p->sched.queued = false;
        }
    }
    policy = next;
    policy->init();
    for (int i = 0; i < process_count; i++) {
        struct proc *p = &processes[i].proc;
        p->sched.charged_ns = sched_cpu_ns(p); /* as sched_set_policy: pays from now on */
        if (p->state == PROC_READY) {
            p->sched.queued = true;
            policy->enqueue(p);
        }
    }
    if (!running)
        schedule();
}

const struct sched_policy *sim_policy(void)
{
    return policy;
}

uint64_t sim_now(void)
{
    return clock_ticks;
}

struct sim_process *sim_running(void)
{
    return running;
}

int sim_trace(uint64_t tick)
{
    ck_assert_uint_le(tick, SIM_TRACE_TICKS);
    return trace[tick];
}

int sim_process_count(void)
{
    return process_count;
}

struct sim_process *sim_process(int index)
{
    ck_assert(index >= 0 && index < process_count);
    return &processes[index];
}

struct sim_process *sim_process_of(struct proc *p)
{
    struct sim_process *owner = list_entry(p, struct sim_process, proc);
    ck_assert_msg(owner >= processes && owner < processes + process_count,
                  "%s returned a process the simulator does not own", policy->name);
    return owner;
}

long sim_param(struct sim_process *p, const char *label)
{
    ck_assert_ptr_nonnull(policy->show_param);
    const char *shown = NULL;
    long value = 0;
    policy->show_param(&p->proc, &shown, &value);
    ck_assert_str_eq(shown, label);
    return value;
}
