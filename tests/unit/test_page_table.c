/*
 * test_page_table.c — the four-level page-table code over simulated memory.
 *
 * A 4 MiB host buffer stands in for physical memory: the frame allocator
 * hands out "physical" frames inside it and direct_map_offset makes
 * phys_to_virt() land in the buffer, so kernel/mm/page_table.c runs here
 * exactly as in the kernel. Checks map/translate/unmap, permissions, huge
 * pages, walks, error cases, and that freeing a tree returns every frame.
 * OSTEP ch. 20 (multi-level page tables).
 */
#include <check.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "kernel/mm/layout.h"
#include "kernel/mm/page_table.h"
#include "kernel/mm/pmm.h"
#include "kernel/panic.h"
#include "lib/errno.h"

#define FAKE_MEMORY_BYTES (4UL * 1024 * 1024)

static void *fake_memory;

void panic(const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    vfprintf(stderr, fmt, args);
    va_end(args);
    abort();
}

static void setup(void)
{
    fake_memory = aligned_alloc(PAGE_SIZE, FAKE_MEMORY_BYTES);
    ck_assert_ptr_nonnull(fake_memory);
    direct_map_offset = (uintptr_t)fake_memory;
    struct phys_range usable = {0, FAKE_MEMORY_BYTES};
    ck_assert_int_eq(pmm_init(&usable, 1, NULL, 0), 0);
}

static void teardown(void)
{
    free(fake_memory);
}

START_TEST(test_index_split)
{
    uint64_t address = 0x00007fffffffe123UL;
    ck_assert_uint_eq(page_table_index(address, 4), 255);
    ck_assert_uint_eq(page_table_index(address, 3), 511);
    ck_assert_uint_eq(page_table_index(address, 2), 511);
    ck_assert_uint_eq(page_table_index(address, 1), 510);
    ck_assert_uint_eq(page_table_index(KERNEL_IMAGE_BASE, 4), 511);
    ck_assert_uint_eq(page_table_index(KERNEL_IMAGE_BASE, 3), 510);
    ck_assert_uint_eq(page_table_index(DIRECT_MAP_BASE, 4), 256);
}
END_TEST

START_TEST(test_map_translate_unmap)
{
    uint64_t pml4 = page_table_create();
    ck_assert_uint_ne(pml4, 0);
    uint64_t frame = pmm_alloc();
    size_t free_before = pmm_free_frames();
    ck_assert_int_eq(page_table_map(pml4, 0x400000, frame, PTE_USER | PTE_WRITABLE), 0);
    /* three new tables: PDPT, PD, PT */
    ck_assert_uint_eq(pmm_free_frames(), free_before - 3);

    uint64_t physical = 0;
    ck_assert(page_table_translate(pml4, 0x400abc, &physical));
    ck_assert_uint_eq(physical, frame + 0xabc);
    ck_assert(!page_table_translate(pml4, 0x401000, &physical));
    ck_assert(!page_table_translate(pml4, 0x3ff000, &physical));

    ck_assert_uint_eq(page_table_unmap(pml4, 0x400000), frame);
    ck_assert(!page_table_translate(pml4, 0x400000, &physical));
    ck_assert_uint_eq(page_table_unmap(pml4, 0x400000), 0); /* already gone */
}
END_TEST

START_TEST(test_neighbouring_pages_share_tables)
{
    uint64_t pml4 = page_table_create();
    ck_assert_int_eq(page_table_map(pml4, 0x400000, pmm_alloc(), PTE_USER), 0);
    size_t free_before = pmm_free_frames();
    ck_assert_int_eq(page_table_map(pml4, 0x401000, pmm_alloc(), PTE_USER), 0);
    ck_assert_uint_eq(pmm_free_frames(), free_before - 1); /* only the frame itself */
}
END_TEST

START_TEST(test_map_twice_is_refused)
{
    uint64_t pml4 = page_table_create();
    uint64_t frame = pmm_alloc();
    ck_assert_int_eq(page_table_map(pml4, 0x5000, frame, 0), 0);
    ck_assert_int_eq(page_table_map(pml4, 0x5000, frame, 0), -EEXIST);
    ck_assert_int_eq(page_table_map(pml4, 0x5001, frame, 0), -EINVAL);
    ck_assert_int_eq(page_table_map(pml4, 0x6000, frame + 8, 0), -EINVAL);
}
END_TEST

START_TEST(test_flags_reach_the_leaf_only)
{
    uint64_t pml4 = page_table_create();
    uint64_t frame = pmm_alloc();
    ck_assert_int_eq(page_table_map(pml4, 0x600000, frame, PTE_USER | PTE_NO_EXECUTE), 0);
    struct page_walk walk;
    page_table_walk(pml4, 0x600000, &walk);
    ck_assert(walk.mapped);
    ck_assert_int_eq(walk.step_count, 4);
    for (int i = 0; i < 3; i++) { /* intermediate: present, writable, user, never NX */
        ck_assert(walk.steps[i].entry & PTE_PRESENT);
        ck_assert(walk.steps[i].entry & PTE_WRITABLE);
        ck_assert(walk.steps[i].entry & PTE_USER);
        ck_assert(!(walk.steps[i].entry & PTE_NO_EXECUTE));
    }
    uint64_t leaf = walk.steps[3].entry;
    ck_assert(leaf & PTE_USER);
    ck_assert(leaf & PTE_NO_EXECUTE);
    ck_assert(!(leaf & PTE_WRITABLE)); /* read-only as asked */
    ck_assert_int_eq(walk.steps[3].level, 1);
    ck_assert_uint_eq(walk.steps[3].index, page_table_index(0x600000, 1));
}
END_TEST

