/*
 * kmalloc.c — binds the heap allocator to the kernel's heap range.
 *
 * All the free-list logic lives in heap.c (which host tests exercise); this
 * file only owns the one kernel heap and lets the paging code grow it.
 * OSTEP ch. 17 (Free-Space Management).
 */
#include "kernel/mm/kmalloc.h"

#include "kernel/mm/heap.h"
#include "kernel/mm/layout.h"

static struct heap kernel_heap;

void kmalloc_init(void)
{
    heap_init(&kernel_heap, KERNEL_HEAP_BASE, KERNEL_HEAP_LIMIT, vm_kernel_heap_grow);
}

void *kmalloc(size_t size)
{
    return heap_alloc(&kernel_heap, size);
}

void *kzalloc(size_t size)
{
    void *ptr = heap_alloc(&kernel_heap, size);
    if (ptr != NULL)
        __builtin_memset(ptr, 0, size);
    return ptr;
}

void kfree(void *ptr)
{
    heap_free(&kernel_heap, ptr);
}

bool kmalloc_check(void)
{
    return heap_check(&kernel_heap);
}

size_t kmalloc_bytes_in_use(void)
{
    return heap_bytes_in_use(&kernel_heap);
}

size_t kmalloc_heap_frames(void)
{
    return (kernel_heap.end - kernel_heap.start) / PAGE_SIZE;
}
