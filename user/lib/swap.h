/*
 * swap.h — user-side wrappers for the swapper: counters, the replacement
 * policy, a private frame limit, and this process's own fault counts
 * (see lib/syscall_abi.h, SYS_swap). OSTEP ch. 21-22.
 */
#ifndef PRISM_USER_LIB_SWAP_H
#define PRISM_USER_LIB_SWAP_H

#include "user/lib/prism.h"

static inline int swap_stats(struct swap_stats *stats)
{
    return (int)syscall_raw(SYS_swap, SWAP_STATS, 0, (long)stats, 0, 0, 0);
}

/* Switches to `policy` (NULL keeps it); `current` (16 bytes, may be NULL) gets the name. */
static inline int swap_policy(const char *policy, char current[16])
{
    return (int)syscall_raw(SYS_swap, SWAP_POLICY, (long)policy, (long)current, 0, 0, 0);
}

/* At most `frames` of this process's pages from now on stay in memory. */
static inline int swap_local_frames(unsigned long frames)
{
    return (int)syscall_raw(SYS_swap, SWAP_LOCAL_FRAMES, (long)frames, 0, 0, 0, 0);
}

/* This process's entry of the process list (faults, resident and swapped pages). */
static inline int swap_self_stat(struct proc_stat *out)
{
    static struct proc_stat all[64];
    int me = getpid();
    int count = procstat(all, 64);
    for (int i = 0; i < count; i++) {
        if (all[i].pid == me) {
            *out = all[i];
            return 0;
        }
    }
    return -ESRCH;
}

#endif
