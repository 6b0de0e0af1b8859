/*
 * address_space.c — creating, copying and destroying per-process address spaces.
 *
 * A new space starts as a PML4 whose upper half (entries 256-511) is copied
 * from the kernel's, so every process sees the same kernel; the lower half is
 * empty until exec fills it. fork does not copy memory: it maps the parent's
 * frames into the child too, marks writable pages read-only and
 * copy-on-write in both, and counts the extra reference on each frame; the
 * first write by either side faults and gets its own copy (vm_fault.c).
 * Every user frame allocated here is charged to the space's container group
 * (group_memory.h: reserved before, committed after, freed by pmm's hook).
 * Rule: an address space is destroyed only when it is not loaded in CR3.
 * OSTEP ch. 13 (Address Spaces), ch. 20 (Paging: Smaller Tables), ch. 23.
 */
#include "kernel/mm/address_space.h"
#include "kernel/arch/x86_64/instructions.h"
#include "kernel/group/group_memory.h"
#include "kernel/mm/kmalloc.h"
#include "kernel/mm/layout.h"
#include "kernel/mm/page_table.h"
#include "kernel/mm/pmm.h"
#include "kernel/mm/swap.h"
#include "kernel/mm/swap_entry.h"
#include "kernel/mm/vm_kernel.h"
#include "lib/errno.h"
#include "lib/string.h"

#define FIRST_KERNEL_PML4_INDEX 256
#define LAST_USER_PML4_INDEX 255
#define AS_INITIAL_REGIONS 8 /* a program's usual segments plus heap and stack */

struct address_space *as_create(void)
{
    struct address_space *as = kzalloc(sizeof(*as));
    if (!as)
        return NULL;
    as->pml4 = page_table_create();
    if (!as->pml4) {
        kfree(as);
        return NULL;
    }
    const uint64_t *kernel_top = phys_to_virt(vm_kernel_pml4());
    uint64_t *top = phys_to_virt(as->pml4);
    for (int i = FIRST_KERNEL_PML4_INDEX; i < PAGE_TABLE_ENTRIES; i++)
        top[i] = kernel_top[i];
    return as;
}

/* A present page gives back its frame, a swapped one its slot. */
static bool release_page(uint64_t virtual_address, uint64_t *entry, void *context)
{
    (void)virtual_address;
    (void)context;
    if (swap_entry_is_swapped(*entry)) {
        swap_release_entry(*entry);
    } else {
        swap_untrack(*entry & PTE_ADDRESS_MASK);
        pmm_unref(*entry & PTE_ADDRESS_MASK);
    }
    *entry = 0;
    return true;
}

void as_destroy(struct address_space *as)
{
    if (!as)
        return;
    page_table_visit_leaves(as->pml4, 0, LAST_USER_PML4_INDEX, release_page, NULL);
    swap_forget_space(as);
    page_table_free_tables(as->pml4, 0, LAST_USER_PML4_INDEX);
    pmm_unref(as->pml4);
    kfree(as->regions);
    kfree(as);
}

void as_activate(const struct address_space *as)
{
    uint64_t pml4 = as ? as->pml4 : vm_kernel_pml4();
    if (read_cr3() != pml4)
        write_cr3(pml4);
}

/* Makes room for one more region, doubling the array when it is full. */
static int reserve_region_slot(struct address_space *as)
{
    if (as->region_count < as->region_capacity)
        return 0;
    int capacity = as->region_capacity ? 2 * as->region_capacity : AS_INITIAL_REGIONS;
    struct region *grown = kmalloc((size_t)capacity * sizeof(*grown));
    if (!grown)
        return -ENOMEM;
    if (as->region_count > 0)
        memcpy(grown, as->regions, (size_t)as->region_count * sizeof(*grown));
    kfree(as->regions);
    as->regions = grown;
    as->region_capacity = capacity;
    return 0;
}

/* Index of the first region whose end lies above `address` (region_count if
 * none): the only region that can hold `address`, and where a region starting
 * at `address` is inserted. */
static int first_region_ending_above(const struct address_space *as, uint64_t address)
{
    int low = 0, high = as->region_count;
    while (low < high) {
        int middle = low + (high - low) / 2;
        if (as->regions[middle].end > address)
            high = middle;
        else
            low = middle + 1;
    }
    return low;
}

