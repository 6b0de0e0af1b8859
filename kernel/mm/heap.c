/*
 * heap.c — first-fit allocator with boundary tags and an explicit free list.
 *
 * Every block is  header | payload | footer  and blocks tile the heap with no
 * gaps. The header and footer both hold the block's size (the footer lets a
 * freed block find its left neighbour, so both neighbours coalesce in O(1)),
 * plus magic numbers that catch stray frees and overruns. Free blocks are also
 * linked through their payloads; heap_alloc takes the first that fits and
 * splits it, and grows the region only when none does.
 * OSTEP ch. 17 (Free-Space Management): splitting, coalescing, headers.
 */
#include "kernel/mm/heap.h"

#include "kernel/mm/layout.h"
#include "kernel/panic.h"

#define HEAP_ALIGN 16
#define HEAP_HEADER_MAGIC 0x48454150u /* "HEAP" */
#define HEAP_FOOTER_MAGIC 0x454e4421u /* "END!" */
#define HEAP_SLACK_BYTE 0xCA          /* fills payload bytes past the requested size */

struct heap_header {
    uint32_t magic;
    uint16_t allocated; /* 1 while handed out, 0 while free */
    uint16_t slack;     /* payload bytes beyond what heap_alloc was asked for */
    uint64_t size;      /* whole block, header and footer included */
};

/* The magic comes first so that even a one-byte overrun past a payload hits it. */
struct heap_footer {
    uint32_t magic;
    uint32_t unused;
    uint64_t size;
};

struct heap_free_block {
    struct heap_header header;
    struct heap_free_block *next;
    struct heap_free_block *prev;
};

#define HEAP_OVERHEAD (sizeof(struct heap_header) + sizeof(struct heap_footer))
#define HEAP_MIN_BLOCK (HEAP_OVERHEAD + HEAP_ALIGN) /* room for the free-list links */

_Static_assert(sizeof(struct heap_header) == HEAP_ALIGN, "payloads must stay 16-byte aligned");
_Static_assert(sizeof(struct heap_footer) == HEAP_ALIGN, "blocks must stay 16-byte multiples");
_Static_assert(sizeof(struct heap_free_block) <= HEAP_MIN_BLOCK - sizeof(struct heap_footer),
               "free-list links must fit in the smallest payload");

static struct heap_footer *heap_footer_of(const struct heap_header *block)
{
    return (struct heap_footer *)((uintptr_t)block + block->size - sizeof(struct heap_footer));
}

static uint8_t *heap_payload_of(const struct heap_header *block)
{
    return (uint8_t *)(block + 1);
}

static size_t heap_request_of(const struct heap_header *block)
{
    return block->size - HEAP_OVERHEAD - block->slack;
}

static void heap_tag_block(struct heap_header *block, size_t size, bool allocated, size_t slack)
{
    block->magic = HEAP_HEADER_MAGIC;
    block->allocated = allocated;
    block->slack = (uint16_t)slack;
    block->size = size;
    struct heap_footer *footer = heap_footer_of(block);
    footer->magic = HEAP_FOOTER_MAGIC;
    footer->unused = 0;
    footer->size = size;
}

/* Header and footer agree, and the block lies inside [start, end). Reads only in-bounds memory. */
static bool heap_block_intact(const struct heap *heap, const struct heap_header *block)
{
    uintptr_t at = (uintptr_t)block;
    if (at < heap->start || at + HEAP_MIN_BLOCK > heap->end || at % HEAP_ALIGN != 0)
        return false;
    if (block->magic != HEAP_HEADER_MAGIC || block->allocated > 1)
        return false;
    if (block->size % HEAP_ALIGN != 0 || block->size < HEAP_MIN_BLOCK ||
        block->size > heap->end - at || block->slack > block->size - HEAP_OVERHEAD)
        return false;
    const struct heap_footer *footer = heap_footer_of(block);
    return footer->magic == HEAP_FOOTER_MAGIC && footer->size == block->size;
}

/* The bytes between the requested size and the footer still hold HEAP_SLACK_BYTE. */
static bool heap_slack_intact(const struct heap_header *block)
{
    const uint8_t *byte = heap_payload_of(block) + heap_request_of(block);
    for (size_t i = 0; i < block->slack; i++)
        if (byte[i] != HEAP_SLACK_BYTE)
            return false;
    return true;
}

