/*
 * nested_paging.c — guest RAM and the two translations (nested_paging.h).
 *
 * Building: one frame per 4 KiB of guest RAM, mapped at guest-physical
 * i * 4 KiB in a fresh page table with present|writable|user (the nested
 * walk is a user access, so every level needs U). Tearing down: unmap each
 * page, drop its frame, free the tables. The guest walk reads the guest's
 * own long-mode tables; each table address it finds is guest-physical and
 * goes through the nested tables before it can be read — that is the
 * "two-dimensional" walk the CPU does on every TLB miss in the guest.
 * OSTEP appendix B (VMMs and memory), ch. 20 (multi-level page tables).
 */
#include "kernel/virt/nested_paging.h"
#include "kernel/mm/layout.h"
#include "kernel/mm/page_table.h"
#include "kernel/mm/pmm.h"
#include "lib/errno.h"
#include "lib/string.h"

#define NESTED_FLAGS (PTE_PRESENT | PTE_WRITABLE | PTE_USER)
#define GUEST_PAGE_SIZE_BIT (1UL << 7) /* PS: a 1 GiB (PDPT) or 2 MiB (PD) leaf */

int guest_memory_create(struct guest_memory *memory, uint64_t bytes)
{
    memory->nested_root = 0;
    memory->bytes = 0;
    if (bytes == 0 || bytes % PAGE_SIZE != 0 || bytes > VM_MEMORY_MAX)
        return -EINVAL;
    memory->nested_root = page_table_create();
    if (!memory->nested_root)
        return -ENOMEM;
    for (uint64_t address = 0; address < bytes; address += PAGE_SIZE) {
        uint64_t frame = pmm_alloc_zeroed();
        if (!frame || page_table_map(memory->nested_root, address, frame, NESTED_FLAGS) < 0) {
            if (frame)
                pmm_unref(frame);
            guest_memory_destroy(memory);
            return -ENOMEM;
        }
        memory->bytes = address + PAGE_SIZE; /* what destroy must undo */
    }
    return 0;
}

void guest_memory_destroy(struct guest_memory *memory)
{
    if (!memory->nested_root)
        return;
    for (uint64_t address = 0; address < memory->bytes; address += PAGE_SIZE) {
        uint64_t frame = page_table_unmap(memory->nested_root, address);
        if (frame)
            pmm_unref(frame);
    }
    page_table_free_tables(memory->nested_root, 0, PAGE_TABLE_ENTRIES - 1);
    pmm_unref(memory->nested_root);
    memory->nested_root = 0;
    memory->bytes = 0;
}

bool guest_memory_translate(const struct guest_memory *memory, uint64_t guest_physical,
                            uint64_t *host_physical)
{
    if (!memory->nested_root || guest_physical >= memory->bytes)
        return false;
    return page_table_translate(memory->nested_root, guest_physical, host_physical);
}

/* Copies between guest-physical memory and a kernel buffer, a page at a time
 * (consecutive guest pages are rarely consecutive frames). */
static int copy_guest(const struct guest_memory *memory, uint64_t guest_physical, void *buffer,
                      size_t length, bool to_guest)
{
    uint8_t *bytes = buffer;
    while (length > 0) {
        uint64_t host;
        if (!guest_memory_translate(memory, guest_physical, &host))
            return -EFAULT;
        size_t chunk = PAGE_SIZE - (guest_physical & (PAGE_SIZE - 1));
        if (chunk > length)
            chunk = length;
        if (to_guest)
            memcpy(phys_to_virt(host), bytes, chunk);
        else
            memcpy(bytes, phys_to_virt(host), chunk);
        bytes += chunk;
        guest_physical += chunk;
        length -= chunk;
    }
    return 0;
}

int guest_memory_write(const struct guest_memory *memory, uint64_t guest_physical,
                       const void *source, size_t length)
{
    return copy_guest(memory, guest_physical, (void *)source, length, true);
}

int guest_memory_read(const struct guest_memory *memory, uint64_t guest_physical, void *destination,
                      size_t length)
{
    return copy_guest(memory, guest_physical, destination, length, false);
}

