/*
 * page_fault.c — deciding what a page fault in a user program means.
 *
 * A fault is either the kernel's promise coming due or the program's bug.
 * Promises: a heap or stack page that was never touched (demand-zero: give
 * it a zeroed frame now) and a write to a page shared copy-on-write after
 * fork (copy it — or, if nobody else shares the frame any more, just make it
 * writable again). Everything else — no region, writing read-only memory,
 * executing data — is reported back so the process can be killed.
 * OSTEP ch. 21 (Swapping: Mechanisms — the page-fault path), ch. 23 (lazy
 * allocation and copy-on-write in complete VM systems).
 */
#include "kernel/arch/x86_64/instructions.h"
#include "kernel/mm/address_space.h"
#include "kernel/mm/layout.h"
#include "kernel/mm/page_table.h"
#include "kernel/mm/pmm.h"
#include "kernel/mm/swap.h"
#include "kernel/mm/swap_entry.h"
#include "lib/string.h"

static struct fault_outcome failure(const char *reason)
{
    return (struct fault_outcome){.resolved = false, .reason = reason};
}

static struct fault_outcome resolve_copy_on_write(struct address_space *as, uint64_t page,
                                                  uint64_t *entry)
{
    uint64_t old_frame = *entry & PTE_ADDRESS_MASK;
    uint64_t flags = (*entry & PTE_FLAGS_MASK & ~PTE_COPY_ON_WRITE) | PTE_WRITABLE;
    if (pmm_refcount(old_frame) == 1) { /* the other sharers are gone: reclaim */
        *entry = old_frame | flags;
        invlpg(page);
        swap_track(as, page, old_frame);
    } else {
        if (swap_make_room(as) < 0) /* may sleep; the shared frame is pinned meanwhile */
            return (struct fault_outcome){.out_of_memory = true, .reason = "swap full"};
        uint64_t new_frame = pmm_alloc();
        if (!new_frame)
            return (struct fault_outcome){.out_of_memory = true, .reason = "out of memory"};
        memcpy(phys_to_virt(new_frame), phys_to_virt(old_frame), PAGE_SIZE);
        *entry = new_frame | flags;
        pmm_unref(old_frame);
        invlpg(page);
        swap_track(as, page, new_frame);
    }
    return (struct fault_outcome){.resolved = true, .copy_on_write = true};
}

struct fault_outcome as_handle_fault(struct address_space *as, uint64_t address, bool write,
                                     bool execute)
{
    uint64_t page = PAGE_ROUND_DOWN(address);
    struct region *region = as_find_region(as, address);
    if (!region)
        return failure(address >= USER_HALF_END ? "kernel or non-canonical address"
                                                : "no mapping at this address");
    if (execute && (region->page_flags & PTE_NO_EXECUTE))
        return failure("execute of non-executable memory");
    if (write && !(region->page_flags & PTE_WRITABLE))
        return failure("write to read-only memory");

    uint64_t *entry = page_table_find_entry(as->pml4, page);
    if (entry && (*entry & PTE_PRESENT)) {
        if (write && (*entry & PTE_COPY_ON_WRITE))
            return resolve_copy_on_write(as, page, entry);
        if (write && !(*entry & PTE_WRITABLE))
            return failure("write to read-only memory");
        invlpg(page); /* a stale TLB entry: the mapping is fine now */
        return (struct fault_outcome){.resolved = true};
    }
    /* The seam with the swapper: not present but not zero = a swap entry. */
    if (entry && swap_entry_is_swapped(*entry))
        return swap_page_in(as, page, region);
    if (!region->demand_zero)
        return failure("page missing from a loaded segment");
    int result = as_map_zeroed_page(as, page, NULL);
    if (result < 0)
        return (struct fault_outcome){.out_of_memory = true,
                                      .reason = swap_enabled() ? "out of memory and swap full"
                                                               : "out of memory"};
    return (struct fault_outcome){.resolved = true};
}
