/*
 * scheduler.c — the dispatcher: the mechanism of switching, not the policy.
 *
 * Every switch goes through schedule(): the running process has already been
 * put in its next state (READY and enqueued, BLOCKED, or ZOMBIE); the policy
 * picks who runs next (the idle process if nobody is READY); the dispatcher
 * loads that process's address space and kernel stack and calls
 * context_switch. The timer interrupt charges a tick to whoever is running
 * and asks the policy whether that ends its time slice. Nothing here knows
 * which policy is in use.
 * Rule: the dispatcher alone owns run-queue membership (policy.h): every
 * enqueue and dequeue goes through run_queue_add/run_queue_remove, which keep
 * p->sched.queued and panic on a double enqueue or a stray dequeue.
 * Container groups (kernel/group/) add one level above the policy: a member
 * of a group waits on its group's list, not in the policy's queues, and
 * while some group has a READY member the group level (group_sched.h)
 * says whether the root's policy or a group picks next. With no group
 * READY the policy alone decides, exactly as without groups.
 * Rule: called only with interrupts disabled (interrupts_off.h; asserted).
 * OSTEP ch. 6 (switching between processes), ch. 7 (Scheduling).
 */
#include "kernel/sched/scheduler.h"
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/cpu_state.h"
#include "kernel/arch/x86_64/instructions.h"
#include "kernel/group/group_sched.h"
#include "kernel/interrupts_off.h"
#include "kernel/mm/address_space.h"
#include "kernel/panic.h"
#include "kernel/proc/proc.h"
#include "kernel/sched/arrival.h"
#include "kernel/sched/policy.h"
#include "kernel/timer.h"
#include "kernel/trace/trace.h"
#include "lib/errno.h"

extern void context_switch(struct context **save_here, struct context *next);

uint64_t sched_quantum_ticks = 10;

static const struct sched_policy *policy;
static struct proc idle_process;
static struct wait_queue sleepers = WAIT_QUEUE_INIT(sleepers, "sleepers"); /* by wake tick */
static bool preemption_due;

uint64_t sched_clock_ticks(void)
{
    return timer_ticks();
}

uint64_t sched_tick_ns(void)
{
    return 1000000000ULL / timer_hz();
}

void sched_init(const struct sched_policy *initial_policy)
{
    policy = initial_policy;
    policy->init();
    idle_process.pid = PID_IDLE;
    idle_process.state = PROC_RUNNING;
    sched_entity_init(&idle_process.sched);
    proc_set_name(&idle_process, "idle");
    list_init(&idle_process.children);
    list_init(&idle_process.sibling);
    wait_entry_init(&idle_process.wait);
    cpu_this()->idle = &idle_process;
    cpu_this()->current = &idle_process;
}

const struct sched_policy *sched_current_policy(void)
{
    return policy;
}

/* The only two places a process joins or leaves a ready queue. */
static void run_queue_add(struct proc *p)
{
    if (p->sched.queued)
        panic("sched: pid %d enqueued twice", p->pid);
    p->sched.queued = true;
    if (p->member.group) {
        group_sched_enqueue(p);
        return;
    }
    group_sched_root_joins();
    policy->enqueue(p);
}

static void run_queue_remove(struct proc *p)
{
    if (!p->sched.queued)
        panic("sched: pid %d dequeued but not queued", p->pid);
    if (p->member.group) {
        group_sched_dequeue(p);
    } else {
        policy->dequeue(p);
        group_sched_root_leaves();
    }
    p->sched.queued = false;
}

/* The policy's choice, off the ready set; NULL if nobody is READY. While
 * some group has a READY member, the group level first says whose turn it
 * is: the root's (the policy picks) or a group's (its round-robin picks). */
static struct proc *run_queue_take_next(void)
{
    bool root_turn = true;
    struct proc *next = group_sched_any_ready() ? group_sched_pick(&root_turn) : NULL;
    if (next) {
        if (!next->sched.queued || next->state != PROC_READY)
            panic("sched group: picked pid %d, which is not READY and queued", next->pid);
        next->sched.queued = false;
        return next;
    }
    if (!root_turn)
        return NULL;
    next = policy->pick_next();
    if (!next)
        return NULL;
    if (!next->sched.queued || next->state != PROC_READY || next->member.group)
        panic("sched %s: picked pid %d, which is not READY and queued", policy->name, next->pid);
    group_sched_root_leaves();
    next->sched.queued = false;
    return next;
}

/* Moves every READY process from the old policy's queues to the new one's.
 * The running process is in neither; it joins the new policy the next time
 * it becomes READY. No process is lost or queued twice: each READY process
 * is dequeued exactly once and enqueued exactly once. */
