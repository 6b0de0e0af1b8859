/*
 * test_user_copy.c — user-pointer copies, page faults, fork and sbrk on
 * simulated physical memory (host_stubs.h): the real user_copy.c,
 * address_space.c, vm_fault.c and page_table.c build genuine page tables
 * inside a host buffer, for the process whose address space each case picks.
 * OSTEP ch. 6 (never trust user pointers), ch. 13, 20, 23 (demand-zero, COW).
 */
#include <check.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/mm/address_space.h"
#include "kernel/mm/layout.h"
#include "kernel/mm/page_table.h"
#include "kernel/mm/pmm.h"
#include "kernel/mm/user_copy.h"
#include "kernel/mm/vm_fault.h"
#include "lib/errno.h"
#include "tests/unit/host_stubs.h"

#define FAKE_MEMORY_BYTES (8UL * 1024 * 1024)
#define JUNK 0xa5 /* what "RAM" holds before anyone clears it */
#define TEXT_BYTE 0xc3

/* The test program's layout: text and data mapped up front, a gap, a
 * read-only segment never mapped, a heap that straddles a 2 MiB page-table
 * boundary, and a demand-zero stack. */
#define TEXT_START 0x400000UL
#define DATA_START 0x402000UL
#define DATA_END 0x404000UL
#define GAP_ADDRESS 0x500000UL
#define RODATA_START 0x600000UL /* a loaded segment whose page is missing */
#define HEAP_START 0x7fe000UL
#define HEAP_PAGES 4
#define HEAP_END (HEAP_START + HEAP_PAGES * PAGE_SIZE)
#define STACK_START (USER_STACK_TOP - USER_STACK_LIMIT)
#define USER_RW (PTE_USER | PTE_WRITABLE | PTE_NO_EXECUTE)
#define WRITE_BITS (PTE_WRITABLE | PTE_COPY_ON_WRITE)

static size_t frames_before_space; /* free frames with only the kernel's tables */
static struct address_space *space, *child;

static uint64_t *entry_of(struct address_space *as, uint64_t address)
{
    return page_table_find_entry(as->pml4, address);
}

static bool is_present(struct address_space *as, uint64_t address)
{
    uint64_t *entry = entry_of(as, address);
    return entry && (*entry & PTE_PRESENT);
}

static uint64_t frame_of(struct address_space *as, uint64_t address)
{
    ck_assert(is_present(as, address));
    return *entry_of(as, address) & PTE_ADDRESS_MASK;
}

static struct address_space *build_space(void)
{
    struct address_space *as = as_create();
    ck_assert_ptr_nonnull(as);
    ck_assert_int_eq(as_add_region(as, TEXT_START, DATA_START, PTE_USER, REGION_TEXT, false), 0);
    ck_assert_int_eq(as_add_region(as, DATA_START, DATA_END, USER_RW, REGION_DATA, false), 0);
    for (uint64_t page = TEXT_START; page < DATA_END; page += PAGE_SIZE) {
        uint64_t frame = 0;
        ck_assert_int_eq(as_map_zeroed_page(as, page, &frame), 0);
        if (page < DATA_START)
            memset(phys_to_virt(frame), TEXT_BYTE, PAGE_SIZE);
    }
    ck_assert_int_eq(as_add_region(as, RODATA_START, RODATA_START + PAGE_SIZE,
                                   PTE_USER | PTE_NO_EXECUTE, REGION_RODATA, false),
                     0);
    as->heap_start = as->heap_break = HEAP_START;
    ck_assert_int_eq(as_add_region(as, HEAP_START, HEAP_START, USER_RW, REGION_HEAP, true), 0);
    ck_assert_int_eq(as_add_region(as, STACK_START, USER_STACK_TOP, USER_RW, REGION_STACK, true),
                     0);
    ck_assert_int_eq(as_map_zeroed_page(as, USER_STACK_TOP - PAGE_SIZE, NULL), 0);
    ck_assert_int_eq(as_sbrk(as, HEAP_PAGES * PAGE_SIZE), (long)HEAP_START);
    return as;
}

static void setup(void)
{
    host_memory_init(FAKE_MEMORY_BYTES, JUNK);
    frames_before_space = pmm_free_frames();
    space = build_space();
    child = NULL;
    host_current_process.address_space = space;
}

static void teardown(void)
{
    vm_fault_set_nonpresent_handler(NULL);
    as_destroy(child);
    as_destroy(space);
    host_memory_free();
}

