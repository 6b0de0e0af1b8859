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

#define LOTTERY_DEFAULT_TICKETS 100
#define LOTTERY_MAX_TICKETS 10000
#define LOTTERY_DEFAULT_SEED 20240607

static struct list_node ready_queue;
static uint64_t ready_tickets; /* invariant: the sum of the queued processes' tickets */
static struct random_state lottery_random;
static uint64_t lottery_seed = LOTTERY_DEFAULT_SEED;

/* A process that never went through fork (init) has tickets == 0: give it the default. */
static uint64_t lottery_tickets(struct proc *p)
{
    if (p->sched.tickets == 0)
        p->sched.tickets = LOTTERY_DEFAULT_TICKETS;
    return p->sched.tickets;
}

static void lottery_init(void)
{
    list_init(&ready_queue);
    ready_tickets = 0;
    random_seed(&lottery_random, lottery_seed);
}

static void lottery_enqueue(struct proc *p)
{
    p->sched.ticks_left = sched_quantum_ticks;
    ready_tickets += lottery_tickets(p);
    list_push_back(&ready_queue, &p->sched.queue_link);
}

static void lottery_dequeue(struct proc *p)
{
    ready_tickets -= lottery_tickets(p);
    list_remove(&p->sched.queue_link);
}

static struct proc *lottery_pick_next(void)
{
    if (list_empty(&ready_queue))
        return NULL;
    uint64_t winner = random_below(&lottery_random, ready_tickets);
    uint64_t counted = 0;
    list_for_each(node, &ready_queue)
    {
        struct proc *p = list_entry(node, struct proc, sched.queue_link);
        counted += lottery_tickets(p);
        if (counted > winner) {
            lottery_dequeue(p);
            return p;
        }
    }
    return NULL; /* unreachable while ready_tickets is the queue's sum */
}

static bool lottery_tick(struct proc *running)
{
    if (running->sched.ticks_left > 0)
        running->sched.ticks_left--;
    return running->sched.ticks_left == 0 && !list_empty(&ready_queue);
}

static void lottery_fork(struct proc *parent, struct proc *child)
{
    child->sched.nice = parent->sched.nice;
    child->sched.tickets = lottery_tickets(parent);
}

static int lottery_set_param(struct proc *p, int param, long value)
{
    if (param != SCHED_PARAM_TICKETS || value < 1 || value > LOTTERY_MAX_TICKETS)
        return -EINVAL;
    if (p->sched.queued) /* keep ready_tickets equal to the queue's sum */
        ready_tickets = ready_tickets - lottery_tickets(p) + (uint64_t)value;
    p->sched.tickets = (uint64_t)value;
    return 0;
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
                           (unsigned long long)lottery_seed, LOTTERY_DEFAULT_TICKETS);
}

static void lottery_show_param(const struct proc *p, const char **label, long *value)
{
    *label = "tickets";
    *value = p->sched.tickets ? (long)p->sched.tickets : LOTTERY_DEFAULT_TICKETS;
}

const struct sched_policy sched_policy_lottery = {
    .name = "lottery",
    .init = lottery_init,
    .enqueue = lottery_enqueue,
    .dequeue = lottery_dequeue,
    .pick_next = lottery_pick_next,
    .tick = lottery_tick,
    .fork = lottery_fork,
    .set_param = lottery_set_param,
    .configure = lottery_configure,
    .describe = lottery_describe,
    .show_param = lottery_show_param,
};
