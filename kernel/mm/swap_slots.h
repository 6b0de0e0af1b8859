/*
 * swap_slots.h — which page-sized slots of the swap disk are in use.
 *
 * The swap disk is an array of slots, one page (8 sectors) each. A slot has
 * a reference count like a frame: eviction takes a free slot (count 1), fork
 * shares a swapped page between parent and child (count 2), and the slot is
 * free again when the last page-table entry naming it is gone (page-in,
 * exit, exec, sbrk shrinking). The counts live in an array the caller
 * provides, so host tests drive the same code over a buffer.
 * OSTEP ch. 21.1 (Swap Space).
 */
#ifndef PRISM_KERNEL_MM_SWAP_SLOTS_H
#define PRISM_KERNEL_MM_SWAP_SLOTS_H

#include <stddef.h>
#include <stdint.h>

#define SWAP_SLOT_MAX_OWNERS 255

/* Starts with every one of `count` slots free; counts[] holds one byte per slot. */
void swap_slots_init(uint8_t *counts, size_t count);

/* A free slot (next fit after the last one handed out), count 1; -ENOSPC when full. */
long swap_slot_alloc(void);
/* Add or drop an owner; both panic on a slot out of range or already free. */
void swap_slot_ref(uint64_t slot);
void swap_slot_unref(uint64_t slot);
unsigned swap_slot_owners(uint64_t slot);

size_t swap_slots_total(void);
size_t swap_slots_used(void);

#endif