START_TEST(test_range_edges_at_the_top_of_user_space)
{
    ck_assert(user_range_valid(0, 0));
    ck_assert(user_range_valid(USER_HALF_END - 1, 0));
    ck_assert(user_range_valid(USER_HALF_END, 0));
    ck_assert(user_range_valid(USER_HALF_END - 1, 1));
    ck_assert(!user_range_valid(USER_HALF_END, 1));
    ck_assert(user_range_valid(USER_HALF_END - PAGE_SIZE, PAGE_SIZE)); /* ends exactly at top */
    ck_assert(!user_range_valid(USER_HALF_END - PAGE_SIZE, PAGE_SIZE + 1));
    ck_assert(user_range_valid(0, USER_HALF_END));
    ck_assert(!user_range_valid(0, USER_HALF_END + 1));
}
END_TEST

START_TEST(test_range_wrap_non_canonical_and_kernel)
{
    ck_assert(!user_range_valid(USER_HALF_END - 16, UINT64_MAX));
    ck_assert(!user_range_valid(0x1000, UINT64_MAX - 0xfff)); /* end wraps to exactly 0 */
    ck_assert(!user_range_valid(0x1000, UINT64_MAX - 0x7ff)); /* end wraps to 0x800 */
    ck_assert(!user_range_valid(UINT64_MAX, 2));
    ck_assert(!user_range_valid(USER_HALF_END + 1, 0));
    ck_assert(!user_range_valid(0x0000800000000000UL, 8));
    ck_assert(!user_range_valid(0xffff7fffffffffffUL, 1));
    ck_assert(!user_range_valid(KERNEL_HALF_START, 1));
    ck_assert(!user_range_valid(KERNEL_IMAGE_BASE, 4096));
    ck_assert(!user_range_valid(KERNEL_IMAGE_BASE, 0));
}
END_TEST

START_TEST(test_round_trip_across_a_page_boundary)
{
    unsigned char out[300], in[300] = {0};
    for (size_t i = 0; i < sizeof(out); i++)
        out[i] = (unsigned char)(i * 7 + 1);
    uint64_t address = DATA_START + PAGE_SIZE - 100;
    ck_assert_int_eq(user_copy_out(address, out, sizeof(out)), 0);
    ck_assert_int_eq(user_copy_in(in, address, sizeof(in)), 0);
    ck_assert_mem_eq(in, out, sizeof(out));
    /* The bytes went to the right frames, at the right offsets. */
    const unsigned char *first = phys_to_virt(frame_of(space, DATA_START));
    const unsigned char *second = phys_to_virt(frame_of(space, DATA_START + PAGE_SIZE));
    ck_assert_mem_eq(first + PAGE_SIZE - 100, out, 100);
    ck_assert_mem_eq(second, out + 100, 200);
    ck_assert_uint_eq(second[200], 0);
}
END_TEST

START_TEST(test_copy_in_faults_in_a_demand_zero_heap_page)
{
    unsigned char buffer[64];
    memset(buffer, 0xee, sizeof(buffer));
    ck_assert(!is_present(space, HEAP_START + PAGE_SIZE));
    size_t free_before = pmm_free_frames();
    ck_assert_int_eq(user_copy_in(buffer, HEAP_START + PAGE_SIZE + 8, sizeof(buffer)), 0);
    for (size_t i = 0; i < sizeof(buffer); i++)
        ck_assert_uint_eq(buffer[i], 0); /* zeroed, not the junk RAM held */
    ck_assert(is_present(space, HEAP_START + PAGE_SIZE));
    ck_assert(*entry_of(space, HEAP_START + PAGE_SIZE) & PTE_WRITABLE);
    ck_assert_uint_eq(pmm_free_frames(), free_before - 2); /* the page and its table */
    ck_assert(!is_present(space, HEAP_START));             /* only the page touched */
}
END_TEST

START_TEST(test_copy_out_to_read_only_text_fails)
{
    unsigned char code[4] = {0x90, 0x90, 0x90, 0x90};
    ck_assert_int_eq(user_copy_out(TEXT_START + 16, code, sizeof(code)), -EFAULT);
    const unsigned char *text = phys_to_virt(frame_of(space, TEXT_START));
    ck_assert_uint_eq(text[16], TEXT_BYTE);
    ck_assert(!(*entry_of(space, TEXT_START) & PTE_WRITABLE));
    unsigned char read_back[4] = {0};
    ck_assert_int_eq(user_copy_in(read_back, TEXT_START + 16, sizeof(read_back)), 0);
    ck_assert_uint_eq(read_back[3], TEXT_BYTE); /* reading text is fine */
}
END_TEST

