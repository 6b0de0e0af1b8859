/*
 * vm_kernel.h — the kernel's own half of every address space.
 * OSTEP ch. 18-20 (Paging): the kernel is mapped into every process, but only
 * kernel-mode code may touch it.
 */
#ifndef PRISM_KERNEL_MM_VM_KERNEL_H
#define PRISM_KERNEL_MM_VM_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Replaces boot.asm's page tables: kernel text read-only and executable,
 * rodata read-only, data no-execute, a direct map of physical memory up to
 * `physical_end` with page 0 left unmapped, and no identity map. */
void vm_kernel_init(uint64_t physical_end, bool no_execute_supported);

/* Physical address of the kernel's top-level table (CR3 when no process). */
uint64_t vm_kernel_pml4(void);

/* Frames the kernel's own page tables use (they grow with the heap and with
 * the number of kernel stacks, and are kept for reuse). */
size_t vm_kernel_table_frames(void);

/* Grows the kernel heap: maps `bytes` of fresh frames at `old_end`. */
bool vm_kernel_heap_grow(uintptr_t old_end, size_t bytes);

#endif
