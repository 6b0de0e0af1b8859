/*
 * prio.c — static priorities from nice, preemptive, with aging against starvation.
 *
 * nice -20 .. 19 maps to base levels 0 .. 39; a lower level runs first, and
 * the timer preempts the running process as soon as a better level waits, or
 * when its slice ends and an equal level waits (round robin within a level).
 * Strict priority lets a busy high-priority process starve everyone below, so
 * a waiting process gains one level per `aging` ticks it has waited (never past
 * level 0); its wait, and so the gain, restarts whenever it becomes READY
 * again after running. Aging is computed from ready_since_tick at pick time,
 * so nothing is updated per tick for processes that only wait.
 * OSTEP ch. 8 (MLFQ: the starvation problem) and ch. 7; classic Unix "nice".
 */
#include "kernel/proc/proc.h"
#include "kernel/sched/policy.h"
#include "lib/errno.h"
#include "lib/format.h"
#include "lib/string.h"

#define PRIO_NICE_MIN (-20)
#define PRIO_NICE_MAX 19
#define PRIO_LEVELS (PRIO_NICE_MAX - PRIO_NICE_MIN + 1)
#define PRIO_AGING_DEFAULT 10 /* ticks per level: a nice 19 process waits <= 390 ticks */
#define PRIO_AGING_MAX 1000000

/* One queue per base level; inside each, the longest-waiting process is at
 * the front, so a queue's front also has the best effective level. */
static struct list_node ready_queues[PRIO_LEVELS];
static uint64_t aging_ticks = PRIO_AGING_DEFAULT; /* 0 turns aging off */

static int prio_base_level(const struct proc *p)
{
    return p->sched.nice - PRIO_NICE_MIN;
}

static int prio_effective_level(const struct proc *p, uint64_t now)
{
    int base = prio_base_level(p);
    if (aging_ticks == 0 || now <= p->sched.ready_since_tick)
        return base;
    uint64_t gained = (now - p->sched.ready_since_tick) / aging_ticks;
    return gained >= (uint64_t)base ? 0 : base - (int)gained;
}

/* The waiting process with the best effective level; ties go to the one that
 * has waited longest. NULL when nobody waits. */
static struct proc *prio_best_waiting(uint64_t now, int *best_level)
{
    struct proc *best = NULL;
    for (int base = 0; base < PRIO_LEVELS; base++) {
        if (list_empty(&ready_queues[base]))
            continue;
        struct proc *p = list_entry(ready_queues[base].next, struct proc, sched.prio.link);
        int level = prio_effective_level(p, now);
        if (!best || level < *best_level ||
            (level == *best_level && p->sched.ready_since_tick < best->sched.ready_since_tick)) {
            best = p;
            *best_level = level;
        }
    }
    return best;
}

static void prio_insert(struct proc *p)
{
    sched_assert_unlinked(&p->sched.prio.link, p->pid, "prio");
    struct list_node *queue = &ready_queues[prio_base_level(p)];
    struct list_node *after = queue;
    while (after->prev != queue) {
        struct proc *other = list_entry(after->prev, struct proc, sched.prio.link);
        if (other->sched.ready_since_tick <= p->sched.ready_since_tick)
            break;
        after = after->prev;
    }
    list_insert_between(&p->sched.prio.link, after->prev, after);
}

static void prio_init(void)
{
    for (int base = 0; base < PRIO_LEVELS; base++)
        list_init(&ready_queues[base]);
}

static void prio_enqueue(struct proc *p)
{
    p->sched.prio.ticks_left = sched_quantum_ticks;
    prio_insert(p);
}

static void prio_dequeue(struct proc *p)
{
    sched_assert_linked(&p->sched.prio.link, p->pid, "prio");
    list_remove(&p->sched.prio.link);
}

static struct proc *prio_pick_next(void)
{
    int level;
    struct proc *next = prio_best_waiting(sched_clock_ticks(), &level);
    if (next)
        list_remove(&next->sched.prio.link);
    return next;
}

static bool prio_tick(struct proc *running)
{
    struct prio_entity *prio = &running->sched.prio;
    if (prio->ticks_left > 0)
        prio->ticks_left--;
    int waiting_level;
    if (!prio_best_waiting(sched_clock_ticks(), &waiting_level))
        return false;
    int running_level = prio_base_level(running);
    if (waiting_level < running_level)
        return true;
    return prio->ticks_left == 0 && waiting_level == running_level;
}

static int prio_check_param(int param, long value)
{
    return sched_param_in_range(param, value, SCHED_PARAM_NICE, PRIO_NICE_MIN, PRIO_NICE_MAX);
}

/* p is on no queue (policy.h): the dispatcher re-enqueues it at its new level. */
static void prio_set_param(struct proc *p, int param, long value)
{
    (void)param;
    sched_assert_unlinked(&p->sched.prio.link, p->pid, "prio");
    p->sched.nice = (int)value;
}

static int prio_configure(const char *key, long value)
{
    if (strcmp(key, "aging") != 0)
        return -ENOENT;
    if (value < 0 || value > PRIO_AGING_MAX)
        return -EINVAL;
    aging_ticks = (uint64_t)value;
    return 0;
}

static int prio_describe(char *buffer, unsigned long size)
{
    return format_snprintf(buffer, size, "quantum=%llu ticks aging=%llu ticks/level%s",
                           (unsigned long long)sched_quantum_ticks, (unsigned long long)aging_ticks,
                           aging_ticks ? "" : " (off)");
}

static void prio_show_param(const struct proc *p, const char **label, long *value)
{
    *label = "nice";
    *value = p->sched.nice;
}

const struct sched_policy sched_policy_prio = {
    .name = "prio",
    .init = prio_init,
    .enqueue = prio_enqueue,
    .dequeue = prio_dequeue,
    .pick_next = prio_pick_next,
    .tick = prio_tick,
    .check_param = prio_check_param,
    .set_param = prio_set_param,
    .configure = prio_configure,
    .describe = prio_describe,
    .show_param = prio_show_param,
};
