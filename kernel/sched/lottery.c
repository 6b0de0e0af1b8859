/*
 * lottery.c — proportional share by lottery: tickets are a share of the CPU.
 *
 * Every READY process holds tickets (default 100, inherited on fork, 1..10000
 * via set_param). Each pick draws one ticket uniformly among all READY
 * processes' tickets and the holder runs for one slice, so over many slices a
 * process with twice the tickets runs about twice as often: fair in
 * expectation, randomly unfair over short spans. Finding the holder of the
 * winning ticket is O(log n): each READY process holds a slot in a Fenwick
 * tree (a binary indexed tree) whose node i sums the tickets of the slots
 * (i - lowbit(i), i], so the draw descends from the root skipping every range
 * whose tickets all lie below the winning number, instead of walking a list
 * adding up tickets (O(n), what OSTEP's Figure 9.1 shows). Slots are given
 * out lowest first once the queue empties, so processes that become READY
 * together are counted in arrival order, as a list would count them.
 * The generator is seeded from the "seed" tunable on init, so a run repeats.
 * OSTEP ch. 9 (Scheduling: Proportional Share, sections 9.1-9.3).
 */
#include "kernel/proc/proc.h"
#include "kernel/sched/policy.h"
#include "lib/errno.h"
#include "lib/format.h"
#include "lib/random.h"
#include "lib/string.h"

#define LOTTERY_MAX_TICKETS 10000
#define LOTTERY_DEFAULT_SEED 20240607

/* No allocation in a policy: fixed arrays (rule: maxproc= must not exceed this). */
#define LOTTERY_SLOTS 4096 /* a power of two: the tree's descent starts there */

static uint64_t ticket_tree[LOTTERY_SLOTS + 1]; /* 1-based Fenwick tree of tickets */
static struct proc *slot_holder[LOTTERY_SLOTS + 1];
static uint32_t free_slots[LOTTERY_SLOTS]; /* slots given back, reused first */
static uint32_t free_slot_count;
static uint32_t next_fresh_slot; /* slots from here up were never used since the queue emptied */
static uint32_t ready_count;
static uint64_t ready_tickets; /* invariant: the sum of the queued processes' tickets */
static struct random_state lottery_random;
static uint64_t lottery_seed = LOTTERY_DEFAULT_SEED;

/* Adds (or, with subtract, takes away) tickets at slot and every tree node
 * whose range covers it. */
static void tree_update(uint32_t slot, uint64_t tickets, bool subtract)
{
    for (; slot <= LOTTERY_SLOTS; slot += slot & -slot)
        ticket_tree[slot] = subtract ? ticket_tree[slot] - tickets : ticket_tree[slot] + tickets;
}

/* The slot holding ticket number winner (0-based, in slot order): the
 * smallest slot whose prefix sum exceeds winner. */
static uint32_t tree_find(uint64_t winner)
{
    /* LAB share BEGIN: stub
    // TODO(share): the slot holding ticket number `winner`: the smallest slot
    // whose prefix sum of tickets exceeds it (descend the Fenwick tree, or
    // first walk the slots adding tickets, as OSTEP's Figure 9.1 walks a list).
    (void)winner;
    return 0;
    */
    uint32_t position = 0;
    for (uint32_t step = LOTTERY_SLOTS; step > 0; step >>= 1) {
        uint32_t next = position + step;
        if (next <= LOTTERY_SLOTS && ticket_tree[next] <= winner) {
            position = next;
            winner -= ticket_tree[next];
        }
    }
    return position + 1;
    /* LAB share END */
}

static uint32_t take_slot(int pid)
{
    if (free_slot_count > 0)
        return free_slots[--free_slot_count];
    if (next_fresh_slot > LOTTERY_SLOTS)
        panic("sched lottery: pid %d is READY beyond the %d slots", pid, LOTTERY_SLOTS);
    return next_fresh_slot++;
}

/* With nobody queued every slot is free and the tree all zero: forget the
 * free list, so the next processes get slots 1, 2, ... in arrival order. */
static void give_back_slot(uint32_t slot)
{
    if (ready_count == 0) {
        free_slot_count = 0;
        next_fresh_slot = 1;
    } else {
        free_slots[free_slot_count++] = slot;
    }
}

static uint64_t lottery_random_below(uint64_t bound)
{
    return random_below(&lottery_random, bound);
}

uint64_t (*sched_lottery_draw)(uint64_t bound) = lottery_random_below;

/* The invariant breaks silently (a sum that wraps below zero makes every draw
 * miss, defect 1 of issue 13), so it is checked wherever it is cheap: the sum
 * can never be below one process's share, and is zero exactly when the queue
 * is empty. */
static void lottery_check_sum(void)
{
    if ((ready_count == 0) != (ready_tickets == 0))
        panic("sched lottery: ticket sum %llu disagrees with the %u READY processes",
              (unsigned long long)ready_tickets, ready_count);
}

