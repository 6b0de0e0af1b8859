/*
 * vm_fault.c — deciding what a fault on a user page means (vm_fault.h).
 *
 * A fault is either the kernel's promise coming due or the program's bug.
 * Promises: a heap or stack page that was never touched (demand-zero: give
 * it a zeroed frame now) and a write to a page shared copy-on-write after
 * fork (copy it — or, if nobody else shares the frame any more, just make it
 * writable again). Everything else — no region, writing read-only memory,
 * executing data — is refused with a reason, and nothing is mapped.
 * A container group's memory limit (group_memory.h) is checked before a
 * frame is taken for a demand-zero page or a copy; at the limit the fault
 * is out of memory for the faulting process alone ("over its group's
 * memory limit"), and the group's other members and the outside go on.
 * The order of the checks is the rule: the region and its permissions first
 * (they say what may be), then the page-table entry (what is).
 * OSTEP ch. 21 (Swapping: Mechanisms — the page-fault path), ch. 23 (lazy
 * allocation and copy-on-write in complete VM systems).
 */
#include "kernel/mm/vm_fault.h"
#include "kernel/arch/x86_64/instructions.h"
#include "kernel/group/group_memory.h"
#include "kernel/mm/address_space.h"
#include "kernel/mm/layout.h"
#include "kernel/mm/page_table.h"
#include "kernel/mm/pmm.h"
#include "kernel/mm/swap.h"
#include "lib/string.h"

static vm_nonpresent_handler nonpresent_handler;

void vm_fault_set_nonpresent_handler(vm_nonpresent_handler handler)
{
    nonpresent_handler = handler;
}

static struct vm_fault_outcome refused(const char *reason)
{
    return (struct vm_fault_outcome){.resolved = false, .reason = reason};
}

static struct vm_fault_outcome out_of_memory(void)
{
    return (struct vm_fault_outcome){.out_of_memory = true, .reason = "out of memory"};
}

/* Frames that become private here are handed to the swapper (swap_track);
 * making room may sleep while a page is written out, during which the
 * shared frame stays pinned and the entry in place. */
static struct vm_fault_outcome resolve_copy_on_write(struct address_space *as, uint64_t page,
                                                     uint64_t *entry)
{
    /* LAB cow BEGIN: stub
    // TODO(cow): give the writer its own copy of the frame (or, if nobody else
    // shares it any more, the frame itself) writable and without the COW bit;
    // flush the TLB entry. Resolved with .copy_on_write, or out_of_memory().
    (void)as;
    (void)page;
    (void)entry;
    return refused("copy-on-write is not written yet (labs/cow)");
    */
    uint64_t old_frame = *entry & PTE_ADDRESS_MASK;
    uint64_t flags = (*entry & PTE_FLAGS_MASK & ~PTE_COPY_ON_WRITE) | PTE_WRITABLE;
    uint64_t frame = old_frame;
    if (pmm_refcount(old_frame) == 1) { /* the other sharers are gone: reclaim */
        *entry = old_frame | flags;
    } else {
        if (swap_make_room(as) < 0)
            return (struct vm_fault_outcome){.out_of_memory = true,
                                             .reason = "out of memory and swap full"};
        frame = pmm_alloc();
        if (!frame)
            return out_of_memory();
        memcpy(phys_to_virt(frame), phys_to_virt(old_frame), PAGE_SIZE);
        *entry = frame | flags;
        pmm_unref(old_frame);
    }
    invlpg(page);
    swap_track(as, page, frame);
    return (struct vm_fault_outcome){.resolved = true, .copy_on_write = true};
    /* LAB cow END */
}

static struct vm_fault_outcome over_group_limit(void)
{
    return (struct vm_fault_outcome){.out_of_memory = true,
                                     .reason = "over its group's memory limit"};
}

/* Copy-on-write with the group's charge around it: a copy is one more frame
 * for the group (reserved first, so a copy over the limit is refused before
 * anything changes); reclaiming the last reference costs nothing. */
static struct vm_fault_outcome copy_on_write_charged(struct address_space *as, uint64_t page,
                                                     uint64_t *entry)
{
    uint64_t old_frame = *entry & PTE_ADDRESS_MASK;
    bool copies = pmm_refcount(old_frame) > 1;
    if (copies && group_memory_reserve(as->group_id) < 0)
        return over_group_limit();
    struct vm_fault_outcome outcome = resolve_copy_on_write(as, page, entry);
    if (copies) {
        uint64_t *now = page_table_find_entry(as->pml4, page);
        uint64_t frame = now && (*now & PTE_PRESENT) ? *now & PTE_ADDRESS_MASK : 0;
        if (outcome.resolved && frame && frame != old_frame && pmm_refcount(frame) == 1)
            group_memory_commit(as->group_id, frame);
        else
            group_memory_unreserve(as->group_id);
    }
    return outcome;
}

struct vm_fault_outcome vm_fault(struct address_space *as, uint64_t address, enum vm_access access)
{
    bool write = access == VM_ACCESS_WRITE;
    uint64_t page = PAGE_ROUND_DOWN(address);
    struct region *region = as_find_region(as, address);
    if (!region)
        return refused(address >= USER_HALF_END ? "kernel or non-canonical address"
                                                : "no mapping at this address");
    if (access == VM_ACCESS_EXECUTE && (region->page_flags & PTE_NO_EXECUTE))
        return refused("execute of non-executable memory");
    if (write && !(region->page_flags & PTE_WRITABLE))
        return refused("write to read-only memory");

    uint64_t *entry = page_table_find_entry(as->pml4, page);
    if (entry && (*entry & PTE_PRESENT)) {
        if (write && (*entry & PTE_COPY_ON_WRITE))
            return copy_on_write_charged(as, page, entry);
        if (write && !(*entry & PTE_WRITABLE))
            return refused("write to read-only memory");
        invlpg(page); /* a stale TLB entry: the mapping is fine now */
        return (struct vm_fault_outcome){.resolved = true};
    }
    if (entry && *entry != 0) /* not ours: see the seam in vm_fault.h */
        return nonpresent_handler ? nonpresent_handler(as, page, entry, access)
                                  : refused("unknown non-present page-table entry");
    if (region->demand_zero && !group_memory_has_room(as->group_id, 1))
        return over_group_limit();
    /* LAB cow BEGIN: stub
    // TODO(cow): demand-zero: a page of a demand_zero region that was never
    // touched gets a zeroed frame (as_map_zeroed_page); otherwise refuse.
    (void)out_of_memory;
    return refused("demand-zero is not written yet (labs/cow)");
    */
    if (!region->demand_zero)
        return refused("page missing from a loaded segment");
    if (as_map_zeroed_page(as, page, NULL) < 0)
        return swap_enabled() ? (struct vm_fault_outcome){.out_of_memory = true,
                                                          .reason = "out of memory and swap full"}
                              : out_of_memory();
    return (struct vm_fault_outcome){.resolved = true};
    /* LAB cow END */
}
