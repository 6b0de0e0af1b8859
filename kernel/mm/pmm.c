/*
 * pmm.c — physical frame allocator with a reference count per frame.
 *
 * Bookkeeping, placed by pmm_init inside usable RAM itself, is two arrays:
 * a uint16_t reference count for every frame from 0 up to the highest usable
 * frame (PMM_NEVER marks holes, reserved frames, frame 0 and the bookkeeping
 * itself), and a stack of free frame numbers, so pmm_alloc and the final
 * pmm_unref are O(1) pops and pushes. Fork's copy-on-write shares a frame by
 * raising its count; the frame returns to the stack when the count reaches 0.
 * OSTEP ch. 17 (Free-Space Management) and ch. 18 (Paging: Introduction).
 */
#include "kernel/mm/pmm.h"

#include <stdbool.h>

#include "kernel/mm/layout.h"
#include "kernel/panic.h"
#include "lib/errno.h"
#include "lib/string.h"

/*
 * Defined here because the frame allocator is the first code that reaches
 * physical memory through the direct map; host tests point it at a buffer.
 */
uintptr_t direct_map_offset = DIRECT_MAP_BASE;

#define PMM_NEVER 0xFFFFu        /* refcount of a frame that is never handed out */
#define PMM_REFCOUNT_MAX 0xFFFEu /* one more owner would read as PMM_NEVER */
/* Free frames are stored as uint32_t frame numbers, so memory ends at 16 TiB. */
#define PMM_PHYS_LIMIT ((uint64_t)1 << (32 + PAGE_SHIFT))

/* The boot-time description of memory, kept together while pmm_init runs. */
struct pmm_map {
    const struct phys_range *usable;
    size_t usable_count;
    const struct phys_range *reserved;
    size_t reserved_count;
};

/* Invariant: pmm_free_stack[0 .. pmm_free_top) are exactly the frames whose count is 0. */
static uint16_t *pmm_refcounts;
static uint32_t *pmm_free_stack;
static size_t pmm_free_top;
static size_t pmm_frame_count; /* frames 0 .. pmm_frame_count-1 have a count */
static size_t pmm_total;
static size_t pmm_shared; /* frames whose count is above 1 */
static struct phys_range pmm_metadata;
static void (*pmm_free_hook)(uint64_t frame);

static uint64_t pmm_min(uint64_t a, uint64_t b)
{
    return a < b ? a : b;
}

static uint64_t pmm_max(uint64_t a, uint64_t b)
{
    return a > b ? a : b;
}

/*
 * The lowest stretch covered by the union of the usable ranges that ends
 * above `from`. Touching and overlapping entries merge first, so a frame whose
 * bytes are split across two entries still counts as usable. Entries are few
 * (a firmware map has tens), so the quadratic scan costs nothing.
 */
static bool pmm_next_union(const struct pmm_map *map, uint64_t from, struct phys_range *out)
{
    *out = (struct phys_range){PMM_PHYS_LIMIT, PMM_PHYS_LIMIT};
    for (size_t i = 0; i < map->usable_count; i++) {
        uint64_t start = pmm_max(map->usable[i].start, from);
        uint64_t end = pmm_min(map->usable[i].end, PMM_PHYS_LIMIT);
        if (start < end && start < out->start)
            *out = (struct phys_range){start, end};
    }
    bool found = out->start < PMM_PHYS_LIMIT;
    for (bool grew = found; grew;) {
        grew = false;
        for (size_t i = 0; i < map->usable_count; i++) {
            const struct phys_range *range = &map->usable[i];
            uint64_t end = pmm_min(range->end, PMM_PHYS_LIMIT);
            if (range->start <= out->end && end > out->end) {
                out->end = end;
                grew = true;
            }
        }
    }
    return found;
}

/*
 * The next run of whole usable frames at or above *cursor, ascending; reserved
 * ranges are not subtracted here. Advances *cursor past the run.
 */
