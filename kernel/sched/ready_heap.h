/*
 * ready_heap.h — a binary min-heap of READY processes, for a policy that runs
 * "whoever is furthest behind": CFS (key: vruntime) and stride (key: pass).
 *
 * The smallest key is at the root, so finding who runs next is O(1) and
 * adding or removing a process O(log n) — where a list kept in key order
 * costs O(n) per insertion. Equal keys go by the tiebreak the policy gives
 * (CFS: when it became READY), then by push order, so equal keys take turns
 * as in round robin. Each process embeds a ready_heap_node, whose index lets
 * a dequeue (a kill, a policy switch) find it without a search. A fixed
 * array, no allocation: a policy must never fail to enqueue.
 * OSTEP ch. 9 (stride scheduling, CFS's ordered run queue).
 */
#ifndef PRISM_KERNEL_SCHED_READY_HEAP_H
#define PRISM_KERNEL_SCHED_READY_HEAP_H

#include <stdint.h>

#define READY_HEAP_CAPACITY 4096 /* rule: maxproc= must not exceed this */

struct ready_heap_node {
    int index;         /* position in the heap; -1 when not in one */
    uint64_t key;      /* smaller runs first */
    uint64_t tiebreak; /* then smaller first */
    uint64_t arrival;  /* then pushed first */
};

struct ready_heap {
    struct ready_heap_node *nodes[READY_HEAP_CAPACITY]; /* nodes[0] is the smallest */
    int size;
    uint64_t arrivals;
    const char *owner; /* the policy's name, for panic messages */
};

void ready_heap_init(struct ready_heap *heap, const char *owner);
static inline void ready_heap_node_init(struct ready_heap_node *node)
{
    node->index = -1;
}

/* Adds node (not in a heap: panics otherwise, or when the heap is full). */
void ready_heap_push(struct ready_heap *heap, struct ready_heap_node *node, uint64_t key,
                     uint64_t tiebreak);

/* The smallest node, or NULL when the heap is empty; it stays in. */
struct ready_heap_node *ready_heap_min(const struct ready_heap *heap);

/* Takes node out (it must be in this heap: panics otherwise). */
void ready_heap_remove(struct ready_heap *heap, struct ready_heap_node *node);

#endif
