/*
 * mlfq.c — the multi-level feedback queue: learn from the past which jobs are
 * interactive, without being told.
 *
 * OSTEP's five rules, as implemented here:
 *  1. A job on a higher queue (lower level number) runs before one below it.
 *  2. Jobs on the same queue take turns (round robin, slice = that level's quantum).
 *  3. A new job starts at the top.
 *  4. Once a job has used its allotment at a level, it moves down one level,
 *     however many times it gave up the CPU meanwhile (level_ticks_used keeps
 *     counting across blocks, so yielding just before the slice ends is no shield).
 *  5. Every `boost` ticks, all jobs move back to the top (no starvation, and a
 *     job that turned interactive is noticed again).
 * Blocked jobs are not on any queue, so a boost cannot reach them directly: it
 * bumps a generation number, and a job whose boost_generation is older catches
 * up (top level, allotment unused) the next time the policy touches it.
 * OSTEP ch. 8 (Scheduling: The Multi-Level Feedback Queue).
 */
#include "kernel/proc/proc.h"
#include "kernel/sched/policy.h"
#include "lib/errno.h"
#include "lib/format.h"
#include "lib/string.h"

#define MLFQ_MAX_LEVELS 8
#define MLFQ_DEFAULT_LEVELS 3
#define MLFQ_DEFAULT_BOOST 100          /* ticks */
#define MLFQ_DEFAULT_ALLOTMENT_SLICES 2 /* automatic allotment: two of the level's slices */
#define MLFQ_TUNABLE_MAX 10000000

/* Every queue is scanned, even past `levels`, so shrinking `levels` at run
 * time cannot strand a queued job on a level that no longer exists. */
static struct list_node queues[MLFQ_MAX_LEVELS];
static int levels = MLFQ_DEFAULT_LEVELS;
static uint64_t quantum_setting[MLFQ_MAX_LEVELS];  /* 0 = sched_quantum_ticks << level */
static uint64_t allotment_setting;                 /* 0 = automatic */
static uint64_t boost_period = MLFQ_DEFAULT_BOOST; /* 0 = never boost */
static uint64_t last_boost_tick;
static uint64_t generation; /* bumped by every boost and every init */

static uint64_t mlfq_quantum(int level)
{
    if (quantum_setting[level])
        return quantum_setting[level];
    uint64_t quantum = sched_quantum_ticks << level;
    return quantum ? quantum : 1;
}

/* LAB mlfq BEGIN: stub
// PLACEHOLDER (labs/mlfq/README.md): plain round robin on the top queue, so
// the system boots and runs. Replace it with OSTEP's five rules.
static void mlfq_init(void)
{
    for (int level = 0; level < MLFQ_MAX_LEVELS; level++)
        list_init(&queues[level]);
    generation++;
    last_boost_tick = sched_clock_ticks();
}

static void mlfq_enqueue(struct proc *p)
{
    // TODO(mlfq): rules 3 and 5; the placeholder keeps every job on level 0
    p->sched.mlfq.boost_generation = generation;
    list_push_back(&queues[0], &p->sched.mlfq.link);
}

static void mlfq_dequeue(struct proc *p)
{
    list_remove(&p->sched.mlfq.link);
}

static struct proc *mlfq_pick_next(void)
{
    // TODO(mlfq): rules 1 and 2: the front of the best non-empty level, with its slice
    struct list_node *node = list_pop_front(&queues[0]);
    if (!node)
        return NULL;
    struct proc *next = list_entry(node, struct proc, sched.mlfq.link);
    next->sched.mlfq.ticks_left = mlfq_quantum(0);
    return next;
}

static bool mlfq_tick(struct proc *running)
{
    // TODO(mlfq): rule 4 (the allotment, then down one level) and rule 5 (the boost)
    struct mlfq_entity *job = &running->sched.mlfq;
    if (job->ticks_left > 0)
        job->ticks_left--;
    return job->ticks_left == 0 && !list_empty(&queues[0]);
}

static void mlfq_fork(struct proc *parent, struct proc *child)
{
    (void)parent;
    child->sched.mlfq.boost_generation = generation; // rule 3
    child->sched.mlfq.level = 0;
}
*/
static uint64_t mlfq_allotment(int level)
{
    return allotment_setting ? allotment_setting
                             : MLFQ_DEFAULT_ALLOTMENT_SLICES * mlfq_quantum(level);
}

/* Applies boosts the job missed, and a `levels` that shrank under it. */
static void mlfq_catch_up(struct proc *p)
{
    struct mlfq_entity *job = &p->sched.mlfq;
    if (job->boost_generation != generation) {
        job->boost_generation = generation;
        job->level = 0;
        job->level_ticks_used = 0;
        if (job->ticks_left > mlfq_quantum(0))
            job->ticks_left = mlfq_quantum(0);
    }
    if (job->level >= levels)
        job->level = levels - 1;
}

/* Rule 5. Queued jobs move to the top queue at once, keeping their order by
 * level; everyone else catches up through the generation number. */
static void mlfq_boost_if_due(void)
{
    uint64_t now = sched_clock_ticks();
    if (boost_period == 0 || now - last_boost_tick < boost_period)
        return;
    last_boost_tick = now;
    generation++;
    for (int level = 1; level < MLFQ_MAX_LEVELS; level++) {
        struct list_node *node;
        while ((node = list_pop_front(&queues[level])) != NULL)
            list_push_back(&queues[0], node);
    }
    list_for_each(node, &queues[0])
    {
        mlfq_catch_up(list_entry(node, struct proc, sched.mlfq.link));
    }
}

