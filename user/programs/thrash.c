/*
 * thrash [MIB [PROCS [PASSES]]] — working sets that exceed memory, then fit.
 *
 * Runs phases with PROCS (default 3), PROCS-1, ... 1 processes at once, each
 * looping PASSES times (default 10) over its own MIB mebibytes (default 2)
 * and yielding every 64 pages, so that all of them are mid-loop together.
 * While their working sets together exceed the frames there are (boot with
 * userframes=1100: three sets of 512 pages do not fit, two do), each
 * process keeps evicting pages another needs next: major faults climb and
 * the phase takes far longer. Once they fit, the same work runs at memory
 * speed. One line per phase: processes, pages in all working sets, elapsed
 * time, major faults, page-outs.
 * OSTEP ch. 22.7-22.8 (thrashing; admission control runs fewer at once).
 */
#include "user/lib/args.h"
#include "user/lib/prism.h"
#include "user/lib/stdio.h"
#include "user/lib/swap.h"

#define PAGE 4096UL

static void loop_over(unsigned long pages, long passes)
{
    char *heap = sbrk((long)((pages + 1) * PAGE));
    if (sbrk_failed(heap))
        _exit(1);
    volatile char *base = (char *)(((unsigned long)heap + PAGE - 1) & ~(PAGE - 1));
    for (long pass = 0; pass < passes; pass++)
        for (unsigned long p = 0; p < pages; p++) {
            base[p * PAGE] = (char)(base[p * PAGE] + 1);
            if (p % 64 == 63)
                yield(); /* share the CPU finely, so the working sets are live together */
        }
    _exit(0);
}

int main(int argc, char **argv)
{
    struct args args;
    long mib = 2, procs = 3, passes = 10;
    args_begin(&args, argc, argv, "[MIB [PROCS [PASSES]]]",
               "PROCS..1 processes loop over MIB each at once: watch thrashing stop");
    args_optional_number(&args, "MIB", 1, 64, &mib);
    args_optional_number(&args, "PROCS", 1, 16, &procs);
    args_optional_number(&args, "PASSES", 1, 100, &passes);
    if (args_finish(&args) < 0)
        return args.status;
    struct swap_stats stats;
    swap_stats(&stats);
    printf("thrash: %ld MiB each, %ld passes; user frame limit %lu, %lu frames free\n", mib, passes,
           (unsigned long)stats.user_frame_limit, (unsigned long)stats.free_frames);
    printf("%6s %8s %10s %8s %9s\n", "procs", "pages", "ms", "major", "pageouts");
    unsigned long pages = (unsigned long)mib * 256;
    for (long running = procs; running >= 1; running--) {
        struct swap_stats before, after;
        swap_stats(&before);
        long started = uptime_ms();
        stdout_flush();
        for (long i = 0; i < running; i++)
            if (fork() == 0)
                loop_over(pages, passes);
        int failed = 0, status = 0;
        for (long i = 0; i < running; i++)
            if (waitpid(-1, &status, 0) > 0 && !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
                failed++;
        long elapsed = uptime_ms() - started;
        swap_stats(&after);
        printf("%6ld %8lu %10ld %8lu %9lu%s\n", running, pages * (unsigned long)running, elapsed,
               (unsigned long)(after.major_faults - before.major_faults),
               (unsigned long)(after.page_outs - before.page_outs),
               failed ? "  (some were killed: swap full?)" : "");
    }
    return 0;
}
