/*
 * test_heap.c — host tests for the heap allocator core (kernel/mm/heap.c).
 *
 * The heap runs over an aligned host buffer; the fake grow callback "maps"
 * pages by unpoisoning them for AddressSanitizer, so a heap that touches
 * memory it has not grown into is caught. Random workloads are checked
 * against a shadow list of live blocks. OSTEP ch. 17 (Free-Space Management).
 */
#include <check.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sanitizer/asan_interface.h>

#include "kernel/mm/heap.h"
#include "kernel/panic.h"

#define REGION_BYTES (16u << 20)
#define HEAP_PAGE 4096u
#define BLOCK_OVERHEAD 32 /* one 16-byte header and one 16-byte footer per block */

static uint8_t *region;
static struct heap heap;
static uintptr_t mapped_end;
static bool grow_allowed;
static unsigned grow_calls;

void panic(const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    fputs("panic: ", stderr);
    vfprintf(stderr, fmt, args);
    fputc('\n', stderr);
    va_end(args);
    abort();
}

static bool fake_grow(uintptr_t old_end, size_t bytes)
{
    grow_calls++;
    ck_assert_uint_eq(old_end, mapped_end);
    ck_assert_uint_gt(bytes, 0);
    ck_assert_uint_eq(bytes % HEAP_PAGE, 0);
    if (!grow_allowed)
        return false;
    ASAN_UNPOISON_MEMORY_REGION((void *)old_end, bytes);
    mapped_end += bytes;
    return true;
}

static void init_heap(size_t limit_bytes)
{
    heap_init(&heap, (uintptr_t)region, (uintptr_t)region + limit_bytes, fake_grow);
    mapped_end = (uintptr_t)region;
}

static void setup(void)
{
    region = aligned_alloc(HEAP_PAGE, REGION_BYTES);
    ck_assert_ptr_nonnull(region);
    ASAN_POISON_MEMORY_REGION(region, REGION_BYTES);
    grow_allowed = true;
    grow_calls = 0;
    init_heap(REGION_BYTES);
}

static void teardown(void)
{
    ASAN_UNPOISON_MEMORY_REGION(region, REGION_BYTES);
    free(region);
}

/* xorshift64: deterministic, so a failing seed can be replayed. */
static uint64_t next_random(uint64_t *state)
{
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    return *state;
}

struct live_block {
    uint8_t *ptr;
    size_t size;
    uint8_t tag;
};

static void fill_block(const struct live_block *block)
{
    for (size_t i = 0; i < block->size; i++)
        block->ptr[i] = (uint8_t)(block->tag + i * 7);
}

static bool block_intact(const struct live_block *block)
{
    for (size_t i = 0; i < block->size; i++)
        if (block->ptr[i] != (uint8_t)(block->tag + i * 7))
            return false;
    return true;
}

static size_t random_size(uint64_t *state)
{
    uint64_t pick = next_random(state) % 100;
    if (pick < 60)
        return next_random(state) % 65; /* includes 0 */
    if (pick < 92)
        return 65 + next_random(state) % 1024;
    return 1089 + next_random(state) % 20000;
}

/*
 * The new block lies in the heap, is aligned and overlaps no live block.
 * Hot loops use ck_abort_msg, not ck_assert: each ck_assert talks to Check's
 * parent process, which would make the workload take minutes.
 */
static void check_placement(const struct live_block *live, size_t count, size_t fresh)
{
    uintptr_t start = (uintptr_t)live[fresh].ptr, end = start + live[fresh].size;
    if (start % 16 != 0 || start < heap.start || end > heap.end)
        ck_abort_msg("block %p is misaligned or outside the heap", live[fresh].ptr);
    for (size_t i = 0; i < count; i++) {
        uintptr_t other = (uintptr_t)live[i].ptr;
        if (i == fresh || live[i].ptr == NULL)
            continue;
        /* Zero-size blocks must be unique too, hence the equality test. */
        if ((end > other && start < other + live[i].size) || start == other)
            ck_abort_msg("blocks %p and %p overlap", live[i].ptr, live[fresh].ptr);
    }
}

