/*
 * nested_paging.h — guest memory: guest-physical pages backed by Prism frames.
 *
 * With nested paging the CPU translates twice: the guest's own page tables
 * take a guest-virtual address to a guest-physical one, and the nested page
 * table (the hypervisor's, rooted at the VMCB's nested CR3) takes that to a
 * host-physical frame. AMD's nested tables have exactly the format of an
 * ordinary long-mode page table, so they are built with kernel/mm/page_table.c
 * over frames from kernel/mm/pmm.c. Every entry carries U: the CPU treats a
 * nested walk as a user access. Guest RAM is [0, bytes), allocated up front
 * (a guest cannot take a page fault it does not know about), and every frame
 * and table goes back to the allocator when the VM ends.
 * Runs unchanged over simulated memory in host tests (test_nested_paging.c).
 * OSTEP appendix B (VMMs: "the VMM's page table maps guest-physical to
 * machine memory"), ch. 20 (multi-level page tables).
 */
#ifndef PRISM_KERNEL_VIRT_NESTED_PAGING_H
#define PRISM_KERNEL_VIRT_NESTED_PAGING_H

#include "lib/vm_abi.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct guest_memory {
    uint64_t nested_root; /* host-physical address of the nested PML4 */
    uint64_t bytes;       /* guest RAM: guest-physical [0, bytes) */
};

/* Allocates and maps `bytes` (a multiple of 4 KiB, > 0) of zeroed guest RAM.
 * 0, -EINVAL for a bad size, or -ENOMEM (then nothing stays allocated). */
int guest_memory_create(struct guest_memory *memory, uint64_t bytes);

/* Frees every frame and nested table; memory is empty afterwards. */
void guest_memory_destroy(struct guest_memory *memory);

/* Guest-physical to host-physical through the nested tables. */
bool guest_memory_translate(const struct guest_memory *memory, uint64_t guest_physical,
                            uint64_t *host_physical);

/* Copies into / out of guest-physical memory (across page boundaries);
 * -EFAULT if any byte is outside guest RAM. */
int guest_memory_write(const struct guest_memory *memory, uint64_t guest_physical,
                       const void *source, size_t length);
int guest_memory_read(const struct guest_memory *memory, uint64_t guest_physical, void *destination,
                      size_t length);

/* Frames the nested tables use, their PML4 included. */
size_t guest_memory_table_frames(const struct guest_memory *memory);

/* The two-dimensional walk of `address`: when guest_paging, through the
 * guest's tables at guest CR3 `guest_cr3` (each read through the nested
 * tables), then the guest-physical result through the nested tables. */
void guest_memory_walk(const struct guest_memory *memory, bool guest_paging, uint64_t guest_cr3,
                       uint64_t address, struct vm_walk_info *walk);

/* Reads guest-virtual memory as the guest sees it (for decoding the
 * instruction at rip); -EFAULT if a page is not mapped for the guest. */
int guest_memory_read_virtual(const struct guest_memory *memory, bool guest_paging,
                              uint64_t guest_cr3, uint64_t address, void *destination,
                              size_t length);

#endif