START_TEST(test_unmapped_and_straddling_ranges_fail)
{
    unsigned char buffer[32];
    ck_assert_int_eq(user_copy_in(buffer, GAP_ADDRESS, 8), -EFAULT);
    ck_assert_int_eq(user_copy_in(buffer, 0, 8), -EFAULT); /* NULL */
    ck_assert_int_eq(user_copy_in(buffer, DATA_END - 16, 32), -EFAULT);
    ck_assert_int_eq(user_copy_out(DATA_END - 16, buffer, 32), -EFAULT);
    ck_assert_int_eq(user_copy_in(buffer, HEAP_END - 8, 16), -EFAULT); /* past the break */
    ck_assert_int_eq(user_copy_in(buffer, GAP_ADDRESS, 0), 0);         /* touches nothing */
    ck_assert(!is_present(space, DATA_END));
}
END_TEST

START_TEST(test_non_user_addresses_fail)
{
    char buffer[16] = {0};
    ck_assert_int_eq(user_copy_in(buffer, KERNEL_IMAGE_BASE, 8), -EFAULT);
    ck_assert_int_eq(user_copy_in(buffer, DIRECT_MAP_BASE + DATA_START, 8), -EFAULT);
    ck_assert_int_eq(user_copy_out(KERNEL_HEAP_BASE, buffer, 8), -EFAULT);
    ck_assert_int_eq(user_copy_out(0x0000800000000000UL, buffer, 1), -EFAULT);
    ck_assert_int_eq(user_copy_in(buffer, 0xffff7fffffffffffUL, 1), -EFAULT);
    ck_assert_int_eq(user_copy_in(buffer, KERNEL_IMAGE_BASE, 0), -EFAULT);
    /* A huge length from a good start: the range check must refuse it
     * before a single byte moves (ASan would catch the overflow). */
    ck_assert_int_eq(user_copy_in(buffer, DATA_START, SIZE_MAX), -EFAULT);
    ck_assert_int_eq(user_copy_out(DATA_START, buffer, SIZE_MAX - DATA_START + 1), -EFAULT);
    ck_assert_int_eq(user_copy_out(USER_HALF_END - 8, buffer, 16), -EFAULT);
    host_current_process.address_space = NULL; /* a kernel thread has no user memory */
    ck_assert_int_eq(user_copy_in(buffer, DATA_START, sizeof(buffer)), -EFAULT);
    ck_assert_int_eq(user_copy_out(DATA_START, buffer, sizeof(buffer)), -EFAULT);
    ck_assert_int_eq(user_copy_string(buffer, DATA_START, sizeof(buffer)), -EFAULT);
}
END_TEST

START_TEST(test_copy_string_lengths)
{
    char name[32];
    ck_assert_int_eq(user_copy_out(DATA_START + 16, "hello", 6), 0);
    ck_assert_int_eq(user_copy_string(name, DATA_START + 16, sizeof(name)), 5);
    ck_assert_str_eq(name, "hello");
    ck_assert_int_eq(user_copy_out(DATA_START + PAGE_SIZE - 3, "across", 7), 0);
    ck_assert_int_eq(user_copy_string(name, DATA_START + PAGE_SIZE - 3, sizeof(name)), 6);
    ck_assert_str_eq(name, "across");
    ck_assert_int_eq(user_copy_out(DATA_START + 64, "1234567", 8), 0); /* size - 1 chars */
    ck_assert_int_eq(user_copy_string(name, DATA_START + 64, 8), 7);
    ck_assert_str_eq(name, "1234567");
    ck_assert_int_eq(user_copy_string(name, HEAP_START, sizeof(name)), 0); /* demand-zero */
    ck_assert_str_eq(name, "");
    ck_assert(is_present(space, HEAP_START));
}
END_TEST

START_TEST(test_copy_string_failures)
{
    char name[16];
    memset(name, 'z', sizeof(name));
    ck_assert_int_eq(user_copy_out(DATA_START + 64, "12345678", 9), 0);
    ck_assert_int_eq(user_copy_string(name, DATA_START + 64, 8), -ENAMETOOLONG);
    ck_assert_str_eq(name, "1234567");              /* truncated, still terminated */
    ck_assert_uint_eq((unsigned char)name[8], 'z'); /* nothing past size written */

    ck_assert_int_eq(user_copy_out(DATA_END - 4, "abcd", 4), 0); /* no NUL before the gap */
    ck_assert_int_eq(user_copy_string(name, DATA_END - 4, sizeof(name)), -EFAULT);
    ck_assert_int_eq(user_copy_string(name, GAP_ADDRESS, sizeof(name)), -EFAULT);
    ck_assert_int_eq(user_copy_string(name, KERNEL_IMAGE_BASE, sizeof(name)), -EFAULT);
    ck_assert_int_eq(user_copy_string(name, 0xffff7ffffffffff8UL, sizeof(name)), -EFAULT);
    ck_assert_int_eq(user_copy_string(name, UINT64_MAX - 2, sizeof(name)), -EFAULT);
    /* A full buffer is "too long", never "bad address" (exec's -E2BIG
     * depends on it when the argument area is exactly full). */
    memset(name, 'z', sizeof(name));
    ck_assert_int_eq(user_copy_string(name, DATA_START + 64, 0), -ENAMETOOLONG);
    ck_assert_int_eq(user_copy_out(DATA_START + 80, "", 1), 0);
    ck_assert_int_eq(user_copy_string(name, DATA_START + 80, 0), -ENAMETOOLONG);
    ck_assert_uint_eq((unsigned char)name[0], 'z'); /* nothing written */
    ck_assert_int_eq(user_copy_string(name, DATA_START + 80, 1), 0);
    ck_assert_str_eq(name, "");
}
END_TEST