/* Two ranges share a byte — or one is empty and lies strictly inside the
 * other, which would break the order of ends the search relies on. */
static bool regions_overlap(const struct region *region, uint64_t start, uint64_t end)
{
    return start < region->end && region->start < end;
}

int as_add_region(struct address_space *as, uint64_t start, uint64_t end, uint64_t page_flags,
                  enum region_kind kind, bool demand_zero)
{
    if (start > end || (start | end) & (PAGE_SIZE - 1) || end > USER_HALF_END)
        return -EINVAL;
    /* Every region before `index` ends at or below start; the one at `index`
     * is the only one that can overlap (those after it start later still). */
    int index = first_region_ending_above(as, start);
    if (index < as->region_count && regions_overlap(&as->regions[index], start, end))
        return -EINVAL;
    int result = reserve_region_slot(as);
    if (result < 0)
        return result;
    memmove(&as->regions[index + 1], &as->regions[index],
            (size_t)(as->region_count - index) * sizeof(*as->regions));
    as->regions[index] = (struct region){.start = start,
                                         .end = end,
                                         .page_flags = page_flags,
                                         .kind = kind,
                                         .demand_zero = demand_zero};
    as->region_count++;
    return 0;
}

struct region *as_find_region(struct address_space *as, uint64_t address)
{
    int index = first_region_ending_above(as, address);
    if (index < as->region_count && as->regions[index].start <= address)
        return &as->regions[index];
    return NULL;
}

int as_map_zeroed_page(struct address_space *as, uint64_t address, uint64_t *frame_out)
{
    struct region *region = as_find_region(as, address);
    if (!region)
        return -EFAULT;
    if (swap_make_room(as) < 0) /* may sleep while a page is written out */
        return -ENOMEM;
    if (group_memory_reserve(as->group_id) < 0)
        return -ENOMEM; /* the group is at its memory limit */
    uint64_t frame = pmm_alloc_zeroed();
    if (!frame) {
        group_memory_unreserve(as->group_id);
        return -ENOMEM;
    }
    group_memory_commit(as->group_id, frame); /* uncharged when freed, however it goes */
    int result = page_table_map(as->pml4, PAGE_ROUND_DOWN(address), frame, region->page_flags);
    if (result < 0) {
        pmm_unref(frame);
        return result;
    }
    swap_track(as, PAGE_ROUND_DOWN(address), frame);
    if (frame_out)
        *frame_out = frame;
    return 0;
}

struct fork_state {
    struct address_space *child;
    bool failed;
};

/* Shares one parent page with the child: writable pages become read-only
 * copy-on-write on both sides; read-only pages are simply shared. */
static bool share_page_with_child(uint64_t virtual_address, uint64_t *entry, void *context)
{
    /* LAB cow BEGIN: stub
    // TODO(cow): map the parent's frame into the child at the same address;
    // writable pages become read-only + copy-on-write on both sides; take a
    // reference on the frame. On failure set state->failed and stop.
    struct fork_state *state = context;
    (void)virtual_address;
    (void)entry;
    state->failed = true;
    return false;
    */
    struct fork_state *state = context;
    if (swap_entry_is_swapped(*entry)) { /* both name the slot; first to touch it reads it */
        uint64_t *child_entry = page_table_entry_create(state->child->pml4, virtual_address);
        if (!child_entry) {
            state->failed = true;
            return false;
        }
        *child_entry = *entry;
        swap_share_entry(*entry);
        return true;
    }
    swap_untrack(*entry & PTE_ADDRESS_MASK); /* shared frames are pinned: swap.h */
    if (*entry & (PTE_WRITABLE | PTE_COPY_ON_WRITE))
        *entry = (*entry & ~PTE_WRITABLE) | PTE_COPY_ON_WRITE;
    uint64_t frame = *entry & PTE_ADDRESS_MASK;
    if (page_table_map(state->child->pml4, virtual_address, frame, *entry & PTE_FLAGS_MASK) < 0) {
        state->failed = true;
        return false;
    }
    pmm_ref(frame);
    return true;
    /* LAB cow END */
}

