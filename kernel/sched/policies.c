/*
 * policies.c — the registry of scheduling policies (see policies.h).
 *
 * Adding a policy means one file defining sched_policy_<name> and one line
 * here; nothing else in the kernel names a policy.
 * OSTEP ch. 7-9.
 */
#include "kernel/sched/policies.h"
#include "lib/string.h"

#include <stddef.h>

const struct sched_policy *const sched_policies[SCHED_POLICY_COUNT] = {
    &sched_policy_rr,   &sched_policy_fifo,    &sched_policy_prio,
    &sched_policy_mlfq, &sched_policy_lottery, &sched_policy_stride,
    &sched_policy_cfs,  &sched_policy_sjf,     &sched_policy_stcf,
};

const struct sched_policy *sched_policy_by_name(const char *name)
{
    if (!name)
        return NULL;
    for (int i = 0; i < SCHED_POLICY_COUNT; i++)
        if (strcmp(sched_policies[i]->name, name) == 0)
            return sched_policies[i];
    return NULL;
}
