/*
 * rr.c — round robin: run each READY process for one time slice, in turn.
 *
 * READY processes wait in one FIFO queue. A process that becomes READY joins
 * at the back with a fresh slice; the front one runs next; when its slice
 * (quantum= ticks) is used up, the dispatcher preempts it and it goes to the
 * back again. No per-process parameters. Good response time, poor turnaround for equal-length jobs.
 * OSTEP ch. 7 (Scheduling: Introduction, section 7.6 Round Robin).
 */
#include "kernel/proc/proc.h"
#include "kernel/sched/policy.h"
#include "lib/format.h"

static struct list_node ready_queue;

static void rr_init(void)
{
    list_init(&ready_queue);
}

static void rr_enqueue(struct proc *p)
{
    sched_assert_unlinked(&p->sched.rr.link, p->pid, "rr");
    p->sched.rr.ticks_left = sched_quantum_ticks;
    list_push_back(&ready_queue, &p->sched.rr.link);
}

static void rr_dequeue(struct proc *p)
{
    sched_assert_linked(&p->sched.rr.link, p->pid, "rr");
    list_remove(&p->sched.rr.link);
}

static struct proc *rr_pick_next(void)
{
    struct list_node *node = list_pop_front(&ready_queue);
    return node ? list_entry(node, struct proc, sched.rr.link) : NULL;
}

static bool rr_tick(struct proc *running)
{
    struct rr_entity *rr = &running->sched.rr;
    if (rr->ticks_left > 0)
        rr->ticks_left--;
    return rr->ticks_left == 0 && !list_empty(&ready_queue);
}

static int rr_describe(char *buffer, unsigned long size)
{
    return format_snprintf(buffer, size, "quantum=%llu ticks",
                           (unsigned long long)sched_quantum_ticks);
}

const struct sched_policy sched_policy_rr = {
    .name = "rr",
    .init = rr_init,
    .enqueue = rr_enqueue,
    .dequeue = rr_dequeue,
    .pick_next = rr_pick_next,
    .tick = rr_tick,
    .describe = rr_describe,
};
