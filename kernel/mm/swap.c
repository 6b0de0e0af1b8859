/*
 * swap.c — eviction and page-in: the mechanism of swapping, not the policy.
 *
 * Bookkeeping: one frame record per physical frame (allocated when a swap
 * disk exists), holding the replacement-set link and, for a tracked frame,
 * its owner: address space, virtual address, and the page-table entry that
 * maps it (looked up on first use, then kept: a present entry's table is
 * never pruned). Evicting a
 * page: allocate a slot, turn the entry into a swap entry and flush the
 * TLB, then write the frame out and free it. Because the block layer
 * serves requests in order, an owner that faults on the page while it is
 * still being written queues its read behind the write and gets the right
 * data; an owner that exits meanwhile just drops the slot.
 * Slot n is sectors 8n .. 8n+7 of the disk; nothing else is on it.
 * Rule: the kernel runs with interrupts disabled; eviction and page-in may
 * sleep (in block_read/block_write), so callers re-find entries afterwards.
 * OSTEP ch. 21 (Swapping: Mechanisms), ch. 22 (Policies), ch. 36 (the disk).
 */
#include "kernel/mm/swap.h"
#include "kernel/arch/x86_64/instructions.h"
#include "kernel/console.h"
#include "kernel/dev/block.h"
#include "kernel/dev/ide.h"
#include "kernel/group/group_memory.h"
#include "kernel/mm/kmalloc.h"
#include "kernel/mm/layout.h"
#include "kernel/mm/page_table.h"
#include "kernel/mm/pmm.h"
#include "kernel/mm/replace/replace.h"
#include "kernel/mm/swap_entry.h"
#include "kernel/mm/swap_slots.h"
#include "kernel/panic.h"
#include "kernel/proc/proc.h"
#include "kernel/sched/scheduler.h"
#include "kernel/trace/trace.h"
#include "lib/errno.h"
#include "lib/syscall_abi.h"

#define SECTORS_PER_SLOT (PAGE_SIZE / BLOCK_SECTOR_SIZE)
#define LOCAL_SET_MAX 4

struct frame_record {
    struct replace_page page; /* first: records and pages convert by cast */
    struct address_space *as; /* NULL: not tracked */
    uint64_t address;
    uint64_t *entry;
    struct replace_set *set;
    int pid; /* for the trace */
};

struct local_set {
    struct address_space *as; /* NULL: free */
    struct replace_set set;
};

static bool swap_on;
static struct frame_record *records;
static size_t record_count;
static struct replace_set global_set;
static struct local_set local_sets[LOCAL_SET_MAX];
static int local_sets_in_use; /* how many local_sets have an owner */
static const struct replace_policy *policy = &replace_policy_clock;
static struct swap_stats swap_stats;

bool swap_enabled(void)
{
    return swap_on;
}

size_t swap_total_slots(void)
{
    return swap_on ? swap_slots_total() : 0;
}

const struct replace_policy *swap_policy(void)
{
    return policy;
}

void swap_set_policy(const struct replace_policy *new_policy)
{
    policy = new_policy;
    trace_replace_policy(policy->name);
}

void swap_init(uint64_t physical_end, long user_frames, const char *policy_name)
{
    replace_set_init(&global_set, 0);
    if (policy_name) {
        const struct replace_policy *chosen = replace_policy_by_name(policy_name);
        if (chosen) {
            policy = chosen;
        } else {
            kprintf("cmdline: replace=%s: no such policy (have:", policy_name);
            for (int i = 0; i < REPLACE_POLICY_COUNT; i++)
                kprintf(" %s", replace_policies[i]->name);
            kprintf("); using clock\n");
        }
    }
    char model[41];
    uint64_t sectors = 0;
    if (!ide_init(model, &sectors)) {
        kprintf("swap: off (no IDE disk)%s\n", user_frames ? "; userframes= ignored" : "");
        return;
    }
    size_t slots = sectors / SECTORS_PER_SLOT;
    if (slots < SWAP_MIN_SLOTS) {
        kprintf("swap: off (disk '%s' has %lu KiB; at least %lu KiB needed)\n", model,
                (unsigned long)(sectors / 2), (unsigned long)(SWAP_MIN_SLOTS * PAGE_SIZE / 1024));
        return;
    }
    uint8_t *counts = kmalloc(slots);
    record_count = physical_end / PAGE_SIZE;
    records = kzalloc(record_count * sizeof(*records));
    if (!counts || !records) {
        kprintf("swap: off (no memory for %lu slots)\n", (unsigned long)slots);
        return;
    }
    swap_slots_init(counts, slots);
    vm_fault_set_nonpresent_handler(swap_page_in);
    if (user_frames > 0 && user_frames < SWAP_MIN_USER_FRAMES) {
        kprintf("cmdline: userframes=%ld is too small (init needs %d); using %d\n", user_frames,
                SWAP_MIN_USER_FRAMES, SWAP_MIN_USER_FRAMES);
        user_frames = SWAP_MIN_USER_FRAMES;
    }
    global_set.limit = user_frames > 0 ? (size_t)user_frames : 0;
    swap_on = true;
    kprintf("swap: disk '%s' %lu KiB, %lu slots; replace=%s, low watermark %d frames", model,
            (unsigned long)(sectors / 2), (unsigned long)slots, policy->name,
            SWAP_LOW_WATERMARK_FRAMES);
    if (global_set.limit)
        kprintf(", userframes=%lu", (unsigned long)global_set.limit);
    kprintf("\n");
}

