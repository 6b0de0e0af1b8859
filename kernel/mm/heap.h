/*
 * heap.h — a variable-size allocator over one region that grows upward.
 *
 * The heap knows nothing about page tables: when it runs out of room it asks
 * its grow callback to make more of the region usable, a page at a time. The
 * kernel's kmalloc wraps one heap; host tests drive another over a buffer.
 * OSTEP ch. 17 (Free-Space Management).
 */
#ifndef PRISM_KERNEL_MM_HEAP_H
#define PRISM_KERNEL_MM_HEAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct heap_free_block; /* private to heap.c */

/*
 * Blocks tile [start, end) with no gaps; [end, limit) is not yet usable.
 * Callers hold a struct heap but touch it only through the functions below.
 */
struct heap {
    uintptr_t start;
    uintptr_t end;
    uintptr_t limit;
    /* Make `bytes` (a multiple of 4096) usable at old_end; false if it cannot. */
    bool (*grow)(uintptr_t old_end, size_t bytes);
    struct heap_free_block *free_list;
    size_t bytes_in_use; /* sum of the sizes asked for by live allocations */
};

/* start and limit are rounded inward to 4 KiB; the heap starts empty. */
void heap_init(struct heap *heap, uintptr_t start, uintptr_t limit,
               bool (*grow)(uintptr_t old_end, size_t bytes));

/*
 * A 16-byte aligned block of at least `size` bytes (size 0 gives a unique,
 * freeable block), or NULL when the region cannot grow or size is absurd.
 */
void *heap_alloc(struct heap *heap, size_t size);

/*
 * Returns a block and merges it with free neighbours. NULL is ignored. Panics
 * on a pointer heap_alloc never returned, a double free, or a block whose
 * header or end marker was overwritten (a buffer overrun).
 */
void heap_free(struct heap *heap, void *ptr);

/* Walks every block and the free list and verifies the invariants; never panics. */
bool heap_check(const struct heap *heap);

size_t heap_bytes_in_use(const struct heap *heap);

#endif
