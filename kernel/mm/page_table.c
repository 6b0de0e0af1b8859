/*
 * page_table.c — building and reading four-level x86-64 page tables.
 *
 * Every table is one 4 KiB frame from the frame allocator, reached through the
 * direct map. Intermediate entries are as permissive as the hardware allows
 * (present, writable, and user if the final page is a user page): the CPU ANDs
 * the permissions of all levels, so the leaf entry alone decides what a page
 * allows. No-execute is only ever set on leaves. Rule for callers: this code
 * does not flush the TLB; whoever changes a live mapping does.
 * OSTEP ch. 20 (Paging: Smaller Tables).
 */
#include "kernel/mm/page_table.h"
#include "kernel/mm/layout.h"
#include "kernel/mm/pmm.h"
#include "lib/errno.h"

static uint64_t supported_flags_mask = ~0ULL;

void page_table_set_no_execute_supported(bool supported)
{
    supported_flags_mask = supported ? ~0ULL : ~PTE_NO_EXECUTE;
}

static uint64_t *table_at(uint64_t physical_address)
{
    return phys_to_virt(physical_address & PTE_ADDRESS_MASK);
}

uint64_t page_table_create(void)
{
    return pmm_alloc_zeroed();
}

/* Follows (and if `create`, builds) the tables from the PML4 down to the
 * table at `target_level`; returns that table or NULL. */
static uint64_t *descend(uint64_t pml4, uint64_t virtual_address, int target_level, bool create,
                         uint64_t intermediate_flags)
{
    /* LAB pagetable BEGIN: stub
    // TODO(pagetable): walk from the PML4 down to the table at target_level,
    // creating missing tables when `create` (zeroed; present, writable and
    // intermediate_flags). NULL if a table is missing or a huge page is in the way.
    (void)pml4;
    (void)virtual_address;
    (void)target_level;
    (void)create;
    (void)intermediate_flags;
    return NULL;
    */
    uint64_t *table = table_at(pml4);
    for (int level = PAGE_TABLE_LEVELS; level > target_level; level--) {
        uint64_t *entry = &table[page_table_index(virtual_address, level)];
        if (!(*entry & PTE_PRESENT)) {
            if (!create)
                return NULL;
            uint64_t frame = pmm_alloc_zeroed();
            if (!frame)
                return NULL;
            *entry = frame | PTE_PRESENT | PTE_WRITABLE | intermediate_flags;
        } else if (*entry & PTE_HUGE) {
            return NULL; /* a huge page sits where a table was wanted */
        } else {
            *entry |= intermediate_flags;
        }
        table = table_at(*entry);
    }
    return table;
    /* LAB pagetable END */
}

static int map_at_level(uint64_t pml4, uint64_t virtual_address, uint64_t physical_address,
                        uint64_t flags, int level, uint64_t alignment)
{
    /* LAB pagetable BEGIN: stub
    // TODO(pagetable): -EINVAL if unaligned; descend (creating tables) to
    // `level`; -ENOMEM if that fails, -EEXIST if the entry is present; else
    // write physical_address | flags | PTE_PRESENT (& supported_flags_mask).
    (void)pml4;
    (void)virtual_address;
    (void)physical_address;
    (void)flags;
    (void)level;
    (void)alignment;
    (void)supported_flags_mask;
    (void)descend;
    return -ENOSYS;
    */
    if ((virtual_address | physical_address) & (alignment - 1))
        return -EINVAL;
    uint64_t *table = descend(pml4, virtual_address, level, true, flags & PTE_USER);
    if (!table)
        return -ENOMEM;
    uint64_t *entry = &table[page_table_index(virtual_address, level)];
    if (*entry & PTE_PRESENT)
        return -EEXIST;
    *entry = physical_address | ((flags | PTE_PRESENT) & supported_flags_mask);
    return 0;
    /* LAB pagetable END */
}

int page_table_map(uint64_t pml4, uint64_t virtual_address, uint64_t physical_address,
                   uint64_t flags)
{
    return map_at_level(pml4, virtual_address, physical_address, flags & ~PTE_HUGE, 1, PAGE_SIZE);
}

int page_table_map_huge(uint64_t pml4, uint64_t virtual_address, uint64_t physical_address,
                        uint64_t flags)
{
    return map_at_level(pml4, virtual_address, physical_address, flags | PTE_HUGE, 2,
                        HUGE_PAGE_SIZE);
}

uint64_t *page_table_find_entry(uint64_t pml4, uint64_t virtual_address)
{
    /* LAB pagetable BEGIN: stub
    // TODO(pagetable): the leaf entry for the address (level 1, or level 2 for a
    // huge page), or NULL if a table on the way is not present.
    (void)pml4;
    (void)virtual_address;
    return NULL;
    */
    uint64_t *table = table_at(pml4);
    for (int level = PAGE_TABLE_LEVELS; level >= 1; level--) {
        uint64_t *entry = &table[page_table_index(virtual_address, level)];
        if (level == 1 || (level == 2 && (*entry & PTE_HUGE)))
            return entry;
        if (!(*entry & PTE_PRESENT))
            return NULL;
        table = table_at(*entry);
    }
    return NULL;
    /* LAB pagetable END */
}