START_TEST(test_fork_shares_frames_copy_on_write)
{
    ck_assert_int_eq(user_copy_out(DATA_START, "parent", 7), 0);
    uint64_t data_frame = frame_of(space, DATA_START);
    uint64_t text_frame = frame_of(space, TEXT_START);
    child = as_fork(space);
    ck_assert_ptr_nonnull(child);

    ck_assert_uint_eq(frame_of(child, DATA_START), data_frame);
    ck_assert_uint_eq(pmm_refcount(data_frame), 2);
    ck_assert_uint_eq(*entry_of(space, DATA_START) & WRITE_BITS, PTE_COPY_ON_WRITE);
    ck_assert_uint_eq(*entry_of(child, DATA_START) & WRITE_BITS, PTE_COPY_ON_WRITE);
    /* Read-only text is simply shared: it will never need a copy. */
    ck_assert_uint_eq(frame_of(child, TEXT_START), text_frame);
    ck_assert_uint_eq(pmm_refcount(text_frame), 2);
    ck_assert_uint_eq(*entry_of(child, TEXT_START) & WRITE_BITS, 0);
    /* Untouched demand-zero pages stay untouched in both. */
    ck_assert(!is_present(child, HEAP_START));
    ck_assert_uint_eq(child->heap_break, HEAP_END);
}
END_TEST

START_TEST(test_write_after_fork_copies_then_reclaims)
{
    ck_assert_int_eq(user_copy_out(DATA_START, "parent", 7), 0);
    uint64_t shared = frame_of(space, DATA_START);
    child = as_fork(space);
    ck_assert_ptr_nonnull(child);

    host_current_process.address_space = child;
    ck_assert_int_eq(user_copy_out(DATA_START + 2048, "child", 6), 0);
    uint64_t copy = frame_of(child, DATA_START);
    ck_assert_uint_ne(copy, shared);
    ck_assert_uint_eq(pmm_refcount(shared), 1);
    ck_assert_uint_eq(pmm_refcount(copy), 1);
    ck_assert_uint_eq(*entry_of(child, DATA_START) & WRITE_BITS, PTE_WRITABLE);
    char seen[8];
    ck_assert_int_eq(user_copy_string(seen, DATA_START, sizeof(seen)), 6); /* copied, not zeroed */
    ck_assert_str_eq(seen, "parent");
    /* The other data page was not written: still shared. */
    ck_assert_uint_eq(pmm_refcount(frame_of(child, DATA_START + PAGE_SIZE)), 2);

    host_current_process.address_space = space;
    ck_assert_int_eq(user_copy_string(seen, DATA_START + 2048, sizeof(seen)), 0); /* unchanged */
    size_t free_before = pmm_free_frames();
    ck_assert_int_eq(user_copy_out(DATA_START + 2048, "again", 6), 0);
    ck_assert_uint_eq(frame_of(space, DATA_START), shared); /* reclaimed, no copy */
    ck_assert_uint_eq(pmm_free_frames(), free_before);
    ck_assert_uint_eq(*entry_of(space, DATA_START) & WRITE_BITS, PTE_WRITABLE);

    host_current_process.address_space = child;
    ck_assert_int_eq(user_copy_string(seen, DATA_START + 2048, sizeof(seen)), 5);
    ck_assert_str_eq(seen, "child");
}
END_TEST

START_TEST(test_fork_out_of_memory_leaves_parent_usable)
{
    while (pmm_free_frames() > 2) /* room for the child's PML4 and one more table */
        pmm_alloc();
    uint64_t data_frame = frame_of(space, DATA_START);
    ck_assert_ptr_null(as_fork(space));
    ck_assert_uint_eq(pmm_free_frames(), 2);
    ck_assert_uint_eq(pmm_refcount(data_frame), 1);
    ck_assert_int_eq(user_copy_out(DATA_START, "still mine", 11), 0);
    ck_assert_uint_eq(frame_of(space, DATA_START), data_frame);
}
END_TEST