static bool pmm_next_span(const struct pmm_map *map, uint64_t *cursor, struct phys_range *span)
{
    struct phys_range merged;
    while (pmm_next_union(map, *cursor, &merged)) {
        *cursor = merged.end;
        span->start = PAGE_ROUND_UP(merged.start);
        span->end = PAGE_ROUND_DOWN(merged.end);
        if (span->start < span->end)
            return true;
    }
    return false;
}

/* The first reserved range that overlaps [start, end), or NULL. */
static const struct phys_range *pmm_reserved_clash(const struct pmm_map *map, uint64_t start,
                                                   uint64_t end)
{
    for (size_t i = 0; i < map->reserved_count; i++) {
        const struct phys_range *range = &map->reserved[i];
        if (range->start < end && range->end > start && range->start < range->end)
            return range;
    }
    return NULL;
}

/*
 * First fit, lowest address first, for `bytes` of bookkeeping inside one run
 * of usable frames, clear of reserved ranges and of frame 0. Low memory is
 * the likeliest to be in the direct map early in boot.
 */
static bool pmm_find_metadata_home(const struct pmm_map *map, uint64_t bytes, uint64_t *home)
{
    uint64_t cursor = 0;
    struct phys_range span;
    while (pmm_next_span(map, &cursor, &span)) {
        uint64_t candidate = pmm_max(span.start, PAGE_SIZE);
        while (candidate + bytes <= span.end) {
            const struct phys_range *clash = pmm_reserved_clash(map, candidate, candidate + bytes);
            if (clash == NULL) {
                *home = candidate;
                return true;
            }
            candidate = PAGE_ROUND_UP(pmm_min(clash->end, PMM_PHYS_LIMIT));
        }
    }
    return false;
}

static void pmm_set_counts(uint64_t start, uint64_t end, uint16_t count)
{
    uint64_t last = pmm_min(PAGE_ROUND_UP(end) >> PAGE_SHIFT, pmm_frame_count);
    for (uint64_t frame = start >> PAGE_SHIFT; frame < last; frame++)
        pmm_refcounts[frame] = count;
}

/* Marks every frame free (0) or never allocatable (PMM_NEVER), reserved ranges last. */
static void pmm_mark_frames(const struct pmm_map *map)
{
    uint64_t cursor = 0;
    struct phys_range span;
    uint64_t memory_end = (uint64_t)pmm_frame_count << PAGE_SHIFT;

    pmm_set_counts(0, memory_end, PMM_NEVER);
    while (pmm_next_span(map, &cursor, &span))
        pmm_set_counts(span.start, span.end, 0);
    for (size_t i = 0; i < map->reserved_count; i++) {
        const struct phys_range *range = &map->reserved[i];
        if (range->start < range->end && range->start < memory_end)
            pmm_set_counts(range->start, pmm_min(range->end, memory_end), PMM_NEVER);
    }
    pmm_refcounts[0] = PMM_NEVER;
    pmm_set_counts(pmm_metadata.start, pmm_metadata.end, PMM_NEVER);
}

static void pmm_reset(void)
{
    pmm_refcounts = NULL;
    pmm_free_stack = NULL;
    pmm_free_top = 0;
    pmm_frame_count = 0;
    pmm_total = 0;
    pmm_shared = 0;
    pmm_metadata = (struct phys_range){0, 0};
}

