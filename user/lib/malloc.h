/*
 * malloc.h — the user heap: malloc, free, calloc, realloc.
 *
 * Memory comes from the kernel in large steps through sbrk(); freed blocks
 * go on a free list and are reused before the heap grows again. Every pointer
 * returned is 16-byte aligned. A request too large to represent, or one the
 * kernel refuses, returns NULL. free() of a pointer malloc never returned,
 * or a second free() of one, prints a message and ends the program (status
 * 134) rather than corrupting the heap. OSTEP ch. 14 (Memory API) and ch. 17
 * (free-space management).
 */
#ifndef PRISM_USER_LIB_MALLOC_H
#define PRISM_USER_LIB_MALLOC_H

#include <stddef.h>

void *malloc(size_t size);
void free(void *pointer);                /* NULL is ignored */
void *calloc(size_t count, size_t size); /* zeroed; NULL if count * size overflows */
/* NULL pointer: malloc(size). size 0: free(pointer), returns NULL. On failure
 * returns NULL and leaves the old block untouched. */
void *realloc(void *pointer, size_t size);

#endif