START_TEST(test_fault_demand_zero_and_copy_on_write_resolve)
{
    struct vm_fault_outcome outcome = vm_fault(space, HEAP_START + 5, VM_ACCESS_WRITE);
    ck_assert(outcome.resolved && !outcome.out_of_memory && !outcome.copy_on_write);
    ck_assert(is_present(space, HEAP_START));
    outcome = vm_fault(space, STACK_START + 3 * PAGE_SIZE, VM_ACCESS_READ);
    ck_assert(outcome.resolved);
    ck_assert(is_present(space, STACK_START + 3 * PAGE_SIZE));

    child = as_fork(space);
    ck_assert_ptr_nonnull(child);
    outcome = vm_fault(child, HEAP_START, VM_ACCESS_WRITE);
    ck_assert(outcome.resolved && outcome.copy_on_write);
    ck_assert_uint_ne(frame_of(child, HEAP_START), frame_of(space, HEAP_START));
    outcome = vm_fault(space, TEXT_START, VM_ACCESS_EXECUTE); /* executable, present */
    ck_assert(outcome.resolved && !outcome.copy_on_write);
}
END_TEST

START_TEST(test_fault_that_is_the_programs_bug_fails)
{
    struct vm_fault_outcome outcome = vm_fault(space, TEXT_START, VM_ACCESS_WRITE);
    ck_assert(!outcome.resolved && !outcome.out_of_memory);
    ck_assert_str_eq(outcome.reason, "write to read-only memory");
    outcome = vm_fault(space, RODATA_START, VM_ACCESS_WRITE); /* not mapped, still refused */
    ck_assert_str_eq(outcome.reason, "write to read-only memory");
    outcome = vm_fault(space, RODATA_START, VM_ACCESS_READ);
    ck_assert(!outcome.resolved && !is_present(space, RODATA_START));
    ck_assert_str_eq(outcome.reason, "page missing from a loaded segment");
    outcome = vm_fault(space, DATA_START, VM_ACCESS_EXECUTE);
    ck_assert(!outcome.resolved);
    ck_assert_str_eq(outcome.reason, "execute of non-executable memory");
    outcome = vm_fault(space, HEAP_START, VM_ACCESS_EXECUTE);
    ck_assert(!outcome.resolved);
    ck_assert(!is_present(space, HEAP_START)); /* refused faults map nothing */

    outcome = vm_fault(space, GAP_ADDRESS, VM_ACCESS_READ);
    ck_assert(!outcome.resolved && !outcome.out_of_memory);
    ck_assert_str_eq(outcome.reason, "no mapping at this address");
    outcome = vm_fault(space, KERNEL_IMAGE_BASE, VM_ACCESS_READ);
    ck_assert(!outcome.resolved);
    ck_assert_str_eq(outcome.reason, "kernel or non-canonical address");
}
END_TEST

START_TEST(test_fault_out_of_memory_is_reported)
{
    child = as_fork(space);
    ck_assert_ptr_nonnull(child);
    while (pmm_alloc() != 0) /* exhaust physical memory */
        ;
    struct vm_fault_outcome outcome = vm_fault(space, HEAP_START, VM_ACCESS_WRITE);
    ck_assert(!outcome.resolved && outcome.out_of_memory);
    ck_assert_ptr_nonnull(outcome.reason);
    ck_assert(!is_present(space, HEAP_START));
    outcome = vm_fault(child, DATA_START, VM_ACCESS_WRITE); /* a copy is needed */
    ck_assert(!outcome.resolved && outcome.out_of_memory);
    char byte;
    ck_assert_int_eq(user_copy_in(&byte, HEAP_START, 1), -EFAULT);
}
END_TEST

/* A stand-in for swap: the entry 0x5000 | (1 << 10) means "page kept
 * elsewhere"; bringing it back maps a frame filled with 's'. */
#define FOREIGN_ENTRY (0x5000UL | (1UL << 10))
static int foreign_calls;
static uint64_t foreign_page;

static struct vm_fault_outcome bring_back(struct address_space *as, uint64_t page, uint64_t *entry,
                                          enum vm_access access)
{
    (void)access;
    foreign_calls++;
    foreign_page = page;
    ck_assert_uint_eq(*entry, FOREIGN_ENTRY);
    ck_assert_ptr_eq(entry, entry_of(as, page));
    uint64_t frame = pmm_alloc();
    ck_assert_uint_ne(frame, 0);
    memset(phys_to_virt(frame), 's', PAGE_SIZE);
    *entry = frame | PTE_PRESENT | USER_RW;
    return (struct vm_fault_outcome){.resolved = true};
}

