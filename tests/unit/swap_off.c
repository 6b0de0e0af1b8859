/*
 * swap_off.c — the swapper as host tests of the memory code see it: no disk.
 *
 * address_space.c and page_fault.c call into kernel/mm/swap.c at a handful
 * of points; a machine without a swap disk makes each of them a no-op (no
 * page is ever tracked, evicted or swapped), which is what these stand-ins
 * do, so the memory code's host tests run exactly the swap-off kernel path.
 * OSTEP ch. 21 (a system without swap space).
 */
#include "kernel/mm/swap.h"

bool swap_enabled(void)
{
    return false;
}

size_t swap_total_slots(void)
{
    return 0;
}

int swap_make_room(struct address_space *as)
{
    (void)as;
    return 0;
}

void swap_track(struct address_space *as, uint64_t address, uint64_t frame)
{
    (void)as;
    (void)address;
    (void)frame;
}

void swap_untrack(uint64_t frame)
{
    (void)frame;
}

void swap_forget_space(struct address_space *as)
{
    (void)as;
}

void swap_release_entry(uint64_t entry)
{
    (void)entry;
}

void swap_share_entry(uint64_t entry)
{
    (void)entry;
}
