/*
 * shortest.h — the ready queue that SJF and STCF share: jobs in order of how
 * much CPU time they still want, shortest first.
 *
 * Both policies rank a READY job by a number of nanoseconds fixed when it is
 * queued: SJF by its expected run time, STCF by what is left of it. Jobs
 * with equal keys keep their arrival order (the book's tie rule), and a
 * process nobody gave an expected run time ranks after every job that has
 * one. Included by sjf.c and stcf.c only.
 * OSTEP ch. 7 (sections 7.4 Shortest Job First, 7.5 Shortest Time-to-Completion First).
 */
#ifndef PRISM_KERNEL_SCHED_SHORTEST_H
#define PRISM_KERNEL_SCHED_SHORTEST_H

#include "kernel/proc/proc.h"
#include "kernel/sched/policy.h"

#define SHORTEST_UNKNOWN UINT64_MAX /* no expected run time: behind everyone */

/* The expected run time of p's current CPU burst, or SHORTEST_UNKNOWN. */
static inline uint64_t shortest_expected_ns(const struct proc *p)
{
    return p->sched.expected_ns ? p->sched.expected_ns : SHORTEST_UNKNOWN;
}

/* What is left of p's current burst (0 once overdue), or SHORTEST_UNKNOWN. */
static inline uint64_t shortest_remaining_ns(const struct proc *p)
{
    if (!p->sched.expected_ns)
        return SHORTEST_UNKNOWN;
    uint64_t used = sched_cpu_ns(p) - p->sched.burst_start_ns;
    return used >= p->sched.expected_ns ? 0 : p->sched.expected_ns - used;
}

/* Links entity into queue after every entry whose key is <= its own. */
static inline void shortest_insert(struct list_node *queue, struct shortest_entity *entity,
                                   uint64_t key_ns)
{
    entity->key_ns = key_ns;
    struct list_node *after = queue; /* from the back: a long newcomer costs nothing */
    while (after->prev != queue &&
           list_entry(after->prev, struct shortest_entity, link)->key_ns > key_ns)
        after = after->prev;
    list_insert_between(&entity->link, after->prev, after);
}

/* The queue's first entry's key, or SHORTEST_UNKNOWN if it is empty. */
static inline uint64_t shortest_best_key(const struct list_node *queue)
{
    return list_empty(queue) ? SHORTEST_UNKNOWN
                             : list_entry(queue->next, struct shortest_entity, link)->key_ns;
}

#endif
