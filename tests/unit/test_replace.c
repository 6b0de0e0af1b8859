/*
 * test_replace.c — host tests for every page-replacement policy in kernel/mm/replace/.
 *
 * A tiny simulated memory runs a reference string through one policy with
 * a fixed number of frames: a hit sets the page's referenced bit (what the
 * MMU's accessed bit does), a miss in a full memory asks the policy for a
 * victim. The tests assert OSTEP ch. 22's tables access by access (FIFO and
 * LRU on 0,1,2,0,1,3,0,3,1,2,1 with 3 frames), Belady's anomaly for FIFO
 * (9 misses in 3 frames, 10 in 4), clock's second chances, random's seeded
 * repeatability and fairness, aging LRU within its sampling, the registry,
 * and switching policy in the middle of a run.
 * OSTEP ch. 22 (Swapping: Policies).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/mm/replace/replace.h"
#include "lib/random.h"

#define MAX_PAGES 64
#define ARRAY_LENGTH(array) (sizeof(array) / sizeof((array)[0]))

struct sim_page {
    struct replace_page page; /* first: the cast below relies on it */
    bool resident;
    bool referenced;
};

static struct sim_page pages[MAX_PAGES];
static struct replace_set set;
static const struct replace_policy *policy;
static bool tick_after_every_access;
static int last_victim;

bool replace_page_referenced(struct replace_page *page)
{
    struct sim_page *sim = (struct sim_page *)page;
    bool was = sim->referenced;
    sim->referenced = false;
    return was;
}

static void sim_start(const struct replace_policy *chosen, size_t frames)
{
    memset(pages, 0, sizeof(pages));
    replace_set_init(&set, frames);
    policy = chosen;
    tick_after_every_access = false;
}

/* One access; returns true for a hit. */
static bool sim_access(int number)
{
    struct sim_page *p = &pages[number];
    bool hit = p->resident;
    last_victim = -1;
    if (!hit) {
        if (set.count == set.limit) {
            struct replace_page *victim = policy->choose_victim(&set);
            ck_assert_ptr_nonnull(victim);
            replace_set_remove(&set, victim);
            struct sim_page *gone = (struct sim_page *)victim;
            gone->resident = false;
            last_victim = (int)(gone - pages);
        }
        p->resident = true;
        policy->admit(&p->page);
        replace_set_insert(&set, &p->page);
    }
    p->referenced = true;
    if (tick_after_every_access && policy->tick)
        policy->tick(&set);
    ck_assert_uint_le(set.count, set.limit);
    return hit;
}

/* Runs the string; writes 'h' or 'm' per access into outcome; returns hits. */
static int sim_run(const int *string, size_t length, char *outcome)
{
    int hits = 0;
    for (size_t i = 0; i < length; i++) {
        bool hit = sim_access(string[i]);
        hits += hit;
        if (outcome)
            outcome[i] = hit ? 'h' : 'm';
    }
    if (outcome)
        outcome[length] = '\0';
    return hits;
}

static const int book_string[] = {0, 1, 2, 0, 1, 3, 0, 3, 1, 2, 1}; /* ch. 22, Fig. 22.1-22.5 */
static const int belady_string[] = {1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5};

START_TEST(test_fifo_matches_book_table)
{
    char outcome[32];
    sim_start(&replace_policy_fifo, 3);
    int victims[ARRAY_LENGTH(book_string)];
    for (size_t i = 0; i < ARRAY_LENGTH(book_string); i++) {
        outcome[i] = sim_access(book_string[i]) ? 'h' : 'm';
        victims[i] = last_victim;
    }
    outcome[ARRAY_LENGTH(book_string)] = '\0';
    ck_assert_str_eq(outcome, "mmmhhmmhmmh"); /* Figure 22.2: 4 hits, 7 misses */
    ck_assert_int_eq(victims[5], 0);          /* 3 evicts 0, the first in */
    ck_assert_int_eq(victims[6], 1);          /* 0 evicts 1 */
    ck_assert_int_eq(victims[8], 2);          /* 1 evicts 2 */
    ck_assert_int_eq(victims[9], 3);          /* 2 evicts 3 */
}
END_TEST

START_TEST(test_lru_sampled_every_access_matches_book_table)
{
    char outcome[32];
    sim_start(&replace_policy_lru, 3);
    tick_after_every_access = true;
    int victims[ARRAY_LENGTH(book_string)];
    for (size_t i = 0; i < ARRAY_LENGTH(book_string); i++) {
        outcome[i] = sim_access(book_string[i]) ? 'h' : 'm';
        victims[i] = last_victim;
    }
    outcome[ARRAY_LENGTH(book_string)] = '\0';
    ck_assert_str_eq(outcome, "mmmhhmhhhmh"); /* Figure 22.5: 6 hits, 5 misses */
    ck_assert_int_eq(victims[5], 2);          /* 3 evicts 2, least recently used */
    ck_assert_int_eq(victims[9], 0);          /* 2 evicts 0 */
}
END_TEST

