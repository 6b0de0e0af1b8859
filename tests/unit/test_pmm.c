/*
 * test_pmm.c — host tests for the physical frame allocator (kernel/mm/pmm.c).
 *
 * A 4 MiB aligned buffer stands in for physical addresses 0 .. 4 MiB: the
 * test points direct_map_offset at it, so the allocator's bookkeeping and
 * zeroing land in the buffer. Expected results come from a brute-force
 * per-frame oracle, independent of the allocator's range arithmetic.
 * OSTEP ch. 17 (Free-Space Management) and ch. 18 (Paging).
 */
#include <check.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/mm/layout.h"
#include "kernel/mm/pmm.h"
#include "kernel/panic.h"
#include "lib/errno.h"

#define FAKE_MEMORY_BYTES (4u << 20)
#define FAKE_FRAMES (FAKE_MEMORY_BYTES / PAGE_SIZE)
#define ARRAY_LENGTH(a) (sizeof(a) / sizeof((a)[0]))

static uint8_t *fake_memory;

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

static void setup(void)
{
    fake_memory = aligned_alloc(PAGE_SIZE, FAKE_MEMORY_BYTES);
    ck_assert_ptr_nonnull(fake_memory);
    memset(fake_memory, 0x5A, FAKE_MEMORY_BYTES);
    direct_map_offset = (uintptr_t)fake_memory;
}

static void teardown(void)
{
    free(fake_memory);
}

/* A firmware-like map: unsorted, overlapping, unaligned, with sub-frame pieces. */
static const struct phys_range messy_usable[] = {
    {0x350000, 0x3E0000}, /* out of order */
    {0x0, 0x9F000},       /* includes frame 0, which must never be handed out */
    {0x100800, 0x200000}, /* unaligned start */
    {0x180000, 0x280123}, /* overlaps the previous one, unaligned end */
    {0x280123, 0x300000}, /* frame 0x280000 is usable only through the union */
    {0x300800, 0x320000}, /* frame 0x300000 is only half usable */
    {0x3F0000, 0x3F0800}, /* smaller than a frame */
    {0x3F8000, 0x3F7000}, /* empty (end before start) */
};
static const struct phys_range messy_reserved[] = {
    {0x100000, 0x180000}, /* kernel image over usable memory */
    {0x170000, 0x190000}, /* overlaps another reservation */
    {0x1F0000, 0x1F0001}, /* one byte still takes its whole frame */
    {0x3DFFFF, 0x3E0000}, /* the last byte of a usable range */
    {0x50000, 0x51000},   /* inside low memory */
    {0x500000, 0x600000}, /* beyond memory */
};

/* True when every byte of [start, end) lies in some range (the test's own oracle). */
static bool covered(const struct phys_range *ranges, size_t count, uint64_t start, uint64_t end)
{
    uint64_t position = start;
    while (position < end) {
        bool advanced = false;
        for (size_t i = 0; i < count; i++) {
            if (ranges[i].start <= position && ranges[i].end > position) {
                position = ranges[i].end;
                advanced = true;
            }
        }
        if (!advanced)
            return false;
    }
    return true;
}

static bool touches(const struct phys_range *ranges, size_t count, uint64_t start, uint64_t end)
{
    for (size_t i = 0; i < count; i++)
        if (ranges[i].start < end && ranges[i].end > start && ranges[i].start < ranges[i].end)
            return true;
    return false;
}

struct fake_map {
    const struct phys_range *usable;
    size_t usable_count;
    const struct phys_range *reserved;
    size_t reserved_count;
};

static bool oracle_allocatable(const struct fake_map *map, uint64_t frame)
{
    return frame != 0 && covered(map->usable, map->usable_count, frame, frame + PAGE_SIZE) &&
           !touches(map->reserved, map->reserved_count, frame, frame + PAGE_SIZE);
}

static void fill_frame(uint64_t frame, uint64_t value)
{
    uint64_t *words = phys_to_virt(frame);
    for (size_t i = 0; i < PAGE_SIZE / sizeof(uint64_t); i++)
        words[i] = value;
}

static bool frame_holds(uint64_t frame, uint64_t value)
{
    const uint64_t *words = phys_to_virt(frame);
    for (size_t i = 0; i < PAGE_SIZE / sizeof(uint64_t); i++)
        if (words[i] != value)
            return false;
    return true;
}