static void heap_list_push(struct heap *heap, struct heap_header *block)
{
    struct heap_free_block *node = (struct heap_free_block *)block;
    node->prev = NULL;
    node->next = heap->free_list;
    if (heap->free_list != NULL)
        heap->free_list->prev = node;
    heap->free_list = node;
}

static void heap_list_remove(struct heap *heap, struct heap_header *block)
{
    struct heap_free_block *node = (struct heap_free_block *)block;
    if (node->prev != NULL)
        node->prev->next = node->next;
    else
        heap->free_list = node->next;
    if (node->next != NULL)
        node->next->prev = node->prev;
}

/* The block after `block`, or NULL at the end of the heap. Panics if its tags are damaged. */
static struct heap_header *heap_next_block(const struct heap *heap, struct heap_header *block)
{
    struct heap_header *next = (struct heap_header *)((uintptr_t)block + block->size);
    if ((uintptr_t)next >= heap->end)
        return NULL;
    if (!heap_block_intact(heap, next))
        panic("heap: block at %p, after %p, is corrupt", (void *)next, (void *)block);
    return next;
}

/* The block before `block`, found through its footer, or NULL at the start. */
static struct heap_header *heap_prev_block(const struct heap *heap, struct heap_header *block)
{
    uintptr_t at = (uintptr_t)block;
    if (at == heap->start)
        return NULL;
    const struct heap_footer *footer = (const struct heap_footer *)(at - sizeof(*footer));
    if (footer->magic != HEAP_FOOTER_MAGIC || footer->size > at - heap->start)
        panic("heap: block before %p has an overwritten footer (overrun?)", (void *)block);
    struct heap_header *prev = (struct heap_header *)(at - footer->size);
    if (!heap_block_intact(heap, prev))
        panic("heap: block at %p, before %p, is corrupt", (void *)prev, (void *)block);
    return prev;
}

/*
 * Merges a newly free block with free neighbours and lists the result, which
 * keeps the invariant that no two free blocks touch. A header swallowed by
 * its left neighbour keeps allocated == 0, so a late second free of it is
 * still reported as a double free.
 */
static struct heap_header *heap_release(struct heap *heap, struct heap_header *block)
{
    struct heap_header *next = heap_next_block(heap, block);
    if (next != NULL && !next->allocated) {
        heap_list_remove(heap, next);
        block->size += next->size;
    }
    struct heap_header *prev = heap_prev_block(heap, block);
    if (prev != NULL && !prev->allocated) {
        heap_list_remove(heap, prev);
        prev->size += block->size;
        block = prev;
    }
    heap_tag_block(block, block->size, false, 0);
    heap_list_push(heap, block);
    return block;
}

void heap_init(struct heap *heap, uintptr_t start, uintptr_t limit,
               bool (*grow)(uintptr_t old_end, size_t bytes))
{
    heap->start = PAGE_ROUND_UP(start);
    heap->limit = PAGE_ROUND_DOWN(limit);
    if (heap->limit < heap->start)
        heap->limit = heap->start;
    heap->end = heap->start;
    heap->grow = grow;
    heap->free_list = NULL;
    heap->bytes_in_use = 0;
}

/*
 * Whole-block size for a request; false when it could never fit in the region.
 * The region is page-rounded, so an accepted size is at most SIZE_MAX - 4095
 * and adding the tags below cannot wrap.
 */
static bool heap_block_size_for(const struct heap *heap, size_t size, size_t *block_size)
{
    if (size > heap->limit - heap->start)
        return false;
    size_t payload = (size + HEAP_ALIGN - 1) & ~(size_t)(HEAP_ALIGN - 1);
    if (payload < HEAP_MIN_BLOCK - HEAP_OVERHEAD)
        payload = HEAP_MIN_BLOCK - HEAP_OVERHEAD;
    *block_size = payload + HEAP_OVERHEAD;
    return true;
}

static struct heap_header *heap_first_fit(const struct heap *heap, size_t block_size)
{
    for (struct heap_free_block *node = heap->free_list; node != NULL; node = node->next)
        if (node->header.size >= block_size)
            return &node->header;
    return NULL;
}

/*
 * Grows the region just enough, in whole pages, for a free block of
 * block_size at its end (a free block already there counts), or returns NULL.
 */
