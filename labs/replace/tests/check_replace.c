/*
 * check_replace.c — the replace lab's own host tests: clock and aging LRU
 * on a simulated memory, over the real policy sources.
 *
 * A page is "referenced" when the simulation says so (what the MMU's
 * accessed bit is to the kernel); a miss in a full memory asks the policy
 * for a victim. Every call into the policy is bounded: a sweep that asks
 * about more pages than two full turns, a victim outside the set or a hand
 * left off the circle fails at once, and each test has a timeout, so a
 * policy that never returns costs only its own tests.
 * OSTEP ch. 22 (Swapping: Policies): the clock algorithm, LRU by aging.
 */
#include <check.h>
#include <stdbool.h>
#include <string.h>

#include "kernel/mm/replace/replace.h"
#include "lib/random.h"

#define MAX_PAGES 128
#define TEST_TIMEOUT_SECONDS 5 /* per test; all of them together stay under the grader's 120 */
#define ARRAY_LENGTH(array) (sizeof(array) / sizeof((array)[0]))

struct sim_page {
    struct replace_page page; /* first: the casts below rely on it */
    bool resident;
    bool referenced;
};

static struct sim_page pages[MAX_PAGES];
static struct replace_set set;
static const struct replace_policy *policy;
static int sample_every;     /* policy->tick after every N accesses; 0 = never */
static int accesses;         /* since sim_start */
static long questions_left;  /* replace_page_referenced calls allowed in this policy call */
static long questions_asked; /* in the last policy call */
static int last_victim;      /* page number, or -1 if the last access evicted nothing */

static struct sim_page *sim_page_of(struct replace_page *page)
{
    struct sim_page *sim = (struct sim_page *)page;
    ck_assert_msg(sim >= pages && sim < pages + MAX_PAGES, "%p is not one of the set's pages",
                  (void *)page);
    return sim;
}

bool replace_page_referenced(struct replace_page *page)
{
    struct sim_page *sim = sim_page_of(page);
    ck_assert_msg(sim->resident, "asked about page %d, which is not resident", (int)(sim - pages));
    questions_asked++;
    if (--questions_left < 0)
        ck_abort_msg("the policy asked about %ld pages of a set of %zu in one call: "
                     "a sweep that never stops?",
                     questions_asked, set.count);
    bool was = sim->referenced;
    sim->referenced = false;
    return was;
}

/* Whether node is a page of the set, walking at most MAX_PAGES + 1 nodes so
 * that a broken circle fails instead of hanging. */
static bool in_set(const struct list_node *node)
{
    const struct list_node *cursor = set.pages.next;
    for (int steps = 0; steps <= MAX_PAGES; steps++, cursor = cursor->next) {
        if (cursor == &set.pages)
            return false;
        if (cursor == node)
            return true;
    }
    ck_abort_msg("the set's list does not lead back to its head");
    return false;
}

static void sim_start(const struct replace_policy *chosen, size_t frames, int every)
{
    memset(pages, 0, sizeof(pages));
    replace_set_init(&set, frames);
    policy = chosen;
    sample_every = every;
    accesses = 0;
    last_victim = -1;
}

static void begin_policy_call(void)
{
    questions_asked = 0;
    questions_left = 2 * (long)set.count + 2; /* two full turns and a little */
}

/* policy->choose_victim, checked: a resident page of the set, the set and
 * the hand left intact. Returns the page number. */
static int choose(void)
{
    size_t count = set.count;
    begin_policy_call();
    struct replace_page *victim = policy->choose_victim(&set);
    ck_assert_msg(victim != NULL, "choose_victim returned NULL for a set of %zu pages", count);
    ck_assert_msg(in_set(&sim_page_of(victim)->page.link), "the victim is not in the set");
    ck_assert_msg(set.count == count, "choose_victim changed the set's count");
    ck_assert_msg(set.hand == NULL || in_set(set.hand),
                  "the hand points at neither a page of the set nor NULL (the list head?)");
    return (int)(sim_page_of(victim) - pages);
}

static void tick(void)
{
    if (!policy->tick)
        return;
    begin_policy_call();
    policy->tick(&set);
}

static void evict(int number)
{
    replace_set_remove(&set, &pages[number].page);
    pages[number].resident = false;
}

