/*
 * swap_entry.h — how a page-table entry says "this page is on the swap disk".
 *
 * The seam between the page-fault path and the swapper: a leaf entry that is
 * not present but not zero is a swap entry. The MMU ignores every other bit
 * of a non-present entry, so the kernel may keep the slot number there: bits
 * 12-51 (where a present entry holds the frame) hold the slot, and software
 * bit 10 marks the entry as a swap entry so that slot 0 is not the empty
 * entry 0. Zero still means "never touched" (demand-zero or nothing).
 * Header-only, so host tests and the pagewalk tool decode entries the same way.
 * OSTEP ch. 21.2 (The Present Bit) and 21.3 (The Page Fault).
 */
#ifndef PRISM_KERNEL_MM_SWAP_ENTRY_H
#define PRISM_KERNEL_MM_SWAP_ENTRY_H

#include <stdbool.h>
#include <stdint.h>

#define SWAP_ENTRY_MARK (1UL << 10)
#define SWAP_ENTRY_SLOT_SHIFT 12
#define SWAP_ENTRY_MAX_SLOT ((1UL << 40) - 1)

static inline bool swap_entry_is_swapped(uint64_t entry)
{
    return !(entry & 1) && (entry & SWAP_ENTRY_MARK);
}

static inline uint64_t swap_entry_make(uint64_t slot)
{
    return (slot << SWAP_ENTRY_SLOT_SHIFT) | SWAP_ENTRY_MARK;
}

static inline uint64_t swap_entry_slot(uint64_t entry)
{
    return (entry >> SWAP_ENTRY_SLOT_SHIFT) & SWAP_ENTRY_MAX_SLOT;
}

#endif