/* The best (lowest) level with a waiting job, or -1. */
static int mlfq_best_waiting_level(void)
{
    for (int level = 0; level < MLFQ_MAX_LEVELS; level++)
        if (!list_empty(&queues[level]))
            return level;
    return -1;
}

static void mlfq_init(void)
{
    for (int level = 0; level < MLFQ_MAX_LEVELS; level++)
        list_init(&queues[level]);
    generation++; /* every process is a new job to this policy (rule 3) */
    last_boost_tick = sched_clock_ticks();
}

static void mlfq_enqueue(struct proc *p)
{
    mlfq_boost_if_due();
    mlfq_catch_up(p);
    sched_assert_unlinked(&p->sched.mlfq.link, p->pid, "mlfq");
    list_push_back(&queues[p->sched.mlfq.level], &p->sched.mlfq.link);
}

static void mlfq_dequeue(struct proc *p)
{
    sched_assert_linked(&p->sched.mlfq.link, p->pid, "mlfq");
    list_remove(&p->sched.mlfq.link);
}

static struct proc *mlfq_pick_next(void)
{
    mlfq_boost_if_due();
    int level = mlfq_best_waiting_level();
    if (level < 0)
        return NULL;
    struct proc *next = list_entry(list_pop_front(&queues[level]), struct proc, sched.mlfq.link);
    next->sched.mlfq.ticks_left = mlfq_quantum(level); /* the slice of the level it runs at now */
    return next;
}

/* Charges one tick to `running`: rule 4 demotes it when its allotment is gone,
 * which also ends its slice. */
static void mlfq_charge(struct proc *running)
{
    struct mlfq_entity *job = &running->sched.mlfq;
    if (job->ticks_left > 0)
        job->ticks_left--;
    job->level_ticks_used++;
    int level = job->level;
    if (level < levels - 1 && job->level_ticks_used >= mlfq_allotment(level)) {
        job->level = level + 1;
        job->level_ticks_used = 0;
        job->ticks_left = 0;
    }
}

static bool mlfq_tick(struct proc *running)
{
    mlfq_boost_if_due();
    mlfq_catch_up(running);
    mlfq_charge(running);
    int waiting = mlfq_best_waiting_level();
    if (waiting < 0)
        return false;
    /* Rule 1: a better level is waiting. Rule 2: the slice is over, an equal level waits. */
    const struct mlfq_entity *job = &running->sched.mlfq;
    if (waiting < job->level)
        return true;
    return job->ticks_left == 0 && waiting == job->level;
}

/* No set_param: MLFQ sets priorities from behaviour, not from the user. */
static void mlfq_fork(struct proc *parent, struct proc *child)
{
    (void)parent;
    child->sched.mlfq.boost_generation = generation; /* rule 3: starts at the top */
    child->sched.mlfq.level = 0;
    child->sched.mlfq.level_ticks_used = 0;
}
/* LAB mlfq END */

/* "quantum0" .. "quantum7" -> 0 .. 7; -1 for anything else. */
static int mlfq_quantum_key_level(const char *key)
{
    if (strncmp(key, "quantum", 7) != 0 || key[7] < '0' || key[7] >= '0' + MLFQ_MAX_LEVELS ||
        key[8] != '\0')
        return -1;
    return key[7] - '0';
}

static int mlfq_configure(const char *key, long value)
{
    int quantum_level = mlfq_quantum_key_level(key);
    bool levels_key = strcmp(key, "levels") == 0;
    if (quantum_level < 0 && !levels_key && strcmp(key, "allotment") != 0 &&
        strcmp(key, "boost") != 0)
        return -ENOENT;
    if (value < 0 || value > MLFQ_TUNABLE_MAX ||
        (levels_key && (value < 1 || value > MLFQ_MAX_LEVELS)))
        return -EINVAL;
    if (levels_key)
        levels = (int)value;
    else if (quantum_level >= 0)
        quantum_setting[quantum_level] = (uint64_t)value;
    else if (strcmp(key, "allotment") == 0)
        allotment_setting = (uint64_t)value;
    else
        boost_period = (uint64_t)value;
    return 0;
}

static int mlfq_describe(char *buffer, unsigned long size)
{
    int length = format_snprintf(buffer, size, "levels=%d boost=%llu%s allotment=%llu%s", levels,
                                 (unsigned long long)boost_period, boost_period ? "" : "(off)",
                                 (unsigned long long)allotment_setting,
                                 allotment_setting ? "" : "(2x quantum)");
    for (int level = 0; level < levels; level++) {
        bool room = (unsigned long)length < size; /* else only count, like snprintf */
        length +=
            format_snprintf(room ? buffer + length : NULL, room ? size - length : 0,
                            " quantum%d=%llu", level, (unsigned long long)mlfq_quantum(level));
    }
    return length;
}

static void mlfq_show_param(const struct proc *p, const char **label, long *value)
{
    *label = "level";
    const struct mlfq_entity *job = &p->sched.mlfq;
    if (job->boost_generation != generation)
        *value = 0; /* a boost it has not caught up with yet */
    else
        *value = job->level < levels ? job->level : levels - 1;
}

const struct sched_policy sched_policy_mlfq = {
    .name = "mlfq",
    .init = mlfq_init,
    .enqueue = mlfq_enqueue,
    .dequeue = mlfq_dequeue,
    .pick_next = mlfq_pick_next,
    .tick = mlfq_tick,
    .fork = mlfq_fork,
    .configure = mlfq_configure,
    .describe = mlfq_describe,
    .show_param = mlfq_show_param,
};