static void run_random_workload(uint64_t seed)
{
    enum { SLOTS = 256, OPERATIONS = 20000 };
    static struct live_block live[SLOTS];
    size_t expected_in_use = 0;

    memset(live, 0, sizeof(live));
    for (int step = 0; step < OPERATIONS; step++) {
        struct live_block *slot = &live[next_random(&seed) % SLOTS];
        if (slot->ptr != NULL) {
            if (!block_intact(slot))
                ck_abort_msg("step %d: contents of %p changed", step, slot->ptr);
            heap_free(&heap, slot->ptr);
            expected_in_use -= slot->size;
            slot->ptr = NULL;
        } else {
            slot->size = random_size(&seed);
            slot->tag = (uint8_t)step;
            slot->ptr = heap_alloc(&heap, slot->size);
            if (slot->ptr == NULL)
                ck_abort_msg("step %d: heap_alloc(%zu) failed", step, slot->size);
            check_placement(live, SLOTS, (size_t)(slot - live));
            fill_block(slot);
            expected_in_use += slot->size;
        }
        if (heap_bytes_in_use(&heap) != expected_in_use || !heap_check(&heap))
            ck_abort_msg("step %d: heap_check failed or bytes in use is wrong", step);
    }
    for (size_t i = 0; i < SLOTS; i++) {
        if (live[i].ptr != NULL) {
            ck_assert(block_intact(&live[i]));
            heap_free(&heap, live[i].ptr);
        }
    }
}

START_TEST(test_random_workloads_match_shadow_model)
{
    static const uint64_t seeds[] = {1, 0x9E3779B97F4A7C15ull, 42, 0xDEADBEEF};
    for (size_t i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) {
        run_random_workload(seeds[i]);
        ck_assert_uint_eq(heap_bytes_in_use(&heap), 0);
        ck_assert(heap_check(&heap));
    }
    /* Everything freed must have coalesced back into one block spanning the heap. */
    grow_allowed = false;
    size_t whole = heap.end - heap.start - BLOCK_OVERHEAD;
    uint8_t *all = heap_alloc(&heap, whole);
    ck_assert_ptr_eq(all, (uint8_t *)heap.start + 16);
    memset(all, 0xEE, whole);
    ck_assert(heap_check(&heap));
    ck_assert_ptr_null(heap_alloc(&heap, 1));
}
END_TEST

/* Fills the heap's first page exactly with blocks of the given sizes plus one filler. */
static void fill_first_page(uint8_t **blocks, const size_t *sizes, size_t count)
{
    for (size_t i = 0; i < count; i++)
        blocks[i] = heap_alloc(&heap, sizes[i]);
    grow_allowed = false;
    uint8_t *last = blocks[count - 1];
    size_t last_block = (sizes[count - 1] + 15) / 16 * 16 + BLOCK_OVERHEAD;
    uintptr_t used = (uintptr_t)last - 16 + last_block;
    ck_assert_uint_eq(heap.end - heap.start, HEAP_PAGE);
    ck_assert_ptr_nonnull(heap_alloc(&heap, heap.end - used - BLOCK_OVERHEAD));
    ck_assert_ptr_null(heap_alloc(&heap, 1)); /* full: nothing left to split */
}

START_TEST(test_free_coalesces_with_both_neighbours)
{
    static const size_t sizes[] = {100, 200, 300, 50}; /* blocks of 144, 240, 336, 96 bytes */
    static const int orders[][3] = {{0, 2, 1}, {1, 0, 2}, {2, 1, 0}};
    for (size_t order = 0; order < 3; order++) {
        uint8_t *blocks[4];
        grow_allowed = true;
        init_heap(REGION_BYTES); /* a fresh, empty heap each round */
        fill_first_page(blocks, sizes, 4);
        for (int i = 0; i < 3; i++)
            heap_free(&heap, blocks[orders[order][i]]);
        ck_assert(heap_check(&heap));
        /* Only the three merged into one block can hold 720 - 32 bytes. */
        ck_assert_ptr_eq(heap_alloc(&heap, 720 - BLOCK_OVERHEAD), blocks[0]);
        ck_assert_ptr_null(heap_alloc(&heap, 1));
        ck_assert(heap_check(&heap));
    }
}
END_TEST

START_TEST(test_grows_lazily_by_whole_pages_reusing_free_tail)
{
    ck_assert_uint_eq(grow_calls, 0); /* heap_init maps nothing */
    uint8_t *small = heap_alloc(&heap, 10);
    ck_assert_uint_eq(grow_calls, 1);
    ck_assert_uint_eq(mapped_end - heap.start, HEAP_PAGE);

    /* 3 pages + 32 bytes of tags; the 4048-byte free tail counts, so 3 more pages suffice. */
    uint8_t *big = heap_alloc(&heap, 3 * HEAP_PAGE);
    ck_assert_uint_eq(grow_calls, 2);
    ck_assert_uint_eq(mapped_end - heap.start, 4 * HEAP_PAGE);
    ck_assert_uint_eq(heap.end, mapped_end);
    ck_assert_ptr_eq(big, small + 48);
    memset(big, 1, 3 * HEAP_PAGE); /* ASan: every byte really was grown into */
    ck_assert(heap_check(&heap));
    heap_free(&heap, small);
    heap_free(&heap, big);
    ck_assert(heap_check(&heap));
    ck_assert_uint_eq(heap_bytes_in_use(&heap), 0);
}
END_TEST