struct address_space *as_fork(struct address_space *parent)
{
    struct address_space *child = as_create();
    if (!child)
        return NULL;
    for (int i = 0; i < parent->region_count; i++) {
        if (reserve_region_slot(child) < 0) {
            as_destroy(child);
            return NULL;
        }
        child->regions[child->region_count++] = parent->regions[i];
    }
    child->heap_start = parent->heap_start;
    child->heap_break = parent->heap_break;
    child->swappable = parent->swappable;
    child->group_id = parent->group_id; /* shared frames stay charged once, to their first group */

    struct fork_state state = {.child = child, .failed = false};
    page_table_visit_leaves(parent->pml4, 0, LAST_USER_PML4_INDEX, share_page_with_child, &state);
    /* The parent's pages just lost their write permission: drop stale TLB
     * entries (when the parent is the running space, which it always is). */
    if (read_cr3() == parent->pml4)
        write_cr3(parent->pml4);
    if (state.failed) {
        as_destroy(child); /* parent pages stay COW; first write reclaims them */
        return NULL;
    }
    return child;
}

static int heap_region_index(const struct address_space *as)
{
    for (int i = 0; i < as->region_count; i++)
        if (as->regions[i].kind == REGION_HEAP)
            return i;
    return -1;
}

static void unmap_range(struct address_space *as, uint64_t start, uint64_t end)
{
    for (uint64_t page = start; page < end; page += PAGE_SIZE) {
        uint64_t *entry = page_table_find_entry(as->pml4, page);
        if (entry && swap_entry_is_swapped(*entry)) {
            swap_release_entry(*entry);
            *entry = 0;
            continue;
        }
        uint64_t frame = page_table_unmap(as->pml4, page);
        if (frame) {
            swap_untrack(frame);
            pmm_unref(frame);
            invlpg(page);
        }
    }
}

long as_sbrk(struct address_space *as, long increment)
{
    int index = heap_region_index(as);
    if (index < 0)
        return -EINVAL;
    struct region *heap = &as->regions[index];
    uint64_t old_break = as->heap_break;
    if (increment == 0)
        return (long)old_break;
    /* The heap may not grow past all of physical memory and swap (it could
     * never be backed) nor to within a guard page of the next region (the stack's
     * reach, after exec): regions never overlap. */
    uint64_t limit =
        (index + 1 < as->region_count ? as->regions[index + 1].start : USER_HALF_END) - PAGE_SIZE;
    uint64_t most = (pmm_total_frames() + swap_total_slots()) * PAGE_SIZE;
    if (increment > 0 && ((uint64_t)increment > most || old_break > limit ||
                          (uint64_t)increment > limit - old_break))
        return -ENOMEM;
    /* A group's limit: the new heap pages must fit in what it has left. */
    if (increment > 0 &&
        !group_memory_has_room(
            as->group_id, (PAGE_ROUND_UP(old_break + (uint64_t)increment) - heap->end) / PAGE_SIZE))
        return -ENOMEM;
    if (increment < 0 && 0 - (uint64_t)increment > old_break - as->heap_start)
        return -EINVAL; /* 0 - (uint64_t): -LONG_MIN would overflow */
    uint64_t new_break = old_break + (uint64_t)increment;
    uint64_t new_end = PAGE_ROUND_UP(new_break);
    if (new_end < heap->end) {
        unmap_range(as, new_end, heap->end);
        page_table_prune(as->pml4, new_end, heap->end);
    }
    heap->end = new_end;
    as->heap_break = new_break;
    return (long)old_break;
}

struct resident_count {
    uint64_t start, end;
    size_t pages;
};

static bool count_page(uint64_t virtual_address, uint64_t *entry, void *context)
{
    (void)entry;
    struct resident_count *count = context;
    if (virtual_address >= count->start && virtual_address < count->end)
        count->pages++;
    return true;
}

size_t as_resident_pages(struct address_space *as, uint64_t start, uint64_t end)
{
    struct resident_count count = {start, end, 0};
    page_table_visit(as->pml4, 0, LAST_USER_PML4_INDEX, count_page, &count);
    return count.pages;
}

const char *region_kind_name(enum region_kind kind)
{
    static const char *const names[] = {"text", "rodata", "data", "heap", "stack"};
    return kind <= REGION_STACK ? names[kind] : "?";
}
