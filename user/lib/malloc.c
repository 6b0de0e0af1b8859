/*
 * malloc.c — a first-fit free-list allocator on sbrk (OSTEP ch. 17).
 *
 * Every block, free or in use, starts with a 16-byte header holding its total
 * size (header included, a multiple of 16). Free blocks are linked through
 * the header in address order; keeping the order is what lets free() merge a
 * block with its neighbours (coalescing) in the same walk that inserts it.
 * malloc() takes the first block that is big enough and splits off its tail
 * when the rest is worth keeping. In-use blocks carry a magic value in place
 * of the link, which free() checks to catch double and invalid frees.
 * Invariants: free blocks never touch (they would have merged) and lie
 * inside [heap_low, heap_high), the range this allocator got from sbrk.
 */
#include "user/lib/malloc.h"
#include "lib/string.h"
#include "user/lib/prism.h"
#include "user/lib/stdio.h"

#include <stdbool.h>
#include <stdint.h>

#define ALIGNMENT 16
#define HEAP_STEP (64 * 1024)         /* grow by at least this much: fewer sbrk calls */
#define MAX_REQUEST ((size_t)1 << 46) /* larger than any user address space */
#define IN_USE_MAGIC ((struct block *)0xa110ca7edb10c000)

struct block {
    size_t size;        /* bytes, this header included */
    struct block *next; /* free: next free block by address; in use: IN_USE_MAGIC */
};

_Static_assert(sizeof(struct block) == ALIGNMENT, "payloads stay aligned");

#define MIN_BLOCK (sizeof(struct block) + ALIGNMENT) /* a header and 16 usable bytes */

static struct block *free_list; /* lowest address first */
static char *heap_low, *heap_high;

static size_t round_up(size_t value)
{
    return (value + ALIGNMENT - 1) & ~(size_t)(ALIGNMENT - 1);
}

static char *end_of(struct block *block)
{
    return (char *)block + block->size;
}

_Noreturn static void heap_misuse(const char *what, void *pointer)
{
    dprintf(STDERR_FILENO, "malloc: %s(%p): not a block from malloc, or freed twice\n", what,
            pointer);
    _exit(134); /* 128 + 6: what a Unix shell shows for abort() */
}

/* Puts block on the free list in address order, merging it with touching neighbours. */
static void insert_free(struct block *block)
{
    struct block *previous = NULL, *next = free_list;
    while (next != NULL && next < block) {
        previous = next;
        next = next->next;
    }
    if (next != NULL && end_of(block) == (char *)next) {
        block->size += next->size;
        next = next->next;
    }
    block->next = next;
    if (previous != NULL && end_of(previous) == (char *)block) {
        previous->size += block->size;
        previous->next = next;
    } else if (previous != NULL) {
        previous->next = block;
    } else {
        free_list = block;
    }
}

/* Asks the kernel for at least size more bytes and frees them onto the list. */
static bool grow_heap(size_t size)
{
    size_t bytes = size > HEAP_STEP ? size : HEAP_STEP;
    char *start = sbrk(0);
    if (sbrk_failed(start))
        return false;
    size_t padding = (size_t)(-(uintptr_t)start) & (ALIGNMENT - 1);
    char *region = sbrk((long)(padding + bytes));
    if (sbrk_failed(region))
        return false;
    struct block *block = (struct block *)(region + padding);
    block->size = bytes;
    if (heap_low == NULL)
        heap_low = (char *)block;
    heap_high = end_of(block);
    insert_free(block);
    return true;
}

/* Unlinks and returns a block of exactly size bytes, or NULL if none is free. */
static struct block *take_first_fit(size_t size)
{
    struct block **link = &free_list;
    for (struct block *block = free_list; block != NULL; link = &block->next, block = block->next) {
        if (block->size < size)
            continue;
        if (block->size - size >= MIN_BLOCK) { /* keep the front free, hand out the tail */
            block->size -= size;
            struct block *tail = (struct block *)end_of(block);
            tail->size = size;
            return tail;
        }
        *link = block->next;
        return block;
    }
    return NULL;
}

void *malloc(size_t size)
{
    if (size > MAX_REQUEST)
        return NULL;
    size_t needed = sizeof(struct block) + round_up(size == 0 ? 1 : size);
    struct block *block = take_first_fit(needed);
    if (block == NULL && grow_heap(needed))
        block = take_first_fit(needed);
    if (block == NULL)
        return NULL;
    block->next = IN_USE_MAGIC;
    return block + 1;
}

/* The header of a pointer malloc returned; ends the program for any other pointer. */
static struct block *block_of(void *pointer, const char *caller)
{
    struct block *block = (struct block *)pointer - 1;
    bool inside = (char *)block >= heap_low && (char *)pointer < heap_high;
    if (!inside || (uintptr_t)pointer % ALIGNMENT != 0 || block->next != IN_USE_MAGIC)
        heap_misuse(caller, pointer);
    return block;
}

void free(void *pointer)
{
    if (pointer == NULL)
        return;
    insert_free(block_of(pointer, "free"));
}

void *calloc(size_t count, size_t size)
{
    if (size != 0 && count > MAX_REQUEST / size)
        return NULL;
    void *pointer = malloc(count * size);
    if (pointer != NULL)
        memset(pointer, 0, count * size);
    return pointer;
}

void *realloc(void *pointer, size_t size)
{
    if (pointer == NULL)
        return malloc(size);
    size_t capacity = block_of(pointer, "realloc")->size - sizeof(struct block);
    if (size == 0) {
        free(pointer);
        return NULL;
    }
    if (size <= capacity)
        return pointer;
    void *moved = malloc(size);
    if (moved == NULL)
        return NULL;
    memcpy(moved, pointer, capacity);
    free(pointer);
    return moved;
}
