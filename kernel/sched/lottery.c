/*
 * lottery.c — proportional share by lottery: tickets are a share of the CPU.
 *
 * Every READY process holds tickets (default 100, inherited on fork, 1..10000
 * via set_param). Each pick draws one ticket uniformly among all READY
 * processes' tickets and the holder runs for one slice, so over many slices a
 * process with twice the tickets runs about twice as often: fair in
 * expectation, randomly unfair over short spans. The draw walks the ready list
 * adding up tickets until the sum passes the winning number (O(n)).
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

static struct list_node ready_queue;
static uint64_t ready_tickets; /* invariant: the sum of the queued processes' tickets */
static struct random_state lottery_random;
static uint64_t lottery_seed = LOTTERY_DEFAULT_SEED;

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
    if (list_empty(&ready_queue) != (ready_tickets == 0))
        panic("sched lottery: ticket sum %llu disagrees with the %s ready queue",
              (unsigned long long)ready_tickets, list_empty(&ready_queue) ? "empty" : "non-empty");
}

static void lottery_init(void)
{
    list_init(&ready_queue);
    ready_tickets = 0;
    random_seed(&lottery_random, lottery_seed);
}

static void lottery_enqueue(struct proc *p)
{
    sched_assert_unlinked(&p->sched.lottery.link, p->pid, "lottery");
    p->sched.lottery.ticks_left = sched_quantum_ticks;
    ready_tickets += p->sched.tickets;
    list_push_back(&ready_queue, &p->sched.lottery.link);
}

static void lottery_dequeue(struct proc *p)
{
    sched_assert_linked(&p->sched.lottery.link, p->pid, "lottery");
    if (ready_tickets < p->sched.tickets)
        panic("sched lottery: ticket sum %llu is less than pid %d's %llu tickets",
              (unsigned long long)ready_tickets, p->pid, (unsigned long long)p->sched.tickets);
    ready_tickets -= p->sched.tickets;
    list_remove(&p->sched.lottery.link);
    lottery_check_sum();
}

static struct proc *lottery_pick_next(void)
{
    lottery_check_sum();
    if (list_empty(&ready_queue))
        return NULL;
    uint64_t winner = sched_lottery_draw(ready_tickets);
    uint64_t counted = 0;
    list_for_each(node, &ready_queue)
    {
        struct proc *p = list_entry(node, struct proc, sched.lottery.link);
        counted += p->sched.tickets;
        if (counted > winner) {
            lottery_dequeue(p);
            return p;
        }
    }
    panic("sched lottery: ticket sum %llu exceeds the queue's %llu tickets",
          (unsigned long long)ready_tickets, (unsigned long long)counted);
}

static bool lottery_tick(struct proc *running)
{
    struct lottery_entity *entry = &running->sched.lottery;
    if (entry->ticks_left > 0)
        entry->ticks_left--;
    return entry->ticks_left == 0 && !list_empty(&ready_queue);
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
    sched_assert_unlinked(&p->sched.lottery.link, p->pid, "lottery");
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
