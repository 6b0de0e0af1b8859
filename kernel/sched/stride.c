/*
 * stride.c — proportional share by strides: the lottery's fairness, made exact.
 *
 * Each process has a stride, STRIDE_BIG / tickets, and a pass. The READY
 * process with the smallest pass runs; every tick it runs adds its stride to
 * its pass. A process with three times the tickets has a third of the stride,
 * so it runs three ticks for every one of the other: exactly, not in expectation.
 * A process that joins (new, woken) gets pass = max(its pass, global_pass),
 * the smallest pass among the active processes, so a sleeper cannot bank
 * credit and then monopolize the CPU. The ready queue is kept sorted by pass
 * (insertion O(n), pick O(1)); equal passes keep arrival order (round robin).
 * global_pass only grows and survives init, so passes stay comparable when the
 * policy is switched away and back. With STRIDE_BIG = 2^24 and at most 2^24
 * added per tick, a pass overflows after 2^40 ticks (35 years at 1000 Hz).
 * OSTEP ch. 9 (Scheduling: Proportional Share, section 9.6 Stride Scheduling).
 */
#include "kernel/proc/proc.h"
#include "kernel/sched/policy.h"
#include "lib/errno.h"
#include "lib/format.h"

#define STRIDE_BIG (1ull << 24)
#define STRIDE_DEFAULT_TICKETS 100
#define STRIDE_MAX_TICKETS 10000

static struct list_node ready_queue; /* ascending pass */
static uint64_t global_pass;         /* invariant: <= every active process's pass */

/* A process that never went through fork (init) has tickets == 0: give it the default. */
static uint64_t stride_tickets(struct proc *p)
{
    if (p->sched.tickets == 0)
        p->sched.tickets = STRIDE_DEFAULT_TICKETS;
    return p->sched.tickets;
}

static struct proc *stride_front(void)
{
    if (list_empty(&ready_queue))
        return NULL;
    return list_entry(ready_queue.next, struct proc, sched.queue_link);
}

static void stride_insert(struct proc *p)
{
    struct list_node *after = &ready_queue;
    while (after->prev != &ready_queue) {
        struct proc *other = list_entry(after->prev, struct proc, sched.queue_link);
        if (other->sched.pass <= p->sched.pass)
            break;
        after = after->prev;
    }
    list_insert_between(&p->sched.queue_link, after->prev, after);
}

static void stride_init(void)
{
    list_init(&ready_queue);
}

static void stride_enqueue(struct proc *p)
{
    p->sched.ticks_left = sched_quantum_ticks;
    if (p->sched.pass < global_pass)
        p->sched.pass = global_pass;
    stride_insert(p);
}

static void stride_dequeue(struct proc *p)
{
    list_remove(&p->sched.queue_link);
}

static struct proc *stride_pick_next(void)
{
    struct proc *next = stride_front();
    if (!next)
        return NULL;
    list_remove(&next->sched.queue_link);
    if (next->sched.pass > global_pass) /* it had the smallest pass of all */
        global_pass = next->sched.pass;
    return next;
}

static bool stride_tick(struct proc *running)
{
    running->sched.pass += STRIDE_BIG / stride_tickets(running);
    if (running->sched.ticks_left > 0)
        running->sched.ticks_left--;
    struct proc *waiting = stride_front();
    uint64_t lowest = running->sched.pass;
    if (waiting && waiting->sched.pass < lowest)
        lowest = waiting->sched.pass;
    if (lowest > global_pass)
        global_pass = lowest;
    return waiting && running->sched.ticks_left == 0;
}

static void stride_fork(struct proc *parent, struct proc *child)
{
    child->sched.nice = parent->sched.nice;
    child->sched.tickets = stride_tickets(parent);
    child->sched.pass = 0; /* raised to global_pass when it first joins */
}

static int stride_set_param(struct proc *p, int param, long value)
{
    if (param != SCHED_PARAM_TICKETS || value < 1 || value > STRIDE_MAX_TICKETS)
        return -EINVAL;
    p->sched.tickets = (uint64_t)value; /* the pass so far stands; the stride changes */
    return 0;
}

static int stride_describe(char *buffer, unsigned long size)
{
    return format_snprintf(buffer, size,
                           "quantum=%llu ticks stride=%llu/tickets default tickets=%d "
                           "global pass=%llu",
                           (unsigned long long)sched_quantum_ticks, (unsigned long long)STRIDE_BIG,
                           STRIDE_DEFAULT_TICKETS, (unsigned long long)global_pass);
}

static void stride_show_param(const struct proc *p, const char **label, long *value)
{
    *label = "tickets";
    *value = p->sched.tickets ? (long)p->sched.tickets : STRIDE_DEFAULT_TICKETS;
}

const struct sched_policy sched_policy_stride = {
    .name = "stride",
    .init = stride_init,
    .enqueue = stride_enqueue,
    .dequeue = stride_dequeue,
    .pick_next = stride_pick_next,
    .tick = stride_tick,
    .fork = stride_fork,
    .set_param = stride_set_param,
    .describe = stride_describe,
    .show_param = stride_show_param,
};