START_TEST(test_fault_hands_foreign_entries_to_the_registered_handler)
{
    ck_assert_int_eq(user_copy_out(HEAP_START + PAGE_SIZE, "h", 1), 0); /* table exists */
    uint64_t *entry = entry_of(space, HEAP_START);
    ck_assert_ptr_nonnull(entry);
    *entry = FOREIGN_ENTRY;
    foreign_calls = 0;
    struct vm_fault_outcome outcome = vm_fault(space, HEAP_START + 8, VM_ACCESS_READ);
    ck_assert(!outcome.resolved && !outcome.out_of_memory); /* no handler: refused */
    ck_assert_uint_eq(*entry, FOREIGN_ENTRY);
    char bytes[4];
    ck_assert_int_eq(user_copy_in(bytes, HEAP_START, sizeof(bytes)), -EFAULT);

    vm_fault_set_nonpresent_handler(bring_back);
    outcome = vm_fault(space, HEAP_START + 8, VM_ACCESS_EXECUTE); /* region says no-execute */
    ck_assert(!outcome.resolved);
    ck_assert_int_eq(foreign_calls, 0);
    /* user_copy takes the same path as the exception */
    ck_assert_int_eq(user_copy_in(bytes, HEAP_START + 100, sizeof(bytes)), 0);
    ck_assert_int_eq(foreign_calls, 1);
    ck_assert_uint_eq(foreign_page, HEAP_START);
    ck_assert_mem_eq(bytes, "ssss", 4);
    ck_assert(is_present(space, HEAP_START));
    /* an empty entry is still demand-zero, not the handler's */
    outcome = vm_fault(space, HEAP_START + 2 * PAGE_SIZE, VM_ACCESS_WRITE);
    ck_assert(outcome.resolved);
    ck_assert_int_eq(foreign_calls, 1);
    vm_fault_set_nonpresent_handler(NULL);
}
END_TEST

START_TEST(test_sbrk_grow_and_shrink_return_frames_and_tables)
{
    size_t free_start = pmm_free_frames();
    ck_assert_int_eq(as_sbrk(space, 0), (long)HEAP_END);
    for (uint64_t page = HEAP_START; page < HEAP_END; page += PAGE_SIZE)
        ck_assert_int_eq(user_copy_out(page, "x", 1), 0);
    /* four pages and two page tables: the heap crosses a 2 MiB boundary */
    ck_assert_uint_eq(pmm_free_frames(), free_start - 6);
    ck_assert_int_eq(as_sbrk(space, -2 * (long)PAGE_SIZE), (long)HEAP_END);
    ck_assert_uint_eq(pmm_free_frames(), free_start - 3);
    ck_assert_ptr_null(entry_of(space, 0x800000)); /* its table is gone too */
    char byte;
    ck_assert_int_eq(user_copy_in(&byte, 0x800000, 1), -EFAULT);
    ck_assert_int_eq(as_sbrk(space, -2 * (long)PAGE_SIZE), (long)(HEAP_START + 2 * PAGE_SIZE));
    ck_assert_uint_eq(pmm_free_frames(), free_start);
    ck_assert_uint_eq(space->heap_break, HEAP_START);
    ck_assert_int_eq(as_sbrk(space, -1), -EINVAL);
    ck_assert_uint_eq(space->heap_break, HEAP_START);
}
END_TEST

START_TEST(test_sbrk_partial_pages_and_refusals)
{
    ck_assert_int_eq(user_copy_out(HEAP_START, "secret", 7), 0);
    ck_assert_int_eq(as_sbrk(space, -(long)(HEAP_PAGES * PAGE_SIZE)), (long)HEAP_END);
    ck_assert_int_eq(as_sbrk(space, 100), (long)HEAP_START);
    ck_assert_uint_eq(space->heap_break, HEAP_START + 100);
    char seen[8];
    ck_assert_int_eq(user_copy_string(seen, HEAP_START, sizeof(seen)), 0);  /* fresh, zeroed */
    ck_assert_int_eq(user_copy_out(HEAP_START + PAGE_SIZE - 1, "y", 1), 0); /* same page */
    ck_assert_int_eq(user_copy_out(HEAP_START + PAGE_SIZE, "y", 1), -EFAULT);

    ck_assert_int_eq(as_sbrk(space, -101), -EINVAL);
    ck_assert_int_eq(as_sbrk(space, LONG_MIN), -EINVAL);
    ck_assert_int_eq(as_sbrk(space, LONG_MAX), -ENOMEM);
    long more_than_memory = (long)((pmm_total_frames() + 1) * PAGE_SIZE);
    ck_assert_int_eq(as_sbrk(space, more_than_memory), -ENOMEM);
    ck_assert_int_eq(as_sbrk(space, 0), (long)(HEAP_START + 100));
}
END_TEST

/* An exec of an ELF with 8 loadable segments needs 10 regions: the list must
 * grow (defect: a fixed array of 8 made such an exec fail with -ENOMEM). */