uint64_t page_table_unmap(uint64_t pml4, uint64_t virtual_address)
{
    /* LAB pagetable BEGIN: stub
    // TODO(pagetable): clear a present 4 KiB entry and return its frame (else 0)
    (void)pml4;
    (void)virtual_address;
    return 0;
    */
    uint64_t *entry = page_table_find_entry(pml4, virtual_address);
    if (!entry || !(*entry & PTE_PRESENT) || (*entry & PTE_HUGE))
        return 0;
    uint64_t frame = *entry & PTE_ADDRESS_MASK;
    *entry = 0;
    return frame;
    /* LAB pagetable END */
}

int page_table_set_flags(uint64_t pml4, uint64_t virtual_address, uint64_t flags)
{
    uint64_t *entry = page_table_find_entry(pml4, virtual_address);
    if (!entry || !(*entry & PTE_PRESENT) || (*entry & PTE_HUGE))
        return -ENOENT;
    *entry = (*entry & PTE_ADDRESS_MASK) | ((flags | PTE_PRESENT) & supported_flags_mask);
    return 0;
}

void page_table_walk(uint64_t pml4, uint64_t virtual_address, struct page_walk *walk)
{
    /* LAB pagetable BEGIN: stub
    // TODO(pagetable): record each level visited (level, index, table, raw
    // entry) from the PML4 down; stop at a non-present entry or the leaf,
    // where mapped and physical_address are set.
    (void)pml4;
    (void)virtual_address;
    walk->step_count = 0;
    walk->mapped = false;
    walk->physical_address = 0;
    */
    uint64_t table = pml4;
    walk->step_count = 0;
    walk->mapped = false;
    walk->physical_address = 0;
    for (int level = PAGE_TABLE_LEVELS; level >= 1; level--) {
        unsigned index = page_table_index(virtual_address, level);
        uint64_t entry = table_at(table)[index];
        walk->steps[walk->step_count++] =
            (struct page_walk_step){.level = level, .index = index, .table = table, .entry = entry};
        if (!(entry & PTE_PRESENT))
            return;
        bool huge_leaf = level == 2 && (entry & PTE_HUGE);
        if (level == 1 || huge_leaf) {
            uint64_t page_size = huge_leaf ? HUGE_PAGE_SIZE : PAGE_SIZE;
            uint64_t base = entry & PTE_ADDRESS_MASK & ~(page_size - 1);
            walk->mapped = true;
            walk->physical_address = base + (virtual_address & (page_size - 1));
            return;
        }
        table = entry & PTE_ADDRESS_MASK;
    }
    /* LAB pagetable END */
}

bool page_table_translate(uint64_t pml4, uint64_t virtual_address, uint64_t *physical_out)
{
    struct page_walk walk;
    page_table_walk(pml4, virtual_address, &walk);
    if (walk.mapped && physical_out)
        *physical_out = walk.physical_address;
    return walk.mapped;
}

static bool visit_table(uint64_t table, int level, uint64_t base, page_table_visitor visit,
                        void *context, bool absent_leaves)
{
    uint64_t *entries = table_at(table);
    uint64_t span = 1UL << (12 + 9 * (level - 1)); /* bytes one entry covers */
    for (unsigned i = 0; i < PAGE_TABLE_ENTRIES; i++) {
        bool absent_leaf = level == 1 && absent_leaves && entries[i] != 0;
        if ((!(entries[i] & PTE_PRESENT) && !absent_leaf) || (entries[i] & PTE_HUGE))
            continue;
        uint64_t address = base + i * span;
        bool keep_going = level == 1 ? visit(address, &entries[i], context)
                                     : visit_table(entries[i] & PTE_ADDRESS_MASK, level - 1,
                                                   address, visit, context, absent_leaves);
        if (!keep_going)
            return false;
    }
    return true;
}

static bool visit_tree(uint64_t pml4, unsigned first_pml4_index, unsigned last_pml4_index,
                       page_table_visitor visit, void *context, bool absent_leaves)
{
    uint64_t *top = table_at(pml4);
    for (unsigned i = first_pml4_index; i <= last_pml4_index && i < PAGE_TABLE_ENTRIES; i++) {
        if (!(top[i] & PTE_PRESENT))
            continue;
        uint64_t base = (uint64_t)i << 39;
        if (i >= 256)
            base |= 0xffff000000000000UL; /* sign-extend: canonical upper half */
        if (!visit_table(top[i] & PTE_ADDRESS_MASK, PAGE_TABLE_LEVELS - 1, base, visit, context,
                         absent_leaves))
            return false;
    }
    return true;
}