static struct frame_record *record_of(uint64_t frame)
{
    uint64_t number = frame / PAGE_SIZE;
    if (!records || number >= record_count)
        return NULL;
    return &records[number];
}

static uint64_t frame_of(const struct frame_record *record)
{
    return (uint64_t)(record - records) * PAGE_SIZE;
}

/* The entry that maps a tracked frame, found on first use and kept. Most
 * tracked pages are never looked at by a policy, and one more page-table
 * walk on every demand-zero fault was what tracking cost before. */
static uint64_t *record_entry(struct frame_record *record)
{
    if (!record->entry) {
        record->entry = page_table_find_entry(record->as->pml4, record->address);
        if (!record->entry || (*record->entry & PTE_ADDRESS_MASK) != frame_of(record))
            panic("swap: %lx is not mapped to its tracked frame %lx", record->address,
                  frame_of(record));
    }
    return record->entry;
}

bool replace_page_referenced(struct replace_page *page)
{
    struct frame_record *record = (struct frame_record *)page;
    uint64_t *entry = record_entry(record);
    bool referenced = *entry & PTE_ACCESSED;
    if (referenced) {
        *entry &= ~PTE_ACCESSED;
        if (read_cr3() == record->as->pml4) /* other spaces' TLBs go at the next switch */
            invlpg(record->address);
    }
    return referenced;
}

static struct replace_set *set_for(struct address_space *as)
{
    if (local_sets_in_use == 0) /* the usual case, asked twice on every fault */
        return &global_set;
    for (int i = 0; i < LOCAL_SET_MAX; i++)
        if (local_sets[i].as == as)
            return &local_sets[i].set;
    return &global_set;
}

void swap_track(struct address_space *as, uint64_t address, uint64_t frame)
{
    struct frame_record *record = record_of(frame);
    if (!swap_on || !as->swappable || !record)
        return;
    if (record->as)
        swap_untrack(frame);
    struct proc *p = proc_current();
    /* Field by field: a whole-record assignment compiles to `rep stosq`,
     * which QEMU's TCG runs one iteration at a time, on every fault. */
    record->page.age = 0; /* the link is set by replace_set_insert */
    record->as = as;
    record->address = address;
    record->entry = NULL; /* found when first needed: record_entry() */
    record->set = set_for(as);
    record->pid = p ? p->pid : 0;
    policy->admit(&record->page);
    replace_set_insert(record->set, &record->page);
}

void swap_untrack(uint64_t frame)
{
    struct frame_record *record = record_of(frame);
    if (!record || !record->as)
        return;
    replace_set_remove(record->set, &record->page);
    record->as = NULL;
}

static bool adopt_page(uint64_t address, uint64_t *entry, void *context)
{
    uint64_t frame = *entry & PTE_ADDRESS_MASK;
    if (pmm_refcount(frame) == 1)
        swap_track(context, address, frame);
    return true;
}

void swap_adopt(struct address_space *as)
{
    as->swappable = true;
    if (swap_on)
        page_table_visit(as->pml4, 0, 255, adopt_page, as);
}

void swap_forget_space(struct address_space *as)
{
    for (int i = 0; i < LOCAL_SET_MAX; i++)
        if (local_sets[i].as == as) {
            local_sets[i].as = NULL;
            local_sets_in_use--;
        }
}

int swap_set_local_limit(struct address_space *as, size_t frames)
{
    if (!swap_on)
        return -ENODEV;
    struct replace_set *existing = set_for(as);
    if (existing != &global_set) {
        if (frames == 0 && existing->count == 0) {
            swap_forget_space(as);
            return 0;
        }
        if (frames == 0 || frames < existing->count)
            return -EBUSY; /* pages are already in it: only growing is simple */
        existing->limit = frames;
        return 0;
    }
    if (frames == 0)
        return 0;
    for (int i = 0; i < LOCAL_SET_MAX; i++) {
        if (!local_sets[i].as) {
            local_sets[i].as = as;
            local_sets_in_use++;
            replace_set_init(&local_sets[i].set, frames);
            return 0;
        }
    }
    return -EBUSY;
}

