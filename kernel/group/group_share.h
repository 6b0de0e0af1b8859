/*
 * group_share.h — proportional share between groups: stride scheduling over
 * "entities" (the root group and each container group), charged in CPU ns.
 *
 * The group level of the dispatcher (group_sched.c) asks this code which
 * entity's turn it is; the process inside the chosen entity is then picked
 * by that entity's own policy (the system policy for the root, round-robin
 * inside a group). An entity's pass grows by the CPU time its members used,
 * divided by its weight, so over time each busy entity gets CPU in
 * proportion to its weight (OSTEP ch. 9's stride scheduling, with time for
 * the stride, as Linux's CFS group scheduling charges vruntime).
 * Rules: only an entity with a READY member can be picked; an entity that
 * becomes ready again starts no earlier than the last pass picked, so it
 * cannot save up CPU while idle (stride's rule for a joining job).
 * Pure logic: no kernel header, so a host test drives it exactly.
 * OSTEP ch. 9 (Proportional Share), Linux's cgroup cpu.weight.
 */
#ifndef PRISM_KERNEL_GROUP_GROUP_SHARE_H
#define PRISM_KERNEL_GROUP_GROUP_SHARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SHARE_WEIGHT_MIN 1
#define SHARE_WEIGHT_MAX 100
#define SHARE_WEIGHT_ROOT 100 /* everything not in a group weighs as a group at --cpu 100 */
#define SHARE_SCALE 100       /* pass += ns * SHARE_SCALE / weight */

struct share_entity {
    uint64_t pass;   /* virtual time: CPU ns used, scaled by 1/weight */
    uint32_t weight; /* SHARE_WEIGHT_MIN .. SHARE_WEIGHT_MAX */
    uint32_t ready;  /* READY members queued in it now */
};

/* The smallest pass among ready entities advances this: a newly ready
 * entity starts from it. */
struct share_clock {
    uint64_t last_pass; /* the pass of the entity picked last */
};

void share_entity_init(struct share_entity *entity, uint32_t weight);

/* entity had no READY member and gets one: it may not start behind the clock. */
void share_entity_wakes(struct share_entity *entity, const struct share_clock *clock);

/* The ready entity with the smallest pass (the lowest index on a tie), or -1
 * if none is ready; the clock remembers its pass. */
int share_pick(struct share_entity *const *entities, size_t count, struct share_clock *clock);

/* entity's members used ns of CPU. */
void share_charge(struct share_entity *entity, uint64_t ns);

#endif