int pmm_init(const struct phys_range *usable, size_t usable_count,
             const struct phys_range *reserved, size_t reserved_count)
{
    struct pmm_map map = {usable, usable_count, reserved, reserved_count};
    uint64_t cursor = 0, frame_count = 0, usable_frames = 0;
    struct phys_range span;

    pmm_reset();
    while (pmm_next_span(&map, &cursor, &span)) {
        frame_count = span.end >> PAGE_SHIFT;
        usable_frames += (span.end - span.start) >> PAGE_SHIFT;
    }
    if (usable_frames == 0)
        return -ENOMEM;

    /* The stack never holds more entries than there are usable frames. */
    uint64_t stack_bytes = usable_frames * sizeof(uint32_t);
    uint64_t metadata_bytes = PAGE_ROUND_UP(stack_bytes + frame_count * sizeof(uint16_t));
    uint64_t home;
    if (!pmm_find_metadata_home(&map, metadata_bytes, &home))
        return -ENOMEM;

    pmm_free_stack = phys_to_virt(home);
    pmm_refcounts = phys_to_virt(home + stack_bytes);
    pmm_frame_count = frame_count;
    pmm_metadata = (struct phys_range){home, home + metadata_bytes};
    pmm_mark_frames(&map);

    /* Pushed from the top down, so the lowest frames are handed out first. */
    for (size_t frame = pmm_frame_count; frame-- > 0;)
        if (pmm_refcounts[frame] == 0)
            pmm_free_stack[pmm_free_top++] = (uint32_t)frame;
    if (pmm_free_top == 0) {
        pmm_reset();
        return -ENOMEM;
    }
    pmm_total = pmm_free_top;
    return 0;
}

uint64_t pmm_alloc(void)
{
    if (pmm_free_top == 0)
        return 0;
    uint32_t frame = pmm_free_stack[--pmm_free_top];
    pmm_refcounts[frame] = 1;
    return (uint64_t)frame << PAGE_SHIFT;
}

uint64_t pmm_alloc_zeroed(void)
{
    uint64_t frame = pmm_alloc();
    if (frame != 0)
        memset(phys_to_virt(frame), 0, PAGE_SIZE); /* 64-byte blocks: lib/string.c */
    return frame;
}

/* The count of a frame that must currently be allocated; any other frame is a kernel bug. */
static uint16_t *pmm_count_of_allocated(uint64_t frame, const char *caller)
{
    uint64_t number = frame >> PAGE_SHIFT;
    if (frame % PAGE_SIZE != 0)
        panic("%s: 0x%llx is not a frame address (not 4 KiB aligned)", caller,
              (unsigned long long)frame);
    if (number >= pmm_frame_count || pmm_refcounts[number] == PMM_NEVER)
        panic("%s: frame 0x%llx is not allocatable memory", caller, (unsigned long long)frame);
    if (pmm_refcounts[number] == 0)
        panic("%s: frame 0x%llx is free (double free or use after free)", caller,
              (unsigned long long)frame);
    return &pmm_refcounts[number];
}

void pmm_ref(uint64_t frame)
{
    uint16_t *count = pmm_count_of_allocated(frame, "pmm_ref");
    if (*count == PMM_REFCOUNT_MAX)
        panic("pmm_ref: frame 0x%llx has too many owners", (unsigned long long)frame);
    if (*count == 1)
        pmm_shared++;
    (*count)++;
}

void pmm_unref(uint64_t frame)
{
    uint16_t *count = pmm_count_of_allocated(frame, "pmm_unref");
    if (*count == 2)
        pmm_shared--;
    if (--*count == 0) {
        if (pmm_free_hook)
            pmm_free_hook(frame);
        pmm_free_stack[pmm_free_top++] = (uint32_t)(frame >> PAGE_SHIFT);
    }
}

size_t pmm_frame_span(void)
{
    return pmm_frame_count;
}

void pmm_set_free_hook(void (*hook)(uint64_t frame))
{
    pmm_free_hook = hook;
}

unsigned pmm_refcount(uint64_t frame)
{
    uint64_t number = frame >> PAGE_SHIFT;
    if (frame % PAGE_SIZE != 0 || number >= pmm_frame_count || pmm_refcounts[number] == PMM_NEVER)
        return 0;
    return pmm_refcounts[number];
}

size_t pmm_free_frames(void)
{
    return pmm_free_top;
}

size_t pmm_total_frames(void)
{
    return pmm_total;
}

size_t pmm_shared_frames(void)
{
    return pmm_shared;
}

struct phys_range pmm_metadata_range(void)
{
    return pmm_metadata;
}
