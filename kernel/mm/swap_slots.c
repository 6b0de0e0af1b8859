/*
 * swap_slots.c — reference-counted allocation of swap slots.
 *
 * Next fit: the search for a free slot starts after the last slot handed
 * out, so consecutive evictions land on consecutive slots (the disk reads
 * and writes nearby sectors) and a full scan happens only when swap is
 * nearly full. Invariant: used == number of slots whose count is non-zero.
 * OSTEP ch. 21.1 (Swap Space).
 */
#include "kernel/mm/swap_slots.h"
#include "kernel/panic.h"
#include "lib/errno.h"

static uint8_t *slot_counts;
static size_t slot_count;
static size_t slots_in_use;
static size_t next_slot;

void swap_slots_init(uint8_t *counts, size_t count)
{
    slot_counts = counts;
    slot_count = count;
    slots_in_use = 0;
    next_slot = 0;
    for (size_t i = 0; i < count; i++)
        counts[i] = 0;
}

long swap_slot_alloc(void)
{
    for (size_t tried = 0; tried < slot_count; tried++) {
        size_t slot = (next_slot + tried) % slot_count;
        if (slot_counts[slot] == 0) {
            slot_counts[slot] = 1;
            slots_in_use++;
            next_slot = (slot + 1) % slot_count;
            return (long)slot;
        }
    }
    return -ENOSPC;
}

static uint8_t *count_of_used(uint64_t slot, const char *caller)
{
    if (slot >= slot_count)
        panic("%s: swap slot %lu out of range (%lu slots)", caller, (unsigned long)slot,
              (unsigned long)slot_count);
    if (slot_counts[slot] == 0)
        panic("%s: swap slot %lu is free", caller, (unsigned long)slot);
    return &slot_counts[slot];
}

void swap_slot_ref(uint64_t slot)
{
    uint8_t *count = count_of_used(slot, "swap_slot_ref");
    if (*count == SWAP_SLOT_MAX_OWNERS)
        panic("swap_slot_ref: swap slot %lu has too many owners", (unsigned long)slot);
    (*count)++;
}

void swap_slot_unref(uint64_t slot)
{
    uint8_t *count = count_of_used(slot, "swap_slot_unref");
    if (--*count == 0)
        slots_in_use--;
}

unsigned swap_slot_owners(uint64_t slot)
{
    return slot < slot_count ? slot_counts[slot] : 0;
}

size_t swap_slots_total(void)
{
    return slot_count;
}

size_t swap_slots_used(void)
{
    return slots_in_use;
}
