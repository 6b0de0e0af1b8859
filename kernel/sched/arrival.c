/*
 * arrival.c — arrivals and deadlines as timer events (see arrival.h).
 *
 * Jobs waiting to arrive sit on a timed wait queue of their own, in arrival
 * order (ties in the order they asked, which `workload` makes file order);
 * deadlines are a list sorted by tick. The timer tick takes what is due from
 * the front of each, so nothing walks the process list, and only the timer
 * (or a kill) can wake a job before its time.
 * OSTEP ch. 7 (arrival time), ch. 9 (proportional share over a fixed run).
 */
#include "kernel/sched/arrival.h"
#include "kernel/proc/lifecycle.h"
#include "kernel/proc/proc.h"
#include "kernel/sched/scheduler.h"
#include "kernel/sched/wait_queue.h"
#include "kernel/timer.h"
#include "kernel/trace/trace.h"
#include "lib/errno.h"

static struct wait_queue arrivals = WAIT_QUEUE_INIT(arrivals, "arrival"); /* by tick */
static struct list_node deadlines = LIST_HEAD_INIT(deadlines);            /* by deadline_tick */
static unsigned arrived_jobs; /* arrived and not yet reaped: the run is on while > 0 */
static uint64_t run_start_tick;

uint64_t sched_run_start_tick(void)
{
    return arrived_jobs > 0 ? run_start_tick : 0;
}

int sched_arrive_at(uint64_t tick)
{
    uint64_t now = timer_ticks();
    sched_block_until(&arrivals, tick > now ? tick : now + 1);
    return proc_current()->pending_signal ? -EINTR : 0;
}

/* A job's life, as ps and the metrics measure it, starts at its arrival:
 * what it did before (naming itself, setting its parameters) was setup. */
static void arrive(struct proc *p, uint64_t now)
{
    p->accounting.created_tick = now;
    p->accounting.first_run_tick = 0;
    p->accounting.cpu_ticks = 0;
    p->accounting.cpu_ns = 0;
    p->accounting.voluntary_switches = 0;
    p->accounting.involuntary_switches = 0;
    sched_job_arrives(p);
    if (!p->arrived && arrived_jobs++ == 0)
        run_start_tick = now; /* the first arrival starts a run */
    p->arrived = true;
    trace_arrive(p->pid);
    sched_make_ready(p);
}

void sched_set_deadline(struct proc *p, uint64_t tick)
{
    if (list_linked(&p->deadline_link))
        list_remove(&p->deadline_link);
    p->deadline_tick = tick;
    if (tick == 0)
        return;
    struct list_node *position = &deadlines; /* from the back: deadlines come in order */
    while (position->prev != &deadlines &&
           list_entry(position->prev, struct proc, deadline_link)->deadline_tick > tick)
        position = position->prev;
    list_insert_between(&p->deadline_link, position->prev, position);
}

void sched_arrival_tick(uint64_t now)
{
    struct wait_entry *first;
    while ((first = wait_queue_first(&arrivals)) != NULL && first->wake_tick <= now) {
        wait_entry_remove(first);
        arrive(list_entry(first, struct proc, wait), now);
    }
    while (!list_empty(&deadlines)) {
        struct proc *p = list_entry(deadlines.next, struct proc, deadline_link);
        if (p->deadline_tick > now)
            break;
        list_remove(&p->deadline_link);
        p->deadline_tick = 0;
        proc_kill(p->pid, SIGTERM); /* it dies on its way back to user mode */
    }
}

void sched_arrival_forget(struct proc *p)
{
    if (list_linked(&p->deadline_link))
        list_remove(&p->deadline_link);
    if (p->arrived)
        arrived_jobs--;
    p->arrived = false;
}
