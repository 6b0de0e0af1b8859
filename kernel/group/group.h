/*
 * group.h — container-style groups of processes: a name, a CPU share, a
 * memory limit and their own pid numbering.
 *
 * A group is made by a process that joins it as its first member (pid 1
 * inside); its children are members too (membership is inherited on fork),
 * and the group ends when its last member is reaped. Everything not in a
 * group is in the root group, which has no limit and sees real pids.
 * Up to GROUP_MAX groups exist at once; groups do not nest (a member cannot
 * make a group), which keeps the hierarchy two levels deep, like cgroups'
 * cpu controller with one level of children.
 * The three resources have one owner each:
 *  - CPU: the dispatcher's group level (group_sched.h) chooses between the
 *    root and the groups by their weights, then the group's own round-robin;
 *  - memory: group_memory.h charges user frames to the group's id;
 *  - pids: each group has its own pid table (pid_table.h); a member's PCB
 *    holds an entry in it beside its real one. The system calls translate
 *    at the boundary (group_pid_of, group_find_visible): a member sees and
 *    names only members, by their pids inside; the root sees real pids.
 * Rule: called with interrupts disabled, like the process code.
 * OSTEP ch. 4-5 (processes and pids), ch. 9 (proportional share), ch. 13.
 */
#ifndef PRISM_KERNEL_GROUP_GROUP_H
#define PRISM_KERNEL_GROUP_GROUP_H

#include "kernel/group/group_memory.h"
#include "kernel/group/group_share.h"
#include "kernel/proc/pid_table.h"
#include "lib/list.h"

#include <stdbool.h>
#include <stdint.h>

#define GROUP_NAME_MAX 16
#define GROUP_PID_MAX 32767

struct proc;
struct group_info;

struct group {
    unsigned id; /* 1 .. GROUP_MAX while in use; 0 = a free slot */
    char name[GROUP_NAME_MAX];
    unsigned members;          /* from joining (or fork) until reaped */
    struct pid_table pids;     /* the members' pids inside: 1, 2, ... */
    struct list_node ready;    /* READY members, round-robin order (group_sched.c) */
    struct share_entity share; /* its turn at the group level */
    uint64_t cpu_ns;           /* CPU time its members used */
};

/* What a process carries about its group (embedded in struct proc). */
struct group_member {
    struct group *group;         /* NULL: the root group */
    struct pid_entry pid_entry;  /* its pid inside the group */
    struct list_node ready_link; /* on group->ready while queued */
    uint64_t ticks_left;         /* of its round-robin slice */
};

/* A process in no group (the root's), on no group list. */
static inline void group_member_init(struct group_member *member)
{
    member->group = NULL;
    member->pid_entry.pid = 0;
    member->pid_entry.next = NULL;
    list_init(&member->ready_link);
    member->ticks_left = 0;
}

/* p (in the root group, RUNNING) makes a new group and joins it as pid 1;
 * the group's id, or -EPERM (p is in a group already), -EAGAIN (GROUP_MAX
 * groups exist). weight and limit_pages were checked by the caller; the
 * memory owner table must be set (group_memory_ready). */
int group_create(struct proc *p, const char *name, uint32_t weight, uint64_t limit_pages);

/* child (NEW) joins parent's group, if any: 0, or -EAGAIN when the group's
 * pids are used up (child then joined nothing). The caller traces it
 * (after the fork event). */
int group_fork(struct proc *parent, struct proc *child);

/* p is being freed (reaped): it leaves its group; the last one out ends it
 * (its memory charge must be 0 then). */
void group_leave(struct proc *p);

/* The group's id for the memory code: 0 for the root group. */
unsigned group_id_of(const struct proc *p);
struct group *group_by_id(unsigned id); /* NULL if no such group */

/* p's pid as viewer sees it: its real pid from the root, its pid inside
 * from the same group, 0 from another group (p is invisible there). */
int group_pid_of(const struct proc *viewer, const struct proc *p);

/* The process viewer names with pid (ZOMBIEs included), or NULL: from the
 * root any process by real pid; from a group only members, by pid inside. */
struct proc *group_find_visible(const struct proc *viewer, int pid);

/* Whether viewer can see p at all. */
bool group_can_see(const struct proc *viewer, const struct proc *p);

/* Fills up to max entries: every group from the root, only its own from
 * inside a group. Returns how many. */
int group_list(const struct proc *viewer, struct group_info *out, int max);

#endif