/*
 * Initializes from `map` and checks everything the allocator promises: the
 * bookkeeping sits in allocatable frames, the free count is exact, and every
 * frame handed out is aligned, allocatable, outside the bookkeeping and new.
 * Each frame is filled with its own address so any bookkeeping write into a
 * handed-out frame, or two frames sharing memory, shows up afterwards.
 */
static void check_whole_map(const struct fake_map *map)
{
    static uint64_t frames[FAKE_FRAMES];
    bool seen[FAKE_FRAMES] = {false};
    size_t expected = 0, count = 0;

    ck_assert_int_eq(pmm_init(map->usable, map->usable_count, map->reserved, map->reserved_count),
                     0);
    struct phys_range metadata = pmm_metadata_range();
    ck_assert_uint_lt(metadata.start, metadata.end);
    ck_assert_uint_eq(metadata.start % PAGE_SIZE, 0);
    for (uint64_t frame = 0; frame < FAKE_MEMORY_BYTES; frame += PAGE_SIZE) {
        bool in_metadata = frame >= metadata.start && frame < metadata.end;
        if (in_metadata)
            ck_assert_msg(oracle_allocatable(map, frame), "metadata in bad frame %#lx", frame);
        else if (oracle_allocatable(map, frame))
            expected++;
    }
    ck_assert_uint_eq(pmm_free_frames(), expected);
    ck_assert_uint_eq(pmm_total_frames(), expected);

    for (uint64_t frame; (frame = pmm_alloc()) != 0; count++) {
        ck_assert_uint_lt(count, expected);
        ck_assert_uint_eq(frame % PAGE_SIZE, 0);
        ck_assert_msg(oracle_allocatable(map, frame), "frame %#lx is not allocatable", frame);
        ck_assert(frame < metadata.start || frame >= metadata.end);
        ck_assert_msg(!seen[frame / PAGE_SIZE], "frame %#lx handed out twice", frame);
        seen[frame / PAGE_SIZE] = true;
        ck_assert_uint_eq(pmm_refcount(frame), 1);
        fill_frame(frame, frame);
        frames[count] = frame;
    }
    ck_assert_uint_eq(count, expected);
    ck_assert_uint_eq(pmm_free_frames(), 0);
    for (size_t i = 0; i < count; i++) {
        ck_assert(frame_holds(frames[i], frames[i]));
        pmm_unref(frames[i]);
    }
    ck_assert_uint_eq(pmm_free_frames(), expected);
}

static const struct fake_map messy_map = {messy_usable, ARRAY_LENGTH(messy_usable), messy_reserved,
                                          ARRAY_LENGTH(messy_reserved)};

START_TEST(test_messy_map_hands_out_exactly_the_allocatable_frames)
{
    check_whole_map(&messy_map);
}
END_TEST

START_TEST(test_metadata_skips_spans_and_reservations_too_small_for_it)
{
    /* 1024 frames need 2 pages of bookkeeping: the lone frame at 0x1000 is too small. */
    static const struct phys_range usable[] = {{0x1000, 0x2000}, {0x200000, 0x400000}};
    static const struct phys_range reserved[] = {{0x201000, 0x202000}};
    struct fake_map map = {usable, 2, reserved, 1};

    check_whole_map(&map);
    /* First fit from the bottom: 0x200000 has one free frame before the reservation. */
    ck_assert_uint_eq(pmm_metadata_range().start, 0x202000);
    ck_assert_uint_eq(pmm_metadata_range().end, 0x204000);
}
END_TEST

START_TEST(test_exhaustion_returns_zero_and_freeing_restores)
{
    static const struct phys_range usable[] = {{0x0, 0x40000}};
    ck_assert_int_eq(pmm_init(usable, 1, NULL, 0), 0);
    size_t total = pmm_total_frames();
    ck_assert_uint_eq(total, 0x40 - 1 - 1); /* minus frame 0 and one page of bookkeeping */

    uint64_t frames[0x40];
    for (size_t i = 0; i < total; i++)
        ck_assert_uint_ne(frames[i] = pmm_alloc(), 0);
    ck_assert_uint_eq(pmm_alloc(), 0);
    ck_assert_uint_eq(pmm_alloc_zeroed(), 0);
    ck_assert_uint_eq(pmm_free_frames(), 0);

    pmm_unref(frames[7]);
    ck_assert_uint_eq(pmm_free_frames(), 1);
    ck_assert_uint_eq(pmm_alloc(), frames[7]);
    for (size_t i = 0; i < total; i++)
        pmm_unref(frames[i]);
    ck_assert_uint_eq(pmm_free_frames(), total);
    ck_assert_uint_eq(pmm_total_frames(), total);
}
END_TEST

