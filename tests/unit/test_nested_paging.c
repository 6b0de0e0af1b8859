/*
 * test_nested_paging.c — guest RAM behind nested page tables, over
 * simulated physical memory (as test_page_table.c): every guest page maps
 * to its own frame with present|writable|user, copies cross page
 * boundaries, nothing outside guest RAM translates, the two-dimensional
 * walk goes through a guest's own tables, and destroying a VM's memory
 * gives back every frame (the no-leak rule), also when building fails.
 * OSTEP appendix B (VMMs and memory), ch. 20 (multi-level page tables).
 */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/mm/layout.h"
#include "kernel/mm/page_table.h"
#include "kernel/mm/pmm.h"
#include "kernel/panic.h"
#include "kernel/virt/nested_paging.h"
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

START_TEST(test_every_guest_page_has_its_own_frame)
{
    size_t free_before = pmm_free_frames();
    struct guest_memory memory;
    ck_assert_int_eq(guest_memory_create(&memory, 64 * PAGE_SIZE), 0);
    /* 64 frames of RAM, a PML4, PDPT, PD and one PT */
    ck_assert_uint_eq(free_before - pmm_free_frames(), 64 + 4);
    ck_assert_uint_eq(guest_memory_table_frames(&memory), 4);
    uint64_t previous = 0;
    for (uint64_t gpa = 0; gpa < 64 * PAGE_SIZE; gpa += PAGE_SIZE) {
        uint64_t host;
        ck_assert(guest_memory_translate(&memory, gpa + 0x123, &host));
        ck_assert_uint_eq(host & 0xfff, 0x123);
        ck_assert_uint_eq(pmm_refcount(host & ~0xfffUL), 1);
        ck_assert_uint_ne(host & ~0xfffUL, previous);
        previous = host & ~0xfffUL;
        uint64_t *leaf = page_table_find_entry(memory.nested_root, gpa);
        ck_assert_uint_eq(*leaf & PTE_FLAGS_MASK, PTE_PRESENT | PTE_WRITABLE | PTE_USER);
    }
    uint64_t host;
    ck_assert(!guest_memory_translate(&memory, 64 * PAGE_SIZE, &host));
    ck_assert(!guest_memory_translate(&memory, 1UL << 40, &host));
    guest_memory_destroy(&memory);
    ck_assert_uint_eq(pmm_free_frames(), free_before);
    ck_assert_uint_eq(memory.nested_root, 0);
}
END_TEST

START_TEST(test_bad_sizes_refused)
{
    struct guest_memory memory;
    size_t free_before = pmm_free_frames();
    ck_assert_int_eq(guest_memory_create(&memory, 0), -EINVAL);
    ck_assert_int_eq(guest_memory_create(&memory, 100), -EINVAL);
    ck_assert_int_eq(guest_memory_create(&memory, VM_MEMORY_MAX + PAGE_SIZE), -EINVAL);
    ck_assert_uint_eq(pmm_free_frames(), free_before);
    guest_memory_destroy(&memory); /* harmless on an empty one */
}
END_TEST

START_TEST(test_out_of_frames_gives_everything_back)
{
    size_t free_before = pmm_free_frames();
    struct guest_memory memory;
    /* more RAM than the 4 MiB simulated machine has */
    ck_assert_int_eq(guest_memory_create(&memory, 8UL << 20), -ENOMEM);
    ck_assert_uint_eq(pmm_free_frames(), free_before);
}
END_TEST

START_TEST(test_copies_cross_pages)
{
    struct guest_memory memory;
    ck_assert_int_eq(guest_memory_create(&memory, 8 * PAGE_SIZE), 0);
    char text[6000], back[6000];
    for (size_t i = 0; i < sizeof(text); i++)
        text[i] = (char)('a' + i % 26);
    ck_assert_int_eq(guest_memory_write(&memory, PAGE_SIZE - 100, text, sizeof(text)), 0);
    ck_assert_int_eq(guest_memory_read(&memory, PAGE_SIZE - 100, back, sizeof(back)), 0);
    ck_assert_mem_eq(text, back, sizeof(text));
    ck_assert_int_eq(guest_memory_write(&memory, 8 * PAGE_SIZE - 10, text, 20), -EFAULT);
    guest_memory_destroy(&memory);
}
END_TEST

