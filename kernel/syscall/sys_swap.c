/*
 * sys_swap.c — the system call behind vmstat, `replace` and pageref.
 *
 * SWAP_STATS copies out the swapper's counters (faults minor and major,
 * page-ins and -outs, evictions, frames, slots); SWAP_POLICY reads or
 * switches the replacement policy at run time, like `sched` does for the
 * scheduler (traced as "replace name=..."); SWAP_LOCAL_FRAMES gives the
 * calling process a private set of at most N frames, so pageref can replay
 * a reference string with exactly N frames whatever else is running.
 * OSTEP ch. 21-22 (Beyond Physical Memory).
 */
#include "kernel/mm/replace/replace.h"
#include "kernel/mm/swap.h"
#include "kernel/mm/user_copy.h"
#include "kernel/proc/proc.h"
#include "kernel/sched/scheduler.h"
#include "kernel/syscall/sys_proc.h"
#include "lib/errno.h"
#include "lib/string.h"

#define POLICY_NAME_MAX 16

long sys_swap(SYSCALL_ARGS)
{
    switch (a0) {
    case SWAP_STATS: {
        struct swap_stats stats;
        swap_fill_stats(&stats);
        return user_copy_out(a2, &stats, sizeof(stats));
    }
    case SWAP_POLICY: {
        if (a1 != 0) {
            char name[POLICY_NAME_MAX];
            long result = user_copy_string(name, a1, sizeof(name));
            if (result < 0)
                return result == -ENAMETOOLONG ? -EINVAL : result;
            const struct replace_policy *policy = replace_policy_by_name(name);
            if (!policy)
                return -EINVAL;
            swap_set_policy(policy);
        }
        if (a2 == 0)
            return 0;
        char current[POLICY_NAME_MAX];
        strlcpy(current, swap_policy()->name, sizeof(current));
        return user_copy_out(a2, current, sizeof(current));
    }
    case SWAP_LOCAL_FRAMES:
        if (a1 > (1UL << 30))
            return -EINVAL;
        return swap_set_local_limit(proc_current()->address_space, (size_t)a1);
    default:
        return -EINVAL;
    }
}
