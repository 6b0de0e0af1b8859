/*
 * test_ready_heap.c — host tests for kernel/sched/ready_heap.c.
 *
 * Nodes come out smallest key first, equal keys by tiebreak and then in push
 * order (round robin among equals); removing a node from the
 * middle (a kill) keeps the rest in order; a random mix of pushes and
 * removals keeps every node after its parent and yields the same minimum as
 * a plain scan; pushing a node
 * twice or removing one that is not in the heap panics.
 * OSTEP ch. 9 (the ordered run queue of CFS).
 */
#include <check.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>

#include "kernel/sched/ready_heap.h"
#include "tests/unit/host_panic.h"

#define NODES 200

static struct ready_heap heap;
static struct ready_heap_node nodes[NODES];

static void setup(void)
{
    ready_heap_init(&heap, "test");
    for (int i = 0; i < NODES; i++)
        ready_heap_node_init(&nodes[i]);
}

static int pop(void)
{
    struct ready_heap_node *node = ready_heap_min(&heap);
    if (node == NULL)
        return -1;
    ready_heap_remove(&heap, node);
    ck_assert_int_eq(node->index, -1);
    return (int)(node - nodes);
}

START_TEST(smallest_key_then_tiebreak_then_push_order)
{
    const uint64_t keys[] = {5, 3, 5, 3, 1, 5, 3};
    const uint64_t ties[] = {0, 0, 0, 0, 0, 0, 2};
    for (int i = 0; i < 7; i++)
        ready_heap_push(&heap, &nodes[i], keys[i], ties[i]);
    const int order[] = {4, 1, 3, 6, 0, 2, 5};
    for (int i = 0; i < 7; i++)
        ck_assert_int_eq(pop(), order[i]);
    ck_assert_int_eq(pop(), -1);
}
END_TEST

START_TEST(removing_from_the_middle_keeps_the_order)
{
    for (int i = 0; i < 20; i++)
        ready_heap_push(&heap, &nodes[i], (uint64_t)(i * 37 % 20), 0);
    ready_heap_remove(&heap, &nodes[7]); /* key 19 */
    ready_heap_remove(&heap, &nodes[1]); /* key 17 */
    ready_heap_remove(&heap, &nodes[0]); /* key 0, the root */
    uint64_t previous = 0;
    for (int count = 0; count < 17; count++) {
        struct ready_heap_node *node = ready_heap_min(&heap);
        ck_assert_uint_ge(node->key, previous);
        ck_assert(node != &nodes[7] && node != &nodes[1] && node != &nodes[0]);
        previous = node->key;
        pop();
    }
    ck_assert_ptr_null(ready_heap_min(&heap));
}
END_TEST

/* The minimum by a linear scan over the nodes in the heap. */
static struct ready_heap_node *scan_minimum(void)
{
    struct ready_heap_node *best = NULL;
    for (int i = 0; i < NODES; i++) {
        struct ready_heap_node *n = &nodes[i];
        if (n->index < 0)
            continue;
        if (!best || n->key < best->key || (n->key == best->key && n->arrival < best->arrival))
            best = n;
    }
    return best;
}

/* No node sorts before its parent, and every index is right (plain checks:
 * a ck_assert per node would cost more than the heap). */
static bool heap_in_order(void)
{
    for (int i = 0; i < heap.size; i++) {
        const struct ready_heap_node *node = heap.nodes[i], *parent = heap.nodes[(i - 1) / 2];
        if (node->index != i)
            return false;
        if (i > 0 && !(parent->key < node->key ||
                       (parent->key == node->key && parent->arrival < node->arrival)))
            return false;
    }
    return true;
}

START_TEST(random_pushes_and_removals_match_a_scan)
{
    srand(99);
    int mismatches = 0, disorders = 0;
    for (int round = 0; round < 10000; round++) {
        struct ready_heap_node *node = &nodes[rand() % NODES];
        if (node->index >= 0)
            ready_heap_remove(&heap, node);
        else
            ready_heap_push(&heap, node, (uint64_t)(rand() % 50), 0);
        mismatches += ready_heap_min(&heap) != scan_minimum();
        disorders += !heap_in_order();
    }
    ck_assert_int_eq(mismatches, 0);
    ck_assert_int_eq(disorders, 0);
}
END_TEST

START_TEST(pushing_twice_panics)
{
    ready_heap_push(&heap, &nodes[0], 1, 0);
    ready_heap_push(&heap, &nodes[0], 2, 0);
}
END_TEST

START_TEST(removing_a_stranger_panics)
{
    ready_heap_push(&heap, &nodes[0], 1, 0);
    ready_heap_remove(&heap, &nodes[1]);
}
END_TEST

static Suite *ready_heap_suite(void)
{
    Suite *suite = suite_create("ready_heap");
    TCase *order = tcase_create("order");
    tcase_add_checked_fixture(order, setup, NULL);
    tcase_add_test(order, smallest_key_then_tiebreak_then_push_order);
    tcase_add_test(order, removing_from_the_middle_keeps_the_order);
    tcase_add_test(order, random_pushes_and_removals_match_a_scan);
    tcase_add_test_raise_signal(order, pushing_twice_panics, SIGABRT);
    tcase_add_test_raise_signal(order, removing_a_stranger_panics, SIGABRT);
    suite_add_tcase(suite, order);
    return suite;
}

int main(void)
{
    SRunner *runner = srunner_create(ready_heap_suite());
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed == 0 ? 0 : 1;
}
