/*
 * vm.h — user-side wrappers for looking inside address spaces: vmmap and
 * pagewalk (see lib/syscall_abi.h for the structures). OSTEP ch. 13, 18-20.
 */
#ifndef PRISM_USER_LIB_VM_H
#define PRISM_USER_LIB_VM_H

#include "user/lib/prism.h"

/* Fills up to max regions of process pid (0 = this one); returns the count. */
static inline int vmmap(int pid, struct vm_region_info *regions, int max)
{
    return (int)syscall_raw(SYS_vmmap, pid, (long)regions, max, 0, 0, 0);
}

/* The page-table walk for `address` in process pid (0 = this one). */
static inline int pagewalk(int pid, unsigned long address, struct page_walk_info *info)
{
    return (int)syscall_raw(SYS_pagewalk, pid, (long)address, (long)info, 0, 0, 0);
}

static inline const char *vm_kind_name(unsigned kind)
{
    static const char *const names[] = {"text", "rodata", "data", "heap", "stack"};
    return kind <= VM_KIND_STACK ? names[kind] : "?";
}

/* Frames that are free or held by the kernel's own reusable structures (its
 * heap and page tables, which grow and are kept), less the swap slots in use:
 * a page of a live process written out to swap frees a frame and takes a
 * slot. This stays the same across a test run unless a frame or a slot
 * leaked. (Without a swap disk no slot is ever in use.) */
static inline unsigned long frames_accounted(void)
{
    struct mem_info info;
    meminfo(&info);
    struct swap_stats swap = {0};
    syscall_raw(SYS_swap, SWAP_STATS, 0, (long)&swap, 0, 0, 0);
    return info.free_frames + info.kernel_heap_frames + info.kernel_table_frames - swap.slots_used;
}

static inline unsigned long read_cycles(void)
{
    unsigned int low, high;
    __asm__ volatile("rdtsc" : "=a"(low), "=d"(high));
    return ((unsigned long)high << 32) | low;
}

#endif
