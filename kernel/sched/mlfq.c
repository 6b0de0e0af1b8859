/*
 * mlfq.c — the multi-level feedback queue: learn from the past which jobs are
 * interactive, without being told.
 *
 * OSTEP's five rules and where each is implemented (search for "Rule N"):
 *  1. If Priority(A) > Priority(B), A runs: mlfq_pick_next takes the best
 *     non-empty level (mlfq_best_waiting_level); mlfq_tick preempts the
 *     running job when a better level has a job waiting.
 *  2. If Priority(A) = Priority(B), they run in round robin with the level's
 *     quantum: mlfq_tick ends the slice when ticks_left reaches 0 and an
 *     equal level waits; mlfq_enqueue puts that job at the back.
 *  3. A new job starts at the top: mlfq_fork (and mlfq_init: every process is
 *     new to a freshly chosen policy).
 *  4. Once a job uses up its allotment at a level (however many times it gave
 *     up the CPU meanwhile) it moves down one level: mlfq_charge. The
 *     allotment is used in exact CPU nanoseconds (charge.h): charged at each
 *     tick and when the job becomes READY again (mlfq_enqueue), so a job
 *     that blocks after 0.3 tick pays 0.3 tick, and level_ns_used keeps
 *     counting across blocks, so yielding just before the slice ends is no
 *     shield against demotion. At a tick, less than half a tick left counts
 *     as used up (the next chance to look is a whole tick away).
 *  5. After each boost period S, every job moves to the top: mlfq_boost_if_due,
 *     counting periods from the start of the run (the workload's first
 *     arrival, sched_run_start_tick) as mlfq.py does; blocked jobs are on no
 *     queue, so they catch up through a generation number (mlfq_catch_up).
 * As in OSTEP's mlfq.py, a job preempted by a better level's job is not sent
 * to the back: it stays at the head of its level with the rest of its slice
 * (mlfq_enqueue, preempted_tick), and a job keeps its unfinished slice across
 * an I/O wait. Slices still end on ticks (ticks_left). Parameters in
 * Prism's terms (quantumN per level, allotment in ticks) or in mlfq.py's
 * (quantum: the same at every level, -q; allotment_slices: the allotment as
 * a number of slices, -a; boost, -B; io_stays=1, -S: an I/O wait resets
 * the allotment and keeps the level, the book's older rule 4b that its
 * Figure 8.4 shows and rule 4 replaced because it can be gamed).
 * Every level change is in the trace (param name=level), and so is each
 * boost, so the pictures show demotion and boost.
 * OSTEP ch. 8 (Scheduling: The Multi-Level Feedback Queue).
 */
#include "kernel/proc/proc.h"
#include "kernel/sched/charge.h"
#include "kernel/sched/policy.h"
#include "kernel/trace/trace.h"
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
static uint64_t allotment_setting;                 /* ticks; 0 = automatic */
static uint64_t allotment_slices;                  /* mlfq.py's -a; 0 = use allotment_setting */
static uint64_t boost_period = MLFQ_DEFAULT_BOOST; /* 0 = never boost */
static bool io_stays; /* mlfq.py's -S: I/O resets the allotment (the book's old rule 4b) */
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
    if (allotment_slices)
        return allotment_slices * mlfq_quantum(level);
    return allotment_setting ? allotment_setting
                             : MLFQ_DEFAULT_ALLOTMENT_SLICES * mlfq_quantum(level);
}

/* The trace hears of every level a job is put on, once. */
static void mlfq_report_level(struct proc *p)
{
    struct mlfq_entity *job = &p->sched.mlfq;
    if (job->reported_level != job->level + 1) {
        job->reported_level = job->level + 1;
        trace_param(p->pid, "level", job->level);
    }
}

/* Applies boosts the job missed, and a `levels` that shrank under it. */
static void mlfq_catch_up(struct proc *p)
{
    struct mlfq_entity *job = &p->sched.mlfq;
    if (job->boost_generation != generation) {
        job->boost_generation = generation;
        job->level = 0;
        job->level_ns_used = 0;
        job->ticks_left = mlfq_quantum(0); /* a fresh top-level slice, as mlfq.py's boost */
    }
    if (job->level >= levels)
        job->level = levels - 1;
    if (job->ticks_left > mlfq_quantum(job->level)) /* its level's quantum shrank */
        job->ticks_left = mlfq_quantum(job->level);
}

/* Rule 5. Queued jobs move to the top queue at once, keeping their order by
 * level; everyone else catches up through the generation number. */