START_TEST(test_regions_grow_stay_sorted_and_are_found)
{
    struct address_space *as = as_create();
    ck_assert_ptr_nonnull(as);
    enum { COUNT = 40 };
    for (int i = 0; i < COUNT; i++) { /* 0, 7, 14, ... mod 40: scrambled order */
        uint64_t slot = (uint64_t)((i * 7) % COUNT);
        uint64_t start = 0x1000000UL + slot * 4 * PAGE_SIZE;
        ck_assert_int_eq(
            as_add_region(as, start, start + 2 * PAGE_SIZE, PTE_USER, REGION_DATA, false), 0);
    }
    ck_assert_int_eq(as->region_count, COUNT);
    for (int i = 1; i < as->region_count; i++)
        ck_assert_uint_le(as->regions[i - 1].end, as->regions[i].start);
    for (uint64_t slot = 0; slot < COUNT; slot++) {
        uint64_t start = 0x1000000UL + slot * 4 * PAGE_SIZE;
        struct region *region = as_find_region(as, start + PAGE_SIZE + 5);
        ck_assert_ptr_nonnull(region);
        ck_assert_uint_eq(region->start, start);
        ck_assert_ptr_eq(as_find_region(as, start), region);
        ck_assert_ptr_null(as_find_region(as, start + 2 * PAGE_SIZE)); /* the gap after it */
        ck_assert_ptr_null(as_find_region(as, start - 1));
    }
    uint64_t first = 0x1000000UL;
    /* overlapping in every way is refused; touching is fine */
    ck_assert_int_eq(
        as_add_region(as, first + PAGE_SIZE, first + 3 * PAGE_SIZE, 0, REGION_DATA, false),
        -EINVAL);
    ck_assert_int_eq(as_add_region(as, first - PAGE_SIZE, first + PAGE_SIZE, 0, REGION_DATA, false),
                     -EINVAL);
    ck_assert_int_eq(as_add_region(as, first, first + 2 * PAGE_SIZE, 0, REGION_DATA, false),
                     -EINVAL);
    ck_assert_int_eq(as_add_region(as, 0x800000, 0x2000000, 0, REGION_DATA, false), -EINVAL);
    ck_assert_int_eq(as_add_region(as, first + PAGE_SIZE, first + PAGE_SIZE, 0, REGION_HEAP, true),
                     -EINVAL); /* empty, but inside another */
    ck_assert_int_eq(
        as_add_region(as, first + 2 * PAGE_SIZE, first + 2 * PAGE_SIZE, 0, REGION_HEAP, true),
        0); /* empty, where one ends */
    ck_assert_int_eq(
        as_add_region(as, first + 2 * PAGE_SIZE, first + 4 * PAGE_SIZE, 0, REGION_DATA, false),
        0); /* fills the gap, touching both neighbours */
    ck_assert_int_eq(as->region_count, COUNT + 2);
    ck_assert_uint_eq(as_find_region(as, first + 3 * PAGE_SIZE)->start, first + 2 * PAGE_SIZE);
    ck_assert_uint_eq(as_find_region(as, first + PAGE_SIZE)->start, first);

    struct address_space *copy = as_fork(as);
    ck_assert_ptr_nonnull(copy);
    ck_assert_int_eq(copy->region_count, COUNT + 2);
    ck_assert_ptr_ne(copy->regions, as->regions);
    ck_assert_mem_eq(copy->regions, as->regions, (size_t)as->region_count * sizeof(struct region));
    as_destroy(copy);
    as_destroy(as);
}
END_TEST

START_TEST(test_heap_stops_a_guard_page_short_of_the_next_region)
{
    struct address_space *as = as_create();
    ck_assert_ptr_nonnull(as);
    as->heap_start = as->heap_break = 0x400000;
    ck_assert_int_eq(as_add_region(as, 0x400000, 0x400000, USER_RW, REGION_HEAP, true), 0);
    ck_assert_int_eq(as_add_region(as, 0x410000, 0x411000, USER_RW, REGION_DATA, false), 0);
    ck_assert_int_eq(as_sbrk(as, 0x10000), -ENOMEM); /* would reach the next region */
    ck_assert_int_eq(as_sbrk(as, 0xf001), -ENOMEM);  /* would reach its guard page */
    ck_assert_int_eq(as_sbrk(as, 0xf000), 0x400000);
    ck_assert_int_eq(as_sbrk(as, 1), -ENOMEM);
    ck_assert_uint_eq(as_find_region(as, 0x40efff)->kind, REGION_HEAP);
    ck_assert_ptr_null(as_find_region(as, 0x40f000));

    struct address_space *squeezed = as_create(); /* no room at all: never wraps */
    ck_assert_ptr_nonnull(squeezed);
    squeezed->heap_start = squeezed->heap_break = 0x400000;
    ck_assert_int_eq(as_add_region(squeezed, 0x400000, 0x400000, USER_RW, REGION_HEAP, true), 0);
    ck_assert_int_eq(as_add_region(squeezed, 0x400000, 0x401000, USER_RW, REGION_DATA, false), 0);
    ck_assert_int_eq(as_sbrk(squeezed, PAGE_SIZE), -ENOMEM);
    as_destroy(squeezed);
    as_destroy(as);
}
END_TEST

