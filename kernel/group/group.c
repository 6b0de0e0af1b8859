/*
 * group.c — groups' lifetime and their pid numbering (see group.h).
 *
 * A group's slot is taken by group_create and given back when its last
 * member is reaped (group_leave from proc_free). Pids inside come from the
 * group's own pid table, counting from 1 like a fresh system, so the first
 * program in a group is its "init" as far as it can tell. The system-call
 * layer translates every pid that crosses the boundary with
 * group_pid_of (out) and group_find_visible (in).
 * OSTEP ch. 4-5 (pids and the process list), Linux's pid namespaces.
 */
#include "kernel/group/group.h"
#include "kernel/group/group_sched.h"
#include "kernel/panic.h"
#include "kernel/proc/proc.h"
#include "kernel/trace/trace.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "lib/syscall_abi.h"

static struct group groups[GROUP_MAX + 1]; /* by id; groups[0] is never used */

static void join(struct group *g, struct proc *p)
{
    if (pid_table_allocate(&g->pids, &p->member.pid_entry) < 0)
        panic("group %u: no pid for a new member", g->id); /* callers checked the room */
    p->member.group = g;
    g->members++;
}

int group_create(struct proc *p, const char *name, uint32_t weight, uint64_t limit_pages)
{
    if (p->member.group)
        return -EPERM; /* groups do not nest */
    if (p->sched.queued)
        panic("group_create: pid %d is queued", p->pid); /* it is the one running */
    for (unsigned id = 1; id <= GROUP_MAX; id++) {
        struct group *g = &groups[id];
        if (g->id != 0)
            continue;
        memset(g, 0, sizeof(*g));
        g->id = id;
        strlcpy(g->name, name, sizeof(g->name));
        g->pids.max_pid = GROUP_PID_MAX;
        g->pids.first_reused = 2; /* pid 1 stays the first member's */
        list_init(&g->ready);
        group_sched_group_starts(g, weight);
        group_memory_open(id, limit_pages);
        join(g, p);
        trace_group(p->pid, (int)g->id, g->name);
        return (int)id;
    }
    return -EAGAIN;
}

int group_fork(struct proc *parent, struct proc *child)
{
    struct group *g = parent->member.group;
    if (!g)
        return 0;
    if (g->pids.count >= GROUP_PID_MAX - 1)
        return -EAGAIN;
    join(g, child);
    return 0;
}

void group_leave(struct proc *p)
{
    struct group *g = p->member.group;
    if (!g)
        return;
    if (list_linked(&p->member.ready_link))
        panic("group %u: pid %d is freed while on the ready list", g->id, p->pid);
    pid_table_remove(&g->pids, &p->member.pid_entry);
    p->member.group = NULL;
    if (--g->members > 0)
        return;
    group_memory_close(g->id); /* panics if any frame is still charged */
    group_sched_group_ends(g);
    trace_group_end((int)g->id, g->name);
    g->id = 0;
}

unsigned group_id_of(const struct proc *p)
{
    return p->member.group ? p->member.group->id : GROUP_ROOT_ID;
}

struct group *group_by_id(unsigned id)
{
    return id >= 1 && id <= GROUP_MAX && groups[id].id == id ? &groups[id] : NULL;
}

bool group_can_see(const struct proc *viewer, const struct proc *p)
{
    return !viewer->member.group || viewer->member.group == p->member.group;
}

int group_pid_of(const struct proc *viewer, const struct proc *p)
{
    if (!viewer->member.group)
        return p->pid;
    return viewer->member.group == p->member.group ? p->member.pid_entry.pid : 0;
}

struct proc *group_find_visible(const struct proc *viewer, int pid)
{
    struct group *g = viewer->member.group;
    if (!g)
        return proc_find(pid);
    struct pid_entry *entry = pid_table_find(&g->pids, pid);
    return entry ? list_entry(entry, struct proc, member.pid_entry) : NULL;
}

static void describe(const struct group *g, struct group_info *info)
{
    memset(info, 0, sizeof(*info));
    info->id = (int32_t)g->id;
    strlcpy(info->name, g->name, sizeof(info->name));
    info->cpu_weight = g->share.weight;
    info->members = (int32_t)g->members;
    info->mem_limit_pages = group_memory_limit(g->id);
    info->mem_used_pages = group_memory_used(g->id);
    info->cpu_ms = g->cpu_ns / 1000000;
}

int group_list(const struct proc *viewer, struct group_info *out, int max)
{
    int count = 0;
    for (unsigned id = 1; id <= GROUP_MAX && count < max; id++) {
        const struct group *g = &groups[id];
        if (g->id != 0 && (!viewer->member.group || viewer->member.group == g))
            describe(g, &out[count++]);
    }
    return count;
}
