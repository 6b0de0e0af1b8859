/*
 * sched_entity.h — what the scheduler keeps inside each process.
 *
 * Two kinds of data, with two owners:
 *  - the dispatcher's (scheduler.c): whether the process is on the active
 *    policy's ready queue (`queued`, written nowhere else), when it last
 *    became READY, and the user's parameters nice and tickets, which every
 *    process carries whatever the policy so that a run-time switch to prio,
 *    lottery ... finds them; the dispatcher copies them on fork (sched_fork);
 *  - each policy's own struct (rr_entity, mlfq_entity ...), touched only by
 *    that policy's file.
 * The policy structs are separate members, not a union: a process keeps each
 * policy's state across run-time switches (stride's pass and CFS's vruntime
 * stay comparable when the policy is switched away and back; MLFQ's
 * boost_generation tells a job it is new to the policy), and no policy can
 * read another's bytes as its own. The cost is a few dozen bytes per PCB.
 * Embedded in struct proc, so no policy allocates and a switch cannot fail.
 * OSTEP ch. 7-9 (scheduling: FIFO/RR, MLFQ, lottery/stride).
 */
#ifndef PRISM_KERNEL_SCHED_SCHED_ENTITY_H
#define PRISM_KERNEL_SCHED_SCHED_ENTITY_H

#include "kernel/sched/ready_heap.h"
#include "lib/list.h"

#include <stdbool.h>
#include <stdint.h>

#define SCHED_NICE_DEFAULT 0
#define SCHED_TICKETS_DEFAULT 100 /* lottery and stride; inherited on fork */

struct rr_entity {
    struct list_node link; /* position in the ready queue */
    uint64_t ticks_left;   /* of the current time slice */
};

struct fifo_entity {
    struct list_node link; /* position in the queue, ordered by ready_since_tick */
};

struct prio_entity {
    struct list_node link; /* position in the queue of its base level */
    uint64_t ticks_left;
};

struct mlfq_entity {
    struct list_node link;     /* position in the queue of its level */
    uint64_t ticks_left;       /* of the slice at the level it runs at */
    int level;                 /* 0 = top queue */
    uint64_t level_ns_used;    /* allotment used at this level: CPU ns (charge.h) */
    uint64_t boost_generation; /* the last boost (or init) it has caught up with */
    uint64_t preempted_tick;   /* 1 + the tick a better level preempted it; 0 = not */
    int reported_level;        /* 1 + the level the trace last heard of; 0 = none yet */
};

struct lottery_entity {
    uint32_t slot;            /* its place in the ticket tree while queued; 0 = not queued */
    uint64_t tickets_counted; /* the tickets the tree holds for it */
    uint64_t ticks_left;
};

struct stride_entity {
    struct ready_heap_node node; /* in the min-heap by pass while queued */
    uint64_t ticks_left;
    uint64_t pass;
};

struct cfs_entity {
    struct ready_heap_node node; /* in the min-heap by vruntime while queued */
    uint64_t ticks_left;
    uint64_t vruntime;
};

struct shortest_entity {   /* sjf and stcf (shortest.h) */
    struct list_node link; /* position in the queue, ascending key_ns */
    uint64_t key_ns;       /* expected (sjf) or remaining (stcf) run time when queued */
};

struct sched_entity {
    /* The dispatcher's. */
    bool queued;               /* on the active policy's ready queue right now */
    uint64_t ready_since_tick; /* when it last became READY (FIFO order, aging) */
    int nice;                  /* -20 (most favoured) .. 19; prio and cfs read it */
    uint64_t tickets;          /* >= 1; lottery and stride read it */
    /* Expected run time of the current CPU burst (SCHED_PARAM_EXPECTED; 0 =
     * not told), counted from burst_start_ns of the process's CPU time: sjf
     * and stcf rank by it, and the dispatcher lets a slice run on to a burst
     * end that falls within half a tick of it (scheduler.c). */
    uint64_t expected_ns;
    uint64_t burst_start_ns;
    /* The CPU time (sched_cpu_ns) already charged to the policy: advanced by
     * sched_take_uncharged_ns (charge.h), reset to the process's CPU time on
     * a policy switch and on fork (dispatcher). */
    uint64_t charged_ns;
    /* Set by the dispatcher as p becomes READY: true when it was BLOCKED
     * (its I/O or sleep is over), false after a preemption or a yield.
     * MLFQ's io_stays (mlfq.py -S) reads it. */
    bool woke_from_block;
    /* One per policy. */
    struct rr_entity rr;
    struct fifo_entity fifo;
    struct prio_entity prio;
    struct mlfq_entity mlfq;
    struct lottery_entity lottery;
    struct stride_entity stride;
    struct cfs_entity cfs;
    struct shortest_entity sjf;
    struct shortest_entity stcf;
};

/* A process that was never forked (init, or a zeroed PCB) starts so. */
static inline void sched_entity_init(struct sched_entity *entity)
{
    entity->queued = false;
    entity->nice = SCHED_NICE_DEFAULT;
    entity->tickets = SCHED_TICKETS_DEFAULT;
    list_init(&entity->rr.link);
    list_init(&entity->fifo.link);
    list_init(&entity->prio.link);
    list_init(&entity->mlfq.link);
    entity->lottery.slot = 0;
    ready_heap_node_init(&entity->stride.node);
    ready_heap_node_init(&entity->cfs.node);
    list_init(&entity->sjf.link);
    list_init(&entity->stcf.link);
}

/* Whether a burst told to take expected_ns from burst_start_ns ends within
 * margin_ns of cpu_ns (the process's CPU time now): the dispatcher's rule for
 * letting a slice run on to the end of a burst (scheduler.c). */
static inline bool sched_burst_ends_within(const struct sched_entity *entity, uint64_t cpu_ns,
                                           uint64_t margin_ns)
{
    if (entity->expected_ns == 0)
        return false;
    int64_t left = (int64_t)(entity->burst_start_ns + entity->expected_ns - cpu_ns);
    return left > -(int64_t)margin_ns && left < (int64_t)margin_ns;
}

/* What a child inherits on fork, whatever the policy (the dispatcher's
 * sched_fork calls this before the policy's own fork). */
static inline void sched_entity_inherit(const struct sched_entity *parent,
                                        struct sched_entity *child)
{
    child->nice = parent->nice;
    child->tickets = parent->tickets;
    child->expected_ns = parent->expected_ns; /* a job's children are as long, until told */
    child->charged_ns = 0;                    /* a child's CPU time starts at 0 */
}

#endif
