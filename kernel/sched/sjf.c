/*
 * sjf.c — shortest job first: of the READY jobs, run the one that needs the
 * least CPU time, to the end of its burst.
 *
 * Each job is told its expected run time (SCHED_PARAM_EXPECTED: `workload`
 * sets it from each job's cpu: bursts, `expect PID MS` from the shell); the
 * ready queue is kept in order of it (shortest.h), ties in arrival order.
 * Non-preemptive like FIFO: a job keeps the CPU until it exits, blocks or
 * yields, so a long job that got the CPU first still holds up short jobs
 * that arrive after it (that is what STCF fixes). With all jobs arriving
 * together SJF gives the best average turnaround there is. Processes
 * without an expected run time go after every job that has one.
 * OSTEP ch. 7 (Scheduling: Introduction, section 7.4 Shortest Job First).
 */
#include "kernel/sched/shortest.h"
#include "lib/format.h"

static struct list_node ready_queue; /* ascending expected run time */

static void sjf_init(void)
{
    list_init(&ready_queue);
}

static void sjf_enqueue(struct proc *p)
{
    sched_assert_unlinked(&p->sched.sjf.link, p->pid, "sjf");
    shortest_insert(&ready_queue, &p->sched.sjf, shortest_expected_ns(p));
}

static void sjf_dequeue(struct proc *p)
{
    sched_assert_linked(&p->sched.sjf.link, p->pid, "sjf");
    list_remove(&p->sched.sjf.link);
}

static struct proc *sjf_pick_next(void)
{
    struct list_node *node = list_pop_front(&ready_queue);
    return node ? list_entry(node, struct proc, sched.sjf.link) : NULL;
}

static bool sjf_tick(struct proc *running)
{
    (void)running;
    return false; /* non-preemptive */
}

static int sjf_describe(char *buffer, unsigned long size)
{
    return format_snprintf(buffer, size,
                           "non-preemptive, shortest expected run time first (expect PID MS)");
}

static void sjf_show_param(const struct proc *p, const char **label, long *value)
{
    *label = "expect";
    *value = (long)(p->sched.expected_ns / 1000000);
}

const struct sched_policy sched_policy_sjf = {
    .name = "sjf",
    .init = sjf_init,
    .enqueue = sjf_enqueue,
    .dequeue = sjf_dequeue,
    .pick_next = sjf_pick_next,
    .tick = sjf_tick,
    .describe = sjf_describe,
    .show_param = sjf_show_param,
};
