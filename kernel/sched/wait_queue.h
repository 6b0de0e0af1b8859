/*
 * wait_queue.h — named queues of BLOCKED processes: who waits for what.
 *
 * A process that cannot go on (a pipe is empty, a child has not exited, no
 * line has been typed, its sleep has not run out) joins the wait queue of
 * exactly that condition and blocks; whoever makes the condition true wakes
 * that queue, and only that queue's waiters become READY. Each waiter then
 * checks its condition again in a loop, as OSTEP ch. 30 says every waiter
 * on a condition variable must (a wake-up means "look again", not "it is
 * true"), and ch. 26/30 explain why the check and the block must not be
 * interleaved with the wake-up: here that holds because the kernel runs with
 * interrupts disabled on one CPU (scheduler.h's rule).
 * xv6's sleep(chan)/wakeup(chan) keep no queue: wakeup scans the whole
 * process table for sleepers on chan, so every wake-up costs O(all
 * processes) — a pipe round trip got slower with every idle process that
 * merely existed. Prism's wait queues make a wake-up cost O(its waiters)
 * and a kill O(1): the entry unlinks itself from whatever queue it is on.
 * The queues are intrusive lists (lib/list.h): each process embeds one
 * wait_entry, so waiting never allocates and a process waits on at most one
 * queue at a time (asserted). Sleepers wait on a timed queue kept in wake-time
 * order: the timer checks only its first entry each tick (O(1)); adding scans
 * from the latest wake time back, O(1) when sleeps end in the order they
 * begin (equal durations) and never touching processes that are not asleep.
 * OSTEP ch. 26 (Concurrency), ch. 30 (Condition Variables), ch. 5 (wait).
 */
#ifndef PRISM_KERNEL_SCHED_WAIT_QUEUE_H
#define PRISM_KERNEL_SCHED_WAIT_QUEUE_H

#include "lib/list.h"

#include <stdbool.h>
#include <stdint.h>

struct wait_queue {
    struct list_node waiters; /* wait_entry.link, in the order they are woken */
    const char *name;         /* what is waited for: "pipe data", "sleepers" ... */
};

/* Embedded in whatever waits (struct proc). */
struct wait_entry {
    struct list_node link;    /* in queue->waiters while waiting */
    struct wait_queue *queue; /* the queue waited on; NULL when not waiting */
    uint64_t wake_tick;       /* timed queues only: when to wake, the order key */
};

#define WAIT_QUEUE_INIT(variable, queue_name)                                                      \
    {                                                                                              \
        .waiters = LIST_HEAD_INIT((variable).waiters), .name = (queue_name)                        \
    }

void wait_queue_init(struct wait_queue *queue, const char *name);
void wait_entry_init(struct wait_entry *entry);

/* Appends entry (not waiting anywhere: panics otherwise); woken in FIFO order. */
void wait_queue_add(struct wait_queue *queue, struct wait_entry *entry);

/* Inserts entry in wake_tick order, after the entries with the same tick. */
void wait_queue_add_timed(struct wait_queue *queue, struct wait_entry *entry, uint64_t wake_tick);

/* The next entry to wake, or NULL; stays on the queue. */
struct wait_entry *wait_queue_first(const struct wait_queue *queue);

/* Removes and returns the next entry to wake, or NULL if nobody waits. */
struct wait_entry *wait_queue_pop(struct wait_queue *queue);

/* Takes entry off the queue it waits on (a kill); nothing if it waits nowhere. */
void wait_entry_remove(struct wait_entry *entry);

bool wait_entry_waiting(const struct wait_entry *entry);
bool wait_queue_empty(const struct wait_queue *queue);

#endif