static void admit(int number)
{
    pages[number].resident = true;
    policy->admit(&pages[number].page);
    replace_set_insert(&set, &pages[number].page);
}

/* One access to page `number`; true for a hit. */
static bool sim_access(int number)
{
    ck_assert_int_lt(number, MAX_PAGES);
    struct sim_page *p = &pages[number];
    bool hit = p->resident;
    last_victim = -1;
    if (!hit) {
        if (set.count == set.limit) {
            last_victim = choose();
            evict(last_victim);
        }
        admit(number);
    }
    p->referenced = true;
    if (sample_every && ++accesses % sample_every == 0)
        tick();
    return hit;
}

/* Runs the string; writes 'h' or 'm' per access into outcome (if given) and
 * each access's victim into victims (if given); returns the hits. */
static int sim_run(const int *string, size_t length, char *outcome, int *victims)
{
    int hits = 0;
    for (size_t i = 0; i < length; i++) {
        bool hit = sim_access(string[i]);
        hits += hit;
        if (outcome)
            outcome[i] = hit ? 'h' : 'm';
        if (victims)
            victims[i] = last_victim;
    }
    if (outcome)
        outcome[length] = '\0';
    return hits;
}

/* Pages 0 .. n-1 resident in frame order, every referenced bit clear. */
static void fill(const struct replace_policy *chosen, int n)
{
    sim_start(chosen, (size_t)n, 0);
    for (int i = 0; i < n; i++)
        admit(i);
}

static void set_bits(const char *bits) /* "1101": page i's bit is bits[i] */
{
    for (int i = 0; bits[i]; i++)
        pages[i].referenced = bits[i] == '1';
}

/* ------------------------------------------------------------- workloads --- */
#define WORKLOAD_LENGTH 4000

static int workload[WORKLOAD_LENGTH];

/* OSTEP's 80-20 workload (Fig. 22.7): 80% of the accesses go to the hot 20%
 * of `page_count` pages, the rest to the cold 80%. Seeded: it repeats. */
static void make_80_20(int page_count, uint64_t seed)
{
    struct random_state dice;
    random_seed(&dice, seed);
    int hot = page_count / 5;
    for (int i = 0; i < WORKLOAD_LENGTH; i++)
        workload[i] = random_below(&dice, 10) < 8
                          ? (int)random_below(&dice, (uint64_t)hot)
                          : hot + (int)random_below(&dice, (uint64_t)(page_count - hot));
}

/* A sequential loop over `cold` pages with a hot page touched between every
 * two of them (a loop over an array with its index variable beside it). */
static void make_loop_with_hot_page(int cold)
{
    for (int i = 0; i < WORKLOAD_LENGTH; i++)
        workload[i] = i % 2 == 0 ? 0 : 1 + (i / 2) % cold;
}

/* True LRU by last-use time, for comparison (no policy involved). */
static int exact_lru_hits(const int *string, size_t length, size_t frames)
{
    long last_use[MAX_PAGES];
    bool resident[MAX_PAGES] = {false};
    size_t count = 0;
    int hits = 0;
    for (size_t i = 0; i < length; i++) {
        int page = string[i];
        if (resident[page]) {
            hits++;
        } else {
            if (count == frames) {
                int oldest = -1;
                for (int p = 0; p < MAX_PAGES; p++)
                    if (resident[p] && (oldest < 0 || last_use[p] < last_use[oldest]))
                        oldest = p;
                resident[oldest] = false;
                count--;
            }
            resident[page] = true;
            count++;
        }
        last_use[page] = (long)i;
    }
    return hits;
}

static int run_workload(const struct replace_policy *chosen, size_t frames, int every)
{
    sim_start(chosen, frames, every);
    return sim_run(workload, WORKLOAD_LENGTH, NULL, NULL);
}

/* ------------------------------------------------------------------ clock --- */

START_TEST(test_clock_spares_a_referenced_page_and_clears_its_bit)
{
    fill(&replace_policy_clock, 3);
    set_bits("100"); /* the hand (NULL: page 0) first meets a used page */
    ck_assert_int_eq(choose(), 1);
    ck_assert_msg(!pages[0].referenced, "page 0 was spared but its bit was not cleared");
}
END_TEST