void sched_set_policy(const struct sched_policy *new_policy)
{
    interrupts_assert_off("sched_set_policy");
    if (new_policy == policy)
        return;
    list_for_each(node, &proc_list)
    {
        struct proc *p = list_entry(node, struct proc, all);
        if (p->sched.queued)
            run_queue_remove(p);
    }
    policy = new_policy;
    policy->init();
    list_for_each(node, &proc_list)
    {
        struct proc *p = list_entry(node, struct proc, all);
        p->sched.charged_ns = sched_cpu_ns(p); /* the new policy pays from now on (charge.h) */
        if (p->state == PROC_READY)
            run_queue_add(p);
    }
    trace_policy(policy->name);
}

void sched_fork(struct proc *parent, struct proc *child)
{
    sched_entity_inherit(&parent->sched, &child->sched);
    if (policy->fork)
        policy->fork(parent, child);
}

void sched_job_arrives(struct proc *p)
{
    if (p->sched.queued)
        panic("sched: pid %d arrives while queued", p->pid);
    p->sched.charged_ns = 0; /* its CPU time is 0 again: nothing is charged yet */
    p->sched.burst_start_ns = 0;
    if (policy->fork) /* every fork hook sets only the child's own state */
        policy->fork(p, p);
}

/* set_param sees p off every queue (policy.h), whatever p's state; a refused
 * value is refused before p is touched, so it keeps its place in the queue. */
uint64_t sched_cpu_ns(const struct proc *p)
{
    uint64_t total = p->accounting.cpu_ns;
    if (p == proc_current()) /* its running stint too (even while it exits) */
        total += timer_now_ns() - p->accounting.run_start_ns;
    return total;
}

/* The expected run time is the dispatcher's, like the CPU time it is
 * measured against: every policy keeps it, SJF and STCF rank by it. */
static int set_expected(struct proc *p, long ms)
{
    if (ms <= 0 || ms > SCHED_EXPECTED_MAX_MS)
        return -EINVAL;
    bool was_queued = p->sched.queued;
    if (was_queued)
        run_queue_remove(p);
    p->sched.expected_ns = (uint64_t)ms * 1000000;
    p->sched.burst_start_ns = sched_cpu_ns(p);
    if (was_queued)
        run_queue_add(p);
    return 0;
}

int sched_set_param(struct proc *p, int param, long value)
{
    interrupts_assert_off("sched_set_param");
    if (p->state == PROC_ZOMBIE)
        return -ESRCH; /* it has exited: nothing of it is scheduled any more */
    if (param == SCHED_PARAM_EXPECTED)
        return set_expected(p, value);
    if (!policy->check_param || !policy->set_param)
        return -EINVAL; /* this policy has no per-process parameters */
    int error = policy->check_param(param, value);
    if (error)
        return error;
    bool was_queued = p->sched.queued;
    if (was_queued)
        run_queue_remove(p);
    policy->set_param(p, param, value);
    if (was_queued)
        run_queue_add(p);
    return 0;
}

struct proc *proc_current(void)
{
    return cpu_this()->current;
}

static void switch_to(struct proc *next, enum trace_switch_reason why)
{
    struct proc *previous = proc_current();
    preemption_due = false;           /* also when the policy picked the same process again */
    uint64_t now_ns = timer_now_ns(); /* CPU time: the TSC, not whole ticks */
    uint64_t ran_ns = now_ns - previous->accounting.run_start_ns;
    previous->accounting.cpu_ns += ran_ns;
    group_sched_switched(previous, next, ran_ns); /* the group level's charge */
    next->accounting.run_start_ns = now_ns;       /* previous itself, when picked again */
    next->state = PROC_RUNNING;
    if (next->accounting.first_run_tick == 0 && next != &idle_process)
        next->accounting.first_run_tick = timer_ticks() ? timer_ticks() : 1;
    if (next == previous)
        return;
    trace_switch(previous->pid, next->pid, why);
    if (next != &idle_process) {
        cpu_set_kernel_stack(next->kernel_stack_top);
        as_activate(next->address_space);
    }
    cpu_this()->current = next;
    cpu_state_switch(previous, next); /* FPU/SSE, fs, gs: cpu_state.c */
    context_switch(&previous->context, next->context);
    /* Back here when some later schedule() picks `previous` again. */
}

/* Picks and switches to the next process; the caller has already moved the
 * running one out of RUNNING. */
static void schedule(enum trace_switch_reason why)
{
    interrupts_assert_off("schedule");
    struct proc *next = run_queue_take_next();
    switch_to(next ? next : &idle_process, why);
}

void sched_make_ready(struct proc *p)
{
    interrupts_assert_off("sched_make_ready");
    if (p->state == PROC_READY || p->state == PROC_ZOMBIE || p == &idle_process)
        return;
    if (p->state == PROC_BLOCKED)
        trace_wake(p->pid);
    p->sched.woke_from_block = p->state == PROC_BLOCKED;
    p->state = PROC_READY;
    if (wait_entry_waiting(&p->wait))
        panic("sched_make_ready: pid %d is still on wait queue %s", p->pid, p->wait.queue->name);
    p->sched.ready_since_tick = timer_ticks();
    run_queue_add(p);
}

void sched_yield(void)
{
    struct proc *p = proc_current();
    if (p == &idle_process)
        return;
    p->accounting.voluntary_switches++;
    sched_make_ready(p);
    schedule(TRACE_WHY_YIELD);
}

