/*
 * fifo.c — first in, first out: run each process until it is done or blocks.
 *
 * READY processes wait in one queue ordered by the tick they became READY;
 * the oldest runs next and keeps the CPU until it exits, blocks or yields.
 * The timer never takes the CPU away, so a long job ahead of short ones
 * makes them all wait (the convoy effect): good throughput, poor response.
 * The queue is kept sorted by ready_since_tick, not by call order, so a run-
 * time switch into FIFO (which re-enqueues everyone) keeps arrival order.
 * OSTEP ch. 7 (Scheduling: Introduction, section 7.3 First In, First Out).
 */
#include "kernel/proc/proc.h"
#include "kernel/sched/policy.h"
#include "lib/format.h"

static struct list_node ready_queue; /* oldest ready_since_tick at the front */

static void fifo_init(void)
{
    list_init(&ready_queue);
}

/* Searching from the back is O(1) in the usual case: a newcomer is the youngest. */
static void fifo_enqueue(struct proc *p)
{
    sched_assert_unlinked(&p->sched.fifo.link, p->pid, "fifo");
    struct list_node *after = &ready_queue;
    while (after->prev != &ready_queue) {
        struct proc *other = list_entry(after->prev, struct proc, sched.fifo.link);
        if (other->sched.ready_since_tick <= p->sched.ready_since_tick)
            break;
        after = after->prev;
    }
    list_insert_between(&p->sched.fifo.link, after->prev, after);
}

static void fifo_dequeue(struct proc *p)
{
    sched_assert_linked(&p->sched.fifo.link, p->pid, "fifo");
    list_remove(&p->sched.fifo.link);
}

static struct proc *fifo_pick_next(void)
{
    struct list_node *node = list_pop_front(&ready_queue);
    return node ? list_entry(node, struct proc, sched.fifo.link) : NULL;
}

static bool fifo_tick(struct proc *running)
{
    (void)running;
    return false; /* non-preemptive: only exit, block or yield end a turn */
}

static int fifo_describe(char *buffer, unsigned long size)
{
    return format_snprintf(buffer, size, "non-preemptive, in order of arrival");
}

const struct sched_policy sched_policy_fifo = {
    .name = "fifo",
    .init = fifo_init,
    .enqueue = fifo_enqueue,
    .dequeue = fifo_dequeue,
    .pick_next = fifo_pick_next,
    .tick = fifo_tick,
    .describe = fifo_describe,
};