START_TEST(test_create_shares_the_kernel_half)
{
    size_t free_before = pmm_free_frames();
    struct address_space *fresh = as_create();
    ck_assert_ptr_nonnull(fresh);
    ck_assert_uint_ne(fresh->pml4, host_kernel_pml4);
    const uint64_t *kernel_top = phys_to_virt(host_kernel_pml4);
    const uint64_t *top = phys_to_virt(fresh->pml4);
    for (int i = 0; i < 256; i++)
        ck_assert_uint_eq(top[i], 0); /* user half empty until exec fills it */
    for (int i = 256; i < PAGE_TABLE_ENTRIES; i++)
        ck_assert_uint_eq(top[i], kernel_top[i]);
    ck_assert((top[256] & PTE_PRESENT) && (top[511] & PTE_PRESENT));
    ck_assert_uint_eq(pmm_free_frames(), free_before - 1); /* just the PML4 */
    as_destroy(fresh);
    ck_assert_uint_eq(pmm_free_frames(), free_before);
}
END_TEST

START_TEST(test_destroy_returns_every_frame)
{
    for (uint64_t page = HEAP_START; page < HEAP_END; page += PAGE_SIZE)
        ck_assert_int_eq(user_copy_out(page, "h", 1), 0);
    ck_assert_int_eq(user_copy_out(STACK_START, "s", 1), 0);
    child = as_fork(space);
    ck_assert_ptr_nonnull(child);
    host_current_process.address_space = child;
    ck_assert_int_eq(user_copy_out(DATA_START, "c", 1), 0);
    ck_assert_int_eq(user_copy_out(GAP_ADDRESS, "c", 1), -EFAULT);
    uint64_t shared_heap_frame = frame_of(space, HEAP_START);
    ck_assert_uint_eq(pmm_refcount(shared_heap_frame), 2);

    as_destroy(child);
    child = NULL;
    ck_assert_uint_eq(pmm_refcount(shared_heap_frame), 1);
    as_destroy(space);
    space = NULL;
    ck_assert_uint_eq(pmm_free_frames(), frames_before_space);
    /* The kernel's own tables survived: they are shared, never owned. */
    uint64_t physical = 0;
    ck_assert(page_table_translate(host_kernel_pml4, KERNEL_IMAGE_BASE, &physical));
    ck_assert_uint_eq(pmm_refcount(physical), 1);
}
END_TEST

static Suite *user_copy_suite(void)
{
    Suite *suite = suite_create("user_copy");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_range_edges_at_the_top_of_user_space);
    tcase_add_test(tc, test_range_wrap_non_canonical_and_kernel);
    tcase_add_test(tc, test_round_trip_across_a_page_boundary);
    tcase_add_test(tc, test_copy_in_faults_in_a_demand_zero_heap_page);
    tcase_add_test(tc, test_copy_out_to_read_only_text_fails);
    tcase_add_test(tc, test_unmapped_and_straddling_ranges_fail);
    tcase_add_test(tc, test_non_user_addresses_fail);
    tcase_add_test(tc, test_copy_string_lengths);
    tcase_add_test(tc, test_copy_string_failures);
    tcase_add_test(tc, test_fork_shares_frames_copy_on_write);
    tcase_add_test(tc, test_write_after_fork_copies_then_reclaims);
    tcase_add_test(tc, test_fork_out_of_memory_leaves_parent_usable);
    tcase_add_test(tc, test_fault_demand_zero_and_copy_on_write_resolve);
    tcase_add_test(tc, test_fault_that_is_the_programs_bug_fails);
    tcase_add_test(tc, test_fault_out_of_memory_is_reported);
    tcase_add_test(tc, test_fault_hands_foreign_entries_to_the_registered_handler);
    tcase_add_test(tc, test_sbrk_grow_and_shrink_return_frames_and_tables);
    tcase_add_test(tc, test_sbrk_partial_pages_and_refusals);
    tcase_add_test(tc, test_regions_grow_stay_sorted_and_are_found);
    tcase_add_test(tc, test_heap_stops_a_guard_page_short_of_the_next_region);
    tcase_add_test(tc, test_create_shares_the_kernel_half);
    tcase_add_test(tc, test_destroy_returns_every_frame);
    suite_add_tcase(suite, tc);
    return suite;
}

int main(void)
{
    SRunner *runner = srunner_create(user_copy_suite());
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed == 0 ? 0 : 1;
}