START_TEST(test_clock_clears_bits_only_where_the_hand_passes)
{
    fill(&replace_policy_clock, 5);
    set_bits("11011");
    ck_assert_int_eq(choose(), 2);
    ck_assert_msg(!pages[0].referenced && !pages[1].referenced,
                  "pages 0 and 1 were passed: their bits must be clear");
    ck_assert_msg(pages[3].referenced && pages[4].referenced,
                  "pages 3 and 4 lie beyond the victim: the hand must not touch their bits");
    ck_assert_msg(questions_asked == 3, "asked about %ld pages to find the third", questions_asked);
    evict(2);
    admit(5); /* as the kernel does: the newcomer goes just behind the hand */
    ck_assert_msg(set.hand == &pages[3].page.link, "the hand must stop just past the victim");
}
END_TEST

START_TEST(test_clock_hand_advances_from_where_it_stopped)
{
    fill(&replace_policy_clock, 5);
    set_bits("11011");
    ck_assert_int_eq(choose(), 2);
    evict(2);
    admit(5); /* takes 2's place, just behind the hand */
    pages[5].referenced = true;
    /* The hand is at 3: 3 and 4 get their second chance, then it wraps to
     * 0, whose bit it cleared on the first sweep. */
    ck_assert_int_eq(choose(), 0);
    ck_assert(!pages[3].referenced && !pages[4].referenced && pages[5].referenced);
    evict(0);
    admit(6);
    ck_assert_msg(set.hand == &pages[1].page.link, "the hand must stop at 1, just past 0");
}
END_TEST

START_TEST(test_clock_hand_wraps_past_the_list_head)
{
    fill(&replace_policy_clock, 4);
    set_bits("1110");
    ck_assert_int_eq(choose(), 3); /* the last page of the list */
    evict(3);
    admit(4); /* where 3 was: at the end of the circle, before the hand */
    ck_assert_msg(set.hand == NULL || set.hand == &pages[0].page.link,
                  "past the last page the hand wraps to the first");
    pages[4].referenced = true;
    ck_assert_int_eq(choose(), 0); /* its bit was cleared by the first sweep */
    evict(0);
    admit(5);
    ck_assert_int_eq(choose(), 1);

    /* A set of one page: the victim is that page, whatever its bit. */
    fill(&replace_policy_clock, 1);
    set_bits("1");
    ck_assert_int_eq(choose(), 0);
    evict(0);
    admit(1);
    ck_assert_int_eq(choose(), 1);
}
END_TEST

START_TEST(test_clock_all_referenced_takes_one_full_turn)
{
    fill(&replace_policy_clock, 4);
    set.hand = &pages[2].page.link; /* as a previous sweep left it */
    set_bits("1111");
    ck_assert_int_eq(choose(), 2); /* round once, clearing every bit, back to 2 */
    ck_assert_msg(questions_asked == 5, "asked about %ld pages for one turn of 4 and one more",
                  questions_asked);
    for (int i = 0; i < 4; i++)
        ck_assert_msg(!pages[i].referenced, "page %d's bit survived a full turn", i);
    evict(2);
    admit(4);
    ck_assert_msg(set.hand == &pages[3].page.link, "the hand must stop just past 2");
}
END_TEST

START_TEST(test_clock_second_chance_keeps_a_page_in_use)
{
    /* 3 frames. 3 evicts 0 after a full turn clearing every bit; 1 is used
     * again, so 4 passes it and evicts 2, and 1 hits once more. FIFO would
     * evict 1 for 4 and miss on it: mmmmhmm. */
    static const int string[] = {0, 1, 2, 3, 1, 4, 1};
    char outcome[16];
    int victims[ARRAY_LENGTH(string)];
    sim_start(&replace_policy_clock, 3, 0);
    sim_run(string, ARRAY_LENGTH(string), outcome, victims);
    ck_assert_str_eq(outcome, "mmmmhmh");
    ck_assert_int_eq(victims[3], 0);
    ck_assert_int_eq(victims[5], 2);
}
END_TEST