START_TEST(test_reference_counts_and_shared_frames)
{
    ck_assert_int_eq(pmm_init(messy_usable, ARRAY_LENGTH(messy_usable), messy_reserved,
                              ARRAY_LENGTH(messy_reserved)),
                     0);
    size_t free_before = pmm_free_frames();
    uint64_t a = pmm_alloc(), b = pmm_alloc();

    pmm_ref(a);
    ck_assert_uint_eq(pmm_refcount(a), 2);
    ck_assert_uint_eq(pmm_shared_frames(), 1);
    pmm_ref(a);
    pmm_ref(b);
    ck_assert_uint_eq(pmm_refcount(a), 3);
    ck_assert_uint_eq(pmm_shared_frames(), 2);

    pmm_unref(a);
    pmm_unref(a);
    ck_assert_uint_eq(pmm_refcount(a), 1);
    ck_assert_uint_eq(pmm_shared_frames(), 1);
    ck_assert_uint_eq(pmm_free_frames(), free_before - 2); /* still owned once */
    pmm_unref(a);
    ck_assert_uint_eq(pmm_refcount(a), 0);
    ck_assert_uint_eq(pmm_free_frames(), free_before - 1);

    pmm_unref(b);
    pmm_unref(b);
    ck_assert_uint_eq(pmm_shared_frames(), 0);
    ck_assert_uint_eq(pmm_free_frames(), free_before);

    ck_assert_uint_eq(pmm_refcount(0x100000), 0);      /* reserved */
    ck_assert_uint_eq(pmm_refcount(a + 8), 0);         /* misaligned */
    ck_assert_uint_eq(pmm_refcount(0x7FFFF000ull), 0); /* beyond memory */
}
END_TEST

START_TEST(test_alloc_zeroed_clears_dirty_frames)
{
    static const struct phys_range usable[] = {{0x0, 0x40000}};
    uint64_t frames[0x40];
    size_t count = 0;

    ck_assert_int_eq(pmm_init(usable, 1, NULL, 0), 0);
    while ((frames[count] = pmm_alloc()) != 0)
        fill_frame(frames[count++], 0xABABABABABABABABull);
    while (count > 0)
        pmm_unref(frames[--count]);

    uint64_t frame = pmm_alloc_zeroed();
    ck_assert_uint_ne(frame, 0);
    ck_assert(frame_holds(frame, 0));
    ck_assert_uint_eq(pmm_refcount(frame), 1);
}
END_TEST

START_TEST(test_no_usable_memory_is_enomem)
{
    static const struct phys_range slivers[] = {{0x1800, 0x2200}, {0x3001, 0x3FFF}};
    static const struct phys_range frame_zero_only[] = {{0x0, 0x1000}};
    static const struct phys_range small[] = {{0x1000, 0x5000}};
    static const struct phys_range everything[] = {{0x0, 0x10000}};
    static const struct phys_range one_frame[] = {{0x1000, 0x2000}};

    ck_assert_int_eq(pmm_init(messy_usable, ARRAY_LENGTH(messy_usable), NULL, 0), 0);
    ck_assert_int_eq(pmm_init(NULL, 0, NULL, 0), -ENOMEM);
    ck_assert_uint_eq(pmm_free_frames(), 0); /* the failed init forgot the earlier one */
    ck_assert_uint_eq(pmm_alloc(), 0);
    ck_assert_int_eq(pmm_init(slivers, 2, NULL, 0), -ENOMEM);
    ck_assert_int_eq(pmm_init(frame_zero_only, 1, NULL, 0), -ENOMEM);
    ck_assert_int_eq(pmm_init(small, 1, everything, 1), -ENOMEM);
    /* The only usable frame is taken by the bookkeeping itself. */
    ck_assert_int_eq(pmm_init(one_frame, 1, NULL, 0), -ENOMEM);
    ck_assert_uint_eq(pmm_total_frames(), 0);
    ck_assert_uint_eq(pmm_metadata_range().end, 0); /* a failed init leaves nothing behind */
    ck_assert_uint_eq(pmm_alloc(), 0);
}
END_TEST

