/*
 * layout.h — where everything lives in Prism's virtual address space.
 *
 * One table, one header: every other file asks here instead of writing an
 * address of its own. The lower half (0 .. 0x00007fffffffffff) belongs to the
 * running user process; the upper half is the kernel's and is identical in
 * every address space. OSTEP ch. 13 (Address Spaces) and ch. 18-20 (Paging).
 *
 *   0x0000000000000000  page 0, never mapped: NULL dereferences fault
 *   0x0000000000400000  user program text, data, bss, then heap (sbrk)
 *   0x00007fffffffe000  top of the user stack (grows down, guard below limit)
 *   0xffff800000000000  direct map: physical address P is at DIRECT_MAP_BASE+P
 *   0xffffc00000000000  kernel heap (kmalloc), grown a page at a time
 *   0xffffc80000000000  kernel stacks, each with an unmapped guard page below
 *   0xffffffff80000000  kernel image (linked here by -mcmodel=kernel)
 */
#ifndef PRISM_KERNEL_MM_LAYOUT_H
#define PRISM_KERNEL_MM_LAYOUT_H

#include <stdint.h>

#define PAGE_SIZE 4096UL
#define PAGE_SHIFT 12
#define PAGE_ROUND_DOWN(a) ((a) & ~(PAGE_SIZE - 1))
#define PAGE_ROUND_UP(a) (((a) + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1))

#define USER_TEXT_BASE 0x0000000000400000UL
#define USER_STACK_TOP 0x00007fffffffe000UL
#define USER_HALF_END 0x0000800000000000UL /* first address past user space */

#define KERNEL_HALF_START 0xffff800000000000UL
#define DIRECT_MAP_BASE 0xffff800000000000UL
#define KERNEL_HEAP_BASE 0xffffc00000000000UL
#define KERNEL_HEAP_LIMIT 0xffffc40000000000UL
#define KERNEL_STACKS_BASE 0xffffc80000000000UL
#define KERNEL_IMAGE_BASE 0xffffffff80000000UL

/*
 * direct_map_offset is what is added to a physical address to reach it.
 * The kernel sets it to DIRECT_MAP_BASE; host unit tests point it at a buffer
 * that stands in for physical memory, so the same code runs in both places.
 */
extern uintptr_t direct_map_offset;

static inline void *phys_to_virt(uint64_t phys)
{
    return (void *)(uintptr_t)(phys + direct_map_offset);
}

static inline uint64_t virt_to_phys(const void *virt)
{
    return (uint64_t)(uintptr_t)virt - direct_map_offset;
}

#endif
