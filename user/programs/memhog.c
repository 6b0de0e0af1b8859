/*
 * memhog — touch MIB mebibytes in one of OSTEP ch. 22's patterns, then check every page.
 *
 * Usage: memhog MIB [seq|loop|random|80-20] [PASSES]. The heap grows by MIB
 * (untouched, so nothing is allocated yet); then pages are touched:
 *   seq     each page once, in order (then the check reads them all again)
 *   loop    PASSES (default 3) sequential passes: the looping workload on
 *           which LRU and FIFO miss every time once it does not fit
 *   random  PASSES x pages accesses to pages chosen uniformly (no locality)
 *   80-20   as many accesses, 80% of them to a hot 20% of the pages
 * The first touch of a page fills all of it with a pattern made from its
 * number; later touches check the page's first and last words and bump a
 * counter in it. At the end every page that was touched is read in full
 * and compared, so a page lost or mixed up on its way through swap fails
 * the run. Prints accesses, time, faults (minor and major) and a checksum.
 * OSTEP ch. 22 (workloads: no locality, 80-20, looping), ch. 21.
 */
#include "lib/random.h"
#include "lib/string.h"
#include "user/lib/args.h"
#include "user/lib/describe.h"
#include "user/lib/prism.h"
#include "user/lib/stdio.h"
#include "user/lib/swap.h"

#define PAGE 4096UL
#define WORDS (PAGE / sizeof(unsigned long))
#define MAX_MIB 4096

enum pattern { SEQ, LOOP, RANDOM, HOT_COLD };

static unsigned long *memory;
static unsigned long page_count;
static unsigned char *touches; /* per page: 0 = never, else times touched (saturating) */

static unsigned long word_for(unsigned long page, unsigned long word)
{
    return (page * 0x9e3779b97f4a7c15UL) ^ (word * 0xbf58476d1ce4e5b9UL) ^ 0x5a5a5a5aUL;
}

static int fail(unsigned long page, const char *what)
{
    printf("memhog: page %lu corrupt (%s)\n", page, what);
    exit(1);
}

static void touch(unsigned long page)
{
    unsigned long *words = memory + page * WORDS;
    if (touches[page] == 0) {
        for (unsigned long i = 0; i < WORDS; i++)
            if (words[i] != 0)
                fail(page, "a new page was not zero");
        for (unsigned long i = 0; i < WORDS; i++)
            words[i] = word_for(page, i);
        words[1] = 0; /* the touch counter */
    } else {
        if (words[0] != word_for(page, 0) || words[WORDS - 1] != word_for(page, WORDS - 1))
            fail(page, "pattern");
        if (words[1] != (unsigned long)touches[page] - 1 && touches[page] < 255)
            fail(page, "touch count");
    }
    if (touches[page] < 255) {
        words[1] = touches[page];
        touches[page]++;
    }
}

static unsigned long verify_all(void)
{
    unsigned long checksum = 0;
    for (unsigned long page = 0; page < page_count; page++) {
        if (!touches[page])
            continue;
        unsigned long *words = memory + page * WORDS;
        for (unsigned long i = 0; i < WORDS; i++) {
            unsigned long expected = i == 1 ? (unsigned long)touches[page] - 1 : word_for(page, i);
            if (i == 1 && touches[page] == 255)
                expected = words[1];
            if (words[i] != expected)
                fail(page, "final check");
            checksum = checksum * 31 + words[i];
        }
    }
    return checksum;
}

static const char *const pattern_names[] = {"seq", "loop", "random", "80-20"};

static int parse_pattern(const char *text, enum pattern *out)
{
    for (int i = 0; i < 4; i++)
        if (strcmp(text, pattern_names[i]) == 0) {
            *out = (enum pattern)i;
            return 0;
        }
    return -1;
}

int main(int argc, char **argv)
{
    struct args args;
    long mib, passes = 3;
    const char *pattern_name = "seq";
    enum pattern pattern = SEQ;
    args_begin(&args, argc, argv, "MIB [seq|loop|random|80-20] [PASSES]",
               "touch MIB mebibytes in a pattern, then check every page (OSTEP ch. 22)");
    args_number(&args, "MIB", 1, MAX_MIB, &mib);
    if (args_more(&args) && args_word(&args, "PATTERN", &pattern_name) == 0 &&
        parse_pattern(pattern_name, &pattern) < 0)
        args_error(&args, "'%s' is not a pattern (seq, loop, random, 80-20)", pattern_name);
    args_optional_number(&args, "PASSES", 1, 1000, &passes);
    if (args_finish(&args) < 0)
        return args.status;
    page_count = (unsigned long)mib * 256;
    touches = sbrk((long)page_count);
    void *base = sbrk((long)(page_count * PAGE + PAGE));
    if (sbrk_failed(touches) || sbrk_failed(base)) {
        printf("memhog: cannot grow the heap by %ld MiB: %s\n", mib,
               strerror((int)(long)(sbrk_failed(base) ? base : touches)));
        return 1;
    }
    memory = (unsigned long *)(((unsigned long)base + PAGE - 1) & ~(PAGE - 1));

    struct proc_stat before, after;
    swap_self_stat(&before);
    long started = uptime_ms();
    unsigned long accesses = 0;
    struct random_state dice;
    random_seed(&dice, 12345);
    unsigned long hot = page_count / 5 ? page_count / 5 : 1;
    if (pattern == SEQ || pattern == LOOP) {
        long rounds = pattern == SEQ ? 1 : passes;
        for (long round = 0; round < rounds; round++)
            for (unsigned long page = 0; page < page_count; page++, accesses++)
                touch(page);
    } else {
        unsigned long total = (unsigned long)passes * page_count;
        for (; accesses < total; accesses++) {
            unsigned long page;
            if (pattern == RANDOM)
                page = random_below(&dice, page_count);
            else if (random_below(&dice, 100) < 80)
                page = random_below(&dice, hot);
            else
                page = hot + random_below(&dice, page_count - hot ? page_count - hot : 1);
            touch(page < page_count ? page : page_count - 1);
        }
    }
    long elapsed = uptime_ms() - started;
    swap_self_stat(&after);
    unsigned long checksum = verify_all();
    unsigned long faults = after.page_faults - before.page_faults;
    unsigned long major = after.major_faults - before.major_faults;
    printf("memhog: %ld MiB %s: %lu pages, %lu accesses in %ld ms; faults %lu (major %lu); "
           "hit rate %lu.%02lu%%\n",
           mib, pattern_names[pattern], page_count, accesses, elapsed, faults, major,
           accesses > faults ? (accesses - faults) * 100 / accesses : 0,
           accesses > faults ? (accesses - faults) * 10000 / accesses % 100 : 0);
    printf("memhog: verified every page, checksum %lx\n", checksum);
    return 0;
}