START_TEST(test_metadata_that_cannot_fit_is_enomem)
{
    /* Counts for 64 Ki frames need 128 KiB, but no usable stretch is longer than 4 KiB. */
    static const struct phys_range usable[] = {{0x1000, 0x2000}, {0x10000000, 0x10001000}};
    ck_assert_int_eq(pmm_init(usable, 2, NULL, 0), -ENOMEM);
    ck_assert_uint_eq(pmm_free_frames(), 0);
}
END_TEST

START_TEST(test_init_again_starts_from_scratch)
{
    static const struct phys_range usable[] = {{0x0, 0x40000}};
    ck_assert_int_eq(pmm_init(messy_usable, ARRAY_LENGTH(messy_usable), NULL, 0), 0);
    uint64_t high = 0;
    for (int i = 0; i < 500; i++)
        high = pmm_alloc();
    pmm_ref(high);
    ck_assert_uint_ge(high, 0x40000);

    ck_assert_int_eq(pmm_init(usable, 1, NULL, 0), 0);
    ck_assert_uint_eq(pmm_free_frames(), 0x40 - 2);
    ck_assert_uint_eq(pmm_shared_frames(), 0);
    ck_assert_uint_eq(pmm_refcount(high), 0);
    check_whole_map(&(struct fake_map){usable, 1, NULL, 0});
}
END_TEST

static uint64_t init_messy_and_alloc(void)
{
    ck_assert_int_eq(pmm_init(messy_usable, ARRAY_LENGTH(messy_usable), messy_reserved,
                              ARRAY_LENGTH(messy_reserved)),
                     0);
    return pmm_alloc();
}

START_TEST(test_double_free_panics)
{
    uint64_t frame = init_messy_and_alloc();
    pmm_unref(frame);
    pmm_unref(frame);
}
END_TEST

START_TEST(test_unaligned_unref_panics)
{
    uint64_t frame = init_messy_and_alloc();
    pmm_unref(frame + 0x10);
}
END_TEST

START_TEST(test_unref_of_reserved_frame_panics)
{
    init_messy_and_alloc();
    pmm_unref(0x100000); /* inside the kernel image */
}
END_TEST

START_TEST(test_unref_of_frame_zero_panics)
{
    init_messy_and_alloc();
    pmm_unref(0);
}
END_TEST

START_TEST(test_unref_beyond_memory_panics)
{
    init_messy_and_alloc();
    pmm_unref(0x40000000);
}
END_TEST

START_TEST(test_ref_of_free_frame_panics)
{
    uint64_t frame = init_messy_and_alloc();
    pmm_unref(frame);
    pmm_ref(frame);
}
END_TEST

static Suite *pmm_suite(void)
{
    Suite *suite = suite_create("pmm");
    TCase *logic = tcase_create("logic");
    TCase *bugs = tcase_create("bugs are caught");

    tcase_add_checked_fixture(logic, setup, teardown);
    tcase_add_test(logic, test_messy_map_hands_out_exactly_the_allocatable_frames);
    tcase_add_test(logic, test_metadata_skips_spans_and_reservations_too_small_for_it);
    tcase_add_test(logic, test_exhaustion_returns_zero_and_freeing_restores);
    tcase_add_test(logic, test_reference_counts_and_shared_frames);
    tcase_add_test(logic, test_alloc_zeroed_clears_dirty_frames);
    tcase_add_test(logic, test_no_usable_memory_is_enomem);
    tcase_add_test(logic, test_metadata_that_cannot_fit_is_enomem);
    tcase_add_test(logic, test_init_again_starts_from_scratch);
    suite_add_tcase(suite, logic);

    tcase_add_checked_fixture(bugs, setup, teardown);
    tcase_add_test_raise_signal(bugs, test_double_free_panics, SIGABRT);
    tcase_add_test_raise_signal(bugs, test_unaligned_unref_panics, SIGABRT);
    tcase_add_test_raise_signal(bugs, test_unref_of_reserved_frame_panics, SIGABRT);
    tcase_add_test_raise_signal(bugs, test_unref_of_frame_zero_panics, SIGABRT);
    tcase_add_test_raise_signal(bugs, test_unref_beyond_memory_panics, SIGABRT);
    tcase_add_test_raise_signal(bugs, test_ref_of_free_frame_panics, SIGABRT);
    suite_add_tcase(suite, bugs);
    return suite;
}

int main(void)
{
    SRunner *runner = srunner_create(pmm_suite());
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed == 0 ? 0 : 1;
}
