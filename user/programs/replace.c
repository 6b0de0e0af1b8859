/*
 * replace [POLICY] — show the page-replacement policy, or switch it while
 * everything keeps running: `replace lru`. The resident pages stay where
 * they are; the new policy chooses the next victim among them. Recorded in
 * the trace ("replace name=lru"). OSTEP ch. 22 (the policies live in
 * kernel/mm/replace/).
 */
#include "user/lib/args.h"
#include "user/lib/prism.h"
#include "user/lib/stdio.h"
#include "user/lib/swap.h"

int main(int argc, char **argv)
{
    struct args args;
    const char *policy = NULL;
    char current[16];
    args_begin(&args, argc, argv, "[POLICY]",
               "show the page-replacement policy, or switch to POLICY (fifo random clock lru)");
    if (args_more(&args))
        args_word(&args, "POLICY", &policy);
    if (args_finish(&args) < 0)
        return args.status;
    if (swap_policy(policy, current) < 0) {
        dprintf(STDERR_FILENO,
                "replace: '%s' is not a policy (the policies: fifo random clock lru)\n", policy);
        return 1;
    }
    struct swap_stats stats;
    swap_stats(&stats);
    printf("replace: %s%s\n", current,
           stats.slots_total ? "" : " (swap is off: nothing to replace)");
    return 0;
}
