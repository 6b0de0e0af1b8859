/*
 * stride.c — proportional share by strides: the lottery's fairness, made exact.
 *
 * Each process has a stride, STRIDE_BIG / tickets, and a pass. The READY
 * process with the smallest pass runs; every tick it runs adds its stride to
 * its pass. A process with three times the tickets has a third of the stride,
 * so it runs three ticks for every one of the other: exactly, not in expectation.
 * A process that joins (new, woken) gets pass = max(its pass, global_pass),
 * the smallest pass among the active processes, so a sleeper cannot bank
 * credit and then monopolize the CPU. The ready queue is a min-heap keyed by
 * pass (ready_heap.h: the smallest found in O(1), a push or removal O(log n),
 * where a list kept sorted costs O(n) per insertion); equal passes keep
 * arrival order (round robin).
 * global_pass only grows and survives init, so passes stay comparable when the
 * policy is switched away and back. With STRIDE_BIG = 2^24 and at most 2^24
 * added per tick, a pass overflows after 2^40 ticks (35 years at 1000 Hz).
 * Stride stays on ticks, unlike CFS and MLFQ (charge.h): the book defines
 * stride scheduling as pass += stride per quantum run, and that is what this
 * counts, a tick to whoever is running when it fires.
 * OSTEP ch. 9 (Scheduling: Proportional Share, section 9.6 Stride Scheduling).
 */
#include "kernel/proc/proc.h"
#include "kernel/sched/policy.h"
#include "kernel/sched/ready_heap.h"
#include "kernel/panic.h"
#include "lib/errno.h"
#include "lib/format.h"

#define STRIDE_BIG (1ull << 24)
#define STRIDE_MAX_TICKETS 10000

static struct ready_heap heap; /* READY processes, smallest pass first */
static uint64_t global_pass;   /* invariant: <= every active process's pass */

static struct proc *stride_front(void)
{
    struct ready_heap_node *node = ready_heap_min(&heap);
    return node ? list_entry(node, struct proc, sched.stride.node) : NULL;
}

/* The heap orders by key, then by push order: the key decides who runs first. */
static void stride_insert(struct proc *p)
{
    /* LAB share BEGIN: stub
    // TODO(share): key the heap so that the smallest pass runs first (equal
    // keys keep arrival order). A constant key makes the heap a FIFO queue.
    ready_heap_push(&heap, &p->sched.stride.node, 0, 0);
    */
    ready_heap_push(&heap, &p->sched.stride.node, p->sched.stride.pass, 0);
    /* LAB share END */
}

static void stride_init(void)
{
    ready_heap_init(&heap, "stride");
}

static void stride_enqueue(struct proc *p)
{
    struct stride_entity *entry = &p->sched.stride;
    entry->ticks_left = sched_quantum_ticks;
    /* LAB share BEGIN: stub
    // TODO(share): a newcomer or a woken sleeper starts no lower than global_pass
    */
    if (entry->pass < global_pass)
        entry->pass = global_pass;
    /* LAB share END */
    stride_insert(p);
}

static void stride_dequeue(struct proc *p)
{
    ready_heap_remove(&heap, &p->sched.stride.node); /* panics unless it is in */
}

static struct proc *stride_pick_next(void)
{
    struct proc *next = stride_front();
    if (!next)
        return NULL;
    ready_heap_remove(&heap, &next->sched.stride.node);
    /* LAB share BEGIN: stub
    // TODO(share): keep global_pass up to date
    */
    if (next->sched.stride.pass > global_pass) /* it had the smallest pass of all */
        global_pass = next->sched.stride.pass;
    /* LAB share END */
    return next;
}

static bool stride_tick(struct proc *running)
{
    struct stride_entity *entry = &running->sched.stride;
    /* LAB share BEGIN: stub
    // TODO(share): charge the running process its stride for this tick
    */
    entry->pass += STRIDE_BIG / running->sched.tickets;
    /* LAB share END */
    if (entry->ticks_left > 0)
        entry->ticks_left--;
    struct proc *waiting = stride_front();
    /* LAB share BEGIN: stub
    // TODO(share): global_pass = the smallest pass of the active processes
    */
    uint64_t lowest = entry->pass;
    if (waiting && waiting->sched.stride.pass < lowest)
        lowest = waiting->sched.stride.pass;
    if (lowest > global_pass)
        global_pass = lowest;
    /* LAB share END */
    return waiting && entry->ticks_left == 0;
}

static void stride_fork(struct proc *parent, struct proc *child)
{
    (void)parent;
    child->sched.stride.pass = 0; /* raised to global_pass when it first joins */
}

static int stride_check_param(int param, long value)
{
    return sched_param_in_range(param, value, SCHED_PARAM_TICKETS, 1, STRIDE_MAX_TICKETS);
}

static void stride_set_param(struct proc *p, int param, long value)
{
    (void)param;
    if (p->sched.stride.node.index >= 0)
        panic("sched stride: set_param on pid %d while it is in the heap", p->pid);
    p->sched.tickets = (uint64_t)value; /* the pass so far stands; the stride changes */
}

static int stride_describe(char *buffer, unsigned long size)
{
    return format_snprintf(buffer, size,
                           "quantum=%llu ticks stride=%llu/tickets default tickets=%d "
                           "global pass=%llu",
                           (unsigned long long)sched_quantum_ticks, (unsigned long long)STRIDE_BIG,
                           SCHED_TICKETS_DEFAULT, (unsigned long long)global_pass);
}

static void stride_show_param(const struct proc *p, const char **label, long *value)
{
    *label = "tickets";
    *value = (long)p->sched.tickets;
}

const struct sched_policy sched_policy_stride = {
    .name = "stride",
    .init = stride_init,
    .enqueue = stride_enqueue,
    .dequeue = stride_dequeue,
    .pick_next = stride_pick_next,
    .tick = stride_tick,
    .fork = stride_fork,
    .check_param = stride_check_param,
    .set_param = stride_set_param,
    .describe = stride_describe,
    .show_param = stride_show_param,
};