/* A guest identity-maps pages 1..15 with a PML4 at 0x1000, PDPT 0x2000,
 * PD 0x3000, PT 0x4000 (guest-physical), as the tiny guest does. */
static void build_guest_tables(struct guest_memory *memory)
{
    uint64_t entries[4][512];
    memset(entries, 0, sizeof(entries));
    entries[0][0] = 0x2000 | 3;
    entries[1][0] = 0x3000 | 3;
    entries[2][0] = 0x4000 | 3;
    for (int page = 1; page < 16; page++)
        entries[3][page] = (uint64_t)page * PAGE_SIZE | 3;
    entries[2][1] = 0x200000 | 0x83; /* a 2 MiB page at 2 MiB: beyond guest RAM */
    for (int table = 0; table < 4; table++)
        ck_assert_int_eq(
            guest_memory_write(memory, 0x1000 + table * PAGE_SIZE, entries[table], PAGE_SIZE), 0);
}

START_TEST(test_two_dimensional_walk)
{
    struct guest_memory memory;
    ck_assert_int_eq(guest_memory_create(&memory, 16 * PAGE_SIZE), 0);
    build_guest_tables(&memory);
    struct vm_walk_info walk;
    guest_memory_walk(&memory, true, 0x1000, 0x5abc, &walk);
    ck_assert_int_eq(walk.guest_step_count, 4);
    ck_assert(walk.guest_mapped);
    ck_assert_uint_eq(walk.guest_physical, 0x5abc);
    ck_assert_uint_eq(walk.guest_steps[0].table, 0x1000);
    ck_assert_uint_eq(walk.guest_steps[3].table, 0x4000);
    ck_assert_uint_eq(walk.guest_steps[3].index, 5);
    for (int i = 0; i < 4; i++) { /* each guest table read through the nested table */
        uint64_t host;
        ck_assert(guest_memory_translate(&memory, walk.guest_steps[i].table, &host));
        ck_assert_uint_eq(walk.guest_table_host[i], host);
    }
    ck_assert_int_eq(walk.nested_step_count, 4);
    ck_assert(walk.nested_mapped);
    uint64_t host;
    ck_assert(guest_memory_translate(&memory, 0x5abc, &host));
    ck_assert_uint_eq(walk.host_physical, host);

    guest_memory_walk(&memory, true, 0x1000, 0x0, &walk); /* page 0: not mapped by the guest */
    ck_assert(!walk.guest_mapped);
    ck_assert_int_eq(walk.nested_step_count, 0);

    guest_memory_walk(&memory, true, 0x1000, 0x200010, &walk); /* guest huge page, not RAM */
    ck_assert(walk.guest_mapped);
    ck_assert_int_eq(walk.guest_step_count, 3);
    ck_assert_uint_eq(walk.guest_physical, 0x200010);
    ck_assert(!walk.nested_mapped);

    guest_memory_walk(&memory, false, 0, 0x3008, &walk); /* paging off: guest-physical */
    ck_assert_int_eq(walk.guest_step_count, 0);
    ck_assert_uint_eq(walk.guest_physical, 0x3008);
    ck_assert(walk.nested_mapped);

    uint8_t bytes[8];
    ck_assert_int_eq(guest_memory_read_virtual(&memory, true, 0x1000, 0x4000, bytes, 8), 0);
    ck_assert_uint_eq(bytes[0], 0x00);
    ck_assert_int_eq(guest_memory_read_virtual(&memory, true, 0x1000, 0x10, bytes, 8), -EFAULT);
    guest_memory_destroy(&memory);
}
END_TEST

static Suite *nested_paging_suite(void)
{
    Suite *suite = suite_create("nested_paging");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_every_guest_page_has_its_own_frame);
    tcase_add_test(tc, test_bad_sizes_refused);
    tcase_add_test(tc, test_out_of_frames_gives_everything_back);
    tcase_add_test(tc, test_copies_cross_pages);
    tcase_add_test(tc, test_two_dimensional_walk);
    suite_add_tcase(suite, tc);
    return suite;
}

int main(void)
{
    SRunner *runner = srunner_create(nested_paging_suite());
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed == 0 ? 0 : 1;
}
