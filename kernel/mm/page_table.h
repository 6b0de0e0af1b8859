/*
 * page_table.h — x86-64 four-level page tables: map, unmap, look up, walk.
 *
 * A virtual address is split into four 9-bit indices (PML4, PDPT, PD, PT) and
 * a 12-bit offset; each level is a 4 KiB table of 512 entries holding the next
 * table's physical address plus permission flags. This module edits such
 * trees through the direct map and allocates their tables from the frame
 * allocator, so it runs unchanged over simulated memory in host tests.
 * OSTEP ch. 20 (Paging: Smaller Tables — multi-level page tables).
 */
#ifndef PRISM_KERNEL_MM_PAGE_TABLE_H
#define PRISM_KERNEL_MM_PAGE_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PTE_PRESENT (1UL << 0)
#define PTE_WRITABLE (1UL << 1)
#define PTE_USER (1UL << 2)
#define PTE_WRITE_THROUGH (1UL << 3)
#define PTE_CACHE_DISABLE (1UL << 4)
#define PTE_ACCESSED (1UL << 5)
#define PTE_DIRTY (1UL << 6)
#define PTE_HUGE (1UL << 7) /* in a PD: this entry maps 2 MiB directly */
#define PTE_GLOBAL (1UL << 8)
#define PTE_COPY_ON_WRITE (1UL << 9) /* software bit: shared after fork */
#define PTE_NO_EXECUTE (1UL << 63)
#define PTE_ADDRESS_MASK 0x000ffffffffff000UL
#define PTE_FLAGS_MASK (~PTE_ADDRESS_MASK)

#define PAGE_TABLE_LEVELS 4
#define PAGE_TABLE_ENTRIES 512
#define HUGE_PAGE_SIZE (2UL * 1024 * 1024)

/* Index of `virtual_address` in the table at `level` (4 = PML4 ... 1 = PT). */
static inline unsigned page_table_index(uint64_t virtual_address, int level)
{
    return (unsigned)(virtual_address >> (12 + 9 * (level - 1))) & 0x1ff;
}

/* Without NX support in the CPU, bit 63 is reserved and must stay clear. */
void page_table_set_no_execute_supported(bool supported);

/* A new, empty top-level table; returns its physical address or 0. */
uint64_t page_table_create(void);

/* Maps one 4 KiB page; allocates missing intermediate tables. Returns 0,
 * -ENOMEM, -EEXIST if already mapped, or -EINVAL for unaligned addresses. */
int page_table_map(uint64_t pml4, uint64_t virtual_address, uint64_t physical_address,
                   uint64_t flags);

/* Maps one 2 MiB page (both addresses 2 MiB aligned). */
int page_table_map_huge(uint64_t pml4, uint64_t virtual_address, uint64_t physical_address,
                        uint64_t flags);

/* The leaf entry for a 4 KiB page (or for a 2 MiB page), or NULL if a table
 * on the way is missing. The entry itself may be not-present. */
uint64_t *page_table_find_entry(uint64_t pml4, uint64_t virtual_address);

/* Removes a 4 KiB mapping; returns the physical frame it mapped, or 0. The
 * caller owns the frame (and the TLB flush). */
uint64_t page_table_unmap(uint64_t pml4, uint64_t virtual_address);

/* Replaces the flags of a mapped 4 KiB page; -ENOENT if not mapped. */
int page_table_set_flags(uint64_t pml4, uint64_t virtual_address, uint64_t flags);

/* Translates a virtual address; false if not mapped. */
bool page_table_translate(uint64_t pml4, uint64_t virtual_address, uint64_t *physical_out);

/* One step of a walk, for teaching tools (pagewalk) and debugging. */
struct page_walk_step {
    int level;      /* 4 = PML4, 3 = PDPT, 2 = PD, 1 = PT */
    unsigned index; /* which of the 512 entries */
    uint64_t table; /* physical address of the table */
    uint64_t entry; /* the entry's raw value */
};

struct page_walk {
    struct page_walk_step steps[PAGE_TABLE_LEVELS];
    int step_count;
    bool mapped;
    uint64_t physical_address;
};

void page_table_walk(uint64_t pml4, uint64_t virtual_address, struct page_walk *walk);

/* Calls visit(virtual address, leaf entry, context) for every present 4 KiB
 * leaf under PML4 entries [first, last]; stops early if visit returns false.
 * Skips empty tables, so cost follows what is mapped, not the range size. */
typedef bool (*page_table_visitor)(uint64_t virtual_address, uint64_t *entry, void *context);
bool page_table_visit(uint64_t pml4, unsigned first_pml4_index, unsigned last_pml4_index,
                      page_table_visitor visit, void *context);

/* As page_table_visit, but also for leaves that are not present yet not
 * zero: swap entries (swap_entry.h). */
bool page_table_visit_leaves(uint64_t pml4, unsigned first_pml4_index, unsigned last_pml4_index,
                             page_table_visitor visit, void *context);

/* The leaf entry for a 4 KiB user page, building missing tables; NULL when
 * memory runs out. For copying swap entries into a new space (fork). */
uint64_t *page_table_entry_create(uint64_t pml4, uint64_t virtual_address);

/* Frees page tables left with no non-zero entry inside [start, end) (user
 * half only), so unmapping a range gives back its tables too. */
void page_table_prune(uint64_t pml4, uint64_t start, uint64_t end);

/* Number of table frames (not counting the PML4 itself) below PML4 entries
 * [first, last]: what mapping that part of the space costs in page tables. */
size_t page_table_count_tables(uint64_t pml4, unsigned first_pml4_index, unsigned last_pml4_index);

/* Frees the tables (not the mapped frames) of entries [first, last] of the
 * PML4, then nothing else; the caller unmaps and releases frames first. */
void page_table_free_tables(uint64_t pml4, unsigned first_pml4_index, unsigned last_pml4_index);

#endif
