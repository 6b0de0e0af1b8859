/*
 * group_sched.c — the group level of the dispatcher (see group_sched.h).
 *
 * Entities: the root (index 0) and groups 1 .. GROUP_MAX, each with a
 * share_entity whose `ready` counts its queued processes. A group's READY
 * members wait on its own list in round-robin order, each with a slice of
 * sched_quantum_ticks; the root's wait in the system policy's queues.
 * OSTEP ch. 9 (stride), ch. 7 (round-robin).
 */
#include "kernel/group/group_sched.h"
#include "kernel/group/group.h"
#include "kernel/panic.h"
#include "kernel/proc/proc.h"
#include "kernel/sched/policy.h"

static struct share_entity root = {.weight = SHARE_WEIGHT_ROOT};
static struct share_entity *entities[GROUP_MAX + 1] = {&root};
static struct share_clock level_clock;
static unsigned members_ready; /* READY members queued in all groups */
static uint64_t level_ticks;   /* ticks the running entity has had since the last switch */

static struct share_entity *entity_of(const struct proc *p)
{
    return p->member.group ? &p->member.group->share : &root;
}

void group_sched_group_starts(struct group *g, uint32_t weight)
{
    share_entity_init(&g->share, weight);
    g->share.pass = level_clock.last_pass; /* it starts now, with no credit */
    entities[g->id] = &g->share;
}

void group_sched_group_ends(struct group *g)
{
    if (g->share.ready != 0 || !list_empty(&g->ready))
        panic("group %u ends with READY members", g->id);
    entities[g->id] = NULL;
}

static void entity_gains_ready(struct share_entity *entity)
{
    if (entity->ready++ == 0)
        share_entity_wakes(entity, &level_clock);
}

void group_sched_enqueue(struct proc *p)
{
    struct group *g = p->member.group;
    sched_assert_unlinked(&p->member.ready_link, p->pid, "group");
    if (p->member.ticks_left == 0)
        p->member.ticks_left = sched_quantum_ticks;
    list_push_back(&g->ready, &p->member.ready_link);
    entity_gains_ready(&g->share);
    members_ready++;
}

void group_sched_dequeue(struct proc *p)
{
    struct group *g = p->member.group;
    sched_assert_linked(&p->member.ready_link, p->pid, "group");
    list_remove(&p->member.ready_link);
    g->share.ready--;
    members_ready--;
}

void group_sched_root_joins(void)
{
    entity_gains_ready(&root);
}

void group_sched_root_leaves(void)
{
    if (root.ready == 0)
        panic("group_sched: the root group has no READY process to lose");
    root.ready--;
}

bool group_sched_any_ready(void)
{
    return members_ready > 0;
}

struct proc *group_sched_pick(bool *root_turn)
{
    int index = share_pick(entities, GROUP_MAX + 1, &level_clock);
    *root_turn = index == 0;
    if (index <= 0)
        return NULL;
    struct group *g = group_by_id((unsigned)index);
    struct proc *p = list_entry(g->ready.next, struct proc, member.ready_link);
    group_sched_dequeue(p);
    return p;
}

void group_sched_switched(struct proc *previous, struct proc *next, uint64_t ns)
{
    if (previous->pid != PID_IDLE) {
        share_charge(entity_of(previous), ns);
        if (previous->member.group)
            previous->member.group->cpu_ns += ns;
    }
    if (entity_of(previous) != entity_of(next) || previous == next)
        level_ticks = 0;
}

bool group_sched_member_tick(struct proc *running)
{
    if (running->member.ticks_left > 0)
        running->member.ticks_left--;
    return running->member.ticks_left == 0;
}

bool group_sched_level_tick(const struct proc *running)
{
    if (members_ready == 0 && !running->member.group)
        return false; /* no group wants the CPU: the policy alone decides */
    level_ticks++;
    if (level_ticks < sched_quantum_ticks)
        return false;
    const struct share_entity *own = entity_of(running);
    for (unsigned i = 0; i <= GROUP_MAX; i++)
        if (entities[i] && entities[i] != own && entities[i]->ready > 0)
            return true;
    return false;
}