START_TEST(test_set_flags_changes_permissions)
{
    uint64_t pml4 = page_table_create();
    uint64_t frame = pmm_alloc();
    ck_assert_int_eq(page_table_map(pml4, 0x7000, frame, PTE_USER | PTE_WRITABLE), 0);
    ck_assert_int_eq(page_table_set_flags(pml4, 0x7000, PTE_USER | PTE_COPY_ON_WRITE), 0);
    uint64_t *entry = page_table_find_entry(pml4, 0x7000);
    ck_assert_ptr_nonnull(entry);
    ck_assert(!(*entry & PTE_WRITABLE));
    ck_assert(*entry & PTE_COPY_ON_WRITE);
    ck_assert_uint_eq(*entry & PTE_ADDRESS_MASK, frame); /* frame kept */
    ck_assert_int_eq(page_table_set_flags(pml4, 0x8000, PTE_USER), -ENOENT);
}
END_TEST

START_TEST(test_no_execute_stripped_without_cpu_support)
{
    uint64_t pml4 = page_table_create();
    page_table_set_no_execute_supported(false);
    ck_assert_int_eq(page_table_map(pml4, 0x9000, pmm_alloc(), PTE_NO_EXECUTE), 0);
    page_table_set_no_execute_supported(true);
    ck_assert(!(*page_table_find_entry(pml4, 0x9000) & PTE_NO_EXECUTE));
}
END_TEST

START_TEST(test_huge_page_translation_and_walk)
{
    uint64_t pml4 = page_table_create();
    ck_assert_int_eq(
        page_table_map_huge(pml4, DIRECT_MAP_BASE + HUGE_PAGE_SIZE, HUGE_PAGE_SIZE, PTE_WRITABLE),
        0);
    uint64_t physical;
    ck_assert(page_table_translate(pml4, DIRECT_MAP_BASE + HUGE_PAGE_SIZE + 0x12345, &physical));
    ck_assert_uint_eq(physical, HUGE_PAGE_SIZE + 0x12345);
    struct page_walk walk;
    page_table_walk(pml4, DIRECT_MAP_BASE + HUGE_PAGE_SIZE, &walk);
    ck_assert_int_eq(walk.step_count, 3); /* stops at the PD */
    ck_assert(walk.steps[2].entry & PTE_HUGE);
    /* a 4 KiB mapping cannot go where a huge page already is */
    ck_assert_int_eq(page_table_map(pml4, DIRECT_MAP_BASE + HUGE_PAGE_SIZE, pmm_alloc(), 0),
                     -ENOMEM);
    ck_assert_int_eq(page_table_map_huge(pml4, 0x1000, 0, 0), -EINVAL);
}
END_TEST

START_TEST(test_walk_stops_at_missing_level)
{
    uint64_t pml4 = page_table_create();
    struct page_walk walk;
    page_table_walk(pml4, 0x400000, &walk);
    ck_assert(!walk.mapped);
    ck_assert_int_eq(walk.step_count, 1);
    ck_assert_int_eq(walk.steps[0].level, 4);
    ck_assert_uint_eq(walk.steps[0].entry, 0);
}
END_TEST

START_TEST(test_free_tables_returns_every_frame)
{
    size_t free_at_start = pmm_free_frames();
    uint64_t pml4 = page_table_create();
    uint64_t frames[40];
    uint64_t addresses[40];
    for (int i = 0; i < 40; i++) {
        frames[i] = pmm_alloc();
        /* spread over different PML4, PDPT and PD slots */
        addresses[i] = ((uint64_t)i << 39 & 0x00007f8000000000UL) + ((uint64_t)i << 30) +
                       ((uint64_t)i << 21) + 0x1000;
        ck_assert_int_eq(page_table_map(pml4, addresses[i], frames[i], PTE_USER), 0);
    }
    for (int i = 0; i < 40; i++)
        pmm_unref(page_table_unmap(pml4, addresses[i]));
    page_table_free_tables(pml4, 0, 255);
    pmm_unref(pml4);
    ck_assert_uint_eq(pmm_free_frames(), free_at_start);
}
END_TEST

START_TEST(test_out_of_frames_reports_enomem)
{
    uint64_t pml4 = page_table_create();
    while (pmm_alloc() != 0)
        ; /* exhaust memory */
    ck_assert_int_eq(page_table_map(pml4, 0x400000, 0x1000, PTE_USER), -ENOMEM);
}
END_TEST

static Suite *page_table_suite(void)
{
    Suite *suite = suite_create("page_table");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_index_split);
    tcase_add_test(tc, test_map_translate_unmap);
    tcase_add_test(tc, test_neighbouring_pages_share_tables);
    tcase_add_test(tc, test_map_twice_is_refused);
    tcase_add_test(tc, test_flags_reach_the_leaf_only);
    tcase_add_test(tc, test_set_flags_changes_permissions);
    tcase_add_test(tc, test_no_execute_stripped_without_cpu_support);
    tcase_add_test(tc, test_huge_page_translation_and_walk);
    tcase_add_test(tc, test_walk_stops_at_missing_level);
    tcase_add_test(tc, test_free_tables_returns_every_frame);
    tcase_add_test(tc, test_out_of_frames_reports_enomem);
    suite_add_tcase(suite, tc);
    return suite;
}

int main(void)
{
    SRunner *runner = srunner_create(page_table_suite());
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed == 0 ? 0 : 1;
}