START_TEST(test_clock_never_evicts_a_hot_page_in_a_loop)
{
    /* 0 is touched every other access. The first eviction finds every bit
     * set (all four pages were just used), goes round once and takes 0;
     * from then on 0's bit is set whenever the hand arrives, so 0 misses
     * only those two times, while FIFO throws it out once per lap of the 6
     * cold pages through 4 frames. The cold pages never hit. */
    make_loop_with_hot_page(6);
    int clock_hits = run_workload(&replace_policy_clock, 4, 0);
    int fifo_hits = run_workload(&replace_policy_fifo, 4, 0);
    ck_assert_msg(clock_hits == WORKLOAD_LENGTH / 2 - 2,
                  "clock hit %d times; the hot page alone should give %d", clock_hits,
                  WORKLOAD_LENGTH / 2 - 2);
    ck_assert_int_lt(fifo_hits, clock_hits);
}
END_TEST

START_TEST(test_clock_beats_fifo_on_80_20)
{
    /* 100 pages, 15 to 35 frames: FIFO hits 1640-2779 times in 4000,
     * clock 75-294 more. The margin asked is 1% of the accesses. */
    make_80_20(100, 22);
    for (size_t frames = 15; frames <= 35; frames += 10) {
        int clock_hits = run_workload(&replace_policy_clock, frames, 0);
        int fifo_hits = run_workload(&replace_policy_fifo, frames, 0);
        ck_assert_msg(clock_hits > fifo_hits + WORKLOAD_LENGTH / 100,
                      "%zu frames: clock hit %d times, fifo %d", frames, clock_hits, fifo_hits);
    }
}
END_TEST

/* -------------------------------------------------------------------- lru --- */

START_TEST(test_lru_admit_starts_without_history)
{
    sim_start(&replace_policy_lru, 4, 0);
    pages[7].page.age = 0xffffffffu; /* what it had the last time it was resident */
    admit(7);
    ck_assert_msg(pages[7].page.age == 0, "a page coming in has age %#x, not 0", pages[7].page.age);
}
END_TEST

START_TEST(test_lru_tick_shifts_the_referenced_bit_in_on_top)
{
    fill(&replace_policy_lru, 3);
    pages[2].page.age = 0xf0000000u;
    /* Samples, oldest first: page 0 used in 1 and 3, page 1 in 2, page 2 never. */
    static const char *const samples[] = {"100", "010", "100"};
    for (size_t s = 0; s < ARRAY_LENGTH(samples); s++) {
        set_bits(samples[s]);
        tick();
        for (int i = 0; i < 3; i++)
            ck_assert_msg(!pages[i].referenced, "tick left page %d's bit set", i);
    }
    ck_assert_msg(pages[0].page.age == 0xa0000000u, "page 0: age %#x, want 0xa0000000",
                  pages[0].page.age);
    ck_assert_msg(pages[1].page.age == 0x40000000u, "page 1: age %#x, want 0x40000000",
                  pages[1].page.age);
    ck_assert_msg(pages[2].page.age == 0x1e000000u, "page 2: age %#x, want 0x1e000000",
                  pages[2].page.age);
    ck_assert_uint_eq(set.count, 3);
}
END_TEST

START_TEST(test_lru_evicts_the_smallest_age_first_arrival_on_ties)
{
    fill(&replace_policy_lru, 5);
    static const uint32_t ages[] = {0x40000000u, 0x10000000u, 0x80000000u, 0x10000000u,
                                    0x20000000u};
    for (int i = 0; i < 5; i++)
        pages[i].page.age = ages[i];
    ck_assert_int_eq(choose(), 1); /* 1 and 3 tie: 1 came in first */
    evict(1);
    ck_assert_int_eq(choose(), 3);
    evict(3);
    ck_assert_int_eq(choose(), 4);
    for (int i = 0; i < 5; i++)
        pages[i].page.age = 0x1u;
    ck_assert_int_eq(choose(), 0); /* all equal: the list head */
}
END_TEST

START_TEST(test_lru_matches_ostep_figure_22_5)
{
    /* Sampled after every access, aging orders pages exactly by last use:
     * 6 hits (FIFO: 4). 3 evicts 2, the least recently used; 2 evicts 0. */
    static const int string[] = {0, 1, 2, 0, 1, 3, 0, 3, 1, 2, 1};
    char outcome[16];
    int victims[ARRAY_LENGTH(string)];
    sim_start(&replace_policy_lru, 3, 1);
    ck_assert_int_eq(sim_run(string, ARRAY_LENGTH(string), outcome, victims), 6);
    ck_assert_str_eq(outcome, "mmmhhmhhhmh");
    ck_assert_int_eq(victims[5], 2);
    ck_assert_int_eq(victims[9], 0);
}
END_TEST

