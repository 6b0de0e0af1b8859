/*
 * address_space.h — one process's private view of memory.
 *
 * An address space is a page table (its own PML4, whose upper half is shared
 * with the kernel) plus a list of regions saying what may live where:
 * text, read-only data, data, heap, stack, each with its page permissions and
 * whether untouched pages are filled with zeros on first access. The page
 * tables say what *is* mapped; the regions say what *may be*. A page fault
 * inside a region is the kernel's job (demand-zero, copy-on-write: vm_fault.c);
 * outside any region it is the program's bug.
 * OSTEP ch. 13 (Address Spaces), 18-20 (Paging), 21-23 (beyond physical
 * memory: lazy allocation, copy-on-write in complete VM systems).
 */
#ifndef PRISM_KERNEL_MM_ADDRESS_SPACE_H
#define PRISM_KERNEL_MM_ADDRESS_SPACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define USER_STACK_LIMIT (8UL * 1024 * 1024) /* the stack may grow to 8 MiB */

enum region_kind { REGION_TEXT, REGION_RODATA, REGION_DATA, REGION_HEAP, REGION_STACK };

struct region {
    uint64_t start, end; /* page aligned, [start, end) */
    uint64_t page_flags; /* PTE_* for pages mapped in this region */
    enum region_kind kind;
    bool demand_zero; /* untouched pages appear on first access, zeroed */
};

/*
 * regions[0 .. region_count) is sorted by start and no two regions overlap
 * (an empty region, like a heap before the first sbrk, overlaps nothing).
 * The array grows as regions are added, so the number of regions is bounded
 * only by memory: exec may load as many segments as the ELF parser accepts.
 */
struct address_space {
    uint64_t pml4; /* physical address of the top-level table */
    struct region *regions;
    int region_count, region_capacity;
    uint64_t heap_start, heap_break; /* sbrk moves heap_break */
    bool swappable;                  /* pages may be evicted (false while exec builds it): swap.h */
    unsigned group_id; /* the container group its new frames are charged to; 0 = root */
};

struct address_space *as_create(void);
void as_destroy(struct address_space *as);
void as_activate(const struct address_space *as);

/* Adds [start, end) (page aligned, inside the user half, overlapping no
 * region); 0, -EINVAL or -ENOMEM. */
int as_add_region(struct address_space *as, uint64_t start, uint64_t end, uint64_t page_flags,
                  enum region_kind kind, bool demand_zero);
/* The region holding `address`, or NULL; a binary search. */
struct region *as_find_region(struct address_space *as, uint64_t address);

/* Maps a fresh zeroed frame at a page-aligned address with the flags of the
 * region it is in; returns its physical address in *frame_out. */
int as_map_zeroed_page(struct address_space *as, uint64_t address, uint64_t *frame_out);

/* A copy-on-write duplicate for fork; NULL when memory runs out. */
struct address_space *as_fork(struct address_space *parent);

/* Moves the heap break; returns the old break or -ENOMEM / -EINVAL. */
long as_sbrk(struct address_space *as, long increment);

/* Number of present pages in [start, end). */
size_t as_resident_pages(struct address_space *as, uint64_t start, uint64_t end);

const char *region_kind_name(enum region_kind kind);

#endif
