/*
 * group_sched.h — the dispatcher's group level: whose turn it is, the root
 * group's or a container group's, and who runs inside a group.
 *
 * Hierarchical like cgroups over CFS: the root group (every process not in
 * a group) and each group are one entity each, chosen by stride over their
 * weights and charged the CPU ns their members use (group_share.h); inside
 * the root the system policy picks as it always did; inside a group the
 * group's own round-robin picks. Round-robin, because the system policies
 * keep one global set of queues each (they cannot run a second instance
 * per group), and round-robin needs only a list and is fair among equals;
 * the share between groups is the part that carries the weights.
 * Rule: the dispatcher alone calls this (it owns run-queue membership, as
 * policy.h says): group_sched_enqueue/_dequeue for members of a group,
 * _root_joins/_root_leaves as root processes enter and leave the policy's
 * queues. While no group has a READY member, group_sched_any_ready() is
 * false and the dispatcher asks the policy alone, exactly as with no
 * groups; the group level adds nothing then (not even a preemption).
 * OSTEP ch. 9 (proportional share), ch. 7 (round-robin).
 */
#ifndef PRISM_KERNEL_GROUP_GROUP_SCHED_H
#define PRISM_KERNEL_GROUP_GROUP_SCHED_H

#include <stdbool.h>
#include <stdint.h>

struct group;
struct proc;

void group_sched_group_starts(struct group *g, uint32_t weight);
void group_sched_group_ends(struct group *g);

void group_sched_enqueue(struct proc *p); /* p (in a group) became READY */
void group_sched_dequeue(struct proc *p); /* ... and leaves the READY set */
void group_sched_root_joins(void);        /* a root process joined the policy's queues */
void group_sched_root_leaves(void);       /* ... and left them (picked or dequeued) */

/* Whether some group has a READY member (else the policy alone decides). */
bool group_sched_any_ready(void);

/* The next member of a group to run, taken off its ready list; NULL with
 * *root_turn true when the root's policy is to pick, NULL with *root_turn
 * false when nobody is READY. */
struct proc *group_sched_pick(bool *root_turn);

/* The CPU passed from previous to next after previous ran ns: previous's
 * entity is charged, and next's slice at the group level begins. */
void group_sched_switched(struct proc *previous, struct proc *next, uint64_t ns);

/* One timer tick of `running`, a member of a group: true when its
 * round-robin slice is over. */
bool group_sched_member_tick(struct proc *running);

/* One timer tick at the group level: true when the running process's
 * entity has had a full quantum and another entity has a READY member. */
bool group_sched_level_tick(const struct proc *running);

#endif