size_t guest_memory_table_frames(const struct guest_memory *memory)
{
    if (!memory->nested_root)
        return 0;
    return 1 + page_table_count_tables(memory->nested_root, 0, PAGE_TABLE_ENTRIES - 1);
}

/* The guest's long-mode walk of `address`; each table is read through the
 * nested tables. Returns the guest-physical address via walk->guest_physical. */
static void walk_guest_tables(const struct guest_memory *memory, uint64_t guest_cr3,
                              uint64_t address, struct vm_walk_info *walk)
{
    uint64_t table = guest_cr3 & PTE_ADDRESS_MASK;
    for (int level = PAGE_TABLE_LEVELS; level >= 1; level--) {
        unsigned index = page_table_index(address, level);
        uint64_t host_table, entry = 0;
        int step = walk->guest_step_count;
        bool readable = guest_memory_translate(memory, table, &host_table) &&
                        guest_memory_read(memory, table + index * 8, &entry, 8) == 0;
        walk->guest_steps[step] =
            (struct vm_walk_step){.level = level, .index = index, .table = table, .entry = entry};
        walk->guest_table_host[step] = readable ? host_table : 0;
        walk->guest_step_count++;
        if (!readable || !(entry & PTE_PRESENT))
            return;
        bool leaf = level == 1 || ((level == 2 || level == 3) && (entry & GUEST_PAGE_SIZE_BIT));
        if (leaf) {
            uint64_t page_size = 1UL << (12 + 9 * (level - 1));
            uint64_t base = entry & PTE_ADDRESS_MASK & ~(page_size - 1);
            walk->guest_mapped = 1;
            walk->guest_physical = base + (address & (page_size - 1));
            return;
        }
        table = entry & PTE_ADDRESS_MASK;
    }
}

void guest_memory_walk(const struct guest_memory *memory, bool guest_paging, uint64_t guest_cr3,
                       uint64_t address, struct vm_walk_info *walk)
{
    memset(walk, 0, sizeof(*walk));
    walk->guest_cr3 = guest_cr3;
    walk->guest_paging = guest_paging;
    if (guest_paging) {
        walk_guest_tables(memory, guest_cr3, address, walk);
        if (!walk->guest_mapped)
            return;
    } else {
        walk->guest_mapped = 1;
        walk->guest_physical = address;
    }
    if (!memory->nested_root)
        return;
    struct page_walk nested;
    page_table_walk(memory->nested_root, walk->guest_physical, &nested);
    for (int i = 0; i < nested.step_count; i++)
        walk->nested_steps[i] = (struct vm_walk_step){.level = nested.steps[i].level,
                                                      .index = nested.steps[i].index,
                                                      .table = nested.steps[i].table,
                                                      .entry = nested.steps[i].entry};
    walk->nested_step_count = nested.step_count;
    /* Beyond guest RAM nothing is mapped, whatever the tables hold. */
    walk->nested_mapped = nested.mapped && walk->guest_physical < memory->bytes;
    walk->host_physical = walk->nested_mapped ? nested.physical_address : 0;
}

int guest_memory_read_virtual(const struct guest_memory *memory, bool guest_paging,
                              uint64_t guest_cr3, uint64_t address, void *destination,
                              size_t length)
{
    uint8_t *bytes = destination;
    while (length > 0) {
        uint64_t guest_physical = address;
        if (guest_paging) {
            struct vm_walk_info walk;
            memset(&walk, 0, sizeof(walk));
            walk_guest_tables(memory, guest_cr3, address, &walk);
            if (!walk.guest_mapped)
                return -EFAULT;
            guest_physical = walk.guest_physical;
        }
        size_t chunk = PAGE_SIZE - (address & (PAGE_SIZE - 1));
        if (chunk > length)
            chunk = length;
        if (guest_memory_read(memory, guest_physical, bytes, chunk) < 0)
            return -EFAULT;
        bytes += chunk;
        address += chunk;
        length -= chunk;
    }
    return 0;
}