/* Writes one page chosen by the policy out to a fresh slot and frees its frame. */
static int evict_one(struct replace_set *set)
{
    long slot = swap_slot_alloc();
    if (slot < 0)
        return -ENOSPC;
    struct replace_page *victim = policy->choose_victim(set);
    if (!victim) /* replace.h: a non-empty set always has a victim */
        panic("replace: policy '%s' chose no victim among %lu resident pages", policy->name,
              (unsigned long)set->count);
    struct frame_record *record = (struct frame_record *)victim;
    replace_set_remove(set, &record->page);
    uint64_t frame = frame_of(record);
    *record_entry(record) = swap_entry_make((uint64_t)slot);
    if (read_cr3() == record->as->pml4)
        invlpg(record->address);
    record->as = NULL;
    swap_stats.evictions++;
    trace_swap_event("evict", record->pid, record->address, (uint64_t)slot);
    int result =
        block_write((uint64_t)slot * SECTORS_PER_SLOT, SECTORS_PER_SLOT, phys_to_virt(frame));
    if (result < 0)
        kprintf("swap: writing slot %ld failed (%d); that page is lost\n", slot, result);
    pmm_unref(frame);
    swap_stats.page_outs++;
    return 0;
}

static bool over_global_limit(void)
{
    if (global_set.limit && global_set.count >= global_set.limit)
        return true;
    return pmm_free_frames() < SWAP_LOW_WATERMARK_FRAMES;
}

int swap_make_room(struct address_space *as)
{
    if (!swap_on)
        return 0;
    struct replace_set *own = set_for(as);
    while (own != &global_set && own->count >= own->limit && own->count > 0)
        if (evict_one(own) < 0)
            return -ENOSPC;
    while (global_set.count > 0 && over_global_limit())
        if (evict_one(&global_set) < 0)
            return -ENOSPC;
    return 0;
}

static struct vm_fault_outcome failed(const char *reason)
{
    return (struct vm_fault_outcome){.out_of_memory = true, .reason = reason};
}

struct vm_fault_outcome swap_page_in(struct address_space *as, uint64_t page, uint64_t *entry,
                                     enum vm_access access)
{
    (void)access; /* vm_fault checked it against the region */
    uint64_t swapped = *entry;
    const struct region *region = as_find_region(as, page);
    if (!swap_entry_is_swapped(swapped) || !region)
        return (struct vm_fault_outcome){.reason = "unknown non-present page-table entry"};
    if (swap_make_room(as) < 0)
        return failed("out of memory and swap full");
    if (group_memory_reserve(as->group_id) < 0)
        return failed("over its group's memory limit");
    uint64_t frame = pmm_alloc();
    if (!frame) {
        group_memory_unreserve(as->group_id);
        return failed("out of memory");
    }
    group_memory_commit(as->group_id, frame); /* every unref below uncharges it */
    uint64_t slot = swap_entry_slot(swapped);
    int result = block_read(slot * SECTORS_PER_SLOT, SECTORS_PER_SLOT, phys_to_virt(frame));
    entry = page_table_find_entry(as->pml4, page); /* we slept: look again */
    region = as_find_region(as, page);
    if (result < 0 || !entry || *entry != swapped || !region) {
        pmm_unref(frame);
        return result < 0 ? failed("swap read error") : (struct vm_fault_outcome){.resolved = true};
    }
    *entry = 0;
    if (page_table_map(as->pml4, page, frame, region->page_flags) < 0) {
        *entry = swapped;
        pmm_unref(frame);
        return failed("out of memory");
    }
    swap_slot_unref(slot);
    swap_track(as, page, frame);
    swap_stats.major_faults++;
    swap_stats.page_ins++;
    struct proc *p = proc_current();
    trace_swap_event("pagein", p ? p->pid : 0, page, slot);
    return (struct vm_fault_outcome){.resolved = true, .major = true};
}

void swap_release_entry(uint64_t entry)
{
    if (swap_entry_is_swapped(entry))
        swap_slot_unref(swap_entry_slot(entry));
}

void swap_share_entry(uint64_t entry)
{
    if (swap_entry_is_swapped(entry))
        swap_slot_ref(swap_entry_slot(entry));
}

struct swapped_count {
    uint64_t start, end;
    size_t pages;
};

static bool count_swapped(uint64_t address, uint64_t *entry, void *context)
{
    struct swapped_count *count = context;
    if (swap_entry_is_swapped(*entry) && address >= count->start && address < count->end)
        count->pages++;
    return true;
}

size_t swap_swapped_pages(struct address_space *as, uint64_t start, uint64_t end)
{
    struct swapped_count count = {start, end, 0};
    if (swap_on)
        page_table_visit_leaves(as->pml4, 0, 255, count_swapped, &count);
    return count.pages;
}

void swap_timer_tick(void)
{
    if (!swap_on || !policy->tick)
        return;
    policy->tick(&global_set);
    for (int i = 0; i < LOCAL_SET_MAX; i++)
        if (local_sets[i].as)
            policy->tick(&local_sets[i].set);
}

void swap_count_minor_fault(void)
{
    swap_stats.minor_faults++;
}

void swap_fill_stats(struct swap_stats *out)
{
    *out = swap_stats;
    out->free_frames = pmm_free_frames();
    out->total_frames = pmm_total_frames();
    out->slots_total = swap_on ? swap_slots_total() : 0;
    out->slots_used = swap_on ? swap_slots_used() : 0;
    out->resident_tracked = global_set.count;
    for (int i = 0; i < LOCAL_SET_MAX; i++)
        if (local_sets[i].as)
            out->resident_tracked += local_sets[i].set.count;
    out->user_frame_limit = global_set.limit;
}
