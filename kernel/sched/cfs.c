/*
 * cfs.c — a completely-fair-style scheduler: run whoever has had least CPU,
 * measured in virtual time that runs slower for heavier (lower nice) processes.
 *
 * vruntime is in weighted nanoseconds: a process that used ns of CPU (the
 * TSC's exact time, charge.h) advances by ns * 1024 / weight(nice), charged
 * at each tick and when it becomes READY again, so a half-tick run before a
 * block costs half a tick's worth; nice 0 weighs 1024 and each nice step is
 * 1.25x lighter, so two processes a nice step apart get CPU in the ratio
 * 1.25 : 1. Slices and the granularity are still counted in ticks. The READY
 * set is a binary min-heap on vruntime (ready_heap.h: pick O(1), enqueue and
 * removal O(log n)). min_vruntime follows the smallest vruntime of
 * the running and READY processes and never goes back; a new or woken process
 * starts at max(its vruntime, min_vruntime), so sleeping earns no credit.
 * The running process is preempted when it is ahead of the leftmost waiting
 * one by more than the granularity, or at the end of its slice unless it is
 * still the furthest behind. Linux's CFS is the model; the weights here are
 * computed as round(1024 / 1.25^nice), not copied.
 * OSTEP ch. 9 (Scheduling: Proportional Share, section 9.7 The Linux CFS).
 */
#include "kernel/proc/proc.h"
#include "kernel/sched/charge.h"
#include "kernel/sched/policy.h"
#include "kernel/sched/ready_heap.h"
#include "lib/errno.h"
#include "lib/format.h"
#include "lib/string.h"

#define CFS_NICE_MIN (-20)
#define CFS_NICE_MAX 19
#define CFS_NICE0_WEIGHT 1024
#define CFS_GRANULARITY_MAX 100000

static const uint32_t cfs_weights[CFS_NICE_MAX - CFS_NICE_MIN + 1] = {
    88818, 71054, 56843, 45475, 36380, 29104, 23283, 18626, /* nice -20 .. -13 */
    14901, 11921, 9537,  7629,  6104,  4883,  3906,  3125,  /* nice -12 .. -5 */
    2500,  2000,  1600,  1280,  1024,  819,   655,   524,   /* nice -4 .. 3 */
    419,   336,   268,   215,   172,   137,   110,   88,    /* nice 4 .. 11 */
    70,    56,    45,    36,    29,    23,    18,    15,    /* nice 12 .. 19 */
};

static struct ready_heap heap;     /* READY processes by vruntime, then READY time */
static uint64_t min_vruntime;      /* only grows; survives init so vruntimes stay comparable */
static uint64_t granularity_ticks; /* 0 = one quantum */

/* vruntime += ns x weight(nice 0) / weight(nice), for the ns p used since its last charge. */
static void cfs_charge(struct proc *p)
{
    uint64_t used_ns = sched_take_uncharged_ns(p);
    p->sched.cfs.vruntime += used_ns * CFS_NICE0_WEIGHT / cfs_weights[p->sched.nice - CFS_NICE_MIN];
}

static uint64_t cfs_granularity_ticks(void)
{
    return granularity_ticks ? granularity_ticks : sched_quantum_ticks;
}

/* In vruntime units: a nice-0 process's vruntime over the granularity. */
static uint64_t cfs_granularity(void)
{
    return cfs_granularity_ticks() * sched_tick_ns();
}

static struct proc *proc_of(struct ready_heap_node *node)
{
    return node ? list_entry(node, struct proc, sched.cfs.node) : NULL;
}

static void cfs_init(void)
{
    ready_heap_init(&heap, "cfs");
}

/* Equal vruntimes go to whoever became READY first. */
static void cfs_enqueue(struct proc *p)
{
    struct cfs_entity *entry = &p->sched.cfs;
    cfs_charge(p); /* what it used before it blocked or yielded, before it competes */
    if (entry->vruntime < min_vruntime)
        entry->vruntime = min_vruntime;
    entry->ticks_left = sched_quantum_ticks;
    ready_heap_push(&heap, &entry->node, entry->vruntime, p->sched.ready_since_tick);
}

static void cfs_dequeue(struct proc *p)
{
    ready_heap_remove(&heap, &p->sched.cfs.node);
}

static struct proc *cfs_pick_next(void)
{
    struct proc *next = proc_of(ready_heap_min(&heap));
    if (!next)
        return NULL;
    ready_heap_remove(&heap, &next->sched.cfs.node);
    if (next->sched.cfs.vruntime > min_vruntime) /* the smallest of all, now running */
        min_vruntime = next->sched.cfs.vruntime;
    return next;
}

static bool cfs_tick(struct proc *running)
{
    struct cfs_entity *entry = &running->sched.cfs;
    cfs_charge(running);
    if (entry->ticks_left > 0)
        entry->ticks_left--;
    struct proc *first = proc_of(ready_heap_min(&heap));
    uint64_t lowest = entry->vruntime;
    if (first && first->sched.cfs.vruntime < lowest)
        lowest = first->sched.cfs.vruntime;
    if (lowest > min_vruntime)
        min_vruntime = lowest;
    if (!first)
        return false;
    uint64_t waiting = first->sched.cfs.vruntime;
    if (entry->vruntime > waiting + cfs_granularity())
        return true;
    return entry->ticks_left == 0 && entry->vruntime >= waiting;
}

static void cfs_fork(struct proc *parent, struct proc *child)
{
    (void)parent;
    child->sched.cfs.vruntime = 0; /* raised to min_vruntime when it first joins */
}

static int cfs_check_param(int param, long value)
{
    return sched_param_in_range(param, value, SCHED_PARAM_NICE, CFS_NICE_MIN, CFS_NICE_MAX);
}

static void cfs_set_param(struct proc *p, int param, long value)
{
    (void)param;
    if (p->sched.cfs.node.index >= 0)
        panic("sched cfs: set_param on pid %d while it is in the heap", p->pid);
    p->sched.nice = (int)value; /* changes the rate from now on; the heap key stays */
}

static int cfs_configure(const char *key, long value)
{
    if (strcmp(key, "granularity") != 0)
        return -ENOENT;
    if (value < 0 || value > CFS_GRANULARITY_MAX)
        return -EINVAL;
    granularity_ticks = (uint64_t)value;
    return 0;
}

static int cfs_describe(char *buffer, unsigned long size)
{
    return format_snprintf(buffer, size,
                           "quantum=%llu ticks granularity=%llu ticks weight(nice 0)=%d, "
                           "x1.25 per nice step",
                           (unsigned long long)sched_quantum_ticks,
                           (unsigned long long)cfs_granularity_ticks(), CFS_NICE0_WEIGHT);
}

static void cfs_show_param(const struct proc *p, const char **label, long *value)
{
    *label = "nice";
    *value = p->sched.nice;
}

const struct sched_policy sched_policy_cfs = {
    .name = "cfs",
    .init = cfs_init,
    .enqueue = cfs_enqueue,
    .dequeue = cfs_dequeue,
    .pick_next = cfs_pick_next,
    .tick = cfs_tick,
    .fork = cfs_fork,
    .check_param = cfs_check_param,
    .set_param = cfs_set_param,
    .configure = cfs_configure,
    .describe = cfs_describe,
    .show_param = cfs_show_param,
};