START_TEST(test_growth_failure_returns_null_and_leaves_heap_intact)
{
    grow_allowed = false;
    ck_assert_ptr_null(heap_alloc(&heap, 1));
    ck_assert_uint_eq(grow_calls, 1);
    ck_assert(heap_check(&heap));
    ck_assert_uint_eq(heap.end, heap.start);

    grow_allowed = true;
    uint8_t *first = heap_alloc(&heap, 64);
    ck_assert_ptr_nonnull(first);
    grow_allowed = false;
    ck_assert_ptr_null(heap_alloc(&heap, 2 * HEAP_PAGE));
    ck_assert(heap_check(&heap));
    ck_assert_uint_eq(heap_bytes_in_use(&heap), 64);
    ck_assert_ptr_nonnull(heap_alloc(&heap, 64)); /* the free tail still serves small requests */
}
END_TEST

START_TEST(test_limit_is_never_passed)
{
    init_heap(16 * HEAP_PAGE);
    ck_assert_ptr_null(heap_alloc(&heap, 16 * HEAP_PAGE)); /* tags would pass the limit */
    ck_assert_uint_eq(grow_calls, 0);
    ck_assert_ptr_nonnull(heap_alloc(&heap, 16 * HEAP_PAGE - BLOCK_OVERHEAD));
    ck_assert_ptr_null(heap_alloc(&heap, 1));
    ck_assert_uint_eq(grow_calls, 1);
    ck_assert_uint_eq(heap.end - heap.start, 16 * HEAP_PAGE);
}
END_TEST

START_TEST(test_absurd_sizes_return_null_without_growing)
{
    static const size_t sizes[] = {SIZE_MAX, SIZE_MAX - 15, SIZE_MAX - 47, (size_t)1 << 63,
                                   REGION_BYTES + 1};
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
        ck_assert_ptr_null(heap_alloc(&heap, sizes[i]));
    ck_assert_uint_eq(grow_calls, 0);
    ck_assert(heap_check(&heap));
}
END_TEST

START_TEST(test_absurd_sizes_fail_even_in_a_region_spanning_everything)
{
    /* With no region limit to hide behind, header arithmetic itself must not wrap. */
    static const size_t sizes[] = {SIZE_MAX, SIZE_MAX - 15, SIZE_MAX - 40, SIZE_MAX - 4095};
    heap_init(&heap, 0, UINTPTR_MAX, fake_grow); /* nothing is touched until growth */
    mapped_end = 0;
    grow_allowed = false;
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
        ck_assert_ptr_null(heap_alloc(&heap, sizes[i]));
    ck_assert_uint_eq(grow_calls, 0);
    ck_assert_uint_eq(heap.end, heap.start);
}
END_TEST

START_TEST(test_zero_size_blocks_are_unique_and_null_free_is_ignored)
{
    uint8_t *a = heap_alloc(&heap, 0), *b = heap_alloc(&heap, 0);
    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_nonnull(b);
    ck_assert_ptr_ne(a, b);
    heap_free(&heap, NULL);
    heap_free(&heap, a);
    heap_free(&heap, b);
    ck_assert(heap_check(&heap));
}
END_TEST

START_TEST(test_bytes_in_use_counts_requested_sizes)
{
    void *a = heap_alloc(&heap, 20), *b = heap_alloc(&heap, 100);
    ck_assert_uint_eq(heap_bytes_in_use(&heap), 120);
    heap_free(&heap, a);
    ck_assert_uint_eq(heap_bytes_in_use(&heap), 100);
    heap_free(&heap, b);
    ck_assert_uint_eq(heap_bytes_in_use(&heap), 0);
}
END_TEST

