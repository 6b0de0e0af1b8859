/*
 * pageref FRAMES PAGE... — replay a reference string with exactly FRAMES frames.
 *
 * Gives this process a private replacement set of FRAMES frames (SYS_swap,
 * SWAP_LOCAL_FRAMES), then touches heap page PAGE for each number given, in
 * order. Whether an access hit is read from this process's fault count (a
 * miss is a fault: the first touch of a page, or a major fault reading it
 * back from swap); which pages are resident is read from the page table
 * (pagewalk). Output follows OSTEP's paging-policy.py -c line by line:
 *   Access: 8  MISS  resident [4 7 8]  Replaced:2 [Hits:0 Misses:4]
 *   FINALSTATS hits 1   misses 9   hitrate 10.00
 * Each page holds a stamp checked on every access, so a page that came back
 * from swap wrong fails the run. Under lru the program sleeps one timer tick
 * between accesses so that the aging counters see every access (LRU's
 * approximation is sampled by the timer); fifo and clock need no sampling.
 * Differences from paging-policy.py: its CLOCK picks pages at random and
 * keeps multi-bit counters, Prism's clock is the book's hand and one bit.
 * OSTEP ch. 22 (the chapter's homework simulator).
 */
#include "kernel/mm/swap_entry.h"
#include "lib/string.h"
#include "user/lib/args.h"
#include "user/lib/prism.h"
#include "user/lib/stdio.h"
#include "user/lib/swap.h"
#include "user/lib/vm.h"

#define PAGE 4096UL
#define MAX_PAGE 1023
#define MAX_REFERENCES 1024
#define MAX_FRAMES 512

static unsigned long references[MAX_REFERENCES];
static unsigned long stamps[MAX_PAGE + 1];
static bool was_resident[MAX_PAGE + 1];

static unsigned long fault_count(void)
{
    struct proc_stat self = {0};
    swap_self_stat(&self);
    return self.page_faults;
}

static bool resident(char *base, unsigned long page)
{
    struct page_walk_info walk;
    return pagewalk(0, (unsigned long)(base + page * PAGE), &walk) == 0 && walk.mapped;
}

int main(int argc, char **argv)
{
    struct args args;
    long frames;
    int count = 0;
    unsigned long highest = 0;
    args_begin(&args, argc, argv, "FRAMES PAGE...",
               "touch the pages in the order given with FRAMES frames; hit or miss per access");
    args_number(&args, "FRAMES", 1, MAX_FRAMES, &frames);
    do {
        long page = 0;
        if (count == MAX_REFERENCES) {
            args_error(&args, "more than %d references", MAX_REFERENCES);
            break;
        }
        if (args_number(&args, "PAGE", 0, MAX_PAGE, &page) < 0)
            break;
        references[count++] = (unsigned long)page;
        if ((unsigned long)page > highest)
            highest = (unsigned long)page;
    } while (args_more(&args));
    if (args_finish(&args) < 0)
        return args.status;
    char *heap = sbrk((long)((highest + 2) * PAGE));
    if (sbrk_failed(heap)) {
        dprintf(STDERR_FILENO, "pageref: cannot grow the heap\n");
        return 1;
    }
    char *base = (char *)(((unsigned long)heap + PAGE - 1) & ~(PAGE - 1));
    char policy[16];
    swap_policy(0, policy);
    fault_count(); /* touch everything the bookkeeping uses before the limit */
    int result = swap_local_frames((unsigned long)frames);
    if (result < 0) {
        dprintf(STDERR_FILENO, "pageref: cannot get a private set of %ld frames: %s\n", frames,
                result == -ENODEV ? "no swap disk" : "all private sets are in use");
        return 1;
    }
    bool sample = strcmp(policy, "lru") == 0;
    printf("pageref: policy %s, %ld frames, %d references\n", policy, frames, count);
    int hits = 0, misses = 0;
    for (int i = 0; i < count; i++) {
        unsigned long page = references[i];
        if (sample)
            sleep_ms(10); /* one timer tick: the aging counters sample our last access */
        for (unsigned long p = 0; p <= highest; p++)
            was_resident[p] = resident(base, p);
        unsigned long before = fault_count();
        volatile unsigned long *word = (volatile unsigned long *)(base + page * PAGE);
        if (*word != stamps[page]) {
            printf("pageref: page %lu holds %lu, wrote %lu: corrupted\n", page, *word,
                   stamps[page]);
            return 1;
        }
        *word = ++stamps[page];
        bool hit = fault_count() == before;
        hits += hit;
        misses += !hit;
        printf("Access: %lu  %s resident [", page, hit ? "HIT " : "MISS");
        long replaced = -1;
        const char *separator = "";
        for (unsigned long p = 0; p <= highest; p++) {
            bool now = resident(base, p);
            if (now) {
                printf("%s%lu", separator, p);
                separator = " ";
            }
            if (was_resident[p] && !now)
                replaced = (long)p;
        }
        if (replaced >= 0)
            printf("] Replaced:%ld [Hits:%d Misses:%d]\n", replaced, hits, misses);
        else
            printf("] Replaced:- [Hits:%d Misses:%d]\n", hits, misses);
    }
    int hundredths = (hits * 10000 + count / 2) / count; /* rounded, as Python's %.2f */
    printf("FINALSTATS hits %d   misses %d   hitrate %d.%02d\n", hits, misses, hundredths / 100,
           hundredths % 100);
    return 0;
}
