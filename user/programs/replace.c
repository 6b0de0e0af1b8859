/*
 * replace [POLICY] — show the page-replacement policy, or switch it while
 * everything keeps running: `replace lru`. The resident pages stay where
 * they are; the new policy chooses the next victim among them. Recorded in
 * the trace ("replace name=lru"). OSTEP ch. 22 (the policies live in
 * kernel/mm/replace/).
 */
#include "user/lib/prism.h"
#include "user/lib/stdio.h"
#include "user/lib/swap.h"

int main(int argc, char **argv)
{
    char current[16];
    if (argc > 2) {
        dprintf(STDERR_FILENO, "usage: replace [fifo|random|clock|lru]\n");
        return 2;
    }
    if (swap_policy(argc == 2 ? argv[1] : 0, current) < 0) {
        dprintf(STDERR_FILENO, "replace: %s: no such policy (fifo random clock lru)\n", argv[1]);
        return 1;
    }
    struct swap_stats stats;
    swap_stats(&stats);
    printf("replace: %s%s\n", current,
           stats.slots_total ? "" : " (swap is off: nothing to replace)");
    return 0;
}
