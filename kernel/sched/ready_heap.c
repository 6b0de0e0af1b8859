/*
 * ready_heap.c — the min-heap behind CFS (see ready_heap.h).
 *
 * The array holds a complete binary tree: the children of slot i are slots
 * 2i+1 and 2i+2, and no node is smaller than its parent. A push goes to the
 * end and sifts up; a removal fills the hole with the last node, which then
 * sifts up or down to its place. Every move updates the node's index.
 * OSTEP ch. 9; the heap itself is any algorithms book's.
 */
#include "kernel/sched/ready_heap.h"
#include "kernel/panic.h"

#include <stdbool.h>
#include <stddef.h>

static bool before(const struct ready_heap_node *a, const struct ready_heap_node *b)
{
    if (a->key != b->key)
        return a->key < b->key;
    if (a->tiebreak != b->tiebreak)
        return a->tiebreak < b->tiebreak;
    return a->arrival < b->arrival;
}

static void place(struct ready_heap *heap, struct ready_heap_node *node, int index)
{
    heap->nodes[index] = node;
    node->index = index;
}

static void sift_up(struct ready_heap *heap, int index)
{
    struct ready_heap_node *node = heap->nodes[index];
    while (index > 0 && before(node, heap->nodes[(index - 1) / 2])) {
        place(heap, heap->nodes[(index - 1) / 2], index);
        index = (index - 1) / 2;
    }
    place(heap, node, index);
}

static void sift_down(struct ready_heap *heap, int index)
{
    struct ready_heap_node *node = heap->nodes[index];
    for (;;) {
        int child = 2 * index + 1;
        if (child >= heap->size)
            break;
        if (child + 1 < heap->size && before(heap->nodes[child + 1], heap->nodes[child]))
            child++;
        if (!before(heap->nodes[child], node))
            break;
        place(heap, heap->nodes[child], index);
        index = child;
    }
    place(heap, node, index);
}

void ready_heap_init(struct ready_heap *heap, const char *owner)
{
    heap->size = 0;
    heap->arrivals = 0;
    heap->owner = owner;
}

void ready_heap_push(struct ready_heap *heap, struct ready_heap_node *node, uint64_t key,
                     uint64_t tiebreak)
{
    if (node->index >= 0)
        panic("sched %s: enqueued twice (already in the heap at %d)", heap->owner, node->index);
    if (heap->size == READY_HEAP_CAPACITY)
        panic("sched %s: more than %d READY processes (maxproc= is too large)", heap->owner,
              READY_HEAP_CAPACITY);
    node->key = key;
    node->tiebreak = tiebreak;
    node->arrival = heap->arrivals++;
    place(heap, node, heap->size++);
    sift_up(heap, heap->size - 1);
}

struct ready_heap_node *ready_heap_min(const struct ready_heap *heap)
{
    return heap->size > 0 ? heap->nodes[0] : NULL;
}

void ready_heap_remove(struct ready_heap *heap, struct ready_heap_node *node)
{
    int index = node->index;
    if (index < 0 || index >= heap->size || heap->nodes[index] != node)
        panic("sched %s: dequeued but not in the heap", heap->owner);
    struct ready_heap_node *last = heap->nodes[--heap->size];
    if (last != node) {
        place(heap, last, index);
        sift_up(heap, index);
        sift_down(heap, last->index);
    }
    node->index = -1;
}