static void mlfq_boost_if_due(void)
{
    uint64_t now = sched_clock_ticks(), run_start = sched_run_start_tick();
    if (run_start > last_boost_tick && run_start <= now)
        last_boost_tick = run_start; /* a run began: its periods count from its start */
    if (boost_period == 0 || now - last_boost_tick < boost_period)
        return;
    last_boost_tick = now - (now - last_boost_tick) % boost_period; /* Rule 5 */
    generation++;
    trace_boost();
    for (int level = 1; level < MLFQ_MAX_LEVELS; level++) {
        struct list_node *node;
        while ((node = list_pop_front(&queues[level])) != NULL)
            list_push_back(&queues[0], node);
    }
    list_for_each(node, &queues[0])
    {
        struct proc *p = list_entry(node, struct proc, sched.mlfq.link);
        mlfq_catch_up(p);
        mlfq_report_level(p);
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

/* A job preempted this very tick by a better level keeps the head of its
 * own level (and its slice); every other job joins the back (Rule 2). */
static void mlfq_charge(struct proc *p, bool at_tick);

static void mlfq_enqueue(struct proc *p)
{
    mlfq_boost_if_due();
    mlfq_catch_up(p);
    if (io_stays && p->sched.woke_from_block) { /* old rule 4b: I/O keeps the level */
        (void)sched_take_uncharged_ns(p);
        p->sched.mlfq.level_ns_used = 0;
        p->sched.mlfq.ticks_left = 0;
    } else {
        mlfq_charge(p, false); /* Rule 4: what it used before it gave up the CPU */
    }
    mlfq_report_level(p);
    struct mlfq_entity *job = &p->sched.mlfq;
    sched_assert_unlinked(&job->link, p->pid, "mlfq");
    bool preempted = job->preempted_tick == sched_clock_ticks() + 1 && job->ticks_left > 0;
    job->preempted_tick = 0;
    if (preempted)
        list_insert_between(&job->link, &queues[job->level], queues[job->level].next);
    else
        list_push_back(&queues[job->level], &job->link);
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
    if (next->sched.mlfq.ticks_left == 0 || next->sched.mlfq.ticks_left > mlfq_quantum(level))
        next->sched.mlfq.ticks_left = mlfq_quantum(level); /* a fresh slice of its level */
    return next;
}

/* Charges p the CPU ns it used since its last charge (and, at a tick, one
 * tick of its slice): rule 4 demotes it when its allotment is gone, which
 * also ends its slice. */
static void mlfq_charge(struct proc *p, bool at_tick)
{
    struct mlfq_entity *job = &p->sched.mlfq;
    if (at_tick && job->ticks_left > 0)
        job->ticks_left--;
    job->level_ns_used += sched_take_uncharged_ns(p);
    uint64_t allotment_ns = mlfq_allotment(job->level) * sched_tick_ns();
    uint64_t slack_ns = at_tick ? sched_tick_ns() / 2 : 0;
    int level = job->level;
    if (level < levels - 1 && job->level_ns_used + slack_ns >= allotment_ns) { /* Rule 4 */
        job->level = level + 1;
        job->level_ns_used = 0;
        job->ticks_left = 0;
        mlfq_report_level(p);
    }
}

static bool mlfq_tick(struct proc *running)
{
    mlfq_boost_if_due();
    mlfq_catch_up(running);
    mlfq_charge(running, true);
    mlfq_report_level(running);
    int waiting = mlfq_best_waiting_level();
    struct mlfq_entity *job = &running->sched.mlfq;
    if (waiting >= 0 && waiting < job->level) { /* Rule 1: a better level is waiting */
        job->preempted_tick = sched_clock_ticks() + 1;
        return true;
    }
    if (job->ticks_left > 0)
        return false;
    if (waiting == job->level) /* Rule 2: slice over, an equal level waits its turn */
        return true;
    job->ticks_left = mlfq_quantum(job->level); /* alone at its level: a new slice at once */
    return false;
}

/* No set_param: MLFQ sets priorities from behaviour, not from the user. */
static void mlfq_fork(struct proc *parent, struct proc *child)
{
    (void)parent;
    child->sched.mlfq.boost_generation = generation; /* Rule 3: starts at the top */
    child->sched.mlfq.level = 0;
    child->sched.mlfq.level_ns_used = 0;
    child->sched.mlfq.ticks_left = 0;
    child->sched.mlfq.reported_level = 0;
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

/* Prism's keys: levels, quantum0..7 (ticks), allotment (ticks), boost
 * (ticks). mlfq.py's: quantum (the same at every level, -q) and
 * allotment_slices (the allotment as that many of the level's slices, -a)
 * and io_stays (0 or 1, -S). */
static int mlfq_configure(const char *key, long value)
{
    int quantum_level = mlfq_quantum_key_level(key);
    bool levels_key = strcmp(key, "levels") == 0, every_quantum = strcmp(key, "quantum") == 0;
    bool slices_key = strcmp(key, "allotment_slices") == 0;
    if (strcmp(key, "io_stays") == 0) { /* mlfq.py -S: 0 or 1 */
        if (value != 0 && value != 1)
            return -EINVAL;
        io_stays = value == 1;
        return 0;
    }
    if (quantum_level < 0 && !levels_key && !every_quantum && !slices_key &&
        strcmp(key, "allotment") != 0 && strcmp(key, "boost") != 0)
        return -ENOENT;
    if (value < 0 || value > MLFQ_TUNABLE_MAX ||
        (levels_key && (value < 1 || value > MLFQ_MAX_LEVELS)) ||
        ((every_quantum || slices_key) && value > MLFQ_TUNABLE_MAX / MLFQ_MAX_LEVELS))
        return -EINVAL;
    if (levels_key)
        levels = (int)value;
    else if (quantum_level >= 0)
        quantum_setting[quantum_level] = (uint64_t)value;
    else if (every_quantum)
        for (int level = 0; level < MLFQ_MAX_LEVELS; level++)
            quantum_setting[level] = (uint64_t)value;
    else if (slices_key)
        allotment_slices = (uint64_t)value;
    else if (strcmp(key, "allotment") == 0)
        allotment_setting = (uint64_t)value;
    else
        boost_period = (uint64_t)value;
    return 0;
}

static int mlfq_describe(char *buffer, unsigned long size)
{
    int length = format_snprintf(
        buffer, size, "levels=%d boost=%llu%s allotment=%llu%s", levels,
        (unsigned long long)boost_period, boost_period ? "" : "(off)",
        (unsigned long long)(allotment_slices ? allotment_slices : allotment_setting),
        allotment_slices    ? "(slices)"
        : allotment_setting ? ""
                            : "(2x quantum)");
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