START_TEST(test_lru_sampled_every_access_is_exact_lru)
{
    /* Random strings over 6 pages: every resident page was used within the
     * last 32 samples, so its age encodes its last use exactly. */
    struct random_state dice;
    random_seed(&dice, 2205);
    for (size_t frames = 2; frames <= 5; frames++) {
        for (int i = 0; i < WORKLOAD_LENGTH; i++)
            workload[i] = (int)random_below(&dice, 6);
        int aging = run_workload(&replace_policy_lru, frames, 1);
        int exact = exact_lru_hits(workload, WORKLOAD_LENGTH, frames);
        ck_assert_msg(aging == exact, "%zu frames: aging hit %d times, true LRU %d", frames, aging,
                      exact);
    }
}
END_TEST

START_TEST(test_lru_keeps_the_hot_page_of_a_loop)
{
    make_loop_with_hot_page(6);
    int lru_hits = run_workload(&replace_policy_lru, 4, 1);
    int fifo_hits = run_workload(&replace_policy_fifo, 4, 0);
    ck_assert_msg(lru_hits == WORKLOAD_LENGTH / 2 - 1, "lru hit %d times, want %d", lru_hits,
                  WORKLOAD_LENGTH / 2 - 1);
    ck_assert_int_lt(fifo_hits, lru_hits);
}
END_TEST

START_TEST(test_lru_beats_fifo_on_80_20)
{
    /* Sampled every access and, coarser, every 4 accesses (then pages that
     * came in since the last sample have age 0 and go first, which suits a
     * workload whose cold pages are used once): both keep the hot pages
     * better than FIFO by more than 1% of the accesses (measured: 107-463
     * more hits at 15 to 35 frames). */
    make_80_20(100, 22);
    for (size_t frames = 15; frames <= 35; frames += 10) {
        int fine = run_workload(&replace_policy_lru, frames, 1);
        int coarse = run_workload(&replace_policy_lru, frames, 4);
        int fifo_hits = run_workload(&replace_policy_fifo, frames, 0);
        ck_assert_msg(fine > fifo_hits + WORKLOAD_LENGTH / 100 &&
                          coarse > fifo_hits + WORKLOAD_LENGTH / 100,
                      "%zu frames: lru hit %d (sampled every access) and %d (every 4), fifo %d",
                      frames, fine, coarse, fifo_hits);
    }
}
END_TEST

static TCase *timed_case(const char *name)
{
    TCase *tc = tcase_create(name);
    tcase_set_timeout(tc, TEST_TIMEOUT_SECONDS);
    return tc;
}

int main(void)
{
    Suite *suite = suite_create("replace lab");
    TCase *clock = timed_case("clock");
    tcase_add_test(clock, test_clock_spares_a_referenced_page_and_clears_its_bit);
    tcase_add_test(clock, test_clock_clears_bits_only_where_the_hand_passes);
    tcase_add_test(clock, test_clock_hand_advances_from_where_it_stopped);
    tcase_add_test(clock, test_clock_hand_wraps_past_the_list_head);
    tcase_add_test(clock, test_clock_all_referenced_takes_one_full_turn);
    tcase_add_test(clock, test_clock_second_chance_keeps_a_page_in_use);
    tcase_add_test(clock, test_clock_never_evicts_a_hot_page_in_a_loop);
    tcase_add_test(clock, test_clock_beats_fifo_on_80_20);
    suite_add_tcase(suite, clock);
    TCase *lru = timed_case("lru");
    tcase_add_test(lru, test_lru_admit_starts_without_history);
    tcase_add_test(lru, test_lru_tick_shifts_the_referenced_bit_in_on_top);
    tcase_add_test(lru, test_lru_evicts_the_smallest_age_first_arrival_on_ties);
    tcase_add_test(lru, test_lru_matches_ostep_figure_22_5);
    tcase_add_test(lru, test_lru_sampled_every_access_is_exact_lru);
    tcase_add_test(lru, test_lru_keeps_the_hot_page_of_a_loop);
    tcase_add_test(lru, test_lru_beats_fifo_on_80_20);
    suite_add_tcase(suite, lru);
    SRunner *runner = srunner_create(suite);
    srunner_set_fork_status(runner, CK_FORK); /* a crash or a timeout costs one test */
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed == 0 ? 0 : 1;
}
