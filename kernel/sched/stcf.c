/*
 * stcf.c — shortest time-to-completion first (preemptive SJF): whenever a job
 * arrives or the timer ticks, the job with the least CPU time left runs.
 *
 * What is left is the job's expected run time (SCHED_PARAM_EXPECTED) minus
 * the CPU time it has used since the expected run time was set, measured in
 * nanoseconds by the dispatcher (sched_cpu_ns). The ready queue is kept in
 * order of it (shortest.h), fixed when a job is queued: a waiting job's
 * remaining time does not change. At each tick the running job is compared
 * with the best waiting one and preempted only if that one has strictly
 * less left, so equal jobs do not take turns (the book's STCF runs each to
 * completion). A new arrival is seen at the tick that makes it READY, so
 * it preempts within that tick. Processes without an expected run time go
 * after every job that has one.
 * OSTEP ch. 7 (Scheduling: Introduction, section 7.5 Shortest Time-to-Completion First).
 */
#include "kernel/sched/shortest.h"
#include "lib/format.h"

static struct list_node ready_queue; /* ascending remaining run time */

static void stcf_init(void)
{
    list_init(&ready_queue);
}

static void stcf_enqueue(struct proc *p)
{
    sched_assert_unlinked(&p->sched.stcf.link, p->pid, "stcf");
    shortest_insert(&ready_queue, &p->sched.stcf, shortest_remaining_ns(p));
}

static void stcf_dequeue(struct proc *p)
{
    sched_assert_linked(&p->sched.stcf.link, p->pid, "stcf");
    list_remove(&p->sched.stcf.link);
}

static struct proc *stcf_pick_next(void)
{
    struct list_node *node = list_pop_front(&ready_queue);
    return node ? list_entry(node, struct proc, sched.stcf.link) : NULL;
}

static bool stcf_tick(struct proc *running)
{
    return shortest_best_key(&ready_queue) < shortest_remaining_ns(running);
}

static int stcf_describe(char *buffer, unsigned long size)
{
    return format_snprintf(buffer, size,
                           "preemptive, least expected time left first (expect PID MS)");
}

static void stcf_show_param(const struct proc *p, const char **label, long *value)
{
    *label = "left";
    uint64_t left = shortest_remaining_ns(p);
    *value = left == SHORTEST_UNKNOWN ? 0 : (long)(left / 1000000);
}

const struct sched_policy sched_policy_stcf = {
    .name = "stcf",
    .init = stcf_init,
    .enqueue = stcf_enqueue,
    .dequeue = stcf_dequeue,
    .pick_next = stcf_pick_next,
    .tick = stcf_tick,
    .describe = stcf_describe,
    .show_param = stcf_show_param,
};
