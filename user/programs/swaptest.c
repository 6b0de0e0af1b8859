/*
 * swaptest [FRAMES] — fork, copy-on-write and swap together, with a leak check.
 *
 * A child gets a private set of FRAMES frames (default 32), fills 256 pages
 * with a pattern, so most of them go out to swap, and forks. Parent side
 * and grandchild now share swapped pages (one slot, two owners) and
 * copy-on-write frames. Both read every page and check the pattern, then
 * write their own pattern over half of the pages (the grandchild the even
 * pages, the child the odd ones), and check every page again: each must
 * see its own writes and the original data elsewhere, never the other's.
 * Around all of it the test program itself checks that every frame and
 * every swap slot came back once both exited. One line per case, then
 * "swaptest: N passed, N failed". OSTEP ch. 21 and ch. 23 (COW).
 */
#include "user/lib/args.h"
#include "user/lib/prism.h"
#include "user/lib/stdio.h"
#include "user/lib/swap.h"
#include "user/lib/vm.h"

#define PAGE 4096UL
#define PAGES 256

static unsigned long *pages_base;

static unsigned long *word(unsigned long page)
{
    return pages_base + page * (PAGE / sizeof(unsigned long));
}

static unsigned long original(unsigned long page)
{
    return 0x1000 + page;
}

/* The value `who` expects at `page` once it has written its half. */
static bool page_ok(unsigned long page, int written_parity, unsigned long mark)
{
    unsigned long *w = word(page);
    unsigned long expected = (int)(page % 2) == written_parity ? mark + page : original(page);
    return w[0] == expected && w[511] == expected;
}

static int run_side(int parity, unsigned long mark)
{
    for (unsigned long p = 0; p < PAGES; p++)
        if (!page_ok(p, -1, 0))
            return 1;
    for (unsigned long p = (unsigned long)parity; p < PAGES; p += 2)
        word(p)[0] = word(p)[511] = mark + p;
    for (unsigned long p = 0; p < PAGES; p++)
        if (!page_ok(p, parity, mark))
            return 2;
    return 0;
}

static int child(unsigned long frames)
{
    char *heap = sbrk((long)((PAGES + 1) * PAGE));
    pages_base = (unsigned long *)(((unsigned long)heap + PAGE - 1) & ~(PAGE - 1));
    if (swap_local_frames(frames) < 0)
        return 10;
    for (unsigned long p = 0; p < PAGES; p++)
        word(p)[0] = word(p)[511] = original(p);
    struct proc_stat self = {0};
    swap_self_stat(&self);
    if (self.swapped_pages == 0)
        return 11; /* the test would prove nothing */
    stdout_flush();
    int pid = fork();
    if (pid == 0)
        _exit(run_side(0, 0x7000000));
    int mine = run_side(1, 0x9000000);
    int status = 0;
    waitpid(pid, &status, 0);
    if (mine)
        return 20 + mine;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 30 + WEXITSTATUS(status);
}

int main(int argc, char **argv)
{
    struct args args;
    long frames = 32;
    args_begin(&args, argc, argv, "[FRAMES]",
               "fork, copy-on-write and swap together in FRAMES frames, with a leak check");
    args_optional_number(&args, "FRAMES", 8, 512, &frames);
    if (args_finish(&args) < 0)
        return args.status;
    struct swap_stats before, after;
    if (swap_stats(&before) < 0 || before.slots_total == 0) {
        printf("swaptest: needs a swap disk\n");
        return 1;
    }
    unsigned long frames_before = frames_accounted();
    stdout_flush();
    int pid = fork();
    if (pid == 0)
        _exit(child((unsigned long)frames));
    int status = 0;
    waitpid(pid, &status, 0);
    int passed = 0, failed = 0;
    bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    printf("%s fork+cow+swap: both sides see their own writes (status %d)\n", ok ? "ok  " : "FAIL",
           WEXITSTATUS(status));
    ok ? passed++ : failed++;
    swap_stats(&after);
    unsigned long frames_after = frames_accounted();
    ok = after.slots_used == before.slots_used;
    printf("%s swap slots returned: %lu in use before, %lu after\n", ok ? "ok  " : "FAIL",
           (unsigned long)before.slots_used, (unsigned long)after.slots_used);
    ok ? passed++ : failed++;
    ok = frames_after == frames_before;
    printf("%s frames returned: %lu before, %lu after\n", ok ? "ok  " : "FAIL", frames_before,
           frames_after);
    ok ? passed++ : failed++;
    ok = after.page_outs > before.page_outs && after.page_ins > before.page_ins;
    printf("%s pages went out and came back: %lu out, %lu in\n", ok ? "ok  " : "FAIL",
           (unsigned long)(after.page_outs - before.page_outs),
           (unsigned long)(after.page_ins - before.page_ins));
    ok ? passed++ : failed++;
    printf("swaptest: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