bool page_table_visit(uint64_t pml4, unsigned first_pml4_index, unsigned last_pml4_index,
                      page_table_visitor visit, void *context)
{
    return visit_tree(pml4, first_pml4_index, last_pml4_index, visit, context, false);
}

bool page_table_visit_leaves(uint64_t pml4, unsigned first_pml4_index, unsigned last_pml4_index,
                             page_table_visitor visit, void *context)
{
    return visit_tree(pml4, first_pml4_index, last_pml4_index, visit, context, true);
}

uint64_t *page_table_entry_create(uint64_t pml4, uint64_t virtual_address)
{
    uint64_t *table = descend(pml4, virtual_address, 1, true, PTE_USER);
    return table ? &table[page_table_index(virtual_address, 1)] : NULL;
}

/* A swap entry is not present but keeps its table alive. */
static bool table_is_empty(const uint64_t *entries)
{
    for (unsigned i = 0; i < PAGE_TABLE_ENTRIES; i++)
        if (entries[i] != 0)
            return false;
    return true;
}

/* Prunes below `table` (at `level`, covering addresses from `base`); returns
 * true if the table itself ended up empty. */
static bool prune_tree(uint64_t table, int level, uint64_t base, uint64_t start, uint64_t end)
{
    uint64_t *entries = table_at(table);
    uint64_t span = 1UL << (12 + 9 * (level - 1));
    for (unsigned i = 0; level > 1 && i < PAGE_TABLE_ENTRIES; i++) {
        uint64_t entry_start = base + i * span;
        bool overlaps = entry_start < end && entry_start + span > start;
        bool is_table = (entries[i] & PTE_PRESENT) && !(entries[i] & PTE_HUGE);
        if (overlaps && is_table &&
            prune_tree(entries[i] & PTE_ADDRESS_MASK, level - 1, entry_start, start, end)) {
            pmm_unref(entries[i] & PTE_ADDRESS_MASK);
            entries[i] = 0;
        }
    }
    return table_is_empty(entries);
}

void page_table_prune(uint64_t pml4, uint64_t start, uint64_t end)
{
    if (end > USER_HALF_END)
        end = USER_HALF_END;
    uint64_t *top = table_at(pml4);
    for (unsigned i = page_table_index(start, 4); start < end && i < 256; i++) {
        uint64_t base = (uint64_t)i << 39;
        if (base >= end)
            break;
        if ((top[i] & PTE_PRESENT) &&
            prune_tree(top[i] & PTE_ADDRESS_MASK, PAGE_TABLE_LEVELS - 1, base, start, end)) {
            pmm_unref(top[i] & PTE_ADDRESS_MASK);
            top[i] = 0;
        }
    }
}

static size_t count_table_tree(uint64_t table, int level)
{
    size_t count = 1;
    uint64_t *entries = table_at(table);
    for (unsigned i = 0; level > 1 && i < PAGE_TABLE_ENTRIES; i++)
        if ((entries[i] & PTE_PRESENT) && !(entries[i] & PTE_HUGE))
            count += count_table_tree(entries[i] & PTE_ADDRESS_MASK, level - 1);
    return count;
}

size_t page_table_count_tables(uint64_t pml4, unsigned first_pml4_index, unsigned last_pml4_index)
{
    uint64_t *top = table_at(pml4);
    size_t count = 0;
    for (unsigned i = first_pml4_index; i <= last_pml4_index && i < PAGE_TABLE_ENTRIES; i++)
        if (top[i] & PTE_PRESENT)
            count += count_table_tree(top[i] & PTE_ADDRESS_MASK, PAGE_TABLE_LEVELS - 1);
    return count;
}

static void free_table_tree(uint64_t table, int level)
{
    uint64_t *entries = table_at(table);
    if (level > 1) {
        for (unsigned i = 0; i < PAGE_TABLE_ENTRIES; i++) {
            bool points_to_table = (entries[i] & PTE_PRESENT) && !(entries[i] & PTE_HUGE);
            if (points_to_table)
                free_table_tree(entries[i] & PTE_ADDRESS_MASK, level - 1);
        }
    }
    pmm_unref(table);
}

void page_table_free_tables(uint64_t pml4, unsigned first_pml4_index, unsigned last_pml4_index)
{
    uint64_t *top = table_at(pml4);
    for (unsigned i = first_pml4_index; i <= last_pml4_index && i < PAGE_TABLE_ENTRIES; i++) {
        if (top[i] & PTE_PRESENT)
            free_table_tree(top[i] & PTE_ADDRESS_MASK, PAGE_TABLE_LEVELS - 1);
        top[i] = 0;
    }
}
