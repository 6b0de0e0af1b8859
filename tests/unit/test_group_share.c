/*
 * test_group_share.c — host tests for kernel/group/group_share.c, the
 * stride between groups.
 *
 * Two always-ready entities at weights 75 and 25, each pick charged the
 * same slice: over 400 decisions the picks are exactly 300 and 100, and
 * they interleave 3:1 in every window of four; weights 1 and 100 give
 * exactly 1:100; an entity with no READY member is never picked; one that
 * wakes after idling starts at the clock, not with saved-up credit; a
 * slice charged in ns weighs as much as its length.
 * OSTEP ch. 9 (stride scheduling: exact proportions over short windows).
 */
#include <check.h>
#include <stdlib.h>

#include "kernel/group/group_share.h"

#define SLICE_NS 3000000ULL /* 3 ms: divisible by 75 and 25 once scaled */

static int run_picks(struct share_entity **entities, size_t count, int decisions, int *picks)
{
    struct share_clock clock = {0};
    int last = -1;
    for (int i = 0; i < decisions; i++) {
        int chosen = share_pick(entities, count, &clock);
        if (chosen < 0)
            return -1;
        picks[chosen]++;
        share_charge(entities[chosen], SLICE_NS);
        last = chosen;
    }
    return last;
}

START_TEST(weights_75_25_give_exactly_3_to_1)
{
    struct share_entity high, low;
    share_entity_init(&high, 75);
    share_entity_init(&low, 25);
    high.ready = low.ready = 1;
    struct share_entity *entities[] = {&low, &high};
    int picks[2] = {0, 0};
    ck_assert_int_ge(run_picks(entities, 2, 400, picks), 0);
    ck_assert_int_eq(picks[1], 300);
    ck_assert_int_eq(picks[0], 100);
    /* ... and in every window of four decisions, not only on average */
    struct share_entity a, b;
    share_entity_init(&a, 75);
    share_entity_init(&b, 25);
    a.ready = b.ready = 1;
    struct share_entity *pair[] = {&a, &b};
    struct share_clock clock = {0};
    for (int window = 0; window < 50; window++) {
        int got_a = 0;
        for (int i = 0; i < 4; i++) {
            int chosen = share_pick(pair, 2, &clock);
            got_a += chosen == 0;
            share_charge(pair[chosen], SLICE_NS);
        }
        ck_assert_int_eq(got_a, 3);
    }
}
END_TEST

START_TEST(weights_1_and_100_give_exactly_1_to_100)
{
    struct share_entity small, big;
    share_entity_init(&small, 1);
    share_entity_init(&big, 100);
    small.ready = big.ready = 1;
    struct share_entity *entities[] = {&small, &big};
    int picks[2] = {0, 0};
    run_picks(entities, 2, 1010, picks);
    ck_assert_int_eq(picks[0], 10);
    ck_assert_int_eq(picks[1], 1000);
}
END_TEST

START_TEST(only_ready_entities_are_picked)
{
    struct share_entity idle, busy;
    share_entity_init(&idle, 100);
    share_entity_init(&busy, 1);
    busy.ready = 2;
    struct share_entity *entities[] = {&idle, NULL, &busy};
    struct share_clock clock = {0};
    for (int i = 0; i < 10; i++) {
        ck_assert_int_eq(share_pick(entities, 3, &clock), 2);
        share_charge(&busy, SLICE_NS);
    }
    busy.ready = 0;
    ck_assert_int_eq(share_pick(entities, 3, &clock), -1);
}
END_TEST

START_TEST(a_waking_entity_brings_no_credit)
{
    struct share_entity sleeper, worker;
    share_entity_init(&sleeper, 50);
    share_entity_init(&worker, 50);
    worker.ready = 1;
    struct share_entity *entities[] = {&sleeper, &worker};
    struct share_clock clock = {0};
    for (int i = 0; i < 100; i++) { /* the sleeper idles while the worker runs 100 slices */
        ck_assert_int_eq(share_pick(entities, 2, &clock), 1);
        share_charge(&worker, SLICE_NS);
    }
    sleeper.ready = 1;
    share_entity_wakes(&sleeper, &clock);
    int picks[2] = {0, 0};
    for (int i = 0; i < 20; i++) { /* now they alternate: no run of 100 for the sleeper */
        int chosen = share_pick(entities, 2, &clock);
        picks[chosen]++;
        share_charge(entities[chosen], SLICE_NS);
    }
    ck_assert_int_le(abs(picks[0] - picks[1]), 2);
}
END_TEST

START_TEST(charge_is_proportional_to_time)
{
    struct share_entity e;
    share_entity_init(&e, 25);
    share_charge(&e, 1000);
    ck_assert_uint_eq(e.pass, 1000 * SHARE_SCALE / 25);
    share_entity_init(&e, 0); /* clamped: never a division by zero */
    ck_assert_uint_eq(e.weight, SHARE_WEIGHT_MIN);
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("group_share");
    TCase *tc = tcase_create("share");
    tcase_add_test(tc, weights_75_25_give_exactly_3_to_1);
    tcase_add_test(tc, weights_1_and_100_give_exactly_1_to_100);
    tcase_add_test(tc, only_ready_entities_are_picked);
    tcase_add_test(tc, a_waking_entity_brings_no_credit);
    tcase_add_test(tc, charge_is_proportional_to_time);
    suite_add_tcase(suite, tc);
    SRunner *runner = srunner_create(suite);
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