static struct heap_header *heap_extend(struct heap *heap, size_t block_size)
{
    size_t tail_free = 0;
    const struct heap_header *last = heap_prev_block(heap, (struct heap_header *)heap->end);
    if (last != NULL && !last->allocated)
        tail_free = last->size; /* smaller than block_size, or first fit would have taken it */
    /* Compared before rounding up, which could wrap; limit - end is a page multiple. */
    if (block_size - tail_free > heap->limit - heap->end)
        return NULL;
    size_t bytes = PAGE_ROUND_UP(block_size - tail_free);
    if (!heap->grow(heap->end, bytes))
        return NULL;
    struct heap_header *fresh = (struct heap_header *)heap->end;
    heap->end += bytes;
    heap_tag_block(fresh, bytes, false, 0);
    return heap_release(heap, fresh);
}

/* Takes block_size bytes from the front of a free block and returns the rest to the list. */
static void *heap_carve(struct heap *heap, struct heap_header *block, size_t block_size,
                        size_t request)
{
    heap_list_remove(heap, block);
    size_t remainder = block->size - block_size;
    if (remainder >= HEAP_MIN_BLOCK) {
        struct heap_header *rest = (struct heap_header *)((uintptr_t)block + block_size);
        heap_tag_block(rest, remainder, false, 0);
        heap_list_push(heap, rest);
    } else {
        block_size = block->size; /* too small to stand alone: the caller gets it */
    }
    size_t slack = block_size - HEAP_OVERHEAD - request;
    heap_tag_block(block, block_size, true, slack);
    __builtin_memset(heap_payload_of(block) + request, HEAP_SLACK_BYTE, slack);
    heap->bytes_in_use += request;
    return heap_payload_of(block);
}

void *heap_alloc(struct heap *heap, size_t size)
{
    size_t block_size;
    if (!heap_block_size_for(heap, size, &block_size))
        return NULL;
    struct heap_header *block = heap_first_fit(heap, block_size);
    if (block == NULL)
        block = heap_extend(heap, block_size);
    if (block == NULL)
        return NULL;
    return heap_carve(heap, block, block_size, size);
}

/* The header of a pointer being freed, after making sure it is a live, undamaged block. */
static struct heap_header *heap_checked_block(const struct heap *heap, void *ptr)
{
    uintptr_t at = (uintptr_t)ptr;
    if (at % HEAP_ALIGN != 0 || at < heap->start + sizeof(struct heap_header) || at >= heap->end)
        panic("heap_free: %p was never returned by heap_alloc (outside the heap)", ptr);
    struct heap_header *block = (struct heap_header *)at - 1;
    if (block->magic != HEAP_HEADER_MAGIC)
        panic("heap_free: %p is not the start of a block, or its header was overwritten", ptr);
    if (block->allocated == 0)
        panic("heap_free: double free of %p", ptr);
    if (!heap_block_intact(heap, block))
        panic("heap_free: block %p is corrupt: overrun past its end or damaged header", ptr);
    if (!heap_slack_intact(block))
        panic("heap_free: buffer overrun past the %lu bytes allocated at %p",
              (unsigned long)heap_request_of(block), ptr);
    return block;
}

void heap_free(struct heap *heap, void *ptr)
{
    if (ptr == NULL)
        return;
    struct heap_header *block = heap_checked_block(heap, ptr);
    heap->bytes_in_use -= heap_request_of(block);
    block->allocated = 0;
    heap_release(heap, block);
}

/* The free list holds exactly the `expected` free blocks, each once, linked both ways. */
static bool heap_free_list_intact(const struct heap *heap, size_t expected)
{
    const struct heap_free_block *prev = NULL;
    size_t seen = 0;
    for (const struct heap_free_block *node = heap->free_list; node != NULL; node = node->next) {
        if (seen++ == expected || !heap_block_intact(heap, &node->header))
            return false;
        if (node->header.allocated || node->prev != prev)
            return false;
        prev = node;
    }
    return seen == expected;
}

bool heap_check(const struct heap *heap)
{
    size_t free_blocks = 0, in_use = 0;
    bool previous_free = false;
    for (uintptr_t at = heap->start; at < heap->end;) {
        const struct heap_header *block = (const struct heap_header *)at;
        if (!heap_block_intact(heap, block))
            return false;
        if (block->allocated) {
            if (!heap_slack_intact(block))
                return false;
            in_use += heap_request_of(block);
        } else if (previous_free) {
            return false; /* two touching free blocks: a missed coalesce */
        } else {
            free_blocks++;
        }
        previous_free = !block->allocated;
        at += block->size;
    }
    return in_use == heap->bytes_in_use && heap_free_list_intact(heap, free_blocks);
}

size_t heap_bytes_in_use(const struct heap *heap)
{
    return heap->bytes_in_use;
}
