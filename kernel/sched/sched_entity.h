/*
 * sched_entity.h — what a scheduling policy keeps inside each process.
 *
 * One struct with room for every policy's per-process fields, embedded in
 * struct proc, so policies need no allocation of their own and switching
 * policy at run time cannot fail. A policy touches only this part of a PCB.
 * OSTEP ch. 7-9 (scheduling: FIFO/RR, MLFQ, lottery/stride).
 */
#ifndef PRISM_KERNEL_SCHED_SCHED_ENTITY_H
#define PRISM_KERNEL_SCHED_SCHED_ENTITY_H

#include "lib/list.h"

#include <stdbool.h>
#include <stdint.h>

struct sched_entity {
    struct list_node queue_link; /* position in the policy's ready queue */
    bool queued;                 /* on a ready queue right now */
    uint64_t ticks_left;         /* of the current time slice */
    uint64_t ready_since_tick;   /* when it last became READY (FIFO order, aging) */
    int nice;                    /* -20 (most favoured) .. 19 */
    int priority;                /* priority policies: effective level */
    int level;                   /* MLFQ queue */
    uint64_t level_ticks_used;   /* MLFQ allotment used at this level */
    uint64_t boost_generation;   /* MLFQ: the last boost (or init) it has caught up with */
    uint64_t tickets;            /* lottery and stride */
    uint64_t pass;               /* stride */
    uint64_t vruntime;           /* CFS-like fair scheduler */
    int heap_index;              /* position in a policy's heap, -1 if none */
};

#endif