START_TEST(test_lru_without_samples_degrades_to_fifo)
{
    /* No timer tick between accesses: every age stays 0 and ties go to the
     * first arrival — what the approximation costs when it is not sampled. */
    char outcome[32];
    sim_start(&replace_policy_lru, 3);
    sim_run(book_string, ARRAY_LENGTH(book_string), outcome);
    ck_assert_str_eq(outcome, "mmmhhmmhmmh");
}
END_TEST

START_TEST(test_fifo_belady_anomaly)
{
    sim_start(&replace_policy_fifo, 3);
    int hits3 = sim_run(belady_string, ARRAY_LENGTH(belady_string), NULL);
    sim_start(&replace_policy_fifo, 4);
    int hits4 = sim_run(belady_string, ARRAY_LENGTH(belady_string), NULL);
    ck_assert_int_eq(12 - hits3, 9);
    ck_assert_int_eq(12 - hits4, 10); /* more memory, more misses */
    char outcome[32];
    sim_start(&replace_policy_fifo, 3);
    sim_run(belady_string, ARRAY_LENGTH(belady_string), outcome);
    ck_assert_str_eq(outcome, "mmmmmmmhhmmh");
    sim_start(&replace_policy_fifo, 4);
    sim_run(belady_string, ARRAY_LENGTH(belady_string), outcome);
    ck_assert_str_eq(outcome, "mmmmhhmmmmmm");
}
END_TEST

START_TEST(test_lru_has_no_belady_anomaly)
{
    sim_start(&replace_policy_lru, 3);
    tick_after_every_access = true;
    int hits3 = sim_run(belady_string, ARRAY_LENGTH(belady_string), NULL);
    sim_start(&replace_policy_lru, 4);
    tick_after_every_access = true;
    int hits4 = sim_run(belady_string, ARRAY_LENGTH(belady_string), NULL);
    ck_assert_int_eq(hits3, 2); /* a stack algorithm: 4 frames hold what 3 do */
    ck_assert_int_eq(hits4, 4);
}
END_TEST

START_TEST(test_clock_gives_second_chances)
{
    /* 3 frames. 0,1,2 fill memory, all referenced. 3: the hand clears 0, 1
     * and 2, comes round to 0 -> victim 0; 3 takes its place, hand at 1.
     * 1 is used again. 4: 1 is referenced -> spared (bit cleared); 2 is not
     * -> victim 2. */
    sim_start(&replace_policy_clock, 3);
    int string[] = {0, 1, 2, 3, 1, 4};
    int victims[ARRAY_LENGTH(string)];
    char outcome[16];
    for (size_t i = 0; i < ARRAY_LENGTH(string); i++) {
        outcome[i] = sim_access(string[i]) ? 'h' : 'm';
        victims[i] = last_victim;
    }
    outcome[ARRAY_LENGTH(string)] = '\0';
    ck_assert_str_eq(outcome, "mmmmhm");
    ck_assert_int_eq(victims[3], 0); /* all had second chances; 0 came round first */
    ck_assert_int_eq(victims[5], 2); /* 1 was used again and is spared */
    /* Frame order is now 3,1,4 with the hand after 4's place: 4 then 3... */
    ck_assert(pages[1].resident && pages[3].resident && pages[4].resident);
}
END_TEST

START_TEST(test_clock_unused_page_goes_first)
{
    /* Pages 0..3 in 4 frames; after a full sweep only 2 is touched again:
     * the next two victims must be the untouched ones in hand order. */
    sim_start(&replace_policy_clock, 4);
    int fill[] = {0, 1, 2, 3, 4}; /* 4 evicts 0 after clearing every bit */
    sim_run(fill, ARRAY_LENGTH(fill), NULL);
    ck_assert_int_eq(last_victim, 0);
    sim_access(2);
    sim_access(5);
    ck_assert_int_eq(last_victim, 1);
    sim_access(6);
    ck_assert_int_eq(last_victim, 3); /* 2 was referenced: second chance */
}
END_TEST