static void lottery_init(void)
{
    memset(ticket_tree, 0, sizeof(ticket_tree));
    memset(slot_holder, 0, sizeof(slot_holder));
    free_slot_count = 0;
    next_fresh_slot = 1;
    ready_count = 0;
    ready_tickets = 0;
    random_seed(&lottery_random, lottery_seed);
}

static void lottery_enqueue(struct proc *p)
{
    struct lottery_entity *entry = &p->sched.lottery;
    if (entry->slot != 0)
        panic("sched lottery: pid %d enqueued twice (already in slot %u)", p->pid, entry->slot);
    entry->ticks_left = sched_quantum_ticks;
    entry->slot = take_slot(p->pid);
    entry->tickets_counted = p->sched.tickets;
    slot_holder[entry->slot] = p;
    tree_update(entry->slot, entry->tickets_counted, false);
    ready_tickets += entry->tickets_counted;
    ready_count++;
}

/* What comes out of the tree is what went in: tickets changed while queued
 * (issue 13's defect 1) would leave the sums wrong for every later draw. */
static void lottery_dequeue(struct proc *p)
{
    struct lottery_entity *entry = &p->sched.lottery;
    if (entry->slot == 0 || slot_holder[entry->slot] != p)
        panic("sched lottery: pid %d dequeued but not in the tree", p->pid);
    if (entry->tickets_counted != p->sched.tickets)
        panic("sched lottery: pid %d's tickets changed from %llu to %llu while queued", p->pid,
              (unsigned long long)entry->tickets_counted, (unsigned long long)p->sched.tickets);
    tree_update(entry->slot, entry->tickets_counted, true);
    ready_tickets -= entry->tickets_counted;
    ready_count--;
    slot_holder[entry->slot] = NULL;
    give_back_slot(entry->slot);
    entry->slot = 0;
    lottery_check_sum();
}

static struct proc *lottery_pick_next(void)
{
    lottery_check_sum();
    if (ready_count == 0)
        return NULL;
    /* LAB share BEGIN: stub
    // TODO(share): draw a winning ticket below ready_tickets (sched_lottery_draw)
    // and run its holder (tree_find, slot_holder). The placeholder ignores
    // tickets: it takes the slots in turn (round robin).
    static uint32_t cursor; // the slot run last
    (void)tree_find;
    struct proc *p = NULL;
    for (uint32_t i = 0; i < LOTTERY_SLOTS && !p; i++) {
        cursor = cursor % LOTTERY_SLOTS + 1;
        p = slot_holder[cursor];
    }
    lottery_dequeue(p);
    return p;
    */
    uint64_t winner = sched_lottery_draw(ready_tickets);
    uint32_t slot = tree_find(winner);
    if (slot > LOTTERY_SLOTS || slot_holder[slot] == NULL)
        panic("sched lottery: winning ticket %llu of %llu is held by nobody",
              (unsigned long long)winner, (unsigned long long)ready_tickets);
    struct proc *p = slot_holder[slot];
    lottery_dequeue(p);
    return p;
    /* LAB share END */
}

static bool lottery_tick(struct proc *running)
{
    struct lottery_entity *entry = &running->sched.lottery;
    if (entry->ticks_left > 0)
        entry->ticks_left--;
    return entry->ticks_left == 0 && ready_count > 0;
}

static int lottery_check_param(int param, long value)
{
    return sched_param_in_range(param, value, SCHED_PARAM_TICKETS, 1, LOTTERY_MAX_TICKETS);
}

/* p is not queued (policy.h), so its tickets are not in ready_tickets: the
 * dispatcher's re-enqueue adds the new count. */
static void lottery_set_param(struct proc *p, int param, long value)
{
    (void)param;
    if (p->sched.lottery.slot != 0)
        panic("sched lottery: set_param on pid %d while it is queued", p->pid);
    p->sched.tickets = (uint64_t)value;
}

static int lottery_configure(const char *key, long value)
{
    if (strcmp(key, "seed") != 0)
        return -ENOENT;
    lottery_seed = (uint64_t)value; /* every value is a valid seed */
    random_seed(&lottery_random, lottery_seed);
    return 0;
}

static int lottery_describe(char *buffer, unsigned long size)
{
    return format_snprintf(buffer, size, "quantum=%llu ticks seed=%llu default tickets=%d",
                           (unsigned long long)sched_quantum_ticks,
                           (unsigned long long)lottery_seed, SCHED_TICKETS_DEFAULT);
}

static void lottery_show_param(const struct proc *p, const char **label, long *value)
{
    *label = "tickets";
    *value = (long)p->sched.tickets;
}

const struct sched_policy sched_policy_lottery = {
    .name = "lottery",
    .init = lottery_init,
    .enqueue = lottery_enqueue,
    .dequeue = lottery_dequeue,
    .pick_next = lottery_pick_next,
    .tick = lottery_tick,
    .check_param = lottery_check_param,
    .set_param = lottery_set_param,
    .configure = lottery_configure,
    .describe = lottery_describe,
    .show_param = lottery_show_param,
};