static void preempt_current(void)
{
    struct proc *p = proc_current();
    p->accounting.involuntary_switches++;
    sched_make_ready(p);
    schedule(TRACE_WHY_PREEMPT);
}

/* The running process leaves the CPU as BLOCKED; it is already on the wait
 * queue that will make it READY again. */
static void block_current(struct proc *p)
{
    p->state = PROC_BLOCKED;
    p->accounting.voluntary_switches++;
    trace_block(p->pid);
    schedule(TRACE_WHY_BLOCK);
}

void sched_block(struct wait_queue *queue)
{
    interrupts_assert_off("sched_block");
    struct proc *p = proc_current();
    if (p == &idle_process)
        panic("sched_block: the idle process cannot block");
    wait_queue_add(queue, &p->wait);
    block_current(p);
}

/* Touches only queue's waiters: O(waiters), whatever the number of processes. */
void sched_wakeup(struct wait_queue *queue)
{
    interrupts_assert_off("sched_wakeup");
    struct wait_entry *entry;
    while ((entry = wait_queue_pop(queue)) != NULL)
        sched_make_ready(list_entry(entry, struct proc, wait));
}

void sched_sleep_ticks(uint64_t ticks)
{
    interrupts_assert_off("sched_sleep_ticks");
    struct proc *p = proc_current();
    if (p == &idle_process)
        panic("sched_sleep_ticks: the idle process cannot sleep");
    wait_queue_add_timed(&sleepers, &p->wait, timer_ticks() + ticks);
    block_current(p);
}

/* Whatever queue p waits on, it leaves it: a kill reaches a blocked process
 * without anyone searching for it. */
void sched_interrupt(struct proc *p)
{
    interrupts_assert_off("sched_interrupt");
    if (p->state != PROC_BLOCKED)
        return;
    wait_entry_remove(&p->wait);
    sched_make_ready(p);
}

void sched_exit_current(void)
{
    schedule(TRACE_WHY_EXIT);
    panic("sched_exit_current: a zombie was scheduled again");
}

/* The sleepers queue is in wake-time order: each tick looks at its head only. */
static void wake_sleepers(void)
{
    uint64_t now = timer_ticks();
    struct wait_entry *first;
    while ((first = wait_queue_first(&sleepers)) != NULL && first->wake_tick <= now) {
        wait_entry_remove(first);
        sched_make_ready(list_entry(first, struct proc, wait));
    }
}

void sched_block_until(struct wait_queue *queue, uint64_t tick)
{
    interrupts_assert_off("sched_block_until");
    struct proc *p = proc_current();
    if (p == &idle_process)
        panic("sched_block_until: the idle process cannot block");
    wait_queue_add_timed(queue, &p->wait, tick);
    block_current(p);
}

/*
 * A slice that ends while the running process's CPU burst is within half a
 * tick of its expected end is let run on: the job has done (or all but
 * done) what it was to do in this slice, and only what switching, tracing
 * and polling cost it lies between it and its exit or its I/O. Without this a job whose burst is
 * exactly one quantum long loses the CPU on the tick that completes it and waits a whole round to
 * exit (OSTEP's RR example would end at 15, 15, 15 s, not 13, 14, 15). The CPU time is exact (the
 * TSC); the slice still ends on ticks.
 */
static bool burst_ends_now(const struct proc *p)
{
    return sched_burst_ends_within(&p->sched, sched_cpu_ns(p), 1000000000ULL / timer_hz() / 2);
}

void sched_timer_tick(bool from_user)
{
    interrupts_assert_off("sched_timer_tick");
    (void)from_user;
    struct proc *p = proc_current();
    wake_sleepers();
    sched_arrival_tick(timer_ticks()); /* jobs arrive, deadlines end jobs: policy-independent */
    trace_drain(64);
    if (p == &idle_process || !policy)
        return;
    p->accounting.cpu_ticks++;
    bool slice_over = p->member.group ? group_sched_member_tick(p) : policy->tick(p);
    if (group_sched_level_tick(p)) /* another group's (or the root's) turn */
        slice_over = true;
    if (slice_over && !burst_ends_now(p))
        preemption_due = true;
}

void sched_preempt_if_due(void)
{
    if (preemption_due && proc_current() != &idle_process)
        preempt_current();
}

/* The idle process: the boot stack becomes its kernel stack. It sleeps in
 * hlt until an interrupt, then looks for work. Interrupts are enabled only
 * inside cpu_enable_interrupts_and_halt, so an interrupt that makes a process
 * READY is always noticed before the next hlt. */
void sched_start(void)
{
    for (;;) {
        struct proc *next = run_queue_take_next();
        if (next) {
            idle_process.state = PROC_READY;
            switch_to(next, TRACE_WHY_START);
            continue;
        }
        trace_drain(~0U); /* nothing else to do: write the trace out */
        cpu_enable_interrupts_and_halt();
        interrupts_disable();
    }
}
