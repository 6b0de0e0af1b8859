/*
 * kernel_stack.c — kernel stacks in their own region, each with a guard page.
 *
 * Stacks live at KERNEL_STACKS_BASE in fixed-size slots: one unmapped guard
 * page, then KERNEL_STACK_SIZE of mapped memory. A kernel stack overflow runs
 * into the guard page and faults (reported as a double fault, which runs on
 * its own IST stack) instead of silently overwriting whatever lies below —
 * the classic way a kernel bug corrupts another process. Slots are reused
 * through a free list threaded through an array of slot numbers.
 * OSTEP ch. 6 (the kernel stack).
 */
#include "kernel/proc/kernel_stack.h"
#include "kernel/arch/x86_64/instructions.h"
#include "kernel/mm/kmalloc.h"
#include "kernel/mm/layout.h"
#include "kernel/mm/page_table.h"
#include "kernel/mm/pmm.h"
#include "kernel/mm/vm_kernel.h"

#define SLOT_SIZE (KERNEL_STACK_SIZE + PAGE_SIZE) /* guard page + stack */
/* New slots are taken only when none is free, so the number of slots ever
 * used is the largest number of stacks alive at once: bounded by maxproc. */
#define MAX_SLOTS 4100

static uint32_t next_unused_slot;
static uint32_t free_slots[MAX_SLOTS];
static uint32_t free_slot_count;

static uint64_t slot_bottom(uint32_t slot)
{
    return KERNEL_STACKS_BASE + (uint64_t)slot * SLOT_SIZE + PAGE_SIZE; /* above the guard */
}

static void unmap_stack_pages(uint64_t bottom, uint64_t end)
{
    for (uint64_t page = bottom; page < end; page += PAGE_SIZE) {
        uint64_t frame = page_table_unmap(vm_kernel_pml4(), page);
        if (frame)
            pmm_unref(frame);
        invlpg(page);
    }
}

uint64_t kernel_stack_alloc(void)
{
    uint32_t slot;
    if (free_slot_count > 0)
        slot = free_slots[--free_slot_count];
    else if (next_unused_slot < MAX_SLOTS)
        slot = next_unused_slot++;
    else
        return 0;
    uint64_t bottom = slot_bottom(slot);
    for (uint64_t page = bottom; page < bottom + KERNEL_STACK_SIZE; page += PAGE_SIZE) {
        uint64_t frame = pmm_alloc();
        if (!frame || page_table_map(vm_kernel_pml4(), page, frame,
                                     PTE_WRITABLE | PTE_NO_EXECUTE | PTE_GLOBAL) < 0) {
            if (frame)
                pmm_unref(frame);
            unmap_stack_pages(bottom, page);
            free_slots[free_slot_count++] = slot;
            return 0;
        }
    }
    return bottom + KERNEL_STACK_SIZE;
}

void kernel_stack_free(uint64_t top)
{
    uint64_t bottom = top - KERNEL_STACK_SIZE;
    uint32_t slot = (uint32_t)((bottom - PAGE_SIZE - KERNEL_STACKS_BASE) / SLOT_SIZE);
    unmap_stack_pages(bottom, top);
    free_slots[free_slot_count++] = slot;
}
