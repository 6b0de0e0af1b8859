/*
 * test_swap.c — host tests for swap-slot allocation and swap entries in page tables.
 *
 * Slots: next-fit order, full swap returning -ENOSPC (and recovering when a
 * slot is freed), shared slots after fork freed only by their last owner,
 * and panics on freeing a free slot or one out of range. Entries: a swap
 * entry is never present, never zero (slot 0 included), round-trips every
 * slot up to the largest, and no present entry or empty entry reads as one.
 * OSTEP ch. 21 (Swapping: Mechanisms — swap space and the present bit).
 */
#include <check.h>
#include <signal.h>
#include <stdlib.h>

#include "kernel/mm/page_table.h"
#include "kernel/mm/swap_entry.h"
#include "kernel/mm/swap_slots.h"
#include "lib/errno.h"
#include "tests/unit/host_panic.h"

static uint8_t counts[64];

START_TEST(test_slots_next_fit_and_full)
{
    swap_slots_init(counts, 8);
    ck_assert_uint_eq(swap_slots_total(), 8);
    for (long i = 0; i < 8; i++)
        ck_assert_int_eq(swap_slot_alloc(), i);
    ck_assert_uint_eq(swap_slots_used(), 8);
    ck_assert_int_eq(swap_slot_alloc(), -ENOSPC);
    swap_slot_unref(3);
    ck_assert_uint_eq(swap_slots_used(), 7);
    ck_assert_int_eq(swap_slot_alloc(), 3); /* the only free slot, found by wrapping */
    ck_assert_int_eq(swap_slot_alloc(), -ENOSPC);
    swap_slot_unref(1);
    swap_slot_unref(6);
    ck_assert_int_eq(swap_slot_alloc(), 6); /* next fit: after 3, not lowest */
    ck_assert_int_eq(swap_slot_alloc(), 1);
}
END_TEST

START_TEST(test_slots_shared_freed_by_last_owner)
{
    swap_slots_init(counts, 4);
    long slot = swap_slot_alloc();
    swap_slot_ref((uint64_t)slot); /* fork: parent and child name the slot */
    ck_assert_uint_eq(swap_slot_owners((uint64_t)slot), 2);
    swap_slot_unref((uint64_t)slot);
    ck_assert_uint_eq(swap_slots_used(), 1);
    swap_slot_unref((uint64_t)slot);
    ck_assert_uint_eq(swap_slots_used(), 0);
    ck_assert_uint_eq(swap_slot_owners((uint64_t)slot), 0);
    ck_assert_uint_eq(swap_slot_owners(1000), 0);
}
END_TEST

START_TEST(test_slots_double_free_panics)
{
    swap_slots_init(counts, 4);
    long slot = swap_slot_alloc();
    swap_slot_unref((uint64_t)slot);
    swap_slot_unref((uint64_t)slot);
}
END_TEST

START_TEST(test_slots_out_of_range_panics)
{
    swap_slots_init(counts, 4);
    swap_slot_ref(4);
}
END_TEST

START_TEST(test_slots_reinit_frees_everything)
{
    swap_slots_init(counts, 4);
    swap_slot_alloc();
    swap_slot_alloc();
    swap_slots_init(counts, 2);
    ck_assert_uint_eq(swap_slots_used(), 0);
    ck_assert_int_eq(swap_slot_alloc(), 0);
}
END_TEST

START_TEST(test_entry_round_trip)
{
    uint64_t slots[] = {0, 1, 2, 511, 512, 16383, 1UL << 20, SWAP_ENTRY_MAX_SLOT};
    for (size_t i = 0; i < sizeof(slots) / sizeof(slots[0]); i++) {
        uint64_t entry = swap_entry_make(slots[i]);
        ck_assert(entry != 0);                /* 0 means never touched */
        ck_assert(!(entry & PTE_PRESENT));    /* the MMU must fault on it */
        ck_assert(!(entry & PTE_NO_EXECUTE)); /* bit 63 stays clear: not a reserved-bit fault */
        ck_assert(swap_entry_is_swapped(entry));
        ck_assert_uint_eq(swap_entry_slot(entry), slots[i]);
    }
}
END_TEST

START_TEST(test_entry_not_confused_with_others)
{
    ck_assert(!swap_entry_is_swapped(0));
    /* a present page whose frame address has bit 10 clear or set */
    ck_assert(!swap_entry_is_swapped(0x123000 | PTE_PRESENT | PTE_WRITABLE | PTE_USER));
    ck_assert(!swap_entry_is_swapped(0x123400 | PTE_PRESENT));
    ck_assert(!swap_entry_is_swapped(0x5000 | PTE_PRESENT | PTE_COPY_ON_WRITE | PTE_ACCESSED));
    ck_assert_uint_eq(SWAP_ENTRY_MARK & PTE_ADDRESS_MASK, 0); /* a software bit */
    ck_assert_uint_ne(SWAP_ENTRY_MARK, PTE_COPY_ON_WRITE);
}
END_TEST

static Suite *swap_suite(void)
{
    Suite *suite = suite_create("swap");
    TCase *slots = tcase_create("slots");
    tcase_add_test(slots, test_slots_next_fit_and_full);
    tcase_add_test(slots, test_slots_shared_freed_by_last_owner);
    tcase_add_test_raise_signal(slots, test_slots_double_free_panics, SIGABRT);
    tcase_add_test_raise_signal(slots, test_slots_out_of_range_panics, SIGABRT);
    tcase_add_test(slots, test_slots_reinit_frees_everything);
    suite_add_tcase(suite, slots);
    TCase *entries = tcase_create("entries");
    tcase_add_test(entries, test_entry_round_trip);
    tcase_add_test(entries, test_entry_not_confused_with_others);
    suite_add_tcase(suite, entries);
    return suite;
}

int main(void)
{
    SRunner *runner = srunner_create(swap_suite());
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
