/*
 * group_share.c — stride scheduling between groups, charged in CPU ns
 * (see group_share.h). The dispatcher's group level calls it on every
 * decision while some group has a READY member; a host test
 * (tests/unit/test_group_share.c) checks that the picks follow the weights.
 * OSTEP ch. 9 (stride scheduling).
 */
#include "kernel/group/group_share.h"

void share_entity_init(struct share_entity *entity, uint32_t weight)
{
    entity->pass = 0;
    entity->weight = weight < SHARE_WEIGHT_MIN ? SHARE_WEIGHT_MIN : weight;
    entity->ready = 0;
}

void share_entity_wakes(struct share_entity *entity, const struct share_clock *clock)
{
    if (entity->pass < clock->last_pass)
        entity->pass = clock->last_pass;
}

int share_pick(struct share_entity *const *entities, size_t count, struct share_clock *clock)
{
    int best = -1;
    for (size_t i = 0; i < count; i++) {
        const struct share_entity *entity = entities[i];
        if (entity && entity->ready > 0 && (best < 0 || entity->pass < entities[best]->pass))
            best = (int)i;
    }
    if (best >= 0)
        clock->last_pass = entities[best]->pass;
    return best;
}

void share_charge(struct share_entity *entity, uint64_t ns)
{
    entity->pass += ns * SHARE_SCALE / entity->weight;
}