START_TEST(test_random_is_seeded_and_fair)
{
    int string[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    char first[16], second[16];
    replace_random_seed(42);
    sim_start(&replace_policy_random, 3);
    sim_run(string, ARRAY_LENGTH(string), first);
    int first_victims = last_victim;
    replace_random_seed(42);
    sim_start(&replace_policy_random, 3);
    sim_run(string, ARRAY_LENGTH(string), second);
    ck_assert_str_eq(first, second);
    ck_assert_int_eq(first_victims, last_victim);

    /* Every resident position is chosen, roughly equally often. */
    int chosen[4] = {0};
    replace_random_seed(7);
    sim_start(&replace_policy_random, 4);
    int warm[] = {0, 1, 2, 3};
    sim_run(warm, 4, NULL);
    for (int i = 0; i < 4000; i++) {
        struct replace_page *victim = replace_policy_random.choose_victim(&set);
        chosen[(struct sim_page *)victim - pages]++;
    }
    for (int i = 0; i < 4; i++) {
        ck_assert_int_gt(chosen[i], 800);
        ck_assert_int_lt(chosen[i], 1200);
    }
}
END_TEST

START_TEST(test_random_beats_fifo_on_a_loop_too_big)
{
    /* Looping over 4 pages with 3 frames: FIFO and LRU miss every time. */
    int loop[40];
    for (int i = 0; i < 40; i++)
        loop[i] = i % 4;
    sim_start(&replace_policy_fifo, 3);
    ck_assert_int_eq(sim_run(loop, 40, NULL), 0);
    sim_start(&replace_policy_lru, 3);
    tick_after_every_access = true;
    ck_assert_int_eq(sim_run(loop, 40, NULL), 0);
    replace_random_seed(1);
    sim_start(&replace_policy_random, 3);
    ck_assert_int_gt(sim_run(loop, 40, NULL), 0);
}
END_TEST

START_TEST(test_switching_policy_mid_run_keeps_the_set)
{
    sim_start(&replace_policy_clock, 3);
    int first[] = {0, 1, 2, 3, 4};
    sim_run(first, ARRAY_LENGTH(first), NULL);
    for (int i = 0; i < REPLACE_POLICY_COUNT; i++) {
        policy = replace_policies[i];
        for (int page = 5 + i * 3; page < 8 + i * 3; page++) {
            sim_access(page);
            ck_assert_uint_eq(set.count, 3);
            ck_assert(replace_set_contains(&set, &pages[page].page));
            ck_assert(last_victim >= 0 && !pages[last_victim].resident);
        }
    }
    size_t resident = 0;
    for (int i = 0; i < MAX_PAGES; i++)
        resident += pages[i].resident;
    ck_assert_uint_eq(resident, 3);
    ck_assert_uint_eq(list_length(&set.pages), 3);
}
END_TEST

START_TEST(test_remove_moves_the_hand)
{
    sim_start(&replace_policy_clock, 3);
    int fill[] = {0, 1, 2, 3}; /* victim 0, hand now at 1 */
    sim_run(fill, ARRAY_LENGTH(fill), NULL);
    ck_assert_ptr_eq(set.hand, &pages[1].page.link);
    replace_set_remove(&set, &pages[1].page); /* the page under the hand leaves (exit) */
    pages[1].resident = false;
    ck_assert_ptr_eq(set.hand, &pages[2].page.link);
    ck_assert_uint_eq(set.count, 2);
}
END_TEST

START_TEST(test_registry_names)
{
    ck_assert_ptr_eq(replace_policy_by_name("fifo"), &replace_policy_fifo);
    ck_assert_ptr_eq(replace_policy_by_name("random"), &replace_policy_random);
    ck_assert_ptr_eq(replace_policy_by_name("clock"), &replace_policy_clock);
    ck_assert_ptr_eq(replace_policy_by_name("lru"), &replace_policy_lru);
    ck_assert_ptr_null(replace_policy_by_name("nosuch"));
    ck_assert_ptr_null(replace_policy_by_name(NULL));
    ck_assert_ptr_null(replace_policy_by_name("Clock"));
}
END_TEST

static Suite *replace_suite(void)
{
    Suite *suite = suite_create("replace");
    TCase *tc = tcase_create("policies");
    tcase_set_timeout(tc, 10); /* a policy that never picks a victim fails, not hangs */
    tcase_add_test(tc, test_fifo_matches_book_table);
    tcase_add_test(tc, test_lru_sampled_every_access_matches_book_table);
    tcase_add_test(tc, test_lru_without_samples_degrades_to_fifo);
    tcase_add_test(tc, test_fifo_belady_anomaly);
    tcase_add_test(tc, test_lru_has_no_belady_anomaly);
    tcase_add_test(tc, test_clock_gives_second_chances);
    tcase_add_test(tc, test_clock_unused_page_goes_first);
    tcase_add_test(tc, test_random_is_seeded_and_fair);
    tcase_add_test(tc, test_random_beats_fifo_on_a_loop_too_big);
    tcase_add_test(tc, test_switching_policy_mid_run_keeps_the_set);
    tcase_add_test(tc, test_remove_moves_the_hand);
    tcase_add_test(tc, test_registry_names);
    suite_add_tcase(suite, tc);
    return suite;
}

int main(void)
{
    SRunner *runner = srunner_create(replace_suite());
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
