/*
 * kmalloc.h — the kernel's general-purpose allocator for objects of any size.
 *
 * Process control blocks, open-file tables and other variable-size kernel
 * objects come from here; whole frames come from the pmm instead. One heap
 * spans KERNEL_HEAP_BASE .. KERNEL_HEAP_LIMIT and is backed by fresh frames as
 * it grows. There is no lock yet (one CPU): call it from process context only,
 * never from an interrupt handler.
 * OSTEP ch. 14 (Interlude: Memory API) and ch. 17 (Free-Space Management).
 */
#ifndef PRISM_KERNEL_MM_KMALLOC_H
#define PRISM_KERNEL_MM_KMALLOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Sets up the empty kernel heap; after pmm_init and after paging can map pages. */
void kmalloc_init(void);

void *kmalloc(size_t size); /* 16-byte aligned, or NULL when memory runs out */
void *kzalloc(size_t size); /* as kmalloc, cleared to zero */
void kfree(void *ptr);      /* NULL is ignored; a bad pointer panics */
bool kmalloc_check(void);   /* verifies every block of the kernel heap */
size_t kmalloc_bytes_in_use(void);
size_t kmalloc_heap_frames(void); /* frames backing the heap; it never shrinks */

/*
 * Implemented by the paging code: maps `bytes` (a multiple of 4096) of fresh,
 * writable, kernel-only frames at old_end in the kernel heap range; false when
 * frames run out (anything already mapped by this call is undone).
 */
bool vm_kernel_heap_grow(uintptr_t old_end, size_t bytes);

#endif