START_TEST(test_check_reports_damage_without_panicking)
{
    uint8_t *a = heap_alloc(&heap, 20), *b = heap_alloc(&heap, 32);
    ck_assert(heap_check(&heap));
    a[20] = 0; /* one byte past the request, inside the block's padding */
    ck_assert(!heap_check(&heap));
    a[20] = 0xCA;
    ck_assert(heap_check(&heap));
    b[32] ^= 1; /* first byte of b's footer */
    ck_assert(!heap_check(&heap));
    b[32] ^= 1;
    b[-16] ^= 1; /* b's header */
    ck_assert(!heap_check(&heap));
    b[-16] ^= 1;
    ck_assert(heap_check(&heap));
    heap.bytes_in_use++; /* the running total must match the blocks */
    ck_assert(!heap_check(&heap));
    heap.bytes_in_use--;
    ck_assert(heap_check(&heap));
}
END_TEST

START_TEST(test_double_free_panics)
{
    void *a = heap_alloc(&heap, 40);
    heap_alloc(&heap, 40);
    heap_free(&heap, a);
    heap_free(&heap, a);
}
END_TEST

START_TEST(test_double_free_after_coalescing_panics)
{
    void *a = heap_alloc(&heap, 40), *b = heap_alloc(&heap, 40);
    heap_alloc(&heap, 40);
    heap_free(&heap, a);
    heap_free(&heap, b); /* b's header is now inside a's free block */
    heap_free(&heap, b);
}
END_TEST

START_TEST(test_overrun_into_padding_panics_at_free)
{
    uint8_t *a = heap_alloc(&heap, 20);
    a[20] = 'x';
    heap_free(&heap, a);
}
END_TEST

START_TEST(test_overrun_into_footer_panics_at_free)
{
    uint8_t *a = heap_alloc(&heap, 32);
    memset(a, 'x', 33);
    heap_free(&heap, a);
}
END_TEST

START_TEST(test_overrun_seen_when_the_next_block_is_freed)
{
    uint8_t *a = heap_alloc(&heap, 32), *b = heap_alloc(&heap, 32);
    memset(a, 'x', 40); /* tramples a's footer, but only b is freed */
    heap_free(&heap, b);
}
END_TEST

START_TEST(test_free_of_foreign_pointer_panics)
{
    int on_stack;
    heap_alloc(&heap, 40);
    heap_free(&heap, &on_stack);
}
END_TEST

START_TEST(test_free_of_interior_pointer_panics)
{
    uint8_t *a = heap_alloc(&heap, 64);
    memset(a, 0, 64);
    heap_free(&heap, a + 16);
}
END_TEST

static Suite *heap_suite(void)
{
    Suite *suite = suite_create("heap");
    TCase *logic = tcase_create("logic");
    TCase *bugs = tcase_create("bugs are caught");

    tcase_add_checked_fixture(logic, setup, teardown);
    tcase_set_timeout(logic, 30);
    tcase_add_test(logic, test_random_workloads_match_shadow_model);
    tcase_add_test(logic, test_free_coalesces_with_both_neighbours);
    tcase_add_test(logic, test_grows_lazily_by_whole_pages_reusing_free_tail);
    tcase_add_test(logic, test_growth_failure_returns_null_and_leaves_heap_intact);
    tcase_add_test(logic, test_limit_is_never_passed);
    tcase_add_test(logic, test_absurd_sizes_return_null_without_growing);
    tcase_add_test(logic, test_absurd_sizes_fail_even_in_a_region_spanning_everything);
    tcase_add_test(logic, test_zero_size_blocks_are_unique_and_null_free_is_ignored);
    tcase_add_test(logic, test_bytes_in_use_counts_requested_sizes);
    tcase_add_test(logic, test_check_reports_damage_without_panicking);
    suite_add_tcase(suite, logic);

    tcase_add_checked_fixture(bugs, setup, teardown);
    tcase_add_test_raise_signal(bugs, test_double_free_panics, SIGABRT);
    tcase_add_test_raise_signal(bugs, test_double_free_after_coalescing_panics, SIGABRT);
    tcase_add_test_raise_signal(bugs, test_overrun_into_padding_panics_at_free, SIGABRT);
    tcase_add_test_raise_signal(bugs, test_overrun_into_footer_panics_at_free, SIGABRT);
    tcase_add_test_raise_signal(bugs, test_overrun_seen_when_the_next_block_is_freed, SIGABRT);
    tcase_add_test_raise_signal(bugs, test_free_of_foreign_pointer_panics, SIGABRT);
    tcase_add_test_raise_signal(bugs, test_free_of_interior_pointer_panics, SIGABRT);
    suite_add_tcase(suite, bugs);
    return suite;
}

int main(void)
{
    SRunner *runner = srunner_create(heap_suite());
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed == 0 ? 0 : 1;
}
