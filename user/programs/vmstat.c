/*
 * vmstat [SECONDS [COUNT]] — memory and swap activity, once or every SECONDS.
 *
 * One line of counters since boot: faults resolved without the disk (minor:
 * demand-zero and copy-on-write) and with it (major), pages read in and
 * written out, evictions, free frames, evictable user pages resident, swap
 * slots in use, and the replacement policy. With SECONDS, further lines show
 * what happened in each interval, so thrashing is visible as it happens
 * (major faults and page-outs climbing while the work crawls).
 * OSTEP ch. 21-22 (and the vmstat tool the book uses to watch swapping).
 */
#include "user/lib/args.h"
#include "user/lib/prism.h"
#include "user/lib/stdio.h"
#include "user/lib/swap.h"

static void print_line(const struct swap_stats *now, const struct swap_stats *before,
                       const char *policy)
{
    printf("%8lu %8lu %8lu %8lu %8lu %8lu %8lu %6lu/%-6lu %s\n",
           (unsigned long)(now->minor_faults - before->minor_faults),
           (unsigned long)(now->major_faults - before->major_faults),
           (unsigned long)(now->page_ins - before->page_ins),
           (unsigned long)(now->page_outs - before->page_outs),
           (unsigned long)(now->evictions - before->evictions), (unsigned long)now->free_frames,
           (unsigned long)now->resident_tracked, (unsigned long)now->slots_used,
           (unsigned long)now->slots_total, policy);
}

int main(int argc, char **argv)
{
    struct args args;
    long seconds = 0, count = 1;
    args_begin(&args, argc, argv, "[SECONDS [COUNT]]",
               "memory and swap counters; with SECONDS, what changed every SECONDS");
    if (args_more(&args)) {
        count = 1000000;
        args_number(&args, "SECONDS", 1, 3600, &seconds);
        args_optional_number(&args, "COUNT", 1, 1000000, &count);
    }
    if (args_finish(&args) < 0)
        return args.status;
    struct swap_stats zero = {0}, previous, now;
    char policy[16];
    swap_policy(0, policy);
    swap_stats(&now);
    printf("   minor    major   pagein  pageout    evict  freefrm resident   swap used %s\n",
           "policy");
    print_line(&now, &zero, now.slots_total ? policy : "(swap off)");
    for (long i = 1; i < count; i++) {
        previous = now;
        sleep_ms((unsigned long)seconds * 1000);
        swap_policy(0, policy);
        swap_stats(&now);
        print_line(&now, &previous, now.slots_total ? policy : "(swap off)");
    }
    return 0;
}
