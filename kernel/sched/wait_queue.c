/*
 * wait_queue.c — the queue operations behind blocking and waking up.
 *
 * Pure list logic, no scheduler and no hardware: the dispatcher's
 * sched_block/sched_wakeup/sched_sleep_ticks (scheduler.c) put processes on
 * these queues and take them off, and a host test drives the same code.
 * entry->queue says where an entry waits, so removal needs no search and the
 * "one queue at a time" rule can be checked on every add.
 * OSTEP ch. 30 (Condition Variables: the queue behind wait and signal).
 */
#include "kernel/sched/wait_queue.h"
#include "kernel/panic.h"

#include <stddef.h>

void wait_queue_init(struct wait_queue *queue, const char *name)
{
    list_init(&queue->waiters);
    queue->name = name;
}

void wait_entry_init(struct wait_entry *entry)
{
    list_init(&entry->link);
    entry->queue = NULL;
    entry->wake_tick = 0;
}

static void check_not_waiting(const struct wait_entry *entry, const struct wait_queue *queue)
{
    if (entry->queue != NULL)
        panic("wait queue %s: entry %p already waits on %s", queue->name, (const void *)entry,
              entry->queue->name);
}

void wait_queue_add(struct wait_queue *queue, struct wait_entry *entry)
{
    check_not_waiting(entry, queue);
    list_push_back(&queue->waiters, &entry->link);
    entry->queue = queue;
}

/* Walks back from the latest waker: the common case (a sleep at least as
 * long as the last one added) stops at once. */
void wait_queue_add_timed(struct wait_queue *queue, struct wait_entry *entry, uint64_t wake_tick)
{
    check_not_waiting(entry, queue);
    entry->wake_tick = wake_tick;
    struct list_node *before = queue->waiters.prev;
    while (before != &queue->waiters &&
           list_entry(before, struct wait_entry, link)->wake_tick > wake_tick)
        before = before->prev;
    list_insert_between(&entry->link, before, before->next);
    entry->queue = queue;
}

struct wait_entry *wait_queue_first(const struct wait_queue *queue)
{
    if (list_empty(&queue->waiters))
        return NULL;
    return list_entry(queue->waiters.next, struct wait_entry, link);
}

void wait_entry_remove(struct wait_entry *entry)
{
    if (entry->queue == NULL)
        return;
    list_remove(&entry->link);
    entry->queue = NULL;
}

struct wait_entry *wait_queue_pop(struct wait_queue *queue)
{
    struct wait_entry *entry = wait_queue_first(queue);
    if (entry != NULL)
        wait_entry_remove(entry);
    return entry;
}

bool wait_entry_waiting(const struct wait_entry *entry)
{
    return entry->queue != NULL;
}

bool wait_queue_empty(const struct wait_queue *queue)
{
    return list_empty(&queue->waiters);
}
